"""Command line: ``akn-pipeline convert|validate|inspect|schema|html|catalog|package|verify-bag``.

Argument parsing and one ``cmd_*`` function per command, nothing else; nothing imports this module
(but ``__main__``).  A command's module is imported when the command runs, so that ``--help`` and
the small commands start fast.  Exit statuses (``pipeline.exits``): 0 success; 1 a document failed
or carried an error diagnostic (``convert``) or a file is invalid (``validate``); 2 usage or I/O
error; 130 ^C; 143 SIGTERM.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from . import __version__
from .bodies import CODES
from .context import Context, Options
from .decode import InputError, decode
from .exits import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE
from .files import Terminated
from .sidecar import SidecarError, check_date, read_sidecar
from .stages import STAGE_NAMES, run


def options_for(path: Path | str, args: argparse.Namespace, sidecar: dict[str, dict[str, str]]) -> Options:
    """The options of one input: the command line's, completed by its side-car row (looked up by
    file name, then by stem)."""
    row: dict[str, str] = {}
    if sidecar:
        name = os.path.basename(path)
        row = sidecar.get(name) or sidecar.get(Path(name).stem) or {}
    return Options(
        symbol=args.symbol or row.get("symbol"),
        date=args.date or row.get("date"),
        body=args.body or row.get("body"),
        layout=getattr(args, "layout", None),
    )


def cmd_convert(args: argparse.Namespace) -> int:
    """Batch conversion (``pipeline.batch``): worker pool or Dask, report, manifest, --fail-on."""
    from .batch.run import Batch, run_batch

    if not args.paths and not args.from_list:
        print("akn-pipeline: convert needs PATH... or --from FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        sidecar = read_sidecar(args.meta)
    except (OSError, csv.Error, SidecarError) as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 0:
        print("akn-pipeline: --jobs must be 0 (all cores) or more", file=sys.stderr)
        return EXIT_USAGE
    fixed = options_for("", args, {})  # without a side-car, every input has the command line's

    def options(path: str) -> Options:
        return options_for(path, args, sidecar) if sidecar else fixed

    return run_batch(
        Batch(
            paths=list(args.paths),
            outdir=Path(args.output),
            options_for=options,
            include=args.include or [],
            exclude=args.exclude or [],
            from_list=args.from_list,
            jobs=args.jobs or 0,
            chunk_size=args.chunk_size,
            timeout=args.timeout,
            scheduler=args.scheduler,
            fail_on=args.fail_on,
            quiet=args.quiet,
            verbose=args.verbose,
            incremental=not args.force,
            log_interval=args.log_interval,
            catalog=not args.no_catalog,
        )
    )


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate .xml (strict XSD + AKN4UN profile) and .json (schema + version) files for CI."""
    from .ci.checks import UsageError, Validator, expand, resolve_disabled
    from .ci.reports import render, summary

    try:
        disabled = resolve_disabled(args.disable)
        files = expand(args.paths)
    except UsageError as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not files:
        print("akn-pipeline: no .xml or .json files found", file=sys.stderr)
        return EXIT_USAGE
    if args.max_bytes < 1:
        print("akn-pipeline: --max-bytes must be positive", file=sys.stderr)
        return EXIT_USAGE
    validator = Validator(disabled=disabled, max_bytes=args.max_bytes)
    results = [validator.validate_path(p) for p in files]
    sys.stdout.write(render(results, args.format))
    s = summary(results)
    if not args.quiet:
        print(f"{s['valid']} of {s['files']} files valid", file=sys.stderr)
    if any(r.io_error for r in results):
        return EXIT_USAGE
    return EXIT_INVALID if s["invalid"] else EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text, notes = decode(path.read_bytes())
    except OSError as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(f"{path}:{exc.line}: error {exc.code}: {exc.message}", file=sys.stderr)
        return EXIT_INVALID
    ctx = Context(source=str(path), options=Options(layout=args.layout))
    for code, message, line in notes:
        ctx.report(code, line, message)
    value = run(text, ctx, stop_after=args.stop_after)
    from .inspect import describe

    print(describe(value, str(path)))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .emit import schema

    text = schema.dumps(schema.generate())
    if args.write:
        Path("schemas", schema.FILENAME).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="akn-pipeline", description="UN documents in Chinese (PDF-extracted text) -> AKN4UN XML and JSON"
    )
    ap.add_argument("--version", action="version", version=f"akn-pipeline {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    c = sub.add_parser("convert", help="convert .txt files (or directory trees of them)")
    c.add_argument("paths", nargs="*", help="files, or directories searched recursively")
    c.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="in directories, convert the files matching GLOB (repeatable; default *.txt; "
        "a GLOB with / matches the path under the directory)",
    )
    c.add_argument("--exclude", action="append", metavar="GLOB", help="skip files or directories (repeatable)")
    c.add_argument(
        "--from", dest="from_list", metavar="FILE", help="read input paths from FILE, one a line (- : stdin)"
    )
    c.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: all cores; 1: in process)")
    c.add_argument("--chunk-size", type=int, default=0, help="documents per task (default: automatic)")
    c.add_argument("--timeout", type=float, default=60.0, help="seconds per document (0: none; default 60)")
    c.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask distributed scheduler (tcp://host:8786), or 'local' for a LocalCluster",
    )
    c.add_argument(
        "--fail-on",
        choices=["error", "warning", "never"],
        default="error",
        help="exit 1 when a document failed or has errors (default), also warnings, or never",
    )
    c.add_argument("--force", action="store_true", help="convert every input, ignoring the manifest")
    c.add_argument(
        "--no-catalog", action="store_true", help="do not record the documents in DIR/catalog.sqlite (docs/catalog.md)"
    )
    c.add_argument("--log-interval", type=float, default=10.0, help="seconds between progress lines off a terminal")
    c.add_argument("-o", "--output", default="output", help="output directory (default: output)")
    c.add_argument("--symbol", help="document symbol, when the text does not give it")
    c.add_argument("--date", help="adoption or issue date, YYYY-MM-DD")
    c.add_argument("--body", choices=CODES, help="author body, when the text does not name it")
    c.add_argument("--meta", help="side-car CSV: file,symbol,date,body")
    c.add_argument("--layout", choices=["lines", "wrapped"], help="force the input layout")
    c.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    c.add_argument("-v", "--verbose", action="store_true", help="print every diagnostic")
    c.set_defaults(func=cmd_convert)

    v = sub.add_parser(
        "validate",
        help="validate .xml (AKN XSD + AKN4UN profile) and .json (schema) files",
        description="Validate files, directories (recursive .xml/.json) and globs. Exit status: "
        "0 all valid, 1 a file is invalid, 2 usage or I/O error.",
    )
    v.add_argument("paths", nargs="+", help="files, directories or globs")
    v.add_argument(
        "--format",
        choices=["human", "json", "junit", "github"],
        default="human",
        help="report format on stdout (default: human, file:line: code: message)",
    )
    v.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="CODE",
        help="switch a check off by its code (or a glob, akn.frbr-*); repeatable",
    )
    from .ci.checks import DEFAULT_MAX_BYTES, byte_size

    v.add_argument(
        "--max-bytes",
        type=byte_size,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="refuse files larger than N bytes (suffixes k, M, G; default 16M)",
    )
    v.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    v.set_defaults(func=cmd_validate)

    i = sub.add_parser("inspect", help="show how a document was segmented")
    i.add_argument("file")
    i.add_argument("--stop-after", choices=STAGE_NAMES)
    i.add_argument("--layout", choices=["lines", "wrapped"])
    i.set_defaults(func=cmd_inspect)

    s = sub.add_parser("schema", help="print (or --write) the JSON Schema of the document model")
    s.add_argument("--write", action="store_true")
    s.set_defaults(func=cmd_schema)
    h = sub.add_parser("html", help="HTML review pages and an index from a folder of JSON outputs")
    h.add_argument("outdir", help="folder of <stem>.json outputs (and report.jsonl)")
    h.add_argument("--dest", help="where to write the pages (default: OUTDIR/html)")
    h.set_defaults(func=cmd_html)

    k = sub.add_parser("catalog", help="query a SQLite catalogue (catalog DB) or fill one (catalog build OUTDIR)")
    k.add_argument("target", nargs="+", metavar="DB | build OUTDIR")
    k.add_argument("--db", help="catalogue to fill with build (default: OUTDIR/catalog.sqlite)")
    k.add_argument("--inputs", action="append", help="directory of the .txt inputs, for their checksums (build)")
    k.add_argument("--symbol", help="documents with this symbol (SQL % wildcards)")
    k.add_argument("--kind", help="resolution, decision, statement, document")
    k.add_argument("--body", help=", ".join(CODES))
    k.add_argument("--code", help="documents carrying this diagnostic code")
    k.add_argument("--csv", metavar="FILE", help="export the matching documents as CSV (- for stdout)")
    k.add_argument("--json", action="store_true", help="print the matching documents as JSON")
    k.set_defaults(func=cmd_catalog)

    g = sub.add_parser("package", help="bag a batch's outputs (BagIt, sha256 and sha512 manifests)")
    g.add_argument("outdir")
    g.add_argument("bagdir")
    g.set_defaults(func=cmd_package)

    y = sub.add_parser("verify-bag", help="check a bag's fixity; name changed or missing files")
    y.add_argument("bagdir")
    y.set_defaults(func=cmd_verify_bag)
    return ap


