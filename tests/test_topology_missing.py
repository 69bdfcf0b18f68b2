"""A missing map topology (static/topojson) is said, not drawn as empty maps (issue 17, item 12).

The file is made missing for this process only (the path the package reads points elsewhere):
the repository's copy stays for the tests that run beside this one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crimjust_data import countries, paths
from crimjust_data.__main__ import main
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.snapshot import html
from crimjust_data.store import DuckDBStore
from tests.conftest import run_page


@pytest.fixture
def no_topology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    missing = tmp_path / "static" / "topojson" / "world_50m.json"
    monkeypatch.setattr(paths, "WORLD_50M", missing)
    countries._geometry.cache_clear()
    countries.land.cache_clear()
    html._topology_js.cache_clear()
    yield missing
    countries._geometry.cache_clear()
    countries.land.cache_clear()
    html._topology_js.cache_clear()


def test_the_flows_page_says_the_map_file_is_missing(store_path: Path, no_topology: Path) -> None:
    app = run_page("pages/flows.py")
    errors = [e.value for e in app.error]
    assert any("world_50m.json" in e and "git checkout" in e for e in errors), errors
    assert app.get("plotly_chart")  # the charts are still there, with the message above


def test_the_flows_page_is_quiet_with_the_map_file(store_path: Path) -> None:
    app = run_page("pages/flows.py")
    assert not [e.value for e in app.error if "world_50m" in e.value]


def test_coordinates_are_not_checked_against_a_missing_map(no_topology: Path) -> None:
    with pytest.raises(countries.MapTopologyMissingError, match=r"world_50m\.json"):
        countries.geometry()
    no_topology.parent.mkdir(parents=True)
    no_topology.write_bytes(b"")  # present but empty: as unusable
    assert countries.world_topology_problem() is not None


def test_an_html_snapshot_is_refused_saying_what_to_restore(
    store_path: Path, no_topology: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo(DuckDBStore(store_path))
    out = tmp_path / "report.html"
    code = main(["snapshot", "--format", "html", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "world_50m.json" in err and "git checkout" in err and "unexpected" not in err
