"""The chart pages on a 390 x 844 phone, in a real browser (fixtures in tests/conftest.py): no
chart's title, subtitle, axis title or 'Source:' line cut at the figure's edge, no legend over
the heading, no page wider than the screen, maps that fill their space and flow lines inside
the map.

Screenshots of each chart land in tests/artifacts/mobile_<page>_<lang>_<n>.png to be looked at.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Boxes (left, top, right, bottom) of what each chart draws, in page pixels, and the numbers
# that say whether a map fills its plot area.
CHARTS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].map((chart) => {
  const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect();
    return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
  const gd = chart.querySelector('.js-plotly-plot');
  const size = gd._fullLayout._size;
  const geo = chart.querySelector('.geo .bg');
  // the 'Source:' line is the layout's last annotation, whatever the language
  const last = String((gd.layout.annotations || []).length - 1);
  return {
    svg: box(chart.querySelector('.main-svg')),
    title: box(chart.querySelector('.gtitle')),
    subtitle: box(chart.querySelector('.gtitle-subtitle')),
    legend: box(chart.querySelector('.legend')),
    axisTitles: [...chart.querySelectorAll('.g-xtitle, .g-x2title')].map(box).filter(Boolean),
    source: box([...chart.querySelectorAll('g.annotation')].find((a) => a.dataset.index === last)),
    text: (chart.querySelector('.gtitle') || {}).textContent || '',
    plotHeight: size.h,
    mapHeight: geo ? geo.getBoundingClientRect().height : null,
  };
})"""

# How far the page scrolls sideways: nothing may be wider than the screen.
WIDER = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  return Math.max(document.scrollingElement.scrollWidth - window.innerWidth,
                  main ? main.scrollWidth - main.clientWidth : 0);
}"""

# Every point of the flow map's lines on screen, and the map's frame.
FLOW_LINES = """(index) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[index];
  const frame = gd.querySelector('.geo .bg').getBoundingClientRect();
  const points = [];
  for (const path of gd.querySelectorAll('.scattergeo .js-line')) {
    const length = path.getTotalLength();
    for (let at = 0; at <= length; at += Math.max(length / 20, 1)) {
      const p = path.getPointAtLength(at);
      const m = path.getScreenCTM();
      points.push([p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]);
    }
  }
  return {frame: [frame.left, frame.top, frame.right, frame.bottom], points};
}"""


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (
        inner[0] >= outer[0] - 1
        and inner[2] <= outer[2] + 1
        and inner[1] >= outer[1] - 1
        and inner[3] <= outer[3] + 1
    )


def _overlap(one: list[float], other: list[float]) -> bool:
    return not (
        one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]
    )


def _problems(page: Any, where: str) -> list[str]:
    problems = []
    if (wider := page.evaluate(WIDER)) > 1:
        problems.append(f"{where}: the page is {wider:.0f} px wider than the screen")
    for number, chart in enumerate(page.evaluate(CHARTS), start=1):
        name = f"{where} chart {number} ({chart['text'][:40]!r})"
        svg = chart["svg"]
        for part in ("title", "subtitle", "source"):
            if chart[part] and not _inside(chart[part], svg):
                problems.append(f"{name}: the {part} is cut ({chart[part]} outside {svg})")
        for axis_title in chart["axisTitles"]:
            if not _inside(axis_title, svg):
                problems.append(f"{name}: an axis title is cut ({axis_title} outside {svg})")
        for part in ("title", "subtitle"):
            if chart["legend"] and chart[part] and _overlap(chart["legend"], chart[part]):
                problems.append(f"{name}: the legend covers the {part}")
        if chart["mapHeight"] is not None and chart["mapHeight"] < 0.55 * chart["plotHeight"]:
            problems.append(
                f"{name}: the map is a strip ({chart['mapHeight']:.0f} px of "
                f"{chart['plotHeight']:.0f})"
            )
    return problems


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_chart_pages_fit_a_phone(page: Any, app_url: str, lang: str) -> None:
    page.set_viewport_size(PHONE)
    problems: list[str] = []
    for path in ("flows", "justice"):
        page.goto(f"{app_url}{path}?lang={lang}")
        wait_for_app(page, selector=".js-plotly-plot")
        problems += _problems(page, f"/{path} ({lang})")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, chart in enumerate(page.locator("[data-testid='stPlotlyChart']").all()):
            chart.scroll_into_view_if_needed()
            chart.screenshot(path=str(ARTIFACTS / f"mobile_{path}_{lang}_{i + 1}.png"))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("query", ["", "&region=caribbean"])
def test_flow_lines_stay_inside_the_map(page: Any, app_url: str, query: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{app_url}flows?lang=en{query}")
    wait_for_app(page, selector=".js-plotly-plot")
    page.locator(".js-plotly-plot").nth(1).wait_for()
    drawn = page.evaluate(FLOW_LINES, 1)
    left, top, right, bottom = drawn["frame"]
    assert len(drawn["points"]) > 20
    outside = [
        (x, y)
        for x, y in drawn["points"]
        if not (left - 2 <= x <= right + 2 and top - 2 <= y <= bottom + 2)
    ]
    assert not outside, f"{len(outside)} points of flow lines outside the map: {outside[:5]}"
    # the largest flows are named on the map
    labels = page.locator(".js-plotly-plot").nth(1).locator(".scattergeo text").all_text_contents()
    assert sum("→" in label for label in labels) >= 2, labels
