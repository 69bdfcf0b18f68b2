"""Move a store's whole history into an empty PostgreSQL store: `python -m crimjust_data migrate`.

Every version keeps its id, time, author, mode, checksum and rolled-back state, with all of
its rows (rolled-back and superseded ones included), so History and rollback work as before.
Saved column mappings come along. It is one transaction on the target: a failure leaves it
empty. Counts and sums are compared at the end, inside that transaction. The source is only
read, and a DuckDB source is backed up first all the same (store/backup.py), so the move
starts from a copy that is known to open.
"""

from __future__ import annotations

from dataclasses import dataclass

from crimjust_data.errors import StoreError
from crimjust_data.i18n import _
from crimjust_data.store.base import STORED_VERSION_COLUMNS, Store
from crimjust_data.store.ddl import COLUMN_TYPES, ROLLUP_OF, rollup_insert
from crimjust_data.store.postgres_store import PostgresStore, PostgresTransaction, dated

_MAPPING_COLUMNS = ("signature", "table_name", "mapping", "saved_by", "saved_at")


@dataclass(frozen=True)
class Migrated:
    """What was copied: versions, rows per table and saved mappings."""

    versions: int
    rows: dict[str, int]
    mappings: int


def _fingerprint(read: Store | PostgresTransaction, table: str) -> list[tuple[int, int]]:
    """Rows per version (per table for the mappings): equal on both sides after a faithful copy."""
    group = "0" if table == "header_mappings" else "version_id"
    frame = read.query(f"SELECT {group} AS v, count(*) AS n FROM {table} GROUP BY 1 ORDER BY 1")
    return [(int(v), int(n)) for v, n in frame.itertuples(index=False)]


def migrate(source: Store, target: PostgresStore) -> Migrated:
    """Copy every version of `source` into the empty `target`; raises StoreError otherwise."""
    if not source.versions():
        raise StoreError(
            _("the source store {store} holds no versions: nothing to move").format(
                store=source.description
            )
        )
    held = len(target.versions())
    if held:
        raise StoreError(
            _(
                "the target {store} already holds {count} versions: migrate into an empty "
                "database, so that no version id is used twice"
            ).format(store=target.description, count=held)
        )
    source.backup("migrate")  # only read here, but the old store is kept as it was moved
    versions = source.query(
        f"SELECT {', '.join(STORED_VERSION_COLUMNS)} FROM versions ORDER BY version_id"
    )
    mappings = source.query(f"SELECT {', '.join(_MAPPING_COLUMNS)} FROM header_mappings")
    copied: dict[str, int] = {}
    with target._transaction() as tx:
        tx.copy_rows("versions", STORED_VERSION_COLUMNS, versions.astype(object))
        tx.copy_rows("header_mappings", _MAPPING_COLUMNS, mappings.astype(object))
        for table, types in COLUMN_TYPES.items():
            columns = [*types, "version_id"]
            copied[table] = 0
            for version_id in versions.loc[versions["table_name"] == table, "version_id"]:
                # one version at a time: memory stays at the size of the largest version
                rows = source.query(
                    f"SELECT {', '.join(columns)} FROM {table} WHERE version_id = ?",
                    [int(version_id)],
                )
                tx.copy_rows(table, columns, dated(rows, types))
                copied[table] += len(rows)
        for rollup in ROLLUP_OF:  # the target's rollups, from the rows just copied
            tx.execute(rollup_insert(rollup, one_version=False))
        next_id = int(versions["version_id"].max())
        tx.execute("SELECT setval('version_ids', ?)", [next_id])
        for table in (*COLUMN_TYPES, "versions", "header_mappings"):
            if _fingerprint(source, table) != _fingerprint(tx, table):
                raise StoreError(
                    _("the copy of {table} does not match its source: nothing was moved").format(
                        table=table
                    )
                )
    return Migrated(len(versions), copied, len(mappings))
