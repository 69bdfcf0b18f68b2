"""Queries of the 'Justice outcomes' page: what happens to cases after cocaine is seized.

Every count and rate goes through the definitions in crimjust_data.metrics (case_counts_sets,
times_to_verdict, with_rates), so a rate here is the same number as on the home page for the
same selection. Each function takes (store, filters, ...hashable options), does its work in SQL
and returns a small frame for ui_cache.query to cache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crimjust_data import metrics, survival
from crimjust_data.countries import REGIONS, country_name
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import COUNT_NAMES, Filters
from crimjust_data.schemas import COOPERATION
from crimjust_data.store import Store
from crimjust_data.survival import TimeToVerdict

# Stages of DESIGN.md section 6 in funnel order: the count column and how people read it.
# A case closed before any charge leaves the funnel at its own stage; court outcome and
# convicted are of the charged cases, so court outcome is the conviction rate's n.
FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("opened", N_("Opened")),
    ("closed_before_charge", N_("Closed before charge")),
    ("charged", N_("Charged")),
    ("court_outcome", N_("Court outcome")),
    ("convicted", N_("Convicted")),
)
COOPERATION_TYPES = COOPERATION[1:]  # everything but 'none'
# Group codes of the cooperation split; 'not_recorded' is a case whose cooperation field is empty
# (it is neither 'none' nor a type, so it is kept apart rather than guessed).
COOPERATION_GROUPS = ("none", "any", *COOPERATION_TYPES, "not_recorded")

_REGION_RANK = {region: i for i, region in enumerate(REGIONS)}
_GROUP_RANK = {group: i for i, group in enumerate(COOPERATION_GROUPS)}


def _region_rank(region: str) -> int:
    """Position of a region in REGIONS (the three CRIMJUST regions first), others after."""
    return _REGION_RANK.get(region, len(REGIONS))


def _funnel_long(wide: pd.DataFrame) -> pd.DataFrame:
    """The funnel in long form (one row per region and stage) from counts by region."""
    columns = ["region", "stage", "stage_label", "cases", "opened", "share_of_opened"]
    if wide.empty:
        return pd.DataFrame(columns=columns)
    wide = wide.iloc[sorted(range(len(wide)), key=lambda i: _region_rank(wide["region"].iat[i]))]
    rows = [
        (region, stage, _(label), int(row[stage]), int(row["opened"]))
        for region, (_i, row) in zip(wide["region"], wide.iterrows(), strict=True)
        for stage, label in FUNNEL_STAGES
    ]
    frame = pd.DataFrame(rows, columns=columns[:-1])
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 opened gives NaN
        frame["share_of_opened"] = frame["cases"] / frame["opened"].where(frame["opened"] > 0)
    return frame.astype({"region": "str", "stage": "str", "stage_label": "str"})


def attrition_funnel(
    store: Store, filters: Filters, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per region present and funnel stage (FUNNEL_STAGES): cases, and the share of the
    region's opened cases. Columns: region, stage, stage_label, cases, opened, share_of_opened.
    Regions come in REGIONS order; only regions with cases appear. `counts`: the case counts
    by region (metrics.case_counts), when already read."""
    if counts is None:
        counts = metrics.case_counts(store, filters, {"region": "region"})
    return _funnel_long(counts[counts["opened"] > 0])


def _country_rates(frame: pd.DataFrame) -> pd.DataFrame:
    # keys typed as text even when no row is left (PostgreSQL's empty result has no types)
    frame = frame[frame["opened"] > 0].astype({"country_iso3": "str", "region": "str"})
    frame.insert(1, "country", [country_name(iso3) for iso3 in frame["country_iso3"]])
    order = sorted(
        range(len(frame)),
        key=lambda i: (_region_rank(frame["region"].iat[i]), frame["country"].iat[i]),
    )
    frame = frame.iloc[order][["country_iso3", "country", "region", *COUNT_NAMES]]
    return metrics.with_rates(frame.reset_index(drop=True))


def country_rates(store: Store, filters: Filters) -> pd.DataFrame:
    """One row per country with cases: counts, both rates with n, Wilson bounds, low-confidence.

    Columns: country_iso3, country, region, metrics.COUNT_NAMES and the metrics.with_rates
    columns. Ordered by region (REGIONS order), then country name.
    """
    groups = {"country_iso3": "country_iso3", "region": "region"}
    return _country_rates(metrics.case_counts(store, filters, groups))


def _verdict_table(estimates: dict[str, TimeToVerdict]) -> pd.DataFrame:
    """'all' first, then the regions with charged cases in REGIONS order."""
    regions = sorted((r for r, e in estimates.items() if r != "all" and e.n > 0), key=_region_rank)
    keys = ["all", *regions]
    frame = pd.DataFrame({"region": pd.array(keys, dtype="str")})
    return frame.assign(**metrics.verdict_columns([estimates[k] for k in keys]))


