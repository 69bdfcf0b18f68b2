"""Felt speed: what a person waits for in the browser, page by page, against two floors.

    .venv/bin/python bench/browser_bench.py [--size 1000000] [--loads 5] [--db STORE]
        [--pages / /flows ...] [--json bench/results/browser.json] [--profile] [--skip-floors]
        [--app-root DIR]

Three Streamlit servers run side by side on this machine, each `streamlit run` with the
project's .streamlit/config.toml: the dashboard (app.py) on a DuckDB store of --size seizure
events and --size // 4 cases (demo generator, seed 2016, built as bench/scale_bench.py builds
it, or --db), bench/naive_app.py on the same store (its home page), and bench/minimal_app.py
(one plotly chart, no data). Debian's chromium (headless, through Playwright) measures:

- First load (x --loads): a new browser context (an empty HTTP cache, a first visit) opens the
  page's path; from navigation start to every chart drawn. Return load (x --loads): the same
  in a context that has opened the page once (its HTTP cache holds Streamlit's scripts).
- Filter change (7 per page): on a loaded page, the sidebar's Region control (key
  `frame_region`) goes through the seven other subsets of its first three options in Gray-code
  order, one option added (typed, then its line in the list clicked) or removed (the cross on
  its tag clicked) at a time, so that every change asks for a view the server has not drawn
  yet; from that click (the event's own timestamp) to every chart drawn.

'Every chart drawn': the server has sent the run's messages over the websocket (at least one
after the input, none for QUIET_MS), the app's script-state is notRunning and connected,
nothing is stale or a skeleton, every plotly chart has its svg, and neither the main area nor
the sidebar has changed for QUIET_MS. The time taken ('drawn', the target's measure) is the
latest of: the run's last message, plotly.js's last 'plotly_afterplot' event (a chart drawn),
and the last change on the page outside the charts. 'still' is the last change of any kind,
plotly's own animations included (a Sankey fades its links in over a fixed 500 ms after it is
drawn): it is printed beside it. Times come from
the page's own clock (performance.now()), read after the fact, so polling adds nothing.

The split of each measure (milliseconds, from the page's clock):
- `to_run`: input (or navigation start) to the run's first message (for a fresh load: HTML,
  the JS bundles, the websocket; `html` and `websocket` are shown);
- `run`: the run's first message to its last (the server computes and sends its elements as
  it goes, and the browser draws them as they come);
- `after_run`: last message to the end of the measure (drawing what came last);
- `busy`: the browser's main thread busy in long tasks (over 50 ms each) in the interval;
- `ws_kb`: kilobytes that came over the websocket in the interval.
With --profile, one more fresh load and filter change per page run under Chrome's sampling
CPU profiler, and the JavaScript self time is summed by script file (plotly is its own chunk).

Medians (and max) are printed as a table and written as JSON with every run.
Targets (issue 20, 1M events, 2-core machine): filter change median <= 0.5 s on every page and
>= 3x faster than the naive app's; fresh load median <= 1.5 s on every page, or <= 0.5 s above
the minimal app's when the minimal app's own median is over 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
# The browser the browser tests drive, with the same flags; a free port as they find one.
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port  # noqa: E402

VIEWPORT = {"width": 1440, "height": 900}
PAGES = ("/", "/flows", "/timelines", "/justice", "/profile")
QUIET_MS = 600
TIMEOUT_S = 90
# Gray code over the first three options: each step adds or removes one, every subset once.
GRAY_STEPS = (0, 1, 0, 2, 0, 1, 2)

# Installed before any of the page's own scripts: times of DOM changes, of the app's script
# websocket messages and long tasks, all on the page's clock.
PROBE = """(() => {
  const B = (window.__bench = {
    lastChange: 0, lastOutside: 0, plots: [], ws: [], wsOpen: null, longTasks: [], input: null, armed: false,
  });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { B.wsOpen = performance.now(); });
      this.addEventListener('message', (event) => {
        const data = event.data;
        B.ws.push([performance.now(), data.byteLength ?? data.size ?? data.length ?? 0]);
      });
    }
  };
  const arm = (event) => { if (B.armed) { B.input = event.timeStamp; B.armed = false; } };
  window.addEventListener('pointerdown', arm, true);
  // plotly.js emits 'plotly_afterplot' when a chart is drawn: its graph div's `emit` is set by
  // plotly (Events.init), so a setter on the prototype wraps each one as it is set.
  Object.defineProperty(HTMLElement.prototype, 'emit', {
    configurable: true,
    set(emit) {
      Object.defineProperty(this, 'emit', {
        configurable: true, writable: true,
        value: (event, data) => {
          if (event === 'plotly_afterplot') B.plots.push(performance.now());
          return emit.call(this, event, data);
        },
      });
    },
  });
  const watched = (node) => {
    const element = node.nodeType === 1 ? node : node.parentElement;
    return !!element && !!element.closest(
      "[data-testid='stMain'], [data-testid='stSidebar']");
  };
  const inChart = (node) => {
    const element = node.nodeType === 1 ? node : node.parentElement;
    return !!element && !!element.closest('.js-plotly-plot');
  };
  new MutationObserver((records) => {
    const now = performance.now();
    const seen = records.filter((record) => watched(record.target));
    if (seen.length) B.lastChange = now;
    if (seen.some((record) => !inChart(record.target))) B.lastOutside = now;
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) B.longTasks.push([entry.startTime, entry.duration]);
  }).observe({type: 'longtask', buffered: true});
})()"""

# The run is seen on the websocket: the server's messages for it, from the first after the
# input to the last (the app's script-state attribute is not enough: React may never show a
# short run's 'running').
SETTLED = """([since, quiet]) => {
  const B = window.__bench, now = performance.now();
  const app = document.querySelector("[data-testid='stApp']");
  const messages = B.ws.filter(([t]) => t >= since);
  return messages.length > 0 && !!app && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED'
    && !!document.querySelector("[data-testid='stMain'] [data-testid='stElementContainer']")
    && !document.querySelector("[data-testid='stElementContainer'][data-stale='true']")
    && !document.querySelector("[data-testid='stSkeleton']")
    && [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(
      (chart) => !!chart.querySelector('.main-svg'))
    && now - B.lastChange >= quiet && now - messages[messages.length - 1][0] >= quiet
}"""

# What the page looked like once settled, and the split of the interval from `since`.
READOUT = """(since) => {
  const B = window.__bench;
  const messages = B.ws.filter(([t]) => t >= since);
  const runStart = messages[0][0], runEnd = messages[messages.length - 1][0];
  const plots = B.plots.filter((t) => t >= since);
  // drawn: the last message, plotly's last 'afterplot' and the last change outside the charts;
  // still: the last change of any kind (plotly's own animations included, such as the 500 ms
  // fade-in of a Sankey's links)
  const end = Math.max(runEnd, B.lastOutside, ...plots);
  const still = Math.max(runEnd, B.lastChange);
  const busy = B.longTasks.filter(([t, d]) => t + d > since && t < end)
    .reduce((sum, [t, d]) => sum + Math.min(t + d, end) - Math.max(t, since), 0);
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    total: end - since, still: still - since, plots: plots.length,
    to_run: runStart - since, run: runEnd - runStart,
    after_run: end - runEnd, busy,
    ws_kb: messages.reduce((sum, [, bytes]) => sum + bytes, 0) / 1024,
    messages: messages.length,
    html: nav ? nav.responseEnd : null, websocket: B.wsOpen,
    charts: document.querySelectorAll("[data-testid='stPlotlyChart']").length,
    tables: document.querySelectorAll("[data-testid='stDataFrame'], [data-testid='stTable']").length,
  };
}"""

SPLIT = ("to_run", "run", "after_run", "busy", "ws_kb")


@dataclass
class Server:
    name: str
    script: str
    process: subprocess.Popen
    url: str


def start_server(
    name: str, script: str, env: dict[str, str], log: Path, root: Path = ROOT
) -> Server:
    """`streamlit run script` from the `root` checkout (its .streamlit/config.toml applies),
    file watcher off as when deployed."""
    port = _free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "streamlit", "run", str(root / script)),
                *("--server.port", str(port), "--server.address", "127.0.0.1"),
                *("--server.fileWatcherType", "none"),
            ],
            cwd=root,
            env={**os.environ, **env},
            stdout=output,
            stderr=output,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200:
                return Server(name, script, process, url)
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{name} did not start within 60 s (see {log})")


def build_store(size: int, folder: Path) -> Path:
    sys.path.insert(0, str(BENCH))
    import scale_bench  # the same store as the server-side benchmark

    info, db, csv = scale_bench.build_store(size, folder)
    csv.unlink()
    print(f"store: {size:,} events, {info['cases']:,} cases, {info['store_file_mb']:.0f} MB")
    return db


def wait_settled(page: Any, since: float) -> dict[str, Any]:
    page.wait_for_function(SETTLED, arg=[since, QUIET_MS], timeout=TIMEOUT_S * 1000, polling=100)
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError(f"an exception box on {page.url}")
    return page.evaluate(READOUT, since)


def open_page(context: Any, url: str) -> tuple[Any, dict[str, Any]]:
    """A new page of `context` opening `url`, once every chart is drawn, and its measure."""
    page = context.new_page()
    page.add_init_script(PROBE)
    page.goto(url)
    return page, wait_settled(page, 0.0)


def load_once(browser: Any, url: str) -> dict[str, Any]:
    """`url` in a new context: an empty HTTP cache, as a first visit."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        return open_page(context, url)[1]
    finally:
        context.close()


