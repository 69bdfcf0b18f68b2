"""The naive baseline as a Streamlit app: the dashboard's views written the way a typical
Streamlit app is, measured by bench/scale_bench.py with the same AppTest harness as ours.

    CRIMJUST_DB=store.duckdb .venv/bin/streamlit run bench/naive_app.py

One script, what a competent developer writes first: the whole tables read into pandas by an
`@st.cache_data` function (so each rerun gets its own unpickled copy of them, as every
st.cache_data hit does), a sidebar with a page selector, the period and the regions (the same
widget keys as the dashboard's frame, so the harness changes them the same way), then per rerun
pandas filtering and group-bys, plotly express figures shown with st.plotly_chart, the headline
numbers with st.metric and the tables with st.dataframe. The pandas work and the figures are
bench/naive_baseline.py's page functions, also timed there without Streamlit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import naive_baseline as naive  # noqa: E402

from crimjust_data.countries import REGIONS  # noqa: E402
from crimjust_data.store import open_store  # noqa: E402

st.set_page_config(page_title="Naive baseline", layout="wide")


@st.cache_data(show_spinner="Loading the data…")
def load_tables(db: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    return naive.read_tables(open_store(db))


seizures, cases, regions = load_tables(os.environ["CRIMJUST_DB"])
first, last = seizures["date"].min().date(), seizures["date"].max().date()

with st.sidebar:
    page = st.selectbox("Page", list(naive.PAGES), key="naive_page")
    dates = st.date_input(
        "Period", value=(first, last), min_value=first, max_value=last, key="frame_dates"
    )
    chosen = st.multiselect("Region", REGIONS, key="frame_region", placeholder="All")

start, end = (dates[0], dates[1]) if len(dates) == 2 else (first, last)
view = naive.View(tuple(chosen), pd.Timestamp(start), pd.Timestamp(end))
rendered = naive.PAGES[page](seizures, cases, view, regions)

st.title(Path(page).stem.capitalize())
tiles = {k: v for k, v in rendered.numbers.items() if isinstance(v, int | float)}
for column, (label, value) in zip(st.columns(max(len(tiles), 1)), tiles.items(), strict=False):
    column.metric(label, f"{value:,.0f}")
for number, figure in enumerate(rendered.figures):
    st.plotly_chart(figure, key=f"naive_chart_{number}")
for number, table in enumerate(rendered.tables):
    st.dataframe(table, key=f"naive_table_{number}")
