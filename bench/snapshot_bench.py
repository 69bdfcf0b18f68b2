"""Benchmark: donor snapshot sizes and generation times on the demo data.

    .venv/bin/python bench/snapshot_bench.py [--runs 3] [--json bench/results/snapshot.json]

Targets (issue 19): HTML under 2.5 MB and under 3 s; PDF under 4 s.
Times are wall-clock medians over --runs, from an open store to the bytes of the file
(queries, charts and rendering included). Prints a table and writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crimjust_data import snapshot
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters
from crimjust_data.snapshot.pdf import pdf_available
from crimjust_data.store import open_store

TARGETS = {"html": {"seconds": 3.0, "megabytes": 2.5}, "pdf": {"seconds": 4.0}}
VIEWS = {
    "all data": Filters(),
    "West Africa": Filters(regions=("west_africa",)),
    "Cabo Verde": Filters(countries=("CPV",)),
}


def measure(store, filters: Filters, fmt: str, runs: int) -> dict[str, float]:
    seconds, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        data = snapshot.render(snapshot.build(store, filters), fmt)
        seconds.append(time.perf_counter() - started)
        size = len(data)
    return {"seconds": statistics.median(seconds), "max_seconds": max(seconds), "bytes": size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path("bench/results/snapshot.json"))
    args = parser.parse_args()
    formats = ["html", "csv", "xlsx"]
    can_print, why_not = pdf_available()
    if can_print:
        formats.append("pdf")
    else:
        print(f"PDF skipped: {why_not}")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        load_demo(store)
        print(f"demo data loaded in {time.perf_counter() - started:.1f} s\n")
        snapshot.render(snapshot.build(store), "html")  # warm caches (plotly.js, topology)
        for view, filters in VIEWS.items():
            for fmt in formats:
                row = {"view": view, "format": fmt, **measure(store, filters, fmt, args.runs)}
                target = TARGETS.get(fmt, {})
                row["meets_target"] = row["seconds"] < target.get("seconds", float("inf")) and (
                    row["bytes"] / 1e6 < target.get("megabytes", float("inf"))
                )
                results.append(row)
    print(f"{'view':<12} {'format':<6} {'median s':>9} {'max s':>7} {'MB':>7}  target")
    for row in results:
        target = TARGETS.get(row["format"])
        verdict = ("met" if row["meets_target"] else "MISSED") if target else "-"
        print(
            f"{row['view']:<12} {row['format']:<6} {row['seconds']:>9.2f} "
            f"{row['max_seconds']:>7.2f} {row['bytes'] / 1e6:>7.2f}  {verdict}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"targets": TARGETS, "results": results}, indent=2))
    print(f"\nwrote {args.json}")
    return 0 if all(r["meets_target"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
