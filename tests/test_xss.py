"""Uploaded text stays text: the XSS corpus (tests/xss_corpus.py) through Markdown escaping, the
pages (AppTest: what reaches a Markdown element), the upload report and every export.
The pages in a real browser: tests/test_browser_xss.py."""

from __future__ import annotations

import csv
import io
import re
import string
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from crimjust_data import snapshot
from crimjust_data.ingest import uploads
from crimjust_data.safe_text import FORMULA_START, WORD_JOINER, markdown_literal
from crimjust_data.schemas import RowError
from crimjust_data.snapshot.content import Snapshot
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import ANALYST_PASSWORD, cases_frame, run_page, seizures_frame
from tests.test_snapshot import Document, chart_specs, strings_in
from tests.xss_corpus import MARKERS, PAYLOADS, as_shown

PASSWORD = ANALYST_PASSWORD
PUNCTUATION = set(string.punctuation)
COUNTRIES = ("COL", "BRA", "CPV", "ESP", "DOM", "GHA", "PRT", "NLD")
# Corpus entries that would be markup somewhere (all but the plain formula ones).
MARKUP = tuple(p for p in PAYLOADS if set(p) & set("<>[]()*_#`&:$"))


# ---------------------------------------------------------------------------------------------
# Markdown escaping


@pytest.mark.parametrize("text", [*PAYLOADS, "a\nb\r\nc", "plain é ü 1,5 kg", ""])
def test_markdown_literal_escapes_every_mark(text: str) -> None:
    escaped = markdown_literal(text)
    assert "\n" not in escaped and "\r" not in escaped
    # every ASCII punctuation character is escaped with one backslash
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in PUNCTUATION, escaped
            i += 2
            continue
        assert escaped[i] not in PUNCTUATION, (escaped, i)
        i += 1
    shown = as_shown(escaped)
    assert shown == " ".join(text.splitlines())  # shows exactly the text
    # no bare address left for GFM to turn into a link
    joined = escaped.replace("\\", "")
    assert not re.search(r"(?i)\b(?:https?:|www\.|mailto:)", joined)
    assert not re.search(r"[\w.+-]@", joined)


def test_markdown_literal_breaks_links_with_an_invisible_joiner() -> None:
    assert markdown_literal("see http://x.org or a@b.org") == (
        f"see http{WORD_JOINER}\\:\\/\\/x\\.org or a{WORD_JOINER}\\@b\\.org"
    )


# ---------------------------------------------------------------------------------------------
# The pages: no Markdown element receives uploaded or linked text unescaped


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def markdown_texts(app: Any) -> list[str]:
    """Every text the page renders as Markdown: bodies of markdown, captions and alerts, and
    the labels and help of widgets and expanders (AppTest holds them as written)."""
    texts: list[str] = []
    for root in (app.main, app.sidebar):
        for node in _walk(root):
            kind = getattr(node, "type", "")
            if kind in ("markdown", "alert", "error", "warning", "info", "success", "caption"):
                texts.append(str(node.value))
            for attribute in ("label", "help", "placeholder"):
                value = getattr(node, attribute, None)
                if isinstance(value, str):
                    texts.append(value)
            proto = getattr(node, "proto", None)
            if kind == "expandable" and proto is not None:
                texts.append(proto.expandable.label)
    return texts


def assert_no_raw_payload(app: Any, *also: str) -> list[str]:
    """The page's Markdown texts, after checking that none holds a corpus entry (or `also`)
    as it was typed rather than escaped."""
    texts = markdown_texts(app)
    for text in texts:
        for payload in (*MARKUP, *also):
            assert payload not in text, f"unescaped {payload!r} in Markdown: {text!r}"
    return texts


