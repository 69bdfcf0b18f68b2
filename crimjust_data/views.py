"""Small frames shaped for display: what pages show as tables and labels, computed here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TABLE_LABELS = {
    "seizures": "Seizure events",
    "cases": "Criminal cases",
    "annual_seizures": "Official annual totals (UNODC)",
}


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
        return DataSources("no data loaded", False)
    names = sorted({s.strip() for text in freshness["sources"] for s in str(text).split(";")})
    synthetic = bool(freshness["synthetic"].any())
    label = "; ".join(names)
    if synthetic and "synthetic" not in label.lower():
        label += " (synthetic)"
    return DataSources(label, synthetic)


def freshness_table(freshness: pd.DataFrame) -> pd.DataFrame:
    """One readable row per table: rows, versions, last load, newest data, sources, synthetic."""
    return pd.DataFrame(
        {
            "Table": [TABLE_LABELS.get(t, t) for t in freshness["table_name"]],
            "Rows": freshness["rows"].astype("int64"),
            "Active versions": freshness["active_versions"].astype("int64"),
            "Last loaded (UTC)": pd.to_datetime(freshness["last_loaded"]).dt.strftime(
                "%Y-%m-%d %H:%M"
            ),
            "Newest data": freshness["newest_data"],
            "Source": freshness["sources"],
            "Synthetic": ["yes" if s else "no" for s in freshness["synthetic"]],
        }
    )
