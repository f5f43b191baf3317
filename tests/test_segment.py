"""Stage 2 (``segment``) table tests on small texts: preface roles, formula, preamble, operative
numbering, sub-paragraphs, conclusions.  Each case is run through
``pipeline.stages.run(text, Context(), stop_after="segment")``."""
from __future__ import annotations

import pytest

from pipeline.context import Context, Options
from pipeline.model import plain
from pipeline.stages import run

from support.blocks import PRE_1, PRE_2, PRE_3, OP_1, OP_2, OP_3, OP_4, CLOSE, build, lineno
from conftest import SAMPLES

BODY = ["大会，", PRE_1, PRE_2, PRE_3, OP_1, OP_2, OP_3, OP_4, CLOSE]


def segment(text: str, **options):
    ctx = Context(options=Options(**options))
    return run(text, ctx, stop_after="segment")


def diags(doc, code: str) -> list[tuple[int, str]]:
    return [(d.line, d.severity) for d in doc.diagnostics if d.code == code]


def nums(doc) -> list[str | None]:
    return [getattr(b, "num", None) for b in doc.body]


# ------------------------------------------------------------------ preface roles

PREFACE_CASES = [
    # (title, preface blocks, expected roles, expected metadata subset)
    ("session in Chinese numerals", ["第七十六届会议"], ["session"],
     {"session": "76", "session_text": "第七十六届会议"}),
    ("session in digits", ["第 72 届会议"], ["session"], {"session": "72"}),
    ("special session", ["第十届特别会议"], ["session"], {"session": "10"}),
    ("agenda item with a wrapped title",
     ["议程项目 100 (k)", "全面彻底裁军：国际法院关于“以核武器进行威胁\n或使用核武器的合法性”的咨询意见的后续行动"],
     ["agenda", "agendaTitle"],
     {"agenda_items": [{"number": "100 (k)",
                        "title": "全面彻底裁军：国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动"}]}),
    ("agenda item without a space", ["议程项目 99(bb)"], ["agenda"],
     {"agenda_items": [{"number": "99(bb)", "title": None}]}),
    ("two agenda items", ["议程项目 20 和 21"], ["agenda"],
     {"agenda_items": [{"number": "20", "title": None}, {"number": "21", "title": None}]}),
    ("adoption line of the General Assembly", ["2021 年 12 月 6 日大会决议"], ["date"],
     {"adoption_date": "2021-12-06", "body": "un-ga"}),
    ("adoption line naming the body first", ["人权理事会 2021 年 10 月 7 日通过的决议"], ["date"],
     {"adoption_date": "2021-10-07", "body": "un-ga-hrc"}),
    ("committee report with a paragraph", ["[根据第一委员会的报告(A/76/444, 第 93 段)通过]"], ["committeeReport"],
     {"committee_report": {"committee": "第一委员会", "symbol": "A/76/444", "paragraph": "93"}}),
    ("committee report without a paragraph", ["[根据第一委员会的报告(A/72/409)通过]"], ["committeeReport"],
     {"committee_report": {"committee": "第一委员会", "symbol": "A/72/409", "paragraph": None}}),
    ("adopted without reference to a Main Committee",
     ["[未经发交主要委员会而通过(A/76/L.23 和 A/76/L.23/Add.1)]"], ["committeeReport"],
     {"committee_report": {"committee": None, "symbol": "A/76/L.23", "paragraph": None}}),
    ("resolution number and title", ["76/53. 国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见\n的后续行动"],
     ["title"],
     {"number": "76/53", "title": "国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动",
      "symbol": "A/RES/76/53"}),
    ("full preface of sample 001",
     ["第七十六届会议", "议程项目 100 (k)", "全面彻底裁军：国际法院关于“以核武器进行威胁\n或使用核武器的合法性”的咨询意见的后续行动",
      "2021 年 12 月 6 日大会决议", "[根据第一委员会的报告(A/76/444, 第 93 段)通过]", "76/53. 国际法院的后续行动"],
     ["session", "agenda", "agendaTitle", "date", "committeeReport", "title"],
     {"session": "76", "adoption_date": "2021-12-06", "symbol": "A/RES/76/53", "body": "un-ga",
      "title": "国际法院的后续行动"}),
]