def verdict_medians(store: Store, filters: Filters) -> pd.DataFrame:
    """Kaplan-Meier time to verdict for the selection ('all', first) and per region.

    Columns: region, median_days_to_verdict (NaN where the curve never reaches one half),
    verdict_days_low, verdict_days_high, verdict_n (charged cases), pending,
    verdict_over_days (the longest time followed, where there is no median)."""
    return _verdict_table(metrics.times_to_verdict(store, filters, "region"))


def _curves(times: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for region, part in times.groupby("region", sort=False):
        drawn = survival.curve(part["days"], part["event"], part["cases"])
        parts.append(drawn.assign(region=str(region)))
    if not parts:
        return pd.DataFrame(columns=["region", "days", "share_waiting", "at_risk"])
    frame = pd.concat(parts, ignore_index=True)[["region", "days", "share_waiting", "at_risk"]]
    rank = frame["region"].map(_region_rank)
    return frame.assign(_rank=rank).sort_values(["_rank", "days"]).drop(columns="_rank")


def verdict_curves(store: Store, filters: Filters) -> pd.DataFrame:
    """Kaplan-Meier curves by region: the share of charged cases still awaiting a court outcome
    by days since opening. Columns region, days, share_waiting, at_risk."""
    return _curves(metrics.verdict_times(store, filters, {"region": "region"}))


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


def _cooperation(*frames: pd.DataFrame) -> pd.DataFrame:
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["cooperation"].notna() & (frame["opened"] > 0)]
    frame = frame[frame["cooperation"] != "nan"]  # the 'any' set's cases with no type
    frame = frame.astype({"cooperation": "str"})  # text even when empty (PostgreSQL)
    rank = frame["cooperation"].map(lambda g: _GROUP_RANK.get(g, len(_GROUP_RANK)))
    frame = frame.assign(_rank=rank).sort_values("_rank").drop(columns="_rank")
    return metrics.with_rates(frame.reset_index(drop=True))


def cooperation_outcomes(store: Store, filters: Filters) -> pd.DataFrame:
    """Counts and both rates for cases without cooperation, with any, and per cooperation type.

    Rows (those with cases) in COOPERATION_GROUPS order: none, any, mla_request,
    joint_investigation, extradition, not_recorded. 'any' is the sum of the three types.
    Columns: cooperation, metrics.COUNT_NAMES and the metrics.with_rates columns.
    """
    sets = metrics.case_counts_sets(
        store, filters, {"type": PAGE_SETS["type"], "any": PAGE_SETS["any"]}
    )
    return _cooperation(sets["type"], sets["any"])


def _cooperation_region(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[frame["opened"] > 0].astype({"region": "str", "cooperation": "str"})
    rank = [
        (_region_rank(r), _GROUP_RANK.get(g, len(_GROUP_RANK)))
        for r, g in zip(frame["region"], frame["cooperation"], strict=True)
    ]
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: rank[i])]
    return metrics.with_rates(frame.reset_index(drop=True))


def cooperation_by_region(store: Store, filters: Filters) -> pd.DataFrame:
    """Per region with cases: counts and both rates without cooperation and with any cooperation.

    Rows: (region, cooperation) with cooperation in none / any / not_recorded (present groups
    only), regions in REGIONS order. Columns as in cooperation_outcomes, plus region.
    """
    return _cooperation_region(metrics.case_counts(store, filters, PAGE_SETS["region_coop"]))


@dataclass(frozen=True)
class PageTables:
    """What the justice page draws, each frame exactly as its own function returns it."""

    headline: metrics.Headline
    funnel: pd.DataFrame  # attrition_funnel
    country_rates: pd.DataFrame
    medians: pd.DataFrame  # verdict_medians
    curves: pd.DataFrame  # verdict_curves
    cooperation: pd.DataFrame  # cooperation_outcomes
    cooperation_by_region: pd.DataFrame
    data_end: dt.date | None = None


# Every grouping of the page's tables, for metrics.case_counts_sets.
PAGE_SETS: dict[str, dict[str, str]] = {
    "all": {},
    "region": {"region": "region"},
    "country": {"country_iso3": "country_iso3", "region": "region"},
    "type": {"cooperation": _cooperation_group_sql(True)},
    "any": {"cooperation": _ANY_COOPERATION_SQL},
    "region_coop": {"region": "region", "cooperation": _cooperation_group_sql(False)},
}


def page_tables(store: Store, filters: Filters) -> PageTables:
    """Every frame of the justice page from one grouped read of the counts
    (metrics.case_counts_sets) and one of the charged cases' times to verdict."""
    end = metrics.data_end(store)
    sets = metrics.case_counts_sets(store, filters, PAGE_SETS, end)
    times = metrics.verdict_times(store, filters, {"region": "region"}, end)
    estimates = metrics.estimates_by(times, "region")
    headline = metrics.headline(store, filters, sets["all"], end, estimates["all"])
    by_region = sets["region"]
    return PageTables(
        headline=headline,
        funnel=_funnel_long(by_region[by_region["opened"] > 0]),
        country_rates=_country_rates(sets["country"]),
        medians=_verdict_table(estimates),
        curves=_curves(times),
        cooperation=_cooperation(sets["type"], sets["any"]),
        cooperation_by_region=_cooperation_region(sets["region_coop"]),
        data_end=end,
    )
