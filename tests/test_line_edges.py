"""Lines that stand where the printed layout put them, not where the text belongs: a footnote marker
wrapped alone onto the next line, a note whose text starts on the line after its marker, and an
annex heading or a bracketed line with no blank line after it.  Each case is a real sample or form
with that one change; the structure must be the one read from the unchanged document."""
from __future__ import annotations

import re

from pipeline.context import Context
from pipeline.model import plain
from pipeline.model import Operative
from pipeline.convert import convert

from conftest import ROOT, SAMPLES

SAMPLE = {p.name[:3]: p.read_text(encoding="utf-8") for p in SAMPLES}
FORMS = ROOT / "tests" / "forms"


def run(text: str, name: str = "x.txt"):
    return convert(text, Context(source=name)).document


def shape(doc) -> dict:
    ops = [b for b in doc.body if isinstance(b, Operative)]
    return {
        "kind": doc.kind, "structured": doc.structured, "symbol": doc.metadata.symbol,
        "preamble": [plain(p.inlines) for p in doc.preamble],
        "operative": [(op.num, plain(op.inlines), len(op.points)) for op in ops],
        "notes": [(n.marker, plain(n.inlines), [c.block for c in n.citations]) for n in doc.footnotes],
        "annexes": len(doc.annexes),
    }


def warnings(doc) -> set[str]:
    return {d.code for d in doc.diagnostics if d.severity != "info"}


def test_marker_alone_after_its_paragraph_line_is_a_citation():
    """``…《核武器示范公约》，`` then ``¹¹`` on the next line (sample 001, paragraph per line): the
    marker cites note 11 from that paragraph; it is not note 1 reading ``¹``."""
    text = SAMPLE["001"]
    changed = text.replace("《核武器示范公约》，¹¹\n", "《核武器示范公约》，\n¹¹\n")
    assert changed != text
    doc, want = run(changed), run(text)
    assert shape(doc) == shape(want)
    assert ("11", "A/62/650，附件。", ["preamble:16"]) in shape(doc)["notes"]
    assert warnings(doc) == warnings(want)


def test_marker_alone_before_its_note_text_starts_the_note():
    """A note body printed as ``¹¹`` with its text on the next line: one note, its text joined."""
    text = SAMPLE["001"]
    changed = text.replace("¹¹ A/62/650，附件。", "¹¹\nA/62/650，附件。")
    assert changed != text
    doc, want = run(changed), run(text)
    assert shape(doc) == shape(want)
    assert warnings(doc) == warnings(want)


def test_marker_wrapped_alone_in_a_hard_wrapped_document():
    """Sample 004 (hard-wrapped, a blank line after every printed line) with a note added to
    paragraph 4 whose marker the typesetter pushed onto a line of its own."""
    text = SAMPLE["004"]
    full = "4. 大会还决定于待定日期在纽约召开一次核裁军问题联合国高级别国际会议，"
    assert full in text
    changed = text.replace(full + "\n", full + "\n\n²\n", 1).rstrip() + "\n\n² A/RES/68/32。\n"
    doc, want = run(changed), run(text)
    got = shape(doc)
    assert got["notes"] == [("2", "A/RES/68/32。", ["para:4"])]
    assert got["operative"] == shape(want)["operative"]
    assert not {c for c in warnings(doc) if c.startswith("footnote.")}


def no_blank_lines(text: str) -> str:
    return re.sub(r"\n\s*\n+", "\n", text)


def test_annex_heading_is_not_joined_to_the_next_line():
    """With no blank lines, ``附件`` and the annex's title are two lines: the annex is found."""
    text = (FORMS / "hrc_annex_vote.txt").read_text(encoding="utf-8")
    doc, want = run(no_blank_lines(text)), run(text)
    assert len(doc.annexes) == len(want.annexes) == 1
    assert [plain(line.inlines) for line in doc.annexes[0].heading] == \
        [plain(line.inlines) for line in want.annexes[0].heading]


def test_bracketed_line_is_not_joined_to_the_next_line():
    """``[未经发交主要委员会而通过(A/76/L.89)]`` is complete: the decision heading after it is read."""
    text = (FORMS / "ga_decision.txt").read_text(encoding="utf-8")
    doc = run(no_blank_lines(text))
    assert doc.kind == "decision"
    assert doc.metadata.symbol == run(text).metadata.symbol == "A/DEC/76/578"
