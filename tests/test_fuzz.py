"""Property tests: no input text crashes the pipeline, and ``decode`` never fails other than with
``InputError``.  Bounded (``max_examples`` about 200, no deadline) so the suite stays fast."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from pipeline.context import Context
from pipeline.decode import InputError, decode
from pipeline.stages.normalise import normalise
from pipeline.convert import convert

from conftest import SAMPLES

SAMPLE_LINES = sorted({ln for p in SAMPLES for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()})

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
SPECIAL = st.sampled_from(list(
    "¹²³⁴⁵⁶⁷⁸⁹⁰，。、；：“”‘’《》()[]（）［］ 　\u00a0\t\u200b\u00ad\ufeff\u2028\u000c\r"
    "０１２３４５６７８９ＡＢＣａｂｃ／．－｡､⼀\u3001*.-/0123456789abcxyz"))
FRAGMENTS = st.sampled_from([
    "**", "1. ", "2. ", "3. ", "4. ", "10. ", "(a) ", "(b) ", "(i) ", "(ii) ", "(一) ", "一、", "A. ",
    "大会，", "人权理事会，", "安全理事会，", "经济及社会理事会，", "第七十六届会议", "议程项目 100 (k)",
    "2021 年 12 月 6 日", "第 45 次全体会议", "2021 年 12 月 6 日大会决议", "76/53. ",
    "[根据第一委员会的报告(A/76/444, 第 93 段)通过]", "[未经发交主要委员会而通过(A/76/L.23)]",
    "[以 150 票对 4 票、35 票弃权记录表决通过]", "¹ ", "¹⁰ ", "同上。", "如下： (a) 甲； (b) 乙；",
    "A/RES/76/53", "GE.21-12345", "3/12", "请回收", "72/251 号", "第 ", "号决议", "回顾", "决定",
    "\n", "\n\n", "\n\n\n\n", " ", "　", "\r\n",
])
PIECE = st.one_of(
    FRAGMENTS,
    st.sampled_from(SAMPLE_LINES),
    st.text(HAN, min_size=1, max_size=12),
    st.text(SPECIAL, min_size=1, max_size=6),
    st.integers(0, 2100).map(str),
)
LINE = st.lists(PIECE, min_size=0, max_size=8).map("".join)
TEXTS = st.one_of(
    st.lists(LINE, min_size=0, max_size=25).map("\n".join),
    st.lists(LINE, min_size=0, max_size=15).map("\n\n".join),
    st.text(max_size=200),
)

# Deterministic (same examples every run, no example database) and without the shrink phase, so a
# failure costs no more time than a pass; ``EDGE_CASES`` below hold minimal reproductions.
FUZZ = settings(max_examples=200, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


EDGE_CASES = [
    ("empty", ""),
    ("blank lines only", "\n\n\n"),
    ("a lone marker", "¹"),
    ("a marker and a space", "¹ "),
    ("a lone bold mark", "**"),
    ("a number without text", "1."),
    ("a number and a space", "1. "),
    ("a lone point label", "(a)"),
    ("a formula alone", "大会，"),
    ("labels without text", "大会，\n\n1. (a) (b)"),
    ("folded points with nesting", "大会，\n\n1. 如下： (a) 甲； (b) 乙：(i) 一；(ii) 二；"),
    ("conclusions then ibid", "大会，\n\n2021 年 12 月 6 日\n第 45 次全体会议\n\n¹ 同上。"),
    ("footnote continued after text", "¹ 注。\n\n继续。\n\n² 注。"),
    ("inner line breaks only", "\u2028\u2029\x0c\x0b\x85"),
    ("page debris only", "A/RES/76/53\n3/12\nGE.21-12345"),
    ("a full-width joiner alone on a line", "－"),
    ("a full-width joiner at the end of a line", "第７６／"),
    ("a full-width joiner at the start of a line", "／７６号"),
    ("a footnote body citing itself", "回顾¹，\n\n¹ 见¹。"),
    ("a footnote body that is only its own marker", "¹ ¹"),
    ("two footnote bodies citing each other", "¹ 见²。\n\n² 见¹。\n\n正文¹"),
]


def check_converts(text: str) -> None:
    """The text converts: the outputs are produced and validate (``convert`` raises
    ``OutputInvalid`` otherwise), and every diagnostic names a line of the input (or 0)."""
    out = convert(text, Context(source="fuzz.txt"))
    assert out.xml.lstrip().startswith(b"<")
    assert out.json
    n_lines = len(text.splitlines()) + 1
    for d in out.document.diagnostics:
        assert 0 <= d.line <= n_lines, d


@pytest.mark.parametrize("title,text", EDGE_CASES, ids=[c[0] for c in EDGE_CASES])
def test_edge_cases_convert(title, text):
    check_converts(text)


@pytest.mark.slow
@FUZZ
@given(TEXTS)
def test_convert_never_raises(text):
    check_converts(text)


@pytest.mark.slow
@FUZZ
@given(TEXTS)
def test_normalise_guarantees(text):
    """Guarantees 1 and 4 of ``pipeline.normalise``: no edge or double spaces, no invisible or
    control characters in the pieces, and every character maps to a position inside the input."""
    norm = normalise(text, Context())
    n_lines = len(norm.line_starts)
    for p in norm.pieces:
        assert p.text, "empty piece"
        assert p.text == p.text.strip(" ")
        assert "  " not in p.text
        assert not any(c in p.text for c in "\ufeff\u200b\u200c\u200d\u2060\u00ad\t\u00a0\u3000\r\n")
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in p.text)
        for i in range(len(p.text)):
            line, col = norm.position(p, i)
            assert 1 <= line <= n_lines
            assert col >= 1


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030"])


@st.composite
def encoded_texts(draw):
    text = draw(TEXTS)
    enc = draw(ENCODINGS)
    try:
        return text.encode(enc)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


BYTES = st.one_of(
    st.binary(max_size=300),
    encoded_texts(),
    st.tuples(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x00"]),
              st.binary(max_size=200)).map(b"".join),
    st.tuples(encoded_texts(), st.binary(max_size=8), encoded_texts()).map(b"".join),
)


@pytest.mark.slow
@FUZZ
@given(BYTES)
@example(b"")
@example(b"\x00")
@example(codecs.BOM_UTF16_LE)
@example(codecs.BOM_UTF16_LE + b"\x00")          # odd length after the BOM
@example(codecs.BOM_UTF16_LE + b"\x00\xd8")      # lone surrogate
@example(codecs.BOM_UTF16_BE + b"\xd8\x00\x00A")
@example(b"a\x00" * 40 + b"a")                   # UTF-16 without BOM, odd length
@example(b"\x80\x80\n")
@example(b"\xff\xff\xff")
@example(b"\x81\x30")                            # truncated GB18030 four-byte sequence
@example(b"\xff\xfe\x00\x00\x00")              # UTF-16 BOM, then truncated data
def test_decode_returns_or_raises_input_error(data):
    try:
        text, notes = decode(data)
    except InputError as exc:
        assert exc.code.startswith("input.")
        assert exc.line >= 0
        return
    assert isinstance(text, str)
    assert text.strip()
    for code, message, line in notes:
        assert code.startswith("input.") and message and line >= 1


@pytest.mark.slow
@settings(max_examples=60, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate])
@given(st.sampled_from(SAMPLES), st.data())
def test_samples_with_lines_dropped_still_convert(path, data):
    """A sample with some of its lines deleted (extraction losses) still converts."""
    lines = path.read_text(encoding="utf-8").split("\n")
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    text = "\n".join(ln for ln, k in zip(lines, keep) if k)
    out = convert(text, Context(source=path.name))
    assert out.xml and out.json
