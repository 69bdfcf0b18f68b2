"""Country reference: ISO codes, names in four languages, M49 regions, CRIMJUST flag, centroids.

Reads only datasets/countries.csv (built by datasets/build_countries.py) and, for geometry, the
`countries` layer of static/topojson/world_50m.json, the same file the maps draw.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crimjust_data import i18n, paths
from crimjust_data.i18n import N_, _

if TYPE_CHECKING:
    import geopandas
    import shapely

REGIONS = ("latin_america", "caribbean", "west_africa", "europe", "north_america", "other")
CRIMJUST_REGIONS = REGIONS[:3]
REGION_LABELS_EN = {
    "latin_america": N_("Latin America"),
    "caribbean": N_("Caribbean"),
    "west_africa": N_("West Africa"),
    "europe": N_("Europe"),
    "north_america": N_("North America"),
    "other": N_("Other"),
}


def region_label(code: str) -> str:
    """A region's name in the current language (the code itself if it is not a region)."""
    return _(REGION_LABELS_EN[code]) if code in REGION_LABELS_EN else str(code)


_COUNTRIES_CSV = paths.DATASETS_DIR / "countries.csv"
_LANGUAGES = ("en", "es", "fr", "pt")
_log = logging.getLogger(__name__)
_EARTH_RADIUS_KM = 6371.0088

# Name keys: case, accents, punctuation and spacing are ignored; one leading article and a trailing
# ", The" (as in "Gambia, The") are dropped; a few abbreviations are spelled out.
_TOKEN = re.compile(r"[^\W_]+|&")
_ARTICLES = frozenset({"the", "el", "la", "las", "los", "le", "les", "l", "o", "os", "a", "as"})
_ABBREVIATIONS = {
    "&": "and",
    "st": "saint",
    "ste": "sainte",
    "rep": "republic",
    "dem": "democratic",
}


def _name_key(text: str) -> str:
    """The matching key of a country name: 'Côte d'Ivoire' and 'cote  D IVOIRE' give the same key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    tokens = [_ABBREVIATIONS.get(token, token) for token in _TOKEN.findall(plain)]
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[-1] == "the":
        tokens = tokens[:-1]
    return "".join(tokens)


@lru_cache(maxsize=1)
def _reference() -> pd.DataFrame:
    frame = pd.read_csv(
        _COUNTRIES_CSV,
        dtype=str,
        keep_default_na=False,  # Namibia's ISO2 code is "NA"
    )
    frame["crimjust_focus"] = frame["crimjust_focus"].str.lower().eq("true")
    for column in ("latitude", "longitude"):
        frame[column] = pd.to_numeric(frame[column].mask(frame[column].eq(""))).astype(float)
    return frame


def reference() -> pd.DataFrame:
    """The country table, one row per ISO3 (a fresh copy: change it freely)."""
    return _reference().copy()


@lru_cache(maxsize=1)
def known_iso3() -> frozenset[str]:
    """Every ISO3 code in the reference table (ISO 3166-1 plus Kosovo, XKX)."""
    return frozenset(_reference()["iso3"])


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """ISO3, ISO2 and three-digit M49 codes -> ISO3."""
    table = _reference()
    codes: dict[str, str] = {}
    for column in ("m49", "iso2", "iso3"):
        codes.update(
            (code, iso3) for code, iso3 in zip(table[column], table["iso3"], strict=True) if code
        )
    return codes


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Name key -> ISO3 over names and aliases; and the ambiguous keys left out of it."""
    table = _reference()
    seen: dict[str, set[str]] = {}
    name_columns = [f"name_{lang}" for lang in _LANGUAGES]
    for row in table[["iso3", *name_columns, "aliases"]].itertuples(index=False):
        iso3, *names, aliases = row
        for name in [*names, *aliases.split("|")]:
            key = _name_key(name) if name else ""
            if key:
                seen.setdefault(key, set()).add(iso3)
    index = {key: next(iter(owners)) for key, owners in seen.items() if len(owners) == 1}
    ambiguous = {key: frozenset(owners) for key, owners in seen.items() if len(owners) > 1}
    for key, owners in ambiguous.items():
        _log.warning(
            "country name key %r is shared by %s: it resolves to none", key, sorted(owners)
        )
    return index, ambiguous


