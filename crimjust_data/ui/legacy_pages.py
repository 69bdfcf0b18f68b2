"""The one workaround of Streamlit's private API: leaving its legacy multipage mode.

With a pages/ folder beside app.py, a fresh Streamlit server starts in its legacy multipage
mode until some run calls st.navigation: the first request runs app.py nested in that mode, or
a deep link (/flows) runs the page alone, without the frame. `leave` sets the flag Streamlit
keeps for it (PagesManager.uses_pages_directory) and reruns; a page checks with `check` that
app.py ran it. tests/test_legacy_pages.py fails if the flag stops working.
"""

from __future__ import annotations

import threading

import streamlit as st

from crimjust_data.paths import PROJECT_ROOT

_run = threading.local()  # set by app.py in each run, read by the page in that run


def leave() -> None:
    """Make Streamlit run app.py as the router from now on, and rerun if it had not.

    Called before anything is drawn, so widgets keep one identity from the first run on.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory is not False:
        PagesManager.uses_pages_directory = False
        st.rerun()


def routed() -> None:
    """app.py's run is about to run a page (see `check`)."""
    _run.routed = True


def check() -> None:
    """In a page: rerun through app.py if this run did not come from it (legacy mode)."""
    if not getattr(_run, "routed", False):
        leave()
        st.rerun()
    _run.routed = False


def no_pages() -> None:
    """Hidden navigation, for a run that stops at the message that the store cannot be used:
    that message is all there is (no list of pages that could not draw anything), at every
    page's address (the page files' names: no 'page not found' for a link to one)."""
    files = sorted((PROJECT_ROOT / "pages").glob("*.py"))
    home = PROJECT_ROOT / "pages" / "home.py"
    st.navigation(  # the default page's own path is the root: /home is a page of its own
        [st.Page(path, url_path=path.stem) for path in files if path != home]
        + [st.Page(home, url_path="index", default=True), st.Page(home, url_path="home")],
        position="hidden",
    )
