"""Small files in the layouts analysts really have (issue 16), written by hand: never copies of
real data. One builder per layout; each writes its file under the folder given and returns the
path. The rows are literal text (no csv module) so that a ragged row or an unquoted decimal comma
is written exactly as a spreadsheet re-saved by hand would have it.

The tests in test_field_files.py know the numbers each file must load as.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl


def write_lines(
    path: Path,
    lines: Sequence[str],
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    """`lines` joined as they are (each already delimited), in `encoding`, ending in `newline`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


# ---------------------------------------------------------------------------------------------
# 1. A national police event list: Portuguese headers, ';', month-first dates, decimal commas in
# the quantities and coordinates, a unit column (UNIDADE_MEDIDA) beside the police unit
# (UNIDADE), ORIGEM holding a kind of place (not a country), no country and no id column.

POLICE_HEADER = "UF;UNIDADE;CIDADE_APREENSAO;DATA;DROGA;QUANTIDADE;UNIDADE_MEDIDA;ORIGEM;lat;lon"
POLICE_ROWS = (
    "SP;DRE/SP;GUARULHOS;12/31/2021;COCAÍNA;1500;gramas;aeroporto;-23,43;-46,47",
    "SP;DRE/SP;CAMPINAS;01/15/2022;COCAÍNA;2,5;quilos;aeroporto;-22,91;-47,06",
    "PR;DRE/PR;CURITIBA;02/03/2022;CRACK;250;gramas;porto;-25,43;-49,27",
    "MG;DRE/MG;BELO HORIZONTE;03/20/2022;MACONHA;10;quilos;porto;-19,92;-43,94",
    # the same seizure reported twice is two seizures: two identical rows, two stored rows
    "DF;DRE/DF;BRASILIA;04/02/2022;COCAÍNA;800;gramas;aeroporto;-15,79;-47,88",
    "DF;DRE/DF;BRASILIA;04/02/2022;COCAÍNA;800;gramas;aeroporto;-15,79;-47,88",
    "MG;DRE/MG;UBERLANDIA;05/13/2022;MACONHA;3;quilos;porto;-18,92;-48,28",
    "SP;DRE/SP;CAMPINAS;06/07/2022;COCAÍNA;12,75;quilos;porto;-22,91;-47,06",
)


def police_events_pt(folder: Path, name: str = "apreensoes_pf.csv", resaved: bool = False) -> Path:
    """The police event list; `resaved`: the same rows in the opposite order with CRLF line
    ends, as a colleague's copy of the file would be (same content, other bytes)."""
    rows = list(reversed(POLICE_ROWS)) if resaved else list(POLICE_ROWS)
    return write_lines(folder / name, [POLICE_HEADER, *rows], newline="\r\n" if resaved else "\n")


# ---------------------------------------------------------------------------------------------
# 2. A state police event list: no country at all, the unit in the quantity's header,
# day-first dates, Maconha/Cocaína/Crack in one file.

AIS_LINES = (
    "AIS,Município,Dia da Semana,Data,Hora,Quantidade (Kg),Tipo de Entorpecente",
    "AIS 01,Fortaleza,Terça-feira,25/01/2022,14:30,1.5,Cocaína",
    "AIS 01,Fortaleza,Terça-feira,25/01/2022,15:10,0.25,Crack",
    "AIS 07,Caucaia,Quarta-feira,16/02/2022,09:05,3.2,Maconha",
    "AIS 12,Sobral,Sábado,19/03/2022,22:40,0.045,Cocaína",
    "AIS 12,Sobral,Sábado,19/03/2022,23:00,7,Maconha",
)


def ais_events(folder: Path, encoding: str = "utf-8") -> Path:
    """The AIS event list in `encoding` ('utf-8' or 'cp1252', as Excel saves it)."""
    return write_lines(folder / f"ais_{encoding}.csv", AIS_LINES, encoding=encoding)


# ---------------------------------------------------------------------------------------------
# 3. UNODC's Individual Drug Seizures layout: every drug, units per row, transport words,
# route countries that are not countries, historical country names.