def resolve_country(text: object) -> str | None:
    """ISO3 for a code (ISO2, ISO3, M49 numeric) or a name in en/es/fr/pt; None if unknown.

    Names match ignoring case, accents, punctuation, spacing and a leading article. A name that
    two countries share (none in the shipped table) never resolves.
    """
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, np.integer)):
        return _codes().get(f"{int(text):03d}")
    if isinstance(text, (float, np.floating)):
        return _codes().get(f"{int(text):03d}") if float(text).is_integer() else None
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.isdigit():
        return _codes().get(stripped.zfill(3)) if len(stripped) <= 3 else None
    if len(stripped) in (2, 3) and stripped.isascii() and stripped.isalpha():
        found = _codes().get(stripped.upper())
        if found:
            return found
    return _name_index()[0].get(_name_key(stripped))


def suggest_countries(text: str, limit: int = 3) -> list[str]:
    """ISO3 codes of the names closest to `text`, best first, for 'did you mean' messages."""
    index = _name_index()[0]
    key = _name_key(str(text))
    if not key or limit <= 0:
        return []
    suggestions: list[str] = []
    for match in difflib.get_close_matches(key, index.keys(), n=limit * 8, cutoff=0.6):
        if index[match] not in suggestions:
            suggestions.append(index[match])
        if len(suggestions) == limit:
            break
    return suggestions


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, str]]:
    table = _reference()
    return {
        lang: dict(zip(table["iso3"], table[f"name_{lang}"], strict=True)) for lang in _LANGUAGES
    }


def country_name(iso3: str, lang: str | None = None) -> str:
    """The display name of `iso3` in `lang` ('es', 'fr', 'pt', or 'pt_BR'-style; default: the
    current interface language), else English, else the code itself."""
    names = _names()
    code = str(iso3).strip().upper()
    wanted = str(lang or i18n.current()).replace("-", "_").split("_")[0].lower()
    return names.get(wanted, {}).get(code) or names["en"].get(code) or str(iso3)


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    table = _reference()
    return dict(zip(table["iso3"], table["region"], strict=True))


def region_of(iso3: str) -> str:
    """The dashboard region of `iso3` (one of REGIONS); 'other' for an unknown code."""
    return _regions().get(str(iso3).strip().upper(), "other")


def _unwrap_ring(ring: np.ndarray) -> np.ndarray:
    """Ring coordinates made continuous in longitude (no ±360° jumps); a ring that goes round a
    pole (Antarctica) is closed along that pole."""
    dx = np.diff(ring[:, 0])
    steps = np.where(dx > 180, -360.0, np.where(dx < -180, 360.0, 0.0))
    x = ring[:, 0] + np.concatenate([[0.0], np.cumsum(steps)])
    xy = np.column_stack([x, ring[:, 1]])
    if abs(x[-1] - x[0]) > 1e-9:
        pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
        xy = np.vstack([xy, [[x[-1], pole], [x[0], pole]], xy[:1]])
    return xy


def _repair(geom: shapely.Geometry) -> shapely.Geometry:
    """A valid (multi)polygon in lon/lat: polygons stored across the 180° meridian (Russia, Fiji,
    Antarctica in this topology) are cut there, then anything else invalid is made valid."""
    import shapely

    parts: list[shapely.Geometry] = []
    world = shapely.box(-180.0, -90.0, 180.0, 90.0)
    for polygon in shapely.get_parts(geom):
        rings = [np.asarray(r.coords) for r in (polygon.exterior, *polygon.interiors)]
        if not any((np.abs(np.diff(r[:, 0])) > 180).any() for r in rings):
            parts.append(polygon)
            continue
        outer = _unwrap_ring(rings[0])
        holes = []
        for ring in map(_unwrap_ring, rings[1:]):  # keep holes in the shell's longitude range
            ring[:, 0] += 360.0 * round((outer[:, 0].mean() - ring[:, 0].mean()) / 360.0)
            holes.append(ring)
        unwrapped = shapely.make_valid(shapely.Polygon(outer, holes))
        for offset in (-360.0, 0.0, 360.0):
            moved = shapely.transform(unwrapped, lambda xy, dx=offset: xy + np.array([dx, 0.0]))
            parts.extend(shapely.get_parts(shapely.intersection(moved, world)))
    polygons = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.make_valid(shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0])


