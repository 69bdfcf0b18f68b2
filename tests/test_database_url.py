"""Where the store is, read strictly (issue 17, #4): a malformed CRIMJUST_DATABASE_URL,
CRIMJUST_DB or `migrate --to/--from` is refused with the setting's name and the form expected,
never with its value, and nothing is created; the valid spellings of a PostgreSQL URL are
PostgreSQL, never a folder. Each attack runs the real command line in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crimjust_data import errors, paths
from tests.conftest import APP
from tests.xss_corpus import as_shown

ROOT = Path(__file__).resolve().parents[1]
SECRET = "S3cret-pw-17"
HOST = "db.example.invalid"  # never resolves: nothing is reached even if a URL were used

MALFORMED_URLS = [
    f"postgresql//ana:{SECRET}@{HOST}/crimjust",  # '//' without ':'
    f"postgresql:/ana:{SECRET}@{HOST}/crimjust",  # one slash
    f"postgres ql://ana:{SECRET}@{HOST}/crimjust",  # a space in the scheme
    f"host={HOST} password={SECRET} dbname=crimjust",  # a libpq key=value string
    f"host={HOST} password='{SECRET}' dbname=crimjust",
    f"postgresql://ana:{SECRET}%zz@{HOST}/crimjust",  # a bad percent escape: libpq quotes it
    f"postgresql://ana:{SECRET}@{HOST}:54x32/crimjust",  # a port that is not a number
    f"postgresql://ana:{SECRET} x@{HOST}/crimjust",  # a space in the password
    f"mysql://ana:{SECRET}@{HOST}/crimjust",  # another database
    f"{SECRET}",
]
MALFORMED_PATHS = [
    f"postgresql://ana:{SECRET}@{HOST}/crimjust",  # a URL where a file goes
    f"POSTGRESQL://ana:{SECRET}@{HOST}/crimjust",
    f"postgresql+psycopg://ana:{SECRET}@{HOST}/crimjust",
    f"postgresql//ana:{SECRET}@{HOST}/crimjust",
    f"host={HOST} password={SECRET} dbname=crimjust",
    f"ana:{SECRET}@{HOST}/crimjust.duckdb",
]


def cli(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m crimjust_data ARGS` in a child process started in `cwd`, with no store
    configured but what `env` sets."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CRIMJUST_DATABASE_URL", "CRIMJUST_DB", "PGPASSWORD")
    }
    return subprocess.run(
        [sys.executable, "-m", "crimjust_data", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty working folder holding one small file to import (and nothing else)."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "seizures.csv").write_text(
        "seizure_id,date,country_iso3,drug,quantity_kg\nS-1,2023-01-05,COL,cocaine_hcl,2\n",
        encoding="utf-8",
    )
    return folder


def assert_refused(
    done: subprocess.CompletedProcess[str], setting: str, folder: Path, before: list[str]
) -> None:
    """Exit 1, the setting named with the form it needs, the value nowhere, nothing created."""
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert SECRET not in shown and HOST not in shown and "Traceback" not in shown
    assert f"error: {setting} " in done.stderr
    assert "postgresql://USER:PASSWORD@HOST:PORT/DATABASE" in done.stderr
    assert everything_under(folder) == before, "a file or folder was created"


IMPORT = ["import", "seizures.csv", "--table", "seizures"]
# every value with a read; the reported attacks (the first three of each list) with a write too
URL_RUNS = [(v, ["versions"]) for v in MALFORMED_URLS] + [(v, IMPORT) for v in MALFORMED_URLS[:4]]
PATH_RUNS = [(v, ["versions"]) for v in MALFORMED_PATHS] + [
    (v, IMPORT) for v in MALFORMED_PATHS[:3]
]


@pytest.mark.parametrize(("value", "command"), URL_RUNS)
def test_a_malformed_database_url_is_refused_unseen(
    workdir: Path, value: str, command: list[str]
) -> None:
    before = everything_under(workdir)
    done = cli(workdir, *command, env={"CRIMJUST_DATABASE_URL": value})
    assert_refused(done, "CRIMJUST_DATABASE_URL", workdir, before)


@pytest.mark.parametrize(("value", "command"), PATH_RUNS)
def test_a_url_or_connection_string_as_the_duckdb_file_is_refused_unseen(
    workdir: Path, value: str, command: list[str]
) -> None:
    before = everything_under(workdir)
    done = cli(workdir, *command, env={"CRIMJUST_DB": value})
    assert_refused(done, "CRIMJUST_DB", workdir, before)


@pytest.mark.parametrize("value", MALFORMED_URLS[:4])
def test_migrate_refuses_a_malformed_target_unseen(workdir: Path, value: str) -> None:
    before = everything_under(workdir)
    done = cli(workdir, "migrate", "--from", "store.duckdb", "--to", value)
    assert_refused(done, "--to", workdir, before)


@pytest.mark.parametrize("value", MALFORMED_PATHS[:2] + MALFORMED_PATHS[-2:])
def test_migrate_refuses_a_malformed_source_unseen(workdir: Path, value: str) -> None:
    before = everything_under(workdir)
    done = cli(workdir, "migrate", "--from", value, "--to", f"postgresql://ana@{HOST}/crimjust")
    assert_refused(done, "--from", workdir, before)


@pytest.mark.parametrize("scheme", ["POSTGRESQL://", "Postgres://", "postgresql+psycopg://"])
def test_other_spellings_of_a_postgres_url_reach_postgres(
    workdir: Path, postgres_url: str, scheme: str
) -> None:
    """The scheme in another case, or with SQLAlchemy's driver suffix, names the same database:
    it was a DuckDB path before, a folder named after the credentials."""
    before = everything_under(workdir)
    url = scheme + postgres_url.removeprefix("postgresql://")
    done = cli(
        workdir, "import", "seizures.csv", "--table", "seizures", env={"CRIMJUST_DATABASE_URL": url}
    )
    assert done.returncode == 0, done.stderr
    listed = cli(
        workdir, "versions", "--format", "json", env={"CRIMJUST_DATABASE_URL": postgres_url}
    )
    assert [v["rows"] for v in json.loads(listed.stdout)] == [1]
    assert everything_under(workdir) == before


def test_the_app_names_the_setting_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's first run seeded demo data into a folder named after the credentials."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRIMJUST_DB", raising=False)
    monkeypatch.setenv("CRIMJUST_DATABASE_URL", MALFORMED_URLS[0])
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    shown = as_shown(" ".join(str(e.value) for e in app.error))
    assert "The data store cannot be used" in shown
    assert "CRIMJUST_DATABASE_URL is not a PostgreSQL URL" in shown
    assert SECRET not in shown and not app.exception
    assert everything_under(tmp_path) == []


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("postgresql://ana:pw@db/crimjust", "postgresql://ana:pw@db/crimjust"),
        ("postgres://ana@db:5433/crimjust", "postgresql://ana@db:5433/crimjust"),
        ("POSTGRESQL://ana@db/crimjust", "postgresql://ana@db/crimjust"),
        ("postgresql+psycopg://ana@db/x", "postgresql://ana@db/x"),
        (
            "postgresql://ana@[::1]:5432/x?sslmode=require",
            "postgresql://ana@[::1]:5432/x?sslmode=require",
        ),
        (" postgresql://db1,db2/x \n", "postgresql://db1,db2/x"),
    ],
)
def test_postgres_urls_accepted(value: str, url: str) -> None:
    assert paths.postgres_url(value, "CRIMJUST_DATABASE_URL") == url


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("var/crimjust.duckdb", True),
        ("/srv/data/crimjust-2024_v2.duckdb", True),
        ("C:\\data\\crimjust.duckdb", True),
        ("~/crimjust.duckdb", True),
        ("data/run=3/crimjust.duckdb", False),
        ("me@host/crimjust.duckdb", False),
        ("C:\\a:b.duckdb", False),
        ("duckdb:///var/crimjust.duckdb", False),
    ],
)
def test_the_duckdb_path_rule(value: str, accepted: bool) -> None:
    if accepted:
        assert paths.duckdb_file(value, "CRIMJUST_DB") == Path(value).expanduser()
    else:
        with pytest.raises(errors.StoreLocationError, match="CRIMJUST_DB must be the path"):
            paths.duckdb_file(value, "CRIMJUST_DB")
