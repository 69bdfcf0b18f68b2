"""crimjust_data.ingest.unodc: the dataUNODC 'Drug seizures' importer.

Figures for the real export (../shared/data/unodc/drug_seizures_2018_2022.xlsx, sheet 'Export',
title on row 1, header on row 2) were added up by hand from the raw rows, quoted in the comments
with their spreadsheet row numbers. The same figures must come out of every layout variant.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from crimjust_data.countries import known_iso3
from crimjust_data.errors import InputFileError
from crimjust_data.ingest import read_table_file
from crimjust_data.ingest.unodc import (
    UnodcImport,
    classify_drug_name,
    has_unodc_columns,
    looks_like_unodc_export,
    read_unodc_export,
)
from crimjust_data.schemas import DRUGS, ValidationFailed, validate_table

SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared beside the repository
REAL = SHARED / "data" / "unodc" / "drug_seizures_2018_2022.xlsx"
needs_real = pytest.mark.skipif(
    not REAL.exists(),
    reason="real dataUNODC export not found at ../shared/data/unodc/ beside the repository",
)

HCL, BASE, CRACK, UNSPEC = DRUGS[0], DRUGS[1], DRUGS[2], DRUGS[3]
TOTAL_NAME = (
    "Cocaine (total of the above, including if unspecified/undistinguished, "
    "but excluding coca leaf and coca bush)"
)
PASTE_NAME = "Coca paste/refined cocaine base (intermediate products) (please specify)"
SMOKABLE_NAME = (
    "Other smokable forms of cocaine (consumer products such as basuco, merla, paco, "
    "pasta base, etc.) (please specify)"
)

# (iso3, year) -> {drug: kg}, by hand from the raw rows of the real export.
EXPECTED: dict[tuple[str, int], dict[str, float]] = {
    # rows 2656-2659: hydrochloride 413383; paste/base 42387; other smokable 1684;
    # coca leaf 458429 left out. base = 42387 + 1684 = 44071; all = 413383 + 44071 = 457454
    ("COL", 2018): {HCL: 413383.0, BASE: 44071.0},
    # rows 9739-9740: only the total 36950 (coca leaf 301 left out) -> all unspecified
    ("ESP", 2020): {UNSPEC: 36950.0},
    # rows 2085-2091: crack 936 + 22 = 958; paste 131 + 483 + 2 = 616;
    # non-specified cocaine 192080; coca leaf 258 left out. all = 958 + 616 + 192080 = 193654
    ("USA", 2018): {BASE: 616.0, CRACK: 958.0, UNSPEC: 192080.0},
    # row 1267: only the total 96000
    ("PAN", 2022): {UNSPEC: 96000.0},
    # row 893: crack 2706.242
    ("SEN", 2021): {CRACK: 2706.242},
    # rows 2587-2589: hydrochloride 3714; other coca/cocaine-type 14059 (-> unspecified);
    # coca leaf 260 left out
    ("CHL", 2018): {HCL: 3714.0, UNSPEC: 14059.0},
    # rows 2227-2230: total 6257.30649 AND sub-types: other smokable 1.11465,
    # other coca/cocaine-type 7.035 (coca leaf 132569.197 left out).
    # subtotal = 1.11465 + 7.035 = 8.14965 < total -> the difference 6257.30649 - 8.14965
    # = 6249.15684 is unspecified: unspecified = 7.035 + 6249.15684 = 6256.19184;
    # all = 1.11465 + 6256.19184 = 6257.30649 (the total wins)
    ("ARG", 2021): {BASE: 1.11465, UNSPEC: 6256.19184},
    # rows 9292-9293: a stray total of 0.0003 AND hydrochloride 10066.343:
    # total < subtotal -> the total is ignored (the sub-types win)
    ("PRT", 2020): {HCL: 10066.343},
    # rows 10563-10566: totals 0.00001 + 2825.15706 = 2825.15707 AND hydrochloride 0.2018
    # (coca leaf 17.2 left out): unspecified = 2825.15707 - 0.2018 = 2824.95527
    ("AUS", 2021): {HCL: 0.2018, UNSPEC: 2824.95527},
    # rows 1311-1315: three total rows 12.96236 + 0.181743 + 3847.560024 = 3860.704127,
    # no sub-types; coca leaf 169.9525988 + 2.8 left out
    ("CAN", 2022): {UNSPEC: 3860.704127},
    # rows 2729-2732: crack 5.565 + 5.539 = 11.104; paste with an empty quantity (skipped);
    # hydrochloride 3032
    ("PRY", 2022): {HCL: 3032.0, CRACK: 11.104},
    # rows 8672-8674: hydrochloride 3.66514; other coca/cocaine-type 0.0157 and one empty
    ("LUX", 2021): {HCL: 3.66514, UNSPEC: 0.0157},
    # rows 913-914: crack 0 and hydrochloride 0: a country-year of zeros keeps its zeros
    ("SEN", 2018): {HCL: 0.0, CRACK: 0.0},
    # rows 10782-10786: hydrochloride 0 + 1927; coca leaf 6 left out;
    # other coca/cocaine-type 0 + 0 -> unspecified 0 (kept: reported, nothing seized)
    ("AUS", 2018): {HCL: 1927.0, UNSPEC: 0.0},
}
# 962 'Cocaine-type' rows - 83 coca leaf - 3 coca bush - 2 with no quantity = 874
EXPECTED_COCAINE_ROWS = 874
EXPECTED_ROWS_READ = 11013  # 11,015 sheet rows - title - header


def figures(frame: pd.DataFrame, iso3: str, year: int) -> dict[str, float]:
    part = frame[(frame["country_iso3"] == iso3) & (frame["year"] == year)]
    return dict(zip(part["drug"], part["quantity_kg"].astype(float), strict=True))


def assert_expected_figures(result: UnodcImport) -> None:
    for (iso3, year), expected in EXPECTED.items():
        got = figures(result.frame, iso3, year)
        assert got.keys() == expected.keys(), (iso3, year, got)
        for drug, kg in expected.items():
            assert got[drug] == pytest.approx(kg, abs=1e-6), (iso3, year, drug)


@pytest.fixture(scope="module")
def real() -> UnodcImport:
    if not REAL.exists():
        pytest.skip("real dataUNODC export not found at ../shared/data/unodc/")
    return read_unodc_export(REAL)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The real export's table as text, to write out in other layouts."""
    if not REAL.exists():
        pytest.skip("real dataUNODC export not found at ../shared/data/unodc/")
    return read_table_file(REAL).frame.copy()


