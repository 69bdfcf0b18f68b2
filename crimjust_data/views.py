"""Small frames shaped for display: what pages show as tables and labels, computed here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crimjust_data import i18n
from crimjust_data.formatting import format_kg, signed, verdict_text
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import PROSECUTION_WINDOW_MONTHS

TABLE_LABELS = {
    "seizures": N_("Seizure events"),
    "cases": N_("Criminal cases"),
    "annual_seizures": N_("Official annual totals (UNODC)"),
    "activities": N_("Program activities"),
}


def table_label(table: str) -> str:
    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table


@dataclass(frozen=True)
class DataSources:
    """The sources behind what is shown, as one citation line, and whether any is synthetic."""

    label: str
    synthetic: bool


def data_sources(freshness: pd.DataFrame, tables: tuple[str, ...] | None = None) -> DataSources:
    """Summarise metrics.data_freshness() (for some tables, or all) into a 'Source:' line."""
    if tables is not None:
        freshness = freshness[freshness["table_name"].isin(tables)]
    if freshness.empty:
        return DataSources(_("no data loaded"), False)
    names = sorted({s.strip() for text in freshness["sources"] for s in str(text).split(";")})
    synthetic = bool(freshness["synthetic"].any())
    label = "; ".join(names)
    if synthetic and "synthetic" not in label.lower():
        label += " " + _("(synthetic)")
    return DataSources(label, synthetic)


def freshness_table(freshness: pd.DataFrame) -> pd.DataFrame:
    """One readable row per table: rows, versions, last load, newest data, sources, synthetic."""
    return pd.DataFrame(
        {
            _("Table"): [table_label(t) for t in freshness["table_name"]],
            _("Rows"): freshness["rows"].astype("int64"),
            _("Active versions"): freshness["active_versions"].astype("int64"),
            _("Last loaded (UTC)"): pd.to_datetime(freshness["last_loaded"]).dt.strftime(
                "%Y-%m-%d %H:%M"
            ),
            _("Newest data"): freshness["newest_data"],
            _("Source"): freshness["sources"],
            _("Synthetic"): [_("yes") if s else _("no") for s in freshness["synthetic"]],
        }
    )


@dataclass(frozen=True)
class Tile:
    """One headline figure: label, value, its difference from a reference, and what it means."""

    label: str
    value: str
    delta: str | None = None
    lower_is_better: bool = False
    help: str | None = None
    neutral: bool = False  # the delta is a share, not better or worse: no arrow, no colour


def comparison_tiles(comparison: pd.DataFrame) -> list[Tile]:
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

    days, region_days = place["median_days_to_verdict"], reference["median_days_to_verdict"]
    return [
        Tile(
            _("Cocaine seized"),
            format_kg(float(place["seized_kg"])),
            share("seized_kg"),
            neutral=True,
        ),
        Tile(
            _("Seizure events"),
            i18n.integer(int(place["seizure_events"])),
            share("seizure_events"),
            neutral=True,
        ),
        Tile(_("Cases opened"), i18n.integer(int(place["opened"])), share("opened"), neutral=True),
        Tile(
            _("Prosecution rate"),
            rate_text("prosecution"),
            points("prosecution"),
            help=_(
                "Cases charged within {months} months / cases opened at least {months} months "
                "before the data's end; n = {n}"
            ).format(n=i18n.integer(int(place["prosecution_n"])), months=PROSECUTION_WINDOW_MONTHS),
        ),
        Tile(
            _("Conviction rate"),
            rate_text("conviction"),
            points("conviction"),
            help=_("Convicted / charged cases with a court outcome; n = {n}").format(
                n=i18n.integer(int(place["conviction_n"]))
            ),
        ),
        Tile(
            _("Median time to verdict"),
            verdict_text(
                days,
                place["verdict_days_low"],
                place["verdict_days_high"],
                place["verdict_over_days"],
            ),
            None
            if pd.isna(days) or pd.isna(region_days)
            else _("{days} days vs {region}").format(
                days=signed(days - region_days, 0), region=name
            ),
            lower_is_better=True,
        ),
    ]
