"""Where the project's own files live, resolved from the package so any working directory works."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASETS_DIR = PROJECT_ROOT / "datasets"
STATIC_DIR = PROJECT_ROOT / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"
WORLD_50M = TOPOJSON_DIR / "world_50m.json"
# What st.plotly_chart passes to plotly.js so maps fetch topology from the app, not a CDN.
TOPOJSON_URL = "/app/static/topojson/"
DEFAULT_DB = PROJECT_ROOT / "var" / "crimjust.duckdb"


def database_path() -> Path:
    """The DuckDB file in use: CRIMJUST_DB if set, else var/crimjust.duckdb in the project."""
    configured = os.environ.get("CRIMJUST_DB", "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_DB


def database_url() -> str | None:
    """The shared PostgreSQL store, when CRIMJUST_DATABASE_URL is set (postgresql://...)."""
    return os.environ.get("CRIMJUST_DATABASE_URL", "").strip() or None


def store_locator() -> str:
    """What identifies the configured store: its PostgreSQL URL, else the DuckDB file's path."""
    return database_url() or str(database_path())
