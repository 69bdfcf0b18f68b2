"""Timelines: kg seized and seizure events over time, spikes, and official totals per year."""

from __future__ import annotations

import streamlit as st

from crimjust_data import ui_cache, view_state
from crimjust_data.figures import timelines as charts
from crimjust_data.queries import timelines
from crimjust_data.views import data_sources

GRAIN_LABELS = {"month": "Month", "quarter": "Quarter", "year": "Year"}
BY_LABELS = {
    "region": "Region",
    "country": f"Country (top {timelines.TOP_COUNTRIES})",
    "drug": "Cocaine form",
    "conveyance": "Conveyance",
}
MEASURE_LABELS = {"kg": "Kilograms", "seizures": "Seizure events", "both": "Both"}

filters = ui_cache.page_filters()
freshness = ui_cache.data_freshness()

st.title("Timelines")
st.caption(
    "How much cocaine is seized, and how often, over time; unusual spikes; and how much of the "
    f"official UNODC yearly totals the loaded records cover. Showing: {view_state.describe(filters)}."
)

grain_column, by_column, measure_column = st.columns([1, 1, 1])
with grain_column:
    grain = ui_cache.url_choice(
        "Period",
        timelines.GRAINS,
        "timelines_grain",
        param="grain",
        format_func=GRAIN_LABELS.__getitem__,
        widget="segmented",
        default="quarter",  # months are noisy and years too few for a trend
    )
with by_column:
    by = ui_cache.url_choice(
        "Split by",
        timelines.DIMENSIONS,
        "timelines_by",
        param="by",
        format_func=BY_LABELS.__getitem__,
    )
with measure_column:
    measure = ui_cache.url_choice(
        "Show",
        (*timelines.MEASURES, "both"),
        "timelines_measure",
        param="measure",
        format_func=MEASURE_LABELS.__getitem__,
        widget="segmented",
    )

line = ui_cache.query(timelines.timeline, filters, grain, by, timelines.TOP_COUNTRIES)
seizure_source = data_sources(freshness, ("seizures",)).label

st.subheader("Seizures over time")
if line.empty:
    ui_cache.show_empty("seizures")
else:
    for shown in timelines.MEASURES if measure == "both" else (measure,):
        chart = charts.timeline_chart(line, shown, seizure_source)
        ui_cache.show_chart(
            chart.figure,
            chart.data,
            f"timelines_chart_{shown}",
            file_name=f"timeline_{shown}_per_{grain}_by_{by}",
        )
    st.caption(
        f"Bars: each {charts.DIMENSION_NAMES[by]} stacked to the total for the {grain}; "
        f"periods without seizures count as 0. Line: {timelines.rolling_text(grain)}, drawn "
        f"once {line.window} {grain}s are in view. {timelines.spike_rule_text(grain)}"
    )
    partial = timelines.partial_periods(line)
    if partial:
        st.caption(
            f"Only partly covered by the dates in view ({line.first_day} to {line.last_day}): "
            f"{' and '.join(partial)}; a lower bar there is not necessarily a fall."
        )

st.subheader("Official UNODC totals and the loaded records, per year")
if not ui_cache.query(timelines.official_loaded):
    st.caption(
        "No official UNODC annual totals are loaded. Import a dataUNODC 'Drug seizures' export "
        "with `python -m crimjust_data import <UNODC export>` to compare them with the records."
    )
else:
    official = ui_cache.query(timelines.official_by_year, filters)
    if official.empty:
        ui_cache.show_empty("official UNODC totals")
    else:
        chart = charts.official_chart(
            official, data_sources(freshness, ("annual_seizures", "seizures")).label
        )
        ui_cache.show_chart(
            chart.figure, chart.data, "timelines_official", file_name="official_vs_events_by_year"
        )
        st.caption(
            "Official country-year totals are compared with the yearly sums of the seizure "
            "events, never added to them. The label is the events as a share of the official "
            "figure, for the same places and cocaine forms; it can exceed 100% where the "
            "records include countries or seizures the official figure does not."
        )
        for note in timelines.official_notes(filters):
            st.caption(note)
