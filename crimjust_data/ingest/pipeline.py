"""From a file (or the demo generator) to stored versions: the one path the CLI and pages share."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from babel.numbers import format_decimal

from crimjust_data import demo, i18n
from crimjust_data.errors import CrimjustError, InputFileError
from crimjust_data.i18n import _
from crimjust_data.ingest import layouts, unodc
from crimjust_data.ingest.aliases import HeaderMapping, map_headers
from crimjust_data.ingest.normalise import (
    first_rows_text,
    normalise,
)
from crimjust_data.ingest.readers import (
    TableFile,
    excel_sheet_names,
    file_bytes,
    read_table_file,
)
from crimjust_data.schemas import RowError, TableName, ValidationFailed
from crimjust_data.store import LoadMode, LoadRequest, Store, Version
from crimjust_data.vocabulary import DEMO_ORIGIN

# Names the command line accepts for --table.
TABLE_ALIASES: dict[str, TableName] = {
    "seizures": "seizures",
    "annual": "annual_seizures",
    "annual_seizures": "annual_seizures",
    "cases": "cases",
    "activities": "activities",
}


class FileRejected(ValidationFailed):
    """ValidationFailed for a file, carrying the warnings found alongside the errors."""

    def __init__(self, table: str, errors: list[RowError], warnings: list[RowError]) -> None:
        super().__init__(table, errors)
        self.warnings = warnings


class TableNotGiven(CrimjustError):
    """A file that is not a dataUNODC export, read without being told which table it holds."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        super().__init__(
            _(
                "{name}: its columns do not say which table it holds (seizure events, annual "
                "totals, cases or activities): say so with --table seizures, annual, cases or "
                "activities"
            ).format(name=file_name)
        )


@dataclass
class ImportOutcome:
    """What happened to one file: loaded (or would load, on a dry run), or rejected and why."""

    ok: bool
    table: str | None
    rows: int = 0
    version_id: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    # the same warnings as {row, column, value, message} (row/column None for file-level notes)
    warning_details: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "table": self.table,
            "rows": self.rows,
            "version_id": self.version_id,
            "dry_run": self.dry_run,
            "errors": self.errors,
            # like the errors: {row, column, value, message}, the same as `validate` prints
            "warnings": self.warning_details,
        }


def load_demo(
    store: Store,
    seed: int = 2016,
    seizures: int = 6000,
    cases: int = 3000,
    mode: LoadMode = "replace",
    only_if_new: bool = False,
) -> list[Version]:
    """Generate demo data and store seizures, cases and activities as three versions in one
    transaction
    (with `only_if_new`, only into a store that holds no version yet)."""
    data = demo.generate_demo(seed=seed, seizures=seizures, cases=cases)
    origin = DEMO_ORIGIN.format(seed=seed)  # stored in English, shown by vocabulary.stored_text
    return store.load_many(
        [
            LoadRequest(
                table,
                frame,
                data.source,
                origin,
                frame_sha256(frame),
                mode=mode,
                synthetic=True,
            )
            for table, frame in (
                ("seizures", data.seizures),
                ("cases", data.cases),
                ("activities", data.activities),
            )
        ],
        only_if_new=only_if_new,
    )


def frame_sha256(frame: pd.DataFrame) -> str:
    """Checksum of rows that come from no file (the demo): SHA-256 of the frame as CSV."""
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


# Checksums of files being read (one at a time: hashing is bound by one core).
_HASHING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checksum")


def _sha256(data: bytes) -> str:
    """Hex SHA-256 of a file's bytes (readers.sha256_of, of bytes already read)."""
    return hashlib.sha256(data).hexdigest()


