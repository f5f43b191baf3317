"""The rules are data: named rows of tables, each decision recorded by name, each row switchable.

``normalise`` records per physical line the ``join.JOIN_RULES`` row (and ``CONTINUATION`` row)
that placed it; ``segment`` records per block the row that made it; ``inspect`` shows them."""
from __future__ import annotations

import pytest

from pipeline import inspect
from pipeline.context import Context
from pipeline.model import walk
from pipeline.stages import run
from pipeline.stages.normalise import join as join_module
from pipeline.stages.patterns import CLOSED, DEBRIS, OPENERS
from pipeline.stages.segment import body as body_module
from pipeline.stages.segment import preface as preface_module
from pipeline.stages.segment.document import SHAPES

from conftest import ROOT, SAMPLES

DOCS = SAMPLES + sorted((ROOT / "tests" / "forms").glob("*.txt"))


@pytest.mark.parametrize("table", [OPENERS, CLOSED, DEBRIS, join_module.JOIN_RULES, join_module.CONTINUATION,
                                   preface_module.PREFACE, body_module.BODY, SHAPES],
                         ids=["openers", "closed", "debris", "join", "continuation", "preface", "body", "shapes"])
def test_rule_names_are_unique(table):
    names = [row.name if hasattr(row, "name") else row[0] for row in table]
    assert len(names) == len(set(names)) and all(names)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_every_line_and_block_says_which_rule_placed_it(path):
    text = path.read_text(encoding="utf-8")
    norm = run(text, Context(), stop_after="normalise")
    join_names = {name for name, _, _ in join_module.JOIN_RULES}
    for piece in norm.pieces:
        assert len(piece.rules) == len(piece.segments)
        assert all(rule.split(":")[0] in join_names for rule in piece.rules), piece.rules
    doc = run(text, Context())
    assert doc.rule in {name for name, _, _ in SHAPES}
    for visit in walk(doc):
        assert visit.node.rule, (path.name, visit.name)


def test_inspect_shows_the_rules():
    path = SAMPLES[0]
    text = path.read_text(encoding="utf-8")
    shown = inspect.describe(run(text, Context()), path.name)
    assert "(shape: formula)" in shown
    assert "preface/session          session" in shown
    assert "paragraph 1.             numbered paragraph" in shown
    pieces = inspect.describe(run(text, Context(), stop_after="normalise"), path.name)
    assert "new block: session" in pieces and "new block: paragraph number" in pieces


def test_a_continuation_row_switched_off(monkeypatch):
    """Two adjacent lines without final punctuation (a wrapped heading) are one block by the
    ``adjacent line`` row; without it, two."""
    text = "第七十六届会议\n\n大会，\n\n回顾其决议，\n\n一、关于核裁军问题的\n高级别会议\n\n1. 决定。\n"
    pieces = run(text, Context(), stop_after="normalise").pieces
    heading = next(p for p in pieces if p.text.startswith("一、"))
    assert heading.text == "一、关于核裁军问题的高级别会议"
    assert heading.rules == ["new block: heading 一、", "paragraph continues: adjacent line"]
    rows = [row for row in join_module.CONTINUATION if row[0] != "adjacent line"]
    monkeypatch.setattr(join_module, "CONTINUATION", rows)
    pieces = run(text, Context(), stop_after="normalise").pieces
    assert [p.text for p in pieces if p.text.startswith(("一、", "高级"))] == ["一、关于核裁军问题的", "高级别会议"]


def test_a_preface_row_switched_off(monkeypatch):
    """Without its ``session`` row the preface does not know a session line."""
    text = "第七十六届会议\n\n大会，\n\n回顾其决议，\n\n1. 决定。\n"
    doc = run(text, Context())
    assert (doc.preface[0].role, doc.preface[0].rule, doc.metadata.session) == ("session", "session", "76")
    monkeypatch.setattr(preface_module, "PREFACE", [r for r in preface_module.PREFACE if r.name != "session"])
    ctx = Context()
    doc = run(text, ctx)
    assert (doc.preface[0].role, doc.preface[0].rule, doc.metadata.session) == ("other", "unclassified", None)
    assert [d.code for d in ctx.sink.items if d.code == "segment.unclassified"] == ["segment.unclassified"]


def test_a_line_pattern_table_without_a_row():
    assert OPENERS.first("1. 决定") == "paragraph number"
    assert OPENERS.without("paragraph number").first("1. 决定") is None
    assert DEBRIS.first("21-40312 (C)") == "job number"