IDS_HEADER = (
    "REGION;SUBREGION;COUNTRY;ADMINISTRATIVE_DIVISION;PLACE;SEIZURE_DATE;DRUG_NAME;AMOUNT;"
    "DRUG_UNIT;HIDING_PLACE;INSTALLATION;TRANSPORT;PRODUCING_COUNTRY;DEPARTURE_COUNTRY;"
    "DESTINATION_COUNTRY;ROUTING"
)
IDS_ROWS = (
    "Americas;South America;Colombia;Bolivar;Cartagena;2019-03-14;Cocaine HCL;120.5;Kilogram;"
    "Container;Seaport;Commercial sea;Colombia;Colombia;Netherlands;",
    "Americas;South America;Peru;Lima;Callao;2019-04-02;Cocaine Base;850;Gram;Luggage;Airport;"
    "Commercial air;Peru;Peru;Spain;",
    "Americas;South America;Bolivia;Santa Cruz;Puerto Suarez;2019-05-20;Coca paste;2;Kilogram;"
    "Vehicle;Road;Private road;Bolivia;Bolivia;Brazil;",
    "Americas;South America;Brazil;Sao Paulo;Sao Paulo;2019-06-03;Crack;300;Gram;Parcel;"
    "Post office;Mail;Unknown;Multiple Countries;National territory;",
    "Americas;Caribbean;Netherlands Antilles;Curacao;Willemstad;2009-06-11;Cocaine HCL;15;"
    "Kilogram;Boat;Seaport;Commercial sea;Colombia;Venezuela;Netherlands;",
    "Asia;East Asia;Macau, SAR of China;Macau;Macau;2019-07-09;Cocaine HCL;3.5;Kilogram;"
    "Luggage;Airport;Commercial air;Brazil;Ethiopia;Macau, SAR of China;",
    "Africa;North Africa;Libyan Arab Jamahiriya;Tripoli;Tripoli;2010-08-01;Liquid cocaine;500;"
    "Millilitre;Bottles;Seaport;Commercial sea;Brazil;Unknown;Libyan Arab Jamahiriya;",
    "Europe;Southern Europe;Spain;Madrid;Madrid;2019-09-12;Liquid cocaine;2;Gallons;Luggage;"
    "Airport;Commercial air;Colombia;Venezuela;Netherlands Antilles;",
    # not loadable as kg, or not cocaine: skipped, each kind counted in a warning
    "Americas;South America;Colombia;Narino;Tumaco;2019-10-01;Cocaine HCL;12;Unit;Body;"
    "Seaport;Commercial sea;Colombia;Colombia;Ecuador;",
    "Americas;South America;Peru;Cusco;Cusco;2019-10-02;Coca leaf;500;Kilogram;Vehicle;Road;"
    "Private road;Peru;Peru;Peru;",
    "Americas;South America;Colombia;Cauca;Popayan;2019-10-03;Coca Seeds;2;Kilogram;Vehicle;"
    "Road;Private road;Colombia;Colombia;Colombia;",
    "Americas;South America;Brazil;Parana;Foz do Iguacu;2019-10-04;Cannabis herb;40;Kilogram;"
    "Vehicle;Road;Private road;Paraguay;Paraguay;Brazil;",
)


def individual_drug_seizures(folder: Path) -> Path:
    return write_lines(folder / "individual_drug_seizures.csv", [IDS_HEADER, *IDS_ROWS])


# ---------------------------------------------------------------------------------------------
# 4. The World Drug Report's wide table: one row per country and drug, years as columns, the
# country written once per group (merged cells in a workbook, blanks below it in a CSV).

WDR_YEARS = (2018, 2019, 2020)
WDR_GROUPS: tuple[tuple[str, tuple[tuple[str, tuple[object, ...]], ...]], ...] = (
    (
        "Colombia",
        (
            ("Cocaine (base, paste and salts)", (400000.5, 430000, "..")),
            ("Cocaine hydrochloride", (250000, "..", 260000.25)),
            ("Cannabis herb", (100, 200, 300)),
        ),
    ),
    (
        "Cabo Verde",
        (
            ("Cocaine (base, paste and salts)", (12.5, 0.75, "..")),
            ("Cannabis herb", (5, 6, 7)),
        ),
    ),
    ("Brazil", (("Cocaine (salt and crack)", (70000, 80000, 90000.5)),)),
)


