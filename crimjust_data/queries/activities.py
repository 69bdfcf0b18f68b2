"""Program activities: the list, and one activity's indicators before and after it.

The indicators are those of the dashboard's metrics (docs/METHODS.md), for the activity's
countries and, beside them, for the comparison group: the other countries of the same regions,
without those that had a program activity of their own inside the windows (or the activity's
own months). The change of the activity's countries beside the change of the comparison group is
a difference in differences: what changed there beyond what changed around them. It is a ratio
of ratios for amounts per month, in percentage points for rates and in days for the time to a
court outcome, and it is what is tested (crimjust_data/activities.py has the windows, the
result types and the test: in-time placebos, Holm's adjustment across the indicators). It shows
association, not effect.

Case outcomes are measured at one follow-up on both sides (FOLLOW_UP_MONTHS, the dashboard's
prosecution window): charged within it, a court outcome within it, days to that outcome counted
up to it (a restricted mean: the area under the Kaplan-Meier curve to that horizon, with no case
censored before it). Only cases opened at least that long before the data's end count.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from crimjust_data import activities, i18n, metrics
from crimjust_data.activities import (
    FOLLOW_UP_MONTHS,
    BeforeAfter,
    Indicator,
    IndicatorChange,
    Measure,
    Window,
    starting_within,
)
from crimjust_data.countries import region_of
from crimjust_data.i18n import N_
from crimjust_data.metrics import Filters, wilson_interval
from crimjust_data.schemas import COLUMNS
from crimjust_data.store import Store
from crimjust_data.store.ddl import COURT_OUTCOMES_SQL, charged_in_window
from crimjust_data.vocabulary import stored_text

DEFAULT_WINDOW_MONTHS = 12
WINDOW_CHOICES = (3, 6, 12, 18, 24, 36)
HORIZON_DAYS = round(FOLLOW_UP_MONTHS * 365.25 / 12)  # days to court outcome counted up to it


INDICATORS = (
    # per country and month: the comparison group has many more countries than an activity
    Indicator("kg", N_("Kg seized per country and month"), "per_month", "seizures"),
    Indicator("seizures", N_("Seizures per country and month"), "per_month", "seizures"),
    Indicator("cases", N_("Cases opened per country and month"), "per_month", "cases"),
    Indicator("prosecution", N_("Prosecution rate"), "rate", "cases", follow_up=True),
    Indicator("conviction", N_("Conviction rate"), "rate", "cases", follow_up=True),
    # a mean of days capped at the follow-up: a median is undefined when fewer than half of
    # the cases have an outcome by then
    Indicator("verdict_days", N_("Days to court outcome (restricted mean)"), "days", "cases", True),
    Indicator("cooperation", N_("Cooperation share"), "rate", "cases"),
)


def activity_list(
    store: Store, types: tuple[str, ...] = (), partners: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Active activities (optionally of some types and partners), oldest first; countries as
    lists of ISO3 codes."""
    where, params = ["TRUE"], []
    for column, values in (("type", types), ("partner", partners)):
        if values:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    frame = store.query(
        f"SELECT {', '.join(COLUMNS['activities'])} FROM active_activities "
        f"WHERE {' AND '.join(where)} ORDER BY start_date, activity_id",
        params,
    )
    frame["countries"] = [list(codes) for codes in frame["countries"]]
    return frame


def activity_labels(
    store: Store, types: tuple[str, ...] = (), partners: tuple[str, ...] = ()
) -> dict[str, str]:
    """Each activity's id and how a list names it ('30 Aug 2016 · title'), oldest first."""
    listed = activity_list(store, types, partners)
    return {
        row.activity_id: f"{i18n.date(pd.Timestamp(row.start_date).date())} · {stored_text(row.title)}"
        for row in listed.itertuples(index=False)
    }


def latest_complete(
    store: Store,
    months: int = DEFAULT_WINDOW_MONTHS,
    types: tuple[str, ...] = (),
    partners: tuple[str, ...] = (),
) -> str | None:
    """The id of the most recent activity (of these types and partners) whose windows of
    `months` are whole in the data, whose after window's cases are followed up long enough
    (activities.complete), and whose countries opened at least activities.MIN_CASES cases in
    each window (else its rates rest on a handful); None when no activity has all that."""
    listed = activity_list(store, types, partners)
    first, last = _data_range(store)
    cohort_last = metrics.cohort_end(metrics.data_end(store))
    opened = store.query(
        "SELECT country_iso3, month, sum(opened) AS opened FROM active_case_rollup GROUP BY 1, 2"
    )
    opened["month"] = pd.to_datetime(opened["month"]).dt.date
    for row in reversed(list(listed.itertuples(index=False))):
        start, end = _date(row.start_date), _date(row.end_date)
        assert start is not None  # required by the schema
        if not activities.complete(start, end, months, first, last, cohort_last):
            continue
        if first["cases"] is not None:
            mine = opened[opened["country_iso3"].isin(list(row.countries))]
            counts = [
                mine.loc[mine["month"].isin(window.month_list()), "opened"].sum()
                for window in activities.windows(start, end, months, first["cases"], last["cases"])
            ]
            if min(counts) < activities.MIN_CASES:
                continue
        return str(row.activity_id)
    return None


