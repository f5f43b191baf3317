"""Emit: a ``Document`` -> the two outputs, AKN XML (``akn``) and JSON (``json``), both validated
(``validate``) before anything is written.

Assumes: the stages ran (``pipeline.stages.run``).  Guarantees: the bytes returned are exactly the
bytes that were validated; an output that fails its schema raises ``OutputInvalid`` (a bug of the
converter, never of the input).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..model import Document
from .akn import parse as parse_akn
from .akn import to_bytes as akn_bytes
from .json import to_instance, to_json_bytes
from .validate import json_errors, xml_errors


@dataclass
class Outputs:
    document: Document
    xml: bytes
    json: bytes


class OutputInvalid(Exception):
    """An output failed its schema: a bug of the converter, never of the input."""


def emit(doc: Document, check: bool = True) -> Outputs:
    xml = akn_bytes(doc)
    instance = to_instance(doc)  # what is validated is exactly what is written
    data = to_json_bytes(instance)
    if check:
        try:
            root = parse_akn(xml)  # the bytes that are written are the bytes that are validated
        except etree.XMLSyntaxError as exc:
            raise OutputInvalid(f"AKN output is not well-formed XML: {exc}") from None
        errors = xml_errors(root)
        if errors:
            raise OutputInvalid("AKN output fails the XSD: " + "; ".join(errors[:3]))
        errors = json_errors(instance)
        if errors:
            raise OutputInvalid("JSON output fails the schema: " + "; ".join(errors[:3]))
    return Outputs(doc, xml, data)
