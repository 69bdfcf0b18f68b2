"""Charts of the Timelines page: a stacked series over time, and official totals beside events.

Pure functions (no streamlit): a Timeline or a small frame in, figures.Chart out.
"""

from __future__ import annotations

import pandas as pd

from crimjust_data import i18n
from crimjust_data.activities import starting_within
from crimjust_data.countries import country_name, region_label
from crimjust_data.figures import (
    REGION_COLOURS,
    Chart,
    figure,
    fill,
    house_layout,
    legend_under_heading,
    sentences,
    share_sentence,
)
from crimjust_data.figures.activities import (
    activity_markers,
    dates_text,
    participants_text,
)
from crimjust_data.figures.overview import DEMO_SUMMARY, SHARE_LABELS, official_words
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.periods import (
    OTHER_COUNTRIES,
    PERIOD_MONTHS,
    SPIKE_YEARS,
    Timeline,
    period_label,
    rolling_text,
)
from crimjust_data.vocabulary import (
    CONVEYANCE_LABELS,
    DIMENSION_NOUNS,
    DRUG_LABELS,
    partner_label,
    stored_text,
    type_label,
    word,
)

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
# Texts that name the period (month, quarter, year): one whole sentence per period, so each
# language can inflect it. Marked for translation: translate at use.
_KG_TITLES = {
    "month": N_("Cocaine seized per month, by {dimension} ({unit})"),
    "quarter": N_("Cocaine seized per quarter, by {dimension} ({unit})"),
    "year": N_("Cocaine seized per year, by {dimension} ({unit})"),
}
_COUNT_TITLES = {
    "month": N_("Number of seizure events per month, by {dimension}"),
    "quarter": N_("Number of seizure events per quarter, by {dimension}"),
    "year": N_("Number of seizure events per year, by {dimension}"),
}
_AVERAGE_NAMES = {
    "month": N_("Total, {n}-month average"),
    "quarter": N_("Total, {n}-quarter average"),
    "year": N_("Total, {n}-year average"),
}
_AVERAGE_HOVERS = {
    "month": N_("{n}-month average"),
    "quarter": N_("{n}-quarter average"),
    "year": N_("{n}-year average"),
}
# The subtitle, two short lines (plotly does not wrap; a half-width chart or a phone holds
# under 60 characters a line): the average line, then the spike symbol. The legend names both
# marks.
_AVERAGE_LINES = {
    "month": N_("Line: {n}-month trailing average of the total"),
    "quarter": N_("Line: {n}-quarter trailing average of the total"),
    "year": N_("Line: {n}-year trailing average of the total"),
}
_SPIKE_LINES = {
    "month": N_("▼ spike: far above the same month in the past {years} years"),
    "quarter": N_("▼ spike: far above the same quarter in the past {years} years"),
    "year": N_("▼ spike: far above the past {years} years"),
}
# What a spike's ratio is relative to, in hovers and the table's column.
_SPIKE_HOVERS = {
    "month": N_(
        "%{customdata}: %{text} the median of the same month in the previous years"
        "<extra>spike</extra>"
    ),
    "quarter": N_(
        "%{customdata}: %{text} the median of the same quarter in the previous years"
        "<extra>spike</extra>"
    ),
    "year": N_("%{customdata}: %{text} the median of the previous years<extra>spike</extra>"),
}
_SPIKE_COLUMNS = {
    "month": N_("Spike (× median of the same month, previous years)"),
    "quarter": N_("Spike (× median of the same quarter, previous years)"),
    "year": N_("Spike (× median of the previous years)"),
}
# Date ticks in numbers (2020-04, 2020), never plotly's English month names ('Apr 2020').
# plotly takes the first stop whose range holds the tick spacing (both ends included).
_DATE_TICK_FORMATS = [
    {"dtickrange": ["M12", None], "value": "%Y"},
    {"dtickrange": ["M1", "M12"], "value": "%Y-%m"},
    {"dtickrange": [None, "M1"], "value": "%Y-%m-%d"},
]
# Ten tonnes and more read better in tonnes; below, in kilograms.
TONNES_FROM_KG = 10_000


