"""The four samples: exact structure (the core issue's table), text conservation, goldens."""
import json

import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.context import Context
from pipeline.convert import convert
from pipeline.emit.validate import json_errors, xml_errors

from conftest import OUTPUT, SAMPLES
from support.textcheck import body_text, note_texts, source_split

EXPECTED = {
    "001": dict(kind="resolution", symbol="A/RES/76/53", date="2021-12-06", preamble=18, operative=4,
                notes=13, citations=13, meeting="第 45 次全体会议", session="76", agenda=["100 (k)"],
                agenda_title="全面彻底裁军：国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动",
                report=("A/76/444", "93"),
                title="国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动"),
    "002": dict(kind="resolution", symbol="A/RES/72/31", date="2017-12-04", preamble=21, operative=16,
                notes=13, citations=15, meeting="第 62 次全体会议", session="72", agenda=["99(bb)"],
                agenda_title=None, report=("A/72/409", None), title="推进多边核裁军谈判"),
    "003": dict(kind="resolution", symbol="A/RES/76/40", date="2021-12-06", preamble=14, operative=9,
                notes=3, citations=3, meeting="第 45 次全体会议", session="76", agenda=["100 (r)"],
                agenda_title="全面彻底裁军：促进裁军和不扩散领域的多边主义", report=("A/76/444", "93"),
                title="促进裁军和不扩散领域的多边主义"),
    "004": dict(kind="statement", symbol=None, date=None, preamble=0, operative=15, notes=0, citations=0,
                meeting=None, session=None, agenda=[], agenda_title=None, report=None,
                title="关于 2013 年核裁军问题大会高级别会议后续行动的声明"),
}


def converted(path):
    ctx = Context(source=path.name)
    return convert(path.read_text(encoding="utf-8"), ctx)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.name[:3])
def sample(request):
    return request.param, converted(request.param)


def test_structure_and_metadata(sample):
    path, out = sample
    doc, want = out.document, EXPECTED[path.name[:3]]
    m = doc.metadata
    assert doc.kind == want["kind"]
    assert m.symbol == want["symbol"]
    assert m.adoption_date == want["date"]
    assert len(doc.preamble) == want["preamble"]
    assert len(doc.body) == want["operative"]
    assert [op.num for op in doc.body] == [f"{k}." for k in range(1, want["operative"] + 1)]
    assert len(doc.footnotes) == want["notes"]
    assert sum(len(n.citations) for n in doc.footnotes) == want["citations"]
    assert m.meeting == want["meeting"]
    assert m.session == want["session"]
    assert [a.number for a in m.agenda_items] == want["agenda"]
    if want["agenda_title"]:
        assert m.agenda_items[0].title == want["agenda_title"]
    if want["report"]:
        assert (m.committee_report.symbol, m.committee_report.paragraph) == want["report"]
    assert m.title == want["title"]
    assert doc.structured


def test_statement_submitter():
    out = converted(next(p for p in SAMPLES if p.name.startswith("004")))
    assert out.document.metadata.submitter == "21 国集团(G-21)"
    assert [d.code for d in out.document.diagnostics if d.severity != "info"] == ["metadata.missing"]


def test_repeated_citations_002():
    out = converted(next(p for p in SAMPLES if p.name.startswith("002")))
    cited = {n.marker: len(n.citations) for n in out.document.footnotes}
    assert {k for k, v in cited.items() if v == 2} == {"4", "10"}
    root = etree.fromstring(out.xml)
    ns = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
    refs = {r.get("marker"): r.get("href") for r in root.iter(ns + "noteRef")}
    notes = {n.get("eId"): n.get("marker") for n in root.iter(ns + "authorialNote")}
    assert set(refs) == {"4", "10"}
    assert all(notes[href[1:]] == marker for marker, href in refs.items())


def test_text_conservation(sample):
    """Every character of the input is in the output once, in order (footnote bodies aside);
    footnote bodies equal their source lines."""
    path, out = sample
    doc = out.document
    spans = [(n.span.start, n.span.end) for n in doc.footnotes]
    body, notes = source_split(path.read_text(encoding="utf-8"), spans, {r.line for r in doc.removed})
    assert body_text(out.xml) == body
    got = note_texts(out.xml)
    for note, text in zip(doc.footnotes, notes):
        assert got[note.marker] == text


def test_outputs_valid(sample):
    _, out = sample
    assert xml_errors(etree.ElementTree(etree.fromstring(out.xml))) == []
    assert json_errors(json.loads(out.json), reference=True) == []


def test_goldens(sample):
    """output/ holds the reviewed goldens: same XML after canonicalisation, same JSON, both valid."""
    path, out = sample
    stem = path.name[:-4]
    golden_xml = (OUTPUT / f"{stem}.akn.xml").read_bytes()
    golden_json = (OUTPUT / f"{stem}.json").read_bytes()
    assert etree.tostring(etree.fromstring(out.xml), method="c14n2") == \
        etree.tostring(etree.fromstring(golden_xml), method="c14n2")
    assert json.loads(out.json) == json.loads(golden_json)
    assert xml_errors(etree.ElementTree(etree.fromstring(golden_xml))) == []
    assert json_errors(json.loads(golden_json), reference=True) == []


def test_output_dir_not_stale(tmp_path):
    """The README's first command regenerates output/ byte for byte."""
    assert main(["convert", *map(str, SAMPLES), "-o", str(tmp_path), "-q"]) == 0
    for p in SAMPLES:
        for suffix in (".akn.xml", ".json"):
            name = p.name[:-4] + suffix
            assert (tmp_path / name).read_bytes() == (OUTPUT / name).read_bytes(), f"output/{name} is stale"
