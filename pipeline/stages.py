"""The pipeline: one ordered, named list of stages, and the functions that run it.

    normalise   str        -> Normalised   (pipeline.normalise)
    segment     Normalised -> Document     (pipeline.segment)
    footnotes   Document   -> Document     (pipeline.footnotes)

then ``emit`` writes AKN XML and JSON from the ``Document`` and validates both.  Stages are pure:
no I/O, no clock; diagnostics go to the context's sink.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import orjson
from lxml import etree

from . import akn, validate
from .context import Context
from .footnotes import footnotes
from .model import Document
from .normalise import normalise
from .segment import segment

STAGES: list[tuple[str, Callable[[Any, Context], Any]]] = [
    ("normalise", normalise),
    ("segment", segment),
    ("footnotes", footnotes),
]
STAGE_NAMES = [name for name, _ in STAGES]


def run(text: str, ctx: Context, stop_after: str | None = None) -> Any:
    """Run the stages in order on decoded text; ``stop_after`` names the last stage to run."""
    if stop_after is not None and stop_after not in STAGE_NAMES:
        raise ValueError(f"unknown stage {stop_after!r}; stages are {', '.join(STAGE_NAMES)}")
    value: Any = text
    for name, stage in STAGES:
        value = stage(value, ctx)
        if name == stop_after:
            break
    if isinstance(value, Document):
        value.diagnostics = list(ctx.sink.items)
    return value


@dataclass
class Outputs:
    document: Document
    xml: bytes
    json: bytes


class OutputInvalid(Exception):
    """An output failed its schema: a bug of the converter, never of the input."""


def emit(doc: Document, check: bool = True) -> Outputs:
    xml = akn.to_bytes(doc)
    instance = doc.model_dump(mode="json")  # what is validated is exactly what is written
    data = orjson.dumps(instance, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    if check:
        try:
            root = akn.parse(xml)  # the bytes that are written are the bytes that are validated
        except etree.XMLSyntaxError as exc:
            raise OutputInvalid(f"AKN output is not well-formed XML: {exc}") from None
        errors = validate.xml_errors(root)
        if errors:
            raise OutputInvalid("AKN output fails the XSD: " + "; ".join(errors[:3]))
        errors = validate.json_errors(instance)
        if errors:
            raise OutputInvalid("JSON output fails the schema: " + "; ".join(errors[:3]))
    return Outputs(doc, xml, data)


def convert(text: str, ctx: Context, check: bool = True) -> Outputs:
    return emit(run(text, ctx), check)
