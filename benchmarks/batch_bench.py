"""Batch benchmark: builds a corpus of N documents from samples/ and the development corpus (each copy
with its own resolution number, so symbols vary), then measures

- documents/s end to end (read, convert, both validations, write) with ``--jobs 1`` and all cores,
- per-stage time on one process (decode, normalise, segment, footnotes, XML build, serialise, XSD,
  JSON dump, JSON Schema, write),
- peak memory (max RSS of the parent and of the largest worker) of an all-cores batch at each N.

    python3 benchmarks/batch_bench.py --n 1000 --n 100000
    python3 benchmarks/batch_bench.py --n 1000 --single 1000      # quick

Every batch runs ``python -m pipeline convert`` in a fresh process, into a fresh directory, after
``sync`` (the write-back of the corpus and of earlier runs' outputs is not charged to the next run).
Nothing is deleted until the end: on these machines (ext4 mounted with ``discard`` on a virtual
disk) deleting a run's outputs slows the file creation of the runs that follow; measured, three
``--jobs 1`` runs of 10,000 documents took 25.7, 26.4, 25.9 s when each deleted the outputs of the
one before, and 21.6, 21.0 s when none did.  The ``--jobs 1`` and all-cores runs are interleaved
``--repeat`` times, after one untimed warm-up run, and medians reported: these shared machines have
slow spells.  Disk needed: about 32 KB per document converted (outputs and catalogue), all runs
together.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "corpus" / "hrc-dev" / "texts"  # the vendored development corpus
NUMBER = re.compile(r"^(\s*)(\d{1,3})/(\d{1,4})(\s*[.．])", re.M)


SAMPLES_ONLY = False


def sources() -> list[tuple[str, bytes]]:
    files = sorted((ROOT / "samples").glob("*.txt"))
    if not SAMPLES_ONLY:
        files += sorted(DEV.glob("*.txt"))
    return [(p.stem, p.read_bytes()) for p in files]


def build(dest: Path, n: int) -> None:
    """``n`` documents, 1,000 a directory; copy k of a resolution gets number 1000 + k."""
    src = sources()
    for k in range(n):
        stem, data = src[k % len(src)]
        text = data.decode("utf-8")
        text = NUMBER.sub(lambda m: f"{m.group(1)}{m.group(2)}/{1000 + k}{m.group(4)}", text, count=1)
        d = dest / f"d{k // 1000:04d}"
        if k % 1000 == 0:
            d.mkdir(parents=True, exist_ok=True)
        (d / f"{k:07d}_{stem}.txt").write_bytes(text.encode("utf-8"))


RUNNER = r"""
import json, resource, sys, time
from pipeline.cli import main
t = time.perf_counter()
rc = main(sys.argv[1:])
el = time.perf_counter() - t
print(json.dumps({"rc": rc, "seconds": el,
                  "parent_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def batch(inputs: list[str], jobs: int, workdir: Path, extra: tuple = ()) -> dict:
    out = Path(tempfile.mkdtemp(dir=workdir, prefix=f"out-j{jobs}-"))
    os.sync()  # start from a quiet disk: no write-back of the corpus or an earlier run's outputs
    r = subprocess.run([sys.executable, "-c", RUNNER, "convert", *inputs, "-o", str(out), "-q",
                        "--jobs", str(jobs), *extra], cwd=ROOT, capture_output=True, text=True)
    if r.returncode not in (0, 1) or not r.stdout.strip():
        raise SystemExit(f"batch failed: {r.stderr[-2000:]}")
    res = json.loads(r.stdout.strip().splitlines()[-1])
    statuses: dict[str, int] = {}
    with open(out / "report.jsonl", encoding="utf-8") as fh:
        for line in fh:
            s = json.loads(line)["status"]
            statuses[s] = statuses.get(s, 0) + 1
    res["statuses"] = statuses
    res["docs"] = sum(statuses.values())
    return res  # the outputs stay until the end: see the module docstring


def stages(n: int) -> dict[str, float]:
    """Median microseconds per document of each step, on one process."""
    sys.path.insert(0, str(ROOT))

    from pipeline.emit import akn, validate
    from pipeline.files import write_atomic
    from pipeline.context import Context, Options
    from pipeline.decode import decode
    import orjson

    from pipeline.stages import STAGES

    src = sources()
    times: dict[str, list[float]] = {}
    tmp = Path(tempfile.mkdtemp())
    validate.xsd(), validate.json_validator()  # load the schemas before the clock starts

    def clock(name, fn, *a, **kw):
        t = time.perf_counter()
        v = fn(*a, **kw)
        times.setdefault(name, []).append((time.perf_counter() - t) * 1e6)
        return v

    for k in range(n):
        stem, data = src[k % len(src)]
        path = tmp / f"{k}.txt"
        path.write_bytes(data)
        raw = clock("read", path.read_bytes)
        text, _ = clock("decode", decode, raw)
        ctx = Context(source=path.name, options=Options())
        value = text
        for name, stage in STAGES:
            value = clock(name, stage, value, ctx)
        value.diagnostics = list(ctx.sink.items)
        # as pipeline.emit.emit does it: the AKN written as text, parsed, validated
        writer = akn.Writer(value)
        tree = clock("xml build", writer.write)
        xml = clock("xml serialise", akn.serialise, tree, writer.taken)
        root = clock("xml parse", akn.parse, xml)
        clock("xml validate (XSD)", validate.xml_errors, root)
        # then one JSON instance, serialised and validated
        instance = clock("json instance", value.model_dump, mode="json")
        js = clock("json serialise", orjson.dumps, instance, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        clock("json validate (schema)", validate.json_errors, instance)
        clock("write 2 outputs", lambda: (write_atomic(tmp / f"{k}.akn.xml", xml), write_atomic(tmp / f"{k}.json", js)))
    shutil.rmtree(tmp)
    return {name: statistics.median(v) for name, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, action="append", help="corpus sizes (repeatable; default 1000 and 100000)")
    ap.add_argument("--single", type=int, default=2000,
                    help="documents for the --jobs 1 vs all-cores comparison (default 2000)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each of --jobs 1 and all cores, interleaved; medians are reported (default 3)")
    ap.add_argument("--samples-only", action="store_true",
                    help="build the corpus from samples/ only (documents of the samples' size, 5-8 KB)")
    ap.add_argument("--workdir", default=None, help="where to build corpora and write outputs (default: a temporary directory, removed at the end)")
    args = ap.parse_args()
    global SAMPLES_ONLY
    SAMPLES_ONLY = args.samples_only
    sizes = args.n or [1000, 100000]
    cores = os.cpu_count() or 1
    work = Path(args.workdir or tempfile.mkdtemp(prefix="akn-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}; sources: {len(sources())} texts, "
          f"mean {statistics.mean(len(d) for _, d in sources()) / 1024:.1f} KB")

    st = stages(200)
    total = sum(st.values())
    print("\nper-stage time, one process (median µs per document over 200 documents):")
    for name, us in st.items():
        print(f"  {name:24s} {us:9.0f} µs  {100 * us / total:5.1f} %")
    print(f"  {'sum':24s} {total:9.0f} µs  -> {1e6 / total:.0f} docs/s per core (stages only)")

    m = args.single
    corpus = work / f"corpus-{m}"
    build(corpus, m)
    batch([str(corpus)], cores, work)  # warm-up, untimed
    variants = {"as the acceptance defines it: read, convert, XSD + JSON Schema validation, write "
                "(with the report and the manifest; --no-catalog)": ("--no-catalog",),
                "the default run: the same and the SQLite catalogue (a row per document with "
                "its metadata and output checksums)": ()}
    runs: dict[tuple, list[dict]] = {(v, j): [] for v in variants.values() for j in (1, cores)}
    for _ in range(max(1, args.repeat)):  # interleaved: a slow spell of the machine hits all alike
        for (extra, jobs), done in runs.items():
            done.append(batch([str(corpus)], jobs, work, extra))
    print(f"\nend to end, {m} documents, median of {max(1, args.repeat)} runs each (interleaved):")
    for label, extra in variants.items():
        one, alln = (sorted(runs[extra, j], key=lambda r: r["seconds"])[len(runs[extra, j]) // 2]
                     for j in (1, cores))
        r1, rn = one["docs"] / one["seconds"], alln["docs"] / alln["seconds"]
        print(f"  {label}; statuses {one['statuses']}")
        for j, res, rate in ((1, one, r1), (cores, alln, rn)):
            every = ", ".join(f"{r['seconds']:.2f}" for r in runs[extra, j])
            print(f"    --jobs {j}   {res['seconds']:7.2f} s  {rate:7.0f} docs/s  ({rate / j:.0f} docs/s per core;"
                  f" all runs {every} s)")
        print(f"    speed-up 1 -> {cores} cores: {rn / r1:.2f}x")

    print(f"\npeak memory, all cores (--jobs {cores}):")
    peaks = {}
    for n in sizes:
        corpus = work / f"corpus-{n}"
        t = time.perf_counter()
        build(corpus, n)
        built = time.perf_counter() - t
        res = batch([str(corpus)], cores, work)
        peaks[n] = res
        print(f"  N={n:>7}: {res['docs']} docs in {res['seconds']:.1f} s ({res['docs'] / res['seconds']:.0f} docs/s), "
              f"parent max RSS {res['parent_maxrss_mb']:.1f} MiB, largest worker max RSS "
              f"{res['worker_maxrss_mb']:.1f} MiB (corpus built in {built:.0f} s; statuses {res['statuses']})")
    if len(peaks) > 1:
        lo, hi = min(peaks), max(peaks)
        print(f"  ratio N={hi} / N={lo}: parent {peaks[hi]['parent_maxrss_mb'] / peaks[lo]['parent_maxrss_mb']:.2f}x, "
              f"worker {peaks[hi]['worker_maxrss_mb'] / peaks[lo]['worker_maxrss_mb']:.2f}x")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
