"""Rollup-backed answers equal the raw rows' answers, after appends, replaces and rollbacks."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from crimjust_data import metrics, view_state
from crimjust_data.demo import generate_demo
from crimjust_data.metrics import Filters
from crimjust_data.queries import flows, justice, timelines
from crimjust_data.store import LoadRequest, Store
from crimjust_data.store.base import prepare_schema

FILTERS = (
    Filters(),
    Filters(regions=("caribbean",)),
    Filters(countries=("CPV", "COL")),
    Filters(sources=("nobody",)),
    # whole months only, then cut months at one end, the other, both, and inside one month
    Filters(date_from=dt.date(2020, 3, 1), date_to=dt.date(2021, 6, 30)),
    Filters(date_from=dt.date(2020, 3, 17)),
    Filters(date_to=dt.date(2021, 6, 3), regions=("west_africa", "latin_america")),
    Filters(date_from=dt.date(2019, 12, 31), date_to=dt.date(2020, 2, 1)),
    Filters(date_from=dt.date(2020, 5, 4), date_to=dt.date(2020, 5, 20)),
    Filters(drugs=("crack",), date_from=dt.date(2018, 7, 9)),
    Filters(conveyances=("container", "air"), countries=("BRA",)),
    # whole years (the route rollup's period), and years cut
    Filters(date_from=dt.date(2019, 1, 1), date_to=dt.date(2020, 12, 31)),
    Filters(date_from=dt.date(2019, 1, 1), date_to=dt.date(2021, 3, 31), drugs=("cocaine_hcl",)),
)


def raw_seizures(store: Store, filters: Filters) -> tuple[float, int, int]:
    """kg, events and events with both route ends, straight from the raw rows."""
    where, params = metrics.seizure_where(filters)
    row = store.query(
        "SELECT coalesce(sum(s.quantity_kg), 0) AS kg, count(*) AS n, "
        "count(*) FILTER (WHERE s.origin_iso3 IS NOT NULL AND s.destination_iso3 IS NOT NULL) "
        f"AS routed FROM {metrics.SEIZURES_FROM} WHERE {where}",
        params,
    ).iloc[0]
    return float(row["kg"]), int(row["n"]), int(row["routed"])


def raw_routes(store: Store, filters: Filters) -> pd.DataFrame:
    """Events per origin -> destination, and per origin region -> seized region, from raw rows."""
    where, params = metrics.seizure_where(filters)
    return store.query(
        "SELECT s.origin_iso3, s.destination_iso3, c.region, count(*) AS events "
        f"FROM {metrics.SEIZURES_FROM} WHERE {where} "
        "AND s.origin_iso3 IS NOT NULL AND s.destination_iso3 IS NOT NULL GROUP BY 1, 2, 3",
        params,
    )


def raw_end(store: Store) -> dt.date | None:
    """The data's end from the raw rows: the latest opening, charge or verdict date of all the
    active cases (whatever the filters)."""
    rows = store.query("SELECT opened_date, charged_date, verdict_date FROM active_cases")
    dates = pd.concat([pd.to_datetime(rows[c]) for c in rows.columns]).dropna()
    return None if dates.empty else dates.max().date()


def raw_cases(store: Store, filters: Filters) -> dict[str, int]:
    """The case counts, worked out in pandas from the raw rows (the linked seizure always
    joined): each funnel stage, the prosecution cohort and its charges within 12 months, and
    the charged cases Kaplan-Meier counts (with an outcome and a date, or still pending)."""
    where, params = metrics.case_where(filters)
    rows = store.query(
        "SELECT k.opened_date, k.charged_date, k.verdict_date, k.outcome "
        "FROM active_cases k JOIN ref_countries c ON c.iso3 = k.country_iso3 "
        f"LEFT JOIN active_seizures s ON s.seizure_id = k.seizure_id WHERE {where}",
        params,
    )
    opened = pd.to_datetime(rows["opened_date"])
    charged = pd.to_datetime(rows["charged_date"]).notna()
    has_verdict = pd.to_datetime(rows["verdict_date"]).notna()
    outcome = rows["outcome"].isin(["convicted", "acquitted", "dismissed"])
    end = raw_end(store)
    cohort = (
        opened <= pd.Timestamp(end) - pd.DateOffset(months=12) if end is not None else opened.isna()
    )
    in_window = charged & (
        pd.to_datetime(rows["charged_date"]) <= opened + pd.DateOffset(months=12)
    )
    return {
        "opened": len(rows),
        "closed_before_charge": int((~charged & outcome).sum()),
        "charged": int(charged.sum()),
        "court_outcome": int((charged & outcome).sum()),
        "convicted": int((charged & (rows["outcome"] == "convicted")).sum()),
        "cohort": int(cohort.sum()),
        "charged_in_window": int((cohort & in_window).sum()),
        "timed": int((charged & (~outcome | has_verdict)).sum()),
        "verdicts": int((charged & outcome & has_verdict).sum()),
    }


def assert_same_as_raw(store: Store) -> None:
    for filters in FILTERS:
        kg, events, routed = raw_seizures(store, filters)
        head = metrics.headline(store, filters)
        assert head.seizure_events == events, filters
        assert head.seized_kg == pytest.approx(kg, rel=1e-9, abs=1e-9), filters
        coverage = flows.flow_coverage(store, filters).iloc[0]
        assert int(coverage["seizures_with_route"]) == routed, filters
        by_country = flows.seized_by_country(store, filters)
        assert int(by_country["seizures"].sum()) == events, filters
        routes = raw_routes(store, filters)
        pairs = flows.flow_pairs(store, filters)
        expected = routes.groupby(["origin_iso3", "destination_iso3"])["events"].sum()
        drawn = pairs.set_index(["origin_iso3", "destination_iso3"])["seizures"]
        assert drawn.sort_index().to_dict() == expected.sort_index().to_dict(), filters
        by_seized = flows.region_flows(store, filters).groupby("seized_region")["seizures"].sum()
        assert by_seized.to_dict() == routes.groupby("region")["events"].sum().to_dict(), filters
        line = timelines.timeline(store, filters, "month", "drug")
        assert int(line.series["seizures"].sum()) == events, filters

        cases = raw_cases(store, filters)
        assert head.data_end == raw_end(store), filters
        assert head.cases_opened == cases["opened"], filters
        prosecution = metrics.Rate(cases["charged_in_window"], cases["cohort"])
        assert head.prosecution == prosecution, filters
        assert head.too_recent == cases["opened"] - cases["cohort"], filters
        assert head.conviction == metrics.Rate(cases["convicted"], cases["court_outcome"]), filters
        ttv = head.time_to_verdict
        assert (ttv.n, ttv.verdicts) == (cases["timed"], cases["verdicts"]), filters
        assert ttv.pending == cases["timed"] - cases["verdicts"], filters
        funnel = metrics.case_counts(store, filters, {})
        if cases["opened"]:
            counted = {name: int(funnel[name].iloc[0]) for name in metrics.COUNT_NAMES}
            assert counted == {name: cases[name] for name in metrics.COUNT_NAMES}, filters
        else:
            assert funnel.empty or int(funnel["opened"].sum()) == 0, filters
        rates = justice.page_tables(store, filters).country_rates
        for name in metrics.COUNT_NAMES:
            assert int(rates[name].sum()) == cases[name], (name, filters)


def demo_requests(seed: int, mode: str = "append") -> list[LoadRequest]:
    data = generate_demo(
        seed=seed, seizures=1500, cases=600, start=dt.date(2018, 1, 1), end=dt.date(2022, 12, 31)
    )
    if seed != 1:  # ids of their own, so that appending them is not a clash
        data.seizures["seizure_id"] = [f"{seed}-{i}" for i in data.seizures["seizure_id"]]
        data.cases["case_id"] = [f"{seed}-{i}" for i in data.cases["case_id"]]
        data.cases["seizure_id"] = [
            None if pd.isna(i) else f"{seed}-{i}" for i in data.cases["seizure_id"]
        ]
    return [
        LoadRequest("seizures", data.seizures, data.source, mode=mode),  # type: ignore[arg-type]
        LoadRequest("cases", data.cases, data.source, mode=mode),  # type: ignore[arg-type]
    ]


def test_rollups_match_raw_rows_through_appends_replaces_and_rollbacks(store: Store) -> None:
    first = store.load_many(demo_requests(1))
    assert_same_as_raw(store)
    appended = store.load_many(demo_requests(2))
    assert_same_as_raw(store)
    replaced = store.load_many(demo_requests(3, mode="replace"))
    before = metrics.headline(store, Filters())
    assert before.seizure_events == 1500  # only the replace is visible
    assert_same_as_raw(store)
    for version in replaced:
        store.rollback(version.version_id)
    assert metrics.headline(store, Filters()).seizure_events == 3000  # 1 and 2 are back
    assert_same_as_raw(store)
    for version in appended:
        store.rollback(version.version_id)
    assert_same_as_raw(store)
    for version in first:
        store.rollback(version.version_id)
    assert metrics.headline(store, Filters()).seizure_events == 0
    assert_same_as_raw(store)


def test_filter_choices_and_freshness_come_from_rollups_like_the_raw_rows(store: Store) -> None:
    store.load_many(demo_requests(1))
    choices = view_state.filter_choices(store)
    raw = store.query(
        "SELECT min(d) AS first, max(d) AS last FROM (SELECT date AS d FROM active_seizures "
        "UNION ALL SELECT opened_date FROM active_cases) u"
    ).iloc[0]
    assert (choices.first_date, choices.last_date) == (raw["first"].date(), raw["last"].date())
    countries = store.query(
        "SELECT country_iso3 FROM active_seizures UNION SELECT country_iso3 FROM active_cases"
    )
    assert set(choices.countries) == set(countries["country_iso3"])
    newest = metrics.data_freshness(store).set_index("table_name")["newest_data"]
    raw_newest = store.query("SELECT CAST(max(date) AS TEXT) AS d FROM active_seizures")
    assert newest["seizures"] == raw_newest.iloc[0, 0]


def test_a_store_without_rollups_gets_them_when_opened(store: Store) -> None:
    store.load_many(demo_requests(1))
    expected = metrics.headline(store, Filters(regions=("caribbean",)))
    with store._transaction() as tx:  # as a store of schema 1 was: no rollup rows
        tx.execute("DELETE FROM seizure_rollup")
        tx.execute("DELETE FROM case_rollup")
        tx.execute("DELETE FROM route_rollup")
        tx.execute("UPDATE store_meta SET value = '1' WHERE key = 'schema_version'")
    assert metrics.headline(store, Filters()).seizure_events == 0
    with store._transaction() as tx:
        prepare_schema(tx, "test")
    rebuilt = metrics.headline(store, Filters(regions=("caribbean",)))
    # sums of floats in another order may differ in the last bits; everything else is exact
    assert rebuilt.seized_kg == pytest.approx(expected.seized_kg, rel=1e-12)
    assert dataclasses.replace(rebuilt, seized_kg=expected.seized_kg) == expected
    assert_same_as_raw(store)
