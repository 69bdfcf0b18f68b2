"""Uploads: the diff against what is stored, the report, the limits, and the Upload and History
pages reached through the router."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data.ingest import uploads
from crimjust_data.ingest.pipeline import UploadTooLarge, prepare_upload
from crimjust_data.schemas import RowError
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import ANALYST_PASSWORD, cases_frame, run_page, seizures_frame

PASSWORD = ANALYST_PASSWORD

# Spanish headers, semicolons, day-first dates, decimal commas, a country in Spanish, and a
# coca-leaf row that is reported and left out.
MESSY_CSV = (
    "Número;Fecha;País;Droga;Cantidad (g);Medio de transporte\n"
    "U1;03/02/2021;Colombia;cocaína;1500,5;marítimo\n"
    "U2;15/03/2021;Costa de Marfil;cocaína;2000;aéreo\n"
    "U3;16/03/2021;Perú;hoja de coca;5000;terrestre\n"
)


def seizures(rows: list[tuple], mode: str = "append", name: str = "f.csv") -> LoadRequest:
    return LoadRequest("seizures", seizures_frame(rows), "test", name, mode=mode)  # type: ignore[arg-type]


@pytest.fixture
def loaded(store: DuckDBStore) -> DuckDBStore:
    """S1 (COL, 10 kg) and S2 (GHA, 5 kg) active; S1 in latin_america, S2 in west_africa."""
    store.load(
        seizures(
            [
                ("S1", "2021-01-01", "COL", "cocaine_hcl", 10.0, "vessel"),
                ("S2", "2021-01-02", "GHA", "cocaine_hcl", 5.0, "air"),
            ]
        ),
        loaded_by="fixture",
    )
    return store


def table_with(app, column: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The table on the page that has `column` (AppTest finds dataframes by position only)."""
    return next(t.value for t in app.dataframe if column in t.value.columns)


def totals_by_region(diff: uploads.UploadDiff) -> dict[str, dict[str, float]]:
    return diff.totals.set_index("region").to_dict("index")


# ---------------------------------------------------------------------------------------------
# upload_diff


def test_diff_replace_counts_and_totals(loaded: DuckDBStore) -> None:
    request = seizures(
        [
            ("S1", "2021-01-01", "COL", "cocaine_hcl", 10.0, "vessel"),  # unchanged
            ("S3", "2021-02-01", "JAM", "cocaine_hcl", 7.0, "air"),  # added
        ],
        mode="replace",
    )
    diff = uploads.upload_diff(loaded, request)
    # S2 is not in the file: a replace hides it
    assert (diff.added, diff.replaced, diff.unchanged, diff.removed) == (1, 0, 1, 1)
    totals = totals_by_region(diff)
    assert totals["latin_america"] == {
        "kg_before": 10.0,
        "events_before": 1,
        "kg_after": 10.0,
        "events_after": 1,
    }
    assert totals["west_africa"] == {
        "kg_before": 5.0,
        "events_before": 1,
        "kg_after": 0.0,
        "events_after": 0,
    }
    assert totals["caribbean"] == {
        "kg_before": 0.0,
        "events_before": 0,
        "kg_after": 7.0,
        "events_after": 1,
    }
    assert list(diff.totals["region"]) == ["latin_america", "caribbean", "west_africa"]
    assert list(diff.counts()["change"]) == ["added", "replaced", "unchanged", "no longer shown"]


def test_diff_pairs_ids_as_the_load_does(loaded: DuckDBStore) -> None:
    """'s 1' is the stored 'S1' (ids.id_key), for the diff as for the load's own check."""
    request = seizures([("s 1", "2021-01-01", "COL", "cocaine_hcl", 10.0, "vessel")])
    diff = uploads.upload_diff(loaded, request)
    assert (diff.added, diff.replaced, diff.unchanged) == (0, 0, 1)


