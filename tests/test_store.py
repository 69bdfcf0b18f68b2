"""Versioned store: every load a version, rollback without deleting, all-or-nothing loads."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crimjust_data.errors import DuplicateLoadError, StoreError
from crimjust_data.schemas import ValidationFailed
from crimjust_data.store import DuckDBStore, LoadRequest, Store
from crimjust_data.store.duckdb_store import DuckDBTransaction
from crimjust_data.store.postgres_store import PostgresTransaction
from tests.conftest import locator, reopen, seizures_frame

FIRST = seizures_frame(
    [
        ("S1", "2020-01-10", "COL", "cocaine_hcl", 100.0, "container"),
        ("S2", "2020-02-10", "PAN", "crack", 2.0, "air"),
    ]
)
SECOND = seizures_frame([("S3", "2021-01-10", "CPV", "cocaine_hcl", 50.0, "vessel")])
REPLACEMENT = seizures_frame([("R1", "2022-05-05", "ESP", "cocaine_unspecified", 7.0, None)])


def kg(store: DuckDBStore) -> float:
    return float(
        store.query("SELECT coalesce(sum(quantity_kg), 0) AS kg FROM active_seizures").iloc[0, 0]
    )


def snapshot(store: DuckDBStore) -> tuple:
    """Everything that must not change when a load fails."""
    versions = [v.to_dict() for v in store.versions()]
    rows = (
        store.query(
            "SELECT (SELECT count(*) FROM seizures) AS s, (SELECT count(*) FROM cases) AS c, "
            "(SELECT count(*) FROM annual_seizures) AS a"
        )
        .iloc[0]
        .tolist()
    )
    return versions, rows, store.state_token()


def test_new_store_is_new_and_file_created(store: Store, store_path: Path) -> None:
    assert store_path.exists() == isinstance(store, DuckDBStore)  # PostgreSQL: no file
    assert store.is_new()
    assert store.versions() == []


def test_load_records_a_version_with_metadata(store: DuckDBStore) -> None:
    version = store.load(
        LoadRequest("seizures", FIRST, "fixture", "first.csv", "abc123"), loaded_by="analyst-1"
    )
    assert version.version_id == 1 and version.rows == 2 and version.active
    assert (version.table_name, version.file_name, version.sha256) == (
        "seizures",
        "first.csv",
        "abc123",
    )
    assert version.loaded_by == "analyst-1" and version.mode == "append" and not version.synthetic
    assert kg(store) == 102.0
    assert not store.is_new()
    store.rollback(version.version_id)
    assert not store.is_new()  # emptied on purpose: not seeded again


def test_append_then_rollback_keeps_rows_but_stops_counting(store: DuckDBStore) -> None:
    store.load(LoadRequest("seizures", FIRST, "fixture"))
    second = store.load(LoadRequest("seizures", SECOND, "fixture"))
    assert kg(store) == 152.0
    token = store.state_token()
    rolled = store.rollback(second.version_id, by="analyst-2")
    assert not rolled.active and rolled.rolled_back_by == "analyst-2"
    assert kg(store) == 102.0
    assert store.state_token() != token
    # nothing physically deleted
    assert int(store.query("SELECT count(*) FROM seizures").iloc[0, 0]) == 3
    with pytest.raises(StoreError, match="already rolled back"):
        store.rollback(second.version_id)
    with pytest.raises(StoreError, match="no version 99"):
        store.rollback(99)


def test_replace_hides_earlier_and_its_rollback_brings_them_back(store: DuckDBStore) -> None:
    store.load(LoadRequest("seizures", FIRST, "fixture"))
    store.load(LoadRequest("seizures", SECOND, "fixture"))
    replace = store.load(LoadRequest("seizures", REPLACEMENT, "fixture", mode="replace"))
    assert kg(store) == 7.0
    states = {v.version_id: v.active for v in store.versions("seizures")}
    assert states == {1: False, 2: False, 3: True}
    store.rollback(replace.version_id)
    assert kg(store) == 152.0
    # an append after a replace stays visible with it
    store.load(LoadRequest("seizures", REPLACEMENT, "fixture", mode="replace"))
    store.load(LoadRequest("seizures", FIRST, "fixture"))
    assert kg(store) == 109.0


def test_same_file_or_same_ids_are_not_counted_twice(store: DuckDBStore) -> None:
    store.load(LoadRequest("seizures", FIRST, "fixture", "a.csv", "sha-a"))
    before = snapshot(store)
    with pytest.raises(DuplicateLoadError, match="already loaded as version 1"):
        store.load(LoadRequest("seizures", SECOND, "fixture", "a.csv", "sha-a"))
    overlapping = seizures_frame(
        [
            ("S9", "2021-01-10", "CPV", "cocaine_hcl", 50.0, "vessel"),
            ("S2", "2020-02-10", "PAN", "crack", 2.0, "air"),
        ]
    )
    with pytest.raises(ValidationFailed) as failure:
        store.load(LoadRequest("seizures", overlapping, "fixture", "b.csv", "sha-b"))
    (error,) = failure.value.errors
    assert (error.row, error.column, error.value) == (3, "seizure_id", "S2")
    assert "version 1" in error.message
    assert snapshot(store) == before


def test_invalid_rows_store_nothing(store: DuckDBStore) -> None:
    store.load(LoadRequest("seizures", FIRST, "fixture"))
    before = snapshot(store)
    bad = seizures_frame([("X1", "2021-01-10", "ZZZ", "coca_leaf", -5.0, "boat")])
    with pytest.raises(ValidationFailed) as failure:
        store.load(LoadRequest("seizures", bad, "fixture"))
    columns = {e.column for e in failure.value.errors}
    assert {"country_iso3", "drug", "quantity_kg", "conveyance"} <= columns
    assert all(e.row == 2 for e in failure.value.errors)
    assert snapshot(store) == before


def test_failure_midway_through_a_multi_table_load_leaves_store_as_it_was(
    store: DuckDBStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.load(LoadRequest("seizures", FIRST, "fixture"))
    before = snapshot(store)
    transaction = DuckDBTransaction if isinstance(store, DuckDBStore) else PostgresTransaction
    original = transaction.add_version
    calls = []

    def flaky(self, request, loaded_by):
        calls.append(request.table)
        if len(calls) == 2:  # the first table is already written inside the transaction
            raise OSError("disk full (simulated)")
        return original(self, request, loaded_by)

    monkeypatch.setattr(transaction, "add_version", flaky)
    with pytest.raises(OSError, match="simulated"):
        store.load_many(
            [LoadRequest("seizures", SECOND, "fixture"), LoadRequest("seizures", REPLACEMENT, "f")]
        )
    assert calls == ["seizures", "seizures"]
    monkeypatch.undo()
    assert snapshot(reopen(store)) == before


# Killed loads and broken store files: tests/test_crashes.py.


SEED = textwrap.dedent(
    """
    import sys, time
    from crimjust_data.ingest.pipeline import load_demo
    from crimjust_data.store import open_store
    store = open_store(sys.argv[1])
    time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # both start loading at once
    print(len(load_demo(store, seizures=3000, cases=500, only_if_new=True)))
    """
)


def test_two_replicas_seeding_at_once_seed_once(store: Store) -> None:
    root = Path(__file__).resolve().parents[1]
    start_at = str(time.time() + 4)
    seeders = [
        subprocess.Popen(
            [sys.executable, "-c", SEED, locator(store), start_at],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        for _ in range(2)
    ]
    outputs = [seeder.communicate(timeout=120) for seeder in seeders]
    assert [seeder.returncode for seeder in seeders] == [0, 0], outputs
    # one seeds (seizures, cases and activities), the other sees it
    assert sorted(int(out.strip()) for out, _err in outputs) == [0, 3]
    assert [v.table_name for v in reopen(store).versions()] == ["activities", "cases", "seizures"]
