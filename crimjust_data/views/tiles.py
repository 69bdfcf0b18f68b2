"""The headline tiles, one builder for every page and the snapshot."""

from __future__ import annotations

import pandas as pd

from crimjust_data import i18n
from crimjust_data import metric_registry as metric
from crimjust_data.disclosure import NONE_WITHHELD, RATES, WITHHELD, Withheld
from crimjust_data.formatting import (
    case_period_text,
    describe_rate,
    describe_verdict_days,
    format_kg,
    format_prosecution,
    format_rate,
    format_verdict_days,
    signed,
    too_recent_text,
    verdict_estimate,
    verdict_interval,
)
from crimjust_data.i18n import _
from crimjust_data.metrics import Headline, Rate
from crimjust_data.views.parts import Tile

SEIZURE_TILES = ("seized_kg", "seizure_events")
CASE_TILES = ("cases_opened", "prosecution", "conviction", "time_to_verdict")


def _rate_tile(name: str, rate: Rate, hidden: Withheld) -> Tile:
    """A rate's tile: withheld when its numerator or its n is."""
    label, help_text = metric.label(name), metric.definition(name)
    numerator, n = RATES[name]
    if rate.n and (("all", numerator) in hidden or ("all", n) in hidden):
        return Tile(
            label,
            _(WITHHELD),
            _("too few cases to show (n {n})").format(n=hidden.text(("all", n), rate.n)),
            help=help_text,
        )
    return Tile(label, format_rate(rate), describe_rate(rate), help=help_text)


def headline_tiles(
    headline: Headline, hidden: Withheld = NONE_WITHHELD, only: tuple[str, ...] | None = None
) -> tuple[Tile, ...]:
    """Cocaine seized, seizure events, cases opened, the two rates and the median time to
    verdict (or the tiles named in `only`), with case counts as the small-cell rule `hidden`
    shows them (the pages: nothing withheld)."""
    prosecution = _rate_tile("prosecution", headline.prosecution, hidden)
    if headline.prosecution.n == 0 and headline.too_recent:
        prosecution = Tile(prosecution.label, format_prosecution(headline), help=prosecution.help)
    if headline.too_recent and ("all", "too_recent") not in hidden:
        notes = (prosecution.note if headline.prosecution.n else "", too_recent_text(headline))
        prosecution = Tile(
            prosecution.label,
            prosecution.value,
            " · ".join(note for note in notes if note),
            help=prosecution.help,
        )
    timing = headline.time_to_verdict
    timing_withheld = ("all", "km_n") in hidden or ("all", "km_pending") in hidden
    tiles = {
        "seized_kg": Tile(
            metric.label("seized_kg"),
            format_kg(headline.seized_kg),
            help=metric.definition("seized_kg"),
        ),
        "seizure_events": Tile(
            metric.label("seizure_events"), i18n.integer(headline.seizure_events)
        ),
        "cases_opened": Tile(
            metric.label("cases_opened"),
            hidden.text(("all", "opened"), headline.cases_opened),
            case_period_text(headline),
        ),
        "prosecution": prosecution,
        "conviction": _rate_tile("conviction", headline.conviction, hidden),
        "time_to_verdict": Tile(
            metric.label("time_to_verdict"),
            _(WITHHELD) if timing_withheld else format_verdict_days(timing),
            _("too few cases to show") if timing_withheld else describe_verdict_days(timing),
            help=metric.definition("time_to_verdict"),
        ),
    }
    return tuple(tiles[name] for name in (only or tiles))


def comparison_tiles(comparison: pd.DataFrame) -> tuple[Tile, ...]:
    """Headline tiles for the first row of a comparison frame (queries.profile.comparison),
    each with its difference from the second row (the region) where that is meaningful."""
    place, reference = comparison.iloc[0], comparison.iloc[1]
    name = str(reference["region"])

    def points(rate: str) -> str | None:
        a, b = place[f"{rate}_rate"], reference[f"{rate}_rate"]
        if pd.isna(a) or pd.isna(b):
            return None
        return _("{points} pp vs {region}").format(points=signed((a - b) * 100), region=name)

    def share(column: str) -> str:
        total = reference[column]
        if not total:
            return _("none in {region}").format(region=name)
        return _("{share} of {region}").format(
            share=i18n.percent(place[column] / total, 0), region=name
        )

    def rate_text(rate: str) -> str:
        value = place[f"{rate}_rate"]
        return "–" if pd.isna(value) else i18n.percent(value, 1)

    def count(label: str, column: str) -> Tile:
        value = i18n.integer(int(place[column]))
        return Tile(label, value, delta=share(column), delta_color="off")

    days, region_days = place["median_days_to_verdict"], reference["median_days_to_verdict"]
    verdict = verdict_estimate(
        days, place["verdict_days_low"], place["verdict_days_high"], place["verdict_over_days"]
    )
    seized = format_kg(float(place["seized_kg"]))
    return (
        Tile(metric.label("seized_kg"), seized, delta=share("seized_kg"), delta_color="off"),
        count(metric.label("seizure_events"), "seizure_events"),
        count(metric.label("cases_opened"), "opened"),
        *(
            Tile(
                metric.label(rate),
                rate_text(rate),
                delta=points(rate),
                help=metric.short_definition(rate, i18n.integer(int(place[f"{rate}_n"]))),
            )
            for rate in metric.RATES
        ),
        Tile(
            metric.label("time_to_verdict"),
            # the interval under the tile: beside the days it was cut at a tile's width
            format_verdict_days(verdict),
            verdict_interval(verdict),
            delta=None
            if pd.isna(days) or pd.isna(region_days)
            else _("{days} days vs {region}").format(
                days=signed(days - region_days, 0), region=name
            ),
            delta_color="inverse",
        ),
    )
