"""Benchmark at size: every page at 100k and 1M seizure events, against a naive baseline.

    .venv/bin/python bench/scale_bench.py [--sizes 100000 1000000] [--runs 7]
        [--scenario region|period] [--json bench/results/scale.json]
        [--import-timeout 900] [--workdir DIR --keep] [--no-baseline]

For each size N (N seizure events, N // 4 cases, demo generator seed 2016):

1. Demo data: `demo.generate_demo` alone (generation), then `ingest.pipeline.load_demo` into a
   fresh DuckDB file in a temporary folder (it generates again, then stores: the load alone is
   the difference). The seizures are also written to an N-row CSV (transit countries '|'-joined).
2. Pages, in a child process with CRIMJUST_DB set to that file, through the router as
   tests/conftest.py `run_page` does (AppTest.from_file("app.py"), run, switch_page, run). Times
   are `time.perf_counter()` around `AppTest.run()`: the server-side script run (app.py's frame
   and the page) plus AppTest's own handling of the messages, no browser.
   - Before anything is timed, every page is rendered once (Python imports, plotly templates,
     the store's connection in st.cache_resource): a server that has served one request.
   - First render (x --runs): `st.cache_data.clear()`, a new AppTest session renders Home (not
     timed), `st.cache_data.clear()` again, then the page is rendered (timed): app.py's frame
     and the page with every data cache empty. For Home the first run itself is timed.
   - Re-render after a filter change (x --runs, after the last first render): the sidebar's
     region multiselect `frame_region` (or with --scenario period, the period `frame_dates`) is
     set to a value not used before on that page and the app reruns (timed). Caches were
     cleared when the page's series began, so filter-dependent reads are all misses, while
     reads that do not depend on the filters (filter choices, freshness) are warm, as on a
     server already in use. Upload is rendered signed out, first render only.
   - Bytes sent to the browser per page: the plotly figure JSON (sum of the specs of the page's
     plotly_chart elements) and the Arrow bytes of its dataframes ('View data' tables
     included), the largest over all renders of the page.
   - Peak memory of that process (ru_maxrss of the child, from wait4): the app process.
3. The naive baseline, the way a typical Streamlit app does the same views: bench/naive_app.py
   (whole tables into pandas by @st.cache_data, so each rerun unpickles its own copy; a page
   selector, the period and the region multiselect in the sidebar; pandas filter and group-by;
   plotly express figures through st.plotly_chart; st.metric and st.dataframe), in another
   child process, through the SAME harness: AppTest, `time.perf_counter()` around
   `AppTest.run()`, each page selected once (not timed; the tables are already in its cache, as
   on a server in use), then the same filter values set on the same widget key, one timed run
   each. 'ratio' = its re-render p50 / the app's re-render p50, page by page (history and upload
   have no equivalent): the target.
   Lower bound, 'baseline without Streamlit' (a third child process): the same page functions
   of bench/naive_baseline.py timed as bare Python calls: a copy of the tables out of the pickled
   cache, pandas, the figures serialised to JSON, no script run, no widgets, no Streamlit
   messages (which the app's numbers include). 'bare ratio' = that p50 / the app's re-render p50;
   'nc ratio' = the same without the copy per rerun (frames shared; 3 runs).
4. `python -m crimjust_data import CSV --table seizures` into a fresh store, in a child
   process: wall time (interpreter start included; `--help` time shown beside it) and peak RSS.
Peak memory is each child's own VmHWM (the import runs through bench/peak_run.py to report it):
wait4's ru_maxrss would also count the memory this process had when it forked the child.

Targets (issue 7, at 1M events on a 2-core machine): re-render p50 < 150 ms and p95 < 300 ms
on every page; figure data < 1 MB per page; app peak memory < 1.5 GB; ratio naive Streamlit
app / ours >= 5 (the lower bound without Streamlit is judged too, for information); 1M-row CSV import < 8 s and < 2 GB; re-render p50 at the largest size / at the smallest
<= 2 (sizes 1M and 100k). p50 and p95 are linear-interpolation percentiles of the runs.
Prints a table per size and writes everything as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import itertools
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from crimjust_data.countries import CRIMJUST_REGIONS, REGIONS  # noqa: E402

HOME = "pages/home.py"
PAGES: tuple[str, ...] = (
    "pages/home.py",
    "pages/flows.py",
    "pages/timelines.py",
    "pages/justice.py",
    "pages/profile.py",
    "pages/history.py",
    "pages/export.py",
    "pages/upload.py",
)
FIRST_RENDER_ONLY = frozenset({"pages/upload.py"})  # signed out: the sign-in form only
SEED = 2016
NO_COPY_RUNS = 3  # the baseline's lower bound (frames shared, no copy per rerun) is run fewer times
MB = 1024 * 1024
TARGETS: dict[str, float] = {
    "rerender_p50_ms": 150.0,
    "rerender_p95_ms": 300.0,
    "figure_bytes": 1_000_000.0,
    "peak_rss_mb": 1536.0,
    "ratio": 5.0,
    "import_seconds": 8.0,
    "import_peak_rss_mb": 2048.0,
    "scaling": 2.0,
}


# ---------------------------------------------------------------------------------------------
# Small helpers


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def stats_ms(seconds: Sequence[float]) -> dict[str, Any]:
    """p50, p95, min and max in milliseconds, with every run."""
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"p50": None, "p95": None, "min": None, "max": None, "runs": []}
    return {
        "p50": statistics.median(ms),
        "p95": percentile(ms, 95),
        "min": min(ms),
        "max": max(ms),
        "runs": [round(value, 2) for value in ms],
    }


def filter_values(
    scenario: str, count: int, first: dt.date, last: dt.date
) -> list[list[str] | tuple[dt.date, dt.date]]:
    """`count` distinct values for the filter that changes between re-renders.

    region: non-empty region sets, those within the three CRIMJUST regions first (so a view is
    never empty), then the others; period: a start moved on by 30 days each time, to the end.
    Values repeat (cache hits) only past the 63 region sets or the span of the data.
    """
    if scenario == "region":
        subsets = [
            list(combo)
            for size in range(1, len(REGIONS) + 1)
            for combo in itertools.combinations(REGIONS, size)
        ]
        subsets.sort(key=lambda combo: (not set(combo) <= set(CRIMJUST_REGIONS), len(combo)))
        values: list[Any] = subsets
    else:
        values = []
        for k in range(1, 1000):
            start = first + dt.timedelta(days=30 * k)
            if start >= last:
                break
            values.append((start, last))
    return [values[i % len(values)] for i in range(count)]


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def vm_hwm_mb() -> float | None:
    """This process's peak resident memory (VmHWM), in MB, where /proc has it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# Child process 1: the pages through AppTest


