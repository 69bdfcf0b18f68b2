"""Regenerate datasets/countries.csv and historical_countries.csv (see countries.SOURCE.md).

    python datasets/build_countries.py [--unodc PATH]

Sources: pycountry (ISO 3166-1 codes, names, gettext translations; ISO 3166-3 withdrawn codes),
Babel (CLDR names in en, es, fr, pt), datasets/m49.csv (UNSD M49 regions),
static/topojson/world_50m.json (centroids), a dataUNODC 'Drug seizures' export, read here only
to harvest UNODC's country names as aliases, and the curated lists below. The output is sorted
and deterministic: running it twice gives the same files.
"""

from __future__ import annotations

import argparse
import gettext
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crimjust_data import paths
from crimjust_data.countries import _name_key, geometry

M49_CSV = paths.DATASETS_DIR / "m49.csv"
OUT_CSV = paths.DATASETS_DIR / "countries.csv"
UNODC_XLSX = (
    paths.PROJECT_ROOT.parent / "shared" / "data" / "unodc" / "drug_seizures_2018_2022.xlsx"
)
LANGUAGES = ("en", "es", "fr", "pt")
# Extra CLDR locales whose names become aliases: European Portuguese is what Cabo Verde and
# Guinea-Bissau write ('pt' in CLDR is Brazilian).
ALIAS_LOCALES = ("pt_PT",)

# UNODC, CRIMJUST 'Countries' page (https://www.unodc.org/unodc/en/drug-trafficking/crimjust/
# countries.html), as stored 2026-11-28: the Africa list, then Latin America and the Caribbean.
CRIMJUST_COUNTRIES = {
    # Cabo-Verde, Ghana, Guinea-Bissau, Nigeria, Senegal, Benin, Togo, The Gambia,
    # Cote d'Ivoire, Morocco, South Africa, Mozambique
    "CPV", "GHA", "GNB", "NGA", "SEN", "BEN", "TGO", "GMB", "CIV", "MAR", "ZAF", "MOZ",
    # Dominican Republic, Panama, Argentina, Brazil, Bolivia, Colombia, Ecuador, Mexico, Peru,
    # Paraguay, Uruguay, Honduras, Guatemala, Costa Rica, El Salvador
    "DOM", "PAN", "ARG", "BRA", "BOL", "COL", "ECU", "MEX", "PER", "PRY", "URY", "HND", "GTM",
    "CRI", "SLV",
}  # fmt: skip

