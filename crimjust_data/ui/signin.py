"""Sign-in: who may upload, map and roll back (issue 4). Viewing stays open.

With an OIDC provider in st.secrets [auth], st.login is used and roles come from [roles]
(e.g. analysts = ["maria@example.org"]); otherwise the local accounts of crimjust_data.auth.
The signed-in name is what a load records as loaded_by.
"""

from __future__ import annotations

import time

import streamlit as st

from crimjust_data import auth, i18n, web_guard
from crimjust_data.i18n import _
from crimjust_data.safe_text import markdown_literal
from crimjust_data.ui.language import in_session_language

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


def local_sign_in() -> str | None:
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


def _analyst(role: str = "analyst") -> str | None:
    """The signed-in name if it holds `role`, else None. Draws nothing."""
    oidc = _oidc_provider()[0]
    if oidc:
        email = _oidc_email()
        return email if email and _oidc_has_role(email, role) else None
    name = local_sign_in()
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
    name = _analyst(role)
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

    name = local_sign_in()
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
