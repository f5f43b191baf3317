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
    """Set every eId; returns ``{element: eId}`` for the elements it named."""
    ids: dict = {}
    used: set[str] = {el.get("eId") for el in root.iter(*_TLC)}

    def walk(el, prefix: str, counters: dict[str, int]) -> None:
        for child in el:
            tag = child.tag
            if tag == _META or not isinstance(tag, str):
                continue
            section = _SECTIONS.get(tag)
            if section is not None:
                walk(child, section + "__", {})
                continue
            abbr = _ABBR.get(tag)
            if abbr is None:
                if len(child):
                    walk(child, prefix, counters)
                continue
            counters[abbr] = counters.get(abbr, 0) + 1
            key = _num_key(child) if tag in _NUMBERED else None
            base = f"{prefix}{abbr}_{key or counters[abbr]}"
            eid, n = base, 1
            while eid in used:
                n += 1
                eid = f"{base}_{n}"
            used.add(eid)
            child.set("eId", eid)
            ids[child] = eid
            walk(child, eid + "__", {})

    walk(root, "", {})
    return ids
