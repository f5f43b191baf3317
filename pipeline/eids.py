"""eIds in one final pass over the finished AKN tree, from a small table (bluebell's approach).

Rules (AKN naming convention): an element listed in ``ABBREVIATIONS`` gets
``<parent eId>__<abbr>_<key>``, where the parent is its nearest ancestor with an eId (``preface``,
``preamble`` and ``conclusions`` count as ``preface``/``preamble``/``conclusions``; ``mainBody``
adds nothing) and the key is its own number (``1.`` -> ``1``, ``(a)`` -> ``a``) or else its position
among the siblings of its kind.  A key already used in the same parent gets ``_2``, ``_3``.  The pass
is idempotent and ignores ``meta`` (TLC eIds are set by the emitter).
"""
from __future__ import annotations

import re

from lxml import etree

ABBREVIATIONS = {
    "formula": "formula", "container": "container", "paragraph": "para", "list": "list",
    "point": "point", "intro": "intro", "wrapUp": "wrapup", "authorialNote": "authorialNote",
    "hcontainer": "hcontainer", "attachment": "att", "crossHeading": "crossHeading",
}
SECTIONS = {"preface": "preface", "preamble": "preamble", "conclusions": "conclusions"}
_KEY = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")


NS = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
_ABBR = {NS + k: v for k, v in ABBREVIATIONS.items()}
_SECTIONS = {NS + k: v for k, v in SECTIONS.items()}
_NUMBERED = {NS + "paragraph", NS + "point", NS + "hcontainer"}
_META = NS + "meta"
_NUM = NS + "num"
_TLC = [NS + t for t in ("TLCOrganization", "TLCEvent", "TLCObject", "TLCPerson", "TLCRole")]


def _num_key(el) -> str | None:
    for child in el:
        if child.tag == _NUM:
            key = _KEY.sub("", "".join(child.itertext()))
            return key or None
    return None


def assign(root: etree._Element) -> dict:
    """Set every eId; returns ``{element: eId}`` for the elements it named.  Elements are taken in
    document order; each one's scope is its nearest ancestor that is a section or has an eId."""
    ids: dict = {}
    used: set[str] = {el.get("eId") for el in root.iter(*_TLC)}
    counters: dict = {}
    for el in root.iter(*_ABBR):
        scope, prefix = None, ""
        anc = el.getparent()
        while anc is not None:
            eid = ids.get(anc)
            if eid is not None:
                scope, prefix = anc, eid + "__"
                break
            section = _SECTIONS.get(anc.tag)
            if section is not None:
                scope, prefix = anc, section + "__"
                break
            anc = anc.getparent()
        tag = el.tag
        abbr = _ABBR[tag]
        seen = counters.setdefault(scope, {})
        seen[abbr] = seen.get(abbr, 0) + 1
        key = _num_key(el) if tag in _NUMBERED else None
        base = f"{prefix}{abbr}_{key or seen[abbr]}"
        eid, n = base, 1
        while eid in used:
            n += 1
            eid = f"{base}_{n}"
        used.add(eid)
        el.set("eId", eid)
        ids[el] = eid
    return ids