def region_options(page: Any) -> list[str]:
    """The Region control's first three options, as its list shows them."""
    page.locator(".st-key-frame_region input").click()
    page.keyboard.press("ArrowDown")
    page.locator("[role='option']").first.wait_for()
    options = [text.strip() for text in page.locator("[role='option']").all_inner_texts()]
    page.keyboard.press("Escape")
    return [option for option in options if option != "Select all"][:3]


def change_region(page: Any, options: list[str], chosen: set[int], step: int) -> dict[str, Any]:
    """Add option `step` (typed into the control, then its line in the list clicked) or remove
    it (its tag's cross clicked); timed from that click's own event timestamp."""
    label = options[step]
    if step in chosen:
        target = page.locator(f".st-key-frame_region button[aria-label='Remove {label}']")
        chosen.discard(step)
    else:
        box = page.locator(".st-key-frame_region input")
        box.click()
        box.fill(label)
        target = page.get_by_role("option", name=label, exact=True)
        target.wait_for()
        chosen.add(step)
    page.evaluate("() => { window.__bench.armed = true; window.__bench.input = null; }")
    target.click()
    # The list closed at once, as a person moving on does: left open, in headless chromium
    # it can keep plotly resizing its charts.
    page.keyboard.press("Escape")
    since = page.evaluate("() => window.__bench.input")
    if since is None:
        raise RuntimeError("the click was not seen")
    return wait_settled(page, since)


