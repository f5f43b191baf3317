"""Validation of files for CI: safe reading, the strict XSD, the AKN4UN profile, the JSON Schema.

``Validator.validate_path`` checks one ``.xml`` or ``.json`` file and returns a ``ValidationResult``
whose ``findings`` each carry a stable code from ``CHECKS`` (a repository switches a check off
by its code, ``--disable akn.frbr-date``).  Schemas are loaded once per process
(``pipeline.emit.validate`` caches them); nothing here touches the network.

Reading is defensive, because the files may come from anyone:

- a file larger than ``max_bytes`` is refused before it is read (``input.too-large``);
- XML is parsed by lxml with ``resolve_entities=False, no_network=True, load_dtd=False,
  huge_tree=False``, and a DOCTYPE that declares entities (XXE, entity-expansion bombs) is refused
  before parsing (``input.entity-declaration``); libxml2's own limits (depth 256, entity
  amplification) stay on;
- JSON nesting is measured on the raw bytes before ``json.loads`` ever recurses
  (``input.too-deep``).

The ``input.*`` codes are safety refusals and cannot be switched off (``--max-bytes`` raises the
size limit).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from .. import __version__
from ..emit.validate import json_reference_validator, json_validator, xsd
from ..model import SCHEMA_ID, SCHEMA_VERSION
from .findings import ALWAYS_ON, CHECKS, Finding, UsageError, ValidationResult, resolve_disabled
from .profile import NS, profile
from .safety import entity_declaration, json_depth_exceeded, json_lines, json_scan, line_at, xml_parser

__all__ = [
    "ALWAYS_ON",
    "NS",
    "CHECKS",
    "DEFAULT_MAX_BYTES",
    "Finding",
    "UsageError",
    "ValidationResult",
    "Validator",
    "byte_size",
    "entity_declaration",
    "expand",
    "json_depth_exceeded",
    "json_lines",
    "json_scan",
    "profile",
    "resolve_disabled",
    "xml_parser",
]

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
MAX_XSD_ERRORS = 50


def _schema_version_line(data: bytes) -> int:
    k = data.find(b'"schema_version"')
    return line_at(data, k) if k >= 0 else 1


class Validator:
    """Validates files; holds the options, the schemas are cached module-wide."""

    def __init__(
        self, disabled: Iterable[str] = (), max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH
    ) -> None:
        self.disabled = frozenset(disabled)
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.parser = xml_parser()
        self.profile_codes = {c for c in CHECKS if c.startswith("akn.")} - self.disabled
        self._xsd = None

    def warm(self) -> None:
        """Load the schemas now (they are loaded once; the first file otherwise pays for it)."""
        xsd(), json_validator(), json_reference_validator()

    def read(self, path: Path, result: ValidationResult) -> bytes | None:
        too_large = "file is {size} bytes, over the limit of {limit:,} (raise it with --max-bytes); not read"
        try:
            with open(path, "rb", buffering=0) as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > self.max_bytes:
                    result.findings.append(
                        Finding(0, "input.too-large", too_large.format(size=f"{size:,}", limit=self.max_bytes))
                    )
                    return None
                data = fh.read(self.max_bytes + 1)  # never more, whatever the file claims (growing, special)
        except OSError as exc:
            result.findings.append(Finding(0, "input.unreadable", exc.strerror or str(exc)))
            return None
        if len(data) > self.max_bytes:
            result.findings.append(
                Finding(0, "input.too-large", too_large.format(size=f"over {self.max_bytes:,}", limit=self.max_bytes))
            )
            return None
        return data

    def validate_path(self, path: str | Path, display: str | None = None) -> ValidationResult:
        path = Path(path)
        kind = "json" if path.suffix.lower() == ".json" else "xml"
        result = ValidationResult(display or str(path), kind)
        data = self.read(path, result)
        if data is not None:
            result.findings.extend(self.check_json(data) if kind == "json" else self.check_xml(data))
        return result

    # -- XML

    def check_xml(self, data: bytes) -> list[Finding]:
        ln = entity_declaration(data)
        if ln is not None:
            return [
                Finding(
                    ln,
                    "input.entity-declaration",
                    "the DOCTYPE declares entities (possible XXE or entity-expansion bomb); refused without parsing",
                )
            ]
        try:
            root = etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as exc:
            return [Finding(exc.lineno or 0, "input.not-wellformed", f"not well-formed XML: {exc.msg}")]
        except ValueError as exc:  # e.g. a str with an encoding declaration
            return [Finding(0, "input.not-wellformed", f"not well-formed XML: {exc}")]
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            return [
                Finding(
                    1,
                    "input.entity-declaration",
                    "the DOCTYPE declares entities (possible XXE or entity-expansion bomb); refused",
                )
            ]
        return self.check_tree(root)

    def check_tree(self, root: Any) -> list[Finding]:
        out: list[Finding] = []
        if "xsd.invalid" not in self.disabled:
            schema = self._xsd
            if schema is None:
                schema = self._xsd = xsd()
            if not schema.validate(root):
                log = schema.error_log
                for e in list(log)[:MAX_XSD_ERRORS]:
                    out.append(Finding(e.line, "xsd.invalid", e.message))
                if len(log) > MAX_XSD_ERRORS:
                    out.append(Finding(0, "xsd.invalid", f"... and {len(log) - MAX_XSD_ERRORS} more XSD errors"))
        if self.profile_codes:
            out.extend(f for f in profile(root) if f.code in self.profile_codes)
        return out

    # -- JSON

    def check_json(self, data: bytes) -> list[Finding]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return [
                Finding(
                    line_at(data, exc.start),
                    "input.not-wellformed",
                    f"JSON must be UTF-8: undecodable byte at offset {exc.start}",
                )
            ]
        found = json_scan(data, self.max_depth)
        if found is not None and found[0] == "too-deep":
            return [
                Finding(
                    found[1],
                    "input.too-deep",
                    f"JSON nested deeper than {self.max_depth} levels; refused without parsing",
                )
            ]
        if found is not None:
            return [Finding(found[1], "input.not-wellformed", "not well-formed JSON: unterminated string")]
        try:
            instance = json.loads(text)
        except json.JSONDecodeError as exc:
            return [Finding(exc.lineno, "input.not-wellformed", f"not well-formed JSON: {exc.msg}")]
        except ValueError as exc:  # e.g. an integer beyond Python's digit limit
            return [Finding(0, "input.not-wellformed", f"JSON refused: {exc}")]
        except RecursionError:  # belt and braces: the scan above should have caught it
            return [Finding(0, "input.too-deep", "JSON nested too deeply; refused")]
        out: list[Finding] = []
        if isinstance(instance, dict) and "json.version" not in self.disabled:
            have = instance.get("schema_version")
            if have != SCHEMA_VERSION:
                if have is None:
                    what = "has no schema_version"
                else:
                    what = f"was made under document schema version {have}"
                return [
                    Finding(
                        _schema_version_line(data),
                        "json.version",
                        f"the file {what}; this validator (akn-pipeline {__version__}) needs schema "
                        f"version {SCHEMA_VERSION} ({SCHEMA_ID}): re-convert the source with this "
                        f"release, or validate with the release that wrote version {have}",
                    )
                ]
        if "json.schema" not in self.disabled:
            if json_validator().is_valid(instance):
                return out
            lines = json_lines(text)  # only for an invalid file: where each value starts
            errors = sorted(json_reference_validator().iter_errors(instance), key=lambda e: list(map(str, e.path)))
            for e in errors:
                path = tuple(e.path)
                if e.validator == "additionalProperties" and isinstance(e.instance, dict):
                    extra = [k for k in e.instance if k not in e.schema.get("properties", {})]
                    if extra and path + (extra[0],) in lines:
                        path = path + (extra[0],)  # the line of the unexpected key
                ln = next((lines[path[:k]] for k in range(len(path), -1, -1) if path[:k] in lines), 0)
                out.append(Finding(ln, "json.schema", f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}"))
        return out


_GLOB = re.compile(r"[*?\[]")
SUFFIXES = (".xml", ".json")


def expand(paths: Iterable[str]) -> list[Path]:
    """Files, directories (recursive ``.xml``/``.json``) and globs -> a sorted, de-duplicated list.
    Raises ``UsageError`` for a name that matches nothing or a file of another type."""

    out: dict[str, Path] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [q for q in p.rglob("*") if q.suffix.lower() in SUFFIXES and q.is_file()]
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                raise UsageError(f"{raw}: not a .xml or .json file")
            found = [p]
        elif _GLOB.search(raw):
            found = []
            for m in glob.glob(raw, recursive=True):
                q = Path(m)
                if q.is_dir():
                    found.extend(r for r in q.rglob("*") if r.suffix.lower() in SUFFIXES and r.is_file())
                elif q.suffix.lower() in SUFFIXES and q.is_file():
                    found.append(q)
            if not found:
                raise UsageError(f"{raw}: no .xml or .json file matches")
        else:
            raise UsageError(f"{raw}: no such file or directory")
        for q in found:
            out.setdefault(os.path.normpath(q), q)
    return [out[k] for k in sorted(out)]


def byte_size(text: str) -> int:
    """``--max-bytes`` values: ``1000``, ``64k``, ``16M``, ``1G`` (binary multiples)."""

    m = re.fullmatch(r"\s*(\d+)\s*([kKmMgG]?)[iI]?[bB]?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 1000, 64k, 16M)")
    return int(m[1]) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m[2].lower()]