class PageFailed(RuntimeError):
    """A page raised (or showed an exception) while being measured."""


def _timed_run(app: Any) -> float:
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        messages = "; ".join(str(getattr(e, "value", e))[:300] for e in app.exception)
        raise PageFailed(messages)
    return elapsed


def _rerenders(
    app: Any, scenario: str, values: Sequence[Any]
) -> tuple[list[float], tuple[int, int, int]]:
    """Re-render times after each filter change, and the largest payload sizes drawn."""
    times: list[float] = []
    largest = (0, 0, 0)
    for value in values:
        _set_filter(app, scenario, value)
        times.append(_timed_run(app))
        largest = tuple(map(max, largest, _payload_bytes(app)))  # type: ignore[assignment]
    return times, largest


def _payload_bytes(app: Any) -> tuple[int, int, int]:
    """(figure JSON bytes, dataframe Arrow bytes, number of charts) of what the run drew."""
    charts = app.get("plotly_chart")
    figures = sum(len(chart.proto.spec.encode("utf-8")) for chart in charts)
    frames = 0
    for table in app.dataframe:
        proto = table.proto
        frames += len(proto.arrow_data.data)
        if proto.HasField("lazy_data"):
            frames += len(proto.lazy_data.initial_chunk.data)
    return figures, frames, len(charts)


def _set_filter(app: Any, scenario: str, value: Any) -> None:
    if scenario == "region":
        app.multiselect(key="frame_region").set_value(list(value))
    else:
        app.date_input(key="frame_dates").set_value(tuple(value))


