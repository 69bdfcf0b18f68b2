"""Table and view definitions, in SQL that DuckDB and PostgreSQL both accept."""

from __future__ import annotations

from crimjust_data.schemas import TableName

SCHEMA_VERSION = 1

# Stored SQL type of every canonical column (the store adds version_id BIGINT).
COLUMN_TYPES: dict[TableName, dict[str, str]] = {
    "seizures": {
        "seizure_id": "TEXT",
        "date": "DATE",
        "country_iso3": "TEXT",
        "location": "TEXT",
        "latitude": "DOUBLE PRECISION",
        "longitude": "DOUBLE PRECISION",
        "drug": "TEXT",
        "quantity_kg": "DOUBLE PRECISION",
        "conveyance": "TEXT",
        "origin_iso3": "TEXT",
        "transit_iso3": "TEXT[]",
        "destination_iso3": "TEXT",
        "agency": "TEXT",
        "arrests": "BIGINT",
        "source": "TEXT",
    },
    "annual_seizures": {
        "country_iso3": "TEXT",
        "year": "BIGINT",
        "drug": "TEXT",
        "quantity_kg": "DOUBLE PRECISION",
        "source": "TEXT",
    },
    "cases": {
        "case_id": "TEXT",
        "country_iso3": "TEXT",
        "seizure_id": "TEXT",
        "opened_date": "DATE",
        "charged_date": "DATE",
        "verdict_date": "DATE",
        "defendants": "BIGINT",
        "stage": "TEXT",
        "outcome": "TEXT",
        "convicted_persons": "BIGINT",
        "sentence_months": "DOUBLE PRECISION",
        "cooperation": "TEXT",
        "source": "TEXT",
    },
}


def create_statements() -> list[str]:
    """Idempotent DDL: tables, the version sequence, and the views the read side queries."""
    statements = [
        "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE SEQUENCE IF NOT EXISTS version_ids START 1",
        """CREATE TABLE IF NOT EXISTS versions (
            version_id BIGINT PRIMARY KEY,
            table_name TEXT NOT NULL,
            source TEXT NOT NULL,
            file_name TEXT,
            sha256 TEXT,
            rows BIGINT NOT NULL,
            loaded_at TIMESTAMP NOT NULL,
            loaded_by TEXT NOT NULL,
            mode TEXT NOT NULL,
            synthetic BOOLEAN NOT NULL,
            rolled_back_at TIMESTAMP,
            rolled_back_by TEXT)""",
        # An analyst's column mapping for files with given headers, offered again next time.
        """CREATE TABLE IF NOT EXISTS header_mappings (
            signature TEXT PRIMARY KEY,
            table_name TEXT NOT NULL,
            mapping TEXT NOT NULL,
            saved_by TEXT NOT NULL,
            saved_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS ref_countries (
            iso3 TEXT PRIMARY KEY,
            region TEXT NOT NULL,
            crimjust_focus BOOLEAN NOT NULL,
            name_en TEXT NOT NULL,
            latitude DOUBLE PRECISION,
            longitude DOUBLE PRECISION)""",
    ]
    for table, columns in COLUMN_TYPES.items():
        body = ",\n  ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {table} (\n  {body},\n  version_id BIGINT NOT NULL)"
        )
    # A version is active unless rolled back or superseded by a later active replace.
    statements.append(
        """CREATE OR REPLACE VIEW version_status AS
        SELECT v.*,
          (v.rolled_back_at IS NULL AND v.version_id >= COALESCE((
              SELECT max(r.version_id) FROM versions r
              WHERE r.table_name = v.table_name AND r.mode = 'replace'
                AND r.rolled_back_at IS NULL), 0)) AS active
        FROM versions v"""
    )
    for table in COLUMN_TYPES:
        statements.append(
            f"""CREATE OR REPLACE VIEW active_{table} AS
            SELECT t.* FROM {table} t
            WHERE t.version_id IN (SELECT version_id FROM version_status WHERE active)"""
        )
    return statements
