"""The batch index: every document with its status, metadata and diagnostic counts, sortable and
filterable, with charts of documents by status and by diagnostic code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from ...model import Document
from .assets import INDEX_CSS, INDEX_JS, SEVERITIES
from .common import esc, head, severity_counts, status_of


@dataclass
class Entry:
    """One row of the index."""

    stem: str
    page: str | None
    status: str
    source: str | None = None
    symbol: str | None = None
    kind: str | None = None
    body: str | None = None
    date: str | None = None
    title: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)


def entry_for(doc: Document, stem: str, status: str | None = None) -> Entry:
    m = doc.metadata
    return Entry(
        stem=stem,
        page=f"{stem}.html",
        status=status or status_of(doc),
        source=doc.source,
        symbol=m.symbol,
        kind=doc.kind,
        body=m.body,
        date=m.adoption_date,
        title=m.title,
        counts=severity_counts(doc.diagnostics),
        codes=dict(Counter(d.code for d in doc.diagnostics)),
    )


def _bar_chart(title: str, data: list[tuple[str, int]], chart_id: str) -> str:
    width, label_w, bar_h, gap = 460, 210, 18, 6
    height = max(1, len(data)) * (bar_h + gap) + gap
    top = max((v for _, v in data), default=1) or 1
    parts = [
        f'<figure id="{chart_id}"><figcaption>{esc(title)}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(title)}" viewBox="0 0 {width} {height}">'
    ]
    for k, (label, value) in enumerate(data):
        y = gap + k * (bar_h + gap)
        w = round((width - label_w - 50) * value / top)
        colour = {"ok": "#1e7e34", "error": "#b3261e", "failed": "#6d1b16"}.get(label, "#3c6e8f")
        parts.append(
            f'<g class="bar" data-label="{esc(label)}" data-value="{value}">'
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{esc(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{colour}"><title>{esc(label)}: {value}</title></rect>'
            f'<text x="{label_w + w + 5}" y="{y + bar_h - 4}">{value}</text></g>'
        )
    if not data:
        parts.append(f'<text x="10" y="{bar_h}">none</text>')
    parts.append("</svg></figure>")
    return "".join(parts)


def render_index(entries: list[Entry], title: str = "akn-pipeline batch") -> str:
    statuses = Counter(e.status for e in entries)
    codes: Counter = Counter()
    for e in entries:
        codes.update({c: 1 for c in e.codes})  # documents carrying each code
    rows = []
    for e in entries:
        link = f'<a href="{esc(page_href(e.page))}">{esc(e.stem)}</a>' if e.page else esc(e.stem)
        c = e.counts
        rows.append(
            f'<tr data-status="{esc(e.status)}" data-codes="{esc(" ".join(sorted(e.codes)))}">'
            f"<td>{link}</td><td>{esc(e.symbol or '')}</td><td>{esc(e.kind or '')}</td><td>{esc(e.body or '')}</td>"
            f'<td>{esc(e.date or "")}</td><td class="title">{esc(e.title or "")}</td>'
            f'<td data-sort="{esc(e.status)}"><span class="badge {esc(e.status)}">{esc(e.status)}</span></td>'
            + "".join(f'<td class="n">{c.get(s, 0)}</td>' for s in SEVERITIES)
            + f"<td>{esc(', '.join(f'{k}×{v}' for k, v in sorted(e.codes.items())))}</td></tr>"
        )
    options = "".join(f'<option value="{esc(s)}">{esc(s)} ({n})</option>' for s, n in sorted(statuses.items()))
    heads = [
        ("document", "text"),
        ("symbol", "text"),
        ("kind", "text"),
        ("body", "text"),
        ("date", "text"),
        ("title", "text"),
        ("status", "text"),
        ("errors", "number"),
        ("warnings", "number"),
        ("info", "number"),
        ("codes", "text"),
    ]
    th = "".join(f'<th scope="col" data-type="{t}">{h}</th>' for h, t in heads)
    return "".join(
        [
            head(title, INDEX_CSS),
            "<body>\n<main>\n",
            f"<h1>{esc(title)}</h1>\n",
            f"<p>{len(entries)} documents: "
            + ", ".join(f"{n} {esc(s)}" for s, n in sorted(statuses.items()))
            + "</p>\n",
            '<div class="charts">',
            _bar_chart("Documents by status", sorted(statuses.items()), "chart-status"),
            _bar_chart(
                "Documents by diagnostic code", sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])), "chart-codes"
            ),
            "</div>\n",
            '<div class="controls"><label>Filter <input id="filter" type="search" placeholder="symbol, title, code…" '
            'autocomplete="off"></label><label>Status <select id="status-filter"><option value="">all</option>'
            f'{options}</select></label><span id="count"></span></div>\n',
            f'<table id="docs"><thead><tr>{th}</tr></thead><tbody>\n',
            "\n".join(rows),
            "\n</tbody></table>\n",
            f"</main>\n<script>{INDEX_JS}</script>\n</body>\n</html>\n",
        ]
    )


def page_href(page: str) -> str:
    """A link to a page (a path relative to the index): ``./`` + the path percent-quoted, so a name
    like ``javascript:alert(1)`` stays a relative path and ``#`` or ``?`` in a name stay in it."""
    return "./" + quote(page)
