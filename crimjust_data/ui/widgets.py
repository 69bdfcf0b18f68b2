"""Shared page parts: a chart with its data, the empty-selection message, program activities
on a time axis."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from crimjust_data import countries, table_numbers
from crimjust_data.figures import PAGE_CONFIG, select_modes
from crimjust_data.i18n import _
from crimjust_data.schemas import ACTIVITY_TYPES, PARTNERS
from crimjust_data.snapshot.tables import csv_bytes
from crimjust_data.ui import url
from crimjust_data.vocabulary import partner_label, type_label


def show_chart(
    figure: go.Figure,
    data: pd.DataFrame,
    key: str,
    *,
    file_name: str,
    selectable: bool = False,
    summary: str = "",
) -> Any:
    """Draw a figure, then a 'view data' table of exactly the numbers drawn, with a CSV download.

    With `selectable`, clicking points reruns the app and the selection event is returned.
    `summary` (a Chart's text summary) is shown under the figure, for people who cannot see it.
    """
    event = draw_figure(figure, key, selectable=selectable, summary=summary)
    data_expander(data, key, file_name=file_name)
    return event


def draw_figure(figure: go.Figure, key: str, *, selectable: bool = False, summary: str = "") -> Any:
    """The figure and its text summary (show_chart without its table)."""
    selection: dict[str, Any] = {}
    if selectable:
        selection = {"on_select": "rerun", "selection_mode": ("points",)}
    if any(trace.type in ("scattergeo", "choropleth") for trace in figure.data):
        problem = countries.world_topology_problem()
        if problem:
            st.error(problem, icon=":material/map:")
    if selectable:
        select_modes(figure)
    # theme=None: the house style is the figure's own (figures.house_style), as in a snapshot
    event = st.plotly_chart(figure, key=key, config=PAGE_CONFIG, theme=None, **selection)
    if summary:
        st.caption(summary)
    return event


def data_expander(data: pd.DataFrame, key: str, *, file_name: str) -> None:
    """The 'View data' expander of a chart: its numbers as a table, and as a CSV file.

    Filled only while open (opening it reruns the page): a closed table costs the server its
    styling and the browser its grid on every run, for every chart."""
    with st.expander(
        _("View data"), expanded=False, key=f"{key}_data_expander", on_change="rerun"
    ) as box:
        if not box.open:
            return
        show_table(data, f"{key}_data")
        st.download_button(
            _("Download CSV"),
            data=functools.partial(csv_bytes, data),  # made when clicked, not at every run
            file_name=f"{file_name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
        )


def show_table(frame: pd.DataFrame, key: str, **options: Any) -> None:
    """A table with its numbers written in the interface language (Streamlit's own number
    formats follow the browser's locale): sorting a column still sorts the values."""
    st.dataframe(table_numbers.styler(frame), key=key, hide_index=True, **options)


def show_empty(what: str) -> None:
    """The message shown instead of a chart when the selection has nothing to draw."""
    st.info(
        _(
            "No {what} in the current selection. Widen the dates or clear some filters in the "
            "sidebar."
        ).format(what=_(what)),
        icon=":material/filter_alt_off:",
    )


# Program activities on a time axis (timelines, country profile): one control set, one list.
# The link holds codes (activities=off, act_type=training, act_partner=unodc), so it reads the
# same in every language.


ActivitySelection = tuple[tuple[str, ...], tuple[str, ...]] | None


def activity_selection(page: str) -> ActivitySelection:
    """What `activity_controls(page, ...)` will show, read before they are drawn: the chosen
    (types, partners), or None when activities are hidden."""
    show = url.bind(f"{page}_activities", "activities")
    types = url.bind(f"{page}_act_type", "act_type", ACTIVITY_TYPES)
    partners = url.bind(f"{page}_act_partner", "act_partner", PARTNERS)
    return (tuple(types), tuple(partners)) if show else None


def activity_controls(page: str, help_text: str) -> ActivitySelection:
    """'Show activities' (on by default) with filters by type and partner, kept in the link;
    the chosen (types, partners), or None when activities are hidden. Keys start with `page`;
    call `activity_selection(page)` first in the run (it binds them to the link)."""
    show_column, type_column, partner_column = st.columns(
        [1, 1.5, 1.5], vertical_alignment="bottom"
    )
    show = show_column.toggle(_("Show activities"), key=f"{page}_activities", help=help_text)
    types, partners = (
        column.multiselect(
            label,
            codes,
            key=f"{page}_{param}",
            format_func=words,
            placeholder=_("All"),
            disabled=not show,
        )
        for column, label, codes, param, words in (
            (type_column, _("Activity type"), ACTIVITY_TYPES, "act_type", type_label),
            (partner_column, _("Partner"), PARTNERS, "act_partner", partner_label),
        )
    )
    return (tuple(types), tuple(partners)) if show else None
