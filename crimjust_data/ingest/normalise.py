"""From what analysts send to canonical rows: headers, numbers, units, dates, countries, drugs,
coded values and coordinates (issue 4, 'Reading what analysts actually have').

`normalise(read_table_file(path), "seizures")` maps the headers (aliases.py), converts every
cell it knows how to read, checks the file against itself (duplicate ids, points far from their
country, absurd quantities) and against the canonical schema (schemas.validate_table), and
returns the canonical frame with every error and warning located as the analyst sees it: row
number in their spreadsheet, their column header, the value, and what to do.
Errors block an import; warnings do not.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_date

from crimjust_data import countries, i18n
from crimjust_data.i18n import N_, _
from crimjust_data.ingest.aliases import (
    UNIT_COLUMN,
    HeaderMapping,
    key,
    map_headers,
    unit_factor,
    value_alias,
)
from crimjust_data.ingest.readers import TableFile
from crimjust_data.schemas import (
    COLUMNS,
    CONVEYANCES,
    COOPERATION,
    DATE_COLUMNS,
    DRUGS,
    OUTCOMES,
    STAGES,
    RowError,
    TableName,
    ValidationFailed,
    validate_table,
)
from crimjust_data.unodc import classify_drug_name

__all__ = [
    "MAX_KM_FROM_COUNTRY",
    "MAX_PLAUSIBLE_KG",
    "Normalised",
    "classify_drug",
    "km_from_country",
    "normalise",
]

# A point farther than this from its stated country is a warning, not an error: maritime
# seizures happen at sea, often tens of km off the coast.
MAX_KM_FROM_COUNTRY = 50.0
# One seizure event above this many kg is possible but rare enough to be checked (warning).
MAX_PLAUSIBLE_KG = 30_000.0

_NUMERIC: dict[TableName, tuple[str, ...]] = {
    "seizures": ("quantity_kg", "arrests"),
    "annual_seizures": ("year", "quantity_kg"),
    "cases": ("defendants", "convicted_persons", "sentence_months"),
}
_COUNTRY_COLUMNS = ("country_iso3", "origin_iso3", "destination_iso3")
_CODED: dict[str, tuple[str, ...]] = {
    "conveyance": CONVEYANCES,
    "outcome": OUTCOMES,
    "stage": STAGES,
    "cooperation": COOPERATION,
}
_ID_COLUMN: dict[TableName, str | None] = {
    "seizures": "seizure_id",
    "annual_seizures": None,
    "cases": "case_id",
}
# What to say about a value that is not one of a coded column's values (translated at use).
_NOT_CODED: dict[str, str] = {
    "conveyance": N_("not a known conveyance: use one of {values}"),
    "outcome": N_("not a known outcome: use one of {values}"),
    "stage": N_("not a known stage: use one of {values}"),
    "cooperation": N_("not a known cooperation: use one of {values}"),
}


@dataclass
class Normalised:
    """A file's rows in canonical form, and every problem found.

    `frame` has the canonical columns of the table (coerced by validate_table when there are no
    errors). `rows[i]` is the spreadsheet row of frame row i: blank rows and coca-leaf rows are
    left out of the frame, so when `rows` is not consecutive, `row_offset` (the file's first
    data row) only locates rows up to the first one left out.
    """

    frame: pd.DataFrame
    errors: list[RowError]
    warnings: list[RowError]
    row_offset: int
    mapping: HeaderMapping
    rows: list[int]

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------
# Numbers


def _decimal_comma(values: list[str], delimiter: str | None) -> bool:
    """Does this column write decimals with a comma? Decided from all its values."""
    comma = point = 0
    for value in values:
        t = re.sub(r"[\s\u00a0\u202f']", "", value)
        if "," in t and "." in t:
            comma, point = (comma + 1, point) if t.rfind(",") > t.rfind(".") else (comma, point + 1)
        elif t.count(",") > 1:
            point += 1
        elif t.count(".") > 1 or ("," in t and not re.fullmatch(r"[+-]?\d{1,3},\d{3}", t)):
            comma += 1  # '1.234.567' or '12,5'
        elif "." in t and not re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", t):
            point += 1
    if comma != point:
        return comma > point
    return delimiter == ";"


def _parse_number(text: str, decimal_comma: bool) -> float | None:
    t = re.sub(r"[\s\u00a0\u202f']", "", text)
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    th, de = re.escape(thousands), re.escape(decimal)
    pattern = rf"[+-]?((\d+|\d{{1,3}}({th}\d{{3}})+)({de}\d*)?|{de}\d+)([eE][+-]?\d+)?"
    if not re.fullmatch(pattern, t):
        return None
    value = float(t.replace(thousands, "").replace(decimal, "."))
    return value if math.isfinite(value) else None


def _not_a_number(decimal_comma: bool) -> str:
    return _("not a number: write a number such as {example}").format(
        example="1234,5" if decimal_comma else "1234.5"
    )


# ---------------------------------------------------------------------------------------------
# Dates

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _make_date(year: int, month: int, day: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(dt.date(year, month, day))
    except ValueError:
        return None


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= dt.date.today().year % 100 else 1900
    return year


def _date_column(
    values: list[tuple[int, str]], label: str
) -> tuple[dict[int, pd.Timestamp], list[RowError], list[RowError]]:
    """(row -> date, errors, warnings) for one date column; day/month order decided per column."""
    parsed: dict[int, pd.Timestamp] = {}
    errors: list[RowError] = []
    pairs: list[tuple[int, str, int, int, int]] = []  # row, text, a, b, year
    for row, text in values:
        if m := _ISO.fullmatch(text):
            date = _make_date(int(m[1]), int(m[2]), int(m[3]))
            if date is None:
                errors.append(
                    RowError(row, label, text, _("not a valid date: check day and month"))
                )
            else:
                parsed[row] = date
        elif m := _DMY.fullmatch(text):
            pairs.append((row, text, int(m[1]), int(m[2]), _full_year(m[3])))
        elif _SERIAL.fullmatch(text) and 10_000 <= float(text) <= 100_000:
            parsed[row] = _EXCEL_EPOCH + pd.Timedelta(days=int(float(text)))
        else:
            errors.append(
                RowError(
                    row, label, text, _("not a date: write it as YYYY-MM-DD (e.g. 2023-12-31)")
                )
            )
    day_only = [p for p in pairs if p[2] > 12 >= p[3]]
    month_only = [p for p in pairs if p[3] > 12 >= p[2]]
    day_first = len(day_only) >= len(month_only)
    wrong = month_only if day_first else day_only
    wrong_rows = {p[0] for p in wrong}
    for row, text, *_rest in wrong:
        if day_first:
            message = _(
                "this column mixes date orders; most dates are day-first (DD/MM/YYYY): "
                "write this one as YYYY-MM-DD"
            )
        else:
            message = _(
                "this column mixes date orders; most dates are month-first (MM/DD/YYYY): "
                "write this one as YYYY-MM-DD"
            )
        errors.append(RowError(row, label, text, message))
    ambiguous: list[tuple[int, str, int, int, int]] = []
    for row, text, a, b, year in pairs:
        if row in wrong_rows:
            continue
        day, month = (a, b) if day_first else (b, a)
        date = _make_date(year, month, day)
        if date is None:
            errors.append(RowError(row, label, text, _("not a valid date: check day and month")))
            continue
        parsed[row] = date
        if a <= 12 and b <= 12 and a != b:
            ambiguous.append((row, text, a, b, year))
    warnings: list[RowError] = []
    if ambiguous and not day_only and not month_only:
        row, text, a, b, year = ambiguous[0]
        read = parsed[row]
        warnings.append(
            RowError(
                row,
                label,
                text,
                _(
                    "{n} date(s) in this column could be day-first or month-first; they were "
                    "read day-first ({text} = {date}): if that is wrong, write the dates as "
                    "YYYY-MM-DD to make them unambiguous"
                ).format(
                    n=len(ambiguous),
                    text=text,
                    date=format_date(read, format="dd MMMM y", locale=i18n.current()),
                ),
            )
        )
    return parsed, errors, warnings


# ---------------------------------------------------------------------------------------------
# Countries, drugs, coded values


def _country_message(text: str) -> str:
    hints = [
        f"{countries.country_name(c)} ({c})" for c in countries.suggest_countries(text, limit=2)
    ]
    if len(hints) >= 2:
        return _(
            "unknown country: did you mean {country} or {other}? "
            "Write a country name or its ISO3 code"
        ).format(country=hints[0], other=hints[1])
    if hints:
        return _(
            "unknown country: did you mean {country}? Write a country name or its ISO3 code"
        ).format(country=hints[0])
    return _("unknown country: Write a country name or its ISO3 code")


_DRUG_WORDS = (
    (r"clorhidrato|chlorhydrate|cloridrato|hidrocloruro|hydrochlorure", "hydrochloride"),
    (r"\bhojas?\b|\bfeuilles?\b|\bfolhas?\b", "leaf"),
    (r"\barbustos?\b|\barbustes?\b|\bbuissons?\b|\bplantas?\b|\bplantes?\b", "bush"),
    (r"\bpasta\b|\bpate\b", "paste"),
    (r"\bcocaina\b", "cocaine"),
)
_BASE_NAMES = frozenset(
    key(n)
    for n in (
        "pasta base",
        "pasta basica",
        "pasta básica de cocaína",
        "pbc",
        "basuco",
        "bazuco",
        "paco",
        "merla",
        "base",
        "pâte",
        "pâte base",
        "cocaine base",
        "freebase",
    )
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def classify_drug(text: str) -> str | None:
    """A DRUGS value, 'coca_plant' (coca leaf or bush: not cocaine), or None (not a cocaine
    form) for a drug name in English, Spanish, French or Portuguese."""
    if text in DRUGS:
        return text
    if key(text) in _BASE_NAMES:
        return "cocaine_base"
    plain = _plain(text).replace("_", " ")
    if re.search(r"\bcoca\b", plain) and not re.search(r"cocain", plain):
        for pattern, english in _DRUG_WORDS[:3]:
            plain = re.sub(pattern, english, plain)
        if re.search(r"\b(leaf|leaves|bush|plant)\b", plain):
            return "coca_plant"
    for pattern, english in _DRUG_WORDS:
        plain = re.sub(pattern, english, plain)
    kind = classify_drug_name(plain)
    if kind in ("total", "other"):
        return "cocaine_unspecified"
    if kind in (*DRUGS, "coca_plant"):
        return kind
    return None


# ---------------------------------------------------------------------------------------------
# Coordinates

_HEMISPHERES = {"n": 1, "s": -1, "e": 1, "l": 1, "w": -1, "o": -1}


def _parse_coordinate(text: str, axis: str) -> float | str:
    """Decimal degrees, or a message saying what is wrong."""
    t = text.strip()
    hemisphere = None
    m = re.fullmatch(r"([NSEWOLnsewol])\s*(.*)|(.*?)\s*([NSEWOLnsewol])", t)
    if m:
        hemisphere = (m[1] or m[4]).lower()
        t = (m[2] if m[1] else m[3]).strip()
    if hemisphere is not None:
        allowed = "ns" if axis == "latitude" else "ewol"
        if hemisphere not in allowed:
            if axis == "latitude":
                message = _("{letter} is not a latitude hemisphere: check the column order")
            else:
                message = _("{letter} is not a longitude hemisphere: check the column order")
            return message.format(letter=hemisphere.upper())
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?|[+-]?[.,]\d+", t):  # no thousands in degrees
        value = float(t.replace(",", "."))
    else:
        sign = -1 if t.startswith("-") else 1
        parts = re.findall(r"\d+(?:[.,]\d+)?", t)
        rest = re.sub(r"\d+(?:[.,]\d+)?|[°º'′’\"″\s+-]|d|m|s", "", t.replace("''", '"'))
        if not parts or len(parts) > 3 or rest:
            return _("not a coordinate: write decimal degrees (e.g. -74.08) or 74°05'W")
        numbers = [float(p.replace(",", ".")) for p in parts] + [0.0, 0.0]
        if numbers[1] >= 60 or numbers[2] >= 60:
            return _("minutes and seconds must be below 60")
        value = sign * (numbers[0] + numbers[1] / 60 + numbers[2] / 3600)
    if hemisphere is not None:
        value = abs(value) * _HEMISPHERES[hemisphere]
    limit = 90 if axis == "latitude" else 180
    if not -limit <= value <= limit:
        if axis == "latitude":
            return _(
                "latitude must be between -90 and 90: "
                "check that latitude and longitude are not swapped"
            )
        return _(
            "longitude must be between -180 and 180: "
            "check that latitude and longitude are not swapped"
        )
    return value


@lru_cache(maxsize=1)
def _country_shapes() -> dict[str, Any]:
    import shapely

    layer = countries.geometry()
    return {
        iso3: shapely.union_all(group.geometry.to_numpy()) for iso3, group in layer.groupby("iso3")
    }


def km_from_country(latitude: float, longitude: float, iso3: str) -> float | None:
    """Distance in km from a point to a country's land (0 inside); None without a geometry."""
    import shapely

    shape = _country_shapes().get(iso3)
    if shape is None:
        return None
    point = shapely.Point(longitude, latitude)
    if shape.intersects(point):
        return 0.0
    scale = math.cos(math.radians(latitude))

    def to_local(coords: Any) -> Any:
        import numpy as np

        dx = (coords[:, 0] - longitude + 180.0) % 360.0 - 180.0
        return np.column_stack([dx * max(scale, 1e-6), coords[:, 1] - latitude])

    local = shapely.transform(shape, to_local)
    degrees = shapely.distance(shapely.Point(0.0, 0.0), local)
    return float(math.radians(degrees) * 6371.0088)


