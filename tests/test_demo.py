"""The synthetic demo generator: deterministic, valid against the schemas, and plausible."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from crimjust_data import countries, i18n, schemas
from crimjust_data.demo import DemoData, DemoParameterError, generate_demo
from crimjust_data.vocabulary import DEMO_ORIGIN, is_own_text, stored_text
from tests.conftest import SHARED_UNODC

END = date(2025, 6, 30)
CRIMJUST_REGIONS = ("latin_america", "caribbean", "west_africa")
needs_real = pytest.mark.skipif(
    not SHARED_UNODC.exists(),
    reason="real dataUNODC export not found at ../shared/data/unodc/ beside the repository",
)


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(seed=7, seizures=3000, cases=1500, end=END)


def test_same_seed_gives_identical_frames() -> None:
    first = generate_demo(seed=11, seizures=500, cases=250, end=END)
    second = generate_demo(seed=11, seizures=500, cases=250, end=END)
    pdt.assert_frame_equal(first.seizures, second.seizures)
    pdt.assert_frame_equal(first.cases, second.cases)
    assert first.source == second.source == "CRIMJUST synthetic demo data (seed 11)"


def test_different_seed_gives_different_data() -> None:
    first = generate_demo(seed=11, seizures=500, cases=250, end=END)
    other = generate_demo(seed=12, seizures=500, cases=250, end=END)
    assert not np.array_equal(first.seizures["quantity_kg"], other.seizures["quantity_kg"])
    assert not first.seizures["country_iso3"].equals(other.seizures["country_iso3"])
    assert other.seizures["seizure_id"].iloc[0] == "DEMO-S12-0000001"


def test_sizes_columns_ids_and_source(demo: DemoData) -> None:
    seizures, cases = demo.seizures, demo.cases
    assert len(seizures) == 3000 and len(cases) == 1500
    assert tuple(seizures.columns) == schemas.COLUMNS["seizures"]
    assert tuple(cases.columns) == schemas.COLUMNS["cases"]
    assert seizures["seizure_id"].iloc[0] == "DEMO-S7-0000001"
    assert seizures["seizure_id"].iloc[-1] == "DEMO-S7-0003000"
    assert cases["case_id"].iloc[-1] == "DEMO-C7-0001500"
    assert seizures["seizure_id"].is_unique and cases["case_id"].is_unique
    assert (seizures["source"] == demo.source).all() and (cases["source"] == demo.source).all()
    assert demo.source == "CRIMJUST synthetic demo data (seed 7)"


def test_both_tables_pass_schema_validation(demo: DemoData) -> None:
    known = countries.known_iso3()
    schemas.validate_table("seizures", demo.seizures, known)
    schemas.validate_table("cases", demo.cases, known)


def test_dtypes_match_the_canonical_tables(demo: DemoData) -> None:
    seizures, cases = demo.seizures, demo.cases
    assert seizures["date"].dtype == "datetime64[ns]"
    for column in ("opened_date", "charged_date", "verdict_date"):
        assert cases[column].dtype == "datetime64[ns]"
    assert seizures["arrests"].dtype == "Int64"
    assert cases["defendants"].dtype == "Int64" and cases["convicted_persons"].dtype == "Int64"
    for column in ("quantity_kg", "latitude", "longitude"):
        assert seizures[column].dtype == "float64"
    for frame, column in ((seizures, "location"), (seizures, "origin_iso3"), (cases, "seizure_id")):
        assert frame[column].dtype == object
        assert {type(v) for v in frame[column]} <= {str, type(None)}
    assert all(
        isinstance(v, list) and all(isinstance(code, str) for code in v)
        for v in seizures["transit_iso3"]
    )


def test_values_are_in_range(demo: DemoData) -> None:
    seizures = demo.seizures
    assert set(seizures["drug"]) <= set(schemas.DRUGS)  # never coca leaf or bush
    assert set(seizures["conveyance"]) <= set(schemas.CONVEYANCES)
    assert (seizures["quantity_kg"] > 0).all()
    assert np.allclose(seizures["quantity_kg"], seizures["quantity_kg"].round(3))
    assert seizures["latitude"].between(-90, 90).all()
    assert seizures["longitude"].between(-180, 180).all()
    assert (seizures["arrests"] >= 0).all()
    assert seizures["date"].min() >= pd.Timestamp("2015-01-01")
    assert seizures["date"].max() <= pd.Timestamp(END)
    known = countries.known_iso3()
    codes = pd.concat([seizures["origin_iso3"], seizures["destination_iso3"]]).dropna()
    assert set(codes) | {c for route in seizures["transit_iso3"] for c in route} <= known


def test_seizure_country_is_on_its_route(demo: DemoData) -> None:
    seizures = demo.seizures
    for row in seizures.itertuples():
        route = [row.origin_iso3, *row.transit_iso3, row.destination_iso3]
        assert row.country_iso3 in route or not row.transit_iso3


def test_all_regions_have_seizures_and_latin_america_most_kg(demo: DemoData) -> None:
    seizures = demo.seizures.assign(region=demo.seizures["country_iso3"].map(countries.region_of))
    kg = seizures.groupby("region")["quantity_kg"].sum()
    for region in ("latin_america", "caribbean", "west_africa", "europe", "north_america"):
        assert kg.get(region, 0) > 0, region
    assert kg.idxmax() == "latin_america"
    assert kg["europe"] > kg["caribbean"]
    # The Caribbean has many small seizures, Europe big container ones.
    median = seizures.groupby("region")["quantity_kg"].median()
    assert median["europe"] > median["caribbean"]
    container = seizures[seizures["conveyance"] == "container"]["quantity_kg"].median()
    postal = seizures[seizures["conveyance"] == "postal"]["quantity_kg"].median()
    assert container > 100 and postal < 5


def test_drug_forms_follow_geography(demo: DemoData) -> None:
    seizures = demo.seizures
    producers = seizures["country_iso3"].isin(["COL", "PER", "BOL"])
    base = seizures["drug"] == "cocaine_base"
    assert base[producers].mean() > 0.2 > base[~producers].mean()
    crack = seizures[seizures["drug"] == "crack"]["country_iso3"]
    assert crack.isin(["BRA", "USA", "DOM", "JAM", "ARG", "CHL"]).mean() > 0.8
    assert (seizures["drug"] == "cocaine_hcl").mean() > 0.5


def test_trend_and_covid_dip(demo: DemoData) -> None:
    per_year = demo.seizures.groupby(demo.seizures["date"].dt.year).size()
    assert per_year[2024] > 1.5 * per_year[2015]
    quarter = demo.seizures["date"].dt.to_period("Q").value_counts()
    assert quarter[pd.Period("2020Q2")] < 0.8 * quarter[pd.Period("2020Q1")]


def test_case_dates_are_in_order_and_follow_the_seizure(demo: DemoData) -> None:
    cases = demo.cases
    charged, verdict = cases["charged_date"], cases["verdict_date"]
    assert (charged.isna() | (charged >= cases["opened_date"])).all()
    assert (verdict.isna() | (verdict >= cases["opened_date"])).all()
    assert (verdict.isna() | charged.isna() | (verdict >= charged)).all()
    assert cases[["opened_date", "charged_date", "verdict_date"]].max().max() <= pd.Timestamp(END)
    seizure_dates = demo.seizures.set_index("seizure_id")["date"]
    linked = cases.dropna(subset=["seizure_id"])
    assert linked["seizure_id"].isin(seizure_dates.index).all()
    assert (
        linked["opened_date"].to_numpy() >= seizure_dates[linked["seizure_id"]].to_numpy()
    ).all()
    assert 0.7 < len(linked) / len(cases) < 0.9
    unlinked = cases[cases["seizure_id"].isna()]
    assert unlinked["country_iso3"].isin(countries.known_iso3()).all()


def test_outcomes_stages_and_people_are_consistent(demo: DemoData) -> None:
    cases = demo.cases
    verdict = cases["verdict_date"].notna()
    charged = cases["charged_date"].notna()
    assert ((cases["outcome"] == "pending") == ~verdict).all()
    assert ((cases["stage"] == "closed") == verdict).all()
    assert (cases.loc[~verdict & ~charged, "stage"] == "investigation").all()
    assert cases.loc[~verdict & charged, "stage"].isin(["prosecution", "trial"]).all()
    assert set(cases.loc[verdict & ~charged, "outcome"]) == {"dismissed"}
    assert cases["defendants"].between(1, 8).all()
    assert (cases["defendants"] == 1).mean() > (cases["defendants"] >= 4).mean()
    convicted = cases["outcome"] == "convicted"
    assert (cases.loc[~convicted, "convicted_persons"] == 0).all()
    assert cases.loc[convicted, "convicted_persons"].between(1, 8).all()
    assert (cases.loc[convicted, "convicted_persons"] <= cases.loc[convicted, "defendants"]).all()
    assert cases.loc[convicted, "sentence_months"].between(24, 240).all()
    assert cases.loc[~convicted, "sentence_months"].isna().all()
    assert set(cases["outcome"]) == set(schemas.OUTCOMES)
    assert set(cases["stage"]) == set(schemas.STAGES)


def test_recent_cases_are_still_pending(demo: DemoData) -> None:
    cases = demo.cases
    year = cases["opened_date"].dt.year
    pending = (cases["outcome"] == "pending").groupby(year).mean()
    assert pending[2024] > pending[2016] + 0.2


def test_conviction_and_prosecution_rates_differ_by_country(demo: DemoData) -> None:
    cases = demo.cases
    final = cases[cases["outcome"].isin(schemas.FINAL_OUTCOMES)]
    by_country = final.groupby("country_iso3")["outcome"].agg(
        n="size", rate=lambda s: (s == "convicted").mean()
    )
    rates = by_country[by_country["n"] >= 30]["rate"]
    assert len(rates) >= 5
    assert rates.max() - rates.min() > 0.15
    charged = cases.groupby("country_iso3")["charged_date"].agg(
        n="size", rate=lambda s: s.notna().mean()
    )
    charged = charged[charged["n"] >= 30]["rate"]
    assert charged.max() - charged.min() > 0.15


def test_cooperation_appears_and_helps(demo: DemoData) -> None:
    cases = demo.cases
    assert set(cases["cooperation"]) == set(schemas.COOPERATION)
    assert (cases["cooperation"] == "none").mean() > 0.5
    final = cases[cases["outcome"].isin(schemas.FINAL_OUTCOMES)]
    convicted = (final["outcome"] == "convicted").groupby(final["cooperation"] != "none").mean()
    assert convicted[True] > convicted[False]
    # Cooperation is likelier when the cocaine came from another region.
    seizures = demo.seizures.set_index("seizure_id")
    linked = cases.dropna(subset=["seizure_id"])
    origin = seizures.loc[linked["seizure_id"], "origin_iso3"].to_numpy()
    crossed = np.array(
        [
            o is not None and countries.region_of(o) != countries.region_of(c)
            for o, c in zip(origin, linked["country_iso3"], strict=True)
        ]
    )
    cooperating = (linked["cooperation"] != "none").to_numpy()
    assert cooperating[crossed].mean() > cooperating[~crossed].mean()


def test_no_seizures_still_gives_cases() -> None:
    data = generate_demo(seed=3, seizures=0, cases=50, end=END)
    assert len(data.seizures) == 0 and tuple(data.seizures.columns) == schemas.COLUMNS["seizures"]
    assert len(data.cases) == 50 and data.cases["seizure_id"].isna().all()
    schemas.validate_table("cases", data.cases, countries.known_iso3())


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(DemoParameterError, match="negative"):
        generate_demo(seizures=-1, end=END)
    with pytest.raises(DemoParameterError, match="before start"):
        generate_demo(start=date(2020, 1, 1), end=date(2019, 1, 1))
    with pytest.raises(DemoParameterError, match="future"):
        generate_demo(end=date(2999, 1, 1))


def test_end_defaults_to_today() -> None:
    data = generate_demo(seed=5, seizures=200, cases=100)
    assert data.seizures["date"].max() <= pd.Timestamp(date.today())


# ---------------------------------------------------------------------------------------------
# Calibration (issue 15), computed here from the frames, not with the product's metrics code.


@pytest.fixture(scope="module")
def official() -> pd.DataFrame:
    """The real dataUNODC export's cocaine totals (country_iso3, year, drug, quantity_kg)."""
    from crimjust_data.ingest.unodc import read_unodc_export

    return read_unodc_export(SHARED_UNODC).frame


