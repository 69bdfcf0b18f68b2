"""Two app replicas on two ports share one PostgreSQL database: what one imports or rolls
back, the other shows on its next rerun (no restart, no cache to clear)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crimjust_data import auth
from tests.conftest import _start_app, screenshot, wait_for_app
from tests.test_browser_upload import (
    PASSWORD,
    confirm_with_password,
    go_to,
    seizure_events,
    sign_in_and_upload,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def replicas(tmp_path: Path, postgres_url: str) -> Iterator[tuple[str, str]]:
    """Two servers, one database (an empty schema: the first visit seeds the demo data)."""
    secrets = tmp_path / "secrets.toml"
    auth.add_user("ana", PASSWORD, path=secrets)
    env = {"CRIMJUST_DATABASE_URL": postgres_url, "CRIMJUST_SECRETS": str(secrets)}
    # Each replica also gets a DuckDB path of its own, which it must not use.
    first, first_url = _start_app(tmp_path / "unused_a.duckdb", env)
    second, second_url = _start_app(tmp_path / "unused_b.duckdb", env)
    yield first_url, second_url
    for server in (first, second):
        server.terminate()
        server.wait(timeout=20)
    assert not (tmp_path / "unused_a.duckdb").exists()
    assert not (tmp_path / "unused_b.duckdb").exists()


def rerun(page: Any) -> None:
    """One rerun of the page as it is, as a user's 'R' (Rerun) does."""
    page.locator("[data-testid='stMain'] h1").first.click()
    page.keyboard.press("r")
    wait_for_app(page, selector="[data-testid='stMetric']")


def test_import_and_rollback_through_one_replica_show_in_the_other(
    page: Any, replicas: tuple[str, str]
) -> None:
    first_url, second_url = replicas
    first = page
    first.goto(first_url)
    wait_for_app(first, selector="[data-testid='stMetric']")
    before = seizure_events(first)
    second = page.context.new_page()
    second.goto(second_url)
    wait_for_app(second, selector="[data-testid='stMetric']")
    assert seizure_events(second) == before  # one database, seeded once

    # Import through the first replica.
    go_to(first, "Upload data")
    sign_in_and_upload(first)
    confirm_with_password(first, "upload")
    wait_for_app(first, selector="text=Imported version 4")

    # The second replica, left on Home, counts the two new events on its next rerun.
    rerun(second)
    assert seizure_events(second) == before + 2
    screenshot(second, "replica_b_after_import")

    # Roll it back through the first replica: the second shows the old total again.
    go_to(first, "History")
    first.locator(".st-key-history_rollback button").click()
    wait_for_app(first, selector=".st-key-history_confirm")
    confirm_with_password(first, "history")
    wait_for_app(first, selector="text=Rolled back version 4")
    rerun(second)
    assert seizure_events(second) == before
    screenshot(second, "replica_b_after_rollback")
