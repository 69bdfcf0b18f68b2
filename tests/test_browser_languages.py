"""Every page in Spanish, French and Portuguese in a real browser; contrast and keyboard access.

Screenshots land in tests/artifacts/lang_<lang>_<page>.png to be looked at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = {
    "": "CRIMJUST interdiction dashboard",
    "flows": "Routes and flows",
    "timelines": "Timelines",
    "justice": "Justice outcomes",
    "profile": "Country profile",
    "upload": "Upload data",
    "history": "History",
    "export": "Export a donor snapshot",
}
CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["es", "fr", "pt"])
def test_every_page_renders_in_the_language(page: Any, app_url: str, lang: str) -> None:
    for path, english_title in PAGES.items():
        page.goto(f"{app_url}{path}?lang={lang}")
        wait_for_app(page, selector="h1")
        title = page.locator("h1").first.inner_text()
        assert title and not title.startswith(english_title), f"{path}: {title!r}"
        assert page.locator("html").get_attribute("lang") == lang
        assert f"lang={lang}" in page.url
        screenshot(page, f"lang_{lang}_{path or 'home'}")


def test_the_browser_language_is_the_default(page: Any, app_url: str) -> None:
    context = page.context.browser.new_context(locale="pt-BR")
    try:
        other = context.new_page()
        other.goto(app_url + "justice")
        wait_for_app(other, selector="h1")
        assert other.locator("h1").first.inner_text() != "Justice outcomes"
        assert "lang=pt" in other.url
    finally:
        context.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_text_contrast_meets_wcag_aa(page: Any, app_url: str, path: str) -> None:
    """Every visible text outside the charts: 4.5:1 (3:1 for large text) on its background."""
    page.goto(f"{app_url}{path}?lang=en")
    wait_for_app(page, selector="h1")
    failures = page.evaluate(CONTRAST_JS)
    assert not failures, failures[:10]


def test_the_keyboard_reaches_the_filters_and_page_controls(page: Any, app_url: str) -> None:
    page.goto(app_url + "timelines?lang=en")
    wait_for_app(page, selector="h1")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached: set[str] = set()
    for _press in range(120):
        page.keyboard.press("Tab")
        reached.update(  # every widget the focused element sits in
            page.evaluate(
                "() => { const ids = []; for (let e = document.activeElement; e;"
                " e = e.parentElement) { if (e.dataset && e.dataset.testid)"
                " ids.push(e.dataset.testid); } return ids; }"
            )
        )
    for control in ("stSelectbox", "stMultiSelect", "stDateInput", "stButtonGroup"):
        assert control in reached, sorted(reached)
