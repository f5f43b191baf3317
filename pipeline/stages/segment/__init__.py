"""Stage 2, ``segment``: pieces -> a ``Document`` with preface, formula, preamble, operative part,
conclusions and footnote bodies.

Assumes: ``normalise`` ran (one piece per block; footnote bodies are pieces of kind ``footnote``).

Guarantees, after this stage:

1. ``kind`` is ``resolution`` or ``decision`` when an enacting formula (``大会，``, ``人权理事会，``,
   ``安全理事会，``, ...) or a decision header was found, ``statement`` for a titled text of
   numbered paragraphs (a CD statement or working paper), ``document`` when nothing was recognised.
2. Every body piece is in exactly one place: a preface line, the formula, a preambular paragraph,
   an operative paragraph or sub-paragraph (``(a)``, ``(i)``, ``(一)``), a heading, a conclusions
   line.  Nothing is dropped; what cannot be placed is kept and reported.
3. Paragraph numbers are checked for sequence: ``N. `` opens paragraph N only when N follows on;
   a skip is reported (``segment.numbering-gap``) with its line.
4. Footnote bodies are in ``Document.footnotes`` (marker, text, span), citations not yet resolved;
   markers in the text are ``NoteRef`` runs.  A footnote body continued after a page break without
   a marker is rejoined to its body.
5. Metadata read from the text: symbol, body, number, session, agenda items and titles, adoption
   date, committee report, title, meeting, vote, submitter.

Example::

    76/53. 国际法院关于……的后续行动     -> preface Line(role="title"), metadata.number "76/53"
    大会，                               -> formula
    回顾其……决议，                       -> preamble[0]
    1. **再次着重指出**国际法院……；       -> body[0]: Operative(num="1.", runs [bold, text])

The rules, each a table of named rows, one module each: what kind of document (``document.SHAPES``),
preface line roles (``preface.PREFACE``), the preamble and operative part (``body.BODY``),
sub-paragraphs (``points``), closing lines (``closing.CLOSING``), footnote bodies (``notes``),
annexes (``annex``), and what each line states (``marks``, last).  Every block records the
name of the row that made it (``Block.rule``; the document's shape in ``Document.rule``).
"""

from __future__ import annotations

from ...context import Context
from ...model import Document
from ..metadata import complete
from ..normalise import Normalised
from .annex import annex as segment_annex
from .annex import split_annexes
from .document import SHAPES
from .document import shape as segment_shape
from .marks import mark_lines
from .notes import footnote_bodies
from .preface import PREFACE
from .state import Segmentation

__all__ = ["PREFACE", "SHAPES", "segment"]


def segment(norm: Normalised, ctx: Context) -> Document:
    """The stage: ``Normalised`` -> ``Document``."""
    seg = Segmentation.start(norm, ctx)
    doc = seg.doc
    doc.removed = list(norm.removed)
    footnote_bodies(seg)
    pieces, annexes = split_annexes(seg, seg.body_pieces)
    segment_shape(seg, pieces)
    for group in annexes:
        segment_annex(seg, group)
    complete(doc, seg.meta, ctx)
    doc.metadata = seg.meta
    mark_lines(doc)
    return doc
