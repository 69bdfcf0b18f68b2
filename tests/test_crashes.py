"""Crashes mid-write, a broken store file, and backups (issue 8).

- An import killed (SIGKILL) at named points of a large load, found by watching what another
  process can see of it (its open files, its child processes, its output, the store's files,
  PostgreSQL's pg_stat_activity), never by a hook in the product: on restart the store opens,
  every earlier version is intact (rows, checksums, rollups) and the interrupted one is absent
  or complete, never partial. Both backends, through the real command line.
- Two loads of clashing ids at once in one process: exactly one is stored.
- A store file that is cut short, random bytes, empty, or a folder: the app explains what is
  wrong and how to recover on every page, never writes to the file, never seeds over it.
- Backups before a replace and before `migrate`: they open as stores with exactly the versions
  before, the newest few are kept, and the README's restore steps work.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from crimjust_data.demo import generate_demo
from crimjust_data.errors import StoreError
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.schemas import ValidationFailed
from crimjust_data.store import DuckDBStore, LoadRequest, Store
from crimjust_data.store.backup import KEEP_BACKUPS, backup_folder, backups_of, noting_backups
from crimjust_data.store.base import KEY_COLUMNS, STORED_VERSION_COLUMNS
from crimjust_data.store.ddl import ROLLUP_OF
from tests.conftest import APP_SETTLED, ROOT, locator, reopen, seizures_frame
from tests.xss_corpus import as_shown

# Enough rows for each phase of a load to last long enough to be seen from outside: DuckDB
# needs whole row groups (122,880 rows) to write rows to its file ahead of the commit;
# PostgreSQL's phases are seen in pg_stat_activity however short (and its import is slower).
LARGE_ROWS = {"duckdb": 200_000, "postgres": 50_000}

FIRST = seizures_frame(
    [
        ("S1", "2020-01-10", "COL", "cocaine_hcl", 100.0, "container"),
        ("S2", "2020-02-10", "PAN", "crack", 2.0, "air"),
    ]
)
LATER = seizures_frame([("S3", "2021-01-10", "CPV", "cocaine_hcl", 50.0, "vessel")])


# ---------------------------------------------------------------------------------------------
# What must survive a crash: every stored version, its rows and its rollups


def earlier_history(store: Store) -> None:
    """Versions of every kind: a demo load (three tables), an appended file, a rolled-back one."""
    load_demo(store, seed=3, seizures=1500, cases=300)
    store.load(LoadRequest("seizures", FIRST, "fixture", "first.csv", "sha-first"))
    rolled = store.load(LoadRequest("seizures", LATER, "fixture", "later.csv", "sha-later"))
    store.rollback(rolled.version_id, by="reviewer")


def _digest_sql(table: str) -> str:
    """Rows and a checksum of their keys per version (the same SQL on DuckDB and PostgreSQL)."""
    keys = " || '|' || ".join(f"CAST({k} AS VARCHAR)" for k in KEY_COLUMNS[table])  # type: ignore[index]
    return (
        f"SELECT version_id, count(*) AS n, md5(string_agg({keys}, ',' ORDER BY {keys})) AS sum "
        f"FROM {table} GROUP BY version_id ORDER BY version_id"
    )


def fingerprint(store: Store, versions: set[int] | None = None) -> dict[str, Any]:
    """Every stored version (as stored, so a later replace does not change it) with its rows'
    count and checksum in its table and its rows in each rollup; only `versions` if given."""

    def keep(frame: pd.DataFrame) -> list[tuple]:
        rows = [tuple(r) for r in frame.itertuples(index=False)]
        return [r for r in rows if versions is None or int(r[0]) in versions]

    stored = store.query(
        f"SELECT {', '.join(STORED_VERSION_COLUMNS)} FROM versions ORDER BY version_id"
    )
    result: dict[str, Any] = {"versions": keep(stored.astype(str))}
    for table in KEY_COLUMNS:
        result[table] = keep(store.query(_digest_sql(table)))
    for rollup in ROLLUP_OF:
        result[rollup] = keep(
            store.query(f"SELECT version_id, count(*) AS n FROM {rollup} GROUP BY 1 ORDER BY 1")
        )
    return result


def assert_absent_or_complete(store: Store, before: dict[str, Any], rows: int) -> str:
    """The store after a killed load of `rows` seizures: 'absent' or 'complete', never partial."""
    earlier = {int(v[0]) for v in before["versions"]}
    assert fingerprint(store, earlier) == before, "an earlier version changed"
    new = [v for v in store.versions() if v.version_id not in earlier]
    stray = store.query(
        "SELECT count(*) AS n FROM seizures WHERE version_id NOT IN "
        "(SELECT version_id FROM versions)"
    )
    assert int(stray.iloc[0]["n"]) == 0, "rows of a version that was never recorded"
    if not new:
        return "absent"
    (version,) = new
    counts = store.query(
        "SELECT (SELECT count(*) FROM seizures WHERE version_id = ?) AS raw, "
        "(SELECT coalesce(sum(events), 0) FROM seizure_rollup WHERE version_id = ?) AS rolled, "
        "(SELECT count(*) FROM seizures WHERE version_id = ? AND origin_iso3 IS NOT NULL "
        "AND destination_iso3 IS NOT NULL) AS routed, "
        "(SELECT coalesce(sum(events), 0) FROM route_rollup WHERE version_id = ?) AS routes",
        [version.version_id] * 4,
    ).iloc[0]
    assert (version.table_name, version.rows) == ("seizures", rows)
    assert int(counts["raw"]) == rows and int(counts["rolled"]) == rows
    assert int(counts["routes"]) == int(counts["routed"]) > 0
    return "complete"


# ---------------------------------------------------------------------------------------------
# Two loads at once in one process (the app: two analysts uploading)


def test_two_threads_loading_clashing_ids_store_exactly_one(store: Store) -> None:
    frame = generate_demo(seed=9, seizures=20_000, cases=10).seizures
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def upload(name: str) -> None:
        barrier.wait()  # both checks start together
        try:
            store.load(LoadRequest("seizures", frame, "fixture", name, f"sha-{name}"))
            outcomes.append("stored")
        except ValidationFailed as exc:
            assert "already loaded in version" in exc.errors[0].message
            outcomes.append("refused")

    threads = [threading.Thread(target=upload, args=(f"{n}.csv",)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["refused", "stored"]
    assert len(store.versions()) == 1
    active = store.query("SELECT count(*) AS n FROM active_seizures").iloc[0]["n"]
    assert int(active) == len(frame)


# ---------------------------------------------------------------------------------------------
# The import command killed at named points of a large load


@pytest.fixture(scope="module")
def large_csv(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Synthetic seizure events as a canonical CSV file per backend (LARGE_ROWS rows), with
    ids unlike the earlier versions'."""
    frame = generate_demo(seed=11, seizures=max(LARGE_ROWS.values()), cases=10).seizures.copy()
    frame["seizure_id"] = "BIG-" + frame["seizure_id"].astype(str)
    frame["transit_iso3"] = [
        "|".join(route) if route is not None and len(route) else ""
        for route in frame["transit_iso3"]
    ]
    folder = tmp_path_factory.mktemp("large")
    paths = {}
    for backend, rows in LARGE_ROWS.items():
        paths[backend] = folder / f"seizures_{rows}.csv"
        frame.head(rows).to_csv(paths[backend], index=False)
    return paths


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class Import:
    """`python -m crimjust_data import FILE --table seizures` as users run it, and what another
    process can see of it: its open files, its child processes, its output, the store's files
    (DuckDB) or its connections' statements (PostgreSQL, in pg_stat_activity)."""

    def __init__(self, store: Store, csv: Path, mode: str, out: Path) -> None:
        self.csv = csv
        self.out = out
        app_name = f"kill-test-{uuid.uuid4().hex[:8]}"  # the command's name in pg_stat_activity
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PGAPPNAME": app_name}
        env["CRIMJUST_USER"] = "kill-test"
        self.db: Path | None = None
        self.activity: Any = None
        if isinstance(store, DuckDBStore):
            store.release()  # the command gets the file at once
            self.db = store.path
            env["CRIMJUST_DB"] = str(store.path)
            env.pop("CRIMJUST_DATABASE_URL", None)
        else:
            env["CRIMJUST_DATABASE_URL"] = locator(store)
            self.activity = Activity(locator(store), app_name)
        self.store_size = 0  # the store file's and its log's sizes once the file was read
        self.wal_size = 0
        command = [sys.executable, "-m", "crimjust_data", "import", str(csv)]
        command.extend(("--table", "seizures", "--mode", mode))
        with out.open("w") as sink:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
            )

    @property
    def wal(self) -> Path:
        assert self.db is not None
        return self.db.with_name(self.db.name + ".wal")

    def running(self) -> bool:
        return self.process.poll() is None

    def csv_open(self) -> bool:
        """The process holds the file being imported open (it is reading it)."""
        folder = f"/proc/{self.process.pid}/fd"
        try:
            descriptors = os.listdir(folder)
        except OSError:
            return False
        for fd in descriptors:
            try:
                if os.readlink(f"{folder}/{fd}") == str(self.csv):
                    return True
            except OSError:  # closed meanwhile
                continue
        return False

    def has_child(self) -> bool:
        """The process has started a child (the store's backup copy is made by one)."""
        try:
            tasks = os.listdir(f"/proc/{self.process.pid}/task")
            return any(
                Path(f"/proc/{self.process.pid}/task/{task}/children").read_text().split()
                for task in tasks
            )
        except OSError:
            return False

    def said(self, text: str) -> bool:
        return text in self.out.read_text(errors="replace")

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Poll `condition` every millisecond while the import runs; fail if it ends first."""
        deadline = time.monotonic() + 180
        while not condition():
            if not self.running():
                pytest.fail(f"the import ended before {what}: {self.out.read_text()[-500:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"never saw {what}")
            time.sleep(0.001)

    def read_the_file(self) -> None:
        """Wait until the import has read its file (opened, then closed it): the store is open
        and nothing of the load is written yet; note the sizes of the store's files then."""
        self.wait_until(self.csv_open, "the file was being read")
        self.wait_until(lambda: not self.csv_open(), "the file was read")
        if self.db:
            self.store_size, self.wal_size = _size(self.db), _size(self.wal)

    def kill(self) -> None:
        if self.running():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        if self.activity is not None:
            self.activity.close()

    def finish(self) -> str:
        self.process.wait(timeout=300)
        return self.out.read_text(errors="replace")


