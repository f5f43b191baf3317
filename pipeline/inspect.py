"""A readable account of how a document was segmented (``akn-pipeline inspect``)."""

from __future__ import annotations

from .diagnostics import render
from .model import Document, Heading, NoteRef, Part, Point, plain
from .stages.normalise import Normalised


def _runs(runs, width: int = 60) -> str:
    out = []
    for r in runs:
        out.append(
            f"[^{r.marker}{'' if r.first else ' again'}]"
            if isinstance(r, NoteRef)
            else (f"**{r.text}**" if r.bold else r.text)
        )
    s = "".join(out)
    return s if len(s) <= width else s[: width - 1] + "…"


def _lines(span) -> str:
    return f"{span.start}" if span.start == span.end else f"{span.start}-{span.end}"


def describe(value, source: str) -> str:
    if isinstance(value, Normalised):
        rows = [
            f"layout: {'wrapped at ' + str(value.layout.width) + ' columns' if value.layout.wrapped else 'one block per line'}"
        ]
        for p in value.pieces:
            rows.append(f"{p.first_line:>5}-{p.last_line:<5} {p.kind:<9} {p.text[:60]}")
        for r in value.removed:
            rows.append(f"{r.line:>5}       removed   {r.reason}: {r.text}")
        return "\n".join(rows)
    doc: Document = value
    m = doc.metadata
    rows = [
        f"kind: {doc.kind}{'' if doc.structured else ' (partially structured)'}",
        f"symbol: {m.symbol}  body: {m.body}  number: {m.number}  adopted: {m.adoption_date}",
        f"session: {m.session}  agenda: {', '.join(a.number + (' ' + a.title if a.title else '') for a in m.agenda_items)}",
        f"title: {m.title}",
        f"meeting: {m.meeting}  submitter: {m.submitter}",
        "",
    ]
    fmt = "{lines:>9}  {role:<16} {text}"
    for line in doc.preface:
        rows.append(fmt.format(lines=_lines(line.span), role=f"preface/{line.role}", text=_runs(line.inlines)))
    if doc.formula:
        rows.append(fmt.format(lines=_lines(doc.formula.span), role="formula", text=_runs(doc.formula.inlines)))
    for k, p in enumerate(doc.preamble, 1):
        rows.append(fmt.format(lines=_lines(p.span), role=f"preamble {k}", text=_runs(p.inlines)))

    def points(pts: list[Point], depth: int):
        for pt in pts:
            rows.append(
                fmt.format(lines=_lines(pt.span), role="  " * depth + f"point {pt.num}", text=_runs(pt.inlines))
            )
            points(pt.points, depth + 1)

    def body(items, indent: str = ""):
        for item in items:
            if isinstance(item, Heading):
                rows.append(
                    fmt.format(
                        lines=_lines(item.span), role=f"{indent}heading {item.num or ''}", text=_runs(item.inlines)
                    )
                )
            elif isinstance(item, Part):
                rows.append(fmt.format(lines=_lines(item.span), role=f"part {item.num}", text=_runs(item.heading)))
                if item.formula:
                    rows.append(
                        fmt.format(lines=_lines(item.formula.span), role="  formula", text=_runs(item.formula.inlines))
                    )
                for k, p in enumerate(item.preamble, 1):
                    rows.append(fmt.format(lines=_lines(p.span), role=f"  preamble {k}", text=_runs(p.inlines)))
                body(item.body, "  ")
                for line in item.conclusions:
                    rows.append(
                        fmt.format(lines=_lines(line.span), role=f"  conclusion/{line.role}", text=_runs(line.inlines))
                    )
            else:
                rows.append(
                    fmt.format(
                        lines=_lines(item.span), role=f"{indent}paragraph {item.num or '-'}", text=_runs(item.inlines)
                    )
                )
                points(item.points, len(indent) // 2 + 1)

    body(doc.body)
    for line in doc.conclusions:
        rows.append(fmt.format(lines=_lines(line.span), role=f"conclusion/{line.role}", text=_runs(line.inlines)))
    for n, annex in enumerate(doc.annexes, 1):
        for line in annex.heading:
            rows.append(fmt.format(lines=_lines(line.span), role=f"annex {n}/{line.role}", text=_runs(line.inlines)))
        for block in annex.blocks:
            rows.append(
                fmt.format(lines=_lines(block.span), role=f"annex {n} {block.num or '-'}", text=_runs(block.inlines))
            )
    rows.append("")
    for n in doc.footnotes:
        where = ", ".join(f"{c.block} (line {c.line})" for c in n.citations) or "not cited"
        rows.append(f"footnote {n.marker:>3} lines {_lines(n.span)}: {plain(n.inlines)[:40]}  -> {where}")
    for r in doc.removed:
        rows.append(f"removed line {r.line} ({r.reason}): {r.text}")
    rows.append("")
    rows.extend(render(d, source) for d in doc.diagnostics)
    return "\n".join(rows)