def test_diff_replaced_row_changes_totals(loaded: DuckDBStore) -> None:
    request = seizures(
        [
            ("S1", "2021-01-01", "COL", "cocaine_hcl", 12.5, "vessel"),  # replaced: kg
            ("S2", "2021-01-02", "GHA", "cocaine_hcl", 5.0, "air"),  # unchanged
        ],
        mode="replace",
        name="other_file.csv",  # the source differs, the values do not: still unchanged
    )
    diff = uploads.upload_diff(loaded, request)
    assert (diff.added, diff.replaced, diff.unchanged, diff.removed) == (0, 1, 1, 0)
    totals = totals_by_region(diff)
    assert totals["latin_america"]["kg_before"] == 10.0
    assert totals["latin_america"]["kg_after"] == 12.5
    assert totals["west_africa"]["kg_after"] == 5.0


def test_diff_append_adds_to_what_is_stored(loaded: DuckDBStore) -> None:
    request = seizures([("S9", "2021-03-01", "CIV", "cocaine_hcl", 3.0, "air")])
    diff = uploads.upload_diff(loaded, request)
    assert (diff.added, diff.replaced, diff.unchanged, diff.removed) == (1, 0, 0, 0)
    totals = totals_by_region(diff)
    assert totals["west_africa"]["kg_after"] == 8.0
    assert totals["west_africa"]["events_after"] == 2
    assert totals["latin_america"]["kg_after"] == 10.0  # kept


def test_diff_on_an_empty_store(store: DuckDBStore) -> None:
    request = seizures([("S1", "2021-01-01", "COL", "cocaine_hcl", 1.0, None)])
    diff = uploads.upload_diff(store, request)
    assert (diff.added, diff.replaced, diff.unchanged, diff.removed) == (1, 0, 0, 0)
    assert totals_by_region(diff) == {
        "latin_america": {"kg_before": 0.0, "events_before": 0, "kg_after": 1.0, "events_after": 1}
    }


def test_diff_cases_count_cases(store: DuckDBStore) -> None:
    rows = [("C1", "COL", None, "2021-01-01", None, None, "pending")]
    store.load(LoadRequest("cases", cases_frame(rows), "test"), loaded_by="fixture")
    incoming = cases_frame([*rows, ("C2", "NGA", None, "2021-02-01", None, None, "pending")])
    diff = uploads.upload_diff(store, LoadRequest("cases", incoming, "test", mode="append"))
    assert (diff.added, diff.replaced, diff.unchanged) == (1, 0, 1)
    totals = totals_by_region(diff)
    assert totals["latin_america"] == {"cases_before": 1, "cases_after": 2}
    assert totals["west_africa"] == {"cases_before": 0, "cases_after": 1}


def test_diff_annual_totals_official_kg(store: DuckDBStore) -> None:
    def annual(rows: list[tuple]) -> pd.DataFrame:
        frame = pd.DataFrame(rows, columns=["country_iso3", "year", "drug", "quantity_kg"])
        return frame.assign(source="UNODC")

    store.load(LoadRequest("annual_seizures", annual([("COL", 2020, "cocaine_hcl", 100.0)]), "u"))
    incoming = annual([("COL", 2020, "cocaine_hcl", 150.0), ("GHA", 2020, "cocaine_hcl", 2.0)])
    diff = uploads.upload_diff(store, LoadRequest("annual_seizures", incoming, "u", mode="replace"))
    assert (diff.added, diff.replaced, diff.unchanged, diff.removed) == (1, 1, 0, 0)
    totals = totals_by_region(diff)
    assert totals["latin_america"] == {"official_kg_before": 100.0, "official_kg_after": 150.0}
    assert totals["west_africa"] == {"official_kg_before": 0.0, "official_kg_after": 2.0}


# ---------------------------------------------------------------------------------------------
# check_upload, the report, the limits


def test_messy_spanish_csv_is_checked_like_import(store: DuckDBStore) -> None:
    check = uploads.check_upload(store, "incautaciones.csv", MESSY_CSV.encode(), "seizures")
    assert check.ok
    assert [(w.row, w.column, w.value) for w in check.warnings] == [(4, "Droga", "hoja de coca")]
    request = check.request
    assert request is not None and request.file_name == "incautaciones.csv"
    assert list(request.frame["seizure_id"]) == ["U1", "U2"]
    assert list(request.frame["country_iso3"]) == ["COL", "CIV"]
    assert list(request.frame["quantity_kg"]) == [1.5005, 2.0]
    head = uploads.preview(request)
    assert list(head["file row"]) == [2, 3]
    assert str(head["date"].iloc[1]) == "2021-03-15"


