"""The metrics of docs/METHODS.md, one definition each, computed in SQL over the store.

Case data is right-censored: recent cases have not had time to be charged or judged. Each case
metric says how it handles that. The data's end (`data_end`) is the latest opening, charge or
verdict date of the active cases (all of them, whatever the filters).

- seized_kg: sum of quantity_kg (the canonical tables hold cocaine forms only).
- prosecution rate: cases charged within PROSECUTION_WINDOW_MONTHS (12) of opening / cases
  opened at least that long before the data's end (the cohort). Younger cases are 'too recent
  to judge', never a low rate: they are counted apart (`too_recent`).
- conviction rate: convicted / charged cases with a court outcome (convicted, acquitted,
  dismissed after a charge). A case closed before any charge is its own stage of the funnel.
- funnel: opened; closed before charge; charged; court outcome (of the charged); convicted. Its
  counts are the rates' n: court outcome is the conviction rate's n.
- time to verdict: Kaplan-Meier median of days from opening to court outcome over charged cases,
  pending ones censored at the data's end (crimjust_data/survival.py), with a 95% interval and
  the number still pending.
Every rate carries n and a Wilson 95% interval, is low-confidence below n = 10, and no summary
names a place with n < RANKED_MIN_N (30) as highest or lowest (UNODC's attrition statistics
compare stages over one cohort of cases: UNODC, 'Criminal justice statistics: attrition', and
the International Classification of Crime for Statistical Purposes).

Filters on drug and conveyance reach cases through the seizure a case is linked to; cases with
no linked seizure are left out while such a filter is set.

Sums and counts come from the rollups kept at load time (store/ddl.py) for whole months, and
from the raw rows only for the part of a month a period cuts (`seizure_facts`, `case_facts`):
the same numbers, read from a few ten thousand rows instead of a million.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crimjust_data import survival
from crimjust_data.countries import REGIONS
from crimjust_data.store import Store
from crimjust_data.store.ddl import (
    COURT_OUTCOMES_SQL,
    PROSECUTION_WINDOW_MONTHS,
    ROLLUP_TYPES,
    charged_in_window,
    last_event,
)
from crimjust_data.survival import TimeToVerdict

LOW_CONFIDENCE_N = 10
# No summary names a place with fewer cases than this as highest or lowest (docs/METHODS.md).
RANKED_MIN_N = 30
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Filters:
    """What the user selected. Hashable, so it can key a cache; empty tuple = no restriction."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    conveyances: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def restricts_seizure_attributes(self) -> bool:
        return bool(self.drugs or self.conveyances)


@dataclass(frozen=True)
class Rate:
    """A proportion with its sample size and Wilson 95% interval."""

    successes: int
    n: int

    @property
    def value(self) -> float | None:
        return self.successes / self.n if self.n else None

    @property
    def interval(self) -> tuple[float | None, float | None]:
        return wilson_interval(self.successes, self.n)

    @property
    def low_confidence(self) -> bool:
        return self.n < LOW_CONFIDENCE_N


