"""Program activities: the list, and one activity's indicators before and after it.

The indicators are those of the dashboard's metrics (DESIGN.md section 6), for the activity's
countries and, beside them, for the comparison group: the other countries of the same regions.
The change of the activity's countries minus the change of the comparison group is a
difference-in-differences: what changed there beyond what changed around them. It shows
association, not effect (crimjust_data/activities.py has the windows and the test).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crimjust_data import activities, i18n
from crimjust_data.activities import Window
from crimjust_data.countries import region_of
from crimjust_data.i18n import N_
from crimjust_data.metrics import Filters, wilson_interval
from crimjust_data.schemas import COLUMNS
from crimjust_data.store import Store

DEFAULT_WINDOW_MONTHS = 12
WINDOW_CHOICES = (3, 6, 12, 18, 24, 36)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # msgid: translated where shown
    kind: str  # 'per_month' (change in %), 'rate' (change in points) or 'days'
    table: str  # whose data range cuts its windows: 'seizures' or 'cases'


INDICATORS = (
    # per country and month: the comparison group has many more countries than an activity
    Indicator("kg", N_("Kg seized per country and month"), "per_month", "seizures"),
    Indicator("seizures", N_("Seizures per country and month"), "per_month", "seizures"),
    Indicator("cases", N_("Cases opened per country and month"), "per_month", "cases"),
    Indicator("prosecution", N_("Prosecution rate"), "rate", "cases"),
    Indicator("conviction", N_("Conviction rate"), "rate", "cases"),
    Indicator("verdict_days", N_("Median days to verdict"), "days", "cases"),
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
        row.activity_id: f"{i18n.date(pd.Timestamp(row.start_date).date())} · {row.title}"
        for row in listed.itertuples(index=False)
    }


def activities_in(
    store: Store,
    iso3s: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
    partners: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Activities touching any of `iso3s` (all when empty): what a timeline marks."""
    frame = activity_list(store, types, partners)
    if iso3s:
        wanted = set(iso3s)
        frame = frame[[bool(wanted.intersection(codes)) for codes in frame["countries"]]]
    return frame.reset_index(drop=True)


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


def starting_within(
    frame: pd.DataFrame, first_day: dt.date | None, last_day: dt.date | None
) -> pd.DataFrame:
    """The activities of `frame` that start from `first_day` to `last_day` (open ends: None)."""
    starts = pd.to_datetime(frame["start_date"])
    inside = pd.Series(True, index=frame.index)
    if first_day is not None:
        inside &= starts >= pd.Timestamp(first_day)
    if last_day is not None:
        inside &= starts <= pd.Timestamp(last_day)
    return frame[inside]


@dataclass(frozen=True)
class Measure:
    """One indicator for one group in one window: the value, its units for the test, and n."""

    value: float | None
    units: np.ndarray
    n: int  # months, cases or verdicts behind the value
    interval: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class IndicatorChange:
    indicator: Indicator
    before: Measure
    after: Measure
    comparison_before: Measure
    comparison_after: Measure
    p_value: float | None

    def _change(self, before: Measure, after: Measure) -> float | None:
        if self.indicator.kind == "per_month":
            return activities.relative_change(before.value, after.value)
        return activities.difference(before.value, after.value)

    @property
    def change(self) -> float | None:
        """% (as a fraction) for amounts per month, points (as a fraction) for rates, days."""
        return self._change(self.before, self.after)

    @property
    def comparison_change(self) -> float | None:
        return self._change(self.comparison_before, self.comparison_after)

    @property
    def difference_in_differences(self) -> float | None:
        if self.change is None or self.comparison_change is None:
            return None
        return self.change - self.comparison_change

    @property
    def thin(self) -> bool:
        """Too little data on either side to say much."""
        least = (
            activities.MIN_MONTHS if self.indicator.kind == "per_month" else activities.MIN_CASES
        )
        return min(self.before.n, self.after.n) < least


@dataclass(frozen=True)
class BeforeAfter:
    """One activity's before/after view (everything the page, the chart and the snapshot show)."""

    activity: dict[str, object]
    months: int
    countries: tuple[str, ...]
    comparison: tuple[str, ...]  # the other countries of the same regions
    seizure_windows: tuple[Window, Window]
    case_windows: tuple[Window, Window]
    changes: list[IndicatorChange]
    overlapping: pd.DataFrame  # other activities in the same countries inside the windows
    data_first: dict[str, dt.date | None] = field(default_factory=dict)
    data_last: dict[str, dt.date | None] = field(default_factory=dict)

    @property
    def no_data(self) -> bool:
        return all(w.empty for w in (*self.seizure_windows, *self.case_windows))


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


