"""Analyst files in four languages: header aliases, numbers, units, dates, countries, drugs,
coordinates and the validation report (issue 4), through normalise and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data.__main__ import main
from crimjust_data.ingest.aliases import drug_form, map_headers, value_alias
from crimjust_data.ingest.normalise import (
    MAX_KM_FROM_COUNTRY,
    MAX_PLAUSIBLE_KG,
    Normalised,
    normalise,
)
from crimjust_data.ingest.readers import read_table_file


def norm(tmp_path: Path, text: str, table: str = "seizures", name: str = "f.csv") -> Normalised:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return normalise(read_table_file(path), table)  # type: ignore[arg-type]


def messages(found: list) -> list[tuple[int | None, str | None, str | None]]:
    return [(e.row, e.column, e.value) for e in found]


SPANISH = (
    "Informe de incautaciones 2023\n"
    "N° incautación;Fecha;País;Droga;Cantidad;Unidad;Medio de transporte;Tránsito;Agencia;"
    "Detenidos\n"
    "ES-1;31/12/2023;Colombia;Clorhidrato de cocaína;1.234,5;kg;Contenedor;"
    "Panamá | República Dominicana;Policía <b>antinarcóticos</b>;2\n"
    "ES-2;05/01/2023;Perú;pasta base;500;gramos;lancha;;DIRANDRO;0\n"
    "ES-3;15/03/2023;Bolivia;hoja de coca;10;kg;terrestre;;FELCN;\n"
)


def test_map_headers_four_languages_and_units() -> None:
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
    assert m.unknown == ["Weight lb", "Observaciones"]  # quantity already taken
    assert m.missing_required == []
    for header, unit in (("Cantidad (g)", "g"), ("peso_kg", "kg"), ("quantity (t)", "t")):
        got = map_headers([header], "seizures")
        assert got.mapped == {header: "quantity_kg"} and got.unit_from_header == {
            "quantity_kg": unit
        }
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
    assert value_alias("conveyance", "Contêiner") == "container"
    assert value_alias("outcome", "Classé sans suite") == "dismissed"
    assert value_alias("outcome", "absuelto") == "acquitted"
    assert value_alias("cooperation", "Extradição") == "extradition"


@pytest.mark.parametrize(
    ("name", "drug"),
    [
        ("Clorhidrato de cocaína", "cocaine_hcl"),
        ("chlorhydrate de cocaïne", "cocaine_hcl"),
        ("cloridrato de cocaína", "cocaine_hcl"),
        ("pasta base", "cocaine_base"),
        ("basuco", "cocaine_base"),
        ("paco", "cocaine_base"),
        ("merla", "cocaine_base"),
        ("crack", "crack"),
        ("cocaína", "cocaine_unspecified"),
        ("Cocaïne", "cocaine_unspecified"),
        ("hoja de coca", None),  # coca leaf and bush are not cocaine: skipped
        ("feuille de coca", None),
        ("folha de coca", None),
        ("coca bush", None),
        ("cannabis", None),
        ("heroína", None),
    ],
)
def test_drug_names(name: str, drug: str | None) -> None:
    assert drug_form(name) == drug


def test_spanish_semicolon_file(tmp_path: Path) -> None:
    n = norm(tmp_path, SPANISH)
    assert n.errors == []
    assert n.row_offset == 3 and n.rows == [3, 4]  # title row 1, header row 2; row 5 dropped
    f = n.frame
    assert list(f["seizure_id"]) == ["ES-1", "ES-2"]
    assert list(f["date"]) == [pd.Timestamp("2023-12-31"), pd.Timestamp("2023-01-05")]
    assert list(f["country_iso3"]) == ["COL", "PER"]
    assert list(f["drug"]) == ["cocaine_hcl", "cocaine_base"]
    assert list(f["quantity_kg"]) == [1234.5, 0.5]
    assert list(f["conveyance"]) == ["container", "vessel"]
    assert list(f["transit_iso3"]) == [["PAN", "DOM"], []]
    assert f["agency"][0] == "Policía <b>antinarcóticos</b>"  # stored as given
    assert list(f["arrests"]) == [2, 0]
    assert messages(n.warnings) == [(5, "Droga", "hoja de coca")]
    assert n.warnings[0].message == (
        "1 row(s) not cocaine skipped (other drugs, coca leaf, bush or seeds); rows per name: "
        "hoja de coca 1; first rows 5"
    )


def test_french_and_portuguese_headers_units_and_numbers(tmp_path: Path) -> None:
    fr = norm(
        tmp_path,
        "Numéro de saisie,Date de saisie,Pays,Drogue,Poids (t),Transport\n"
        'F1,2023-06-01,Côte d\'Ivoire,cocaïne,"1,5",Navire\n'
        'F2,2023-06-02,Sénégal,crack,"0,25",avion\n',
        name="fr.csv",
    )
    assert fr.errors == []
    assert list(fr.frame["quantity_kg"]) == [1500.0, 250.0]
    assert list(fr.frame["country_iso3"]) == ["CIV", "SEN"]
    assert list(fr.frame["conveyance"]) == ["vessel", "air"]
    pt = norm(
        tmp_path,
        "ID apreensão\tData\tPaís\tSubstância\tQuantidade\tUnidade\tMeio de transporte\n"
        "P1\t2023-02-01\tBrasil\tcocaína\t1.234.567\tg\tcorreio\n"
        "P2\t2023-02-02\tGuiné-Bissau\tcrack\t2,2\tlb\tcontêiner\n",
        name="pt.csv",
    )
    assert pt.errors == []
    assert list(pt.frame["country_iso3"]) == ["BRA", "GNB"]
    assert pt.frame["quantity_kg"].round(4).tolist() == [1234.567, 0.9979]
    assert list(pt.frame["conveyance"]) == ["postal", "container"]


def test_thousands_separators_english(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "seizure_id,date,country,drug,quantity (g)\n"
        'E1,2023-01-01,COL,crack,"1,234.5"\n'
        'E2,2023-01-02,CO,crack,"1,000"\n'
        "E3,2023-01-03,Colombia,crack,1234\n",
    )
    assert n.errors == []
    assert n.frame["quantity_kg"].tolist() == [1.2345, 1.0, 1.234]


def test_ambiguous_thousands_follow_the_file_and_are_reported(tmp_path: Path) -> None:
    semicolon = norm(tmp_path, "id;fecha;país;droga;kg\nT1;2023-01-01;COL;crack;1.234\n")
    assert semicolon.frame["quantity_kg"].tolist() == [1234.0]
    assert messages(semicolon.warnings) == [(2, "kg", "1.234")]
    assert "read with a decimal comma" in semicolon.warnings[0].message
    comma = norm(tmp_path, 'id,date,country,drug,kg\nT1,2023-01-01,COL,crack,"1,234"\n')
    assert comma.frame["quantity_kg"].tolist() == [1234.0]
    assert "read with a decimal point" in comma.warnings[0].message
    decided = norm(
        tmp_path,
        "id;fecha;país;droga;kg\nT1;2023-01-01;COL;crack;1.234\nT2;2023-01-01;COL;crack;2,5\n",
    )
    assert decided.frame["quantity_kg"].tolist() == [1234.0, 2.5]
    assert decided.warnings == []


def test_unknown_unit_and_unreadable_number(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "id;fecha;país;droga;cantidad;unidad\n"
        "U1;2023-01-01;COL;crack;12;barriles\n"
        "U2;2023-01-01;COL;crack;doce;kg\n",
    )
    assert messages(n.errors) == [(2, "unidad", "barriles"), (3, "cantidad", "doce")]
    assert "unknown unit" in n.errors[0].message
    assert "not a number" in n.errors[1].message


def test_dates_day_first_month_first_ambiguous_and_serial(tmp_path: Path) -> None:
    head = "id,date,country,drug,kg\n"
    day = norm(tmp_path, head + "D1,31.12.2023,COL,crack,1\nD2,01-02-2023,COL,crack,1\n")
    assert day.errors == [] and day.warnings == []
    assert list(day.frame["date"]) == [pd.Timestamp("2023-12-31"), pd.Timestamp("2023-02-01")]
    month = norm(tmp_path, head + "M1,12/31/2023,COL,crack,1\nM2,01/02/2023,COL,crack,1\n")
    assert month.errors == [] and month.warnings == []
    assert list(month.frame["date"]) == [pd.Timestamp("2023-12-31"), pd.Timestamp("2023-01-02")]
    amb = norm(tmp_path, head + "A1,03/04/2023,COL,crack,1\nA2,05/06/2023,COL,crack,1\n")
    assert amb.errors == []
    assert list(amb.frame["date"]) == [pd.Timestamp("2023-04-03"), pd.Timestamp("2023-06-05")]
    assert messages(amb.warnings) == [(2, "date", "03/04/2023")]
    assert "read day-first" in amb.warnings[0].message
    assert "YYYY-MM-DD" in amb.warnings[0].message
    serial = norm(tmp_path, head + "S1,45000,COL,crack,1\nS2,2023-13-01,COL,crack,1\n")
    assert serial.frame["date"][0] == pd.Timestamp("2023-03-15")
    assert messages(serial.errors) == [(3, "date", "2023-13-01")]


def test_future_date_still_checked_by_schema(tmp_path: Path) -> None:
    n = norm(tmp_path, "id,date,country,drug,kg\nX1,2099-01-01,COL,crack,1\n")
    assert messages(n.errors) == [(2, "date", "2099-01-01")]
    assert "future" in n.errors[0].message


def test_countries_four_languages_and_did_you_mean(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "id,date,country,drug,kg,origin,destination\n"
        "C1,2023-01-01,Colombie,crack,1,Perú,Países Bajos\n"
        "C2,2023-01-01,Brasil,crack,1,BO,Espagne\n"
        "C3,2023-01-01,Colomiba,crack,1,,\n",
    )
    assert list(n.frame["origin_iso3"][:2]) == ["PER", "BOL"]
    assert list(n.frame["destination_iso3"][:2]) == ["NLD", "ESP"]
    assert messages(n.errors) == [(4, "country", "Colomiba")]
    assert "did you mean Colombia (COL)" in n.errors[0].message


def test_other_drugs_are_skipped_and_a_file_without_cocaine_refused(tmp_path: Path) -> None:
    only = norm(tmp_path, "id,date,country,drug,kg\nH1,2023-01-01,COL,heroína,1\n")
    assert messages(only.errors) == [(None, "drug", None)]
    assert only.errors[0].message.startswith("the file has no cocaine row")
    assert "heroína 1" in only.errors[0].message
    mixed = norm(
        tmp_path,
        "id,date,country,drug,kg\nH1,2023-01-01,COL,heroína,1\nH2,2023-01-01,COL,crack,2\n"
        "H3,2023-01-01,Atlantis,cannabis,3\nH4,,COL,Cannabis,4\n",
    )
    assert mixed.errors == []  # nothing about rows that are not loaded
    assert mixed.frame["seizure_id"].tolist() == ["H2"] and mixed.rows == [3]
    assert "rows per name: Cannabis 1; cannabis 1; heroína 1" in mixed.warnings[0].message


def test_duplicate_ids_trimmed_case_insensitive(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "id,date,country,drug,kg\n"
        "AB-1,2023-01-01,COL,crack,1\n"
        "X,2023-01-01,COL,crack,1\n"
        " ab-1 ,2023-01-01,COL,crack,1\n",
    )
    assert messages(n.errors) == [(2, "id", "AB-1"), (4, "id", "ab-1")]
    assert "also on row(s) 4" in n.errors[0].message


def test_absurd_quantity_is_a_warning(tmp_path: Path) -> None:
    assert MAX_PLAUSIBLE_KG == 30_000
    n = norm(tmp_path, "id,date,country,drug,quantity (t)\nQ1,2023-01-01,COL,crack,45\n")
    assert n.errors == []
    assert messages(n.warnings) == [(2, "quantity (t)", "45000")]
    assert "plausibility bound of 30,000 kg" in n.warnings[0].message


def test_coordinates_dms_far_point_and_country_from_point(tmp_path: Path) -> None:
    assert MAX_KM_FROM_COUNTRY == 50
    n = norm(
        tmp_path,
        "id;fecha;país;droga;kg;latitud;longitud\n"
        "G1;2023-01-01;Colombia;crack;1;4°36'N;74°05'O\n"
        "G2;2023-01-01;;crack;1;-12,05;-77,04\n"
        "G3;2023-01-01;Colombia;crack;1;38.72;-9.14\n"
        "G4;2023-01-01;Colombia;crack;1;4 36 N;95\n"
        "G5;2023-01-01;Colombia;crack;1;-74.083;4.6\n",
    )
    f = n.frame
    assert round(f["latitude"][0], 4) == 4.6 and round(f["longitude"][0], 4) == -74.0833
    assert f["country_iso3"][1] == "PER"
    assert sorted(messages(n.warnings), key=str) == [
        (3, "país", "PER"),
        (4, "latitud", "38.72, -9.14"),
        (5, "latitud", "4.6, 95.0"),
        (6, "latitud", "-74.083, 4.6"),
    ]
    filled = next(w for w in n.warnings if w.value == "PER")
    assert filled.message == (
        "no country given on 1 row(s): filled in from the coordinates (PER 1); check them: rows 3"
    )
    assert any("6,137 km from Colombia (COL), more than 50 km" in w.message for w in n.warnings)
    assert messages(n.errors) == []


def test_coordinates_out_of_range_and_wrong_hemisphere(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "id,date,country,drug,kg,lat,lon\n"
        "R1,2023-01-01,COL,crack,1,95,10\n"
        "R2,2023-01-01,COL,crack,1,4 E,-74\n",
    )
    assert messages(n.errors) == [(2, "lat", "95"), (3, "lat", "4 E")]
    assert "between -90 and 90" in n.errors[0].message


def test_missing_and_unknown_headers(tmp_path: Path) -> None:
    n = norm(tmp_path, "id,fecha,droga,kg,notas\nM1,2023-01-01,crack,1,x\n")
    assert messages(n.errors) == [(None, "country_iso3", None)]
    assert messages(n.warnings) == [(None, None, "notas")]


def test_cases_in_spanish(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "Número de caso;País;Fecha de apertura;Fecha de sentencia;Resultado;Pena (meses);"
        "Cooperación;Etapa\n"
        "K1;Ecuador;2021-01-10;2022-03-01;Condenado;36,5;extradición;cerrado\n"
        "K2;Ecuador;2021-02-10;2021-01-01;absuelto;;ninguna;juicio\n"
        "K3;Ecuador;2021-02-10;;en trámite;;;\n",
        table="cases",
    )
    assert list(n.frame["outcome"]) == ["convicted", "acquitted", "pending"]
    assert list(n.frame["cooperation"]) == ["extradition", "none", None]
    assert n.frame["sentence_months"][0] == 36.5
    assert messages(n.errors) == [(3, "Fecha de sentencia", "2021-01-01")]  # verdict < opened


# ---------------------------------------------------------------------------------------------
# Command line: validate and import share one path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_validate_and_import_messy_spanish_csv(
    tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "incautaciones.csv"
    path.write_bytes(SPANISH.encode("cp1252"))
    code, out, _ = run(capsys, "validate", str(path), "--table", "seizures", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report == {
        "ok": True,
        "table": "seizures",
        "rows": 2,
        "errors": [],
        "warnings": [
            {
                "row": 5,
                "column": "Droga",
                "value": "hoja de coca",
                "message": "1 row(s) not cocaine skipped (other drugs, coca leaf, bush or seeds); "
                "rows per name: hoja de coca 1; first rows 5",
            }
        ],
    }
    code, out, _ = run(capsys, "validate", str(path), "--table", "seizures")
    assert code == 0 and "valid: 2 rows of seizures would load" in out
    assert "not cocaine skipped" in out
    code, out, _ = run(capsys, "import", str(path), "--table", "seizures")
    assert code == 0 and "loaded version 1: 2 rows of seizures" in out
    assert "warning: row 5, column Droga" in out
    code, out, _ = run(capsys, "versions", "--format", "json")
    listed = json.loads(out)
    assert [(v["version_id"], v["table"], v["rows"], v["file_name"]) for v in listed] == [
        (1, "seizures", 2, "incautaciones.csv")
    ]


def test_cli_validate_invalid_file(
    tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id;fecha;país;droga;cantidad\nB1;2023-01-01;Colomiba;crack;1\nB2;2023-01-01;COL;crack;x\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(path), "--table", "seizures", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["rows"] == 0
    assert [(e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        (2, "país", "Colomiba"),
        (3, "cantidad", "x"),
    ]
    code, _, err = run(capsys, "validate", str(path), "--table", "seizures")
    assert code == 1 and "row 2, column país (value 'Colomiba')" in err
    code, out, _ = run(capsys, "versions", "--format", "json")
    assert json.loads(out) == []
    with pytest.raises(SystemExit) as exit_:
        main(["validate", str(path), "--table", "nope"])
    assert exit_.value.code == 2


def test_header_only_and_coca_row_with_bad_cells(tmp_path: Path) -> None:
    empty = norm(tmp_path, "id,fecha,pais,droga,kg\n")
    assert messages(empty.errors) == [(None, None, None)]
    assert "no data rows" in empty.errors[0].message
    coca = norm(
        tmp_path,
        "id,fecha,pais,droga,kg\nA,2023-01-01,COL,Feuille de coca,abc\nB,2023-01-01,COL,crack,1\n",
    )
    assert coca.errors == []  # the coca-leaf row is not loaded, so its bad cells do not block
    assert messages(coca.warnings) == [(2, "droga", "Feuille de coca")]
    assert coca.rows == [3] and coca.frame["seizure_id"].tolist() == ["B"]


def test_ids_already_stored_are_reported_on_the_analysts_rows(tmp_path, store) -> None:
    """A dropped coca-leaf row must not shift the row numbers of a later clash with the store."""
    from crimjust_data.ingest.pipeline import import_file

    first = tmp_path / "first.csv"
    first.write_text(
        "id;fecha;país;droga;cantidad\nA1;2023-03-01;Colombia;cocaína;10\n", encoding="utf-8"
    )
    assert import_file(store, first, "seizures").ok
    second = tmp_path / "second.csv"
    second.write_text(
        "id;fecha;país;droga;cantidad\n"
        "B1;2023-03-02;Colombia;hoja de coca;10\n"
        "A1;2023-03-01;Colombia;cocaína;10\n",
        encoding="utf-8",
    )
    outcome = import_file(store, second, "seizures")
    assert not outcome.ok
    assert [(e["row"], e["value"]) for e in outcome.errors] == [(3, "A1")]


# ---------------------------------------------------------------------------------------------
# Issue 16: rows skipped (each kind counted once) and rows refused


def test_rows_without_an_amount_are_skipped_each_kind_counted_once(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "id;fecha;país;droga;cantidad;unidad;origen;medio\n"
        "K1;2023-01-01;COL;crack;2;kg;Perú;aéreo\n"
        "K2;2023-01-01;COL;crack;;kg;;\n"  # blank quantity
        "K3;2023-01-01;COL;crack;0;kg;;\n"  # zero: no event
        "K4;2023-01-01;COL;crack;12;comprimidos;;\n"  # a count
        "K5;2023-01-01;COL;crack;12;unidades;;\n"  # a count
        "K6;2023-01-01;COL;crack;12;;;\n"  # no unit in a file with a unit column
        "K7;2023-01-01;COL;cocaína líquida;2;litros;Desconocido;bicicleta anfibia\n"
        "K8;2023-01-01;COL;crack;1;US gallons;Atlantis;\n",
    )
    assert n.errors == []
    assert n.frame["seizure_id"].tolist() == ["K1", "K7", "K8"]
    assert n.frame["quantity_kg"].tolist() == [2.0, 2.0, 3.785411784]
    assert n.frame["drug"].tolist() == ["crack", "cocaine_unspecified", "crack"]
    assert n.frame["origin_iso3"].tolist() == ["PER", pd.NA, pd.NA]
    assert n.frame["conveyance"].tolist() == ["air", pd.NA, pd.NA]
    text = [w.message for w in n.warnings]
    assert sum("no quantity skipped" in m for m in text) == 1
    assert sum("quantity of 0 skipped" in m for m in text) == 1
    assert any(m.startswith("2 row(s) counted in units") and "rows 5, 6" in m for m in text)
    assert any(m.startswith("1 row(s) with no unit skipped") for m in text)
    assert any(m.startswith("2 quantity(ies) given as a volume") for m in text)
    assert any("'Atlantis', 'Desconocido'" in m and "rows 8, 9" in m for m in text)
    assert any("'bicicleta anfibia'" in m for m in text)


def test_wrong_rows_refuse_the_file_and_nothing_left_is_said(tmp_path: Path) -> None:
    wrong = norm(
        tmp_path,
        "id,date,country,drug,kg\nW1,2023-02-30,COL,crack,1\nW2,2023-01-01,Unknown,crack,1\n"
        "W3,2023-01-01,COL,crack,-1\nW4,2023-01-01,COL,crack,inf\n",
    )
    assert messages(wrong.errors) == [
        (2, "date", "2023-02-30"),
        (3, "country", "Unknown"),
        (4, "kg", "-1"),
        (5, "kg", "inf"),
    ]
    empty = norm(tmp_path, "id,date,country,drug,kg\nE1,2023-01-01,COL,crack,0\n")
    assert [e.message for e in empty.errors] == [
        "nothing left to load: every row was skipped, for the reasons in the warnings"
    ]


def test_ids_derived_from_the_rows_are_stable_and_distinct(tmp_path: Path) -> None:
    text = "fecha;país;droga;kg\n2023-01-01;COL;crack;1\n2023-01-01;COL;crack;1\n2023-01-02;COL;crack;1\n"
    first, again = norm(tmp_path, text), norm(tmp_path, text.replace("\n", "\r\n"), name="g.csv")
    ids = first.frame["seizure_id"].tolist()
    assert ids == again.frame["seizure_id"].tolist()  # the same rows, the same ids
    assert len(set(ids)) == 3 and ids[0][:-1] == ids[1][:-1]  # identical rows: occurrence 1, 2
    assert all(re.fullmatch(r"auto-[0-9a-f]{16}-[12]", i) for i in ids)


def test_country_name_and_code_checked_row_by_row(tmp_path: Path) -> None:
    n = norm(
        tmp_path,
        "country,code,year,seizures\nPeru,NA,2020,5\nColombia,PER,2020,6\nYugoslavia,YUG,1995,7\n"
        "Namibia,NA,2020,1\n",
        table="annual_seizures",
    )
    assert messages(n.errors) == [(3, "country / code", "Colombia / PER")]
    assert "different countries (COL and PER)" in n.errors[0].message
    ok = norm(
        tmp_path,
        "country,code,year,seizures\nPeru,NA,2020,5\nYugoslavia,YUG,1995,7\nNamibia,NA,2020,1\n",
        table="annual_seizures",
    )
    assert ok.errors == []
    assert ok.frame["country_iso3"].tolist() == ["PER", "YUG", "NAM"]
    assert ok.frame["drug"].tolist() == ["cocaine_unspecified"] * 3  # no drug column
    assert ok.frame["quantity_kg"].tolist() == [5.0, 7.0, 1.0]


def test_a_file_whose_every_row_is_skipped_is_refused_even_with_errors_on_them(
    tmp_path: Path,
) -> None:
    n = norm(tmp_path, "id,date,country,drug,kg\nZ1,2023-02-30,Atlantis,crack,0\n")
    assert [e.message for e in n.errors] == [
        "nothing left to load: every row was skipped, for the reasons in the warnings"
    ]


def test_points_are_checked_in_the_language_of_the_call(tmp_path: Path) -> None:
    """The points are checked in a thread beside the other columns: its messages are still in
    the language of the call."""
    from crimjust_data import i18n

    with i18n.using("es"):
        n = norm(
            tmp_path,
            "id,date,country,drug,kg,lat,lon\n"
            "P1,2023-01-01,COL,crack,1,38.72,-9.14\n"
            "P2,2023-01-01,COL,crack,1,95,10\n",
        )
    assert len(n.warnings) == 1
    assert n.warnings[0].message.startswith("el punto (38.7200, -9.1400) está a ")
    assert messages(n.errors) == [(3, "lat", "95")]
    assert n.errors[0].message.startswith("la latitud debe estar entre -90 y 90")