def child_pages(db: Path, runs: int, scenario: str, timeout: float, pages: Sequence[str]) -> dict:
    """Measure every page (see the module docstring); never raises for one page."""
    os.environ["CRIMJUST_DB"] = str(db)
    os.chdir(ROOT)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from crimjust_data import view_state
    from crimjust_data.store import open_store

    choices = view_state.filter_choices(open_store(db))
    values = filter_values(scenario, runs, choices.first_date, choices.last_date)

    def new_app() -> Any:
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)

    # Warm the process: imports, plotly, the store's connection; every page once.
    warm: dict[str, Any] = {}
    started = time.perf_counter()
    app = new_app()
    try:
        warm["first_run_in_process_ms"] = _timed_run(app) * 1000
        for page in pages:
            if page != HOME:
                app.switch_page(page)
                try:
                    _timed_run(app)
                except Exception as exc:  # reported again when the page is measured
                    warm.setdefault("errors", {})[page] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        warm["error"] = f"{type(exc).__name__}: {exc}"
    warm["seconds"] = time.perf_counter() - started
    del app

    results: dict[str, Any] = {}
    for page in pages:
        first: list[float] = []
        rerender: list[float] = []
        figure_bytes = frame_bytes = charts = 0
        error = None
        try:
            app = None
            for _ in range(runs):
                app = None
                gc.collect()
                st.cache_data.clear()
                app = new_app()
                if page == HOME:
                    first.append(_timed_run(app))
                else:
                    _timed_run(app)  # the session opens on Home (not timed)
                    st.cache_data.clear()
                    app.switch_page(page)
                    first.append(_timed_run(app))
                sizes = _payload_bytes(app)
                figure_bytes, frame_bytes = max(figure_bytes, sizes[0]), max(frame_bytes, sizes[1])
                charts = max(charts, sizes[2])
            if page not in FIRST_RENDER_ONLY and app is not None:
                rerender, sizes = _rerenders(app, scenario, values)
                figure_bytes, frame_bytes = max(figure_bytes, sizes[0]), max(frame_bytes, sizes[1])
                charts = max(charts, sizes[2])
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        results[page] = {
            "first": stats_ms(first),
            "rerender": stats_ms(rerender) if page not in FIRST_RENDER_ONLY else None,
            "figure_bytes": figure_bytes,
            "dataframe_bytes": frame_bytes,
            "charts": charts,
            "error": error,
        }
        print(f"  {page}: done", file=sys.stderr, flush=True)
    return {
        "scenario": scenario,
        "values": [v if isinstance(v, list) else [str(d) for d in v] for v in values],
        "warm_up": warm,
        "pages": results,
        "vm_hwm_mb": vm_hwm_mb(),
    }


# ---------------------------------------------------------------------------------------------
# Child process 2: the naive baseline as a Streamlit app, through the same AppTest harness


def child_naive_app(db: Path, runs: int, scenario: str, timeout: float) -> dict:
    """bench/naive_app.py: each page selected once (not timed), then re-rendered after the same
    filter changes as ours, timed the same way (`AppTest.run()`). Its whole tables stay in its
    st.cache_data from the first run on, as on a server already in use."""
    os.environ["CRIMJUST_DB"] = str(db)
    os.chdir(ROOT)
    import naive_baseline as naive
    from streamlit.testing.v1 import AppTest

    from crimjust_data import view_state
    from crimjust_data.store import open_store

    choices = view_state.filter_choices(open_store(db))
    values = filter_values(scenario, runs, choices.first_date, choices.last_date)
    app = AppTest.from_file(str(BENCH / "naive_app.py"), default_timeout=timeout)
    load_seconds = _timed_run(app)  # reads the whole tables into its cache
    results: dict[str, Any] = {}
    for page in naive.PAGES:
        rerender: list[float] = []
        figure_bytes = frame_bytes = 0
        error = None
        try:
            app.selectbox(key="naive_page").set_value(page)
            _timed_run(app)  # warm: plotly express, templates
            rerender, (figure_bytes, frame_bytes, _charts) = _rerenders(app, scenario, values)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        results[page] = {
            "rerender": stats_ms(rerender),
            "figure_bytes": figure_bytes,
            "dataframe_bytes": frame_bytes,
            "error": error,
        }
        print(f"  naive app {page}: done", file=sys.stderr, flush=True)
    return {"first_run_ms": load_seconds * 1000, "pages": results, "vm_hwm_mb": vm_hwm_mb()}


# ---------------------------------------------------------------------------------------------
# Child process 3: the naive baseline's functions alone, without Streamlit (a lower bound)


