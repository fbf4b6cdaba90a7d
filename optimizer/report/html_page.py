"""The page every HTML report shares: inline CSS, the self-check script, tables and cards.

report.html (``optimizer.report.html``) and the pages of compare, replan, sweep, robust and
tradeoffs are built with ``page``: one self-contained document (no fonts, scripts or images
from anywhere else), A4 print CSS, and a few lines of script that only check the page itself
(every chart drew, no errors) and mark the result on ``<body>`` for the browser tests.
"""

from __future__ import annotations

from html import escape

from optimizer.report.i18n import DEFAULT_LANGUAGE

CSS = """
:root { --ink:#1d1d1f; --muted:#5f6368; --line:#d9dce1; --accent:#1F4E79; --ok:#1e7b34;
        --warn:#9a6700; --bad:#b3261e; --okbg:#e8f5ea; --warnbg:#fff4d6; --badbg:#fde8e7; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent);
     color: var(--accent); break-after: avoid; page-break-after: avoid; }
h3 { font-size: 15px; margin: 18px 0 6px; break-after: avoid; }
p { margin: 6px 0; }
.lead { color: var(--muted); margin: 0; }
.meta { color: var(--muted); font-size: 12px; }
.status { border-left: 6px solid var(--muted); padding: 10px 14px; margin: 16px 0; border-radius: 4px; }
.status strong { font-size: 15px; }
.status.optimal { border-color: var(--ok); background: var(--okbg); }
.status.feasible { border-color: var(--warn); background: var(--warnbg); }
.status.infeasible, .status.unbounded, .status.no_solution { border-color: var(--bad); background: var(--badbg); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; margin: 10px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; break-inside: avoid; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums;
               display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 4px; }
.card .unit { font-size: 12px; color: var(--muted); }
ul.assumptions { padding-left: 20px; }
ul.assumptions li { margin: 3px 0; }
figure.chart { margin: 14px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
figure.chart svg { display: block; width: 100%; height: auto; }
ul.legend { list-style: none; padding: 0; margin: 2px 0 4px; display: flex; flex-wrap: wrap; gap: 4px 16px;
            font-size: 12px; color: var(--muted); }
ul.legend li { display: inline-flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.swatch.line { height: 0; width: 18px; border-radius: 0; }
.note { color: var(--muted); font-size: 12px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 20px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 12.5px; }
th, td { padding: 4px 6px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f1f3f6; font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.id { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 1.5px solid var(--ink); }
tr.diff td { background: #fff4d6; }
td.changed { font-weight: 600; }
table.wide { font-size: 11px; }
table.wide th, table.wide td { padding: 3px 4px; }
footer { margin-top: 32px; color: var(--muted); font-size: 11.5px; border-top: 1px solid var(--line);
         padding-top: 8px; word-break: break-all; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 11.5px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 22px; }
  .page-break { break-before: page; page-break-before: always; }
  .grid2 { grid-template-columns: 1fr 1fr; }
  .cards { grid-template-columns: repeat(3, 1fr); }
  a { color: inherit; text-decoration: none; }
}
@media (max-width: 720px) { .grid2 { grid-template-columns: 1fr; } }
"""

# Catch anything that goes wrong while the page loads (script errors, a resource that fails).
HEAD_SCRIPT = """
window.__reportErrors = [];
window.addEventListener('error', function (e) {
  var t = e.target || {};
  window.__reportErrors.push(String(e.message || ('could not load ' + (t.src || t.href || t.tagName))));
}, true);
"""

# After load: did every chart draw something visible? The answer goes on <body> and each figure.
CHECK_SCRIPT = """
(function () {
  function check() {
    var figs = document.querySelectorAll('figure.chart'), ok = 0;
    for (var i = 0; i < figs.length; i++) {
      var svg = figs[i].querySelector('svg');
      var marks = svg ? svg.querySelectorAll('[data-mark]').length : 0;
      var box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
      var drawn = marks > 0 && box.width > 0 && box.height > 0;
      figs[i].setAttribute('data-chart-ok', drawn ? 'yes' : 'no');
      if (drawn) { ok++; }
    }
    document.body.setAttribute('data-charts', String(figs.length));
    document.body.setAttribute('data-charts-ok', String(ok));
    document.body.setAttribute('data-errors', JSON.stringify(window.__reportErrors || []));
    document.body.setAttribute('data-checked', 'yes');
  }
  if (document.readyState === 'complete') { check(); } else { window.addEventListener('load', check); }
})();
"""


def page(title: str, body: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A whole self-contained HTML document around ``body``."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<script>{HEAD_SCRIPT}</script>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n<script>{CHECK_SCRIPT}</script>\n</body>\n</html>\n"
    )


def table_html(
    headers: list[str],
    rows: list[list[str]],
    numeric: set[int] | frozenset[int] = frozenset(),
    css_class: str = "",
    row_classes: list[str] | None = None,
    total: list[str] | None = None,
    nowrap: set[int] | frozenset[int] = frozenset({0}),
    cell_classes: dict[tuple[int, int], str] | None = None,
) -> str:
    """A table from already formatted text (escaped here).

    ``numeric`` column positions align right; ``nowrap`` columns (ids) never break;
    ``cell_classes`` maps (row, column) to an extra class, e.g. a changed value.
    """

    def cells(values: list[str], tag: str, r: int | None = None) -> str:
        out = []
        for k, value in enumerate(values):
            classes = ["num"] if k in numeric else (["id"] if k in nowrap else [])
            if cell_classes and r is not None and (r, k) in cell_classes:
                classes.append(cell_classes[(r, k)])
            klass = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<{tag}{klass}>{escape(str(value))}</{tag}>")
        return "".join(out)

    body = []
    for r, row in enumerate(rows):
        klass = f' class="{row_classes[r]}"' if row_classes and row_classes[r] else ""
        body.append(f"<tr{klass}>{cells(row, 'td', r)}</tr>")
    if total is not None:
        body.append(f'<tr class="total">{cells(total, "td")}</tr>')
    klass = f' class="{css_class}"' if css_class else ""
    return f"<table{klass}><thead><tr>{cells(headers, 'th')}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def card(label: str, value: str, unit: str = "") -> str:
    unit_html = f'<span class="unit">{escape(unit)}</span>' if unit else ""
    return f'<div class="card"><div class="label">{escape(label)}</div><div class="value">{escape(value)}{unit_html}</div></div>'
