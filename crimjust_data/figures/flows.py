"""Charts of the 'Routes and flows' page: seizures by country, flow lines, region Sankey.

The maps draw plotly's world_50m topology (`geo.resolution=50`), which keeps small island
states; those are also drawn as markers at their centroids so they can be seen and clicked.
Flow lines are grouped into a few width classes and drawn as one trace per class (coordinates
separated by None), so hundreds of flows stay one handful of traces. Each map is framed to what
it draws (map_frame), so a region's selection zooms to the region.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crimjust_data import i18n
from crimjust_data.countries import REGIONS, country_name, known_iso3, region_label
from crimjust_data.figures import (
    REGION_COLOURS,
    Chart,
    figure,
    house_layout,
    legend_under_heading,
    sentences,
    wrap,
)
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.vocabulary import ROUTE_STAGE_NAMES

# The frame of a map with nothing to frame: the cocaine route, the Americas, the Atlantic, Africa
# and Europe.
LON_RANGE = (-120.0, 45.0)
LAT_RANGE = (-40.0, 65.0)
# Around the points a map frames: a share of the span, at least some degrees (a country's shape
# reaches beyond its centroid), and a smallest frame, so one country is seen with neighbours.
FRAME_MARGIN, FRAME_MARGIN_DEGREES, FRAME_MIN_DEGREES = 0.05, 6.0, (24.0, 16.0)
# The map's height is the frame's (lon:lat) shape at a width between a phone's and a page's,
# kept within bounds: the same figure at 390 px and at 1440 px leaves little blank either way.
MAP_WIDTH_PX, MAP_PX = 600, (230, 460)
FLOW_COLOUR = "#D55E00"  # Okabe-Ito vermillion: stands out on the pale base map
FOCUS_COLOUR = "#000000"
LINE_WIDTHS = (1.4, 2.2, 3.4, 5.8)  # px, smallest class first
LINE_OPACITY = (0.6, 0.9)  # smallest and largest class: the faintest still reads on the land
LABELLED_FLOWS = 4  # the largest flows named on the map ('COL→ESP 12.3 t')
STEP_DEGREES = 3.0  # flow lines drawn straight on the map: a point every few degrees
# Cividis as plotly's validation spells it out (figures are built unvalidated, see figure()).
_CIVIDIS = go.Choropleth(colorscale="Cividis").to_plotly_json()["colorscale"]
# Stages of the Sankey, left to right; the suffix keeps a region's nodes apart per stage so
# the diagram can never loop back (no node is both the source and the target of one name).
STAGES = ("origin", "seized", "destination")
# Marked for translation: translate at use, _(STAGE_SUFFIX[stage]).
STAGE_SUFFIX = {
    "origin": N_("(origin)"),
    "seized": N_("(seized in)"),
    "destination": N_("(destination)"),
}
# The Sankey's column heads: its nodes are named by region alone, so a phone's narrow columns
# keep their labels apart. Marked for translation: translate at use, _(STAGE_HEADS[stage]).
STAGE_HEADS = {
    "origin": N_("Origin"),
    "seized": N_("Seized in"),
    "destination": N_("Destination"),
}
SANKEY_LABEL_CHARS = 12
# How the flow map draws its lines (the page keeps the choice in the URL as ?lines=).
# Marked for translation: translate at use, _(LINE_MODES[mode]).
LINE_MODES = {
    "direct": N_("Origin → destination"),
    "legs": N_("Leg by leg, via transit countries"),
}


def format_mass(kg: float) -> str:
    """'1.2 t', '250 kg', '0.4 kg': short labels for legends and hovers (numbers written the
    way the current language writes them: '1,2 t' in es, fr and pt)."""
    if kg >= 1000:
        tonnes = kg / 1000
        return f"{i18n.decimal(tonnes, 0 if tonnes >= 100 else 1)} t"
    return f"{i18n.decimal(kg, 0 if kg >= 1 else 1)} kg"


def _country_names(codes: pd.Series) -> list[str]:
    """Display names of ISO3 codes in the current language (not the English names from SQL)."""
    return [country_name(code) for code in codes]


@dataclass(frozen=True)
class MapFrame:
    """The longitudes and latitudes a map shows (plotly's geo lonaxis and lataxis ranges)."""

    lon: tuple[float, float]
    lat: tuple[float, float]

    def height_px(self) -> int:
        """The map's height: the frame's shape at MAP_WIDTH_PX, within MAP_PX (equirectangular:
        a degree is as long across as up)."""
        shape = (self.lat[1] - self.lat[0]) / (self.lon[1] - self.lon[0])
        return int(min(max(MAP_WIDTH_PX * shape, MAP_PX[0]), MAP_PX[1]))


def map_frame(lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray) -> MapFrame:
    """The frame round every point given (with FRAME_MARGIN, never smaller than
    FRAME_MIN_DEGREES); the cocaine route's frame when there is none."""
    lons = np.asarray(lon, dtype="float64")
    lats = np.asarray(lat, dtype="float64")
    lons, lats = lons[~np.isnan(lons)], lats[~np.isnan(lats)]
    if not lons.size or not lats.size:
        return MapFrame(LON_RANGE, LAT_RANGE)

    def around(values: np.ndarray, smallest: float, limit: float) -> tuple[float, float]:
        low, high = float(values.min()), float(values.max())
        margin = max(FRAME_MARGIN * (high - low), FRAME_MARGIN_DEGREES)
        low, high = low - margin, high + margin
        if high - low < smallest:
            middle = (low + high) / 2
            low, high = middle - smallest / 2, middle + smallest / 2
        return max(low, -limit), min(high, limit)

    return MapFrame(
        around(lons, FRAME_MIN_DEGREES[0], 180.0), around(lats, FRAME_MIN_DEGREES[1], 85.0)
    )


def _base_geo(frame: MapFrame) -> dict[str, Any]:
    """The map frame shared by both maps: subtle land and sea, country borders, 50m detail."""
    return {
        "projection": {"type": "equirectangular"},  # fills a wide page better
        "lonaxis": {"range": list(frame.lon)},
        "lataxis": {"range": list(frame.lat)},
        "resolution": 50,  # world_50m: keeps Barbados, Grenada, Cabo Verde...
        "showcountries": True,
        "countrycolor": "#b8b8b8",
        "countrywidth": 0.5,
        "showcoastlines": True,
        "coastlinecolor": "#a0a0a0",
        "coastlinewidth": 0.5,
        "showland": True,
        "landcolor": "#f2f2f0",
        # The sea is the map's background, not a world-sized polygon plotly projects at
        # every draw (a quarter of a map's drawing time).
        "showocean": False,
        "showlakes": False,
        "showframe": False,
        "bgcolor": "#eaf1f6",
    }


def _map_layout(
    title: str, source: str, subtitle: str, frame: MapFrame, above: int = 0, below: int = 36
) -> dict[str, Any]:
    """A map's layout: its heading, `above` px for a legend, the map framed to `frame`, and
    `below` px between the map and the 'Source:' line (a colour bar)."""
    layout = house_layout(title, source, below_px=below, subtitle=subtitle)
    layout["margin"] |= {"l": 0, "r": 0}
    margin = layout["margin"]
    layout["height"] = margin["t"] + above + frame.height_px() + margin["b"]
    layout |= {
        "geo": _base_geo(frame),
        "dragmode": False,  # a click selects a country; dragging would pan away from the route
    }
    return layout


def _log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Colour bar ticks at powers of ten between log10 `low` and `high`, labelled in kg or t."""
    values = list(range(math.floor(low), math.ceil(high) + 1))
    return [float(v) for v in values], [format_mass(10.0**v) for v in values]


def seizure_map(
    by_country: pd.DataFrame, source: str, focus: str | None = None, clickable: bool = True
) -> Chart:
    """Choropleth of kg seized per country (log colour scale), with a marker per country.

    Markers sit at the centroids, sized by kg (never below a clickable minimum), so island
    states too small to see as shapes can be found, hovered and clicked. The focus country, if
    any, is ringed.
    """
    kg = by_country["seized_kg"].astype("float64").to_numpy()
    # log10 of kg: seizures span grams to hundreds of tonnes; a linear scale shows only the top.
    z = np.log10(np.maximum(kg, 0.1))
    zmin, zmax = (math.floor(z.min()), math.ceil(z.max())) if len(z) else (0, 1)
    if zmin == zmax:
        zmax = zmin + 1
    tickvals, ticktext = _log_ticks(zmin, zmax)
    # object array: plotly formats the seizure count as a number, not a string
    custom = pd.DataFrame(
        {
            "iso3": by_country["iso3"],
            "name": _country_names(by_country["iso3"]),
            "kg": [format_mass(v) for v in kg],
            "seizures": by_country["seizures"].astype("int64"),
        }
    ).to_numpy(dtype=object)
    hover = _(
        "<b>%{customdata[1]}</b><br>%{customdata[2]} seized in %{customdata[3]:,} seizures"
        "<extra></extra>"
    )
    scale = {"colorscale": _colours(), "reversescale": True, "cmin": zmin, "cmax": zmax}
    traces = [
        {
            "type": "choropleth",
            "locations": by_country["iso3"],
            "locationmode": "ISO-3",
            "z": z,
            "zmin": zmin,
            "zmax": zmax,
            "colorscale": _colours(),
            "reversescale": True,
            "marker": {"line": {"color": "#ffffff", "width": 0.4}},
            # under the map, across it: beside it, it would take a phone's map a quarter of
            # its width
            "colorbar": {
                "title": {"text": _("Seized"), "side": "top"},
                "tickvals": tickvals,
                "ticktext": ticktext,
                "orientation": "h",
                "thickness": 10,
                "len": 300,  # px: a phone's width, and centred under a page's map
                "lenmode": "pixels",
                "x": 0.5,
                "xanchor": "center",
                "y": 0,
                "yanchor": "top",
                "ypad": 12,
            },
            "customdata": custom,
            "hovertemplate": hover,
            "name": _("Seized in country"),
        },
        {
            "type": "scattergeo",
            "lon": by_country["longitude"],
            "lat": by_country["latitude"],
            "mode": "markers",
            "marker": {
                # area grows with kg; 7 px keeps the smallest seizure country clickable
                "size": 7 + 23 * np.sqrt(kg / max(kg.max(initial=0.0), 1e-9)),
                "color": z,
                **scale,
                "opacity": 0.85,
                "line": {"color": "#333333", "width": 0.8},
                "showscale": False,
            },
            "customdata": custom,
            "hovertemplate": hover,
            "name": _("Country marker"),
        },
        *_focus_ring(by_country, focus),
    ]
    subtitle = [_("Colour and marker size: kg seized.")]
    if clickable:
        subtitle.append(_("Click a country or its marker to follow its flows."))
    layout = _map_layout(
        _("Cocaine seized by country where the seizure was made (kg, log scale)"),
        source,
        " ".join(subtitle),
        map_frame(by_country["longitude"], by_country["latitude"]),
        below=66,  # the colour bar, its title and its ticks
    )
    data = pd.DataFrame(
        {
            _("Country"): _country_names(by_country["iso3"]),
            _("ISO3"): by_country["iso3"],
            _("Region"): [region_label(r) for r in by_country["region"]],
            _("Cocaine seized (kg)"): by_country["seized_kg"].astype("float64").round(1),
            _("Seizures"): by_country["seizures"].astype("int64"),
        }
    )
    return Chart(figure(traces, layout), data, _seizure_map_summary(by_country))


def _colours() -> list[list[object]]:
    return [list(stop) for stop in _CIVIDIS]  # a fresh copy: the figure keeps what it is given


def _seizure_map_summary(by_country: pd.DataFrame) -> str:
    """The countries with the most cocaine seized (up to three), and how many have seizures."""
    kg = by_country["seized_kg"].astype("float64").fillna(0.0)
    seized = by_country.assign(_kg=kg)[(kg > 0) | (by_country["seizures"] > 0)]
    if seized.empty:
        return _("No seizures in the selection.")
    top = seized.sort_values("_kg", ascending=False, kind="stable").head(3)
    names = _country_names(top["iso3"])
    masses = [format_mass(v) for v in top["_kg"]]
    if len(seized) == 1:
        return _("All the cocaine in the selection was seized in {country} ({mass}).").format(
            country=names[0], mass=masses[0]
        )
    total = float(seized["_kg"].sum())
    share = i18n.percent(float(top["_kg"].iloc[0]) / total, 0) if total > 0 else "–"
    if len(top) == 2:
        first = _(
            "{first} has the most cocaine seized ({first_mass}, {share} of the total), "
            "followed by {second} ({second_mass})."
        ).format(
            first=names[0],
            first_mass=masses[0],
            share=share,
            second=names[1],
            second_mass=masses[1],
        )
    else:
        first = _(
            "{first} has the most cocaine seized ({first_mass}, {share} of the total), "
            "followed by {second} ({second_mass}) and {third} ({third_mass})."
        ).format(
            first=names[0],
            first_mass=masses[0],
            share=share,
            second=names[1],
            second_mass=masses[1],
            third=names[2],
            third_mass=masses[2],
        )
    return sentences(
        first,
        ngettext("{n} country has seizures.", "{n} countries have seizures.", len(seized)).format(
            n=i18n.integer(len(seized))
        ),
    )


def _focus_ring(places: pd.DataFrame, focus: str | None) -> list[dict[str, Any]]:
    """A black ring round the focus country's centroid (not hoverable, so not clickable); none
    without a focus country among `places`."""
    if not focus:
        return []
    row = places[places["iso3"] == focus]
    if row.empty:
        return []
    return [
        {
            "type": "scattergeo",
            "lon": row["longitude"],
            "lat": row["latitude"],
            "mode": "markers",
            "marker": {
                "symbol": "circle-open",
                "size": 34,
                "color": FOCUS_COLOUR,
                "line": {"width": 2.5},
            },
            "hoverinfo": "skip",
            "name": _("Selected country"),
        }
    ]


@dataclass(frozen=True)
class WidthClasses:
    """Which width class each flow falls in, and the kg bounds of the classes."""

    index: np.ndarray  # class per flow, 0 = thinnest
    edges: tuple[float, ...]  # len(classes) + 1 bounds in kg, increasing

    def label(self, cls: int) -> str:
        return f"{format_mass(self.edges[cls])} – {format_mass(self.edges[cls + 1])}"


def width_classes(kg: Sequence[float] | np.ndarray, n_classes: int = 4) -> WidthClasses:
    """Flows binned into `n_classes` classes of equal width on a log scale, min to max kg.

    Log classes because flows span orders of magnitude: each class is a step in magnitude, so a
    wider line always means a bigger flow by about the same factor. A flow on an inner edge
    goes to the upper class. All flows equal (or a single flow): one class.
    """
    values = np.asarray(kg, dtype="float64")
    if values.size == 0:
        return WidthClasses(np.zeros(0, dtype="int64"), ())
    if np.any(values <= 0):
        raise ValueError("flow volumes must be positive to be binned on a log scale")
    low, high = float(values.min()), float(values.max())
    if math.isclose(low, high):
        return WidthClasses(np.zeros(values.size, dtype="int64"), (low, high))
    # Position on the log scale in class units; the tolerance keeps a value that sits on an
    # inner edge (10 between 1 and 100) in the upper class despite floating-point rounding.
    position = (np.log10(values) - math.log10(low)) / (math.log10(high) - math.log10(low))
    index = np.clip(np.floor(position * n_classes + 1e-9), 0, n_classes - 1).astype("int64")
    edges = np.geomspace(low, high, n_classes + 1)
    edges[0], edges[-1] = low, high  # exact ends, free of rounding
    return WidthClasses(index, tuple(float(e) for e in edges))


def _line_width(cls: int, n_classes: int) -> float:
    """Widths spread over LINE_WIDTHS whatever the number of classes (one class: the middle)."""
    if n_classes <= 1:
        return LINE_WIDTHS[1]
    position = cls * (len(LINE_WIDTHS) - 1) / (n_classes - 1)
    return float(np.interp(position, range(len(LINE_WIDTHS)), LINE_WIDTHS))


def _line_opacity(cls: int, n_classes: int) -> float:
    """Small flows recede, big ones stand out; the faintest still reads (LINE_OPACITY)."""
    return float(np.interp(cls, [0, max(n_classes - 1, 1)], LINE_OPACITY))


def _straight(
    lon1: float, lat1: float, lon2: float, lat2: float
) -> tuple[list[float | None], list[float | None]]:
    """One flow as points every STEP_DEGREES along the straight line on the map, then None.

    Plotly joins two geo points by a great circle, which on a wide frame bends far out of it
    (Colombia to Australia crosses the Pacific): points this close keep the line straight, and
    inside any frame that holds its two ends.
    """
    steps = max(1, math.ceil(max(abs(lon2 - lon1), abs(lat2 - lat1)) / STEP_DEGREES))
    at = np.linspace(0.0, 1.0, steps + 1)[1:-1]
    # the ends exactly as given (the arithmetic would round them)
    return (
        [lon1, *(lon1 + (lon2 - lon1) * at).tolist(), lon2, None],
        [lat1, *(lat1 + (lat2 - lat1) * at).tolist(), lat2, None],
    )


def _flow_labels(
    pairs: pd.DataFrame, kg: np.ndarray, frame: MapFrame, n: int = LABELLED_FLOWS
) -> dict[str, Any] | None:
    """'COL→ESP / 12.3 t' on up to `n` of the largest flows, largest first: each above or below
    the first point along its line, from the middle outwards, where it covers no label placed
    before; a flow with no such point is passed over for the next (of the 2n largest).

    Label boxes are reckoned in degrees at a phone's map width, where the map is smallest.
    """
    degrees_per_px = (frame.lon[1] - frame.lon[0]) / 360.0
    placed: list[tuple[float, float, float, float]] = []
    lons, lats, texts, sides = [], [], [], []
    for i in np.argsort(-kg, kind="stable")[: 2 * n]:
        row = pairs.iloc[int(i)]
        names = f"{row['origin_iso3']}→{row['destination_iso3']}"
        mass = format_mass(float(kg[i]))
        # two short lines: narrower than one, where lines fan out side by side
        half_w = 3.4 * max(len(names), len(mass)) * degrees_per_px
        high = 30 * degrees_per_px
        for at, side in itertools.product((0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2), ("top", "bottom")):
            lon = row["origin_lon"] + (row["destination_lon"] - row["origin_lon"]) * at
            lat = row["origin_lat"] + (row["destination_lat"] - row["origin_lat"]) * at
            bottom = lat - high if side == "bottom" else lat
            box = (lon - half_w, bottom, lon + half_w, bottom + high)
            inside = (
                frame.lon[0] <= box[0]
                and box[2] <= frame.lon[1]
                and frame.lat[0] <= box[1]
                and box[3] <= frame.lat[1]
            )
            if inside and not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
            ):
                placed.append(box)
                lons.append(float(lon))
                lats.append(float(lat))
                sides.append(f"{side} center")
                texts.append(f"{names}<br>{mass}")
                break
        if len(texts) == n:
            break
    if not texts:
        return None
    return {
        "type": "scattergeo",
        "lon": lons,
        "lat": lats,
        "mode": "text",
        "text": texts,
        "textposition": sides,
        # dark and bold on a thick white halo: readable over a fan of lines and the land
        "textfont": {
            "size": 11,
            "color": "#1a1a1a",
            "weight": "bold",
            "shadow": "0 0 2px #ffffff, 0 0 2px #ffffff, 0 0 4px #ffffff",
        },
        "hoverinfo": "skip",
        "name": _("Largest flows"),
        "showlegend": False,
    }


def flow_map(
    pairs: pd.DataFrame,
    source: str,
    focus: str | None = None,
    legs: bool = False,
    n_classes: int = 4,
    totals: pd.DataFrame | None = None,
) -> Chart:
    """Lines from each reported origin to its destination (or, with `legs`, along each leg of
    the reported routes, from queries.flows.flow_pairs(..., legs=True)), width by kg class,
    one trace per class. With `legs`, `totals` (queries.flows.leg_totals) puts the kg credited
    to legs, and the kg that is on no leg, in the subtitle and the summary.

    The map is framed to every end drawn, and lines run straight on it (so they stay inside).
    The largest flows are named on the map; a marker at the middle of each line carries its
    hover (from -> to, tonnes, seizures); endpoints are grey dots. Flows with origin =
    destination show as the marker only.
    """
    # Country names in the current language, in place of the English names from SQL.
    pairs = pairs.reset_index(drop=True).assign(
        origin_name=lambda f: _country_names(f["origin_iso3"]),
        destination_name=lambda f: _country_names(f["destination_iso3"]),
    )
    kg = pairs["kg"].astype("float64").to_numpy()
    classes = width_classes(kg, n_classes)
    used = len(classes.edges) - 1
    class_labels = [classes.label(cls) for cls in range(used)]  # a few, for many flows
    frame = map_frame(
        pd.concat([pairs["origin_lon"], pairs["destination_lon"]]),
        pd.concat([pairs["origin_lat"], pairs["destination_lat"]]),
    )
    traces: list[dict[str, Any]] = []
    # Thin classes first, so the big flows are drawn on top.
    for cls in range(used):
        rows = pairs[classes.index == cls]
        if rows.empty:
            continue
        lon: list[float | None] = []
        lat: list[float | None] = []
        for ends in zip(
            rows["origin_lon"].tolist(),
            rows["origin_lat"].tolist(),
            rows["destination_lon"].tolist(),
            rows["destination_lat"].tolist(),
            strict=True,
        ):
            line_lon, line_lat = _straight(*ends)
            lon += line_lon
            lat += line_lat
        traces.append(
            {
                "type": "scattergeo",
                "lon": lon,
                "lat": lat,
                "mode": "lines",
                "line": {"width": _line_width(cls, used), "color": FLOW_COLOUR},
                "opacity": _line_opacity(cls, used),
                "hoverinfo": "skip",
                "name": class_labels[cls],
            }
        )
    ends = pd.concat(
        [
            pairs[["origin_iso3", "origin_name", "origin_lat", "origin_lon"]].set_axis(
                ["iso3", "name", "lat", "lon"], axis=1
            ),
            pairs[
                ["destination_iso3", "destination_name", "destination_lat", "destination_lon"]
            ].set_axis(["iso3", "name", "lat", "lon"], axis=1),
        ]
    ).drop_duplicates("iso3")
    traces.append(
        {
            "type": "scattergeo",
            "lon": ends["lon"],
            "lat": ends["lat"],
            "mode": "markers",
            "marker": {"size": 5, "color": "#555555"},
            "text": ends["name"],
            "hovertemplate": "%{text}<extra></extra>",
            "name": _("Origin or destination"),
            "showlegend": False,
        }
    )
    mid_lon = (pairs["origin_lon"].to_numpy(dtype="float64") + pairs["destination_lon"]) / 2
    mid_lat = (pairs["origin_lat"].to_numpy(dtype="float64") + pairs["destination_lat"]) / 2
    hover = _("<b>{origin} → {destination}</b><br>{mass} in {n} seizures")
    # Number formatting is most of the cost of a big map: each count written once.
    counts = {n: i18n.integer(n) for n in set(pairs["seizures"])}
    traces.append(
        {
            "type": "scattergeo",
            "lon": mid_lon,
            "lat": mid_lat,
            "mode": "markers",
            "marker": {
                "size": 5,
                "color": FLOW_COLOUR,
                "opacity": 0.9,
                "symbol": "diamond",
                "line": {"color": "#ffffff", "width": 1},
            },
            "text": [
                hover.format(origin=o, destination=d, mass=format_mass(v), n=counts[n])
                for o, d, v, n in zip(
                    pairs["origin_name"],
                    pairs["destination_name"],
                    kg,
                    pairs["seizures"],
                    strict=True,
                )
            ],
            "hovertemplate": "%{text}<extra></extra>",
            "name": _("Flow (hover for details)"),
            "showlegend": False,
        }
    )
    labels = _flow_labels(pairs, kg, frame)
    if labels is not None:
        traces.append(labels)
    ringed = ends.rename(columns={"lat": "latitude", "lon": "longitude"})
    traces += _focus_ring(ringed, focus)
    title = (
        _("Cocaine routes leg by leg: origin → transit countries → destination (kg or tonnes)")
        if legs
        else _("Cocaine flows from reported origin to reported destination (kg or tonnes)")
    )
    # Words for print too (no 'hover'): the same figure goes into the PDF.
    subtitle = [
        _(
            "Line width: volume class; the largest flows are named. The diamond at a line's "
            "middle carries its figures."
        )
    ]
    credited = leg_totals_text(totals) if legs and totals is not None else ""
    if legs:
        subtitle.append(
            _("A leg counts only the seizures made at or beyond its end on their declared route.")
        )
    # The totals on a line of their own.
    layout = _map_layout(
        title,
        source,
        "<br>".join(filter(None, [" ".join(subtitle), credited])),
        frame,
        above=50,  # the legend's title and row (a phone wraps it: the map, smaller there, gives way)
    )
    layout |= {
        "showlegend": True,
        # The legend in a row between the heading and the map: beside it, it would cover Africa.
        "legend": legend_under_heading(layout, title={"text": _("Flow volume:"), "side": "top"}),
    }
    data = pd.DataFrame(
        {
            _("From"): pairs["origin_name"],
            _("To"): pairs["destination_name"],
            _("From region"): [region_label(r) for r in pairs["origin_region"]],
            _("To region"): [region_label(r) for r in pairs["destination_region"]],
            _("Cocaine (t)"): (pairs["kg"].astype("float64") / 1000).round(3),
            _("Seizures"): pairs["seizures"].astype("int64"),
            _("Line width class"): [class_labels[c] for c in classes.index],
        }
    )
    return Chart(figure(traces, layout), data, sentences(_flow_map_summary(pairs, legs), credited))


def leg_totals_text(totals: pd.DataFrame) -> str:
    """What the leg-by-leg view credits, in kg: of the seizures with a declared route, the kg
    on legs, and the kg on none (seized in the origin country, or off the declared route)."""
    row = totals.iloc[0]
    return _(
        "Credited to legs: {on_legs} of the {routed} seized with a declared route. On no leg: "
        "{at_origin} seized in the origin country, {off_route} seized in a country off the "
        "declared route."
    ).format(
        on_legs=format_mass(float(row["kg_on_legs"])),
        routed=format_mass(float(row["kg_with_route"])),
        at_origin=format_mass(float(row["kg_at_origin"])),
        off_route=format_mass(float(row["kg_off_route"])),
    )


def _flow_map_summary(pairs: pd.DataFrame, legs: bool) -> str:
    """The largest flow (or leg) drawn, and how many are drawn.

    Direct flows also give the mass drawn in all; legs do not, since a seizure counts on each
    leg it had travelled.
    """
    if pairs.empty:
        return _("No flows to draw.")
    kg = pairs["kg"].astype("float64")
    top = pairs.loc[kg.idxmax()]
    found = {
        "origin": top["origin_name"],
        "destination": top["destination_name"],
        "mass": format_mass(float(kg.max())),
        "n": i18n.integer(int(top["seizures"])),
    }
    seizures, count = int(top["seizures"]), len(pairs)
    if legs:
        if count == 1:
            return ngettext(
                "The only leg drawn is {origin} → {destination}: {mass} in {n} seizure.",
                "The only leg drawn is {origin} → {destination}: {mass} in {n} seizures.",
                seizures,
            ).format(**found)
        largest = ngettext(
            "The largest leg is {origin} → {destination}: {mass} in {n} seizure.",
            "The largest leg is {origin} → {destination}: {mass} in {n} seizures.",
            seizures,
        ).format(**found)
        drawn = ngettext("{n} leg is drawn.", "{n} legs are drawn.", count).format(
            n=i18n.integer(count)
        )
        return sentences(largest, drawn)
    if count == 1:
        return ngettext(
            "The only flow drawn is {origin} → {destination}: {mass} in {n} seizure.",
            "The only flow drawn is {origin} → {destination}: {mass} in {n} seizures.",
            seizures,
        ).format(**found)
    largest = ngettext(
        "The largest flow is {origin} → {destination}: {mass} in {n} seizure.",
        "The largest flow is {origin} → {destination}: {mass} in {n} seizures.",
        seizures,
    ).format(**found)
    drawn = ngettext(
        "{n} route is drawn, {mass} in all.", "{n} routes are drawn, {mass} in all.", count
    ).format(n=i18n.integer(count), mass=format_mass(float(kg.sum())))
    return sentences(largest, drawn)


def _node_label(region: str, stage: str) -> str:
    """'Latin America (origin)': a Sankey node, region then stage (translators may reorder)."""
    return _("{region} {stage}").format(region=region_label(region), stage=_(STAGE_SUFFIX[stage]))


def region_sankey(triples: pd.DataFrame, source: str) -> Chart:
    """Sankey: origin region -> region where seized -> destination region, in tonnes.

    Separate nodes per stage, so the diagram flows left to right with no cycle. Ribbons take
    the colour of the region where the cocaine was seized: that is where interdiction happened.
    """
    nodes: list[tuple[str, str]] = []  # (stage, region), in stage then region order
    column = {
        "origin": "origin_region",
        "seized": "seized_region",
        "destination": "destination_region",
    }
    for stage in STAGES:
        present = set(triples[column[stage]])
        nodes += [(stage, region) for region in REGIONS if region in present]
        nodes += [(stage, region) for region in sorted(present - set(REGIONS))]
    position = {node: i for i, node in enumerate(nodes)}
    links = pd.concat(
        [
            triples.groupby(["origin_region", "seized_region"], as_index=False)[["kg", "seizures"]]
            .sum()
            .set_axis(["from_region", "to_region", "kg", "seizures"], axis=1)
            .assign(from_stage="origin", to_stage="seized", colour_region=lambda f: f["to_region"]),
            triples.groupby(["seized_region", "destination_region"], as_index=False)[
                ["kg", "seizures"]
            ]
            .sum()
            .set_axis(["from_region", "to_region", "kg", "seizures"], axis=1)
            .assign(
                from_stage="seized",
                to_stage="destination",
                colour_region=lambda f: f["from_region"],
            ),
        ],
        ignore_index=True,
    )
    links = (
        links.assign(order=links["from_stage"].map(STAGES.index))
        .sort_values(["order", "kg"], ascending=[True, False], ignore_index=True)
        .drop(columns="order")
    )
    tonnes = links["kg"] / 1000
    from_ = (links["from_stage"], links["from_region"])
    to = (links["to_stage"], links["to_region"])
    names = [_node_label(region, stage) for stage, region in nodes]  # region and stage
    sankey = {
        "type": "sankey",
        "arrangement": "snap",
        "valueformat": ",.1f",
        "valuesuffix": " t",
        # dark labels with a white halo stay readable over the coloured ribbons
        "textfont": {"color": "#1a1a1a", "size": 12, "shadow": "0 0 3px #ffffff"},
        "node": {
            # the region alone (the column heads name the stage), in short lines: a phone's
            # columns are a hundred pixels apart
            "label": [wrap(region_label(region), SANKEY_LABEL_CHARS) for _stage, region in nodes],
            "customdata": names,
            "hovertemplate": "%{customdata}<br>%{value}<extra></extra>",
            "color": [REGION_COLOURS.get(region, "#999999") for _stage, region in nodes],
            "pad": 34,  # apart enough for the small regions' labels not to run together
            "thickness": 14,
            "line": {"color": "#ffffff", "width": 0.5},
        },
        "link": {
            "source": [
                position[(s, r)]
                for s, r in zip(links["from_stage"], links["from_region"], strict=True)
            ],
            "target": [
                position[(s, r)] for s, r in zip(links["to_stage"], links["to_region"], strict=True)
            ],
            "value": tonnes,
            "color": [
                _alpha(REGION_COLOURS.get(r, "#999999"), 0.45) for r in links["colour_region"]
            ],
            "customdata": np.column_stack(
                [
                    [names[position[(s, r)]] for s, r in zip(*from_, strict=True)],
                    [names[position[(s, r)]] for s, r in zip(*to, strict=True)],
                    links["seizures"].astype("int64"),
                ]
            ).tolist(),
            "hovertemplate": _(
                "%{customdata[0]} → %{customdata[1]}<br>%{value} in "
                "%{customdata[2]:,} seizures<extra></extra>"
            ),
        },
    }
    layout = house_layout(
        _("Cocaine by region of origin, region where seized and region of destination (tonnes)"),
        source,
        height=480,
        below_px=14,
        subtitle=_("Ribbon colour: region where the cocaine was seized"),
        annotations=[
            {
                "text": f"<b>{_(STAGE_HEADS[stage])}</b>",
                "x": x,
                "xanchor": anchor,
                "xref": "paper",
                "y": 1,
                "yanchor": "bottom",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 12, "color": "#333333"},
            }
            for stage, x, anchor in zip(
                STAGES, (0, 0.5, 1), ("left", "center", "right"), strict=True
            )
            if any(s == stage for s, _region in nodes)
        ],
    )
    layout["margin"]["t"] += 22  # the column heads
    data = pd.DataFrame(
        {
            _("Stage"): [
                f"{_(ROUTE_STAGE_NAMES[a])} → {_(ROUTE_STAGE_NAMES[b])}"
                for a, b in zip(links["from_stage"], links["to_stage"], strict=True)
            ],
            _("From"): [
                _node_label(r, s)
                for r, s in zip(links["from_region"], links["from_stage"], strict=True)
            ],
            _("To"): [
                _node_label(r, s)
                for r, s in zip(links["to_region"], links["to_stage"], strict=True)
            ],
            _("Cocaine (t)"): tonnes.round(3),
            _("Seizures"): links["seizures"].astype("int64"),
        }
    )
    return Chart(figure([sankey], layout), data, _sankey_summary(triples))


def _sankey_summary(triples: pd.DataFrame) -> str:
    """The largest flow from a region of origin to a region of destination, and the region
    where most of the cocaine was seized."""
    kg = triples["kg"].astype("float64") if "kg" in triples else pd.Series(dtype="float64")
    total = float(kg.sum())
    if triples.empty or total <= 0:
        return _("No flows to draw.")
    routes = (
        triples.assign(kg=kg)
        .groupby(["origin_region", "destination_region"], sort=False)["kg"]
        .sum()
    )
    (origin, destination), largest = routes.idxmax(), float(routes.max())
    seized = triples.assign(kg=kg).groupby("seized_region", sort=False)["kg"].sum()
    return sentences(
        _(
            "The largest flow runs from {origin} to {destination}: {mass}, {share} of the total."
        ).format(
            origin=region_label(origin),
            destination=region_label(destination),
            mass=format_mass(largest),
            share=i18n.percent(largest / total, 0),
        ),
        _("Most of the cocaine was seized in {region} ({mass}).").format(
            region=region_label(seized.idxmax()), mass=format_mass(float(seized.max()))
        ),
    )


def _alpha(hex_colour: str, alpha: float) -> str:
    """'#E69F00' -> 'rgba(230,159,0,0.45)'."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def top_routes(pairs: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` largest origin -> destination routes as a readable table."""
    top = pairs.nlargest(n, "kg") if len(pairs) > n else pairs.sort_values("kg", ascending=False)
    return pd.DataFrame(
        {
            _("Route"): [
                f"{country_name(o)} → {country_name(d)}"
                for o, d in zip(top["origin_iso3"], top["destination_iso3"], strict=True)
            ],
            _("Cocaine (t)"): (top["kg"].astype("float64") / 1000).round(2),
            _("Seizures"): top["seizures"].astype("int64"),
        }
    ).reset_index(drop=True)


def focus_from_selection(event: Mapping[str, Any] | None) -> tuple[str, ...]:
    """ISO3 codes of the countries clicked in a seizure_map selection event (may be empty).

    A choropleth point names its country in 'location'; a marker carries it as customdata[0].
    Anything else (no event, a point that is not a country) gives nothing.
    """
    if not event:
        return ()
    selection = event.get("selection") or {}
    picked: list[str] = []
    for point in selection.get("points") or []:
        code = point.get("location")
        custom = point.get("customdata")
        if not code and isinstance(custom, (list, tuple)) and custom:
            code = custom[0]
        if isinstance(code, str) and code.upper() in known_iso3() and code.upper() not in picked:
            picked.append(code.upper())
    return tuple(picked)


def flows_caption(coverage: pd.DataFrame, focus: str | None = None, legs: bool = False) -> str:
    """What the flow charts include: the focus country if any, and how many seizures report
    both ends of their route (only those can be drawn)."""
    row = coverage.iloc[0]
    seizures, with_route = int(row["seizures"]), int(row["seizures_with_route"])
    scope = (
        _(
            "Only seizures that touch {country} ({iso3}): seized there, or with it as origin, "
            "transit or destination."
        ).format(country=country_name(focus), iso3=focus)
        if focus
        else _("All seizures in the selection.")
    )
    if seizures == 0:
        return " ".join([scope, _("None in the current selection.")])
    # Leg by leg, not every seizure with a route is drawn: those seized in their origin
    # country or off their route are on no leg (the map's subtitle gives the kg).
    routed = (
        _(
            "With a route: {drawn} of {total} seizures ({drawn_mass} of {total_mass}) report both "
            "an origin and a destination; the legs carry those seized past their origin, on "
            "their route."
        )
        if legs
        else _(
            "Drawn: {drawn} of {total} seizures ({drawn_mass} of {total_mass}) that report both "
            "an origin and a destination."
        )
    )
    sentences = [
        scope,
        routed.format(
            drawn=i18n.integer(with_route),
            total=i18n.integer(seizures),
            drawn_mass=format_mass(float(row["kg_with_route"])),
            total_mass=format_mass(float(row["kg"])),
        ),
    ]
    if focus and not legs:
        # a direct line skips the transit country followed: say how to see it
        sentences.append(_("Choose 'Leg by leg' to see the legs through it."))
    return " ".join(sentences)
