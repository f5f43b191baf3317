"""Text renderer: ``Document`` -> PDF-extraction-style text, the inverse of the pipeline's stages.

Used by the round-trip property test (``tests/test_roundtrip.py``): a document rendered here and
converted back with ``pipeline.stages.run`` must give the same structure and text.  Pure functions,
no I/O.

Contract of ``render(doc, layout, points=..., width=70, page_lines=..., marker_space=True)``:

1. **Blocks, in reading order**: every preface line; the formula; every preambular paragraph;
   every body item (an operative paragraph as ``N. `` + its text, a heading as its number + text,
   an unnumbered block as its text); every conclusions line.  An operative paragraph's
   sub-paragraphs are written ``(a) text`` (``Point.num`` + one space + text), nested points after
   their parent.
2. **Inline runs**: plain text as is; a bold run as ``**text**``; a ``NoteRef`` as its marker in
   Unicode superscript digits (``¹²³⁴⁵⁶⁷⁸⁹⁰``, multi-digit markers as runs, ``12`` -> ``¹²``) right
   where it stands.  With ``marker_space`` (the default, as PDF extraction gives ``》¹ 第六条``) a
   marker followed by text other than closing punctuation or a space gets one space after it; the
   converter's inline parser consumes that space again.  Spaces are written exactly as in the model
   text (``2021 年`` stays spaced, ``2023年`` stays unspaced); nothing else is added or dropped.
3. **Layouts**:

   - ``lines`` (samples 001-003, corpus layouts A and C): one printed line per block, one blank
     line between blocks; the conclusions lines are adjacent (no blank between), as in the
     samples.  ``points="folded"`` (layout A, the default for ``lines``) writes sub-paragraphs into
     their paragraph's line, each label after one space (``…包括： (a) …； (b) …``);
     ``points="lines"`` (layout C) writes each sub-paragraph on its own printed line.
   - ``wrapped`` (sample 004, corpus layout B): every block hard-wrapped at ``width`` display
     columns (full-width characters count 2; ``**`` counts 0, as it is not printed), with a blank
     line after every printed line; sub-paragraphs always on their own lines (as printed in real
     UN PDFs; ``points`` is ignored).  Line breaking never splits a run of ASCII letters/digits
     (a symbol such as ``A/CONF.229/2017/8`` may break at ``/`` or ``.``, as word processors
     break it), never starts a line with a superscript marker or closing punctuation (they stay on
     the line before and may overhang by up to two columns), never ends a line with opening
     punctuation, and keeps ``……``/``——`` whole.  A
     space at a break is not written (the converter's joining re-inserts the Han/ASCII space); a
     bold run crossing a break is closed at the line end and reopened on the next line, as PDF
     extraction gives it.

4. **Pages and footnotes**: a page is ``page_lines`` printed lines (default 10 for ``lines``, 36 for
   ``wrapped``); footnote bodies are not counted.  At the end of each page come the bodies of the
   footnotes whose first citation (in reading order) fell on that page, each as ``¹ text`` (marker,
   one space, the body, wrapped like the body in the ``wrapped`` layout), one blank line before
   each; then three blank lines before the next page.  So a footnote block can fall between two
   printed lines of one paragraph in the ``wrapped`` layout.  A page without footnotes ends with the
   three blank lines only.  Bodies of footnotes never cited are written at the end of the last page.
   The text ends with one newline.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.model import Document, Footnote, Heading, Inline, NoteRef, Operative, Point, walk

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

LAYOUTS = ("lines", "wrapped")
POINTS = ("folded", "lines")

# Kinsoku: what may not start a line (stays on the line before) / not end a line (goes to the next).
CLOSING = "，。、；：！？）》」』”’〉】〕,.;:!?)]%"
OPENING = "（《「『“‘〈【〔(["
_ALNUM = re.compile(r"[A-Za-z0-9]+")


def superscript(marker: str) -> str:
    """``"12"`` -> ``"¹²"``."""
    return marker.translate(SUPERSCRIPT)


def width_of(text: str) -> int:
    """Display columns: 2 for a wide or full-width character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# -------------------------------------------------------------------------- cells and units

