"""The document model: the intermediate representation between stages and the JSON output.

One set of pydantic models serves both purposes (pandoc's ``Pandoc`` value, serialised by its own
JSON writer).  Every node that comes from the input carries the span of source lines it came from
(1-based, inclusive), so a diagnostic about a footnote on line 94 says line 94.

Inline content is a flat list of runs: plain or bold text, and footnote citations.  A footnote is
stored once, in ``Document.footnotes``; each place it is cited is a ``NoteRef`` in the text and a
``Citation`` on the footnote.

A few fields record decisions of the stages for the emitters and ``inspect`` without being part of
the JSON output (``exclude=True``; the published schema leaves them out): the rule that made each
block (``Block.rule``), what a preface or closing line says in which part of its text
(``Line.marks``), and where an uncited footnote body is placed (``Footnote.after``).  The emitters
only read the model; ``walk`` visits its blocks in reading order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1.0"
"""Version of the JSON document model.  Bump it (semver) whenever the models change:
``tests/test_schema.py`` fails when the generated schema differs from the committed one."""

SCHEMA_ID = f"https://akn-pipeline.github.io/schemas/akn-pipeline-document-{SCHEMA_VERSION}.json"


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Node):
    """Source lines a node came from: 1-based, inclusive."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Text(Node):
    type: Literal["text"] = "text"
    text: str
    bold: bool = False


class NoteRef(Node):
    """A footnote citation where the marker stood.  ``marker`` is the footnote's number as printed
    (ASCII digits); ``note`` is the index in ``Document.footnotes`` of the footnote it cites (markers
    may repeat in a document, an annex numbering its notes from 1 again), None when no body was
    found; ``first`` is true for the citation that carries the note in AKN."""

    type: Literal["noteref"] = "noteref"
    marker: str
    note: int | None = None
    first: bool = True
    line: int = 0


Inline = Annotated[Text | NoteRef, Field(discriminator="type")]


def plain(runs: list[Inline]) -> str:
    """The text of some runs, markers left out."""
    return "".join(r.text for r in runs if isinstance(r, Text))


class Block(Node):
    """A node that holds text of the document (a line, a paragraph, a heading, a point, a part)."""

    rule: str = Field(default="", exclude=True)
    """The name of the segmentation rule that made it (``inspect`` shows it); not in the JSON."""


MarkKind = Literal["session", "date", "number", "title", "reference", "proponent", "meeting"]


class Mark(Node):
    """A range of a line's text that says what the metadata holds: the session, the adoption date,
    the document's number or title, a report's symbol, the submitter, the meeting.  ``start`` and
    ``end`` are offsets in the line's plain text (``plain(line.inlines)``: markers left out);
    ``value`` is what the range says in normal form (``76``, ``2021-12-06``, ``A/76/462``)."""

    kind: MarkKind
    start: int
    end: int
    value: str | None = None


LineRole = Literal[
    "session",
    "agenda",
    "agendaTitle",
    "date",
    "committeeReport",
    "title",
    "number",
    "body",
    "submitter",
    "meeting",
    "vote",
    "annex",
    "part",
    "signature",
    "other",
]
"""The roles of preface and closing lines."""


class Line(Block):
    """A line of the preface or the conclusions, with the role the segmenter gave it."""

    role: LineRole
    inlines: list[Inline]
    span: Span
    marks: list[Mark] = Field(default_factory=list, exclude=True)
    """The parts of its text the segmenter read metadata from; not in the JSON."""


class Paragraph(Block):
    """A preambular paragraph, or the formula."""

    inlines: list[Inline]
    span: Span


class Point(Block):
    """A sub-paragraph ``(a)``, ``(i)``, ``(一)`` ... with its own sub-points."""

    num: str
    inlines: list[Inline]
    points: list[Point] = Field(default_factory=list)
    span: Span


class Operative(Block):
    """A numbered operative paragraph; ``inlines`` is its text before any sub-paragraphs."""

    kind: Literal["paragraph"] = "paragraph"
    num: str | None
    inlines: list[Inline]
    points: list[Point] = Field(default_factory=list)
    span: Span


class Heading(Block):
    """A heading inside the operative part (``一、``, ``A.``, a part title)."""

    kind: Literal["heading"] = "heading"
    num: str | None = None
    inlines: list[Inline]
    span: Span


class Part(Block):
    """One part of a multi-part resolution (``A``, ``B``): its own title, formula, preamble and
    operative paragraphs.  Written to AKN as ``hcontainer name="resolutionPart"`` so the strict
    schema (one preamble per document) still passes."""

    kind: Literal["part"] = "part"
    num: str
    heading: list[Inline] = Field(default_factory=list)
    formula: Paragraph | None = None
    preamble: list[Paragraph] = Field(default_factory=list)
    body: list[Operative | Heading] = Field(default_factory=list)
    conclusions: list[Line] = Field(default_factory=list)
    span: Span


BodyItem = Annotated[Operative | Heading | Part, Field(discriminator="kind")]


class Annex(Node):
    """An annex (``附件``): its heading lines, then its blocks in order, each with its number if
    it has one.  Written to AKN as an attachment."""

    heading: list[Line] = Field(default_factory=list)
    blocks: list[Operative] = Field(default_factory=list)
    span: Span


class Citation(Node):
    """Where a footnote is cited: the block (``preamble:3``, ``para:5``, ``point:5(a)``, ``preface``,
    ``conclusions``) and the source line of the marker."""

    block: str
    line: int


