"""Stage 3 (``footnotes``) table tests: markers attached to bodies, repeated citations, markers
without a body, bodies without a marker.  Each case runs
``pipeline.stages.run(text, Context(), stop_after="footnotes")``."""
from __future__ import annotations

import pytest

from pipeline.context import Context, Options
from pipeline.model import walk
from pipeline.model import plain
from pipeline.model import NoteRef, Text
from pipeline.stages import run

from support.blocks import PRE_1, OP_1, OP_2, CLOSE, build, lineno
from conftest import SAMPLES

NOTE_1 = "¹ 联合国，《条约汇编》，第 729 卷，第 10485 号。"
NOTE_2 = "² A/76/90。"


def attach(text: str, **options):
    return run(text, Context(options=Options(**options)), stop_after="footnotes")


def refs(doc) -> list[tuple[str, bool, int]]:
    """Every NoteRef of the document in reading order: (marker, first, line)."""
    return [(r.marker, r.first, r.line) for v in walk(doc) for r in v.inlines if isinstance(r, NoteRef)]


def diags(doc, code: str) -> list[tuple[int, str]]:
    return [(d.line, d.severity) for d in doc.diagnostics if d.code == code]


def note(doc, marker: str):
    return next(n for n in doc.footnotes if n.marker == marker)


# ------------------------------------------------------------------ the table

CASES = [
    # (title, blocks, expected refs as (marker, first, needle for its line), expected citations
    #  per marker as [(block, needle)], expected diagnostics as [(code, needle)])
    ("marker in the preamble attached to its body",
     ["大会，", "念及缔约国特别是在《不扩散核武器条约》¹ 第六条中庄严承担义务，", OP_1, OP_2, CLOSE, NOTE_1],
     [("1", True, "《不扩散核武器条约》¹")],
     {"1": [("preamble:1", "《不扩散核武器条约》¹")]},
     []),
    ("marker at the end of a line",
     ["大会，", "还回顾国际法院 1996 年 7 月 8 日发表的咨询意见，¹", OP_1, OP_2, CLOSE, NOTE_1],
     [("1", True, "咨询意见，¹")],
     {"1": [("preamble:1", "咨询意见，¹")]},
     []),
    ("marker in an operative paragraph",
     ["大会，", PRE_1, "1. **注意到**秘书长的报告，¹ 并决定继续审议；", OP_2, CLOSE, NOTE_1],
     [("1", True, "秘书长的报告，¹")],
     {"1": [("para:1", "秘书长的报告，¹")]},
     []),
    ("marker in a sub-paragraph",
     ["大会，", PRE_1, "1. **请**秘书长：", "(a) 征求会员国对报告¹ 的意见；", "(b) 提出报告；", OP_2, CLOSE, NOTE_1],
     [("1", True, "对报告¹")],
     {"1": [("point:1(a)", "对报告¹")]},
     []),
    ("two-digit marker",
     ["大会，", "还欢迎工作组的工作报告，¹⁰ 2016 年工作组在日内瓦举行了会议，", OP_1, OP_2, CLOSE,
      "¹⁰ 联合国，《条约汇编》，第 2970 卷，第 51633 号。"],
     [("10", True, "报告，¹⁰")],
     {"10": [("preamble:1", "报告，¹⁰")]},
     []),
    ("repeated citation: first, then not first",
     ["大会，", "念及《不扩散核武器条约》¹ 第六条，", "注意到报告，² 以及《条约》¹ 的规定，",
      "1. **决定**继续审议《条约》² 的问题；", OP_2, CLOSE, NOTE_1, NOTE_2],
     [("1", True, "念及《不扩散核武器条约》¹"), ("2", True, "注意到报告，²"), ("1", False, "以及《条约》¹"),
      ("2", False, "继续审议《条约》²")],
     {"1": [("preamble:1", "念及《不扩散核武器条约》¹"), ("preamble:2", "以及《条约》¹")],
      "2": [("preamble:2", "注意到报告，²"), ("para:1", "继续审议《条约》²")]},
     []),
    ("marker without a body",
     ["大会，", "念及《不扩散核武器条约》¹ 第六条，", "注意到秘书长的报告，²", OP_1, OP_2, CLOSE, NOTE_1],
     [("1", True, "条约》¹"), ("2", True, "报告，²")],
     {"1": [("preamble:1", "条约》¹")]},
     [("footnote.missing-body", "报告，²")]),
    ("body without a marker",
     ["大会，", "念及《不扩散核武器条约》¹ 第六条，", OP_1, OP_2, CLOSE, NOTE_1, NOTE_2],
     [("1", True, "条约》¹")],
     {"1": [("preamble:1", "条约》¹")], "2": []},
     [("footnote.unreferenced", NOTE_2)]),
    ("footnote block in the middle of the body",
     ["大会，", "念及《不扩散核武器条约》¹ 第六条，", NOTE_1, "注意到秘书长的报告，", OP_1, OP_2, CLOSE],
     [("1", True, "条约》¹")],
     {"1": [("preamble:1", "条约》¹")]},
     []),
]


