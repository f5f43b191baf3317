"""The AKN writer: ``Document`` -> Akoma Ntoso 3.0 XML in the UN's AKN4UN profile.

Assumes: the stages ran (each ``NoteRef`` knows whether it is the first citation, each preface and
closing line carries its ``marks``, each uncited footnote says which block it follows).  The writer
only reads the model: what a line says and where a note goes were decided by the stages.

Guarantees:

1. Resolutions and decisions are ``<statement name="resolution|decision">`` (FRBR subtype
   ``deliberation``); statements and working papers are ``<doc name="officialStatement">``
   (subtype ``communication``); unrecognised texts are ``<doc name="document">``.
2. IRIs follow ``/akn/un/{docType}/{subtype}/{actor}/{date}/{number}`` with ``/`` in the number
   written ``-``; the expression adds ``/zho@``, ``!main`` follows a ``/``.  Unknown parts are
   ``nn`` (number) and ``0001-01-01`` (date, with ``FRBRdate/@name="unknown"``); the pipeline has
   reported them as ``metadata.missing``.
3. Every character of the document's text is in the body, in order; the only text the emitter adds
   is the full symbol (``A/RES/76/53``) in a preface line marked ``status="editorial"``.
4. The first citation of a footnote is ``authorialNote marker="N" placement="bottom"`` where the
   marker stood; later ones are ``noteRef`` to it; a footnote cited nowhere ends the block it
   followed (``Footnote.after``).  eIds are made while the XML is written (``eids.Namer``).
   A line's ``marks`` become ``session``, ``docDate``, ``docNumber``, ``docTitle``, ``ref``,
   ``docProponent`` and ``event`` around the text they cover.
5. No clock: the manifestation date is the adoption date, so the same input gives the same bytes.
6. The bytes (``to_bytes``) are what libxml2 pretty-prints for the same tree: UTF-8 with an XML
   declaration, two spaces a level where no text is mixed in; ``emit.emit`` validates the parse
   of exactly these bytes.
"""

from __future__ import annotations

import re

from lxml import etree

from ..bodies import BY_CODE
from ..model import Annex, Block, Document, Heading, Inline, Line, Mark, NoteRef, Operative, Part, Point, walk
from .eids import ABBREVIATIONS, SECTIONS, Namer

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
PIPELINE_NS = "https://akn-pipeline.github.io/ns/conversion/1.0"
"""Namespace of the converter's own note in ``meta/proprietary``: whether the document was fully
structured (``structured="false"`` flags a partially structured document)."""
UNKNOWN_DATE = "0001-01-01"
TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

WRAPS = {
    "session": "session",
    "date": "docDate",
    "number": "docNumber",
    "title": "docTitle",
    "reference": "ref",
    "proponent": "docProponent",
    "meeting": "event",
}
"""The inline element each kind of ``Mark`` becomes."""
LINE_CLASSES = {
    "agenda": {"class": "agendaItem"},
    "agendaTitle": {"class": "agendaItemTitle"},
    "vote": {"class": "vote"},
}
"""The ``class`` of the ``p`` of a preface or closing line, by role."""


def _wrap_attrib(mark: Mark) -> dict[str, str]:
    if mark.kind == "session":
        return {"value": mark.value or ""}
    if mark.kind == "date":
        return {"date": mark.value or ""}
    if mark.kind == "reference":
        return {"href": _doc_href(mark.value or "")}
    if mark.kind == "meeting":
        return {"refersTo": "#adoptionMeeting"}
    return {}


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

    def iter(self, tag: str):
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


def identification(iri: str, date: str, date_name: str, org: str, language: str, work=()) -> list[tuple[int, str]]:
    """The FRBR identification block of a document or an annex, as ``Raw`` lines (depth 1 below
    ``meta``); ``work``: more FRBRWork elements, written."""
    lines = [(1, '<identification source="#aknPipeline">')]
    for level, this, uri, author, extra in (
        ("FRBRWork", "/!main", "", "#" + org, ['<FRBRcountry value="un"/>', *work]),
        ("FRBRExpression", "/zho@/!main", "/zho@", "#" + org, [_tag("FRBRlanguage", {"language": language})]),
        ("FRBRManifestation", "/zho@/!main.xml", "/zho@.akn", "#aknPipeline", []),
    ):
        lines += [
            (2, f"<{level}>"),
            (3, _tag("FRBRthis", {"value": iri + this})),
            (3, _tag("FRBRuri", {"value": iri + uri})),
            (3, _tag("FRBRdate", {"date": date, "name": date_name})),
            (3, _tag("FRBRauthor", {"href": author})),
            *((3, x) for x in extra),
            (2, f"</{level}>"),
        ]
    lines.append((1, "</identification>"))
    return lines


