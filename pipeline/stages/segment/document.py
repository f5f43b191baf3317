"""What kind of document the pieces make, and the segmentation of each kind.

The first row of ``SHAPES`` whose test holds decides, from a few landmarks (where the formula, a
header line, a presidential statement's title and part markers stand):

    presidential statement   ``安全理事会主席声明`` near the top, no formula right after it
    multi-part               part markers ``A``, ``B`` … each followed by a formula
    formula                  an enacting formula (``大会，``), near any header line before it
    header                   a decision header, a number and title, an SC resolution number
    statement                numbered paragraphs from 1, or a title and sentences (a letter)
    unstructured             anything else: kept one paragraph per block
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...bodies import code_of
from ...model import Document, Line, LineRole, Paragraph, Part
from ..inline import inlines
from ..metadata import iso_date
from ..normalise import Piece
from ..patterns import BLOCK_PUNCT, CN_CLAUSE_END, CN_SENTENCE_END, FORMULA, PARA_NUM, SUPERSCRIPTS
from .body import main, starts_body
from .closing import unstructured
from .preface import DECISION_HEAD, NUMBER_TITLE, PRST, PRST_INTRO, SC, SC_NUMBER, preface
from .state import Segmentation, span

HEADER_SEARCH = 15
"""A header line (decision header, number and title) is looked for in the first 15 blocks."""
PRST_SEARCH = 8
"""A presidential statement's title is looked for in the first 8 blocks."""
NEAR = 3
"""Landmarks within 3 blocks of each other belong together: a formula at most 3 blocks after a
header line is the document's; a part marker's formula comes within 3 blocks of it; a formula more
than 3 blocks after a presidential statement's title is quoted in the statement."""
PART_MARK = re.compile(r"^([A-Z])\.?$")
SUBMITTER = re.compile(r"^(.+?)(?:提交|提出)$")
STATEMENT_DATE_MAX = 30
"""A statement's date line holds fewer than 30 characters."""
SIGNATURE_MAX = 40
"""A letter's signature lines (name, title) hold fewer than 40 characters."""


@dataclass
class Landmarks:
    formula_at: int | None
    head_at: int | None
    prst_at: int | None
    parts: list[int]

    @classmethod
    def find(cls, pieces: list[Piece]) -> Landmarks:
        return cls(
            formula_at=next((k for k, p in enumerate(pieces) if FORMULA.match(p.key)), None),
            head_at=next((k for k, p in enumerate(pieces[:HEADER_SEARCH]) if is_header_end(p)), None),
            prst_at=next((k for k, p in enumerate(pieces[:PRST_SEARCH]) if PRST.match(p.key)), None),
            parts=part_starts(pieces),
        )


def is_header_end(p: Piece) -> bool:
    """The last preface line of a document without formula: a decision header or a resolution
    number and title, or a Security Council resolution number."""
    key = p.key
    return bool(
        DECISION_HEAD.match(key) or SC_NUMBER.match(key) or (NUMBER_TITLE.match(key) and not PARA_NUM.match(key))
    )


def part_starts(pieces: list[Piece]) -> list[int]:
    """Indexes of part markers (``A``, ``B.``) each followed, within ``NEAR`` blocks and before the
    next marker, by a formula; [] unless they are A, B, … from A."""
    starts = []
    for k, p in enumerate(pieces):
        if not PART_MARK.match(p.key):
            continue
        for q in pieces[k + 1 : k + 1 + NEAR]:
            if PART_MARK.match(q.key):
                break
            if FORMULA.match(q.key):
                starts.append(k)
                break
    letters = [_part_letter(pieces[k]) for k in starts]
    if len(starts) >= 2 and letters == [chr(65 + n) for n in range(len(letters))]:
        return starts
    return []


def _part_letter(p: Piece) -> str:
    m = PART_MARK.match(p.key)
    assert m is not None
    return m.group(1)


def formula(seg: Segmentation, target: Document | Part, p: Piece) -> None:
    m = FORMULA.match(p.key)
    assert m is not None
    seg.set_body(code_of(m.group(1)))
    target.formula = Paragraph(inlines=inlines(p), span=span(p), rule="formula")


def _resolution_kind(seg: Segmentation) -> None:
    seg.doc.kind = "decision" if seg.decision_header else "resolution"


# ---------------------------------------------------------------------- the shapes


def _presidential_statement(seg: Segmentation, pieces: list[Piece], at: Landmarks) -> None:
    assert at.prst_at is not None
    seg.doc.kind = "presidentialStatement"
    seg.meta.body = SC.code
    preface(seg, pieces[: at.prst_at + 1])
    k = at.prst_at + 1
    if k < len(pieces) and PRST_INTRO.search(pieces[k].key):
        preface(seg, pieces[k : k + 1])
        k += 1
    main(seg, pieces[k:], preamble=False, target=seg.doc)


def _multi_part(seg: Segmentation, pieces: list[Piece], at: Landmarks) -> None:
    parts = at.parts
    preface(seg, pieces[: parts[0]])
    _resolution_kind(seg)
    for n, start in enumerate(parts):
        end = parts[n + 1] if n + 1 < len(parts) else len(pieces)
        part(seg, pieces[start:end])


