"""Upload data: check a file, see what it would change, and import it as a new version."""

from __future__ import annotations

import streamlit as st

from crimjust_data import i18n, table_numbers, ui
from crimjust_data.countries import (
    country_name,
    known_iso3,
    withdrawn_iso3,
)
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.ingest import uploads
from crimjust_data.ingest.aliases import UNIT_COLUMN
from crimjust_data.ingest.normalise import missing_from_file
from crimjust_data.ingest.pipeline import upload_headers, upload_limits
from crimjust_data.safe_text import markdown_literal
from crimjust_data.schemas import COLUMNS
from crimjust_data.ui import widgets

ui.page_filters()  # the frame's filters do not apply here, but the router check does

TABLE_LABELS = {
    "detect": N_("Detect from the file's columns"),
    "seizures": N_("Seizure events"),
    "cases": N_("Court cases"),
    "annual": N_("Official annual totals"),
    "activities": N_("Program activities"),
}
MODE_LABELS = {
    "append": N_("Append: add these rows to what is loaded"),
    "replace": N_("Replace: these rows become the whole table"),
}


def _imported(version_id: int, rows: int, table: str, file_name: str) -> str:
    """The message saying what an import stored."""
    return ngettext(
        "Imported version {version}: {n} row of {table} from {file}.",
        "Imported version {version}: {n} rows of {table} from {file}.",
        int(rows),
    ).format(
        version=version_id, n=i18n.integer(rows), table=table, file=markdown_literal(file_name)
    )


st.title(_("Upload data"))
st.caption(
    _(
        "Check a file before it is stored: every problem is listed by row and column, and "
        "nothing is stored until you confirm. Every import is a version that can be rolled back "
        "in History."
    )
)

done = st.session_state.get("upload_done")
if done:
    st.success(
        _imported(done["version_id"], done["rows"], done["table"], done["file_name"]),
        icon=":material/check_circle:",
    )
    st.page_link("pages/history.py", label=_("See it in History"), icon=":material/history:")

name = ui.require_analyst()
if name is None:
    st.stop()
ui.sign_out_button("upload_sign_out")

megabytes, max_rows = upload_limits()
# 200 -> '200', 0.5 -> '0.5' (as f"{megabytes:g}"), in the current language
size_limit = (
    i18n.integer(megabytes)
    if float(megabytes).is_integer()
    else i18n.decimal(megabytes, len(f"{megabytes:g}".partition(".")[2]))
)
left, right = st.columns(2)
with left:
    table_choice = st.selectbox(
        _("Table"),
        list(uploads.UPLOAD_TABLES),
        format_func=lambda code: _(TABLE_LABELS[code]),
        key="upload_table",
    )
with right:
    mode = st.radio(
        _("Mode"),
        list(MODE_LABELS),
        format_func=lambda code: _(MODE_LABELS[code]),
        key="upload_mode",
    )
uploaded = st.file_uploader(
    _("File (CSV, TXT or XLSX)"),
    type=["csv", "xlsx", "txt"],
    key="upload_file",
    help=_("Up to {megabytes} MB and {rows} rows.").format(
        megabytes=size_limit, rows=i18n.integer(max_rows)
    ),
)
if uploaded is None:
    st.stop()
if done and done["file_id"] == uploaded.file_id:
    st.stop()  # the file just imported: nothing left to check
st.session_state.pop("upload_done", None)  # another file: the last import's message is old news

store = ui.store()

# The country of every row a file does not place (a national file without a country column).
country_choice = st.selectbox(
    _("Country of every row (when the file has none)"),
    ["", *sorted(known_iso3() - withdrawn_iso3(), key=lambda code: country_name(code))],
    format_func=lambda code: f"{country_name(code)} ({code})" if code else _("(from the file)"),
    key="upload_country",
    help=_(
        "For a file without a country column, such as a national police list: every row is "
        "counted in this country. Rows with a country of their own keep it."
    ),
)
country = country_choice or None

