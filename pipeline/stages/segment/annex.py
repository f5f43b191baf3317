"""Annexes: a ``附件`` line after the operative part or the closing lines starts one; its title
line, then its blocks (numbered ``N.`` or ``第N条`` when they are)."""

from __future__ import annotations

import re

from ...model import Annex, Line, Operative, Span
from ..inline import inlines
from ..normalise import Piece
from ..patterns import ANNEX, CN_CLAUSE_END, CN_NUM, PARA_NUM, S
from .state import Segmentation, span

ANNEX_NUM = re.compile(f"^第[{CN_NUM}\\d]+条{S}")
"""An article of an annexed text: ``第一条``."""
ANNEX_TITLE_MAX = 60
"""The line after ``附件`` is the annex's title when shorter than 60 characters, not ending a
clause and not a numbered paragraph."""


def split_annexes(seg: Segmentation, pieces: list[Piece]) -> tuple[list[Piece], list[list[Piece]]]:
    """The document's pieces, and each annex's."""
    seen_body = False
    starts = []
    for k, p in enumerate(pieces):
        if PARA_NUM.match(p.key) or seg.is_closing(p) or p.key.endswith("。"):
            seen_body = True
        elif seen_body and ANNEX.match(p.key):
            starts.append(k)
    if not starts:
        return pieces, []
    groups = [pieces[a:b] for a, b in zip(starts, starts[1:] + [len(pieces)], strict=True)]
    return pieces[: starts[0]], groups


def annex(seg: Segmentation, pieces: list[Piece]) -> None:
    result = Annex(span=Span(start=pieces[0].first_line, end=pieces[-1].last_line))
    result.heading.append(Line(role="annex", inlines=inlines(pieces[0]), span=span(pieces[0]), rule="annex"))
    rest = pieces[1:]
    if (
        rest
        and len(rest[0].key) < ANNEX_TITLE_MAX
        and not rest[0].key.endswith(tuple(CN_CLAUSE_END))
        and not PARA_NUM.match(rest[0].key)
    ):
        result.heading.append(Line(role="title", inlines=inlines(rest[0]), span=span(rest[0]), rule="annex title"))
        rest = rest[1:]
    for p in rest:
        m = PARA_NUM.match(p.key) or ANNEX_NUM.match(p.key)
        result.blocks.append(
            Operative(
                num=m.group(0).strip() if m else None,
                inlines=inlines(p, m.end() if m else 0),
                span=span(p),
                rule="annex numbered block" if m else "annex block",
            )
        )
    seg.doc.annexes.append(result)
