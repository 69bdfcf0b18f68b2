"""Routes and flows: where cocaine is seized, where it was heading, and region to region.

Clicking a country on the seizure map (or opening a link with ?focus=ISO3) narrows the flows,
the Sankey and the top routes to the seizures that touch that country.
"""

from __future__ import annotations

import streamlit as st

from crimjust_data import ui
from crimjust_data.figures import flows as charts
from crimjust_data.i18n import _
from crimjust_data.queries import flows
from crimjust_data.ui import sections
from crimjust_data.views import flows as view

FOCUS = "flows_focus"  # the followed country (ISO3) or None
PICKED = "flows_map_picked"  # the map selection last acted upon
GENERATION = "flows_map_generation"  # bumped to give the map a fresh, empty selection


def _clear_focus() -> None:
    st.session_state[FOCUS] = None
    st.session_state[PICKED] = ()
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def _focus_box() -> None:
    """Who the page follows, and the button that stops following."""
    if not focus:
        return
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.info(
        _(
            "Following **{country}**: the flows, the regions and the top routes below show only "
            "seizures that touch it."
        ).format(country=flows.focus_label(focus)),
        icon=":material/my_location:",
    )
    right.button(
        _("Clear country selection"),
        key="flows_clear_focus",
        on_click=_clear_focus,
        icon=":material/close:",
    )


filters = ui.page_filters()
# Map click -> focus. Only a change of the selection counts, so the focus set by a link or
# cleared by the button is not overwritten by a selection the map still holds.
map_key = f"flows_map_{st.session_state.get(GENERATION, 0)}"
picked = charts.focus_from_selection(st.session_state.get(map_key))
if picked != st.session_state.get(PICKED, ()):
    st.session_state[PICKED] = picked
    st.session_state[FOCUS] = picked[0] if picked else None
focus: str | None = ui.bind(FOCUS, "focus")  # a shared link's focus wins; kept in the link

sections.show(view.view, filters, focus, map_key, extras={view.MAP: _focus_box})
