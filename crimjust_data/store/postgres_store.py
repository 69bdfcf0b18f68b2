"""The shared store for deployments with several app replicas: one PostgreSQL database.

Same tables, views, versioning and metrics as the DuckDB file (the SQL is shared; only `?`
placeholders become psycopg's). Writes take a transaction-scoped advisory lock, so loads
from several replicas or the command line run one after another and the duplicate checks
inside them see each other's committed rows. Reads return frames typed as DuckDB returns
them, so the code above the store cannot tell the two apart.

Opening a database whose schema is current runs no transaction, so a read-only one (a standby,
default_transaction_read_only, a role with SELECT only) can be viewed; a change to it, or to one
whose disk is full, raises StoreNotWritableError, and the transaction is rolled back.
Ids are compared with lower() under the ICU collation "und-x-icu", which lower-cases as Python
does; a server without ICU falls back to a libc UTF-8 collation (see crimjust_data/ids.py).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from crimjust_data.errors import StoreError
from crimjust_data.i18n import _
from crimjust_data.ids import id_key_sql
from crimjust_data.paths import postgres_url, redacted
from crimjust_data.schemas import TableName
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

CONNECT_TIMEOUT_SECONDS = 10.0
# One lock for every write: PostgreSQL's advisory lock key (any constant that is ours).
WRITE_LOCK_KEY = 20160830
# SQL tokens: quoted strings and identifiers are copied as they are, `?` becomes %s, `%` is doubled.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")

# PostgreSQL type OIDs of the columns we read, and how a frame column of each is typed.
_INTEGERS = {20, 21, 23}  # int8, int2, int4
_FLOATS = {700, 701, 1700}  # float4, float8, numeric (sum of integers: float, as in DuckDB)
_BOOLEAN = 16
_TIMES = {1082, 1114, 1184}  # date, timestamp, timestamptz
_ARRAYS = {1009, 1015}  # text[], varchar[]
# read_only_sql_transaction, insufficient_privilege (a role that may only read), disk_full
_NOT_WRITABLE = {"25006", "42501", "53100"}
# Collations under which lower() works on every letter, best first (the C locale's only on ASCII).
_ID_COLLATIONS = ("und-x-icu", "C.utf8", "C.UTF-8")


def to_psycopg(sql: str) -> str:
    """The store's SQL (DuckDB-style `?` placeholders) in psycopg's format (%s)."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        return {"?": "%s", "%": "%%"}.get(token, token)

    return _TOKENS.sub(swap, sql)


def _python(value: Any) -> Any:
    """A cell as psycopg can send it (numpy scalars and pandas missing values are not)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_python(v) for v in value]
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _python(value.item())
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is pd.NA:
        return None
    return value


def _column(values: list[Any], type_code: int) -> pd.Series | list[Any]:
    """One result column typed as DuckDB's .df() would type it."""
    has_null = any(v is None for v in values)
    if type_code in _INTEGERS:
        return pd.Series(values, dtype="Int64" if has_null else "int64")
    if type_code in _FLOATS:
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if type_code == _BOOLEAN:
        return pd.Series(values, dtype="boolean" if has_null else "bool")
    if type_code in _TIMES:
        stamps = pd.to_datetime(pd.Series(values, dtype="object"))
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        return stamps.astype("datetime64[us]")
    if type_code in _ARRAYS:
        return pd.Series(
            [None if v is None else np.array(v, dtype=object) for v in values], dtype="object"
        )
    if any(isinstance(v, decimal.Decimal) for v in values):
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    return values


def _frame(cursor: psycopg.Cursor[Any]) -> pd.DataFrame:
    if cursor.description is None:
        return pd.DataFrame()
    rows = cursor.fetchall()
    names = [column.name for column in cursor.description]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pd.DataFrame(
        {
            name: _column(list(values), column.type_code)
            for name, values, column in zip(names, columns, cursor.description, strict=True)
        },
        columns=names,
    )


