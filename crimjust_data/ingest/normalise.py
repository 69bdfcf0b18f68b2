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

import contextvars
import datetime as dt
import functools
import hashlib
import math
import re
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from babel.dates import format_date

from crimjust_data import countries, i18n
from crimjust_data.i18n import N_, _
from crimjust_data.ids import id_key
from crimjust_data.ingest.aliases import (
    UNIT_COLUMN,
    HeaderMapping,
    drug_form,
    is_count_unit,
    is_liquid_unit,
    map_headers,
    unit_factor,
    value_alias,
)
from crimjust_data.ingest.readers import TableFile
from crimjust_data.schemas import (
    ACTIVITY_TYPES,
    COLUMNS,
    CONVEYANCES,
    COOPERATION,
    DATE_COLUMNS,
    MAX_QUANTITY_KG,
    NUMERIC_COLUMNS,
    OUTCOMES,
    PARTNERS,
    REQUIRED,
    STAGES,
    TEXT,
    RowError,
    TableName,
    ValidationFailed,
    validate_table,
)

__all__ = [
    "FIRST_ROWS",
    "MAX_KM_FROM_COUNTRY",
    "MAX_PLAUSIBLE_KG",
    "Normalised",
    "and_more",
    "first_rows_text",
    "km_from_country",
    "missing_from_file",
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
    "activities": ("participants",),
}
_COUNTRY_COLUMNS = ("country_iso3", "origin_iso3", "destination_iso3")
# What the points are checked against and fill in (normalise: in _BESIDE, beside other checks).
_PLACE_COLUMNS = ("country_iso3", "latitude", "longitude")
_BESIDE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="places")
_CODED: dict[str, tuple[str, ...]] = {
    "conveyance": CONVEYANCES,
    "outcome": OUTCOMES,
    "stage": STAGES,
    "cooperation": COOPERATION,
    "type": ACTIVITY_TYPES,
    "partner": PARTNERS,
}
_ID_COLUMN: dict[TableName, str | None] = {
    "seizures": "seizure_id",
    "annual_seizures": None,
    "cases": "case_id",
    "activities": "activity_id",
}
# What to say about a value that is not one of a coded column's values (translated at use).
_NOT_CODED: dict[str, str] = {
    "conveyance": N_("not a known conveyance: use one of {values}"),
    "outcome": N_("not a known outcome: use one of {values}"),
    "stage": N_("not a known stage: use one of {values}"),
    "cooperation": N_("not a known cooperation: use one of {values}"),
    "type": N_("not a known activity type: use one of {values}"),
    "partner": N_("not a known partner: use one of {values}"),
}


