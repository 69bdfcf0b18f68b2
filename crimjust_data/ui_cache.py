"""The only module of the package that imports streamlit: cached reads and shared page parts.

Data is cached on small hashable keys (database path, the store's state token, the filters and
a query's own arguments), never on a DataFrame, so a load or a rollback invalidates exactly the
entries it changes. The token is read once per script run (app.py calls `begin_run`); a read
that finds the store moved on since then is not cached, and the run starts again on the new
state, so a page never shows two versions at once.
"""

from __future__ import annotations

import functools
import importlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from crimjust_data import auth, countries, i18n, metrics, view_state, web_guard
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import _
from crimjust_data.ingest.pipeline import DEFAULT_MAX_UPLOAD_MB, load_demo, upload_limits
from crimjust_data.metrics import Filters
from crimjust_data.paths import PROJECT_ROOT, TOPOJSON_URL, store_locator
from crimjust_data.safe_text import markdown_literal
from crimjust_data.schemas import ACTIVITY_TYPES, PARTNERS
from crimjust_data.snapshot import content
from crimjust_data.snapshot.tables import csv_bytes
from crimjust_data.store import Store, open_store

_seed_lock = threading.Lock()
_known_not_new: set[str] = set()  # databases already checked: no query on later reruns
_frame_run = threading.local()  # set by app.py in each run, read by the page in that run
auth.redact_logs()  # a database driver's warning may quote the URL with its password
# plotly.js fetches map topology from our own server, never from a CDN (DESIGN.md section 7).
PLOTLY_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False}


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


@st.cache_resource(show_spinner=False)
def _store_for(locator: str) -> Store:
    return open_store(locator)


def store() -> Store:
    """The store configured for this process (CRIMJUST_DATABASE_URL, CRIMJUST_DB or the default)."""
    return _store_for(store_locator())


def ready_store() -> Store:
    """The store, seeded with demo data if nothing was ever loaded into it."""
    path = store_locator()
    current = _store_for(path)
    if path in _known_not_new:
        return current
    with _seed_lock:  # two first visitors must not both seed (nor two replicas: only_if_new)
        if current.is_new():
            with st.spinner(_("First run: generating synthetic demo data…")):
                load_demo(current, only_if_new=True)
        _known_not_new.add(path)
    return current


def no_pages() -> None:
    """Hidden navigation, for a run that stops at the message that the store cannot be used:
    that message is all there is (no list of pages that could not draw anything), at every
    page's address (the page files' names: no 'page not found' for a link to one)."""
    files = sorted((PROJECT_ROOT / "pages").glob("*.py"))
    st.navigation(
        [st.Page(path, url_path=path.stem, default=path.stem == "home") for path in files],
        position="hidden",
    )


def _leave_legacy_pages_mode() -> None:
    """Make Streamlit run app.py as the router from now on, and rerun if it had not.

    With a pages/ folder beside app.py, a fresh Streamlit server starts in its legacy multipage
    mode until some run calls st.navigation: the first request runs app.py nested in that mode,
    or a deep link runs the page alone, without the frame. Both are left here, before anything
    is drawn, so widgets keep one identity from the first run on.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory is not False:
        PagesManager.uses_pages_directory = False
        st.rerun()


def begin_run() -> None:
    """Start of every run of app.py: router mode, the sign-in checked (and kept alive: any
    page counts as activity), and the store's state token read once."""
    _leave_legacy_pages_mode()
    _frame_run.routed = True
    _local_sign_in()
    st.session_state["frame_store_token"] = store().state_token()


LANGUAGE_KEY = "frame_lang"  # the sidebar's language picker
_LANGUAGE_IN_URL = "frame_lang_url"  # the language this session last wrote to the URL


