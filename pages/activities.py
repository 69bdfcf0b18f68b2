"""Activities and results: one program activity's indicators before and after it, beside the
same indicators in the other countries of its region (a difference-in-differences view)."""

from __future__ import annotations

import streamlit as st

from crimjust_data import ui
from crimjust_data.figures import activities as charts
from crimjust_data.i18n import N_, _
from crimjust_data.queries import activities
from crimjust_data.schemas import ACTIVITY_TYPES, PARTNERS
from crimjust_data.views import data_sources

ui.page_filters()  # the sidebar's filters do not apply here (said below); the router's do
freshness = ui.data_freshness()
source = data_sources(freshness, ("seizures", "cases")).label

st.title(_("Activities and results"))
st.caption(
    _(
        "Pick a program activity to see the indicators of its countries in the months before "
        "and after it, beside the same indicators in the other countries of their regions. The "
        "sidebar's filters do not apply here: every cocaine seizure and case counts."
    )
)
st.warning(_(charts.ASSOCIATION), icon=":material/info:")

listed = ui.query(activities.activity_list)
if listed.empty:
    ui.show_empty(N_("program activities"))
    st.stop()

left, right = st.columns(2)
types = left.multiselect(
    _("Activity type"),
    [t for t in ACTIVITY_TYPES if t in set(listed["type"])],
    key="activity_types",
    placeholder=_("All"),
    format_func=charts.type_label,
)
partners = right.multiselect(
    _("Partner"),
    [p for p in PARTNERS if p in set(listed["partner"])],
    key="activity_partners",
    placeholder=_("All"),
    format_func=charts.partner_label,
)
labels = ui.query(activities.activity_labels, tuple(types), tuple(partners))
if not labels:
    ui.show_empty(N_("program activities of these types and partners"))
    st.stop()
activity_id = ui.linked(
    st.selectbox,
    _("Activity"),
    list(labels),
    key="activity_choice",
    param="activity",
    format_func=labels.__getitem__,
    default=list(labels)[-1],
)
months = int(
    ui.linked(
        st.segmented_control,
        _("Months before and after"),
        [str(m) for m in activities.WINDOW_CHOICES],
        key="activity_window",
        param="window",
    )
)
result = ui.query(activities.before_after, activity_id, months)
if result is None:  # rolled back between the list and the view
    ui.show_empty(N_("program activities"))
    st.stop()

st.dataframe(
    charts.details_table(result), key="activity_details", hide_index=True
)  # uploaded text: shown as text

if result.no_data:
    ui.show_empty(N_("seizures or cases in the months around this activity"))
    st.stop()
for note in charts.window_notes(result):
    st.info(note, icon=":material/date_range:")
note = charts.comparison_note(result)  # why there is no comparison, or who is left out
if note:
    st.info(note, icon=":material/group_off:")
if not result.overlapping.empty:
    st.warning(charts.overlap_note(result), icon=":material/layers:")
    st.dataframe(charts.overlapping_table(result), key="activity_overlapping", hide_index=True)

chart = charts.before_after_chart(result, source)
ui.show_chart(
    chart.figure,
    chart.data,
    "activity_chart",
    file_name=f"before_after_{activity_id}",
    summary=chart.summary,
)
st.subheader(_("Change in each indicator"))
st.dataframe(charts.change_table(result), key="activity_changes", hide_index=True)
st.caption(charts.method_note(result))
st.subheader(_("Trends before the activity"))
st.dataframe(charts.pretrend_table(result), key="activity_pretrends", hide_index=True)
st.caption(
    _(
        "The difference in differences assumes that both groups would have moved alike "
        "without the activity: trends that already part in the before window weaken it."
    )
)
