"""Queries of the country profile: one country beside its region, with the same other filters.

The profile picks its own country, so the sidebar's country and region selections are set aside
for it; period, drug, conveyance and source still apply.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from crimjust_data import metrics, survival
from crimjust_data.countries import country_name, region_label, region_of
from crimjust_data.metrics import COUNT_NAMES, Filters
from crimjust_data.store import Store


def country_filters(filters: Filters, iso3: str) -> Filters:
    """The sidebar filters, narrowed to one country."""
    return dataclasses.replace(filters, countries=(iso3,), regions=())


def region_filters(filters: Filters, iso3: str) -> Filters:
    """The sidebar filters, widened to the country's whole region."""
    return dataclasses.replace(filters, countries=(), regions=(region_of(iso3),))


def without_place(filters: Filters) -> Filters:
    """The sidebar filters without country or region (flows touching a country start here)."""
    return dataclasses.replace(filters, countries=(), regions=())


def default_country(store: Store, filters: Filters) -> str | None:
    """The country with the most kg seized in the selection: where a profile starts."""
    facts, params = metrics.seizure_facts(without_place(filters))
    frame = store.query(
        f"SELECT country_iso3, sum(kg) AS kg FROM ({facts}) f "
        "GROUP BY 1 ORDER BY kg DESC, 1 LIMIT 1",
        params,
    )
    return None if frame.empty else str(frame.iloc[0]["country_iso3"])


def comparison(store: Store, filters: Filters, iso3: str) -> pd.DataFrame:
    """Two rows, the country then its region: kg, events, case counts and both rates.

    Columns as metrics.region_comparison (region holds the display name here), so the same
    chart builders draw it.
    """
    rows = []
    end = metrics.data_end(store)
    for label, selection in (
        (country_name(iso3), country_filters(filters, iso3)),
        (region_label(region_of(iso3)), region_filters(filters, iso3)),
    ):
        counts = metrics.case_counts(store, selection, {}, end)
        figures = metrics.headline(store, selection, counts, end)
        rows.append(
            {
                "region": label,
                "seized_kg": figures.seized_kg,
                "seizure_events": figures.seizure_events,
            }
            | {name: int(counts[name].iat[0]) if len(counts) else 0 for name in COUNT_NAMES}
            | {
                name: values[0]
                for name, values in survival.columns([figures.time_to_verdict]).items()
            }
        )
    return metrics.with_rates(pd.DataFrame(rows))


def funnel_pair(store: Store, filters: Filters, iso3: str) -> pd.DataFrame:
    """The attrition funnel of the country and of its region, in the long form the Justice
    page draws (region, stage, stage_label, cases, opened, share_of_opened)."""
    from crimjust_data.queries.justice import FUNNEL_STAGES

    rows = []
    for group, selection in (
        (country_name(iso3), country_filters(filters, iso3)),
        (region_of(iso3), region_filters(filters, iso3)),
    ):
        counts = metrics.case_counts(store, selection, {})
        values = counts.iloc[0] if not counts.empty else None
        opened = 0 if values is None else int(values["opened"])
        for stage, label in FUNNEL_STAGES:
            cases = 0 if values is None else int(values[stage])
            rows.append(
                {
                    "region": group,
                    "stage": stage,
                    "stage_label": label,
                    "cases": cases,
                    "opened": opened,
                    "share_of_opened": cases / opened if opened else 0.0,
                }
            )
    return pd.DataFrame(rows)