def wilson_bounds(
    successes: ArrayLike, n: ArrayLike, z: float = Z_95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of successes/n, element-wise over whole columns: (low, high),
    NaN where n is 0. ValueError unless 0 <= successes <= n everywhere."""
    successes = np.asarray(successes).astype("int64")
    n = np.asarray(n).astype("int64")
    invalid = (n < 0) | (successes < 0) | (successes > n)
    if invalid.any():
        bad = np.argmax(invalid)
        raise ValueError(f"need 0 <= successes <= n, got {successes.flat[bad]}/{n.flat[bad]}")
    with np.errstate(divide="ignore", invalid="ignore"):  # n = 0: NaN, set below
        p = successes / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low, high = centre - half, centre + half
    counted = n > 0
    low = np.where(counted, np.where(low < 0.0, 0.0, low), np.nan)
    return low, np.where(counted, np.where(high < 1.0, high, 1.0), np.nan)


def wilson_interval(successes: int, n: int) -> tuple[float | None, float | None]:
    """wilson_bounds of one rate, as numbers; (None, None) when n is 0."""
    low, high = wilson_bounds(successes, n)
    return (None, None) if n == 0 else (float(low), float(high))


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the home page, for the current filters."""

    seized_kg: float
    seizure_events: int
    cases_opened: int
    prosecution: Rate  # charged within the window / the cohort old enough to judge
    conviction: Rate  # convicted / charged cases with a court outcome
    time_to_verdict: TimeToVerdict = survival.NO_CASES
    data_end: dt.date | None = None
    too_recent: int = 0  # cases opened less than the window before the data's end


def cohort_end(end: dt.date | None) -> dt.date | None:
    """The last opening date whose case has been followed for the whole prosecution window."""
    if end is None:
        return None
    return (pd.Timestamp(end) - pd.DateOffset(months=PROSECUTION_WINDOW_MONTHS)).date()


def data_end(store: Store) -> dt.date | None:
    """The latest opening, charge or verdict date of the active cases (None without cases)."""
    value = store.query("SELECT max(last_event) AS day FROM active_case_rollup").iloc[0, 0]
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _where(
    filters: Filters, date_column: str | None, columns: dict[str, str]
) -> tuple[str, list[object]]:
    """A SQL WHERE clause (with ? parameters) for `filters`.

    `columns` maps a Filters field (regions, countries, drugs, conveyances, sources) to the SQL
    column it restricts; fields not mapped do not apply to that table.
    """
    clauses: list[str] = ["TRUE"]
    params: list[object] = []
    if date_column and filters.date_from:
        clauses.append(f"{date_column} >= ?")
        params.append(filters.date_from)
    if date_column and filters.date_to:
        clauses.append(f"{date_column} <= ?")
        params.append(filters.date_to)
    for field_name, column in columns.items():
        values = getattr(filters, field_name)
        if values:
            clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    return " AND ".join(clauses), params


def seizure_where(filters: Filters) -> tuple[str, list[object]]:
    """Over active_seizures s joined to ref_countries c."""
    return _where(
        filters,
        "s.date",
        {
            "regions": "c.region",
            "countries": "s.country_iso3",
            "drugs": "s.drug",
            "conveyances": "s.conveyance",
            "sources": "s.source",
        },
    )


def case_where(filters: Filters) -> tuple[str, list[object]]:
    """Over active_cases k, ref_countries c and the linked seizure s (LEFT JOIN)."""
    return _where(
        filters,
        "k.opened_date",
        {
            "regions": "c.region",
            "countries": "k.country_iso3",
            "drugs": "s.drug",
            "conveyances": "s.conveyance",
            "sources": "k.source",
        },
    )


def annual_where(filters: Filters) -> tuple[str, list[object]]:
    """Over active_annual_seizures a joined to ref_countries c: places, drugs and whole years.

    Official totals have no conveyance and no date finer than the year: a period filter keeps
    every year it touches, and conveyance and source filters do not apply.
    """
    where, params = _where(
        filters, None, {"regions": "c.region", "countries": "a.country_iso3", "drugs": "a.drug"}
    )
    for bound, operator in ((filters.date_from, ">="), (filters.date_to, "<=")):
        if bound:
            where += f" AND a.year {operator} ?"
            params.append(bound.year)
    return where, params


SEIZURES_FROM = "active_seizures s JOIN ref_countries c ON c.iso3 = s.country_iso3"
_CASES_ONLY = "active_cases k JOIN ref_countries c ON c.iso3 = k.country_iso3"
_LINKED_SEIZURE = " LEFT JOIN active_seizures s ON s.seizure_id = k.seizure_id"


def cases_from(filters: Filters) -> str:
    """Cases (k) with their country (c), and their linked seizure (s) only when a drug or
    conveyance filter needs it: that join is most of the cost of a case query."""
    return _CASES_ONLY + (_LINKED_SEIZURE if filters.restricts_seizure_attributes() else "")


def _whole_periods(filters: Filters, grain: str) -> tuple[dt.date | None, dt.date | None]:
    """The whole months (grain 'month') or years ('year') of the period: period start >= the
    first value and < the second (None: open).

    The rollups answer for those; the days of a period the dates cut come from the raw rows.
    """
    start, end = filters.date_from, filters.date_to
    whole_from = None if start is None else _period_start(start, grain)
    if whole_from is not None and whole_from != start:
        whole_from = _next_period(whole_from, grain)
    whole_to = None
    if end is not None:
        following = _next_period(_period_start(end, grain), grain)
        last_day = following - dt.timedelta(days=1) == end
        whole_to = following if last_day else _period_start(end, grain)
    return whole_from, whole_to


def _period_start(day: dt.date, grain: str) -> dt.date:
    return day.replace(day=1) if grain == "month" else day.replace(month=1, day=1)


def _next_period(start: dt.date, grain: str) -> dt.date:
    if grain == "year":
        return start.replace(year=start.year + 1)
    return (start + dt.timedelta(days=32)).replace(day=1)


def _facts(
    filters: Filters,
    rollup: str,
    columns: dict[str, str],
    raw_from: str,
    raw_where: tuple[str, list[object]],
    raw_values: str,
    raw_date: str,
    use_rollup: bool = True,
    grain: str = "month",
) -> tuple[str, list[object]]:
    """A derived table: the rollup's rows of the whole periods (months, or years for a rollup by
    year) in the selection, then (UNION ALL) the raw rows of the periods the dates cut, each
    shaped as a rollup row with the region added."""
    whole_from, whole_to = _whole_periods(filters, grain)
    no_whole_month = whole_from is not None and whole_to is not None and whole_from >= whole_to
    from_rollup = use_rollup and not no_whole_month
    part_months = (filters.date_from is not None and filters.date_from != whole_from) or (
        filters.date_to is not None and whole_to is not None and whole_to <= filters.date_to
    )
    names = ", ".join(ROLLUP_TYPES[rollup])
    parts: list[str] = []
    params: list[object] = []
    if from_rollup:
        where, more = _where(filters, None, columns)
        for bound, operator in ((whole_from, ">="), (whole_to, "<")):
            if bound is not None:
                where += f" AND r.{grain} {operator} ?"  # the rollup's period column
                more.append(bound)
        parts.append(
            f"SELECT {', '.join('r.' + n for n in ROLLUP_TYPES[rollup])}, c.region "
            f"FROM active_{rollup} r JOIN ref_countries c ON c.iso3 = r.country_iso3 "
            f"WHERE {where}"
        )
        params += more
    if not from_rollup or part_months:
        where, more = raw_where
        if from_rollup:  # only the days outside the whole months
            outside = []
            for bound, operator in ((whole_from, "<"), (whole_to, ">=")):
                if bound is not None:
                    outside.append(f"{raw_date} {operator} ?")
                    more = [*more, bound]
            where += f" AND ({' OR '.join(outside)})"
        parts.append(
            f"SELECT * FROM (SELECT {raw_values}, c.region FROM {raw_from} WHERE {where}) "
            f"AS raw_rows ({names}, region)"
        )
        params += more
    return f"SELECT {names}, region FROM ({' UNION ALL '.join(parts)}) u", params


_ROUTED = "s.origin_iso3 IS NOT NULL AND s.destination_iso3 IS NOT NULL"
# Filters fields -> columns of a seizure rollup r (and its country c).
_SEIZURE_ROLLUP_FILTERS = {
    "regions": "c.region",
    "countries": "r.country_iso3",
    "drugs": "r.drug",
    "conveyances": "r.conveyance",
    "sources": "r.source",
}


def seizure_facts(filters: Filters) -> tuple[str, list[object]]:
    """The selection's seizures as rollup rows (ddl.ROLLUP_TYPES['seizure_rollup'] and region):
    sum kg, events, routed_kg and routed_events, take min(first_day) and max(last_day)."""
    return _facts(
        filters,
        "seizure_rollup",
        _SEIZURE_ROLLUP_FILTERS,
        SEIZURES_FROM,
        seizure_where(filters),
        "s.country_iso3, CAST(date_trunc('month', s.date) AS DATE), s.drug, s.conveyance, "
        f"s.source, s.quantity_kg, CAST(1 AS BIGINT), CASE WHEN {_ROUTED} THEN s.quantity_kg END, "
        f"CAST(CASE WHEN {_ROUTED} THEN 1 ELSE 0 END AS BIGINT), s.date, s.date",
        "s.date",
    )


def route_facts(filters: Filters) -> tuple[str, list[object]]:
    """The selection's seizures with both an origin and a destination, as rollup rows
    (ddl.ROLLUP_TYPES['route_rollup'] and region): sum kg and events."""
    where, params = seizure_where(filters)
    return _facts(
        filters,
        "route_rollup",
        _SEIZURE_ROLLUP_FILTERS,
        SEIZURES_FROM,
        (f"{where} AND {_ROUTED}", params),
        "s.country_iso3, CAST(date_trunc('year', s.date) AS DATE), s.drug, s.conveyance, "
        "s.source, s.origin_iso3, s.destination_iso3, s.quantity_kg, CAST(1 AS BIGINT)",
        "s.date",
        grain="year",
    )


def _flag(condition: str) -> str:
    return f"CAST(CASE WHEN {condition} THEN 1 ELSE 0 END AS BIGINT)"


def case_facts(filters: Filters) -> tuple[str, list[object]]:
    """The selection's cases as rollup rows (ddl.ROLLUP_TYPES['case_rollup'] and region).

    With a drug or conveyance filter every case needs its linked seizure: raw rows only.
    """
    return _facts(
        filters,
        "case_rollup",
        {"regions": "c.region", "countries": "r.country_iso3", "sources": "r.source"},
        cases_from(filters),
        case_where(filters),
        "k.country_iso3, CAST(date_trunc('month', k.opened_date) AS DATE), k.source, "
        "k.cooperation, CAST(1 AS BIGINT), "
        + ", ".join(
            _flag(condition)
            for condition in (
                "k.charged_date IS NOT NULL",
                "k.verdict_date IS NOT NULL",
                "k.charged_date IS NOT NULL AND k.verdict_date IS NOT NULL",
                "k.outcome = 'convicted'",
                "k.charged_date IS NOT NULL AND k.outcome = 'convicted'",
                f"k.outcome IN {COURT_OUTCOMES_SQL}",
                charged_in_window("k."),
                f"k.charged_date IS NULL AND k.outcome IN {COURT_OUTCOMES_SQL}",
                f"k.charged_date IS NOT NULL AND k.outcome IN {COURT_OUTCOMES_SQL}",
            )
        )
        + f", k.opened_date, k.opened_date, {last_event('k.')}",
        "k.opened_date",
        use_rollup=not filters.restricts_seizure_attributes(),
    )


def total(column: str, alias: str | None = None) -> str:
    """sum() of a count column of the facts, as BIGINT and 0 when there are no rows."""
    return f"CAST(coalesce(sum({column}), 0) AS BIGINT) AS {alias or column}"


# The counts of case_counts, each over the selection's cases, in funnel order, then the cohort.
# convicted is of the charged cases (a conviction with no charge date is not counted as one).
COUNT_NAMES = (
    "opened",
    "closed_before_charge",
    "charged",
    "court_outcome",
    "convicted",
    "cohort",  # opened at least PROSECUTION_WINDOW_MONTHS before the data's end
    "charged_in_window",  # of the cohort: charged within that window
)
# Each count from the facts' columns: the selection's, or the cohort's (its opening dates cut
# at the cohort's end).
_OF_SELECTION = {
    "opened": "opened",
    "closed_before_charge": "closed_before_charge",
    "charged": "charged",
    "court_outcome": "court_outcome",
    "convicted": "charged_convicted",
}
_OF_COHORT = {"cohort": "opened", "charged_in_window": "charged_in_window"}
_KEY_COLUMNS = "country_iso3, region, source, cooperation"


def cohort_filters(filters: Filters, end: dt.date | None) -> Filters | None:
    """The selection cut to the cases old enough to judge a prosecution (None: no such case)."""
    last = cohort_end(end)
    if last is None or (filters.date_from is not None and filters.date_from > last):
        return None
    return dataclasses.replace(
        filters, date_to=last if filters.date_to is None else min(filters.date_to, last)
    )


def _case_rows(filters: Filters, end: dt.date | None) -> tuple[str, list[object]]:
    """The selection's case facts with every count of COUNT_NAMES as a column (the cohort's
    counts from the facts of the cohort's period, UNION ALL)."""
    facts, params = case_facts(filters)
    zero = "CAST(0 AS BIGINT)"
    parts = [
        f"SELECT {_KEY_COLUMNS}, "
        + ", ".join(f"{_OF_SELECTION.get(name, zero)} AS {name}" for name in COUNT_NAMES)
        + f" FROM ({facts}) a"
    ]
    cohort = cohort_filters(filters, end)
    if cohort is not None:
        more, more_params = case_facts(cohort)
        parts.append(
            f"SELECT {_KEY_COLUMNS}, "
            + ", ".join(f"{_OF_COHORT.get(name, zero)} AS {name}" for name in COUNT_NAMES)
            + f" FROM ({more}) b"
        )
        params = [*params, *more_params]
    return " UNION ALL ".join(parts), params


def case_counts_sets(
    store: Store, filters: Filters, sets: dict[str, dict[str, str]], end: dt.date | None = None
) -> dict[str, pd.DataFrame]:
    """The case counts (COUNT_NAMES) of the selection per group, for each named set of groups,
    in one read (GROUPING SETS: one scan of the facts for every set).

    Each set maps output columns to SQL expressions over country_iso3, region, source and
    cooperation; {} gives one row, for the whole selection. `end`: the data's end (read when
    not given). Rows come in no particular order.
    """
    if end is None:
        end = data_end(store)
    keys = list(dict.fromkeys(expr for groups in sets.values() for expr in groups.values()))
    named = {expr: f"g{i}" for i, expr in enumerate(keys)}
    picked = "".join(f"{expr} AS {named[expr]}, " for expr in keys)
    grouping = ", ".join(
        "(" + ", ".join(named[e] for e in dict.fromkeys(groups.values())) + ")"
        for groups in sets.values()
    )
    head = f"SELECT GROUPING({', '.join(named.values())})" if keys else "SELECT 0"
    rows, params = _case_rows(filters, end)
    frame = store.query(
        f"{head} AS grouping_set{''.join(f', {name}' for name in named.values())}, "
        f"{', '.join(total(c) for c in COUNT_NAMES)} "
        f"FROM (SELECT {picked}{', '.join(COUNT_NAMES)} FROM ({rows}) f) g "
        f"GROUP BY GROUPING SETS ({grouping})",
        params,
    )
    out = {}
    for name, groups in sets.items():
        used = set(groups.values())
        mask = sum(1 << (len(keys) - 1 - i) for i, expr in enumerate(keys) if expr not in used)
        part = frame[frame["grouping_set"] == mask]
        part = pd.DataFrame(
            {key: part[named[expr]].to_numpy() for key, expr in groups.items()}
            | {count: part[count].to_numpy("int64") for count in COUNT_NAMES}
        )
        # text keys typed as text even when all NULL
        untyped = [key for key in groups if part[key].dtype == object]
        out[name] = part.astype(dict.fromkeys(untyped, "str")) if untyped else part
    return out


def case_counts(
    store: Store, filters: Filters, groups: dict[str, str], end: dt.date | None = None
) -> pd.DataFrame:
    """case_counts_sets for one set of groups."""
    return case_counts_sets(store, filters, {"one": groups}, end)["one"]


def verdict_times(
    store: Store, filters: Filters, groups: dict[str, str], end: dt.date | None = None
) -> pd.DataFrame:
    """The charged cases of the selection as (groups..., days, event, cases): days from opening
    to the court outcome (event 1), or to the data's end while still pending (event 0).

    Charged cases with an outcome but no verdict date have no known time and are left out.
    """
    if end is None:
        end = data_end(store)
    picked = "".join(f"{expr} AS {name}, " for name, expr in groups.items())
    by = "".join(f"{i}, " for i in range(1, len(groups) + 1))
    where, params = case_where(filters)
    if end is None:
        return pd.DataFrame(columns=[*groups, "days", "event", "cases"])
    return store.query(
        f"SELECT {picked}days, event, count(*) AS cases FROM ("
        "SELECT k.country_iso3, c.region, k.source, k.cooperation, "
        f"CASE WHEN k.outcome IN {COURT_OUTCOMES_SQL} THEN k.verdict_date - k.opened_date "
        "ELSE CAST(? AS DATE) - k.opened_date END AS days, "
        f"CASE WHEN k.outcome IN {COURT_OUTCOMES_SQL} THEN 1 ELSE 0 END AS event "
        f"FROM {cases_from(filters)} WHERE {where} AND k.charged_date IS NOT NULL "
        f"AND (k.verdict_date IS NOT NULL OR k.outcome NOT IN {COURT_OUTCOMES_SQL} "
        "OR k.outcome IS NULL)) f "
        f"GROUP BY {by}days, event ORDER BY {by}days",
        [end, *params],
    )


def times_to_verdict(
    store: Store, filters: Filters, group: str | None = None, end: dt.date | None = None
) -> dict[str, TimeToVerdict]:
    """Kaplan-Meier time to verdict for the whole selection ('all') and, with `group` (a case
    column: region, country_iso3), for each of its values."""
    times = verdict_times(store, filters, {"grp": group or "'all'"}, end)
    return survival.estimates_by(times, "grp")


def headline(
    store: Store,
    filters: Filters,
    cases: pd.DataFrame | None = None,
    end: dt.date | None = None,
    time_to_verdict: TimeToVerdict | None = None,
) -> Headline:
    """Totals and rates for the whole selection (`cases`: its case_counts(filters, {}) row,
    `time_to_verdict`: its estimate, when already read)."""
    if end is None:
        end = data_end(store)
    facts, params = seizure_facts(filters)
    seized = store.query(
        f"SELECT coalesce(sum(f.kg), 0) AS kg, {total('f.events', 'events')} FROM ({facts}) f",
        params,
    ).iloc[0]
    if cases is None:
        cases = case_counts(store, filters, {}, end)
    counts = cases.iloc[0] if len(cases) else dict.fromkeys(COUNT_NAMES, 0)
    if time_to_verdict is None:
        time_to_verdict = times_to_verdict(store, filters, end=end)["all"]
    return Headline(
        seized_kg=float(seized["kg"]),
        seizure_events=int(seized["events"]),
        cases_opened=int(counts["opened"]),
        prosecution=Rate(int(counts["charged_in_window"]), int(counts["cohort"])),
        conviction=Rate(int(counts["convicted"]), int(counts["court_outcome"])),
        time_to_verdict=time_to_verdict,
        data_end=end,
        too_recent=int(counts["opened"]) - int(counts["cohort"]),
    )


def overview(store: Store, filters: Filters) -> tuple[Headline, pd.DataFrame]:
    """`headline` and `region_comparison` of the selection, their case counts read once."""
    end = data_end(store)
    cases = case_counts_sets(store, filters, {"all": {}, "region": {"region": "region"}}, end)
    times = times_to_verdict(store, filters, "region", end)
    return headline(store, filters, cases["all"], end, times["all"]), region_comparison(
        store, filters, cases=cases["region"], times=times
    )


# Each rate: (name, numerator count, denominator count).
RATE_COUNTS = (
    ("prosecution", "charged_in_window", "cohort"),
    ("conviction", "convicted", "court_outcome"),
)


def rate_columns(counts: pd.DataFrame | dict[str, object]) -> dict[str, object]:
    """The columns with_rates adds, by name, from the count columns of `counts` (a frame or a
    dict of arrays): per rate, _rate, _low, _high (NaN where n = 0), _n and _low_confidence.

    Whole columns at once (wilson_bounds).
    """
    columns: dict[str, object] = {}
    for name, num, den in RATE_COUNTS:
        successes = np.asarray(counts[num]).astype("int64")
        n = np.asarray(counts[den]).astype("int64")
        low, high = wilson_bounds(successes, n)
        with np.errstate(divide="ignore", invalid="ignore"):
            columns[f"{name}_rate"] = np.where(n > 0, successes / n, np.nan)
        columns[f"{name}_low"] = low
        columns[f"{name}_high"] = high
        columns[f"{name}_n"] = n
        columns[f"{name}_low_confidence"] = n < LOW_CONFIDENCE_N
    return columns


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add rate, interval and low-confidence columns from counts columns."""
    for name, values in rate_columns(frame).items():
        frame[name] = values
    return frame


def region_comparison(
    store: Store,
    filters: Filters,
    regions: tuple[str, ...] = REGIONS,
    cases: pd.DataFrame | None = None,
    times: dict[str, TimeToVerdict] | None = None,
) -> pd.DataFrame:
    """One row per region: kg seized, events, case counts, rates with n and intervals, and the
    Kaplan-Meier time to verdict (median_days_to_verdict, its interval, pending).

    `cases`: case_counts(filters, {"region": "region"}), `times`: times_to_verdict by region,
    when already read."""
    facts, params = seizure_facts(filters)
    seized = store.query(
        f"SELECT f.region, sum(f.kg) AS seized_kg, {total('f.events', 'seizure_events')} "
        f"FROM ({facts}) f GROUP BY 1",
        params,
    )
    end = None if cases is not None and times is not None else data_end(store)
    if cases is None:
        cases = case_counts(store, filters, {"region": "region"}, end)
    if times is None:
        times = times_to_verdict(store, filters, "region", end)
    cases = cases[["region", *COUNT_NAMES]]
    frame = pd.DataFrame({"region": list(regions)})
    frame = frame.merge(seized, on="region", how="left").merge(cases, on="region", how="left")
    count_columns = ["seizure_events", *COUNT_NAMES]
    frame[count_columns] = frame[count_columns].fillna(0).astype("int64")
    frame["seized_kg"] = frame["seized_kg"].fillna(0.0).astype("float64")
    estimates = [times.get(region, survival.NO_CASES) for region in frame["region"]]
    frame = frame.assign(**survival.columns(estimates))
    if filters.regions or filters.countries:  # only the places asked for, not rows of zeros
        frame = frame[(frame["seizure_events"] > 0) | (frame["opened"] > 0)].reset_index(drop=True)
    return with_rates(frame)


def data_freshness(store: Store) -> pd.DataFrame:
    """Per table: active rows, versions, last load, newest data date, sources, synthetic."""
    versions = store.query(
        "SELECT table_name, count(*) AS active_versions, sum(rows) AS rows, "
        "max(loaded_at) AS last_loaded, bool_or(synthetic) AS synthetic, "
        "string_agg(DISTINCT source, '; ') AS sources "
        "FROM version_status WHERE active GROUP BY 1 ORDER BY 1"
    )
    latest = store.query(
        "SELECT 'seizures' AS table_name, CAST(max(last_day) AS TEXT) AS newest_data "
        "FROM active_seizure_rollup "
        "UNION ALL SELECT 'cases', CAST(max(last_day) AS TEXT) FROM active_case_rollup "
        "UNION ALL SELECT 'annual_seizures', CAST(max(year) AS TEXT) FROM active_annual_seizures"
    )
    return versions.merge(latest, on="table_name", how="left")


def official_comparison(
    store: Store, filters: Filters, regions: tuple[str, ...] = REGIONS
) -> pd.DataFrame:
    """Per region, official UNODC annual totals beside the event-level sum for the same years.

    The two are compared, never added: coverage = event kg / official kg says how much of the
    official figure the loaded seizure records account for. Empty when no totals are loaded.
    """
    where, params = annual_where(filters)
    official = store.query(
        "SELECT c.region, sum(a.quantity_kg) AS official_kg, min(a.year) AS first_year, "
        "max(a.year) AS last_year, count(DISTINCT a.country_iso3) AS countries "
        "FROM active_annual_seizures a JOIN ref_countries c ON c.iso3 = a.country_iso3 "
        f"WHERE {where} GROUP BY 1",
        params,
    )
    if official.empty:
        return official
    first, last = int(official["first_year"].min()), int(official["last_year"].max())
    # Like for like: the events of the same years, and no conveyance filter (totals have none).
    years = dataclasses.replace(
        filters,
        date_from=max(filters.date_from or dt.date(first, 1, 1), dt.date(first, 1, 1)),
        date_to=min(filters.date_to or dt.date(last, 12, 31), dt.date(last, 12, 31)),
        conveyances=(),
    )
    facts, params = seizure_facts(years)
    events = store.query(
        f"SELECT region, sum(kg) AS events_kg, {total('events')} FROM ({facts}) f GROUP BY 1",
        params,
    )
    frame = pd.DataFrame({"region": list(regions)}).merge(official, on="region", how="left")
    frame = frame.merge(events, on="region", how="left")
    frame["events_kg"] = frame["events_kg"].fillna(0.0).astype("float64")
    if filters.regions or filters.countries:  # as region_comparison: only places with data
        facts, params = case_facts(years)
        cases = store.query(f"SELECT region FROM ({facts}) f GROUP BY 1", params)
        frame = frame[(frame["events"] > 0) | frame["region"].isin(cases["region"])]
    frame = frame.drop(columns="events").reset_index(drop=True)
    frame["official_kg"] = frame["official_kg"].fillna(0.0)
    frame["coverage"] = frame["events_kg"] / frame["official_kg"].where(frame["official_kg"] > 0)
    frame["years"] = f"{years.date_from.year}–{years.date_to.year}"
    return frame.drop(columns=["first_year", "last_year"])
