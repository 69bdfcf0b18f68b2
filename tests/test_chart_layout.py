"""Charts laid out for the space they get (a 390 px phone as well as a desktop): headings broken
into lines that fit, maps framed to what they draw, the flow map's largest flows named and its
faintest lines readable, no interactive wording in what a PDF prints.

The browser side (nothing cut or covered at 390 px) is tests/test_browser_mobile.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from crimjust_data import i18n
from crimjust_data.figures import (
    SOURCE_ANNOTATION,
    SOURCE_CHARS,
    SUBTITLE_CHARS,
    TITLE_CHARS,
    heading_px,
    house_layout,
    visible_length,
    wrap,
)
from crimjust_data.figures import (
    figure as make_figure,
)
from crimjust_data.figures import flows as flow_charts
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters
from crimjust_data.queries import flows
from crimjust_data.store import DuckDBStore
from tests.test_figures_fast import _charts

LANGUAGES = ("en", "es", "fr", "pt")
CARIBBEAN = Filters(regions=("caribbean",))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBStore]:
    store = DuckDBStore(str(Path(tmp_path_factory.mktemp("layout")) / "demo.duckdb"))
    load_demo(store, seizures=1500, cases=800)
    yield store


def _lines(text: str) -> list[str]:
    return text.split("<br>")


def test_wrap_breaks_at_spaces_and_keeps_given_breaks() -> None:
    assert wrap("aaa bbb ccc", 7) == "aaa bbb<br>ccc"
    assert wrap("aaa<br>bbb ccc", 20) == "aaa<br>bbb ccc"
    # tags and entities do not count; a word longer than the width keeps a line of its own
    assert wrap("<b>aaa</b> bbb &amp; c", 9) == "<b>aaa</b> bbb &amp;<br>c"
    assert wrap("abcdefghij xy", 4) == "abcdefghij<br>xy"
    assert visible_length("<b>Côte</b> &amp;") == 6


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_heading_fits_a_phone(demo: DuckDBStore, lang: str) -> None:
    """Every builder's title, subtitle and 'Source:' line, in every language, in lines short
    enough for a 390 px screen (plotly does not wrap: a long line is cut at the edge)."""
    built = 0
    with i18n.using(lang):
        for filters in (Filters(), CARIBBEAN):
            for name, build in _charts(demo, filters):
                layout = build().figure.layout
                for line in _lines(layout.title.text):
                    assert visible_length(line) <= TITLE_CHARS, (name, line)
                if layout.title.subtitle.text:
                    for line in _lines(layout.title.subtitle.text):
                        assert visible_length(line) <= SUBTITLE_CHARS, (name, line)
                source = next(a for a in layout.annotations if a.name == SOURCE_ANNOTATION)
                for line in _lines(source.text):
                    assert visible_length(line) <= SOURCE_CHARS, (name, line)
                # the plot starts under the heading, however many lines it took
                assert layout.margin.t >= heading_px(layout.to_plotly_json()), name
                built += 1
    assert built >= 20


def test_the_top_margin_grows_with_the_heading() -> None:
    short = house_layout("Short", "s", subtitle="One line")
    long = house_layout("A title " * 12, "s", subtitle="A subtitle that goes on " * 8)
    assert long["title"]["text"].count("<br>") >= 2
    assert long["title"]["subtitle"]["text"].count("<br>") >= 3
    # two more title lines (21 px each), three more subtitle lines (16 px each)
    assert long["margin"]["t"] >= short["margin"]["t"] + 2 * 20 + 3 * 15 - 10
    # a builder that sets a smaller top margin gets the heading's room back
    long["margin"]["t"] = 40
    figure = make_figure([], long)
    assert figure.layout.margin.t == heading_px(long) > 40


def _drawn_points(figure) -> tuple[np.ndarray, np.ndarray]:
    """Every longitude and latitude the flow map draws a line or an end at."""
    lon, lat = [], []
    for trace in figure.data:
        if trace.mode in ("lines", "markers"):
            lon += [v for v in trace.lon if v is not None]
            lat += [v for v in trace.lat if v is not None]
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


@pytest.mark.parametrize("legs", [False, True])
def test_the_flow_map_frame_holds_every_line(demo: DuckDBStore, legs: bool) -> None:
    frames = {}
    for filters in (Filters(), CARIBBEAN):
        pairs = flows.flow_pairs(demo, filters, None, legs)
        figure = flow_charts.flow_map(pairs, "s", legs=legs).figure
        geo = figure.layout.geo
        lon, lat = _drawn_points(figure)
        # every end and every point of every line inside the frame: no line leaves the map
        assert geo.lonaxis.range[0] < lon.min() and lon.max() < geo.lonaxis.range[1]
        assert geo.lataxis.range[0] < lat.min() and lat.max() < geo.lataxis.range[1]
        for column in ("origin_lon", "destination_lon"):
            assert pairs[column].between(*geo.lonaxis.range).all()
        frames[filters] = geo.lonaxis.range[1] - geo.lonaxis.range[0]
        # the map's height follows the frame's shape (no tall strip of blank at a phone's width)
        low, high = flow_charts.MAP_PX
        drawn = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
        assert low <= drawn - 50 <= high  # 50: the legend's row
    # a Caribbean selection draws fewer, nearer flows: its map is zoomed in
    assert frames[CARIBBEAN] < frames[Filters()]


def test_the_seizure_map_zooms_to_a_region(demo: DuckDBStore) -> None:
    spans = []
    for filters in (Filters(), CARIBBEAN):
        by_country = flows.seized_by_country(demo, filters)
        geo = flow_charts.seizure_map(by_country, "s", clickable=False).figure.layout.geo
        assert by_country["longitude"].between(*geo.lonaxis.range).all()
        assert by_country["latitude"].between(*geo.lataxis.range).all()
        spans.append(
            (geo.lonaxis.range[1] - geo.lonaxis.range[0])
            * (geo.lataxis.range[1] - geo.lataxis.range[0])
        )
    assert spans[1] < spans[0] / 10  # the Caribbean, not the Atlantic
    # one country alone is still seen with its neighbours
    one = flow_charts.map_frame([-23.6], [15.1])
    assert one.lon[1] - one.lon[0] >= flow_charts.FRAME_MIN_DEGREES[0]
    assert one.lat[0] < 15.1 < one.lat[1]
    assert flow_charts.map_frame([], []).lon == flow_charts.LON_RANGE


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_largest_flows_are_named(demo: DuckDBStore, lang: str) -> None:
    pairs = flows.flow_pairs(demo, Filters())
    with i18n.using(lang):
        figure = flow_charts.flow_map(pairs, "s").figure
        labels = next(t for t in figure.data if t.mode == "text")
        ranked = pairs.sort_values("kg", ascending=False, kind="stable")
        largest = ranked.iloc[0]
        mass = flow_charts.format_mass(float(largest["kg"]))
    named = [text.replace("<br>", " ") for text in labels.text]
    assert f"{largest['origin_iso3']}→{largest['destination_iso3']} {mass}" == named[0]
    assert 3 <= len(named) <= flow_charts.LABELLED_FLOWS
    top = {
        f"{o}→{d}"
        for o, d in zip(
            ranked["origin_iso3"][: 2 * flow_charts.LABELLED_FLOWS],
            ranked["destination_iso3"][: 2 * flow_charts.LABELLED_FLOWS],
            strict=True,
        )
    }
    assert {text.split(" ")[0] for text in named} <= top  # only the largest flows
    if lang != "en":
        assert "," in named[0] or "t" in named[0]  # '169,9 t': the language's decimal mark
    # each label is inside the frame
    geo = figure.layout.geo
    assert all(geo.lonaxis.range[0] < v < geo.lonaxis.range[1] for v in labels.lon)


def test_the_faintest_flows_stay_readable(demo: DuckDBStore) -> None:
    pairs = flows.flow_pairs(demo, Filters())
    lines = [t for t in flow_charts.flow_map(pairs, "s").figure.data if t.mode == "lines"]
    faintest = lines[0]
    assert faintest.line.width >= 1.4 and faintest.opacity >= 0.6
    assert [t.line.width for t in lines] == sorted(t.line.width for t in lines)


def test_what_a_pdf_prints_has_no_interactive_wording(demo: DuckDBStore) -> None:
    """The snapshot draws the same figures: their words must make sense on paper."""
    by_country = flows.seized_by_country(demo, Filters())
    static = [
        flow_charts.seizure_map(by_country, "s", clickable=False),
        flow_charts.flow_map(flows.flow_pairs(demo, Filters()), "s"),
        flow_charts.flow_map(flows.flow_pairs(demo, Filters(), None, True), "s", legs=True),
        flow_charts.region_sankey(flows.region_flows(demo, Filters()), "s"),
    ]
    for chart in static:
        layout = chart.figure.layout
        words = f"{layout.title.text} {layout.title.subtitle.text or ''}".lower()
        words += " ".join(str(a.text) for a in layout.annotations).lower()
        assert not any(w in words for w in ("hover", "click", "tap", "interactive")), words
