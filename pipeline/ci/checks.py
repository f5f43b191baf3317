"""Validation of files for CI: safe reading, the strict XSD, the AKN4UN profile, the JSON Schema.

``Validator.validate_path`` checks one ``.xml`` or ``.json`` file and returns a ``ValidationResult``
whose ``findings`` each carry a stable code from ``CHECKS`` (a repository switches a check off
by its code, ``--disable akn.frbr-date``).  Schemas are loaded once per process
(``pipeline.emit.validate`` caches them); nothing here touches the network.

Reading is defensive, because the files may come from anyone:

- a file larger than ``max_bytes`` is refused before it is read (``input.too-large``);
- XML is parsed by lxml with ``resolve_entities=False, no_network=True, load_dtd=False,
  huge_tree=False``, and a DOCTYPE that declares entities (XXE, entity-expansion bombs) is refused
  before parsing (``input.entity-declaration``); libxml2's own limits (depth 256, entity
  amplification) stay on;
- JSON nesting is measured on the raw bytes before ``json.loads`` ever recurses
  (``input.too-deep``).

The ``input.*`` codes are safety refusals and cannot be switched off (``--max-bytes`` raises the
size limit).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import __version__
from ..emit.validate import json_reference_validator, json_validator, xsd
from ..model import SCHEMA_ID, SCHEMA_VERSION

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_A = f"{{{NS}}}"

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
MAX_XSD_ERRORS = 50

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


def resolve_disabled(patterns) -> frozenset[str]:
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


def xml_parser() -> etree.XMLParser:
    """The only XML parser used on untrusted files: no entities, no DTD, no network, default limits."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False, remove_pis=False
    )


def _scan_text(data: bytes) -> bytes:
    """The bytes to scan for a DOCTYPE: UTF-16/32 files are transcoded so they cannot hide one."""
    head = data[:4]
    enc = None
    if head in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        enc = "utf-32"
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16"
    elif len(head) == 4 and head[0] == 0 and head[1] == 0:
        enc = "utf-32-be"
    elif len(head) == 4 and head[2] == 0 and head[3] == 0 and head[1] == 0:
        enc = "utf-32-le"
    elif len(head) >= 2 and head[0] == 0:
        enc = "utf-16-be"
    elif len(head) >= 2 and head[1] == 0:
        enc = "utf-16-le"
    if enc is None:
        return data
    return data.decode(enc, errors="ignore").encode("utf-8")


