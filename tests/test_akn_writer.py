"""The AKN writer builds a light tree and writes it as text itself (``akn.serialise``); lxml parses
that text to validate it.  These tests hold the writer to what lxml would have written for the same
tree (libxml2's pretty printing and escaping), and check the eIds and note references it makes on
the way."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import pytest

from pipeline.emit import akn
from pipeline.emit.xml import E, El
from pipeline.context import Context, Options
from pipeline.convert import convert

NS = akn.NS

# text with everything that needs escaping, non-ASCII, and spaces that pretty printing must keep
TEXT = st.text(alphabet=st.sampled_from(list("ab &<>\"'\t\n\r大会，。") + ["\u00a0", "\U00020000"]),
               min_size=0, max_size=6)
TAGS = st.sampled_from(["p", "b", "i", "span", "block"])  # none named by the eId table


@st.composite
def trees(draw, depth=0) -> El:
    el = El(draw(TAGS), draw(st.dictionaries(st.sampled_from(["class", "name", "refersTo"]), TEXT, max_size=2))
            or None)
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        if draw(st.booleans()):
            s = draw(TEXT)
            if s:
                el.children.append(s)
        else:
            el.children.append(draw(trees(depth + 1)))
    return el


def lxml_copy(el: El, parent=None):
    """The same tree built with lxml (texts as ``text`` and ``tail``)."""
    q = "{%s}%s" % (NS, el.tag)
    attrib = {k: v for k, v in (el.attrib or {}).items() if k != "xmlns"}
    node = etree.Element(q, attrib, nsmap={None: NS}) if parent is None else etree.SubElement(parent, q, attrib)
    last = None
    for c in el.children:
        if isinstance(c, str):
            if last is None:
                node.text = (node.text or "") + c
            else:
                last.tail = (last.tail or "") + c
        else:
            last = lxml_copy(c, node)
    return node


@pytest.mark.slow
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(trees())
def test_written_exactly_as_lxml_pretty_prints(tree):
    root = El("akomaNtoso", {"xmlns": NS})
    root.children.append(tree)
    ours = akn.serialise(root)
    theirs = etree.tostring(lxml_copy(root), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    assert ours == theirs
    akn.parse(ours)  # well-formed


def test_escaping_in_text_and_attributes():
    root = El("akomaNtoso", {"xmlns": NS})
    p = E(root, "p", {"class": 'a"b&c<d>\te\nf'}, text="R&D <x> \"q\" 'a'")
    E(p, "b", text="&amp;")
    out = akn.serialise(root).decode()
    assert 'class="a&quot;b&amp;c&lt;d&gt;&#9;e&#10;f"' in out
    assert "R&amp;D &lt;x&gt; \"q\" 'a'<b>&amp;amp;</b>" in out
    assert akn.parse(out.encode()).find(f"{{{NS}}}p").get("class") == 'a"b&c<d>\te\nf'


def test_eids_follow_document_order_and_scopes():
    root = El("akomaNtoso", {"xmlns": NS})
    body = E(root, "mainBody")
    for n in ("1.", "1.", None):
        para = E(body, "paragraph")
        if n:
            E(para, "num", text=n)
        lst = E(para, "list")
        E(E(lst, "point"), "num", text="(a)")
        E(lst, "point")
    pre = E(root, "preamble")
    E(pre, "container")
    E(pre, "container")
    tree = akn.parse(akn.serialise(root))
    ids = [el.get("eId") for el in tree.iter() if el.get("eId")]
    assert ids == ["para_1", "para_1__list_1", "para_1__list_1__point_a", "para_1__list_1__point_2",
                   "para_1_2", "para_1_2__list_1", "para_1_2__list_1__point_a", "para_1_2__list_1__point_2",
                   "para_3", "para_3__list_1", "para_3__list_1__point_a", "para_3__list_1__point_2",
                   "preamble__container_1", "preamble__container_2"]


def test_note_ref_before_its_note_points_to_it():
    """A ``noteRef`` written before the ``authorialNote`` it cites gets the note's eId."""
    root = El("akomaNtoso", {"xmlns": NS})
    body = E(root, "mainBody")
    ref = E(E(body, "p"), "noteRef", {"marker": "1", "href": "#"})
    note = E(E(body, "p", text="x"), "authorialNote", {"marker": "1", "placement": "bottom"})
    ref.ref = note
    tree = akn.parse(akn.serialise(root))
    assert tree.find(f".//{{{NS}}}noteRef").get("href") == "#" + tree.find(f".//{{{NS}}}authorialNote").get("eId")


def test_document_text_with_markup_characters_is_kept():
    text = "第76/1号决议。 研究与发展（R&D）\n\n大会，\n\n回顾 a<b> 与 \"c\"，\n\n1. 决定 x & y；\n"
    out = convert(text, Context(source="t.txt", options=Options()))
    root = akn.parse(out.xml)
    body = "".join(root.itertext())
    for s in ("R&D", "a<b>", '"c"', "x & y"):
        assert s in body


def test_prewritten_metadata_is_indented_like_elements():
    """``Raw`` (the metadata block, written ahead) comes out exactly as the same elements would,
    at any depth."""
    from pipeline.emit.xml import Raw
    from pipeline.emit.xml import tag as _tag
    attrs = {"value": 'a&b "c"', "name": "x"}
    for depth in range(3):
        trees = []
        for raw in (False, True):
            root = El("akomaNtoso", {"xmlns": NS})
            parent = root
            for _ in range(depth):
                parent = E(parent, "container")
            if raw:
                parent.children.append(Raw("meta", [(0, "<meta>"), (1, "<identification>"),
                                                    (2, _tag("FRBRthis", attrs)), (2, _tag("FRBRuri", attrs)),
                                                    (1, "</identification>"), (0, "</meta>")]))
            else:
                ident = E(E(parent, "meta"), "identification")
                E(ident, "FRBRthis", dict(attrs))
                E(ident, "FRBRuri", dict(attrs))
            trees.append(akn.serialise(root))
        assert trees[0] == trees[1]


def test_deep_nesting_indented_as_libxml2_does():
    """libxml2 stops indenting at 60 columns (level 30); so does the writer."""
    root = El("akomaNtoso", {"xmlns": NS})
    el = root
    for _ in range(35):
        el = E(el, "block")
    E(el, "p", text="x")
    assert akn.serialise(root) == etree.tostring(lxml_copy(root), xml_declaration=True, encoding="UTF-8",
                                                 pretty_print=True)
