"""Issue 16's 'Done when', as acceptance tests: the files analysts really have (small ones written
in tests/field_files.py) go through the command line as a user runs it, and what the store then
holds is read back and checked to the gram.

Each command runs as `python -m crimjust_data` in its own process (about 2 s of start-up each):
calls that do not depend on each other run side by side, each with a store of its own. The
matrix of languages and encodings (22 files) calls the same `main` in this process instead.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from crimjust_data.__main__ import main
from crimjust_data.store import DuckDBStore
from tests import field_files as ff

ROOT = Path(__file__).resolve().parents[1]
AUTO_ID = re.compile(r"^auto-[0-9a-f]{16}-\d+$")
US_GALLON_KG = 3.785411784  # a US gallon of liquid cocaine, at 1 kg per litre


# ---------------------------------------------------------------------------------------------
# Running the command line and reading the store


@dataclass
class Run:
    """What one command did: exit code, standard output and error."""

    code: int
    out: str
    err: str

    def report(self) -> dict[str, Any]:
        """The `--format json` report ({ok, table, rows, version_id, dry_run, errors, warnings})."""
        try:
            return json.loads(self.out)
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON report (exit {self.code}): {self.out!r} {self.err!r}")

    def __str__(self) -> str:
        return f"exit {self.code}\nstdout: {self.out[:3000]}\nstderr: {self.err[:3000]}"


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CRIMJUST_DATABASE_URL"}
    env["CRIMJUST_DB"] = str(db)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _start(db: Path, argv: Sequence[object]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(a) for a in argv],
        cwd=ROOT,
        env=_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
    )


def _finish(started: list[subprocess.Popen[str]]) -> list[Run]:
    runs = []
    for process in started:
        out, err = process.communicate(timeout=180)
        runs.append(Run(process.returncode, out, err))
    return runs


def cli_all(calls: Sequence[tuple[Path, Sequence[object]]]) -> list[Run]:
    """Each (store file, arguments) run as `python -m crimjust_data ARGS`, side by side."""
    command = [sys.executable, "-m", "crimjust_data"]
    return _finish([_start(db, [*command, *args]) for db, args in calls])


def cli(db: Path, *args: object) -> Run:
    return cli_all([(db, args)])[0]


def shell_all(calls: Sequence[tuple[Path, str]]) -> list[Run]:
    """Each (store file, command line) run by `bash -o pipefail -c`, side by side; PY in the
    command stands for `python -m crimjust_data`."""
    python = f"{sys.executable} -m crimjust_data"
    return _finish(
        [
            _start(db, ["bash", "-o", "pipefail", "-c", line.replace("PY", python)])
            for db, line in calls
        ]
    )


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`run(db, *args)`: the command line's `main` called here (for the 22-file matrix)."""

    def run(db: Path, *args: object) -> Run:
        monkeypatch.setenv("CRIMJUST_DB", str(db))
        monkeypatch.delenv("CRIMJUST_DATABASE_URL", raising=False)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exit_:  # a usage error
                code = int(exit_.code or 0)
        return Run(code, out.getvalue(), err.getvalue())

    yield run


def stored(db: Path, table: str = "seizures") -> pd.DataFrame:
    """The active rows of `table` ('seizures', 'annual_seizures', 'activities')."""
    store = DuckDBStore(db)
    try:
        return store.query(f"SELECT * FROM active_{table}")
    finally:
        store.release()


def version_count(db: Path) -> int:
    store = DuckDBStore(db)
    try:
        return len(store.versions())
    finally:
        store.release()


def sources(db: Path) -> list[str]:
    store = DuckDBStore(db)
    try:
        return [v.source for v in store.versions()]
    finally:
        store.release()


def day(value: object) -> str:
    return str(pd.Timestamp(value).date())


def blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value == ""


def text(value: object) -> str:
    """A stored text cell, '' when empty."""
    return "" if blank(value) else str(value)


def codes(value: object) -> tuple[str, ...]:
    """A stored list of countries (transit_iso3, countries) as a tuple; () when empty."""
    if value is None or isinstance(value, float | str):
        return () if blank(value) else (str(value),)
    return tuple(str(v) for v in value)


def seizure_rows(frame: pd.DataFrame) -> list[tuple[str, str, str, float]]:
    """(date, country, drug, kg) of every stored seizure, sorted."""
    return sorted(
        (day(r.date), r.country_iso3, r.drug, float(r.quantity_kg)) for r in frame.itertuples()
    )