def child_baseline(db: Path, runs: int, scenario: str) -> dict:
    import naive_baseline as naive
    import pandas as pd

    from crimjust_data import view_state
    from crimjust_data.store import open_store

    store = open_store(db)
    choices = view_state.filter_choices(store)
    values = filter_values(scenario, runs, choices.first_date, choices.last_date)

    def view(value: Any) -> naive.View:
        if scenario == "region":
            return naive.View(regions=tuple(value))
        return naive.View(date_from=pd.Timestamp(value[0]), date_to=pd.Timestamp(value[1]))

    frames = naive.load(store)
    copies = []
    for _ in range(NO_COPY_RUNS):  # what the copy out of the cache alone costs
        started = time.perf_counter()
        frames.get(copy=True)
        copies.append(time.perf_counter() - started)
    results: dict[str, Any] = {}
    for page in naive.PAGES:
        try:
            naive.rerun(frames, page, naive.View())  # warm: plotly express, templates
            copied, shared, sizes = [], [], []
            for value in values:
                seconds, size = naive.rerun(frames, page, view(value))
                copied.append(seconds)
                sizes.append(size)
            for value in values[:NO_COPY_RUNS]:
                shared.append(naive.rerun(frames, page, view(value), copy=False)[0])
            results[page] = {
                "rerender": stats_ms(copied),
                "rerender_no_copy": stats_ms(shared),
                "figure_bytes": max(sizes),
                "error": None,
            }
        except Exception as exc:
            traceback.print_exc()
            results[page] = {"error": f"{type(exc).__name__}: {exc}"}
    return {
        "load_seconds": frames.load_seconds,
        "copy": stats_ms(copies),
        "rows": frames.rows,
        "pages": results,
        "vm_hwm_mb": vm_hwm_mb(),
    }


# ---------------------------------------------------------------------------------------------
# The parent: stores, child processes, import, tables


@dataclass
class Measured:
    """A finished child process: exit code, wall time, peak RSS (from wait4) and its output."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


def run_measured(command: Sequence[str], env: dict[str, str], timeout: float) -> Measured:
    """Run `command` and wait for it with wait4, for its own peak RSS (not the parent's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            process.send_signal(signal.SIGKILL)

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            process.returncode,
            seconds,
            usage.ru_maxrss / 1024,  # KB on Linux
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            timed_out.is_set(),
        )


def _child(kind: str, db: Path, args: argparse.Namespace, out: Path) -> tuple[dict, Measured]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--db",
        str(db),
        "--runs",
        str(args.runs),
        "--scenario",
        args.scenario,
        "--timeout",
        str(args.timeout),
        "--out",
        str(out),
        "--pages",
        *args.pages,
    ]
    measured = run_measured(command, dict(os.environ), args.child_timeout)
    if measured.returncode != 0 or not out.exists():
        why = "timed out" if measured.timed_out else f"exit code {measured.returncode}"
        tail = "\n".join(measured.stderr.strip().splitlines()[-15:])
        print(f"  {kind} process failed ({why}):\n{tail}", file=sys.stderr)
        return {"error": f"{kind} process failed ({why}): {tail[-500:]}"}, measured
    return json.loads(out.read_text()), measured


def build_store(size: int, folder: Path) -> tuple[dict[str, Any], Path, Path]:
    """Generate the demo data, load it into a fresh DuckDB file, write the seizures as CSV."""
    from crimjust_data.demo import generate_demo
    from crimjust_data.ingest.pipeline import load_demo
    from crimjust_data.store import open_store

    cases = size // 4
    info: dict[str, Any] = {"seizures": size, "cases": cases}
    started = time.perf_counter()
    data = generate_demo(seed=SEED, seizures=size, cases=cases)
    info["demo_generation_s"] = time.perf_counter() - started

    db = folder / "store.duckdb"
    started = time.perf_counter()
    load_demo(open_store(db), seed=SEED, seizures=size, cases=cases)
    info["load_demo_s"] = time.perf_counter() - started  # generation + storing
    info["store_load_s"] = info["load_demo_s"] - info["demo_generation_s"]
    info["store_file_mb"] = db.stat().st_size / MB

    csv = folder / f"seizures_{size}.csv"
    started = time.perf_counter()
    frame = data.seizures.copy()
    frame["transit_iso3"] = [
        "|".join(route) if route is not None and len(route) else ""
        for route in frame["transit_iso3"]
    ]
    frame.to_csv(csv, index=False)
    info["csv_write_s"] = time.perf_counter() - started
    info["csv_mb"] = csv.stat().st_size / MB
    info["csv_rows"] = len(frame)
    del data, frame
    gc.collect()
    return info, db, csv


IMPORT_RUNS = 3


def measure_imports(csv: Path, folder: Path, timeout: float) -> dict[str, Any]:
    """The import IMPORT_RUNS times, each into a fresh store: the run of median time, with every
    run's seconds and the highest peak. The CSV was just written: it is flushed to disk first,
    so the kernel's writeback of it is not counted as the import's time."""
    os.sync()
    runs = []
    for _ in range(IMPORT_RUNS):
        for leftover in folder.glob("import.duckdb*"):
            leftover.unlink()
        runs.append(measure_import(csv, folder, timeout))
        if not runs[-1]["ok"]:
            return runs[-1]
    middle = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]
    return {
        **middle,
        "runs_seconds": [run["seconds"] for run in runs],
        "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
    }


