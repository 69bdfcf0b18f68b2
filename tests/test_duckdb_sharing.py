"""One DuckDB connection per process, and still taking turns on the file with other processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from crimjust_data.metrics import Filters, headline
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import seizures_frame

OTHER_PROCESS_LOAD = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from crimjust_data.store import DuckDBStore, LoadRequest
    frame = pd.DataFrame({
        "seizure_id": ["other-1"], "date": ["2020-05-05"], "country_iso3": ["CPV"],
        "drug": ["cocaine_hcl"], "quantity_kg": [7.0], "source": "other process",
    })
    version = DuckDBStore(sys.argv[1]).load(LoadRequest("seizures", frame, "other process"))
    print(version.version_id)
    """
)


def test_another_process_writes_while_this_one_holds_the_file(store_path: Path) -> None:
    store = DuckDBStore(store_path)
    store.load(
        LoadRequest(
            "seizures",
            seizures_frame([("a", "2020-01-02", "COL", "cocaine_hcl", 10.0, "air")]),
            "fixture",
        )
    )
    assert headline(store, Filters()).seizure_events == 1  # the connection is open and warm
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS_LOAD, str(store_path)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # this process let the file go for the other one, and reads what it wrote
    figures = headline(store, Filters())
    assert (figures.seizure_events, figures.seized_kg) == (2, 17.0)
    assert [v.version_id for v in store.versions()] == [int(done.stdout.strip()), 1]
    assert not store._file.waiting_mark.exists()
