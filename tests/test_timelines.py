"""Timelines: series per period and group, zero-filling, top N, rolling average, spike rule,
official totals beside the events per year (answers worked out by hand), and the page (AppTest).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crimjust_data.figures import timelines as charts
from crimjust_data.metrics import Filters
from crimjust_data.periods import OTHER_COUNTRIES
from crimjust_data.queries import timelines
from crimjust_data.queries.timelines import (
    official_by_year,
    official_notes,
    partial_periods,
    rolling_mean,
    spike_flags,
    timeline,
)
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import run_page, seizures_frame
from tests.xss_corpus import as_shown

# Regions: COL, BRA, PER Latin America; DOM Caribbean; CPV West Africa; ESP Europe.
SEIZURES = seizures_frame(
    [
        ("S1", "2020-01-10", "COL", "cocaine_hcl", 100.0, "container"),
        ("S2", "2020-01-20", "COL", "cocaine_base", 50.0, "land"),
        ("S3", "2020-03-05", "DOM", "crack", 10.0, "air"),
        ("S4", "2020-05-15", "CPV", "cocaine_hcl", 200.0, "vessel"),
        ("S5", "2020-11-30", "ESP", "cocaine_hcl", 400.0, "container"),
        ("S6", "2021-02-01", "BRA", "cocaine_hcl", 300.0, "container"),
        ("S7", "2021-02-02", "PER", "cocaine_base", 20.0, None),
    ]
)
# Official totals: 2020 COL 1000 + CPV 400; 2021 COL 600 + ESP 500; nothing for 2022; 2023 COL 50.
ANNUAL = pd.DataFrame(
    {
        "country_iso3": ["COL", "COL", "CPV", "ESP", "COL"],
        "year": [2020, 2021, 2020, 2021, 2023],
        "drug": ["cocaine_hcl", "cocaine_hcl", "cocaine_unspecified", "cocaine_hcl", "cocaine_hcl"],
        "quantity_kg": [1000.0, 600.0, 400.0, 500.0, 50.0],
        "source": "UNODC test",
    }
)


@pytest.fixture
def loaded(store: DuckDBStore) -> DuckDBStore:
    store.load(LoadRequest("seizures", SEIZURES, "test"))
    return store


@pytest.fixture
def with_official(loaded: DuckDBStore) -> DuckDBStore:
    loaded.load(LoadRequest("annual_seizures", ANNUAL, "UNODC test"))
    return loaded


def by_period(frame: pd.DataFrame, column: str = "kg") -> dict[str, float]:
    return {str(p.date()): float(v) for p, v in zip(frame["period"], frame[column], strict=True)}


def pivot(frame: pd.DataFrame, column: str = "kg") -> dict[tuple[str, str], float]:
    return {
        (str(p.date()), g): float(v)
        for p, g, v in zip(frame["period"], frame["group"], frame[column], strict=True)
    }


# ---------------------------------------------------------------------------------------------
# Series per period and group


def test_monthly_totals_are_zero_filled(loaded) -> None:
    line = timeline(loaded, Filters(), "month", "region")
    kg = by_period(line.totals)
    # 2020-01 .. 2021-02: 14 months, from the data's first to its last date
    assert len(kg) == 14
    assert kg["2020-01-01"] == 150.0 and kg["2020-02-01"] == 0.0
    assert kg["2020-03-01"] == 10.0 and kg["2020-05-01"] == 200.0
    assert kg["2020-11-01"] == 400.0 and kg["2021-02-01"] == 320.0
    assert sum(kg.values()) == 1080.0
    assert by_period(line.totals, "seizures")["2020-01-01"] == 2
    # every month x every region present, zeros included
    assert len(line.series) == 14 * 4


def test_quarterly_and_yearly_sums(loaded) -> None:
    quarters = timeline(loaded, Filters(), "quarter", "region").totals
    assert by_period(quarters) == {
        "2020-01-01": 160.0,
        "2020-04-01": 200.0,
        "2020-07-01": 0.0,
        "2020-10-01": 400.0,
        "2021-01-01": 320.0,
    }
    assert by_period(quarters, "seizures") == {
        "2020-01-01": 3,
        "2020-04-01": 1,
        "2020-07-01": 0,
        "2020-10-01": 1,
        "2021-01-01": 2,
    }
    years = timeline(loaded, Filters(), "year", "drug").totals
    assert by_period(years) == {"2020-01-01": 760.0, "2021-01-01": 320.0}
    assert by_period(years, "seizures") == {"2020-01-01": 5, "2021-01-01": 2}


def test_split_by_region_drug_and_conveyance(loaded) -> None:
    regions = timeline(loaded, Filters(), "year", "region").series
    assert pivot(regions) == {
        ("2020-01-01", "latin_america"): 150.0,
        ("2020-01-01", "europe"): 400.0,
        ("2020-01-01", "west_africa"): 200.0,
        ("2020-01-01", "caribbean"): 10.0,
        ("2021-01-01", "latin_america"): 320.0,
        ("2021-01-01", "europe"): 0.0,
        ("2021-01-01", "west_africa"): 0.0,
        ("2021-01-01", "caribbean"): 0.0,
    }
    # largest first: the bottom of the stack
    assert list(dict.fromkeys(regions["group"])) == [
        "latin_america",
        "europe",
        "west_africa",
        "caribbean",
    ]
    drugs = pivot(timeline(loaded, Filters(), "year", "drug").series)
    assert drugs[("2020-01-01", "cocaine_hcl")] == 700.0
    assert drugs[("2021-01-01", "cocaine_base")] == 20.0
    assert drugs[("2020-01-01", "crack")] == 10.0
    conveyances = pivot(timeline(loaded, Filters(), "year", "conveyance").series)
    assert conveyances[("2020-01-01", "container")] == 500.0
    assert conveyances[("2021-01-01", "unknown")] == 20.0  # not stated -> 'unknown'


def test_country_top_n_and_other_countries(loaded) -> None:
    # by kg: ESP 400, BRA 300 | CPV 200, COL 150, PER 20, DOM 10 -> 'Other countries'
    series = timeline(loaded, Filters(), "year", "country", top_n=2).series
    assert list(dict.fromkeys(series["group"])) == ["ESP", "BRA", OTHER_COUNTRIES]
    assert pivot(series) == {
        ("2020-01-01", "ESP"): 400.0,
        ("2020-01-01", "BRA"): 0.0,
        ("2020-01-01", OTHER_COUNTRIES): 360.0,
        ("2021-01-01", "ESP"): 0.0,
        ("2021-01-01", "BRA"): 300.0,
        ("2021-01-01", OTHER_COUNTRIES): 20.0,
    }
    assert pivot(series, "seizures")[("2020-01-01", OTHER_COUNTRIES)] == 4
    everyone = timeline(loaded, Filters(), "year", "country", top_n=10).series
    assert OTHER_COUNTRIES not in set(everyone["group"])


def test_filters_apply_and_the_axis_keeps_the_span(loaded) -> None:
    caribbean = timeline(loaded, Filters(regions=("caribbean",)), "year", "region")
    # DOM has data in 2020 only; 2021 is still on the axis, at 0
    assert by_period(caribbean.totals) == {"2020-01-01": 10.0, "2021-01-01": 0.0}
    dated = timeline(
        loaded,
        Filters(date_from=dt.date(2020, 4, 1), date_to=dt.date(2020, 12, 31)),
        "quarter",
        "drug",
    )
    assert by_period(dated.totals) == {"2020-04-01": 200.0, "2020-07-01": 0.0, "2020-10-01": 400.0}
    hcl = timeline(loaded, Filters(drugs=("cocaine_hcl",)), "year", "region")
    assert by_period(hcl.totals) == {"2020-01-01": 700.0, "2021-01-01": 300.0}
    nothing = timeline(
        loaded, Filters(countries=("ESP",), regions=("caribbean",)), "year", "region"
    )
    assert nothing.empty and nothing.series.empty


def test_unknown_grain_or_dimension_is_refused(loaded) -> None:
    with pytest.raises(ValueError, match="grain"):
        timeline(loaded, Filters(), "week", "region")
    with pytest.raises(ValueError, match="dimension"):
        timeline(loaded, Filters(), "year", "agency")


def test_partial_first_and_last_periods(loaded) -> None:
    # the data runs 2020-01-10 .. 2021-02-02
    assert partial_periods(timeline(loaded, Filters(), "month", "region")) == ["2020-01", "2021-02"]
    assert partial_periods(timeline(loaded, Filters(), "quarter", "region")) == [
        "2020 Q1",
        "2021 Q1",
    ]
    whole = Filters(date_from=dt.date(2020, 4, 1), date_to=dt.date(2020, 12, 31))
    assert partial_periods(timeline(loaded, whole, "quarter", "region")) == []


# ---------------------------------------------------------------------------------------------
# Rolling average and the spike rule


def test_rolling_mean_waits_for_a_full_window() -> None:
    result = rolling_mean(pd.Series([1.0, 2.0, 3.0, 4.0]), 3)
    assert np.isnan(result[0]) and np.isnan(result[1])
    assert result[2:].tolist() == [2.0, 3.0]


def test_monthly_rolling_average_is_twelve_months_trailing(loaded) -> None:
    totals = timeline(loaded, Filters(), "month", "region").totals
    rolling = dict(zip(totals["period"].dt.strftime("%Y-%m"), totals["kg_rolling"], strict=True))
    assert np.isnan(rolling["2020-11"])  # 11 months in view: no average yet
    assert rolling["2020-12"] == pytest.approx(760 / 12)  # 2020-01 .. 2020-12
    assert rolling["2021-01"] == pytest.approx(610 / 12)  # 2020-02 .. 2021-01: drops 150
    assert rolling["2021-02"] == pytest.approx(930 / 12)  # adds 320
    yearly = timeline(loaded, Filters(), "year", "region")
    assert yearly.window == 3 and yearly.totals["kg_rolling"].isna().all()  # only two years


def test_spike_rule_on_a_known_yearly_series() -> None:
    # Years 0-4: too few years before them. Year 5: previous five 10, 12, 9, 11, 10 -> median
    # 10; year-on-year changes are small, so the scale is the floor: twice the median is needed.
    values = pd.Series([10.0, 12, 9, 11, 10, 25, 10, 19])
    flags = spike_flags(values, pd.Series([5] * 8), "year")
    assert flags["baseline"].iloc[:4].isna().all()
    assert flags["spike"].tolist() == [False] * 5 + [True, False, False]
    assert flags["baseline"].iloc[5] == 10.0
    # too few seizures: a single big seizure does not make a spike
    few = spike_flags(values, pd.Series([5, 5, 5, 5, 5, 4, 5, 5]), "year")
    assert not few["spike"].any()


def test_spike_rule_compares_a_month_with_the_same_month_of_past_years() -> None:
    # A flat 10 with a usual 30 every March: a March of 30 is no spike, a 30 in June is.
    months = pd.date_range("2015-01-01", periods=48, freq="MS")
    values = pd.Series(np.where(months.month == 3, 30.0, 10.0))
    values.iloc[-7] = 30.0  # June of the fourth year
    flags = spike_flags(values, pd.Series([9] * 48), "month")
    assert flags["spike"].tolist().count(True) == 1 and bool(flags["spike"].iloc[-7])
    assert flags["baseline"].iloc[-7] == 10.0
    assert flags["baseline"].iloc[-10] == 30.0  # March: the median of past Marches


def test_spikes_in_the_timeline_totals(loaded) -> None:
    # two years of months: too short to judge any month
    totals = timeline(loaded, Filters(), "month", "region").totals
    assert not totals["kg_spike"].any() and totals["kg_baseline"].isna().all()


# ---------------------------------------------------------------------------------------------
# Official totals beside the events


def test_official_by_year_never_added(with_official) -> None:
    frame = official_by_year(with_official, Filters()).set_index("year")
    assert list(frame.index) == [2020, 2021, 2022, 2023]
    assert frame.loc[2020, "official_kg"] == 1400.0 and frame.loc[2020, "events_kg"] == 760.0
    assert frame.loc[2020, "coverage"] == pytest.approx(760 / 1400)
    assert frame.loc[2021, "official_kg"] == 1100.0 and frame.loc[2021, "events_kg"] == 320.0
    assert frame.loc[2021, "countries_reporting"] == 2
    assert np.isnan(frame.loc[2022, "official_kg"])  # nobody reported: not 0
    assert np.isnan(frame.loc[2022, "coverage"]) and frame.loc[2022, "events_kg"] == 0.0
    assert frame.loc[2023, "coverage"] == 0.0
    # the event sums are the events alone, as in the timeline
    years = timeline(with_official, Filters(), "year", "region").totals
    assert by_period(years) == {"2020-01-01": 760.0, "2021-01-01": 320.0}


def test_official_by_year_same_places_and_drugs(with_official) -> None:
    latin = official_by_year(with_official, Filters(regions=("latin_america",))).set_index("year")
    assert latin.loc[2020, ["official_kg", "events_kg"]].tolist() == [1000.0, 150.0]
    assert latin.loc[2021, "coverage"] == pytest.approx(320 / 600)
    hcl = official_by_year(with_official, Filters(drugs=("cocaine_hcl",))).set_index("year")
    assert hcl.loc[2020, ["official_kg", "events_kg"]].tolist() == [1000.0, 700.0]
    assert hcl.loc[2021, ["official_kg", "events_kg"]].tolist() == [1100.0, 300.0]
    west = official_by_year(with_official, Filters(regions=("west_africa",)))
    assert west["year"].tolist() == [2020] and west["coverage"].tolist() == [0.5]
    assert official_by_year(with_official, Filters(countries=("DOM",))).empty
    later = official_by_year(with_official, Filters(date_from=dt.date(2021, 1, 1)))
    assert later["year"].tolist() == [2021, 2022, 2023]


def test_official_comparison_ignores_conveyance_and_says_so(with_official) -> None:
    containers = Filters(conveyances=("container",))
    pd.testing.assert_frame_equal(
        official_by_year(with_official, containers), official_by_year(with_official, Filters())
    )
    assert any("no conveyance" in note for note in official_notes(containers))
    assert official_notes(Filters()) == []
    cut = official_notes(Filters(date_from=dt.date(2020, 6, 1)))
    assert len(cut) == 1 and "whole years" in cut[0]


def test_no_official_totals_loaded(loaded) -> None:
    assert not timelines.official_loaded(loaded)
    assert official_by_year(loaded, Filters()).empty


# ---------------------------------------------------------------------------------------------
# Figures: exactly the numbers drawn


def test_timeline_chart_draws_its_table(loaded) -> None:
    line = timeline(loaded, Filters(), "quarter", "region")
    chart = charts.timeline_chart(line, "kg", "test source")
    bars = [t for t in chart.figure.data if t.type == "bar"]
    assert [b.name for b in bars] == ["Latin America", "Europe", "West Africa", "Caribbean"]
    assert chart.data["Period"].tolist() == ["2020 Q1", "2020 Q2", "2020 Q3", "2020 Q4", "2021 Q1"]
    for bar in bars:  # below 10 t, kilograms
        assert list(bar.y) == chart.data[f"{bar.name} (kg)"].tolist()
    assert chart.data["Total (kg)"].tolist() == [160.0, 200.0, 0.0, 400.0, 320.0]
    stacked = np.sum([b.y for b in bars], axis=0)
    assert stacked.tolist() == chart.data["Total (kg)"].tolist()
    rolling = next(t for t in chart.figure.data if t.type == "scatter" and t.mode == "lines")
    assert np.isnan(rolling.y[:3]).all() and rolling.y[3] == pytest.approx(190.0)  # 760 / 4
    assert "Cocaine seized per quarter, by region (kg)" in chart.figure.layout.title.text
    assert any("test source" in a.text for a in chart.figure.layout.annotations)
    assert chart.figure.layout.barmode == "stack"
    assert bars[0].marker.color == "#E69F00"  # figures.REGION_COLOURS['latin_america']


def test_timeline_chart_marks_spikes_with_a_symbol_and_label() -> None:
    periods = pd.date_range("2020-01-01", periods=24, freq="QS")
    values = [10.0] * 24
    values[13], values[19] = 25.0, 50.0
    series = pd.DataFrame({"period": periods, "group": "crack", "kg": values, "seizures": [5] * 24})
    line = timelines.Timeline(
        grain="quarter",
        by="drug",
        series=series,
        totals=timelines.timeline_totals(series, "quarter"),
        window=4,
        first_day=dt.date(2020, 1, 1),
        last_day=dt.date(2025, 12, 31),
    )
    chart = charts.timeline_chart(line, "kg", "s")
    spikes = next(t for t in chart.figure.data if t.name and t.name.startswith("Spike"))
    assert spikes.marker.symbol == "triangle-down" and spikes.mode == "markers+text"
    assert list(spikes.text) == ["2.5×", "5.0×"]
    assert list(spikes.y) == [25.0, 50.0]
    assert "same quarter in the previous years" in spikes.hovertemplate
    assert "same quarter in the past 5 years" in chart.figure.layout.title.subtitle.text
    column = chart.data["Spike (× median of the same quarter, previous years)"].tolist()
    assert column == [""] * 13 + ["2.5×"] + [""] * 5 + ["5.0×"] + [""] * 4
    counts = charts.timeline_chart(line, "seizures", "s")
    assert "Number of seizure events per quarter" in counts.figure.layout.title.text
    assert counts.data["Total (seizures)"].tolist() == [5] * 24


def test_spike_after_nothing_is_labelled_new() -> None:
    periods = pd.date_range("2015-01-01", periods=7, freq="YS")
    series = pd.DataFrame(
        {"period": periods, "group": "vessel", "kg": [0.0] * 6 + [80], "seizures": [0] * 6 + [6]}
    )
    totals = timelines.timeline_totals(series, "year")
    assert totals["kg_spike"].tolist() == [False] * 6 + [True]
    line = timelines.Timeline("year", "conveyance", series, totals, 3, None, None)
    spikes = next(
        t
        for t in charts.timeline_chart(line, "kg", "s").figure.data
        if t.name and t.name.startswith("Spike")
    )
    assert list(spikes.text) == ["new"]


def test_official_chart_hatched_beside_solid(with_official) -> None:
    chart = charts.official_chart(official_by_year(with_official, Filters()), "UNODC; test")
    official, events = chart.figure.data
    assert official.marker.pattern.shape == "/" and events.marker.pattern.shape is None
    assert chart.figure.layout.barmode == "group"  # side by side, never stacked
    assert list(events.text) == ["54%", "29%", "no total", "0%"]
    assert chart.data["UNODC official total (kg)"].tolist()[:2] == [1400.0, 1100.0]
    assert chart.data["Loaded seizure events (kg)"].tolist() == [760.0, 320.0, 0.0, 0.0]
    assert chart.data["Events as share of official (%)"].tolist()[:2] == [54.3, 29.1]


# ---------------------------------------------------------------------------------------------
# The page through the router (AppTest)


def chart_tables(app) -> list[pd.DataFrame]:
    return [t.value for t in app.dataframe]


def test_page_renders_demo_with_link_parameters(store_path: Path) -> None:
    app = run_page(
        "pages/timelines.py", query={"grain": "year", "by": "drug", "region": "caribbean"}
    )
    assert app.title[0].value == "Timelines"
    assert app.segmented_control(key="timelines_grain").value == "year"
    assert app.selectbox(key="timelines_by").value == "drug"
    assert len(app.get("plotly_chart")) == 1
    table = chart_tables(app)[0]
    expected = timeline(DuckDBStore(store_path), Filters(regions=("caribbean",)), "year", "drug")
    assert table["Period"].tolist() == [str(p.year) for p in expected.totals["period"]]
    unit = "t" if expected.totals["kg"].max() >= 10_000 else "kg"
    divisor = 1000 if unit == "t" else 1
    assert table[f"Total ({unit})"].tolist() == pytest.approx(
        (expected.totals["kg"] / divisor).round(3).tolist()
    )
    assert (
        "Cocaine hydrochloride (t)" in table.columns
        or "Cocaine hydrochloride (kg)" in table.columns
    )
    captions = " ".join(c.value for c in app.caption)
    assert "3-year rolling average" in captions and "Spike" in captions
    assert "python -m crimjust_data import <UNODC export>" in captions  # none loaded
    # changing the grain writes it to the link
    app.segmented_control(key="timelines_grain").set_value("month").run()
    assert not app.exception
    assert app.query_params["grain"] in ("month", ["month"])
    assert chart_tables(app)[0]["Period"].iloc[0] == "2015-01"


def test_invalid_grain_in_link_falls_back_with_a_notice(store_path: Path) -> None:
    app = run_page("pages/timelines.py", query={"grain": "weekly", "measure": "both"}, tables=False)
    assert any("grain=weekly" in as_shown(w.value) for w in app.warning)
    assert app.segmented_control(key="timelines_grain").value == "quarter"
    assert len(app.get("plotly_chart")) == 2  # kg and seizures


def test_empty_selection_shows_the_info_message(store_path: Path) -> None:
    app = run_page("pages/timelines.py", query={"country": "ESP", "region": "caribbean"})
    assert any("No seizures in the current selection" in i.value for i in app.info)
    assert len(app.get("plotly_chart")) == 0


def test_page_on_fixture_with_official_totals(with_official) -> None:
    # a store that already holds data is not seeded with the demo
    app = run_page("pages/timelines.py", query={"grain": "year", "conveyance": "container"})
    assert len(app.get("plotly_chart")) == 2
    tables = chart_tables(app)
    assert tables[0]["Total (kg)"].tolist() == [500.0, 300.0]  # containers: S1 + S5, S6
    official = tables[1]
    assert official["Year"].tolist() == [2020, 2021, 2022, 2023]
    # the conveyance filter is left out of the comparison, and the page says so
    assert official["Loaded seizure events (kg)"].tolist() == [760.0, 320.0, 0.0, 0.0]
    assert any("no conveyance" in c.value for c in app.caption)
