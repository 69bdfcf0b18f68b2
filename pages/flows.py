"""Routes and flows: where cocaine is seized, where it was heading, and region to region.

Clicking a country on the seizure map (or opening a link with ?focus=ISO3) narrows the flows,
the Sankey and the top routes to the seizures that touch that country.
"""

from __future__ import annotations

import streamlit as st

from crimjust_data import ui_cache, view_state
from crimjust_data.figures import flows as charts
from crimjust_data.i18n import N_, _
from crimjust_data.queries import flows
from crimjust_data.safe_text import markdown_literal
from crimjust_data.views import data_sources

FOCUS = "flows_focus"  # the followed country (ISO3) or None
URL_SEEN = "flows_focus_url"  # the focus this page last read from or wrote to the URL
PICKED = "flows_map_picked"  # the map selection last acted upon
GENERATION = "flows_map_generation"  # bumped to give the map a fresh, empty selection


def _clear_focus() -> None:
    st.session_state[FOCUS] = None
    st.session_state[PICKED] = ()
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


filters = ui_cache.page_filters()
source = data_sources(ui_cache.data_freshness(), ("seizures",)).label

st.title(_("Routes and flows"))
st.caption(
    _(
        "Where cocaine is seized, and where the seized cocaine came from and was going, as the "
        "seizure records report it."
    )
    + " "
    + _("Showing: {view}.").format(view=markdown_literal(view_state.describe(filters)))
)

# URL -> focus, when the link says something this page did not write itself (a shared link).
in_url = st.query_params.get("focus")
if in_url is not None and in_url != st.session_state.get(URL_SEEN):
    st.session_state[FOCUS], notice = flows.parse_focus(in_url)
    if notice:
        st.warning(markdown_literal(notice), icon=":material/link_off:")  # quotes the link
# Map click -> focus. Only a change of the selection counts, so the focus set by a link or
# cleared by the button is not overwritten by a selection the map still holds.
map_key = f"flows_map_{st.session_state.get(GENERATION, 0)}"
picked = charts.focus_from_selection(st.session_state.get(map_key))
if picked != st.session_state.get(PICKED, ()):
    st.session_state[PICKED] = picked
    st.session_state[FOCUS] = picked[0] if picked else None
focus: str | None = st.session_state.get(FOCUS)
# focus -> URL, so 'Share this view' and a reload keep it.
if focus:
    st.query_params["focus"] = focus
elif "focus" in st.query_params:
    del st.query_params["focus"]
st.session_state[URL_SEEN] = focus

by_country = ui_cache.query(flows.seized_by_country, filters)
if by_country.empty:
    ui_cache.show_empty(N_("seizures"))
    st.stop()

st.subheader(_("Where cocaine is seized"))
if focus:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.info(
        _(
            "Following **{country}**: the flows, the regions and the top routes below show only "
            "seizures that touch it."
        ).format(country=flows.focus_label(focus)),
        icon=":material/my_location:",
    )
    right.button(
        _("Clear country selection"),
        key="flows_clear_focus",
        on_click=_clear_focus,
        icon=":material/close:",
    )
else:
    st.caption(_("Click a country, or its marker, to follow only the flows that touch it."))
chart = charts.seizure_map(by_country, source, focus)
ui_cache.show_chart(
    chart.figure,
    chart.data,
    map_key,
    file_name="seized_by_country",
    selectable=True,
    summary=chart.summary,
)

st.subheader(_("Where it was heading"))
lines = ui_cache.url_choice(
    _("Draw"),
    tuple(charts.LINE_MODES),
    "flows_line_mode",
    param="lines",
    format_func=lambda mode: _(charts.LINE_MODES[mode]),
    widget="segmented",
)
pairs = ui_cache.query(flows.flow_pairs, filters, focus, lines == "legs")
coverage = ui_cache.query(flows.flow_coverage, filters, focus)
st.caption(charts.flows_caption(coverage, focus, legs=lines == "legs"))
if pairs.empty:
    ui_cache.show_empty(
        _("seizures touching {country} with a reported origin and destination").format(
            country=flows.focus_label(focus)
        )
        if focus
        else N_("seizures with a reported origin and destination")
    )
    st.stop()
# Leg by leg, the subtitle says how much of the routed kg is on the legs, and how much on none.
credited = ui_cache.query(flows.leg_totals, filters, focus) if lines == "legs" else None
chart = charts.flow_map(pairs, source, focus, legs=lines == "legs", totals=credited)
ui_cache.show_chart(
    chart.figure,
    chart.data,
    "flows_lines",
    file_name="flows_origin_destination",
    summary=chart.summary,
)

st.subheader(_("From region to region"))
chart = charts.region_sankey(ui_cache.query(flows.region_flows, filters, focus), source)
ui_cache.show_chart(
    chart.figure, chart.data, "flows_sankey", file_name="flows_by_region", summary=chart.summary
)

st.subheader(_("Top routes"))
routes = pairs if lines == "direct" else ui_cache.query(flows.flow_pairs, filters, focus)
st.dataframe(charts.top_routes(routes), key="flows_top_routes", hide_index=True, width=620)
st.caption(
    _("Largest reported origin → destination routes in tonnes. Source: {source}").format(
        source=markdown_literal(source)
    )
)
