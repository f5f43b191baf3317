"""Stage 1, ``normalise``: decoded text -> logical lines (pieces) with a map back to the source.

Assumes: the input is a ``str`` (decoding happened at the edge, in ``pipeline.decode``).

Guarantees, after this stage:

1. No BOM, CR, zero-width characters, soft hyphens, control characters or the non-characters
   U+FFFE and U+FFFF (which XML does not allow); TAB, NBSP, U+3000 and
   the other space-like characters are U+0020; runs of spaces are one space; no line starts or ends
   with a space.  Full-width ASCII letters and digits (and ``／．－＿`` between them) are ASCII;
   half-width ideographic marks ``｡｢｣､`` are full-width; Kangxi radicals are unified ideographs;
   the text is NFC.  Full-width Chinese punctuation, ASCII ``( ) [ ]``, curly quotes, ``**`` and
   superscript footnote markers are kept exactly as found (``reference/normalisation.md`` §4.1).
2. Lines are grouped into *pieces*, one per block of the document: physical lines broken by
   hard-wrapping (a blank line after every printed line, as in the CD statement) or by a wrapped
   heading are rejoined.  Han+Han joins with nothing, Han+ASCII alphanumeric with one space
   (§4.2), so no character is invented or dropped.
3. Footnote bodies (``¹ text``) are pieces of kind ``footnote``, wherever they stand; a paragraph
   interrupted by a page-bottom footnote block is still one piece; a marker printed alone on a
   line goes with the text it cites (already cited: it starts its note).  Page debris lines (running
   headers, page numbers, job numbers, barcodes) are removed and listed in ``removed``.
4. Every character of every piece maps back to a source offset; ``Normalised.position`` turns a
   piece offset into a 1-based ``(line, column)`` of the input.

Example (hard-wrapped, sample 004)::

    "3. 这些决议还请秘书长就……关于核武器的全\\n\\n面公约的内容，……提出报告。 "

becomes the single piece ``"3. 这些决议还请秘书长就……关于核武器的全面公约的内容，……提出报告。"``.

The modules: ``lines`` (the character pass, physical lines), ``layout`` (one block a line, or
hard-wrapped), ``join`` (the rules that group physical lines into pieces), ``pieces`` (the output).
"""

from __future__ import annotations

from ...context import Context
from .join import CONTINUATION, JOIN_RULES
from .join import join as join_lines
from .layout import Layout, detect_layout
from .lines import PhysLine, char_pass, display_width, physical_lines
from .pieces import Normalised, Piece, glue

__all__ = [
    "CONTINUATION",
    "JOIN_RULES",
    "Layout",
    "Normalised",
    "PhysLine",
    "Piece",
    "char_pass",
    "detect_layout",
    "display_width",
    "glue",
    "join_lines",
    "normalise",
    "physical_lines",
]


def normalise(text: str, ctx: Context) -> Normalised:
    """The stage: decoded text -> ``Normalised`` (pieces, layout, source map, removals)."""
    lines = physical_lines(text, ctx)
    layout = detect_layout(lines, ctx.options.layout)
    if layout.wrapped:
        ctx.report(
            "normalise.wrapped",
            lines[0].lineno if lines else 0,
            f"the text is hard-wrapped at about {layout.width} columns; lines were rejoined",
        )
    pieces, removed = join_lines(lines, layout, ctx)
    return Normalised(pieces, layout, text, removed)
