"""The export page through the router (AppTest): choices, downloads, and PDF without a browser."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_page


def _table(app, first_column: str) -> pd.DataFrame:
    """The page's table whose first column is `first_column` (AppTest keeps no dataframe keys)."""
    return next(t.value for t in app.dataframe if t.value.columns[0] == first_column)


def _buttons(app) -> list[str]:
    return [b.proto.label for b in app.get("download_button")]


def test_page_offers_each_format_on_the_demo_data(store_path: Path) -> None:
    app = run_page("pages/export.py")  # the first run seeds the demo data
    assert app.title[0].value == "Export a donor snapshot"
    assert app.session_state["export_formats"] == ["html", "pdf"]
    assert app.number_input(key="export_threshold").value == 5
    assert any("Synthetic data" in w.value for w in app.warning)
    assert "Download the HTML report" in _buttons(app)
    tiles = {m.label: m.value for m in app.metric}
    assert tiles["Seizure events"] == "6,000"
    assert tiles["Cases opened"] == "3,000"
    rates = _table(app, "Level")
    assert {"Region", "Country"} == set(rates["Level"])
    versions = _table(app, "Table")
    assert versions["SHA-256"].str.fullmatch(r"[0-9a-f]{64}").all()

    app.session_state["export_formats"] = ["csv", "xlsx"]
    app.run()
    assert not app.exception
    assert _buttons(app) == ["Download the CSV tables (zip)", "Download the Excel workbook (XLSX)"]


def test_filters_from_the_link_reach_the_snapshot(store_path: Path) -> None:
    app = run_page("pages/export.py", query={"region": "west_africa"})
    assert "West Africa" in app.caption[0].value
    regions = _table(app, "Level")
    assert set(regions.loc[regions["Level"] == "Region", "Place"]) == {"West Africa"}
    assert app.selectbox(key="export_lang").value == "en"  # the interface's language
    app.selectbox(key="export_lang").set_value("fr")
    app.run()
    assert "West Africa" in app.caption[0].value  # the page stays in English
    assert not any("not available yet" in i.value for i in app.info)
    rates_in_french = app.dataframe[0].value  # the snapshot's own tables are in French
    assert rates_in_french.columns[0] != "Level" and "Afrique de l'Ouest" in set(
        rates_in_french.iloc[:, 1]
    )


def test_without_a_browser_the_page_says_how_to_enable_pdf_and_offers_html(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRIMJUST_CHROMIUM", str(store_path.parent / "no-such-chromium"))
    app = run_page("pages/export.py")
    messages = [w.value for w in app.warning]
    assert any("PDF cannot be made here" in m and "apt-get install chromium" in m for m in messages)
    assert "Download the HTML report" in _buttons(app)
    assert not [b for b in app.button if b.key == "export_make_pdf"]


def test_the_threshold_cannot_go_below_the_deployments_setting(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRIMJUST_SMALL_CELL_THRESHOLD", "10")
    app = run_page("pages/export.py", query={"country": "BLZ"})
    field = app.number_input(key="export_threshold")
    assert field.value == 10 and field.min == 10
    rates = _table(app, "Level")
    assert rates["Cases opened"].tolist() == ["<10", "<10"]  # Belize: 5 cases, region row too
    assert set(rates["Prosecution rate"]) == {"withheld"}


def test_the_preview_reads_the_charts_when_asked(store_path: Path) -> None:
    app = run_page("pages/export.py", query={"region": "caribbean"})
    app.toggle(key="export_preview").set_value(True)
    app.run()
    assert not app.exception
    frames = [str(e.proto) for e in app.main if getattr(e, "type", None) == "iframe"]
    assert len(frames) == 1 and "data-section=" in frames[0]  # the report, charts drawn


def test_download_buttons_are_whole_sentences_in_french(store_path: Path) -> None:
    app = run_page("pages/export.py", query={"lang": "fr"})
    assert not app.exception
    assert _buttons(app) == ["Télécharger le rapport HTML"]  # not 'Télécharger en Rapport HTML'
