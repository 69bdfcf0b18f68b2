"""History: every version loaded, who loaded it, and rollback (analysts only, with confirmation)."""

from __future__ import annotations

import streamlit as st

from crimjust_data import i18n, ui
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.ingest import uploads
from crimjust_data.safe_text import markdown_literal
from crimjust_data.ui import widgets
from crimjust_data.views import table_label

ui.page_filters()  # the frame's filters do not apply here, but the router check does

st.title(_("History"))
st.caption(
    _(
        "Every load is a version. A version is active until it is rolled back, or superseded by "
        "a later version of the same table loaded in replace mode. Rolling back never deletes "
        "rows: rolling back a replace brings back what it had replaced."
    )
)

done = st.session_state.pop("history_done", None)  # (version id, table) just rolled back
if done:
    st.success(
        _("Rolled back version {version} ({table}).").format(
            version=done[0], table=table_label(done[1])
        ),
        icon=":material/undo:",
    )

history = ui.query(uploads.version_history)
MODES = {"append": N_("append"), "replace": N_("replace")}
rolled_back = history["rolled_back_at"].notna().any()
widgets.show_table(
    history.assign(  # codes shown in words of the current language
        table=history["table"].map(table_label),
        state=history["state"].map(_),
        mode=history["mode"].map(lambda mode: _(MODES[mode]) if mode in MODES else mode),
    ),
    "history_table",
    # the columns that fit the page; who rolled back and when only once something was
    # the source is on the home page and in every snapshot's versions table
    column_order=[
        *(c for c in uploads.HISTORY_COLUMNS if c not in ("sha256", "source")),
        *(["rolled_back_by", "rolled_back_at"] if rolled_back else []),
        "sha256",
    ],
    column_config={
        "version_id": st.column_config.Column(_("version"), width=60),
        "table": st.column_config.Column(_("table"), width=150),
        "state": st.column_config.Column(_("state"), width=90),
        "mode": st.column_config.Column(_("mode"), width=100),
        "rows": st.column_config.Column(_("rows"), width=70),
        "file_name": st.column_config.Column(_("file"), width=170),
        "loaded_by": st.column_config.Column(_("loaded by"), width=90),
        "loaded_at": st.column_config.Column(_("loaded at (UTC)"), width=130),
        "rolled_back_by": st.column_config.Column(_("rolled back by"), width=90),
        "rolled_back_at": st.column_config.Column(_("rolled back at (UTC)"), width=130),
        "sha256": st.column_config.TextColumn("sha256", help=_("First 12 characters"), width=110),
    },
)

st.subheader(_("Roll back a version"))
name = ui.require_analyst()
if name is None:
    st.stop()
ui.sign_out_button("history_sign_out")

can_roll_back = history[history["state"] != "rolled back"]
if can_roll_back.empty:
    st.info(_("No version can be rolled back: every version already is."), icon=":material/info:")
    st.stop()


def _label(version_id: int, table: str, rows: int, file_name: str | None, state: str) -> str:
    """'Version 3: seizures, 1,200 rows from x.csv (active)': a version in the picker."""
    if file_name:
        text = ngettext(
            "Version {version}: {table}, {n} row from {file} ({state})",
            "Version {version}: {table}, {n} rows from {file} ({state})",
            rows,
        )
    else:
        text = ngettext(
            "Version {version}: {table}, {n} row ({state})",
            "Version {version}: {table}, {n} rows ({state})",
            rows,
        )
    return text.format(
        version=version_id, table=table, n=i18n.integer(rows), file=file_name, state=state
    )


labels = {
    int(row.version_id): _label(
        row.version_id, table_label(row.table), int(row.rows), row.file_name, _(row.state)
    )
    for row in can_roll_back.itertuples(index=False)
}
chosen = st.selectbox(_("Version"), list(labels), format_func=labels.get, key="history_version")


def _ask() -> None:
    st.session_state["history_pending"] = st.session_state["history_version"]


def _cancel() -> None:
    st.session_state.pop("history_pending", None)


def _roll_back(version_id: int) -> None:
    # Who rolls back is checked now, with the password: an account removed since the button
    # was drawn, or a session reopened elsewhere, changes nothing.
    by, refused = ui.confirming_analyst("history_password")
    if by is None:
        st.session_state["history_failed"] = refused
        return
    st.session_state.pop("history_pending", None)
    try:
        version = ui.store().rollback(version_id, by=by)
    except CrimjustError as exc:
        st.session_state["history_failed"] = str(exc)
        return
    st.session_state["history_done"] = (version.version_id, version.table_name)


failed = st.session_state.pop("history_failed", None)
if failed:
    st.error(markdown_literal(failed), icon=":material/error:")
pending = st.session_state.get("history_pending")
if pending not in labels:
    st.button(_("Roll back…"), key="history_rollback", icon=":material/undo:", on_click=_ask)
else:
    st.warning(
        _(
            "Roll back {version}? Its rows stop being shown everywhere; they stay stored, and "
            "the rollback is recorded with your name."
        ).format(version=markdown_literal(labels[pending].lower())),  # holds the file name
        icon=":material/warning:",
    )
    ui.password_to_confirm("history_password")
    yes, no = st.columns([1, 3])
    yes.button(
        _("Yes, roll back version {version}").format(version=pending),
        key="history_confirm",
        type="primary",
        on_click=ui.in_session_language(_roll_back),
        args=(pending,),
    )
    no.button(_("Cancel"), key="history_cancel", on_click=_cancel)
