"""Country profile: one country's seizures, routes, timeline and justice outcomes beside its
region."""

from __future__ import annotations

from dataclasses import replace

from crimjust_data import metrics, view_state
from crimjust_data.countries import country_name, region_label, region_of
from crimjust_data.figures import fill, overview
from crimjust_data.figures import flows as flow_charts
from crimjust_data.figures import justice as justice_charts
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import Filters
from crimjust_data.queries import activities, flows, profile, timelines
from crimjust_data.views.parts import Choice, Context, Section, View
from crimjust_data.views.sources import data_sources, showing
from crimjust_data.views.tiles import comparison_tiles
from crimjust_data.views.timelines import activity_marks, marked_section, timeline_section

OVER_TIME = "over_time"


def view(ctx: Context, filters: Filters) -> View:
    # The sidebar's places do not apply here: keyed without them, a region change reads nothing.
    everywhere = profile.without_place(filters)
    choices = ctx.read(view_state.filter_choices)
    freshness = ctx.read(metrics.data_freshness)
    seizure_source = data_sources(freshness, ("seizures",)).label
    case_source = data_sources(freshness, ("cases",)).label
    page = View("profile", _("Country profile"))
    if not choices.countries:
        return replace(page, stop=N_("countries with seizures or cases"))
    iso3 = ctx.choose(
        Choice(
            "profile_country",
            _("Country"),
            tuple(sorted(choices.countries, key=country_name)),
            param="profile",
            format=lambda code: f"{country_name(code)} ({code})",
            default=ctx.read(profile.default_country, everywhere),
        )
    )
    country = country_name(iso3)
    region = region_label(region_of(iso3))
    page = replace(
        page,
        caption=_(
            "{country} beside {region}, with the same period, drug, conveyance and source "
            "filters; the sidebar's country and region choices do not apply here."
        ).format(country=country, region=region)
        + " "
        + showing(view_state.describe(everywhere)),
    )
    comparison = ctx.read(profile.comparison, everywhere, iso3)
    if comparison.iloc[0][["seizure_events", "opened"]].sum() == 0:
        return replace(page, stop=_("seizures or cases for {country}").format(country=country))

    rates = Section(
        "profile_rates",
        _("Prosecution and conviction beside {region}").format(region=region),
        numbers=comparison,
        build=lambda frame: overview.region_rates_chart(
            frame,
            case_source,
            title=_("Prosecution and conviction rates: {country} and {region}").format(
                country=country, region=region
            ),
        ),
        file_name=f"rates_{iso3}",
    )
    pairs = ctx.read(flows.flow_pairs, everywhere, iso3)
    routes_heading = _("Routes in and out")
    if pairs.empty:
        routes: tuple[Section, ...] = (
            Section(
                "profile_flows",
                routes_heading,
                numbers=None,
                empty=_("seizures with a reported route through {country}").format(country=country),
            ),
        )
    else:
        coverage = ctx.read(flows.flow_coverage, everywhere, iso3)
        routes = (
            Section(
                "profile_flows",
                routes_heading,
                numbers=pairs,
                build=lambda frame: flow_charts.flow_map(frame, seizure_source, focus=iso3),
                intro=flow_charts.flows_caption(coverage, iso3),
                file_name=f"routes_{iso3}",
            ),
            Section("profile_top_routes", numbers=pairs, build=flow_charts.top_routes),
        )

    in_country = profile.country_filters(everywhere, iso3)
    line = ctx.read(timelines.timeline, in_country, "year", "drug")
    region_line = ctx.read(
        timelines.timeline, profile.region_filters(everywhere, iso3), "year", "country"
    )
    chosen = ctx.choose(
        activity_marks(
            "profile",
            _(
                "Mark each program activity in {country} at its start: a dotted line, and a "
                "diamond at the top that names it, its partner and its participants on hover."
            ).format(country=country),
            OVER_TIME,
        )
    )
    marked = None
    if chosen is not None and not line.empty:
        marked = ctx.read(
            activities.activities_for, in_country, line.first_day, line.last_day, *chosen
        )
    over_time = (
        Section(OVER_TIME, _("Over time"), numbers=None),
        timeline_section(
            "year",
            "drug",
            "kg",
            seizure_source,
            line=line,
            marked=marked,
            widget="profile_timeline",
            file_name=f"timeline_{iso3}",
            half=True,
            empty=_("seizures in {country}").format(country=country),
            # side by side, each title says whose seizures it shows ({dimension}, {unit}: the
            # chart's)
            title=fill(
                _("Cocaine seized per year in {country}, by {dimension} ({unit})"),
                country=country,
            ),
        ),
        timeline_section(
            "year",
            "country",
            "kg",
            seizure_source,
            line=region_line,
            widget="profile_region_timeline",
            file_name=f"timeline_{region_of(iso3)}",
            half=True,
            title=fill(
                _("Cocaine seized per year in the countries of {region} ({unit})"), region=region
            ),
        ),
        marked_section("profile", marked),
    )
    funnel = Section(
        "profile_funnel",
        _("From case to conviction"),
        read=profile.funnel_pair,
        args=(everywhere, iso3),
        build=lambda frame: justice_charts.funnel_chart(
            frame,
            case_source,
            title=_(
                "Attrition of cocaine cases: {country} and {region} (number and % of opened)"
            ).format(country=country, region=region),
        ),
        file_name=f"funnel_{iso3}",
    )
    return replace(
        page,
        tiles=comparison_tiles(comparison),
        sections=(rates, *routes, *over_time, funnel),
    )