@dataclass
class Normalised:
    """A file's rows in canonical form, and every problem found.

    `frame` has the canonical columns of the table, coerced by validate_table when there are no
    errors (else as converted: numbers as floats, transit countries as 'PAN|DOM'). `rows[i]` is the spreadsheet row of frame row i: blank rows and coca-leaf rows are
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


# Most cells of a number column are plain ('12', '-3.5', '0,25'): arrow reads those all at once.
# Every other distinct text goes through _separator_votes and _parse_number once.
_PLAIN_NUMBER = r"(?:[+-]?[0-9]+(?:[.,][0-9]+)?)"  # '12', '-3.5', '0,25'
_THOUSANDS_SHAPE = r"(?:[+-]?[0-9]{1,3}[.,][0-9]{3})"  # '1.234', '1,234': thousands or decimals?


def _separator_votes(value: str) -> tuple[int, int]:
    """(comma, point): does this number vote for a decimal comma or for a decimal point?"""
    t = re.sub(r"[\s\u00a0\u202f']", "", value)
    if "," in t and "." in t:
        return (1, 0) if t.rfind(",") > t.rfind(".") else (0, 1)
    if t.count(",") > 1:
        return 0, 1
    if t.count(".") > 1 or ("," in t and not re.fullmatch(r"[+-]?\d{1,3},\d{3}", t)):
        return 1, 0  # '1.234.567' or '12,5'
    if "." in t and not re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", t):
        return 0, 1
    return 0, 0


@dataclass
class _Numbers:
    """A number column, read as a whole."""

    values: np.ndarray  # float64; NaN where blank or unreadable
    unreadable: np.ndarray  # positions of the cells that are not numbers
    decimal_comma: bool  # the column's decimal mark, decided from all its cells
    ambiguous: np.ndarray  # positions of cells like '1.234', if all cells are integers or such


def _numbers(texts: pd.Series, delimiter: str | None) -> _Numbers:
    filled = texts.notna().to_numpy()
    plain = _matches(texts, _PLAIN_NUMBER)
    point = plain & texts.str.contains(".", regex=False).to_numpy(dtype=bool, na_value=False)
    comma = plain & texts.str.contains(",", regex=False).to_numpy(dtype=bool, na_value=False)
    integer = plain & ~point & ~comma
    shaped = _matches(texts, _THOUSANDS_SHAPE)
    other = np.flatnonzero(filled & ~plain)
    codes, distinct = _distinct(texts.iloc[other])
    counts = np.bincount(codes, minlength=len(distinct))
    votes = np.array([_separator_votes(t) for t in distinct], dtype=np.int64).reshape(-1, 2)
    comma_votes = int((comma & ~shaped).sum() + counts @ votes[:, 0])
    point_votes = int((point & ~shaped).sum() + counts @ votes[:, 1])
    decimal_comma = comma_votes > point_votes if comma_votes != point_votes else delimiter == ";"
    # '1.234' is thousands or decimals: reported when no cell of the column settles it
    ambiguous = shaped.copy()
    ambiguous[other] = _table(
        [bool(re.fullmatch(r"[+-]?\d{1,3}[.,]\d{3}", t.strip())) for t in distinct], False, bool
    )[codes]
    simple = not (point & ~shaped).any() and not (comma & ~shaped).any()
    simple = simple and all(
        re.fullmatch(r"[+-]?\d+|[+-]?\d{1,3}[.,]\d{3}", t.strip()) for t in distinct
    )
    values = np.full(len(texts), np.nan)
    read = integer | (comma if decimal_comma else point)  # in the column's own convention
    plain_texts = texts[read]
    values[read] = _floats(plain_texts.str.replace(",", ".") if decimal_comma else plain_texts)
    rest = np.flatnonzero(filled & ~read)
    codes, distinct = _distinct(texts.iloc[rest])
    parsed = [_parse_number(t, decimal_comma) for t in distinct]
    values[rest] = _table([np.nan if v is None else v for v in parsed], np.nan, float)[codes]
    unreadable = np.flatnonzero(filled & ~np.isfinite(values))
    values[unreadable] = np.nan
    return _Numbers(
        values,
        unreadable,
        decimal_comma,
        np.flatnonzero(ambiguous) if simple else np.array([], int),
    )


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

# A date, perhaps with a time of day (groups 4 to 6: hour, minute, second), which is checked
# and dropped.
_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _make_date(year: int, month: int, day: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(dt.date(year, month, day))
    except ValueError:
        return None


def _impossible_time(match: re.Match[str]) -> bool:
    """Is the time of day after the date impossible? (24:00, which ISO 8601 allows for the end
    of a day, is refused too: it is the next day's 00:00, so which date was meant is unclear;
    a second 60 is a leap second.)"""
    hour, minute, second = match[4], match[5], match[6]
    return hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second or 0) > 60)


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= dt.date.today().year % 100 else 1900
    return year


def _date_column(
    texts: pd.Series, rows: np.ndarray, label: str
) -> tuple[np.ndarray, list[RowError], list[RowError]]:
    """(dates, errors, warnings) for one date column; day/month order decided per column."""
    codes, distinct = _distinct(texts)
    counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
    read: list[pd.Timestamp | None] = [None] * len(distinct)
    problems: list[str | None] = [None] * len(distinct)
    invalid = _("not a valid date: check day and month")
    pairs: dict[int, tuple[int, int, int]] = {}  # distinct text -> a, b, year
    bad_time = _(
        "not a valid time of day: hours go from 00 to 23 and minutes from 00 to 59 (midnight "
        "is 00:00); fix the time, or give the date alone as YYYY-MM-DD"
    )
    for i, text in enumerate(distinct):
        m = _ISO.fullmatch(text) or _DMY.fullmatch(text)
        if m and _impossible_time(m):
            problems[i] = bad_time
        elif m and m.re is _ISO:
            read[i] = _make_date(int(m[1]), int(m[2]), int(m[3]))
            if read[i] is None:
                problems[i] = invalid
        elif m:
            pairs[i] = (int(m[1]), int(m[2]), _full_year(m[3]))
        elif _SERIAL.fullmatch(text) and 10_000 <= float(text) <= 100_000:
            read[i] = _EXCEL_EPOCH + pd.Timedelta(days=int(float(text)))
        else:
            problems[i] = _("not a date: write it as YYYY-MM-DD (e.g. 2023-12-31)")
    day_only = sum(counts[i] for i, (a, b, __) in pairs.items() if a > 12 >= b)
    month_only = sum(counts[i] for i, (a, b, __) in pairs.items() if b > 12 >= a)
    day_first = day_only >= month_only
    if day_first:
        mixed = _(
            "this column mixes date orders; most dates are day-first (DD/MM/YYYY): "
            "write this one as YYYY-MM-DD"
        )
    else:
        mixed = _(
            "this column mixes date orders; most dates are month-first (MM/DD/YYYY): "
            "write this one as YYYY-MM-DD"
        )
    ambiguous: list[int] = []
    for i, (a, b, year) in pairs.items():
        if (b > 12 >= a) if day_first else (a > 12 >= b):
            problems[i] = mixed
            continue
        day, month = (a, b) if day_first else (b, a)
        read[i] = _make_date(year, month, day)
        if read[i] is None:
            problems[i] = invalid
        elif a <= 12 and b <= 12 and a != b:
            ambiguous.append(i)
    for i, date in enumerate(read):  # beyond what a date column holds (years 1678 to 2261)
        if date is not None and date < pd.Timestamp.min:
            read[i], problems[i] = None, _("date before 1990: check the year")
        elif date is not None and date > pd.Timestamp.max:
            read[i], problems[i] = None, _("date in the future: check day, month and year")
    wrong = _table([problem is not None for problem in problems], False, bool)[codes]
    errors = [
        RowError(int(rows[p]), label, distinct[codes[p]], str(problems[codes[p]]))
        for p in np.flatnonzero(wrong)
    ]
    warnings: list[RowError] = []
    if ambiguous and not day_only and not month_only:
        first = int(np.flatnonzero(np.isin(codes, ambiguous))[0])
        text = distinct[codes[first]]
        warnings.append(
            RowError(
                int(rows[first]),
                label,
                text,
                _(
                    "{n} date(s) in this column could be day-first or month-first; they were "
                    "read day-first ({text} = {date}): if that is wrong, write the dates as "
                    "YYYY-MM-DD to make them unambiguous"
                ).format(
                    n=int(counts[ambiguous].sum()),
                    text=text,
                    date=format_date(read[codes[first]], format="dd MMMM y", locale=i18n.current()),
                ),
            )
        )
    dates = [np.datetime64("NaT") if d is None else d.to_datetime64() for d in read]
    return _table(dates, np.datetime64("NaT")).astype("datetime64[ns]")[codes], errors, warnings


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
    return value if -limit <= value <= limit else _out_of_range(axis)


def _out_of_range(axis: str) -> str:
    if axis == "latitude":
        return _(
            "latitude must be between -90 and 90: check that latitude and longitude are not swapped"
        )
    return _(
        "longitude must be between -180 and 180: check that latitude and longitude are not swapped"
    )


_PLAIN_DEGREES = r"(?:[+-]?[0-9]+(?:[.,][0-9]+)?)"  # most cells: read by arrow all at once


def _coordinates(texts: pd.Series, axis: str) -> tuple[np.ndarray, dict[int, str]]:
    """Decimal degrees of a coordinate column (NaN where blank or unreadable) and, by position,
    what is wrong with each unreadable cell."""
    plain = _matches(texts, _PLAIN_DEGREES)
    degrees = np.full(len(texts), np.nan)
    degrees[plain] = _floats(texts[plain].str.replace(",", "."))
    limit = 90 if axis == "latitude" else 180
    problems = dict.fromkeys(np.flatnonzero(plain & ~(np.abs(degrees) <= limit)).tolist(), "")
    rest = np.flatnonzero(texts.notna().to_numpy() & ~plain)
    codes, distinct = _distinct(texts.iloc[rest])
    parsed = [_parse_coordinate(t, axis) for t in distinct]
    for position, code in zip(rest.tolist(), codes.tolist(), strict=True):
        if isinstance(parsed[code], str):
            problems[position] = parsed[code]  # type: ignore[assignment]
        else:
            degrees[position] = parsed[code]
    for position, problem in problems.items():
        problems[position] = problem or _out_of_range(axis)
        degrees[position] = np.nan
    return degrees, problems


@functools.cache
def _country_parts() -> dict[str, np.ndarray]:
    """The polygons of each country's land, by ISO3 (countries.land: read in milliseconds)."""
    ids, geometries = countries.land()
    return {iso3: geometries[ids == iso3] for iso3 in np.unique(ids)}


@functools.cache
def _country_shape(iso3: str) -> Any:
    """A country's land as one geometry (None without one); made on first use."""
    import shapely

    parts = _country_parts().get(iso3)
    if parts is None:
        return None
    shape = shapely.union_all(parts)
    shapely.prepare(shape)  # many points are tested against it
    return shape


def km_from_country(latitude: float, longitude: float, iso3: str) -> float | None:
    """Distance in km from a point to a country's land (0 inside); None without a geometry."""
    import shapely

    shape = _country_shape(iso3)
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


# Points within this many degrees of a country's land (planar, lon/lat) are within
# MAX_KM_FROM_COUNTRY of it in km_from_country's frame too, which only shrinks east-west
# distances: no need to measure them. (1% below the limit: far above rounding.)
_SURELY_NEAR_DEGREES = 0.99 * math.degrees(MAX_KM_FROM_COUNTRY / 6371.0088)


