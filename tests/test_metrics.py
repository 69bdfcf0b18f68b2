"""Metric definitions (docs/METHODS.md) on small fixtures with answers worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from crimjust_data.metrics import (
    Filters,
    Rate,
    case_counts,
    headline,
    official_comparison,
    region_comparison,
    wilson_interval,
)
from crimjust_data.store import LoadRequest
from tests.conftest import cases_frame, seizures_frame

SEIZURES = seizures_frame(
    [
        ("S1", "2020-01-10", "COL", "cocaine_hcl", 1000.0, "container"),
        ("S2", "2020-06-01", "COL", "cocaine_base", 200.0, "land"),
        ("S3", "2021-03-03", "DOM", "crack", 5.5, "air"),
        ("S4", "2021-07-07", "CPV", "cocaine_hcl", 800.0, "vessel"),
        ("S5", "2022-02-02", "ESP", "cocaine_hcl", 3000.0, "container"),
    ]
)
# Data end: 2022-01-01 (C4's opening, the latest date), so the prosecution cohort is the cases
# opened by 2021-01-01 (C1, C2, C3: all charged within 12 months); C4, C5, C6 are too recent.
# Charged cases with a court outcome: C1 (convicted), C2 (acquitted), C5 (convicted): 2 / 3.
# C6 was closed before any charge: its own funnel stage, not in the conviction rate.
CASES = cases_frame(
    [
        ("C1", "COL", "S1", "2020-02-01", "2020-03-01", "2021-02-01", "convicted"),  # 366 days
        ("C2", "COL", "S2", "2020-07-01", "2020-08-01", "2020-12-28", "acquitted"),  # 180 days
        ("C3", "COL", None, "2021-01-01", "2021-02-01", None, "pending"),
        ("C4", "COL", None, "2022-01-01", None, None, "pending"),
        ("C5", "DOM", "S3", "2021-04-01", "2021-05-01", "2021-10-18", "convicted"),  # 200 days
        ("C6", "CPV", "S4", "2021-08-01", None, "2021-09-30", "dismissed"),  # 60 days
    ]
)


@pytest.fixture
def loaded(store):
    store.load_many(
        [LoadRequest("seizures", SEIZURES, "test"), LoadRequest("cases", CASES, "test")]
    )
    return store


def test_wilson_interval_known_values() -> None:
    # Reference values: statsmodels proportion_confint(method="wilson").
    assert wilson_interval(0, 0) == (None, None)
    low, high = wilson_interval(0, 1)
    assert low == 0.0 and high == pytest.approx(0.7935, abs=1e-4)
    low, high = wilson_interval(1, 1)
    assert low == pytest.approx(0.2065, abs=1e-4) and high == 1.0
    low, high = wilson_interval(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_rate_low_confidence_and_empty() -> None:
    assert Rate(0, 0).value is None and Rate(0, 0).low_confidence
    assert Rate(1, 1).value == 1.0 and Rate(1, 1).low_confidence
    assert not Rate(5, 10).low_confidence


def test_headline_all(loaded) -> None:
    h = headline(loaded, Filters())
    assert h.seized_kg == pytest.approx(5005.5)
    assert h.seizure_events == 5
    assert h.cases_opened == 6
    assert h.data_end == dt.date(2022, 1, 1)
    assert (h.prosecution.successes, h.prosecution.n, h.too_recent) == (3, 3, 3)
    assert (h.conviction.successes, h.conviction.n) == (2, 3)
    # Kaplan-Meier over the charged cases: outcomes at 180 (C2), 200 (C5) and 366 (C1) days,
    # C3 pending, censored at 365 days (2021-01-01 to the data's end). S(180) = 3/4,
    # S(200) = 3/4 * 2/3 = 1/2: the median is 200 days (the median of the outcomes alone would
    # be 200 too here; see test_time_to_verdict_counts_pending_cases for one where it is not).
    t = h.time_to_verdict
    assert (t.n, t.verdicts, t.pending) == (4, 3, 1)
    assert t.median_days == pytest.approx(200.0)


def test_prosecution_young_cohort_is_too_recent_not_low(store) -> None:
    """Cases opened in the 12 months before the data's end are not in the prosecution rate:
    a period with only such cases is 'too recent to judge', never 0%."""
    store.load(
        LoadRequest(
            "cases",
            cases_frame(
                [
                    ("A", "COL", None, "2020-01-01", "2020-06-01", None, "pending"),
                    ("B", "COL", None, "2020-02-01", "2021-06-01", None, "pending"),  # 16 months
                    ("C", "COL", None, "2020-03-01", None, None, "pending"),
                    ("D", "COL", None, "2021-03-01", None, None, "pending"),
                    ("E", "COL", None, "2021-05-01", None, None, "pending"),
                ]
            ),
            "test",
        )
    )
    h = headline(store, Filters())
    # data end 2021-06-01 (B's charge): the cohort is opened by 2020-06-01: A, B, C
    assert h.data_end == dt.date(2021, 6, 1)
    assert (h.prosecution.successes, h.prosecution.n, h.too_recent) == (1, 3, 2)
    young = headline(store, Filters(date_from=dt.date(2021, 1, 1)))
    assert young.cases_opened == 2
    assert young.prosecution.n == 0 and young.prosecution.value is None
    assert young.too_recent == 2
    # a period cut inside a month reads the raw rows: same answer
    cut = headline(store, Filters(date_from=dt.date(2020, 1, 15), date_to=dt.date(2020, 2, 10)))
    assert (cut.prosecution.successes, cut.prosecution.n) == (0, 1)  # B: charged after 16 months


def test_time_to_verdict_counts_pending_cases(store) -> None:
    """The median of the outcomes so far is biased short; Kaplan-Meier keeps the pending cases
    at risk until the data's end."""
    store.load(
        LoadRequest(
            "cases",
            cases_frame(
                [
                    ("A", "COL", None, "2020-01-01", "2020-02-01", "2020-04-10", "convicted"),
                    ("B", "COL", None, "2020-01-01", "2020-02-01", "2020-07-19", "acquitted"),
                    ("C", "COL", None, "2020-01-01", "2020-02-01", None, "pending"),
                    ("D", "COL", None, "2020-01-01", "2020-02-01", None, "pending"),
                    ("E", "COL", None, "2020-01-01", "2020-02-01", "2021-02-04", "convicted"),
                    ("F", "COL", None, "2020-01-01", None, "2020-03-01", "dismissed"),  # no charge
                ]
            ),
            "test",
        )
    )
    h = headline(store, Filters())
    # data end 2021-02-04: C and D are pending at 400 days. Outcomes at 100, 200, 400 days.
    # S(100) = 4/5, S(200) = 4/5 * 3/4 = 3/5, at 400 days: 3 at risk, 1 outcome: 3/5 * 2/3 = 2/5
    # -> median 400 days, where the outcomes alone give 200.
    t = h.time_to_verdict
    assert h.data_end == dt.date(2021, 2, 4)
    assert (t.n, t.verdicts, t.pending) == (5, 3, 2)
    assert t.median_days == pytest.approx(400.0)
    assert t.low is not None and t.low <= 400.0
    assert (h.conviction.successes, h.conviction.n) == (2, 3)  # F was never charged


