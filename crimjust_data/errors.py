"""Exceptions with messages a user can act on. The UI and CLI show str(exc), never a traceback.

Messages are translated (crimjust_data.i18n) when the exception is raised, in the language of
the run that raises it: the command line runs in English.
"""

from __future__ import annotations


class CrimjustError(Exception):
    """Base class: anything the user can fix or should be told about."""


class InputFileError(CrimjustError):
    """A file could not be read as the table it claims to be (unreadable, wrong layout, empty)."""


class StoreError(CrimjustError):
    """The store could not do what was asked (locked, unknown version, corrupt file)."""


class DuplicateLoadError(StoreError):
    """The same file (by sha256) is already loaded and active for this table."""

    def __init__(
        self, message: str, *, version_id: int | None = None, table: str | None = None
    ) -> None:
        super().__init__(message)
        self.version_id = version_id  # the active version holding the same file
        self.table = table


class StoreLocationError(StoreError):
    """CRIMJUST_DATABASE_URL, CRIMJUST_DB, `migrate --to` or `--from` is not in a form this
    program reads. The message names the setting, never its value (it may hold a password)."""


class StoreNotWritableError(StoreError):
    """A change to the store was refused, and nothing was changed: the store is read-only (its
    file, folder, disk or database) or its disk is full. Reading it still works."""
