"""Batch runs (pipeline/batch/): kill -9 and resume, corrupt inputs, determinism across --jobs and Dask,
incremental re-runs, input discovery, worker death, timeouts, --fail-on."""
from __future__ import annotations

import json
import os
import signal
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.batch.manifest import MANIFEST, SHARDS
from pipeline.batch.run import REPORT, Batch, run_batch
from pipeline.version import pipeline_version
from pipeline.cli import main, options_for

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
DEV = sorted((ROOT / "tests" / "corpus" / "hrc-dev" / "texts").glob("*.txt"))
SOURCES = SAMPLES + DEV
STATE = {REPORT, MANIFEST, "catalog.sqlite", ".akn-pipeline.lock"}

pytestmark = pytest.mark.slow


def corpus(dest: Path, n: int) -> list[Path]:
    """``n`` documents in two sub-directories, each a copy of a sample or development text."""
    out = []
    for k in range(n):
        src = SOURCES[k % len(SOURCES)]
        p = dest / f"part{k % 2}" / f"{k:05d}_{src.stem}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, p)
        out.append(p)
    return out


@pytest.fixture(autouse=True)
def pinned_version(monkeypatch):
    """The manifest keys on the pipeline version (a hash of the sources); pin it so that editing the
    sources while the tests run does not invalidate the manifest between two runs of one test."""
    monkeypatch.setenv("AKN_PIPELINE_VERSION", "test-" + pipeline_version())


def cli(*args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "convert", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def report(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / REPORT).read_text(encoding="utf-8").splitlines()]


def manifest_lines(outdir: Path) -> list[dict]:
    files = [outdir / MANIFEST] + sorted((outdir / SHARDS).glob("*.jsonl"))
    out = []
    for f in files:
        if f.exists():
            for line in f.read_text(encoding="utf-8").splitlines():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    return out


def outputs(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.name not in STATE and SHARDS not in p.parts}


def catalog_rows(outdir: Path) -> list[tuple]:
    import sqlite3
    con = sqlite3.connect(outdir / "catalog.sqlite")
    try:
        cols = [r[1] for r in con.execute("PRAGMA table_info(documents)") if r[1] != "id"]
        return con.execute(f"SELECT {', '.join(cols)} FROM documents ORDER BY file").fetchall()
    finally:
        con.close()


def temporaries(outdir: Path) -> list[Path]:
    return [p for p in outdir.rglob("*") if p.name.endswith(".tmp")]


def test_kill_9_and_resume(tmp_path):
    """A run killed with SIGKILL part-way and started again converts every document exactly once and
    leaves no partial or temporary file."""
    src, out = tmp_path / "in", tmp_path / "out"
    docs = corpus(src, 600)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "convert", str(src), "-o", str(out), "-q",
                             "--jobs", "2", "--chunk-size", "4"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(manifest_lines(out)) >= 100:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = {e["key"] for e in manifest_lines(out)}
    assert 100 <= len(first) < len(docs), "the kill did not land part-way"
    (out / "part0" / ".00000_x.akn.xml.4242.tmp").write_bytes(b"half")  # as a kill mid-write leaves
    (out / "part0" / ".notes.tmp").write_bytes(b"mine")  # not a name convert writes: left alone
    r = cli(str(src), "-o", str(out), "-q", "--jobs", "2")
    assert r.returncode == 0, r.stderr
    second = {Path(rec["outputs"][0][:-len(".akn.xml")]).as_posix() for rec in report(out)
              if rec["status"] in ("ok", "error")}
    assert not first & second, "a document finished before the kill was converted again"
    assert first | second == {f"{p.parent.name}/{p.stem}" for p in docs}
    keys = [e["key"] for e in manifest_lines(out)]
    assert len(keys) == len(set(keys)) == len(docs), "each document recorded exactly once"
    assert temporaries(out) == [out / "part0" / ".notes.tmp"]
    assert not (out / SHARDS).exists()
    for p in docs:
        for suffix in (".akn.xml", ".json"):
            assert (out / p.parent.name / (p.stem + suffix)).stat().st_size > 0


