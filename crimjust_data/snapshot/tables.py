"""CSV and XLSX exports: a provenance block first, then the numbers; safe to open in a spreadsheet.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one) as a
formula, so a crafted value in an uploaded table could run a command on a donor's machine.
Such text gets an apostrophe before the sign; numbers are left alone. A reader may also start a
cell inside a text: at a comma, semicolon, tab or line break (a spreadsheet whose list separator
is ';', a reader that ignores quotes), so the sign is neutralised there too, after any spaces
and quotes. The '# Key: value' lines are one cell for every reader: their separators and quotes
are replaced by look-alikes that no reader splits at.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from crimjust_data import table_numbers
from crimjust_data.i18n import _
from crimjust_data.safe_text import NEEDS_SIGN, neutralise

MAX_SHEET_NAME = 31  # Excel's limit
# In a '# Key: value' line: a comma reads as U+201A, a semicolon as a middle dot, a double
# quote as U+201D; none of them is a separator or a quote to any reader.
_ONE_CELL = str.maketrans({",": "\u201a", '"': "\u201d"})


def neutralise_frame(frame: pd.DataFrame, *, inside: bool = True) -> pd.DataFrame:
    """A copy with every text cell neutralised; numeric columns are untouched."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        try:  # only the cells that need it: a million rows, few of them with a sign
            hit = values.str.contains(NEEDS_SIGN, regex=True, na=False).to_numpy(bool)
        except AttributeError:  # not all text (counts among '<5'), or dates: cell by cell
            safe[column] = values.map(lambda v: neutralise(v, inside=inside), na_action="ignore")
            continue
        if hit.any():
            safe.loc[hit, column] = values[hit].map(lambda v: neutralise(v, inside=inside))
    safe.columns = [neutralise(str(c), inside=inside) for c in safe.columns]
    return safe


def header_block(provenance: Sequence[tuple[str, str]]) -> str:
    """'# Key: value' lines, each a single cell starting with '#' for every CSV reader and
    spreadsheet, whatever its separator: read the table back with read_csv(comment='#')."""
    return "".join(f"# {_one_cell(key)}: {_one_cell(value)}\n" for key, value in provenance)


def _one_cell(text: str) -> str:
    """`text` on one line, with no separator or quote a reader could split it at."""
    text = re.sub(r"\s*;\s*", " \u00b7 ", str(text))  # tabs and line breaks: below
    return re.sub(r"\s+", " ", text.translate(_ONE_CELL)).strip()


def csv_bytes(frame: pd.DataFrame, provenance: Sequence[tuple[str, str]] = ()) -> bytes:
    """UTF-8 CSV (with a BOM, so Excel reads accents) of `frame` after its provenance block."""
    # Text quoted: a carriage return or '#' inside a value stays inside its cell.
    body = neutralise_frame(frame).to_csv(
        index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
    )
    head = header_block(provenance) if provenance else ""
    return ("\ufeff" + head + body).encode("utf-8")


def csv_zip(tables: Mapping[str, pd.DataFrame], provenance: Sequence[tuple[str, str]]) -> bytes:
    """One CSV per table (file name = key + .csv), each with the provenance block, in a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            block = [*provenance, (_("Table"), name)]
            archive.writestr(f"{name}.csv", csv_bytes(frame, block))
    return buffer.getvalue()


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (<= 31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:MAX_SHEET_NAME].strip() or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def xlsx_bytes(tables: Mapping[str, pd.DataFrame], provenance: Sequence[tuple[str, str]]) -> bytes:
    """A workbook: an 'About' sheet with the provenance, then one sheet per table (sheet names
    are the table keys: stable identifiers, like the CSV file names)."""
    buffer = io.BytesIO()
    about_sheet = sheet_name(_("About"), set())
    taken: set[str] = {about_sheet.lower()}
    about = pd.DataFrame(provenance, columns=[_("Item"), _("Value")])
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_frame(about, inside=False).to_excel(writer, sheet_name=about_sheet, index=False)
        writer.sheets[about_sheet].column_dimensions["A"].width = 28
        writer.sheets[about_sheet].column_dimensions["B"].width = 110
        for name, frame in tables.items():
            sheet = sheet_name(name, taken)
            neutralise_frame(frame, inside=False).to_excel(writer, sheet_name=sheet, index=False)
            for letter_index, column in enumerate(frame.columns[:26]):
                width = min(40, max(10, len(str(column)) + 2))
                writer.sheets[sheet].column_dimensions[chr(65 + letter_index)].width = width
            _number_formats(writer.sheets[sheet], frame)
    return buffer.getvalue()


def _number_formats(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Number formats on the number cells of each column ('#,##0', '#,##0.0', '0.0%'): the
    cells stay numbers, and each reader's spreadsheet writes them in its own locale."""
    for position, fmt in enumerate(table_numbers.column_formats(frame).values(), start=1):
        number_format = table_numbers.excel_format(fmt)
        if number_format is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = number_format
