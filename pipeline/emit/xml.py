"""Writing XML as text: a light element tree (``El``, ``E``), written the way libxml2 pretty-prints
it (``serialise``), eIds made on the way (``eids.Namer``); ``parse`` reads the written bytes back
with the one safe parser, for validation.

The AKN writer builds the tree (``akn``); writing it is here.  What is validated is exactly what is
written: ``emit`` parses these bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree

from .eids import ABBREVIATIONS, SECTIONS, Namer

_TEXT_ESC = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ATTR_ESC = {**_TEXT_ESC, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}
_NEEDS_TEXT_ESC = re.compile("[&<>\r]")
_INDENT = ["  " * n for n in range(31)]  # libxml2 indents 60 columns at most
_NEEDS_ATTR_ESC = re.compile('[&<>\r\n\t"]')


class El:
    """An element under construction: a tag, its attributes in order, and its content (strings
    and ``El``).  The tree is written once, as text, by ``serialise``; lxml parses that text to
    validate it, so what is validated is exactly what is written."""

    __slots__ = ("tag", "attrib", "children", "ref")

    def __init__(self, tag: str, attrib: dict | None = None):
        self.tag = tag
        self.attrib = attrib
        self.children: list = []
        self.ref: El | None = None  # noteRef: the authorialNote it points to

    def __repr__(self) -> str:
        return f"El({self.tag!r}, {self.attrib!r}, {self.children!r})"

    def iter(self, tag: str) -> Iterator[El]:
        """Elements named ``tag`` in document order (this one included)."""
        if self.tag == tag:
            yield self
        for child in self.children:
            if child.__class__ is El:
                yield from child.iter(tag)


class Raw(El):
    """A subtree written ahead of time (the metadata block: elements with attributes only, no
    text and no eIds): its lines with their depth below the subtree's root, ``(depth, markup)``.
    ``serialise`` indents them where the subtree stands, as it would have indented the elements."""

    __slots__ = ("lines",)

    def __init__(self, tag: str, lines: list[tuple[int, str]]):
        super().__init__(tag)
        self.lines = lines


def tag(name: str, attrib: dict) -> str:
    """The empty element ``<name a="v" .../>``, values escaped as ``serialise`` escapes them."""
    out = "<" + name
    for k, v in attrib.items():
        if _NEEDS_ATTR_ESC.search(v):
            v = v.translate(_ATTR_ESC)
        out += f' {k}="{v}"'
    return out + "/>"


def E(parent: El, tag: str, attrib: dict | None = None, text: str | None = None) -> El:
    el = El(tag, attrib)
    parent.children.append(el)
    if text:
        el.children.append(text)
    return el


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, collect_ids=False)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def serialise(root: El, taken: Iterable[str] = ()) -> bytes:
    """Write the tree the way libxml2 pretty-prints it (two spaces a level; an element with text
    in its content is written on one line, and so is everything inside it), assigning eIds on the
    way: they are made in document order, which is the order of writing (rules in ``pipeline.emit.eids``).
    A ``noteRef`` may point to a note written after it: its ``href`` is filled in at the end.
    ``taken``: eIds set by the emitter itself (the TLC references), never handed out again."""
    out: list[str] = ["<?xml version='1.0' encoding='UTF-8'?>\n"]
    add = out.append
    ids: dict[int, str] = {}
    refs: list[tuple[int, El]] = []
    namer = Namer(taken)
    named, sections = ABBREVIATIONS, SECTIONS
    text_esc, attr_esc = _NEEDS_TEXT_ESC.search, _NEEDS_ATTR_ESC.search

    def write(el: El, level: int, fmt: bool, scope: int, prefix: str) -> None:
        if el.__class__ is Raw:  # always in indented content (meta is never inside text)
            first = True
            for depth, markup in el.lines:
                add(markup if first else "\n" + _INDENT[min(level + depth, 30)] + markup)
                first = False
            return
        tag = el.tag
        children = el.children
        eid = None
        if tag in named:
            eid = namer.name(tag, children, scope, prefix)
            ids[id(el)] = eid
            scope, prefix = id(el), eid + "__"
        elif tag in sections:
            scope, prefix = id(el), sections[tag] + "__"
        attrib = el.attrib
        if attrib:
            head = "<" + tag
            for k, v in attrib.items():
                if el.ref is not None and k == "href":
                    add(head + ' href="')
                    refs.append((len(out), el))
                    add("")
                    head = '"'
                    continue
                if attr_esc(v):
                    v = v.translate(_ATTR_ESC)
                head += f' {k}="{v}"'
        else:
            head = "<" + tag
        if eid is not None:
            head += f' eId="{eid}"'
        if not children:
            add(head + "/>")
            return
        if len(children) == 1 and children[0].__class__ is str:  # the common leaf: <num>1.</num>
            c = children[0]
            add(f"{head}>{c.translate(_TEXT_ESC) if text_esc(c) else c}</{tag}>")
            return
        if fmt:
            for c in children:
                if c.__class__ is str:
                    fmt = False
                    break
        if fmt:
            add(head + ">\n")
            pad = _INDENT[min(level + 1, 30)]
            for c in children:
                add(pad)
                write(c, level + 1, True, scope, prefix)
                add("\n")
            add(_INDENT[min(level, 30)])
        else:
            add(head + ">")
            for c in children:
                if c.__class__ is str:
                    add(c.translate(_TEXT_ESC) if text_esc(c) else c)
                else:
                    write(c, level + 1, False, scope, prefix)
        add(f"</{tag}>")

    write(root, 0, True, 0, "")
    out.append("\n")
    for pos, el in refs:
        out[pos] = "#" + ids[id(el.ref)]
    return "".join(out).encode("utf-8")
