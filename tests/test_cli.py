"""The command line, run in-process as a user would call it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crimjust_data.__main__ import main
from tests.conftest import SHARED_UNODC

needs_unodc = pytest.mark.skipif(
    not SHARED_UNODC.exists(),
    reason="the UNODC export in ../shared/data/unodc is not beside the repo",
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def versions_json(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    code, out, _ = run(capsys, "versions", "--format", "json")
    assert code == 0
    return json.loads(out)


@pytest.mark.parametrize(
    "command", [[], ["demo"], ["import"], ["validate"], ["versions"], ["rollback"]]
)
def test_help_everywhere(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: python -m crimjust_data" in capsys.readouterr().out


def test_usage_errors_exit_2(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["import"],
        ["import", "x.csv", "--table", "nope"],
        ["validate"],
        ["validate", "x.csv", "--format", "xml"],
        ["demo", "--seizures", "0"],
        ["frobnicate"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 2


def test_demo_versions_rollback(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--seed", "3", "--seizures", "300", "--cases", "120")
    assert code == 0
    assert "loaded version 1: 300 rows of seizures" in out
    assert "loaded version 2: 120 rows of cases" in out
    listed = versions_json(capsys)
    assert [(v["version_id"], v["table"], v["synthetic"], v["active"]) for v in listed] == [
        (3, "activities", True, True),
        (2, "cases", True, True),
        (1, "seizures", True, True),
    ]
    assert [v["rows"] for v in listed][1:] == [120, 300]
    assert listed[0]["rows"] > 40  # about five a year since 2015, and the 2016 agreement
    code, out, _ = run(capsys, "versions")
    assert "active" in out and "[synthetic]" in out
    code, out, _ = run(capsys, "rollback", "2")
    assert code == 0 and "rolled back version 2" in out
    assert [v["active"] for v in versions_json(capsys)] == [True, False, True]
    code, _, err = run(capsys, "rollback", "2")
    assert code == 1 and "already rolled back" in err
    code, _, err = run(capsys, "rollback", "42")
    assert code == 1 and "no version 42" in err


@needs_unodc
def test_import_unodc_export(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", str(SHARED_UNODC), "--dry-run")
    assert code == 0 and "would load" in out
    assert versions_json(capsys) == []
    code, out, _ = run(capsys, "import", str(SHARED_UNODC), "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["ok"] and result["table"] == "annual_seizures"
    assert result["version_id"] == 1 and result["rows"] > 300 and result["errors"] == []
    assert result["warnings"] and set(result["warnings"][0]) == {
        "row",
        "column",
        "value",
        "message",
    }
    assert any("coca leaf" in w["message"] for w in result["warnings"])
    # importing the same file again would count it twice: refused, nothing changes
    code, _, err = run(capsys, "import", str(SHARED_UNODC))
    assert code == 1 and "already loaded as version 1" in err
    assert len(versions_json(capsys)) == 1


def test_garbage_file_is_rejected_and_nothing_changes(
    tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "demo", "--seizures", "50", "--cases", "20")
    before = versions_json(capsys)
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    code, out, err = run(capsys, "import", str(png))
    assert code == 1 and out == ""
    assert "photo.csv" in err and "Traceback" not in err
    code, out, _ = run(capsys, "import", str(png), "--table", "seizures", "--format", "json")
    result = json.loads(out)
    assert code == 1 and not result["ok"] and result["errors"][0]["message"]
    missing = tmp_path / "missing.xlsx"
    code, _, err = run(capsys, "import", str(missing), "--table", "cases")
    assert code == 1 and "missing.xlsx" in err
    assert versions_json(capsys) == before


def test_import_canonical_csv_with_row_errors(
    tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "seizures.csv"
    good.write_text(
        "seizure_id,date,country_iso3,drug,quantity_kg,conveyance,transit_iso3\n"
        "A1,2023-03-01,COL,cocaine_hcl,120.5,container,PAN|DOM\n"
        "A2,2023-03-02,CPV,crack,3,air,\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", str(good), "--table", "seizures")
    assert code == 0 and "2 rows of seizures" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "seizure_id,date,country_iso3,drug,quantity_kg\n"
        "B1,2023-03-01,COL,cocaine_hcl,10\n"
        "B2,2023-13-45,XXX,crack,-1\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", str(bad), "--table", "seizures", "--format", "json")
    result = json.loads(out)
    assert code == 1 and not result["ok"]
    found = {(e["row"], e["column"]) for e in result["errors"]}
    assert {(3, "date"), (3, "country_iso3"), (3, "quantity_kg")} <= found
    assert len(versions_json(capsys)) == 1


def test_validate_is_import_dry_run(
    tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "seizure_id,date,country_iso3,drug,quantity_kg\nV1,2023-03-01,COL,cocaine_hcl,2\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(path), "--table", "seizures", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "ok": True,
        "table": "seizures",
        "rows": 1,
        "errors": [],
        "warnings": [],
    }
    code, dry, _ = run(capsys, "import", str(path), "--table", "seizures", "--dry-run")
    assert code == 0 and "1 rows of seizures would load" in dry
    assert versions_json(capsys) == []
    code, _, err = run(capsys, "validate", str(tmp_path / "none.csv"), "--table", "seizures")
    assert code == 1 and "none.csv: file not found" in err


def test_window_choices_named_as_the_queries_name_them() -> None:
    from crimjust_data import __main__ as cli
    from crimjust_data.queries import activities

    assert cli.WINDOW_CHOICES == activities.WINDOW_CHOICES
    assert cli.DEFAULT_WINDOW_MONTHS == activities.DEFAULT_WINDOW_MONTHS


def test_import_command_imports_nothing_it_does_not_use() -> None:
    """The command line starts without the statistics, charts, maps or Streamlit: an import
    pays only for what reads and stores a file (statsmodels and scipy alone take 0.4 s)."""
    import subprocess
    import sys

    heavy = ("crimjust_data.metrics", "statsmodels", "scipy", "plotly", "streamlit", "geopandas")
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, crimjust_data.__main__; "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert found.stdout.strip() == "[]"
