"""Justice outcomes: what happens to cocaine cases after the seizure (docs/METHODS.md)."""

from __future__ import annotations

from crimjust_data import ui
from crimjust_data.ui import sections
from crimjust_data.views import justice

sections.show(justice.view, ui.page_filters())
