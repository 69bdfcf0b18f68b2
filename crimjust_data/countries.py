"""Country reference: ISO codes, names in four languages, M49 regions, CRIMJUST flag, centroids.

Reads datasets/countries.csv and datasets/historical_countries.csv (both built by
datasets/build_countries.py) and, for geometry, the `countries` layer of
static/topojson/world_50m.json, the same file the maps draw.

Withdrawn codes (ISO 3166-3) come in two kinds: a state that still exists under another code
(Burma, BUR -> MMR; Zaire, ZAR -> COD) resolves to its current code; an entity that no longer
exists (Netherlands Antilles ANT, Serbia and Montenegro SCG, Soviet Union SUN, Yugoslavia YUG,
Czechoslovakia CSK, East Germany DDR, South Yemen YMD) keeps its own code, which is a row of the
reference table with `withdrawn` True: known to the store, with names and a region, but no shape on
the map. A code or name that two of them share (CS: Czechoslovakia until 1993, then Serbia and
Montenegro) resolves to none, and `suggest_countries` offers both.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import logging
import math
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crimjust_data import i18n, paths
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import _
from crimjust_data.vocabulary import region_label as region_label  # re-exported: used widely

if TYPE_CHECKING:
    import geopandas
    import shapely

# Their names: vocabulary.REGION_LABELS.
REGIONS = ("latin_america", "caribbean", "west_africa", "europe", "north_america", "other")
CRIMJUST_REGIONS = REGIONS[:3]

_COUNTRIES_CSV = paths.DATASETS_DIR / "countries.csv"
_HISTORICAL_CSV = paths.DATASETS_DIR / "historical_countries.csv"
_LANGUAGES = ("en", "es", "fr", "pt")
_log = logging.getLogger(__name__)
_EARTH_RADIUS_KM = 6371.0088

# Name keys: case, accents, punctuation and spacing are ignored; one leading article and a trailing
# ", The" (as in "Gambia, The") are dropped; a few abbreviations are spelled out, and 'Republic'
# and 'Democratic' are one word in the four languages, so that 'Rep. Dominicana' is 'República
# Dominicana' and 'Rép. dém. du Congo' is 'République démocratique du Congo'.
_TOKEN = re.compile(r"[^\W_]+|&")
_ARTICLES = frozenset({"the", "el", "la", "las", "los", "le", "les", "l", "o", "os", "a", "as"})
_ABBREVIATIONS = {
    "&": "and",
    "st": "saint",
    "ste": "sainte",
    **dict.fromkeys(("rep", "republic", "republica", "republique"), "republic"),
    **dict.fromkeys(("dem", "democratic", "democratica", "democratique"), "democratic"),
    **dict.fromkeys(("pop", "popular", "populaire"), "popular"),
    **dict.fromkeys(("fed", "federal"), "federal"),
}


def _plain(text: str) -> str:
    """Casefolded, without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(text: str) -> list[str]:
    """The words of a country name as matched (see _name_key)."""
    tokens = [_ABBREVIATIONS.get(token, token) for token in _TOKEN.findall(_plain(text))]
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[-1] == "the":
        tokens = tokens[:-1]
    return tokens


def _name_key(text: str) -> str:
    """The matching key of a country name: 'Côte d'Ivoire' and 'cote  D IVOIRE' give the same key."""
    return "".join(_tokens(text))


def _read(path: object) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)  # Namibia's ISO2 code is "NA"


@lru_cache(maxsize=1)
def _historical() -> pd.DataFrame:
    """historical_countries.csv: every withdrawn code kept, with `resolves_to` (itself for an
    entity that no longer exists, else the current code of the same state)."""
    return _read(_HISTORICAL_CSV)


@lru_cache(maxsize=1)
def _reference() -> pd.DataFrame:
    current = _read(_COUNTRIES_CSV).assign(withdrawn=False)
    former = _historical()
    entities = former[former["resolves_to"] == former["iso3"]].assign(
        crimjust_focus="false", withdrawn=True
    )
    frame = pd.concat([current, entities[current.columns]], ignore_index=True)
    frame["crimjust_focus"] = frame["crimjust_focus"].str.lower().eq("true")
    for column in ("latitude", "longitude"):
        frame[column] = pd.to_numeric(frame[column].mask(frame[column].eq(""))).astype(float)
    return frame


