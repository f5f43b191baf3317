"""The work of one worker: a chunk of documents, each read, converted (``convert.convert_file``),
written and recorded in isolation (per-document timeout, exceptions caught), returning small
status records and catalogue rows to the parent."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from ..convert import FileResult, convert_file
from ..diagnostics import render
from ..emit.validate import json_validator, xsd
from ..files import Refused, commit, deferred_signals, discard, read_input, remove_outputs
from ..library import catalog
from ..model import Diagnostic, Document
from .discover import Item
from .manifest import append_entry
from .records import Config, DocRecord, Reason, Task

_LEVELS = {"error": 0, "warning": 1, "info": 2}

HARD_TIMEOUT_FACTOR, HARD_TIMEOUT_MARGIN = 2, 5
"""The CPU-time backstop of a document stuck in native code: twice ``--timeout`` and 5 seconds
(the wall-clock alarm fires first whenever Python code runs; this one kills the worker)."""


class DocTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise DocTimeout()


def output_names(item: Item) -> list[str]:
    """The two outputs of a document, relative to DIR."""
    return [item.out + ".akn.xml", item.out + ".json"]


def _output_paths(item: Item, cfg: Config) -> list[Path]:
    return [Path(cfg.outdir, name) for name in output_names(item)]


def _checksums(item: Item, xml: bytes, js: bytes) -> dict:
    """The catalogue's description of the two outputs: path under DIR, sha256, size."""
    return {
        name: {"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, rel, data in zip(("xml", "json"), output_names(item), (xml, js), strict=True)
    }


def catalog_key(item: Item) -> str:
    """The catalogue's key of a document: its input's name, under the sub-directory its outputs go
    to (``sub/dir/A_HRC_RES_54_1.txt``)."""
    return catalog.file_key(item.out, os.path.basename(item.path))


def failed_record(item: Item, code: str, message: str, cfg: Config | None = None, sha: str | None = None) -> DocRecord:
    """The record of a document that failed outside the converter (unreadable, worker died): its
    earlier outputs are deleted and, with the catalogue on, its row says ``failed``."""
    rec = DocRecord(
        input=item.path,
        key=item.out,
        sha256=sha,
        reason=Reason(code, 0, message),
        diagnostics={"error": 1},
        codes={code: 1},
        log=[f"{item.path}:0: error {code}: {message}"],
    )
    if cfg is not None:
        try:
            remove_outputs(_output_paths(item, cfg))
        except OSError:
            pass
        if cfg.catalog:
            rec.catalog = failed_row(item, sha, [Diagnostic(code=code, severity="error", message=message)])
    return rec


def failed_row(item: Item, sha: str | None, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """The catalogue row of a failed document: status ``failed``, its input checksum and the
    diagnostics that made it fail; no metadata, counts or outputs (an earlier conversion's metadata
    is not kept: it would describe outputs that no longer exist)."""
    return catalog.failed_row(catalog_key(item), os.path.basename(item.path), sha, diagnostics)


def convert_one(task: Task, cfg: Config) -> DocRecord:
    """Convert one document; never raises for a problem of the document.  ``task.prior`` is the
    manifest entry of an earlier run (``sha256:status:severity-counts``) valid for this version and
    options.

    The timeout covers reading the input and converting it (both outputs written to temporary
    names); the outputs are renamed, and the catalogue row made, once the alarm is cancelled.  A
    document that fails leaves no output: those of an earlier run are deleted."""
    t0 = time.perf_counter()
    item, options, prior = task
    rec = DocRecord(input=item.path, key=item.out)
    row = None
    result = None
    pending: list[tuple[Path, Path]] = []
    unchanged = None
    outdir = Path(cfg.outdir, os.path.dirname(item.out)) if "/" in item.out else Path(cfg.outdir)
    timed = cfg.timeout and cfg.timeout > 0 and threading.current_thread() is threading.main_thread()
    try:
        try:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, cfg.timeout)
            data = _read(item)
            rec.sha256 = sha = hashlib.sha256(data).hexdigest()
            if prior is not None:
                unchanged, row = _still_valid(item, prior, sha, cfg)
            if unchanged is None:
                result = convert_file(Path(item.path), outdir, options, data, pending=pending)
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
        if unchanged is not None:
            pstatus, psev = unchanged
            rec.status, rec.previous = "unchanged", pstatus
            rec.outputs = output_names(item) if pstatus != "failed" else []
            rec.previous_severity = json.loads(psev) if psev else {}
            rec.catalog = row
            rec.seconds = round(time.perf_counter() - t0, 6)
            return rec
        assert result is not None
        with deferred_signals():  # outside the timed section: a timeout never leaves half a pair
            commit(pending)
            pending = []
        rec.status = result.status
        if cfg.catalog and result.outputs is not None:
            row = catalog_row(result, sha, item)
    except Refused as exc:
        rec.reason = Reason("input.unreadable", 0, str(exc))
    except DocTimeout:
        rec.reason = Reason("batch.timeout", 0, f"conversion took longer than {cfg.timeout:g} s (--timeout)")
    except Exception as exc:  # a bug of the converter on this document: record it, go on
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        rec.reason = Reason("batch.exception", 0, f"{type(exc).__name__}: {exc}{where}")
    finally:
        if pending:
            discard(pending)
    diags = result.diagnostics if result is not None and rec.reason is None else []
    _conclude(rec, item, diags, row, cfg)
    rec.seconds = round(time.perf_counter() - t0, 6)
    transient = rec.reason is not None and rec.reason.code == "batch.timeout"  # tried again next run
    if cfg.manifest and not transient and rec.sha256:
        append_entry(item, options, rec, cfg)
    return rec


def _read(item: Item) -> bytes:
    """The input's bytes; anything that keeps it from being read is ``Refused``."""
    try:
        return read_input(item.path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in a listed name
        raise Refused(
            str(exc) if isinstance(exc, (Refused, ValueError)) else f"{item.path}: {exc.strerror or exc}"
        ) from None


def _still_valid(item: Item, prior: str, sha: str, cfg: Config) -> tuple[tuple[str, str] | None, dict[str, Any] | None]:
    """Whether the earlier run's outputs of this very input stand (``(status, severity-json)``, else
    None), and the catalogue row to make for it when the catalogue lacks one."""
    psha, pstatus, psev = (prior.split(":", 2) + ["", ""])[:3]
    if psha != sha or not (
        pstatus == "failed" or all(os.path.exists(os.path.join(cfg.outdir, o)) for o in output_names(item))
    ):
        return None, None
    if cfg.catalog and not item.catalogued:
        row = _row_from_outputs(item, sha, pstatus, cfg)
        return ((pstatus, psev), row) if row is not None else (None, None)  # no row: convert it again
    return (pstatus, psev), None


def _conclude(rec: DocRecord, item: Item, diags: list[Diagnostic], row: dict[str, Any] | None, cfg: Config) -> None:
    """Counts, reason, outputs, log lines and catalogue row of a document that was converted or
    failed; a failed document's earlier outputs are deleted."""
    if rec.reason is not None:
        rec.status = "failed"
    sev = Counter(d.severity for d in diags)
    codes = Counter(d.code for d in diags)
    if rec.reason is not None:
        sev["error"] += 1
        codes[rec.reason.code] += 1
    elif rec.status == "failed":
        first = next((d for d in diags if d.severity == "error"), None)
        if first is not None:
            rec.reason = Reason(first.code, first.line, first.message)
    rec.diagnostics = dict(sorted(sev.items()))
    rec.codes = dict(sorted(codes.items()))
    if rec.status != "failed":
        rec.outputs = output_names(item)
    else:
        try:
            remove_outputs(_output_paths(item, cfg))  # an earlier run's pair would contradict the report
        except OSError:
            pass
        if cfg.catalog:
            reason = rec.reason
            why = list(diags) or (
                [Diagnostic(code=reason.code, severity="error", message=reason.message)] if reason else []
            )
            row = failed_row(item, rec.sha256, why)
    errors = [{"code": d.code, "line": d.line, "message": d.message} for d in diags if d.severity == "error"]
    if errors and rec.status != "failed":
        rec.errors = errors[:20]
    level = _LEVELS.get(cfg.print_level, 1)
    rec.log = [render(d, item.path) for d in diags if _LEVELS.get(d.severity, 2) <= level]
    if rec.reason is not None and not diags:
        r = rec.reason
        rec.log.append(f"{item.path}:{r.line}: error {r.code}: {r.message}")
    rec.catalog = row


def _row_from_outputs(item: Item, sha: str, status: str, cfg: Config) -> dict[str, Any] | None:
    """The catalogue row of an unchanged document the catalogue lacks (a run with ``--no-catalog``
    before, a deleted catalogue), made from its outputs on disk; None when they cannot give it (a
    failed document, an unreadable or foreign JSON): the document is then converted again."""
    if status not in ("ok", "error"):
        return None
    xml_path, json_path = _output_paths(item, cfg)
    try:
        xml, js = xml_path.read_bytes(), json_path.read_bytes()
        document = Document.model_validate_json(js)
    except (OSError, ValueError):
        return None
    return catalog.row(document, sha, _checksums(item, xml, js), status, file=catalog_key(item))


def catalog_row(result: FileResult, sha: str, item: Item) -> dict[str, Any]:
    """The catalogue row of a converted document, made in the worker (the parent only writes it):
    output checksums from the bytes just written, keyed by the output path under DIR."""
    out = result.outputs
    assert out is not None
    return catalog.row(
        out.document,
        sha,
        _checksums(item, out.xml, out.json),
        result.status,
        file=catalog_key(item),
    )


_initialised = False


def init_worker() -> None:
    """Once per worker process: load the schemas, install the timeout handlers."""
    global _initialised
    if _initialised:
        return
    _initialised = True
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, on_alarm)
        signal.signal(signal.SIGVTALRM, signal.SIG_DFL)  # the hard backstop kills the worker
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C
    xsd()  # load the schemas once per worker, before the first document's clock starts
    json_validator()


def run_chunk(chunk: list[Task], cfg: Config) -> list[DocRecord]:
    """The task of a worker: convert a chunk of documents, return their records."""
    init_worker()
    hard = (
        cfg.timeout
        and cfg.timeout > 0
        and threading.current_thread() is threading.main_thread()
        and os.getpid() != _parent_pid
    )
    out = []
    for task in chunk:
        if hard:  # CPU time: kills the worker even inside C code that never returns to Python
            signal.setitimer(signal.ITIMER_VIRTUAL, HARD_TIMEOUT_FACTOR * cfg.timeout + HARD_TIMEOUT_MARGIN)
        out.append(convert_one(task, cfg))
        if hard:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    return out


_parent_pid = os.getpid()
