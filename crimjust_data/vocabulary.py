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

import re
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


# --- Texts the dashboard itself stores ----------------------------------------------------------

# The demo generator (demo.py, ingest/pipeline.load_demo) and the dataUNODC importer store their
# sources, origins and program activities in English, as every stored text is; these are the
# dashboard's words, not data, so `stored_text` shows them in the interface language. Any other
# stored text (an uploaded file's source or name, an agency) is people's text: shown as entered.
DEMO_SOURCE = N_("CRIMJUST synthetic demo data (seed {seed})")
DEMO_ORIGIN = N_("demo generator, seed {seed}")
UNODC_SOURCE = N_("UNODC, Drug seizures (dataUNODC), file {name}")
# The demo's program activities: a title per type ({place}, {other}: a port or an airport).
DEMO_ACTIVITY_TITLES = {
    "training": N_("Port and container control training, {place}"),
    "mentoring": N_("Prosecutor mentoring on cocaine cases, {place}"),
    "joint_investigation": N_("Joint investigation {place} – {other}"),
    "legal_assistance": N_("Mutual legal assistance workshop, {place}"),
    "agreement": N_("Inter-agency cooperation agreement, {place}"),
    "equipment": N_("Scanner and field-test equipment for {place}"),
    "other": N_("Integrity and anti-corruption review, {place}"),
}
# The one real activity the demo carries (demo.AGREEMENT_2016).
AGREEMENT_TITLE = N_("UNODC-INTERPOL cooperation agreement under CRIMJUST")
AGREEMENT_NOTES = N_(
    "Real, dated entry: UNODC and INTERPOL agreed to cooperate under CRIMJUST on 30 August "
    "2016 (countries: the project's focus countries in this dashboard)"
)
AGREEMENT_SOURCE = N_("UNODC and INTERPOL, CRIMJUST cooperation agreement of 30 August 2016")
_OWN_TEXTS = (
    DEMO_SOURCE,
    DEMO_ORIGIN,
    UNODC_SOURCE,
    *DEMO_ACTIVITY_TITLES.values(),
    AGREEMENT_TITLE,
    AGREEMENT_NOTES,
    AGREEMENT_SOURCE,
)
_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """`template` as a regular expression matching the texts made from it (a seed is digits)."""
    parts = _FIELD.split(template)  # literal, name, literal, name, …
    return re.compile(
        "".join(
            re.escape(part)
            if number % 2 == 0
            else rf"(?P<{part}>\d+)"
            if part == "seed"
            else rf"(?P<{part}>.+?)"
            for number, part in enumerate(parts)
        )
    )


_OWN_PATTERNS = tuple((template, _pattern(template)) for template in _OWN_TEXTS)


def _own(text: str) -> tuple[str, dict[str, str]] | None:
    for template, pattern in _OWN_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return template, found.groupdict()
    return None


def is_own_text(text: str) -> bool:
    """Whether `text` was written by the dashboard (the demo, the dataUNODC importer)."""
    return _own(str(text).strip()) is not None


def stored_text(text: str | None) -> str:
    """A stored source, origin or activity text for people: the dashboard's own texts in the
    current language, anything else (people's text) as entered."""
    if text is None:
        return ""
    own = _own(str(text).strip())
    if own is None:
        return str(text)
    template, values = own
    return _(template).format(**values)
