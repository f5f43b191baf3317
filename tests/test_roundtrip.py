"""Round trip (issue 3, §3): a document rendered as PDF-extraction-style text (``pipeline.render``)
in each layout and converted back with ``pipeline.stages.run`` gives the same structure and text.

Layouts: ``lines`` with sub-paragraphs folded into the paragraph line (samples 001-003, corpus
layout A), ``lines`` with sub-paragraphs on their own lines (corpus layout C) and ``wrapped``
(hard-wrapped at 70 columns with a blank line after every printed line, sample 004, corpus layout
B); all with page-bottom footnote blocks at simulated page ends.

Two kinds of test: the four samples' documents, and generated General Assembly resolutions
(hypothesis, a bounded number of examples) built from phrases of real resolutions (samples 001-003):
preface, formula ``大会，``, 1-12 preambular and 1-12 operative paragraphs with optional (a)/(b)/(c)
sub-paragraphs, footnotes cited 0-3 times each, closing date and meeting.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.context import Context
from pipeline.stages.footnotes import attach
from pipeline.model import walk
from pipeline.model import (Document, Footnote, Heading, Line, NoteRef, Operative, Paragraph, Point,
                            Span, Text)
from support.render import render, width_of
from pipeline.stages import run

from conftest import SAMPLES

STYLES = [("lines", "folded"), ("lines", "lines"), ("wrapped", "lines")]
STYLE_IDS = ["lines-folded", "lines-points", "wrapped"]


# -------------------------------------------------------------------------- comparison

def text_of(runs) -> str:
    """Runs as one comparable string: whitespace removed, bold as ``**…**``, markers as ``^N^``."""
    out = []
    for r in runs:
        if isinstance(r, NoteRef):
            out.append(f"^{r.marker}^")
        elif r.bold:
            out.append(f"**{r.text}**")
        else:
            out.append(r.text)
    s = re.sub(r"\s+", "", "".join(out))
    return s.replace("****", "")


def points_shape(points: list[Point]) -> list:
    return [(p.num, text_of(p.inlines), points_shape(p.points)) for p in points]


def shape(doc: Document) -> dict:
    """What must survive the round trip: kind, every block's role/number and text, footnotes."""
    body = []
    for item in doc.body:
        if isinstance(item, Heading):
            body.append(("heading", item.num, text_of(item.inlines)))
        else:
            body.append(("paragraph", item.num, text_of(item.inlines), points_shape(item.points)))
    return dict(
        kind=doc.kind,
        structured=doc.structured,
        preface=[(ln.role, text_of(ln.inlines)) for ln in doc.preface],
        formula=text_of(doc.formula.inlines) if doc.formula else None,
        preamble=[text_of(p.inlines) for p in doc.preamble],
        body=body,
        conclusions=[(ln.role, text_of(ln.inlines)) for ln in doc.conclusions],
        footnotes=[(n.marker, text_of(n.inlines), [c.block for c in n.citations]) for n in doc.footnotes],
        firsts=[(r.marker, r.first) for _, runs in _blocks(doc) for r in runs if isinstance(r, NoteRef)],
    )


def _blocks(doc: Document):
    return [(v.name, v.inlines) for v in walk(doc)]


def meta_shape(doc: Document) -> dict:
    m = doc.metadata
    squash = lambda s: re.sub(r"\s+", "", s) if isinstance(s, str) else s  # noqa: E731
    return dict(symbol=m.symbol, body=m.body, number=m.number, session=m.session,
                adoption_date=m.adoption_date, title=squash(m.title), meeting=squash(m.meeting),
                agenda=[(squash(a.number), squash(a.title)) for a in m.agenda_items],
                report=m.committee_report and (m.committee_report.symbol, m.committee_report.paragraph))


def assert_same(expected: Document, text: str) -> Document:
    got = run(text, Context())
    want, have = shape(expected), shape(got)
    for key in want:
        assert have[key] == want[key], f"{key} differs after the round trip; rendered text:\n{text}"
    return got


# -------------------------------------------------------------------------- the samples

@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.name[:3])
def sample_doc(request) -> Document:
    return run(request.param.read_text(encoding="utf-8"), Context(source=request.param.name))


@pytest.mark.parametrize("layout,points", STYLES, ids=STYLE_IDS)
def test_sample_round_trip(sample_doc, layout, points):
    text = render(sample_doc, layout, points=points)
    got = assert_same(sample_doc, text)
    assert meta_shape(got) == meta_shape(sample_doc)


