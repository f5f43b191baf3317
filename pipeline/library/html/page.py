"""A document's review page: its structure as it was read, footnotes linked both ways, metadata,
each diagnostic beside the block it concerns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ...model import Diagnostic, Document, Heading, Inline, Line, NoteRef, Operative, Paragraph, Part, Point, Span
from ..catalog import structure_counts
from .assets import DOC_CSS, SEVERITIES
from .common import body_label, esc, head, severity_counts, status_of

BlockFn = Callable[[str, Span, str], None]
"""Registers a block's html under a key, with the source lines its diagnostics are placed by."""


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
                    f'aria-label="{esc(label)}">{esc(r.marker)}</a></sup>'
                )
            else:  # a marker without a body (footnote.missing-body): shown, not linked
                out.append(f'<sup class="noteref missing" id="{rid}" title="no footnote body">{esc(r.marker)}</sup>')
        elif r.bold:
            out.append(f"<strong>{esc(r.text)}</strong>")
        else:
            out.append(esc(r.text))
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
        f'<div class="diag {esc(d.severity)}" data-code="{esc(d.code)}" data-line="{d.line}">'
        f'<span class="badge {esc(d.severity)}">{esc(d.severity)}</span> <code>{esc(d.code)}</code> '
        f"{'line ' + str(d.line) + ': ' if d.line else ''}{esc(d.message)}</div>"
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
            f'<p class="block role-{esc(line.role)}" id="{key}" data-lines="{_lines_label(line.span)}">'
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

    def preamble(paras: list[Paragraph], prefix: str) -> None:
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

    def closing(lines: list[Line], prefix: str) -> None:
        """The closing lines (meeting, date) of the document or of a part."""
        if not lines:
            return
        blocks.append(("", '<section class="conclusions" aria-label="conclusions">'))
        for k, line in enumerate(lines, 1):
            line_block(prefix, k, line)
        blocks.append(("", "</section>"))

    def items(body: Sequence[Operative | Heading | Part], prefix: str) -> None:
        for k, item in enumerate(body, 1):
            if isinstance(item, Heading):
                key = f"{prefix}heading-{k}"
                num = f"{esc(item.num)} " if item.num else ""
                block(key, item.span, f'<h2 class="heading block" id="{key}">{num}{_inlines(item.inlines, notes)}</h2>')
            elif isinstance(item, Operative):
                _operative(item, f"{prefix}op-{k}", block, blocks, notes)
            elif isinstance(item, Part):  # a part (A, B) of a multi-part resolution
                key = f"part-{_slug(item.num)}"
                blocks.append(("", f'<section class="part" id="{key}" aria-label="part {esc(item.num)}">'))
                block(
                    key,
                    Span(start=item.span.start, end=item.span.start),
                    f'<h2 class="heading block">{esc(item.num)} {_inlines(item.heading, notes)}</h2>',
                )
                if item.formula:
                    block(
                        f"{key}-formula",
                        item.formula.span,
                        f'<p class="formula block">{_inlines(item.formula.inlines, notes)}</p>',
                    )
                preamble(item.preamble, f"{key}-")
                items(item.body, f"{key}-")
                closing(item.conclusions, f"{key}-conclusion")
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
                f'<li id="{key}" role="doc-footnote" data-marker="{esc(note.marker)}">'
                f'<span class="fnum">{esc(note.marker)}</span>{_inlines(note.inlines, _Notes(ids={}))}{links}'
                f"{_diag_html(placed.get(key, []))}</li>"
            )
        body.append("</ol></section>")
    if doc.removed:
        body.append(f'<details class="removed"><summary>removed page debris ({len(doc.removed)})</summary><ul>')
        body.extend(f"<li>line {r.line} ({esc(r.reason)}): {esc(r.text)}</li>" for r in doc.removed)
        body.append("</ul></details>")

    title = m.title or m.symbol or doc.source or "document"
    counts = severity_counts(doc.diagnostics)
    nav = f'<a href="{esc(index_href)}">← index</a>' if index_href else ""
    out = [
        head(f"{m.symbol + ' ' if m.symbol else ''}{title}", DOC_CSS),
        "<body>\n",
        f'<header class="top">{nav}<span>{esc(doc.source)}</span> <span class="badge {esc(status)}" id="status">{esc(status)}</span></header>\n',
        '<div class="layout">\n<main lang="zh-Hans">\n',
        f'<h1 class="title">{esc(title)}</h1>\n',
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


def _operative(item: Operative, key: str, block: BlockFn, blocks: list[tuple[str, str]], notes: _Notes) -> None:
    diags_span = item.span
    num = f'<span class="num">{esc(item.num)}</span>' if item.num else ""
    blocks.append(
        (
            "",
            f'<div class="operative block" id="{key}" data-num="{esc(item.num)}">'
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


def _points(points: list[Point], parent: str, block: BlockFn, blocks: list[tuple[str, str]], notes: _Notes) -> None:
    blocks.append(("", '<ul class="points">'))
    for j, pt in enumerate(points, 1):
        key = f"{parent}-{j}"
        block(
            key,
            pt.span,
            f'<li class="point" id="{key}"><span class="pnum">{esc(pt.num)}</span>{_inlines(pt.inlines, notes)}',
        )
        if pt.points:
            _points(pt.points, key, block, blocks, notes)
        blocks.append(("", "</li>"))
    blocks.append(("", "</ul>"))


def _metadata_panel(doc: Document, status: str, counts: dict[str, int]) -> str:
    m = doc.metadata
    rows = [
        ("status", f'<span class="badge {esc(status)}">{esc(status)}</span>'),
        ("source", esc(doc.source)),
        ("kind", esc(doc.kind)),
        ("symbol", esc(m.symbol or "—")),
        ("body", esc(body_label(m.body))),
        ("number", esc(m.number or "—")),
        ("session", esc(m.session_text or m.session or "—")),
        ("agenda", "<br>".join(esc(a.number + (" " + a.title if a.title else "")) for a in m.agenda_items) or "—"),
        ("adopted", esc(m.adoption_date or "—")),
        ("meeting", esc(m.meeting or "—")),
        ("vote", esc(m.vote or "—")),
        ("submitter", esc(m.submitter or "—")),
        (
            "report",
            esc(
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
        ("language", esc(m.language)),
        (
            "structure",
            f"{len(doc.preamble)} preambular, {structure_counts(doc)[0]} operative, {len(doc.footnotes)} footnotes",
        ),
        ("diagnostics", " ".join(f'<span class="badge {s}">{counts[s]} {s}</span>' for s in SEVERITIES)),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    codes = Counter(d.code for d in doc.diagnostics)
    codes_html = "".join(f"<li><code>{esc(c)}</code> × {n}</li>" for c, n in sorted(codes.items()))
    return (
        f'<aside class="meta" aria-label="metadata"><section id="metadata"><h2>Metadata</h2><dl>{dl}</dl>'
        + (f"<h3>Codes</h3><ul>{codes_html}</ul>" if codes_html else "")
        + "</section></aside>\n"
    )
