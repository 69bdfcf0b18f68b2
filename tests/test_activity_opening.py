"""Which activity the Activities and results page opens on (issue 19): the most recent one
whose windows are whole in the data, whose case outcomes have been followed up, and whose
countries opened enough cases in each window; the page says why, and a link's own choice wins.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data.activities import complete
from crimjust_data.queries.activities import latest_complete
from crimjust_data.store import DuckDBStore, LoadRequest, Store
from tests.conftest import cases_frame, run_page, seizures_frame

D = dt.date
MONTHS = pd.date_range("2019-01-01", "2021-06-01", freq="MS")  # the data: Jan 2019 to Jun 2021


def _activity(activity_id: str, start: str, countries: list[str]) -> dict[str, object]:
    return {
        "activity_id": activity_id,
        "start_date": start,
        "end_date": None,
        "countries": countries,
        "type": "training",
        "title": f"Training {activity_id}",
        "partner": "unodc",
        "participants": 20,
        "notes": None,
        "source": "test fixture",
    }


# Oldest first. The data ends on 30 June 2021: case outcomes are followed up (12 months) for
# cases opened by 30 June 2020. With 3-month windows:
ACTIVITIES = pd.DataFrame(
    [
        _activity("E1", "2019-06-15", ["BRA"]),  # complete
        _activity("E2", "2020-01-15", ["BRA"]),  # complete: after Feb-Apr 2020 (the answer)
        _activity("E5", "2020-02-20", ["ARG"]),  # complete, but ARG opens 1 case a quarter
        _activity("E3", "2020-09-01", ["BRA"]),  # after Oct-Dec 2020: not followed up
        _activity("E4", "2021-05-01", ["BRA"]),  # after Jun-Aug 2021: cut by the data's end
    ]
)


def _load(store: Store) -> Store:
    seizures = [
        (f"S{country}{i}", month.strftime("%Y-%m-%d"), country, "cocaine_hcl", 10.0, "air")
        for i, month in enumerate(MONTHS)
        for country in ("BRA", "ARG")
    ]
    seizures.append(("SEND", "2021-06-30", "BRA", "cocaine_hcl", 1.0, "air"))
    store.load(LoadRequest("seizures", seizures_frame(seizures), "fixture"))
    cases = [  # BRA: 4 cases a month; ARG: one a quarter
        (
            f"K{i}-{k}",
            "BRA",
            None,
            (month + pd.Timedelta(days=k)).strftime("%Y-%m-%d"),
            None,
            None,
            "pending",
        )
        for i, month in enumerate(MONTHS)
        for k in range(4)
    ]
    cases += [
        (f"A{i}", "ARG", None, month.strftime("%Y-%m-%d"), None, None, "pending")
        for i, month in enumerate(MONTHS)
        if month.month % 3 == 1
    ]
    cases.append(("KEND", "BRA", None, "2021-06-30", None, None, "pending"))
    store.load(LoadRequest("cases", cases_frame(cases), "fixture"))
    store.load(LoadRequest("activities", ACTIVITIES, "fixture"))
    return store


@pytest.fixture
def on_disk(store_path: Path) -> Path:
    """The fixture in the DuckDB file the app opens (a store with data is not seeded)."""
    _load(DuckDBStore(store_path))
    return store_path


def test_complete_needs_whole_windows_and_the_follow_up() -> None:
    first = {"seizures": D(2019, 1, 1), "cases": D(2019, 1, 1)}
    last = {"seizures": D(2021, 6, 30), "cases": D(2021, 6, 30)}
    followed = D(2020, 6, 30)
    assert complete(D(2020, 1, 15), None, 3, first, last, followed)
    assert not complete(D(2019, 2, 1), None, 3, first, last, followed)  # before: Nov 2018
    assert not complete(D(2021, 5, 1), None, 3, first, last, followed)  # after: past the end
    assert not complete(D(2020, 9, 1), None, 3, first, last, followed)  # not followed up
    # without case data, only the seizure windows count
    no_cases = {"seizures": D(2019, 1, 1), "cases": None}
    assert complete(D(2020, 9, 1), None, 3, no_cases, last, None)
    assert not complete(D(2020, 9, 1), None, 3, {"seizures": None, "cases": None}, last, None)


def test_latest_complete_skips_cut_windows_and_thin_cases(store: Store) -> None:
    _load(store)
    assert latest_complete(store, 3) == "E2"
    assert latest_complete(store, 3, partners=("interpol",)) is None  # none of that partner
    assert latest_complete(store, 36) is None  # no 36 months on either side


def _activity_captions(app) -> str:
    return " ".join(c.value for c in app.caption)


def test_page_opens_on_the_latest_complete_activity_and_says_why(on_disk: Path) -> None:
    app = run_page("pages/activities.py", query={"window": "3"})
    assert app.selectbox(key="activity_choice").value == "E2"
    assert app.query_params["activity"] in ("E2", ["E2"])
    captions = _activity_captions(app)
    assert "Showing the most recent activity with 3 whole months of data" in captions
    assert "The 3 later activities have less data" in captions
    # the chart is E2's, with whole windows
    assert not [w for w in app.info if "window is shorter" in w.value]


def test_a_links_activity_wins_and_gets_no_opening_note(on_disk: Path) -> None:
    app = run_page("pages/activities.py", query={"window": "3", "activity": "E4"})
    assert app.selectbox(key="activity_choice").value == "E4"
    assert "Showing the most recent activity" not in _activity_captions(app)
    assert any("that window is shorter" in i.value for i in app.info)


def test_without_a_complete_activity_the_page_opens_on_the_latest_and_says_so(
    on_disk: Path,
) -> None:
    app = run_page("pages/activities.py", query={"window": "36"})
    assert app.selectbox(key="activity_choice").value == "E4"
    assert "No activity has 36 whole months of data" in _activity_captions(app)
