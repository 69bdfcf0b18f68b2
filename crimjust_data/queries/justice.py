"""Queries of the 'Justice outcomes' page: what happens to cases after cocaine is seized.

Every count and rate goes through the definitions in crimjust_data.metrics (case_counts,
case_where, cases_from, funnel, with_rates), so a rate here is the same number as on the home
page for the same selection. Each function takes (store, filters, ...hashable options) and does
its work in SQL, returning a small frame for ui_cache.query to cache.
"""

from __future__ import annotations

import contextvars
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crimjust_data import metrics
from crimjust_data.countries import REGIONS, country_name
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import Filters, case_counts, case_where, cases_from
from crimjust_data.schemas import COOPERATION
from crimjust_data.store import Store

# Stages of DESIGN.md section 6 in funnel order: the funnel() column and how people read it.
FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("opened", N_("Opened")),
    ("charged", N_("Charged")),
    ("verdict", N_("Reached a verdict")),
    ("convicted", N_("Convicted")),
)
COOPERATION_TYPES = COOPERATION[1:]  # everything but 'none'
# Group codes of the cooperation split; 'not_recorded' is a case whose cooperation field is empty
# (it is neither 'none' nor a type, so it is kept apart rather than guessed).
COOPERATION_GROUPS = ("none", "any", *COOPERATION_TYPES, "not_recorded")
COUNT_COLUMNS = ["opened", "charged", "verdict", "convicted", "final"]


_REGION_RANK = {region: i for i, region in enumerate(REGIONS)}
_GROUP_RANK = {group: i for i, group in enumerate(COOPERATION_GROUPS)}


def _region_rank(region: str) -> int:
    """Position of a region in REGIONS (the three CRIMJUST regions first), others after."""
    return _REGION_RANK.get(region, len(REGIONS))


def _columns(frames: list[pd.DataFrame], keys: list[str]) -> dict[str, np.ndarray]:
    """The key, count and median columns of case count frames, end to end, as arrays: counts
    as int64 (missing: 0), the median as float64. These frames have tens of rows, so a table
    is built from arrays in one go rather than by a chain of pandas operations."""
    columns: dict[str, np.ndarray] = {}
    for key in keys:
        columns[key] = np.concatenate([f[key].to_numpy(dtype=object) for f in frames])
    for name in COUNT_COLUMNS:
        columns[name] = np.concatenate([f[name].to_numpy("int64", na_value=0) for f in frames])
    median = "median_days_to_verdict"
    columns[median] = np.concatenate(
        [f[median].to_numpy("float64", na_value=np.nan) for f in frames]
    )
    return columns


def _table(
    columns: dict[str, np.ndarray],
    order: list[int],
    keys: dict[str, Any],
    first: dict[str, object] | None = None,
) -> pd.DataFrame:
    """Rows `order` of `columns` (_columns) as a frame: the keys (typed as `keys` says), then
    `first`'s columns after the first key, the counts, the median and the metrics.with_rates
    columns."""
    picked = np.asarray(order, dtype=np.intp)
    out: dict[str, object] = {}
    for i, (key, dtype) in enumerate(keys.items()):
        out[key] = pd.array(columns[key][picked], dtype=dtype)
        if i == 0 and first:
            out |= first
    out |= {name: columns[name][picked] for name in [*COUNT_COLUMNS, "median_days_to_verdict"]}
    return pd.DataFrame(out | metrics.rate_columns(out))


