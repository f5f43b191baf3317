"""The pipeline version: what a batch's manifest records beside each output, so that a re-run
converts again whatever an older converter made.

``pipeline_version()`` is the package version and a hash of the source of every module of the
package, sub-packages included, and of the packaged schemas (``pipeline.schemas``: the XSD and the
JSON Schema the outputs are validated against).  ``AKN_PIPELINE_VERSION`` pins it (a deployment
that knows its version).
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
from importlib.resources.abc import Traversable
from pathlib import Path

from . import __version__

_VERSION: str | None = None

PACKAGE = Path(__file__).resolve().parent


def source_files() -> list[tuple[str, Path]]:
    """Every module of the package, as ``(path relative to the package, path)``, sorted."""
    return sorted((p.relative_to(PACKAGE).as_posix(), p) for p in PACKAGE.rglob("*.py"))


def pipeline_version() -> str:
    global _VERSION
    if os.environ.get("AKN_PIPELINE_VERSION"):
        return os.environ["AKN_PIPELINE_VERSION"]
    if _VERSION is None:
        h = hashlib.sha256()
        entries: list[tuple[str, Traversable]] = list(source_files())
        schemas = importlib.resources.files("pipeline.schemas")  # installed or from the source tree alike
        entries += sorted(
            ((e.name, e) for e in schemas.iterdir() if e.name.endswith((".xsd", ".json"))), key=lambda ne: ne[0]
        )
        for name, entry in entries:
            h.update(name.encode() + b"\0")
            try:
                h.update(entry.read_bytes())
            except OSError:
                pass
        _VERSION = f"{__version__}+{h.hexdigest()[:12]}"
    return _VERSION
