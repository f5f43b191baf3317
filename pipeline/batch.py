"""Batch conversion at archive scale: ``akn-pipeline convert`` over many files.

Inputs are discovered lazily (files, directory trees with ``--include``/``--exclude`` globs, a list in a
file or on stdin with ``--from``), cut into chunks and converted by a pool of worker processes (or, with
``--scheduler``, by a Dask distributed cluster).  Workers read their own inputs, write their own outputs
(temporary name, then rename) and return small status records; the parent streams those records into

- ``DIR/report.jsonl``: one JSON line per document of this run (input, sha256, outputs, status,
  diagnostic counts by severity and code, failure reason, seconds), and a printed summary;
- the manifest: every worker process appends one line per finished document to its own shard
  ``DIR/.manifest.d/<host>-<pid>-<run>.jsonl`` (so ``kill -9`` loses nothing finished); at the end of
  the run the shards are appended to ``DIR/manifest.jsonl``.  An entry is keyed by the output name and
  valid for one input sha256, pipeline version (package version + hash of its sources) and options:
  a re-run converts only new or changed inputs and reports the others as ``unchanged``.

Statuses: ``ok``, ``error`` (converted, with error diagnostics), ``failed`` (nothing written; the outputs
of an earlier run deleted, the catalogue row replaced by a ``failed`` one), and
``unchanged`` (skipped; its recorded status still counts for ``--fail-on``).

Isolation: an exception in one document is recorded and the run goes on; a per-document timeout
(``--timeout``, SIGALRM in the worker, with a CPU-time SIGVTALRM backstop that kills a worker stuck in C
code); a worker that dies (killed, out of memory) breaks the pool: the unfinished documents of the
chunks in flight are run again one by one in a fresh pool, and the one that kills its worker again is
recorded as failed (``batch.worker-died``).

Outputs depend only on the input bytes, the input name and the options: they are byte-identical
whatever ``--jobs`` or the scheduler.  Memory stays flat in the size of the batch: nothing is held per
document except the manifest index of a previous run (one short string per document) and an 8-byte hash
per output name to detect two inputs mapping to the same output.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import os
import re
import signal
import socket
import sqlite3
import stat
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

REPORT = "report.jsonl"
MANIFEST = "manifest.jsonl"
SHARDS = ".manifest.d"
DEFAULT_INCLUDE = ["*.txt"]


# ---------------------------------------------------------------------------------------------
# pipeline version: the package version and a hash of its sources (a code change invalidates)

_VERSION: str | None = None


def pipeline_version() -> str:
    global _VERSION
    if os.environ.get("AKN_PIPELINE_VERSION"):  # pin it (a deployment that knows its version)
        return os.environ["AKN_PIPELINE_VERSION"]
    if _VERSION is None:
        from importlib.resources import files as resource_files

        from . import __version__
        h = hashlib.sha256()
        pkg = Path(__file__).resolve().parent
        entries = [(p.name, p) for p in sorted(pkg.glob("*.py"))]
        schemas = resource_files("pipeline.schemas")  # installed or from the source tree alike
        entries += sorted(((e.name, e) for e in schemas.iterdir() if e.name.endswith((".xsd", ".json"))),
                          key=lambda ne: ne[0])
        for name, entry in entries:
            h.update(name.encode() + b"\0")
            try:
                h.update(entry.read_bytes())
            except OSError:
                pass
        _VERSION = f"{__version__}+{h.hexdigest()[:12]}"
    return _VERSION


# ---------------------------------------------------------------------------------------------
# discovery


@dataclass(frozen=True)
class Item:
    """One document to convert: where it is, where its outputs go (relative to DIR, no suffix)."""

    path: str
    out: str  # e.g. "sub/dir/A_HRC_RES_54_1" -> DIR/sub/dir/A_HRC_RES_54_1.akn.xml and .json
    catalogued: bool = True  # False: the catalogue is on and has no row for it (made even if unchanged)


def _stem(name: str) -> str:
    return name[:-4] if name.endswith(".txt") else name


def _matches(rel: str, patterns: list[str]) -> bool:
    """A pattern with a ``/`` matches the path relative to the root; one without matches the name."""
    name = rel.rsplit("/", 1)[-1]
    for pat in patterns:
        if "/" in pat:
            if fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(rel, pat.lstrip("/")):
                return True
        elif fnmatch.fnmatchcase(name, pat):
            return True
    return False


def _walk(root: Path, include: list[str], exclude: list[str]) -> Iterator[Item]:
    """Files under ``root`` in a stable (sorted) order, one directory in memory at a time."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        if exclude:  # prune excluded directories (a pattern naming the directory, or dir/*)
            dirnames[:] = [d for d in dirnames if not _matches(rel_dir + d, exclude)]
        for name in sorted(filenames):
            rel = rel_dir + name
            if _matches(rel, include) and not _matches(rel, exclude):
                full = os.path.join(dirpath, name)
                if os.path.isfile(full):
                    yield Item(full, rel_dir + _stem(name))


