"""The metrics of DESIGN.md section 6, one definition each, computed in SQL over the store.

- seized_kg: sum of quantity_kg (the canonical tables hold cocaine forms only).
- prosecution_rate: cases charged / cases opened, among cases opened in the period and place.
- conviction_rate: cases convicted / cases with a final outcome (convicted, acquitted, dismissed).
- funnel: opened, charged, reached a verdict, convicted (each stage within the one before).
- time_to_verdict: median days from opened to verdict.
Every rate carries n and a Wilson 95% interval, and is low-confidence below n = 10.

Filters on drug and conveyance reach cases through the seizure a case is linked to; cases with
no linked seizure are left out while such a filter is set.

Sums and counts come from the rollups kept at load time (store/ddl.py) for whole months, and
from the raw rows only for the part of a month a period cuts (`seizure_facts`, `case_facts`):
the same numbers, read from a few ten thousand rows instead of a million.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crimjust_data.countries import REGIONS
from crimjust_data.store import Store
from crimjust_data.store.ddl import ROLLUP_TYPES

LOW_CONFIDENCE_N = 10
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


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float | None, float | None]:
    """Wilson score interval for successes/n; (None, None) when n is 0."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    if n == 0:
        return None, None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the home page, for the current filters."""

    seized_kg: float
    seizure_events: int
    cases_opened: int
    prosecution: Rate
    conviction: Rate
    median_days_to_verdict: float | None
    verdicts: int = 0  # cases with a verdict date: the n behind the median


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
                "k.outcome IN ('convicted', 'acquitted', 'dismissed')",
            )
        )
        + ", k.opened_date, k.opened_date",
        "k.opened_date",
        use_rollup=not filters.restricts_seizure_attributes(),
    )


def total(column: str, alias: str | None = None) -> str:
    """sum() of a count column of the facts, as BIGINT and 0 when there are no rows."""
    return f"CAST(coalesce(sum({column}), 0) AS BIGINT) AS {alias or column}"


COUNT_NAMES = ("opened", "charged", "verdict", "convicted", "final")


def case_counts(filters: Filters, groups: dict[str, str]) -> tuple[str, list[object]]:
    """SQL of the case counts and median days to verdict per group, for the selection.

    `groups` maps each output column to an SQL expression over case columns as the facts name
    them (country_iso3, region, source, cooperation); {} gives one row, for the whole selection.
    Columns: the groups, opened, charged, verdict, convicted, final, median_days_to_verdict.
    Counts come from the case facts; the median (not additive) from the raw cases with a verdict.
    """
    picked = "".join(f"{expr} AS {name}, " for name, expr in groups.items())
    # by position: a group named like an input column (region) must not group by that column
    by = " GROUP BY " + ", ".join(str(i) for i in range(1, len(groups) + 1)) if groups else ""
    on = " AND ".join(f"n.{name} IS NOT DISTINCT FROM d.{name}" for name in groups) or "TRUE"
    facts, params = case_facts(filters)
    where, raw_params = case_where(filters)
    sql = (
        f"SELECT n.*, d.median_days_to_verdict FROM ("
        f"SELECT {picked}{', '.join(total(c) for c in COUNT_NAMES)} FROM ({facts}) f{by}) n "
        f"LEFT JOIN (SELECT {picked}percentile_cont(0.5) WITHIN GROUP (ORDER BY days) "
        "AS median_days_to_verdict FROM ("
        "SELECT k.country_iso3, c.region, k.source, k.cooperation, "
        f"k.verdict_date - k.opened_date AS days FROM {cases_from(filters)} "
        f"WHERE {where} AND k.verdict_date IS NOT NULL) f{by}) d ON {on}"
    )
    return sql, [*params, *raw_params]


FACT_COUNTS = tuple(c for c, kind in ROLLUP_TYPES["case_rollup"].items() if kind == "BIGINT")


def case_counts_sets(
    store: Store, filters: Filters, sets: dict[str, dict[str, str]]
) -> dict[str, pd.DataFrame]:
    """`case_counts(filters, groups)` for each named set of groups, in one read (GROUPING SETS:
    one scan of the facts and one of the raw cases instead of one each per set).

    Each frame has the rows and columns of a query of that set alone, plus charged_verdict and
    charged_convicted (the funnel's stages); rows come in no particular order.
    """
    keys = list(dict.fromkeys(expr for groups in sets.values() for expr in groups.values()))
    named = {expr: f"g{i}" for i, expr in enumerate(keys)}
    picked = "".join(f"{expr} AS {named[expr]}, " for expr in keys)
    grouping = ", ".join(
        "(" + ", ".join(named[e] for e in dict.fromkeys(groups.values())) + ")"
        for groups in sets.values()
    )
    head = f"SELECT GROUPING({', '.join(named.values())})" if keys else "SELECT 0"
    head += " AS grouping_set"
    head += "".join(f", {name}" for name in named.values())
    by = f" GROUP BY GROUPING SETS ({grouping})"
    facts, params = case_facts(filters)
    where, raw_params = case_where(filters)
    same = "".join(f" AND n.{name} IS NOT DISTINCT FROM d.{name}" for name in named.values())
    frame = store.query(
        f"SELECT n.*, d.median_days_to_verdict FROM ("
        f"{head}, {', '.join(total(c) for c in FACT_COUNTS)} "
        f"FROM (SELECT {picked}{', '.join(FACT_COUNTS)} FROM ({facts}) f) g{by}) n "
        f"LEFT JOIN ({head}, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) "
        f"AS median_days_to_verdict FROM (SELECT {picked}days FROM ("
        "SELECT k.country_iso3, c.region, k.source, k.cooperation, "
        f"k.verdict_date - k.opened_date AS days FROM {cases_from(filters)} "
        f"WHERE {where} AND k.verdict_date IS NOT NULL) f) g{by}) d "
        f"ON n.grouping_set = d.grouping_set{same}",
        [*params, *raw_params],
    )
    # Each set's rows taken from whole columns: these frames have tens of rows, where a
    # groupby and a selection per set cost more than the arrays they hold.
    measures = [*COUNT_NAMES, "median_days_to_verdict", "charged_verdict", "charged_convicted"]
    columns = {column: frame[column].array for column in [*named.values(), *measures]}
    set_of = frame["grouping_set"].to_numpy()
    out = {}
    for name, groups in sets.items():
        used = set(groups.values())
        mask = sum(1 << (len(keys) - 1 - i) for i, expr in enumerate(keys) if expr not in used)
        rows = np.flatnonzero(set_of == mask)
        picked = {key: named[expr] for key, expr in groups.items()} | {m: m for m in measures}
        part = pd.DataFrame({key: columns[column].take(rows) for key, column in picked.items()})
        # text keys typed as a query of that set alone types them (all NULL: object here)
        untyped = [key for key in groups if part[key].dtype == object]
        out[name] = part.astype(dict.fromkeys(untyped, "str")) if untyped else part
    return out


def headline(store: Store, filters: Filters, cases: pd.DataFrame | None = None) -> Headline:
    """Totals and rates for the whole selection (`cases`: its case_counts(filters, {}) row,
    when already read)."""
    facts, params = seizure_facts(filters)
    seized = store.query(
        f"SELECT coalesce(sum(f.kg), 0) AS kg, {total('f.events', 'events')} FROM ({facts}) f",
        params,
    ).iloc[0]
    if cases is None:
        cases = store.query(*case_counts(filters, {}))
    counts = cases.iloc[0]
    median = counts["median_days_to_verdict"]
    return Headline(
        seized_kg=float(seized["kg"]),
        seizure_events=int(seized["events"]),
        cases_opened=int(counts["opened"]),
        prosecution=Rate(int(counts["charged"]), int(counts["opened"])),
        conviction=Rate(int(counts["convicted"]), int(counts["final"])),
        median_days_to_verdict=None if pd.isna(median) else float(median),
        verdicts=int(counts["verdict"]),
    )


def overview(store: Store, filters: Filters) -> tuple[Headline, pd.DataFrame]:
    """`headline` and `region_comparison` of the selection, their case counts read once."""
    cases = case_counts_sets(store, filters, {"all": {}, "region": {"region": "region"}})
    return headline(store, filters, cases["all"]), region_comparison(
        store, filters, cases=cases["region"]
    )


def seized_kg(store: Store, filters: Filters) -> float:
    return headline(store, filters).seized_kg


def prosecution_rate(store: Store, filters: Filters) -> Rate:
    return headline(store, filters).prosecution


def conviction_rate(store: Store, filters: Filters) -> Rate:
    return headline(store, filters).conviction


def time_to_verdict(store: Store, filters: Filters) -> float | None:
    """Median days from a case being opened to its verdict (None without verdicts)."""
    return headline(store, filters).median_days_to_verdict


def funnel(store: Store, filters: Filters, by: str | None = "region") -> pd.DataFrame:
    """Attrition counts per region (or country, or overall with by=None), each stage within
    the one before: opened; charged; charged and reached a verdict; charged and convicted.

    Nested on purpose: a case dismissed before any charge has a verdict date but never went
    through prosecution, so it leaves the funnel at 'charged', not at 'verdict'.
    """
    facts, params = case_facts(filters)
    group = {"region": "f.region", "country": "f.country_iso3", None: "'all'"}[by]
    frame = store.query(
        f"SELECT {group} AS grp, {total('f.opened', 'opened')}, "
        f"{total('f.charged', 'charged')}, {total('f.charged_verdict', 'verdict')}, "
        f"{total('f.charged_convicted', 'convicted')} "
        f"FROM ({facts}) f GROUP BY 1 ORDER BY 1",
        params,
    )
    return frame.rename(columns={"grp": by or "group"})


def rate_columns(counts: pd.DataFrame | dict[str, object]) -> dict[str, object]:
    """The columns with_rates adds, by name, from the count columns of `counts` (a frame or a
    dict of arrays).

    Whole columns at once: the same operations in the same order as Rate and wilson_interval,
    so the same floats, without a Rate per row. Each column is what pandas makes of the list of
    Rate values (an empty list, or only None when no rate is counted, keep their types).
    """
    columns: dict[str, object] = {}
    for name, num, den in (
        ("prosecution", "charged", "opened"),
        ("conviction", "convicted", "final"),
    ):
        successes = np.asarray(counts[num]).astype("int64")
        n = np.asarray(counts[den]).astype("int64")
        if not len(n):
            columns |= {f"{name}_{suffix}": [] for suffix in _RATE_SUFFIXES}
            continue
        invalid = (n < 0) | (successes < 0) | (successes > n)
        if invalid.any():
            bad = int(np.argmax(invalid))
            wilson_interval(int(successes[bad]), int(n[bad]))  # raises its ValueError
        counted = n > 0
        if not counted.any():  # Rate.value and the interval are None
            columns |= {f"{name}_{suffix}": [None] * len(n) for suffix in _RATE_SUFFIXES[:3]}
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                p = successes / n
                z = Z_95
                denominator = 1 + z * z / n
                centre = (p + z * z / (2 * n)) / denominator
                half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
            low, high = centre - half, centre + half
            columns[f"{name}_rate"] = np.where(counted, p, np.nan)
            columns[f"{name}_low"] = np.where(counted, np.where(low < 0.0, 0.0, low), np.nan)
            columns[f"{name}_high"] = np.where(counted, np.where(high < 1.0, high, 1.0), np.nan)
        columns[f"{name}_n"] = n
        columns[f"{name}_low_confidence"] = n < LOW_CONFIDENCE_N
    return columns


_RATE_SUFFIXES = ("rate", "low", "high", "n", "low_confidence")


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
) -> pd.DataFrame:
    """One row per region: kg seized, events, cases, rates with n and intervals, median days.

    `cases`: case_counts(filters, {"region": "region"}), when already read."""
    facts, params = seizure_facts(filters)
    seized = store.query(
        f"SELECT f.region, sum(f.kg) AS seized_kg, {total('f.events', 'seizure_events')} "
        f"FROM ({facts}) f GROUP BY 1",
        params,
    )
    if cases is None:
        cases = store.query(*case_counts(filters, {"region": "region"}))
    cases = cases[["region", *COUNT_NAMES, "median_days_to_verdict"]]
    frame = pd.DataFrame({"region": list(regions)})
    frame = frame.merge(seized, on="region", how="left").merge(cases, on="region", how="left")
    count_columns = ["seizure_events", "opened", "charged", "verdict", "convicted", "final"]
    frame[count_columns] = frame[count_columns].fillna(0).astype("int64")
    frame["seized_kg"] = frame["seized_kg"].fillna(0.0).astype("float64")
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
