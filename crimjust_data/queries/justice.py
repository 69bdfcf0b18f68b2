"""Queries of the 'Justice outcomes' page: what happens to cases after cocaine is seized.

One reader, `page_tables`: every count of the page from one grouped read of the case counts
(metrics.case_counts_sets) and every time to verdict from one read of the charged cases
(metrics.verdict_times), so a rate here is the same number as on the home page for the same
selection. Each frame has fixed columns and types, also when the selection has no case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from crimjust_data import metrics, survival
from crimjust_data.countries import REGIONS, country_name
from crimjust_data.i18n import _
from crimjust_data.metrics import COUNT_NAMES, Filters
from crimjust_data.schemas import COOPERATION
from crimjust_data.store import Store
from crimjust_data.vocabulary import STAGE_LABELS

# Stages in funnel order: the count column and its label (msgid, from the vocabulary).
# A case closed before any charge leaves the funnel at its own stage; court outcome and
# convicted are of the charged cases, so court outcome is the conviction rate's n.
FUNNEL_STAGES: tuple[tuple[str, str], ...] = tuple(STAGE_LABELS.items())
COOPERATION_TYPES = COOPERATION[1:]  # everything but 'none'
# Group codes of the cooperation split; 'not_recorded' is a case whose cooperation field is empty
# (it is neither 'none' nor a type, so it is kept apart rather than guessed).
COOPERATION_GROUPS = ("none", "any", *COOPERATION_TYPES, "not_recorded")

_STAGES = [stage for stage, _label in FUNNEL_STAGES]
_COUNTS = dict.fromkeys(COUNT_NAMES, "int64")
# The columns and types of each frame (with_rates adds the rate columns to the counts).
FUNNEL_COLUMNS = {
    "region": "str",
    "stage": "str",
    "stage_label": "str",
    "cases": "int64",
    "opened": "int64",
    "share_of_opened": "float64",
}
COUNTRY_COLUMNS = {"country_iso3": "str", "country": "str", "region": "str"} | _COUNTS
MEDIAN_COLUMNS = {
    "region": "str",
    "median_days_to_verdict": "float64",
    "verdict_days_low": "float64",
    "verdict_days_high": "float64",
    "verdict_n": "int64",
    "pending": "int64",
    "verdict_over_days": "float64",
}
CURVE_COLUMNS = {
    "region": "str",
    "days": "float64",
    "share_waiting": "float64",
    "at_risk": "float64",
}
COOPERATION_COLUMNS = {"cooperation": "str"} | _COUNTS
COOPERATION_REGION_COLUMNS = {"region": "str", "cooperation": "str"} | _COUNTS


def _ordered(frame: pd.DataFrame, **orders: Sequence[str] | None) -> pd.DataFrame:
    """`frame` sorted by the named columns in turn, each in the order given (values not listed
    after the listed ones, as they came; None: by value), with a fresh index."""
    # a sort in Python over tens of rows: a fraction of pandas' sort_values on them
    keys = []
    for column, order in orders.items():
        values = frame[column].tolist()
        if order is not None:
            rank = {value: i for i, value in enumerate(order)}
            values = [rank.get(value, len(order)) for value in values]
        keys.append(values)
    rows = sorted(range(len(frame)), key=lambda i: [key[i] for key in keys])
    return frame.iloc[rows].reset_index(drop=True)


def _typed(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """`frame` cut to `columns`, in their order and types (text stays text with no row)."""
    frame = frame[list(columns)]
    retype = {column: kind for column, kind in columns.items() if frame[column].dtype != kind}
    return frame.astype(retype) if retype else frame


def _with_rates(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The rows with cases, typed, with the rate columns of metrics.with_rates."""
    return metrics.with_rates(_typed(frame[frame["opened"] > 0], columns))


def attrition_funnel(_store: Store, _filters: Filters, counts: pd.DataFrame) -> pd.DataFrame:
    """One row per region with cases and funnel stage (FUNNEL_STAGES): cases, and the share of
    the region's opened cases. Columns: FUNNEL_COLUMNS, regions in REGIONS order.

    `counts`: the case counts by region (metrics.case_counts); the store and filters they were
    read with are taken for the snapshot's sections, which call every read that way."""
    wide = counts[counts["opened"] > 0]
    frame = _ordered(wide.melt("region", _STAGES, "stage", "cases"), region=REGIONS, stage=_STAGES)
    labels = {stage: _(label) for stage, label in FUNNEL_STAGES}
    opened = frame["region"].map(wide.set_index("region")["opened"]).astype("int64")
    frame = frame.assign(
        stage_label=frame["stage"].map(labels),
        opened=opened,
        share_of_opened=frame["cases"] / opened,
    )
    return _typed(frame, FUNNEL_COLUMNS)


@dataclass(frozen=True)
class PageTables:
    """What the justice page draws."""

    headline: metrics.Headline
    funnel: pd.DataFrame  # attrition_funnel
    # one row per country with cases: COUNTRY_COLUMNS and the with_rates columns, by region
    # (REGIONS order), then country name
    country_rates: pd.DataFrame
    # Kaplan-Meier time to verdict: MEDIAN_COLUMNS, 'all' first, then the regions with charged
    # cases (median NaN where the curve never reaches one half; verdict_over_days, the longest
    # time followed, where there is no median)
    medians: pd.DataFrame
    # Kaplan-Meier curves by region: the share of charged cases still awaiting a court outcome
    # by days since opening (CURVE_COLUMNS)
    curves: pd.DataFrame
    # counts and both rates per cooperation group with cases, in COOPERATION_GROUPS order
    # ('any' is the sum of the three types): COOPERATION_COLUMNS and the with_rates columns
    cooperation: pd.DataFrame
    # the same per region and none / any / not_recorded (COOPERATION_REGION_COLUMNS)
    cooperation_by_region: pd.DataFrame
    data_end: dt.date | None = None


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
    estimates = survival.estimates_by(times, "region")
    countries = sets["country"].assign(
        country=[country_name(iso3) for iso3 in sets["country"]["country_iso3"]]
    )
    # the 'any' set's cases with no cooperation type have no group: left out
    cooperation = pd.concat([sets["type"], sets["any"].dropna(subset="cooperation")])
    charged = ["all", *(key for key, e in estimates.items() if key != "all" and e.n > 0)]
    medians = pd.DataFrame(
        {"region": charged} | survival.columns([estimates[key] for key in charged])
    )
    return PageTables(
        headline=metrics.headline(store, filters, sets["all"], end, estimates["all"]),
        funnel=attrition_funnel(store, filters, sets["region"]),
        country_rates=_with_rates(
            _ordered(countries, region=REGIONS, country=None), COUNTRY_COLUMNS
        ),
        medians=_typed(_ordered(medians, region=("all", *REGIONS)), MEDIAN_COLUMNS),
        curves=_typed(_ordered(survival.curves_by(times, "region"), region=REGIONS), CURVE_COLUMNS),
        cooperation=_with_rates(
            _ordered(cooperation, cooperation=COOPERATION_GROUPS), COOPERATION_COLUMNS
        ),
        cooperation_by_region=_with_rates(
            _ordered(sets["region_coop"], region=REGIONS, cooperation=COOPERATION_GROUPS),
            COOPERATION_REGION_COLUMNS,
        ),
        data_end=end,
    )