def _named(p: str, include: list[str], exclude: list[str]) -> Iterator[Item]:
    """A path named on the command line or in ``--from``: a directory is walked; anything else is
    an item, whatever its suffix, even when it does not exist or is not a regular file (converting it
    then records it as ``input.unreadable``, and the run goes on)."""
    path = Path(p)
    if path.is_dir():
        yield from _walk(path, include, exclude)
    elif not _matches(path.name, exclude):
        yield Item(p, _stem(path.name))


def _listed(source: str) -> Iterator[str]:
    """The paths listed one a line in ``source`` (``-``: stdin).  Lines are bytes decoded as file
    names are (``os.fsdecode``): a line that is not UTF-8 names a file like any other."""
    fh = sys.stdin.buffer if source == "-" else open(source, "rb")
    try:
        for raw in fh:
            line = os.fsdecode(raw.rstrip(b"\r\n")).strip()
            if line and not line.startswith("#"):
                yield line
    finally:
        if source != "-":
            fh.close()


def discover(paths: Iterable[str], include: list[str] | None = None, exclude: list[str] | None = None,
             from_list: str | None = None) -> Iterator[Item]:
    """Lazily yields the documents: ``paths`` first, then those listed in ``from_list`` (``-``: stdin).
    Directories are walked recursively for ``include`` globs (default ``*.txt``)."""
    include = include or DEFAULT_INCLUDE
    exclude = exclude or []
    for p in paths:
        yield from _named(p, include, exclude)
    if from_list:
        for p in _listed(from_list):
            yield from _named(p, include, exclude)


def check_paths(paths: Iterable[str]) -> None:
    """The paths named on the command line must exist (a usage error otherwise, exit 2).  Not
    redundant with counting: ``--from -`` is not counted beforehand."""
    for p in paths:
        if not os.path.lexists(p):
            raise FileNotFoundError(2, "no such file or directory", p)


# ---------------------------------------------------------------------------------------------
# the work: a chunk of documents, converted in a worker


@dataclass
class Config:
    outdir: str
    timeout: float = 60.0
    print_level: str = "warning"  # which diagnostics to render for printing: error, warning, info
    run_id: str = ""
    version: str = ""
    manifest: bool = True
    catalog: bool = True


_LEVELS = {"error": 0, "warning": 1, "info": 2}


class DocTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise DocTimeout()


_shard_fh = None
_shard_key: tuple | None = None


def _shard(cfg: Config):
    """This process's manifest shard: one writer per file, so lines never interleave."""
    global _shard_fh, _shard_key
    key = (cfg.outdir, cfg.run_id, os.getpid())
    if _shard_key != key:
        if _shard_fh is not None:
            try:
                _shard_fh.close()
            except OSError:
                pass
        d = Path(cfg.outdir, SHARDS)
        d.mkdir(parents=True, exist_ok=True)
        name = f"{socket.gethostname()}-{os.getpid()}-{cfg.run_id}-{threading.get_ident()}.jsonl"
        _shard_fh = open(d / name, "a", encoding="utf-8", errors="backslashreplace")
        _shard_key = key
    return _shard_fh


_shard_lock = threading.Lock()


def options_key(opts: tuple) -> str:
    return hashlib.sha256(json.dumps(list(opts)).encode()).hexdigest()[:12]