class Activity:
    """What the import's PostgreSQL connections are doing, from pg_stat_activity."""

    def __init__(self, url: str, app_name: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True)
        self.app_name = app_name

    def running(self, prefix: str) -> bool:
        """One of the import's connections is running a statement that starts with `prefix`."""
        rows = self.connection.execute(
            "SELECT query FROM pg_stat_activity WHERE application_name = %s AND state = 'active'",
            [self.app_name],
        ).fetchall()
        return any(str(query).lstrip().startswith(prefix) for (query,) in rows)

    def in_transaction(self) -> bool:
        row = self.connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND state IN ('active', 'idle in transaction')",
            [self.app_name],
        ).fetchone()
        return bool(row and row[0])

    def versions(self) -> int:
        row = self.connection.execute("SELECT count(*) FROM versions").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.connection.close()


@pytest.fixture(scope="module")
def rows_in_file(large_csv: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> int:
    """How much the DuckDB file grows while the large load writes its rows to it ahead of the
    commit (whole row groups go straight to the file), measured once on an uninterrupted
    import of the same file into the same history. Once a load's file has grown by this much,
    it is past its row writes and not yet committing: storing its last rows and its rollups."""
    folder = tmp_path_factory.mktemp("calibration")
    store = DuckDBStore(folder / "calibration.duckdb")
    earlier_history(store)
    run = Import(store, large_csv["duckdb"], "append", folder / "out.txt")
    run.read_the_file()
    grown = 0
    while run.running() and _size(run.wal) == run.wal_size:  # until the commit's log is written
        grown = _size(store.path) - run.store_size
        time.sleep(0.001)
    assert "loaded version" in run.finish()
    assert grown > 0, "the rows were not written to the file ahead of the commit"
    return grown


# How each point is reached, seen from outside. DuckDB's commit is seen too: its log (the .wal
# file) grows, then the command prints what it loaded, and only then closes the file (which
# writes the log into it): a kill after the report leaves the load in the log alone.
def _reading(run: Import, grown: int) -> None:
    run.wait_until(run.csv_open, "the file was being read")


def _normalising(run: Import, grown: int) -> None:
    run.read_the_file()  # then normalised and validated: nothing is stored yet
    if run.activity is not None:
        assert not run.activity.in_transaction()


def _backing_up(run: Import, grown: int) -> None:
    run.wait_until(run.has_child, "the backup copy started")


def _inserting(run: Import, grown: int) -> None:
    run.read_the_file()
    if run.db:
        run.wait_until(lambda: _size(run.db) > run.store_size, "rows were written")
    else:
        run.wait_until(lambda: run.activity.running("COPY seizures"), "rows were copied")


def _rollups(run: Import, grown: int) -> None:
    run.read_the_file()
    if run.db:
        run.wait_until(
            lambda: _size(run.db) >= run.store_size + grown, "every row block was written"
        )
        assert _size(run.wal) == run.wal_size, "the commit had begun: the point was missed"
    else:  # the last statement before the commit
        run.wait_until(lambda: run.activity.running("INSERT INTO route_rollup"), "the rollups")


def _committing(run: Import, grown: int) -> None:
    # a replace: the backup first (its checkpoint empties the log), then the load
    run.wait_until(run.has_child, "the backup copy started")
    run.wait_until(lambda: not run.has_child(), "the backup copy ended")
    log = _size(run.wal)
    run.wait_until(lambda: _size(run.wal) > log, "the commit was being written")


def _committed(run: Import, grown: int) -> None:
    if run.db:
        run.wait_until(lambda: run.said("loaded version"), "the load was reported")
    else:
        before = run.activity.versions()
        run.wait_until(lambda: run.activity.versions() > before, "the commit was visible")


# point: (backends, import mode, how it is reached, what a restart must find)
POINTS: dict[str, tuple[tuple[str, ...], str, Callable[[Import, int], None], str]] = {
    "reading": (("duckdb", "postgres"), "append", _reading, "absent"),
    "normalising": (("duckdb", "postgres"), "append", _normalising, "absent"),
    "backing_up": (("duckdb",), "replace", _backing_up, "absent"),
    "inserting": (("duckdb", "postgres"), "append", _inserting, "absent"),
    "rollups": (("duckdb", "postgres"), "append", _rollups, "absent"),
    "committing": (("duckdb",), "replace", _committing, "absent or complete"),
    "committed": (("duckdb", "postgres"), "append", _committed, "complete"),
}


@pytest.mark.parametrize(
    ("store", "point"),
    [(backend, point) for point, (backends, *_rest) in POINTS.items() for backend in backends],
    indirect=["store"],  # each point on the backends that have that step
)
def test_import_killed_at_a_point_leaves_the_load_absent_or_complete(
    store: Store,
    point: str,
    large_csv: dict[str, Path],
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    backends, mode, reach, expected = POINTS[point]
    backend = "duckdb" if isinstance(store, DuckDBStore) else "postgres"
    assert backend in backends
    grown = (
        request.getfixturevalue("rows_in_file") if (backend, point) == ("duckdb", "rollups") else 0
    )
    earlier_history(store)
    before = fingerprint(store)
    run = Import(store, large_csv[backend], mode, tmp_path / "out.txt")
    try:
        reach(run, grown)
    finally:
        run.kill()
    reopened = reopen(store)  # a restart: the store opens (DuckDB replays its log)
    outcome = assert_absent_or_complete(reopened, before, LARGE_ROWS[backend])
    assert outcome in expected
    if run.db:  # a backup is whole or not there, and a half copy has no backup's name
        kept = backups_of(run.db)
        assert len(kept) <= 1
        for backup in kept:
            assert fingerprint(DuckDBStore(backup)) == before


# ---------------------------------------------------------------------------------------------
# A broken store file: explained, with the way back, and never written to


def _real_store(folder: Path) -> Path:
    """A real store file (demo data), closed, to be broken."""
    path = folder / "real.duckdb"
    store = DuckDBStore(path)
    load_demo(store, seed=4, seizures=3000, cases=500)
    store.release()
    return path


def break_store(kind: str, path: Path, real: Path) -> None:
    """Put a broken store of `kind` at `path`."""
    if kind == "cut_short":  # an interrupted copy: the first part of a real store
        data = real.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])
    elif kind == "cut_at_the_start":
        path.write_bytes(real.read_bytes()[:20_000])
    elif kind == "random_bytes":
        path.write_bytes(os.urandom(300_000))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "folder":
        path.mkdir()
        (path / "something.txt").write_text("not a database")
    else:
        raise ValueError(kind)


