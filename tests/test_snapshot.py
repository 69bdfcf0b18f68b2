"""Donor snapshots without a browser: safe spreadsheets, provenance, the small-cell rule,
uploaded text shown as text, a self-contained HTML file and the `snapshot` command."""

from __future__ import annotations

import base64
import csv
import dataclasses
import datetime as dt
import hashlib
import html
import io
import json
import pickle
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from crimjust_data import disclosure, snapshot
from crimjust_data.__main__ import SNAPSHOT_FORMATS, main
from crimjust_data.disclosure import (
    count_text,
    is_small,
    mask_counts,
    rate_withheld,
    rule_text,
)
from crimjust_data.figures import justice as justice_charts
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters, Rate
from crimjust_data.queries import justice as justice_queries
from crimjust_data.snapshot import content, pdf
from crimjust_data.snapshot import html as html_snapshot
from crimjust_data.snapshot.content import Section, Snapshot
from crimjust_data.snapshot.html import READY_ATTRIBUTE
from crimjust_data.snapshot.tables import (
    csv_bytes,
    csv_zip,
    neutralise,
    neutralise_frame,
    sheet_name,
    xlsx_bytes,
)
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import cases_frame, seizures_frame

NOW = dt.datetime(2026, 11, 28, 14, 2, tzinfo=dt.UTC)
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd", "-2+3", "@SUM(A1)", "\tX", "\rX"]
PROVENANCE_KEYS = (
    "Report",
    "Generated (UTC)",
    "Filters",
    "Period",
    "Sources",
    "Dataset versions",
    "Small-cell rule",
)
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# ---------------------------------------------------------------------------------------------
# Stores, built once per module (no environment changes: the CLI tests set CRIMJUST_DB).


def _small_cases() -> pd.DataFrame:
    """COL (Latin America, opened 2020-02-01): 40 opened, 30 charged (a month later), 20 court
    outcomes (2020-09-01), 15 convicted.
    DOM (Caribbean, opened 2020-02-01): 6 opened, 5 charged, 2 court outcomes, 1 convicted.
    CPV (West Africa, opened 2021-02-01): 3 opened, 2 charged, 1 court outcome (2021-09-01),
    1 convicted.
    Data end: 2021-09-01 (CPV's verdict): the prosecution cohort is the cases opened by
    2020-09-01, COL's 40 (30 charged within 12 months) and DOM's 6 (5): 35 of 46; CPV's 3 are
    too recent to judge. Conviction: 17 convicted of 23 court outcomes. None was closed before
    a charge."""
    rows: list[tuple] = []

    def add(iso3: str, year: int, n: int, charged: bool, verdict: bool, outcome: str) -> None:
        for _ in range(n):
            rows.append(
                (
                    f"{iso3}-{len(rows) + 1:03d}",
                    iso3,
                    None,
                    f"{year}-02-01",
                    f"{year}-03-01" if charged else None,
                    f"{year}-09-01" if verdict else None,
                    outcome,
                )
            )

    add("COL", 2020, 15, True, True, "convicted")
    add("COL", 2020, 3, True, True, "acquitted")
    add("COL", 2020, 2, True, True, "dismissed")
    add("COL", 2020, 10, True, False, "pending")
    add("COL", 2020, 10, False, False, "pending")
    add("DOM", 2020, 1, True, True, "convicted")
    add("DOM", 2020, 1, True, True, "acquitted")
    add("DOM", 2020, 3, True, False, "pending")
    add("DOM", 2020, 1, False, False, "pending")
    add("CPV", 2021, 1, True, True, "convicted")
    add("CPV", 2021, 1, True, False, "pending")
    add("CPV", 2021, 1, False, False, "pending")
    return cases_frame(rows)


def _small_seizures() -> pd.DataFrame:
    frame = seizures_frame(
        [
            ("S1", "2020-01-10", "COL", "cocaine_hcl", 1000.0, "container"),
            ("S2", "2020-06-01", "COL", "cocaine_base", 200.0, "land"),
            ("S3", "2021-03-03", "DOM", "crack", 5.5, "air"),
            ("S4", "2021-07-07", "CPV", "cocaine_hcl", 800.0, "vessel"),
            ("S5", "2021-09-09", "ESP", "cocaine_hcl", 3000.0, "container"),
        ]
    )
    return frame.assign(
        origin_iso3=["COL", "COL", "COL", "BRA", "COL"],
        destination_iso3=["ESP", "USA", "USA", "PRT", "ESP"],
    )


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of real-looking (not synthetic) data with known small cells."""
    path = tmp_path_factory.mktemp("snapshot_small") / "small.duckdb"
    DuckDBStore(path).load_many(
        [
            LoadRequest("seizures", _small_seizures(), "test fixture"),
            LoadRequest("cases", _small_cases(), "test fixture"),
        ]
    )
    return path


@pytest.fixture(scope="module")
def small_store(small_db: Path) -> DuckDBStore:
    return DuckDBStore(small_db)


@pytest.fixture(scope="module")
def small5(small_store: DuckDBStore) -> Snapshot:
    return snapshot.build(small_store, threshold=5, now=NOW)


@pytest.fixture(scope="module")
def small0(small_store: DuckDBStore) -> Snapshot:
    return snapshot.build(small_store, threshold=0, now=NOW)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DuckDBStore:
    store = DuckDBStore(tmp_path_factory.mktemp("snapshot_demo") / "demo.duckdb")
    load_demo(store)
    return store


@pytest.fixture(scope="module")
def demo_snapshot(demo_store: DuckDBStore) -> Snapshot:
    return snapshot.build(demo_store, now=NOW)


@pytest.fixture(scope="module")
def demo_html(demo_snapshot: Snapshot) -> str:
    return snapshot.render(demo_snapshot, "html").decode("utf-8")


@pytest.fixture(scope="module")
def hostile_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """Seizures and cases whose source, location and agency are HTML and script."""
    store = DuckDBStore(tmp_path_factory.mktemp("snapshot_hostile") / "hostile.duckdb")
    seizures = _small_seizures().assign(
        source=PAYLOAD,
        location="<b onmouseover=alert(2)>Dock</b>",
        agency="<iframe src=javascript:alert(3)></iframe>",
    )
    cases = _small_cases().assign(source=PAYLOAD)
    store.load_many(
        [LoadRequest("seizures", seizures, PAYLOAD), LoadRequest("cases", cases, PAYLOAD)]
    )
    return snapshot.build(store, threshold=5, now=NOW)


# ---------------------------------------------------------------------------------------------
# Helpers


class Document(HTMLParser):
    """Every element (tag, attributes), each <script> (attributes, text) and the visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.visible: list[str] = []
        self._inside: str | None = None
        self._buffer: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._inside, self._buffer = tag, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            if tag == "script":
                self.scripts.append((self.elements_of("script")[-1], "".join(self._buffer)))
            self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside:
            self._buffer.append(data)
        else:
            self.visible.append(data)

    def elements_of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.visible).split())