# ---------------------------------------------------------------------------------------------
# The real file


@needs_real
def test_real_export_hand_checked_figures(real: UnodcImport) -> None:
    assert_expected_figures(real)


@needs_real
def test_real_export_totals_take_the_larger_side(real: UnodcImport) -> None:
    def total(iso3: str, year: int) -> float:
        return sum(figures(real.frame, iso3, year).values())

    assert total("ARG", 2021) == pytest.approx(6257.30649)  # total 6257.30649 > forms 8.14965
    assert total("PRT", 2020) == pytest.approx(10066.343)  # forms 10066.343 > stray total 0.0003
    assert total("AUS", 2021) == pytest.approx(2825.15707)


@needs_real
def test_real_export_never_counts_coca_leaf(real: UnodcImport) -> None:
    def total(iso3: str, year: int) -> float:
        return sum(figures(real.frame, iso3, year).values())

    assert total("COL", 2018) == pytest.approx(457454.0)  # not + 458429 of coca leaf
    assert total("USA", 2018) == pytest.approx(193654.0)  # not + 258
    assert total("CHL", 2018) == pytest.approx(17773.0)  # 3714 + 14059, not + 260
    assert total("ESP", 2020) == pytest.approx(36950.0)  # not + 301
    assert total("ARG", 2021) == pytest.approx(6257.30649)  # not + 132569.197
    assert total("CAN", 2022) == pytest.approx(3860.704127)  # not + 169.9525988 + 2.8


