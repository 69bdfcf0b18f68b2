"""The shared frame (app.py): filters in the sidebar and in the URL, on every page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crimjust_data.metrics import Filters
from crimjust_data.view_state import describe
from tests.conftest import run_page
from tests.xss_corpus import as_shown

PAGES = [
    "pages/home.py",
    "pages/flows.py",
    "pages/timelines.py",
    "pages/justice.py",
    "pages/profile.py",
]


def url_values(app, key: str) -> list[str]:
    """AppTest keeps one value as a string and several as a list."""
    value = app.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_describe_names_the_view() -> None:
    text = describe(
        Filters(date_from=dt.date(2019, 1, 1), regions=("west_africa",), countries=("CPV",))
    )
    assert text.startswith("2019-01-01 to the latest data")
    assert "West Africa" in text and "CPV" in text
    assert describe(Filters()) == "all data"


@pytest.mark.parametrize("page_path", PAGES)
def test_every_page_renders_through_the_router_with_url_filters(
    store_path: Path, page_path: str
) -> None:
    app = run_page(page_path, {"region": ["west_africa"], "from": "2018-01-01"})
    filters = app.session_state["frame_filters"]
    assert filters.regions == ("west_africa",)
    assert filters.date_from == dt.date(2018, 1, 1)
    assert app.sidebar.multiselect(key="frame_region").value == ["west_africa"]
    assert url_values(app, "region") == ["west_africa"]
    assert not app.sidebar.warning


def test_link_with_bad_values_shows_a_notice_and_keeps_the_good_ones(store_path: Path) -> None:
    app = run_page("pages/home.py", {"region": ["caribbean", "nowhere"], "drug": "crack"})
    notices = [as_shown(w.value) for w in app.sidebar.warning]
    assert notices == [
        "Ignored region 'nowhere' from the link: there is no such region in the data."
    ]
    assert app.session_state["frame_filters"].regions == ("caribbean",)
    assert url_values(app, "region") == ["caribbean"]  # the bad value left the URL too
    assert "Caribbean" in app.caption[0].value and "Crack cocaine" in app.caption[0].value


def test_changing_a_filter_updates_the_url_and_the_page(store_path: Path) -> None:
    app = run_page("pages/home.py")
    before = {m.label: m.value for m in app.metric}["Seizure events"]
    app.sidebar.multiselect(key="frame_region").select("west_africa").run()
    assert url_values(app, "region") == ["west_africa"]
    after = {m.label: m.value for m in app.metric}["Seizure events"]
    assert int(after.replace(",", "")) < int(before.replace(",", ""))
    app.sidebar.multiselect(key="frame_region").unselect("west_africa").run()
    assert "region" not in app.query_params


def test_filters_survive_a_page_switch(store_path: Path) -> None:
    app = run_page("pages/home.py", {"country": ["BRA"]})
    app.switch_page("pages/justice.py").run()
    assert not app.exception
    assert app.session_state["frame_filters"].countries == ("BRA",)
    assert url_values(app, "country") == ["BRA"]
