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

from ..context import Options
from ..convert import convert_file
from ..diagnostics import render
from ..emit.validate import json_validator, xsd
from ..files import Refused, commit, deferred_signals, discard, read_input, remove_outputs
from ..library import catalog
from ..model import Diagnostic, Document
from .config import Config
from .discover import Item
from .manifest import append_entry

_LEVELS = {"error": 0, "warning": 1, "info": 2}


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


def failed_record(item: Item, code: str, message: str, cfg: Config | None = None, sha: str | None = None) -> dict:
    """The record of a document that failed outside the converter (unreadable, worker died): its
    earlier outputs are deleted and, with the catalogue on, its row says ``failed``."""
    rec = {
        "input": item.path,
        "key": item.out,
        "sha256": sha,
        "outputs": [],
        "status": "failed",
        "reason": {"code": code, "line": 0, "message": message},
        "diagnostics": {"error": 1},
        "codes": {code: 1},
        "seconds": 0.0,
        "print": [f"{item.path}:0: error {code}: {message}"],
    }
    if cfg is not None:
        try:
            remove_outputs(_output_paths(item, cfg))
        except OSError:
            pass
        if cfg.catalog:
            rec["catalog"] = failed_row(item, sha, [Diagnostic(code=code, severity="error", message=message)])
    return rec


def failed_row(item: Item, sha: str | None, diagnostics: list) -> dict:
    """The catalogue row of a failed document: status ``failed``, its input checksum and the
    diagnostics that made it fail; no metadata, counts or outputs (an earlier conversion's metadata
    is not kept: it would describe outputs that no longer exist)."""
    return catalog.failed_row(catalog_key(item), os.path.basename(item.path), sha, diagnostics)