def _prepare(
    path: Path,
    table: TableName | None,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    check_schema: bool = True,
    country: str | None = None,
    name: str | None = None,
) -> tuple[LoadRequest, list[RowError]]:
    """Read a file into a load request for `table`, with its warnings located by row and column;
    raises ValidationFailed with every error the normaliser found (so nothing is stored), or
    UploadTooLarge over the row limit. A layout that says what it holds (a dataUNODC export,
    UNODC's individual seizures, a World Drug Report table) is recognised by itself; a monthly
    aggregate is refused, saying what would load. With `check_schema=False`, the canonical
    schema is left to the store (see import_file). `name`: the file's name as given, recorded
    with the version (an upload's copy on disk may have a shortened one).
    """
    name = name or path.name
    # Read once: the checksum, the first rows and the table come from the same bytes.
    raw = file_bytes(path)
    hashing = _HASHING.submit(_sha256, raw)  # lets go of the GIL: beside the read
    # Read first: an unreadable file gets the reader's own reason, not a guess at its type.
    head = read_table_file(path, sheet=sheet, max_rows=30, data=raw)
    layout = layouts.detect_layout(head)
    if layout == "monthly_aggregate":
        raise InputFileError(layouts.monthly_aggregate_message(head))
    if layout == "dataunodc" and table in (None, "annual_seizures") and not mapping:
        result = unodc.read_unodc_export(path, sheet=sheet)
        check_row_limit(result.rows_read, name)
        request = LoadRequest(
            "annual_seizures", result.frame, result.source, name, hashing.result()
        )
        return request, [RowError(None, None, None, w) for w in result.warnings]
    table_file = dataclasses.replace(read_table_file(path, sheet=sheet, data=raw), file_name=name)
    del raw  # (hundreds of MB) not held while the rows are checked
    if len(table_file.frame) > max_rows():  # only then can blank rows make a difference
        check_row_limit(data_rows(table_file.frame), name)
    if layout == "wdr_wide" and table in (None, "annual_seizures"):
        table, table_file = "annual_seizures", layouts.wdr_to_long(table_file)
    elif layout == "individual_seizures" and table in (None, "seizures"):
        table = "seizures"
        mapping = {**layouts.layout_mapping(table_file), **(mapping or {})}
    if table is None:
        table = _table_by_headers(table_file)
    if table is None:
        raise TableNotGiven(name)
    normalised = normalise(
        table_file,
        table,
        mapping_overrides=mapping,
        check_schema=check_schema,
        country=country,
    )
    del table_file  # the file's text: only the canonical rows go on
    # given back by arrow's allocator, which keeps what was let go (readers._load_text)
    pa.default_memory_pool().release_unused()
    if normalised.errors:
        raise FileRejected(
            table, group_problems(normalised.errors), group_problems(normalised.warnings)
        )
    request = LoadRequest(
        table,
        normalised.frame,
        "file " + name,
        name,
        hashing.result(),
        row_offset=normalised.row_offset,
        row_numbers=tuple(normalised.rows),
    )
    return request, group_problems(normalised.warnings)


def _table_by_headers(table_file: TableFile) -> TableName | None:
    """The table a file without --table holds, when its headers leave no doubt: a country, a
    year and a quantity, and no date, id or case column, is a table of annual totals."""
    annual = map_headers(table_file.frame.columns, "annual_seizures")
    if annual.missing_required and set(annual.missing_required) - {"drug"}:
        return None
    events = map_headers(table_file.frame.columns, "seizures")
    cases = map_headers(table_file.frame.columns, "cases")
    if {"date", "seizure_id"} & set(events.mapped.values()):
        return None
    if {"case_id", "opened_date"} & set(cases.mapped.values()):
        return None
    return "annual_seizures"


# The same problem on more rows than this is reported once, with its count and first rows.
GROUP_ABOVE = 3


def group_problems(problems: list[RowError]) -> list[RowError]:
    """The same problem (column, value and message) on more than GROUP_ABOVE rows reported
    once, at the first row, with the count and the first rows; the others as they are (in
    order). The value stays in the key: an analyst fixes a file value by value."""
    groups: dict[tuple[str | None, str | None, str], list[RowError]] = {}
    for problem in problems:
        groups.setdefault((problem.column, problem.value, problem.message), []).append(problem)
    grouped: list[RowError] = []
    for problem in problems:
        group = groups[(problem.column, problem.value, problem.message)]
        if len(group) <= GROUP_ABOVE or problem.row is None:
            grouped.append(problem)
        elif problem is group[0]:
            message = _("{message} (on {n} rows: {rows})").format(
                message=problem.message,
                n=i18n.integer(len(group)),
                rows=first_rows_text([p.row for p in group]),
            )
            grouped.append(dataclasses.replace(problem, message=message))
    return grouped


