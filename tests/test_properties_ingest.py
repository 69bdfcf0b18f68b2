"""Properties of the readers and the normaliser on generated files (issue 8), with hypothesis:

(a) a table of text cells written as CSV (any supported delimiter and encoding) or as XLSX
    reads back to the same cells, trimmed, on the same row numbers;
(b) valid canonical values, written as analysts write them (decimal commas or points with
    thousands separators, day-first dates, country names or codes), are accepted and read back
    to the same values; arbitrary text cells never make the normaliser raise, only report
    located problems;
(c) arbitrary bytes, and damaged copies of real files, make the readers raise InputFileError
    or nothing else.

Example counts are modest and derandomized: the same examples on every run, in a few seconds.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crimjust_data import countries
from crimjust_data.errors import InputFileError
from crimjust_data.ids import INVISIBLE, id_key
from crimjust_data.ingest.normalise import _id_keys, normalise
from crimjust_data.ingest.readers import excel_sheet_names, read_table_file
from crimjust_data.schemas import DRUGS, RowError

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# (encoding as written, BOM written before it, characters it can hold)
ACCENTED = "áéíóúñçãõàèâêôüÁÉÍÓÚÑÇ"  # all at 0xC0-0xFF in Latin-1: never a UTF-8 sequence
ENCODINGS: dict[str, tuple[str, bytes, str]] = {
    "utf-8": ("utf-8", b"", "any"),
    "utf-8 with BOM": ("utf-8", codecs.BOM_UTF8, "any"),
    "utf-16 LE with BOM": ("utf-16-le", codecs.BOM_UTF16_LE, "any"),
    "utf-16 BE with BOM": ("utf-16-be", codecs.BOM_UTF16_BE, "any"),
    "utf-32 with BOM": ("utf-32-le", codecs.BOM_UTF32_LE, "any"),
    # without a BOM, UTF-16 is recognised by the zero bytes of ASCII text
    "utf-16 LE without BOM": ("utf-16-le", b"", "ascii"),
    "cp1252": ("cp1252", b"", "latin"),
    "latin-1": ("latin-1", b"", "latin"),
}


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _rows(frame: pd.DataFrame) -> list[list[str | None]]:
    return [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]


_EDGES = re.compile(rf"^[\s{INVISIBLE}]+|[\s{INVISIBLE}]+$")


def _expected(rows: list[list[str]]) -> list[list[str | None]]:
    """Cells as the reader returns them: without whitespace or invisible characters at either
    end, blank as None, blank rows at the end gone."""
    cleaned = [[_EDGES.sub("", cell) or None for cell in row] for row in rows]
    while cleaned and all(cell is None for cell in cleaned[-1]):
        cleaned.pop()
    return cleaned


# Text a spreadsheet cell can hold: no control characters (refused, or not text), no lone
# surrogates, no line or paragraph separators (lines of their own to some readers).
_CELL_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"))


def _alphabet(kind: str, delimiters: bool) -> st.SearchStrategy[str]:
    if kind == "any":
        chars: st.SearchStrategy[str] = _CELL_CHARACTERS | st.sampled_from(" \t\n\r")
    elif kind == "latin":
        chars = st.sampled_from(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-/()'" + ACCENTED
        )
    else:
        chars = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-")
    if delimiters:
        chars = chars | st.sampled_from(',;"\t\n')
    else:  # nothing for the delimiter detection to weigh: the file's own delimiter decides
        chars = chars.filter(lambda c: c not in ',;"\t\n\r')
    return chars


@st.composite
def tables(draw: st.DrawFn, kind: str, delimiters: bool, max_rows: int = 12) -> list[list[str]]:
    """A header of distinct names (letters first: not a row of numbers) and rows of text."""
    width = draw(st.integers(2, 6))
    names = draw(
        st.lists(
            st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True),
            min_size=width,
            max_size=width,
            unique=True,
        )
    )
    cell = st.text(_alphabet(kind, delimiters), max_size=12)
    body = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=max_rows))
    return [names, *body]


def _csv_bytes(table: list[list[str]], delimiter: str, encoding: str, sep_line: bool) -> bytes:
    buffer = io.StringIO()
    if sep_line:
        buffer.write(f"sep={delimiter}\n")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode(encoding)


def _check_round_trip(path: Path, table: list[list[str]]) -> None:
    read = read_table_file(path)
    assert list(read.frame.columns) == table[0]
    assert _rows(read.frame) == _expected(table[1:])
    assert (read.header_row, read.first_data_row) == (1, 2)
    assert [read.row_number(i) for i in range(len(read.frame))] == [
        i + 2 for i in range(len(read.frame))
    ]


# ---------------------------------------------------------------------------------------------
# (a) round trips


@pytest.mark.parametrize("label", list(ENCODINGS))
def test_csv_cells_read_back_in_every_encoding(label: str) -> None:
    encoding, bom, kind = ENCODINGS[label]

    @SETTINGS
    @given(table=tables(kind, delimiters=False), delimiter=st.sampled_from([",", ";", "\t"]))
    def check(table: list[list[str]], delimiter: str) -> None:
        data = bom + _csv_bytes(table, delimiter, encoding, sep_line=False)
        with tempfile.TemporaryDirectory() as folder:
            path = _written(Path(folder) / "t.csv", data)
            read = read_table_file(path)
            assert read.delimiter == delimiter
            _check_round_trip(path, table)

    check()


@SETTINGS
@given(
    table=tables("any", delimiters=True),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-16"]),
)
def test_csv_cells_with_quotes_delimiters_and_line_breaks_read_back(
    table: list[list[str]], delimiter: str, encoding: str
) -> None:
    """Any text, quoted as spreadsheets quote it; Excel's 'sep=' line names the delimiter."""
    with tempfile.TemporaryDirectory() as folder:
        path = _written(Path(folder) / "t.csv", _csv_bytes(table, delimiter, encoding, True))
        _check_round_trip(path, table)


