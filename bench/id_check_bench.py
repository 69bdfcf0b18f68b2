"""Time the cross-version 'already loaded' check (Transaction.key_clashes) against 1M active rows.

    .venv/bin/python bench/id_check_bench.py [--rows 1000000] [--postgres URL]

Ids are compared by crimjust_data.ids.id_key_sql (issue 17): this is its cost next to the plain
equality it replaced.

A store holds N active seizures (ids S0000000...); the check is timed for incoming frames of
N new ids, N ids of which 1,000 are stored ones written in another case, and 10,000 new ids.
Prints the median of 3 runs of each, in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crimjust_data.store import DuckDBStore, LoadRequest, Store


def frame(ids: np.ndarray) -> pd.DataFrame:
    from crimjust_data.store.ddl import COLUMN_TYPES

    n = len(ids)
    return pd.DataFrame(
        {
            "seizure_id": ids,
            "date": pd.Timestamp("2020-01-01"),
            "country_iso3": "COL",
            "drug": "cocaine",
            "quantity_kg": 1.0,
            "source": "bench",
        },
        index=range(n),
    ).reindex(columns=list(COLUMN_TYPES["seizures"]))


def timed(store: Store, keys: pd.DataFrame) -> tuple[float, int]:
    runs = []
    found = 0
    for _ in range(3):
        with store.scratch() as tx:
            started = time.perf_counter()
            found = len(tx.key_clashes("seizures", keys))
            runs.append(time.perf_counter() - started)
    return statistics.median(runs), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", metavar="URL", default=None, help="an empty database")
    args = parser.parse_args()
    n = args.rows
    stored = np.array([f"S{i:07d}" for i in range(n)], dtype=object)
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            from crimjust_data.store.postgres_store import PostgresStore

            store: Store = PostgresStore(args.postgres)
        else:
            store = DuckDBStore(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        with store._transaction() as tx:
            tx.add_version(LoadRequest("seizures", frame(stored), "bench"), "bench")
        print(f"stored {n:,} rows in {time.perf_counter() - started:.2f} s")
        new = pd.DataFrame({"seizure_id": [f"N{i:07d}" for i in range(n)]})
        some = new.copy()
        some.loc[:999, "seizure_id"] = [s.lower() for s in stored[:1000]]
        few = new.head(10_000)
        for name, keys in (
            (f"{n:,} new ids", new),
            (f"{n:,} ids, 1,000 stored", some),
            (f"{len(few):,} new ids (a small file)", few),
        ):
            seconds, found = timed(store, keys)
            print(f"{name:<28}{seconds:8.3f} s  clashes found: {found:,}")


if __name__ == "__main__":
    main()