def attrition_funnel(
    store: Store, filters: Filters, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per region present and funnel stage: cases, and share of the region's opened cases.

    Columns: region, stage (opened/charged/verdict/convicted), stage_label, cases, opened,
    share_of_opened (0-1). Regions come in REGIONS order; only regions with cases appear.
    `counts`: metrics.case_counts_sets' frame by region, when already read.
    """
    if counts is None:
        return _funnel_long(metrics.funnel(store, filters, by="region"))
    return _funnel_long(counts, ("opened", "charged", "charged_verdict", "charged_convicted"))


def _funnel_long(
    wide: pd.DataFrame, stage_columns: tuple[str, ...] = tuple(dict(FUNNEL_STAGES))
) -> pd.DataFrame:
    """The funnel in long form from a frame by region with a count column per stage."""
    if wide.empty:
        return pd.DataFrame(
            columns=["region", "stage", "stage_label", "cases", "opened", "share_of_opened"]
        )
    regions = wide["region"].tolist()
    order = sorted(range(len(regions)), key=lambda i: _region_rank(regions[i]))
    stages = [stage for stage, _ in FUNNEL_STAGES]
    # one row per region (REGIONS order) and stage (funnel order): region-major
    picked = np.repeat(np.asarray(order, dtype=np.intp), len(stages))
    counts = [wide[column].to_numpy("int64") for column in stage_columns]
    cases = np.column_stack(counts)[order].ravel()
    opened = counts[0][picked]
    labels = [_(label) for _stage, label in FUNNEL_STAGES]
    with np.errstate(divide="ignore", invalid="ignore"):  # as pandas: 0 opened gives NaN
        share = cases / opened
    return pd.DataFrame(
        {
            "region": wide["region"].array.take(picked),
            "stage": pd.array(stages * len(order), dtype="str"),
            "stage_label": pd.array(labels * len(order), dtype="str"),
            "cases": cases,
            "opened": opened,
            "share_of_opened": share,
        }
    )


def country_rates(
    store: Store, filters: Filters, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per country with cases: counts, both rates with n, Wilson bounds, low-confidence.

    Columns: country_iso3, country, region, the metrics.case_counts columns and the metrics.with_rates
    columns (prosecution_rate, prosecution_low, ..., conviction_low_confidence). Ordered by
    region (REGIONS order), then country name. `counts`: metrics.case_counts_sets' frame by
    country and region, when already read.
    """
    groups = {"country_iso3": "country_iso3", "region": "region"}
    if counts is None:
        return _country_rates(store.query(*case_counts(filters, groups)))
    return _country_rates(counts)


def _country_rates(frame: pd.DataFrame) -> pd.DataFrame:
    columns = _columns([frame], ["country_iso3", "region"])
    names = [country_name(iso3) for iso3 in columns["country_iso3"]]
    regions = columns["region"]
    order = sorted(range(len(names)), key=lambda i: (_region_rank(regions[i]), names[i]))
    keys = {"country_iso3": frame["country_iso3"].dtype, "region": frame["region"].dtype}
    return _table(columns, order, keys, {"country": [names[i] for i in order]})


def verdict_delay_bins(
    store: Store, filters: Filters, bin_days: int = 90, cap_days: int = 1800
) -> pd.DataFrame:
    """Cases with a verdict per bin of days from opened to verdict; the last bin is open-ended.

    Bins are [from_days, to_days) of width `bin_days` from 0 to `cap_days`, then one overflow bin
    (`cap_days` or more, to_days missing). Every bin is present, zero counts included.
    Columns: from_days, to_days, overflow, cases.
    """
    if bin_days <= 0 or cap_days <= 0 or cap_days % bin_days:
        raise ValueError(
            f"cap_days ({cap_days}) must be a positive multiple of bin_days ({bin_days})"
        )
    where, params = case_where(filters)
    last_bin = cap_days // bin_days
    # The binning is done in SQL: only the ~20 bin counts leave the store. Cases without a
    # verdict have no delay and stay out, exactly as in the median of metrics.case_counts.
    frame = store.query(
        f"""
        WITH delays AS (
            SELECT least(CAST(floor((k.verdict_date - k.opened_date)
                / CAST(? AS DOUBLE PRECISION)) AS BIGINT), ?) AS bin
            FROM {cases_from(filters)}
            WHERE {where} AND k.verdict_date IS NOT NULL
        ),
        counted AS (SELECT bin, count(*) AS cases FROM delays GROUP BY bin)
        SELECT b.n AS bin, coalesce(counted.cases, 0) AS cases
        FROM generate_series(0, ?) AS b(n) LEFT JOIN counted ON counted.bin = b.n
        ORDER BY 1
        """,
        [bin_days, last_bin, *params, last_bin],
    )
    bins = frame["bin"].astype("int64")
    overflow = bins == last_bin
    return pd.DataFrame(
        {
            "from_days": bins * bin_days,
            "to_days": (bins * bin_days + bin_days).astype("Int64").mask(overflow),
            "overflow": overflow,
            "cases": frame["cases"].astype("int64"),
        }
    )


def verdict_delay_medians(store: Store, filters: Filters) -> pd.DataFrame:
    """Median days from opened to verdict (metrics definition) for the selection and per region.

    Columns: region ('all' for the whole selection, first), verdict (n: cases with a verdict),
    median_days_to_verdict (missing when n is 0). Regions with cases appear in REGIONS order.
    """
    whole, params = case_counts(filters, {})
    whole = f"SELECT 'all' AS region, w.* FROM ({whole}) w"
    by_region, more = case_counts(filters, {"region": "region"})
    return _medians(store.query(f"{whole} UNION ALL {by_region}", [*params, *more]))


def _medians(frame: pd.DataFrame) -> pd.DataFrame:
    return _medians_of([frame])


def _medians_of(frames: list[pd.DataFrame]) -> pd.DataFrame:
    columns = _columns(frames, ["region"])
    regions, opened = columns["region"], columns["opened"]
    rank = [-1 if r == "all" else _region_rank(r) for r in regions]
    kept = [i for i in range(len(regions)) if regions[i] == "all" or opened[i] > 0]
    order = sorted(kept, key=lambda i: rank[i])
    return pd.DataFrame(
        {
            "region": pd.array(regions[order], dtype=frames[0]["region"].dtype),
            "verdict": columns["verdict"][order],
            "median_days_to_verdict": columns["median_days_to_verdict"][order],
        }
    )


def _cooperation_group_sql(split_types: bool) -> str:
    """SQL for a case's cooperation group: the type itself, or only none / any."""
    with_cooperation = "cooperation" if split_types else "'any'"
    return (
        "CASE WHEN cooperation IS NULL THEN 'not_recorded' "
        f"WHEN cooperation = 'none' THEN 'none' ELSE {with_cooperation} END"
    )


# the types are fixed codes of the schema, never the user's text
_TYPE_CODES = ", ".join(f"'{code}'" for code in COOPERATION_TYPES)
_ANY_COOPERATION_SQL = f"CASE WHEN cooperation IN ({_TYPE_CODES}) THEN 'any' END"


def cooperation_outcomes(store: Store, filters: Filters) -> pd.DataFrame:
    """Counts and both rates for cases without cooperation, with any, and per cooperation type.

    Rows (those with cases) in COOPERATION_GROUPS order: none, any, mla_request,
    joint_investigation, extradition, not_recorded. 'any' is the sum of the three types.
    Columns: cooperation, the metrics.case_counts columns and the metrics.with_rates columns.
    """
    by_type, params = case_counts(filters, {"cooperation": _cooperation_group_sql(True)})
    any_type, more = case_counts(filters, {"cooperation": _ANY_COOPERATION_SQL})
    return _cooperation(store.query(f"{by_type} UNION ALL {any_type}", [*params, *more]))


def _cooperation(*frames: pd.DataFrame) -> pd.DataFrame:
    columns = _columns(list(frames), ["cooperation"])
    groups, opened = columns["cooperation"], columns["opened"]
    kept = [i for i, group in enumerate(groups) if not pd.isna(group) and opened[i] > 0]
    order = sorted(kept, key=lambda i: _GROUP_RANK.get(groups[i], len(_GROUP_RANK)))
    return _table(columns, order, {"cooperation": frames[0]["cooperation"].dtype})


def cooperation_by_region(store: Store, filters: Filters) -> pd.DataFrame:
    """Per region with cases: counts and both rates without cooperation and with any cooperation.

    Rows: (region, cooperation) with cooperation in none / any / not_recorded (present groups
    only), regions in REGIONS order. Columns as in cooperation_outcomes, plus region.
    """
    return _cooperation_region(
        store.query(
            *case_counts(
                filters, {"region": "region", "cooperation": _cooperation_group_sql(False)}
            )
        )
    )


def _cooperation_region(frame: pd.DataFrame) -> pd.DataFrame:
    columns = _columns([frame], ["region", "cooperation"])
    regions, groups = columns["region"], columns["cooperation"]
    # a group outside COOPERATION_GROUPS has no rank (NaN), which sorts last
    rank = [_GROUP_RANK.get(g, math.inf) for g in groups]
    order = sorted(range(len(regions)), key=lambda i: (_region_rank(regions[i]), rank[i]))
    keys = {"region": frame["region"].dtype, "cooperation": frame["cooperation"].dtype}
    return _table(columns, order, keys)


_READER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="justice-read")


