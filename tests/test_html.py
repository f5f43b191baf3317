"""HTML review pages: structure, two-way footnote links, diagnostics where they occurred, escaping,
no network resources; the index with status, counts, chart, and failed documents from the report."""
import json
import re
import shutil

import pytest
from lxml import html as lhtml

from pipeline.library import html
from pipeline.cli import main
from pipeline.model import Diagnostic, Document, Metadata, NoteRef, Operative, Paragraph, Span, Text

from conftest import OUTPUT

S002 = "002_26ed8003f1d0be1d"
S004 = "004_606d4b0c0e2b6ba1"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    for p in OUTPUT.glob("*.json"):
        shutil.copy(p, out / p.name)
    assert main(["html", str(out)]) == 0
    return out / "html"


def tree(path):
    return lhtml.fromstring(path.read_bytes())


def test_one_page_per_document_and_an_index(pages):
    stems = sorted(p.name[:-5] for p in OUTPUT.glob("*.json"))
    assert sorted(p.stem for p in pages.glob("*.html")) == sorted(stems + ["index"])


def test_self_contained(pages):
    """No external resource: no src/href leaving the folder, no <link>, a CSP forbidding fetches."""
    for page in pages.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        doc = tree(page)
        assert not doc.xpath("//link | //script[@src] | //img[not(starts-with(@src, 'data:'))] | //iframe")
        for href in doc.xpath("//@href | //@src"):
            assert not re.match(r"^(https?:|//|ftp:)", href), (page.name, href)
            assert not re.match(r"^\s*(javascript|vbscript):", href, re.I), (page.name, href)
        assert "default-src 'none'" in doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        assert "@import" not in text and "url(" not in text


def test_structure_visible(pages):
    doc = tree(pages / f"{S002}.html")
    assert len(doc.xpath("//section[@class='preamble']/p")) == 21
    nums = doc.xpath("//section[@class='body']/div[contains(@class,'operative')]/@data-num")
    assert nums == [f"{k}." for k in range(1, 17)]
    assert doc.xpath("//section[@class='preface']/p[contains(@class,'role-title')]")[0].text_content() == \
        "72/31. 推进多边核裁军谈判"
    assert doc.xpath("//p[@id='formula']")[0].text_content() == "大会，"
    meta = dict(zip(doc.xpath("//aside//dt/text()"), (d.text_content() for d in doc.xpath("//aside//dd"))))
    assert meta["symbol"] == "A/RES/72/31" and meta["adopted"] == "2017-12-04" and meta["meeting"] == "第 62 次全体会议"


def test_footnotes_linked_both_ways(pages):
    doc = tree(pages / f"{S002}.html")
    ids = set(doc.xpath("//@id"))
    refs = doc.xpath("//a[@role='doc-noteref']")
    assert len(refs) == 15  # 13 notes, 4 and 10 cited twice
    for a in refs:
        note = a.get("href")[1:]
        assert note in ids
        backs = doc.xpath(f"//li[@id='{note}']//a[@role='doc-backlink']/@href")
        assert "#" + a.get("id") in backs
    note4 = doc.xpath("//li[@data-marker='4']")[0]
    assert len(note4.xpath(".//a[@role='doc-backlink']")) == 2
    assert len(ids) == len(doc.xpath("//@id"))  # ids unique


def test_diagnostics_at_their_blocks(pages):
    doc = tree(pages / f"{S002}.html")
    # footnote.ibid on line 31: footnote 2's body is line 31
    (d,) = doc.xpath("//div[@data-code='footnote.ibid']")
    assert d.getparent().get("data-marker") == "2"
    doc4 = tree(pages / f"{S004}.html")
    # metadata.missing has no line: shown at the top of the page
    assert doc4.xpath("//section[@class='doc-diags']/div[@data-code='metadata.missing']")