def cmd_html(args: argparse.Namespace) -> int:
    from .library import html

    outdir = Path(args.outdir)
    if not outdir.is_dir():
        print(f"akn-pipeline: {outdir}: not a directory", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = html.build(outdir, Path(args.dest) if args.dest else None)
    except OSError as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {len(written) - 1} pages and {written[-1]}", file=sys.stderr)
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    import sqlite3

    from .library import catalog

    try:
        if args.target[0] == "build" and len(args.target) == 2:
            db = catalog.build(args.target[1], args.db, args.inputs or ())
            print(f"catalogued {len(catalog.query(db))} documents in {db}", file=sys.stderr)
            return EXIT_OK
        if len(args.target) != 1:
            print(
                "akn-pipeline: usage: catalog DB [--symbol S] [--csv FILE] | catalog build OUTDIR [--db DB]",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if not Path(args.target[0]).is_file():
            print(f"akn-pipeline: {args.target[0]}: no such catalogue", file=sys.stderr)
            return EXIT_USAGE
        rows = catalog.query(args.target[0], symbol=args.symbol, kind=args.kind, body=args.body, code=args.code)
        if args.csv:
            if args.csv == "-":
                catalog.export_csv(rows, sys.stdout)
            else:
                with open(args.csv, "w", encoding="utf-8", newline="") as fh:
                    catalog.export_csv(rows, fh)
                print(f"wrote {len(rows)} rows to {args.csv}", file=sys.stderr)
        elif args.json:
            print(catalog.as_json(rows))
        else:
            for r in rows:
                print(
                    "\t".join(
                        str(r[k] if r[k] is not None else "-")
                        for k in (
                            "file",
                            "symbol",
                            "kind",
                            "adoption_date",
                            "status",
                            "error_count",
                            "warning_count",
                            "title",
                        )
                    )
                )
    except (OSError, sqlite3.Error) as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def cmd_package(args: argparse.Namespace) -> int:
    import logging

    from .library import package

    logging.getLogger("bagit").setLevel(logging.ERROR)
    try:
        bag = package.make(args.outdir, args.bagdir)
    except (package.PackageError, OSError) as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"bagged {len(bag.entries)} files into {args.bagdir}", file=sys.stderr)
    return EXIT_OK


def cmd_verify_bag(args: argparse.Namespace) -> int:
    import logging

    from .library import package

    logging.getLogger("bagit").setLevel(logging.CRITICAL)
    problems = package.verify(args.bagdir)
    for p in problems:
        print(f"{args.bagdir}: {p}")
    if problems:
        print(f"{args.bagdir}: INVALID, {len(problems)} problems", file=sys.stderr)
        return EXIT_INVALID
    print(f"{args.bagdir}: valid", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "date", None) and (problem := check_date(args.date)):
        print(f"akn-pipeline: --date: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        status: int = args.func(args)
        return status
    except KeyboardInterrupt as exc:
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