def wdr_wide_xlsx(folder: Path) -> Path:
    """The wide table as a workbook, each country's cell merged down its group."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cocaine"
    sheet.append(["Country", "Drug", *WDR_YEARS])
    for country, drugs in WDR_GROUPS:
        first = sheet.max_row + 1
        for drug, values in drugs:
            sheet.append([country, drug, *values])
        if len(drugs) > 1:
            for row in range(first + 1, first + len(drugs)):
                sheet.cell(row=row, column=1).value = None  # what a merged range keeps
            sheet.merge_cells(start_row=first, start_column=1, end_row=sheet.max_row, end_column=1)
    path = folder / "wdr_cocaine_seizures.xlsx"
    book.save(path)
    return path


def _cell(value: object) -> str:
    text = str(value)
    return f'"{text}"' if "," in text else text


def wdr_wide_csv(folder: Path, ragged: bool = False) -> Path:
    """The wide table as CSV, blank country cells below the first row of a group. `ragged`:
    Brazil's 2019 value written with an unquoted decimal comma ('80000,5'), one cell too many
    on file row 7."""
    lines = ["Country,Drug," + ",".join(str(y) for y in WDR_YEARS)]
    for country, drugs in WDR_GROUPS:
        for i, (drug, values) in enumerate(drugs):
            cells = [_cell(country) if i == 0 else "", _cell(drug), *map(_cell, values)]
            lines.append(",".join(cells))
    if ragged:
        assert lines[6].startswith("Brazil,")
        lines[6] = lines[6].replace(",80000,", ",80000,5,")
    name = "wdr_ragged.csv" if ragged else "wdr_cocaine_seizures.csv"
    return write_lines(folder / name, lines)


# ---------------------------------------------------------------------------------------------
# 5. Analysts' long annual tables: country, code, year, seizures (kg), no drug column.

LONG_ANNUAL_HEADER = "country,code,year,seizures"


def long_annual(folder: Path, rows: Sequence[str], name: str = "annual.csv") -> Path:
    """`rows` ('Colombia,COL,2019,433000.5') under the long table's header."""
    return write_lines(folder / name, [LONG_ANNUAL_HEADER, *rows])


LONG_ANNUAL_GOOD = (
    "Colombia,COL,2019,433000.5",
    "Colombia,COL,2020,505000",
    "Netherlands Antilles,ANT,2008,1250.75",
    "Yugoslavia,YUG,1995,12.5",
    # 'NA' is how R and pandas write a missing code: Peru's, not Namibia's
    "Peru,NA,2020,21000",
)
LONG_ANNUAL_DISAGREE = (
    "Colombia,COL,2019,10",
    "Colombia,PER,2020,20",  # file row 3: the name says Colombia, the code Peru
)
LONG_ANNUAL_REPEATED = (
    "Colombia,COL,2019,10",
    "Peru,PER,2019,5",
    "Colombia,COL,2019,12",  # Colombia 2019 again (file rows 2 and 4)
)


# ---------------------------------------------------------------------------------------------
# 6. A national customs monthly aggregate (fiscal years, months, offices, pounds).

MONTHLY_LINES = (
    "Fiscal Year,Month,Office,Drug Type,Count of Event,Sum Qty (lbs)",
    "2021,OCT,Miami Field Office,Cocaine,12,1520.5",
    "2021,NOV,Miami Field Office,Cocaine,9,880",
    "2021,NOV,Miami Field Office,Marijuana,40,3000",
    "2022,JAN,San Juan Field Office,Cocaine,5,420.25",
)


def monthly_aggregate(folder: Path) -> Path:
    return write_lines(folder / "nationwide_drug_seizures_monthly.csv", MONTHLY_LINES)


# ---------------------------------------------------------------------------------------------
# 7. A dataUNODC export re-saved with ',' as delimiter and unquoted decimal commas: file rows 3
# and 4 have one cell too many. And an English national file that is not UNODC's.

DATAUNODC_RESAVED_LINES = (
    "Region,SubRegion,Country,DrugGroup,DrugSubGroup,DrugName,Reference year,Kilograms,msCode",
    "Americas,South America,Colombia,Cocaine-type,Cocaine,Cocaine hydrochloride,2019,433000,COL",
    "Americas,South America,Peru,Cocaine-type,Cocaine,Cocaine base and paste,2019,12345,67,PER",
    "Americas,South America,Peru,Cocaine-type,Cocaine,Cocaine hydrochloride,2020,950,5,PER",
    "Africa,West Africa,Cabo Verde,Cocaine-type,Cocaine,Cocaine hydrochloride,2019,9500,CPV",
)


