"""Routes and flows: where cocaine is seized, where it was heading, and region to region.

With a `focus` country (a map click, or ?focus=ISO3) the flows, the Sankey and the top routes
show only the seizures that touch it.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from crimjust_data import metrics, view_state
from crimjust_data.figures import flows as charts
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import Filters
from crimjust_data.queries import flows
from crimjust_data.safe_text import markdown_literal
from crimjust_data.views.parts import Choice, Context, Section, View
from crimjust_data.views.sources import data_sources, showing

MAP = "seized_by_country"
LINES = "flows_origin_destination"


def line_choice() -> Choice:
    return Choice(
        "flows_line_mode",
        _("Draw"),
        tuple(charts.LINE_MODES),
        param="lines",
        format=lambda mode: _(charts.LINE_MODES[mode]),
        widget="segmented",
        at=LINES,
    )


def seizure_map(
    filters: Filters,
    source: str,
    focus: str | None = None,
    map_key: str = "",
    clickable: bool = True,
) -> Section:
    return Section(
        MAP,
        _("Where cocaine is seized"),
        read=flows.seized_by_country,
        args=(filters,),
        build=functools.partial(
            charts.seizure_map, source=source, focus=focus, clickable=clickable
        ),
        widget=map_key,
        selectable=clickable,
    )


def region_sankey(filters: Filters, source: str, focus: str | None = None) -> Section:
    return Section(
        "flows_by_region",
        _("From region to region"),
        read=flows.region_flows,
        args=(filters, focus),
        build=functools.partial(charts.region_sankey, source=source),
        widget="flows_sankey",
    )


def flow_lines(
    filters: Filters, source: str, coverage: object, focus: str | None = None, legs: bool = False
) -> Section:
    """The origin-destination map (`coverage`: queries.flows.flow_coverage)."""
    return Section(
        LINES,
        _("Where it was heading"),
        read=flows.flow_pairs,
        args=(filters, focus, legs),
        build=functools.partial(charts.flow_map, source=source, focus=focus, legs=legs),
        intro=charts.flows_caption(coverage, focus, legs=legs),
        widget="flows_lines",
    )


def view(ctx: Context, filters: Filters, focus: str | None, map_key: str) -> View:
    source = data_sources(ctx.read(metrics.data_freshness), ("seizures",)).label
    caption = _(
        "Where cocaine is seized, and where the seized cocaine came from and was going, as the "
        "seizure records report it."
    )
    page = View(
        "flows", _("Routes and flows"), f"{caption} {showing(view_state.describe(filters))}"
    )
    by_country = ctx.read(flows.seized_by_country, filters)
    if by_country.empty:
        return replace(page, stop=N_("seizures"))
    located = replace(
        seizure_map(filters, source, focus, map_key),
        read=None,
        numbers=by_country,  # read once: its emptiness decided the page above
        intro=""
        if focus
        else _("Click a country, or its marker, to follow only the flows that touch it."),
    )
    lines = ctx.choose(line_choice())
    legs = lines == "legs"
    coverage = ctx.read(flows.flow_coverage, filters, focus)
    pairs = ctx.read(flows.flow_pairs, filters, focus, legs)
    heading = flow_lines(filters, source, coverage, focus, legs)
    if pairs.empty:
        what = (
            _("seizures touching {country} with a reported origin and destination").format(
                country=flows.focus_label(focus)
            )
            if focus
            else N_("seizures with a reported origin and destination")
        )
        unrouted = replace(heading, read=None, numbers=None, build=lambda _: None, empty=what)
        return replace(page, sections=(located, unrouted))
    # Leg by leg, the subtitle says how much of the routed kg is on the legs, and how much on none.
    credited = ctx.read(flows.leg_totals, filters, focus) if legs else None
    drawn = replace(
        heading,
        read=None,
        numbers=pairs,
        build=lambda frame: charts.flow_map(frame, source, focus, legs=legs, totals=credited),
    )
    routes = pairs if not legs else ctx.read(flows.flow_pairs, filters, focus)
    return replace(
        page,
        sections=(
            located,
            drawn,
            region_sankey(filters, source, focus),
            Section(
                "top_routes",
                _("Top routes"),
                numbers=routes,
                build=charts.top_routes,
                caption=_(
                    "Largest reported origin → destination routes in tonnes. Source: {source}"
                ).format(source=markdown_literal(source)),
                widget="flows_top_routes",
            ),
        ),
    )
