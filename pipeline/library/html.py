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

from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

from ..bodies import BY_CODE
from ..files import write_atomic
from ..model import Diagnostic, Document, Heading, Inline, Line, NoteRef, Operative, Point, Span
from .catalog import structure_counts
from .outputs import load_documents, read_report, report_status

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

SEVERITIES = ("error", "warning", "info")

FONTS = (
    '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "WenQuanYi Micro Hei", '
    '"Noto Sans CJK SC", serif'
)

BASE_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #0b57d0; --bg: #fcfcfa;
  --error: #b3261e; --warning: #8a5a00; --info: #3c6e8f; }
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); }
body { margin: 0; font-family: @FONTS@; font-size: 17px; line-height: 1.9;
  text-rendering: optimizeLegibility; -webkit-font-smoothing: antialiased; }
a { color: var(--accent); }
header.top { padding: .8rem 1.5rem; border-bottom: 1px solid var(--rule); background: #fff;
  font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.5; }
header.top a { margin-right: 1rem; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 3px; font: 600 12px/1.7 system-ui, sans-serif;
  color: #fff; background: var(--muted); vertical-align: middle; }
.badge.ok { background: #1e7e34; } .badge.error, .badge.failed { background: var(--error); }
.badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.diag { font: 13px/1.5 system-ui, sans-serif; margin: .3rem 0 .6rem; padding: .3rem .6rem;
  border-left: 4px solid var(--info); background: #eef4f8; text-indent: 0; }
.diag.error { border-color: var(--error); background: #fbeceb; }
.diag.warning { border-color: var(--warning); background: #fdf4e3; }
.diag code { font-weight: 600; }
""".replace("@FONTS@", FONTS)

DOC_CSS = (
    BASE_CSS
    + """
.layout { display: grid; grid-template-columns: minmax(0, 44em) 20rem; gap: 2rem; justify-content: center;
  padding: 1.5rem; }
@media (max-width: 1000px) { .layout { grid-template-columns: minmax(0, 1fr); } }
main { background: #fff; padding: 2rem 2.5rem; border: 1px solid var(--rule); }
aside.meta { font: 13px/1.6 system-ui, sans-serif; }
aside.meta dl { display: grid; grid-template-columns: auto 1fr; gap: .2rem .8rem; margin: 0; }
aside.meta dt { color: var(--muted); } aside.meta dd { margin: 0; word-break: break-word; }
aside.meta section { background: #fff; border: 1px solid var(--rule); padding: .8rem 1rem; margin-bottom: 1rem;
  position: sticky; top: 1rem; }
h1.title { font-size: 1.45rem; line-height: 1.6; text-align: center; margin: 1.2rem 0; font-weight: 700; }
.preface p { margin: .1rem 0; text-align: center; color: #333; }
.preface p.role-session, .preface p.role-agenda, .preface p.role-agendaTitle { text-align: left; }
.preface p.role-title { font-weight: 700; font-size: 1.2rem; margin: 1rem 0; }
.formula { text-indent: 2em; margin: 1.2rem 0 .6rem; }
.preamble p, .body p.intro { text-indent: 2em; margin: .35rem 0; text-align: justify; }
.block { position: relative; }
.block .lines { position: absolute; left: -3.2rem; width: 2.8rem; text-align: right; top: .35rem;
  font: 11px/1.5 system-ui, sans-serif; color: #9aa0a6; }
.preamble .pnum { color: #9aa0a6; font: 11px system-ui, sans-serif; margin-right: .4em; text-indent: 0; }
.operative { margin: .5rem 0; }
.operative > p.intro { text-indent: 0; padding-left: 2.2em; }
.operative .num { display: inline-block; width: 2.2em; margin-left: -2.2em; font-weight: 700; }
.points { list-style: none; margin: .2rem 0 .2rem 2.2em; padding: 0; }
.points li { margin: .2rem 0; padding-left: 2.6em; text-indent: -2.6em; }
.points .pnum { display: inline-block; width: 2.6em; text-indent: 0; }
h2.heading { font-size: 1.1rem; margin: 1.4rem 0 .6rem; text-align: center; }
.conclusions { margin-top: 1.5rem; text-align: right; color: #333; }
.conclusions p { margin: 0; }
.unstructured { white-space: pre-wrap; }
sup.noteref { line-height: 0; font: 600 11px system-ui, sans-serif; }
sup.noteref a { text-decoration: none; padding: 0 .1em; }
section.footnotes { margin-top: 2rem; border-top: 1px solid var(--rule); font-size: .88rem; line-height: 1.7; }
section.footnotes h2 { font: 600 13px system-ui, sans-serif; color: var(--muted); margin: .8rem 0; }
section.footnotes ol { list-style: none; padding: 0; margin: 0; }
section.footnotes li { margin: .25rem 0; padding-left: 2.2em; text-indent: -2.2em; }
section.footnotes .fnum { display: inline-block; width: 2.2em; text-indent: 0; font-weight: 600; }
a.back { text-decoration: none; margin-left: .3em; font-family: system-ui, sans-serif; }
:target { background: #fff3b0; outline: 2px solid #f2c200; }
.removed { font: 12px/1.5 ui-monospace, monospace; color: var(--muted); }
"""
)

INDEX_CSS = (
    BASE_CSS
    + """
main { padding: 1.2rem 1.5rem; font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.5; }
h1 { font-size: 1.3rem; margin: .2rem 0 1rem; }
.controls { display: flex; gap: 1rem; align-items: center; margin: .8rem 0; flex-wrap: wrap; }
.controls input { font-size: 14px; padding: .3rem .5rem; min-width: 20rem; }
.controls select { font-size: 14px; padding: .25rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f4; cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.title { font-family: @FONTS@; }
tr.hidden { display: none; }
.charts { display: flex; gap: 2rem; flex-wrap: wrap; margin: 1rem 0; }
.charts figure { margin: 0; background: #fff; border: 1px solid var(--rule); padding: .6rem; }
.charts figcaption { font-weight: 600; margin-bottom: .3rem; }
.charts svg text { font: 12px system-ui, sans-serif; }
#count { color: var(--muted); }
""".replace("@FONTS@", FONTS)
)

INDEX_JS = r"""
(function () {
  "use strict";
  var table = document.getElementById("docs");
  var tbody = table.tBodies[0];
  var filter = document.getElementById("filter");
  var status = document.getElementById("status-filter");
  var count = document.getElementById("count");
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var s = status.value;
    var shown = 0;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) !== -1) &&
               (!s || row.getAttribute("data-status") === s);
      row.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " / " + tbody.rows.length;
  }
  filter.addEventListener("input", apply);
  status.addEventListener("change", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-sort") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-sort") || b.cells[col].textContent;
        var r = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0)
                        : x.localeCompare(y, "zh", { numeric: true });
        return asc ? r : -r;
      });
      rows.forEach(function (row) { tbody.appendChild(row); });
    });
  });
  apply();
}());
"""


def _body_label(code: str | None) -> str:
    """``大会 General Assembly`` for ``un-ga``; an unknown code as it is, or a dash."""
    body = BY_CODE.get(code or "")
    return f"{body.chinese} {body.short}" if body else code or "—"


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _head(title: str, css: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="akn-pipeline">\n'
        f"<title>{_e(title)}</title>\n<style>{css}</style>\n</head>\n"
    )


def status_of(doc: Document) -> str:
    """``error`` when the document carries an error diagnostic, else ``ok`` (as ``convert`` says)."""
    return "error" if any(d.severity == "error" for d in doc.diagnostics) else "ok"


def severity_counts(diags: list[Diagnostic]) -> dict[str, int]:
    c = Counter(d.severity for d in diags)
    return {s: c.get(s, 0) for s in SEVERITIES}


# --- document page ------------------------------------------------------------------------------


@dataclass
class _Notes:
    """Footnote ids (``fn-I``, I counting from 1 in ``Document.footnotes``), and one id per citation
    so each can be linked back.  A citation goes to the note its ``NoteRef.note`` names (markers may
    repeat in a document, an annex numbering its notes from 1 again); without one, to the first
    note with its marker."""

    ids: dict[str, str]
    count: int = 0
    backrefs: dict[str, list[str]] = field(default_factory=dict)  # note id -> citation ids
    seen: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, doc: Document) -> _Notes:
        ids: dict[str, str] = {}
        for k, note in enumerate(doc.footnotes, 1):
            ids.setdefault(note.marker, f"fn-{k}")
        return cls(ids=ids, count=len(doc.footnotes))

    def target(self, r: NoteRef) -> str | None:
        note = getattr(r, "note", None)
        if isinstance(note, int) and 0 <= note < self.count:
            return f"fn-{note + 1}"
        return self.ids.get(r.marker)

    def ref(self, r: NoteRef) -> tuple[str, str | None]:
        """The id of this citation and the id of the note it goes to (None: no body)."""
        self.seen[r.marker] += 1
        rid = f"ref-{_slug(r.marker)}-{self.seen[r.marker]}"
        target = self.target(r)
        if target:
            self.backrefs.setdefault(target, []).append(rid)
        return rid, target


def _slug(s: str) -> str:
    return "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in s) or "_"


def _inlines(runs: list[Inline], notes: _Notes) -> str:
    out = []
    for r in runs:
        if isinstance(r, NoteRef):
            rid, target = notes.ref(r)
            label = f"脚注 {r.marker}"
            if target:
                out.append(
                    f'<sup class="noteref"><a id="{rid}" href="#{target}" role="doc-noteref" '
                    f'aria-label="{_e(label)}">{_e(r.marker)}</a></sup>'
                )
            else:  # a marker without a body (footnote.missing-body): shown, not linked
                out.append(f'<sup class="noteref missing" id="{rid}" title="no footnote body">{_e(r.marker)}</sup>')
        elif r.bold:
            out.append(f"<strong>{_e(r.text)}</strong>")
        else:
            out.append(_e(r.text))
    return "".join(out)


class _Diags:
    """Places each diagnostic at one block: the block whose span holds its line, else the nearest
    block that starts before it.  Whatever cannot be placed is shown at the top of the page."""

    def __init__(self, doc: Document):
        self.spans: list[tuple[int, int, str]] = []
        self.pending = [d for d in doc.diagnostics]

    def register(self, span: Span, key: str) -> None:
        self.spans.append((span.start, span.end, key))

    def assign(self) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic]]:
        placed: dict[str, list[Diagnostic]] = {}
        loose: list[Diagnostic] = []
        for d in self.pending:
            key = None
            if d.line > 0:
                inside = [s for s in self.spans if s[0] <= d.line <= s[1]]
                if inside:
                    key = min(inside, key=lambda s: s[1] - s[0])[2]
                else:
                    before = [s for s in self.spans if s[0] <= d.line]
                    if before:
                        key = max(before, key=lambda s: (s[0], -s[1]))[2]
            if key is None:
                loose.append(d)
            else:
                placed.setdefault(key, []).append(d)
        return placed, loose


def _diag_html(diags: list[Diagnostic]) -> str:
    return "".join(
        f'<div class="diag {_e(d.severity)}" data-code="{_e(d.code)}" data-line="{d.line}">'
        f'<span class="badge {_e(d.severity)}">{_e(d.severity)}</span> <code>{_e(d.code)}</code> '
        f"{'line ' + str(d.line) + ': ' if d.line else ''}{_e(d.message)}</div>"
        for d in diags
    )


def _lines_label(span: Span) -> str:
    return f"{span.start}" if span.start == span.end else f"{span.start}–{span.end}"


def render_document(doc: Document, status: str | None = None, index_href: str | None = "index.html") -> str:
    """One self-contained page for ``doc``."""
    status = status or status_of(doc)
    notes = _Notes.of(doc)
    diags = _Diags(doc)
    blocks: list[tuple[str, str]] = []  # (key, html) in reading order; diagnostics inserted after
    m = doc.metadata

    def block(key: str, span: Span, html: str) -> None:
        diags.register(span, key)
        blocks.append((key, html))

    def line_block(prefix: str, k: int, line: Line) -> None:
        key = f"{prefix}-{k}"
        block(
            key,
            line.span,
            f'<p class="block role-{_e(line.role)}" id="{key}" data-lines="{_lines_label(line.span)}">'
            f"{_inlines(line.inlines, notes)}</p>",
        )

    # preface
    blocks.append(("", '<section class="preface" aria-label="preface">'))
    for k, line in enumerate(doc.preface, 1):
        line_block("preface", k, line)
    blocks.append(("", "</section>"))
    if doc.formula:
        block(
            "formula",
            doc.formula.span,
            f'<p class="formula block" id="formula">{_inlines(doc.formula.inlines, notes)}</p>',
        )

    def preamble(paras, prefix: str) -> None:
        if not paras:
            return
        blocks.append(("", '<section class="preamble" aria-label="preamble">'))
        for k, p in enumerate(paras, 1):
            key = f"{prefix}preamble-{k}"
            block(
                key,
                p.span,
                f'<p class="block" id="{key}"><span class="lines">{_lines_label(p.span)}</span>'
                f'<span class="pnum" title="preambular paragraph">PP{k}</span>{_inlines(p.inlines, notes)}</p>',
            )
        blocks.append(("", "</section>"))

    def closing(lines, prefix: str) -> None:
        """The closing lines (meeting, date) of the document or of a part."""
        if not lines:
            return
        blocks.append(("", '<section class="conclusions" aria-label="conclusions">'))
        for k, line in enumerate(lines, 1):
            line_block(prefix, k, line)
        blocks.append(("", "</section>"))

    def items(body, prefix: str) -> None:
        for k, item in enumerate(body, 1):
            if isinstance(item, Heading):
                key = f"{prefix}heading-{k}"
                num = f"{_e(item.num)} " if item.num else ""
                block(key, item.span, f'<h2 class="heading block" id="{key}">{num}{_inlines(item.inlines, notes)}</h2>')
            elif isinstance(item, Operative):
                _operative(item, f"{prefix}op-{k}", block, blocks, notes)
            elif getattr(item, "kind", None) == "part":  # a part (A, B) of a multi-part resolution
                key = f"part-{_slug(item.num)}"
                blocks.append(("", f'<section class="part" id="{key}" aria-label="part {_e(item.num)}">'))
                block(
                    key,
                    Span(start=item.span.start, end=item.span.start),
                    f'<h2 class="heading block">{_e(item.num)} {_inlines(getattr(item, "heading", []), notes)}</h2>',
                )
                if getattr(item, "formula", None):
                    block(
                        f"{key}-formula",
                        item.formula.span,
                        f'<p class="formula block">{_inlines(item.formula.inlines, notes)}</p>',
                    )
                preamble(getattr(item, "preamble", []), f"{key}-")
                items(getattr(item, "body", []), f"{key}-")
                closing(getattr(item, "conclusions", []), f"{key}-conclusion")
                blocks.append(("", "</section>"))

    preamble(doc.preamble, "")
    if doc.body:
        blocks.append(("", '<section class="body" aria-label="operative part">'))
        items(doc.body, "")
        blocks.append(("", "</section>"))
    closing(doc.conclusions, "conclusion")

    for k, annex in enumerate(getattr(doc, "annexes", []) or [], 1):
        blocks.append(("", f'<section class="annex" id="annex-{k}" aria-label="annex {k}">'))
        for j, line in enumerate(annex.heading, 1):
            key = f"annex-{k}-h{j}"
            block(key, line.span, f'<h2 class="heading block" id="{key}">{_inlines(line.inlines, notes)}</h2>')
        items(annex.blocks, f"annex-{k}-")
        blocks.append(("", "</section>"))

    # footnotes (after the text, so their back-links know every citation)
    fn_keys = []
    for k, note in enumerate(doc.footnotes, 1):
        fn_keys.append(f"fn-{k}")
        diags.register(note.span, f"fn-{k}")
    placed, loose = diags.assign()

    body = []
    for key, html in blocks:
        body.append(html)
        if key in placed:
            body.append(_diag_html(placed[key]))
    if doc.footnotes:
        body.append('<section class="footnotes" role="doc-endnotes" aria-label="footnotes"><h2>脚注 Footnotes</h2><ol>')
        for key, note in zip(fn_keys, doc.footnotes, strict=True):
            backs = notes.backrefs.get(key, [])
            links = "".join(
                f'<a class="back" href="#{b}" role="doc-backlink" aria-label="back to citation {j}">↩{"" if len(backs) == 1 else j}</a>'
                for j, b in enumerate(backs, 1)
            )
            body.append(
                f'<li id="{key}" role="doc-footnote" data-marker="{_e(note.marker)}">'
                f'<span class="fnum">{_e(note.marker)}</span>{_inlines(note.inlines, _Notes(ids={}))}{links}'
                f"{_diag_html(placed.get(key, []))}</li>"
            )
        body.append("</ol></section>")
    if doc.removed:
        body.append(f'<details class="removed"><summary>removed page debris ({len(doc.removed)})</summary><ul>')
        body.extend(f"<li>line {r.line} ({_e(r.reason)}): {_e(r.text)}</li>" for r in doc.removed)
        body.append("</ul></details>")

    title = m.title or m.symbol or doc.source or "document"
    counts = severity_counts(doc.diagnostics)
    nav = f'<a href="{_e(index_href)}">← index</a>' if index_href else ""
    out = [
        _head(f"{m.symbol + ' ' if m.symbol else ''}{title}", DOC_CSS),
        "<body>\n",
        f'<header class="top">{nav}<span>{_e(doc.source)}</span> <span class="badge {_e(status)}" id="status">{_e(status)}</span></header>\n',
        '<div class="layout">\n<main lang="zh-Hans">\n',
        f'<h1 class="title">{_e(title)}</h1>\n',
    ]
    if loose:
        out.append(f'<section class="doc-diags" aria-label="document diagnostics">{_diag_html(loose)}</section>\n')
    if not doc.structured:
        out.append(
            '<div class="diag error">the segmenter gave up part-way: the rest of the text is kept unstructured</div>'
        )
    out.extend(body)
    out.append("\n</main>\n")
    out.append(_metadata_panel(doc, status, counts))
    out.append("</div>\n</body>\n</html>\n")
    return "".join(out)


def _operative(item: Operative, key: str, block, blocks, notes: _Notes) -> None:
    diags_span = item.span
    num = f'<span class="num">{_e(item.num)}</span>' if item.num else ""
    blocks.append(
        (
            "",
            f'<div class="operative block" id="{key}" data-num="{_e(item.num)}">'
            f'<span class="lines">{_lines_label(item.span)}</span>',
        )
    )
    block(
        key,
        Span(start=diags_span.start, end=diags_span.start if item.points else diags_span.end),
        f'<p class="intro">{num}{_inlines(item.inlines, notes)}</p>',
    )
    if item.points:
        _points(item.points, key, block, blocks, notes)
    blocks.append(("", "</div>"))


def _points(points: list[Point], parent: str, block, blocks, notes: _Notes) -> None:
    blocks.append(("", '<ul class="points">'))
    for j, pt in enumerate(points, 1):
        key = f"{parent}-{j}"
        block(
            key,
            pt.span,
            f'<li class="point" id="{key}"><span class="pnum">{_e(pt.num)}</span>{_inlines(pt.inlines, notes)}',
        )
        if pt.points:
            _points(pt.points, key, block, blocks, notes)
        blocks.append(("", "</li>"))
    blocks.append(("", "</ul>"))


def _metadata_panel(doc: Document, status: str, counts: dict[str, int]) -> str:
    m = doc.metadata
    rows = [
        ("status", f'<span class="badge {_e(status)}">{_e(status)}</span>'),
        ("source", _e(doc.source)),
        ("kind", _e(doc.kind)),
        ("symbol", _e(m.symbol or "—")),
        ("body", _e(_body_label(m.body))),
        ("number", _e(m.number or "—")),
        ("session", _e(m.session_text or m.session or "—")),
        ("agenda", "<br>".join(_e(a.number + (" " + a.title if a.title else "")) for a in m.agenda_items) or "—"),
        ("adopted", _e(m.adoption_date or "—")),
        ("meeting", _e(m.meeting or "—")),
        ("vote", _e(m.vote or "—")),
        ("submitter", _e(m.submitter or "—")),
        (
            "report",
            _e(
                " ".join(
                    x
                    for x in (
                        m.committee_report.committee,
                        m.committee_report.symbol,
                        f"para. {m.committee_report.paragraph}" if m.committee_report.paragraph else None,
                    )
                    if x
                )
                if m.committee_report
                else "—"
            ),
        ),
        ("language", _e(m.language)),
        (
            "structure",
            f"{len(doc.preamble)} preambular, {structure_counts(doc)[0]} operative, {len(doc.footnotes)} footnotes",
        ),
        ("diagnostics", " ".join(f'<span class="badge {s}">{counts[s]} {s}</span>' for s in SEVERITIES)),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    codes = Counter(d.code for d in doc.diagnostics)
    codes_html = "".join(f"<li><code>{_e(c)}</code> × {n}</li>" for c, n in sorted(codes.items()))
    return (
        f'<aside class="meta" aria-label="metadata"><section id="metadata"><h2>Metadata</h2><dl>{dl}</dl>'
        + (f"<h3>Codes</h3><ul>{codes_html}</ul>" if codes_html else "")
        + "</section></aside>\n"
    )


# --- index --------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One row of the index."""

    stem: str
    page: str | None
    status: str
    source: str | None = None
    symbol: str | None = None
    kind: str | None = None
    body: str | None = None
    date: str | None = None
    title: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)


def entry_for(doc: Document, stem: str, status: str | None = None) -> Entry:
    m = doc.metadata
    return Entry(
        stem=stem,
        page=f"{stem}.html",
        status=status or status_of(doc),
        source=doc.source,
        symbol=m.symbol,
        kind=doc.kind,
        body=m.body,
        date=m.adoption_date,
        title=m.title,
        counts=severity_counts(doc.diagnostics),
        codes=dict(Counter(d.code for d in doc.diagnostics)),
    )


def _bar_chart(title: str, data: list[tuple[str, int]], chart_id: str) -> str:
    width, label_w, bar_h, gap = 460, 210, 18, 6
    height = max(1, len(data)) * (bar_h + gap) + gap
    top = max((v for _, v in data), default=1) or 1
    parts = [
        f'<figure id="{chart_id}"><figcaption>{_e(title)}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(title)}" viewBox="0 0 {width} {height}">'
    ]
    for k, (label, value) in enumerate(data):
        y = gap + k * (bar_h + gap)
        w = round((width - label_w - 50) * value / top)
        colour = {"ok": "#1e7e34", "error": "#b3261e", "failed": "#6d1b16"}.get(label, "#3c6e8f")
        parts.append(
            f'<g class="bar" data-label="{_e(label)}" data-value="{value}">'
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{_e(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{colour}"><title>{_e(label)}: {value}</title></rect>'
            f'<text x="{label_w + w + 5}" y="{y + bar_h - 4}">{value}</text></g>'
        )
    if not data:
        parts.append(f'<text x="10" y="{bar_h}">none</text>')
    parts.append("</svg></figure>")
    return "".join(parts)


def render_index(entries: list[Entry], title: str = "akn-pipeline batch") -> str:
    statuses = Counter(e.status for e in entries)
    codes: Counter = Counter()
    for e in entries:
        codes.update({c: 1 for c in e.codes})  # documents carrying each code
    rows = []
    for e in entries:
        link = f'<a href="{_e(page_href(e.page))}">{_e(e.stem)}</a>' if e.page else _e(e.stem)
        c = e.counts
        rows.append(
            f'<tr data-status="{_e(e.status)}" data-codes="{_e(" ".join(sorted(e.codes)))}">'
            f"<td>{link}</td><td>{_e(e.symbol or '')}</td><td>{_e(e.kind or '')}</td><td>{_e(e.body or '')}</td>"
            f'<td>{_e(e.date or "")}</td><td class="title">{_e(e.title or "")}</td>'
            f'<td data-sort="{_e(e.status)}"><span class="badge {_e(e.status)}">{_e(e.status)}</span></td>'
            + "".join(f'<td class="n">{c.get(s, 0)}</td>' for s in SEVERITIES)
            + f"<td>{_e(', '.join(f'{k}×{v}' for k, v in sorted(e.codes.items())))}</td></tr>"
        )
    options = "".join(f'<option value="{_e(s)}">{_e(s)} ({n})</option>' for s, n in sorted(statuses.items()))
    heads = [
        ("document", "text"),
        ("symbol", "text"),
        ("kind", "text"),
        ("body", "text"),
        ("date", "text"),
        ("title", "text"),
        ("status", "text"),
        ("errors", "number"),
        ("warnings", "number"),
        ("info", "number"),
        ("codes", "text"),
    ]
    th = "".join(f'<th scope="col" data-type="{t}">{h}</th>' for h, t in heads)
    return "".join(
        [
            _head(title, INDEX_CSS),
            "<body>\n<main>\n",
            f"<h1>{_e(title)}</h1>\n",
            f"<p>{len(entries)} documents: "
            + ", ".join(f"{n} {_e(s)}" for s, n in sorted(statuses.items()))
            + "</p>\n",
            '<div class="charts">',
            _bar_chart("Documents by status", sorted(statuses.items()), "chart-status"),
            _bar_chart(
                "Documents by diagnostic code", sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])), "chart-codes"
            ),
            "</div>\n",
            '<div class="controls"><label>Filter <input id="filter" type="search" placeholder="symbol, title, code…" '
            'autocomplete="off"></label><label>Status <select id="status-filter"><option value="">all</option>'
            f'{options}</select></label><span id="count"></span></div>\n',
            f'<table id="docs"><thead><tr>{th}</tr></thead><tbody>\n',
            "\n".join(rows),
            "\n</tbody></table>\n",
            f"</main>\n<script>{INDEX_JS}</script>\n</body>\n</html>\n",
        ]
    )


# --- batch --------------------------------------------------------------------------------------


def page_href(page: str) -> str:
    """A link to a page (a path relative to the index): ``./`` + the path percent-quoted, so a name
    like ``javascript:alert(1)`` stays a relative path and ``#`` or ``?`` in a name stay in it."""
    return "./" + quote(page)


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
        counts = row.get("diagnostics") if isinstance(row.get("diagnostics"), dict) else {}
        entries.append(
            Entry(
                stem=rel,
                page=None,
                status=report_status(row) or "failed",
                source=Path(str(row.get("input") or "")).name or None,
                counts={s: int(counts.get(s, 0) or 0) for s in SEVERITIES},
                codes={str(k): int(v or 0) for k, v in (row.get("codes") or {}).items()}
                if isinstance(row.get("codes"), dict)
                else {},
            )
        )
        seen.add(rel)
    entries.sort(key=lambda e: e.stem)
    index = dest / "index.html"
    write_atomic(index, render_index(entries, f"akn-pipeline: {outdir.name or outdir.resolve().name}").encode("utf-8"))
    written.append(index)
    return written
