"""Queries of the 'Justice outcomes' page: what happens to cases after cocaine is seized.

Every count and rate goes through the definitions in crimjust_data.metrics (case_counts,
case_where, cases_from, funnel, with_rates), so a rate here is the same number as on the home
page for the same selection. Each function takes (store, filters, ...hashable options) and does
its work in SQL, returning a small frame for ui_cache.query to cache.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _region_rank(regions: pd.Series) -> pd.Series:
    """Position of each region in REGIONS (the three CRIMJUST regions first)."""
    return regions.map({region: i for i, region in enumerate(REGIONS)}).fillna(len(REGIONS))


def _counts_as_int(frame: pd.DataFrame) -> pd.DataFrame:
    frame[COUNT_COLUMNS] = frame[COUNT_COLUMNS].fillna(0).astype("int64")
    median = frame["median_days_to_verdict"]
    frame["median_days_to_verdict"] = pd.to_numeric(median).astype("float64")
    return frame


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
    wide = counts[["region", "opened", "charged", "charged_verdict", "charged_convicted"]]
    return _funnel_long(
        wide.set_axis(["region", "opened", "charged", "verdict", "convicted"], axis=1)
    )


def _funnel_long(wide: pd.DataFrame) -> pd.DataFrame:
    if wide.empty:
        return pd.DataFrame(
            columns=["region", "stage", "stage_label", "cases", "opened", "share_of_opened"]
        )
    # 'opened' is both a stage and the denominator: keep a copy as the id column
    wide = wide.assign(rank=_region_rank(wide["region"]), total=wide["opened"])
    long = wide.sort_values("rank", kind="stable").melt(
        id_vars=["region", "rank", "total"],
        value_vars=[stage for stage, _ in FUNNEL_STAGES],
        var_name="stage",
        value_name="cases",
    )
    stage_rank = {stage: i for i, (stage, _) in enumerate(FUNNEL_STAGES)}
    long = long.assign(stage_rank=long["stage"].map(stage_rank)).sort_values(
        ["rank", "stage_rank"], kind="stable"
    )
    long["stage_label"] = long["stage"].map({stage: _(label) for stage, label in FUNNEL_STAGES})
    long["cases"] = long["cases"].astype("int64")
    long["opened"] = long["total"].astype("int64")
    long["share_of_opened"] = long["cases"] / long["opened"]
    columns = ["region", "stage", "stage_label", "cases", "opened", "share_of_opened"]
    return long[columns].reset_index(drop=True)


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
    return _country_rates(counts[[*groups, *COUNT_COLUMNS, "median_days_to_verdict"]])


def _country_rates(frame: pd.DataFrame) -> pd.DataFrame:
    frame = _counts_as_int(frame)
    frame.insert(1, "country", [country_name(iso3) for iso3 in frame["country_iso3"]])
    frame = metrics.with_rates(frame)
    frame = frame.assign(rank=_region_rank(frame["region"]))
    frame = frame.sort_values(["rank", "country"], kind="stable").drop(columns="rank")
    return frame.reset_index(drop=True)


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
    frame = _counts_as_int(frame)
    frame = frame[(frame["region"] == "all") | (frame["opened"] > 0)]
    rank = _region_rank(frame["region"]).where(frame["region"] != "all", -1)
    frame = frame.assign(rank=rank).sort_values("rank", kind="stable")
    return frame[["region", "verdict", "median_days_to_verdict"]].reset_index(drop=True)


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


def _cooperation(frame: pd.DataFrame) -> pd.DataFrame:
    frame = _counts_as_int(frame[frame["cooperation"].notna()].reset_index(drop=True))
    frame = frame[frame["opened"] > 0]
    order = {group: i for i, group in enumerate(COOPERATION_GROUPS)}
    frame = frame.assign(rank=frame["cooperation"].map(order).fillna(len(order)))
    frame = frame.sort_values("rank", kind="stable").drop(columns="rank").reset_index(drop=True)
    return metrics.with_rates(frame)


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
    frame = _counts_as_int(frame)
    order = {group: i for i, group in enumerate(COOPERATION_GROUPS)}
    frame = frame.assign(
        rank=_region_rank(frame["region"]), group_rank=frame["cooperation"].map(order)
    )
    frame = frame.sort_values(["rank", "group_rank"], kind="stable")
    frame = frame.drop(columns=["rank", "group_rank"]).reset_index(drop=True)
    return metrics.with_rates(frame)


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
    delay bins, instead of one read per chart."""
    sets = metrics.case_counts_sets(store, filters, PAGE_SETS)
    headline = metrics.headline(store, filters, sets["all"])
    if headline.cases_opened == 0:  # nothing selected: each function's empty frame
        return PageTables(
            headline,
            attrition_funnel(store, filters),
            country_rates(store, filters),
            verdict_delay_bins(store, filters),
            verdict_delay_medians(store, filters),
            cooperation_outcomes(store, filters),
            cooperation_by_region(store, filters),
        )

    def rows(name: str) -> pd.DataFrame:
        return sets[name][[*PAGE_SETS[name], *COUNT_COLUMNS, "median_days_to_verdict"]]

    whole = rows("all")
    whole.insert(0, "region", "all")
    return PageTables(
        headline=headline,
        funnel=attrition_funnel(store, filters, sets["region"]),
        country_rates=country_rates(store, filters, sets["country"]),
        bins=verdict_delay_bins(store, filters),
        medians=_medians(pd.concat([whole, rows("region")], ignore_index=True)),
        cooperation=_cooperation(pd.concat([rows("type"), rows("any")], ignore_index=True)),
        cooperation_by_region=_cooperation_region(rows("region_coop")),
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
