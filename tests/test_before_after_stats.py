"""The before/after test (issue 15): its error rate and power measured by simulation on
monthly series like the dashboard's, and small cases worked out by hand.

Simulated series (one activity per draw, fixed seeds): 130 months (2015 to late 2025). The
activity takes one month, placed at random where both 12-month windows fit. Each group's
monthly count is Poisson around a level (60 a month for the activity's countries, 300 for the
larger comparison group) times log-normal noise that is AR(1) with phi = 0.5 (sd 10% for the
activity's countries, 5% for the comparison group, month to month), times a trend the two
groups share. So the activity's countries vary by about 16% from month to month, half of it
carried over to the next month. Rates: 40 cases a month for the activity's countries, 200 for
the comparison group, around a share of 50% moved by AR(1) noise on the logit scale.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.signal import lfilter
from scipy.stats import t as student_t

from crimjust_data.activities import Design, did_test, effective_df, holm, monthly_slope

MONTHS = 130
WINDOW = 12
REPEATS = 1000


def _ar1(rng: np.random.Generator, phi: float, sd: float, size: int) -> np.ndarray:
    """A stationary AR(1) series with marginal standard deviation `sd`."""
    shocks = rng.normal(0.0, sd * math.sqrt(1 - phi**2), size)
    shocks[0] = rng.normal(0.0, sd)
    return lfilter([1.0], [1.0, -phi], shocks)


def _design(rng: np.random.Generator) -> Design:
    return Design(int(rng.integers(0, MONTHS - 2 * WINDOW - 1 + 1)), WINDOW, 1, WINDOW)


def _amounts(phi: float, trend: float, step: float, seed: int) -> float:
    """Share of draws whose difference in differences of counts is flagged at 0.05."""
    rng = np.random.default_rng(seed)
    growth = (1 + trend) ** (np.arange(MONTHS) / 12)
    flagged = 0
    for _ in range(REPEATS):
        design = _design(rng)
        treated = 60 * growth * np.exp(_ar1(rng, phi, 0.10, MONTHS))
        comparison = 300 * growth * np.exp(_ar1(rng, phi, 0.05, MONTHS))
        treated[design.activity[1] :] *= step
        ones = np.ones(MONTHS)
        result = did_test(
            (rng.poisson(treated).astype(float), ones),
            (rng.poisson(comparison).astype(float), ones),
            design,
            log=True,
        )
        assert result.p_value is not None and result.placebos >= 50
        flagged += result.p_value < 0.05
    return flagged / REPEATS


def _rates(phi: float, trend_points: float, step_points: float, seed: int) -> float:
    """Share of draws whose difference in differences of a rate (in points) is flagged."""
    rng = np.random.default_rng(seed)
    shift = trend_points / 100 * np.arange(MONTHS) / 12
    flagged = 0
    for _ in range(REPEATS):
        design = _design(rng)
        groups = []
        for cases, sd, effect in ((40, 0.3, step_points / 100), (200, 0.15, 0.0)):
            share = 1 / (1 + np.exp(-_ar1(rng, phi, sd, MONTHS))) + shift - shift.mean()
            share[design.activity[1] :] += effect
            n = np.full(MONTHS, float(cases))
            groups.append((rng.binomial(cases, np.clip(share, 0, 1)).astype(float), n))
        result = did_test(groups[0], groups[1], design, log=False)
        assert result.p_value is not None
        flagged += result.p_value < 0.05
    return flagged / REPEATS


# ---------------------------------------------------------------------------------------------
# By simulation: no more false alarms than the level, and a real change found


@pytest.mark.parametrize(
    ("phi", "trend"),
    [(0.5, 0.0), (0.5, 0.12)],
    ids=["ar1-0.5", "ar1-0.5-trend-12%-a-year"],
)
def test_no_effect_is_flagged_at_most_7_percent_of_the_time(phi: float, trend: float) -> None:
    assert _amounts(phi, trend, 1.0, seed=15) <= 0.07


def test_a_step_of_50_percent_is_found_at_least_80_percent_of_the_time() -> None:
    assert _amounts(0.5, 0.12, 1.5, seed=16) >= 0.80


def test_rates_no_effect_under_autocorrelation_and_trend_and_a_real_change() -> None:
    # a shared drift of 3 points a year; a real change of 25 points (with this noise a
    # 12-month mean moves by about 4 points by chance; 15 points are found 59% of the time)
    assert _rates(0.5, 3.0, 0.0, seed=17) <= 0.07
    assert _rates(0.5, 3.0, 25.0, seed=18) >= 0.80


# ---------------------------------------------------------------------------------------------
# Worked out by hand


def test_placebo_test_on_a_tiny_series_by_hand() -> None:
    # 10 months; the before window is month 4, the activity month 5, the after window month 6
    treated = np.array([1.0, 2, 4, 3, 5, 9, 9, 6, 8, 7])
    comparison = np.zeros(10)  # a flat comparison group: the statistic is treated's change
    ones = np.ones(10)
    design = Design(start=4, before=1, gap=1, after=1)
    result = did_test(
        (treated, ones), (comparison, ones), design, log=False, phi=0.0, min_placebos=3
    )
    # observed: month 6 - month 4 = 9 - 5 = 4. Placebo positions leave out month 5: spans
    # starting at 0, 1, 2 (months 0-2, 1-3, 2-4) and 6, 7 (6-8, 7-9); 3, 4 and 5 hold month 5.
    # Their changes: 4 - 1 = 3, 3 - 2 = 1, 5 - 4 = 1, 8 - 9 = -1, 7 - 6 = 1.
    assert result.statistic == pytest.approx(4.0)
    assert result.placebos == 5
    scale = math.sqrt((9 + 1 + 1 + 1 + 1) / 5)
    # white noise (phi = 0): a placebo's contrast (-1, 0, +1) is correlated only with the one
    # two months away (-1/2); of positions 0, 1, 2, 6, 7 only 0 and 2 are two apart, so
    # df = 5^2 / (5 + 2 * (1/2)^2) = 25 / 5.5
    df = 25 / 5.5
    assert result.df == pytest.approx(df)
    assert result.p_value == pytest.approx(2 * student_t.sf(4 / scale, df))


def test_placebo_test_says_when_it_cannot_test() -> None:
    ones = np.ones(10)
    design = Design(start=4, before=1, gap=1, after=1)
    series = np.arange(1.0, 11.0)
    # too few placebos for the default minimum
    few = did_test((series, ones), (series, ones), design, log=True)
    assert few.statistic == pytest.approx(0.0) and few.p_value is None and few.placebos == 5
    # a window with nothing in it: a ratio is undefined
    empty = series.copy()
    empty[4] = 0
    assert did_test((empty, ones), (series, ones), design, log=True).statistic is None
    # no month of the after window in the series
    assert did_test((series, ones), (series, ones), Design(8, 1, 1, 1), log=True).p_value is None


def test_effective_degrees_of_freedom() -> None:
    design = Design(start=0, before=1, gap=1, after=1)
    far_apart = np.array([0, 5, 10, 15])
    assert effective_df(design, far_apart, 0.0) == pytest.approx(4.0)  # independent placebos
    # autocorrelation links even far placebos: fewer degrees of freedom
    assert effective_df(design, far_apart, 0.8) < 4.0
    assert effective_df(design, np.arange(20), 0.0) < 20


def test_holm_adjustment_on_known_p_values() -> None:
    # sorted 0.01, 0.03, 0.04 times 3, 2, 1: 0.03, 0.06, 0.04 -> kept increasing: 0.06
    assert holm([0.01, 0.04, 0.03, None]) == pytest.approx([0.03, 0.06, 0.06, None])
    assert holm([None, None]) == [None, None]
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])


def test_monthly_slope() -> None:
    months = np.arange(6, dtype=float)
    assert monthly_slope(10 + 2 * months, np.ones(6), relative=False) == pytest.approx(2.0)
    # relative to the mean (15): 2 / 15 a month
    assert monthly_slope(10 + 2 * months, np.ones(6), relative=True) == pytest.approx(2 / 15)
    # a rate: months without cases are left out, the others weighted by their cases
    successes, cases = np.array([1.0, 0, 3, 4]), np.array([10.0, 0, 10, 10])
    # rates 0.1, 0.3, 0.4 in months 0, 2, 3: on a line of slope 0.1
    assert monthly_slope(successes, cases, relative=False) == pytest.approx(0.1)
    assert monthly_slope(np.ones(2), np.ones(2), relative=False) is None


def test_an_activity_with_seven_unchanged_indicators_is_rarely_flagged_after_holm() -> None:
    # seven independent indicators, none changed: an activity is flagged when any of them stays
    # below 0.05 after Holm's adjustment (about 30% would be without it)
    rng = np.random.default_rng(21)
    flagged = 0
    ones = np.ones(MONTHS)
    for _ in range(300):
        design = _design(rng)
        p_values: list[float | None] = []
        for _indicator in range(7):
            groups = [
                (rng.poisson(level * np.exp(_ar1(rng, 0.5, sd, MONTHS))).astype(float), ones)
                for level, sd in ((60, 0.10), (300, 0.05))
            ]
            p_values.append(did_test(groups[0], groups[1], design, log=True).p_value)
        # Holm rejects anything exactly when the smallest p-value is below 0.05 / 7 (its first
        # step): checked so rather than by holm(), whose statsmodels call collects garbage
        known = [p for p in p_values if p is not None]
        assert len(known) == 7
        flagged += min(known) * 7 < 0.05
        if min(known) * 7 < 0.05:
            assert any(p is not None and p < 0.05 for p in holm(p_values))
    assert flagged / 300 <= 0.07
