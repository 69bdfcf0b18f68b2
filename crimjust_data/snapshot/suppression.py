"""The small-cell rule over everything a snapshot says about cases, in every format at once.

The cases table (country x year), the rates table (countries and regions), the funnel (regions)
and the headline tiles (the selection) are cut from the same cases, so their counts add up:
years to a country's cases opened, outcomes to the cases opened, a rate times its n to its
numerator, countries to their region, regions to the selection. A count withheld in one table
could be worked out from the others, so one model (disclosure.Linked) holds every case count a
snapshot shows and every such sum, withholds the small ones, then further ones until none can
be worked out; each table is then written from it (`Withheld`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable

import pandas as pd

from crimjust_data import metrics
from crimjust_data.countries import REGIONS
from crimjust_data.disclosure import RATES, Linked, Withheld, is_small
from crimjust_data.metrics import Filters
from crimjust_data.store import Store
from crimjust_data.store.ddl import COURT_OUTCOMES_SQL, charged_in_window

# The cases table's counts per country and year opened: stages, then outcomes (which add up to
# the cases opened: every case has one). Not the cases with a verdict date: in clean data they
# are the convicted, acquitted and dismissed again, and opened minus them gave away 'pending'.
STAGES = ("opened", "charged")
OUTCOMES = ("convicted", "acquitted", "dismissed", "pending")
CASE_COLUMNS = (*STAGES, *OUTCOMES)
# metrics.COUNT_NAMES from the counts by year ('convicted' there is of the charged cases)
_COUNT_NAMES = {name: name for name in metrics.COUNT_NAMES} | {"convicted": "charged_convicted"}
# The funnel's stages (queries.justice.FUNNEL_STAGES) and the stage each is part of
_FUNNEL_PARENT = {
    "closed_before_charge": "opened",
    "charged": "opened",
    "court_outcome": "charged",
    "convicted": "court_outcome",
}


def counts_by_year(store: Store, filters: Filters, end: dt.date | None) -> pd.DataFrame:
    """Per country (with its region) and year opened: the cases table's counts (CASE_COLUMNS)
    and those the rates and the funnel add up (metrics.COUNT_NAMES, of the data's `end`), in one
    read of the selection's cases."""
    where, params = metrics.case_where(filters)
    cut = metrics.cohort_end(end)
    cohort = "k.opened_date <= ?" if cut is not None else "FALSE"
    sql = (
        "SELECT k.country_iso3, c.region, "
        "CAST(extract(year FROM k.opened_date) AS INTEGER) AS year_opened, count(*) AS opened, "
        "count(k.charged_date) AS charged, "
        + "".join(f"count(*) FILTER (WHERE k.outcome = '{o}') AS {o}, " for o in OUTCOMES)
        + f"count(*) FILTER (WHERE k.charged_date IS NULL AND k.outcome IN {COURT_OUTCOMES_SQL}) "
        "AS closed_before_charge, "
        f"count(*) FILTER (WHERE k.charged_date IS NOT NULL AND k.outcome IN {COURT_OUTCOMES_SQL}) "
        "AS court_outcome, "
        "count(*) FILTER (WHERE k.charged_date IS NOT NULL AND k.outcome = 'convicted') "
        "AS charged_convicted, "
        f"count(*) FILTER (WHERE {cohort}) AS cohort, "
        f"count(*) FILTER (WHERE {cohort} AND {charged_in_window('k.')}) AS charged_in_window "
        f"FROM {metrics.cases_from(filters)} WHERE {where} GROUP BY 1, 2, 3 ORDER BY 1, 3"
    )
    cuts = [cut, cut] if cut is not None else []
    frame = store.query(sql, [*cuts, *params])
    counts = [c for c in frame.columns if c not in ("country_iso3", "region")]
    return frame.astype({"country_iso3": "str", "region": "str"} | dict.fromkeys(counts, "int64"))


def count_sets(by_year: pd.DataFrame, sets: dict[str, dict[str, str]]) -> dict[str, pd.DataFrame]:
    """`by_year` summed to each set of groups (named as in metrics.case_counts_sets: output
    column -> country_iso3 or region), with the metrics.COUNT_NAMES columns."""
    frame = by_year[["country_iso3", "region", *_COUNT_NAMES.values()]].rename(
        columns={v: k for k, v in _COUNT_NAMES.items()}
    )
    out = {}
    for name, groups in sets.items():
        if not groups:
            out[name] = frame[list(metrics.COUNT_NAMES)].sum().to_frame().T.astype("int64")
            continue
        summed = frame.groupby(list(groups.values()), as_index=False)[list(metrics.COUNT_NAMES)]
        out[name] = summed.sum().rename(columns={v: k for k, v in groups.items()})
    return out


def _rate(model: Linked, numerator: Hashable, n: Hashable, alone: bool) -> None:
    """The rate rule: a rate is withheld when its numerator, its n or their difference is a
    small count, or its n is below the threshold. `alone`: the numerator is shown nowhere but
    in the rate, so withholding the n withholds it too."""
    t = model.threshold
    successes, total = model.value(numerator), model.value(n)
    if is_small(total, t):
        model.withhold(n)
    if alone:
        model.hide_with(n, numerator)
    if is_small(successes, t):
        model.withhold(numerator)
    elif is_small(total - successes, t):
        model.difference(("lost", numerator), n, [numerator], numerator)


def _funnel(model: Linked, region: str) -> None:
    """The funnel chart's rule (figures.justice.funnel_chart): a stage is withheld when it is a
    small count, or the cases of the stage it is part of but not in it are, and 'charged' too
    when those still awaiting a charge (opened - closed before charge - charged) are."""
    t = model.threshold

    def key(stage: str) -> tuple[str, str, str]:
        return ("region", region, stage)

    for stage, parent in _FUNNEL_PARENT.items():
        if is_small(model.value(key(stage)), t):
            model.withhold(key(stage))
        if is_small(model.value(key(parent)) - model.value(key(stage)), t):
            model.difference(("lost", key(stage)), key(parent), [key(stage)], key(stage))
    waiting = [key("closed_before_charge"), key("charged")]
    if is_small(model.value(key("opened")) - sum(model.value(k) for k in waiting), t):
        model.difference(("waiting", region), key("opened"), waiting, key("charged"))


def withheld(
    by_year: pd.DataFrame,
    sets: dict[str, pd.DataFrame],
    headline: metrics.Headline,
    funnel_regions: Iterable[str],
    filters: Filters,
    threshold: int,
) -> Withheld:
    """What the small-cell rule withholds from a snapshot of `by_year` (counts_by_year), its
    `sets` (count_sets: 'all', 'region', 'country'), its tiles' `headline` and its funnel (the
    regions drawn), with the further counts that keep the withheld ones from being worked out.
    """
    if threshold <= 1:
        return Withheld(threshold)
    model = Linked(threshold)
    in_funnel = set(funnel_regions)
    _cells(model, by_year)
    _countries(model, by_year, sets["country"], headline.data_end, filters)
    regions = _regions(model, sets["region"], by_year, in_funnel)
    _selection(model, sets["all"], headline, regions)
    model.protect()
    keys = frozenset(model.withheld())
    left_out = tuple(
        r
        for r in sorted(in_funnel)
        if any(("region", r, stage) in model.further for stage in ("opened", *_FUNNEL_PARENT))
    )
    further = model.further | model.widened
    return Withheld(
        threshold,
        keys,
        further=len(further),
        wide=frozenset(model.widened),
        funnel_left_out=left_out,
    )


def _cells(model: Linked, by_year: pd.DataFrame) -> None:
    t = model.threshold
    for row in by_year.to_dict("records"):
        place, year = row["country_iso3"], row["year_opened"]

        def cell(column: str, place: str = place, year: int = year) -> tuple[str, str, int, str]:
            return ("cell", place, year, column)

        for column in CASE_COLUMNS:
            model.count(cell(column), row[column], 0)
        model.sum(cell("opened"), [cell(o) for o in OUTCOMES])
        for column in CASE_COLUMNS:
            if is_small(row[column], t):
                model.withhold(cell(column))
        if is_small(row["opened"] - row["charged"], t):
            model.difference(
                ("lost", cell("charged")), cell("opened"), [cell("charged")], cell("charged")
            )


def _countries(
    model: Linked,
    by_year: pd.DataFrame,
    countries: pd.DataFrame,
    end: dt.date | None,
    filters: Filters,
) -> None:
    cut = metrics.cohort_end(end)
    # the cohort takes whole years before the cut's year, and all of that year when the cut is
    # its last day or the selection ends by the cut
    whole_year = cut is not None and (
        (cut.month, cut.day) == (12, 31) or (filters.date_to is not None and filters.date_to <= cut)
    )
    years = by_year.groupby("country_iso3")
    for record in countries.to_dict("records"):
        place = record["country_iso3"]

        def key(count: str, place: str = place) -> tuple[str, str, str]:
            return ("country", place, count)

        rows = years.get_group(place)
        for count in ("opened", *(k for pair in RATES.values() for k in pair)):
            model.count(key(count), record[count], 1)
        model.count(key("closed_before_charge"), record["closed_before_charge"], 1, shown=False)
        cells = list(zip(rows["year_opened"], rows["opened"], rows["cohort"], strict=True))
        model.sum(key("opened"), [("cell", place, y, "opened") for y, *_n in cells])
        # the finished cases: charged with a court outcome, or closed before any charge
        finished = [("cell", place, y, o) for y, *_n in cells for o in OUTCOMES[:3]]
        model.count(key("finished"), sum(model.value(k) for k in finished), 1, shown=False)
        model.sum(key("finished"), finished)
        model.sum(key("finished"), [key("court_outcome"), key("closed_before_charge")])
        convicted = [("cell", place, y, "convicted") for y, *_n in cells]
        if record["convicted"] == sum(model.value(k) for k in convicted):
            model.sum(key("convicted"), convicted)  # no conviction without a charge date
        if cut is not None:
            before = [("cell", place, y, "opened") for y, *_n in cells if y < cut.year]
            in_cut_year = [(y, o, c) for y, o, c in cells if y == cut.year]
            if whole_year:
                before += [("cell", place, y, "opened") for y, *_n in in_cut_year]
            elif in_cut_year:
                model.count(key("cohort_in_cut_year"), in_cut_year[0][2], 1, shown=False)
                before.append(key("cohort_in_cut_year"))
            model.sum(key("cohort"), before)
        if is_small(record["opened"], model.threshold):
            model.withhold(key("opened"))
        for numerator, n in RATES.values():
            _rate(model, key(numerator), key(n), alone=True)


def _regions(
    model: Linked, regions: pd.DataFrame, by_year: pd.DataFrame, in_funnel: set[str]
) -> list[str]:
    """The regions' counts: the rates table's (REGIONS with cases), the funnel's (regions
    drawn); charged and closed before charge are the funnel's alone."""
    countries = by_year.groupby("region")["country_iso3"].unique()
    charged = by_year.groupby("region")
    names = []
    for record in regions.to_dict("records"):
        region = record["region"]
        names.append(region)
        in_rates = region in REGIONS and record["opened"] > 0
        drawn = region in in_funnel

        def key(count: str, region: str = region) -> tuple[str, str, str]:
            return ("region", region, count)

        for count in metrics.COUNT_NAMES:
            shown = (drawn and count in ("opened", *_FUNNEL_PARENT)) or (
                in_rates and count not in ("closed_before_charge", "charged")
            )
            model.count(key(count), record[count], 2, shown=shown)
        for count in ("opened", "closed_before_charge", *(k for p in RATES.values() for k in p)):
            model.sum(key(count), [("country", c, count) for c in countries[region]])
        rows = charged.get_group(region)
        model.sum(
            key("charged"),
            [
                ("cell", c, y, "charged")
                for c, y in zip(rows["country_iso3"], rows["year_opened"], strict=True)
            ],
        )
        if in_rates:
            if is_small(record["opened"], model.threshold):
                model.withhold(key("opened"))
            for name, (numerator, n) in RATES.items():
                _rate(model, key(numerator), key(n), alone=name == "prosecution" or not drawn)
        if drawn:
            _funnel(model, region)
    return names


def _selection(
    model: Linked, counts: pd.DataFrame, headline: metrics.Headline, regions: list[str]
) -> None:
    """The tiles: cases opened, both rates with their n, the cases too recent to judge, and the
    Kaplan-Meier tile's charged and pending cases."""
    t = model.threshold
    record = counts.iloc[0].to_dict()
    for count in metrics.COUNT_NAMES:
        shown = count not in ("closed_before_charge", "charged")
        model.count(("all", count), record[count], 3, shown=shown)
        model.sum(("all", count), [("region", r, count) for r in regions])
    recent = headline.too_recent
    model.count(("all", "too_recent"), recent, 3)
    model.sum(("all", "opened"), [("all", "cohort"), ("all", "too_recent")])
    if is_small(recent, t):
        model.withhold(("all", "too_recent"))
    if is_small(record["opened"], t):
        model.withhold(("all", "opened"))
    for numerator, n in RATES.values():
        _rate(model, ("all", numerator), ("all", n), alone=True)
    timing = headline.time_to_verdict
    model.count(("all", "km_n"), timing.n, 3)
    model.count(("all", "km_pending"), timing.pending, 3)
    model.count(("all", "km_verdicts"), timing.verdicts, 3, shown=False)
    model.sum(("all", "km_n"), [("all", "km_verdicts"), ("all", "km_pending")])
    if timing.n == record["charged"]:  # as in clean data: every charged case has a known time
        model.sum(("all", "km_n"), [("all", "charged")])
    if timing.verdicts == record["court_outcome"]:
        model.sum(("all", "court_outcome"), [("all", "km_verdicts")])
    if is_small(timing.verdicts, t) or is_small(timing.pending, t):
        model.withhold(("all", "km_n"))
        model.withhold(("all", "km_pending"))
        model.keep_secret(("all", "km_verdicts"))