def interface_language() -> tuple[str, str | None]:
    """Set this run's language, and return it with a notice if the link's was not usable.

    A language in the link (?lang=fr) that this session did not write itself wins (a shared
    link); then the picker's choice; on a first visit, the browser's Accept-Language. It is
    written back to the URL so 'Share this view' and a reload keep it.
    """
    notice = None
    in_url = st.query_params.get("lang")
    if in_url is not None and in_url != st.session_state.get(_LANGUAGE_IN_URL):
        if in_url in i18n.LANGUAGES:
            st.session_state[LANGUAGE_KEY] = in_url
        else:
            notice = in_url
    if st.session_state.get(LANGUAGE_KEY) not in i18n.LANGUAGES:
        st.session_state[LANGUAGE_KEY] = i18n.negotiate(st.context.headers.get("Accept-Language"))
    lang = st.session_state[LANGUAGE_KEY]
    i18n.set_language(lang)
    st.query_params["lang"] = lang
    st.session_state[_LANGUAGE_IN_URL] = lang
    if notice is None:
        return lang, None
    return lang, _("Ignored '{value}' from the link: not one of the languages here.").format(
        value=markdown_literal(f"lang={notice}")  # shown as Markdown: as typed, never a link
    )


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


def cache_key() -> tuple[str, str]:
    """(database path, state token): the first two arguments of every cached read."""
    token = st.session_state.get("frame_store_token") or store().state_token()
    return store_locator(), token


def page_filters() -> Filters:
    """The filters the shared frame set for this run; call first in every page."""
    if not getattr(_frame_run, "routed", False):  # run alone, without app.py: see above
        _leave_legacy_pages_mode()
        st.rerun()
    _frame_run.routed = False
    return st.session_state.get("frame_filters", Filters())


class _StoreMoved(Exception):
    """A load or a rollback committed after this run read the store's state token."""


def _still_at(path: str, token: str, result: Any) -> Any:
    """`result`, if the store is still at `token` after it was read; else _StoreMoved, which
    st.cache_data does not cache. Without this, a read that ran after a commit would be cached
    under the older token, and a page would show figures of two versions side by side."""
    if _store_for(path).state_token() != token:
        raise _StoreMoved
    return result


def _rerun_if_moved(read: Callable[[], Any]) -> Any:
    """`read()`, or a fresh run of the script if the store moved on since this run began:
    part of the page may already be drawn from the older state, so the whole run starts again."""
    try:
        return read()
    except _StoreMoved:
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(
    path: str, token: str, lang: str, module: str, name: str, args: tuple[Any, ...]
) -> Any:
    function = getattr(importlib.import_module(module), name)
    with i18n.using(lang):  # what a query writes in words is cached per language
        return _still_at(path, token, function(_store_for(path), *args))


def query(function: Callable[..., Any], *args: Any) -> Any:
    """`function(store, *args)`, cached on the store state and the (hashable) arguments.

    `function` must be a module-level function of the package whose first parameter is the store.
    """
    path, token = cache_key()
    return _rerun_if_moved(
        lambda: _cached_query(
            path, token, i18n.current(), function.__module__, function.__qualname__, args
        )
    )


def filter_choices() -> view_state.FilterChoices:
    return query(view_state.filter_choices)


def data_freshness() -> pd.DataFrame:
    return query(metrics.data_freshness)


@st.cache_data(show_spinner=False, max_entries=64)
def _snapshot(
    path: str,
    token: str,
    ui_lang: str,
    filters: Filters,
    lang: str,
    threshold: int,
    _state: content.StoreState,  # follows from (path, token): not hashed
) -> content.Snapshot:
    with i18n.using(ui_lang):
        built = content.build(
            _store_for(path), filters, lang=lang, threshold=threshold, rows=False, state=_state
        )
    return _still_at(path, token, built)


def snapshot_without_rows(filters: Filters, lang: str, threshold: int) -> content.Snapshot:
    """The export page's snapshot without the filtered rows; what no filter changes (sources,
    versions, the data's dates) comes from one cache entry for every filter."""
    path, token = cache_key()
    state = query(content.store_state)
    return _rerun_if_moved(
        lambda: _snapshot(path, token, i18n.current(), filters, lang, threshold, state)
    )


