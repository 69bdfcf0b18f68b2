"""Many sessions at once: page runs a minute, errors and latency of the running app.

    .venv/bin/python bench/session_load.py [--sessions 40] [--seconds 60]
        [--clear-cache-every SECONDS] [--app-root DIR] [--json PATH] [--run-timeout 90]

1. `streamlit run app.py` of --app-root (default: this checkout) on a free loopback port, on a
   fresh DuckDB file in a temporary folder (the demo data seeds on the first visit), file
   watcher off as when deployed. One session visits every page once (warm-up, not counted).
2. --sessions sessions (tests/st_client.py: the browser's websocket protocol, no browser) each
   connect and draw Home (not counted), then, for --seconds, ask for runs back to back, no think
   time: 60% another page (the URL's query dropped, as on a browser's page switch), 20% the
   sidebar's Region filter changed (0 to 2 regions, at random), 20% a rerun of the same view.
   A session whose run failed or timed out (--run-timeout) reconnects and goes on.
3. With --clear-cache-every S, one more client that never runs a page sends Streamlit's
   clear-cache message (BackMsg.clear_cache) every S seconds, from the start of step 2.

Counted: every run asked for during step 2 (runs still going at its end are awaited), and every
failed reconnection then. Latency is from the request to the run's end (app-requested reruns
included); the percentiles are of the runs without error. An error is a run that showed an
exception or an error box, ended badly, timed out or lost its connection. Runs a minute = runs
counted without error / (--seconds / 60). Peak RSS is the server process's VmHWM. The
machine's load average (/proc/loadavg) is recorded at the start and end of step 2: the clients
run on the same machine as the server.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from streamlit.proto.BackMsg_pb2 import BackMsg
from websockets.sync.client import connect

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))  # tests.st_client from this checkout, whatever app is measured

from tests.st_client import Render, Session  # noqa: E402

PAGES = ("", "flows", "timelines", "justice", "profile", "activities", "history", "methods")
REGION_KEY = "frame_region"  # the sidebar's Region multiselect (a keyed widget's id ends so)
RAMP_TIMEOUT = 300.0  # for every session to draw its first page


@dataclass
class Run:
    session: int
    page: str
    requested: float  # seconds since the measured window began
    latency: float
    problems: list[str] = field(default_factory=list)


@dataclass
class Load:
    """What the sessions share: the measured window and what they saw in it."""

    url: str
    run_timeout: float
    start: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    started_at: float = 0.0
    ready: int = 0
    filter_changes: int = 0
    runs: list[Run] = field(default_factory=list)
    ramp_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def session(self, index: int) -> None:
        """One session browsing until `stop`, reconnecting after a failure."""
        rng = random.Random(index)
        first = True
        while not self.stop.is_set():
            client = Session(self.url, self.run_timeout)
            try:
                render = self._timed(index, "(connect)", lambda c=client: _connect(c))
                if first:
                    first = False
                    with self.lock:
                        self.ready += 1
                    self.start.wait()
                while not self.stop.is_set():
                    page, call = self._next(client, render, rng)
                    render = self._timed(index, page, call)
            except Exception as exc:
                if not self.start.is_set():
                    with self.lock:
                        self.ramp_errors.append(f"session {index}: {type(exc).__name__}: {exc}")
                time.sleep(1)
            finally:
                client.close()

    def _next(
        self, client: Session, render: Render, rng: random.Random
    ) -> tuple[str, Callable[[], Render]]:
        """The next run to ask for: (its page, the call), chosen as the docstring says."""
        choice = rng.random()
        if choice < 0.6:
            page = rng.choice(PAGES)
            return page, lambda: client.run(page, "")
        if choice < 0.8:
            region = next(
                (
                    e.multiselect
                    for _, e in render.of_type("multiselect")
                    if e.multiselect.id.endswith(REGION_KEY)
                ),
                None,
            )
            if region is not None:
                options = list(region.options)
                chosen = rng.sample(options, rng.randint(0, min(2, len(options))))
                if client.set_multiselect(render, region.label, chosen):
                    with self.lock:
                        self.filter_changes += 1
        # The page named, as the browser names its page in a rerun (else Home would run).
        return render.page, lambda: client.run(render.page)

    def _timed(self, index: int, page: str, call: Callable[[], Render]) -> Render:
        """`call()`, recorded when asked for inside the window; a failure is recorded, then
        raised (the session reconnects)."""
        counted = self.start.is_set()
        requested = time.monotonic()
        try:
            render = call()
        except Exception as exc:
            if counted:
                self._record(index, page, requested, [f"{type(exc).__name__}: {exc}"])
            raise
        if counted:
            self._record(index, render.page, requested, render.problems)
        return render

    def _record(self, index: int, page: str, requested: float, problems: list[str]) -> None:
        run = Run(index, page, requested - self.started_at, time.monotonic() - requested, problems)
        with self.lock:
            self.runs.append(run)


def _connect(client: Session) -> Render:
    client.open()
    return client.run(None, "")  # Home, as a new browser tab opens it


def clear_cache_attack(url: str, every: float, stop: threading.Event, sent: list[float]) -> None:
    """A client that never runs a page sends the clear-cache message every `every` seconds."""
    address = url.replace("http://", "ws://", 1) + "_stcore/stream"
    message = BackMsg(clear_cache=True).SerializeToString()
    while not stop.is_set():
        try:
            with connect(address, subprotocols=["streamlit"], open_timeout=30) as socket_:  # type: ignore[list-item]
                while not stop.is_set():
                    socket_.send(message)
                    sent.append(time.monotonic())
                    deadline = time.monotonic() + every
                    while (left := deadline - time.monotonic()) > 0 and not stop.is_set():
                        with contextlib.suppress(TimeoutError):  # read and dropped
                            socket_.recv(timeout=min(left, 0.5))
        except Exception:  # a dropped connection: connect again
            time.sleep(1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_app(app_root: Path, database: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` in `app_root` on `database` (as tests/conftest.py _start_app)."""
    port = _free_port()
    env = {
        **os.environ,
        "CRIMJUST_DB": str(database),
        "CRIMJUST_DATABASE_URL": "",  # DuckDB, whatever the environment says
        # Code stays put while measured: saving a file of the checkout (other work on it)
        # would otherwise unload the app's modules under the sessions' runs.
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true"]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=app_root, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit(f"the app did not start within 90 s; its output:\n{log.read_text()[-3000:]}")


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def warm_up(url: str) -> None:
    """Every page once, in one session: the demo seeds, modules load, caches fill."""
    with Session(url, run_timeout=600) as client:
        for page in (None, *PAGES):
            render = client.run(page, "")
            if render.problems:
                print(f"warm-up: page '{render.page}' shows {render.problems}", file=sys.stderr)


def percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def summary(runs: list[Run], seconds: float) -> dict[str, object]:
    ok = [r.latency for r in runs if not r.problems]
    return {
        "runs": len(runs),
        "runs_per_minute": round(len(ok) / (seconds / 60), 1),
        "errors": sum(1 for r in runs if r.problems),
        "p50_s": percentile(ok, 50),
        "p90_s": percentile(ok, 90),
        "p99_s": percentile(ok, 99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clear-cache-every", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--app-root", type=Path, default=HERE)
    parser.add_argument("--json", type=Path, default=None, metavar="PATH")
    parser.add_argument("--run-timeout", type=float, default=90.0)
    args = parser.parse_args()
    app_root = args.app_root.resolve()
    if not (app_root / "app.py").is_file():
        sys.exit(f"--app-root {app_root} has no app.py: give the repository's folder")

    with tempfile.TemporaryDirectory(prefix="session_load_") as folder:
        log = Path(folder) / "server.log"
        server, url = start_app(app_root, Path(folder) / "store" / "bench.duckdb", log)
        load = Load(url, args.run_timeout)
        stop_attack = threading.Event()
        clears: list[float] = []
        try:
            warm_up(url)
            threads = [
                threading.Thread(target=load.session, args=(i,), daemon=True)
                for i in range(args.sessions)
            ]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + RAMP_TIMEOUT
            while load.ready < args.sessions and time.monotonic() < deadline:
                time.sleep(0.2)
            ready = load.ready
            load_start = loadavg()
            load.started_at = time.monotonic()
            load.start.set()
            if args.clear_cache_every:
                threading.Thread(
                    target=clear_cache_attack,
                    args=(url, args.clear_cache_every, stop_attack, clears),
                    daemon=True,
                ).start()
            time.sleep(args.seconds)
            load_end = loadavg()
            load.stop.set()
            stop_attack.set()
            for thread in threads:  # runs still going are awaited
                thread.join(timeout=args.run_timeout + 30)
            stuck = sum(thread.is_alive() for thread in threads)
            peak = peak_rss_mb(server.pid)
            server_alive = server.poll() is None
        finally:
            load.stop.set()
            stop_attack.set()
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        server_log = log.read_text(errors="replace")

    with load.lock:
        runs = list(load.runs)
    total = summary(runs, args.seconds)
    by_page = {
        page or "home": summary([r for r in runs if r.page == page], args.seconds)
        for page in sorted({r.page for r in runs})
    }
    problems = Counter(p.split("\n")[0][:200] for r in runs for p in r.problems)
    result = {
        "app_root": str(app_root),
        "sessions": args.sessions,
        "sessions_ready": ready,
        "seconds": args.seconds,
        "clear_cache_every": args.clear_cache_every,
        "clear_cache_sent": len(clears),
        "filter_changes": load.filter_changes,
        **total,
        "peak_rss_mb": round(peak, 1) if peak is not None else None,
        "loadavg_start": load_start,
        "loadavg_end": load_end,
        "server_alive_at_end": server_alive,
        "sessions_stuck": stuck,
        "ramp_errors": load.ramp_errors[:20],
        "problems": problems.most_common(20),
        "by_page": by_page,
        "server_log_tail": server_log[-2000:],
        "runs": [asdict(r) for r in runs],
    }

    def cell(value: object) -> str:
        return "-" if value is None else str(value)

    header = ("sessions", "runs/min", "errors", "p50 s", "p90 s", "p99 s", "peak RSS MB")
    row = (
        f"{ready}/{args.sessions}",
        total["runs_per_minute"],
        total["errors"],
        total["p50_s"],
        total["p90_s"],
        total["p99_s"],
        result["peak_rss_mb"],
    )
    attack = f", clear-cache every {args.clear_cache_every} s" if args.clear_cache_every else ""
    print(f"\n{app_root}: {args.seconds:g} s, {total['runs']} runs{attack}")
    print(" | ".join(f"{h:>11}" for h in header))
    print(" | ".join(f"{cell(v):>11}" for v in row))
    print(f"\n{'page':>11} | {'runs':>5} | {'errors':>6} | {'p50 s':>7} | {'p90 s':>7}")
    for page, stats in by_page.items():
        print(
            f"{page:>11} | {stats['runs']:>5} | {stats['errors']:>6} | "
            f"{cell(stats['p50_s']):>7} | {cell(stats['p90_s']):>7}"
        )
    print(f"\nload average at start {load_start}, at end {load_end}")
    print(f"Region filter changes: {load.filter_changes}")
    if args.clear_cache_every:
        print(f"clear-cache messages sent: {len(clears)}")
    for text, count in problems.most_common(5):
        print(f"error x{count}: {text}")
    for text in load.ramp_errors[:5]:
        print(f"before the window: {text}")
    if stuck or not server_alive:
        print(f"sessions still running after the wait: {stuck}; server alive: {server_alive}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
        print(f"written: {args.json}")


if __name__ == "__main__":
    main()
