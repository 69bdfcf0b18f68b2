"""Program activities: the before/after chart and table of one activity, and activity markers
for time axes. Shared by the activity page, the timelines, the country profile and snapshots."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from crimjust_data import i18n
from crimjust_data.activities import BeforeAfter, IndicatorChange, Measure
from crimjust_data.countries import country_name
from crimjust_data.figures import (
    Chart,
    category_axis,
    figure,
    fill,
    house_layout,
    sentences,
    subplot_grid,
)
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.vocabulary import SIDE_LABELS, partner_label, stored_text, type_label

BEFORE_COLOUR = "#999999"
AFTER_COLOUR = "#0072B2"
# Program activity marks: a diamond in wine (Tol), apart from the black downward triangle of a
# spike and from every series colour, so the two are told apart by shape and by colour.
MARKER_COLOUR = "#882255"
MARKER_SYMBOL = "diamond"

# Said wherever a before/after is shown (the page and the snapshot), word for word.
ASSOCIATION = N_(
    "Association, not proof of effect: other events, other activities and chance also move "
    "these numbers. A change that the comparison group shares is not the activity's; a "
    "difference larger than chance (Holm-adjusted p < 0.05) is still not proof that the "
    "activity caused it."
)


def comparison_note(result: BeforeAfter) -> str | None:
    """Why there is no comparison group, or which countries were left out of it (None when
    every other country of the regions is in it)."""
    if result.no_comparison_reason:
        return result.no_comparison_reason
    if not result.excluded:
        return None
    return ngettext(
        "{n} country of these regions is left out of the comparison group: it has a program "
        "activity of its own inside the windows ({countries}).",
        "{n} countries of these regions are left out of the comparison group: they have a "
        "program activity of their own inside the windows ({countries}).",
        len(result.excluded),
    ).format(
        n=len(result.excluded),
        countries=", ".join(country_name(code) for code in result.excluded),
    )


def overlap_note(result: BeforeAfter) -> str | None:
    """That other activities fall inside the windows, when some do."""
    count = len(result.overlapping)
    if not count:
        return None
    return ngettext(
        "{n} other activity in these countries falls inside the windows: its effects and "
        "this one's cannot be told apart.",
        "{n} other activities in these countries fall inside the windows: their effects "
        "and this one's cannot be told apart.",
        count,
    ).format(n=count)


def _day(value: object) -> str:
    return i18n.date(pd.Timestamp(value).date())


def dates_text(activity: Mapping[str, Any]) -> str:
    """'30 Aug 2016' or '1 Mar 2019 – 5 Mar 2019'."""
    end = activity.get("end_date")
    if end is None or pd.isna(end) or pd.Timestamp(end) == pd.Timestamp(activity["start_date"]):
        return _day(activity["start_date"])
    return f"{_day(activity['start_date'])} – {_day(end)}"


def participants_text(activity: Mapping[str, Any]) -> str:
    people = activity.get("participants")
    if people is None or pd.isna(people):
        return _("participants not recorded")
    return _("{n} participants").format(n=i18n.integer(int(people)))


# What is said of an activity, in this order; the first six name it in a line (snapshots).
FACTS = (
    N_("title"),
    N_("type"),
    N_("partner"),
    N_("dates"),
    N_("countries"),
    N_("participants"),
    N_("notes"),
    N_("source"),
)


def activity_facts(result: BeforeAfter) -> list[str]:
    """The activity's facts as text, in the order of FACTS (uploaded text kept as typed)."""
    activity = result.activity
    notes = activity.get("notes")
    return [
        stored_text(activity["title"]),
        type_label(str(activity["type"])),
        partner_label(str(activity["partner"])),
        dates_text(activity),
        ", ".join(country_name(code) for code in result.countries),
        participants_text(activity),
        "" if notes is None or pd.isna(notes) else stored_text(notes),
        stored_text(activity["source"]),
    ]


def details_table(result: BeforeAfter) -> pd.DataFrame:
    """The activity's facts as a two-column table (field, value)."""
    return pd.DataFrame(
        {_("field"): [_(name) for name in FACTS], _("value"): activity_facts(result)}
    )


def window_notes(result: BeforeAfter) -> list[str]:
    """What limits the windows: the data starting or ending inside them."""
    notes = []
    for windows, what in (
        (result.seizure_windows, N_("seizures")),
        (result.case_windows, N_("cases")),
    ):
        for window in windows:
            if window.empty:
                notes.append(
                    _("No month of {what} data {side} this activity.").format(
                        what=_(what), side=_(SIDE_LABELS[window.side])
                    )
                )
            elif window.cut:
                notes.append(
                    _(
                        "The {what} data covers {months} of the {wanted} months {side} this "
                        "activity: that window is shorter."
                    ).format(
                        what=_(what),
                        months=window.months,
                        wanted=window.wanted_months,
                        side=_(SIDE_LABELS[window.side]),
                    )
                )
    return notes


