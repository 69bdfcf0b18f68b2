"""What a donor snapshot holds, gathered once and rendered to HTML, PDF, CSV or XLSX.

The charts come from the same builders as the pages (crimjust_data.figures), so a snapshot
draws exactly what the dashboard shows for the same filters. Case counts go through the
small-cell rule (crimjust_data.disclosure) before anything is drawn or tabulated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crimjust_data import i18n, metrics, table_numbers, view_state
from crimjust_data.activities import BeforeAfter, Indicator, Measure
from crimjust_data.countries import REGIONS, country_name, region_label
from crimjust_data.disclosure import (
    DEFAULT_THRESHOLD,
    NONE_WITHHELD,
    RATES,
    WITHHELD,
    Withheld,
    count_text,
    is_small,
    rate_withheld,
    rule_text,
)
from crimjust_data.errors import CrimjustError
from crimjust_data.figures import Chart
from crimjust_data.figures import activities as activity_charts
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.metric_registry import RATE_LABELS
from crimjust_data.metrics import Filters, Rate
from crimjust_data.queries import activities as activity_queries
from crimjust_data.queries import flows, justice
from crimjust_data.snapshot.suppression import CASE_COLUMNS, count_sets, counts_by_year, withheld
from crimjust_data.store import Store, Version
from crimjust_data.views import (
    DataSources,
    Section,
    SectionTable,
    Tile,
    data_sources,
    stored_text,
    table_label,
)
from crimjust_data.views import flows as flow_views
from crimjust_data.views import justice as justice_views
from crimjust_data.views import timelines as timeline_views
from crimjust_data.views.parts import UNREAD
from crimjust_data.views.tiles import headline_tiles

TITLE = N_("CRIMJUST interdiction snapshot")
PRODUCER = N_("CRIMJUST interdiction dashboard")
LANGUAGES = i18n.LANGUAGES
TRANSLATED = tuple(
    lang for lang in LANGUAGES if lang == i18n.DEFAULT or i18n.catalog_path(lang).exists()
)


def _draw(lang: str, builder: Callable[..., Any], numbers: Any) -> Any:
    with i18n.using(lang):
        return builder(numbers)


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
    # page fetches them with `with_data` when a CSV or XLSX file is made, not at every rerun.
    seizures: pd.DataFrame | None
    cases: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)
    title: str = TITLE
    withheld: Withheld = NONE_WITHHELD  # which case counts the small-cell rule withholds

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
            *(
                [(_("Withheld to protect other counts"), self.further_text)]
                if self.threshold > 1
                else []
            ),
            (_("Language"), self.language_name),
            *(section.scope for section in self.sections if section.scope),
        ]

    @property
    def further_text(self) -> str:
        """How many counts secondary suppression withheld, and why."""
        return ngettext(
            "{n} further case count withheld so that no count shown as '<{threshold}' or "
            "withheld can be worked out from the totals, the other tables and the rates.",
            "{n} further case counts withheld so that no count shown as '<{threshold}' or "
            "withheld can be worked out from the totals, the other tables and the rates.",
            self.withheld.further,
        ).format(n=i18n.integer(self.withheld.further), threshold=self.threshold)

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
        return [
            "seizures",
            "cases",
            "rates",
            *(
                key
                for section in self.sections
                for key in (section.key, *(table.key for table in section.tables))
            ),
        ]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The filtered data and each chart's numbers, by file stem: what CSV and XLSX hold."""
        if self.seizures is None or self.cases is None:
            raise ValueError("this snapshot was built without its rows: use with_data first")
        charts = {section.key: section.chart.data for section in self.sections}
        charts |= {table.key: table.frame for section in self.sections for table in section.tables}
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
    activity: tuple[str, int] | None = None,
) -> Snapshot:
    """Query the store and build every section of the snapshot for `filters`, in `lang`.

    Without `rows`, only what the export page shows at once is read: the filtered seizures and
    cases and the charts' numbers are left out (see `with_data`). `state`, when given, is
    `store_state(store)` read earlier. `activity` (id, months) adds the before/after section
    of that program activity (see `activity_section`).
    """
    filters = filters or Filters()
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if threshold < 0:
        raise ValueError(f"the small-cell threshold must be 0 or more, not {threshold}")
    written_in = lang if lang in TRANSLATED else i18n.DEFAULT
    # first: an unknown activity fails before the slow part
    extra = [] if activity is None else [activity_section(store, *activity, lang, threshold)]
    with i18n.using(written_in):
        report = _build(
            store, filters, lang, written_in, threshold, now, state or store_state(store)
        )
    report = dataclasses.replace(report, sections=[*report.sections, *extra])
    return with_data(report, store, rows=True) if rows else report


