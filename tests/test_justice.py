"""Justice outcomes: queries and charts on a tiny store with hand-worked answers, and the page.

The fixture (18 cases) and what it should give (issue 15 definitions, crimjust_data/metrics.py):

  COL (Latin America)  C1 charged, verdict after  60 days, convicted        cooperation none
                       C2 charged, verdict after 200 days, acquitted        mla_request
                       C3 charged, pending                                  none
                       C4 not charged, pending                              none
  DOM (Caribbean)      C5 charged, verdict after 366 days, convicted        joint_investigation
                       C6 charged, verdict after 1,826 days, convicted      extradition
  CPV (West Africa)    C7 opened 2021-01-01, closed before charge (dismissed) none
  SEN (West Africa)    C8 opened 2021-06-01, not charged, pending           (not recorded)
  ESP (Europe)         E1-E10 opened 2020-06-01: E1-E6 charged a month later, all pending; none

Data end: 2021-06-01 (C8's opening, the latest opening, charge or verdict date). The
prosecution cohort is the cases opened by 2020-06-01: C1-C6 and E1-E10 (16); C7 and C8 are too
recent to judge (2). Charged within 12 months of opening: C1, C2, C3, C5, C6, E1-E6 = 11 -> 11/16.
Charged cases with a court outcome: C1, C2, C5, C6 (4), convicted C1, C5, C6 -> 3/4. C7 was
dismissed before any charge: the closed-before-charge stage, never a court outcome.
Funnel (opened, closed before charge, charged, court outcome, convicted): Latin America
4, 0, 3, 2, 1; Caribbean 2, 0, 2, 2, 2; West Africa 2, 1, 0, 0, 0; Europe 10, 0, 6, 0, 0.
Time to verdict (Kaplan-Meier over the 11 charged cases): outcomes at 60, 200, 366, 1,826 days;
pending C3 censored at 517 days (2020-01-01 to 2021-06-01), E1-E6 at 365 (2020-06-01 to
2021-06-01). S(60) = 10/11, S(200) = 9/11, at 366 days 3 at risk (C3, C5, C6): 9/11 * 2/3 =
6/11 > 1/2, at 1,826 days 1 at risk: 0 -> median 1,826 days (the outcomes alone give 283).
Latin America: S(60) = 2/3, S(200) = 1/3 -> 200; Caribbean: S(366) = 1/2 -> 366; Europe: no
outcome, over 365 days; West Africa: no charged case.
Cooperation (opened, closed before charge, charged, court outcome, convicted, cohort, charged in
window): none 14, 1, 8, 1, 1, 13, 8; any 3, 0, 3, 3, 2, 3, 3; not recorded 1, 0, 0, 0, 0, 0, 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data import metrics
from crimjust_data.countries import country_name
from crimjust_data.figures import justice as charts
from crimjust_data.formatting import format_prosecution, format_rate, format_verdict_days
from crimjust_data.metrics import Filters, Rate, headline, wilson_interval
from crimjust_data.queries import justice as queries
from crimjust_data.snapshot.content import SNAPSHOT_SETS
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import cases_frame, run_page, seizures_frame
from tests.xss_corpus import as_shown

SEIZURES = seizures_frame(
    [
        ("S1", "2019-12-20", "COL", "cocaine_hcl", 500.0, "container"),
        ("S2", "2020-05-05", "BRA", "cocaine_base", 40.0, "land"),  # a country with no case
    ]
)
_ROWS = [
    ("C1", "COL", "S1", "2020-01-01", "2020-02-01", "2020-03-01", "convicted", "none"),
    ("C2", "COL", None, "2020-01-01", "2020-02-01", "2020-07-19", "acquitted", "mla_request"),
    ("C3", "COL", None, "2020-01-01", "2020-03-01", None, "pending", "none"),
    ("C4", "COL", None, "2020-01-01", None, None, "pending", "none"),
    (
        "C5",
        "DOM",
        None,
        "2020-01-01",
        "2020-01-15",
        "2021-01-01",
        "convicted",
        "joint_investigation",
    ),
    ("C6", "DOM", None, "2015-01-01", "2015-02-01", "2020-01-01", "convicted", "extradition"),
    ("C7", "CPV", None, "2021-01-01", None, "2021-04-01", "dismissed", "none"),
    ("C8", "SEN", None, "2021-06-01", None, None, "pending", None),
] + [
    (f"E{i}", "ESP", None, "2020-06-01", "2020-07-01" if i <= 6 else None, None, "pending", "none")
    for i in range(1, 11)
]
CASES = cases_frame([row[:7] for row in _ROWS]).assign(cooperation=[row[7] for row in _ROWS])
STAGES = ["opened", "closed_before_charge", "charged", "court_outcome", "convicted"]


def flat(text: str) -> str:
    """A title or subtitle as one line (the builders break them into lines that fit a phone)."""
    return text.replace("<br>", " ")


@pytest.fixture
def loaded(store: DuckDBStore) -> DuckDBStore:
    store.load_many(
        [LoadRequest("seizures", SEIZURES, "test"), LoadRequest("cases", CASES, "test")]
    )
    return store


def test_fixture_delays_are_what_the_docstring_says() -> None:
    delays = [
        (pd.Timestamp(row[5]) - pd.Timestamp(row[3])).days for row in _ROWS if row[5] is not None
    ]
    assert sorted(delays) == [60, 90, 200, 366, 1826]
    # the data's end and the pending charged cases' follow-up, as the docstring says
    dates = [pd.Timestamp(d) for row in _ROWS for d in row[3:6] if d is not None]
    assert max(dates) == pd.Timestamp("2021-06-01")
    assert (pd.Timestamp("2021-06-01") - pd.Timestamp("2020-01-01")).days == 517  # C3
    assert (pd.Timestamp("2021-06-01") - pd.Timestamp("2020-06-01")).days == 365  # E1-E6


def test_headline_on_the_fixture(loaded) -> None:
    h = headline(loaded, Filters())
    assert h.data_end == dt.date(2021, 6, 1)
    assert h.cases_opened == 18
    # cohort: opened by 2020-06-01 (C1-C6, E1-E10); charged within 12 months: 11 of them
    assert (h.prosecution.successes, h.prosecution.n, h.too_recent) == (11, 16, 2)
    assert (h.conviction.successes, h.conviction.n) == (3, 4)  # C1, C5, C6 of C1, C2, C5, C6
    t = h.time_to_verdict
    assert (t.n, t.verdicts, t.pending) == (11, 4, 7)
    assert t.median_days == pytest.approx(1826.0)  # 6/11 at 366 days, 0 at 1,826
    assert t.over_days is None


# ---------------------------------------------------------------------------------------------
# Queries


def test_funnel_counts_and_shares_per_region(loaded) -> None:
    frame = queries.page_tables(loaded, Filters()).funnel
    assert list(dict.fromkeys(frame["region"])) == [
        "latin_america",
        "caribbean",
        "west_africa",
        "europe",
    ]
    cases = {r: g["cases"].tolist() for r, g in frame.groupby("region", sort=False)}
    assert cases == {
        "latin_america": [4, 0, 3, 2, 1],  # C4 awaits a charge: in no later stage
        "caribbean": [2, 0, 2, 2, 2],
        "west_africa": [2, 1, 0, 0, 0],  # C7 dismissed before any charge: its own stage
        "europe": [10, 0, 6, 0, 0],
    }
    assert frame["stage"].tolist()[:5] == STAGES
    assert [code for code, _label in queries.FUNNEL_STAGES] == STAGES
    latin = frame[frame["region"] == "latin_america"]
    assert latin["share_of_opened"].tolist() == [1.0, 0.0, 0.75, 0.5, 0.25]
    assert latin["opened"].tolist() == [4] * 5
    assert latin["stage_label"].tolist() == [
        "Opened",
        "Closed before charge",
        "Charged",
        "Court outcome",
        "Convicted",
    ]


def test_funnel_follows_the_sidebar_filters(loaded) -> None:
    west = queries.page_tables(loaded, Filters(regions=("west_africa",))).funnel
    assert set(west["region"]) == {"west_africa"} and west["cases"].tolist() == [2, 1, 0, 0, 0]
    cape_verde = queries.page_tables(loaded, Filters(countries=("CPV",))).funnel
    assert cape_verde["cases"].tolist() == [1, 1, 0, 0, 0]
    opened_2020 = queries.page_tables(
        loaded, Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31))
    ).funnel
    # C6 opened in 2015, C7 and C8 in 2021
    assert set(opened_2020["region"]) == {"latin_america", "caribbean", "europe"}
    assert opened_2020[opened_2020["region"] == "caribbean"]["cases"].tolist() == [1, 0, 1, 1, 1]
    assert opened_2020[opened_2020["region"] == "europe"]["cases"].tolist() == [10, 0, 6, 0, 0]
    assert queries.page_tables(loaded, Filters(countries=("BRA",))).funnel.empty


def test_country_rates_with_n_wilson_and_low_confidence(loaded) -> None:
    frame = queries.page_tables(loaded, Filters()).country_rates.set_index("country_iso3")
    # regions in REGIONS order, then by name within a region
    assert list(frame.index) == ["COL", "DOM", "CPV", "SEN", "ESP"]
    assert frame.loc["CPV", "country"] == country_name("CPV")
    expected = {  # (charged in window, cohort, convicted, court outcome, opened)
        "COL": (3, 4, 1, 2, 4),  # C4 never charged; C3 pending
        "DOM": (2, 2, 2, 2, 2),
        "CPV": (0, 0, 0, 0, 1),  # C7 too recent; closed before charge, so no court outcome
        "SEN": (0, 0, 0, 0, 1),  # C8 too recent
        "ESP": (6, 10, 0, 0, 10),  # opened 2020-06-01: exactly 12 months before the end
    }
    for iso3, (in_window, cohort, convicted, outcomes, opened) in expected.items():
        row = frame.loc[iso3]
        assert (row["prosecution_n"], row["conviction_n"]) == (cohort, outcomes), iso3
        assert (row["charged_in_window"], row["cohort"], row["opened"]) == (
            in_window,
            cohort,
            opened,
        )
        assert (row["convicted"], row["court_outcome"]) == (convicted, outcomes)
        if cohort:
            assert row["prosecution_rate"] == pytest.approx(in_window / cohort)
            low, high = wilson_interval(in_window, cohort)
            assert (row["prosecution_low"], row["prosecution_high"]) == (
                pytest.approx(low),
                pytest.approx(high),
            )
        else:  # too recent to judge: no rate, never 0%
            assert pd.isna(row["prosecution_rate"]) and pd.isna(row["prosecution_low"])
        assert bool(row["prosecution_low_confidence"]) == (cohort < 10)
    assert frame.loc["CPV", "closed_before_charge"] == 1
    assert frame.loc["COL", "conviction_rate"] == pytest.approx(0.5)
    low, high = wilson_interval(1, 2)
    assert frame.loc["COL", "conviction_low"] == pytest.approx(low)
    assert frame.loc["COL", "conviction_high"] == pytest.approx(high)
    assert pd.isna(frame.loc["CPV", "conviction_rate"])  # no court outcome: no rate, n = 0
    assert pd.isna(frame.loc["SEN", "conviction_rate"])
    assert frame.loc["ESP", "prosecution_rate"] == pytest.approx(0.6)
    assert not frame.loc["ESP", "prosecution_low_confidence"]  # n = 10 is enough


def test_verdict_medians_kaplan_meier(loaded) -> None:
    medians = queries.page_tables(loaded, Filters()).medians.set_index("region")
    # West Africa has no charged case: no row
    assert list(medians.index) == ["all", "latin_america", "caribbean", "europe"]
    assert medians.loc["all", "median_days_to_verdict"] == pytest.approx(1826.0)
    assert (
        medians.loc["all", "median_days_to_verdict"]
        == headline(loaded, Filters()).time_to_verdict.median_days
    )
    # Latin America: S(60) = 2/3, S(200) = 1/3; Caribbean: S(366) = 1/2 (at or below one half)
    assert medians.loc["latin_america", "median_days_to_verdict"] == pytest.approx(200.0)
    assert medians.loc["caribbean", "median_days_to_verdict"] == pytest.approx(366.0)
    # Europe: six pending cases followed 365 days, no outcome: no median, 'over 365 days'
    assert pd.isna(medians.loc["europe", "median_days_to_verdict"])
    assert medians.loc["europe", "verdict_over_days"] == pytest.approx(365.0)
    assert medians["verdict_over_days"].isna().tolist() == [True, True, True, False]
    assert medians["verdict_n"].tolist() == [11, 3, 2, 6]
    assert medians["pending"].tolist() == [7, 1, 0, 6]
    # the interval holds the median where it is bounded
    for region in ("all", "latin_america"):
        low = medians.loc[region, "verdict_days_low"]
        assert pd.isna(low) or low <= medians.loc[region, "median_days_to_verdict"]


def test_verdict_curves_on_the_fixture(loaded) -> None:
    curves = queries.page_tables(loaded, Filters()).curves
    assert list(dict.fromkeys(curves["region"])) == ["latin_america", "caribbean", "europe"]
    by = {r: g for r, g in curves.groupby("region", sort=False)}
    latin = by["latin_america"]
    assert latin["days"].tolist() == [0.0, 60.0, 200.0]
    assert latin["share_waiting"].tolist() == pytest.approx([1.0, 2 / 3, 1 / 3])
    assert latin["at_risk"].tolist() == [3.0, 3.0, 2.0]
    caribbean = by["caribbean"]
    assert caribbean["days"].tolist() == [0.0, 366.0, 1826.0]
    assert caribbean["share_waiting"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    # no outcome yet: the curve stays at 100% with its six cases at risk
    europe = by["europe"]
    assert europe[["days", "share_waiting", "at_risk"]].values.tolist() == [[0.0, 1.0, 6.0]]


def test_verdict_medians_and_curves_empty_selection(loaded) -> None:
    medians = queries.page_tables(loaded, Filters(countries=("BRA",))).medians
    assert medians["region"].tolist() == ["all"] and medians["verdict_n"].tolist() == [0]
    assert pd.isna(medians["median_days_to_verdict"].iloc[0])
    assert queries.page_tables(loaded, Filters(countries=("BRA",))).curves.empty
    # cases, but none charged (C7 closed before charge, C8 pending): no curve either
    assert queries.page_tables(loaded, Filters(regions=("west_africa",))).curves.empty
    west = queries.page_tables(loaded, Filters(regions=("west_africa",))).medians
    assert west["region"].tolist() == ["all"] and west["verdict_n"].tolist() == [0]


# A tiny store for Kaplan-Meier steps worked by hand. Data end: 2020-10-27 (D's verdict).
#   COL  A opened 2020-01-01, outcome after 100 days        (convicted)
#        B opened 2020-06-01, pending: censored at 148 days (2020-06-01 to 2020-10-27)
#        C opened 2020-01-01, outcome after 200 days        (acquitted)
#        D opened 2020-01-01, outcome after 300 days        (dismissed after a charge)
#   DOM  E opened 2020-01-01, outcome after 50 days         (convicted)
#        F opened 2020-01-01, pending: censored at 300 days
#   CPV  G closed before any charge; H not charged, pending: in no curve
#        I charged, convicted, but no verdict date: no known time, left out
# Latin America: 4 at risk, S(100) = 3/4; B censored; S(200) = 3/4 * 1/2 = 3/8; S(300) = 0.
# Caribbean: S(50) = 1/2, then F censored. All six: S(50) = 5/6, S(100) = 5/6 * 4/5 = 2/3,
# S(200) = 2/3 * 2/3 = 4/9 (the first at or below one half: median 200), S(300) = 4/9 * 1/2
# (D's outcome and F's censoring tie: the outcome comes first, 2 at risk).
KM_CASES = cases_frame(
    [
        ("A", "COL", None, "2020-01-01", "2020-01-10", "2020-04-10", "convicted"),
        ("B", "COL", None, "2020-06-01", "2020-06-10", None, "pending"),
        ("C", "COL", None, "2020-01-01", "2020-01-10", "2020-07-19", "acquitted"),
        ("D", "COL", None, "2020-01-01", "2020-01-10", "2020-10-27", "dismissed"),
        ("E", "DOM", None, "2020-01-01", "2020-01-05", "2020-02-20", "convicted"),
        ("F", "DOM", None, "2020-01-01", "2020-01-05", None, "pending"),
        ("G", "CPV", None, "2020-01-01", None, "2020-02-01", "dismissed"),
        ("H", "CPV", None, "2020-03-01", None, None, "pending"),
        ("I", "CPV", None, "2020-01-01", "2020-02-01", None, "convicted"),
    ]
)


def test_verdict_curves_kaplan_meier_steps_by_hand(store) -> None:
    store.load(LoadRequest("cases", KM_CASES, "test"))
    curves = queries.page_tables(store, Filters()).curves
    assert list(dict.fromkeys(curves["region"])) == ["latin_america", "caribbean"]
    latin = curves[curves["region"] == "latin_america"]
    assert latin["days"].tolist() == [0.0, 100.0, 200.0, 300.0]  # steps at outcomes only
    assert latin["share_waiting"].tolist() == pytest.approx([1.0, 3 / 4, 3 / 8, 0.0])
    assert latin["at_risk"].tolist() == [4.0, 4.0, 2.0, 1.0]  # B left the risk set at 148
    caribbean = curves[curves["region"] == "caribbean"]
    assert caribbean["days"].tolist() == [0.0, 50.0]
    assert caribbean["share_waiting"].tolist() == pytest.approx([1.0, 0.5])
    assert caribbean["at_risk"].tolist() == [2.0, 2.0]
    medians = queries.page_tables(store, Filters()).medians.set_index("region")
    assert list(medians.index) == ["all", "latin_america", "caribbean"]
    assert medians["median_days_to_verdict"].tolist() == pytest.approx([200.0, 200.0, 50.0])
    assert medians["verdict_n"].tolist() == [6, 4, 2]
    assert medians["pending"].tolist() == [2, 1, 1]
    h = headline(store, Filters())
    assert h.data_end == dt.date(2020, 10, 27)
    assert (h.time_to_verdict.n, h.time_to_verdict.verdicts) == (6, 4)
    assert h.time_to_verdict.median_days == pytest.approx(200.0)
    # the filters reach the curves: Caribbean alone
    dom = queries.page_tables(store, Filters(countries=("DOM",))).curves
    assert dom["region"].unique().tolist() == ["caribbean"]
    assert dom["share_waiting"].tolist() == pytest.approx([1.0, 0.5])


def test_cooperation_split(loaded) -> None:
    frame = queries.page_tables(loaded, Filters()).cooperation.set_index("cooperation")
    assert list(frame.index) == [
        "none",
        "any",
        "mla_request",
        "joint_investigation",
        "extradition",
        "not_recorded",
    ]
    columns = [
        "opened",
        "closed_before_charge",
        "charged",
        "court_outcome",
        "convicted",
        "cohort",
        "charged_in_window",
    ]
    counts = frame[columns]
    # none: C1, C3, C4, C7, E1-E10; cohort without C7 (too recent); C7 closed before charge
    assert counts.loc["none"].tolist() == [14, 1, 8, 1, 1, 13, 8]
    assert counts.loc["any"].tolist() == [3, 0, 3, 3, 2, 3, 3]  # C2, C5, C6
    assert counts.loc["mla_request"].tolist() == [1, 0, 1, 1, 0, 1, 1]
    assert counts.loc["not_recorded"].tolist() == [1, 0, 0, 0, 0, 0, 0]  # C8, too recent
    assert frame.loc["any", "conviction_rate"] == pytest.approx(2 / 3)
    low, high = wilson_interval(2, 3)
    assert frame.loc["any", "conviction_low"] == pytest.approx(low)
    assert frame.loc["any", "conviction_high"] == pytest.approx(high)
    assert frame.loc["none", "prosecution_rate"] == pytest.approx(8 / 13)
    assert not frame.loc["none", "prosecution_low_confidence"]  # n = 13
    assert frame.loc["none", "conviction_low_confidence"]  # n = 1
    assert pd.isna(frame.loc["not_recorded", "prosecution_rate"])  # too recent, not 0%

    by_region = queries.page_tables(loaded, Filters()).cooperation_by_region
    keyed = by_region.set_index(["region", "cooperation"])
    # Latin America without cooperation: C1, C3, C4
    assert keyed.loc[("latin_america", "none"), columns].tolist() == [3, 0, 2, 1, 1, 3, 2]
    assert keyed.loc[("latin_america", "any"), "conviction_n"] == 1
    assert keyed.loc[("caribbean", "any"), "conviction_rate"] == 1.0
    assert ("caribbean", "none") not in keyed.index
    assert keyed.loc[("west_africa", "not_recorded"), "opened"] == 1
    assert keyed.loc[("west_africa", "none"), ["closed_before_charge", "cohort"]].tolist() == [1, 0]


# ---------------------------------------------------------------------------------------------
# Charts: the table holds exactly what is drawn


def test_funnel_chart_draws_one_funnel_per_region(loaded) -> None:
    chart = charts.funnel_chart(queries.page_tables(loaded, Filters()).funnel, "test source")
    funnels = [t for t in chart.figure.data if t.type == "funnel"]
    assert [t.name for t in funnels] == ["Latin America", "Caribbean", "West Africa", "Europe"]
    assert list(funnels[0].y) == [
        "Opened",
        "Closed before charge",
        "Charged",
        "Court outcome",
        "Convicted",
    ]
    assert list(funnels[0].x) == [4, 0, 3, 2, 1]
    assert list(funnels[0].text) == ["4 (100%)", "0 (0%)", "3 (75%)", "2 (50%)", "1 (25%)"]
    assert list(funnels[2].x) == [2, 1, 0, 0, 0]  # West Africa: C7 closed before charge
    assert chart.data.columns.tolist() == ["Region", "Stage", "Cases", "% of cases opened"]
    assert chart.data["Cases"].tolist()[:5] == [4, 0, 3, 2, 1]
    assert chart.data["% of cases opened"].tolist()[:5] == [100.0, 0.0, 75.0, 50.0, 25.0]
    assert len(chart.data) == 4 * 5
    texts = flat(" ".join(str(a.text) for a in chart.figure.layout.annotations))
    assert "Source: test source" in texts and "4 cases opened" in texts
    assert "Attrition" in chart.figure.layout.title.text
    assert "Court outcome and convicted: of the charged cases" in flat(
        chart.figure.layout.title.subtitle.text
    )


@pytest.mark.parametrize("rate", ["prosecution", "conviction"])
def test_country_chart_low_n_hollow_and_labelled(loaded, rate: str) -> None:
    rates = queries.page_tables(loaded, Filters()).country_rates
    overall = getattr(headline(loaded, Filters()), rate)
    chart = charts.country_rates_chart(rates, rate, "test source", overall)
    points = {}
    for trace in chart.figure.data:
        for y, x, symbol in zip(trace.y, trace.x, trace.marker.symbol, strict=True):
            points[y.split("<br>")[0]] = (x, symbol, y)  # the country, then its n
    subtitle = flat(chart.figure.layout.title.subtitle.text)
    if rate == "prosecution":
        # Cape Verde and Senegal: every case too recent to judge (n = 0), not drawn as 0%
        assert set(points) == {"Colombia", "Dominican Republic", "Spain"}
        assert "2 countries with no case" in subtitle
        x, symbol, label = points["Spain"]  # 6 of 10 charged within 12 months
        assert x == pytest.approx(60.0) and symbol == "circle" and "low n" not in label
        assert label == "Spain<br>n = 10"
    else:  # Cape Verde (closed before charge), Senegal and Spain: no court outcome
        assert set(points) == {"Colombia", "Dominican Republic"}
        assert "3 countries with no case" in subtitle
    x, symbol, label = points["Colombia"]
    assert symbol.endswith("-open") and "low n" in label  # hollow AND labelled
    table = chart.data.set_index("ISO3")
    title = charts.RATE_LABELS[rate]
    drawn = {"COL", "DOM", "ESP"} if rate == "prosecution" else {"COL", "DOM"}
    assert set(table.index) == drawn and len(table) == len(points)
    # Colombia: 3 of its 4 cohort cases charged within 12 months; 1 of 2 court outcomes convicted
    successes, n = (3, 4) if rate == "prosecution" else (1, 2)
    low, high = wilson_interval(successes, n)
    assert table.loc["COL", f"{title} (%)"] == round(successes / n * 100, 1)
    assert table.loc["COL", f"{title} 95% CI low (%)"] == round(low * 100, 1)
    assert table.loc["COL", f"{title} 95% CI high (%)"] == round(high * 100, 1)
    assert table.loc["COL", charts.rate_part(rate, 0)] == successes
    assert table.loc["COL", charts.rate_part(rate, 1)] == n
    assert bool(table.loc["COL", f"{title} low confidence (n < 10)"])
    # the error bars drawn are the Wilson bounds
    trace = next(t for t in chart.figure.data if any(y.startswith("Colombia") for y in t.y))
    i = next(i for i, y in enumerate(trace.y) if y.startswith("Colombia"))
    assert trace.x[i] + trace.error_x.array[i] == pytest.approx(high * 100)
    assert trace.x[i] - trace.error_x.arrayminus[i] == pytest.approx(low * 100)
    # the dashed line, one per region panel, is the whole selection's rate: 11/16 and 3/4
    expected = 11 / 16 if rate == "prosecution" else 3 / 4
    lines = [s.x0 for s in chart.figure.layout.shapes]
    assert lines == pytest.approx([expected * 100] * (3 if rate == "prosecution" else 2))


def test_country_chart_rejects_an_unknown_rate(loaded) -> None:
    with pytest.raises(ValueError, match="rate must be one of"):
        charts.country_rates_chart(
            queries.page_tables(loaded, Filters()).country_rates, "speed", "s"
        )


def test_verdict_curve_chart_draws_the_kaplan_meier_steps(loaded) -> None:
    chart = charts.verdict_curve_chart(
        queries.page_tables(loaded, Filters()).curves,
        queries.page_tables(loaded, Filters()).medians,
        "test source",
    )
    lines = {t.name: t for t in chart.figure.data}
    # one step line per region with charged cases, n = its charged cases
    assert list(lines) == [
        "Latin America (n = 3)",
        "Caribbean (n = 2)",
        "Europe (n = 6)",
    ]
    latin = lines["Latin America (n = 3)"]
    assert latin.line.shape == "hv"
    assert list(latin.x) == [0.0, 60.0, 200.0]
    assert list(latin.y) == pytest.approx([100.0, 200 / 3, 100 / 3])
    assert list(lines["Caribbean (n = 2)"].y) == pytest.approx([100.0, 50.0, 0.0])
    assert list(lines["Europe (n = 6)"].y) == [100.0]
    half = [s for s in chart.figure.layout.shapes if s.type == "line"]
    assert [(s.y0, s.y1) for s in half] == [(50, 50)]  # where a curve gives its median
    table = chart.data.set_index("Region")
    assert list(table.index) == ["All in selection", "Latin America", "Caribbean", "Europe"]
    assert table["Median days to verdict"].tolist()[:3] == [1826.0, 200.0, 366.0]
    assert pd.isna(table.loc["Europe", "Median days to verdict"])
    assert table.loc["Europe", "Over (days), where no median"] == 365.0
    assert table["Charged cases (n)"].tolist() == [11, 3, 2, 6]
    assert table["Still pending (censored)"].tolist() == [7, 1, 0, 6]
    assert "Source: test source" in " ".join(str(a.text) for a in chart.figure.layout.annotations)
    # no region has 30 charged cases: none is named longest or shortest, and that is said
    assert "1,826 days" in chart.summary and "11 charged cases, 7 still pending" in chart.summary
    assert "longest" not in chart.summary
    assert "3 regions with fewer than 30 charged cases are not ranked" in chart.summary


def test_cooperation_charts_tables_match_the_queries(loaded) -> None:
    outcomes = queries.page_tables(loaded, Filters()).cooperation
    chart = charts.cooperation_chart(outcomes, "test source")
    assert chart.data["Cooperation"].tolist() == [
        "No cooperation",
        "Any cooperation",
        "Mutual legal assistance request",
        "Joint investigation",
        "Extradition",
        "Not recorded",
    ]
    row = chart.data.set_index("Cooperation").loc["Any cooperation"]
    assert row["Conviction rate (%)"] == round(200 / 3, 1)
    assert row["Charged cases with a court outcome (n)"] == 3
    assert row["Cases opened 12+ months before the data's end (n)"] == 3
    none = chart.data.set_index("Cooperation").loc["No cooperation"]
    assert none["Prosecution rate (%)"] == round(800 / 13, 1)  # 8 of the 13 in the cohort
    assert none["Charged within 12 months"] == 8
    assert "Association, not effect" in flat(chart.figure.layout.title.subtitle.text)
    conviction = next(t for t in chart.figure.data if t.name == "Conviction rate")
    assert conviction.marker.symbol[1] == "diamond-open"  # n = 3: hollow
    assert "3 low n" in conviction.y[1]  # ...and labelled (groups down the side)
    # Not recorded (C8, too recent, not charged) has no rate at all: no marker there
    assert pd.isna(conviction.x[-1])
    prosecution = next(t for t in chart.figure.data if t.name == "Prosecution rate")
    assert pd.isna(prosecution.x[-1])
    assert prosecution.marker.symbol[0] == "circle"  # none: n = 13, solid

    region_chart = charts.cooperation_region_chart(
        queries.page_tables(loaded, Filters()).cooperation_by_region, "test source"
    )
    table = region_chart.data
    assert "Not recorded" not in set(table["Cooperation"])
    # one row per region and group; each panel draws the rows whose rate counts a case: West
    # Africa's C7 is too recent and had no court outcome, so its row is in neither panel
    assert table[["Region", "Cooperation"]].values.tolist() == [
        ["Latin America", "No cooperation"],
        ["Latin America", "Any cooperation"],
        ["Caribbean", "Any cooperation"],
        ["West Africa", "No cooperation"],
        ["Europe", "No cooperation"],
    ]
    traces = region_chart.figure.data  # per panel (prosecution, conviction): without, with
    for panel, rate in enumerate(charts.RATES):
        drawn = len(traces[2 * panel].x) + len(traces[2 * panel + 1].x)
        assert drawn == int((table[charts.rate_part(rate, 1)] > 0).sum())
    assert [len(t.x) for t in traces] == [2, 2, 1, 2]  # 4 prosecution rates, 3 conviction


# ---------------------------------------------------------------------------------------------
# The page, through the router (AppTest)


def _page(store_path: Path, query: dict | None = None, *, tables: bool = True):
    store = DuckDBStore(store_path)
    store.load_many(
        [LoadRequest("seizures", SEIZURES, "test"), LoadRequest("cases", CASES, "test")]
    )
    return run_page("pages/justice.py", query=query, tables=tables)


def _charts(app) -> int:
    return len(app.get("plotly_chart"))


def test_page_renders_every_chart_with_its_numbers(store_path: Path) -> None:
    app = _page(store_path)
    assert app.title[0].value == "Justice outcomes"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Cases opened"] == "18"
    assert metrics["Prosecution rate"] == "68.8%"  # 11 / 16 (the cohort opened by 2020-06-01)
    assert metrics["Conviction rate"] == "75.0%"  # 3 / 4 charged cases with a court outcome
    assert metrics["Median time to verdict"] == "1,826 days"  # Kaplan-Meier, see the docstring
    captions = " ".join(c.value for c in app.caption)
    assert "2 cases opened less than 12 months before the data's end: too recent to judge" in (
        captions
    )
    assert "11 charged cases, 7 still pending (Kaplan-Meier)" in captions
    assert "n = 16" in captions and "n = 4" in captions
    keys = [e.key for e in app.get("plotly_chart")]
    assert keys == [
        "justice_funnel",
        "justice_country_rates",
        "justice_verdict_curve",
        "justice_cooperation",
        "justice_cooperation_region",
    ]
    assert app.radio(key="justice_rate").value == "prosecution"
    tables = {tuple(t.value.columns)[:2]: t.value for t in app.dataframe}
    funnel = tables[("Region", "Stage")]
    assert funnel["Cases"].tolist()[:5] == [4, 0, 3, 2, 1]
    assert funnel["Stage"].tolist()[:5] == [
        "Opened",
        "Closed before charge",
        "Charged",
        "Court outcome",
        "Convicted",
    ]
    verdicts = next(t.value for t in app.dataframe if "Charged cases (n)" in t.value.columns)
    assert verdicts["Charged cases (n)"].tolist() == [11, 3, 2, 6]
    assert any("Association, not effect" in i.value for i in app.info)


_ALL_CHARTS = [
    "justice_funnel",
    "justice_country_rates",
    "justice_verdict_curve",
    "justice_cooperation",
    "justice_cooperation_region",
]
# West Africa: C7 and C8 are too recent to judge and neither was charged: no prosecution rate
# and no curve to draw, and the page says so.
_NO_RATE_NO_CURVE = ["justice_funnel", "justice_cooperation", "justice_cooperation_region"]


@pytest.mark.parametrize(
    ("query", "opened", "prosecution", "regions", "keys"),
    [
        (
            {"region": ["west_africa"]},
            "2",
            "too recent to judge",
            {"West Africa"},
            _NO_RATE_NO_CURVE,
        ),
        ({"country": ["CPV"]}, "1", "too recent to judge", {"West Africa"}, _NO_RATE_NO_CURVE),
        (
            {"region": ["latin_america", "caribbean"]},
            "6",
            "83.3%",  # 5 of the 6 (all in the cohort) charged within 12 months: C4 never
            {"Latin America", "Caribbean"},
            _ALL_CHARTS,
        ),
    ],
)
def test_page_follows_url_filters(
    store_path: Path, query: dict, opened: str, prosecution: str, regions, keys
) -> None:
    app = _page(store_path, query)
    tiles = {m.label: m.value for m in app.metric}
    assert (tiles["Cases opened"], tiles["Prosecution rate"]) == (opened, prosecution)
    funnel = next(t.value for t in app.dataframe if "Stage" in t.value.columns)
    assert set(funnel["Region"]) == regions
    assert [e.key for e in app.get("plotly_chart")] == keys
    if keys == _NO_RATE_NO_CURVE:
        assert any("No cases counted for this rate" in i.value for i in app.info)
        assert any("No charged cases in the current selection" in i.value for i in app.info)
        assert tiles["Median time to verdict"] == "–"


def test_rate_choice_lives_in_the_url(store_path: Path) -> None:
    app = _page(store_path, {"rate": "conviction"})
    assert app.radio(key="justice_rate").value == "conviction"
    table = next(t.value for t in app.dataframe if "ISO3" in t.value.columns)
    assert "Conviction rate (%)" in table.columns
    app.radio(key="justice_rate").set_value("prosecution").run()
    assert app.query_params["rate"] == "prosecution"
    table = next(t.value for t in app.dataframe if "ISO3" in t.value.columns)
    assert "Prosecution rate (%)" in table.columns


def test_invalid_rate_in_the_link_shows_a_notice(store_path: Path) -> None:
    app = _page(store_path, {"rate": "speed"}, tables=False)  # the notice: first run only
    assert any("Ignored 'rate=speed'" in as_shown(w.value) for w in app.warning)
    assert app.radio(key="justice_rate").value == "prosecution"
    assert _charts(app) == 5


def test_empty_selection_shows_the_message_and_no_chart(store_path: Path) -> None:
    app = _page(store_path, {"country": ["BRA"]})  # seizures, but no case
    assert any("No cases in the current selection" in i.value for i in app.info)
    assert _charts(app) == 0
    assert not app.get("radio")


def test_rate_with_nothing_to_count_shows_a_message(store_path: Path) -> None:
    app = _page(store_path, {"country": ["ESP"], "rate": "conviction"})  # all pending
    assert any("No cases counted for this rate" in i.value for i in app.info)
    keys = [e.key for e in app.get("plotly_chart")]
    assert "justice_country_rates" not in keys
    # six charged cases, none with an outcome after 365 days: the curve stays at 100% and the
    # median is only known to be over 365 days
    assert keys == [
        "justice_funnel",
        "justice_verdict_curve",
        "justice_cooperation",
        "justice_cooperation_region",
    ]
    tiles = {m.label: m.value for m in app.metric}
    assert tiles["Median time to verdict"] == "over 365 days"
    assert tiles["Conviction rate"] == "–"


def test_page_on_the_demo_data(store_path: Path) -> None:
    app = run_page("pages/justice.py")  # the first run seeds the demo data
    assert _charts(app) == 5
    expected = headline(DuckDBStore(store_path), Filters())
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Cases opened"] == f"{expected.cases_opened:,}"
    assert isinstance(expected.prosecution, Rate)
    # the tiles are the headline's numbers, whatever the demo data holds
    assert metrics["Prosecution rate"] == format_prosecution(expected)
    assert metrics["Conviction rate"] == format_rate(expected.conviction)
    assert metrics["Median time to verdict"] == format_verdict_days(expected.time_to_verdict)


PAGE_FILTERS = [
    Filters(),
    Filters(regions=("latin_america", "caribbean")),
    Filters(date_from=dt.date(2019, 12, 15), date_to=dt.date(2021, 2, 10)),
    Filters(drugs=("cocaine_hcl",)),
    Filters(countries=("ESP",)),
    Filters(regions=("north_america",)),
]


@pytest.mark.parametrize("filters", PAGE_FILTERS)
def test_page_tables_agree_with_the_other_reads(loaded, filters: Filters) -> None:
    """The page's one read gives the home page's and the snapshot's numbers (both backends),
    and each frame its columns and types, with cases or without."""
    tables = queries.page_tables(loaded, filters)
    assert tables.headline == headline(loaded, filters)
    assert tables.data_end == metrics.data_end(loaded) == dt.date(2021, 6, 1)
    by_region = metrics.case_counts(loaded, filters, {"region": "region"})
    pd.testing.assert_frame_equal(
        queries.attrition_funnel(loaded, filters, by_region), tables.funnel, check_exact=True
    )
    for frame, columns in (
        (tables.funnel, queries.FUNNEL_COLUMNS),
        (tables.country_rates, queries.COUNTRY_COLUMNS),
        (tables.medians, queries.MEDIAN_COLUMNS),
        (tables.curves, queries.CURVE_COLUMNS),
        (tables.cooperation, queries.COOPERATION_COLUMNS),
        (tables.cooperation_by_region, queries.COOPERATION_REGION_COLUMNS),
    ):
        typed = frame[list(columns)]
        pd.testing.assert_series_equal(typed.dtypes, typed.astype(columns).dtypes)
    # the snapshot's one read of the case counts: the same tiles and region rates
    sets = metrics.case_counts_sets(loaded, filters, SNAPSHOT_SETS)
    assert headline(loaded, filters, sets["all"]) == headline(loaded, filters)
    assert metrics.overview(loaded, filters)[0] == headline(loaded, filters)
    pd.testing.assert_frame_equal(
        metrics.overview(loaded, filters)[1], metrics.region_comparison(loaded, filters)
    )
    pd.testing.assert_frame_equal(
        metrics.region_comparison(loaded, filters, cases=sets["region"]),
        metrics.region_comparison(loaded, filters),
        check_exact=True,
    )


@pytest.mark.parametrize("filters", PAGE_FILTERS)
def test_page_funnel_counts_are_the_rates_n(loaded, filters: Filters) -> None:
    """The funnel's court outcome stage is the conviction rate's n and its convicted stage the
    rate's numerator, per region and overall, as the page shows them (docs/METHODS.md)."""
    tables = queries.page_tables(loaded, filters)
    stage = tables.funnel.pivot(index="region", columns="stage", values="cases")
    stage = stage.reindex(columns=STAGES, fill_value=0)  # no case: no row, every sum 0
    regions = metrics.region_comparison(loaded, filters).set_index("region")
    countries = tables.country_rates.groupby("region")[["conviction_n", "convicted"]].sum()
    for region in stage.index:
        assert stage.loc[region, "court_outcome"] == regions.loc[region, "conviction_n"], region
        assert stage.loc[region, "court_outcome"] == countries.loc[region, "conviction_n"]
        assert stage.loc[region, "convicted"] == countries.loc[region, "convicted"]
        assert stage.loc[region, "opened"] == regions.loc[region, "opened"]
        # the later stages are of the charged cases: never more than charged
        assert stage.loc[region, "convicted"] <= stage.loc[region, "court_outcome"]
        assert stage.loc[region, "court_outcome"] <= stage.loc[region, "charged"]
        assert (
            stage.loc[region, "closed_before_charge"] + stage.loc[region, "charged"]
            <= stage.loc[region, "opened"]
        )
    conviction = tables.headline.conviction
    assert int(stage["court_outcome"].sum()) == conviction.n
    assert int(stage["convicted"].sum()) == conviction.successes
    assert int(stage["opened"].sum()) == tables.headline.cases_opened
    if filters == Filters():  # by hand: C1, C2 (Latin America), C5, C6 (Caribbean)
        assert stage["court_outcome"].to_dict() == {
            "caribbean": 2,
            "europe": 0,
            "latin_america": 2,
            "west_africa": 0,
        }
        assert (conviction.successes, conviction.n) == (3, 4)


