"""The naive baseline of bench/scale_bench.py: the dashboard's views done the way a typical
Streamlit app does them. bench/naive_app.py draws them as a Streamlit app (that is what the
ratio compares with, through the same AppTest harness as ours); this module holds its pandas
and plotly express work, and also times it alone, without Streamlit, for a lower bound.

What it does, per page-equivalent and per rerun:

- the whole `active_seizures` and `active_cases` views (SELECT *) were read into pandas once, with
  each row's region merged in from `ref_countries` and the transit countries as '|'-joined text
  (`read_tables`; the load is timed separately);
- every rerun gets its own copy of both frames, as an `@st.cache_data` hit does (Streamlit keeps
  the pickled value and unpickles it on every hit): `pickle.loads` of the stored bytes. With
  `copy=False` the frames are shared instead (as `@st.cache_resource` would), a lower bound;
- it filters and groups in pandas, builds each figure with plotly express (`px.choropleth` for the
  map, `px.line_geo` for the routes, `px.bar` for regions, rates and timelines, `px.funnel` for
  the funnel; the region Sankey with graph_objects, as plotly express has none), and serialises
  every figure to JSON as `st.plotly_chart` does before sending it (the bytes are counted).

`rerun` times those functions directly, with no Streamlit: the baseline is spared the script
run, the widgets and Streamlit's own overhead, which the app's numbers include, so a ratio
from it is a lower bound ('baseline without Streamlit').
"""

from __future__ import annotations

import math
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

from crimjust_data.store import Store

Z_95 = 1.959963984540054
FINAL = ("convicted", "acquitted", "dismissed")
STAGES = ("opened", "charged", "verdict", "convicted")


@dataclass(frozen=True)
class View:
    """The filter a rerun applies: regions (empty: all) and an optional period."""

    regions: tuple[str, ...] = ()
    date_from: pd.Timestamp | None = None
    date_to: pd.Timestamp | None = None


