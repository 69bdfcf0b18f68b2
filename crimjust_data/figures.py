"""Plotly figure builders: aggregated frames in, go.Figure out. No streamlit here.

Pages and exports call the same builders, so a snapshot draws exactly what the page showed.
Built with graph_objects (not plotly express), which is an order of magnitude faster to build.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from crimjust_data.countries import REGION_LABELS_EN

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


def _layout(figure: go.Figure, title: str, source: str, height: int = 380) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 70},
        font={"family": FONT, "size": 13},
        plot_bgcolor="white",
        showlegend=False,
    )
    figure.add_annotation(
        text=f"Source: {source}",
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


def region_seizures_figure(by_region: pd.DataFrame, source: str) -> go.Figure:
    """Bars of tonnes seized per region, labelled with the number of seizure events."""
    labels = [REGION_LABELS_EN.get(r, r) for r in by_region["region"]]
    tonnes = by_region["seized_kg"] / 1000
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=tonnes,
            marker_color=[REGION_COLOURS.get(r, "#999999") for r in by_region["region"]],
            text=[
                f"{t:,.1f} t<br>{n:,} events"
                for t, n in zip(tonnes, by_region["seizure_events"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,.2f} tonnes<extra></extra>",
        )
    )
    figure.update_yaxes(title_text="Cocaine seized (tonnes)", rangemode="tozero")
    return _layout(figure, "Cocaine seized by region (tonnes, seizure events)", source)


def region_rates_figure(by_region: pd.DataFrame, source: str) -> go.Figure:
    """Prosecution and conviction rates per region with Wilson 95% intervals and n.

    Low-confidence rates (n < 10) are drawn hollow and labelled, so colour is not the only cue.
    """
    figure = go.Figure()
    # n of both rates under each region name: readable without hovering, never overlapping.
    labels = [
        f"{REGION_LABELS_EN.get(r, r)}<br><sup>n = {p:,} · {c:,}</sup>"
        for r, p, c in zip(
            by_region["region"], by_region["prosecution_n"], by_region["conviction_n"], strict=True
        )
    ]
    for name, colour, symbol in (
        ("prosecution", "#0072B2", "circle"),
        ("conviction", "#D55E00", "diamond"),
    ):
        rate = by_region[f"{name}_rate"].astype("float64") * 100
        low = by_region[f"{name}_low"].astype("float64") * 100
        high = by_region[f"{name}_high"].astype("float64") * 100
        weak = by_region[f"{name}_low_confidence"].astype(bool)
        hover = [
            f"n = {n:,}" + (" · low confidence (n < 10)" if w else "")
            for n, w in zip(by_region[f"{name}_n"], weak, strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=rate,
                mode="markers",
                name=f"{name.capitalize()} rate",
                marker={
                    "color": colour,
                    "size": 12,
                    "symbol": [f"{symbol}-open" if w else symbol for w in weak],
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": high - rate,
                    "arrayminus": rate - low,
                },
                customdata=hover,
                hovertemplate="%{y:.1f}% (%{customdata})<extra>" + name + " rate</extra>",
            )
        )
    figure.update_yaxes(title_text="Rate (%) with 95% interval", range=[0, 105])
    _layout(
        figure,
        "Prosecution and conviction rates by region (Wilson 95% intervals; hollow = n < 10)",
        source,
    )
    # Side by side per region, so the two intervals never hide each other.
    figure.update_layout(
        scattermode="group",
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right"},
    )
    return figure


def official_comparison_figure(comparison: pd.DataFrame, source: str) -> go.Figure:
    """Official UNODC annual totals beside the loaded seizure events, per region, same years.

    Side by side, never stacked: the events are part of what the official total counts.
    Official bars are hatched so the two read apart without colour.
    """
    labels = [REGION_LABELS_EN.get(r, r) for r in comparison["region"]]
    years = str(comparison["years"].iloc[0])
    figure = go.Figure(
        [
            go.Bar(
                name=f"UNODC official annual totals, {years}",
                x=labels,
                y=comparison["official_kg"] / 1000,
                marker={"color": "#999999", "pattern": {"shape": "/"}},
                hovertemplate="%{x}: %{y:,.1f} t official<extra></extra>",
            ),
            go.Bar(
                name=f"Loaded seizure events, {years}",
                x=labels,
                y=comparison["events_kg"] / 1000,
                marker_color=[REGION_COLOURS.get(r, "#999999") for r in comparison["region"]],
                text=[
                    "–" if pd.isna(c) else f"{c:.0%} of official" for c in comparison["coverage"]
                ],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x}: %{y:,.1f} t in loaded events (%{text})<extra></extra>",
            ),
        ]
    )
    figure.update_yaxes(title_text="Cocaine seized (tonnes)", rangemode="tozero")
    _layout(
        figure, f"Official UNODC totals and the loaded seizure records, {years} (tonnes)", source
    )
    figure.update_layout(
        barmode="group",
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
    )
    return figure
