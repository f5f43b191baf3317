"""Reading a batch's output directory back: the JSON documents under it and ``report.jsonl``.

Shared by the review pages (``html``) and the catalogue (``catalog build``).  Documents are keyed
by their path relative to the output directory without the suffix (``sub/dir/A_HRC_RES_54_1``):
``convert`` mirrors input sub-directories under ``-o DIR``, so two inputs of the same name in two
folders are two documents.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..model import Document

REPORT = "report.jsonl"


def _key_of(output: str) -> str | None:
    for suffix in (".json", ".akn.xml"):
        if output.endswith(suffix):
            return output[: -len(suffix)].replace(os.sep, "/")
    return None


def read_report(outdir: Path) -> dict[str, dict]:
    """``OUTDIR/report.jsonl`` (one JSON object per document) keyed by the document's output path
    under ``outdir`` without suffix: from the record's ``outputs``, else its ``key`` (a document that
    failed), else the input's name without ``.txt`` (a report without either)."""
    path = Path(outdir) / REPORT
    table: dict[str, dict] = {}
    if not path.exists():
        return table
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if not isinstance(row, dict):
            continue
        key = None
        outputs = row.get("outputs")
        if isinstance(outputs, list):
            key = next((k for k in map(_key_of, (o for o in outputs if isinstance(o, str))) if k), None)
        if key is None and isinstance(row.get("key"), str) and row["key"]:
            key = row["key"]
        if key is None:
            name = Path(str(row.get("input") or "")).name
            key = (name[:-4] if name.endswith(".txt") else name) or None
        if key:
            table[key] = row
    return table


def report_status(row: dict[str, Any]) -> str | None:
    """A report record's status; for a document the run left ``unchanged``, the status it had."""
    status = row.get("status")
    previous = row.get("previous")
    if status == "unchanged" and isinstance(previous, str):
        return previous
    return status if isinstance(status, str) else None


def load_documents(outdir: Path, skip: tuple[str, ...] = ("html",)) -> list[tuple[str, Document]]:
    """Every JSON document under ``outdir`` (recursively; hidden and temporary files, hidden
    directories and the top-level ``skip`` directories left out), as ``(relative path without
    .json, document)`` sorted by that path.  JSON files that are not documents are skipped."""
    outdir = Path(outdir)
    docs = []
    for dirpath, dirnames, filenames in os.walk(outdir):
        top = Path(dirpath) == outdir
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (top and d in skip))
        for name in sorted(filenames):
            if not name.endswith(".json") or name.startswith("."):
                continue
            path = Path(dirpath, name)
            try:
                doc = Document.model_validate_json(path.read_bytes())
            except (ValueError, OSError):
                continue  # not a document (another JSON file in the folder)
            docs.append((path.relative_to(outdir).as_posix()[:-5], doc))
    docs.sort(key=lambda kv: kv[0])
    return docs
