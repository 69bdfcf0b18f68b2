"""Numbers in tables (crimjust_data.table_numbers): written in the interface language on pages,
in HTML and PDF tables; kept as numbers, with number formats, in CSV and XLSX files."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit import dataframe_util

from crimjust_data import i18n, snapshot, table_numbers
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.store import DuckDBStore
from tests.conftest import run_page

NNBSP, NBSP = "\u202f", "\u00a0"
# language -> (integer, decimal, percent, year) for 1234567, 7.496, 0.542, 2019
EXPECTED = {
    "en": ("1,234,567", "7.5", "54.2%", "2019"),
    "es": ("1.234.567", "7,5", f"54,2{NBSP}%", "2019"),
    "fr": (f"1{NNBSP}234{NNBSP}567", "7,5", f"54,2{NBSP}%", "2019"),
    "pt": ("1.234.567", "7,5", "54,2%", "2019"),
}


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "Place": ["A", "B", "C"],
            "Seizures": [1234567, 3000, 12],
            "Cocaine (t)": [7.496, 411.89, 0.25],
            "Rate": [0.542, 0.1, 1.0],
            "Year": [2019, 2020, 2021],
            "version_id": [10234, 2, 3],
            "Cases": [1200, "<5", "withheld"],  # after the small-cell rule
        }
    )
    return table_numbers.declare(frame, share=["Rate"])


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_each_language_writes_integers_decimals_percents_and_years(lang: str) -> None:
    integer, decimal, percent, year = EXPECTED[lang]
    with i18n.using(lang):
        cells = table_numbers.texts(_frame())
    first = cells.iloc[0]
    assert first["Seizures"] == integer
    assert first["Cocaine (t)"] == decimal  # one decimal: the column's values are around 7-400
    assert first["Rate"] == percent
    assert first["Year"] == year  # never '2,019'
    assert first["version_id"] == "10234"  # identifiers keep no separator
    assert cells["Cases"].tolist()[1:] == ["<5", "withheld"]
    assert cells.iloc[1]["Seizures"] == {"en": "3,000", "fr": f"3{NNBSP}000"}.get(lang, "3.000")


def test_columns_worked_out_from_their_values_and_names() -> None:
    formats = table_numbers.column_formats(
        pd.DataFrame(
            {
                "year_opened": [2019, 2020],
                "Año": [2019, 2020],
                "days": [510.0, 612.0],  # whole numbers in a float column
                "share (%)": [54.8, 61.25],
                "small (t)": [0.011, 0.2],
                "latitude": [4.6097, -70.35],
                "flag": [True, False],
                "name": ["a", "b"],
            }
        )
    )
    assert formats["year_opened"].kind == formats["Año"].kind == "identifier"
    assert formats["days"] == table_numbers.ColumnFormat("integer")
    assert formats["share (%)"] == table_numbers.ColumnFormat("decimal", 1)
    assert formats["small (t)"] == table_numbers.ColumnFormat("decimal", 2)
    assert formats["latitude"] == table_numbers.ColumnFormat("decimal", 4)
    assert not formats["flag"].numeric and not formats["name"].numeric
    assert table_numbers.excel_format(formats["share (%)"]) == "#,##0.0"
    assert table_numbers.excel_format(table_numbers.ColumnFormat("percent", 1)) == "0.0%"


def test_the_styler_shows_text_and_keeps_values() -> None:
    frame = _frame()
    with i18n.using("fr"):
        styled = table_numbers.styler(frame)
        html = styled.to_html()
    pd.testing.assert_frame_equal(styled.data, frame)  # sorting sorts these values
    assert f"1{NNBSP}234{NNBSP}567" in html and "7,5" in html and "1234567" not in html


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DuckDBStore:
    store = DuckDBStore(tmp_path_factory.mktemp("numbers") / "demo.duckdb")
    load_demo(store)
    return store


@pytest.fixture(scope="module")
def spanish(demo_store: DuckDBStore) -> snapshot.Snapshot:
    return snapshot.build(demo_store, lang="es")


def test_snapshot_csv_holds_numbers(spanish: snapshot.Snapshot) -> None:
    with zipfile.ZipFile(io.BytesIO(snapshot.render(spanish, "csv"))) as archive:
        tables = {
            name.removesuffix(".csv"): pd.read_csv(
                io.StringIO(archive.read(name).decode("utf-8-sig")), comment="#"
            )
            for name in archive.namelist()
        }
    for name, stored in spanish.tables().items():
        read = tables[name]
        assert list(read.columns) == [str(c) for c in stored.columns], name  # a header row
        for column in stored.columns:
            if pd.api.types.is_numeric_dtype(stored[column]) and not pd.api.types.is_bool_dtype(
                stored[column]
            ):
                assert pd.api.types.is_numeric_dtype(read[str(column)]), (name, column)
                assert read[str(column)].tolist() == pytest.approx(
                    stored[column].tolist(), nan_ok=True
                ), (name, column)
    # the rates table: numbers unquoted (a spreadsheet reads them as numbers), rates as
    # fractions, the words of the small-cell rule quoted text
    with zipfile.ZipFile(io.BytesIO(snapshot.render(spanish, "csv"))) as archive:
        lines = archive.read("rates.csv").decode("utf-8-sig").splitlines()
    latin = next(line for line in lines if line.startswith('"Región","América Latina"'))
    assert re.search(r'"América Latina",\d+,0\.\d+,0\.\d+,0\.\d+,\d+,', latin), latin
    assert any('"suprimido"' in line or '"<5"' in line for line in lines)


def test_snapshot_xlsx_cells_are_numbers_with_formats(spanish: snapshot.Snapshot) -> None:
    book = openpyxl.load_workbook(io.BytesIO(snapshot.render(spanish, "xlsx")))
    rates = book["rates"]
    header = [cell.value for cell in rates[1]]
    first = {name: cell for name, cell in zip(header, rates[2], strict=True)}
    assert isinstance(first["Casos abiertos"].value, int)
    assert first["Casos abiertos"].number_format == "#,##0"
    assert isinstance(first["Tasa de acusación"].value, float)
    assert first["Tasa de acusación"].number_format == "0.0%"
    funnel = book["attrition_funnel"]
    shares = [row[3] for row in funnel.iter_rows(min_row=2)]  # '% of cases opened': 37.8
    numbers = [cell for cell in shares if isinstance(cell.value, (int, float))]
    assert len(numbers) > len(shares) / 2  # the others: withheld under the small-cell rule
    assert {cell.number_format for cell in numbers} == {"#,##0.0"}
    cases = book["cases"]
    years = [cell for cell in cases[2] if cell.value in range(2000, 2100)]
    assert years and all(cell.number_format == "0" for cell in years)  # no '2,019'


def test_spanish_html_tables_write_spanish_numbers(spanish: snapshot.Snapshot) -> None:
    document = snapshot.render(spanish, "html").decode("utf-8")
    versions = document[document.index("SHA-256") - 2000 :]
    assert re.search(r"<td class='num'>3\.000</td>", versions)  # the cases' 3,000 rows
    assert re.search(r"<td class='num'>6\.000</td>", versions)
    assert "3,000" not in versions and "<td class='num'>3000</td>" not in versions
    assert re.search(r"<td class='num'>\d+,\d\xa0%</td>", document)  # rates: '54,8 %'
    assert not re.search(r"<td class='num'>[\d,]+\.\d{1,2}</td>", document)  # not 411.89


def _display_values(element) -> pd.DataFrame:
    """The text a st.dataframe element shows (its Styler's display values)."""
    return dataframe_util.convert_arrow_bytes_to_pandas_df(
        element.proto.arrow_data.styler.display_values
    )


def test_view_data_in_french_shows_french_numbers(store_path: Path) -> None:
    app = run_page("pages/flows.py", query={"lang": "fr"})
    tables = {tuple(t.value.columns): t for t in app.dataframe}
    by_country = next(t for columns, t in tables.items() if "Cocaïne saisie (kg)" in columns)
    shown = _display_values(by_country)
    values = by_country.value
    colombia = values.index[values["ISO3"] == "COL"][0]
    number = values.loc[colombia, "Cocaïne saisie (kg)"]  # the demo's, ending today
    assert isinstance(number, float) and number > 1_000_000  # a number, not a text
    kg = shown.loc[colombia, "Cocaïne saisie (kg)"]  # '1 292 267,6' (narrow no-break spaces)
    assert re.fullmatch(r"\d{1,3}(\u202f\d{3})+,\d", kg), kg
    assert kg.replace("\u202f", "").replace(",", ".") == f"{number:.1f}"
    routes = next(t for columns, t in tables.items() if "Itinéraire" in columns)
    tonnes = _display_values(routes)["Cocaïne (t)"].tolist()
    assert all(re.fullmatch(r"[\d\u202f]+,\d", t) for t in tonnes), tonnes  # '658,3', not 658.33


def test_upload_totals_have_readable_headers() -> None:
    from crimjust_data.ingest.uploads import UploadDiff

    totals = pd.DataFrame(
        {
            "region": ["latin_america", "atlantis"],
            "kg_before": [2547136.0, 1.0],
            "events_before": [3446, 1],
            "kg_after": [2547137.5, 1.0],
            "events_after": [3447, 1],
        }
    )
    with i18n.using("fr"):
        shown = UploadDiff("append", 1, 0, 0, 0, totals).totals_table()
    assert list(shown.columns) == [
        "Région",
        "Cocaïne saisie (kg), avant",
        "Cocaïne saisie (kg), après",
        "Saisies individuelles, avant",
        "Saisies individuelles, après",
    ]
    assert shown["Région"].tolist() == ["Amérique latine", "Autres"]
    assert shown["Cocaïne saisie (kg), après"].tolist() == [2547137.5, 1.0]  # numbers kept


def test_a_preview_shows_every_decimal_stored() -> None:
    preview = table_numbers.exact(pd.DataFrame({"quantity_kg": [1.5005, 2.0], "arrests": [1, 2]}))
    with i18n.using("es"):
        assert table_numbers.texts(preview)["quantity_kg"].tolist() == ["1,5005", "2,0000"]
