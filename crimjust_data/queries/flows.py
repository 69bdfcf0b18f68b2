"""Queries of the 'Routes and flows' page: where cocaine is seized and where it was heading.

All aggregation happens in SQL (portable: DuckDB and PostgreSQL both accept it) and every
function returns a small frame: one row per country, per origin -> destination pair, or per
region triple. A focus country narrows the flows to the seizures that touch it: seized there,
or with it as origin, a transit country or the destination.
"""

from __future__ import annotations

import pandas as pd

from crimjust_data.countries import country_name, known_iso3
from crimjust_data.i18n import _
from crimjust_data.metrics import (
    SEIZURES_FROM,
    Filters,
    route_facts,
    seizure_facts,
    seizure_where,
    total,
)
from crimjust_data.store import Store

# A seizure touches the focus country if it was seized there or the country is on its route.
# `? = ANY(array)` is accepted by DuckDB and PostgreSQL alike.
_TOUCHES = (
    "(s.country_iso3 = ? OR s.origin_iso3 = ? OR s.destination_iso3 = ? OR ? = ANY(s.transit_iso3))"
)


# How many legs of its declared route a seizure had travelled when it was seized: 0 in its origin
# country, k in its k-th transit country (the first time the route passes there), all of them
# (transit countries + 1) in its destination; NULL when it was seized in a country not on its
# route, which credits no leg: the data cannot say which legs it travelled. array_position
# counts from 1 and gives NULL when the country is absent, in DuckDB and PostgreSQL alike.
_REACHED = (
    "CASE WHEN s.country_iso3 = s.origin_iso3 THEN 0 "
    "ELSE coalesce(array_position(s.transit_iso3, s.country_iso3), "
    "CASE WHEN s.country_iso3 = s.destination_iso3 "
    "THEN coalesce(cardinality(s.transit_iso3), 0) + 1 END) END"
)


def parse_focus(value: str | None) -> tuple[str | None, str | None]:
    """(ISO3, None) for a valid focus country from a link, (None, notice) for an invalid one.

    Case and surrounding spaces are forgiven; anything that is not a known ISO3 code is not.
    """
    if value is None or not value.strip():
        return None, None
    code = value.strip().upper()
    if code in known_iso3():
        return code, None
    return None, _("Ignored '{value}' from the link: not a country code (ISO3, e.g. CPV).").format(
        value=f"focus={value}"
    )


def _flow_where(filters: Filters, focus: str | None) -> tuple[str, list[object]]:
    """The sidebar filters, both ends of the route known, and the focus country if any."""
    where, params = seizure_where(filters)
    where += " AND s.origin_iso3 IS NOT NULL AND s.destination_iso3 IS NOT NULL"
    if focus:
        where += f" AND {_TOUCHES}"
        params.extend([focus] * 4)
    return where, params


def seized_by_country(store: Store, filters: Filters) -> pd.DataFrame:
    """Per country where seizures were made: name, region, centroid, seized_kg and seizures.

    Largest first; countries without a seizure in the selection are absent.
    """
    facts, params = seizure_facts(filters)
    return store.query(
        "SELECT f.country_iso3 AS iso3, c.name_en AS name, c.region, c.latitude, c.longitude, "
        f"f.seized_kg, f.seizures FROM (SELECT country_iso3, sum(kg) AS seized_kg, "
        f"{total('events', 'seizures')} FROM ({facts}) u GROUP BY country_iso3) f "
        "JOIN ref_countries c ON c.iso3 = f.country_iso3 ORDER BY seized_kg DESC, iso3",
        params,
    )


def flow_pairs(
    store: Store, filters: Filters, focus: str | None = None, legs: bool = False
) -> pd.DataFrame:
    """Per reported origin -> destination pair: kg and seizures, with names, regions, centroids.

    With `legs`, each seizure's route is cut into its legs instead (origin -> first transit
    country -> ... -> destination), and a leg's kg and seizures are those of the seizures that
    had travelled it: seized further along their route (see _REACHED; `leg_totals` gives what
    is credited and what is not). That shows the Caribbean and West African hubs a direct line
    skips. The columns keep their names (origin_* is the start of a leg, destination_* its end).
    Seizures missing either end are left out (see `flow_coverage`); largest flow first.
    """
    where, params = _flow_where(filters, focus)
    if legs:
        # A leg starts at the origin or at a transit country and ends at the next stop: the
        # next transit country (arrays count from 1 in both SQL dialects), else the destination.
        # Leg n (n = 1 from the origin) is credited only when the seizure had travelled it:
        # reached >= n. Positions come from a small recursive count, not unnest(): much
        # faster in DuckDB.
        counted = f"""
            WITH RECURSIVE sel AS (
                SELECT s.origin_iso3, s.transit_iso3, s.destination_iso3, s.quantity_kg,
                       {_REACHED} AS reached
                FROM {SEIZURES_FROM} WHERE {where}),
            positions (pos) AS (
                SELECT 1 UNION ALL SELECT pos + 1 FROM positions
                WHERE pos < (SELECT max(cardinality(transit_iso3)) FROM sel)),
            legs AS (
                SELECT origin_iso3 AS from_iso3,
                       coalesce(transit_iso3[1], destination_iso3) AS to_iso3, quantity_kg
                FROM sel WHERE reached >= 1
                UNION ALL
                SELECT sel.transit_iso3[p.pos],
                       coalesce(sel.transit_iso3[p.pos + 1], sel.destination_iso3),
                       sel.quantity_kg
                FROM sel JOIN positions p
                  ON p.pos <= cardinality(sel.transit_iso3) AND sel.reached >= p.pos + 1)
            SELECT from_iso3, to_iso3, sum(quantity_kg) AS kg, count(*) AS seizures FROM legs
            WHERE to_iso3 IS NOT NULL AND to_iso3 <> from_iso3
            GROUP BY from_iso3, to_iso3"""
    elif focus:  # the focus may be a transit country: the raw rows know
        counted = (
            "SELECT s.origin_iso3 AS from_iso3, s.destination_iso3 AS to_iso3, "
            "sum(s.quantity_kg) AS kg, count(*) AS seizures "
            f"FROM {SEIZURES_FROM} WHERE {where} GROUP BY s.origin_iso3, s.destination_iso3"
        )
    else:
        facts, params = route_facts(filters)
        counted = (
            "SELECT origin_iso3 AS from_iso3, destination_iso3 AS to_iso3, sum(kg) AS kg, "
            f"{total('events', 'seizures')} FROM ({facts}) f GROUP BY 1, 2"
        )
    return store.query(
        "SELECT f.from_iso3 AS origin_iso3, f.to_iso3 AS destination_iso3, "
        "o.name_en AS origin_name, d.name_en AS destination_name, "
        "coalesce(o.region, 'other') AS origin_region, "
        "coalesce(d.region, 'other') AS destination_region, "
        "o.latitude AS origin_lat, o.longitude AS origin_lon, "
        "d.latitude AS destination_lat, d.longitude AS destination_lon, f.kg, f.seizures "
        f"FROM ({counted}) f "
        "LEFT JOIN ref_countries o ON o.iso3 = f.from_iso3 "
        "LEFT JOIN ref_countries d ON d.iso3 = f.to_iso3 "
        "ORDER BY f.kg DESC, f.from_iso3, f.to_iso3",
        params,
    )