@contextlib.contextmanager
def cpu_profile(context: Any, page: Any) -> Iterator[dict[str, Any]]:
    """Chrome's sampling CPU profiler around the block: JavaScript self time by script file."""
    session = context.new_cdp_session(page)
    session.send("Profiler.enable")
    session.send("Profiler.setSamplingInterval", {"interval": 200})
    session.send("Profiler.start")
    result: dict[str, Any] = {}
    yield result
    profile = session.send("Profiler.stop")["profile"]
    by_file: dict[str, float] = {}
    by_function: dict[str, float] = {}
    totals: dict[int, float] = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=False):
        totals[node_id] = totals.get(node_id, 0.0) + delta / 1000
    for node in profile["nodes"]:
        spent = totals.get(node["id"], 0.0)
        if not spent:
            continue
        frame = node["callFrame"]
        source = frame["url"].rsplit("/", 1)[-1] or f"({frame['functionName'] or 'native'})"
        by_file[source] = by_file.get(source, 0.0) + spent
        name = f"{frame['functionName'] or '(anonymous)'} {source}:{frame['lineNumber']}"
        by_function[name] = by_function.get(name, 0.0) + spent
    result["by_file_ms"] = dict(sorted(by_file.items(), key=lambda kv: -kv[1])[:8])
    result["by_function_ms"] = dict(sorted(by_function.items(), key=lambda kv: -kv[1])[:12])


