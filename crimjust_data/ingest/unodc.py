"""Importer for dataUNODC 'Drug seizures' exports, into the annual_seizures table.

The export lists kilograms seized by country, year and drug for every drug; we keep the
cocaine forms (docs/ARCHITECTURE.md, data flow):

- rows of the 'Cocaine-type' drug group (any group whose name mentions coca), or, in a file
  without a DrugGroup column, rows whose DrugName is a cocaine form;
- never coca leaf or coca bush: same group, not cocaine (left out, with a warning);
- DrugName, matched on stable stems (case, quotes and spacing do not matter):
  hydrochloride / cocaine salts -> cocaine_hcl; crack -> crack; paste, base and other smokable
  forms (basuco, paco, ...) -> cocaine_base; non-specified, other and miscellaneous
  coca/cocaine-type -> cocaine_unspecified (a warning says how much 'other' was counted so);
  'Cocaine (total of the above ...)' (or a bare 'Cocaine') is the country-year total;
  an unrecognised name inside the cocaine group is reported and not counted;
- rows repeating a country-year-drug are added together (the export splits some reports);
- per country-year the total and its sub-types overlap and are never added: if the total is
  larger than the sum of the sub-types, the difference is the unspecified part and goes to
  cocaine_unspecified; otherwise the total is ignored (it can be a stray near-zero entry).
  So the drugs of a country-year always sum to max(total, sum of sub-types);
- rows of 0 kg are kept as 0 ('reported, nothing seized'): a country-year that reported only
  zeros stays visible as zeros rather than disappearing;
- an empty quantity (or '..', '-') is skipped, counted in a warning; a negative or unreadable
  quantity or year stops the import (ValidationFailed, with row numbers);
- the country is the ISO3 code column (msCode / CountryCode), checked against the reference
  table; an unknown code falls back to the country name; still unknown -> warning, row skipped.
  The file's Region and SubRegion columns are never used (UNODC's regions are not ours).

Only a file with UNODC's own columns (DrugGroup, DrugSubGroup, msCode, KgEquivalent,
SpecificDrugName or 'Reference year', beside the drug name, year, kilograms and country) is read
here (`has_unodc_columns`, which layouts.detect_layout shares): an analyst's own 'Country, Drug,
Year, Kg' table goes to the general importer and is never labelled UNODC. A row split into more
cells than the header has (a decimal comma in a file re-saved with ',' as delimiter) refuses the
file, every such row named: its cells after the split are shifted, so its kilograms are unknown.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from babel.numbers import format_decimal

from crimjust_data import i18n
from crimjust_data.errors import InputFileError
from crimjust_data.i18n import _
from crimjust_data.ingest.aliases import key
from crimjust_data.ingest.readers import TableFile, excel_sheet_names, read_table_file
from crimjust_data.schemas import COLUMNS, DRUGS, RowError, ValidationFailed, validate_table

__all__ = [
    "UNODC_OWN_COLUMNS",
    "UnodcImport",
    "classify_drug_name",
    "has_unodc_columns",
    "looks_like_unodc_export",
    "read_unodc_export",
]

SOURCE_PREFIX = "UNODC, Drug seizures (dataUNODC), file "

# Canonical role -> header spellings seen in exports, compared with case, spaces and
# punctuation removed ('Reference year' -> 'referenceyear').
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "drug_name": ("drugname", "specificdrugname", "drug", "drugtype", "substance"),
    "drug_group": ("druggroup", "drugcategory"),
    "year": ("referenceyear", "year", "refyear", "reportingyear"),
    "kg": (
        "kilograms",
        "kgequivalent",
        "kilogramsequivalent",
        "kilogramequivalent",
        "kg",
        "kgs",
        "quantitykg",
        "quantityinkg",
        "quantitykilograms",
    ),
    "code": ("mscode", "countrycode", "iso3", "iso3code", "isocode", "countryiso3", "iso"),
    "country": ("country", "countryname", "countryterritory", "countryorterritory", "member"),
}
# Headers only UNODC's own exports carry (as _header_key writes them): a file needs one of them
# to be read as an export, so that an analyst's 'Country, Drug, Year, Kg' table is not.
UNODC_OWN_COLUMNS = frozenset(
    {"druggroup", "drugsubgroup", "mscode", "kgequivalent", "specificdrugname", "referenceyear"}
)
_EMPTY_QUANTITY = frozenset({"..", "...", "-", "–", "—", "n/a", "na", "nan", "none"})
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_KINDS_COUNTED = (*DRUGS, "total")
MAX_LISTED = 8  # examples listed in one warning


@dataclass(frozen=True)
class Record:
    """One counted row of the export, parsed."""

    iso3: str
    year: int
    kind: str  # a DRUGS value, 'other' or 'total'
    kg: float
    row: int  # spreadsheet row number
    name: str  # DrugName as written in the file


@dataclass
class UnodcImport:
    """The result of reading one export: canonical rows and what the user should know."""

    frame: pd.DataFrame  # annual_seizures columns, validated
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0  # non-empty data rows in the file (all drugs)
    cocaine_rows: int = 0  # rows that counted: cocaine forms and totals, coca leaf/bush excluded
    years: tuple[int, int] = (0, 0)  # first and last year in `frame`
    source: str = ""  # the text in the frame's source column
    sheet: str | None = None  # the sheet read (XLSX)


# ---------------------------------------------------------------------------------------------
# Recognising the export


def _header_key(name: object) -> str:
    return key(name)


def _map_columns(columns: Iterable[object]) -> dict[str, str]:
    """Role -> the column holding it (first alias match wins; later duplicates ignored)."""
    keys: dict[str, str] = {}
    for column in columns:
        keys.setdefault(_header_key(column), str(column))
    found: dict[str, str] = {}
    for role, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            if alias in keys:
                found[role] = keys[alias]
                break
    return found


def _is_export(columns: Iterable[object]) -> bool:
    columns = list(columns)
    roles = _map_columns(columns)
    has_roles = {"drug_name", "year", "kg"} <= roles.keys() and bool(
        {"code", "country"} & roles.keys()
    )
    return has_roles and any(_header_key(c) in UNODC_OWN_COLUMNS for c in columns)


def has_unodc_columns(columns: Iterable[object]) -> bool:
    """Are these the headers of a dataUNODC 'Drug seizures' export? The drug name, year,
    kilograms and a country (code or name) must be there, and at least one of UNODC's own
    columns (UNODC_OWN_COLUMNS: DrugGroup, msCode, KgEquivalent...): 'Country, Drug, Year, Kg'
    alone is any analyst's table. The one rule for this module and layouts.detect_layout."""
    return _is_export(columns)


