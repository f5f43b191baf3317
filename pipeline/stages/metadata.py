"""Metadata: dates, numbers, and what the segmenter's findings become
once the side-car, the command line and the page debris have had their say.

``complete`` runs at the end of ``segment``: it fills in the body, the symbol (``A/RES/76/53``
from the body and the resolution number), the number from a symbol given from outside, the body
and issue date from a masthead, the symbol from a running header; it reports every conflict
between the text and what was given (what was given wins) and whatever is still missing.
"""

from __future__ import annotations

import re

from ..bodies import BY_CODE, code_of
from ..context import Context
from ..model import Document, Metadata
from .patterns import DATE

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
HEADER_SYMBOL = re.compile(r"[A-Z]+(?:/[A-Z0-9.\-]+)+(?: \(\d{4}\))?")


def cn_number(s: str) -> int | None:
    """``七十六`` -> 76, ``五十四`` -> 54, ``76`` -> 76."""
    if s.isdigit():
        return int(s)
    s = s.replace("〇", "零").replace("两", "二")
    total, cur = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            cur = CN_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def iso_date(text: str) -> str | None:
    m = DATE.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def english_date(text: str) -> str | None:
    """``10 August 2022`` -> ``2022-08-10``."""
    m = re.match(r"(\d{1,2}) ([A-Za-z]+) (\d{4})$", text.strip())
    if not m or m.group(2).lower() not in MONTHS:
        return None
    return f"{int(m.group(3)):04d}-{MONTHS.index(m.group(2).lower()) + 1:02d}-{int(m.group(1)):02d}"


def complete(doc: Document, meta: Metadata, ctx: Context) -> None:
    """See the module docstring; ``meta`` becomes ``doc.metadata``."""
    opts = ctx.options
    if opts.body and opts.body != meta.body:
        if meta.body:
            ctx.report(
                "metadata.conflict", 0, f"body {opts.body!r} given; the text says {meta.body!r}; using {opts.body!r}"
            )
        meta.body = opts.body
    if meta.body and meta.number and not meta.symbol and meta.body in BY_CODE:
        prefix = BY_CODE[meta.body].symbol_prefix
        if doc.kind == "decision":
            prefix = prefix.replace("/RES/", "/DEC/")
        meta.symbol = prefix + meta.number
    for r in doc.removed:
        if r.reason == "masthead" and not meta.body:
            meta.body = code_of(r.text.split()[0].replace(" ", ""))
        elif r.reason == "issue date" and not meta.adoption_date and doc.kind in ("statement", "document"):
            meta.adoption_date = english_date(r.text)
            ctx.report(
                "metadata.issue-date",
                r.line,
                f"date {meta.adoption_date} taken from the masthead's issue date ({r.text})",
            )
    headers = [
        (m.group(0), r.line)
        for r in doc.removed
        if r.reason in ("running header", "masthead") and (m := HEADER_SYMBOL.search(r.text))
    ]
    if headers:
        symbol, line = headers[0]
        if not meta.symbol:
            meta.symbol = symbol
            ctx.report("metadata.header-symbol", line, f"symbol {symbol} taken from the running header or masthead")
        elif symbol != meta.symbol:
            ctx.report("metadata.conflict", line, f"the running header says {symbol}; the text gives {meta.symbol}")
    for field, value in (("symbol", opts.symbol), ("adoption_date", opts.date)):
        if value:
            if getattr(meta, field) and getattr(meta, field) != value:
                ctx.report(
                    "metadata.conflict",
                    0,
                    f"{field} {value!r} given; the text says {getattr(meta, field)!r}; using {value!r}",
                )
            setattr(meta, field, value)
    if meta.symbol and not meta.number:
        # a symbol given from outside (or a running header) names the document's number too
        body = BY_CODE.get(meta.body or "")
        prefix = body.symbol_prefix if body else ""
        meta.number = meta.symbol[len(prefix) :] if prefix and meta.symbol.startswith(prefix) else meta.symbol
    missing = [f for f in ("symbol", "adoption_date", "body") if not getattr(meta, f)]
    if missing and doc.kind != "document":
        ctx.report(
            "metadata.missing",
            0,
            f"the text does not give the {', '.join(missing)}; supply "
            f"{' '.join('--' + f.split('_')[-1] for f in missing)} or a side-car file",
        )