@dataclass
class Frames:
    """The whole tables as a typical app caches them: pickled bytes, unpickled on each hit."""

    seizures_blob: bytes
    cases_blob: bytes
    seizures: pd.DataFrame
    cases: pd.DataFrame
    regions: pd.Series  # region of each ISO3 code
    load_seconds: float
    rows: dict[str, int] = field(default_factory=dict)

    def get(self, copy: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
        if copy:
            return pickle.loads(self.seizures_blob), pickle.loads(self.cases_blob)
        return self.seizures, self.cases


def read_tables(store: Store) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """SELECT * from the active views into pandas, with the region of each row merged in:
    (seizures, cases, region of each ISO3 code)."""
    countries = store.query("SELECT iso3, region, name_en FROM ref_countries")
    regions = countries.set_index("iso3")["region"]
    seizures = store.query("SELECT * FROM active_seizures")
    seizures["region"] = seizures["country_iso3"].map(regions).fillna("other")
    # Routes as '|'-joined text, as an app reading the CSV would hold them: a column of 1M
    # Python lists would make every cache copy cost seconds and flatter the ratio.
    seizures["transit_iso3"] = [
        "|".join(route) if route is not None and len(route) else ""
        for route in seizures["transit_iso3"]
    ]
    cases = store.query("SELECT * FROM active_cases")
    cases["region"] = cases["country_iso3"].map(regions).fillna("other")
    return seizures, cases, regions


def load(store: Store) -> Frames:
    """The whole tables (`read_tables`), and their pickles as st.cache_data would keep them."""
    started = time.perf_counter()
    seizures, cases, regions = read_tables(store)
    seizures_blob = pickle.dumps(seizures, protocol=pickle.HIGHEST_PROTOCOL)
    cases_blob = pickle.dumps(cases, protocol=pickle.HIGHEST_PROTOCOL)
    return Frames(
        seizures_blob,
        cases_blob,
        seizures,
        cases,
        regions,
        time.perf_counter() - started,
        {"seizures": len(seizures), "cases": len(cases)},
    )


# ---------------------------------------------------------------------------------------------
# Filtering and grouping in pandas, per rerun.


def _rows_in(frame: pd.DataFrame, view: View, date_column: str) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    if view.regions:
        mask &= frame["region"].isin(view.regions)
    if view.date_from is not None:
        mask &= frame[date_column] >= view.date_from
    if view.date_to is not None:
        mask &= frame[date_column] <= view.date_to
    return frame[mask]


def _seizures_in(seizures: pd.DataFrame, view: View) -> pd.DataFrame:
    return _rows_in(seizures, view, "date")


def _cases_in(cases: pd.DataFrame, view: View) -> pd.DataFrame:
    return _rows_in(cases, view, "opened_date")


def _wilson(successes: float, n: float) -> tuple[float, float]:
    if not n:
        return math.nan, math.nan
    p = successes / n
    denominator = 1 + Z_95 * Z_95 / n
    centre = (p + Z_95 * Z_95 / (2 * n)) / denominator
    half = Z_95 * math.sqrt(p * (1 - p) / n + Z_95 * Z_95 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _case_counts(cases: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """opened, charged, verdict, convicted, final and the median days to verdict per group."""
    frame = cases.assign(
        has_charge=cases["charged_date"].notna(),
        has_verdict=cases["verdict_date"].notna(),
        is_convicted=cases["outcome"] == "convicted",
        is_final=cases["outcome"].isin(FINAL),
        days=(cases["verdict_date"] - cases["opened_date"]).dt.days,
    )
    counts = frame.groupby(by, dropna=False).agg(
        opened=("case_id", "size"),
        charged=("has_charge", "sum"),
        verdict=("has_verdict", "sum"),
        convicted=("is_convicted", "sum"),
        final=("is_final", "sum"),
        median_days=("days", "median"),
    )
    return counts.reset_index()


def _rates(counts: pd.DataFrame) -> pd.DataFrame:
    """Prosecution and conviction rates with Wilson 95% intervals, long (one row per rate)."""
    rows = []
    for record in counts.to_dict("records"):
        for rate, successes, n in (
            ("prosecution", record["charged"], record["opened"]),
            ("conviction", record["convicted"], record["final"]),
        ):
            low, high = _wilson(successes, n)
            value = successes / n if n else math.nan
            rows.append({**record, "rate": rate, "value": value, "low": low, "high": high})
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["error_plus"] = frame["high"] - frame["value"]
        frame["error_minus"] = frame["value"] - frame["low"]
    return frame


def _headline(seizures: pd.DataFrame, cases: pd.DataFrame) -> dict[str, Any]:
    counts = _case_counts(cases.assign(all="all"), ["all"])
    row = counts.iloc[0].to_dict() if not counts.empty else {}
    return {
        "kg": float(seizures["quantity_kg"].sum()),
        "events": len(seizures),
        **row,
    }


def _by_country(seizures: pd.DataFrame) -> pd.DataFrame:
    return (
        seizures.groupby("country_iso3")
        .agg(kg=("quantity_kg", "sum"), seizures=("seizure_id", "size"))
        .reset_index()
        .sort_values("kg", ascending=False)
    )


def _pairs(seizures: pd.DataFrame) -> pd.DataFrame:
    routed = seizures.dropna(subset=["origin_iso3", "destination_iso3"])
    return (
        routed.groupby(["origin_iso3", "destination_iso3"])
        .agg(kg=("quantity_kg", "sum"), seizures=("seizure_id", "size"))
        .reset_index()
        .sort_values("kg", ascending=False)
    )


def _seizure_map(seizures: pd.DataFrame) -> go.Figure:
    return px.choropleth(
        _by_country(seizures),
        locations="country_iso3",
        color="kg",
        hover_data=["seizures"],
        color_continuous_scale="Cividis",
        title="Cocaine seized by country (kg)",
    )


def _flow_map(pairs: pd.DataFrame) -> go.Figure:
    """A line per origin -> destination pair (long format: two rows per line)."""
    pairs = pairs.assign(route=pairs["origin_iso3"] + "-" + pairs["destination_iso3"])
    ends = pd.concat(
        [
            pairs.assign(iso3=pairs["origin_iso3"], end=0),
            pairs.assign(iso3=pairs["destination_iso3"], end=1),
        ]
    ).sort_values(["route", "end"])
    return px.line_geo(
        ends, locations="iso3", line_group="route", hover_data=["kg"], title="Reported routes"
    )


def _region_sankey(seizures: pd.DataFrame, regions: pd.Series) -> go.Figure:
    routed = seizures.dropna(subset=["origin_iso3", "destination_iso3"])
    flows = (
        routed.assign(
            origin_region=routed["origin_iso3"].map(regions).fillna("other"),
            destination_region=routed["destination_iso3"].map(regions).fillna("other"),
        )
        .groupby(["origin_region", "region", "destination_region"])["quantity_kg"]
        .sum()
        .reset_index()
    )
    labels = [f"from {r}" for r in sorted(set(flows["origin_region"]))]
    labels += [f"seized in {r}" for r in sorted(set(flows["region"]))]
    labels += [f"to {r}" for r in sorted(set(flows["destination_region"]))]
    index = {label: i for i, label in enumerate(labels)}
    first = flows.groupby(["origin_region", "region"])["quantity_kg"].sum().reset_index()
    second = flows.groupby(["region", "destination_region"])["quantity_kg"].sum().reset_index()
    source = [index[f"from {a}"] for a in first["origin_region"]]
    source += [index[f"seized in {a}"] for a in second["region"]]
    target = [index[f"seized in {b}"] for b in first["region"]]
    target += [index[f"to {b}"] for b in second["destination_region"]]
    value = [*first["quantity_kg"], *second["quantity_kg"]]
    return go.Figure(
        go.Sankey(node={"label": labels}, link={"source": source, "target": target, "value": value})
    )


def _timeline(seizures: pd.DataFrame, freq: str, by: str, title: str) -> go.Figure:
    periods = seizures["date"].dt.to_period(freq).dt.start_time
    grouped = (
        seizures.assign(period=periods)
        .groupby(["period", by])["quantity_kg"]
        .sum()
        .unstack(fill_value=0.0)
    )
    if not grouped.empty:  # zero-fill the periods without seizures, as the app does
        grouped = grouped.reindex(
            pd.period_range(grouped.index.min(), grouped.index.max(), freq=freq).start_time,
            fill_value=0.0,
        )
    long = grouped.stack().rename("kg").reset_index()
    long.columns = ["period", by, "kg"]
    figure = px.bar(long, x="period", y="kg", color=by, title=title)
    totals = grouped.sum(axis=1)
    figure.add_scatter(x=totals.index, y=totals.rolling(4, min_periods=4).mean(), name="average")
    return figure


def _funnel(cases: pd.DataFrame, by: str) -> go.Figure:
    counts = _case_counts(cases, [by])
    long = counts.melt(id_vars=[by], value_vars=list(STAGES), var_name="stage", value_name="n")
    return px.funnel(long, x="n", y="stage", color=by, title="From case to conviction")


def _rates_bar(counts: pd.DataFrame, x: str, title: str) -> go.Figure:
    rates = _rates(counts)
    return px.bar(
        rates,
        x=x,
        y="value",
        color="rate",
        barmode="group",
        error_y="error_plus",
        error_y_minus="error_minus",
        title=title,
    )


def _verdict_delays(cases: pd.DataFrame) -> go.Figure:
    days = (cases["verdict_date"] - cases["opened_date"]).dt.days.dropna()
    bins = (days // 90).clip(upper=20).value_counts().sort_index()
    frame = pd.DataFrame({"from_days": bins.index * 90, "cases": bins.to_numpy()})
    return px.bar(frame, x="from_days", y="cases", title="Time to verdict")


def _cooperation(cases: pd.DataFrame, by: list[str], title: str) -> go.Figure:
    grouped = cases.assign(cooperation=cases["cooperation"].fillna("not_recorded"))
    counts = _case_counts(grouped, by)
    return _rates_bar(counts, by[-1], title)


# ---------------------------------------------------------------------------------------------
# Page-equivalents: the same views as the app's pages, from the two frames.


@dataclass
class Rendered:
    figures: list[go.Figure]
    tables: list[pd.DataFrame]
    numbers: dict[str, Any] = field(default_factory=dict)  # headline tiles (st.metric)


def home(seizures: pd.DataFrame, cases: pd.DataFrame, view: View, _: pd.Series) -> Rendered:
    s, c = _seizures_in(seizures, view), _cases_in(cases, view)
    numbers = _headline(s, c)
    by_region = s.groupby("region").agg(kg=("quantity_kg", "sum"), events=("seizure_id", "size"))
    figures = [
        px.bar(by_region.reset_index(), x="region", y="kg", title="Cocaine seized by region"),
        _rates_bar(_case_counts(c, ["region"]), "region", "Rates by region"),
    ]
    return Rendered(figures, [by_region], numbers)


def flows(seizures: pd.DataFrame, cases: pd.DataFrame, view: View, regions: pd.Series) -> Rendered:
    s = _seizures_in(seizures, view)
    pairs = _pairs(s)
    figures = [_seizure_map(s), _flow_map(pairs), _region_sankey(s, regions)]
    return Rendered(figures, [pairs.head(15)])


def timelines(seizures: pd.DataFrame, cases: pd.DataFrame, view: View, _: pd.Series) -> Rendered:
    s = _seizures_in(seizures, view)
    return Rendered([_timeline(s, "Q", "region", "Cocaine seized per quarter")], [])


def justice(seizures: pd.DataFrame, cases: pd.DataFrame, view: View, _: pd.Series) -> Rendered:
    c = _cases_in(cases, view)
    numbers = _headline(_seizures_in(seizures, view), c)
    figures = [
        _funnel(c, "region"),
        _rates_bar(_case_counts(c, ["country_iso3", "region"]), "country_iso3", "By country"),
        _verdict_delays(c),
        _cooperation(c, ["cooperation"], "Cooperation"),
        _cooperation(
            c.assign(cooperation=c["cooperation"].where(c["cooperation"] == "none", "any")),
            ["region", "cooperation"],
            "Cooperation by region",
        ),
    ]
    return Rendered(figures, [], numbers)


def profile(
    seizures: pd.DataFrame, cases: pd.DataFrame, view: View, regions: pd.Series
) -> Rendered:
    # The sidebar's places do not apply here: the period only, and the country with most kg.
    everywhere = View(date_from=view.date_from, date_to=view.date_to)
    s, c = _seizures_in(seizures, everywhere), _cases_in(cases, everywhere)
    in_view = _seizures_in(seizures, view)
    top = _by_country(in_view if not in_view.empty else s)
    iso3 = str(top["country_iso3"].iloc[0]) if not top.empty else "CPV"
    region = str(regions.get(iso3, "other"))
    here_s, region_s = s[s["country_iso3"] == iso3], s[s["region"] == region]
    here_c, region_c = c[c["country_iso3"] == iso3], c[c["region"] == region]
    pair = pd.concat([here_c.assign(place=iso3), region_c.assign(place=region)])
    touches = (
        (s["country_iso3"] == iso3)
        | (s["origin_iso3"] == iso3)
        | (s["destination_iso3"] == iso3)
        | s["transit_iso3"].str.contains(iso3, regex=False)
    )
    pairs = _pairs(s[touches])
    figures = [
        _rates_bar(_case_counts(pair, ["place"]), "place", f"Rates: {iso3} and {region}"),
        _flow_map(pairs),
        _timeline(here_s, "Y", "drug", f"{iso3} per year"),
        _timeline(region_s, "Y", "country_iso3", f"{region} per year"),
        _funnel(pair, "place"),
    ]
    numbers = _headline(here_s, here_c)
    _headline(region_s, region_c)
    return Rendered(figures, [pairs.head(15)], numbers)


def export(seizures: pd.DataFrame, cases: pd.DataFrame, view: View, regions: pd.Series) -> Rendered:
    """What the donor snapshot holds: headline, both maps, the Sankey, the quarterly timeline,
    the funnel and the rates table."""
    s, c = _seizures_in(seizures, view), _cases_in(cases, view)
    numbers = _headline(s, c)
    pairs = _pairs(s)
    rates = _rates(_case_counts(c, ["country_iso3", "region"]))
    figures = [
        _seizure_map(s),
        _flow_map(pairs),
        _region_sankey(s, regions),
        _timeline(s, "Q", "region", "Cocaine seized per quarter"),
        _funnel(c, "region"),
    ]
    return Rendered(figures, [rates], numbers)


PageFunction = Callable[[pd.DataFrame, pd.DataFrame, View, pd.Series], Rendered]
PAGES: dict[str, PageFunction] = {
    "pages/home.py": home,
    "pages/flows.py": flows,
    "pages/timelines.py": timelines,
    "pages/justice.py": justice,
    "pages/profile.py": profile,
    "pages/export.py": export,
}


def rerun(frames: Frames, page: str, view: View, copy: bool = True) -> tuple[float, int]:
    """One rerun of a page-equivalent: (seconds, bytes of figure JSON it would send)."""
    started = time.perf_counter()
    seizures, cases = frames.get(copy)
    rendered = PAGES[page](seizures, cases, view, frames.regions)
    size = sum(len(pio.to_json(figure, validate=False).encode()) for figure in rendered.figures)
    return time.perf_counter() - started, size
