"""Export: the donor snapshot of the current view, as HTML, PDF, CSV or XLSX, with a preview."""

from __future__ import annotations

import streamlit as st

from crimjust_data import disclosure, snapshot, ui_cache, view_state
from crimjust_data.errors import CrimjustError
from crimjust_data.snapshot.pdf import pdf_available

filters = ui_cache.page_filters()

st.title("Export a donor snapshot")
st.caption(
    "One file a donor can open offline and forward: headline figures, the flows map, the "
    "region Sankey, the timeline, the justice funnel and the rates with their intervals, the "
    "dataset versions and the sources. It covers the filters set in the sidebar: "
    f"**{view_state.describe(filters)}**."
)

formats = st.pills(
    "Formats",
    tuple(snapshot.FORMATS),
    selection_mode="multi",
    default=["html", "pdf"],
    format_func=snapshot.FORMAT_LABELS.__getitem__,
    key="export_formats",
)
left, right = st.columns(2)
with left:
    lang = ui_cache.url_choice(
        "Language",
        tuple(snapshot.LANGUAGES),
        "export_lang",
        param="lang",
        format_func=snapshot.LANGUAGES.__getitem__,
    )
with right:
    floor = disclosure.configured_threshold()
    threshold = st.number_input(
        "Show case counts below this as '<N'",
        min_value=floor,
        max_value=100,
        value=floor,
        step=1,
        key="export_threshold",
        help="Small-cell suppression, so that no small group of defendants can be singled out. "
        "It can be raised here, not lowered below the deployment's setting "
        f"({disclosure.THRESHOLD_SETTING}).",
    )
if lang not in snapshot.TRANSLATED:
    st.info(
        f"{snapshot.LANGUAGES[lang]} is not available yet: the snapshot comes out in English.",
        icon=":material/translate:",
    )

report = ui_cache.query(snapshot.build_for, filters, lang, int(threshold))
if report.sources.synthetic:
    st.warning(
        "**Synthetic data.** The snapshot carries a banner saying its figures are generated "
        "demo data, not real seizures or cases.",
        icon=":material/science:",
    )

st.subheader("Download")
if not formats:
    st.caption("Pick at least one format above.")
for fmt in formats or ():
    name = snapshot.file_name(report, fmt)
    mime = snapshot.FORMATS[fmt][0]
    label = f"Download {snapshot.FORMAT_LABELS[fmt]}"
    if fmt != "pdf":  # made when clicked, from the report built above
        st.download_button(
            label,
            data=lambda fmt=fmt: snapshot.render(report, fmt),
            file_name=name,
            mime=mime,
            key=f"export_download_{fmt}",
            icon=":material/download:",
            on_click="ignore",
        )
        continue
    available, how_to_enable = pdf_available()
    if not available:
        st.warning(f"PDF cannot be made here. {how_to_enable}", icon=":material/print_disabled:")
        continue
    # Printing takes a few seconds: made on request, then offered, with any failure shown.
    made = st.session_state.get("export_pdf")
    if made and made[0] == (report.generated_at, name):
        st.download_button(
            label,
            data=made[1],
            file_name=name,
            mime=mime,
            key="export_download_pdf",
            icon=":material/download:",
            on_click="ignore",
        )
    elif st.button("Make the PDF", key="export_make_pdf", icon=":material/print:"):
        with st.spinner("Printing the report to PDF…"):
            try:
                st.session_state["export_pdf"] = (
                    (report.generated_at, name),
                    snapshot.render(report, "pdf"),
                )
            except CrimjustError as error:
                st.error(f"The PDF could not be made: {error}", icon=":material/error:")
            else:
                st.rerun()

st.subheader("What the snapshot holds")
st.markdown(
    f"- **Covers:** {view_state.describe(filters)}\n"
    f"- **Period:** {report.period[0]:%Y-%m-%d} to {report.period[1]:%Y-%m-%d}\n"
    f"- **Charts:** {', '.join(section.heading for section in report.sections) or 'none'}\n"
    f"- **Tables (CSV and XLSX):** {', '.join(report.tables())}\n"
    f"- **Small cells:** {disclosure.rule_text(int(threshold))}"
)
for note in report.notes:
    st.caption(note)
for row in (report.tiles[:3], report.tiles[3:]):
    for column, tile in zip(st.columns(3), row, strict=True):
        column.metric(tile.label, tile.value, border=True)
        column.caption(tile.note or " ")
st.markdown("**Prosecution and conviction rates** (after the small-cell rule)")
st.dataframe(report.rates, key="export_rates_table", hide_index=True)
st.markdown("**Dataset versions**")
st.dataframe(report.versions, key="export_versions_table", hide_index=True)

if st.toggle("Preview the HTML report", key="export_preview"):
    st.iframe(snapshot.render(report, "html").decode("utf-8"), height=900)
