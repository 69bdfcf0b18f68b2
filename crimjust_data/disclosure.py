"""Small-cell suppression for donor exports: no small group of defendants can be singled out.

The rule, stated once (and printed in every export's methods section):
- a case count from 1 to threshold - 1 is shown as '<threshold' (0 stays 0: nobody to single out);
- a rate is withheld when its numerator, its denominator or their difference is such a count,
  or its denominator is below the threshold (a rate of 2/40 tells the count as well as '2');
- in a table of case counts, a stage count is withheld when the cases lost since the stage
  before are such a count, and when one outcome of a row is suppressed the next smallest is
  withheld too, so the small one cannot be worked out by subtraction from the total.
Seizure figures (kg, events) describe consignments, not people, and are never suppressed.
A threshold of 0 turns suppression off (analysts' own exports).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable

import pandas as pd

from crimjust_data import i18n
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import N_, _

DEFAULT_THRESHOLD = 5
THRESHOLD_SETTING = "CRIMJUST_SMALL_CELL_THRESHOLD"
WITHHELD = N_("withheld")


def configured_threshold() -> int:
    """The deployment's threshold: CRIMJUST_SMALL_CELL_THRESHOLD, else 5."""
    text = os.environ.get(THRESHOLD_SETTING, "").strip()
    if not text:
        return DEFAULT_THRESHOLD
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise CrimjustError(
            _("{setting} must be a whole number, 0 or more, not {value!r}").format(
                setting=THRESHOLD_SETTING, value=text
            )
        )
    return value


def rule_text(threshold: int) -> str:
    """The suppression rule in one sentence, for methods sections and header blocks."""
    if threshold <= 1:
        return _("No small-cell suppression: every case count is shown as recorded.")
    return _(
        "Case counts from 1 to {largest} are shown as '<{threshold}', and a rate is withheld "
        "when its numerator, its denominator or their difference is such a count, or its "
        "denominator is below {threshold}. A stage count is also withheld when the cases lost "
        "since the stage before are such a count, and a second outcome is withheld beside a "
        "suppressed one, so that it cannot be found by subtraction. This is so that no small "
        "group of defendants can be singled out. Seizure figures are not suppressed."
    ).format(largest=threshold - 1, threshold=threshold)


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def count_text(count: int, threshold: int) -> str:
    """'<5' for a small count, else the count with thousands separators."""
    return f"<{threshold}" if is_small(count, threshold) else i18n.integer(count)


def rate_withheld(successes: int, n: int, threshold: int) -> bool:
    if threshold <= 1:
        return False
    return n < threshold or is_small(successes, threshold) or is_small(n - successes, threshold)


def mask_counts(frame: pd.DataFrame, columns: Iterable[str], threshold: int) -> pd.DataFrame:
    """A copy with small counts in `columns` replaced by '<threshold' (columns become text)."""
    masked = frame.copy()
    if threshold <= 1:
        return masked
    for column in columns:
        values = masked[column].astype("int64")
        masked[column] = [
            f"<{threshold}" if is_small(int(v), threshold) else int(v) for v in values
        ]
    return masked


def mask_case_table(
    frame: pd.DataFrame,
    threshold: int,
    stages: tuple[str, ...] = ("opened", "charged", "verdict"),
    outcomes: tuple[str, ...] = ("convicted", "acquitted", "dismissed", "pending"),
) -> pd.DataFrame:
    """Case counts per row (e.g. country x year) after the rule, with complementary cells:
    `stages` are nested (each within the one before) and `outcomes` add up to the first stage."""
    if threshold <= 1:
        return frame.copy()
    masked = mask_counts(frame, (*stages, *outcomes), threshold)
    masked = masked.astype({column: "object" for column in (*stages, *outcomes)})
    for position, record in enumerate(frame.to_dict("records")):
        row = masked.index[position]
        for before, stage in itertools.pairwise(stages):
            if is_small(int(record[before]) - int(record[stage]), threshold):
                masked.at[row, stage] = _(WITHHELD)
        hidden = [o for o in outcomes if is_small(int(record[o]), threshold)]
        if len(hidden) == 1:
            others = [o for o in outcomes if o not in hidden and int(record[o]) > 0]
            if others:
                masked.at[row, min(others, key=lambda o: int(record[o]))] = _(WITHHELD)
    return masked
