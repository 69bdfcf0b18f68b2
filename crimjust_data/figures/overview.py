"""Charts of the home page: the regions compared, and official totals beside loaded records."""

from __future__ import annotations

import pandas as pd

from crimjust_data import i18n
from crimjust_data.countries import region_label
from crimjust_data.figures import (
    REGION_COLOURS,
    Y_GRID,
    Chart,
    category_axis,
    figure,
    fill,
    house_layout,
    legend_under_heading,
    low_confidence_sentence,
    rate_sentence,
    sentences,
    share_sentence,
)
from crimjust_data.i18n import N_, _, ngettext

# Table headings of each rate in region_rates_chart: rate, interval bounds, n, low confidence.
_RATE_HEADINGS = {
    "prosecution": (
        N_("Prosecution rate (%)"),
        N_("Prosecution 95% CI low (%)"),
        N_("Prosecution 95% CI high (%)"),
        N_("Prosecution n"),
        N_("Prosecution low confidence (n < 10)"),
    ),
    "conviction": (
        N_("Conviction rate (%)"),
        N_("Conviction 95% CI low (%)"),
        N_("Conviction 95% CI high (%)"),
        N_("Conviction n"),
        N_("Conviction low confidence (n < 10)"),
    ),
}


def region_seizures_chart(by_region: pd.DataFrame, source: str) -> Chart:
    """Bars of tonnes seized per region, labelled with the number of seizure events."""
    labels = [region_label(r) for r in by_region["region"]]
    tonnes = by_region["seized_kg"] / 1000
    bars = {
        "type": "bar",
        "x": labels,
        "y": tonnes,
        "marker": {"color": [REGION_COLOURS.get(r, "#999999") for r in by_region["region"]]},
        "text": [
            _("{tonnes} t<br>{n} events").format(tonnes=i18n.decimal(t, 1), n=i18n.integer(n))
            for t, n in zip(tonnes, by_region["seizure_events"], strict=True)
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": _("%{x}: %{y:,.2f} tonnes<extra></extra>"),
    }
    layout = house_layout(
        _("Cocaine seized by region (tonnes, seizure events)"), source, below_px=58
    )
    layout["yaxis"] |= {"title": {"text": _("Cocaine seized (tonnes)")}, "rangemode": "tozero"}
    layout["xaxis"] = category_axis(labels)
    data = pd.DataFrame(
        {
            _("Region"): labels,
            _("Cocaine seized (t)"): tonnes.round(3),
            _("Seizure events"): by_region["seizure_events"],
        }
    )
    return Chart(
        figure([bars], layout), data, _seizures_summary(labels, tonnes.fillna(0.0).tolist())
    )


def _tonnes(tonnes: float) -> str:
    """'1,776.3 t', as the bars are labelled."""
    return f"{i18n.decimal(tonnes, 1)} t"


def _seizures_summary(labels: list[str], tonnes: list[float]) -> str:
    """The region with the most cocaine seized and its share, the next one, the one with least."""
    order = sorted((i for i, t in enumerate(tonnes) if t > 0), key=lambda i: -tonnes[i])
    if not order:
        return _("No cocaine seized in the selection.")
    top, bottom = order[0], order[-1]
    share = i18n.percent(tonnes[top] / sum(tonnes[i] for i in order), 0)
    if len(order) == 1:
        first = _("{region} accounts for all the cocaine seized ({mass}).").format(
            region=labels[top], mass=_tonnes(tonnes[top])
        )
    elif len(order) == 2:
        first = _(
            "{top} accounts for the most cocaine seized ({top_mass}, {share} of the total); "
            "{bottom} has the least ({bottom_mass})."
        ).format(
            top=labels[top],
            top_mass=_tonnes(tonnes[top]),
            share=share,
            bottom=labels[bottom],
            bottom_mass=_tonnes(tonnes[bottom]),
        )
    else:
        second = order[1]
        first = _(
            "{top} accounts for the most cocaine seized ({top_mass}, {share} of the total), "
            "followed by {second} ({second_mass}); {bottom} has the least ({bottom_mass})."
        ).format(
            top=labels[top],
            top_mass=_tonnes(tonnes[top]),
            share=share,
            second=labels[second],
            second_mass=_tonnes(tonnes[second]),
            bottom=labels[bottom],
            bottom_mass=_tonnes(tonnes[bottom]),
        )
    none = len(tonnes) - len(order)
    if not none:
        return first
    return sentences(
        first,
        ngettext("{n} region has no seizures.", "{n} regions have no seizures.", none).format(
            n=i18n.integer(none)
        ),
    )


def region_rates_chart(
    by_region: pd.DataFrame,
    source: str,
    title: str | None = None,
) -> Chart:
    """Prosecution and conviction rates per region with Wilson 95% intervals and n.

    Low-confidence rates (n < 10) are drawn hollow and labelled, so colour is not the only cue.
    `title` defaults to 'Prosecution and conviction rates by region' in the current language.
    """
    if title is None:
        title = _("Prosecution and conviction rates by region")
    # n of both rates under each region name: readable without hovering, never overlapping.
    labels = [
        _("{region}<br><sup>n = {prosecution} · {conviction}</sup>").format(
            region=region_label(r), prosecution=i18n.integer(p), conviction=i18n.integer(c)
        )
        for r, p, c in zip(
            by_region["region"], by_region["prosecution_n"], by_region["conviction_n"], strict=True
        )
    ]
    traces = []
    for name, trace_name, hover_name, colour, symbol in (
        ("prosecution", _("Prosecution rate"), _("prosecution rate"), "#0072B2", "circle"),
        ("conviction", _("Conviction rate"), _("conviction rate"), "#D55E00", "diamond"),
    ):
        rate = by_region[f"{name}_rate"].astype("float64") * 100
        low = by_region[f"{name}_low"].astype("float64") * 100
        high = by_region[f"{name}_high"].astype("float64") * 100
        weak = by_region[f"{name}_low_confidence"].astype(bool)
        hover = [
            _("n = {n} · low confidence (n < 10)").format(n=i18n.integer(n))
            if w
            else _("n = {n}").format(n=i18n.integer(n))
            for n, w in zip(by_region[f"{name}_n"], weak, strict=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "x": labels,
                "y": rate,
                "mode": "markers",
                "name": trace_name,
                "marker": {
                    "color": colour,
                    "size": 12,
                    "symbol": [f"{symbol}-open" if w else symbol for w in weak],
                },
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": high - rate,
                    "arrayminus": rate - low,
                },
                "customdata": hover,
                "hovertemplate": fill(
                    _("%{y:.1f}% (%{customdata})<extra>{rate}</extra>"), rate=hover_name
                ),
            }
        )
    layout = house_layout(
        title,
        source,
        below_px=72,
        subtitle=_("Wilson 95% intervals; hollow markers: fewer than 10 cases"),
    )
    layout["yaxis"] |= {"title": {"text": _("Rate (%) with 95% interval")}, "range": [0, 105]}
    layout |= {
        "xaxis": category_axis(labels),
        # Side by side per region, so the two intervals never hide each other.
        "scattermode": "group",
        "showlegend": True,
        "legend": legend_under_heading(layout),
    }
    data = pd.DataFrame({_("Region"): [region_label(r) for r in by_region["region"]]})
    for name, headings in _RATE_HEADINGS.items():
        rate_head, low_head, high_head, n_head, weak_head = (_(h) for h in headings)
        data[rate_head] = (by_region[f"{name}_rate"].astype("float64") * 100).round(1)
        data[low_head] = (by_region[f"{name}_low"].astype("float64") * 100).round(1)
        data[high_head] = (by_region[f"{name}_high"].astype("float64") * 100).round(1)
        data[n_head] = by_region[f"{name}_n"].to_numpy()
        data[weak_head] = by_region[f"{name}_low_confidence"].to_numpy()
    return Chart(figure(traces, layout), data, _rates_summary(by_region))


