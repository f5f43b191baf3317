"""The preamble and the operative part: a target (the document, or one part of a multi-part
resolution) filled from its pieces after the formula.

Preambular paragraphs run up to the operative part (``starts_body``); if none follows, a final
preambular sentence ending with ``。`` is the operative part (``closing sentence``).  Then each
piece of the operative part is placed by the first row of ``BODY`` that applies:

    closing lines                a date, a meeting, a vote: the conclusions start
    numbered paragraph           ``N.`` with N next in sequence (a skip of up to ``MAX_GAP`` is
                                 taken and reported as ``segment.numbering-gap``)
    sub-paragraph                ``(a)``, ``(i)``, ``(一)`` of the paragraph before
    heading                      ``一、``, ``A.`` and a short text not ending a clause
    more preamble                before any operative paragraph, not bold: still the preamble
    unnumbered paragraph         before any: the first block, a bold one, or no numbers at all
    unstructured                 before any, otherwise: the rest is kept unstructured
    heading before a paragraph   a short unnumbered line after a sentence, before ``N.``
    unnumbered block             after a heading or an unnumbered paragraph
    joined to the block before   anything else (``segment.unclassified``)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from ...model import Document, Heading, Inline, Operative, Paragraph, Part, Text, plain
from ..inline import inlines
from ..normalise import Piece
from ..patterns import (
    BLOCK_PUNCT,
    HEADING_CN,
    HEADING_LATIN,
    ITEM_END,
    PARA_NUM,
    SUPERSCRIPTS,
)
from .closing import conclusions, unstructured
from .points import add_point, fill
from .state import Segmentation, span

MAX_GAP = 5
"""Paragraph N after paragraph M < N - 1 opens paragraph N (with a ``segment.numbering-gap``) when
at most 5 are missing; a bigger jump is a number quoted at the start of a line, not a paragraph."""
HEADING_MAX = 80
"""A numbered heading (``一、``, ``A.``) holds fewer than 80 characters."""
SHORT_HEADING_MAX = 60
"""An unnumbered heading holds at most 60 characters."""
HEADING_NOT_ENDING = ("；", "。", "，")
"""A heading does not end a clause."""


@dataclass
class BodyState:
    """Where the operative part stands."""

    seg: Segmentation
    target: Document | Part
    pieces: list[Piece]
    preamble: bool
    """Preambular paragraphs may still come."""
    k: int = 0
    """The piece being placed."""
    expected: int = 1
    """The number the next numbered paragraph should have."""
    current: Operative | None = None
    """The paragraph sub-paragraphs go to."""

    @property
    def body(self) -> list[Operative | Heading]:
        # the operative part of a document holds no parts: those are segmented one by one
        return cast("list[Operative | Heading]", self.target.body)

    @property
    def piece(self) -> Piece:
        return self.pieces[self.k]


def starts_body(pieces: list[Piece], k: int) -> bool:
    """The operative part starts at paragraph 1, at a heading just before it, or at an unnumbered
    paragraph opening with a bold operative verb (preambular ones never do)."""
    text = pieces[k].key
    if text.startswith("**"):
        return True
    m = PARA_NUM.match(text)
    if m and m.group(1) == "1":
        return True
    h = HEADING_CN.match(text) or HEADING_LATIN.match(text)
    if h and len(text) < HEADING_MAX and k + 1 < len(pieces):
        m = PARA_NUM.match(pieces[k + 1].key)
        return bool(m and m.group(1) == "1")
    return False


def last_runs(item: Operative | Heading) -> list[Inline]:
    """The runs text joined to ``item`` goes to: its last (deepest) sub-paragraph's, or its own."""
    if isinstance(item, Operative) and item.points:
        pt = item.points[-1]
        while pt.points:
            pt = pt.points[-1]
        return pt.inlines
    return item.inlines


# ---------------------------------------------------------------------- the rules
# Each returns None when it does not apply; True when the operative part ends here, False when the
# next piece is to be placed.


def _closing_lines(s: BodyState) -> bool | None:
    if not s.seg.is_closing(s.piece):
        return None
    conclusions(s.seg, s.pieces[s.k :], s.target)
    return True


def _numbered_paragraph(s: BodyState) -> bool | None:
    p = s.piece
    m = PARA_NUM.match(p.key)
    if not m:
        return None
    n = int(m.group(1))
    body = s.body
    ok = n == s.expected or (n == 1 and bool(body) and isinstance(body[-1], Heading))
    if not ok and s.expected < n <= s.expected + MAX_GAP:
        missing = f"{s.expected}{'-' + str(n - 1) if n - s.expected > 1 else ''}"
        s.seg.ctx.report(
            "segment.numbering-gap",
            p.first_line,
            f"paragraph {n} follows paragraph {s.expected - 1}; "
            f"{'paragraphs' if n - s.expected > 1 else 'paragraph'} {missing} missing",
        )
        ok = True
    if not ok:
        return None
    s.current = Operative(num=f"{n}.", inlines=[], span=span(p), rule="numbered paragraph")
    fill(s.current, p, m.end())
    body.append(s.current)
    s.expected = n + 1
    return False


def _sub_paragraph(s: BodyState) -> bool | None:
    return False if s.current is not None and add_point(s.current, s.piece, s.seg.ctx) else None


