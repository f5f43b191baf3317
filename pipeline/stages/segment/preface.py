"""The preface: the lines before the formula (or before the text of a statement), each given a
role by the first row of ``PREFACE`` whose pattern matches, which also reads the metadata it
states.

    session                 第七十六届会议                       session 76
    agenda item             议程项目 15 和 116                    agenda items 15, 116
    SC resolution number    第 2625 (2022) 号决议                 number 2625 (2022), body un-sc
    SC adoption             2022年3月15日安全理事会第8997次会议通过  date, meeting, body un-sc
    presidential statement  安全理事会主席声明                     title
    presidential intro      …安全理事会主席…宣读了下列声明：        date, meeting
    body name               人权理事会                            body
    adoption line           2021年12月6日大会通过的决议            date, body (…决定: a decision)
    committee report        [根据第一委员会的报告(A/76/440)通过]    committee report
    no committee            [未经发交主要委员会而通过(A/76/L.23)]   committee report
    decision header         第 76/578 号决定：标题                 number, title (a decision)
    number and title        76/53. 国际法院……的后续行动            number, title

A line no row matches, right after an agenda item line, is the item's title (``agenda title``);
any other is kept as ``other`` with a ``segment.unclassified`` diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...bodies import BY_CODE, NAMES, code_of
from ...model import AgendaItem, CommitteeReport, Line, LineRole, plain
from ..inline import inlines
from ..metadata import cn_number, iso_date
from ..normalise import Piece
from ..patterns import AGENDA, NUMBER_TITLE, SESSION, S
from .state import Segmentation, span

SC = BY_CODE["un-sc"]
ADOPTION = re.compile(
    f"^(?:({NAMES}){S})?\\d{{4}}{S}年{S}\\d{{1,2}}{S}月{S}\\d{{1,2}}{S}日{S}(?:通过的)?(?:({NAMES}))?(?:决议|决定)$"
)
REPORT = re.compile(
    r"^\[根据(.+?)的报告[(（]([^,，)）]+?)(?:[,，]" + S + r"第" + S + r"([\d、和至 ]+?)" + S + r"段)?[)）]通过\]$"
)
NO_COMMITTEE = re.compile(r"^\[未经发交(?:主要)?委员会而通过[(（]([^)）]+)[)）]\]$")
DECISION_HEAD = re.compile(f"^第{S}((?:S-)?\\d+/\\d+){S}号决定[:：]?{S}(.*)$")
SC_NUMBER = re.compile(f"^第{S}(\\d{{1,5}}){S}[(（](\\d{{4}})[)）]{S}号决议$")
SC_ADOPTION = re.compile(
    f"^(\\d{{4}}{S}年{S}\\d{{1,2}}{S}月{S}\\d{{1,2}}{S}日){S}({SC.chinese}){S}(第{S}\\d+{S}次会议){S}通过$"
)
PRST = re.compile(f"^{SC.chinese}主席(?:的)?声明$")
PRST_INTRO = re.compile(f"(?:{SC.chinese}主席.{{0,12}}(?:发表|宣读)(?:了)?(?:下列|如下)?声明|次会议上.*声明[：:]?$)")
BODY_NAME = re.compile(f"^(?:{NAMES})$")
MEETING_IN_TEXT = re.compile(f"第{S}\\d+{S}次会议")
LIST_SEPARATOR = re.compile(r"\s*(?:和|及|、|,|，)\s*")
"""Between the numbers of several agenda items (``15 和 116``)."""
SYMBOL_SEPARATOR = re.compile(r"\s*(?:和|、|,|，)\s*")
"""Between the symbols of several reports (``A/76/462/Add.2 和 A/76/462/Add.2/Corr.1``)."""

Reader = Callable[[Segmentation, Piece, re.Match[str]], None]


def _session(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.session = str(cn_number(m.group(1)) or m.group(1))
    seg.meta.session_text = p.text


def _agenda(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    for num in LIST_SEPARATOR.split(m.group(1)):
        if num:
            seg.meta.agenda_items.append(AgendaItem(number=num.strip()))


def _sc_number(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.number = f"{m.group(1)} ({m.group(2)})"
    seg.set_body(SC.code)


def _sc_adoption(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.adoption_date = iso_date(p.key)
    seg.meta.meeting = m.group(3)
    seg.set_body(SC.code)


def _prst_title(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.title = p.text


def _prst_intro(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.adoption_date = iso_date(p.key)
    if mm := MEETING_IN_TEXT.search(p.key):
        seg.meta.meeting = mm.group(0)


def _body_name(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.set_body(code_of(p.key))


def _adoption(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.adoption_date = iso_date(p.key)
    seg.set_body(code_of(m.group(1) or m.group(2)))
    if p.key.endswith("决定"):
        seg.decision_header = True


def _report(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.committee_report = CommitteeReport(
        committee=m.group(1),
        symbol=SYMBOL_SEPARATOR.split(m.group(2).strip())[0],
        paragraph=(m.group(3) or "").strip() or None,
    )


def _no_committee(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    first = SYMBOL_SEPARATOR.split(m.group(1))[0]
    seg.meta.committee_report = CommitteeReport(committee=None, symbol=first.strip())


def _decision_header(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.number = m.group(1)
    seg.meta.title = plain(inlines(p, m.start(2))) or None
    seg.decision_header = True


def _number_title(seg: Segmentation, p: Piece, m: re.Match[str]) -> None:
    seg.meta.number = m.group(1).replace(" ", "")
    seg.meta.title = plain(inlines(p, m.start(2)))


@dataclass(frozen=True)
class PrefaceRule:
    name: str
    role: LineRole
    find: Callable[[str], re.Match[str] | None]
    """How the line's structure key is matched: a pattern's ``match`` (its start) or ``search``."""
    read: Reader
    """What the line says, into the metadata."""


PREFACE: list[PrefaceRule] = [
    PrefaceRule("session", "session", SESSION.match, _session),
    PrefaceRule("agenda item", "agenda", AGENDA.match, _agenda),
    PrefaceRule("SC resolution number", "number", SC_NUMBER.match, _sc_number),
    PrefaceRule("SC adoption", "date", SC_ADOPTION.match, _sc_adoption),
    PrefaceRule("presidential statement", "title", PRST.match, _prst_title),
    PrefaceRule("presidential intro", "date", PRST_INTRO.search, _prst_intro),
    PrefaceRule("body name", "body", BODY_NAME.match, _body_name),
    PrefaceRule("adoption line", "date", ADOPTION.match, _adoption),
    PrefaceRule("committee report", "committeeReport", REPORT.match, _report),
    PrefaceRule("no committee", "committeeReport", NO_COMMITTEE.match, _no_committee),
    PrefaceRule("decision header", "number", DECISION_HEAD.match, _decision_header),
    PrefaceRule("number and title", "title", NUMBER_TITLE.match, _number_title),
]
"""Preface line roles: the first row whose pattern finds the line decides."""


def preface(seg: Segmentation, pieces: list[Piece]) -> None:
    """The preface lines of ``pieces`` into ``doc.preface``, their metadata into ``meta``."""
    after_agenda = False
    titles: list[str] = []
    for p in pieces:
        runs = inlines(p)
        rule, m = _first(p.key)
        role: LineRole
        if rule is not None and m is not None:
            name, role = rule.name, rule.role
            rule.read(seg, p, m)
        elif after_agenda and seg.meta.agenda_items:
            name, role = "agenda title", "agendaTitle"
            titles.append(plain(runs))
        else:
            name, role = "unclassified", "other"
            seg.ctx.report(
                "segment.unclassified", p.first_line, f"preface line not recognised, kept as is: {p.key[:40]}"
            )
        after_agenda = role in ("agenda", "agendaTitle")
        seg.doc.preface.append(Line(role=role, inlines=runs, span=span(p), rule=name))
    agenda_titles(seg, titles)


def _first(key: str) -> tuple[PrefaceRule | None, re.Match[str] | None]:
    for rule in PREFACE:
        m = rule.find(key)
        if m:
            return rule, m
    return None, None


def agenda_titles(seg: Segmentation, titles: list[str]) -> None:
    """One title per agenda item when there are as many titles as items (``议程项目 15 和 116``
    then two titles); otherwise the lines are one wrapped title."""
    items = seg.meta.agenda_items
    if not titles or not items:
        return
    if len(items) > 1 and len(titles) == len(items):
        for item, title in zip(items, titles, strict=True):
            item.title = title
    else:
        items[-1].title = "".join(titles)
