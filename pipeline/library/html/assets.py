"""What every review page carries inline: the Content-Security-Policy, the CSS and the index's
script (no network resource is ever loaded)."""

from __future__ import annotations

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

SEVERITIES = ("error", "warning", "info")

FONTS = (
    '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "WenQuanYi Micro Hei", '
    '"Noto Sans CJK SC", serif'
)

BASE_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #0b57d0; --bg: #fcfcfa;
  --error: #b3261e; --warning: #8a5a00; --info: #3c6e8f; }
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); }
body { margin: 0; font-family: @FONTS@; font-size: 17px; line-height: 1.9;
  text-rendering: optimizeLegibility; -webkit-font-smoothing: antialiased; }
a { color: var(--accent); }
header.top { padding: .8rem 1.5rem; border-bottom: 1px solid var(--rule); background: #fff;
  font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.5; }
header.top a { margin-right: 1rem; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 3px; font: 600 12px/1.7 system-ui, sans-serif;
  color: #fff; background: var(--muted); vertical-align: middle; }
.badge.ok { background: #1e7e34; } .badge.error, .badge.failed { background: var(--error); }
.badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.diag { font: 13px/1.5 system-ui, sans-serif; margin: .3rem 0 .6rem; padding: .3rem .6rem;
  border-left: 4px solid var(--info); background: #eef4f8; text-indent: 0; }
.diag.error { border-color: var(--error); background: #fbeceb; }
.diag.warning { border-color: var(--warning); background: #fdf4e3; }
.diag code { font-weight: 600; }
""".replace("@FONTS@", FONTS)

DOC_CSS = (
    BASE_CSS
    + """
.layout { display: grid; grid-template-columns: minmax(0, 44em) 20rem; gap: 2rem; justify-content: center;
  padding: 1.5rem; }
@media (max-width: 1000px) { .layout { grid-template-columns: minmax(0, 1fr); } }
main { background: #fff; padding: 2rem 2.5rem; border: 1px solid var(--rule); }
aside.meta { font: 13px/1.6 system-ui, sans-serif; }
aside.meta dl { display: grid; grid-template-columns: auto 1fr; gap: .2rem .8rem; margin: 0; }
aside.meta dt { color: var(--muted); } aside.meta dd { margin: 0; word-break: break-word; }
aside.meta section { background: #fff; border: 1px solid var(--rule); padding: .8rem 1rem; margin-bottom: 1rem;
  position: sticky; top: 1rem; }
h1.title { font-size: 1.45rem; line-height: 1.6; text-align: center; margin: 1.2rem 0; font-weight: 700; }
.preface p { margin: .1rem 0; text-align: center; color: #333; }
.preface p.role-session, .preface p.role-agenda, .preface p.role-agendaTitle { text-align: left; }
.preface p.role-title { font-weight: 700; font-size: 1.2rem; margin: 1rem 0; }
.formula { text-indent: 2em; margin: 1.2rem 0 .6rem; }
.preamble p, .body p.intro { text-indent: 2em; margin: .35rem 0; text-align: justify; }
.block { position: relative; }
.block .lines { position: absolute; left: -3.2rem; width: 2.8rem; text-align: right; top: .35rem;
  font: 11px/1.5 system-ui, sans-serif; color: #9aa0a6; }
.preamble .pnum { color: #9aa0a6; font: 11px system-ui, sans-serif; margin-right: .4em; text-indent: 0; }
.operative { margin: .5rem 0; }
.operative > p.intro { text-indent: 0; padding-left: 2.2em; }
.operative .num { display: inline-block; width: 2.2em; margin-left: -2.2em; font-weight: 700; }
.points { list-style: none; margin: .2rem 0 .2rem 2.2em; padding: 0; }
.points li { margin: .2rem 0; padding-left: 2.6em; text-indent: -2.6em; }
.points .pnum { display: inline-block; width: 2.6em; text-indent: 0; }
h2.heading { font-size: 1.1rem; margin: 1.4rem 0 .6rem; text-align: center; }
.conclusions { margin-top: 1.5rem; text-align: right; color: #333; }
.conclusions p { margin: 0; }
.unstructured { white-space: pre-wrap; }
sup.noteref { line-height: 0; font: 600 11px system-ui, sans-serif; }
sup.noteref a { text-decoration: none; padding: 0 .1em; }
section.footnotes { margin-top: 2rem; border-top: 1px solid var(--rule); font-size: .88rem; line-height: 1.7; }
section.footnotes h2 { font: 600 13px system-ui, sans-serif; color: var(--muted); margin: .8rem 0; }
section.footnotes ol { list-style: none; padding: 0; margin: 0; }
section.footnotes li { margin: .25rem 0; padding-left: 2.2em; text-indent: -2.2em; }
section.footnotes .fnum { display: inline-block; width: 2.2em; text-indent: 0; font-weight: 600; }
a.back { text-decoration: none; margin-left: .3em; font-family: system-ui, sans-serif; }
:target { background: #fff3b0; outline: 2px solid #f2c200; }
.removed { font: 12px/1.5 ui-monospace, monospace; color: var(--muted); }
"""
)

INDEX_CSS = (
    BASE_CSS
    + """
main { padding: 1.2rem 1.5rem; font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.5; }
h1 { font-size: 1.3rem; margin: .2rem 0 1rem; }
.controls { display: flex; gap: 1rem; align-items: center; margin: .8rem 0; flex-wrap: wrap; }
.controls input { font-size: 14px; padding: .3rem .5rem; min-width: 20rem; }
.controls select { font-size: 14px; padding: .25rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f4; cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.title { font-family: @FONTS@; }
tr.hidden { display: none; }
.charts { display: flex; gap: 2rem; flex-wrap: wrap; margin: 1rem 0; }
.charts figure { margin: 0; background: #fff; border: 1px solid var(--rule); padding: .6rem; }
.charts figcaption { font-weight: 600; margin-bottom: .3rem; }
.charts svg text { font: 12px system-ui, sans-serif; }
#count { color: var(--muted); }
""".replace("@FONTS@", FONTS)
)

INDEX_JS = r"""
(function () {
  "use strict";
  var table = document.getElementById("docs");
  var tbody = table.tBodies[0];
  var filter = document.getElementById("filter");
  var status = document.getElementById("status-filter");
  var count = document.getElementById("count");
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var s = status.value;
    var shown = 0;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) !== -1) &&
               (!s || row.getAttribute("data-status") === s);
      row.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " / " + tbody.rows.length;
  }
  filter.addEventListener("input", apply);
  status.addEventListener("change", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-sort") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-sort") || b.cells[col].textContent;
        var r = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0)
                        : x.localeCompare(y, "zh", { numeric: true });
        return asc ? r : -r;
      });
      rows.forEach(function (row) { tbody.appendChild(row); });
    });
  });
  apply();
}());
"""
