"""Numbers in tables, column by column: how each column is shown in the interface language, and
the number format a spreadsheet keeps for it.

    formats = column_formats(frame)     # {column: ColumnFormat}
    styled = styler(frame)              # st.dataframe(styled): text in the language, sorted by value
    cells = texts(frame)                # the same text, for HTML and PDF tables
    excel_format(formats[column])       # '#,##0' / '#,##0.0' / '0.0%' for an XLSX cell

The frame keeps its numbers (CSV and XLSX hold them; a sort sorts them); only the text shown
changes. A column's kind comes from `frame.attrs["formats"]` when the builder says it
(`declare(frame, share=[...])`), else from its dtype, values and name: counts get thousands
separators, decimals a fixed number of digits per column (from the size of its values), years,
versions, ids and codes are shown as they are ('2019', never '2,019').
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from crimjust_data import i18n
from crimjust_data.i18n import N_, _

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

Kind = Literal["integer", "decimal", "percent", "identifier", "text"]
NUMBER_KINDS = ("integer", "decimal", "percent", "identifier")
MISSING = "–"  # an empty number cell, as the rest of the dashboard writes it
# Names (codes or words of any language) of columns that identify rather than count: shown
# without thousands separators. Matched as words: 'year_opened', 'version_id', 'Año', 'ISO3'.
_IDENTIFIER = re.compile(
    r"(^|[\s_(/-])(year|years|año|años|ano|anos|année|années|version|versión|versão|id|iso3|"
    r"iso|sha|sha-256|sha256|code|codes|código|códigos)($|[\s_):/-])",
    re.IGNORECASE,
)
# Coordinates keep every decimal they have (a degree is 111 km).
_COORDINATE = re.compile(
    r"(^|[\s_(])(lat|latitude|latitud|lon|lng|longitude|longitud)($|[\s_)])", re.I
)
COORDINATE_DIGITS = 6
# Translated names that identify too (row numbers in a file), read in the current language.
IDENTIFIER_NAMES = (N_("file row"), N_("row"), N_("Version"), N_("version"), N_("Year"))
MAX_DIGITS = 3


@dataclass(frozen=True)
class ColumnFormat:
    """How a column is shown: `kind` and, for decimals and percents, the digits after the mark."""

    kind: Kind
    digits: int = 0

    @property
    def numeric(self) -> bool:
        return self.kind in NUMBER_KINDS


TEXT = ColumnFormat("text")


def declare(
    frame: pd.DataFrame,
    *,
    share: Iterable[str] = (),
    identifier: Iterable[str] = (),
    digits: dict[str, int] | None = None,
) -> pd.DataFrame:
    """`frame` (changed in place and returned) saying how some of its columns are shown: `share`
    columns hold fractions 0–1 (shown as percents), `identifier` columns are codes or years,
    `digits` fixes a column's decimals. The other columns are worked out from their values."""
    # plain lists in attrs: Streamlit sends a frame's attrs as JSON
    declared: dict[str, list[Any]] = dict(frame.attrs.get("formats", {}))
    declared |= {str(c): ["percent", 1] for c in share}
    declared |= {str(c): ["identifier", 0] for c in identifier}
    declared |= {str(c): ["decimal", d] for c, d in (digits or {}).items()}
    frame.attrs["formats"] = declared
    return frame


