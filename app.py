"""Router and shared frame: page config, the store, sidebar filters kept in the URL, navigation.

`streamlit run app.py` imports this file once to find its web server, `app`: Streamlit's app
object with the guard of crimjust_data.web_guard in front (uploads and cache clearing only for
signed-in analysts). Each page view then runs the file as __main__, which draws the page.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from crimjust_data import auth, ui_cache, view_state
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import Filters
from crimjust_data.paths import STATIC_DIR
from crimjust_data.safe_text import markdown_literal


def main() -> None:
    """One run of the app for one page view: the frame, the sidebar, then the page."""
    # The language comes first: every text below is translated into it.
    language, language_notice = ui_cache.interface_language()

    st.set_page_config(
        page_title=_("CRIMJUST interdiction dashboard"),
        page_icon=str(STATIC_DIR / "favicon.png"),  # a local file: a material icon would hit a CDN
        layout="wide",
    )

    try:
        ui_cache.ready_store()
        ui_cache.begin_run()
    except CrimjustError as exc:
        # A broken or busy store: say what is wrong and how to recover, never a traceback.
        # The reason may quote the database URL: shown without its password, as plain text.
        reason = markdown_literal(auth.redact(str(exc)))
        st.error(
            _("The data store cannot be used: {error}").format(error=reason),
            icon=":material/error:",
        )
        ui_cache.no_pages()  # the message alone: no page list, no page to switch to
        st.stop()

    choices = ui_cache.filter_choices()
    LIST_WIDGETS = {field: f"frame_{param}" for param, field in view_state.LIST_PARAMS.items()}
    # The sidebar's label of each multi-valued filter, by URL parameter.
    FILTER_LABELS = {
        "region": N_("Region"),
        "country": N_("Country"),
        "drug": N_("Drug"),
        "conveyance": N_("Conveyance"),
        "source": N_("Data source"),
    }

    def _clear_notices() -> None:
        st.session_state.pop("frame_notices", None)

    def _load_filters(filters: Filters) -> None:
        """Put `filters` into the sidebar widgets (before they are drawn)."""
        st.session_state["frame_dates"] = (
            filters.date_from or choices.first_date,
            filters.date_to or choices.last_date,
        )
        for field, key in LIST_WIDGETS.items():
            st.session_state[key] = list(getattr(filters, field))

    # URL -> widgets when the link says something the session has not written itself (a shared link,
    # a reload). A URL with no filters at all is a page switch: the session's filters stay.
    in_url = {key: st.query_params.get_all(key) for key in view_state.QUERY_KEYS}
    if any(in_url.values()) and in_url != st.session_state.get("frame_url_written"):
        from_url, notices = view_state.parse_query(in_url, choices)
        _load_filters(from_url)
        st.session_state["frame_notices"] = notices
    elif "frame_dates" not in st.session_state:
        _load_filters(Filters())
    else:  # after a load or a rollback, drop selections the data no longer has
        for field, key in LIST_WIDGETS.items():
            allowed = set(choices.allowed(field))
            if any(value not in allowed for value in st.session_state.get(key, [])):
                st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
        st.session_state["frame_dates"] = tuple(
            min(max(day, choices.first_date), choices.last_date)
            for day in st.session_state["frame_dates"]
        )

    with st.sidebar:
        ui_cache.language_picker()
        # Screen readers and spell checks read the page's language from <html lang>.
        st.html(
            f"<script>document.documentElement.lang = {language!r};</script>",
            unsafe_allow_javascript=True,
        )
        if language_notice:
            st.warning(language_notice, icon=":material/link_off:")
        freshness = ui_cache.data_freshness()
        if not freshness.empty and bool(freshness["synthetic"].any()):
            st.badge(_("Synthetic demo data"), icon=":material/science:", color="orange")
        st.header(_("Filters"))
        for notice in st.session_state.get("frame_notices", []):  # they quote the link
            st.warning(markdown_literal(notice), icon=":material/link_off:")
        dates = st.date_input(
            _("Period"),
            min_value=choices.first_date,
            max_value=choices.last_date,
            key="frame_dates",
            on_change=_clear_notices,
            help=_("Seizure dates, and the dates cases were opened"),
            format="YYYY/MM/DD" if language == "en" else "DD/MM/YYYY",  # day first outside English
        )
        selected: dict[str, list[str]] = {}
        for param, field in view_state.LIST_PARAMS.items():
            selected[field] = st.multiselect(
                _(FILTER_LABELS[param]),
                options=choices.allowed(field),
                format_func=view_state.label_for(field),
                key=LIST_WIDGETS[field],
                on_change=_clear_notices,
                placeholder=_("All"),
            )

    filters = view_state.filters_from_widgets(dates, selected, choices)
    st.session_state["frame_filters"] = filters

    # widgets -> URL (only our keys: a page may keep its own parameters there too)
    wanted = view_state.to_query(filters, choices)
    for key in view_state.QUERY_KEYS:
        if key in wanted:
            st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state["frame_url_written"] = {
        key: wanted.get(key, []) for key in view_state.QUERY_KEYS
    }

    # Group names and titles in the current language (built at each run, as the language may change).
    pages = {
        _("Overview"): [
            st.Page(
                "pages/home.py",
                title=_("Home"),
                icon=":material/home:",
                url_path="home",
                default=True,
            ),
        ],
        _("Explore"): [
            st.Page(
                "pages/flows.py",
                title=_("Routes and flows"),
                icon=":material/route:",
                url_path="flows",
            ),
            st.Page(
                "pages/timelines.py",
                title=_("Timelines"),
                icon=":material/timeline:",
                url_path="timelines",
            ),
        ],
        _("Justice"): [
            st.Page(
                "pages/justice.py",
                title=_("Justice outcomes"),
                icon=":material/gavel:",
                url_path="justice",
            ),
        ],
        _("Countries"): [
            st.Page(
                "pages/profile.py",
                title=_("Country profile"),
                icon=":material/flag:",
                url_path="profile",
            ),
        ],
        _("Program"): [
            st.Page(
                "pages/activities.py",
                title=_("Activities and results"),
                icon=":material/event_note:",
                url_path="activities",
            ),
        ],
        _("Data"): [
            st.Page(
                "pages/upload.py",
                title=_("Upload data"),
                icon=":material/upload:",
                url_path="upload",
            ),
            st.Page(
                "pages/history.py",
                title=_("History"),
                icon=":material/history:",
                url_path="history",
            ),
        ],
        _("Share"): [
            st.Page(
                "pages/export.py",
                title=_("Export snapshot"),
                icon=":material/ios_share:",
                url_path="export",
            ),
            st.Page(
                "pages/methods.py",
                title=_("Methods"),
                icon=":material/functions:",
                url_path="methods",
            ),
        ],
    }
    page = st.navigation(pages)

    with st.sidebar, st.expander(_("Share this view"), icon=":material/link:", key="frame_share"):
        query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
        st.code(f"{st.context.url or ''}{'?' + query if query else ''}", language=None)
        st.caption(_("Copy this link: it reopens this page with these filters."))

    try:
        page.run()
    except CrimjustError as exc:
        st.error(markdown_literal(auth.redact(str(exc))), icon=":material/error:")


if __name__ == "__main__":  # a page view: Streamlit runs this file as __main__
    main()
else:  # `streamlit run app.py` imports it once to find the web server
    app = st.App(  # found by its st.App call
        __file__,
        middleware=ui_cache.guard_middleware(),
        on_script_error=ui_cache.show_script_error,
    )
