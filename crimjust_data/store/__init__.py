"""Stores of the canonical tables. `open_store()` picks the one configured."""

from __future__ import annotations

from pathlib import Path

from crimjust_data.paths import store_locator
from crimjust_data.store.base import LoadMode, LoadRequest, Store, Version, current_user
from crimjust_data.store.duckdb_store import DuckDBStore

__all__ = [
    "DuckDBStore",
    "LoadMode",
    "LoadRequest",
    "Store",
    "Version",
    "current_user",
    "open_store",
]


def open_store(locator: Path | str | None = None) -> Store:
    """The store at `locator` (a postgresql:// URL or a DuckDB file), else the configured one:
    CRIMJUST_DATABASE_URL, else the DuckDB file CRIMJUST_DB, else var/crimjust.duckdb."""
    where = str(locator or store_locator())
    if where.startswith(("postgresql://", "postgres://")):
        from crimjust_data.store.postgres_store import PostgresStore  # psycopg only when used

        return PostgresStore(where)
    return DuckDBStore(where)
