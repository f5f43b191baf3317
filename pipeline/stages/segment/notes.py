"""Footnote bodies: each footnote piece becomes a ``Footnote``; a body continued on the next page
without a marker is joined back to it.

A body piece is the tail of the footnote before it when that footnote did not end (``NOTE_END``),
the piece opens nothing, stands alone before the next footnote block or a page break, and looks
like a note's tail rather than a paragraph (``looks_like_note_tail``).
"""

from __future__ import annotations

from ...bodies import BY_NAME
from ...model import Footnote, plain
from ..inline import inlines, join_runs
from ..normalise import Piece
from ..patterns import FOOTNOTE_LINE, FORMULA, NOTE_END, PARAGRAPH_START, SUP_TO_DIGIT, block_opener
from .state import Segmentation, span

NOTE_TAIL_MAX = 200
"""A note's tail on the next page is short: fewer than 200 characters (a paragraph is longer)."""
NOT_A_TAIL_END = ("，", "；")
"""A piece ending a clause is a paragraph of the body, not the end of a note."""
NOT_A_TAIL_START = ("“", "‘", "「", "**")
"""Nor one opening with a quotation or a bold verb."""


def footnote_bodies(seg: Segmentation) -> None:
    """Footnote pieces -> ``doc.footnotes``; continuations are taken out of ``seg.body_pieces``."""
    seen: dict[str, Footnote] = {}
    continuations: set[int] = set()
    pieces = seg.norm.pieces
    last_note: Footnote | None = None
    for k, p in enumerate(pieces):
        if p.kind == "footnote":
            last_note = _footnote(seg, p, seen)
        elif (
            last_note is not None
            and plain(last_note.inlines).rstrip()[-1:] not in NOTE_END
            and not block_opener(p.key)
            and (k + 1 == len(pieces) or pieces[k + 1].kind == "footnote" or p.page_break_after)
            and looks_like_note_tail(p)
        ):
            last_note.inlines = join_runs(last_note.inlines, inlines(p), " ")
            last_note.span.end = p.last_line
            continuations.add(id(p))
            seg.ctx.report(
                "footnote.continued",
                p.first_line,
                f"footnote {last_note.marker} continues on line {p.first_line} after a page break",
            )
            last_note = None
    if continuations:
        seg.body_pieces = [p for p in seg.body_pieces if id(p) not in continuations]


def _footnote(seg: Segmentation, p: Piece, seen: dict[str, Footnote]) -> Footnote:
    m = FOOTNOTE_LINE.match(p.key)
    run, start = (m.group(1), m.end()) if m else (p.key, len(p.key))  # else a bare marker
    marker = run.translate(SUP_TO_DIGIT)
    note = Footnote(marker=marker, inlines=inlines(p, start), span=span(p))
    if marker in seen:
        seg.ctx.report(
            "footnote.duplicate-body",
            p.first_line,
            f"footnote {marker} has a second body (first on line {seen[marker].span.start}); both are kept",
        )
    seen.setdefault(marker, note)
    seg.doc.footnotes.append(note)
    return note


def looks_like_note_tail(p: Piece) -> bool:
    """Short, and not shaped like a paragraph of the body: it neither ends a clause nor opens
    like a paragraph (a quotation, an operative or preambular verb, a body's name)."""
    key = p.key
    return (
        len(key) < NOTE_TAIL_MAX
        and not FORMULA.match(key)
        and not key.endswith(NOT_A_TAIL_END)
        and not key.startswith(NOT_A_TAIL_START)
        and not PARAGRAPH_START.match(key)
        and not any(key.startswith(name) for name in BY_NAME)
    )