def measure_import(csv: Path, folder: Path, timeout: float) -> dict[str, Any]:
    """`python -m crimjust_data import CSV --table seizures` into a fresh store."""
    target = folder / "import.duckdb"
    env = {**os.environ, "CRIMJUST_DB": str(target), "CRIMJUST_USER": "scale-bench"}
    startup = run_measured([sys.executable, "-m", "crimjust_data", "--help"], env, timeout)
    peak_file = folder / "import_peak.txt"
    env["CRIMJUST_BENCH_PEAK_FILE"] = str(peak_file)  # read by bench/peak_run.py
    command = [
        sys.executable,
        str(BENCH / "peak_run.py"),
        "crimjust_data",
        "import",
        str(csv),
        "--table",
        "seizures",
        "--format",
        "json",
    ]
    measured = run_measured(command, env, timeout)
    outcome: dict[str, Any] = {}
    with contextlib.suppress(json.JSONDecodeError):
        outcome = json.loads(measured.stdout)
    ok = measured.returncode == 0 and bool(outcome.get("ok"))
    return {
        "ok": ok,
        "rows": outcome.get("rows"),
        "seconds": measured.seconds,
        "peak_rss_mb": float(peak_file.read_text()) if peak_file.exists() else measured.peak_rss_mb,
        "cli_startup_s": startup.seconds,
        "timed_out": measured.timed_out,
        "error": None
        if ok
        else "stopped by --import-timeout"
        if measured.timed_out
        else (
            f"exit code {measured.returncode}: "
            + json.dumps(outcome.get("errors", [])[:3])
            + measured.stderr.strip()[-300:]
        ),
    }


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else "met" if ok else "MISSED"


