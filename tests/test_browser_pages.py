"""Every page in a real browser on demo data plus the real UNODC export, network blocked."""

from __future__ import annotations

import pytest

from tests.conftest import map_country_paths, map_land_outline_length, screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = {
    "": ("CRIMJUST interdiction dashboard", 3),  # home: regions x2 + official vs loaded
    "flows": ("Routes and flows", 3),
    "timelines": ("Timelines", 2),  # the timeline and the official totals beside it
    "justice": ("Justice outcomes", 5),
    "profile": ("Country profile", 5),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_with_unodc_totals(page, app_url_unodc: str, path: str) -> None:
    title, charts = PAGES[path]
    page.goto(app_url_unodc + path)
    wait_for_app(page, selector="[data-testid='stPlotlyChart']")
    assert page.locator("h1").first.inner_text().startswith(title)
    assert page.locator("[data-testid='stPlotlyChart']").count() >= charts
    assert page.locator(".js-plotly-plot .main-svg").count() >= charts
    screenshot(page, f"unodc_{path or 'home'}")


def test_profile_draws_its_routes_map_offline(page, app_url: str) -> None:
    page.goto(app_url + "profile?profile=CPV")
    wait_for_app(page, selector=".js-plotly-plot .geo")
    assert "profile=CPV" in page.url
    assert "Cabo Verde beside West Africa" in page.locator("[data-testid='stMain']").inner_text()
    # the topology came from our own server: the land outline is drawn, not an empty ocean
    assert map_land_outline_length(page) > 10_000
    assert page.locator(".js-plotly-plot .geo .scattergeo .js-line").count() >= 1
    screenshot(page, "profile_cpv")


def test_home_and_flows_maps_draw_countries(page, app_url: str) -> None:
    page.goto(app_url + "flows")
    wait_for_app(page, selector=".js-plotly-plot .geo .choroplethlocation")
    assert map_country_paths(page) > 50
    assert map_land_outline_length(page) > 10_000


def test_profile_country_choice_goes_to_the_url(page, app_url: str) -> None:
    page.goto(app_url + "profile")
    wait_for_app(page, selector="[data-testid='stMetric']")
    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first.click()
    page.keyboard.type("Senegal")  # the list is long and virtual: search it, as people do
    page.get_by_role("option", name="Senegal (SEN)").click()
    wait_for_app(page, selector="[data-testid='stMetric']")
    assert "profile=SEN" in page.url
    page.goto(page.url)  # the link, opened again
    wait_for_app(page, selector="[data-testid='stMetric']")
    assert "Senegal beside West Africa" in page.locator("[data-testid='stMain']").inner_text()


# Each chart's data as plotly first computed it (its calcdata), kept when the chart is first
# drawn. Streamlit draws a chart, then hands plotly a copy of it at the page's width: plotly
# computes and draws again whatever it takes for changed in the copy (figures.figure).
KEEP_FIRST_CALC = """() => {
  window.firstCalc = new Map();
  Object.defineProperty(HTMLElement.prototype, 'emit', {configurable: true, set(emit) {
    const chart = this;
    Object.defineProperty(chart, 'emit', {configurable: true, writable: true, value(event, data) {
      const result = emit.call(chart, event, data);
      if (event === 'plotly_afterplot' && !window.firstCalc.has(chart)) {
        window.firstCalc.set(chart, chart.calcdata);
      }
      return result;
    }});
  }});
}"""
COMPUTED_AGAIN = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter((chart) => window.firstCalc.get(chart) !== chart.calcdata)
  .map((chart) => chart.closest('[data-testid=stElementContainer]').className)"""


def test_every_chart_is_computed_once_when_drawn(page, app_url: str) -> None:
    page.add_init_script(f"({KEEP_FIRST_CALC})()")
    for path in PAGES:
        page.goto(app_url + path)
        wait_for_app(page, settle_ms=2500, selector="[data-testid='stPlotlyChart']")
        drawn = page.locator(".js-plotly-plot").count()
        assert drawn >= 1 and page.evaluate("() => window.firstCalc.size") == drawn, path
        assert page.evaluate(COMPUTED_AGAIN) == [], path
    # a filter change on flows draws every chart anew, each once
    page.goto(app_url + "flows")
    wait_for_app(page, settle_ms=2500, selector="[data-testid='stPlotlyChart']")
    page.evaluate("() => { window.firstCalc = new Map(); }")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()  # Region
    page.get_by_role("option", name="West Africa").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**region=west_africa*", timeout=30_000)
    wait_for_app(page, settle_ms=2500)
    assert page.evaluate("() => window.firstCalc.size") == page.locator(".js-plotly-plot").count()
    assert page.evaluate(COMPUTED_AGAIN) == []
