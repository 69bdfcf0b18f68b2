"""What app.py draws around every page: the sidebar (language, filters kept in the URL, the
demo-data badge, 'Share this view') and the navigation."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from crimjust_data import view_state
from crimjust_data.i18n import _
from crimjust_data.metrics import Filters
from crimjust_data.ui import data, language, legacy_pages, signin, url
from crimjust_data.vocabulary import FILTER_LABELS

FILTERS_KEY = "frame_filters"  # session_state: the filters this run's page reads
NOTICES_KEY = "frame_notices"  # session_state: what the link carried that was ignored


def begin_run() -> None:
    """Start of every run of app.py: router mode, the sign-in checked (and kept alive: any
    page counts as activity), and the store's state token read once."""
    legacy_pages.leave()
    legacy_pages.routed()
    signin.local_sign_in()
    data.read_token()


def page_filters() -> Filters:
    """The filters the shared frame set for this run; call first in every page."""
    legacy_pages.check()
    return st.session_state.get(FILTERS_KEY, Filters())


def _clear_notices() -> None:
    st.session_state.pop(NOTICES_KEY, None)


def sidebar(lang: str, language_notices: list[str]) -> Filters:
    """The sidebar: language, demo-data badge and the filters, each kept in the URL."""
    choices = data.filter_choices()
    # Notices of a link stay until a filter is changed (the link's bad values have left the URL).
    notices: list[str] = []
    url.bind(
        "frame_dates", ("from", "to"), (choices.first_date, choices.last_date), notices=notices
    )
    for param, field in view_state.LIST_PARAMS.items():
        url.bind(f"frame_{param}", param, choices.allowed(field), notices=notices)
    if notices:
        st.session_state[NOTICES_KEY] = notices
    # Above the page too: on a phone the sidebar is closed, and a link that is not shown as
    # it asked must say so where its numbers are read.
    url.notify(st.session_state.get(NOTICES_KEY, []))

    with st.sidebar:
        language.language_picker()
        # Screen readers and spell checks read the page's language from <html lang>.
        st.html(
            f"<script>document.documentElement.lang = {lang!r};</script>",
            unsafe_allow_javascript=True,
        )
        url.notify(language_notices)
        freshness = data.data_freshness()
        if not freshness.empty and bool(freshness["synthetic"].any()):
            # Inline text, not st.badge: a badge is one line, cut in French ('synthé…').
            badge = _("Synthetic demo data")  # outside the f-string: Babel reads no f-string
            st.markdown(f":orange-background[:orange[:material/science: **{badge}**]]")
        st.header(_("Filters"))
        url.notify(st.session_state.get(NOTICES_KEY, []))
        dates = st.date_input(
            _("Period"),
            min_value=choices.first_date,
            max_value=choices.last_date,
            key="frame_dates",
            on_change=_clear_notices,
            help=_("Seizure dates, and the dates cases were opened"),
            format="YYYY/MM/DD" if lang == "en" else "DD/MM/YYYY",  # day first outside English
        )
        selected: dict[str, list[str]] = {}
        for param, field in view_state.LIST_PARAMS.items():
            selected[field] = st.multiselect(
                _(FILTER_LABELS[param]),
                options=choices.allowed(field),
                format_func=view_state.label_for(field),
                key=f"frame_{param}",
                on_change=_clear_notices,
                placeholder=_("All"),
            )
    filters = view_state.filters_from_widgets(dates, selected, choices)
    st.session_state[FILTERS_KEY] = filters
    return filters


def navigation() -> StreamlitPage:
    """The pages, grouped, with names and titles in the current language (built at each run,
    as the language may change)."""

    def page(name: str, title: str, icon: str, *, default: bool = False) -> StreamlitPage:
        return st.Page(f"pages/{name}.py", title=title, icon=icon, url_path=name, default=default)

    home = st.Page(
        "pages/home.py", title=_("Home"), icon=":material/home:", url_path="index", default=True
    )
    pages = {
        _("Overview"): [home, _home_alias(home)],
        _("Explore"): [
            page("flows", _("Routes and flows"), ":material/route:"),
            page("timelines", _("Timelines"), ":material/timeline:"),
        ],
        _("Justice"): [page("justice", _("Justice outcomes"), ":material/gavel:")],
        _("Countries"): [page("profile", _("Country profile"), ":material/flag:")],
        _("Program"): [page("activities", _("Activities and results"), ":material/event_note:")],
        _("Data"): [
            page("upload", _("Upload data"), ":material/upload:"),
            page("history", _("History"), ":material/history:"),
        ],
        _("Share"): [
            page("export", _("Export snapshot"), ":material/ios_share:"),
            page("methods", _("Methods"), ":material/functions:"),
        ],
    }
    chosen = st.navigation(pages)
    if chosen.url_path == HOME_ALIAS:  # /home: to the home page's own address, link kept
        st.switch_page(home, query_params={k: st.query_params.get_all(k) for k in st.query_params})
    return chosen


# The home page is the default, at the app's root; its name as a path opens it too.
HOME_ALIAS = "home"


def _home_alias(home: StreamlitPage) -> StreamlitPage:
    """A hidden page at /home that goes to the home page (the default page's address is the
    root, so without it /home would be 'page not found')."""
    return st.Page("pages/home.py", title=home.title, url_path=HOME_ALIAS, visibility="hidden")


def share_box() -> None:
    """'Share this view': the link of this page with everything the URL keeps."""
    with (
        st.sidebar,
        # Filled only while open: its code box loads a 1.5 MB highlighter into every page.
        st.expander(
            _("Share this view"), icon=":material/link:", key="frame_share", on_change="rerun"
        ) as box,
    ):
        if not box.open:
            return
        query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
        # wrapped: a link cut at the sidebar's edge cannot be checked before it is sent
        link = f"{st.context.url or ''}{'?' + query if query else ''}"
        st.code(link, language=None, wrap_lines=True)
        st.caption(_("Copy this link: it reopens this page with these filters."))