def _fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def page_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per page with its numbers and its per-page verdicts."""
    rows = []
    pages = result.get("pages", {}).get("pages", {})
    baseline = result.get("baseline", {}).get("pages", {})
    naive_app = result.get("naive_app", {}).get("pages", {})
    for page in result["page_list"]:
        ours = pages.get(page, {"error": result.get("pages", {}).get("error", "not measured")})
        base = baseline.get(page)
        rerender = ours.get("rerender") or {}
        first = ours.get("first") or {}
        p50, p95 = rerender.get("p50"), rerender.get("p95")
        base_p50 = (base or {}).get("rerender", {}).get("p50") if base else None
        base_no_copy = (base or {}).get("rerender_no_copy", {}).get("p50") if base else None
        naive = naive_app.get(page) or {}
        naive_p50 = (naive.get("rerender") or {}).get("p50")
        naive_p95 = (naive.get("rerender") or {}).get("p95")
        ratio = naive_p50 / p50 if naive_p50 and p50 else None
        bare_ratio = base_p50 / p50 if base_p50 and p50 else None
        ratio_no_copy = base_no_copy / p50 if base_no_copy and p50 else None
        figure = ours.get("figure_bytes")
        failed = ours.get("error")
        rows.append(
            {
                "page": page,
                "first_p50_ms": first.get("p50"),
                "first_p95_ms": first.get("p95"),
                "rerender_p50_ms": p50,
                "rerender_p95_ms": p95,
                "figure_bytes": figure,
                "dataframe_bytes": ours.get("dataframe_bytes"),
                "naive_app_p50_ms": naive_p50,
                "naive_app_p95_ms": naive_p95,
                "naive_app_figure_bytes": naive.get("figure_bytes"),
                "naive_app_error": naive.get("error"),
                "baseline_p50_ms": base_p50,
                "baseline_no_copy_p50_ms": base_no_copy,
                "baseline_figure_bytes": (base or {}).get("figure_bytes"),
                "ratio": ratio,  # the naive Streamlit app / ours, same harness: the target
                "ratio_without_streamlit": bare_ratio,  # lower bound: baseline without Streamlit
                "ratio_no_copy": ratio_no_copy,  # ... and without the copy out of the cache
                "error": failed,
                "meets": {
                    "rerender_p50": None
                    if p50 is None
                    else (p50 < TARGETS["rerender_p50_ms"] and not failed),
                    "rerender_p95": None
                    if p95 is None
                    else (p95 < TARGETS["rerender_p95_ms"] and not failed),
                    "figure": None
                    if failed
                    else figure is not None and figure < TARGETS["figure_bytes"],
                    "ratio": None if ratio is None else ratio >= TARGETS["ratio"],
                    "ratio_without_streamlit": None
                    if bare_ratio is None
                    else bare_ratio >= TARGETS["ratio"],
                },
            }
        )
    return rows


def print_size(result: dict[str, Any]) -> None:
    info = result["store"]
    print(
        f"\n== {info['seizures']:,} seizure events, {info['cases']:,} cases "
        f"(scenario: {result['scenario']} changes, {result['runs']} runs) =="
    )
    print(
        f"demo generation {info['demo_generation_s']:.1f} s; load_demo {info['load_demo_s']:.1f} s "
        f"(storing alone ~{info['store_load_s']:.1f} s); store file {info['store_file_mb']:.0f} MB; "
        f"CSV {info['csv_rows']:,} rows, {info['csv_mb']:.0f} MB written in {info['csv_write_s']:.1f} s"
    )
    header = (
        f"{'page':<10} {'first p50':>9} {'first p95':>9} {'re p50':>7} {'re p95':>7} "
        f"{'fig KB':>7} {'df KB':>7} {'naive p50':>9} {'ratio':>6} {'bare p50':>8} "
        f"{'bare ratio':>10} {'nc ratio':>8} "
        f"{'p50<150':>7} {'p95<300':>7} {'fig<1MB':>7} {'ratio>=5':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in result["rows"]:
        name = Path(row["page"]).stem
        meets = row["meets"]
        figure = row["figure_bytes"]
        frames = row["dataframe_bytes"]
        print(
            f"{name:<10} {_fmt(row['first_p50_ms']):>9} {_fmt(row['first_p95_ms']):>9} "
            f"{_fmt(row['rerender_p50_ms']):>7} {_fmt(row['rerender_p95_ms']):>7} "
            f"{_fmt(None if figure is None else figure / 1024, 1):>7} "
            f"{_fmt(None if frames is None else frames / 1024, 1):>7} "
            f"{_fmt(row['naive_app_p50_ms']):>9} {_fmt(row['ratio'], 1):>6} "
            f"{_fmt(row['baseline_p50_ms']):>8} {_fmt(row['ratio_without_streamlit'], 1):>10} "
            f"{_fmt(row['ratio_no_copy'], 1):>8} "
            f"{verdict(meets['rerender_p50']):>7} {verdict(meets['rerender_p95']):>7} "
            f"{verdict(meets['figure']):>7} {verdict(meets['ratio']):>8}"
        )
        if row["error"]:
            print(f"{'':<10} ERROR: {row['error'][:200]}")
        if row["naive_app_error"]:
            print(f"{'':<10} NAIVE APP ERROR: {row['naive_app_error'][:200]}")
    print(
        "(times in ms; naive p50: bench/naive_app.py's re-render, a Streamlit app measured like "
        "ours; ratio = naive p50 / re p50, the target. Lower bound, baseline without Streamlit: "
        "bare p50 = bench/naive_baseline.py's functions timed alone (a copy out of the cache, "
        "pandas, figures to JSON), bare ratio = bare p50 / re p50; nc ratio: the same without "
        "the copy)"
    )
    memory = result.get("app_peak_rss_mb")
    if memory is not None:
        print(
            f"app process peak RSS {memory:,.0f} MB (target < {TARGETS['peak_rss_mb']:,.0f} MB: "
            f"{verdict(memory < TARGETS['peak_rss_mb'])}); pages measured in {result['pages_seconds']:.0f} s"
        )
    naive_app = result.get("naive_app", {})
    if "first_run_ms" in naive_app:
        print(
            f"naive baseline app: first run (whole tables into its cache) "
            f"{naive_app['first_run_ms'] / 1000:.1f} s, its process peak RSS "
            f"{result['naive_app_peak_rss_mb']:,.0f} MB"
        )
    elif naive_app.get("error"):
        print(f"naive baseline app FAILED: {naive_app['error'][:300]}")
    base = result.get("baseline", {})
    if "load_seconds" in base:
        print(
            f"naive baseline: whole tables into pandas in {base['load_seconds']:.1f} s, "
            f"a copy out of the cache {base['copy']['p50']:,.0f} ms per rerun, "
            f"its process peak RSS {result['baseline_peak_rss_mb']:,.0f} MB"
        )
    imported = result["import"]
    if imported["ok"]:
        print(
            f"CSV import ({info['csv_rows']:,} rows): {imported['seconds']:.1f} s, the median "
            f"of {', '.join(f'{s:.1f}' for s in imported['runs_seconds'])} s "
            f"(CLI start alone {imported['cli_startup_s']:.1f} s), peak RSS "
            f"{imported['peak_rss_mb']:,.0f} MB (targets < {TARGETS['import_seconds']:.0f} s: "
            f"{verdict(imported['seconds'] < TARGETS['import_seconds'])}, < "
            f"{TARGETS['import_peak_rss_mb']:,.0f} MB: "
            f"{verdict(imported['peak_rss_mb'] < TARGETS['import_peak_rss_mb'])})"
        )
    elif imported["timed_out"]:
        print(
            f"CSV import ({info['csv_rows']:,} rows): stopped after {imported['seconds']:.0f} s "
            f"(--import-timeout), peak RSS by then {imported['peak_rss_mb']:,.0f} MB: MISSED"
        )
    else:
        print(f"CSV import FAILED after {imported['seconds']:.1f} s: {imported['error']}")
    print(f"load average before/after: {result['load_before']} / {result['load_after']}")


def scaling(results: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Re-render p50 at the largest size over that at the smallest, per page."""
    if len(results) < 2:
        return None
    small, large = results[0], results[-1]
    by_page = {row["page"]: row for row in small["rows"]}
    rows = []
    for row in large["rows"]:
        before = by_page.get(row["page"], {}).get("rerender_p50_ms")
        after = row["rerender_p50_ms"]
        ratio = after / before if before and after else None
        rows.append(
            {
                "page": row["page"],
                "small_p50_ms": before,
                "large_p50_ms": after,
                "ratio": ratio,
                "meets": None if ratio is None else ratio <= TARGETS["scaling"],
            }
        )
    return {"small": small["store"]["seizures"], "large": large["store"]["seizures"], "rows": rows}