def overlapping_table(result: BeforeAfter) -> pd.DataFrame:
    """The other activities inside the windows, as the page lists them."""
    frame = result.overlapping
    return pd.DataFrame(
        {
            _("dates"): [dates_text(row) for row in frame.to_dict("records")],
            _("title"): [stored_text(title) for title in frame["title"]],
            _("type"): [type_label(code) for code in frame["type"]],
            _("countries"): [", ".join(codes) for codes in frame["countries"]],
        }
    )


def method_note(result: BeforeAfter) -> str:
    """How the numbers were made and tested, under the table."""
    follow_up = result.follow_up_months
    parts = [
        _("Windows are whole calendar months; the activity's own months are in neither."),
        ngettext(
            "The comparison group is the other country of the same regions with data and no "
            "program activity of its own inside the windows.",
            "The comparison group is the other {n} countries of the same regions with data and "
            "no program activity of their own inside the windows.",
            len(result.comparison),
        ).format(n=len(result.comparison))
        if result.comparison
        else "",
        _(
            "The difference in differences is a ratio of ratios for amounts per month: (after "
            "÷ before here) ÷ (after ÷ before in the comparison group), ×1.00 for no "
            "difference; for rates it is in percentage points, for the time to a court "
            "outcome in days."
        ),
        _(
            "It is tested against the same difference at every other start date of these "
            "countries' history whose windows leave out this activity (in-time placebos, "
            "Abadie, Diamond & Hainmueller 2010), a test that holds for autocorrelated, "
            "trending monthly series (Bertrand, Duflo & Mullainathan 2004); the p-values of "
            "the indicators are adjusted for testing several with Holm's method (1979)."
        ),
        _(
            "Case outcomes are measured {months} months after opening on both sides: charged "
            "within {months} months, a court outcome within {months} months, and the days to "
            "it counted up to {months} months (a restricted mean). Only cases opened at least "
            "{months} months before the data's end ({end}) count."
        ).format(
            months=follow_up,
            end=i18n.date(result.data_end) if result.data_end else "–",
        ),
        ngettext(
            "{n} case of the windows is too recent for that and left out of those rates.",
            "{n} cases of the windows are too recent for that and left out of those rates.",
            result.too_recent,
        ).format(n=i18n.integer(result.too_recent)),
    ]
    return sentences(*parts)


def _value_text(change: IndicatorChange, measure: Measure) -> str:
    if measure.value is None:
        return "–"
    if change.indicator.kind == "rate":
        return i18n.percent(measure.value, 1)
    if change.indicator.key == "kg":
        return i18n.decimal(measure.value, 1)
    return i18n.decimal(measure.value, 1 if change.indicator.kind == "per_month" else 0)


def _change_text(change: IndicatorChange, value: float | None) -> str:
    if value is None:
        return "–"
    sign = "+" if value >= 0 else "−"
    if change.indicator.kind == "per_month":
        return sign + i18n.percent(abs(value), 0)
    if change.indicator.kind == "rate":
        return _("{sign}{points} points").format(
            sign=sign, points=i18n.decimal(abs(value) * 100, 1)
        )
    return _("{sign}{days} days").format(sign=sign, days=i18n.integer(round(abs(value))))


def did_text(change: IndicatorChange) -> str:
    """The difference in differences in its unit: '×1.23 (ratio of ratios)', '+4.0 points',
    '−12 days'; '–' when it is not computed."""
    value = change.difference_in_differences
    if value is None:
        return "–"
    if change.kind == "ratio":
        return _("×{ratio} (ratio of ratios)").format(ratio=i18n.decimal(value, 2))
    sign = "+" if value >= 0 else "−"
    if change.kind == "points":
        return _("{sign}{points} points").format(sign=sign, points=i18n.decimal(abs(value), 1))
    return _("{sign}{days} days").format(sign=sign, days=i18n.integer(round(abs(value))))


def _p_text(p: float | None) -> str:
    if p is None:
        return "–"
    return "< 0.001" if p < 0.001 else i18n.decimal(p, 3)


def change_table(result: BeforeAfter) -> pd.DataFrame:
    """One row per indicator, as the page and the snapshot show it (text in the language)."""
    rows = []
    for change in result.changes:
        rows.append(
            {
                _("indicator"): _(change.indicator.label),
                _("before"): _value_text(change, change.before),
                _("after"): _value_text(change, change.after),
                _("change"): _change_text(change, change.change),
                _("comparison change"): _change_text(change, change.comparison_change),
                _("difference in differences"): did_text(change),
                _("p-value (placebo dates)"): _p_text(change.p_value),
                _("p-value, Holm-adjusted"): _p_text(change.p_adjusted),
                _("n before / after"): f"{change.before.n} / {change.after.n}",
                _("note"): _("too little data") if change.thin else "",
            }
        )
    return pd.DataFrame(rows)


