"""Backups of a DuckDB store, taken before a load in replace mode and before `migrate`.

A backup is a byte copy of the whole store file, made while this process holds the file's
write lock (no write can start: see duckdb_store) after a CHECKPOINT has written every
committed change into it, so it is the store exactly as it was before the load: it opens as
a store with the same versions. It is written under a temporary name and renamed when
complete, so a crash never leaves a half backup under a backup's name.

Backups go to `backups/` beside the store file (var/backups/ for var/crimjust.duckdb), named
`<store>-<UTC time>-before-<reason>.duckdb`; the newest KEEP_BACKUPS of each store are kept.
A PostgreSQL store takes no backup of its own: that is the database server's job (pg_dump).

Restoring (README, 'Backups and recovery'): stop the app and any import, move the store file
(and its .wal, if there is one) aside, copy the backup to the store's name, start again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

KEEP_BACKUPS = 5
BACKUP_FOLDER = "backups"
_STAMP = "%Y%m%dT%H%M%S"

# The backups taken inside `noting_backups()` blocks of this thread (None: nobody asked).
_noted: ContextVar[list[Path] | None] = ContextVar("crimjust_backups_noted", default=None)


def backup_folder(store_file: Path) -> Path:
    """Where the backups of `store_file` go: `backups/` beside it."""
    return Path(store_file).parent / BACKUP_FOLDER


def _pattern(store_file: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(Path(store_file).stem) + r"-(\d{8}T\d{6}\.\d{3}Z)-before-[a-z]+\.duckdb"
    )


def backups_of(store_file: Path) -> list[Path]:
    """The backups of `store_file`, oldest first."""
    folder = backup_folder(store_file)
    if not folder.is_dir():
        return []
    pattern = _pattern(store_file)
    found = [
        (match.group(1), path)
        for path in folder.iterdir()
        if (match := pattern.fullmatch(path.name)) and path.is_file()
    ]
    return [path for _stamp, path in sorted(found)]


def _new_name(store_file: Path, reason: str) -> Path:
    folder = backup_folder(store_file)
    when = dt.datetime.now(dt.UTC)
    while True:  # two backups within one millisecond: the second one a millisecond later
        stamp = f"{when:{_STAMP}}.{when.microsecond // 1000:03d}Z"
        path = folder / f"{Path(store_file).stem}-{stamp}-before-{reason}.duckdb"
        if not path.exists():
            return path
        when += dt.timedelta(milliseconds=1)


def copy_file(store_file: Path, reason: str, keep: int = KEEP_BACKUPS) -> Path:
    """Copy the (checkpointed, write-locked) `store_file` into its backup folder; drop the
    oldest backups beyond `keep`. Raises OSError (nothing is left behind but older backups)."""
    store_file = Path(store_file)
    folder = backup_folder(store_file)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f".{store_file.stem}-*.partial"):  # left by a crash mid-copy
        stale.unlink(missing_ok=True)
    target = _new_name(store_file, reason)
    partial = folder / f".{target.name}.partial"
    try:
        _copy_in_child(store_file, partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    for old in backups_of(store_file)[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    noted = _noted.get()
    if noted is not None:
        noted.append(target)
    return target


# The copy is made by a child process: this one must never open the store file itself, as
# closing any handle on a file drops every POSIX lock the process holds on it, DuckDB's own
# included, and another process could then open the store while this one writes to it.
_COPY = """
import os, shutil, sys
try:
    with open(sys.argv[1], "rb") as source, open(sys.argv[2], "wb") as copy:
        shutil.copyfileobj(source, copy, 1 << 20)
        copy.flush()
        os.fsync(copy.fileno())
except OSError as exc:
    print(exc.strerror or exc, file=sys.stderr)
    sys.exit(1)
"""


def _copy_in_child(source: Path, target: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _COPY, str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        lines = done.stderr.strip().splitlines()
        raise OSError(lines[-1] if lines else f"the copy failed (exit code {done.returncode})")


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (a crash right after it keeps the backup's name)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextmanager
def noting_backups() -> Iterator[list[Path]]:
    """Collect the backups that loads inside the block take (in this thread), to tell the user
    where they went: `with noting_backups() as taken: import_file(...)`."""
    taken: list[Path] = []
    token = _noted.set(taken)
    try:
        yield taken
    finally:
        _noted.reset(token)