def _rates_summary(by_region: pd.DataFrame) -> str:
    """Each rate's highest and lowest place (with the interval of the highest), and how many of
    the rates drawn rest on few cases."""
    places = [region_label(r) for r in by_region["region"]]
    counted = [by_region[f"{name}_n"].astype("int64") > 0 for name in _RATE_HEADINGS]
    if not any(c.any() for c in counted):
        return _("No cases in the selection.")
    parts = []
    weak = 0
    for name, drawn in zip(_RATE_HEADINGS, counted, strict=True):
        parts.append(
            rate_sentence(
                name,
                places,
                pd.to_numeric(by_region[f"{name}_rate"], errors="coerce").tolist(),
                pd.to_numeric(by_region[f"{name}_low"], errors="coerce").tolist(),
                pd.to_numeric(by_region[f"{name}_high"], errors="coerce").tolist(),
                by_region[f"{name}_n"].astype("int64").tolist(),
            )
        )
        weak += int((by_region[f"{name}_low_confidence"].astype(bool) & drawn).sum())
    return sentences(*parts, low_confidence_sentence(weak))


# Official totals beside the loaded events (here per region, per year on the Timelines page).
# On synthetic events the share is no finding: the chart says it shows the method, no share is
# labelled and the summary states none.
OFFICIAL_SUBTITLE = N_("Label: the events as a share of the official total (never added)")
DEMO_SUBTITLE = N_("Synthetic events: a demonstration of the method, not a measure of coverage")
DEMO_EVENTS = N_("Synthetic seizure events (demo)")
# Under the heading, instead of what the share means.
DEMO_NOTE = N_(
    "The loaded seizure events are synthetic demo data: this chart shows how official "
    "country-year totals are compared with the events (side by side, never added), not how "
    "much of the official figures real records cover. With real records loaded, each event bar "
    "is labelled with its share of the official total."
)
DEMO_SUMMARY = N_(
    "A demonstration of the method: official UNODC totals beside synthetic seizure events, "
    "with no share stated (the events are not real records)."
)
# Share labels over the event bars: 12 px whatever the bar's width (plotly shrinks outside
# text to the bar by default, to about 6 px on narrow bars).
SHARE_LABELS: dict[str, object] = {
    "textposition": "outside",
    "cliponaxis": False,
    "constraintext": "none",
    "textfont": {"size": 12},
}


