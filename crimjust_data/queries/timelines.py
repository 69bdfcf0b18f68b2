"""Timelines: kg seized and seizure counts per month, quarter or year, split by one dimension.

SQL does the aggregation (date_trunc in the store, the sidebar filters through
metrics.seizure_where) and returns one row per period and group; the small frame is then
zero-filled so a period without seizures is drawn as 0, not skipped. The rolling average and
the spike rule work on the per-period totals (a few hundred rows at most), here, so the page,
exports and tests share one definition of each. The Timeline type, the grains, the rule's
parameters and the words for them are in crimjust_data/periods.py, which the charts take.

Official UNODC annual totals are compared with the yearly sums of the events, never added.

The spike rule is a robust z-score on the log scale (Iglewicz and Hoaglin 1993, 'How to detect
and handle outliers': the median and the median absolute deviation, MAD, in place of the mean
and the standard deviation), against a baseline taken, as in Farrington et al. 1996 ('A
statistical algorithm for the early detection of outbreaks of infectious disease', JRSS A
159(3)), from the same season of previous years: the same calendar month (or quarter) in
each of the previous five years (Farrington's b = 5 years, with no neighbouring months, so
that a sharp usual December peak is not a spike). The scale is the MAD of year-on-year
differences, which carry no season either. A spike must also hold a minimum number of seizures
and be at least twice the usual level. Simulated stable series (tests/test_spike_rule.py) are flagged in at most 2% of
periods, including sums of heavy-tailed lognormal seizure sizes and seasonal series; fourfold
spikes in the number of seizures are found in about 90% of cases, in kg in about 80% when
seizure sizes vary moderately, far fewer when single seizures dominate a month's kg.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from crimjust_data.i18n import _
from crimjust_data.metrics import Filters, annual_where, seizure_facts, total
from crimjust_data.periods import (
    GRAINS,
    OTHER_COUNTRIES,
    ROLLING_PERIODS,
    SEASON_PERIODS,
    SPIKE_MIN_BASELINE,
    SPIKE_MIN_DIFFERENCES,
    SPIKE_MIN_RATIO,
    SPIKE_MIN_SEIZURES,
    SPIKE_SCALE_YEARS,
    SPIKE_YEARS,
    SPIKE_Z,
    TOP_COUNTRIES,
    Timeline,
    period_end,
    period_label,
)
from crimjust_data.store import Store

DIMENSIONS: tuple[str, ...] = ("region", "country", "drug", "conveyance")
MEASURES: tuple[str, ...] = ("kg", "seizures")

# pandas frequency of each grain's period starts.
_FREQUENCIES = {"month": "MS", "quarter": "QS", "year": "YS"}
_MAD_TO_SD = 1.4826  # MAD x this estimates the standard deviation of a normal sample

_GROUP_SQL = {  # over metrics.seizure_facts
    "region": "f.region",
    "country": "f.country_iso3",
    "drug": "f.drug",
    "conveyance": "coalesce(f.conveyance, 'unknown')",
}
_LAST_GROUPS = ("other", OTHER_COUNTRIES)  # the catch-all groups go on top of the stack


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")


def _span(filters: Filters, data_first: object, data_last: object) -> tuple[dt.date, dt.date]:
    """The dates the time axis covers: the sidebar period, else all active seizures' dates.

    Not the selection's own first and last seizure: a country whose records start later
    should show zeros before, on the same axis as the others.
    """
    first = filters.date_from or pd.Timestamp(data_first).date()
    last = filters.date_to or pd.Timestamp(data_last).date()
    return first, max(first, last)


def rolling_mean(values: pd.Series, window: int) -> pd.Series:
    """Trailing mean over `window` periods; NaN until a full window is available."""
    return values.rolling(window, min_periods=window).mean()


def _spike_lags(grain: str) -> list[int]:
    """How many periods back the baseline lies: the same month (quarter) in each of the
    previous SPIKE_YEARS years; for years, the previous SPIKE_YEARS years."""
    return [SEASON_PERIODS[grain] * k for k in range(1, SPIKE_YEARS + 1)]


def spike_flags(values: pd.Series, seizures: pd.Series, grain: str = "month") -> pd.DataFrame:
    """The spike rule over a per-period series (in period order, no gaps), see SPIKE_Z.

    Returns, aligned with `values`: baseline (the median of the same season in the previous
    years, NaN while too few of them are in view), z (the robust z of log(1 + value)) and
    spike (bool).
    """
    _check(grain, GRAINS, "grain")
    raw = values.astype("float64").to_numpy()
    logged = np.log1p(np.clip(raw, 0.0, None))
    counts = seizures.to_numpy()
    season = SEASON_PERIODS[grain]
    lags = np.array(_spike_lags(grain))
    span = max(SPIKE_SCALE_YEARS * season, 8)
    floor = np.log(SPIKE_MIN_RATIO) / SPIKE_Z
    baseline = np.full(len(raw), np.nan)
    z = np.full(len(raw), np.nan)
    for i in range(len(raw)):
        past = i - lags[lags <= i]
        first = max(season, i - span)
        if len(past) < SPIKE_MIN_BASELINE[grain] or i - first < SPIKE_MIN_DIFFERENCES[grain]:
            continue
        centre = np.median(logged[past])
        steps = logged[first:i] - logged[first - season : i - season]
        # sd of one value = sd of a difference / sqrt 2; the centre's own error widens it
        # (the median's variance is about pi/2 / n of a normal sample's).
        scale = _MAD_TO_SD * np.median(np.abs(steps - np.median(steps))) / np.sqrt(2)
        scale *= np.sqrt(1 + np.pi / 2 / len(past))
        baseline[i] = np.median(raw[past])
        z[i] = (logged[i] - centre) / max(scale, floor)
    spike = (z > SPIKE_Z) & (counts >= SPIKE_MIN_SEIZURES)
    return pd.DataFrame({"baseline": baseline, "z": z, "spike": spike.astype(bool)})


def timeline_totals(series: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Per-period totals of a zero-filled series, with rolling averages and spike flags."""
    totals = (
        series.groupby("period", sort=True)[["kg", "seizures"]]
        .sum()
        .reset_index()
        .astype({"kg": "float64", "seizures": "int64"})
    )
    for measure in MEASURES:
        totals[f"{measure}_rolling"] = rolling_mean(totals[measure], ROLLING_PERIODS[grain])
        flags = spike_flags(totals[measure], totals["seizures"], grain)
        totals[f"{measure}_baseline"] = flags["baseline"].to_numpy()
        totals[f"{measure}_spike"] = flags["spike"].to_numpy()
    return totals