def dataunodc_resaved(folder: Path) -> Path:
    return write_lines(folder / "dataunodc_resaved.csv", DATAUNODC_RESAVED_LINES)


NATIONAL_EN_LINES = (
    "Country,Drug,Year,Kg",
    "Brazil,Cocaine,2019,1500.5",
    "Brazil,Cocaína,2020,2100",
)


def national_annual_en(folder: Path) -> Path:
    return write_lines(folder / "national_bra.csv", NATIONAL_EN_LINES)


# ---------------------------------------------------------------------------------------------
# 8. Ragged rows on the general importers' paths (an unquoted decimal comma in the last column).

RAGGED_SEIZURES_LINES = (
    "seizure_id,date,country_iso3,drug,quantity_kg",
    "R1,2023-03-01,COL,cocaine_hcl,12",
    "R2,2023-03-02,COL,cocaine_hcl,1,5",  # file row 3
    "R3,2023-03-03,PER,cocaine_base,2,25",  # file row 4
    "R4,2023-03-04,PER,cocaine_base,7",
)
RAGGED_ANNUAL_LINES = (
    "country_iso3,year,drug,quantity_kg",
    "COL,2017,cocaine_hcl,433000",
    "COL,2018,cocaine_hcl,12,5",  # file row 3
    "PER,2017,cocaine_base,950",
    "PER,2018,cocaine_base,1200",
    "CPV,2018,cocaine_hcl,9,75",  # file row 6
    "CPV,2019,cocaine_hcl,30",
)


def ragged_seizures(folder: Path) -> Path:
    return write_lines(folder / "seizures_ragged.csv", RAGGED_SEIZURES_LINES)


def ragged_annual(folder: Path) -> Path:
    return write_lines(folder / "annual_ragged.csv", RAGGED_ANNUAL_LINES)


# ---------------------------------------------------------------------------------------------
# 9. Analysts' own seizure files with no id column, in four languages; activities files whose
# id column is headed with a word for 'identifier' or 'code'.

ANALYST_SEIZURES: dict[str, tuple[str, ...]] = {
    "en": (
        "Date,Country,Drug,Quantity (kg)",
        "15/01/2023,Colombia,Cocaine hydrochloride,12.5",
        "20/02/2023,Peru,Cocaine base,3.25",
        "05/03/2023,Brazil,Crack,0.75",
        "05/03/2023,Brazil,Crack,0.75",
        "10/04/2023,Cape Verde,Cannabis,8",
    ),
    "es": (
        "Fecha;País;Droga;Cantidad (kg)",
        "15/01/2023;Colombia;Clorhidrato de cocaína;12,5",
        "20/02/2023;Perú;Pasta base de cocaína;3,25",
        "05/03/2023;Brasil;Crack;0,75",
        "05/03/2023;Brasil;Crack;0,75",
        "10/04/2023;Cabo Verde;Marihuana;8",
    ),
    "fr": (
        "Date;Pays;Drogue;Quantité (kg)",
        "15/01/2023;Colombie;Chlorhydrate de cocaïne;12,5",
        "20/02/2023;Pérou;Cocaïne base;3,25",
        "05/03/2023;Brésil;Crack;0,75",
        "05/03/2023;Brésil;Crack;0,75",
        "10/04/2023;Cap-Vert;Cannabis;8",
    ),
    "pt": (
        "Data;País;Droga;Quantidade (kg)",
        "15/01/2023;Colômbia;Cloridrato de cocaína;12,5",
        "20/02/2023;Peru;Pasta base de cocaína;3,25",
        "05/03/2023;Brasil;Crack;0,75",
        "05/03/2023;Brasil;Crack;0,75",
        "10/04/2023;Cabo Verde;Maconha;8",
    ),
}


def analyst_seizures(folder: Path, language: str, encoding: str) -> Path:
    """The analyst's seizures in `language` ('en', 'es', 'fr', 'pt') saved in `encoding`
    ('utf-8', 'utf-8-sig', 'cp1252', 'utf-16'); Windows line ends, as Excel writes them."""
    name = f"incautaciones_{language}_{encoding}.csv"
    return write_lines(folder / name, ANALYST_SEIZURES[language], encoding, newline="\r\n")