@settings(SETTINGS, max_examples=25)
@given(table=tables("any", delimiters=True, max_rows=6))
def test_xlsx_cells_read_back(table: list[list[str]]) -> None:
    # a text cell starting with '=' would be written as a formula: the analyst's file would
    # hold its result (none here: openpyxl computes nothing); XML reads a CR as a line feed
    table = [[cell.replace("\r", "") for cell in row] for row in table]
    assume(not any(cell.startswith("=") for row in table for cell in row))
    workbook = openpyxl.Workbook()
    for row in table:
        workbook.active.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        workbook.save(path)
        _check_round_trip(path, table)


# ---------------------------------------------------------------------------------------------
# (b) the normaliser


def _resolvable() -> list[str]:
    """ISO3 codes whose English name reads back as the same code."""
    codes = sorted(countries.known_iso3())
    return [c for c in codes if countries.resolve_country(countries.country_name(c, "en")) == c]


COUNTRY_CODES = _resolvable()
_LANGUAGES = ("en", "es", "fr", "pt")


@st.composite
def quantities(draw: st.DrawFn, decimal_comma: bool) -> tuple[float, str]:
    """A quantity in kg with two decimals, as a spreadsheet writes it in one convention."""
    cents = draw(st.integers(1, 3_000_000))
    value = cents / 100
    text = f"{value:,.2f}" if draw(st.booleans()) else f"{value:.2f}"
    if decimal_comma:
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return value, text


@st.composite
def dates(draw: st.DrawFn) -> tuple[dt.date, str]:
    day = draw(st.dates(dt.date(1990, 1, 1), dt.date.today()))
    text = day.isoformat() if draw(st.booleans()) else day.strftime("%d/%m/%Y")
    return day, text


@st.composite
def country_cells(draw: st.DrawFn) -> tuple[str, str]:
    code = draw(st.sampled_from(COUNTRY_CODES))
    style = draw(st.sampled_from(["code", "lower", "name", "name upper"]))
    if style == "code":
        return code, code
    if style == "lower":
        return code, code.lower()
    name = countries.country_name(code, draw(st.sampled_from(_LANGUAGES)))
    assume(countries.resolve_country(name) == code)  # a few names are shared by two countries
    return code, name.upper() if style == "name upper" else name


