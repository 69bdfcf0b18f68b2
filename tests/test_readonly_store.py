"""A read-only or full disk (issue 17, #7): viewing never writes, a read-only store is read as
usual, and a change to it (or one that meets a full disk) is refused with StoreNotWritableError,
nothing changed. The disks are real: as root a tmpfs mounted over the store's folder (remounted
read-only, or filled up); otherwise the folder's permissions and a file size limit (ulimit -f).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from crimjust_data import errors
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.store import DuckDBStore, LoadRequest, open_store
from tests.conftest import APP, seizures_frame

ROOT = Path(__file__).resolve().parents[1]
READ_ONLY = "can only be read"


class Disk:
    """A folder on a disk of its own: a small tmpfs when this process may mount one (root),
    else a plain folder whose permissions make it read-only."""

    def __init__(self, folder: Path, megabytes: int) -> None:
        folder.mkdir(parents=True)
        self.folder = folder
        self.mounted = os.geteuid() == 0 and self._mount(f"size={megabytes}m")
        if os.geteuid() == 0 and not self.mounted:
            pytest.skip("root, but no tmpfs can be mounted: permissions do not bind root")

    def _mount(self, options: str) -> bool:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(self.folder)],
            capture_output=True,
            check=False,
        )
        return done.returncode == 0

    def make_read_only(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)
            return
        for path in [self.folder, *self.folder.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)

    def fill(self, leave: int) -> None:
        """Take all the free space but `leave` bytes (tmpfs only)."""
        stats = os.statvfs(self.folder)
        free = stats.f_bavail * stats.f_frsize
        with (self.folder / "filler").open("wb") as filler:
            filler.write(b"\0" * max(free - leave, 0))

    def free(self) -> None:
        (self.folder / "filler").unlink()

    def release(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=False)
        else:
            for path in [self.folder, *self.folder.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o200)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    made = Disk(tmp_path / "disk", megabytes=16)
    try:
        yield made
    finally:
        made.release()


def cli(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None, max_file: int = 0
) -> subprocess.CompletedProcess[str]:
    """`python -m crimjust_data ARGS` in a child process on the DuckDB file `db` (or `env`),
    with writes past `max_file` bytes refused (EFBIG) when given."""
    clean = {
        k: v for k, v in os.environ.items() if k not in ("CRIMJUST_DATABASE_URL", "CRIMJUST_DB")
    }
    extra = {"CRIMJUST_DB": str(db)} if db else {}

    def limit() -> None:
        if max_file:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error to handle, not a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file, max_file))

    return subprocess.run(
        [sys.executable, "-m", "crimjust_data", *args],
        env={**clean, "PYTHONPATH": str(ROOT), **extra, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=limit,
    )


def fingerprint(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under `folder`: size, modification time and SHA-256."""
    return {
        str(p.relative_to(folder)): (
            p.stat().st_size,
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def seizures_csv(path: Path, ids: list[str]) -> Path:
    lines = ["seizure_id,date,country_iso3,drug,quantity_kg,location"]
    lines += [
        f"{i},2023-03-0{1 + n % 9},COL,cocaine_hcl,{n + 1},port {n}" for n, i in enumerate(ids)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def small_store(path: Path) -> None:
    store = DuckDBStore(path)
    load_demo(store, 2016, 300, 120)
    store.release()


def versions(db: Path) -> list[dict]:
    done = cli("versions", "--format", "json", db=db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_read_only_refusal(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert READ_ONLY in done.stderr and "nothing was changed" in done.stderr
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr


def test_viewing_a_current_store_writes_nothing(tmp_path: Path) -> None:
    """Opening the store ran a write transaction (its schema, again) every time."""
    db = tmp_path / "var" / "crimjust.duckdb"
    small_store(db)
    before = fingerprint(db.parent)
    for args in (
        ["versions"],
        ["metrics"],
        ["validate", str(seizures_csv(tmp_path / "s.csv", ["A1"])), "--table", "seizures"],
    ):
        done = cli(*args, db=db)
        assert done.returncode == 0, done.stderr
    assert fingerprint(db.parent) == before
    opened = open_store(str(db))
    assert opened.versions()
    opened.release()  # type: ignore[attr-defined]
    assert fingerprint(db.parent) == before
    assert not opened.read_only


def test_a_store_on_a_read_only_disk_is_viewed_and_refuses_changes(
    disk: Disk, tmp_path: Path
) -> None:
    db = disk.folder / "crimjust.duckdb"
    small_store(db)
    listed = versions(db)
    disk.make_read_only()
    before = fingerprint(disk.folder)

    assert versions(db) == listed
    done = cli("metrics", "--format", "json", db=db)
    assert done.returncode == 0 and json.loads(done.stdout), done.stderr
    out = tmp_path / "snapshot.zip"
    done = cli("snapshot", "--out", str(out), db=db)
    assert done.returncode == 0 and out.stat().st_size > 0, done.stderr
    new_ids = seizures_csv(tmp_path / "new.csv", ["N-1", "N-2"])
    for args in (["validate", str(new_ids)], ["import", str(new_ids), "--dry-run"]):
        done = cli(*args, "--table", "seizures", db=db)
        assert done.returncode == 0, done.stderr  # the checks only read

    assert_read_only_refusal(cli("import", str(new_ids), "--table", "seizures", db=db))
    assert_read_only_refusal(
        cli("import", str(new_ids), "--table", "seizures", "--mode", "replace", db=db)
    )
    assert_read_only_refusal(cli("rollback", str(listed[0]["version_id"]), db=db))
    assert_read_only_refusal(cli("demo", "--seizures", "20", "--cases", "5", db=db))
    assert fingerprint(disk.folder) == before
    assert versions(db) == listed

    opened = open_store(str(db))
    assert opened.read_only
    with pytest.raises(errors.StoreNotWritableError, match=READ_ONLY):
        opened.save_mapping("seizures", ["a"], {"a": "seizure_id"}, "ana")


def test_a_store_of_the_previous_release_on_a_read_only_disk_is_read(disk: Disk) -> None:
    """Its store_meta lacks the digest of the views, which a writable store would get at once."""
    db = disk.folder / "crimjust.duckdb"
    small_store(db)
    listed = versions(db)
    store = DuckDBStore(db)
    with store._transaction() as tx:
        tx.execute("DELETE FROM store_meta WHERE key = 'ddl_sha256'")
    store.release()
    disk.make_read_only()
    assert versions(db) == listed


def test_the_app_reads_a_read_only_store_and_says_why_it_cannot_seed_one(
    disk: Disk, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = disk.folder / "full.duckdb"
    small_store(full)
    empty = disk.folder / "empty.duckdb"
    DuckDBStore(empty).release()  # a store with its tables and no version: seeded at first run
    disk.make_read_only()

    monkeypatch.delenv("CRIMJUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("CRIMJUST_DB", str(full))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]

    monkeypatch.setenv("CRIMJUST_DB", str(empty))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception
    shown = " ".join(str(e.value) for e in app.error)
    assert "The data store cannot be used" in shown and READ_ONLY in shown


def test_no_store_is_made_on_a_read_only_disk(disk: Disk) -> None:
    disk.make_read_only()
    done = cli("versions", db=disk.folder / "var" / "crimjust.duckdb")
    assert done.returncode == 1
    assert "read-only" in done.stderr and "Nothing was changed" in done.stderr
    assert "unexpected" not in done.stderr
    assert list(disk.folder.iterdir()) == []


@pytest.mark.parametrize("command", ["import", "seed"])
def test_a_full_disk_during_a_change_changes_nothing(
    disk: Disk, tmp_path: Path, command: str
) -> None:
    """A big import into a store, or the demo seed of a new one (the app's first run)."""
    db = disk.folder / "crimjust.duckdb"
    if command == "import":
        small_store(db)
        big = seizures_csv(tmp_path / "big.csv", [f"B-{n}" for n in range(60_000)])
        args = ["import", str(big), "--table", "seizures"]
    else:
        DuckDBStore(db).release()
        args = ["demo", "--seizures", "60000", "--cases", "100"]
    listed = versions(db)
    if disk.mounted:
        disk.fill(leave=256 * 1024)
        done = cli(*args, db=db)
    else:
        done = cli(*args, db=db, max_file=db.stat().st_size + 256 * 1024)
    assert done.returncode == 1, done.stdout
    assert "disk is full" in done.stderr or "ulimit -f" in done.stderr, done.stderr
    assert "Nothing was changed" in done.stderr and "unexpected" not in done.stderr
    if disk.mounted:
        assert versions(db) == listed  # still read while the disk is full
        disk.free()
    assert versions(db) == listed
    done = cli(*args, db=db)  # with room again, the same change goes through
    assert done.returncode == 0, done.stderr
    assert len(versions(db)) > len(listed)


def read_only_url(url: str) -> str:
    return f"{url}%20-cdefault_transaction_read_only%3Don"


def test_a_read_only_postgres_database_is_viewed_and_refuses_changes(postgres_url: str) -> None:
    """A standby, or default_transaction_read_only: opening ran CREATE statements, which the
    server refused with an error of its own."""
    from crimjust_data.store.postgres_store import PostgresStore

    writable = PostgresStore(postgres_url)
    writable.load(
        LoadRequest(
            "seizures",
            seizures_frame([("P-1", "2023-01-02", "COL", "cocaine_hcl", 1.0, None)]),
            "test",
        )
    )
    writable.close()

    store = PostgresStore(read_only_url(postgres_url))
    try:
        assert [v.rows for v in store.versions()] == [1] and store.read_only
        more = LoadRequest(
            "seizures",
            seizures_frame([("P-2", "2023-01-02", "COL", "cocaine_hcl", 2.0, None)]),
            "test",
        )
        for change in (lambda: store.load(more), lambda: store.rollback(1)):
            with pytest.raises(errors.StoreNotWritableError, match=READ_ONLY):
                change()
        assert [(v.rows, v.active) for v in store.versions()] == [(1, True)]
    finally:
        store.close()
    done = cli(
        "versions", "--format", "json", env={"CRIMJUST_DATABASE_URL": read_only_url(postgres_url)}
    )
    assert done.returncode == 0 and len(json.loads(done.stdout)) == 1, done.stderr
    done = cli("rollback", "1", env={"CRIMJUST_DATABASE_URL": read_only_url(postgres_url)})
    assert_read_only_refusal(done)


def test_a_new_read_only_postgres_database_says_it_cannot_be_set_up(postgres_url: str) -> None:
    from crimjust_data.store.postgres_store import PostgresStore

    with pytest.raises(errors.StoreNotWritableError, match="must be set up"):
        PostgresStore(read_only_url(postgres_url))


def test_a_role_that_may_only_read_is_refused_in_the_write(
    postgres_server: str, postgres_url: str
) -> None:
    """The server refuses the INSERT itself (permission denied): the same error, nothing kept."""
    import psycopg

    from crimjust_data.store.postgres_store import PostgresStore

    writable = PostgresStore(postgres_url)
    writable.close()
    schema = postgres_url.rsplit("%3D", 1)[1]
    role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN")
        connection.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        connection.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    reader_url = postgres_url.replace("postgresql://postgres:", f"postgresql://{role}:")
    store = PostgresStore(reader_url)
    try:
        frame = seizures_frame([("R-1", "2023-01-02", "COL", "cocaine_hcl", 1.0, None)])
        with pytest.raises(
            errors.StoreNotWritableError, match=r"could not write to .*Nothing was changed"
        ):
            store.load(LoadRequest("seizures", frame, "test"))
        assert store.versions() == []
        assert pd.isna(store.query("SELECT max(version_id) AS v FROM versions").iloc[0]["v"])
    finally:
        store.close()
        with psycopg.connect(postgres_server, autocommit=True) as connection:
            connection.execute(f"DROP OWNED BY {role}")
            connection.execute(f"DROP ROLE {role}")