def activities_for(
    store: Store,
    filters: Filters,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    types: tuple[str, ...] = (),
    partners: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Activities a view marks on its time axis: touching a country of the view's places (a
    selected country, in a selected region; every activity when neither is selected) and
    starting from `first_day` to `last_day` (the span the timeline draws)."""
    frame = activity_list(store, types, partners)
    if filters.countries or filters.regions:
        # the sidebar's countries and regions combine as in every other query: both must hold
        def touches(codes: list[str]) -> bool:
            return any(
                (not filters.countries or code in filters.countries)
                and (not filters.regions or region_of(code) in filters.regions)
                for code in codes
            )

        # an array, not a list: an empty list would select no columns
        frame = frame[np.array([touches(codes) for codes in frame["countries"]], dtype=bool)]
    return starting_within(frame, first_day, last_day).reset_index(drop=True)


def _no_measure() -> Measure:
    return Measure(None, np.zeros(0), 0)


def _date(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _data_range(store: Store) -> tuple[dict[str, dt.date | None], dict[str, dt.date | None]]:
    frame = store.query(
        "SELECT min(first_day) AS s_first, max(last_day) AS s_last FROM active_seizure_rollup"
    )
    cases = store.query(
        "SELECT min(first_day) AS c_first, max(last_day) AS c_last FROM active_case_rollup"
    )
    first = {"seizures": _date(frame.iloc[0, 0]), "cases": _date(cases.iloc[0, 0])}
    last = {"seizures": _date(frame.iloc[0, 1]), "cases": _date(cases.iloc[0, 1])}
    return first, last


def _in(codes: tuple[str, ...]) -> str:
    return f"IN ({', '.join('?' for _ in codes)})"


def _months(first: dt.date | None, last: dt.date | None) -> list[dt.date]:
    """The whole months the data from `first` to `last` covers (the windows' months)."""
    if first is None or last is None:
        return []
    start = activities.first_whole_month(first)
    end = activities.add_months(activities.month_start(last + dt.timedelta(days=1)), -1)
    return [activities.add_months(start, i) for i in range(activities.months_between(start, end))]


# SQL of each monthly column of the case series. The outcomes are measured at the same
# follow-up on both sides: only cases opened FOLLOW_UP_MONTHS before the data's end count
# (the cohort), and only what happened within that time of opening.
_COHORT = "opened_date <= ?"
_DECIDED = (
    f"charged_date IS NOT NULL AND verdict_date IS NOT NULL AND outcome IN {COURT_OUTCOMES_SQL} "
    f"AND verdict_date <= opened_date + INTERVAL '{FOLLOW_UP_MONTHS} months'"
)
_CASE_COLUMNS = {
    "opened": "TRUE",
    "cohort": _COHORT,
    "charged": f"{_COHORT} AND {charged_in_window()}",
    "decided": f"{_COHORT} AND {charged_in_window()} AND {_DECIDED}",
    "convicted": f"{_COHORT} AND {charged_in_window()} AND {_DECIDED} AND outcome = 'convicted'",
    "cooperated": "coalesce(cooperation, 'none') <> 'none'",
}


def _series(
    store: Store,
    countries: tuple[str, ...],
    comparison: tuple[str, ...],
    seizure_months: list[dt.date],
    case_months: list[dt.date],
    cohort_last: dt.date | None,
) -> dict[str, dict[str, np.ndarray]]:
    """Each group's monthly numbers over the data's whole months ('treated', 'comparison'):
    seizures (kg, events) and cases (opened, the cohort, charged, decided, convicted, capped
    days to court outcome, cooperated), two queries for the whole history."""
    codes = (*countries, *comparison)
    cohort = cohort_last or dt.date(1, 1, 1)  # no case data: nothing in the cohort
    result: dict[str, dict[str, np.ndarray]] = {"treated": {}, "comparison": {}}
    group = f"CASE WHEN country_iso3 {_in(countries)} THEN 1 ELSE 0 END"
    flags = ", ".join(
        f"sum(CASE WHEN {sql} THEN 1 ELSE 0 END) AS {name}" for name, sql in _CASE_COLUMNS.items()
    )
    days = (
        f"sum(CASE WHEN {_CASE_COLUMNS['charged']} THEN (CASE WHEN {_DECIDED} THEN "
        f"least(verdict_date - opened_date, {HORIZON_DAYS}) ELSE {HORIZON_DAYS} END) ELSE 0 END) "
        "AS verdict_days"
    )
    cohort_params = [cohort] * (sum(_COHORT in sql for sql in _CASE_COLUMNS.values()) + 1)
    for months, sql, params, names in (
        (
            seizure_months,
            f"SELECT {group} AS treated, month, sum(kg) AS kg, sum(events) AS events "
            f"FROM active_seizure_rollup WHERE country_iso3 {_in(codes)} "
            "AND month >= ? AND month < ? GROUP BY 1, 2",
            [],
            ("kg", "events"),
        ),
        (
            case_months,
            f"SELECT {group} AS treated, CAST(date_trunc('month', opened_date) AS DATE) AS month, "
            f"{flags}, {days} FROM active_cases WHERE country_iso3 {_in(codes)} "
            "AND opened_date >= ? AND opened_date < ? GROUP BY 1, 2",
            cohort_params,
            (*_CASE_COLUMNS, "verdict_days"),
        ),
    ):
        for side in result.values():
            side.update({name: np.zeros(len(months)) for name in names})
        if not months:
            continue
        past = activities.add_months(months[-1], 1)
        # the placeholders' order: the group's countries, the columns' cohort dates, the rest
        frame = store.query(sql, [*countries, *params, *codes, months[0], past])
        frame["month"] = pd.to_datetime(frame["month"]).dt.date
        for flag, side in ((1, "treated"), (0, "comparison")):
            rows = frame[pd.to_numeric(frame["treated"]) == flag].set_index("month")
            rows = rows.reindex(months)
            for name in names:
                result[side][name] = pd.to_numeric(rows[name]).fillna(0.0).to_numpy(dtype=float)
    return result


# Each indicator's monthly (numerator, denominator) in a group's series.
_PARTS = {
    "kg": ("kg", None),
    "seizures": ("events", None),
    "cases": ("opened", None),
    "prosecution": ("charged", "cohort"),
    "conviction": ("convicted", "decided"),
    "verdict_days": ("verdict_days", "charged"),
    "cooperation": ("cooperated", "opened"),
}


def _parts(series: dict[str, np.ndarray], key: str) -> tuple[np.ndarray, np.ndarray]:
    numerator, denominator = _PARTS[key]
    values = series[numerator]
    return values, np.ones(len(values)) if denominator is None else series[denominator]


def _position(months: list[dt.date], window: Window) -> slice:
    if window.empty or not months:
        return slice(0, 0)
    first = activities.months_between(months[0], window.first) - 1
    return slice(first, first + window.months)


def _measure(
    indicator: Indicator, series: dict[str, np.ndarray], where: slice, countries: int
) -> Measure:
    """One group's value of `indicator` in the window at `where` of its monthly series."""
    if not countries:
        return _no_measure()
    numerator, denominator = (part[where] for part in _parts(series, indicator.key))
    if indicator.kind == "per_month":
        units = numerator / countries
        return Measure(float(units.mean()) if len(units) else None, units, len(units))
    n = int(denominator.sum())
    value = float(numerator.sum()) / n if n else None
    if indicator.kind == "rate":
        return Measure(value, numerator, n, wilson_interval(int(numerator.sum()), n))
    return Measure(value, numerator, n)


def _design(months: list[dt.date], windows: tuple[Window, Window]) -> activities.Design | None:
    """Where the windows sit in the monthly series (None when a window has no month)."""
    before, after = windows
    if before.empty or after.empty:
        return None
    start = _position(months, before).start
    gap = activities.months_between(before.last, after.first) - 2
    return activities.Design(start, before.months, gap, after.months)


def comparison_countries(store: Store, countries: tuple[str, ...]) -> tuple[str, ...]:
    """The other countries of the regions the activity's countries are in, that have data."""
    regions = sorted({region_of(code) for code in countries})
    frame = store.query(
        f"SELECT iso3 FROM ref_countries WHERE region {_in(tuple(regions))} "
        "AND iso3 IN (SELECT country_iso3 FROM active_seizure_rollup "
        "UNION SELECT country_iso3 FROM active_case_rollup) ORDER BY iso3",
        regions,
    )
    return tuple(code for code in frame["iso3"] if code not in countries)


def busy_countries(others: pd.DataFrame, first: dt.date, last_day: dt.date) -> set[str]:
    """The countries of the activities in `others` that fall from `first` to `last_day` (an
    activity without an end counts at its start date)."""
    busy: set[str] = set()
    for start, end, codes in zip(
        others["start_date"], others["end_date"], others["countries"], strict=True
    ):
        began = _date(start)
        if began is None:
            continue
        ended = _date(end)
        finished = ended if ended is not None and ended >= began else began
        if began <= last_day and finished >= first:
            busy.update(codes)
    return busy


def _span(windows: tuple[Window, ...]) -> tuple[dt.date, dt.date] | None:
    """From the first month of the windows with data to the last day of the last."""
    kept = [w for w in windows if not w.empty]
    if not kept:
        return None
    return min(w.first for w in kept), max(w.end_day for w in kept)


def before_after(
    store: Store, activity_id: str, months: int = DEFAULT_WINDOW_MONTHS
) -> BeforeAfter | None:
    """The before/after view of one active activity (None if there is no such activity)."""
    listed = activity_list(store)
    found = listed[listed["activity_id"] == activity_id]
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    start, end = _date(row["start_date"]), _date(row["end_date"])
    assert start is not None  # required by the schema
    countries = tuple(row["countries"])
    first, last = _data_range(store)
    seizure_windows = activities.windows(start, end, months, first["seizures"], last["seizures"])
    case_windows = activities.windows(start, end, months, first["cases"], last["cases"])
    all_windows = (*seizure_windows, *case_windows)
    others = listed[listed["activity_id"] != activity_id]
    regional = comparison_countries(store, countries)
    span = _span(all_windows)
    busy = busy_countries(others, *span) if span else set()
    excluded = tuple(code for code in regional if code in busy)
    comparison = tuple(code for code in regional if code not in busy)

    ended = metrics.data_end(store)
    cohort_last = metrics.cohort_end(ended)
    axis = {
        "seizures": _months(first["seizures"], last["seizures"]),
        "cases": _months(first["cases"], last["cases"]),
    }
    series = _series(store, countries, comparison, axis["seizures"], axis["cases"], cohort_last)
    sizes = {"treated": len(countries), "comparison": len(comparison)}
    changes = []
    for indicator in INDICATORS:
        month_axis = axis[indicator.table]
        windows = seizure_windows if indicator.table == "seizures" else case_windows
        where = [_position(month_axis, w) for w in windows]
        measures = {
            side: [_measure(indicator, series[side], place, sizes[side]) for place in where]
            for side in series
        }
        parts = {side: _parts(series[side], indicator.key) for side in series}
        design = _design(month_axis, windows)
        test = activities.DidTest(None, None, 0)
        if design is not None and comparison:
            test = activities.did_test(
                parts["treated"], parts["comparison"], design, indicator.kind == "per_month"
            )
        relative = indicator.kind == "per_month"
        trends = [
            activities.monthly_slope(parts[side][0][where[0]], parts[side][1][where[0]], relative)
            if sizes[side]
            else None
            for side in ("treated", "comparison")
        ]
        changes.append(
            IndicatorChange(
                indicator,
                *measures["treated"],
                *measures["comparison"],
                p_value=test.p_value,
                placebos=test.placebos,
                pre_trend=trends[0],
                comparison_pre_trend=trends[1],
            )
        )
    adjusted = activities.holm([change.p_value for change in changes])
    changes = [
        dataclasses.replace(change, p_adjusted=p)
        for change, p in zip(changes, adjusted, strict=True)
    ]
    too_recent = 0
    for side in series:
        opened, cohort = series[side]["opened"], series[side]["cohort"]
        for place in (_position(axis["cases"], w) for w in case_windows):
            too_recent += int(opened[place].sum() - cohort[place].sum())

    # boolean arrays, not lists: an empty list would select columns, not rows
    shared = np.array(
        [bool(set(countries).intersection(codes)) for codes in others["countries"]], dtype=bool
    )
    others = others[shared]
    inside = np.array(
        [
            any(activities.overlaps(window, _date(s) or start, _date(e)) for window in all_windows)
            for s, e in zip(others["start_date"], others["end_date"], strict=True)
        ],
        dtype=bool,
    )
    return BeforeAfter(
        activity=row,
        months=months,
        countries=countries,
        comparison=comparison,
        seizure_windows=seizure_windows,
        case_windows=case_windows,
        changes=changes,
        overlapping=others[inside].reset_index(drop=True),
        data_first=first,
        data_last=last,
        excluded=excluded,
        follow_up_months=FOLLOW_UP_MONTHS,
        data_end=ended,
        too_recent=too_recent,
    )
