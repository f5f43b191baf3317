"""The forms real UN archives hold (issue 3 §2): one realistic document per form family in
``tests/forms/``, and the structure a careful human reader gives each of them.

Where each document comes from is said in ``tests/forms/README.md`` and in each test's docstring.
The expected structure was decided by reading the documents, not by running the converter.

Conventions assumed of the document model (``pipeline/model.py``): operative numbers ``"1."``,
sub-paragraph numbers ``"(a)"`` / ``"(i)"``, heading numbers ``"一、"`` / ``"A."``; citation blocks
``preface``, ``preamble:K``, ``para:N``, ``point:N(a)``, ``point:N(a)(i)`` for a nested
sub-paragraph, ``A:preamble:K`` / ``A:para:N`` inside part A of a multi-part resolution, ``annex:K``
inside the K-th annex; unnumbered paragraphs (decisions, presidential statements, letters) are
``Operative(num=None)`` counted like numbered ones (``para:1`` is the first).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from lxml import etree

from pipeline.context import Context
from pipeline.model import plain
from pipeline.convert import convert

from support.textcheck import NS, body_text, note_texts, squash

FORMS = Path(__file__).resolve().parent / "forms"
FOOTNOTE_LINE = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+ ?")
SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


# ---------------------------------------------------------------------------------- helpers

def source(name: str) -> str:
    return (FORMS / f"{name}.txt").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _convert(name: str):
    # check=True: raises OutputInvalid when the AKN fails the strict XSD or the JSON its schema
    return convert(source(name), Context(source=f"{name}.txt"))


def converted(name: str):
    return _convert(name)


def lines_of(name: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", source(name))


def line_numbers(name: str, texts) -> set[int]:
    """1-based numbers of the source lines whose stripped text is one of ``texts``."""
    want = set(texts)
    found = {k for k, l in enumerate(lines_of(name), 1) if l.strip() in want}
    assert len({lines_of(name)[k - 1].strip() for k in found}) == len(want), "test bug: line not found"
    return found


def fold(s: str) -> str:
    """Full-width digits and letters as ASCII (the converter maps them; nothing else differs)."""
    return "".join(unicodedata.normalize("NFKC", c) if "\uff10" <= c <= "\uff5a" else c for c in s)


def check_conservation(name: str, debris=(), continuations: dict[str, list[int]] | None = None):
    """Every character of the body is in the XML once, in order; each footnote body equals its
    source lines (with its continuation lines after a page break); nothing but ``debris`` removed."""
    out = converted(name)
    doc = out.document
    lines = lines_of(name)
    continuations = continuations or {}
    note_lines: dict[str, list[int]] = {}
    for k, l in enumerate(lines, 1):
        if m := FOOTNOTE_LINE.match(l.strip()):
            note_lines[m.group(0).strip().translate(SUP)] = [k]
    for marker, extra in continuations.items():
        note_lines[marker] += extra
    debris_lines = line_numbers(name, debris) if debris else set()
    # nothing but the debris was removed, and all of it was
    assert {r.line for r in doc.removed} == debris_lines
    codes = [d.code for d in doc.diagnostics]
    assert ("debris.removed" in codes) == bool(debris_lines)
    skip = debris_lines | {k for ks in note_lines.values() for k in ks}
    body = "".join(l for k, l in enumerate(lines, 1) if k not in skip)
    assert fold(body_text(out.xml)) == fold(squash(body))
    got = note_texts(out.xml)
    for marker, ks in note_lines.items():
        want = squash("".join(lines[k - 1] for k in ks))
        assert fold(got[marker]) == fold(want), f"footnote {marker}"


def operatives(items):
    return [b for b in items if b.kind == "paragraph"]


def headings(items):
    return [(h.num, plain(h.inlines).strip()) for h in items if h.kind == "heading"]


def parts(doc):
    return [b for b in doc.body if b.kind == "part"]


def nums(items):
    return [op.num for op in operatives(items)]


def point_nums(op):
    return [p.num for p in op.points]


def citations(doc) -> dict[str, list[str]]:
    return {n.marker: [c.block for c in n.citations] for n in doc.footnotes}


def text_of(inl) -> str:
    return squash(plain(inl))


def errors(doc):
    return [d for d in doc.diagnostics if d.severity == "error"]


def xml_root(out):
    return etree.fromstring(out.xml)


def main_body_paragraphs(root):
    """Top-level numbered/unnumbered paragraphs of the document's own mainBody (an annex is an
    attachment, with a mainBody of its own)."""
    return root[0].findall(f"{NS}mainBody/{NS}paragraph")


# ---------------------------------------------------------------------------------- documents

def test_ga_plenary_several_agenda_items_no_committee_vote():
    """ga_plenary_vote: GA plenary resolution (modelled on the 76th-session plenary resolutions
    such as A/RES/76/23, adopted without reference to a Main Committee): two agenda items with a
    title each, [未经发交主要委员会而通过(A/76/L.23 和 A/76/L.23/Add.1)], a footnote in the title,
    同上, folded (a)/(b)/(c), a recorded-vote line in the conclusions."""
    out = converted("ga_plenary_vote")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.number, m.body, m.adoption_date) == ("A/RES/76/23", "76/23", "un-ga", "2021-12-09")
    assert m.session == "76"
    assert [(a.number, a.title) for a in m.agenda_items] == [
        ("15", "2030 年可持续发展议程的执行和后续行动"), ("116", "千年首脑会议成果的后续行动")]
    assert m.committee_report.committee is None
    assert m.committee_report.symbol == "A/76/L.23"
    assert squash(m.title) == squash("《和平文化宣言和行动纲领》的后续行动")
    assert m.meeting == "第 50 次全体会议"
    assert m.vote == "[以 152 票对 5 票、23 票弃权通过]"
    assert text_of(doc.formula.inlines) == "大会，"
    assert len(doc.preamble) == 6
    assert nums(doc.body) == [f"{k}." for k in range(1, 9)]
    ops = operatives(doc.body)
    assert point_nums(ops[4]) == ["(a)", "(b)", "(c)"]
    assert text_of(ops[4].points[2].inlines) == "在现有资源范围内举办；"
    assert all(not op.points for k, op in enumerate(ops) if k != 4)
    assert citations(doc) == {"1": ["preface"], "2": ["preamble:3"], "3": ["preamble:4"],
                              "4": ["preamble:5"]}
    assert [c.role for c in doc.conclusions] == ["date", "meeting", "vote"]
    assert errors(doc) == []
    check_conservation("ga_plenary_vote")


def test_ga_committee_report_with_pdf_debris():
    """ga_committee_debris: GA resolution on a Third Committee report, as extracted from the PDF
    (modelled on A/RES/76/167): masthead, Distr. line, job number, barcode, running headers,
    page numbers; a report with a corrigendum; a preambular paragraph and a footnote body that
    both continue across a page break; (a)-(c) with nested (i)/(ii) on their own lines; a footnote
    in a nested sub-paragraph; 同上."""
    name = "ga_committee_debris"
    out = converted(name)
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.body, m.adoption_date, m.session) == ("A/RES/76/167", "un-ga", "2021-12-16", "76")
    assert [a.number for a in m.agenda_items] == ["75 (b)"]
    assert m.agenda_items[0].title == "促进和保护人权：人权问题，包括增进人权和基本自由切实享受的各种途径"
    assert (m.committee_report.committee, m.committee_report.symbol) == ("第三委员会", "A/76/462/Add.2")
    assert m.title == "保护移民"
    assert m.meeting == "第 54 次全体会议"
    assert len(doc.preamble) == 5
    assert text_of(doc.preamble[3].inlines) == squash(
        "回顾《安全、有序和正常移民全球契约》，并注意到 2022 年将举行第一次国际移民审查论坛，")
    assert nums(doc.body) == ["1.", "2.", "3.", "4."]
    op2 = operatives(doc.body)[1]
    assert point_nums(op2) == ["(a)", "(b)", "(c)"]
    assert point_nums(op2.points[1]) == ["(i)", "(ii)"]
    assert text_of(op2.points[1].inlines) == "确保在边境实施的措施符合国际人权法规定的义务，特别是："
    assert citations(doc) == {"1": ["preamble:2"], "2": ["preamble:3"], "3": ["preamble:4"],
                              "4": ["point:2(b)(ii)"], "5": ["para:3"]}
    note3 = next(n for n in doc.footnotes if n.marker == "3")
    assert text_of(note3.inlines).endswith("以及秘书长关于该会议的报告的附件。")
    assert errors(doc) == []
    debris = ["联合国 A/RES/76/167", "大 会 Distr.: General", "10 January 2022", "Chinese",
              "Original: English", "21-40312 (C)", "*2140312*", "A/RES/76/167", "2/3", "21-40312",
              "21-40312 3/3"]
    cont = line_numbers(name, ["的报告的附件。"])
    check_conservation(name, debris, {"3": sorted(cont)})


def test_ga_multipart_resolution_with_headings():
    """ga_multipart_headings: a two-part GA resolution (modelled on A/RES/76/84 A-B, "Questions
    relating to information"): each part with its letter, title, formula, preamble and closing
    lines; part A's operative part is one unnumbered paragraph (``**敦促**…：``) with (a)-(d); part
    B has headings 一、二、三、 between paragraphs 1-6; the draft is a revision (L.41/Rev.1)."""
    out = converted("ga_multipart_headings")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.number, m.adoption_date, m.title) == ("A/RES/76/84", "76/84", "2021-12-09", "有关新闻的问题")
    assert m.committee_report.symbol == "A/76/L.41/Rev.1"
    assert [a.number for a in m.agenda_items] == ["55"]
    assert m.meeting == "第 50 次全体会议"
    assert doc.formula is None and doc.preamble == []
    a, b = parts(doc)
    assert [a.num, b.num] == ["A", "B"]
    assert (text_of(a.heading), text_of(b.heading)) == ("为人类服务的新闻", "联合国全球传播政策")
    assert text_of(a.formula.inlines) == text_of(b.formula.inlines) == "大会，"
    assert (len(a.preamble), len(b.preamble)) == (2, 3)
    assert nums(a.body) == [None]
    assert text_of(operatives(a.body)[0].inlines).startswith("敦促所有国家")
    assert point_nums(operatives(a.body)[0]) == ["(a)", "(b)", "(c)", "(d)"]
    assert nums(b.body) == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert headings(b.body) == [("一、", "导言"), ("二、", "全球传播部的一般活动"), ("三、", "联合国新闻中心网络")]
    assert [x.kind for x in b.body] == ["heading", "paragraph", "paragraph", "heading", "paragraph",
                                       "paragraph", "heading", "paragraph", "paragraph"]
    assert point_nums(operatives(b.body)[3]) == ["(a)", "(b)"]
    assert citations(doc) == {"1": ["A:preamble:1"], "2": ["A:preamble:2"], "3": ["B:preamble:3"],
                              "4": ["B:para:4"]}
    codes = {d.code for d in doc.diagnostics}
    assert not codes & {"segment.numbering-gap", "segment.text-after-conclusions", "segment.unclassified"}
    assert errors(doc) == []
    root = xml_root(out)
    assert len(root.findall(f".//{NS}preamble")) <= 1  # the strict schema: one preamble
    assert len(root.findall(f".//{NS}mainBody//{NS}paragraph")) == 7
    check_conservation("ga_multipart_headings")


def test_hrc_resolution_with_annex_and_recorded_vote():
    """hrc_annex_vote: Human Rights Council resolution (layout C of the dev corpus: no spaces, one
    sub-paragraph per line; modelled on A/HRC/RES/54/18 for the annex and 54/15 for the vote):
    a footnote in sub-paragraph (b), a recorded vote with 赞成/反对/弃权 lists, an annex (附件)
    after the conclusions with its own numbered paragraphs and footnote."""
    out = converted("hrc_annex_vote")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.body, m.adoption_date, m.session) == ("A/HRC/RES/54/40", "un-ga-hrc", "2023-10-12", "54")
    assert [a.number for a in m.agenda_items] == ["3"]
    assert squash(m.agenda_items[0].title) == squash(
        "促进和保护所有人权――公民权利、政治权利、经济、社会及文化权利，包括发展权")
    assert m.title == "安全饮用水和卫生设施人权问题"
    assert m.meeting == "第46次会议"
    assert m.vote.startswith("[经记录表决，以35票赞成、1票反对、11票弃权获得通过。表决结果如下：")
    assert m.vote.rstrip().endswith("大不列颠及北爱尔兰联合王国]")
    assert len(doc.preamble) == 4
    assert nums(doc.body) == ["1.", "2.", "3.", "4."]
    assert point_nums(operatives(doc.body)[1]) == ["(a)", "(b)", "(c)"]
    assert citations(doc) == {"1": ["preamble:3"], "2": ["point:2(b)"], "3": ["annex:1"]}
    assert len(doc.annexes) == 1
    annex = doc.annexes[0]
    assert [text_of(l.inlines) for l in annex.heading] == ["附件", "落实安全饮用水和卫生设施人权的指导原则"]
    assert [b.num for b in annex.blocks] == ["1.", "2.", "3."]
    # the conclusions are the closing lines only, not the annex
    assert all("附件" not in plain(c.inlines) for c in doc.conclusions)
    assert errors(doc) == []
    root = xml_root(out)
    assert len(main_body_paragraphs(root)) == 4
    att = root.findall(f".//{NS}attachments/{NS}attachment")
    assert len(att) == 1
    assert [n.get("marker") for n in att[0].iter(f"{NS}authorialNote")] == ["3"]
    check_conservation("hrc_annex_vote")


def test_sc_resolution():
    """sc_resolution: Security Council resolution (modelled on S/RES/2625 (2022), UNMISS mandate
    renewal): masthead, ``第 2625 (2022) 号决议``, the header ``…安全理事会第 8997 次会议通过``,
    preamble ending with the Chapter VII paragraph, mandate tasks (a)-(c) with nested (i)/(ii), a
    page break with job number, barcode and a running header whose symbol holds a space."""
    name = "sc_resolution"
    out = converted(name)
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.body, m.adoption_date) == ("S/RES/2625 (2022)", "un-sc", "2022-03-15")
    assert m.number == "2625 (2022)"
    assert m.meeting == "第 8997 次会议"
    assert text_of(doc.formula.inlines) == "安全理事会，"
    assert len(doc.preamble) == 5
    assert text_of(doc.preamble[-1].inlines) == "根据《联合国宪章》第七章采取行动，"
    assert nums(doc.body) == ["1.", "2.", "3.", "4."]
    op2 = operatives(doc.body)[1]
    assert point_nums(op2) == ["(a)", "(b)", "(c)"]
    assert point_nums(op2.points[0]) == ["(i)", "(ii)"]
    assert citations(doc) == {"1": ["preamble:3"], "2": ["point:2(c)"]}
    assert errors(doc) == []
    debris = ["联合国 S/RES/2625 (2022)", "安全理事会 Distr.: General", "15 March 2022",
              "22-03669 (C)", "*2203669*", "S/RES/2625 (2022)", "2/2 22-03669"]
    check_conservation(name, debris)


def test_sc_presidential_statement():
    """sc_presidential_statement: statement by the President of the Security Council (modelled on
    S/PRST/2022/1 style PRSTs): symbol only in the masthead, an introductory sentence giving the
    meeting and date, then quoted unnumbered paragraphs, a footnote in the first."""
    name = "sc_presidential_statement"
    out = converted(name)
    doc, m = out.document, out.document.metadata
    assert doc.kind == "presidentialStatement" and doc.structured
    assert (m.symbol, m.body, m.adoption_date) == ("S/PRST/2022/1", "un-sc", "2022-01-31")
    assert m.meeting == "第 8955 次会议"
    assert doc.preamble == []
    ops = operatives(doc.body)
    assert len(ops) == len(doc.body) == 4
    assert [op.num for op in ops] == [None] * 4
    assert text_of(ops[0].inlines).startswith("“安全理事会欢迎秘书长")
    assert text_of(ops[3].inlines).endswith("工作情况。”")
    # the introductory sentence is not a paragraph of the statement
    assert all("发表如下主席声明" not in plain(op.inlines) for op in ops)
    assert citations(doc) == {"1": ["para:1"]}
    assert errors(doc) == []
    debris = ["联合国 S/PRST/2022/1", "安全理事会 Distr.: General", "31 January 2022", "Chinese",
              "Original: English", "22-01302 (C)", "*2201302*"]
    check_conservation(name, debris)


def test_ga_decision_without_preamble():
    """ga_decision: General Assembly decision (modelled on the decisions 76/5xx of the 76th
    session, adopted in plenary): ``第 76/578 号决定：title``, no formula and no preamble, one
    unnumbered paragraph ``大会决定：`` with (a)-(d), a footnote in (a)."""
    out = converted("ga_decision")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "decision" and doc.structured
    assert (m.symbol, m.number, m.body, m.adoption_date) == ("A/DEC/76/578", "76/578", "un-ga", "2022-09-08")
    assert m.title == "全球卫生与外交政策高级别会议的安排"
    assert [a.number for a in m.agenda_items] == ["125"]
    assert m.agenda_items[0].title == "加强联合国系统"
    assert m.committee_report.symbol == "A/76/L.89"
    assert doc.formula is None and doc.preamble == []
    ops = operatives(doc.body)
    assert len(ops) == len(doc.body) == 1
    assert ops[0].num is None
    assert text_of(ops[0].inlines) == "大会决定："
    assert point_nums(ops[0]) == ["(a)", "(b)", "(c)", "(d)"]
    assert citations(doc) == {"1": ["point:1(a)"]}
    assert errors(doc) == []
    check_conservation("ga_decision")


def test_hrc_decision_unnumbered_operative():
    """hrc_decision: Human Rights Council UPR-outcome decision (modelled on A/HRC/DEC/54/101 ff.):
    formula, two preambular paragraphs, one unnumbered operative paragraph ``决定通过……。`` in
    which ``和(或)`` is not a sub-paragraph, adopted without a vote."""
    out = converted("hrc_decision")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "decision" and doc.structured
    assert (m.symbol, m.number, m.body, m.adoption_date) == ("A/HRC/DEC/54/101", "54/101", "un-ga-hrc", "2023-10-06")
    assert m.title == "摩纳哥的普遍定期审议结果"
    assert m.meeting == "第37次会议"
    assert m.vote == "[未经表决获得通过。]"
    assert len(doc.preamble) == 2
    ops = operatives(doc.body)
    assert len(ops) == len(doc.body) == 1
    assert ops[0].num is None and ops[0].points == []
    assert text_of(ops[0].inlines).startswith("决定通过摩纳哥的普遍定期审议结果")
    assert errors(doc) == []
    check_conservation("hrc_decision")


def test_ecosoc_resolution():
    """ecosoc_resolution: Economic and Social Council resolution (modelled on E/RES/2022/15 style
    resolutions of the 2022 session): ``2022 年届会`` and the session's date range in the
    header, ``2022/15.`` numbering, formula ``经济及社会理事会，``."""
    out = converted("ecosoc_resolution")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.number, m.body, m.adoption_date) == ("E/RES/2022/15", "2022/15", "un-ecosoc", "2022-07-21")
    assert [(a.number, a.title) for a in m.agenda_items] == [("18 (b)", "社会发展")]
    assert m.title == "支持非洲发展新伙伴关系的社会层面"
    assert m.meeting == "第 29 次全体会议"
    assert text_of(doc.formula.inlines) == "经济及社会理事会，"
    assert len(doc.preamble) == 3
    assert nums(doc.body) == ["1.", "2.", "3."]
    assert citations(doc) == {"1": ["para:1"]}
    assert errors(doc) == []
    check_conservation("ecosoc_resolution")


def test_ascii_punctuation_fullwidth_numbers():
    """ga_ascii_fullwidth: a GA resolution from another extraction path (modelled on A/RES/77/205):
    ASCII ``,`` ``;`` ``:`` where the original had full-width, no spaces between Chinese and
    digits, paragraph numbers in full-width digits (``１.``), sub-paragraphs folded after ``:``."""
    out = converted("ga_ascii_fullwidth")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.body, m.adoption_date, m.session) == ("A/RES/77/205", "un-ga", "2022-12-15", "77")
    assert [a.number for a in m.agenda_items] == ["69"]
    assert (m.committee_report.committee, m.committee_report.symbol, m.committee_report.paragraph) == \
        ("第三委员会", "A/77/460", "23")
    assert m.title == "全面落实和后续执行《德班宣言和行动纲领》"
    assert m.meeting == "第54次全体会议"
    assert text_of(doc.formula.inlines) == "大会,"
    assert len(doc.preamble) == 3
    assert nums(doc.body) == ["1.", "2.", "3."]
    op2 = operatives(doc.body)[1]
    assert point_nums(op2) == ["(a)", "(b)"]
    assert text_of(op2.inlines) == "吁请各国:"
    assert citations(doc) == {"1": ["preamble:2"]}
    assert errors(doc) == []
    check_conservation("ga_ascii_fullwidth")


def test_traditional_hard_wrapped():
    """hrc_traditional_wrapped: a Human Rights Council resolution in traditional characters
    (modelled on A/HRC/RES/54/9), hard-wrapped at about 34 characters with a blank line after every
    printed line (layout B), no spaces between Chinese and digits, adopted without a vote."""
    out = converted("hrc_traditional_wrapped")
    doc, m = out.document, out.document.metadata
    assert doc.kind == "resolution" and doc.structured
    assert (m.symbol, m.body, m.adoption_date, m.session) == ("A/HRC/RES/54/9", "un-ga-hrc", "2023-10-11", "54")
    assert [a.number for a in m.agenda_items] == ["3"]
    assert squash(m.agenda_items[0].title) == squash(
        "促進和保護所有人權――公民權利、政治權利、經濟、社會及文化權利，包括發展權")
    assert m.title == "獨立司法、陪審員和陪審團的獨立性以及律師的獨立性"
    assert m.meeting == "第46次會議"
    assert m.vote == "[未經表決獲得通過。]"
    assert text_of(doc.formula.inlines) == "人權理事會，"
    assert len(doc.preamble) == 4
    assert text_of(doc.preamble[1].inlines).endswith("判定對他提出的任何刑事指控，")
    assert nums(doc.body) == ["1.", "2.", "3."]
    assert text_of(operatives(doc.body)[0].inlines).endswith("履行其專業職責；")
    assert citations(doc) == {"1": ["preamble:2"]}
    assert errors(doc) == []
    check_conservation("hrc_traditional_wrapped")


def test_cd_working_paper():
    """cd_working_paper: Conference on Disarmament working paper (modelled on CD/2150, sample 004,
    and the CD working papers on PAROS): masthead with the symbol and issue date, title, submitter,
    headings 一、二、三、 between numbered paragraphs, (a)-(c), footnotes, job number and barcode."""
    name = "cd_working_paper"
    out = converted(name)
    doc, m = out.document, out.document.metadata
    assert doc.kind == "statement" and doc.structured
    assert (m.symbol, m.body, m.adoption_date) == ("CD/2235", "un-cd", "2022-08-10")
    assert m.title == "关于防止外层空间军备竞赛的工作文件"
    assert m.submitter == "巴西和南非"
    assert doc.preamble == []
    assert nums(doc.body) == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert headings(doc.body) == [("一、", "导言"), ("二、", "主要意见"), ("三、", "建议")]
    assert [x.kind for x in doc.body][:3] == ["heading", "paragraph", "paragraph"]
    assert point_nums(operatives(doc.body)[3]) == ["(a)", "(b)", "(c)"]
    assert citations(doc) == {"1": ["para:3"], "2": ["para:6"]}
    assert errors(doc) == []
    root = xml_root(out)
    assert [e.text for e in root.iter(f"{NS}docTitle")] == ["关于防止外层空间军备竞赛的工作文件"]
    assert [e.text for e in root.iter(f"{NS}docProponent")] == ["巴西和南非"]
    debris = ["裁军谈判会议 CD/2235", "10 August 2022", "Chinese", "Original: English",
              "GE.22-12345 (C) 110822 120822", "*2212345*"]
    check_conservation(name, debris)


def test_cd_letter_with_annex():
    """cd_letter: letter transmitting a document to the Conference on Disarmament (modelled on the
    CD/22xx letters from permanent representatives): the letter's heading as title, two unnumbered
    paragraphs, a signature, and the transmitted text as an annex with its own numbered paragraphs
    and footnote."""
    name = "cd_letter"
    out = converted(name)
    doc, m = out.document, out.document.metadata
    assert doc.kind == "statement" and doc.structured
    assert (m.symbol, m.body) == ("CD/2231", "un-cd")
    assert m.title.startswith("2022 年 3 月 25 日挪威常驻裁军谈判会议代表给会议代理秘书长的信")
    ops = operatives(doc.body)
    assert len(ops) == len(doc.body) == 2
    assert [op.num for op in ops] == [None, None]
    assert text_of(ops[1].inlines).endswith("为荷。")
    # the signature is not a paragraph of the letter, nor part of the annex
    assert all("签名" not in plain(op.inlines) for op in ops)
    assert len(doc.annexes) == 1
    annex = doc.annexes[0]
    assert [text_of(l.inlines) for l in annex.heading] == ["附件", "核裁军核查：挪威的经验"]
    assert [b.num for b in annex.blocks] == ["1.", "2."]
    assert citations(doc) == {"1": ["annex:1"]}
    assert errors(doc) == []
    root = xml_root(out)
    assert len(root.findall(f".//{NS}attachments/{NS}attachment")) == 1
    debris = ["裁军谈判会议 CD/2231", "28 March 2022", "Chinese", "Original: English",
              "GE.22-04567 (C) 290322 300322", "*2204567*"]
    check_conservation(name, debris)
