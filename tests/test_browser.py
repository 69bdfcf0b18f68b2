"""The dashboard in a real browser (Debian's chromium via Playwright), with the network blocked.

The app runs as users run it (`streamlit run app.py`) on a free local port with a temporary
store; every request to a non-local address is aborted and recorded, and the test fails if any
was attempted. Screenshots go to tests/artifacts/ (git-ignored) to be looked at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (make test installs it when run as root)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    database = tmp_path_factory.mktemp("browser") / "browser.duckdb"
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
        env={**os.environ, "CRIMJUST_DB": str(database)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("the app did not start within 60 s")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def page(app_url: str):
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1600})

        def only_local(route) -> None:
            host = route.request.url.split("/")[2].rsplit(":", 1)[0]
            if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        page.blocked = blocked  # type: ignore[attr-defined]
        yield page
        browser.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"


def wait_for_app(page) -> None:
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000
    )
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    page.wait_for_timeout(1500)  # let plotly finish drawing


def test_home_page_renders_offline(page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "CRIMJUST interdiction dashboard" in page.locator("h1").first.inner_text()
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert {"Cocaine seized", "Seizure events", "Cases opened", "Prosecution rate"} <= set(labels)
    assert "Synthetic data" in page.locator("[data-testid='stAlert']").first.inner_text()
    charts = page.locator("[data-testid='stPlotlyChart']")
    assert charts.count() == 2
    # plotly drew its bars and markers, not only empty axes
    assert page.locator(".js-plotly-plot .bars .point").count() >= 5
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 10