def with_section(snapshot: Snapshot, section: Section) -> Snapshot:
    """The snapshot with `section` added at the end of its charts (the export page's activity
    section, cached apart from the rest)."""
    return dataclasses.replace(snapshot, sections=[*snapshot.sections, section])


ROW_FORMATS = ("csv", "xlsx")  # the formats that hold the filtered rows


def with_data(snapshot: Snapshot, store: Store, *, rows: bool = True) -> Snapshot:
    """The snapshot with its charts' numbers read and, with `rows`, its filtered seizures and
    cases: as `build` with rows makes it."""
    with i18n.using(snapshot.lang):  # not the page's: the rows and charts name countries
        sections = [
            dataclasses.replace(
                section,
                read=None,
                numbers=section.read(store, *section.args),
                build=functools.partial(_draw, snapshot.lang, section.build),
            )
            if section.read is not None and section.numbers is UNREAD
            else section
            for section in snapshot.sections
        ]
        if not rows:
            return dataclasses.replace(snapshot, sections=sections)
        return dataclasses.replace(
            snapshot,
            sections=sections,
            seizures=filtered_seizures(store, snapshot.filters)
            if snapshot.seizures is None
            else snapshot.seizures,
            cases=case_rows(store, snapshot.filters) if snapshot.cases is None else snapshot.cases,
        )


def _build(
    store: Store,
    filters: Filters,
    lang: str,
    written_in: str,
    threshold: int,
    now: dt.datetime | None,
    state: StoreState,
) -> Snapshot:
    freshness, choices = state.freshness, state.choices
    seizure_source = data_sources(freshness, ("seizures",)).label
    case_source = data_sources(freshness, ("cases",)).label
    # every case count of the snapshot (tiles, funnel, both rate tables, the cases table under
    # the small-cell rule): one read
    end = metrics.data_end(store)
    by_year = counts_by_year(store, filters, end)
    cases = count_sets(by_year, SNAPSHOT_SETS)
    headline = metrics.headline(store, filters, cases["all"], end)
    drawn = cases["region"].loc[cases["region"]["opened"] >= max(1, threshold), "region"]
    hidden = withheld(by_year, cases, headline, drawn, filters, threshold)
    notes: list[str] = []
    if lang != written_in:
        notes.append(
            _(
                "{language} was asked for; this snapshot is in English until the translations are available."
            ).format(language=LANGUAGES[lang])
        )
    sections = _seizure_sections(store, filters, seizure_source, notes)
    funnel = _funnel_section(filters, cases["region"], case_source, hidden, notes)
    if funnel:
        sections.append(funnel)
    if hidden.further:
        notes.append(
            ngettext(
                "{n} further case count is withheld (shown as 'withheld') so that no small "
                "count can be worked out by subtraction from totals, other years or rates.",
                "{n} further case counts are withheld (shown as 'withheld') so that no small "
                "count can be worked out by subtraction from totals, other years or rates.",
                hidden.further,
            ).format(n=i18n.integer(hidden.further))
        )
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
        tiles=list(headline_tiles(headline, hidden)),
        sections=sections,
        rates=rates_table(cases["region"], cases["country"], hidden),
        seizures=None,
        cases=None if threshold <= 1 else cases_table(by_year, hidden),
        notes=notes,
        withheld=hidden,
    )


