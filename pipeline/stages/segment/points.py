"""Sub-paragraphs: ``(a)``, ``(i)``, ``(一)`` on their own lines (``add_point``), or folded into
their paragraph's line after a colon (``fill``: ``…如下： (a) …； (b) …``).

UN style letters sub-paragraphs ``(a)``-``(z)``, then ``(aa)``, ``(bb)``; sub-sub-paragraphs are
roman ``(i)``, ``(ii)``.  ``(i)`` after ``(h)`` is the letter i; after any other it opens roman
sub-sub-paragraphs.  A letter out of sequence is reported (``segment.point-sequence``).
"""

from __future__ import annotations

import re

from ...context import Context
from ...model import Operative, Point
from ..inline import inlines, strip_runs
from ..normalise import Piece
from ..patterns import COLON, POINT_CN, POINT_LATIN, POINT_ROMAN, SUPERSCRIPTS
from .state import span


def letter_seq(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (UN style doubles the letter)."""
    return chr(97 + n % 26) * (n // 26 + 1)


LETTERS = [letter_seq(n) for n in range(52)]
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
ROMAN += ["x" + r for r in ROMAN[:9]] + ["xx"]
"""i to xx."""
_LABEL = {
    label: re.compile(r"(?:(?<=[：:；;。，])|(?<= ))\(" + label + r"\) ?") for label in dict.fromkeys(LETTERS + ROMAN)
}
"""A folded label: after a colon, semicolon, full stop, comma or space."""
COLON_LOOKBACK = 8
"""The first folded label must come within 8 characters after a colon (markers and spaces
between), so ``(a)`` quoted inside a sentence is not a sub-paragraph."""


def fill(op: Operative, p: Piece, start: int) -> None:
    """Text of a paragraph from ``start``; sub-paragraphs folded into the line become points."""
    cuts = inline_points(p.key, start)
    if not cuts:
        op.inlines = inlines(p, start)
        return
    op.inlines = strip_runs(inlines(p, start, cuts[0][0]))
    for n, (_start, e, label) in enumerate(cuts):
        end = cuts[n + 1][0] if n + 1 < len(cuts) else len(p.key)
        pt = Point(num=f"({label})", inlines=[], span=span(p), rule="folded sub-paragraph")
        sub = inline_points(p.key, e, end, roman=True)
        if sub:
            pt.inlines = strip_runs(inlines(p, e, sub[0][0]))
            for j, (_start2, e2, label2) in enumerate(sub):
                end2 = sub[j + 1][0] if j + 1 < len(sub) else end
                pt.points.append(
                    Point(
                        num=f"({label2})",
                        inlines=strip_runs(inlines(p, e2, end2)),
                        span=span(p),
                        rule="folded sub-paragraph",
                    )
                )
        else:
            pt.inlines = strip_runs(inlines(p, e, end))
        op.points.append(pt)


def inline_points(text: str, start: int, end: int | None = None, roman: bool = False) -> list[tuple[int, int, str]]:
    """Positions of folded sub-paragraph labels in ``text[start:end]``: a chain ``(a)``,
    ``(b)``, ... (or ``(i)``, ``(ii)``, ...) each after a colon, semicolon or space.  Needs at
    least two labels in sequence."""
    end = len(text) if end is None else end
    if ("(i)" if roman else "(a)") not in text[start:end]:
        return []
    labels = ROMAN if roman else LETTERS
    out: list[tuple[int, int, str]] = []
    pos = start
    for label in labels:
        m = _LABEL[label].search(text, pos, end)
        if not m:
            break
        before = text[max(start, m.start() - COLON_LOOKBACK) : m.start()].rstrip(SUPERSCRIPTS + " ")
        if not out and not before.endswith(tuple(COLON)):
            break
        out.append((m.start(), m.end(), label))
        pos = m.end()
    return out if len(out) >= 2 else []


def add_point(op: Operative, p: Piece, ctx: Context) -> bool:
    """A sub-paragraph on its own line: ``(a) …``, ``(i) …``, ``(一) …``; False when the line is
    none."""
    text = p.key
    latin = POINT_LATIN.match(text)
    roman = POINT_ROMAN.match(text)
    cn = POINT_CN.match(text)
    if not (latin or roman or cn):
        return False
    top = op.points
    last = top[-1] if top else None
    if roman and roman.group(1) and last is not None and _nested(roman.group(1), top, last):
        label = roman.group(1)
        last.points.append(
            Point(num=f"({label})", inlines=inlines(p, roman.end()), span=span(p), rule="sub-sub-paragraph")
        )
        last.span.end = p.last_line
        op.span.end = p.last_line
        return True
    m = latin or cn or roman
    assert m is not None
    label = m.group(1)
    if latin and label != letter_seq(len(top)) and not cn:
        ctx.report(
            "segment.point-sequence",
            p.first_line,
            f"sub-paragraph ({label}) follows {top[-1].num if top else 'no sub-paragraph'}",
        )
    op.points.append(
        Point(
            num=f"({label})" if not cn else m.group(0).strip(),
            inlines=inlines(p, m.end()),
            span=span(p),
            rule="sub-paragraph",
        )
    )
    op.span.end = p.last_line
    return True


def _nested(label: str, top: list[Point], last: Point) -> bool:
    """A roman label nests under the last sub-paragraph: ``(i)`` unless the letter i is due, any
    other when the last sub-paragraph already has roman sub-sub-paragraphs."""
    expected_latin = letter_seq(len(top)) if top else "a"
    return (label == "i" and expected_latin != "i") or bool(
        label != "i" and last.points and last.points[-1].num.strip("()") in ROMAN
    )
