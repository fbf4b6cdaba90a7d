"""The scenario comparison as a terminal table, compare.html and compare.xlsx.

All three show the same ``Comparison`` (``optimizer.compare``): one column per scenario, the
measures as rows, and the candidate-by-candidate matrix of choice and start year with the rows
that differ highlighted (and, within them, the cells that differ from the first scenario).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from rich.console import Console
from rich.table import Table

from optimizer.compare import Comparison, Metric
from optimizer.report import figures, i18n
from optimizer.report.excel_sheet import (
    DIFF_FILL,
    INTEGER,
    MSEK,
    STATUS_FILLS,
    autosize,
    set_cell,
    sheet_title,
    write_header,
)
from optimizer.report.html_page import page, table_html
from optimizer.report.svg import PALETTE, Series, category_chart, reset_ids
from optimizer.text import shown, shown_report


def metric_format(kind: str) -> str:
    """A metric's cell format: the digits its kind has in every report (``i18n.DECIMALS``),
    a percentage only for a share (the self-financing rate), a year without a separator."""
    return INTEGER if kind == "year" else i18n.excel_format(kind)


def _format(metric: Metric, value, lang: str) -> str:
    if value is None:
        return "–"
    if metric.kind == "year":
        return str(int(value))
    return i18n.format_quantity(value, metric.kind, lang)  # as the plan's reports write it


# ----------------------------------------------------------------------------------------
# terminal
# ----------------------------------------------------------------------------------------
def print_comparison(
    comparison: Comparison,
    console: Console | None = None,
    out_dir: Path | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> None:
    """Side by side in the terminal, in the report language (``comparison`` built in ``lang``):
    the measures, the candidates whose decisions differ, and why a run has no plan."""
    console = console or Console()
    t = i18n.translator(lang)
    console.print(_measures_table(comparison, t, lang))
    _print_differences(comparison, console, t)
    for entry in comparison.entries:
        if entry.plan.has_solution:
            continue
        console.print(
            f"[bold red]{shown(entry.label)}[/]: {shown_report(i18n.status_sentence(entry.plan, lang))}"
        )
        for line in why_no_plan(entry, t, lang):
            console.print(f"  • {shown_report(line)}")
    if out_dir is not None:
        console.print(t("tt_comparison", folder=shown(out_dir)))


def _measures_table(comparison: Comparison, t, lang: str) -> Table:
    """Status, source and every measure, a column per run (differing measures in bold)."""
    table = Table(title=t("tt_compare"), show_lines=False)
    table.add_column(t("tt_measure"), justify="left")
    for label in comparison.labels:
        table.add_column(shown(label), justify="right")
    table.add_row(
        t("tt_status").lower(),
        *[i18n.status_sentence(e.plan, lang, short=True) for e in comparison.entries],
    )
    table.add_row(
        t("tt_source"),
        *[t("reused") if e.source == "reused" else t("solved") for e in comparison.entries],
        end_section=True,
    )
    for metric in comparison.metrics:
        style = "bold" if metric.differs else None
        table.add_row(metric.label, *[_format(metric, v, lang) for v in metric.values], style=style)
    return table


def _print_differences(comparison: Comparison, console: Console, t) -> None:
    """The candidates whose decisions differ between the runs (a cell unlike the first run's
    in yellow), then how many are the same everywhere."""
    differing = [row for row in comparison.matrix if row.differs]
    same = len(comparison.matrix) - len(differing)
    matrix = Table(title=t("tt_differ"), show_lines=False)
    matrix.add_column(t("tt_candidate"), justify="left")
    matrix.add_column(t("tt_name"), justify="left", max_width=36)
    for label in comparison.labels:
        matrix.add_column(shown(label), justify="right")
    for row in differing:
        texts = [c.text(t("not_chosen"), t("no_plan")) for c in row.choices]
        cells = [
            f"[bold yellow]{shown(text)}[/]" if k and text != texts[0] else shown(text)
            for k, text in enumerate(texts)
        ]
        matrix.add_row(shown(row.candidate), shown(row.name), *cells)
    if differing:
        console.print(matrix)
    else:
        console.print(t("tt_none_differ"))
    among = "" if all(e.plan.has_solution for e in comparison.entries) else t("tt_among_planned")
    console.print(
        t(
            "tt_same_one" if same == 1 else "tt_same_many",
            same=same,
            among=among,
            never=len(comparison.never_chosen),
        )
    )


def why_no_plan(entry, t, lang: str) -> list[str]:
    """Why a compared run has no plan, as lines in ``lang``: its diagnosis, or the time limit it
    ran out of."""
    from optimizer.status import Status

    if entry.plan.status is Status.INFEASIBLE:
        if not entry.diagnosis:
            return [t("no_plan_unexplained")]
        return [c.text(lang) for c in entry.diagnosis]
    seconds = (entry.plan.settings or {}).get("time_limit")
    return [t("no_plan_unsolved", seconds=f"{seconds:g}" if seconds else "?")]


# ----------------------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------------------
def _colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def _charts(comparison: Comparison, t, lang: str) -> str:
    labels = comparison.labels
    charts = []
    objective = comparison.metrics[0]
    charts.append(
        category_chart(
            t("chart_pv"),
            labels,
            [Series(objective.label, objective.values, PALETTE[0], "bar", "MSEK")],
            unit="MSEK",
            lang=lang,
            height=220,
            chart_kind="pv",
        )
    )
    periods = [
        m for m in comparison.metrics if m.key.startswith("capex_") and m.key != "capex_total"
    ]
    if periods:
        categories = [f"{a}–{b}" if b > a else f"{a}" for a, b in comparison.periods]
        series = [
            Series(label, [m.values[k] for m in periods], _colour(k), "bar", "MSEK")
            for k, label in enumerate(labels)
        ]
        charts.append(
            category_chart(
                t("chart_capex_periods"),
                categories,
                series,
                unit="MSEK",
                lang=lang,
                height=230,
                chart_kind="capex",
            )
        )
    charts.append(_shortfall_multiples(comparison, t, lang))
    for table_name, column, title_key, kind, unit in (
        ("co2e", "total_t", "chart_co2e_cmp", "co2e", t("tonnes")),
        ("debt", "debt", "chart_debt_cmp", "debt", "MSEK"),
    ):
        frames = [e.plan.tables.get(table_name) for e in comparison.entries]
        if not any(f is not None and not f.empty for f in frames):
            continue
        years = sorted({int(y) for f in frames if f is not None for y in f["year"]})
        series = []
        for k, (label, frame) in enumerate(zip(labels, frames, strict=True)):
            by_year = (
                dict(zip(frame["year"].astype(int), frame[column], strict=True))
                if frame is not None
                else {}
            )
            # earlier scenarios wider, so a later identical line leaves them visible as a halo
            width = 2.2 + 2.0 * (len(labels) - 1 - k)
            series.append(
                Series(label, [by_year.get(y) for y in years], _colour(k), "line", unit, width)
            )
        charts.append(
            category_chart(
                t(title_key),
                [str(y) for y in years],
                series,
                unit=unit,
                lang=lang,
                height=230,
                chart_kind=kind,
            )
        )
    return "".join(charts)


def _shortfall_multiples(comparison: Comparison, t, lang: str) -> str:
    """One small chart per service, each on its own unit's axis (places, apartments, pe and
    hours a week never share an axis); services without shortfall anywhere are named in a note.
    A grid of small charts stays readable with ten services, and prints two to a row."""
    shortfalls = [m for m in comparison.metrics if m.key.startswith("shortfall_")]
    if not shortfalls:
        return ""
    service_names: dict[str, str] = {}
    units: dict[str, str] = {}
    for entry in comparison.entries:
        for service, name in figures.names(entry.scenario)["service"].items():
            service_names.setdefault(service, name)
        if entry.plan.has_solution:
            for service, unit in figures.headline(entry.plan).units_by_service.items():
                units.setdefault(service, unit)
    charts, quiet = [], []
    for metric in shortfalls:
        service = metric.key.removeprefix("shortfall_")
        name = service_names.get(service, service)
        if not any(v for v in metric.values if v is not None):
            quiet.append(name)
            continue
        unit = i18n.unit_name(units.get(service, ""), lang)  # 'platser', never 'places'
        charts.append(
            category_chart(
                name,
                comparison.labels,
                [Series(t("shortfall"), metric.values, PALETTE[3 % len(PALETTE)], "bar", unit)],
                unit=t("unit_years", unit=unit) if unit else "",
                lang=lang,
                width=320,
                height=210,
                chart_kind="shortfall",
            )
        )
    grid = (
        '<div class="multiples" style="display:grid;'
        'grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:0 18px">'
        + "".join(charts)
        + "</div>"
        if charts
        else ""
    )
    note = (
        f'<p class="note">{escape(t("no_shortfall_in", services=", ".join(quiet)))}</p>'
        if quiet
        else ""
    )
    return f"<h3>{escape(t('chart_shortfall_cmp'))}</h3>{grid}{note}"


def department_names(comparison: Comparison) -> dict[str, str]:
    """Department id -> name over the compared scenarios: the project matrix names the
    department as report.html does, never by its id alone."""
    names: dict[str, str] = {}
    for entry in comparison.entries:
        for department, name in figures.names(entry.scenario)["department"].items():
            names.setdefault(department, name)
    return names


def _why_html(comparison: Comparison, t, lang: str) -> str:
    """A section per run without a plan: its diagnosis, as ``capplan run`` would state it."""
    parts = []
    for entry in comparison.entries:
        if entry.plan.has_solution:
            continue
        lines = "".join(f"<li>{escape(line)}</li>" for line in why_no_plan(entry, t, lang))
        lead = f'<p class="note">{escape(t("no_plan_why_note"))}</p>' if entry.diagnosis else ""
        parts.append(
            f"<h3>{escape(entry.label)}: {escape(i18n.status_sentence(entry.plan, lang))}</h3>"
            f"{lead}<ul>{lines}</ul>"
        )
    if not parts:
        return ""
    return f'<section id="no-plan"><h2>{escape(t("no_plan_why"))}</h2>{"".join(parts)}</section>'


def render_compare_html(comparison: Comparison, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    reset_ids()
    t = i18n.translator(lang)
    labels = comparison.labels
    title = t("compare_report")
    # who is compared
    rows = [
        [
            e.label,
            e.plan.scenario,
            e.plan.variant,
            i18n.status_sentence(e.plan, lang, short=True),
            t("reused") if e.source == "reused" else t("solved"),
            str(e.folder or ""),
        ]
        for e in comparison.entries
    ]
    who = table_html(
        [t("label"), t("scenario"), t("variant"), t("status"), t("source"), t("folder")],
        rows,
        nowrap=frozenset({0}),
    )
    # measures side by side
    metric_rows = [[m.label, *[_format(m, v, lang) for v in m.values]] for m in comparison.metrics]
    metric_classes = ["diff" if m.differs else "" for m in comparison.metrics]
    metrics = table_html(
        [t("metric"), *labels],
        metric_rows,
        set(range(1, len(labels) + 1)),
        row_classes=metric_classes,
        nowrap=frozenset(),
    )
    # the project matrix
    departments = department_names(comparison)
    matrix_rows, row_classes, cell_classes = [], [], {}
    for r, row in enumerate(comparison.matrix):
        first = row.choices[0].text(t("not_chosen"), t("no_plan"))
        texts = [c.text(t("not_chosen"), t("no_plan")) for c in row.choices]
        department = departments.get(row.department, row.department)
        matrix_rows.append([row.candidate, row.name, department, *texts])
        row_classes.append("diff" if row.differs else "")
        for k, text in enumerate(texts):
            if k and text != first:
                cell_classes[(r, 3 + k)] = "changed"
    matrix = table_html(
        [t("candidate"), t("name"), t("department"), *labels],
        matrix_rows,
        set(range(3, 3 + len(labels))),
        row_classes=row_classes,
        cell_classes=cell_classes,
    )
    same = sum(1 for row in comparison.matrix if not row.differs)
    body = [
        f'<header><h1>{escape(title)}</h1><p class="lead">{escape(", ".join(labels))}</p></header>',
        f'<section id="scenarios"><h2>{escape(t("scenario"))}</h2>{who}</section>',
        f'<section id="metrics"><h2>{escape(t("compare_metrics"))}</h2>{metrics}</section>',
        f'<section id="charts">{_charts(comparison, t, lang)}</section>',
        f'<section id="matrix" class="page-break"><h2>{escape(t("compare_matrix"))}</h2>'
        f'<p class="note">{escape(t("compare_matrix_note"))} {same} {escape(t("same_in_all"))}.</p>{matrix}</section>',
    ]
    why = _why_html(comparison, t, lang)
    if why:
        body.insert(2, why)  # right after who is compared: the first thing to know
    return page(title, "\n".join(body), lang)


# ----------------------------------------------------------------------------------------
# Excel
# ----------------------------------------------------------------------------------------
def matrix_cell(choice, not_chosen: str = "–", no_plan: str = "no plan"):
    """A start year as a number when there is one start of one unit; text otherwise."""
    if not choice.planned:
        return no_plan
    if not choice.chosen:
        return not_chosen
    if len(choice.starts) == 1 and next(iter(choice.starts.values())) == 1:
        return next(iter(choice.starts))
    return choice.text(not_chosen)


def build_compare_workbook(comparison: Comparison, lang: str = i18n.DEFAULT_LANGUAGE) -> Workbook:
    t = i18n.translator(lang)
    labels = comparison.labels
    workbook = Workbook()
    ws: Worksheet = workbook.active
    ws.title = sheet_title(t, "sheet_metrics")
    write_header(ws, 1, [t("metric"), *labels])
    set_cell(ws, 2, 1, t("status")).font = Font(bold=True)
    for k, entry in enumerate(comparison.entries):
        cell = set_cell(ws, 2, 2 + k, i18n.status_sentence(entry.plan, lang, short=True))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if entry.plan.status in STATUS_FILLS:
            cell.fill = STATUS_FILLS[entry.plan.status]
    for r, metric in enumerate(comparison.metrics, 3):
        set_cell(ws, r, 1, metric.label)
        for k, value in enumerate(metric.values):
            cell = set_cell(ws, r, 2 + k, value, metric_format(metric.kind))
            if metric.differs:
                cell.fill = DIFF_FILL
    ws.freeze_panes = "B2"
    autosize(ws, maximum=48)

    ws = workbook.create_sheet(sheet_title(t, "sheet_projects"))
    write_header(ws, 1, [t("candidate"), t("name"), t("department"), *labels, t("differs")])
    departments = department_names(comparison)
    for r, row in enumerate(comparison.matrix, 2):
        set_cell(ws, r, 1, row.candidate)
        set_cell(ws, r, 2, row.name)
        set_cell(ws, r, 3, departments.get(row.department, row.department))
        first = row.choices[0].text()
        for k, choice in enumerate(row.choices):
            cell = set_cell(
                ws, r, 4 + k, matrix_cell(choice, t("not_chosen"), t("no_plan")), INTEGER
            )
            cell.alignment = Alignment(horizontal="right")
            if row.differs:
                cell.fill = DIFF_FILL
                if k and choice.text() != first:
                    cell.font = Font(bold=True)
        set_cell(ws, r, 4 + len(labels), t("yes") if row.differs else "")
        if row.differs:
            for column in (1, 2, 3, 4 + len(labels)):
                ws.cell(row=r, column=column).fill = DIFF_FILL
    ws.freeze_panes = "D2"
    if comparison.matrix:
        from openpyxl.utils import get_column_letter

        ws.auto_filter.ref = f"A1:{get_column_letter(4 + len(labels))}{len(comparison.matrix) + 1}"
    autosize(ws, maximum=48)

    ws = workbook.create_sheet(sheet_title(t, "sheet_scenarios"))
    data = comparison.to_dict()["scenarios"]
    headers = [
        t("label"),
        t("scenario"),
        t("variant"),
        t("status"),
        t("objective"),
        t("gap"),
        t("source"),
        t("folder"),
        t("input_hash"),
    ]
    write_header(ws, 1, headers)
    for r, (entry, info) in enumerate(zip(comparison.entries, data, strict=True), 2):
        values = [
            entry.label,
            entry.plan.scenario,
            entry.plan.variant,
            i18n.status_sentence(entry.plan, lang, short=True),
            entry.plan.objective,
            entry.plan.gap,
            t("reused") if entry.source == "reused" else t("solved"),
            str(entry.folder or ""),
            info["input_hash"],
        ]
        formats = [None, None, None, None, MSEK, "0.00%", None, None, None]
        for c, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
            set_cell(ws, r, c, value, number_format)
    ws.freeze_panes = "A2"
    autosize(ws, maximum=70)
    _diagnosis_sheet(workbook, comparison, t, lang)
    for sheet in workbook.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToHeight = 0
        sheet.print_title_rows = "1:1"
    return workbook


def _diagnosis_sheet(workbook: Workbook, comparison: Comparison, t, lang: str) -> None:
    """Why each run without a plan has none: one row per conflicting limit (or one sentence)."""
    missing = [e for e in comparison.entries if not e.plan.has_solution]
    if not missing:
        return
    ws = workbook.create_sheet(sheet_title(t, "sheet_diagnosis"))
    write_header(
        ws, 1, [t("label"), t("status"), t("limit"), t("year"), t("violation"), t("explanation")]
    )
    r = 2
    for entry in missing:
        status = i18n.status_sentence(entry.plan, lang, short=True)
        if not entry.diagnosis:
            for line in why_no_plan(entry, t, lang):
                for c, value in enumerate((entry.label, status, None, None, None, line), 1):
                    set_cell(ws, r, c, value)
                r += 1
            continue
        names = figures.names(entry.scenario)
        for conflict in entry.diagnosis:
            values = (
                entry.label,
                status,
                # the limit in words, as the explanation beside it: never "budget[tax,2026]"
                figures.limit_words(conflict.key, lang, names),
                conflict.key.year,
                conflict.violation,
                conflict.text(lang),
            )
            formats = (None, None, None, "0", "#,##0.0", None)
            for c, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
                set_cell(ws, r, c, value, number_format)
            ws.cell(row=r, column=6).alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    ws.freeze_panes = "A2"
    autosize(ws, maximum=90)


def write_compare_reports(
    comparison: Comparison, folder: Path, lang: str = i18n.DEFAULT_LANGUAGE
) -> None:
    """compare.html and compare.xlsx into ``folder`` (labels in ``lang``)."""
    folder = Path(folder)
    (folder / "compare.html").write_text(render_compare_html(comparison, lang), encoding="utf-8")
    build_compare_workbook(comparison, lang).save(folder / "compare.xlsx")
