"""Filling a catalogue: one document (``record``), or every output of a batch (``build``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from ...model import Document
from ..outputs import load_documents, read_report, report_status
from .rows import file_key, row, sha256_file, write_row
from .schema import DEFAULT_NAME, connect


def _upsert(
    con: sqlite3.Connection,
    document: Document,
    input_sha256: str | None,
    outputs: Mapping,
    status: str | None,
    file: str | None,
) -> int:
    return write_row(con, row(document, input_sha256, outputs, status, file))


def record(
    db_path: str | Path,
    document: Document,
    input_sha256: str | None,
    outputs: Mapping,
    status: str | None = None,
    file: str | None = None,
) -> int:
    """Insert or replace one converted document; returns its row id.

    ``outputs`` maps a name (``xml``, ``json``, ``html`` ...) to a path (hashed here) or to
    ``{"path": ..., "sha256": ...}``.  ``status`` defaults to ``error`` when the document carries an
    error diagnostic, else ``ok``.  ``file`` (the key) defaults to ``document.source``."""
    con = connect(db_path)
    try:
        with con:
            return _upsert(con, document, input_sha256, outputs, status, file)
    finally:
        con.close()


def _find_input(name: str, dirs: Iterable[Path]) -> Path | None:
    for d in dirs:
        for cand in (d / name, *sorted(d.rglob(name))):
            if cand.is_file():
                return cand
    return None


def build(outdir: str | Path, db_path: str | Path | None = None, inputs: Iterable[str | Path] = ()) -> Path:
    """Catalogue every ``<stem>.json`` document under ``outdir``, sub-directories included (with
    ``<stem>.akn.xml`` beside it), keyed like ``convert`` keys them (``file_key``).  The input
    checksum and status come from ``outdir/report.jsonl`` when it lists the document (for a document
    the last run left ``unchanged``, its previous status), else the input is looked for (by
    ``Document.source``) in the ``inputs`` directories."""
    outdir = Path(outdir)
    db = Path(db_path) if db_path else outdir / DEFAULT_NAME
    report = read_report(outdir)
    dirs = [Path(p) for p in inputs]
    con = connect(db)
    try:
        for rel, doc in load_documents(outdir):
            row = report.get(rel) or {}
            sha = row.get("sha256") if isinstance(row.get("sha256"), str) else None
            if sha is None and doc.source and dirs:
                found = _find_input(doc.source, dirs)
                sha = sha256_file(found) if found else None
            outputs = {"json": outdir / f"{rel}.json"}
            if (outdir / f"{rel}.akn.xml").exists():
                outputs["xml"] = outdir / f"{rel}.akn.xml"
            with con:
                _upsert(
                    con,
                    doc,
                    sha,
                    {k: str(v) for k, v in outputs.items()},
                    report_status(row),
                    file_key(rel, doc.source),
                )
    finally:
        con.close()
    return db
