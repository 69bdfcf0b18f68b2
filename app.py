"""Router: the language, page config, the store, the shared frame (crimjust_data.ui.frame), then
the page.

`streamlit run app.py` imports this file once to find its web server, `app`: Streamlit's app
object with the guard of crimjust_data.web_guard in front (uploads and cache clearing only for
signed-in analysts). Each page view then runs the file as __main__, which draws the page.
"""

from __future__ import annotations

import streamlit as st

from crimjust_data import auth
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import _
from crimjust_data.paths import STATIC_DIR
from crimjust_data.safe_text import markdown_literal
from crimjust_data.ui import data, frame, language, legacy_pages, server


def main() -> None:
    """One run of the app for one page view: the frame, the sidebar, then the page."""
    # The language comes first: every text below is translated into it.
    lang, language_notices = language.interface_language()
    st.set_page_config(
        page_title=_("CRIMJUST interdiction dashboard"),
        page_icon=str(STATIC_DIR / "favicon.png"),  # a local file: a material icon would hit a CDN
        layout="wide",
    )
    try:
        data.ready_store()
        frame.begin_run()
    except CrimjustError as exc:
        # A broken or busy store: say what is wrong and how to recover, never a traceback.
        # The reason may quote the database URL: shown without its password, as plain text.
        reason = markdown_literal(auth.redact(str(exc)))
        st.error(
            _("The data store cannot be used: {error}").format(error=reason),
            icon=":material/error:",
        )
        legacy_pages.no_pages()  # the message alone: no page list, no page to switch to
        st.stop()

    frame.sidebar(lang, language_notices)
    page = frame.navigation()
    frame.share_box()
    try:
        page.run()
    except CrimjustError as exc:
        st.error(markdown_literal(auth.redact(str(exc))), icon=":material/error:")


if __name__ == "__main__":  # a page view: Streamlit runs this file as __main__
    main()
else:  # `streamlit run app.py` imports it once to find the web server
    app = st.App(  # found by its st.App call
        __file__,
        middleware=server.guard_middleware(),
        on_script_error=server.show_script_error,
    )
