"""Where the numbers come from: the source line under each chart, and the freshness table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crimjust_data.i18n import _
from crimjust_data.safe_text import markdown_literal
from crimjust_data.vocabulary import stored_text, table_label


@dataclass(frozen=True)
class DataSources:
    """The sources behind what is shown, as one citation line, and whether any is synthetic."""

    label: str
    synthetic: bool


def data_sources(freshness: pd.DataFrame, tables: tuple[str, ...] | None = None) -> DataSources:
    """Summarise metrics.data_freshness() (for some tables, or all) into a 'Source:' line."""
    if tables is not None:
        freshness = freshness[freshness["table_name"].isin(tables)]
    if freshness.empty:
        return DataSources(_("no data loaded"), False)
    stored = sorted({s.strip() for text in freshness["sources"] for s in str(text).split(";")})
    synthetic = bool(freshness["synthetic"].any())
    label = "; ".join(stored_text(name) for name in stored)
    if synthetic and "synthetic" not in "; ".join(stored).lower():  # the demo's says so
        label += " " + _("(synthetic)")
    return DataSources(label, synthetic)


def source_names(freshness: pd.DataFrame) -> list[str]:
    """Each table's sources as stored ('a; b'), for people (see vocabulary.stored_text)."""
    return [
        "; ".join(stored_text(name.strip()) for name in str(text).split(";"))
        for text in freshness["sources"]
    ]


def freshness_table(freshness: pd.DataFrame) -> pd.DataFrame:
    """One readable row per table: rows, versions, last load, newest data, sources, synthetic."""
    return pd.DataFrame(
        {
            _("Table"): [table_label(t) for t in freshness["table_name"]],
            _("Rows"): freshness["rows"].astype("int64"),
            _("Active versions"): freshness["active_versions"].astype("int64"),
            _("Last loaded (UTC)"): pd.to_datetime(freshness["last_loaded"]).dt.strftime(
                "%Y-%m-%d %H:%M"
            ),
            _("Newest data"): freshness["newest_data"],
            _("Source"): source_names(freshness),
            _("Synthetic"): [_("yes") if s else _("no") for s in freshness["synthetic"]],
        }
    )


def showing(view: str) -> str:
    """'Showing: …' after a page's caption (`view`: view_state.describe, quoting uploaded
    names: shown as plain text)."""
    return _("Showing: {view}.").format(view=markdown_literal(view))


def empty_text(what: str) -> str:
    """The message shown instead of a chart when the selection has nothing to draw."""
    return _(
        "No {what} in the current selection. Widen the dates or clear some filters in the sidebar."
    ).format(what=_(what))
