"""Pieces: the logical lines ``normalise`` produces, one per block of the document or footnote
body, each with a map back to its physical lines and their source offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ...model import Removal
from ..patterns import HAN_CHAR, SUPERSCRIPTS
from ..patterns import key as pattern_key
from .layout import Layout
from .lines import PhysLine, is_ascii_alnum

_CJK_PUNCT = re.compile("[\u3000-\u303f\uff00-\uffef“”‘’《》〈〉「」『』【】〔〕]")


def glue(left: str, right: str) -> str:
    """What to put between two physical lines that are joined (normalisation.md §4.2)."""
    a, b = left[-1], right[0]
    if a in "/-" or _CJK_PUNCT.match(a) or _CJK_PUNCT.match(b):
        return ""
    if a in ")]" and not is_ascii_alnum(b):
        return ""
    a_ascii = is_ascii_alnum(a) or a in ",.;:" or a in SUPERSCRIPTS
    b_ascii = is_ascii_alnum(b)
    if HAN_CHAR.match(a) and b_ascii:
        return " "
    if a_ascii and (HAN_CHAR.match(b) or b_ascii):
        return " "
    return ""


@dataclass
class Piece:
    """A logical line: one block of the document (or one footnote body)."""

    kind: str  # "body" | "footnote"
    text: str = ""
    segments: list[tuple[int, PhysLine]] = field(default_factory=list)
    """``(offset in text, physical line)`` of each physical line, in order."""
    rules: list[str] = field(default_factory=list, repr=False, compare=False)
    """The name of the joining rule that put each physical line here (``join.JOIN_RULES``), one per
    segment: ``inspect --stop-after normalise`` shows them."""
    page_break_after: bool = False
    key: str = field(default="", repr=False, compare=False)
    """The text for structure matching: traditional pattern characters simplified and
    ``．（）［］`` as ASCII, character for character (offsets are the text's); kept up to date
    by ``add``, the only way text is added."""

    def __post_init__(self) -> None:
        self.key = pattern_key(self.text)

    def add(self, line: PhysLine, sep: str = "", rule: str = "") -> None:
        self.rules.append(rule)
        if sep:
            self.text += sep
            self.key += pattern_key(sep)
        self.segments.append((len(self.text), line))
        self.text += line.text
        self.key += line.key

    @property
    def first_line(self) -> int:
        return self.segments[0][1].lineno

    @property
    def last_line(self) -> int:
        return self.segments[-1][1].lineno

    def line_at(self, i: int) -> int:
        """Source line of the character at offset ``i`` of this piece."""
        if len(self.segments) == 1:
            return self.segments[0][1].lineno
        k = bisect_right([s for s, _ in self.segments], i) - 1
        return self.segments[max(k, 0)][1].lineno

    def source_offset(self, i: int) -> int:
        k = max(bisect_right([s for s, _ in self.segments], i) - 1, 0)
        start, line = self.segments[k]
        return line.offset(i - start)


@dataclass
class Normalised:
    pieces: list[Piece]
    layout: Layout
    source: str
    removed: list[Removal] = field(default_factory=list)

    def position(self, piece: Piece, i: int) -> tuple[int, int]:
        """1-based (line, column) in the source of character ``i`` of ``piece``."""
        off = piece.source_offset(i)
        starts = self.line_starts
        line = bisect_right(starts, off)
        return line, off - starts[line - 1] + 1

    @property
    def line_starts(self) -> list[int]:
        """Offsets where source lines start (LF, CRLF, CR), computed when first asked for."""
        starts: list[int] | None = self.__dict__.get("_starts")
        if starts is None:
            starts = self.__dict__["_starts"] = line_starts(self.source)
        return starts


def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts
