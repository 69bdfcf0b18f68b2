"""Text summaries of the charts (accessibility): small hand-made frames with known answers.

Each builder returns Chart.summary, one or two sentences computed from the numbers it draws.
The sentences are checked for the right largest and smallest item and the right numbers, for
empty and one-row inputs, and for locale number formats (the words are translated later).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from crimjust_data import i18n, metrics, snapshot
from crimjust_data.figures import Chart, extremes, overview
from crimjust_data.figures import flows as flow_charts
from crimjust_data.figures import justice as justice_charts
from crimjust_data.figures import timelines as timeline_charts
from crimjust_data.queries import timelines
from crimjust_data.snapshot.content import Section, Snapshot
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import seizures_frame

# ---------------------------------------------------------------------------------------------
# Shared helpers


def test_extremes_ignore_missing_and_name_two_places_on_ties() -> None:
    assert extremes([0.2, None, 0.9, float("nan"), 0.1]) == (2, 4)
    assert extremes([0.5, 0.5, 0.5]) == (0, 2)  # first highest, last lowest
    assert extremes([None, 0.3]) == (1, 1)
    assert extremes([]) is None and extremes([None, float("nan")]) is None


def test_chart_summary_defaults_to_empty() -> None:
    chart = Chart(go.Figure(), pd.DataFrame())
    assert chart.summary == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        chart.summary = "changed"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Home page (overview)


def _by_region() -> pd.DataFrame:
    """Tonnes per region (1,776.3 + 583.2 + 200.0 + 49.1 = 2,608.6 t; North America none) and
    case counts: prosecution (charged within 12 months / cohort) NA 76/100, WA 51/100, Europe
    8/8 (low n, and too few to rank: never named highest); conviction (convicted / court
    outcomes) NA 40/50, WA 10/40, Europe 0/4 (low n, never named lowest); Latin America and the
    Caribbean have no cases."""
    frame = pd.DataFrame(
        {
            "region": ["latin_america", "caribbean", "west_africa", "europe", "north_america"],
            "seized_kg": [1_776_300.0, 200_000.0, 49_100.0, 583_200.0, 0.0],
            "seizure_events": [900, 120, 30, 400, 0],
            "opened": [0, 0, 120, 10, 130],
            "cohort": [0, 0, 100, 8, 100],
            "charged_in_window": [0, 0, 51, 8, 76],
            "court_outcome": [0, 0, 40, 4, 50],
            "convicted": [0, 0, 10, 0, 40],
        }
    )
    return metrics.with_rates(frame)


def _ci(successes: int, n: int) -> str:
    low, high = metrics.wilson_interval(successes, n)
    return f"{low * 100:.1f}–{high * 100:.1f}%"


def test_region_seizures_names_the_most_the_next_and_the_least() -> None:
    summary = overview.region_seizures_chart(_by_region(), "s").summary
    assert summary == (
        "Latin America accounts for the most cocaine seized (1,776.3 t, 68% of the total), "
        "followed by Europe (583.2 t); West Africa has the least (49.1 t). "
        "1 region has no seizures."
    )


def test_region_seizures_one_region_and_none() -> None:
    one = _by_region().iloc[[3]]
    assert overview.region_seizures_chart(one, "s").summary == (
        "Europe accounts for all the cocaine seized (583.2 t)."
    )
    empty = _by_region().iloc[:0]
    assert overview.region_seizures_chart(empty, "s").summary == (
        "No cocaine seized in the selection."
    )


def test_region_rates_highest_lowest_with_interval_and_low_n() -> None:
    summary = overview.region_rates_chart(_by_region(), "s").summary
    # Europe's 100% prosecution (n = 8) and 0% conviction (n = 4) are too few to rank
    assert summary.startswith(
        f"The prosecution rate is highest in North America (76.0%, 95% CI {_ci(76, 100)}) and "
        "lowest in West Africa (51.0%). 1 place with fewer than 30 cases is not ranked."
    )
    assert (
        f"The conviction rate is highest in North America (80.0%, 95% CI {_ci(40, 50)}) and "
        "lowest in West Africa (25.0%). 1 place with fewer than 30 cases is not ranked."
    ) in summary
    # Europe: prosecution n = 8 and conviction n = 4; the regions without cases are not drawn
    assert summary.endswith(
        "2 rates are based on fewer than 10 cases (low confidence, hollow markers)."
    )
    assert "Caribbean" not in summary and "Latin America" not in summary
    assert "Europe" not in summary and "100.0%" not in summary


def test_region_rates_one_row_and_no_cases() -> None:
    one = _by_region().iloc[[4]].reset_index(drop=True)
    summary = overview.region_rates_chart(one, "s").summary
    assert summary == (
        f"The prosecution rate in North America is 76.0% (95% CI {_ci(76, 100)}). "
        f"The conviction rate in North America is 80.0% (95% CI {_ci(40, 50)})."
    )
    none = _by_region().iloc[:2]
    assert overview.region_rates_chart(none, "s").summary == "No cases in the selection."
    # a region whose cases are all too recent to judge (cohort 0) has no prosecution rate
    young = _by_region().iloc[[4]].assign(cohort=0, charged_in_window=0)
    young = metrics.with_rates(young.reset_index(drop=True))
    assert overview.region_rates_chart(young, "s").summary == (
        "No case counts towards the prosecution rate. "
        f"The conviction rate in North America is 80.0% (95% CI {_ci(40, 50)})."
    )
    # only places with fewer than 30 cases: none named, and said so
    small = _by_region().iloc[[3]].reset_index(drop=True)
    assert overview.region_rates_chart(small, "s").summary == (
        "1 place with fewer than 30 cases is not ranked. "
        "1 place with fewer than 30 cases is not ranked. "
        "2 rates are based on fewer than 10 cases (low confidence, hollow markers)."
    )


def test_official_comparison_totals_extremes_and_missing() -> None:
    comparison = pd.DataFrame(
        {
            "region": ["latin_america", "europe", "west_africa"],
            "years": "2018–2022",
            "official_kg": [1_000_000.0, 400_000.0, None],
            "events_kg": [600_000.0, 100_000.0, 5_000.0],
            "coverage": [0.6, 0.25, None],
            "countries": [10, 20, None],
        }
    )
    summary = overview.official_comparison_chart(comparison, "s").summary
    # 700 t of 1,400 t: only the regions with an official total are compared
    assert summary == (
        "For 2018–2022, the loaded seizure events add up to 700.0 t, 50% of the official UNODC "
        "total of 1,400.0 t. The share is highest in Latin America (60%) and lowest in Europe "
        "(25%). 1 region has no official total."
    )


# ---------------------------------------------------------------------------------------------
# Routes and flows


def _by_country(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": [r[0] for r in rows],
            "name": [r[0] for r in rows],
            "region": [r[1] for r in rows],
            "latitude": 0.0,
            "longitude": 0.0,
            "seized_kg": [r[2] for r in rows],
            "seizures": [r[3] for r in rows],
        }
    )


def test_seizure_map_top_countries_and_count() -> None:
    frame = _by_country(
        [
            ("ECU", "latin_america", 374_000.0, 40),
            ("COL", "latin_america", 529_000.0, 50),
            ("ESP", "europe", 100.0, 2),
            ("BRA", "latin_america", 307_000.0, 30),
        ]
    )
    summary = flow_charts.seizure_map(frame, "s").summary
    # 529 / 1,210.1 t = 43.7%
    assert summary == (
        "Colombia has the most cocaine seized (529 t, 44% of the total), followed by Ecuador "
        "(374 t) and Brazil (307 t). 4 countries have seizures."
    )


def test_seizure_map_one_country_and_none() -> None:
    one = _by_country([("CPV", "west_africa", 2500.0, 3)])
    assert flow_charts.seizure_map(one, "s").summary == (
        "All the cocaine in the selection was seized in Cabo Verde (2.5 t)."
    )
    assert flow_charts.seizure_map(one.iloc[:0], "s").summary == "No seizures in the selection."


def _pairs(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin_iso3": [r[0] for r in rows],
            "destination_iso3": [r[1] for r in rows],
            "origin_name": [r[0] for r in rows],
            "destination_name": [r[1] for r in rows],
            "origin_region": "latin_america",
            "destination_region": "europe",
            "origin_lat": 4.0,
            "origin_lon": -72.0,
            "destination_lat": 40.0,
            "destination_lon": -4.0,
            "kg": [r[2] for r in rows],
            "seizures": [r[3] for r in rows],
        }
    )


def test_flow_map_largest_flow_and_count() -> None:
    pairs = _pairs([("BRA", "PRT", 800.0, 1), ("COL", "ESP", 4000.0, 2), ("COL", "USA", 205.5, 2)])
    summary = flow_charts.flow_map(pairs, "s").summary
    assert summary == (
        "The largest flow is Colombia → Spain: 4.0 t in 2 seizures. "
        "3 routes are drawn, 5.0 t in all."
    )
    legs = flow_charts.flow_map(pairs, "s", legs=True).summary
    assert legs == "The largest leg is Colombia → Spain: 4.0 t in 2 seizures. 3 legs are drawn."


def test_flow_map_one_flow_and_none() -> None:
    one = _pairs([("BRA", "PRT", 800.0, 1)])
    assert flow_charts.flow_map(one, "s").summary == (
        "The only flow drawn is Brazil → Portugal: 800 kg in 1 seizure."
    )
    assert flow_charts.flow_map(one.iloc[:0], "s").summary == "No flows to draw."


def test_region_sankey_largest_region_flow_and_where_seized() -> None:
    triples = pd.DataFrame(
        {
            "origin_region": ["latin_america", "latin_america", "latin_america", "other"],
            "seized_region": ["europe", "west_africa", "latin_america", "caribbean"],
            "destination_region": ["europe", "europe", "north_america", "north_america"],
            "kg": [3000.0, 800.0, 1200.0, 5.0],
            "seizures": [2, 1, 3, 1],
        }
    )
    summary = flow_charts.region_sankey(triples, "s").summary
    # Latin America -> Europe: 3,000 + 800 kg of 5,005 kg (76%); seized most in Europe (3 t)
    assert summary == (
        "The largest flow runs from Latin America to Europe: 3.8 t, 76% of the total. "
        "Most of the cocaine was seized in Europe (3.0 t)."
    )
    assert flow_charts.region_sankey(triples.iloc[:0], "s").summary == "No flows to draw."


# ---------------------------------------------------------------------------------------------
# Justice outcomes


_STAGES = ("opened", "closed_before_charge", "charged", "court_outcome", "convicted")


def _funnel(counts: dict[str, tuple[int, int, int, int, int]]) -> pd.DataFrame:
    """region -> (opened, closed before charge, charged, court outcome, convicted), in the long
    form of attrition_funnel."""
    rows = []
    for region, values in counts.items():
        for stage, cases in zip(_STAGES, values, strict=True):
            rows.append(
                {
                    "region": region,
                    "stage": stage,
                    "stage_label": stage,
                    "cases": cases,
                    "opened": values[0],
                    "share_of_opened": cases / values[0],
                }
            )
    return pd.DataFrame(rows)


def test_funnel_share_convicted_highest_and_lowest() -> None:
    funnel = _funnel(
        {
            "latin_america": (100, 10, 80, 60, 45),  # 45 of 60 court outcomes: 75.0%
            "europe": (50, 5, 40, 30, 10),  # 10 of 30: 33.3%
            "caribbean": (40, 4, 30, 20, 19),  # 95.0%, but 20 outcomes: too few to rank
        }
    )
    summary = justice_charts.funnel_chart(funnel, "s").summary
    assert summary == (
        "Among charged cases with a court outcome, the share convicted is highest in Latin "
        "America (75.0%, 45 of 60) and lowest in Europe (33.3%, 10 of 30). "
        "1 region with fewer than 30 court outcomes is not ranked."
    )
    assert "Caribbean" not in summary and "95.0%" not in summary


def test_funnel_overall_and_withheld_counts_stay_withheld() -> None:
    # one group: its share is given whatever its n (nothing is ranked)
    overall = _funnel({"all": (18, 2, 12, 9, 7)})
    assert justice_charts.funnel_chart(overall, "s").summary == (
        "All in selection: 7 of the 9 charged cases with a court outcome ended in conviction "
        "(77.8%)."
    )
    # Caribbean: 3 convicted, a small count withheld from the chart, so from the sentence too
    funnel = _funnel({"latin_america": (100, 10, 80, 60, 45), "caribbean": (40, 4, 30, 20, 3)})
    summary = justice_charts.funnel_chart(funnel, "s", suppress_below=5).summary
    assert summary == (
        "Latin America: 45 of the 60 charged cases with a court outcome ended in conviction "
        "(75.0%). The conviction count of 1 group is withheld (too few cases)."
    )
    assert "Caribbean" not in summary and "15.0%" not in summary
    assert justice_charts._funnel_sentences([], [], [], [], []) == (
        "No charged case in the selection has a court outcome."
    )
    # court outcomes everywhere, but too few to rank anywhere: no region named
    few = _funnel({"latin_america": (20, 0, 15, 10, 9), "europe": (12, 1, 10, 8, 2)})
    assert justice_charts.funnel_chart(few, "s").summary == (
        "2 regions with fewer than 30 court outcomes are not ranked."
    )


def _country_counts(rows: list[tuple[str, str, int, int, int, int, int]]) -> pd.DataFrame:
    """(iso3, region, opened, cohort, charged in window, court outcome, convicted) rows, with
    rates as country_rates."""
    columns = [
        "country_iso3",
        "region",
        "opened",
        "cohort",
        "charged_in_window",
        "court_outcome",
        "convicted",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return metrics.with_rates(frame.assign(country=frame["country_iso3"]))


def test_country_rates_highest_lowest_and_low_confidence() -> None:
    rates = _country_counts(
        [
            ("COL", "latin_america", 120, 100, 60, 40, 30),  # 60.0%; 75.0%
            ("ESP", "europe", 60, 50, 40, 20, 10),  # 80.0%; 50.0% (n = 20: not ranked)
            ("BEN", "west_africa", 8, 6, 1, 0, 0),  # 16.7% (n = 6: not ranked, low n)
            ("CPV", "west_africa", 5, 4, 3, 2, 2),  # 75.0%; 100.0% (low n)
            ("SEN", "west_africa", 3, 0, 0, 0, 0),  # every case too recent: not drawn
        ]
    )
    prosecution = justice_charts.country_rates_chart(rates, "prosecution", "s").summary
    assert prosecution == (
        f"The prosecution rate is highest in Spain (80.0%, 95% CI {_ci(40, 50)}) and lowest in "
        "Colombia (60.0%). 2 places with fewer than 30 cases are not ranked. "
        "2 countries have fewer than 10 cases (low confidence)."
    )
    assert "Benin" not in prosecution and "Senegal" not in prosecution
    # only Colombia has 30 court outcomes: Cabo Verde's 100% (n = 2) is not named highest
    conviction = justice_charts.country_rates_chart(rates, "conviction", "s").summary
    assert conviction == (
        f"The conviction rate in Colombia is 75.0% (95% CI {_ci(30, 40)}). 2 places with fewer "
        "than 30 cases are not ranked. 1 country has fewer than 10 cases (low confidence)."
    )
    nothing = rates[rates["country_iso3"] == "BEN"]
    assert justice_charts.country_rates_chart(nothing, "conviction", "s").summary == (
        "No country has a case counted for this rate."
    )
    young = rates[rates["country_iso3"] == "SEN"]
    assert justice_charts.country_rates_chart(young, "prosecution", "s").summary == (
        "No country has a case counted for this rate."
    )


def _medians(rows: list[tuple]) -> pd.DataFrame:
    """(region, median, low, high, n, pending, over) rows as queries.justice.PageTables.medians."""
    columns = [
        "region",
        "median_days_to_verdict",
        "verdict_days_low",
        "verdict_days_high",
        "verdict_n",
        "pending",
        "verdict_over_days",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "float64" for c in columns[1:4] + columns[6:]})


def _curves(regions: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": [r for r in regions for _ in range(2)],
            "days": [0.0, 100.0] * len(regions),
            "share_waiting": [1.0, 0.5] * len(regions),
            "at_risk": [10.0, 8.0] * len(regions),
        }
    )


def test_verdict_curve_median_interval_and_regions() -> None:
    medians = _medians(
        [
            ("all", 120.0, 100.0, 150.0, 180, 45, None),
            ("latin_america", 150.4, 120.0, 190.0, 100, 20, None),
            ("europe", 60.0, 40.0, 90.0, 35, 5, None),
            ("caribbean", 30.0, 10.0, None, 5, 4, None),  # shortest, but n = 5: not ranked
            ("north_america", None, None, None, 40, 16, 700.0),  # no median: not ranked
        ]
    )
    curves = _curves(["latin_america", "europe", "caribbean", "north_america"])
    summary = justice_charts.verdict_curve_chart(curves, medians, "s").summary
    assert summary == (
        "Half of the charged cases reached a court outcome within 120 days (95% CI 100–150 "
        "days) of opening (Kaplan-Meier, 180 charged cases, 45 still pending). "
        "By region, the median is longest in Latin America (150 days) and shortest in Europe "
        "(60 days). 1 region with fewer than 30 charged cases is not ranked."
    )
    assert "Caribbean" not in summary
    # fewer than half with an outcome: the median is only known to be over the time followed
    open_ended = _medians([("all", None, None, None, 12, 9, 800.0)])
    assert justice_charts._verdict_summary(open_ended) == (
        "Fewer than half of the 12 charged cases have reached a court outcome: the median "
        "time is over 800 days (9 still pending)."
    )
    nothing = _medians([("all", None, None, None, 0, 0, None)])
    assert justice_charts._verdict_summary(nothing) == "No charged case in the selection."


def _cooperation(rows: list[tuple]) -> pd.DataFrame:
    """(cooperation, cohort, charged in window, court outcome, convicted[, region]) rows, with
    rates."""
    columns = ["cooperation", "cohort", "charged_in_window", "court_outcome", "convicted"]
    frame = pd.DataFrame([(*r, "all")[:6] for r in rows], columns=[*columns, "region"])
    return metrics.with_rates(frame.assign(opened=frame["cohort"]))


def test_cooperation_with_and_without_and_best_type() -> None:
    outcomes = _cooperation(
        [
            ("none", 100, 50, 40, 20),
            ("any", 60, 45, 30, 24),
            ("mla_request", 30, 20, 15, 9),
            ("joint_investigation", 20, 18, 10, 10),
            ("extradition", 10, 7, 5, 5),
            ("not_recorded", 5, 1, 1, 0),
        ]
    )
    summary = justice_charts.cooperation_chart(outcomes, "s").summary
    assert summary.startswith(
        "With any cooperation, the prosecution rate is 75.0% and the conviction rate 80.0%; "
        "without, 50.0% and 50.0%. Among the types of cooperation, the prosecution rate is "
        "highest for Joint investigation (90.0%) and the conviction rate for Joint "
        "investigation (100.0%)."
    )
    # not recorded: cohort 5 and court outcomes 1; extradition court outcomes 5
    assert summary.endswith(
        "3 rates are based on fewer than 10 cases (low confidence, hollow markers)."
    )
    assert justice_charts._cooperation_summary(outcomes.iloc[:0]) == "No cases in the selection."


def test_cooperation_by_region_counts_where_rates_are_higher() -> None:
    by_region = _cooperation(
        [
            ("none", 100, 50, 40, 20, "latin_america"),
            ("any", 60, 45, 30, 24, "latin_america"),
            ("none", 50, 40, 20, 15, "europe"),
            ("any", 20, 10, 10, 5, "europe"),
            ("none", 30, 10, 0, 0, "west_africa"),
        ]
    )
    summary = justice_charts.cooperation_region_chart(by_region, "s").summary
    assert summary == (
        "The prosecution rate is higher with cooperation than without in 1 of 2 regions. "
        "The conviction rate is higher with cooperation than without in 1 of 2 regions."
    )
    assert justice_charts._cooperation_region_summary(by_region.iloc[:0]) == (
        "No cases with a recorded cooperation in the selection."
    )


# ---------------------------------------------------------------------------------------------
# Timelines


def _line(values: list[float], counts: list[int], grain: str = "year") -> timelines.Timeline:
    periods = pd.date_range("2018-01-01", periods=len(values), freq="YS")
    series = pd.DataFrame({"period": periods, "group": "europe", "kg": values, "seizures": counts})
    totals = timelines.timeline_totals(series, grain)
    return timelines.Timeline(grain, "region", series, totals, 3, None, None)


def test_timeline_total_peak_trend_and_spikes() -> None:
    # 5 x 10 + 50 + 20 = 120 t; 2023 is a spike (5x the median of the five years before)
    line = _line([10_000.0] * 5 + [50_000, 20_000], [5] * 5 + [30, 8])
    assert int(line.totals["kg_spike"].sum()) == 1
    summary = timeline_charts.timeline_chart(line, "kg", "s").summary
    assert summary == (
        "120.0 t of cocaine seized from 2018 to 2024; the peak was 2023 with 50.0 t. "
        "The total went from 10.0 t in 2018 to 20.0 t in 2024, with 1 spike."
    )
    spikes = int(line.totals["seizures_spike"].sum())
    counts = timeline_charts.timeline_chart(line, "seizures", "s").summary
    assert counts.startswith(
        "63 seizure events from 2018 to 2024; the peak was 2023 with 30. "
        "The total went from 5 in 2018 to 8 in 2024, with "
    )
    assert counts.endswith(f"with {spikes} spike{'' if spikes == 1 else 's'}.")


def test_timeline_one_period_and_nothing() -> None:
    one = _line([250.0], [2])
    assert timeline_charts.timeline_chart(one, "kg", "s").summary == (
        "250.0 kg of cocaine seized in 2018."
    )
    assert timeline_charts._timeline_summary([], [], 0, "kg", "kg") == (
        "No cocaine seized in the selection."
    )
    assert timeline_charts._timeline_summary(["2018"], [0.0], 0, "seizures", "") == (
        "No seizure events in the selection."
    )


def test_official_chart_years_with_a_total() -> None:
    comparison = pd.DataFrame(
        {
            "year": [2019, 2020, 2021, 2022],
            "official_kg": [1400.0, 1100.0, None, 500.0],
            "events_kg": [760.0, 320.0, 50.0, 0.0],
            "coverage": [760 / 1400, 320 / 1100, None, 0.0],
            "countries_reporting": [3, 2, 0, 1],
        }
    )
    summary = timeline_charts.official_chart(comparison, "s").summary
    # 1,080 kg of 3,000 kg over the years with an official total (not 2021)
    assert summary == (
        "From 2019 to 2022, the loaded seizure events add up to 1,080.0 kg, 36% of the official "
        "UNODC totals (3,000.0 kg). The share is highest in 2019 (54%) and lowest in 2022 (0%). "
        "1 year has no official total."
    )


# ---------------------------------------------------------------------------------------------
# Locale formats


def test_french_summaries_use_a_decimal_comma() -> None:
    with i18n.using("fr"):
        seized = overview.region_seizures_chart(_by_region(), "s").summary
        rates = overview.region_rates_chart(_by_region(), "s").summary
        line = timeline_charts.timeline_chart(_line([10_000.0, 12_500], [1, 2]), "kg", "s")
    # '1 776,3 t' (narrow no-break space between thousands), '76,0 %'
    assert re.search(r"1\s776,3\st", seized) and "583,2" in seized and "49,1" in seized
    assert "1,776.3" not in seized
    assert re.search(r"76,0\s%", rates) and re.search(r"51,0\s%", rates)
    assert "22,5 t" in line.summary and "12,5 t" in line.summary


# ---------------------------------------------------------------------------------------------
# Where the summaries are shown: the snapshot HTML and the pages


@pytest.fixture(scope="module")
def small_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    store = DuckDBStore(tmp_path_factory.mktemp("summaries") / "small.duckdb")
    seizures = seizures_frame(
        [
            ("S1", "2020-01-10", "COL", "cocaine_hcl", 1000.0, "container"),
            ("S2", "2021-09-09", "ESP", "cocaine_hcl", 3000.0, "container"),
        ]
    ).assign(origin_iso3=["COL", "COL"], destination_iso3=["ESP", "ESP"])
    store.load_many([LoadRequest("seizures", seizures, "test fixture")])
    return snapshot.build(store, threshold=0, now=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC))


def test_snapshot_html_has_each_summary_in_caption_and_aria_label(
    small_snapshot: Snapshot,
) -> None:
    page = snapshot.render(small_snapshot, "html").decode("utf-8")
    assert small_snapshot.sections
    for section in small_snapshot.sections:
        assert section.chart.summary
        escaped = html.escape(section.chart.summary, quote=True)
        assert f"role='img' aria-label='{escaped}'" in page
        assert f"<p class='summary'>{escaped}</p></figcaption>" in page
    assert "Spain has the most cocaine seized (3.0 t, 75% of the total)" in page


def test_snapshot_summary_is_escaped(small_snapshot: Snapshot) -> None:
    hostile = "<img src=x onerror=alert(1)> it's 'quoted'"
    section = small_snapshot.sections[0]
    chart = dataclasses.replace(section.chart, summary=hostile)
    changed = dataclasses.replace(
        small_snapshot, sections=[Section(section.key, section.heading, numbers=chart)]
    )
    page = snapshot.render(changed, "html").decode("utf-8")
    assert "<img src=x" not in page
    assert "aria-label='&lt;img src=x onerror=alert(1)&gt; it&#x27;s &#x27;quoted&#x27;'" in page


def test_show_chart_writes_the_summary_under_the_chart() -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import pandas as pd
        import plotly.graph_objects as go

        from crimjust_data import ui

        frame = pd.DataFrame({"x": [1]})
        ui.show_chart(go.Figure(), frame, "one", file_name="one", summary="Said in words.")
        ui.show_chart(go.Figure(), frame, "two", file_name="two")

    app = AppTest.from_function(script).run()
    assert not app.exception
    assert [c.value for c in app.caption] == ["Said in words."]