# Workbook sheet and column mapping: offered when the table is known. A mapping confirmed with
# an import is remembered for the next file of that table with the same headers.
table = uploads.UPLOAD_TABLES[table_choice]
sheet: str | None = None
mapping: dict[str, str] = {}
headers: list[str] = []
if table is not None:
    try:
        sheets, headers, automatic = upload_headers(uploaded.name, uploaded.getvalue(), table)
        if len(sheets) > 1:
            sheet = st.selectbox(_("Sheet"), sheets, key="upload_sheet")
            _sheets, headers, automatic = upload_headers(
                uploaded.name, uploaded.getvalue(), table, sheet
            )
    except CrimjustError:
        automatic = None  # unreadable: the report below says why
    # ids are derived from the rows when a file has none; the country may be chosen above
    missing = (
        missing_from_file(automatic, table, country_given=country is not None)
        if automatic is not None
        else []
    )
    if automatic is not None and (automatic.unknown or missing):
        saved = store.saved_mapping(table, headers)
        with st.expander(_("Column mapping"), expanded=True, icon=":material/table_convert:"):
            st.caption(
                _(
                    "These headers were not recognised. Say which column each one holds, or "
                    "leave it ignored. Missing: {columns}."
                ).format(columns=", ".join(missing) or _("nothing"))
                + (" " + _("A mapping saved with an earlier file is filled in.") if saved else "")
            )
            fields = [*COLUMNS[table], *([UNIT_COLUMN] if "quantity_kg" in COLUMNS[table] else [])]
            targets = ["", *(c for c in fields if c not in automatic.mapped.values())]
            for index, header in enumerate(automatic.unknown):
                default = saved.get(header, "")
                chosen = st.selectbox(
                    _("'{header}' holds").format(header=markdown_literal(header)),
                    targets,
                    index=targets.index(default) if default in targets else 0,
                    format_func=lambda c: c or _("(ignored)"),
                    key=f"upload_map_{index}",
                )
                if chosen:
                    mapping[header] = chosen


def _confirmed() -> None:
    # Who imports is checked now, with the password: not the name the page was drawn for.
    by, refused = ui.confirming_analyst("upload_password")
    if by is None:
        st.session_state["upload_refused"] = refused
    else:
        st.session_state["upload_go"] = by


checked = st.session_state.get("upload_checked")
importer = st.session_state.pop("upload_go", None)
if importer and checked and checked[1].ok:
    request = checked[1].request
    importing = _("Importing {file}…").format(file=markdown_literal(uploaded.name))
    with st.status(importing, expanded=True) as status:
        progress = st.progress(10, text=_("Checking the rows once more"))
        try:
            # A replace backs the store up first: `backups` says where to.
            version, backups = uploads.store_upload(store, request, importer)
            if mapping:
                store.save_mapping(request.table, headers, mapping, importer)
        except CrimjustError as exc:  # e.g. someone loaded the same rows meanwhile
            status.update(label=_("Not imported"), state="error")
            st.session_state.pop("upload_checked", None)
            st.error(
                _("Nothing was stored: {error}").format(error=markdown_literal(exc)),
                icon=":material/error:",
            )
            st.stop()
        progress.progress(100, text=_("Stored"))
        status.update(
            label=_("Imported version {version}").format(version=version.version_id),
            state="complete",
        )
    st.session_state["upload_done"] = {
        "version_id": version.version_id,
        "rows": version.rows,
        "table": version.table_name,
        "file_name": version.file_name,
        "file_id": uploaded.file_id,
    }
    st.session_state.pop("upload_checked", None)
    # Later runs read the new store state: every cached chart and the sidebar choices follow.
    st.success(
        _imported(version.version_id, version.rows, version.table_name, version.file_name),
        icon=":material/check_circle:",
    )
    for backup in backups:
        st.caption(
            _("The store as it was before this import was backed up to {file}.").format(
                file=markdown_literal(backup)
            )
        )
    st.page_link("pages/history.py", label=_("See it in History"), icon=":material/history:")
    st.stop()

