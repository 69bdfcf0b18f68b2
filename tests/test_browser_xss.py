"""In Debian's chromium: the protected pages reached by typed addresses and forged parameters
without signing in, and the XSS corpus (tests/xss_corpus.py) in uploaded files, stored data and
links, shown as text on every page, in the charts and in the HTML snapshot. The app's own log
is read afterwards for the passwords typed. (AppTest and export checks: tests/test_xss.py.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from crimjust_data import auth, demo, snapshot
from crimjust_data.snapshot.html import READY_ATTRIBUTE
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import _start_app, screenshot, wait_for_app
from tests.test_xss import MARKUP, hostile_seizures
from tests.xss_corpus import MARKERS, MARKUP_FROM_DATA, PAYLOADS

pytestmark = pytest.mark.browser

PASSWORD = "Correct-Horse-Battery-71"
WRONG_PASSWORD = "Wrong-Horse-Battery-72"
FILE_NAME = "[f](javascript:alert(1)) ![i](xss-file.png) <img src=xss-file2.png onerror=alert(1)>"
SOURCE = "<img src=xss-source.png onerror=alert('xss-source')>![s](xss-source-md.png)"
TITLE = "<svg onload=alert('xss-title')>[t](javascript:alert(1)) **bold** {{7*7}}"


@dataclass
class App:
    url: str
    database: Path
    log: Path
    versions: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def xss_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The app on demo data plus hostile seizures, a hostile activity and file names, with one
    analyst account; its whole output (at debug level) goes to a log file."""
    folder = tmp_path_factory.mktemp("browser_xss")
    database = folder / "xss.duckdb"
    data = demo.generate_demo(seed=5, seizures=600, cases=300)
    activities = data.activities.copy()
    activities.loc[activities.index[-1], ["title", "notes"]] = [TITLE, PAYLOADS[6]]
    store = DuckDBStore(database)
    store.load_many(
        [
            LoadRequest("seizures", data.seizures, data.source, FILE_NAME, synthetic=True),
            LoadRequest("cases", data.cases, data.source, "demo", synthetic=True),
            LoadRequest("activities", activities, SOURCE, FILE_NAME + ".xlsx"),
        ]
    )
    seizures = hostile_seizures().assign(source=SOURCE)
    store.load(LoadRequest("seizures", seizures, SOURCE, FILE_NAME + ".csv"), loaded_by="x")
    secrets = folder / "secrets.toml"
    auth.add_user("ana", PASSWORD, path=secrets)
    log = folder / "app.log"
    server, url = _start_app(
        database,
        {"CRIMJUST_SECRETS": str(secrets), "STREAMLIT_LOGGER_LEVEL": "debug"},
        log=log,
    )
    yield App(url, database, log)
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def watched(page: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """The page, every dialog it opened (alert, confirm, prompt) and every request it made."""
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    yield page, dialogs, requests


def assert_only_text(page: Any, dialogs: list[str], requests: list[str], where: str) -> None:
    assert page.evaluate(MARKUP_FROM_DATA, list(MARKERS)) == [], where
    assert dialogs == [], where
    # a request the corpus caused names it in its host or path (the page's own address may
    # carry it in its query: that is the link under test)
    caused = [
        r for r in requests if any(m in urlsplit(r).netloc + urlsplit(r).path for m in MARKERS)
    ]
    assert caused == [], where


def shown_text(page: Any) -> str:
    """The main area's text as read, without the invisible joiners that break bare links."""
    return page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")


def versions(database: Path) -> list[dict[str, Any]]:
    return [v.to_dict() for v in DuckDBStore(database).versions()]


# ---------------------------------------------------------------------------------------------
# Access: typed addresses and forged parameters, not signed in


TYPED = [
    "upload",
    "upload?page=upload&upload_go=true&upload_confirm=true&upload_table=seizures",
    "history?version=1&confirm=1&history_pending=1&history_confirm=true&auth_user=ana",
    "?page=history&rollback=1&history_confirm=true",
]
PROTECTED_CONTROLS = (
    "[data-testid='stFileUploader'], .st-key-upload_confirm, .st-key-upload_table, "
    ".st-key-history_rollback, .st-key-history_confirm, .st-key-history_version, "
    "[class*='st-key-upload_map_']"
)


def test_typed_addresses_show_no_protected_control(xss_app: App, page: Any) -> None:
    before = versions(xss_app.database)
    for path in TYPED:
        page.goto(xss_app.url + path)
        wait_for_app(page)
        assert page.locator(PROTECTED_CONTROLS).count() == 0, path
        if path.startswith(("upload", "history")):  # the sign-in form instead
            assert page.locator(".st-key-auth_password input[type='password']").count() == 1
        else:  # unknown parameters: the home page
            assert page.locator("[data-testid='stMetric']").count() > 0
    assert versions(xss_app.database) == before


# ---------------------------------------------------------------------------------------------
# Uploaded and linked text on the pages


def _query(**params: str | list[str]) -> str:
    return "?" + urlencode(params, doseq=True)


# Links with the corpus in their parameters, and with a stored source (named in captions).
PAGES = [
    ("", _query(source=[SOURCE], region=PAYLOADS[1], lang=PAYLOADS[5])),  # Home
    ("flows", _query(focus=PAYLOADS[2], source=[SOURCE])),
    ("timelines", _query(grain=PAYLOADS[0], country=PAYLOADS[4])),  # a page's own choice
    ("export", _query(source=[SOURCE])),
    ("activities", ""),  # the newest activity: the hostile one
]


def test_pages_show_uploaded_and_linked_text_as_text(
    xss_app: App, watched: tuple[Any, list[str], list[str]]
) -> None:
    page, dialogs, requests = watched
    for path, query in PAGES:
        where = path + query
        page.goto(xss_app.url + where)
        wait_for_app(page, settle_ms=700)
        assert_only_text(page, dialogs, requests, where)
        if "source=" in query:
            assert SOURCE in shown_text(page), where  # 'Showing: ...' names it, as typed
        if "region=" in query:  # the notice quotes the link
            sidebar = page.locator("[data-testid='stSidebar']").inner_text()
            assert f"region '{PAYLOADS[1]}'" in sidebar.replace("\u2060", ""), sidebar
        if path == "activities":
            assert TITLE in page.locator(".st-key-activity_choice input").input_value()
        # plotly builds hover labels (and any text in them) when the mouse is over a chart
        for chart in page.locator("[data-testid='stPlotlyChart'] .main-svg").all()[:3]:
            chart.scroll_into_view_if_needed()
            box = chart.bounding_box()
            for fraction in (0.3, 0.5, 0.7) if box else ():
                page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
                page.wait_for_timeout(100)
        assert_only_text(page, dialogs, requests, where + " (after hovering)")
        if path in ("", "activities"):
            screenshot(page, f"xss_{path or 'home'}")
        assert "Page not found" not in page.locator("body").inner_text(), where


# ---------------------------------------------------------------------------------------------
# An upload with the corpus in its name, headers and cells, by a signed-in analyst


def hostile_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["id", "fecha", "país", "droga", "kg", PAYLOADS[1], PAYLOADS[5]])
    for i, payload in enumerate(MARKUP):  # countries that resolve to nothing: reported
        writer.writerow([f"X{i}", "2021-02-03", payload, "cocaína", 12, payload, payload])
    return buffer.getvalue().encode()


