"""Export: the donor snapshot of the current view, as HTML, PDF, CSV or XLSX, with a preview."""

from __future__ import annotations

import streamlit as st

from crimjust_data import disclosure, i18n, snapshot, ui, view_state
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import N_, _
from crimjust_data.queries import activities
from crimjust_data.safe_text import markdown_literal
from crimjust_data.snapshot.pdf import pdf_available
from crimjust_data.ui import sections

filters = ui.page_filters()

st.title(_("Export a donor snapshot"))
st.caption(
    _(
        "One file a donor can open offline and forward: headline figures, the flows map, the "
        "region Sankey, the timeline, the justice funnel and the rates with their intervals, "
        "the dataset versions and the sources. It covers the filters set in the sidebar: "
        "**{view}**."
    ).format(view=markdown_literal(view_state.describe(filters)))  # names of uploaded sources
)

formats = st.pills(
    _("Formats"),
    tuple(snapshot.FORMATS),
    selection_mode="multi",
    default=["html", "pdf"],
    format_func=lambda fmt: _(snapshot.FORMAT_LABELS[fmt]),
    key="export_formats",
)
left, right = st.columns(2)
with left:
    if "export_lang" not in st.session_state:  # the interface's language, unless changed here
        st.session_state["export_lang"] = i18n.current()
    lang = st.selectbox(
        _("Language of the snapshot"),
        tuple(snapshot.LANGUAGES),
        key="export_lang",
        format_func=snapshot.LANGUAGES.__getitem__,
    )
with right:
    floor = disclosure.configured_threshold()
    threshold = st.number_input(
        _("Show case counts below this as '<N'"),
        min_value=floor,
        max_value=100,
        value=floor,
        step=1,
        key="export_threshold",
        help=_(
            "Small-cell suppression, so that no small group of defendants can be singled out. "
            "It can be raised here, not lowered below the deployment's setting ({setting})."
        ).format(setting=disclosure.THRESHOLD_SETTING),
    )
if lang not in snapshot.TRANSLATED:
    st.info(
        _("{language} is not available yet: the snapshot comes out in English.").format(
            language=snapshot.LANGUAGES[lang]
        ),
        icon=":material/translate:",
    )

# Optional: one program activity before and after, as on the Activities and results page.
if "export_activity" not in st.session_state:  # a link that names an activity turns it on
    st.session_state["export_activity"] = ui.in_link("activity")
activity: tuple[str, int] | None = None
if st.toggle(
    _("Add a program activity's before and after"),
    key="export_activity",
    help=_(
        "A section with one activity's indicators in the months before and after it, beside "
        "the other countries of its regions. The sidebar's filters do not apply to it."
    ),
):
    choices = ui.query(activities.activity_labels)
    if not choices:
        ui.show_empty(N_("program activities"))
    else:
        months = ui.linked(
            st.segmented_control,
            _("Months before and after"),
            [str(m) for m in activities.WINDOW_CHOICES],
            key="export_activity_window",
            param="window",
        )
        # As on the Activities page: the most recent activity with whole windows, not the
        # latest (whose after window may hold a month or two).
        complete = ui.query(activities.latest_complete, int(months))
        activity_id = ui.linked(
            st.selectbox,
            _("Activity"),
            list(choices),
            key="export_activity_choice",
            param="activity",
            format_func=choices.__getitem__,
            default=complete if complete in choices else list(choices)[-1],
        )
        activity = (activity_id, int(months))
else:
    ui.unlink("activity", "window")  # off: the link no longer names one

# Cached without the charts' numbers and the filtered rows (up to a million): a file or the
# preview reads them when made (only CSV and XLSX hold the rows).
report = ui.snapshot_without_rows(filters, lang, int(threshold))
if activity is not None:  # cached apart: the filters do not change it
    section = ui.query(snapshot.activity_section, *activity, lang, int(threshold))
    report = snapshot.with_section(report, section)
store = ui.store()


def _file(fmt: str) -> bytes:
    rows = fmt in snapshot.content.ROW_FORMATS
    return snapshot.render(snapshot.content.with_data(report, store, rows=rows), fmt)


if report.sources.synthetic:
    st.warning(
        _(
            "**Synthetic data.** The snapshot carries a banner saying its figures are generated "
            "demo data, not real seizures or cases."
        ),
        icon=":material/science:",
    )

st.subheader(_("Download"))
if not formats:
    st.caption(_("Pick at least one format above."))
for fmt in formats or ():
    name = snapshot.file_name(report, fmt)
    mime = snapshot.FORMATS[fmt][0]
    label = _(snapshot.DOWNLOAD_LABELS[fmt])
    if fmt != "pdf":  # made when clicked, from the report built above
        st.download_button(
            label,
            data=lambda fmt=fmt: _file(fmt),
            file_name=name,
            mime=mime,
            key=f"export_download_{fmt}",
            icon=":material/download:",
            on_click="ignore",
        )
        continue
    available, how_to_enable = pdf_available()
    if not available:
        st.warning(
            _("PDF cannot be made here. {how_to_enable}").format(how_to_enable=how_to_enable),
            icon=":material/print_disabled:",
        )
        continue
    # Printing takes a few seconds: made on request, then offered, with any failure shown.
    made = st.session_state.get("export_pdf")
    if made and made[0] == (report.generated_at, name, activity):
        st.download_button(
            label,
            data=made[1],
            file_name=name,
            mime=mime,
            key="export_download_pdf",
            icon=":material/download:",
            on_click="ignore",
        )
    elif st.button(_("Make the PDF"), key="export_make_pdf", icon=":material/print:"):
        with st.spinner(_("Printing the report to PDF…")):
            try:
                st.session_state["export_pdf"] = (
                    (report.generated_at, name, activity),
                    _file("pdf"),
                )
            except CrimjustError as error:
                st.error(
                    _("The PDF could not be made: {error}").format(error=markdown_literal(error)),
                    icon=":material/error:",
                )
            else:
                st.rerun()

st.subheader(_("What the snapshot holds"))
holds = (
    _("**Covers:** {view}").format(view=markdown_literal(view_state.describe(filters))),
    _("**Period:** {start} to {end}").format(
        start=f"{report.period[0]:%Y-%m-%d}", end=f"{report.period[1]:%Y-%m-%d}"
    ),
    _("**Charts:** {charts}").format(
        charts=", ".join(markdown_literal(section.heading) for section in report.sections)
        or _("none")  # an activity's heading holds its uploaded title
    ),
    _("**Tables (CSV and XLSX):** {tables}").format(
        tables=", ".join(f"`{name}`" for name in report.table_names())  # file and sheet names
    ),
    _("**Small cells:** {rule}").format(rule=disclosure.rule_text(int(threshold))),
)
st.markdown("\n".join(f"- {line}" for line in holds))
for note in report.notes:
    st.caption(note)
sections.draw_tiles(report.tiles, 3)
st.markdown(_("**Prosecution and conviction rates** (after the small-cell rule)"))
ui.widgets.show_table(report.rates, "export_rates_table")
st.markdown(_("**Dataset versions**"))
ui.widgets.show_table(report.versions_table, "export_versions_table")

if st.toggle(_("Preview the HTML report"), key="export_preview"):
    st.iframe(_file("html").decode("utf-8"), height=900)