def _km_beyond_limit(latitudes: np.ndarray, longitudes: np.ndarray, iso3: str) -> np.ndarray:
    """km_from_country for many points of one country, measured only where the point may be
    farther than MAX_KM_FROM_COUNTRY (NaN elsewhere, and for a country without a geometry)."""
    import shapely

    km = np.full(len(latitudes), np.nan)
    shape = _country_shape(iso3)
    if shape is None:
        return km
    outside = np.flatnonzero(~shapely.intersects_xy(shape, longitudes, latitudes))
    points = shapely.points(longitudes[outside], latitudes[outside])
    far = outside[~shapely.dwithin(shape, points, _SURELY_NEAR_DEGREES)]
    west, __, east, __ = shape.bounds
    # km_from_country shifts longitudes more than 180 degrees away by 360: as it does, one by one
    wraps = (east - longitudes[far] >= 180.0) | (west - longitudes[far] < -180.0)
    for p in far[wraps].tolist():
        km[p] = km_from_country(float(latitudes[p]), float(longitudes[p]), iso3)
    km[far[~wraps]] = _km_to_coast(latitudes[far[~wraps]], longitudes[far[~wraps]], iso3)
    return km


@functools.cache
def _coast(iso3: str) -> tuple[np.ndarray, Any]:
    """The segments of a country's boundary as rows (x0, y0, x1, y1), and a spatial index."""
    import shapely

    rings = shapely.get_rings(shapely.get_parts(_country_shape(iso3)))
    coords = [shapely.get_coordinates(ring) for ring in rings]
    segments = np.vstack([np.hstack([c[:-1], c[1:]]) for c in coords])
    return segments, shapely.STRtree(shapely.linestrings(segments.reshape(-1, 2, 2)))


def _km_to_coast(latitudes: np.ndarray, longitudes: np.ndarray, iso3: str) -> np.ndarray:
    """km_from_country for points outside the country whose longitudes are all within 180
    degrees of its land, computed as GEOS computes it (the shortest distance from the point
    to a boundary segment, in the point's local frame) over the segments that can be nearest."""
    import shapely

    segments, tree = _coast(iso3)
    # The nearest segment in lon/lat degrees bounds the distance in the local frame, which
    # shrinks east-west distances by cos(latitude) at most: farther segments cannot be nearest.
    points = shapely.points(longitudes, latitudes)
    __, degrees = tree.query_nearest(points, return_distance=True, all_matches=False)
    scales = np.array([max(math.cos(math.radians(v)), 1e-6) for v in latitudes.tolist()])
    reach = degrees * (1 + 1e-9) / scales + 1e-9
    point, segment = tree.query(points, predicate="dwithin", distance=reach)
    x0, y0, x1, y1 = segments[segment].T
    longitude, latitude, scale = longitudes[point], latitudes[point], scales[point]
    # the local frame of km_from_country
    ax, bx = (((x - longitude + 180.0) % 360.0 - 180.0) * scale for x in (x0, x1))
    ay, by = y0 - latitude, y1 - latitude
    # GEOS's Distance::pointToSegment from (0, 0)
    length2 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = ((0.0 - ax) * (bx - ax) + (0.0 - ay) * (by - ay)) / length2
        s = (ay * (bx - ax) - ax * (by - ay)) / length2
    to_a, to_b = np.sqrt(ax * ax + ay * ay), np.sqrt(bx * bx + by * by)
    across = np.abs(s) * np.sqrt(length2)
    distance = np.where((length2 == 0) | (r <= 0.0), to_a, np.where(r >= 1.0, to_b, across))
    nearest = np.full(len(latitudes), np.inf)
    np.minimum.at(nearest, point, distance)
    return np.array([math.radians(d) * 6371.0088 for d in nearest.tolist()])


# ---------------------------------------------------------------------------------------------
# The whole file: a column at a time, each distinct text converted once (a big file repeats its
# countries, drugs, units and dates on every row); only problems are located row by row.


def _distinct(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(codes, distinct texts): texts[p] is distinct[codes[p]], or blank where codes[p] is -1."""
    array = _arrow(texts)
    encoded = pc.dictionary_encode(array)
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    dictionary = chunks[0].dictionary if chunks else pa.array([], pa.large_string())
    if any(_addresses(chunk.dictionary) != _addresses(dictionary) for chunk in chunks):
        # chunks that do not share the one dictionary arrow makes for them all: as one array
        encoded = array.combine_chunks().dictionary_encode()
        chunks, dictionary = [encoded], encoded.dictionary
    indices = [chunk.indices.fill_null(-1).to_numpy(zero_copy_only=False) for chunk in chunks]
    codes = np.concatenate(indices).astype(np.intp) if indices else np.empty(0, dtype=np.intp)
    return codes, dictionary.to_pylist()


def _addresses(array: pa.Array) -> list[int | None]:
    """Where an array's buffers are: the same for arrays sharing them."""
    return [None if buffer is None else buffer.address for buffer in array.buffers()]


def _table(results: list[Any], blank: Any, dtype: Any = object) -> np.ndarray:
    """`results` then `blank` as an array: _table(results, blank)[codes] maps codes from
    _distinct to the result of each text (code -1: blank)."""
    table = np.empty(len(results) + 1, dtype=dtype)
    for i, result in enumerate(results):  # element by element: results may be lists
        table[i] = result
    table[-1] = blank
    return table


def _matches(texts: pd.Series, pattern: str) -> np.ndarray:
    """Which cells match the (ASCII, non-capturing) pattern in full: arrow's regex, all at once."""
    return texts.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)


def _floats(texts: pd.Series) -> np.ndarray:
    """Plain decimal numbers ('-12.5') read by arrow: the same doubles as float() gives."""
    return pc.cast(_arrow(texts), pa.float64()).to_numpy(zero_copy_only=False)


