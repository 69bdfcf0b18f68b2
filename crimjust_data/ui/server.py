"""The parts of Streamlit's app object (app.py): the web guard in front, and the message for
an exception no page caught."""

from __future__ import annotations

from typing import Any

import streamlit as st

from crimjust_data import web_guard
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import _
from crimjust_data.ingest.pipeline import DEFAULT_MAX_UPLOAD_MB, upload_limits


def _upload_limit_bytes() -> int:
    try:
        megabytes = upload_limits()[0]
    except CrimjustError:  # a malformed setting: the Upload page says so; the default holds
        megabytes = DEFAULT_MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)


def guard_middleware() -> list[Any]:
    """The middleware app.py gives Streamlit's app object (see crimjust_data.web_guard)."""
    from starlette.middleware import Middleware
    from streamlit.proto.BackMsg_pb2 import BackMsg

    return [
        Middleware(
            web_guard.BrowserGuard, back_message=BackMsg, upload_limit_bytes=_upload_limit_bytes
        )
    ]


def show_script_error(error: Exception) -> bool:
    """For Streamlit's app object (app.py): an exception no page caught (a forged widget value,
    say) is one sentence in the reader's language; Streamlit has logged the traceback."""
    st.error(
        _(
            "This page could not be drawn ({kind}); the details are in the server's log. "
            "Reload the page to start again."
        ).format(kind=type(error).__name__),
        icon=":material/error:",
    )
    return True