class Footnote(Node):
    marker: str
    inlines: list[Inline]
    span: Span
    citations: list[Citation] = Field(default_factory=list)
    after: int | None = Field(default=None, exclude=True)
    """A body cited nowhere: the position in ``walk(doc)`` of the block it is placed after (the
    block it followed on the page), decided by the footnotes stage; not in the JSON."""


class AgendaItem(Node):
    number: str
    title: str | None = None


class CommitteeReport(Node):
    committee: str | None = None
    symbol: str
    paragraph: str | None = None


class Metadata(Node):
    symbol: str | None = None
    body: str | None = None
    """Author body: ``un-ga``, ``un-ga-hrc``, ``un-sc``, ``un-ecosoc``, ``un-cd``."""
    number: str | None = None
    session: str | None = None
    session_text: str | None = None
    agenda_items: list[AgendaItem] = Field(default_factory=list)
    adoption_date: str | None = None
    committee_report: CommitteeReport | None = None
    title: str | None = None
    meeting: str | None = None
    vote: str | None = None
    submitter: str | None = None
    language: str = "zho"


class Diagnostic(Node):
    code: str
    severity: Literal["error", "warning", "info"]
    message: str
    line: int = 0


class Removal(Node):
    """Text taken out of the document on purpose (page debris), with why."""

    line: int
    text: str
    reason: str


class Document(Node):
    """A converted document.  ``kind`` is the AKN document type the emitter writes."""

    schema_version: str = SCHEMA_VERSION
    source: str | None = None
    kind: Literal["resolution", "decision", "presidentialStatement", "statement", "document"] = "document"
    structured: bool = True
    """False when the segmenter gave up part-way; the rest of the text is then kept unstructured."""
    metadata: Metadata = Metadata()
    preface: list[Line] = Field(default_factory=list)
    formula: Paragraph | None = None
    preamble: list[Paragraph] = Field(default_factory=list)
    body: list[BodyItem] = Field(default_factory=list)
    conclusions: list[Line] = Field(default_factory=list)
    annexes: list[Annex] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    removed: list[Removal] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    rule: str = Field(default="", exclude=True)
    """The name of the segmentation rule that decided the document's shape; not in the JSON."""


# ---------------------------------------------------------------------- walking the tree


class Visit(NamedTuple):
    """A block as ``walk`` visits it."""

    node: Line | Paragraph | Heading | Operative | Point | Part
    name: str
    """The block's name in citations (``Citation.block``): ``preface``, ``formula``,
    ``preamble:3``, ``para:5``, ``point:5(a)``, ``point:5(a)(ii)``, ``heading``, ``part:A``,
    ``A:preamble:1``, ``A:para:2``, ``conclusions``, ``annex:1``."""
    region: Literal["preface", "formula", "preamble", "body", "conclusions", "annex"]
    depth: int
    """0 at the top; one more inside a part, and for each level of sub-paragraphs."""
    part: Part | None = None
    annex: int = 0
    """The annex (from 1) of a block of an annex."""

    @property
    def inlines(self) -> list[Inline]:
        return self.node.heading if isinstance(self.node, Part) else self.node.inlines


def walk(doc: Document) -> Iterator[Visit]:
    """Every block of the document in reading order: the preface lines, the formula, the preamble,
    the body (a part, then its formula, preamble, body and closing lines; a paragraph, then its
    sub-paragraphs, depth first), the closing lines, then each annex's heading lines and blocks."""
    for line in doc.preface:
        yield Visit(line, "preface", "preface", 0)
    if doc.formula:
        yield Visit(doc.formula, "formula", "formula", 0)
    for k, para in enumerate(doc.preamble, 1):
        yield Visit(para, f"preamble:{k}", "preamble", 0)
    yield from _walk_body(doc.body, "", 0, None)
    for line in doc.conclusions:
        yield Visit(line, "conclusions", "conclusions", 0)
    for n, annex in enumerate(doc.annexes, 1):
        for line in annex.heading:
            yield Visit(line, f"annex:{n}", "annex", 0, annex=n)
        for block in annex.blocks:
            yield Visit(block, f"annex:{n}", "annex", 0, annex=n)
            yield from _walk_points(block.points, f"annex:{n}", "annex", 1, None, n)


def _walk_body(
    items: list[BodyItem] | list[Operative | Heading], prefix: str, depth: int, part: Part | None
) -> Iterator[Visit]:
    para = 0
    for item in items:
        if isinstance(item, Heading):
            yield Visit(item, "heading", "body", depth, part)
        elif isinstance(item, Part):
            name = f"part:{item.num}"
            yield Visit(item, name, "body", depth, item)
            if item.formula:
                yield Visit(item.formula, name, "formula", depth + 1, item)
            for k, p in enumerate(item.preamble, 1):
                yield Visit(p, f"{item.num}:preamble:{k}", "preamble", depth + 1, item)
            yield from _walk_body(item.body, f"{item.num}:", depth + 1, item)
            for line in item.conclusions:
                yield Visit(line, name, "conclusions", depth + 1, item)
        else:
            para += 1
            yield Visit(item, f"{prefix}para:{para}", "body", depth, part)
            yield from _walk_points(item.points, f"{prefix}{para}", "body", depth + 1, part)


def _walk_points(
    points: list[Point], path: str, region: Literal["body", "annex"], depth: int, part: Part | None, annex: int = 0
) -> Iterator[Visit]:
    """``point:2(b)``, and ``point:2(b)(ii)`` for a nested one."""
    for pt in points:
        yield Visit(pt, f"point:{path}{pt.num}", region, depth, part, annex)
        yield from _walk_points(pt.points, path + pt.num, region, depth + 1, part, annex)
