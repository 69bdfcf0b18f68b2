"""Twenty sessions browse the running app while the command line imports a file and rolls it back.

Every session is a real session of `streamlit run` (tests/st_client.py speaks the browser's
websocket protocol). Each run a session sees is checked: no exception or error, and the Home
page's figures (headline tiles, the regions' table, the freshness table: three separate reads)
all belong to one store state, before the import (A) or after it (B), as computed here from the
store itself; a run asked for after a command finished shows that command's state.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import pytest

from crimjust_data import i18n
from crimjust_data.countries import region_label
from crimjust_data.formatting import format_kg
from crimjust_data.i18n import _
from crimjust_data.ingest.pipeline import import_file, load_demo
from crimjust_data.store import DuckDBStore, Store
from crimjust_data.views import table_label
from tests.conftest import ROOT, _start_app
from tests.st_client import Render, Session

SESSIONS = 20
REGION_TABLE = "home_region_kg_data_expander"  # the 'View data' of Home's regions chart
COUNTRIES = ("COL", "BRA", "ESP", "NLD", "CPV")  # the country filters sessions pick in the URL
PAGES = ("", "", "", "flows", "timelines", "justice", "profile", "history")  # '' is Home
MONTHS = [f"{year}-{month:02d}-01" for year in range(2016, 2021) for month in range(1, 13)]
IMPORTED_ROWS = 3000
BROWSE_SECONDS = 6.0  # of browsing before the import, between the commands and after them
COMMAND_TIMEOUT = 120
# No PostgreSQL URL from the environment: this test is about the DuckDB file shared by processes.
ENV = {"CRIMJUST_DATABASE_URL": ""}


def imported_csv(path: Path) -> Path:
    """A seizures file that moves every figure checked: events and tonnes in each country the
    sessions filter on, inside the demo's period (so the sidebar's dates stay the same)."""
    rng = np.random.default_rng(8)
    days = pd.date_range("2016-01-01", "2022-12-31", freq="D")
    pd.DataFrame(
        {
            "seizure_id": [f"concurrent-{i}" for i in range(IMPORTED_ROWS)],
            "date": days[rng.integers(0, len(days), IMPORTED_ROWS)].strftime("%Y-%m-%d"),
            "country_iso3": rng.choice(COUNTRIES, IMPORTED_ROWS),
            "drug": "cocaine_hcl",
            "quantity_kg": rng.uniform(50, 400, IMPORTED_ROWS).round(1),
            "conveyance": rng.choice(["container", "vessel", "air"], IMPORTED_ROWS),
            "source": "concurrency test import",
        }
    ).to_csv(path, index=False)
    return path


Fingerprint = dict[str, object]


FILTER_PARAMS = ("from", "to", "region", "country", "drug", "conveyance", "source")


@dataclass(frozen=True)
class View:
    """The filters a run of Home applied, as it wrote them into the URL."""

    country: str  # '' for every country
    date_from: str  # '' for the data's first day

    @classmethod
    def of(cls, query_string: str) -> View:
        query = parse_qs(query_string)
        others = set(query) & set(FILTER_PARAMS) - {"country", "from"}
        assert not others, query_string  # sessions change only these filters
        return cls(query.get("country", [""])[-1], query.get("from", [""])[-1])


class Expected:
    """What Home must show for a view in one store state, read straight from the store's
    active rows (not through the app's metrics) and drawn as the page draws it (English)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.freshness = (
            int(store.query("SELECT count(*) AS n FROM active_seizures").iloc[0]["n"]),
            sum(v.active for v in store.versions("seizures")),
        )
        self.views: dict[View, Fingerprint] = {}

    def __getitem__(self, view: View) -> Fingerprint:
        if view not in self.views:
            self.views[view] = self._read(view)
        return self.views[view]

    def _read(self, view: View) -> Fingerprint:
        by_region = self.store.query(
            "SELECT c.region, count(*) AS events, coalesce(sum(s.quantity_kg), 0) AS kg "
            "FROM active_seizures s JOIN ref_countries c ON c.iso3 = s.country_iso3 "
            "WHERE (? = '' OR s.country_iso3 = ?) AND (? = '' OR s.date >= CAST(? AS DATE)) "
            "GROUP BY 1",
            [view.country, view.country, view.date_from, view.date_from],
        )
        with i18n.using("en"):
            return {
                "events": int(by_region["events"].sum()),
                "kg": format_kg(float(by_region["kg"].sum())),
                "regions": {
                    region_label(row.region): (int(row.events), round(float(row.kg) / 1000, 3))
                    for row in by_region.itertuples()
                },
                "freshness": self.freshness,
            }


