"""Metadata from outside the text: the side-car CSV (``--meta``) and the checks of given values."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from .bodies import CODES


class SidecarError(ValueError):
    pass


def check_date(value: str) -> str | None:
    """The problem with a YYYY-MM-DD date, or None."""
    try:
        if len(value) == 10:
            date.fromisoformat(value)
            return None
    except ValueError:
        pass
    return f"{value!r} is not a date (YYYY-MM-DD)"


def read_sidecar(path: str | None) -> dict[str, dict[str, str]]:
    """A CSV with a ``file`` column (input name or stem) and any of ``symbol,date,body``; a bad
    value raises ``SidecarError`` naming the file and line."""
    if not path:
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise SidecarError(f"{path}:1: the side-car needs a 'file' column (file,symbol,date,body)")
        table = {}
        for row in reader:
            name = (row.get("file") or "").strip()
            if not name:
                continue
            values = {k: v.strip() for k, v in row.items() if k and k != "file" and v and v.strip()}
            line = reader.line_num
            if "date" in values and (problem := check_date(values["date"])):
                raise SidecarError(f"{path}:{line}: {problem}")
            if "body" in values and values["body"] not in CODES:
                raise SidecarError(f"{path}:{line}: body {values['body']!r} is not one of {', '.join(CODES)}")
            table[Path(name).name] = table[Path(name).stem] = values
    return table
