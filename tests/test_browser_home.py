"""The home page in a real browser, with the network blocked (fixtures in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser


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
