"""Country reference table, name matching in four languages, regions and geometry lookups."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from crimjust_data import countries
from crimjust_data.countries import (
    CRIMJUST_REGIONS,
    REGIONS,
    country_at,
    country_name,
    geometry,
    known_iso3,
    reference,
    region_of,
    resolve_country,
    suggest_countries,
)
from crimjust_data.vocabulary import REGION_LABELS


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        *[
            (t, "CIV")
            for t in (
                "Côte d'Ivoire",
                "Côte d’Ivoire",
                "Cote d'Ivoire",
                "COTE D IVOIRE",
                "Ivory Coast",
                "Costa de Marfil",
                "Costa do Marfim",
                "CI",
                "civ",
                "384",
                384,
            )
        ],
        *[
            (t, "CPV")
            for t in ("Cabo Verde", "Cape Verde", "Cap-Vert", "Cabo-Verde", " cabo  verde ")
        ],
        *[
            (t, "DOM")
            for t in ("República Dominicana", "Dominican Republic", "République dominicaine")
        ],
        *[(t, "BRA") for t in ("BRA", "Brazil", "Brasil", "Brésil", "br", "076", "76")],
        *[
            (t, "USA")
            for t in ("USA", "Estados Unidos", "États-Unis", "United States of America", "U.S.")
        ],
        *[(t, "NLD") for t in ("NLD", "Países Bajos", "Pays-Bas", "Holanda", "The Netherlands")],
        *[(t, "GBR") for t in ("GBR", "United Kingdom", "UK", "Great Britain", "Reino Unido")],
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("China, Hong Kong SAR", "HKG"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Guinea Bissau", "GNB"),
        ("Guiné-Bissau", "GNB"),
        ("The Gambia", "GMB"),
        ("Gambia, The", "GMB"),
        ("St. Kitts & Nevis", "KNA"),
        ("Saint Kitts and Nevis", "KNA"),
        ("El Salvador", "SLV"),
        ("Kosovo", "XKX"),
        ("NA", "NAM"),  # Namibia's ISO2 is not a missing value
    ],
)
def test_resolve_country(text: object, iso3: str) -> None:
    assert resolve_country(text) == iso3


def test_portuguese_name_of_dominican_republic() -> None:
    assert country_name("DOM", "pt") == "República Dominicana"
    assert resolve_country(country_name("DOM", "pt")) == "DOM"


@pytest.mark.parametrize(
    "text", ["Atlantis", "", "   ", None, "XXX", "9999", float("nan"), True, []]
)
def test_unknown_is_none(text: object) -> None:
    assert resolve_country(text) is None


def test_no_ambiguous_names_in_shipped_table() -> None:
    index, ambiguous = countries._name_index()
    assert ambiguous == {}
    assert len(index) > 1000


def test_suggestions() -> None:
    assert suggest_countries("Colmbia")[0] == "COL"
    assert suggest_countries("Cabo Verd")[0] == "CPV"
    assert len(suggest_countries("Guinea", limit=3)) <= 3
    assert suggest_countries("") == []


@pytest.mark.parametrize(
    ("iso3", "region"),
    [
        *[(c, "latin_america") for c in ("COL", "MEX", "PAN", "BRA", "GTM")],
        *[(c, "caribbean") for c in ("DOM", "JAM", "BRB", "CUB")],
        *[(c, "west_africa") for c in ("CPV", "NGA", "SEN", "GNB", "CIV")],
        ("CMR", "other"),  # Middle Africa: UNODC's 'West and Central Africa' is not West Africa
        ("ESP", "europe"),
        ("USA", "north_america"),
        ("CAN", "north_america"),
        ("ZZZ", "other"),
        ("col", "latin_america"),
    ],
)
def test_region_of(iso3: str, region: str) -> None:
    assert region_of(iso3) == region


def test_constants() -> None:
    assert CRIMJUST_REGIONS == ("latin_america", "caribbean", "west_africa")
    assert set(REGION_LABELS) == set(REGIONS)
    assert REGION_LABELS["west_africa"] == "West Africa"


def test_reference_table() -> None:
    table = reference()
    assert table["iso3"].is_unique
    assert (~table["withdrawn"]).sum() == 250  # ISO 3166-1 (249) plus Kosovo
    assert known_iso3() == frozenset(table["iso3"])
    assert table["crimjust_focus"].dtype == bool
    assert pd.api.types.is_float_dtype(table["latitude"])
    assert set(table["region"]) <= set(REGIONS)
    assert table.loc[table["iso3"] == "CIV", "m49"].item() == "384"
    assert table.loc[table["iso3"] == "NAM", "iso2"].item() == "NA"
    table.loc[0, "name_en"] = "changed"  # a copy: the cached table is untouched
    assert reference().loc[0, "name_en"] != "changed"


def test_focus_countries_have_names_in_four_languages() -> None:
    table = reference()
    focus = table[table["crimjust_focus"]]
    assert {"COL", "BRA", "PAN", "DOM", "CPV", "GHA", "NGA", "GNB"} <= set(focus["iso3"])
    for lang in ("en", "es", "fr", "pt"):
        assert (focus[f"name_{lang}"].str.len() > 0).all(), lang
    assert focus["latitude"].notna().all()


def test_country_name() -> None:
    assert country_name("CIV", "pt") == "Costa do Marfim"
    assert country_name("CPV", "fr") == country_name("CPV") == "Cabo Verde"  # UN usage since 2013
    assert country_name("COD") == "DR Congo"
    assert country_name("DOM", "es") == "República Dominicana"
    assert country_name("BRA", "pt_BR") == "Brasil"
    assert country_name("BRA", "de") == country_name("BRA", "en") == "Brazil"
    assert country_name("ZZZ") == "ZZZ"


def test_geometry_layer() -> None:
    layer = geometry()
    assert len(layer) == 258
    assert list(layer.columns) == ["iso3", "geometry"]
    assert layer.is_valid.all()
    for iso3 in ("BRB", "GRD", "CPV", "KNA"):
        assert iso3 in set(layer["iso3"])


def test_small_islands_have_centroids() -> None:
    table = reference().set_index("iso3")
    for iso3 in ("BRB", "GRD", "CPV", "KNA"):
        lat, lon = table.loc[iso3, ["latitude", "longitude"]]
        assert country_at(lat, lon) == iso3


def test_centroids_stay_on_the_main_landmass() -> None:
    table = reference().set_index("iso3")
    lat, lon = table.loc["FRA", ["latitude", "longitude"]]
    assert 42 <= lat <= 51 and -5 <= lon <= 8
    lat, lon = table.loc["USA", ["latitude", "longitude"]]
    assert 25 <= lat <= 49 and -125 <= lon <= -67


def test_country_at() -> None:
    assert country_at(4.6, -74.1) == "COL"  # Bogotá
    # Praia (14.9, -23.5) sits on Santiago's coast, just outside the 1:50m coastline: a few km of
    # tolerance finds it; a point inland is inside.
    assert country_at(14.9, -23.5, max_km=5) == "CPV"
    assert country_at(15.0, -23.6) == "CPV"
    assert country_at(66.0, 95.0) == "RUS"  # Siberia, in a polygon stored across 180°
    assert country_at(0.0, -30.0) is None  # mid-Atlantic


def test_country_at_sea_near_barbados() -> None:
    # Barbados' east coast is near 59.42°W; go 20 km further east.
    lat = 13.17
    lon = -59.42 + 20 / (111.32 * math.cos(math.radians(lat)))
    assert country_at(lat, lon) is None
    assert country_at(lat, lon, max_km=50) == "BRB"
    assert country_at(lat, lon, max_km=5) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Dominican Republic, abbreviated, without accents, in es/fr/pt/en (issue 19)
        ("Rep. Dominicana", "DOM"),
        ("Rép. dominicaine", "DOM"),
        ("Republica Dominicana", "DOM"),
        ("Dominican Rep.", "DOM"),
        ("Rep Dominicana", "DOM"),
        ("Rep. Dominicaa", "DOM"),
        ("Republique Dominicaine", "DOM"),
        ("Rep. Domin.", "DOM"),
        ("Dominicn Republic", "DOM"),
        # 'Republic', 'Islamic', 'Popular', 'Federal' shared with another name never make it close
        ("Rep. Islamica del Iran", "IRN"),
        ("Rép. pop. de Chine", "CHN"),
        ("Rep. Fed. Alemania", "DEU"),
        ("Rep. Dem. Pop. Lao", "LAO"),
        ("Dem. Rep. Congo", "COD"),
        ("Rep. Centroafr.", "CAF"),
        ("Rep. Gambia", "GMB"),
        ("Rep. Mali", "MLI"),
        ("Unted Kingdom", "GBR"),
    ],
)
def test_suggestions_for_abbreviated_names_offer_that_country_alone(
    text: str, expected: str
) -> None:
    suggested = suggest_countries(text)
    assert suggested == [expected], (text, suggested)
    assert "IND" not in suggest_countries(text, limit=10)


def test_suggestions_never_offer_a_country_sharing_few_letters() -> None:
    for text in ("Rep. Dominicana", "Rép. dominicaine", "Republica Dominicana", "Dominican Rep."):
        assert not {"IND", "MLI", "YEM", "PAK"} & set(suggest_countries(text, limit=10)), text
    assert suggest_countries("Dominicaine")[0] == "DOM"  # Dominica second: one letter apart
