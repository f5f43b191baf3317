"""The AKN4UN profile as this project emits it, beyond what the XSD says: eIds present and unique,
references resolved, noteRefs pointing at notes with their marker, FRBR identification complete and
consistent (IRIs, dates, language, docNumber)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .findings import Finding

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_A = f"{{{NS}}}"
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


def _local(el: Any) -> str | None:
    tag = el.tag
    if isinstance(tag, str) and tag.startswith(_A):
        return tag[len(_A) :]
    return None


def _child(el: Any, name: str) -> Any:
    if el is None:
        return None
    for child in el.iterchildren(_A + name):  # C-level filter; find() goes through ElementPath
        return child
    return None


def _norm_number(s: str) -> str:
    return s.strip().replace("/", "-").replace(" ", "")


def profile(root: Any) -> list[Finding]:
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
        seen: dict[str, Any] = {}
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
    notes: dict[str, Any] = {}
    noterefs: list[Any] = []
    docnumbers: list[Any] = []
    docdates: list[Any] = []
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
    for ref_value in [*(_X_META_REFS(meta) if meta is not None else ()), *_X_REFERS_TO(root)]:
        for token in ref_value.split():
            if token.startswith("#") and token[1:] not in eids:
                el = ref_value.getparent()
                add(
                    Finding(
                        el.sourceline or 0,
                        "akn.ref-unresolved",
                        f"<{_local(el)} {ref_value.attrname}={str(ref_value)!r}>: no element has eId {token[1:]!r}",
                    )
                )

    # noteRefs
    for ref in noterefs:
        href = ref.get("href") or ""
        target = notes.get(href[1:]) if href.startswith("#") else None
        if target is None:
            other = _X_BY_EID(root, id=href[1:]) if href.startswith("#") and href[1:] in eids else []
            what = f"a <{_local(other[0])}>, not an authorialNote" if other else "no element of this document"
            add(Finding(ref.sourceline or 0, "akn.noteref-unresolved", f"noteRef href={href!r} points at {what}"))
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
    parts: dict[str, Any] = {}
    props: dict[tuple[str, str], Any] = {}
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

    def value(level: str, name: str, attr: str = "value") -> str:
        el = props.get((level, _A + name))
        return (el.get(attr) or "").strip() if el is not None else ""

    def line(level: str, name: str) -> int:
        el = props.get((level, _A + name))
        return (el if el is not None else parts[level]).sourceline or 0

    def inconsistent(level: str, name: str, msg: str) -> None:
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
