"""What a donor snapshot holds, gathered once and rendered to HTML, PDF, CSV or XLSX.

The charts come from the same builders as the pages (crimjust_data.figures), so a snapshot
draws exactly what the dashboard shows for the same filters. Case counts go through the
small-cell rule (crimjust_data.disclosure) before anything is drawn or tabulated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crimjust_data import i18n, metrics, view_state
from crimjust_data.countries import country_name, region_label
from crimjust_data.disclosure import (
    DEFAULT_THRESHOLD,
    WITHHELD,
    count_text,
    is_small,
    mask_case_table,
    rate_withheld,
    rule_text,
)
from crimjust_data.figures import Chart
from crimjust_data.figures import flows as flow_charts
from crimjust_data.figures import justice as justice_charts
from crimjust_data.figures import timelines as timeline_charts
from crimjust_data.formatting import describe_rate, format_days, format_kg, format_rate
from crimjust_data.i18n import N_, _
from crimjust_data.metrics import Filters, Rate
from crimjust_data.queries import flows, justice, timelines
from crimjust_data.store import Store, Version
from crimjust_data.views import DataSources, data_sources, table_label

TITLE = N_("CRIMJUST interdiction snapshot")
PRODUCER = N_("CRIMJUST interdiction dashboard")
LANGUAGES = i18n.LANGUAGES
TRANSLATED = tuple(
    lang for lang in LANGUAGES if lang == i18n.DEFAULT or i18n.catalog_path(lang).exists()
)


# The rates table's columns per rate: value, interval and n (translated at use).
RATE_COLUMNS = {
    "prosecution": (N_("Prosecution rate"), N_("Prosecution 95% CI"), N_("Prosecution n")),
    "conviction": (N_("Conviction rate"), N_("Conviction 95% CI"), N_("Conviction n")),
}


@dataclass(frozen=True)
class Section:
    """One chart of the report: its file stem (for CSV/XLSX), heading, chart and caption.

    `drawn` is the Chart, or how to draw it (see `_later`): building plotly figures is most of
    the cost of a snapshot, and the export page shows the headings long before any file.
    """

    key: str
    heading: str
    drawn: Chart | functools.partial[Chart]
    caption: str = ""

    @functools.cached_property
    def chart(self) -> Chart:
        return self.drawn if isinstance(self.drawn, Chart) else self.drawn()


def _draw(lang: str, builder: Callable[..., Chart], *args: Any, **options: Any) -> Chart:
    with i18n.using(lang):
        return builder(*args, **options)


def _later(builder: Callable[..., Chart], *args: Any, **options: Any) -> functools.partial[Chart]:
    """`builder(*args, **options)` drawn when first needed, in the language of now."""
    return functools.partial(_draw, i18n.current(), builder, *args, **options)


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Snapshot:
    """Everything a snapshot shows, in every format."""

    filters: Filters
    scope: str
    period: tuple[dt.date, dt.date]
    generated_at: dt.datetime
    lang: str
    threshold: int
    sources: DataSources
    versions: list[Version]  # the active versions behind the numbers
    tiles: list[Tile]
    sections: list[Section]
    rates: pd.DataFrame
    # The filtered rows (a million at most) only in a snapshot built with rows: the export
    # page fetches them with `with_rows` when a CSV or XLSX file is made, not at every rerun.
    seizures: pd.DataFrame | None
    cases: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)
    title: str = TITLE

    @property
    def language_name(self) -> str:
        return LANGUAGES[self.lang]

    def provenance(self) -> list[tuple[str, str]]:
        """What a reader needs to cite and trust the numbers: the header block of every file."""
        versions = "; ".join(
            _("{table} version {version} ({rows} rows, sha256 {checksum})").format(
                table=table_label(v.table_name),
                version=v.version_id,
                rows=i18n.integer(v.rows),
                checksum=v.sha256,
            )
            for v in self.versions
        )
        return [
            (_("Report"), self.title),
            (_("Produced by"), _(PRODUCER)),
            (_("Generated (UTC)"), self.generated_at.strftime("%Y-%m-%d %H:%M:%S")),
            (_("Filters"), self.scope),
            (_("Period"), self.period_text),
            (_("Sources"), self.sources.label),
            (
                _("Synthetic data"),
                _("YES: generated demo data, not real seizures or cases")
                if self.sources.synthetic
                else _("no"),
            ),
            (_("Dataset versions"), versions or _("none active")),
            (_("Small-cell rule"), rule_text(self.threshold)),
            (_("Language"), self.language_name),
        ]

    @property
    def versions_table(self) -> pd.DataFrame:
        return versions_table(self.versions)

    @property
    def period_text(self) -> str:
        return _("{start} to {end}").format(
            start=self.period[0].isoformat(), end=self.period[1].isoformat()
        )

    def table_names(self) -> list[str]:
        """The file stems of `tables()`, known without the rows."""
        return ["seizures", "cases", "rates", *(section.key for section in self.sections)]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The filtered data and each chart's numbers, by file stem: what CSV and XLSX hold."""
        if self.seizures is None or self.cases is None:
            raise ValueError("this snapshot was built without its rows: use with_rows first")
        charts = {section.key: section.chart.data for section in self.sections}
        tables = {"seizures": self.seizures, "cases": self.cases, "rates": self.rates, **charts}
        return {name: tables[name] for name in self.table_names()}


