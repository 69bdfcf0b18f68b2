"""The store and cached reads of it, for the pages.

Data is cached on small hashable keys (database path, the store's state token, the language,
the query and its own arguments), never on a DataFrame, so a load or a rollback invalidates
exactly the entries it changes. The token is read once per script run (`frame.begin_run`); a
read that finds the store moved on since then is not cached, and the run starts again on the
new state, so a page never shows two versions at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from crimjust_data import auth, i18n, metrics, view_state
from crimjust_data.i18n import _
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters
from crimjust_data.paths import store_locator
from crimjust_data.snapshot import content
from crimjust_data.store import Store, open_store

TOKEN_KEY = "frame_store_token"  # session_state: the store's state token read by this run
_seed_lock = threading.Lock()
_known_not_new: set[str] = set()  # databases already checked: no query on later reruns
auth.redact_logs()  # a database driver's warning may quote the URL with its password


@st.cache_resource(show_spinner=False)
def _store_for(locator: str) -> Store:
    return open_store(locator)


def store() -> Store:
    """The store configured for this process (CRIMJUST_DATABASE_URL, CRIMJUST_DB or the default)."""
    return _store_for(store_locator())


def ready_store() -> Store:
    """The store, seeded with demo data if nothing was ever loaded into it."""
    path = store_locator()
    current = _store_for(path)
    if path in _known_not_new:
        return current
    with _seed_lock:  # two first visitors must not both seed (nor two replicas: only_if_new)
        if current.is_new():
            with st.spinner(_("First run: generating synthetic demo data…")):
                load_demo(current, only_if_new=True)
        _known_not_new.add(path)
    return current


def read_token() -> None:
    """Read the store's state token for this run (the start of every run of app.py)."""
    st.session_state[TOKEN_KEY] = store().state_token()


def cache_key() -> tuple[str, str]:
    """(database path, state token): the first two arguments of every cached read."""
    token = st.session_state.get(TOKEN_KEY) or store().state_token()
    return store_locator(), token


class _StoreMoved(Exception):
    """A load or a rollback committed after this run read the store's state token."""


def _still_at(path: str, token: str, result: Any) -> Any:
    """`result`, if the store is still at `token` after it was read; else _StoreMoved, which
    st.cache_data does not cache. Without this, a read that ran after a commit would be cached
    under the older token, and a page would show figures of two versions side by side."""
    if _store_for(path).state_token() != token:
        raise _StoreMoved
    return result


def _rerun_if_moved(read: Callable[[], Any]) -> Any:
    """`read()`, or a fresh run of the script if the store moved on since this run began:
    part of the page may already be drawn from the older state, so the whole run starts again."""
    try:
        return read()
    except _StoreMoved:
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(
    path: str,
    token: str,
    lang: str,
    name: str,
    args: tuple[Any, ...],
    _function: Callable[..., Any],  # named by `name`: not hashed
) -> Any:
    with i18n.using(lang):  # what a query writes in words is cached per language
        return _still_at(path, token, _function(_store_for(path), *args))


def query(function: Callable[..., Any], *args: Any) -> Any:
    """`function(store, *args)`, cached on the store state, the language, the function's
    qualified name and the (hashable) arguments."""
    path, token = cache_key()
    name = f"{function.__module__}.{function.__qualname__}"
    return _rerun_if_moved(lambda: _cached_query(path, token, i18n.current(), name, args, function))


def filter_choices() -> view_state.FilterChoices:
    return query(view_state.filter_choices)


def data_freshness() -> pd.DataFrame:
    return query(metrics.data_freshness)


@st.cache_data(show_spinner=False, max_entries=64)
def _snapshot(
    path: str,
    token: str,
    ui_lang: str,
    filters: Filters,
    lang: str,
    threshold: int,
    _state: content.StoreState,  # follows from (path, token): not hashed
) -> content.Snapshot:
    with i18n.using(ui_lang):
        built = content.build(
            _store_for(path), filters, lang=lang, threshold=threshold, rows=False, state=_state
        )
    return _still_at(path, token, built)


def snapshot_without_rows(filters: Filters, lang: str, threshold: int) -> content.Snapshot:
    """The export page's snapshot without the filtered rows; what no filter changes (sources,
    versions, the data's dates) comes from one cache entry for every filter."""
    path, token = cache_key()
    state = query(content.store_state)
    return _rerun_if_moved(
        lambda: _snapshot(path, token, i18n.current(), filters, lang, threshold, state)
    )
