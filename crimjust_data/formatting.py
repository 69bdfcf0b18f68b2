"""How figures are written for people: quantities, rates with intervals, dates (in the current
language: 1,234.5 / 1.234,5 / 1 234,5)."""

from __future__ import annotations

from crimjust_data import i18n
from crimjust_data.i18n import _
from crimjust_data.metrics import LOW_CONFIDENCE_N, Rate


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