def group_label(by: str, code: str) -> str:
    """How a group of the `by` dimension is named on charts."""
    if by == "country":
        return _("Other countries") if code == OTHER_COUNTRIES else f"{country_name(code)}"
    if by == "region":
        return region_label(code)
    return word({"drug": DRUG_LABELS, "conveyance": CONVEYANCE_LABELS}[by], code)


def group_colours(by: str, groups: list[str]) -> dict[str, str]:
    """A colour per group: fixed per code for regions, drugs and conveyances; by rank else."""
    fixed = {"region": REGION_COLOURS, "drug": DRUG_COLOURS, "conveyance": CONVEYANCE_COLOURS}
    if by in fixed:
        return {g: fixed[by].get(g, GREY) for g in groups}
    ranked = [g for g in groups if g != OTHER_COUNTRIES]
    colours = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(ranked)}
    return colours | {OTHER_COUNTRIES: GREY}


def kg_unit(largest_kg: float) -> tuple[str, float, str]:
    """(symbol, divisor, axis word) for quantities whose largest value is `largest_kg`; the axis
    word in the current language."""
    if largest_kg >= TONNES_FROM_KG:
        return "t", 1000.0, _("tonnes")
    return "kg", 1.0, "kg"


def _period_axis(grain: str) -> dict[str, object]:
    """Trace settings that centre each bar and point on its period (not on its first day)."""
    return {
        "xperiod": f"M{PERIOD_MONTHS[grain]}",
        "xperiod0": "2000-01-01",
        "xperiodalignment": "middle",
    }


