"""Vocabularies in English, Spanish, French and Portuguese (issue 16): drug names to cocaine
forms, units to kg, headers to canonical columns (by name, then by content), conveyances."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crimjust_data.ingest.aliases import (
    CHECKED_FIELDS,
    UK_GALLON_LITRES,
    UNIT_COLUMN,
    US_GALLON_LITRES,
    drug_form,
    header_unit,
    header_words,
    is_count_unit,
    is_liquid_unit,
    map_headers,
    unit_factor,
    value_alias,
)

# ---------------------------------------------------------------------------------------------
# Drug names


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Cocaine HCL", "cocaine_hcl"),
        ("Cocaine hydrochloride", "cocaine_hcl"),
        ("Cocaine salts", "cocaine_hcl"),
        ("Clorhidrato de cocaína", "cocaine_hcl"),
        ("chlorhydrate de cocaïne", "cocaine_hcl"),
        ("cloridrato de cocaína", "cocaine_hcl"),
        ("Sal de cocaína", "cocaine_hcl"),
        ("cocaine_hcl", "cocaine_hcl"),
        ("Cocaine Base", "cocaine_base"),
        ("Coca paste", "cocaine_base"),  # a paste, not the leaf
        ("pasta base de cocaína", "cocaine_base"),
        ("pasta base", "cocaine_base"),
        ("Pasta básica de cocaína", "cocaine_base"),
        ("PBC", "cocaine_base"),
        ("basuco", "cocaine_base"),
        ("bazuco", "cocaine_base"),
        ("paco", "cocaine_base"),
        ("merla", "cocaine_base"),
        ("pâte de coca", "cocaine_base"),
        ("pasta de coca", "cocaine_base"),
        ("freebase", "cocaine_base"),
        ("COCAINE_BASE", "cocaine_base"),
        ("Crack", "crack"),
        ("crack cocaine", "crack"),
        ("pedra de crack", "crack"),
        ("crack", "crack"),
        ("Liquid cocaine", "cocaine_unspecified"),
        ("cocaína líquida", "cocaine_unspecified"),
        ("cocaïne liquide", "cocaine_unspecified"),
        ("Cocaine", "cocaine_unspecified"),
        ("COCAÍNA", "cocaine_unspecified"),
        ("Cocaïne", "cocaine_unspecified"),
        ("cocaina", "cocaine_unspecified"),
        ("Cocaine (base, paste and salts)", "cocaine_unspecified"),
        ("Cocaine (salt and crack)", "cocaine_unspecified"),
        ("Cocaine (excluding crack)", "cocaine_unspecified"),
        ("Cocaine, non-specified", "cocaine_unspecified"),
        ("cocaine_unspecified", "cocaine_unspecified"),
        ("Coca leaf", None),
        ("hoja de coca", None),
        ("feuille de coca", None),
        ("folha de coca", None),
        ("Coca Seeds", None),
        ("sementes de coca", None),
        ("coca bush", None),
        ("coca", None),
        ("Maconha", None),
        ("Cannabis herb", None),
        ("heroína", None),
        ("Heroin base", None),  # a base, not cocaine's
        ("Morphine base", None),
        ("Ecstasy", None),
        ("MDMA tablets", None),
        ("khat", None),
        ("Cocaine and heroin", None),  # a mixture's weight is not a cocaine weight
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_drug_form(name: object, form: str | None) -> None:
    assert drug_form(name) == form


# ---------------------------------------------------------------------------------------------
# Units


@pytest.mark.parametrize(
    ("unit", "kg"),
    [
        ("g", 0.001),
        ("gr", 0.001),
        ("Gram", 0.001),
        ("grams", 0.001),
        ("gramos", 0.001),
        ("gramas", 0.001),
        ("grammes", 0.001),
        ("kg", 1.0),
        ("KGS", 1.0),
        ("Kilogram", 1.0),
        ("kilos", 1.0),
        ("kilogrammes", 1.0),
        ("quilos", 1.0),
        ("t", 1000.0),
        ("tn", 1000.0),
        ("tonnes", 1000.0),
        ("toneladas", 1000.0),
        ("lb", 0.45359237),
        ("lbs", 0.45359237),
        ("pounds", 0.45359237),
        ("libras", 0.45359237),
        ("livres", 0.45359237),
        # liquids at 1 kg per litre
        ("l", 1.0),
        ("lt", 1.0),
        ("ltr", 1.0),
        ("litres", 1.0),
        ("Liter", 1.0),
        ("litros", 1.0),
        ("ml", 0.001),
        ("Millilitre", 0.001),
        ("milliliters", 0.001),
        ("mililitros", 0.001),
        ("gal", US_GALLON_LITRES),
        ("Gallons", US_GALLON_LITRES),
        ("US gallons", US_GALLON_LITRES),
        ("gal (US)", US_GALLON_LITRES),
        ("galón", US_GALLON_LITRES),
        ("galones", US_GALLON_LITRES),
        ("galão", US_GALLON_LITRES),
        ("galões", US_GALLON_LITRES),
        ("UK gallons", UK_GALLON_LITRES),
        ("Imperial gallon", UK_GALLON_LITRES),
        ("gallon (UK)", UK_GALLON_LITRES),
        ("gallons impériaux", UK_GALLON_LITRES),
        ("galones imperiales", UK_GALLON_LITRES),
        ("galões imperiais", UK_GALLON_LITRES),
    ],
)
def test_unit_factor(unit: str, kg: float) -> None:
    assert unit_factor(unit) == kg


def test_gallons_and_pounds_exactly() -> None:
    assert unit_factor("US gallon") == 3.785411784
    assert unit_factor("UK gallon") == 4.54609
    assert unit_factor("lb") == 0.45359237
    assert is_liquid_unit("US gallon") and is_liquid_unit("litros") and is_liquid_unit("ml")
    assert not is_liquid_unit("kg") and not is_liquid_unit("units")


@pytest.mark.parametrize("unit", ["", "xyz", "Unit", "tablets", "gallon of water", "boxes"])
def test_unknown_or_count_unit_has_no_factor(unit: str) -> None:
    assert unit_factor(unit) is None


@pytest.mark.parametrize(
    "unit",
    [
        "units",
        "Unit",
        "u",
        "un",
        "unidad",
        "Unidades",
        "unidade",
        "unités",
        "tablets",
        "tabletas",
        "comprimidos",
        "comprimés",
        "pills",
        "pastillas",
        "pilules",
        "capsules",
        "cápsulas",
        "doses",
        "dosis",
        "pieces",
        "piezas",
        "peças",
        "pièces",
        "plants",
        "plantas",
        "bricks",
        "ladrillos",
        "packages",
        "paquetes",
        "pacotes",
        "paquets",
    ],
)
def test_count_units(unit: str) -> None:
    assert is_count_unit(unit)
    assert unit_factor(unit) is None


@pytest.mark.parametrize("unit", ["kg", "g", "litros", "gallons", "", "xyz"])
def test_weights_and_volumes_are_not_counts(unit: str) -> None:
    assert not is_count_unit(unit)


# ---------------------------------------------------------------------------------------------
# Headers


def only(header: str, table: str = "seizures") -> str | None:
    """The column a header alone maps to."""
    return map_headers([header], table).mapped.get(header)  # type: ignore[arg-type]


def test_header_words_ignore_case_accents_separators_and_stop_words() -> None:
    same = {
        header_words(h) for h in ("CIDADE_APREENSAO", "Cidade da apreensão", "cidade apreensao")
    }
    assert same == {("cidade", "apreensao")}
    assert header_words("SeizureDate") == ("seizure", "date")
    assert header_words("Code de l'activité") == ("code", "activite")
    assert header_words("Nº") == ("no",)  # only stop words: kept


@pytest.mark.parametrize(
    ("header", "column"),
    [
        # dates
        ("DATA", "date"),
        ("Data da apreensão", "date"),
        ("SEIZURE_DATE", "date"),
        ("SeizureDate", "date"),
        ("Fecha del decomiso", "date"),
        ("Fecha", "date"),
        ("Date de saisie", "date"),
        # places
        ("CIDADE_APREENSAO", "location"),
        ("Cidade da apreensão", "location"),
        ("cidade apreensao", "location"),
        ("Município", "location"),
        ("PLACE", "location"),
        ("Ciudad", "location"),
        ("Departamento", "location"),
        ("Lieu de saisie", "location"),
        # drugs
        ("Tipo de Entorpecente", "drug"),
        ("DROGA", "drug"),
        ("DRUG_NAME", "drug"),
        ("Sustancia", "drug"),
        ("Tipo de droga", "drug"),
        ("Type de drogue", "drug"),
        # quantities
        ("QUANTIDADE", "quantity_kg"),
        ("Quantidade (Kg)", "quantity_kg"),
        ("AMOUNT", "quantity_kg"),
        ("Sum Qty (lbs)", "quantity_kg"),
        ("Peso (kg)", "quantity_kg"),
        ("Cantidad decomisada", "quantity_kg"),
        ("Amount in grams", "quantity_kg"),
        ("peso_kg", "quantity_kg"),
        ("Litros", "quantity_kg"),
        ("Kilos incautados", "quantity_kg"),
        ("Poids net", "quantity_kg"),
        # units
        ("UNIDADE_MEDIDA", UNIT_COLUMN),
        ("Unidad de medida", UNIT_COLUMN),
        ("DRUG_UNIT", UNIT_COLUMN),
        ("Unité de mesure", UNIT_COLUMN),
        ("Unit", UNIT_COLUMN),
        ("Quantity unit", UNIT_COLUMN),
        # conveyance, route
        ("TRANSPORT", "conveyance"),
        ("Meio de transporte", "conveyance"),
        ("Medio de transporte", "conveyance"),
        ("Moyen de transport", "conveyance"),
        ("PRODUCING_COUNTRY", "origin_iso3"),
        ("País de origem", "origin_iso3"),
        ("Pays d'origine", "origin_iso3"),
        ("ORIGEM", "origin_iso3"),  # by name: the content check is the caller's
        ("DEPARTURE_COUNTRY", "transit_iso3"),
        ("DESTINATION_COUNTRY", "destination_iso3"),
        ("País de destino", "destination_iso3"),
        # countries, coordinates
        ("COUNTRY", "country_iso3"),
        ("País", "country_iso3"),
        ("Code pays", "country_iso3"),
        ("lat", "latitude"),
        ("lon", "longitude"),
        # ids
        ("Identificador", "seizure_id"),
        ("Identifiant", "seizure_id"),
        ("Identifier", "seizure_id"),
        ("ID", "seizure_id"),
        ("Código", "seizure_id"),
        ("Nº", "seizure_id"),
        ("Número", "seizure_id"),
        ("ID_APREENSAO", "seizure_id"),
    ],
)
def test_seizure_headers(header: str, column: str) -> None:
    assert only(header) == column


@pytest.mark.parametrize(
    "header",
    [
        "Dia da Semana",
        "Hora",
        "AIS",
        "UF",
        "HIDING_PLACE",
        "REGION",
        "SUBREGION",
        "ROUTING",
        "INSTALLATION",
        "Observaciones",
        "G",  # a letter alone is no unit
    ],
)
def test_headers_not_mapped(header: str) -> None:
    mapping = map_headers([header], "seizures")
    assert mapping.mapped == {} and mapping.unknown == [header]


@pytest.mark.parametrize(
    "header",
    [
        "Identificador",
        "Identifiant",
        "Identifier",
        "ID",
        "Identificação",
        "Código",
        "Codigo",
        "Code",
        "Code de l'activité",
        "Código da atividade",
        "Código de actividad",
        "Activity code",
        "Nº",
        "N°",
        "Número",
        "Numéro",
    ],
)
def test_activity_id_in_four_languages(header: str) -> None:
    mapping = map_headers([header, "Date", "Pays", "Type", "Titre", "Partenaire"], "activities")
    assert mapping.mapped[header] == "activity_id"
    assert mapping.missing_required == [] and mapping.unknown == []


@pytest.mark.parametrize("header", ["Identificador", "Código", "Code", "Identifiant", "ID"])
def test_case_id_words(header: str) -> None:
    assert only(header, "cases") == "case_id"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("seizures", "quantity_kg"),
        ("seized", "quantity_kg"),
        ("incautaciones", "quantity_kg"),
        ("decomisos", "quantity_kg"),
        ("saisies", "quantity_kg"),
        ("apreensões", "quantity_kg"),
        ("Seizures (kg)", "quantity_kg"),
        ("code", "country_iso3"),
        ("código", "country_iso3"),
        ("ISO3", "country_iso3"),
        ("year", "year"),
        ("Año", "year"),
    ],
)
def test_annual_headers(header: str, column: str) -> None:
    assert only(header, "annual_seizures") == column


def test_police_event_list() -> None:
    """UNIDADE (the police unit) loses to UNIDADE_MEDIDA (the unit of measure)."""
    headers = "UF;UNIDADE;CIDADE_APREENSAO;DATA;DROGA;QUANTIDADE;UNIDADE_MEDIDA;ORIGEM;lat;lon"
    mapping = map_headers(headers.split(";"), "seizures")
    assert mapping.mapped == {
        "CIDADE_APREENSAO": "location",
        "DATA": "date",
        "DROGA": "drug",
        "QUANTIDADE": "quantity_kg",
        "UNIDADE_MEDIDA": UNIT_COLUMN,
        "ORIGEM": "origin_iso3",
        "lat": "latitude",
        "lon": "longitude",
    }
    assert mapping.unknown == ["UF", "UNIDADE"]
    assert mapping.missing_required == ["seizure_id", "country_iso3"]
    # the other order of the columns changes nothing
    swapped = map_headers(["UNIDADE_MEDIDA", "UNIDADE", "QUANTIDADE"], "seizures")
    assert swapped.mapped == {"UNIDADE_MEDIDA": UNIT_COLUMN, "QUANTIDADE": "quantity_kg"}


def test_police_file_with_quantity_in_kg_header() -> None:
    headers = "AIS,Município,Dia da Semana,Data,Hora,Quantidade (Kg),Tipo de Entorpecente"
    mapping = map_headers(headers.split(","), "seizures")
    assert mapping.mapped == {
        "Município": "location",
        "Data": "date",
        "Quantidade (Kg)": "quantity_kg",
        "Tipo de Entorpecente": "drug",
    }
    assert mapping.unit_from_header == {"quantity_kg": "kg"}
    assert mapping.unknown == ["AIS", "Dia da Semana", "Hora"]


def test_individual_drug_seizures_layout() -> None:
    headers = (
        "REGION;SUBREGION;COUNTRY;ADMINISTRATIVE_DIVISION;PLACE;SEIZURE_DATE;DRUG_NAME;AMOUNT;"
        "DRUG_UNIT;HIDING_PLACE;INSTALLATION;TRANSPORT;PRODUCING_COUNTRY;DEPARTURE_COUNTRY;"
        "DESTINATION_COUNTRY;ROUTING"
    )
    mapping = map_headers(headers.split(";"), "seizures")
    assert mapping.mapped == {
        "COUNTRY": "country_iso3",
        "PLACE": "location",  # the administrative division is only a fallback
        "SEIZURE_DATE": "date",
        "DRUG_NAME": "drug",
        "AMOUNT": "quantity_kg",
        "DRUG_UNIT": UNIT_COLUMN,
        "TRANSPORT": "conveyance",
        "PRODUCING_COUNTRY": "origin_iso3",
        "DEPARTURE_COUNTRY": "transit_iso3",
        "DESTINATION_COUNTRY": "destination_iso3",
    }
    assert mapping.unknown == [
        "REGION",
        "SUBREGION",
        "ADMINISTRATIVE_DIVISION",
        "HIDING_PLACE",
        "INSTALLATION",
        "ROUTING",
    ]
    assert mapping.secondary == {} and mapping.rejected == {}
    assert mapping.missing_required == ["seizure_id"]


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("Quantidade (Kg)", "kg"),
        ("Sum Qty (lbs)", "lbs"),
        ("Amount in grams", "grams"),
        ("peso_kg", "kg"),
        ("Litros", "litros"),
        ("Cantidad (g)", "g"),
        ("quantity (t)", "t"),
        ("Weight lb", "lb"),
        ("Quantity (US gallons)", "us gallons"),
        ("Volume (UK gallons)", "uk gallons"),
        ("Cantidad (unidades)", "unidades"),  # a count: the caller skips its rows
        ("Quantity (1000 kg)", "1000 kg"),  # no factor known: refused, never read as kg
        ("Cantidad (kg/unidades)", "kg unidades"),  # mixed: refused, never read as kg
    ],
)
def test_unit_from_header(header: str, unit: str) -> None:
    mapping = map_headers([header], "seizures")
    assert mapping.mapped == {header: "quantity_kg"}
    assert mapping.unit_from_header == {"quantity_kg": unit}
    assert header_unit(header) == unit


def test_unit_factors_of_header_units() -> None:
    assert unit_factor(header_unit("Quantity (US gallons)")) == 3.785411784
    assert unit_factor(header_unit("Volume (UK gallons)")) == 4.54609
    assert unit_factor(header_unit("Sum Qty (lbs)")) == 0.45359237
    assert unit_factor(header_unit("Quantity (1000 kg)")) is None
    assert unit_factor(header_unit("Cantidad (kg/unidades)")) is None
    assert is_count_unit(header_unit("Cantidad (unidades)"))


@pytest.mark.parametrize("header", ["Unidades", "UNIDADE_MEDIDA", "Quantity unit", "Quantidade"])
def test_no_unit_in_header(header: str) -> None:
    assert header_unit(header) is None
    assert map_headers([header], "seizures").unit_from_header == {}


def test_more_specific_header_wins() -> None:
    # a whole-header match above a match of words
    mapping = map_headers(["Peso bruto", "Peso"], "seizures")
    assert mapping.mapped == {"Peso": "quantity_kg"} or mapping.mapped == {
        "Peso bruto": "quantity_kg"
    }
    exact = map_headers(["Fecha de nacimiento", "Fecha"], "seizures")
    assert exact.mapped == {"Fecha": "date"} and exact.unknown == ["Fecha de nacimiento"]
    # more alias words above fewer
    units = map_headers(["Unidad", "Unidad de medida"], "seizures")
    assert units.mapped == {"Unidad de medida": UNIT_COLUMN} and units.unknown == ["Unidad"]
    # a weak alias only when no normal one
    places = map_headers(["Departamento", "Municipio"], "seizures")
    assert places.mapped == {"Municipio": "location"}
    assert map_headers(["Departamento"], "seizures").mapped == {"Departamento": "location"}


def test_overrides_win_over_everything() -> None:
    mapping = map_headers(
        ["UNIDADE", "UNIDADE_MEDIDA", "Peso (g)", "Observaciones"],
        "seizures",
        overrides={"UNIDADE": "agency", "UNIDADE_MEDIDA": "", "Peso (g)": "quantity_kg"},
        accepts=lambda header, column: False,  # never asked for overridden headers
    )
    assert mapping.mapped == {"UNIDADE": "agency", "Peso (g)": "quantity_kg"}
    assert mapping.unknown == ["UNIDADE_MEDIDA", "Observaciones"]
    assert mapping.unit_from_header == {"quantity_kg": "g"}  # the unit its header names


def content(passing: dict[str, set[str]]) -> Callable[[str, str], bool]:
    """A content check passing `passing[header]`'s columns, and recording what was asked."""

    def accepts(header: str, column: str) -> bool:
        assert column in CHECKED_FIELDS, column
        asked.append((header, column))
        return column in passing.get(header, set())

    asked: list[tuple[str, str]] = []
    accepts.asked = asked  # type: ignore[attr-defined]
    return accepts


