"""Issue 17, item 2: a formula reached the donor CSV through the provenance lines.

The '# Key: value' lines were split at commas and neutralised piece by piece, so a piece that
started with a quote passed: an activity title put a live =HYPERLINK(...) into every CSV of
`snapshot --activity`, and an imported file's name put =1+1 on the '# Sources' line. These
tests perform the attack with the real commands, then read every CSV back as a spreadsheet
would, with ',' and with ';' as the list separator.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from crimjust_data.snapshot.tables import csv_bytes, header_block, neutralise_frame

ROOT = Path(__file__).resolve().parent.parent
TITLE = 'Workshop,"=HYPERLINK(""http://example.invalid/x"",""open"")",Bogota'
FILE_NAME = 'a,"=1+1",b.csv'
SIGNS = ("=", "+", "-", "@", "\t", "\r")  # what starts a formula in a spreadsheet cell
SEPARATORS = (",", ";")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def formula_cells(text: str) -> list[tuple[str, str]]:
    """(separator, cell) for every cell that starts a formula, after any spaces and quotes,
    when `text` is read with ',' and with ';' as the separator (numbers such as -2.5 are fine)."""
    found = []
    for separator in SEPARATORS:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            for cell in row:
                if cell.lstrip(' "').startswith(SIGNS) and not _is_number(cell):
                    found.append((separator, cell))
    return found


def _cli(env: dict[str, str], *args: str) -> str:
    """`python -m crimjust_data ARGS` as a user runs it; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "crimjust_data", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A store loaded with the real `import` command: seizures from a file named FILE_NAME,
    cases, and activities, one of them titled TITLE (in BRA, 15 June 2020). Returns the
    environment that points the commands at it."""
    folder = tmp_path_factory.mktemp("hostile_csv")
    env = {**os.environ, "CRIMJUST_DB": str(folder / "store.duckdb"), "PYTHONPATH": str(ROOT)}
    env.pop("CRIMJUST_DATABASE_URL", None)
    months = ("2020-03-01", "2020-04-01", "2020-05-01", "2020-07-01", "2020-08-01", "2020-09-30")
    seizures = [
        [f"S-{country}-{i}", day, country, "cocaine_hcl", kg, "vessel"]
        for country, kg in (("BRA", 2.0), ("ARG", 3.0), ("COL", 4.0))
        for i, day in enumerate(months)
    ]
    cases = [
        [f"K-{country}-{day}-{i}", country, day, "2020-10-01" if i % 2 else "", "", "pending", "t"]
        for country, day, n in (
            ("BRA", "2020-04-02", 8),
            ("BRA", "2020-08-02", 12),
            ("ARG", "2020-03-01", 10),
            ("COL", "2020-09-30", 10),
            ("CPV", "2021-12-01", 1),
        )
        for i in range(n)
    ]
    activities = [
        ["A1", "2020-06-15", "BRA", "training", TITLE, "unodc", "test"],
        ["A2", "2020-08-01", "CPV", "training", "Other", "unodc", "test"],
    ]
    files = {
        FILE_NAME: (
            "seizures",
            ["seizure_id", "date", "country_iso3", "drug", "quantity_kg", "conveyance"],
            seizures,
        ),
        "cases.csv": (
            "cases",
            [
                *("case_id", "country_iso3", "opened_date", "charged_date", "verdict_date"),
                *("outcome", "source"),
            ],
            cases,
        ),
        "activities.csv": (
            "activities",
            ["activity_id", "start_date", "countries", "type", "title", "partner", "source"],
            activities,
        ),
    }
    for name, (table, header, rows) in files.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])
        _cli(env, "import", str(folder / name), "--table", table)
    return env


def test_snapshot_csv_has_no_formula_cell_for_any_reader(
    hostile_store: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "report.zip"
    _cli(hostile_store, "snapshot", "--activity", "A1", "--format", "csv", "--out", str(out))
    with zipfile.ZipFile(out) as archive:
        members = {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
    assert "activity_changes.csv" in members and len(members) > 5
    for name, text in members.items():
        assert not formula_cells(text), (name, formula_cells(text)[:3])
        provenance = [line for line in text.splitlines() if line.startswith("# ")]
        for separator in SEPARATORS:  # each provenance line is one cell, whatever the reader
            rows = list(csv.reader(provenance, delimiter=separator))
            assert [len(row) for row in rows] == [1] * len(provenance), (name, separator)
    lines = members["rates.csv"].splitlines()
    sources = next(line for line in lines if line.startswith("# Sources: "))
    activity = next(line for line in lines if line.startswith("# Activity: "))
    # what was attacked is still there to read, its separators and quotes as look-alikes
    assert "a\u201a\u201d=1+1\u201d\u201ab.csv" in sources
    assert "Workshop\u201a\u201d=HYPERLINK(" in activity and "\u201a\u201d\u201dopen" in activity


def test_snapshot_xlsx_stays_clean(hostile_store: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    _cli(hostile_store, "snapshot", "--activity", "A1", "--out", str(out))
    book = openpyxl.load_workbook(out)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [t for t in texts if t.lstrip(' "').startswith(SIGNS)]
    assert any(TITLE in t for t in texts)  # the About sheet holds the title as it is


@pytest.mark.parametrize(
    "value",
    [
        TITLE,
        FILE_NAME,
        'x;"=1+1"',
        "x; =1+1",
        "a\t=1",
        "a\r=1",
        "a\n+1",
        '"@SUM(1)"',
        "  -2+3",
        "\t\r=1",
        "note\u2028=1",
    ],
)
def test_data_and_provenance_cells_are_neutralised_for_every_reader(value: str) -> None:
    """A data cell is quoted, but a reader with ';' as separator, or one that splits lines
    at a line break, starts cells inside it: no such cell starts a formula either."""
    frame = pd.DataFrame({"text": [value], "kg": [-1.5]})
    text = csv_bytes(frame, [("Sources", value), ("Activity", value)]).decode("utf-8-sig")
    assert not formula_cells(text), formula_cells(text)
    for line in text.splitlines():  # a reader that splits at any line break
        for separator in SEPARATORS:
            for piece in line.split(separator):
                assert not piece.lstrip(' "').startswith(SIGNS) or _is_number(piece), piece
    assert neutralise_frame(frame)["kg"].tolist() == [-1.5]
    assert header_block([("Sources", value)]).count("\n") == 1


def test_provenance_line_reads_back_with_read_csv_comment() -> None:
    data = csv_bytes(pd.DataFrame({"a": [1, -2]}), [("Sources", FILE_NAME), ("Activity", TITLE)])
    back = pd.read_csv(io.StringIO(data.decode("utf-8-sig")), comment="#")
    assert back["a"].tolist() == [1, -2]