@needs_real
def test_real_export_counts_and_shape(real: UnodcImport) -> None:
    assert real.rows_read == EXPECTED_ROWS_READ
    assert real.cocaine_rows == EXPECTED_COCAINE_ROWS
    assert real.years == (2018, 2022)
    assert real.sheet == "Export"
    assert real.source == "UNODC, Drug seizures (dataUNODC), file drug_seizures_2018_2022.xlsx"
    frame = real.frame
    assert list(frame.columns) == ["country_iso3", "year", "drug", "quantity_kg", "source"]
    assert set(frame["source"]) == {real.source}
    assert set(frame["drug"]) <= set(DRUGS)
    # one row per country-year-drug, fewer than the rows that fed them
    assert not frame.duplicated(["country_iso3", "year", "drug"]).any()
    assert 500 < len(frame) < EXPECTED_COCAINE_ROWS
    assert (frame["quantity_kg"] >= 0).all()
    validated = validate_table("annual_seizures", frame, known_iso3())
    assert len(validated) == len(frame)


@needs_real
def test_real_export_warnings(real: UnodcImport) -> None:
    text = "\n".join(real.warnings)
    assert "86 coca leaf / coca bush row(s)" in text
    assert "of 'other coca/cocaine-type drugs' (20 row(s)) counted as cocaine_unspecified" in text
    assert "2 cocaine row(s) with no quantity skipped (rows 2731, 8674)" in text
    assert "ARG 2021 (total 6,257.30649 kg, sub-types 8.14965 kg)" in text
    assert "PRT 2020 (total 0.0003 kg, sub-types 10,066.343 kg)" in text
    assert "62 drug(s) reported on several rows for the same country and year" in text
    assert "KEN 2019 'Cocaine hydrochloride' (rows 23, 24)" in text
    assert "CAN 2022 'Cocaine (total of the above, including…' (rows 1311, 1312, 1313)" in text
    assert "unknown" not in text and "not recognised" not in text


@needs_real
def test_real_export_is_recognised() -> None:
    assert looks_like_unodc_export(REAL)


# ---------------------------------------------------------------------------------------------
# Layout variants of the same data


def write_csv(frame: pd.DataFrame, path: Path, sep: str, encoding: str, title: str | None) -> Path:
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=sep, index=False, lineterminator="\r\n")
    text = (title + "\r\n" if title else "") + buffer.getvalue()
    path.write_bytes(text.encode(encoding))
    return path


def variant_semicolon_bom_no_title(raw: pd.DataFrame, tmp_path: Path) -> tuple[Path, int]:
    frame = raw.copy()
    frame["Kilograms"] = frame["Kilograms"].str.replace(".", ",", regex=False)  # decimal comma
    return write_csv(frame, tmp_path / "export.csv", ";", "utf-8-sig", None), 2


def variant_comma_with_title(raw: pd.DataFrame, tmp_path: Path) -> tuple[Path, int]:
    title = "Drug seizures, 2018-2022"  # unquoted: splits into two cells, still a title
    return write_csv(raw, tmp_path / "export.csv", ",", "utf-8", title), 3


def variant_renamed_headers(raw: pd.DataFrame, tmp_path: Path) -> tuple[Path, int]:
    frame = raw.rename(
        columns={"Reference year": "Year", "Kilograms": "KgEquivalent", "msCode": "CountryCode"}
    )
    frame["DrugName"] = frame["DrugName"].replace("Cocaine hydrochloride", "Cocaine salts")
    return write_csv(frame, tmp_path / "export.csv", ",", "utf-8", None), 2


def variant_comment_and_messy_headers(raw: pd.DataFrame, tmp_path: Path) -> tuple[Path, int]:
    frame = raw.rename(
        columns={"DrugName": " DRUG NAME ", "Reference year": "reference_year", "msCode": "MSCODE"}
    )
    frame["Comment"] = "Source: ARQ; see notes, p. 3"
    frame["DrugName "] = frame[" DRUG NAME "].str.upper()  # names in capitals, quotes kept
    frame = frame.drop(columns=[" DRUG NAME "])
    return write_csv(frame, tmp_path / "export.txt", ";", "cp1252", "Drug seizures"), 3


def variant_utf16_tab(raw: pd.DataFrame, tmp_path: Path) -> tuple[Path, int]:
    return write_csv(raw, tmp_path / "export.txt", "\t", "utf-16", None), 2