def _trend_text(change: IndicatorChange, value: float | None) -> str:
    if value is None:
        return "–"
    # shown to 0.1%, 0.01 points or 0.1 day: what rounds to zero has no sign
    shown = {"per_month": round(value, 3), "rate": round(value, 4)}.get(
        change.indicator.kind, round(value, 1)
    )
    sign = "−" if shown < 0 else "+"
    if change.indicator.kind == "per_month":
        return _("{sign}{percent} a month").format(sign=sign, percent=i18n.percent(abs(value), 1))
    if change.indicator.kind == "rate":
        return _("{sign}{points} points a month").format(
            sign=sign, points=i18n.decimal(abs(value) * 100, 2)
        )
    return _("{sign}{days} days a month").format(sign=sign, days=i18n.decimal(abs(value), 1))


def pretrend_table(result: BeforeAfter) -> pd.DataFrame:
    """Each group's trend in the before window (least-squares slope a month; for amounts as a
    share of the window's mean): a difference in differences assumes the two would have moved
    alike, so trends that already part before the activity weaken it."""
    return pd.DataFrame(
        {
            _("indicator"): [_(c.indicator.label) for c in result.changes],
            _("trend before: activity countries"): [
                _trend_text(c, c.pre_trend) for c in result.changes
            ],
            _("trend before: comparison group"): [
                _trend_text(c, c.comparison_pre_trend) for c in result.changes
            ],
        }
    )


def _chart_data(result: BeforeAfter) -> pd.DataFrame:
    """The numbers the chart draws, one row per indicator, group and window."""
    rows = []
    for change in result.changes:
        for group, before, after in (
            (_("activity countries"), change.before, change.after),
            (_("comparison group"), change.comparison_before, change.comparison_after),
        ):
            for window, measure in ((_("before"), before), (_("after"), after)):
                low, high = measure.interval
                rows.append(
                    {
                        _("indicator"): _(change.indicator.label),
                        _("group"): group,
                        _("window"): window,
                        _("value"): measure.value,
                        _("95% CI low"): low,
                        _("95% CI high"): high,
                        _("n"): measure.n,
                    }
                )
    return pd.DataFrame(rows)


def window_text(result: BeforeAfter) -> str:
    """'Before: Aug 2025 – Jul 2026 (12 months); after: …' for the seizure windows."""
    before, after = result.seizure_windows
    parts = []
    for label, window in ((SIDE_LABELS["before"], before), (SIDE_LABELS["after"], after)):
        if window.empty:
            parts.append(_("{side}: no data").format(side=_(label)))
        else:
            parts.append(
                _("{side}: {first} – {last} ({months} of {wanted} months)").format(
                    side=_(label),
                    first=_month(window.first),
                    last=_month(window.last),
                    months=window.months,
                    wanted=window.wanted_months,
                )
            )
    return "; ".join(parts)


def _month(day: Any) -> str:
    from babel.dates import format_date

    return format_date(day, format="MMM y", locale=i18n.current())


