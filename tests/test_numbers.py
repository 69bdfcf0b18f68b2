"""`python -m crimjust_data metrics`: the pages' numbers as text and JSON, on a hand-checked
fixture (tests/test_metrics.py's)."""

from __future__ import annotations

import json

import pytest

from crimjust_data.__main__ import main
from crimjust_data.store import LoadRequest
from tests.test_metrics import CASES, SEIZURES


@pytest.fixture
def loaded_file(store_path):
    from crimjust_data.store import open_store

    store = open_store(store_path)
    store.load_many(
        [LoadRequest("seizures", SEIZURES, "test"), LoadRequest("cases", CASES, "test")]
    )
    del store  # the command opens the file itself
    return store_path


def test_metrics_json_has_the_hand_computed_numbers(loaded_file, capsys) -> None:
    assert main(["metrics", "--format", "json"]) == 0
    numbers = json.loads(capsys.readouterr().out)
    assert numbers["data_end"] == "2022-01-01"
    assert numbers["seizures"] == {"events": 5, "kg": 5005.5}
    cases = numbers["cases"]
    assert (cases["opened"], cases["closed_before_charge"], cases["charged"]) == (6, 1, 4)
    assert (cases["court_outcome"], cases["convicted"], cases["too_recent"]) == (3, 2, 3)
    prosecution = cases["prosecution"]
    assert (prosecution["rate"], prosecution["n"], prosecution["within_months"]) == (1.0, 3, 12)
    assert 0 < prosecution["low"] < 1 and prosecution["high"] == 1.0
    conviction = cases["conviction"]
    assert conviction["rate"] == pytest.approx(2 / 3, abs=1e-6) and conviction["n"] == 3
    timing = cases["time_to_verdict"]
    assert (timing["median_days"], timing["n"], timing["pending"]) == (200.0, 4, 1)
    assert "Kaplan-Meier" in timing["method"]
    assert numbers["activities"] == []


def test_metrics_filters_and_text(loaded_file, capsys) -> None:
    assert main(["metrics", "--region", "caribbean", "--format", "json"]) == 0
    numbers = json.loads(capsys.readouterr().out)
    assert numbers["cases"]["opened"] == 1
    # C5 was opened 2021-04-01, less than 12 months before the data's end: too recent
    assert numbers["cases"]["prosecution"]["rate"] is None
    assert numbers["cases"]["prosecution"]["n"] == 0
    assert numbers["cases"]["too_recent"] == 1
    assert main(["metrics", "--from", "2021-01-01", "--to", "2021-12-31"]) == 0
    out = capsys.readouterr().out
    assert "cases opened: 3 " in out and "too recent to judge" in out


def test_metrics_usage_errors(loaded_file, capsys) -> None:
    assert main(["metrics", "--from", "2022-01-01", "--to", "2021-01-01"]) == 1
    assert "is after" in capsys.readouterr().err
    assert main(["metrics", "--window", "12"]) == 1
    assert "--activity" in capsys.readouterr().err
