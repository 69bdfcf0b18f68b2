"""Upload and rollback in a real browser: sign in, upload a messy Spanish CSV, see the report,
import it, see Home change, roll it back in History, see Home change back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crimjust_data import auth
from tests.conftest import _start_app, screenshot, wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
# Spanish headers, semicolons, day-first dates, decimal commas, 'Costa de Marfil', and a
# coca-leaf row that is reported and left out: two seizure events load.
MESSY_CSV = (
    "Número;Fecha;País;Droga;Cantidad (g);Medio de transporte\n"
    "UP-1;03/02/2021;Colombia;cocaína;1500,5;marítimo\n"
    "UP-2;15/03/2021;Costa de Marfil;cocaína;2000;aéreo\n"
    "UP-3;16/03/2021;Perú;hoja de coca;5000;terrestre\n"
)


@pytest.fixture
def upload_app(tmp_path: Path) -> Iterator[str]:
    """A fresh server on a fresh store (demo data) with one analyst account, 'ana'."""
    secrets = tmp_path / "secrets.toml"
    auth.add_user("ana", PASSWORD, path=secrets)
    server, url = _start_app(tmp_path / "upload.duckdb", {"CRIMJUST_SECRETS": str(secrets)})
    yield url
    server.terminate()
    server.wait(timeout=20)


def go_to(page: Any, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    wait_for_app(page)


def seizure_events(page: Any) -> int:
    metric = page.locator("[data-testid='stMetric']", has_text="Seizure events")
    return int(metric.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))


def confirm_with_password(page: Any, key: str) -> None:
    """Type the password that confirms an import or a rollback, and apply it (Enter)."""
    box = page.locator(f".st-key-{key}_password input")
    box.fill(PASSWORD)
    box.press("Enter")
    wait_for_app(page)
    page.locator(f".st-key-{key}_confirm button").click()


def sign_in_and_upload(page: Any) -> None:
    """On the Upload page: sign in as 'ana', choose seizures and upload MESSY_CSV, up to the
    report of what would change (not yet imported)."""
    page.locator(".st-key-auth_name input").fill("ana")
    page.locator(".st-key-auth_password input").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page, selector="[data-testid='stFileUploader']")
    page.locator(".st-key-upload_table [role='combobox']").click()
    page.get_by_role("option", name="Seizure events").click()
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        {"name": "incautaciones.csv", "mimeType": "text/csv", "buffer": MESSY_CSV.encode()}
    )
    wait_for_app(page, selector="text=What would change")


def test_upload_then_roll_back(page: Any, upload_app: str) -> None:
    page.goto(upload_app)
    wait_for_app(page, selector="[data-testid='stMetric']")
    before = seizure_events(page)

    go_to(page, "Upload data")
    assert page.locator("[data-testid='stFileUploader']").count() == 0  # sign in first
    sign_in_and_upload(page)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "1 warning: it does not block the import" in text  # the coca-leaf row
    assert "2 rows of seizures as they would be stored" in text
    screenshot(page, "upload_checked")

    confirm_with_password(page, "upload")
    wait_for_app(page, selector="text=Imported version 4")
    screenshot(page, "upload_imported")

    go_to(page, "Home")
    assert seizure_events(page) == before + 2

    go_to(page, "History")
    history = page.locator("[data-testid='stMain']").inner_text()
    assert "Roll back a version" in history
    screenshot(page, "upload_history")
    page.locator(".st-key-history_rollback button").click()  # version 4 is listed first
    wait_for_app(page, selector=".st-key-history_confirm")
    assert "Yes, roll back version 4" in page.locator(".st-key-history_confirm").inner_text()
    confirm_with_password(page, "history")
    wait_for_app(page, selector="text=Rolled back version 4")
    screenshot(page, "upload_rolled_back")

    go_to(page, "Home")
    assert seizure_events(page) == before
