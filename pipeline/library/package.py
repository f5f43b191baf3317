"""BagIt packages (RFC 8493) of a converted batch, made and checked with the Library of Congress
``bagit`` library.

``make`` copies a batch's outputs (``*.akn.xml``, ``*.json``, ``report.jsonl``, the ``html/``
review pages and the catalogue) into ``BAGDIR/data/`` and writes SHA-256 and SHA-512 manifests,
tag manifests and ``bag-info.txt``.  When the batch has no catalogue one is built into the bag.
``verify`` re-hashes every file and returns the problems: each changed, missing or unexpected
file by its path inside the bag.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import bagit

from .. import __version__
from . import catalog

ALGORITHMS = ["sha256", "sha512"]
OUTPUT_SUFFIXES = (".akn.xml", ".json")
PAYLOAD_SUFFIXES = OUTPUT_SUFFIXES + (".jsonl", ".csv", ".sqlite")  # at the top of the batch


class PackageError(Exception):
    pass


def _hidden_or_temporary(name: str) -> bool:
    return name.startswith(".") or name.endswith((".tmp", "~"))


def payload_files(outdir: Path) -> list[Path]:
    """The files of a batch that go into its bag, relative to ``outdir``: the outputs
    (``*.akn.xml``, ``*.json``) at any depth (``convert`` mirrors input sub-directories), the report,
    manifest and catalogue, and the ``html/`` review pages; hidden and temporary files, hidden
    directories (``.manifest.d/``) left out."""
    files = []
    for dirpath, dirnames, filenames in os.walk(outdir):
        here = Path(dirpath)
        top = here == outdir
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (top and d == "html"))
        for name in sorted(filenames):
            if _hidden_or_temporary(name):
                continue
            if name.endswith(OUTPUT_SUFFIXES) or (top and name.endswith(PAYLOAD_SUFFIXES)):
                files.append(here / name)
    html = outdir / "html"
    if html.is_dir():
        files.extend(
            p
            for p in sorted(html.rglob("*"))
            if p.is_file()
            and not _hidden_or_temporary(p.name)
            and not any(part.startswith(".") for part in p.relative_to(html).parts)
        )
    return sorted(p.relative_to(outdir) for p in files)


def document_count(files: list[Path]) -> int:
    """The documents of a bag's payload: its ``*.akn.xml`` outputs at any depth (not the pages)."""
    return sum(1 for f in files if f.name.endswith(".akn.xml") and f.parts[0] != "html")


def copy_database(src: Path, dest: Path) -> None:
    """Copy an SQLite database as SQLite reads it (rows still in a write-ahead log of a run that
    was killed included), into one plain file (rollback journal, nothing beside it)."""
    import sqlite3

    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()


def make(outdir: str | Path, bagdir: str | Path, info: dict[str, str] | None = None) -> bagit.Bag:
    """Bag the batch in ``outdir`` as ``bagdir`` (which must not exist or be empty)."""
    outdir, bagdir = Path(outdir), Path(bagdir)
    if not outdir.is_dir():
        raise PackageError(f"{outdir}: not a directory")
    if bagdir.exists() and any(bagdir.iterdir()):
        raise PackageError(f"{bagdir}: exists and is not empty")
    if bagdir.resolve().is_relative_to(outdir.resolve()):
        raise PackageError(f"{bagdir}: the bag cannot be inside the batch it packages")
    files = payload_files(outdir)
    documents = document_count(files)
    if not files:
        raise PackageError(f"{outdir}: no outputs to package")
    bagdir.mkdir(parents=True, exist_ok=True)
    for rel in files:
        dest = bagdir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if Path(rel).suffix == ".sqlite":
            copy_database(outdir / rel, dest)
        else:
            shutil.copyfile(outdir / rel, dest)
    if not any(f.suffix == ".sqlite" for f in files):
        catalog.build(outdir, bagdir / catalog.DEFAULT_NAME)
    bag_info = {
        "Source-Organization": "akn-pipeline",
        "External-Description": "UN documents in Chinese converted to Akoma Ntoso 3.0 (AKN4UN) XML and JSON, "
        "with the batch report, catalogue and HTML review pages",
        "External-Identifier": outdir.resolve().name,
        "Bag-Group-Identifier": outdir.resolve().name,
        "Document-Count": str(documents),
        "Bag-Software-Agent": f"akn-pipeline {__version__} with bagit {bagit.VERSION} "
        "<https://github.com/LibraryOfCongress/bagit-python>",
    }
    bag_info.update(info or {})
    return bagit.make_bag(str(bagdir), bag_info=bag_info, checksums=list(ALGORITHMS))


@dataclass
class Problem:
    path: str
    kind: str  # changed, missing, unexpected, invalid
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.detail}"


def verify(bagdir: str | Path) -> list[Problem]:
    """Every fixity problem in the bag (empty when it is valid).  ``bagit`` validates the bag
    (structure, ``bagit.txt``, Payload-Oxum, completeness, every checksum of every manifest); when
    it fails, each file is examined so that every changed, missing or unexpected file is named —
    a changed file is named even when another is missing."""
    bagdir = Path(bagdir)
    try:
        bag = bagit.Bag(str(bagdir))
    except bagit.BagError as exc:
        return [Problem(str(bagdir), "invalid", str(exc))]
    try:
        bag.validate(processes=1)
        return []
    except bagit.BagValidationError as exc:
        summary = exc
    except bagit.BagError as exc:
        return [Problem(str(bagdir), "invalid", str(exc))]
    problems: list[Problem] = []
    only_in_manifests, only_on_fs = bag.compare_manifests_with_fs()
    problems.extend(Problem(p, "missing", "listed in a manifest, not in the bag") for p in sorted(only_in_manifests))
    problems.extend(Problem(p, "unexpected", "in the bag, not in any manifest") for p in sorted(only_on_fs))
    for rel, hashes in sorted(bag.entries.items()):
        path = bagdir / rel
        if rel in only_in_manifests or not path.is_file():
            if rel not in only_in_manifests:
                problems.append(Problem(rel, "missing", "listed in a tag manifest, not in the bag"))
            continue
        for alg, want in sorted(hashes.items()):
            got = _hash(path, alg)
            if got != want.lower():
                problems.append(Problem(rel, "changed", f"{alg} expected {want.lower()}, found {got}"))
    if not problems:
        problems.extend(_problems(summary))
    return problems


def _hash(path: Path, alg: str) -> str:
    import hashlib

    h = hashlib.new(alg)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _problems(exc: bagit.BagValidationError) -> list[Problem]:
    out = []
    for d in exc.details or []:
        if isinstance(d, bagit.FileMissing):
            out.append(Problem(d.path, "missing", "listed in a manifest, not in the bag"))
        elif isinstance(d, bagit.UnexpectedFile):
            out.append(Problem(d.path, "unexpected", "in the bag, not in any manifest"))
        elif isinstance(d, bagit.ChecksumMismatch):
            out.append(Problem(d.path, "changed", f"{d.algorithm} expected {d.expected}, found {d.found}"))
        else:
            out.append(Problem(getattr(d, "path", "?"), "invalid", str(d)))
    if not out:
        out.append(Problem("", "invalid", str(exc)))
    return out
