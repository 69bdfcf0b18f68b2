"""Program activities marked on the timelines and the country profile: which activities a view
marks (places, dates, type, partner), the marks on the figure (a line and a hover point per
activity, uploaded text escaped, the chart's table untouched), and the pages' controls and
link parameters through the router (AppTest)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from crimjust_data.figures import timelines as charts
from crimjust_data.metrics import Filters
from crimjust_data.queries import timelines
from crimjust_data.queries.activities import activities_for, activity_list
from crimjust_data.store import DuckDBStore, LoadRequest, Store
from tests.conftest import run_page, seizures_frame

# Seizures from 10 Jan 2020 to 2 Feb 2021. COL, BRA Latin America; DOM Caribbean; CPV West
# Africa; ESP Europe.
SEIZURES = seizures_frame(
    [
        ("S1", "2020-01-10", "COL", "cocaine_hcl", 100.0, "container"),
        ("S2", "2020-03-05", "DOM", "crack", 10.0, "air"),
        ("S3", "2020-05-15", "CPV", "cocaine_hcl", 200.0, "vessel"),
        ("S4", "2020-11-30", "ESP", "cocaine_hcl", 400.0, "container"),
        ("S5", "2021-02-02", "BRA", "cocaine_hcl", 300.0, "container"),
    ]
)
HOSTILE_TITLE = "<b>x</b>"


def _activity(
    activity_id: str,
    start: str,
    countries: list[str],
    kind: str,
    partner: str,
    participants: int | None,
    title: str | None = None,
) -> dict[str, object]:
    return {
        "activity_id": activity_id,
        "start_date": start,
        "end_date": None,
        "countries": countries,
        "type": kind,
        "title": title or f"Activity {activity_id}",
        "partner": partner,
        "participants": participants,
        "notes": None,
        "source": "test fixture",
    }


ACTIVITIES = pd.DataFrame(
    [
        _activity("T1", "2020-03-10", ["COL"], "training", "unodc", 12, HOSTILE_TITLE),
        _activity("T2", "2020-06-01", ["BRA", "DOM"], "joint_investigation", "interpol", None),
        _activity("T3", "2020-09-15", ["CPV"], "other", "transparency_international", 8),
        _activity("T4", "2019-05-01", ["COL"], "training", "unodc", 30),  # before the data
        _activity("T5", "2020-10-01", ["ESP"], "equipment", "unodc", None),
    ]
)


def _load(store: Store) -> Store:
    store.load(LoadRequest("seizures", SEIZURES, "test"))
    store.load(LoadRequest("activities", ACTIVITIES, "test"))
    return store


@pytest.fixture
def loaded(store: Store) -> Store:
    return _load(store)


@pytest.fixture
def on_disk(store_path: Path) -> Path:
    """The fixture in the DuckDB file the app opens (a store with data is not seeded)."""
    _load(DuckDBStore(store_path))
    return store_path


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["activity_id"].tolist()


# ---------------------------------------------------------------------------------------------
# Which activities a view marks


def test_activities_follow_the_views_places_dates_types_and_partners(loaded: Store) -> None:
    assert ids(activities_for(loaded, Filters())) == ["T4", "T1", "T2", "T3", "T5"]
    # a region means the activities of its countries; T2 is in BRA and DOM
    assert ids(activities_for(loaded, Filters(regions=("caribbean",)))) == ["T2"]
    assert ids(activities_for(loaded, Filters(regions=("latin_america",)))) == ["T4", "T1", "T2"]
    assert ids(activities_for(loaded, Filters(countries=("DOM", "CPV")))) == ["T2", "T3"]
    # country and region both hold, as in every other query: DOM is not in Latin America
    both = Filters(regions=("latin_america",), countries=("DOM",))
    assert activities_for(loaded, both).empty
    assert list(activities_for(loaded, both).columns) == list(activity_list(loaded).columns)
    # the span the timeline draws, both ends included
    span = activities_for(loaded, Filters(), dt.date(2020, 3, 10), dt.date(2020, 9, 15))
    assert ids(span) == ["T1", "T2", "T3"]
    assert ids(activities_for(loaded, Filters(), types=("training",))) == ["T4", "T1"]
    assert ids(activities_for(loaded, Filters(), partners=("interpol", "unodc"))) == [
        "T4",
        "T1",
        "T2",
        "T5",
    ]


# ---------------------------------------------------------------------------------------------
# The marks on the figure


def _line() -> timelines.Timeline:
    """Quarters of 2020 and 2021 (a hand-made series, so the span is known)."""
    periods = pd.date_range("2020-01-01", periods=8, freq="QS")
    series = pd.DataFrame({"period": periods, "group": "crack", "kg": 10.0, "seizures": 5})
    return timelines.Timeline(
        grain="quarter",
        by="drug",
        series=series,
        totals=timelines.timeline_totals(series, "quarter"),
        window=4,
        first_day=dt.date(2020, 1, 1),
        last_day=dt.date(2021, 12, 31),
    )


def _frame() -> pd.DataFrame:
    frame = ACTIVITIES.copy()
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["participants"] = frame["participants"].astype("Int64")
    return frame


def _marks(figure: go.Figure) -> tuple[list[Any], list[Any]]:
    """(the activity lines, the hover points' trace or nothing)."""
    lines = [s for s in figure.layout.shapes if s.line.dash == "dot"]
    points = [t for t in figure.data if t.yaxis == "y99"]
    return lines, points


def test_markers_for_the_activities_in_range_with_escaped_hover() -> None:
    plain = charts.timeline_chart(_line(), "kg", "s")
    chart = charts.timeline_chart(_line(), "kg", "s", _frame())
    lines, points = _marks(chart.figure)
    # T4 (2019) is outside the dates drawn: a mark there would stretch the axis
    starts = ["2020-03-10", "2020-06-01", "2020-09-15", "2020-10-01"]
    assert [pd.Timestamp(line.x0).strftime("%Y-%m-%d") for line in lines] == starts
    assert all(line.yref == "y domain" and (line.y0, line.y1) == (0, 1) for line in lines)
    (trace,) = points
    assert [pd.Timestamp(x).strftime("%Y-%m-%d") for x in trace.x] == starts
    overlay = chart.figure.layout.yaxis99
    assert overlay.overlaying == "y" and not overlay.visible and tuple(overlay.range) == (0, 1)
    hover = dict(zip(["T1", "T2", "T3", "T5"], trace.text, strict=True))
    assert hover["T1"].split("<br>") == [
        "&lt;b&gt;x&lt;/b&gt;",  # uploaded text shown as typed, never as markup
        "Training · UNODC",
        "12 participants",
        "Mar 10, 2020",
    ]
    assert HOSTILE_TITLE not in chart.figure.to_json()
    assert "Joint investigation · INTERPOL<br>participants not recorded" in hover["T2"]
    assert "Other activity · Transparency International<br>8 participants" in hover["T3"]
    assert trace.hovertemplate == "%{text}<extra></extra>"
    # marks are not data: the table is the series' alone
    pd.testing.assert_frame_equal(chart.data, plain.data)
    assert chart.summary == plain.summary + (
        " 4 program activities are marked at their start (diamonds and dotted lines); they are "
        "not spikes."
    )
    go.Figure(chart.figure.to_dict())  # valid for plotly (the builders skip validation)


def _spiky_line() -> timelines.Timeline:
    """Quarters of 2020 to 2025 with two spikes (2023 Q2 and 2024 Q4)."""
    periods = pd.date_range("2020-01-01", periods=24, freq="QS")
    values = [10.0] * 24
    values[13], values[19] = 25.0, 50.0
    series = pd.DataFrame({"period": periods, "group": "crack", "kg": values, "seizures": 5})
    return timelines.Timeline(
        grain="quarter",
        by="drug",
        series=series,
        totals=timelines.timeline_totals(series, "quarter"),
        window=4,
        first_day=dt.date(2020, 1, 1),
        last_day=dt.date(2025, 12, 31),
    )


def _legend(figure: go.Figure) -> dict[str, Any]:
    """The traces with a legend entry, by name (a trace shows in it unless showlegend is off)."""
    shown = figure.layout.showlegend is not False
    return {t.name: t for t in figure.data if shown and t.name and t.showlegend is not False}


def test_activity_marks_and_spikes_differ_and_each_has_a_legend_entry() -> None:
    chart = charts.timeline_chart(_spiky_line(), "kg", "s", _frame())
    legend = _legend(chart.figure)
    spike = legend["Spike (rule below)"]
    (activity,) = _marks(chart.figure)[1]
    assert legend["Program activity (start)"] is activity
    # told apart by shape and by colour (the issue: both were downward triangles)
    assert spike.marker.symbol == "triangle-down" and activity.marker.symbol == "diamond"
    assert spike.marker.color != activity.marker.color
    lines = _marks(chart.figure)[0]
    assert {line.line.color for line in lines} == {activity.marker.color}
    assert list(spike.text) == ["2.5×", "5.0×"]
    # the summary counts both, and says a mark is not a spike
    assert "with 2 spikes." in chart.summary
    assert "4 program activities are marked at their start" in chart.summary
    assert "they are not spikes" in chart.summary
    subtitle = chart.figure.layout.title.subtitle.text
    assert "▼ spike" in subtitle and "diamond" not in subtitle


def test_the_spike_legend_entry_stays_when_there_is_none() -> None:
    chart = charts.timeline_chart(_line(), "kg", "s", _frame())
    legend = _legend(chart.figure)
    none = legend["Spike (rule below): none"]
    assert none.marker.symbol == "triangle-down" and list(none.x) == [None]
    assert "Program activity (start)" in legend
    assert "with 0 spikes." in chart.summary
    go.Figure(chart.figure.to_dict())


def test_no_markers_when_filtered_out_or_off() -> None:
    plain = charts.timeline_chart(_line(), "kg", "s")
    for activities in (None, _frame().iloc[0:0], _frame()[_frame()["activity_id"] == "T4"]):
        chart = charts.timeline_chart(_line(), "kg", "s", activities)
        assert _marks(chart.figure) == ([], [])
        assert "yaxis99" not in chart.figure.layout.to_plotly_json()
        assert chart.summary == plain.summary
    only_training = _frame()[_frame()["type"] == "training"]
    lines, (trace,) = _marks(charts.timeline_chart(_line(), "kg", "s", only_training).figure)
    assert len(lines) == 1 and trace.text[0].startswith("&lt;b&gt;x")


def test_activities_table_in_words() -> None:
    table = charts.activities_table(_frame().iloc[[0, 1]])
    assert table.to_dict("records") == [
        {
            "dates": "Mar 10, 2020",
            "title": HOSTILE_TITLE,  # a table shows text as text
            "type": "Training",
            "partner": "UNODC",
            "participants": "12 participants",
            "countries": "Colombia",
        },
        {
            "dates": "Jun 1, 2020",
            "title": "Activity T2",
            "type": "Joint investigation",
            "partner": "INTERPOL",
            "participants": "participants not recorded",
            "countries": "Brazil, Dominican Republic",
        },
    ]


# ---------------------------------------------------------------------------------------------
# The pages through the router


def _page_marks(app: Any, key: str) -> list[str]:
    """The titles of the hover points on the chart drawn with `key` (as the browser gets it)."""
    chart = next(c for c in app.get("plotly_chart") if c.proto.id and key in c.proto.id)
    spec = json.loads(chart.proto.spec)
    texts = [t for trace in spec["data"] if trace.get("yaxis") == "y99" for t in trace["text"]]
    return [text.split("<br>")[0] for text in texts]


def _activities_table(app: Any) -> pd.DataFrame:
    """The 'Program activities marked' table (dataframes carry no key in AppTest)."""
    (table,) = [d.value for d in app.dataframe if "participants" in d.value.columns]
    return table


def test_timelines_marks_the_selections_activities(on_disk: Path) -> None:
    app = run_page("pages/timelines.py", query={"grain": "year"})
    assert app.toggle(key="timelines_activities").value is True
    assert app.multiselect(key="timelines_act_type").value == []
    assert app.multiselect(key="timelines_act_partner").value == []
    titles = ["&lt;b&gt;x&lt;/b&gt;", "Activity T2", "Activity T3", "Activity T5"]
    assert _page_marks(app, "timelines_chart_kg") == titles  # T4 is before the data
    table = _activities_table(app)
    assert table["title"].tolist() == [HOSTILE_TITLE, "Activity T2", "Activity T3", "Activity T5"]
    expected = charts.timeline_chart(
        timelines.timeline(
            DuckDBStore(on_disk), Filters(), "year", "region", timelines.TOP_COUNTRIES
        ),
        "kg",
        "s",
    ).data
    pd.testing.assert_frame_equal(app.dataframe[0].value, expected)  # the chart's own table
    # the filters write codes to the link
    app.multiselect(key="timelines_act_type").select("other").select("equipment").run()
    assert _page_marks(app, "timelines_chart_kg") == ["Activity T3", "Activity T5"]
    assert app.query_params["act_type"] == ["other", "equipment"]
    app.toggle(key="timelines_activities").set_value(False).run()
    assert _page_marks(app, "timelines_chart_kg") == []
    assert app.query_params["activities"] in ("off", ["off"])
    assert not [e for e in app.get("expander") if "Program activities" in e.proto.label]


def test_timelines_link_parameters_filter_the_marks(on_disk: Path) -> None:
    app = run_page(
        "pages/timelines.py",
        query={"region": "caribbean", "act_partner": ["interpol", "nobody"], "measure": "both"},
        tables=False,  # the link's notice is shown on its first run
    )
    assert app.multiselect(key="timelines_act_partner").value == ["interpol"]
    assert any("nobody" in w.value for w in app.warning)  # Markdown-escaped
    assert _page_marks(app, "timelines_chart_kg") == ["Activity T2"]  # a Caribbean country
    assert _page_marks(app, "timelines_chart_seizures") == ["Activity T2"]
    app = run_page("pages/timelines.py", query={"act_type": "mentoring"})
    assert _page_marks(app, "timelines_chart_kg") == []
    assert any("No program activity of these types" in c.value for c in app.caption)
    app = run_page("pages/timelines.py", query={"activities": "off", "act_type": "training"})
    assert app.toggle(key="timelines_activities").value is False
    assert app.multiselect(key="timelines_act_type").disabled
    assert _page_marks(app, "timelines_chart_kg") == []


def test_profile_marks_the_countrys_activities(on_disk: Path) -> None:
    app = run_page("pages/profile.py", query={"profile": "BRA"})
    assert app.toggle(key="profile_activities").value is True
    assert _page_marks(app, "profile_timeline") == ["Activity T2"]
    assert _page_marks(app, "profile_region_timeline") == []  # the country's activities only
    assert _activities_table(app)["title"].tolist() == ["Activity T2"]
    app = run_page(
        "pages/profile.py", query={"profile": "COL", "act_type": "training", "act_partner": "unodc"}
    )
    assert app.multiselect(key="profile_act_type").value == ["training"]
    assert app.multiselect(key="profile_act_partner").value == ["unodc"]
    assert _page_marks(app, "profile_timeline") == ["&lt;b&gt;x&lt;/b&gt;"]  # T4 is before
    app.multiselect(key="profile_act_partner").set_value(["interpol"]).run()
    assert _page_marks(app, "profile_timeline") == []
    assert app.query_params["act_partner"] in ("interpol", ["interpol"])
    app = run_page("pages/profile.py", query={"profile": "COL", "activities": "off"})
    assert app.toggle(key="profile_activities").value is False
    assert _page_marks(app, "profile_timeline") == []