def _tag(name: str, attrib: dict) -> str:
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


class Writer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.notes: dict[int, El] = {}  # footnote index -> its authorialNote
        body = BY_CODE.get(doc.metadata.body or "")
        self.org = body.org_id if body else "author"
        # a footnote cited nowhere goes at the end of the block it followed (Footnote.after)
        placed = {k: note.after for k, note in enumerate(doc.footnotes) if not note.citations}
        self.after: dict[int, list[int]] = {}  # id(block) -> footnotes written at its end
        for i, visit in enumerate(walk(doc)):
            for k, after in placed.items():
                if after == i:
                    self.after.setdefault(id(visit.node), []).append(k)
        self.unplaced = [k for k, after in placed.items() if after is None]

    # ------------------------------------------------------------------ inline content

    def runs(self, parent, runs: list[Inline], wraps=()) -> None:
        """Write runs into ``parent``; ``wraps`` are ``(start, end, tag, attrib)`` ranges of the
        runs' plain text to wrap in an inline element (docDate, docNumber, ...)."""
        if not wraps:  # the common case: text, bold and notes only
            for run in runs:
                if isinstance(run, NoteRef):
                    self.note(parent, run)
                else:
                    self.text(parent, run.text, run.bold)
            return
        pos = 0
        wraps = sorted(wraps, key=lambda w: w[0])
        open_wrap = None  # (end, element)
        for run in runs:
            if isinstance(run, NoteRef):
                target = open_wrap[1] if open_wrap and pos < open_wrap[0] else parent
                self.note(target, run)
                continue
            text = run.text
            while text:
                if open_wrap and pos >= open_wrap[0]:
                    open_wrap = None
                if open_wrap is None:
                    nxt = next((w for w in wraps if w[0] >= pos and w[0] < pos + len(text)), None)
                    if nxt and nxt[0] == pos:
                        el = E(parent, nxt[2], nxt[3])
                        open_wrap = (nxt[1], el)
                        continue
                    cut = (nxt[0] - pos) if nxt else len(text)
                    self.text(parent, text[:cut], run.bold)
                else:
                    cut = min(open_wrap[0] - pos, len(text))
                    self.text(open_wrap[1], text[:cut], run.bold)
                pos += cut
                text = text[cut:]

    @staticmethod
    def text(parent: El, s: str, bold: bool) -> None:
        if not s:
            return
        if bold:
            E(parent, "b", text=s)
        else:
            parent.children.append(s)

    def note(self, parent, ref: NoteRef) -> None:
        k = ref.note
        if k is None:  # no body (reported as footnote.missing-body): keep the marker visible
            E(parent, "sup", text=ref.marker.translate(TO_SUPERSCRIPT))
            return
        if ref.first and k not in self.notes:
            self.authorial(parent, k)
        else:
            el = E(parent, "noteRef", {"marker": ref.marker, "href": "#"})
            el.ref = self.notes.get(k)
            if el.ref is None:  # cited again before its note was written: resolved at the end
                self.pending.append((el, k))

    def authorial(self, parent, k: int):
        note = self.doc.footnotes[k]
        el = E(parent, "authorialNote", {"marker": note.marker, "placement": "bottom"})
        self.notes[k] = el  # before its text: a note citing itself refers back
        self.runs(E(el, "p"), note.inlines)
        return el

    def block(self, parent, runs: list[Inline], node: Block, tag: str = "p", attrib=None, wraps=()):
        """A ``p`` holding the text of ``node``, and at its end the footnotes cited nowhere that
        were placed after it."""
        p = E(parent, tag, attrib)
        self.runs(p, runs, wraps)
        for note in self.after.pop(id(node), []):
            self.authorial(p, note)
        return p

    # ------------------------------------------------------------------ document

    def write(self) -> El:
        doc, meta = self.doc, self.doc.metadata
        self.pending: list[tuple[El, int]] = []
        root = El("akomaNtoso", {"xmlns": NS})
        if doc.kind in ("resolution", "decision", "presidentialStatement"):
            top = E(root, "statement", {"name": doc.kind, "contains": "originalVersion"})
        else:
            top = E(
                root,
                "doc",
                {"name": "officialStatement" if doc.kind == "statement" else "document", "contains": "originalVersion"},
            )
        self.meta(top)
        preface = E(top, "preface")
        if meta.symbol:
            E(E(preface, "p", {"class": "symbol", "status": "editorial"}), "docNumber", text=meta.symbol)
        for line in doc.preface:
            self.line(preface, line, LINE_CLASSES.get(line.role))
        if not preface.children:
            top.children.remove(preface)
        if doc.formula or doc.preamble:
            pre = E(top, "preamble")
            if doc.formula:
                self.block(E(pre, "formula", {"name": "enactingFormula"}), doc.formula.inlines, doc.formula)
            for para in doc.preamble:
                self.block(E(pre, "container", {"name": "preambularParagraph"}), para.inlines, para)
        body = E(top, "mainBody")
        self.body(body, doc.body)
        if not body.children:
            E(body, "p")
        if doc.conclusions:
            con = E(E(top, "conclusions"), "container", {"name": "conclusion"})
            for line in doc.conclusions:
                self.line(con, line, LINE_CLASSES.get(line.role))
        if doc.annexes:
            atts = E(top, "attachments")
            for n, annex in enumerate(doc.annexes, 1):
                self.annex(E(atts, "attachment"), annex, n)
        for k in self.unplaced:  # cited nowhere, after no block: at the end of the last paragraph
            self.authorial(list(top.iter("p"))[-1], k)
        for el, k in self.pending:
            el.ref = self.notes[k]
        return root

    def body(self, parent, items) -> None:
        for item in items:
            if isinstance(item, Heading):
                hc = E(parent, "hcontainer", {"name": "crossHeading"})
                if item.num:
                    E(hc, "num", text=item.num)
                self.runs(E(hc, "heading"), item.inlines)
            elif isinstance(item, Part):
                self.part(parent, item)
            else:
                self.operative(parent, item)

    def part(self, parent, part: Part) -> None:
        """A part of a multi-part resolution: its formula and preamble go in the part's intro,
        since the strict schema allows one preamble per document."""
        hc = E(parent, "hcontainer", {"name": "resolutionPart"})
        E(hc, "num", text=part.num)
        if part.heading:
            self.runs(E(hc, "heading"), part.heading)
        if part.formula or part.preamble:
            intro = E(hc, "intro")
            if part.formula:
                self.block(intro, part.formula.inlines, part.formula, attrib={"class": "formula"})
            for para in part.preamble:
                self.block(intro, para.inlines, para, attrib={"class": "preambularParagraph"})
        self.body(hc, part.body)
        if part.conclusions:
            wrap = E(hc, "wrapUp")
            for line in part.conclusions:
                self.line(wrap, line, LINE_CLASSES.get(line.role))

    def annex(self, parent, annex: Annex, n: int) -> None:
        doc = E(parent, "doc", {"name": "annex"})
        iri = work_iri(self.doc) + f"/annex_{n}"
        date = self.doc.metadata.adoption_date or UNKNOWN_DATE
        name = "adoption" if self.doc.metadata.adoption_date else "unknown"
        lines = [(0, "<meta>"), *identification(iri, date, name, self.org, self.doc.metadata.language), (0, "</meta>")]
        doc.children.append(Raw("meta", lines))
        preface = E(doc, "preface")
        for line in annex.heading:
            self.line(preface, line)
        body = E(doc, "mainBody")
        for block in annex.blocks:
            if block.num:
                self.operative(body, block)
            else:
                self.block(body, block.inlines, block)
        if not body.children:
            E(body, "p")

    def operative(self, parent, op: Operative) -> None:
        para = E(parent, "paragraph")
        if op.num:
            E(para, "num", text=op.num)
        if op.points:
            lst = E(para, "list")
            if op.inlines:
                self.block(E(lst, "intro"), op.inlines, op)
            self.points(lst, op.points)
        else:
            self.block(E(para, "content"), op.inlines, op)

    def points(self, lst, points: list[Point]) -> None:
        for pt in points:
            el = E(lst, "point")
            E(el, "num", text=pt.num)
            if pt.points:
                sub = E(el, "list")
                if pt.inlines:
                    self.block(E(sub, "intro"), pt.inlines, pt)
                self.points(sub, pt.points)
            else:
                self.block(E(el, "content"), pt.inlines, pt)

    def line(self, parent, line: Line, attrib: dict[str, str] | None = None) -> None:
        """A preface, closing or annex heading line; its marks become inline elements."""
        wraps = [(m.start, m.end, WRAPS[m.kind], _wrap_attrib(m)) for m in line.marks]
        self.block(parent, line.inlines, line, attrib=attrib or {}, wraps=wraps)

    # ------------------------------------------------------------------ metadata

    def meta(self, top) -> None:
        doc, meta = self.doc, self.doc.metadata
        iri = work_iri(doc)
        date = meta.adoption_date or UNKNOWN_DATE
        date_name = "adoption" if meta.adoption_date else "unknown"
        actor = meta.body
        org = self.org
        number = {"value": iri_number(doc)}
        if meta.symbol:
            number["showAs"] = meta.symbol
        work = [_tag("FRBRsubtype", {"value": subtype(doc)}), _tag("FRBRnumber", number)]
        if meta.title:
            work.append(_tag("FRBRname", {"value": meta.title}))
        L = [(0, "<meta>"), *identification(iri, date, date_name, org, meta.language, work)]
        add = L.append
        add((1, '<references source="#aknPipeline">'))
        self.taken = [org, "adoptionMeeting", "aknPipeline"]
        if actor in BY_CODE:
            add(
                (
                    2,
                    _tag(
                        "TLCOrganization",
                        {"eId": org, "href": f"/akn/ontology/organization/un/{org}", "showAs": BY_CODE[actor].english},
                    ),
                )
            )
        else:
            add(
                (
                    2,
                    _tag(
                        "TLCOrganization",
                        {"eId": org, "href": "/akn/ontology/organization/un/unknown", "showAs": "unknown author"},
                    ),
                )
            )
        if meta.meeting:
            add(
                (
                    2,
                    _tag(
                        "TLCEvent",
                        {
                            "eId": "adoptionMeeting",
                            "href": "/akn/ontology/event/un/adoptionMeeting",
                            "showAs": meta.meeting,
                        },
                    ),
                )
            )
        add((2, '<TLCObject eId="aknPipeline" href="/akn/ontology/object/akn-pipeline" showAs="akn-pipeline"/>'))
        add((1, "</references>"))
        add((1, '<proprietary source="#aknPipeline">'))
        add(
            (
                2,
                _tag(
                    "ap:conversion",
                    {"xmlns:ap": PIPELINE_NS, "structured": "true" if doc.structured else "false", "kind": doc.kind},
                ),
            )
        )
        add((1, "</proprietary>"))
        add((0, "</meta>"))
        top.children.append(Raw("meta", L))


