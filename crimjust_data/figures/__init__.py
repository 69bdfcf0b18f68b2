"""Plotly chart builders: aggregated frames in, Chart (figure + the numbers drawn) out.

No streamlit here. Pages and exports call the same builders, so a snapshot draws exactly what the
page showed, and every 'view data' table and CSV holds exactly the numbers a chart draws.
Each figure is assembled as plain dicts (traces and layout) and made in one go.Figure call,
unvalidated (see figure()): plotly express, update_* and add_* calls and make_subplots each cost
milliseconds, and a page rerun draws several charts.
"""

from __future__ import annotations

import hashlib
import html
import math
import pickle
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crimjust_data import i18n
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.metrics import LOW_CONFIDENCE_N, RANKED_MIN_N
from crimjust_data.paths import TOPOJSON_URL


@dataclass(frozen=True)
class Chart:
    """A figure and the table of the numbers it draws (with readable column names and units).

    `summary` says in one or two sentences what the figure shows, computed from the same
    numbers and written in the current language: the text alternative for people who cannot
    see the chart (screen readers, a greyscale print). Pages show it under the chart, snapshots
    in the caption and as the chart's aria-label. Empty when a builder has nothing to say.
    """

    figure: go.Figure
    data: pd.DataFrame
    summary: str = ""


# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
REGION_COLOURS = {
    "latin_america": "#E69F00",
    "caribbean": "#56B4E9",
    "west_africa": "#009E73",
    "europe": "#0072B2",
    "north_america": "#D55E00",
    "other": "#999999",
}
FONT = "Source Sans Pro, Arial, sans-serif"
# plotly.js config for the pages: map topology from our own server, never a CDN (offline). No
# mode bar: on a phone it sits over the title, and the charts are read, not zoomed (every
# chart's numbers are in its 'View data' table and CSV, the page in the snapshot).
PAGE_CONFIG: dict[str, Any] = {
    "topojsonURL": TOPOJSON_URL,
    "displaylogo": False,
    "displayModeBar": False,
}
# The name of finish()'s 'Source:' annotation, to find it again whatever the language.
SOURCE_ANNOTATION = "source"


def fill(template: str, **values: str) -> str:
    """`template` with each {name} replaced by values[name], leaving plotly's %{...} alone.

    For translated hovertemplates: str.format would choke on plotly's %{y:,.1f} placeholders.
        fill(_("%{x}: %{y:,} cases<extra>{region}</extra>"), region=label)
    """
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


# Every y axis gets this: light grid lines, no zero line.
Y_GRID: dict[str, Any] = {"gridcolor": "#e5e5e5", "zeroline": False}


def figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """The figure built in one go from plain dicts, without plotly's validation.

    Validation costs more than everything else a builder does (each property checked as an
    object, several milliseconds a chart, per rerun); the builders hand plotly what validation
    would have made of them, and tests/test_figures_fast.py validates every builder's output.
    The dicts are kept as given: pass fresh ones, never a module constant. The heading is
    placed again for the figure's final height, and a top margin a builder set smaller than
    the heading takes (heading_px) is raised to it: the title never runs into the plot.

    A page draws the figure once, not twice (docs/ARCHITECTURE.md): Streamlit mounts a
    changed chart at plotly's default width, then calls Plotly.react with a copy at the
    page's width, and plotly computes and draws again whatever it takes for changed in the
    copy. Nothing is: the house style is the layout's own (no template), the width follows
    the page (`autosize`), numbers are plain lists (plotly decodes a base64 typed array anew
    and takes it for new data) and `datarevision` follows the data, so plotly compares that
    instead of each array. A chart that selects points also needs select_modes.
    """
    if isinstance(layout.get("title"), dict) and "text" in layout["title"] and "margin" in layout:
        _place_heading(layout)
    house_style(traces, layout)
    traces = [_plain(trace) for trace in traces]
    layout["autosize"] = True
    digest = hashlib.blake2b(pickle.dumps(traces, protocol=5), digest_size=8)
    layout["datarevision"] = digest.hexdigest()
    return go.Figure(data=traces, layout=layout, _validate=False)


