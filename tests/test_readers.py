"""crimjust_data.ingest.readers: encodings, delimiters, title rows, row numbers, garbage files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from crimjust_data.errors import InputFileError
from crimjust_data.ingest import TableFile, excel_sheet_names, read_table_file, sha256_of

CIV = "Côte d’Ivoire"  # the ’ is 0x92 in cp1252 and not in latin-1
CSV_TEXT = f"country,year,kg\n{CIV},2021,12.5\nSenegal,2022,007\n"


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def rows(frame: pd.DataFrame) -> list[list[object]]:
    return [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]


# ---------------------------------------------------------------------------------------------
# Encodings


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),  # Python writes a BOM
        ("utf-16-le", "utf-16-le"),  # no BOM: recognised by its zero bytes
        ("cp1252", "cp1252"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, detected: str) -> None:
    path = write(tmp_path, "t.csv", CSV_TEXT, encoding)
    table = read_table_file(path)
    assert table.encoding == detected
    assert list(table.frame.columns) == ["country", "year", "kg"]  # no BOM left in 'country'
    assert rows(table.frame) == [[CIV, "2021", "12.5"], ["Senegal", "2022", "007"]]


def test_latin1_fallback_when_not_cp1252(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252: only latin-1 decodes it
    path = write(tmp_path, "t.csv", b"name,kg\nA\x81B,1\n")
    table = read_table_file(path)
    assert table.encoding == "latin-1"
    assert table.frame.iloc[0, 0] == "A\x81B"


def test_bom_and_spaces_stripped_from_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "\ufeff  Country \u200b; Reference  year ;kg\nCOL;2020;1\n")
    frame = read_table_file(path).frame
    assert list(frame.columns) == ["Country", "Reference year", "kg"]


# ---------------------------------------------------------------------------------------------
# Delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    text = "\n".join(
        delimiter.join(cells)
        for cells in [
            ["country", "note", "kg"],
            ["COL", '"a, b; c"', "1,5" if delimiter != "," else "1.5"],
            ["PER", "x", "2"],
        ]
    )
    table = read_table_file(write(tmp_path, "t.csv", text + "\n"))
    assert table.delimiter == delimiter
    assert list(table.frame.columns) == ["country", "note", "kg"]
    assert table.frame.iloc[0, 1] == "a, b; c"


def test_semicolon_file_with_decimal_commas(tmp_path: Path) -> None:
    text = "country;kg;year\nESP;36950,5;2020\nPRT;0,0003;2020\nITA;12;2021\n"
    table = read_table_file(write(tmp_path, "t.csv", text))
    assert table.delimiter == ";"
    assert table.frame["kg"].tolist() == ["36950,5", "0,0003", "12"]


def test_excel_sep_line(tmp_path: Path) -> None:
    table = read_table_file(write(tmp_path, "t.csv", "sep=;\na;b\n1,5;2\n"))
    assert table.delimiter == ";"
    assert list(table.frame.columns) == ["a", "b"]
    assert table.header_row == 1  # Excel hides the sep= line


def test_single_column_file(tmp_path: Path) -> None:
    table = read_table_file(write(tmp_path, "t.csv", "country\nCOL\nPER\n"))
    assert list(table.frame.columns) == ["country"]
    assert table.title is None
    assert table.first_data_row == 2


# ---------------------------------------------------------------------------------------------
# Cells stay text


def test_cells_are_text_and_empty_is_na(tmp_path: Path) -> None:
    text = "code,date,kg,flag\n007,2021-03-04,1e5,TRUE\n ,  ,NA,\n"
    frame = read_table_file(write(tmp_path, "t.csv", text)).frame
    assert rows(frame)[0] == ["007", "2021-03-04", "1e5", "TRUE"]
    assert rows(frame)[1] == [None, None, "NA", None]  # 'NA' typed by the user stays
    assert all(str(dtype) == "str" for dtype in frame.dtypes)


def test_blank_and_duplicate_headers_are_named(tmp_path: Path) -> None:
    frame = read_table_file(write(tmp_path, "t.csv", "kg,,kg\n1,2,3\n")).frame
    assert list(frame.columns) == ["kg", "column_2", "kg_2"]


def test_ragged_rows_are_padded(tmp_path: Path) -> None:
    frame = read_table_file(write(tmp_path, "t.csv", "a,b,c\n1\n1,2,3,4\n")).frame
    assert list(frame.columns) == ["a", "b", "c", "column_4"]
    assert rows(frame) == [["1", None, None, None], ["1", "2", "3", "4"]]


def test_every_ragged_row_is_noted_in_a_big_file(tmp_path: Path) -> None:
    # past its first records a big file is read by pyarrow, which needs rows of one length:
    # here all end with a delimiter, and two of them hold a cell past the header's width
    lines = [f"{i},Peru,{i}," for i in range(300)]
    lines[150] = "150,Peru,12,5"  # an unquoted decimal comma
    lines[280] = "280,Peru,7,25"
    lines[20] = "20,Peru,3,5"  # among the first records (read by the csv module)
    table = read_table_file(write(tmp_path, "t.csv", "id,country,kg\n" + "\n".join(lines)))
    errors = [n for n in table.notes if n.error]
    assert [n.row for n in errors] == [22, 152, 282]
    assert all("the row has 4 cells but the header has 3 columns" in n.message for n in errors)


# ---------------------------------------------------------------------------------------------
# Title rows and row numbers


def test_title_row_is_skipped(tmp_path: Path) -> None:
    text = "Drug seizures 2018-2022\nCountry,Year,Kilograms\nCOL,2018,1\nPER,2018,2\n"
    table = read_table_file(write(tmp_path, "t.csv", text))
    assert table.title == "Drug seizures 2018-2022"
    assert list(table.frame.columns) == ["Country", "Year", "Kilograms"]
    assert (table.header_row, table.first_data_row) == (2, 3)


def test_title_with_a_comma_splits_in_two_cells_and_is_still_a_title(tmp_path: Path) -> None:
    text = "Drug seizures, 2018-2022\nRegion,Country,DrugName,Year,Kilograms,msCode\n"
    text += "Americas,Colombia,Coca leaf,2018,5,COL\n"
    table = read_table_file(write(tmp_path, "t.csv", text))
    assert table.title == "Drug seizures 2018-2022"
    assert table.frame.columns[0] == "Region"
    assert table.first_data_row == 3


def test_title_subtitle_and_blank_lines(tmp_path: Path) -> None:
    text = "\n\nSeizures\nSource: UNODC\n\na,b,c\n1,2,3\n\n4,5,6\n\n\n"
    table = read_table_file(write(tmp_path, "t.csv", text))
    assert table.title == "Seizures / Source: UNODC"
    assert table.header_row == 6
    assert table.first_data_row == 7
    # the blank row 8 stays as an all-NA row so positions map to spreadsheet rows
    assert len(table.frame) == 3
    assert table.frame.iloc[1].isna().all()
    assert table.row_number(2) == 9
    assert rows(table.frame)[2] == ["4", "5", "6"]


def test_no_title_header_is_row_one(tmp_path: Path) -> None:
    table = read_table_file(write(tmp_path, "t.csv", CSV_TEXT))
    assert table.title is None
    assert (table.header_row, table.first_data_row) == (1, 2)


def test_unpacks_and_sets_attrs(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "Title\na,b\n1,2\n")
    frame, first_data_row = read_table_file(path)
    assert first_data_row == 3
    assert frame.attrs["first_data_row"] == 3
    assert frame.attrs["title"] == "Title"
    assert frame.attrs["file_name"] == "t.csv"
    assert isinstance(read_table_file(path), TableFile)


def test_row_numbers_of_a_reshaped_frame(tmp_path: Path) -> None:
    table = read_table_file(write(tmp_path, "t.csv", "Title\na,b\n1,2\n3,4\n"))
    assert table.row_numbers is None and table.frame.attrs["row_numbers"] is None
    assert [table.row_number(i) for i in range(2)] == [3, 4]
    # a frame made from the file's rows in another shape: each row keeps its file row
    frame = pd.DataFrame({"v": ["1", "2", "3", "4"]}, dtype="str")
    reshaped = dataclasses.replace(table, frame=frame, row_numbers=(3, 3, 4, 4))
    assert [reshaped.row_number(i) for i in range(4)] == [3, 3, 4, 4]
    assert reshaped.frame.attrs["row_numbers"] == (3, 3, 4, 4)
    assert reshaped.frame.attrs["file_name"] == "t.csv"
    with pytest.raises(ValueError, match="one file row per frame row"):
        dataclasses.replace(table, frame=frame.copy(), row_numbers=(3,))


def test_max_rows_reads_only_the_top(tmp_path: Path) -> None:
    text = "a,b\n" + "".join(f"{i},{i}\n" for i in range(1000))
    assert len(read_table_file(write(tmp_path, "t.csv", text), max_rows=11).frame) == 10


# ---------------------------------------------------------------------------------------------
# XLSX


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, cells in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in cells:
            sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_cells_as_text_with_title_and_blank_rows(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "t.xlsx",
        {
            "Export": [
                [None],
                ["Drug seizures, 2018-2022"],
                ["Country", "Year", "Kilograms", "Date", "Code"],
                ["Colombia", 2018, 413383.0, dt.datetime(2021, 3, 4), "007"],
                [None],
                ["Peru", 2019, 0.0003, None, None],
            ]
        },
    )
    table = read_table_file(path)
    assert table.sheet == "Export"
    assert table.title == "Drug seizures, 2018-2022"
    assert (table.header_row, table.first_data_row) == (3, 4)
    assert rows(table.frame) == [
        ["Colombia", "2018", "413383", "2021-03-04", "007"],
        [None, None, None, None, None],
        ["Peru", "2019", "0.0003", None, None],
    ]


def test_xlsx_sheet_choice(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", {"Notes": [["a", "b"], [1, 2]], "Data": [["c"], [3]]})
    assert excel_sheet_names(path) == ["Notes", "Data"]
    assert list(read_table_file(path).frame.columns) == ["a", "b"]
    assert list(read_table_file(path, sheet="Data").frame.columns) == ["c"]
    with pytest.raises(InputFileError, match=r"no sheet named 'Other'; sheets: Notes, Data"):
        read_table_file(path, sheet="Other")


def test_xlsx_renamed_csv_is_read_as_xlsx(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", {"S": [["a", "b"], [1, 2]]})
    renamed = path.rename(tmp_path / "t.csv")
    assert rows(read_table_file(renamed).frame) == [["1", "2"]]


# ---------------------------------------------------------------------------------------------
# Garbage and errors

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", r"empty\.csv: the file is empty"),
        ("blank.csv", b"\r\n \n\t\n", r"the file is empty"),
        ("bom.csv", b"\xef\xbb\xbf", r"the file is empty"),
        ("commas.csv", b",,,\n,,\n", r"the file is empty"),
        ("image.csv", PNG, r"image\.csv: not a table file .*: the file is a PNG image"),
        ("doc.csv", b"%PDF-1.7\n%\xe2\xe3\n", r"the file is a PDF document"),
        ("bin.txt", bytes(range(256)) * 4, r"the file is binary data, not text"),
        ("fake.xlsx", b"country,kg\nCOL,1\n", r"fake\.xlsx: cannot be opened as an Excel .*text"),
        ("image.xlsx", PNG, r"cannot be opened as an Excel workbook: the file is a PNG image"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, r"old-format Excel"),
        ("broken.xlsx", b"PK\x03\x04garbage", r"cannot be opened as an Excel workbook"),
        ("title.csv", b"Just a title line\n", r"no header row: the file holds a single line"),
        ("numbers.csv", b"1,2,3\n4,5,6\n", r"no header row: row 1 holds values \(1, 2, 3\)"),
    ],
)
def test_garbage_files_raise_a_specific_message(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(InputFileError, match=message) as caught:
        read_table_file(write(tmp_path, name, data))
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"nope\.csv: file not found"):
        read_table_file(tmp_path / "nope.csv")
    with pytest.raises(InputFileError, match="file not found"):
        sha256_of(tmp_path / "nope.csv")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InputFileError, match=r"not an Excel workbook, the file is a zip archive"):
        read_table_file(path)


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="is a folder"):
        read_table_file(tmp_path)


def test_sha256_of(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", CSV_TEXT)
    assert sha256_of(path) == hashlib.sha256(CSV_TEXT.encode()).hexdigest()
    assert sha256_of(str(path)) == sha256_of(path)
