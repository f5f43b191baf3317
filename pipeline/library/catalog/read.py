"""Reading a catalogue back: queries, a document's diagnostics, CSV and JSON exports."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import IO, Any

from .schema import CSV_COLUMNS


def query(
    db_path: str | Path,
    symbol: str | None = None,
    kind: str | None = None,
    body: str | None = None,
    code: str | None = None,
) -> list[dict]:
    """Documents matching every filter given (``symbol`` accepts SQL ``%`` wildcards; ``code`` keeps
    documents carrying that diagnostic), ordered by file."""
    where, params = [], []
    if symbol:
        where.append("symbol LIKE ?")
        params.append(symbol)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if body:
        where.append("body = ?")
        params.append(body)
    if code:
        where.append("id IN (SELECT document_id FROM diagnostics WHERE code = ?)")
        params.append(code)
    sql = "SELECT * FROM documents" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY file"
    con = _read_only(db_path)
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def _read_only(db_path: str | Path) -> sqlite3.Connection:
    """The catalogue opened read-only (a ``file:`` URI made by pathlib: ``?``, ``#`` and ``%`` in the
    path are quoted)."""
    con = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con


def diagnostics(db_path: str | Path, file: str) -> list[dict]:
    con = _read_only(db_path)
    try:
        return [
            dict(r)
            for r in con.execute(
                "SELECT d.seq, d.code, d.severity, d.line, d.message FROM diagnostics d "
                "JOIN documents doc ON doc.id = d.document_id WHERE doc.file = ? ORDER BY d.seq",
                (file,),
            )
        ]
    finally:
        con.close()


def export_csv(rows: list[dict[str, Any]], fh: IO[str]) -> None:
    w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)


def as_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)
