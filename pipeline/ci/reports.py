"""Reports of a ``validate`` run, for people and for CI.

- ``human``: one line per finding, ``file:line: code: message`` (line 0: the whole file);
- ``json``: ``{"tool", "summary": {...}, "files": [{"path", "kind", "valid", "findings": [...]}]}``;
- ``junit``: JUnit XML, one ``testcase`` per file, a ``failure`` (an ``error`` for an unreadable
  file) listing its findings;
- ``github``: GitHub Actions workflow commands, ``::error file=F,line=N,title=CODE::message``.

Each renderer returns the whole report as a string; the summary line (``N of M files valid``) is
the caller's, on stderr.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from lxml import etree

from .. import __version__
from .checks import CHECKS, ValidationResult

FORMATS = ("human", "json", "junit", "github")


def summary(results: list[ValidationResult]) -> dict:
    codes = Counter(f.code for r in results for f in r.findings)
    return {
        "files": len(results),
        "valid": sum(r.valid for r in results),
        "invalid": sum(not r.valid for r in results),
        "findings": sum(codes.values()),
        "codes": dict(sorted(codes.items())),
    }


def human(results: list[ValidationResult]) -> str:
    return "".join(f"{r.path}:{f.line}: {f.code}: {f.message}\n" for r in results for f in r.findings)


def as_json(results: list[ValidationResult]) -> str:
    doc = {
        "tool": {"name": "akn-pipeline", "version": __version__},
        "summary": summary(results),
        "files": [
            {
                "path": r.path,
                "kind": r.kind,
                "valid": r.valid,
                "findings": [
                    {"line": f.line, "code": f.code, "severity": f.severity, "message": f.message} for f in r.findings
                ],
            }
            for r in results
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(s: str) -> str:
    """``s`` with every character XML 1.0 cannot hold written as an escape: control characters as
    ``\\xNN``, a byte of a file name that is not UTF-8 (a surrogate from ``os.fsdecode``) as the
    byte ``\\xNN``, any other as ``\\uNNNN``."""

    def esc(m: re.Match) -> str:
        c = ord(m.group())
        if 0xDC80 <= c <= 0xDCFF:
            return f"\\x{c - 0xDC00:02x}"
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"

    return _NOT_XML.sub(esc, s)


def junit(results: list[ValidationResult]) -> str:
    s = summary(results)
    errors = sum(r.io_error for r in results)
    suites = etree.Element(
        "testsuites",
        name="akn-pipeline validate",
        tests=str(s["files"]),
        failures=str(s["invalid"] - errors),
        errors=str(errors),
    )
    suite = etree.SubElement(
        suites,
        "testsuite",
        name="akn-pipeline validate",
        tests=str(s["files"]),
        failures=str(s["invalid"] - errors),
        errors=str(errors),
        skipped="0",
    )
    for r in results:
        path = xml_text(r.path)
        case = etree.SubElement(suite, "testcase", classname=f"akn-pipeline.validate.{r.kind}", name=path, file=path)
        if r.findings:
            first = r.findings[0]
            tag = "error" if r.io_error else "failure"
            el = etree.SubElement(
                case,
                tag,
                type=xml_text(first.code),
                message=xml_text(f"{len(r.findings)} problem(s); first: {first.code}: {first.message}"),
            )
            el.text = xml_text("".join(f"{r.path}:{f.line}: {f.code}: {f.message}\n" for f in r.findings))
    data: bytes = etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data.decode("utf-8")


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(results: list[ValidationResult]) -> str:
    lines = []
    for r in results:
        for f in r.findings:
            props = f"file={_escape_property(r.path)}"
            if f.line:
                props += f",line={f.line}"
            props += f",title={_escape_property(f.code)}"
            level = "error" if f.severity == "error" else "warning"
            lines.append(f"::{level} {props}::{_escape_data(f.message)}\n")
    return "".join(lines)


RENDERERS = {"human": human, "json": as_json, "junit": junit, "github": github}


def render(results: list[ValidationResult], fmt: str) -> str:
    return RENDERERS[fmt](results)


def codes_table() -> str:
    """The Markdown table of check codes (docs/ci.md holds a copy; a test keeps them in step)."""
    rows = ["| code | what | can be switched off |", "|---|---|---|"]
    for code, what in CHECKS.items():
        rows.append(f"| `{code}` | {what} | {'no' if code.startswith('input.') else 'yes'} |")
    return "\n".join(rows) + "\n"
