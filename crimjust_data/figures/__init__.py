"""Plotly chart builders: aggregated frames in, Chart (figure + the numbers drawn) out.

No streamlit here. Pages and exports call the same builders, so a snapshot draws exactly what the
page showed, and every 'view data' table and CSV holds exactly the numbers a chart draws.
Built with graph_objects (not plotly express), which is an order of magnitude faster to build.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from crimjust_data import i18n
from crimjust_data.i18n import _


@dataclass(frozen=True)
class Chart:
    """A figure and the table of the numbers it draws (with readable column names and units)."""

    figure: go.Figure
    data: pd.DataFrame


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


def finish(figure: go.Figure, title: str, source: str, height: int = 380) -> go.Figure:
    """Title, 'Source:' line and the house style: every chart goes through here."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 70},
        font={"family": FONT, "size": 13},
        plot_bgcolor="white",
        showlegend=False,
        separators=i18n.plotly_separators(),  # decimal mark and thousands for the language
    )
    figure.add_annotation(
        # uploaded text: shown as text, never markup
        text=_("Source: {source}").format(source=html.escape(source)),
        name=SOURCE_ANNOTATION,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.22,
        showarrow=False,
        xanchor="left",
        font={"size": 11, "color": "#555"},
    )
    figure.update_yaxes(gridcolor="#e5e5e5", zeroline=False)
    return figure