def test_corrupt_documents_mixed_in(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    good = corpus(src, 8)
    (src / "bad_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    (src / "bad_empty.txt").write_bytes(b"")
    (src / "bad_undecodable.txt").write_bytes("决议".encode() + b"\n\x80\x80\xff\xfe\xfa garbage\n")
    (src / "bad_nostructure.txt").write_text("hello world\nthis is not a UN document at all\n", encoding="utf-8")
    r = cli(str(src), "-o", str(out), "--jobs", "2")
    assert r.returncode == 1
    recs = {Path(rec["input"]).name: rec for rec in report(out)}
    assert len(recs) == len(good) + 4
    for p in good:
        assert recs[p.name]["status"] == "ok"
        assert (out / p.parent.name / (p.stem + ".akn.xml")).exists()
    for name, code in [("bad_binary.txt", "input.binary"), ("bad_empty.txt", "input.empty"),
                       ("bad_undecodable.txt", "input.undecodable")]:
        rec = recs[name]
        assert rec["status"] == "failed" and rec["outputs"] == []
        assert rec["reason"]["code"] == code and rec["reason"]["message"]
        assert not (out / (name[:-4] + ".akn.xml")).exists()
        assert f"{name}:" in r.stderr and code in r.stderr
    rec = recs["bad_nostructure.txt"]
    assert rec["status"] in ("error", "failed")
    assert "segment.no-structure" in rec["codes"] or rec["status"] == "failed"
    assert rec.get("errors") or rec.get("reason")
    # the summary counts by status and by code
    assert "by status:" in r.stderr and "input.binary" in r.stderr
    assert temporaries(out) == []


def test_outputs_identical_jobs_1_2_and_dask(tmp_path):
    inputs = [str(p) for p in SOURCES]
    runs = {}
    for name, extra in [("j1", ["--jobs", "1"]), ("j2", ["--jobs", "2"]),
                        ("dask", ["--jobs", "2", "--scheduler", "local"])]:
        out = tmp_path / name
        r = cli(*inputs, "-o", str(out), "-q", *extra, timeout=80)
        assert r.returncode == 0, r.stderr
        assert len(report(out)) == len(SOURCES)
        runs[name] = outputs(out)
    assert len(runs["j1"]) == 2 * len(SOURCES)
    # the catalogue convert fills holds the same rows whatever the number of workers
    rows = {name: catalog_rows(tmp_path / name) for name in runs}
    assert len(rows["j1"]) == len(SOURCES) and rows["j1"] == rows["j2"] == rows["dask"]
    assert runs["j1"] == runs["j2"] == runs["dask"]
    for p in SAMPLES:  # and the samples' outputs are output/ byte for byte
        for suffix in (".akn.xml", ".json"):
            assert runs["dask"][p.stem + suffix] == (ROOT / "output" / (p.stem + suffix)).read_bytes()


def test_incremental_rerun(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    docs = corpus(src, 12)
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "2"]) == 0
    assert {rec["status"] for rec in report(out)} == {"ok"}
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.akn.xml")}
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "2"]) == 0
    assert [rec["status"] for rec in report(out)] == ["unchanged"] * len(docs)
    changed = docs[3]
    changed.write_bytes(SOURCES[5].read_bytes())
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "2"]) == 0
    recs = report(out)
    assert [Path(r["input"]) for r in recs if r["status"] != "unchanged"] == [changed]
    assert {p for p, m in mtimes.items() if p.stat().st_mtime_ns != m} == \
        {out / changed.parent.name / (changed.stem + ".akn.xml")}
    # other options (here --body) make the earlier entries invalid
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "1", "--body", "un-ga-hrc"]) in (0, 1)
    assert all(r["status"] != "unchanged" for r in report(out))
    # a deleted output is written again
    target = out / docs[0].parent.name / (docs[0].stem + ".json")
    target.unlink()
    main(["convert", str(src), "-o", str(out), "-q", "--jobs", "1", "--body", "un-ga-hrc"])
    assert target.exists()
    assert [r["status"] for r in report(out)].count("unchanged") == len(docs) - 1


