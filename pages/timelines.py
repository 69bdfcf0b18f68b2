"""Timelines: kg seized and seizure events over time, spikes, and official totals per year."""

from __future__ import annotations

from crimjust_data import ui
from crimjust_data.ui import sections
from crimjust_data.views import timelines

sections.show(timelines.view, ui.page_filters())