class Refused(OSError):
    """An input that is not read: not a regular file (a FIFO, a device, a socket)."""


def read_input(path: str) -> bytes:
    """The bytes of a regular file.  Anything else is refused without reading from it (a FIFO
    opened for reading would block until a writer comes, whatever the timeout)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                    else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a file")
            raise Refused(f"{path}: {kind}, not a regular file; not read")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return fh.read()
    finally:
        if fd >= 0:
            os.close(fd)


def _output_paths(item: Item, cfg: Config) -> list[Path]:
    return [Path(cfg.outdir, item.out + ".akn.xml"), Path(cfg.outdir, item.out + ".json")]


def catalog_key(item: Item) -> str:
    """The catalogue's key of a document: its input's name, under the sub-directory its outputs go
    to (``sub/dir/A_HRC_RES_54_1.txt``)."""
    from .catalog import file_key
    return file_key(item.out, os.path.basename(item.path))


def failed_record(item: Item, code: str, message: str, cfg: Config | None = None, sha: str | None = None) -> dict:
    """The record of a document that failed outside the converter (unreadable, worker died): its
    earlier outputs are deleted and, with the catalogue on, its row says ``failed``."""
    rec = {"input": item.path, "key": item.out, "sha256": sha, "outputs": [], "status": "failed",
           "reason": {"code": code, "line": 0, "message": message},
           "diagnostics": {"error": 1}, "codes": {code: 1}, "seconds": 0.0,
           "print": [f"{item.path}:0: error {code}: {message}"]}
    if cfg is not None:
        from .cli import remove_outputs
        from .model import Diagnostic
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
    from . import catalog
    return catalog.failed_row(catalog_key(item), os.path.basename(item.path), sha, diagnostics)


def convert_one(item: Item, opts: tuple, prior: str | None, cfg: Config) -> dict:
    """Convert one document; never raises for a problem of the document.  ``prior`` is the manifest
    entry of an earlier run (``sha256:status:severity-counts``) valid for this version and options.

    The timeout covers reading the input and converting it (both outputs written to temporary
    names); the outputs are renamed, and the catalogue row made, once the alarm is cancelled.  A
    document that fails leaves no output: those of an earlier run are deleted."""
    from .cli import commit, convert_file, discard, remove_outputs
    from .context import Options
    from .diagnostics import render

    t0 = time.perf_counter()
    rec: dict = {"input": item.path, "key": item.out, "sha256": None, "outputs": [], "status": "failed"}
    outputs = [item.out + ".akn.xml", item.out + ".json"]
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
                raise Refused(str(exc) if isinstance(exc, (Refused, ValueError)) else
                              f"{item.path}: {exc.strerror or exc}") from None
            sha = hashlib.sha256(data).hexdigest()
            rec["sha256"] = sha
            if prior is not None:
                psha, pstatus, psev = (prior.split(":", 2) + ["", ""])[:3]
                if psha == sha and (pstatus == "failed" or
                                    all(os.path.exists(os.path.join(cfg.outdir, o)) for o in outputs)):
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
            rec.update(status="unchanged", previous=pstatus, outputs=outputs if pstatus != "failed" else [],
                       previous_severity=json.loads(psev) if psev else {})
            if row is not None:
                rec["catalog"] = row
            rec["seconds"] = round(time.perf_counter() - t0, 6)
            return rec
        commit(pending)  # outside the timed section: a timeout never leaves half a pair
        pending = []
        status, diags = result.status, result.diagnostics
        if cfg.catalog and result.outputs is not None:
            row = catalog_row(result, sha, item, cfg)
    except Refused as exc:
        rec["reason"] = {"code": "input.unreadable", "line": 0, "message": str(exc)}
    except DocTimeout:
        rec["reason"] = {"code": "batch.timeout", "line": 0,
                         "message": f"conversion took longer than {cfg.timeout:g} s (--timeout)"}
    except Exception as exc:  # a bug of the converter on this document: record it, go on
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        rec["reason"] = {"code": "batch.exception", "line": 0,
                         "message": f"{type(exc).__name__}: {exc}{where}"}
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
            from .model import Diagnostic
            why = list(diags) if diags else [Diagnostic(code=rec["reason"]["code"], severity="error",
                                                         message=rec["reason"]["message"])]
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
        _record(item, opts, rec, cfg)
    return rec


def _row_from_outputs(item: Item, sha: str, status: str, cfg: Config) -> dict | None:
    """The catalogue row of an unchanged document the catalogue lacks (a run with ``--no-catalog``
    before, a deleted catalogue), made from its outputs on disk; None when they cannot give it (a
    failed document, an unreadable or foreign JSON): the document is then converted again."""
    from . import catalog
    from .model import Document
    if status not in ("ok", "error"):
        return None
    xml_path, json_path = _output_paths(item, cfg)
    try:
        xml, js = xml_path.read_bytes(), json_path.read_bytes()
        document = Document.model_validate_json(js)
    except (OSError, ValueError):
        return None
    outputs = {name: {"path": os.path.relpath(path, cfg.outdir), "sha256": hashlib.sha256(data).hexdigest(),
                      "size": len(data)} for name, data, path in (("xml", xml, xml_path), ("json", js, json_path))}
    return catalog.row(document, sha, outputs, status, file=catalog_key(item))


def catalog_row(result, sha: str, item: Item, cfg: Config) -> dict:
    """The catalogue row of a converted document, made in the worker (the parent only writes it):
    output checksums from the bytes just written, keyed by the output path under DIR."""
    from . import catalog
    outputs = {}
    for name, data, path in (("xml", result.outputs.xml, result.paths[0]), ("json", result.outputs.json, result.paths[1])):
        outputs[name] = {"path": os.path.relpath(path, cfg.outdir), "sha256": hashlib.sha256(data).hexdigest(),
                         "size": len(data)}
    return catalog.row(result.outputs.document, sha, outputs, result.status, file=catalog_key(item))


def _record(item: Item, opts: tuple, rec: dict, cfg: Config) -> None:
    entry = {"key": item.out, "sha256": rec["sha256"], "version": cfg.version, "options": options_key(opts),
             "status": rec["status"], "severity": rec.get("diagnostics", {}), "input": item.path}
    line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
    with _shard_lock:
        fh = _shard(cfg)
        fh.write(line)
        fh.flush()


_initialised = False


def _init_worker() -> None:
    """Once per worker process: load the schemas, install the timeout handlers."""
    global _initialised
    if _initialised:
        return
    _initialised = True
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.signal(signal.SIGVTALRM, signal.SIG_DFL)  # the hard backstop kills the worker
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C
    from . import validate
    validate.xsd()  # load the schemas once per worker, before the first document's clock starts
    validate.json_validator()


def run_chunk(chunk: list[tuple[Item, tuple, str | None]], cfg: Config) -> list[dict]:
    """The task: convert a chunk of documents, return their status records."""
    _init_worker()
    hard = (cfg.timeout and cfg.timeout > 0 and threading.current_thread() is threading.main_thread()
            and os.getpid() != _parent_pid)
    out = []
    for item, opts, prior in chunk:
        if hard:  # CPU time: kills the worker even inside C code that never returns to Python
            signal.setitimer(signal.ITIMER_VIRTUAL, 2 * cfg.timeout + 5)
        out.append(convert_one(item, opts, prior, cfg))
        if hard:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    return out


_parent_pid = os.getpid()


# ---------------------------------------------------------------------------------------------
# the manifest of earlier runs


def load_manifest(outdir: Path, version: str) -> dict[str, str]:
    """``key -> "sha256:status:severity-json:options"`` for the entries of this pipeline version;
    later lines win.  Reads ``manifest.jsonl`` and the shards a killed run left behind."""
    index: dict[str, str] = {}
    files = [outdir / MANIFEST]
    shard_dir = outdir / SHARDS
    if shard_dir.is_dir():
        files += sorted(shard_dir.glob("*.jsonl"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    for f in files:
        try:
            fh = open(f, encoding="utf-8")
        except OSError:
            continue
        with fh:
            for line in fh:
                try:
                    e = json.loads(line)
                except ValueError:  # a line cut by kill -9
                    continue
                if e.get("version") != version or not e.get("sha256"):
                    continue
                sev = json.dumps(e.get("severity") or {}, separators=(",", ":"), sort_keys=True)
                index[e["key"]] = f"{e['sha256']}:{e['status']}:{sev}\x00{e.get('options', '')}"
    return index


def merge_shards(outdir: Path) -> None:
    """Append every shard to ``manifest.jsonl`` (complete lines only), then remove it."""
    shard_dir = outdir / SHARDS
    if not shard_dir.is_dir():
        return
    shards = sorted(shard_dir.glob("*.jsonl"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    if not shards:
        try:
            shard_dir.rmdir()
        except OSError:
            pass
        return
    with open(outdir / MANIFEST, "ab") as out:
        for s in shards:
            with open(s, "rb") as fh:
                for line in fh:
                    if line.endswith(b"\n"):
                        out.write(line)
        out.flush()
        os.fsync(out.fileno())
    for s in shards:
        s.unlink()
    try:
        shard_dir.rmdir()
    except OSError:
        pass


TEMPORARY = re.compile(r"\.(?P<name>.+\.(?:akn\.xml|json))\.\d+\.tmp")
"""The temporaries ``convert`` writes (``cli.temporary_name``): ``.<output name>.<pid>.tmp``."""

LOCK = ".akn-pipeline.lock"


def clean_temporaries(outdir: Path) -> int:
    """Remove the temporary outputs (``.<name>.akn.xml.<pid>.tmp``, ``.<name>.json.<pid>.tmp``) a
    killed run left behind; nothing else is touched.  Called under the directory's lock, so no
    other run's temporaries are removed."""
    n = 0
    if not outdir.is_dir():
        return 0
    for dirpath, dirnames, filenames in os.walk(outdir):
        dirnames[:] = [d for d in dirnames if d != SHARDS]
        for name in filenames:
            if TEMPORARY.fullmatch(name):
                try:
                    os.unlink(os.path.join(dirpath, name))
                    n += 1
                except OSError:
                    pass
    return n


