"""The one binding of widgets to the URL, so a link reopens the view it was copied from.

Every parameter the app keeps in the URL is declared once in PARAMS: how a value of the link
is read (`parse`) and written (`dump`), its default, and whether it repeats (?region=a&region=b).
`bind` ties a widget's session-state key to one (or, for a date range, two) of them:

- the link's value goes into the widget when this session did not write it itself (a shared
  link, a reload, the browser's back button); a value the data has no use for is ignored with
  a notice. A link without the parameter at all (a page switch) keeps the session's choice;
- the widget's value goes into the URL at every run, so 'Share this view' and a reload keep it.

It runs before the widget is drawn: Streamlit has already put a changed widget's new value in
session state, so no page writes query parameters by hand and no widget needs an on_change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from crimjust_data import i18n
from crimjust_data.i18n import N_, _
from crimjust_data.queries.activities import DEFAULT_WINDOW_MONTHS
from crimjust_data.queries.flows import parse_focus
from crimjust_data.safe_text import markdown_literal
from crimjust_data.vocabulary import DIMENSION_NOUNS

CHOICES_NOTICE = N_("Ignored '{value}' from the link: not one of the choices here.")
# A notice whose text names {param} quotes the value alone; the others quote 'param=value'.
DATA_NOTICE = N_("Ignored {param} '{value}' from the link: there is no such {what} in the data.")
DATE_NOTICE = N_("Ignored '{value}' from the link: not a date (YYYY-MM-DD).")
SWAP_NOTICE = N_(
    "The link's dates were in the wrong order ('{asked}'): showing {start} to {end} instead."
)
OUTSIDE_NOTICE = N_(
    "The link asks for '{asked}', but the data run from {first} to {last}: showing the "
    "whole period instead."
)


def _country(value: str) -> str:
    """A focus country: an ISO3 code the app knows, in any case."""
    code, _notice = parse_focus(value)
    if code is None:
        raise ValueError(value)
    return code


@dataclass(frozen=True)
class Param:
    """One parameter of the URL.

    `parse` reads one value of the link (ValueError: not usable); `dump` writes one. A `short`
    parameter is left out of the URL at its default, to keep links short. Options, when the data
    decides them (countries, activities), are given to `bind`.
    """

    name: str
    parse: Callable[[str], Any] = str.strip
    dump: Callable[[Any], str] = str
    default: Any = None
    multiple: bool = False
    short: bool = False
    notice: str = CHOICES_NOTICE


def _dates(name: str) -> Param:
    return Param(name, dt.date.fromisoformat, dt.date.isoformat, short=True, notice=DATE_NOTICE)


def _filter(name: str, parse: Callable[[str], Any] = str.strip) -> Param:
    return Param(name, parse, default=[], multiple=True, short=True, notice=DATA_NOTICE)


PARAMS: dict[str, Param] = {
    param.name: param
    for param in (
        # the frame: the language and the sidebar's filters
        Param("lang", notice=N_("Ignored '{value}' from the link: not one of the languages here.")),
        _dates("from"),
        _dates("to"),
        _filter("region"),
        _filter("country", lambda value: value.strip().upper()),
        _filter("drug"),
        _filter("conveyance"),
        _filter("source"),
        # the pages' own controls
        Param(
            "focus",
            _country,
            short=True,
            notice=N_(  # Routes and flows
                "Ignored '{value}' from the link: not a country code (ISO3, e.g. CPV)."
            ),
        ),
        Param("lines"),  # Routes and flows
        Param("grain", default="quarter"),  # Timelines: months are noisy, years too few
        Param("by"),  # Timelines
        Param("measure"),  # Timelines
        Param("rate"),  # Justice outcomes
        Param("profile"),  # Country profile
        Param("activity"),  # Activities and results, Export
        Param("window", default=str(DEFAULT_WINDOW_MONTHS)),  # Activities and results, Export
        # program activities on a timeline (Timelines, Country profile)
        Param(
            "activities",
            lambda value: value != "off",
            lambda on: "on" if on else "off",
            default=True,
            short=True,
        ),
        Param("act_type", default=[], multiple=True, short=True),
        Param("act_partner", default=[], multiple=True, short=True),
    )
}


def _shadow(key: str) -> str:
    """Where session state holds what the binding of `key` last wrote to the URL."""
    return f"_url_{key}"


def _notice(param: Param, value: str) -> str:
    quoted = value if "{param}" in param.notice else f"{param.name}={value}"
    what = _(DIMENSION_NOUNS[param.name]) if param.name in DIMENSION_NOUNS else ""
    return _(param.notice).format(param=param.name, value=quoted, what=what)


def notify(notices: Sequence[str]) -> None:
    """Show what a link carried that was ignored (the notices quote the link: shown as text)."""
    for notice in notices:
        st.warning(markdown_literal(notice), icon=":material/link_off:")


def _read(param: Param, raw: list[str], options: Any, notices: list[str]) -> Any:
    """The link's values of `param` as the widget's value; unusable ones noted and left out."""
    kept: list[Any] = []
    for value in raw:
        try:
            parsed = param.parse(value)
        except ValueError:
            parsed = None
        if parsed is None or (options is not None and parsed not in options):
            notices.append(_notice(param, value))
        elif parsed not in kept:
            kept.append(parsed)
    if param.multiple:
        return kept
    return kept[-1] if kept else None


def _fit(param: Param, value: Any, options: Sequence[Any] | None, default: Any) -> Any:
    """`value` within `options` (what the data has now: a load or a rollback may change it)."""
    if param.multiple:
        return [v for v in value or [] if options is None or v in options]
    if value is None or (options is not None and value not in options):
        if options is not None and default not in options:
            return options[0]
        return default
    return value


def _written(param: Param, value: Any, default: Any) -> list[str]:
    if param.multiple:
        return [param.dump(v) for v in value]
    if value is None or (param.short and value == default):
        return []
    return [param.dump(value)]


def bind(
    key: str,
    name: str | tuple[str, str],
    options: Sequence[Any] | None = None,
    *,
    default: Any = None,
    notices: list[str] | None = None,
) -> Any:
    """Tie session_state[`key`] (a widget's key) to the URL parameter `name`; its value.

    Call before the widget is drawn. `options`: the values the widget offers (None: any that
    parses). `default` overrides the parameter's own. Notices of ignored link values go to
    `notices` if given (to be shown elsewhere), else are shown here. A pair of names binds a
    date range: `options` are then its first and last day, and each end is kept within them.
    """
    if not isinstance(name, str):
        return _bind_range(key, name, options, notices)
    param = PARAMS[name]
    found: list[str] = []
    in_link = [v for v in st.query_params.get_all(name) if v != ""]
    if in_link and {name: in_link} != st.session_state.get(_shadow(key)):
        read = _read(param, in_link, options, found)
        if param.multiple or read is not None:  # an invalid single value changes nothing
            st.session_state[key] = read
    fallback = default if default is not None else param.default
    value = _fit(param, st.session_state.get(key), options, fallback)
    st.session_state[key] = value
    _write(key, {name: _written(param, value, fallback)})
    _tell(found, notices)
    return value


def _linked_range(
    asked: list[Any], bounds: tuple[Any, Any], in_link: dict[str, list[str]], found: list[str]
) -> tuple[Any, Any]:
    """The range a link's two ends (None: not given or not a date) ask for, within `bounds`.

    Ends in the wrong order are swapped; a range that misses the data altogether (from after
    its last day, or to before its first) gives the whole of it: a single clamped day would
    show numbers that look like findings. Both are said in a notice naming what was asked.
    """
    low, high = bounds
    quoted = "&".join(f"{name}={values[-1]}" for name, values in in_link.items() if values)
    start, end = asked
    if start is not None and end is not None and start > end:
        start, end = end, start
        found.append(
            _(SWAP_NOTICE).format(asked=quoted, start=i18n.date(start), end=i18n.date(end))
        )
    start, end = start or low, end or high
    if start > high or end < low:
        found.append(
            _(OUTSIDE_NOTICE).format(asked=quoted, first=i18n.date(low), last=i18n.date(high))
        )
        return low, high
    return max(start, low), min(end, high)


def _bind_range(
    key: str, names: tuple[str, str], bounds: Any, notices: list[str] | None
) -> tuple[Any, ...]:
    """`bind` for a range (a date_input of two dates): each end is a parameter of its own,
    left out of the URL at the data's own bound (no restriction)."""
    params = [PARAMS[n] for n in names]
    low, high = bounds
    found: list[str] = []
    in_link = {n: [v for v in st.query_params.get_all(n) if v != ""] for n in names}
    if any(in_link.values()) and in_link != st.session_state.get(_shadow(key)):
        asked = [_read(p, in_link[p.name], None, found) for p in params]
        st.session_state[key] = _linked_range(asked, bounds, in_link, found)
    held = st.session_state.get(key, (low, high))
    # while a range is being picked, the widget holds its first day alone
    value = tuple(min(max(end, low), high) for end in held)
    st.session_state[key] = value
    _write(
        key,
        {
            p.name: [p.dump(value[i])] if i < len(value) and value[i] != bound else []
            for i, (p, bound) in enumerate(zip(params, bounds, strict=True))
        },
    )
    _tell(found, notices)
    return value


def _write(key: str, written: dict[str, list[str]]) -> None:
    """Put a binding's values in the URL and remember them as this session's own."""
    for name, values in written.items():
        if not values:
            st.query_params.pop(name, None)
        elif PARAMS[name].multiple:
            st.query_params[name] = values
        else:
            st.query_params[name] = values[0]
    st.session_state[_shadow(key)] = written


def _tell(found: list[str], notices: list[str] | None) -> None:
    if notices is None:
        notify(found)
    else:
        notices.extend(found)


def linked(
    widget: Callable[..., Any],
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    param: str,
    default: Any = None,
    **kwargs: Any,
) -> Any:
    """`widget(label, options, key=key, **kwargs)` (a selectbox, radio, segmented control or
    multiselect) bound to the URL parameter `param`; its value."""
    value = bind(key, param, options, default=default)
    drawn = widget(label, options, key=key, **kwargs)
    return value if drawn is None else drawn


def in_link(name: str) -> bool:
    """Whether the URL carries `name` now."""
    return name in st.query_params


def unlink(*names: str) -> None:
    """Take parameters out of the URL, when the control they belong to is put away."""
    for name in names:
        st.query_params.pop(name, None)