# Id header -> (delimiter, the other headers, then two rows' cells after the id) in its language.
_ACTIVITY_LAYOUTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ",",
        ("Start date", "End date", "Countries", "Type", "Title", "Partner"),
        ("14/03/2019", "18/03/2019", "Ecuador", "workshop", "Port control", "UNODC"),
        ("02/09/2021", "", "Brazil | Cabo Verde", "agreement", "Memorandum", "INTERPOL"),
    ),
    "es": (
        ";",
        ("Fecha de inicio", "Fecha de fin", "Países", "Tipo", "Título", "Socio"),
        ("14/03/2019", "18/03/2019", "Ecuador", "taller", "Control portuario", "ONUDD"),
        ("02/09/2021", "", "Brasil | Cabo Verde", "acuerdo", "Memorando", "INTERPOL"),
    ),
    "fr": (
        ";",
        ("Date de début", "Date de fin", "Pays", "Type", "Titre", "Partenaire"),
        ("14/03/2019", "18/03/2019", "Équateur", "atelier", "Contrôle portuaire", "ONUDD"),
        ("02/09/2021", "", "Brésil | Cap-Vert", "accord", "Mémorandum", "INTERPOL"),
    ),
    "pt": (
        ";",
        ("Data de início", "Data de fim", "Países", "Tipo", "Título", "Parceiro"),
        ("14/03/2019", "18/03/2019", "Equador", "oficina", "Controle portuário", "UNODC"),
        ("02/09/2021", "", "Brasil | Cabo Verde", "acordo", "Memorando", "INTERPOL"),
    ),
}
ACTIVITY_IDS = ("ACT-2019-01", "ACT-2021-07")


def analyst_activities(folder: Path, id_header: str, language: str) -> Path:
    """Two activities under an id column headed `id_header`, the rest in `language`."""
    delimiter, headers, first, second = _ACTIVITY_LAYOUTS[language]
    lines = [
        delimiter.join((id_header, *headers)),
        delimiter.join((ACTIVITY_IDS[0], *first)),
        delimiter.join((ACTIVITY_IDS[1], *second)),
    ]
    safe = "".join(ch if ch.isalnum() else "_" for ch in id_header)
    return write_lines(folder / f"activities_{safe}.csv", lines)


# ---------------------------------------------------------------------------------------------
# 10. Headers no vocabulary needs to know, for --map (and no country column, for --country).

MAPPED_WEIGHT_LINES = (
    "Fecha;Droga;Peso bruto;Medida",
    "15/03/2023;Cocaína;2,5;kg",
    "16/03/2023;Crack;750;g",
)
# Two country columns: without a map 'País' would be taken as the seizing country.
MAPPED_COUNTRY_LINES = (
    "Date,Pays du saisie,País,Drogue,Quantité (kg)",
    "14/02/2023,Cap-Vert,Portugal,Chlorhydrate de cocaïne,1.25",
    "21/02/2023,Sénégal,Espagne,Cocaïne base,0.5",
)


def mapped_weight(folder: Path) -> Path:
    return write_lines(folder / "pesos.csv", MAPPED_WEIGHT_LINES)


def mapped_country(folder: Path) -> Path:
    return write_lines(folder / "saisies.csv", MAPPED_COUNTRY_LINES)


# ---------------------------------------------------------------------------------------------
# 11./12. Canonical seizure files: many rows with one warning each, many with one error each.


def heavy_seizures(folder: Path, rows: int = 300) -> Path:
    """`rows` seizures of 40 t each, each above the plausibility bound (a warning per row
    unless the warnings are grouped): a long JSON report for a load that is stored."""
    lines = ["seizure_id,date,country_iso3,drug,quantity_kg"]
    lines += [f"H{i},2023-01-{i % 28 + 1:02d},COL,cocaine_hcl,40000" for i in range(rows)]
    return write_lines(folder / "heavy.csv", lines)


def impossible_dates(folder: Path, bad: int = 40, good: int = 5) -> Path:
    """`bad` rows dated 30 February (file rows 2 to bad+1), then `good` rows that are fine."""
    lines = ["seizure_id,date,country_iso3,drug,quantity_kg"]
    lines += [f"D{i},2023-02-30,COL,cocaine_hcl,1" for i in range(bad)]
    lines += [f"G{i},2023-03-{i + 1:02d},COL,cocaine_hcl,1" for i in range(good)]
    return write_lines(folder / "dates.csv", lines)
