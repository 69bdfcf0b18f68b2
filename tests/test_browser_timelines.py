"""The Timelines page in a real browser, network blocked (fixtures in tests/conftest.py)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


# A chart title as read: plotly draws each of its lines (broken to fit) as a tspan of its own.
TITLES = """() => [...document.querySelectorAll('.js-plotly-plot .gtitle')].map((title) =>
  [...title.querySelectorAll('tspan.line')].map((line) => line.textContent).join(' ')
    || title.textContent)"""


def wait_for_title(page, text: str) -> None:
    """Wait until plotly has drawn a chart whose title holds `text` (fails after 30 s)."""
    page.wait_for_function(
        f"(text) => ({TITLES})().some((title) => title.includes(text))", arg=text, timeout=30_000
    )


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
    # program activities and spikes each have their own legend entry and their own symbol
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert "Program activity (start)" in legend, legend
    assert any(text.startswith("Spike (rule below)") for text in legend), legend
    symbols = page.locator(".js-plotly-plot .legend .traces").evaluate_all(
        """(items) => Object.fromEntries(items.map((item) => [
            item.querySelector('.legendtext').textContent,
            [...item.querySelectorAll('.legendpoints path')]
                .map((p) => [p.getAttribute('d'), p.style.fill]).join(' '),
        ]))"""
    )
    spike = next(v for k, v in symbols.items() if k.startswith("Spike (rule below)"))
    assert symbols["Program activity (start)"] and symbols["Program activity (start)"] != spike
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
    # real UNODC totals beside the demo's synthetic events: a demonstration of the method,
    # with no share of the official totals drawn or stated
    page.goto(app_url_unodc + "timelines?grain=year&region=west_africa")
    wait_for_app(page)
    wait_for_title(page, "Method demonstration")
    assert page.locator("[data-testid='stPlotlyChart']").count() == 2
    official = page.locator("[data-testid='stPlotlyChart']").nth(1)
    # two bars per year (official, events), and no share label
    assert official.locator(".bars .point").count() >= 10
    assert official.locator(".bars .bartext").count() == 0
    legend = official.locator(".legendtext").all_text_contents()
    assert "Synthetic seizure events (demo)" in legend, legend
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "The loaded seizure events are synthetic demo data" in main
    assert "of the official UNODC totals (" not in main  # no coverage finding
    screenshot(page, "timelines_official")
