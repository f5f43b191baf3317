"""Stage 3, ``footnotes``: attach footnote bodies to their markers.

Assumes: ``segment`` ran; markers are ``NoteRef`` runs (``first`` unset), bodies are in
``Document.footnotes`` in the order they were printed.

Guarantees, after this stage:

1. Every marker is resolved to one body (``NoteRef.note``, its index in ``Document.footnotes``):
   the first body with that marker printed after the citation, else the last one before it, so
   an annex that numbers its notes from 1 again gets its own.  The first citation of each footnote
   has ``first=True`` (the AKN emitter writes the note there, inline, as ``authorialNote``); every
   later one has ``first=False`` (a ``noteRef`` to it).  Sample 002 cites 4 and 10 twice: 13
   notes, 15 citations.
2. Each footnote lists every place it is cited (``Citation``: block and source line).
3. A marker with no body -> ``footnote.missing-body`` at the marker's line; a body with no marker
   -> ``footnote.unreferenced`` at the body's line.  Nothing is dropped: an unreferenced body is
   kept in ``Document.footnotes`` and the emitter places it after the block it followed.
4. A ``同上`` (ibid.) body is reported (``footnote.ibid``) with the footnote it refers back to.

Example::

    preamble[3] runs: [Text("……《条约》"), NoteRef("1"), Text("第六条……")]
    footnotes: [Footnote(marker="1", "联合国，《条约汇编》……")]
    -> NoteRef("1", first=True); Footnote("1").citations == [Citation("preamble:4", 29)]
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Citation, Document, Footnote, Heading, NoteRef, Part, Point
from .inline import plain


def walk_blocks(doc: Document) -> Iterator[tuple[str, list]]:
    """Every run list of the document with a block name, in reading order."""
    for line in doc.preface:
        yield "preface", line.inlines
    if doc.formula:
        yield "formula", doc.formula.inlines
    for k, p in enumerate(doc.preamble, 1):
        yield f"preamble:{k}", p.inlines
    yield from _body(doc.body, 0, "")
    for line in doc.conclusions:
        yield "conclusions", line.inlines
    for n, annex in enumerate(doc.annexes, 1):
        for line in annex.heading:
            yield f"annex:{n}", line.inlines
        for block in annex.blocks:
            yield f"annex:{n}", block.inlines


def _body(items, para: int, prefix: str) -> Iterator[tuple[str, list]]:
    for item in items:
        if isinstance(item, Heading):
            yield "heading", item.inlines
        elif isinstance(item, Part):
            yield f"part:{item.num}", item.heading
            if item.formula:
                yield f"part:{item.num}", item.formula.inlines
            for k, p in enumerate(item.preamble, 1):
                yield f"{item.num}:preamble:{k}", p.inlines
            yield from _body(item.body, 0, f"{item.num}:")
            for line in item.conclusions:
                yield f"part:{item.num}", line.inlines
        else:
            para += 1
            name = f"{prefix}para:{para}"
            yield name, item.inlines
            yield from _points(item.points, f"{prefix}{para}")


def _points(points: list[Point], path: str) -> Iterator[tuple[str, list]]:
    """``point:2(b)``, and ``point:2(b)(ii)`` for a nested one."""
    for pt in points:
        yield f"point:{path}{pt.num}", pt.inlines
        yield from _points(pt.points, path + pt.num)


def body_for(bodies: list[int], notes: list[Footnote], line: int) -> int:
    """Of the bodies carrying a marker, the one a citation on ``line`` refers to: the first printed
    after it (a body stands at the bottom of the page where it is first cited), else the last one
    before it (a later citation of the same note)."""
    for k in bodies:
        if notes[k].span.start >= line:
            return k
    return bodies[-1]


def attach(doc: Document, ctx: Context) -> Document:
    """The stage."""
    bodies: dict[str, list[int]] = {}
    for k, note in enumerate(doc.footnotes):
        bodies.setdefault(note.marker, []).append(k)
    cited: set[int] = set()
    for block, runs in walk_blocks(doc):
        for run in runs:
            if not isinstance(run, NoteRef):
                continue
            if run.marker not in bodies:
                run.first, run.note = True, None
                ctx.report(
                    "footnote.missing-body",
                    run.line,
                    f"footnote marker {run.marker} has no footnote body; the marker is kept",
                )
                continue
            k = body_for(bodies[run.marker], doc.footnotes, run.line)
            run.note, run.first = k, k not in cited
            cited.add(k)
            doc.footnotes[k].citations.append(Citation(block=block, line=run.line))
    previous: Footnote | None = None
    for note in doc.footnotes:
        if not note.citations:
            ctx.report(
                "footnote.unreferenced",
                note.span.start,
                f"footnote {note.marker} is never cited in the text; kept after the block it followed",
            )
        if plain(note.inlines).startswith("同上") and previous is not None:
            ctx.report(
                "footnote.ibid", note.span.start, f"footnote {note.marker} (同上) refers to footnote {previous.marker}"
            )
        previous = note
    return doc


footnotes = attach  # the stage's name in pipeline.stages.STAGES
