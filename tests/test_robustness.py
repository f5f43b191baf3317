"""Robustness of the tools around the converter: hostile inputs of batch runs (FIFOs, missing and
undecodable listed paths, a second run on the same directory), output trees with sub-directories,
the catalogue kept in step with the outputs, safe links in the review pages, hostile files for
``validate``."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import bagit
import pytest
from lxml import etree
from lxml import html as lhtml

from pipeline.batch import run as batch_module
from pipeline import version as version_module
from pipeline.batch.manifest import LOCK
from pipeline.batch import worker as worker_module
from pipeline.library import catalog, html
from pipeline.batch.run import REPORT, Batch, run_batch
from pipeline.version import pipeline_version
from pipeline.ci.checks import Validator
from pipeline.cli import main, options_for, parser
from pipeline.model import Document, Footnote, Line, NoteRef, Operative, Paragraph, Part, Span, Text

from conftest import CORPUS, ROOT, SAMPLES

S1 = SAMPLES[0]  # converts (ok)


@pytest.fixture(autouse=True)
def pinned_version(monkeypatch):
    monkeypatch.setenv("AKN_PIPELINE_VERSION", "test-" + pipeline_version())


def cli(*args: str, stdin: str | bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=timeout)


def report(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / REPORT).read_text(encoding="utf-8").splitlines()]


def rows(outdir: Path) -> dict[str, dict]:
    return {r["file"]: r for r in catalog.query(outdir / "catalog.sqlite")}


def convert(*args: str) -> int:
    return main(["convert", *map(str, args), "-q", "--jobs", "1"])


# 1 -------------------------------------------------------------------------------------------

def test_json_unterminated_string_with_escaped_quotes_is_linear():
    """~1 MB of escaped quotes in a string never closed: refused at once, not after minutes."""
    v = Validator()
    hostile = b"[" * 10 + b'"' + b'\\"[' * 350_000  # brackets in the string: the depth scan runs
    assert len(hostile) > 1_000_000
    t = time.perf_counter()
    assert [f.code for f in v.check_json(hostile)] == ["input.not-wellformed"]
    reviewer = b"[" * 65 + b'"' + b'\\"' * 500_000  # the reviewer's file: deeper than 64 before the string
    assert [f.code for f in v.check_json(reviewer)] == ["input.too-deep"]
    assert [f.code for f in v.check_json(hostile + b"\\")] == ["input.not-wellformed"]
    assert time.perf_counter() - t < 5  # quadratic, this was hours
    # strings are still skipped correctly: brackets and escaped quotes inside them do not count
    from pipeline.ci.checks import json_scan
    assert json_scan(b'["\\\\", ' + b'"[",' * 100 + b' 1]', 64) is None
    assert json_scan(b"[" * 65 + b"]" * 65, 64) == ("too-deep", 1)


# 2 -------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_fifo_refused_and_the_run_goes_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    listed = tmp_path / "list.txt"
    listed.write_text(f"{fifo}\n", encoding="utf-8")
    out = tmp_path / "out"
    r = cli("convert", str(fifo), str(S1), "--from", str(listed), "-o", str(out), "--jobs", "1",
            "--timeout", "0", timeout=60)
    assert r.returncode == 1, r.stderr
    recs = report(out)
    fifo_recs = [x for x in recs if x["input"] == str(fifo)]
    assert fifo_recs and all(x["status"] == "failed" and x["reason"]["code"] in
                             ("input.unreadable", "batch.duplicate-output") for x in fifo_recs)
    assert fifo_recs[0]["reason"]["code"] == "input.unreadable"
    assert "not a regular file" in fifo_recs[0]["reason"]["message"]
    assert b"FIFO" in r.stderr
    assert [x["status"] for x in recs if x["input"] == str(S1)] == ["ok"]


@pytest.mark.slow
def test_alarm_covers_reading(tmp_path, monkeypatch):
    """The per-document timeout starts before the input is read (a read that never returns)."""
    real = worker_module.read_input

    def slow_read(path):
        if "slow" in path:
            time.sleep(10)
        return real(path)

    monkeypatch.setattr(worker_module, "read_input", slow_read)
    (tmp_path / "slow.txt").write_bytes(S1.read_bytes())
    args = parser().parse_args(["convert", "x"])
    t = time.monotonic()
    status = run_batch(Batch(paths=[str(tmp_path / "slow.txt")], outdir=tmp_path / "out", jobs=1, timeout=0.5,
                             options_for=lambda p: options_for(p, args, {}), quiet=True))
    assert time.monotonic() - t < 8 and status == 1
    assert report(tmp_path / "out")[0]["reason"]["code"] == "batch.timeout"


# 3, 4 ----------------------------------------------------------------------------------------

@pytest.fixture
def tree_out(tmp_path):
    """Inputs of the same name in two folders, and one at the top."""
    src = tmp_path / "in"
    for d in ("a", "b"):
        (src / d).mkdir(parents=True)
        (src / d / "same.txt").write_bytes(SAMPLES[0 if d == "a" else 1].read_bytes())
    (src / "top.txt").write_bytes(SAMPLES[2].read_bytes())
    out = tmp_path / "out"
    assert convert(src, "-o", out) == 0
    return out


@pytest.mark.slow
def test_bag_holds_outputs_in_sub_directories(tree_out, tmp_path):
    (tree_out / "a" / ".same.json.99.tmp").write_bytes(b"partial")
    assert main(["package", str(tree_out), str(tmp_path / "bag")]) == 0
    names = {p.relative_to(tmp_path / "bag").as_posix() for p in (tmp_path / "bag").rglob("*") if p.is_file()}
    for rel in ("a/same", "b/same", "top"):
        assert f"data/{rel}.akn.xml" in names and f"data/{rel}.json" in names
    assert not any(".tmp" in n or ".manifest.d" in n or ".akn-pipeline.lock" in n for n in names)
    assert bagit.Bag(str(tmp_path / "bag")).info["Document-Count"] == "3"


@pytest.mark.slow
def test_pages_and_catalogue_for_sub_directories(tree_out):
    assert main(["html", str(tree_out)]) == 0
    pages = tree_out / "html"
    assert (pages / "a" / "same.html").is_file() and (pages / "b" / "same.html").is_file()
    a, b = ((pages / d / "same.html").read_text(encoding="utf-8") for d in ("a", "b"))
    assert a != b  # two documents, not one page written twice
    assert 'href="../index.html"' in a
    index = lhtml.fromstring((pages / "index.html").read_bytes())
    hrefs = sorted(index.xpath("//table//a/@href"))
    assert hrefs == ["./a/same.html", "./b/same.html", "./top.html"]
    statuses = index.xpath("//tbody/tr/@data-status")
    assert statuses == ["ok", "ok", "ok"]
    db = catalog.build(tree_out, tree_out / "built.sqlite")
    built = {r["file"]: r for r in catalog.query(db)}
    assert set(built) == {"a/same.txt", "b/same.txt", "top.txt"} == set(rows(tree_out))
    assert built["a/same.txt"]["symbol"] != built["b/same.txt"]["symbol"]
    assert all(r["input_sha256"] for r in built.values())


# 5 -------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_index_links_are_relative_paths(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("javascript:alert(1).txt", "a#b?c.txt"):
        (src / name).write_bytes(S1.read_bytes())
    out = tmp_path / "out"
    assert convert(src, "-o", out) == 0
    assert main(["html", str(out)]) == 0
    index = lhtml.fromstring((out / "html" / "index.html").read_bytes())
    hrefs = sorted(index.xpath("//table//a/@href"))
    assert hrefs == ["./a%23b%3Fc.html", "./javascript%3Aalert%281%29.html"]
    for href in hrefs:
        from urllib.parse import unquote
        assert (out / "html" / unquote(href)).is_file()


# 6 -------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_document_that_now_fails_loses_its_outputs_and_reads_failed(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    doc = src / "doc.txt"
    doc.write_bytes(S1.read_bytes())
    assert convert(src, "-o", out) == 0
    assert (out / "doc.akn.xml").exists() and rows(out)["doc.txt"]["status"] == "ok"
    doc.write_bytes(b"")  # now empty: fails
    assert convert(src, "-o", out) == 1
    assert not (out / "doc.akn.xml").exists() and not (out / "doc.json").exists()
    row = rows(out)["doc.txt"]
    assert row["status"] == "failed" and row["symbol"] is None and row["title"] is None
    assert row["xml_sha256"] is None and row["input_sha256"] == catalog.sha256_file(doc)
    assert [d["code"] for d in catalog.diagnostics(out / "catalog.sqlite", "doc.txt")] == [report(out)[0]["reason"]["code"]]
    assert report(out)[0]["status"] == "failed"


@pytest.mark.slow
def test_timeout_and_exception_also_remove_the_old_pair(tmp_path, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "boom.txt").write_bytes(S1.read_bytes())
    assert convert(src, "-o", out) == 0
    real = worker_module.convert_file

    def boom(path, outdir, options, data=None, **kw):
        real(path, outdir, options, data, **kw)  # temporaries written, then the converter fails
        raise RuntimeError("injected")

    monkeypatch.setattr(worker_module, "convert_file", boom)
    assert main(["convert", str(src), "-o", str(out), "-q", "--jobs", "1", "--force"]) == 1
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("boom")) == []
    assert not list(out.glob(".*.tmp"))
    assert rows(out)["boom.txt"]["status"] == "failed"


# 7, 8 ----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_catalogue_filled_for_unchanged_documents(tmp_path):
    out = tmp_path / "out"
    assert convert(*SAMPLES[:2], "-o", out, "--no-catalog") == 0
    assert not (out / "catalog.sqlite").exists()
    assert convert(*SAMPLES[:2], "-o", out) == 0
    assert {r["status"] for r in report(out)} == {"unchanged"}  # not converted again ...
    assert sorted(rows(out)) == sorted(p.name for p in SAMPLES[:2])  # ... but catalogued
    assert all(r["xml_sha256"] and r["symbol"] for r in rows(out).values())
    (out / "catalog.sqlite").unlink()
    assert convert(*SAMPLES[:2], "-o", out) == 0
    assert sorted(rows(out)) == sorted(p.name for p in SAMPLES[:2])


@pytest.mark.slow
def test_statuses_after_a_re_run_are_the_previous_ones(tmp_path):
    out = tmp_path / "out"
    assert convert(*SAMPLES, "-o", out) == 0
    assert convert(*SAMPLES, "-o", out) == 0
    assert {r["status"] for r in report(out)} == {"unchanged"}
    assert main(["html", str(out)]) == 0
    index = lhtml.fromstring((out / "html" / "index.html").read_bytes())
    assert set(index.xpath("//tbody/tr/@data-status")) <= {"ok", "error"}
    page = lhtml.fromstring((out / "html" / f"{SAMPLES[0].stem}.html").read_bytes())
    assert page.xpath("string(//*[@id='status'])") in ("ok", "error")
    db = catalog.build(out, tmp_path / "b.sqlite")
    assert {r["status"] for r in catalog.query(db)} <= {"ok", "error"}


# 9 -------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_missing_and_undecodable_listed_paths_are_recorded(tmp_path):
    out = tmp_path / "out"
    listing = b"\n".join([str(tmp_path / "nope.txt").encode(), str(S1).encode(), str(tmp_path).encode() + b"/\xff.txt",
                          b"x\x00y.txt"]) + b"\n"
    r = cli("convert", "--from", "-", "-o", str(out), "-q", "--jobs", "1", stdin=listing)
    assert r.returncode == 1, r.stderr
    assert b"Traceback" not in r.stderr
    recs = {Path(x["input"]).name: x for x in report(out)}
    assert recs["nope.txt"]["status"] == "failed" and recs["nope.txt"]["reason"]["code"] == "input.unreadable"
    assert recs[S1.name]["status"] == "ok"
    assert len(recs) == 4 and all(x["reason"]["code"] == "input.unreadable"
                                  for n, x in recs.items() if n != S1.name)


@pytest.mark.slow
def test_input_deleted_after_counting(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for k in range(3):
        (src / f"d{k}.txt").write_bytes(S1.read_bytes())
    real_count = batch_module._count

    def count_then_delete(b):
        n = real_count(b)
        (src / "d1.txt").unlink()
        return n

    monkeypatch.setattr(batch_module, "_count", count_then_delete)
    args = parser().parse_args(["convert", "x"])
    listed = tmp_path / "list"
    listed.write_text("\n".join(str(src / f"d{k}.txt") for k in range(3)) + "\n", encoding="utf-8")
    status = run_batch(Batch(paths=[], from_list=str(listed), outdir=tmp_path / "out", jobs=1,
                             options_for=lambda p: options_for(p, args, {}), quiet=True))
    assert status == 1
    recs = {Path(x["input"]).name: x for x in report(tmp_path / "out")}
    assert recs["d1.txt"]["reason"]["code"] == "input.unreadable"
    assert recs["d0.txt"]["status"] == recs["d2.txt"]["status"] == "ok"


# 10 ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_junit_with_control_characters_and_undecodable_names(tmp_path):
    d = tmp_path / "v"
    d.mkdir()
    (d / "ctl\x01\x1b.json").write_bytes(b"{")
    (Path(os.fsdecode(bytes(d) + b"/bad\xff.json"))).write_bytes(b"[")
    r = cli("validate", str(d), "--format", "junit", "-q")
    assert r.returncode == 1, r.stderr
    root = etree.fromstring(r.stdout)
    names = root.xpath("//testcase/@name")
    assert len(names) == 2 and any("\\x01\\x1b" in n for n in names) and any("bad\\xff" in n for n in names)


# 11 ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_catalogue_path_with_uri_characters(tmp_path):
    d = tmp_path / "c#1" / "d?x%20y"
    d.mkdir(parents=True)
    db = d / "catalog.sqlite"
    out = tmp_path / "out"
    assert convert(S1, "-o", out, "--no-catalog") == 0
    catalog.build(out, db)
    assert [r["file"] for r in catalog.query(db)] == [S1.name]
    assert catalog.diagnostics(db, S1.name) is not None
    assert not (tmp_path / "c").exists()


# 12 + NoteRef.note ---------------------------------------------------------------------------

def _t(s):
    return [Text(text=s)]


def test_part_conclusions_rendered_inside_the_part():
    part = Part(num="A", heading=_t("标题"), body=[Operative(num="1.", inlines=_t("决定"), span=Span(start=3, end=3))],
                conclusions=[Line(role="meeting", inlines=_t("第 9 次会议"), span=Span(start=4, end=4))],
                span=Span(start=2, end=4))
    page = lhtml.fromstring(html.render_document(Document(source="x.txt", body=[part])))
    assert "第 9 次会议" in page.xpath("string(//section[contains(@class, 'part')])")


def test_footnotes_linked_by_note_index():
    """Two notes with marker 1 (an annex numbering its notes again): each citation goes to its own."""
    doc = Document(source="x.txt", preamble=[
        Paragraph(inlines=[Text(text="甲"), NoteRef(marker="1", note=0)], span=Span(start=1, end=1)),
        Paragraph(inlines=[Text(text="乙"), NoteRef(marker="1", note=1)], span=Span(start=2, end=2)),
        Paragraph(inlines=[Text(text="丙"), NoteRef(marker="1")], span=Span(start=3, end=3))],
        footnotes=[Footnote(marker="1", inlines=_t("一"), span=Span(start=9, end=9)),
                   Footnote(marker="1", inlines=_t("二"), span=Span(start=10, end=10))])
    page = lhtml.fromstring(html.render_document(doc))
    assert page.xpath("//sup[@class='noteref']/a/@href") == ["#fn-1", "#fn-2", "#fn-1"]  # no index: the marker
    back1 = page.xpath("//li[@id='fn-1']/a[@class='back']/@href")
    back2 = page.xpath("//li[@id='fn-2']/a[@class='back']/@href")
    assert len(back1) == 2 and len(back2) == 1 and not set(back1) & set(back2)
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))


# 13 ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_second_run_on_the_same_directory_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".keep.tmp").write_bytes(b"not convert's")
    with open(out / LOCK, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        r = cli("convert", str(S1), "-o", str(out), "-q", timeout=60)
    assert r.returncode == 2
    assert b"in use by another convert run" in r.stderr
    assert not (out / f"{S1.stem}.akn.xml").exists()
    assert convert(S1, "-o", out) == 0  # free again
    assert (out / ".keep.tmp").exists()


# 14 ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_outputs_renamed_only_after_the_timed_section(tmp_path, monkeypatch):
    real = worker_module.convert_file
    seen = {}

    def slow(path, outdir, options, data=None, **kw):
        result = real(path, outdir, options, data, **kw)
        seen["pending"] = list(kw.get("pending") or [])
        assert not any(final.exists() for _, final in seen["pending"])  # written, not yet renamed
        time.sleep(5)  # the timeout fires here, after both temporaries are written
        return result

    monkeypatch.setattr(worker_module, "convert_file", slow)
    args = parser().parse_args(["convert", "x"])
    out = tmp_path / "out"
    status = run_batch(Batch(paths=[str(S1)], outdir=out, jobs=1, timeout=0.5, quiet=True,
                             options_for=lambda p: options_for(p, args, {})))
    assert status == 1 and len(seen["pending"]) == 2
    assert report(out)[0]["reason"]["code"] == "batch.timeout"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".") and p.suffix != ".jsonl"
                  and p.suffix != ".sqlite") == []  # neither output, and no temporary
    assert not list(out.glob(".*.tmp"))


def test_convert_file_pending_leaves_renaming_to_the_caller(tmp_path):
    from pipeline.convert import convert_file
    from pipeline.files import commit
    from pipeline.context import Options
    pending = []
    result = convert_file(S1, tmp_path, Options(), pending=pending)
    assert result.status == "ok" and len(pending) == 2
    assert all(tmp.exists() and not final.exists() for tmp, final in pending)
    commit(pending)
    assert all(final.exists() and not tmp.exists() for tmp, final in pending)


# 15, 16 --------------------------------------------------------------------------------------

def test_tests_and_benchmarks_use_the_vendored_corpus():
    assert CORPUS.is_dir() and CORPUS.is_relative_to(ROOT)
    for f in [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").glob("*.py")]:
        if f.name == Path(__file__).name:
            continue
        text = f.read_text(encoding="utf-8")
        assert "/ " + '"shared"' not in text and "SHARED" not in text, f


@pytest.mark.slow
def test_validator_reads_at_most_max_bytes_of_a_special_file(tmp_path):
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
            "from pipeline.ci.checks import Validator; "
            f"r = Validator(max_bytes=1 << 20).validate_path({str(link)!r}); print([f.code for f in r.findings])")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "['input.too-large']", r.stderr


def test_pipeline_version_hashes_the_packaged_schemas(tmp_path, monkeypatch):
    import importlib.resources
    import shutil
    monkeypatch.delenv("AKN_PIPELINE_VERSION")
    monkeypatch.setattr(version_module, "_VERSION", None)
    first = version_module.pipeline_version()
    fake = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", fake)
    (fake / "xml.xsd").write_bytes((fake / "xml.xsd").read_bytes() + b"\n")
    real_files = importlib.resources.files
    monkeypatch.setattr(importlib.resources, "files",
                        lambda pkg: fake if pkg == "pipeline.schemas" else real_files(pkg))
    monkeypatch.setattr(version_module, "_VERSION", None)
    assert version_module.pipeline_version() != first
    monkeypatch.setattr(version_module, "_VERSION", None)


@pytest.mark.slow
def test_dead_code_gone_and_catalogue_independent_of_pages():
    import pipeline.cli as cli_module
    assert not hasattr(cli_module, "iter_inputs")
    r = subprocess.run([sys.executable, "-c", "import sys, pipeline.library.catalog; print('pipeline.library.html' in sys.modules)"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "False", r.stderr


def _temporary_in_child(path, queue):
    from pipeline.files import temporary_name
    queue.put((os.getpid(), temporary_name(path).name))


def test_temporary_names_carry_the_pid_of_the_process_that_writes():
    """Two workers never write the same temporary: the pid in the name is the writer's own, also
    in a process forked after the module was imported."""
    import multiprocessing as mp
    from pipeline.files import temporary_name
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_temporary_in_child, args=(Path("out/x.json"), queue))
    child.start()
    pid, name = queue.get(timeout=30)
    child.join(30)
    assert name == f".x.json.{pid}.tmp" and pid != os.getpid()
    assert temporary_name(Path("out/x.json")) == Path(f"out/.x.json.{os.getpid()}.tmp")


def test_failed_close_removes_the_temporary_and_keeps_its_error(tmp_path, monkeypatch):
    """A write whose close fails (a full disk, NFS quota at close) raises that error, closes the
    descriptor once, and leaves no temporary behind."""
    import errno
    from pipeline import files
    real_close, calls = os.close, []

    def failing_close(fd):
        calls.append(fd)
        real_close(fd)
        if len(calls) == 1:
            raise OSError(errno.EDQUOT, "Disk quota exceeded")

    monkeypatch.setattr(files.os, "close", failing_close)
    with pytest.raises(OSError) as exc:
        files.write_temporary(tmp_path / "x.json", b"{}")
    assert exc.value.errno == errno.EDQUOT
    assert len(calls) == 1
    assert not list(tmp_path.iterdir())


def test_xml_forbidden_non_characters_removed_and_reported():
    """U+FFFE and U+FFFF cannot be written in XML: they are removed like control characters and
    reported with their line; the document converts."""
    from pipeline.context import Context, Options
    from pipeline.convert import convert
    ctx = Context(source="t.txt", options=Options())
    out = convert("第76/1号决议。 标题\n\n大会，\n\n回顾\ufffe 决议，\n\n1. 决定\uffff x；\n", ctx)
    assert "\ufffe" not in out.xml.decode() and "\uffff" not in out.json.decode()
    assert [(d.code, d.line) for d in out.document.diagnostics if d.code == "normalise.control"] == [
        ("normalise.control", 5)]
