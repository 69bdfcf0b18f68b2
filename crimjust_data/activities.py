"""Before and after a program activity: the windows, and the test of what changed.

Pure functions and the result types (no store): crimjust_data.queries.activities reads the
numbers they work on and fills the types (BeforeAfter, IndicatorChange, Measure) that the charts
take.

Windows are whole calendar months, so they are answered exactly from the monthly rollups:
`before` is the `months` whole months before the month the activity started; `after` is the
`months` whole months after the month it ended (its start month when it has no end). The
activity's own months are in neither. Each window is cut to the months the data covers, and says
so; a window with no month of data left is empty.

What is tested is the difference in differences: the change of the activity's countries from
before to after, beside the change of a comparison group over the same months (as a log ratio of
ratios for amounts, in points for rates, in days). Monthly series are autocorrelated and trend,
so months are not independent draws and shuffling them (a permutation test) finds changes where
there are none (Bertrand, Duflo & Mullainathan 2004, 'How much should we trust
differences-in-differences estimates?', QJE 119(1)). Instead the same statistic is measured at
every other start date of the same countries' history whose windows leave out the activity's
months: in-time placebos (Abadie, Diamond & Hainmueller 2010, JASA 105(490)). Their mean square
is the statistic's variance when nothing happened, whatever the autocorrelation and a trend the
two groups share; the p-value is from Student's t with Satterthwaite's (1946) degrees of freedom
for placebos whose windows overlap. The p-values of one activity's indicators are adjusted with
Holm's (1979) step-down method. The tests in tests/test_before_after_stats.py measure by
simulation that the test flags about 5% of no-effect series (AR(1), a shared trend) at 0.05.
The trend of each group in the before window is given as a least-squares slope, as in a
segmented regression of an interrupted time series (Wagner et al. 2002, J Clin Pharm Ther 27).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import t as student_t
from statsmodels.stats.multitest import multipletests

from crimjust_data.i18n import _, ngettext
from crimjust_data.metrics import PROSECUTION_WINDOW_MONTHS

# A window with fewer months than this, or a rate over fewer cases, is flagged as too thin.
MIN_MONTHS = 3
MIN_CASES = 10
# Fewer placebo dates, or degrees of freedom, than these: the difference is not tested.
MIN_PLACEBOS = 10
MIN_DF = 2.0
# Case outcomes at the same follow-up on both sides: the dashboard's prosecution window.
FOLLOW_UP_MONTHS = PROSECUTION_WINDOW_MONTHS
# The unit of the difference in differences, by the indicator's kind.
DID_UNITS = {"per_month": "ratio", "rate": "points", "days": "days"}


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


def complete(
    start: dt.date,
    end: dt.date | None,
    months: int,
    data_first: dict[str, dt.date | None],
    data_last: dict[str, dt.date | None],
    cohort_last: dt.date | None,
) -> bool:
    """Whether an activity's windows of `months` are whole in every table with data
    ('seizures', 'cases': their first and last days), and its after window's cases were all
    opened by `cohort_last` (followed up long enough for the case outcomes to count)."""
    tables = [table for table in ("seizures", "cases") if data_first.get(table) is not None]
    if not tables:
        return False
    for table in tables:
        before, after = windows(start, end, months, data_first[table], data_last[table])
        if before.cut or after.cut:
            return False
        if table == "cases" and (cohort_last is None or after.end_day > cohort_last):
            return False
    return True


def overlaps(window: Window, start: dt.date, end: dt.date | None) -> bool:
    """Does an activity from `start` to `end` (None: one day) fall in the window's months?"""
    if window.empty:
        return False
    last = end if end is not None and end >= start else start
    return start <= window.end_day and last >= window.first


# ---------------------------------------------------------------------------------------------
# The difference in differences and its test


@dataclass(frozen=True)
class Design:
    """Where the windows sit in a monthly series: `start` is the index of the first month of
    the before window; then `before` months, the activity's own `gap` months, `after` months."""

    start: int
    before: int
    gap: int
    after: int

    @property
    def span(self) -> int:
        return self.before + self.gap + self.after

    @property
    def activity(self) -> tuple[int, int]:
        """Indexes of the activity's own months: first, and one past the last."""
        return self.start + self.before, self.start + self.before + self.gap


