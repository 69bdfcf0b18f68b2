"""Donor snapshots: one report, as self-contained HTML, PDF, CSV (zip) or XLSX.

    snapshot = content.build(store, filters)   # queries, charts, small-cell rule
    data = render(snapshot, "html")             # bytes of the file

The export page and `python -m crimjust_data snapshot` both go through `render`, so a
scheduled report and a downloaded one are the same file.
"""

from __future__ import annotations

from crimjust_data import i18n
from crimjust_data.i18n import N_
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

__all__ = [
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
    if fmt == "pdf":
        return pdf.html_to_pdf(html.render(snapshot))
    if fmt == "csv":
        return tables.csv_zip(snapshot.tables(), snapshot.provenance())
    if fmt == "xlsx":
        return tables.xlsx_bytes(snapshot.tables(), snapshot.provenance())
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def file_name(snapshot: Snapshot, fmt: str) -> str:
    """'crimjust-snapshot-20261128-1402.html': sorts by time, safe on every file system."""
    stamp = snapshot.generated_at.strftime("%Y%m%d-%H%M")
    return f"crimjust-snapshot-{stamp}.{FORMATS[fmt][1]}"
