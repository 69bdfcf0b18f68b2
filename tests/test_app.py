"""The home page through the router (AppTest), on a temporary store seeded on first run."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crimjust_data.formatting import (
    describe_verdict_days,
    format_kg,
    format_prosecution,
    format_rate,
    format_verdict_days,
    prosecution_text,
)
from crimjust_data.ingest.pipeline import import_file
from crimjust_data.metrics import Filters, headline
from crimjust_data.store import DuckDBStore
from tests.conftest import SHARED_UNODC

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run_app(timeout: float = 120) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=timeout)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_first_run_seeds_demo_and_home_shows_its_figures(store_path: Path) -> None:
    app = run_app()
    store = DuckDBStore(store_path)
    versions = store.versions()
    assert {v.table_name for v in versions} == {"seizures", "cases", "activities"}
    assert all(v.synthetic and v.active for v in versions)

    expected = headline(store, Filters())
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Cocaine seized"] == format_kg(expected.seized_kg)
    assert metrics["Seizure events"] == f"{expected.seizure_events:,}"
    assert metrics["Cases opened"] == f"{expected.cases_opened:,}"
    assert metrics["Prosecution rate"] == format_prosecution(expected)
    assert metrics["Prosecution rate"] == format_rate(expected.prosecution)  # a cohort to judge
    assert metrics["Conviction rate"] == format_rate(expected.conviction)
    assert metrics["Median time to verdict"] == format_verdict_days(expected.time_to_verdict)
    assert expected.seizure_events == 6000 and expected.cases_opened == 3000
    assert any("Synthetic data" in w.value for w in app.warning)
    assert len(app.get("plotly_chart")) == 2
    assert "CRIMJUST interdiction dashboard" in app.title[0].value
    captions = [c.value for c in app.caption]
    # the prosecution rate's n is the cohort opened at least 12 months before the data's end,
    # and the cases younger than that are counted apart; the conviction rate's n is the charged
    # cases with a court outcome
    assert 0 < expected.prosecution.n < expected.cases_opened
    assert expected.too_recent == expected.cases_opened - expected.prosecution.n
    assert prosecution_text(expected) in captions
    assert f"n = {expected.prosecution.n:,}" in prosecution_text(expected)
    assert f"{expected.too_recent:,} cases opened less than 12 months" in prosecution_text(expected)
    assert any("95% CI" in c and f"n = {expected.conviction.n:,}" in c for c in captions)
    assert describe_verdict_days(expected.time_to_verdict) in captions
    assert "Kaplan-Meier" in describe_verdict_days(expected.time_to_verdict)
    assert "Case data end: " in " ".join(captions)


def test_second_run_does_not_seed_again(store_path: Path) -> None:
    run_app()
    run_app()
    assert len(DuckDBStore(store_path).versions()) == 3


def test_everything_rolled_back_is_not_reseeded(store_path: Path) -> None:
    run_app()
    store = DuckDBStore(store_path)
    for version in store.versions():
        store.rollback(version.version_id)
    app = run_app()
    assert len(store.versions()) == 3
    assert "No data is active" in app.info[0].value
    assert len(app.metric) == 0 and len(app.get("plotly_chart")) == 0


def test_home_reflects_a_rollback(store_path: Path) -> None:
    run_app()
    store = DuckDBStore(store_path)
    cases_version = next(v for v in store.versions() if v.table_name == "cases")
    store.rollback(cases_version.version_id)
    app = run_app()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Cases opened"] == "0"
    assert metrics["Prosecution rate"] == "–"
    assert metrics["Conviction rate"] == "–"
    assert metrics["Median time to verdict"] == "–"


def test_broken_store_shows_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database" * 200)
    monkeypatch.setenv("CRIMJUST_DB", str(broken))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert "is not a DuckDB database file" in app.error[0].value
    assert "backup" in app.error[0].value


@pytest.mark.skipif(not SHARED_UNODC.exists(), reason="the UNODC export in ../shared is absent")
def test_home_compares_official_unodc_totals_when_loaded(store_path: Path) -> None:
    run_app()
    assert "Official UNODC totals" not in " ".join(s.value for s in run_app().subheader)
    outcome = import_file(DuckDBStore(store_path), SHARED_UNODC)
    assert outcome.ok, outcome.errors
    app = run_app()
    assert "Official UNODC totals and the loaded records" in [s.value for s in app.subheader]
    metrics = {m.label: m.value for m in app.metric}
    expected = headline(DuckDBStore(store_path), Filters())
    assert metrics["Cocaine seized"] == format_kg(expected.seized_kg)  # events only, not added
    tables = [t.value for t in app.dataframe]
    freshness = next(t for t in tables if "Table" in t.columns)
    assert "Official annual totals (UNODC)" in set(freshness["Table"])