def show_chart(
    figure: go.Figure,
    data: pd.DataFrame,
    key: str,
    *,
    file_name: str,
    selectable: bool = False,
    summary: str = "",
) -> Any:
    """Draw a figure, then a 'view data' table of exactly the numbers drawn, with a CSV download.

    With `selectable`, clicking points reruns the app and the selection event is returned.
    `summary` (a Chart's text summary) is shown under the figure, for people who cannot see it.
    """
    selection: dict[str, Any] = {}
    if selectable:
        selection = {"on_select": "rerun", "selection_mode": ("points",)}
    if any(trace.type in ("scattergeo", "choropleth") for trace in figure.data):
        problem = countries.world_topology_problem()
        if problem:
            st.error(problem, icon=":material/map:")
    event = st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG, **selection)
    if summary:
        st.caption(summary)
    with st.expander(_("View data"), expanded=False, key=f"{key}_data_expander"):
        st.dataframe(data, key=f"{key}_data", hide_index=True)
        st.download_button(
            _("Download CSV"),
            data=functools.partial(csv_bytes, data),  # made when clicked, not at every run
            file_name=f"{file_name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
        )
    return event


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
) -> str:
    """A page's own single-choice control whose value lives in the URL as `param`.

    A valid value in the URL wins (a shared link); an invalid one is ignored with a notice.
    Without either, `default` (else the first option) is chosen.
    The value is written to the URL as soon as it changes, so 'Share this view' includes it.
    """
    in_url = st.query_params.get(param)
    if in_url is not None and in_url != st.session_state.get(f"{key}_url"):
        if in_url in options:
            st.session_state[key] = in_url
        else:
            st.warning(
                _("Ignored '{value}' from the link: not one of the choices here.").format(
                    value=markdown_literal(f"{param}={in_url}")
                )
            )
    if st.session_state.get(key) not in options:
        st.session_state[key] = default if default in options else options[0]

    def remember() -> None:
        st.query_params[param] = st.session_state[key]
        st.session_state[f"{key}_url"] = st.session_state[key]

    if widget == "radio":
        value = st.radio(
            label,
            options,
            key=key,
            format_func=format_func,
            horizontal=horizontal,
            on_change=remember,
        )
    elif widget == "segmented":
        value = (
            st.segmented_control(
                label, options, key=key, format_func=format_func, on_change=remember
            )
            or options[0]
        )
    else:
        value = st.selectbox(label, options, key=key, format_func=format_func, on_change=remember)
    st.query_params[param] = value
    st.session_state[f"{key}_url"] = value
    return value


def show_empty(what: str) -> None:
    """The message shown instead of a chart when the selection has nothing to draw."""
    st.info(
        _(
            "No {what} in the current selection. Widen the dates or clear some filters in the "
            "sidebar."
        ).format(what=_(what)),
        icon=":material/filter_alt_off:",
    )


# ---------------------------------------------------------------------------------------------
# Sign-in: who may upload, map and roll back (issue 4). Viewing stays open.
# With an OIDC provider in st.secrets [auth], st.login is used and roles come from
# [roles] (e.g. analysts = ["maria@example.org"]); otherwise the local accounts of
# crimjust_data.auth. The signed-in name is what a load records as loaded_by.

_AUTH_USER = "auth_user"  # session_state: the name signed in with a local account
_AUTH_BROWSER = "auth_browser"  # session_state: the browser that signed in (web_guard.browser_key)
_AUTH_SEEN = "auth_seen"  # session_state: time of the last run with this sign-in
_AUTH_FAILED = "auth_failed"  # session_state: the last local sign-in attempt failed
_AUTH_ENDED = "auth_ended"  # session_state: why a sign-in was ended (said once)