# The house style, whole: Streamlit's chart theme (light, 1.67) written out, so that a figure
# looks the same on a page (drawn with theme=None) and in a snapshot, and carries no template
# (plotly.js takes a template's copy for a change and redraws in full: see figure()). What a
# builder sets wins over it.
# Its grey is a shade darker than Streamlit's #808495 (3.7:1 on white): 5.4:1, WCAG AA.
_GREY, _LINE = "#666a7c", "#e6eaf1"
# Streamlit's categorical colours, for a trace that sets none of its own
_COLOURWAY = "#0068c9 #83c9ff #ff2b2b #ffabab #29b09d #7defa1 #ff8700 #ffd16a #6d3fc0 #d5dae5"
_HEADING_FONT = f'"Source Sans", {FONT}'  # the pages' own font face, then the snapshot's
_HOUSE_LAYOUT: dict[str, Any] = {
    "template": "none",
    "font": {"color": _GREY, "size": 12},
    "title": {
        "font": {"family": _HEADING_FONT, "color": "#2F2D2B", "weight": 700},
        "pad": {"l": 4},
    },
    "legend": {
        "title": {"font": {"size": 12, "color": _GREY}, "side": "top"},
        "valign": "top",
        "bordercolor": "rgba(0,0,0,0)",
        "borderwidth": 0,
        "font": {"size": 12, "color": "#262730"},
    },
    "paper_bgcolor": "#FFFFFF",
    "plot_bgcolor": "#FFFFFF",
    "margin": {"pad": 8, "r": 0, "l": 0},
    "hoverlabel": {
        "bgcolor": "#FFFFFF",
        "bordercolor": "#DCD8D4",
        "font": {"color": _GREY, "family": _HEADING_FONT, "size": 12},
    },
    "colorway": _COLOURWAY.split(),
}
_HOUSE_AXIS: dict[str, Any] = {
    "zerolinecolor": _LINE,
    "gridcolor": _LINE,
    "tickfont": {"color": _GREY, "size": 12},
    "automargin": True,
}
_HOUSE_X_AXIS = _HOUSE_AXIS | {
    "showgrid": False,
    "zeroline": False,
    "title": {"font": {"color": _GREY, "size": 14}, "standoff": 20},
}
_HOUSE_Y_AXIS = _HOUSE_AXIS | {
    "ticklabelposition": "outside",
    "title": {"font": {"color": _GREY, "size": 14}, "standoff": 24},
}
# Traces drawn on no x and y axes; every other kind is drawn on them.
_AXISLESS = frozenset({"scattergeo", "choropleth", "sankey", "pie", "table", "indicator"})
_AXIS_KEY = re.compile(r"[xy]axis\d*")


def house_style(traces: list[dict[str, Any]], layout: dict[str, Any]) -> None:
    """`layout` with the house style under what it sets, on each x and y axis it draws."""
    _under(layout, _HOUSE_LAYOUT)
    axes = {key for key in layout if _AXIS_KEY.fullmatch(key)}
    for trace in traces:
        if trace.get("type", "scatter") not in _AXISLESS:
            axes |= {f"{c}axis{trace.get(f'{c}axis', c)[1:]}" for c in "xy"}
    for axis in axes:
        _under(layout.setdefault(axis, {}), _HOUSE_X_AXIS if axis[0] == "x" else _HOUSE_Y_AXIS)


