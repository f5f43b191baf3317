"""Finding the documents of a batch: files, directory trees (``--include``/``--exclude`` globs),
and lists in a file or on stdin (``--from``), lazily; each becomes an ``Item`` with the name its
outputs take under DIR (input sub-directories mirrored)."""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_INCLUDE = ["*.txt"]


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


def _walk(root: Path, include: list[str], exclude: list[str], rel_dir: str = "") -> Iterator[Item]:
    """Files under ``root`` in a stable (sorted) order, one directory in memory at a time.  Entries
    are typed from the directory listing: no ``stat`` per file (a symbolic link is followed)."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    dirs = []
    for entry in entries:
        rel = rel_dir + entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        if is_dir:
            if not (exclude and _matches(rel, exclude)):  # a pattern naming the directory, or dir/*
                dirs.append(entry)
        elif is_file and _matches(rel, include) and not (exclude and _matches(rel, exclude)):
            yield Item(entry.path, rel_dir + _stem(entry.name))
    for entry in dirs:
        yield from _walk(Path(entry.path), include, exclude, rel_dir + entry.name + "/")


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


def discover(
    paths: Iterable[str],
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    from_list: str | None = None,
) -> Iterator[Item]:
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