def _not_export_message(name: str, columns: Iterable[object]) -> str:
    shown = [str(c) for c in columns]
    if not shown:
        return _(
            "{name}: not a dataUNODC drug seizures export: expected columns DrugName, year, "
            "kilograms and a country code, and one of UNODC's own columns (DrugGroup, "
            "DrugSubGroup, msCode, KgEquivalent, SpecificDrugName, Reference year); found: no "
            "columns"
        ).format(name=name)
    if len(shown) > 12:
        message = _(
            "{name}: not a dataUNODC drug seizures export: expected columns DrugName, year, "
            "kilograms and a country code, and one of UNODC's own columns (DrugGroup, "
            "DrugSubGroup, msCode, KgEquivalent, SpecificDrugName, Reference year); found: "
            "{columns} (and {more} more)"
        )
    else:
        message = _(
            "{name}: not a dataUNODC drug seizures export: expected columns DrugName, year, "
            "kilograms and a country code, and one of UNODC's own columns (DrugGroup, "
            "DrugSubGroup, msCode, KgEquivalent, SpecificDrugName, Reference year); found: "
            "{columns}"
        )
    return message.format(name=name, columns=", ".join(shown[:12]), more=len(shown) - 12)


def looks_like_unodc_export(frame_or_path: pd.DataFrame | Path | str) -> bool:
    """True if the headers are those of a dataUNODC 'Drug seizures' export (any known variant).

    A frame is judged by its columns; a path by the headers of its first rows (for a workbook,
    any sheet). An unreadable file is simply not an export.
    """
    if isinstance(frame_or_path, pd.DataFrame):
        return _is_export(frame_or_path.columns)
    try:
        return _find_export_sheet(Path(frame_or_path)) is not False
    except InputFileError:
        return False


