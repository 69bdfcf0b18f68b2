"""'View data' tables in a real browser, in French: numbers written the French way, and a click
on a column header sorts by value, not by text (fixtures in tests/conftest.py)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

EXPANDER = ".st-key-flows_map_0_data_expander"
# st.dataframe draws its cells on a canvas: record the text drawn on each canvas
RECORD_TEXT = """(() => {
  const drawn = [];
  window.__drawnText = drawn;
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    const m = this.getTransform();
    drawn.push({text: String(text), x: m.a * x + m.e, y: m.d * y + m.f, canvas: this.canvas});
    return fill.call(this, text, x, y, ...rest);
  };
})();"""
DRAWN_IN = """(selector) => window.__drawnText
  .filter((t) => t.canvas && t.canvas.closest && t.canvas.closest(selector))
  .map((t) => [t.text, t.x / devicePixelRatio, t.y / devicePixelRatio])"""
# the grid's accessible table holds the rows in the order shown, with their values
ROWS = """(frame) => [...frame.querySelectorAll('table tbody tr')]
  .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))"""


def test_view_data_in_french_writes_and_sorts_numbers(page, app_url: str) -> None:
    page.context.add_init_script(RECORD_TEXT)
    page.goto(app_url + "flows?lang=fr")
    wait_for_app(page)
    expander = page.locator(EXPANDER)
    expander.locator("summary").click()
    frame = expander.locator("[data-testid='stDataFrame']")
    frame.wait_for()
    page.wait_for_timeout(1000)
    drawn = page.evaluate(DRAWN_IN, EXPANDER)
    texts = [text for text, _x, _y in drawn]
    # Colombia's kilograms, '1 292 267,6' (narrow no-break spaces), never '1292267.6' (the
    # demo ends today: its figures change with the day)
    assert any(re.fullmatch(r"\d{1,3}(\u202f\d{3})+,\d", t) for t in texts), texts[:40]
    assert not any(re.fullmatch(r"\d{4,}\.\d", t) for t in texts), texts[:40]
    screenshot(page, "view_data_fr")

    # the 'Saisies' header: one click sorts ascending, by number (7, 8, 9, 10, not 10, 100, 7)
    _text, x, y = next(item for item in reversed(drawn) if item[0] == "Saisies")
    box = frame.locator("canvas").first.bounding_box()
    page.mouse.click(box["x"] + x + 5, box["y"] + y)
    page.wait_for_timeout(800)
    counts = [int(row[-1]) for row in frame.evaluate(ROWS)[:12]]
    assert counts == sorted(counts) and counts[0] < 10 and counts[-1] >= 10, counts
    page.mouse.click(box["x"] + x + 5, box["y"] + y)  # and again: descending
    page.wait_for_timeout(800)
    counts = [int(row[-1]) for row in frame.evaluate(ROWS)[:12]]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1000, counts