def reference() -> pd.DataFrame:
    """The country table, one row per ISO3 code known to the store (a fresh copy: change it freely).

    The 250 current countries and territories (ISO 3166-1 plus Kosovo, XKX), then the entities
    that no longer exist under their withdrawn codes (ANT, CSK, DDR, SCG, SUN, YMD, YUG), marked
    by the boolean column `withdrawn`: a list of countries to pick from today should leave those
    out. They have no shape on the map; DDR and YMD have no centroid either.
    """
    return _reference().copy()


@lru_cache(maxsize=1)
def known_iso3() -> frozenset[str]:
    """Every ISO3 code in the reference table: ISO 3166-1, Kosovo (XKX) and the withdrawn codes
    of entities that no longer exist (see reference())."""
    return frozenset(_reference()["iso3"])


@lru_cache(maxsize=1)
def withdrawn_iso3() -> frozenset[str]:
    """The withdrawn codes of entities that no longer exist (ANT, SCG, SUN...), a part of
    known_iso3()."""
    table = _reference()
    return frozenset(table.loc[table["withdrawn"], "iso3"])


def reference_digest() -> str:
    """SHA-256 over the files the reference table is read from: it changes when either does."""
    digest = hashlib.sha256()
    for path in (_COUNTRIES_CSV, _HISTORICAL_CSV):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_index() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """ISO3, ISO2 and three-digit M49 codes -> ISO3, current codes first, then withdrawn ones;
    and the withdrawn codes left out because they stood for two entities (CS, 891)."""
    table = _reference()[~_reference()["withdrawn"]]
    codes: dict[str, str] = {}
    for column in ("m49", "iso2", "iso3"):
        codes.update(
            (code, iso3) for code, iso3 in zip(table[column], table["iso3"], strict=True) if code
        )
    former: dict[str, set[str]] = {}
    for row in _historical().itertuples(index=False):
        for code in (row.iso3, row.iso2, row.m49, *row.other_codes.split("|")):
            if code and code not in codes:  # a current country keeps its own codes
                former.setdefault(code, set()).add(row.resolves_to)
    codes.update((code, next(iter(owners))) for code, owners in former.items() if len(owners) == 1)
    ambiguous = {code: frozenset(owners) for code, owners in former.items() if len(owners) > 1}
    return codes, ambiguous


def _codes() -> dict[str, str]:
    """ISO3, ISO2 and three-digit M49 codes, current and withdrawn -> ISO3."""
    return _code_index()[0]


@lru_cache(maxsize=1)
def _named() -> list[tuple[str, str]]:
    """(name, ISO3 it resolves to) over the display names and aliases of both files."""
    name_columns = [f"name_{lang}" for lang in _LANGUAGES]
    pairs: list[tuple[str, str]] = []
    current = _reference()[~_reference()["withdrawn"]].assign(resolves_to=lambda t: t["iso3"])
    for table in (current, _historical()):
        for row in table[["resolves_to", *name_columns, "aliases"]].itertuples(index=False):
            iso3, *names, aliases = row
            pairs += [(name, iso3) for name in [*names, *aliases.split("|")] if name]
    return pairs


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Name key -> ISO3 over names and aliases; and the ambiguous keys left out of it."""
    seen: dict[str, set[str]] = {}
    for name, iso3 in _named():
        key = _name_key(name)
        if key:
            seen.setdefault(key, set()).add(iso3)
    index = {key: next(iter(owners)) for key, owners in seen.items() if len(owners) == 1}
    ambiguous = {key: frozenset(owners) for key, owners in seen.items() if len(owners) > 1}
    for key, owners in ambiguous.items():
        _log.warning(
            "country name key %r is shared by %s: it resolves to none", key, sorted(owners)
        )
    return index, ambiguous


def _as_code(text: str) -> str | None:
    """The code form of `text` (digits zero-padded to three, letters upper-cased) if it looks
    like an ISO2, ISO3 or M49 code, else None."""
    if text.isdigit():
        return text.zfill(3) if len(text) <= 3 else None
    if len(text) in (2, 3) and text.isascii() and text.isalpha():
        return text.upper()
    return None


def resolve_country(text: object) -> str | None:
    """ISO3 for a code (ISO2, ISO3, M49 numeric) or a name in en/es/fr/pt; None if unknown.

    Names match ignoring case, accents, punctuation, spacing and a leading article. Former names
    and withdrawn codes resolve to the current code of the same state ('Burma', 'BUR' -> MMR),
    or to the withdrawn code of an entity that no longer exists ('USSR' -> SUN). A code or name
    that two countries share ('CS') never resolves, nor does a word for 'no country' such as
    'Unknown' (see is_not_a_country); 'NA' is Namibia.
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
    code = _as_code(stripped)
    if code is not None:
        found = _codes().get(code)
        if found or stripped.isdigit():
            return found
    if is_not_a_country(stripped):
        return None
    return _name_index()[0].get(_name_key(stripped))


