"""Imports run one way: each module of crimjust_data imports only from its own layer or below.

The layers, bottom to top (docs/ARCHITECTURE.md): base (words, codes, paths, safe text, sign-in
rules) -> store -> ingest (reading files, the dataUNODC importer, demo data, the upload write
path) -> compute (metrics, queries, view state, statistics, number formats) -> figures (pure:
frames in, Chart out) -> report (views, snapshot, methods) -> ui (the only Streamlit code) ->
cli. Every import is checked, at the top of a module or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "crimjust_data"
LAYERS = ("base", "store", "ingest", "compute", "figures", "report", "ui", "cli")
# Module (or package prefix) -> layer; the longest prefix that matches a module decides.
# Packages not written yet are classified by their prefix already (crimjust_data.ui, .views).
LAYER_OF = {
    "crimjust_data": "base",
    "crimjust_data.errors": "base",
    "crimjust_data.i18n": "base",
    "crimjust_data.paths": "base",
    "crimjust_data.safe_text": "base",
    "crimjust_data.ids": "base",
    "crimjust_data.countries": "base",
    "crimjust_data.schemas": "base",
    "crimjust_data.vocabulary": "base",
    "crimjust_data.disclosure": "base",
    "crimjust_data.auth": "base",
    "crimjust_data.web_guard": "base",
    "crimjust_data.survival": "base",
    "crimjust_data.store": "store",
    "crimjust_data.ingest": "ingest",
    "crimjust_data.demo": "ingest",
    "crimjust_data.metrics": "compute",
    "crimjust_data.metric_registry": "compute",
    "crimjust_data.queries": "compute",
    "crimjust_data.view_state": "compute",
    "crimjust_data.activities": "compute",
    "crimjust_data.periods": "compute",
    "crimjust_data.numbers": "compute",
    "crimjust_data.formatting": "compute",
    "crimjust_data.table_numbers": "compute",
    "crimjust_data.figures": "figures",
    "crimjust_data.views": "report",
    "crimjust_data.snapshot": "report",
    "crimjust_data.methods": "report",
    "crimjust_data.ui": "ui",
    "crimjust_data.__main__": "cli",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str | None:
    """The layer of `module`, by the longest prefix of LAYER_OF that names it or its package."""
    while module:
        if module in LAYER_OF:
            return LAYER_OF[module]
        module = module.rpartition(".")[0]
    return None


def is_module(name: str) -> bool:
    """Whether `name` (crimjust_data.x.y) is a module or a package of the source tree."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, imported module, the import as written) of every crimjust_data import in `path`,
    wherever it is in the file. `from pkg import name` imports pkg.name when that is a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "crimjust_data":
                    found.append((node.lineno, alias.name, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: from the module's own package
                package = module_name(path).split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, node.module])
            if base.split(".")[0] != "crimjust_data":
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                written = f"from {'.' * node.level}{node.module} import {alias.name}"
                found.append((node.lineno, target if is_module(target) else base, written))
    return found


def test_every_module_has_a_layer() -> None:
    missing = [module_name(p) for p in PACKAGE.rglob("*.py") if layer(module_name(p)) is None]
    assert not missing, f"modules with no layer in tests/test_layers.py: {missing}"


def test_imports_only_go_down_or_sideways() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        own = layer(source)
        for line, target, written in imports(path):
            theirs = layer(target)
            if own is None or theirs is None:
                continue  # reported by test_every_module_has_a_layer
            if LAYERS.index(theirs) > LAYERS.index(own):
                where = path.relative_to(PACKAGE.parent)
                upward.append(f"{where}:{line}: {source} ({own}) {written} ({theirs})")
    assert not upward, "imports that go up a layer:\n" + "\n".join(upward)


# What a chart builder may take from the compute layer: constants, result types and pure helpers
# of these modules; never a query (which reads the store) or the queries' modules.
FIGURES_MAY_IMPORT = (
    "crimjust_data.metrics",
    "crimjust_data.metric_registry",
    "crimjust_data.formatting",
    "crimjust_data.activities",
    "crimjust_data.periods",
)


def test_figures_take_frames_not_queries() -> None:
    """Figures are pure (frames in, Chart out): from the layers below they import only the base
    modules and the constants and types of FIGURES_MAY_IMPORT."""
    found = []
    for path in sorted((PACKAGE / "figures").rglob("*.py")):
        for line, target, written in imports(path):
            if layer(target) in ("base", "figures") or target in FIGURES_MAY_IMPORT:
                continue
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {written}")
    assert not found, "figures that import from queries or other modules:\n" + "\n".join(found)


def test_the_checker_sees_every_form_of_import(tmp_path: Path) -> None:
    """Inside a function as at the top; a module named after `from package import`."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import crimjust_data.store.backup\n"
        "from crimjust_data import i18n, vocabulary\n"
        "def f():\n"
        "    from crimjust_data.snapshot import content\n"
        "    from crimjust_data.metrics import Filters\n",
        encoding="utf-8",
    )
    assert [(line, target) for line, target, _written in imports(sample)] == [
        (1, "crimjust_data.store.backup"),
        (2, "crimjust_data.i18n"),
        (2, "crimjust_data.vocabulary"),
        (4, "crimjust_data.snapshot.content"),
        (5, "crimjust_data.metrics"),
    ]
