"""The only module of the package that imports streamlit: cached access for the pages.

Data is cached on small hashable keys (database path, the store's state token, the filters),
never on a DataFrame, so a load or a rollback invalidates exactly the entries it changes.
"""

from __future__ import annotations

import threading

import pandas as pd
import streamlit as st

from crimjust_data import metrics
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters, Headline
from crimjust_data.paths import database_path
from crimjust_data.store import Store, open_store

_seed_lock = threading.Lock()
_known_not_new: set[str] = set()  # databases already checked: no query on later reruns


@st.cache_resource(show_spinner=False)
def _store_for(path: str) -> Store:
    return open_store(path)


def store() -> Store:
    """The store configured for this process (CRIMJUST_DB or the default file)."""
    return _store_for(str(database_path()))


def ready_store() -> Store:
    """The store, seeded with demo data if nothing was ever loaded into it."""
    path = str(database_path())
    current = _store_for(path)
    if path in _known_not_new:
        return current
    with _seed_lock:  # two first visitors must not both seed
        if current.is_new():
            with st.spinner("First run: generating synthetic demo data…"):
                load_demo(current)
        _known_not_new.add(path)
    return current


def state_token() -> str:
    """Read once per rerun: every cached read below is keyed on it."""
    return store().state_token()


@st.cache_data(show_spinner=False, max_entries=256)
def headline(path: str, token: str, filters: Filters) -> Headline:
    return metrics.headline(_store_for(path), filters)


@st.cache_data(show_spinner=False, max_entries=256)
def region_comparison(path: str, token: str, filters: Filters) -> pd.DataFrame:
    return metrics.region_comparison(_store_for(path), filters)


@st.cache_data(show_spinner=False, max_entries=256)
def official_comparison(path: str, token: str, filters: Filters) -> pd.DataFrame:
    return metrics.official_comparison(_store_for(path), filters)


@st.cache_data(show_spinner=False, max_entries=16)
def data_freshness(path: str, token: str) -> pd.DataFrame:
    return metrics.data_freshness(_store_for(path))


def cache_key() -> tuple[str, str]:
    """(database path, state token): the first two arguments of every cached read."""
    return str(database_path()), state_token()