# Words too common in country names to say which country a misspelt name meant.
_GENERIC_WORDS = frozenset(
    {
        *_ARTICLES, "of", "and", "de", "del", "des", "du", "da", "do", "das", "dos", "d", "y",
        "et", "e", "en", "republic", "democratic", "people", "peoples", "popular", "populaire",
        "state", "states", "estado", "estados", "etat", "etats", "plurinational", "plurinacional",
        "united", "unidos", "unidas", "unis", "kingdom", "reino", "royaume", "federal",
        "federation", "federacion", "federacao", "federative", "federativa", "islamic",
        "islamica", "islamique", "arab", "arabe", "socialist", "socialista", "socialiste",
        "island", "islands", "isla", "islas", "ile", "iles", "ilha", "ilhas", "saint", "sainte",
        "san", "santa", "sao", "north", "south", "east", "west", "norte", "sur", "sul", "nord",
        "sud", "est", "oeste", "ouest", "northern", "southern", "oriental", "occidental",
        "central", "new", "nueva", "nouvelle", "nova", "territory", "territories", "territorio",
        "territoire", "sar", "rae", "ras", "special", "administrative", "region", "union",
        "unida", "unido", "uni", "unie", "former", "ex", "antiga", "ancienne",
    }
)  # fmt: skip


def _core(tokens: list[str]) -> str:
    """The significant words of a name, joined: what tells one country from another
    ('Islamic Republic of Pakistan' -> 'pakistan')."""
    return "".join(t for t in tokens if t not in _GENERIC_WORDS)


@lru_cache(maxsize=1)
def _word_index() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    """Significant word -> the name keys holding it; name key -> the ISO3 codes it names;
    name key -> its significant words joined (see _core)."""
    words: dict[str, set[str]] = {}
    keys: dict[str, set[str]] = {}
    cores: dict[str, str] = {}
    for name, iso3 in _named():
        tokens = _tokens(name)
        key = "".join(tokens)
        if not key:
            continue
        keys.setdefault(key, set()).add(iso3)
        cores[key] = _core(tokens) or key
        for token in tokens:
            if token not in _GENERIC_WORDS:
                words.setdefault(token, set()).add(key)
    return words, keys, cores


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


@lru_cache(maxsize=4096)
def _suggestions(text: str) -> tuple[str, ...]:
    """Every ISO3 worth suggesting for `text`, best first (see suggest_countries)."""
    tokens = _tokens(text)
    key = "".join(tokens)
    if not key or is_not_a_country(text):
        return ()
    found = resolve_country(text)
    if found:
        return (found,)
    code = _as_code(text.strip())
    exact = sorted(_code_index()[1].get(code or "", ()))  # CS: both entities it stood for
    exact += sorted(_name_index()[1].get(key, ()))
    significant = [t for t in tokens if t not in _GENERIC_WORDS and len(t) >= 2]
    if not significant:  # 'Republic of', 'Islands': nothing to go by
        return tuple(dict.fromkeys(exact))
    # Candidates share a significant word with the text: spelt alike (a letter or two apart; a
    # word under four letters exactly) or abbreviated ('Domin.', four letters at least); or
    # their significant words are spelt nearly alike ('Unted Kingdom'). They are scored on
    # those words, which must be alike, and on the whole name, so that 'Republic', 'Islamic'
    # or 'of' shared with the text never makes a country look close: 'Rep. Dominicana' never
    # offers India, 'Rep. Islámica del Irán' not Pakistan, 'USSR' not the United States.
    # Those well behind the best are dropped.
    words, keys, cores = _word_index()
    core = _core(tokens)
    shared: set[str] = set()
    for token in significant:
        alike = difflib.get_close_matches(token, list(words), n=10, cutoff=0.8)
        if len(token) < 4:
            alike = [w for w in alike if w == token]
        else:
            alike += [w for w in words if len(w) > len(token) and w.startswith(token)]
        for word in alike:
            shared |= words[word]
    if len(core) >= 5:
        by_core: dict[str, list[str]] = {}
        for candidate, candidate_core in cores.items():
            by_core.setdefault(candidate_core, []).append(candidate)
        for alike_core in difflib.get_close_matches(core, list(by_core), n=10, cutoff=0.85):
            shared.update(by_core[alike_core])
    if len(key) >= 6:  # 'Unted Kingdom': no significant word of its own to go by
        shared.update(difflib.get_close_matches(key, list(keys), n=10, cutoff=0.85))
    scores: dict[str, float] = {}
    for candidate in shared:
        core_likeness = _likeness(core, cores[candidate])
        if core_likeness < 0.5:
            continue
        score = (core_likeness + _likeness(key, candidate)) / 2
        for iso3 in keys[candidate]:
            scores[iso3] = max(score, scores.get(iso3, 0.0))
    best = max(scores.values(), default=0.0)
    ranked = sorted(
        (iso3 for iso3, score in scores.items() if score >= best - 0.1),
        key=lambda iso3: (-scores[iso3], iso3),
    )
    return tuple(dict.fromkeys([*exact, *ranked]))