def _under(given: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Each of `defaults` set in `given` where `given` has no value of its own (nested dicts
    merged the same way; `given` keeps its own objects, the defaults are copied)."""
    for key, value in defaults.items():
        if isinstance(value, dict):
            mine = given.get(key)
            if mine is None:
                given[key] = mine = {}
            if isinstance(mine, dict):
                _under(mine, value)
        elif key not in given:
            given[key] = list(value) if isinstance(value, list) else value


def select_modes(figure: go.Figure) -> go.Figure:
    """`figure` (built for this run) with the click, hover and drag modes Streamlit gives a
    chart that selects points, set in the figure itself: Streamlit's copy then changes none."""
    layout = figure.layout
    return figure.update_layout(
        clickmode=layout.clickmode or "event+select",
        hovermode=layout.hovermode or "closest",
        dragmode=layout.dragmode or "pan",
    )


def _plain(value: Any) -> Any:
    """`value` with its numeric arrays as lists, in nested dicts as well."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, pd.Series | pd.Index):
        value = value.to_numpy()
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value.tolist()
    return value


# Titles and subtitles are broken into lines (plotly does not wrap) at widths that fit a 390 px
# phone: the title at 16 px bold, the subtitle at 12 px. Measured, in Source Sans: about 7.2 and
# 5.3 px a character; the room left over is for wide letters and the chart's toolbar.
TITLE_SIZE, SUBTITLE_SIZE = 16, 12
TITLE_CHARS, SUBTITLE_CHARS = 42, 58
# The 'Source:' line (11 px, about 5.4 px a character) ends at the plot's right edge.
SOURCE_CHARS, SOURCE_LINE_PX = 52, 15
_TAG = re.compile(r"<[^>]*>")


def visible_length(text: str) -> int:
    """The characters of plotly rich text a reader sees (tags left out, an entity as one)."""
    return len(html.unescape(_TAG.sub("", text)))


def wrap(text: str, width: int) -> str:
    """`text` broken with <br> into lines of at most `width` visible characters, at spaces (a
    longer word keeps a line of its own); the line breaks already there are kept."""
    lines: list[str] = []
    for given in text.split("<br>"):
        line = ""
        for word in given.split(" "):
            if line and visible_length(line) + 1 + visible_length(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def _lines(text: str | None) -> int:
    return text.count("<br>") + 1 if text else 0


def heading_px(layout: dict[str, Any]) -> int:
    """Pixels from the top of the figure to just under its title and subtitle: where the plot
    (or a legend above it) may start.

    Plotly's own arithmetic for a title anchored at the top (measured in chromium, plotly.js
    3): a line is 1.3 em; a subtitle of one line starts 1.4 em of its size under the title,
    one of several lines (which plotly sets higher) 0.7 em.
    """
    title = layout["title"]
    lines = _lines(title["text"])
    below = _lines(title.get("subtitle", {}).get("text"))
    px = _HEADING_TOP + TITLE_SIZE * (1.05 + 1.3 * (lines - 1))
    if below:
        px += SUBTITLE_SIZE * (1.4 if below == 1 else 0.7) + SUBTITLE_SIZE * (
            1.15 + 1.3 * (below - 1)
        )
    return math.ceil(px + _HEADING_GAP)


_HEADING_TOP, _HEADING_GAP = 6, 14  # px above the title, and under the heading


def _place_heading(layout: dict[str, Any]) -> None:
    """The title at the top of the figure, whatever its height, and the top margin at least
    what the heading takes."""
    title = layout["title"]
    # Plotly sets a title of several lines about 0.7 em higher than one of a single line:
    # anchored that much lower, its first line is where a single one would be.
    top = _HEADING_TOP + (0.9 if _lines(title["text"]) > 1 else 0.2) * TITLE_SIZE
    title["y"] = 1 - top / layout["height"]
    layout["margin"]["t"] = max(layout["margin"].get("t", 0), heading_px(layout))


def legend_under_heading(layout: dict[str, Any], **legend: Any) -> dict[str, Any]:
    """A horizontal legend in a row of its own between the heading and the plot.

    Placed in pixels from the top (the figure's own coordinates), so it never runs into the
    title however many lines that took; plotly starts the plot under the legend, with as many
    rows as the legend needs at the width it gets (a phone wraps it). Call it once the
    layout's height is final.
    """
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "xref": "container",
        "y": 1 - heading_px(layout) / layout["height"],
        "yref": "container",
        "yanchor": "top",
        **legend,
    }


def house_layout(
    title: str,
    source: str,
    height: int = 380,
    below_px: int | None = None,
    source_y: float = -0.22,
    subtitle: str | None = None,
    annotations: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Title, 'Source:' line and the house style: every chart's layout starts here.

    The title and subtitle are broken into lines that fit a phone (TITLE_CHARS, SUBTITLE_CHARS)
    and the top margin is what they take (heading_px): a builder that needs more room above
    the plot adds to it. With `below_px`, the 'Source:' line (in lines that fit a phone, too)
    sits that many pixels under the plot area whatever the height (a fraction of the plot height, `source_y`, lands off the
    figure on tall charts and on the tick labels of short ones). `annotations` come before the
    'Source:' line.
    """
    # uploaded text: shown as text, never markup; in lines that fit a phone, ending at the
    # plot's right edge (starting at its left one, it would run off a phone's screen whenever
    # names down the side take half of it)
    said = wrap(_("Source: {source}").format(source=html.escape(source)), SOURCE_CHARS)
    note: dict[str, Any] = {
        "text": said,
        "name": SOURCE_ANNOTATION,
        "xref": "paper",
        "yref": "paper",
        "x": 1,
        "y": source_y,
        "showarrow": False,
        "xanchor": "right",
        "align": "right",
        "font": {"size": 11, "color": "#555"},
    }
    heading: dict[str, Any] = {
        "text": wrap(title, TITLE_CHARS),
        "font": {"size": TITLE_SIZE},
        "x": 0,
        "xanchor": "left",
        "xref": "container",
        "yanchor": "top",
        "yref": "container",
    }
    if subtitle is not None:
        heading["subtitle"] = {
            "text": wrap(subtitle, SUBTITLE_CHARS),
            "font": {"size": SUBTITLE_SIZE},
        }
    layout = {
        "title": heading,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 0, "b": 70},
        "font": {"family": FONT, "size": 13},
        "plot_bgcolor": "white",
        "showlegend": False,
        "separators": i18n.plotly_separators(),  # decimal mark and thousands for the language
        "annotations": [*annotations, note],
        "yaxis": dict(Y_GRID),
    }
    _place_heading(layout)
    if below_px is not None:
        note |= {"y": 0, "yanchor": "top", "yshift": -below_px}
        layout["margin"]["b"] = below_px + 30 + SOURCE_LINE_PX * (_lines(said) - 1)
    return layout


