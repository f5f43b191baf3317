"""Validation throughput: the sample outputs, validated over and over as ``validate`` does it.

Each round reads every ``*.akn.xml`` (and, reported separately, ``*.json``) in ``--dir`` from disk
and runs the full check: size limit, DOCTYPE/entity refusal, safe parse, strict OASIS XSD and
the AKN4UN profile checks.  Schemas are loaded once, before timing.  One process on one core:
files/s per core is validations per CPU-second of the process (the wall-clock rate is printed
too; it drops when other processes share the core).

    python benchmarks/validate_bench.py [--dir output] [--seconds 5]

Target (issue 5): >= 2000 AKN files/s per core.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ci.checks import Validator  # noqa: E402

TARGET = 2000


def bench(validator: Validator, files: list[Path], seconds: float) -> tuple[int, float, float, int]:
    """Whole rounds over ``files`` for about ``seconds``: (validations, wall s, CPU s, invalid)."""
    n = bad = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        for path in files:
            bad += not validator.validate_path(path).valid
            n += 1
        wall = time.perf_counter() - wall0
        if wall >= seconds:
            return n, wall, time.process_time() - cpu0, bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=str(ROOT / "output"))
    ap.add_argument("--seconds", type=float, default=5.0, help="time per kind of file (default 5)")
    ap.add_argument("--repeat", type=int, default=5, help="timed windows per kind (default 5)")
    args = ap.parse_args(argv)
    xml = sorted(Path(args.dir).glob("*.akn.xml"))
    js = sorted(Path(args.dir).glob("*.json"))
    if not xml:
        print(f"no *.akn.xml in {args.dir}", file=sys.stderr)
        return 2
    v = Validator()
    t = time.perf_counter()
    v.warm()
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} logical CPUs; "
          f"schemas loaded once in {time.perf_counter() - t:.3f}s")
    sizes = sum(p.stat().st_size for p in xml) / len(xml)
    ok = True
    for label, files in (("AKN XML (XSD + profile)", xml), ("JSON (schema + version)", js)):
        if not files:
            continue
        bench(v, files, min(0.5, args.seconds))  # warm-up
        runs = [bench(v, files, args.seconds / args.repeat) for _ in range(args.repeat)]
        n = sum(r[0] for r in runs)
        wall = sum(r[1] for r in runs)
        cpu = sum(r[2] for r in runs)
        bad = sum(r[3] for r in runs)
        cpu_rates = sorted(r[0] / r[2] for r in runs if r[2])
        print(f"{label}: {len(files)} files, {n} validations in {wall:.2f}s wall / {cpu:.2f}s CPU")
        print(f"  {n / cpu:,.0f} files/s per core (CPU time; best of {args.repeat} windows "
              f"{cpu_rates[-1]:,.0f}, median {cpu_rates[len(cpu_rates) // 2]:,.0f}); "
              f"{n / wall:,.0f} files/s wall-clock; {bad} invalid")
        if files is xml:
            rate = n / cpu
            print(f"  mean AKN file size {sizes / 1024:.1f} KiB; target >= {TARGET} files/s per core: "
                  f"{'met' if rate >= TARGET else 'NOT met'}")
            ok = ok and rate >= TARGET and bad == 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average during the run: {load:.2f} on {os.cpu_count()} CPUs "
          f"(wall-clock rates fall when other processes share the cores; CPU-time rates much less)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