@dataclass(frozen=True)
class PageTables:
    """What the justice page draws, each frame exactly as its own function returns it."""

    headline: metrics.Headline
    funnel: pd.DataFrame  # attrition_funnel
    country_rates: pd.DataFrame
    bins: pd.DataFrame  # verdict_delay_bins
    medians: pd.DataFrame  # verdict_delay_medians
    cooperation: pd.DataFrame  # cooperation_outcomes
    cooperation_by_region: pd.DataFrame


def page_tables(store: Store, filters: Filters) -> PageTables:
    """Every frame of the justice page from one grouped read (metrics.case_counts_sets) and the
    delay bins, instead of one read per chart.

    The bins are read on another thread meanwhile: both stores run queries side by side (the
    GIL is released while they work), ~10 ms less per filter change at 1M events.
    """
    bins = _READER.submit(contextvars.copy_context().run, verdict_delay_bins, store, filters)
    sets = metrics.case_counts_sets(store, filters, PAGE_SETS)
    headline = metrics.headline(store, filters, sets["all"])
    if headline.cases_opened == 0:  # nothing selected: each function's empty frame
        return PageTables(
            headline,
            attrition_funnel(store, filters),
            country_rates(store, filters),
            bins.result(),
            verdict_delay_medians(store, filters),
            cooperation_outcomes(store, filters),
            cooperation_by_region(store, filters),
        )

    return PageTables(
        headline=headline,
        funnel=attrition_funnel(store, filters, sets["region"]),
        country_rates=country_rates(store, filters, sets["country"]),
        bins=bins.result(),
        medians=_medians_of([sets["all"].assign(region="all"), sets["region"]]),
        cooperation=_cooperation(sets["type"], sets["any"]),
        cooperation_by_region=_cooperation_region(sets["region_coop"]),
    )


# Every grouping of the page's tables, for metrics.case_counts_sets.
PAGE_SETS: dict[str, dict[str, str]] = {
    "all": {},
    "region": {"region": "region"},
    "country": {"country_iso3": "country_iso3", "region": "region"},
    "type": {"cooperation": _cooperation_group_sql(True)},
    "any": {"cooperation": _ANY_COOPERATION_SQL},
    "region_coop": {"region": "region", "cooperation": _cooperation_group_sql(False)},
}