def _formula(seg: Segmentation, pieces: list[Piece], at: Landmarks) -> None:
    assert at.formula_at is not None
    preface(seg, pieces[: at.formula_at])
    formula(seg, seg.doc, pieces[at.formula_at])
    _resolution_kind(seg)
    main(seg, pieces[at.formula_at + 1 :], preamble=True, target=seg.doc)


def _header(seg: Segmentation, pieces: list[Piece], at: Landmarks) -> None:
    assert at.head_at is not None
    preface(seg, pieces[: at.head_at + 1])
    _resolution_kind(seg)
    main(seg, pieces[at.head_at + 1 :], preamble=False, target=seg.doc)


def _statement(seg: Segmentation, pieces: list[Piece], at: Landmarks) -> None:
    seg.doc.kind = "statement"
    statement(seg, pieces)


def _unstructured(seg: Segmentation, pieces: list[Piece], at: Landmarks) -> None:
    seg.doc.kind = "document"
    unstructured(seg, pieces, 0)


Test = Callable[[Landmarks, list[Piece]], bool]
Build = Callable[[Segmentation, list[Piece], Landmarks], None]

SHAPES: list[tuple[str, Test, Build]] = [
    (
        "presidential statement",
        lambda at, _: at.prst_at is not None and (at.formula_at is None or at.formula_at > at.prst_at + NEAR),
        _presidential_statement,
    ),
    ("multi-part", lambda at, _: bool(at.parts), _multi_part),
    (
        "formula",
        lambda at, _: at.formula_at is not None and (at.head_at is None or at.formula_at <= at.head_at + NEAR),
        _formula,
    ),
    ("header", lambda at, _: at.head_at is not None, _header),
    ("statement", lambda _, pieces: looks_like_statement(pieces), _statement),
    ("unstructured", lambda _, __: True, _unstructured),
]
"""What kind of document: the first row whose test holds segments it."""


def shape(seg: Segmentation, pieces: list[Piece]) -> None:
    """Segment the document's pieces (annexes taken out) by the first ``SHAPES`` row that holds."""
    at = Landmarks.find(pieces)
    for name, test, build in SHAPES:
        if test(at, pieces):
            seg.doc.rule = name
            build(seg, pieces, at)
            return


# ---------------------------------------------------------------------- parts, statements


def part(seg: Segmentation, pieces: list[Piece]) -> None:
    """One part: its marker, title lines, formula, preamble, operative part and closing lines
    (``part_starts`` made sure a formula comes before the next marker)."""
    mark = pieces[0]
    formula_at = next(k for k, p in enumerate(pieces) if FORMULA.match(p.key))
    result = Part(
        num=_part_letter(mark),
        span=span(mark),
        heading=[r for p in pieces[1:formula_at] for r in inlines(p)],
        rule="part",
    )
    seg.doc.body.append(result)
    formula(seg, result, pieces[formula_at])
    main(seg, pieces[formula_at + 1 :], preamble=True, target=result)
    result.span.end = max([result.span.end] + [x.span.end for x in result.preamble + result.body])


def looks_like_statement(pieces: list[Piece]) -> bool:
    """Numbered paragraphs from 1, or a title line (no closing punctuation) followed by
    paragraphs that end sentences (a letter)."""
    nums = [int(m.group(1)) for p in pieces if (m := PARA_NUM.match(p.key))]
    if len(nums) >= 2 and nums[0] == 1 and nums[1] == 2:
        return True
    return (
        len(pieces) >= 2
        and pieces[0].key[-1:] not in CN_CLAUSE_END
        and any(p.key.rstrip(SUPERSCRIPTS)[-1:] == "。" for p in pieces[1:])
    )


def statement(seg: Segmentation, pieces: list[Piece]) -> None:
    """A statement, working paper or letter: title, submitter or date lines, then numbered or
    unnumbered paragraphs, and a signature (short lines after the last sentence)."""
    k = 0
    while (
        k < len(pieces)
        and not starts_body(pieces, k)
        and not (k and pieces[k].key.rstrip(SUPERSCRIPTS)[-1:] in CN_SENTENCE_END)
    ):
        p = pieces[k]
        role: LineRole
        if k == 0:
            name, role = "statement title", "title"
            seg.meta.title = p.text
        elif m := SUBMITTER.match(p.key):
            name, role = "submitter", "submitter"
            seg.meta.submitter = p.text[: m.end(1)].strip()
        elif iso_date(p.key) and len(p.key) < STATEMENT_DATE_MAX:
            name, role = "statement date", "date"
            seg.meta.adoption_date = iso_date(p.key)
        else:
            name, role = "other", "other"
        seg.doc.preface.append(Line(role=role, inlines=inlines(p), span=span(p), rule=name))
        k += 1
    end = len(pieces)
    while (
        end > k + 1
        and len(pieces[end - 1].key) < SIGNATURE_MAX
        and pieces[end - 1].key.rstrip(SUPERSCRIPTS)[-1:] not in BLOCK_PUNCT
    ):
        end -= 1
    main(seg, pieces[k:end], preamble=False, target=seg.doc)
    for p in pieces[end:]:
        seg.doc.conclusions.append(Line(role="signature", inlines=inlines(p), span=span(p), rule="signature"))