def test_accepts_rejecting_a_column_lets_the_next_candidate_win() -> None:
    headers = ["UNIDADE", "QUANTIDADE", "Peso", "ORIGEM", "DATA", "Data de nascimento"]
    accepts = content(
        {
            "UNIDADE": set(),  # 'DEIC', '12ª DP': no unit
            "QUANTIDADE": set(),  # '2 porções': no number
            "Peso": {"quantity_kg"},
            "ORIGEM": set(),  # 'aeroporto', 'porto': no country
            "DATA": set(),
            "Data de nascimento": {"date"},
        }
    )
    mapping = map_headers(headers, "seizures", accepts=accepts)
    assert mapping.mapped == {"Peso": "quantity_kg", "Data de nascimento": "date"}
    assert mapping.rejected == {
        "UNIDADE": UNIT_COLUMN,
        "QUANTIDADE": "quantity_kg",
        "ORIGEM": "origin_iso3",
        "DATA": "date",
    }
    assert mapping.unknown == [] and mapping.secondary == {}
    assert ("UNIDADE", UNIT_COLUMN) in accepts.asked  # type: ignore[attr-defined]


def test_accepts_is_asked_only_for_checked_fields() -> None:
    accepts = content({})
    mapping = map_headers(
        ["Identificador", "Droga", "Agencia", "País"], "seizures", accepts=accepts
    )
    assert mapping.mapped == {"Identificador": "seizure_id", "Droga": "drug", "Agencia": "agency"}
    assert mapping.rejected == {"País": "country_iso3"}
    assert accepts.asked == [("País", "country_iso3")]  # type: ignore[attr-defined]


