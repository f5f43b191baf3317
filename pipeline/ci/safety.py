"""Reading files from anyone: the one XML parser used on them, an entity declaration found before
parsing, JSON nesting measured on the raw bytes before ``json.loads`` recurses, and the line of each
value of a JSON text (to place its errors)."""

from __future__ import annotations

import bisect
import json
import re

from lxml import etree


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


def line_at(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def entity_declaration(data: bytes) -> int | None:
    """The line of an entity declaration in a DOCTYPE, or None.  Cheap: one substring search when
    there is no DOCTYPE (the common case)."""
    text = _scan_text(data)
    k = text.find(b"<!DOCTYPE")
    if k < 0:
        return None
    e = text.find(b"<!ENTITY", k)
    return line_at(text, e) if e >= 0 else None


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
                return "too-deep", line_at(stripped, m.start())
        else:
            depth -= 1
    if stripped.count(b'"') % 2:
        return "unterminated", line_at(stripped, stripped.rfind(b'"'))
    return None


def json_depth_exceeded(data: bytes, limit: int) -> int | None:
    """The line where ``data`` (raw JSON) first nests deeper than ``limit``, or None."""
    found = json_scan(data, limit)
    return found[1] if found and found[0] == "too-deep" else None


_JSON_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\],:])|([^ \t\r\n{}\[\],:]+))', re.S)


def json_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """``{path: line}`` for every value of a well-formed JSON text (paths as in jsonschema errors).
    Used only to place the errors of an invalid file; depth is already bounded."""

    newlines = [i for i, c in enumerate(text) if c == "\n"]
    lines: dict[tuple[str | int, ...], int] = {}
    pos = 0

    def token() -> tuple[int, str]:
        nonlocal pos
        m = _JSON_TOKEN.match(text, pos)
        if not m or m.end() == pos or m.lastindex is None:
            raise ValueError
        pos = m.end()
        return m.start(m.lastindex), m.group(m.lastindex)

    def value(path: tuple[str | int, ...], first: tuple[int, str] | None = None) -> None:
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
