"""The embedded default store: one DuckDB file.

Connections are opened per operation and closed at once, so the dashboard and the command line
can take turns on the same file (DuckDB lets one process write at a time); a busy file is
retried for a while before giving up with a message that says why.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from crimjust_data import countries, i18n
from crimjust_data.errors import StoreError
from crimjust_data.i18n import _
from crimjust_data.paths import DATASETS_DIR
from crimjust_data.schemas import TableName
from crimjust_data.store.base import KEY_COLUMNS, LoadRequest, Store
from crimjust_data.store.ddl import COLUMN_TYPES, SCHEMA_VERSION, create_statements

LOCK_WAIT_SECONDS = 30.0


class DuckDBTransaction:
    """The Transaction protocol on one open DuckDB connection."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._con = connection

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        return self._con.execute(sql, params or []).df()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self._con.execute(sql, params or [])

    def add_version(self, request: LoadRequest, loaded_by: str) -> int:
        version_id = int(self._con.execute("SELECT nextval('version_ids')").fetchone()[0])  # type: ignore[index]
        self._con.execute(
            "INSERT INTO versions (version_id, table_name, source, file_name, sha256, rows, "
            "loaded_at, loaded_by, mode, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        types = COLUMN_TYPES[request.table]
        select = ", ".join(f"CAST(incoming.{c} AS {t})" for c, t in types.items())
        self._con.register("incoming", request.frame)
        try:
            self._con.execute(
                f"INSERT INTO {request.table} ({', '.join(types)}, version_id) "
                f"SELECT {select}, {version_id} FROM incoming"
            )
        finally:
            self._con.unregister("incoming")
        return version_id

    def replace_rows(self, table: str, frame: pd.DataFrame) -> None:
        """Make a small reference table hold exactly `frame` (same column order)."""
        self._con.execute(f"DELETE FROM {table}")
        self._con.register("replacement", frame)
        try:
            self._con.execute(f"INSERT INTO {table} SELECT * FROM replacement")
        finally:
            self._con.unregister("replacement")

    def key_clashes(self, table: TableName, keys: pd.DataFrame) -> pd.DataFrame:
        names = KEY_COLUMNS[table]
        incoming = keys.reset_index(names="row_index")
        types = COLUMN_TYPES[table]
        join = " AND ".join(f"a.{k} = CAST(k.{k} AS {types[k]})" for k in names)
        self._con.register("incoming_keys", incoming)
        try:
            return self._con.execute(
                f"SELECT k.*, a.version_id FROM incoming_keys k "
                f"JOIN active_{table} a ON {join} ORDER BY k.row_index"
            ).df()
        finally:
            self._con.unregister("incoming_keys")


class DuckDBStore(Store):
    """Versioned canonical tables in a DuckDB file (created on first use)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.description = f"DuckDB file {self.path.name}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._initialise()

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                connection = duckdb.connect(str(self.path))
                break
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower() and time.monotonic() < deadline:
                    time.sleep(0.1)  # another process is writing; it will be done soon
                    continue
                raise StoreError(self._open_failure(exc)) from None
            except duckdb.Error as exc:
                raise StoreError(self._open_failure(exc)) from None
        try:
            yield connection
        finally:
            connection.close()

    def _open_failure(self, exc: Exception) -> str:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "lock" in text.lower():
            return _(
                "the database file {path} is busy (another program has been writing to it for "
                "over {seconds} s): try again when it has finished"
            ).format(path=self.path, seconds=i18n.decimal(LOCK_WAIT_SECONDS, 0))
        return _(
            "cannot open the database file {path}: {reason}. Restore it from a backup, or move "
            "it aside to start from an empty store (demo data is seeded again)"
        ).format(path=self.path, reason=text)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        with self._connect() as connection:
            return connection.execute(sql, params or []).df()

    @contextmanager
    def _transaction(self) -> Iterator[DuckDBTransaction]:
        with self._connect() as connection:
            connection.begin()
            try:
                yield DuckDBTransaction(connection)
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    def _initialise(self) -> None:
        """Create tables and views if missing; refresh the country reference if it changed."""
        countries_file = DATASETS_DIR / "countries.csv"
        digest = hashlib.sha256(countries_file.read_bytes()).hexdigest()
        with self._transaction() as tx:
            for statement in create_statements():
                tx.execute(statement)
            meta = dict(tx.query("SELECT key, value FROM store_meta").itertuples(index=False))
            if meta.get("schema_version", str(SCHEMA_VERSION)) != str(SCHEMA_VERSION):
                raise StoreError(
                    _(
                        "{path} was written by another version of this program "
                        "(schema {found}, this one reads {expected})"
                    ).format(path=self.path, found=meta["schema_version"], expected=SCHEMA_VERSION)
                )
            if meta.get("countries_sha256") != digest:
                reference = countries.reference()[
                    ["iso3", "region", "crimjust_focus", "name_en", "latitude", "longitude"]
                ]
                tx.replace_rows("ref_countries", reference)
                tx.execute("DELETE FROM store_meta")
                tx.execute(
                    "INSERT INTO store_meta VALUES ('schema_version', ?), ('countries_sha256', ?)",
                    [str(SCHEMA_VERSION), digest],
                )
