"""Time to verdict as a survival quantity: Kaplan-Meier over charged cases, pending ones censored.

A median over the cases that already have a verdict is biased short: the slow cases of recent
years have not finished, so they are missing from it. The Kaplan-Meier estimator (Kaplan & Meier
1958) counts a pending case for as long as it is known to be waiting (from opening to the data's
end) and then censors it. The median is the first day the estimated share still awaiting a
verdict falls to one half or below; its 95% interval is Brookmeyer & Crowley's (1982), with the
complementary log-log transform (statsmodels' SurvfuncRight.quantile_ci, method 'cloglog').
When the curve never reaches one half, the median is only known to be over the longest time
followed ('over N days'). The median is the smallest time at which the curve is at or below
one half (Collett, 'Modelling Survival Data in Medical Research', 2015, section 2.4).

The one place the estimate is made. Pure functions: metrics.verdict_times reads (days, verdict
reached, number of cases) from the store, so each distinct time is one row however many cases
share it; `estimates_by`, `curves_by` and `columns` turn those rows into what the views show.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.duration.survfunc import SurvfuncRight

METHOD = "Kaplan-Meier; 95% CI: Brookmeyer-Crowley, complementary log-log"


@dataclass(frozen=True)
class TimeToVerdict:
    """Kaplan-Meier median days from opening to court outcome over charged cases."""

    median_days: float | None  # None: no estimate, or the curve never reaches one half
    low: float | None  # 95% interval of the median (None: unbounded or not estimable)
    high: float | None
    n: int  # charged cases counted (with an outcome or still pending)
    verdicts: int  # of which reached a court outcome
    pending: int  # of which still pending, censored at the data's end
    over_days: float | None = None  # with no median: the longest time followed

    @property
    def method(self) -> str:
        return METHOD


NO_CASES = TimeToVerdict(None, None, None, 0, 0, 0)


def _fit(days: np.ndarray, event: np.ndarray, count: np.ndarray) -> SurvfuncRight:
    # One row per case: statsmodels' quantile_ci ignores freq_weights in its variance (an
    # infinite upper bound on the demo), so the rows are repeated instead.
    repeats = count.astype("int64")
    return SurvfuncRight(np.repeat(days, repeats), np.repeat(event, repeats))


def _finite(value: float) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def time_to_verdict(days: np.ndarray, event: np.ndarray, count: np.ndarray) -> TimeToVerdict:
    """The estimate from one row per (days, event) with the number of cases `count`.

    `event` is 1 where the cases reached a court outcome after `days`, 0 where they were still
    pending `days` after opening (censored)."""
    days = np.asarray(days, dtype="float64")
    event = np.asarray(event, dtype="int64")
    count = np.asarray(count, dtype="float64")
    keep = count > 0
    days, event, count = days[keep], event[keep], count[keep]
    n = int(count.sum())
    verdicts = int(count[event == 1].sum())
    if n == 0:
        return NO_CASES
    pending = n - verdicts
    longest = float(days.max())
    if verdicts == 0:
        return TimeToVerdict(None, None, None, n, 0, pending, longest)
    fitted = _fit(days, event, count)
    # The smallest time at which the curve is at or below one half (Collett 2015, 2.4; the
    # tolerance absorbs products like 3/4 * 2/3). statsmodels' quantile() asks for 'below'.
    reached = np.flatnonzero(fitted.surv_prob <= 0.5 + 1e-9)
    if not len(reached):
        return TimeToVerdict(None, None, None, n, verdicts, pending, longest)
    median = float(fitted.surv_times[reached[0]])
    with warnings.catch_warnings():  # log(0) at the curve's ends: the bound is then open
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = fitted.quantile_ci(0.5, alpha=0.05, method="cloglog")
    return TimeToVerdict(median, _finite(low), _finite(high), n, verdicts, pending)


def curve(days: np.ndarray, event: np.ndarray, count: np.ndarray) -> pd.DataFrame:
    """The step curve: share of charged cases still awaiting a court outcome by days since
    opening. Columns days, share_waiting (1 at day 0), at_risk (cases followed that long)."""
    days = np.asarray(days, dtype="float64")
    event = np.asarray(event, dtype="int64")
    count = np.asarray(count, dtype="float64")
    keep = count > 0
    days, event, count = days[keep], event[keep], count[keep]
    if not len(days) or not (event == 1).any():
        return pd.DataFrame({"days": [0.0], "share_waiting": [1.0], "at_risk": [count.sum()]})
    fitted = _fit(days, event, count)
    return pd.DataFrame(
        {
            "days": np.concatenate([[0.0], fitted.surv_times]),
            "share_waiting": np.concatenate([[1.0], fitted.surv_prob]),
            "at_risk": np.concatenate([[count.sum()], fitted.n_risk]),
        }
    )


def _arrays(times: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return times["days"].to_numpy("float64"), times["event"].to_numpy("int64"), times["cases"]


def estimates_by(times: pd.DataFrame, column: str) -> dict[str, TimeToVerdict]:
    """Estimates of metrics.verdict_times' rows: each value of `column`, and 'all' of them."""
    estimates = {
        str(value): time_to_verdict(*_arrays(part))
        for value, part in times.groupby(column, sort=False)
    }
    return estimates | {"all": time_to_verdict(*_arrays(times))}


CURVE_COLUMNS = ("days", "share_waiting", "at_risk")


def curves_by(times: pd.DataFrame, column: str) -> pd.DataFrame:
    """`curve` of metrics.verdict_times' rows for each value of `column` (in order of first
    appearance): columns `column`, days, share_waiting, at_risk."""
    parts = [
        curve(*_arrays(part)).assign(**{column: str(value)})
        for value, part in times.groupby(column, sort=False)
    ]
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="str")} | dict.fromkeys(CURVE_COLUMNS, 0.0))
    return pd.concat(parts, ignore_index=True)[[column, *CURVE_COLUMNS]]


def columns(estimates: list[TimeToVerdict]) -> dict[str, list[object]]:
    """Table columns of estimates, one row each: median_days_to_verdict, its interval
    (verdict_days_low, verdict_days_high), verdict_n, pending and verdict_over_days; NaN where
    a value is None."""

    def number(value: float | None) -> float:
        return np.nan if value is None else float(value)

    return {
        "median_days_to_verdict": [number(e.median_days) for e in estimates],
        "verdict_days_low": [number(e.low) for e in estimates],
        "verdict_days_high": [number(e.high) for e in estimates],
        "verdict_n": [e.n for e in estimates],
        "pending": [e.pending for e in estimates],
        "verdict_over_days": [number(e.over_days) for e in estimates],
    }
