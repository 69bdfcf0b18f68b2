"""The Justice outcomes page in a real browser, network blocked (fixtures in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, screenshot, wait_for_app

pytestmark = pytest.mark.browser

PLOT = ".js-plotly-plot"


def _chart(page, title: str):
    """The plotly chart whose title starts with `title` (within the title's first line: plotly
    draws each line apart, and the text joins them without a space)."""
    return page.locator("[data-testid='stPlotlyChart']").filter(
        has=page.locator(".gtitle", has_text=title)
    )


def _look_at_each_chart(page) -> None:
    """One screenshot per chart (the full page is taller than any viewport)."""
    for i, chart in enumerate(page.locator("[data-testid='stPlotlyChart']").all()):
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(ARTIFACTS / f"justice_chart_{i + 1}.png"))


def test_justice_page_draws_its_charts_offline(page, app_url: str) -> None:
    page.goto(app_url + "justice")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Justice outcomes"
    assert page.locator("[data-testid='stPlotlyChart']").count() == 5
    # plotly drew marks, not only axes: funnels, Kaplan-Meier step lines, rate markers with
    # error bars
    assert page.locator(f"{PLOT} .funnellayer .point").count() >= 15  # >= 3 regions x 5 stages
    curves = _chart(page, "Share of charged cases still awaiting")
    assert curves.count() == 1
    assert curves.locator(".scatterlayer .js-line").count() >= 3  # one curve per region
    legend = " ".join(curves.locator(".legendtext").all_text_contents())
    assert "Latin America (n = " in legend
    assert page.locator(f"{PLOT} .scatterlayer .point").count() >= 40  # countries and groups
    assert page.locator(f"{PLOT} .errorbar").count() >= 40
    funnel = _chart(page, "Attrition")
    assert funnel.count() == 1
    titles = funnel.locator(".annotation-text").all_text_contents()
    # names and stages broken into short lines for a phone's width
    assert any("Latin" in t for t in titles) and any("West Africa" in t for t in titles)
    stages = " ".join(funnel.locator(".ytick").all_text_contents())
    assert "Closed before" in stages and "Court outcome" in stages
    countries = _chart(page, "Prosecution rate by country")
    assert "low n" in " ".join(countries.locator(".ytick").all_text_contents())
    alerts = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    assert "Association, not effect" in alerts
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 6600})  # the whole page in one picture
    wait_for_app(page, settle_ms=800)
    screenshot(page, "justice")
    _look_at_each_chart(page)


def test_rate_choice_and_region_filter_go_to_the_url(page, app_url: str) -> None:
    page.goto(app_url + "justice")
    wait_for_app(page)
    page.locator("[data-testid='stRadio']").get_by_text("Conviction rate", exact=True).click()
    wait_for_app(page)
    assert "rate=conviction" in page.url
    assert _chart(page, "Conviction rate by country").count() == 1

    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="West Africa").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert "region=west_africa" in page.url and "rate=conviction" in page.url
    funnel_titles = _chart(page, "Attrition").locator(".annotation-text").all_text_contents()
    assert any("West Africa" in t for t in funnel_titles)
    assert not any("Latin America" in t for t in funnel_titles)
    assert page.locator(f"{PLOT} .funnellayer .point").count() == 5  # one region, five stages

    page.goto(page.url)  # a reload, or a colleague opening the link
    wait_for_app(page)
    assert "West Africa" in page.locator("[data-testid='stSidebar']").inner_text()
    assert _chart(page, "Conviction rate by country").count() == 1
    assert page.locator(f"{PLOT} .funnellayer .point").count() == 5
    screenshot(page, "justice_west_africa")