def chart_specs(document: str) -> dict[str, dict[str, Any]]:
    """chart id -> the plotly figure spec in its JSON block."""
    found = re.findall(
        r"<script type='application/json' data-chart='(chart-\d+)'>(.*?)</script>",
        document,
        flags=re.S,
    )
    return {chart_id: json.loads(body) for chart_id, body in found}


def strings_in(value: object) -> Iterator[str]:
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def read_csv(data: bytes) -> pd.DataFrame:
    """A CSV export read back the documented way: BOM stripped, '#' lines skipped."""
    text = data.decode("utf-8")
    assert text.startswith("\ufeff"), "CSV exports start with a UTF-8 BOM"
    return pd.read_csv(io.StringIO(text[1:]), comment="#", keep_default_na=False)


def header_items(data: bytes) -> dict[str, str]:
    """The '# Key: value' provenance lines at the top of a CSV export, their commas and double
    quotes (written as look-alikes, so that each line stays one cell) read back."""
    items: dict[str, str] = {}
    for line in data.decode("utf-8").lstrip("\ufeff").splitlines():
        if not line.startswith("# "):
            break
        assert not {",", ";", '"', "\t"} & set(line), line
        key, _, value = line[2:].partition(": ")
        items[key] = value.replace("\u201a", ",").replace("\u201d", '"')
    return items


def section(snap: Snapshot, key: str) -> Section:
    matches = [s for s in snap.sections if s.key == key]
    assert matches, f"no section {key!r} in {[s.key for s in snap.sections]}"
    return matches[0]


def rate_row(snap: Snapshot, level: str, place_starts: str) -> dict[str, object]:
    rows = snap.rates[
        (snap.rates["Level"] == level) & snap.rates["Place"].str.startswith(place_starts)
    ]
    assert len(rows) == 1, snap.rates.to_string()
    return rows.iloc[0].to_dict()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------------------------
# 1. Formula neutralisation


@pytest.mark.parametrize("text", FORMULAS)
def test_neutralise_prefixes_formula_text(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["plain text", "", "Port of Guayaquil", "a=b", 0, 7, -5, 2.5, -5.0, None, True]
)
def test_neutralise_leaves_other_values_alone(value: object) -> None:
    result = neutralise(value)
    assert result == value and type(result) is type(value)


def _hostile_frame() -> pd.DataFrame:
    texts = [*FORMULAS, "plain", "Bogotá"]
    n = len(texts)
    return pd.DataFrame(
        {
            "text": texts,
            "kg": [-5.0, 1.5, -0.25, 0.0, 2.0, -1e6, 3.75, -2.5][:n],
            "count": list(range(-3, n - 3)),
            "=bad header": ["x"] * n,
        }
    )


def test_neutralise_frame_keeps_numbers_and_prefixes_text() -> None:
    frame = _hostile_frame()
    safe = neutralise_frame(frame)
    assert list(safe.columns) == ["text", "kg", "count", "'=bad header"]
    pd.testing.assert_series_equal(safe["kg"], frame["kg"])
    pd.testing.assert_series_equal(safe["count"], frame["count"])
    assert safe["text"].tolist() == [*("'" + t for t in FORMULAS), "plain", "Bogotá"]
    assert frame["text"].iloc[0] == FORMULAS[0], "the input frame is left as it was"


def test_csv_round_trip_neutralises_text_and_keeps_numbers() -> None:
    frame = _hostile_frame()
    frame = frame[frame["text"] != "\rX"].reset_index(drop=True)  # see the next test
    back = read_csv(csv_bytes(frame, [("Report", "test")]))
    assert list(back.columns) == ["text", "kg", "count", "'=bad header"]
    expected = [("'" + t if t in FORMULAS else t) for t in frame["text"]]
    assert back["text"].tolist() == expected
    assert all(t.startswith("'") for t in back["text"] if t[:1] in "=+-@\t\r")
    assert back["kg"].tolist() == frame["kg"].tolist()
    assert back["count"].tolist() == frame["count"].tolist()
    assert pd.api.types.is_float_dtype(back["kg"]) and pd.api.types.is_integer_dtype(back["count"])


def test_csv_keeps_a_carriage_return_inside_its_row() -> None:
    """'\\rX' is neutralised, but the cell must also stay in its own row: a reader that
    splits rows at the carriage return would see '=1+2' start a row, a formula."""
    frame = pd.DataFrame({"text": ["\rX", "note\r=1+2", "plain"], "kg": [-5.0, 1.0, 2.0]})
    data = csv_bytes(frame, [("Report", "test")])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    body = [r for r in rows if not r[0].startswith("#")]
    cells = [cell for row in body for cell in row if not _is_number(cell)]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], body
    # a reader that splits at the carriage return starts a cell there too: neutralised
    assert body == [["text", "kg"], ["'\rX", "-5.0"], ["note\r'=1+2", "1.0"], ["plain", "2.0"]]
    back = read_csv(data)
    assert back["text"].tolist() == ["'\rX", "note\r'=1+2", "plain"]
    assert back["kg"].tolist() == [-5.0, 1.0, 2.0]


