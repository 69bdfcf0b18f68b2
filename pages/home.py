"""Home: headline figures, the three regions compared, and where the data comes from."""

from __future__ import annotations

from crimjust_data import ui
from crimjust_data.ui import sections
from crimjust_data.views import home

sections.show(home.view, ui.page_filters())