@pytest.mark.parametrize("page_lines", [1, 3, 7, 25])
def test_sample_round_trip_page_sizes(sample_doc, page_lines):
    """Footnote blocks at many places: after every line, between wrapped lines of a paragraph."""
    for layout, points in STYLES:
        assert_same(sample_doc, render(sample_doc, layout, points=points, page_lines=page_lines))


def test_render_shapes():
    """The renderer's own contract on a small document."""
    doc = Document(
        kind="resolution",
        formula=Paragraph(inlines=[Text(text="大会，")], span=Span(start=0, end=0)),
        preamble=[Paragraph(inlines=[Text(text="回顾《条约》"), NoteRef(marker="12"),
                                     Text(text="第六条，")], span=Span(start=0, end=0))],
        body=[Operative(num="1.", inlines=[Text(text="决定", bold=True), Text(text="如下：")],
                        points=[Point(num="(a)", inlines=[Text(text="甲；")], span=Span(start=0, end=0)),
                                Point(num="(b)", inlines=[Text(text="乙。")], span=Span(start=0, end=0))],
                        span=Span(start=0, end=0))],
        footnotes=[Footnote(marker="12", inlines=[Text(text="A/76/90。")], span=Span(start=0, end=0))],
    )
    assert render(doc, "lines") == (
        "大会，\n\n回顾《条约》¹² 第六条，\n\n1. **决定**如下： (a) 甲； (b) 乙。\n\n¹² A/76/90。\n")
    assert render(doc, "lines", points="lines").splitlines()[4:7] == ["1. **决定**如下：", "", "(a) 甲；"]
    assert render(doc, "lines", page_lines=1).startswith("大会，\n\n\n\n回顾《条约》¹² 第六条，\n\n¹² A/76/90。\n\n\n\n1.")
    long = Document(preamble=[Paragraph(inlines=[Text(text="回顾" + "核裁军" * 30 + " A/CONF.229/2017/8 号，")],
                                        span=Span(start=0, end=0))])
    lines = render(long, "wrapped").split("\n")
    assert all(ln == "" for ln in lines[1::2])
    assert max(width_of(ln) for ln in lines) <= 72
    assert all(re.fullmatch(r"[A-Za-z0-9]+", w) for ln in lines for w in re.findall(r"[A-Za-z0-9]+", ln))
    assert "".join(lines).replace(" ", "") == "回顾" + "核裁军" * 30 + "A/CONF.229/2017/8号，"


# -------------------------------------------------------------------------- generated documents

CN = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (CN[tens] if tens > 1 else "") + "十" + (CN[ones] if ones else "")


PREAMBLE_VERBS = ["回顾", "又回顾", "还回顾", "重申", "又重申", "注意到", "又注意到", "满意地注意到",
                  "欢迎", "又欢迎", "强调", "又强调", "强调指出", "深信", "认识到", "铭记", "确认",
                  "意识到", "深为关切", "关切地注意到"]
OPERATIVE_VERBS = ["决定", "又决定", "请", "又请", "促请", "再次促请", "吁请", "敦促", "鼓励", "欢迎",
                   "强调", "重申", "再次着重指出", "表示注意到", "建议", "期待", "赞赏地注意到"]
