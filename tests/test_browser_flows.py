"""The 'Routes and flows' page in a real browser, network blocked (fixtures in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import map_country_paths, screenshot, wait_for_app

pytestmark = pytest.mark.browser

# Centre, on screen, of a country's marker on the seizure map (the first plotly chart).
MARKER_AT = """
(iso3) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[0];
  const trace = gd.data.findIndex(t => t.name === 'Country marker');
  for (const point of gd.querySelectorAll('.scatterlayer .trace .point')) {
    const d = point.__data__;
    const group = point.closest('.trace').__data__;  // the trace's calcdata
    if (group[0].trace.index === trace && gd.data[trace].customdata[d.i][0] === iso3) {
      const r = point.getBoundingClientRect();
      return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
  }
  return null;
}
"""
# ISO3 codes of the markers plotly drew on the seizure map.
MARKERS_DRAWN = """
() => {
  const gd = document.querySelectorAll('.js-plotly-plot')[0];
  const trace = gd.data.findIndex(t => t.name === 'Country marker');
  return [...gd.querySelectorAll('.scatterlayer .trace .point')]
    .filter(p => p.closest('.trace').__data__[0].trace.index === trace)
    .map(p => gd.data[trace].customdata[p.__data__.i][0]);
}
"""


def open_flows(page: Any, url: str) -> None:
    """Open the page and wait until plotly has drawn its three charts and the map's countries.

    The first request to a fresh server is rerun through the router (ui.page_filters), so
    the script can be idle for a moment before the page's own run: wait for what it draws.
    """
    page.goto(url)
    wait_for_app(page, settle_ms=2500)
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=60_000)
    page.locator(".js-plotly-plot .geo .choroplethlocation").first.wait_for(timeout=60_000)
    wait_for_app(page, settle_ms=500)
    assert page.locator("h1").first.inner_text() == "Routes and flows"


def flows_caption(page: Any) -> str:
    captions = page.locator("[data-testid='stCaptionContainer']").all_inner_texts()
    return next(c for c in captions if c.startswith(("All seizures", "Only seizures")))


def check_drawn(page: Any) -> None:
    """Three charts; the maps drew their countries, island markers and flow lines."""
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    assert map_country_paths(page) > 50  # a blank map (no topology) draws no country shapes
    drawn = set(page.evaluate(MARKERS_DRAWN))
    assert {"CPV", "BRB", "GRD", "TTO"} <= drawn  # small island states, as clickable markers
    # world_50m has a shape for every country with data, islands included (110m would not)
    assert map_country_paths(page) == len(drawn)
    flows_map = page.locator(".js-plotly-plot").nth(1)
    assert flows_map.locator(".scatterlayer .js-line").count() >= 2  # width classes drawn
    assert page.locator(".js-plotly-plot .sankey .sankey-link").count() >= 5


def test_flows_page_draws_maps_and_follows_a_clicked_country(page, app_url: str) -> None:
    open_flows(page, app_url + "flows")
    check_drawn(page)
    assert flows_caption(page).startswith("All seizures in the selection")
    page.set_viewport_size({"width": 1400, "height": 3200})  # the whole page in the shot
    wait_for_app(page, settle_ms=1500)
    screenshot(page, "flows")
    page.set_viewport_size({"width": 1400, "height": 1600})
    wait_for_app(page, settle_ms=1000)

    point = page.evaluate(MARKER_AT, "CPV")
    assert point, "no Cabo Verde marker on the map"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/flows?*focus=CPV*", timeout=30_000)
    wait_for_app(page, settle_ms=2000)
    assert "focus=CPV" in page.url  # still there after the rerun redrew the map
    assert flows_caption(page).startswith("Only seizures that touch")
    assert "(CPV)" in flows_caption(page)
    assert "Following" in page.locator("[data-testid='stAlert']").first.inner_text()
    screenshot(page, "flows_focus_cpv")

    page.get_by_role("button", name="Clear country selection").click()
    wait_for_app(page, settle_ms=2000)
    assert "focus=" not in page.url
    assert flows_caption(page).startswith("All seizures in the selection")


def test_flows_region_filter_goes_to_the_url_and_back(page, app_url: str) -> None:
    open_flows(page, app_url + "flows")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()  # Region
    page.get_by_role("option", name="West Africa").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**region=west_africa*", timeout=30_000)
    wait_for_app(page, settle_ms=2000)
    drawn = set(page.evaluate(MARKERS_DRAWN))
    assert "CPV" in drawn and "ESP" not in drawn and "COL" not in drawn
    shared = page.url

    page.goto(shared)  # a reload of the shared link restores the selection
    wait_for_app(page, settle_ms=2500)
    region = sidebar.locator("[data-testid='stMultiSelect']").first
    assert "West Africa" in region.inner_text()
    drawn = set(page.evaluate(MARKERS_DRAWN))
    assert "CPV" in drawn and "ESP" not in drawn
    assert map_country_paths(page) == len(drawn) >= 10  # a shape for each West African country


def test_flows_focus_link_opens_followed(page, app_url: str) -> None:
    open_flows(page, app_url + "flows?focus=GNB&lines=legs")
    assert "(GNB)" in flows_caption(page)
    assert "leg by leg" in page.locator(".js-plotly-plot").nth(1).locator(".gtitle").text_content()
    open_flows(page, app_url + "flows?focus=ZZZ")
    assert "focus=ZZZ" in page.locator("[data-testid='stAlert']").first.inner_text()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3


def test_flows_page_with_unodc_totals_loaded(page, app_url_unodc: str) -> None:
    open_flows(page, app_url_unodc + "flows")
    check_drawn(page)
    page.set_viewport_size({"width": 1400, "height": 3200})
    wait_for_app(page, settle_ms=1500)
    screenshot(page, "flows_unodc")