def subtype(doc: Document) -> str:
    return "deliberation" if doc.kind in ("resolution", "decision", "presidentialStatement") else "communication"


def iri_number(doc: Document) -> str:
    return (doc.metadata.number or "nn").replace("/", "-").replace(" ", "")


def work_iri(doc: Document) -> str:
    meta = doc.metadata
    doctype = "statement" if doc.kind in ("resolution", "decision", "presidentialStatement") else "doc"
    actor = meta.body or "un"
    return f"/akn/un/{doctype}/{subtype(doc)}/{actor}/{meta.adoption_date or UNKNOWN_DATE}/{iri_number(doc)}"


def _doc_href(symbol: str) -> str:
    return "/akn/un/doc/documentation/" + symbol.replace("/", "-").replace(" ", "")


def to_bytes(doc: Document) -> bytes:
    """The AKN document as written: UTF-8, XML declaration, indented where no text is mixed in."""
    writer = Writer(doc)
    return serialise(writer.write(), writer.taken)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, collect_ids=False)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


# ---------------------------------------------------------------------- serialisation and eIds

_TEXT_ESC = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ATTR_ESC = {**_TEXT_ESC, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}
_NEEDS_TEXT_ESC = re.compile("[&<>\r]")
_INDENT = ["  " * n for n in range(31)]  # libxml2 indents 60 columns at most
_NEEDS_ATTR_ESC = re.compile('[&<>\r\n\t"]')


def serialise(root: El, taken=()) -> bytes:
    """Write the tree the way libxml2 pretty-prints it (two spaces a level; an element with text
    in its content is written on one line, and so is everything inside it), assigning eIds on the
    way: they are made in document order, which is the order of writing (rules in ``pipeline.eids``).
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
