"""Charts of the 'Justice outcomes' page: attrition, rates by country, time to verdict, cooperation.

Pure builders (no streamlit): frames from crimjust_data.queries.justice in, figures.Chart out.
Rates are drawn as markers with Wilson 95% error bars; a rate with n < 10 is drawn hollow AND
labelled 'low n', so the warning never rests on colour or fill alone. Prosecution is always a
blue circle and conviction a vermilion diamond, as on the home page.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from crimjust_data import i18n, metric_registry
from crimjust_data.countries import country_name, region_label
from crimjust_data.disclosure import is_small
from crimjust_data.figures import (
    REGION_COLOURS,
    Chart,
    category_axis,
    extremes,
    figure,
    fill,
    house_layout,
    legend_under_heading,
    low_confidence_sentence,
    rate_sentence,
    sentences,
    subplot_grid,
    vline,
    wrap,
)
from crimjust_data.formatting import verdict_text
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.metric_registry import RATE_LABELS, RATES
from crimjust_data.metrics import LOW_CONFIDENCE_N, RANKED_MIN_N, Rate
from crimjust_data.vocabulary import STAGE_LABELS, cooperation_label


def rate_part(rate: str, which: int) -> str:
    """The numerator (0) or the denominator (1) of a rate, as a table heading."""
    return metric_registry.numerator(rate) if which == 0 else metric_registry.denominator(rate)


# The count column of each rate's numerator (its n is f"{rate}_n").
_NUMERATOR = {"prosecution": "charged_in_window", "conviction": "convicted"}
# Okabe-Ito, as on the home page: one colour and one marker shape per rate.
RATE_STYLE = {"prosecution": ("#0072B2", "circle"), "conviction": ("#D55E00", "diamond")}
# Shorter names on the cooperation chart's axis, where a long one would crowd its neighbours.
_COOPERATION_AXIS_LABELS = {"mla_request": N_("Mutual legal<br>assistance")}
# With and without cooperation: dark grey circle vs reddish-purple square (shape + lightness).
COOPERATION_STYLE = {"none": ("#444444", "circle"), "any": ("#CC79A7", "square")}
# The stage each stage's cases are part of (closed before charge and charged: of the opened).
_PARENT_STAGE = {
    "closed_before_charge": "opened",
    "charged": "opened",
    "court_outcome": "charged",
    "convicted": "court_outcome",
}
_SOURCE_GAP_PX = 16  # space between the lowest axis text and the 'Source:' line
_LEGEND_ROW_PX = 30  # a legend's row between a chart's heading and its plot
_GROUP_ROW_PX = 56  # a group's row on the cooperation charts: two lines of label, two markers
# A funnel's title in lines of this many characters, and the height of a row of funnels (px).
_FUNNEL_TITLE_CHARS, _FUNNEL_ROW_PX = 13, 230


def _low_n() -> str:
    """'low n (< 10)': the flag of a rate counted over too few cases."""
    return _("low n (< {n})").format(n=LOW_CONFIDENCE_N)


def _region_label(region: str) -> str:
    return _("All in selection") if region == "all" else region_label(region)


def _percent(values: pd.Series) -> np.ndarray:
    """Rates (0-1, missing allowed) as percentages in a float array (NaN where missing)."""
    if values.dtype == "float64":  # the usual case, without to_numeric's cost
        return values.to_numpy() * 100
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy() * 100


def _error_bars(rate: np.ndarray, low: np.ndarray, high: np.ndarray) -> dict[str, object]:
    return {
        "type": "data",
        "symmetric": False,
        "array": high - rate,
        "arrayminus": rate - low,
        "thickness": 1.6,
        "width": 5,
    }


def _rate_columns(frame: pd.DataFrame, rate: str) -> dict[str, np.ndarray]:
    """Table columns of one rate exactly as drawn: %, interval, numerator, n, low-confidence."""
    numerator, denominator = rate_part(rate, 0), rate_part(rate, 1)
    head = _(RATE_LABELS[rate])
    return {
        _("{rate} (%)").format(rate=head): _percent(frame[f"{rate}_rate"]).round(1),
        _("{rate} 95% CI low (%)").format(rate=head): _percent(frame[f"{rate}_low"]).round(1),
        _("{rate} 95% CI high (%)").format(rate=head): _percent(frame[f"{rate}_high"]).round(1),
        numerator: frame[_NUMERATOR[rate]].to_numpy().astype("int64"),
        denominator: frame[f"{rate}_n"].to_numpy().astype("int64"),
        _("{rate} low confidence (n < {n})").format(rate=head, n=LOW_CONFIDENCE_N): frame[
            f"{rate}_low_confidence"
        ]
        .to_numpy()
        .astype(bool),
    }


# ----------------------------------------------------------------------------------------------
# 1. Attrition funnel
# ----------------------------------------------------------------------------------------------


def funnel_chart(
    funnel: pd.DataFrame,
    source: str,
    title: str | None = None,
    suppress_below: int = 0,
) -> Chart:
    """One funnel per region (FUNNEL_STAGES: opened, closed before charge, charged, court
    outcome, convicted): counts and % of opened.

    `funnel`: queries.justice.page_tables(...).funnel (long: one row per region and stage). Each
    region has its own scale: the shape compares stages within a region, the labels the numbers.
    With `suppress_below` (donor exports), a stage count from 1 to suppress_below - 1 is not
    drawn and reads '<suppress_below' (see snapshot.disclosure); callers leave out regions
    with fewer opened cases than that. `title` defaults to 'Attrition of cocaine cases by
    region: ...' in the current language.
    """
    if title is None:
        title = _(
            "Attrition of cocaine cases by region: cases at each stage (number and % of opened)"
        )
    withheld = _("withheld")
    # A stage is withheld when its count is small, or when the cases of the stage it is part of
    # but not in it are (opened 6, charged 5 tells of one person not charged; charged also when
    # those still awaiting a charge, opened - closed before charge - charged, are few).
    region_of, cases_of = funnel["region"].tolist(), funnel["cases"].tolist()
    keys = list(zip(region_of, funnel["stage"].tolist(), strict=True))
    count_of = dict(zip(keys, cases_of, strict=True))
    gaps: list[list[int]] = []  # per row: the cases of its parent stage not in it
    for (region, stage), count in zip(keys, cases_of, strict=True):
        parent = count_of.get((region, _PARENT_STAGE.get(stage, "")))
        gaps.append([] if parent is None or pd.isna(parent) else [int(parent) - int(count)])
        closed = count_of.get((region, "closed_before_charge"))
        if gaps[-1] and stage == "charged" and closed is not None:
            gaps[-1].append(gaps[-1][0] - int(closed))
    small = [is_small(int(c), suppress_below) for c in cases_of]
    lost_few = [any(is_small(g, suppress_below) for g in row) for row in gaps]
    # stage names in the current language, from the stage codes (whatever language the
    # query's stage_label came in, e.g. from a cached frame)
    stage_labels = [
        _(STAGE_LABELS[stage]) if stage in STAGE_LABELS else label
        for stage, label in zip(
            funnel["stage"].tolist(), funnel["stage_label"].tolist(), strict=True
        )
    ]
    hidden = [a or b for a, b in zip(small, lost_few, strict=True)]
    # withheld for the cases lost since the stage before (not itself a small count)
    lost_column = [lost and not tiny for tiny, lost in zip(small, lost_few, strict=True)]
    texts = [
        f"<{suppress_below}"
        if tiny
        else withheld
        if lost
        else f"{i18n.integer(c)} ({i18n.percent(s, 0)})"
        for c, s, tiny, lost in zip(
            cases_of,
            funnel["share_of_opened"].astype("float64").tolist(),
            small,
            lost_few,
            strict=True,
        )
    ]
    regions = list(dict.fromkeys(region_of))
    columns = min(3, max(1, len(regions)))
    rows = math.ceil(len(regions) / columns)
    opened_in: dict[str, int] = {}
    for region, opened in zip(region_of, funnel["opened"].tolist(), strict=True):
        opened_in.setdefault(region, int(opened))  # the region's first row
    titles = []
    for region in regions:
        opened = opened_in[region]
        titles.append(
            # in short lines: on a phone, three funnels side by side are 80 px wide each
            wrap(
                ngettext(
                    "<b>{region}</b>: {n} case opened", "<b>{region}</b>: {n} cases opened", opened
                ).format(region=_region_label(region), n=i18n.integer(opened)),
                _FUNNEL_TITLE_CHARS,
            )
        )
    # room above each row for its funnels' titles, in pixels
    title_px = 8 + 16 * max((t.count("<br>") + 1 for t in titles), default=1)
    plot_px = _FUNNEL_ROW_PX * rows + title_px * (rows - 1)
    axes, title_notes, cells = subplot_grid(
        rows,
        columns,
        horizontal_spacing=0.03,
        vertical_spacing=title_px / plot_px if rows > 1 else 0.0,
        shared_y=True,
        titles=titles,
        title_size=12,
    )
    traces, withheld_notes = [], []
    # the frame's columns read once, then sliced per region
    column = {
        "region": region_of,
        "stage_label": stage_labels,
        "cases": cases_of,
        "_small": hidden,
        "_text": texts,
    }
    at = {region: [] for region in regions}
    for i, region in enumerate(column["region"]):
        at[region].append(i)
    for (x, y), region in zip(cells, regions, strict=False):
        part = {name: [values[i] for i in at[region]] for name, values in column.items()}
        traces.append(
            {
                "type": "funnel",
                "y": part["stage_label"],
                "x": [
                    None if hidden else c
                    for c, hidden in zip(part["cases"], part["_small"], strict=True)
                ],
                "text": part["_text"],
                "textinfo": "text",
                # inside and centred, never shrunk: on a bar narrower than its number the
                # number runs over the bar's ends, dark on a white halo, still in its funnel
                "textposition": "inside",
                "insidetextanchor": "middle",
                "constraintext": "none",
                "insidetextfont": {"color": "#1a1a1a", "shadow": "0 0 3px #ffffff"},
                "marker": {
                    "color": REGION_COLOURS.get(region, "#999999"),
                    "line": {"color": "#333333", "width": 0.6},
                },
                "connector": {"fillcolor": "#eeeeee", "line": {"width": 0}},
                "name": _region_label(region),
                "hovertemplate": fill(
                    _("%{y}: %{x:,} cases<extra>{region}</extra>"), region=_region_label(region)
                ),
                "xaxis": x,
                "yaxis": y,
            }
        )
        # A withheld stage has no bar; say so where the bar would be (funnels centre on x = 0).
        withheld_notes += [
            {
                "x": 0,
                "y": column["stage_label"][i],
                "text": column["_text"][i]
                if lost_column[i]
                else _("{count} (withheld)").format(count=column["_text"][i]),
                "showarrow": False,
                "font": {"size": 12, "color": "#333333"},
                "xref": x,
                "yref": y,
            }
            for i in at[region]
            if column["_small"][i]
        ]
    stages = list(dict.fromkeys(stage_labels))
    for name, axis in axes.items():
        axis |= (
            {"visible": False}
            if name.startswith("x")
            else {"tickfont": {"size": 12}} | category_axis(stages, width=14)
        )
    layout = house_layout(
        title,
        source,
        height=plot_px,  # the room above and below the plot added below
        below_px=20,
        subtitle=_(
            "Closed before charge and charged: of the cases opened (the rest await a charge). "
            "Court outcome and convicted: of the charged cases"
        ),
        annotations=title_notes + withheld_notes,
    )
    layout |= axes
    layout["margin"]["t"] += title_px
    layout["height"] = plot_px + layout["margin"]["t"] + layout["margin"]["b"]
    cases, share = _("Cases"), _("% of cases opened")
    data = pd.DataFrame(
        {
            _("Region"): [_region_label(r) for r in region_of],
            _("Stage"): stage_labels,
            cases: funnel["cases"].to_numpy().astype("int64"),
            share: (funnel["share_of_opened"].to_numpy().astype("float64") * 100).round(1),
        },
        index=funnel.index,
    )
    if suppress_below > 1:
        small_rows = np.array(hidden, dtype=bool)
        data = data.astype({cases: "object"})
        data.loc[small_rows, cases] = np.array(texts, dtype=object)[small_rows]
        data.loc[small_rows, share] = None
    summary = _funnel_sentences(
        region_of, funnel["stage"].tolist(), funnel["opened"].tolist(), hidden, cases_of
    )
    return Chart(figure(traces, layout), data, summary)


def _funnel_sentences(
    region_of: list[str],
    stage_of: list[str],
    opened_of: list[int],
    small_of: list[bool],
    cases_of: list[int],
) -> str:
    """Per region drawn, the charged cases with a court outcome and the share of them convicted
    (the conviction rate, as the funnel's own counts give it): for the one region, or the
    regions where it is highest and lowest among those with at least RANKED_MIN_N outcomes.
    A count withheld from the chart (small cells) is left out of the sentence too."""
    stages: dict[str, dict[str, tuple[int, bool]]] = {}
    for region, stage, cases, small in zip(region_of, stage_of, cases_of, small_of, strict=True):
        stages.setdefault(region, {})[stage] = (int(cases), bool(small))
    groups, shares, convicted, outcomes = [], [], [], []
    withheld = unranked = 0
    for region, counts in stages.items():
        outcome, outcome_small = counts.get("court_outcome", (0, False))
        won, won_small = counts.get("convicted", (0, False))
        if outcome <= 0:
            continue
        if outcome_small or won_small:
            withheld += 1
            continue
        if outcome < RANKED_MIN_N and len(stages) > 1:  # too few to call highest or lowest
            unranked += 1
            continue
        groups.append(_region_label(region))
        convicted.append(won)
        outcomes.append(outcome)
        shares.append(won / outcome)
    notes = []
    if withheld:
        notes.append(
            ngettext(
                "The conviction count of {n} group is withheld (too few cases).",
                "The conviction counts of {n} groups are withheld (too few cases).",
                withheld,
            ).format(n=i18n.integer(withheld))
        )
    if unranked:
        notes.append(
            ngettext(
                "{n} region with fewer than {min} court outcomes is not ranked.",
                "{n} regions with fewer than {min} court outcomes are not ranked.",
                unranked,
            ).format(n=i18n.integer(unranked), min=RANKED_MIN_N)
        )
    found = extremes(shares)
    if found is None:
        return sentences(*notes) or _("No charged case in the selection has a court outcome.")
    high, low = found
    if high == low:
        first = ngettext(
            "{group}: {convicted} of the {outcomes} charged case with a court outcome ended in "
            "conviction ({share}).",
            "{group}: {convicted} of the {outcomes} charged cases with a court outcome ended in "
            "conviction ({share}).",
            outcomes[high],
        ).format(
            group=groups[high],
            convicted=i18n.integer(convicted[high]),
            outcomes=i18n.integer(outcomes[high]),
            share=i18n.percent(shares[high], 1),
        )
    else:
        first = _(
            "Among charged cases with a court outcome, the share convicted is highest in {high} "
            "({high_share}, {high_convicted} of {high_outcomes}) and lowest in {low} "
            "({low_share}, {low_convicted} of {low_outcomes})."
        ).format(
            high=groups[high],
            high_share=i18n.percent(shares[high], 1),
            high_convicted=i18n.integer(convicted[high]),
            high_outcomes=i18n.integer(outcomes[high]),
            low=groups[low],
            low_share=i18n.percent(shares[low], 1),
            low_convicted=i18n.integer(convicted[low]),
            low_outcomes=i18n.integer(outcomes[low]),
        )
    return sentences(first, *notes)


# ----------------------------------------------------------------------------------------------
# 2. Rates by country
# ----------------------------------------------------------------------------------------------


def country_rates_chart(
    rates: pd.DataFrame, rate: str, source: str, overall: Rate | None = None
) -> Chart:
    """One rate per country with its Wilson 95% interval and n, in one panel per region.

    `rates` is queries.justice.page_tables(...).country_rates; `rate` is 'prosecution' or
    'conviction'.
    Countries with n = 0 for this rate (no case counted yet) are left out and counted in the
    subtitle. Within a region, countries run from the highest rate down. `overall` (the same
    rate for the whole selection, from metrics.headline) is drawn as a dashed reference line.
    """
    if rate not in RATES:
        raise ValueError(f"rate must be one of {RATES}, not {rate!r}")
    n_of = rates[f"{rate}_n"].tolist()
    kept = [i for i, n in enumerate(n_of) if n > 0]
    skipped = len(rates) - len(kept)
    # regions as the query ordered them; within one, the highest rate (then n) first
    region_of, value_of = rates["region"].tolist(), rates[f"{rate}_rate"].tolist()
    region_rank = {region: i for i, region in enumerate(dict.fromkeys(region_of[i] for i in kept))}
    kept.sort(key=lambda i: (region_rank[region_of[i]], -value_of[i], -n_of[i]))
    drawn = rates.take(kept)
    counted = Counter(drawn["region"])  # in the order the regions come
    regions, sizes = list(counted), list(counted.values())
    colour, symbol = RATE_STYLE[rate]
    row_px, gap_px = 32, 76  # per country; between panels (tick labels + next panel's title)
    plot_px = row_px * sum(sizes) + gap_px * max(0, len(regions) - 1) + 30 * len(regions)
    axes, title_notes, cells = subplot_grid(
        max(1, len(regions)),
        1,
        row_heights=[s + 0.8 for s in sizes] or None,
        vertical_spacing=(gap_px / plot_px) if len(regions) > 1 else 0.0,
        shared_x=True,
        titles=[
            # the count on a line of its own, centred over a panel that is narrow on a phone
            ngettext("<b>{region}</b> ({n} country)", "<b>{region}</b> ({n} countries)", n)
            .format(region=_region_label(r), n=i18n.integer(n))
            .replace("</b> ", "</b><br>")
            for r, n in zip(regions, sizes, strict=True)
        ],
        title_size=14,
    )
    label = _(RATE_LABELS[rate])
    # Whole columns converted once; each region's rows are a slice (drawn is sorted by region).
    values = _percent(drawn[f"{rate}_rate"])
    lows = _percent(drawn[f"{rate}_low"])
    highs = _percent(drawn[f"{rate}_high"])
    weaks = drawn[f"{rate}_low_confidence"].astype(bool).to_numpy()
    counts = drawn[f"{rate}_n"].astype("int64").to_numpy()
    names = [country_name(iso3) for iso3 in drawn["country_iso3"]]
    # the country on one line, its n under it: on one line, long names in French or Spanish
    # leave a phone's plot a few dozen pixels
    with_weak, without = (
        text.replace(" · ", "<br>", 1)
        for text in (_("{country} · n = {n} · <b>low n</b>"), _("{country} · n = {n}"))
    )
    hover = _(
        "%{y}<br>%{x:.1f}% (95% CI %{customdata[0]:.1f}–%{customdata[1]:.1f}%)<extra></extra>"
    )
    traces = []
    start = 0
    for (x, y), size in zip(cells, sizes, strict=False):
        rows = slice(start, start + size)
        start += size
        value, low, high, weak = values[rows], lows[rows], highs[rows], weaks[rows]
        traces.append(
            {
                "type": "scatter",
                "x": value,
                "y": [
                    (with_weak if w else without).format(country=name, n=i18n.integer(count))
                    for name, count, w in zip(names[rows], counts[rows], weak, strict=True)
                ],
                "mode": "markers",
                "name": label,
                "marker": {
                    "color": colour,
                    "size": 10,
                    "symbol": [f"{symbol}-open" if w else symbol for w in weak],
                    "line": {"width": 2, "color": colour},
                },
                "error_x": _error_bars(value, low, high) | {"color": colour},
                "customdata": np.column_stack([low, high]),
                "hovertemplate": hover,
                "showlegend": False,
                "xaxis": x,
                "yaxis": y,
            }
        )
        axes["yaxis" + y[1:]]["autorange"] = "reversed"
    for name, axis in axes.items():
        if name.startswith("x"):
            axis |= {
                "range": [-2, 102],
                "ticksuffix": "%",
                "dtick": 25,  # level labels that fit beside a phone's country names
                "tickangle": 0,
                "showticklabels": True,  # every panel keeps its scale: the chart is tall
                "gridcolor": "#e5e5e5",
                "zeroline": False,
            }
        else:
            axis["tickfont"] = {"size": 12}
    axes["xaxis" + cells[-1][0][1:]]["title"] = {
        "text": wrap(_("{rate} (%), with Wilson 95% interval").format(rate=label), 30)
    }
    shapes = []
    if overall is not None and overall.value is not None:
        line = {"dash": "dash", "color": "#777777", "width": 1.2}
        shapes = [vline(overall.value * 100, line, x, y) for x, y in cells[: len(regions)]]
    what = _("{rate} by country (%), with 95% intervals and number of cases (n)").format(rate=label)
    # The rate's definition is the section's intro, just above: the subtitle stays short.
    notes = [_("hollow marker and 'low n': fewer than {n} cases").format(n=LOW_CONFIDENCE_N)]
    if overall is not None and overall.value is not None:
        notes.append(
            _("dashed line: all selected cases, {rate}").format(rate=i18n.percent(overall.value, 1))
        )
    subtitle = "; ".join(notes)
    subtitle = subtitle[:1].upper() + subtitle[1:]  # the notes' own words start in lower case
    if skipped:
        subtitle += "<br>" + ngettext(
            "{n} country with no case counted for this rate not shown",
            "{n} countries with no case counted for this rate not shown",
            skipped,
        ).format(n=i18n.integer(skipped))
    layout = house_layout(
        what,
        source,
        height=plot_px + 190,
        below_px=76,  # the tick labels and the axis title's two lines
        subtitle=subtitle,
        annotations=title_notes,
    )
    layout |= axes
    layout["margin"]["t"] += 44  # the first panel's title
    layout["height"] = plot_px + layout["margin"]["t"] + layout["margin"]["b"]
    if shapes:
        layout["shapes"] = shapes
    data = pd.DataFrame(
        {
            _("Region"): [_region_label(r) for r in drawn["region"]],
            _("Country"): names,
            _("ISO3"): drawn["country_iso3"].to_numpy(),
        }
        | _rate_columns(drawn, rate)
    )
    return Chart(figure(traces, layout), data, _country_rates_summary(drawn, rate))


def _country_rates_summary(drawn: pd.DataFrame, rate: str) -> str:
    """The countries where the rate is highest and lowest, and how many rest on few cases."""
    if drawn.empty:
        return _("No country has a case counted for this rate.")
    weak = int(drawn[f"{rate}_low_confidence"].astype(bool).sum())
    few = (
        ngettext(
            "{n} country has fewer than {min} cases (low confidence).",
            "{n} countries have fewer than {min} cases (low confidence).",
            weak,
        ).format(n=i18n.integer(weak), min=LOW_CONFIDENCE_N)
        if weak
        else ""
    )
    return sentences(
        rate_sentence(
            rate,
            [country_name(iso3) for iso3 in drawn["country_iso3"]],
            (_percent(drawn[f"{rate}_rate"]) / 100).tolist(),
            (_percent(drawn[f"{rate}_low"]) / 100).tolist(),
            (_percent(drawn[f"{rate}_high"]) / 100).tolist(),
            drawn[f"{rate}_n"].astype("int64").tolist(),
        ),
        few,
    )


# ----------------------------------------------------------------------------------------------
# 3. Time to verdict
# ----------------------------------------------------------------------------------------------


def verdict_curve_chart(curves: pd.DataFrame, medians: pd.DataFrame, source: str) -> Chart:
    """Kaplan-Meier curves by region: the share of charged cases still awaiting a court outcome
    by days since opening, pending cases censored at the data's end; the 50% line marks where
    each curve gives its median.

    `curves` and `medians` are queries.justice.page_tables(...).curves and .medians.
    """
    traces = []
    regions = list(dict.fromkeys(curves["region"].tolist()))
    by_region = {r: i for i, r in enumerate(medians["region"].tolist())}
    for region in regions:
        part = curves[curves["region"] == region]
        row = medians.iloc[by_region[region]] if region in by_region else None
        n = int(row["verdict_n"]) if row is not None else int(part["at_risk"].iloc[0])
        traces.append(
            {
                "type": "scatter",
                "x": part["days"].to_numpy(),
                "y": part["share_waiting"].to_numpy() * 100,
                "mode": "lines",
                "line": {"shape": "hv", "width": 2.2, "color": REGION_COLOURS.get(region)},
                "name": _("{region} (n = {n})").format(
                    region=_region_label(region), n=i18n.integer(n)
                ),
                "hovertemplate": fill(
                    _("{region}: %{y:.1f}% still waiting after %{x:,.0f} days<extra></extra>"),
                    region=_region_label(region),
                ),
            }
        )
    line = {"dash": "dash", "color": "#555555", "width": 1.2}
    layout = house_layout(
        _("Share of charged cases still awaiting a court outcome, by days since opening"),
        source,
        height=470,
        below_px=60,
        subtitle=_(
            "Kaplan-Meier estimate: pending cases count until the data's end, then are censored; "
            "a curve crosses the dashed 50% line at its median"
        ),
    )
    layout |= {
        "xaxis": {
            "title": {"text": _("Days since the case was opened")},
            "rangemode": "tozero",
            "gridcolor": "#eeeeee",
            "dtick": 365,
        },
        "yaxis": {
            "title": {"text": _("Still awaiting a court outcome (%)")},
            "range": [0, 102],
            "ticksuffix": "%",
            "gridcolor": "#eeeeee",
        },
        "shapes": [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 50,
                "y1": 50,
                "line": line,
            }
        ],
        "showlegend": True,
    }
    # a row (or, on a phone, a few) for the legend between the heading and the plot: inside
    # the plot it would cover the curves of a narrow screen
    layout["margin"]["t"] += _LEGEND_ROW_PX
    layout["height"] = 330 + layout["margin"]["t"] + layout["margin"]["b"]
    layout["legend"] = legend_under_heading(layout)
    data = _verdict_data(medians)
    return Chart(figure(traces, layout), data, _verdict_summary(medians))


def _verdict_data(medians: pd.DataFrame) -> pd.DataFrame:
    """The numbers the chart's medians stand on, one row per group."""
    return pd.DataFrame(
        {
            _("Region"): [_region_label(r) for r in medians["region"]],
            _("Median days to verdict"): medians["median_days_to_verdict"].round(0).to_numpy(),
            _("95% CI low (days)"): medians["verdict_days_low"].round(0).to_numpy(),
            _("95% CI high (days)"): medians["verdict_days_high"].round(0).to_numpy(),
            _("Over (days), where no median"): medians["verdict_over_days"].round(0).to_numpy(),
            _("Charged cases (n)"): medians["verdict_n"].astype("int64").to_numpy(),
            _("Still pending (censored)"): medians["pending"].astype("int64").to_numpy(),
        }
    )


def _verdict_summary(medians: pd.DataFrame) -> str:
    """The overall median with its interval over n charged cases and how many are pending, and
    the regions where it is longest and shortest (only regions with n >= RANKED_MIN_N)."""
    rows = medians.set_index("region")
    if "all" not in rows.index or int(rows.loc["all", "verdict_n"]) == 0:
        return _("No charged case in the selection.")
    whole = rows.loc["all"]
    first = _(
        "Half of the charged cases reached a court outcome within {days} of opening "
        "(Kaplan-Meier, {n} charged cases, {pending} still pending)."
    ).format(
        days=verdict_text(
            whole["median_days_to_verdict"],
            whole["verdict_days_low"],
            whole["verdict_days_high"],
            whole["verdict_over_days"],
        ),
        n=i18n.integer(int(whole["verdict_n"])),
        pending=i18n.integer(int(whole["pending"])),
    )
    if pd.isna(whole["median_days_to_verdict"]):
        first = _(
            "Fewer than half of the {n} charged cases have reached a court outcome: the median "
            "time is {days} ({pending} still pending)."
        ).format(
            n=i18n.integer(int(whole["verdict_n"])),
            days=verdict_text(None, None, None, whole["verdict_over_days"]),
            pending=i18n.integer(int(whole["pending"])),
        )
    regional = rows.drop(index="all")
    ranked = regional[
        (regional["verdict_n"] >= RANKED_MIN_N) & regional["median_days_to_verdict"].notna()
    ]
    small = int((regional["verdict_n"] < RANKED_MIN_N).sum())
    left_out = (
        ngettext(
            "{n} region with fewer than {min} charged cases is not ranked.",
            "{n} regions with fewer than {min} charged cases are not ranked.",
            small,
        ).format(n=i18n.integer(small), min=RANKED_MIN_N)
        if small
        else ""
    )
    found = extremes(ranked["median_days_to_verdict"].tolist())
    if found is None or found[0] == found[1]:
        return sentences(first, left_out)
    longest, shortest = found
    days = ranked["median_days_to_verdict"].tolist()
    names = [_region_label(r) for r in ranked.index]
    return sentences(
        first,
        _(
            "By region, the median is longest in {longest} ({longest_days}) and shortest in "
            "{shortest} ({shortest_days})."
        ).format(
            longest=names[longest],
            longest_days=_days(days[longest]),
            shortest=names[shortest],
            shortest_days=_days(days[shortest]),
        ),
        left_out,
    )


# ----------------------------------------------------------------------------------------------
# 4. Cooperation
# ----------------------------------------------------------------------------------------------


def _across(template: str) -> str:
    """A hover template written for rates up the y axis, for rates across the x axis (the
    placeholders are the same in every language)."""
    return template.replace("%{y:", "%{x:")


def _whole_days(days: float) -> int:
    """The number of days as shown (rounded), to choose the singular or the plural."""
    return round(float(days)) if pd.notna(days) else 0


def _days(days: float) -> str:
    """'200 days', '1 day': a number of days as text, rounded to the day."""
    return ngettext("{n} day", "{n} days", _whole_days(days)).format(n=i18n.decimal(days, 0))


def _n_label(n: int, weak: bool) -> str:
    return _("{n} low n").format(n=i18n.integer(n)) if weak else i18n.integer(n)


def cooperation_chart(outcomes: pd.DataFrame, source: str) -> Chart:
    """Prosecution and conviction rates without, with any, and by type of cooperation.

    `outcomes` is queries.justice.page_tables(...).cooperation. Under each group: n of each rate
    (cohort · charged with a court outcome), flagged 'low n' below 10.
    """
    n_labels = [
        [
            _n_label(int(n), bool(weak))
            for n, weak in zip(
                outcomes[f"{rate}_n"].tolist(),
                outcomes[f"{rate}_low_confidence"].tolist(),
                strict=True,
            )
        ]
        for rate in RATES
    ]
    labels = []
    for group, *parts in zip(outcomes["cooperation"].tolist(), *n_labels, strict=True):
        short = _COOPERATION_AXIS_LABELS.get(group)
        name = wrap(_(short) if short else cooperation_label(group), 18)
        labels.append(f"<b>{name}</b><br>n = {' · '.join(parts)}")
    traces = []
    for rate in RATES:
        colour, symbol = RATE_STYLE[rate]
        value = _percent(outcomes[f"{rate}_rate"])
        low = _percent(outcomes[f"{rate}_low"])
        high = _percent(outcomes[f"{rate}_high"])
        weak = outcomes[f"{rate}_low_confidence"].astype(bool).to_numpy()
        traces.append(
            {
                "type": "scatter",
                "x": value,
                "y": labels,
                "orientation": "h",  # the two rates side by side within a group's row
                "mode": "markers",
                "name": _(RATE_LABELS[rate]),
                "marker": {
                    "color": colour,
                    "size": 12,
                    "symbol": [f"{symbol}-open" if w else symbol for w in weak],
                    "line": {"width": 2, "color": colour},
                },
                "error_x": _error_bars(value, low, high) | {"color": colour},
                "customdata": np.column_stack([low, high, outcomes[f"{rate}_n"]]),
                "hovertemplate": _across(
                    fill(
                        _(
                            "%{y:.1f}% (95% CI %{customdata[0]:.1f}–%{customdata[1]:.1f}%, "
                            "n = %{customdata[2]:,})<extra>{rate}</extra>"
                        ),
                        rate=_(RATE_LABELS[rate]),
                    )
                ),
            }
        )
    shapes, notes = [], []
    groups = outcomes["cooperation"].tolist()
    if "any" in groups and len(groups) > groups.index("any") + 1:
        split = groups.index("any") + 0.5  # between 'any' and the types (category positions)
        shapes.append(
            {
                "type": "line",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": split,
                "y1": split,
                "line": {"dash": "dot", "color": "#999999", "width": 1},
            }
        )
        notes.append(
            {
                "x": 0,
                "y": split,
                "xref": "x domain",
                "yref": "y",
                "text": _("of which, by type ↓"),
                "showarrow": False,
                "xanchor": "left",
                "xshift": 2,
                "yanchor": "top",
                "font": {"size": 12, "color": "#555555"},
            }
        )
    layout = house_layout(
        _("Prosecution and conviction rates with and without cooperation (%)"),
        source,
        below_px=84,  # the tick labels and the axis title's two lines
        subtitle=_(
            "Association, not effect. n = cases old enough to judge a prosecution · charged cases "
            "with a court outcome; hollow: "
            "{low_n}"
        ).format(low_n=_low_n()),
        annotations=notes,
    )
    # Groups down the side, rates across: on a phone, names side by side would run together.
    layout["xaxis"] = {
        "title": {"text": wrap(_("Rate (%) with Wilson 95% interval"), 30)},
        "range": [0, 105],
        "ticksuffix": "%",
        "dtick": 25,
        "gridcolor": "#e5e5e5",
        "zeroline": False,
    }
    layout["yaxis"] |= {"autorange": "reversed", "tickfont": {"size": 12}, "showgrid": False}
    layout["margin"]["t"] += _LEGEND_ROW_PX
    margin = layout["margin"]
    layout["height"] = _GROUP_ROW_PX * len(labels) + margin["t"] + margin["b"]
    layout |= {
        "scattermode": "group",
        "showlegend": True,
        "legend": legend_under_heading(layout),
    }
    if shapes:
        layout["shapes"] = shapes
    columns = {_("Cooperation"): [cooperation_label(g) for g in outcomes["cooperation"]]}
    for rate in RATES:
        columns |= _rate_columns(outcomes, rate)
    data = pd.DataFrame(columns)
    return Chart(figure(traces, layout), data, _cooperation_summary(outcomes))


def _rate_text(value: object) -> str:
    """A rate (0-1) as a percentage, or '–' where nothing is counted."""
    number = pd.to_numeric(value, errors="coerce")
    return "–" if pd.isna(number) else i18n.percent(float(number), 1)


def _drawn_weak(frame: pd.DataFrame) -> int:
    """How many of the rates drawn (n > 0) are low confidence, both rates counted."""
    return sum(
        int(
            (
                frame[f"{rate}_low_confidence"].to_numpy().astype(bool)
                & (frame[f"{rate}_n"].to_numpy() > 0)
            ).sum()
        )
        for rate in RATES
    )


def _cooperation_summary(outcomes: pd.DataFrame) -> str:
    """Both rates with any cooperation beside without, the type with the highest of each, and
    how many rates rest on few cases."""
    if outcomes.empty:
        return _("No cases in the selection.")
    groups = outcomes["cooperation"].tolist()
    rates = {
        rate: pd.to_numeric(outcomes[f"{rate}_rate"], errors="coerce").tolist() for rate in RATES
    }
    parts = []
    if {"none", "any"} <= set(groups):
        with_, without = groups.index("any"), groups.index("none")
        parts.append(
            _(
                "With any cooperation, the prosecution rate is {prosecution_with} and the "
                "conviction rate {conviction_with}; without, {prosecution_without} and "
                "{conviction_without}."
            ).format(
                prosecution_with=_rate_text(rates["prosecution"][with_]),
                conviction_with=_rate_text(rates["conviction"][with_]),
                prosecution_without=_rate_text(rates["prosecution"][without]),
                conviction_without=_rate_text(rates["conviction"][without]),
            )
        )
    types = [i for i, g in enumerate(groups) if g not in ("none", "any", "not_recorded")]
    best = {}
    for rate in RATES:
        values = [rates[rate][i] for i in types]
        found = extremes(values)
        if found is not None and found[0] != found[1]:
            best[rate] = (cooperation_label(groups[types[found[0]]]), values[found[0]])
    if len(best) == len(RATES):
        parts.append(
            _(
                "Among the types of cooperation, the prosecution rate is highest for "
                "{prosecution_type} ({prosecution_rate}) and the conviction rate for "
                "{conviction_type} ({conviction_rate})."
            ).format(
                prosecution_type=best["prosecution"][0],
                prosecution_rate=_rate_text(best["prosecution"][1]),
                conviction_type=best["conviction"][0],
                conviction_rate=_rate_text(best["conviction"][1]),
            )
        )
    return sentences(*parts, low_confidence_sentence(_drawn_weak(outcomes)))


def cooperation_region_chart(by_region: pd.DataFrame, source: str) -> Chart:
    """Per region, both rates without vs with cooperation (one panel per rate).

    `by_region` is queries.justice.page_tables(...).cooperation_by_region; cases whose
    cooperation is not recorded are left out. Under each region: n without · n with, flagged
    'low n' below 10.
    """
    shown = by_region[by_region["cooperation"].isin(["none", "any"])]
    region_of, group_of = shown["region"].tolist(), shown["cooperation"].tolist()
    regions = list(dict.fromkeys(region_of))
    # each group's rows (positions in shown), read from whole columns
    in_group = {
        group: np.array([i for i, g in enumerate(group_of) if g == group], dtype=np.intp)
        for group in ("none", "any")
    }
    # One panel per rate, one above the other, regions down the side: on a phone, region names
    # side by side would run together.
    rows_px = _GROUP_ROW_PX * max(1, len(regions))
    gap_px = 70  # the upper panel's tick labels, then the lower one's title
    axes, title_notes, cells = subplot_grid(
        2,
        1,
        vertical_spacing=gap_px / (2 * rows_px + gap_px),
        shared_x=True,
        titles=[f"<b>{_(RATE_LABELS[r])}</b>" for r in RATES],
        title_size=14,
    )
    hover = _across(
        _(
            "%{y:.1f}% (95% CI %{customdata[0]:.1f}–%{customdata[1]:.1f}%, "
            "n = %{customdata[2]:,})<extra>%{fullData.name}</extra>"
        )
    )
    traces = []
    for row, (rate, (x, y)) in enumerate(zip(RATES, cells, strict=True), start=1):
        n_of = shown[f"{rate}_n"].to_numpy()
        counted: dict[tuple[str, str], int] = {}
        for key in zip(region_of, group_of, n_of.tolist(), strict=True):
            counted.setdefault(key[:2], int(key[2]))  # the first row of a pair, as drawn
        labels = []
        for region in regions:
            parts = []
            for group in ("none", "any"):
                n = counted.get((region, group), 0)
                parts.append(_n_label(n, n < LOW_CONFIDENCE_N))
            labels.append(f"<b>{_region_label(region)}</b><br>{' · '.join(parts)}")
        label_of = dict(zip(regions, labels, strict=True))
        values, lows, highs = (_percent(shown[f"{rate}_{c}"]) for c in ("rate", "low", "high"))
        weaks = shown[f"{rate}_low_confidence"].to_numpy().astype(bool)
        for group in ("none", "any"):
            part = in_group[group]
            part = part[n_of[part] > 0]
            colour, symbol = COOPERATION_STYLE[group]
            value, low, high, weak = values[part], lows[part], highs[part], weaks[part]
            traces.append(
                {
                    "type": "scatter",
                    "x": value,
                    "y": [label_of[region_of[i]] for i in part],
                    "orientation": "h",  # without and with side by side in a region's row
                    "mode": "markers",
                    "name": _("Without cooperation") if group == "none" else _("With cooperation"),
                    "legendgroup": group,
                    "showlegend": row == 1,
                    "marker": {
                        "color": colour,
                        "size": 11,
                        "symbol": [f"{symbol}-open" if w else symbol for w in weak],
                        "line": {"width": 2, "color": colour},
                    },
                    "error_x": _error_bars(value, low, high) | {"color": colour},
                    "customdata": np.column_stack([low, high, n_of[part]]),
                    "hovertemplate": hover,
                    "xaxis": x,
                    "yaxis": y,
                }
            )
        axes["yaxis" + y[1:]] |= {
            "categoryorder": "array",
            "categoryarray": labels,
            "autorange": "reversed",
            "tickfont": {"size": 11},
            "showgrid": False,
        }
        axes["xaxis" + x[1:]] |= {
            "range": [0, 105],
            "ticksuffix": "%",
            "dtick": 25,
            "showticklabels": True,  # each panel keeps its scale
            "gridcolor": "#e5e5e5",
            "zeroline": False,
        }
    axes["xaxis" + cells[-1][0][1:]]["title"] = {
        "text": wrap(_("Rate (%) with Wilson 95% interval"), 30)
    }
    layout = house_layout(
        _("Rates with and without cooperation, by region (%)"),
        source,
        below_px=84,  # the tick labels and the axis title's two lines
        subtitle=_(
            "Association, not effect. Under each region: n without · n with cooperation; "
            "hollow: {low_n}"
        ).format(low_n=_low_n()),
        annotations=title_notes,
    )
    layout["margin"]["t"] += _LEGEND_ROW_PX + 26  # the legend, then the upper panel's title
    margin = layout["margin"]
    layout["height"] = 2 * rows_px + gap_px + margin["t"] + margin["b"]
    layout |= axes | {
        "scattermode": "group",
        "showlegend": True,
        "legend": legend_under_heading(layout),
    }
    # The table: per region (as drawn), its row without cooperation, then with.
    rank = {region: i for i, region in enumerate(regions)}
    order = sorted(range(len(group_of)), key=lambda i: (rank[region_of[i]], group_of[i] == "any"))
    rows = shown.take(order)
    labels = [_region_label(region_of[i]) for i in order]
    # typed as the two groups' tables end to end were (an empty one makes the names 'object')
    if len(set(group_of)) == 1:
        labels = pd.Series(labels, dtype=object)
    columns = {
        _("Region"): labels,
        _("Cooperation"): pd.array([cooperation_label(group_of[i]) for i in order], dtype="str"),
    }
    for rate in RATES:
        columns |= _rate_columns(rows, rate)
    data = pd.DataFrame(columns)
    return Chart(figure(traces, layout), data, _cooperation_region_summary(shown))


def _cooperation_region_summary(shown: pd.DataFrame) -> str:
    """Per rate, in how many of the regions with cases both with and without cooperation the
    rate is higher with it, and how many rates rest on few cases."""
    if shown.empty:
        return _("No cases with a recorded cooperation in the selection.")
    parts = []
    region_of = shown["region"].tolist()
    for rate in RATES:
        # the first rate present per region and group, over the rows that count cases
        first: dict[tuple[str, str], float] = {}
        for key in zip(
            region_of,
            shown["cooperation"].tolist(),
            shown[f"{rate}_n"].tolist(),
            pd.to_numeric(shown[f"{rate}_rate"], errors="coerce").tolist(),
            strict=True,
        ):
            if key[2] > 0 and not pd.isna(key[3]):
                first.setdefault(key[:2], key[3])
        both = [
            (first[(region, "none")], first[(region, "any")])
            for region in dict.fromkeys(region_of)
            if (region, "none") in first and (region, "any") in first
        ]
        if not both:
            continue
        higher, regions = sum(with_ > without for without, with_ in both), len(both)
        if rate == "prosecution":
            text = ngettext(
                "The prosecution rate is higher with cooperation than without in {higher} of "
                "{n} region.",
                "The prosecution rate is higher with cooperation than without in {higher} of "
                "{n} regions.",
                regions,
            )
        else:
            text = ngettext(
                "The conviction rate is higher with cooperation than without in {higher} of "
                "{n} region.",
                "The conviction rate is higher with cooperation than without in {higher} of "
                "{n} regions.",
                regions,
            )
        parts.append(text.format(higher=i18n.integer(higher), n=i18n.integer(regions)))
    if not parts:
        parts.append(_("No region has cases counted both with and without cooperation."))
    return sentences(*parts, low_confidence_sentence(_drawn_weak(shown)))