def _find_export_sheet(path: Path) -> str | bool | None:
    """The sheet holding the export (None for a CSV), or False if no sheet looks like one."""
    sheets = excel_sheet_names(path)
    if not sheets:
        head = read_table_file(path, max_rows=30)
        return None if _is_export(head.frame.columns) else False
    ordered = sorted(sheets, key=lambda s: s.strip().lower() != "export")
    for sheet in ordered:
        try:
            head = read_table_file(path, sheet=sheet, max_rows=30)
        except InputFileError:
            continue
        if _is_export(head.frame.columns):
            return sheet
    return False


# ---------------------------------------------------------------------------------------------
# Drug names


def _name_key(name: str) -> str:
    """Lower case, quotes dropped, dashes and spaces normalised."""
    text = name.lower()
    text = re.sub(r"[\"'“”‘’«»`´]", "", text)
    text = re.sub(r"[‐‑‒–—−]", "-", text)
    return " ".join(text.split())


_BASE = r"paste|\bbase\b|freebase|smokable|smokeable|basuco|bazuco|\bpaco\b|merla"
# The forms a drug name may name, each once however many of its words it uses ('coca paste/
# refined cocaine base' names one form), and the marks of a list of several.
_FORMS = (
    ("crack", r"crack"),
    ("cocaine_base", _BASE),
    ("cocaine_hcl", r"hydrochlori|\bhcl\b|\bsalts?\b"),
)
_LISTED = re.compile(r"[,/&+]|\b(and|or)\b")


def classify_drug_name(name: object) -> str | None:
    """What a DrugName means for us: a DRUGS value, 'total', 'other' (other coca/cocaine-type,
    counted as cocaine_unspecified), 'coca_plant' (coca leaf or bush: not cocaine), or None."""
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return None
    text = _name_key(str(name))
    if "coca" not in text and "crack" not in text:  # 'coca' also matches 'cocaine'
        return None
    if text in {"cocaine", "cocaine-type", "coca/cocaine-type", "cocaine type", "coca-type"}:
        return "total" if text != "coca-type" else None
    if "total" in text:
        return "total"
    if re.search(r"coca (leaf|leaves|bush|plant|shrub)", text):
        return "coca_plant"
    forms = [form for form, pattern in _FORMS if re.search(pattern, text)]
    if len(forms) > 1 and _LISTED.search(text):
        # an umbrella label listing several forms ('Cocaine (base, paste and salts)',
        # 'Cocaine (salt and crack)'): a sum over forms, none of them in particular
        return "cocaine_unspecified"
    if "crack" in text:
        return "crack"
    if re.search(_BASE, text):
        return "cocaine_base"
    if re.search(r"hydrochlori|\bhcl\b|cocaine salt", text):
        return "cocaine_hcl"
    if re.search(r"non-?specified|unspecified|not specified|undistinguished", text):
        return "cocaine_unspecified"
    if re.search(r"\b(other|miscellaneous)\b", text):
        return "other"
    return None


def _in_cocaine_group(group: object) -> bool:
    return isinstance(group, str) and "coca" in _name_key(group)


# ---------------------------------------------------------------------------------------------
# Numbers


def _uses_decimal_comma(values: Iterable[str], delimiter: str | None) -> bool:
    """Does this file write decimals with a comma? Decided once per file from all quantities."""
    with_comma = [v for v in values if "," in v and "." not in v]
    if not with_comma or any("." in v and "," not in v for v in values):
        return False
    if delimiter == ";":
        return True
    return not all(_THOUSANDS.match(v) for v in with_comma)


def _parse_number(text: str, decimal_comma: bool) -> float | None:
    """A quantity as float, or None if it is not a number."""
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text)
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".") if decimal_comma else cleaned.replace(",", "")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_year(text: str) -> int | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _and_more(shown: str, total: int) -> str:
    """`shown` (the first MAX_LISTED of `total` items), then how many more there are."""
    if total <= MAX_LISTED:
        return shown
    return _("{items} and {more} more").format(items=shown, more=total - MAX_LISTED)


def _rows_text(rows: list[int]) -> str:
    return _and_more(", ".join(str(r) for r in rows[:MAX_LISTED]), len(rows))


