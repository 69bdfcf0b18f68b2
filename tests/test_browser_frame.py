"""The shared frame in a real browser: links that reopen a view, on a fresh server too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import _start_app, screenshot, wait_for_app

pytestmark = pytest.mark.browser


# The sidebar's filters: a fresh server seeds its demo data and reruns before it draws them.
FILTERS = "[data-testid='stSidebar'] [data-testid='stMultiSelect']"


def sidebar_text(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def test_deep_link_as_first_request_of_a_fresh_server(page, tmp_path: Path) -> None:
    # Streamlit's legacy pages/ mode would run the page alone, without the frame: not here.
    server, url = _start_app(tmp_path / "fresh.duckdb")
    try:
        page.goto(url + "justice?region=caribbean&region=bogus&from=2019-01-01")
        wait_for_app(page, selector=FILTERS)
        text = sidebar_text(page)
        assert "Filters" in text and "Region" in text
        assert "Ignored region 'bogus' from the link" in text
        assert "region=caribbean" in page.url and "bogus" not in page.url
        assert "/justice" in page.url
        screenshot(page, "frame_deep_link")
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_filter_change_goes_to_the_url_and_a_reload_restores_it(page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_app(page, selector=FILTERS)
    events_before = page.locator("[data-testid='stMetricValue']").nth(1).inner_text()
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="West Africa").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert "region=west_africa" in page.url
    events_after = page.locator("[data-testid='stMetricValue']").nth(1).inner_text()
    assert events_after != events_before
    shared = page.url
    page.goto(shared)  # what a colleague opening the link sees
    wait_for_app(page)
    assert "West Africa" in sidebar_text(page)
    assert page.locator("[data-testid='stMetricValue']").nth(1).inner_text() == events_after
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").last.click()
    link = page.locator("[data-testid='stSidebar'] [data-testid='stCode']").inner_text()
    assert "region=west_africa" in link and link.startswith("http://127.0.0.1:")
    screenshot(page, "frame_filtered_home")


def test_filters_follow_the_user_to_another_page(page, app_url: str) -> None:
    page.goto(app_url + "?country=BRA")
    wait_for_app(page, selector=FILTERS)
    page.get_by_role("link", name="Timelines").click()
    # the page switch reruns the frame, which restores the country from the URL
    wait_for_app(page, selector="[data-testid='stSidebar'] >> text=Brazil (BRA)")
    assert "/timelines" in page.url and "country=BRA" in page.url
    assert "Brazil (BRA)" in sidebar_text(page)


MAIN = "[data-testid='stMain']"


def test_a_period_after_the_data_says_so_and_shows_the_whole_period(page, app_url: str) -> None:
    # issue 19: ?from=2030-01-01 used to show one clamped day ('269 kg, prosecution 0.0%')
    page.goto(app_url + "?from=2030-01-01")
    wait_for_app(page, selector=FILTERS)
    main = page.locator(MAIN).inner_text()
    assert "The link asks for 'from=2030-01-01', but the data run from" in main
    assert "showing the whole period instead" in main
    whole = page.locator("[data-testid='stMetricValue']").nth(1).inner_text()
    page.goto(app_url)
    wait_for_app(page, selector=FILTERS)
    assert page.locator("[data-testid='stMetricValue']").nth(1).inner_text() == whole
    assert "The link asks for" not in page.locator(MAIN).inner_text()


def test_every_page_path_opens_and_home_goes_to_the_home_page(page, app_url: str) -> None:
    page.goto(app_url + "home?lang=fr&region=caribbean")
    wait_for_app(page, selector=FILTERS)
    body = page.locator("body").inner_text()
    assert "Page not found" not in body and "Page introuvable" not in body
    assert page.url == app_url + "?lang=fr&region=caribbean"  # the home page's own address
    assert "Tableau de bord CRIMJUST" in page.locator("h1").first.inner_text()
    for path in (
        "flows",
        "timelines",
        "justice",
        "profile",
        "activities",
        "upload",
        "history",
        "export",
        "methods",
    ):
        page.goto(app_url + path)
        wait_for_app(page, settle_ms=500)
        assert "Page not found" not in page.locator("body").inner_text(), path
        assert f"/{path}" in page.url