def suggest_countries(text: str, limit: int = 3) -> list[str]:
    """ISO3 codes of the names closest to `text`, best first, for 'did you mean' messages.

    A text that resolves offers its country alone. Otherwise only names that share a significant
    word with `text` (not 'Republic', 'Islands', 'Saint'...) spelt alike, or whose whole name is
    spelt nearly alike, are offered: a short or unrelated text gets none ('USSR' never offered the
    United States). An ambiguous code or name offers every country it stands for first ('CS':
    Czechoslovakia and Serbia and Montenegro); a word for 'no country' offers none.
    """
    if limit <= 0:
        return []
    return list(_suggestions(str(text))[:limit])


# Words for 'no specific country' (compared without case, accents or punctuation). 'NA' is not one:
# it is Namibia's code; 'N/A' and 'N.A.' are.
_NOT_A_COUNTRY = frozenset(
    {
        # English
        "unknown", "unknown country", "country unknown", "not known", "unk", "n a", "n d",
        "not applicable", "not available", "unspecified", "not specified", "not stated",
        "not reported", "undetermined", "none", "no data", "other", "others", "other country",
        "other countries", "various", "various countries", "multiple", "multiple countries",
        "several", "several countries", "many countries", "national territory", "domestic waters",
        "international waters", "high seas", "at sea", "on the high seas", "in transit",
        "rest of the world", "worldwide",
        # Spanish
        "desconocido", "desconocida", "pais desconocido", "no se sabe", "no consta", "no aplica",
        "no disponible", "no especificado", "no especificada", "sin especificar", "sin dato",
        "sin datos", "sin informacion", "s d", "s i", "no informado", "indeterminado",
        "ninguno", "otro", "otros", "otra", "otras", "otro pais", "otros paises", "varios",
        "varias", "varios paises", "diversos paises", "multiples paises", "territorio nacional",
        "aguas internacionales", "alta mar", "en alta mar", "en el mar", "resto del mundo",
        # French
        "inconnu", "inconnue", "pays inconnu", "non connu", "non renseigne", "non specifie",
        "non specifiee", "non precise", "non disponible", "non applicable", "sans objet",
        "indetermine", "aucun", "autre", "autres", "autre pays", "autres pays", "divers",
        "divers pays", "plusieurs", "plusieurs pays", "territoire national",
        "eaux internationales", "haute mer", "en haute mer", "en mer", "reste du monde",
        # Portuguese ('vários países', 'território nacional': as in Spanish once accents go)
        "desconhecido", "desconhecida", "pais desconhecido", "nao se sabe", "nao especificado",
        "nao especificada", "sem especificacao", "nao informado", "nao consta", "nao se aplica",
        "nao disponivel", "sem informacao", "sem dados", "ignorado", "ignorada", "nenhum",
        "outro", "outros", "outra", "outras", "outro pais", "outros paises",
        "diversos", "multiplos paises", "aguas internacionais",
        "alto mar", "em alto mar", "no mar", "resto do mundo",
    }
)  # fmt: skip
_PARTS = re.compile(r"\s*[/;,|+]\s*|\s+(?:or|o|ou|and|y|et|e)\s+")