def vline(x: float, line: dict[str, Any], xref: str = "x", yref: str = "y") -> dict[str, Any]:
    """A vertical line across one subplot (what figure.add_vline draws)."""
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": xref,
        "y0": 0,
        "y1": 1,
        "yref": f"{yref} domain",
        "line": line,
    }


def subplot_grid(
    rows: int,
    cols: int,
    horizontal_spacing: float = 0.0,
    vertical_spacing: float = 0.0,
    row_heights: Sequence[float] | None = None,
    shared_x: bool = False,
    shared_y: bool = False,
    titles: Sequence[str] = (),
    title_size: int = 16,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str, str]]]:
    """The axes and subplot titles make_subplots lays out (same arithmetic, same numbers),
    without its cost (several milliseconds a call).

    Returns the layout's axes, the title annotations and the (x, y) axis names of each cell,
    row by row from the top left. The y axes carry Y_GRID already.
    """
    if rows < 1 or cols < 1:
        raise ValueError(f"a grid needs at least one row and one column, not {rows} x {cols}")
    widths = [(1.0 - horizontal_spacing * (cols - 1)) / cols] * cols
    if row_heights is None:
        heights = [(1.0 - vertical_spacing * (rows - 1)) / rows] * rows
    else:
        whole = float(sum(row_heights))
        heights = [(1.0 - vertical_spacing * (rows - 1)) * (h / whole) for h in row_heights]
        heights.reverse()  # plotly counts from the bottom row
    axes: dict[str, Any] = {}
    cells: list[tuple[str, str]] = []
    domains: list[tuple[list[float], list[float]]] = []
    for r in range(rows):
        up = rows - 1 - r  # rows counted from the bottom
        y_start = sum(heights[:up]) + up * vertical_spacing
        y_domain = [_clamp(y_start + 0.0), _clamp(y_start + heights[-1 - r] - 0.0)]
        for c in range(cols):
            x_start = sum(widths[:c]) + c * horizontal_spacing
            x_domain = [x_start + 0.0, x_start + widths[c] - 0.0]
            k = len(cells) + 1
            x, y = f"x{k if k > 1 else ''}", f"y{k if k > 1 else ''}"
            axes[f"xaxis{k if k > 1 else ''}"] = {"anchor": y, "domain": x_domain}
            axes[f"yaxis{k if k > 1 else ''}"] = {"anchor": x, "domain": y_domain} | Y_GRID
            cells.append((x, y))
            domains.append((x_domain, y_domain))
    for c in range(cols) if shared_x else ():
        # every column matches its bottom axis, which alone keeps its tick labels
        bottom = cells[(rows - 1) * cols + c][0]
        for r in range(rows - 1):
            axis = axes["xaxis" + cells[r * cols + c][0][1:]]
            axis |= {"matches": bottom, "showticklabels": False}
    for r in range(rows) if shared_y else ():
        left = cells[r * cols][1]
        for c in range(1, cols):
            axis = axes["yaxis" + cells[r * cols + c][1][1:]]
            axis |= {"matches": left, "showticklabels": False}
    annotations = [
        {
            "y": y_domain[1],
            "xref": "paper",
            "x": sum(x_domain) / 2.0,
            "yref": "paper",
            "text": title,
            "showarrow": False,
            "font": {"size": title_size},
            "xanchor": "center",
            "yanchor": "bottom",
        }
        for title, (x_domain, y_domain) in zip(titles, domains, strict=False)
        if title
    ]
    return axes, annotations, cells