# Common names in use that none of the sources above carries (each adds a new matching key; the
# issue's Ivory Coast / Cape Verde / Cap-Vert / República Dominicana... come from CLDR/pycountry).
EXONYMS = {
    "CIV": ["Ivory Coast"],
    "NLD": ["Holland", "Holanda", "Hollande", "Netherlands (Kingdom of the)"],
    "GBR": ["Great Britain", "Gran Bretaña", "Grande-Bretagne", "Grã-Bretanha", "UK"],
    "USA": ["USA", "U.S.", "EEUU", "EUA"],
    "TUR": ["Turkey"],
    "CZE": ["Czech Republic", "République tchèque", "República Checa", "República Tcheca"],
    "SWZ": ["Swaziland"],
    "MMR": ["Burma"],
    "TLS": ["East Timor"],
    "COD": ["Democratic Republic of the Congo", "DRC", "DR Congo", "RDC"],
    "GIN": ["Guinea-Conakry", "Guinée-Conakry"],
    "GUF": ["Guyane"],
    "SHN": ["Saint Helena"],
    "VIR": ["United States Virgin Islands"],
    "COG": ["Republic of the Congo"],
    "ARE": ["UAE", "EAU"],
    "VAT": ["Vatican"],
    "XKX": [
        "Kosovo under UNSCR 1244",
        "Kosova",
        "Kosovo (UNSCR 1244)",
        "Kosovo under UNSC res. 1244",
    ],
    # Names of UN and UNODC documents, current and former ('Libyan Arab Jamahiriya' until 2011,
    # 'The former Yugoslav Republic of Macedonia' until 2019), in the four languages.
    "LBY": [
        "Libyan Arab Jamahiriya",
        "Jamahiriya Árabe Libia",
        "Jamahiriya arabe libyenne",
        "Jamahiriya Árabe Líbia",
    ],
    "MKD": [
        "Macedonia",
        "FYROM",
        "The former Yugoslav Republic of Macedonia",
        "Macedonia, FYR",
        "FYR Macedonia",
        "TFYR Macedonia",
        "Ex-Yugoslav Republic of Macedonia",
        "ex República Yugoslava de Macedonia",
        "ex-République yougoslave de Macédoine",
        "antiga República Jugoslava da Macedónia",
        "antiga República Iugoslava da Macedônia",
    ],
    "KOR": [
        "Korea (Republic of)",
        "República de Corea",
        "République de Corée",
        "República da Coreia",
    ],
    "PRK": ["Korea (Democratic People's Republic of)"],
    "RUS": ["Federación de Rusia", "Fédération de Russie", "Federação Russa"],
    "SYR": ["République arabe syrienne", "República Árabe Síria", "República Árabe da Síria"],
    "IRN": [
        "Irán (República Islámica del)",
        "Irão (República Islâmica do)",
        "Irã (República Islâmica do)",
    ],
    "TWN": ["China, Taiwan Province of"],
    "PSE": [
        "Occupied Palestinian Territory",
        "Territorio Palestino Ocupado",
        "Territoire palestinien occupé",
        "Território Palestino Ocupado",
    ],
    "BIH": ["Bosnia-Herzegovina"],
    "KNA": ["Saint-Kitts-et-Nevis"],
    "DOM": ["Rep. Dom."],
    # The Federal Republic's code (DE, DEU) is Germany's since 1990.
    "DEU": [
        "West Germany",
        "Germany, West",
        "Alemania Occidental",
        "Allemagne de l'Ouest",
        "Alemanha Ocidental",
        "FRG",
        "RFA",
    ],
}
EXONYMS["COD"] += ["República Democrática do Congo"]


def sar_names(*places: str) -> list[str]:
    """The ways UN, UNODC and national files write a special administrative region of China:
    'Macau, SAR of China', 'Macao SAR', 'China, Macao SAR', 'RAE de Macao'..."""
    names = []
    for place in places:
        names += [
            f"{place} SAR",
            f"{place}, SAR of China",
            f"{place} SAR of China",
            f"{place} Special Administrative Region",
            f"China, {place} Special Administrative Region",
            f"{place}, RAE de China",
            f"RAE de {place}",
            f"China, Región Administrativa Especial de {place}",
            f"{place}, RAS de Chine",
            f"RAS de {place}",
            f"Chine, région administrative spéciale de {place}",
            f"{place}, RAE da China",
            f"Região Administrativa Especial de {place}",
        ]
    return names


EXONYMS["HKG"] = sar_names("Hong Kong")
EXONYMS["MAC"] = sar_names("Macao", "Macau")