def variant_xlsx_no_title_second_sheet(raw: pd.DataFrame, tmp_path: Path) -> tuple[Path, int]:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Exported from dataUNODC"])
    sheet = workbook.create_sheet("Data")
    sheet.append(list(raw.columns))
    for record in raw.itertuples(index=False):
        row: list[object] = [None if pd.isna(v) else v for v in record]
        row[6] = int(row[6])  # year as a number
        row[7] = None if row[7] is None else float(row[7])  # kilograms as a number
        sheet.append(row)
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    return path, 2


VARIANTS = [
    variant_semicolon_bom_no_title,
    variant_comma_with_title,
    variant_renamed_headers,
    variant_comment_and_messy_headers,
    variant_utf16_tab,
    variant_xlsx_no_title_second_sheet,
]


@needs_real
@pytest.mark.parametrize("make", VARIANTS, ids=lambda f: f.__name__.removeprefix("variant_"))
def test_variants_give_the_same_figures(
    make, raw: pd.DataFrame, real: UnodcImport, tmp_path: Path
) -> None:
    path, first_data_row = make(raw, tmp_path)
    assert looks_like_unodc_export(path)
    result = read_unodc_export(path)
    assert_expected_figures(result)
    assert result.cocaine_rows == EXPECTED_COCAINE_ROWS
    assert result.rows_read == EXPECTED_ROWS_READ
    assert result.source == f"UNODC, Drug seizures (dataUNODC), file {path.name}"
    pd.testing.assert_frame_equal(
        result.frame.drop(columns="source"), real.frame.drop(columns="source")
    )
    # row numbers follow the layout: the real file's data starts on row 3
    shift = first_data_row - 3
    assert f"no quantity skipped (rows {2731 + shift}, {8674 + shift})" in "\n".join(
        result.warnings
    )


@needs_real
def test_frame_from_the_real_file_is_recognised(raw: pd.DataFrame) -> None:
    assert looks_like_unodc_export(raw)
    assert not looks_like_unodc_export(raw.drop(columns=["msCode", "Country"]))
    assert not looks_like_unodc_export(raw.drop(columns=["Kilograms"]))


# ---------------------------------------------------------------------------------------------
# Small synthetic exports: rules one at a time

HEADER = "Region,SubRegion,Country,DrugGroup,DrugSubGroup,DrugName,Reference year,Kilograms,msCode"


def export(tmp_path: Path, *lines: str, header: str = HEADER, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_text("Drug seizures\n" + header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def line(country: str, name: str, year: int, kg: str, code: str, group: str = "Cocaine-type"):
    return f'Americas,South America,{country},{group},Cocaine,"{name}",{year},{kg},{code}'


def test_total_larger_and_smaller_than_forms(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", TOTAL_NAME, 2020, "100", "PER"),  # row 3
        line("Peru", "Cocaine hydrochloride", 2020, "30", "PER"),
        line("Peru", '""Crack"" cocaine', 2020, "10", "PER"),
        line("Peru", "Non-specified cocaine", 2020, "5", "PER"),
        line("Ecuador", TOTAL_NAME, 2020, "0.001", "ECU"),
        line("Ecuador", "Cocaine hydrochloride", 2020, "50", "ECU"),
        line("Bolivia", TOTAL_NAME, 2020, "20", "BOL"),
        line("Bolivia", PASTE_NAME, 2020, "20", "BOL"),
    )
    result = read_unodc_export(path)
    # Peru: forms 30 + 10 + 5 = 45 < total 100 -> unspecified 5 + 55 = 60; sums to 100
    assert figures(result.frame, "PER", 2020) == {HCL: 30.0, CRACK: 10.0, UNSPEC: 60.0}
    # Ecuador: stray total 0.001 < 50 -> ignored
    assert figures(result.frame, "ECU", 2020) == {HCL: 50.0}
    # Bolivia: total equals forms -> forms only, nothing added
    assert figures(result.frame, "BOL", 2020) == {BASE: 20.0}
    text = "\n".join(result.warnings)
    assert "PER 2020 (total 100 kg, sub-types 45 kg)" in text
    assert "ECU 2020 (total 0.001 kg, sub-types 50 kg)" in text
    assert "BOL" not in text


def test_duplicates_are_summed_and_zeros_kept(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2019, "936", "PER"),
        line("Peru", "Cocaine hydrochloride", 2019, "22", "PER"),
        line("Peru", SMOKABLE_NAME, 2019, "1", "PER"),
        line("Peru", PASTE_NAME, 2019, "2", "PER"),
        line("Chile", "Cocaine hydrochloride", 2019, "0", "CHL"),
        line("Chile", TOTAL_NAME, 2019, "0", "CHL"),
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2019) == {HCL: 958.0, BASE: 3.0}
    assert figures(result.frame, "CHL", 2019) == {HCL: 0.0}
    assert "PER 2019 'Cocaine hydrochloride' (rows 3, 4)" in "\n".join(result.warnings)


def test_coca_leaf_and_bush_never_count(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Colombia", "Coca leaf", 2018, "458429", "COL"),
        line("Colombia", "Coca bush", 2018, "7", "COL"),
        line("Colombia", "Cocaine hydrochloride", 2018, "413383", "COL"),
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "COL", 2018) == {HCL: 413383.0}
    assert result.cocaine_rows == 1
    assert "2 coca leaf / coca bush row(s) (458,436 kg) left out" in result.warnings[0]


def test_other_cocaine_type_counted_as_unspecified_with_a_warning(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Chile", "Cocaine hydrochloride", 2018, "3714", "CHL"),
        line("Chile", "Other coca/cocaine-type drugs", 2018, "14059", "CHL"),
        line("Chile", "Non-specified coca/cocaine type", 2019, "1", "CHL"),
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "CHL", 2018) == {HCL: 3714.0, UNSPEC: 14059.0}
    assert figures(result.frame, "CHL", 2019) == {UNSPEC: 1.0}
    assert any(
        "14,059 kg of 'other coca/cocaine-type drugs' (1 row(s)) counted as cocaine_unspecified"
        in w
        for w in result.warnings
    )


def test_unknown_cocaine_name_is_reported_not_counted(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, "1", "PER"),
        line("Peru", "Cocaine glitter", 2020, "99", "PER"),
        line("Peru", "Cannabis herb", 2020, "500", "PER", group="Cannabis-type drugs"),
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2020) == {HCL: 1.0}
    assert any(
        "unknown cocaine-type drug name 'Cocaine glitter'" in w and "(4)" in w
        for w in result.warnings
    )