check_key = (
    uploaded.file_id,
    table_choice,
    mode,
    sheet,
    tuple(sorted(mapping.items())),
    country,
    ui.cache_key(),
)
cached = st.session_state.get("upload_checked")
if cached is None or cached[0] != check_key:
    with st.spinner(_("Reading and checking {file}…").format(file=markdown_literal(uploaded.name))):
        check = uploads.check_upload(
            store,
            uploaded.name,
            uploaded.getvalue(),
            table,
            mode,
            sheet,
            tuple(mapping.items()),
            country,
        )
        diff = uploads.upload_diff(store, check.request) if check.request is not None else None
    st.session_state["upload_checked"] = (check_key, check, diff)
_check_key, check, diff = st.session_state["upload_checked"]

st.subheader(_("Validation report"))
n_errors, n_warnings = len(check.errors), len(check.warnings)
if check.errors:
    st.error(
        ngettext(
            "{n} error blocks this import: fix it in the file and upload it again.",
            "{n} errors block this import: fix them in the file and upload it again.",
            n_errors,
        ).format(n=i18n.integer(n_errors))
        + (
            " "
            + ngettext("{n} warning too.", "{n} warnings too.", n_warnings).format(
                n=i18n.integer(n_warnings)
            )
            if check.warnings
            else ""
        ),
        icon=":material/block:",
    )
elif check.warnings:
    st.warning(
        ngettext(
            "No errors. {n} warning: it does not block the import.",
            "No errors. {n} warnings: they do not block the import.",
            n_warnings,
        ).format(n=i18n.integer(n_warnings)),
        icon=":material/warning:",
    )
else:
    st.success(_("No errors or warnings."), icon=":material/check:")
if check.errors or check.warnings:
    report = uploads.report_frame(check.errors, check.warnings)
    # The message first after the severity (on a phone it is what shows without scrolling),
    # wrapped in rows as tall as the longest needs (up to 6 lines of about 45 characters).
    row, column, value, message, severity = report.columns
    longest = int(report[message].str.len().max() or 0)
    st.dataframe(
        report,
        key="upload_report",
        hide_index=True,
        column_order=[severity, message, row, column, value],
        row_height=12 + 21 * min(6, max(1, -(-longest // 45))),
        column_config={
            severity: st.column_config.TextColumn(width=80),
            message: st.column_config.TextColumn(width=320),
            row: st.column_config.TextColumn(width=50),
            value: st.column_config.TextColumn(width="medium"),
        },
    )
    st.download_button(
        _("Download the report (CSV)"),
        data=uploads.report_csv(check.errors, check.warnings),
        file_name=f"{uploaded.name.rsplit('.', 1)[0]}_report.csv",
        mime="text/csv",
        key="upload_report_csv",
        icon=":material/download:",
    )

if check.request is not None:
    request = check.request
    st.subheader(_("Preview"))
    st.caption(
        ngettext(
            "{n} row of {table} as it would be stored (the first {shown} shown).",
            "{n} rows of {table} as they would be stored (the first {shown} shown).",
            len(request.frame),
        ).format(
            n=i18n.integer(len(request.frame)),
            table=request.table,
            shown=i18n.integer(min(uploads.PREVIEW_ROWS, len(request.frame))),
        )
    )
    # values as they would be stored: every decimal (1.5005 kg, not 1.5)
    widgets.show_table(table_numbers.exact(uploads.preview(request)), "upload_preview")

if diff is not None:
    st.subheader(_("What would change"))
    counts, totals = st.columns([1, 3])
    with counts:
        widgets.show_table(diff.counts(), "upload_diff_counts")
        if diff.mode == "append" and (diff.replaced or diff.unchanged):
            st.caption(_("Rows already loaded are refused in append mode: choose Replace."))
    with totals:
        widgets.show_table(diff.totals_table(), "upload_diff_totals")


refused = st.session_state.pop("upload_refused", None)
if refused:
    st.error(markdown_literal(refused), icon=":material/error:")
if check.ok:
    ui.password_to_confirm("upload_password")
st.button(
    _("Confirm import"),
    key="upload_confirm",
    type="primary",
    disabled=not check.ok,
    help=_("Fix every error first") if not check.ok else None,
    icon=":material/upload:",
    on_click=ui.in_session_language(_confirmed),
)
