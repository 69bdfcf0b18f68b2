"""Hostile input files (issue 8): every case of tests/hostile_corpus.py imported the way users
import, on a store holding the demo data.

- The command line (`python -m crimjust_data import PATH --table T --format json`) in a
  subprocess bounded in time (60 s) and address space (4 GiB): it must exit 0 or 1, never with a
  traceback or an 'unexpected' error, with the expected message; a rejected file leaves the store
  exactly as it was (versions, row counts and a checksum of every stored row, computed in SQL);
  an accepted one adds exactly one version holding exactly the rows expected. Every case runs on
  DuckDB, the cases marked `postgres` also on PostgreSQL.
- The upload page's path (`prepare_upload`) in this process, with the upload limits of the case:
  the same verdict and message, or the refusal of a file over the limits.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from crimjust_data.errors import CrimjustError
from crimjust_data.ingest.pipeline import (
    TABLE_ALIASES,
    UploadTooLarge,
    load_demo,
    prepare_upload,
)
from crimjust_data.schemas import RowError, ValidationFailed
from crimjust_data.store import DuckDBStore, Store
from crimjust_data.store.ddl import COLUMN_TYPES, ROLLUP_TYPES
from tests.conftest import schema_url
from tests.hostile_corpus import CASES, Case, materialise

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 60
# Address space, not resident memory: an import reserves about 2.5 GB of it (arenas, thread
# stacks, pools) while using about 300 MB; below 3 GB threads fail to start at random.
MEMORY_BYTES = 4 << 30
WORKERS = 2
# Every table the store keeps rows in: a rejected file must change none of them.
TABLES = (*COLUMN_TYPES, *ROLLUP_TYPES, "header_mappings")
PG_CASES = [case for case in CASES if case.postgres]


# ---------------------------------------------------------------------------------------------
# The store's state: versions, and per table a row count and a checksum of its rows


@dataclass(frozen=True)
class StoreState:
    versions: tuple[tuple[Any, ...], ...]
    tables: dict[str, tuple[int, str]]


def store_state(store: Store, up_to_version: int | None = None) -> StoreState:
    """What the store holds (only versions up to `up_to_version`, if given): each version's
    record, and each table's row count and MD5 of its rows' MD5s in sorted order."""
    versions = [v.to_dict() for v in store.versions()]
    if up_to_version is not None:
        versions = [v for v in versions if v["version_id"] <= up_to_version]
    tables: dict[str, tuple[int, str]] = {}
    for table in TABLES:
        where = ""
        if up_to_version is not None and table != "header_mappings":
            where = f"WHERE t.version_id <= {int(up_to_version)}"
        record = store.query(
            "SELECT count(*) AS n, coalesce(md5(string_agg(h, ',' ORDER BY h)), '') AS digest "
            f"FROM (SELECT md5(CAST(t AS TEXT)) AS h FROM {table} AS t {where}) AS hashed"
        ).iloc[0]
        tables[table] = (int(record["n"]), str(record["digest"]))
    return StoreState(tuple(tuple(sorted(v.items())) for v in versions), tables)


def last_version(state: StoreState) -> int:
    return max((dict(v)["version_id"] for v in state.versions), default=0)


def stored_rows(store: Store, case: Case, version_id: int) -> list[tuple[Any, ...]]:
    table = TABLE_ALIASES[case.table]
    columns = ", ".join(case.columns)
    frame = store.query(
        f"SELECT {columns} FROM {table} WHERE version_id = ? ORDER BY {case.columns[0]}",
        [version_id],
    )
    return [tuple(r) for r in frame.itertuples(index=False)]


def same_value(a: Any, b: Any) -> bool:
    """Equal, and for floats of the same sign (a stored -0.0 is not the 0 an analyst meant)."""
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == float(b) and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


# ---------------------------------------------------------------------------------------------
# One run of the command line


@dataclass
class Run:
    case: Case
    backend: str
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    before: StoreState
    after: StoreState | None = None
    after_older: StoreState | None = None  # after, without the version the run added
    new_rows: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def report(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.stdout)
        except ValueError:
            return None

    @property
    def crashed(self) -> str | None:
        """Why this run counts as a crash or hang (None: it ended as designed)."""
        if self.returncode is None:
            return f"no answer within {TIMEOUT_S} s"
        if self.returncode not in (0, 1):
            return f"exit code {self.returncode}"
        if "Traceback" in self.stderr or "unexpected" in self.stderr:
            return f"an unexpected error: {self.stderr[-2000:]}"
        if self.report is None:
            return f"no JSON report: {self.stdout[-500:]!r} {self.stderr[-500:]!r}"
        return None

    @property
    def changed_on_rejection(self) -> bool:
        return self.after is not None and self.after != self.before and not self.accepted

    @property
    def accepted(self) -> bool:
        return bool(self.report and self.report["ok"])

    def lines(self, kind: str) -> list[str]:
        """The report's errors or warnings, each as RowError prints it."""
        return [str(RowError(**item)) for item in (self.report or {}).get(kind, [])]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run_cli(case: Case, path: Path, store_env: dict[str, str], store: Store, backend: str) -> Run:
    """Import `path` with the command line, bounded in time and memory, and note the store's
    state before and after."""
    before = store_state(store)
    release(store)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRIMJUST_")}
    env.update(store_env, **case.limits, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "crimjust_data", "import", str(path)]
    command += ["--table", case.table, "--format", "json"]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT_S,
            preexec_fn=_limit_memory,
        )
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = None, str(exc.stdout or ""), str(exc.stderr or "")
    run = Run(case, backend, code, out, err, time.perf_counter() - started, before)
    run.after = store_state(store)
    if run.accepted and run.crashed is None:
        newest = last_version(run.after)
        if newest > last_version(before):
            run.new_rows = stored_rows(store, case, newest)
            run.after_older = store_state(store, up_to_version=last_version(before))
    release(store)
    return run


