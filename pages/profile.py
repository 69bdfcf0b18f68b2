"""Country profile: one country's seizures, routes, timeline and justice outcomes beside its
region."""

from __future__ import annotations

from crimjust_data import ui
from crimjust_data.ui import sections
from crimjust_data.views import profile

sections.show(profile.view, ui.page_filters())