@pytest.mark.parametrize("title,blocks,roles,meta", PREFACE_CASES, ids=[c[0] for c in PREFACE_CASES])
def test_preface(title, blocks, roles, meta):
    text = build(*blocks, *BODY)
    doc = segment(text)
    assert doc.kind == "resolution"
    assert [ln.role for ln in doc.preface] == roles
    got = doc.metadata.model_dump()
    for key, value in meta.items():
        assert got[key] == value, key
    assert not diags(doc, "segment.unclassified")
    # spans point at the source lines of each preface line
    for line, block in zip(doc.preface, blocks):
        first = block.split("\n")[0]
        assert line.span.start == lineno(text, first)
        assert line.span.end == line.span.start + block.count("\n")


def test_unrecognised_preface_line_is_kept_and_reported():
    text = build("一些无法识别的文字", *BODY)
    doc = segment(text)
    assert [ln.role for ln in doc.preface] == ["other"]
    assert plain(doc.preface[0].inlines) == "一些无法识别的文字"
    assert diags(doc, "segment.unclassified") == [(1, "warning")]


# ------------------------------------------------------------------ formula

FORMULA_CASES = [
    ("General Assembly", "大会，", "un-ga", "A/RES/76/53"),
    ("Human Rights Council", "人权理事会，", "un-ga-hrc", "A/HRC/RES/76/53"),
    ("Security Council", "安全理事会，", "un-sc", "S/RES/76/53"),
    ("ECOSOC", "经济及社会理事会，", "un-ecosoc", "E/RES/76/53"),
    ("ASCII comma", "大会,", "un-ga", "A/RES/76/53"),
    ("bold formula", "**大会**，", "un-ga", "A/RES/76/53"),
]


@pytest.mark.parametrize("title,formula,body,symbol", FORMULA_CASES, ids=[c[0] for c in FORMULA_CASES])
def test_formula(title, formula, body, symbol):
    text = build("76/53. 标题", formula, PRE_1, PRE_2, OP_1, OP_2, CLOSE)
    doc = segment(text)
    assert doc.kind == "resolution"
    assert doc.formula is not None
    assert plain(doc.formula.inlines) == formula.replace("**", "")
    assert doc.formula.span.start == doc.formula.span.end == lineno(text, formula)
    assert doc.metadata.body == body
    assert doc.metadata.symbol == symbol
    assert len(doc.preamble) == 2
    assert nums(doc) == ["1.", "2."]


def test_formula_is_not_a_phrase_ending_in_a_body_name():
    """A preambular paragraph mentioning the Assembly is not the formula."""
    text = build("76/53. 标题", "大会，", "注意到大会的报告，", OP_1, OP_2)
    doc = segment(text)
    assert plain(doc.formula.inlines) == "大会，"
    assert [plain(p.inlines) for p in doc.preamble] == ["注意到大会的报告，"]


# ------------------------------------------------------------------ preamble

def test_preamble_counting():
    text = build(*BODY)
    doc = segment(text)
    assert [plain(p.inlines) for p in doc.preamble] == [PRE_1, PRE_2, PRE_3]
    assert [p.span.start for p in doc.preamble] == [lineno(text, x) for x in (PRE_1, PRE_2, PRE_3)]
    assert nums(doc) == ["1.", "2.", "3.", "4."]


WRAPPED_PRE = "回顾其关于裁军和不扩散领域的多边合作的\n2001 年 11 月 29 日第 56/24 T 号决议，"
WRAPPED_PRE_JOINED = "回顾其关于裁军和不扩散领域的多边合作的 2001 年 11 月 29 日第 56/24 T 号决议，"


def test_preamble_paragraph_wrapped_over_two_adjacent_lines_is_one_paragraph():
    text = build("大会，", WRAPPED_PRE, PRE_2, PRE_3, OP_1, OP_2, OP_3, CLOSE)
    doc = segment(text, layout="lines")
    assert [plain(p.inlines) for p in doc.preamble] == [WRAPPED_PRE_JOINED, PRE_2, PRE_3]
    assert (doc.preamble[0].span.start, doc.preamble[0].span.end) == (3, 4)