def test_diagnostic_placed_by_line():
    d = Document(source="x.txt", kind="resolution", metadata=Metadata(title="t"),
                 preamble=[Paragraph(inlines=[Text(text="甲")], span=Span(start=3, end=3))],
                 body=[Operative(num="1.", inlines=[Text(text="乙")], span=Span(start=5, end=6)),
                       Operative(num="2.", inlines=[Text(text="丙")], span=Span(start=8, end=8))],
                 diagnostics=[Diagnostic(code="segment.numbering-gap", severity="error", message="m", line=6),
                              Diagnostic(code="segment.unclassified", severity="warning", message="w", line=9)])
    page = lhtml.fromstring(html.render_document(d))
    assert page.xpath("//div[@id='op-1']/div[@data-code='segment.numbering-gap']")
    assert page.xpath("//div[@id='op-2']/div[@data-code='segment.unclassified']")  # nearest block before
    assert page.xpath("//span[@id='status']")[0].text == "error"


def test_text_escaped():
    evil = "<script>alert('x')</script> & \"q\""
    d = Document(source="<b>.txt", kind="resolution", metadata=Metadata(title=evil, symbol="A/<i>"),
                 preamble=[Paragraph(inlines=[Text(text=evil), NoteRef(marker="1\"><x")], span=Span(start=1, end=1))],
                 diagnostics=[Diagnostic(code="<c>", severity="warning", message=evil, line=1)])
    out = html.render_document(d)
    assert "<script>alert" not in out and "<b>.txt" not in out and "<i>" not in out and "<x" not in out
    page = lhtml.fromstring(out)
    assert page.xpath("//h1")[0].text_content() == evil
    assert not page.xpath("//script") and not page.xpath("//x")
    index = html.render_index([html.entry_for(d, "<s>")])
    assert "<s>" not in index and "<script>alert" not in index


def test_index(pages):
    doc = tree(pages / "index.html")
    rows = doc.xpath("//table[@id='docs']/tbody/tr")
    assert len(rows) == 4
    assert {r.get("data-status") for r in rows} == {"ok"}
    links = doc.xpath("//table[@id='docs']//a/@href")
    assert all((pages / h).exists() for h in links) and len(links) == 4
    row4 = next(r for r in rows if S004 in r.text_content())
    cells = [c.text_content() for c in row4.xpath("td")]
    assert cells[2] == "statement" and cells[8] == "1"  # one warning (metadata.missing)
    assert doc.xpath("//figure[@id='chart-status']//*[local-name()='g'][@data-label='ok']/@data-value") == ["4"]
    codes = doc.xpath("//figure[@id='chart-codes']//*[local-name()='g']/@data-label")
    assert "metadata.missing" in codes and "footnote.ibid" in codes
    assert doc.xpath("//input[@id='filter']") and doc.xpath("//select[@id='status-filter']")
    assert doc.xpath("//script[not(@src)]")


def test_index_uses_report(tmp_path):
    """Statuses come from report.jsonl when present; a failed document (no outputs) is listed."""
    for p in OUTPUT.glob("*.json"):
        shutil.copy(p, tmp_path / p.name)
    rows = [{"input": "samples/002_26ed8003f1d0be1d.txt", "sha256": "0" * 64, "outputs": [], "status": "error",
             "diagnostics": {"error": 1, "warning": 0, "info": 1}},
            {"input": "samples/999_broken.txt", "sha256": "1" * 64, "outputs": [], "status": "failed",
             "diagnostics": {"error": 1}}]
    (tmp_path / "report.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    html.build(tmp_path)
    doc = tree(tmp_path / "html" / "index.html")
    status = {r.xpath("td")[0].text_content(): r.get("data-status") for r in doc.xpath("//tbody/tr")}
    assert status[S002] == "error" and status["999_broken"] == "failed"
    assert not (tmp_path / "html" / "999_broken.html").exists()
    assert tree(tmp_path / "html" / f"{S002}.html").xpath("//span[@id='status']")[0].text == "error"


def test_deterministic(tmp_path):
    for p in OUTPUT.glob("*.json"):
        shutil.copy(p, tmp_path / p.name)
    html.build(tmp_path, tmp_path / "a")
    html.build(tmp_path, tmp_path / "b")
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes()
