"""The "what changed and why" report of a replan: terminal, what-changed.html and .xlsx.

The HTML has the look of report.html (``optimizer.report.html_page.page``: styled, self-contained,
printable) and the workbook its twin; both are in ``--lang sv|en`` with every word from the one
dictionary (``optimizer.report.i18n``) and numbers rounded as in the other reports. Each move is
shown with the input changes that cause it (``optimizer.replan_attribution.attribute_changes``: each change
group re-solved alone), the cost of each change and what the stability price bought.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from rich.console import Console
from rich.table import Table

from optimizer.io.results import write_csv
from optimizer.plan import Plan
from optimizer.replan import Change
from optimizer.replan_attribution import TOGETHER, Attribution
from optimizer.report.excel_sheet import (
    INTEGER,
    MSEK,
    autosize,
    key_value_rows,
    set_cell,
    sheet_title,
    write_header,
)
from optimizer.report.html_page import page, table_html
from optimizer.report.i18n import DEFAULT_LANGUAGE, format_number, status_sentence, translator
from optimizer.report.svg import PALETTE, Series, category_chart, reset_ids
from optimizer.text import shown, shown_report

KIND_WORDS = {
    "added": "added",
    "removed": "removed",
    "earlier": "moved earlier",
    "later": "moved later",
    "units": "units changed",
}
DIFF_COLUMNS = ["table", "key", "change", "field", "adopted", "now"]


@dataclass
class ChangeReport:
    """Everything the what-changed report shows about one replan."""

    plan: Plan
    changes: list[Change]
    diffs: pd.DataFrame  # input_differences (DIFF_COLUMNS)
    attribution: Attribution | None  # None: the adopted plan has no copy of its inputs
    scenario: str
    variant: str | None
    adopted_path: str
    adopted_sha256: str
    year: int
    lock_years: int
    names: dict[str, str]  # candidate id -> name
    # False: the adopted plan has no copy of its inputs, so ``diffs`` is empty for want of
    # them, not because nothing changed (and attribution is None for the same reason)
    inputs_known: bool = True


def group_words(key: str, t) -> str:
    """A change group in words: "candidate WATER-2", "population.csv", "the changes together"."""
    if key == TOGETHER:
        return t("cause_together")
    if key.startswith("candidate:"):
        return t("cause_candidate", candidate=key.split(":", 1)[1])
    return key if key.endswith(".toml") else f"{key}.csv"


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
                "caused_by": "; ".join(c.causes),
                "why": "; ".join(c.reasons_in("en")),  # a file for programs: English
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
            "caused_by",
            "why",
        ],
    )


# ----------------------------------------------------------------------------------------
# terminal (in the report language, like the summary above it)
# ----------------------------------------------------------------------------------------
def print_changes(
    changes: list[Change],
    console: Console,
    year: int,
    attribution: Attribution | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> None:
    t = translator(lang)
    if not changes:
        console.print(f"[bold green]{t('no_changes', year=year)}[/]")
    else:
        table = Table(title=t("tt_what_changed", year=year))
        for column in ("candidate", "change", "adopted_start", "new_start", "caused_by", "details"):
            table.add_column(t(column), overflow="fold")
        for c in changes:
            table.add_row(
                shown(c.candidate),
                t(f"change_{c.kind}"),
                str(c.adopted_start or "–"),
                str(c.new_start or "–"),
                "\n".join(shown(group_words(k, t)) for k in c.causes) or "–",
                "\n".join(shown_report(reason) for reason in c.reasons_in(lang)),
            )
        console.print(table)
    if attribution is None:
        return
    for line in attribution_lines(attribution, t, lang):
        console.print(f"  • {shown_report(line)}")


def attribution_lines(attribution: Attribution, t, lang: str) -> list[str]:
    """The cost of each input change and of stability, as sentences."""
    lines = []
    for group in attribution.groups:
        what = group_words(group.key, t)
        if group.note:
            lines.append(t("cause_not_alone", change=what))
            continue
        lines.append(
            t(
                "cause_cost",
                change=what,
                cost=_signed(group.cost, lang),
                moves=", ".join(group.moves) or t("no_moves"),
            )
        )
    if attribution.stability_cost is not None:
        lines.append(
            t(
                # "which would make 1 change", not "1 changes"
                "stability_bought_one" if attribution.free_changes == 1 else "stability_bought",
                paid=format_number(attribution.stability_paid, 1, lang),
                cost=format_number(attribution.stability_cost, 1, lang),
                free=attribution.free_changes if attribution.free_changes is not None else "?",
                price=format_number(attribution.stability_price, 1, lang),
            )
        )
    return lines


def _signed(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = format_number(abs(value), 1, lang)
    return ("+" if value > 0.05 else "−" if value < -0.05 else "±") + text


def _number(value, lang: str, decimals: int = 1) -> str:
    return "–" if value is None else format_number(value, decimals, lang)


# ----------------------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------------------
def _cost_chart(report: ChangeReport, t, lang: str) -> str:
    """Plan cost with the adopted inputs, with each change alone, with all, and without the
    stability price: the bars differ by what each change and stability cost."""
    a = report.attribution
    if a is None or a.unchanged_cost is None or a.cost is None:
        return ""
    categories = [t("bar_unchanged")]
    values = [a.unchanged_cost]
    for group in a.groups:
        if group.cost is not None:
            categories.append(group_words(group.key, t))
            values.append(a.unchanged_cost + group.cost)
    categories.append(t("bar_all_changes"))
    values.append(a.cost)
    if a.free_cost is not None:
        categories.append(t("bar_free"))
        values.append(a.free_cost)
    return category_chart(
        t("chart_change_costs"),
        categories,
        [Series(t("pv_cost"), values, PALETTE[0], "bar", "MSEK")],
        unit="MSEK",
        lang=lang,
        height=240,
        chart_kind="change-costs",
    )


def render_changes_html(report: ChangeReport, lang: str = DEFAULT_LANGUAGE) -> str:
    reset_ids()
    t = translator(lang)
    title = t("what_changed")
    plan = report.plan
    lead = f"{report.scenario} · {report.variant} · {t('replan_year')} {report.year}"
    facts = table_html(
        [t("fact"), t("value")],
        [
            [t("adopted_plan"), report.adopted_path],
            ["sha256", report.adopted_sha256],
            [t("replan_year"), str(report.year)],
            [t("lock_years"), str(report.lock_years)],
            [t("status"), status_sentence(plan, lang)],
            [t("objective_cost"), _number(plan.objective, lang)],
            [t("changes_count"), str(len(report.changes))],
        ],
    )
    change_rows = [
        [
            c.candidate,
            report.names.get(c.candidate, ""),
            t(f"change_{c.kind}"),
            str(c.adopted_start or "–"),
            str(c.new_start or "–"),
            "; ".join(group_words(k, t) for k in c.causes) or "–",
            "; ".join(c.reasons_in(lang)),
        ]
        for c in report.changes
    ]
    changes = (
        table_html(
            [
                t("candidate"),
                t("name"),
                t("change"),
                t("adopted_start"),
                t("new_start"),
                t("caused_by"),
                t("details"),
            ],
            change_rows,
            {3, 4},
        )
        if change_rows
        else f"<p>{escape(t('no_changes', year=report.year))}</p>"
    )
    sections = [
        f'<header><h1>{escape(title)}</h1><p class="lead">{escape(lead)}</p></header>',
        f'<section id="changes"><h2>{escape(t("changes_to_adopted"))}</h2>{changes}</section>',
    ]
    a = report.attribution
    if a is not None:
        group_rows = [
            [
                group_words(g.key, t),
                str(g.rows),
                _signed(g.cost, lang) if not g.note else "–",
                ", ".join(g.moves) or (t("cannot_alone") if g.note else t("no_moves")),
            ]
            for g in a.groups
        ]
        groups = table_html(
            [t("input_change"), t("rows"), t("cost_msek"), t("moves_it_causes")],
            group_rows,
            {1, 2},
        )
        lines = "".join(f"<li>{escape(line)}</li>" for line in attribution_lines(a, t, lang))
        sections.append(
            f'<section id="causes"><h2>{escape(t("what_each_change_costs"))}</h2>'
            f'<p class="note">{escape(t("attribution_method"))}</p>{groups}'
            f"<ul>{lines}</ul>{_cost_chart(report, t, lang)}</section>"
        )
    elif not report.inputs_known:
        # only then: with the inputs unchanged there is nothing to attribute either, and saying
        # the copy is missing would contradict "Indata är oförändrade" below
        sections.append(f'<p class="note">{escape(t("no_adopted_inputs"))}</p>')
    diff_rows = [
        [
            str(row.table),
            shown_key(row.key),
            t(f"diff_{row.change}"),
            str(row.field),
            str(row.adopted),
            str(row.now),
        ]
        for row in report.diffs.itertuples(index=False)
    ]
    diffs = (
        table_html(
            [t("table"), t("key"), t("change"), t("field"), t("adopted"), t("now")],
            diff_rows,
            css_class="wide",
        )
        if diff_rows
        else f"<p>{escape(t('inputs_identical' if report.inputs_known else 'no_adopted_inputs'))}</p>"
    )
    sections.append(
        f'<section id="inputs" class="page-break"><h2>{escape(t("input_changes_rows"))}</h2>'
        f"{diffs}</section>"
    )
    sections.append(f'<section id="facts"><h2>{escape(t("about_replan"))}</h2>{facts}</section>')
    return page(title, "\n".join(sections), lang)


def shown_key(key) -> str:
    """A changed row's key as people read it: its parts with a space, the empty ones left out
    ("2027, 1-5" for a population row without a district, not "2027,,1-5")."""
    return ", ".join(part for part in str(key).split(",") if part)


def write_changes_html(path: Path, report: ChangeReport, lang: str = DEFAULT_LANGUAGE) -> None:
    Path(path).write_text(render_changes_html(report, lang), encoding="utf-8")


# ----------------------------------------------------------------------------------------
# Excel
# ----------------------------------------------------------------------------------------
def build_changes_workbook(report: ChangeReport, lang: str = DEFAULT_LANGUAGE) -> Workbook:
    t = translator(lang)
    book = Workbook()
    ws = book.active
    ws.title = sheet_title(t, "sheet_summary_changes")
    set_cell(ws, 1, 1, t("what_changed")).font = Font(bold=True, size=14)
    a = report.attribution
    rows = [
        (t("scenario"), report.scenario, None),
        (t("variant"), report.variant, None),
        (t("adopted_plan"), report.adopted_path, None),
        ("sha256", report.adopted_sha256, None),
        (t("replan_year"), report.year, INTEGER),
        (t("lock_years"), report.lock_years, INTEGER),
        (t("status"), status_sentence(report.plan, lang), None),
        (t("objective_cost"), report.plan.objective, MSEK),
        (t("changes_count"), len(report.changes), INTEGER),
    ]
    if a is not None:
        rows += [
            (t("cost_unchanged"), a.unchanged_cost, MSEK),
            (t("cost_all_changes"), a.cost, MSEK),
            (t("cost_free"), a.free_cost, MSEK),
            (t("stability_price"), a.stability_price, MSEK),
            (t("stability_paid"), a.stability_paid, MSEK),
            (t("stability_cost"), a.stability_cost, MSEK),
            (t("attribution"), t("attribution_method"), None),
        ]
    key_value_rows(ws, rows, 3)
    autosize(ws, maximum=90)

    ws = book.create_sheet(sheet_title(t, "sheet_changes"))
    headers = [
        t("candidate"),
        t("name"),
        t("change"),
        t("adopted_start"),
        t("new_start"),
        t("adopted_units"),
        t("new_units"),
        t("caused_by"),
        t("details"),
    ]
    write_header(ws, 1, headers)
    for r, c in enumerate(report.changes, 2):
        values = [
            c.candidate,
            report.names.get(c.candidate, ""),
            t(f"change_{c.kind}"),
            c.adopted_start,
            c.new_start,
            c.adopted_units,
            c.new_units,
            "; ".join(group_words(k, t) for k in c.causes),
            "; ".join(c.reasons_in(lang)),
        ]
        formats = [None, None, None, INTEGER, INTEGER, INTEGER, INTEGER, None, None]
        for k, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
            set_cell(ws, r, k, value, number_format)
        ws.cell(row=r, column=9).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    autosize(ws, maximum=60)

    if a is not None:
        ws = book.create_sheet(sheet_title(t, "sheet_change_costs"))
        write_header(ws, 1, [t("input_change"), t("rows"), t("cost_msek"), t("moves_it_causes")])
        for r, g in enumerate(a.groups, 2):
            set_cell(ws, r, 1, group_words(g.key, t))
            set_cell(ws, r, 2, g.rows, INTEGER)
            set_cell(ws, r, 3, None if g.note else g.cost, MSEK)
            moves = ", ".join(g.moves) or (t("cannot_alone") if g.note else t("no_moves"))
            set_cell(ws, r, 4, moves)
        ws.freeze_panes = "A2"
        autosize(ws, maximum=60)

    ws = book.create_sheet(sheet_title(t, "sheet_input_changes"))
    write_header(ws, 1, [t("table"), t("key"), t("change"), t("field"), t("adopted"), t("now")])
    for r, row in enumerate(report.diffs.itertuples(index=False), 2):
        values = [
            row.table,
            shown_key(row.key),
            t(f"diff_{row.change}"),
            row.field,
            row.adopted,
            row.now,
        ]
        for k, value in enumerate(values, 1):
            set_cell(ws, r, k, None if pd.isna(value) else str(value))
    ws.freeze_panes = "A2"
    autosize(ws, maximum=60)
    for sheet in book.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToHeight = 0
    return book


def write_changes_xlsx(path: Path, report: ChangeReport, lang: str = DEFAULT_LANGUAGE) -> None:
    build_changes_workbook(report, lang).save(path)


def write_change_reports(report: ChangeReport, folder: Path, lang: str = DEFAULT_LANGUAGE) -> None:
    """A replan's own files beside its plan: changes.csv and input_changes.csv (text from the
    inputs, escaped like every CSV capplan writes: no formulas), what-changed.html and .xlsx."""
    folder = Path(folder)
    write_csv(changes_frame(report.changes), folder / "changes.csv")
    write_csv(report.diffs, folder / "input_changes.csv")
    write_changes_html(folder / "what-changed.html", report, lang)
    write_changes_xlsx(folder / "what-changed.xlsx", report, lang)
