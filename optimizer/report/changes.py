"""The "what changed and why" report of a replan: terminal, HTML (self-contained) and Excel."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from optimizer.io.results import escape_cell
from optimizer.replan import Change
from optimizer.text import cell_safe, shown

KIND_WORDS = {
    "added": "added",
    "removed": "removed",
    "earlier": "moved earlier",
    "later": "moved later",
    "units": "units changed",
}


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "candidate": c.candidate,
                "change": KIND_WORDS[c.kind],
                "adopted_start": c.adopted_start,
                "new_start": c.new_start,
                "adopted_units": c.adopted_units,
                "new_units": c.new_units,
                "why": "; ".join(c.reasons),
            }
            for c in changes
        ],
        columns=[
            "candidate",
            "change",
            "adopted_start",
            "new_start",
            "adopted_units",
            "new_units",
            "why",
        ],
    )


def print_changes(changes: list[Change], console: Console, year: int) -> None:
    if not changes:
        console.print(f"[bold green]No changes[/] to the adopted plan from {year} on.")
        return
    table = Table(title=f"What changed from {year} on, and why")
    for column in ("candidate", "change", "adopted", "now", "why"):
        table.add_column(column, overflow="fold")
    for c in changes:
        table.add_row(
            shown(c.candidate),
            KIND_WORDS[c.kind],
            str(c.adopted_start or "–"),
            str(c.new_start or "–"),
            "\n".join(shown(reason) for reason in c.reasons),
        )
    console.print(table)


def write_changes_html(path: Path, changes: list[Change], diffs: pd.DataFrame, meta: dict) -> None:
    rows = (
        "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><ul>{}</ul></td></tr>".format(
                html.escape(c.candidate),
                html.escape(KIND_WORDS[c.kind]),
                c.adopted_start or "–",
                c.new_start or "–",
                "".join(f"<li>{html.escape(r)}</li>" for r in c.reasons),
            )
            for c in changes
        )
        or '<tr><td colspan="5">No changes to the adopted plan.</td></tr>'
    )
    diff_rows = (
        "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
            for row in diffs.itertuples(index=False)
        )
        or '<tr><td colspan="6">The inputs are identical.</td></tr>'
    )
    facts = "".join(
        f"<li><b>{html.escape(k)}</b>: {html.escape(str(v))}</li>" for k, v in meta.items()
    )
    path.write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>What changed — {html.escape(str(meta.get("scenario", "")))}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}}
table{{border-collapse:collapse;width:100%;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;
vertical-align:top;text-align:left}}th{{background:#eef}}ul{{margin:0;padding-left:1.2em}}
@media print{{body{{margin:0}}tr{{page-break-inside:avoid}}}}</style></head><body>
<h1>What changed and why</h1><ul>{facts}</ul>
<h2>Changes to the adopted plan</h2>
<table><tr><th>candidate</th><th>change</th><th>adopted start</th><th>new start</th><th>why</th></tr>{rows}</table>
<h2>Input changes, table by table</h2>
<table><tr><th>table</th><th>key</th><th>change</th><th>field</th><th>adopted</th><th>now</th></tr>{diff_rows}</table>
</body></html>
""",
        encoding="utf-8",
    )


def write_changes_xlsx(path: Path, changes: list[Change], diffs: pd.DataFrame, meta: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "summary"
    for key, value in meta.items():
        sheet.append([key, cell_safe(escape_cell(value)) if isinstance(value, str) else value])
    for title, frame in (("changes", changes_frame(changes)), ("input changes", diffs)):
        ws = book.create_sheet(title)
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append(
                [
                    cell_safe(escape_cell(v)) if isinstance(v, str) else (None if pd.isna(v) else v)
                    for v in row
                ]
            )
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 80)
    book.save(path)