def test_a_rejected_header_may_take_another_column() -> None:
    # a header named like a date and a quantity: its date is tried first (equal names, the
    # column order of the table), refused, and the quantity taken
    accepts = content({"Fecha cantidad": {"quantity_kg"}})
    both = map_headers(["Fecha cantidad", "Droga"], "seizures", accepts=accepts)
    assert both.mapped == {"Fecha cantidad": "quantity_kg", "Droga": "drug"}
    assert both.rejected == {} and both.unknown == []
    assert accepts.asked == [("Fecha cantidad", "date"), ("Fecha cantidad", "quantity_kg")]  # type: ignore[attr-defined]
    # nothing else to take: rejected, with the column its name suggested first
    annual = map_headers(["Código", "Año", "Droga", "Kg"], "annual_seizures", accepts=content({}))
    assert annual.mapped == {"Año": "year", "Droga": "drug"}
    assert annual.rejected == {"Código": "country_iso3", "Kg": "quantity_kg"}
    assert annual.missing_required == ["country_iso3", "quantity_kg"]


def test_secondary_country_columns() -> None:
    annual = map_headers(["country", "code", "year", "seizures"], "annual_seizures")
    assert annual.mapped == {"country": "country_iso3", "year": "year", "seizures": "quantity_kg"}
    assert annual.secondary == {"code": "country_iso3"}
    assert annual.unknown == [] and annual.missing_required == ["drug"]
    # with the content check: passed, secondary; not passed, rejected
    passed = map_headers(
        ["País", "ISO3", "Fecha", "Droga", "Cantidad"],
        "seizures",
        accepts=content(
            {
                "País": {"country_iso3"},
                "ISO3": {"country_iso3"},
                "Fecha": {"date"},
                "Cantidad": {"quantity_kg"},
            }
        ),
    )
    assert passed.mapped["País"] == "country_iso3" and passed.secondary == {"ISO3": "country_iso3"}
    failed = map_headers(["País", "ISO3"], "seizures", accepts=content({"País": {"country_iso3"}}))
    assert failed.secondary == {} and failed.rejected == {"ISO3": "country_iso3"}
    # a more specific name takes the column first: the code, then the name beside it
    coded = map_headers(["País", "Código país"], "seizures")
    assert coded.mapped == {"Código país": "country_iso3"}
    assert coded.secondary == {"País": "country_iso3"}
    # origin and destination too, but never a second quantity or date (unknown, as before)
    routes = map_headers(["Origin", "Origin country", "Peso", "Weight lb"], "seizures")
    assert routes.mapped == {"Origin country": "origin_iso3", "Peso": "quantity_kg"}
    assert routes.secondary == {"Origin": "origin_iso3"} and routes.unknown == ["Weight lb"]