def _short(name: str, limit: int = 40) -> str:
    """A drug name cut to `limit` characters for a warning."""
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _kg(value: float) -> str:
    """'14,059.25 kg': up to 6 decimals, no trailing zeros, in the language's number format."""
    return format_decimal(round(value, 6), format="#,##0.######", locale=i18n.current()) + " kg"


# ---------------------------------------------------------------------------------------------
# Reading


def _read_export(path: Path, sheet: str | None) -> TableFile:
    """The export's table, or InputFileError saying why this file is not one."""
    if sheet is None:
        found = _find_export_sheet(path)
        if found is False:
            sheets = excel_sheet_names(path)
            table = read_table_file(path, sheet=sheets[0] if sheets else None, max_rows=30)
            raise InputFileError(_not_export_message(path.name, table.frame.columns))
        sheet = found
    table = read_table_file(path, sheet=sheet)
    if not _is_export(table.frame.columns):
        raise InputFileError(_not_export_message(path.name, table.frame.columns))
    # A row the reader could not split as its header (more cells than columns: an unquoted
    # decimal comma in a ','-separated file) has its cells shifted: its kilograms may be any
    # of them. Refused, every such row named, before any number is read.
    refused = [note for note in table.notes if note.error]
    if refused:
        raise ValidationFailed(
            "annual_seizures",
            [RowError(note.row, note.column, note.value, note.message) for note in refused],
        )
    return table


