"""The shareable view: Filters to and from URL query parameters. Pure functions, no streamlit.

A link carries every filter, so reloading or sending it reopens the same view. Values that do
not parse, or name things the data does not have, are dropped with a notice saying which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from crimjust_data.countries import REGIONS, country_name, region_label
from crimjust_data.i18n import _
from crimjust_data.metrics import Filters
from crimjust_data.schemas import CONVEYANCES, DRUGS
from crimjust_data.store import Store
from crimjust_data.vocabulary import conveyance_label, drug_label, stored_text

# URL parameter -> Filters field, for the multi-valued filters (repeated: ?region=a&region=b).
LIST_PARAMS: dict[str, str] = {
    "region": "regions",
    "country": "countries",
    "drug": "drugs",
    "conveyance": "conveyances",
    "source": "sources",
}


@dataclass(frozen=True)
class FilterChoices:
    """What the filters can offer, given the data loaded now."""

    first_date: dt.date
    last_date: dt.date
    countries: tuple[str, ...]
    sources: tuple[str, ...]
    regions: tuple[str, ...] = REGIONS
    drugs: tuple[str, ...] = DRUGS
    conveyances: tuple[str, ...] = CONVEYANCES

    def allowed(self, field: str) -> tuple[str, ...]:
        return getattr(self, field)


def label_for(field: str) -> Callable[[str], str]:
    """How each option of a multi-valued filter is shown to people."""
    return {
        "regions": region_label,
        "countries": lambda iso3: f"{country_name(iso3)} ({iso3})",
        "drugs": drug_label,
        "conveyances": conveyance_label,
        "sources": stored_text,  # the demo's own source in words of the language
    }[field]


def describe(filters: Filters) -> str:
    """One line naming what the view is restricted to, for captions and exports."""
    parts: list[str] = []
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else _("the start")
        end = filters.date_to.isoformat() if filters.date_to else _("the latest data")
        parts.append(_("{start} to {end}").format(start=start, end=end))
    for field in LIST_PARAMS.values():
        selected = getattr(filters, field)
        if selected:
            parts.append(", ".join(label_for(field)(v) for v in selected))
    return "; ".join(parts) if parts else _("all data")


def filter_choices(store: Store) -> FilterChoices:
    """Date bounds, countries and sources present in the active seizures and cases."""
    # From the rollups: a few ten thousand rows, where the raw tables hold millions.
    bounds = store.query(
        "SELECT min(first_day) AS first, max(last_day) AS last FROM ("
        "SELECT first_day, last_day FROM active_seizure_rollup "
        "UNION ALL SELECT first_day, last_day FROM active_case_rollup) u"
    ).iloc[0]
    today = dt.date.today()
    first = today if bounds.isna()["first"] else bounds["first"].date()
    last = today if bounds.isna()["last"] else bounds["last"].date()
    present = store.query(
        "SELECT country_iso3 AS iso3 FROM active_seizure_rollup UNION "
        "SELECT country_iso3 FROM active_case_rollup ORDER BY 1"
    )
    sources = store.query(
        "SELECT source FROM active_seizure_rollup UNION "
        "SELECT source FROM active_case_rollup ORDER BY 1"
    )
    return FilterChoices(
        first_date=first,
        last_date=last,
        countries=tuple(present["iso3"]),
        sources=tuple(sources["source"]),
    )


def filters_from_widgets(
    dates: Sequence[dt.date] | dt.date | None,
    selected: Mapping[str, Sequence[str]],
    choices: FilterChoices,
) -> Filters:
    """Filters from the sidebar's period picker and multiselects.

    A range picker returns one date while the second is being chosen; a bound equal to the
    data's own first or last date is no restriction (so links stay short and stay valid).
    """
    if isinstance(dates, dt.date):
        dates = (dates,)
    picked = list(dates or [])
    start = picked[0] if picked else None
    end = picked[1] if len(picked) > 1 else None
    return Filters(
        date_from=start if start and start > choices.first_date else None,
        date_to=end if end and end < choices.last_date else None,
        **{field: tuple(selected.get(field, ())) for field in LIST_PARAMS.values()},
    )
