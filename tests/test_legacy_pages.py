"""The one workaround of Streamlit's private API (crimjust_data.ui.legacy_pages), checked.

With a pages/ folder beside app.py, a fresh server starts in Streamlit's legacy multipage mode:
without the workaround, a deep link as the first request runs the page alone, without the frame
(no sidebar filters, no language). If Streamlit renames or drops the flag, these tests fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import _start_app, wait_for_app


def test_streamlit_still_keeps_the_flag_the_workaround_sets() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")


@pytest.mark.browser
def test_a_deep_link_as_the_first_request_runs_within_the_frame(page, tmp_path: Path) -> None:
    server, url = _start_app(tmp_path / "fresh.duckdb")
    try:
        page.goto(url + "flows?focus=COL&lang=fr")
        wait_for_app(page, selector="[data-testid='stSidebar'] [data-testid='stMultiSelect']")
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "Filtres" in sidebar  # the frame drew, in the link's language
        assert "/flows" in page.url and "focus=COL" in page.url and "lang=fr" in page.url
        assert page.locator("[data-testid='stExpander']").count() > 0  # the page drew too
    finally:
        server.terminate()
        server.wait(timeout=20)
