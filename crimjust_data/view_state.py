"""The shareable view: Filters to and from URL query parameters. Pure functions, no streamlit.

A link carries every filter, so reloading or sending it reopens the same view. Values that do
not parse, or name things the data does not have, are dropped with a notice saying which.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from crimjust_data.countries import REGIONS, country_name, region_label
from crimjust_data.i18n import _
from crimjust_data.metrics import Filters
from crimjust_data.schemas import CONVEYANCES, DRUGS
from crimjust_data.store import Store
from crimjust_data.vocabulary import DIMENSION_NOUNS, conveyance_label, drug_label

# URL parameter -> Filters field, for the multi-valued filters (repeated: ?region=a&region=b).
LIST_PARAMS: dict[str, str] = {
    "region": "regions",
    "country": "countries",
    "drug": "drugs",
    "conveyance": "conveyances",
    "source": "sources",
}
DATE_PARAMS: dict[str, str] = {"from": "date_from", "to": "date_to"}
QUERY_KEYS: tuple[str, ...] = (*DATE_PARAMS, *LIST_PARAMS)


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
        "sources": lambda text: text,
    }[field]


def parse_query(
    params: Mapping[str, Sequence[str]], choices: FilterChoices
) -> tuple[Filters, list[str]]:
    """Filters from URL parameters (each a list of values), and a notice per value ignored."""
    notices: list[str] = []
    values: dict[str, object] = {}
    for param, field in DATE_PARAMS.items():
        raw = [v for v in params.get(param, []) if v != ""]
        if not raw:
            continue
        try:
            day = dt.date.fromisoformat(raw[-1])
        except ValueError:
            notices.append(
                _("Ignored '{value}' from the link: not a date (YYYY-MM-DD).").format(
                    value=f"{param}={raw[-1]}"
                )
            )
            continue
        # Clamped to the data; the data's own first or last day is no restriction at all.
        day = min(max(day, choices.first_date), choices.last_date)
        if day > choices.first_date if field == "date_from" else day < choices.last_date:
            values[field] = day
    if "date_from" in values and "date_to" in values and values["date_from"] > values["date_to"]:  # type: ignore[operator]
        notices.append(_("Ignored the link's dates: 'from' is after 'to'."))
        del values["date_from"], values["date_to"]
    for param, field in LIST_PARAMS.items():
        allowed = choices.allowed(field)
        kept: list[str] = []
        for value in params.get(param, []):
            value = value.strip()
            if field == "countries":
                value = value.upper()
            if value in kept:
                continue
            if value in allowed:
                kept.append(value)
            elif value:
                notices.append(
                    _(
                        "Ignored {param} '{value}' from the link: there is no such {what} in "
                        "the data."
                    ).format(param=param, value=value, what=_(DIMENSION_NOUNS[param]))
                )
        values[field] = tuple(kept)
    return dataclasses.replace(Filters(), **values), notices  # type: ignore[arg-type]


def to_query(filters: Filters, choices: FilterChoices) -> dict[str, list[str]]:
    """URL parameters for `filters`; what is not restricted is left out, to keep links short."""
    query: dict[str, list[str]] = {}
    if filters.date_from and filters.date_from > choices.first_date:
        query["from"] = [filters.date_from.isoformat()]
    if filters.date_to and filters.date_to < choices.last_date:
        query["to"] = [filters.date_to.isoformat()]
    for param, field in LIST_PARAMS.items():
        selected = getattr(filters, field)
        if selected:
            query[param] = list(selected)
    return query


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