@SETTINGS
@given(
    data=st.data(),
    n=st.integers(1, 8),
    decimal_comma=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_valid_seizures_in_analysts_formats_are_accepted_as_they_are(
    data: st.DataObject, n: int, decimal_comma: bool, delimiter: str
) -> None:
    rows = []
    for i in range(n):
        kg, kg_text = data.draw(quantities(decimal_comma))
        day, day_text = data.draw(dates())
        iso3, country_text = data.draw(country_cells())
        drug = data.draw(st.sampled_from(DRUGS))
        rows.append(((f"P-{i}", day, iso3, drug, kg), [f"P-{i}", day_text, country_text, drug]))
        rows[-1][1].append(kg_text)
    header = ["seizure_id", "date", "country", "drug", "quantity_kg"]
    table = [header, *(cells for __, cells in rows)]
    with tempfile.TemporaryDirectory() as folder:
        path = _written(Path(folder) / "s.csv", _csv_bytes(table, delimiter, "utf-8", False))
        result = normalise(read_table_file(path), "seizures")
    assert result.errors == [], result.errors
    frame = result.frame
    assert frame["seizure_id"].tolist() == [values[0] for values, __ in rows]
    assert [d.date() for d in frame["date"]] == [values[1] for values, __ in rows]
    assert frame["country_iso3"].tolist() == [values[2] for values, __ in rows]
    assert frame["drug"].tolist() == [values[3] for values, __ in rows]
    assert frame["quantity_kg"].tolist() == pytest.approx([values[4] for values, __ in rows])
    assert result.rows == list(range(2, n + 2))


SEIZURE_HEADER = ["seizure_id", "date", "country", "drug", "quantity_kg", "unit", "arrests"]


# Characters that make ids look different without being different ids (ids.id_key), and some
# that are different letters.
_ID_CHARACTERS = st.sampled_from(
    list("kK1Ii-_ \t\x0b\x1c\xa0\u2003\u3000") + list(INVISIBLE) + ["é", "e", "\u0301", "İ", "ß"]
)


@settings(SETTINGS, max_examples=300)
@given(ids=st.lists(st.text(_ID_CHARACTERS, max_size=6), min_size=2, max_size=12))
def test_ids_one_key_apart_are_repeated_within_a_file(ids: list[str]) -> None:
    """Ids that id_key (the comparison across versions) takes for one are one id within a file
    too; ASCII ids are keyed exactly as id_key keys them."""
    keys = list(_id_keys(pd.Series(ids, index=range(7, 7 + len(ids)))))
    for i, first in enumerate(ids):
        if first.isascii():
            assert keys[i] == id_key(first)
        for j, second in enumerate(ids):
            if id_key(first) == id_key(second):
                assert keys[i] == keys[j], (first, second)


@settings(SETTINGS, max_examples=80)
@given(
    table=st.lists(
        st.lists(st.text(_CELL_CHARACTERS, max_size=10), min_size=7, max_size=7),
        min_size=1,
        max_size=6,
    ),
    delimiter=st.sampled_from([",", ";"]),
)
def test_arbitrary_text_never_makes_the_normaliser_raise(
    table: list[list[str]], delimiter: str
) -> None:
    data = _csv_bytes([SEIZURE_HEADER, *table], delimiter, "utf-8", True)
    with tempfile.TemporaryDirectory() as folder:
        path = _written(Path(folder) / "s.csv", data)
        try:
            read = read_table_file(path)
        except InputFileError:
            return  # not a table at all: said by the reader
        result = normalise(read, "seizures")
    last_row = read.first_data_row + len(read.frame) - 1
    for problem in [*result.errors, *result.warnings]:
        assert isinstance(problem, RowError) and problem.message
        if problem.row is None:  # about the whole file
            continue
        assert read.first_data_row <= problem.row <= last_row, problem
        assert problem.column is None or problem.column in SEIZURE_HEADER, problem
    if not result.errors:  # accepted: every filled row loaded, or left out with a warning
        # rows skipped are counted, kind by kind, in one warning each ('3 row(s) ...: rows
        # 2, 5, 9'): a row left out is named in one, or counted in one beyond its first rows
        warned = {w.row for w in result.warnings}
        for warning in result.warnings:
            warned |= {int(n) for n in re.findall(r"\d+", warning.message.partition("rows")[2])}
        counted = sum(
            int(found[1].replace(",", ""))
            for w in result.warnings
            if (found := re.match(r"(\d[\d,]*) row\(s\)", w.message))
        )
        left_out = [
            read.row_number(position)
            for position, cells in enumerate(_rows(read.frame))
            if any(cell is not None for cell in cells)
            and read.row_number(position) not in result.rows
        ]
        assert all(row in warned for row in left_out) or len(left_out) <= counted, left_out


# ---------------------------------------------------------------------------------------------
# (c) garbage


def _read_all(path: Path) -> None:
    """Every way the pipeline reads a file; each may only raise InputFileError."""
    for call in (
        lambda: read_table_file(path),
        lambda: read_table_file(path, max_rows=5),
        lambda: excel_sheet_names(path),
    ):
        try:
            call()
        except InputFileError as exc:
            assert str(exc) and "\n" not in str(exc)


@settings(SETTINGS, max_examples=100)
@given(data=st.binary(max_size=3000), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f"]))
def test_arbitrary_bytes_raise_only_input_file_errors(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _read_all(_written(Path(folder) / name, data))


def _valid_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["seizure_id", "date", "country", "drug", "kg"])
    workbook.active.append(["A-1", "2021-01-02", "COL", "crack", 1.5])
    workbook.create_sheet("notes").append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID: dict[str, Callable[[], bytes]] = {
    "f.xlsx": _valid_xlsx,
    "f.csv": lambda: "id;fecha;país;kg\nA-1;02/01/2021;Perú;1,5\n".encode("utf-16"),
}


@pytest.mark.parametrize("name", list(VALID))
def test_damaged_files_raise_only_input_file_errors(name: str) -> None:
    valid = VALID[name]()

    @settings(SETTINGS, max_examples=60)
    @given(
        edits=st.lists(
            st.tuples(st.integers(0, len(valid) - 1), st.binary(min_size=0, max_size=8)),
            min_size=1,
            max_size=6,
        ),
        cut=st.integers(1, len(valid)),
    )
    def check(edits: list[tuple[int, bytes]], cut: int) -> None:
        data = bytearray(valid[:cut])
        for position, replacement in edits:
            data[position : position + len(replacement)] = replacement
        with tempfile.TemporaryDirectory() as folder:
            _read_all(_written(Path(folder) / name, bytes(data)))

    check()