def test_existing_mapping_unchanged() -> None:
    m = map_headers(
        ["Fecha", "Pays", "Quantidade", "Drogue", "ID", "Weight lb", "Observaciones"], "seizures"
    )
    assert m.mapped == {
        "Fecha": "date",
        "Pays": "country_iso3",
        "Quantidade": "quantity_kg",
        "Drogue": "drug",
        "ID": "seizure_id",
    }
    assert m.unknown == ["Weight lb", "Observaciones"]
    cases = map_headers(
        ["Numéro de dossier", "PAÍS", "Data de abertura", "Résultat", "Pena (meses)"], "cases"
    )
    assert list(cases.mapped.values()) == [
        "case_id",
        "country_iso3",
        "opened_date",
        "outcome",
        "sentence_months",
    ]


# ---------------------------------------------------------------------------------------------
# Conveyances


@pytest.mark.parametrize(
    ("value", "conveyance"),
    [
        ("Commercial air", "air"),
        ("Private air", "air"),
        ("Air", "air"),
        ("Air cargo", "air"),
        ("Aéreo comercial", "air"),
        ("Transporte aéreo", "air"),
        ("Aérien privé", "air"),
        ("Avião", "air"),
        ("Commercial sea", "vessel"),
        ("Private sea", "vessel"),
        ("Sea", "vessel"),
        ("Maritime", "vessel"),
        ("Marítimo", "vessel"),
        ("Maritime commercial", "vessel"),
        ("Via marítima", "vessel"),
        ("Container", "container"),
        ("Contenedor", "container"),
        ("Conteneur", "container"),
        ("Contêiner", "container"),
        ("Private road", "land"),
        ("Commercial road", "land"),
        ("Road", "land"),
        ("Rail", "land"),
        ("Pedestrian", "land"),
        ("On foot", "land"),
        ("Vehicle", "land"),
        ("Terrestre privado", "land"),
        ("Ferrocarril", "land"),
        ("A pie", "land"),
        ("Route commerciale", "land"),
        ("Piéton", "land"),
        ("Rodoviário", "land"),
        ("A pé", "land"),
        ("Mail", "postal"),
        ("Postal", "postal"),
        ("Courier", "postal"),
        ("Express mail", "postal"),
        ("Correo expreso", "postal"),
        ("Colis postal", "postal"),
        ("Correios", "postal"),
        ("Other", "unknown"),
        ("Unknown", "unknown"),
        ("Not known", "unknown"),
        ("Otro", "unknown"),
        ("Desconocido", "unknown"),
        ("Autre", "unknown"),
        ("Inconnu", "unknown"),
        ("Outro", "unknown"),
        ("Desconhecido", "unknown"),
        ("Unknown vessel", None),  # words that disagree: not guessed
        ("Bicycle pump", None),
    ],
)
def test_conveyance_values(value: str, conveyance: str | None) -> None:
    assert value_alias("conveyance", value) == conveyance


@pytest.mark.parametrize(
    ("unit", "kg"),
    [
        ("t", 1000.0),
        ("toneladas", 1000.0),
        ("metric tons", 1000.0),
        ("short tons", 907.18474),
        ("oz", 0.028349523125),
        ("onzas", 0.028349523125),
        ("ounces", 0.028349523125),
        ("tons", None),  # a US short ton or a metric tonne: not guessed
        ("ton", None),
    ],
)
def test_tons_and_ounces(unit: str, kg: float | None) -> None:
    assert unit_factor(unit) == kg
