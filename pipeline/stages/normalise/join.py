"""Joining physical lines into pieces (guarantees 2 and 3 of ``pipeline.stages.normalise``).

A line of page debris (``patterns.DEBRIS``) is removed first.  Every other physical line is read
once (``read``: a page break before it? does it open a block, ``patterns.OPENERS``? is it a
footnote marker or body?), then placed by the first row of ``JOIN_RULES`` that applies:

    marker cites the line before   a marker alone on a line, not cited yet: it ends the paragraph
    footnote body                  ``¹ text``, or a marker alone already cited: a new footnote piece
    footnote continues             the next line of a footnote body
    paragraph continues            the next line of the paragraph (``CONTINUATION`` says why)
    new block                      anything else starts a piece

Whether a line continues the block before it is decided by the first row of ``CONTINUATION`` with
an opinion.  The name of each deciding row is recorded per line (``Piece.rules``), so ``inspect``
shows why two lines were joined or not, and a test can take a row out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...context import Context
from ...model import Removal
from ..patterns import (
    CLAUSE_END,
    COLON,
    COMMA,
    FOOTNOTE_LINE,
    FORMULA,
    OPENERS,
    PARA_NUM,
    PARAGRAPH_START,
    POINT,
    SEMICOLON,
    SUP_RUN,
    SUP_TO_DIGIT,
    SUPERSCRIPTS,
    block_closed,
    debris_reason,
)
from .layout import Layout
from .lines import PhysLine
from .pieces import Piece, glue

EXTRA_BLANKS = 1
"""More blank lines than the document's usual gap plus this one mark a page break (a page foot,
a new page) as much as a form feed or removed debris does."""
MIN_CONTINUED_LENGTH = 30
"""One-paragraph-per-line layout: a block that stopped mid-sentence is continued after blank lines
or a page break only when it holds more than 30 characters (a short one is a heading)..."""
LONG_LINE_WIDTH = 50
"""... and either crossed a page or its last line is at least 50 columns wide."""
_MARKER_END = SUPERSCRIPTS + " "


# ---------------------------------------------------------------------- continuation


@dataclass
class Continuation:
    """What decides whether ``line`` continues ``piece``."""

    piece: Piece
    line: PhysLine
    layout: Layout
    prev: PhysLine
    """The piece's last physical line (a marker wrapped alone: the line before it)."""
    end: str
    """The last character of ``prev`` before any trailing marker."""
    adjacent: bool
    """No other line went anywhere between ``prev`` and ``line``."""
    preamble: bool
    """Paragraph 1 has not been seen yet."""
    crossed: bool
    """A page break, debris or a footnote block lies between ``prev`` and ``line``."""
    in_body: bool
    """The formula has been seen."""

    @property
    def fullness(self) -> str:
        return self.layout.fullness(self.prev)


def _ends_clause(c: Continuation) -> bool | None:
    """One block a line: a line ending a clause or sentence is complete."""
    return False if not c.layout.wrapped and c.end in CLAUSE_END else None


def _closed_line(c: Continuation) -> bool | None:
    """A session, agenda item, formula, date, meeting, annex heading or bracketed line is complete."""
    return False if block_closed(c.prev.key) else None


def _clause_end_then_opening(c: Continuation) -> bool | None:
    """Wrapped: after a comma (near full, or before paragraph 1) or a semicolon (near full), a line
    opening like a paragraph (``PARAGRAPH_START``) starts one."""
    if not c.layout.wrapped:
        return None
    fullness = c.fullness
    clause = (c.end in COMMA and (fullness == "near" or c.preamble)) or (c.end in SEMICOLON and fullness == "near")
    return False if clause and PARAGRAPH_START.match(c.line.key) else None


def _full_line(c: Continuation) -> bool | None:
    """Wrapped: a full or nearly full line goes on, across blank lines, a page, footnotes."""
    return True if c.layout.wrapped and c.fullness != "short" else None


def _short_line(c: Continuation) -> bool | None:
    """Wrapped: a short line ended its paragraph."""
    return False if c.layout.wrapped else None


def _adjacent_line(c: Continuation) -> bool | None:
    """One block a line: the very next line, no blank between (a wrapped heading)."""
    return True if c.adjacent and c.line.blank_before == 0 else None


def _stopped_mid_sentence(c: Continuation) -> bool | None:
    """After the formula, a long block that stopped mid-sentence continues past blank lines, a page
    break, debris or a footnote block: body paragraphs end with punctuation."""
    long = len(c.piece.text) > MIN_CONTINUED_LENGTH and (c.crossed or c.prev.width >= LONG_LINE_WIDTH)
    return True if c.in_body and long else None