def timeline_chart(
    line: Timeline,
    measure: str,
    source: str,
    activities: pd.DataFrame | None = None,
    title: str | None = None,
) -> Chart:
    """Stacked bars per period split by `line.by`, the rolling average of the total, spikes
    (black ▼), and, given `activities` (rows of queries.activities.activity_list), a mark at
    the start of each one inside the dates drawn (a diamond, see figures.activities): each
    kind of mark has its legend entry. The marks are not data: the table stays the series'.

    measure is 'kg' (cocaine seized) or 'seizures' (number of seizure events). `title`
    replaces the default one (a place's chart names it); '{unit}' in it becomes the unit.
    """
    if measure not in ("kg", "seizures"):
        raise ValueError(f"unknown measure {measure!r}: use 'kg' or 'seizures'")
    totals = line.totals
    grain = line.grain
    dimension = _(DIMENSION_NOUNS[line.by])
    if measure == "kg":
        unit, divisor, axis_word = kg_unit(float(totals["kg"].max()))
        what = _("Cocaine seized ({unit})").format(unit=axis_word)
        hover_format = ",.2f" if unit == "t" else ",.0f"
        title = fill(title or _(_KG_TITLES[grain]), dimension=dimension, unit=axis_word)
    else:
        unit, divisor = _("seizures"), 1.0
        what, hover_format = _("Seizure events (number)"), ",.0f"
        title = fill(title or _(_COUNT_TITLES[grain]), dimension=dimension, unit=unit)
    # plotly's number placeholder, then the unit: '%{y:,.2f} t'
    value = f"%{{y:{hover_format}}}"
    labels = [period_label(p, grain) for p in totals["period"]]
    columns: dict[str, object] = {_("Period"): labels}  # the table, made in one go at the end
    groups = list(dict.fromkeys(line.series["group"]))
    colours = group_colours(line.by, groups)
    periodic = _period_axis(grain)
    traces: list[dict[str, object]] = []
    # one pass over the series (a filter per group costs a scan each)
    by_group = dict(tuple(line.series.groupby("group", sort=False, dropna=False)))
    for group in groups:
        rows = by_group[group].sort_values("period")
        values = rows[measure].to_numpy() / divisor
        name = group_label(line.by, group)
        columns[f"{name} ({unit})"] = values.round(3) if measure == "kg" else values.astype("int64")
        traces.append(
            {
                "type": "bar",
                "x": rows["period"],
                "y": values,
                "name": name,
                "marker": {"color": colours[group], "line": {"color": "white", "width": 0.5}},
                "customdata": labels,
                "hovertemplate": fill(
                    _("%{customdata}: {value} {unit}<extra>{name}</extra>"),
                    value=value,
                    unit=unit,
                    name=name,
                ),
            }
            | periodic
        )
    total = totals[measure].to_numpy() / divisor
    columns[_("Total ({unit})").format(unit=unit)] = (
        total.round(3) if measure == "kg" else total.astype("int64")
    )
    rolling = totals[f"{measure}_rolling"].to_numpy() / divisor
    columns[f"{rolling_text(grain)} ({unit})"] = rolling.round(3)
    traces.append(
        {
            "type": "scatter",
            "x": totals["period"],
            "y": rolling,
            "mode": "lines",
            "name": _(_AVERAGE_NAMES[grain]).format(n=line.window),
            "line": {"color": INK, "width": 2.5},
            "customdata": labels,
            "hovertemplate": fill(
                _("%{customdata}: {value} {unit}<extra>{average}</extra>"),
                value=value,
                unit=unit,
                average=_(_AVERAGE_HOVERS[grain]).format(n=line.window),
            ),
        }
        | periodic
    )
    spikes = totals[totals[f"{measure}_spike"]]
    ratios = spikes[measure] / spikes[f"{measure}_baseline"]
    ratio_text = [_("new") if r == float("inf") else f"{i18n.decimal(r, 1)}×" for r in ratios]
    # A symbol and a text label, so a spike is found without telling colours apart; in the
    # legend even when there is none, so the ▼ of the subtitle is never read as something else.
    if spikes.empty:
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": _("Spike (rule below): none"),
                "marker": {"symbol": "triangle-down", "size": 13, "color": INK},
                "hoverinfo": "skip",
            }
        )
    else:
        traces.append(
            {
                "type": "scatter",
                "x": spikes["period"],
                "y": spikes[measure] / divisor,
                "mode": "markers+text",
                "name": _("Spike (rule below)"),
                "marker": {
                    "symbol": "triangle-down",
                    "size": 13,
                    "color": INK,
                    "line": {"color": "white", "width": 1},
                },
                "text": ratio_text,
                "textposition": "top center",
                "textfont": {"size": 12, "color": INK},
                "cliponaxis": False,
                "customdata": [period_label(p, grain) for p in spikes["period"]],
                "hovertemplate": _(_SPIKE_HOVERS[grain]),
            }
            | periodic
        )
    spike_column = pd.Series("", index=totals.index, dtype="object")
    spike_column[spikes.index] = ratio_text
    columns[_(_SPIKE_COLUMNS[grain])] = spike_column.to_numpy()
    data = pd.DataFrame(columns)
    layout = house_layout(
        title,
        source,
        height=560,  # a phone stacks the legend's entries: the plot keeps some height
        below_px=36,  # under the date ticks whatever the plot's height
        subtitle="<br>".join(
            [
                _(_AVERAGE_LINES[grain]).format(n=line.window),
                _(_SPIKE_LINES[grain]).format(years=SPIKE_YEARS),
            ]
        ),
    )
    layout["yaxis"] |= {"title": {"text": what}, "rangemode": "tozero"}
    layout |= {
        "xaxis": {
            "ticklabelmode": "period",
            "showgrid": False,
            "tickformatstops": [dict(stop) for stop in _DATE_TICK_FORMATS],
        },
        "barmode": "stack",
        "bargap": 0.15,
        "showlegend": True,
        # Under the heading, in rows as wide as the chart (a phone or a half-width chart keeps
        # its plot), in stack order (top of the stack first).
        "legend": legend_under_heading(layout, traceorder="reversed"),
        "hovermode": "closest",
    }
    marked = pd.DataFrame()
    if activities is not None:  # a mark outside the dates drawn would stretch the time axis
        marked = starting_within(activities, line.first_day, line.last_day)
    shapes, marker_traces, overlay = activity_markers(marked)
    if shapes:
        layout["shapes"] = [*layout.get("shapes", []), *shapes]
        layout |= overlay
        traces.extend(marker_traces)
    summary = _timeline_summary(labels, total.tolist(), len(spikes), measure, unit)
    if len(marked):
        summary = sentences(
            summary,
            ngettext(
                "{n} program activity is marked at its start (a diamond and a dotted line); "
                "it is not a spike.",
                "{n} program activities are marked at their start (diamonds and dotted lines); "
                "they are not spikes.",
                len(marked),
            ).format(n=i18n.integer(len(marked))),
        )
    return Chart(figure(traces, layout), data, summary)


