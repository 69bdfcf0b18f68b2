"""Issue 17, item 13: counts withheld by the small-cell rule were recovered by subtraction.

In the demo's CSV snapshot DOM, ECU and ESP each had one year whose 'cases opened' read '<5'
while the country's total was in rates.csv: the total minus the other years gave it. These
tests audit every published snapshot the way a statistical office's disclosure tool (tau-ARGUS)
audits a table: every number the snapshot shows (the cases table, the rates table with each
shown rate times its n, the funnel, the headline tiles) and every sum a reader knows holds
between them, then for each withheld count the smallest and the largest value it can take (a
linear program each, scipy.optimize.linprog), a '<5' count being 1 to 4 and any other withheld
count 0 or more. A withheld count is exposed when both are the same.

The reader here is built from the published files alone, apart from the package's model.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
import pytest
from scipy import optimize, sparse

from crimjust_data import snapshot
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters
from crimjust_data.store import DuckDBStore, LoadRequest, Store
from tests.conftest import cases_frame, seizures_frame

THRESHOLD = 5
OUTCOMES = ("convicted", "acquitted", "dismissed", "pending")
RATES = {  # rates.csv: rate column, n column -> (numerator, n) names
    "prosecution": ("Prosecution rate", "Prosecution n", "charged_in_window", "cohort"),
    "conviction": ("Conviction rate", "Conviction n", "convicted", "court_outcome"),
}
STAGES = {  # the funnel's stage labels
    "Opened": "opened",
    "Closed before charge": "closed_before_charge",
    "Charged": "charged",
    "Court outcome": "court_outcome",
    "Convicted": "convicted",
}


def _is_share(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass
class Reader:
    """What a reader of the snapshot knows: values shown, bounds of withheld ones, sums."""

    known: dict[tuple, float] = field(default_factory=dict)
    bounds: dict[tuple, tuple[float, float]] = field(default_factory=dict)
    cells: set[tuple] = field(default_factory=set)  # withheld counts a table shows as such
    sums: list[tuple[tuple, list[tuple]]] = field(default_factory=list)

    def shown(self, key: tuple, text: str) -> None:
        """A published count: a number, '<5' (1 to 4) or 'withheld' (0 or more)."""
        text = str(text).strip()
        if text == f"<{THRESHOLD}":
            self.bounds[key] = (1, THRESHOLD - 1)
            self.cells.add(key)
        elif text == "withheld":
            self.bounds[key] = (0, math.inf)
            self.cells.add(key)
        else:
            self.known[key] = float(text.replace(",", ""))

    def unknown(self, key: tuple, low: float = 0, high: float = math.inf) -> None:
        """A count no table shows (a reader knows it is there, not its value)."""
        if key not in self.known and key not in self.bounds:
            self.bounds[key] = (low, high)

    def rate(self, numerator: tuple, n: tuple, text: str) -> None:
        """A rate shown with one decimal: its numerator is rate x n, within rounding."""
        text = str(text).strip()
        if n in self.known and self.known[n] == 0:
            self.known[numerator] = 0
        elif (text.endswith("%") or _is_share(text)) and n in self.known:
            # a tile's '75.0%', or the rates table's fraction to 3 decimals (0.75)
            share = float(text.rstrip("%")) / 100 if text.endswith("%") else float(text)
            total = self.known[n]
            low = math.ceil((share - 0.0005) * total - 1e-9)
            high = math.floor((share + 0.0005) * total + 1e-9)
            if low == high:
                self.known[numerator] = low
            else:
                self.bounds[numerator] = (low, high)
        else:  # withheld: the numerator is the hidden count of a withheld rate
            self.bounds[numerator] = (0, math.inf)
            if n in self.known:
                self.cells.add(numerator)

    def add(self, total: tuple, parts: list[tuple]) -> None:
        for key in (total, *parts):
            self.unknown(key)
        self.sums.append((total, parts))

    def ranges(self) -> Iterator[tuple[tuple, float, float]]:
        """(withheld count, smallest, largest) for every count a table shows as withheld."""
        hidden = sorted(self.bounds, key=repr)
        index = {k: i for i, k in enumerate(hidden)}
        rows, rhs = [], []
        for total, parts in self.sums:
            row: dict[int, float] = {}
            constant = 0.0
            for key, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
                if key in index:
                    row[index[key]] = row.get(index[key], 0.0) + sign
                else:
                    constant += sign * self.known[key]
            if any(row.values()):
                rows.append(row)
                rhs.append(-constant)
            else:
                assert constant == 0, f"the published numbers do not add up: {total}"
        # a linear program per connected group of sums (the others do not bear on it)
        parent = list(range(len(hidden)))

        def root(v: int) -> int:
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for row in rows:
            first, *rest = row
            for v in rest:
                parent[root(v)] = root(first)
        groups: dict[int, list[int]] = {}
        for r, row in enumerate(rows):
            groups.setdefault(root(next(iter(row))), []).append(r)
        for v, key in enumerate(hidden):
            if key not in self.cells:
                continue
            group = groups.get(root(v), [])
            if not group:  # in no sum: only its bounds
                yield key, *self.bounds[key]
                continue
            columns = sorted({c for r in group for c in rows[r]})
            where = {c: i for i, c in enumerate(columns)}
            entries = [(i, where[c], rows[r][c]) for i, r in enumerate(group) for c in rows[r]]
            matrix = sparse.csr_array(
                ([e[2] for e in entries], ([e[0] for e in entries], [e[1] for e in entries])),
                shape=(len(group), len(columns)),
            )
            limits = [
                (
                    self.bounds[hidden[c]][0],
                    None if math.isinf(b := self.bounds[hidden[c]][1]) else b,
                )
                for c in columns
            ]
            extremes = []
            for sense in (1.0, -1.0):
                objective = [0.0] * len(columns)
                objective[where[v]] = sense
                result = optimize.linprog(
                    objective,
                    A_eq=matrix,
                    b_eq=[rhs[r] for r in group],
                    bounds=limits,
                    method="highs",
                )
                assert result.status in (0, 3), (key, result.message)  # 3: unbounded above
                extremes.append(math.inf if result.status == 3 else sense * result.fun)
            yield key, extremes[0], extremes[1]


def read_snapshot(report: snapshot.Snapshot) -> Reader:
    """Everything the CSV tables and the HTML report of `report` show of cases, and the sums
    a reader knows hold between them."""
    with zipfile.ZipFile(io.BytesIO(snapshot.render(report, "csv"))) as archive:
        tables = {
            name.removesuffix(".csv"): pd.read_csv(
                io.StringIO(archive.read(name).decode("utf-8-sig")),
                comment="#",
                dtype=str,
                keep_default_na=False,
            )
            for name in archive.namelist()
        }
    document = snapshot.render(report, "html").decode("utf-8")
    tiles = {
        html.unescape(label): (html.unescape(value), html.unescape(note))
        for label, value, note in re.findall(
            r"<div class='tile'><div class='label'>(.*?)</div><div class='value'>(.*?)</div>"
            r"<div class='note'>(.*?)</div></div>",
            document,
        )
    }
    reader = Reader()
    cases = tables["cases"]
    countries: dict[str, list[int]] = {}
    for row in cases.to_dict("records"):
        place, year = row["country_iso3"], int(row["year_opened"])
        countries.setdefault(place, []).append(year)
        for column in ("opened", "charged", "verdict", *OUTCOMES):
            if column in row:
                reader.shown(("cell", place, year, column), row[column])
        reader.add(("cell", place, year, "opened"), [("cell", place, year, o) for o in OUTCOMES])
        if "verdict" in row:  # clean data: a verdict date for each outcome reached
            finished = [("cell", place, year, o) for o in OUTCOMES[:3]]
            reader.add(("cell", place, year, "verdict"), finished)
    region_of: dict[str, str] = {}
    for row in tables["rates"].to_dict("records"):
        if row["Level"] == "Country":
            place = re.search(r"\(([A-Z]{3})\)$", row["Place"]).group(1)
            region_of[place] = row["Region"]
            prefix: tuple = ("country", place)
        else:
            prefix = ("region", row["Place"])
        reader.shown((*prefix, "opened"), row["Cases opened"])
        for rate, n, numerator, total in RATES.values():
            reader.shown((*prefix, total), row[n])
            reader.rate((*prefix, numerator), (*prefix, total), row[rate])
    if "attrition_funnel" in tables:
        for row in tables["attrition_funnel"].to_dict("records"):
            reader.shown(("region", row["Region"], STAGES[row["Stage"]]), row["Cases"])
    # the tiles: cases opened, both rates with their n, too recent, Kaplan-Meier counts
    value, note = tiles["Cases opened"]
    reader.shown(("all", "opened"), value)
    end = pd.Timestamp(re.search(r"Case data end: (.*)$", note).group(1))
    cut = end - pd.DateOffset(months=12)
    for label, name in (("Prosecution rate", "prosecution"), ("Conviction rate", "conviction")):
        value, note = tiles[label]
        _rate, _n, numerator, total = RATES[name]
        n = re.search(r"n = ([\d,]+)", note) or re.search(r"\(n ([^)]+)\)", note)
        if n:
            reader.shown(("all", total), n.group(1))
            reader.rate(("all", numerator), ("all", total), value)
    recent = re.search(r"([\d,]+) cases? opened less than", tiles["Prosecution rate"][1])
    if recent:
        reader.shown(("all", "too_recent"), recent.group(1))
        reader.add(("all", "opened"), [("all", "cohort"), ("all", "too_recent")])
    km = re.search(
        r"([\d,]+) charged cases?, ([\d,]+) still pending", tiles["Median time to verdict"][1]
    )
    regions = sorted(set(region_of.values()))
    if km:
        reader.shown(("all", "km_n"), km.group(1))
        reader.shown(("all", "km_pending"), km.group(2))
        # clean data: every charged case has a time, every court outcome a verdict date
        reader.add(("all", "km_n"), [("region", r, "charged") for r in regions])
        reader.add(("all", "km_n"), [("all", "court_outcome"), ("all", "km_pending")])
    # the sums: years to a country, outcomes reached to its court outcomes and closures
    # before charge, convictions to the conviction rate's numerator (clean data), years
    # before the prosecution cut (and part of the cut's year) to its cohort
    for place, years in countries.items():
        cell = lambda year, column, place=place: ("cell", place, year, column)  # noqa: E731
        reader.add(("country", place, "opened"), [cell(y, "opened") for y in years])
        reader.add(("country", place, "convicted"), [cell(y, "convicted") for y in years])
        reader.add(
            ("country", place, "finished"), [cell(y, o) for y in years for o in OUTCOMES[:3]]
        )
        reader.add(
            ("country", place, "finished"),
            [("country", place, "court_outcome"), ("country", place, "closed_before_charge")],
        )
        before = [cell(y, "opened") for y in years if y < cut.year]
        if cut.year in years:
            reader.unknown(("country", place, "cut_year"))
            before.append(("country", place, "cut_year"))
        reader.add(("country", place, "cohort"), before)
    for region in regions:
        places = [p for p, r in region_of.items() if r == region]
        for count in ("opened", "cohort", "charged_in_window", "court_outcome", "convicted"):
            reader.add(("region", region, count), [("country", p, count) for p in places])
        reader.add(
            ("region", region, "closed_before_charge"),
            [("country", p, "closed_before_charge") for p in places],
        )
        charged = [("cell", p, y, "charged") for p in places for y in countries.get(p, [])]
        reader.add(("region", region, "charged"), charged)
    for count in ("opened", "cohort", "charged_in_window", "court_outcome", "convicted"):
        if ("all", count) in reader.known or ("all", count) in reader.bounds:
            reader.add(("all", count), [("region", r, count) for r in regions])
    return reader


def exposed(reader: Reader) -> list[tuple[tuple, float, float]]:
    """The withheld counts a reader can work out exactly, with their one value."""
    return [(k, low, high) for k, low, high in reader.ranges() if high - low < 1e-6]


# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DuckDBStore:
    store = DuckDBStore(tmp_path_factory.mktemp("suppression_demo") / "demo.duckdb")
    load_demo(store)
    return store


@pytest.fixture(scope="module")
def demo_report(demo_store: DuckDBStore) -> snapshot.Snapshot:
    return snapshot.build(demo_store, threshold=THRESHOLD)


def test_no_withheld_count_of_the_demo_snapshot_can_be_worked_out(
    demo_report: snapshot.Snapshot,
) -> None:
    reader = read_snapshot(demo_report)
    cases = [k for k in reader.cells if k[0] == "cell"]
    assert len(cases) > 1000  # the audit covers the demo's many small cells
    found = exposed(reader)
    # the attack of the issue first: each country's total minus its other years
    for place in ("DOM", "ECU", "ESP"):
        assert ("country", place, "opened") in reader.known, place
        years = [(k, low) for k, low, _high in found if k[1] == place and k[3] == "opened"]
        assert not years, f"{place}: cases opened worked out from its total: {years}"
    assert not found, f"{len(found)} withheld counts worked out, e.g. {found[:5]}"


def test_no_withheld_count_of_a_filtered_snapshot_can_be_worked_out(
    demo_store: DuckDBStore,
) -> None:
    """Two regions, and a period that ends mid-year (the whole selection is in the cohort)."""
    filters = Filters(regions=("caribbean", "west_africa"), date_to=dt.date(2024, 6, 30))
    reader = read_snapshot(snapshot.build(demo_store, filters, threshold=THRESHOLD))
    assert len([k for k in reader.cells if k[0] == "cell"]) > 100
    found = exposed(reader)
    assert not found, f"{len(found)} withheld counts worked out, e.g. {found[:5]}"


def test_the_exports_say_how_many_counts_were_withheld_further(
    demo_report: snapshot.Snapshot,
) -> None:
    further = demo_report.withheld.further
    assert further > 0
    document = snapshot.render(demo_report, "html").decode("utf-8")
    assert f"{further:,} further case counts are withheld" in document
    assert "Hundepool" in document
    with zipfile.ZipFile(io.BytesIO(snapshot.render(demo_report, "csv"))) as archive:
        header = archive.read("cases.csv").decode("utf-8-sig")
    line = next(t for t in header.splitlines() if t.startswith("# Withheld to protect other"))
    assert f"{further:,}".replace(",", "\u201a") in line


def _crafted_cases() -> pd.DataFrame:
    """BRA: 20 cases opened in 2019, 3 in 2020, 15 in 2021 (all pending); COL: 30 in 2020.
    The rates table shows BRA's 38: without complementary suppression 2020 is 38 - 20 - 15."""
    rows = [
        (f"{place}-{year}-{i}", place, None, f"{year}-03-01", None, None, "pending")
        for place, year, n in (("BRA", 2019, 20), ("BRA", 2020, 3), ("BRA", 2021, 15))
        for i in range(n)
    ]
    rows += [(f"COL-{i}", "COL", None, "2020-05-01", None, None, "pending") for i in range(30)]
    return cases_frame(rows)


def test_a_small_year_beside_a_published_total_stays_hidden(store: Store) -> None:
    """On both backends: the same counts, the same cells withheld."""
    seizures = seizures_frame([("S1", "2020-01-10", "BRA", "cocaine_hcl", 10.0, "vessel")])
    store.load_many(
        [
            LoadRequest("seizures", seizures, "test fixture"),
            LoadRequest("cases", _crafted_cases(), "test fixture"),
        ]
    )
    report = snapshot.build(store, threshold=THRESHOLD)
    reader = read_snapshot(report)
    assert reader.bounds[("cell", "BRA", 2020, "opened")] == (1, THRESHOLD - 1)
    assert reader.known[("country", "BRA", "opened")] == 38
    found = exposed(reader)
    assert not found, found
    ranges = {k: (low, high) for k, low, high in reader.ranges()}
    low, high = ranges[("cell", "BRA", 2020, "opened")]
    assert (low, high) == (1, THRESHOLD - 1)  # protected over the whole '<5' range