def print_scaling(table: dict[str, Any]) -> None:
    small, large = table["small"], table["large"]
    print(f"\n== Re-render p50 at {large:,} / at {small:,} events (target <= 2 for 1M / 100k) ==")
    print(f"{'page':<10} {f'{small:,}':>10} {f'{large:,}':>10} {'ratio':>6}  target")
    for row in table["rows"]:
        print(
            f"{Path(row['page']).stem:<10} {_fmt(row['small_p50_ms']):>10} "
            f"{_fmt(row['large_p50_ms']):>10} {_fmt(row['ratio'], 2):>6}  {verdict(row['meets'])}"
        )


def summary(results: list[dict[str, Any]], table: dict[str, Any] | None) -> dict[str, Any]:
    """Every target at the largest size measured: met or missed, and where."""
    last = results[-1]
    rows = last["rows"]

    def missed(key: str) -> list[str]:
        return [Path(r["page"]).stem for r in rows if r["meets"][key] is False]

    def judged(key: str) -> bool:
        return any(r["meets"][key] is not None for r in rows)

    errors = [Path(r["page"]).stem for r in rows if r["error"]]
    imported = last["import"]
    memory = last.get("app_peak_rss_mb")
    out: dict[str, Any] = {"size": last["store"]["seizures"]}
    for key, label in (
        ("rerender_p50", "re-render p50 < 150 ms on every page"),
        ("rerender_p95", "re-render p95 < 300 ms on every page"),
        ("figure", "figure data < 1 MB per page"),
        ("ratio", "naive Streamlit app / ours >= 5"),
        ("ratio_without_streamlit", "(lower bound: baseline without Streamlit) / ours >= 5"),
    ):
        met = (not missed(key) and not errors) if judged(key) else None
        out[label] = {"met": met, "missed": missed(key)}
    out["app peak memory < 1.5 GB"] = {
        "met": memory is not None and memory < TARGETS["peak_rss_mb"],
        "value_mb": memory,
    }
    out["CSV import < 8 s"] = {
        "met": imported["ok"] and imported["seconds"] < TARGETS["import_seconds"],
        "value_s": imported["seconds"],
        "note": "stopped by --import-timeout" if imported["timed_out"] else None,
    }
    out["CSV import peak < 2 GB"] = {
        "met": imported["ok"] and imported["peak_rss_mb"] < TARGETS["import_peak_rss_mb"],
        "value_mb": imported["peak_rss_mb"],
    }
    if table:
        missed_scaling = [Path(r["page"]).stem for r in table["rows"] if r["meets"] is False]
        out[f"re-render time({table['large']:,}) / time({table['small']:,}) <= 2"] = {
            "met": not missed_scaling and any(r["meets"] is not None for r in table["rows"]),
            "missed": missed_scaling,
        }
    out["pages that raised"] = errors
    return out


