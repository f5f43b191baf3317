"""What the document pages and the index share: escaping, the page head, statuses and labels."""

from __future__ import annotations

from collections import Counter
from html import escape

from ...bodies import BY_CODE
from ...model import Diagnostic, Document
from .assets import CSP, SEVERITIES


def body_label(code: str | None) -> str:
    """``大会 General Assembly`` for ``un-ga``; an unknown code as it is, or a dash."""
    body = BY_CODE.get(code or "")
    return f"{body.chinese} {body.short}" if body else code or "—"


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def head(title: str, css: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="akn-pipeline">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n"
    )


def status_of(doc: Document) -> str:
    """``error`` when the document carries an error diagnostic, else ``ok`` (as ``convert`` says)."""
    return "error" if any(d.severity == "error" for d in doc.diagnostics) else "ok"


def severity_counts(diags: list[Diagnostic]) -> dict[str, int]:
    c: Counter[str] = Counter(d.severity for d in diags)
    return {s: c.get(s, 0) for s in SEVERITIES}