def annual_rows(frame: pd.DataFrame) -> list[tuple[str, int, str, float]]:
    """(country, year, drug, kg) of every stored annual total, sorted."""
    return sorted(
        (r.country_iso3, int(r.year), r.drug, float(r.quantity_kg)) for r in frame.itertuples()
    )


def assert_same(actual: list[tuple], expected: list[tuple]) -> None:
    """Same rows; the kg (last item) equal to 1e-9 relative."""
    expected = sorted(expected)
    assert [a[:-1] for a in actual] == [e[:-1] for e in expected]
    assert [a[-1] for a in actual] == pytest.approx([e[-1] for e in expected], rel=1e-9)


def texts(items: list[dict[str, Any]]) -> list[str]:
    """Each error or warning as one lower-case text: column, value and message."""
    return [
        " ".join(str(item.get(k) or "") for k in ("column", "value", "message")).casefold()
        for item in items
    ]


def names_row(error: dict[str, Any], row: int) -> bool:
    """Whether `error` is on file row `row`, or lists that row in its message ('row 3',
    'rows 2, 3 and 5', 'rows 2-4'; not '6 rows')."""
    listed = rf"\b(?:rows?|lines?)\s+(?:\d+\s*(?:,|and|[-–])\s*)*{row}(?!\d)"
    return error.get("row") == row or re.search(listed, str(error.get("message") or "")) is not None


def named(report: dict[str, Any], row: int) -> bool:
    """Whether some error of `report` is on file row `row` or names it."""
    return any(names_row(e, row) for e in report["errors"])


def refused_storing_nothing(run: Run, db: Path, versions_before: int = 0) -> dict[str, Any]:
    """The JSON report of a refused import, after checking that nothing was stored."""
    assert run.code == 1, str(run)
    report = run.report()
    assert report["ok"] is False and report["errors"], str(run)
    assert version_count(db) == versions_before
    return report


# ---------------------------------------------------------------------------------------------
# 1. A police event list: Portuguese headers, units per row, no country and no id column


POLICE_EXPECTED = [
    ("2021-12-31", "BRA", "cocaine_unspecified", 1.5),  # 1500 gramas
    ("2022-01-15", "BRA", "cocaine_unspecified", 2.5),  # 2,5 quilos
    ("2022-02-03", "BRA", "crack", 0.25),  # 250 gramas; month first: 3 February
    ("2022-04-02", "BRA", "cocaine_unspecified", 0.8),  # two identical rows: two seizures
    ("2022-04-02", "BRA", "cocaine_unspecified", 0.8),
    ("2022-06-07", "BRA", "cocaine_unspecified", 12.75),
]


def test_police_event_list_loads_its_cocaine_rows_once(tmp_path: Path) -> None:
    path = ff.police_events_pt(tmp_path)
    given, located = tmp_path / "given.duckdb", tmp_path / "located.duckdb"
    with_country, from_points = cli_all(
        [
            (
                given,
                ["import", path, "--table", "seizures", "--country", "BRA", "--format", "json"],
            ),
            (located, ["import", path, "--table", "seizures", "--format", "json"]),
        ]
    )
    # --country BRA: exactly the cocaine rows, in kg, crack as crack, maconha skipped
    assert with_country.code == 0, str(with_country)
    report = with_country.report()
    assert report["ok"] and report["table"] == "seizures" and report["rows"] == 6
    rows = stored(given)
    assert_same(seizure_rows(rows), POLICE_EXPECTED)
    assert rows["quantity_kg"].sum() == pytest.approx(18.6, rel=1e-9)
    # ORIGEM holds 'aeroporto'/'porto': no country of origin is made of it
    assert [text(v) for v in rows["origin_iso3"]] == [""] * 6
    first = rows[rows["date"].map(day) == "2021-12-31"].iloc[0]  # decimal-comma coordinates
    assert (first["latitude"], first["longitude"]) == pytest.approx((-23.43, -46.47), rel=1e-9)
    ids = list(rows["seizure_id"])
    assert len(set(ids)) == 6 and all(AUTO_ID.match(i) for i in ids), ids
    maconha = [t for t in texts(report["warnings"]) if "maconha" in t]
    assert len(maconha) == 1 and re.search(r"\b2\b", maconha[0]), report["warnings"]

    # no country given: from the coordinates, said once for the whole file
    assert from_points.code == 0, str(from_points)
    located_report = from_points.report()
    assert_same(seizure_rows(stored(located)), POLICE_EXPECTED)
    about_points = [
        t for t in texts(located_report["warnings"]) if "coordinat" in t or "latitude" in t
    ]
    assert len(about_points) == 1, located_report["warnings"]

    # the same file again, and a colleague's re-saved copy (same rows, other order, CRLF):
    # both refused, nothing new stored (the derived ids are the same)
    copy = ff.police_events_pt(tmp_path / "copy", resaved=True)
    assert copy.read_bytes() != path.read_bytes()
    again_copy, again_same = cli_all(
        [
            (
                given,
                ["import", copy, "--table", "seizures", "--country", "BRA", "--format", "json"],
            ),
            (located, ["import", path, "--table", "seizures", "--format", "json"]),
        ]
    )
    refused_storing_nothing(again_copy, given, versions_before=1)
    refused_storing_nothing(again_same, located, versions_before=1)
    assert sorted(stored(given)["seizure_id"]) == sorted(ids)
    assert len(stored(located)) == 6


