"""The import reads a big file a column at a time (issue 7): each fast path against the rule it
replaces, on inputs chosen to tell them apart.

- reader: the records after the first HEAD_RECORDS are read by pyarrow, or by the csv module
  when pyarrow would read them differently; both must give the same TableFile.
- normaliser: plain numbers and coordinates read by arrow, every other text once by the per-cell
  rule; distances to the coast from the segments that can be nearest.
- validate_table: text and transit lists cleaned a column at a time.
"""

from __future__ import annotations

import math
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from crimjust_data import countries, schemas
from crimjust_data.errors import InputFileError
from crimjust_data.ingest import normalise as norm
from crimjust_data.ingest import readers
from crimjust_data.ingest.normalise import (
    MAX_KM_FROM_COUNTRY,
    km_from_country,
    normalise,
)

# ---------------------------------------------------------------------------------------------
# Reader

HEAD = readers.HEAD_RECORDS


def read_both(
    path: Path, monkeypatch: pytest.MonkeyPatch, max_rows: int | None = None
) -> tuple[object, object, bool]:
    """(fast read, csv-module read, whether pyarrow read part of the file): a TableFile's
    facts, or the error message."""
    used: list[bool] = []
    arrow_records = readers._arrow_records

    def spy(*args: object) -> object:
        table = arrow_records(*args)  # type: ignore[arg-type]
        used.append(table is not None)
        return table

    def facts() -> object:
        try:
            table = readers.read_table_file(path, max_rows=max_rows)
        except InputFileError as exc:
            return str(exc)
        frame = table.frame
        rows = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
        return (
            list(frame.columns),
            [str(d) for d in frame.dtypes],
            rows,
            (table.first_data_row, table.header_row, table.title),
            (table.encoding, table.delimiter),
        )

    with monkeypatch.context() as patch:
        patch.setattr(readers, "_arrow_records", spy)
        fast = facts()
    with monkeypatch.context() as patch:
        patch.setattr(readers, "HEAD_RECORDS", 10**9)  # the csv module reads every record
        exact = facts()
    return fast, exact, any(used)


def big(tail: str, width: int = 3, delimiter: str = ",", newline: str = "\n") -> str:
    """A header and HEAD_RECORDS rows of `width` cells, then `tail`."""
    lines = [delimiter.join(f"h{k}" for k in range(width))]
    lines += [delimiter.join(f"v{i}" for __ in range(width)) for i in range(HEAD)]
    return newline.join(lines) + newline + tail


# Every character Python's str.strip() removes (but the line ends), and some it keeps.
SPACES = "".join(chr(c) for c in range(0x3100) if chr(c).isspace() and chr(c) not in "\r\n")
NOT_SPACES = "\u200b\ufeff\u00ad_"

TAILS = {
    "plain": "a,b,c\nd,e,f\n",
    "quoted delimiters and quotes": 'a,"b,c","d ""e"""\n"x"y,z"w,"  q  "\n',
    "newlines in quotes": 'a,"line\nbreak","cr\r\nlf"\nb,c,d\n',
    "blank lines": "a,b,c\n\n\nd,e,f\n\n",
    "empty cells and rows": ",,\na,,\n,,c\n,,\n",
    "trailing empty column": "a,b,c,\nd,e,f,\n",
    "longer row": "a,b,c\nd,e,f,g\n",
    "shorter row": "a,b,c\nd\n",
    "spaces only line": "a,b,c\n   \nd,e,f\n",
    "unterminated quote": 'a,b,"c\nd,e,f\n',
    "no final newline": "a,b,c\nd,e,f",
    # (after 64 KB of rows: more control characters near the top make a file binary data)
    "every space": "a,b,c\n" * 12_000 + "".join(f"{s}a{s},{s},b{s}\n" for s in SPACES),
    "not spaces": "".join(f"{s}a{s},{s},b{s}\n" for s in NOT_SPACES),
    "only a blank column filled later": "a,,\nb,,\n,,z\n",
}


@pytest.mark.parametrize("name", list(TAILS))
def test_big_csv_reads_as_the_csv_module_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(big(TAILS[name]), encoding="utf-8")
    fast, exact, __ = read_both(path, monkeypatch)
    assert fast == exact