@dataclass(frozen=True)
class StoreState:
    """What a snapshot reads that no filter changes (the export page caches it apart)."""

    freshness: pd.DataFrame
    choices: view_state.FilterChoices
    versions: list[Version]  # the active ones


SNAPSHOT_SETS: dict[str, dict[str, str]] = {
    "all": {},
    "region": {"region": "region"},
    "country": {"country_iso3": "country_iso3", "region": "region"},
}


def store_state(store: Store) -> StoreState:
    return StoreState(
        metrics.data_freshness(store),
        view_state.filter_choices(store),
        [v for v in store.versions() if v.active],
    )


def build(
    store: Store,
    filters: Filters | None = None,
    *,
    lang: str = "en",
    threshold: int = DEFAULT_THRESHOLD,
    now: dt.datetime | None = None,
    rows: bool = True,
    state: StoreState | None = None,
) -> Snapshot:
    """Query the store and build every section of the snapshot for `filters`, in `lang`.

    Without `rows`, the filtered seizures and cases are left out (see `with_rows`). `state`,
    when given, is `store_state(store)` read earlier.
    """
    filters = filters or Filters()
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if threshold < 0:
        raise ValueError(f"the small-cell threshold must be 0 or more, not {threshold}")
    written_in = lang if lang in TRANSLATED else i18n.DEFAULT
    with i18n.using(written_in):
        return _build(
            store, filters, lang, written_in, threshold, now, rows, state or store_state(store)
        )


ROW_FORMATS = ("csv", "xlsx")  # the formats that hold the filtered rows


def with_rows(snapshot: Snapshot, store: Store) -> Snapshot:
    """The snapshot with its filtered seizures and cases, as `build` would have made it."""
    if snapshot.seizures is not None and snapshot.cases is not None:
        return snapshot
    return dataclasses.replace(
        snapshot,
        seizures=filtered_seizures(store, snapshot.filters),
        cases=filtered_cases(store, snapshot.filters, snapshot.threshold),
    )


def _build(
    store: Store,
    filters: Filters,
    lang: str,
    written_in: str,
    threshold: int,
    now: dt.datetime | None,
    rows: bool,
    state: StoreState,
) -> Snapshot:
    freshness, choices = state.freshness, state.choices
    seizure_source = data_sources(freshness, ("seizures",)).label
    case_source = data_sources(freshness, ("cases",)).label
    # the case counts of the tiles, the funnel and both rate tables: one read
    cases = metrics.case_counts_sets(store, filters, SNAPSHOT_SETS)
    headline = metrics.headline(store, filters, cases["all"])
    notes: list[str] = []
    if lang != written_in:
        notes.append(
            _(
                "{language} was asked for; this snapshot is in English until the translations are available."
            ).format(language=LANGUAGES[lang])
        )
    sections = _seizure_sections(store, filters, seizure_source, notes)
    funnel = _funnel_section(
        justice.attrition_funnel(store, filters, cases["region"]), case_source, threshold, notes
    )
    if funnel:
        sections.append(funnel)
    return Snapshot(
        filters=filters,
        scope=view_state.describe(filters),
        period=(
            filters.date_from or choices.first_date,
            filters.date_to or choices.last_date,
        ),
        generated_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
        lang=written_in,
        title=_(TITLE),
        threshold=threshold,
        sources=data_sources(freshness),
        versions=state.versions,
        tiles=_tiles(headline, threshold),
        sections=sections,
        rates=rates_table(
            metrics.region_comparison(store, filters, cases=cases["region"]),
            justice.country_rates(store, filters, cases["country"]),
            threshold,
        ),
        seizures=filtered_seizures(store, filters) if rows else None,
        cases=filtered_cases(store, filters, threshold) if rows else None,
        notes=notes,
    )