def _series_and_span(
    store: Store, filters: Filters, grain: str, by: str, top_n: int
) -> tuple[pd.DataFrame, tuple[dt.date, dt.date] | None]:
    """The zero-filled series and the span of dates it covers (None when nothing matches)."""
    _check(grain, GRAINS, "grain")
    _check(by, DIMENSIONS, "dimension")
    columns = ["period", "group", "kg", "seizures"]
    facts, params = seizure_facts(filters)
    # grain and group come from the fixed tables above, never from the user's text.
    sql = (
        f"WITH picked AS (SELECT CAST(date_trunc('{grain}', f.month) AS DATE) AS period, "
        f"{_GROUP_SQL[by]} AS grp, f.kg, f.events FROM ({facts}) f)"
    )
    if by == "country":
        sql += (
            ", ranked AS (SELECT grp, row_number() OVER (ORDER BY sum(kg) DESC, grp) AS rank "
            "FROM picked GROUP BY grp), "
            f"grouped AS (SELECT p.period, CASE WHEN r.rank <= ? THEN p.grp "
            f"ELSE '{OTHER_COUNTRIES}' END AS grp, p.kg, p.events "
            "FROM picked p JOIN ranked r ON r.grp = p.grp)"
        )
        params = [*params, top_n]
    else:
        sql += ", grouped AS (SELECT * FROM picked)"
    # The data's first and last dates ride along in the same query: one round trip.
    sql += (
        f" SELECT period, grp, sum(kg) AS kg, {total('events', 'seizures')}, "
        "(SELECT min(first_day) FROM active_seizure_rollup) AS data_first, "
        "(SELECT max(last_day) FROM active_seizure_rollup) AS data_last "
        "FROM grouped GROUP BY 1, 2"
    )
    found = store.query(sql, params)
    if found.empty:
        return pd.DataFrame(columns=columns), None
    first, last = _span(filters, found["data_first"].iloc[0], found["data_last"].iloc[0])
    found["period"] = pd.to_datetime(found["period"])
    order = found.groupby("grp")["kg"].sum()
    groups = sorted(order.index, key=lambda g: (g in _LAST_GROUPS, -order[g], g))
    periods = pd.date_range(
        pd.Timestamp(first).to_period(_FREQUENCIES[grain][0]).start_time,
        pd.Timestamp(last),
        freq=_FREQUENCIES[grain],
    )
    full = pd.MultiIndex.from_product([periods, groups], names=["period", "grp"])
    filled = (
        found.set_index(["period", "grp"])[["kg", "seizures"]]
        .reindex(full, fill_value=0)
        .reset_index()
        .rename(columns={"grp": "group"})
    )
    return filled.astype({"kg": "float64", "seizures": "int64"})[columns], (first, last)