@pytest.mark.parametrize("title,blocks,want_refs,want_citations,want_diags", CASES, ids=[c[0] for c in CASES])
def test_footnotes(title, blocks, want_refs, want_citations, want_diags):
    text = build(*blocks)
    doc = attach(text)
    assert refs(doc) == [(m, first, lineno(text, needle)) for m, first, needle in want_refs]
    assert sorted(n.marker for n in doc.footnotes) == sorted(want_citations)
    for marker, cites in want_citations.items():
        got = [(c.block, c.line) for c in note(doc, marker).citations]
        assert got == [(block, lineno(text, needle)) for block, needle in cites], marker
    footnote_codes = {"footnote.missing-body", "footnote.unreferenced", "footnote.duplicate-body"}
    got_diags = [(d.code, d.line) for d in doc.diagnostics if d.code in footnote_codes]
    assert got_diags == [(code, lineno(text, needle)) for code, needle in want_diags]


# ------------------------------------------------------------------ details

def test_marker_run_and_the_space_after_it():
    """``》¹ 第六条`` reads ``》第六条`` with a note; the body text is the line after the marker."""
    text = build("大会，", "念及缔约国特别是在《不扩散核武器条约》¹ 第六条中庄严承担义务，", OP_1, OP_2, CLOSE, NOTE_1)
    doc = attach(text)
    runs = doc.preamble[0].inlines
    assert [type(r) for r in runs] == [Text, NoteRef, Text]
    assert runs[0].text == "念及缔约国特别是在《不扩散核武器条约》"
    assert runs[2].text == "第六条中庄严承担义务，"
    body = note(doc, "1")
    assert plain(body.inlines) == "联合国，《条约汇编》，第 729 卷，第 10485 号。"
    assert body.span.start == body.span.end == lineno(text, NOTE_1)


def test_missing_body_is_an_error_and_the_marker_is_kept():
    text = build("大会，", "注意到秘书长的报告，² 并表示赞赏，", OP_1, OP_2, CLOSE)
    doc = attach(text)
    assert diags(doc, "footnote.missing-body") == [(lineno(text, "报告，²"), "error")]
    assert any(isinstance(r, NoteRef) and r.marker == "2" for r in doc.preamble[0].inlines)
    assert "2" in next(d.message for d in doc.diagnostics if d.code == "footnote.missing-body")


def test_unreferenced_body_is_kept_with_a_warning():
    text = build("大会，", PRE_1, OP_1, OP_2, CLOSE, NOTE_2)
    doc = attach(text)
    assert diags(doc, "footnote.unreferenced") == [(lineno(text, NOTE_2), "warning")]
    assert [(n.marker, plain(n.inlines)) for n in doc.footnotes] == [("2", "A/76/90。")]


def test_marker_on_the_second_line_of_a_joined_paragraph_reports_that_line():
    """A marker on the second physical line of a rejoined block is cited at that line."""
    text = build("大会，", "注意到秘书长关于裁军和不扩散领域的\n多边主义的报告，¹ 并表示赞赏，", OP_1, OP_2, CLOSE, NOTE_1)
    doc = attach(text, layout="lines")
    assert len(doc.preamble) == 1
    assert refs(doc) == [("1", True, lineno(text, "多边主义的报告，¹"))]
    assert note(doc, "1").citations[0].line == 4


def test_duplicate_body_is_reported():
    text = build("大会，", "念及《条约》¹ 第六条，", OP_1, OP_2, CLOSE, NOTE_1, "¹ 另一个脚注。")
    doc = attach(text)
    assert diags(doc, "footnote.duplicate-body") == [(lineno(text, "¹ 另一个脚注。"), "warning")]
    assert len(doc.footnotes) == 2
    assert len(note(doc, "1").citations) == 1


def test_ibid_is_reported():
    text = build("大会，", "念及《条约》¹ 第六条，", "注意到报告，² 并表示赞赏，", OP_1, OP_2, CLOSE, NOTE_1, "² 同上。")
    doc = attach(text)
    ibid = [d for d in doc.diagnostics if d.code == "footnote.ibid"]
    assert [(d.line, d.severity) for d in ibid] == [(lineno(text, "² 同上。"), "info")]
    assert "1" in ibid[0].message


def test_footnote_stage_is_needed_for_first_flags_and_citations():
    """Before the footnotes stage, citations are not resolved."""
    text = build("大会，", "念及《条约》¹ 第六条，", OP_1, OP_2, CLOSE, NOTE_1)
    seg = run(text, Context(), stop_after="segment")
    assert note(seg, "1").citations == []
    doc = attach(text)
    assert [(c.block, c.line) for c in note(doc, "1").citations] == [("preamble:1", 3)]


def test_sample_002_repeated_citations_first_flags():
    """002 cites 4 and 10 twice (lines 39/99 and 57/109): first=True then first=False."""
    path = next(p for p in SAMPLES if p.name.startswith("002"))
    doc = attach(path.read_text(encoding="utf-8"))
    got = refs(doc)
    assert len(got) == 15
    assert [(m, f, ln) for m, f, ln in got if m in ("4", "10")] == [
        ("4", True, 39), ("10", True, 57), ("4", False, 99), ("10", False, 109)]
    assert all(first for m, first, _ in got if m not in ("4", "10"))
    assert [c.line for c in note(doc, "4").citations] == [39, 99]
    assert [c.line for c in note(doc, "10").citations] == [57, 109]
    assert not diags(doc, "footnote.missing-body") and not diags(doc, "footnote.unreferenced")


