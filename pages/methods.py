"""Methods: how each number is defined, what it counts, and the tests behind it."""

from __future__ import annotations

import streamlit as st

from crimjust_data import methods, ui
from crimjust_data.i18n import _

ui.page_filters()  # the frame's filters do not apply here, but the router check does

st.title(_("Methods"))
st.caption(
    _(
        "How each number of the dashboard is defined: its denominator, what is censored or "
        "left out, and the tests behind it, with references."
    )
)
for section in methods.SECTIONS:
    st.subheader(_(section.heading))
    for paragraph in methods.paragraphs(section):
        st.markdown(paragraph)
st.subheader(_("References"))
st.markdown("\n".join(f"- {reference}" for reference in methods.REFERENCES))
