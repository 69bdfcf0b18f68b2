"""Official UNODC totals beside the loaded records (issue 19): a share of the official total is
stated only when the loaded seizure events are real; on synthetic events the chart is a
demonstration of the method and says so. Labels readable, the legend clear of the title. And
the country profile's timelines name the country and the region's countries."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crimjust_data.figures import heading_px, overview
from crimjust_data.figures import timelines as timeline_charts
from crimjust_data.store import DuckDBStore, LoadRequest, Store
from tests.conftest import run_page
from tests.test_timelines import ANNUAL, SEIZURES

BY_REGION = pd.DataFrame(
    {
        "region": ["latin_america", "europe", "west_africa"],
        "years": "2018–2022",
        "official_kg": [1_000_000.0, 400_000.0, None],
        "events_kg": [600_000.0, 100_000.0, 5_000.0],
        "coverage": [0.6, 0.25, None],
        "countries": [10, 20, None],
    }
)
BY_YEAR = pd.DataFrame(
    {
        "year": [2019, 2020, 2021, 2022],
        "official_kg": [1400.0, 1100.0, None, 500.0],
        "events_kg": [760.0, 320.0, 50.0, 0.0],
        "coverage": [760 / 1400, 320 / 1100, None, 0.0],
        "countries_reporting": [3, 2, 0, 1],
    }
)
DEMO_SUMMARY = (
    "A demonstration of the method: official UNODC totals beside synthetic seizure events, "
    "with no share stated (the events are not real records)."
)


def _charts(synthetic: bool) -> list:
    return [
        overview.official_comparison_chart(BY_REGION, "s", synthetic),
        timeline_charts.official_chart(BY_YEAR, "s", synthetic),
    ]


def test_on_real_events_the_shares_are_labelled_readably_and_stated() -> None:
    by_region, by_year = _charts(synthetic=False)
    for chart in (by_region, by_year):
        official, events = chart.figure.data
        assert official.marker.pattern.shape == "/"
        # 12 px whatever the bar's width: plotly's default shrinks outside text to the bar
        assert events.textfont.size >= 11 and events.constraintext == "none"
        assert "share" in chart.figure.layout.title.subtitle.text
        # the legend in a row of its own under the heading, never up in the title
        layout = chart.figure.layout
        legend = layout.legend
        assert legend.yref == "container" and legend.yanchor == "top"
        assert round((1 - legend.y) * layout.height) >= heading_px(layout.to_plotly_json())
        assert "%" in chart.summary and "demonstration" not in chart.summary
    assert list(by_region.figure.data[1].customdata) == ["60%", "25%", "–"]
    assert by_region.figure.data[1].texttemplate == "%{customdata}"
    assert list(by_year.figure.data[1].text) == ["54%", "29%", "no total", "0%"]
    assert "50% of the official UNODC total" in by_region.summary
    assert "Share of official (%)" in by_region.data.columns


def test_on_synthetic_events_the_chart_is_a_demonstration_with_no_share() -> None:
    for chart in _charts(synthetic=True):
        events = chart.figure.data[1]
        title = chart.figure.layout.title
        assert title.text.startswith("Method demonstration")
        assert "demonstration of the method" in title.subtitle.text
        assert events.name == "Synthetic seizure events (demo)"
        assert events.text is None and events.texttemplate is None  # no share drawn
        assert "%" not in events.hovertemplate.replace("%{", "")
        assert chart.summary == DEMO_SUMMARY
        assert not [c for c in chart.data.columns if "share" in c.lower()]
        # the numbers drawn are still there, side by side
        assert chart.figure.layout.barmode == "group"


def _load(store: Store, synthetic: bool) -> Store:
    store.load(LoadRequest("seizures", SEIZURES, "test", synthetic=synthetic))
    store.load(LoadRequest("annual_seizures", ANNUAL, "UNODC test"))
    return store


@pytest.mark.parametrize("synthetic", [False, True])
def test_home_and_timelines_state_shares_only_on_real_events(
    store_path: Path, synthetic: bool
) -> None:
    _load(DuckDBStore(store_path), synthetic)
    for page, key in (("pages/home.py", "home_official"), ("pages/timelines.py", None)):
        app = run_page(page, query={"grain": "year"})
        charts = [
            c for c in app.get("plotly_chart") if c.proto.id and (key or "official") in c.proto.id
        ]
        assert len(charts) == 1, page
        spec = charts[0].proto.spec
        words = (
            " ".join(c.value for c in app.caption) + " " + " ".join(m.value for m in app.markdown)
        )
        if synthetic:
            assert "Method demonstration" in spec and "of official" not in spec
            assert "The loaded seizure events are synthetic demo data" in words
            assert DEMO_SUMMARY in words
        else:
            assert "Method demonstration" not in spec and "of official" in spec
            assert "synthetic demo data" not in words


def test_profile_timelines_name_the_country_and_the_regions_countries(
    store_path: Path,
) -> None:
    _load(DuckDBStore(store_path), False)
    app = run_page("pages/profile.py", query={"profile": "COL"})
    titles = {
        c.proto.id.split("-")[-1]: c.proto.spec
        for c in app.get("plotly_chart")
        if c.proto.id and "timeline" in c.proto.id
    }
    left = next(spec for key, spec in titles.items() if "region" not in key)
    right = next(spec for key, spec in titles.items() if "region" in key)
    assert "Cocaine seized per year in Colombia, by cocaine form" in _title(left)
    assert "Cocaine seized per year in the countries of Latin America" in _title(right)


def _title(spec: str) -> str:
    """A chart's title as read (the lines it was broken into joined again)."""
    import json

    return json.loads(spec)["layout"]["title"]["text"].replace("<br>", " ")
