"""The HRC development corpus (tests/corpus/hrc-dev, 35 resolutions, two extraction styles):
every document converts with exactly the true structure, as the corpus's score.py defines it."""
import json
import re
from pathlib import Path

import pytest

from pipeline.context import Context
from pipeline.model import plain
from pipeline.model import Operative, Point
from pipeline.convert import convert

CORPUS = Path(__file__).parent / "corpus" / "hrc-dev"
NAMES = sorted(p.stem for p in (CORPUS / "truth").glob("*.json"))
STYLES = ["texts", "texts-pdf"]


def count_points(points: list[Point]) -> int:
    return sum(1 + count_points(p.points) for p in points)


def squash(s: str) -> str:
    return re.sub(r"[\s*⁰¹²³⁴⁵⁶⁷⁸⁹]", "", s)


@pytest.fixture(scope="module", params=STYLES)
def style(request):
    return request.param


@pytest.mark.parametrize("name", NAMES)
def test_exact_structure(style, name):
    truth = json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8"))
    text = (CORPUS / style / f"{name}.txt").read_text(encoding="utf-8")
    out = convert(text, Context(source=f"{name}.txt"))  # raises if an output fails its schema
    doc, want = out.document, truth["counts"]
    ops = [b for b in doc.body if isinstance(b, Operative)]
    assert doc.kind == "resolution" and doc.structured
    assert len(doc.preamble) == want["preamble"]
    assert len(ops) == want["operative"]
    assert sum(count_points(op.points) for op in ops) == want["points"]
    # footnotes: distinct notes, every citation, and the paragraph each note sits in
    assert len(doc.footnotes) == len(truth["footnotes"])
    assert sum(len(n.citations) for n in doc.footnotes) == truth.get("footnote_refs", len(truth["footnotes"]))
    placed = {n.marker: re.sub(r"^point:(\d+).*", r"para:\1", n.citations[0].block) for n in doc.footnotes}
    expected = {f["marker"]: re.sub(r"^point:(\d+).*", r"para:\1", f["in"]) for f in truth["footnotes"]}
    assert placed == expected
    # text of every paragraph, whitespace, bold marks and markers aside
    assert [squash(plain(p.inlines)) for p in doc.preamble] == [squash(p) for p in truth["preamble"]]
    assert [squash(plain(op.inlines)) for op in ops] == [squash(o["text"]) for o in truth["operative"]]
    assert doc.metadata.symbol == truth["symbol"]
    assert doc.metadata.adoption_date == truth["adoption_date"]
    assert (bool(doc.annexes)) == bool((truth.get("annex") or {}).get("present"))
