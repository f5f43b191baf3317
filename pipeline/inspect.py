"""A readable account of how a document was read (``akn-pipeline inspect``): every block with its
source lines, its role and the name of the rule that decided it; every footnote and where it is
cited (or placed); every removed line and every diagnostic.  With ``--stop-after normalise``: the
pieces, each physical line with the joining rule that put it there."""

from __future__ import annotations

from .diagnostics import render
from .model import Document, Heading, Inline, Line, NoteRef, Operative, Paragraph, Part, Span, Visit, plain, walk
from .stages.normalise import Normalised

TEXT_WIDTH = 60
"""Characters of a block's text shown."""


def _runs(runs: list[Inline], width: int = TEXT_WIDTH) -> str:
    out = []
    for r in runs:
        if isinstance(r, NoteRef):
            out.append(f"[^{r.marker}{'' if r.first else ' again'}]")
        else:
            out.append(f"**{r.text}**" if r.bold else r.text)
    s = "".join(out)
    return s if len(s) <= width else s[: width - 1] + "…"


def _lines(span: Span) -> str:
    return f"{span.start}" if span.start == span.end else f"{span.start}-{span.end}"


def describe(value: object, source: str) -> str:
    if isinstance(value, Normalised):
        return describe_pieces(value)
    assert isinstance(value, Document)
    return describe_document(value, source)


def describe_pieces(norm: Normalised) -> str:
    layout = norm.layout
    rows = [f"layout: {'wrapped at ' + str(layout.width) + ' columns' if layout.wrapped else 'one block per line'}"]
    for p in norm.pieces:
        rows.append(f"{p.first_line:>5}-{p.last_line:<5} {p.kind:<9} {p.text[:TEXT_WIDTH]}")
        for (_, line), rule in zip(p.segments, p.rules, strict=True):
            rows.append(f"{'':12}line {line.lineno:<5} {rule}")
    for r in norm.removed:
        rows.append(f"{r.line:>5}       removed   {r.reason}: {r.text}")
    return "\n".join(rows)


def label(visit: Visit) -> str:
    """What a block is: ``preface/title``, ``preamble 3``, ``paragraph 2.``, ``point (a)`` ..."""
    node = visit.node
    where = f"annex {visit.annex} " if visit.annex else ""
    if isinstance(node, Line):
        region = "conclusion" if visit.region == "conclusions" else visit.region
        return f"{where.rstrip() or region}/{node.role}"
    if isinstance(node, Paragraph):
        return "formula" if visit.region == "formula" else f"preamble {visit.name.rsplit(':', 1)[-1]}"
    if isinstance(node, Part):
        return f"part {node.num}"
    if isinstance(node, Heading):
        return f"heading {node.num or ''}".rstrip()
    if isinstance(node, Operative):
        return f"{where}paragraph {node.num or '-'}"
    return f"point {node.num}"


def describe_document(doc: Document, source: str) -> str:
    m = doc.metadata
    agenda = ", ".join(a.number + (" " + a.title if a.title else "") for a in m.agenda_items)
    rows = [
        f"kind: {doc.kind}{'' if doc.structured else ' (partially structured)'}  (shape: {doc.rule or '-'})",
        f"symbol: {m.symbol}  body: {m.body}  number: {m.number}  adopted: {m.adoption_date}",
        f"session: {m.session}  agenda: {agenda}",
        f"title: {m.title}",
        f"meeting: {m.meeting}  submitter: {m.submitter}",
        "",
        f"{'lines':>9}  {'block':<24} {'rule':<30} text",
    ]
    visits = list(walk(doc))
    for visit in visits:
        node = visit.node
        rows.append(
            f"{_lines(node.span):>9}  {'  ' * visit.depth + label(visit):<24} {node.rule or '-':<30} "
            f"{_runs(visit.inlines)}"
        )
    rows.append("")
    for n in doc.footnotes:
        if n.citations:
            where = ", ".join(f"{c.block} (line {c.line})" for c in n.citations)
        else:
            after = visits[n.after].name if n.after is not None else "the last paragraph"
            where = f"not cited; placed after {after}"
        rows.append(f"footnote {n.marker:>3} lines {_lines(n.span)}: {plain(n.inlines)[:40]}  -> {where}")
    for r in doc.removed:
        rows.append(f"removed line {r.line} ({r.reason}): {r.text}")
    rows.append("")
    rows.extend(render(d, source) for d in doc.diagnostics)
    return "\n".join(rows)
