"""The guard in front of Streamlit (crimjust_data.web_guard), at the ASGI level: which requests
and websocket messages reach Streamlit, for a browser signed in or not."""

from __future__ import annotations

import asyncio
import binascii
import os
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg

from crimjust_data.web_guard import XSRF_COOKIE, BrowserGuard, SignedInBrowsers, browser_key

LIMIT = 1000


def xsrf_cookie(secret: bytes) -> str:
    """Streamlit's cookie format: '2|mask|masked secret|timestamp', a new mask each time."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(secret))
    return f"2|{binascii.b2a_hex(mask).decode()}|{binascii.b2a_hex(masked).decode()}|1796000000"


def test_browser_key_names_the_secret_not_the_mask() -> None:
    secret, other = os.urandom(16), os.urandom(16)
    assert browser_key(xsrf_cookie(secret)) == browser_key(xsrf_cookie(secret))
    assert browser_key(xsrf_cookie(secret)) != browser_key(xsrf_cookie(other))
    assert browser_key(None) == browser_key("") == ""
    assert browser_key("2|zz|not hex|1") != ""  # an unknown format still names the cookie


def test_signed_in_browsers_lapse_when_idle_and_stay_bounded() -> None:
    now = [0.0]
    browsers = SignedInBrowsers(max_browsers=3, idle_seconds=lambda: 60.0, clock=lambda: now[0])
    browsers.record("a", "ana")
    now[0] = 59.0
    assert browsers.holds("a")
    browsers.record("a", "ana")  # activity
    now[0] = 118.0
    assert browsers.holds("a")
    now[0] = 200.0
    assert not browsers.holds("a")
    for key in "bcdefg":
        browsers.record(key, "x")
    assert len(browsers) == 3 and not browsers.holds("b") and browsers.holds("g")
    assert not browsers.holds("")  # no cookie, no sign-in


class Streamlit:
    """Stands for Streamlit behind the guard: records what reaches it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.messages: list[Any] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.requests.append(f"{scope.get('method', 'WS')} {scope['path']}")
        if scope["type"] == "websocket":
            while (message := await receive())["type"] == "websocket.receive":
                self.messages.append(BackMsg.FromString(message["bytes"]).WhichOneof("type"))
            return
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(guard: BrowserGuard, scope: dict[str, Any], incoming: list[dict[str, Any]]) -> list[Any]:
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return sent


def upload(cookie: str, length: int) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "PUT",
        "path": "/_stcore/upload_file/some-session/file-1",
        "headers": [
            (b"cookie", f"other=1; {XSRF_COOKIE}={cookie}".encode()),
            (b"content-length", str(length).encode()),
        ],
    }


def test_uploads_reach_streamlit_only_from_a_signed_in_browser_within_the_limit() -> None:
    streamlit, browsers = Streamlit(), SignedInBrowsers()
    guard = BrowserGuard(
        streamlit, back_message=BackMsg, upload_limit_bytes=lambda: LIMIT, signed_in=browsers
    )
    secret = os.urandom(16)
    status = [
        m["status"] for m in call(guard, upload(xsrf_cookie(secret), 10), []) if "status" in m
    ]
    assert status == [403] and not streamlit.requests
    browsers.record(browser_key(xsrf_cookie(secret)), "ana")
    status = [
        m["status"] for m in call(guard, upload(xsrf_cookie(secret), 10), []) if "status" in m
    ]
    assert status == [204] and len(streamlit.requests) == 1
    big = upload(xsrf_cookie(secret), LIMIT + 100 * 1024)
    assert [m["status"] for m in call(guard, big, []) if "status" in m] == [413]
    assert len(streamlit.requests) == 1


def test_clear_cache_reaches_streamlit_only_from_a_signed_in_browser() -> None:
    streamlit, browsers = Streamlit(), SignedInBrowsers()
    guard = BrowserGuard(
        streamlit, back_message=BackMsg, upload_limit_bytes=lambda: LIMIT, signed_in=browsers
    )
    secret = os.urandom(16)
    scope = {
        "type": "websocket",
        "path": "/_stcore/stream",
        "headers": [(b"cookie", f"{XSRF_COOKIE}={xsrf_cookie(secret)}".encode())],
    }
    clear, rerun = BackMsg(clear_cache=True), BackMsg()
    rerun.rerun_script.query_string = ""

    def frames() -> list[dict[str, Any]]:
        return [
            {"type": "websocket.receive", "bytes": m.SerializeToString()}
            for m in (rerun, clear, rerun)
        ]

    call(guard, scope, frames())
    assert streamlit.messages == ["rerun_script", "rerun_script"]
    browsers.record(browser_key(xsrf_cookie(secret)), "ana")
    streamlit.messages.clear()
    call(guard, scope, frames())
    assert streamlit.messages == ["rerun_script", "clear_cache", "rerun_script"]


def test_widget_states_for_ids_streamlit_never_gave_are_dropped() -> None:
    received: list[list[str]] = []

    async def streamlit(scope: Any, receive: Any, send: Any) -> None:
        while (message := await receive())["type"] == "websocket.receive":
            parsed = BackMsg.FromString(message["bytes"])
            received.append([w.id for w in parsed.rerun_script.widget_states.widgets])

    guard = BrowserGuard(streamlit, back_message=BackMsg, upload_limit_bytes=lambda: LIMIT)
    real = "$$ID-0db05a2d6ffb24a7480eb8c808d38f2d-frame_lang"
    rerun = BackMsg()
    for widget_id in (real, "random", "$$ID-", "$$WIDGET_ID-abc-frame_region"):
        rerun.rerun_script.widget_states.widgets.add(id=widget_id)
    scope = {"type": "websocket", "path": "/_stcore/stream", "headers": []}
    call(guard, scope, [{"type": "websocket.receive", "bytes": rerun.SerializeToString()}])
    assert received == [[real]]