def _arrow(texts: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The column as arrow: a big file's column in its chunks (joining them copies it)."""
    return pa.array(texts, type=pa.large_string())


def _route(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The transit countries of a cell ('Panamá | DOM'), and each part not a country with what
    to say about it."""
    codes: list[str] = []
    unknown: list[tuple[str, str]] = []
    for part in (s.strip() for s in _ROUTE_SEPARATORS.split(text)):
        if part:
            found = countries.resolve_country(part)
            if found is None:
                unknown.append((part, _country_message(part)))
            else:
                codes.append(found)
    return codes, unknown


# What Python's \s matches among ASCII characters: what id_key drops from an ASCII id (arrow's
# \s leaves out \x0b and \x1c-\x1f).
_ASCII_SPACES = "[\t\n\x0b\x0c\r\x1c-\x1f ]+"


def _id_keys(ids: pd.Series) -> pd.Series:
    """Ids as compared for duplicates: ids.id_key (case, whitespace and invisible characters
    ignored), so that two ids one key apart across versions are also repeated within a file;
    ids other than ASCII also in one Unicode form ('é' typed as one character or as 'e' and an
    accent). ASCII ids are keyed by arrow, the same as id_key gives, many times faster."""
    array = _arrow(ids)
    if pc.any(pc.match_substring_regex(array, _ASCII_SPACES)).as_py():  # (seldom: found first)
        folded = ids.str.replace(_ASCII_SPACES, "", regex=True).str.lower()
    else:
        folded = ids.str.lower()
    ascii_only = pc.string_is_ascii(array).to_numpy(zero_copy_only=False)
    if not ascii_only.all():
        folded = folded.mask(~ascii_only, ids.map(_unicode_key, na_action="ignore"))
    return folded


def _unicode_key(text: str) -> str:
    return unicodedata.normalize("NFKC", id_key(text)).casefold()


def _repeated(keys: pd.Series) -> np.ndarray:
    """Which keys are on more than one row (found by sorting: faster than hashing many ids)."""
    repeated = np.zeros(len(keys), dtype=bool)
    if len(keys) < 2:
        return repeated
    array = _arrow(keys)
    order = pc.sort_indices(array)
    ordered = array.take(order)
    same = pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))
    same = same.to_numpy(zero_copy_only=False)
    if same.any():  # a key equal to the next or to the previous in sorted order
        repeated[order.to_numpy()] = np.append(same, False) | np.insert(same, 0, False)
    return repeated


# Content checks of a column before a header is trusted with a field: how many of its first
# filled values are looked at, and the share that must parse.
_SNIFF_ROWS = 500
_SNIFF_SHARE = 0.5
_ROUTE_COLUMNS = ("origin_iso3", "transit_iso3", "destination_iso3")
_ROUTE_SEPARATORS = re.compile(r"[|;,/]")  # between the countries of one transit cell
_DATE_FIELDS = frozenset(c for columns in DATE_COLUMNS.values() for c in columns)
# Codes that spreadsheets and R/pandas write for a missing value: beside a country name that is
# not Namibia, 'NA' is a missing code, not Namibia's ISO2 code.
_MISSING_CODES = frozenset({"na", "n/a", "nan"})


def _looks_like(values: list[str], field: str) -> bool:
    """Do most of these values (filled cells of one column) parse as `field`?"""
    if not values:
        return True  # an empty column: nothing says otherwise
    if field in _DATE_FIELDS:
        good = sum(
            1
            for v in values
            if _ISO.fullmatch(v) or _DMY.fullmatch(v) or (_SERIAL.fullmatch(v) is not None)
        )
    elif field in ("quantity_kg", "latitude", "longitude"):
        good = sum(
            1 for v in values if _parse_number(v, False) is not None or _parse_number(v, True)
        )
        if field != "quantity_kg":
            readable = sum(1 for v in values if isinstance(_parse_coordinate(v, field), float))
            good = max(good, readable)
    elif field == UNIT_COLUMN:
        good = sum(1 for v in values if unit_factor(v) is not None or is_count_unit(v))
    elif field in ("country_iso3", *_ROUTE_COLUMNS):
        good = sum(
            1
            for v in values
            if all(
                countries.resolve_country(part) or countries.is_not_a_country(part)
                for part in (_ROUTE_SEPARATORS.split(v) if field == "transit_iso3" else [v])
                if part.strip()
            )
        )
    else:
        return True
    return good >= _SNIFF_SHARE * len(values)


def _content_check(raw: pd.DataFrame) -> Callable[[str, str], bool]:
    """accepts(header, field) for map_headers: a header names a unit, country, date, quantity
    or coordinate column only if most of its first filled values parse as one."""

    @functools.cache
    def sample(header: str) -> list[str]:
        column = raw[header].iloc[: 4 * _SNIFF_ROWS].dropna()  # (not all of a big file's)
        if len(column) < _SNIFF_ROWS and len(raw) > 4 * _SNIFF_ROWS:
            column = raw[header].dropna()
        return [str(v) for v in column.iloc[:_SNIFF_ROWS].tolist()]

    def accepts(header: str, field: str) -> bool:
        return header in raw.columns and _looks_like(sample(header), field)

    return accepts


FIRST_ROWS = 5  # rows named in a message about many; the others are counted


def and_more(listed: str, total: int, shown: int) -> str:
    """`listed` (the first `shown` of `total` items), then how many more there are."""
    if total <= shown:
        return listed
    return _("{rows} and {more} more").format(rows=listed, more=i18n.integer(total - shown))


def first_rows_text(rows: Any) -> str:
    """'5, 6, 9' or '5, 6, 9, 12, 13 and 20 more': the first FIRST_ROWS of `rows`."""
    listed = ", ".join(str(int(row)) for row in rows[:FIRST_ROWS])
    return and_more(listed, len(rows), FIRST_ROWS)


def _derived_ids(frame: pd.DataFrame, id_column: str) -> np.ndarray:
    """Ids for a file without an id column: a digest of the row's converted content and its
    occurrence among identical rows ('auto-<16 hex>-<n>'), the same at every load of the same
    rows: the same file loaded twice is refused, and identical rows stay distinct rows."""
    parts = [
        frame[c].astype("str").fillna("") for c in frame.columns if c not in (id_column, "source")
    ]
    joined = parts[0].str.cat(parts[1:], sep="\x1f", na_rep="")
    digests = pd.Series(
        [hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest() for text in joined],
        index=frame.index,
    )
    occurrence = digests.groupby(digests, sort=False).cumcount() + 1
    return ("auto-" + digests + "-" + occurrence.astype("str")).to_numpy(dtype=object)


def missing_from_file(
    mapping: HeaderMapping, table: TableName, *, country_given: bool = False
) -> list[str]:
    """The required columns a file still lacks once what need not be in it is set aside: ids
    (derived from the rows), the country (given for the whole file, or found under each row's
    coordinates) and an annual table's drug (cocaine of unspecified form)."""
    mapped = set(mapping.mapped.values())
    locatable = country_given or {"latitude", "longitude"} <= mapped
    return [
        column
        for column in mapping.missing_required
        if column != _ID_COLUMN[table]
        and not (column == "country_iso3" and locatable)
        and not (column == "drug" and table == "annual_seizures")
    ]


def normalise(
    table_file: TableFile,
    table: TableName,
    *,
    mapping_overrides: dict[str, str] | None = None,
    check_schema: bool = True,
    country: str | None = None,
) -> Normalised:
    """Map headers and convert every cell of `table_file` to the canonical `table`.

    `mapping_overrides` (file header -> canonical column, '' to ignore) wins over the aliases.
    `country` (ISO3) is the country of every row whose country is not in the file.
    Never raises for bad content: every problem is in `errors` or `warnings`.
    Rows that are not cocaine data or carry no amount to load are skipped, each kind counted in
    one warning; rows that are wrong are errors (the file is refused).
    `check_schema=False` leaves validate_table to the caller when the file has no other problem
    (the frame is then as converted): for a caller that hands the frame to the store, which
    validates every load anyway. A file with problems is always checked: all at once.
    """
    raw = table_file.frame
    accepts = _content_check(raw)
    mapping = map_headers(raw.columns, table, mapping_overrides, accepts=accepts)
    # A required column that only one header can hold is read even when its values do not
    # parse: each such cell is then an error at its row, not a column 'not found'.
    fallback = {
        header: field_name
        for header, field_name in mapping.rejected.items()
        if field_name in REQUIRED[table] and field_name in mapping.missing_required
    }
    if fallback:
        overrides = {**fallback, **(mapping_overrides or {})}
        mapping = map_headers(raw.columns, table, overrides, accepts=accepts)
    label = {canonical: source for source, canonical in mapping.mapped.items()}
    errors: list[RowError] = []
    warnings: list[RowError] = []
    id_column = _ID_COLUMN[table]
    derive_ids = id_column is not None and id_column not in label
    has_coordinates = {"latitude", "longitude"} <= label.keys()
    missing = missing_from_file(mapping, table, country_given=country is not None)
    for column in missing:
        if column == "country_iso3":
            message = _(
                "no country column: add one, or give the country of every row (on the command "
                "line --country ISO3; on the upload page 'Country of every row') (headers "
                "found: {headers})"
            )
        else:
            message = _(
                "required column '{column}' not found: add it, or rename the column that "
                "holds it (headers found: {headers})"
            )
        found = message.format(column=column, headers=", ".join(map(str, raw.columns)))
        errors.append(RowError(None, column, None, found))
    for header, field_name in mapping.rejected.items():
        shown = ", ".join(repr(str(v)) for v in raw[header].dropna().unique()[:3])
        warnings.append(
            RowError(
                None,
                header,
                shown,
                _(
                    "column {header} was not read as {field}: its name suggests it, but its "
                    "values ({values}) are not; map it on purpose if they are"
                ).format(header=header, field=field_name, values=shown),
            )
        )
    unknown = [h for h in mapping.unknown if h not in mapping.rejected]
    if unknown:
        warnings.append(
            RowError(
                None,
                None,
                ", ".join(unknown),
                _(
                    "column(s) not recognised for the {table} table were ignored: {columns}; "
                    "rename them if they hold data to load"
                ).format(table=table, columns=", ".join(unknown)),
            )
        )
    # what the reader found wrong but readable: a malformed row refuses the file even when its
    # cells, as split, look like a row to skip
    malformed: list[RowError] = []
    for note in table_file.notes:
        found = RowError(note.row, note.column, note.value, note.message)
        (malformed if note.error else warnings).append(found)
    # positions of the rows with anything in them (blank spreadsheet rows are skipped)
    keep = np.flatnonzero(raw.notna().to_numpy().any(axis=1))
    explicit_rows = getattr(table_file, "row_numbers", None)
    if explicit_rows is not None:  # a reshaped table: each row says where it was in the file
        rows = np.asarray(explicit_rows, dtype=np.int64)[keep]
    else:
        rows = table_file.first_data_row + keep
    # the text of each mapped column (NaN: blank), and the columns converted from it
    texts = {
        canonical: raw[source].iloc[keep].reset_index(drop=True).astype("str")
        for canonical, source in label.items()
    }
    values: dict[str, np.ndarray] = {}
    drop = np.zeros(len(keep), dtype=bool)  # rows skipped: not loaded
    skipped: list[RowError] = []  # one warning per kind of row skipped
    delimiter = table_file.delimiter

    def report(
        found: list[RowError],
        name: str,
        positions: Any,
        text_at: Callable[[int], str],
        message: str | Callable[[int], str],
    ) -> None:
        """A problem at each position: the cell's text, and what to do (or what to do there)."""
        where = label.get(name, name)
        for p in positions:
            explained = message if isinstance(message, str) else message(p)
            found.append(RowError(int(rows[p]), where, text_at(p), explained))

    def skip(
        mask: np.ndarray, name: str, text_at: Callable[[int], str], message: str, **more: str
    ) -> None:
        """Skip the rows of `mask` not skipped yet, counted in one warning ({n}, {rows} and
        any `more` fields of `message`)."""
        newly = np.flatnonzero(mask & ~drop)
        if not len(newly):
            return
        drop[newly] = True
        first = int(newly[0])
        # file rows (a reshaped table has several values on one file row)
        file_rows = pd.unique(rows[newly])
        text = message.format(
            n=i18n.integer(len(file_rows)), rows=first_rows_text(file_rows), **more
        )
        skipped.append(RowError(int(rows[first]), label.get(name, name), text_at(first), text))

    def convert(name: str, function: Callable[[str], Any]) -> None:
        """Column `name` converted by `function` (text -> value, or _Problem) text by text."""
        codes, distinct = _distinct(texts[name])
        results = [function(text) for text in distinct]
        converted = _table(results, None)[codes]
        problems = [i for i, result in enumerate(results) if isinstance(result, _Problem)]
        bad = np.flatnonzero(np.isin(codes, problems))
        report(errors, name, bad, lambda p: distinct[codes[p]], lambda p: converted[p].message)
        converted[bad] = None
        values[name] = converted

    # drugs first: rows of other drugs are skipped, and nothing else about them is reported
    if "drug" in texts:
        codes, distinct = _distinct(texts["drug"])
        kinds = [drug_form(text) for text in distinct]
        other = [i for i, kind in enumerate(kinds) if kind is None]
        counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
        not_cocaine = np.isin(codes, other)
        if not_cocaine.any():
            named = sorted(other, key=lambda i: (-counts[i], distinct[i]))
            shown = 2 * FIRST_ROWS
            listing = and_more(
                "; ".join(f"{distinct[i]} {i18n.integer(int(counts[i]))}" for i in named[:shown]),
                len(named),
                shown,
            )
            message = _(
                "{n} row(s) not cocaine skipped (other drugs, coca leaf, bush or seeds); rows "
                "per name: {names}; first rows {rows}"
            )
            skip(not_cocaine, "drug", lambda p: distinct[codes[p]], message, names=listing)
            if not_cocaine.all():
                errors.append(
                    RowError(
                        None,
                        label["drug"],
                        None,
                        _(
                            "the file has no cocaine row: this dashboard loads cocaine only "
                            "(hydrochloride, base/paste, crack, unspecified), and every row "
                            "names another drug: {names}"
                        ).format(names=listing),
                    )
                )
        blank_drug = codes < 0
        skip(
            blank_drug,
            "drug",
            lambda p: "",
            _("{n} row(s) with no drug named skipped: rows {rows}"),
        )
        values["drug"] = _table(kinds, None)[codes]
    elif table == "annual_seizures":
        values["drug"] = np.full(len(keep), "cocaine_unspecified", dtype=object)
        warnings.append(
            RowError(
                None,
                None,
                None,
                _(
                    "no drug column: every row was read as cocaine of unspecified form; add a "
                    "drug column if the file holds other drugs or several forms"
                ),
            )
        )

    # numbers (quantities converted to kg)
    for name in _NUMERIC[table]:
        if name not in texts:
            continue
        numbers = _numbers(texts[name], delimiter)
        text_at = texts[name].iat.__getitem__
        if len(numbers.ambiguous):
            if numbers.decimal_comma:
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
            example = repr(text_at(numbers.ambiguous[0]))
            message = message.format(n=len(numbers.ambiguous), example=example)
            report(warnings, name, numbers.ambiguous[:1], text_at, message)
        not_a_number = _not_a_number(numbers.decimal_comma)
        report(errors, name, numbers.unreadable, text_at, not_a_number)
        values[name] = numbers.values + 0.0  # -0 is 0
        if NUMERIC_COLUMNS[table].get(name) == "int":  # beyond exact whole numbers: no count
            huge = np.flatnonzero(np.abs(values[name]) >= 2.0**53)
            report(errors, name, huge, text_at, _("too large for this column: check the number"))
            values[name][huge] = np.nan
    if "quantity_kg" in values:
        _quantities(values, texts, mapping, label, rows, table, errors, warnings, report, skip)

    # coordinates, and the country they imply: beside what follows, in a thread (most of it is
    # shapely's and numpy's work, which lets go of the GIL), its problems put where they would
    # be in order; the points are checked against the country column once it is known, and
    # the country column (filled from points) is read after the thread
    places: Future[None] | None = None
    place_errors: list[RowError] = []
    place_warnings: list[RowError] = []
    country_known = threading.Event()
    if table == "seizures" and has_coordinates:

        def check_points() -> None:
            for name in ("latitude", "longitude"):
                values[name], problems = _coordinates(texts[name], name)
                positions = sorted(problems)
                report(
                    place_errors, name, positions, texts[name].iat.__getitem__, problems.__getitem__
                )
            country_known.wait()
            _check_places(values, texts, label, drop, rows, place_warnings)

        # the language and other context of this call go with it
        places = _BESIDE.submit(contextvars.copy_context().run, check_points)

    try:
        # countries: the seizing country must be known; a route country not known is left blank
        for name in _COUNTRY_COLUMNS:
            if name in COLUMNS[table] and name in texts:
                secondary = [h for h, f in mapping.secondary.items() if f == name]
                _countries(
                    name, secondary, raw, keep, values, texts, label, rows, drop, errors, warnings
                )
            if name == "country_iso3" and name in COLUMNS[table] and country is not None:
                given = values.setdefault(name, np.full(len(keep), None, dtype=object))
                blank = pd.isna(given)
                if name in texts:
                    blank &= texts[name].isna().to_numpy()  # not one emptied as unreadable
                given[blank] = country
            if name == "country_iso3":
                country_known.set()

        # dates (after the countries: the points' check waits for those)
        for name in DATE_COLUMNS[table]:
            if name in texts:
                values[name], date_errors, date_warnings = _date_column(
                    texts[name], rows, label.get(name, name)
                )
                errors += date_errors
                warnings += date_warnings
    finally:
        country_known.set()  # (a failure above: the thread must not wait for ever)

    for name in ("transit_iso3", "countries"):  # lists of countries
        if name not in COLUMNS[table] or name not in texts:
            continue
        codes, distinct = _distinct(texts[name])
        routes = [_route(text) for text in distinct]
        unknown_parts = np.isin(codes, [i for i, r in enumerate(routes) if r[1]])
        if name == "countries":  # an activity's countries: every one must be right
            for p in np.flatnonzero(unknown_parts):
                for part, message in routes[codes[p]][1]:
                    errors.append(RowError(int(rows[p]), label[name], part, message))
        elif (unknown_parts & ~drop).any():
            _blanked_warning(
                name, label, rows, unknown_parts & ~drop, texts[name].iat.__getitem__, warnings
            )
        # as canonical text ('PAN|DOM'): validate_table makes each row its own list
        values[name] = _table(["|".join(codes) for codes, __ in routes], None)[codes]

    # coded values (a conveyance not recognised is left blank: it is not a number to trust)
    for name, allowed in _CODED.items():
        if name in COLUMNS[table] and name in texts:
            not_coded = _Problem(_(_NOT_CODED[name]).format(values=", ".join(allowed)))
            if name == "conveyance":
                codes, distinct = _distinct(texts[name])
                found = [value_alias(name, text) for text in distinct]
                unknown_values = np.isin(codes, [i for i, f in enumerate(found) if f is None])
                unknown_values &= ~drop
                if unknown_values.any():
                    _blanked_warning(
                        name, label, rows, unknown_values, texts[name].iat.__getitem__, warnings
                    )
                values[name] = _table(found, None)[codes]
            else:
                convert(name, functools.partial(_coded, name, not_coded))
    at_errors, at_warnings = len(errors), len(warnings)  # where the places' problems go

    # duplicate ids within the file
    if id_column is not None and id_column in texts:
        ids = texts[id_column]
        keys = _id_keys(ids[ids.notna().to_numpy() & ~drop])
        repeated = keys[_repeated(keys)]
        for positions in repeated.groupby(repeated, sort=False).indices.values():
            group = repeated.index[positions].tolist()
            for p in group:
                others = ", ".join(str(rows[q]) for q in group if q != p)
                written = [ids.iat[q] for q in group if ids.iat[q] != ids.iat[p]]
                if written:  # the same id to the analyst, though typed differently
                    message = _(
                        "duplicate id: also on row(s) {rows}, written {other} there: ids are "
                        "compared ignoring case, spaces and invisible characters; give each row "
                        "its own id"
                    ).format(rows=others, other=repr(written[0]))
                else:
                    message = _("duplicate id: also on row(s) {rows}; give each row its own id")
                    message = message.format(rows=others)
                errors.append(RowError(int(rows[p]), label[id_column], ids.iat[p], message))
    repeated_rows: set[int] = set()
    if table == "annual_seizures":
        repeated_rows = _repeated_country_years(values, label, drop, rows, errors)

    # absurd quantities (warnings)
    if table == "seizures" and "quantity_kg" in values:
        quantities = values["quantity_kg"]
        for p in np.flatnonzero(~drop & (quantities > MAX_PLAUSIBLE_KG)).tolist():
            warnings.append(
                RowError(
                    int(rows[p]),
                    label.get("quantity_kg", "quantity_kg"),
                    f"{quantities[p]:g}",
                    _(
                        "{kg} kg in one seizure is above the plausibility bound of {limit} "
                        "kg: check the unit and the decimal separator"
                    ).format(
                        kg=i18n.decimal(float(quantities[p]), 0),
                        limit=i18n.decimal(MAX_PLAUSIBLE_KG, 0),
                    ),
                )
            )

    # the canonical frame (rows skipped left out)
    kept = np.flatnonzero(~drop)
    out_rows = rows[kept].tolist()
    taken = kept if drop.any() else None  # all rows: no copy
    columns = {
        c: _canonical(c, values, texts, taken, len(kept))
        for c in COLUMNS[table]
        if places is None or c not in _PLACE_COLUMNS
    }
    if places is not None:
        places.result()
        errors[at_errors:at_errors] = place_errors
        warnings[at_warnings:at_warnings] = place_warnings
    frame = pd.DataFrame(
        {
            c: columns[c] if c in columns else _canonical(c, values, texts, taken, len(kept))
            for c in COLUMNS[table]
        },
        copy=False,
    )
    source = frame["source"]
    frame["source"] = source.mask(source.isna() | source.eq(""), f"file {table_file.file_name}")
    for name in DATE_COLUMNS[table]:
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    if derive_ids and len(frame):
        frame[id_column] = _derived_ids(frame, id_column)
    dropped = set(rows[drop].tolist())  # rows skipped: not loaded, so nothing to fix there
    errors = [e for e in errors if e.row is None or e.row not in dropped]
    if not len(keep):
        errors.append(
            RowError(None, None, None, _("the file has no data rows: add rows below the header"))
        )
    elif not len(kept) and not errors and not malformed:
        errors.append(
            RowError(
                None,
                None,
                None,
                _("nothing left to load: every row was skipped, for the reasons in the warnings"),
            )
        )
    elif not missing and (check_schema or errors):
        frame, schema_errors = _schema_check(table, frame, out_rows, label)
        reported = {(e.row, e.column) for e in errors}
        errors += [
            e
            for e in schema_errors
            if (e.row, e.column) not in reported and e.row not in repeated_rows
        ]
    errors = [*errors, *malformed]
    errors.sort(key=_order)
    warnings = skipped + sorted(warnings, key=_order)
    return Normalised(frame, errors, warnings, table_file.first_data_row, mapping, out_rows)


def _blanked_warning(
    name: str,
    label: dict[str, str],
    rows: np.ndarray,
    mask: np.ndarray,
    text_at: Callable[[int], str],
    warnings: list[RowError],
) -> None:
    """One warning for the values of a column not recognised and left blank."""
    positions = np.flatnonzero(mask)
    shown = sorted({text_at(int(p)) for p in positions[:200]})[:FIRST_ROWS]
    warnings.append(
        RowError(
            int(rows[positions[0]]),
            label.get(name, name),
            text_at(int(positions[0])),
            _("{n} value(s) not recognised were left blank ({values}): rows {rows}").format(
                n=i18n.integer(len(positions)),
                values=", ".join(repr(v) for v in shown),
                rows=first_rows_text(rows[positions]),
            ),
        )
    )


def _quantities(
    values: dict[str, np.ndarray],
    texts: dict[str, pd.Series],
    mapping: HeaderMapping,
    label: dict[str, str],
    rows: np.ndarray,
    table: TableName,
    errors: list[RowError],
    warnings: list[RowError],
    report: Callable[..., None],
    skip: Callable[..., None],
) -> None:
    """Quantities to kg, row by row from a unit column or from the quantity's header. Rows with
    no amount to load (blank, zero for an event, counted in units, blank unit) are skipped."""
    length = len(values["quantity_kg"])
    header_unit = mapping.unit_from_header.get("quantity_kg")
    has_unit_column = UNIT_COLUMN in texts
    quantity_text = texts["quantity_kg"]
    text_at = quantity_text.iat.__getitem__
    blank_quantity = quantity_text.isna().to_numpy()
    units = texts.get(UNIT_COLUMN, pd.Series(np.nan, index=range(length), dtype="str"))
    if header_unit is not None:
        units = units.mask(units.isna(), header_unit)
    codes, distinct = _distinct(units)
    factors = [unit_factor(unit) for unit in distinct]
    counted = [is_count_unit(unit) for unit in distinct]
    liquid = [is_liquid_unit(unit) for unit in distinct]
    unit_at = (
        texts[UNIT_COLUMN].iat.__getitem__ if has_unit_column else (lambda p: header_unit or "")
    )
    skip(
        blank_quantity,
        "quantity_kg",
        lambda p: "",
        _("{n} row(s) with no quantity skipped: rows {rows}"),
    )
    skip(
        np.isin(codes, [i for i, c in enumerate(counted) if c]),
        UNIT_COLUMN,
        unit_at,
        _(
            "{n} row(s) counted in units, tablets or capsules skipped: a count cannot become "
            "kg; rows {rows}"
        ),
    )
    if has_unit_column:
        skip(
            codes < 0,
            UNIT_COLUMN,
            lambda p: "",
            _("{n} row(s) with no unit skipped: the quantity cannot be read as kg; rows {rows}"),
        )
    unknown = np.flatnonzero(
        np.isin(codes, [i for i, f in enumerate(factors) if f is None and not counted[i]])
        & ~blank_quantity
    )
    unknown_unit = _(
        "unknown unit: use kg, g, t, lb, l, ml or gallons (rows counted in units are skipped)"
    )
    where = label.get(UNIT_COLUMN, "quantity_kg")
    for p in unknown.tolist():
        errors.append(RowError(int(rows[p]), where, distinct[codes[p]], unknown_unit))
    factor = np.array([np.nan if f is None else f for f in factors] + [1.0])[codes]
    known = ~np.isnan(factor)
    kilograms = values["quantity_kg"]
    with np.errstate(over="ignore"):  # 1e306 t: infinite, refused below
        kilograms[known] *= factor[known]
    liquids = np.flatnonzero(np.isin(codes, [i for i, v in enumerate(liquid) if v]) & known)
    if len(liquids):
        warnings.append(
            RowError(
                int(rows[liquids[0]]),
                where,
                unit_at(int(liquids[0])),
                _(
                    "{n} quantity(ies) given as a volume were read at 1 kg per litre, as UNODC "
                    "does for liquids: rows {rows}"
                ).format(
                    n=i18n.integer(len(liquids)),
                    rows=first_rows_text(rows[liquids]),
                ),
            )
        )
    where_kg = np.flatnonzero(~np.isnan(kilograms))  # the rest: blank or unreadable
    impossible = where_kg[~(kilograms[where_kg] <= MAX_QUANTITY_KG)]
    message = _(
        "an impossible quantity: more than {limit} kg, more than all the cocaine made in the "
        "world in a year; check the unit and the decimal separator"
    ).format(limit=i18n.integer(MAX_QUANTITY_KG))
    report(errors, "quantity_kg", impossible, text_at, message)
    kilograms[impossible] = np.nan
    negative = where_kg[kilograms[where_kg] < 0]
    report(errors, "quantity_kg", negative, text_at, _("quantity cannot be negative"))
    if table == "seizures":  # an event of 0 kg seized nothing: not an event to count
        zero = np.zeros(length, dtype=bool)
        zero[where_kg[kilograms[where_kg] == 0]] = True
        skip(
            zero, "quantity_kg", text_at, _("{n} row(s) with a quantity of 0 skipped: rows {rows}")
        )


def _country_codes(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ISO3 or None, not a country, unknown) for each cell of a country column."""
    codes, distinct = _distinct(texts)
    found = [countries.resolve_country(t) for t in distinct]
    nowhere = [found[i] is None and countries.is_not_a_country(t) for i, t in enumerate(distinct)]
    iso3 = _table(found, None)[codes]
    not_a_country = _table(nowhere, False, bool)[codes]
    unknown = (codes >= 0) & pd.isna(iso3) & ~not_a_country
    return iso3, not_a_country, unknown


def _countries(
    name: str,
    secondary: list[str],
    raw: pd.DataFrame,
    keep: np.ndarray,
    values: dict[str, np.ndarray],
    texts: dict[str, pd.Series],
    label: dict[str, str],
    rows: np.ndarray,
    drop: np.ndarray,
    errors: list[RowError],
    warnings: list[RowError],
) -> None:
    """A country column to ISO3, checked against a second column naming the same country (a
    name and its code): the two must agree. The seizing country must be known; a route country
    that is not ('Unknown', a name no longer in use) is left blank, counted in one warning."""
    iso3, nowhere, unknown = _country_codes(texts[name])
    primary_text = texts[name]
    for header in secondary:
        other_text = raw[header].iloc[keep].reset_index(drop=True).astype("str")
        other = _country_codes(other_text)[0]
        # 'NA' as a code beside a name that is not Namibia: R's and pandas' missing value
        lower = primary_text.str.lower().isin(_MISSING_CODES).to_numpy()
        other_lower = other_text.str.lower().isin(_MISSING_CODES).to_numpy()
        missing_here = lower & pd.notna(other) & (other != "NAM")
        missing_there = other_lower & pd.notna(iso3) & (iso3 != "NAM")
        iso3 = iso3.copy()
        iso3[missing_here] = None
        unknown = unknown & ~missing_here
        both = pd.notna(iso3) & pd.notna(other) & ~missing_there
        disagree = np.flatnonzero(both & (iso3 != other))
        for p in disagree.tolist():
            errors.append(
                RowError(
                    int(rows[p]),
                    f"{label[name]} / {header}",
                    f"{primary_text.iat[p]} / {other_text.iat[p]}",
                    _(
                        "the columns {first} and {second} name different countries ({a} and "
                        "{b}): correct one of them"
                    ).format(first=label[name], second=header, a=iso3[p], b=other[p]),
                )
            )
        # where only the other column is known, it stands (a code beside an unknown name)
        fill = pd.isna(iso3) & pd.notna(other) & ~missing_there
        iso3[fill] = other[fill]
        unknown = unknown & ~fill
        nowhere = nowhere & ~fill
    if name == "country_iso3":
        for p in np.flatnonzero(unknown | nowhere).tolist():
            text = primary_text.iat[p]
            message = (
                _("not a country: the seizing country must be known; write its name or ISO3 code")
                if nowhere[p]
                else _country_message(text)
            )
            errors.append(RowError(int(rows[p]), label[name], text, message))
    elif ((unknown | nowhere) & ~drop).any():
        where = (unknown | nowhere) & ~drop
        _blanked_warning(name, label, rows, where, primary_text.iat.__getitem__, warnings)
    iso3 = iso3.copy()
    iso3[unknown | nowhere] = None
    values[name] = iso3


def _repeated_country_years(
    values: dict[str, np.ndarray],
    label: dict[str, str],
    drop: np.ndarray,
    rows: np.ndarray,
    errors: list[RowError],
) -> set[int]:
    """A country, year and drug on several rows of an annual table: refused, named (a table
    that lost its drug column cannot be told apart from a double count). Returns those rows."""
    if not {"country_iso3", "year", "drug"} <= values.keys():
        return set()
    frame = pd.DataFrame(
        {
            "country": values["country_iso3"],
            "year": values["year"],
            "drug": values["drug"],
            "row": rows,
        }
    )[~drop]
    frame = frame.dropna(subset=["country", "year", "drug"])
    repeated = frame[frame.duplicated(["country", "year", "drug"], keep=False)]
    for (iso3, year, drug), group in repeated.groupby(["country", "year", "drug"], sort=False):
        listed = group["row"].tolist()
        errors.append(
            RowError(
                int(listed[0]),
                label.get("country_iso3", "country_iso3"),
                f"{iso3} {int(year)}",
                _(
                    "{iso3} {year} ({drug}) is on several rows ({rows}): one row per country, "
                    "year and drug; add the rows up if they are parts, or add the drug column "
                    "if they are different forms"
                ).format(iso3=iso3, year=int(year), drug=drug, rows=", ".join(map(str, listed))),
            )
        )
    return set(repeated["row"].tolist())


@dataclass(frozen=True)
class _Problem:
    """Why a cell's text cannot be converted, and what to do about it."""

    message: str


def _coded(column: str, not_coded: _Problem, text: str) -> str | _Problem:
    return value_alias(column, text) or not_coded


def _canonical(
    column: str,
    values: dict[str, np.ndarray],
    texts: dict[str, pd.Series],
    kept: np.ndarray | None,
    length: int,
) -> pd.Series:
    """A canonical column over the rows kept (None: all `length` rows): converted, else as
    typed (TEXT, as validate_table returns it: still in arrow), else blank."""
    if column in values:
        data = values[column] if kept is None else values[column][kept]
    elif column in texts:
        typed = texts[column] if kept is None else texts[column].iloc[kept]
        return pd.Series(pd.array(_arrow(typed), dtype=TEXT), copy=False)
    else:
        data = np.full(length, None, dtype=object)
    return pd.Series(data, dtype=data.dtype, copy=False)


def _check_places(
    values: dict[str, np.ndarray],
    texts: dict[str, pd.Series],
    label: dict[str, str],
    drop: np.ndarray,
    rows: np.ndarray,
    warnings: list[RowError],
) -> None:
    """Warn about points far from their country; fill a country left blank from its point."""
    latitudes, longitudes = values["latitude"], values["longitude"]
    located = ~drop & ~np.isnan(latitudes) & ~np.isnan(longitudes)
    country = values.setdefault("country_iso3", np.full(len(rows), None, dtype=object))
    given = pd.notna(country)
    far = _(
        "the point {point} is {km} km from {country} ({iso3}), more than {limit} km: check the "
        "coordinates and the country (a seizure at sea can lie off the coast)"
    )
    kilometres: dict[int, str] = {}  # formatted once per whole km (ties: as Babel rounds them)
    positions = np.flatnonzero(located & given)
    codes, distinct = pd.factorize(country[positions])  # the codes of a few hundred countries
    # each country's rows in file order, at once (a stable sort of small integers: radix)
    by_code = np.argsort(codes.astype(np.int16), kind="stable")
    starts = np.searchsorted(codes[by_code], np.arange(len(distinct) + 1))
    for i, iso3 in enumerate(distinct):
        group = positions[by_code[starts[i] : starts[i + 1]]]
        km = _km_beyond_limit(latitudes[group], longitudes[group], iso3)
        far_away = km > MAX_KM_FROM_COUNTRY  # NaN: not measured, surely near
        name = countries.country_name(iso3)
        for row, lat, lon, distance in zip(
            rows[group[far_away]].tolist(),
            latitudes[group[far_away]].tolist(),
            longitudes[group[far_away]].tolist(),
            km[far_away].tolist(),
            strict=True,
        ):
            if distance % 1 == 0.5:
                shown = i18n.decimal(distance, 0)
            else:
                if round(distance) not in kilometres:
                    kilometres[round(distance)] = i18n.decimal(round(distance), 0)
                shown = kilometres[round(distance)]
            message = far.format(
                point=f"({lat:.4f}, {lon:.4f})",
                km=shown,
                country=name,
                iso3=iso3,
                limit=f"{MAX_KM_FROM_COUNTRY:g}",
            )
            warnings.append(RowError(row, label["latitude"], f"{lat}, {lon}", message))
    # a country cell left empty (not one emptied because it was unreadable): one warning
    left_blank = located & ~given
    if "country_iso3" in texts:
        left_blank &= texts["country_iso3"].isna().to_numpy()
    filled: list[int] = []
    by_country: dict[str, int] = {}
    for p in np.flatnonzero(left_blank).tolist():
        found = countries.country_at(float(latitudes[p]), float(longitudes[p]), MAX_KM_FROM_COUNTRY)
        if found is not None:
            country[p] = found
            filled.append(p)
            by_country[found] = by_country.get(found, 0) + 1
    if filled:
        counts = sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
        warnings.append(
            RowError(
                int(rows[filled[0]]),
                label.get("country_iso3", "country_iso3"),
                country[filled[0]],
                _(
                    "no country given on {n} row(s): filled in from the coordinates ({found}); "
                    "check them: rows {rows}"
                ).format(
                    n=i18n.integer(len(filled)),
                    found=", ".join(f"{iso3} {i18n.integer(n)}" for iso3, n in counts[:8]),
                    rows=first_rows_text(rows[filled]),
                ),
            )
        )


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
