"""The catalogue: a SQLite database of converted documents (schema in ``docs/catalog.md``).

``record`` upserts one converted document (keyed by its input file name) with its metadata, counts,
the SHA-256 of its input and of each output, and its diagnostics.  ``build`` fills a catalogue
from a folder of JSON outputs (and ``report.jsonl`` when present, for input checksums and status).
``query`` and ``export_csv`` read it back.  The standard library's ``sqlite3`` is the only
dependency; every write happens in one transaction per document.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..model import Diagnostic, Document, Operative, Point, walk
from .outputs import load_documents, read_report, report_status

SCHEMA_VERSION = 1
DEFAULT_NAME = "catalog.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL UNIQUE,
    symbol TEXT,
    kind TEXT NOT NULL,
    body TEXT,
    number TEXT,
    session TEXT,
    agenda_items TEXT NOT NULL DEFAULT '',
    title TEXT,
    adoption_date TEXT,
    meeting TEXT,
    committee_report TEXT,
    vote TEXT,
    submitter TEXT,
    language TEXT NOT NULL,
    structured INTEGER NOT NULL,
    status TEXT NOT NULL,
    preamble_count INTEGER NOT NULL,
    operative_count INTEGER NOT NULL,
    point_count INTEGER NOT NULL,
    footnote_count INTEGER NOT NULL,
    citation_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    warning_count INTEGER NOT NULL,
    info_count INTEGER NOT NULL,
    input_sha256 TEXT,
    xml_path TEXT,
    xml_sha256 TEXT,
    json_path TEXT,
    json_sha256 TEXT,
    schema_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_symbol ON documents(symbol);
CREATE TABLE IF NOT EXISTS agenda_items (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    title TEXT,
    PRIMARY KEY (document_id, seq)
);
CREATE TABLE IF NOT EXISTS outputs (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    size INTEGER,
    PRIMARY KEY (document_id, name)
);
CREATE TABLE IF NOT EXISTS diagnostics (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    line INTEGER NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (document_id, seq)
);
CREATE INDEX IF NOT EXISTS diagnostics_code ON diagnostics(code);
"""

CSV_COLUMNS = [
    "file",
    "symbol",
    "kind",
    "body",
    "number",
    "session",
    "agenda_items",
    "title",
    "adoption_date",
    "meeting",
    "language",
    "status",
    "preamble_count",
    "operative_count",
    "point_count",
    "footnote_count",
    "citation_count",
    "error_count",
    "warning_count",
    "info_count",
    "input_sha256",
    "xml_sha256",
    "json_sha256",
]


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def connect(db_path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) a catalogue; the schema is created idempotently."""
    con = sqlite3.connect(str(db_path))
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys = ON")
    con.executescript(SCHEMA)
    con.execute("INSERT OR REPLACE INTO catalog_info(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    con.commit()
    return con


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


def _text(value):
    """A string SQLite can store: the undecodable bytes of a file name (surrogates from
    ``os.fsdecode``) written as ``\\xNN``."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return (
                value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                if all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in value)
                else value.encode("utf-8", "backslashreplace").decode("utf-8")
            )
    return value


def failed_row(file: str, source: str | None, input_sha256: str | None, diagnostics: list[Diagnostic]) -> dict:
    """The row of a document that failed: status ``failed``, its input checksum and the diagnostics
    that made it fail.  No metadata (NULL), counts 0, kind ``document``, no outputs: the metadata of
    an earlier conversion is not kept, since its outputs were deleted."""
    return row(Document(source=source, diagnostics=diagnostics), input_sha256, {}, "failed", file=file)


def _output(value) -> tuple[str, str | None, int | None]:
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
    doc = {k: _text(v) for k, v in doc.items()}
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
    return con.execute("SELECT id FROM documents WHERE file = ?", (data["document"]["file"],)).fetchone()[0]


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
    ids = {}
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


def export_csv(rows: list[dict], fh) -> None:
    w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)


def as_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)
