"""The write path of the 'Upload data' page, and the versions the 'History' page lists: check an
upload, compare it with what is stored, store it, and list every version.

`check_upload` runs the file through the same code path as `python -m crimjust_data import`
(pipeline.prepare_upload, then Store.check) and collects every error and warning instead of
raising. `upload_diff` compares a prepared load with the active rows in SQL (the incoming frame
is handed to the store as a temporary Parquet file) and returns small frames. `store_upload`
loads a checked upload and says where the store was backed up first.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from crimjust_data.countries import REGIONS, known_iso3, region_label
from crimjust_data.errors import CrimjustError, DuplicateLoadError
from crimjust_data.i18n import N_, _
from crimjust_data.ingest.pipeline import TableNotGiven, group_problems, prepare_upload
from crimjust_data.safe_text import neutralise
from crimjust_data.schemas import (
    DATE_COLUMNS,
    RowError,
    TableName,
    ValidationFailed,
    validate_table,
)
from crimjust_data.store import LoadMode, LoadRequest, Store, Version
from crimjust_data.store.backup import noting_backups
from crimjust_data.store.base import KEY_COLUMNS
from crimjust_data.store.ddl import COLUMN_TYPES
from crimjust_data.vocabulary import SEVERITY_LABELS, stored_text

# What the page offers: a table, or 'detect' (a layout that says what it holds: a dataUNODC
# export, UNODC's individual seizures, a World Drug Report table, a table of annual totals).
UPLOAD_TABLES: dict[str, TableName | None] = {
    "detect": None,
    "seizures": "seizures",
    "cases": "cases",
    "annual": "annual_seizures",
    "activities": "activities",
}
# The report's columns: keys, and (translated at use: report_columns()) the names shown on the
# page and written as the CSV header. In English the names are the keys.
REPORT_COLUMNS = [N_("row"), N_("column"), N_("value"), N_("message"), N_("severity")]
# The 'change' column of UploadDiff.counts(), translated at use.
CHANGES = (N_("added"), N_("replaced"), N_("unchanged"), N_("no longer shown"))
PREVIEW_ROWS = 50
# Per table: (label, SQL aggregate) of the totals compared before and after a load.
MEASURES: dict[TableName, tuple[tuple[str, str], ...]] = {
    "seizures": (("kg", "sum(t.quantity_kg)"), ("events", "count(*)")),
    "cases": (("cases", "count(*)"),),
    "annual_seizures": (("official_kg", "sum(t.quantity_kg)"),),
    "activities": (("activities", "count(*)"),),
}
# The measures' names on the page (translated at use), and the before/after of each.
MEASURE_LABELS = {
    "kg": N_("Cocaine seized (kg)"),
    "events": N_("Seizure events"),
    "cases": N_("Cases"),
    "official_kg": N_("Official annual totals (kg)"),
    "activities": N_("Program activities"),
}
SIDES = {"before": N_("{measure}, before"), "after": N_("{measure}, after")}
# The country a row is counted in, by region: an activity's first country (arrays count from 1
# in both DuckDB and PostgreSQL).
ROW_COUNTRY: dict[TableName, str] = {"activities": "t.countries[1]"}
HISTORY_COLUMNS = [
    "version_id",
    "table",
    "state",
    "mode",
    "rows",
    "file_name",
    "loaded_by",
    "loaded_at",
    "sha256",
    "source",
]


@dataclass
class UploadCheck:
    """An uploaded file checked without storing anything: the load it would make, or why not."""

    file_name: str
    table: TableName | None
    mode: LoadMode
    request: LoadRequest | None
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.request is not None and not self.errors


@dataclass
class UploadDiff:
    """How a load would change what is visible: row counts, and totals by region."""

    mode: LoadMode
    added: int  # keys not active now
    replaced: int  # keys active now with other values (refused in append mode)
    unchanged: int  # keys active now with the same values (refused in append mode)
    removed: int  # active rows a replace hides because the file does not have them
    totals: pd.DataFrame  # region, then <measure>_before / <measure>_after per measure

    def counts(self) -> pd.DataFrame:
        """The four counts as a two-column table for the page (in the current language)."""
        return pd.DataFrame(
            {
                _("change"): [_(change) for change in CHANGES],
                _("rows"): [self.added, self.replaced, self.unchanged, self.removed],
            }
        )

    def totals_table(self) -> pd.DataFrame:
        """`totals` for people: regions and column names in the current language."""
        names = {"region": _("Region")}
        columns = ["region"]
        for measure in dict.fromkeys(c.rpartition("_")[0] for c in self.totals.columns[1:]):
            for side in SIDES:  # each measure before, then after: side by side
                columns.append(f"{measure}_{side}")
                names[columns[-1]] = _(SIDES[side]).format(measure=_(MEASURE_LABELS[measure]))
        shown = self.totals[columns].assign(
            region=self.totals["region"].map(
                lambda code: region_label(code if code in REGIONS else "other")
            )
        )
        return shown.rename(columns=names)


def check_upload(
    store: Store,
    file_name: str,
    data: bytes,
    table: TableName | None,
    mode: LoadMode = "append",
    sheet: str | None = None,
    mapping: tuple[tuple[str, str], ...] = (),
    country: str | None = None,
) -> UploadCheck:
    """Everything `import` checks, for uploaded bytes, with nothing stored: size and row
    limits, reading, normalising, validation, and (Store.check) clashes with what is loaded."""
    try:
        request, warnings = prepare_upload(
            file_name, data, table, mode, sheet, dict(mapping), country
        )
    except ValidationFailed as exc:
        noted: list[RowError] = getattr(exc, "warnings", [])
        return UploadCheck(file_name, table, mode, None, list(exc.errors), list(noted))
    except TableNotGiven as exc:  # the page has no --table option: the table is chosen there
        message = _(
            "{name}: its columns do not say which table it holds (seizure events, annual "
            "totals, cases or activities): choose its table"
        ).format(name=exc.file_name)
        return UploadCheck(file_name, table, mode, None, [RowError(None, None, None, message)])
    except CrimjustError as exc:
        return UploadCheck(file_name, table, mode, None, [RowError(None, None, None, str(exc))])
    try:
        store.check(request)
    except ValidationFailed as exc:
        errors = group_problems(exc.errors)
        return UploadCheck(file_name, request.table, mode, request, errors, warnings)
    except CrimjustError as exc:
        message = str(exc)
        if isinstance(exc, DuplicateLoadError) and exc.version_id is not None:
            # the page has no --mode option: the mode is chosen there
            message = _(
                "this file is already loaded as version {version} of {table}: use mode replace "
                "to reload it, or roll that version back"
            ).format(version=exc.version_id, table=exc.table)
        error = RowError(None, None, None, message)
        return UploadCheck(file_name, request.table, mode, request, [error], warnings)
    return UploadCheck(file_name, request.table, mode, request, [], warnings)


def report_columns() -> list[str]:
    """The report's column names in the current language (REPORT_COLUMNS in English)."""
    return [_(column) for column in REPORT_COLUMNS]


