"""The Store interface: versioned canonical tables behind SQL views of what is active.

Every load is a version (docs/ARCHITECTURE.md, data flow). What is visible is derived, never deleted:
a version is active when it has not been rolled back and no later, active, replace-mode
version of the same table supersedes it. Rolling back a replace therefore brings back what it
had replaced. Backends implement a handful of primitives; validation and the version rules
live here, once, so a PostgreSQL backend inherits them.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import getpass
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import pandas as pd

from crimjust_data import countries
from crimjust_data.errors import DuplicateLoadError, StoreError, StoreNotWritableError
from crimjust_data.i18n import _
from crimjust_data.schemas import (
    TABLES,
    RowError,
    TableName,
    ValidationFailed,
    validate_table,
)
from crimjust_data.store.ddl import (
    COLUMN_TYPES,
    ROLLUP_OF,
    SCHEMA_VERSION,
    create_statements,
    rollup_insert,
)

LoadMode = Literal["append", "replace"]
MODES: tuple[LoadMode, ...] = ("append", "replace")

# The columns that identify a row within a table: a second active copy would be double counting.
KEY_COLUMNS: dict[TableName, tuple[str, ...]] = {
    "seizures": ("seizure_id",),
    "annual_seizures": ("country_iso3", "year", "drug"),
    "cases": ("case_id",),
    "activities": ("activity_id",),
}
# Key columns that are ids typed by people: compared by crimjust_data.ids.id_key_sql, so that
# 'K1', 'k1' and 'k<U+200B>1' are one record (the other keys are codes the importer normalised).
ID_COLUMNS = frozenset({"seizure_id", "case_id", "activity_id"})

VERSION_COLUMNS = (
    "version_id",
    "table_name",
    "source",
    "file_name",
    "sha256",
    "rows",
    "loaded_at",
    "loaded_by",
    "mode",
    "synthetic",
    "rolled_back_at",
    "rolled_back_by",
    "active",
)
# What the versions table stores ('active' is derived by the version_status view).
STORED_VERSION_COLUMNS = VERSION_COLUMNS[:-1]


@dataclass(frozen=True)
class LoadRequest:
    """One table's worth of rows to store as one new version."""

    table: TableName
    frame: pd.DataFrame
    source: str
    file_name: str = ""
    sha256: str = ""
    mode: LoadMode = "append"
    synthetic: bool = False
    row_offset: int = 2  # spreadsheet row of the frame's first row, for error messages
    # the spreadsheet row of each frame row, when rows were dropped on the way (else row_offset)
    row_numbers: tuple[int, ...] = ()

    def row_number(self, position: int) -> int:
        return self.row_numbers[position] if self.row_numbers else position + self.row_offset


@dataclass(frozen=True)
class Version:
    """A row of the versions table."""

    version_id: int
    table_name: str
    source: str
    file_name: str
    sha256: str
    rows: int
    loaded_at: pd.Timestamp
    loaded_by: str
    mode: str
    synthetic: bool
    rolled_back_at: pd.Timestamp | None = None
    rolled_back_by: str | None = None
    active: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id,
            "table": self.table_name,
            "source": self.source,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "rows": self.rows,
            "loaded_at": None if self.loaded_at is None else str(self.loaded_at),
            "loaded_by": self.loaded_by,
            "mode": self.mode,
            "synthetic": self.synthetic,
            "active": self.active,
            "rolled_back_at": None if self.rolled_back_at is None else str(self.rolled_back_at),
            "rolled_back_by": self.rolled_back_by,
        }