PHRASES = [
    "国际法院的一致结论",
    "各国义务真诚地开展和完成在严格有效的国际监督下实现所有方面核裁军的谈判",
    "秘书长关于核裁军的五点建议",
    "核武器的继续存在对人类和地球上的所有生命构成威胁",
    "国际社会承诺通过彻底消除核武器实现无核武器世界的目标",
    "缔约国特别是在《不扩散核武器条约》第六条中庄严承担义务",
    "为实现核裁军所作的持续努力",
    "包括通过秘书长裁军议程《保护我们的共同未来：裁军议程》所作的努力",
    "多边外交在裁军和不扩散领域中的绝对效力",
    "裁军谈判会议作为唯一的多边裁军谈判论坛的中心作用",
    "世界各国必须共同承担责任管理全球经济和社会发展",
    "所有会员国、国际组织和民间社会作出的努力",
    "与大规模毁灭性武器有关的各项文书的缔约国",
    "在现有资源范围内向特别报告员提供一切必要协助",
    "联合国人权事务高级专员办事处的工作",
    "《世界人权宣言》和《公民及政治权利国际公约》",
    "包容各方的重要性",
    "在大会第{cn}届会议临时议程题为“全面彻底裁军”的项目下列入该分项",
    "{date}第 {res} 号决议",
    "秘书长依照第 {res} 号决议提出的报告({sym})",
    "{date}举行的核裁军问题大会高级别会议",
    "不扩散核武器条约缔约国 {year} 年审议大会的成果文件",
    "第 {n} 次全体会议的讨论",
    "{n} 个会员国提交的答复",
    "特别报告员的报告({sym})",
    "人权理事会{date}第 {hrc} 号决议",
]
CONNECTORS = ["，", "，并", "，包括", "，其中", "，同时", "、", "以及"]
POINT_TEXTS = [
    "协助并酌情促进就与任务有关的问题提供技术援助或咨询服务",
    "收集关于国家情况的相关资料",
    "查明、交流和推广良好做法和经验教训",
    "与各国政府、国际和区域组织、国家人权机构和非政府组织定期开展对话与合作",
    "在其任务工作中始终纳入性别平等视角",
    "进行国别访问并及时回复各国的邀请",
    "就{date}通过的第 {res} 号决议的执行情况提出报告({sym})",
]
NOTE_BODIES = ["{sym}。", "见 {sym}。", "第 {res} 号决议。", "{sym}，附件。", "见 {sym}，第 {n} 段。",
               "联合国，《条约汇编》，第 {n} 卷，第 {n} 号。", "同上，第 {n} 段。", "{sym} 和 Corr.1。"]
AGENDA_TITLES = ["全面彻底裁军", "促进和保护人权", "全面彻底裁军：促进裁军和不扩散领域的多边主义"]
TITLES = ["推进多边核裁军谈判", "促进裁军和不扩散领域的多边主义",
          "国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动",
          "世界人权教育方案"]


@st.composite
def fillers(draw) -> dict:
    year = draw(st.integers(1990, 2023))
    session = draw(st.integers(45, 78))
    return dict(
        date=f"{year} 年 {draw(st.integers(1, 12))} 月 {draw(st.integers(1, 28))} 日",
        year=year,
        res=f"{session}/{draw(st.integers(1, 280))}",
        hrc=f"{draw(st.integers(1, 54))}/{draw(st.integers(1, 40))}",
        sym=draw(st.sampled_from(["A/{s}/{n}", "A/HRC/{h}/{n}", "A/{s}/{n}/Add.1", "S/{y}/{n}",
                                  "A/CONF.229/2017/8", "E/CN.4/2005/102/Add.1"]))
        .format(s=session, n=draw(st.integers(1, 999)), h=draw(st.integers(30, 54)), y=year),
        n=draw(st.integers(2, 200)),
        cn=cn_number(draw(st.integers(70, 79))),
    )


def phrase(draw, pool) -> str:
    return draw(st.sampled_from(pool)).format(**draw(fillers()))


REF = object()  # a citation slot, replaced by a NoteRef once markers are numbered


def clause_runs(draw, first: str, end: str, pool=PHRASES, k=(1, 4)) -> list:
    """``first`` + phrases joined by connectors + ``end``, with citation slots at phrase ends."""
    out: list = [first]
    n = draw(st.integers(*k))
    for i in range(n):
        out.append(phrase(draw, pool))
        sep = end if i == n - 1 else draw(st.sampled_from(CONNECTORS))
        if draw(st.integers(0, 5)) == 0:
            before = draw(st.booleans()) and sep[:1] in "，、"
            out.extend([REF, sep] if before else [sep, REF])
        else:
            out.append(sep)
    return out


