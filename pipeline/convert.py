"""Converting one document: the only place a file becomes outputs.

``convert`` runs the stages on decoded text and emits both outputs (validated); ``convert_file``
reads a file (or takes its bytes), decodes it at the edge, converts it and writes both outputs
atomically.  The batch runner (``pipeline.batch``) calls ``convert_file`` once per document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .context import Context, Options
from .decode import InputError, decode
from .emit import OutputInvalid, Outputs, emit
from .files import commit, deferred_signals, discard, remove_outputs, write_temporary
from .model import Diagnostic
from .stages import run


def convert(text: str, ctx: Context, check: bool = True) -> Outputs:
    """Decoded text -> both outputs (validated unless ``check`` is false)."""
    return emit(run(text, ctx), check)


def output_paths(path: Path, outdir: Path) -> tuple[Path, Path]:
    """Where the outputs of input ``path`` go: ``outdir/<stem>.akn.xml`` and ``outdir/<stem>.json``."""
    stem = path.name[:-4] if path.name.endswith(".txt") else path.name
    return outdir / f"{stem}.akn.xml", outdir / f"{stem}.json"


@dataclass
class FileResult:
    """What converting one file gave: its status (``ok``, ``error``, ``failed``), its diagnostics,
    and the outputs written (none for a document that failed)."""

    status: str
    diagnostics: list[Diagnostic]
    outputs: Outputs | None = None
    paths: tuple[Path, Path] | None = None

    def __iter__(self):  # ``status, diagnostics = convert_file(...)``
        return iter((self.status, self.diagnostics))


def convert_file(
    path: Path,
    outdir: Path,
    options: Options,
    data: bytes | None = None,
    pending: list[tuple[Path, Path]] | None = None,
) -> FileResult:
    """Convert one file (``data``: its bytes, when the caller has read them already).  A document
    that fails writes nothing, and the outputs of an earlier conversion of it are deleted.

    Both outputs are written to temporary names first.  Without ``pending`` they are then renamed
    here; with it, the ``(temporary, final)`` pairs are appended to it as they are written and the
    caller renames them (``commit``) or removes them (``discard``): a batch worker renames only
    after it has cancelled the document's timeout, so a timeout never leaves half a pair."""
    paths = output_paths(path, outdir)

    def failed(diagnostics: list[Diagnostic]) -> FileResult:
        remove_outputs(paths)
        return FileResult("failed", diagnostics)

    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return failed([Diagnostic(code="input.unreadable", severity="error", message=str(exc), line=0)])
    ctx = Context(source=path.name, options=options)  # the name only: same bytes from any directory
    try:
        text, notes = decode(data)
    except InputError as exc:
        return failed([Diagnostic(code=exc.code, severity="error", message=exc.message, line=exc.line)])
    for code, message, line in notes:
        ctx.report(code, line, message)
    try:
        out = convert(text, ctx)
    except OutputInvalid as exc:
        return failed(
            list(ctx.sink.items) + [Diagnostic(code="output.invalid", severity="error", message=str(exc), line=0)]
        )
    own = pending is None
    written: list[tuple[Path, Path]] = [] if pending is None else pending
    try:
        with deferred_signals():
            for final, blob in zip(paths, (out.xml, out.json), strict=True):
                written.append((write_temporary(final, blob), final))
            if own:
                commit(written)
    except BaseException:
        if own:
            discard(written)
        raise
    errors = any(d.severity == "error" for d in out.document.diagnostics)
    return FileResult("error" if errors else "ok", out.document.diagnostics, out, paths)
