"""What passes between a batch's parent and its workers: the run's configuration (``Config``), a
document to convert (``Task``) and what became of it (``DocRecord``).

All three are plain, picklable data: a worker process (or a Dask worker on another machine) gets
a chunk of tasks and the configuration, and returns one record per task.  The parent writes each
record's report line (``report_line``), its catalogue row and its log lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..context import Options
from .discover import Item


@dataclass
class Config:
    """What every worker of a run is told: where the outputs go and how each document is handled."""

    outdir: str
    timeout: float = 60.0
    print_level: str = "warning"  # which diagnostics to render for printing: error, warning, info
    run_id: str = ""
    version: str = ""
    manifest: bool = True
    catalog: bool = True


class Task(NamedTuple):
    """One document of a chunk: the input, its options, and its manifest entry from an earlier run
    valid for this version and these options (``sha256:status:severity-counts``), if any."""

    item: Item
    options: Options
    prior: str | None


@dataclass
class Reason:
    """Why a document failed: the code, line and message of the diagnostic that says so."""

    code: str
    line: int
    message: str


@dataclass
class DocRecord:
    """What became of one document.  Its report line (``report.jsonl``) holds the fields down to
    ``seconds``, absent ones (None) left out; ``log`` and ``catalog`` go to the log and the
    catalogue."""

    input: str
    key: str
    """The document's outputs under DIR without suffix (``sub/dir/A_HRC_RES_54_1``)."""
    sha256: str | None = None
    outputs: list[str] = field(default_factory=list)
    status: str = "failed"
    """``ok``, ``error`` (converted, with error diagnostics), ``failed`` (nothing written) or
    ``unchanged`` (skipped: the manifest says the outputs are those of this very input)."""
    previous: str | None = None
    """``unchanged``: the status the document had."""
    previous_severity: dict[str, int] | None = None
    """``unchanged``: the diagnostic counts by severity it had."""
    reason: Reason | None = None
    """``failed``: why."""
    diagnostics: dict[str, int] | None = None
    """Diagnostic counts by severity (not for ``unchanged``)."""
    codes: dict[str, int] | None = None
    """Diagnostic counts by code (not for ``unchanged``)."""
    errors: list[dict[str, Any]] | None = None
    """Converted with errors: the first 20 error diagnostics (code, line, message)."""
    seconds: float = 0.0
    log: list[str] = field(default_factory=list)
    """Diagnostics rendered for the run's log, as ``--verbose``/``--quiet`` choose."""
    catalog: dict[str, Any] | None = None
    """The document's catalogue row (``library.catalog.row``), made in the worker."""

    def report_line(self) -> dict[str, Any]:
        """The report's JSON object for this document."""
        out: dict[str, Any] = {
            "input": self.input,
            "key": self.key,
            "sha256": self.sha256,
            "outputs": self.outputs,
            "status": self.status,
        }
        optional = (
            ("previous", self.previous),
            ("previous_severity", self.previous_severity),
            ("reason", self.reason and self.reason.__dict__),
            ("diagnostics", self.diagnostics),
            ("codes", self.codes),
            ("errors", self.errors),
        )
        out.update((k, v) for k, v in optional if v is not None)
        out["seconds"] = self.seconds
        return out

    @property
    def effective(self) -> tuple[str, dict[str, int]]:
        """The status and severity counts that count for ``--fail-on``: an unchanged document's
        previous ones."""
        if self.status == "unchanged":
            previous = self.previous if self.previous is not None else "ok"
            return previous, self.previous_severity if self.previous_severity is not None else {}
        return self.status, self.diagnostics if self.diagnostics is not None else {}
