"""Where the project's own files live, resolved from the package so any working directory works;
and where the store is, read strictly from the settings that name it.

The store's location is read by one rule (README, 'Configuration'), so that a mistyped setting is
refused instead of guessed at, and refused without ever printing it: it may hold a password.

- CRIMJUST_DATABASE_URL (and `migrate --to`) must be a PostgreSQL URL,
  postgresql://USER:PASSWORD@HOST:PORT/DATABASE that libpq reads, with a numeric port. The scheme
  may be written postgresql:// or postgres:// in any case, and may carry a driver suffix as
  SQLAlchemy writes it (postgresql+psycopg://): it names the same database. Anything else is
  refused, a key=value connection string ('host=... password=...') included.
- CRIMJUST_DB (and `migrate --from`) must be the path of a DuckDB file, and a path holding ':',
  '@' or '=' is refused (a leading drive letter such as C:\\ aside): every URL has ':', every
  key=value string has '=', and USER:PASSWORD@HOST has both, so none of them can become a
  folder named after the credentials.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from crimjust_data.errors import StoreLocationError
from crimjust_data.i18n import _

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASETS_DIR = PROJECT_ROOT / "datasets"
# The countries' land of WORLD_50M made valid, as WKB (countries.write_land): read in milliseconds
COUNTRY_LAND = DATASETS_DIR / "country_land.npz"
STATIC_DIR = PROJECT_ROOT / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"
WORLD_50M = TOPOJSON_DIR / "world_50m.json"
# What the maps draw: WORLD_50M thinned (crimjust_data/topology.py), served to plotly.js by the
# app (st.plotly_chart's config, so maps fetch it from the app, not a CDN) and inlined in snapshots.
MAP_TOPOLOGY = STATIC_DIR / "maps" / "world_50m.json"
TOPOJSON_URL = "/app/static/maps/"
DEFAULT_DB = PROJECT_ROOT / "var" / "crimjust.duckdb"

URL_FORM = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
_POSTGRES_SCHEME = re.compile(r"postgres(?:ql)?(?:\+[a-z0-9_]+)?://", re.IGNORECASE)
_NOT_IN_A_PATH = re.compile(r"[:@=]")
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def is_postgres_url(value: str) -> bool:
    """Whether `value` starts as a PostgreSQL URL does (it may still be malformed)."""
    return bool(_POSTGRES_SCHEME.match(value.strip()))


def postgres_url(value: str, setting: str) -> str:
    """`value` as a PostgreSQL URL whose scheme is written postgresql://; StoreLocationError,
    naming `setting` and never the value, when it is not one libpq reads."""
    text = value.strip()
    scheme = _POSTGRES_SCHEME.match(text)
    if scheme is None:
        raise StoreLocationError(
            _(
                "{setting} is not a PostgreSQL URL (its value is not shown: it may hold a "
                "password). Write it as {form}; a key=value connection string is not read. A "
                "DuckDB file is set with CRIMJUST_DB."
            ).format(setting=setting, form=URL_FORM)
        )
    url = "postgresql://" + text[scheme.end() :]
    from psycopg import Error
    from psycopg.conninfo import conninfo_to_dict  # psycopg only when PostgreSQL is named

    try:
        ports = conninfo_to_dict(url).get("port") or ""
        readable = all(
            port.isdigit() and 0 < int(port) < 65536 for port in ports.split(",") if port
        )
    except Error:  # its message quotes the URL: not kept
        readable = False
    if not readable:
        raise StoreLocationError(
            _(
                "{setting} cannot be read as a PostgreSQL URL (its value is not shown: it may "
                "hold a password). Write it as {form}, the port a number, and any @ : / ? # or "
                "space in the user name or password percent-encoded (%40 for @, %25 for a "
                "percent sign)."
            ).format(setting=setting, form=URL_FORM)
        )
    return url


def redacted(url: str) -> str:
    """'crimjust on db.example:5432': how the store is named, never with a password. Raises
    ValueError, which does not quote it, for what libpq cannot read."""
    from psycopg import Error
    from psycopg.conninfo import conninfo_to_dict  # psycopg only when PostgreSQL is named

    try:
        parts = conninfo_to_dict(url)
    except Error:
        raise ValueError("not a PostgreSQL URL") from None
    name = parts.get("dbname") or "postgres"
    return f"{name} on {parts.get('host') or 'localhost'}:{parts.get('port') or 5432}"


def duckdb_file(value: str | Path, setting: str) -> Path:
    """`value` as the path of a DuckDB file; StoreLocationError, naming `setting` and never the
    value, when it holds what a URL or a connection string holds (see the module's rule)."""
    text = str(value).strip()
    if _NOT_IN_A_PATH.search(text[2:] if _DRIVE.match(text) else text):
        raise StoreLocationError(
            _(
                "{setting} must be the path of a DuckDB file, such as var/crimjust.duckdb, and "
                "it holds ':', '@' or '=', as a URL or a connection string does (its value is "
                "not shown: it may hold a password); nothing was created. A PostgreSQL database "
                "is set with CRIMJUST_DATABASE_URL, as {form}."
            ).format(setting=setting, form=URL_FORM)
        )
    return Path(text).expanduser()


def database_path() -> Path:
    """The DuckDB file in use: CRIMJUST_DB if set, else var/crimjust.duckdb in the project."""
    configured = os.environ.get("CRIMJUST_DB", "").strip()
    return duckdb_file(configured, "CRIMJUST_DB") if configured else DEFAULT_DB


def database_url() -> str | None:
    """The shared PostgreSQL store, when CRIMJUST_DATABASE_URL is set (postgresql://...)."""
    configured = os.environ.get("CRIMJUST_DATABASE_URL", "").strip()
    return postgres_url(configured, "CRIMJUST_DATABASE_URL") if configured else None


def store_locator() -> str:
    """What identifies the configured store: its PostgreSQL URL, else the DuckDB file's path.
    Raises StoreLocationError for a setting of the wrong form (see the module's rule)."""
    return database_url() or str(database_path())
