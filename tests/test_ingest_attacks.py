"""Attacks on the importer (issue 17: ids one key apart within a file and a byte-order mark
inside an id, an upload name over 255 bytes, blank lines against the row limit, an impossible
time of day), performed through what users run: the Upload page's functions
(`uploads.check_upload`, `pipeline.upload_headers`, then `store.load` as the page does) on both
backends, and the command line (`python -m crimjust_data validate`) in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crimjust_data.ingest import uploads
from crimjust_data.ingest.pipeline import upload_headers
from crimjust_data.store import Store
from tests.conftest import ROOT

JSON_SEIZURES = ("--table", "seizures", "--format", "json")
HEADER = "seizure_id,date,country_iso3,drug,quantity_kg\n"


def line(seizure_id: str, date: str = "2021-03-04") -> str:
    return f"{seizure_id},{date},COL,cocaine_hcl,1.5\n"


def stored_ids(store: Store) -> list[str]:
    return sorted(store.query("SELECT seizure_id FROM active_seizures")["seizure_id"])


def upload(store: Store, name: str, data: bytes) -> uploads.UploadCheck:
    """What the Upload page does with a file, up to storing it: its headers for the mapping
    step, then the check (nothing stored)."""
    upload_headers(name, data, "seizures")
    return uploads.check_upload(store, name, data, "seizures")


def validate(path: Path, **env: str) -> tuple[int, dict[str, object]]:
    """`python -m crimjust_data validate PATH --table seizures --format json`: exit code, report."""
    done = subprocess.run(
        [sys.executable, "-m", "crimjust_data", "validate", str(path), *JSON_SEIZURES],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.returncode, json.loads(done.stdout)


# ---------------------------------------------------------------------------------------------
# Ids one key apart (ids.id_key) within one file; a byte-order mark at the start of a line


@pytest.mark.parametrize(
    "first, second",
    [
        ("k1", "K1"),  # case
        ("k1", "k 1"),  # a space inside
        ("k1", "k\u00a01"),  # a no-break space inside
        ("w1", "w\u200b1"),  # a zero-width space
        ("w1", "w\u180e1"),  # a Mongolian vowel separator (prints as nothing)
        ("A1", "\ufeffa1"),  # a byte-order mark starting the line
    ],
    ids=["case", "space", "nbsp", "zero-width", "mvs", "bom"],
)
def test_ids_one_key_apart_are_repeated_within_a_file(
    store: Store, first: str, second: str
) -> None:
    data = (HEADER + line(first) + line(second)).encode()
    check = upload(store, "ids.csv", data)
    assert not check.ok
    assert any(
        error.row == 3 and error.message.startswith("duplicate id: also on row(s) 2")
        for error in check.errors
    ), check.errors


def test_a_bom_starting_a_line_is_not_stored_in_the_id(store: Store) -> None:
    """Two UTF-8 exports, each with its byte-order mark, pasted together: the second mark
    starts a line and must not become part of the id there."""
    data = (
        "\ufeff" + HEADER + line("P1") + "\ufeff" + line("P2") + line("\u200bP3\u2060")
    ).encode()
    check = upload(store, "pasted.csv", data)
    assert check.ok, check.errors
    store.load(check.request, loaded_by="ana")  # type: ignore[arg-type]
    assert stored_ids(store) == ["P1", "P2", "P3"]


# ---------------------------------------------------------------------------------------------
# An upload name over 255 bytes


def test_an_upload_name_over_255_bytes(store: Store) -> None:
    """300 bytes of two-byte letters and '.csv': read, checked and stored, the version
    recording the name as given."""
    name = "ñ" * 148 + ".csv"
    assert len(name.encode()) == 300
    data = (HEADER + line("L1") + line("L2")).encode()
    check = upload(store, name, data)
    assert check.ok, check.errors
    version = store.load(check.request, loaded_by="ana")  # type: ignore[arg-type]
    assert version.file_name == name and version.rows == 2
    assert store.versions()[0].file_name == name
    assert stored_ids(store) == ["L1", "L2"]


def test_an_absurdly_long_upload_name_is_recorded_shortened(store: Store) -> None:
    """A forged name of 3,000 bytes of three-byte letters: recorded cut at a character
    boundary (at most 765 bytes), its extension kept."""
    name = "数" * 1000 + ".csv"
    check = upload(store, name, (HEADER + line("M1")).encode())
    assert check.ok, check.errors
    version = store.load(check.request, loaded_by="ana")  # type: ignore[arg-type]
    recorded = version.file_name
    assert recorded.endswith("….csv") and recorded.startswith("数" * 200)
    assert len(recorded.encode()) <= 765 and set(recorded[:-5]) == {"数"}


# ---------------------------------------------------------------------------------------------
# One row limit: data rows, blank lines not counted, on the upload page and the command line


def _rows_file(folder: Path, rows: int) -> Path:
    """`rows` data rows with a blank line after every tenth, and three at the end."""
    lines = [HEADER]
    for i in range(1, rows + 1):
        lines.append(line(f"R{i}"))
        if i % 10 == 0:
            lines.append("\n" if i % 20 else ",,,,\n")  # empty, or only delimiters
    path = folder / f"rows_{rows}.csv"
    path.write_text("".join(lines) + "\n\n\n", encoding="utf-8")
    return path


def test_the_row_limit_counts_data_rows_alike_on_upload_and_command_line(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRIMJUST_MAX_ROWS", "100")
    at_limit, over = _rows_file(tmp_path, 100), _rows_file(tmp_path, 101)
    env = {"CRIMJUST_MAX_ROWS": "100", "CRIMJUST_DB": str(tmp_path / "cli.duckdb")}
    env.pop("CRIMJUST_DATABASE_URL", None)
    monkeypatch.delenv("CRIMJUST_DATABASE_URL", raising=False)  # the command line: DuckDB

    check = upload(store, at_limit.name, at_limit.read_bytes())
    assert check.ok, check.errors
    code, report = validate(at_limit, **env)
    assert code == 0 and report["ok"] and report["rows"] == 100, report

    refusal = "rows_101.csv has 101 data rows, more than the 100 a file may have"
    check = upload(store, over.name, over.read_bytes())
    assert not check.ok and check.errors[0].message.startswith(refusal), check.errors
    code, report = validate(over, **env)
    assert code == 1 and not report["ok"]
    assert str(report["errors"][0]["message"]).startswith(refusal), report  # type: ignore[index]


# ---------------------------------------------------------------------------------------------
# An impossible time of day after a date


@pytest.mark.parametrize(
    "date, accepted",
    [
        ("2021-03-04T25:00", False),
        ("2021-03-04 24:00", False),  # the next day's 00:00 (ISO 8601): which date is unclear
        ("2021-03-04T12:60", False),
        ("2021-03-04 12:00:61", False),
        ("04/03/2021 25:00", False),
        ("2021-03-04T23:59", True),
        ("2021-03-04 00:00", True),
        ("2021-03-04 23:59:60", True),  # a leap second
        ("04/03/2021 23:59", True),
    ],
)
def test_an_impossible_time_of_day_is_an_error_at_its_row(
    store: Store, date: str, accepted: bool
) -> None:
    data = (HEADER + line("D1") + line("D2", date)).encode()
    check = upload(store, "dates.csv", data)
    if accepted:
        assert check.ok, check.errors
        assert list(check.request.frame["date"].dt.strftime("%Y-%m-%d")) == ["2021-03-04"] * 2  # type: ignore[union-attr]
        return
    assert not check.ok
    [error] = check.errors
    assert (error.row, error.column, error.value) == (3, "date", date)
    assert error.message.startswith("not a valid time of day: hours go from 00 to 23")