def _line_at(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def entity_declaration(data: bytes) -> int | None:
    """The line of an entity declaration in a DOCTYPE, or None.  Cheap: one substring search when
    there is no DOCTYPE (the common case)."""
    text = _scan_text(data)
    k = text.find(b"<!DOCTYPE")
    if k < 0:
        return None
    e = text.find(b"<!ENTITY", k)
    return _line_at(text, e) if e >= 0 else None


# A JSON string: from a quote to the next quote not escaped, in one left-to-right pass (each
# iteration of the loop starts at a backslash, so there is one way to match and no backtracking); a
# string still open at the end of the data matches up to the end (group 1 empty) instead of failing
# and being tried again from every later quote, which made the scan quadratic.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\(?:.|\Z)[^"\\]*)*("|\Z)', re.S)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_scan(data: bytes, limit: int) -> tuple[str, int] | None:
    """``("too-deep", line)`` where ``data`` (raw JSON) first nests deeper than ``limit``,
    ``("unterminated", line)`` for a string never closed, or None.  Linear in the size of the data:
    strings are blanked in one pass (brackets in them do not count; JSON strings hold no raw
    newline, so lines are kept), then brackets are counted."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return None  # cannot be too deep; an open string is left to the parser (linear too)
    stripped = _JSON_STRING.sub(rb'"\1', data)  # "" for a closed string, " for one left open
    depth = 0
    for m in _JSON_BRACKET.finditer(stripped):
        if m.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return "too-deep", _line_at(stripped, m.start())
        else:
            depth -= 1
    if stripped.count(b'"') % 2:
        return "unterminated", _line_at(stripped, stripped.rfind(b'"'))
    return None


def json_depth_exceeded(data: bytes, limit: int) -> int | None:
    """The line where ``data`` (raw JSON) first nests deeper than ``limit``, or None."""
    found = json_scan(data, limit)
    return found[1] if found and found[0] == "too-deep" else None


# ---------------------------------------------------------------------------------------------
# AKN profile


_IRI = re.compile(
    r"^/akn/(?P<country>[a-z]{2}|un)(?:-[a-z0-9]+)?/(?P<doctype>[A-Za-z]+)/(?P<subtype>[^/@!]+)"
    r"/(?P<actor>[^/@!]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<number>[^/@!]+)$"
)
_EXPR_TAIL = re.compile(r"(?P<lang>[^/@]+)@(?P<version>[^/]*)")
_MAN_TAIL = re.compile(r"[^/@]+@[^/]*\.\w+")
_LANG = re.compile(r"^[a-z]{3}$")
_NEEDS_EID = {"formula", "container", "paragraph", "list", "point", "intro", "wrapUp", "authorialNote", "hcontainer"}
_NEEDS_EID_TAGS = tuple(_A + t for t in _NEEDS_EID)
_XNS = {"a": NS}
_X_EIDS = etree.XPath("//@eId", smart_strings=False)
_X_WITH_EID = etree.XPath("//*[@eId]")
_X_BY_EID = etree.XPath("//*[@eId=$id]")
_X_META_REFS = etree.XPath(".//@source|.//a:FRBRauthor/@href", namespaces=_XNS)  # source: meta only
_X_REFERS_TO = etree.XPath("//@refersTo")
_ATTR = {"FRBRdate": "date", "FRBRauthor": "href", "FRBRlanguage": "language"}
_CORE = ("FRBRthis", "FRBRuri", "FRBRdate", "FRBRauthor")
_UNKNOWN_DATE = "0001-01-01"


def _local(el) -> str | None:
    tag = el.tag
    if isinstance(tag, str) and tag.startswith(_A):
        return tag[len(_A) :]
    return None


def _child(el, name):
    if el is None:
        return None
    for child in el.iterchildren(_A + name):  # C-level filter; find() goes through ElementPath
        return child
    return None


def _norm_number(s: str) -> str:
    return s.strip().replace("/", "-").replace(" ", "")


def profile(root) -> list[Finding]:
    """The AKN4UN profile as this project emits it, beyond what the XSD says."""
    out: list[Finding] = []
    add = out.append
    if _local(root) != "akomaNtoso":
        return [
            Finding(root.sourceline or 0, "akn.meta-missing", "the document element is not an Akoma Ntoso <akomaNtoso>")
        ]
    doc = next((c for c in root if _local(c)), None)
    if doc is None:
        return [Finding(root.sourceline or 0, "akn.meta-missing", "<akomaNtoso> holds no document")]

    # a few C-level scans (XPath, filtered iter): Python touches only the elements that matter
    eid_list = _X_EIDS(root)
    eids = set(eid_list)
    if len(eids) != len(eid_list):
        seen: dict[str, object] = {}
        for el in _X_WITH_EID(root):
            eid = el.get("eId")
            first = seen.setdefault(eid, el)
            if first is not el:
                add(
                    Finding(
                        el.sourceline or 0,
                        "akn.eid-duplicate",
                        f"eId {eid!r} is already used on line {first.sourceline} (<{_local(first)}>)",
                    )
                )
    for el in root.iter(*_NEEDS_EID_TAGS):
        if el.get("eId") is None:
            add(Finding(el.sourceline or 0, "akn.eid-missing", f"<{_local(el)}> has no eId"))
    notes: dict[str, object] = {}
    noterefs: list = []
    docnumbers: list = []
    docdates: list = []
    for el in root.iter(_A + "authorialNote", _A + "noteRef"):
        if el.tag == _A + "authorialNote":
            if not (el.get("marker") or "").strip():
                add(
                    Finding(
                        el.sourceline or 0,
                        "akn.note-no-marker",
                        f"authorialNote {el.get('eId') or '(no eId)'} has no marker",
                    )
                )
            notes.setdefault(el.get("eId"), el)
        else:
            noterefs.append(el)
    for part in doc:  # the document's own docNumber/docDate, not those of its attachments
        if part.tag != _A + "attachments" and part.tag != _A + "meta":
            for el in part.iter(_A + "docNumber", _A + "docDate"):
                (docnumbers if el.tag == _A + "docNumber" else docdates).append(el)

    # references to eIds
    meta = _child(doc, "meta")
    for value in [*(_X_META_REFS(meta) if meta is not None else ()), *_X_REFERS_TO(root)]:
        for token in value.split():
            if token.startswith("#") and token[1:] not in eids:
                el = value.getparent()
                add(
                    Finding(
                        el.sourceline or 0,
                        "akn.ref-unresolved",
                        f"<{_local(el)} {value.attrname}={str(value)!r}>: no element has eId {token[1:]!r}",
                    )
                )

    # noteRefs
    for ref in noterefs:
        href = ref.get("href") or ""
        target = notes.get(href[1:]) if href.startswith("#") else None
        if target is None:
            other = _X_BY_EID(root, id=href[1:]) if href.startswith("#") and href[1:] in eids else []
            where = f"a <{_local(other[0])}>, not an authorialNote" if other else "no element of this document"
            add(Finding(ref.sourceline or 0, "akn.noteref-unresolved", f"noteRef href={href!r} points at {where}"))
        elif (ref.get("marker") or "") != (target.get("marker") or ""):
            add(
                Finding(
                    ref.sourceline or 0,
                    "akn.noteref-marker",
                    f"noteRef marker {ref.get('marker')!r} but the note it points at has marker "
                    f"{target.get('marker')!r}",
                )
            )

    # metadata
    ident = _child(meta, "identification")
    where = (ident if ident is not None else meta if meta is not None else doc).sourceline or 0
    if meta is None or ident is None:
        add(Finding(where, "akn.meta-missing", "no <meta><identification>"))
        return out
    parts = {}
    props: dict[tuple[str, str], object] = {}
    for level, extra in (
        ("FRBRWork", ("FRBRcountry", "FRBRsubtype", "FRBRnumber")),
        ("FRBRExpression", ("FRBRlanguage",)),
        ("FRBRManifestation", ()),
    ):
        el = _child(ident, level)
        if el is None:
            add(Finding(where, "akn.meta-missing", f"no <{level}> in <identification>"))
            continue
        parts[level] = el
        for sub in el:
            props.setdefault((level, sub.tag), sub)
        for name in _CORE + extra:
            sub = props.get((level, _A + name))
            attr = _ATTR.get(name, "value")
            if sub is None or not (sub.get(attr) or "").strip():
                add(Finding(el.sourceline or 0, "akn.meta-missing", f"<{level}> has no {name}/@{attr}"))
    if _child(meta, "references") is None:
        add(Finding(meta.sourceline or 0, "akn.meta-missing", "no <references> in <meta>"))
    if len(parts) < 3:
        return out

    def value(level, name, attr="value"):
        el = props.get((level, _A + name))
        return (el.get(attr) or "").strip() if el is not None else ""

    def line(level, name):
        el = props.get((level, _A + name))
        return (el if el is not None else parts[level]).sourceline or 0

    def inconsistent(level, name, msg):
        add(Finding(line(level, name), "akn.frbr-inconsistent", msg))

    work = value("FRBRWork", "FRBRuri")
    m = _IRI.match(work)
    if not m:
        inconsistent(
            "FRBRWork",
            "FRBRuri",
            f"work IRI {work!r} is not /akn/un/{{type}}/{{subtype}}/{{actor}}/{{date}}/{{number}}",
        )
        return out
    if not value("FRBRWork", "FRBRthis").startswith(work + "/!"):
        inconsistent("FRBRWork", "FRBRthis", f"work FRBRthis should be {work}/!main (or another /!component)")
    if m["doctype"] != _local(doc):
        inconsistent("FRBRWork", "FRBRuri", f"the IRI names a {m['doctype']!r} but the document is <{_local(doc)}>")
    for name, part in (("FRBRcountry", "country"), ("FRBRsubtype", "subtype"), ("FRBRnumber", "number")):
        v = value("FRBRWork", name)
        if v and v != m[part]:
            inconsistent("FRBRWork", name, f"{name} {v!r} but the IRI says {m[part]!r}")
    expr = value("FRBRExpression", "FRBRuri")
    em = _EXPR_TAIL.fullmatch(expr, len(work) + 1) if expr.startswith(work + "/") else None
    if not em:
        inconsistent(
            "FRBRExpression", "FRBRuri", f"expression IRI {expr!r} should be the work IRI followed by /{{language}}@"
        )
    ethis = value("FRBRExpression", "FRBRthis")
    man = value("FRBRManifestation", "FRBRuri")
    mthis = value("FRBRManifestation", "FRBRthis")
    if em:  # each level from the one above
        if not ethis.startswith(expr + "/!"):
            inconsistent("FRBRExpression", "FRBRthis", f"expression FRBRthis should be {expr}/!main")
        if not (man.startswith(expr + ".") and "/" not in man[len(expr) :]):
            inconsistent("FRBRManifestation", "FRBRuri", f"manifestation FRBRuri should be {expr}.{{format}}")
        if not (mthis.startswith(ethis + ".") and "/" not in mthis[len(ethis) :]):
            inconsistent("FRBRManifestation", "FRBRthis", f"manifestation FRBRthis should be {ethis}.{{format}}")
    elif not (man.startswith(work + "/") and _MAN_TAIL.fullmatch(man, len(work) + 1)):
        # the expression is wrong: hold the manifestation to the work alone
        inconsistent("FRBRManifestation", "FRBRuri", f"manifestation FRBRuri should be {work}/{{language}}@.{{format}}")

    # language
    lang = value("FRBRExpression", "FRBRlanguage", "language")
    if em and lang and lang != em["lang"]:
        add(
            Finding(
                line("FRBRExpression", "FRBRlanguage"),
                "akn.frbr-language",
                f"FRBRlanguage {lang!r} but the expression IRI says {em['lang']!r}",
            )
        )
    elif lang and not _LANG.match(lang):
        add(
            Finding(
                line("FRBRExpression", "FRBRlanguage"),
                "akn.frbr-language",
                f"FRBRlanguage {lang!r} is not a three-letter ISO 639-2 code",
            )
        )

    # dates
    date = m["date"]
    for level in ("FRBRWork", "FRBRExpression"):
        d, n = value(level, "FRBRdate", "date"), value(level, "FRBRdate", "name")
        if d != date:
            add(
                Finding(line(level, "FRBRdate"), "akn.frbr-date", f"<{level}> FRBRdate {d!r} but the IRI says {date!r}")
            )
        elif (d == _UNKNOWN_DATE) != (n == "unknown"):
            add(
                Finding(
                    line(level, "FRBRdate"),
                    "akn.frbr-date",
                    f"FRBRdate {d!r} with name={n!r}: the placeholder date {_UNKNOWN_DATE} goes with "
                    f'name="unknown", and only it',
                )
            )
    mdate = value("FRBRManifestation", "FRBRdate", "date")
    if mdate and mdate < date:
        add(
            Finding(
                line("FRBRManifestation", "FRBRdate"),
                "akn.frbr-date",
                f"manifestation FRBRdate {mdate!r} is before the work date {date!r}",
            )
        )
    if value("FRBRWork", "FRBRdate", "name") == "adoption":
        for el in docdates:
            if el.get("date") != date:
                add(
                    Finding(
                        el.sourceline or 0,
                        "akn.frbr-date",
                        f"docDate {el.get('date')!r} but the document was adopted on {date!r} (FRBRdate)",
                    )
                )

    # docNumber
    number, show = m["number"], value("FRBRWork", "FRBRnumber", "showAs")
    for el in docnumbers:
        text = "".join(el.itertext()).strip()
        if text != show and _norm_number(text) != number:
            want = f"{show!r} (FRBRnumber/@showAs) or " if show else ""
            add(
                Finding(
                    el.sourceline or 0, "akn.frbr-docnumber", f"docNumber {text!r} but FRBRnumber says {want}{number!r}"
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# files


def _schema_version_line(data: bytes) -> int:
    k = data.find(b'"schema_version"')
    return _line_at(data, k) if k >= 0 else 1


class Validator:
    """Validates files; holds the options, the schemas are cached module-wide."""

    def __init__(self, disabled=(), max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH):
        self.disabled = frozenset(disabled)
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.parser = xml_parser()
        self.profile_codes = {c for c in CHECKS if c.startswith("akn.")} - self.disabled
        self._xsd = None

    def warm(self) -> None:
        """Load the schemas now (they are loaded once; the first file otherwise pays for it)."""
        xsd(), json_validator(), json_reference_validator()

    def read(self, path: Path, result: ValidationResult) -> bytes | None:
        too_large = "file is {size} bytes, over the limit of {limit:,} (raise it with --max-bytes); not read"
        try:
            with open(path, "rb", buffering=0) as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > self.max_bytes:
                    result.findings.append(
                        Finding(0, "input.too-large", too_large.format(size=f"{size:,}", limit=self.max_bytes))
                    )
                    return None
                data = fh.read(self.max_bytes + 1)  # never more, whatever the file claims (growing, special)
        except OSError as exc:
            result.findings.append(Finding(0, "input.unreadable", exc.strerror or str(exc)))
            return None
        if len(data) > self.max_bytes:
            result.findings.append(
                Finding(0, "input.too-large", too_large.format(size=f"over {self.max_bytes:,}", limit=self.max_bytes))
            )
            return None
        return data

    def validate_path(self, path, display: str | None = None) -> ValidationResult:
        path = Path(path)
        kind = "json" if path.suffix.lower() == ".json" else "xml"
        result = ValidationResult(display or str(path), kind)
        data = self.read(path, result)
        if data is not None:
            result.findings.extend(self.check_json(data) if kind == "json" else self.check_xml(data))
        return result

    # -- XML

    def check_xml(self, data: bytes) -> list[Finding]:
        ln = entity_declaration(data)
        if ln is not None:
            return [
                Finding(
                    ln,
                    "input.entity-declaration",
                    "the DOCTYPE declares entities (possible XXE or entity-expansion bomb); refused without parsing",
                )
            ]
        try:
            root = etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as exc:
            return [Finding(exc.lineno or 0, "input.not-wellformed", f"not well-formed XML: {exc.msg}")]
        except ValueError as exc:  # e.g. a str with an encoding declaration
            return [Finding(0, "input.not-wellformed", f"not well-formed XML: {exc}")]
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            return [
                Finding(
                    1,
                    "input.entity-declaration",
                    "the DOCTYPE declares entities (possible XXE or entity-expansion bomb); refused",
                )
            ]
        return self.check_tree(root)

    def check_tree(self, root) -> list[Finding]:
        out: list[Finding] = []
        if "xsd.invalid" not in self.disabled:
            schema = self._xsd
            if schema is None:
                schema = self._xsd = xsd()
            if not schema.validate(root):
                log = schema.error_log
                for e in list(log)[:MAX_XSD_ERRORS]:
                    out.append(Finding(e.line, "xsd.invalid", e.message))
                if len(log) > MAX_XSD_ERRORS:
                    out.append(Finding(0, "xsd.invalid", f"... and {len(log) - MAX_XSD_ERRORS} more XSD errors"))
        if self.profile_codes:
            out.extend(f for f in profile(root) if f.code in self.profile_codes)
        return out

    # -- JSON

    def check_json(self, data: bytes) -> list[Finding]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return [
                Finding(
                    _line_at(data, exc.start),
                    "input.not-wellformed",
                    f"JSON must be UTF-8: undecodable byte at offset {exc.start}",
                )
            ]
        found = json_scan(data, self.max_depth)
        if found is not None and found[0] == "too-deep":
            return [
                Finding(
                    found[1],
                    "input.too-deep",
                    f"JSON nested deeper than {self.max_depth} levels; refused without parsing",
                )
            ]
        if found is not None:
            return [Finding(found[1], "input.not-wellformed", "not well-formed JSON: unterminated string")]
        try:
            instance = json.loads(text)
        except json.JSONDecodeError as exc:
            return [Finding(exc.lineno, "input.not-wellformed", f"not well-formed JSON: {exc.msg}")]
        except ValueError as exc:  # e.g. an integer beyond Python's digit limit
            return [Finding(0, "input.not-wellformed", f"JSON refused: {exc}")]
        except RecursionError:  # belt and braces: the scan above should have caught it
            return [Finding(0, "input.too-deep", "JSON nested too deeply; refused")]
        out: list[Finding] = []
        if isinstance(instance, dict) and "json.version" not in self.disabled:
            have = instance.get("schema_version")
            if have != SCHEMA_VERSION:
                if have is None:
                    what = "has no schema_version"
                else:
                    what = f"was made under document schema version {have}"
                return [
                    Finding(
                        _schema_version_line(data),
                        "json.version",
                        f"the file {what}; this validator (akn-pipeline {__version__}) needs schema "
                        f"version {SCHEMA_VERSION} ({SCHEMA_ID}): re-convert the source with this "
                        f"release, or validate with the release that wrote version {have}",
                    )
                ]
        if "json.schema" not in self.disabled:
            if json_validator().is_valid(instance):
                return out
            lines = json_lines(text)  # only for an invalid file: where each value starts
            errors = sorted(json_reference_validator().iter_errors(instance), key=lambda e: list(map(str, e.path)))
            for e in errors:
                path = tuple(e.path)
                if e.validator == "additionalProperties" and isinstance(e.instance, dict):
                    extra = [k for k in e.instance if k not in e.schema.get("properties", {})]
                    if extra and path + (extra[0],) in lines:
                        path = path + (extra[0],)  # the line of the unexpected key
                ln = next((lines[path[:k]] for k in range(len(path), -1, -1) if path[:k] in lines), 0)
                out.append(Finding(ln, "json.schema", f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}"))
        return out


_JSON_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\],:])|([^ \t\r\n{}\[\],:]+))', re.S)


def json_lines(text: str) -> dict[tuple, int]:
    """``{path: line}`` for every value of a well-formed JSON text (paths as in jsonschema errors).
    Used only to place the errors of an invalid file; depth is already bounded."""
    import bisect

    newlines = [i for i, c in enumerate(text) if c == "\n"]
    lines: dict[tuple, int] = {}
    pos = 0

    def token():
        nonlocal pos
        m = _JSON_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError
        pos = m.end()
        return m.start(m.lastindex), m.group(m.lastindex)

    def value(path, first=None):
        start, tok = first or token()
        lines[path] = bisect.bisect_left(newlines, start) + 1
        if tok == "{":
            start, tok = token()
            while tok != "}":
                key = json.loads(tok)
                token()  # :
                value(path + (key,))
                start, tok = token()
                if tok == ",":
                    start, tok = token()
        elif tok == "[":
            start, tok = token()
            i = 0
            while tok != "]":
                value(path + (i,), (start, tok))
                i += 1
                start, tok = token()
                if tok == ",":
                    start, tok = token()

    try:
        value(())
    except (ValueError, RecursionError):
        pass
    return lines


# ---------------------------------------------------------------------------------------------
# paths

_GLOB = re.compile(r"[*?\[]")
SUFFIXES = (".xml", ".json")


def expand(paths) -> list[Path]:
    """Files, directories (recursive ``.xml``/``.json``) and globs -> a sorted, de-duplicated list.
    Raises ``UsageError`` for a name that matches nothing or a file of another type."""
    import glob

    out: dict[str, Path] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [q for q in p.rglob("*") if q.suffix.lower() in SUFFIXES and q.is_file()]
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                raise UsageError(f"{raw}: not a .xml or .json file")
            found = [p]
        elif _GLOB.search(raw):
            found = []
            for m in glob.glob(raw, recursive=True):
                q = Path(m)
                if q.is_dir():
                    found.extend(r for r in q.rglob("*") if r.suffix.lower() in SUFFIXES and r.is_file())
                elif q.suffix.lower() in SUFFIXES and q.is_file():
                    found.append(q)
            if not found:
                raise UsageError(f"{raw}: no .xml or .json file matches")
        else:
            raise UsageError(f"{raw}: no such file or directory")
        for q in found:
            out.setdefault(os.path.normpath(q), q)
    return [out[k] for k in sorted(out)]


def byte_size(text: str) -> int:
    """``--max-bytes`` values: ``1000``, ``64k``, ``16M``, ``1G`` (binary multiples)."""
    import argparse

    m = re.fullmatch(r"\s*(\d+)\s*([kKmMgG]?)[iI]?[bB]?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 1000, 64k, 16M)")
    return int(m[1]) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m[2].lower()]