def test_include_exclude_and_from(tmp_path):
    src = tmp_path / "in"
    for rel in ["a/one.txt", "a/skip_two.txt", "a/deep/three.txt", "b/four.txt", "b/five.text", "c/six.txt"]:
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES[0], p)

    def converted(out: Path) -> set[str]:
        return {rec["input"].replace(os.sep, "/").split("/in/", 1)[1] for rec in report(out)}

    out = tmp_path / "o1"
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "1",
                 "--exclude", "skip_*", "--exclude", "c"]) == 0
    assert converted(out) == {"a/one.txt", "a/deep/three.txt", "b/four.txt"}
    assert (out / "a" / "deep" / "three.akn.xml").exists()  # the tree is mirrored
    out = tmp_path / "o2"
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "1",
                 "--include", "*.text", "--include", "a/deep/*.txt"]) == 0
    assert converted(out) == {"b/five.text", "a/deep/three.txt"}
    listing = tmp_path / "list.txt"
    listing.write_text(f"# inputs\n{src / 'b/four.txt'}\n\n{src / 'a'}\n", encoding="utf-8")
    out = tmp_path / "o3"
    assert main(["convert", "--from", str(listing), "-o", str(out), "-q", "--jobs", "1",
                 "--exclude", "deep"]) == 0
    assert converted(out) == {"b/four.txt", "a/one.txt", "a/skip_two.txt"}
    out = tmp_path / "o4"
    r = cli("--from", "-", "-o", str(out), "-q", "--jobs", "2", stdin=f"{src / 'c/six.txt'}\n{src / 'b'}\n")
    assert r.returncode == 0, r.stderr
    assert converted(out) == {"c/six.txt", "b/four.txt"}
    assert cli(str(src / "missing"), "-o", str(tmp_path / "o5")).returncode == 2
    assert cli(str(src / "a"), "--include", "*.none", "-o", str(tmp_path / "o6")).returncode == 2


def _faulty_convert_file(real):
    def convert_file(path, outdir, options, data=None, **kw):
        if "crash" in path.name:
            os.kill(os.getpid(), signal.SIGKILL)
        if "hang" in path.name:
            time.sleep(30)
        if "boom" in path.name:
            raise RuntimeError("injected failure")
        return real(path, outdir, options, data, **kw)
    return convert_file


def test_worker_death_timeout_and_exception_isolated(tmp_path, monkeypatch):
    """A worker killed while converting a document does not lose the batch: the unfinished documents
    are run again and the one that killed it is recorded; a timeout and an exception are recorded too."""
    import pipeline.batch.worker as worker_module
    import pipeline.cli as cli_module
    src, out = tmp_path / "in", tmp_path / "out"
    docs = corpus(src, 30)
    for name in ("crash", "hang", "boom"):
        shutil.copyfile(SAMPLES[1], src / "part1" / f"00007_{name}.txt")
    monkeypatch.setattr(worker_module, "convert_file", _faulty_convert_file(worker_module.convert_file))
    args = cli_module.parser().parse_args(["convert", str(src), "-o", str(out)])
    status = run_batch(Batch(paths=[str(src)], outdir=out, options_for=lambda p: options_for(p, args, {}),
                             jobs=2, chunk_size=3, timeout=1.0, quiet=True))
    assert status == 1
    recs = report(out)
    assert sorted(Path(r["input"]).name for r in recs) == sorted([p.name for p in docs] +
                                                                 ["00007_crash.txt", "00007_hang.txt",
                                                                  "00007_boom.txt"])
    by = {Path(r["input"]).stem: r for r in recs}
    assert by["00007_crash"]["status"] == "failed"
    assert by["00007_crash"]["reason"]["code"] == "batch.worker-died"
    assert "died" in by["00007_crash"]["reason"]["message"]  # with the signal when the pool still knows it
    assert by["00007_hang"]["reason"]["code"] == "batch.timeout"
    assert by["00007_boom"]["reason"]["code"] == "batch.exception"
    assert "injected failure" in by["00007_boom"]["reason"]["message"]
    assert all(by[p.stem]["status"] == "ok" for p in docs)
    assert temporaries(out) == []


def test_fail_on_and_progress_lines(tmp_path):
    cd = next(p for p in SAMPLES if p.name.startswith("004"))  # metadata.missing: a warning
    out = tmp_path / "o"
    r = cli(str(cd), "-o", str(out), "--jobs", "1", "--fail-on", "warning", "--force", "--log-interval", "0")
    assert r.returncode == 1
    assert "progress: 1/1 documents" in r.stderr and "metadata.missing" in r.stderr
    assert cli(str(cd), "-o", str(out), "--jobs", "1", "--fail-on", "error").returncode == 0
    # unchanged documents keep counting with their recorded status
    assert cli(str(cd), "-o", str(out), "--jobs", "1", "--fail-on", "warning").returncode == 1
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert cli(str(bad), "-o", str(out), "--fail-on", "never").returncode == 0
    assert cli(str(bad), "-o", str(out)).returncode == 1


