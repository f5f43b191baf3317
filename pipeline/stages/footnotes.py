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
   kept in ``Document.footnotes``, and ``Footnote.after`` says the block it followed, which the
   emitters place it after (``place_uncited``).
4. A ``同上`` (ibid.) body is reported (``footnote.ibid``) with the footnote it refers back to.

Example::

    preamble[3] runs: [Text("……《条约》"), NoteRef("1"), Text("第六条……")]
    footnotes: [Footnote(marker="1", "联合国，《条约汇编》……")]
    -> NoteRef("1", first=True); Footnote("1").citations == [Citation("preamble:4", 29)]
"""

from __future__ import annotations

from ..context import Context
from ..model import Citation, Document, Footnote, Line, NoteRef, Operative, Paragraph, Point, Visit, plain, walk


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
    for visit in walk(doc):
        for run in visit.inlines:
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
            doc.footnotes[k].citations.append(Citation(block=visit.name, line=run.line))
    place_uncited(doc)
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


def place_uncited(doc: Document) -> None:
    """Set ``Footnote.after`` for every body cited nowhere: the block it followed on the page.

    Of the last lines of the document's blocks (lines, paragraphs, sub-paragraphs), the last one
    before the body's first line (else the first of them) names the block; the body goes at the end
    of the first block whose own text ends on that line (a paragraph with sub-paragraphs: its text
    before them, which starts it; headings are never followed by a note).  No such block: ``after``
    stays None, and the writer puts the body at the end of the document's last paragraph."""
    visits = list(walk(doc))
    ends = sorted({v.node.span.end for v in visits if isinstance(v.node, (Line, Paragraph, Operative, Point))})
    owner: dict[int, int] = {}  # line -> position in walk(doc) of the first block whose text ends there
    for i, visit in enumerate(visits):
        end = _own_end(visit)
        if end is not None:
            owner.setdefault(end, i)
    for note in doc.footnotes:
        if note.citations:
            continue
        before = [e for e in ends if e < note.span.start]
        target = before[-1] if before else ends[0] if ends else 0
        note.after = owner.get(target)


def _own_end(visit: Visit) -> int | None:
    """The line the block's own text is taken to end on, or None for a block that takes no note."""
    node = visit.node
    if isinstance(node, (Line, Paragraph)):
        return node.span.end
    if isinstance(node, (Operative, Point)):
        if not node.points:
            return node.span.end
        return node.span.start if node.inlines else None  # the text before the sub-paragraphs
    return None  # a heading, a part's title


footnotes = attach  # the stage's name in pipeline.stages.STAGES