def _monthly(
    store: Store, rollup: str, columns: dict[str, str], codes: tuple[str, ...], window: Window
) -> dict[str, np.ndarray]:
    """Each column summed by month over `codes` in the window, months without rows as 0."""
    months = window.month_list()
    if not codes or not months:
        return {name: np.zeros(0) for name in columns}
    frame = store.query(
        f"SELECT month, {', '.join(f'sum({sql}) AS {name}' for name, sql in columns.items())} "
        f"FROM active_{rollup} WHERE country_iso3 {_in(codes)} AND month >= ? AND month <= ? "
        "GROUP BY month",
        [*codes, window.first, window.last],
    )
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    indexed = frame.set_index("month").reindex(months)
    return {name: pd.to_numeric(indexed[name]).fillna(0.0).to_numpy() for name in columns}


def _cases(store: Store, codes: tuple[str, ...], window: Window) -> pd.DataFrame:
    """The cases opened in the window in `codes`: flags and days to verdict, one row each."""
    if not codes or window.empty:
        return pd.DataFrame(columns=["charged", "final", "convicted", "cooperated", "verdict_days"])
    frame = store.query(
        "SELECT CAST(charged_date IS NOT NULL AS INTEGER) AS charged, "
        "CAST(outcome IN ('convicted', 'acquitted', 'dismissed') AS INTEGER) AS final, "
        "CAST(outcome = 'convicted' AS INTEGER) AS convicted, "
        "CAST(coalesce(cooperation, 'none') <> 'none' AS INTEGER) AS cooperated, "
        "CAST(verdict_date - opened_date AS INTEGER) AS verdict_days "
        f"FROM active_cases WHERE country_iso3 {_in(codes)} "
        "AND opened_date >= ? AND opened_date <= ?",
        [*codes, window.first, window.end_day],
    )
    return frame


def _measures(
    store: Store,
    codes: tuple[str, ...],
    seizure_window: Window,
    case_window: Window,
) -> dict[str, Measure]:
    seized = _monthly(
        store, "seizure_rollup", {"kg": "kg", "events": "events"}, codes, seizure_window
    )
    opened = _monthly(store, "case_rollup", {"opened": "opened"}, codes, case_window)
    cases = _cases(store, codes, case_window)

    def per_month(units: np.ndarray) -> Measure:
        units = units / max(1, len(codes))  # per country
        return Measure(float(units.mean()) if len(units) else None, units, len(units))

    def rate(units: np.ndarray) -> Measure:
        successes, n = int(units.sum()), len(units)
        return Measure(successes / n if n else None, units, n, wilson_interval(successes, n))

    charged = cases["charged"].to_numpy(dtype=float)
    final = cases["final"].to_numpy(dtype=bool)
    days = pd.to_numeric(cases["verdict_days"]).dropna().to_numpy(dtype=float)
    return {
        "kg": per_month(seized["kg"]),
        "seizures": per_month(seized["events"]),
        "cases": per_month(opened["opened"]),
        "prosecution": rate(charged),
        "conviction": rate(cases["convicted"].to_numpy(dtype=float)[final]),
        "verdict_days": Measure(float(np.median(days)) if len(days) else None, days, len(days)),
        "cooperation": rate(cases["cooperated"].to_numpy(dtype=float)),
    }


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
    comparison = comparison_countries(store, countries)
    sides = {}
    for name, codes in (("treated", countries), ("comparison", comparison)):
        sides[name] = [
            _measures(store, codes, seizure_window, case_window)
            for seizure_window, case_window in zip(seizure_windows, case_windows, strict=True)
        ]
    changes = []
    for indicator in INDICATORS:
        before, after = (side[indicator.key] for side in sides["treated"])
        statistic = activities.median if indicator.kind == "days" else None
        changes.append(
            IndicatorChange(
                indicator,
                before,
                after,
                sides["comparison"][0][indicator.key],
                sides["comparison"][1][indicator.key],
                activities.permutation_p(before.units, after.units, statistic),
            )
        )
    others = listed[listed["activity_id"] != activity_id]
    # boolean arrays, not lists: an empty list would select columns, not rows
    shared = np.array(
        [bool(set(countries).intersection(codes)) for codes in others["countries"]], dtype=bool
    )
    others = others[shared]
    inside = np.array(
        [
            any(
                activities.overlaps(window, _date(s) or start, _date(e))
                for window in (*seizure_windows, *case_windows)
            )
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
    )
