"""Stores of the canonical tables. `open_store()` picks the one configured."""

from __future__ import annotations

from pathlib import Path

from crimjust_data.paths import database_path
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


def open_store(path: Path | str | None = None) -> Store:
    """The store in use: the DuckDB file at `path`, else CRIMJUST_DB, else var/crimjust.duckdb."""
    return DuckDBStore(path or database_path())