def test_check_collects_errors_and_clashes(store: DuckDBStore) -> None:
    bad = MESSY_CSV.replace("1500,5", "mucho")
    check = uploads.check_upload(store, "bad.csv", bad.encode(), "seizures")
    assert not check.ok and check.request is None
    assert any(e.row == 2 and e.value == "mucho" for e in check.errors)
    assert check.warnings  # the coca-leaf row is still reported

    good = uploads.check_upload(store, "ok.csv", MESSY_CSV.encode(), "seizures")
    assert good.request is not None
    store.load(good.request, loaded_by="ana")
    again = uploads.check_upload(store, "ok.csv", MESSY_CSV.encode(), "seizures", "append")
    assert not again.ok
    assert "already loaded as version 1" in again.errors[0].message
    assert "--mode" not in again.errors[0].message
    renamed = uploads.check_upload(store, "ok2.csv", (MESSY_CSV + "\n").encode(), "seizures")
    assert [e.value for e in renamed.errors] == ["U1", "U2"]  # key clashes, row by row
    assert uploads.check_upload(store, "ok.csv", MESSY_CSV.encode(), "seizures", "replace").ok


def test_detect_needs_a_unodc_export(store: DuckDBStore) -> None:
    check = uploads.check_upload(store, "x.csv", MESSY_CSV.encode(), None)
    assert not check.ok
    assert "do not say which table it holds" in check.errors[0].message


def test_report_csv_content() -> None:
    errors = [RowError(3, "Cantidad (g)", "mucho", 'not a number: write "1500,5"')]
    warnings = [
        RowError(4, "Droga", "hoja de coca", "coca leaf is not cocaine: row not loaded"),
        RowError(None, None, None, "file-level note"),
    ]
    data = uploads.report_csv(errors, warnings)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["row", "column", "value", "message", "severity"],
        ["3", "Cantidad (g)", "mucho", 'not a number: write "1500,5"', "error"],
        ["4", "Droga", "hoja de coca", "coca leaf is not cocaine: row not loaded", "warning"],
        ["", "", "", "file-level note", "warning"],
    ]
    frame = uploads.report_frame(errors, warnings)
    assert list(frame.columns) == uploads.REPORT_COLUMNS
    assert all(str(dtype) == "string" for dtype in frame.dtypes)


def test_size_limit_refused_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRIMJUST_MAX_UPLOAD_MB", "0.0001")  # about 105 bytes
    with pytest.raises(UploadTooLarge, match=r"over the 0.0001 MB limit .*CRIMJUST_MAX_UPLOAD_MB"):
        prepare_upload("big.csv", MESSY_CSV.encode() * 2, "seizures")


