"""Inline content: ``**bold**`` runs and superscript footnote markers -> ``Text`` / ``NoteRef`` runs."""

from __future__ import annotations

import re

from ..model import Inline, NoteRef, Text
from .normalise import Piece
from .patterns import HAN_CHAR, SUP_TO_DIGIT, SUPERSCRIPTS

_PLAIN = re.compile(r"[^*" + SUPERSCRIPTS + r"]*")
_TOKENS = re.compile(r"\*\*|[" + SUPERSCRIPTS + r"]+ ?")


def inlines(piece: Piece, start: int = 0, end: int | None = None) -> list[Inline]:
    """Runs for ``piece.text[start:end]``.  A marker consumes one following space (``》¹ 第六条``
    reads ``》第六条`` with a note).  An unpaired ``**`` is kept as text."""
    text = piece.text
    end = len(text) if end is None else end
    if _PLAIN.fullmatch(text, start, end):
        return [Text(text=text[start:end])] if end > start else []
    pairs = _bold_pairs(text, start, end)
    parts: list = []  # (text, bold) and NoteRef, neighbouring texts of one weight merged at the end
    bold = False
    pos = start
    for m in _TOKENS.finditer(text, start, end):
        token = m.group()
        if token == "**":
            if m.start() not in pairs:
                continue
            if m.start() > pos:
                parts.append((text[pos : m.start()], bold))
            bold = not bold
            pos = m.end()
        else:
            if m.start() > pos:
                parts.append((text[pos : m.start()], bold))
            marker = token.rstrip(" ").translate(SUP_TO_DIGIT)
            parts.append(NoteRef(marker=marker, line=piece.line_at(m.start())))
            pos = m.end()
            # the space after a marker goes with it (``》¹ 第六条`` reads ``》第六条``), unless it
            # was the only one there, or it is the space UN style puts between Chinese and ASCII
            # letters or digits (``A/76/10¹ 和`` reads ``A/76/10 和``)
            if token[-1] == " " and _keeps_space(text, m.start(), m.end(), start):
                pos -= 1
    if end > pos:
        parts.append((text[pos:end], bold))
    out: list[Inline] = []
    run_text, run_bold = None, False
    for part in parts:
        if part.__class__ is tuple:
            if run_text is not None and part[1] == run_bold:
                run_text += part[0]
                continue
            if run_text is not None:
                out.append(Text(text=run_text, bold=run_bold))
            run_text, run_bold = part
        else:
            if run_text is not None:
                out.append(Text(text=run_text, bold=run_bold))
                run_text = None
            out.append(part)
    if run_text is not None:
        out.append(Text(text=run_text, bold=run_bold))
    return out


def _keeps_space(text: str, marker_start: int, marker_end: int, start: int) -> bool:
    if marker_start == start or marker_end >= len(text):
        return True
    before, after = text[marker_start - 1], text[marker_end]
    if before == " ":
        return True
    ascii_before, ascii_after = before.isascii() and before.isalnum(), after.isascii() and after.isalnum()
    han_before, han_after = bool(HAN_CHAR.match(before)), bool(HAN_CHAR.match(after))
    return (ascii_before and han_after) or (han_before and ascii_after)


def _bold_pairs(text: str, start: int, end: int) -> set[int]:
    """Offsets of the ``**`` that pair up (left to right, without overlapping)."""
    found = []
    k = text.find("**", start, end)
    while k >= 0:
        found.append(k)
        k = text.find("**", k + 2, end)
    if len(found) % 2:
        found.pop()
    return set(found)


def _text(out: list[Inline], s: str, bold: bool) -> None:
    if not s:
        return
    if out and isinstance(out[-1], Text) and out[-1].bold == bold:
        out[-1].text += s
    else:
        out.append(Text(text=s, bold=bold))


def join_runs(first: list[Inline], second: list[Inline], sep: str = "") -> list[Inline]:
    """``first`` then ``second`` (with ``sep`` between), neighbouring text runs of one weight merged."""
    out = [r.model_copy() for r in first]
    for run in ([Text(text=sep)] if sep else []) + second:
        if isinstance(run, Text):
            _text(out, run.text, run.bold)
        else:
            out.append(run)
    return out


def strip_runs(runs: list[Inline]) -> list[Inline]:
    """Drop leading and trailing spaces of a run list (the separator before a sub-paragraph)."""
    runs = [r.model_copy() for r in runs]
    while runs and isinstance(runs[0], Text) and not runs[0].text.strip():
        runs.pop(0)
    while runs and isinstance(runs[-1], Text) and not runs[-1].text.strip():
        runs.pop()
    if runs and isinstance(runs[0], Text):
        runs[0].text = runs[0].text.lstrip(" ")
    if runs and isinstance(runs[-1], Text):
        runs[-1].text = runs[-1].text.rstrip(" ")
    return runs
