"""Transitional: the old name of crimjust_data.ui, for code written against it meanwhile
(crimjust_data/ui/sections.py, pages/flows.py). Delete once they import `ui`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from crimjust_data.ui import *  # noqa: F403  (re-exported)
from crimjust_data.ui.url import linked


def url_choice(
    label: str,
    options: Sequence[str],
    key: str,
    *,
    param: str,
    format_func: Callable[[str], str] = str,
    horizontal: bool = False,
    widget: str = "selectbox",
    default: str | None = None,
) -> Any:
    """ui.linked with the old arguments (and the old shadow key, which sections.py reads)."""
    if widget == "radio":
        value = linked(
            st.radio,
            label,
            options,
            key=key,
            param=param,
            default=default,
            format_func=format_func,
            horizontal=horizontal,
        )
    else:
        draw = st.segmented_control if widget == "segmented" else st.selectbox
        value = linked(
            draw, label, options, key=key, param=param, default=default, format_func=format_func
        )
    st.session_state[f"{key}_url"] = value
    return value