# Withdrawn ISO 3166-1 codes (ISO 3166-3, via pycountry.historic_countries) that data still
# carries. Two kinds (see countries.SOURCE.md):
# - ENTITIES: states and dependencies dissolved or merged since 1990, which no current code stands
#   for. They keep their withdrawn code, known to the store. `capital_in` is the current country
#   holding their last capital, whose M49 region they take; `territory` the current countries that
#   cover exactly their territory, whose largest polygon gives their centroid (none for the East
#   German and South Yemeni states, each a part of one current country).
# - RENAMED: codes and names of a state that still exists under another code; they resolve to it.
# Left out (unknown, so refused): codes of territories split between several current countries
# (GEL, NTZ, PCI, FQ), withdrawn before 1990 for parts of a current country (ATB, ATN, CTE, JTN,
# MID, PCZ, PUS, SKM, WAK) and North Vietnam (VDR, 1977).
ENTITIES: dict[str, dict[str, object]] = {
    "ANT": {
        "names": {
            "en": "Netherlands Antilles",
            "es": "Antillas Neerlandesas",
            "fr": "Antilles néerlandaises",
            "pt": "Antilhas Holandesas",
        },
        "aliases": [
            "Antilhas Neerlandesas",
            "Antillas Holandesas",
            "Antilles hollandaises",
            "Dutch Antilles",
        ],
        "other_codes": ["532"],  # its numeric code until Aruba split away (1986)
        "capital_in": "CUW",
        "territory": ["CUW", "SXM", "BES"],
    },
    "CSK": {
        "names": {
            "en": "Czechoslovakia",
            "es": "Checoslovaquia",
            "fr": "Tchécoslovaquie",
            "pt": "Tchecoslováquia",
        },
        "aliases": [
            "Checoslováquia",
            "Czechoslovak Socialist Republic",
            "Czech and Slovak Federal Republic",
            "República Federal Checa y Eslovaca",
            "République fédérative tchèque et slovaque",
            "República Federativa Checa e Eslovaca",
        ],
        "capital_in": "CZE",
        "territory": ["CZE", "SVK"],
    },
    "DDR": {
        "names": {
            "en": "East Germany",
            "es": "Alemania Oriental",
            "fr": "Allemagne de l'Est",
            "pt": "Alemanha Oriental",
        },
        "aliases": [
            "German Democratic Republic",
            "Germany, East",
            "GDR",
            "República Democrática Alemana",
            "République démocratique allemande",
            "RDA",
            "República Democrática Alemã",
        ],
        "capital_in": "DEU",
        "territory": [],
    },
    "SCG": {
        "names": {
            "en": "Serbia and Montenegro",
            "es": "Serbia y Montenegro",
            "fr": "Serbie-et-Monténégro",
            "pt": "Sérvia e Montenegro",
        },
        "aliases": [
            "Serbia-Montenegro",
            "State Union of Serbia and Montenegro",
            "Unión de Serbia y Montenegro",
        ],
        "capital_in": "SRB",
        "territory": ["SRB", "MNE", "XKX"],
    },
    "SUN": {
        "names": {
            "en": "Soviet Union",
            "es": "Unión Soviética",
            "fr": "Union soviétique",
            "pt": "União Soviética",
        },
        "aliases": [
            "USSR",
            "URSS",
            "СССР",
            "Union of Soviet Socialist Republics",
            "Unión de Repúblicas Socialistas Soviéticas",
            "Union des républiques socialistes soviétiques",
            "União das Repúblicas Socialistas Soviéticas",
        ],
        "capital_in": "RUS",
        "territory": [
            "ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU",
            "LVA", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB",
        ],
    },
    "YMD": {
        "names": {
            "en": "South Yemen",
            "es": "Yemen del Sur",
            "fr": "Yémen du Sud",
            "pt": "Iêmen do Sul",
        },
        "aliases": [
            "People's Democratic Republic of Yemen",
            "Democratic Yemen",
            "Yemen, Democratic",
            "República Democrática Popular del Yemen",
            "République démocratique populaire du Yémen",
            "República Democrática Popular do Iêmen",
            "Iémen do Sul",
        ],
        "capital_in": "YEM",
        "territory": [],
    },
    "YUG": {
        "names": {
            "en": "Yugoslavia",
            "es": "Yugoslavia",
            "fr": "Yougoslavie",
            "pt": "Iugoslávia",
        },
        "aliases": [
            "Jugoslávia",
            "Socialist Federal Republic of Yugoslavia",
            "Federal Republic of Yugoslavia",
            "Yugoslavia, Federal Republic of",
            "SFRY",
            "FRY",
            "República Federativa Socialista de Yugoslavia",
            "República Federal de Yugoslavia",
            "République fédérative socialiste de Yougoslavie",
            "République fédérale de Yougoslavie",
            "República Federativa Socialista da Iugoslávia",
            "República Federal da Iugoslávia",
        ],
        "other_codes": ["890"],  # the Socialist Federal Republic's numeric code, until 1992
        "capital_in": "SRB",
        "territory": ["SVN", "HRV", "BIH", "SRB", "MNE", "MKD", "XKX"],
    },
}  # fmt: skip

