"""Vocabularies in English, Spanish, French and Portuguese (issue 16): drug names to cocaine
forms, units to kg, headers to canonical columns (by name, then by content), conveyances."""

from __future__ import annotations

import pytest

from crimjust_data.ingest.aliases import (
    UK_GALLON_LITRES,
    US_GALLON_LITRES,
    drug_form,
    is_count_unit,
    is_liquid_unit,
    unit_factor,
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
