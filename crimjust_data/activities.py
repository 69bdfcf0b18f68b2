"""Before and after a program activity: the windows, and the statistics that compare them.

Pure functions (no store): crimjust_data.queries.activities reads the numbers they work on.

Windows are whole calendar months, so they are answered exactly from the monthly rollups:
`before` is the `months` whole months before the month the activity started; `after` is the
`months` whole months after the month it ended (its start month when it has no end). The
activity's own months are in neither. Each window is cut to the months the data covers, and says
so; a window with no month of data left is empty.

The change in an indicator is tested with a permutation test: the units of both windows (months
for amounts per month, cases for rates, verdicts for time to verdict) are shuffled between the
two windows, and the p-value is the share of shuffles whose difference is at least as large as
the one observed (exact when there are few ways to shuffle, else 4,000 random ones from a fixed
seed, so the same data always gives the same p-value).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations

import numpy as np

# Exact enumeration up to this many ways to split the units; random shuffles above it.
EXACT_LIMIT = 20_000
RANDOM_SHUFFLES = 4_000
SEED = 2016
# A window with fewer months than this, or a rate over fewer cases, is flagged as too thin.
MIN_MONTHS = 3
MIN_CASES = 10


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def first_whole_month(day: dt.date) -> dt.date:
    """The first month that starts on or after `day` (the data covers it whole from `day` on)."""
    return day if day.day == 1 else add_months(month_start(day), 1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after (before, if negative) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Number of calendar months from `first`'s to `last`'s, both included (0 if last < first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


@dataclass(frozen=True)
class Window:
    """Whole months first..last (first days of months, both included), as asked and as the
    data allows. `months` is 0 when the data has none of them."""

    side: str  # 'before' or 'after'
    wanted_first: dt.date
    wanted_last: dt.date
    first: dt.date
    last: dt.date
    months: int

    @property
    def wanted_months(self) -> int:
        return months_between(self.wanted_first, self.wanted_last)

    @property
    def cut(self) -> bool:
        """Fewer months than asked: the data starts or ends inside the window."""
        return self.months < self.wanted_months

    @property
    def empty(self) -> bool:
        return self.months == 0

    @property
    def end_day(self) -> dt.date:
        """The last day of the window (for day-based queries: `day < end_day + 1`)."""
        return add_months(self.last, 1) - dt.timedelta(days=1)

    def month_list(self) -> list[dt.date]:
        return [add_months(self.first, i) for i in range(self.months)]


def windows(
    start: dt.date,
    end: dt.date | None,
    months: int,
    data_first: dt.date | None,
    data_last: dt.date | None,
) -> tuple[Window, Window]:
    """The before and after windows of an activity from `start` to `end` (None: one day), of
    `months` whole months each, cut to the months the data from `data_first` to `data_last`
    covers whole (a month the data starts or ends inside would look like a drop)."""
    if months < 1:
        raise ValueError(f"a window needs at least one month, not {months}")
    began = month_start(start)
    ended = month_start(end if end is not None and end >= start else start)
    asked = (
        ("before", add_months(began, -months), add_months(began, -1)),
        ("after", add_months(ended, 1), add_months(ended, months)),
    )
    result = []
    for side, first, last in asked:
        if data_first is None or data_last is None:
            result.append(Window(side, first, last, first, first, 0))
            continue
        cut_first = max(first, first_whole_month(data_first))
        cut_last = min(last, add_months(month_start(data_last + dt.timedelta(days=1)), -1))
        count = months_between(cut_first, cut_last)
        result.append(Window(side, first, last, cut_first, cut_last if count else cut_first, count))
    return result[0], result[1]


def overlaps(window: Window, start: dt.date, end: dt.date | None) -> bool:
    """Does an activity from `start` to `end` (None: one day) fall in the window's months?"""
    if window.empty:
        return False
    last = end if end is not None and end >= start else start
    return start <= window.end_day and last >= window.first


# ---------------------------------------------------------------------------------------------
# Permutation test


def _splits(total: int, after: int) -> Iterator[np.ndarray]:
    """Every way to choose which `after` of `total` units are 'after' (as boolean masks)."""
    for chosen in combinations(range(total), after):
        mask = np.zeros(total, dtype=bool)
        mask[list(chosen)] = True
        yield mask


def permutation_p(
    before: np.ndarray,
    after: np.ndarray,
    statistic: Callable[[np.ndarray, np.ndarray], float] | None = None,
) -> float | None:
    """Two-sided permutation p-value of statistic(after) - statistic(before) (the mean by
    default); None when a side has no unit. Exact below EXACT_LIMIT splits."""
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    if len(before) == 0 or len(after) == 0:
        return None
    measure = statistic or (lambda values, axis: np.mean(values, axis=axis))
    units = np.concatenate([before, after])
    observed = abs(float(measure(after, None)) - float(measure(before, None)))
    tolerance = 1e-9 * max(1.0, observed)
    total, count = len(units), len(after)
    if math.comb(total, count) <= EXACT_LIMIT:
        masks = np.array(list(_splits(total, count)))
        differences = np.array(
            [measure(units[m], None) - measure(units[~m], None) for m in masks], dtype=float
        )
        return float(np.mean(np.abs(differences) >= observed - tolerance))
    rng = np.random.default_rng(SEED)
    extreme = 0
    for _chunk in range(RANDOM_SHUFFLES // 500):
        shuffled = rng.permuted(np.tile(units, (500, 1)), axis=1)
        differences = measure(shuffled[:, :count], 1) - measure(shuffled[:, count:], 1)
        extreme += int(np.sum(np.abs(differences) >= observed - tolerance))
    return (extreme + 1) / (RANDOM_SHUFFLES + 1)


def median(values: np.ndarray, axis: int | None) -> float | np.ndarray:
    """The median, as permutation_p's statistic (time to verdict)."""
    return np.median(values, axis=axis)


def relative_change(before: float | None, after: float | None) -> float | None:
    """(after - before) / before; None without a before value above zero."""
    if before is None or after is None or before <= 0:
        return None
    return after / before - 1.0


def difference(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    return after - before