BROKEN_KINDS = ("cut_short", "cut_at_the_start", "random_bytes", "empty", "folder")
# What the message says is wrong, for each kind.
WHAT_IS_WRONG = {
    "cut_short": "is cut short",
    "cut_at_the_start": "is cut short",
    "random_bytes": "is not a DuckDB database file",
    "empty": "is empty (0 bytes)",
    "folder": "is a folder, not a file",
}


def state_of(path: Path) -> tuple:
    """Everything about a path and its folder that opening a store must not change."""
    if path.is_dir():
        content: Any = sorted((p.name, p.read_bytes()) for p in path.iterdir())
    else:
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    return content, path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _real_store(tmp_path_factory.mktemp("real"))


@pytest.mark.parametrize("kind", BROKEN_KINDS)
def test_a_broken_store_file_is_explained_and_left_alone(
    kind: str, tmp_path: Path, real_store: Path
) -> None:
    broken = tmp_path / "store" / "crimjust.duckdb"
    broken.parent.mkdir()
    break_store(kind, broken, real_store)
    before = state_of(broken)
    for _attempt in range(2):  # and again: still explained, not half-opened
        with pytest.raises(StoreError) as failure:
            DuckDBStore(broken)
        message = str(failure.value)
        assert f"the database file {broken} {WHAT_IS_WRONG[kind]}" in message
        assert f"There is no backup in {tmp_path / 'store' / 'backups'}" in message
        assert "move the file aside" in message and "empty store" in message
    assert state_of(broken) == before  # not written, not replaced, nothing left beside it


