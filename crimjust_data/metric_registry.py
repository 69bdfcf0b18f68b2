"""The headline metrics in words: each one's label, definition, numerator and denominator.

One entry per metric, read by the tiles, the charts' notes and tables, the methods text and the
exports, so they all say the same. Every text is an English msgid (marked with N_, translated at
use); {months} is the prosecution window (metrics.PROSECUTION_WINDOW_MONTHS), filled in by the
functions below. How each metric is computed is in metrics.py; the long explanation is the
methods section named by `method` (methods.SECTIONS).
"""

from __future__ import annotations

from dataclasses import dataclass

from crimjust_data.i18n import N_, _
from crimjust_data.metrics import PROSECUTION_WINDOW_MONTHS


@dataclass(frozen=True)
class Metric:
    label: str
    definition: str | None = None  # what it counts, as a tile's help: 'numerator / denominator'
    numerator: str | None = None  # what a rate counts, as a table heading
    denominator: str | None = None  # what it is counted over (its n), as a table heading
    formula: str | None = None  # the definition inside a sentence: '{rate} = {formula}'
    short: str | None = None  # the definition with its {n}, where space is short
    method: str | None = None  # the methods section that explains it


METRICS: dict[str, Metric] = {
    "seized_kg": Metric(N_("Cocaine seized"), definition=N_("Sum of kg in seizure events")),
    "seizure_events": Metric(N_("Seizure events")),
    "cases_opened": Metric(N_("Cases opened")),
    "prosecution": Metric(
        N_("Prosecution rate"),
        definition=N_(
            "Cases charged within {months} months of opening / cases opened at least {months} "
            "months before the data's end"
        ),
        numerator=N_("Charged within {months} months"),
        denominator=N_("Cases opened {months}+ months before the data's end (n)"),
        formula=N_(
            "cases charged within {months} months of opening / cases opened at least {months} "
            "months before the data's end (younger cases are too recent to judge)"
        ),
        short=N_(
            "Cases charged within {months} months / cases opened at least {months} months "
            "before the data's end; n = {n}"
        ),
        method="prosecution",
    ),
    "conviction": Metric(
        N_("Conviction rate"),
        definition=N_(
            "Cases convicted / charged cases with a court outcome (convicted, acquitted or "
            "dismissed after a charge)"
        ),
        numerator=N_("Cases convicted"),
        denominator=N_("Charged cases with a court outcome (n)"),
        formula=N_(
            "cases convicted / charged cases with a court outcome (convicted, acquitted, "
            "dismissed after a charge)"
        ),
        short=N_("Convicted / charged cases with a court outcome; n = {n}"),
        method="conviction",
    ),
    "time_to_verdict": Metric(
        N_("Median time to verdict"),
        definition=N_(
            "Kaplan-Meier median of days from opening to court outcome over charged cases; "
            "cases still pending count until the data's end"
        ),
        method="time_to_verdict",
    ),
}
HEADLINE = tuple(METRICS)  # the order of the headline tiles
RATES = ("prosecution", "conviction")
RATE_LABELS = {rate: METRICS[rate].label for rate in RATES}  # msgids: _(RATE_LABELS[rate])
# A rates table's columns per rate: value, interval and n (msgids).
RATE_COLUMNS = {
    "prosecution": (RATE_LABELS["prosecution"], N_("Prosecution 95% CI"), N_("Prosecution n")),
    "conviction": (RATE_LABELS["conviction"], N_("Conviction 95% CI"), N_("Conviction n")),
}


def _said(msgid: str | None, **numbers: object) -> str:
    return "" if msgid is None else _(msgid).format(months=PROSECUTION_WINDOW_MONTHS, **numbers)


def label(metric: str) -> str:
    """The metric's name, in the current language."""
    return _said(METRICS[metric].label)


def definition(metric: str) -> str:
    """What the metric counts, as a tile's help ('' if it needs none)."""
    return _said(METRICS[metric].definition)


def numerator(metric: str) -> str:
    """What a rate counts, as a table heading."""
    return _said(METRICS[metric].numerator)


def denominator(metric: str) -> str:
    """What a rate is counted over (its n), as a table heading."""
    return _said(METRICS[metric].denominator)


def formula(metric: str) -> str:
    """The definition inside a sentence, lower case: '{rate} = {formula}'."""
    return _said(METRICS[metric].formula)


def short_definition(metric: str, n: str) -> str:
    """The definition and its n (already formatted), where space is short."""
    return _said(METRICS[metric].short, n=n)