def test_sample_001_last_footnote_body_on_line_94():
    path = next(p for p in SAMPLES if p.name.startswith("001"))
    doc = attach(path.read_text(encoding="utf-8"))
    n13 = note(doc, "13")
    assert (n13.span.start, n13.span.end) == (94, 94)
    assert [c.line for c in n13.citations] == [77]


def test_annex_numbering_its_notes_from_1_again():
    """Markers repeat when an annex numbers its notes from 1 again: each citation gets the body
    printed after it, both notes are written, neither is lost."""
    from pipeline.convert import convert
    text = build("大会，", "回顾其各项决议，¹", OP_1, CLOSE, "¹ A/76/90。",
                 "附件", "指导原则", "1. 各国应确保人人能够获得饮用水。¹", "¹ 见 A/76/10。")
    out = convert(text, Context())
    doc = out.document
    assert [(n.marker, [c.block for c in n.citations]) for n in doc.footnotes] == [
        ("1", ["preamble:1"]), ("1", ["annex:1"])]
    assert [r.note for v in walk(doc) for r in v.inlines if isinstance(r, NoteRef)] == [0, 1]
    assert not diags(doc, "footnote.unreferenced")
    xml = out.xml.decode("utf-8")
    assert xml.count("<authorialNote") == 2 and "noteRef" not in xml
    assert "见 A/76/10。" in xml and "A/76/90。" in xml


def test_wrapped_line_beginning_with_a_citation_continues_its_paragraph():
    """Hard-wrapped text where a line break falls just before a marker: the line is the rest of
    the paragraph (its note has not been cited yet), not a footnote body; the real body, at the
    page bottom after it, is attached."""
    lines = ["关于 2013 年核裁军问题大会高级别会议后续行动的声明", "21 国集团(G-21)提交",
             "1. 2013 年 9 月 26 日举行的核裁军问题大会高级别会议充分显示了国际社会对紧急采取",
             "切实措施实现彻底消除核武器的大力支持。各国国家元首和政府首脑响应大会的决定",
             "¹ 在会上阐述了本国对核裁军的明确立场和政策，并呼吁尽早开始全面公约的谈判工作",
             "和其他相关的多边努力。",
             "2. 此次高级别会议结束后，大会又通过了题为“2013 年核裁军问题大会高级别会议的后",
             "续行动”的各项决议。",
             "¹ A/68/PV.11。"]
    doc = attach("\n\n".join(lines) + "\n", layout="wrapped")
    assert [b.num for b in doc.body] == ["1.", "2."]
    assert plain(doc.body[0].inlines).endswith("响应大会的决定在会上阐述了本国对核裁军的明确立场和政策，"
                                               "并呼吁尽早开始全面公约的谈判工作和其他相关的多边努力。")
    assert [(n.marker, plain(n.inlines), [c.block for c in n.citations]) for n in doc.footnotes] == [
        ("1", "A/68/PV.11。", ["para:1"])]
    assert not diags(doc, "footnote.duplicate-body") and not diags(doc, "footnote.unreferenced")


def test_closing_paragraph_after_a_page_break_is_not_taken_for_a_footnote_tail():
    """A footnote that ends without punctuation (a bare symbol) does not swallow the next page's
    only paragraph: a quotation, a verb or a body's name opens a paragraph, not a note's tail."""
    text = build("安全理事会主席声明",
                 "在 2022 年 1 月 31 日举行的第 8955 次会议上，安全理事会就题为“西非”的项目，发表如下主席声明：",
                 "“安全理事会欢迎秘书长关于联合国西非办事处活动的报告。¹", "¹ S/2021/1091\n\n\n",
                 "“安全理事会将继续积极处理此案。”")
    doc = attach(text)
    assert [plain(b.inlines) for b in doc.body][-1] == "“安全理事会将继续积极处理此案。”"
    assert [plain(n.inlines) for n in doc.footnotes] == ["S/2021/1091"]
    assert not diags(doc, "footnote.continued")


@pytest.mark.parametrize("line,text", [
    ("《条约》¹ 第六条", "《条约》第六条"),          # the space after a marker goes with it
    ("2000 年⁶ 和 2010 年", "2000 年和 2010 年"),
    ("见 A/76/10¹ 和 A/76/11，", "见 A/76/10 和 A/76/11，"),  # UN style: ASCII, space, Chinese
    ("工作报告¹ 2016 年", "工作报告 2016 年"),              # Chinese, space, digits
    ("报告，¹⁰ 2016 年", "报告，2016 年"),                  # no space after full-width punctuation
])
def test_space_after_a_marker(line, text):
    doc = attach(build("大会，", "回顾" + line + "，", OP_1, CLOSE, "¹ A/1。", "⁶ A/6。", "¹⁰ A/10。"))
    assert plain(doc.preamble[0].inlines) == "回顾" + text + "，"