def exact(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (changed in place and returned) with every decimal column shown with all the
    decimals its values have (up to 6): values as stored, for a preview of what a load keeps."""
    digits = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values) and not _is_identifier(str(column)):
            numbers = _numbers(values)
            if numbers.size:
                digits[str(column)] = _needed(numbers, COORDINATE_DIGITS)
    return declare(frame, digits=digits)


def _is_identifier(name: str) -> bool:
    if _IDENTIFIER.search(name):
        return True
    return name.strip().lower() in {_(n).lower() for n in IDENTIFIER_NAMES}


def _numbers(values: pd.Series) -> np.ndarray:
    """The finite numbers among `values` (text cells such as '<5' or 'withheld' left out)."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_string_dtype(values):
        return np.array([], dtype=float)
    if pd.api.types.is_numeric_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        numbers = np.array(
            [
                float(v)
                for v in values
                if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            ],
            dtype=float,
        )
    return numbers[np.isfinite(numbers)]


def _needed(numbers: np.ndarray, most: int) -> int:
    """The fewest decimals (up to `most`) that write every one of `numbers` exactly."""
    return next(
        (
            d
            for d in range(most + 1)
            if np.allclose(numbers, np.round(numbers, d), rtol=0, atol=1e-9)
        ),
        most,
    )


def _digits(numbers: np.ndarray) -> int:
    """Decimals for a column of `numbers`: enough for about three significant digits of its
    typical value, never more than the values have (54.8 stays 54.8, 510.0 shows as 510)."""
    needed = _needed(numbers, MAX_DIGITS)
    nonzero = np.abs(numbers[numbers != 0])
    if not nonzero.size:
        return 0
    typical = float(np.median(nonzero))
    wanted = 1 if typical >= 1 else min(MAX_DIGITS, 1 - math.floor(math.log10(typical)))
    return min(needed, wanted)


def column_format(name: str, values: pd.Series) -> ColumnFormat:
    """How the column `name` holding `values` is shown, worked out from them."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return TEXT
    numbers = _numbers(values)
    if not numbers.size:
        return TEXT
    if _is_identifier(name):
        return ColumnFormat("identifier")
    if _COORDINATE.search(name):
        return ColumnFormat("decimal", _needed(numbers, COORDINATE_DIGITS))
    digits = _digits(numbers)
    return ColumnFormat("integer") if digits == 0 else ColumnFormat("decimal", digits)


def column_formats(frame: pd.DataFrame) -> dict[str, ColumnFormat]:
    """Every column's format: declared ones (`declare`) first, the rest worked out."""
    declared: dict[str, list[Any]] = frame.attrs.get("formats", {})
    return {
        column: ColumnFormat(*declared[str(column)])
        if str(column) in declared
        else column_format(str(column), frame[column])
        for column in frame.columns
    }


def cell_text(value: Any, fmt: ColumnFormat) -> str:
    """One cell as shown in the current language: '1 234', '7,5', '54,8 %', '2019', '–'."""
    if value is None or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return MISSING if fmt.numeric else ""
    if isinstance(value, (bool, np.bool_)):
        return _("yes") if value else _("no")
    if isinstance(value, str) or not isinstance(value, (int, float, np.integer, np.floating)):
        if isinstance(value, pd.Timestamp | dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M" if value.time() != dt.time() else "%Y-%m-%d")
        return str(value)
    if fmt.kind == "identifier":
        return str(int(value)) if float(value).is_integer() else str(value)
    if fmt.kind == "percent":
        return i18n.percent(float(value), fmt.digits)
    if fmt.kind == "decimal":
        return i18n.decimal(float(value), fmt.digits)
    if fmt.kind == "integer":
        return i18n.integer(round(float(value)))
    return str(value)


def texts(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as the text of each cell in the current language (HTML and PDF tables)."""
    formats = column_formats(frame)
    return pd.DataFrame(
        {
            column: [cell_text(v, formats[column]) for v in frame[column].tolist()]
            for column in frame.columns
        },
        columns=frame.columns,
        index=frame.index,
    )


def styler(frame: pd.DataFrame) -> Styler | pd.DataFrame:
    """`frame` for st.dataframe: each number shown in the current language while the cell keeps
    its value (sorting a column sorts numbers, not text). A frame too large for pandas' Styler,
    or without numbers, is returned as it is."""
    formats = column_formats(frame)
    if not any(f.numeric for f in formats.values()) or frame.size > int(
        pd.get_option("styler.render.max_elements")
    ):
        return frame
    # Streamlit draws its own 'None' over an empty cell whatever the Styler says: in columns
    # already holding text (a withheld '<5', a date) an empty cell becomes the dash itself.
    frame = frame.copy()
    for column, fmt in formats.items():
        values = frame[column]
        textual = pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
        if textual and bool(values.isna().any()):
            frame[column] = values.where(values.notna(), MISSING if fmt.numeric else "")
    # Streamlit shows a Styler's text for every cell: dates and missing text written here too
    # (not 'None' or '2026-12-07 15:09:00+00:00'); ticks stay ticks
    shown = {
        column: (lambda v, f=fmt: cell_text(v, f))
        for column, fmt in formats.items()
        if not pd.api.types.is_bool_dtype(frame[column])
    }
    return frame.style.format(shown)


def excel_format(fmt: ColumnFormat) -> str | None:
    """The spreadsheet number format of a column (None: leave the cell as it is). Excel and
    LibreOffice show it with the reader's own decimal mark and thousands separator."""
    if fmt.kind == "integer":
        return "#,##0"
    if fmt.kind == "decimal":
        return "#,##0." + "0" * fmt.digits
    if fmt.kind == "percent":
        return "0." + "0" * fmt.digits + "%" if fmt.digits else "0%"
    if fmt.kind == "identifier":
        return "0"
    return None