@st.composite
def resolutions(draw) -> Document:
    zero = Span(start=0, end=0)
    session = draw(st.integers(70, 78))
    num = draw(st.integers(1, 300))
    year = 1945 + session
    date = f"{year} 年 12 月 {draw(st.integers(1, 28))} 日"
    preface = [Line(role="session", inlines=[Text(text=f"第{cn_number(session)}届会议")], span=zero),
               Line(role="agenda", inlines=[Text(text=draw(st.sampled_from(
                   [f"议程项目 {draw(st.integers(10, 130))}", "议程项目 100 (k)", "议程项目 99(bb)"])))],
                   span=zero)]
    if draw(st.booleans()):
        preface.append(Line(role="agendaTitle", inlines=[Text(text=draw(st.sampled_from(AGENDA_TITLES)))],
                            span=zero))
    preface.append(Line(role="date", inlines=[Text(text=f"{date}大会决议")], span=zero))
    if draw(st.booleans()):
        preface.append(Line(role="committeeReport", inlines=[Text(
            text=f"[根据第一委员会的报告(A/{session}/{draw(st.integers(400, 450))}, 第 "
                 f"{draw(st.integers(5, 99))} 段)通过]")], span=zero))
    preface.append(Line(role="title", inlines=[Text(
        text=f"{session}/{num}. {draw(st.sampled_from(TITLES))}")], span=zero))

    raw_blocks: list[list] = []      # every text block's runs, in reading order (for the slots)
    preamble = []
    for _ in range(draw(st.integers(1, 12))):
        runs = clause_runs(draw, draw(st.sampled_from(PREAMBLE_VERBS)), "，")
        raw_blocks.append(runs)
        preamble.append(runs)
    n_ops = draw(st.integers(1, 12))
    body = []
    for k in range(1, n_ops + 1):
        end = "。" if k == n_ops else "；"
        verb = draw(st.sampled_from(OPERATIVE_VERBS))
        n_points = draw(st.sampled_from([0, 0, 0, 2, 3]))
        intro = clause_runs(draw, "", "：" if n_points else end)
        raw_blocks.append(intro)
        points = []
        for j in range(n_points):
            pend = end if j == n_points - 1 else "；"
            runs = clause_runs(draw, "", pend, POINT_TEXTS, (1, 2))
            raw_blocks.append(runs)
            points.append(("(" + "abc"[j] + ")", runs))
        body.append((f"{k}.", verb, intro, points))

    # footnotes: each cited 0-3 times at distinct slots; numbered in order of first citation
    slots = [(b, i) for b, runs in enumerate(raw_blocks) for i, r in enumerate(runs) if r is REF]
    n_notes = draw(st.integers(0, min(12, len(slots))))
    owner: dict[tuple[int, int], int] = {}
    free = list(slots)
    cited_notes = []
    for note in range(n_notes):
        times = draw(st.integers(0 if note % 4 == 3 else 1, 3))
        for _ in range(min(times, len(free))):
            slot = free.pop(draw(st.integers(0, len(free) - 1)))
            owner[slot] = note
        cited_notes.append(note)
    order: dict[int, str] = {}
    for slot in slots:
        if slot in owner and owner[slot] not in order:
            order[owner[slot]] = str(len(order) + 1)
    for note in cited_notes:
        order.setdefault(note, str(len(order) + 1))

    def runs_of(b: int, runs: list, bold: str | None = None) -> list:
        out: list = [Text(text=bold, bold=True)] if bold else []
        text = ""
        for i, r in enumerate(runs):
            if r is REF:
                if (b, i) in owner:
                    if text:
                        out.append(Text(text=text))
                        text = ""
                    out.append(NoteRef(marker=order[owner[(b, i)]]))
            else:
                text += r
        if text:
            out.append(Text(text=text))
        return out

    doc = Document(kind="resolution", preface=preface,
                   formula=Paragraph(inlines=[Text(text="大会，")], span=zero))
    b = 0
    for runs in preamble:
        doc.preamble.append(Paragraph(inlines=runs_of(b, runs), span=zero))
        b += 1
    for num_, verb, intro, points in body:
        op = Operative(num=num_, inlines=runs_of(b, intro, verb), span=zero)
        b += 1
        for label, runs in points:
            op.points.append(Point(num=label, inlines=runs_of(b, runs), span=zero))
            b += 1
        doc.body.append(op)
    doc.conclusions = [Line(role="date", inlines=[Text(text=date)], span=zero),
                       Line(role="meeting", inlines=[Text(text=f"第 {draw(st.integers(30, 80))} 次全体会议")],
                            span=zero)]
    by_marker = sorted(order.values(), key=int)
    doc.footnotes = [Footnote(marker=m, inlines=[Text(text=phrase(draw, NOTE_BODIES))], span=zero)
                     for m in by_marker]
    # layout A: one space at every Han/ASCII boundary; layout C: none
    _space_boundaries(doc, draw(st.booleans()))
    return attach(doc, Context())  # citations and first flags, as the footnotes stage gives them


_HAN_ASCII = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])")


