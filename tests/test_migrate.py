"""`python -m crimjust_data migrate`: a DuckDB store's whole history moved into PostgreSQL."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data import metrics
from crimjust_data.errors import StoreError
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters
from crimjust_data.queries import justice
from crimjust_data.store import DuckDBStore, LoadRequest
from crimjust_data.store.migrate import migrate
from crimjust_data.store.postgres_store import PostgresStore
from tests.conftest import seizures_frame

ROOT = Path(__file__).resolve().parents[1]
EXTRA = seizures_frame(
    [
        ("X1", "2023-03-01", "CPV", "cocaine_hcl", 12.5, "vessel"),
        ("X2", "2023-04-01", "SEN", "crack", 0.5, None),
    ]
)
HOSTILE = seizures_frame([("X3", "2023-05-01", "GNB", "cocaine_hcl", 1.0, "air")]).assign(
    location='tab\there\nnew line \\ back\'slash "quoted"', source='=HYPERLINK("x")'
)


@pytest.fixture
def history(store_path: Path) -> DuckDBStore:
    """A DuckDB store with every kind of history: replace, append, rollback, a saved mapping."""
    source = DuckDBStore(store_path)
    load_demo(source, seed=7, seizures=1500, cases=600)
    source.load(LoadRequest("seizures", EXTRA, "fixture", "extra.csv", "abc", mode="append"))
    rolled = source.load(LoadRequest("seizures", HOSTILE, "fixture", "hostile.csv", "def"))
    source.rollback(rolled.version_id, by="reviewer")
    load_demo(source, seed=8, seizures=800, cases=300)  # supersedes the first demo load
    source.save_mapping("seizures", ["Fecha", "País"], {"Fecha": "date"}, by="analyst")
    return source


def migrate_command(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python -m crimjust_data migrate ARGUMENTS` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "crimjust_data", "migrate", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _versions(store: DuckDBStore | PostgresStore) -> list[dict]:
    return [v.to_dict() for v in store.versions()]


def test_migrate_keeps_every_version_row_and_answer(
    history: DuckDBStore, postgres_url: str
) -> None:
    target = PostgresStore(postgres_url)
    try:
        moved = migrate(history, target)
        assert moved.versions == len(history.versions()) == 8
        assert moved.mappings == 1
        assert _versions(target) == _versions(history)  # ids, states, authors, times, sums
        for filters in (Filters(), Filters(regions=("west_africa",)), Filters(drugs=("crack",))):
            moved_headline = metrics.headline(target, filters)
            source_headline = metrics.headline(history, filters)
            assert moved_headline.seized_kg == pytest.approx(source_headline.seized_kg)
            assert dataclasses.replace(moved_headline, seized_kg=0) == dataclasses.replace(
                source_headline, seized_kg=0
            )
            moved_tables = justice.page_tables(target, filters)
            source_tables = justice.page_tables(history, filters)
            for name in ("funnel", "country_rates"):
                pd.testing.assert_frame_equal(
                    getattr(moved_tables, name), getattr(source_tables, name)
                )
        # rolled-back rows are kept, text exactly as it was
        location = target.query("SELECT location FROM seizures WHERE seizure_id = 'X3'")
        assert location.iloc[0, 0] == HOSTILE["location"].iloc[0]
        assert target.saved_mapping("seizures", ["País", "Fecha"]) == {"Fecha": "date"}
        # the history goes on: next id after the last, and a rollback brings back the first
        newest = target.load(LoadRequest("seizures", EXTRA.assign(seizure_id=["Y1", "Y2"]), "f"))
        assert newest.version_id == max(v["version_id"] for v in _versions(history)) + 1
        target.rollback(6)  # the second demo's seizures: the first demo's come back
        assert target.version(1).active
    finally:
        target.close()


def test_migrate_refuses_a_target_that_holds_versions(
    history: DuckDBStore, postgres_url: str
) -> None:
    target = PostgresStore(postgres_url)
    try:
        target.load(LoadRequest("seizures", EXTRA, "elsewhere"))
        before = _versions(target)
        with pytest.raises(StoreError, match="already holds 1 versions"):
            migrate(history, target)
        assert _versions(target) == before
    finally:
        target.close()


def test_migrate_command(history: DuckDBStore, postgres_url: str, store_path: Path) -> None:
    run = migrate_command(
        ["--from", str(store_path)], {**os.environ, "CRIMJUST_DATABASE_URL": postgres_url}
    )
    assert run.returncode == 0, run.stderr
    assert "moved 8 versions" in run.stdout and "1 saved mappings" in run.stdout
    assert "password" not in run.stdout
    target = PostgresStore(postgres_url)
    try:
        assert _versions(target) == _versions(history)
    finally:
        target.close()
    again = migrate_command(
        ["--from", str(store_path)], {**os.environ, "CRIMJUST_DATABASE_URL": postgres_url}
    )
    assert again.returncode == 1 and "already holds 8 versions" in again.stderr
    assert "Traceback" not in again.stderr


def test_migrate_command_says_what_is_missing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CRIMJUST_DATABASE_URL"}
    run = migrate_command(["--from", str(tmp_path / "x.duckdb")], env)
    assert run.returncode == 1 and "--to postgresql://" in run.stderr
    run = migrate_command(
        ["--from", str(tmp_path / "x.duckdb"), "--to", "postgresql://u:secret@127.0.0.1:1/db"], env
    )
    assert run.returncode == 1 and "no DuckDB file" in run.stderr


def test_unreachable_server_is_named_without_its_password() -> None:
    with pytest.raises(StoreError) as caught:
        PostgresStore("postgresql://analyst:s3cret-pw@127.0.0.1:1/crimjust")
    message = str(caught.value)
    assert "crimjust on 127.0.0.1:1" in message and "CRIMJUST_DATABASE_URL" in message
    assert "s3cret-pw" not in message