class Busy(Exception):
    """Another ``convert`` run holds the output directory."""


def lock(outdir: Path):
    """Take the output directory's lock (``DIR/.akn-pipeline.lock``, ``fcntl.flock``) for this run;
    returns the open file that holds it (closing it releases the lock; so does the process's
    death).  Raises ``Busy`` when another run holds it."""
    import fcntl
    fh = open(outdir / LOCK, "a+")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise Busy(f"{outdir} is in use by another convert run (lock {outdir / LOCK}); "
                   "wait for it to finish, or use another -o DIR") from None
    except OSError:  # a file system without locks: go on without one
        pass
    return fh


# ---------------------------------------------------------------------------------------------
# progress


class Progress:
    """A tqdm bar on a terminal, plain periodic log lines otherwise (or nothing with ``quiet``)."""

    def __init__(self, total: int | None, quiet: bool, interval: float = 10.0, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.done, self.t0 = total, 0, time.monotonic()
        self.last = self.t0
        self.interval = interval
        self.bar = None
        self.quiet = quiet
        if not quiet and getattr(self.stream, "isatty", lambda: False)():
            import tqdm
            tqdm.tqdm.monitor_interval = 0  # no monitor thread (worker pools fork)
            self.bar = tqdm.tqdm(total=total, unit="doc", file=self.stream, dynamic_ncols=True, smoothing=0.1)

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)

    def update(self, n: int, failed: int = 0) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            if failed:
                self.bar.set_postfix(failed=failed, refresh=False)
            return
        now = time.monotonic()
        if not self.quiet and now - self.last >= self.interval:
            self.last = now
            print(self.line(failed), file=self.stream, flush=True)

    def line(self, failed: int = 0) -> str:
        el = time.monotonic() - self.t0
        rate = self.done / el if el > 0 else 0.0
        if self.total:
            eta = (self.total - self.done) / rate if rate > 0 else float("nan")
            return (f"progress: {self.done}/{self.total} documents ({100 * self.done / self.total:.1f} %), "
                    f"{rate:.0f} docs/s, {failed} failed, elapsed {el:.0f} s, ETA {eta:.0f} s")
        return f"progress: {self.done} documents, {rate:.0f} docs/s, {failed} failed, elapsed {el:.0f} s"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ---------------------------------------------------------------------------------------------
