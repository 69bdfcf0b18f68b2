"""Stores of the canonical tables. `open_store()` picks the one configured."""

from __future__ import annotations

from pathlib import Path

from crimjust_data.i18n import _
from crimjust_data.paths import duckdb_file, is_postgres_url, postgres_url, store_locator
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
    CRIMJUST_DATABASE_URL, else the DuckDB file CRIMJUST_DB, else var/crimjust.duckdb.

    A locator of neither form (see crimjust_data.paths) raises StoreLocationError before
    anything is created or connected to; its message never quotes the locator.
    """
    where = store_locator() if locator is None else str(locator)
    if is_postgres_url(where):
        from crimjust_data.store.postgres_store import PostgresStore  # psycopg only when used

        return PostgresStore(postgres_url(where, _("the store's location")))
    return DuckDBStore(duckdb_file(where, _("the store's location")))