def _seizure_sections(
    store: Store, filters: Filters, source: str, notes: list[str]
) -> list[Section]:
    # The one read that says which charts there are: the charts' own numbers wait (Section.read, read by `with_data`).
    coverage = flows.flow_coverage(store, filters)
    if not int(coverage["seizures"].iloc[0]):
        notes.append(
            _("No seizure events in the selection: the maps and the timeline are left out.")
        )
        return []
    sections = [flow_views.seizure_map(filters, source, clickable=False)]
    if not int(coverage["seizures_with_route"].iloc[0]):
        notes.append(_("No seizure in the selection reports both an origin and a destination."))
    else:
        sections.append(flow_views.flow_lines(filters, source, coverage))
        sections.append(flow_views.region_sankey(filters, source))
    # a seizure event in the selection is a quarter of the timeline above zero: never empty
    sections.append(
        timeline_views.timeline_section(
            "quarter",
            "region",
            "kg",
            source,
            args=(filters, "quarter", "region"),
            heading=_("Seizures over time"),
            caption=timeline_views.timeline_caption("quarter", "region"),
        )
    )
    return sections


FUNNEL_COUNTS = ["region", *(stage for stage, _label in justice.FUNNEL_STAGES)]


def _funnel_section(
    filters: Filters, counts: pd.DataFrame, source: str, hidden: Withheld, notes: list[str]
) -> Section | None:
    """The funnel of `counts` (count_sets by region: a row per region with cases)."""
    if counts.empty:
        notes.append(_("No cases in the selection: the justice funnel is left out."))
        return None
    threshold = hidden.threshold
    too_few = counts["opened"] < threshold
    if too_few.any():
        regions = sorted({region_label(r) for r in counts.loc[too_few, "region"]})
        notes.append(
            _("Left out of the funnel, fewer than {threshold} cases opened: {regions}.").format(
                threshold=threshold, regions=", ".join(regions)
            )
        )
    protecting = counts["region"].isin(hidden.funnel_left_out)
    if protecting.any():
        regions = sorted({region_label(r) for r in counts.loc[protecting, "region"]})
        notes.append(
            _(
                "Left out of the funnel, so that the counts withheld elsewhere cannot be worked "
                "out from it: {regions}."
            ).format(regions=", ".join(regions))
        )
    if (too_few | protecting).all():
        return None
    kept = counts.loc[~(too_few | protecting), FUNNEL_COUNTS].reset_index(drop=True)
    return justice_views.funnel_section(
        source, read=justice.attrition_funnel, args=(filters, kept), suppress_below=threshold
    )


def _rate_keys(prefix: tuple[str, ...], name: str) -> tuple[Hashable, Hashable]:
    """The keys (in Withheld) of a rate's numerator and n."""
    numerator, n = RATES[name]
    return (*prefix, numerator), (*prefix, n)


# The rates table's columns per rate: the rate, its Wilson 95% interval and n. Rates and bounds
# are fractions (0.75), shown as percents, kept as numbers in CSV and XLSX.
RATE_TABLE_COLUMNS = {
    "prosecution": (
        RATE_LABELS["prosecution"],
        N_("Prosecution 95% CI low"),
        N_("Prosecution 95% CI high"),
        N_("Prosecution n"),
    ),
    "conviction": (
        RATE_LABELS["conviction"],
        N_("Conviction 95% CI low"),
        N_("Conviction 95% CI high"),
        N_("Conviction n"),
    ),
}
RATE_DIGITS = 3  # a rate as a fraction to 3 decimals: 75.0%, what the table has always shown


