"""How figures are written for people: quantities, rates with intervals, dates."""

from __future__ import annotations

from crimjust_data.metrics import Rate


def format_kg(kg: float) -> str:
    """Tonnes above 10 t, else kilograms: '457.5 t', '8,412 kg'."""
    if kg >= 10_000:
        return f"{kg / 1000:,.1f} t"
    return f"{kg:,.0f} kg"


def format_rate(rate: Rate) -> str:
    """'62.5%' or '–' when nothing was counted."""
    return "–" if rate.value is None else f"{rate.value:.1%}"


def describe_rate(rate: Rate) -> str:
    """'95% CI 58.1–66.7%, n = 480', flagged when n is small."""
    if rate.value is None:
        return "no cases in the selection (n = 0)"
    low, high = rate.interval
    text = f"95% CI {low:.1%}–{high:.1%}, n = {rate.n:,}"
    return text + " · low confidence (n < 10)" if rate.low_confidence else text


def format_days(days: float | None) -> str:
    return "–" if days is None else f"{days:,.0f} days"