def print_summary(table: dict[str, Any]) -> None:
    print(f"\n== Targets at {table['size']:,} events ==")
    for label, value in table.items():
        if label in ("size", "pages that raised"):
            continue
        extra = ""
        if value.get("missed"):
            extra = " (missed on: " + ", ".join(value["missed"]) + ")"
        if value.get("value_mb") is not None:
            extra = f" ({value['value_mb']:,.0f} MB)"
        if value.get("value_s") is not None:
            extra = f" ({value['value_s']:,.1f} s)"
        if value.get("note"):
            extra += f" ({value['note']})"
        print(f"  {label:<48} {verdict(value['met'])}{extra}")
    if table["pages that raised"]:
        print("  pages that raised: " + ", ".join(table["pages that raised"]))


def measure_size(size: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    folder = workdir / f"n{size}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    result: dict[str, Any] = {
        "runs": args.runs,
        "scenario": args.scenario,
        "page_list": list(args.pages),
        "load_before": load_average(),
    }
    print(f"\n[{size:,}] generating and loading demo data...", file=sys.stderr, flush=True)
    result["store"], db, csv = build_store(size, folder)

    print(f"[{size:,}] pages...", file=sys.stderr, flush=True)
    pages, measured = _child("pages", db, args, folder / "pages.json")
    result["pages"] = pages
    # The child's own VmHWM: wait4's ru_maxrss also counts the memory this (large, after making
    # the demo data) process had when it forked the child, which Linux carries across exec.
    result["app_peak_rss_mb"] = pages.get("vm_hwm_mb") or measured.peak_rss_mb
    result["pages_seconds"] = measured.seconds

    if args.no_baseline:
        result["baseline"] = result["naive_app"] = {}
    else:
        print(f"[{size:,}] naive baseline app...", file=sys.stderr, flush=True)
        naive_app, measured = _child("naive_app", db, args, folder / "naive_app.json")
        result["naive_app"] = naive_app
        result["naive_app_peak_rss_mb"] = naive_app.get("vm_hwm_mb") or measured.peak_rss_mb
        print(f"[{size:,}] naive baseline without Streamlit...", file=sys.stderr, flush=True)
        baseline, measured = _child("baseline", db, args, folder / "baseline.json")
        result["baseline"] = baseline
        result["baseline_peak_rss_mb"] = baseline.get("vm_hwm_mb") or measured.peak_rss_mb

    print(f"[{size:,}] CSV import...", file=sys.stderr, flush=True)
    result["import"] = measure_imports(csv, folder, args.import_timeout)
    result["load_after"] = load_average()
    result["rows"] = page_rows(result)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scenario", choices=("region", "period"), default="region")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), help="pages/*.py to measure")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per AppTest run")
    parser.add_argument("--child-timeout", type=float, default=3600, help="seconds per process")
    parser.add_argument(
        "--import-timeout", type=float, default=900, help="seconds before the CSV import is stopped"
    )
    parser.add_argument("--workdir", type=Path, help="where stores go (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the stores and CSV files")
    parser.add_argument("--no-baseline", action="store_true")
    # internal: the child processes
    parser.add_argument(
        "--child", choices=("pages", "naive_app", "baseline"), help=argparse.SUPPRESS
    )
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    if args.child:
        if args.child == "pages":
            data = child_pages(args.db, args.runs, args.scenario, args.timeout, args.pages)
        elif args.child == "naive_app":
            data = child_naive_app(args.db, args.runs, args.scenario, args.timeout)
        else:
            data = child_baseline(args.db, args.runs, args.scenario)
        args.out.write_text(json.dumps(data, indent=1, default=str))
        return 0

    started = time.perf_counter()
    own_folder = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="crimjust_scale_")) if own_folder else args.workdir
    results: list[dict[str, Any]] = []
    try:
        for size in sorted(args.sizes):
            result = measure_size(size, args, workdir)
            print_size(result)
            results.append(result)
    finally:
        if own_folder and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    table = scaling(results)
    if table:
        print_scaling(table)
    targets = summary(results, table) if results else {}
    if targets:
        print_summary(targets)
    wall = time.perf_counter() - started
    print(f"\nwall time {wall / 60:.1f} min")
    report = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "targets": TARGETS,
        "sizes": results,
        "scaling": table,
        "summary": targets,
        "wall_seconds": wall,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, default=str))
    print(f"written {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