@dataclass(frozen=True)
class DidTest:
    """The test of one difference in differences: the statistic (log of the ratio of ratios,
    or the difference of two differences in points or days), its two-sided p-value (None when
    it cannot be tested), how many placebo dates it was measured against, the Satterthwaite
    degrees of freedom and the AR(1) coefficient used for them."""

    statistic: float | None
    p_value: float | None
    placebos: int
    df: float | None = None
    phi: float | None = None


def _window_values(
    numerator: np.ndarray, denominator: np.ndarray, design: Design, log: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The after-minus-before change of sum(numerator) / sum(denominator) at every position of
    the design's windows in the series (log of the ratio when `log`), and where it is defined."""
    positions = np.arange(len(numerator) - design.span + 1)
    sums = np.concatenate([[0.0], np.cumsum(numerator, dtype=float)])
    counts = np.concatenate([[0.0], np.cumsum(denominator, dtype=float)])
    after_first = positions + design.before + design.gap
    b_sum = sums[positions + design.before] - sums[positions]
    b_count = counts[positions + design.before] - counts[positions]
    a_sum = sums[after_first + design.after] - sums[after_first]
    a_count = counts[after_first + design.after] - counts[after_first]
    defined = (b_count > 0) & (a_count > 0)
    if log:
        defined &= (b_sum > 0) & (a_sum > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        before, after = b_sum / b_count, a_sum / a_count
        change = np.log(after) - np.log(before) if log else after - before
    return np.where(defined, change, np.nan), defined


def _ar1(
    treated: tuple[np.ndarray, np.ndarray],
    comparison: tuple[np.ndarray, np.ndarray],
    design: Design,
    log: bool,
) -> float:
    """The lag-1 autocorrelation of the monthly treated-minus-comparison series, once its
    level before and after the activity is taken out (kept in [0, 0.95])."""
    defined = (treated[1] > 0) & (comparison[1] > 0)
    if defined.sum() < 6:
        return 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = [group[0] / group[1] for group in (treated, comparison)]
    if log:  # relative to each group's mean: the log scale's first-order view
        means = [float(np.mean(r[defined])) for r in rates]
        if min(means) <= 0:
            return 0.0
        rates = [r / mean for r, mean in zip(rates, means, strict=True)]
    gaps = np.where(defined, rates[0] - rates[1], 0.0)
    after = (np.arange(len(gaps)) >= design.activity[1]).astype(float)
    levels = np.column_stack([np.ones(len(gaps)), after])[defined]
    fitted, *_ = np.linalg.lstsq(levels, gaps[defined], rcond=None)
    residuals = np.zeros(len(gaps))
    residuals[defined] = gaps[defined] - levels @ fitted
    pairs = defined[1:] & defined[:-1]
    total = float(np.sum(residuals[defined] ** 2))
    if total <= 0 or pairs.sum() < 3:
        return 0.0
    lagged = float(np.sum((residuals[1:] * residuals[:-1])[pairs]))
    return float(np.clip(lagged / total, 0.0, 0.95))


def effective_df(design: Design, positions: np.ndarray, phi: float) -> float:
    """Satterthwaite's degrees of freedom of the mean square of the statistic at `positions`
    (placebo dates whose windows overlap are correlated: fewer degrees than dates), for a
    monthly series with AR(1) autocorrelation `phi`."""
    before = -np.ones(design.before) / design.before
    after = np.ones(design.after) / design.after
    contrast = np.concatenate([before, np.zeros(design.gap), after])
    # sum over i of c_i c_(i+m), for m from 1 - span to span - 1
    products = np.correlate(contrast, contrast, "full")
    lags = np.arange(1 - design.span, design.span)
    shifts = np.arange(int(positions.max() - positions.min()) + 1 if len(positions) else 1)
    covariance = np.array([np.sum(products * phi ** np.abs(lags + h)) for h in shifts])
    correlation = covariance / covariance[0]
    apart = np.abs(positions[:, None] - positions[None, :])
    return float(len(positions) ** 2 / np.sum(correlation[apart] ** 2))


def did_test(
    treated: tuple[np.ndarray, np.ndarray],
    comparison: tuple[np.ndarray, np.ndarray],
    design: Design,
    log: bool,
    phi: float | None = None,
    min_placebos: int = MIN_PLACEBOS,
) -> DidTest:
    """Test the difference in differences of monthly series against in-time placebos.

    Each group is (numerator, denominator) by month over the same months; a window's value is
    sum(numerator) / sum(denominator) (denominator 1 a month for amounts per month, cases for
    rates). The statistic is the treated group's after-vs-before change minus the comparison
    group's (changes as logs of ratios when `log`). The same statistic at every other position
    of the windows whose span leaves out the activity's own months is a placebo: its mean square
    estimates the statistic's variance under no effect, whatever the series' autocorrelation and
    shared trend. The p-value is two-sided, from Student's t with Satterthwaite's degrees of
    freedom for those correlated placebos (AR(1) `phi`, estimated when None). None when the
    statistic is undefined (an empty window, a zero) or fewer than `min_placebos` placebos or
    MIN_DF degrees of freedom are left."""
    if design.before < 1 or design.after < 1 or design.start < 0:
        return DidTest(None, None, 0)
    if design.start + design.span > len(treated[0]):
        return DidTest(None, None, 0)
    changes = [_window_values(*group, design, log) for group in (treated, comparison)]
    statistic = changes[0][0] - changes[1][0]
    defined = changes[0][1] & changes[1][1]
    if not defined[design.start]:
        return DidTest(None, None, 0)
    observed = float(statistic[design.start])
    positions = np.arange(len(statistic))
    first, past = design.activity
    clean = (positions + design.span <= first) | (positions >= past)
    placebos = positions[clean & defined]
    if len(placebos) < min_placebos:
        return DidTest(observed, None, len(placebos))
    scale = math.sqrt(float(np.mean(statistic[placebos] ** 2)))
    used_phi = _ar1(treated, comparison, design, log) if phi is None else phi
    df = effective_df(design, placebos, used_phi)
    if df < MIN_DF:
        return DidTest(observed, None, len(placebos), df, used_phi)
    if scale == 0:
        p = 1.0 if observed == 0 else 0.0
    else:
        p = float(2 * student_t.sf(abs(observed) / scale, df))
    return DidTest(observed, p, len(placebos), df, used_phi)


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm's step-down adjustment of the p-values that are not None (None stays None)."""
    known = [i for i, p in enumerate(p_values) if p is not None]
    adjusted: list[float | None] = [None] * len(p_values)
    if known:
        corrected = multipletests([p_values[i] for i in known], method="holm")[1]
        for i, value in zip(known, corrected, strict=True):
            adjusted[i] = float(value)
    return adjusted


def monthly_slope(numerator: np.ndarray, denominator: np.ndarray, relative: bool) -> float | None:
    """The trend of numerator / denominator month by month (least squares, weighted by the
    denominator): per month, as a fraction of the mean when `relative`. None with fewer than
    MIN_MONTHS months that have a denominator."""
    numerator = np.asarray(numerator, dtype=float)
    weights = np.asarray(denominator, dtype=float)
    used = weights > 0
    if used.sum() < MIN_MONTHS:
        return None
    months = np.arange(len(weights))[used]
    values = numerator[used] / weights[used]
    slope = float(np.polyfit(months, values, 1, w=np.sqrt(weights[used]))[0])
    if not relative:
        return slope
    mean = float(np.average(values, weights=weights[used]))
    return slope / mean if mean > 0 else None


def relative_change(before: float | None, after: float | None) -> float | None:
    """(after - before) / before; None without a before value above zero."""
    if before is None or after is None or before <= 0:
        return None
    return after / before - 1.0


def difference(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    return after - before


def starting_within(
    frame: pd.DataFrame, first_day: dt.date | None, last_day: dt.date | None
) -> pd.DataFrame:
    """The activities of `frame` that start from `first_day` to `last_day` (open ends: None)."""
    starts = pd.to_datetime(frame["start_date"])
    inside = pd.Series(True, index=frame.index)
    if first_day is not None:
        inside &= starts >= pd.Timestamp(first_day)
    if last_day is not None:
        inside &= starts <= pd.Timestamp(last_day)
    return frame[inside]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # msgid: translated where shown
    kind: str  # 'per_month' (change in %), 'rate' (change in points) or 'days'
    table: str  # whose data range cuts its windows: 'seizures' or 'cases'
    follow_up: bool = False  # measured FOLLOW_UP_MONTHS after opening (old enough cases only)


@dataclass(frozen=True)
class Measure:
    """One indicator for one group in one window: the value, the monthly numbers behind it
    (amounts per country; successes for rates; capped days for days), n and its interval."""

    value: float | None
    units: np.ndarray
    n: int  # months for amounts per month; cases behind a rate or a mean of days
    interval: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator before and after, here and in the comparison group, and the test of the
    difference in differences (`p_value`: raw; `p_adjusted`: Holm across the activity's
    indicators that have a p-value)."""

    indicator: Indicator
    before: Measure
    after: Measure
    comparison_before: Measure
    comparison_after: Measure
    p_value: float | None
    p_adjusted: float | None = None
    placebos: int = 0  # the placebo start dates the test measured the difference against
    pre_trend: float | None = None  # slope in the before window, per month (see pre_trends)
    comparison_pre_trend: float | None = None

    def _change(self, before: Measure, after: Measure) -> float | None:
        if self.indicator.kind == "per_month":
            return relative_change(before.value, after.value)
        return difference(before.value, after.value)

    @property
    def change(self) -> float | None:
        """% (as a fraction) for amounts per month, points (as a fraction) for rates, days."""
        return self._change(self.before, self.after)

    @property
    def comparison_change(self) -> float | None:
        return self._change(self.comparison_before, self.comparison_after)

    @property
    def kind(self) -> str:
        """The difference in differences' unit: 'ratio', 'points' or 'days'."""
        return DID_UNITS[self.indicator.kind]

    @property
    def unit(self) -> str:
        return self.kind

    @property
    def difference_in_differences(self) -> float | None:
        """A ratio of ratios for amounts per month, (after / before here) / (after / before in
        the comparison group), 1.0 for no difference; percentage points for rates (10.0 is ten
        points); days for time to court outcome. None without both groups' four values."""
        values = [
            m.value
            for m in (self.before, self.after, self.comparison_before, self.comparison_after)
        ]
        if any(v is None for v in values):
            return None
        before, after, c_before, c_after = (float(v) for v in values)  # type: ignore[arg-type]
        if self.kind == "ratio":
            if min(before, c_before, c_after) <= 0:
                return None
            return (after / before) / (c_after / c_before)
        scale = 100.0 if self.kind == "points" else 1.0
        return ((after - before) - (c_after - c_before)) * scale

    @property
    def notable(self) -> bool:
        """Whether the difference in differences is unusual after Holm's adjustment."""
        return self.p_adjusted is not None and self.p_adjusted < 0.05

    @property
    def thin(self) -> bool:
        """Too little data on either side to say much."""
        least = MIN_MONTHS if self.indicator.kind == "per_month" else MIN_CASES
        return min(self.before.n, self.after.n) < least


@dataclass(frozen=True)
class BeforeAfter:
    """One activity's before/after view (everything the page, the chart and the snapshot show)."""

    activity: dict[str, object]
    months: int
    countries: tuple[str, ...]
    comparison: tuple[str, ...]  # other countries of the same regions, without `excluded`
    seizure_windows: tuple[Window, Window]
    case_windows: tuple[Window, Window]
    changes: list[IndicatorChange]
    overlapping: pd.DataFrame  # other activities in the same countries inside the windows
    data_first: dict[str, dt.date | None] = field(default_factory=dict)
    data_last: dict[str, dt.date | None] = field(default_factory=dict)
    # countries of the regions left out of the comparison: an activity of theirs is inside
    # the windows (or the activity's own months)
    excluded: tuple[str, ...] = ()
    follow_up_months: int = FOLLOW_UP_MONTHS
    data_end: dt.date | None = None  # the latest opening, charge or verdict date of the cases
    too_recent: int = 0  # cases opened in the case windows less than the follow-up before it

    @property
    def no_data(self) -> bool:
        return all(w.empty for w in (*self.seizure_windows, *self.case_windows))

    @property
    def no_comparison_reason(self) -> str | None:
        """Why the difference in differences is not computed (None when it is)."""
        if self.comparison:
            return None
        if self.excluded:
            return ngettext(
                "The only other country of these regions with data has a program activity of "
                "its own inside the windows: no comparison country is left, so the difference "
                "in differences is not computed.",
                "All {n} other countries of these regions with data have a program activity "
                "of their own inside the windows: no comparison country is left, so the "
                "difference in differences is not computed.",
                len(self.excluded),
            ).format(n=len(self.excluded))
        return _(
            "No other country of these regions has data: there is no comparison group, so "
            "the difference in differences is not computed."
        )