def _oidc_provider() -> tuple[bool, str | None]:
    """(configured, provider name for st.login; None for the default [auth] provider)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return False, None
        section = st.secrets.get("auth")
    except Exception:  # an unreadable secrets file means no OIDC; local sign-in reports it
        return False, None
    if not hasattr(section, "get"):
        return False, None
    if section.get("client_id"):
        return True, None
    for name, value in section.items():
        if hasattr(value, "get") and value.get("client_id"):
            return True, str(name)
    return False, None


def _oidc_has_role(email: str, role: str) -> bool:
    """True if [roles] in st.secrets lists `email` under `role` or its plural."""
    try:
        mapping = st.secrets.get("roles") or {}
    except Exception:
        return False
    listed = mapping.get(role) or mapping.get(f"{role}s") or []
    if isinstance(listed, str):
        listed = [listed]
    return email.casefold() in {str(entry).casefold() for entry in listed}


def _oidc_email() -> str | None:
    if not st.user.get("is_logged_in") or st.user.get("email_verified") is False:
        return None
    email = st.user.get("email")
    return str(email) if email else None


def _browser_key() -> str:
    """The browser this run's connection comes from (see web_guard.browser_key)."""
    return web_guard.browser_key(st.context.cookies.get(web_guard.XSRF_COOKIE))


def _end_sign_in(reason: str | None = None) -> None:
    web_guard.SIGNED_IN.forget(st.session_state.get(_AUTH_BROWSER, ""))
    for key in (_AUTH_USER, _AUTH_BROWSER, _AUTH_SEEN, _AUTH_FAILED):
        st.session_state.pop(key, None)
    if reason:
        st.session_state[_AUTH_ENDED] = reason


def _local_sign_in() -> str | None:
    """The name signed in on this session with a local account, while the sign-in holds.

    A session can be reopened by anyone who learns its id (Streamlit's reconnect), so the
    sign-in holds only for the browser that made it, and only while it is used: a run from
    another browser, or after the idle limit, ends it. Every run of app.py calls this, so
    browsing any page keeps a sign-in alive.
    """
    name = st.session_state.get(_AUTH_USER)
    if not name:
        return None
    browser = _browser_key()
    if st.session_state.get(_AUTH_BROWSER) != browser:
        _end_sign_in(
            _("You were signed out: this session was opened from another browser. Sign in again.")
        )
        return None
    now = time.time()
    idle = web_guard.idle_limit_seconds()
    if now - float(st.session_state.get(_AUTH_SEEN, 0.0)) > idle:
        _end_sign_in(
            _(
                "You were signed out after {minutes} minutes without activity. Sign in again."
            ).format(minutes=i18n.integer(round(idle / 60)))
        )
        return None
    st.session_state[_AUTH_SEEN] = now
    web_guard.SIGNED_IN.record(browser, name)
    return name


def current_analyst(role: str = "analyst") -> str | None:
    """The signed-in name if it holds `role`, else None. Draws nothing."""
    oidc = _oidc_provider()[0]
    if oidc:
        email = _oidc_email()
        return email if email and _oidc_has_role(email, role) else None
    name = _local_sign_in()
    if not name:
        return None
    try:
        account = auth.get_user(name)  # re-read: a removed account stops working at once
    except auth.AuthError:
        return None
    return name if auth.has_role(account, role) else None


def password_to_confirm(key: str) -> None:
    """The password box that confirms a change (local accounts: a reused session id alone,
    without the password, changes nothing). Nothing with an OIDC provider, whose sign-in
    Streamlit binds to the browser."""
    if not _oidc_provider()[0]:
        box, _rest = st.columns([1, 2])  # a password's width, not the page's
        box.text_input(
            _("Your password, to confirm"),
            key=key,
            type="password",
            autocomplete="current-password",
        )


def confirming_analyst(password_key: str, role: str = "analyst") -> tuple[str | None, str]:
    """In a confirm button's callback: (name, '') if this session's sign-in still holds `role`
    now and, with local accounts, the password typed in `password_key` is the account's;
    otherwise (None, why nothing was changed). The typed password is forgotten either way."""
    password = str(st.session_state.get(password_key, "") or "")
    if password_key in st.session_state:
        st.session_state[password_key] = ""
    name = current_analyst(role)
    if name is None:
        return None, _("You are no longer signed in as an analyst: nothing was changed.")
    if _oidc_provider()[0]:
        return name, ""
    if not password:
        return None, _("Type your password to confirm: nothing was changed.")
    try:
        account = auth.verify(name, password)
    except auth.AuthError as exc:
        return None, str(exc)
    if account is None or not auth.has_role(account, role):
        return None, _("Wrong password: nothing was changed.")
    return name, ""