RENAMED: dict[str, dict[str, object]] = {
    "BUR": {
        "to": "MMR",
        "names": {"en": "Burma", "es": "Birmania", "fr": "Birmanie", "pt": "Birmânia"},
        "aliases": ["Union of Burma", "Socialist Republic of the Union of Burma"],
    },
    "ZAR": {
        "to": "COD",
        "names": {"en": "Zaire", "es": "Zaire", "fr": "Zaïre", "pt": "Zaire"},
        "aliases": ["Republic of Zaire", "República del Zaire", "République du Zaïre",
                    "República do Zaire"],
    },
    "TMP": {
        "to": "TLS",
        "names": {"en": "East Timor", "es": "Timor Oriental", "fr": "Timor oriental",
                  "pt": "Timor Leste"},
        "aliases": [],
    },
    "ROM": {  # an alpha-3 change only (ISO 3166-1 newsletter V-2, 2002); not in ISO 3166-3
        "to": "ROU",
        "names": {"en": "Romania", "es": "Rumania", "fr": "Roumanie", "pt": "Romênia"},
        "aliases": [],
    },
    "BYS": {
        "to": "BLR",
        "names": {"en": "Byelorussian SSR", "es": "RSS de Bielorrusia",
                  "fr": "RSS de Biélorussie", "pt": "RSS da Bielorrússia"},
        "aliases": ["Byelorussia", "Belorussia", "Byelorussian Soviet Socialist Republic"],
    },
    "FXX": {
        "to": "FRA",
        "names": {"en": "Metropolitan France", "es": "Francia metropolitana",
                  "fr": "France métropolitaine", "pt": "França Metropolitana"},
        "aliases": ["France, Metropolitan"],
    },
    "DHY": {
        "to": "BEN",
        "names": {"en": "Dahomey", "es": "Dahomey", "fr": "Dahomey", "pt": "Daomé"},
        "aliases": [],
    },
    "HVO": {
        "to": "BFA",
        "names": {"en": "Upper Volta", "es": "Alto Volta", "fr": "Haute-Volta", "pt": "Alto Volta"},
        "aliases": [],
    },
    "NHB": {
        "to": "VUT",
        "names": {"en": "New Hebrides", "es": "Nuevas Hébridas", "fr": "Nouvelles-Hébrides",
                  "pt": "Novas Hébridas"},
        "aliases": [],
    },
    "RHO": {
        "to": "ZWE",
        "names": {"en": "Southern Rhodesia", "es": "Rodesia del Sur", "fr": "Rhodésie du Sud",
                  "pt": "Rodésia do Sul"},
        "aliases": ["Rhodesia", "Rodesia", "Rhodésie", "Rodésia"],
    },
    "AFI": {
        "to": "DJI",
        "names": {"en": "French Territory of the Afars and the Issas",
                  "es": "Territorio Francés de los Afars e Issas",
                  "fr": "Territoire français des Afars et des Issas",
                  "pt": "Território Francês dos Afars e Issas"},
        "aliases": ["French Afars and Issas"],
    },
}  # fmt: skip
ROM_WITHDRAWN = "2002"
HISTORICAL_CSV = paths.DATASETS_DIR / "historical_countries.csv"
HISTORICAL_COLUMNS = [
    "iso3", "iso2", "m49", "other_codes", "resolves_to",
    *(f"name_{lang}" for lang in ("en", "es", "fr", "pt")),
    "subregion", "region", "latitude", "longitude", "withdrawn", "territory", "aliases",
]  # fmt: skip

# Kosovo has no ISO 3166-1 entry and no M49 code (the UN counts it within Serbia, UNSCR 1244).
KOSOVO = {"iso3": "XKX", "iso2": "XK", "m49": "", "parent_m49_iso3": "SRB"}


def region_from_m49(m49_row: pd.Series) -> str:
    """The dashboard region from M49 codes (never names), docs/ARCHITECTURE.md (regions)."""
    if m49_row["intermediate_region_code"] in ("013", "005"):  # Central America, South America
        return "latin_america"
    if m49_row["intermediate_region_code"] == "029":
        return "caribbean"
    if m49_row["intermediate_region_code"] == "011":
        return "west_africa"
    if m49_row["region_code"] == "150":
        return "europe"
    if m49_row["sub_region_code"] == "021":
        return "north_america"
    return "other"