def import_file(
    store: Store,
    path: Path | str,
    table: TableName | None = None,
    mode: LoadMode = "append",
    dry_run: bool = False,
    *,
    mapping: dict[str, str] | None = None,
    country: str | None = None,
) -> ImportOutcome:
    """Validate a file and store it as a new version, or report every problem and store nothing.

    `mapping` (file header -> canonical column, '' to ignore) wins over the header vocabulary;
    `country` (ISO3) is the country of every row whose country the file does not give."""
    path = Path(path)
    try:
        # The store validates every load against the canonical schema: a file is checked
        # against it once, there, unless it fails, when the check is made again here to locate
        # its problems as the analyst sees them (a big file: validating twice takes seconds).
        request, located = _prepare(
            path, table, mapping=mapping, check_schema=False, country=country
        )
        warnings = [str(w) for w in located]
        details = [w.to_dict() for w in located]
        request = dataclasses.replace(request, mode=mode)
        try:
            if dry_run:
                rows = store.check(request)
                return ImportOutcome(
                    True,
                    request.table,
                    rows,
                    None,
                    [],
                    warnings,
                    dry_run=True,
                    warning_details=details,
                )
            version = store.load(request)
        except ValidationFailed:
            # raises FileRejected with the file's problems, if any
            _prepare(path, table, mapping=mapping, country=country)
            raise  # none: the store's own reason (rows already loaded)
    except ValidationFailed as exc:
        noted: list[RowError] = getattr(exc, "warnings", [])
        return ImportOutcome(
            False,
            exc.table,
            0,
            None,
            [e.to_dict() for e in group_problems(exc.errors)],
            [str(w) for w in noted],
            warning_details=[w.to_dict() for w in noted],
        )
    except CrimjustError as exc:
        return ImportOutcome(
            False,
            table,
            0,
            None,
            [{"row": None, "column": None, "value": None, "message": str(exc)}],
            [],
        )
    return ImportOutcome(
        True,
        version.table_name,
        version.rows,
        version.version_id,
        [],
        warnings,
        warning_details=details,
    )


def validate_file(
    store: Store,
    path: Path | str,
    table: TableName | None = None,
    *,
    mapping: dict[str, str] | None = None,
    country: str | None = None,
) -> ImportOutcome:
    """Check a file exactly as `import_file(..., dry_run=True)` does; nothing is stored."""
    return import_file(store, path, table, dry_run=True, mapping=mapping, country=country)


# ---------------------------------------------------------------------------------------------
# Uploads from the dashboard: the same path as a file on disk, behind size and row limits.

DEFAULT_MAX_UPLOAD_MB = 50.0
DEFAULT_MAX_ROWS = 1_000_000
# Most file systems take names of up to 255 bytes: an upload's copy on disk gets a shorter one.
# The version records the name as given, up to 765 bytes (Windows allows 255 characters of up
# to 3 bytes each: no real file name is longer).
MAX_NAME_BYTES = 255
MAX_RECORDED_NAME_BYTES = 765


class UploadTooLarge(CrimjustError):
    """An upload over the configured size limit, or a file over the row limit."""