def test_regular_files_are_read_by_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons above test the fast path only if it is taken."""
    for name in ("plain", "quoted delimiters and quotes", "newlines in quotes", "every space"):
        path = tmp_path / "big.csv"
        path.write_text(big(TAILS[name]), encoding="utf-8")
        assert read_both(path, monkeypatch)[2], name


@pytest.mark.parametrize(
    ("encoding", "prefix", "delimiter", "newline"),
    [
        ("utf-8-sig", "", ";", "\r\n"),
        ("utf-8-sig", "\ufeff", ",", "\n"),  # a second byte-order mark
        ("cp1252", "", ";", "\r\n"),
        ("utf-16", "", "\t", "\n"),
        ("utf-8", "sep=;\n", ";", "\r"),
        ("utf-8", "Seizures 2023\nSource: customs\n\n", ",", "\n"),  # title rows
    ],
)
def test_big_csv_in_other_encodings_and_layouts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
    prefix: str,
    delimiter: str,
    newline: str,
) -> None:
    tail = newline.join(
        delimiter.join(["Côte d’Ivoire", '" 1,5 "', '"a' + delimiter + 'b"']) for __ in range(5)
    )
    path = tmp_path / "big.csv"
    path.write_bytes((prefix + big(tail + newline, 3, delimiter, newline)).encode(encoding))
    fast, exact, used = read_both(path, monkeypatch)
    assert fast == exact and used


def test_a_cell_over_the_csv_field_limit_is_refused_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(big("a," + "x" * 200_000 + ",c\n"), encoding="utf-8")
    fast, exact, __ = read_both(path, monkeypatch)
    assert fast == exact and "field larger than field limit" in str(fast)


@pytest.mark.parametrize("max_rows", [HEAD - 1, HEAD, HEAD + 1, HEAD + 30, 10_000])
def test_a_row_cap_reads_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_rows: int
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(big("".join(f"t{i},,{'z' if i == 50 else ''}\n" for i in range(100))))
    fast, exact, __ = read_both(path, monkeypatch, max_rows=max_rows)
    assert fast == exact


def test_random_big_csv_files_read_as_the_csv_module_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = ["a", " a ", "", "\u00a0x\u2003", "\u200bz", '"q"', '"a,b"', '"x\ny"', 'x"y', '"a"b']
    cells += ['"""', '" "', "\x85n", "\u2028", "1,5", "é"]
    rng = random.Random(7)
    used = 0
    for attempt in range(120):
        width = rng.choice([1, 2, 3])
        newline = rng.choice(["\n", "\r\n", "\r"])
        lines = []
        for __ in range(rng.randint(1, 12)):
            kind = rng.random()
            if kind < 0.1:
                lines.append("")
            else:
                lines.append(",".join(rng.choice(cells) for __ in range(width)))
        path = tmp_path / "random.csv"
        path.write_text(big(newline.join(lines) + newline, width, ",", newline))
        fast, exact, arrow = read_both(path, monkeypatch)
        assert fast == exact, (attempt, lines)
        used += arrow
    assert used > 20  # the fast path was taken often enough to be tested


@pytest.mark.parametrize(
    "data",
    [
        b"plain ascii",
        "Côte d’Ivoire".encode(),
        b"\xed\xa0\x80",  # a surrogate
        b"\xc0\xaf",  # overlong
        b"\xe2\x82",  # cut short
        b"\xf4\x90\x80\x80",  # above U+10FFFF
        b"\x80abc",  # a lone continuation byte
        b"caf\xe9",  # cp1252
    ],
)
def test_utf8_check_agrees_with_python(data: bytes) -> None:
    try:
        data.decode("utf-8")
        decodes = True
    except UnicodeDecodeError:
        decodes = False
    assert readers._valid_utf8(data) is decodes


