"""Placeholder: being built."""

import streamlit as st

from crimjust_data import ui_cache

filters = ui_cache.page_filters()
st.title("justice")
