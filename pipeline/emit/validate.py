"""Validation of outputs: AKN against the strict official XSD, JSON against the project's schema.

Schemas are loaded once per process.  Functions return a list of error messages (empty when
valid) instead of printing (bluebell's ``(ok, errors)``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import as_file, files

from lxml import etree

from .schema import load as load_schema


@lru_cache(maxsize=1)
def xsd() -> etree.XMLSchema:
    # load from the file path so the relative import of xml.xsd resolves offline
    with as_file(files("pipeline.schemas") / "akomantoso30.xsd") as path:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(path), parser))


@lru_cache(maxsize=1)
def json_validator():
    """The fast validator (jsonschema-rs) for the hot path, same Draft 2020-12 semantics."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema())


@lru_cache(maxsize=1)
def json_reference_validator():
    """python-jsonschema: the reference validator, with error paths, for the validate command."""
    import jsonschema

    schema = load_schema()
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def xml_errors(tree: etree._Element) -> list[str]:
    schema = xsd()
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def json_errors(instance: object, reference: bool = False) -> list[str]:
    if not reference:
        v = json_validator()
        if v.is_valid(instance):
            return []
    errors = sorted(json_reference_validator().iter_errors(instance), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors]
