"""The character pass and the physical lines (guarantees 1 and 4 of ``pipeline.stages.normalise``).

``physical_lines`` splits decoded text into physical lines, each run through ``char_pass``: the
character policy of ``reference/normalisation.md`` §4.1, with a map from every character back to
its source offset.  Oddities of the original that are kept (ASCII punctuation next to Chinese text,
traditional characters) are reported as ``lint.*`` diagnostics.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ...context import Context
from ..patterns import HAN, TRAD_CHAR
from ..patterns import key as pattern_key

_NARROW_NON_ASCII = re.compile(
    "[^\x00-\x7f\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """Display columns: East Asian wide and full-width characters count 2."""
    if text.isascii():
        return len(text)
    ascii_count = len(text.encode("ascii", "ignore"))
    return 2 * len(text) - ascii_count - len(_NARROW_NON_ASCII.findall(text))


# -------------------------------------------------------------------------- character pass

_DELETE = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"}
_SPACES = {"\t", "\u00a0", "\u202f", "\u205f", "\u3000", *map(chr, range(0x2000, 0x200B))}
_HALFWIDTH_CJK = {"\uff61": "。", "\uff62": "「", "\uff63": "」", "\uff64": "、"}
_FW_JOINERS = {"／": "/", "．": ".", "－": "-", "＿": "_"}
_SPECIAL = re.compile(
    "[\u0000-\u0008\u000e-\u001f\u007f\u0080-\u009f\u00a0\u00ad\t\u2000-\u200d\u202f\u205f"
    "\u2060\u3000\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff61-\uff64\u2f00-\u2fd5\ufffe\uffff／．－＿]|  "
)
# Characters that end a physical line inside a source line (counted as line breaks for layout,
# not for source line numbers).
_INNER_BREAKS = re.compile("[\u2028\u2029\u0085\u000b\u000c]")


def is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _fold(ch: str) -> str | None:
    """The replacement for one special character, '' to delete it, None to keep it."""
    if ch in _DELETE:
        return ""
    if ch in _SPACES:
        return " "
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    if ch in _HALFWIDTH_CJK:
        return _HALFWIDTH_CJK[ch]
    if 0x2F00 <= o <= 0x2FD5:
        return unicodedata.normalize("NFKC", ch)
    if o < 0x20 or 0x7F <= o <= 0x9F or o in (0xFFFE, 0xFFFF):  # not characters XML allows
        return ""
    return None


@dataclass(slots=True)
class PhysLine:
    """One physical line after the character pass.  ``src`` maps each character to its source
    offset; ``None`` means the identity from ``base`` (the fast path: nothing was changed inside).
    ``key`` is the text for structure matching (``patterns.key``)."""

    text: str
    lineno: int
    base: int
    src: list[int] | None = None
    blank_before: int = 0
    page_break: bool = False
    key: str = ""
    _width: int = -1

    def __post_init__(self) -> None:
        self.key = pattern_key(self.text)

    @property
    def width(self) -> int:
        if self._width < 0:
            self._width = display_width(self.text)
        return self._width

    def offset(self, i: int) -> int:
        if self.src is None:
            return self.base + i
        if not self.src:
            return self.base
        return self.src[min(i, len(self.src) - 1)]


def char_pass(raw: str, lineno: int = 1, base: int = 0, counts: dict | None = None) -> PhysLine:
    """Apply the character policy to one physical line (no line breaks inside)."""
    if not _SPECIAL.search(raw):
        stripped = raw.strip(" ")
        lead = len(raw) - len(raw.lstrip(" "))
        if stripped.isascii() or unicodedata.is_normalized("NFC", stripped):  # the common line
            return PhysLine(stripped, lineno, base + lead)
        text = unicodedata.normalize("NFC", stripped)
        if len(text) == len(stripped):
            return PhysLine(text, lineno, base + lead)
        raw_chars = list(stripped)
        return _rebuild(raw_chars, [base + lead + k for k in range(len(raw_chars))], lineno, base)
    out: list[str] = []
    src: list[int] = []
    for k, ch in enumerate(raw):
        rep = _fold(ch)
        if rep is None and ch in _FW_JOINERS:
            prev = raw[k - 1] if k else ""
            nxt = raw[k + 1] if k + 1 < len(raw) else ""
            prev = (_fold(prev) or prev) if prev else ""
            nxt = (_fold(nxt) or nxt) if nxt else ""
            if is_ascii_alnum(prev) and is_ascii_alnum(nxt):
                rep = _FW_JOINERS[ch]
        if counts is not None and rep is not None and rep != " ":
            kind = (
                "invisible"
                if ch in _DELETE
                else "fullwidth"
                if rep.isascii() and rep
                else "kangxi"
                if 0x2F00 <= ord(ch) <= 0x2FD5
                else "control"
                if rep == ""
                else None
            )
            if kind:
                counts.setdefault(kind, lineno)
        if rep is None:
            rep = ch
        for r in rep:
            if r == " " and (not out or out[-1] == " "):
                continue
            out.append(r)
            src.append(base + k)
    while out and out[-1] == " ":
        out.pop()
        src.pop()
    return _rebuild(out, src, lineno, base)


def _rebuild(chars: list[str], src: list[int], lineno: int, base: int) -> PhysLine:
    text = "".join(chars)
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:  # map each composed character to the first source character of its cluster
        new_src: list[int] = []
        k = 0
        for ch in nfc:
            new_src.append(src[k] if k < len(src) else (src[-1] if src else base))
            k += len(unicodedata.normalize("NFD", ch)) if ch != text[k : k + 1] else 1
        text, src = nfc, new_src
    return PhysLine(text, lineno, base, src)


def _source_lines(text: str) -> Iterator[tuple[str, int]]:
    """``(line, offset)`` for each source line, split at LF, CRLF and CR (no empty tail after a
    final line break)."""
    if "\r" not in text:
        pos = 0
        parts = text.split("\n")
        if len(parts) > 1 and parts[-1] == "":
            parts.pop()
        for raw in parts:
            yield raw, pos
            pos += len(raw) + 1
        return
    for m in re.finditer(r"([^\r\n]*)(\r\n|\r|\n|$)", text):
        if not m.group(1) and not m.group(2) and m.start() == len(text) and m.start() > 0:
            break
        yield m.group(1), m.start(1)
        if not m.group(2):
            break


def physical_lines(text: str, ctx: Context | None = None) -> list[PhysLine]:
    """Split decoded text into physical lines and run the character pass on each.  Source lines are
    counted at LF, CRLF and CR only; U+2028, U+2029, NEL, VT and FF split a source line into
    several physical lines (FF also marks a page break).  Empty lines are not returned; each line
    records how many blank lines came before it."""
    counts: dict[str, int] = {}
    inner = bool(_INNER_BREAKS.search(text))
    lines = _lf_lines(text, counts) if not inner and "\r" not in text else _any_lines(text, inner, counts)
    if ctx is not None:
        for kind, first in counts.items():
            ctx.report(f"normalise.{kind}", first)
        _lint(lines, ctx)
    return lines


def _any_lines(text: str, inner: bool, counts: dict[str, int]) -> list[PhysLine]:
    """``physical_lines`` for any text: LF, CRLF or CR line ends, inner breaks."""
    lines: list[PhysLine] = []
    blank = 0
    page_break = False
    for lineno, (raw, start) in enumerate(_source_lines(text), 1):
        parts = [(raw, start)]
        if inner and _INNER_BREAKS.search(raw):
            parts = []
            pos = 0
            for b in _INNER_BREAKS.finditer(raw):
                parts.append((raw[pos : b.start()], start + pos))
                if b.group() == "\f":
                    page_break = True
                pos = b.end()
            parts.append((raw[pos:], start + pos))
        for part, off in parts:
            if _blank(part):
                blank += 1
                continue
            line = char_pass(part, lineno, off, counts)
            if not line.text:
                blank += 1
                continue
            line.blank_before = blank
            line.page_break = page_break
            blank = 0
            page_break = False
            lines.append(line)
    return lines


def _lf_lines(text: str, counts: dict[str, int]) -> list[PhysLine]:
    """``physical_lines`` for the common text: lines end with LF only and nothing splits a line
    (no generator, no pair a line: this runs for every line of every document)."""
    lines: list[PhysLine] = []
    blank = 0
    pos = 0
    parts = text.split("\n")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    lineno = 0
    for raw in parts:
        lineno += 1
        start = pos
        pos += len(raw) + 1
        if _blank(raw):
            blank += 1
            continue
        line = char_pass(raw, lineno, start, counts)
        if not line.text:
            blank += 1
            continue
        line.blank_before = blank
        blank = 0
        lines.append(line)
    return lines


def _blank(part: str) -> bool:
    """Empty, or white space none of which the character pass handles (a line of tabs or
    zero-width characters goes through it, to be counted and reported)."""
    return not part or part.isspace() and not _SPECIAL.search(part.replace(" ", ""))


# ASCII punctuation after or before (a space between) a Chinese character; the match starts at the
# punctuation, which lets the engine skip quickly to candidates
_ASCII_PUNCT_NEAR_HAN = re.compile(f"[,;:?!](?: ?[{HAN}]|(?<=[{HAN}][,;:?!]))")


def _lint(lines: list[PhysLine], ctx: Context) -> None:
    """Oddities of the original that are kept as found, reported once each with the first line.
    The lines are searched as one text (a line break matches neither pattern)."""
    text = "\n".join(line.text for line in lines)
    for pattern, code, message in (
        (
            _ASCII_PUNCT_NEAR_HAN,
            "lint.ascii-punctuation",
            "ASCII punctuation next to Chinese text, kept as found (first on this line)",
        ),
        (TRAD_CHAR, "lint.traditional", "traditional Chinese characters, kept as found (first on this line)"),
    ):
        m = pattern.search(text)
        if m:
            ctx.report(code, lines[text.count("\n", 0, m.start())].lineno, message)