# ---------------------------------------------------------------------------------------------
# 2. An event list with no country at all


AIS_EXPECTED = [
    ("2022-01-25", "BRA", "cocaine_unspecified", 1.5),
    ("2022-01-25", "BRA", "crack", 0.25),
    ("2022-03-19", "BRA", "cocaine_unspecified", 0.045),
]


def test_event_list_without_country_needs_one(tmp_path: Path) -> None:
    utf8, cp1252 = ff.ais_events(tmp_path, "utf-8"), ff.ais_events(tmp_path, "cp1252")
    dbs = [tmp_path / f"{n}.duckdb" for n in ("utf8", "cp1252", "none")]
    runs = cli_all(
        [
            (
                dbs[0],
                ["import", utf8, "--table", "seizures", "--country", "BRA", "--format", "json"],
            ),
            (dbs[1], ["import", cp1252, "--table", "seizures", "--country", "BRA"]),
            (dbs[2], ["import", utf8, "--table", "seizures", "--format", "json"]),
        ]
    )
    for run, db in zip(runs[:2], dbs[:2], strict=True):
        assert run.code == 0, str(run)
        assert_same(seizure_rows(stored(db)), AIS_EXPECTED)
    report = refused_storing_nothing(runs[2], dbs[2])
    assert any("country" in t for t in texts(report["errors"])), report["errors"]


# ---------------------------------------------------------------------------------------------
# 3. UNODC's Individual Drug Seizures layout, recognised without --table


def test_individual_drug_seizures_layout(tmp_path: Path) -> None:
    db = tmp_path / "ids.duckdb"
    run = cli(db, "import", ff.individual_drug_seizures(tmp_path), "--format", "json")
    assert run.code == 0, str(run)
    report = run.report()
    assert report["table"] == "seizures" and report["rows"] == 8
    rows = stored(db)
    assert_same(
        seizure_rows(rows),
        [
            ("2019-03-14", "COL", "cocaine_hcl", 120.5),
            ("2019-04-02", "PER", "cocaine_base", 0.85),  # 850 Gram
            ("2019-05-20", "BOL", "cocaine_base", 2.0),  # coca paste
            ("2019-06-03", "BRA", "crack", 0.3),
            ("2009-06-11", "ANT", "cocaine_hcl", 15.0),  # Netherlands Antilles
            ("2019-07-09", "MAC", "cocaine_hcl", 3.5),  # Macau, SAR of China
            ("2010-08-01", "LBY", "cocaine_unspecified", 0.5),  # 500 Millilitre
            ("2019-09-12", "ESP", "cocaine_unspecified", 2 * US_GALLON_KG),  # 2 Gallons
        ],
    )
    route = {
        day(r.date): (
            r.conveyance,
            text(r.origin_iso3),
            codes(r.transit_iso3),
            text(r.destination_iso3),
        )
        for r in rows.itertuples()
    }
    assert route == {
        "2019-03-14": ("vessel", "COL", ("COL",), "NLD"),
        "2019-04-02": ("air", "PER", ("PER",), "ESP"),
        "2019-05-20": ("land", "BOL", ("BOL",), "BRA"),
        "2019-06-03": ("postal", "", (), ""),  # Unknown, Multiple Countries, National territory
        "2009-06-11": ("vessel", "COL", ("VEN",), "NLD"),
        "2019-07-09": ("air", "BRA", ("ETH",), "MAC"),
        "2010-08-01": ("vessel", "BRA", (), "LBY"),  # departure 'Unknown'
        "2019-09-12": ("air", "COL", ("VEN",), "ANT"),
    }
    said = " ".join(texts(report["warnings"]))
    for skipped in ("coca leaf", "coca seeds", "cannabis herb"):
        assert skipped in said, (skipped, report["warnings"])