def test_row_limit_refused_up_front(store: DuckDBStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRIMJUST_MAX_ROWS", "2")
    refusal = r"rows\.csv has 3 data rows, more than the 2 a file may have.*CRIMJUST_MAX_ROWS"
    with pytest.raises(UploadTooLarge, match=refusal):
        prepare_upload("rows.csv", MESSY_CSV.encode(), "seizures")
    check = uploads.check_upload(store, "rows.csv", MESSY_CSV.encode(), "seizures")
    assert not check.ok and "more than the 2 a file may have" in check.errors[0].message
    monkeypatch.setenv("CRIMJUST_MAX_ROWS", "3")
    assert prepare_upload("rows.csv", MESSY_CSV.encode(), "seizures")[0].table == "seizures"


def test_bad_limit_setting_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRIMJUST_MAX_ROWS", "lots")
    check = uploads.check_upload(DuckDBStore.__new__(DuckDBStore), "x.csv", b"a;b\n1;2\n", None)
    assert "CRIMJUST_MAX_ROWS='lots' is not a number" in check.errors[0].message


def test_version_history_states(loaded: DuckDBStore) -> None:
    replace = seizures([("S1", "2021-01-01", "COL", "cocaine_hcl", 1.0, None)], mode="replace")
    loaded.load(replace, loaded_by="ana")
    loaded.load(seizures([("S7", "2021-01-01", "COL", "cocaine_hcl", 1.0, None)]), "bo")
    loaded.rollback(3, by="ana")
    history = uploads.version_history(loaded)
    assert list(history["version_id"]) == [3, 2, 1]
    assert list(history["state"]) == ["rolled back", "active", "superseded"]
    assert list(history["loaded_by"]) == ["bo", "ana", "fixture"]
    assert history["rolled_back_by"].iloc[0] == "ana"


# ---------------------------------------------------------------------------------------------
# The pages, through the router


def sign_in(app, name: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    app.text_input(key="auth_name").input(name)
    app.text_input(key="auth_password").input(password)
    app.button(key="auth_submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_upload_page_asks_for_sign_in(store_path: Path, analyst: str) -> None:
    app = run_page("pages/upload.py")
    assert app.text_input(key="auth_name") is not None
    assert not [w for w in app.file_uploader if w.key == "upload_file"]
    app = sign_in(app, analyst, "wrong password!")
    assert not [w for w in app.file_uploader if w.key == "upload_file"]


def test_upload_page_end_to_end(store_path: Path, analyst: str) -> None:
    app = sign_in(run_page("pages/upload.py"), analyst)
    app.selectbox(key="upload_table").set_value("seizures")
    app.radio(key="upload_mode").set_value("append")
    app.file_uploader(key="upload_file").set_value(
        ("incautaciones.csv", MESSY_CSV.encode(), "text/csv")
    ).run()
    assert not app.exception, [e.value for e in app.exception]
    report = table_with(app, "severity")
    assert list(report["value"]) == ["hoja de coca"]
    preview = table_with(app, "file row")
    assert list(preview["seizure_id"]) == ["U1", "U2"]
    counts = table_with(app, "change")
    assert counts.set_index("change")["rows"].to_dict()["added"] == 2
    confirm = app.button(key="upload_confirm")
    assert not confirm.disabled
    app.text_input(key="upload_password").input(PASSWORD)  # asked again for each import
    confirm.click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Imported version 4: 2 rows of seizures" in s.value for s in app.success)
    assert not [b for b in app.button if b.key == "upload_confirm"]  # done: no second import
    assert [b.key for b in app.button] == ["upload_sign_out"]
    app.run()  # a later run still says what was imported, and checks nothing again
    assert any("Imported version 4" in s.value for s in app.success)
    assert not [b for b in app.button if b.key == "upload_confirm"]
    newest = DuckDBStore(store_path).versions()[0]
    assert (newest.version_id, newest.loaded_by, newest.file_name) == (
        4,
        "ana",
        "incautaciones.csv",
    )


def test_upload_page_blocks_errors(store_path: Path, analyst: str) -> None:
    app = sign_in(run_page("pages/upload.py"), analyst)
    app.selectbox(key="upload_table").set_value("seizures")
    bad = MESSY_CSV.replace("1500,5", "mucho").encode()
    app.file_uploader(key="upload_file").set_value(("bad.csv", bad, "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.button(key="upload_confirm").disabled
    assert "mucho" in list(table_with(app, "severity")["value"])


def test_history_rollback_needs_sign_in_and_confirmation(store_path: Path, analyst: str) -> None:
    app = run_page("pages/history.py")  # seeds demo data: 1 seizures, 2 cases, 3 activities
    table = table_with(app, "state")
    assert list(table["version_id"]) == [3, 2, 1]
    assert list(table["state"]) == ["active", "active", "active"]
    assert not [b for b in app.button if b.key == "history_rollback"]  # viewing only
    app = sign_in(app, analyst)
    app.selectbox(key="history_version").set_value(1)
    app.button(key="history_rollback").click().run()
    assert DuckDBStore(store_path).version(1).active  # nothing yet: asks first
    app.text_input(key="history_password").input(PASSWORD)  # asked again for each rollback
    app.button(key="history_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    version = DuckDBStore(store_path).version(1)
    assert not version.active and version.rolled_back_by == "ana"
    assert any("Rolled back version 1" in s.value for s in app.success)
    states = table_with(app, "state").set_index("version_id")["state"]
    assert states[1] == "rolled back"


def test_history_rollback_can_be_cancelled(store_path: Path, analyst: str) -> None:
    app = sign_in(run_page("pages/history.py"), analyst)
    app.selectbox(key="history_version").set_value(2)
    app.button(key="history_rollback").click().run()
    app.button(key="history_cancel").click().run()
    assert DuckDBStore(store_path).version(2).active
    assert not [b for b in app.button if b.key == "history_confirm"]


def test_column_mapping_for_unknown_headers_and_remembered(store) -> None:
    from crimjust_data.ingest.pipeline import upload_headers
    from crimjust_data.ingest.uploads import check_upload

    data = (
        "Clave interna;Fecha;País;Droga;Cantidad\nX-1;2023-03-01;Colombia;cocaína;12,5\n"
    ).encode()
    sheets, headers, automatic = upload_headers("raro.csv", data, "seizures")
    assert sheets == [] and automatic.unknown == ["Clave interna"]
    assert automatic.missing_required == ["seizure_id"]
    # without an id column the rows get ids derived from their content
    unmapped = check_upload(store, "raro.csv", data, "seizures")
    assert unmapped.ok and unmapped.request.frame["seizure_id"][0].startswith("auto-")
    mapped = check_upload(
        store, "raro.csv", data, "seizures", mapping=(("Clave interna", "seizure_id"),)
    )
    assert mapped.ok and mapped.request.frame["seizure_id"].tolist() == ["X-1"]
    assert mapped.request.frame["quantity_kg"].tolist() == [12.5]
    store.save_mapping("seizures", headers, {"Clave interna": "seizure_id"}, "ana")
    assert store.saved_mapping("seizures", list(reversed(headers))) == {
        "Clave interna": "seizure_id"
    }
    assert store.saved_mapping("cases", headers) == {}


def test_chosen_workbook_sheet(store, tmp_path) -> None:
    import io

    import pandas as pd

    from crimjust_data.ingest.pipeline import upload_headers
    from crimjust_data.ingest.uploads import check_upload

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as workbook:
        pd.DataFrame({"note": ["cover page"]}).to_excel(workbook, sheet_name="Léame", index=False)
        pd.DataFrame(
            {
                "id": ["W-1"],
                "fecha": ["2023-05-01"],
                "país": ["Brasil"],
                "droga": ["crack"],
                "kg": [3],
            }
        ).to_excel(workbook, sheet_name="Datos", index=False)
    data = buffer.getvalue()
    sheets, _, _ = upload_headers("libro.xlsx", data, "seizures")
    assert sheets == ["Léame", "Datos"]
    assert not check_upload(store, "libro.xlsx", data, "seizures").ok  # the first sheet
    chosen = check_upload(store, "libro.xlsx", data, "seizures", sheet="Datos")
    assert chosen.ok and chosen.request.frame["country_iso3"].tolist() == ["BRA"]


def test_rejected_file_leaves_every_stored_row_as_it_was(store, tmp_path) -> None:
    from crimjust_data.ingest.pipeline import import_file

    good = tmp_path / "good.csv"
    good.write_text(
        "id;fecha;país;droga;cantidad\nG-1;2023-03-01;Perú;cocaína;10\n", encoding="utf-8"
    )
    assert import_file(store, good, "seizures").ok

    def content() -> tuple:
        def rows(table: str) -> str:
            frame = store.query(f"SELECT * FROM {table}").astype(str)  # lists too, as text
            return frame.sort_values(list(frame.columns)).to_csv(index=False)

        tables = {t: rows(t) for t in ("seizures", "cases", "annual_seizures", "versions")}
        return tuple(sorted(tables.items()))

    before = content()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id;fecha;país;droga;cantidad\nB-1;2023-03-01;Perú;cocaína;10\nB-2;31/02/2023;Atlantis;crack;-3\n",
        encoding="utf-8",
    )
    outcome = import_file(store, bad, "seizures")
    assert not outcome.ok and {e["row"] for e in outcome.errors} == {3}
    assert content() == before