_SPACED = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[\u4e00-\u9fff])")


def _space_boundaries(doc: Document, spaced: bool) -> None:
    runs = [r for _, rs in _blocks(doc) for r in rs] + [r for n in doc.footnotes for r in n.inlines]
    for r in runs:
        if isinstance(r, Text):
            r.text = _HAN_ASCII.sub(" ", r.text) if spaced else _SPACED.sub("", r.text)


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.slow
@given(doc=resolutions(), short_page=st.integers(1, 12), long_page=st.integers(3, 40))
def test_generated_round_trip(doc, short_page, long_page):
    """Each generated document in each layout; pages of 1-12 lines (``lines``) or 3-40 printed
    lines (``wrapped``), so footnote blocks fall everywhere, also inside wrapped paragraphs."""
    for layout, points in STYLES:
        page = short_page if layout == "lines" else long_page
        assert_same(doc, render(doc, layout, points=points, page_lines=page))


# -------------------------------------------------------------------------- minimal failing cases
# Found by the property test above; each asserts the correct behaviour (see the report in issue 3).

def _resolution(preamble: list[list], body: list[Operative], notes: dict[str, str] | None = None) -> Document:
    zero = Span(start=0, end=0)
    line = lambda role, text: Line(role=role, inlines=[Text(text=text)], span=zero)  # noqa: E731
    doc = Document(
        kind="resolution",
        preface=[line("session", "第七十届会议"), line("agenda", "议程项目 10"),
                 line("date", "2015 年 12 月 1 日大会决议"), line("title", "70/1. 推进多边核裁军谈判")],
        formula=Paragraph(inlines=[Text(text="大会，")], span=zero),
        preamble=[Paragraph(inlines=runs, span=zero) for runs in preamble],
        body=body,
        conclusions=[line("date", "2015 年 12 月 1 日"), line("meeting", "第 30 次全体会议")],
        footnotes=[Footnote(marker=m, inlines=[Text(text=t)], span=zero) for m, t in (notes or {}).items()],
    )
    return attach(doc, Context())


def _op(num: str, verb: str, text: list, points: list[list] = ()) -> Operative:
    zero = Span(start=0, end=0)
    return Operative(num=num, inlines=[Text(text=verb, bold=True)] + text, span=zero,
                     points=[Point(num=f"({'abc'[k]})", inlines=p, span=zero) for k, p in enumerate(points)])


def test_short_wrapped_resolution():
    """A short resolution, hard-wrapped: too few full lines for the layout to be detected."""
    doc = _resolution([[Text(text="回顾各国义务真诚地开展和完成在严格有效的国际监督下实现所有方面核裁军的谈判，")]],
                      [_op("1.", "决定", [Text(text="国际法院的一致结论。")])])
    assert_same(doc, render(doc, "wrapped"))


def test_folded_points_after_marker_on_colon():
    """Folded sub-paragraphs whose intro ends with a marker after the colon (``…威胁：³ (a) …``)."""
    doc = _resolution([[Text(text="回顾秘书长关于核裁军的五点建议，")]],
                      [_op("1.", "请", [Text(text="多边外交在裁军和不扩散领域中的绝对效力："), NoteRef(marker="1")],
                           [[Text(text="在其任务工作中始终纳入性别平等视角；")],
                            [Text(text="进行国别访问并及时回复各国的邀请。")]])],
                      {"1": "A/76/90。"})
    assert_same(doc, render(doc, "lines", points="folded"))


def test_wrapped_line_looking_like_a_formula():
    """A wrapped paragraph whose last printed line reads like a formula (``军问题大会高级别会议，``)."""
    filler = [[Text(text="回顾各国义务真诚地开展和完成在严格有效的国际监督下实现所有方面核裁军的谈判，"
                         "确认防止核灾难的唯一办法就是彻底消除核武器并确保永远不再生产核武器，")]] * 6
    doc = _resolution(filler + [[Text(text="欢迎核武器继续存在对人类和地球上的所有生命构成威胁，以及大会举行的核裁"
                                  "军问题大会高级别会议，")],
                       [Text(text="又回顾为实现核裁军所作的持续努力，")]],
                      [_op("1.", "决定", [Text(text="国际法院的一致结论。")])] * 1)
    text = render(doc, "wrapped")
    assert "\n军问题大会高级别会议，\n" in text
    assert_same(doc, text)
