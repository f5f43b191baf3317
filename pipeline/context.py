"""What every stage receives besides its input: options and the diagnostics sink."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Sink


@dataclass
class Options:
    """Metadata supplied from outside the text (command line or side-car); wins over nothing,
    conflicts with the text are reported."""

    symbol: str | None = None
    date: str | None = None
    body: str | None = None
    layout: str | None = None
    """Force the layout (``lines`` or ``wrapped``) instead of detecting it."""


@dataclass
class Context:
    source: str = "<input>"
    options: Options = field(default_factory=Options)
    sink: Sink = field(default_factory=Sink)

    def report(self, code: str, line: int = 0, message: str | None = None, severity: str | None = None) -> None:
        self.sink.report(code, line, message, severity)