def home_fingerprint(render: Render) -> Fingerprint:
    """The same figures as shown by one run of Home."""
    with i18n.using("en"):
        events_label, kg_label = _("Seizure events"), _("Cocaine seized")
        seizures = table_label("seizures")
    tiles = render.metrics()
    frames = render.dataframes()
    region_table, freshness_table = frames[0], frames[-1]
    regions = {
        str(row.iloc[0]): (int(row.iloc[2]), round(float(row.iloc[1]), 3))
        for row in (region_table.iloc[i] for i in range(len(region_table)))
        if int(row.iloc[2]) > 0
    }
    seizure_row = freshness_table[freshness_table.iloc[:, 0] == seizures].iloc[0]
    return {
        "events": int(tiles[events_label].replace(",", "")),
        "kg": tiles[kg_label],
        "regions": regions,
        "freshness": (int(seizure_row.iloc[1]), int(seizure_row.iloc[2])),
    }


def same(field_name: str, shown: object, expected: object) -> bool:
    if field_name != "regions":
        return shown == expected
    assert isinstance(shown, dict) and isinstance(expected, dict)
    return shown.keys() == expected.keys() and all(
        shown[k][0] == expected[k][0] and abs(shown[k][1] - expected[k][1]) < 0.0015 for k in shown
    )


def states_matching(shown: Fingerprint, expected: dict[str, Fingerprint]) -> dict[str, set[str]]:
    """For each figure shown, the states it agrees with."""
    return {
        name: {state for state, figures in expected.items() if same(name, value, figures[name])}
        for name, value in shown.items()
    }


@dataclass
class Seen:
    """One finished run of one session."""

    session: int
    render: Render
    state: str | None = None  # 'A' or 'B' for Home; None for other pages


@dataclass
class Browsing:
    """Sessions browsing in threads until `stop` is set; what they saw, and what went wrong."""

    url: str
    stop: threading.Event = field(default_factory=threading.Event)
    seen: list[Seen] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def browse(self, index: int, ready: threading.Barrier) -> None:
        rng = random.Random(index)
        try:
            with Session(self.url) as session:
                session.kept_open.add(REGION_TABLE)  # Home's regions table is read below
                # Half the sessions open a shared link with a country, half the plain app.
                first = f"country={COUNTRIES[index % len(COUNTRIES)]}" if index % 2 else ""
                render = session.run(None, first)
                self.record(index, render)
                ready.wait(timeout=180)
                while not self.stop.is_set():
                    choice = rng.random()
                    if choice < 0.4:  # another page; the browser drops the URL's query then
                        render = session.run(rng.choice(PAGES), "")
                    elif choice < 0.65:  # a link to Home with a country, often from a month on
                        link = f"country={rng.choice(COUNTRIES)}&lang=en"
                        if rng.random() < 0.7:  # views no one asked for yet: reads, not cache
                            link += f"&from={rng.choice(MONTHS)}"
                        render = session.run("", link)
                    elif choice < 0.8:  # the country chips cleared (a page may have none)
                        session.set_multiselect(render, "Country", [])
                        render = session.run()
                    else:  # a rerun of the same view
                        render = session.run()
                    self.record(index, render)
        except Exception as exc:  # a dropped connection or a run that never ended
            with self.lock:
                self.failures.append(f"session {index}: {type(exc).__name__}: {exc}")
            ready.abort()

    def record(self, index: int, render: Render) -> None:
        with self.lock:
            self.seen.append(Seen(index, render))


