"""FRBR identification, IRIs and the ``meta`` block of an AKN document (AKN4UN).

IRIs follow ``/akn/un/{docType}/{subtype}/{actor}/{date}/{number}`` with ``/`` in the number written
``-``; the expression adds ``/zho@``, ``!main`` follows a ``/``.  Unknown parts are ``nn`` (number)
and ``0001-01-01`` (date, with ``FRBRdate/@name="unknown"``).  The ``meta`` block is written ahead
as lines (``xml.Raw``): elements with attributes only.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..bodies import BY_CODE
from ..model import Document
from .xml import Raw, tag

PIPELINE_NS = "https://akn-pipeline.github.io/ns/conversion/1.0"
"""Namespace of the converter's own note in ``meta/proprietary``: whether the document was fully
structured (``structured="false"`` flags a partially structured document)."""
UNKNOWN_DATE = "0001-01-01"


def identification(
    iri: str, date: str, date_name: str, org: str, language: str, work: Sequence[str] = ()
) -> list[tuple[int, str]]:
    """The FRBR identification block of a document or an annex, as ``Raw`` lines (depth 1 below
    ``meta``); ``work``: more FRBRWork elements, written."""
    lines = [(1, '<identification source="#aknPipeline">')]
    for level, this, uri, author, extra in (
        ("FRBRWork", "/!main", "", "#" + org, ['<FRBRcountry value="un"/>', *work]),
        ("FRBRExpression", "/zho@/!main", "/zho@", "#" + org, [tag("FRBRlanguage", {"language": language})]),
        ("FRBRManifestation", "/zho@/!main.xml", "/zho@.akn", "#aknPipeline", []),
    ):
        lines += [
            (2, f"<{level}>"),
            (3, tag("FRBRthis", {"value": iri + this})),
            (3, tag("FRBRuri", {"value": iri + uri})),
            (3, tag("FRBRdate", {"date": date, "name": date_name})),
            (3, tag("FRBRauthor", {"href": author})),
            *((3, x) for x in extra),
            (2, f"</{level}>"),
        ]
    lines.append((1, "</identification>"))
    return lines


def meta_block(doc: Document, org: str) -> tuple[Raw, list[str]]:
    """The document's ``meta``: identification, references (the TLC author, the adoption meeting,
    the converter), the converter's own note; and the eIds it takes."""
    meta = doc.metadata
    iri = work_iri(doc)
    date = meta.adoption_date or UNKNOWN_DATE
    date_name = "adoption" if meta.adoption_date else "unknown"
    number = {"value": iri_number(doc)}
    if meta.symbol:
        number["showAs"] = meta.symbol
    work = [tag("FRBRsubtype", {"value": subtype(doc)}), tag("FRBRnumber", number)]
    if meta.title:
        work.append(tag("FRBRname", {"value": meta.title}))
    lines = [(0, "<meta>"), *identification(iri, date, date_name, org, meta.language, work)]
    body = BY_CODE.get(meta.body or "")
    if body is not None:
        author = {"eId": org, "href": f"/akn/ontology/organization/un/{org}", "showAs": body.english}
    else:
        author = {"eId": org, "href": "/akn/ontology/organization/un/unknown", "showAs": "unknown author"}
    references = [tag("TLCOrganization", author)]
    if meta.meeting:
        event = {"eId": "adoptionMeeting", "href": "/akn/ontology/event/un/adoptionMeeting", "showAs": meta.meeting}
        references.append(tag("TLCEvent", event))
    references.append('<TLCObject eId="aknPipeline" href="/akn/ontology/object/akn-pipeline" showAs="akn-pipeline"/>')
    note = {"xmlns:ap": PIPELINE_NS, "structured": "true" if doc.structured else "false", "kind": doc.kind}
    lines += [
        (1, '<references source="#aknPipeline">'),
        *((2, ref) for ref in references),
        (1, "</references>"),
        (1, '<proprietary source="#aknPipeline">'),
        (2, tag("ap:conversion", note)),
        (1, "</proprietary>"),
        (0, "</meta>"),
    ]
    return Raw("meta", lines), [org, "adoptionMeeting", "aknPipeline"]


def subtype(doc: Document) -> str:
    return "deliberation" if doc.kind in ("resolution", "decision", "presidentialStatement") else "communication"


def iri_number(doc: Document) -> str:
    return (doc.metadata.number or "nn").replace("/", "-").replace(" ", "")


def work_iri(doc: Document) -> str:
    meta = doc.metadata
    doctype = "statement" if doc.kind in ("resolution", "decision", "presidentialStatement") else "doc"
    actor = meta.body or "un"
    return f"/akn/un/{doctype}/{subtype(doc)}/{actor}/{meta.adoption_date or UNKNOWN_DATE}/{iri_number(doc)}"


def doc_href(symbol: str) -> str:
    return "/akn/un/doc/documentation/" + symbol.replace("/", "-").replace(" ", "")
