"""Charts of the home page: the regions compared, and official totals beside loaded records."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from crimjust_data.countries import REGION_LABELS_EN
from crimjust_data.figures import REGION_COLOURS, Chart, finish


def region_seizures_chart(by_region: pd.DataFrame, source: str) -> Chart:
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
    finish(figure, "Cocaine seized by region (tonnes, seizure events)", source)
    data = pd.DataFrame(
        {
            "Region": labels,
            "Cocaine seized (t)": tonnes.round(3),
            "Seizure events": by_region["seizure_events"],
        }
    )
    return Chart(figure, data)


def region_rates_chart(
    by_region: pd.DataFrame,
    source: str,
    title: str = "Prosecution and conviction rates by region",
) -> Chart:
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
    finish(figure, title, source)
    figure.update_layout(
        title_subtitle_text="Wilson 95% intervals; hollow markers: fewer than 10 cases"
    )
    # Side by side per region, so the two intervals never hide each other.
    figure.update_layout(
        scattermode="group",
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right"},
    )
    data = pd.DataFrame({"Region": [REGION_LABELS_EN.get(r, r) for r in by_region["region"]]})
    for name in ("prosecution", "conviction"):
        title = name.capitalize()
        data[f"{title} rate (%)"] = (by_region[f"{name}_rate"].astype("float64") * 100).round(1)
        data[f"{title} 95% CI low (%)"] = (by_region[f"{name}_low"].astype("float64") * 100).round(
            1
        )
        data[f"{title} 95% CI high (%)"] = (
            by_region[f"{name}_high"].astype("float64") * 100
        ).round(1)
        data[f"{title} n"] = by_region[f"{name}_n"].to_numpy()
        data[f"{title} low confidence (n < 10)"] = by_region[f"{name}_low_confidence"].to_numpy()
    return Chart(figure, data)


def official_comparison_chart(comparison: pd.DataFrame, source: str) -> Chart:
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
    finish(
        figure, f"Official UNODC totals and the loaded seizure records, {years} (tonnes)", source
    )
    figure.update_layout(
        barmode="group",
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
    )
    data = pd.DataFrame(
        {
            "Region": labels,
            "Years": comparison["years"],
            "UNODC official total (t)": (comparison["official_kg"] / 1000).round(3),
            "Loaded seizure events (t)": (comparison["events_kg"] / 1000).round(3),
            "Share of official (%)": (comparison["coverage"] * 100).round(1),
            "Countries reporting": comparison["countries"].fillna(0).astype("int64"),
        }
    )
    return Chart(figure, data)
