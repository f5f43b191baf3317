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


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _num_key(el) -> str | None:
    for child in el:
        if _local(child) == "num":
            key = _KEY.sub("", "".join(child.itertext()))
            return key or None
    return None


def assign(root: etree._Element) -> dict:
    """Set every eId; returns ``{element: eId}`` for the elements it named."""
    ids: dict = {}
    used: set[str] = set()

    def walk(el, prefix: str, counters: dict[str, int]) -> None:
        for child in el:
            name = _local(child)
            if not name or name == "meta":
                continue
            if name in SECTIONS:
                walk(child, SECTIONS[name] + "__", {})
                continue
            abbr = ABBREVIATIONS.get(name)
            if abbr is None:
                walk(child, prefix, counters)
                continue
            counters[abbr] = counters.get(abbr, 0) + 1
            key = _num_key(child) if name in ("paragraph", "point", "hcontainer") else None
            base = f"{prefix}{abbr}_{key or counters[abbr]}"
            eid, n = base, 1
            while eid in used:
                n += 1
                eid = f"{base}_{n}"
            used.add(eid)
            child.set("eId", eid)
            ids[child] = eid
            walk(child, eid + "__", {})

    for el in root.iter():
        if _local(el) in ("TLCOrganization", "TLCEvent", "TLCObject", "TLCPerson", "TLCRole"):
            used.add(el.get("eId"))
    walk(root, "", {})
    return ids