def read_unodc_export(path: Path | str, sheet: str | None = None) -> UnodcImport:
    """Read a dataUNODC 'Drug seizures' export (XLSX or CSV, any known layout) into
    annual_seizures rows (cocaine only), validated against the canonical schema.

    Raises InputFileError if the file cannot be read or is not such an export (or has no
    cocaine rows), ValidationFailed (with row numbers) for negative or unreadable quantities,
    unreadable years, or years outside 1990 to this year.
    """
    from crimjust_data.countries import known_iso3, resolve_country

    path = Path(path)
    table = _read_export(path, sheet)
    frame = table.frame
    roles = _map_columns(frame.columns)
    source = f"{SOURCE_PREFIX}{path.name}"[:500]
    first = table.first_data_row
    warnings: list[str] = []
    errors: list[RowError] = []

    blank = frame.isna().all(axis=1)
    rows_read = int((~blank).sum())
    names = frame[roles["drug_name"]]
    meaning = {name: classify_drug_name(name) for name in names.dropna().unique()}
    kinds = names.map(meaning).astype(object)
    if "drug_group" in roles:
        in_group = frame[roles["drug_group"]].map(_in_cocaine_group).astype(bool)
        outside = ~in_group & kinds.isin([*_KINDS_COUNTED, "other"])
        if outside.any():
            rows = [first + int(i) for i in frame.index[outside.to_numpy()]]
            warnings.append(
                _(
                    "{n} rows name a cocaine form outside the cocaine drug group and were not "
                    "counted (rows {rows})"
                ).format(n=int(outside.sum()), rows=_rows_text(rows))
            )
    else:
        in_group = kinds.notna()
    in_scope = in_group & ~blank

    # Coca leaf and coca bush: never cocaine.
    plant = in_scope & (kinds == "coca_plant")
    # Unknown names inside the cocaine group.
    unknown = in_scope & kinds.isna()
    unknown_rows: dict[str, list[int]] = defaultdict(list)
    for position in frame.index[unknown.to_numpy()]:
        name = names.iat[position]
        unknown_rows[name if isinstance(name, str) else ""].append(first + int(position))
    for name, rows in unknown_rows.items():
        label = repr(name) if name else _("(empty)")
        warnings.append(
            _(
                "unknown cocaine-type drug name {name} on {n} row(s) ({rows}): not counted; "
                "check which cocaine form it is"
            ).format(name=label, n=len(rows), rows=_rows_text(rows))
        )

    counted = in_scope & kinds.isin([*_KINDS_COUNTED, "other"])
    kg_column, year_column = roles["kg"], roles["year"]
    raw_kg = frame[kg_column]
    present = counted & raw_kg.notna() & ~raw_kg.str.strip().str.lower().isin(_EMPTY_QUANTITY)
    empty = counted & ~present
    if empty.any():
        rows = [first + int(i) for i in frame.index[empty.to_numpy()]]
        warnings.append(
            _("{n} cocaine row(s) with no quantity skipped (rows {rows})").format(
                n=len(rows), rows=_rows_text(rows)
            )
        )
    decimal_comma = _uses_decimal_comma(raw_kg[present].tolist(), table.delimiter)

    valid_iso3 = frozenset(known_iso3())
    code_col, country_col = roles.get("code"), roles.get("country")
    this_year = dt.date.today().year
    resolved_by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    unresolved: dict[tuple[str, str], list[int]] = defaultdict(list)
    records: list[Record] = []
    for position in frame.index[present.to_numpy()]:
        row = first + int(position)
        kind = str(kinds.iat[position])
        kg_text = str(raw_kg.iat[position])
        kg = _parse_number(kg_text, decimal_comma)
        year_text = frame[year_column].iat[position]
        year = _parse_year(year_text) if isinstance(year_text, str) else None
        if kg is None:
            errors.append(RowError(row, kg_column, kg_text, _("not a number of kilograms")))
        elif kg < 0:
            errors.append(RowError(row, kg_column, kg_text, _("negative quantity: fix or remove")))
        if year is None:
            errors.append(
                RowError(row, year_column, year_text, _("not a year: write it as e.g. 2021"))
            )
        elif not 1990 <= year <= this_year:
            errors.append(
                RowError(row, year_column, year_text, _("year must be 1990 to this year"))
            )
        code = frame[code_col].iat[position] if code_col else None
        country = frame[country_col].iat[position] if country_col else None
        iso3 = code.strip().upper() if isinstance(code, str) else None
        if iso3 not in valid_iso3:
            by_name = resolve_country(country) if isinstance(country, str) else None
            if by_name and by_name in valid_iso3:
                if isinstance(code, str):  # an empty code falls back silently
                    resolved_by_name[(str(code), f"{country} -> {by_name}")].append(row)
                iso3 = by_name
            else:
                key = (
                    code if isinstance(code, str) else "",
                    country if isinstance(country, str) else "",
                )
                unresolved[key].append(row)
                continue
        if kg is None or kg < 0 or year is None or not 1990 <= year <= this_year:
            continue
        records.append(Record(iso3, year, kind, kg, row, str(names.iat[position])))
    if errors:
        raise ValidationFailed("annual_seizures", errors)
    for (code, country), rows in unresolved.items():
        if code and country:
            given = _("code {code}, country {country}")
        elif code:
            given = _("code {code}")
        elif country:
            given = _("country {country}")
        else:
            given = _("none given")
        warnings.append(
            _("country not recognised ({given}) on {n} row(s) ({rows}): skipped").format(
                given=given.format(code=repr(code), country=repr(country)),
                n=len(rows),
                rows=_rows_text(rows),
            )
        )
    for (code, match), rows in resolved_by_name.items():
        warnings.append(
            _(
                "country code {code} not recognised, matched by name ({match}) on rows {rows}"
            ).format(code=repr(code), match=match, rows=_rows_text(rows))
        )

    result_frame, notes = _combine(records)
    warnings = [*_summary_warnings(plant, records, raw_kg, decimal_comma), *notes, *warnings]
    if result_frame.empty:
        raise InputFileError(
            _(
                "{name}: no cocaine rows to import (the export holds {n} rows, none with a "
                "cocaine-type quantity for a known country)"
            ).format(name=path.name, n=rows_read)
        )
    result_frame["source"] = source
    # rows here are aggregates, not file rows: a failure would be a bug in this module
    validated = validate_table("annual_seizures", result_frame, valid_iso3).reset_index(drop=True)
    years = (int(validated["year"].min()), int(validated["year"].max()))
    return UnodcImport(
        frame=validated,
        warnings=warnings,
        rows_read=rows_read,
        cocaine_rows=len(records),
        years=years,
        source=source,
        sheet=table.sheet,
    )


