"""The checks ``validate`` makes, each with a stable code a repository can switch off
(``--disable``), and what a check finds."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field

CHECKS: dict[str, str] = {
    # refusals at the edge (cannot be switched off)
    "input.unreadable": "the file could not be read (exit status 2)",
    "input.too-large": "the file is larger than --max-bytes and was not read",
    "input.not-wellformed": "the file is not well-formed XML, or not valid UTF-8 JSON",
    "input.entity-declaration": "the XML declares entities in a DOCTYPE (XXE / entity bomb); refused unparsed",
    "input.too-deep": "the JSON is nested deeper than the limit; refused unparsed",
    # XML
    "xsd.invalid": "the XML is not valid against the official OASIS Akoma Ntoso 3.0 schema (strict)",
    "akn.meta-missing": "required metadata is missing (FRBR Work/Expression/Manifestation parts, references)",
    "akn.eid-duplicate": "two elements carry the same eId",
    "akn.eid-missing": "a structural element (paragraph, point, container, authorialNote, ...) has no eId",
    "akn.frbr-inconsistent": "the FRBR IRIs disagree with each other, or with FRBRcountry/subtype/number or the document type",
    "akn.frbr-docnumber": "a docNumber disagrees with FRBRnumber (its value or showAs)",
    "akn.frbr-date": "an FRBRdate or docDate disagrees with the date in the IRI",
    "akn.frbr-language": "FRBRlanguage disagrees with the language of the expression IRI",
    "akn.ref-unresolved": "an #href, source or refersTo points at no eId",
    "akn.noteref-unresolved": "a noteRef does not point at an authorialNote in the document",
    "akn.noteref-marker": "a noteRef's marker differs from the marker of the note it points at",
    "akn.note-no-marker": "an authorialNote has no marker",
    # JSON
    "json.version": "the JSON was made under another schema version than this validator's",
    "json.schema": "the JSON is not valid against the published JSON Schema",
}
ALWAYS_ON = frozenset(c for c in CHECKS if c.startswith("input."))


@dataclass(frozen=True, slots=True)
class Finding:
    line: int
    code: str
    message: str
    severity: str = "error"


@dataclass(slots=True)
class ValidationResult:
    path: str
    kind: str  # "xml" or "json"
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.findings

    @property
    def io_error(self) -> bool:
        return any(f.code == "input.unreadable" for f in self.findings)


class UsageError(ValueError):
    pass


def resolve_disabled(patterns: Iterable[str] | None) -> frozenset[str]:
    """``--disable`` values (codes, or globs like ``akn.frbr-*``) -> the codes they switch off."""
    out: set[str] = set()
    for pat in patterns or ():
        hits = [c for c in CHECKS if fnmatch.fnmatchcase(c, pat)]
        if not hits:
            raise UsageError(f"--disable {pat}: no such check (see 'Check codes' in docs/ci.md)")
        allowed = [c for c in hits if c not in ALWAYS_ON]
        if not allowed:
            raise UsageError(
                f"--disable {pat}: input checks are safety refusals and cannot be switched off"
                + (" (raise the limit with --max-bytes)" if "input.too-large" in hits else "")
            )
        out.update(allowed)
    return frozenset(out)
