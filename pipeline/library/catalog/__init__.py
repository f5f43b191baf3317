"""The catalogue: a SQLite database of converted documents (schema in ``docs/catalog.md``).

``record`` upserts one converted document (keyed by its input file name) with its metadata, counts,
the SHA-256 of its input and of each output, and its diagnostics.  ``build`` fills a catalogue
from a folder of JSON outputs (and ``report.jsonl`` when present, for input checksums and status).
``query`` and ``export_csv`` read it back.  The standard library's ``sqlite3`` is the only
dependency; every write happens in one transaction per document.
"""

from __future__ import annotations

from .fill import build, record
from .read import as_json, diagnostics, export_csv, query
from .rows import failed_row, file_key, row, sha256_file, structure_counts, write_row, write_rows
from .schema import CSV_COLUMNS, DEFAULT_NAME, SCHEMA, SCHEMA_VERSION, connect

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_NAME",
    "SCHEMA",
    "SCHEMA_VERSION",
    "as_json",
    "build",
    "connect",
    "diagnostics",
    "export_csv",
    "failed_row",
    "file_key",
    "query",
    "record",
    "row",
    "sha256_file",
    "structure_counts",
    "write_row",
    "write_rows",
]