def official_words(synthetic: bool) -> tuple[str, str]:
    """(subtitle, events legend name) of an official-totals chart: a demonstration of the
    method on synthetic events."""
    if synthetic:
        return _(DEMO_SUBTITLE), _(DEMO_EVENTS)
    return _(OFFICIAL_SUBTITLE), ""


def official_comparison_chart(
    comparison: pd.DataFrame, source: str, synthetic: bool = False
) -> Chart:
    """Official UNODC annual totals beside the loaded seizure events, per region, same years.

    Side by side, never stacked: the events are part of what the official total counts.
    Official bars are hatched so the two read apart without colour. With `synthetic` events
    the chart is a demonstration of the method: no share is labelled or stated.
    """
    labels = [region_label(r) for r in comparison["region"]]
    years = str(comparison["years"].iloc[0])
    subtitle, demo_events = official_words(synthetic)
    shares = ["–" if pd.isna(c) else i18n.percent(c, 0) for c in comparison["coverage"]]
    events = {
        "type": "bar",
        "name": demo_events or _("Loaded seizure events, {years}").format(years=years),
        "x": labels,
        "y": comparison["events_kg"] / 1000,
        "marker": {"color": [REGION_COLOURS.get(r, "#999999") for r in comparison["region"]]},
        "hovertemplate": _("%{x}: %{y:,.1f} t in loaded events<extra></extra>"),
    }
    if not synthetic:
        # labelled '23%' (the subtitle says of what), hovered '23% of official'
        events |= SHARE_LABELS | {
            "customdata": shares,
            "texttemplate": "%{customdata}",
            "text": [
                "–" if share == "–" else _("{share} of official").format(share=share)
                for share in shares
            ],
            "hovertemplate": _("%{x}: %{y:,.1f} t in loaded events (%{text})<extra></extra>"),
        }
    traces = [
        {
            "type": "bar",
            "name": _("UNODC official annual totals, {years}").format(years=years),
            "x": labels,
            "y": comparison["official_kg"] / 1000,
            "marker": {"color": "#999999", "pattern": {"shape": "/"}},
            "hovertemplate": _("%{x}: %{y:,.1f} t official<extra></extra>"),
        },
        events,
    ]
    title = (
        _("Method demonstration: official UNODC totals and synthetic events, {years} (tonnes)")
        if synthetic
        else _("Official UNODC totals and the loaded seizure records, {years} (tonnes)")
    )
    layout = house_layout(
        title.format(years=years), source, height=480, below_px=58, subtitle=subtitle
    )
    layout |= {
        "xaxis": category_axis(labels),
        "yaxis": Y_GRID | {"title": {"text": _("Cocaine seized (tonnes)")}, "rangemode": "tozero"},
        "barmode": "group",
        "showlegend": True,
        "legend": legend_under_heading(layout),
    }
    data = pd.DataFrame(
        {
            _("Region"): labels,
            _("Years"): comparison["years"],
            _("UNODC official total (t)"): (comparison["official_kg"] / 1000).round(3),
            _("Loaded seizure events (t)"): (comparison["events_kg"] / 1000).round(3),
            _("Share of official (%)"): (comparison["coverage"] * 100).round(1),
            _("Countries reporting"): comparison["countries"].fillna(0).astype("int64"),
        }
    )
    if synthetic:  # the table holds what the chart draws: no share
        data = data.drop(columns=_("Share of official (%)"))
        return Chart(figure(traces, layout), data, _(DEMO_SUMMARY))
    return Chart(figure(traces, layout), data, _official_summary(comparison, labels, years))


def _official_summary(comparison: pd.DataFrame, labels: list[str], years: str) -> str:
    """The loaded events against the official totals of the regions that have one, the
    regions where the share is highest and lowest, and how many regions have no official total.
    """
    official = pd.to_numeric(comparison["official_kg"], errors="coerce").fillna(0.0)
    events = pd.to_numeric(comparison["events_kg"], errors="coerce").fillna(0.0)
    with_total = (official > 0).to_numpy()
    if not with_total.any():
        return _("No official UNODC total is loaded for these regions and years.")
    total = float(official[with_total].sum())
    loaded = float(events[with_total].sum())
    first = _(
        "For {years}, the loaded seizure events add up to {events}, {share} of the official "
        "UNODC total of {official}."
    ).format(
        years=years,
        events=_tonnes(loaded / 1000),
        share=i18n.percent(loaded / total, 0),
        official=_tonnes(total / 1000),
    )
    shares = pd.to_numeric(comparison["coverage"], errors="coerce").tolist()  # as labelled
    missing = int((~with_total).sum())
    return sentences(
        first,
        share_sentence(labels, shares),
        ngettext(
            "{n} region has no official total.", "{n} regions have no official total.", missing
        ).format(n=i18n.integer(missing))
        if missing
        else "",
    )
