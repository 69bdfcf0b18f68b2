"""Layouts of seizure files the importer recognises by their headers (issue 16).

Pure functions over a readers.TableFile (headers compared with aliases.key: case, accents,
spaces and punctuation do not matter):

- `detect_layout`: which known layout a file is in, or None (the general importer decides):
  - "dataunodc": a dataUNODC 'Drug seizures' export, read by ingest.unodc. Only a file with
    UNODC's own columns (DrugGroup, msCode, KgEquivalent...): the rule is
    unodc.has_unodc_columns, shared, so an analyst's 'Country, Drug, Year, Kg' is not one;
  - "individual_seizures": UNODC's Individual Drug Seizures layout (REGION; SUBREGION; COUNTRY;
    ... SEIZURE_DATE; DRUG_NAME; AMOUNT; DRUG_UNIT; ... ROUTING), one row per seizure event:
    recognised by SEIZURE_DATE, DRUG_NAME, AMOUNT and DRUG_UNIT and two more of its columns, in
    any order; `layout_mapping` says which of its headers is which seizures column;
  - "wdr_wide": a World Drug Report seizure table (a country column, a drug column, years as
    column headers); `wdr_to_long` turns it into one row per country, drug and year;
  - "monthly_aggregate": a national monthly aggregate (a month column and a count of events,
    usually a fiscal year, an office, a drug type and a summed quantity): not events, not
    calendar years, so it is refused with `monthly_aggregate_message`.

World Drug Report tables, as `wdr_to_long` reads them:
- a country cell left blank below a filled one (cells merged in the workbook) is that
  country's: filled down within its group, only from a filled cell above, and never across an
  empty row or a change in a label column left of it (a region, subregion); a value row with
  no country above it stays blank, so the normaliser refuses it (a country is never guessed).
  (What is filled down is the outer group, the left-most of the country and drug columns: in a
  table grouped by drug, the drug.) A name column is the country before a code column;
- a row whose country names a region or a total ('Americas', 'South America', 'Europe',
  'World', 'Total', 'Sub-total'...; a name that is a country, such as 'South Africa', is one),
  whose drug cell is only 'Total', or whose country cell is blank beside a label of its own
  naming a region (a subregion's subtotal) is left out: it adds up countries' rows, and loading
  it would count them twice. Each such row with a value gets a warning note (error=False), on
  the cell naming the region or total;
- a blank value cell or UNODC's marks for 'no figure' ('..', '...', '-', '–', '—') is no row
  (not a row of zero); every long row carries the file row of its value cell (row_numbers);
- the reader's notes are kept: a row split into more cells than the header (an error note)
  still refuses the file, and none of its figures is in the long table;
- without a unit column, a unit named in the title above the header ('Quantity seized (kg)',
  'in tons') becomes the unit of every value, with a warning note; a title naming several
  units is an error note (the unit is not certain); no unit anywhere: the quantity column is
  read as the normaliser reads a quantity without a unit (kg).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from crimjust_data import countries
from crimjust_data.i18n import N_, _
from crimjust_data.ingest.aliases import HEADER_ALIASES, UNIT_COLUMN, key
from crimjust_data.ingest.readers import Note, TableFile
from crimjust_data.ingest.unodc import has_unodc_columns

__all__ = [
    "IDS_MAPPING",
    "LAYOUTS",
    "WDR_LONG_COLUMNS",
    "detect_layout",
    "layout_mapping",
    "monthly_aggregate_message",
    "wdr_to_long",
]

LAYOUTS = ("dataunodc", "individual_seizures", "wdr_wide", "monthly_aggregate")

# ---------------------------------------------------------------------------------------------
# UNODC's Individual Drug Seizures: its header -> the seizures column it holds ('' = ignored:
# UNODC's regions are not ours; hiding place, installation and routing have no column).
IDS_MAPPING: dict[str, str] = {
    "REGION": "",
    "SUBREGION": "",
    "COUNTRY": "country_iso3",
    "ADMINISTRATIVE_DIVISION": "",  # the location when there is no PLACE column
    "PLACE": "location",
    "SEIZURE_DATE": "date",
    "DRUG_NAME": "drug",
    "AMOUNT": "quantity_kg",
    "DRUG_UNIT": UNIT_COLUMN,
    "HIDING_PLACE": "",
    "INSTALLATION": "",
    "TRANSPORT": "conveyance",
    "PRODUCING_COUNTRY": "origin_iso3",
    "DEPARTURE_COUNTRY": "transit_iso3",
    "DESTINATION_COUNTRY": "destination_iso3",
    "ROUTING": "",
}
_IDS_BY_KEY = {key(header): header for header in IDS_MAPPING}
# Always there in an extract of the layout; two more of its columns make it certain.
_IDS_CORE = frozenset(key(h) for h in ("SEIZURE_DATE", "DRUG_NAME", "AMOUNT", "DRUG_UNIT"))
_IDS_MORE = 2

# ---------------------------------------------------------------------------------------------
# World Drug Report wide tables

WDR_LONG_COLUMNS = ("country", "year", "drug", "quantity")  # then 'unit', 'source' if any
_YEAR_HEADER = re.compile(r"\d{4}")
FIRST_YEAR, LAST_YEAR = 1980, 2100
_NO_FIGURE = frozenset({"..", "...", "-", "–", "—"})


def _split(words: str) -> list[str]:
    return words.split()


def _alias_keys(canonical: str) -> set[str]:
    return {k for k, column in HEADER_ALIASES["annual_seizures"].items() if column == canonical}


# Header keys of each role, best first within a role (besides the general aliases: how
# UNODC's tables head them).
_COUNTRY_ALL = _alias_keys("country_iso3") | {
    "countryterritory",
    "countryorterritory",
    "countriesterritories",
    "countriesandterritories",
    "countryname",
    "regioncountry",
    "regionsubregioncountry",
    "territory",
}
# A name column before a code column: a subtotal row names its region in the name column.
_COUNTRY_KEYS = (
    {k for k in _COUNTRY_ALL if "cod" not in k and "iso" not in k},
    {k for k in _COUNTRY_ALL if "cod" in k or "iso" in k},
)
_DRUG_KEYS = (
    _alias_keys("drug") | {"drugname", "specificdrugname", "specificdrug", "drugs"},
    {"drugsubgroup"},
    {"druggroup"},
)
_UNIT_KEYS = _alias_keys(UNIT_COLUMN) | {
    "measurement",
    "measure",
    "unitofmeasurement",
    "measurementunit",
    "units",
}
_SOURCE_KEYS = _alias_keys("source")
# A drug cell that is only a total (no drug named).
_TOTAL_KEYS = frozenset({"total", "totals", "subtotal", "grandtotal", "alldrugs"})

# Region and total labels: every word a region word, one of them a continent (or the world);
# any label holding 'total'. A name that resolves to a country ('South Africa') is a country.
_CONTINENTS = frozenset(
    _split(
        "africa afrique america americas amerique ameriques asia asie europe europa oceania oceanie "
        "world mundo monde global caribbean caribe caraibes melanesia polynesia transcaucasia "
        "transcaucasian eurasia"
    )
)
_REGION_WORDS = _CONTINENTS | frozenset(
    _split(
        "north south east west central northern southern eastern western middle near far and the "
        "of sub saharan subsaharan southeast southwest northeast northwest latin other countries "
        "region regions subregion including excluding except norte sur sul centro oriental "
        "occidental septentrional meridional nord est ouest y e et del de la las los das do dos du "
        "des le les subsahariana subsaharienne subsariana"
    )
)

# Units a title may name for a whole table (words, accents and case folded).
_TITLE_UNITS = {
    **dict.fromkeys(
        _split(
            "kg kgs kilo kilos kilogram kilograms kilogramme kilogrammes kilogramo kilogramos "
            "quilograma quilogramas"
        ),
        "kg",
    ),
    **dict.fromkeys(
        _split("gram grams gramme grammes gramo gramos grama gramas"),
        "g",
    ),
    **dict.fromkeys(_split("ton tons tonne tonnes tonelada toneladas"), "t"),
    **dict.fromkeys(_split("lb lbs pound pounds libras"), "lb"),
    **dict.fromkeys(_split("litre litres liter liters litro litros"), "l"),
}


@dataclass(frozen=True)
class _WdrColumns:
    country: str
    drug: str
    years: tuple[tuple[str, str], ...]  # (header, year as text)
    unit: str | None
    source: str | None


def _headers(table_file: TableFile) -> list[str]:
    return [str(c) for c in table_file.frame.columns]


def _first(headers: list[str], keys: Iterable[str], taken: Iterable[str] = ()) -> str | None:
    keys, taken = set(keys), set(taken)
    return next((h for h in headers if key(h) in keys and h not in taken), None)


def _wdr_columns(headers: list[str]) -> _WdrColumns | None:
    """The columns of a World Drug Report wide table, or None if these headers are not one."""
    years = tuple(
        (h, h.strip())
        for h in headers
        if _YEAR_HEADER.fullmatch(h.strip()) and FIRST_YEAR <= int(h) <= LAST_YEAR
    )
    if len(years) < 2:
        return None
    country = next((found for keys in _COUNTRY_KEYS if (found := _first(headers, keys))), None)
    drug = next(
        (found for keys in _DRUG_KEYS if (found := _first(headers, keys, [country or ""]))),
        None,
    )
    if country is None or drug is None:
        return None
    taken = [country, drug]
    unit = _first(headers, _UNIT_KEYS, taken)
    source = _first(headers, _SOURCE_KEYS, [*taken, unit or ""])
    return _WdrColumns(country, drug, years, unit, source)


# ---------------------------------------------------------------------------------------------
# Monthly aggregates: roles of their columns, by the words of their headers


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", plain)


_COUNT_WORDS = frozenset(
    _split("count number no nb n num nro cantidad numero nombre quantidade qtd total")
)
_EVENTS = frozenset(
    _split(
        "events seizures incidents eventos incautaciones decomisos saisies evenements apreensoes "
        "ocorrencias"
    )
)
# singular: only beside 'count' ('Count of Event'), as 'seizure number' is an id
_EVENT = frozenset(_split("event seizure evento evenement"))
_LONE_EVENTS = frozenset(_split("events eventos evenements incidents ocorrencias"))
_MONTH_WORDS = frozenset({"month", "mes", "mois"})
_FISCAL_WORDS = frozenset({"fiscal", "fy", "exercice"})
_YEAR_WORDS = frozenset({"year", "ano", "anio", "annee", "yr"})
_DRUG_WORDS = frozenset(
    _split(
        "drug drugs droga drogas drogue drogues substance substances sustancia substancia "
        "entorpecente estupefaciente stupefiant"
    )
)
_QUANTITY_WORDS = frozenset(
    _split(
        "qty quantity amount weight kg kgs lb lbs pounds peso quantidade quantite poids grams "
        "gramos kilos sum"
    )
)
_OFFICE_WORDS = frozenset(
    _split(
        "office offices area responsibility aor region district sector component port station "
        "oficina bureau escritorio delegacia unidad unidade zona field"
    )
)


def _is_count_of_events(header: str) -> bool:
    words = set(_words(header))
    if key(header) in _LONE_EVENTS:
        return True
    counted = bool(words & _COUNT_WORDS)
    return (counted and bool(words & _EVENTS)) or ("count" in words and bool(words & _EVENT))


# (role label, the words of a header holding it; None: _is_count_of_events), in the order roles
# are given out: a header takes the first role it fits.
_AGGREGATE_ROLES: tuple[tuple[str, frozenset[str] | None], ...] = (
    (N_("count of events"), None),  # _is_count_of_events
    (N_("month"), _MONTH_WORDS),
    (N_("fiscal year"), _FISCAL_WORDS),
    (N_("year"), _YEAR_WORDS),
    (N_("drug"), _DRUG_WORDS),
    (N_("quantity"), _QUANTITY_WORDS),
    (N_("office or area"), _OFFICE_WORDS),
)


def _aggregate_roles(headers: list[str]) -> dict[str, list[str]]:
    """Role label (untranslated) -> the headers holding it."""
    roles: dict[str, list[str]] = {}
    for header in headers:
        words = set(_words(header))
        for label, vocabulary in _AGGREGATE_ROLES:
            fits = _is_count_of_events(header) if vocabulary is None else bool(words & vocabulary)
            if fits:
                roles.setdefault(label, []).append(header)
                break
    return roles


# ---------------------------------------------------------------------------------------------
# Detection


def detect_layout(table_file: TableFile) -> str | None:
    """The known layout of this file (one of LAYOUTS), or None: the general importer decides.

    Judged by the headers only: a table read with `max_rows` (its top) is enough.
    """
    headers = _headers(table_file)
    if has_unodc_columns(headers):
        return "dataunodc"
    keys = {key(h) for h in headers}
    if keys >= _IDS_CORE and len((keys & _IDS_BY_KEY.keys()) - _IDS_CORE) >= _IDS_MORE:
        return "individual_seizures"
    if _wdr_columns(headers) is not None:
        return "wdr_wide"
    roles = _aggregate_roles(headers)
    if "month" in roles and "count of events" in roles:
        return "monthly_aggregate"
    return None


def layout_mapping(table_file: TableFile) -> dict[str, str]:
    """For a file in the Individual Drug Seizures layout, its header (as read) -> the column of
    the seizures table it holds, or 'quantity_unit' (aliases.UNIT_COLUMN) for DRUG_UNIT, or ''
    for a header to ignore (see IDS_MAPPING). ADMINISTRATIVE_DIVISION is the location when the
    file has no PLACE column. Headers not of the layout are left out (the general aliases map
    them); {} for a file in another layout."""
    if detect_layout(table_file) != "individual_seizures":
        return {}
    headers = _headers(table_file)
    has_place = any(key(h) == key("PLACE") for h in headers)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        official = _IDS_BY_KEY.get(key(header))
        if official is None:
            continue
        target = IDS_MAPPING[official]
        if official == "ADMINISTRATIVE_DIVISION" and not has_place:
            target = "location"
        if target and target in taken:  # the same column twice: the first holds it
            target = ""
        taken.add(target)
        mapping[header] = target
    return mapping


# ---------------------------------------------------------------------------------------------
# World Drug Report: wide to long


def _is_region_or_total(label: str) -> bool:
    """Does this label name a region, the world or a total rather than a country?"""
    words = _words(label)
    if not words:
        return False
    if "total" in key(label):
        return True
    if countries.resolve_country(label) is not None:
        return False
    return set(words) <= _REGION_WORDS and bool(set(words) & _CONTINENTS)


def _title_unit(title: str | None) -> set[str]:
    """The units (as UNIT words the normaliser reads) a table's title names."""
    if not title:
        return set()
    return {_TITLE_UNITS[word] for word in _words(title) if word in _TITLE_UNITS}


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def wdr_to_long(table_file: TableFile) -> TableFile:
    """A World Drug Report wide table as long rows: headers 'country', 'year', 'drug',
    'quantity' (then 'unit' and 'source' when the table has them, or a unit its title names),
    one row per filled value cell, each with the file row of that cell in `row_numbers`.

    Country cells are filled down within their group, region and total rows left out (each
    with a warning note), cells without a figure dropped: see the module's docstring. The
    reader's notes are kept (a row split into more cells than the header still refuses the
    file). Raises ValueError for a table that is not in this layout (detect_layout first).
    """
    headers = _headers(table_file)
    columns = _wdr_columns(headers)
    if columns is None:
        raise ValueError(f"{table_file.file_name}: not a World Drug Report wide table")
    frame = table_file.frame
    notes: list[Note] = []
    unit_text: str | None = None
    if columns.unit is None:
        units = _title_unit(table_file.title)
        if len(units) == 1:
            unit_text = units.pop()
            notes.append(
                Note(
                    None,
                    None,
                    table_file.title,
                    _(
                        "the table has no unit column: its values were read as {unit}, the "
                        "unit its title names"
                    ).format(unit=unit_text),
                )
            )
        elif units:
            notes.append(
                Note(
                    None,
                    None,
                    table_file.title,
                    _(
                        "the table's title names several units ({units}) and the table has no "
                        "unit column: add a column 'Unit' saying the unit of each row"
                    ).format(units=", ".join(sorted(units))),
                    error=True,
                )
            )

    # the outer grouping column (merged cells): the left-most of country and drug; the other
    # label columns (region, subregion, code, notes...), those left of it the outer ones
    position = {h: i for i, h in enumerate(headers)}
    group = min(columns.country, columns.drug, key=position.__getitem__)
    value_headers = {h for h, __ in columns.years}
    special = {columns.country, columns.drug, columns.unit, columns.source, *value_headers}
    others = [h for h in headers if h not in special]
    outer = [h for h in others if position[h] < position[group]]

    text = {h: [_text(v) for v in frame[h].tolist()] for h in headers}
    long_columns = list(WDR_LONG_COLUMNS)
    if columns.unit is not None or unit_text is not None:
        long_columns.append("unit")
    if columns.source is not None:
        long_columns.append("source")
    records: list[list[str | None]] = []
    row_numbers: list[int] = []
    left_out = _(
        "a region or total row, not one country's figure for one drug: left out, so that no "
        "seizure is counted twice"
    )
    # rows the reader found split wrongly (more cells than the header...): the file is refused
    # by those notes, and none of their figures is ever handed on
    refused = {note.row for note in table_file.notes if note.error and note.row is not None}

    def region_among(labels: dict[str, str | None]) -> tuple[str, str] | None:
        """(column, label) of the first of these label cells naming a region or a total."""
        return next(
            ((h, v) for h, v in labels.items() if v is not None and _is_region_or_total(v)),
            None,
        )

    start: tuple[str, dict[str, str | None]] | None = None  # group value and its row's labels
    for i in range(len(frame)):
        cells = {h: text[h][i] for h in headers}
        if all(v is None for v in cells.values()):
            start = None  # an empty row ends a group
            continue
        labels = {h: cells[h] for h in others}
        own = cells[group]
        region: tuple[str, str] | None = None
        if own is not None:
            start = (own, labels)
            value: str | None = own
        elif start is not None and all(labels[h] in (None, start[1][h]) for h in outer):
            # in the group; a label of its own naming a region makes it a subtotal row
            region = region_among(
                {h: v for h, v in labels.items() if v is not None and v != start[1][h]}
            )
            value = None if region is not None else start[0]
        else:  # no filled cell above in this group: left blank (unless a region's subtotal)
            start, value = None, None
            region = region_among(labels)
        country = value if group == columns.country else cells[columns.country]
        drug = value if group == columns.drug else cells[columns.drug]
        filled = [(year, cells[h]) for h, year in columns.years]
        filled = [(year, v) for year, v in filled if v is not None and v not in _NO_FIGURE]
        if not filled:
            continue
        row = table_file.row_number(i)
        if row in refused:
            continue  # its cells may be shifted: no figure of it is returned (see the notes)
        if region is None and country is not None and _is_region_or_total(country):
            region = (columns.country, country)
        if region is None and drug is not None and key(drug) in _TOTAL_KEYS:
            region = (columns.drug, drug)
        if region is not None:
            notes.append(Note(row, region[0], region[1], left_out))
            continue
        for year, quantity in filled:
            record: list[str | None] = [country, year, drug, quantity]
            if columns.unit is not None:
                record.append(cells[columns.unit])
            elif unit_text is not None:
                record.append(unit_text)
            if columns.source is not None:
                record.append(cells[columns.source])
            records.append(record)
            row_numbers.append(row)
    if records:
        long = pd.DataFrame(records, columns=long_columns, dtype="str")
    else:
        long = pd.DataFrame({c: pd.Series([], dtype="str") for c in long_columns})
    return dataclasses.replace(
        table_file,
        frame=long,
        first_data_row=row_numbers[0] if row_numbers else table_file.first_data_row,
        notes=(*table_file.notes, *notes),
        row_numbers=tuple(row_numbers),
    )


# ---------------------------------------------------------------------------------------------
# Monthly aggregates: what they are, what would load them


def monthly_aggregate_message(table_file: TableFile) -> str:
    """Why a national monthly aggregate is not loaded, naming the columns found, and what
    would load it."""
    roles = _aggregate_roles(_headers(table_file))
    found = "; ".join(
        f"{_(label)} " + ", ".join(f"'{h}'" for h in roles[label])
        for label, __ in _AGGREGATE_ROLES
        if label in roles
    )
    if "fiscal year" in roles:
        message = _(
            "{name} is a monthly aggregate ({found}): the dashboard loads seizure events (one "
            "row per seizure, with a date) or calendar-year totals per country and drug; sum its "
            "quantities by calendar year, country and drug (mind that a fiscal year is not a "
            "calendar year: take each month's calendar year) and import that with --table annual"
        )
    else:
        message = _(
            "{name} is a monthly aggregate ({found}): the dashboard loads seizure events (one "
            "row per seizure, with a date) or calendar-year totals per country and drug; sum its "
            "quantities by calendar year, country and drug and import that with --table annual"
        )
    return message.format(name=table_file.file_name, found=found)
