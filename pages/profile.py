"""Country profile: one country's seizures, routes, timeline and justice outcomes beside its region."""

from __future__ import annotations

import streamlit as st

from crimjust_data import ui, view_state
from crimjust_data.countries import country_name, region_label, region_of
from crimjust_data.figures import flows as flow_charts
from crimjust_data.figures import justice as justice_charts
from crimjust_data.figures import overview
from crimjust_data.figures import timelines as timeline_charts
from crimjust_data.i18n import N_, _
from crimjust_data.queries import activities, flows, profile, timelines
from crimjust_data.safe_text import markdown_literal
from crimjust_data.views import comparison_tiles, data_sources

filters = ui.page_filters()
# The sidebar's places do not apply here: keyed without them, a region change reads nothing.
everywhere = profile.without_place(filters)
choices = ui.filter_choices()
freshness = ui.data_freshness()
seizure_source = data_sources(freshness, ("seizures",)).label
case_source = data_sources(freshness, ("cases",)).label

st.title(_("Country profile"))
if not choices.countries:
    ui.show_empty(N_("countries with seizures or cases"))
    st.stop()
iso3 = ui.linked(
    st.selectbox,
    _("Country"),
    sorted(choices.countries, key=country_name),
    key="profile_country",
    param="profile",
    format_func=lambda code: f"{country_name(code)} ({code})",
    default=ui.query(profile.default_country, everywhere),
)
country = country_name(iso3)
region = region_label(region_of(iso3))
st.caption(
    _(
        "{country} beside {region}, with the same period, drug, conveyance and source filters; "
        "the sidebar's country and region choices do not apply here."
    ).format(country=country, region=region)
    + " "
    + _("Showing: {view}.").format(view=markdown_literal(view_state.describe(everywhere)))
)

comparison = ui.query(profile.comparison, everywhere, iso3)
if comparison.iloc[0][["seizure_events", "opened"]].sum() == 0:
    ui.show_empty(_("seizures or cases for {country}").format(country=country))
    st.stop()

for column, tile in zip(st.columns(3) * 2, comparison_tiles(comparison), strict=True):
    column.metric(
        tile.label,
        tile.value,
        delta=tile.delta,
        delta_color="off" if tile.neutral else "inverse" if tile.lower_is_better else "normal",
        delta_arrow="off" if tile.neutral else "auto",
        help=tile.help,
        border=True,
    )

st.subheader(_("Prosecution and conviction beside {region}").format(region=region))
chart = overview.region_rates_chart(
    comparison,
    case_source,
    title=_("Prosecution and conviction rates: {country} and {region}").format(
        country=country, region=region
    ),
)
ui.show_chart(
    chart.figure, chart.data, "profile_rates", file_name=f"rates_{iso3}", summary=chart.summary
)

st.subheader(_("Routes in and out"))
pairs = ui.query(flows.flow_pairs, everywhere, iso3)
if pairs.empty:
    ui.show_empty(_("seizures with a reported route through {country}").format(country=country))
else:
    coverage = ui.query(flows.flow_coverage, everywhere, iso3)
    st.caption(flow_charts.flows_caption(coverage, iso3))
    chart = flow_charts.flow_map(pairs, seizure_source, focus=iso3)
    ui.show_chart(
        chart.figure, chart.data, "profile_flows", file_name=f"routes_{iso3}", summary=chart.summary
    )
    st.dataframe(flow_charts.top_routes(pairs), key="profile_top_routes", hide_index=True)

st.subheader(_("Over time"))
line = ui.query(timelines.timeline, profile.country_filters(everywhere, iso3), "year", "drug")
region_line = ui.query(
    timelines.timeline, profile.region_filters(everywhere, iso3), "year", "country"
)
chosen = ui.activity_controls(
    "profile",
    _(
        "Mark each program activity in {country} at its start: a dotted line, and a triangle at "
        "the top that names it, its partner and its participants on hover."
    ).format(country=country),
)
marked = None
if chosen is not None and not line.empty:
    marked = ui.query(
        activities.activities_for,
        profile.country_filters(everywhere, iso3),
        line.first_day,
        line.last_day,
        *chosen,
    )
left, right = st.columns(2)
with left:
    if line.empty:
        ui.show_empty(_("seizures in {country}").format(country=country))
    else:
        chart = timeline_charts.timeline_chart(line, "kg", seizure_source, marked)
        ui.show_chart(
            chart.figure,
            chart.data,
            "profile_timeline",
            file_name=f"timeline_{iso3}",
            summary=chart.summary,
        )
with right:
    if not region_line.empty:
        chart = timeline_charts.timeline_chart(region_line, "kg", seizure_source)
        ui.show_chart(
            chart.figure,
            chart.data,
            "profile_region_timeline",
            file_name=f"timeline_{region_of(iso3)}",
            summary=chart.summary,
        )
ui.show_marked_activities(marked, "profile")

st.subheader(_("From case to conviction"))
funnel = ui.query(profile.funnel_pair, everywhere, iso3)
chart = justice_charts.funnel_chart(
    funnel,
    case_source,
    title=_("Attrition of cocaine cases: {country} and {region} (number and % of opened)").format(
        country=country, region=region
    ),
)
ui.show_chart(
    chart.figure, chart.data, "profile_funnel", file_name=f"funnel_{iso3}", summary=chart.summary
)
