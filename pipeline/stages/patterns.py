"""Regular expressions shared by the stages: what opens a block, what a footnote line and page debris
look like.  Patterns accept both punctuation styles (full-width ``，：（）`` and ASCII ``,:()``), with or
without spaces between Chinese and digits, because extraction paths differ."""

from __future__ import annotations

import re

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
    """The text for structure matching (see ``normalise.Piece.key``); fast when nothing maps."""
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


def _any(*patterns_: re.Pattern) -> re.Pattern:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns_))


ADOPTION_LINE = re.compile(f"^.{{0,12}}\\d{{4}}{S}年{S}\\d{{1,2}}{S}月{S}\\d{{1,2}}{S}日.{{0,16}}(?:决议|决定|通过)$")
BRACKETED = re.compile(r"^[\[［].*[\]］]$")
"""A whole line in brackets: how a committee report or a vote is recorded (``[未经表决获得通过]``)."""
_CLOSED = _any(SESSION, AGENDA, FORMULA, DATE_ONLY, MEETING, ANNEX, BRACKETED)
_OPENER = _any(
    FOOTNOTE_LINE,
    PARA_NUM,
    RES_NUMBER,
    POINT_LATIN,
    POINT_ROMAN,
    POINT_CN,
    HEADING_CN,
    DATE_ONLY,
    MEETING,
    VOTE_OPEN,
    VOTE_WORDS,
    ANNEX,
    FORMULA,
    SESSION,
    AGENDA,
    ADOPTION_LINE,
)


def block_closed(text: str) -> bool:
    """True for a line that is complete by its form and never continued by the next line
    (session, agenda item, formula, date, meeting, an annex heading, a line in brackets)."""
    return _CLOSED.match(text) is not None


def block_opener(text: str) -> bool:
    """True when a physical line starts a new block whatever the layout: it is never glued to the
    line before it.  Paragraph numbers are candidates only; the segmenter checks their sequence."""
    return _OPENER.match(text) is not None


# Page debris of extracted UN PDFs: running headers with the symbol, page numbers, job numbers,
# barcodes, distribution lines, the masthead's English lines.
_SYMBOL = r"(?:A|S|E|[A-Z]{2,}(?:/[A-Z]+)?)(?:/[A-Z0-9.\-]+)+(?:/Rev\.\d+|/Corr\.\d+|/Add\.\d+)*(?: \(\d{4}\))?"
DEBRIS = [
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


_DEBRIS = re.compile("|".join(f"(?P<d{k}>{p.pattern})" for k, (_, p) in enumerate(DEBRIS)))


def debris_reason(text: str) -> str | None:
    m = _DEBRIS.match(text)
    return DEBRIS[int(m.lastgroup[1:])][0] if m else None
