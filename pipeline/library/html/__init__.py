"""Review pages for librarians: one self-contained HTML page per document, and a batch index.

Generated from the document model (the JSON output), never from the network: every page carries
its CSS and JavaScript inline and a Content-Security-Policy that forbids loading anything else, so
a folder of pages opens on a disconnected machine.

A document page shows the preface, the formula, the numbered preamble, the operative paragraphs
with their sub-paragraphs, the conclusions, and the footnotes as notes linked both ways: the marker
``<a id="ref-N-K" href="#fn-I">`` goes to the note, the note's ``↩`` links go back to each place it is
cited.  Each diagnostic is shown at the block whose source lines contain its line (the nearest
block before it otherwise); diagnostics with no line are listed at the top.

The index lists every document with its status, key metadata and diagnostic counts in a table that
sorts (click a header) and filters (text box, status menu), with an inline SVG chart of documents
by status and by diagnostic code.

All text is escaped (``html.escape``); pages are deterministic for the same inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...files import write_atomic
from ..outputs import load_documents, read_report, report_status
from .assets import SEVERITIES
from .index import Entry, entry_for, page_href, render_index
from .page import render_document

__all__ = ["Entry", "build", "entry_for", "page_href", "render_document", "render_index"]


def build(outdir: Path, dest: Path | None = None) -> list[Path]:
    """Write ``dest/<path>.html`` for each JSON output under ``outdir`` (sub-directories mirrored:
    ``sub/x.json`` gives ``dest/sub/x.html``) and ``dest/index.html`` (``dest`` defaults to
    ``outdir/html``).  Documents the report lists without a JSON output (failed) appear in the index
    without a page.  A document the last run left ``unchanged`` shows its previous status.  Returns
    the paths written."""
    dest = dest or outdir / "html"
    report = read_report(outdir)
    skip = (dest.name,) if dest.parent.resolve() == outdir.resolve() else ()
    written, entries, seen = [], [], set()
    for rel, doc in load_documents(outdir, skip=("html",) + skip):
        status = report_status(report.get(rel) or {})
        page = dest / f"{rel}.html"
        index_href = "../" * rel.count("/") + "index.html"
        write_atomic(page, render_document(doc, status, index_href).encode("utf-8"))
        written.append(page)
        entries.append(entry_for(doc, rel, status))
        seen.add(rel)
    for rel, row in sorted(report.items()):
        if rel in seen:
            continue
        found, codes = row.get("diagnostics"), row.get("codes")
        counts: dict[str, Any] = found if isinstance(found, dict) else {}
        entries.append(
            Entry(
                stem=rel,
                page=None,
                status=report_status(row) or "failed",
                source=Path(str(row.get("input") or "")).name or None,
                counts={s: int(counts.get(s, 0) or 0) for s in SEVERITIES},
                codes={str(k): int(v or 0) for k, v in codes.items()} if isinstance(codes, dict) else {},
            )
        )
        seen.add(rel)
    entries.sort(key=lambda e: e.stem)
    index = dest / "index.html"
    write_atomic(index, render_index(entries, f"akn-pipeline: {outdir.name or outdir.resolve().name}").encode("utf-8"))
    written.append(index)
    return written
