"""The package as it is installed: a wheel built from the source (offline, no build isolation)
holds every module of every sub-package and the schemas the outputs are validated against."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_wheel_holds_every_module_and_the_schemas(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("pipeline", "schemas"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path / "dist"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                        "-q", "-w", str(out), str(src)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    (wheel,) = out.glob("akn_pipeline-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*.py")}
    assert modules - names == set(), "modules missing from the wheel (pyproject.toml [tool.setuptools] packages)"
    schemas = {f"pipeline/schemas/{p.name}" for p in (ROOT / "schemas").iterdir() if p.suffix in (".xsd", ".json")}
    assert schemas and schemas - names == set()
    assert any(n.endswith("entry_points.txt") for n in names)