def subregion_from_m49(m49_row: pd.Series) -> str:
    """M49's working level: the intermediate region under 'Sub-Saharan Africa' and 'Latin America
    and the Caribbean', otherwise the sub-region (so Jersey is 'Northern Europe')."""
    if m49_row["sub_region_code"] in ("202", "419") and m49_row["intermediate_region"]:
        return str(m49_row["intermediate_region"])
    return str(m49_row["sub_region"])


def centroids() -> pd.DataFrame:
    """iso3, latitude, longitude: the centroid of each country's largest polygon, computed in a
    Lambert equal-area projection centred on it; its representative point if the centroid falls
    outside (a crescent-shaped island). Largest by geodesic area on the WGS84 ellipsoid."""
    layer = geometry()  # the layer made valid and cut at the 180° meridian
    rows = []
    for iso3, features in layer.groupby("iso3", sort=True):
        lat, lon = centroid_of(features.geometry.to_numpy())
        rows.append({"iso3": iso3, "latitude": lat, "longitude": lon})
    return pd.DataFrame(rows)


def centroid_of(geoms: np.ndarray, union: bool = False) -> tuple[float, float]:
    """(latitude, longitude) of the centroid of the largest polygon among `geoms` (see
    centroids()); with `union`, of their union: neighbours joined in one entity make one polygon."""
    import pyproj
    import shapely

    geod = pyproj.Geod(ellps="WGS84")
    parts = shapely.get_parts(shapely.union_all(geoms) if union else geoms)
    polygons = [p for g in parts for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
    largest = max(polygons, key=lambda p: abs(geod.geometry_area_perimeter(p)[0]))
    guess = largest.centroid
    laea = pyproj.CRS.from_proj4(
        f"+proj=laea +lat_0={guess.y:.6f} +lon_0={guess.x:.6f} +datum=WGS84 +units=m"
    )
    forward = pyproj.Transformer.from_crs("EPSG:4326", laea, always_xy=True)
    back = pyproj.Transformer.from_crs(laea, "EPSG:4326", always_xy=True)
    projected = shapely.transform(largest, lambda xy: np.column_stack(forward.transform(*xy.T)))
    point = projected.centroid
    if not projected.contains(point):
        point = projected.representative_point()
    lon, lat = back.transform(point.x, point.y)
    return round(lat, 4), round(lon, 4)


def unodc_names(path: Path) -> dict[str, list[str]]:
    """ISO3 -> the country names a dataUNODC export writes (Country column, msCode codes)."""
    frame = pd.read_excel(path, sheet_name="Export", header=1, usecols=["Country", "msCode"])
    frame = frame.dropna().drop_duplicates().sort_values(["msCode", "Country"])
    names: dict[str, list[str]] = {}
    for country, code in zip(frame["Country"], frame["msCode"], strict=True):
        names.setdefault(str(code).strip().upper(), []).append(str(country).strip())
    return names


def build(unodc_path: Path) -> pd.DataFrame:
    import pycountry
    from babel import Locale

    m49 = pd.read_csv(M49_CSV, dtype=str, keep_default_na=False).set_index("iso3")
    cldr = {lang: Locale.parse(lang).territories for lang in (*LANGUAGES, *ALIAS_LOCALES)}
    catalogs = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("es", "fr", "pt")
    }
    from_unodc = unodc_names(unodc_path)

    entries = [
        {"iso3": c.alpha_3, "iso2": c.alpha_2, "m49": c.numeric, "iso": c}
        for c in pycountry.countries
    ]
    entries.append({"iso3": KOSOVO["iso3"], "iso2": KOSOVO["iso2"], "m49": "", "iso": None})

    rows = []
    for entry in entries:
        iso3, iso2 = entry["iso3"], entry["iso2"]
        m49_row = m49.loc[iso3 if iso3 != "XKX" else KOSOVO["parent_m49_iso3"]]
        if entry["m49"] and entry["m49"] != m49_row["m49"]:
            raise SystemExit(f"{iso3}: ISO numeric {entry['m49']} != M49 {m49_row['m49']}")
        names = {lang: cldr[lang].get(iso2, "") for lang in LANGUAGES}
        candidates: list[str] = [cldr[loc].get(iso2, "") for loc in ALIAS_LOCALES]
        candidates += list(names.values())  # CLDR's names stay matchable when overridden below
        names.update(DISPLAY_NAMES.get(iso3, {}))
        iso = entry["iso"]
        if iso is not None:
            english = [getattr(iso, f, None) for f in ("name", "official_name", "common_name")]
            english = [e for e in english if e]
            candidates += english
            for catalog in catalogs.values():
                candidates += [catalog.gettext(e) for e in english]
        if m49_row["name"] and iso3 != "XKX":
            candidates.append(m49_row["name"])
        candidates += from_unodc.get(iso3, [])
        candidates += EXONYMS.get(iso3, [])
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "m49": entry["m49"],
                **{f"name_{lang}": names[lang] for lang in LANGUAGES},
                "subregion": subregion_from_m49(m49_row),
                "region": region_from_m49(m49_row),
                "crimjust_focus": "true" if iso3 in CRIMJUST_COUNTRIES else "false",
                "candidates": candidates,
            }
        )

    table = pd.DataFrame(rows).sort_values("iso3", ignore_index=True)
    table["aliases"] = aliases(table)
    table = table.drop(columns="candidates").merge(centroids(), on="iso3", how="left")
    unknown = CRIMJUST_COUNTRIES - set(table["iso3"])
    if unknown:
        raise SystemExit(f"CRIMJUST countries not in the table: {sorted(unknown)}")
    columns = ["iso3", "iso2", "m49", *(f"name_{lang}" for lang in LANGUAGES)]
    columns += ["subregion", "region", "crimjust_focus", "latitude", "longitude", "aliases"]
    return table[columns]


