"""Shared fixtures: temporary stores and tiny canonical frames with known answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from crimjust_data import auth
from crimjust_data.store import DuckDBStore, Store, open_store
from tests import pg_server

SHARED_UNODC = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "unodc"
    / "drug_seizures_2018_2022.xlsx"
)


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database file, also set as CRIMJUST_DB for code that opens the default store."""
    path = tmp_path / "store" / "test.duckdb"
    monkeypatch.setenv("CRIMJUST_DB", str(path))
    return path


def locator(store: Store) -> str:
    """What `open_store` takes to open `store` again (a URL or a file path)."""
    return str(getattr(store, "url", None) or store.path)  # type: ignore[attr-defined]


def reopen(store: Store) -> Store:
    """The same store opened afresh, as another process or a restart would."""
    return open_store(locator(store))


# ---------------------------------------------------------------------------------------------
# PostgreSQL: one throwaway server per test run, one schema per test. The store and metrics
# tests take the `store` fixture, which runs each of them on both backends.


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server: CRIMJUST_TEST_DATABASE_URL, else one started here.

    Without PostgreSQL the tests that need it fail in CI (the suite would be hollow without
    them) and are skipped elsewhere, with the reason.
    """
    configured = os.environ.get("CRIMJUST_TEST_DATABASE_URL", "").strip()
    if configured:
        yield configured
        return
    try:
        server = pg_server.start()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc} (make test installs it as root)")
    try:
        yield server.url
    finally:
        server.stop()


def schema_url(server_url: str, schema: str) -> str:
    """`server_url` with every connection's search_path set to `schema`."""
    separator = "&" if "?" in server_url else "?"
    return f"{server_url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema of their own (dropped afterwards)."""
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    yield schema_url(postgres_server, schema)
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["duckdb", "postgres"])
def store(request: pytest.FixtureRequest, store_path: Path) -> Iterator[Store]:
    """An empty store on each backend (the DuckDB one is also CRIMJUST_DB)."""
    if request.param == "duckdb":
        yield DuckDBStore(store_path)
        return
    from crimjust_data.store.postgres_store import PostgresStore

    url = request.getfixturevalue("postgres_url")
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("CRIMJUST_DATABASE_URL", url)  # the app under test opens this one
    opened = PostgresStore(url)
    yield opened
    opened.close()


ANALYST_PASSWORD = "correct horse battery"


@pytest.fixture
def analyst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An analyst account 'ana' (password ANALYST_PASSWORD) in a fresh accounts file, with
    sign-in attempts not slowed down."""
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setenv("CRIMJUST_SECRETS", str(secrets))
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle(sleep=lambda _: None))
    auth.add_user("ana", ANALYST_PASSWORD, path=secrets)
    return "ana"


def seizures_frame(rows: list[tuple[str, str, str, str, float, str | None]]) -> pd.DataFrame:
    """(seizure_id, date, country, drug, kg, conveyance) rows as a canonical seizures frame."""
    return pd.DataFrame(
        {
            "seizure_id": [r[0] for r in rows],
            "date": [r[1] for r in rows],
            "country_iso3": [r[2] for r in rows],
            "drug": [r[3] for r in rows],
            "quantity_kg": [r[4] for r in rows],
            "conveyance": [r[5] for r in rows],
            "source": "test fixture",
        }
    )


def cases_frame(rows: list[tuple]) -> pd.DataFrame:
    """(case_id, country, seizure_id, opened, charged, verdict, outcome) rows as cases."""
    columns = [
        "case_id",
        "country_iso3",
        "seizure_id",
        "opened_date",
        "charged_date",
        "verdict_date",
        "outcome",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(source="test fixture", defendants=1)


# ---------------------------------------------------------------------------------------------
# Browser tests: the app started as users start it, Debian's chromium, the network blocked.

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots to look at (git-ignored)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No sandbox (root in CI), no GPU, and nothing of chromium's own that would call home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason="Debian's chromium is not installed (`make test` installs it when run as root)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_app(
    database: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free local port with `database` (and any extra `env`);
    its output goes to the file `log` when given."""
    port = _free_port()
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env={**os.environ, "CRIMJUST_DB": str(database), **(env or {})},
        stdout=output,
        stderr=output,
    )
    if log is not None:
        output.close()  # the server holds its own copy
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    pytest.fail("the app did not start within 60 s")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a fresh store (demo data seeded on first visit)."""
    server, url = _start_app(tmp_path_factory.mktemp("browser") / "demo.duckdb")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def app_url_unodc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on demo data plus the real UNODC export (skipped when ../shared is absent)."""
    if not SHARED_UNODC.exists():
        pytest.skip("the UNODC export in ../shared/data/unodc is not beside the repo")
    from crimjust_data.ingest.pipeline import import_file, load_demo

    database = tmp_path_factory.mktemp("browser_unodc") / "unodc.duckdb"
    store = DuckDBStore(database)
    load_demo(store)
    assert import_file(store, SHARED_UNODC).ok
    server, url = _start_app(database)
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def page() -> Iterator[Any]:
    """A chromium page that may reach only this machine; fails the test if it tried more."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1600})

        def only_local(route: Any) -> None:
            url = route.request.url
            host = url.split("/")[2].rsplit(":", 1)[0] if "://" in url else ""
            if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        context.route("**/*", only_local)
        yield context.new_page()
        browser.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"


# The script has finished a run, the browser is connected, nothing on the page is left from
# an earlier run (Streamlit marks those data-stale while a run replaces them), no element is
# still waiting for its lazily loaded code (a skeleton: plotly's is large and comes late on a
# fresh browser), and every plotly chart has drawn its svg.
APP_SETTLED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED'
    && !!document.querySelector("[data-testid='stMain'] [data-testid='stElementContainer']")
    && !document.querySelector("[data-testid='stElementContainer'][data-stale='true']")
    && !document.querySelector("[data-testid='stSkeleton']")
    && [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(
      (chart) => !!chart.querySelector('.main-svg'))
}"""


