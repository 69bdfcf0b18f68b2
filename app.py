"""Router and shared frame: page config, the store (seeded on first run), navigation."""

from __future__ import annotations

import streamlit as st

from crimjust_data import ui_cache
from crimjust_data.errors import CrimjustError
from crimjust_data.paths import STATIC_DIR

st.set_page_config(
    page_title="CRIMJUST interdiction dashboard",
    page_icon=str(STATIC_DIR / "favicon.png"),  # a local file: a material icon would hit a CDN
    layout="wide",
)

try:
    ui_cache.ready_store()
except CrimjustError as exc:
    # A broken or busy store: say what is wrong and how to recover, never a traceback.
    st.error(f"The data store cannot be used: {exc}", icon=":material/error:")
    st.stop()

pages = {
    "Overview": [
        st.Page(
            "pages/home.py", title="Home", icon=":material/home:", url_path="home", default=True
        ),
    ],
}
page = st.navigation(pages)
try:
    page.run()
except CrimjustError as exc:
    st.error(str(exc), icon=":material/error:")
