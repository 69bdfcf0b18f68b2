"""What a view is made of: tiles, sections, choices and notices, declared once as data.

A view module (crimjust_data.views.home, .flows, ...) builds a `View` from a `Context`: the page
draws it with one call (crimjust_data.ui.sections.draw), the snapshot renders its sections to
HTML, PDF, CSV and XLSX (crimjust_data.snapshot.content). Nothing here draws or reads by itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from crimjust_data.figures import Chart


@dataclass(frozen=True)
class Tile:
    """One headline figure: label, value, a note under it, and optionally its difference
    from a reference (`delta`, coloured as `delta_color`: 'normal', 'inverse' when lower is
    better, 'off' for a share that is neither better nor worse)."""

    label: str
    value: str
    note: str = ""
    delta: str | None = None
    delta_color: str = "normal"
    help: str | None = None


@dataclass(frozen=True)
class Notice:
    """A message shown as it is: 'warning', 'info' or 'caption', with a material icon."""

    text: str
    kind: str = "info"
    icon: str = ":material/info:"


@dataclass(frozen=True)
class Choice:
    """A control whose value a view needs: drawn by the page at section `at` ('' : under the
    page's caption), fixed by the snapshot. `param` is its URL parameter (None: not in links)."""

    key: str  # the widget's key
    label: str
    options: tuple[str, ...]
    param: str | None = None
    format: Callable[[str], str] = str
    widget: str = "selectbox"  # selectbox, radio, segmented, multiselect
    default: str | None = None
    at: str = ""
    width: float | None = None  # choices at one place with a width: side by side


@dataclass(frozen=True)
class SectionTable:
    """A table shown under a section's chart, and in CSV and XLSX under `key`."""

    key: str
    heading: str
    frame: pd.DataFrame


class _Unread:
    """A section's numbers not read yet (one instance, kept as itself when pickled)."""

    def __reduce__(self) -> str:
        return "UNREAD"


UNREAD: Any = _Unread()


def as_given(numbers: Any) -> Any:
    """A section's numbers drawn as they are (a Chart, a table, a Notice or None)."""
    return numbers


@dataclass(frozen=True)
class Section:
    """One chart or table of a view, with its heading and words.

    `key` names its numbers in files (CSV, XLSX, the snapshot's sections); `widget` is the
    page's widget key (default `key`). The numbers are `read(store, *args)`, read by the page
    through its cache or by the snapshot when a file is made, then drawn by `build(numbers)`:
    a Chart, a table, or None when there is nothing to draw (the page then says there is no
    `empty` in the selection). `half` sections stand side by side, two in a row.
    """

    key: str
    heading: str = ""
    read: Callable[..., Any] | None = None
    args: tuple[Any, ...] = ()
    build: Callable[[Any], Chart | pd.DataFrame | Notice | None] = as_given
    numbers: Any = UNREAD
    caption: str = ""  # under the chart
    intro: str = ""  # under the heading, before the chart
    notices: tuple[Notice, ...] = ()  # before the chart
    empty: str = ""  # what there is none of, when `build` gives None
    widget: str = ""
    file_name: str = ""  # of the page's CSV download (default `key`)
    selectable: bool = False
    half: bool = False
    expander: tuple[str, str] | None = None  # (label, icon): a table shown folded
    tables: tuple[SectionTable, ...] = ()
    scope: tuple[str, str] | None = None  # (label, text) when the report's filters do not apply
    notes: tuple[str, ...] = ()  # cautions a report prints before the chart

    @functools.cached_property
    def drawn(self) -> Chart | pd.DataFrame | Notice | None:
        if self.numbers is UNREAD:
            raise ValueError("this snapshot was built without its data: use with_data first")
        return self.build(self.numbers)

    @property
    def widget_key(self) -> str:
        return self.widget or self.key

    @property
    def download_name(self) -> str:
        return self.file_name or self.key

    @property
    def chart(self) -> Chart:
        drawn = self.drawn
        if not isinstance(drawn, Chart):
            raise ValueError(f"section {self.key!r} draws no chart")
        return drawn


@dataclass(frozen=True)
class View:
    """A page as data: title, caption, notices, tiles, then sections. `stop` (a Notice) ends
    the view early: shown in place of everything after the notices."""

    key: str
    title: str
    caption: str = ""
    notices: tuple[Notice, ...] = ()
    tiles: tuple[Tile, ...] = ()
    tiles_per_row: int = 3
    sections: tuple[Section, ...] = ()
    choices: tuple[Choice, ...] = ()
    stop: str = ""  # what there is none of: 'No {stop} in the current selection…'
    end: tuple[Notice, ...] = field(default=())  # notes after the last section


class Context(Protocol):
    """What a view module needs from whoever shows it: the page (cached reads, controls drawn
    and kept in the link) or the snapshot (the store read directly, controls fixed)."""

    def read(self, query: Callable[..., Any], *args: Any) -> Any:
        """`query(store, *args)`."""
        ...

    def choose(self, choice: Choice) -> Any:
        """The value of `choice` (a tuple for a multiselect)."""
        ...


def shown(sections: Sequence[Section | None]) -> tuple[Section, ...]:
    """The sections that apply (a view leaves out with None what the data does not have)."""
    return tuple(section for section in sections if section is not None)
