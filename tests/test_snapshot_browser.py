"""Donor snapshots in Debian's chromium: the HTML file draws offline, the PDF prints every page
(fixtures and the skip without chromium in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crimjust_data import snapshot
from crimjust_data.__main__ import main
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.snapshot.content import Snapshot
from crimjust_data.snapshot.html import READY_ATTRIBUTE
from crimjust_data.store import DuckDBStore
from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 11, 28, 14, 2, tzinfo=dt.UTC)
SECTIONS = (
    "seized_by_country",
    "flows_origin_destination",
    "flows_by_region",
    "timeline_kg_per_quarter_by_region",
    "attrition_funnel",
)
POPPLER = ("pdfinfo", "pdftoppm", "pdftotext")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshot_browser") / "demo.duckdb"
    load_demo(DuckDBStore(path))
    return path


@pytest.fixture(scope="module")
def demo_snapshot(demo_db: Path) -> Snapshot:
    return snapshot.build(DuckDBStore(demo_db), now=NOW)


@pytest.fixture(scope="module")
def demo_pdf(demo_snapshot: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshot_pdf") / "snapshot.pdf"
    path.write_bytes(snapshot.render(demo_snapshot, "pdf"))
    return path


@pytest.fixture
def offline_page() -> Iterator[tuple[Any, list[str]]]:
    """A chromium page and the list of every URL it requested."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        try:
            yield page, requests
        finally:
            browser.close()


def _need_poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"poppler-utils is not installed ({', '.join(missing)} missing)")


def _chart(section: str) -> str:
    return f"div.chart[data-section='{section}']"


def _hover_shows_a_label(page: Any, section: str, marks: str) -> bool:
    """Move the mouse over the marks of one chart until plotly shows a hover label."""
    chart = page.locator(_chart(section))
    chart.scroll_into_view_if_needed()
    points = chart.locator(marks)
    for index in range(min(points.count(), 12)):
        box = points.nth(index).bounding_box()
        if not box or box["width"] < 2 or box["height"] < 2:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            chart.locator(".hoverlayer .hovertext").first.wait_for(timeout=1500)
        except Exception:
            continue
        if (chart.locator(".hoverlayer .hovertext").first.text_content() or "").strip():
            return True
    return False


def test_html_snapshot_draws_offline(
    demo_snapshot: Snapshot, tmp_path: Path, offline_page: tuple[Any, list[str]]
) -> None:
    page, requests = offline_page
    path = tmp_path / "snapshot.html"
    path.write_bytes(snapshot.render(demo_snapshot, "html"))
    url = path.as_uri()
    blocked: list[str] = []

    def only_the_file(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_file)
    size = path.stat().st_size
    assert size < 2_500_000, f"the snapshot is {size / 1e6:.2f} MB"  # was 6.6 (issue 19)
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(url, wait_until="load")
    page.wait_for_selector(f"html[{READY_ATTRIBUTE}]", timeout=60_000)
    assert page.get_attribute("html", READY_ATTRIBUTE) == "yes"
    page.wait_for_timeout(300)
    assert requests == [url], f"the file asked for more than itself: {requests}"
    assert blocked == []
    # plotly.js and the topology unpacked and run under the policy, nothing refused
    assert not [v for v in violations if "Content Security Policy" in v], violations
    assert page.locator("#no-charts").is_hidden()

    keys = [s.key for s in demo_snapshot.sections]
    assert set(SECTIONS) <= set(keys)
    charts = page.locator("div.chart")
    assert charts.count() == len(demo_snapshot.sections)
    for number, key in enumerate(keys, start=1):
        chart = page.locator(f"#chart-{number}")
        assert chart.get_attribute("data-section") == key
        assert chart.locator(".main-svg").count() >= 1, f"{key} was not drawn"

    seizure_map = page.locator(_chart("seized_by_country"))
    assert seizure_map.locator(".geo .choroplethlocation").count() > 20
    outline = page.evaluate(
        "(selector) => { const paths = document.querySelectorAll("
        "selector + ' .geo .layer.land path, ' + selector + ' .geo .layer.countries path');"
        " return Math.max(0, ...[...paths].map(p => (p.getAttribute('d') || '').length)) }",
        _chart("seized_by_country"),
    )
    assert outline > 5000, f"the land outline is only {outline} characters: no topology?"
    flow_map = page.locator(_chart("flows_origin_destination"))
    assert flow_map.locator(".geo .scattergeo path, .geo .scatterlayer path").count() > 10
    assert page.locator(f"{_chart('flows_by_region')} .sankey-node").count() >= 6
    assert page.locator(f"{_chart('attrition_funnel')} .funnellayer .point").count() >= 12

    assert _hover_shows_a_label(
        page, "timeline_kg_per_quarter_by_region", ".barlayer .point path"
    ) or _hover_shows_a_label(page, "attrition_funnel", ".funnellayer .point path")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / "snapshot_html.png"), full_page=True)


def _page_stats(
    png: Path, band: tuple[float, float] = (0.0, 1.0), chroma: int = 40
) -> tuple[float, float]:
    """(share of pixels that are not white, share that are coloured: channels more than `chroma`
    apart) of one page, or of a horizontal band of it (from and to, as shares of its height)."""
    import numpy as np
    from PIL import Image

    with Image.open(png) as image:
        rows = np.asarray(image.convert("RGB"), dtype=np.int16)
    top, bottom = (int(len(rows) * edge) for edge in band)
    pixels = rows[top:bottom].reshape(-1, 3)
    inked = (pixels.min(axis=1) < 235).mean()
    coloured = (pixels.max(axis=1) - pixels.min(axis=1) > chroma).mean()
    return float(inked), float(coloured)