def _phrase(text: str) -> str:
    """Words only: casefolded, no accents, punctuation as spaces ('N/A' -> 'n a')."""
    return " ".join(re.findall(r"[^\W_]+", _plain(text)))


def is_not_a_country(text: object) -> bool:
    """Whether `text` is a word for 'no specific country' in en/es/fr/pt: 'Unknown', 'Other',
    'Multiple countries', 'National territory', 'International waters', 'desconocido', 'varios
    países', 'inconnu', 'plusieurs pays', 'desconhecido', 'território nacional', 'N/A', '-', '?'...
    (case, accents and punctuation ignored; also 'Unknown / Other'). Blank text is not such a
    word (it is missing), nor is 'NA' (Namibia's code)."""
    if not isinstance(text, str) or not text.strip():
        return False
    stripped = text.strip()
    if not _phrase(stripped):
        return True  # '-', '?', '...', '--': a placeholder written for no country
    if _phrase(stripped) in _NOT_A_COUNTRY:
        return True
    parts = [_phrase(part) for part in _PARTS.split(_plain(stripped))]
    parts = [part for part in parts if part]
    return len(parts) > 1 and all(part in _NOT_A_COUNTRY for part in parts)


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


class MapTopologyMissingError(CrimjustError):
    """The world map topology the maps and the coordinate checks draw on is not there."""


def world_topology_problem() -> str | None:
    """Why the map topology (static/topojson/world_50m.json) cannot be used, or None.

    Without it plotly draws empty maps and says nothing, so the app and the snapshots say it.
    """
    try:
        with paths.WORLD_50M.open("rb") as topology:
            if topology.read(1):
                return None
    except OSError:
        pass
    return _(
        "The world map file static/topojson/world_50m.json is missing or unreadable, so maps "
        "cannot be drawn. Restore it from the project's repository (git checkout -- "
        "static/topojson) or reinstall the app."
    )


def require_world_topology() -> None:
    """Raise MapTopologyMissingError (saying how to restore it) if the topology is missing."""
    problem = world_topology_problem()
    if problem:
        raise MapTopologyMissingError(problem)


def land_from_topology() -> tuple[np.ndarray, np.ndarray]:
    """(ids, geometries) of the `countries` layer of world_50m.json, made valid (_repair): what
    datasets/country_land.npz holds. Slow (GDAL, geopandas): land() reads the saved copy."""
    import geopandas

    require_world_topology()
    layer = geopandas.read_file(paths.WORLD_50M, layer="countries")
    repaired = np.empty(len(layer), dtype=object)
    repaired[:] = [_repair(g) for g in layer.geometry]
    return layer["id"].to_numpy(dtype=str), repaired


def write_land() -> None:
    """datasets/country_land.npz from static/topojson/world_50m.json."""
    import shapely

    ids, geometries = land_from_topology()
    blobs = shapely.to_wkb(geometries)
    offsets = np.cumsum([0, *map(len, blobs)])
    data = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    np.savez_compressed(paths.COUNTRY_LAND, iso3=ids, offsets=offsets, wkb=data)


@lru_cache(maxsize=1)
def land() -> tuple[np.ndarray, np.ndarray]:
    """(ids, geometries) of the 258 features of the map's countries layer, as land_from_topology
    makes them, read from their saved WKB (a file's coordinate check needs them at once: this
    takes milliseconds, where reading the topology takes half a second of the import)."""
    import shapely

    require_world_topology()  # the same file behind them: missing, it is said the same way
    with np.load(paths.COUNTRY_LAND) as saved:
        data, offsets = saved["wkb"].tobytes(), saved["offsets"].tolist()
        blobs = [data[a:b] for a, b in itertools.pairwise(offsets)]
        return saved["iso3"], shapely.from_wkb(blobs)


@lru_cache(maxsize=1)
def _geometry() -> geopandas.GeoDataFrame:
    import geopandas

    ids, geometries = land()
    return geopandas.GeoDataFrame({"iso3": ids}, geometry=list(geometries), crs="EPSG:4326")


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

    ids, geometries = land()
    known = np.isin(ids, sorted(known_iso3()))
    return shapely.STRtree(geometries[known]), geometries[known], ids[known]


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
