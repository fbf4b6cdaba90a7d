"""frontier.html/.xlsx and alternatives.html/.xlsx, and their terminal tables (docs/tradeoffs.md).

House style of the other reports: Swedish by default (``--lang en``), every word from
``optimizer.report.i18n``, charts drawn by ``optimizer.report.svg``, self-contained pages.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from rich.console import Console
from rich.table import Table

from optimizer.report.excel_sheet import (
    DIFF_FILL,
    INTEGER,
    MSEK,
    SECONDS,
    autosize,
    set_cell,
    sheet_title,
    write_header,
)
from optimizer.report.html_page import page, table_html
from optimizer.report.i18n import (
    DEFAULT_LANGUAGE,
    format_number,
    format_percent,
    status_sentence,
    status_word,
    translator,
)
from optimizer.report.svg import PALETTE, Series, category_chart, reset_ids
from optimizer.text import shown, shown_report
from optimizer.tradeoffs import RAISED, Alternatives, Change, Frontier

KNEE_COLOUR = "#D55E00"


def plan_names(plans) -> dict[str, str]:
    """Candidate id -> name, from the schedules of ``plans``: a project that enters, leaves or
    moves was chosen in one of them, so every id a report shows has its name."""
    names: dict[str, str] = {}
    for plan in plans:
        schedule = plan.tables.get("schedule")
        if schedule is not None:
            for row in schedule.itertuples(index=False):
                names.setdefault(str(row.candidate), str(row.name))
    return names


def _change_words(change: Change, t, names: dict[str, str] | None = None) -> str:
    """'PS-EXT Preschool extension tillkommer (2026)': the id and, where known, the name."""

    def years(starts: dict[int, int]) -> str:
        return ", ".join(f"{y}" if u == 1 else f"{y}×{u}" for y, u in sorted(starts.items()))

    who = f"{change.candidate} {(names or {}).get(change.candidate, '')}".strip()
    if change.kind == "enters":
        return f"{who} {t('enters')} ({years(change.after)})"
    if change.kind == "leaves":
        return f"{who} {t('leaves')}"
    return f"{who} {t('moves')} {years(change.before)} → {years(change.after)}"


def _limit_text(limits: dict[str, float], lang: str) -> str:
    """'brist ≤ 12,0, högsta skuld ≤ 300,0': the measure in the report's words, never its id
    ('shortfall', 'debt'), in the progress lines, the terminal table and the reports alike."""
    t = translator(lang)
    return (
        ", ".join(
            f"{t(f'limit_{m}')} {'≥' if m in RAISED else '≤'} {format_number(v, 1, lang)}"
            for m, v in limits.items()
        )
        or "–"
    )


def frontier_rows(frontier: Frontier, lang: str) -> list[list[str]]:
    t = translator(lang)
    base = frontier.points[0].cost
    names = plan_names(p.plan for p in frontier.points)
    rows = []
    for k, p in enumerate(frontier.points):
        label = f"{k}" + (f" ({t('knee')})" if k == frontier.knee else "")
        rows.append(
            [
                label,
                _limit_text(p.limits, lang),
                *[format_number(p.measures[m], 1, lang) for m in frontier.axes],
                format_number(p.cost, 2, lang),
                format_number(p.cost - base, 2, lang),
                format_number(p.measures["score"], 1, lang),
                format_number(p.seconds, 1, lang),
                "; ".join(_change_words(c, t, names) for c in p.changes) or t("no_change"),
            ]
        )
    return rows


def frontier_headers(frontier: Frontier, lang: str) -> list[str]:
    t = translator(lang)
    return [
        t("point"),
        t("limit"),
        *[t(f"measure_{m}") for m in frontier.axes],
        t("cost_msek"),
        t("extra_cost"),
        t("score"),
        t("seconds"),
        t("frontier_changes"),
    ]


def _stopped_text(frontier: Frontier, lang: str) -> str:
    t = translator(lang)
    if frontier.stopped is None and len(frontier.points) == 1:
        return t("frontier_flat", measure=t(f"measure_{frontier.axis}"))
    if frontier.stopped is None:
        return ""
    return t(
        "frontier_stopped",
        measure=", ".join(t(f"measure_{m}") for m in frontier.stopped),
        limit=_limit_text(frontier.stopped, lang),
        status=status_word(frontier.stopped_status, lang),  # 'ogenomförbar', not 'infeasible'
    )


def render_frontier_html(
    frontier: Frontier, scenario_name: str, lang: str = DEFAULT_LANGUAGE
) -> str:
    reset_ids()
    t = translator(lang)
    axis = frontier.axis
    measure = t(f"measure_{axis}")
    lead = t("frontier_lead_score") if axis in RAISED else t("frontier_lead", measure=measure)
    body = [
        f"<header><h1>{escape(t('frontier_report'))}: {escape(scenario_name)}</h1>"
        f'<p class="lead">{escape(lead)}</p></header>'
    ]
    line = [p for p in frontier.points if set(p.limits) <= {axis}]
    categories = [format_number(p.measures[axis], 1, lang) for p in line]
    knee = [p.cost if k == frontier.knee else None for k, p in enumerate(line)]
    series = [Series(t("cost_msek"), [p.cost for p in line], PALETTE[0], kind="line", unit="MSEK")]
    if frontier.knee is not None:
        series.append(Series(t("knee"), knee, KNEE_COLOUR, kind="bar", unit="MSEK"))
    chart = category_chart(
        t("frontier_chart", measure=measure),
        categories,
        series,
        unit="MSEK",
        lang=lang,
        chart_kind="frontier",
        include_zero=False,
        note=t("frontier_knee") if frontier.knee is not None else "",
    )
    body.append(f'<section id="chart">{chart}</section>')
    stopped = _stopped_text(frontier, lang)
    numeric = set(range(2, 2 + len(frontier.axes) + 4))
    table = table_html(
        frontier_headers(frontier, lang),
        frontier_rows(frontier, lang),
        numeric,
        row_classes=["diff" if k == frontier.knee else "" for k in range(len(frontier.points))],
        nowrap=frozenset({0}),
    )
    body.append(
        f'<section id="points"><h2>{escape(t("frontier_points"))}</h2>{table}'
        + (f'<p class="note">{escape(stopped)}</p>' if stopped else "")
        + "</section>"
    )
    if len(frontier.axes) == 2:
        body.append(_grid_html(frontier, lang))
    return page(f"{t('frontier_report')}: {scenario_name}", "\n".join(body), lang)


def grid_table(frontier: Frontier) -> tuple[list[float | None], list[float | None], dict]:
    """Rows (first measure's limits, None = no limit), columns (second's) and cost by cell."""
    first, second = frontier.axes
    rows = sorted(
        {p.limits.get(first) for p in frontier.points}, key=lambda v: -1e300 if v is None else -v
    )
    cols = sorted(
        {p.limits.get(second) for p in frontier.points}, key=lambda v: -1e300 if v is None else -v
    )
    if second in RAISED:
        cols = sorted(cols, key=lambda v: -1e300 if v is None else v)
    cells = {(p.limits.get(first), p.limits.get(second)): p.cost for p in frontier.points}
    return rows, cols, cells


def _grid_html(frontier: Frontier, lang: str) -> str:
    t = translator(lang)
    rows, cols, cells = grid_table(frontier)

    def head(v: float | None) -> str:
        return "–" if v is None else format_number(v, 1, lang)

    first, second = frontier.axes
    table = table_html(
        [f"{t(f'measure_{first}')} \\ {t(f'measure_{second}')}", *[head(c) for c in cols]],
        [
            [
                head(r),
                *[format_number(cells[(r, c)], 2, lang) if (r, c) in cells else "–" for c in cols],
            ]
            for r in rows
        ],
        set(range(1, len(cols) + 1)),
    )
    return f'<section id="grid"><h2>{escape(t("frontier_grid"))}</h2>{table}</section>'


def build_frontier_workbook(frontier: Frontier, lang: str = DEFAULT_LANGUAGE) -> Workbook:
    t = translator(lang)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(t, "sheet_frontier")
    headers = [t("point"), *[f"{t('limit')}: {t(f'measure_{m}')}" for m in frontier.axes]]
    headers += [t(f"measure_{m}") for m in frontier.axes]
    headers += [t("cost_msek"), t("extra_cost"), t("score"), t("seconds")]
    write_header(ws, 1, headers)
    base = frontier.points[0].cost
    for r, p in enumerate(frontier.points, 2):
        values = [(r - 2, INTEGER)]
        values += [(p.limits.get(m), MSEK) for m in frontier.axes]
        values += [(p.measures[m], MSEK) for m in frontier.axes]
        values += [
            (p.cost, MSEK),
            (p.cost - base, MSEK),
            (p.measures["score"], MSEK),
            (p.seconds, SECONDS),
        ]
        for c, (value, fmt) in enumerate(values, 1):
            cell = set_cell(ws, r, c, value, fmt)
            if r - 2 == frontier.knee:
                cell.fill = DIFF_FILL
    stopped = _stopped_text(frontier, lang)
    if stopped:
        set_cell(ws, len(frontier.points) + 3, 1, stopped).font = Font(italic=True)
    ws.freeze_panes = "B2"
    autosize(ws, maximum=40)
    ws = workbook.create_sheet(sheet_title(t, "sheet_changes"))
    write_header(ws, 1, [t("point"), t("candidate"), t("name"), t("frontier_changes"), t("limit")])
    names = plan_names(p.plan for p in frontier.points)
    r = 2
    for k, p in enumerate(frontier.points):
        for change in p.changes:
            set_cell(ws, r, 1, k, INTEGER)
            set_cell(ws, r, 2, change.candidate)
            set_cell(ws, r, 3, names.get(change.candidate, ""))
            set_cell(ws, r, 4, _change_words(change, t))
            set_cell(ws, r, 5, _limit_text(p.limits, lang))
            r += 1
    ws.freeze_panes = "A2"
    autosize(ws, maximum=60)
    return workbook


def write_frontier_reports(frontier: Frontier, scenario_name: str, folder: Path, lang: str) -> None:
    folder = Path(folder)
    (folder / "frontier.html").write_text(
        render_frontier_html(frontier, scenario_name, lang), encoding="utf-8"
    )
    build_frontier_workbook(frontier, lang).save(folder / "frontier.xlsx")


def point_line(point, limits: dict[str, float], lang: str = DEFAULT_LANGUAGE) -> str:
    """One frontier point as it is solved (a progress line): its limits, cost, time, status."""
    t = translator(lang)
    where = _limit_text(limits, lang) if limits else t("optimum")
    if point is None:
        return f"  {where}: {t('no_plan')}"
    cost = format_number(point.cost, 2, lang)
    status = status_sentence(point.plan, lang, short=True)
    return f"  {where}: {cost} MSEK ({format_number(point.seconds, 1, lang)} s, {status})"


def print_frontier(
    frontier: Frontier, console: Console, out_dir: Path | None = None, lang: str = DEFAULT_LANGUAGE
) -> None:
    """The frontier's points on the terminal, in the words and numbers of frontier.html; the
    changes of each step counted (+ entering, − leaving, ~ moving), spelt out in the report."""
    t = translator(lang)
    table = Table(
        title=f"{t('frontier_report')}: {t('frontier_chart', measure=t(f'measure_{frontier.axis}'))}"
    )
    headers = frontier_headers(frontier, lang)
    numbers = range(2, len(headers) - 1)  # point and limit first, the changes last: words
    for k, header in enumerate(headers):
        table.add_column(header, no_wrap=k == 0, justify="right" if k in numbers else "left")
    for row, point in zip(frontier_rows(frontier, lang), frontier.points, strict=True):
        kinds = [c.kind for c in point.changes]
        row[-1] = (
            f"+{kinds.count('enters')} −{kinds.count('leaves')} ~{kinds.count('moves')}"
            if kinds
            else "–"
        )
        table.add_row(*[shown_report(cell) for cell in row])
    console.print(table)
    console.print(t("frontier_terminal_changes"), markup=False)
    stopped = _stopped_text(frontier, lang)
    if stopped:
        console.print(shown_report(stopped), markup=False)
    if out_dir is not None:
        console.print(t("tt_reports_in", folder=shown(out_dir)), markup=False)


# ----------------------------------------------------------------------------------------
# alternatives
# ----------------------------------------------------------------------------------------
def _plan_labels(found: Alternatives, t) -> list[str]:
    return [t("optimum")] + [t("alternative_n", n=k) for k in range(1, len(found.alternatives) + 1)]


def candidate_names(found: Alternatives) -> dict[str, str]:
    """Candidate id -> name, from the plans' schedules (every candidate of the matrix is chosen
    in one plan at least): the matrix shows the name beside the id, as report.html does."""
    return plan_names(a.plan for a in found.plans)


def _start_text(starts: dict[int, int]) -> str:
    return ", ".join(f"{y}" if u == 1 else f"{y}×{u}" for y, u in sorted(starts.items()))


def alternatives_rows(found: Alternatives, lang: str) -> list[list[str]]:
    t = translator(lang)
    base = found.optimum.cost
    return [
        [
            label,
            format_number(a.cost, 2, lang),
            format_number(a.cost - base, 2, lang),
            format_percent((a.cost - base) / abs(base) if base else 0.0, 1, lang),
            str(a.changed),
            format_number(a.score, 1, lang),
            format_number(a.seconds, 1, lang),
        ]
        for label, a in zip(_plan_labels(found, t), found.plans, strict=True)
    ]


def alternatives_headers(lang: str) -> list[str]:
    t = translator(lang)
    return [
        t("plan_column"),
        t("cost_msek"),
        t("extra_cost"),
        "%",
        t("changed_starts"),
        t("score"),
        t("seconds"),
    ]


def _lead(found: Alternatives, lang: str) -> list[str]:
    t = translator(lang)
    out = [
        t(
            "alternatives_lead",
            within=format_percent(found.within, 1, lang),
            limit=format_number(found.cost_limit, 2, lang),
        )
    ]
    if found.prefer:
        out.append(t("alternatives_prefer", tag=found.prefer))
    if found.stopped_status:
        out.append(
            t(
                "alternatives_stopped_one"
                if len(found.alternatives) == 1
                else "alternatives_stopped",
                n=len(found.alternatives),
                status=status_word(found.stopped_status, lang),
            )
        )
    return out


def render_alternatives_html(
    found: Alternatives, scenario_name: str, lang: str = DEFAULT_LANGUAGE
) -> str:
    reset_ids()
    t = translator(lang)
    labels = _plan_labels(found, t)
    body = [
        f"<header><h1>{escape(t('alternatives_report'))}: {escape(scenario_name)}</h1>"
        + "".join(f'<p class="lead">{escape(line)}</p>' for line in _lead(found, lang))
        + "</header>"
    ]
    chart = category_chart(
        t("cost_msek"),
        labels,
        [Series(t("cost_msek"), [a.cost for a in found.plans], PALETTE[0], unit="MSEK")],
        unit="MSEK",
        lang=lang,
        chart_kind="alternatives",
        include_zero=False,
    )
    plans = table_html(alternatives_headers(lang), alternatives_rows(found, lang), set(range(1, 7)))
    body.append(
        f'<section id="plans"><h2>{escape(t("alternatives_plans"))}</h2>{chart}{plans}</section>'
    )
    must = found.must_haves()
    names = candidate_names(found)
    rows, classes, cells = [], [], {}
    for r, candidate in enumerate(found.candidates()):
        texts = [_start_text(a.plan.starts.get(candidate, {})) or "–" for a in found.plans]
        must_word = t("yes") if candidate in must else t("no")
        rows.append([candidate, names.get(candidate, ""), must_word, *texts])
        classes.append("" if candidate in must else "diff")
        for k, text in enumerate(texts):
            if k and text != texts[0]:
                cells[(r, 3 + k)] = "changed"
    matrix = table_html(
        [t("candidate"), t("name"), t("must_haves"), *labels],
        rows,
        set(range(3, 3 + len(labels))),
        row_classes=classes,
        cell_classes=cells,
    )
    summary = (
        f"<p><strong>{escape(t('must_haves'))}:</strong> {escape(', '.join(must) or t('none'))}</p>"
        f"<p><strong>{escape(t('interchangeable'))}:</strong> "
        f"{escape(', '.join(found.interchangeable()) or t('none'))}</p>"
    )
    body.append(
        f'<section id="matrix" class="page-break"><h2>{escape(t("alternatives_matrix"))}</h2>{summary}{matrix}</section>'
    )
    return page(f"{t('alternatives_report')}: {scenario_name}", "\n".join(body), lang)


def build_alternatives_workbook(found: Alternatives, lang: str = DEFAULT_LANGUAGE) -> Workbook:
    t = translator(lang)
    labels = _plan_labels(found, t)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(t, "sheet_alternatives")
    write_header(ws, 1, alternatives_headers(lang))
    base = found.optimum.cost
    for r, (label, a) in enumerate(zip(labels, found.plans, strict=True), 2):
        set_cell(ws, r, 1, label)
        set_cell(ws, r, 2, a.cost, MSEK)
        set_cell(ws, r, 3, a.cost - base, MSEK)
        set_cell(ws, r, 4, (a.cost - base) / abs(base) if base else 0.0, "0.0%")
        set_cell(ws, r, 5, a.changed, INTEGER)
        set_cell(ws, r, 6, a.score, MSEK)
        set_cell(ws, r, 7, a.seconds, SECONDS)
    for k, line in enumerate(_lead(found, lang)):
        set_cell(ws, len(labels) + 3 + k, 1, line).font = Font(italic=True)
    ws.freeze_panes = "B2"
    autosize(ws, maximum=40)
    ws = workbook.create_sheet(sheet_title(t, "sheet_matrix"))
    write_header(ws, 1, [t("candidate"), t("name"), t("must_haves"), *labels])
    must = found.must_haves()
    names = candidate_names(found)
    for r, candidate in enumerate(found.candidates(), 2):
        set_cell(ws, r, 1, candidate)
        set_cell(ws, r, 2, names.get(candidate, ""))
        set_cell(ws, r, 3, t("yes") if candidate in must else t("no"))
        for k, a in enumerate(found.plans):
            cell = set_cell(ws, r, 4 + k, _start_text(a.plan.starts.get(candidate, {})) or "–")
            if candidate not in must:
                cell.fill = DIFF_FILL
    ws.freeze_panes = "B2"
    autosize(ws, maximum=30)
    return workbook


def write_alternatives_reports(
    found: Alternatives, scenario_name: str, folder: Path, lang: str
) -> None:
    folder = Path(folder)
    (folder / "alternatives.html").write_text(
        render_alternatives_html(found, scenario_name, lang), encoding="utf-8"
    )
    build_alternatives_workbook(found, lang).save(folder / "alternatives.xlsx")


def alternative_line(found, k: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The optimum (``k`` 0) or the k-th alternative as it is found (a progress line)."""
    t = translator(lang)
    label = t("optimum") if k == 0 else t("alternative_n", n=k)
    if found is None:
        return f"  {label}: {t('alternative_none_within')}"
    words = t(
        "alternative_line_one" if found.changed == 1 else "alternative_line",
        cost=format_number(found.cost, 2, lang),
        changed=found.changed,
        seconds=format_number(found.seconds, 1, lang),
    )
    return f"  {label}: {words}"


def print_alternatives(
    found: Alternatives, console: Console, out_dir: Path | None = None, lang: str = DEFAULT_LANGUAGE
) -> None:
    """The optimum and its alternatives on the terminal, in the words of alternatives.html."""
    t = translator(lang)
    table = Table(title=t("alternatives_report"))
    for k, header in enumerate(alternatives_headers(lang)):
        table.add_column(header, no_wrap=k == 0, justify="left" if k == 0 else "right")
    for row in alternatives_rows(found, lang):
        table.add_row(*[shown_report(cell) for cell in row])
    console.print(table)
    for line in _lead(found, lang)[1:]:
        console.print(shown_report(line), markup=False)
    none = t("none")
    console.print(f"{t('must_haves')}: {', '.join(found.must_haves()) or none}", markup=False)
    console.print(
        f"{t('interchangeable')}: {', '.join(found.interchangeable()) or none}", markup=False
    )
    if out_dir is not None:
        console.print(t("tt_reports_in", folder=shown(out_dir)), markup=False)
