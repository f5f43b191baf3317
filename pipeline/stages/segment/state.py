"""What the segmenter holds while it reads one document: the pieces, the context, the document and
its metadata as they are filled in.  Shared by the modules of ``pipeline.stages.segment``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...context import Context
from ...model import Document, Metadata, Span
from ..normalise import Normalised, Piece
from ..patterns import DATE_ONLY, MEETING, VOTE_OPEN


def span(piece: Piece) -> Span:
    return Span(start=piece.first_line, end=piece.last_line)


@dataclass
class Segmentation:
    norm: Normalised
    ctx: Context
    meta: Metadata
    doc: Document
    body_pieces: list[Piece]
    """The body pieces still to place (footnote continuations taken out)."""
    decision_header: bool = False
    """The preface says the document is a decision."""
    _closing: dict[int, bool] = field(default_factory=dict)
    """id(piece) -> is it a closing line (asked several times a piece)."""

    @classmethod
    def start(cls, norm: Normalised, ctx: Context) -> Segmentation:
        meta = Metadata()
        doc = Document(source=ctx.source, metadata=meta)  # no copy of the default made
        return cls(norm, ctx, meta, doc, [p for p in norm.pieces if p.kind == "body"])

    def set_body(self, code: str | None) -> None:
        """The body the text names first is the document's (a side-car or --body may override it)."""
        if code and not self.meta.body:
            self.meta.body = code

    def is_closing(self, p: Piece) -> bool:
        """A closing line: a date, a meeting, a vote."""
        known = self._closing.get(id(p))
        if known is None:
            key = p.key
            known = self._closing[id(p)] = bool(
                DATE_ONLY.match(key)
                or MEETING.match(key)
                or (VOTE_OPEN.match(key) and ("通过" in key or "表决" in key))
            )
        return known
