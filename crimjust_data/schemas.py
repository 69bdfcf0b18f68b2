"""Canonical tables (docs/ARCHITECTURE.md, data flow): column lists, allowed values and pandera validation.

Every frame that reaches the store passes `validate_table` first; its errors carry the row number
the analyst sees in their spreadsheet, the column, the value and what to do about it.
Messages are translated (crimjust_data.i18n) when the schema is built and the errors are made,
i.e. inside `validate_table`, never at import.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from crimjust_data import i18n
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import _

TableName = Literal["seizures", "annual_seizures", "cases", "activities"]
TABLES: tuple[TableName, ...] = ("seizures", "annual_seizures", "cases", "activities")

# Cocaine forms that count toward cocaine totals. Coca leaf and coca bush are not cocaine.
DRUGS = ("cocaine_hcl", "cocaine_base", "crack", "cocaine_unspecified")
CONVEYANCES = ("container", "vessel", "air", "land", "postal", "unknown")
OUTCOMES = ("pending", "convicted", "acquitted", "dismissed")
FINAL_OUTCOMES = ("convicted", "acquitted", "dismissed")
STAGES = ("investigation", "prosecution", "trial", "closed")
COOPERATION = ("none", "mla_request", "joint_investigation", "extradition")
# Program activities (what CRIMJUST did), marked on the timelines and compared before/after.
ACTIVITY_TYPES = (
    "training",
    "mentoring",
    "joint_investigation",
    "legal_assistance",
    "agreement",
    "equipment",
    "other",
)
PARTNERS = ("unodc", "interpol", "transparency_international", "other")

# Column order of each canonical table as stored (the store adds version_id).
COLUMNS: dict[TableName, tuple[str, ...]] = {
    "seizures": (
        "seizure_id",
        "date",
        "country_iso3",
        "location",
        "latitude",
        "longitude",
        "drug",
        "quantity_kg",
        "conveyance",
        "origin_iso3",
        "transit_iso3",
        "destination_iso3",
        "agency",
        "arrests",
        "source",
    ),
    "annual_seizures": ("country_iso3", "year", "drug", "quantity_kg", "source"),
    "cases": (
        "case_id",
        "country_iso3",
        "seizure_id",
        "opened_date",
        "charged_date",
        "verdict_date",
        "defendants",
        "stage",
        "outcome",
        "convicted_persons",
        "sentence_months",
        "cooperation",
        "source",
    ),
    "activities": (
        "activity_id",
        "start_date",
        "end_date",
        "countries",
        "type",
        "title",
        "partner",
        "participants",
        "notes",
        "source",
    ),
}
REQUIRED: dict[TableName, tuple[str, ...]] = {
    "seizures": ("seizure_id", "date", "country_iso3", "drug", "quantity_kg", "source"),
    "annual_seizures": ("country_iso3", "year", "drug", "quantity_kg", "source"),
    "cases": ("case_id", "country_iso3", "opened_date", "outcome", "source"),
    "activities": ("activity_id", "start_date", "countries", "type", "title", "partner", "source"),
}
DATE_COLUMNS: dict[TableName, tuple[str, ...]] = {
    "seizures": ("date",),
    "annual_seizures": (),
    "cases": ("opened_date", "charged_date", "verdict_date"),
    "activities": ("start_date", "end_date"),
}
EARLIEST_DATE = pd.Timestamp("1990-01-01")
# More than the world's cocaine production in a year (about 3,700 t in 2023): no seizure, and no
# country's yearly total, can weigh this much (an error, unlike normalise.MAX_PLAUSIBLE_KG).
MAX_QUANTITY_KG = 10_000_000
# Canonical text: arrow-backed strings, <NA> for blank. A big file's text stays in arrow from its
# read to the store (no million Python strings made, checked and read back).
TEXT = pd.StringDtype("pyarrow")


@dataclass(frozen=True)
class RowError:
    """One problem in an input file, located as the analyst sees it."""

    row: int | None  # spreadsheet row number (header is row 1); None for file-level problems
    column: str | None
    value: str | None
    message: str

    def to_dict(self) -> dict[str, object]:
        # not dataclasses.asdict: it deep-copies, and a big file can have many thousand problems
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = _("file") if self.row is None else _("row {row}").format(row=self.row)
        if self.column:
            where = _("{where}, column {column}").format(where=where, column=self.column)
        if self.value in (None, ""):
            return _("{where}: {message}").format(where=where, message=self.message)
        return _("{where} (value {value}): {message}").format(
            where=where, value=repr(self.value), message=self.message
        )


class ValidationFailed(CrimjustError):
    """Raised when a frame does not meet its canonical schema; nothing has been stored."""

    def __init__(self, table: str, errors: list[RowError]) -> None:
        self.table = table
        self.errors = errors
        first = "; ".join(str(e) for e in errors[:3])
        if len(errors) > 3:
            message = _("{n} problem(s) in the {table} table: {first} (and {more} more)")
        else:
            message = _("{n} problem(s) in the {table} table: {first}")
        super().__init__(
            message.format(
                n=len(errors),
                table=table,
                first=first,
                more=len(errors) - 3,
            )
        )


def _iso3_check(known_iso3: frozenset[str]) -> pa.Check:
    return pa.Check.isin(sorted(known_iso3), error=_("unknown country code: use an ISO3 code"))


def _str_length(low: int, high: int) -> pa.Check:
    """pa.Check.str_length(low, high) with the lengths counted by arrow (Python's len, many
    times faster on a big file's ids); it fails on the same cells under the same name."""

    def within(texts: pd.Series) -> pd.Series:
        lengths = pc.utf8_length(
            pyarrow.array(texts, from_pandas=True, type=pyarrow.large_string())
        )
        counted = lengths.to_numpy(zero_copy_only=False)
        return pd.Series((counted >= low) & (counted <= high), index=texts.index)

    return pa.Check(within, name="str_length", error=f"str_length({low}, {high})")


def _at_most_kg() -> pa.Check:
    """No more than MAX_QUANTITY_KG (and finite: an infinite sum would blank every chart)."""
    return pa.Check.le(
        MAX_QUANTITY_KG,
        error=_(
            "an impossible quantity: more than {limit} kg, more than all the cocaine made in the "
            "world in a year; check the unit and the decimal separator"
        ).format(limit=i18n.integer(MAX_QUANTITY_KG)),
    )


def _schema(table: TableName, known_iso3: frozenset[str]) -> pa.DataFrameSchema:
    """The pandera schema of one canonical table (built per call: its messages are translated
    into the current language)."""
    iso3 = _iso3_check(known_iso3)
    today = pd.Timestamp(dt.date.today())
    date_checks = [
        pa.Check.ge(EARLIEST_DATE, error=_("date before 1990: check the year")),
        pa.Check.le(today, error=_("date in the future: check day, month and year")),
    ]

    def text(required: bool, *checks: pa.Check) -> pa.Column:
        return pa.Column(TEXT, checks=list(checks), nullable=not required, required=True)

    def date(required: bool) -> pa.Column:
        return pa.Column("datetime64[ns]", checks=date_checks, nullable=not required)

    if table == "seizures":
        return pa.DataFrameSchema(
            {
                "seizure_id": text(True, _str_length(1, 100)),
                "date": date(True),
                "country_iso3": text(True, iso3),
                "location": text(False),
                "latitude": pa.Column(
                    float,
                    pa.Check.in_range(-90, 90, error=_("latitude must be between -90 and 90")),
                    nullable=True,
                ),
                "longitude": pa.Column(
                    float,
                    pa.Check.in_range(-180, 180, error=_("longitude must be between -180 and 180")),
                    nullable=True,
                ),
                "drug": text(
                    True,
                    pa.Check.isin(
                        DRUGS, error=_("drug must be one of {values}").format(values=DRUGS)
                    ),
                ),
                "quantity_kg": pa.Column(
                    float,
                    [pa.Check.gt(0, error=_("quantity must be more than 0 kg")), _at_most_kg()],
                ),
                "conveyance": text(
                    False,
                    pa.Check.isin(
                        CONVEYANCES,
                        error=_("conveyance must be one of {values}").format(values=CONVEYANCES),
                    ),
                ),
                "origin_iso3": text(False, iso3),
                "transit_iso3": pa.Column(object, nullable=True),
                "destination_iso3": text(False, iso3),
                "agency": text(False),
                "arrests": pa.Column(
                    "Int64",
                    pa.Check.ge(0, error=_("arrests cannot be negative")),
                    nullable=True,
                ),
                "source": text(True, _str_length(1, 500)),
            },
            unique=["seizure_id"],
        )
    if table == "annual_seizures":
        return pa.DataFrameSchema(
            {
                "country_iso3": text(True, iso3),
                "year": pa.Column(
                    "Int64",
                    pa.Check.in_range(1990, today.year, error=_("year must be 1990 to this year")),
                    coerce=True,
                ),
                "drug": text(
                    True,
                    pa.Check.isin(
                        DRUGS, error=_("drug must be one of {values}").format(values=DRUGS)
                    ),
                ),
                "quantity_kg": pa.Column(
                    float, [pa.Check.ge(0, error=_("quantity cannot be negative")), _at_most_kg()]
                ),
                "source": text(True, _str_length(1, 500)),
            },
            unique=["country_iso3", "year", "drug"],
        )
    if table == "activities":
        return pa.DataFrameSchema(
            {
                "activity_id": text(True, _str_length(1, 100)),
                "start_date": date(True),
                "end_date": pa.Column("datetime64[ns]", nullable=True),
                "countries": pa.Column(object, nullable=False),
                "type": text(
                    True,
                    pa.Check.isin(
                        ACTIVITY_TYPES,
                        error=_("type must be one of {values}").format(values=ACTIVITY_TYPES),
                    ),
                ),
                "title": text(True, _str_length(1, 300)),
                "partner": text(
                    True,
                    pa.Check.isin(
                        PARTNERS, error=_("partner must be one of {values}").format(values=PARTNERS)
                    ),
                ),
                "participants": pa.Column(
                    "Int64",
                    pa.Check.ge(0, error=_("participants cannot be negative")),
                    nullable=True,
                ),
                "notes": text(False, _str_length(0, 2000)),
                "source": text(True, _str_length(1, 500)),
            },
            unique=["activity_id"],
        )
    return pa.DataFrameSchema(
        {
            "case_id": text(True, _str_length(1, 100)),
            "country_iso3": text(True, iso3),
            "seizure_id": text(False),
            "opened_date": date(True),
            "charged_date": date(False),
            "verdict_date": date(False),
            "defendants": pa.Column(
                "Int64",
                pa.Check.ge(1, error=_("a case has at least 1 defendant")),
                nullable=True,
            ),
            "stage": text(
                False,
                pa.Check.isin(
                    STAGES, error=_("stage must be one of {values}").format(values=STAGES)
                ),
            ),
            "outcome": text(
                True,
                pa.Check.isin(
                    OUTCOMES, error=_("outcome must be one of {values}").format(values=OUTCOMES)
                ),
            ),
            "convicted_persons": pa.Column(
                "Int64",
                pa.Check.ge(0, error=_("convicted persons cannot be negative")),
                nullable=True,
            ),
            "sentence_months": pa.Column(
                float,
                pa.Check.ge(0, error=_("sentence cannot be negative")),
                nullable=True,
            ),
            "cooperation": text(
                False,
                pa.Check.isin(
                    COOPERATION,
                    error=_("cooperation must be one of {values}").format(values=COOPERATION),
                ),
            ),
            "source": text(True, _str_length(1, 500)),
        },
        unique=["case_id"],
    )


# (later, earlier) dates of a row that must not go backwards.
DATE_ORDER: dict[TableName, tuple[tuple[str, str], ...]] = {
    "cases": (("charged_date", "opened_date"), ("verdict_date", "opened_date")),
    "activities": (("end_date", "start_date"),),
}


def _date_order_errors(
    frame: pd.DataFrame, pairs: tuple[tuple[str, str], ...], row_offset: int
) -> list[RowError]:
    """A row's later date must not come before its earlier one (a case opened before its
    verdict, an activity started before it ended)."""
    errors: list[RowError] = []
    for later, earlier in pairs:
        bad = frame[later].notna() & frame[earlier].notna() & (frame[later] < frame[earlier])
        for idx in frame.index[bad]:
            errors.append(
                RowError(
                    int(idx) + row_offset,
                    later,
                    str(frame.at[idx, later].date()),
                    _("{later} is before {earlier} ({date}): fix the dates").format(
                        later=later, earlier=earlier, date=frame.at[idx, earlier].date()
                    ),
                )
            )
    return errors


NUMERIC_COLUMNS: dict[TableName, dict[str, str]] = {
    "seizures": {
        "latitude": "float",
        "longitude": "float",
        "quantity_kg": "float",
        "arrests": "int",
    },
    "annual_seizures": {"year": "int", "quantity_kg": "float"},
    "cases": {"defendants": "int", "convicted_persons": "int", "sentence_months": "float"},
    "activities": {"participants": "int"},
}
LIST_COLUMNS = frozenset({"transit_iso3", "countries"})


def _coerce(table: TableName, frame: pd.DataFrame, row_offset: int) -> list[RowError]:
    """Convert columns in place to their canonical types; report cells that do not convert."""
    errors: list[RowError] = []

    def report(column: str, bad: pd.Series, message: str) -> None:
        for idx in frame.index[bad]:
            errors.append(
                RowError(int(idx) + row_offset, column, str(frame.at[idx, column]), message)
            )

    for column, kind in NUMERIC_COLUMNS[table].items():
        raw = frame[column]
        numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
        report(
            column, raw.notna() & numbers.isna(), _("not a number: write digits only, e.g. 12.5")
        )
        if kind == "int":
            fractional = numbers.notna() & (numbers % 1 != 0)
            report(column, fractional, _("must be a whole number"))
            # beyond the exact whole numbers of a float: no count, and no 64-bit integer
            huge = ~fractional & (numbers.abs() >= 2.0**53)
            report(column, huge, _("too large for this column: check the number"))
            numbers = numbers.where(~fractional & ~huge).astype("Int64")
        else:
            numbers = numbers + 0.0  # -0 is 0
        frame[column] = numbers
    for column in DATE_COLUMNS[table]:
        raw = frame[column]
        if pd.api.types.is_datetime64_any_dtype(raw):
            dates = raw
        else:
            dates = pd.to_datetime(raw, errors="coerce", format="ISO8601")
        report(column, raw.notna() & dates.isna(), _("not a date: write it as YYYY-MM-DD"))
        frame[column] = dates.astype("datetime64[ns]")
    for column in COLUMNS[table]:
        if column in NUMERIC_COLUMNS[table] or column in DATE_COLUMNS[table]:
            continue
        if column in LIST_COLUMNS:
            frame[column] = _code_lists(frame[column])
        else:
            frame[column] = _text_cells(frame[column])
    return errors


def _text_cells(column: pd.Series) -> pd.Series:
    """Text cells as TEXT: str(value) stripped, <NA> for blank or missing."""
    try:  # a column of text: checked (and cleaned if needed) by arrow, at once
        array = pyarrow.array(column, from_pandas=True)
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
        array = None
    if array is not None and pyarrow.types.is_null(array.type):  # all blank
        array = pyarrow.nulls(len(column), pyarrow.large_string())
    if array is not None and (
        pyarrow.types.is_string(array.type) or pyarrow.types.is_large_string(array.type)
    ):
        stripped = pc.utf8_trim_whitespace(array)
        lengths, stripped_lengths = pc.binary_length(array), pc.binary_length(stripped)
        # trimming only takes away: the same length is the same text (cheaper than comparing)
        if (
            pc.any(pc.not_equal(lengths, stripped_lengths)).as_py()
            or pc.any(pc.equal(lengths, 0)).as_py()
        ):
            array = pc.if_else(pc.equal(stripped_lengths, 0), None, stripped)
        return pd.Series(pd.array(array, dtype=TEXT), index=column.index)
    # Anything else (numbers, mixed types): one by one.
    text = column.astype(object)
    text = text.where(text.notna(), None).map(
        lambda v: None if v is None else str(v).strip() or None
    )
    return text.astype(TEXT)


def _code_lists(column: pd.Series) -> pd.Series:
    """Each cell of a list column (transit countries) as a list of codes. Cells are values:
    rows with the same route may share one list."""
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        # '|'-separated texts (or blanks) that repeat: each distinct one split once
        codes, texts = pd.factorize(column)
        lists = np.empty(len(texts) + 1, dtype=object)
        for i, text in enumerate([*texts, None]):
            lists[i] = _as_code_list(text)
        return pd.Series(lists[codes], index=column.index, dtype=object)
    __, distinct = _distinct_objects(column)
    if all(type(cell) is list for cell in distinct) and _clean_codes(distinct):
        return column  # lists of codes already (validated before)
    return pd.Series([_as_code_list(v) for v in column], index=column.index, dtype=object)


def _distinct_objects(column: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """(codes, objects): column[i] is objects[codes[i]], one entry per object however many rows
    hold it (cells of lists: rows with the same route often share one)."""
    cells = column.to_numpy(dtype=object)
    codes, __ = pd.factorize(np.fromiter(map(id, cells), dtype=np.int64, count=len(cells)))
    first = np.empty(codes.max(initial=-1) + 1, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the first row of each object
    return codes, cells[first].tolist()


def _clean_codes(lists: list[list[Any]]) -> bool:
    """Do these lists hold only texts without surrounding spaces (as _as_code_list makes)?"""
    try:
        codes = pyarrow.array(itertools.chain.from_iterable(lists), type=pyarrow.string())
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
        return False
    if codes.null_count:
        return False
    stripped = pc.utf8_trim_whitespace(codes)
    return (
        pc.all(pc.equal(stripped, codes)).as_py() is not False
        and not pc.any(pc.equal(pc.binary_length(codes), 0)).as_py()
    )


def _as_code_list(value: object) -> list[str]:
    """A list cell (transit countries) from a list or a '|', ';' or ','-separated string."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        parts = value.replace("|", ",").replace(";", ",").split(",")
    else:
        parts = [str(v) for v in value]  # type: ignore[union-attr]
    return [p.strip() for p in parts if p.strip()]


def validate_table(
    table: TableName, frame: pd.DataFrame, known_iso3: Iterable[str], row_offset: int = 2
) -> pd.DataFrame:
    """Return `frame` coerced to the canonical schema of `table`, or raise ValidationFailed.

    `row_offset` turns the frame's 0-based positional index into spreadsheet row numbers
    (2 = a header row, then data starting on row 2).
    """
    missing = [c for c in REQUIRED[table] if c not in frame.columns]
    if missing:
        raise ValidationFailed(
            table,
            [
                RowError(
                    None,
                    c,
                    None,
                    _("required column '{column}' is missing: add it to the file").format(column=c),
                )
                for c in missing
            ],
        )
    frame = frame.reset_index(drop=True)  # columns are replaced, never changed in place
    for column in COLUMNS[table]:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[list(COLUMNS[table])]  # exactly the canonical columns: others are dropped
    coercion_errors = _coerce(table, frame, row_offset)
    known = frozenset(known_iso3)
    errors = list(coercion_errors)
    try:
        # in place: the frame is this function's own, and a copy of a big one takes long
        frame = _schema(table, known).validate(frame, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:
        already = {(e.row, e.column) for e in coercion_errors}
        errors += [
            e
            for e in _row_errors(exc.failure_cases, row_offset)
            if (e.row, e.column) not in already
        ]
    for column in sorted(LIST_COLUMNS & set(frame.columns)):
        # each list looked at once (rows share lists), then the rows holding an unknown code
        codes, lists = _distinct_objects(frame[column])
        wrong = [i for i, cell in enumerate(lists) if not known.issuperset(cell)]
        message = _("unknown country code: use ISO3 codes separated by '|'")
        for position in np.flatnonzero(np.isin(codes, wrong)).tolist():
            errors += [
                RowError(position + row_offset, column, code, message)
                for code in lists[codes[position]]
                if code not in known
            ]
        if column in REQUIRED[table]:
            empty = [i for i, cell in enumerate(lists) if not cell]
            required = _("a value is required here")
            for position in np.flatnonzero(np.isin(codes, empty)).tolist():
                errors.append(RowError(position + row_offset, column, None, required))
    if table in DATE_ORDER:
        errors += _date_order_errors(frame, DATE_ORDER[table], row_offset)
    if errors:
        errors.sort(key=lambda e: (e.row if e.row is not None else -1, e.column or ""))
        raise ValidationFailed(table, errors)
    return frame


def _row_errors(failure_cases: pd.DataFrame, row_offset: int) -> list[RowError]:
    """pandera's failure-case table, as analyst-facing row errors (sorted by row)."""
    errors: list[RowError] = []
    for record in failure_cases.to_dict("records"):
        index = record.get("index")
        row = None if index is None or pd.isna(index) else int(index) + row_offset
        value = record.get("failure_case")
        if isinstance(value, pd.Timestamp):
            value = value.date()
        check = str(record.get("check"))
        column = record.get("column")
        column = None if column is None or pd.isna(column) else str(column)
        message = check
        if check == "not_nullable":
            message = _("a value is required here")
        elif check == "field_uniqueness" or check.startswith("multiple_fields_uniqueness"):
            message = _("duplicate: each row needs a unique id")
        errors.append(
            RowError(row, column, None if value is None or pd.isna(value) else str(value), message)
        )
    errors.sort(key=lambda e: (e.row if e.row is not None else -1, e.column or ""))
    return errors
