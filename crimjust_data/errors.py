"""Exceptions with messages a user can act on. The UI and CLI show str(exc), never a traceback."""

from __future__ import annotations


class CrimjustError(Exception):
    """Base class: anything the user can fix or should be told about."""


class InputFileError(CrimjustError):
    """A file could not be read as the table it claims to be (unreadable, wrong layout, empty)."""


class StoreError(CrimjustError):
    """The store could not do what was asked (locked, unknown version, corrupt file)."""


class DuplicateLoadError(StoreError):
    """The same file (by sha256) is already loaded and active for this table."""