def test_no_drug_group_column_uses_drug_names(tmp_path: Path) -> None:
    header = "Country,DrugName,Year,KgEquivalent,CountryCode"
    path = export(
        tmp_path,
        'Peru,"Cocaine salts",2021,4,PER',
        'Peru,"Coca leaf",2021,1000,PER',
        'Peru,"Cannabis herb",2021,500,PER',
        'Peru,"Non-specified precursors",2021,7,PER',
        header=header,
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2021) == {HCL: 4.0}


def test_country_code_fallback_and_unknown_country(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, "1", "ZZZ"),  # row 3: name resolves
        line("Atlantis", "Cocaine hydrochloride", 2020, "2", "QQQ"),  # row 4: skipped
        line("Spain", "Cocaine hydrochloride", 2020, "3", " esp "),  # code case and spaces
        line("Côte d'Ivoire", "Cocaine hydrochloride", 2020, "4", ""),  # row 6: no code
        line("", "Cocaine hydrochloride", 2020, "5", ""),  # row 7: nothing to go by
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2020) == {HCL: 1.0}
    assert figures(result.frame, "ESP", 2020) == {HCL: 3.0}
    assert figures(result.frame, "CIV", 2020) == {HCL: 4.0}
    assert set(result.frame["country_iso3"]) == {"PER", "ESP", "CIV"}
    text = "\n".join(result.warnings)
    assert "country not recognised (code 'QQQ', country 'Atlantis') on 1 row(s) (4)" in text
    assert "country code 'ZZZ' not recognised, matched by name (Peru -> PER) on rows 3" in text
    assert "country not recognised (none given) on 1 row(s) (7): skipped" in text
    assert "nan" not in text


def test_region_columns_are_ignored(tmp_path: Path) -> None:
    # UNODC's 'West and Central Africa' must not leak in: the output has no region at all
    row = 'West and Central Africa,Foo,Senegal,Cocaine-type,Cocaine,"""Crack"" cocaine",2021,2,SEN'
    result = read_unodc_export(export(tmp_path, row))
    assert figures(result.frame, "SEN", 2021) == {CRACK: 2.0}
    assert "region" not in " ".join(result.frame.columns).lower()