def test_a_big_cp1252_file_is_still_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    body = big("".join("x,y,z\n" for __ in range(readers.HEAD_BYTES // 6)) + "Côte,b,c\n")
    path.write_bytes(body.encode("cp1252"))  # the only non-ASCII byte is past HEAD_BYTES
    table = readers.read_table_file(path)
    assert table.encoding == "cp1252"
    assert table.frame.iloc[-1, 0] == "Côte"


# ---------------------------------------------------------------------------------------------
# Normaliser: each column function against the per-cell rule


NUMBERS = [
    "12", "-3", "+5", "-0", "0", "007", "12.5", "12,5", "0,25", "1.234", "1,234", "1.234,5",
    "1,234.5", "1.234.567", "1,234,567", "1 234,5", "1'234", " 7 ", "1e3", "1E-2", ".5", ",5",
    "5.", "5,", "١٢", "١٫٥", "1" * 400, "abc", "1.2.3,4", "", "\u00a012", "--1", "1_000",
]  # fmt: skip


def votes_rule(texts: list[str], delimiter: str | None) -> bool:
    """The decimal mark of a column: the per-cell rule (the normaliser's before issue 7)."""
    comma = point = 0
    for text in texts:
        c, p = norm._separator_votes(text)
        comma, point = comma + c, point + p
    return comma > point if comma != point else delimiter == ";"


NUMBER_COLUMNS = [
    ["1.234", "12", None, "1.234", "-5,678"],  # thousands or decimals: reported
    ["1,234", "٣٫٤٥٦", "7"],
    ["1.234", "2,5"],  # settled by '2,5'
    ["1 234", "1.234"],
    *([random.Random(seed).choice([*NUMBERS, None]) for __ in range(30)] for seed in range(6)),
]


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("cells", NUMBER_COLUMNS)
def test_number_columns_as_cell_by_cell(delimiter: str, cells: list[str | None]) -> None:
    texts = pd.Series(cells, dtype="str")
    numbers = norm._numbers(texts, delimiter)
    filled = [t for t in cells if t is not None]
    comma = votes_rule(filled, delimiter)
    assert numbers.decimal_comma == comma
    expected = [None if t is None else norm._parse_number(t, comma) for t in cells]
    got = [None if math.isnan(v) else v for v in numbers.values]
    unreadable = [i for i, t in enumerate(cells) if t is not None and expected[i] is None]
    assert [None if e is None else e for e in expected] == got
    assert numbers.unreadable.tolist() == unreadable
    shaped = [
        i
        for i, t in enumerate(cells)
        if t is not None and re.fullmatch(r"[+-]?\d{1,3}[.,]\d{3}", t.strip())
    ]
    simple = all(re.fullmatch(r"[+-]?\d+|[+-]?\d{1,3}[.,]\d{3}", t.strip()) for t in filled)
    assert numbers.ambiguous.tolist() == (shaped if simple else [])


COORDINATES = [
    "4.6", "-74.0833", "4,6", "95", "-181", "180", "90.0001", "4°36'N", "74°05'O", "4 36 N",
    "4 E", "N 4.5", "12°60'", "abc", "1" * 400, "+0", "-0.0", " 5 ", "4.5S", "١٢",
]  # fmt: skip


@pytest.mark.parametrize("axis", ["latitude", "longitude"])
def test_coordinate_columns_as_cell_by_cell(axis: str) -> None:
    cells = [*COORDINATES, None]
    degrees, problems = norm._coordinates(pd.Series(cells, dtype="str"), axis)
    for i, text in enumerate(cells):
        expected = None if text is None else norm._parse_coordinate(text, axis)
        if isinstance(expected, str):
            assert problems[i] == expected and math.isnan(degrees[i])
        elif expected is None:
            assert i not in problems and math.isnan(degrees[i])
        else:
            assert i not in problems and degrees[i] == expected


@pytest.mark.parametrize("iso3", ["COL", "PER", "CHL", "ITA", "SEN", "USA", "FJI", "CPV"])
def test_distances_to_the_coast_as_point_by_point(iso3: str) -> None:
    """Far points get the distance km_from_country gives (USA and Fiji: across 180 degrees);
    points not measured are within the limit."""
    rng = np.random.default_rng(len(iso3) + ord(iso3[0]))
    lat, lon = countries.reference().set_index("iso3").loc[iso3, ["latitude", "longitude"]]
    latitudes = np.clip(lat + rng.normal(0, 6, 300), -89, 89)
    longitudes = (lon + rng.normal(0, 8, 300) + 180) % 360 - 180
    km = norm._km_beyond_limit(latitudes, longitudes, iso3)
    for latitude, longitude, distance in zip(latitudes, longitudes, km, strict=True):
        expected = km_from_country(float(latitude), float(longitude), iso3)
        assert expected is not None
        if expected > MAX_KM_FROM_COUNTRY:
            assert distance == pytest.approx(expected, rel=1e-12, abs=1e-9)
        else:
            assert math.isnan(distance) or distance == pytest.approx(expected, abs=1e-9)
    assert (km > MAX_KM_FROM_COUNTRY).sum() > 10  # far points were measured


def test_dates_outside_what_a_date_column_holds_are_errors_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "id,date,country,drug,kg\nA,1500-01-01,COL,crack,1\nB,3000-01-01,COL,crack,1\n"
        "C,2023-01-01,COL,crack,1\n",
        encoding="utf-8",
    )
    n = normalise(readers.read_table_file(path), "seizures")
    assert [(e.row, e.column, e.value) for e in n.errors] == [
        (2, "date", "1500-01-01"),
        (3, "date", "3000-01-01"),
    ]
    assert "before 1990" in n.errors[0].message and "future" in n.errors[1].message


def test_duplicate_ids_case_folded_as_python_does(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    rows = ["Straße", "STRASSE", "ǅ-1", "ǆ-1", " x ", "X", "y"]
    path.write_text(
        "id,date,country,drug,kg\n" + "".join(f"{r},2023-01-01,COL,crack,1\n" for r in rows),
        encoding="utf-8",
    )
    n = normalise(readers.read_table_file(path), "seizures")
    assert [(e.row, e.value) for e in n.errors] == [
        (2, "Straße"),
        (3, "STRASSE"),
        (4, "ǅ-1"),
        (5, "ǆ-1"),
        (6, "x"),
        (7, "X"),
    ]


MESSY = (
    "Informe de incautaciones\n"
    "N° incautación;Fecha;País;Droga;Cantidad;Unidad;Tránsito;Latitud;Longitud;Detenidos\n"
)


def messy_rows(count: int) -> str:
    rng = random.Random(11)
    choices = [
        ["31/12/2023", "05/01/2023", "2023-02-30", "45000", "2099-01-01", "x", ""],
        ["Colombia", "COL", "Perú", "Colomiba", "", "Brasil"],
        ["Clorhidrato de cocaína", "pasta base", "hoja de coca", "crack", "heroína"],
        ["1.234,5", "500", "0,25", "doce", "45000", ""],
        ["kg", "gramos", "t", "barriles", ""],
        ["Panamá | República Dominicana", "", "Narnia|COL"],
        ["4°36'N", "-12,05", "38.72", "95", ""],
        ["74°05'O", "-77,04", "-9.14", ""],
        ["2", "", "1.5", "x"],
    ]
    lines = []
    for i in range(count):
        if i % 37 == 36:
            lines.append("")  # a blank row: skipped, row numbers go on
            continue
        lines.append(";".join([f"ES-{i % 150}"] + [rng.choice(c) for c in choices]))
    return "\n".join(lines) + "\n"


def test_a_messy_big_file_normalises_as_when_read_by_the_csv_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "messy.csv"
    path.write_text(MESSY + messy_rows(400), encoding="utf-8")
    fast = normalise(readers.read_table_file(path), "seizures")
    monkeypatch.setattr(readers, "HEAD_RECORDS", 10**9)
    exact = normalise(readers.read_table_file(path), "seizures")
    assert fast.errors == exact.errors and fast.warnings == exact.warnings
    assert fast.rows == exact.rows
    # located deep in the file, past the rows read by the csv module
    assert max(e.row for e in fast.errors if e.row is not None) > HEAD + 300
    assert {e.column for e in fast.errors} >= {"País", "Cantidad", "Unidad", "Fecha"}
    assert any("heroína" in w.message for w in fast.warnings)  # other drugs: skipped, counted


# ---------------------------------------------------------------------------------------------
# validate_table: columns cleaned at once, as cell by cell


def text_rule(value: object) -> str | None:
    """A text cell as validate_table made it before issue 7."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value).strip() or None


@pytest.mark.parametrize(
    "cells",
    [
        ["a", " b ", "", "   ", None, math.nan, "\u00a0c\u2003", "d\u200b"],
        ["a", "b", None],
        [None, None],
        ["x", 12, 3.5, None],
        [pd.NA, "y"],
    ],
)
def test_text_columns_cleaned_as_cell_by_cell(cells: list[object]) -> None:
    for column in (pd.Series(cells, dtype=object), pd.Series(cells, dtype=object).astype("str")):
        cleaned = schemas._text_cells(column)
        assert cleaned.dtype == schemas.TEXT
        got = [None if value is pd.NA else value for value in cleaned.tolist()]
        assert got == [text_rule(v) for v in column.tolist()]
        assert all(v is None or isinstance(v, str) for v in got)


@pytest.mark.parametrize(
    "cells",
    [
        [" COL | PER;BRA,", "COL|PER", "", None, "COL|PER", " "],
        [["COL", "PER"], [], ["COL", "PER"], [" MEX ", ""], ("BRA",), np.array(["PAN"])],
        [["COL"], [3], [None]],
    ],
)
def test_transit_lists_made_as_cell_by_cell(cells: list[object]) -> None:
    column = pd.Series(cells, dtype=object)
    got = schemas._code_lists(column).tolist()
    assert got == [schemas._as_code_list(v) for v in cells]
    assert all(type(codes) is list for codes in got)


def test_str_length_fails_the_cells_pandera_fails() -> None:
    frame = pd.DataFrame({"a": ["abcd", None, "", "ab", "éééé", "xyz"]}, dtype=object)

    def failures(check: pa.Check) -> list[tuple[object, object, object]]:
        schema = pa.DataFrameSchema({"a": pa.Column(object, check, nullable=True)})
        with pytest.raises(pa.errors.SchemaErrors) as caught:
            schema.validate(frame, lazy=True)
        cases = caught.value.failure_cases
        return list(zip(cases["check"], cases["failure_case"], cases["index"], strict=True))

    assert failures(schemas._str_length(1, 3)) == failures(pa.Check.str_length(1, 3))


# ---------------------------------------------------------------------------------------------
# Pipeline: the store validates every load, so a good file is validated once, there


def seizures_file(tmp_path: Path, changes: dict[int, str]) -> Path:
    """60 good rows (a coca-leaf row and a blank row among them), with some rows replaced."""
    lines = [
        f"A{i};2023-01-{1 + i % 28:02d};Colombia;cocaína;{1 + i},5;4.{i:02d};-74.1"
        for i in range(60)
    ]
    lines[10] = "B10;2023-01-01;Colombia;hoja de coca;10;;"  # not loaded: rows below shift
    lines[11] = ""
    for i, line in changes.items():
        lines[i] = line
    path = tmp_path / "seizures.csv"
    path.write_text(
        "id;fecha;país;droga;cantidad;latitud;longitud\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return path


def count_validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each validate_table call (normaliser and store alike) appends its table's name."""
    import crimjust_data.store.base as store_base

    calls: list[str] = []
    validate = schemas.validate_table

    def counted(table: schemas.TableName, *args: object, **kwargs: object) -> pd.DataFrame:
        calls.append(table)
        return validate(table, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(norm, "validate_table", counted)
    monkeypatch.setattr(store_base, "validate_table", counted)
    return calls


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_good_file_is_validated_once(
    tmp_path: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    from crimjust_data.ingest.pipeline import import_file
    from crimjust_data.store import open_store

    store = open_store(store_path)
    calls = count_validations(monkeypatch)
    outcome = import_file(store, seizures_file(tmp_path, {}), "seizures", dry_run=dry_run)
    assert outcome.ok and outcome.rows == 58
    assert calls == ["seizures"]
    if not dry_run:
        stored = store.query("SELECT seizure_id, quantity_kg FROM seizures ORDER BY seizure_id")
        assert len(stored) == 58 and stored["quantity_kg"].iloc[0] == 1.5


def test_problems_the_store_finds_are_located_as_the_analyst_sees_them(
    tmp_path: Path, store_path: Path
) -> None:
    from crimjust_data.ingest.pipeline import import_file
    from crimjust_data.store import open_store

    store = open_store(store_path)
    only_schema = seizures_file(tmp_path, {40: "A40;2099-01-01;Colombia;cocaína;5;;"})
    outcome = import_file(store, only_schema, "seizures")
    expected = normalise(readers.read_table_file(only_schema), "seizures").errors
    assert [(e["row"], e["column"], e["value"]) for e in outcome.errors] == [
        (42, "fecha", "2099-01-01")  # the file's row, past the coca-leaf and blank rows
    ]
    assert [e.to_dict() for e in expected] == outcome.errors
    both = seizures_file(
        tmp_path,
        {30: "A30;2023-01-01;Colomiba;cocaína;5;;", 40: "A40;2099-01-01;Colombia;cocaína;5;;"},
    )
    outcome = import_file(store, both, "seizures")
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(32, "país"), (42, "fecha")]
    assert store.query("SELECT count(*) AS n FROM versions")["n"][0] == 0