def test_the_recovery_message_names_the_newest_backup(tmp_path: Path) -> None:
    path = tmp_path / "crimjust.duckdb"
    store = DuckDBStore(path)
    earlier_history(store)
    store.load(LoadRequest("seizures", LATER, "fixture", mode="replace"))  # backed up first
    store.release()
    (newest,) = backups_of(path)
    path.write_bytes(path.read_bytes()[:50_000])
    with pytest.raises(StoreError) as failure:
        DuckDBStore(path)
    assert f"copy the newest backup, {newest}, to {path}" in str(failure.value)


PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("kind", BROKEN_KINDS)
def test_every_page_explains_a_broken_store(kind: str, store_path: Path, real_store: Path) -> None:
    """Each page, reached through the router: one error saying what is wrong and how to
    recover, no exception, and the broken file neither written to nor seeded over."""
    from streamlit.testing.v1 import AppTest

    store_path.parent.mkdir(parents=True)
    break_store(kind, store_path, real_store)
    before = state_of(store_path)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    for page in PAGES:
        app.switch_page(page)
        app.run()
        assert not app.exception, (page, [e.value for e in app.exception])
        (error,) = app.error
        text = as_shown(error.value)
        assert text.startswith(f"The data store cannot be used: the database file {store_path}")
        assert WHAT_IS_WRONG[kind] in text and "To recover" in text, text
        assert len(app.main.children) == 1 and not app.sidebar.children, page  # nothing else
    assert state_of(store_path) == before


