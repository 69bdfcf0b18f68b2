"""Country profile: one country beside its region, on a fixture with hand-worked answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crimjust_data.metrics import Filters, wilson_interval
from crimjust_data.queries import profile
from crimjust_data.store import DuckDBStore, LoadRequest
from crimjust_data.views import comparison_tiles
from tests.conftest import cases_frame, run_page, seizures_frame
from tests.xss_corpus import as_shown

SEIZURES = seizures_frame(
    [
        ("S1", "2020-01-10", "CPV", "cocaine_hcl", 600.0, "vessel"),
        ("S2", "2021-06-01", "CPV", "cocaine_hcl", 400.0, "container"),
        ("S3", "2021-03-03", "SEN", "crack", 1000.0, "vessel"),
        ("S4", "2021-07-07", "GHA", "cocaine_hcl", 2000.0, "air"),
        ("S5", "2022-02-02", "BRA", "cocaine_hcl", 9000.0, "container"),
    ]
)
# Data end: 2021-12-01 (C2's verdict), so the prosecution cohort is the cases opened by
# 2020-12-01: C1 (CPV, charged after a month) and C3 (SEN, charged after 13 months: outside the
# 12-month window). C2 and C4 are too recent to judge.
# CPV: opened 2, charged 2, court outcomes 2 (C1 convicted, C2 acquitted); prosecution 1/1,
# conviction 1/2. West Africa adds SEN (C3, charged, pending) and GHA (C4, dismissed before any
# charge): opened 4, closed before charge 1, charged 3, court outcomes 2, convicted 1;
# prosecution 1/2, conviction 1/2.
# Time to verdict (Kaplan-Meier): C1 213 days (2020-02-01 to 2020-09-01), C2 153 days; C3 pending,
# censored at 609 days (2020-04-01 to 2021-12-01). CPV: S(153) = 1/2 -> median 153 days. West
# Africa: S(153) = 2/3, S(213) = 1/3 -> median 213 days.
CASES = cases_frame(
    [
        ("C1", "CPV", "S1", "2020-02-01", "2020-03-01", "2020-09-01", "convicted"),
        ("C2", "CPV", "S2", "2021-07-01", "2021-08-01", "2021-12-01", "acquitted"),
        ("C3", "SEN", "S3", "2020-04-01", "2021-05-01", None, "pending"),
        ("C4", "GHA", "S4", "2021-08-01", None, "2021-10-01", "dismissed"),
    ]
)


@pytest.fixture
def loaded(store):
    store.load_many(
        [LoadRequest("seizures", SEIZURES, "test"), LoadRequest("cases", CASES, "test")]
    )
    return store


def test_filters_for_country_and_region_keep_the_rest() -> None:
    sidebar = Filters(
        date_from=dt.date(2020, 1, 1), countries=("BRA",), regions=("europe",), drugs=("crack",)
    )
    assert profile.country_filters(sidebar, "CPV") == Filters(
        date_from=dt.date(2020, 1, 1), countries=("CPV",), drugs=("crack",)
    )
    assert profile.region_filters(sidebar, "CPV") == Filters(
        date_from=dt.date(2020, 1, 1), regions=("west_africa",), drugs=("crack",)
    )


def test_comparison_country_then_region(loaded) -> None:
    frame = profile.comparison(loaded, Filters(), "CPV")
    country, region = frame.iloc[0], frame.iloc[1]
    assert (country["region"], region["region"]) == ("Cabo Verde", "West Africa")
    assert country["seized_kg"] == 1000.0 and region["seized_kg"] == 4000.0
    assert (country["charged"], country["opened"]) == (2, 2)
    assert (region["charged"], region["opened"]) == (3, 4)
    assert (country["charged_in_window"], country["cohort"]) == (1, 1)
    assert (region["charged_in_window"], region["cohort"]) == (1, 2)
    assert (country["convicted"], country["court_outcome"]) == (1, 2)
    assert (region["convicted"], region["court_outcome"]) == (1, 2)
    assert (country["closed_before_charge"], region["closed_before_charge"]) == (0, 1)
    assert (country["prosecution_n"], region["prosecution_n"]) == (1, 2)
    assert region["prosecution_rate"] == pytest.approx(0.5)
    low, high = wilson_interval(1, 2)
    assert region["prosecution_low"] == pytest.approx(low) and region[
        "prosecution_high"
    ] == pytest.approx(high)
    assert bool(country["prosecution_low_confidence"])
    # Kaplan-Meier medians: 153 days (CPV), 213 days (West Africa, C3 censored at 609)
    assert country["median_days_to_verdict"] == pytest.approx(153.0)
    assert region["median_days_to_verdict"] == pytest.approx(213.0)
    assert (country["verdict_n"], country["pending"]) == (2, 0)
    assert (region["verdict_n"], region["pending"]) == (3, 1)
    # sidebar period applies to both rows
    later = profile.comparison(loaded, Filters(date_from=dt.date(2021, 1, 1)), "CPV")
    assert later.iloc[0]["seized_kg"] == 400.0 and later.iloc[1]["seized_kg"] == 3400.0
    # opened from 2021 on: every case too recent to judge, so no prosecution rate, not 0%
    assert later["prosecution_n"].tolist() == [0, 0]
    assert later["prosecution_rate"].isna().all()
    assert later["opened"].tolist() == [1, 2]  # C2; C2 and C4


def test_tiles_say_share_and_difference(loaded) -> None:
    tiles = {t.label: t for t in comparison_tiles(profile.comparison(loaded, Filters(), "CPV"))}
    assert tiles["Cocaine seized"].value == "1,000 kg"
    assert (
        tiles["Cocaine seized"].delta == "25% of West Africa"
        and tiles["Cocaine seized"].delta_color == "off"
    )
    assert tiles["Cases opened"].delta == "50% of West Africa"
    assert tiles["Prosecution rate"].value == "100.0%"  # 1 / 1
    assert tiles["Prosecution rate"].delta == "+50.0 pp vs West Africa"  # 1/1 vs 1/2
    assert "n = 1" in tiles["Prosecution rate"].help
    assert tiles["Conviction rate"].delta == "+0.0 pp vs West Africa"  # 1/2 in both
    assert "n = 2" in tiles["Conviction rate"].help
    assert tiles["Median time to verdict"].value.startswith("153 days")
    assert tiles["Median time to verdict"].delta == "-60 days vs West Africa"  # 153 - 213
    assert tiles["Median time to verdict"].delta_color == "inverse"
    # a place whose cases are all too recent: no rate, so no difference either
    later = comparison_tiles(
        profile.comparison(loaded, Filters(date_from=dt.date(2021, 1, 1)), "CPV")
    )
    prosecution = next(t for t in later if t.label == "Prosecution rate")
    assert (prosecution.value, prosecution.delta) == ("–", None)


def test_funnel_pair_and_default_country(loaded) -> None:
    funnel = profile.funnel_pair(loaded, Filters(), "CPV")
    by_group = {g: f["cases"].tolist() for g, f in funnel.groupby("region", sort=False)}
    # opened, closed before charge, charged, court outcome, convicted
    assert by_group == {"Cabo Verde": [2, 0, 2, 2, 1], "west_africa": [4, 1, 3, 2, 1]}
    assert funnel["stage"].tolist()[:5] == [
        "opened",
        "closed_before_charge",
        "charged",
        "court_outcome",
        "convicted",
    ]
    region = funnel[funnel["region"] == "west_africa"]
    assert region["share_of_opened"].tolist() == [1.0, 0.25, 0.75, 0.5, 0.25]
    assert profile.default_country(loaded, Filters()) == "BRA"
    assert (
        profile.default_country(loaded, Filters(regions=("europe",))) == "BRA"
    )  # places set aside
    assert profile.default_country(loaded, Filters(date_from=dt.date(2030, 1, 1))) is None


def test_page_through_the_router(store_path: Path) -> None:
    app = run_page("pages/profile.py", {"profile": "CPV"})
    assert app.selectbox(key="profile_country").value == "CPV"
    labels = {m.label for m in app.metric}
    assert {"Cocaine seized", "Seizure events", "Cases opened", "Prosecution rate"} <= labels
    assert any("West Africa" in (m.delta or "") for m in app.metric)
    subheaders = [s.value for s in app.subheader]
    assert subheaders == [
        "Prosecution and conviction beside West Africa",
        "Routes in and out",
        "Over time",
        "From case to conviction",
    ]
    assert len(app.get("plotly_chart")) >= 4


def test_page_defaults_to_the_largest_and_ignores_a_bad_link(store_path: Path) -> None:
    app = run_page("pages/profile.py", {"profile": "XYZ"}, tables=False)  # notice: first run
    assert any("profile=XYZ" in as_shown(w.value) for w in app.warning)
    largest = profile.default_country(DuckDBStore(store_path), Filters())
    assert app.selectbox(key="profile_country").value == largest


def test_page_with_nothing_for_the_country(loaded) -> None:
    # On the fixture, Cabo Verde has no crack seizures and no case linked to one.
    app = run_page("pages/profile.py", {"profile": "CPV", "drug": "crack"})
    assert "No seizures or cases for Cabo Verde" in app.info[0].value
    assert len(app.get("plotly_chart")) == 0 and len(app.metric) == 0
    app = run_page("pages/profile.py", {"profile": "CPV"})
    assert len(app.metric) == 6
    # fixture seizures report no route: that section says so instead of drawing an empty map
    assert [i.value for i in app.info] == [
        "No seizures with a reported route through Cabo Verde in the current selection. "
        "Widen the dates or clear some filters in the sidebar."
    ]
