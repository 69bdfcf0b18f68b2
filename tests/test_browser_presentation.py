"""Every chart page in the four languages at a desktop's and a phone's width, in a real browser:
nothing wider than the screen, no chart title cut or covered by its legend, no English words in
the charts' text outside English.

Screenshots land in tests/artifacts/present_<lang>_<size>_<page>.png to be looked at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = ("", "flows", "timelines", "justice", "profile", "activities")
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}

# Words that only English uses (not 'source' or 'page': French has them too), whole words, in
# the text plotly draws (titles, subtitles, axis titles, legends, annotations, the source line).
# Data values (country names, ISO codes) and units are not among them.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|with|from|which|seized|seizures|cases|click|hover|year|share)\b",
    re.IGNORECASE,
)

# Boxes (left, top, right, bottom) of what each plotly chart draws, in page pixels.
CHART_BOXES = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].map((chart) => {
  const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect();
    return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
  const svg = chart.querySelector('.main-svg');
  return {
    svg: box(svg),
    title: box(chart.querySelector('.gtitle')),
    subtitle: box(chart.querySelector('.gtitle-subtitle')),
    legend: box(chart.querySelector('.legend')),
    texts: [...chart.querySelectorAll('.gtitle, .gtitle-subtitle, .annotation-text, .g-xtitle,'
      + ' .g-ytitle, .legendtext')].map((e) => e.textContent),
  };
})"""

WIDER_THAN_SCREEN = """() => [...document.querySelectorAll(
  '[data-testid=stMain], [data-testid=stMainBlockContainer]')].some(
  (e) => e.scrollWidth > e.clientWidth + 1)"""


def _inside(inner: list[float], outer: list[float]) -> bool:
    return inner[0] >= outer[0] - 1 and inner[2] <= outer[2] + 1


def _overlap(one: list[float], other: list[float]) -> bool:
    return not (
        one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "es", "fr", "pt"])
def test_chart_pages_fit_and_speak_the_language(
    page: Any, app_url: str, lang: str, size: str
) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    problems: list[str] = []
    for path in PAGES:
        where = f"/{path} ({lang}, {size})"
        page.goto(f"{app_url}{path}?lang={lang}")
        wait_for_app(page, selector="h1")
        if page.evaluate(WIDER_THAN_SCREEN):
            problems.append(f"{where}: the page is wider than the screen")
        for number, chart in enumerate(page.evaluate(CHART_BOXES), start=1):
            svg = chart["svg"]
            for part in ("title", "subtitle"):
                if chart[part] and svg and not _inside(chart[part], svg):
                    problems.append(f"{where} chart {number}: the {part} is cut")
            if chart["legend"] and chart["title"] and _overlap(chart["legend"], chart["title"]):
                problems.append(f"{where} chart {number}: the legend covers the title")
            if lang != "en":
                english = [t for t in chart["texts"] if ENGLISH_WORDS.search(t)]
                problems.extend(f"{where} chart {number}: English {t!r}" for t in english)
        screenshot(page, f"present_{lang}_{size}_{path or 'home'}")
    assert not problems, "\n".join(problems)