def timeline(
    store: Store,
    filters: Filters,
    grain: str = "quarter",
    by: str = "region",
    top_n: int = TOP_COUNTRIES,
) -> Timeline:
    """The series of the selection with its totals, rolling averages and spikes."""
    series, span = _series_and_span(store, filters, grain, by, top_n)
    return Timeline(
        grain=grain,
        by=by,
        series=series,
        totals=timeline_totals(series, grain),
        window=ROLLING_PERIODS[grain],
        first_day=span[0] if span else None,
        last_day=span[1] if span else None,
    )


def partial_periods(line: Timeline) -> list[str]:
    """Labels of the first and last periods when the dates cover them only in part."""
    if line.totals.empty or line.first_day is None or line.last_day is None:
        return []
    first, last = line.totals["period"].iloc[0], line.totals["period"].iloc[-1]
    partial = []
    if pd.Timestamp(line.first_day) > first:
        partial.append(period_label(first, line.grain))
    if pd.Timestamp(line.last_day) < period_end(last, line.grain) and (
        not partial or last != first
    ):
        partial.append(period_label(last, line.grain))
    return partial


def official_loaded(store: Store) -> bool:
    """Whether any official UNODC annual totals are active."""
    found = store.query("SELECT count(*) AS n FROM active_annual_seizures")
    return bool(found.iloc[0]["n"])


def _official_filters(filters: Filters) -> Filters:
    """The filters official totals can honour: places and drugs (they have no conveyance)."""
    return dataclasses.replace(filters, conveyances=())


def official_by_year(store: Store, filters: Filters) -> pd.DataFrame:
    """Per year: official UNODC total beside the sum of the loaded events, and coverage.

    Same regions, countries and drugs on both sides; the conveyance filter is left out of both
    (official totals have none, and only like can be compared with like). Years run from the
    first to the last official year in the selection (within the sidebar period); official_kg
    is NaN for a year nobody in the selection reported. coverage = events_kg / official_kg.
    The two are compared, never added. Empty when no official total matches.
    """
    columns = ["year", "official_kg", "events_kg", "coverage", "countries_reporting"]
    wanted = _official_filters(filters)
    where, params = annual_where(wanted)
    official = store.query(
        "SELECT a.year, sum(a.quantity_kg) AS official_kg, "
        "count(DISTINCT a.country_iso3) AS countries_reporting "
        "FROM active_annual_seizures a JOIN ref_countries c ON c.iso3 = a.country_iso3 "
        f"WHERE {where} GROUP BY 1",
        params,
    )
    if official.empty:
        return pd.DataFrame(columns=columns)
    first, last = int(official["year"].min()), int(official["year"].max())
    years = dataclasses.replace(
        wanted,
        date_from=max(wanted.date_from or dt.date(first, 1, 1), dt.date(first, 1, 1)),
        date_to=min(wanted.date_to or dt.date(last, 12, 31), dt.date(last, 12, 31)),
    )
    facts, params = seizure_facts(years)
    events = store.query(
        "SELECT CAST(extract(year FROM f.month) AS BIGINT) AS year, sum(f.kg) AS events_kg "
        f"FROM ({facts}) f GROUP BY 1",
        params,
    )
    frame = pd.DataFrame({"year": range(first, last + 1)})
    frame = frame.merge(official.astype({"year": "int64"}), on="year", how="left")
    frame = frame.merge(events.astype({"year": "int64"}), on="year", how="left")
    frame["events_kg"] = frame["events_kg"].fillna(0.0).astype("float64")
    frame["official_kg"] = frame["official_kg"].astype("float64")
    frame["countries_reporting"] = frame["countries_reporting"].fillna(0).astype("int64")
    frame["coverage"] = frame["events_kg"] / frame["official_kg"].where(frame["official_kg"] > 0)
    return frame[columns]


def official_notes(filters: Filters) -> list[str]:
    """What the official comparison could not honour in the current filters, in words."""
    notes = []
    if filters.conveyances:
        notes.append(
            _(
                "Official totals have no conveyance: the conveyance filter is left out of this "
                "comparison, on both sides."
            )
        )
    cut = (filters.date_from and (filters.date_from.month, filters.date_from.day) != (1, 1)) or (
        filters.date_to and (filters.date_to.month, filters.date_to.day) != (12, 31)
    )
    if cut:
        notes.append(
            _(
                "The sidebar period cuts a year: official totals are for whole years, the event "
                "sums for the selected dates only, so coverage in the first and last year is "
                "lower."
            )
        )
    if filters.sources:
        notes.append(_("The data-source filter applies to the seizure events only."))
    return notes
