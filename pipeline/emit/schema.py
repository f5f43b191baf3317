"""The JSON Schema of the document model, generated from the pydantic models."""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from ..model import SCHEMA_ID, SCHEMA_VERSION, Document

FILENAME = "akn-pipeline-document.schema.json"


def generate() -> dict[str, Any]:
    schema = Document.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "title": "akn-pipeline document",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def path() -> Traversable:
    return files("pipeline.schemas") / FILENAME


def load() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path().read_text(encoding="utf-8"))
    return schema