def release(store: Store) -> None:
    """Let the command line open the DuckDB file (one process writes to it at a time)."""
    if isinstance(store, DuckDBStore):
        store.release()


# ---------------------------------------------------------------------------------------------
# All selected runs, started together: DuckDB cases in parallel (one copy of the demo store
# each), the PostgreSQL subset one after another on one demo store.


def _selected(session: pytest.Session, test_name: str) -> list[str]:
    return [
        item.callspec.params["name"]
        for item in session.items
        if getattr(item, "originalname", None) == test_name and hasattr(item, "callspec")
    ]


class Runs:
    def __init__(self, request: pytest.FixtureRequest, folder: Path) -> None:
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="hostile")
        self.duckdb: dict[str, Future[Run]] = {}
        self.postgres: Future[dict[str, Run]] | None = None
        self.postgres_skip: str | None = None
        duckdb_names = _selected(request.session, "test_cli_duckdb")
        postgres_names = _selected(request.session, "test_cli_postgres")
        if postgres_names:  # first: one worker goes through them while the other takes DuckDB's
            try:
                server = request.getfixturevalue("postgres_server")
            except pytest.skip.Exception as exc:
                self.postgres_skip = str(exc)
            else:
                self.postgres = self.pool.submit(self._postgres_runs, postgres_names, server)
        demo = folder / "demo.duckdb"
        if duckdb_names:
            seeded = DuckDBStore(demo)
            load_demo(seeded)
            seeded.release()
        for name in duckdb_names:
            self.duckdb[name] = self.pool.submit(self._duckdb_run, name, demo)

    def _duckdb_run(self, name: str, demo: Path) -> Run:
        case = next(c for c in CASES if c.name == name)
        folder = self.folder / "duckdb" / name
        folder.mkdir(parents=True)
        database = folder / "store.duckdb"
        shutil.copyfile(demo, database)
        path = materialise(case, folder)
        store = DuckDBStore(database)
        return run_cli(case, path, {"CRIMJUST_DB": str(database)}, store, "duckdb")

    def _postgres_runs(self, names: list[str], server: str) -> dict[str, Run]:
        import psycopg

        from crimjust_data.store.postgres_store import PostgresStore

        schema = f"hostile_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        url = schema_url(server, schema)
        store = PostgresStore(url)
        try:
            load_demo(store, seizures=1500, cases=800)
            runs = {}
            for name in names:
                case = next(c for c in CASES if c.name == name)
                path = materialise(case, self.folder / "postgres")
                runs[name] = run_cli(case, path, {"CRIMJUST_DATABASE_URL": url}, store, "pg")
            return runs
        finally:
            store.close()
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="module")
def runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runs]:
    started = Runs(request, tmp_path_factory.mktemp("hostile"))
    yield started
    started.pool.shutdown(wait=True)


# ---------------------------------------------------------------------------------------------
# The checks


