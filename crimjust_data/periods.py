"""A timeline's periods and how they are described: the Timeline type, the grains and their
lengths, period labels, the rolling average's window and the spike rule's parameters, with the
words legends and captions use for them.

Pure (no store): crimjust_data.queries.timelines reads the series and applies the spike rule;
the charts (crimjust_data.figures.timelines) take a Timeline and these words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from crimjust_data import i18n
from crimjust_data.i18n import N_, _

GRAINS: tuple[str, ...] = ("month", "quarter", "year")

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
# A trailing average over one year for months and quarters (it cancels the seasons); three years
# for years (one year would be the series itself).
ROLLING_PERIODS = {"month": 12, "quarter": 4, "year": 3}

# The spike rule's parameters (the rule: queries.timelines.spike_flags): a period is compared
# with the same season of the previous SPIKE_YEARS years on a log scale. Location: the median
# of log(1 + total) over the same month (quarter) in each of those years; scale: the MAD of the
# year-on-year differences over the last SPIKE_SCALE_YEARS years (seasons cancel in them, and
# they are many more points than the location's, so a few quiet years cannot make the scale
# tiny).
# A spike: robust z above SPIKE_Z, and at least SPIKE_MIN_SEIZURES seizures in the period.
# SPIKE_Z = 2.3 keeps false alarms under 2% on stable simulated series, heavy-tailed kg
# included (tests/test_spike_rule.py); the scale floor makes a spike at least SPIKE_MIN_RATIO
# times the usual level even when the past is flat.
SPIKE_Z = 2.3
SPIKE_YEARS = 5
SPIKE_SCALE_YEARS = 4
SPIKE_MIN_RATIO = 2.0
SPIKE_MIN_SEIZURES = 5
SEASON_PERIODS = {"month": 12, "quarter": 4, "year": 1}
# The fewest past periods the median and the scale need: three years of months or quarters.
SPIKE_MIN_BASELINE = {"month": 3, "quarter": 3, "year": 4}
SPIKE_MIN_DIFFERENCES = {"month": 12, "quarter": 8, "year": 4}

TOP_COUNTRIES = 7  # with 'Other countries', eight colours: the size of the Okabe-Ito palette
OTHER_COUNTRIES = "other_countries"


@dataclass(frozen=True)
class Timeline:
    """Per-period series of the selection, split by one dimension, with its totals.

    series: period (start date), group (code), kg, seizures; every period x group, zero-filled.
    totals: period, kg, seizures, then for each measure m: m_rolling (trailing mean over
    `window` periods, NaN until the window is full), m_baseline (the median of the same season
    in previous years, see queries.timelines.spike_flags) and m_spike (bool).
    first_day / last_day: the dates the periods cover (the sidebar period, else the data's span).
    """

    grain: str
    by: str
    series: pd.DataFrame
    totals: pd.DataFrame
    window: int
    first_day: dt.date | None
    last_day: dt.date | None

    @property
    def empty(self) -> bool:
        return bool(self.totals.empty or self.totals["seizures"].sum() == 0)


def period_label(period: pd.Timestamp | dt.date, grain: str) -> str:
    """'2020-01', '2020 Q1' or '2020' for the period starting at `period`."""
    stamp = pd.Timestamp(period)
    if grain == "month":
        return f"{stamp.year}-{stamp.month:02d}"
    if grain == "quarter":
        return _("{year} Q{quarter}").format(year=stamp.year, quarter=(stamp.month - 1) // 3 + 1)
    return str(stamp.year)


def period_end(period: pd.Timestamp, grain: str) -> pd.Timestamp:
    """The last day of the period starting at `period`."""
    return period + pd.DateOffset(months=PERIOD_MONTHS[grain]) - pd.Timedelta(days=1)


_SPIKE_RULES = {
    "month": N_(
        "Spike (▼): a month far above the same month of the previous {years} years. On a log "
        "scale, its total is more than {z} robust standard deviations (from the median absolute "
        "deviation of year-on-year changes) above the median of that month in those years; it "
        "is also at least {ratio}× that median and holds at least {seizures} seizures. Months "
        "with fewer than three years before them are not judged. The label gives the total as "
        "a multiple of that median ('new' when it is 0)."
    ),
    "quarter": N_(
        "Spike (▼): a quarter far above the same quarter of the previous {years} years. On a "
        "log scale, its total is more than {z} robust standard deviations (from the median "
        "absolute deviation of year-on-year changes) above the median of that quarter in those "
        "years; it is also at least {ratio}× that median and holds at least {seizures} "
        "seizures. Quarters with fewer than three years before them are not judged. The label "
        "gives the total as a multiple of that median ('new' when it is 0)."
    ),
    "year": N_(
        "Spike (▼): a year far above the previous {years} years. On a log scale, its total is "
        "more than {z} robust standard deviations (from the median absolute deviation of "
        "year-on-year changes) above their median; it is also at least {ratio}× that median "
        "and holds at least {seizures} seizures. Years with fewer than five years before them "
        "are not judged. The label gives the total as a multiple of that median ('new' when "
        "it is 0)."
    ),
}


def spike_rule_text(grain: str) -> str:
    """The spike rule in words, for captions."""
    return _(_SPIKE_RULES[grain]).format(
        years=SPIKE_YEARS,
        z=i18n.decimal(SPIKE_Z, 1),
        ratio=f"{SPIKE_MIN_RATIO:g}",
        seizures=SPIKE_MIN_SEIZURES,
    )


def rolling_text(grain: str) -> str:
    """What the average line is, for legends and captions."""
    template = {
        "month": N_("{n}-month rolling average of the total (trailing)"),
        "quarter": N_("{n}-quarter rolling average of the total (trailing)"),
        "year": N_("{n}-year rolling average of the total (trailing)"),
    }[grain]
    return _(template).format(n=ROLLING_PERIODS[grain])
