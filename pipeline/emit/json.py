"""JSON writer: the document model dumped as it is (the JSON output *is* the model), indented by
two spaces, with a final newline.  ``to_instance`` is what ``validate.json_errors`` checks and
``to_json_bytes`` writes exactly that instance."""

from __future__ import annotations

from typing import Any

import orjson

from ..model import Document


def to_instance(doc: Document) -> dict[str, Any]:
    return doc.model_dump(mode="json")


def to_json_bytes(instance: dict[str, Any]) -> bytes:
    return orjson.dumps(instance, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
