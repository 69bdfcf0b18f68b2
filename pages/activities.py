"""Activities and results: one program activity's indicators before and after it, beside the
same indicators in the other countries of its region (a difference-in-differences view)."""

from __future__ import annotations

from crimjust_data import ui
from crimjust_data.ui import sections
from crimjust_data.views import activities

ui.page_filters()  # the sidebar's filters do not apply here (said on the page); the router's do
sections.show(activities.view)
