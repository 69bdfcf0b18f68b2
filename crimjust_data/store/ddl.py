"""Table and view definitions, in SQL that DuckDB and PostgreSQL both accept."""

from __future__ import annotations

from crimjust_data.schemas import TableName

# 2: rollups (seizure_rollup, case_rollup); 3: route_rollup; 4: the case rollup counts charges
# within PROSECUTION_WINDOW_MONTHS, closures before charge and charged cases with a court outcome.
# An older store is upgraded when opened (its rollups made again from its rows).
SCHEMA_VERSION = 4
# The prosecution rate counts a case as charged when it was charged within this many months of
# opening (docs/METHODS.md). The case rollup counts it at load time: changing it needs a
# SCHEMA_VERSION of its own, so that stores make their rollups again.
PROSECUTION_WINDOW_MONTHS = 12
# What a court outcome is (a closure before any charge is not one).
COURT_OUTCOMES = ("convicted", "acquitted", "dismissed")

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
    "activities": {
        "activity_id": "TEXT",
        "start_date": "DATE",
        "end_date": "DATE",
        "countries": "TEXT[]",
        "type": "TEXT",
        "title": "TEXT",
        "partner": "TEXT",
        "participants": "BIGINT",
        "notes": "TEXT",
        "source": "TEXT",
    },
}


# Rollups: small per-version aggregates of the raw rows, kept at load time so that the pages read
# a few ten thousand rows instead of a million. Rows carry the version_id of the load that made
# them and are read through active_* views like the raw tables, so a rollback or a replace needs
# no recomputation. Everything in them is additive (sums, counts, min, max), so a selection of
# whole months (years for routes) is answered from them exactly; metrics.py reads the raw rows
# for the rest.
ROLLUP_TYPES: dict[str, dict[str, str]] = {
    "seizure_rollup": {
        "country_iso3": "TEXT",
        "month": "DATE",
        "drug": "TEXT",
        "conveyance": "TEXT",
        "source": "TEXT",
        "kg": "DOUBLE PRECISION",
        "events": "BIGINT",
        "routed_kg": "DOUBLE PRECISION",  # of the events with both an origin and a destination
        "routed_events": "BIGINT",
        "first_day": "DATE",
        "last_day": "DATE",
    },
    "case_rollup": {
        "country_iso3": "TEXT",
        "month": "DATE",  # of opened_date
        "source": "TEXT",
        "cooperation": "TEXT",
        "opened": "BIGINT",
        "charged": "BIGINT",
        "verdict": "BIGINT",
        "charged_verdict": "BIGINT",
        "convicted": "BIGINT",
        "charged_convicted": "BIGINT",
        "final": "BIGINT",
        "charged_in_window": "BIGINT",  # charged within PROSECUTION_WINDOW_MONTHS of opening
        "closed_before_charge": "BIGINT",  # an outcome and no charge date
        "court_outcome": "BIGINT",  # charged and an outcome: the conviction rate's n
        "first_day": "DATE",
        "last_day": "DATE",
        "last_event": "DATE",  # latest opening, charge or verdict date: the data's end
    },
    # Seizures with both an origin and a destination, by year: by month it would be as large as
    # a quarter of the raw rows (many origin x destination pairs).
    "route_rollup": {
        "country_iso3": "TEXT",
        "year": "DATE",  # 1 January
        "drug": "TEXT",
        "conveyance": "TEXT",
        "source": "TEXT",
        "origin_iso3": "TEXT",
        "destination_iso3": "TEXT",
        "kg": "DOUBLE PRECISION",
        "events": "BIGINT",
    },
}
# Each rollup table and the raw table it rolls up.
ROLLUP_OF: dict[str, str] = {
    "seizure_rollup": "seizures",
    "case_rollup": "cases",
    "route_rollup": "seizures",
}
COURT_OUTCOMES_SQL = "(" + ", ".join(f"'{o}'" for o in COURT_OUTCOMES) + ")"


