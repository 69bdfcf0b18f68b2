"""A view (crimjust_data.views) drawn on its page: one call per page.

The page's context reads through the query cache and resolves each control from the link or the
session before the view is built; `draw` then lays out the title, notices, tiles and sections,
each control at its place, and each chart with its 'View data' table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from crimjust_data.figures import Chart
from crimjust_data.i18n import _
from crimjust_data.ui import data, url, widgets
from crimjust_data.views import Choice, Notice, Section, Tile, View

Draw = Callable[[], None]


class PageContext:
    """crimjust_data.views.Context for a page: cached reads, controls bound to the link."""

    def __init__(self) -> None:
        self.choices: list[Choice] = []
        self.notices: dict[str, list[str]] = {}  # what links carried that was ignored, by place

    def read(self, query: Callable[..., Any], *args: Any) -> Any:
        return data.query(query, *args)

    def choose(self, choice: Choice) -> Any:
        """The value `choice`'s widget will show, read before it is drawn (see url.bind)."""
        self.choices.append(choice)
        if choice.widget == "activities":
            return widgets.activity_selection(choice.key)
        if choice.param is None:  # not in links: the session's choice, within the options
            kept = [v for v in st.session_state.get(choice.key, []) if v in choice.options]
            st.session_state[choice.key] = kept
            return tuple(kept)
        notices = self.notices.setdefault(choice.at, [])
        return url.bind(
            choice.key, choice.param, choice.options, default=choice.default, notices=notices
        )


WIDGETS: dict[str, Callable[..., Any]] = {
    "selectbox": st.selectbox,
    "radio": functools.partial(st.radio, horizontal=True),
    "segmented": st.segmented_control,
}


def _draw_choice(choice: Choice) -> None:
    if choice.widget == "activities":
        widgets.activity_controls(choice.key, choice.label)
    elif choice.widget == "multiselect":
        st.multiselect(
            choice.label,
            choice.options,
            key=choice.key,
            format_func=choice.format,
            placeholder=_("All"),
        )
    else:
        WIDGETS[choice.widget](
            choice.label, choice.options, key=choice.key, format_func=choice.format
        )


def _draw_choices(choices: list[Choice], notices: list[str]) -> None:
    """Choices at one place, side by side when they have a width, after what the link carried
    for them that was ignored."""
    url.notify(notices)
    placed = [choice for choice in choices if choice.width is not None]
    if placed:
        widths = [choice.width for choice in placed]
        for column, choice in zip(st.columns(widths), placed, strict=True):
            with column:
                _draw_choice(choice)
    for choice in choices:
        if choice.width is None:
            _draw_choice(choice)


def _draw_notice(notice: Notice) -> None:
    if notice.kind == "caption":
        st.caption(notice.text)
    elif notice.kind == "warning":
        st.warning(notice.text, icon=notice.icon)
    else:
        st.info(notice.text, icon=notice.icon)


def draw_tiles(tiles: Sequence[Tile], per_row: int) -> None:
    """Headline tiles, `per_row` to a row, each with its note under it."""
    for start in range(0, len(tiles), per_row):  # a row at a time: a note never shifts the next
        row = tiles[start : start + per_row]
        for column, tile in zip(st.columns(per_row), row, strict=False):
            column.metric(
                tile.label,
                tile.value,
                delta=tile.delta,
                delta_color=tile.delta_color,
                delta_arrow="off" if tile.delta_color == "off" else "auto",
                help=tile.help,
                border=True,
            )
            if tile.note:
                column.caption(tile.note)


def _draw_section(section: Section, context: PageContext, extras: Mapping[str, Draw]) -> None:
    """The section's heading, controls, words and chart (or table); its 'View data' expander
    and caption go under them (in a half section, at the foot of its column)."""
    with st.container(key=f"{section.key}_body"):
        if section.heading:
            st.subheader(section.heading)
        _draw_choices(
            [choice for choice in context.choices if choice.at == section.key],
            context.notices.get(section.key, []),
        )
        if section.key in extras:
            extras[section.key]()
        if section.intro:
            st.caption(section.intro)
        for notice in section.notices:
            _draw_notice(notice)
        numbers = section.numbers
        if section.read is not None:
            numbers = data.query(section.read, *section.args)
        drawn = section.build(numbers)
        if isinstance(drawn, Chart):
            widgets.draw_figure(
                drawn.figure,
                section.widget_key,
                selectable=section.selectable,
                summary=drawn.summary,
            )
        elif isinstance(drawn, pd.DataFrame) and section.expander:
            label, icon = section.expander
            with st.expander(label, icon=icon, key=section.key):
                widgets.show_table(drawn, section.widget_key)
        elif isinstance(drawn, pd.DataFrame):
            widgets.show_table(drawn, section.widget_key)
        elif isinstance(drawn, Notice):
            _draw_notice(drawn)
        elif section.empty:
            widgets.show_empty(section.empty)
        if section.caption and drawn is not None:
            st.caption(section.caption)
    if isinstance(drawn, Chart):
        widgets.data_expander(drawn.data, section.widget_key, file_name=section.download_name)


def draw(view: View, context: PageContext, extras: Mapping[str, Draw] | None = None) -> None:
    """Draw `view` (built with `context`); `extras` draws a page's own widgets under the
    heading of the section it names."""
    extras = extras or {}
    st.title(view.title)
    if view.caption:
        st.caption(view.caption)
    for notice in view.notices:
        _draw_notice(notice)
    _draw_choices(
        [choice for choice in context.choices if not choice.at], context.notices.get("", [])
    )
    draw_tiles(view.tiles, view.tiles_per_row)
    sections = list(view.sections)
    while sections:
        section = sections.pop(0)
        if section.half and sections and sections[0].half:
            pair = (section, sections.pop(0))
            for column, half in zip(st.columns(2), pair, strict=True):
                # each column as tall as the taller one, its 'View data' pushed to the foot:
                # the two expanders of a pair line up whatever the words above them
                with (
                    column,
                    st.container(
                        key=f"{half.key}_half", height="stretch", vertical_alignment="distribute"
                    ),
                ):
                    _draw_section(half, context, extras)
        else:
            _draw_section(section, context, extras)
    if view.stop:
        widgets.show_empty(view.stop)
    for notice in view.end:
        _draw_notice(notice)


def show(build: Callable[..., View], *args: Any, extras: Mapping[str, Draw] | None = None) -> View:
    """Build the view `build(context, *args)` for this page and draw it."""
    context = PageContext()
    shown = build(context, *args)
    draw(shown, context, extras)
    return shown
