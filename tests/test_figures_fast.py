"""Chart builders assemble plain dicts and skip plotly's validation (figures.figure): check that
what they build is what validation would have made, for every builder on a small demo store.

Also that subplot_grid lays out axes and titles exactly as make_subplots does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from crimjust_data import i18n, metrics
from crimjust_data.figures import (
    SOURCE_ANNOTATION,
    Chart,
    figure,
    house_layout,
    overview,
    select_modes,
    subplot_grid,
)
from crimjust_data.figures import flows as flow_charts
from crimjust_data.figures import justice as justice_charts
from crimjust_data.figures import timelines as timeline_charts
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters
from crimjust_data.queries import flows, justice, timelines
from crimjust_data.store import DuckDBStore

FILTERS = {
    "all": Filters(),
    "one country": Filters(countries=("CPV",)),
    "one quarter": Filters(date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 3, 31)),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBStore]:
    store = DuckDBStore(str(Path(tmp_path_factory.mktemp("figures")) / "demo.duckdb"))
    load_demo(store, seizures=1500, cases=800)
    yield store


def _charts(store: DuckDBStore, filters: Filters) -> Iterator[tuple[str, Callable[[], Chart]]]:
    """Every builder, on the frames the pages give it."""
    by_region = metrics.region_comparison(store, filters)
    yield "region seizures", lambda: overview.region_seizures_chart(by_region, "s")
    yield "region rates", lambda: overview.region_rates_chart(by_region, "s")
    by_country = flows.seized_by_country(store, filters)
    yield "seizure map", lambda: flow_charts.seizure_map(by_country, "s", "CPV")
    for legs in (False, True):
        pairs = flows.flow_pairs(store, filters, None, legs)
        if not pairs.empty:
            yield f"flow map {legs}", lambda p=pairs: flow_charts.flow_map(p, "s", "CPV")
    triples = flows.region_flows(store, filters)
    yield "sankey", lambda: flow_charts.region_sankey(triples, "s")
    line = timelines.timeline(store, filters, "quarter", "country")
    if not line.empty:
        for measure in timelines.MEASURES:
            yield (
                f"timeline {measure}",
                lambda m=measure: timeline_charts.timeline_chart(line, m, "s"),
            )
    tables = justice.page_tables(store, filters)
    funnel = tables.funnel
    if not funnel.empty:
        yield "funnel", lambda: justice_charts.funnel_chart(funnel, "s", suppress_below=10)
    rates = tables.country_rates
    overall = metrics.headline(store, filters).prosecution
    yield (
        "country rates",
        lambda: justice_charts.country_rates_chart(rates, "prosecution", "s", overall),
    )
    conviction = metrics.headline(store, filters).conviction
    yield (
        "country conviction rates",
        lambda: justice_charts.country_rates_chart(rates, "conviction", "s", conviction),
    )
    curves = tables.curves
    if not curves.empty:
        medians = tables.medians
        yield "verdict curves", lambda: justice_charts.verdict_curve_chart(curves, medians, "s")
    outcomes = tables.cooperation
    yield "cooperation", lambda: justice_charts.cooperation_chart(outcomes, "s")
    by_group = tables.cooperation_by_region
    yield "cooperation by region", lambda: justice_charts.cooperation_region_chart(by_group, "s")


def _json(figure: go.Figure) -> Any:
    return json.loads(pio.to_json(figure.to_plotly_json(), validate=False))


NO_TEMPLATE = _json(go.Figure(layout={"template": "none"}))["layout"]["template"]


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("view", list(FILTERS))
def test_every_figure_is_what_validation_makes(demo: DuckDBStore, view: str, lang: str) -> None:
    built_names = []
    with i18n.using(lang):
        for name, build in _charts(demo, FILTERS[view]):
            built_names.append(name)
            figure = build().figure
            built = _json(figure)
            # raises on any property plotly does not know or any value it would refuse
            checked = _json(go.Figure(figure.to_plotly_json()))
            # no template (the house style is the layout's own), which validation spells out
            assert built["layout"].pop("template") == "none", name
            assert checked["layout"].pop("template") == NO_TEMPLATE, name
            assert checked == built, name
            notes = built["layout"]["annotations"]
            assert notes[-1]["name"] == SOURCE_ANNOTATION, name  # the 'Source:' line, last
    if view == "all":  # the whole demo has charged cases: every justice chart is checked
        assert {"funnel", "verdict curves", "country conviction rates"} <= set(built_names)


def _sent(figure: go.Figure) -> dict[str, Any]:
    """What st.plotly_chart sends the browser for a figure (its own two steps)."""
    return json.loads(pio.to_json(figure.to_dict(), validate=False))


def test_a_page_sends_plain_numbers_the_house_style_and_a_data_revision(demo: DuckDBStore) -> None:
    """figures.figure: nothing in the copy Streamlit hands plotly again reads as changed."""
    for name, build in _charts(demo, FILTERS["all"]):
        sent = _sent(build().figure)
        assert "bdata" not in json.dumps(sent), name  # no typed array: plotly decodes each anew
        layout = sent["layout"]
        assert layout["template"] == "none" and layout["autosize"] is True, name
        assert layout["font"]["color"] == "#666a7c", name  # the house style, not a template's
        assert _sent(build().figure)["layout"]["datarevision"] == layout["datarevision"], name
        for axis in (key for key in layout if key[1:5] == "axis"):
            assert layout[axis]["automargin"] is True, (name, axis)
    # the revision follows the data drawn, not the layout
    base = {"type": "bar", "x": ["a", "b"]}
    one, same, other = (
        figure([base | {"y": pd.Series(y)}], house_layout(title, "s"))
        for y, title in (([1.0, 2.5], "T"), ([1.0, 2.5], "U"), ([1.0, 2.6], "T"))
    )
    revision = [_sent(f)["layout"]["datarevision"] for f in (one, same, other)]
    assert revision[0] == revision[1] != revision[2]
    assert _sent(one)["data"][0]["y"] == [1.0, 2.5]
    chosen = _sent(select_modes(one))["layout"]  # as Streamlit sets them for a selection
    assert (chosen["clickmode"], chosen["hovermode"], chosen["dragmode"]) == (
        "event+select",
        "closest",
        "pan",
    )
    other.layout.hovermode = "x"  # a figure's own mode is kept, as Streamlit keeps it
    assert _sent(select_modes(other))["layout"]["hovermode"] == "x"


def test_the_house_style_lies_under_what_a_builder_sets() -> None:
    layout = house_layout("T", "s")
    layout["xaxis2"] = {"showgrid": True}
    built = _json(figure([{"type": "scatter", "x": [1], "y": [2], "yaxis": "y3"}], layout))
    layout = built["layout"]
    assert layout["yaxis"]["gridcolor"] == "#e5e5e5"  # the builder's, not the house #e6eaf1
    assert layout["xaxis2"]["showgrid"] is True and layout["xaxis2"]["automargin"] is True
    assert layout["xaxis"]["showgrid"] is False  # the house style's, on the axis the trace uses
    assert layout["yaxis3"]["ticklabelposition"] == "outside"
    assert layout["title"]["font"] == {
        "size": 16,
        "family": '"Source Sans", Source Sans Pro, Arial, sans-serif',
        "color": "#2F2D2B",
        "weight": 700,
    }
    sankey = _json(figure([{"type": "sankey"}], house_layout("T", "s")))["layout"]
    assert "xaxis" not in sankey  # nothing drawn on x and y axes: none added


def test_one_builder_call_does_not_leak_into_the_next(demo: DuckDBStore) -> None:
    """The figure keeps the dicts it is given: none of them may be shared between calls."""
    line = timelines.timeline(demo, Filters(), "year", "region")
    first = timeline_charts.timeline_chart(line, "kg", "s").figure
    first.layout.xaxis.tickformatstops[0].value = "changed"
    first.layout.yaxis.gridcolor = "red"
    again = _json(timeline_charts.timeline_chart(line, "kg", "s").figure)
    assert again["layout"]["xaxis"]["tickformatstops"][0]["value"] == "%Y"
    assert again["layout"]["yaxis"]["gridcolor"] == "#e5e5e5"


@pytest.mark.parametrize(
    ("rows", "cols", "heights", "shared"),
    [
        (1, 2, None, "y"),
        (2, 3, None, "y"),
        (3, 1, [3, 1, 7], "x"),
        (2, 1, [40, 300], "x"),
        (1, 1, None, "x"),
    ],
)
def test_subplot_grid_is_make_subplots(
    rows: int, cols: int, heights: list[float] | None, shared: str
) -> None:
    for spacing in (0.0, 0.05, 0.14):
        titles = [f"<b>{i}</b>" for i in range(rows * cols)]
        titles[-1] = ""  # an empty title draws no annotation
        expected = make_subplots(
            rows=rows,
            cols=cols,
            shared_xaxes=shared == "x",
            shared_yaxes=shared == "y",
            horizontal_spacing=spacing,
            vertical_spacing=spacing if rows > 1 else 0.0,
            row_heights=heights,
            subplot_titles=titles,
        ).layout.to_plotly_json()
        expected.pop("template")
        axes, notes, cells = subplot_grid(
            rows,
            cols,
            horizontal_spacing=spacing,
            vertical_spacing=spacing if rows > 1 else 0.0,
            row_heights=heights,
            shared_x=shared == "x",
            shared_y=shared == "y",
            titles=titles,
        )
        for name in axes:
            if name.startswith("yaxis"):
                del axes[name]["gridcolor"], axes[name]["zeroline"]  # the house style
        assert axes | ({"annotations": notes} if notes else {}) == expected
        assert cells[0] == ("x", "y") and len(cells) == rows * cols
        assert list(itertools.chain(*cells))[-1] == f"y{rows * cols if rows * cols > 1 else ''}"
