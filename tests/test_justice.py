"""Justice outcomes: queries and charts on a tiny store with hand-worked answers, and the page.

The fixture (18 cases) and what it should give:

  COL (Latin America)  C1 charged, verdict after  60 days, convicted        cooperation none
                       C2 charged, verdict after 200 days, acquitted        mla_request
                       C3 charged, pending                                  none
                       C4 not charged, pending                              none
  DOM (Caribbean)      C5 charged, verdict after 366 days, convicted        joint_investigation
                       C6 charged, verdict after 1,826 days, convicted      extradition
  CPV (West Africa)    C7 not charged, dismissed after 90 days              none
  SEN (West Africa)    C8 not charged, pending                              (not recorded)
  ESP (Europe)         E1-E10: E1-E6 charged, all pending                   none

Funnel (opened, charged, verdict, convicted): Latin America 4, 3, 2, 1; Caribbean 2, 2, 2, 2;
West Africa 2, 0, 1, 0; Europe 10, 6, 0, 0.
Delays with a verdict: 60, 90, 200, 366, 1,826 -> median 200; 90-day bins: 0, 1, 2, 4 and the
overflow bin (>= 1,800) hold one case each. Latin America median (60 + 200) / 2 = 130,
Caribbean (366 + 1826) / 2 = 1,096, West Africa 90.
Cooperation: none 14 opened, 8 charged, 2 final, 1 convicted; any 3, 3, 3, 2; not recorded 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data import metrics
from crimjust_data.countries import country_name
from crimjust_data.figures import justice as charts
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
    (f"E{i}", "ESP", None, "2022-01-01", "2022-02-01" if i <= 6 else None, None, "pending", "none")
    for i in range(1, 11)
]
CASES = cases_frame([row[:7] for row in _ROWS]).assign(cooperation=[row[7] for row in _ROWS])
STAGES = ["opened", "charged", "verdict", "convicted"]


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


# ---------------------------------------------------------------------------------------------
# Queries


def test_funnel_counts_and_shares_per_region(loaded) -> None:
    frame = queries.attrition_funnel(loaded, Filters())
    assert list(dict.fromkeys(frame["region"])) == [
        "latin_america",
        "caribbean",
        "west_africa",
        "europe",
    ]
    cases = {r: g["cases"].tolist() for r, g in frame.groupby("region", sort=False)}
    assert cases == {
        "latin_america": [4, 3, 2, 1],
        "caribbean": [2, 2, 2, 2],
        "west_africa": [2, 0, 0, 0],  # dismissed before any charge: leaves at "charged"
        "europe": [10, 6, 0, 0],
    }
    assert frame["stage"].tolist()[:4] == STAGES
    latin = frame[frame["region"] == "latin_america"]
    assert latin["share_of_opened"].tolist() == [1.0, 0.75, 0.5, 0.25]
    assert latin["stage_label"].tolist() == ["Opened", "Charged", "Reached a verdict", "Convicted"]


def test_funnel_follows_the_sidebar_filters(loaded) -> None:
    west = queries.attrition_funnel(loaded, Filters(regions=("west_africa",)))
    assert set(west["region"]) == {"west_africa"} and west["cases"].tolist() == [2, 0, 0, 0]
    cape_verde = queries.attrition_funnel(loaded, Filters(countries=("CPV",)))
    assert cape_verde["cases"].tolist() == [1, 0, 0, 0]
    opened_2020 = queries.attrition_funnel(
        loaded, Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31))
    )
    assert set(opened_2020["region"]) == {"latin_america", "caribbean"}  # C6 opened in 2015
    assert opened_2020[opened_2020["region"] == "caribbean"]["cases"].tolist() == [1, 1, 1, 1]
    assert queries.attrition_funnel(loaded, Filters(countries=("BRA",))).empty


def test_country_rates_with_n_wilson_and_low_confidence(loaded) -> None:
    frame = queries.country_rates(loaded, Filters()).set_index("country_iso3")
    # regions in REGIONS order, then by name within a region
    assert list(frame.index) == ["COL", "DOM", "CPV", "SEN", "ESP"]
    assert frame.loc["CPV", "country"] == country_name("CPV")
    expected = {  # (charged, opened, convicted, final)
        "COL": (3, 4, 1, 2),
        "DOM": (2, 2, 2, 2),
        "CPV": (0, 1, 0, 1),
        "SEN": (0, 1, 0, 0),
        "ESP": (6, 10, 0, 0),
    }
    for iso3, (charged, opened, convicted, final) in expected.items():
        row = frame.loc[iso3]
        assert (row["prosecution_n"], row["conviction_n"]) == (opened, final)
        assert (row["charged"], row["convicted"]) == (charged, convicted)
        assert row["prosecution_rate"] == pytest.approx(charged / opened)
        low, high = wilson_interval(charged, opened)
        assert (row["prosecution_low"], row["prosecution_high"]) == (
            pytest.approx(low),
            pytest.approx(high),
        )
        assert bool(row["prosecution_low_confidence"]) == (opened < 10)
    assert frame.loc["COL", "conviction_rate"] == pytest.approx(0.5)
    low, high = wilson_interval(1, 2)
    assert frame.loc["COL", "conviction_low"] == pytest.approx(low)
    assert frame.loc["COL", "conviction_high"] == pytest.approx(high)
    assert pd.isna(frame.loc["SEN", "conviction_rate"])  # no final outcome: no rate, n = 0
    assert not frame.loc["ESP", "prosecution_low_confidence"]  # n = 10 is enough


def test_verdict_delay_bins_and_medians(loaded) -> None:
    bins = queries.verdict_delay_bins(loaded, Filters(), bin_days=90, cap_days=1800)
    assert len(bins) == 21  # 20 bins of 90 days, then '1,800 days or more'
    assert bins["from_days"].tolist() == list(range(0, 1801, 90))
    assert bins["to_days"].iloc[0] == 90 and pd.isna(bins["to_days"].iloc[-1])
    assert bins["overflow"].tolist() == [False] * 20 + [True]
    counts = dict(zip(bins["from_days"], bins["cases"], strict=True))
    assert {start: n for start, n in counts.items() if n} == {0: 1, 90: 1, 180: 1, 360: 1, 1800: 1}
    assert bins["cases"].sum() == 5
    wide = queries.verdict_delay_bins(loaded, Filters(), bin_days=365, cap_days=730)
    assert wide["cases"].tolist() == [3, 1, 1]  # 60, 90, 200 | 366 | 1,826
    with pytest.raises(ValueError, match="multiple"):
        queries.verdict_delay_bins(loaded, Filters(), bin_days=90, cap_days=1000)

    medians = queries.verdict_delay_medians(loaded, Filters()).set_index("region")
    assert list(medians.index) == ["all", "latin_america", "caribbean", "west_africa", "europe"]
    assert medians.loc["all", "median_days_to_verdict"] == pytest.approx(200.0)
    assert (
        medians.loc["all", "median_days_to_verdict"]
        == headline(loaded, Filters()).median_days_to_verdict
    )
    assert medians.loc["latin_america", "median_days_to_verdict"] == pytest.approx(130.0)
    assert medians.loc["caribbean", "median_days_to_verdict"] == pytest.approx(1096.0)
    assert medians.loc["west_africa", "median_days_to_verdict"] == pytest.approx(90.0)
    assert medians["verdict"].tolist() == [5, 2, 2, 1, 0]
    assert pd.isna(medians.loc["europe", "median_days_to_verdict"])


def test_verdict_delays_empty_selection(loaded) -> None:
    bins = queries.verdict_delay_bins(loaded, Filters(countries=("BRA",)))
    assert len(bins) == 21 and bins["cases"].sum() == 0
    medians = queries.verdict_delay_medians(loaded, Filters(countries=("BRA",)))
    assert medians["region"].tolist() == ["all"] and medians["verdict"].tolist() == [0]


def test_cooperation_split(loaded) -> None:
    frame = queries.cooperation_outcomes(loaded, Filters()).set_index("cooperation")
    assert list(frame.index) == [
        "none",
        "any",
        "mla_request",
        "joint_investigation",
        "extradition",
        "not_recorded",
    ]
    counts = frame[["opened", "charged", "final", "convicted"]]
    assert counts.loc["none"].tolist() == [14, 8, 2, 1]
    assert counts.loc["any"].tolist() == [3, 3, 3, 2]
    assert counts.loc["mla_request"].tolist() == [1, 1, 1, 0]
    assert counts.loc["not_recorded"].tolist() == [1, 0, 0, 0]
    assert frame.loc["any", "conviction_rate"] == pytest.approx(2 / 3)
    low, high = wilson_interval(2, 3)
    assert frame.loc["any", "conviction_low"] == pytest.approx(low)
    assert frame.loc["any", "conviction_high"] == pytest.approx(high)
    assert frame.loc["none", "prosecution_rate"] == pytest.approx(8 / 14)
    assert not frame.loc["none", "prosecution_low_confidence"]
    assert frame.loc["none", "conviction_low_confidence"]  # n = 2

    by_region = queries.cooperation_by_region(loaded, Filters())
    keyed = by_region.set_index(["region", "cooperation"])
    assert keyed.loc[
        ("latin_america", "none"), ["opened", "charged", "final", "convicted"]
    ].tolist() == [
        3,
        2,
        1,
        1,
    ]
    assert keyed.loc[("latin_america", "any"), "conviction_n"] == 1
    assert keyed.loc[("caribbean", "any"), "conviction_rate"] == 1.0
    assert ("caribbean", "none") not in keyed.index
    assert keyed.loc[("west_africa", "not_recorded"), "opened"] == 1


# ---------------------------------------------------------------------------------------------
# Charts: the table holds exactly what is drawn


def test_funnel_chart_draws_one_funnel_per_region(loaded) -> None:
    chart = charts.funnel_chart(queries.attrition_funnel(loaded, Filters()), "test source")
    funnels = [t for t in chart.figure.data if t.type == "funnel"]
    assert [t.name for t in funnels] == ["Latin America", "Caribbean", "West Africa", "Europe"]
    assert list(funnels[0].x) == [4, 3, 2, 1]
    assert list(funnels[0].text) == ["4 (100%)", "3 (75%)", "2 (50%)", "1 (25%)"]
    assert chart.data.columns.tolist() == ["Region", "Stage", "Cases", "% of cases opened"]
    assert chart.data["Cases"].tolist()[:4] == [4, 3, 2, 1]
    assert chart.data["% of cases opened"].tolist()[:4] == [100.0, 75.0, 50.0, 25.0]
    texts = " ".join(str(a.text) for a in chart.figure.layout.annotations)
    assert "Source: test source" in texts and "4 cases opened" in texts
    assert "Attrition" in chart.figure.layout.title.text


@pytest.mark.parametrize("rate", ["prosecution", "conviction"])
def test_country_chart_low_n_hollow_and_labelled(loaded, rate: str) -> None:
    rates = queries.country_rates(loaded, Filters())
    overall = getattr(headline(loaded, Filters()), rate)
    chart = charts.country_rates_chart(rates, rate, "test source", overall)
    points = {}
    for trace in chart.figure.data:
        for y, x, symbol in zip(trace.y, trace.x, trace.marker.symbol, strict=True):
            points[y.split(" · ")[0]] = (x, symbol, y)
    if rate == "prosecution":
        assert set(points) == {
            "Colombia",
            "Dominican Republic",
            country_name("CPV"),
            "Senegal",
            "Spain",
        }
        x, symbol, label = points["Spain"]
        assert x == pytest.approx(60.0) and symbol == "circle" and "low n" not in label
        assert label == "Spain · n = 10"
    else:  # Senegal and Spain have no final outcome: nothing to draw, and said so
        assert set(points) == {"Colombia", "Dominican Republic", country_name("CPV")}
        assert "2 countries with no case" in chart.figure.layout.title.subtitle.text
    x, symbol, label = points["Colombia"]
    assert symbol.endswith("-open") and "low n" in label  # hollow AND labelled
    table = chart.data.set_index("ISO3")
    title = charts.RATE_LABELS[rate]
    assert set(table.index) == {k for k in ("COL", "DOM", "CPV", "SEN", "ESP") if k in table.index}
    successes, n = (3, 4) if rate == "prosecution" else (1, 2)
    low, high = wilson_interval(successes, n)
    assert table.loc["COL", f"{title} (%)"] == round(successes / n * 100, 1)
    assert table.loc["COL", f"{title} 95% CI low (%)"] == round(low * 100, 1)
    assert table.loc["COL", f"{title} 95% CI high (%)"] == round(high * 100, 1)
    assert table.loc["COL", charts.RATE_PARTS[rate][1]] == n
    assert bool(table.loc["COL", f"{title} low confidence (n < 10)"])
    # the error bars drawn are the Wilson bounds
    trace = next(t for t in chart.figure.data if any(y.startswith("Colombia") for y in t.y))
    i = next(i for i, y in enumerate(trace.y) if y.startswith("Colombia"))
    assert trace.x[i] + trace.error_x.array[i] == pytest.approx(high * 100)
    assert trace.x[i] - trace.error_x.arrayminus[i] == pytest.approx(low * 100)


def test_country_chart_rejects_an_unknown_rate(loaded) -> None:
    with pytest.raises(ValueError, match="rate must be one of"):
        charts.country_rates_chart(queries.country_rates(loaded, Filters()), "speed", "s")


def test_verdict_delay_chart_marks_the_median(loaded) -> None:
    chart = charts.verdict_delay_chart(
        queries.verdict_delay_bins(loaded, Filters()),
        queries.verdict_delay_medians(loaded, Filters()),
        "test source",
    )
    bars = next(t for t in chart.figure.data if t.type == "bar")
    assert list(bars.y) == [1, 1, 1, 0, 1] + [0] * 15 + [1]
    assert bars.marker.pattern.shape[-1] == "/"  # the open-ended bin is hatched
    lines = [s for s in chart.figure.layout.shapes if s.type == "line"]
    assert any(s.x0 == 200.0 for s in lines)
    assert any("median 200 days" in str(a.text) for a in chart.figure.layout.annotations)
    strip = next(t for t in chart.figure.data if t.type == "scatter")
    assert list(strip.x) == [130.0, 1096.0, 90.0]  # Europe has no verdict: no median drawn
    medians = chart.data[chart.data["Series"] == "Median"].set_index("Region")
    assert medians.loc["All in selection", "Median days to verdict"] == 200.0
    assert medians.loc["Caribbean", "Cases with a verdict"] == 2
    hist = chart.data[chart.data["Series"] == "Cases per bin"]
    assert hist["Cases with a verdict"].sum() == 5 and len(hist) == 21


def test_cooperation_charts_tables_match_the_queries(loaded) -> None:
    outcomes = queries.cooperation_outcomes(loaded, Filters())
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
    assert row["Cases with a final outcome (n)"] == 3
    assert "Association, not effect" in chart.figure.layout.title.subtitle.text
    conviction = next(t for t in chart.figure.data if t.name == "Conviction rate")
    assert conviction.marker.symbol[1] == "diamond-open"  # n = 3: hollow
    assert "3 low n" in conviction.x[1]  # ...and labelled
    # Not recorded has no final outcome: no conviction marker there
    assert pd.isna(conviction.y[-1])

    region_chart = charts.cooperation_region_chart(
        queries.cooperation_by_region(loaded, Filters()), "test source"
    )
    table = region_chart.data
    assert "Not recorded" not in set(table["Cooperation"])
    assert len(table) == len(region_chart.figure.data[0].x) + len(region_chart.figure.data[1].x)


# ---------------------------------------------------------------------------------------------
# The page, through the router (AppTest)


def _page(store_path: Path, query: dict | None = None):
    store = DuckDBStore(store_path)
    store.load_many(
        [LoadRequest("seizures", SEIZURES, "test"), LoadRequest("cases", CASES, "test")]
    )
    return run_page("pages/justice.py", query=query)


def _charts(app) -> int:
    return len(app.get("plotly_chart"))


def test_page_renders_every_chart_with_its_numbers(store_path: Path) -> None:
    app = _page(store_path)
    assert app.title[0].value == "Justice outcomes"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Cases opened"] == "18"
    assert metrics["Prosecution rate"] == "61.1%"  # 11 / 18
    assert metrics["Conviction rate"] == "60.0%"  # 3 / 5
    assert metrics["Median time to verdict"] == "200 days"
    assert _charts(app) == 5
    keys = [e.key for e in app.get("plotly_chart")]
    assert all(k.startswith("justice_") for k in keys)
    assert app.radio(key="justice_rate").value == "prosecution"
    tables = {tuple(t.value.columns)[:2]: t.value for t in app.dataframe}
    funnel = tables[("Region", "Stage")]
    assert funnel["Cases"].tolist()[:4] == [4, 3, 2, 1]
    assert any("Association, not effect" in i.value for i in app.info)


@pytest.mark.parametrize(
    ("query", "opened", "regions"),
    [
        ({"region": ["west_africa"]}, "2", {"West Africa"}),
        ({"country": ["CPV"]}, "1", {"West Africa"}),
        ({"region": ["latin_america", "caribbean"]}, "6", {"Latin America", "Caribbean"}),
    ],
)
def test_page_follows_url_filters(store_path: Path, query: dict, opened: str, regions) -> None:
    app = _page(store_path, query)
    assert {m.label: m.value for m in app.metric}["Cases opened"] == opened
    funnel = next(t.value for t in app.dataframe if "Stage" in t.value.columns)
    assert set(funnel["Region"]) == regions
    assert _charts(app) == 5


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
    app = _page(store_path, {"rate": "speed"})
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
    assert "justice_country_rates" not in [e.key for e in app.get("plotly_chart")]
    assert any("No cases with a verdict" in i.value for i in app.info)  # Spain: all pending
    keys = [e.key for e in app.get("plotly_chart")]
    assert keys == ["justice_funnel", "justice_cooperation", "justice_cooperation_region"]


def test_page_on_the_demo_data(store_path: Path) -> None:
    app = run_page("pages/justice.py")  # the first run seeds the demo data
    assert _charts(app) == 5
    expected = headline(DuckDBStore(store_path), Filters())
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Cases opened"] == f"{expected.cases_opened:,}"
    assert isinstance(expected.prosecution, Rate)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(regions=("latin_america", "caribbean")),
        Filters(date_from=dt.date(2019, 12, 15), date_to=dt.date(2021, 2, 10)),
        Filters(drugs=("cocaine_hcl",)),
        Filters(countries=("ESP",)),
        Filters(regions=("north_america",)),
    ],
)
def test_page_tables_are_the_functions_frames(loaded, filters: Filters) -> None:
    """The page's one grouped read gives each function's frame exactly (both backends)."""
    tables = queries.page_tables(loaded, filters)
    assert tables.headline == headline(loaded, filters)
    expected = {
        "funnel": queries.attrition_funnel(loaded, filters),
        "country_rates": queries.country_rates(loaded, filters),
        "bins": queries.verdict_delay_bins(loaded, filters),
        "medians": queries.verdict_delay_medians(loaded, filters),
        "cooperation": queries.cooperation_outcomes(loaded, filters),
        "cooperation_by_region": queries.cooperation_by_region(loaded, filters),
    }
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(getattr(tables, name), frame, check_exact=True, obj=name)
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


def test_with_rates_gives_rate_and_wilson_numbers_exactly() -> None:
    """The whole-column rates are Rate's value and wilson_interval's bounds to the last bit,
    None where nothing is counted, and an empty frame keeps the columns."""
    counts = [(0, 0), (0, 1), (1, 1), (3, 7), (9, 10), (123, 4567), (2_999_999, 3_000_001)]
    frame = pd.DataFrame(
        {
            "opened": [n for _, n in counts],
            "charged": [s for s, _ in counts],
            "final": [0] * len(counts),
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
    assert rates["conviction_rate"].tolist() == [None] * len(counts)  # no final outcome at all
    empty = metrics.with_rates(frame.iloc[:0].copy())
    assert empty.empty and "conviction_low_confidence" in empty.columns
    with pytest.raises(ValueError, match="successes <= n"):
        metrics.with_rates(frame.assign(charged=frame["opened"] + 1))
