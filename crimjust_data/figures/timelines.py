"""Charts of the Timelines page: a stacked series over time, and official totals beside events.

Pure functions (no streamlit): a Timeline or a small frame in, figures.Chart out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from crimjust_data.countries import REGION_LABELS_EN, country_name
from crimjust_data.figures import REGION_COLOURS, Chart, finish
from crimjust_data.queries.timelines import (
    OTHER_COUNTRIES,
    PERIOD_MONTHS,
    Timeline,
    period_label,
    rolling_text,
)
from crimjust_data.view_state import CONVEYANCE_LABELS_EN, DRUG_LABELS_EN

# Okabe-Ito, the colours distinguishable with the common colour-vision deficiencies. Black is
# kept for the rolling average and the spike markers, grey for catch-all groups.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
GREY = "#999999"
INK = "#000000"
DRUG_COLOURS = {
    "cocaine_hcl": "#0072B2",
    "cocaine_base": "#E69F00",
    "crack": "#D55E00",
    "cocaine_unspecified": GREY,
}
CONVEYANCE_COLOURS = {
    "container": "#0072B2",
    "vessel": "#56B4E9",
    "air": "#E69F00",
    "land": "#009E73",
    "postal": "#CC79A7",
    "unknown": GREY,
}
DIMENSION_NAMES = {
    "region": "region",
    "country": "country",
    "drug": "cocaine form",
    "conveyance": "conveyance",
}
SIDE_LEGEND = {"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"}
# Ten tonnes and more read better in tonnes; below, in kilograms.
TONNES_FROM_KG = 10_000


def group_label(by: str, code: str) -> str:
    """How a group of the `by` dimension is named on charts."""
    if by == "country":
        return "Other countries" if code == OTHER_COUNTRIES else f"{country_name(code)}"
    labels: dict[str, dict[str, str]] = {
        "region": REGION_LABELS_EN,
        "drug": DRUG_LABELS_EN,
        "conveyance": CONVEYANCE_LABELS_EN,
    }
    return labels[by].get(code, code)


def group_colours(by: str, groups: list[str]) -> dict[str, str]:
    """A colour per group: fixed per code for regions, drugs and conveyances; by rank else."""
    fixed = {"region": REGION_COLOURS, "drug": DRUG_COLOURS, "conveyance": CONVEYANCE_COLOURS}
    if by in fixed:
        return {g: fixed[by].get(g, GREY) for g in groups}
    ranked = [g for g in groups if g != OTHER_COUNTRIES]
    colours = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(ranked)}
    return colours | {OTHER_COUNTRIES: GREY}


def kg_unit(largest_kg: float) -> tuple[str, float, str]:
    """(symbol, divisor, axis word) for quantities whose largest value is `largest_kg`."""
    if largest_kg >= TONNES_FROM_KG:
        return "t", 1000.0, "tonnes"
    return "kg", 1.0, "kg"


def _period_axis(grain: str) -> dict[str, object]:
    """Trace settings that centre each bar and point on its period (not on its first day)."""
    return {
        "xperiod": f"M{PERIOD_MONTHS[grain]}",
        "xperiod0": "2000-01-01",
        "xperiodalignment": "middle",
    }


def timeline_chart(line: Timeline, measure: str, source: str) -> Chart:
    """Stacked bars per period split by `line.by`, the rolling average of the total, spikes.

    measure is 'kg' (cocaine seized) or 'seizures' (number of seizure events).
    """
    if measure not in ("kg", "seizures"):
        raise ValueError(f"unknown measure {measure!r}: use 'kg' or 'seizures'")
    totals = line.totals
    grain = line.grain
    if measure == "kg":
        unit, divisor, axis_word = kg_unit(float(totals["kg"].max()))
        what, hover_format = f"Cocaine seized ({axis_word})", ",.2f" if unit == "t" else ",.0f"
        title = f"Cocaine seized per {grain}, by {DIMENSION_NAMES[line.by]} ({axis_word})"
    else:
        unit, divisor = "seizures", 1.0
        what, hover_format = "Seizure events (number)", ",.0f"
        title = f"Number of seizure events per {grain}, by {DIMENSION_NAMES[line.by]}"
    labels = [period_label(p, grain) for p in totals["period"]]
    data = pd.DataFrame({"Period": labels})
    groups = list(dict.fromkeys(line.series["group"]))
    colours = group_colours(line.by, groups)
    periodic = _period_axis(grain)
    figure = go.Figure()
    for group in groups:
        rows = line.series[line.series["group"] == group].sort_values("period")
        values = rows[measure].to_numpy() / divisor
        name = group_label(line.by, group)
        data[f"{name} ({unit})"] = values.round(3) if measure == "kg" else values.astype("int64")
        figure.add_trace(
            go.Bar(
                x=rows["period"],
                y=values,
                name=name,
                marker={"color": colours[group], "line": {"color": "white", "width": 0.5}},
                customdata=labels,
                hovertemplate=f"%{{customdata}}: %{{y:{hover_format}}} {unit}<extra>{name}</extra>",
                **periodic,
            )
        )
    total = totals[measure].to_numpy() / divisor
    data[f"Total ({unit})"] = total.round(3) if measure == "kg" else total.astype("int64")
    rolling = totals[f"{measure}_rolling"].to_numpy() / divisor
    data[f"{rolling_text(grain)} ({unit})"] = rolling.round(3)
    figure.add_trace(
        go.Scatter(
            x=totals["period"],
            y=rolling,
            mode="lines",
            name=f"Total, {line.window}-{grain} average",
            line={"color": INK, "width": 2.5},
            customdata=labels,
            hovertemplate=(
                f"%{{customdata}}: %{{y:{hover_format}}} {unit}<extra>{line.window}-{grain} "
                "average</extra>"
            ),
            **periodic,
        )
    )
    spikes = totals[totals[f"{measure}_spike"]]
    ratios = spikes[measure] / spikes[f"{measure}_prior_median"]
    ratio_text = ["new" if r == float("inf") else f"{r:.1f}×" for r in ratios]
    if not spikes.empty:
        # A symbol and a text label, so a spike is found without telling colours apart.
        figure.add_trace(
            go.Scatter(
                x=spikes["period"],
                y=spikes[measure] / divisor,
                mode="markers+text",
                name="Spike (rule below)",
                marker={
                    "symbol": "triangle-down",
                    "size": 13,
                    "color": INK,
                    "line": {"color": "white", "width": 1},
                },
                text=ratio_text,
                textposition="top center",
                textfont={"size": 12, "color": INK},
                cliponaxis=False,
                customdata=[period_label(p, grain) for p in spikes["period"]],
                hovertemplate=(
                    "%{customdata}: %{text} the median of the previous periods<extra>spike</extra>"
                ),
                **periodic,
            )
        )
    spike_column = pd.Series("", index=totals.index, dtype="object")
    spike_column[spikes.index] = ratio_text
    data["Spike (× median of previous periods)"] = spike_column.to_numpy()
    figure.update_yaxes(title_text=what, rangemode="tozero")
    figure.update_xaxes(ticklabelmode="period", showgrid=False)
    finish(figure, title, source, height=440)
    figure.update_layout(
        barmode="stack",
        bargap=0.15,
        showlegend=True,
        # On the right, in stack order (top of the stack first): clear of the title.
        legend=SIDE_LEGEND | {"traceorder": "reversed"},
        title_subtitle_text=(
            f"Bars stacked to the total per {grain} · line: {line.window}-{grain} trailing "
            "average of the total · ▼ spike, labelled × the median of the previous periods"
        ),
        margin={"t": 75},
        hovermode="closest",
    )
    return Chart(figure, data)


def official_chart(comparison: pd.DataFrame, source: str) -> Chart:
    """Per year, official UNODC totals (hatched outline) beside the loaded events (solid).

    Side by side, never stacked or added; each event bar is labelled with its share of the
    official total. A year without an official figure shows an event bar labelled 'no total'.
    """
    largest = pd.concat([comparison["official_kg"], comparison["events_kg"]]).max()
    unit, divisor, axis_word = kg_unit(0.0 if pd.isna(largest) else float(largest))
    years = [str(y) for y in comparison["year"]]
    official = comparison["official_kg"] / divisor
    events = comparison["events_kg"] / divisor
    shares = ["no total" if pd.isna(c) else f"{c:.0%}" for c in comparison["coverage"]]
    number = ",.1f" if unit == "t" else ",.0f"
    figure = go.Figure(
        [
            go.Bar(
                name="UNODC official annual total",
                x=years,
                y=official,
                marker={
                    "color": "white",
                    "line": {"color": "#555555", "width": 1.5},
                    "pattern": {"shape": "/", "fgcolor": "#777777", "size": 8},
                },
                customdata=comparison["countries_reporting"],
                hovertemplate=(
                    f"%{{x}}: %{{y:{number}}} {unit} official "
                    "(%{customdata} countries reporting)<extra></extra>"
                ),
            ),
            go.Bar(
                name="Sum of the loaded seizure events",
                x=years,
                y=events,
                marker={"color": "#0072B2"},
                text=shares,
                texttemplate="%{text}",
                textposition="outside",
                cliponaxis=False,
                hovertemplate=(
                    f"%{{x}}: %{{y:{number}}} {unit} in loaded events "
                    "(%{text} of official)<extra></extra>"
                ),
            ),
        ]
    )
    figure.update_yaxes(title_text=f"Cocaine seized ({axis_word})", rangemode="tozero")
    figure.update_xaxes(type="category")
    finish(
        figure,
        f"Official UNODC annual totals and the loaded seizure events, per year ({axis_word})",
        source,
        height=420,
    )
    figure.update_layout(
        barmode="group",
        bargap=0.25,
        showlegend=True,
        legend=SIDE_LEGEND,
        margin={"t": 75},
        title_subtitle_text="Label: the events as a share of the official total (never added)",
    )
    data = pd.DataFrame(
        {
            "Year": comparison["year"].astype("int64").to_numpy(),
            f"UNODC official total ({unit})": official.round(3).to_numpy(),
            f"Loaded seizure events ({unit})": events.round(3).to_numpy(),
            "Events as share of official (%)": (comparison["coverage"] * 100).round(1).to_numpy(),
            "Countries reporting (official)": comparison["countries_reporting"].to_numpy(),
        }
    )
    return Chart(figure, data)
