"""Justice outcomes: what happens to cocaine cases after the seizure (DESIGN.md section 6)."""

from __future__ import annotations

import streamlit as st

from crimjust_data import i18n, ui_cache, view_state
from crimjust_data.figures import justice as charts
from crimjust_data.formatting import (
    case_period_text,
    describe_rate,
    describe_verdict_days,
    format_prosecution,
    format_rate,
    format_verdict_days,
    prosecution_text,
)
from crimjust_data.i18n import N_, _
from crimjust_data.queries import justice as queries
from crimjust_data.safe_text import markdown_literal
from crimjust_data.views import data_sources

filters = ui_cache.page_filters()
# Every number of the page in one read of the store (one cache entry).
tables = ui_cache.query(queries.page_tables, filters)
headline = tables.headline
source = data_sources(ui_cache.data_freshness(), ("cases",))

st.title(_("Justice outcomes"))
st.caption(
    _(
        "What happens to criminal cases after cocaine is seized: how many are charged, reach a "
        "verdict and end in a conviction, and how long that takes."
    )
    + " "
    + _("Showing: {view}.").format(view=markdown_literal(view_state.describe(filters)))
)
if source.synthetic:
    st.caption(
        ":material/science: "
        + _(
            "Case data here is synthetic demo data: no public case-level table exists, so the "
            "numbers illustrate the method, not reality."
        )
    )

if headline.cases_opened == 0:
    ui_cache.show_empty(N_("cases"))
    st.stop()

tiles = [
    (_("Cases opened"), i18n.integer(headline.cases_opened), case_period_text(headline)),
    (_("Prosecution rate"), format_prosecution(headline), prosecution_text(headline)),
    (_("Conviction rate"), format_rate(headline.conviction), describe_rate(headline.conviction)),
    (
        _("Median time to verdict"),
        format_verdict_days(headline.time_to_verdict),
        describe_verdict_days(headline.time_to_verdict),
    ),
]
for column, (label, value, caption) in zip(st.columns(4), tiles, strict=True):
    column.metric(label, value, border=True)
    if caption:
        column.caption(caption)

st.subheader(_("From case to conviction"))
chart = charts.funnel_chart(tables.funnel, source.label)
ui_cache.show_chart(
    chart.figure, chart.data, "justice_funnel", file_name="attrition_funnel", summary=chart.summary
)

st.subheader(_("Rates by country"))
rate = ui_cache.url_choice(
    _("Rate"),
    charts.RATES,
    "justice_rate",
    param="rate",
    format_func=lambda code: _(charts.RATE_LABELS[code]),
    horizontal=True,
    widget="radio",
)
st.caption(
    _("{rate}: {definition}.").format(
        rate=_(charts.RATE_LABELS[rate]), definition=charts.rate_definition(rate)
    )
)
overall = getattr(headline, rate)  # Headline.prosecution or Headline.conviction
chart = charts.country_rates_chart(tables.country_rates, rate, source.label, overall)
if chart.data.empty:  # e.g. the conviction rate while every case is still pending
    ui_cache.show_empty(N_("cases counted for this rate"))
else:
    ui_cache.show_chart(
        chart.figure,
        chart.data,
        "justice_country_rates",
        file_name=f"{rate}_rate_by_country",
        summary=chart.summary,
    )

st.subheader(_("Time to verdict"))
if tables.curves.empty:
    ui_cache.show_empty(N_("charged cases"))
else:
    chart = charts.verdict_curve_chart(tables.curves, tables.medians, source.label)
    ui_cache.show_chart(
        chart.figure,
        chart.data,
        "justice_verdict_curve",
        file_name="time_to_verdict",
        summary=chart.summary,
    )

st.subheader(_("Cooperation across regions"))
st.info(
    _(
        "**Association, not effect.** Cases with mutual legal assistance, joint investigations "
        "or extradition differ from others in more than cooperation (where the cocaine came "
        "from, the country, the size of the case), so a difference in rates does not show what "
        "cooperation itself changes."
    ),
    icon=":material/info:",
)
chart = charts.cooperation_chart(tables.cooperation, source.label)
ui_cache.show_chart(
    chart.figure,
    chart.data,
    "justice_cooperation",
    file_name="rates_by_cooperation",
    summary=chart.summary,
)
chart = charts.cooperation_region_chart(tables.cooperation_by_region, source.label)
if chart.data.empty:  # only cases whose cooperation is not recorded
    ui_cache.show_empty(N_("cases with a recorded cooperation status"))
else:
    ui_cache.show_chart(
        chart.figure,
        chart.data,
        "justice_cooperation_region",
        file_name="rates_by_cooperation_and_region",
        summary=chart.summary,
    )