def test_time_to_verdict_over_when_half_never_reached(store) -> None:
    store.load(
        LoadRequest(
            "cases",
            cases_frame(
                [
                    ("A", "COL", None, "2020-01-01", "2020-02-01", "2020-04-10", "convicted"),
                    ("B", "COL", None, "2020-01-01", "2020-02-01", None, "pending"),
                    ("C", "COL", None, "2020-01-01", "2020-02-01", None, "pending"),
                    ("D", "COL", None, "2020-06-01", "2020-07-01", None, "pending"),
                ]
            ),
            "test",
        )
    )
    t = headline(store, Filters()).time_to_verdict
    # data end 2020-07-01: S(100) = 3/4 and then only censoring: no median
    assert t.median_days is None
    assert t.over_days == pytest.approx(182.0)  # 2020-01-01 to 2020-07-01
    assert t.pending == 3


def test_filters_region_country_date_drug(loaded) -> None:
    latin = headline(loaded, Filters(regions=("latin_america",)))
    assert latin.seized_kg == pytest.approx(1200.0)
    assert (latin.prosecution.successes, latin.prosecution.n) == (3, 3)  # C4 too recent
    assert (latin.conviction.successes, latin.conviction.n) == (1, 2)
    dated = headline(loaded, Filters(date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 12, 31)))
    assert dated.seized_kg == pytest.approx(805.5)
    assert dated.cases_opened == 3  # C3, C5, C6
    assert (dated.prosecution.successes, dated.prosecution.n) == (1, 1)  # C3 only
    # drug filters reach cases through their linked seizure; unlinked cases drop out
    hcl = headline(loaded, Filters(drugs=("cocaine_hcl",)))
    assert hcl.seized_kg == pytest.approx(4800.0)
    assert hcl.cases_opened == 2  # C1 (S1) and C6 (S4)
    spain = headline(loaded, Filters(countries=("ESP",)))
    assert spain.cases_opened == 0 and spain.prosecution.value is None
    assert spain.time_to_verdict.median_days is None