@pytest.mark.browser
def test_the_app_on_a_cut_short_store_explains_it_in_the_browser(
    page: Any, tmp_path: Path, real_store: Path
) -> None:
    from tests.conftest import _start_app, screenshot, wait_for_app

    broken = tmp_path / "var" / "crimjust.duckdb"
    broken.parent.mkdir()
    break_store("cut_short", broken, real_store)
    before = state_of(broken)
    server, url = _start_app(broken)
    try:
        for address in (url + "timelines", url + "upload?lang=es"):
            page.goto(address)
            wait_for_app(page, selector="[data-testid='stAlertContentError']")
            errors = page.locator("[data-testid='stAlertContentError']")
            assert errors.count() == 1
            text = errors.inner_text()
            assert str(broken) in text and str(broken.parent / "backups") in text, text
            assert page.locator("[data-testid='stException']").count() == 0
            screenshot(page, "broken_debug")
            assert page.locator("[data-testid='stSidebarNav']").count() == 0  # no page list
        screenshot(page, "broken_store_es")
        page.goto(url)
        wait_for_app(page, selector="[data-testid='stAlertContentError']")
        page.wait_for_timeout(3000)  # no rerun loop: still settled, still one error
        assert page.evaluate(APP_SETTLED)
        assert "cannot be used" in page.locator("[data-testid='stAlertContentError']").inner_text()
        screenshot(page, "broken_store")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert state_of(broken) == before  # the server never wrote to it nor seeded over it


