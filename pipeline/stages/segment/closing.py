"""The closing lines (the date, the meeting, a recorded vote) and what is left when structure
stops (``unstructured``).

Closing line roles, the first row that matches deciding:

    vote      ``[…`` (a recorded vote runs over several lines, up to its closing bracket)
    date      ``2021 年 12 月 6 日``
    meeting   ``第 45 次全体会议``

Anything else after the closing lines is kept with role ``other`` and reported
(``segment.text-after-conclusions``).
"""

from __future__ import annotations

import re

from ...model import Document, Line, LineRole, Operative, Part
from ..inline import inlines
from ..metadata import iso_date
from ..normalise import Piece
from ..patterns import DATE_ONLY, MEETING, VOTE_OPEN
from .state import Segmentation, span

CLOSING: list[tuple[str, LineRole, re.Pattern[str]]] = [
    ("vote", "vote", VOTE_OPEN),
    ("date", "date", DATE_ONLY),
    ("meeting", "meeting", MEETING),
]
"""Closing line roles: the first row whose pattern matches decides."""


def conclusions(seg: Segmentation, pieces: list[Piece], target: Document | Part) -> None:
    """Closing lines: date, meeting, vote.  In a multi-part resolution each part may close with
    its own; they stay with the part (``target``)."""
    meta = seg.meta
    lines = target.conclusions
    in_vote = False
    vote: list[str] = []
    for p in pieces:
        text = p.key
        name, role = next(((n, r) for n, r, pattern in CLOSING if pattern.match(text)), ("other", "other"))
        if in_vote:
            name, role = "vote continues", "vote"
        if role == "vote":
            in_vote = not text.endswith("]")  # the key reads ］ as ]
            vote.append(p.text)
        elif role == "date":
            if not meta.adoption_date:
                meta.adoption_date = iso_date(text)
        elif role == "meeting":
            meta.meeting = p.text
        else:
            seg.ctx.report(
                "segment.text-after-conclusions",
                p.first_line,
                f"text after the closing lines, kept in the conclusions: {text[:40]}",
            )
        lines.append(Line(role=role, inlines=inlines(p), span=span(p), rule=name))
    if vote and not meta.vote:
        meta.vote = "\n".join(vote)


def unstructured(seg: Segmentation, pieces: list[Piece], line: int) -> None:
    """Keep the rest of the text, one paragraph per block, and say where structure stopped."""
    seg.doc.structured = False
    first = pieces[0].first_line if pieces else line
    seg.ctx.report(
        "segment.no-structure", first, f"no recognisable structure from line {first}; the text is kept unstructured"
    )
    for p in pieces:
        seg.doc.body.append(Operative(num=None, inlines=inlines(p), span=span(p), rule="unstructured"))
