"""Home: headline figures, the three regions compared, and where the data comes from."""

from __future__ import annotations

import functools
from dataclasses import replace

from crimjust_data import metrics, view_state
from crimjust_data.figures import overview
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import Filters
from crimjust_data.views.parts import Context, Notice, Section, View
from crimjust_data.views.sources import data_sources, freshness_table, showing
from crimjust_data.views.tiles import headline_tiles

TITLE = N_("CRIMJUST interdiction dashboard")


def view(ctx: Context, filters: Filters) -> View:
    headline, by_region = ctx.read(metrics.overview, filters)
    freshness = ctx.read(metrics.data_freshness)
    sources = data_sources(freshness)
    caption = _(
        "Where cocaine is seized along the route from Latin America through the Caribbean and "
        "West Africa to its markets, and what the justice system then does with the cases."
    )
    notices = ()
    if sources.synthetic:
        notices = (
            Notice(
                _(
                    "**Synthetic data.** The figures below are generated demo data, not real "
                    "seizures or cases. Load real tables with `python -m crimjust_data import`."
                ),
                kind="warning",
                icon=":material/science:",
            ),
        )
    page = View("home", _(TITLE), f"{caption} {showing(view_state.describe(filters))}", notices)
    if freshness.empty:
        # empty charts would say nothing more
        return replace(
            page,
            end=(
                Notice(
                    _(
                        "No data is active: every version has been rolled back. Load a file "
                        "with `python -m crimjust_data import`, demo data with `python -m "
                        "crimjust_data demo`, or list the versions with `python -m "
                        "crimjust_data versions`."
                    )
                ),
            ),
        )
    page = replace(page, tiles=headline_tiles(headline))
    compared = Section("regions", _("The regions compared"), numbers=None)
    if by_region.empty:
        return replace(page, sections=(compared,), stop=N_("seizures or cases"))
    seizure_source = data_sources(freshness, ("seizures",)).label
    case_source = data_sources(freshness, ("cases",)).label
    sections = [
        compared,
        *(
            Section(
                key,
                numbers=by_region,
                build=functools.partial(builder, source=source),
                widget=widget,
                half=True,
            )
            for key, builder, source, widget in (
                (
                    "seized_by_region",
                    overview.region_seizures_chart,
                    seizure_source,
                    "home_region_kg",
                ),
                ("rates_by_region", overview.region_rates_chart, case_source, "home_region_rates"),
            )
        ),
    ]
    official = ctx.read(metrics.official_comparison, filters)
    if not official.empty:
        official_source = data_sources(freshness, ("annual_seizures", "seizures")).label
        # synthetic events over real totals would be a share of nothing: the chart shows the
        # method and says so
        synthetic = data_sources(freshness, ("seizures",)).synthetic
        sections.append(
            Section(
                "official_vs_loaded",
                _("Official UNODC totals and the loaded records"),
                numbers=official,
                build=lambda frame: overview.official_comparison_chart(
                    frame, official_source, synthetic
                ),
                intro=_(overview.DEMO_NOTE)
                if synthetic
                else _(
                    "Official country-year totals are compared with the seizure events, never "
                    "added to them: the share shows how much of the official figure the loaded "
                    "records account for."
                ),
                widget="home_official",
            )
        )
    sections.append(
        Section(
            "freshness",
            _("Data freshness and sources"),
            numbers=freshness,
            build=freshness_table,
            widget="home_freshness_table",
        )
    )
    return replace(page, sections=tuple(sections))
