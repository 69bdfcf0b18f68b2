"""What the web server refuses before Streamlit sees it, and the browsers that may write.

Streamlit lets any client reconnect to a session by its id, which travels in every upload URL
(`/_stcore/upload_file/<session id>/<file id>`) and so reaches proxy logs; it accepts uploads
from any session, signed in or not; and it empties every session's caches when any client sends
its clear-cache message. A session therefore does not say who is at the keyboard; a browser does:
Streamlit's XSRF cookie holds a random secret per browser that no URL carries and that the
websocket and every upload present. A sign-in is bound to that secret (`browser_key`), and:

- `SignedInBrowsers` remembers which browsers hold an analyst sign-in, and since when they were
  last active (the app records it on each run; a sign-in idle longer than its limit lapses);
- `BrowserGuard`, an ASGI middleware given to Streamlit's app object (app.py), refuses uploads
  from a browser without a current analyst sign-in or above the app's size limit, and drops the
  clear-cache message from such a browser.

This module does not import streamlit: app.py passes Streamlit's BackMsg class in.
"""

from __future__ import annotations

import binascii
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's double-submit cookie (server.enableXsrfProtection)
DEFAULT_IDLE_MINUTES = 30.0
_UPLOAD_PATH = "/_stcore/upload_file/"
_STREAM_PATH = "/_stcore/stream"
# The ids Streamlit gives widgets ('$$ID-<md5>-<key>'): a state sent for any other id is forged,
# and Streamlit answers it with a KeyError in the sender's session.
_WIDGET_ID = re.compile(r"\$\$ID-[0-9a-f]{32}-")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_log = logging.getLogger(__name__)


def idle_limit_seconds() -> float:
    """How long a sign-in lasts without activity: CRIMJUST_SIGNIN_IDLE_MINUTES (default 30)."""
    raw = os.environ.get("CRIMJUST_SIGNIN_IDLE_MINUTES", "").strip()
    try:
        minutes = float(raw) if raw else DEFAULT_IDLE_MINUTES
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    if not 0 < minutes < float("inf"):  # a typo must not make sign-ins last for ever
        minutes = DEFAULT_IDLE_MINUTES
    return minutes * 60.0


def browser_key(cookie: object) -> str:
    """A digest of the secret in Streamlit's XSRF cookie ('' when there is none).

    The cookie is re-issued on each page load with a new mask over the same secret
    ('2|mask|masked token|timestamp'), so the secret, not the cookie's text, names the browser.
    """
    if not isinstance(cookie, str) or not cookie:
        return ""
    secret = cookie.encode("utf-8", "replace")
    parts = cookie.split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = binascii.a2b_hex(parts[1]), binascii.a2b_hex(parts[2])
        except (binascii.Error, ValueError):
            pass
        else:
            if mask:
                secret = bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked))
    return hashlib.sha256(b"crimjust-browser\0" + secret).hexdigest()


class SignedInBrowsers:
    """Browsers holding an analyst sign-in in this process: browser key -> (name, last active).

    Bounded: past `max_browsers` the longest idle entry goes (its sign-in then stops allowing
    uploads until that browser's next run records it again). Thread-safe.
    """

    def __init__(
        self,
        max_browsers: int = 10_000,
        *,
        idle_seconds: Callable[[], float] = idle_limit_seconds,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_browsers = max_browsers
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._seen: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, key: str, name: str) -> None:
        """`key`'s browser is signed in as `name` and active now."""
        if not key:
            return
        with self._lock:
            self._seen[key] = (name, self.clock())
            self._seen.move_to_end(key)
            while len(self._seen) > self.max_browsers:
                self._seen.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)

    def holds(self, key: str) -> bool:
        """True if `key`'s browser holds a sign-in that has not been idle past the limit."""
        if not key:
            return False
        with self._lock:
            entry = self._seen.get(key)
            if entry is None:
                return False
            if self.clock() - entry[1] > self.idle_seconds():
                del self._seen[key]
                return False
            return True

    def __len__(self) -> int:
        return len(self._seen)


SIGNED_IN = SignedInBrowsers()


def _cookie(scope: Scope, name: str) -> str | None:
    for header, value in scope.get("headers", ()):
        if header.lower() != b"cookie":
            continue
        for pair in value.decode("latin-1").split(";"):
            key, _, cookie = pair.strip().partition("=")
            if key == name:
                return cookie.strip().strip('"')
    return None


def _content_length(scope: Scope) -> int | None:
    for header, value in scope.get("headers", ()):
        if header.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BrowserGuard:
    """ASGI middleware in front of Streamlit (see the module's docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        back_message: Any,
        upload_limit_bytes: Callable[[], int],
        signed_in: SignedInBrowsers = SIGNED_IN,
    ) -> None:
        self.app = app
        self.back_message = back_message  # streamlit.proto.BackMsg_pb2.BackMsg
        self.upload_limit_bytes = upload_limit_bytes
        self.signed_in = signed_in

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and _UPLOAD_PATH in path and scope.get("method") == "PUT":
            if not self.signed_in.holds(browser_key(_cookie(scope, XSRF_COOKIE))):
                await _refuse(send, 403, "Sign in as an analyst to upload files.")
                return
            length = _content_length(scope)
            if length is not None and length > self.upload_limit_bytes() + 64 * 1024:
                await _refuse(send, 413, "The file is larger than the upload limit.")
                return
        elif scope["type"] == "websocket" and path.endswith(_STREAM_PATH):
            receive = self._checked(browser_key(_cookie(scope, XSRF_COOKIE)), receive)
        await self.app(scope, receive, send)

    def _checked(self, key: str, receive: Receive) -> Receive:
        """`receive` that drops the clear-cache message unless the browser is signed in, and
        widget states for ids Streamlit never gave out."""

        async def guarded() -> Message:
            while True:
                message = await receive()
                data = message.get("bytes") if message.get("type") == "websocket.receive" else None
                if not data:
                    return message
                try:
                    parsed = self.back_message.FromString(data)
                except Exception:  # not a BackMsg: Streamlit itself closes such a connection
                    return message
                kind = parsed.WhichOneof("type")
                if kind == "clear_cache" and not self.signed_in.holds(key):
                    _log.warning("Refused a clear-cache message from a browser not signed in")
                    continue
                if kind == "rerun_script":
                    states = parsed.rerun_script.widget_states.widgets
                    kept = [state for state in states if _WIDGET_ID.match(state.id)]
                    if len(kept) < len(states):
                        _log.warning("Dropped %d forged widget states", len(states) - len(kept))
                        del states[:]
                        states.extend(kept)
                        message = {**message, "bytes": parsed.SerializeToString()}
                return message

        return guarded
