"""Text conservation: what the output holds, compared with what the input held."""
from __future__ import annotations

import re

from lxml import etree

NS = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def squash(s: str) -> str:
    """Whitespace, ``**`` and superscript markers removed."""
    return re.sub(rf"[\s{SUPERSCRIPTS}]", "", s.replace("**", ""))


def body_text(xml: bytes) -> str:
    """The document's text in reading order: not meta, not footnote bodies, not the editorial
    symbol line the emitter adds."""
    root = etree.fromstring(xml)
    parts: list[str] = []

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        skip = tag in (NS + "meta", NS + "authorialNote") or el.get("status") == "editorial"
        if not skip:
            if el.text:
                parts.append(el.text)
            for c in el:
                walk(c)
        if el.tail:
            parts.append(el.tail)
    walk(root)
    return squash("".join(parts))


def note_texts(xml: bytes) -> dict[str, str]:
    root = etree.fromstring(xml)
    return {n.get("marker"): squash("".join(n.itertext())) for n in root.iter(NS + "authorialNote")}


def source_split(text: str, footnote_spans, removed_lines) -> tuple[str, list[str]]:
    """The input's body text and each footnote body's text, by source lines."""
    lines = re.split(r"\r\n|\r|\n", text)
    in_note = set()
    notes = []
    for start, end in footnote_spans:
        in_note.update(range(start, end + 1))
        notes.append(squash("".join(lines[start - 1:end])))
    body = "".join(l for k, l in enumerate(lines, 1) if k not in in_note and k not in removed_lines)
    return squash(body), notes
