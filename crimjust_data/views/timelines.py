"""Timelines: kg seized and seizure events over time, spikes, and official totals per year."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

import pandas as pd

from crimjust_data import i18n, metrics, periods, view_state
from crimjust_data.figures import overview
from crimjust_data.figures import timelines as charts
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.metrics import Filters
from crimjust_data.queries import activities, timelines
from crimjust_data.views.parts import UNREAD, Choice, Context, Notice, Section, View
from crimjust_data.views.sources import data_sources, showing
from crimjust_data.vocabulary import BY_LABELS, DIMENSION_NOUNS, GRAIN_LABELS, MEASURE_LABELS

SEIZURES = "seizures_over_time"
# What the bars show, per period (dimension: vocabulary.DIMENSION_NOUNS, in words)
BARS_TEXT = {
    "month": N_(
        "Bars: each {dimension} stacked to the total for the month; periods without seizures "
        "count as 0."
    ),
    "quarter": N_(
        "Bars: each {dimension} stacked to the total for the quarter; periods without seizures "
        "count as 0."
    ),
    "year": N_(
        "Bars: each {dimension} stacked to the total for the year; periods without seizures "
        "count as 0."
    ),
}


def _periods(grain: str, n: int) -> str:
    """'4 quarters': a number of periods of `grain`, in words."""
    if grain == "month":
        text = ngettext("{n} month", "{n} months", n)
    elif grain == "quarter":
        text = ngettext("{n} quarter", "{n} quarters", n)
    else:
        text = ngettext("{n} year", "{n} years", n)
    return text.format(n=i18n.integer(n))


def timeline_caption(grain: str, by: str) -> str:
    """What the bars and the line of a timeline show, and the spike rule."""
    bars = _(BARS_TEXT[grain]).format(dimension=_(DIMENSION_NOUNS[by]))
    average = _("Line: {average}, drawn once {periods} are in view.").format(
        average=periods.rolling_text(grain),
        periods=_periods(grain, periods.ROLLING_PERIODS[grain]),
    )
    return f"{bars} {average} {periods.spike_rule_text(grain)}"


def _timeline_chart(
    line: timelines.Timeline, measure: str, source: str, marked: Any, title: str | None
) -> charts.Chart | None:
    return None if line.empty else charts.timeline_chart(line, measure, source, marked, title)


def timeline_section(
    grain: str,
    by: str,
    measure: str,
    source: str,
    *,
    line: Any = UNREAD,
    args: tuple[Any, ...] = (),
    marked: object = None,
    heading: str = "",
    caption: str = "",
    widget: str = "",
    file_name: str = "",
    half: bool = False,
    empty: str = "",
    title: str | None = None,
) -> Section:
    """One timeline chart: of `line`, or of queries.timelines.timeline(store, *args) read when
    drawn; nothing when it has no period with a seizure. `title`: see charts.timeline_chart."""
    return Section(
        f"timeline_{measure}_per_{grain}_by_{by}",
        heading,
        read=None if line is not UNREAD else timelines.timeline,
        args=args,
        numbers=line,
        build=functools.partial(
            _timeline_chart, measure=measure, source=source, marked=marked, title=title
        ),
        caption=caption,
        widget=widget,
        file_name=file_name,
        half=half,
        empty=empty,
    )


def activity_marks(page: str, help_text: str, at: str) -> Choice:
    """'Show activities' with their type and partner filters (ui.widgets.activity_controls,
    keys starting with `page`): the chosen (types, partners), or None when hidden."""
    return Choice(page, help_text, (), widget="activities", at=at)


def marked_section(key: str, marked: object) -> Section:
    """Under a timeline: the activities it marks, or that none matches (nothing when hidden)."""

    def build(frame: object) -> object:
        if frame is None:
            return None
        if frame.empty:
            return Notice(
                _("No program activity of these types and partners in the places and dates shown."),
                kind="caption",
            )
        return charts.activities_table(frame)

    return Section(
        f"{key}_activities_shown",
        numbers=marked,
        build=build,
        expander=(
            _("Program activities marked ({n})").format(n=0 if marked is None else len(marked)),
            ":material/event_note:",
        ),
        widget=f"{key}_activities_table",
    )


def view(ctx: Context, filters: Filters) -> View:
    freshness = ctx.read(metrics.data_freshness)
    caption = _(
        "How much cocaine is seized, and how often, over time; unusual spikes; and how much of "
        "the official UNODC yearly totals the loaded records cover."
    )
    page = View("timelines", _("Timelines"), f"{caption} {showing(view_state.describe(filters))}")
    grain = ctx.choose(
        Choice(
            "timelines_grain",
            _("Period"),
            timelines.GRAINS,
            param="grain",
            format=lambda code: _(GRAIN_LABELS[code]),
            widget="segmented",
            width=1,
        )
    )
    by = ctx.choose(
        Choice(
            "timelines_by",
            _("Split by"),
            timelines.DIMENSIONS,
            param="by",
            format=lambda code: _(BY_LABELS[code]).format(n=timelines.TOP_COUNTRIES),
            width=1,
        )
    )
    measure = ctx.choose(
        Choice(
            "timelines_measure",
            _("Show"),
            (*timelines.MEASURES, "both"),
            param="measure",
            format=lambda code: _(MEASURE_LABELS[code]),
            widget="segmented",
            width=1.4,
        )
    )
    line = ctx.read(timelines.timeline, filters, grain, by, timelines.TOP_COUNTRIES)
    source = data_sources(freshness, ("seizures",)).label
    chosen = ctx.choose(
        activity_marks(
            "timelines",
            _(
                "Mark each program activity of the countries shown at its start: a dotted line, "
                "and a diamond at the top that names it, its partner and its participants on "
                "hover."
            ),
            SEIZURES,
        )
    )
    marked = None
    if chosen is not None and not line.empty:
        marked = ctx.read(
            activities.activities_for, filters, line.first_day, line.last_day, *chosen
        )
    # the heading, where the activity controls go; the charts follow it
    sections = [
        Section(
            SEIZURES,
            _("Seizures over time"),
            numbers=None,
            empty=N_("seizures") if line.empty else "",
        )
    ]
    if not line.empty:
        shown = timelines.MEASURES if measure == "both" else (measure,)
        sections += [
            timeline_section(
                grain,
                by,
                one,
                source,
                line=line,
                marked=marked,
                caption=timeline_caption(grain, by) if one == shown[-1] else "",
                widget=f"timelines_chart_{one}",
                file_name=f"timeline_{one}_per_{grain}_by_{by}",
            )
            for one in shown
        ]
        sections.append(marked_section("timelines", marked))
        partial = timelines.partial_periods(line)
        if partial:
            named = (
                _("{first} and {last}").format(first=", ".join(partial[:-1]), last=partial[-1])
                if len(partial) > 1
                else partial[0]
            )
            notice = _(
                "Only partly covered by the dates in view ({start} to {end}): {periods}; a "
                "lower bar there is not necessarily a fall."
            ).format(start=line.first_day, end=line.last_day, periods=named)
            sections.append(Section("partial_periods", numbers=Notice(notice, kind="caption")))
    sections.append(_official(ctx, filters, freshness))
    return replace(page, sections=tuple(sections))


def _official(ctx: Context, filters: Filters, freshness: pd.DataFrame) -> Section:
    heading = _("Official UNODC totals and the loaded records, per year")
    if not ctx.read(timelines.official_loaded):
        return Section(
            "official_vs_events_by_year",
            heading,
            numbers=Notice(
                _(
                    "No official UNODC annual totals are loaded. Import a dataUNODC 'Drug "
                    "seizures' export with `python -m crimjust_data import <UNODC export>` to "
                    "compare them with the records."
                ),
                kind="caption",
            ),
        )
    source = data_sources(freshness, ("annual_seizures", "seizures")).label
    # synthetic events over real totals would be a share of nothing: the chart shows the method
    synthetic = data_sources(freshness, ("seizures",)).synthetic
    notes = " ".join(
        [
            ""
            if synthetic  # said before the chart
            else _(
                "Official country-year totals are compared with the yearly sums of the seizure "
                "events, never added to them. The label is the events as a share of the official "
                "figure, for the same places and cocaine forms; it can exceed 100% where the "
                "records include countries or seizures the official figure does not."
            ),
            *timelines.official_notes(filters),
        ]
    ).strip()
    return Section(
        "official_vs_events_by_year",
        heading,
        read=timelines.official_by_year,
        args=(filters,),
        build=lambda official: (
            None if official.empty else charts.official_chart(official, source, synthetic)
        ),
        intro=_(overview.DEMO_NOTE) if synthetic else "",
        caption=notes,
        empty=N_("official UNODC totals"),
        widget="timelines_official",
    )
