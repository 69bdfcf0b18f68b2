"""Attacks on a signed-in session through Streamlit itself (issue 17, items 1, 3, 8 and 9).

A real server (`streamlit run app.py`, so Streamlit's app object with crimjust_data.web_guard in
front), a real browser for the analyst, and for the attacker a websocket client that speaks
Streamlit's protocol (tests/st_client.py) or plain HTTP requests:

- the analyst's session id is read where a proxy log would show it (the upload URL), and the
  attacker reopens that session by its id, while she is connected and after she left, and tries
  to roll back a version: nothing changes, and the reopened session is not signed in;
- the attacker, never signed in, uploads to the upload endpoint: refused, nothing held;
- the attacker sends Streamlit's clear-cache message: dropped;
- an account removed between the drawing of the rollback button and its click changes nothing.
"""

from __future__ import annotations

import re
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from crimjust_data import auth
from crimjust_data.store import DuckDBStore
from tests.conftest import ROOT, _start_app, wait_for_app
from tests.st_client import Render, Session

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
SMALL_CSV = "Número;Fecha;País;Droga;Cantidad (g)\nAT-1;03/02/2021;Colombia;cocaína;1500\n"
UPLOAD_ROUTE = re.compile(r"/_stcore/upload_file/([^/]+)/")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, Path, Path]]:
    """(url, store file, accounts file, server log) of a fresh app with the analyst 'ana'."""
    secrets = tmp_path / "secrets.toml"
    auth.add_user("ana", PASSWORD, path=secrets)
    database, log = tmp_path / "attack.duckdb", tmp_path / "server.log"
    process, url = _start_app(database, {"CRIMJUST_SECRETS": str(secrets)}, log=log)
    yield url.rstrip("/"), database, secrets, log
    process.terminate()
    process.wait(timeout=20)


def _sign_in(page: Any, url: str, path: str, ready: str) -> None:
    """Open `path`, sign in as 'ana' in the form it shows, and wait for `ready`."""
    page.goto(f"{url}/{path}")
    wait_for_app(page, selector=".st-key-auth_name input")
    page.locator(".st-key-auth_name input").fill("ana")
    page.locator(".st-key-auth_password input").fill(PASSWORD)
    page.locator(".st-key-auth_submit button").click()
    wait_for_app(page, selector=ready)


