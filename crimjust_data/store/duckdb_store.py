"""The embedded default store: one DuckDB file.

DuckDB lets one process at a time open a file for writing. Opening it (and warming its cache)
costs tens of milliseconds at a million rows, so each process keeps one connection per file and
runs every operation on a cursor of it, but gives the file up when it has been idle for
IDLE_SECONDS, or at once when another process is waiting for it: a process that finds the file
busy touches `<file>.wait` while it retries, and the holder's watcher sees it. So the dashboard
and the command line still take turns on the same file; a busy file is retried for a while
before giving up with a message that says why.

Writes in one process take turns too: every write transaction holds the file's write lock, so
two loads at once (two analysts uploading) cannot both pass the duplicate check before either
commits; a backup before a replace is taken under the same lock (see store/backup.py).

A file that is not a usable database (empty, a folder, another kind of file, cut short by an
interrupted copy or a full disk, damaged blocks) is never written to: opening it, or a read that
meets the damage, raises StoreError saying what is wrong and how to recover (restore a backup,
or move the file aside to start empty).

Viewing never writes: a store whose schema is current is opened without a transaction (see
Store._initialise). A file that this process cannot write, or that lies in a folder it cannot
write (where DuckDB keeps its log), on a read-only disk for instance, is opened read-only: every
read works, and a change raises StoreNotWritableError before anything is written. A write that
fails because the disk is full raises it too; DuckDB has then rolled the change back, and the
connection is reopened before the next use.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from crimjust_data import i18n
from crimjust_data.errors import StoreError, StoreNotWritableError
from crimjust_data.i18n import _
from crimjust_data.ids import id_key_sql
from crimjust_data.schemas import TableName
from crimjust_data.store import backup
from crimjust_data.store.base import (
    ID_COLUMNS,
    KEY_COLUMNS,
    LoadRequest,
    Store,
    insert_version,
    key_condition,
    not_writable,
)
from crimjust_data.store.ddl import COLUMN_TYPES

LOCK_WAIT_SECONDS = 30.0
IDLE_SECONDS = 5.0  # an unused connection is closed after this, so other processes get a turn
WATCH_SECONDS = 0.1  # how often an open connection looks for a process waiting for the file
WAITING_FRESH_SECONDS = 1.0  # a waiting mark older than this is left over from a crash
CHECKPOINT_WAIT_SECONDS = 10.0  # a backup waits this long for reads that hold a checkpoint
# A DuckDB file starts with three 4 KiB headers, then its blocks (see _cut_short).
HEADER_BYTES = 3 * 4096
# What DuckDB raises when the file itself is at fault (unreadable, damaged, invalidated).
DAMAGE_ERRORS: tuple[type[Exception], ...] = (
    duckdb.IOException,
    duckdb.InternalException,
    duckdb.FatalException,
    duckdb.SerializationException,
)


class _SharedFile:
    """One process's connection to one DuckDB file, lent out as cursors, closed when idle."""

    def __init__(self, path: Path, unusable: Callable[[str], str], busy: Callable[[], str]) -> None:
        self.path = path
        self.waiting_mark = path.with_name(path.name + ".wait")
        self._unusable = unusable  # the user's message for a file that cannot be used (why)
        self._busy = busy  # the user's message for a file another process holds too long
        self._lock = threading.Lock()
        self.write_lock = threading.RLock()  # one write transaction (or backup) at a time
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._last_used = 0.0
        self._damaged = False  # a read met damage: reopen (and check the file) when unused
        self.read_only = False  # how the open connection was opened (see _open)

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
        except duckdb.Error as exc:
            refused = not_writable(str(self.path), exc)
            if refused is None and not isinstance(exc, DAMAGE_ERRORS):
                raise
            # DuckDB may have invalidated the connection after a failed write: reopened later
            self._damaged = True
            raise refused or StoreError(self._unusable(_reason(exc))) from None
        finally:
            cursor.close()
            with self._lock:
                self._users -= 1
                self._last_used = time.monotonic()
                if self._damaged and self._users == 0:
                    self._damaged = False
                    self._close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        problem = _unusable_before_opening(self.path)
        if problem:
            raise StoreError(self._unusable(problem))
        existed = self.path.exists()
        read_only = existed and not _writable(self.path)
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        try:
            while True:
                try:
                    connection = duckdb.connect(str(self.path), read_only=read_only)
                    break
                except duckdb.IOException as exc:
                    refused = not_writable(str(self.path), exc)
                    if refused is not None and existed and not read_only:
                        read_only = True  # the file cannot be written: it can still be read
                        continue
                    if refused is not None:
                        if not existed:  # what a full disk let DuckDB begin is not a store
                            _remove(self.path, self.path.with_name(self.path.name + ".wal"))
                        raise refused from None
                    if "lock" not in str(exc).lower():
                        raise StoreError(self._unusable(_reason(exc))) from None
                    if time.monotonic() > deadline:
                        raise StoreError(self._busy()) from None
                    with contextlib.suppress(OSError):  # a read-only folder: just wait
                        self.waiting_mark.touch()  # asks the holder to let go when idle
                    time.sleep(0.1)
                except duckdb.Error as exc:
                    raise StoreError(self._unusable(_reason(exc))) from None
        finally:
            with contextlib.suppress(OSError):  # not there, or a read-only folder
                self.waiting_mark.unlink(missing_ok=True)
        self.read_only = read_only
        try:
            problem = _cut_short(connection, self.path)
        except duckdb.Error as exc:
            problem = _reason(exc)
        if problem:
            connection.close()
            raise StoreError(self._unusable(problem))
        return connection

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
            # Closing writes the log into the file; on a full disk it stays a log, which the
            # next open reads: nothing committed is lost, and nothing is left to report.
            with contextlib.suppress(duckdb.Error):
                self._connection.close()
            self._connection = None

    def discard(self) -> None:
        """Close the connection once no one uses it (the next operation opens it again)."""
        self._damaged = True

    def close(self) -> None:
        """Close now (at exit: DuckDB writes its log into the file on close)."""
        with self._lock:
            self._close()

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the write lock and the connection (no other process gets the file meanwhile)."""
        with self.write_lock, self.cursor() as cursor:
            yield cursor


def _writable(path: Path) -> bool:
    """Whether this process may write `path` and create files beside it (DuckDB's log)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _reason(exc: BaseException) -> str:
    """Why DuckDB cannot use a file ('the database file X ...'), in the user's words."""
    text = _first_line(exc)
    if "not a valid duckdb database file" in text.lower():
        return _("is not a DuckDB database file (another kind of file, or overwritten)")
    if "could not read enough bytes" in text.lower():
        return _cut_short_reason(text)
    return _("cannot be read or written ({detail})").format(detail=text)


def _cut_short_reason(detail: str) -> str:
    return _("is cut short, by an interrupted copy or a full disk ({detail})").format(detail=detail)


def _unusable_before_opening(path: Path) -> str | None:
    """What is wrong with `path` before DuckDB is let near it (None: a file, or nothing yet).
    DuckDB would take an empty file for a new database and write one over it."""
    if path.is_dir():
        return _("is a folder, not a file")
    try:
        empty = path.stat().st_size == 0
    except OSError:
        return None  # not there: DuckDB creates it
    return _("is empty (0 bytes)") if empty else None


def _cut_short(connection: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """Whether the file is too short to hold the blocks its header says are in use (an
    interrupted copy, a full disk): DuckDB would only fail later, at a read past the end.
    (Free blocks at the end may be cut off by DuckDB itself, so only used ones count.)"""
    rows = connection.execute(
        "SELECT block_size, used_blocks FROM pragma_database_size() "
        "WHERE database_name = current_database()"
    ).fetchall()  # all: a result left unread would hold its transaction open
    if not rows:
        return None
    needed = HEADER_BYTES + int(rows[0][0]) * int(rows[0][1])
    size = path.stat().st_size  # never open(): see store/backup.py on POSIX locks
    if size >= needed:
        return None
    return _cut_short_reason(f"{i18n.integer(size)} B < {i18n.integer(needed)} B")


_shared: dict[Path, _SharedFile] = {}
_shared_lock = threading.Lock()


@atexit.register
def _close_all() -> None:
    for shared in list(_shared.values()):
        shared.close()


def _arrow_lists(column: pd.Series) -> pa.Array:
    """A column of lists of texts as an arrow list array; each list object converted once
    (rows with the same route share one list)."""
    cells = column.to_numpy(dtype=object)
    codes, __ = pd.factorize(np.fromiter(map(id, cells), dtype=np.int64, count=len(cells)))
    first = np.empty(codes.max(initial=-1) + 1, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the first row of each list
    distinct = pa.array(cells[first].tolist(), type=pa.list_(pa.large_string()))
    return distinct.take(pa.array(codes))


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
        select = ", ".join(f"CAST({c} AS {t})" for c, t in types.items())
        # Handed over as one arrow table: DuckDB scans arrow columns in parallel and without
        # the GIL, faster than a frame's (1M rows: 0.77 -> 0.55 s); list columns (transit
        # countries) as arrow lists, each list converted once.
        lists = [c for c, t in types.items() if t.endswith("[]")]
        others = [c for c in request.frame.columns if c not in lists]
        incoming = pa.Table.from_pandas(request.frame[others], preserve_index=False)
        for column in lists:
            incoming = incoming.append_column(column, _arrow_lists(request.frame[column]))
        self._con.register("incoming", incoming)
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

    def key_join(self, table: TableName, left: str, right: str) -> str:
        return key_condition(table, left, right, id_key_sql)

    def key_clashes(self, table: TableName, keys: pd.DataFrame) -> pd.DataFrame:
        names = KEY_COLUMNS[table]
        incoming = keys.reset_index(names="row_index")
        join = self.key_join(table, "a", "k")
        stored = "".join(f", a.{k} AS stored_{k}" for k in names if k in ID_COLUMNS)
        self._con.register("incoming_keys", incoming)
        try:
            return self._con.execute(
                f"SELECT k.*, a.version_id{stored} FROM incoming_keys k "
                f"JOIN active_{table} a ON {join} ORDER BY k.row_index"
            ).df()
        finally:
            self._con.unregister("incoming_keys")


class DuckDBStore(Store):
    """Versioned canonical tables in a DuckDB file (created on first use)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.description = f"DuckDB file {self.path.name}"
        self.where = str(self.path)
        if not self.path.parent.is_dir():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise not_writable(str(self.path), exc) or StoreError(
                    _("cannot create the folder of {path}: {reason}").format(
                        path=self.path, reason=exc.strerror or exc
                    )
                ) from None
        key = self.path.resolve()
        with _shared_lock:
            if key not in _shared:
                _shared[key] = _SharedFile(key, self._unusable, self._busy)
            self._file = _shared[key]
        self._initialise()

    def _connect(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return self._file.cursor()

    @property
    def read_only(self) -> bool:
        with self._connect():  # opened (read-only or not) as the next operation would be
            return self._file.read_only

    def _read_only_reason(self) -> str:
        return _("this program may not write the file or its folder")

    def release(self) -> None:
        """Give the file up now (the next operation opens it again)."""
        self._file.close()

    def _busy(self) -> str:
        return _(
            "the database file {path} is busy (another program has been writing to it for "
            "over {seconds} s): try again when it has finished"
        ).format(path=self.path, seconds=i18n.decimal(LOCK_WAIT_SECONDS, 0))

    def _unusable(self, reason: str) -> str:
        """What to tell the user about a file that cannot be used (`reason`), and how to recover."""
        what = _("the database file {path} {reason}.").format(
            path=self.path, reason=reason.rstrip(".!")
        )
        kept = backup.backups_of(self.path)
        if kept:
            how = _(
                "To recover, stop the app, move the file aside, and copy the newest backup, "
                "{backup}, to {path} (see 'Backups and recovery' in the README); or only move "
                "the file aside to start from an empty store (demo data is seeded again)."
            ).format(backup=kept[-1], path=self.path)
        else:
            how = _(
                "There is no backup in {folder}. To recover, stop the app and move the file "
                "aside: restore your own copy in its place, or start from an empty store (demo "
                "data is seeded again)."
            ).format(folder=backup.backup_folder(self.path))
        return f"{what} {how}"

    def backup(self, reason: str) -> Path:
        """A consistent copy of the store file in its backup folder (see store/backup.py)."""
        with self._file.writing() as connection:
            wal = self.path.with_name(self.path.name + ".wal")
            deadline = time.monotonic() + CHECKPOINT_WAIT_SECONDS
            while True:  # every committed change into the file itself, then no log is left
                # (it fails while a read of another thread still holds a result open)
                with contextlib.suppress(duckdb.TransactionException):
                    connection.execute("CHECKPOINT")
                if not (wal.exists() and wal.stat().st_size) or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            if wal.exists() and wal.stat().st_size:
                raise StoreError(
                    _(
                        "could not back up {path} before changing it (its log could not be "
                        "written into it): nothing was changed, try again"
                    ).format(path=self.path)
                )
            try:
                return backup.copy_file(self.path, reason)
            except OSError as exc:
                raise StoreNotWritableError(
                    _(
                        "could not back up {path} into {folder}: {reason}. Nothing was changed: "
                        "free some space there, or make it writable, and try again"
                    ).format(
                        path=self.path,
                        folder=backup.backup_folder(self.path),
                        reason=exc.strerror or exc,
                    )
                ) from None

    def _writing(self) -> AbstractContextManager[Any]:
        return self._file.writing()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        with self._connect() as connection:
            return connection.execute(sql, params or []).df()

    @contextmanager
    def _transaction(self) -> Iterator[DuckDBTransaction]:
        with self._file.write_lock, self._connect() as connection:
            connection.begin()
            try:
                yield DuckDBTransaction(connection)
            except BaseException:
                try:
                    connection.rollback()
                except duckdb.Error:  # invalidated by a failed write: reopened before next use
                    self._file.discard()
                raise
            connection.commit()
