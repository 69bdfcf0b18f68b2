"""Timelines: kg seized and seizure events over time, spikes, and official totals per year."""

from __future__ import annotations

import streamlit as st

from crimjust_data import i18n, ui, view_state
from crimjust_data.figures import timelines as charts
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.queries import activities, timelines
from crimjust_data.safe_text import markdown_literal
from crimjust_data.views import data_sources

GRAIN_LABELS = {"month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}
BY_LABELS = {
    "region": N_("Region"),
    "country": N_("Country (top {n})"),  # n: timelines.TOP_COUNTRIES
    "drug": N_("Cocaine form"),
    "conveyance": N_("Conveyance"),
}
MEASURE_LABELS = {"kg": N_("Kilograms"), "seizures": N_("Seizure events"), "both": N_("Both")}
# What the bars show, per period (dimension: charts.DIMENSION_NAMES, in words)
BARS_TEXT = {
    "month": N_(
        "Bars: each {dimension} stacked to the total for the month; periods without seizures "
        "count as 0."
    ),
    "quarter": N_(
        "Bars: each {dimension} stacked to the total for the quarter; periods without seizures "
        "count as 0."
    ),
    "year": N_(
        "Bars: each {dimension} stacked to the total for the year; periods without seizures "
        "count as 0."
    ),
}


def _periods(grain: str, n: int) -> str:
    """'4 quarters': a number of periods of `grain`, in words."""
    if grain == "month":
        text = ngettext("{n} month", "{n} months", n)
    elif grain == "quarter":
        text = ngettext("{n} quarter", "{n} quarters", n)
    else:
        text = ngettext("{n} year", "{n} years", n)
    return text.format(n=i18n.integer(n))


filters = ui.page_filters()
freshness = ui.data_freshness()

st.title(_("Timelines"))
st.caption(
    _(
        "How much cocaine is seized, and how often, over time; unusual spikes; and how much of "
        "the official UNODC yearly totals the loaded records cover."
    )
    + " "
    + _("Showing: {view}.").format(view=markdown_literal(view_state.describe(filters)))
)

grain_column, by_column, measure_column = st.columns([1, 1, 1.4])
with grain_column:
    grain = ui.linked(
        st.segmented_control,
        _("Period"),
        timelines.GRAINS,
        key="timelines_grain",
        param="grain",
        format_func=lambda code: _(GRAIN_LABELS[code]),
    )
with by_column:
    by = ui.linked(
        st.selectbox,
        _("Split by"),
        timelines.DIMENSIONS,
        key="timelines_by",
        param="by",
        format_func=lambda code: _(BY_LABELS[code]).format(n=timelines.TOP_COUNTRIES),
    )
with measure_column:
    measure = ui.linked(
        st.segmented_control,
        _("Show"),
        (*timelines.MEASURES, "both"),
        key="timelines_measure",
        param="measure",
        format_func=lambda code: _(MEASURE_LABELS[code]),
    )

line = ui.query(timelines.timeline, filters, grain, by, timelines.TOP_COUNTRIES)
seizure_source = data_sources(freshness, ("seizures",)).label

st.subheader(_("Seizures over time"))
chosen = ui.activity_controls(
    "timelines",
    _(
        "Mark each program activity of the countries shown at its start: a dotted line, and a "
        "triangle at the top that names it, its partner and its participants on hover."
    ),
)
marked = None
if chosen is not None and not line.empty:
    marked = ui.query(activities.activities_for, filters, line.first_day, line.last_day, *chosen)
if line.empty:
    ui.show_empty(N_("seizures"))
else:
    for shown in timelines.MEASURES if measure == "both" else (measure,):
        chart = charts.timeline_chart(line, shown, seizure_source, marked)
        ui.show_chart(
            chart.figure,
            chart.data,
            f"timelines_chart_{shown}",
            file_name=f"timeline_{shown}_per_{grain}_by_{by}",
            summary=chart.summary,
        )
    bars = _(BARS_TEXT[grain]).format(dimension=_(charts.DIMENSION_NAMES[by]))
    average = _("Line: {average}, drawn once {periods} are in view.").format(
        average=timelines.rolling_text(grain), periods=_periods(grain, line.window)
    )
    st.caption(f"{bars} {average} {timelines.spike_rule_text(grain)}")
    ui.show_marked_activities(marked, "timelines")
    partial = timelines.partial_periods(line)
    if partial:
        named = (
            _("{first} and {last}").format(first=", ".join(partial[:-1]), last=partial[-1])
            if len(partial) > 1
            else partial[0]
        )
        st.caption(
            _(
                "Only partly covered by the dates in view ({start} to {end}): {periods}; a lower "
                "bar there is not necessarily a fall."
            ).format(start=line.first_day, end=line.last_day, periods=named)
        )

st.subheader(_("Official UNODC totals and the loaded records, per year"))
if not ui.query(timelines.official_loaded):
    st.caption(
        _(
            "No official UNODC annual totals are loaded. Import a dataUNODC 'Drug seizures' "
            "export with `python -m crimjust_data import <UNODC export>` to compare them with "
            "the records."
        )
    )
else:
    official = ui.query(timelines.official_by_year, filters)
    if official.empty:
        ui.show_empty(N_("official UNODC totals"))
    else:
        chart = charts.official_chart(
            official, data_sources(freshness, ("annual_seizures", "seizures")).label
        )
        ui.show_chart(
            chart.figure,
            chart.data,
            "timelines_official",
            file_name="official_vs_events_by_year",
            summary=chart.summary,
        )
        st.caption(
            _(
                "Official country-year totals are compared with the yearly sums of the seizure "
                "events, never added to them. The label is the events as a share of the official "
                "figure, for the same places and cocaine forms; it can exceed 100% where the "
                "records include countries or seizures the official figure does not."
            )
        )
        for note in timelines.official_notes(filters):
            st.caption(note)