def _heading(s: BodyState) -> bool | None:
    p = s.piece
    text = p.key
    h = HEADING_CN.match(text) or HEADING_LATIN.match(text)
    if not (h and len(text) < HEADING_MAX and not text.endswith(HEADING_NOT_ENDING)):
        return None
    s.body.append(Heading(num=h.group(0).strip(), inlines=inlines(p, h.end()), span=span(p), rule="heading"))
    s.current = None
    return False


def _more_preamble(s: BodyState) -> bool | None:
    p = s.piece
    if s.current is not None or s.body or not s.preamble or p.key.startswith("**"):
        return None
    s.target.preamble.append(Paragraph(inlines=inlines(p), span=span(p), rule="more preamble"))
    return False


def _unnumbered_paragraph(s: BodyState) -> bool | None:
    """Decisions and statements often have unnumbered paragraphs only; sub-paragraphs that follow
    belong to them."""
    p = s.piece
    if s.current is not None or s.body:
        return None
    if not (s.k == 0 or p.key.startswith("**") or not any(PARA_NUM.match(q.key) for q in s.pieces)):
        return None
    s.current = Operative(num=None, inlines=[], span=span(p), rule="unnumbered paragraph")
    fill(s.current, p, 0)
    s.body.append(s.current)
    return False


def _unstructured(s: BodyState) -> bool | None:
    if s.current is not None or s.body:
        return None
    unstructured(s.seg, s.pieces[s.k :], s.piece.first_line)
    return True


def _heading_before_paragraph(s: BodyState) -> bool | None:
    """A short unnumbered line that ends no sentence, after one that does, before a numbered
    paragraph."""
    p = s.piece
    text = p.key
    nxt = s.pieces[s.k + 1].key if s.k + 1 < len(s.pieces) else ""
    before = plain(last_runs(s.current or s.body[-1])).rstrip(SUPERSCRIPTS + " ")
    if not (
        len(text) <= SHORT_HEADING_MAX
        and text.rstrip(SUPERSCRIPTS + "*")[-1:] not in BLOCK_PUNCT
        and before[-1:] in ITEM_END
        and PARA_NUM.match(nxt)
    ):
        return None
    s.body.append(Heading(num=None, inlines=inlines(p), span=span(p), rule="heading before a paragraph"))
    s.current = None
    return False


def _unnumbered_block(s: BodyState) -> bool | None:
    """After a heading or an unnumbered paragraph, an unnumbered block is a paragraph of its own."""
    last = s.current or s.body[-1]
    if not (isinstance(last, Heading) or (isinstance(last, Operative) and last.num is None and not last.points)):
        return None
    p = s.piece
    s.body.append(Operative(num=None, inlines=inlines(p), span=span(p), rule="unnumbered block"))
    return False


def _joined_to_block_before(s: BodyState) -> bool | None:
    p = s.piece
    last = s.current or s.body[-1]
    s.seg.ctx.report(
        "segment.unclassified",
        p.first_line,
        "an unnumbered block in the operative part was joined to the block before it",
    )
    last_runs(last).extend([Text(text="\n"), *inlines(p)])
    last.span.end = p.last_line
    last.rule += " + joined"
    return False


BODY: list[tuple[str, Callable[[BodyState], bool | None]]] = [
    ("closing lines", _closing_lines),
    ("numbered paragraph", _numbered_paragraph),
    ("sub-paragraph", _sub_paragraph),
    ("heading", _heading),
    ("more preamble", _more_preamble),
    ("unnumbered paragraph", _unnumbered_paragraph),
    ("unstructured", _unstructured),
    ("heading before a paragraph", _heading_before_paragraph),
    ("unnumbered block", _unnumbered_block),
    ("joined to the block before", _joined_to_block_before),
]
"""How a piece of the operative part is placed: the first row that applies."""


def main(seg: Segmentation, pieces: list[Piece], preamble: bool, target: Document | Part) -> None:
    """Preamble (when ``preamble``), then the operative part, into ``target``."""
    s = BodyState(seg, target, pieces, preamble)
    if preamble:
        _preamble(s)
    while s.k < len(pieces):
        for _name, rule in BODY:
            done = rule(s)
            if done is not None:
                break
        if done:
            return
        s.k += 1


def _preamble(s: BodyState) -> None:
    """Preambular paragraphs up to the operative part or the closing lines.  With no operative
    part after them, the last one ending with ``。`` is the operative part (decisions such as the
    HRC's UPR outcomes: preambular paragraphs end with ``，``)."""
    pieces, target = s.pieces, s.target
    while s.k < len(pieces) and not starts_body(pieces, s.k):
        if s.seg.is_closing(pieces[s.k]):
            break
        p = pieces[s.k]
        target.preamble.append(Paragraph(inlines=inlines(p), span=span(p), rule="preambular paragraph"))
        s.k += 1
    if (
        (s.k == len(pieces) or s.seg.is_closing(pieces[s.k]))
        and target.preamble
        and plain(target.preamble[-1].inlines).rstrip()[-1:] == "。"
    ):
        last = target.preamble.pop()
        target.body.append(Operative(num=None, inlines=last.inlines, span=last.span, rule="closing sentence"))
