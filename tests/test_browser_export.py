"""The export page in a real browser: the HTML and PDF a donor downloads, network blocked."""

from __future__ import annotations

import re

import pytest

from crimjust_data.snapshot.html import READY_ATTRIBUTE
from tests.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_downloads_html_and_pdf_from_the_page(page, app_url: str, tmp_path) -> None:
    page.goto(app_url + "export?region=west_africa")
    wait_for_app(page, selector="text=Download the HTML report")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the HTML report").click()
    # the name says what the file holds: the filters, the period, the language
    assert re.fullmatch(
        r"crimjust_snapshot_west-africa_\d{4}-\d{4}_en_\d{8}-\d{4}\.html",
        download.value.suggested_filename,
    ), download.value.suggested_filename
    html_file = tmp_path / download.value.suggested_filename
    download.value.save_as(html_file)
    text = html_file.read_text(encoding="utf-8")
    assert html_file.suffix == ".html" and text.startswith("<!DOCTYPE html>")
    assert "West Africa" in text and "class='synthetic'" in text

    page.get_by_role("button", name="Make the PDF").click()
    page.wait_for_selector("text=Download the PDF report", timeout=90_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF report").click()
    assert download.value.suggested_filename == html_file.name.replace(".html", ".pdf")
    pdf_file = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf_file)
    assert pdf_file.suffix == ".pdf" and pdf_file.read_bytes()[:5] == b"%PDF-"
    assert pdf_file.stat().st_size > 100_000  # charts drawn, not an empty page

    page.get_by_text("Preview the HTML report").click()
    preview = page.frame_locator("iframe").last
    preview.locator(f"html[{READY_ATTRIBUTE}='yes']").wait_for(state="attached", timeout=60_000)
    assert preview.locator(".js-plotly-plot .main-svg").count() >= 4
    assert preview.locator(".geo .choroplethlocation").count() > 5
    wait_for_app(page)
    screenshot(page, "export_west_africa")
