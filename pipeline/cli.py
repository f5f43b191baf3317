"""Command line: ``akn-pipeline convert|validate|inspect|schema``.

This is the edge: files are read and decoded here, outputs written here (to a temporary name, then
renamed, so no partial file is ever left).  Exit status: 0 success; 1 a document failed or carried
an error diagnostic (``convert``) or a file is invalid (``validate``); 2 usage or I/O error.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from pathlib import Path

from . import __version__
from .context import Context, Options
from .decode import InputError, decode
from .diagnostics import render
from .model import Diagnostic
from .stages import STAGE_NAMES, OutputInvalid, convert, run

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def iter_inputs(paths: list[str], suffix: str = ".txt") -> list[Path]:
    """Files named on the command line, and ``*.txt`` files under directories, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob(f"*{suffix}") if q.is_file()))
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(p)
    return out


def read_sidecar(path: str | None) -> dict[str, dict[str, str]]:
    """A CSV with a ``file`` column (input name or stem) and any of ``symbol,date,body``."""
    if not path:
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = {}
    for row in rows:
        name = (row.get("file") or "").strip()
        if name:
            table[Path(name).name] = {k: v.strip() for k, v in row.items() if k != "file" and v and v.strip()}
            table[Path(name).stem] = table[Path(name).name]
    return table


def options_for(path: Path, args, sidecar) -> Options:
    row = sidecar.get(path.name) or sidecar.get(path.stem) or {}
    return Options(symbol=args.symbol or row.get("symbol"), date=args.date or row.get("date"),
                   body=args.body or row.get("body"), layout=getattr(args, "layout", None))


def convert_file(path: Path, outdir: Path, options: Options) -> tuple[str, list[Diagnostic]]:
    """Convert one file; returns its status (``ok``, ``error``, ``failed``) and diagnostics.
    Nothing is written for a document that fails."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "failed", [Diagnostic(code="input.unreadable", severity="error", message=str(exc), line=0)]
    ctx = Context(source=path.name, options=options)  # the name only: same bytes from any directory
    try:
        text, notes = decode(data)
    except InputError as exc:
        return "failed", [Diagnostic(code=exc.code, severity="error", message=exc.message, line=exc.line)]
    for code, message, line in notes:
        ctx.report(code, line, message)
    try:
        out = convert(text, ctx)
    except OutputInvalid as exc:
        return "failed", list(ctx.sink.items) + [Diagnostic(code="output.invalid", severity="error",
                                                             message=str(exc), line=0)]
    stem = path.name[:-4] if path.name.endswith(".txt") else path.name
    write_atomic(outdir / f"{stem}.akn.xml", out.xml)
    write_atomic(outdir / f"{stem}.json", out.json)
    errors = any(d.severity == "error" for d in out.document.diagnostics)
    return ("error" if errors else "ok"), out.document.diagnostics


def cmd_convert(args) -> int:
    try:
        inputs = iter_inputs(args.paths)
        sidecar = read_sidecar(args.meta)
    except (OSError, csv.Error) as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not inputs:
        print("akn-pipeline: no .txt inputs found", file=sys.stderr)
        return EXIT_USAGE
    outdir = Path(args.output)
    worst = EXIT_OK
    counts = {"ok": 0, "error": 0, "failed": 0}
    for path in inputs:
        status, diags = convert_file(path, outdir, options_for(path, args, sidecar))
        counts[status] += 1
        for d in diags:
            if d.severity == "error" or args.verbose or (d.severity == "warning" and not args.quiet):
                print(render(d, str(path)), file=sys.stderr)
        if status != "ok":
            worst = EXIT_INVALID
    if not args.quiet:
        print(f"converted {counts['ok'] + counts['error']} of {len(inputs)} documents "
              f"({counts['error']} with errors, {counts['failed']} failed) into {outdir}", file=sys.stderr)
    return worst


def cmd_validate(args) -> int:
    from lxml import etree

    from .validate import json_errors, xml_errors
    try:
        files = [p for p in iter_inputs(args.paths, suffix="") if p.suffix in (".xml", ".json")]
    except OSError as exc:
        print(f"akn-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    bad = 0
    for path in files:
        try:
            if path.suffix == ".xml":
                parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
                errors = xml_errors(etree.parse(str(path), parser))
            else:
                errors = json_errors(json.loads(path.read_text(encoding="utf-8")), reference=True)
        except (etree.XMLSyntaxError, ValueError) as exc:
            errors = [f"not well-formed: {exc}"]
        except OSError as exc:
            print(f"akn-pipeline: {exc}", file=sys.stderr)
            return EXIT_USAGE
        for e in errors:
            print(f"{path}: {e}")
        bad += bool(errors)
    print(f"{len(files) - bad} of {len(files)} files valid", file=sys.stderr)
    return EXIT_INVALID if bad else EXIT_OK


def cmd_inspect(args) -> int:
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


def cmd_schema(args) -> int:
    from . import schema
    text = schema.dumps(schema.generate())
    if args.write:
        Path("schemas", schema.FILENAME).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="akn-pipeline",
                                 description="UN documents in Chinese (PDF-extracted text) -> AKN4UN XML and JSON")
    ap.add_argument("--version", action="version", version=f"akn-pipeline {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    c = sub.add_parser("convert", help="convert .txt files (or directories of them)")
    c.add_argument("paths", nargs="+")
    c.add_argument("-o", "--output", default="output", help="output directory (default: output)")
    c.add_argument("--symbol", help="document symbol, when the text does not give it")
    c.add_argument("--date", help="adoption or issue date, YYYY-MM-DD")
    c.add_argument("--body", help="author body: un-ga, un-ga-hrc, un-sc, un-ecosoc, un-cd")
    c.add_argument("--meta", help="side-car CSV: file,symbol,date,body")
    c.add_argument("--layout", choices=["lines", "wrapped"], help="force the input layout")
    c.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    c.add_argument("-v", "--verbose", action="store_true", help="print every diagnostic")
    c.set_defaults(func=cmd_convert)

    v = sub.add_parser("validate", help="validate .xml against the AKN XSD and .json against the schema")
    v.add_argument("paths", nargs="+")
    v.set_defaults(func=cmd_validate)

    i = sub.add_parser("inspect", help="show how a document was segmented")
    i.add_argument("file")
    i.add_argument("--stop-after", choices=STAGE_NAMES)
    i.add_argument("--layout", choices=["lines", "wrapped"])
    i.set_defaults(func=cmd_inspect)

    s = sub.add_parser("schema", help="print (or --write) the JSON Schema of the document model")
    s.add_argument("--write", action="store_true")
    s.set_defaults(func=cmd_schema)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "date", None):
        import re
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
            print(f"akn-pipeline: --date must be YYYY-MM-DD, not {args.date!r}", file=sys.stderr)
            return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
