"""eIds from a small table (bluebell's approach), made in document order while the AKN is written
(``xml.serialise``).

Rules (AKN naming convention): an element listed in ``ABBREVIATIONS`` gets
``<parent eId>__<abbr>_<key>``, where the parent is its nearest ancestor with an eId (``preface``,
``preamble`` and ``conclusions`` count as ``preface``/``preamble``/``conclusions``; ``mainBody``
adds nothing) and the key is its own number (``1.`` -> ``1``, ``(a)`` -> ``a``) or else its position
among the siblings of its kind.  A key already used in the same parent gets ``_2``, ``_3``.  ``meta``
is not named (TLC eIds are set by the emitter and are never reused).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

ABBREVIATIONS = {
    "formula": "formula",
    "container": "container",
    "paragraph": "para",
    "list": "list",
    "point": "point",
    "intro": "intro",
    "wrapUp": "wrapup",
    "authorialNote": "authorialNote",
    "hcontainer": "hcontainer",
    "attachment": "att",
    "crossHeading": "crossHeading",
}
SECTIONS = {"preface": "preface", "preamble": "preamble", "conclusions": "conclusions"}
NUMBERED = frozenset(("paragraph", "point", "hcontainer"))
_KEY = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")


def num_key(children: list[Any]) -> str | None:
    """The key an element's own ``num`` gives (``1.`` -> ``1``, ``(a)`` -> ``a``), or None.
    ``children`` is the element's content: strings and elements with ``tag`` and ``children``."""
    for child in children:
        if child.__class__ is not str and child.tag == "num":
            key = _KEY.sub("", "".join(c for c in child.children if c.__class__ is str))
            return key or None
    return None


class Namer:
    """Hands out eIds in document order.  A scope is the nearest ancestor with an eId or a section;
    ``name`` returns the new element's eId, which is also the prefix of its own scope."""

    def __init__(self, taken: Iterable[str] = ()):
        self.used: set[str] = set(taken)
        self.counters: dict[int, dict[str, int]] = {}

    def name(self, tag: str, children: list[Any], scope: int, prefix: str) -> str:
        """The eId of a new element named ``tag`` (one of ``ABBREVIATIONS``)."""
        abbr = ABBREVIATIONS[tag]
        seen = self.counters.setdefault(scope, {})
        seen[abbr] = n = seen.get(abbr, 0) + 1
        key = num_key(children) if tag in NUMBERED else None
        base = f"{prefix}{abbr}_{key or n}"
        eid, k = base, 1
        while eid in self.used:
            k += 1
            eid = f"{base}_{k}"
        self.used.add(eid)
        return eid