# ---------------------------------------------------------------------------------------------
# 4. The World Drug Report's wide table, recognised without --table


WDR_EXPECTED = [
    ("BRA", 2018, "cocaine_unspecified", 70000.0),  # 'Cocaine (salt and crack)'
    ("BRA", 2019, "cocaine_unspecified", 80000.0),
    ("BRA", 2020, "cocaine_unspecified", 90000.5),
    ("COL", 2018, "cocaine_hcl", 250000.0),
    ("COL", 2018, "cocaine_unspecified", 400000.5),  # 'Cocaine (base, paste and salts)'
    ("COL", 2019, "cocaine_unspecified", 430000.0),
    ("COL", 2020, "cocaine_hcl", 260000.25),
    ("CPV", 2018, "cocaine_unspecified", 12.5),  # merged 'Cabo Verde' cell
    ("CPV", 2019, "cocaine_unspecified", 0.75),
]


def test_world_drug_report_wide_table(tmp_path: Path) -> None:
    files = {"xlsx": ff.wdr_wide_xlsx(tmp_path), "csv": ff.wdr_wide_csv(tmp_path)}
    dbs = {kind: tmp_path / f"{kind}.duckdb" for kind in files}
    runs = cli_all([(dbs[k], ["import", files[k], "--format", "json"]) for k in files])
    for kind, run in zip(files, runs, strict=True):
        assert run.code == 0, (kind, str(run))
        report = run.report()
        assert report["table"] == "annual_seizures", kind
        assert_same(annual_rows(stored(dbs[kind], "annual_seizures")), WDR_EXPECTED)
        # Cannabis herb: two file rows (4 and 6) skipped, counted as rows, not as year cells
        said = [w["message"] for w in report["warnings"] if "cannabis herb" in texts([w])[0]]
        assert len(said) == 1, (kind, report["warnings"])
        assert re.search(r"\b2\b", said[0]), (kind, said)
        assert not re.search(r"\b(\d+), \1\b", said[0]), (kind, said)  # no row listed twice


# ---------------------------------------------------------------------------------------------
# 5. Analysts' long annual tables (country, code, year, seizures)


def test_long_annual_table(tmp_path: Path) -> None:
    files = [
        ff.long_annual(tmp_path, ff.LONG_ANNUAL_GOOD, "good.csv"),
        ff.long_annual(tmp_path, ff.LONG_ANNUAL_DISAGREE, "disagree.csv"),
        ff.long_annual(tmp_path, ff.LONG_ANNUAL_REPEATED, "repeated.csv"),
    ]
    dbs = [tmp_path / f"{p.stem}.duckdb" for p in files]
    good, disagree, repeated = cli_all(
        [
            (db, ["import", p, "--table", "annual", "--format", "json"])
            for db, p in zip(dbs, files, strict=True)
        ]
    )
    assert good.code == 0, str(good)
    assert_same(
        annual_rows(stored(dbs[0], "annual_seizures")),
        [
            ("ANT", 2008, "cocaine_unspecified", 1250.75),  # the withdrawn code
            ("COL", 2019, "cocaine_unspecified", 433000.5),
            ("COL", 2020, "cocaine_unspecified", 505000.0),
            ("PER", 2020, "cocaine_unspecified", 21000.0),  # code 'NA': missing, not Namibia
            ("YUG", 1995, "cocaine_unspecified", 12.5),
        ],
    )
    # name and code disagree on file row 3: both columns named (the file's one problem)
    report = refused_storing_nothing(disagree, dbs[1])
    assert len(report["errors"]) == 1, report["errors"]
    on_row_3 = [
        t for e, t in zip(report["errors"], texts(report["errors"]), strict=True) if names_row(e, 3)
    ]
    assert any("country" in t and "code" in t for t in on_row_3), report["errors"]
    # Colombia 2019 on rows 2 and 4: the repeated country-year named, once
    report = refused_storing_nothing(repeated, dbs[2])
    assert len(report["errors"]) == 1, report["errors"]
    assert any("2019" in t and ("col" in t or "colombia" in t) for t in texts(report["errors"])), (
        report["errors"]
    )
    assert named(report, 4) or named(report, 2), report["errors"]


# ---------------------------------------------------------------------------------------------
# 6. A national monthly aggregate