def aliases(table: pd.DataFrame) -> list[str]:
    """Per row, the candidate names that add a matching key beyond the four display names,
    without keys that another country also claims (reported on stderr, then left out)."""
    owners: dict[str, set[str]] = {}
    for row in table.itertuples(index=False):
        names = [getattr(row, f"name_{lang}") for lang in LANGUAGES] + row.candidates
        for name in names:
            if name and _name_key(name):
                owners.setdefault(_name_key(name), set()).add(row.iso3)
    clashes = {key: sorted(isos) for key, isos in owners.items() if len(isos) > 1}
    for key, isos in sorted(clashes.items()):
        print(f"ambiguous name key {key!r} -> {isos}: left out", file=sys.stderr)
    out = []
    for row in table.itertuples(index=False):
        taken = {_name_key(getattr(row, f"name_{lang}")) for lang in LANGUAGES}
        kept: list[str] = []
        for name in row.candidates:
            name = " ".join(str(name).replace("|", " ").split())
            key = _name_key(name)
            if key and key not in taken and key not in clashes:
                taken.add(key)
                kept.append(name)
        out.append("|".join(kept))
    return out


def historical(table: pd.DataFrame) -> pd.DataFrame:
    """The withdrawn codes kept (ENTITIES, RENAMED) with their names in four languages; `table`
    is the current reference (countries.csv) whose codes and names they must not take."""
    import pycountry

    m49 = pd.read_csv(M49_CSV, dtype=str, keep_default_na=False).set_index("iso3")
    iso = {c.alpha_3: c for c in pycountry.historic_countries}
    current_codes = (set(table["iso3"]) | set(table["iso2"]) | set(table["m49"])) - {""}
    owners: dict[str, set[str]] = {}  # name key -> ISO3 codes it resolves to, current and former
    for row in table.itertuples(index=False):
        names = [getattr(row, f"name_{lang}") for lang in LANGUAGES] + row.aliases.split("|")
        for name in filter(None, names):
            owners.setdefault(_name_key(name), set()).add(row.iso3)
    layer = geometry()
    rows = []
    for code, entry in sorted({**ENTITIES, **RENAMED}.items()):
        target = str(entry.get("to", code))
        record = iso.get(code)
        if record is None and code != "ROM":
            raise SystemExit(f"{code} is not an ISO 3166-3 code in pycountry")
        # Codes ISO gave since to a current country (AI is Anguilla's) or that the successor
        # keeps (BY, numeric 104) are left out: the current country's own codes take them.
        iso2 = getattr(record, "alpha_2", "")
        numeric = getattr(record, "numeric", "")
        row = {
            "iso3": code,
            "iso2": "" if iso2 in current_codes else iso2,
            "m49": "" if numeric in current_codes else numeric,
            "other_codes": "|".join(entry.get("other_codes", [])),
            "resolves_to": target,
            **{f"name_{lang}": entry["names"][lang] for lang in LANGUAGES},
            "subregion": "",
            "region": "",
            "latitude": None,
            "longitude": None,
            "withdrawn": getattr(record, "withdrawal_date", ROM_WITHDRAWN),
            "territory": "|".join(entry.get("territory", [target])),
        }
        if code in ENTITIES:
            capital = m49.loc[str(entry["capital_in"])]
            row["subregion"] = subregion_from_m49(capital)
            row["region"] = region_from_m49(capital)
            features = layer[layer["iso3"].isin(entry["territory"])]
            if len(features):
                union = features.geometry.to_numpy()
                row["latitude"], row["longitude"] = centroid_of(union, union=True)
        taken = {_name_key(name) for name in entry["names"].values()}
        kept: list[str] = []
        for name in entry["aliases"]:
            if _name_key(name) not in taken:
                taken.add(_name_key(name))
                kept.append(name)
        for key in taken:
            if owners.get(key, {target}) != {target}:
                raise SystemExit(f"{code}: name key {key!r} is also {sorted(owners[key])}'s")
            owners.setdefault(key, set()).add(target)
        row["aliases"] = "|".join(kept)
        rows.append(row)
    return pd.DataFrame(rows, columns=HISTORICAL_COLUMNS)