@dataclass
class Cell:
    """One printed character: its bold flag and, for a marker, the footnote marker it belongs to."""

    ch: str
    bold: bool = False
    marker: str | None = None


def cells(runs: list[Inline], marker_space: bool = True) -> list[Cell]:
    """The printed characters of some runs (``**`` not included: bold is a flag per cell)."""
    out: list[Cell] = []
    for k, run in enumerate(runs):
        if isinstance(run, NoteRef):
            out.extend(Cell(c, marker=run.marker) for c in superscript(run.marker))
            if marker_space:
                nxt = _next_char(runs, k + 1)
                if nxt and not nxt.isspace() and nxt not in CLOSING and nxt not in SUPERSCRIPTS:
                    out.append(Cell(" "))
        else:
            out.extend(Cell(c, run.bold) for c in run.text)
    return out


def _next_char(runs: list[Inline], k: int) -> str:
    for run in runs[k:]:
        if isinstance(run, NoteRef):
            return SUPERSCRIPTS[1]
        if run.text:
            return run.text[0]
    return ""


def serialise(cs: list[Cell]) -> str:
    """Cells -> text, bold stretches wrapped in ``**``."""
    out: list[str] = []
    bold = False
    for c in cs:
        if c.bold != bold:
            out.append("**")
            bold = c.bold
        out.append(c.ch)
    if bold:
        out.append("**")
    return "".join(out)


def units(cs: list[Cell]) -> list[list[Cell]]:
    """Split cells into unbreakable units (see the module docstring, layout ``wrapped``)."""
    text = "".join(c.ch for c in cs)
    out: list[list[Cell]] = []
    glue_next = False
    i = 0
    while i < len(cs):
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            m = _ALNUM.match(text, i)
            j = m.end()
        elif ch in "…—" :
            j = i + 1
            while j < len(text) and text[j] == ch:
                j += 1
        else:
            j = i + 1
        unit = cs[i:j]
        attach = bool(out) and not out[-1][-1].ch.isspace() and (
            ch in CLOSING or ch in SUPERSCRIPTS)
        if ch == " ":
            out.append(unit)
            glue_next = False
        elif (attach or glue_next) and out:
            out[-1].extend(unit)
            glue_next = False
        else:
            out.append(unit)
            glue_next = False
        if ch in OPENING:
            glue_next = True
        i = j
    return out


def wrap(cs: list[Cell], width: int) -> list[list[Cell]]:
    """Greedy hard-wrapping of cells at ``width`` columns (``**`` not counted); closing
    punctuation and markers at the end of a unit may overhang by two columns."""
    lines: list[list[Cell]] = []
    cur: list[Cell] = []
    w = 0
    for unit in units(cs):
        uw = width_of("".join(c.ch for c in unit))
        if unit[0].ch == " ":
            if cur:
                cur.extend(unit)
                w += uw
            continue
        core = unit
        while len(core) > 1 and (core[-1].ch in CLOSING or core[-1].ch in SUPERSCRIPTS):
            core = core[:-1]
        overhang = min(uw - width_of("".join(c.ch for c in core)), 2)
        if cur and w + uw > width + overhang:
            lines.append(_rstrip(cur))
            cur, w = [], 0
        cur.extend(unit)
        w += uw
    if cur:
        lines.append(_rstrip(cur))
    return [ln for ln in lines if ln]


def _rstrip(cs: list[Cell]) -> list[Cell]:
    while cs and cs[-1].ch == " ":
        cs = cs[:-1]
    return cs


# -------------------------------------------------------------------------- blocks

@dataclass
class Block:
    cells: list[Cell]
    tight: bool = False
    """Printed right after the block before (no blank line): conclusions lines."""


def _num_cells(num: str | None, heading: bool = False) -> list[Cell]:
    if not num:
        return []
    sep = "" if heading and num.endswith(("、", "，")) else " "
    return [Cell(c) for c in num + sep]


