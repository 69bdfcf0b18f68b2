"""Justice outcomes: what happens to cocaine cases after the seizure (docs/METHODS.md)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from crimjust_data import metric_registry as metric
from crimjust_data import metrics, view_state
from crimjust_data.figures import justice as charts
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import Filters
from crimjust_data.queries import justice as queries
from crimjust_data.views.parts import UNREAD, Choice, Context, Notice, Section, View
from crimjust_data.views.sources import data_sources, showing
from crimjust_data.views.tiles import CASE_TILES, headline_tiles

RATE_CHOICE_KEY = "justice_rate"


def funnel_section(
    source: str,
    *,
    numbers: Any = UNREAD,
    read: Callable[..., Any] | None = None,
    args: tuple[Any, ...] = (),
    suppress_below: int = 0,
) -> Section:
    """The attrition funnel by region (queries.justice.attrition_funnel's frame)."""
    return Section(
        "attrition_funnel",
        _("From case to conviction"),
        read=read,
        args=args,
        numbers=numbers,
        build=functools.partial(charts.funnel_chart, source=source, suppress_below=suppress_below),
        widget="justice_funnel",
    )


def _none_if_empty(chart: charts.Chart) -> charts.Chart | None:
    return None if chart.data.empty else chart


def view(ctx: Context, filters: Filters) -> View:
    # Every number of the page in one read of the store (one cache entry).
    tables = ctx.read(queries.page_tables, filters)
    headline = tables.headline
    source = data_sources(ctx.read(metrics.data_freshness), ("cases",))
    caption = _(
        "What happens to criminal cases after cocaine is seized: how many are charged, reach a "
        "verdict and end in a conviction, and how long that takes."
    )
    notices = ()
    if source.synthetic:
        notices = (
            Notice(
                ":material/science: "
                + _(
                    "Case data here is synthetic demo data: no public case-level table exists, "
                    "so the numbers illustrate the method, not reality."
                ),
                kind="caption",
            ),
        )
    page = View(
        "justice",
        _("Justice outcomes"),
        f"{caption} {showing(view_state.describe(filters))}",
        notices,
        tiles_per_row=4,
    )
    if headline.cases_opened == 0:
        return replace(page, stop=N_("cases"))
    rate = ctx.choose(
        Choice(
            RATE_CHOICE_KEY,
            _("Rate"),
            metric.RATES,
            param="rate",
            format=metric.label,
            widget="radio",
            at="country_rates",
        )
    )
    overall = getattr(headline, rate)  # Headline.prosecution or Headline.conviction
    label = source.label
    return replace(
        page,
        tiles=headline_tiles(headline, only=CASE_TILES),
        sections=(
            funnel_section(label, numbers=tables.funnel),
            Section(
                "country_rates",
                _("Rates by country"),
                numbers=tables.country_rates,
                build=lambda rates: _none_if_empty(
                    charts.country_rates_chart(rates, rate, label, overall)
                ),
                intro=_("{rate}: {definition}.").format(
                    rate=metric.label(rate), definition=metric.formula(rate)
                ),
                # e.g. the conviction rate while every case is still pending
                empty=N_("cases counted for this rate"),
                widget="justice_country_rates",
                file_name=f"{rate}_rate_by_country",
            ),
            Section(
                "time_to_verdict",
                _("Time to verdict"),
                numbers=(tables.curves, tables.medians),
                build=lambda frames: (
                    None if frames[0].empty else charts.verdict_curve_chart(*frames, label)
                ),
                empty=N_("charged cases"),
                widget="justice_verdict_curve",
            ),
            Section(
                "rates_by_cooperation",
                _("Cooperation across regions"),
                numbers=tables.cooperation,
                build=lambda outcomes: charts.cooperation_chart(outcomes, label),
                notices=(
                    Notice(
                        _(
                            "**Association, not effect.** Cases with mutual legal assistance, "
                            "joint investigations or extradition differ from others in more "
                            "than cooperation (where the cocaine came from, the country, the "
                            "size of the case), so a difference in rates does not show what "
                            "cooperation itself changes."
                        )
                    ),
                ),
                widget="justice_cooperation",
            ),
            Section(
                "rates_by_cooperation_and_region",
                numbers=tables.cooperation_by_region,
                build=lambda by_region: _none_if_empty(
                    charts.cooperation_region_chart(by_region, label)
                ),
                # only cases whose cooperation is not recorded
                empty=N_("cases with a recorded cooperation status"),
                widget="justice_cooperation_region",
            ),
        ),
    )