def test_upload_roll_back_and_logs(xss_app: App, watched: tuple[Any, list[str], list[str]]) -> None:
    page, dialogs, requests = watched
    page.goto(xss_app.url + "upload")
    wait_for_app(page, selector=".st-key-auth_password")
    for password in (WRONG_PASSWORD, PASSWORD):
        page.locator(".st-key-auth_name input").fill("ana")
        page.locator(".st-key-auth_password input").fill(password)
        page.get_by_role("button", name="Sign in").click()
        wait_for_app(page)
    assert "Unknown name or wrong password" not in shown_text(page)
    page.locator(".st-key-upload_table [role='combobox']").click()
    page.get_by_role("option", name="Seizure events").click()
    wait_for_app(page)
    uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
    name = FILE_NAME + ".csv"
    uploader.set_input_files({"name": name, "mimeType": "text/csv", "buffer": hostile_csv()})
    wait_for_app(page, selector="text=Validation report")
    assert_only_text(page, dialogs, requests, "checked upload")
    text = shown_text(page)
    assert f"'{PAYLOADS[1]}' holds" in text and f"'{PAYLOADS[5]}' holds" in text  # mapping
    assert page.get_by_role("button", name="Confirm import").first.is_disabled()
    screenshot(page, "xss_upload_report")

    good = "id;fecha;país;droga;kg\nG1;2021-02-01;Perú;cocaína;10\n".encode()
    uploader.set_input_files({"name": name, "mimeType": "text/csv", "buffer": good})
    wait_for_app(page, selector="text=What would change")
    page.locator(".st-key-upload_password input").fill(PASSWORD)
    page.locator(".st-key-upload_password input").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Confirm import").first.click()
    wait_for_app(page, selector="text=Imported version")
    assert f"from {name}." in shown_text(page)
    assert_only_text(page, dialogs, requests, "imported")

    page.locator("[data-testid='stSidebarNav'] a", has_text="History").first.click()
    wait_for_app(page, selector=".st-key-history_rollback")
    page.locator(".st-key-history_rollback button").click()
    wait_for_app(page, selector=".st-key-history_confirm")
    assert name.lower() in shown_text(page)  # 'Roll back version N: ... from NAME (active)?'
    assert_only_text(page, dialogs, requests, "rollback question")
    screenshot(page, "xss_history_rollback")
    page.locator(".st-key-history_cancel button").click()
    wait_for_app(page)

    log = xss_app.log.read_text(errors="replace")
    assert len(log.splitlines()) > 100  # debug level: the server logged its every step
    for secret in (PASSWORD, WRONG_PASSWORD, "Horse-Battery"):
        assert secret not in log


# ---------------------------------------------------------------------------------------------
# The HTML snapshot of that data, opened in the browser


def test_html_snapshot_draws_the_corpus_as_text(
    xss_app: App, watched: tuple[Any, list[str], list[str]]
) -> None:
    page, dialogs, requests = watched
    report = snapshot.build(DuckDBStore(xss_app.database), threshold=0)
    page.set_content(snapshot.render(report, "html").decode("utf-8"), wait_until="load")
    page.wait_for_selector(f"html[{READY_ATTRIBUTE}]", timeout=60_000)
    assert page.get_attribute("html", READY_ATTRIBUTE) == "yes"
    charts = page.locator(".js-plotly-plot")
    assert charts.count() >= 3
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        if box:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(100)
    assert_only_text(page, dialogs, requests, "snapshot")
    assert SOURCE in page.locator("body").inner_text()