def convert_one(item: Item, opts: tuple, prior: str | None, cfg: Config) -> dict:
    """Convert one document; never raises for a problem of the document.  ``prior`` is the manifest
    entry of an earlier run (``sha256:status:severity-counts``) valid for this version and options.

    The timeout covers reading the input and converting it (both outputs written to temporary
    names); the outputs are renamed, and the catalogue row made, once the alarm is cancelled.  A
    document that fails leaves no output: those of an earlier run are deleted."""
    t0 = time.perf_counter()
    rec: dict = {"input": item.path, "key": item.out, "sha256": None, "outputs": [], "status": "failed"}
    outputs = output_names(item)
    row = None
    result = None
    pending: list = []
    unchanged = None
    status, diags = "failed", []
    options = Options(symbol=opts[0], date=opts[1], body=opts[2], layout=opts[3])
    outdir = Path(cfg.outdir, os.path.dirname(item.out)) if "/" in item.out else Path(cfg.outdir)
    timed = cfg.timeout and cfg.timeout > 0 and threading.current_thread() is threading.main_thread()
    try:
        try:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, cfg.timeout)
            try:
                data = read_input(item.path)
            except (OSError, ValueError) as exc:  # ValueError: a NUL in a listed name
                raise Refused(
                    str(exc) if isinstance(exc, (Refused, ValueError)) else f"{item.path}: {exc.strerror or exc}"
                ) from None
            sha = hashlib.sha256(data).hexdigest()
            rec["sha256"] = sha
            if prior is not None:
                psha, pstatus, psev = (prior.split(":", 2) + ["", ""])[:3]
                if psha == sha and (
                    pstatus == "failed" or all(os.path.exists(os.path.join(cfg.outdir, o)) for o in outputs)
                ):
                    unchanged = (pstatus, psev)
                if unchanged is not None and cfg.catalog and not item.catalogued:
                    row = _row_from_outputs(item, sha, pstatus, cfg)  # None: convert it again
                    if row is None:
                        unchanged = None
            if unchanged is None:
                result = convert_file(Path(item.path), outdir, options, data, pending=pending)
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
        if unchanged is not None:
            pstatus, psev = unchanged
            rec.update(
                status="unchanged",
                previous=pstatus,
                outputs=outputs if pstatus != "failed" else [],
                previous_severity=json.loads(psev) if psev else {},
            )
            if row is not None:
                rec["catalog"] = row
            rec["seconds"] = round(time.perf_counter() - t0, 6)
            return rec
        with deferred_signals():  # outside the timed section: a timeout never leaves half a pair
            commit(pending)
            pending = []
        status, diags = result.status, result.diagnostics
        if cfg.catalog and result.outputs is not None:
            row = catalog_row(result, sha, item)
    except Refused as exc:
        rec["reason"] = {"code": "input.unreadable", "line": 0, "message": str(exc)}
    except DocTimeout:
        rec["reason"] = {
            "code": "batch.timeout",
            "line": 0,
            "message": f"conversion took longer than {cfg.timeout:g} s (--timeout)",
        }
    except Exception as exc:  # a bug of the converter on this document: record it, go on
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        rec["reason"] = {"code": "batch.exception", "line": 0, "message": f"{type(exc).__name__}: {exc}{where}"}
    finally:
        if pending:
            discard(pending)
    if "reason" in rec:
        status, diags = "failed", []
    rec["status"] = status
    sev = Counter(d.severity for d in diags)
    codes = Counter(d.code for d in diags)
    if "reason" in rec:
        sev["error"] += 1
        codes[rec["reason"]["code"]] += 1
    elif status == "failed":
        first = next((d for d in diags if d.severity == "error"), None)
        if first is not None:
            rec["reason"] = {"code": first.code, "line": first.line, "message": first.message}
    rec["diagnostics"] = dict(sorted(sev.items()))
    rec["codes"] = dict(sorted(codes.items()))
    if status != "failed":
        rec["outputs"] = outputs
    else:
        try:
            remove_outputs(_output_paths(item, cfg))  # an earlier run's pair would contradict the report
        except OSError:
            pass
        if cfg.catalog:
            why = (
                list(diags)
                if diags
                else [Diagnostic(code=rec["reason"]["code"], severity="error", message=rec["reason"]["message"])]
            )
            row = failed_row(item, rec["sha256"], why)
    errors = [{"code": d.code, "line": d.line, "message": d.message} for d in diags if d.severity == "error"]
    if errors and status != "failed":
        rec["errors"] = errors[:20]
    level = _LEVELS.get(cfg.print_level, 1)
    lines = [render(d, item.path) for d in diags if _LEVELS.get(d.severity, 2) <= level]
    if "reason" in rec and not diags:
        r = rec["reason"]
        lines.append(f"{item.path}:{r['line']}: error {r['code']}: {r['message']}")
    if lines:
        rec["print"] = lines
    if row is not None:
        rec["catalog"] = row
    rec["seconds"] = round(time.perf_counter() - t0, 6)
    transient = rec.get("reason", {}).get("code") == "batch.timeout"  # tried again next run
    if cfg.manifest and not transient and rec["sha256"]:
        append_entry(item, opts, rec, cfg)
    return rec


def _row_from_outputs(item: Item, sha: str, status: str, cfg: Config) -> dict | None:
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


def catalog_row(result, sha: str, item: Item) -> dict:
    """The catalogue row of a converted document, made in the worker (the parent only writes it):
    output checksums from the bytes just written, keyed by the output path under DIR."""
    return catalog.row(
        result.outputs.document,
        sha,
        _checksums(item, result.outputs.xml, result.outputs.json),
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


def run_chunk(chunk: list[tuple[Item, tuple, str | None]], cfg: Config) -> list[dict]:
    """The task: convert a chunk of documents, return their status records."""
    init_worker()
    hard = (
        cfg.timeout
        and cfg.timeout > 0
        and threading.current_thread() is threading.main_thread()
        and os.getpid() != _parent_pid
    )
    out = []
    for item, opts, prior in chunk:
        if hard:  # CPU time: kills the worker even inside C code that never returns to Python
            signal.setitimer(signal.ITIMER_VIRTUAL, 2 * cfg.timeout + 5)
        out.append(convert_one(item, opts, prior, cfg))
        if hard:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    return out


_parent_pid = os.getpid()