def run_command(*args: str, database: Path) -> tuple[str, float, float]:
    """`python -m crimjust_data ARGS` on `database`: (its output, start, end)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "crimjust_data", *args],
        cwd=ROOT,
        env={**os.environ, **ENV, "CRIMJUST_DB": str(database)},
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout, started, time.monotonic()


def test_twenty_sessions_browse_while_an_import_and_a_rollback_commit(tmp_path: Path) -> None:
    database = tmp_path / "store" / "concurrent.duckdb"
    csv = imported_csv(tmp_path / "seizures.csv")
    seeded = DuckDBStore(database)
    load_demo(seeded)
    seeded.release()  # the app and the commands must get the file
    # The two states, A (demo) and B (demo and the file), kept in copies of the store to read
    # what each view must show; B's file is loaded through the store API, not the command.
    copies = {}
    for state in ("A", "B"):
        copies[state] = tmp_path / state / "store.duckdb"
        copies[state].parent.mkdir()
        shutil.copy(database, copies[state])
    after = DuckDBStore(copies["B"])
    assert import_file(after, csv, "seizures").ok
    after.release()

    # Code stays put while the sessions run, as when deployed: Streamlit's file watcher would
    # otherwise unload the package's modules, under concurrent runs, whenever a file of the
    # checkout is saved (other work on it), failing runs for reasons this test is not about.
    server, url = _start_app(database, {**ENV, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    browsing = Browsing(url)
    ready = threading.Barrier(SESSIONS + 1)
    threads = [
        threading.Thread(target=browsing.browse, args=(i, ready), daemon=True)
        for i in range(SESSIONS)
    ]
    try:
        for thread in threads:
            thread.start()
        ready.wait(timeout=180)  # every session has drawn its first page
        time.sleep(BROWSE_SECONDS)
        out, import_start, import_end = run_command(
            "import", str(csv), "--table", "seizures", database=database
        )
        version = int(re.search(r"loaded version (\d+)", out).group(1))  # type: ignore[union-attr]
        time.sleep(BROWSE_SECONDS)
        _, rollback_start, rollback_end = run_command("rollback", str(version), database=database)
        time.sleep(BROWSE_SECONDS)
    finally:
        browsing.stop.set()
        for thread in threads:
            thread.join(timeout=120)
        server.terminate()
        server.wait(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a session never finished its run"

    # Every run: errors; on Home, the one state all its figures agree with, which must be the
    # state a command left when the run was asked for after that command had finished.
    expected = {state: Expected(DuckDBStore(path)) for state, path in copies.items()}
    errors, mixes, stale = [], [], []
    for seen in browsing.seen:
        render = seen.render
        if render.problems:
            errors.append(f"session {seen.session} on '{render.page}': {render.problems}")
            continue
        if render.page != "":
            continue
        view = View.of(render.query_string)
        figures = {state: figures[view] for state, figures in expected.items()}
        assert figures["A"]["events"] != figures["B"]["events"], view  # the file changes it
        matching = states_matching(home_fingerprint(render), figures)
        common = set.intersection(*matching.values())
        if len(common) != 1:
            mixes.append(f"session {seen.session} ({render.query_string}): {matching}")
            continue
        seen.state = common.pop()
        if import_end < render.requested_at < rollback_start and seen.state != "B":
            stale.append(f"session {seen.session}: A after the import ({render.query_string})")
        if render.requested_at > rollback_end and seen.state != "A":
            stale.append(f"session {seen.session}: B after the rollback ({render.query_string})")

    homes = Counter(seen.state for seen in browsing.seen if seen.state)
    print(
        f"\nsessions {SESSIONS}, renders {len(browsing.seen)} "
        f"(Home {sum(homes.values())}: old state A {homes['A']}, new state B {homes['B']}), "
        f"errors {len(errors) + len(browsing.failures)}, mixes {len(mixes)}, "
        f"stale {len(stale)}; import {import_end - import_start:.1f} s, "
        f"rollback {rollback_end - rollback_start:.1f} s"
    )
    assert browsing.failures == []
    assert errors == []
    assert mixes == []
    assert stale == [], stale
    # Enough was seen for the checks to mean something: every session ran, Home in both states.
    assert {seen.session for seen in browsing.seen} == set(range(SESSIONS))
    assert homes["A"] >= SESSIONS and homes["B"] >= SESSIONS // 2, homes
    # The rollback put every figure back as it was before the import.
    final = Expected(DuckDBStore(database))
    for view in expected["A"].views:
        assert final[view] == expected["A"][view], view


def _commit_during_run(csv: str, python: str, root: str) -> None:
    """A page that reads the freshness table, then (first run only) waits while another process
    imports a file, then reads the headline: the two reads straddle the commit."""
    import subprocess

    import streamlit as st

    from crimjust_data import metrics, ui
    from crimjust_data.metrics import Filters

    ui.frame.begin_run()
    freshness = ui.data_freshness()
    if not st.session_state.get("imported"):
        st.session_state["imported"] = True
        command = [python, "-m", "crimjust_data", "import", csv, "--table", "seizures"]
        subprocess.run(command, cwd=root, check=True, capture_output=True, timeout=120)
    headline, _ = ui.query(metrics.overview, Filters())
    st.metric("events", headline.seizure_events)
    st.metric("rows", int(freshness.set_index("table_name").loc["seizures", "rows"]))


def test_a_commit_during_a_run_does_not_mix_two_states(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the sessions above can hit, made certain: a read after a commit must not be
    cached under the state the run began with; the run starts again on the new state."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("CRIMJUST_DATABASE_URL", raising=False)
    store = DuckDBStore(store_path)
    load_demo(store)
    before = int(store.query("SELECT count(*) AS n FROM active_seizures").iloc[0]["n"])
    csv = imported_csv(store_path.parent / "seizures.csv")
    app = AppTest.from_function(
        _commit_during_run, args=(str(csv), sys.executable, str(ROOT)), default_timeout=120
    )
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    shown = {metric.label: int(metric.value) for metric in app.metric}
    assert shown == {"events": before + IMPORTED_ROWS, "rows": before + IMPORTED_ROWS}
    store.release()