def _limit_from_env(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise CrimjustError(
            _("{name}={value} is not a number: set it to a number, or unset it").format(
                name=name, value=repr(raw)
            )
        ) from None
    if value <= 0:
        raise CrimjustError(
            _("{name}={value} must be above zero").format(name=name, value=repr(raw))
        )
    return value


def _too_big(name: str, size: int, megabytes: float) -> UploadTooLarge:
    """The refusal of a file of `size` bytes over the `megabytes` limit."""
    return UploadTooLarge(
        _(
            "{name} is {size} MB, over the {limit} MB limit for an upload: split it into "
            "smaller files, or import it with `python -m crimjust_data import` (the limit is "
            "set by CRIMJUST_MAX_UPLOAD_MB)"
        ).format(
            name=name,
            size=i18n.decimal(size / 1024 / 1024, 1),
            # like '{:g}': no trailing zeros (0.0001, 50), in the language's decimal mark
            limit=format_decimal(megabytes, format="0.##########", locale=i18n.current()),
        )
    )


def max_rows() -> int:
    """The most data rows a file may have, on the command line and the upload page alike:
    env CRIMJUST_MAX_ROWS."""
    return int(_limit_from_env("CRIMJUST_MAX_ROWS", DEFAULT_MAX_ROWS))


def upload_limits() -> tuple[float, int]:
    """(maximum upload size in MB, maximum data rows of a file): env CRIMJUST_MAX_UPLOAD_MB,
    CRIMJUST_MAX_ROWS."""
    return _limit_from_env("CRIMJUST_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB), max_rows()


def data_rows(frame: pd.DataFrame) -> int:
    """Rows of a file's table that hold a value: what the row limit counts (a blank line is not
    a row; the normaliser drops it too)."""
    return int(frame.notna().to_numpy().any(axis=1).sum())


def check_row_limit(rows: int, name: str) -> None:
    """Refuse a file of more than max_rows() data rows: the one rule of every import."""
    limit = max_rows()
    if rows > limit:
        raise UploadTooLarge(
            _(
                "{name} has {n} data rows, more than the {rows} a file may have (blank lines "
                "are not counted): split it into smaller files (the limit is set by "
                "CRIMJUST_MAX_ROWS)"
            ).format(name=name, n=i18n.integer(rows), rows=i18n.integer(limit))
        )


def _shortened(name: str, max_bytes: int) -> str:
    """`name` in at most `max_bytes` of UTF-8: the end of its stem replaced by '…', cut between
    characters, and its extension kept."""
    if len(name.encode()) <= max_bytes:
        return name
    stem, suffix = os.path.splitext(name)
    if len(suffix) > 8:  # not an extension
        stem, suffix = name, ""
    room = max_bytes - len(f"…{suffix}".encode())
    return stem.encode()[:room].decode(errors="ignore") + "…" + suffix


def upload_name(file_name: str) -> str:
    """An upload's name as recorded: its last part, as UTF-8 text of at most
    MAX_RECORDED_NAME_BYTES ('upload.csv' for none), so that it can be written to disk
    (_upload_path) and stored."""
    # no lone surrogates (not UTF-8) or NUL (no file name, and no PostgreSQL text, holds one)
    name = Path(file_name).name.encode(errors="replace").decode().replace("\x00", "_")
    if name in ("", ".", ".."):
        return "upload.csv"
    return _shortened(name, MAX_RECORDED_NAME_BYTES)


def _upload_path(folder: str, name: str) -> Path:
    """Where an upload called `name` (see upload_name) is written: in `folder`, under a name a
    file system takes (shortened to MAX_NAME_BYTES; its extension tells the reader the type)."""
    return Path(folder) / _shortened(name, MAX_NAME_BYTES)


def prepare_upload(
    file_name: str,
    data: bytes,
    table: TableName | None,
    mode: LoadMode = "append",
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    country: str | None = None,
) -> tuple[LoadRequest, list[RowError]]:
    """`_prepare` for uploaded bytes: checked against the size limit, written to a temporary
    file under its own name (the suffix tells the reader what it is), then read as a file on
    disk is. Raises UploadTooLarge, FileRejected, ValidationFailed or CrimjustError."""
    name = upload_name(file_name)
    megabytes, __ = upload_limits()
    if len(data) > megabytes * 1024 * 1024:  # before writing anything
        raise _too_big(name, len(data), megabytes)
    with tempfile.TemporaryDirectory(prefix="crimjust_upload_") as folder:
        path = _upload_path(folder, name)
        path.write_bytes(data)
        request, located = _prepare(path, table, sheet, mapping, country=country, name=name)
    return dataclasses.replace(request, mode=mode), located


def upload_headers(
    file_name: str, data: bytes, table: TableName, sheet: str | None = None
) -> tuple[list[str], list[str], HeaderMapping]:
    """The sheets of an uploaded workbook (empty for CSV), the chosen sheet's headers, and how
    they map to `table` without any override: what the column-mapping step starts from."""
    with tempfile.TemporaryDirectory(prefix="crimjust_upload_") as folder:
        path = _upload_path(folder, upload_name(file_name))
        path.write_bytes(data)
        sheets = excel_sheet_names(path)
        head = read_table_file(path, sheet=sheet, max_rows=5)
    headers = [str(c) for c in head.frame.columns]
    return sheets, headers, map_headers(headers, table)