def leg_totals(store: Store, filters: Filters, focus: str | None = None) -> pd.DataFrame:
    """One row: the seizures with both ends of their route (as drawn by flow_pairs) and how the
    leg-by-leg view treats them, in counts and kg: on_legs (seized past their origin, on their
    declared route: credited to the legs up to where they were seized), at_origin (seized in
    their origin country: no leg) and off_route (seized in a country not on their declared
    route: no leg, since the data cannot say which legs they travelled).

    Columns: seizures_with_route, kg_with_route, seizures_on_legs, kg_on_legs,
    seizures_at_origin, kg_at_origin, seizures_off_route, kg_off_route.
    """
    where, params = _flow_where(filters, focus)
    parts = {"with_route": "TRUE", "on_legs": "reached >= 1", "at_origin": "reached = 0"}
    parts["off_route"] = "reached IS NULL"
    columns = ", ".join(
        f"count(*) FILTER (WHERE {test}) AS seizures_{name}, "
        f"coalesce(sum(quantity_kg) FILTER (WHERE {test}), 0) AS kg_{name}"
        for name, test in parts.items()
    )
    return store.query(
        f"SELECT {columns} FROM (SELECT s.quantity_kg, {_REACHED} AS reached "
        f"FROM {SEIZURES_FROM} WHERE {where}) r",
        params,
    )


def region_flows(store: Store, filters: Filters, focus: str | None = None) -> pd.DataFrame:
    """Per (origin region, region where seized, destination region): kg and seizures."""
    if focus:  # the focus may be a transit country: the raw rows know
        where, params = _flow_where(filters, focus)
        selected = (
            "SELECT s.origin_iso3, c.region, s.destination_iso3, s.quantity_kg AS kg, "
            f"CAST(1 AS BIGINT) AS events FROM {SEIZURES_FROM} WHERE {where}"
        )
    else:
        selected, params = route_facts(filters)
    return store.query(
        "SELECT coalesce(o.region, 'other') AS origin_region, f.region AS seized_region, "
        "coalesce(d.region, 'other') AS destination_region, "
        f"sum(f.kg) AS kg, {total('f.events', 'seizures')} FROM ({selected}) f "
        "LEFT JOIN ref_countries o ON o.iso3 = f.origin_iso3 "
        "LEFT JOIN ref_countries d ON d.iso3 = f.destination_iso3 "
        "GROUP BY coalesce(o.region, 'other'), f.region, coalesce(d.region, 'other') "
        "ORDER BY kg DESC",
        params,
    )


def flow_coverage(store: Store, filters: Filters, focus: str | None = None) -> pd.DataFrame:
    """One row: seizures and kg in the selection (touching `focus` if given), and how many of
    them report both an origin and a destination (only those can be drawn as flows)."""
    if not focus:
        facts, params = seizure_facts(filters)
        return store.query(
            f"SELECT {total('events', 'seizures')}, coalesce(sum(kg), 0) AS kg, "
            f"{total('routed_events', 'seizures_with_route')}, "
            f"coalesce(sum(routed_kg), 0) AS kg_with_route FROM ({facts}) f",
            params,
        )
    where, params = seizure_where(filters)
    where += f" AND {_TOUCHES}"
    params.extend([focus] * 4)
    both = "s.origin_iso3 IS NOT NULL AND s.destination_iso3 IS NOT NULL"
    return store.query(
        "SELECT count(*) AS seizures, coalesce(sum(s.quantity_kg), 0) AS kg, "
        f"count(*) FILTER (WHERE {both}) AS seizures_with_route, "
        f"coalesce(sum(s.quantity_kg) FILTER (WHERE {both}), 0) AS kg_with_route "
        f"FROM {SEIZURES_FROM} WHERE {where}",
        params,
    )


def focus_label(iso3: str) -> str:
    """'Cabo Verde (CPV)': how the focus country is named in captions and titles."""
    return f"{country_name(iso3)} ({iso3})"