def _seizure_sections(
    store: Store, filters: Filters, source: str, notes: list[str]
) -> list[Section]:
    by_country = flows.seized_by_country(store, filters)
    if by_country.empty:
        notes.append(
            _("No seizure events in the selection: the maps and the timeline are left out.")
        )
        return []
    sections = [
        Section(
            "seized_by_country",
            _("Where cocaine is seized"),
            _later(flow_charts.seizure_map, by_country, source, clickable=False),
        )
    ]
    pairs = flows.flow_pairs(store, filters)
    coverage = flows.flow_coverage(store, filters)
    if pairs.empty:
        notes.append(_("No seizure in the selection reports both an origin and a destination."))
    else:
        sections.append(
            Section(
                "flows_origin_destination",
                _("Where it was heading"),
                _later(flow_charts.flow_map, pairs, source),
                flow_charts.flows_caption(coverage),
            )
        )
        sections.append(
            Section(
                "flows_by_region",
                _("From region to region"),
                _later(flow_charts.region_sankey, flows.region_flows(store, filters), source),
            )
        )
    line = timelines.timeline(store, filters, "quarter", "region")
    if not line.empty:
        sections.append(
            Section(
                "timeline_kg_per_quarter_by_region",
                _("Seizures over time"),
                _later(timeline_charts.timeline_chart, line, "kg", source),
                _("Bars: each region stacked to the total for the quarter. Line: {line}.").format(
                    line=timelines.rolling_text("quarter")
                )
                + " "
                + timelines.spike_rule_text("quarter"),
            )
        )
    return sections


def _funnel_section(
    funnel: pd.DataFrame, source: str, threshold: int, notes: list[str]
) -> Section | None:
    if funnel.empty:
        notes.append(_("No cases in the selection: the justice funnel is left out."))
        return None
    too_few = funnel["opened"] < threshold
    if too_few.any():
        regions = sorted({region_label(r) for r in funnel.loc[too_few, "region"]})
        notes.append(
            _("Left out of the funnel, fewer than {threshold} cases opened: {regions}.").format(
                threshold=threshold, regions=", ".join(regions)
            )
        )
        funnel = funnel[~too_few].reset_index(drop=True)
        if funnel.empty:
            return None
    return Section(
        "attrition_funnel",
        _("From case to conviction"),
        _later(justice_charts.funnel_chart, funnel, source, suppress_below=threshold),
    )


def _rate_tile(label: str, rate: Rate, threshold: int) -> Tile:
    if rate.n == 0:
        return Tile(label, "–", _("no cases counted (n = 0)"))
    if rate_withheld(rate.successes, rate.n, threshold):
        return Tile(
            label,
            _(WITHHELD),
            _("too few cases to show (n {n})").format(n=count_text(rate.n, threshold)),
        )
    return Tile(label, format_rate(rate), describe_rate(rate))


def _tiles(headline: metrics.Headline, threshold: int) -> list[Tile]:
    median = (
        _(WITHHELD)
        if is_small(headline.verdicts, threshold)
        else format_days(headline.median_days_to_verdict)
    )
    return [
        Tile(_("Cocaine seized"), format_kg(headline.seized_kg), _("sum of kg in seizure events")),
        Tile(_("Seizure events"), i18n.integer(headline.seizure_events)),
        Tile(_("Cases opened"), count_text(headline.cases_opened, threshold)),
        _rate_tile(_("Prosecution rate"), headline.prosecution, threshold),
        _rate_tile(_("Conviction rate"), headline.conviction, threshold),
        Tile(
            _("Median time to verdict"),
            median,
            _("over {n} cases with a verdict").format(n=count_text(headline.verdicts, threshold)),
        ),
    ]


def _rate_cells(successes: int, n: int, threshold: int) -> tuple[str, str, str]:
    """(rate, 95% CI, n) as shown in the rates table."""
    if n == 0:
        return "–", "–", "0"
    if rate_withheld(successes, n, threshold):
        return _(WITHHELD), "", count_text(n, threshold)
    rate = Rate(successes, n)
    low, high = rate.interval
    return (
        i18n.percent(successes / n, 1),
        f"{i18n.percent(low, 1)}–{i18n.percent(high, 1)}",
        i18n.integer(n),
    )