# ---------------------------------------------------------------------------------------------
# Backups before a replace and before `migrate`

REPLACEMENT = seizures_frame([("R1", "2022-05-05", "ESP", "cocaine_unspecified", 7.0, None)])


def as_it_is(store: Store) -> tuple:
    """Everything a backup must hold: every version (with whether it is active) and its rows."""
    return [v.to_dict() for v in store.versions()], fingerprint(store)


def test_a_replace_backs_up_the_store_as_it_was_just_before(store_path: Path) -> None:
    store = DuckDBStore(store_path)
    load_demo(store, seed=5, seizures=500, cases=100, only_if_new=True)  # a seed: nothing to keep
    store.load(LoadRequest("seizures", FIRST, "fixture", "first.csv", "sha-first"))  # an append
    assert backups_of(store_path) == []
    before = as_it_is(store)
    with noting_backups() as taken:
        replaced = store.load(LoadRequest("seizures", REPLACEMENT, "fixture", mode="replace"))
    (backup,) = taken
    assert backups_of(store_path) == [backup]
    assert backup.parent == backup_folder(store_path) == store_path.parent / "backups"
    assert re.fullmatch(r"test-\d{8}T\d{6}\.\d{3}Z-before-replace\.duckdb", backup.name)
    assert as_it_is(DuckDBStore(backup)) == before  # opens as a store: exactly the versions
    assert replaced.version_id not in {v.version_id for v in DuckDBStore(backup).versions()}
    assert not list(backup.parent.glob(".*partial"))


def test_only_the_newest_backups_are_kept(store_path: Path) -> None:
    store = DuckDBStore(store_path)
    store.load(LoadRequest("seizures", FIRST, "fixture"))
    taken = []
    for n in range(KEEP_BACKUPS + 2):
        frame = seizures_frame([(f"R{n}", "2022-05-05", "ESP", "crack", 1.0 + n, None)])
        with noting_backups() as noted:
            store.load(LoadRequest("seizures", frame, "fixture", mode="replace"))
        taken += noted
    assert backups_of(store_path) == taken[-KEEP_BACKUPS:]
    assert sorted(p.name for p in backup_folder(store_path).iterdir()) == sorted(
        p.name for p in taken[-KEEP_BACKUPS:]
    )
    newest = DuckDBStore(taken[-1])
    assert len(newest.versions()) == KEEP_BACKUPS + 2  # the first load and every replace but one