def test_negative_and_unreadable_values_stop_the_import(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, "1", "PER"),
        line("Peru", '""Crack"" cocaine', 2020, "-5", "PER"),  # row 4
        line("Peru", PASTE_NAME, 2020, "lots", "PER"),  # row 5
        line("Peru", "Non-specified cocaine", 1890, "1", "PER"),  # row 6
        line("Peru", "Cannabis herb", 2020, "-1", "PER", group="Cannabis-type drugs"),  # ignored
    )
    with pytest.raises(ValidationFailed) as caught:
        read_unodc_export(path)
    found = {(e.row, e.column, e.value) for e in caught.value.errors}
    assert found == {
        (4, "Kilograms", "-5"),
        (5, "Kilograms", "lots"),
        (6, "Reference year", "1890"),
    }


def test_empty_quantities_are_skipped(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, "1", "PER"),
        line("Peru", '""Crack"" cocaine', 2020, "", "PER"),  # row 4
        line("Peru", PASTE_NAME, 2020, "..", "PER"),  # row 5
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2020) == {HCL: 1.0}
    assert "2 cocaine row(s) with no quantity skipped (rows 4, 5)" in result.warnings


def test_thousands_separators_in_a_comma_file(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, '"1,234.5"', "PER"),
        line("Peru", '""Crack"" cocaine', 2020, '"2,000"', "PER"),
        line("Peru", PASTE_NAME, 2020, "0.5", "PER"),
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2020) == {HCL: 1234.5, BASE: 0.5, CRACK: 2000.0}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Cocaine hydrochloride", "cocaine_hcl"),
        ("Cocaine salts", "cocaine_hcl"),
        ("COCAINE  HYDROCHLORIDE", "cocaine_hcl"),
        ('"Crack" cocaine', "crack"),
        ("“Crack” cocaine", "crack"),
        ("Crack", "crack"),
        (PASTE_NAME, "cocaine_base"),
        (SMOKABLE_NAME, "cocaine_base"),
        ("Cocaine base", "cocaine_base"),
        ("Non-specified cocaine", "cocaine_unspecified"),
        ("Non-specified coca/cocaine type", "cocaine_unspecified"),
        ("Other coca/cocaine-type drugs", "other"),
        ("Miscellaneous coca/cocaine-type drugs", "other"),
        (TOTAL_NAME, "total"),
        ("Cocaine", "total"),
        ("Coca leaf", "coca_plant"),
        ("Coca bush", "coca_plant"),
        ("Coca leaves", "coca_plant"),
        ("Non-specified precursors", None),
        ("Other stimulants", None),
        ("Cannabis herb (marijuana)", None),
        ("Cocaine glitter", None),
        # umbrella labels listing several forms: a sum over forms (issue 16)
        ("Cocaine (base, paste and salts)", "cocaine_unspecified"),
        ("Cocaine (salt and crack)", "cocaine_unspecified"),
        ("Cocaine (base and salts)", "cocaine_unspecified"),
        ("Cocaine base and crack", "cocaine_unspecified"),
        ("Crack (cocaine base)", "crack"),  # one form named in two words: not a list
        ("Coca paste", "cocaine_base"),
        ("Cocaine HCL", "cocaine_hcl"),
    ],
)
def test_classify_drug_name(name: str, kind: str | None) -> None:
    assert classify_drug_name(name) == kind