def _clamp(edge: float) -> float:
    """A domain edge a rounding error outside [0, 1] brought back in (as make_subplots does)."""
    if -0.01 < edge < 0.0:
        return 0.0
    if 1.0 < edge < 1.01:
        return 1.0
    return edge


# ----------------------------------------------------------------------------------------------
# Text summaries shared by several modules (rates are drawn on the home and the justice pages).
# One whole sentence per rate, so each language can inflect it. Marked for translation:
# translate at use.
_RATE_EXTREMES = {
    "prosecution": N_(
        "The prosecution rate is highest in {high} ({high_rate}, 95% CI {ci_low}–{ci_high}) "
        "and lowest in {low} ({low_rate})."
    ),
    "conviction": N_(
        "The conviction rate is highest in {high} ({high_rate}, 95% CI {ci_low}–{ci_high}) "
        "and lowest in {low} ({low_rate})."
    ),
}
_RATE_ONLY = {
    "prosecution": N_("The prosecution rate in {place} is {rate} (95% CI {ci_low}–{ci_high})."),
    "conviction": N_("The conviction rate in {place} is {rate} (95% CI {ci_low}–{ci_high})."),
}
_RATE_NONE = {
    "prosecution": N_("No case counts towards the prosecution rate."),
    "conviction": N_("No case counts towards the conviction rate."),
}


def sentences(*parts: str) -> str:
    """Whole sentences one after the other (empty ones left out)."""
    return " ".join(part for part in parts if part)