@lru_cache(maxsize=1)
def _geometry() -> geopandas.GeoDataFrame:
    import geopandas

    layer = geopandas.read_file(paths.WORLD_50M, layer="countries")
    layer = layer.rename(columns={"id": "iso3"})[["iso3", "geometry"]]
    layer["geometry"] = [_repair(g) for g in layer.geometry]
    return layer.set_crs("EPSG:4326", allow_override=True)


def geometry() -> geopandas.GeoDataFrame:
    """The `countries` layer of world_50m.json: 258 features, columns iso3 and geometry (WGS84).

    A country can have several features (ESP, PRT, ECU...); a few ids are not ISO3 but disputed
    areas (XJK, XAC, XAP, XBT, XHT, XIT). Geometries are made valid in plain lon/lat (cut at the
    180° meridian), ready for contains/distance checks. Returns a copy.
    """
    return _geometry().copy()


@lru_cache(maxsize=1)
def _lookup() -> tuple[shapely.STRtree, np.ndarray, np.ndarray]:
    """Valid geometries of the features that are reference countries, and a spatial index."""
    import shapely

    layer = _geometry()
    layer = layer[layer["iso3"].isin(known_iso3())]
    geoms = layer.geometry.to_numpy()
    return shapely.STRtree(geoms), geoms, layer["iso3"].to_numpy()


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def country_at(latitude: float, longitude: float, max_km: float = 0.0) -> str | None:
    """ISO3 of the country whose polygon holds the point; else, if max_km > 0, the nearest country
    within max_km (great-circle distance to its coast); else None. Disputed areas count as none.
    """
    import shapely

    if not (math.isfinite(latitude) and math.isfinite(longitude)) or abs(latitude) > 90:
        return None
    longitude = (longitude + 180.0) % 360.0 - 180.0
    tree, geoms, ids = _lookup()
    point = shapely.Point(longitude, latitude)
    inside = tree.query(point, predicate="intersects")
    if inside.size:
        return str(ids[min(inside)])
    if max_km <= 0:
        return None
    # Candidates: features whose bounding box meets a lat/lon box holding the max_km circle.
    dlat = math.degrees(max_km / _EARTH_RADIUS_KM)
    coslat = math.cos(math.radians(min(89.0, abs(latitude) + dlat)))
    dlon = min(180.0, dlat / max(coslat, 1e-6))
    boxes = [shapely.box(longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat)]
    if longitude - dlon < -180:
        boxes.append(shapely.box(longitude - dlon + 360, latitude - dlat, 180, latitude + dlat))
    if longitude + dlon > 180:
        boxes.append(shapely.box(-180, latitude - dlat, longitude + dlon - 360, latitude + dlat))
    candidates = np.unique(np.concatenate([tree.query(b) for b in boxes]))
    # Nearest point found in a local equirectangular frame around the point, distance by haversine.
    scale = math.cos(math.radians(latitude))

    def to_local(coords: np.ndarray) -> np.ndarray:
        dx = (coords[:, 0] - longitude + 180.0) % 360.0 - 180.0
        return np.column_stack([dx * scale, coords[:, 1] - latitude])

    origin = shapely.Point(0.0, 0.0)
    best: tuple[float, str] | None = None
    for i in candidates:
        local = shapely.transform(geoms[i], to_local)
        nearest = shapely.shortest_line(origin, local)
        x, y = shapely.get_coordinates(nearest)[1]
        km = _haversine_km(latitude, longitude, latitude + y, longitude + x / max(scale, 1e-6))
        if km <= max_km and (best is None or km < best[0]):
            best = (km, str(ids[i]))
    return best[1] if best else None