def rates_table(by_region: pd.DataFrame, by_country: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Regions, then countries: cases opened, prosecution and conviction rates with Wilson 95%
    intervals and n, after the small-cell rule."""
    rows: list[dict[str, str]] = []
    for level, frame in ((_("Region"), by_region), (_("Country"), by_country)):
        for record in frame.to_dict("records"):
            if int(record["opened"]) == 0:
                continue
            region = region_label(record["region"])
            place = (
                region
                if frame is by_region
                else f"{country_name(record['country_iso3'])} ({record['country_iso3']})"
            )
            row = {
                _("Level"): level,
                _("Place"): place,
                _("Region"): region,
                _("Cases opened"): count_text(int(record["opened"]), threshold),
            }
            for columns, num, den in (
                (RATE_COLUMNS["prosecution"], "charged", "opened"),
                (RATE_COLUMNS["conviction"], "convicted", "final"),
            ):
                cells = _rate_cells(int(record[num]), int(record[den]), threshold)
                row.update({_(column): cell for column, cell in zip(columns, cells, strict=True)})
            rows.append(row)
    return pd.DataFrame(rows)


def versions_table(records: list[Version]) -> pd.DataFrame:
    """The dataset versions behind the numbers, with their checksums, as people read them."""
    return pd.DataFrame(
        {
            _("Table"): [table_label(v.table_name) for v in records],
            _("Version"): [v.version_id for v in records],
            _("File"): [v.file_name for v in records],
            _("Rows"): [v.rows for v in records],
            _("Loaded (UTC)"): [
                pd.Timestamp(v.loaded_at).strftime("%Y-%m-%d %H:%M") for v in records
            ],
            _("Source"): [v.source for v in records],
            _("Synthetic"): [_("yes") if v.synthetic else _("no") for v in records],
            "SHA-256": [v.sha256 for v in records],
        }
    )


def _country_names(codes: pd.Series) -> pd.Series:
    """Names looked up once per country, not once per row (a million rows, a few dozen codes)."""
    return codes.map({code: country_name(code) for code in codes.unique()})


def filtered_seizures(store: Store, filters: Filters) -> pd.DataFrame:
    """The seizure events in the selection, one row each, oldest first."""
    where, params = metrics.seizure_where(filters)
    frame = store.query(
        "SELECT s.seizure_id, s.date, s.country_iso3, s.location, s.latitude, s.longitude, "
        "s.drug, s.quantity_kg, s.conveyance, s.origin_iso3, "
        "array_to_string(s.transit_iso3, ';') AS transit_iso3, s.destination_iso3, s.agency, "
        f"s.arrests, s.source FROM {metrics.SEIZURES_FROM} WHERE {where} "
        "ORDER BY s.date, s.seizure_id",
        params,
    )
    frame.insert(3, "country", _country_names(frame["country_iso3"]))
    return frame


def filtered_cases(store: Store, filters: Filters, threshold: int) -> pd.DataFrame:
    """Cases in the selection. Under the small-cell rule, counts per country and year opened
    (a row per case would single people out); without it (threshold 0), one row per case."""
    where, params = metrics.case_where(filters)
    if threshold <= 1:
        return store.query(
            "SELECT k.case_id, k.country_iso3, k.seizure_id, k.opened_date, k.charged_date, "
            "k.verdict_date, k.defendants, k.stage, k.outcome, k.convicted_persons, "
            "k.sentence_months, k.cooperation, k.source "
            f"FROM {metrics.cases_from(filters)} WHERE {where} ORDER BY k.opened_date, k.case_id",
            params,
        )
    frame = store.query(
        "SELECT k.country_iso3, CAST(extract(year FROM k.opened_date) AS INTEGER) AS year_opened, "
        "count(*) AS opened, count(k.charged_date) AS charged, count(k.verdict_date) AS verdict, "
        "count(*) FILTER (WHERE k.outcome = 'convicted') AS convicted, "
        "count(*) FILTER (WHERE k.outcome = 'acquitted') AS acquitted, "
        "count(*) FILTER (WHERE k.outcome = 'dismissed') AS dismissed, "
        "count(*) FILTER (WHERE k.outcome = 'pending') AS pending "
        f"FROM {metrics.cases_from(filters)} WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    frame.insert(1, "country", _country_names(frame["country_iso3"]))
    return mask_case_table(frame, threshold)
