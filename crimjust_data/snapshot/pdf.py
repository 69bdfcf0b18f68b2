"""The snapshot as PDF: the same HTML, printed by the machine's own chromium (never downloaded).

Playwright drives the system chromium (CRIMJUST_CHROMIUM, else `chromium` or `chromium-browser`
or `google-chrome` on PATH). The page is laid out at the printable width of A4 so the charts are
drawn at the size they print, every request is aborted, and printing waits for the charts.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from pathlib import Path

from crimjust_data.errors import CrimjustError
from crimjust_data.snapshot.html import READY_ATTRIBUTE

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A4 (210 mm) less 2 x 12 mm margins is 703 CSS px at 96 px per inch. The page is laid out
# 1000 px wide, as on a screen, and printed at 703/1000 so titles and legends fit as designed.
LAYOUT_WIDTH_PX = 1000
PRINT_SCALE = 703 / LAYOUT_WIDTH_PX
RENDER_TIMEOUT_MS = 60_000


class PdfUnavailable(CrimjustError):
    """No browser to print with; the message says how to enable PDF."""


HOW_TO_ENABLE = (
    "PDF export needs a Chromium browser on the machine that runs the dashboard: install "
    "Debian's package (`apt-get install chromium`) or set CRIMJUST_CHROMIUM to the path of a "
    "Chromium or Chrome executable. The HTML snapshot has the same content and prints from "
    "any browser."
)


def find_browser() -> str:
    """The chromium executable to print with, or PdfUnavailable saying how to get one."""
    configured = os.environ.get("CRIMJUST_CHROMIUM", "").strip()
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured
        raise PdfUnavailable(
            f"CRIMJUST_CHROMIUM is set to {configured!r}, which is not an executable file. "
            + HOW_TO_ENABLE
        )
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable("No Chromium browser was found. " + HOW_TO_ENABLE)


def pdf_available() -> tuple[bool, str]:
    """(True, '') when PDF can be made here, else (False, how to enable it)."""
    try:
        find_browser()
    except PdfUnavailable as error:
        return False, str(error)
    return True, ""


def _footer_template(footer: str) -> str:
    """Chromium's footer: `footer` as text, its {page} and {pages} as the page number, count."""
    text = (
        html.escape(footer)
        .replace("{page}", "<span class='pageNumber'></span>")
        .replace("{pages}", "<span class='totalPages'></span>")
    )
    return f"<div style='font-size:8px;width:100%;text-align:center;color:#555'>{text}</div>"


def html_to_pdf(
    document: str, footer: str = "CRIMJUST interdiction snapshot · page {page} of {pages}"
) -> bytes:
    """Print an HTML snapshot to A4 PDF with the system chromium; `footer` on every page."""
    browser_path = find_browser()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # installed by requirements.txt; say so if it is missing
        raise PdfUnavailable(
            "PDF export needs the Python package playwright (pip install -r requirements.txt). "
            + HOW_TO_ENABLE
        ) from error
    with tempfile.TemporaryDirectory(prefix="crimjust-pdf-") as folder:
        page_file = Path(folder, "snapshot.html")
        page_file.write_text(document, encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=browser_path, args=["--no-sandbox"]
                )
                try:
                    page = browser.new_page(viewport={"width": LAYOUT_WIDTH_PX, "height": 1400})
                    page.emulate_media(media="print")  # lay the charts out as they will print
                    # Only the file itself may load: a snapshot never reaches the network.
                    page.route(
                        "**/*",
                        lambda route: (
                            route.continue_()
                            if route.request.url.startswith("file:")
                            else route.abort()
                        ),
                    )
                    page.goto(page_file.as_uri(), wait_until="load")
                    page.wait_for_selector(f"html[{READY_ATTRIBUTE}]", timeout=RENDER_TIMEOUT_MS)
                    state = page.get_attribute("html", READY_ATTRIBUTE)
                    if state != "yes":
                        raise CrimjustError(f"the charts could not be drawn for the PDF ({state})")
                    return page.pdf(
                        format="A4",
                        scale=PRINT_SCALE,
                        print_background=True,
                        margin={"top": "12mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
                        display_header_footer=True,
                        header_template="<span></span>",
                        footer_template=_footer_template(footer),
                    )
                finally:
                    browser.close()
        except PlaywrightError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else "error"
            raise CrimjustError(
                f"the browser at {browser_path} could not print the snapshot ({first_line}). "
                + HOW_TO_ENABLE
            ) from error
