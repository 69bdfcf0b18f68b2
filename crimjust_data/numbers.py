"""The dashboard's numbers as data: what `python -m crimjust_data metrics` prints.

The same functions as the pages (metrics.headline, metrics.case_counts, queries.activities
.before_after), so a number here is the number a page shows for the same selection. Rates are
fractions from 0 to 1; a number that cannot be computed is None (null in JSON).
"""

from __future__ import annotations

import math
from typing import Any

from crimjust_data import metrics
from crimjust_data.metrics import PROSECUTION_WINDOW_MONTHS, Filters, Rate
from crimjust_data.queries import activities as activity_queries
from crimjust_data.store import Store
from crimjust_data.survival import TimeToVerdict


def _number(value: float | None, digits: int = 6) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return round(float(value), digits)


def _rate(rate: Rate) -> dict[str, Any]:
    low, high = rate.interval
    return {
        "rate": _number(rate.value),
        "low": _number(low),
        "high": _number(high),
        "n": rate.n,
        "successes": rate.successes,
        "low_confidence": rate.low_confidence,
    }


def _time_to_verdict(estimate: TimeToVerdict) -> dict[str, Any]:
    return {
        "median_days": _number(estimate.median_days, 1),
        "low": _number(estimate.low, 1),
        "high": _number(estimate.high, 1),
        "n": estimate.n,
        "verdicts": estimate.verdicts,
        "pending": estimate.pending,
        "median_over_days": _number(estimate.over_days, 1),
        "method": estimate.method,
    }


def _change(value: float | None, unit: str) -> float | None:
    """The difference in differences as JSON gives it: a ratio of ratios (1 = no difference),
    days, or for rates a difference of fractions (-0.05 = 5 percentage points down), as every
    rate here is a fraction."""
    if value is None:
        return None
    return _number(value / 100 if unit == "points" else value)


def _activity(store: Store, activity_id: str, window: int) -> dict[str, Any]:
    result = activity_queries.before_after(store, activity_id, window)
    if result is None:
        return {"activity_id": activity_id, "error": "no such activity"}
    return {
        "activity_id": activity_id,
        "window_months": window,
        "countries": list(result.countries),
        "comparison": list(result.comparison),
        "no_comparison_reason": result.no_comparison_reason,
        "indicators": [
            {
                "indicator": change.indicator.key,
                "kind": change.indicator.kind,
                "change": _change(change.difference_in_differences, change.unit),
                "unit": "rate_difference" if change.unit == "points" else change.unit,
                "p_value": _number(change.p_value),
                "p_adjusted": _number(change.p_adjusted),
                "notable": bool(change.notable),
            }
            for change in result.changes
        ],
    }


def report(
    store: Store,
    filters: Filters,
    activity: str | None = None,
    window: int = activity_queries.DEFAULT_WINDOW_MONTHS,
) -> dict[str, Any]:
    """Every headline number of the selection; with `activity` (an id, or 'all' for every
    activity that a timeline of the selection marks), its before/after tests."""
    end = metrics.data_end(store)
    counts = metrics.case_counts(store, filters, {}, end)
    headline = metrics.headline(store, filters, counts, end)
    row = counts.iloc[0] if len(counts) else dict.fromkeys(metrics.COUNT_NAMES, 0)
    out: dict[str, Any] = {
        "data_end": None if end is None else end.isoformat(),
        "filters": {
            "from": None if filters.date_from is None else filters.date_from.isoformat(),
            "to": None if filters.date_to is None else filters.date_to.isoformat(),
            "regions": list(filters.regions),
            "countries": list(filters.countries),
        },
        "seizures": {
            "events": headline.seizure_events,
            "kg": _number(headline.seized_kg, 3),
        },
        "cases": {
            "opened": headline.cases_opened,
            "closed_before_charge": int(row["closed_before_charge"]),
            "charged": int(row["charged"]),
            "court_outcome": int(row["court_outcome"]),
            "convicted": int(row["convicted"]),
            "too_recent": headline.too_recent,
            "prosecution": _rate(headline.prosecution)
            | {"within_months": PROSECUTION_WINDOW_MONTHS},
            "conviction": _rate(headline.conviction),
            "time_to_verdict": _time_to_verdict(headline.time_to_verdict),
        },
        "activities": [],
    }
    if activity == "all":
        listed = activity_queries.activities_for(store, filters, filters.date_from, filters.date_to)
        ids = list(listed["activity_id"])
    else:
        ids = [] if activity is None else [activity]
    out["activities"] = [_activity(store, activity_id, window) for activity_id in ids]
    return out


def _percent(rate: dict[str, Any]) -> str:
    if rate["rate"] is None:
        return "n/a (n = 0)"
    return (
        f"{rate['rate'] * 100:.1f}% (95% CI {rate['low'] * 100:.1f}-{rate['high'] * 100:.1f}%, "
        f"n = {rate['n']:,})"
    )


def text(numbers: dict[str, Any]) -> str:
    """The report as lines a person reads in a terminal (English)."""
    cases = numbers["cases"]
    timing = cases["time_to_verdict"]
    if timing["median_days"] is not None:
        bound = "open" if timing["high"] is None else f"{timing['high']:.0f}"
        low = "open" if timing["low"] is None else f"{timing['low']:.0f}"
        median = f"{timing['median_days']:.0f} days (95% CI {low}-{bound})"
    elif timing["median_over_days"] is not None:
        median = f"over {timing['median_over_days']:.0f} days (fewer than half have an outcome)"
    else:
        median = "n/a"
    lines = [
        f"data end: {numbers['data_end'] or 'no case data'}",
        f"seizures: {numbers['seizures']['events']:,} events, {numbers['seizures']['kg']:,.1f} kg",
        f"cases opened: {cases['opened']:,} (closed before charge {cases['closed_before_charge']:,}"
        f", charged {cases['charged']:,}, court outcome {cases['court_outcome']:,}, "
        f"convicted {cases['convicted']:,})",
        f"prosecution rate (charged within {cases['prosecution']['within_months']} months, cases "
        f"opened at least that long before the data's end): {_percent(cases['prosecution'])}; "
        f"{cases['too_recent']:,} cases too recent to judge",
        f"conviction rate (of charged cases with a court outcome): {_percent(cases['conviction'])}",
        f"time to verdict ({timing['method']}): {median}; {timing['n']:,} charged cases, "
        f"{timing['pending']:,} pending",
    ]
    for activity in numbers["activities"]:
        if "error" in activity:
            lines.append(f"activity {activity['activity_id']}: {activity['error']}")
            continue
        head = f"activity {activity['activity_id']} ({activity['window_months']} months)"
        if activity["no_comparison_reason"]:
            head += f": {activity['no_comparison_reason']}"
        lines.append(head)
        for indicator in activity["indicators"]:
            change = indicator["change"]
            p = indicator["p_adjusted"]
            lines.append(
                f"  {indicator['indicator']}: difference in differences "
                f"{'n/a' if change is None else f'{change:.4g}'} ({indicator['unit']}), "
                f"Holm-adjusted p {'n/a' if p is None else f'{p:.3f}'}"
                f"{' - notable' if indicator['notable'] else ''}"
            )
    return "\n".join(lines)
