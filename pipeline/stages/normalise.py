"""Stage 1, ``normalise``: decoded text -> logical lines with a map back to the source.

Assumes: the input is a ``str`` (decoding happened at the edge, in ``pipeline.decode``).

Guarantees, after this stage:

1. No BOM, CR, zero-width characters, soft hyphens, control characters or the non-characters
   U+FFFE and U+FFFF (which XML does not allow); TAB, NBSP, U+3000 and
   the other space-like characters are U+0020; runs of spaces are one space; no line starts or ends
   with a space.  Full-width ASCII letters and digits (and ``／．－＿`` between them) are ASCII;
   half-width ideographic marks ``｡｢｣､`` are full-width; Kangxi radicals are unified ideographs;
   the text is NFC.  Full-width Chinese punctuation, ASCII ``( ) [ ]``, curly quotes, ``**`` and
   superscript footnote markers are kept exactly as found (``reference/normalisation.md`` §4.1).
2. Lines are grouped into *pieces*, one per block of the document: physical lines broken by
   hard-wrapping (a blank line after every printed line, as in the CD statement) or by a wrapped
   heading are rejoined.  Han+Han joins with nothing, Han+ASCII alphanumeric with one space
   (§4.2), so no character is invented or dropped.
3. Footnote bodies (``¹ text``) are pieces of kind ``footnote``, wherever they stand; a paragraph
   interrupted by a page-bottom footnote block is still one piece; a marker printed alone on a
   line goes with the text it cites (already cited: it starts its note).  Page debris lines (running
   headers, page numbers, job numbers, barcodes) are removed and listed in ``removed``.
4. Every character of every piece maps back to a source offset; ``Normalised.position`` turns a
   piece offset into a 1-based ``(line, column)`` of the input.

Example (hard-wrapped, sample 004)::

    "3. 这些决议还请秘书长就……关于核武器的全\\n\\n面公约的内容，……提出报告。 "

becomes the single piece ``"3. 这些决议还请秘书长就……关于核武器的全面公约的内容，……提出报告。"``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from ..context import Context
from ..model import Removal
from .patterns import (
    FOOTNOTE_LINE,
    FORMULA,
    HAN,
    HAN_CHAR,
    PARA_NUM,
    POINT,
    SUP_RUN,
    SUP_TO_DIGIT,
    SUPERSCRIPTS,
    TRAD_CHAR,
    block_closed,
    block_opener,
    debris_reason,
)
from .patterns import (
    key as pattern_key,
)

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


def _is_ascii_alnum(ch: str) -> bool:
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
            if _is_ascii_alnum(prev) and _is_ascii_alnum(nxt):
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


def _source_lines(text: str):
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


# -------------------------------------------------------------------------- layout and joining

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


@dataclass
class Layout:
    wrapped: bool
    width: int = 0
    """The wrap width in display columns (wrapped layout only): the commonest width of long lines."""
    gap: int = 1
    """Blank lines usually found between two physical lines of the body."""

    def fullness(self, line: PhysLine) -> str:
        """``full`` (within 3 columns of the wrap width), ``near`` (within 10) or ``short``."""
        if not self.wrapped:
            return "short"
        w = line.width
        return "full" if w >= self.width - 3 else "near" if w >= self.width - 10 else "short"


def detect_layout(lines: list[PhysLine], forced: str | None = None) -> Layout:
    """Hard-wrapped text has many lines clustered just under a small maximum width (sample 004:
    40 of 54 lines at 66-74 columns); one-paragraph-per-line text has long lines of every width."""
    body = [ln for ln in lines if not FOOTNOTE_LINE.match(ln.text)]
    widths = sorted(ln.width for ln in body)
    gaps = sorted(ln.blank_before for ln in body[1:]) or [1]
    gap = gaps[len(gaps) // 2]
    if forced == "lines" or not widths:
        return Layout(False, gap=gap)
    top = widths[int(len(widths) * 0.9) - 1] if len(widths) >= 10 else widths[-1]
    near = sum(1 for w in widths if top - 10 <= w <= top + 4)
    wrapped = forced == "wrapped" or (
        len(widths) >= 10
        and 50 <= top <= 130
        and near >= 0.35 * len(widths)
        and sum(1 for w in widths if w > top + 20) <= 0.05 * len(widths)
    )
    if not wrapped:
        # a short document: too few lines for the width statistics, but its lines break
        # mid-sentence across blank lines, which one-paragraph-per-line text never does
        # (several such breaks, or one when no line is longer than it: a wrapped page)
        breaks, in_body = _open_breaks(body)
        if (
            breaks
            and max(breaks) >= 50
            and ((len(breaks) >= 3 and len(breaks) >= 0.2 * len(body)) or (in_body and widths[-1] <= max(breaks) + 6))
        ):
            return Layout(True, max(set(breaks), key=lambda w: (breaks.count(w), w)), gap)
        return Layout(False, gap=gap)
    long = [w for w in widths if w >= 0.8 * top]
    width = max(set(long), key=lambda w: (long.count(w), w))
    return Layout(True, width, gap)


def _open_breaks(body: list[PhysLine]) -> tuple[list[int], bool]:
    """Widths of lines that end mid-sentence and are continued after a blank line, and whether
    one of them comes after the formula or a numbered paragraph (not a heading of the preface)."""
    out = []
    started = in_body = False
    for prev, nxt in pairwise(body):
        if not started:
            key = prev.key
            started = bool(FORMULA.match(key) or PARA_NUM.match(key))
        if not nxt.blank_before or prev.text[-1] in _END_PUNCT:  # the common case, cheaply
            continue
        end = prev.text.rstrip(SUPERSCRIPTS + " ")[-1:]
        if end not in _END_PUNCT and prev.width >= 30 and not block_closed(prev.key) and not block_opener(nxt.key):
            out.append(prev.width)
            in_body = in_body or started
    return out, in_body


# How a preambular or operative paragraph opens: with these, a line after a clause-final line that
# is nearly full starts a new block rather than continuing the last one.
PARAGRAPH_START = re.compile(
    r"^(?:\*\*|(?:又|还|也|并且|再次|进一步|同样)?"
    r"(?:深表|深为|深切|深感|极感|极为|严重|强烈|坚决|着重|重点|特别|[\u4e00-\u9fff]{1,4}地)?"
    r"(?:回顾|重申|认识到|注意到|欢迎|关切|强调|确认|申明|铭记|考虑到|决心|意识到|承认|遵循|表示|深信|欣见|赞赏|"
    r"念及|重视|感到|痛惜|谴责|震惊|相信|指出|吁请|促请|敦促|请|决定|鼓励|邀请|支持|赞扬|呼吁|深感|满意|注意|"
    r"肯定|坚信|深知|希望|确信|知悉|感谢|祝贺|牢记|期待|忆及|获悉|审议了|审查了|收到|认为|宣布|关注|警告|坚持|尊重|认可|承诺|重温))"
)


_END_PUNCT = "。；：！？，;:!?,."
_MARKER_END = SUPERSCRIPTS + " "
_CJK_PUNCT = re.compile("[\u3000-\u303f\uff00-\uffef“”‘’《》〈〉「」『』【】〔〕]")


def glue(left: str, right: str) -> str:
    """What to put between two physical lines that are joined (normalisation.md §4.2)."""
    a, b = left[-1], right[0]
    if a in "/-" or _CJK_PUNCT.match(a) or _CJK_PUNCT.match(b):
        return ""
    if a in ")]" and not _is_ascii_alnum(b):
        return ""
    a_ascii = _is_ascii_alnum(a) or a in ",.;:" or a in SUPERSCRIPTS
    b_ascii = _is_ascii_alnum(b)
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
    page_break_after: bool = False
    key: str = field(default="", repr=False, compare=False)
    """The text for structure matching: traditional pattern characters simplified and
    ``．（）［］`` as ASCII, character for character (offsets are the text's); kept up to date
    by ``add``, the only way text is added."""

    def __post_init__(self) -> None:
        self.key = pattern_key(self.text)

    def add(self, line: PhysLine, sep: str = "") -> None:
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
        if "_starts" not in self.__dict__:
            self.__dict__["_starts"] = line_starts(self.source)
        return self.__dict__["_starts"]


def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def join(lines: list[PhysLine], layout: Layout, ctx: Context | None = None) -> tuple[list[Piece], list[Removal]]:
    """Group physical lines into pieces (guarantees 2 and 3 of the module docstring)."""
    pieces: list[Piece] = []
    removed: list[Removal] = []
    body: Piece | None = None  # the body piece that may still continue
    note: Piece | None = None  # the footnote piece that may still continue
    last: Piece | None = None  # the piece the previous line went to
    page_break = False
    numbered = False  # the numbered paragraphs have started
    crossed = False  # a page break or footnote block since the body piece's last line
    formula_seen = False
    points = False  # a sub-paragraph has opened a block
    cited: set[str] = set()  # footnote markers cited in the body so far
    for line in lines:
        text = line.text
        key = line.key
        reason = debris_reason(key)
        if reason:
            removed.append(Removal(line=line.lineno, text=text, reason=reason))
            if ctx is not None:
                ctx.report("debris.removed", line.lineno, f"removed page debris ({reason}): {text}")
            page_break = True
            continue
        brk = page_break or line.page_break or line.blank_before > layout.gap + 1
        page_break = False
        if brk and last is not None:
            last.page_break_after = True
        opener = block_opener(key)
        if FORMULA.match(key):
            # the enacting formula opens a block; a later line of the same shape is a wrapped
            # line's end (``…大会高级别会议，``) unless a short line (a part's title) came before
            if formula_seen and body is not None and layout.fullness(body.segments[-1][1]) != "short":
                opener = False
            formula_seen = True
        elif opener and POINT.match(key):
            # sub-paragraphs exist in the operative part, or after an introduction ending in a
            # colon; ``(b)`` at the start of a wrapped line of a preambular paragraph opens nothing
            if numbered or points or (body is not None and body.text.rstrip(SUPERSCRIPTS + " ")[-1:] in "：:"):
                points = True
            else:
                opener = False
        bare = SUP_RUN.fullmatch(text) is not None
        marker = text.translate(SUP_TO_DIGIT) if bare else ""
        if bare and body is not None and marker not in cited:
            # a marker alone on a line: wrapped after the text it cites (a body always follows its
            # citation); a marker already cited starts a note whose text is on the next line
            cited.add(marker)
            body.add(line, glue(body.text, text))
            last = body
            continue
        m = FOOTNOTE_LINE.match(text)
        if (
            m
            and layout.wrapped
            and body is not None
            and last is body
            and not brk
            and m.group(1).translate(SUP_TO_DIGIT) not in cited
            and layout.fullness(body.segments[-1][1]) != "short"
        ):
            # a wrapped line that begins with a marker: the citation of a note not yet cited,
            # right after a full line, continues the paragraph (a body always follows its citation)
            m = None
            opener = False
        if m or bare:
            note = Piece("footnote")
            note.add(line)
            pieces.append(note)
            last = note
            continue
        if (
            note is not None
            and last is note
            and not opener
            and (SUP_RUN.fullmatch(note.text) or not brk and _continues(note, line, layout))
        ):
            note.add(line, glue(note.text, text))
            continue
        note = None
        if SUP_RUN.search(text):
            cited.update(s.translate(SUP_TO_DIGIT) for s in SUP_RUN.findall(text))
        if not numbered and (m := PARA_NUM.match(key)) and m.group(1) == "1":
            numbered = True
        if brk or last is not body:
            crossed = True
        if (
            body is not None
            and not opener
            and _continues(body, line, layout, last is body, not numbered, crossed, formula_seen)
        ):
            body.add(line, glue(body.text, text))
            last = body
            crossed = False
            continue
        body = Piece("body")
        body.add(line)
        pieces.append(body)
        last = body
        crossed = False
    return pieces, removed


def _continues(
    piece: Piece,
    line: PhysLine,
    layout: Layout,
    adjacent: bool = True,
    preamble: bool = False,
    crossed: bool = False,
    in_body: bool = False,
) -> bool:
    """Does ``line`` continue ``piece``?  Wrapped layout: when the piece's last physical line is
    full, even across blank lines, a page break or a footnote block; a line that ends a clause
    (``，；。：``) does not continue into a line that opens like a preambular paragraph (before the
    numbered paragraphs start), nor a nearly full one into a line that opens like any paragraph.
    Paragraph-per-line layout: an adjacent line (no blank between) after a line that does not end
    a sentence or clause; after the formula (``in_body``) also the next line after blank lines, a
    page break, debris or a footnote block (``crossed``) when a long block stopped mid-sentence."""
    prev = piece.segments[-1][1]
    if len(piece.segments) > 1 and SUP_RUN.fullmatch(prev.text):
        prev = piece.segments[-2][1]  # a marker wrapped alone: the line it ends decides
    end = prev.text.rstrip(_MARKER_END)[-1:]  # a marker may follow the punctuation
    if not layout.wrapped and end in _END_PUNCT:  # the common case, decided before the pattern
        return False
    if block_closed(prev.key):
        return False
    if layout.wrapped:
        fullness = layout.fullness(prev)
        if (
            (end in "，," and (fullness == "near" or preamble)) or (end in "；;" and fullness == "near")
        ) and PARAGRAPH_START.match(line.key):
            return False
        return fullness != "short"
    if end in _END_PUNCT:
        return False
    # adjacent lines (a wrapped heading), or a paragraph that crossed a page (page break, debris
    # or a footnote block between its two halves)
    if adjacent and line.blank_before == 0:
        return True
    # after the formula, a long line that stops mid-sentence continues past blank lines, a page
    # break, debris or a footnote block: body paragraphs end with punctuation
    return in_body and len(piece.text) > 30 and (crossed or prev.width >= 50)


def normalise(text: str, ctx: Context) -> Normalised:
    """The stage: decoded text -> ``Normalised`` (pieces, layout, source map, removals)."""
    lines = physical_lines(text, ctx)
    layout = detect_layout(lines, ctx.options.layout)
    if layout.wrapped:
        ctx.report(
            "normalise.wrapped",
            lines[0].lineno if lines else 0,
            f"the text is hard-wrapped at about {layout.width} columns; lines were rejoined",
        )
    pieces, removed = join(lines, layout, ctx)
    return Normalised(pieces, layout, text, removed)