def report_frame(errors: list[RowError], warnings: list[RowError]) -> pd.DataFrame:
    """Errors then warnings as text: row, column, value, message, severity (column names and
    severities in the current language)."""
    records = [(e, "error") for e in errors] + [(w, "warning") for w in warnings]
    frame = pd.DataFrame(
        [
            {
                "row": "" if item.row is None else str(item.row),
                "column": item.column or "",
                "value": "" if item.value is None else str(item.value),
                "message": item.message,
                "severity": _(SEVERITY_LABELS[severity]),
            }
            for item, severity in records
        ],
        columns=REPORT_COLUMNS,
    )
    frame.columns = report_columns()
    return frame.astype("string")


def report_csv(errors: list[RowError], warnings: list[RowError]) -> bytes:
    """The validation report as UTF-8 CSV (with a BOM, so Excel reads accents right); values
    quoted from the file are neutralised so a spreadsheet never runs them as formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(report_columns())
    for row in report_frame(errors, warnings).itertuples(index=False):
        writer.writerow([neutralise(value) for value in row])  # uploaded values: no formulas
    return buffer.getvalue().encode("utf-8-sig")


def preview(request: LoadRequest, rows: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first normalised rows as they would be stored, with the spreadsheet row of each."""
    head = request.frame.head(rows).copy()
    for column in DATE_COLUMNS[request.table]:  # dates without a midnight time
        head[column] = pd.to_datetime(head[column]).dt.date
    head.insert(0, _("file row"), [request.row_number(i) for i in range(len(head))])
    if "transit_iso3" in head.columns:  # lists show as text
        head["transit_iso3"] = head["transit_iso3"].map(
            lambda codes: ", ".join(codes) if isinstance(codes, (list, tuple)) else ""
        )
    return head.reset_index(drop=True)