def _rate_cells(
    successes: int, n: int, keys: tuple[Hashable, Hashable], hidden: Withheld
) -> tuple[float | str | None, float | None, float | None, int | str]:
    """(rate, 95% CI low, high, n) as the rates table holds them (`keys`: the numerator's and
    n's): fractions, None when nothing was counted, 'withheld' and '<5' under the rule."""
    if n == 0:
        return None, None, None, 0
    if keys[0] in hidden or keys[1] in hidden:
        return _(WITHHELD), None, None, hidden.cell(keys[1], n)
    low, high = Rate(successes, n).interval
    return (
        round(successes / n, RATE_DIGITS),
        round(low, RATE_DIGITS),
        round(high, RATE_DIGITS),
        n,
    )


def rates_table(
    by_region: pd.DataFrame, by_country: pd.DataFrame, hidden: Withheld
) -> pd.DataFrame:
    """Regions (REGIONS order), then countries (by region, then name): cases opened, prosecution
    and conviction rates with Wilson 95% intervals and n, after the small-cell rule (`hidden`).
    Numbers stay numbers (rates as fractions); withheld cells hold their words.

    `by_region`, `by_country`: count_sets' frames by region and by country and region, in any
    order.
    """
    rank = {region: i for i, region in enumerate(REGIONS)}
    regions = sorted(
        (r for r in by_region.to_dict("records") if r["region"] in rank),
        key=lambda r: rank[r["region"]],
    )
    countries = sorted(
        by_country.to_dict("records"),
        key=lambda r: (rank.get(r["region"], len(rank)), country_name(r["country_iso3"])),
    )
    rows: list[dict[str, Any]] = []
    for level, records in ((_("Region"), regions), (_("Country"), countries)):
        for record in records:
            if int(record["opened"]) == 0:
                continue
            region = region_label(record["region"])
            if records is regions:
                place, prefix = region, ("region", record["region"])
            else:
                iso3 = record["country_iso3"]
                place, prefix = f"{country_name(iso3)} ({iso3})", ("country", iso3)
            row = {
                _("Level"): level,
                _("Place"): place,
                _("Region"): region,
                _("Cases opened"): hidden.cell((*prefix, "opened"), int(record["opened"])),
            }
            for name, (num, den) in RATES.items():
                keys = _rate_keys(prefix, name)
                cells = _rate_cells(int(record[num]), int(record[den]), keys, hidden)
                columns = RATE_TABLE_COLUMNS[name]
                row.update({_(column): cell for column, cell in zip(columns, cells, strict=True)})
            rows.append(row)
    shares = [_(column) for columns in RATE_TABLE_COLUMNS.values() for column in columns[:3]]
    frame = pd.DataFrame(rows)
    return table_numbers.declare(frame, share=[c for c in shares if c in frame.columns])


def cases_table(by_year: pd.DataFrame, hidden: Withheld) -> pd.DataFrame:
    """The cases under the small-cell rule: counts per country and year opened (a row per case
    would single people out), each shown, '<5' or 'withheld' as `hidden` says."""
    frame = by_year[["country_iso3", "year_opened", *CASE_COLUMNS]].copy()
    frame.insert(1, "country", _country_names(frame["country_iso3"]))
    frame = frame.astype(dict.fromkeys(CASE_COLUMNS, "object"))
    places, years = frame["country_iso3"].tolist(), frame["year_opened"].tolist()
    for column in CASE_COLUMNS:
        frame[column] = [
            hidden.cell(("cell", place, year, column), value)
            for place, year, value in zip(places, years, frame[column].tolist(), strict=True)
        ]
    return frame