def _apart(c: Continuation) -> bool | None:
    """Anything else: blank lines between, the block is complete."""
    return False


CONTINUATION: list[tuple[str, Callable[[Continuation], bool | None]]] = [
    ("ends a clause", _ends_clause),
    ("closed line", _closed_line),
    ("clause end before a paragraph opening", _clause_end_then_opening),
    ("full line", _full_line),
    ("short line", _short_line),
    ("adjacent line", _adjacent_line),
    ("stopped mid-sentence", _stopped_mid_sentence),
    ("apart", _apart),
]
"""Does a line continue the block before it?  The first row with an opinion (True or False)
decides."""


def continues(
    piece: Piece,
    line: PhysLine,
    layout: Layout,
    adjacent: bool = True,
    preamble: bool = False,
    crossed: bool = False,
    in_body: bool = False,
) -> tuple[bool, str]:
    """Whether ``line`` continues ``piece``, and the name of the ``CONTINUATION`` row that says so."""
    prev = piece.segments[-1][1]
    if len(piece.segments) > 1 and SUP_RUN.fullmatch(prev.text):
        prev = piece.segments[-2][1]  # a marker wrapped alone: the line it ends decides
    end = prev.text.rstrip(_MARKER_END)[-1:]  # a marker may follow the punctuation
    c = Continuation(piece, line, layout, prev, end, adjacent, preamble, crossed, in_body)
    for name, rule in CONTINUATION:
        verdict = rule(c)
        if verdict is not None:
            return verdict, name
    return False, "apart"


# ---------------------------------------------------------------------- the lines


@dataclass
class JoinState:
    """Where the joining stands, between two physical lines."""

    layout: Layout
    pieces: list[Piece] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    body: Piece | None = None
    """The body piece that may still continue."""
    note: Piece | None = None
    """The footnote piece that may still continue."""
    last: Piece | None = None
    """The piece the previous line went to."""
    debris_before: bool = False
    """Debris was removed since the previous line (a page break)."""
    numbered: bool = False
    """Paragraph 1 has been seen: the numbered paragraphs have started."""
    formula_seen: bool = False
    points: bool = False
    """A sub-paragraph has opened a block."""
    cited: set[str] = field(default_factory=set)
    """Footnote markers cited in the body so far."""


@dataclass
class Reading:
    """One physical line, read once before the rules place it."""

    line: PhysLine
    brk: bool
    """A page break (form feed, removed debris, more blank lines than usual) comes before it."""
    opener: str | None
    """The ``OPENERS`` row it matches, unless the context says it opens nothing."""
    bare: bool
    """A footnote marker alone on the line."""
    marker: str
    """That marker's number."""
    note_start: bool
    """It starts a footnote body."""
    verdict: tuple[bool, str] | None = None
    """Whether it continues the paragraph before it (``paragraph_verdict``), once asked."""


def read(state: JoinState, line: PhysLine) -> Reading:
    """Read a line in its context (this is where an opener can be overridden)."""
    layout = state.layout
    brk = state.debris_before or line.page_break or line.blank_before > layout.gap + EXTRA_BLANKS
    state.debris_before = False
    if brk and state.last is not None:
        state.last.page_break_after = True
    key, text = line.key, line.text
    opener = OPENERS.first(key)
    body = state.body
    if FORMULA.match(key):
        # the enacting formula opens a block; a later line of the same shape is a wrapped line's
        # end (``…大会高级别会议，``) unless a short line (a part's title) came before
        if state.formula_seen and body is not None and layout.fullness(body.segments[-1][1]) != "short":
            opener = None
        state.formula_seen = True
    elif opener and POINT.match(key):
        # sub-paragraphs exist in the operative part, or after an introduction ending in a colon;
        # ``(b)`` at the start of a wrapped line of a preambular paragraph opens nothing
        if state.numbered or state.points or (body is not None and body.text.rstrip(_MARKER_END)[-1:] in COLON):
            state.points = True
        else:
            opener = None
    bare = SUP_RUN.fullmatch(text) is not None
    m = FOOTNOTE_LINE.match(text)
    if (
        m
        and layout.wrapped
        and body is not None
        and state.last is body
        and not brk
        and m.group(1).translate(SUP_TO_DIGIT) not in state.cited
        and layout.fullness(body.segments[-1][1]) != "short"
    ):
        # a wrapped line that begins with a marker: the citation of a note not yet cited, right
        # after a full line, continues the paragraph (a body always follows its citation)
        m = None
        opener = None
    if not state.numbered and (n := PARA_NUM.match(key)) and n.group(1) == "1":
        state.numbered = True  # only a body line can be paragraph 1: no rule before reads it
    return Reading(line, brk, opener, bare, text.translate(SUP_TO_DIGIT) if bare else "", m is not None)


