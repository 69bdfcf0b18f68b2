"""The floor of bench/browser_bench.py: the least a Streamlit page with one plotly chart costs in
the browser. The same sidebar Region control as the dashboard (key `frame_region`) and one bar
chart of a few numbers that change with it; no data store, no other element.

    .venv/bin/streamlit run bench/minimal_app.py
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

REGIONS = ("Latin America", "Caribbean", "West Africa")
KG = {"Latin America": 1200.0, "Caribbean": 300.0, "West Africa": 80.0}

st.set_page_config(page_title="Minimal app", layout="wide")
with st.sidebar:
    chosen = st.multiselect("Region", REGIONS, key="frame_region", placeholder="All")
shown = list(chosen) or list(REGIONS)
st.title("Minimal app")
st.plotly_chart(go.Figure(go.Bar(x=shown, y=[KG[region] for region in shown])), key="minimal_chart")