def _kg_by_region(frame: pd.DataFrame, years: pd.Series) -> pd.Series:
    region = frame["country_iso3"].map(countries.region_of)
    kept = frame[years.between(2018, 2022) & region.isin(CRIMJUST_REGIONS)]
    return kept.groupby(region[kept.index])["quantity_kg"].sum().reindex(CRIMJUST_REGIONS)


@needs_real
@pytest.mark.parametrize("seed", [2016, 7, 1])
def test_event_kg_by_region_follows_the_official_shares(official: pd.DataFrame, seed: int) -> None:
    """Coverage (event kg / official kg, same years) is within a factor of 2 across the three
    regions: the demo's regional mix follows UNODC's, where Latin America holds ~98% of the kg."""
    first, last = int(official["year"].min()), int(official["year"].max())
    assert (first, last) == (2018, 2022)
    seizures = generate_demo(seed=seed, end=END).seizures  # the default sizes
    events = _kg_by_region(seizures, seizures["date"].dt.year)
    totals = _kg_by_region(official, official["year"].astype(int))
    coverage = events / totals
    assert coverage.notna().all() and (coverage > 0).all(), coverage
    assert coverage.max() / coverage.min() <= 2, coverage.round(3).to_dict()
    assert (coverage < 1).all(), coverage  # a sample of events, never more than the official kg


