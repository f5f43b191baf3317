"""Stage 1 (``normalise``) table tests: the 25 cases of ``reference/normalisation.md`` §5, the offset
map (§4.3) and layout detection on the four samples.

"Stage 1a" cases go through the character pass (``char_pass`` / ``physical_lines``); "join" cases go
through the whole stage and compare the texts of the body pieces.  Where the reference elides text
with ``…``, the full sample lines are used (read by line number).
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from pipeline.context import Context, Options
from pipeline.stages.normalise import char_pass, normalise, physical_lines

from conftest import SAMPLES

TEXTS = {p.name[:3]: p.read_text(encoding="utf-8") for p in SAMPLES}
LINES = {k: v.split("\n") for k, v in TEXTS.items()}


def line(sample: str, n: int) -> str:
    """Line ``n`` (1-based, as ``cat -n`` numbers it) of a sample, exactly as stored."""
    return LINES[sample][n - 1]


def lines(sample: str, first: int, last: int) -> str:
    """Lines ``first..last`` of a sample, joined with LF as in the file."""
    return "\n".join(LINES[sample][first - 1:last])


@dataclass
class Src:
    """A reference to a sample line; ``literal`` is the text the reference document quotes, which
    must equal the sample line (a guard against typos in this table)."""

    sample: str
    lineno: int
    literal: str | None = None

    def text(self) -> str:
        got = line(self.sample, self.lineno)
        if self.literal is not None:
            assert got == self.literal, f"{self.sample}:{self.lineno} differs from the reference"
        return got


# ------------------------------------------------------------------ stage 1a: the character pass

CHAR_CASES = [
    # (case, title, input (str or Src), expected)
    ("01", "strip line edges, keep Han-digit spaces",
     Src("004", 1, "   关于 2013 年核裁军问题大会高级别会议后续行动的声明 "),
     "关于 2013 年核裁军问题大会高级别会议后续行动的声明"),
    ("02", "trailing space after 。",
     Src("004", 11, "阐述了本国对核裁军的明确立场和政策。 "), "阐述了本国对核裁军的明确立场和政策。"),
    ("03", "space-only line becomes empty", Src("004", 110, "     "), ""),
    ("04", "UN spacing in a date is not stripped",
     Src("001", 12, "2021 年 12 月 6 日大会决议"), "2021 年 12 月 6 日大会决议"),
    ("05", "ASCII ( ) [ ] , kept, no width fixes",
     Src("001", 14, "[根据第一委员会的报告(A/76/444, 第 93 段)通过]"),
     "[根据第一委员会的报告(A/76/444, 第 93 段)通过]"),
    ("06", "no NFKC: marker and its space survive, original term kept",
     Src("002", 57, "还欢迎大会第 70/33 号决议所设推进多边核裁军谈判无限成员名额工作组的工作报告，¹⁰ 2016 年工作组在日内瓦举行了会议，"),
     "还欢迎大会第 70/33 号决议所设推进多边核裁军谈判无限成员名额工作组的工作报告，¹⁰ 2016 年工作组在日内瓦举行了会议，"),
    ("07", "footnote line starting with U+00B9 U+2070 unchanged",
     Src("001", 63, "¹⁰ 联合国，《条约汇编》，第 2970 卷，第 51633 号。"),
     "¹⁰ 联合国，《条约汇编》，第 2970 卷，第 51633 号。"),
    ("08", "** kept, no spaces inserted",
     Src("001", 79), None),  # expected: the line unchanged (filled in below)
    ("09", "curly quotes kept, no spaces around them, marker at line end",
     Src("001", 77, "还回顾国际法院 1996 年 7 月 8 日发表的关于“以核武器进行威胁或使用核武器的合法性”的咨询意见，¹³"),
     "还回顾国际法院 1996 年 7 月 8 日发表的关于“以核武器进行威胁或使用核武器的合法性”的咨询意见，¹³"),
    ("10", "stray Latin word kept (full line 002:109)", Src("002", 109), None),
    ("11", "typo of the original kept",
     Src("001", 67, "重申裁军谈判会议作为唯一的多边裁军谈判决论坛的中心作用，"),
     "重申裁军谈判会议作为唯一的多边裁军谈判决论坛的中心作用，"),
    ("23a", "U+3000 indent becomes nothing", "\u3000\u3000大会，", "大会，"),
    ("23b", "NBSP and TAB become one space", "2021\u00a0年 12\u00a0月\t6 日", "2021 年 12 月 6 日"),
    ("24a", "zero-width characters removed", "核\u200b武器\u2060条约", "核武器条约"),
    ("24b", "Kangxi radical mapped to the unified ideograph", "\u2f00致结论", "一致结论"),
    ("24c", "ellipsis and dash kept", "等等……——以及", "等等……——以及"),
    ("25", "full-width letters/digits to ASCII, half-width marks to full, no space invented",
     "第７６／５３号决议､Ａ／ＲＥＳ／７６／５３｡", "第76/53号决议、A/RES/76/53。"),
]


@pytest.mark.parametrize("case,title,inp,expected", CHAR_CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CHAR_CASES])
def test_char_pass(case, title, inp, expected):
    raw = inp.text() if isinstance(inp, Src) else inp
    if expected is None:  # "unchanged"
        expected = raw
    assert char_pass(raw).text == expected


def test_case_08_and_10_are_what_the_reference_quotes():
    assert line("001", 79) == "1. **再次着重指出**国际法院的一致结论，即各国义务真诚地开展和完成在严格有效的国际监督下实现所有方面核裁军的谈判；"
    assert line("001", 79).startswith("1. **再次着重指出**国际法院的一致结论，")
    assert line("002", 109).endswith("之间关系的认识 and 理解的进一步措施，以及有助于推进多边核裁军谈判的其他措施；")
    assert "之间关系的认识 and 理解的进一步措施，" in line("002", 109)


def test_case_22_bom_and_crlf():
    """Case 22: BOM and CRLF; CRLF counts as one source line break."""
    got = physical_lines("\ufeff第七十六届会议\r\n议程项目 100 (k)\r\n")
    assert "".join(p.text + "\n" for p in got) == "第七十六届会议\n议程项目 100 (k)\n"
    assert [p.lineno for p in got] == [1, 2]


def test_case_03_space_only_line_is_a_blank():
    got = physical_lines("大会，\n     \n回顾，")
    assert [p.text for p in got] == ["大会，", "回顾，"]
    assert got[1].blank_before == 1
    assert got[1].lineno == 3


def test_inner_breaks_split_physical_lines_not_source_lines():
    """U+2028 splits a physical line but does not count as a source line (§4.1)."""
    got = physical_lines("大会，\u2028回顾，\n注意到，")
    assert [(p.text, p.lineno) for p in got] == [("大会，", 1), ("回顾，", 1), ("注意到，", 2)]


# ------------------------------------------------------------------ stage 1b: joining

def body_pieces(text: str, layout: str | None) -> list[str]:
    norm = normalise(text, Context(options=Options(layout=layout)))
    return [p.text for p in norm.pieces if p.kind == "body"]


JOIN_CASES = [
    # (case, title, input, layout, expected body pieces)
    ("12", "wrapped heading: Han+Han glue is empty, ： stays U+FF1A",
     "全面彻底裁军：国际法院关于“以核武器进行威胁\n或使用核武器的合法性”的咨询意见的后续行动", "lines",
     ["全面彻底裁军：国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动"]),
    ("13", "resolution number is not a paragraph number; wrapped title",
     "76/53. 国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见\n的后续行动", "lines",
     ["76/53. 国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动"]),
    ("14", "mid-word break across a blank line in the wrapped layout",
     "3. 这些决议还请秘书长就实现彻底消除核武器的目标，特别是关于核武器的全\n\n"
     "面公约的内容，征求会员国的意见，并就此向大会和裁军谈判会议提出报告。 ", "wrapped",
     ["3. 这些决议还请秘书长就实现彻底消除核武器的目标，特别是关于核武器的全面公约的内容，"
      "征求会员国的意见，并就此向大会和裁军谈判会议提出报告。"]),
    ("15", "Han+digit glue is one space; a line starting 72/251 is not paragraph 72",
     "会，呼吁执行联大第 68/32 号、第 69/58 号、第 70/34 号、第 71/71 号、第\n\n72/251 号和第 73/40 号决议。",
     "wrapped",
     ["会，呼吁执行联大第 68/32 号、第 69/58 号、第 70/34 号、第 71/71 号、第 72/251 号和第 73/40 号决议。"]),
    ("15-full", "case 15 on the full sample lines 004:88-90",
     lines("004", 88, 90), "wrapped", [line("004", 88) + " " + line("004", 90)]),
    ("16", "digit+Han glue is one space (full lines 004:96-98)",
     lines("004", 96, 98), "wrapped", [line("004", 96) + " " + line("004", 98)]),
    ("17", "line-final ， continues in the wrapped layout",
     "4. 大会还决定于待定日期在纽约召开一次核裁军问题联合国高级别国际会议，\n\n以审查这方面取得的进展。 ", "wrapped",
     ["4. 大会还决定于待定日期在纽约召开一次核裁军问题联合国高级别国际会议，以审查这方面取得的进展。"]),
    ("18", "same shape, paragraph-per-line layout: two preambular paragraphs (001:23-25)",
     lines("001", 23, 25), "lines", [line("001", 23), line("001", 25)]),
    ("19", "page-break residue: 。 end plus block opener (004:57-58)",
     lines("004", 57, 58), "wrapped", [line("004", 57).strip(), line("004", 58).strip()]),
    ("20", "adjacent but separate: date and meeting",
     "2021 年 12 月 6 日\n第 45 次全体会议", "lines", ["2021 年 12 月 6 日", "第 45 次全体会议"]),
    ("21", "paragraphs without a blank line between (003:49-50)",
     lines("003", 49, 50), "lines", [line("003", 49), line("003", 50)]),
]


@pytest.mark.parametrize("case,title,text,layout,expected", JOIN_CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in JOIN_CASES])
def test_join(case, title, text, layout, expected):
    assert body_pieces(text, layout) == expected


def test_join_case_inputs_match_the_samples():
    """The literal inputs of cases 12-15, 17 and 20 are the sample lines."""
    assert lines("001", 9, 10) == JOIN_CASES[0][2]
    assert lines("001", 16, 17) == JOIN_CASES[1][2]
    assert lines("004", 23, 25) == JOIN_CASES[2][2]
    assert lines("004", 88, 89) + "\n" + line("004", 90).split("。")[0] + "。" == JOIN_CASES[3][2]
    assert lines("004", 27, 29) == JOIN_CASES[6][2]
    assert lines("001", 87, 88) == JOIN_CASES[9][2]
    # the elided ones contain what the reference shows
    assert "和 6 月 15 日至 7 月 7 日" in JOIN_CASES[5][4][0]
    assert line("004", 58).startswith(" 8. 核裁军是")
    assert line("003", 49).startswith("1. **重申**") and line("003", 49).endswith("并扩大其范围；")


@pytest.mark.parametrize("case,sample,expected", [
    ("14", "004", JOIN_CASES[2][4][0]),
    ("16", "004", line("004", 96) + " " + line("004", 98)),
    ("17", "004", JOIN_CASES[6][4][0]),
    ("19", "004", line("004", 58).strip()),
    ("12", "001", JOIN_CASES[0][4][0]),
    ("13", "001", JOIN_CASES[1][4][0]),
    ("18a", "001", line("001", 23)),
    ("18b", "001", line("001", 25)),
    ("20a", "001", "2021 年 12 月 6 日"),
    ("20b", "001", "第 45 次全体会议"),
    ("21a", "003", line("003", 49)),
    ("21b", "003", line("003", 50)),
], ids=lambda v: v if isinstance(v, str) and len(v) <= 3 else "-")
def test_join_with_layout_detected_on_the_whole_sample(case, sample, expected):
    """The same cases with the layout detected on the whole file: the expected text is one piece
    (a prefix of one, for cases 16 and 19 whose paragraphs run on)."""
    pieces = body_pieces(TEXTS[sample], None)
    if case in ("16", "19"):
        assert any(p.startswith(expected) for p in pieces)
    else:
        assert expected in pieces


def test_case_15_whole_sample_paragraph_13():
    pieces = body_pieces(TEXTS["004"], None)
    p13 = next(p for p in pieces if p.startswith("13. "))
    assert "第 71/71 号、第 72/251 号和第 73/40 号决议。" in p13
    assert not any(p.startswith("72/251") for p in pieces)


# ------------------------------------------------------------------ layout and blocks per sample

@pytest.mark.parametrize("sample,wrapped,blocks,notes", [
    ("001", False, None, 13), ("002", False, None, 13), ("003", False, None, 3), ("004", True, 17, 0),
])
def test_layout_and_block_count(sample, wrapped, blocks, notes):
    norm = normalise(TEXTS[sample], Context())
    assert norm.layout.wrapped is wrapped
    if wrapped:
        assert 66 <= norm.layout.width <= 74
    body = [p for p in norm.pieces if p.kind == "body"]
    if blocks is not None:  # 004: title, submitter, paragraphs 1-15 (§4.2)
        assert len(body) == blocks
        assert [p.text.split(". ")[0] for p in body[2:]] == [str(k) for k in range(1, 16)]
    assert len([p for p in norm.pieces if p.kind == "footnote"]) == notes


def test_wrapped_layout_is_reported():
    ctx = Context()
    normalise(TEXTS["004"], ctx)
    assert [(d.code, d.line) for d in ctx.sink.items if d.code == "normalise.wrapped"] == [("normalise.wrapped", 1)]


@pytest.mark.parametrize("sample", ["001", "002", "003", "004"])
def test_pieces_have_no_edge_spaces_or_double_spaces(sample):
    norm = normalise(TEXTS[sample], Context())
    for p in norm.pieces:
        assert p.text == p.text.strip(" ")
        assert "  " not in p.text
        assert "\n" not in p.text


# ------------------------------------------------------------------ the offset map (§4.3)

def test_last_footnote_marker_of_001_maps_to_line_94_column_1():
    norm = normalise(TEXTS["001"], Context())
    piece = [p for p in norm.pieces if "¹³" in p.text][-1]
    assert piece.kind == "footnote"
    assert norm.position(piece, piece.text.rindex("¹³")) == (94, 1)
    assert norm.position(piece, piece.text.rindex("¹³") + 1) == (94, 2)
    assert piece.first_line == 94


@pytest.mark.parametrize("sample", ["001", "002", "003", "004"])
def test_every_kept_character_maps_to_itself(sample):
    """Each non-space character of each piece equals the source character at its mapped offset."""
    src = TEXTS[sample]
    norm = normalise(src, Context())
    for p in norm.pieces:
        for i, ch in enumerate(p.text):
            if ch != " ":
                assert src[p.source_offset(i)] == ch, (p.text, i)


def pos_all(text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    norm = normalise(text, Context())
    return [(p.text, [norm.position(p, i) for i in range(len(p.text))]) for p in norm.pieces]


POSITION_CASES = [
    ("after a deleted zero-width space", "大会，\n核\u200b武器",
     ("核武器", [(2, 1), (2, 3), (2, 4)])),
    ("full-width digits mapped to ASCII keep their columns", "议程项目 １００ (k)",
     ("议程项目 100 (k)", [(1, k) for k in range(1, 13)])),
    ("full-width letters and solidus", "见Ａ／ＲＥＳ／７６",
     ("见A/RES/76", [(1, k) for k in range(1, 10)])),
    ("after a BOM", "\ufeff大会，", ("大会，", [(1, 2), (1, 3), (1, 4)])),
    ("after CRLF", "第七十六届会议\r\n大会，", ("大会，", [(2, 1), (2, 2), (2, 3)])),
    ("after a lone CR", "第七十六届会议\r大会，", ("大会，", [(2, 1), (2, 2), (2, 3)])),
    ("after leading U+3000 indent", "\u3000\u3000大会，", ("大会，", [(1, 3), (1, 4), (1, 5)])),
    ("collapsed spaces", "第  45 次", ("第 45 次", [(1, 1), (1, 2), (1, 4), (1, 5), (1, 6), (1, 7)])),
    ("after a Kangxi radical", "\u2f00致", ("一致", [(1, 1), (1, 2)])),
]


@pytest.mark.parametrize("title,text,expected", POSITION_CASES, ids=[c[0] for c in POSITION_CASES])
def test_positions(title, text, expected):
    got = pos_all(text)
    assert expected in got, got


def test_position_inside_a_joined_heading():
    """001:9/10 are one piece; its second physical line starts at line 10, column 1."""
    norm = normalise(TEXTS["001"], Context())
    piece = next(p for p in norm.pieces if p.text.startswith("全面彻底裁军："))
    i = piece.text.index("或使用")
    assert norm.position(piece, i) == (10, 1)
    assert norm.position(piece, i - 1) == (9, len(line("001", 9)))
    assert (piece.first_line, piece.last_line) == (9, 10)


def test_glue_space_maps_to_the_line_break_it_replaces():
    """§4.3: an inserted glue space takes the offset of the line break (004:88 -> 90)."""
    norm = normalise(TEXTS["004"], Context())
    piece = next(p for p in norm.pieces if p.text.startswith("13. "))
    i = piece.text.index("呼吁执行联大第 68/32 号") + len("呼吁执行联大第 68/32 号、第 69/58 号、第 70/34 号、第 71/71 号、第")
    assert piece.text[i] == " "
    assert norm.position(piece, i) == (88, len(line("004", 88)) + 1)
    assert norm.position(piece, i + 1) == (90, 1)
    assert piece.line_at(i + 1) == 90


def test_position_after_leading_spaces_in_004():
    norm = normalise(TEXTS["004"], Context())
    title = next(p for p in norm.pieces if p.text.startswith("关于 2013"))
    assert norm.position(title, 0) == (1, 4)
    eight = next(p for p in norm.pieces if p.text.startswith("8. 核裁军"))
    assert norm.position(eight, 0) == (58, 2)


# ------------------------------------------------------------------ diagnostics of the character pass

@pytest.mark.parametrize("text,code,lineno", [
    ("大会，\n核\u200b武器", "normalise.invisible", 2),
    ("大会，\n\n议程项目 １００", "normalise.fullwidth", 3),
    ("\u2f00致结论", "normalise.kangxi", 1),
    ("大会，\n回顾\x07，", "normalise.control", 2),
], ids=["invisible", "fullwidth", "kangxi", "control"])
def test_character_pass_reports_with_first_line(text, code, lineno):
    ctx = Context()
    normalise(text, ctx)
    assert (code, lineno) in [(d.code, d.line) for d in ctx.sink.items]


def test_clean_sample_reports_nothing_about_characters():
    ctx = Context()
    normalise(TEXTS["001"], ctx)
    assert not [d for d in ctx.sink.items if d.code.startswith("normalise.")]


def test_control_characters_removed():
    assert char_pass("回顾\x07\x1b，").text == "回顾，"


def test_nfc_applied():
    assert char_pass("Cafe\u0301 大会").text == "Caf\u00e9 大会"


@pytest.mark.parametrize("line,reason", [
    ("A/RES/76/53", "running header"), ("**A/HRC/RES/54/7**", "running header"),
    ("S/RES/2625 (2022)", "running header"), ("2/4", "page number"), ("21-18412 (C)", "job number"),
    ("GE.23-14033 (C) 191023 201023", "job number"), ("21-18412 3/4", "job number"),
    ("2/4 GE.23-11044", "page number and job number"), ("*2118412*", "barcode"),
    ("*2314033* 请回收", "barcode"), ("*2118412* ♲", "barcode"), ("♲", "recycle mark"),
    ("大 会 Distr.: General", "distribution line"), ("联合国 A/RES/76/53", "masthead"),
    ("裁军谈判会议 CD/2235", "masthead"), ("Original: English", "language line"),
    ("15 October 2023", "issue date"),
    ("A/50/426，附件。", None), ("2021 年 12 月 6 日", None), ("第 45 次全体会议", None), ("回收", None),
])
def test_page_debris_patterns(line, reason):
    """What is removed as page debris, and what looks close but is text."""
    from pipeline.stages.patterns import debris_reason
    assert debris_reason(line) == reason


# -------------------------------------------------------------------------- the LF-only fast path

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["大会，", "回顾", " ", "  ", "\u3000", "１２", "A/RES/76/1", "\u200b", "\t", "\u00a0", "¹", "\u1680",
           "\ufffe",
           "e\u0301", "\u2126", "⼈", "，", "**", "\x07", "(a)", "Ａ．Ｂ"]


@pytest.mark.slow
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=5).map("".join), min_size=1, max_size=8))
def test_lf_fast_path_equals_the_general_path(rows):
    """LF-only text takes a fast path; the same text with CRLF line ends takes the general one.
    Lines, line numbers, blanks and every source offset (shifted by the CRs) must agree."""
    lf = "\n".join(rows)
    crlf = "\r\n".join(rows)
    fast, general = physical_lines(lf), physical_lines(crlf)
    assert [(x.text, x.lineno, x.blank_before) for x in fast] == [(x.text, x.lineno, x.blank_before) for x in general]
    for x, y in zip(fast, general):
        assert [x.offset(i) + x.lineno - 1 for i in range(len(x.text))] == [y.offset(i) for i in range(len(y.text))]
    c1, c2 = Context(source="t", options=Options()), Context(source="t", options=Options())
    physical_lines(lf, c1), physical_lines(crlf, c2)
    assert [(d.code, d.line) for d in c1.sink.items] == [(d.code, d.line) for d in c2.sink.items]
