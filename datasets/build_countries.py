"""Regenerate datasets/countries.csv from its sources (see countries.SOURCE.md).

    python datasets/build_countries.py [--unodc PATH]

Sources: pycountry (ISO 3166-1 codes, names, gettext translations), Babel (CLDR names in en, es,
fr, pt), datasets/m49.csv (UNSD M49 regions), static/topojson/world_50m.json (centroids), and a
dataUNODC 'Drug seizures' export, read here only to harvest UNODC's country names as aliases.
The output is sorted and deterministic: running it twice gives the same file.
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
    "MKD": ["Macedonia", "FYROM"],
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
    "XKX": ["Kosovo under UNSCR 1244", "Kosova"],
}

# Kosovo has no ISO 3166-1 entry and no M49 code (the UN counts it within Serbia, UNSCR 1244).
KOSOVO = {"iso3": "XKX", "iso2": "XK", "m49": "", "parent_m49_iso3": "SRB"}


def region_from_m49(m49_row: pd.Series) -> str:
    """The dashboard region from M49 codes (never names), DESIGN.md section 5."""
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
    import pyproj
    import shapely

    geod = pyproj.Geod(ellps="WGS84")
    layer = geometry()  # the layer made valid and cut at the 180° meridian
    rows = []
    for iso3, features in layer.groupby("iso3", sort=True):
        parts = shapely.get_parts(features.geometry.to_numpy())
        polygons = [p for g in parts for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
        largest = max(polygons, key=lambda p: abs(geod.geometry_area_perimeter(p)[0]))
        guess = largest.centroid
        laea = pyproj.CRS.from_proj4(
            f"+proj=laea +lat_0={guess.y:.6f} +lon_0={guess.x:.6f} +datum=WGS84 +units=m"
        )
        forward = pyproj.Transformer.from_crs("EPSG:4326", laea, always_xy=True)
        back = pyproj.Transformer.from_crs(laea, "EPSG:4326", always_xy=True)
        projected = shapely.transform(
            largest, lambda xy, f=forward: np.column_stack(f.transform(*xy.T))
        )
        point = projected.centroid
        if not projected.contains(point):
            point = projected.representative_point()
        lon, lat = back.transform(point.x, point.y)
        rows.append({"iso3": iso3, "latitude": round(lat, 4), "longitude": round(lon, 4)})
    return pd.DataFrame(rows)


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


if __name__ == "__main__":
    main()