def _sign_in_and_pick_a_file(page: Any, url: str) -> str:
    """The analyst signs in on Upload and picks a file; returns her session id, as the upload
    request's URL shows it (what a proxy logs)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.extend(UPLOAD_ROUTE.findall(r.url)))
    _sign_in(page, url, "upload", "[data-testid='stFileUploader']")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        {"name": "pequeno.csv", "mimeType": "text/csv", "buffer": SMALL_CSV.encode()}
    )
    wait_for_app(page, selector=".st-key-upload_confirm")
    assert seen, "the upload request was not seen"
    return seen[0]


def _try_rollback(attacker: Session) -> Render:
    """As far as a session lets one go: History, pick the newest version, roll back, confirm
    (with no password: the attacker does not know it)."""
    attacker.run()  # the session's current page; the app's pages become known
    render = attacker.run(page="history")
    assert render.page == "history"
    for key in ("history_rollback", "history_confirm"):
        if not attacker.click(render, key):
            break
        render = attacker.run(page="history")
    return render


def _keys(render: Render) -> set[str]:
    keys = set()
    for element in render.elements.values():
        kind = element.WhichOneof("type")
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        if isinstance(widget_id, str) and "-" in widget_id:
            keys.add(widget_id.rsplit("-", 1)[-1])
    return keys


@pytest.mark.parametrize("when", ["while she is connected", "3 s after she left"])
def test_a_reopened_session_id_carries_no_sign_in(
    server: tuple[str, Path, Path, Path], page: Any, when: str
) -> None:
    url, database, _secrets, _log = server
    session_id = _sign_in_and_pick_a_file(page, url)
    if when != "while she is connected":
        page.goto("about:blank")
        page.wait_for_timeout(3000)
    before = [v.to_dict() for v in DuckDBStore(database).versions()]
    with Session(url, reconnect_to=session_id) as attacker:
        render = _try_rollback(attacker)
    after = [v.to_dict() for v in DuckDBStore(database).versions()]
    assert after == before, "the attacker rolled a version back"
    assert not render.problems, render.problems
    keys = _keys(render)
    assert "history_confirm" not in keys and "history_rollback" not in keys, keys
    assert "auth_name" in keys  # the sign-in form: the session is not signed in any more


def _multipart(name: str, body: bytes) -> tuple[bytes, str]:
    boundary = "----crimjust-attack"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + body + f"\r\n--{boundary}--\r\n".encode(), boundary


def test_a_visitor_never_signed_in_cannot_upload(server: tuple[str, Path, Path, Path]) -> None:
    """With all a visitor has (the page's XSRF cookie and its own session), an upload to
    its own session is refused before Streamlit holds any of it."""
    url, _database, _secrets, _log = server
    # The browser's first request sets the cookie: Streamlit's health check.
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]  # _streamlit_xsrf=...
    token = cookie.partition("=")[2]
    with Session(url, cookie=cookie) as visitor:
        visitor.run()
        body, boundary = _multipart("big.csv", b"a;b\n" * 8_000)
        request = urllib.request.Request(
            f"{url}/_stcore/upload_file/{visitor.session_id}/attack-1",
            data=body,
            method="PUT",
            headers={
                "Cookie": cookie,
                "X-Xsrftoken": token,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403


def test_streamlit_upload_limit_is_the_apps() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    from crimjust_data.ingest.pipeline import DEFAULT_MAX_UPLOAD_MB

    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_UPLOAD_MB  # one limit, not two


def test_clear_cache_from_a_visitor_is_dropped(server: tuple[str, Path, Path, Path]) -> None:
    url, _database, _secrets, log = server
    with Session(url) as visitor:
        visitor.run()
        message = BackMsg()
        message.clear_cache = True
        visitor.send(message)
        assert not visitor.run().problems
    assert "Refused a clear-cache message" in log.read_text(errors="replace")


def test_a_removed_account_cannot_confirm_a_rollback(
    server: tuple[str, Path, Path, Path], page: Any
) -> None:
    url, database, secrets, _log = server
    _sign_in(page, url, "history", ".st-key-history_rollback")
    page.locator(".st-key-history_rollback button").click()
    wait_for_app(page, selector=".st-key-history_confirm")
    page.locator(".st-key-history_password input").fill(PASSWORD)
    text = secrets.read_text()
    secrets.write_text(text.split("[analysts.ana]")[0])  # the administrator removes 'ana'
    before = [v.to_dict() for v in DuckDBStore(database).versions()]
    page.locator(".st-key-history_confirm button").click()
    wait_for_app(page)
    assert [v.to_dict() for v in DuckDBStore(database).versions()] == before
    assert page.locator(".st-key-auth_name input").count() == 1  # signed out, asked again


def test_forged_widget_states_raise_nothing(server: tuple[str, Path, Path, Path]) -> None:
    """Widget states for ids the server never gave out are dropped before Streamlit reads
    them (it answered them with a KeyError); a value of the wrong type for a real widget gets
    one sentence, never an exception."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    url, _database, _secrets, _log = server
    with Session(url) as forger:
        render = forger.run()
        for forged in ("random", "$$ID-", "$$WIDGET_ID-abc-frame_region"):
            state = WidgetState(id=forged)
            state.string_array_value.data[:] = ["x"]
            forger.widgets[forged] = state
            assert forger.run().problems == [], forged
            forger.widgets.pop(forged, None)
        (region,) = [
            e.multiselect.id
            for _, e in render.of_type("multiselect")
            if "region" in e.multiselect.id
        ]
        forger.widgets[region] = WidgetState(id=region, int_value=5)
        problems = forger.run().problems
    assert problems and all(p.startswith("error: This page could not be drawn") for p in problems)