def test_monthly_aggregate_is_refused_saying_what_would_load_it(tmp_path: Path) -> None:
    path = ff.monthly_aggregate(tmp_path)
    plain, annual = tmp_path / "plain.duckdb", tmp_path / "annual.duckdb"
    runs = cli_all(
        [
            (plain, ["import", path, "--format", "json"]),
            (annual, ["import", path, "--table", "annual", "--country", "USA", "--format", "json"]),
        ]
    )
    report = refused_storing_nothing(runs[0], plain)
    said = " ".join(texts(report["errors"]))
    assert "month" in said and "annual" in said, report["errors"]
    # told it is an annual table (of one country), it still never loads fiscal months as years
    refused_storing_nothing(runs[1], annual)


# ---------------------------------------------------------------------------------------------
# 7. An English national file is not UNODC data


def test_national_file_is_not_taken_for_unodc_data(tmp_path: Path) -> None:
    path = ff.national_annual_en(tmp_path)
    told, detected = tmp_path / "told.duckdb", tmp_path / "detected.duckdb"
    runs = cli_all(
        [
            (told, ["import", path, "--table", "annual", "--format", "json"]),
            (detected, ["import", path, "--format", "json"]),
        ]
    )
    expected = [
        ("BRA", 2019, "cocaine_unspecified", 1500.5),  # 'Cocaine'
        ("BRA", 2020, "cocaine_unspecified", 2100.0),  # 'Cocaína', counted too
    ]
    assert runs[0].code == 0, str(runs[0])
    for run, db in zip(runs, (told, detected), strict=True):
        if db == detected and run.code != 0:  # not recognised without --table: then nothing
            refused_storing_nothing(run, db)
            continue
        assert run.code == 0, str(run)
        rows = stored(db, "annual_seizures")
        assert_same(annual_rows(rows), expected)
        labels = [*rows["source"], *sources(db)]
        assert not any("unodc" in s.casefold() for s in labels), labels
        assert all("national_bra.csv" in s for s in rows["source"]), labels


# ---------------------------------------------------------------------------------------------
# 8. Ragged rows, on every path


def test_no_path_stores_a_quantity_from_a_ragged_row(tmp_path: Path) -> None:
    # path -> (file, extra arguments, the file rows with one cell too many)
    cases: dict[str, tuple[Path, list[str], tuple[int, ...]]] = {
        "general seizures": (ff.ragged_seizures(tmp_path), ["--table", "seizures"], (3, 4)),
        "annual": (ff.ragged_annual(tmp_path), ["--table", "annual"], (3, 6)),
        "dataUNODC": (ff.dataunodc_resaved(tmp_path), [], (3, 4)),
        "World Drug Report": (ff.wdr_wide_csv(tmp_path, ragged=True), [], (7,)),
    }
    dbs = {name: tmp_path / f"{i}.duckdb" for i, name in enumerate(cases)}
    runs = cli_all(
        [
            (dbs[name], ["import", path, *extra, "--format", "json"])
            for name, (path, extra, _) in cases.items()
        ]
    )
    failures = []
    for (name, (_, _, ragged)), run in zip(cases.items(), runs, strict=True):
        if version_count(dbs[name]) or run.code != 1:
            failures.append(f"{name}: stored or not refused: {run}")
            continue
        report = run.report()
        missing = [r for r in ragged if not named(report, r)]
        if missing:
            failures.append(f"{name}: rows {missing} not named: {report['errors']}")
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# 9. Analysts' files: no id column, four languages, four encodings; activities' id headers


