"""Donor snapshots: one report, as self-contained HTML, PDF, CSV (zip) or XLSX.

    snapshot = content.build(store, filters)   # queries, charts, small-cell rule
    data = render(snapshot, "html")             # bytes of the file

The export page and `python -m crimjust_data snapshot` both go through `render`, so a
scheduled report and a downloaded one are the same file.
"""

from __future__ import annotations

import re
import unicodedata

from crimjust_data import i18n
from crimjust_data.i18n import N_, _
from crimjust_data.snapshot import html, pdf, tables
from crimjust_data.snapshot.content import (
    LANGUAGES,
    TRANSLATED,
    Snapshot,
    activity_section,
    build,
    with_section,
)

FORMATS: dict[str, tuple[str, str]] = {  # format -> (MIME type, file extension)
    "html": ("text/html", "html"),
    "pdf": ("application/pdf", "pdf"),
    "csv": ("application/zip", "zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
FORMAT_LABELS = {  # translated where shown: _(FORMAT_LABELS[fmt])
    "html": N_("HTML report"),
    "pdf": N_("PDF report"),
    "csv": N_("CSV tables (zip)"),
    "xlsx": N_("Excel workbook (XLSX)"),
}
DOWNLOAD_LABELS = {  # the export page's buttons: a whole sentence each, for the translators
    "html": N_("Download the HTML report"),
    "pdf": N_("Download the PDF report"),
    "csv": N_("Download the CSV tables (zip)"),
    "xlsx": N_("Download the Excel workbook (XLSX)"),
}
# The PDF's page footer; {page} and {pages} become chromium's page number and count.
PDF_FOOTER = N_("CRIMJUST interdiction snapshot · page {page} of {pages}")

__all__ = [
    "DOWNLOAD_LABELS",
    "FORMATS",
    "FORMAT_LABELS",
    "LANGUAGES",
    "TRANSLATED",
    "Snapshot",
    "activity_section",
    "build",
    "file_name",
    "render",
    "with_section",
]


def render(snapshot: Snapshot, fmt: str) -> bytes:
    """The snapshot as a file in `fmt` (html, pdf, csv or xlsx), in the snapshot's language."""
    with i18n.using(snapshot.lang):
        return _render(snapshot, fmt)


def _render(snapshot: Snapshot, fmt: str) -> bytes:
    if fmt == "html":
        return html.render(snapshot).encode("utf-8")
    if fmt == "pdf":  # printed: no words about hovering, and the footer in the language
        return pdf.html_to_pdf(html.render(snapshot, printed=True), footer=_(PDF_FOOTER))
    if fmt == "csv":
        return tables.csv_zip(snapshot.tables(), snapshot.provenance())
    if fmt == "xlsx":
        return tables.xlsx_bytes(snapshot.tables(), snapshot.provenance())
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def _slug(text: str) -> str:
    """`text` in lower-case ASCII letters, digits and hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def file_name(snapshot: Snapshot, fmt: str) -> str:
    """What the file holds, in characters safe on every file system:
    'crimjust_snapshot_caribbean_2019-2023_fr_20261128-1402.html' (the filters, or 'all',
    the period, the language, when it was made)."""
    filters = snapshot.filters
    chosen = [
        *filters.regions,
        *(iso3.lower() for iso3 in filters.countries),
        *filters.drugs,
        *filters.conveyances,
        *filters.sources,
    ]
    words = [word for word in (_slug(value) for value in chosen) if word]
    scope = "-".join(words) if words else "all"
    if len(scope) > 40:  # many filters: the first ones and how many more
        scope = f"{'-'.join(words[:2])[:30].strip('-')}-and-{len(words) - 2}-more"
    start, end = snapshot.period
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    if whole_years or not (filters.date_from or filters.date_to):
        period = f"{start.year}" if start.year == end.year else f"{start.year}-{end.year}"
    else:
        period = f"{start:%Y%m%d}-{end:%Y%m%d}"
    stamp = snapshot.generated_at.strftime("%Y%m%d-%H%M")
    return f"crimjust_snapshot_{scope}_{period}_{snapshot.lang}_{stamp}.{FORMATS[fmt][1]}"
