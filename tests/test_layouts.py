"""crimjust_data.ingest.layouts: the layouts recognised by their headers (issue 16).

Every file here is written by the test, small, in the shape of a layout seen in the field;
none is a copy of real data.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from crimjust_data.ingest.aliases import UNIT_COLUMN
from crimjust_data.ingest.layouts import (
    IDS_MAPPING,
    LAYOUTS,
    detect_layout,
    layout_mapping,
    monthly_aggregate_message,
    wdr_to_long,
)
from crimjust_data.ingest.readers import TableFile, read_table_file
from crimjust_data.ingest.unodc import looks_like_unodc_export, read_unodc_export
from crimjust_data.schemas import COLUMNS, ValidationFailed

IDS_HEADER = (
    "REGION;SUBREGION;COUNTRY;ADMINISTRATIVE_DIVISION;PLACE;SEIZURE_DATE;DRUG_NAME;AMOUNT;"
    "DRUG_UNIT;HIDING_PLACE;INSTALLATION;TRANSPORT;PRODUCING_COUNTRY;DEPARTURE_COUNTRY;"
    "DESTINATION_COUNTRY;ROUTING"
)
IDS_ROW = (
    "Americas;South America;Peru;Lima;Callao;2021-03-04;Cocaine HCL;12,5;Kilogram;Luggage;"
    "Airport;Commercial air;Colombia;Unknown;Spain;Multiple Countries"
)
CBP_HEADER = (
    "Data Type,Area of Responsibility,Month (abbv),Month (FY),Component,Region,Land Filter,"
    "Drug Type,Count of Event,Sum Qty (lbs),FY"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> TableFile:
    return read_table_file(write(tmp_path, name, text, encoding))


def workbook(path: Path, rows: list[list[object]], merged: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def records(table: TableFile) -> list[list[object]]:
    return [[None if pd.isna(v) else v for v in row] for row in table.frame.itertuples(index=False)]


# ---------------------------------------------------------------------------------------------
# Detection


def test_dataunodc_export_is_detected(tmp_path: Path) -> None:
    text = (
        "Region;SubRegion;Country;DrugGroup;DrugSubGroup;DrugName;Reference year;Kilograms;"
        "msCode\nAmericas;South America;Peru;Cocaine-type;Cocaine;Cocaine hydrochloride;2020;"
        "1,5;PER\n"
    )
    assert detect_layout(read(tmp_path, "export.csv", text)) == "dataunodc"


def test_an_english_national_file_is_not_dataunodc(tmp_path: Path) -> None:
    # the file that the dataUNODC path took, dropping its 'Cocaína' rows and labelling it UNODC
    path = write(tmp_path, "national.csv", "Country,Drug,Year,Kg\nPeru,Cocaína,2021,4\n")
    assert detect_layout(read_table_file(path)) is None
    assert not looks_like_unodc_export(path)


@pytest.mark.parametrize(
    "header",
    [
        IDS_HEADER,
        # another order, a few columns missing, other case: still the layout
        "seizure_date;drug_name;amount;drug_unit;country;place;transport",
        "COUNTRY;DRUG_NAME;SEIZURE_DATE;AMOUNT;DRUG_UNIT;PRODUCING_COUNTRY",
        "SEIZURE_DATE;DRUG_NAME;AMOUNT;DRUG_UNIT;PLACE;HIDING_PLACE",  # no COUNTRY: --country
    ],
)
def test_individual_seizures_is_detected(tmp_path: Path, header: str) -> None:
    width = len(header.split(";"))
    table = read(tmp_path, "ids.csv", header + "\n" + ";".join(["x"] * width) + "\n")
    assert detect_layout(table) == "individual_seizures"


def test_too_little_of_individual_seizures_is_not_it(tmp_path: Path) -> None:
    # an analyst's event list with four of its words is the general importer's
    table = read(tmp_path, "e.csv", "Seizure date,Drug name,Amount,Drug unit\n2021-01-01,x,1,kg\n")
    assert detect_layout(table) is None


def test_wdr_table_is_detected_in_csv_and_xlsx(tmp_path: Path) -> None:
    text = "Country/territory,Drug,2019,2020,2021\nPeru,Cocaine hydrochloride,1,2,3\n"
    assert detect_layout(read(tmp_path, "wdr.csv", text)) == "wdr_wide"
    path = workbook(
        tmp_path / "wdr.xlsx",
        [["Country", "Drug group", 2019, 2020.0], ["Peru", "Cocaine-type", 1, 2]],
    )
    assert detect_layout(read_table_file(path)) == "wdr_wide"  # years as numbers in cells


@pytest.mark.parametrize(
    "header",
    [
        "Country,Drug,2019",  # one year: not a wide table
        "Country,2019,2020",  # no drug column
        "Drug,2019,2020",  # no country column
        "Country,Drug,1979,1978",  # not years this table can hold
    ],
)
def test_not_a_wdr_table(tmp_path: Path, header: str) -> None:
    width = len(header.split(","))
    table = read(tmp_path, "t.csv", header + "\n" + ",".join(["1"] * width) + "\n")
    assert detect_layout(table) is None


@pytest.mark.parametrize(
    "header",
    [
        CBP_HEADER,
        "Año fiscal;Mes;Oficina;Tipo de droga;Cantidad de eventos;Cantidad (kg)",
        "Exercice;Mois;Bureau;Drogue;Nombre de saisies;Quantité (kg)",
        "Ano fiscal;Mês;Unidade;Droga;Número de apreensões;Quantidade (kg)",
        "Year;Month;Office;Drug;Events;Weight (kg)",
    ],
)
def test_monthly_aggregate_is_detected(tmp_path: Path, header: str) -> None:
    delimiter = "," if header == CBP_HEADER else ";"
    width = len(header.split(delimiter))
    table = read(tmp_path, "m.csv", header + "\n" + delimiter.join(["1"] * width) + "\n")
    assert detect_layout(table) == "monthly_aggregate"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # analysts' event lists and long tables: the general importer's
        ("seizures.csv", "Fecha;País;Droga;Cantidad (g)\n03/04/2021;Perú;cocaína;1500,5\n"),
        (
            "police.csv",
            "UF;UNIDADE;CIDADE_APREENSAO;DATA;DROGA;QUANTIDADE;UNIDADE_MEDIDA;ORIGEM;lat;lon\n"
            "SP;DEIC;Santos;03/15/2021;Cocaína;1200;gramas;porto;-23,9;-46,3\n",
        ),
        (
            "state.csv",
            "AIS,Município,Dia da Semana,Data,Hora,Quantidade (Kg),Tipo de Entorpecente\n"
            "AIS 1,Fortaleza,Segunda,01/02/2021,10:00,1.5,Cocaína\n",
        ),
        ("annual.csv", "country,code,year,seizures\nYugoslavia,YUG,1990,12\n"),
        # an event list with a month column is still an event list (no count of events)
        ("events.csv", "id,date,month,country,drug,kg\n1,2021-01-02,1,PER,cocaine,2\n"),
        # a seizure number is an id, not a count of events
        ("ids.csv", "Seizure number,Month,Country,Drug,Kg\nS1,1,PER,cocaine,2\n"),
    ],
)
def test_ordinary_files_have_no_layout(tmp_path: Path, name: str, text: str) -> None:
    assert detect_layout(read(tmp_path, name, text)) is None


def test_layouts_are_named() -> None:
    assert LAYOUTS == ("dataunodc", "individual_seizures", "wdr_wide", "monthly_aggregate")


# ---------------------------------------------------------------------------------------------
# Individual Drug Seizures: header mapping


def test_individual_seizures_mapping(tmp_path: Path) -> None:
    table = read(tmp_path, "ids.csv", IDS_HEADER + "\n" + IDS_ROW + "\n")
    mapping = layout_mapping(table)
    assert mapping == {
        "REGION": "",
        "SUBREGION": "",
        "COUNTRY": "country_iso3",
        "ADMINISTRATIVE_DIVISION": "",
        "PLACE": "location",
        "SEIZURE_DATE": "date",
        "DRUG_NAME": "drug",
        "AMOUNT": "quantity_kg",
        "DRUG_UNIT": UNIT_COLUMN,
        "HIDING_PLACE": "",
        "INSTALLATION": "",
        "TRANSPORT": "conveyance",
        "PRODUCING_COUNTRY": "origin_iso3",
        "DEPARTURE_COUNTRY": "transit_iso3",
        "DESTINATION_COUNTRY": "destination_iso3",
        "ROUTING": "",
    }
    assert mapping == IDS_MAPPING
    allowed = {*COLUMNS["seizures"], UNIT_COLUMN, ""}
    assert set(IDS_MAPPING.values()) <= allowed


def test_individual_seizures_mapping_keeps_the_files_headers(tmp_path: Path) -> None:
    # headers as the file writes them; no PLACE: the administrative division is the location;
    # a header not of the layout is left to the general aliases
    header = "Seizure_Date;Drug_Name;Amount;Drug_Unit;Country;Administrative_Division;Id"
    table = read(tmp_path, "ids.csv", header + "\n" + ";".join(["1"] * 7) + "\n")
    assert layout_mapping(table) == {
        "Seizure_Date": "date",
        "Drug_Name": "drug",
        "Amount": "quantity_kg",
        "Drug_Unit": UNIT_COLUMN,
        "Country": "country_iso3",
        "Administrative_Division": "location",
    }


def test_mapping_of_other_layouts_is_empty(tmp_path: Path) -> None:
    table = read(tmp_path, "t.csv", "Fecha;País;Droga;Cantidad\n2021-01-01;PER;cocaína;1\n")
    assert layout_mapping(table) == {}


# ---------------------------------------------------------------------------------------------
# World Drug Report: wide to long

WDR_ROWS: list[list[object]] = [
    ["Quantity seized (kg)"],  # row 1: a title naming the unit
    ["Country/territory", "Drug", 2019, 2020, 2021],  # row 2: the header, years as numbers
    ["Peru", "Cocaine hydrochloride", 10, "..", 5.5],  # row 3
    [None, "Cocaine (base, paste and salts)", None, 3, "-"],  # row 4: Peru (merged A3:A4)
    ["South America", "Cocaine hydrochloride", 100, 200, 300],  # row 5: a region subtotal
    [None, "Cocaine base", 1, 2, 3],  # row 6: the region's too (merged A5:A6)
    ["South Africa", "Cocaine (salt and crack)", 7, "...", "–"],  # row 7: a country
    [None, None, None, None, None],  # row 8: empty
    [None, "Crack", 4, None, None],  # row 9: no country above it in its group
    ["Total", None, 1000, 1000, 1000],  # row 10: the world's total
    ["Chile", "Total", 50, 50, 50],  # row 11: a country's total over drugs
]


def test_wdr_xlsx_to_long_rows(tmp_path: Path) -> None:
    path = workbook(tmp_path / "wdr.xlsx", WDR_ROWS, merged=("A3:A4", "A5:A6"))
    table = read_table_file(path)
    assert detect_layout(table) == "wdr_wide"
    long = wdr_to_long(table)
    assert list(long.frame.columns) == ["country", "year", "drug", "quantity", "unit"]
    assert records(long) == [
        ["Peru", "2019", "Cocaine hydrochloride", "10", "kg"],
        ["Peru", "2021", "Cocaine hydrochloride", "5.5", "kg"],
        ["Peru", "2020", "Cocaine (base, paste and salts)", "3", "kg"],
        ["South Africa", "2019", "Cocaine (salt and crack)", "7", "kg"],
        [None, "2019", "Crack", "4", "kg"],  # left blank: the normaliser refuses it
    ]
    # each long row: the file row of its value cell
    assert long.row_numbers == (3, 3, 4, 7, 9)
    assert [long.row_number(i) for i in range(5)] == [3, 3, 4, 7, 9]
    assert long.frame.attrs["row_numbers"] == (3, 3, 4, 7, 9)
    assert long.first_data_row == 3
    assert (long.file_name, long.sheet, long.header_row) == ("wdr.xlsx", "Sheet", 2)
    left_out = [n for n in long.notes if n.row is not None]
    assert [(n.row, n.value, n.error) for n in left_out] == [
        (5, "South America", False),
        (6, "South America", False),
        (10, "Total", False),
        (11, "Total", False),
    ]
    assert all("region or total row" in n.message for n in left_out)
    unit = [n for n in long.notes if n.row is None]
    assert [(n.value, n.error) for n in unit] == [("Quantity seized (kg)", False)]
    assert "its values were read as kg" in unit[0].message


def test_wdr_unit_and_source_columns_are_kept(tmp_path: Path) -> None:
    text = (
        "Country,Drug,Unit,Source,2018,2019\n"
        "Peru,Cocaine base,Kilograms,ARQ,1,2\n"
        ",Coca leaf,Tons,ARQ,..,3\n"
    )
    long = wdr_to_long(read(tmp_path, "wdr.csv", text))
    assert list(long.frame.columns) == ["country", "year", "drug", "quantity", "unit", "source"]
    assert records(long) == [
        ["Peru", "2018", "Cocaine base", "1", "Kilograms", "ARQ"],
        ["Peru", "2019", "Cocaine base", "2", "Kilograms", "ARQ"],
        ["Peru", "2019", "Coca leaf", "3", "Tons", "ARQ"],
    ]
    assert long.row_numbers == (2, 2, 3)
    assert long.delimiter == "," and long.encoding == "utf-8"
    assert not long.notes


def test_wdr_fill_down_stops_where_an_outer_label_changes(tmp_path: Path) -> None:
    # a region column left of the country: a row with no country under another region is that
    # region's subtotal, never the country above
    text = (
        "Region;Country;Drug;2019;2020\n"
        "Americas;Peru;Cocaine base;1;2\n"  # row 2
        ";;Cocaine hydrochloride;3;4\n"  # row 3: Peru (merged region and country)
        "Europe;;Cocaine hydrochloride;900;900\n"  # row 4: Europe's subtotal, left out
        "Oceania;;Crack;5;\n"  # row 5: a new region with no country: blank, not Peru
    )
    long = wdr_to_long(read(tmp_path, "wdr.csv", text))
    assert records(long) == [
        ["Peru", "2019", "Cocaine base", "1"],
        ["Peru", "2020", "Cocaine base", "2"],
        ["Peru", "2019", "Cocaine hydrochloride", "3"],
        ["Peru", "2020", "Cocaine hydrochloride", "4"],
    ]
    notes = [(n.row, n.value) for n in long.notes]
    assert notes == [(4, "Europe"), (5, "Oceania")]


def test_wdr_region_labels_repeated_on_every_row_do_not_stop_the_fill(tmp_path: Path) -> None:
    # a region column written on every row (not merged), the country merged; a code column
    # first (the name column is the country: a subtotal row names its region there); a
    # subregion column right of the country that changes on a subtotal row
    text = (
        "Code;Region;Country;Drug;Subregion;2019;2020\n"
        "PER;Americas;Peru;Cocaine base;South America;1;2\n"  # row 2
        ";Americas;;Cocaine hydrochloride;South America;3;\n"  # row 3: Peru
        ";Americas;;Cocaine;Caribbean;70;80\n"  # row 4: the Caribbean's subtotal
        ";Americas;South America;Cocaine;South America;9;9\n"  # row 5: a region's total
        "CHL;Americas;Chile;Crack;South America;5;6\n"  # row 6
    )
    table = read(tmp_path, "wdr.csv", text)
    assert detect_layout(table) == "wdr_wide"
    long = wdr_to_long(table)
    assert records(long) == [
        ["Peru", "2019", "Cocaine base", "1"],
        ["Peru", "2020", "Cocaine base", "2"],
        ["Peru", "2019", "Cocaine hydrochloride", "3"],
        ["Chile", "2019", "Crack", "5"],
        ["Chile", "2020", "Crack", "6"],
    ]
    assert long.row_numbers == (2, 2, 3, 6, 6)
    assert [(n.row, n.column, n.value) for n in long.notes] == [
        (4, "Subregion", "Caribbean"),
        (5, "Country", "South America"),
    ]


def test_wdr_region_names_are_not_countries_and_countries_are(tmp_path: Path) -> None:
    labels = [
        "Americas",
        "Western and Central Europe",
        "Near and Middle East/South-West Asia",
        "Sub-total",
        "World",
        "Grand total",
        "Africa (total)",
    ]
    countries = ["South Africa", "Central African Republic", "Micronesia", "Dominica"]
    text = "Country,Drug,2019,2020\n" + "".join(
        f'"{label}",Cocaine,1,2\n' for label in [*labels, *countries]
    )
    long = wdr_to_long(read(tmp_path, "wdr.csv", text))
    assert sorted(set(long.frame["country"])) == sorted(countries)
    assert [n.value for n in long.notes] == labels


def test_wdr_with_the_drug_as_the_outer_group(tmp_path: Path) -> None:
    # drugs merged over their countries: the drug is filled down, each country is its own
    path = workbook(
        tmp_path / "wdr.xlsx",
        [
            ["Drug", "Country", "2019", "2020"],
            ["Cocaine hydrochloride", "Peru", 1, 2],
            [None, "Chile", 3, None],
            ["Crack", "Brazil", None, 4],
            [None, None, 5, None],  # no country: blank, the normaliser refuses it
        ],
        merged=("A2:A3",),
    )
    long = wdr_to_long(read_table_file(path))
    assert records(long) == [
        ["Peru", "2019", "Cocaine hydrochloride", "1"],
        ["Peru", "2020", "Cocaine hydrochloride", "2"],
        ["Chile", "2019", "Cocaine hydrochloride", "3"],
        ["Brazil", "2020", "Crack", "4"],
        [None, "2019", "Crack", "5"],
    ]
    assert long.row_numbers == (2, 2, 3, 4, 5)


def test_wdr_title_naming_two_units_is_an_error(tmp_path: Path) -> None:
    text = "Seizures in kilograms and tons\nCountry,Drug,2019,2020\nPeru,Cocaine,1,2\n"
    long = wdr_to_long(read(tmp_path, "wdr.csv", text))
    assert [n.error for n in long.notes] == [True]
    assert "names several units (kg, t)" in long.notes[0].message
    assert "unit" not in long.frame.columns


def test_wdr_without_any_unit_has_no_unit_column(tmp_path: Path) -> None:
    long = wdr_to_long(read(tmp_path, "wdr.csv", "Country,Drug,2019,2020\nPeru,Cocaine,1,2\n"))
    assert list(long.frame.columns) == ["country", "year", "drug", "quantity"]
    assert not long.notes


def test_wdr_ragged_rows_still_refuse_and_give_no_figure(tmp_path: Path) -> None:
    # re-saved with ',' and an unquoted decimal comma: row 3 has one cell too many
    text = "Country,Drug,2019,2020\nPeru,Cocaine,1,2\nChile,Cocaine,12,5,7\nBolivia,Crack,3,4\n"
    table = read(tmp_path, "wdr.csv", text)
    long = wdr_to_long(table)
    errors = [n for n in long.notes if n.error]
    assert [n.row for n in errors] == [3]
    assert errors == [n for n in table.notes if n.error]  # the reader's own note, kept
    assert "Chile" not in set(long.frame["country"])
    assert 3 not in long.row_numbers
    assert records(long) == [
        ["Peru", "2019", "Cocaine", "1"],
        ["Peru", "2020", "Cocaine", "2"],
        ["Bolivia", "2019", "Crack", "3"],
        ["Bolivia", "2020", "Crack", "4"],
    ]


def test_wdr_table_with_no_figures_is_an_empty_long_table(tmp_path: Path) -> None:
    long = wdr_to_long(read(tmp_path, "wdr.csv", "Country,Drug,2019,2020\nPeru,Cocaine,..,-\n"))
    assert long.frame.empty
    assert list(long.frame.columns) == ["country", "year", "drug", "quantity"]
    assert long.row_numbers == ()


def test_wdr_to_long_refuses_another_layout(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a World Drug Report wide table"):
        wdr_to_long(read(tmp_path, "t.csv", "Country,Drug,Year,Kg\nPeru,Cocaine,2020,1\n"))


# ---------------------------------------------------------------------------------------------
# Monthly aggregates: refused, saying what they are and what would load them


def test_monthly_aggregate_message_names_the_columns(tmp_path: Path) -> None:
    text = CBP_HEADER + "\nSeizure,Field Operations,OCT,1,OFO,Southwest,Land,Cocaine,3,12.5,2021\n"
    table = read(tmp_path, "cbp.csv", text)
    message = monthly_aggregate_message(table)
    assert message.startswith("cbp.csv is a monthly aggregate (")
    for found in (
        "count of events 'Count of Event'",
        "month 'Month (abbv)', 'Month (FY)'",
        "fiscal year 'FY'",
        "drug 'Drug Type'",
        "quantity 'Sum Qty (lbs)'",
        "office or area 'Area of Responsibility', 'Component', 'Region'",
    ):
        assert found in message
    assert "Data Type" not in message and "Land Filter" not in message
    assert "one row per seizure, with a date" in message
    assert "calendar-year totals per country and drug" in message
    assert "a fiscal year is not a calendar year" in message
    assert message.endswith("import that with --table annual")


def test_monthly_aggregate_message_without_a_fiscal_year(tmp_path: Path) -> None:
    text = "Año;Mes;Oficina;Droga;Cantidad de eventos;Cantidad (kg)\n2021;1;Lima;cocaína;2;3,5\n"
    message = monthly_aggregate_message(read(tmp_path, "mensual.csv", text))
    assert message.startswith(
        "mensual.csv is a monthly aggregate (count of events 'Cantidad de eventos'; month 'Mes'; "
        "year 'Año'; drug 'Droga'; quantity 'Cantidad (kg)'; office or area 'Oficina')"
    )
    assert "fiscal" not in message


# ---------------------------------------------------------------------------------------------
# Ragged rows on the dataUNODC path: refused, rows named, no quantity returned


def test_ragged_resaved_dataunodc_export_is_refused(tmp_path: Path) -> None:
    # a dataUNODC export re-saved with ',' as delimiter and unquoted decimal commas
    header = "Region,SubRegion,Country,DrugGroup,DrugSubGroup,DrugName,Reference year,Kilograms,"
    lines = [
        header + "msCode",
        "Americas,South America,Peru,Cocaine-type,Cocaine,Cocaine hydrochloride,2020,3,PER",
        "Americas,South America,Peru,Cocaine-type,Cocaine,Crack,2020,12,5,PER",  # row 3
        "Americas,South America,Chile,Cocaine-type,Cocaine,Cocaine base,2021,8,CHL",
        "Americas,South America,Chile,Cocaine-type,Cocaine,Cocaine base,2022,0,75,CHL",  # row 5
    ]
    path = write(tmp_path, "resaved.csv", "\n".join(lines) + "\n")
    assert detect_layout(read_table_file(path)) == "dataunodc"
    with pytest.raises(ValidationFailed) as caught:
        read_unodc_export(path)
    assert [e.row for e in caught.value.errors] == [3, 5]
    assert all("10 cells but the header has 9 columns" in e.message for e in caught.value.errors)