def activities_table(activities: pd.DataFrame) -> pd.DataFrame:
    """The activities a timeline marks, as listed under it (text in the current language)."""
    rows = activities.to_dict("records")
    return pd.DataFrame(
        {
            _("dates"): [dates_text(row) for row in rows],
            _("title"): [stored_text(row["title"]) for row in rows],
            _("type"): [type_label(row["type"]) for row in rows],
            _("partner"): [partner_label(row["partner"]) for row in rows],
            _("participants"): [participants_text(row) for row in rows],
            _("countries"): [", ".join(country_name(c) for c in row["countries"]) for row in rows],
        }
    )


def _amount(value: float, measure: str, unit: str) -> str:
    """'1,234.5 t', '350.0 kg' or '12' (seizure events): a value as drawn, in its unit."""
    if measure == "kg":
        return f"{i18n.decimal(value, 1)} {unit}"
    return i18n.integer(round(value))


def _timeline_summary(
    periods: list[str], totals: list[float], spikes: int, measure: str, unit: str
) -> str:
    """The total over the periods drawn, the peak period, the first and last totals, spikes."""
    whole = float(sum(totals))
    if not periods or whole <= 0:
        if measure == "kg":
            return _("No cocaine seized in the selection.")
        return _("No seizure events in the selection.")
    total = _amount(whole, measure, unit)
    if len(periods) == 1:
        if measure == "kg":
            return _("{total} of cocaine seized in {period}.").format(
                total=total, period=periods[0]
            )
        return ngettext(
            "{total} seizure event in {period}.",
            "{total} seizure events in {period}.",
            round(whole),
        ).format(total=total, period=periods[0])
    peak = max(range(len(totals)), key=lambda i: totals[i])
    found = {
        "total": total,
        "first": periods[0],
        "last": periods[-1],
        "peak": periods[peak],
        "peak_value": _amount(totals[peak], measure, unit),
    }
    if measure == "kg":
        overall = _(
            "{total} of cocaine seized from {first} to {last}; the peak was {peak} with "
            "{peak_value}."
        ).format(**found)
    else:
        overall = ngettext(
            "{total} seizure event from {first} to {last}; the peak was {peak} with {peak_value}.",
            "{total} seizure events from {first} to {last}; the peak was {peak} with {peak_value}.",
            round(whole),
        ).format(**found)
    trend = ngettext(
        "The total went from {first_value} in {first} to {last_value} in {last}, with {n} spike.",
        "The total went from {first_value} in {first} to {last_value} in {last}, with {n} spikes.",
        spikes,
    ).format(
        first_value=_amount(totals[0], measure, unit),
        first=periods[0],
        last_value=_amount(totals[-1], measure, unit),
        last=periods[-1],
        n=i18n.integer(spikes),
    )
    return sentences(overall, trend)