def _map_box(png: Path, band: tuple[float, float], chroma: int) -> tuple[float, float, float]:
    """In a horizontal band of a page: the box of mostly inked columns and rows (a map), as
    (its width as a share of the page's, the share of its pixels inked, the share tinted)."""
    import numpy as np
    from PIL import Image

    with Image.open(png) as image:
        rows = np.asarray(image.convert("RGB"), dtype=np.int16)
    top, bottom = (int(len(rows) * edge) for edge in band)
    pixels = rows[top:bottom]
    inked = pixels.min(axis=2) < 235
    columns = inked.mean(axis=0) > 0.3
    lines = inked[:, columns].mean(axis=1) > 0.5 if columns.any() else columns[:0]
    box = pixels[lines][:, columns].reshape(-1, 3)
    if not len(box):
        return 0.0, 0.0, 0.0
    tinted = (box.max(axis=1) - box.min(axis=1) > chroma).mean()
    return float(columns.mean()), float((box.min(axis=1) < 235).mean()), float(tinted)


def test_pdf_snapshot_prints_every_page(demo_pdf: Path, tmp_path: Path) -> None:
    data = demo_pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000
    _need_poppler()
    pytest.importorskip("PIL", reason="Pillow is needed to look at the pages")
    info = subprocess.run(["pdfinfo", str(demo_pdf)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert pages >= 3
    assert "A4" in info.stdout or "595" in info.stdout

    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(demo_pdf), str(tmp_path / "page")], check=True
    )
    images = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    assert len(images) == pages
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("snapshot_pdf-*.png"):
        old.unlink()
    stats = []
    for number, image in enumerate(images, start=1):
        shutil.copy(image, ARTIFACTS / f"snapshot_pdf-{number}.png")
        stats.append(_page_stats(image))
    for number, (inked, _) in enumerate(stats, start=1):
        # the last page may hold the closing lines alone: written, not blank
        floor = 0.002 if number == pages else 0.01
        assert inked > floor, f"page {number} is blank ({inked:.2%} of pixels inked)"
    assert _page_text(demo_pdf, pages).strip()
    map_page = next(
        number
        for number in range(1, pages + 1)
        if "Where cocaine is seized" in _page_text(demo_pdf, number)
    )
    # The map sits in the page's middle band, framed to the data (narrower than the page).
    # Cividis's middle is a grey of low chroma, so with the demo's kg concentrated in a few
    # countries most land is greyish: inside the map's box, count pixels that are inked and,
    # apart, those tinted at all (a map that failed to draw leaves a white box, or none).
    width, box_inked, box_tinted = _map_box(images[map_page - 1], band=(0.45, 0.8), chroma=15)
    assert width > 0.25 and box_inked > 0.6 and box_tinted > 0.05, (
        f"the map on page {map_page} looks empty: {width:.0%} of the page wide, "
        f"{box_inked:.0%} inked, {box_tinted:.0%} tinted"
    )
    assert max(c for _, c in stats) > 0.08, f"no page with much colour: {stats}"


def _page_text(pdf: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_pdf_snapshot_text(demo_pdf: Path) -> None:
    _need_poppler()
    text = subprocess.run(
        ["pdftotext", "-layout", str(demo_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for expected in (
        "Synthetic data",
        "Headline figures",
        "Where cocaine is seized",
        "From case to conviction",
        "Dataset versions",
        "Methods and sources",
        "Case counts from 1 to 4",
        "CRIMJUST interdiction snapshot · page 1 of",
    ):
        assert expected in flat, f"{expected!r} is not in the PDF text"


def test_cli_writes_pdf(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRIMJUST_DB", str(demo_db))
    monkeypatch.setenv("CRIMJUST_CHROMIUM", CHROMIUM)
    out = tmp_path / "report.pdf"
    code = main(["snapshot", "--out", str(out), "--region", "west_africa"])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    assert f"wrote {out} (pdf," in stdout
    assert out.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


# Words about a chart's interaction, in each language: a printed chart cannot be hovered.
INTERACTIVE_WORDS = {
    "en": ("interactive", "hover", "click", "drag to zoom"),
    "fr": ("interactif", "survol", "cliquez", "faites glisser"),
    "es": ("interactiv", "pase el cursor", "haga clic", "arrastre"),
    "pt": ("interativ", "passe o cursor", "clique", "arraste"),
}
FOOTERS = {
    "en": "CRIMJUST interdiction snapshot · page 1 of",
    "fr": "Instantané CRIMJUST sur les saisies · page 1 sur",
    "es": "Resumen de interdicción CRIMJUST · página 1 de",
    "pt": "Síntese de interdição CRIMJUST · página 1 de",
}


@pytest.mark.parametrize("lang", list(INTERACTIVE_WORDS))
def test_pdf_has_no_interactive_wording_and_a_footer_in_its_language(
    demo_db: Path, tmp_path: Path, lang: str
) -> None:
    _need_poppler()
    report = snapshot.build(DuckDBStore(demo_db), lang=lang, now=NOW)
    pdf = tmp_path / f"snapshot_{lang}.pdf"
    pdf.write_bytes(snapshot.render(report, "pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert FOOTERS[lang] in flat, f"no {lang} page footer in: {flat[-300:]}"
    said = [word for word in INTERACTIVE_WORDS[lang] if word in flat.lower()]
    assert not said, f"the {lang} PDF speaks of interaction: {said}"
    # the HTML file keeps the sentence, for the screen only
    document = snapshot.render(report, "html").decode("utf-8")
    assert "class='meta screen-only'" in document