def charged_in_window(case: str = "") -> str:
    """SQL: charged within PROSECUTION_WINDOW_MONTHS of opening (`case`: a table alias and a
    dot). Both dialects read a date plus an interval as a timestamp, compared with the date."""
    return (
        f"{case}charged_date IS NOT NULL AND {case}charged_date <= "
        f"{case}opened_date + INTERVAL '{PROSECUTION_WINDOW_MONTHS} months'"
    )


def last_event(case: str = "") -> str:
    """SQL: a case's latest opening, charge or verdict date (`case`: a table alias and a dot).
    NULLs read as the opening: the dialects' greatest() treat NULL differently."""
    return (
        f"greatest({case}opened_date, coalesce({case}charged_date, {case}opened_date), "
        f"coalesce({case}verdict_date, {case}opened_date))"
    )


_PERIOD = "CAST(date_trunc('{grain}', {column}) AS DATE)"
_ROUTED = "origin_iso3 IS NOT NULL AND destination_iso3 IS NOT NULL"
# Per rollup: (group columns, aggregate columns, condition) over the raw rows.
ROLLUP_SELECT: dict[str, tuple[str, str, str]] = {
    "seizure_rollup": (
        f"country_iso3, {_PERIOD.format(grain='month', column='date')}, drug, conveyance, source",
        f"sum(quantity_kg), count(*), sum(quantity_kg) FILTER (WHERE {_ROUTED}), "
        f"count(*) FILTER (WHERE {_ROUTED}), min(date), max(date)",
        "TRUE",
    ),
    "case_rollup": (
        f"country_iso3, {_PERIOD.format(grain='month', column='opened_date')}, source, cooperation",
        "count(*), count(charged_date), count(verdict_date), "
        "count(*) FILTER (WHERE charged_date IS NOT NULL AND verdict_date IS NOT NULL), "
        "count(*) FILTER (WHERE outcome = 'convicted'), "
        "count(*) FILTER (WHERE charged_date IS NOT NULL AND outcome = 'convicted'), "
        f"count(*) FILTER (WHERE outcome IN {COURT_OUTCOMES_SQL}), "
        f"count(*) FILTER (WHERE {charged_in_window()}), "
        f"count(*) FILTER (WHERE charged_date IS NULL AND outcome IN {COURT_OUTCOMES_SQL}), "
        f"count(*) FILTER (WHERE charged_date IS NOT NULL AND outcome IN {COURT_OUTCOMES_SQL}), "
        f"min(opened_date), max(opened_date), max({last_event()})",
        "TRUE",
    ),
    "route_rollup": (
        f"country_iso3, {_PERIOD.format(grain='year', column='date')}, drug, conveyance, source, "
        "origin_iso3, destination_iso3",
        "sum(quantity_kg), count(*)",
        _ROUTED,
    ),
}


def rollup_insert(rollup: str, one_version: bool) -> str:
    """INSERT of a rollup's rows, from one version's rows (parameter: its id) or from all."""
    groups, aggregates, condition = ROLLUP_SELECT[rollup]
    version = " AND version_id = ?" if one_version else ""
    return (
        f"INSERT INTO {rollup} ({', '.join(ROLLUP_TYPES[rollup])}, version_id) "
        f"SELECT {groups}, {aggregates}, version_id FROM {ROLLUP_OF[rollup]} "
        f"WHERE {condition}{version} GROUP BY version_id, {groups}"
    )


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
    for table, columns in {**COLUMN_TYPES, **ROLLUP_TYPES}.items():
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
    for table in (*COLUMN_TYPES, *ROLLUP_TYPES):
        statements.append(
            f"""CREATE OR REPLACE VIEW active_{table} AS
            SELECT t.* FROM {table} t
            WHERE t.version_id IN (SELECT version_id FROM version_status WHERE active)"""
        )
    return statements
