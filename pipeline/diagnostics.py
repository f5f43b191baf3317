"""The closed catalogue of diagnostics.

Every fallback in the pipeline reports one of these codes with a source line.  The code is stable
(repositories may switch one off by name); the severity is the default one.  Adding a code here is
the only way to report something new: ``report`` refuses unknown codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Diagnostic

CATALOGUE: dict[str, tuple[str, str]] = {
    # input: decoding at the edge
    "input.empty": ("error", "the file is empty or holds only whitespace"),
    "input.binary": ("error", "the file is binary, not text"),
    "input.undecodable": ("error", "the file is not UTF-8, UTF-16 or GB18030 text"),
    "input.encoding": ("warning", "the file was not UTF-8 and was decoded from another encoding"),
    "input.bom": ("info", "a byte-order mark was removed"),
    "input.unreadable": ("error", "the file could not be read"),
    "output.invalid": ("error", "an output failed its schema (a converter bug; nothing was written)"),
    # normalise: character and line passes
    "normalise.invisible": ("info", "invisible characters (zero-width, soft hyphen, BOM) were removed"),
    "normalise.fullwidth": ("info", "full-width ASCII letters or digits were mapped to ASCII"),
    "normalise.kangxi": ("warning", "Kangxi radicals (a PDF extraction defect) were mapped to ideographs"),
    "normalise.control": ("warning", "control characters were removed"),
    "normalise.wrapped": ("info", "the text is hard-wrapped; physical lines were rejoined"),
    "debris.removed": ("info", "page debris (running header, page number, job number) was removed"),
    # segment
    "segment.no-formula": ("warning", "no enacting formula (大会，, 人权理事会，, ...) was found"),
    "segment.no-structure": ("error", "no recognisable structure; the text is kept unstructured from this line"),
    "segment.numbering-gap": ("error", "paragraph numbering skips"),
    "segment.point-sequence": ("warning", "sub-paragraph lettering does not follow on"),
    "segment.unclassified": ("warning", "a line of the preface or conclusions could not be classified"),
    "segment.text-after-conclusions": ("warning", "text follows the closing lines"),
    "metadata.missing": ("warning", "metadata the text does not hold; supply it with --meta or a side-car"),
    "metadata.conflict": ("warning", "metadata given on the command line or side-car differs from the text"),
    "metadata.date": ("warning", "a date could not be read"),
    "metadata.header-symbol": ("info", "the symbol was taken from the running header or masthead"),
    "metadata.issue-date": ("info", "the date was taken from the masthead's issue date"),
    # footnotes
    "footnote.missing-body": ("error", "a footnote marker has no footnote body"),
    "footnote.unreferenced": ("warning", "a footnote body has no marker in the text"),
    "footnote.duplicate-body": ("warning", "two footnote bodies carry the same marker"),
    "footnote.continued": ("info", "a footnote body continues after a page break"),
    "footnote.ibid": ("info", "an ibid. (同上) footnote refers to the footnote before it"),
    # lint: oddities of the original, kept as they are
    "lint.ascii-punctuation": ("info", "ASCII punctuation next to Chinese text (kept as found)"),
    "lint.traditional": ("info", "traditional Chinese characters (kept as found)"),
}


class UnknownDiagnostic(KeyError):
    pass


@dataclass
class Sink:
    """Collects diagnostics for one document; stages receive it through the context."""

    items: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, line: int = 0, message: str | None = None, severity: str | None = None) -> None:
        if code not in CATALOGUE:
            raise UnknownDiagnostic(code)
        default_severity, default_message = CATALOGUE[code]
        self.items.append(
            Diagnostic(code=code, severity=severity or default_severity, message=message or default_message, line=line)
        )


def render(diag: Diagnostic, source: str) -> str:
    """One line, docutils style: ``file:line: severity code: message``."""
    return f"{source}:{diag.line}: {diag.severity} {diag.code}: {diag.message}"