SHORT_TEXT_CASES = [
    ("equal-width short lines",
     ["大会，", "回顾其各项决议，", "鉴于核武器威胁，", "认为应当裁军，", "1. 决定继续审议；", "2. 请秘书长报告。"],
     ["回顾其各项决议，", "鉴于核武器威胁，", "认为应当裁军，"], ["1.", "2."]),
    ("six blocks, one wrapped over two adjacent lines",
     ["大会，", WRAPPED_PRE, PRE_2, OP_1, OP_2],
     [WRAPPED_PRE_JOINED, PRE_2], ["1.", "2."]),
]


@pytest.mark.parametrize("title,blocks,preamble,expected_nums", SHORT_TEXT_CASES,
                         ids=[c[0] for c in SHORT_TEXT_CASES])
def test_short_paragraph_per_line_text_is_not_taken_for_hard_wrapped(title, blocks, preamble, expected_nums):
    """A short resolution with one paragraph per line (blank lines between) is not hard-wrapped:
    each preambular paragraph stays separate and a paragraph wrapped over two adjacent lines is
    rejoined, whatever the widths of its few lines (layout detected, not forced)."""
    doc = segment(build(*blocks))
    assert [plain(p.inlines) for p in doc.preamble] == preamble
    assert nums(doc) == expected_nums


# ------------------------------------------------------------------ operative numbering

def test_operative_numbering_and_bold():
    text = build(*BODY)
    doc = segment(text)
    assert nums(doc) == ["1.", "2.", "3.", "4."]
    first = doc.body[0]
    assert first.inlines[0].bold and first.inlines[0].text == "再次着重指出"
    assert not first.inlines[1].bold and first.inlines[1].text.startswith("国际法院的一致结论")
    assert [b.span.start for b in doc.body] == [lineno(text, x[:10]) for x in (OP_1, OP_2, OP_3, OP_4)]
    assert not diags(doc, "segment.numbering-gap")


NOT_PARAGRAPH_CASES = [
    ("line starting '72/251 号' continues the paragraph",
     ["大会，", PRE_1, "1. **呼吁**执行联大第 68/32 号、第 69/58 号、第 70/34 号、第 71/71 号、第\n72/251 号和第 73/40 号决议；", OP_2],
     ["1.", "2."], "第 71/71 号、第 72/251 号和第 73/40 号决议；"),
    ("line starting '2021 年' continues the paragraph",
     ["大会，", PRE_1, "1. **决定**于\n2021 年 12 月 6 日召开会议；", OP_2],
     ["1.", "2."], "于 2021 年 12 月 6 日召开会议；"),
    ("preambular paragraph starting '2021 年' stays in the preamble",
     ["大会，", PRE_1, "2021 年 12 月 6 日通过的第 76/53 号决议的规定，", OP_1, OP_2],
     ["1.", "2."], None),
    ("paragraph 1 followed by a year",
     ["大会，", PRE_1, "1. 2013 年 9 月 26 日举行的核裁军问题大会高级别会议充分显示了国际社会的大力支持；", OP_2],
     ["1.", "2."], "2013 年 9 月 26 日举行的"),
]


@pytest.mark.parametrize("title,blocks,expected_nums,needle", NOT_PARAGRAPH_CASES,
                         ids=[c[0] for c in NOT_PARAGRAPH_CASES])
def test_numbers_that_are_not_paragraph_numbers(title, blocks, expected_nums, needle):
    doc = segment(build(*blocks))
    assert nums(doc) == expected_nums
    if needle:
        assert needle in plain(doc.body[0].inlines)
    else:
        assert len(doc.preamble) == 2
    assert not diags(doc, "segment.numbering-gap")
    assert not diags(doc, "segment.unclassified")


def test_sample_004_numbers_after_wraps():
    """004 lines 17 and 90 start with '72/251 号'; 004:5 is paragraph 1 starting with a year."""
    path = next(p for p in SAMPLES if p.name.startswith("004"))
    doc = segment(path.read_text(encoding="utf-8"))
    assert nums(doc) == [f"{k}." for k in range(1, 16)]
    assert "第 72/251 号" in plain(doc.body[1].inlines)
    assert "第 72/251 号和第 73/40 号决议" in plain(doc.body[12].inlines)
    assert plain(doc.body[0].inlines).startswith("2013 年 9 月 26 日")