# the run


@dataclass
class Batch:
    """Everything ``cmd_convert`` hands over."""

    paths: list[str]
    outdir: Path
    options_for: object  # callable(Path) -> Options
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    from_list: str | None = None
    jobs: int = 0
    chunk_size: int = 0
    timeout: float = 60.0
    scheduler: str | None = None
    fail_on: str = "error"
    quiet: bool = False
    verbose: bool = False
    incremental: bool = True
    log_interval: float = 10.0
    catalog: bool = True


@dataclass
class Totals:
    docs: int = 0
    status: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)
    severity: Counter = field(default_factory=Counter)  # documents having >= 1 diagnostic of a severity
    failed_docs: int = 0
    bad_error: int = 0
    bad_warning: int = 0


def _chunk_size(total: int | None, jobs: int, fixed: int) -> int:
    if fixed:
        return fixed
    if total is None:
        return 100
    return max(1, min(250, -(-total // (20 * max(jobs, 1)))))


def _count(batch: Batch) -> int | None:
    if batch.from_list == "-":
        return None
    return sum(1 for _ in discover(batch.paths, batch.include, batch.exclude, batch.from_list))


def run_batch(batch: Batch) -> int:
    """Run the batch; returns the exit status (0, 1, or 2 on a usage or I/O error, or when another
    run holds the output directory)."""
    from .cli import EXIT_USAGE

    err = sys.stderr
    try:
        check_paths(batch.paths)
        if batch.from_list and batch.from_list != "-" and not os.path.isfile(batch.from_list):
            raise FileNotFoundError(batch.from_list)
        total = _count(batch)
    except OSError as exc:
        print(f"akn-pipeline: {exc}", file=err)
        return EXIT_USAGE
    if total == 0:
        print("akn-pipeline: no .txt inputs found", file=err)
        return EXIT_USAGE
    outdir = batch.outdir
    held = None
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        held = lock(outdir)  # one run per output directory
        clean_temporaries(outdir)
        version = pipeline_version()
        index = load_manifest(outdir, version) if batch.incremental else {}
        merge_shards(outdir)  # shards of a killed run become part of the manifest
        report = open(outdir / REPORT, "w", encoding="utf-8", errors="backslashreplace")
    except (OSError, Busy) as exc:
        if held is not None:
            held.close()
        print(f"akn-pipeline: {exc}", file=err)
        return EXIT_USAGE
    try:
        return _run_locked(batch, outdir, total, version, index, report)
    finally:
        held.close()


def _run_locked(batch: Batch, outdir: Path, total: int | None, version: str, index: dict, report) -> int:
    from .cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE

    err = sys.stderr
    jobs = batch.jobs or os.cpu_count() or 1
    cfg = Config(outdir=str(outdir), timeout=batch.timeout, catalog=batch.catalog,
                 print_level="info" if batch.verbose else ("error" if batch.quiet else "warning"),
                 run_id=f"{int(time.time() * 1000):x}", version=version, manifest=True)
    size = _chunk_size(total, jobs, batch.chunk_size)
    totals = Totals()
    progress = Progress(total, batch.quiet, batch.log_interval)
    seen: set[int] = set()

    def tasks() -> Iterator[list]:
        chunk: list = []
        for item in discover(batch.paths, batch.include, batch.exclude, batch.from_list):
            h = int.from_bytes(hashlib.blake2b(os.fsencode(item.out), digest_size=8).digest(), "little")
            if h in seen:  # the outputs are the other input's: nothing deleted, nothing catalogued
                consume([failed_record(item, "batch.duplicate-output",
                                       f"another input of this run already writes {item.out}.akn.xml")])
                continue
            seen.add(h)
            o = batch.options_for(Path(item.path))
            opts = (o.symbol, o.date, o.body, o.layout)
            prior = None
            entry = index.get(item.out)
            if entry is not None:
                value, _, okey = entry.partition("\x00")
                if okey == options_key(opts):
                    prior = value
                    if con is not None and not catalogued(item):
                        item = dataclasses.replace(item, catalogued=False)  # its row is made all the same
            chunk.append((item, opts, prior))
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    con = None
    if batch.catalog:
        from . import catalog
        try:
            con = catalog.connect(outdir / catalog.DEFAULT_NAME)
        except sqlite3.Error as exc:
            report.close()
            print(f"akn-pipeline: cannot open the catalogue: {exc}", file=err)
            return EXIT_USAGE

    def catalogued(item: Item) -> bool:
        return con.execute("SELECT 1 FROM documents WHERE file = ?", (catalog_key(item),)).fetchone() is not None

    def consume(records: list[dict]) -> None:
        rows = [rec.pop("catalog") for rec in records if "catalog" in rec]
        if rows and con is not None:
            with con:  # one transaction for the records of a chunk
                catalog.write_rows(con, rows)
        for rec in records:
            prn = rec.pop("print", None)
            if prn:
                for line in prn:
                    progress.write(line)
            report.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
            status = rec["status"]
            totals.docs += 1
            totals.status[status] += 1
            if status == "unchanged":
                eff, sev = rec.get("previous", "ok"), rec.get("previous_severity", {})
            else:
                eff, sev = status, rec.get("diagnostics", {})
                totals.codes.update(rec.get("codes", {}))
            for s, n in sev.items():
                if n:
                    totals.severity[s] += 1
            if eff == "failed":
                totals.failed_docs += 1
            if eff in ("failed", "error") or sev.get("error"):
                totals.bad_error += 1
            if sev.get("warning"):
                totals.bad_warning += 1
        report.flush()
        progress.update(len(records), totals.failed_docs)

    t0 = time.monotonic()
    interrupted = False
    try:
        if batch.scheduler:
            run_dask(batch.scheduler, jobs, tasks(), cfg, consume)
        elif jobs == 1:
            run_serial(tasks(), cfg, consume)
        else:
            run_pool(jobs, tasks(), cfg, consume)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        progress.close()
        report.close()
        if con is not None:
            con.close()
        try:
            merge_shards(outdir)
        except OSError as exc:
            print(f"akn-pipeline: could not merge the manifest shards: {exc}", file=err)
    if interrupted:
        raise KeyboardInterrupt
    elapsed = time.monotonic() - t0
    if not batch.quiet:
        print_summary(totals, total, outdir, elapsed, err)
    if batch.fail_on == "never":
        return EXIT_OK
    if totals.bad_error or (batch.fail_on == "warning" and totals.bad_warning):
        return EXIT_INVALID
    return EXIT_OK


def print_summary(t: Totals, total: int | None, outdir: Path, elapsed: float, err) -> None:
    converted = t.status["ok"] + t.status["error"]
    print(f"converted {converted} of {t.docs} documents ({t.status['error']} with errors, "
          f"{t.status['failed']} failed, {t.status['unchanged']} unchanged) into {outdir} "
          f"in {elapsed:.1f} s ({t.docs / elapsed if elapsed > 0 else 0:.0f} docs/s)", file=err)
    print("  by status: " + ", ".join(f"{k} {v}" for k, v in sorted(t.status.items())), file=err)
    if t.codes:
        print("  by diagnostic code (this run):", file=err)
        for code, n in sorted(t.codes.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"    {n:8d}  {code}", file=err)
    print(f"  report: {outdir / REPORT}", file=err)


# ---------------------------------------------------------------------------------------------
# executors


def run_serial(chunks: Iterator[list], cfg: Config, consume) -> None:
    """``--jobs 1``: in this process (timeouts still apply; a crash ends the run)."""
    old = None
    main = threading.current_thread() is threading.main_thread()
    if main:
        old = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for chunk in chunks:
            consume([convert_one(item, opts, prior, cfg) for item, opts, prior in chunk])
    finally:
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old if old is not None else signal.SIG_DFL)


def _context():
    import multiprocessing as mp
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _new_pool(workers: int):
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker)


def _exit_reason(pool) -> str:
    codes = []
    for p in list(getattr(pool, "_processes", {}).values() or []):
        try:
            p.join(0.2)
        except Exception:
            pass
        code = getattr(p, "exitcode", None)
        if code is not None and code < 0:
            try:
                codes.append(signal.Signals(-code).name)
            except ValueError:
                codes.append(str(code))
    if "SIGVTALRM" in codes:
        return "the worker was stopped by the hard timeout (stuck in native code)"
    if codes:
        return f"the worker process died ({', '.join(sorted(set(codes)))}: killed, or out of memory)"
    return "the worker process died (killed, or out of memory)"


def run_pool(jobs: int, chunks: Iterator[list], cfg: Config, consume) -> None:
    """A process pool fed chunk by chunk (at most ``2 * jobs + 1`` in flight: memory stays flat)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = _new_pool(jobs)
    inflight: dict = {}
    it = iter(chunks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(inflight) < 2 * jobs + 1:
                try:
                    chunk = next(it)
                except StopIteration:
                    exhausted = True
                    break
                try:
                    inflight[pool.submit(run_chunk, chunk, cfg)] = chunk
                except BrokenProcessPool:
                    inflight[_broken_future()] = chunk
                    break
            if not inflight:
                break
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                chunk = inflight[fut]
                try:
                    records = fut.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                del inflight[fut]
                consume(records)
            if broken:
                reason = _exit_reason(pool)
                lost = [doc for fut, chunk in inflight.items() for doc in chunk]
                inflight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                _isolate(lost, cfg, consume, reason)
                pool = _new_pool(jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _broken_future():
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool
    f: Future = Future()
    f.set_exception(BrokenProcessPool("pool broken at submit"))
    return f


def _isolate(docs: list, cfg: Config, consume, reason: str) -> None:
    """Run the documents of the lost chunks one at a time in a one-worker pool: the one that kills
    its worker is recorded as failed, the others convert."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _new_pool(1)
    try:
        for item, opts, prior in docs:
            try:
                consume(pool.submit(run_chunk, [(item, opts, prior)], cfg).result())
            except BrokenProcessPool:
                why = _exit_reason(pool) or reason
                pool.shutdown(wait=True)
                pool = _new_pool(1)
                consume([failed_record(item, "batch.worker-died", why, cfg)])
    finally:
        pool.shutdown(wait=True)


def run_dask(address: str, jobs: int, chunks: Iterator[list], cfg: Config, consume) -> None:
    """The same chunks on a Dask distributed cluster (``local``: a LocalCluster of ``jobs`` worker
    processes).  Workers need the package installed and the inputs and DIR on a shared file system.
    A chunk whose worker dies (``KilledWorker``) is run again one document per task; a document that
    kills a worker again is recorded as failed.  (Per-document timeouts need a main thread, which Dask
    tasks do not have: on Dask only the converter's own limits apply.)"""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SystemExit("akn-pipeline: --scheduler needs Dask: pip install 'akn-pipeline[dask]'")
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        nworkers = jobs if cluster is not None else max(1, sum(client.nthreads().values()))
    except Exception:
        nworkers = jobs
    limit = 2 * nworkers + 1
    try:
        ac = as_completed()
        chunk_of: dict = {}
        it = iter(chunks)
        exhausted = False

        def feed() -> None:
            nonlocal exhausted
            while not exhausted and len(chunk_of) < limit:
                try:
                    chunk = next(it)
                except StopIteration:
                    exhausted = True
                    return
                fut = client.submit(run_chunk, chunk, cfg, pure=False)
                chunk_of[fut.key] = chunk
                ac.add(fut)

        feed()
        for fut in ac:
            chunk = chunk_of.pop(fut.key)
            try:
                consume(fut.result())
            except Exception as exc:  # KilledWorker, or a worker lost with the task
                if len(chunk) > 1:
                    for doc in chunk:
                        f = client.submit(run_chunk, [doc], cfg, pure=False)
                        chunk_of[f.key] = [doc]
                        ac.add(f)
                else:
                    item = chunk[0][0]
                    why = f"the Dask worker died ({type(exc).__name__}: {exc})"
                    consume([failed_record(item, "batch.worker-died", why, cfg)])
            fut.release()
            feed()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
