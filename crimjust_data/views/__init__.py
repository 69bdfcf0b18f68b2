"""Views declared once: each page of the dashboard as data (crimjust_data.views.parts), drawn by
its page and rendered by the donor snapshot, so a fix lands in both."""

from crimjust_data.views.parts import (
    Choice,
    Context,
    Notice,
    Section,
    SectionTable,
    Tile,
    View,
)
from crimjust_data.views.sources import (
    DataSources,
    data_sources,
    freshness_table,
    stored_text,
    table_label,
)
from crimjust_data.views.tiles import comparison_tiles, headline_tiles

__all__ = [
    "Choice",
    "Context",
    "DataSources",
    "Notice",
    "Section",
    "SectionTable",
    "Tile",
    "View",
    "comparison_tiles",
    "data_sources",
    "freshness_table",
    "headline_tiles",
    "stored_text",
    "table_label",
]