def sign_out() -> None:
    """Forget this session's sign-in (and end the OIDC session when one is used)."""
    _end_sign_in()
    if _oidc_provider()[0] and st.user.get("is_logged_in"):
        st.logout()


def sign_out_button(key: str) -> None:
    """A 'Sign out' button, drawn only when someone is signed in."""
    oidc = _oidc_provider()[0]
    name = _oidc_email() if oidc else st.session_state.get(_AUTH_USER)
    if name:
        st.button(
            _("Sign out {name}").format(name=markdown_literal(name)),
            key=key,
            on_click=sign_out,
            icon=":material/logout:",
        )


def _sign_in() -> None:
    """Form callback: check the name and password, and forget the typed password."""
    name = str(st.session_state.get("auth_name", "")).strip()
    password = str(st.session_state.get("auth_password", ""))
    st.session_state["auth_password"] = ""
    try:
        account = auth.verify(name, password)
    except auth.AuthError as exc:
        st.session_state[_AUTH_FAILED] = markdown_literal(exc)
        return
    if account is None:
        st.session_state[_AUTH_FAILED] = _("Unknown name or wrong password.")
        return
    browser = _browser_key()
    st.session_state.pop(_AUTH_FAILED, None)
    st.session_state.pop(_AUTH_ENDED, None)
    st.session_state[_AUTH_USER] = account.name
    st.session_state[_AUTH_BROWSER] = browser
    st.session_state[_AUTH_SEEN] = time.time()
    web_guard.SIGNED_IN.record(browser, account.name)


def require_analyst(role: str = "analyst") -> str | None:
    """The signed-in name if it holds `role`; otherwise draw what is needed and return None.

    Not signed in: a sign-in form (local accounts) or a sign-in button (OIDC). Signed in
    without the role: a message saying so, and a sign-out button.
    """
    oidc, provider = _oidc_provider()
    if oidc:
        email = _oidc_email()
        if email is None:
            st.info(_("Sign in to upload, map or roll back data."), icon=":material/lock:")
            st.button(
                _("Sign in"),
                key="auth_oidc_login",
                on_click=st.login,
                args=(provider,) if provider else (),
                icon=":material/login:",
            )
            return None
        if _oidc_has_role(email, role):
            return email
        st.warning(
            _(
                "Signed in as {email}, but this needs the {role} role. Ask an administrator to "
                "add your address to [roles] {role}s in the app's secrets."
            ).format(email=markdown_literal(email), role=role),
            icon=":material/block:",
        )
        sign_out_button("auth_sign_out")
        return None

    name = _local_sign_in()
    if name:
        try:
            account = auth.get_user(name)
        except auth.AuthError as exc:
            st.error(
                _("Accounts cannot be checked: {error}").format(error=markdown_literal(exc)),
                icon=":material/error:",
            )
            return None
        if auth.has_role(account, role):
            return name
        if account is not None:
            st.warning(
                _(
                    "Signed in as {name}, but this needs the {role} role. Ask an administrator "
                    "to run `{command}`."
                ).format(
                    name=markdown_literal(name),
                    role=role,
                    command=f"python -m crimjust_data users add {name} --replace --role {role}",
                ),
                icon=":material/block:",
            )
            sign_out_button("auth_sign_out")
            return None
        _end_sign_in()  # the account was removed meanwhile

    try:
        accounts = auth.list_users()
    except auth.AuthError as exc:
        st.error(
            _("Sign-in is unavailable: {error}").format(error=markdown_literal(exc)),
            icon=":material/error:",
        )
        return None
    ended = st.session_state.pop(_AUTH_ENDED, None)
    if ended:
        st.warning(ended, icon=":material/lock_clock:")
    st.info(_("Sign in as an analyst to upload, map or roll back data."), icon=":material/lock:")
    if not accounts:
        st.warning(
            _(
                "No analyst accounts exist yet. On the server, create one with `{command}`, "
                "then sign in here."
            ).format(command=auth.ADD_COMMAND),
            icon=":material/person_add:",
        )
    with st.form("auth_form"):
        st.text_input(_("Name"), key="auth_name", autocomplete="username")
        st.text_input(
            _("Password"), key="auth_password", type="password", autocomplete="current-password"
        )
        st.form_submit_button(
            _("Sign in"),
            key="auth_submit",
            on_click=in_session_language(_sign_in),
            icon=":material/login:",
        )
    failure = st.session_state.pop(_AUTH_FAILED, None)
    if failure:
        st.error(failure, icon=":material/error:")
    return None