NUMBERING_GAP_CASES = [
    ("one paragraph missing", [OP_1, OP_2, OP_4], "4. **决定**", ["1.", "2.", "4."], "paragraph 3"),
    ("two paragraphs missing", [OP_1, OP_4], "4. **决定**", ["1.", "4."], "2-3"),
]


@pytest.mark.parametrize("title,ops,at,expected_nums,words", NUMBERING_GAP_CASES,
                         ids=[c[0] for c in NUMBERING_GAP_CASES])
def test_numbering_gap(title, ops, at, expected_nums, words):
    text = build("大会，", PRE_1, *ops, CLOSE)
    doc = segment(text)
    assert nums(doc) == expected_nums
    gaps = [d for d in doc.diagnostics if d.code == "segment.numbering-gap"]
    assert len(gaps) == 1
    assert gaps[0].line == lineno(text, at)
    assert gaps[0].severity == "error"
    assert words in gaps[0].message


def test_paragraph_numbers_restart_after_a_heading():
    text = build("大会，", PRE_1, "一、总则", "1. **决定**甲；", "2. **决定**乙；", "二、其他", "1. **请**丙；", "2. **请**丁。")
    doc = segment(text)
    assert nums(doc) == ["一、", "1.", "2.", "二、", "1.", "2."]
    assert not diags(doc, "segment.numbering-gap")


# ------------------------------------------------------------------ sub-paragraphs

def point_tree(points) -> list:
    return [(p.num, plain(p.inlines), point_tree(p.points)) for p in points]


POINT_CASES = [
    ("points on their own lines",
     ["1. **决定**设立一个工作组，其任务如下：", "(a) 审议核裁军的有效措施；", "(b) 拟订建议；", "(c) 向大会提出报告；", OP_2],
     "设立一个工作组，其任务如下：",
     [("(a)", "审议核裁军的有效措施；", []), ("(b)", "拟订建议；", []), ("(c)", "向大会提出报告；", [])]),
    ("points folded inline after a colon",
     ["1. **决定**设立一个工作组，其任务如下： (a) 审议核裁军的有效措施； (b) 拟订建议；", OP_2],
     "设立一个工作组，其任务如下：",
     [("(a)", "审议核裁军的有效措施；", []), ("(b)", "拟订建议；", [])]),
    ("points folded inline without spaces",
     ["1. **决定**设立一个工作组，其任务如下：(a) 审议核裁军的有效措施；(b) 拟订建议；(c) 提出报告；", OP_2],
     "设立一个工作组，其任务如下：",
     [("(a)", "审议核裁军的有效措施；", []), ("(b)", "拟订建议；", []), ("(c)", "提出报告；", [])]),
    ("nested (i)/(ii) on their own lines",
     ["1. **请**秘书长：", "(a) 征求会员国的意见；", "(b) 提出报告，其中包括：", "(i) 会员国的意见；",
      "(ii) 各项建议；", "(c) 通报情况；", OP_2],
     "秘书长：",
     [("(a)", "征求会员国的意见；", []),
      ("(b)", "提出报告，其中包括：", [("(i)", "会员国的意见；", []), ("(ii)", "各项建议；", [])]),
      ("(c)", "通报情况；", [])]),
    ("nested (i)/(ii) folded inline",
     ["1. **请**秘书长： (a) 征求会员国的意见； (b) 提出报告，其中包括： (i) 会员国的意见； (ii) 各项建议； (c) 通报情况；", OP_2],
     "秘书长：",
     [("(a)", "征求会员国的意见；", []),
      ("(b)", "提出报告，其中包括：", [("(i)", "会员国的意见；", []), ("(ii)", "各项建议；", [])]),
      ("(c)", "通报情况；", [])]),
    ("(i) after (h) is a letter, not a roman numeral",
     ["1. **请**秘书长："] + [f"({c}) 事项{c}；" for c in "abcdefghij"] + [OP_2],
     "秘书长：",
     [(f"({c})", f"事项{c}；", []) for c in "abcdefghij"]),
    ("Chinese-numbered points",
     ["1. **决定**如下：", "(一) 审议；", "(二) 报告；", OP_2],
     "如下：",
     [("(一)", "审议；", []), ("(二)", "报告；", [])]),
]