def official_chart(comparison: pd.DataFrame, source: str, synthetic: bool = False) -> Chart:
    """Per year, official UNODC totals (hatched outline) beside the loaded events (solid).

    Side by side, never stacked or added; each event bar is labelled with its share of the
    official total. A year without an official figure shows an event bar labelled 'no total'.
    With `synthetic` events the chart is a demonstration of the method: no share is labelled
    or stated (overview.official_words).
    """
    largest = pd.concat([comparison["official_kg"], comparison["events_kg"]]).max()
    unit, divisor, axis_word = kg_unit(0.0 if pd.isna(largest) else float(largest))
    years = [str(y) for y in comparison["year"]]
    official = comparison["official_kg"] / divisor
    events_kg = comparison["events_kg"] / divisor
    shares = [_("no total") if pd.isna(c) else i18n.percent(c, 0) for c in comparison["coverage"]]
    # plotly's number placeholder, then the unit: '%{y:,.1f} t'
    value = f"%{{y:{',.1f' if unit == 't' else ',.0f'}}}"
    subtitle, demo_events = official_words(synthetic)
    events: dict[str, object] = {
        "type": "bar",
        "name": demo_events or _("Sum of the loaded seizure events"),
        "x": years,
        "y": events_kg,
        "marker": {"color": "#0072B2"},
        "hovertemplate": fill(
            _("%{x}: {value} {unit} in loaded events<extra></extra>"), value=value, unit=unit
        ),
    }
    if not synthetic:
        events |= SHARE_LABELS | {
            "text": shares,
            "texttemplate": "%{text}",
            "hovertemplate": fill(
                _("%{x}: {value} {unit} in loaded events (%{text} of official)<extra></extra>"),
                value=value,
                unit=unit,
            ),
        }
    traces = [
        {
            "type": "bar",
            "name": _("UNODC official annual total"),
            "x": years,
            "y": official,
            "marker": {
                "color": "white",
                "line": {"color": "#555555", "width": 1.5},
                "pattern": {"shape": "/", "fgcolor": "#777777", "size": 8},
            },
            "customdata": comparison["countries_reporting"],
            "hovertemplate": fill(
                _(
                    "%{x}: {value} {unit} official (%{customdata} countries reporting)"
                    "<extra></extra>"
                ),
                value=value,
                unit=unit,
            ),
        },
        events,
    ]
    title = (
        _("Method demonstration: official UNODC totals and synthetic events, per year ({unit})")
        if synthetic
        else _("Official UNODC annual totals and the loaded seizure events, per year ({unit})")
    )
    layout = house_layout(
        title.format(unit=axis_word), source, height=460, below_px=36, subtitle=subtitle
    )
    layout["yaxis"] |= {
        "title": {"text": _("Cocaine seized ({unit})").format(unit=axis_word)},
        "rangemode": "tozero",
    }
    layout |= {
        "xaxis": {"type": "category"},
        "barmode": "group",
        "bargap": 0.25,
        "showlegend": True,
        "legend": legend_under_heading(layout),
    }
    data = pd.DataFrame(
        {
            _("Year"): comparison["year"].astype("int64").to_numpy(),
            _("UNODC official total ({unit})").format(unit=unit): official.round(3).to_numpy(),
            _("Loaded seizure events ({unit})").format(unit=unit): events_kg.round(3).to_numpy(),
            _("Events as share of official (%)"): (comparison["coverage"] * 100)
            .round(1)
            .to_numpy(),
            _("Countries reporting (official)"): comparison["countries_reporting"].to_numpy(),
        }
    )
    if synthetic:  # the table holds what the chart draws: no share
        data = data.drop(columns=_("Events as share of official (%)"))
        return Chart(figure(traces, layout), data, _(DEMO_SUMMARY))
    return Chart(figure(traces, layout), data, _official_summary(comparison, years, unit, divisor))


def _official_summary(comparison: pd.DataFrame, years: list[str], unit: str, divisor: float) -> str:
    """The loaded events against the official totals over the years that have one, the years
    where the share is highest and lowest, and how many years have no official total."""
    official = pd.to_numeric(comparison["official_kg"], errors="coerce").fillna(0.0)
    events = pd.to_numeric(comparison["events_kg"], errors="coerce").fillna(0.0)
    with_total = (official > 0).to_numpy()
    if not with_total.any():
        return _("No official UNODC total is loaded for these years.")
    counted = [year for year, has in zip(years, with_total, strict=True) if has]
    total = float(official[with_total].sum())
    loaded = float(events[with_total].sum())
    found = {
        "events": _amount(loaded / divisor, "kg", unit),
        "share": i18n.percent(loaded / total, 0),
        "official": _amount(total / divisor, "kg", unit),
    }
    if len(counted) == 1:
        first = _(
            "In {year}, the loaded seizure events add up to {events}, {share} of the official "
            "UNODC total ({official})."
        ).format(year=counted[0], **found)
    else:
        first = _(
            "From {first} to {last}, the loaded seizure events add up to {events}, {share} of "
            "the official UNODC totals ({official})."
        ).format(first=counted[0], last=counted[-1], **found)
    missing = int((~with_total).sum())
    return sentences(
        first,
        share_sentence(years, pd.to_numeric(comparison["coverage"], errors="coerce").tolist()),
        ngettext(
            "{n} year has no official total.", "{n} years have no official total.", missing
        ).format(n=i18n.integer(missing))
        if missing
        else "",
    )
