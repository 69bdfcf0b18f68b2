"""The Activities and results page in a real browser, network blocked (fixtures in
tests/conftest.py): the before/after chart drawn, its cautions, the change table, and the
window kept in the URL."""

from __future__ import annotations

import re

import pytest

from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

AGREEMENT = "CRIMJUST-UNODC-INTERPOL-2016"
LATEST = "DEMO-ACT-060"  # the demo's most recent activity: its after window is cut
# st.dataframe draws on a canvas; its accessible table (glide-data-grid) holds the rows
TABLE_ROWS = """(frames) => frames
  .map((frame) => frame.querySelector('table'))
  .filter((table) => table && [...table.querySelectorAll('thead th')]
    .some((th) => th.textContent.includes('p-value (placebo dates)')))
  .map((table) => table.querySelectorAll('tbody tr').length)"""


# A chart title as read: plotly draws each of its lines (broken to fit) as a tspan of its own.
TITLES = """() => [...document.querySelectorAll('.js-plotly-plot .gtitle')].map((title) =>
  [...title.querySelectorAll('tspan.line')].map((line) => line.textContent).join(' ')
    || title.textContent)"""


def wait_for_title(page, text: str) -> None:
    """Wait until plotly has drawn a chart whose title holds `text` (fails after 30 s)."""
    page.wait_for_function(
        f"(text) => ({TITLES})().some((title) => title.includes(text))", arg=text, timeout=30_000
    )


def alerts(page) -> list[str]:
    return page.locator("[data-testid='stAlert']").all_inner_texts()


def selected_window(page) -> str:
    return page.locator(".st-key-activity_window [aria-checked='true']").inner_text().strip()


def test_before_and_after_of_the_agreement(page, app_url: str) -> None:
    page.goto(app_url + f"activities?activity={AGREEMENT}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().startswith("Activities and results")
    wait_for_title(page, "Before and after: UNODC-INTERPOL cooperation agreement")
    chart = page.locator("[data-testid='stPlotlyChart']")
    assert chart.count() == 1
    # 7 indicators x (before, after) x (activity countries, comparison group), all with data
    assert chart.locator(".bars .point").count() == 28
    assert chart.locator(".subplot").count() >= 7
    assert any(a.startswith("info\n\nAssociation, not proof of effect") for a in alerts(page))
    assert any("other activities in these countries fall inside" in a for a in alerts(page))
    frames = page.locator("[data-testid='stDataFrame']")
    assert frames.evaluate_all(TABLE_ROWS) == [7]  # the change table: one row per indicator
    assert selected_window(page) == "12" and "window=12" in page.url
    screenshot(page, "activities_agreement_12")

    page.locator(".st-key-activity_window button", has_text="24").click()
    page.wait_for_url(re.compile(r"window=24"))
    wait_for_app(page)
    assert selected_window(page) == "24"
    assert f"activity={AGREEMENT}" in page.url
    subtitle = page.locator(".js-plotly-plot .infolayer").first.text_content() or ""
    assert "(24 of 24 months)" in subtitle, subtitle
    assert frames.evaluate_all(TABLE_ROWS) == [7]
    screenshot(page, "activities_agreement_24")


def test_the_page_opens_on_a_complete_activity_and_the_latest_is_shorter(
    page, app_url: str
) -> None:
    page.goto(app_url + "activities")  # without a link: the latest activity with whole windows
    wait_for_app(page)
    page.wait_for_url(re.compile(r"activity=DEMO-ACT-\d+"))
    wait_for_title(page, "Before and after")
    opened = re.search(r"activity=(DEMO-ACT-\d+)", page.url).group(1)
    assert opened != LATEST
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Showing the most recent activity with 12 whole months of data" in main
    later = re.search(r"The (\d+) later activities have less data", main)
    assert later and int(later.group(1)) >= 1, main
    subtitle = page.locator(".js-plotly-plot .infolayer").first.text_content() or ""
    assert subtitle.count("(12 of 12 months)") == 2, subtitle
    assert not [a for a in alerts(page) if "that window is shorter" in a]
    screenshot(page, "activities_opening")

    page.goto(app_url + f"activities?activity={LATEST}")  # a link's own choice wins
    wait_for_app(page)
    wait_for_title(page, "Before and after")
    assert f"activity={LATEST}" in page.url
    shorter = [
        a
        for a in alerts(page)
        if re.search(r"covers \d+ of the 12 months after this activity: that window is shorter", a)
    ]
    assert shorter, alerts(page)
    subtitle = page.locator(".js-plotly-plot .infolayer").first.text_content() or ""
    assert re.search(r"after: .* \((\d+) of 12 months\)", subtitle), subtitle
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Showing the most recent activity" not in main
    screenshot(page, "activities_latest")
