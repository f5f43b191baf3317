"""Which layout a text has: one block per line, or hard-wrapped at a width (``detect_layout``).

Hard-wrapped text (sample 004, the CD statements, PDF extractions of whole pages) has many lines
clustered just under a small maximum width; one-paragraph-per-line text (samples 001-003) has long
lines of every width.  The thresholds below were set on the samples and the development corpus;
each says what it measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ..patterns import CLAUSE_END, FOOTNOTE_LINE, FORMULA, PARA_NUM, SUPERSCRIPTS, block_closed, block_opener
from .lines import PhysLine

FULL_MARGIN = 3
"""A line within 3 display columns of the wrap width is ``full``: the next word did not fit
(a full-width character is 2 columns, and a line may end one character short)."""
NEAR_MARGIN = 10
"""Within 10 columns it is ``near``: it may have ended a paragraph or not."""

MIN_LINES = 10
"""Fewer body lines than this give no width statistics: the short-document test decides."""
TOP_QUANTILE = 0.9
"""The "maximum" width is the 90th percentile of line widths, so a few overlong lines (a table, a
symbol list) do not set it."""
WRAP_WIDTHS = (50, 130)
"""Wrap widths seen in UN PDFs, in display columns (sample 004 wraps at about 74)."""
CLUSTER_BELOW, CLUSTER_ABOVE = 10, 4
"""A line is "at the maximum" within 10 columns below it and 4 above (sample 004: 40 of 54 lines
at 66-74 columns)."""
CLUSTER_SHARE = 0.35
"""Wrapped text has at least 35 % of its lines at the maximum."""
OVERLONG_MARGIN, OVERLONG_SHARE = 20, 0.05
"""... and at most 5 % of them more than 20 columns longer."""
LONG_SHARE = 0.8
"""The wrap width is the commonest width among lines of at least 80 % of the maximum."""
MIN_OPEN_BREAK_WIDTH = 30
"""A line shorter than 30 columns that stops mid-sentence is a heading or a title, not a wrap."""
SHORT_WRAP_WIDTH = 50
"""A short document counts as wrapped when a line that stops mid-sentence is at least this wide..."""
SHORT_MIN_BREAKS, SHORT_BREAK_SHARE = 3, 0.2
"""... and it has at least 3 such breaks making 20 % of its lines..."""
SHORT_OVERHANG = 6
"""... or one in its body and no line more than 6 columns longer (a single wrapped page)."""


@dataclass
class Layout:
    wrapped: bool
    width: int = 0
    """The wrap width in display columns (wrapped layout only): the commonest width of long lines."""
    gap: int = 1
    """Blank lines usually found between two physical lines of the body."""

    def fullness(self, line: PhysLine) -> str:
        """``full`` (within ``FULL_MARGIN`` columns of the wrap width), ``near`` (within
        ``NEAR_MARGIN``) or ``short``."""
        if not self.wrapped:
            return "short"
        w = line.width
        return "full" if w >= self.width - FULL_MARGIN else "near" if w >= self.width - NEAR_MARGIN else "short"


def detect_layout(lines: list[PhysLine], forced: str | None = None) -> Layout:
    """The layout of the text (``forced``: ``lines`` or ``wrapped``, from ``--layout``)."""
    body = [ln for ln in lines if not FOOTNOTE_LINE.match(ln.text)]
    widths = sorted(ln.width for ln in body)
    gaps = sorted(ln.blank_before for ln in body[1:]) or [1]
    gap = gaps[len(gaps) // 2]
    if forced == "lines" or not widths:
        return Layout(False, gap=gap)
    top = widths[int(len(widths) * TOP_QUANTILE) - 1] if len(widths) >= MIN_LINES else widths[-1]
    near = sum(1 for w in widths if top - CLUSTER_BELOW <= w <= top + CLUSTER_ABOVE)
    wrapped = forced == "wrapped" or (
        len(widths) >= MIN_LINES
        and WRAP_WIDTHS[0] <= top <= WRAP_WIDTHS[1]
        and near >= CLUSTER_SHARE * len(widths)
        and sum(1 for w in widths if w > top + OVERLONG_MARGIN) <= OVERLONG_SHARE * len(widths)
    )
    if not wrapped:
        return _short_document(body, widths, gap)
    long = [w for w in widths if w >= LONG_SHARE * top]
    width = max(set(long), key=lambda w: (long.count(w), w))
    return Layout(True, width, gap)


def _short_document(body: list[PhysLine], widths: list[int], gap: int) -> Layout:
    """A short document: too few lines for the width statistics, but its lines break mid-sentence
    across blank lines, which one-paragraph-per-line text never does (several such breaks, or one
    when no line is longer than it: a wrapped page)."""
    breaks, in_body = _open_breaks(body)
    if (
        breaks
        and max(breaks) >= SHORT_WRAP_WIDTH
        and (
            (len(breaks) >= SHORT_MIN_BREAKS and len(breaks) >= SHORT_BREAK_SHARE * len(body))
            or (in_body and widths[-1] <= max(breaks) + SHORT_OVERHANG)
        )
    ):
        return Layout(True, max(set(breaks), key=lambda w: (breaks.count(w), w)), gap)
    return Layout(False, gap=gap)


def _open_breaks(body: list[PhysLine]) -> tuple[list[int], bool]:
    """Widths of lines that end mid-sentence and are continued after a blank line, and whether
    one of them comes after the formula or a numbered paragraph (not a heading of the preface)."""
    out = []
    started = in_body = False
    for prev, nxt in pairwise(body):
        if not started:
            key = prev.key
            started = bool(FORMULA.match(key) or PARA_NUM.match(key))
        if not nxt.blank_before or prev.text[-1] in CLAUSE_END:  # the common case, cheaply
            continue
        end = prev.text.rstrip(SUPERSCRIPTS + " ")[-1:]
        if (
            end not in CLAUSE_END
            and prev.width >= MIN_OPEN_BREAK_WIDTH
            and not block_closed(prev.key)
            and not block_opener(nxt.key)
        ):
            out.append(prev.width)
            in_body = in_body or started
    return out, in_body