ANALYST_EXPECTED = [
    ("2023-01-15", "COL", "cocaine_hcl", 12.5),
    ("2023-02-20", "PER", "cocaine_base", 3.25),
    ("2023-03-05", "BRA", "crack", 0.75),
    ("2023-03-05", "BRA", "crack", 0.75),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_analyst_seizures_without_ids(
    tmp_path: Path, in_process: Any, language: str, encoding: str
) -> None:
    db = tmp_path / "store.duckdb"
    path = ff.analyst_seizures(tmp_path, language, encoding)
    run = in_process(db, "import", path, "--table", "seizures", "--format", "json")
    assert run.code == 0, str(run)
    assert run.report()["rows"] == 4
    rows = stored(db)
    assert_same(seizure_rows(rows), ANALYST_EXPECTED)
    assert rows["quantity_kg"].sum() == pytest.approx(17.25, rel=1e-9)
    assert rows["seizure_id"].nunique() == 4


@pytest.mark.parametrize(
    ("id_header", "language"),
    [
        ("Identifier", "en"),
        ("Identifiant", "fr"),
        ("Code", "fr"),
        ("Código", "es"),
        ("Identificador", "pt"),
        ("Código da atividade", "pt"),
    ],
)
def test_activities_id_headers(
    tmp_path: Path, in_process: Any, id_header: str, language: str
) -> None:
    db = tmp_path / "store.duckdb"
    path = ff.analyst_activities(tmp_path, id_header, language)
    run = in_process(db, "import", path, "--table", "activities", "--format", "json")
    assert run.code == 0, str(run)
    rows = stored(db, "activities").sort_values("activity_id")
    assert list(rows["activity_id"]) == list(ff.ACTIVITY_IDS)
    assert [day(d) for d in rows["start_date"]] == ["2019-03-14", "2021-09-02"]
    assert [sorted(codes(c)) for c in rows["countries"]] == [["ECU"], ["BRA", "CPV"]]
    assert list(rows["type"]) == ["training", "agreement"]
    assert list(rows["partner"]) == ["unodc", "interpol"]


# ---------------------------------------------------------------------------------------------
# 10. --map and --country, on validate and import


def test_map_and_country_on_validate_and_import(tmp_path: Path) -> None:
    weight, country = ff.mapped_weight(tmp_path), ff.mapped_country(tmp_path)
    weight_args = [
        weight,
        "--table",
        "seizures",
        "--map",
        "Peso bruto=quantity_kg",
        "--map",
        "Medida=quantity_unit",
        "--country",
        "CPV",
        "--format",
        "json",
    ]
    country_args = [
        country,
        "--table",
        "seizures",
        "--map",
        "Pays du saisie=country_iso3",
        "--map",
        "País=destination_iso3",
        "--format",
        "json",
    ]
    weight_db, country_db = tmp_path / "weight.duckdb", tmp_path / "country.duckdb"
    checked_dbs = [tmp_path / "checked_weight.duckdb", tmp_path / "checked_country.duckdb"]
    *checked, loaded_weight, loaded_country = cli_all(
        [
            (checked_dbs[0], ["validate", *weight_args]),
            (checked_dbs[1], ["validate", *country_args]),
            (weight_db, ["import", *weight_args]),
            (country_db, ["import", *country_args]),
        ]
    )
    for run, db in zip(checked, checked_dbs, strict=True):
        assert run.code == 0, str(run)
        assert run.report()["ok"] and run.report()["rows"] == 2
        assert version_count(db) == 0
    for run in (loaded_weight, loaded_country):
        assert run.code == 0, str(run)
    assert_same(
        seizure_rows(stored(weight_db)),
        [("2023-03-15", "CPV", "cocaine_unspecified", 2.5), ("2023-03-16", "CPV", "crack", 0.75)],
    )
    rows = stored(country_db)
    assert_same(
        seizure_rows(rows),
        [("2023-02-14", "CPV", "cocaine_hcl", 1.25), ("2023-02-21", "SEN", "cocaine_base", 0.5)],
    )
    assert sorted(rows["destination_iso3"]) == ["ESP", "PRT"]


# ---------------------------------------------------------------------------------------------
# 11. A stored load is not reported as failed when its JSON report is cut short


def test_json_report_through_a_pipe(tmp_path: Path) -> None:
    path = ff.heavy_seizures(tmp_path)
    # head -c 600 stops reading a long report; head -c 0 reads none of it
    readers = {"head -c 600": tmp_path / "head600.duckdb", "head -c 0": tmp_path / "head0.duckdb"}
    runs = shell_all(
        [
            (db, f"PY import {path} --table seizures --format json | {reader}")
            for reader, db in readers.items()
        ]
    )
    for (reader, db), run in zip(readers.items(), runs, strict=True):
        assert run.code == 0, (reader, str(run))
        assert version_count(db) == 1, reader
        assert len(stored(db)) == 300, reader


# ---------------------------------------------------------------------------------------------
# 12. The same problem on many rows is reported once, with the count and the first rows


def test_same_problem_on_many_rows_is_one_error(tmp_path: Path) -> None:
    db = tmp_path / "dates.duckdb"
    run = cli(
        db, "import", ff.impossible_dates(tmp_path), "--table", "seizures", "--format", "json"
    )
    report = refused_storing_nothing(run, db)
    assert len(report["errors"]) == 1, report["errors"]
    error = report["errors"][0]
    assert set(error) == {"row", "column", "value", "message"}
    assert error["row"] == 2 and error["column"] == "date", error
    assert re.search(r"\b40\b", error["message"]), error
    assert re.search(r"\b3\b", error["message"]), error  # the first rows, listed