def measure_page(browser: Any, server: Server, path: str, loads: int, profile: bool) -> dict:
    url = server.url + path
    cold = [load_once(browser, url) for _ in range(loads)]
    context = browser.new_context(viewport=VIEWPORT)  # one visitor: its HTTP cache is warm
    open_page(context, url)[0].close()
    warm = []
    for _ in range(loads):
        page, measured = open_page(context, url)
        warm.append(measured)
        page.close()
    page, measured = open_page(context, url)
    options = region_options(page)
    chosen: set[int] = set()
    changes = [change_region(page, options, chosen, step) for step in GRAY_STEPS]
    page.close()
    result: dict[str, Any] = {
        "server": server.name,
        "path": path,
        "load": summarise(cold),
        "warm_load": summarise(warm),
        "filter": summarise(changes),
        "charts": measured["charts"],
        "tables": measured["tables"],
        "region_options": options,
    }
    if profile:
        page = context.new_page()
        page.add_init_script(PROBE)
        with cpu_profile(context, page) as load_profile:
            page.goto(url)
            wait_settled(page, 0.0)
        with cpu_profile(context, page) as change_profile:
            change_region(page, region_options(page), set(), 0)
        result["profile"] = {"load": load_profile, "filter": change_profile}
    context.close()
    return result


