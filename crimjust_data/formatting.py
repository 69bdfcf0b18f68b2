"""How figures are written for people: quantities, rates with intervals, dates (in the current
language: 1,234.5 / 1.234,5 / 1 234,5)."""

from __future__ import annotations

import pandas as pd

from crimjust_data import i18n
from crimjust_data.i18n import _, ngettext
from crimjust_data.metrics import LOW_CONFIDENCE_N, PROSECUTION_WINDOW_MONTHS, Headline, Rate
from crimjust_data.survival import TimeToVerdict


def format_kg(kg: float) -> str:
    """Tonnes above 10 t, else kilograms: '457.5 t', '8,412 kg'."""
    if kg >= 10_000:
        return _("{amount} t").format(amount=i18n.decimal(kg / 1000, 1))
    return _("{amount} kg").format(amount=i18n.integer(round(kg)))


def format_rate(rate: Rate) -> str:
    """'62.5%' or '–' when nothing was counted."""
    return "–" if rate.value is None else i18n.percent(rate.value, 1)


def describe_rate(rate: Rate) -> str:
    """'95% CI 58.1–66.7%, n = 480', flagged when n is small."""
    if rate.value is None:
        return _("no cases in the selection (n = 0)")
    low, high = rate.interval
    text = _("95% CI {low}–{high}, n = {n}").format(
        low=i18n.percent(low, 1), high=i18n.percent(high, 1), n=i18n.integer(rate.n)
    )
    if rate.low_confidence:
        text += " · " + _("low confidence (n < {limit})").format(limit=LOW_CONFIDENCE_N)
    return text


def format_days(days: float | None) -> str:
    return "–" if days is None else _("{days} days").format(days=i18n.integer(round(days)))


def signed(value: float, digits: int = 1) -> str:
    """'+3.5' / '-2.0' in the current language, for differences."""
    sign = "+" if value >= 0 else "-"  # ASCII: st.metric reads the sign for its arrow
    return sign + i18n.decimal(abs(value), digits)


def _days_text(days: float) -> str:
    whole = round(float(days))
    return ngettext("{n} day", "{n} days", whole).format(n=i18n.integer(whole))


def format_verdict_days(estimate: TimeToVerdict) -> str:
    """The Kaplan-Meier median: '566 days', 'over 1,200 days' when fewer than half of the
    charged cases have an outcome, '–' without an estimate."""
    if estimate.median_days is not None:
        return _days_text(estimate.median_days)
    if estimate.over_days is not None:
        return _("over {days}").format(days=_days_text(estimate.over_days))
    return "–"


def verdict_interval(estimate: TimeToVerdict) -> str:
    """'95% CI 516–612 days' ('…' for an open upper bound); '' without an interval."""
    if estimate.median_days is None or estimate.low is None:
        return ""
    high = "…" if estimate.high is None else i18n.integer(round(estimate.high))
    return _("95% CI {low}–{high} days").format(low=i18n.integer(round(estimate.low)), high=high)


def describe_verdict_days(estimate: TimeToVerdict) -> str:
    """'95% CI 516–612 days · 1,815 charged cases, 360 still pending (Kaplan-Meier)'."""
    if estimate.n == 0:
        return _("no charged case in the selection")
    counts = ngettext(
        "{n} charged case, {pending} still pending (Kaplan-Meier)",
        "{n} charged cases, {pending} still pending (Kaplan-Meier)",
        estimate.n,
    ).format(n=i18n.integer(estimate.n), pending=i18n.integer(estimate.pending))
    interval = verdict_interval(estimate)
    return f"{interval} · {counts}" if interval else counts


def format_prosecution(headline: Headline) -> str:
    """The prosecution rate, or 'too recent to judge' when every case opened is younger than
    the window."""
    if headline.prosecution.n == 0 and headline.too_recent > 0:
        return _("too recent to judge")
    return format_rate(headline.prosecution)


def too_recent_text(headline: Headline) -> str:
    """'338 cases opened less than 12 months before the data's end: too recent to judge'."""
    if not headline.too_recent:
        return ""
    return ngettext(
        "{n} case opened less than {months} months before the data's end: too recent to judge",
        "{n} cases opened less than {months} months before the data's end: too recent to judge",
        headline.too_recent,
    ).format(n=i18n.integer(headline.too_recent), months=PROSECUTION_WINDOW_MONTHS)


def prosecution_text(headline: Headline) -> str:
    """The rate's interval and n, and how many cases are too recent to judge."""
    parts = (describe_rate(headline.prosecution) if headline.prosecution.n else "",)
    return " · ".join(p for p in (*parts, too_recent_text(headline)) if p)


def case_period_text(headline: Headline) -> str:
    """'Data end: 7 Dec 2026' (the latest opening, charge or verdict date)."""
    if headline.data_end is None:
        return ""
    return _("Case data end: {date}").format(date=i18n.date(headline.data_end))


def verdict_estimate(
    days: float | None, low: float | None, high: float | None, over: float | None
) -> TimeToVerdict:
    """The median and its interval from a row of queries.justice.PageTables.medians."""

    def value(number: float | None) -> float | None:
        return None if number is None or pd.isna(number) else float(number)

    return TimeToVerdict(value(days), value(low), value(high), 1, 1, 0, value(over))


def verdict_text(
    days: float | None, low: float | None, high: float | None, over: float | None
) -> str:
    """A median with its interval as text (formatting.format_verdict_days and
    verdict_interval), from a row of queries.justice.PageTables.medians."""
    estimate = verdict_estimate(days, low, high, over)
    interval = verdict_interval(estimate)
    text = format_verdict_days(estimate)
    return f"{text} ({interval})" if interval else text
