"""Where the time of `python -m crimjust_data import FILE --table seizures` goes, stage by stage.

    .venv/bin/python bench/import_profile.py FILE [--table seizures]

Runs the import's steps one after another as `ingest.pipeline.import_file` does, into a fresh
DuckDB file in a temporary folder, and prints each stage's seconds (wall, and CPU of all
threads) and the process's resident memory after it (current and peak, MB). The first stage is
the imports the command line pays for before it reads a byte. Profile only: the real command
(bench/scale_bench.py measures it) hashes the file beside its read, which this does not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process, MB."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


class Stages:
    """Times each stage and notes the memory after it."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float, float]] = []

    def __call__(self, name: str, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        result = work(*args, **kwargs)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.rows.append((name, seconds, cpu, *_rss_mb()))
        return result

    def print(self) -> None:
        print(f"{'stage':<34}{'s':>8}{'cpu s':>8}{'rss MB':>10}{'peak MB':>10}")
        for name, seconds, cpu, rss, peak in self.rows:
            print(f"{name:<34}{seconds:>8.3f}{cpu:>8.3f}{rss:>10.0f}{peak:>10.0f}")
        total = sum(row[1] for row in self.rows)
        cpu = sum(row[2] for row in self.rows)
        print(f"{'total (no interpreter start)':<34}{total:>8.3f}{cpu:>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--table", default="seizures")
    args = parser.parse_args()
    stages = Stages()

    def imports() -> None:
        import crimjust_data.__main__  # noqa: F401  what the command imports

    stages("imports (the CLI's)", imports)
    from crimjust_data.ingest import layouts, pipeline
    from crimjust_data.ingest.normalise import normalise
    from crimjust_data.ingest.readers import file_bytes, read_table_file
    from crimjust_data.store import DuckDBStore
    from crimjust_data.store.base import LoadRequest

    path: Path = args.path
    with tempfile.TemporaryDirectory(prefix="import_profile_") as folder:
        store = stages("open store", lambda: DuckDBStore(Path(folder) / "profile.duckdb"))
        raw = stages("read bytes", file_bytes, path)
        sha = stages("checksum (sha256, beside the read)", pipeline._sha256, raw)
        head = stages("read first rows", read_table_file, path, max_rows=30, data=raw)
        stages("detect layout", layouts.detect_layout, head)
        table_file = stages("read whole file", read_table_file, path, data=raw)
        del raw
        normalised = stages(
            "normalise (no schema check)", normalise, table_file, args.table, check_schema=False
        )
        del table_file
        located = stages("group warnings", pipeline.group_problems, normalised.warnings)
        request = LoadRequest(
            args.table,
            normalised.frame,
            "file " + path.name,
            path.name,
            sha,
            row_offset=normalised.row_offset,
            row_numbers=tuple(normalised.rows),
        )
        del normalised
        ready = stages("store: validate_table", store._validated, request)
        del request

        def write() -> Any:
            with store._backed_up([ready], False), store._transaction() as tx:
                store._check_not_loaded(ready, tx)
                started = time.perf_counter()
                version_id = tx.add_version(ready, "profile")
                added = time.perf_counter() - started
                from crimjust_data.store.base import ROLLUP_OF, rollup_insert

                started = time.perf_counter()
                for rollup, table in ROLLUP_OF.items():
                    if table == ready.table:
                        tx.execute(rollup_insert(rollup, one_version=True), [version_id])
                rolled = time.perf_counter() - started
            print(f"  (of the write: rows {added:.3f} s, rollups {rolled:.3f} s)")
            return store.version(version_id)

        version = stages("store: write and commit", write)
        outcome = pipeline.ImportOutcome(
            True,
            ready.table,
            version.rows,
            version.version_id,
            warning_details=[w.to_dict() for w in located],
        )
        stages("JSON report", lambda: json.dumps(outcome.to_dict(), indent=2, default=str))
    stages.print()
    print(
        f"load average: {os.getloadavg()}; ru_maxrss {resource.getrusage(0).ru_maxrss // 1024} MB"
    )


if __name__ == "__main__":
    main()