def test_caribbean_and_west_africa_hold_a_small_share_of_the_kg(demo: DemoData) -> None:
    """Without the real file: the official shares are ~1.5% (Caribbean) and ~0.7% (West
    Africa) of the three regions' kg; the demo stays in that range, with plausible events."""
    seizures = demo.seizures
    region = seizures["country_iso3"].map(countries.region_of)
    kg = seizures.groupby(region)["quantity_kg"].sum()
    share = kg.reindex(CRIMJUST_REGIONS) / kg.reindex(CRIMJUST_REGIONS).sum()
    assert share["latin_america"] > 0.9
    assert 0.002 < share["caribbean"] < 0.05 and 0.001 < share["west_africa"] < 0.05
    # smaller events there, not absurd ones: couriers in grams to kilograms, boats in hundreds
    for name in ("caribbean", "west_africa"):
        sizes = seizures.loc[region == name, "quantity_kg"]
        assert len(sizes) > 50 and sizes.max() < 5_000 and 1 < sizes.median() < 200, name
    assert seizures.loc[region == "latin_america", "quantity_kg"].max() <= 25_000


def _old_pending_share(cases: pd.DataFrame) -> tuple[float, int]:
    """Share of cases opened more than 5 years before the data's end that are still pending."""
    data_end = cases[["opened_date", "charged_date", "verdict_date"]].max().max()
    old = cases["opened_date"] < data_end - pd.DateOffset(years=5)
    pending = (
        cases["verdict_date"].isna()
        & (cases["outcome"] == "pending")
        & (cases["stage"] != "closed")
    )
    return float((pending & old).sum() / old.sum()), int(old.sum())


