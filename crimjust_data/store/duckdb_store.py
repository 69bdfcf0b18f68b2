"""The embedded default store: one DuckDB file.

DuckDB lets one process at a time open a file for writing. Opening it (and warming its cache)
costs tens of milliseconds at a million rows, so each process keeps one connection per file and
runs every operation on a cursor of it, but gives the file up when it has been idle for
IDLE_SECONDS, or at once when another process is waiting for it: a process that finds the file
busy touches `<file>.wait` while it retries, and the holder's watcher sees it. So the dashboard
and the command line still take turns on the same file; a busy file is retried for a while
before giving up with a message that says why.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from crimjust_data import i18n
from crimjust_data.errors import StoreError
from crimjust_data.i18n import _
from crimjust_data.schemas import TableName
from crimjust_data.store.base import (
    KEY_COLUMNS,
    LoadRequest,
    Store,
    insert_version,
    prepare_schema,
)
from crimjust_data.store.ddl import COLUMN_TYPES

LOCK_WAIT_SECONDS = 30.0
IDLE_SECONDS = 5.0  # an unused connection is closed after this, so other processes get a turn
WATCH_SECONDS = 0.1  # how often an open connection looks for a process waiting for the file
WAITING_FRESH_SECONDS = 1.0  # a waiting mark older than this is left over from a crash


class _SharedFile:
    """One process's connection to one DuckDB file, lent out as cursors, closed when idle."""

    def __init__(self, path: Path, on_error: Callable[[Exception], str]) -> None:
        self.path = path
        self.waiting_mark = path.with_name(path.name + ".wait")
        self._on_error = on_error
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._last_used = 0.0

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._connection is None:
                self._connection = self._open()
                threading.Thread(target=self._watch, daemon=True).start()
            self._users += 1
            cursor = self._connection.cursor()  # a cursor per operation: threads do not mix
        try:
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                self._users -= 1
                self._last_used = time.monotonic()

    def _open(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        try:
            while True:
                try:
                    return duckdb.connect(str(self.path))
                except duckdb.IOException as exc:
                    if "lock" in str(exc).lower() and time.monotonic() < deadline:
                        self.waiting_mark.touch()  # asks the holder to let go when idle
                        time.sleep(0.1)
                        continue
                    raise StoreError(self._on_error(exc)) from None
                except duckdb.Error as exc:
                    raise StoreError(self._on_error(exc)) from None
        finally:
            self.waiting_mark.unlink(missing_ok=True)

    def _someone_waiting(self) -> bool:
        try:
            return time.time() - self.waiting_mark.stat().st_mtime < WAITING_FRESH_SECONDS
        except OSError:
            return False

    def _watch(self) -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            with self._lock:
                if self._connection is None:
                    return
                if self._users == 0 and (
                    time.monotonic() - self._last_used > IDLE_SECONDS or self._someone_waiting()
                ):
                    self._close()
                    return

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        """Close now (at exit: DuckDB writes its log into the file on close)."""
        with self._lock:
            self._close()


_shared: dict[Path, _SharedFile] = {}
_shared_lock = threading.Lock()


@atexit.register
def _close_all() -> None:
    for shared in list(_shared.values()):
        shared.close()


class DuckDBTransaction:
    """The Transaction protocol on one open DuckDB connection."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._con = connection

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        return self._con.execute(sql, params or []).df()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self._con.execute(sql, params or [])

    def add_version(self, request: LoadRequest, loaded_by: str) -> int:
        version_id = insert_version(self, request, loaded_by)
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

    def stage(self, name: str, frame: pd.DataFrame, types: dict[str, str]) -> None:
        """A temporary table `name` holding `frame`, gone when the connection closes."""
        casts = ", ".join(
            f"CAST(staged.{c} AS {t}) AS {c}" if c in frame.columns else f"CAST(NULL AS {t}) AS {c}"
            for c, t in types.items()
        )
        self._con.register("staged", frame)
        try:
            self._con.execute(
                f"CREATE OR REPLACE TEMPORARY TABLE {name} AS SELECT {casts} FROM staged"
            )
        finally:
            self._con.unregister("staged")

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
        key = self.path.resolve()
        with _shared_lock:
            if key not in _shared:
                _shared[key] = _SharedFile(key, self._open_failure)
            self._file = _shared[key]
        self._initialise()

    def _connect(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return self._file.cursor()

    def release(self) -> None:
        """Give the file up now (the next operation opens it again)."""
        self._file.close()

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
        with self._transaction() as tx:
            prepare_schema(tx, str(self.path))
