"""Routes and flows: queries and figures on a tiny fixture with hand-worked answers, and the page
through the router (AppTest)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crimjust_data.figures import flows as charts
from crimjust_data.metrics import Filters, headline
from crimjust_data.queries import flows
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import run_page, seizures_frame
from tests.xss_corpus import as_shown

# (seizure_id, date, seized in, drug, kg, conveyance) + (origin, transit, destination)
ROWS = [
    (("S1", "2020-01-10", "COL", "cocaine_hcl", 1000.0, "container"), ("COL", [], "ESP")),
    (("S2", "2020-06-01", "COL", "cocaine_base", 200.0, "land"), ("COL", ["VEN"], "USA")),
    (("S3", "2021-03-03", "DOM", "crack", 5.5, "air"), ("COL", ["DOM"], "USA")),
    (("S4", "2021-07-07", "CPV", "cocaine_hcl", 800.0, "vessel"), ("BRA", ["CPV"], "ESP")),
    (
        ("S5", "2022-02-02", "ESP", "cocaine_hcl", 3000.0, "container"),
        ("COL", ["CPV", "GNB"], "ESP"),
    ),
    (("S6", "2022-03-03", "ESP", "cocaine_hcl", 50.0, "air"), (None, [], "ESP")),  # no origin
    (("S7", "2022-04-04", "NLD", "cocaine_hcl", 400.0, "container"), ("PER", ["BRB"], "NLD")),
    (("S8", "2022-05-05", "BRB", "cocaine_hcl", 2.0, "air"), ("COL", ["BRB"], "GBR")),
]
SEIZURES = seizures_frame([r[0] for r in ROWS]).assign(
    origin_iso3=[r[1][0] for r in ROWS],
    transit_iso3=[r[1][1] for r in ROWS],
    destination_iso3=[r[1][2] for r in ROWS],
)
# Hand-worked: every seizure with both ends, per origin -> destination.
DIRECT = {
    ("COL", "ESP"): (4000.0, 2),  # S1 + S5
    ("COL", "USA"): (205.5, 2),  # S2 + S3
    ("BRA", "ESP"): (800.0, 1),  # S4
    ("PER", "NLD"): (400.0, 1),  # S7
    ("COL", "GBR"): (2.0, 1),  # S8
}
FLOW_KG = 5407.5  # everything but S6 (50 kg, no origin)


@pytest.fixture
def loaded(store: DuckDBStore) -> DuckDBStore:
    store.load(LoadRequest("seizures", SEIZURES, "test"))
    return store


def flat(text: str) -> str:
    """A title or subtitle as one line (the builders break them into lines that fit a phone)."""
    return text.replace("<br>", " ")


def as_dict(pairs: pd.DataFrame) -> dict[tuple[str, str], tuple[float, int]]:
    return {
        (o, d): (round(float(kg), 3), int(n))
        for o, d, kg, n in zip(
            pairs["origin_iso3"],
            pairs["destination_iso3"],
            pairs["kg"],
            pairs["seizures"],
            strict=True,
        )
    }


# --------------------------------------------------------------------------------------------
# Queries


def test_seized_by_country(loaded) -> None:
    frame = flows.seized_by_country(loaded, Filters()).set_index("iso3")
    assert frame["seized_kg"].to_dict() == {
        "ESP": 3050.0,
        "COL": 1200.0,
        "CPV": 800.0,
        "NLD": 400.0,
        "DOM": 5.5,
        "BRB": 2.0,
    }
    assert list(frame.index) == ["ESP", "COL", "CPV", "NLD", "DOM", "BRB"]  # largest first
    assert frame.loc["ESP", "seizures"] == 2 and frame.loc["BRB", "seizures"] == 1
    assert frame.loc["CPV", "region"] == "west_africa" and frame.loc["CPV", "name"]
    assert frame[["latitude", "longitude"]].notna().all().all()  # centroids for the markers
    west = flows.seized_by_country(loaded, Filters(regions=("west_africa",)))
    assert west["iso3"].tolist() == ["CPV"]
    early = flows.seized_by_country(loaded, Filters(date_to=dt.date(2020, 12, 31)))
    assert early["seized_kg"].tolist() == [1200.0]


def test_flow_pairs_direct(loaded) -> None:
    pairs = flows.flow_pairs(loaded, Filters())
    assert as_dict(pairs) == DIRECT
    assert pairs["kg"].sum() == pytest.approx(FLOW_KG)
    assert pairs["kg"].is_monotonic_decreasing
    first = pairs.iloc[0]
    assert (first["origin_region"], first["destination_region"]) == ("latin_america", "europe")
    assert first[["origin_lat", "origin_lon", "destination_lat", "destination_lon"]].notna().all()


def test_flow_pairs_with_focus(loaded) -> None:
    # CPV: seized there (S4), or a transit country (S4, S5)
    assert as_dict(flows.flow_pairs(loaded, Filters(), "CPV")) == {
        ("COL", "ESP"): (3000.0, 1),
        ("BRA", "ESP"): (800.0, 1),
    }
    # BRB: a transit country (S7) and where S8 was seized
    assert as_dict(flows.flow_pairs(loaded, Filters(), "BRB")) == {
        ("PER", "NLD"): (400.0, 1),
        ("COL", "GBR"): (2.0, 1),
    }
    # ESP as destination: S1, S4, S5 (S6 has no origin, so no flow)
    assert as_dict(flows.flow_pairs(loaded, Filters(), "ESP")) == {
        ("COL", "ESP"): (4000.0, 2),
        ("BRA", "ESP"): (800.0, 1),
    }
    # PER as origin only
    assert as_dict(flows.flow_pairs(loaded, Filters(), "PER")) == {("PER", "NLD"): (400.0, 1)}
    assert flows.flow_pairs(loaded, Filters(), "ISL").empty
    # the sidebar filters still apply: only seizures made in Europe, touching CPV -> S5
    europe = Filters(regions=("europe",))
    assert as_dict(flows.flow_pairs(loaded, europe, "CPV")) == {("COL", "ESP"): (3000.0, 1)}


def test_flow_pairs_legs_follow_the_route_in_order(loaded) -> None:
    # Only the legs up to where each seizure was made: S1, S2 were seized in their origin (no
    # leg); S3, S4, S8 in their first transit country; S5, S7 in their destination (all legs).
    legs = as_dict(flows.flow_pairs(loaded, Filters(), legs=True))
    assert legs == {
        ("COL", "DOM"): (5.5, 1),  # S3
        ("BRA", "CPV"): (800.0, 1),  # S4
        ("COL", "CPV"): (3000.0, 1),  # S5
        ("CPV", "GNB"): (3000.0, 1),  # S5 goes CPV then GNB, never GNB -> CPV
        ("GNB", "ESP"): (3000.0, 1),
        ("PER", "BRB"): (400.0, 1),  # S7
        ("BRB", "NLD"): (400.0, 1),
        ("COL", "BRB"): (2.0, 1),  # S8, seized in BRB: not on BRB -> GBR
    }
    focused = as_dict(flows.flow_pairs(loaded, Filters(), "BRB", legs=True))
    assert set(focused) == {("PER", "BRB"), ("BRB", "NLD"), ("COL", "BRB")}


# Route COL -> PAN -> MEX -> USA seized at each stop, and off it; a direct BRA -> ESP.
# (seizure_id, date, seized in, drug, kg, conveyance) + (origin, transit, destination)
ROUTED_ROWS = [
    (("R1", "2021-01-01", "COL", "cocaine_hcl", 100.0, "vessel"), ("COL", ["PAN", "MEX"], "USA")),
    (("R2", "2021-02-01", "PAN", "cocaine_hcl", 40.0, "vessel"), ("COL", ["PAN", "MEX"], "USA")),
    (("R3", "2021-03-01", "MEX", "cocaine_hcl", 20.0, "land"), ("COL", ["PAN", "MEX"], "USA")),
    (("R4", "2021-04-01", "USA", "cocaine_hcl", 7.0, "land"), ("COL", ["PAN", "MEX"], "USA")),
    (("R5", "2021-05-01", "ESP", "cocaine_hcl", 1000.0, "air"), ("COL", ["PAN", "MEX"], "USA")),
    (("R6", "2021-06-01", "ESP", "cocaine_hcl", 3.0, "air"), ("BRA", [], "ESP")),
    (("R7", "2021-07-01", "GTM", "cocaine_hcl", 9.0, "land"), (None, ["GTM"], "USA")),  # no origin
]


@pytest.fixture
def routed(store: DuckDBStore) -> DuckDBStore:
    rows = seizures_frame([r[0] for r in ROUTED_ROWS]).assign(
        origin_iso3=[r[1][0] for r in ROUTED_ROWS],
        transit_iso3=[r[1][1] for r in ROUTED_ROWS],
        destination_iso3=[r[1][2] for r in ROUTED_ROWS],
    )
    store.load(LoadRequest("seizures", rows, "test"))
    return store


def test_legs_credit_only_up_to_the_seizure_country(routed) -> None:
    # Hand-worked: COL -> PAN carries R2 + R3 + R4 = 67 kg; PAN -> MEX R3 + R4 = 27 kg;
    # MEX -> USA R4 = 7 kg; BRA -> ESP R6 = 3 kg. R1 (in its origin) and R5 (seized in Spain,
    # off its declared route) are on no leg.
    assert as_dict(flows.flow_pairs(routed, Filters(), legs=True)) == {
        ("COL", "PAN"): (67.0, 3),
        ("PAN", "MEX"): (27.0, 2),
        ("MEX", "USA"): (7.0, 1),
        ("BRA", "ESP"): (3.0, 1),
    }
    totals = flows.leg_totals(routed, Filters()).iloc[0]
    assert totals.to_dict() == {
        "seizures_with_route": 6,
        "kg_with_route": 1170.0,
        "seizures_on_legs": 4,
        "kg_on_legs": 70.0,  # R2 + R3 + R4 + R6
        "seizures_at_origin": 1,
        "kg_at_origin": 100.0,
        "seizures_off_route": 1,
        "kg_off_route": 1000.0,
    }
    # the parts add up to the routed seizures
    assert totals["kg_on_legs"] + totals["kg_at_origin"] + totals["kg_off_route"] == 1170.0
    # a focus narrows both alike: MEX is on R1-R5's route
    focused = flows.leg_totals(routed, Filters(), "MEX").iloc[0]
    assert (focused["kg_with_route"], focused["kg_on_legs"]) == (1167.0, 67.0)
    assert as_dict(flows.flow_pairs(routed, Filters(), "MEX", legs=True)) == {
        ("COL", "PAN"): (67.0, 3),
        ("PAN", "MEX"): (27.0, 2),
        ("MEX", "USA"): (7.0, 1),
    }


def test_leg_map_states_what_is_credited(routed) -> None:
    pairs = flows.flow_pairs(routed, Filters(), legs=True)
    totals = flows.leg_totals(routed, Filters())
    chart = charts.flow_map(pairs, "s", legs=True, totals=totals)
    stated = (
        "Credited to legs: 70 kg of the 1.2 t seized with a declared route. On no leg: 100 kg "
        "seized in the origin country, 1.0 t seized in a country off the declared route."
    )
    subtitle = chart.figure.layout.title.subtitle.text
    # the totals on lines of their own (the subtitle is broken into lines that fit a phone)
    assert "seizures made at or beyond its end" in flat(subtitle)
    assert "<br>Credited to legs:" in subtitle and flat(subtitle).endswith(stated)
    assert chart.summary.endswith(stated)
    # without the totals (or direct lines), no such sentence
    assert (
        "Credited" not in charts.flow_map(pairs, "s", legs=True).figure.layout.title.subtitle.text
    )


def test_region_flows_and_coverage(loaded) -> None:
    triples = flows.region_flows(loaded, Filters())
    got = {(o, s, d): (round(kg, 3), n) for o, s, d, kg, n in triples.itertuples(index=False)}
    assert got == {
        ("latin_america", "latin_america", "europe"): (1000.0, 1),
        ("latin_america", "latin_america", "north_america"): (200.0, 1),
        ("latin_america", "caribbean", "north_america"): (5.5, 1),
        ("latin_america", "west_africa", "europe"): (800.0, 1),
        ("latin_america", "europe", "europe"): (3400.0, 2),
        ("latin_america", "caribbean", "europe"): (2.0, 1),
    }
    coverage = flows.flow_coverage(loaded, Filters()).iloc[0]
    assert (coverage["seizures"], coverage["seizures_with_route"]) == (8, 7)
    assert coverage["kg"] == pytest.approx(5457.5)
    assert coverage["kg_with_route"] == pytest.approx(FLOW_KG)
    focused = flows.flow_coverage(loaded, Filters(), "ESP").iloc[0]
    assert (focused["seizures"], focused["seizures_with_route"]) == (4, 3)  # S1, S4, S5 + S6


def test_parse_focus() -> None:
    assert flows.parse_focus(" cpv ") == ("CPV", None)
    assert flows.parse_focus(None) == (None, None)
    assert flows.parse_focus("") == (None, None)
    code, notice = flows.parse_focus("XXX")
    assert code is None and "focus=XXX" in notice


# --------------------------------------------------------------------------------------------
# Figures


def test_width_classes_log_scale() -> None:
    classes = charts.width_classes([1.0, 10.0, 100.0, 1000.0])
    # edges 1, 5.6, 31.6, 178, 1000 kg: one flow per class
    assert classes.index.tolist() == [0, 1, 2, 3]
    assert classes.edges[0] == 1.0 and classes.edges[-1] == 1000.0
    assert classes.edges[1] == pytest.approx(10**0.75)
    # a value on an inner edge goes up; order of input does not matter
    assert charts.width_classes([100.0, 1.0, 10.0], n_classes=2).index.tolist() == [1, 0, 1]
    assert charts.width_classes([5.0, 6.0, 900.0, 1000.0]).index.tolist() == [0, 0, 3, 3]
    same = charts.width_classes([7.0, 7.0])
    assert same.index.tolist() == [0, 0] and len(same.edges) == 2
    assert charts.width_classes([]).index.size == 0
    assert charts.width_classes([1.0, 1000.0]).label(0) == "1 kg – 6 kg"
    with pytest.raises(ValueError):
        charts.width_classes([0.0, 1.0])


def test_flow_map_one_trace_per_class(loaded) -> None:
    pairs = flows.flow_pairs(loaded, Filters())
    chart = charts.flow_map(pairs, "test source")
    lines = [t for t in chart.figure.data if t.mode == "lines"]
    classes = charts.width_classes(pairs["kg"])
    assert len(lines) == len(set(classes.index.tolist()))
    # every flow is drawn once: a straight run of points from origin to destination, then None
    assert sum(t.lon.count(None) for t in lines) == len(pairs)
    starts = {(lon, lat) for t in lines for lon, lat in zip(t.lon, t.lat, strict=True)}
    for row in pairs.itertuples():
        assert (row.origin_lon, row.origin_lat) in starts
        assert (row.destination_lon, row.destination_lat) in starts
    widths = [t.line.width for t in lines]
    assert widths == sorted(widths) and len(set(widths)) == len(widths)
    # the legend names each class's kg range
    assert [t.name for t in lines] == [classes.label(c) for c in sorted(set(classes.index))]
    assert chart.figure.layout.geo.resolution == 50
    assert "Source: test source" in chart.figure.layout.annotations[-1].text
    assert len(chart.data) == len(pairs)
    assert chart.data["Cocaine (t)"].sum() == pytest.approx(FLOW_KG / 1000, abs=0.002)  # rounded
    assert {"From", "To", "Cocaine (t)", "Seizures", "Line width class"} <= set(chart.data.columns)
    legs = charts.flow_map(flows.flow_pairs(loaded, Filters(), legs=True), "s", legs=True)
    assert "leg by leg" in legs.figure.layout.title.text


def test_seizure_map_has_markers_for_small_islands(loaded) -> None:
    by_country = flows.seized_by_country(loaded, Filters())
    chart = charts.seizure_map(by_country, "test source")
    choropleth, markers = chart.figure.data[:2]
    assert choropleth.type == "choropleth" and set(choropleth.locations) == set(by_country["iso3"])
    # log10 of kg: Spain 3050 kg, Barbados 2 kg
    assert choropleth.z[0] == pytest.approx(np.log10(3050.0))
    assert markers.type == "scattergeo"
    assert [row[0] for row in markers.customdata] == by_country["iso3"].tolist()
    assert "BRB" in {row[0] for row in markers.customdata}
    sizes = np.asarray(markers.marker.size)
    assert sizes.min() >= 7 and sizes.argmax() == 0  # clickable minimum; largest is Spain
    geo = chart.figure.layout.geo
    assert geo.resolution == 50 and geo.showcountries
    # framed to the countries with seizures, with a margin
    lon, lat = geo.lonaxis.range, geo.lataxis.range
    assert lon[0] < by_country["longitude"].min() and by_country["longitude"].max() < lon[1]
    assert lat[0] < by_country["latitude"].min() and by_country["latitude"].max() < lat[1]
    assert len(chart.figure.data) == 2  # no focus ring without a focus
    assert chart.data["Cocaine seized (kg)"].sum() == pytest.approx(5457.5)
    ringed = charts.seizure_map(by_country, "s", focus="CPV")
    ring = ringed.figure.data[-1]
    assert ring.name == "Selected country" and ring.hoverinfo == "skip"


def test_region_sankey_has_no_cycles_and_keeps_the_kg(loaded) -> None:
    triples = flows.region_flows(loaded, Filters())
    chart = charts.region_sankey(triples, "test source")
    sankey = chart.figure.data[0]
    # nodes show the region alone (column heads name the stage); region and stage on hover
    assert {flat(label) for label in sankey.node.label} <= {
        "Latin America",
        "Caribbean",
        "West Africa",
        "Europe",
        "North America",
    }
    heads = [a.text for a in chart.figure.layout.annotations[:-1]]
    assert heads == ["<b>Origin</b>", "<b>Seized in</b>", "<b>Destination</b>"]
    labels = list(sankey.node.customdata)
    assert len(labels) == len(set(labels))
    assert "Latin America (origin)" in labels and "Europe (destination)" in labels
    stage_of = {
        i: next(k for k, v in charts.STAGE_SUFFIX.items() if label.endswith(v))
        for i, label in enumerate(labels)
    }
    order = {stage: i for i, stage in enumerate(charts.STAGES)}
    for source, target in zip(sankey.link.source, sankey.link.target, strict=True):
        assert labels[source] != labels[target]
        assert order[stage_of[target]] == order[stage_of[source]] + 1  # left to right only
    sources = {labels[i] for i in sankey.link.source}
    targets = {labels[i] for i in sankey.link.target}
    assert not any(lbl.endswith("(origin)") for lbl in targets)
    assert not any(lbl.endswith("(destination)") for lbl in sources)
    # each stage carries all the flow, in tonnes
    values = np.asarray(sankey.link.value)
    first = np.array([stage_of[s] == "origin" for s in sankey.link.source])
    assert values[first].sum() == pytest.approx(FLOW_KG / 1000)
    assert values[~first].sum() == pytest.approx(FLOW_KG / 1000)
    into_west_africa = labels.index("West Africa (seized in)")
    assert values[np.asarray(sankey.link.target) == into_west_africa].sum() == pytest.approx(0.8)
    assert chart.data["Cocaine (t)"].sum() == pytest.approx(2 * FLOW_KG / 1000, abs=0.005)
    assert len(chart.data) == len(values)


def test_top_routes_and_caption(loaded) -> None:
    pairs = flows.flow_pairs(loaded, Filters())
    table = charts.top_routes(pairs, n=2)
    assert table["Route"].tolist() == ["Colombia → Spain", "Brazil → Spain"]
    assert table["Cocaine (t)"].tolist() == [4.0, 0.8]
    caption = charts.flows_caption(flows.flow_coverage(loaded, Filters()))
    assert "7 of 8 seizures" in caption and "All seizures" in caption
    legs = charts.flows_caption(flows.flow_coverage(loaded, Filters()), legs=True)
    assert "With a route: 7 of 8 seizures" in legs and "seized past their origin" in legs
    focused = charts.flows_caption(flows.flow_coverage(loaded, Filters(), "CPV"), "CPV")
    assert focused.startswith("Only seizures that touch") and "(CPV)" in focused


def test_focus_from_selection() -> None:
    assert charts.focus_from_selection(None) == ()
    assert charts.focus_from_selection({"selection": {"points": []}}) == ()
    choropleth = {"selection": {"points": [{"location": "CPV", "z": 3.2}]}}
    assert charts.focus_from_selection(choropleth) == ("CPV",)
    marker = {"selection": {"points": [{"lat": 13.1, "lon": -59.5, "customdata": ["BRB", "x"]}]}}
    assert charts.focus_from_selection(marker) == ("BRB",)
    other = {"selection": {"points": [{"customdata": ["Colombia → Spain"]}, {"x": 1}]}}
    assert charts.focus_from_selection(other) == ()


# --------------------------------------------------------------------------------------------
# The page through the router (demo data seeded on first run)


def plotly_specs(app) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def test_page_renders_its_charts(store_path: Path) -> None:
    app = run_page("pages/flows.py")
    assert app.title[0].value == "Routes and flows"
    subheaders = [s.value for s in app.subheader]
    assert subheaders == [
        "Where cocaine is seized",
        "Where it was heading",
        "From region to region",
        "Top routes",
    ]
    specs = plotly_specs(app)
    assert len(specs) == 3
    seized, lines, sankey = specs
    assert seized["data"][0]["type"] == "choropleth"
    assert seized["layout"]["geo"]["resolution"] == 50
    assert "Cocaine seized by country" in seized["layout"]["title"]["text"]
    assert any(t.get("mode") == "lines" for t in lines["data"])
    assert sankey["data"][0]["type"] == "sankey"
    # maps fetch their topology from this server, never a CDN
    config = json.loads(app.get("plotly_chart")[0].proto.config)
    assert config["topojsonURL"] == "/app/static/maps/"
    captions = " ".join(c.value for c in app.caption)
    assert "All seizures in the selection" in captions and "synthetic" in captions
    assert not [b for b in app.button if b.key == "flows_clear_focus"]  # no focus, no button
    # the three 'view data' tables (map, flows, Sankey) and the top routes, in page order
    tables = [t.value for t in app.dataframe]
    assert len(tables) == 4
    by_country, lines_data, sankey_data, routes = tables
    assert "Line width class" in lines_data.columns and "Stage" in sankey_data.columns
    assert routes["Route"].iloc[0] == "Colombia → United States"  # the demo's largest route
    total = headline(DuckDBStore(store_path), Filters()).seized_kg
    assert by_country["Cocaine seized (kg)"].sum() == pytest.approx(total, abs=1.0)


def test_page_honours_url_filters(store_path: Path) -> None:
    app = run_page("pages/flows.py", query={"region": ["west_africa"]})
    seized = plotly_specs(app)[0]
    store = DuckDBStore(store_path)
    west = set(flows.seized_by_country(store, Filters(regions=("west_africa",)))["iso3"])
    assert set(seized["data"][0]["locations"]) == west
    assert "CPV" in west and "ESP" not in west
    assert "West Africa" in app.caption[0].value


def test_page_focus_from_link_and_clear(store_path: Path) -> None:
    app = run_page("pages/flows.py", query={"focus": "CPV"})
    assert any("Following" in i.value and "(CPV)" in i.value for i in app.info)
    captions = " ".join(c.value for c in app.caption)
    assert "Only seizures that touch" in captions and "(CPV)" in captions
    store = DuckDBStore(store_path)
    expected = flows.flow_pairs(store, Filters(), "CPV")
    lines = plotly_specs(app)[1]
    drawn = sum(t["lon"].count(None) for t in lines["data"] if t.get("mode") == "lines")
    assert drawn == len(expected) < len(flows.flow_pairs(store, Filters()))
    assert app.query_params["focus"] == "CPV"
    button = next(b for b in app.button if b.key == "flows_clear_focus")
    app = button.click().run()
    assert not app.exception
    assert "focus" not in app.query_params
    assert not any("Following" in i.value for i in app.info)
    assert "All seizures in the selection" in " ".join(c.value for c in app.caption)


def test_page_invalid_focus_shows_a_notice(store_path: Path) -> None:
    app = run_page("pages/flows.py", query={"focus": "NOPE"}, tables=False)
    assert any("focus=NOPE" in as_shown(w.value) for w in app.warning)
    assert len(app.get("plotly_chart")) == 3
    assert "focus" not in app.query_params


def test_page_leg_by_leg_from_link(store_path: Path) -> None:
    app = run_page("pages/flows.py", query={"lines": "legs"})
    lines = plotly_specs(app)[1]
    assert "leg by leg" in lines["layout"]["title"]["text"]
    # the page passes the totals: the subtitle says what is on the legs and what is not
    subtitle = flat(lines["layout"]["title"]["subtitle"]["text"])
    assert "Credited to legs:" in subtitle and "off the declared route" in subtitle


def test_page_empty_selection_shows_a_message(store_path: Path) -> None:
    query = {"to": "2015-01-01", "country": ["CPV"]}
    app = run_page("pages/flows.py", query=query)
    store = DuckDBStore(store_path)
    assert (
        headline(store, Filters(date_to=dt.date(2015, 1, 1), countries=("CPV",))).seizure_events
        == 0
    )
    assert any("No seizures in the current selection" in i.value for i in app.info)
    assert len(app.get("plotly_chart")) == 0


def test_page_focus_without_flows_says_so(store_path: Path) -> None:
    # Iceland is a valid country with no seizure touching it in the demo data
    app = run_page("pages/flows.py", query={"focus": "ISL"})
    assert not app.warning  # a valid code: no 'ignored' notice
    assert any("seizures touching" in i.value and "(ISL)" in i.value for i in app.info)
    assert len(app.get("plotly_chart")) == 1  # the seizure map stays, to pick another country