def wait_for_app(page: Any, settle_ms: int = 1500, selector: str | None = None) -> None:
    """Wait until the app is settled (see APP_SETTLED), `selector` (if given) is on the page,
    plotly has drawn, and the app is still settled after `settle_ms`; fail on an exception box.
    A fresh server's first visit seeds the demo and reruns, so one settled moment is not enough:
    the check repeats until two in a row, `settle_ms` apart, agree."""
    deadline = time.monotonic() + 120
    while True:
        remaining_ms = max(1_000, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(APP_SETTLED, timeout=remaining_ms)
        if selector:
            page.wait_for_selector(selector, timeout=remaining_ms)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(APP_SETTLED) or time.monotonic() > deadline:
            break
    assert page.evaluate(APP_SETTLED), "the app never settled within 120 s"
    assert page.locator("[data-testid='stException']").count() == 0


def map_country_paths(page: Any) -> int:
    """Filled country shapes of a choropleth inside plotly's geo layer: one per country with
    data (a blank map draws none, though it still shows its colour bar)."""
    return page.locator(".js-plotly-plot .geo .choroplethlocation").count()


def map_land_outline_length(page: Any) -> int:
    """Length of the land outline plotly drew from the topology on the first map (0 when the
    topology did not load: lines over an empty ocean are all such a map would show)."""
    return int(
        page.evaluate(
            "() => { const p = document.querySelector('.js-plotly-plot .geo .layer.land path');"
            " return p ? (p.getAttribute('d') || '').length : 0 }"
        )
    )


def screenshot(page: Any, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its own container, so the viewport is grown
    to the content's height first (and put back after)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stMainBlockContainer]')].map(e => e.scrollHeight), 0)"
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height, 600), 12000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


# ---------------------------------------------------------------------------------------------
# AppTest: pages reached through the router, as a user reaches them.

APP = str(ROOT / "app.py")


def open_data_tables(app: Any) -> Any:
    """Open every chart's 'View data' expander (they are filled only while open) and run."""
    keys = [key for key in app.session_state if str(key).endswith("_data_expander")]
    if keys:
        for key in keys:
            app.session_state[key] = True
        app.run()
        assert not app.exception, [e.value for e in app.exception]
    return app


def run_page(
    page_path: str,
    query: dict[str, str | list[str]] | None = None,
    timeout: float = 120,
    *,
    tables: bool = True,
) -> Any:
    """Run app.py (optionally with URL query parameters), switch to `page_path`, run again;
    with `tables`, open the charts' 'View data' tables as a reader would (one more run)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    if page_path != "pages/home.py":
        app.switch_page(page_path)
        app.run()
        assert not app.exception, [e.value for e in app.exception]
    return open_data_tables(app) if tables else app
