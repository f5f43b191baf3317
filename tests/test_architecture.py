"""The layout's rules, checked on the package's source (``../shared/tools/arch_check.py`` checks the
same from outside): imports run one way, with no cycle; nothing imports the command line (but
``__main__``); no module imports another of the package inside a function (the command line alone
loads a command's module lazily); no module over 400 lines; no function over 60 lines in
``stages/``; the pipeline version covers every module."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
MAX_MODULE_LINES = 400
MAX_STAGE_FUNCTION_LINES = 60


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = modules()
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The package's modules an import statement loads (``from . import x`` loads the package and,
    when ``x`` is a module, ``x``)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = module.split(".") if module in PACKAGES else module.split(".")[:-1]
        if node.level > 1:
            base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
        names = [prefix] + [f"{prefix}.{a.name}" for a in node.names]
    return {n for n in names if n in MODULES and n != module}


def imports() -> tuple[dict[str, set[str]], list[str]]:
    """The import graph, and the imports of project modules made inside functions."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    hidden = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside = {id(sub) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for sub in ast.walk(fn)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not (
                    isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                found = targets(module, node)
                graph[module] |= found
                if found and id(node) in inside:
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {', '.join(sorted(found))}")
    return graph, hidden


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    graph, _ = imports()
    assert cycles(graph) == []


def test_the_checks_can_fail():
    """A loop and a hidden import are found where there is one."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("def f():\n    from .model import Document\n")
    node = tree.body[0].body[0]
    assert targets("pipeline.cli", node) == {"pipeline.model"}
    assert targets("pipeline.stages.segment.body", ast.parse("from ..patterns import S").body[0]) == {
        "pipeline.stages.patterns"}


def test_nothing_imports_the_cli():
    graph, _ = imports()
    assert sorted(m for m, found in graph.items() if "pipeline.cli" in found) == ["pipeline.__main__"]


def test_no_function_level_import_of_the_package_outside_the_cli():
    _, hidden = imports()
    assert [h for h in hidden if not h.startswith(("pipeline/cli.py", "pipeline/__main__.py"))] == []


def test_modules_are_short():
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values()
            if (n := p.read_text(encoding="utf-8").count("\n") + 1) > MAX_MODULE_LINES}
    assert long == {}


def test_stage_functions_are_short():
    long = []
    for path in sorted((PACKAGE / "stages").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_STAGE_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


def test_the_pipeline_version_covers_every_module():
    from pipeline.version import source_files
    assert {path for _, path in source_files()} == set(MODULES.values())
    assert {name for name, _ in source_files()} >= {"stages/segment/body.py", "emit/akn.py", "cli.py"}


def test_a_change_in_any_sub_package_changes_the_pipeline_version(tmp_path, monkeypatch):
    import shutil

    from pipeline import version
    monkeypatch.delenv("AKN_PIPELINE_VERSION", raising=False)
    copy = tmp_path / "pipeline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(version, "PACKAGE", copy)
    monkeypatch.setattr(version, "_VERSION", None)
    first = version.pipeline_version()
    deep = copy / "stages" / "segment" / "body.py"
    deep.write_text(deep.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(version, "_VERSION", None)
    assert version.pipeline_version() != first
    monkeypatch.setattr(version, "_VERSION", None)


def test_no_package_hides_one_of_its_modules():
    """``pipeline.stages.segment`` is the module, not the stage function of the same name: a
    package exports its names without shadowing its own modules."""
    import importlib
    import pkgutil
    import types

    import pipeline
    hidden = []
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if not info.ispkg:
            continue
        package = importlib.import_module(info.name)
        for sub in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{info.name}.{sub.name}")
            if not isinstance(getattr(package, sub.name), types.ModuleType):
                hidden.append(f"{info.name}.{sub.name}")
    assert hidden == []