# ---------------------------------------------------------------------------------------------
# The whole file


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def normalise(
    table_file: TableFile,
    table: TableName,
    *,
    mapping_overrides: dict[str, str] | None = None,
) -> Normalised:
    """Map headers and convert every cell of `table_file` to the canonical `table`.

    `mapping_overrides` (file header -> canonical column, '' to ignore) wins over the aliases.
    Never raises for bad content: every problem is in `errors` or `warnings`.
    """
    raw = table_file.frame
    mapping = map_headers(raw.columns, table, mapping_overrides)
    label = {canonical: source for source, canonical in mapping.mapped.items()}
    errors: list[RowError] = []
    warnings: list[RowError] = []
    has_coordinates = {"latitude", "longitude"} <= label.keys()
    missing = [c for c in mapping.missing_required if not (c == "country_iso3" and has_coordinates)]
    for column in missing:
        errors.append(
            RowError(
                None,
                column,
                None,
                _(
                    "required column '{column}' not found: add it, or rename the column that "
                    "holds it (headers found: {headers})"
                ).format(column=column, headers=", ".join(map(str, raw.columns))),
            )
        )
    if mapping.unknown:
        warnings.append(
            RowError(
                None,
                None,
                ", ".join(mapping.unknown),
                _(
                    "column(s) not recognised for the {table} table were ignored: {columns}; "
                    "rename them if they hold data to load"
                ).format(table=table, columns=", ".join(mapping.unknown)),
            )
        )
    # positions of the rows with anything in them (blank spreadsheet rows are skipped)
    keep = np.flatnonzero(raw.notna().to_numpy().any(axis=1)).tolist()
    rows = [table_file.first_data_row + i for i in keep]
    cells: dict[str, list[Any]] = {}
    for canonical, source in label.items():
        series = raw[source]
        cells[canonical] = [None if _blank(series.iat[i]) else str(series.iat[i]) for i in keep]

    def col(name: str) -> list[Any]:
        if name not in cells:  # a missing column reads as blank (made once, not per call)
            cells[name] = [None] * len(keep)
        return cells[name]

    def each(name: str) -> list[tuple[int, int, str]]:
        """(position, spreadsheet row, text) of the filled cells of a column."""
        return [(p, rows[p], v) for p, v in enumerate(cells.get(name, [])) if v is not None]

    def bad(name: str, position: int, value: object, message: str) -> None:
        errors.append(RowError(rows[position], label.get(name, name), str(value), message))
        cells[name][position] = None

    drop: set[int] = set()
    delimiter = table_file.delimiter

    # numbers (quantities converted to kg)
    for name in _NUMERIC[table]:
        filled = each(name)
        comma = _decimal_comma([v for _p, _r, v in filled], delimiter)
        ambiguous = [
            (row, text)
            for _p, row, text in filled
            if re.fullmatch(r"[+-]?\d{1,3}[.,]\d{3}", text.strip())
        ]
        if ambiguous and all(
            re.fullmatch(r"[+-]?\d+|[+-]?\d{1,3}[.,]\d{3}", t.strip()) for _p, _r, t in filled
        ):
            row, text = ambiguous[0]
            if comma:
                message = _(
                    "{n} number(s) like {example} could use '.' or ',' for thousands or "
                    "decimals; read with a decimal comma (the file's convention): if that is "
                    "wrong, write them without thousands separators"
                )
            else:
                message = _(
                    "{n} number(s) like {example} could use '.' or ',' for thousands or "
                    "decimals; read with a decimal point (the file's convention): if that is "
                    "wrong, write them without thousands separators"
                )
            warnings.append(
                RowError(
                    row,
                    label.get(name, name),
                    text,
                    message.format(n=len(ambiguous), example=repr(text)),
                )
            )
        for p, __, text in filled:
            value = _parse_number(text, comma)
            if value is None:
                bad(name, p, text, _not_a_number(comma))
            else:
                cells[name][p] = value
    if "quantity_kg" in cells:
        header_unit = mapping.unit_from_header.get("quantity_kg")
        units = cells.get(UNIT_COLUMN, [None] * len(keep))
        for p, quantity in enumerate(cells["quantity_kg"]):
            unit = units[p] or header_unit
            factor = 1.0 if unit is None else unit_factor(unit)
            if factor is None:
                errors.append(
                    RowError(
                        rows[p],
                        label.get(UNIT_COLUMN, "quantity_kg"),
                        str(unit),
                        _("unknown unit: use kg, g, t or lb"),
                    )
                )
            elif quantity is not None:
                cells["quantity_kg"][p] = quantity * factor

    # dates
    for name in DATE_COLUMNS[table]:
        filled = each(name)
        parsed, date_errors, date_warnings = _date_column(
            [(row, text) for _p, row, text in filled], label.get(name, name)
        )
        errors += date_errors
        warnings += date_warnings
        by_row = {row: p for p, row, _text in filled}
        for row, p in by_row.items():
            cells[name][p] = parsed.get(row)

    # countries
    for name in _COUNTRY_COLUMNS:
        if name not in COLUMNS[table]:
            continue
        for p, __, text in each(name):
            found = countries.resolve_country(text)
            if found is None:
                bad(name, p, text, _country_message(text))
            else:
                cells[name][p] = found
    if "transit_iso3" in COLUMNS[table]:
        for p, row, text in each("transit_iso3"):
            codes: list[str] = []
            for part in (s.strip() for s in re.split(r"[|;,/]", text)):
                if not part:
                    continue
                found = countries.resolve_country(part)
                if found is None:
                    errors.append(
                        RowError(row, label["transit_iso3"], part, _country_message(part))
                    )
                else:
                    codes.append(found)
            cells["transit_iso3"][p] = codes

    # drugs
    for p, row, text in each("drug"):
        kind = classify_drug(text)
        if kind == "coca_plant":
            warnings.append(
                RowError(row, label["drug"], text, _("coca leaf is not cocaine: row not loaded"))
            )
            drop.add(p)
        elif kind is None:
            bad(
                "drug",
                p,
                text,
                _(
                    "not a cocaine form: this dashboard loads cocaine only "
                    "(hydrochloride, base/paste, crack, unspecified)"
                ),
            )
        else:
            cells["drug"][p] = kind

    # coded values
    for name, allowed in _CODED.items():
        if name not in COLUMNS[table]:
            continue
        for p, __, text in each(name):
            found = value_alias(name, text)
            if found is None:
                bad(name, p, text, _(_NOT_CODED[name]).format(values=", ".join(allowed)))
            else:
                cells[name][p] = found

    # coordinates, and the country they imply
    if table == "seizures" and has_coordinates:
        for name in ("latitude", "longitude"):
            for p, __, text in each(name):
                value = _parse_coordinate(text, name)
                if isinstance(value, str):
                    bad(name, p, text, value)
                else:
                    cells[name][p] = value
        country = col("country_iso3")
        for p in range(len(keep)):
            lat, lon = cells["latitude"][p], cells["longitude"][p]
            if p in drop or lat is None or lon is None:
                continue
            where = f"({lat:.4f}, {lon:.4f})"
            if country[p] is not None:
                km = km_from_country(lat, lon, country[p])
                if km is not None and km > MAX_KM_FROM_COUNTRY:
                    warnings.append(
                        RowError(
                            rows[p],
                            label["latitude"],
                            f"{lat}, {lon}",
                            _(
                                "the point {point} is {km} km from {country} ({iso3}), more than "
                                "{limit} km: check the coordinates and the country (a seizure "
                                "at sea can lie off the coast)"
                            ).format(
                                point=where,
                                km=i18n.decimal(km, 0),
                                country=countries.country_name(country[p]),
                                iso3=country[p],
                                limit=f"{MAX_KM_FROM_COUNTRY:g}",
                            ),
                        )
                    )
            elif _country_left_blank(cells, label, p, errors, rows):
                found = countries.country_at(lat, lon, max_km=MAX_KM_FROM_COUNTRY)
                if found is not None:
                    country[p] = found
                    warnings.append(
                        RowError(
                            rows[p],
                            label.get("country_iso3", "country_iso3"),
                            found,
                            _(
                                "no country given: filled in as {country} ({iso3}) from the "
                                "coordinates {point}; check it"
                            ).format(
                                country=countries.country_name(found), iso3=found, point=where
                            ),
                        )
                    )

    # duplicate ids within the file
    id_column = _ID_COLUMN[table]
    if id_column is not None:
        seen: dict[str, list[int]] = {}
        for p, __, text in each(id_column):
            if p not in drop:
                seen.setdefault(text.strip().casefold(), []).append(p)
        for positions in seen.values():
            if len(positions) < 2:
                continue
            for p in positions:
                others = ", ".join(str(rows[q]) for q in positions if q != p)
                errors.append(
                    RowError(
                        rows[p],
                        label[id_column],
                        cells[id_column][p],
                        _("duplicate id: also on row(s) {rows}; give each row its own id").format(
                            rows=others
                        ),
                    )
                )

    # absurd quantities (warnings)
    if table == "seizures":
        for p, quantity in enumerate(cells.get("quantity_kg", [])):
            if p not in drop and quantity is not None and quantity > MAX_PLAUSIBLE_KG:
                warnings.append(
                    RowError(
                        rows[p],
                        label.get("quantity_kg", "quantity_kg"),
                        f"{quantity:g}",
                        _(
                            "{kg} kg in one seizure is above the plausibility bound of {limit} "
                            "kg: check the unit and the decimal separator"
                        ).format(
                            kg=i18n.decimal(quantity, 0),
                            limit=i18n.decimal(MAX_PLAUSIBLE_KG, 0),
                        ),
                    )
                )

    # the canonical frame (rows dropped: coca leaf)
    kept = [p for p in range(len(keep)) if p not in drop]
    out_rows = [rows[p] for p in kept]
    data = {c: [values[p] for p in kept] for c in COLUMNS[table] for values in [col(c)]}
    data["source"] = [s or f"file {table_file.file_name}" for s in data["source"]]
    frame = pd.DataFrame(data, columns=list(COLUMNS[table]), dtype=object)
    for name in DATE_COLUMNS[table]:
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    if not keep:
        errors.append(
            RowError(None, None, None, _("the file has no data rows: add rows below the header"))
        )
    elif not missing:
        frame, schema_errors = _schema_check(table, frame, out_rows, label)
        reported = {(e.row, e.column) for e in errors}
        errors += [e for e in schema_errors if (e.row, e.column) not in reported]
    dropped = {rows[p] for p in drop}  # coca-leaf rows: not loaded, so nothing to fix there
    errors = [e for e in errors if e.row not in dropped]
    errors.sort(key=_order)
    warnings.sort(key=_order)
    return Normalised(frame, errors, warnings, table_file.first_data_row, mapping, out_rows)


def _country_left_blank(
    cells: dict[str, list[Any]],
    label: dict[str, str],
    position: int,
    errors: list[RowError],
    rows: list[int],
) -> bool:
    """True if the country cell was left empty (not emptied because it was unreadable)."""
    if "country_iso3" not in label:
        return True
    name = label["country_iso3"]
    return not any(e.row == rows[position] and e.column == name for e in errors)


def _order(error: RowError) -> tuple[int, str]:
    return (error.row if error.row is not None else -1, error.column or "")


def _schema_check(
    table: TableName, frame: pd.DataFrame, rows: list[int], label: dict[str, str]
) -> tuple[pd.DataFrame, list[RowError]]:
    """validate_table on the normalised frame, errors relocated to the analyst's rows/headers."""
    try:
        return validate_table(table, frame, countries.known_iso3(), row_offset=0), []
    except ValidationFailed as exc:

        def relocate(error: RowError) -> RowError:
            row = error.row
            if row is not None and 0 <= row < len(rows):
                row = rows[row]
            column = label.get(error.column, error.column) if error.column else error.column
            return replace(error, row=row, column=column)

        return frame, [relocate(e) for e in exc.errors]