class PostgresTransaction:
    """The Transaction protocol on one PostgreSQL connection inside a transaction."""

    def __init__(self, connection: psycopg.Connection[Any], id_collation: str = "default") -> None:
        self._con = connection
        self._id_collation = id_collation  # see _ID_COLLATIONS

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        with self._con.cursor() as cursor:
            cursor.execute(to_psycopg(sql), [_python(p) for p in params or []])
            return _frame(cursor)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        with self._con.cursor() as cursor:
            cursor.execute(to_psycopg(sql), [_python(p) for p in params or []])

    def copy_rows(self, table: str, columns: Sequence[str], frame: pd.DataFrame) -> None:
        """Append `frame`'s columns to `table` with one COPY (fast for many rows)."""
        text = _copy_text(frame[list(columns)])
        with (
            self._con.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            copy.write(text)

    def stage(self, name: str, frame: pd.DataFrame, types: dict[str, str]) -> None:
        """A temporary table `name` holding `frame`, gone when the transaction ends."""
        body = ", ".join(f"{column} {sql_type}" for column, sql_type in types.items())
        self.execute(f"DROP TABLE IF EXISTS {name}")  # staged before in this transaction
        self.execute(f"CREATE TEMPORARY TABLE {name} ({body}) ON COMMIT DROP")
        self.copy_rows(name, list(types), dated(frame, types))

    def add_version(self, request: LoadRequest, loaded_by: str) -> int:
        version_id = insert_version(self, request, loaded_by)
        types = COLUMN_TYPES[request.table]
        rows = dated(request.frame.reindex(columns=list(types)), types)
        self.copy_rows(request.table, [*types, "version_id"], rows.assign(version_id=version_id))
        return version_id

    def replace_rows(self, table: str, frame: pd.DataFrame) -> None:
        """Make a small reference table hold exactly `frame` (same column order)."""
        self.execute(f"DELETE FROM {table}")
        self.copy_rows(table, list(frame.columns), frame)

    def key_clashes(self, table: TableName, keys: pd.DataFrame) -> pd.DataFrame:
        names = KEY_COLUMNS[table]
        types = COLUMN_TYPES[table]
        incoming = keys.reset_index(names="row_index")
        self.stage(
            "incoming_keys", incoming, {"row_index": "BIGINT", **{k: types[k] for k in names}}
        )
        join = self.key_join(table, "a", "k")
        stored = "".join(f", a.{k} AS stored_{k}" for k in names if k in ID_COLUMNS)
        return self.query(
            f"SELECT k.*, a.version_id{stored} FROM incoming_keys k "
            f"JOIN active_{table} a ON {join} ORDER BY k.row_index"
        )

    def key_join(self, table: TableName, left: str, right: str) -> str:
        return key_condition(
            table, left, right, lambda column: id_key_sql(column, "postgres", self._id_collation)
        )


def _copy_text(frame: pd.DataFrame) -> str:
    """`frame` in COPY's text format: tab-separated, \\N for NULL, backslash escapes.

    Built a column at a time with pandas string operations: no Python loop over the rows.
    """
    if frame.empty:
        return ""
    cells: list[pd.Series] = []
    for column in frame.columns:
        values = frame[column]
        missing = values.isna() if values.dtype != object else values.map(_is_missing)
        if values.dtype == object and values.map(_is_list).any():
            values = values.map(_array_literal)
        elif pd.api.types.is_float_dtype(values.dtype) and _whole(values):
            values = values.astype("Int64")  # '3', not '3.0', which an integer column refuses
        elif pd.api.types.is_bool_dtype(values.dtype):
            values = values.map({True: "t", False: "f"})
        text = values.astype(str)
        for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
            text = text.str.replace(raw, escaped, regex=False)
        cells.append(text.where(~missing.to_numpy(dtype=bool), "\\N").reset_index(drop=True))
    lines = cells[0].str.cat(cells[1:], sep="\t") if len(cells) > 1 else cells[0]
    return "\n".join(lines) + "\n"


def _whole(values: pd.Series) -> bool:
    present = values.dropna().to_numpy(dtype="float64")
    return bool(np.isfinite(present).all() and (present == np.round(present)).all())


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _is_missing(value: Any) -> bool:
    return not _is_list(value) and bool(pd.isna(value))


def _array_literal(value: Any) -> str | None:
    """A list as a PostgreSQL array literal ('{"COL","BRA"}'); None stays NULL."""
    if not isinstance(value, (list, tuple, np.ndarray)):
        return None
    items = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value)
    return "{" + ",".join(items) + "}"


