"""Batch conversion at archive scale: ``akn-pipeline convert`` over many files.

The parts: ``discover`` (which files), ``worker`` (a chunk converted in isolation), ``engines``
(in process, a process pool, or Dask), ``manifest`` (what DIR remembers between runs); this module
runs them and keeps the report, the catalogue and the exit status.

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
import hashlib
import json
import os
import signal
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..context import Options
from ..exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from ..files import Terminated, deferred_signals
from ..library import catalog
from ..version import pipeline_version
from .discover import Item, check_paths, discover
from .engines import run_dask, run_pool, run_serial
from .manifest import Busy, clean_temporaries, load_manifest, lock, merge_shards, options_key
from .progress import Progress
from .records import Config, DocRecord, Task
from .worker import catalog_key, failed_record

REPORT = "report.jsonl"


class Stop:
    """^C and SIGTERM during a run.  Each is raised where it lands (``KeyboardInterrupt``,
    ``Terminated``), and remembered: library code that swallows exceptions (pydantic's validators
    call ``isinstance`` back in Python, and drop what is raised there) may have eaten it, so it is
    raised again once the chunk being recorded is written (``check``)."""

    def __init__(self) -> None:
        self.requested: type[KeyboardInterrupt] | None = None

    def handler(self, signum: int, frame: object) -> None:
        self.requested = Terminated if signum == signal.SIGTERM else KeyboardInterrupt
        raise self.requested()

    def check(self) -> None:
        if self.requested is not None:
            raise self.requested()


@dataclass
class Batch:
    """Everything ``cmd_convert`` hands over."""

    paths: list[str]
    outdir: Path
    options_for: Callable[[str], Options]
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
    status: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    severity: Counter[str] = field(default_factory=Counter)  # documents having >= 1 diagnostic of a severity
    failed_docs: int = 0
    bad_error: int = 0
    bad_warning: int = 0

    def add(self, rec: DocRecord) -> None:
        """Count a document; an unchanged one counts with the status and diagnostics it had."""
        self.docs += 1
        self.status[rec.status] += 1
        if rec.status != "unchanged":
            self.codes.update(rec.codes or {})
        eff, sev = rec.effective
        for s, n in sev.items():
            if n:
                self.severity[s] += 1
        if eff == "failed":
            self.failed_docs += 1
        if eff in ("failed", "error") or sev.get("error"):
            self.bad_error += 1
        if sev.get("warning"):
            self.bad_warning += 1


def _chunk_size(total: int | None, jobs: int, fixed: int) -> int:
    if fixed:
        return fixed
    if total is None:
        return 100
    return max(1, min(100, -(-total // (20 * max(jobs, 1)))))


def _count(batch: Batch) -> int | None:
    if batch.from_list == "-":
        return None
    return sum(1 for _ in discover(batch.paths, batch.include, batch.exclude, batch.from_list))


def run_batch(batch: Batch) -> int:
    """Run the batch; returns the exit status (0, 1, or 2 on a usage or I/O error, or when another
    run holds the output directory)."""
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
    previous = {}
    stop = Stop()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):  # SIGTERM ends the run as ^C does
            previous[signum] = signal.signal(signum, stop.handler)
    try:
        return _run_locked(batch, outdir, total, version, index, report, stop)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        held.close()


def _run_locked(
    batch: Batch, outdir: Path, total: int | None, version: str, index: dict[str, str], report: TextIO, stop: Stop
) -> int:
    err = sys.stderr
    jobs = batch.jobs or os.cpu_count() or 1
    cfg = Config(
        outdir=str(outdir),
        timeout=batch.timeout,
        catalog=batch.catalog,
        print_level="info" if batch.verbose else ("error" if batch.quiet else "warning"),
        run_id=f"{int(time.time() * 1000):x}",
        version=version,
        manifest=True,
    )
    size = _chunk_size(total, jobs, batch.chunk_size)
    totals = Totals()
    progress = Progress(total, batch.quiet, batch.log_interval)
    seen: set[int] = set()

    def tasks() -> Iterator[list[Task]]:
        chunk: list[Task] = []
        for item in discover(batch.paths, batch.include, batch.exclude, batch.from_list):
            h = int.from_bytes(hashlib.blake2b(os.fsencode(item.out), digest_size=8).digest(), "little")
            if h in seen:  # the outputs are the other input's: nothing deleted, nothing catalogued
                consume(
                    [
                        failed_record(
                            item,
                            "batch.duplicate-output",
                            f"another input of this run already writes {item.out}.akn.xml",
                        )
                    ]
                )
                continue
            seen.add(h)
            options = batch.options_for(item.path)
            prior = None
            entry = index.get(item.out)
            if entry is not None:
                value, _, okey = entry.partition("\x00")
                if okey == options_key(options):
                    prior = value
                    if con is not None and not catalogued(item):
                        item = dataclasses.replace(item, catalogued=False)  # its row is made all the same
            chunk.append(Task(item, options, prior))
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    con = None
    if batch.catalog:
        try:
            con = catalog.connect(outdir / catalog.DEFAULT_NAME)
            # during the run: write-ahead log, synced at checkpoints only (a chunk's commit does
            # not wait for the disk; a crash loses at most the last rows, which a re-run makes
            # again from the outputs); back to a plain journal at the end (see below)
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            report.close()
            print(f"akn-pipeline: cannot open the catalogue: {exc}", file=err)
            return EXIT_USAGE

    def catalogued(item: Item) -> bool:
        assert con is not None
        return con.execute("SELECT 1 FROM documents WHERE file = ?", (catalog_key(item),)).fetchone() is not None

    def consume(records: list[DocRecord]) -> None:
        with deferred_signals():  # ^C or SIGTERM lands before or after: catalogue and report agree
            _consume(records)
        stop.check()

    def _consume(records: list[DocRecord]) -> None:
        rows = [rec.catalog for rec in records if rec.catalog is not None]
        if rows and con is not None:
            with con:  # one transaction for the records of a chunk
                catalog.write_rows(con, rows)
        for rec in records:
            for line in rec.log:
                progress.write(line)
            report.write(json.dumps(rec.report_line(), ensure_ascii=False, separators=(",", ":")) + "\n")
            totals.add(rec)
        report.flush()
        progress.update(len(records), totals.failed_docs)

    t0 = time.monotonic()
    interrupted: KeyboardInterrupt | None = None
    try:
        if batch.scheduler:
            run_dask(batch.scheduler, jobs, tasks(), cfg, consume)
        elif jobs == 1:
            run_serial(tasks(), cfg, consume)
        else:
            run_pool(jobs, tasks(), cfg, consume)
    except KeyboardInterrupt as exc:
        interrupted = exc
    finally:
        progress.close()
        report.close()
        if con is not None:
            _close_catalogue(con, err)
        try:
            merge_shards(outdir)
        except OSError as exc:
            print(f"akn-pipeline: could not merge the manifest shards: {exc}", file=err)
    if interrupted is not None:
        raise interrupted
    elapsed = time.monotonic() - t0
    if not batch.quiet and not progress.gone:
        try:
            print_summary(totals, total, outdir, elapsed, err)
        except BrokenPipeError:
            progress.lost()
    if batch.fail_on == "never":
        return EXIT_OK
    if totals.bad_error or (batch.fail_on == "warning" and totals.bad_warning):
        return EXIT_INVALID
    return EXIT_OK


def _close_catalogue(con: sqlite3.Connection, err: TextIO) -> None:
    """End the run's write-ahead log: back to one plain file, readable from read-only media.  When
    another connection holds the file, the log is at least checkpointed into it (and the file stays
    in WAL mode until the next run)."""
    try:
        con.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        print(
            f"akn-pipeline: the catalogue is still in use elsewhere ({exc}); its rows are written, "
            "in WAL mode until the next run",
            file=err,
        )
    con.close()


def print_summary(t: Totals, total: int | None, outdir: Path, elapsed: float, err: TextIO) -> None:
    converted = t.status["ok"] + t.status["error"]
    print(
        f"converted {converted} of {t.docs} documents ({t.status['error']} with errors, "
        f"{t.status['failed']} failed, {t.status['unchanged']} unchanged) into {outdir} "
        f"in {elapsed:.1f} s ({t.docs / elapsed if elapsed > 0 else 0:.0f} docs/s)",
        file=err,
    )
    print("  by status: " + ", ".join(f"{k} {v}" for k, v in sorted(t.status.items())), file=err)
    if t.codes:
        print("  by diagnostic code (this run):", file=err)
        for code, n in sorted(t.codes.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"    {n:8d}  {code}", file=err)
    print(f"  report: {outdir / REPORT}", file=err)