def versions_table(records: list[Version]) -> pd.DataFrame:
    """The dataset versions behind the numbers, with their checksums, as people read them."""
    return pd.DataFrame(
        {
            _("Table"): [table_label(v.table_name) for v in records],
            _("Version"): [v.version_id for v in records],
            _("File"): [stored_text(v.file_name) for v in records],
            _("Rows"): [v.rows for v in records],
            _("Loaded (UTC)"): [
                pd.Timestamp(v.loaded_at).strftime("%Y-%m-%d %H:%M") for v in records
            ],
            _("Source"): [stored_text(v.source) for v in records],
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


def case_rows(store: Store, filters: Filters) -> pd.DataFrame:
    """Cases in the selection, one row per case (without the small-cell rule: a snapshot
    under it has `cases_table` instead)."""
    where, params = metrics.case_where(filters)
    return store.query(
        "SELECT k.case_id, k.country_iso3, k.seizure_id, k.opened_date, k.charged_date, "
        "k.verdict_date, k.defendants, k.stage, k.outcome, k.convicted_persons, "
        "k.sentence_months, k.cooperation, k.source "
        f"FROM {metrics.cases_from(filters)} WHERE {where} ORDER BY k.opened_date, k.case_id",
        params,
    )


# ---------------------------------------------------------------------------------------------
# One program activity before and after: the Activities and results page as a section

ACTIVITY_KEY = "activity_before_after"
# IndicatorChange's measures, in the order of the chart's numbers (group, then window)
MEASURES = ("before", "after", "comparison_before", "comparison_after")


def _unknown_activity(store: Store, activity_id: str) -> CrimjustError:
    ids = list(activity_queries.activity_list(store)["activity_id"])
    if not ids:
        return CrimjustError(
            _("There are no program activities in the data: import a table of them first.")
        )
    shown = difflib.get_close_matches(activity_id, ids, n=5) or ids[-5:]  # else the latest
    return CrimjustError(
        _(
            "No activity has the id '{activity}'. Known ids include {ids} ({count} in all: the "
            "Activities and results page lists them)."
        ).format(activity=activity_id, ids=", ".join(shown), count=i18n.integer(len(ids)))
    )


def _counts_cases(indicator: Indicator) -> bool:
    """Whether the indicator's n counts cases or verdicts (the others count months)."""
    return indicator.table == "cases" and indicator.kind != "per_month"


def _withheld(indicator: Indicator, measure: Measure, countries: int, threshold: int) -> bool:
    """Whether the small-cell rule hides this value: a rate over few cases, a median of few
    verdicts, or a mean of cases per country and month that multiplies back to a small count."""
    if indicator.table != "cases" or measure.value is None:
        return False
    if indicator.kind == "rate":
        return rate_withheld(int(measure.units.sum()), measure.n, threshold)
    if indicator.kind == "days":
        return is_small(measure.n, threshold)
    return is_small(round(measure.value * measure.n * max(1, countries)), threshold)


def _suppressed(result: BeforeAfter, threshold: int) -> tuple[BeforeAfter, set[tuple[str, str]]]:
    """The result with withheld values taken out (and the p-value of an indicator whose own
    values are withheld: a test of them says something of them), and which (indicator, measure)
    were withheld."""
    hidden: set[tuple[str, str]] = set()
    changes = []
    for change in result.changes:
        replaced: dict[str, Any] = {}
        for name in MEASURES:
            groups = result.comparison if name.startswith("comparison") else result.countries
            measure = getattr(change, name)
            if _withheld(change.indicator, measure, len(groups), threshold):
                replaced[name] = dataclasses.replace(measure, value=None, interval=(None, None))
                hidden.add((change.indicator.key, name))
        if "before" in replaced or "after" in replaced:
            replaced["p_value"] = replaced["p_adjusted"] = None
        # a trend of withheld months would tell of them too
        for name, trend in (("before", "pre_trend"), ("comparison_before", "comparison_pre_trend")):
            if name in replaced:
                replaced[trend] = None
        changes.append(dataclasses.replace(change, **replaced))
    return dataclasses.replace(result, changes=changes), hidden


def _n_cell(indicator: Indicator, measure: Measure, threshold: int) -> int | str:
    """The n of a measure in the chart's numbers: a number, or '<5' for a small count of cases."""
    if _counts_cases(indicator) and is_small(measure.n, threshold):
        return f"<{threshold}"
    return int(measure.n)


def _n_text(indicator: Indicator, measure: Measure, threshold: int) -> str:
    if _counts_cases(indicator):
        return count_text(measure.n, threshold)
    return i18n.integer(measure.n)


def _activity_chart(
    result: BeforeAfter, hidden: set[tuple[str, str]], source: str, threshold: int
) -> Chart:
    """The page's chart of `result` (already suppressed), its numbers under the rule too."""
    chart = activity_charts.before_after_chart(result, source)
    rows = [(change, name) for change in result.changes for name in MEASURES]
    data = chart.data.copy()
    if len(data) != len(rows):  # the table's layout is the chart builder's: fail, never mislabel
        raise ValueError("before_after_chart's numbers are not one row per indicator and measure")
    data[_("n")] = [_n_cell(c.indicator, getattr(c, name), threshold) for c, name in rows]
    value = _("value")
    data[value] = data[value].astype(object)
    for position, (change, name) in enumerate(rows):
        if (change.indicator.key, name) in hidden:
            data.at[data.index[position], value] = _(WITHHELD)
    return Chart(chart.figure, data, chart.summary)


def _change_table(
    result: BeforeAfter, hidden: set[tuple[str, str]], threshold: int
) -> pd.DataFrame:
    """The page's change table of `result` (already suppressed), with 'withheld' and '<N'."""
    table = activity_charts.change_table(result)
    for position, change in enumerate(result.changes):
        row = table.index[position]
        for name in ("before", "after"):
            if (change.indicator.key, name) in hidden:
                table.at[row, _(name)] = _(WITHHELD)
        table.at[row, _("n before / after")] = " / ".join(
            _n_text(change.indicator, measure, threshold)
            for measure in (change.before, change.after)
        )
    return table


def _activity_notes(result: BeforeAfter) -> tuple[str, ...]:
    """The page's cautions: association, shorter windows, no comparison group, overlaps."""
    notes = [_(activity_charts.ASSOCIATION), *activity_charts.window_notes(result)]
    notes += [
        note
        for note in (activity_charts.comparison_note(result), activity_charts.overlap_note(result))
        if note
    ]
    return tuple(notes)


def activity_section(
    store: Store,
    activity_id: str,
    months: int = activity_queries.DEFAULT_WINDOW_MONTHS,
    lang: str = "en",
    threshold: int = DEFAULT_THRESHOLD,
) -> Section:
    """One program activity's indicators before and after it, as the Activities and results
    page shows them (chart, change table, cautions, overlapping activities, method), in `lang`
    and under the small-cell rule. CrimjustError for an id that is not an active activity."""
    if months < 1:
        raise ValueError(f"the window must be 1 month or more, not {months}")
    with i18n.using(lang if lang in TRANSLATED else i18n.DEFAULT):
        result = activity_queries.before_after(store, activity_id, months)
        if result is None:
            raise _unknown_activity(store, activity_id)
        masked, hidden = _suppressed(result, threshold)
        source = data_sources(metrics.data_freshness(store), ("seizures", "cases")).label
        # the id, then the facts that name it (not its notes and source)
        facts = " · ".join([activity_id, *activity_charts.activity_facts(result)[:6]])
        scope = _(
            "{facts}. {months} months before and after it. The report's filters do not apply "
            "to this section: it counts every seizure and case of these countries and of the "
            "comparison group."
        ).format(facts=facts, months=months)
        tables = [
            SectionTable(
                "activity_changes",
                _("Change in each indicator"),
                _change_table(masked, hidden, threshold),
            ),
            SectionTable(
                "activity_pretrends",
                _("Trends before the activity"),
                activity_charts.pretrend_table(masked),
            ),
        ]
        if not result.overlapping.empty:
            tables.append(
                SectionTable(
                    "activity_overlapping",
                    _("Other activities inside the windows"),
                    activity_charts.overlapping_table(result),
                )
            )
        return Section(
            ACTIVITY_KEY,
            _("Activity before and after: {title}").format(
                title=stored_text(result.activity["title"])
            ),
            numbers=_activity_chart(masked, hidden, source, threshold),
            caption=activity_charts.method_note(result),
            scope=(_("Activity"), scope),
            notes=_activity_notes(result),
            tables=tuple(tables),
        )