def extremes(values: Sequence[float]) -> tuple[int, int] | None:
    """Positions of the largest and the smallest of `values`, missing ones ignored.

    The first of tied largest and the last of tied smallest, so equal values still name two
    places; the same position twice when only one value is there; None when none is.
    """
    present = [(i, float(v)) for i, v in enumerate(values) if v is not None and not pd.isna(v)]
    if not present:
        return None
    high = max(present, key=lambda item: item[1])[0]
    low = min(reversed(present), key=lambda item: item[1])[0]
    return high, low


def rate_sentence(
    rate: str,
    places: Sequence[str],
    values: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    ns: Sequence[int] | None = None,
) -> str:
    """'The prosecution rate is highest in X (76.0%, 95% CI 69.7–81.3%) and lowest in Y (51.0%).'

    `values`, `lows` and `highs` are rates from 0 to 1 (missing where nothing is counted). With
    `ns`, places with fewer than RANKED_MIN_N cases are never named highest or lowest: they are
    left out of the ranking, and the sentence says how many.
    """
    kept = [i for i in range(len(values)) if ns is None or (int(ns[i]) >= RANKED_MIN_N)]
    small = 0 if ns is None else sum(1 for n in ns if 0 < int(n) < RANKED_MIN_N)
    left_out = (
        ngettext(
            "{n} place with fewer than {min} cases is not ranked.",
            "{n} places with fewer than {min} cases are not ranked.",
            small,
        ).format(n=i18n.integer(small), min=RANKED_MIN_N)
        if small
        else ""
    )
    found = extremes([values[i] for i in kept])
    if found is None:
        return sentences(_(_RATE_NONE[rate]) if not small else "", left_out)
    high, low = (kept[i] for i in found)
    ci = {
        "ci_low": i18n.decimal(float(lows[high]) * 100, 1),
        "ci_high": i18n.percent(float(highs[high]), 1),
    }
    if high == low:
        return sentences(
            _(_RATE_ONLY[rate]).format(
                place=places[high], rate=i18n.percent(float(values[high]), 1), **ci
            ),
            left_out,
        )
    return sentences(
        _(_RATE_EXTREMES[rate]).format(
            high=places[high],
            high_rate=i18n.percent(float(values[high]), 1),
            low=places[low],
            low_rate=i18n.percent(float(values[low]), 1),
            **ci,
        ),
        left_out,
    )


def low_confidence_sentence(count: int) -> str:
    """How many of the rates drawn rest on fewer than 10 cases ('' when none)."""
    if count <= 0:
        return ""
    return ngettext(
        "{n} rate is based on fewer than {min} cases (low confidence, hollow marker).",
        "{n} rates are based on fewer than {min} cases (low confidence, hollow markers).",
        count,
    ).format(n=i18n.integer(count), min=LOW_CONFIDENCE_N)


def share_sentence(places: Sequence[str], shares: Sequence[float]) -> str:
    """'The share is highest in X (80%) and lowest in Y (20%).' over the shares present ('' when
    fewer than two places have one)."""
    found = extremes(shares)
    if found is None or found[0] == found[1]:
        return ""
    high, low = found
    return _(
        "The share is highest in {high} ({high_share}) and lowest in {low} ({low_share})."
    ).format(
        high=places[high],
        high_share=i18n.percent(float(shares[high]), 0),
        low=places[low],
        low_share=i18n.percent(float(shares[low]), 0),
    )


def category_axis(labels: list[str], width: int = 12) -> dict[str, Any]:
    """Category ticks broken into short lines (<br>) and kept level: long names in any language
    otherwise turn diagonal and run into the source line."""

    def wrapped(label: str) -> str:
        name, tag, rest = label.partition("<br>")  # keep a second line (e.g. n) as it is
        return "<br>".join(textwrap.wrap(name, width, break_long_words=False) or [name]) + (
            tag + rest
        )

    return {
        "tickmode": "array",
        "tickvals": labels,
        "ticktext": [wrapped(x) for x in labels],
        "tickangle": 0,
    }