def paragraph_verdict(state: JoinState, r: Reading) -> tuple[bool, str]:
    """Whether the line continues the body piece (asked once a line)."""
    if r.verdict is None:
        assert state.body is not None
        crossed = r.brk or state.last is not state.body
        r.verdict = continues(
            state.body, r.line, state.layout, state.last is state.body, not state.numbered, crossed, state.formula_seen
        )
    return r.verdict


# ---------------------------------------------------------------------- the rules


def _marker_cites_line_before(state: JoinState, r: Reading) -> str | None:
    """A marker alone on a line, not cited yet: wrapped after the text it cites (a body always
    follows its citation)."""
    return "" if r.bare and state.body is not None and r.marker not in state.cited else None


def _footnote_body(state: JoinState, r: Reading) -> str | None:
    """``¹ text``; or a marker alone already cited: it starts its note, the text is on the next line."""
    return "" if r.note_start or r.bare else None


def _footnote_continues(state: JoinState, r: Reading) -> str | None:
    """The next line of a footnote body: right after it, opening nothing, when the note so far is
    only its marker or the note's last line continues (no page break between)."""
    note = state.note
    if note is None or state.last is not note or r.opener:
        return None
    if SUP_RUN.fullmatch(note.text):
        return "after a marker alone"
    if r.brk:
        return None
    ok, why = continues(note, r.line, state.layout)
    return why if ok else None


def _paragraph_continues(state: JoinState, r: Reading) -> str | None:
    if state.body is None or r.opener:
        return None
    ok, why = paragraph_verdict(state, r)
    return why if ok else None


def _new_block(state: JoinState, r: Reading) -> str | None:
    if r.opener:
        return r.opener
    if state.body is None:
        return "first line"
    return paragraph_verdict(state, r)[1]


def _append_marker(state: JoinState, r: Reading, rule: str) -> None:
    assert state.body is not None
    state.cited.add(r.marker)
    state.body.add(r.line, glue(state.body.text, r.line.text), rule)
    state.last = state.body


def _add_to_body(state: JoinState, r: Reading, rule: str) -> None:
    assert state.body is not None
    _body_line(state, r)
    state.body.add(r.line, glue(state.body.text, r.line.text), rule)
    state.last = state.body


def _body_line(state: JoinState, r: Reading) -> None:
    """A line of the body: the note before it is closed, the markers in it are citations."""
    state.note = None
    if SUP_RUN.search(r.line.text):
        state.cited.update(s.translate(SUP_TO_DIGIT) for s in SUP_RUN.findall(r.line.text))


def _start_note(state: JoinState, r: Reading, rule: str) -> None:
    note = state.note = Piece("footnote")
    note.add(r.line, rule=rule)
    state.pieces.append(note)
    state.last = note


def _add_to_note(state: JoinState, r: Reading, rule: str) -> None:
    assert state.note is not None
    state.note.add(r.line, glue(state.note.text, r.line.text), rule)


def _start_block(state: JoinState, r: Reading, rule: str) -> None:
    _body_line(state, r)
    body = state.body = Piece("body")
    body.add(r.line, rule=rule)
    state.pieces.append(body)
    state.last = body


JoinTest = Callable[[JoinState, Reading], str | None]
JoinAction = Callable[[JoinState, Reading, str], None]

JOIN_RULES: list[tuple[str, JoinTest, JoinAction]] = [
    ("marker cites the line before", _marker_cites_line_before, _append_marker),
    ("footnote body", _footnote_body, _start_note),
    ("footnote continues", _footnote_continues, _add_to_note),
    ("paragraph continues", _paragraph_continues, _add_to_body),
    ("new block", _new_block, _start_block),
]
"""Where a physical line goes: the first row whose test applies (returns a detail, possibly
empty) places it; ``new block`` always applies."""


def join(lines: list[PhysLine], layout: Layout, ctx: Context | None = None) -> tuple[list[Piece], list[Removal]]:
    """Group physical lines into pieces (guarantees 2 and 3 of the stage)."""
    state = JoinState(layout)
    for line in lines:
        reason = debris_reason(line.key)
        if reason:
            state.removed.append(Removal(line=line.lineno, text=line.text, reason=reason))
            if ctx is not None:
                ctx.report("debris.removed", line.lineno, f"removed page debris ({reason}): {line.text}")
            state.debris_before = True
            continue
        r = read(state, line)
        for name, test, action in JOIN_RULES:
            detail = test(state, r)
            if detail is not None:
                action(state, r, f"{name}: {detail}" if detail else name)
                break
    return state.pieces, state.removed