def dated(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """DATE columns as datetime.date (a timestamp would be sent with a time of day)."""
    frame = frame.copy()
    for column, sql_type in types.items():
        if sql_type == "DATE" and column in frame.columns:
            stamps = pd.to_datetime(frame[column])
            frame[column] = [None if pd.isna(s) else s.date() for s in stamps]
        elif sql_type == "TEXT" and column in frame.columns:
            frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
    return frame


class PostgresStore(Store):
    """Versioned canonical tables in a PostgreSQL database (created on first use)."""

    def __init__(
        self, url: str, pool_size: int = 4, setting: str = "CRIMJUST_DATABASE_URL"
    ) -> None:
        """`url` as crimjust_data.paths reads it; `setting` names it in messages."""
        url = postgres_url(url, setting)
        self.url = url
        self._id_collation = "default"  # until _best_collation has looked
        self.description = f"PostgreSQL database {redacted(url)}"
        self.where = self.description
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            kwargs={"autocommit": True, "cursor_factory": psycopg.ClientCursor},
            check=ConnectionPool.check_connection,  # a server restart is survived
            name="crimjust",
        )
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        except PoolTimeout:
            self._pool.close()
            raise StoreError(self._unreachable()) from None
        self._id_collation = self._best_collation()
        self._initialise()

    def _unreachable(self) -> str:
        try:  # one direct attempt, for the server's own reason (the pool only says 'timeout')
            psycopg.connect(self.url, connect_timeout=int(CONNECT_TIMEOUT_SECONDS)).close()
            reason = _("no answer in time")
        except psycopg.Error as exc:
            reason = _first_line(exc).replace(self.url, redacted(self.url))
        return _(
            "cannot reach the PostgreSQL database {database}: {reason}. Check "
            "CRIMJUST_DATABASE_URL and that the server is running"
        ).format(database=redacted(self.url), reason=reason)

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection(timeout=CONNECT_TIMEOUT_SECONDS) as connection:
                yield connection
        except PoolTimeout:
            raise StoreError(self._unreachable()) from None
        except psycopg.Error as exc:
            if exc.sqlstate in _NOT_WRITABLE:  # rolled back by the server
                raise not_writable(self.where, _Refused(exc)) from None
            if isinstance(exc, psycopg.OperationalError):
                raise StoreError(
                    _("the PostgreSQL database {database} failed: {reason}").format(
                        database=redacted(self.url), reason=_first_line(exc)
                    )
                ) from None
            raise

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        with self._connection() as connection:
            return PostgresTransaction(connection, self._id_collation).query(sql, params)

    @contextmanager
    def _transaction(self) -> Iterator[PostgresTransaction]:
        with self._connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])
            yield PostgresTransaction(connection, self._id_collation)

    @property
    def read_only(self) -> bool:
        found = self.query("SELECT current_setting('transaction_read_only') AS value")
        return str(found.iloc[0]["value"]) == "on"

    def _read_only_reason(self) -> str:
        return _("the server accepts only reads: a standby, or default_transaction_read_only")

    def _best_collation(self) -> str:
        """The first of _ID_COLLATIONS this database has (any works with its encoding)."""
        found = set(
            self.query(
                "SELECT collname FROM pg_collation WHERE collencoding IN "
                "(-1, pg_char_to_encoding(getdatabaseencoding()))"
            )["collname"]
        )
        return next((name for name in _ID_COLLATIONS if name in found), "default")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _Refused(Exception):
    """What not_writable reads for a server's refusal: its kind, by SQLSTATE."""

    def __init__(self, exc: psycopg.Error) -> None:
        kinds = {"25006": "read-only", "42501": "permission denied", "53100": "disk full"}
        super().__init__(kinds[str(exc.sqlstate)])