@pytest.mark.parametrize(("seed", "end"), [(2016, END), (7, date(2026, 12, 1)), (3, END)])
def test_few_old_cases_are_still_pending(seed: int, end: date) -> None:
    cases = generate_demo(seed=seed, end=end).cases
    share, old = _old_pending_share(cases)
    assert old > 500
    assert share < 0.05, share


def test_cases_end_but_young_ones_are_censored(demo: DemoData) -> None:
    """Every case ends in finite time (closed before charge, or a court outcome after a charge);
    the young ones are still open at the data's end, as the Kaplan-Meier estimate needs."""
    cases = demo.cases
    data_end = cases[["opened_date", "charged_date", "verdict_date"]].max().max()
    age = (data_end - cases["opened_date"]).dt.days
    pending = cases["outcome"] == "pending"
    assert pending[age < 365].mean() > 0.5
    assert 0.1 < pending[(age >= 365) & (age < 730)].mean() < 0.6
    assert pending[age >= 3 * 365].mean() < 0.1
    # closures before charge: dismissed with no charge date, mostly within a year or two
    closed_early = cases["verdict_date"].notna() & cases["charged_date"].isna()
    assert 0.15 < closed_early.mean() < 0.5
    assert (cases.loc[closed_early, "outcome"] == "dismissed").all()
    early_days = (cases["verdict_date"] - cases["opened_date"]).dt.days[closed_early]
    assert early_days.median() < 365
    # charges within months; court durations around a year, a long tail, nothing absurd
    charged = cases["charged_date"].notna()
    charge_days = (cases["charged_date"] - cases["opened_date"]).dt.days[charged]
    assert charge_days.median() < 180 and (charge_days < 365).mean() > 0.9
    judged = charged & cases["verdict_date"].notna()
    court_days = (cases["verdict_date"] - cases["charged_date"]).dt.days[judged]
    assert 180 < court_days.median() < 3 * 365
    assert court_days.quantile(0.95) > 2 * court_days.median()
    assert court_days.max() <= 10 * 365