@pytest.mark.parametrize("title,ops,lead,tree", POINT_CASES, ids=[c[0] for c in POINT_CASES])
def test_points(title, ops, lead, tree):
    text = build("大会，", PRE_1, *ops, CLOSE)
    doc = segment(text)
    assert nums(doc) == ["1.", "2."]
    first = doc.body[0]
    assert plain(first.inlines).endswith(lead)
    assert point_tree(first.points) == tree
    assert not diags(doc, "segment.point-sequence")
    assert not diags(doc, "segment.unclassified")


def test_point_spans_and_paragraph_span():
    text = build("大会，", PRE_1, "1. **请**秘书长：", "(a) 征求会员国的意见；", "(b) 提出报告；", OP_2)
    doc = segment(text)
    op = doc.body[0]
    assert [p.span.start for p in op.points] == [lineno(text, "(a)"), lineno(text, "(b)")]
    assert (op.span.start, op.span.end) == (lineno(text, "1. **请**"), lineno(text, "(b)"))


def test_point_lettering_skip_is_reported():
    text = build("大会，", PRE_1, "1. **请**秘书长：", "(a) 征求会员国的意见；", "(c) 提出报告；", OP_2)
    doc = segment(text)
    assert [p.num for p in doc.body[0].points] == ["(a)", "(c)"]
    assert diags(doc, "segment.point-sequence") == [(lineno(text, "(c)"), "warning")]


def test_a_single_parenthesis_inline_is_not_a_point():
    text = build("大会，", PRE_1, "1. **注意到**秘书长的报告 (A/76/90)；", OP_2)
    doc = segment(text)
    assert doc.body[0].points == []
    assert plain(doc.body[0].inlines) == "注意到秘书长的报告 (A/76/90)；"


# ------------------------------------------------------------------ conclusions

CONCLUSION_CASES = [
    ("date and meeting", [CLOSE], ["date", "meeting"],
     {"adoption_date": "2021-12-06", "meeting": "第 45 次全体会议", "vote": None}),
    ("meeting without a space", ["2017 年 12 月 4 日\n第62次全体会议"], ["date", "meeting"],
     {"adoption_date": "2017-12-04", "meeting": "第62次全体会议"}),
    ("vote", [CLOSE, "[以 150 票对 4 票、35 票弃权记录表决通过]"], ["date", "meeting", "vote"],
     {"vote": "[以 150 票对 4 票、35 票弃权记录表决通过]", "meeting": "第 45 次全体会议"}),
    ("vote without recorded count", [CLOSE, "[未经表决通过]"], ["date", "meeting", "vote"],
     {"vote": "[未经表决通过]"}),
]


@pytest.mark.parametrize("title,tail,roles,meta", CONCLUSION_CASES, ids=[c[0] for c in CONCLUSION_CASES])
def test_conclusions(title, tail, roles, meta):
    text = build("大会，", PRE_1, OP_1, OP_2, *tail)
    doc = segment(text)
    assert nums(doc) == ["1.", "2."]
    assert [ln.role for ln in doc.conclusions] == roles
    got = doc.metadata.model_dump()
    for key, value in meta.items():
        assert got[key] == value, key
    first = tail[0].split("\n")[0]
    assert doc.conclusions[0].span.start == lineno(text, first)
    assert not diags(doc, "segment.text-after-conclusions")


def test_adoption_date_in_preface_wins_over_conclusions():
    text = build("2021 年 12 月 6 日大会决议", "76/53. 标题", "大会，", PRE_1, OP_1, OP_2, "2021 年 12 月 7 日\n第 45 次全体会议")
    doc = segment(text)
    assert doc.metadata.adoption_date == "2021-12-06"


