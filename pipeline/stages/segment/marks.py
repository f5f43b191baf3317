"""The last step of ``segment``: what each preface, closing and annex heading line says, and where.

Once the metadata is complete (the side-car and the command line have had their say), every line
records the parts of its text that state the document's metadata (``Line.marks``): the session
and its number, the adoption date, the number and the title, the symbol of a committee report, the
submitter, the meeting.  The emitters only read these marks; they never match the text again.  A
number, a report or a submitter is marked only where the line says exactly what the metadata holds,
so the AKN ``docNumber`` always agrees with ``FRBRnumber``.

Offsets are in the line's plain text (``model.plain``: footnote markers left out).  Example::

    Line(role="title", "76/53. 国际法院咨询意见的后续行动")
    -> marks: number 0-5, title 7-21
"""

from __future__ import annotations

from ...model import Document, Line, Mark, MarkKind, Metadata, plain
from ..metadata import iso_date
from ..patterns import DATE, NUMBER_TITLE, SESSION
from ..patterns import key as pattern_key


def mark_lines(doc: Document) -> None:
    """Set ``marks`` on the preface lines, the closing lines (of the document and of its parts)
    and the annex heading lines."""
    meta = doc.metadata
    for line in doc.preface:
        line.marks = preface_marks(line, meta)
    closing = [*doc.conclusions, *(line for item in doc.body if item.kind == "part" for line in item.conclusions)]
    for line in closing:
        line.marks = closing_marks(line)
    for annex in doc.annexes:
        for line in annex.heading:
            text = plain(line.inlines)
            line.marks = [Mark(kind="title", start=0, end=len(text))] if line.role == "title" else []


def preface_marks(line: Line, meta: Metadata) -> list[Mark]:
    text = plain(line.inlines)
    role = line.role
    if role == "session":
        if SESSION.match(pattern_key(text)):
            return [Mark(kind="session", start=0, end=len(text), value=meta.session or "")]
        return []
    if role == "date" and (m := DATE.search(text)) and (date := iso_date(text)):
        return [Mark(kind="date", start=m.start(), end=m.end(), value=date)]
    if role == "committeeReport" and meta.committee_report:
        return _found(text, meta.committee_report.symbol, "reference")
    if role == "title" and (m := NUMBER_TITLE.match(pattern_key(text))):
        marks = [Mark(kind="number", start=0, end=m.end(1))]
        if m.start(2) < len(text):
            marks.append(Mark(kind="title", start=m.start(2), end=len(text)))
        return marks
    if role == "number" and meta.number:
        return _found(text, meta.number, "number")
    if role == "submitter" and meta.submitter:
        return _found(text, meta.submitter, "proponent")
    if role == "title":
        return [Mark(kind="title", start=0, end=len(text))]
    return []


def closing_marks(line: Line) -> list[Mark]:
    text = plain(line.inlines)
    if line.role == "date" and (date := iso_date(text)):
        return [Mark(kind="date", start=0, end=len(text), value=date)]
    if line.role == "meeting":
        return [Mark(kind="meeting", start=0, end=len(text))]
    return []


def _found(text: str, value: str, kind: MarkKind) -> list[Mark]:
    """A mark where ``value`` first stands in ``text``, if it does."""
    k = text.find(value)
    return [Mark(kind=kind, start=k, end=k + len(value), value=value)] if k >= 0 else []