def _readme_restore_steps() -> str:
    """The shell lines of the README's restore steps (its 'Backups and recovery' section)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Backups and recovery", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    (steps,) = [block for block in blocks if "cp var/backups/" in block]
    return steps


def test_the_readme_restore_steps_bring_back_the_backup(tmp_path: Path) -> None:
    """A replace, then the store file breaks: the README's steps, run as written (in a
    project folder of its own), put the backup in its place, and the store opens with it."""
    project = tmp_path / "project"
    live = project / "var" / "crimjust.duckdb"
    store = DuckDBStore(live)
    earlier_history(store)
    before = as_it_is(store)
    store.load(LoadRequest("seizures", REPLACEMENT, "fixture", mode="replace"))
    store.release()
    (backup,) = backups_of(live)
    live.write_bytes(live.read_bytes()[:40_000])  # damaged: cut short
    damaged = live.read_bytes()
    with pytest.raises(StoreError, match="copy the newest backup"):
        DuckDBStore(live)
    steps = _readme_restore_steps()
    example = re.search(r"var/backups/(crimjust-\S+\.duckdb)", steps)
    assert example, steps
    script = steps.replace(example.group(1), backup.name).replace(
        "python -m crimjust_data", f"{sys.executable} -m crimjust_data"
    )
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CRIMJUST_DB": str(live)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "active" in done.stdout  # the versions command listed the restored versions
    assert as_it_is(DuckDBStore(live)) == before
    assert (project / "var" / "damaged" / "crimjust.duckdb").read_bytes() == damaged  # kept


def cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crimjust_data", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def test_the_command_line_says_where_the_backup_went(store: Store, tmp_path: Path) -> None:
    """import --mode replace names the backup (DuckDB) or says PostgreSQL's are pg_dump's."""
    earlier_history(store)
    before = as_it_is(store)
    if isinstance(store, DuckDBStore):
        store.release()
    csv = tmp_path / "replacement.csv"
    REPLACEMENT.to_csv(csv, index=False)
    done = cli("import", str(csv), "--table", "seizures", "--mode", "replace")
    assert done.returncode == 0, done.stderr
    if isinstance(store, DuckDBStore):
        (backup,) = backups_of(store.path)
        assert f"backup of the store as it was before: {backup}" in done.stdout
        assert as_it_is(DuckDBStore(backup)) == before
    else:
        assert "pg_dump" in done.stdout and "backup of the store" not in done.stdout
    json_run = cli(
        "import", str(csv), "--table", "seizures", "--mode", "replace", "--format", "json"
    )
    assert json_run.returncode == 0, json_run.stderr
    assert json.loads(json_run.stdout)["ok"]  # the note goes to stderr: stdout stays JSON
    assert ("backup of the store" if isinstance(store, DuckDBStore) else "pg_dump") in (
        json_run.stderr
    )


def test_migrate_backs_up_the_duckdb_file_first(store_path: Path, postgres_url: str) -> None:
    source = DuckDBStore(store_path)
    earlier_history(source)
    before = as_it_is(source)
    source.release()
    done = cli("migrate", "--from", str(store_path), "--to", postgres_url)
    assert done.returncode == 0, done.stderr
    (backup,) = backups_of(store_path)
    assert backup.name.endswith("-before-migrate.duckdb")
    assert f"backup of the store as it was before: {backup}" in done.stdout
    assert as_it_is(DuckDBStore(backup)) == before


def test_the_upload_page_says_where_the_backup_went(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crimjust_data import auth
    from tests.conftest import run_page

    secrets = tmp_path / "secrets.toml"
    monkeypatch.setenv("CRIMJUST_SECRETS", str(secrets))
    auth.add_user("ana", "a long enough password", path=secrets)
    app = run_page("pages/upload.py")  # seeds the demo data: something to back up
    app.text_input(key="auth_name").input("ana")
    app.text_input(key="auth_password").input("a long enough password")
    app.button(key="auth_submit").click().run()
    app.selectbox(key="upload_table").set_value("seizures")
    app.radio(key="upload_mode").set_value("replace")
    upload = REPLACEMENT.to_csv(index=False).encode()
    app.file_uploader(key="upload_file").set_value(("new.csv", upload, "text/csv")).run()
    app.text_input(key="upload_password").input("a long enough password")
    app.button(key="upload_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    (backup,) = backups_of(store_path)
    assert any(
        as_shown(c.value) == f"The store as it was before this import was backed up to {backup}."
        for c in app.caption
    ), [c.value for c in app.caption]