def upload_diff(store: Store, request: LoadRequest) -> UploadDiff:
    """Compare a prepared load with the active rows of its table, in SQL.

    A row is added when its key is not active, unchanged when it is active with the same
    values in every column but the source, replaced otherwise. A replace hides every active row of the table,
    so rows the file lacks are counted as no longer shown. Totals by region are before the load
    and after it.
    """
    table = request.table
    types = COLUMN_TYPES[table]
    keys = KEY_COLUMNS[table]
    # exactly what the store would hold (empty transit lists, coerced types): idempotent
    validated = validate_table(table, request.frame, known_iso3(), request.row_offset)
    columns = [c for c in types if c in validated.columns]
    with store.scratch() as tx:
        tx.stage("incoming_rows", validated[columns], types)
        incoming = "incoming_rows"
        join = tx.key_join(table, "a", "i")  # ids paired as the load's own check pairs them
        # 'source' names the file, so a reload of the same rows from another file is unchanged
        same = " AND ".join(
            f"a.{c} IS NOT DISTINCT FROM i.{c}" for c in types if c not in (*keys, "source")
        )
        counts = tx.query(
            f"""SELECT
                  count(*) FILTER (WHERE a.{keys[0]} IS NULL) AS added,
                  count(*) FILTER (WHERE a.{keys[0]} IS NOT NULL AND NOT ({same})) AS replaced,
                  count(*) FILTER (WHERE a.{keys[0]} IS NOT NULL AND ({same})) AS unchanged
                FROM {incoming} i LEFT JOIN active_{table} a ON {join}"""
        ).iloc[0]
        removed = 0
        if request.mode == "replace":
            removed = int(
                tx.query(
                    f"SELECT count(*) AS n FROM active_{table} a "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {incoming} i WHERE {join})"
                ).iloc[0]["n"]
            )
        measures = MEASURES[table]
        aggregates = ", ".join(f"{sql} AS {label}" for label, sql in measures)
        stored = ", ".join(types)  # the same columns in the same order on both sides
        country = ROW_COUNTRY.get(table, "t.country_iso3")

        def totals(source: str) -> pd.DataFrame:
            return tx.query(
                f"SELECT coalesce(c.region, 'other') AS region, {aggregates} FROM {source} t "
                f"LEFT JOIN ref_countries c ON c.iso3 = {country} GROUP BY 1"
            )

        before = totals(f"active_{table}")
        if request.mode == "replace":
            after = totals(incoming)
        else:
            after = totals(
                f"(SELECT {stored} FROM active_{table} UNION ALL SELECT {stored} FROM {incoming})"
            )
    merged = before.merge(after, on="region", how="outer", suffixes=("_before", "_after"))
    rank = {region: i for i, region in enumerate(REGIONS)}
    merged = merged.assign(rank=merged["region"].map(rank).fillna(len(REGIONS)))
    merged = merged.sort_values(["rank", "region"]).drop(columns="rank").reset_index(drop=True)
    for label, _sql in measures:
        for side in ("before", "after"):
            column = f"{label}_{side}"
            merged[column] = pd.to_numeric(merged[column]).fillna(0)
            if label != "kg" and label != "official_kg":
                merged[column] = merged[column].astype("int64")
            else:
                merged[column] = merged[column].astype("float64")
    return UploadDiff(
        request.mode,
        int(counts["added"]),
        int(counts["replaced"]),
        int(counts["unchanged"]),
        removed,
        merged,
    )


def store_upload(store: Store, request: LoadRequest, loaded_by: str) -> tuple[Version, list[Path]]:
    """Load a checked upload; with it, the backups the load took first (a replace backs the
    store up), to tell the analyst where they went."""
    with noting_backups() as backups:
        version = store.load(request, loaded_by=loaded_by)
    return version, backups


def version_history(store: Store) -> pd.DataFrame:
    """Every version, newest first, with its state: active, rolled back or superseded."""
    rows = []
    for version in store.versions():
        # codes compared by the History page; marked so that the page can show _(state)
        if version.rolled_back_at is not None:
            state = N_("rolled back")
        elif version.active:
            state = N_("active")
        else:
            state = N_("superseded")
        rows.append(
            {
                "version_id": version.version_id,
                "table": version.table_name,
                "source": stored_text(version.source),  # the demo's own, translated
                "file_name": stored_text(version.file_name),
                "rows": version.rows,
                "sha256": version.sha256[:12],
                "loaded_by": version.loaded_by,
                "loaded_at": version.loaded_at,
                "mode": version.mode,
                "state": state,
                "rolled_back_by": version.rolled_back_by or "",
                "rolled_back_at": version.rolled_back_at,
            }
        )
    return pd.DataFrame(rows, columns=[*HISTORY_COLUMNS, "rolled_back_by", "rolled_back_at"])