def current_user() -> str:
    """Who is loading: CRIMJUST_USER if set, else the operating-system user."""
    configured = os.environ.get("CRIMJUST_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Transaction(Protocol):
    """What a backend offers inside one write transaction."""

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame: ...

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None: ...

    def add_version(self, request: LoadRequest, loaded_by: str) -> int:
        """Insert the version row and its data rows; return the new version id."""
        ...

    def key_join(self, table: TableName, left: str, right: str) -> str:
        """SQL saying that rows `left` and `right` (aliases) of `table` have the same keys,
        ids compared by id_key as this backend writes it (see key_condition)."""
        ...

    def key_clashes(self, table: TableName, keys: pd.DataFrame) -> pd.DataFrame:
        """Rows of `keys` already active, ids compared by id_key (columns: the keys, row_index,
        version_id, and stored_<key> for an id key: the id as the active row writes it)."""
        ...

    def replace_rows(self, table: str, frame: pd.DataFrame) -> None:
        """Make a small reference table hold exactly `frame` (same column order)."""
        ...

    def stage(self, name: str, frame: pd.DataFrame, types: dict[str, str]) -> None:
        """Make `frame` queryable as table `name` (columns cast to `types`) until the end."""
        ...


class Store(abc.ABC):
    """Versioned storage of the canonical tables; reads go through the active_* views."""

    #: a short label for the UI and the CLI (e.g. 'DuckDB file var/crimjust.duckdb')
    description: str = ""
    #: the store in messages that say how to fix it (a DuckDB file's whole path)
    where: str = ""

    # -- backend primitives -------------------------------------------------------------------
    @abc.abstractmethod
    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run read-only SQL against the store and return a (small) frame."""

    @abc.abstractmethod
    def _transaction(self) -> AbstractContextManager[Transaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""

    def _writing(self) -> AbstractContextManager[Any]:
        """Held around a load's backup and transaction, so no other write comes between them
        (DuckDB: the file's write lock; PostgreSQL's transactions take their own lock)."""
        return contextlib.nullcontext()

    @property
    @abc.abstractmethod
    def read_only(self) -> bool:
        """True when the store can only be read (a read-only file, folder, disk or database):
        imports and rollbacks then raise StoreNotWritableError, and change nothing."""

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreNotWritableError(
                _(
                    "{store} can only be read ({reason}): nothing was changed. Reading it still "
                    "works; to import or roll back, make it writable and try again"
                ).format(store=self.where, reason=self._read_only_reason())
            )

    @abc.abstractmethod
    def _read_only_reason(self) -> str:
        """Why the store can only be read, in the user's words."""

    def _initialise(self) -> None:
        """Make the schema current. A store that already is current is opened without any
        write, so viewing never writes and a read-only store can be viewed."""
        where = self.where
        meta = self._stored_meta()
        if meta is not None and schema_is_current(meta, where):
            return
        try:
            with self._transaction() as tx:
                prepare_schema(tx, where)
        except StoreNotWritableError as exc:
            if meta is not None and meta.get("schema_version") == str(SCHEMA_VERSION):
                return  # its views or country list are older, but its tables are this version's
            raise StoreNotWritableError(
                _(
                    "{store} must be set up for this version of the program before it can be "
                    "read, which writes to it: {reason}"
                ).format(store=where, reason=str(exc))
            ) from None

    def _stored_meta(self) -> dict[str, str] | None:
        """The store_meta table's keys and values (None: no schema yet), read without a write."""
        found = self.query(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'store_meta' "
            "AND table_schema = current_schema() AND table_catalog = current_database()"
        )
        if not int(found.iloc[0]["n"]):
            return None
        frame = self.query("SELECT key, value FROM store_meta")
        return {str(k): str(v) for k, v in frame.itertuples(index=False)}

    def backup(self, reason: str) -> Path | None:
        """A consistent copy of the whole store before it changes (`reason`: 'replace',
        'migrate'), or None where the database server keeps the backups (PostgreSQL)."""
        return None

    # -- shared behaviour ---------------------------------------------------------------------
    @contextmanager
    def scratch(self) -> Iterator[Transaction]:
        """A transaction whose work is always undone: stage rows and compare them with what
        is stored (`tx.stage`, then `tx.query`), in SQL, leaving nothing behind."""
        with contextlib.suppress(_Discarded), self._transaction() as tx:
            yield tx
            raise _Discarded

    def versions(self, table: TableName | None = None) -> list[Version]:
        """All versions, newest first, with whether each is active now."""
        where, params = ("WHERE table_name = ?", [table]) if table else ("", [])
        frame = self.query(f"SELECT * FROM version_status {where} ORDER BY version_id DESC", params)
        return [_version_from_record(r) for r in frame.to_dict("records")]

    def version(self, version_id: int) -> Version:
        frame = self.query("SELECT * FROM version_status WHERE version_id = ?", [version_id])
        if frame.empty:
            raise StoreError(
                _("there is no version {version}: see `versions` for the list").format(
                    version=version_id
                )
            )
        return _version_from_record(frame.iloc[0].to_dict())

    def state_token(self) -> str:
        """Changes whenever what is visible changes (a load or a rollback): the cache key."""
        row = self.query(
            "SELECT count(*) AS n, coalesce(max(version_id), 0) AS last, "
            "count(rolled_back_at) AS rolled FROM versions"
        ).iloc[0]
        return f"{int(row['n'])}.{int(row['last'])}.{int(row['rolled'])}"

    def is_new(self) -> bool:
        """True when nothing was ever loaded (the app then seeds demo data).

        A store whose versions were all rolled back is not new: the user emptied it on purpose.
        """
        return int(self.query("SELECT count(*) AS n FROM versions").iloc[0]["n"]) == 0

    def load(self, request: LoadRequest, loaded_by: str | None = None) -> Version:
        """Validate and store one table's rows as a new version; nothing changes on failure."""
        return self.load_many([request], loaded_by)[0]

    def load_many(
        self,
        requests: Sequence[LoadRequest],
        loaded_by: str | None = None,
        only_if_new: bool = False,
    ) -> list[Version]:
        """Validate all, then store all as new versions in one transaction (all or nothing).

        With `only_if_new`, nothing is stored (and [] returned) when the store already holds a
        version: the demo seed, which replicas starting together must not load twice.
        """
        self._require_writable()  # before validating: a read-only store need not wait for it
        ready = [self._validated(request) for request in requests]
        by = loaded_by or current_user()
        with self._backed_up(ready, only_if_new), self._transaction() as tx:
            # Inside the transaction, which holds the write lock: another replica's seed is seen.
            if only_if_new and int(tx.query("SELECT count(*) AS n FROM versions").iloc[0]["n"]):
                return []
            # Checked inside the transaction so two loads at once cannot both pass.
            for request in ready:
                self._check_not_loaded(request, tx)
            ids = [tx.add_version(request, by) for request in ready]
            for request, version_id in zip(ready, ids, strict=True):
                for rollup, table in ROLLUP_OF.items():  # same transaction: all or nothing
                    if table == request.table:
                        tx.execute(rollup_insert(rollup, one_version=True), [version_id])
        return [self.version(version_id) for version_id in ids]

    @contextmanager
    def _backed_up(self, requests: Sequence[LoadRequest], only_if_new: bool) -> Iterator[None]:
        """Held around a load's transaction: a replace hides what is loaded, so the store is
        backed up first (a new one holds nothing to keep), under the same write lock as the
        load, so the backup is the store just before it."""
        with self._writing():
            replacing = any(request.mode == "replace" for request in requests)
            if replacing and not only_if_new and not self.is_new():
                self.backup("replace")
            yield

    def check(self, request: LoadRequest) -> int:
        """A dry run of `load`: every check, nothing stored. Returns the rows that would load."""
        ready = self._validated(request)
        with self._transaction() as tx:
            self._check_not_loaded(ready, tx)
        return len(ready.frame)

    def _validated(self, request: LoadRequest) -> LoadRequest:
        if request.table not in TABLES:
            raise StoreError(
                _("unknown table '{table}': use one of {tables}").format(
                    table=request.table, tables=", ".join(TABLES)
                )
            )
        if request.mode not in MODES:
            raise StoreError(
                _("unknown mode '{mode}': use append or replace").format(mode=request.mode)
            )
        frame = validate_table(
            request.table, request.frame, countries.known_iso3(), request.row_offset
        )
        if frame.empty:
            raise ValidationFailed(
                request.table, [RowError(None, None, None, _("the file has no data rows"))]
            )
        return dataclasses.replace(request, frame=frame)

    def rollback(self, version_id: int, by: str | None = None) -> Version:
        """Deactivate a version; its rows stay stored (and a rolled-back replace un-hides)."""
        version = self.version(version_id)
        if version.rolled_back_at is not None:
            raise StoreError(
                _("version {version} was already rolled back on {when}").format(
                    version=version_id, when=f"{version.rolled_back_at:%Y-%m-%d %H:%M}"
                )
            )
        self._require_writable()
        with self._transaction() as tx:
            tx.execute(
                "UPDATE versions SET rolled_back_at = ?, rolled_back_by = ? "
                "WHERE version_id = ? AND rolled_back_at IS NULL",
                [pd.Timestamp.now(tz="UTC").tz_localize(None), by or current_user(), version_id],
            )
        return self.version(version_id)

    def saved_mapping(self, table: TableName, headers: Sequence[str]) -> dict[str, str]:
        """The column mapping last confirmed for a file of `table` with these headers ({} if none)."""
        frame = self.query(
            "SELECT mapping FROM header_mappings WHERE signature = ?",
            [_mapping_signature(table, headers)],
        )
        return {} if frame.empty else dict(json.loads(frame.iloc[0]["mapping"]))

    def save_mapping(
        self, table: TableName, headers: Sequence[str], mapping: dict[str, str], by: str
    ) -> None:
        """Remember a column mapping for the next file of `table` with the same headers."""
        signature = _mapping_signature(table, headers)
        self._require_writable()
        with self._transaction() as tx:
            tx.execute("DELETE FROM header_mappings WHERE signature = ?", [signature])
            tx.execute(
                "INSERT INTO header_mappings VALUES (?, ?, ?, ?, ?)",
                [
                    signature,
                    table,
                    json.dumps(mapping, sort_keys=True, ensure_ascii=False),
                    by,
                    pd.Timestamp.now(tz="UTC").tz_localize(None),
                ],
            )

    def _check_not_loaded(self, request: LoadRequest, tx: Transaction) -> None:
        """Refuse appends that would count something twice: same file, or same row keys."""
        if request.mode != "append":
            return
        if request.sha256:
            same = tx.query(
                "SELECT version_id FROM version_status WHERE active AND table_name = ? AND sha256 = ?",
                [request.table, request.sha256],
            )
            if not same.empty:
                loaded = int(same.iloc[0]["version_id"])
                raise DuplicateLoadError(
                    _(
                        "this file is already loaded as version {version} of {table}: use "
                        "--mode replace to reload it, or roll that version back"
                    ).format(version=loaded, table=request.table),
                    version_id=loaded,
                    table=request.table,
                )
        keys = KEY_COLUMNS[request.table]
        clashes = tx.key_clashes(request.table, request.frame[list(keys)])
        if clashes.empty:
            return
        errors = [
            RowError(
                request.row_number(int(record["row_index"])),
                keys[0] if len(keys) == 1 else "+".join(keys),
                " / ".join(str(record[k]) for k in keys),
                _already_loaded(record, keys),
            )
            for record in clashes.head(200).to_dict("records")
        ]
        raise ValidationFailed(request.table, errors)


def key_condition(table: TableName, left: str, right: str, id_key: Callable[[str], str]) -> str:
    """SQL saying that rows `left` and `right` of `table` have the same KEY_COLUMNS: ids by
    `id_key` (a backend's id_key_sql), the others as they are, the right side cast to the
    stored type (it may be a frame the backend typed on its own)."""
    types = COLUMN_TYPES[table]
    return " AND ".join(
        f"{id_key(f'CAST({left}.{k} AS TEXT)')} = {id_key(f'CAST({right}.{k} AS TEXT)')}"
        if k in ID_COLUMNS
        else f"{left}.{k} = CAST({right}.{k} AS {types[k]})"
        for k in KEY_COLUMNS[table]
    )


def _already_loaded(record: dict[str, Any], keys: Sequence[str]) -> str:
    """The message for a row whose keys an active version holds, with the stored spelling of
    an id written otherwise ('K1' refused because version 3 holds 'k1')."""
    version = int(record["version_id"])
    stored = [
        str(record[f"stored_{k}"])
        for k in keys
        if f"stored_{k}" in record and str(record[f"stored_{k}"]) != str(record[k])
    ]
    if stored:
        return _(
            "already loaded in version {version}, written there as {stored} (ids are compared "
            "ignoring case, spaces and invisible characters): remove the row, or load the file "
            "with mode replace"
        ).format(version=version, stored=repr(stored[0]))
    return _(
        "already loaded in version {version}: remove the row, or load the file with mode replace"
    ).format(version=version)


def not_writable(store: str, problem: BaseException) -> StoreNotWritableError | None:
    """The user's error for a write that failed because the store cannot be written (a full
    disk, a read-only disk, file or database, a file size limit), else None. The backend
    rolled the write back: the message says nothing was changed."""
    text = str(problem).lower()
    if "no space left" in text or "disk full" in text or "could not extend file" in text:
        why, how = _("the disk is full"), _("free some space and try again")
    elif "file too large" in text:
        why, how = (
            _("the file would grow past the size this process may write (ulimit -f)"),
            _("raise that limit and try again"),
        )
    elif "read-only" in text or "read only" in text or "permission denied" in text:
        why, how = _("it is read-only"), _("make it writable and try again")
    else:
        return None
    return StoreNotWritableError(
        _("could not write to {store}: {reason}. Nothing was changed; {remedy}").format(
            store=store, reason=why, remedy=how
        )
    )


class _Discarded(Exception):
    """Raised at the end of a scratch transaction so that it is rolled back."""


def _mapping_signature(table: str, headers: Sequence[str]) -> str:
    """Same table and same headers (in any order) -> same signature."""
    text = table + "\n" + "\n".join(sorted(str(h).strip() for h in headers))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version_from_record(record: dict[str, Any]) -> Version:
    def clean(value: Any) -> Any:
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value

    return Version(
        version_id=int(record["version_id"]),
        table_name=str(record["table_name"]),
        source=str(record["source"]),
        file_name=str(clean(record["file_name"]) or ""),
        sha256=str(clean(record["sha256"]) or ""),
        rows=int(record["rows"]),
        loaded_at=pd.Timestamp(record["loaded_at"]),
        loaded_by=str(record["loaded_by"]),
        mode=str(record["mode"]),
        synthetic=bool(record["synthetic"]),
        rolled_back_at=None
        if clean(record["rolled_back_at"]) is None
        else pd.Timestamp(record["rolled_back_at"]),
        rolled_back_by=clean(record["rolled_back_by"]),
        active=bool(record["active"]),
    )


def ddl_digest() -> str:
    """Changes whenever a table or view definition does (a view may change without a new
    SCHEMA_VERSION: the store makes its views again when this differs)."""
    return hashlib.sha256("\n".join(create_statements()).encode()).hexdigest()


def schema_is_current(meta: dict[str, str], where: str) -> bool:
    """Whether a store whose store_meta holds `meta` needs no write before it is read; raises
    StoreError for a schema of a newer program, which this one must not touch."""
    found = int(meta.get("schema_version", SCHEMA_VERSION))
    if found > SCHEMA_VERSION:
        raise StoreError(
            _(
                "{path} was written by another version of this program "
                "(schema {found}, this one reads {expected})"
            ).format(path=where, found=found, expected=SCHEMA_VERSION)
        )
    return (
        found == SCHEMA_VERSION
        and meta.get("countries_sha256") == countries.reference_digest()
        and meta.get("ddl_sha256") == ddl_digest()
    )


def prepare_schema(tx: Transaction, where: str) -> None:
    """Create tables and views if missing; refresh the country reference if it changed.

    `where` names the store in the message about a schema written by another version.
    """
    digest = countries.reference_digest()  # current and withdrawn countries alike
    for statement in create_statements():
        tx.execute(statement)
    meta = dict(tx.query("SELECT key, value FROM store_meta").itertuples(index=False))
    schema_is_current(meta, where)  # refuses a newer schema (this transaction is rolled back)
    found = int(meta.get("schema_version", SCHEMA_VERSION))
    if found < SCHEMA_VERSION:  # rollups missing or older: made again from the stored rows
        for rollup in ROLLUP_OF:  # dropped, so that they get the columns of this version
            tx.execute(f"DROP VIEW IF EXISTS active_{rollup}")
            tx.execute(f"DROP TABLE IF EXISTS {rollup}")
        for statement in create_statements():
            tx.execute(statement)
        for rollup in ROLLUP_OF:
            tx.execute(rollup_insert(rollup, one_version=False))
    if meta.get("countries_sha256") != digest:
        reference = countries.reference()[
            ["iso3", "region", "crimjust_focus", "name_en", "latitude", "longitude"]
        ]
        tx.replace_rows("ref_countries", reference)
    tx.execute("DELETE FROM store_meta")
    tx.execute(
        "INSERT INTO store_meta VALUES ('schema_version', ?), ('countries_sha256', ?), "
        "('ddl_sha256', ?)",
        [str(SCHEMA_VERSION), digest, ddl_digest()],
    )


def insert_version(tx: Transaction, request: LoadRequest, loaded_by: str) -> int:
    """Write the versions row of a new load (its rows are the backend's part); return its id."""
    version_id = int(tx.query("SELECT nextval('version_ids') AS id").iloc[0]["id"])
    tx.execute(
        # all but rolled_back_at and rolled_back_by, which a rollback sets
        f"INSERT INTO versions ({', '.join(STORED_VERSION_COLUMNS[:-2])}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            version_id,
            request.table,
            request.source,
            request.file_name,
            request.sha256,
            len(request.frame),
            pd.Timestamp.now(tz="UTC").tz_localize(None),
            loaded_by,
            request.mode,
            request.synthetic,
        ],
    )
    return version_id
