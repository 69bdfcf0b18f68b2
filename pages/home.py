"""Home: headline figures, the three regions compared, and where the data comes from."""

from __future__ import annotations

import streamlit as st

from crimjust_data import i18n, metrics, ui, view_state
from crimjust_data.figures import overview
from crimjust_data.formatting import (
    case_period_text,
    describe_rate,
    describe_verdict_days,
    format_kg,
    format_prosecution,
    format_rate,
    format_verdict_days,
    prosecution_text,
)
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import PROSECUTION_WINDOW_MONTHS
from crimjust_data.safe_text import markdown_literal
from crimjust_data.views import data_sources, freshness_table

filters = ui.page_filters()
headline, by_region = ui.query(metrics.overview, filters)
official = ui.query(metrics.official_comparison, filters)
freshness = ui.data_freshness()
sources = data_sources(freshness)
seizure_sources = data_sources(freshness, ("seizures",))
case_sources = data_sources(freshness, ("cases",))

st.title(_("CRIMJUST interdiction dashboard"))
st.caption(
    _(
        "Where cocaine is seized along the route from Latin America through the Caribbean and "
        "West Africa to its markets, and what the justice system then does with the cases."
    )
    + " "
    + _("Showing: {view}.").format(view=markdown_literal(view_state.describe(filters)))
)
if sources.synthetic:
    st.warning(
        _(
            "**Synthetic data.** The figures below are generated demo data, not real seizures "
            "or cases. Load real tables with `python -m crimjust_data import`."
        ),
        icon=":material/science:",
    )

if freshness.empty:
    st.info(
        _(
            "No data is active: every version has been rolled back. Load a file with "
            "`python -m crimjust_data import`, demo data with `python -m crimjust_data demo`, or "
            "list the versions with `python -m crimjust_data versions`."
        ),
        icon=":material/info:",
    )
    st.stop()  # empty charts would say nothing more

tiles = [
    (_("Cocaine seized"), format_kg(headline.seized_kg), _("Sum of kg in seizure events"), None),
    (_("Seizure events"), i18n.integer(headline.seizure_events), None, None),
    (_("Cases opened"), i18n.integer(headline.cases_opened), None, case_period_text(headline)),
    (
        _("Prosecution rate"),
        format_prosecution(headline),
        _(
            "Cases charged within {months} months of opening / cases opened at least {months} "
            "months before the data's end"
        ).format(months=PROSECUTION_WINDOW_MONTHS),
        prosecution_text(headline),
    ),
    (
        _("Conviction rate"),
        format_rate(headline.conviction),
        _(
            "Cases convicted / charged cases with a court outcome (convicted, acquitted or "
            "dismissed after a charge)"
        ),
        describe_rate(headline.conviction),
    ),
    (
        _("Median time to verdict"),
        format_verdict_days(headline.time_to_verdict),
        _(
            "Kaplan-Meier median of days from opening to court outcome over charged cases; "
            "cases still pending count until the data's end"
        ),
        describe_verdict_days(headline.time_to_verdict),
    ),
]
for row in (tiles[:3], tiles[3:]):  # a row at a time: a caption never shifts the row below
    for column, (label, value, explanation, caption) in zip(st.columns(3), row, strict=True):
        column.metric(label, value, help=explanation, border=True)
        if caption:
            column.caption(caption)

st.subheader(_("The regions compared"))
if by_region.empty:
    ui.show_empty(N_("seizures or cases"))
    st.stop()
left, right = st.columns(2)
with left:
    chart = overview.region_seizures_chart(by_region, seizure_sources.label)
    ui.show_chart(
        chart.figure,
        chart.data,
        "home_region_kg",
        file_name="seized_by_region",
        summary=chart.summary,
    )
with right:
    chart = overview.region_rates_chart(by_region, case_sources.label)
    ui.show_chart(
        chart.figure,
        chart.data,
        "home_region_rates",
        file_name="rates_by_region",
        summary=chart.summary,
    )

if not official.empty:
    st.subheader(_("Official UNODC totals and the loaded records"))
    st.caption(
        _(
            "Official country-year totals are compared with the seizure events, never added to "
            "them: the share shows how much of the official figure the loaded records account "
            "for."
        )
    )
    chart = overview.official_comparison_chart(
        official, data_sources(freshness, ("annual_seizures", "seizures")).label
    )
    ui.show_chart(
        chart.figure,
        chart.data,
        "home_official",
        file_name="official_vs_loaded",
        summary=chart.summary,
    )

st.subheader(_("Data freshness and sources"))
st.dataframe(freshness_table(freshness), key="home_freshness_table", hide_index=True)
