"""The interface language: from the link, the sidebar's picker or the browser."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

from crimjust_data import i18n
from crimjust_data.i18n import _
from crimjust_data.ui import url

LANGUAGE_KEY = "frame_lang"  # the sidebar's language picker


def interface_language() -> tuple[str, list[str]]:
    """Set this run's language; return it, with the notices of a link's unusable one.

    A language in the link (?lang=fr) that this session did not write itself wins (a shared
    link); then the picker's choice; on a first visit, the browser's Accept-Language. It is
    kept in the URL so 'Share this view' and a reload keep it.
    """
    notices: list[str] = []
    browser = i18n.negotiate(st.context.headers.get("Accept-Language"))
    lang = url.bind(LANGUAGE_KEY, "lang", tuple(i18n.LANGUAGES), default=browser, notices=notices)
    i18n.set_language(lang)
    return lang, notices


def in_session_language(callback: Callable[..., None]) -> Callable[..., None]:
    """`callback` (a widget's on_click) speaking the session's language: Streamlit runs
    callbacks before app.py sets the run's language, so their messages would be English."""

    @functools.wraps(callback)
    def speaking(*args: Any, **kwargs: Any) -> None:
        with i18n.using(str(st.session_state.get(LANGUAGE_KEY, i18n.current()))):
            callback(*args, **kwargs)

    return speaking


def language_picker() -> None:
    """The sidebar's language choice (names in their own language, as every site shows them)."""
    st.selectbox(
        _("Language"),
        tuple(i18n.LANGUAGES),
        key=LANGUAGE_KEY,
        format_func=i18n.LANGUAGES.__getitem__,
    )