def before_after_chart(result: BeforeAfter, source: str) -> Chart:
    """Small multiples, one per indicator: before and after bars for the activity's countries
    and for the comparison group, rates with their 95% intervals."""
    changes = result.changes
    cols = 4
    rows = (len(changes) + cols - 1) // cols
    titles = [_(c.indicator.label) for c in changes]
    axes, title_notes, cells = subplot_grid(
        rows, cols, horizontal_spacing=0.06, vertical_spacing=0.22, titles=titles, title_size=13
    )
    groups = [_("activity countries"), _("comparison group")]
    traces: list[dict[str, Any]] = []
    for index, change in enumerate(changes):
        x_axis, y_axis = cells[index]
        scale = 100.0 if change.indicator.kind == "rate" else 1.0
        for window, colour, measures in (
            (_("before"), BEFORE_COLOUR, (change.before, change.comparison_before)),
            (_("after"), AFTER_COLOUR, (change.after, change.comparison_after)),
        ):
            values = [None if m.value is None else m.value * scale for m in measures]
            trace: dict[str, Any] = {
                "type": "bar",
                "x": groups,
                "y": values,
                "name": window,
                "legendgroup": window,
                "showlegend": index == 0,
                "marker": {"color": colour},
                "xaxis": x_axis,
                "yaxis": y_axis,
                "hovertemplate": fill(
                    _("%{x}, {window}: %{y:,.1f}<extra>{indicator}</extra>"),
                    window=window,
                    indicator=html.escape(_(change.indicator.label)),
                ),
            }
            if change.indicator.kind == "rate":
                lows = [m.interval[0] for m in measures]
                highs = [m.interval[1] for m in measures]
                trace["error_y"] = {
                    "type": "data",
                    "symmetric": False,
                    "array": [
                        None if v is None or h is None else h * 100 - v
                        for v, h in zip(values, highs, strict=True)
                    ],
                    "arrayminus": [
                        None if v is None or lo is None else v - lo * 100
                        for v, lo in zip(values, lows, strict=True)
                    ],
                    "color": "#333",
                    "thickness": 1,
                    "width": 3,
                }
            traces.append(trace)
        axes["yaxis" + y_axis[1:]]["rangemode"] = "tozero"
        axes["xaxis" + x_axis[1:]] |= category_axis(groups)
        if change.indicator.kind == "rate":
            axes["yaxis" + y_axis[1:]]["ticksuffix"] = "%"
    title = _("Before and after: {title}").format(
        title=html.escape(stored_text(result.activity["title"]))
    )
    layout = house_layout(
        title,
        source,
        height=300 * rows + 140,
        below_px=60,
        subtitle=html.escape(window_text(result)),
    )
    layout |= axes
    layout["annotations"] = [*title_notes, *layout["annotations"]]
    layout["barmode"] = "group"
    layout["showlegend"] = True
    # in the grid's empty cell when there is one, else above the plots at the right
    layout["legend"] = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.12}
    if len(changes) < len(cells):
        free_x, free_y = cells[len(changes)]
        x_domain = axes["xaxis" + free_x[1:]]["domain"]
        y_domain = axes["yaxis" + free_y[1:]]["domain"]
        layout["legend"] = {
            "orientation": "v",
            "x": sum(x_domain) / 2,
            "xanchor": "center",
            "y": sum(y_domain) / 2,
            "yanchor": "middle",
            "font": {"size": 14},
        }
    layout["margin"]["t"] = 120
    return Chart(figure(traces, layout), _chart_data(result), _summary(result))


def _summary(result: BeforeAfter) -> str:
    """The differences in differences that stay unusual after Holm's adjustment, in words."""
    if result.no_data:
        return _("There is no data in the windows around this activity.")
    if result.no_comparison_reason:
        return result.no_comparison_reason
    notable = [
        _("{indicator}: {difference} (adjusted p = {p})").format(
            indicator=_(c.indicator.label), difference=did_text(c), p=_p_text(c.p_adjusted)
        )
        for c in result.changes
        if c.notable
    ]
    if not notable:
        return _(
            "No indicator changed here beyond the comparison group by more than chance alone "
            "would often give (difference in differences, Holm-adjusted p < 0.05)."
        )
    return sentences(
        _(
            "Differences from the comparison group larger than chance alone would often "
            "give: {changes}."
        ).format(changes="; ".join(notable))
    )


def activity_markers(
    activities: pd.DataFrame, x_axis: str = "x", y_axis: str = "y", overlay: str = "y99"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Activity marks on a time axis: a dotted line at each start (shapes), and a hover point
    per activity at the top of the plot saying what it was (a diamond, with a legend entry). The points sit on `overlay`, a
    hidden y axis over `y_axis` from 0 to 1, so they stay at the top whatever the data's scale.
    Returns (shapes, traces, layout axes to add); all empty without activities."""
    if activities.empty:
        return [], [], {}
    starts = list(pd.to_datetime(activities["start_date"]))
    shapes = [
        {
            "type": "line",
            "x0": start,
            "x1": start,
            "xref": x_axis,
            "y0": 0,
            "y1": 1,
            "yref": f"{y_axis} domain",
            "line": {"color": MARKER_COLOUR, "width": 1, "dash": "dot"},
            "layer": "below",
        }
        for start in starts
    ]
    texts = []
    for row in activities.to_dict("records"):
        lines = [
            stored_text(row["title"]),
            f"{type_label(row['type'])} · {partner_label(row['partner'])}",
            participants_text(row),
            dates_text(row),
        ]
        # uploaded text: shown as text, never markup
        texts.append("<br>".join(html.escape(line) for line in lines))
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": starts,
        "y": [0.97] * len(starts),
        "xaxis": x_axis,
        "yaxis": overlay,
        "marker": {
            "symbol": MARKER_SYMBOL,
            "size": 11,
            "color": MARKER_COLOUR,
            "line": {"color": "white", "width": 1},
        },
        "name": _("Program activity (start)"),
        "text": texts,
        "hovertemplate": "%{text}<extra></extra>",
        "showlegend": True,  # the legend says what a diamond is: never read as a spike
    }
    axis = {
        "overlaying": y_axis,
        "anchor": x_axis,
        "range": [0, 1],
        "visible": False,
        "fixedrange": True,
    }
    return shapes, [trace], {"yaxis" + overlay[1:]: axis}
