"""The state a batch keeps in its output directory: the manifest (shards
appended by every worker as documents finish, merged at the end; what makes re-runs incremental and
resumable after ``kill -9``), the lock that keeps a second run out, and the clean-up of temporary
files a killed run left."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import threading
from pathlib import Path
from typing import TextIO

from ..context import Options
from .discover import Item
from .records import Config, DocRecord

MANIFEST = "manifest.jsonl"


SHARDS = ".manifest.d"


_shard_fh: TextIO | None = None


_shard_key: tuple[str, str, int] | None = None


def _shard(cfg: Config) -> TextIO:
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
    assert _shard_fh is not None
    return _shard_fh


_shard_lock = threading.Lock()


def options_key(options: Options) -> str:
    """A short hash of the options a document is converted with: an entry is valid for them only."""
    values = [options.symbol, options.date, options.body, options.layout]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:12]


def append_entry(item: Item, options: Options, rec: DocRecord, cfg: Config) -> None:
    entry = {
        "key": item.out,
        "sha256": rec.sha256,
        "version": cfg.version,
        "options": options_key(options),
        "status": rec.status,
        "severity": rec.diagnostics if rec.diagnostics is not None else {},
        "input": item.path,
    }
    line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
    with _shard_lock:
        fh = _shard(cfg)
        fh.write(line)
        fh.flush()


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
"""The temporaries ``convert`` writes (``files.temporary_name``): ``.<output name>.<pid>.tmp``."""


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


def lock(outdir: Path) -> TextIO:
    """Take the output directory's lock (``DIR/.akn-pipeline.lock``, ``fcntl.flock``) for this run;
    returns the open file that holds it (closing it releases the lock; so does the process's
    death).  Raises ``Busy`` when another run holds it."""
    import fcntl  # POSIX only: loaded when a run takes its lock

    fh = open(outdir / LOCK, "a+")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise Busy(
            f"{outdir} is in use by another convert run (lock {outdir / LOCK}); "
            "wait for it to finish, or use another -o DIR"
        ) from None
    except OSError:  # a file system without locks: go on without one
        pass
    return fh
