"""Historical and variant country names and codes, withdrawn ISO codes in the store, words that
mean 'no specific country', and 'did you mean' suggestions that never guess."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data import countries
from crimjust_data.countries import (
    REGIONS,
    country_name,
    geometry,
    is_not_a_country,
    known_iso3,
    reference,
    reference_digest,
    region_of,
    resolve_country,
    suggest_countries,
    withdrawn_iso3,
)
from crimjust_data.schemas import validate_table
from crimjust_data.store import LoadRequest, open_store

ENTITIES = {"ANT", "CSK", "DDR", "SCG", "SUN", "YMD", "YUG"}


def _cases(iso3: str, *texts: object) -> list[tuple[object, str]]:
    return [(text, iso3) for text in texts]


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        # entities that no longer exist: their own withdrawn code
        *_cases(
            "ANT",
            "Netherlands Antilles",
            "Antillas Neerlandesas",
            "Antilles néerlandaises",
            "Antilhas Holandesas",
            "Antilhas Neerlandesas",
            "NETHERLANDS ANTILLES",
            "ANT",
            "ant",
            "AN",
            "530",
            530,
            "532",
        ),
        *_cases(
            "SCG",
            "Serbia and Montenegro",
            "Serbia & Montenegro",
            "Serbia y Montenegro",
            "Serbie-et-Monténégro",
            "Serbie et Monténégro",
            "Sérvia e Montenegro",
            "SCG",
        ),
        *_cases(
            "SUN",
            "USSR",
            "U.S.S.R.",
            "URSS",
            "Soviet Union",
            "Union of Soviet Socialist Republics",
            "Unión Soviética",
            "Unión de Repúblicas Socialistas Soviéticas",
            "Union soviétique",
            "Union des républiques socialistes soviétiques",
            "União Soviética",
            "União das Repúblicas Socialistas Soviéticas",
            "SUN",
            "SU",
            "810",
        ),
        *_cases(
            "YUG",
            "Yugoslavia",
            "Yougoslavie",
            "Iugoslávia",
            "Jugoslávia",
            "Federal Republic of Yugoslavia",
            "Socialist Federal Republic of Yugoslavia",
            "République fédérale de Yougoslavie",
            "YUG",
            "YU",
            "890",
        ),
        *_cases(
            "CSK",
            "Czechoslovakia",
            "Checoslovaquia",
            "Tchécoslovaquie",
            "Tchecoslováquia",
            "Checoslováquia",
            "CSK",
            "200",
        ),
        *_cases(
            "DDR",
            "German Democratic Republic",
            "East Germany",
            "República Democrática Alemana",
            "Alemania Oriental",
            "République démocratique allemande",
            "Allemagne de l'Est",
            "Allemagne de l’Est",
            "República Democrática Alemã",
            "Alemanha Oriental",
            "GDR",
            "RDA",
            "DDR",
            "DD",
            "278",
        ),
        *_cases("YMD", "South Yemen", "Yemen del Sur", "Yémen du Sud", "Iêmen do Sul", "YMD"),
        # former names and codes of states that still exist: their current code
        *_cases("MMR", "Burma", "Birmania", "Birmanie", "Birmânia", "BUR", "BU", "Myanmar"),
        *_cases("COD", "Zaire", "Zaïre", "República del Zaire", "ZAR", "ZR", "Rép. dém. du Congo"),
        *_cases("TLS", "East Timor", "Timor Oriental", "Timor oriental", "TMP", "TP"),
        *_cases("SWZ", "Swaziland", "Suazilandia", "Suazilândia", "Eswatini"),
        *_cases("ROU", "ROM", "ROU", "Romania"),
        *_cases("BLR", "Byelorussian SSR", "Byelorussia", "BY"),
        *_cases("FRA", "FXX", "FX", "Metropolitan France", "France métropolitaine"),
        *_cases("BFA", "Upper Volta", "Haute-Volta", "Alto Volta"),
        *_cases("BEN", "Dahomey", "Daomé"),
        *_cases("DEU", "West Germany", "Alemania Occidental", "Allemagne de l'Ouest", "RFA"),
        *_cases(
            "LBY",
            "Libyan Arab Jamahiriya",
            "Jamahiriya Árabe Libia",
            "Jamahiriya arabe libyenne",
            "Jamahiriya Árabe Líbia",
            "Libya",
        ),
        *_cases(
            "MAC",
            "Macau, SAR of China",
            "Macao, SAR of China",
            "Macao SAR",
            "Macau SAR",
            "China, Macao SAR",
            "China, Macao Special Administrative Region",
            "Macao, RAE de China",
            "RAE de Macao (China)",
            "Macao, RAS de Chine",
            "R.A.S. chinoise de Macao",
            "Macau, RAE da China",
            "Macau",
        ),
        *_cases(
            "HKG",
            "Hong Kong, SAR of China",
            "Hong Kong SAR",
            "China, Hong Kong SAR",
            "Hong Kong, RAE de China",
            "Hong Kong, RAS de Chine",
            "Hong Kong, RAE da China",
        ),
        *_cases(
            "MKD",
            "The former Yugoslav Republic of Macedonia",
            "Macedonia, FYR",
            "ex-République yougoslave de Macédoine",
            "ex República Yugoslava de Macedonia",
            "North Macedonia",
        ),
        *_cases("TUR", "Turkey", "Türkiye", "Turquía", "Turquie", "Turquia"),
        *_cases("CZE", "Czech Republic", "República Checa", "Rep. Checa", "République tchèque"),
        *_cases("CPV", "Cape Verde", "Cabo Verde", "Cap-Vert"),
        *_cases("CIV", "Ivory Coast", "Côte d'Ivoire", "Costa de Marfil", "Costa do Marfim"),
        *_cases("IRN", "Iran (Islamic Republic of)", "Irán (República Islámica del)"),
        *_cases("BOL", "Bolivia (Plurinational State of)", "Bolivia (Estado Plurinacional de)"),
        *_cases(
            "VEN", "Venezuela (Bolivarian Republic of)", "Venezuela (República Bolivariana de)"
        ),
        *_cases(
            "KOR",
            "Republic of Korea",
            "República de Corea",
            "République de Corée",
            "República da Coreia",
        ),
        *_cases(
            "DOM",
            "Rep. Dominicana",
            "Rep Dominicana",
            "Dominican Rep.",
            "Rep. Dom.",
            "Rép. dominicaine",
            "República Dominicana",
        ),
        *_cases(
            "GBR",
            "United Kingdom of Great Britain and Northern Ireland",
            "Reino Unido de Gran Bretaña e Irlanda del Norte",
        ),
        *_cases("USA", "United States of America", "Estados Unidos de América"),
        *_cases("RUS", "Russian Federation", "Federación de Rusia", "Fédération de Russie"),
        *_cases("VNM", "Viet Nam", "Vietnam", "Viêt Nam"),
        *_cases("SYR", "Syrian Arab Republic", "République arabe syrienne"),
        *_cases("XKX", "Kosovo under UNSCR 1244", "Kosovo (UNSCR 1244)", "Kosovo"),
        *_cases("CAF", "Rép. centrafricaine", "Rep. Centroafricana"),
        *_cases("PSE", "Occupied Palestinian Territory", "State of Palestine"),
        ("NA", "NAM"),  # Namibia's code, not a missing value nor 'not applicable'
        ("AI", "AIA"),  # Anguilla's today; the French Afars and Issas' until 1977
    ],
)
def test_historical_and_variant_names_resolve(text: object, iso3: str) -> None:
    assert resolve_country(text) == iso3


@pytest.mark.parametrize("text", ["CS", "cs", "891", 891])
def test_a_code_two_entities_held_never_resolves_and_both_are_suggested(text: object) -> None:
    # CS was Czechoslovakia's until 1993, then Serbia and Montenegro's (2003-2006); numeric 891
    # was the Federal Republic of Yugoslavia's, then Serbia and Montenegro's.
    assert resolve_country(text) is None
    expected = ["CSK", "SCG"] if str(text).upper() == "CS" else ["SCG", "YUG"]
    assert suggest_countries(str(text)) == expected


def test_withdrawn_codes_are_known_with_names_and_regions() -> None:
    assert withdrawn_iso3() == ENTITIES
    assert known_iso3() >= ENTITIES
    regions = {code: region_of(code) for code in ENTITIES}
    assert regions == {
        "ANT": "caribbean",
        "CSK": "europe",
        "DDR": "europe",
        "SCG": "europe",
        "SUN": "europe",
        "YMD": "other",
        "YUG": "europe",
    }
    assert country_name("ANT", "en") == "Netherlands Antilles"
    assert country_name("ANT", "es") == "Antillas Neerlandesas"
    assert country_name("ANT", "fr") == "Antilles néerlandaises"
    assert country_name("ANT", "pt") == "Antilhas Holandesas"
    assert country_name("SUN", "pt_BR") == "União Soviética"
    assert country_name("SCG", "fr") == "Serbie-et-Monténégro"
    for code in ENTITIES:
        names = [country_name(code, lang) for lang in ("en", "es", "fr", "pt")]
        assert all(name and name != code for name in names), code
        assert all(resolve_country(name) == code for name in names), code
        assert resolve_country(code) == code and resolve_country(code.lower()) == code
    # former codes of states that still exist are not codes of their own
    assert not {"BUR", "ZAR", "TMP", "ROM", "BYS", "FXX"} & known_iso3()


def test_reference_marks_withdrawn_rows() -> None:
    table = reference()
    assert table["iso3"].is_unique
    assert table["withdrawn"].dtype == bool
    assert set(table.loc[table["withdrawn"], "iso3"]) == ENTITIES
    current = table[~table["withdrawn"]]
    assert len(current) == 250  # ISO 3166-1 (249) plus Kosovo
    assert known_iso3() == frozenset(table["iso3"])
    assert set(table["region"]) <= set(REGIONS)
    former = table[table["withdrawn"]].set_index("iso3")
    assert not former["crimjust_focus"].any()
    assert former.loc["ANT", "m49"] == "530" and former.loc["ANT", "iso2"] == "AN"
    assert former.loc["ANT", "subregion"] == "Caribbean"


def test_withdrawn_entities_have_no_shape_but_a_centroid_where_one_is_certain() -> None:
    assert not ENTITIES & set(geometry()["iso3"])
    table = reference().set_index("iso3")
    # the territory of today's countries: the centroid of their joined largest polygon
    lat, lon = table.loc["ANT", ["latitude", "longitude"]]
    assert countries.country_at(lat, lon) == "CUW"  # Curaçao, the largest island
    lat, lon = table.loc["CSK", ["latitude", "longitude"]]
    assert countries.country_at(lat, lon) in {"CZE", "SVK"}
    for code in ("SCG", "YUG", "SUN"):
        lat, lon = table.loc[code, ["latitude", "longitude"]]
        assert math.isfinite(lat) and math.isfinite(lon), code
    # a part of one current country: no centroid rather than that country's
    assert table.loc[["DDR", "YMD"], ["latitude", "longitude"]].isna().all().all()


def test_names_of_both_files_resolve_to_their_country() -> None:
    assert countries._name_index()[1] == {}
    assert countries._code_index()[1] == {
        "CS": frozenset({"CSK", "SCG"}),
        "891": frozenset({"SCG", "YUG"}),
    }
    for name, iso3 in countries._named():
        assert resolve_country(name) == iso3 or is_not_a_country(name), (name, iso3)


def test_historical_file_agrees_with_iso_3166_3() -> None:
    pycountry = pytest.importorskip("pycountry")
    iso = {c.alpha_3: c for c in pycountry.historic_countries}
    former = countries._historical()
    assert set(former["resolves_to"]) <= known_iso3()
    for row in former.itertuples(index=False):
        if row.iso3 == "ROM":  # an alpha-3 change only, not in ISO 3166-3
            continue
        record = iso[row.iso3]
        assert row.iso2 in ("", record.alpha_2), row.iso3
        assert row.m49 in ("", getattr(record, "numeric", "")), row.iso3
        assert row.withdrawn == record.withdrawal_date, row.iso3


def test_reference_digest_covers_both_files() -> None:
    digest = reference_digest()
    assert len(digest) == 64 and digest == reference_digest()
    alone = hashlib.sha256(countries._COUNTRIES_CSV.read_bytes()).hexdigest()
    assert digest != alone


@pytest.mark.parametrize("text", ["USSR", "URSS", "U.S.S.R.", "Ussr", "USSR.", "Sovet Union"])
def test_the_soviet_union_never_suggests_the_united_states(text: str) -> None:
    suggestions = suggest_countries(text, limit=5)
    assert suggestions[:1] == ["SUN"]
    assert "USA" not in suggestions


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Rep. Dominicanaa", "DOM"),
        ("Republica Dominicanna", "DOM"),
        ("Colmbia", "COL"),
        ("Cabo Verd", "CPV"),
        ("Venezuala", "VEN"),
        ("Unted Kingdom", "GBR"),
        ("Untied States", "USA"),
        ("Yugoslvia", "YUG"),
        ("Antillas Neerlandeses", "ANT"),
        ("Neth. Antilles", "ANT"),
        ("Guinea Equatorail", "GNQ"),
        ("Korea", "KOR"),  # ambiguous: both Koreas
        ("Rep. Dominicana", "DOM"),  # resolves: offered alone
    ],
)
def test_suggestions_share_a_word_spelt_alike(text: str, first: str) -> None:
    suggestions = suggest_countries(text)
    assert suggestions[0] == first
    assert "IND" not in suggestions


def test_a_name_that_resolves_is_its_only_suggestion() -> None:
    assert suggest_countries("Rep. Dominicana") == ["DOM"]
    assert suggest_countries("Korea") == ["KOR", "PRK"]
    assert suggest_countries("Korea", limit=1) == ["KOR"]
    assert suggest_countries("Korea", limit=0) == []


@pytest.mark.parametrize(
    "text",
    ["XX", "ZZ", "QQ", "X", "Atlantis", "Republic of", "Islands", "Saint", "URRS", "", "123"],
)
def test_no_absurd_suggestions_for_unknown_text(text: str) -> None:
    assert suggest_countries(text) == []


NOT_A_COUNTRY = [
    # English
    "Unknown",
    "UNKNOWN",
    "unknown country",
    "Not known",
    "N/A",
    "n/a",
    "N.A.",
    "Other",
    "Others",
    "Various",
    "Multiple",
    "Multiple Countries",
    "Several countries",
    "National territory",
    "International waters",
    "High seas",
    "At sea",
    "-",
    "?",
    "--",
    "unk",
    "Unspecified",
    "Not specified",
    "Unknown / Other",
    "Other or unknown",
    # Spanish
    "Desconocido",
    "desconocida",
    "No se sabe",
    "Otro",
    "Otros",
    "Varios países",
    "VARIOS PAISES",
    "Territorio nacional",
    "Aguas internacionales",
    "No especificado",
    # French
    "Inconnu",
    "Autre",
    "Autres",
    "Plusieurs pays",
    "Territoire national",
    "Eaux internationales",
    "Non spécifié",
    "non specifie",
    # Portuguese
    "Desconhecido",
    "Outro",
    "Outros",
    "Vários países",
    "Território nacional",
    "Águas internacionais",
    "Não especificado",
    "nao especificado",
    "Ignorado",
]


@pytest.mark.parametrize("text", NOT_A_COUNTRY)
def test_words_for_no_specific_country(text: str) -> None:
    assert is_not_a_country(text)
    assert resolve_country(text) is None
    assert suggest_countries(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "NA",  # Namibia
        "na",
        "Namibia",
        "",
        "   ",
        None,
        float("nan"),
        1,
        "Colombia",
        "Niger",
        "Oman",
        "Other Country Name",
        "Unknownland",
        "Netherlands Antilles",
        "USSR",
        "Atlantis",
    ],
)
def test_not_words_for_no_country(text: object) -> None:
    assert not is_not_a_country(text)


def test_no_word_for_no_country_is_a_country_name() -> None:
    vocabulary = countries._NOT_A_COUNTRY
    keys = set(countries._name_index()[0])
    assert not {countries._name_key(word) for word in vocabulary} & keys


def test_the_store_accepts_and_places_withdrawn_codes(tmp_path: Path) -> None:
    # The dashboard's queries join ref_countries: a withdrawn code missing there would drop rows.
    frame = pd.DataFrame(
        {
            "country_iso3": ["ANT", "YUG", "SUN"],
            "year": [2008, 1995, 1990],
            "drug": ["cocaine_unspecified"] * 3,
            "quantity_kg": [1250.75, 12.5, 3.0],
            "source": ["test"] * 3,
        }
    )
    validate_table("annual_seizures", frame, known_iso3())  # raises if a code is unknown
    store = open_store(tmp_path / "store.duckdb")
    store.load(LoadRequest("annual_seizures", frame, "test"))
    placed = store.query(
        "SELECT a.country_iso3, c.region, c.name_en FROM active_annual_seizures a "
        "JOIN ref_countries c ON c.iso3 = a.country_iso3 ORDER BY 1"
    )
    assert placed.to_dict("list") == {
        "country_iso3": ["ANT", "SUN", "YUG"],
        "region": ["caribbean", "europe", "europe"],
        "name_en": ["Netherlands Antilles", "Soviet Union", "Yugoslavia"],
    }
