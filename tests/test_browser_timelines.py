"""The Timelines page in a real browser, network blocked (fixtures in tests/conftest.py)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def wait_for_title(page, text: str) -> None:
    """Wait until plotly has drawn a chart whose title holds `text` (fails after 30 s)."""
    page.locator(".js-plotly-plot .gtitle").filter(has_text=text).first.wait_for(timeout=30_000)


def selected_grain(page) -> str:
    active = ".st-key-timelines_grain [aria-checked='true']"
    return page.locator(active).inner_text().strip()


def test_timelines_draws_and_keeps_the_grain_in_the_url(page, app_url: str) -> None:
    page.goto(app_url + "timelines")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().startswith("Timelines")
    wait_for_title(page, "per quarter")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1
    # plotly drew stacked bars and the rolling-average line, not empty axes
    assert page.locator(".js-plotly-plot .bars .point").count() >= 48  # >= 48 quarters
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 1
    # no official totals in this store: the page says how to load them
    assert "python -m crimjust_data import" in page.locator("[data-testid='stMain']").inner_text()
    screenshot(page, "timelines_quarter")

    page.locator(".st-key-timelines_grain button", has_text="Year").click()
    page.wait_for_url(re.compile(r"grain=year"))
    wait_for_app(page)
    wait_for_title(page, "per year")
    assert selected_grain(page) == "Year"
    url = page.url

    page.reload()
    wait_for_app(page)
    assert "grain=year" in page.url and selected_grain(page) == "Year"

    page.goto(app_url)  # elsewhere, then back through the shared link
    wait_for_app(page)
    page.goto(url)
    wait_for_app(page)
    assert "grain=year" in page.url and selected_grain(page) == "Year"
    wait_for_title(page, "per year")
    screenshot(page, "timelines_year")


def test_timelines_both_measures_by_country_monthly(page, app_url: str) -> None:
    page.goto(app_url + "timelines?grain=month&by=country&measure=both")
    wait_for_app(page)
    wait_for_title(page, "Cocaine seized per month, by country")
    wait_for_title(page, "Number of seizure events per month, by country")
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert "Other countries" in legend
    # the spike rule marks at least one month of the demo's kg series, with a text label
    assert page.locator(".js-plotly-plot .scatterlayer .trace .textpoint").count() >= 1
    screenshot(page, "timelines_month_country_both")


def test_timelines_official_totals_beside_events(page, app_url_unodc: str) -> None:
    page.goto(app_url_unodc + "timelines?grain=year&region=west_africa")
    wait_for_app(page)
    wait_for_title(page, "Official UNODC annual totals")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 2
    official = page.locator("[data-testid='stPlotlyChart']").nth(1)
    # two bars per year (official, events), with the share labels drawn
    assert official.locator(".bars .point").count() >= 10
    assert official.locator(".bars .bartext").count() >= 5
    screenshot(page, "timelines_official")
