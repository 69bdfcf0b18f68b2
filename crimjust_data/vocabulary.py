"""Words for codes: what each code of the data and of the dashboard's choices is called.

The codes live with the data (schemas.py, countries.REGIONS) and in the URL; the words live here,
one dictionary per kind of code, each value an English msgid marked with N_ so the catalogs
(crimjust_data/locale) give it in Spanish, French and Portuguese. Translate at use:
`word(DRUG_LABELS, code)`, or `_(DRUG_LABELS[code])` when the code is known to be there. A
msgid's text is what the catalogs match on: changing it loses its translations until they are
made again.

The wording of the headline metrics (label, definition, numerator, denominator) is in
metric_registry.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from crimjust_data.i18n import N_, _


def word(words: Mapping[str, str], code: str) -> str:
    """The word for `code` in the current language; the code itself when `words` has none."""
    return _(words[code]) if code in words else str(code)


# --- Codes of the data (schemas.py, countries.REGIONS) -------------------------------------------

REGION_LABELS = {
    "latin_america": N_("Latin America"),
    "caribbean": N_("Caribbean"),
    "west_africa": N_("West Africa"),
    "europe": N_("Europe"),
    "north_america": N_("North America"),
    "other": N_("Other"),
}
DRUG_LABELS = {
    "cocaine_hcl": N_("Cocaine hydrochloride"),
    "cocaine_base": N_("Cocaine base / paste"),
    "crack": N_("Crack cocaine"),
    "cocaine_unspecified": N_("Cocaine, form not stated"),
}
CONVEYANCE_LABELS = {
    "container": N_("Maritime container"),
    "vessel": N_("Vessel"),
    "air": N_("Air"),
    "land": N_("Land"),
    "postal": N_("Postal / courier"),
    "unknown": N_("Not stated"),
}
# The cooperation codes of a case, and the groups the Justice page compares: none, any, each
# type, and 'not_recorded' (a case whose cooperation field is empty).
COOPERATION_LABELS = {
    "none": N_("No cooperation"),
    "any": N_("Any cooperation"),
    "mla_request": N_("Mutual legal assistance request"),
    "joint_investigation": N_("Joint investigation"),
    "extradition": N_("Extradition"),
    "not_recorded": N_("Not recorded"),
}
ACTIVITY_TYPE_LABELS = {
    "training": N_("Training"),
    "mentoring": N_("Mentoring"),
    "joint_investigation": N_("Joint investigation"),
    "legal_assistance": N_("Legal assistance"),
    "agreement": N_("Agreement"),
    "equipment": N_("Equipment"),
    "other": N_("Other activity"),  # not the region msgid "Other" (another translation)
}
PARTNER_LABELS = {
    "unodc": N_("UNODC"),
    "interpol": N_("INTERPOL"),
    "transparency_international": N_("Transparency International"),
    "other": N_("Other partner"),
}
# The stages of the case funnel, in order (queries.justice.FUNNEL_STAGES).
STAGE_LABELS = {
    "opened": N_("Opened"),
    "closed_before_charge": N_("Closed before charge"),
    "charged": N_("Charged"),
    "court_outcome": N_("Court outcome"),
    "convicted": N_("Convicted"),
}
# The places along a route (lower case: inside a sentence or after an arrow).
ROUTE_STAGE_NAMES = {
    "origin": N_("origin"),
    "seized": N_("seized"),
    "destination": N_("destination"),
}
# The stored tables.
TABLE_LABELS = {
    "seizures": N_("Seizure events"),
    "cases": N_("Criminal cases"),
    "annual_seizures": N_("Official annual totals (UNODC)"),
    "activities": N_("Program activities"),
}


def region_label(code: str) -> str:
    """A region's name in the current language (the code itself if it is not a region)."""
    return word(REGION_LABELS, code)


def drug_label(code: str) -> str:
    return word(DRUG_LABELS, code)


def conveyance_label(code: str) -> str:
    return word(CONVEYANCE_LABELS, code)


def cooperation_label(code: str) -> str:
    return word(COOPERATION_LABELS, code)


def type_label(code: str) -> str:
    """An activity type's name."""
    return word(ACTIVITY_TYPE_LABELS, code)


def partner_label(code: str) -> str:
    """An activity partner's name."""
    return word(PARTNER_LABELS, code)


def table_label(table: str) -> str:
    """A stored table's name."""
    return word(TABLE_LABELS, table)


# --- Codes of the dashboard's choices (URL parameters, widgets, exports) -------------------------

# What a filter or a split names, lower case, inside a sentence ("there is no such country in
# the data", "by cocaine form"): by URL parameter, which is also the split's code.
DIMENSION_NOUNS = {
    "region": N_("region"),
    "country": N_("country"),
    "drug": N_("cocaine form"),
    "conveyance": N_("conveyance"),
    "source": N_("data source"),
}
# The sidebar's label of each multi-valued filter, by URL parameter.
FILTER_LABELS = {
    "region": N_("Region"),
    "country": N_("Country"),
    "drug": N_("Drug"),
    "conveyance": N_("Conveyance"),
    "source": N_("Data source"),
}
# The Timelines page's choices: period, split ({n}: the number of countries shown), measure.
GRAIN_LABELS = {"month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}
BY_LABELS = {
    "region": N_("Region"),
    "country": N_("Country (top {n})"),
    "drug": N_("Cocaine form"),
    "conveyance": N_("Conveyance"),
}
MEASURE_LABELS = {"kg": N_("Kilograms"), "seizures": N_("Seizure events"), "both": N_("Both")}
# The Upload page's choices: what the file holds (ingest.uploads.UPLOAD_TABLES), and the mode.
UPLOAD_TABLE_LABELS = {
    "detect": N_("Detect from the file's columns"),
    "seizures": N_("Seizure events"),
    "cases": N_("Court cases"),
    "annual": N_("Official annual totals"),
    "activities": N_("Program activities"),
}
LOAD_MODE_LABELS = {
    "append": N_("Append: add these rows to what is loaded"),
    "replace": N_("Replace: these rows become the whole table"),
}
# The severity of a problem in an upload's report.
SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning")}
# The two windows of a before/after comparison.
SIDE_LABELS = {"before": N_("before"), "after": N_("after")}
# The snapshot's formats (snapshot.FORMATS).
FORMAT_LABELS = {
    "html": N_("HTML report"),
    "pdf": N_("PDF report"),
    "csv": N_("CSV tables (zip)"),
    "xlsx": N_("Excel workbook (XLSX)"),
}