def summarise(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    totals = [run["total"] / 1000 for run in runs]
    return {
        "median_s": statistics.median(totals),
        "max_s": max(totals),
        "runs_s": totals,
        "still_median_s": statistics.median(run["still"] / 1000 for run in runs),
        "split_ms": {key: statistics.median(run[key] for run in runs) for key in SPLIT},
        "html_ms": statistics.median(run["html"] or 0 for run in runs),
        "websocket_ms": statistics.median(run["websocket"] or 0 for run in runs),
        "messages": [run["messages"] for run in runs],
    }


def verdicts(results: list[dict[str, Any]]) -> dict[str, Any]:
    ours = [r for r in results if r["server"] == "dashboard"]
    naive = next(r for r in results if r["server"] == "naive app")
    minimal = next(r for r in results if r["server"] == "minimal app")
    floor = minimal["load"]["median_s"]
    load_limit = max(1.5, floor + 0.5) if floor > 1 else 1.5
    naive_change = naive["filter"]["median_s"]
    return {
        "filter_change_max_median_s": max(r["filter"]["median_s"] for r in ours),
        "filter_change_ok": all(r["filter"]["median_s"] <= 0.5 for r in ours),
        "naive_home_filter_change_s": naive_change,
        "home_speedup_vs_naive": naive_change / ours[0]["filter"]["median_s"],
        "speedup_ok": naive_change / ours[0]["filter"]["median_s"] >= 3,
        "fresh_load_limit_s": load_limit,
        "fresh_load_max_median_s": max(r["load"]["median_s"] for r in ours),
        "fresh_load_ok": all(r["load"]["median_s"] <= load_limit for r in ours),
        "minimal_load_s": floor,
        "warm_load_max_median_s": max(r["warm_load"]["median_s"] for r in ours),
        "minimal_warm_load_s": minimal["warm_load"]["median_s"],
    }


def _name(result: dict[str, Any]) -> str:
    server = "" if result["server"] == "dashboard" else result["server"] + " "
    return server + result["path"]


def print_table(results: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    print(
        f"{'page':<20}{'charts':>7}{'first load s':>14}{'(max)':>7}{'return load s':>15}"
        f"{'filter change s':>17}{'(max)':>7}{'still s':>9}"
    )
    for r in results:
        cold, warm, change = r["load"], r["warm_load"], r["filter"]
        print(
            f"{_name(r):<20}{r['charts']:>7}{cold['median_s']:>14.2f}{cold['max_s']:>7.2f}"
            f"{warm['median_s']:>15.2f}{change['median_s']:>17.2f}{change['max_s']:>7.2f}"
            f"{change['still_median_s']:>9.2f}"
        )
    print("\nsplit, medians in ms: to_run / run / after_run, main thread busy, websocket kB")
    for r in results:
        parts = []
        for kind in ("load", "warm_load", "filter"):
            m = r[kind]["split_ms"]
            parts.append(
                f"{kind} {m['to_run']:.0f}/{m['run']:.0f}/{m['after_run']:.0f}, "
                f"{m['busy']:.0f}, {m['ws_kb']:.0f}"
            )
        print(f"{_name(r):<20}" + " | ".join(parts))
    print()
    s = summary
    print(
        f"filter change: slowest page median {s['filter_change_max_median_s']:.2f} s "
        f"(target <= 0.5): {'met' if s['filter_change_ok'] else 'MISSED'}; home "
        f"{s['home_speedup_vs_naive']:.1f}x faster than the naive app's "
        f"{s['naive_home_filter_change_s']:.2f} s (target >= 3x): "
        f"{'met' if s['speedup_ok'] else 'MISSED'}"
    )
    print(
        f"first load: slowest page median {s['fresh_load_max_median_s']:.2f} s "
        f"(target <= {s['fresh_load_limit_s']:.2f}: 1.5 s, or the minimal app's "
        f"{s['minimal_load_s']:.2f} s + 0.5 when that is over 1 s): "
        f"{'met' if s['fresh_load_ok'] else 'MISSED'}; return visit: slowest page median "
        f"{s['warm_load_max_median_s']:.2f} s (minimal app {s['minimal_warm_load_s']:.2f} s)"
    )
    for r in results:
        for kind, profile in r.get("profile", {}).items():
            files = ", ".join(f"{k} {v:.0f}" for k, v in profile["by_file_ms"].items())
            print(f"profile {r['server']} {r['path']} {kind}: JS self ms by file: {files}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="an existing store (skips building one)")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--pages", nargs="+", default=list(PAGES))
    parser.add_argument("--json", type=Path, default=BENCH / "results" / "browser.json")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-floors", action="store_true", help="the dashboard only")
    parser.add_argument(
        "--app-root", type=Path, default=ROOT, help="the checkout whose app.py is measured"
    )
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="browser_bench_"))
    servers: list[Server] = []
    try:
        db = args.db or build_store(args.size, workdir)
        env = {"CRIMJUST_DB": str(db)}
        servers.append(start_server("dashboard", "app.py", env, workdir / "app.log", args.app_root))
        if not args.skip_floors:
            servers.append(
                start_server("naive app", "bench/naive_app.py", env, workdir / "naive.log")
            )
            servers.append(
                start_server("minimal app", "bench/minimal_app.py", {}, workdir / "m.log")
            )
        results = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for server in servers:  # a server that has served every page once
                for path in args.pages if server.name == "dashboard" else ["/"]:
                    load_once(browser, server.url + path)
            for server in servers:
                for path in args.pages if server.name == "dashboard" else ["/"]:
                    print(f"measuring {server.name} {path} …", file=sys.stderr)
                    results.append(measure_page(browser, server, path, args.loads, args.profile))
            browser.close()
    finally:
        for server in servers:
            server.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.process.wait(timeout=20)
        if args.db is None:
            shutil.rmtree(workdir, ignore_errors=True)
    summary = verdicts(results) if not args.skip_floors else {}
    if summary:
        print_table(results, summary)
    else:
        print(json.dumps(results, indent=1))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "load_average": os.getloadavg(),
                "size": args.size,
                "loads": args.loads,
                "app_root": str(args.app_root),
                "results": results,
                "summary": summary,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
