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

from collections.abc import Sequence

from ..bodies import BY_CODE
from ..model import Annex, Block, BodyItem, Document, Heading, Inline, Line, Mark, NoteRef, Operative, Part, Point, walk
from .frbr import UNKNOWN_DATE, doc_href, identification, meta_block, work_iri
from .xml import E, El, Raw, parse, serialise

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
__all__ = ["NS", "Writer", "parse", "serialise", "to_bytes"]
TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

Wrap = tuple[int, int, str, dict[str, str]]
"""A range of a block's plain text to write inside an inline element: ``(start, end, tag, attrib)``."""

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
        return {"href": doc_href(mark.value or "")}
    if mark.kind == "meeting":
        return {"refersTo": "#adoptionMeeting"}
    return {}


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

    def runs(self, parent: El, runs: list[Inline], wraps: Sequence[Wrap] = ()) -> None:
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

    def note(self, parent: El, ref: NoteRef) -> None:
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

    def authorial(self, parent: El, k: int) -> El:
        note = self.doc.footnotes[k]
        el = E(parent, "authorialNote", {"marker": note.marker, "placement": "bottom"})
        self.notes[k] = el  # before its text: a note citing itself refers back
        self.runs(E(el, "p"), note.inlines)
        return el

    def block(
        self,
        parent: El,
        runs: list[Inline],
        node: Block,
        tag: str = "p",
        attrib: dict[str, str] | None = None,
        wraps: Sequence[Wrap] = (),
    ) -> El:
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
        block, self.taken = meta_block(doc, self.org)
        top.children.append(block)
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

    def body(self, parent: El, items: Sequence[BodyItem | Operative | Heading]) -> None:
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

    def part(self, parent: El, part: Part) -> None:
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

    def annex(self, parent: El, annex: Annex, n: int) -> None:
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

    def operative(self, parent: El, op: Operative) -> None:
        self.numbered(E(parent, "paragraph"), op)

    def numbered(self, el: El, node: Operative | Point) -> None:
        """A paragraph or a sub-paragraph: its number, then its text, or its text before its
        sub-paragraphs (``intro``) and them (``list``)."""
        if node.num or isinstance(node, Point):
            E(el, "num", text=node.num)
        if node.points:
            lst = E(el, "list")
            if node.inlines:
                self.block(E(lst, "intro"), node.inlines, node)
            for pt in node.points:
                self.numbered(E(lst, "point"), pt)
        else:
            self.block(E(el, "content"), node.inlines, node)

    def line(self, parent: El, line: Line, attrib: dict[str, str] | None = None) -> None:
        """A preface, closing or annex heading line; its marks become inline elements."""
        wraps = [(m.start, m.end, WRAPS[m.kind], _wrap_attrib(m)) for m in line.marks]
        self.block(parent, line.inlines, line, attrib=attrib or {}, wraps=wraps)

    # ------------------------------------------------------------------ metadata


def to_bytes(doc: Document) -> bytes:
    """The AKN document as written: UTF-8, XML declaration, indented where no text is mixed in."""
    writer = Writer(doc)
    return serialise(writer.write(), writer.taken)