def test_text_after_conclusions_is_kept_and_reported():
    text = build("大会，", PRE_1, OP_1, OP_2, CLOSE, "一些多余的文字")
    doc = segment(text)
    assert [ln.role for ln in doc.conclusions] == ["date", "meeting", "other"]
    assert diags(doc, "segment.text-after-conclusions") == [(lineno(text, "一些多余的文字"), "warning")]


# ------------------------------------------------------------------ other kinds

def test_statement():
    text = build("关于核裁军问题的声明", "21 国集团(G-21)提交", "1. 本集团重申其立场。", "2. 本集团呼吁各国采取行动。")
    doc = segment(text)
    assert doc.kind == "statement"
    assert [ln.role for ln in doc.preface] == ["title", "submitter"]
    assert doc.metadata.title == "关于核裁军问题的声明"
    assert doc.metadata.submitter == "21 国集团(G-21)"
    assert nums(doc) == ["1.", "2."]


def test_prose_is_a_document_without_structure():
    text = build("这是一段普通的文字，没有任何结构。", "这是第二段文字，也没有编号。", "第三段。")
    doc = segment(text)
    assert doc.kind == "document"
    assert doc.structured is False
    assert diags(doc, "segment.no-structure") == [(1, "error")]
    assert [plain(b.inlines) for b in doc.body] == ["这是一段普通的文字，没有任何结构。", "这是第二段文字，也没有编号。", "第三段。"]


def test_nothing_is_dropped_from_a_resolution():
    """Guarantee 2: every body piece is in exactly one place."""
    text = build("第七十六届会议", "76/53. 标题", *BODY)
    doc = segment(text)
    placed = ([plain(ln.inlines) for ln in doc.preface] + [plain(doc.formula.inlines)]
              + [plain(p.inlines) for p in doc.preamble]
              + [b.num + " " + plain(b.inlines) for b in doc.body]
              + [plain(ln.inlines) for ln in doc.conclusions])
    expected = ["第七十六届会议", "76/53. 标题", "大会，", PRE_1, PRE_2, PRE_3] + \
        [x.replace("**", "") for x in (OP_1, OP_2, OP_3, OP_4)] + CLOSE.split("\n")
    assert placed == expected


def test_unnumbered_heading_between_operative_paragraphs():
    """A short line that ends no sentence, between numbered paragraphs, is a heading (plain or
    bold), not text glued to the paragraph before it."""
    text = build("人权理事会，", PRE_1, "1. **欢迎**特别报告员的报告；", "理事会的工作方法",
                 "2. **决定**继续审议这一问题；", "**后续行动**", "3. **请**秘书长提交报告。", CLOSE)
    doc = segment(text)
    assert [(type(b).__name__, getattr(b, "num", None)) for b in doc.body] == [
        ("Operative", "1."), ("Heading", None), ("Operative", "2."), ("Heading", None), ("Operative", "3.")]
    assert plain(doc.body[1].inlines) == "理事会的工作方法"
    assert plain(doc.body[0].inlines) == "欢迎特别报告员的报告；"
    assert not diags(doc, "segment.unclassified")


def test_roman_sub_paragraphs_of_three_letters_open_blocks_in_wrapped_text():
    """(iii), (vii), (viii) open a block like (i) and (ii): none is glued to the point before it."""
    lines = ["大会，", PRE_1,
             "1. **请**秘书长在其报告中说明下列各项，并就此向大会第七十七届会议提出具体建议：",
             "(a) 各国为执行本决议所采取的措施，包括立法和行政措施；",
             "(b) 下列方面的进展情况：",
             "(i) 关于核裁军的多边谈判进展情况以及各国就此所作的努力和所采取的步骤；",
             "(ii) 关于防止核扩散的各项措施，包括出口管制和核安保方面的措施和努力；",
             "(iii) 关于和平利用核能的国际合作，包括技术援助和能力建设方面的合作；",
             "(iv) 其他有关事项。", CLOSE]
    doc = segment(build(*lines), layout="wrapped")
    op = doc.body[0]
    assert [p.num for p in op.points] == ["(a)", "(b)"]
    assert [p.num for p in op.points[1].points] == ["(i)", "(ii)", "(iii)", "(iv)"]