# Where CLDR's display name is not what readers of UN and UNODC documents expect.
# Cabo Verde asked in 2013 that its name no longer be translated (UN Terminology Bulletin).
DISPLAY_NAMES: dict[str, dict[str, str]] = {
    "CPV": {"en": "Cabo Verde", "es": "Cabo Verde", "fr": "Cabo Verde", "pt": "Cabo Verde"},
    "COD": {"en": "DR Congo", "fr": "RD Congo", "pt": "RD Congo"},
    "COG": {"en": "Congo", "fr": "Congo"},
    "HKG": {
        "en": "Hong Kong, China",
        "es": "Hong Kong (China)",
        "fr": "Hong Kong (Chine)",
        "pt": "Hong Kong (China)",
    },
    "MAC": {
        "en": "Macao, China",
        "es": "Macao (China)",
        "fr": "Macao (Chine)",
        "pt": "Macau (China)",
    },
    "MMR": {"en": "Myanmar", "es": "Myanmar", "fr": "Myanmar", "pt": "Myanmar"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unodc", type=Path, default=UNODC_XLSX, help="a dataUNODC export")
    args = parser.parse_args()
    if not args.unodc.exists():
        raise SystemExit(f"UNODC export not found: {args.unodc} (pass --unodc PATH)")
    table = build(args.unodc)
    table.to_csv(OUT_CSV, index=False, lineterminator="\n")
    located = table["latitude"].notna().sum()
    n_aliases = table["aliases"].str.split("|").map(lambda a: len([x for x in a if x])).sum()
    print(
        f"wrote {OUT_CSV.name}: {len(table)} rows, {located} with a centroid, {n_aliases} aliases"
    )
    former = historical(table)
    former.to_csv(HISTORICAL_CSV, index=False, lineterminator="\n")
    entities = (former["resolves_to"] == former["iso3"]).sum()
    print(
        f"wrote {HISTORICAL_CSV.name}: {len(former)} withdrawn codes, {entities} of them "
        "entities of their own"
    )


if __name__ == "__main__":
    main()