# ---------------------------------------------------------------------------------------------
# Program activities on a time axis (timelines, country profile): one control set, one list.
# The link holds codes (activities=off, act_type=training, act_partner=unodc), so it reads the
# same in every language.

_ACTIVITY_LISTS = {"act_type": ACTIVITY_TYPES, "act_partner": PARTNERS}


def activity_controls(page: str, help_text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """'Show activities' (on by default) with filters by type and partner, kept in the link;
    the chosen (types, partners), or None when activities are hidden. Keys start with `page`."""
    from crimjust_data.figures.activities import partner_label, type_label

    for param, allowed in _ACTIVITY_LISTS.items():
        in_url = st.query_params.get_all(param)
        if in_url != st.session_state.get(f"{page}_{param}_url", []):  # a shared link, a reload
            st.session_state[f"{page}_{param}"] = [c for c in dict.fromkeys(in_url) if c in allowed]
            for value in [c for c in in_url if c not in allowed]:
                st.warning(
                    _("Ignored '{value}' from the link: not one of the choices here.").format(
                        value=markdown_literal(f"{param}={value}")
                    ),
                    icon=":material/link_off:",
                )
    in_url = st.query_params.get("activities")
    if f"{page}_activities" not in st.session_state or in_url != st.session_state.get(
        f"{page}_activities_url"
    ):
        st.session_state[f"{page}_activities"] = in_url != "off"
    show_column, type_column, partner_column = st.columns(
        [1, 1.5, 1.5], vertical_alignment="bottom"
    )
    show = show_column.toggle(_("Show activities"), key=f"{page}_activities", help=help_text)
    chosen = {}
    for column, (param, allowed), label, names in zip(
        (type_column, partner_column),
        _ACTIVITY_LISTS.items(),
        (_("Activity type"), _("Partner")),
        (type_label, partner_label),
        strict=True,
    ):
        chosen[param] = column.multiselect(
            label,
            allowed,
            key=f"{page}_{param}",
            format_func=names,
            placeholder=_("All"),
            disabled=not show,
        )
        # control -> URL, so 'Share this view' and a reload keep it
        if chosen[param]:
            st.query_params[param] = chosen[param]
        else:
            st.query_params.pop(param, None)
        st.session_state[f"{page}_{param}_url"] = chosen[param]
    if show:
        st.query_params.pop("activities", None)
    else:
        st.query_params["activities"] = "off"
    st.session_state[f"{page}_activities_url"] = None if show else "off"
    return (tuple(chosen["act_type"]), tuple(chosen["act_partner"])) if show else None


def show_marked_activities(marked: pd.DataFrame | None, page: str) -> None:
    """Under a timeline: the activities it marks, or that none matches (nothing when hidden)."""
    from crimjust_data.figures.timelines import activities_table

    if marked is None:
        return
    if marked.empty:
        st.caption(
            _("No program activity of these types and partners in the places and dates shown.")
        )
        return
    table = activities_table(marked)
    with st.expander(
        _("Program activities marked ({n})").format(n=len(table)),
        icon=":material/event_note:",
        key=f"{page}_activities_shown",
    ):
        st.dataframe(table, key=f"{page}_activities_table", hide_index=True)