def blocks(doc: Document, folded: bool, marker_space: bool = True) -> list[Block]:
    """The document's blocks in reading order (module docstring, 1; parts and annexes are not
    rendered)."""
    out: list[Block] = []
    closing = 0
    for visit in walk(doc):
        node = visit.node
        if visit.part is not None or visit.region == "annex":
            continue
        own = cells(visit.inlines, marker_space)
        if isinstance(node, Heading):
            out.append(Block(_num_cells(node.num, heading=True) + own))
        elif isinstance(node, (Operative, Point)):
            own = _num_cells(node.num) + own
            if folded and isinstance(node, Point):  # into its paragraph's line, after one space
                out[-1].cells = out[-1].cells + [Cell(" ")] + own
            else:
                out.append(Block(own))
        else:  # a preface line, the formula, a preambular paragraph, a closing line
            tight = visit.region == "conclusions" and closing > 0
            closing += visit.region == "conclusions"
            out.append(Block(own, tight=tight))
    return out


def _split_newlines(bl: list[Block]) -> list[Block]:
    """A ``\\n`` inside a run (an unnumbered block joined to the one before) starts a new block."""
    out: list[Block] = []
    for b in bl:
        cur: list[Cell] = []
        first = True
        for c in b.cells:
            if c.ch == "\n":
                out.append(Block(_rstrip(cur), b.tight if first else False))
                cur, first = [], False
            else:
                cur.append(c)
        out.append(Block(cur, b.tight if first else False))
    return [b for b in out if b.cells]


# -------------------------------------------------------------------------- pages

@dataclass
class _Page:
    lines: list[str] = field(default_factory=list)
    count: int = 0
    notes: list[str] = field(default_factory=list)


def render(doc: Document, layout: str = "lines", *, points: str | None = None, width: int = 70,
           page_lines: int | None = None, marker_space: bool = True) -> str:
    """``Document`` -> PDF-extraction-style text (the module docstring is the contract)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; layouts are {', '.join(LAYOUTS)}")
    points = points or ("folded" if layout == "lines" else "lines")
    if points not in POINTS:
        raise ValueError(f"unknown points style {points!r}; styles are {', '.join(POINTS)}")
    wrapped = layout == "wrapped"
    folded = points == "folded" and not wrapped
    page_lines = page_lines or (36 if wrapped else 10)
    if page_lines < 1:
        raise ValueError("page_lines must be at least 1")

    bodies: dict[str, Footnote] = {}
    for note in doc.footnotes:
        bodies.setdefault(note.marker, note)
    placed: set[str] = set()

    out: list[str] = []
    gap = 0           # blank lines owed before the next printed line
    count = 0         # printed lines on the current page
    pending: list[str] = []   # markers of notes first cited on this page

    def emit(text: str, blank: int) -> None:
        if out:
            out.extend([""] * blank)
        out.append(text)

    def note_lines(note: Footnote) -> list[str]:
        cs = [Cell(c) for c in superscript(note.marker) + " "] + cells(note.inlines, marker_space)
        if not wrapped:
            return [serialise(cs)]
        return [serialise(ln) for ln in wrap(cs, width)]

    def flush() -> None:
        nonlocal gap, count, pending
        for marker in pending:
            for text in note_lines(bodies[marker]):
                emit(text, 1)
        pending = []
        count = 0
        gap = 3

    for block in _split_newlines(blocks(doc, folded, marker_space)):
        printed = wrap(block.cells, width) if wrapped else [block.cells]
        for k, line in enumerate(printed):
            blank = gap if gap else (0 if (block.tight and k == 0 and not wrapped) else 1)
            emit(serialise(line), blank)
            gap = 0
            for c in line:
                if c.marker is not None and c.marker in bodies and c.marker not in placed:
                    placed.add(c.marker)
                    pending.append(c.marker)
            count += 1
            if count >= page_lines:
                flush()
    pending.extend(m for m in bodies if m not in placed and m not in pending)
    if pending:
        flush()
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