def check_run(run: Run) -> None:
    case = run.case
    assert run.crashed is None, f"{case.name} ({run.backend}): {run.crashed}"
    errors, warnings = run.lines("errors"), run.lines("warnings")
    assert run.after is not None
    if case.rejected:
        assert run.returncode == 1 and not run.accepted, (case.name, warnings)
        assert any(_matches(case.message, line) for line in errors), (case.name, errors)
        assert run.after == run.before, f"{case.name}: a rejected file changed the store"
        return
    assert run.returncode == 0 and run.accepted, (case.name, errors)
    if case.message is None:
        assert warnings == [], case.name
    else:
        assert any(_matches(case.message, line) for line in warnings), (case.name, warnings)
    # exactly one new version, of this file and table, holding exactly the rows expected
    assert len(run.after.versions) == len(run.before.versions) + 1
    newest = dict(run.after.versions[0])  # newest first
    assert (newest["table"], newest["rows"], newest["file_name"]) == (
        TABLE_ALIASES[case.table],
        case.added_rows,
        case.file_name,
    )
    assert run.after_older == run.before, f"{case.name}: the versions already stored changed"
    table = TABLE_ALIASES[case.table]
    assert run.after.tables[table][0] == run.before.tables[table][0] + case.added_rows
    if case.stored:
        assert len(run.new_rows) == len(case.stored), (case.name, run.new_rows)
        for got, want in zip(run.new_rows, case.stored, strict=True):
            assert all(same_value(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def _matches(pattern: str | None, line: str) -> bool:
    return pattern is not None and re.search(pattern, line) is not None


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_cli_duckdb(runs: Runs, name: str) -> None:
    check_run(runs.duckdb[name].result(timeout=600))


@pytest.mark.parametrize("name", [case.name for case in PG_CASES])
def test_cli_postgres(runs: Runs, name: str) -> None:
    if runs.postgres is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI: {runs.postgres_skip}")
        pytest.skip(runs.postgres_skip or "no PostgreSQL")
    check_run(runs.postgres.result(timeout=900)[name])


# ---------------------------------------------------------------------------------------------
# The upload page's path


def upload_lines(exc: BaseException) -> list[str]:
    if isinstance(exc, ValidationFailed):
        return [str(e) for e in exc.errors]
    return [str(RowError(None, None, None, str(exc)))]


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_upload(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(c for c in CASES if c.name == name)
    for variable in ("CRIMJUST_MAX_UPLOAD_MB", "CRIMJUST_MAX_ROWS"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in case.limits.items():
        monkeypatch.setenv(variable, value)
    data = case.build()
    table = TABLE_ALIASES[case.table]
    if case.upload is not None:
        with pytest.raises(CrimjustError) as refused:
            prepare_upload(case.file_name, data, table)
        assert any(_matches(case.upload, line) for line in upload_lines(refused.value))
        if case.limits:
            assert isinstance(refused.value, UploadTooLarge)
        return
    if case.rejected and not case.by_store:
        with pytest.raises(CrimjustError) as rejected:
            prepare_upload(case.file_name, data, table)
        lines = upload_lines(rejected.value)
        assert any(_matches(case.message, line) for line in lines), lines
        return
    # accepted, or refused only by the store (ids already stored: the page's load says so)
    request, warnings = prepare_upload(case.file_name, data, table)
    assert len(request.frame) == (1 if case.by_store else case.added_rows)
    shown = [str(w) for w in warnings]
    if case.message is None or case.by_store:
        assert shown == []
    else:
        assert any(_matches(case.message, line) for line in shown), shown


def test_summary(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    """One line: cases tried, crashes, and data changes on rejected files (both must be 0)."""
    done = [future.result(timeout=600) for future in runs.duckdb.values()]
    if runs.postgres is not None:
        done += list(runs.postgres.result(timeout=900).values())
    crashes = [f"{r.case.name} ({r.backend})" for r in done if r.crashed]
    changes = [f"{r.case.name} ({r.backend})" for r in done if r.changed_on_rejection]
    slowest = max(done, key=lambda r: r.seconds, default=None)
    with capsys.disabled():
        print(
            f"\nhostile input: {len(done)} command-line imports of {len(CASES)} cases "
            f"({sum(r.backend == 'pg' for r in done)} on PostgreSQL), crashes: {len(crashes)}, "
            f"data changes on rejected files: {len(changes)}"
            + (f", slowest {slowest.case.name} {slowest.seconds:.1f} s" if slowest else "")
        )
    assert crashes == [] and changes == []
