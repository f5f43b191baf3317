"""The catalogue's tables (``docs/catalog.md`` describes every column) and opening a catalogue."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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


def connect(db_path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) a catalogue; the schema is created idempotently."""
    con = sqlite3.connect(str(db_path))
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys = ON")
    con.executescript(SCHEMA)
    con.execute("INSERT OR REPLACE INTO catalog_info(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    con.commit()
    return con
