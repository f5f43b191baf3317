"""One document as the catalogue stores it (``row``: plain, picklable data, so a batch worker
makes it and the parent writes it), and writing rows."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...model import Diagnostic, Document, Operative, Point, walk


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def structure_counts(document: Document) -> tuple[int, int]:
    """The operative paragraphs and their sub-paragraphs (those of parts included, not those of
    annexes)."""
    body = [v.node for v in walk(document) if v.region == "body"]
    return sum(isinstance(n, Operative) for n in body), sum(isinstance(n, Point) for n in body)


def file_key(out: str, source: str | None) -> str:
    """The key of a document (``documents.file``): its input's name, after the sub-directory its
    outputs are in under the output directory (``out``: the output path without suffix, e.g.
    ``sub/A_HRC_RES_54_1``).  A name that is not UTF-8 is written with ``\\x`` escapes."""
    d, _, stem = out.rpartition("/")
    name = source or f"{stem}.txt"
    key = f"{d}/{name}" if d else name
    return _text(key)


def _text(value: str) -> str:
    """A string SQLite can store: the undecodable bytes of a file name (surrogates from
    ``os.fsdecode``) written as ``\\xNN``."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return (
            value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            if all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in value)
            else value.encode("utf-8", "backslashreplace").decode("utf-8")
        )
    return value


def failed_row(
    file: str, source: str | None, input_sha256: str | None, diagnostics: list[Diagnostic]
) -> dict[str, Any]:
    """The row of a document that failed: status ``failed``, its input checksum and the diagnostics
    that made it fail.  No metadata (NULL), counts 0, kind ``document``, no outputs: the metadata of
    an earlier conversion is not kept, since its outputs were deleted."""
    return row(Document(source=source, diagnostics=diagnostics), input_sha256, {}, "failed", file=file)


def _output(value: object) -> tuple[str, str | None, int | None]:
    """An output given as a path (hashed here) or as ``{"path": ..., "sha256": ...}``."""
    if isinstance(value, Mapping):
        path = str(value.get("path", ""))
        sha = value.get("sha256")
        size = value.get("size")
        if sha is None and path and Path(path).is_file():
            sha, size = sha256_file(path), Path(path).stat().st_size
        return path, sha, size
    path = str(value)
    if Path(path).is_file():
        return path, sha256_file(path), Path(path).stat().st_size
    return path, None, None


def row(
    document: Document, input_sha256: str | None, outputs: Mapping, status: str | None = None, file: str | None = None
) -> dict:
    """Everything the catalogue stores about one document, as plain data (picklable, so a batch
    worker can make it and the parent write it)."""
    m = document.metadata
    counts = Counter(d.severity for d in document.diagnostics)
    status = status or ("error" if counts["error"] else "ok")
    resolved = {name: _output(v) for name, v in outputs.items()}
    xml = next((v for k, v in resolved.items() if k in ("xml", "akn") or k.endswith(".xml")), (None, None, None))
    jsn = next((v for k, v in resolved.items() if k == "json" or k.endswith(".json")), (None, None, None))
    operative_count, point_count = structure_counts(document)
    report = m.committee_report
    doc = dict(
        file=file or document.source or "",
        symbol=m.symbol,
        kind=document.kind,
        body=m.body,
        number=m.number,
        session=m.session,
        agenda_items="; ".join(a.number for a in m.agenda_items),
        title=m.title,
        adoption_date=m.adoption_date,
        meeting=m.meeting,
        committee_report=" ".join(x for x in (report.symbol, report.paragraph and f"para. {report.paragraph}") if x)
        if report
        else None,
        vote=m.vote,
        submitter=m.submitter,
        language=m.language,
        structured=int(document.structured),
        status=status,
        preamble_count=len(document.preamble),
        operative_count=operative_count,
        point_count=point_count,
        footnote_count=len(document.footnotes),
        citation_count=sum(len(n.citations) for n in document.footnotes),
        error_count=counts["error"],
        warning_count=counts["warning"],
        info_count=counts["info"],
        input_sha256=input_sha256,
        xml_path=xml[0],
        xml_sha256=xml[1],
        json_path=jsn[0],
        json_sha256=jsn[1],
        schema_version=document.schema_version,
    )
    if not doc["file"]:
        raise ValueError("a catalogued document needs a file name (Document.source or file=)")
    doc = {k: _text(v) if isinstance(v, str) else v for k, v in doc.items()}
    return {
        "document": doc,
        "agenda_items": [(k, a.number, a.title) for k, a in enumerate(m.agenda_items, 1)],
        "outputs": [(name, _text(path), sha, size) for name, (path, sha, size) in sorted(resolved.items())],
        "diagnostics": [
            (k, d.code, d.severity, d.line, _text(d.message)) for k, d in enumerate(document.diagnostics, 1)
        ],
    }


def write_row(con: sqlite3.Connection, data: dict) -> int:
    """Insert or replace one document made by ``row`` (the caller commits); returns its id."""
    write_rows(con, [data])
    found = con.execute("SELECT id FROM documents WHERE file = ?", (data["document"]["file"],)).fetchone()
    return int(found[0])


def write_rows(con: sqlite3.Connection, rows: list[dict]) -> None:
    """Insert or replace documents made by ``row`` (a batch chunk at once: a few statements in
    all); the caller commits."""
    if not rows:
        return
    docs = [r["document"] for r in rows]
    cols = list(docs[0])
    updates = ", ".join(f"{k} = excluded.{k}" for k in cols if k != "file")
    con.executemany(
        f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join(':' + k for k in cols)}) "
        f"ON CONFLICT(file) DO UPDATE SET {updates}",
        docs,
    )
    files = [d["file"] for d in docs]
    ids: dict[str, int] = {}
    for k in range(0, len(files), 500):  # SQLite's limit on bound parameters
        part = files[k : k + 500]
        ids.update(
            con.execute(f"SELECT file, id FROM documents WHERE file IN ({', '.join('?' * len(part))})", part).fetchall()
        )
    for table in ("agenda_items", "outputs", "diagnostics"):
        con.executemany(f"DELETE FROM {table} WHERE document_id = ?", [(ids[f],) for f in files])
    con.executemany(
        "INSERT INTO agenda_items VALUES (?, ?, ?, ?)",
        [(ids[r["document"]["file"]], *a) for r in rows for a in r["agenda_items"]],
    )
    con.executemany(
        "INSERT INTO outputs VALUES (?, ?, ?, ?, ?)",
        [(ids[r["document"]["file"]], *o) for r in rows for o in r["outputs"]],
    )
    con.executemany(
        "INSERT INTO diagnostics VALUES (?, ?, ?, ?, ?, ?)",
        [(ids[r["document"]["file"]], *d) for r in rows for d in r["diagnostics"]],
    )