def test_csv_cell_with_hash_survives_read_csv_comment() -> None:
    """The header says to read the tables back with read_csv(comment='#'); a '#' in the
    data (a berth 'Dock #4', a case number) must not cut its row short."""
    frame = pd.DataFrame({"location": ["Dock #4", "Pier 2"], "kg": [12.5, -3.0]})
    back = read_csv(csv_bytes(frame, [("Report", "test")]))
    assert back["location"].tolist() == ["Dock #4", "Pier 2"]
    assert back["kg"].tolist() == [12.5, -3.0]


def test_csv_provenance_lines_hold_no_formula_cell() -> None:
    """A spreadsheet splits the '# Key: value' lines at commas too: a source name with
    ',=' in it must not become a formula cell."""
    data = csv_bytes(pd.DataFrame({"a": [1]}), [("Sources", "file report,=1+2.csv")])
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_xlsx_has_no_formulas_and_keeps_numbers() -> None:
    frame = _hostile_frame()
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"data": frame}, [("Report", "t")])))
    assert book.sheetnames == ["About", "data"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    sheet = book["data"]
    header = [c.value for c in sheet[1]]
    assert header == ["text", "kg", "count", "'=bad header"]
    texts = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    for written, original in zip(texts, frame["text"], strict=True):
        if original in FORMULAS:
            # XML turns a bare carriage return into a line feed: compare the start only
            assert written.startswith("'") and written[1:2] == original[:1].replace("\r", "\n")
        else:
            assert written == original
    for r, (kg, count) in enumerate(zip(frame["kg"], frame["count"], strict=True), start=2):
        kg_cell, count_cell = sheet.cell(row=r, column=2), sheet.cell(row=r, column=3)
        assert kg_cell.data_type == "n" and kg_cell.value == kg
        assert count_cell.data_type == "n" and count_cell.value == count


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = {"about"}
    long = "timeline_kg_per_quarter_by_region"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert sheet_name("a/b:c*d?[e]", taken) == "a b c d  e"
    assert sheet_name("About", taken) == "About (2)"


# ---------------------------------------------------------------------------------------------
# 2. Provenance block


def test_csv_starts_with_the_provenance_block(demo_snapshot: Snapshot) -> None:
    data = csv_bytes(demo_snapshot.seizures, demo_snapshot.provenance())
    text = data.decode("utf-8")
    assert text.startswith("\ufeff# Report: CRIMJUST interdiction snapshot\n")
    items = header_items(data)
    for key in PROVENANCE_KEYS:
        assert items.get(key), f"{key} missing from {list(items)}"
    assert items["Generated (UTC)"] == "2026-11-28 14:02:00"
    assert items["Filters"] == "all data"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d", items["Period"])
    assert "synthetic" in items["Sources"].lower()
    assert "sha256" in items["Dataset versions"] and "6,000 rows" in items["Dataset versions"]
    assert items["Small-cell rule"] == rule_text(5)
    assert len(read_csv(data)) == 6000


def test_xlsx_about_sheet_has_the_provenance(demo_snapshot: Snapshot) -> None:
    data = snapshot.render(demo_snapshot, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    about = list(book["About"].iter_rows(values_only=True))
    assert about[0] == ("Item", "Value")
    items = dict(about[1:])
    for key in PROVENANCE_KEYS:
        assert items.get(key), f"{key} missing from the About sheet"
    assert dict(demo_snapshot.provenance()) == items
    expected = {"seizures", "cases", "rates", *(s.key for s in demo_snapshot.sections)}
    assert len(book.sheetnames) == 1 + len(expected)
    assert {name[:31] for name in expected} <= set(book.sheetnames)


def test_csv_zip_holds_every_table_with_the_block(demo_snapshot: Snapshot) -> None:
    data = snapshot.render(demo_snapshot, "csv")
    keys = [s.key for s in demo_snapshot.sections]
    assert {
        "seized_by_country",
        "flows_origin_destination",
        "flows_by_region",
        "timeline_kg_per_quarter_by_region",
        "attrition_funnel",
    } <= set(keys)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(f"{n}.csv" for n in ["seizures", "cases", "rates", *keys])
        for name in names:
            member = archive.read(name)
            items = header_items(member)
            for key in PROVENANCE_KEYS:
                assert items.get(key), f"{name}: {key} missing"
            assert items["Table"] == name.removesuffix(".csv")
            frame = read_csv(member)
            expected = demo_snapshot.tables()[name.removesuffix(".csv")]
            assert list(frame.columns) == [str(c) for c in expected.columns]
            assert len(frame) == len(expected), name


def test_csv_zip_of_plain_tables() -> None:
    data = csv_zip({"one": pd.DataFrame({"a": [1, -2]})}, [("Report", "r"), ("Period", "p")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = archive.read("one.csv")
    assert header_items(member) == {"Report": "r", "Period": "p", "Table": "one"}
    assert read_csv(member)["a"].tolist() == [1, -2]


# ---------------------------------------------------------------------------------------------
# 3. Small-cell suppression


@pytest.mark.parametrize(
    ("successes", "n", "threshold", "withheld"),
    [
        (3, 4, 5, True),  # n below the threshold
        (0, 3, 5, True),  # n below the threshold, even with no successes
        (2, 40, 5, True),  # numerator small
        (38, 40, 5, True),  # difference small
        (0, 40, 5, False),  # 0 is nobody to single out
        (40, 40, 5, False),  # difference 0
        (5, 10, 5, False),  # 5 is not small under 5
        (20, 40, 5, False),
        (1, 2, 0, False),  # threshold 0: off
        (1, 2, 1, False),  # threshold 1: off
        (9, 20, 10, True),
    ],
)
def test_rate_withheld(successes: int, n: int, threshold: int, withheld: bool) -> None:
    assert rate_withheld(successes, n, threshold) is withheld


def test_count_text_and_mask_counts() -> None:
    assert [count_text(c, 5) for c in (0, 1, 4, 5, 1234)] == ["0", "<5", "<5", "5", "1,234"]
    assert not is_small(0, 5) and is_small(4, 5) and not is_small(5, 5)
    frame = pd.DataFrame({"k": ["a", "b", "c"], "n": [0, 3, 12]})
    assert mask_counts(frame, ["n"], 5)["n"].tolist() == [0, "<5", 12]
    assert mask_counts(frame, ["n"], 0)["n"].tolist() == [0, 3, 12]
    assert frame["n"].tolist() == [0, 3, 12], "the input frame is left as it was"
    assert rule_text(5).startswith("Case counts from 1 to 4 are shown as '<5'")
    assert rule_text(0).startswith("No small-cell suppression")


def test_rates_table_suppresses_small_places(small5: Snapshot) -> None:
    cpv = rate_row(small5, "Country", "Cabo Verde")
    assert cpv["Cases opened"] == "<5"
    # CPV's cases are too recent to judge: no prosecution rate (n = 0), nothing to withhold
    assert pd.isna(cpv["Prosecution rate"]) and pd.isna(cpv["Prosecution 95% CI low"])
    assert cpv["Prosecution n"] == 0
    assert cpv["Conviction rate"] == "withheld"  # 1 of 1
    assert pd.isna(cpv["Conviction 95% CI high"]) and cpv["Conviction n"] == "<5"
    west_africa = rate_row(small5, "Region", "West Africa")
    assert west_africa["Cases opened"] == "<5" and west_africa["Conviction rate"] == "withheld"
    assert west_africa["Prosecution n"] == 0
    # DOM: 5 of 6 charged within 12 months (difference 1), 1 of 2 convicted: both withheld.
    # Its 6 cases, and so its prosecution n, are withheld too (secondary suppression): the
    # tile's 49 less COL's 40 and DOM's 6 would give CPV's 3.
    dom = rate_row(small5, "Country", "Dominican")
    assert dom["Cases opened"] == "withheld" and dom["Prosecution n"] == "withheld"
    assert dom["Prosecution rate"] == "withheld" and dom["Conviction rate"] == "withheld"
    assert pd.isna(dom["Prosecution 95% CI low"]) and dom["Conviction n"] == "<5"
    caribbean = rate_row(small5, "Region", "Caribbean")  # DOM is the Caribbean's one country
    assert caribbean["Cases opened"] == "withheld" and caribbean["Prosecution rate"] == "withheld"
    col = rate_row(small5, "Country", "Colombia")
    assert col["Cases opened"] == 40  # numbers stay numbers: a spreadsheet sums them
    assert col["Prosecution rate"] == 0.75 and col["Prosecution n"] == 40  # 30 / 40
    low, high = Rate(30, 40).interval
    assert (col["Prosecution 95% CI low"], col["Prosecution 95% CI high"]) == (
        round(low, 3),
        round(high, 3),
    )
    # 15 / 20, withheld: the tile's 17 of 23 less COL's 15 of 20 would be DOM's and CPV's
    # convictions, two counts of 1 to 4 that add up to 2 (so 1 each)
    assert col["Conviction rate"] == "withheld" and col["Conviction n"] == "withheld"
    assert rate_row(small5, "Region", "Latin America")["Prosecution rate"] == 0.75
    assert small5.withheld.further > 0


def test_headline_tiles_under_the_rule(small_store: DuckDBStore, small5: Snapshot) -> None:
    tiles = {t.label: t for t in small5.tiles}
    assert tiles["Cases opened"].value == "49"
    assert tiles["Cases opened"].note == "Case data end: Sep 1, 2021"  # CPV's verdict
    # 35 of the 46 cases opened by 2020-09-01 charged within 12 months, withheld: less COL's
    # 30 of 40 it would be DOM's 5 of 6 (the rates table withholds, 1 not charged)
    assert tiles["Prosecution rate"].value == "withheld"
    assert tiles["Prosecution rate"].note == "too few cases to show (n withheld)"
    # CPV's 3 too recent cases are a small count: not given in the note
    assert "too recent" not in tiles["Prosecution rate"].note
    assert tiles["Conviction rate"].value == f"{17 / 23:.1%}"
    assert tiles["Conviction rate"].note.endswith("n = 23")
    # Kaplan-Meier over the 37 charged cases: at 212 days CPV's outcome (1 of 37; its pending
    # case is censored there too), at 213 days 22 outcomes of the 35 at risk:
    # S = 36/37 * 13/35 = 0.36 <= 1/2 -> median 213 days; 14 pending
    assert tiles["Median time to verdict"].value == "213 days"
    assert tiles["Median time to verdict"].note.endswith(
        "37 charged cases, 14 still pending (Kaplan-Meier)"
    )
    assert tiles["Seizure events"].value == "5"
    only_cpv = snapshot.build(small_store, Filters(countries=("CPV",)), threshold=5, now=NOW)
    tiles = {t.label: t for t in only_cpv.tiles}
    assert tiles["Cases opened"].value == "<5"
    # every CPV case is too recent to judge: said so, never a rate; their number (3) is small
    assert tiles["Prosecution rate"].value == "too recent to judge"
    assert "3" not in tiles["Prosecution rate"].note
    assert tiles["Conviction rate"].value == "withheld"
    assert tiles["Conviction rate"].note == "too few cases to show (n <5)"
    assert tiles["Median time to verdict"].value == "withheld"  # 1 outcome, 1 pending
    assert tiles["Median time to verdict"].note == "too few cases to show"
    assert tiles["Seizure events"].value == "1", "seizures are never suppressed"
    assert "attrition_funnel" not in [s.key for s in only_cpv.sections]
    assert any("West Africa" in note for note in only_cpv.notes)


def test_cases_table_counts_per_country_year(small5: Snapshot) -> None:
    cases = small5.cases
    assert "case_id" not in cases.columns
    assert len(cases) == 3
    by_country = cases.set_index("country_iso3")
    assert by_country.loc["CPV", "opened"] == "<5"
    # DOM's 6 are withheld as in the rates table; COL's 15 convicted would tell DOM's and
    # CPV's from the conviction tile
    assert by_country.loc["COL", "opened"] == 40 and by_country.loc["DOM", "opened"] == "withheld"
    assert by_country.loc["COL", "acquitted"] == "<5"
    assert by_country.loc["COL", "convicted"] == "withheld"
    # DOM: 6 opened, 5 charged (one not charged: withheld); never a lone hidden outcome
    assert by_country.loc["DOM", "charged"] == "withheld"
    assert "verdict" not in cases.columns  # convicted + acquitted + dismissed: it told pending
    assert by_country.loc["DOM", "pending"] == "<5"
    for place in by_country.index:
        outcomes = by_country.loc[place, ["convicted", "acquitted", "dismissed", "pending"]]
        assert outcomes.isin(["<5", "withheld"]).sum() != 1, place
    assert by_country.loc["COL", "year_opened"] == 2020
    values = {str(v) for v in cases.drop(columns=["country_iso3", "country"]).to_numpy().ravel()}
    assert {str(n) for n in range(1, 5)}.isdisjoint(values), "a count of 1-4 is shown as '<5'"


def test_funnel_suppresses_small_stages_and_leaves_out_small_regions(
    small_store: DuckDBStore, small5: Snapshot
) -> None:
    # West Africa has 3 cases; the Caribbean's and Latin America's stages would tell the
    # counts withheld from the rates table (each region is one country here)
    assert "attrition_funnel" not in [s.key for s in small5.sections]
    assert any("fewer than 5 cases opened: West Africa" in n for n in small5.notes)
    assert any("cannot be worked out from it: Caribbean, Latin America" in n for n in small5.notes)
    # the chart's own rule, on the regions the snapshot could draw
    counts = justice_queries.page_tables(small_store, Filters()).funnel
    counts = counts[counts["region"] != "west_africa"]
    chart = justice_charts.funnel_chart(counts, "s", suppress_below=5)
    data = chart.data
    caribbean = data[data["Region"] == "Caribbean"].set_index("Stage")["Cases"]
    # opened 6, closed before charge 0, charged 5, court outcome 2, convicted 1: 5 of 6 charged
    # tells of one person not charged, withheld like a count of 1
    assert caribbean.tolist() == [6, 0, "withheld", "<5", "<5"]
    assert caribbean.index.tolist() == [
        "Opened",
        "Closed before charge",
        "Charged",
        "Court outcome",
        "Convicted",
    ]
    shares = data[data["Region"] == "Caribbean"]["% of cases opened"].tolist()
    assert shares[:2] == [100.0, 0.0] and all(pd.isna(s) for s in shares[2:])
    assert data[data["Region"] == "Latin America"]["Cases"].tolist() == [40, 0, 30, 20, 15]
    figure = chart.figure.to_plotly_json()
    traces = {t["name"]: t for t in figure["data"] if t["type"] == "funnel"}
    assert set(traces) == {"Latin America", "Caribbean"}
    assert list(traces["Caribbean"]["x"]) == [6, 0, None, None, None], "small stages not drawn"
    assert list(traces["Caribbean"]["text"])[2:] == ["withheld", "<5", "<5"]
    # the summary names no withheld count: the Caribbean's conviction count is withheld
    # and no region with fewer than 30 court outcomes is ranked (Latin America has 20)
    assert chart.summary == (
        "The conviction count of 1 group is withheld (too few cases). "
        "1 region with fewer than 30 court outcomes is not ranked."
    )


def test_funnel_withholds_a_stage_that_tells_of_few_cases() -> None:
    """Each stage is checked against the stage it is part of: charged against opened (and
    against those awaiting a charge), court outcome against charged, convicted against court
    outcome; never against a sibling stage."""
    counts = pd.DataFrame(
        {
            "region": ["latin_america"] * 5 + ["caribbean"] * 5 + ["europe"] * 5,
            "stage": [stage for stage, _label in justice_queries.FUNNEL_STAGES] * 3,
            "stage_label": "s",
            "cases": [
                # opened 20, 10 closed before charge, 8 charged: 2 await a charge (small)
                *(20, 10, 8, 0, 0),
                # opened 30, 12 closed before charge, 10 charged: 8 await a charge, 20 not
                # charged; 12 - 10 = 2 compares siblings and tells of nobody
                *(30, 12, 10, 10, 5),
                # opened 40, 6 closed before charge, 34 charged, 20 court outcomes, 17
                # convicted: 3 acquitted or dismissed (small)
                *(40, 6, 34, 20, 17),
            ],
            "opened": [20] * 5 + [30] * 5 + [40] * 5,
        }
    )
    counts["share_of_opened"] = counts["cases"] / counts["opened"]
    chart = justice_charts.funnel_chart(counts, "s", suppress_below=5)
    cases = chart.data.groupby("Region", sort=False)["Cases"].apply(list).to_dict()
    assert cases == {
        "Latin America": [20, 10, "withheld", 0, 0],
        "Caribbean": [30, 12, 10, 10, 5],
        "Europe": [40, 6, 34, 20, "withheld"],
    }


def test_threshold_zero_shows_everything(small0: Snapshot, small5: Snapshot) -> None:
    cases = small0.cases
    assert "case_id" in cases.columns and len(cases) == 49
    assert cases["case_id"].is_unique
    cpv = rate_row(small0, "Country", "Cabo Verde")
    assert cpv["Cases opened"] == 3 and cpv["Conviction rate"] == 1.0
    assert cpv["Conviction n"] == 1 and cpv["Prosecution n"] == 0  # too recent
    dom = rate_row(small0, "Country", "Dominican")
    assert dom["Prosecution rate"] == round(5 / 6, 3) and dom["Conviction rate"] == 0.5
    data = section(small0, "attrition_funnel").chart.data
    assert "West Africa" in set(data["Region"])
    assert data[data["Region"] == "Caribbean"]["Cases"].tolist() == [6, 0, 5, 2, 1]
    assert not any("Left out of the funnel" in n for n in small0.notes)
    tiles = {t.label: t for t in small0.tiles}
    assert "3 cases opened less than 12 months before the data's end" in (
        tiles["Prosecution rate"].note
    )
    shown: list[str] = [str(v) for t in small0.tiles for v in (t.value, t.note)]
    for frame in small0.tables().values():
        shown += [str(v) for v in frame.to_numpy().ravel()]
    for part in small0.sections:
        shown += list(strings_in(part.chart.figure.to_plotly_json()))
    assert not [s for s in shown if "<0" in s or "<5" in s or s == "withheld"]
    assert dict(small0.provenance())["Small-cell rule"] == rule_text(0)
    assert small5.cases.shape[0] < small0.cases.shape[0]


def test_build_rejects_bad_language_and_threshold(small_store: DuckDBStore) -> None:
    with pytest.raises(ValueError, match="language"):
        snapshot.build(small_store, lang="de")
    with pytest.raises(ValueError, match="threshold"):
        snapshot.build(small_store, threshold=-1)
    with pytest.raises(ValueError, match="format"):
        snapshot.render(snapshot.build(small_store), "docx")


# ---------------------------------------------------------------------------------------------
# 4. Uploaded text is shown as text


def test_without_data_the_page_reads_no_chart_and_with_data_makes_the_same_files(
    demo_store: DuckDBStore,
) -> None:
    """What the export page caches at each rerun (pickled) holds no chart's numbers and no
    rows; `with_data` then makes the files `build` makes, in the snapshot's language."""
    filters = Filters(regions=("west_africa", "caribbean"))
    full = snapshot.build(demo_store, filters, lang="es", threshold=5, now=NOW)
    light = snapshot.build(demo_store, filters, lang="es", threshold=5, now=NOW, rows=False)
    light = pickle.loads(pickle.dumps(light))  # as st.cache_data keeps it
    assert [(s.key, s.heading, s.caption) for s in light.sections] == [
        (s.key, s.heading, s.caption) for s in full.sections
    ]
    assert (light.notes, light.tiles) == (full.notes, full.tiles)
    pd.testing.assert_frame_equal(light.rates, full.rates)
    with pytest.raises(ValueError, match="with_data"):
        _ = light.sections[0].chart
    with pytest.raises(ValueError, match="with_data"):
        light.tables()
    html_only = content.with_data(light, demo_store, rows=False)
    assert snapshot.render(html_only, "html") == snapshot.render(full, "html")
    made = content.with_data(light, demo_store).tables()
    assert list(made) == list(full.tables())
    for name, table in full.tables().items():
        pd.testing.assert_frame_equal(made[name], table)


def test_uploaded_html_is_text_not_markup(hostile_snapshot: Snapshot) -> None:
    document = snapshot.render(hostile_snapshot, "html").decode("utf-8")
    parsed = Document(document)
    sections = len(hostile_snapshot.sections)
    assert sections >= 4
    scripts = parsed.scripts
    assert len(scripts) == 1 + sections, [attrs for attrs, _ in scripts]
    for attrs, _ in scripts[:-1]:
        assert attrs.get("type") == "application/json" and attrs.get("data-chart")
    assert scripts[-1][0] == {} and "Plotly.newPlot" in scripts[-1][1]
    tags = {tag for tag, _ in parsed.elements}
    assert tags.isdisjoint({"img", "iframe", "object", "embed", "svg", "a", "link", "b"}), tags
    for tag, attrs in parsed.elements:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not [v for v in attrs.values() if v and "javascript:" in v], (tag, attrs)
    outside_json = re.sub(r"<script type='application/json'.*?</script>", "", document, flags=re.S)
    for raw in ("<script>alert", "<img src=x", "<b onmouseover", "<iframe src=javascript"):
        assert raw not in outside_json, f"{raw!r} written as markup"
    assert html.escape(PAYLOAD) in document
    assert PAYLOAD in parsed.text, "the source is shown, as text"


def test_chart_source_line_is_escaped(hostile_snapshot: Snapshot) -> None:
    document = snapshot.render(hostile_snapshot, "html").decode("utf-8")
    specs = chart_specs(document)
    assert len(specs) == len(hostile_snapshot.sections)
    for chart_id, spec in specs.items():
        sources = [  # the line is broken into lines (<br>) that fit a phone
            a["text"].replace("<br>", " ")
            for a in spec["layout"].get("annotations", [])
            if str(a.get("text", "")).startswith("Source:")
        ]
        assert sources == [f"Source: {html.escape(PAYLOAD)}"], chart_id
        for text in strings_in(spec):
            assert "<script" not in text and "<img" not in text and "<iframe" not in text, (
                chart_id,
                text[:200],
            )


def test_hostile_text_in_csv_and_xlsx_stays_text(hostile_snapshot: Snapshot) -> None:
    seizures = hostile_snapshot.tables()["seizures"]
    assert set(seizures["source"]) == {PAYLOAD}
    with zipfile.ZipFile(io.BytesIO(snapshot.render(hostile_snapshot, "csv"))) as archive:
        back = read_csv(archive.read("seizures.csv"))
    assert set(back["source"]) == {PAYLOAD} and set(back["location"]) == {
        "<b onmouseover=alert(2)>Dock</b>"
    }


# ---------------------------------------------------------------------------------------------
# 5. The synthetic-data banner


def _banners(document: str) -> list[dict[str, str | None]]:
    return [
        attrs
        for tag, attrs in Document(document).elements
        if "synthetic" in (attrs.get("class") or "").split()
    ]


def test_synthetic_banner_on_demo_data(demo_html: str, demo_snapshot: Snapshot) -> None:
    banners = _banners(demo_html)
    assert len(banners) == 1 and banners[0].get("role") == "alert"
    assert "Synthetic data: some or all of the figures" in Document(demo_html).text
    assert dict(demo_snapshot.provenance())["Synthetic data"].startswith("YES")


def test_no_synthetic_banner_on_real_data(small5: Snapshot) -> None:
    document = snapshot.render(small5, "html").decode("utf-8")
    assert _banners(document) == []
    assert "Synthetic data:" not in Document(document).text
    assert dict(small5.provenance())["Synthetic data"] == "no"


# ---------------------------------------------------------------------------------------------
# 6. A self-contained HTML file


def test_html_is_self_contained(demo_html: str, demo_snapshot: Snapshot) -> None:
    assert demo_html.startswith("<!DOCTYPE html>")
    parsed = Document(demo_html)
    for tag, attrs in parsed.elements:
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            value = attrs.get(name) or ""
            assert "://" not in value and not value.startswith("//"), (tag, name, value)
    assert not parsed.elements_of("link") and not parsed.elements_of("iframe")
    csp = [
        a
        for a in parsed.elements_of("meta")
        if (a.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert len(csp) == 1
    policy = [p.strip() for p in (csp[0].get("content") or "").split(";")]
    assert "default-src 'none'" in policy
    assert not [p for p in policy if "http" in p or p.startswith("connect-src")]
    # plotly.js and the topology travel packed in the one inline script, which unpacks them
    library = html_snapshot.library_js()
    assert library.startswith("window.PlotlyGeoAssets = {topojson: {world_50m: ")
    assert library.endswith(get_plotlyjs()) and get_plotlyjs()[:200] not in demo_html
    assert len(demo_html.encode("utf-8")) < 2_500_000
    # exactly two scripts may run: the one in the file, and the library it unpacks
    scripts = [p for p in policy if p.startswith("script-src")]
    assert scripts == [
        "script-src "
        + " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
            for code in (parsed.scripts[-1][1], library)
        )
    ]
    assert "unsafe-eval" not in csp[0]["content"] and "unsafe-inline" not in scripts[0]
    charts = [a for a in parsed.elements_of("div") if "chart" in (a.get("class") or "").split()]
    assert [a["id"] for a in charts] == [f"chart-{i}" for i in range(1, len(charts) + 1)]
    assert [a["data-section"] for a in charts] == [s.key for s in demo_snapshot.sections]
    assert READY_ATTRIBUTE in parsed.scripts[-1][1]


# ---------------------------------------------------------------------------------------------
# 7. The `snapshot` command


@pytest.fixture
def small_cli(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CRIMJUST_DB set to the small store, the deployment threshold at its default."""
    monkeypatch.setenv("CRIMJUST_DB", str(small_db))
    monkeypatch.delenv("CRIMJUST_SMALL_CELL_THRESHOLD", raising=False)
    return small_db


def _left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", ["html", "csv", "xlsx"])
def test_cli_writes_each_format(
    fmt: str, small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"report.{ {'csv': 'zip'}.get(fmt, fmt) }"
    code, stdout, err = run(capsys, "snapshot", "--out", str(out))
    assert code == 0, err
    assert f"wrote {out} ({fmt}," in stdout
    assert _left_in(tmp_path) == [out.name], "no partial file is left beside the report"
    data = out.read_bytes()
    if fmt == "html":
        assert data.startswith(b"<!DOCTYPE html>")
    elif fmt == "csv":
        with zipfile.ZipFile(out) as archive:
            assert archive.testzip() is None
            assert {"seizures.csv", "cases.csv", "rates.csv"} <= set(archive.namelist())
    else:
        book = openpyxl.load_workbook(out)
        assert book.sheetnames[:4] == ["About", "seizures", "cases", "rates"]


def test_cli_format_option_and_filters(
    small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tables.bin"
    code, _, err = run(
        capsys,
        "snapshot",
        "--out",
        str(out),
        "--format",
        "csv",
        "--country",
        "col",
        "--from",
        "2020-01-01",
        "--to",
        "2020-12-31",
        "--suppress-below",
        "0",
    )
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        cases = read_csv(archive.read("cases.csv"))
        items = header_items(archive.read("cases.csv"))
    assert "case_id" in cases.columns and set(cases["country_iso3"]) == {"COL"}
    assert len(cases) == 40
    assert items["Period"] == "2020-01-01 to 2020-12-31"
    assert "Colombia" in items["Filters"] and items["Small-cell rule"] == rule_text(0)


def test_cli_threshold_from_the_environment(
    small_cli: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRIMJUST_SMALL_CELL_THRESHOLD", "10")
    out = tmp_path / "tables.zip"
    code, _, err = run(capsys, "snapshot", "--out", str(out))
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        assert header_items(archive.read("rates.csv"))["Small-cell rule"] == rule_text(10)
        rates = read_csv(archive.read("rates.csv"))
    dom = rates[rates["Place"].str.startswith("Dominican")].iloc[0]
    assert dom["Cases opened"] == "<10"


@pytest.mark.parametrize(
    "args",
    [
        ["--country", "XYZ"],
        ["--region", "atlantis"],
        ["--from", "2020-13-01"],
        ["--format", "docx"],
        ["--lang", "de"],
        ["--suppress-below", "-1"],
    ],
)
def test_cli_usage_errors_exit_2(
    args: list[str], small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    with pytest.raises(SystemExit) as exit_:
        main(["snapshot", "--out", str(out), *args])
    assert exit_.value.code == 2
    assert "usage:" in capsys.readouterr().err
    assert _left_in(tmp_path) == []


def test_cli_from_after_to_exits_1(
    small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    code, _, err = run(
        capsys, "snapshot", "--out", str(out), "--from", "2021-01-01", "--to", "2020-01-01"
    )
    assert code == 1
    assert err.startswith("error: ") and "after" in err and err.count("\n") == 1
    assert _left_in(tmp_path) == []


@pytest.mark.parametrize("name", ["report.txt", "report"])
def test_cli_unknown_extension_exits_1(
    name: str, small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "snapshot", "--out", str(tmp_path / name))
    assert code == 1
    assert err.startswith("error: cannot tell the format") and "--format" in err
    assert _left_in(tmp_path) == []


def test_cli_missing_folder_exits_1(
    small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "snapshot", "--out", str(tmp_path / "nope" / "report.html"))
    assert code == 1 and "does not exist" in err
    assert _left_in(tmp_path) == []


def test_cli_failure_leaves_no_file_behind(
    small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The target is a folder, so the final rename fails: nothing may be left beside it."""
    (tmp_path / "report.html").mkdir()
    code, _, err = run(capsys, "snapshot", "--out", str(tmp_path / "report.html"))
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1
    assert _left_in(tmp_path) == ["report.html"], "a partial file was left behind"
    assert list((tmp_path / "report.html").iterdir()) == []


def test_cli_writes_the_language_asked_for(
    small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    code, _, err = run(capsys, "snapshot", "--out", str(out), "--lang", "es")
    assert code == 0 and "English" not in err  # no 'not available' note
    document = out.read_text(encoding="utf-8")
    assert "<html lang='es'>" in document and "(Español)" in document
    for english in ("Headline figures", "Methods and sources", "Dataset versions", "Period:"):
        assert english not in document
    english = tmp_path / "report-en.html"
    assert run(capsys, "snapshot", "--out", str(english))[0] == 0
    assert "Headline figures" in english.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# 8. No browser, no PDF


def test_pdf_unavailable_says_how_to_enable(
    small5: Snapshot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRIMJUST_CHROMIUM", "/nonexistent/chromium")
    available, message = pdf.pdf_available()
    assert available is False
    assert "apt-get install chromium" in message and "CRIMJUST_CHROMIUM" in message
    assert "/nonexistent/chromium" in message
    with pytest.raises(pdf.PdfUnavailable, match="apt-get install chromium"):
        snapshot.render(small5, "pdf")
    not_executable = tmp_path / "chromium"
    not_executable.write_text("#!/bin/sh\n")
    not_executable.chmod(0o644)
    monkeypatch.setenv("CRIMJUST_CHROMIUM", str(not_executable))
    assert pdf.pdf_available()[0] is False
    with pytest.raises(pdf.PdfUnavailable):
        pdf.find_browser()


def test_cli_pdf_unavailable_exits_1(
    small_cli: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRIMJUST_CHROMIUM", "/nonexistent/chromium")
    code, stdout, err = run(capsys, "snapshot", "--out", str(tmp_path / "report.pdf"))
    assert code == 1 and stdout == ""
    assert err.startswith("error: CRIMJUST_CHROMIUM is set to") and err.count("\n") == 1
    assert "apt-get install chromium" in err
    assert _left_in(tmp_path) == []


def test_file_name(small5: Snapshot) -> None:
    period = f"{small5.period[0].year}-{small5.period[1].year}"
    assert snapshot.file_name(small5, "html") == (
        f"crimjust_snapshot_all_{period}_en_20261128-1402.html"
    )
    assert snapshot.file_name(small5, "csv").endswith("_en_20261128-1402.zip")


def test_file_name_says_the_filters_period_and_language(small5: Snapshot) -> None:
    caribbean = dataclasses.replace(
        small5,
        filters=Filters(
            regions=("caribbean",), date_from=dt.date(2019, 1, 1), date_to=dt.date(2023, 12, 31)
        ),
        period=(dt.date(2019, 1, 1), dt.date(2023, 12, 31)),
        lang="fr",
    )
    assert snapshot.file_name(caribbean, "html") == (
        "crimjust_snapshot_caribbean_2019-2023_fr_20261128-1402.html"
    )
    odd = dataclasses.replace(
        caribbean,
        filters=Filters(
            countries=("CPV",),
            sources=("Políce / <b>Ports</b> 2024",),
            date_from=dt.date(2019, 3, 1),
        ),
        period=(dt.date(2019, 3, 1), dt.date(2023, 12, 31)),
        lang="pt",
    )
    name = snapshot.file_name(odd, "pdf")
    assert (
        name == "crimjust_snapshot_cpv-police-b-ports-b-2024_20190301-20231231_pt_20261128-1402.pdf"
    )
    assert re.fullmatch(r"[a-z0-9_.-]+", name)
    assert set(snapshot.FORMATS) == {"html", "pdf", "csv", "xlsx"} == set(SNAPSHOT_FORMATS)


def test_a_lone_suppressed_outcome_gets_a_complementary_one() -> None:
    """A row of outcomes adding up to its cases opened, one of them small: the smallest other
    non-zero one is withheld with it (and nothing when none is small)."""
    row = {"opened": 40, "convicted": 15, "acquitted": 2, "dismissed": 6, "pending": 17}
    model = disclosure.Linked(5)
    for name, value in row.items():
        model.count(name, value, level=1 if name == "opened" else 0)
    model.sum("opened", ["convicted", "acquitted", "dismissed", "pending"])
    model.withhold("acquitted")
    assert model.determined(["acquitted"]) == {"acquitted"}  # 40 - 15 - 6 - 17
    assert model.protect() == {"dismissed"}  # the next smallest
    assert model.determined(["acquitted", "dismissed"]) == set()
    assert model.withheld() == {"acquitted", "dismissed"}

    plain = disclosure.Linked(5)
    for name, value in {"opened": 40, "convicted": 10, "pending": 30}.items():
        plain.count(name, value, level=0)
    plain.sum("opened", ["convicted", "pending"])
    assert plain.protect() == set() and plain.withheld() == set()


def test_small_counts_adding_up_to_their_bounds_are_protected() -> None:
    """Four '<5' years of a country whose total is '<5' are 1 each: one of them (or the
    total) is shown as 'withheld' instead, which says nothing of its size."""
    model = disclosure.Linked(5)
    model.count("total", 4, level=1)
    for year in range(4):
        model.count(year, 1, level=0)
    model.sum("total", list(range(4)))
    for key in ("total", *range(4)):
        model.withhold(key)
    assert model.determined(["total", *range(4)]) == {"total", *range(4)}
    model.protect()
    assert model.widened == {"total"} and model.determined(["total", *range(4)]) == set()


def test_a_sum_with_an_error_is_refused() -> None:
    model = disclosure.Linked(5)
    model.count("total", 10, level=1)
    model.count("part", 9, level=0)
    with pytest.raises(ValueError, match="'total' is 10, its parts add to 9"):
        model.sum("total", ["part"])