def test_funnel_by_region(loaded) -> None:
    frame = case_counts(loaded, Filters(), {"region": "region"}).set_index("region")
    stages = ["opened", "closed_before_charge", "charged", "court_outcome", "convicted"]
    assert frame.loc["latin_america", stages].tolist() == [4, 0, 3, 2, 1]
    # C6 was dismissed before any charge: its own stage, never a court outcome
    assert frame.loc["west_africa", stages].tolist() == [1, 1, 0, 0, 0]
    # the funnel's counts are the rates' n
    rates = region_comparison(loaded, Filters()).set_index("region")
    assert rates.loc["latin_america", "conviction_n"] == frame.loc["latin_america", "court_outcome"]


def test_region_comparison_has_every_region_with_intervals(loaded) -> None:
    frame = region_comparison(loaded, Filters()).set_index("region")
    assert list(frame.index) == [
        "latin_america",
        "caribbean",
        "west_africa",
        "europe",
        "north_america",
        "other",
    ]
    assert frame.loc["europe", "seized_kg"] == pytest.approx(3000.0)
    assert frame.loc["europe", "opened"] == 0
    assert frame.loc["caribbean", "conviction_rate"] == 1.0
    low, high = wilson_interval(1, 1)
    assert frame.loc["caribbean", "conviction_low"] == pytest.approx(low)
    assert frame.loc["caribbean", "conviction_high"] == pytest.approx(high)
    assert bool(frame.loc["caribbean", "conviction_low_confidence"])
    assert frame.loc["caribbean", "prosecution_n"] == 0  # C5 is too recent to judge
    assert frame.loc["other", "seizure_events"] == 0


def test_official_comparison_same_years_never_added(loaded) -> None:
    assert official_comparison(loaded, Filters()).empty  # nothing official loaded yet
    annual = pd.DataFrame(
        {
            "country_iso3": ["COL", "COL", "CPV"],
            "year": [2020, 2021, 2021],
            "drug": ["cocaine_hcl", "cocaine_hcl", "cocaine_unspecified"],
            "quantity_kg": [4000.0, 1000.0, 1600.0],
            "source": "UNODC test",
        }
    )
    loaded.load(LoadRequest("annual_seizures", annual, "UNODC test"))
    frame = official_comparison(loaded, Filters()).set_index("region")
    # official years 2020-2021: events in those years only (S1 + S2 for COL; S4 for CPV)
    assert frame.loc["latin_america", "official_kg"] == 5000.0
    assert frame.loc["latin_america", "events_kg"] == pytest.approx(1200.0)
    assert frame.loc["latin_america", "coverage"] == pytest.approx(0.24)
    assert frame.loc["west_africa", "coverage"] == pytest.approx(0.5)
    assert frame.loc["europe", "events_kg"] == 0.0  # S5 (2022) is outside the official years
    assert pd.isna(frame.loc["europe", "coverage"])
    assert set(frame["years"]) == {"2020–2021"}
    # the headline is events only: official totals are never added to it
    assert headline(loaded, Filters()).seized_kg == pytest.approx(5005.5)