def _walk_reference(root: Path, include: list[str], exclude: list[str]):
    """Discovery as ``os.walk`` does it (the first implementation): the order and the choices the
    directory-listing walk must keep."""
    from pipeline.batch.discover import _matches, _stem
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        if exclude:
            dirnames[:] = [d for d in dirnames if not _matches(rel_dir + d, exclude)]
        for name in sorted(filenames):
            rel = rel_dir + name
            if _matches(rel, include) and not _matches(rel, exclude):
                full = os.path.join(dirpath, name)
                if os.path.isfile(full):
                    yield full, rel_dir + _stem(name)


def test_discovery_order_links_and_exclusions(tmp_path):
    from pipeline.batch.discover import discover
    src = tmp_path / "in"
    for rel in ["b/2.txt", "b/10.txt", "a/z.txt", "a/B.txt", "a/sub/x.txt", "a/skip/y.txt", "top.txt",
                "a/notes.md", "c d/é.txt"]:
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    os.symlink(src / "b" / "2.txt", src / "a" / "link.txt")            # a link to a file: read
    os.symlink(src / "b", src / "a" / "linkdir")                        # a link to a directory: not walked
    os.symlink(src / "missing.txt", src / "a" / "dangling.txt")        # a dangling link: skipped
    (src / "a" / "dir.txt").mkdir()                                      # a directory named *.txt
    for include, exclude in ((["*.txt"], []), (["*.txt"], ["skip", "b/1*"]), (["*.txt", "*.md"], ["a/sub/*"])):
        got = [(i.path, i.out) for i in discover([str(src)], include, exclude)]
        assert got == list(_walk_reference(src, include, exclude)), (include, exclude)
        assert got  # not vacuous


def test_catalogue_is_one_file_after_a_run(tmp_path):
    """The catalogue is written with a write-ahead log during the run and left as one plain SQLite
    file: readable from read-only media, no -wal or -shm beside it."""
    import sqlite3
    out = tmp_path / "out"
    assert main(["convert", str(SAMPLES[0]), "-o", str(out), "-q", "--jobs", "1"]) == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("catalog")) == ["catalog.sqlite"]
    con = sqlite3.connect(out / "catalog.sqlite")
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    finally:
        con.close()


def test_sigterm_closes_the_run(tmp_path):
    """SIGTERM (a job scheduler, ``timeout``) ends the run as ^C does: exit 143, the report closed,
    the manifest merged, the catalogue one plain file with the rows of the finished documents."""
    import sqlite3
    src = tmp_path / "in"
    corpus(src, 400)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "convert", str(src), "-o", str(out), "-q",
                             "--jobs", "1", "--chunk-size", "5"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not ((out / REPORT).exists() and (out / REPORT).stat().st_size > 0):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    done = report(out)
    assert 0 < len(done) < 400
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("catalog")) == ["catalog.sqlite"]
    con = sqlite3.connect(out / "catalog.sqlite")
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(done)
    finally:
        con.close()
    assert not (out / SHARDS).exists() or not list((out / SHARDS).glob("*.jsonl"))
    assert len(manifest_lines(out)) == len(done)
    assert not temporaries(out)


def test_log_reader_going_away_does_not_stop_the_run(tmp_path):
    """``convert ... 2>&1 | head`` or a log shipper that dies: the run goes on without its log and
    converts everything; the report has every document."""
    src = tmp_path / "in"
    corpus(src, 40)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "convert", str(src), "-o", str(out), "--jobs", "2",
                             "--chunk-size", "2", "--log-interval", "0"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc.stderr.read(1)  # the first line has come: the reader goes away
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert len(report(out)) == 40 and {r["status"] for r in report(out)} == {"ok"}
    assert len(list(out.rglob("*.akn.xml"))) == 40


def test_sigterm_swallowed_by_library_code_still_ends_the_run(tmp_path, monkeypatch):
    """A SIGTERM that lands in code that drops exceptions (pydantic's validators call isinstance back
    in Python) is raised again once the chunk being recorded is written: exit 143, the report has
    the documents finished before it."""
    import pipeline.batch.worker as worker_module
    from pipeline.files import Terminated
    src = tmp_path / "in"
    corpus(src, 12)
    real, calls = worker_module.convert_file, []

    def swallowing(path, outdir, options, data=None, **kw):
        calls.append(path)
        if len(calls) == 3:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.5)  # the handler runs here, and its exception is dropped
            except Terminated:
                pass
        return real(path, outdir, options, data, **kw)

    monkeypatch.setattr(worker_module, "convert_file", swallowing)
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "1", "--chunk-size", "5"]) == 143
    assert len(report(out)) == 5  # the chunk the signal landed in, written; nothing after it
