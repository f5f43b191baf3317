"""The document model: the intermediate representation between stages and the JSON output.

One set of pydantic models serves both purposes (pandoc's ``Pandoc`` value, serialised by its own
JSON writer).  Every node that comes from the input carries the span of source lines it came from
(1-based, inclusive), so a diagnostic about a footnote on line 94 says line 94.

Inline content is a flat list of runs: plain or bold text, and footnote citations.  A footnote is
stored once, in ``Document.footnotes``; each place it is cited is a ``NoteRef`` in the text and a
``Citation`` on the footnote.
"""

from __future__ import annotations

from typing import Annotated, Literal

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


class Line(Node):
    """A line of the preface or the conclusions, with the role the segmenter gave it."""

    role: Literal[
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
    inlines: list[Inline]
    span: Span


class Paragraph(Node):
    """A preambular paragraph, or the formula."""

    inlines: list[Inline]
    span: Span


class Point(Node):
    """A sub-paragraph ``(a)``, ``(i)``, ``(一)`` ... with its own sub-points."""

    num: str
    inlines: list[Inline]
    points: list[Point] = Field(default_factory=list)
    span: Span


class Operative(Node):
    """A numbered operative paragraph; ``inlines`` is its text before any sub-paragraphs."""

    kind: Literal["paragraph"] = "paragraph"
    num: str | None
    inlines: list[Inline]
    points: list[Point] = Field(default_factory=list)
    span: Span


class Heading(Node):
    """A heading inside the operative part (``一、``, ``A.``, a part title)."""

    kind: Literal["heading"] = "heading"
    num: str | None = None
    inlines: list[Inline]
    span: Span


class Part(Node):
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
