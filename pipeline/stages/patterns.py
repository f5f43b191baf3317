"""Regular expressions shared by the stages: what opens a block, what a footnote line and page debris
look like.  Patterns accept both punctuation styles (full-width ``，：（）`` and ASCII ``,:()``), with or
without spaces between Chinese and digits, because extraction paths differ."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..bodies import MASTHEAD_NAMES, NAMES

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
SUP_RUN = re.compile(f"[{SUPERSCRIPTS}]+")

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# Traditional forms of the characters the patterns use (text from other extraction paths, or
# documents typeset in traditional characters).  Structure detection runs on ``key(text)``, which
# also reads full-width ``．（）［］`` as ASCII, character for character; the text itself is never
# converted.
_SIMP = "为书严两关军决动励发号吁员国坚声会体对届审弃强忆惊扬报据欢满点确约经续联获虑见视认议记识请读调谈谢谴责贺赏赞过还这进铭长际项顾紧条极样权济别内后门于录义务称设该让诉论问题则们"
_TRAD = "為書嚴兩關軍決動勵發號籲員國堅聲會體對屆審棄強憶驚揚報據歡滿點確約經續聯獲慮見視認議記識請讀調談謝譴責賀賞贊過還這進銘長際項顧緊條極樣權濟別內後門於錄義務稱設該讓訴論問題則們"
KEY = str.maketrans(_TRAD + "．（）［］", _SIMP + ".()[]")
_KEY_CHARS = re.compile("[" + _TRAD + "．（）［］]")
TRAD_CHAR = re.compile("[" + _TRAD + "]")


def key(text: str) -> str:
    """The text for structure matching (see ``normalise.pieces.Piece.key``); fast when nothing maps."""
    return text.translate(KEY) if _KEY_CHARS.search(text) else text


HAN_CHAR = re.compile(f"[{HAN}]")
CN_NUM = "〇零一二三四五六七八九十百两"

S = r"[ ]?"  # an optional space, as extraction paths differ

# A footnote body line: a superscript marker run (all of it: ``¹¹`` alone is not note 1 reading
# ``¹``), then (usually) a space, then the text.
FOOTNOTE_LINE = re.compile(f"^([{SUPERSCRIPTS}]+)(?![{SUPERSCRIPTS}]) ?(?=\\S)")

PARA_NUM = re.compile(r"^(\d{1,3})\.(?:[ ]|(?=\*\*)|(?=[" + HAN + r"《“]))")
NUMBER_TITLE = re.compile(r"^((?:S-)?\d{1,4}/\d{1,4}(?:[ ]?[A-Z])?)\.[ ]?(.*)$")
"""A resolution or decision number and its title: ``76/53. 国际法院……的后续行动``."""
RES_NUMBER = re.compile(r"^(?:(?:[A-Z]+-)?\d{1,4}/\d{1,4}[A-Z]?|S-\d+/\d+)\.[ ]?")
POINT_LATIN = re.compile(r"^\(([a-z]{1,2})\)[ ]?")
POINT_ROMAN = re.compile(r"^\(((?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))\)[ ]?")
POINT_CN = re.compile(f"^[（(]([{CN_NUM}]+)[）)][ ]?")
POINT = re.compile(r"^(?:\([a-z]{1,4}\)|[（(][" + CN_NUM + r"]+[）)])")
HEADING_CN = re.compile(f"^([{CN_NUM}]+)、")
HEADING_LATIN = re.compile(r"^([A-Z])\.[ ]?(?=\S)")
DATE_ONLY = re.compile(f"^\\d{{4}}{S}年{S}\\d{{1,2}}{S}月{S}\\d{{1,2}}{S}日$")
MEETING = re.compile(f"^第{S}\\d+{S}次(?:全体)?会议$")
VOTE_OPEN = re.compile(r"^[\[［]")
VOTE_WORDS = re.compile(r"^(?:赞成|反对|弃权)[：:]")
ANNEX = re.compile(r"^附件[一二三四五六七八九十\dA-Z ]*$")

DATE = re.compile(f"(\\d{{4}}){S}年{S}(\\d{{1,2}}){S}月{S}(\\d{{1,2}}){S}日")


FORMULA = re.compile(
    r"^(?:\*\*)?(" + NAMES + r"|(?:(?!的)[" + HAN + r"]){2,8}(?:理事会|委员会|大会|会议))(?:\*\*)?[，,](?:\*\*)?$"
)
SESSION = re.compile(f"^第{S}([{CN_NUM}]+|\\d+){S}届(?:特别|紧急特别)?会议(?:续会)?$")
AGENDA = re.compile(f"^议程项目{S}(.+)$")


class LineRules:
    """An ordered table of named line patterns (``(name, pattern)`` rows).  ``first(text)`` names
    the first row whose pattern matches at the start of ``text``; one regular expression is
    matched for the whole table.  A test (or the next rule set) takes rows out with ``without``."""

    def __init__(self, rows: list[tuple[str, re.Pattern[str]]]):
        self.rows = rows
        self._any = re.compile("|".join(f"(?P<r{k}>{p.pattern})" for k, (_, p) in enumerate(rows)))

    def __iter__(self) -> Iterator[tuple[str, re.Pattern[str]]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def first(self, text: str) -> str | None:
        m = self._any.match(text)
        return self.rows[int(m.lastgroup[1:])][0] if m and m.lastgroup else None

    def matches(self, text: str) -> bool:
        return self._any.match(text) is not None

    def without(self, *names: str) -> LineRules:
        return LineRules([(n, p) for n, p in self.rows if n not in names])


ADOPTION_LINE = re.compile(f"^.{{0,12}}\\d{{4}}{S}年{S}\\d{{1,2}}{S}月{S}\\d{{1,2}}{S}日.{{0,16}}(?:决议|决定|通过)$")
BRACKETED = re.compile(r"^[\[［].*[\]］]$")
"""A whole line in brackets: how a committee report or a vote is recorded (``[未经表决获得通过]``)."""

CLOSED = LineRules(
    [
        ("session", SESSION),
        ("agenda item", AGENDA),
        ("formula", FORMULA),
        ("date", DATE_ONLY),
        ("meeting", MEETING),
        ("annex heading", ANNEX),
        ("bracketed line", BRACKETED),
    ]
)
"""Lines complete by their form: never continued by the next line."""

OPENERS = LineRules(
    [
        ("footnote body", FOOTNOTE_LINE),
        ("paragraph number", PARA_NUM),
        ("resolution number", RES_NUMBER),
        ("sub-paragraph (a)", POINT_LATIN),
        ("sub-paragraph (i)", POINT_ROMAN),
        ("sub-paragraph (一)", POINT_CN),
        ("heading 一、", HEADING_CN),
        ("date", DATE_ONLY),
        ("meeting", MEETING),
        ("bracket", VOTE_OPEN),
        ("vote list", VOTE_WORDS),
        ("annex heading", ANNEX),
        ("formula", FORMULA),
        ("session", SESSION),
        ("agenda item", AGENDA),
        ("adoption line", ADOPTION_LINE),
    ]
)
"""Lines that open a new block whatever the layout: never glued to the line before (paragraph
numbers are candidates only; the segmenter checks their sequence).  ``normalise`` overrides two
rows: a second formula-shaped line after a full line, and a sub-paragraph label before the
operative part."""


def block_closed(text: str) -> bool:
    """True for a line that is complete by its form and never continued by the next line."""
    return CLOSED.matches(text)


def block_opener(text: str) -> bool:
    """True when a physical line starts a new block whatever the layout (``OPENERS``)."""
    return OPENERS.matches(text)


PARAGRAPH_START = re.compile(
    r"^(?:\*\*|(?:又|还|也|并且|再次|进一步|同样)?"
    r"(?:深表|深为|深切|深感|极感|极为|严重|强烈|坚决|着重|重点|特别|[\u4e00-\u9fff]{1,4}地)?"
    r"(?:回顾|重申|认识到|注意到|欢迎|关切|强调|确认|申明|铭记|考虑到|决心|意识到|承认|遵循|表示|深信|欣见|赞赏|"
    r"念及|重视|感到|痛惜|谴责|震惊|相信|指出|吁请|促请|敦促|请|决定|鼓励|邀请|支持|赞扬|呼吁|深感|满意|注意|"
    r"肯定|坚信|深知|希望|确信|知悉|感谢|祝贺|牢记|期待|忆及|获悉|审议了|审查了|收到|认为|宣布|关注|警告|坚持|尊重|认可|承诺|重温))"
)
"""How a preambular or operative paragraph opens (a bold verb, or one of the verbs UN resolutions
open their paragraphs with): after a clause-final line that is nearly full, such a line starts a
new block rather than continuing the last one."""

# Punctuation, by what it says about where a line or a block ends.
CLAUSE_END = "。；：！？，;:!?,."
"""Ends a clause or a sentence: a line of the one-paragraph-per-line layout ending with one is
complete."""
BLOCK_PUNCT = "。；，：.;,:"
"""Ends a sentence or a clause: a block ending otherwise is a heading, a title or a signature."""
ITEM_END = "。；;."
"""Ends a sentence or a list item: what comes before a heading."""
NOTE_END = "。.;；)）]】"
"""Ends a footnote body: one ending otherwise may continue on the next page."""
CN_CLAUSE_END = "。；，"
"""Chinese full stop, semicolon and comma: a line ending with one is not a heading or a title."""
CN_SENTENCE_END = "。；"
"""Chinese full stop and semicolon: a line ending with one is a paragraph of a letter, not its
title or address."""
COLON = "：:"
"""Introduces sub-paragraphs."""
COMMA = "，,"
SEMICOLON = "；;"


# Page debris of extracted UN PDFs: running headers with the symbol, page numbers, job numbers,
# barcodes, distribution lines, the masthead's English lines.
_SYMBOL = r"(?:A|S|E|[A-Z]{2,}(?:/[A-Z]+)?)(?:/[A-Z0-9.\-]+)+(?:/Rev\.\d+|/Corr\.\d+|/Add\.\d+)*(?: \(\d{4}\))?"
DEBRIS = LineRules(
    [
        ("running header", re.compile(rf"^(?:\*\*)?{_SYMBOL}(?:\*\*)?$")),
        ("page number", re.compile(r"^\d{1,3}/\d{1,3}$")),
        ("page number and job number", re.compile(r"^\d{1,3}/\d{1,3}\s+(?:GE\.)?\d{2}-\d{5}")),
        ("job number", re.compile(r"^(?:GE\.)?\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}(?:\s+\d{1,3}/\d{1,3})?$")),
        ("barcode", re.compile(r"^\*\d{5,}\*(?:\s*(?:请回收|♲))*$")),
        ("recycle mark", re.compile(r"^(?:请回收|♲)(?:\s*(?:请回收|♲))*$")),
        (
            "distribution line",
            re.compile(rf"^(?:(?:{MASTHEAD_NAMES})\s+)?Distr\.?:\s*\w+"),
        ),
        (
            "masthead",
            re.compile(
                rf"^(?:联合国|{MASTHEAD_NAMES})\s+"
                rf"(?:\*\*)?{_SYMBOL}(?:\*\*)?$"
            ),
        ),
        ("language line", re.compile(r"^(?:Chinese|Original:\s*\w+)$")),
        (
            "issue date",
            re.compile(
                r"^\d{1,2} (?:January|February|March|April|May|June|July|August|"
                r"September|October|November|December) \d{4}$"
            ),
        ),
    ]
)


def debris_reason(text: str) -> str | None:
    """The name of the ``DEBRIS`` row a line matches: why it is removed."""
    return DEBRIS.first(text)
