"""The spike rule's error rates, proved by simulation (docs/METHODS.md): at most 2% of periods
flagged on stable series, and at least 80% of fourfold spikes found where the series allows it.

Each series is 12 years of months (the first three are not judged); seizure sizes are lognormal
kg, summed per month, as in the review that found the old rule (twice the median of the
previous six months) flagging 10-19% of such months. Fixed seeds; about a second in all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crimjust_data.periods import SPIKE_MIN_SEIZURES
from crimjust_data.queries.timelines import spike_flags

MONTHS = 144
JUDGED = slice(36, None)  # three years of history before the first judged month
SERIES = 60
# A seasonal pattern: +-50% around the mean, the peak in the same month every year.
SEASON = 1 + 0.5 * np.sin(2 * np.pi * np.arange(12) / 12)


def simulate(
    rng: np.random.Generator,
    per_month: float,
    sigma: float,
    seasonal: bool = False,
    spikes: tuple[int, ...] = (),
    factor: float = 4.0,
) -> tuple[pd.Series, pd.Series]:
    """Monthly kg and seizure counts: Poisson(per_month) seizures of lognormal(3, sigma) kg;
    in a spike month, `factor` times as many seizures are expected."""
    rate = np.full(MONTHS, per_month) * (np.resize(SEASON, MONTHS) if seasonal else 1.0)
    rate[list(spikes)] *= factor
    counts = rng.poisson(rate)
    kg = np.array([rng.lognormal(3.0, sigma, n).sum() for n in counts])
    return pd.Series(kg), pd.Series(counts)


def false_alarms(seed: int, per_month: float, sigma: float, seasonal: bool) -> tuple[float, float]:
    """Share of judged months flagged, for kg and for counts, over SERIES stable series."""
    rng = np.random.default_rng(seed)
    kg_flags, count_flags = [], []
    for _ in range(SERIES):
        kg, counts = simulate(rng, per_month, sigma, seasonal)
        kg_flags.append(spike_flags(kg, counts, "month")["spike"].to_numpy()[JUDGED])
        count_flags.append(spike_flags(counts, counts, "month")["spike"].to_numpy()[JUDGED])
    return float(np.concatenate(kg_flags).mean()), float(np.concatenate(count_flags).mean())


def detections(seed: int, sigma: float, seasonal: bool) -> tuple[float, float]:
    """Share of fourfold spikes found (kg, counts): five spike months per series, apart."""
    rng = np.random.default_rng(seed)
    kg_found, count_found = [], []
    for _ in range(SERIES):
        where = tuple(int(m) for m in rng.choice(np.arange(40, MONTHS, 20), 5, replace=False))
        kg, counts = simulate(rng, 10, sigma, seasonal, spikes=where)
        kg_found.append(spike_flags(kg, counts, "month")["spike"].to_numpy()[list(where)])
        count_found.append(spike_flags(counts, counts, "month")["spike"].to_numpy()[list(where)])
    return float(np.concatenate(kg_found).mean()), float(np.concatenate(count_found).mean())


@pytest.mark.parametrize(
    ("per_month", "sigma", "seasonal"),
    [
        (10, 1.0, False),  # the review's series: about 10 seizures a month
        (10, 2.0, False),  # very heavy-tailed sizes: one seizure can be most of a month
        (10, 1.0, True),  # a strong season
        (30, 1.0, True),
        (6, 0.5, False),  # near the seizure minimum
    ],
)
def test_stable_series_flag_at_most_two_percent(
    per_month: float, sigma: float, seasonal: bool
) -> None:
    kg, counts = false_alarms(15, per_month, sigma, seasonal)
    assert kg <= 0.02, f"kg: {kg:.1%} of stable months flagged"
    assert counts <= 0.02, f"counts: {counts:.1%} of stable months flagged"


@pytest.mark.parametrize(("seasonal", "kg_found"), [(False, 0.8), (True, 0.75)])
def test_fourfold_spikes_are_found(seasonal: bool, kg_found: float) -> None:
    # Counts: about 90%. kg: when seizure sizes vary moderately (sigma 0.5): 82%, 77% in the
    # seasonal series (a spike in the low season starts from fewer seizures). With heavier tails
    # a fourfold month is often no bigger than a month with one large seizure, and no rule with
    # 2% false alarms finds most of them (measured: 46% at sigma 1, 13% at sigma 2).
    kg, counts = detections(16, 0.5, seasonal)
    assert counts >= 0.8, f"counts: {counts:.0%} of fourfold spikes found"
    assert kg >= kg_found, f"kg: {kg:.0%} of fourfold spikes found"


def test_old_rule_would_fail_the_same_series() -> None:
    # The review's finding, kept as a check that the simulation is the hard case: twice the
    # median of the previous six months flags far more than 2% of the same stable series.
    rng = np.random.default_rng(15)
    shares = []
    for _ in range(20):
        kg, counts = simulate(rng, 10, 1.0)
        prior = kg.shift(1).rolling(6, min_periods=3).median()
        shares.append(((kg > 2 * prior) & (counts >= SPIKE_MIN_SEIZURES)).to_numpy()[JUDGED])
    assert np.concatenate(shares).mean() > 0.05


def test_flat_past_needs_twice_the_level_and_enough_seizures() -> None:
    # A flat past has no spread: the floor on the scale still asks for twice the usual level.
    values = pd.Series([10.0] * 36 + [19.0, 10.0, 25.0])
    flags = spike_flags(values, pd.Series([8] * 39), "month")
    assert flags["spike"].tolist()[-3:] == [False, False, True]
    assert flags["baseline"].iloc[-1] == 10.0
    few = spike_flags(values, pd.Series([8] * 38 + [SPIKE_MIN_SEIZURES - 1]), "month")
    assert not few["spike"].any()


def test_first_three_years_of_months_are_not_judged() -> None:
    values = pd.Series([1.0] * 36 + [1000.0] * 2)
    flags = spike_flags(values, pd.Series([50] * len(values)), "month")
    assert flags["baseline"].iloc[:36].isna().all() and not flags["spike"].iloc[:36].any()
    assert bool(flags["spike"].iloc[36])


def test_a_usual_seasonal_peak_is_not_a_spike() -> None:
    # Every December is five times the other months: a December is compared with past
    # Decembers, and the year-on-year changes that give the scale carry no season.
    rng = np.random.default_rng(3)
    values = pd.Series(
        [(50.0 if m % 12 == 11 else 10.0) * rng.uniform(0.9, 1.1) for m in range(72)]
    )
    flags = spike_flags(values, pd.Series([20] * 72), "month")
    assert not flags["spike"].any()
    values.iloc[65] *= 4  # a fourfold June
    assert spike_flags(values, pd.Series([20] * 72), "month")["spike"].tolist().count(True) == 1
