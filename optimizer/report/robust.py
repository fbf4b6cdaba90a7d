"""robust.html and robust.xlsx: what to decide now, what can wait, and the regret table
(docs/robust.md), in the house style of report.html (Swedish by default, ``--lang en``)."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from optimizer.report import figures
from optimizer.report.excel_sheet import MSEK, UNITS, autosize, set_cell, write_header
from optimizer.report.html_page import card, page, table_html
from optimizer.report.i18n import (
    DEFAULT_LANGUAGE,
    format_number,
    status_sentence,
    status_word,
    translator,
    unit_name,
)
from optimizer.report.svg import PALETTE, Series, category_chart, reset_ids
from optimizer.robust import ROBUST, RobustResult


def _plan_label(plan: str, t) -> str:
    return t("robust_plan") if plan == ROBUST else t("own_plan", variant=plan)


def _number(value, lang: str) -> str:
    return format_number(value, 1, lang) if value is not None else "–"


def _start_text(by_year: dict[int, int]) -> str:
    return ", ".join(f"{y}" if n == 1 else f"{y} ({n})" for y, n in sorted(by_year.items())) or "–"


def lead_sentence(result: RobustResult, lang: str) -> str:
    """Which variants, which years are decided together, by which criterion."""
    t = translator(lang)
    return t(
        "robust_lead",
        variants=", ".join(result.variants),
        year=result.decide_until,
        criterion=t(f"criterion_{result.criterion}"),
    )


def render_robust_html(result: RobustResult, scenario, lang: str = DEFAULT_LANGUAGE) -> str:
    t = translator(lang)
    reset_ids()
    year = result.decide_until
    candidates = scenario.candidate_by_id
    lead = lead_sentence(result, lang)
    regret = result.regret
    robust_rows = regret[regret["plan"] == ROBUST]
    cards = [
        card(t("expected_cost"), _number(_expected(result), lang), "MSEK"),
        card(
            t("max_regret"),
            _number(robust_rows["regret"].max(), lang),
            "MSEK",
        ),
    ]
    status = status_sentence(result, lang)
    departments = figures.names(scenario)["department"]
    # the core
    core_rows = [
        [
            c,
            candidates[c].name,
            departments.get(candidates[c].department, candidates[c].department),
            str(y),
            str(n),
            _number(candidates[c].capex, lang),
        ]
        for c, by_year in sorted(result.core.items(), key=lambda item: (min(item[1]), item[0]))
        for y, n in sorted(by_year.items())
    ]
    core = (
        table_html(
            [t("candidate"), t("name"), t("department"), t("start_year"), t("units"), t("capex")],
            core_rows,
            {3, 4, 5},
        )
        if core_rows
        else f'<p class="note">{escape(t("core_empty", next=year + 1))}</p>'
    )
    # what can wait
    deferred_rows = [
        [
            row.candidate,
            candidates[row.candidate].name,
            str(row.decide_by),
            t("yes") if row.same_in_every_variant else "",
            *(_start_text(row.starts[v]) for v in result.variants),
        ]
        for row in result.deferred.itertuples(index=False)
    ]
    deferred = table_html(
        [t("candidate"), t("name"), t("decide_by"), t("same_everywhere"), *result.variants],
        deferred_rows,
        {2},
    )
    # the regret table: plans down, the variant that comes true across
    headers = [t("robust_decisions_from", year=year)]
    for v in result.variants:
        headers += [f"{t('cost')} {t('if_true', variant=v)}", t("regret"), t("shortfall_cost")]
    headers.append(t("max_regret"))
    rows = []
    for plan, group in regret.groupby("plan", sort=False):
        row = [_plan_label(plan, t)]
        for v in result.variants:
            cell = group[group["comes_true"] == v].iloc[0]
            row += [
                _number(cell["cost"], lang),
                _number(cell["regret"], lang),
                _number(cell["shortfall_cost"], lang),
            ]
        row.append(_number(group["regret"].max(), lang))
        rows.append(row)
    regret_html = table_html(
        headers, rows, set(range(1, len(headers))), row_classes=["total"] + [""] * (len(rows) - 1)
    )
    # each variant's plan
    variant_rows = [
        [
            v,
            format_number(result.weights[v], 2, lang),
            status_sentence(result.plans[v], lang, short=True),
            _number(result.plans[v].objective, lang),
            _number(result.own[v].objective, lang),
        ]
        for v in result.variants
    ]
    variants = table_html(
        [t("variant"), t("weight"), t("status"), t("cost"), t("own_optimum")],
        variant_rows,
        {1, 3, 4},
    )
    body = [
        f'<header><h1>{escape(t("robust_report"))}</h1><p class="lead">{escape(scenario.settings.scenario.name)}. {escape(lead)}</p>'
        f'<p class="note">{escape(status)}</p></header>',
        f'<section id="headline"><div class="cards">{"".join(cards)}</div></section>',
        f'<section id="core"><h2>{escape(t("core"))}</h2><p class="note">{escape(t("core_note", year=year))}</p>{core}</section>',
        f'<section id="deferred"><h2>{escape(t("deferred"))}</h2><p class="note">{escape(t("deferred_note", year=year))}</p>{deferred}</section>',
        f'<section id="regret"><h2>{escape(t("regret_table"))}</h2><p class="note">{escape(t("regret_note", year=year))}</p>{regret_html}</section>',
        f'<section id="variants"><h2>{escape(t("variant_plans"))}</h2>{variants}</section>',
        _coverage_section(result, scenario, t, lang),
    ]
    return page(t("robust_report"), "\n".join(body), lang)


def coverage_by_variant(result: RobustResult) -> pd.DataFrame:
    """Demand, capacity and shortfall per service, year and variant of the robust plan."""
    frames = []
    for v in result.variants:
        plan = result.plans.get(v)
        if plan is None or not plan.has_solution:
            continue
        for service, rows in figures.coverage_by_service(plan).items():
            frames.append(rows.assign(service=service, variant=v))
    if not frames:
        return pd.DataFrame(
            columns=["service", "year", "variant", "demand", "capacity", "shortfall"]
        )
    out = pd.concat(frames, ignore_index=True)
    return out[["service", "year", "variant", "demand", "capacity", "shortfall"]]


def _coverage_section(result: RobustResult, scenario, t, lang: str) -> str:
    """Per service: each variant's demand (line) and the robust plan's capacity in it (step),
    over the range of demand across the variants (shaded)."""
    rows = coverage_by_variant(result)
    if rows.empty:
        return ""
    names = figures.names(scenario)
    charts = []
    for service, group in rows.groupby("service", sort=False):
        unit = unit_name(names["unit"].get(service, ""), lang)
        demand = group.pivot_table(index="year", columns="variant", values="demand")
        capacity = group.pivot_table(index="year", columns="variant", values="capacity")
        low, high = demand.min(axis=1), demand.max(axis=1)
        series = [
            Series(t("robust_fan_range"), (high - low).tolist(), PALETTE[4], "band", unit,
                   base=low.tolist()),
        ]  # fmt: skip
        for k, v in enumerate(result.variants):
            if v not in demand:
                continue
            colour = PALETTE[k % len(PALETTE)]
            series.append(Series(t("robust_fan_demand", variant=v), demand[v].tolist(), colour,
                                 "line", unit, width=1.8))  # fmt: skip
            series.append(Series(t("robust_fan_capacity", variant=v), capacity[v].tolist(),
                                 colour, "step", unit, width=max(1.2, 3.2 - 0.6 * k)))  # fmt: skip
        charts.append(
            category_chart(
                f"{names['service'].get(service, service)} ({unit})",
                [str(int(y)) for y in demand.index],
                series,
                unit=unit,
                lang=lang,
                height=230,
                chart_kind="fan",
                include_zero=False,
            )
        )
    return (
        f'<section id="coverage" class="page-break"><h2>{escape(t("robust_fan_title"))}</h2>'
        f'<p class="note">{escape(t("robust_fan_note"))}</p>{"".join(charts)}</section>'
    )


def _expected(result: RobustResult) -> float | None:
    if not all(p.has_solution for p in result.plans.values()) or not result.plans:
        return None
    return sum(result.weights[v] * result.plans[v].objective for v in result.variants)


def build_robust_workbook(result: RobustResult, scenario, lang: str = DEFAULT_LANGUAGE) -> Workbook:
    t = translator(lang)
    candidates = scenario.candidate_by_id
    names = figures.names(scenario)
    workbook = Workbook()
    ws = workbook.active
    ws.title = t("sheet_core")
    write_header(
        ws, 1, [t("candidate"), t("name"), t("department"), t("start_year"), t("units"), t("capex")]
    )
    r = 2
    for c, by_year in sorted(result.core.items(), key=lambda item: (min(item[1]), item[0])):
        department = names["department"].get(candidates[c].department, candidates[c].department)
        for y, n in sorted(by_year.items()):
            for k, value in enumerate(
                [c, candidates[c].name, department, y, n, candidates[c].capex], 1
            ):
                set_cell(ws, r, k, value, MSEK if k == 6 else None)
            r += 1
    autosize(ws, maximum=60)

    ws = workbook.create_sheet(t("sheet_deferred"))
    write_header(
        ws, 1, [t("candidate"), t("name"), t("decide_by"), t("same_everywhere"), *result.variants]
    )
    for r, row in enumerate(result.deferred.itertuples(index=False), 2):
        values = [row.candidate, candidates[row.candidate].name, row.decide_by,
                  t("yes") if row.same_in_every_variant else ""]  # fmt: skip
        values += [_start_text(row.starts[v]) for v in result.variants]
        for k, value in enumerate(values, 1):
            set_cell(ws, r, k, value)
    autosize(ws, maximum=60)

    ws = workbook.create_sheet(t("sheet_regret"))
    write_header(
        ws, 1,
        [t("robust_decisions_from", year=result.decide_until), t("comes_true"), t("status"), t("cost"),
         t("regret"), t("shortfall_cost"), t("shortfall")],
    )  # fmt: skip
    for r, row in enumerate(result.regret.itertuples(index=False), 2):
        values = [_plan_label(row.plan, t), row.comes_true, status_word(row.status, lang),
                  row.cost, row.regret, row.shortfall_cost, row.shortfall_units]  # fmt: skip
        for k, value in enumerate(values, 1):
            # the last column is places, pe, …: the units' format, not MSEK
            cell = set_cell(ws, r, k, value, UNITS if k == 7 else MSEK if k >= 4 else None)
            if row.plan == ROBUST:
                cell.font = Font(bold=True)
    autosize(ws, maximum=60)

    ws = workbook.create_sheet(t("sheet_variants"))
    write_header(ws, 1, [t("variant"), t("weight"), t("status"), t("cost"), t("own_optimum")])
    for r, v in enumerate(result.variants, 2):
        values = [v, result.weights[v], status_sentence(result.plans[v], lang, short=True),
                  result.plans[v].objective, result.own[v].objective]  # fmt: skip
        for k, value in enumerate(values, 1):
            set_cell(ws, r, k, value, "0.00" if k == 2 else (MSEK if k >= 4 else None))
    autosize(ws, maximum=60)

    ws = workbook.create_sheet(t("sheet_coverage"))
    write_header(ws, 1, [t("service"), t("year"), t("variant"), t("chart_demand"),
                         t("chart_capacity"), t("shortfall")])  # fmt: skip
    for r, row in enumerate(coverage_by_variant(result).itertuples(index=False), 2):
        service = names["service"].get(row.service, row.service)  # by name, as in robust.html
        for k, value in enumerate([service, *row[1:]], 1):
            set_cell(ws, r, k, value, UNITS if k >= 4 else None)
    autosize(ws, maximum=40)
    return workbook


def write_robust_reports(result: RobustResult, scenario, folder: Path, lang: str) -> None:
    """robust.html and robust.xlsx into ``folder``."""
    folder = Path(folder)
    (folder / "robust.html").write_text(
        render_robust_html(result, scenario, lang), encoding="utf-8"
    )
    build_robust_workbook(result, scenario, lang).save(folder / "robust.xlsx")