def test_with_rates_gives_rate_and_wilson_numbers_exactly() -> None:
    """The whole-column rates are Rate's value and wilson_interval's bounds to the last bit,
    None where nothing is counted, and an empty frame keeps the columns."""
    counts = [(0, 0), (0, 1), (1, 1), (3, 7), (9, 10), (123, 4567), (2_999_999, 3_000_001)]
    frame = pd.DataFrame(
        {
            "cohort": [n for _, n in counts],
            "charged_in_window": [s for s, _ in counts],
            "court_outcome": [0] * len(counts),
            "convicted": [0] * len(counts),
        }
    )
    rates = metrics.with_rates(frame.copy())
    for row, (successes, n) in zip(rates.itertuples(), counts, strict=True):
        rate = Rate(successes, n)
        low, high = wilson_interval(successes, n)
        if n == 0:
            assert pd.isna(row.prosecution_rate) and pd.isna(row.prosecution_low)
        else:
            assert (row.prosecution_rate, row.prosecution_low, row.prosecution_high) == (
                rate.value,
                low,
                high,
            )
        assert (row.prosecution_n, row.prosecution_low_confidence) == (n, rate.low_confidence)
    # no court outcome at all: no conviction rate anywhere, n = 0
    assert rates["conviction_rate"].isna().all()
    assert rates["conviction_n"].tolist() == [0] * len(counts)
    # the conviction rate reads convicted / court_outcome the same way
    swapped = metrics.with_rates(
        frame.assign(court_outcome=frame["cohort"], convicted=frame["charged_in_window"])
    )
    for row, (successes, n) in zip(swapped.itertuples(), counts, strict=True):
        low, high = wilson_interval(successes, n)
        if n:
            assert (row.conviction_rate, row.conviction_low, row.conviction_high) == (
                successes / n,
                low,
                high,
            )
        assert row.conviction_n == n
    empty = metrics.with_rates(frame.iloc[:0].copy())
    assert empty.empty and "conviction_low_confidence" in empty.columns
    with pytest.raises(ValueError, match="successes <= n"):
        metrics.with_rates(frame.assign(charged_in_window=frame["cohort"] + 1))
    with pytest.raises(ValueError, match="successes <= n"):
        metrics.with_rates(frame.assign(convicted=1))