def _summary_warnings(
    plant: pd.Series,
    records: list[Record],
    raw_kg: pd.Series,
    decimal_comma: bool,
) -> list[str]:
    """File-level notes: coca plant excluded, 'other' counted as unspecified, decimal commas."""
    notes: list[str] = []
    if plant.any():
        plant_kg = sum(
            _parse_number(str(v), decimal_comma) or 0.0 for v in raw_kg[plant].dropna().tolist()
        )
        notes.append(
            _("{n} coca leaf / coca bush row(s) ({kg}) left out: they are not cocaine").format(
                n=int(plant.sum()), kg=_kg(plant_kg)
            )
        )
    other = [r for r in records if r.kind == "other"]
    if other:
        notes.append(
            _(
                "{kg} of 'other coca/cocaine-type drugs' ({n} row(s)) counted as "
                "cocaine_unspecified: the export does not say which cocaine form they are"
            ).format(kg=_kg(sum(r.kg for r in other)), n=len(other))
        )
    if decimal_comma:
        notes.append(_("quantities read with ',' as the decimal mark"))
    return notes


def _combine(records: list[Record]) -> tuple[pd.DataFrame, list[str]]:
    """Sum repeated rows, then reconcile each country-year's total with its sub-types."""
    parts: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    totals: dict[tuple[str, int], float] = {}
    same_name: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for record in records:
        key = (record.iso3, record.year)
        same_name[(record.iso3, record.year, _name_key(record.name))].append(record.row)
        if record.kind == "total":
            totals[key] = totals.get(key, 0.0) + record.kg
            continue
        drug = "cocaine_unspecified" if record.kind == "other" else record.kind
        parts[key][drug] = parts[key].get(drug, 0.0) + record.kg

    notes: list[str] = []
    labels = {_name_key(r.name): _short(r.name) for r in records}
    repeated = [(k, rows) for k, rows in same_name.items() if len(rows) > 1]
    if repeated:
        examples = "; ".join(
            _("{iso3} {year} {name} (rows {rows})").format(
                iso3=iso3, year=year, name=repr(labels[name]), rows=_rows_text(rows)
            )
            for (iso3, year, name), rows in repeated[:MAX_LISTED]
        )
        notes.append(
            _(
                "{n} drug(s) reported on several rows for the same country and year were added "
                "together: {examples}"
            ).format(n=len(repeated), examples=_and_more(examples, len(repeated)))
        )

    larger: list[str] = []
    smaller: list[str] = []
    added = 0.0
    for key, total in totals.items():
        drugs = parts[key]
        subtotal = sum(drugs.values())
        if not drugs:
            drugs["cocaine_unspecified"] = total
        elif total > subtotal:
            drugs["cocaine_unspecified"] = drugs.get("cocaine_unspecified", 0.0) + total - subtotal
            added += total - subtotal
            larger.append(_total_and_parts(key, total, subtotal))
        elif total < subtotal:
            smaller.append(_total_and_parts(key, total, subtotal))
    if larger:
        notes.append(
            _(
                "{n} country-year(s) report a cocaine total larger than the sum of its forms; "
                "the difference ({kg} in all) was counted as cocaine_unspecified: {examples}"
            ).format(
                n=len(larger),
                kg=_kg(added),
                examples=_and_more("; ".join(larger[:MAX_LISTED]), len(larger)),
            )
        )
    if smaller:
        notes.append(
            _(
                "{n} country-year(s) report a cocaine total smaller than the sum of its forms; "
                "the total was ignored and the forms kept: {examples}"
            ).format(
                n=len(smaller), examples=_and_more("; ".join(smaller[:MAX_LISTED]), len(smaller))
            )
        )

    order = {drug: i for i, drug in enumerate(DRUGS)}
    rows = [
        (iso3, year, drug, round(kg, 6))
        for (iso3, year), drugs in sorted(parts.items())
        for drug, kg in sorted(drugs.items(), key=lambda item: order[item[0]])
    ]
    columns = [c for c in COLUMNS["annual_seizures"] if c != "source"]
    out = pd.DataFrame(rows, columns=columns)
    out["year"] = out["year"].astype("Int64")
    out["quantity_kg"] = out["quantity_kg"].astype("float64")
    return out, notes


def _total_and_parts(key: tuple[str, int], total: float, subtotal: float) -> str:
    """'COL 2020 (total 10 kg, sub-types 8 kg)': one country-year in a reconciliation note."""
    return _("{iso3} {year} (total {total}, sub-types {parts})").format(
        iso3=key[0], year=key[1], total=_kg(total), parts=_kg(subtotal)
    )