@pytest.mark.parametrize(
    ("page", "param"),
    [
        ("pages/home.py", "region"),
        ("pages/flows.py", "focus"),
        ("pages/profile.py", "profile"),
        ("pages/timelines.py", "grain"),
    ],
)
def test_link_parameters_are_quoted_as_text(store_path: Path, page: str, param: str) -> None:
    """A link's unusable value is named in a notice, which is Markdown: escaped. (?lang= is
    tried in the browser: AppTest's first run reruns before the notice is drawn.)"""
    hostile = "![x](http://example.invalid/xss-link.png)<img src=x onerror=alert(1)>"
    app = run_page(page, {param: hostile}, tables=False)  # the notice: first run only
    texts = assert_no_raw_payload(app)
    assert any(hostile in as_shown(text) for text in texts), texts


def test_upload_page_quotes_file_names_headers_and_values(store_path: Path, analyst: str) -> None:
    app = run_page("pages/upload.py")
    app.text_input(key="auth_name").input(analyst)
    app.text_input(key="auth_password").input(PASSWORD)
    app.button(key="auth_submit").click().run()
    app.selectbox(key="upload_table").set_value("seizures")
    header = "<img src=x onerror=alert('xss-h')>![h](http://example.invalid/xss-h.png)"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # quoted where the corpus holds ';' or '"'
    writer.writerow(["id", "fecha", "país", "droga", "kg", header])
    for i, payload in enumerate(MARKUP):
        writer.writerow([f"X{i}", f"2021-02-0{i % 9 + 1}", payload, "cocaína", 12, payload])
    data = buffer.getvalue().encode()
    name = "[f](javascript:alert(1)) ![i](http:example.invalid) <img src=x onerror=alert(1)>.csv"
    app.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    texts = assert_no_raw_payload(app, name, header)
    shown = [as_shown(text) for text in texts]
    assert f"'{header}' holds" in shown  # the column mapping's label
    report = next(t.value for t in app.dataframe if "severity" in t.value.columns)
    assert set(MARKUP) <= set(report["value"])  # tables show the values as they are

    # a file that loads: its name is quoted in the messages that follow
    good = "id;fecha;país;droga;kg\nG1;2021-02-01;Perú;cocaína;10\n".encode()
    app.file_uploader(key="upload_file").set_value((name, good, "text/csv")).run()
    app.text_input(key="upload_password").input(PASSWORD)
    app.button(key="upload_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(name in as_shown(s.value) for s in app.success)
    assert_no_raw_payload(app, name)
    assert DuckDBStore(store_path).versions()[0].file_name == name  # stored as it came

    app.switch_page("pages/history.py").run()
    app.button(key="history_rollback").click().run()  # the newest version is chosen
    texts = assert_no_raw_payload(app, name, name.lower())
    assert any(name.lower() in as_shown(text) for text in texts)  # 'Roll back version ...?'


# ---------------------------------------------------------------------------------------------
# The upload report and the exports


def hostile_seizures() -> pd.DataFrame:
    rows = [
        (f"{payload} {i}"[:100], f"2021-0{i % 9 + 1}-1{i % 9}", COUNTRIES[i % 8], "cocaine_hcl")
        for i, payload in enumerate(PAYLOADS)
    ]
    frame = seizures_frame([(*row, 10.0 + i, "vessel") for i, row in enumerate(rows)])
    return frame.assign(
        location=list(PAYLOADS),
        agency=list(reversed(PAYLOADS)),
        source=list(PAYLOADS),
        origin_iso3="COL",
        destination_iso3=[COUNTRIES[(i + 3) % 8] for i in range(len(PAYLOADS))],
    )


@pytest.fixture(scope="module")
def hostile_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    store = DuckDBStore(tmp_path_factory.mktemp("xss") / "xss.duckdb")
    cases = cases_frame(
        [
            (f"K{i}", COUNTRIES[i % 8], None, "2021-01-05", "2021-03-01", None, "pending")
            for i in range(12)
        ]
    ).assign(source=PAYLOADS[0])
    store.load_many(
        [
            LoadRequest("seizures", hostile_seizures(), PAYLOADS[1], PAYLOADS[5]),
            LoadRequest("cases", cases, PAYLOADS[4], PAYLOADS[6]),
        ]
    )
    return snapshot.build(store, threshold=0)


def is_formula(cell: object) -> bool:
    """A text cell a spreadsheet would run (numbers such as -2.5 are fine)."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_START):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def test_upload_report_csv_neutralises_formulas() -> None:
    errors = [RowError(i + 2, p, p, "unknown country") for i, p in enumerate(PAYLOADS)]
    text = uploads.report_csv(errors, []).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if is_formula(cell)]
    assert '\'=HYPERLINK("http://example.invalid/xss-formula","x")' in cells
    assert "<script>alert('xss-script')</script>" in cells  # kept as text, not escaped away


def test_html_snapshot_shows_the_corpus_as_text(hostile_snapshot: Snapshot) -> None:
    html = snapshot.render(hostile_snapshot, "html").decode("utf-8")
    document = Document(html)
    for tag, attributes in document.elements:
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, attributes)
            if name in ("href", "src", "srcdoc", "action", "data"):
                assert not any(m in (value or "") for m in MARKERS), (tag, attributes)
        if tag in ("img", "svg", "iframe", "a", "object", "embed"):
            assert not any(m in str(attributes) for m in MARKERS), (tag, attributes)
    for attributes, body in document.scripts:
        if any(marker in body for marker in MARKERS):  # only the charts' data blocks
            assert attributes.get("type") == "application/json", body[:200]
    # plotly draws its text as markup (<b>, <a href>...): data in it must come escaped
    for chart_id, spec in chart_specs(html).items():
        for text in strings_in(spec):
            if any(marker in text for marker in MARKERS):
                # the builders' own line breaks are the only markup: data comes escaped
                shown = text.replace("<br>", " ")
                assert "<" not in shown and ">" not in shown, (chart_id, text)
    visible = document.text
    for payload in (PAYLOADS[5], PAYLOADS[6]):  # the file names, in the versions table
        assert payload in visible


def test_csv_and_xlsx_snapshots_neutralise_formulas(hostile_snapshot: Snapshot) -> None:
    cells: list[object] = []
    archive = zipfile.ZipFile(io.BytesIO(snapshot.render(hostile_snapshot, "csv")))
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8-sig")
        cells += [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    workbook = openpyxl.load_workbook(io.BytesIO(snapshot.render(hostile_snapshot, "xlsx")))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                cells.append(cell.value)
    assert not [cell for cell in cells if is_formula(cell)]
    for payload in PAYLOADS:  # every entry is exported, as text
        expected = "'" + payload if payload.startswith(FORMULA_START) else payload
        assert expected in cells, payload


def test_upload_page_quotes_sheet_names(store_path: Path, analyst: str) -> None:
    """Excel allows most of the corpus in a sheet name (not []:*?/\\): offered as options,
    which show text as it is, and quoted escaped wherever a message names them."""
    sheets = ("<img src=x onerror=alert('xss-sheet')>", "{{7+7}} <b onmouseover=alert(1)>")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as workbook:
        for sheet in sheets:
            pd.DataFrame({"id": ["W-1"], "fecha": ["2023-05-01"], "país": [sheet]}).to_excel(
                workbook, sheet_name=sheet, index=False
            )
    app = run_page("pages/upload.py")
    app.text_input(key="auth_name").input(analyst)
    app.text_input(key="auth_password").input(PASSWORD)
    app.button(key="auth_submit").click().run()
    app.selectbox(key="upload_table").set_value("seizures")
    app.file_uploader(key="upload_file").set_value(
        ("libro.xlsx", buffer.getvalue(), "application/octet-stream")
    ).run()
    assert list(app.selectbox(key="upload_sheet").options) == list(sheets)
    app.selectbox(key="upload_sheet").set_value(sheets[1]).run()
    assert not app.exception, [e.value for e in app.exception]
    assert_no_raw_payload(app, *sheets)
    report = next(t.value for t in app.dataframe if "severity" in t.value.columns)
    assert sheets[1] in set(report["value"])  # the country cell of the chosen sheet, as text