# ---------------------------------------------------------------------------------------------
# Not an export


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.csv", PNG, r"photo\.csv: not a table file .*PNG image"),
        ("empty.csv", b"", r"empty\.csv: the file is empty"),
        (
            "people.csv",
            b"name,age\nAna,31\n",
            r"people\.csv: not a dataUNODC drug seizures export: expected columns DrugName, "
            r"year, kilograms and a country code, and one of UNODC's own columns \(DrugGroup, "
            r"DrugSubGroup, msCode, KgEquivalent, SpecificDrugName, Reference year\); found: "
            r"name, age$",
        ),
        ("text.xlsx", b"DrugName,Year,Kilograms,msCode\n", r"cannot be opened as an Excel"),
    ],
)
def test_garbage_is_refused(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert not looks_like_unodc_export(path)
    with pytest.raises(InputFileError, match=message):
        read_unodc_export(path)


def test_export_without_cocaine_is_refused(tmp_path: Path) -> None:
    path = export(
        tmp_path, line("Peru", "Cannabis herb", 2020, "500", "PER", group="Cannabis-type drugs")
    )
    assert looks_like_unodc_export(path)
    with pytest.raises(InputFileError, match="no cocaine rows to import"):
        read_unodc_export(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert not looks_like_unodc_export(tmp_path / "nope.xlsx")
    with pytest.raises(InputFileError, match="file not found"):
        read_unodc_export(tmp_path / "nope.xlsx")


# ---------------------------------------------------------------------------------------------
# Only UNODC's own files (issue 16)


def test_an_english_national_file_is_not_an_export(tmp_path: Path) -> None:
    # Country/Drug/Year/Kg: any analyst's table; taken as an export, its 'Cocaína' rows were
    # dropped without a word and the file labelled UNODC
    path = tmp_path / "national.csv"
    path.write_text(
        "Country,Drug,Year,Kg\nPeru,Cocaine,2020,10\nPeru,Cocaína,2021,4\n", encoding="utf-8"
    )
    assert not looks_like_unodc_export(path)
    assert not has_unodc_columns(["Country", "Drug", "Year", "Kg"])
    assert not has_unodc_columns(["country_iso3", "year", "drug", "quantity_kg"])
    with pytest.raises(InputFileError, match="not a dataUNODC drug seizures export"):
        read_unodc_export(path)


@pytest.mark.parametrize(
    "own",
    ["DrugGroup", "DrugSubGroup", "msCode", "KgEquivalent", "SpecificDrugName", "Reference year"],
)
def test_one_of_unodcs_own_columns_makes_an_export(own: str) -> None:
    base = ["Country", "Drug", "Year", "Kg"]
    assert has_unodc_columns([*base, own])
    assert has_unodc_columns([c.upper() for c in [*base, own]])  # any case and spacing
    assert not has_unodc_columns(["Country", own])  # not without the roles


def test_ragged_rows_refuse_the_export_every_row_named(tmp_path: Path) -> None:
    # an export re-saved with ',' as delimiter and unquoted decimal commas: rows 4 and 6 have
    # one cell too many ('12,5' split in two). Read as they are, 12 kg would be loaded for
    # Peru (its code '5' unknown, the country found by name) and 7 for Chile.
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, "3", "PER"),  # row 3
        line("Peru", '""Crack"" cocaine', 2020, "12,5", "PER"),  # row 4
        line("Chile", "Cocaine hydrochloride", 2020, "8", "CHL"),  # row 5
        line("Chile", PASTE_NAME, 2021, "7,25", "CHL"),  # row 6
    )
    with pytest.raises(ValidationFailed) as caught:
        read_unodc_export(path)
    errors = caught.value.errors
    assert caught.value.table == "annual_seizures"
    assert [e.row for e in errors] == [4, 6]
    assert all("the row has 10 cells but the header has 9 columns" in e.message for e in errors)


def test_a_ragged_row_of_another_drug_refuses_the_export_too(tmp_path: Path) -> None:
    # the shift may move any cell: a row that looks like cannabis may be cocaine
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, "3", "PER"),
        line("Peru", "Cannabis herb", 2020, "1,5", "PER", group="Cannabis-type drugs"),  # row 4
    )
    with pytest.raises(ValidationFailed) as caught:
        read_unodc_export(path)
    assert [e.row for e in caught.value.errors] == [4]


def test_decimal_commas_in_quotes_still_load(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine hydrochloride", 2020, '"12,5"', "PER"),
        line("Peru", '""Crack"" cocaine', 2020, '"0,25"', "PER"),
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2020) == {HCL: 12.5, CRACK: 0.25}


def test_umbrella_labels_load_as_unspecified(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        line("Peru", "Cocaine (base, paste and salts)", 2020, "40", "PER"),
        line("Chile", "Cocaine (salt and crack)", 2020, "9", "CHL"),
    )
    result = read_unodc_export(path)
    assert figures(result.frame, "PER", 2020) == {UNSPEC: 40.0}
    assert figures(result.frame, "CHL", 2020) == {UNSPEC: 9.0}
