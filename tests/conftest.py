"""Shared fixtures: temporary stores and tiny canonical frames with known answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crimjust_data.store import DuckDBStore

SHARED_UNODC = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "unodc"
    / "drug_seizures_2018_2022.xlsx"
)


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database file, also set as CRIMJUST_DB for code that opens the default store."""
    path = tmp_path / "store" / "test.duckdb"
    monkeypatch.setenv("CRIMJUST_DB", str(path))
    return path


@pytest.fixture
def store(store_path: Path) -> DuckDBStore:
    return DuckDBStore(store_path)


def seizures_frame(rows: list[tuple[str, str, str, str, float, str | None]]) -> pd.DataFrame:
    """(seizure_id, date, country, drug, kg, conveyance) rows as a canonical seizures frame."""
    return pd.DataFrame(
        {
            "seizure_id": [r[0] for r in rows],
            "date": [r[1] for r in rows],
            "country_iso3": [r[2] for r in rows],
            "drug": [r[3] for r in rows],
            "quantity_kg": [r[4] for r in rows],
            "conveyance": [r[5] for r in rows],
            "source": "test fixture",
        }
    )


def cases_frame(rows: list[tuple]) -> pd.DataFrame:
    """(case_id, country, seizure_id, opened, charged, verdict, outcome) rows as cases."""
    columns = [
        "case_id",
        "country_iso3",
        "seizure_id",
        "opened_date",
        "charged_date",
        "verdict_date",
        "outcome",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(source="test fixture", defendants=1)
