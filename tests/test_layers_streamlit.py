"""Only crimjust_data/ui/ imports streamlit: the rest of the package runs in a plain Python
process (the CLI, the snapshot, the benchmarks). app.py, pages/ and bench/ are outside it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "crimjust_data"


def _imports_streamlit(path: Path) -> list[int]:
    """Lines of `path` that import streamlit, anywhere (inside functions too)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "streamlit" or name.startswith("streamlit.") for name in names):
            lines.append(node.lineno)
    return lines


def test_only_the_ui_package_imports_streamlit() -> None:
    ui = PACKAGE / "ui"
    offenders = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if ui not in path.parents
        for lines in [_imports_streamlit(path)]
        if lines
    }
    assert offenders == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from streamlit.runtime import x\n    import streamlit as st\n")
    assert _imports_streamlit(module) == [2, 3]
