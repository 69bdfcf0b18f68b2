"""The Activities and results page in a real browser, network blocked (fixtures in
tests/conftest.py): the before/after chart drawn, its cautions, the change table, and the
window kept in the URL."""

from __future__ import annotations

import re

import pytest

from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

AGREEMENT = "CRIMJUST-UNODC-INTERPOL-2016"
# st.dataframe draws on a canvas; its accessible table (glide-data-grid) holds the rows
TABLE_ROWS = """(frames) => frames
  .map((frame) => frame.querySelector('table'))
  .filter((table) => table && [...table.querySelectorAll('thead th')]
    .some((th) => th.textContent.includes('p-value (placebo dates)')))
  .map((table) => table.querySelectorAll('tbody tr').length)"""


def wait_for_title(page, text: str) -> None:
    """Wait until plotly has drawn a chart whose title holds `text` (fails after 30 s)."""
    page.locator(".js-plotly-plot .gtitle").filter(has_text=text).first.wait_for(timeout=30_000)


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


def test_the_latest_activity_has_a_shorter_window(page, app_url: str) -> None:
    page.goto(app_url + "activities")  # without a link: the latest activity
    wait_for_app(page)
    page.wait_for_url(re.compile(r"activity=DEMO-ACT-\d+"))
    wait_for_title(page, "Before and after")
    shorter = [
        a
        for a in alerts(page)
        if re.search(r"covers \d+ of the 12 months after this activity: that window is shorter", a)
    ]
    assert shorter, alerts(page)
    subtitle = page.locator(".js-plotly-plot .infolayer").first.text_content() or ""
    assert re.search(r"after: .* \((\d+) of 12 months\)", subtitle), subtitle
    screenshot(page, "activities_latest")