# ---------------------------------------------------------------------------------------------
# The demo's own texts: stored in English, shown in the interface language


def test_every_text_the_demo_stores_is_shown_translated(demo: DemoData) -> None:
    stored = {
        demo.source,
        DEMO_ORIGIN.format(seed=7),
        *demo.activities["title"],
        *demo.activities["source"],
        *demo.activities["notes"].dropna(),
    }
    assert len(stored) > 10
    with i18n.using("es"):
        shown = {text: stored_text(text) for text in stored}
    assert all(is_own_text(text) for text in stored)
    assert all(shown[text] != text for text in stored), [t for t in stored if shown[t] == t]
    assert shown[demo.source] == "Datos sintéticos de demostración de CRIMJUST (semilla 7)"
    joint = next(t for t in stored if t.startswith("Joint investigation "))
    assert shown[joint].startswith("Investigación conjunta ")  # the places kept as they are
    assert shown[joint].split(" ", 2)[2] == joint.split(" ", 2)[2]
    with i18n.using("en"):
        assert all(stored_text(text) == text for text in stored)


@pytest.mark.parametrize(
    "text",
    [
        "Policía Nacional, informe 2023",  # people's own source: shown as entered
        "CRIMJUST synthetic demo data (seed x)",  # not what the demo writes
        "demo generator, seed 2016 (edited)",
        "",
    ],
)
def test_other_stored_texts_are_shown_as_entered(text: str) -> None:
    assert not is_own_text(text)
    with i18n.using("fr"):
        assert stored_text(text) == text
    assert stored_text(None) == ""


def test_a_dataunodc_source_keeps_its_file_name() -> None:
    with i18n.using("pt"):
        assert (
            stored_text("UNODC, Drug seizures (dataUNODC), file Seizures 2024.xlsx")
            == "UNODC, Drug seizures (dataUNODC), arquivo Seizures 2024.xlsx"
        )
