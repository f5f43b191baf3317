"""Decoding at the edge: bytes -> str.  All other code is str-in / str-out.

UTF-8 (with or without BOM) is expected.  UTF-16 with a BOM and GB18030 are decoded and reported;
empty and binary files and undecodable bytes are refused with ``InputError`` naming the line.
"""

from __future__ import annotations

import codecs
import re


class InputError(Exception):
    def __init__(self, code: str, message: str, line: int = 0):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> tuple[str, list[tuple[str, str, int]]]:
    """Returns the text and notes ``(code, message, line)`` about how it was decoded."""
    notes: list[tuple[str, str, int]] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                "input.undecodable",
                f"UTF-16 byte-order mark, but invalid UTF-16 ({exc.reason})",
                _line_of(data, exc.start),
            ) from None
        notes.append(("input.encoding", "decoded as UTF-16 (byte-order mark found)", 1))
        return _check(text, data), notes
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM: every other byte is zero for ASCII-heavy text
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        if max(even, odd) > 0.3 * min(len(data), 4096) / 2 and min(even, odd) < 0.05 * len(data[:4096]):
            try:
                text = data.decode("utf-16-le" if odd > even else "utf-16-be")
                notes.append(("input.encoding", "decoded as UTF-16 (no byte-order mark)", 1))
                return _check(text, data), notes
            except UnicodeDecodeError:
                pass
        raise InputError(
            "input.binary", "the file is binary (NUL bytes), not text", _line_of(data, data.index(b"\x00"))
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                "input.undecodable",
                f"not UTF-8 (invalid byte 0x{data[exc.start]:02x}), nor GB18030 or UTF-16",
                _line_of(data, exc.start),
            ) from None
        notes.append(
            ("input.encoding", f"not UTF-8 (invalid byte at line {_line_of(data, exc.start)}); decoded as GB18030", 1)
        )
    if text.startswith("\ufeff"):
        notes.append(("input.bom", "a UTF-8 byte-order mark was removed", 1))
    return _check(text, data), notes


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


def _check(text: str, data: bytes) -> str:
    if not text.strip(" \t\r\n\ufeff\u3000\u00a0\f\v"):
        raise InputError("input.empty", "the file is empty" if not data else "the file holds only whitespace", 1)
    controls = len(_CONTROL.findall(text, 0, 4096))
    if controls > 8 or controls > 0.02 * min(len(text), 4096):
        bad = next(k for k, c in enumerate(text) if ord(c) < 32 and c not in "\t\r\n\f\v")
        raise InputError(
            "input.binary", "the file is binary (control characters), not text", text.count("\n", 0, bad) + 1
        )
    return text
