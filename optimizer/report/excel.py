"""plan.xlsx: the plan as a workbook a finance office can hand on (docs/reports.md).

One sheet per table people read: summary, schedule (a timeline), investment per year,
capacity, budget, debt, operating costs, CO2e, staff, shadow prices, inputs. Numbers are real
numbers with formats (MSEK with one decimal), header rows are frozen, and any text that starts
like a formula is stored as an explicit string so that Excel shows it and never runs it.

    >>> write_plan_xlsx(plan, scenario, Path("plan.xlsx"), lang="sv")
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.data import year_limits
from optimizer.io.results import input_hash
from optimizer.plan import Plan
from optimizer.report import figures
from optimizer.report.closures import closure_sentences
from optimizer.report.excel_sheet import (
    BAD_FILL,
    BUILD_FILL,
    GAP,
    HEADER_FILL,
    HEADER_FONT,
    INTEGER,
    MSEK,
    RATE,
    SECONDS,
    SERVICE_FILL,
    STATUS_FILLS,
    SUBTITLE_FONT,
    TITLE_FONT,
    TONNES,
    TOTAL_BORDER,
    UNITS,
    Column,
    autosize,
    key_value_rows,
    set_cell,
    sheet_title,
    styled,
    table_columns,
    write_header,
    write_table,
)
from optimizer.report.i18n import (
    DEFAULT_LANGUAGE,
    excel_format,
    status_sentence,
    term_label,
    translator,
    unit_name,
)
from optimizer.status import Status

# Sheet keys in workbook order; titles come from i18n.
PLAN_SHEETS = (
    "summary",
    "key_figures",
    "schedule",
    "capex_by_year",
    "capacity",
    "districts",
    "budget",
    "debt",
    "opex",
    "co2e",
    "staff",
    "shadow_prices",
    "inputs",
)


# ----------------------------------------------------------------------------------------
# sheets
# ----------------------------------------------------------------------------------------
# Styles of cells that come many to a sheet, set through ``styled`` (once per workbook).
def _year_header_style(cell) -> None:
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center")


def _mark_style(cell, fill) -> None:
    cell.fill = fill
    cell.alignment = Alignment(horizontal="center")


def _total_style(cell) -> None:
    cell.font = Font(bold=True)
    cell.border = TOTAL_BORDER


def _bad(cell) -> None:
    cell.fill = BAD_FILL


def _summary(ws: Worksheet, plan: Plan, scenario, t, lang: str) -> None:
    head = figures.headline(plan)
    set_cell(ws, 1, 1, f"{t('plan_report')}: {plan.scenario} ({plan.variant})").font = TITLE_FONT
    write_header(ws, 2, [t("metric"), t("value")])
    ws.freeze_panes = "A3"
    description = scenario.settings.scenario.description if scenario is not None else ""
    rows: list[tuple[str, object, str | None]] = [
        (t("scenario"), plan.scenario, None),
        (t("description"), description, None),
        (t("variant"), plan.variant, None),
        (t("status"), status_sentence(plan, lang), None),
    ]
    if plan.status is Status.FEASIBLE:
        rows += [(t("gap"), plan.gap, GAP), (t("bound"), plan.bound, MSEK)]
    elif plan.status is Status.OPTIMAL:
        rows += [(t("gap"), plan.gap or 0.0, GAP)]
    objective_label = t("objective_cost") if plan.objective_mode == "cost" else t("objective_value")
    rows.append((objective_label, plan.objective, MSEK))
    status_row = 2 + 4
    next_row = key_value_rows(ws, rows, 3)
    ws.cell(row=status_row, column=2).fill = STATUS_FILLS.get(plan.status, BAD_FILL)
    ws.cell(row=status_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")

    next_row += 1
    set_cell(ws, next_row, 1, t("pv_by_kind")).font = SUBTITLE_FONT
    terms = [(term_label(kind, lang), value, MSEK) for kind, value in plan.objective_terms.items()]
    next_row = key_value_rows(ws, terms, next_row + 1)
    if terms:
        set_cell(ws, next_row, 1, t("total")).font = Font(bold=True)
        total = set_cell(ws, next_row, 2, float(sum(plan.objective_terms.values())), MSEK)
        total.border = TOTAL_BORDER
        total.font = Font(bold=True)
        next_row += 1

    next_row += 1
    rows = [
        (t("projects_chosen"), head.projects_chosen, INTEGER),
        (t("capex_total"), head.capex_total, MSEK),
    ]
    service_names = figures.names(scenario)["service"]
    for service, shortfall in head.shortfall_by_service.items():
        label = f"{service_names.get(service, service)}: " + t(
            "shortfall_total", unit=unit_name(head.units_by_service.get(service, ""), lang)
        )
        rows.append((label, shortfall, UNITS))
    rows.append((t("co2e_total"), head.co2e_total_t, TONNES))
    if head.peak_debt is not None:
        rows.append((t("peak_debt"), head.peak_debt, MSEK))
    next_row = key_value_rows(ws, rows, next_row) + 1

    settings = plan.settings
    rows = [
        (t("build_seconds"), plan.build_seconds, SECONDS),
        (t("solve_seconds"), plan.solve_seconds, SECONDS),
        (t("solver"), plan.solver, None),
        (t("solver_version"), settings.get("solver_version"), None),
        (t("time_limit"), settings.get("time_limit"), "0"),
        (t("gap_target"), settings.get("gap"), GAP),
        (t("threads"), settings.get("threads"), INTEGER),
        (t("seed"), settings.get("seed"), INTEGER),
        (t("solver_message"), plan.message, None),
    ]
    if scenario is not None:
        rows.append((t("input_hash"), input_hash(list(scenario.source_files)), None))
    key_value_rows(ws, rows, next_row)
    autosize(ws, overrides={1: 46, 2: 70})


# The id columns of the plan's tables that a reader knows by name: the sheets show the name
# (as report.html does) and keep the id only where it is the key people look rows up by (the
# candidate, beside its own name column).
NAMED_COLUMNS = ("service", "department", "pool", "district")


def _with_names(frame: pd.DataFrame, scenario) -> pd.DataFrame:
    """``frame`` with the ids of services, departments, pools and districts replaced by their
    names (``figures.names``); an id without a name, or without a scenario, stays as it is."""
    names = figures.names(scenario)
    frame = frame.copy()
    for column in NAMED_COLUMNS:
        if column in frame:
            frame[column] = [
                value if pd.isna(value) or value == "" else names[column].get(str(value), value)
                for value in frame[column]
            ]
    return frame


def _units(plan: Plan) -> dict[str, str]:
    coverage = plan.tables.get("coverage")
    if coverage is None or coverage.empty:
        return {}
    return dict(zip(coverage["service"], coverage["unit"], strict=True))


def _schedule(ws: Worksheet, plan: Plan, scenario, t, years: list[int], lang: str = "en") -> None:
    schedule = _with_names(plan.tables["schedule"], scenario)
    columns = table_columns(
        "candidate name department district pool units"
        " start_year in_service_year end_of_life_year capex net_capex"
    )
    ordered = schedule.sort_values(["start_year", "candidate"], kind="stable")
    next_row = write_table(ws, ordered, columns, t, autofilter=False)
    first_year_column = len(columns) + 1
    for offset, year in enumerate(years):
        cell = set_cell(ws, 1, first_year_column + offset, year, INTEGER)
        styled(cell, "year_header", _year_header_style)
    marks = {"build": (t("mark_build"), BUILD_FILL), "service": (t("mark_service"), SERVICE_FILL)}
    for row_number, row in enumerate(ordered.itertuples(index=False), 2):
        for year, mark in figures.timeline(row, years).items():
            letter, fill = marks[mark]
            cell = set_cell(ws, row_number, first_year_column + years.index(year), letter)
            styled(cell, f"mark_{mark}", lambda cell, fill=fill: _mark_style(cell, fill))
    # names and ids stay in view while scrolling through the years
    ws.freeze_panes = ws.cell(row=2, column=3)
    if len(ordered):
        ws.auto_filter.ref = (
            f"A1:{get_column_letter(first_year_column + len(years) - 1)}{len(ordered) + 1}"
        )
    legend_row = next_row + 1
    set_cell(ws, legend_row, 1, t("legend")).font = Font(bold=True)
    set_cell(ws, legend_row, 2, t("legend_build")).fill = BUILD_FILL
    set_cell(ws, legend_row + 1, 2, t("legend_service")).fill = SERVICE_FILL
    sentences = closure_sentences(plan.tables.get("closures"), _units(plan), lang)
    if sentences:
        set_cell(ws, legend_row + 3, 1, t("closures")).font = Font(bold=True)
        for offset, sentence in enumerate(sentences):
            set_cell(ws, legend_row + 4 + offset, 1, sentence)
    autosize(ws, maximum=45)
    for offset in range(len(years)):
        ws.column_dimensions[get_column_letter(first_year_column + offset)].width = 6


def _capex_by_year(ws: Worksheet, plan: Plan, t, years: list[int]) -> None:
    schedule = plan.tables["schedule"]
    by_year = figures.capex_by_candidate_year(plan)
    order = schedule.sort_values(["start_year", "candidate"], kind="stable").index
    headers = [t("candidate"), t("name"), t("start_year"), *[str(y) for y in years], t("total")]
    write_header(ws, 1, headers)
    row_number = 1
    for row_number, index in enumerate(order, 2):
        row = schedule.loc[index]
        set_cell(ws, row_number, 1, row["candidate"])
        set_cell(ws, row_number, 2, row["name"])
        set_cell(ws, row_number, 3, int(row["start_year"]), INTEGER)
        amounts = by_year.loc[index]  # the row once, not a lookup per cell
        for offset, year in enumerate(years):
            amount = float(amounts[year])
            set_cell(ws, row_number, 4 + offset, amount if amount else None, MSEK)
        set_cell(ws, row_number, 4 + len(years), float(amounts.sum()), MSEK)
    total_row = row_number + 1
    set_cell(ws, total_row, 1, t("total")).font = Font(bold=True)
    for offset in range(len(years) + 1):
        column = 4 + offset
        amount = (
            float(by_year.iloc[:, offset].sum())
            if offset < len(years)
            else float(by_year.to_numpy().sum())
        )
        styled(set_cell(ws, total_row, column, amount, MSEK), "total", _total_style)
    ws.freeze_panes = "D2"
    autosize(ws, maximum=45)


def _capacity(ws: Worksheet, plan: Plan, scenario, t, lang: str) -> None:
    coverage = _with_names(plan.tables["coverage"], scenario)
    coverage["unit"] = [unit_name(str(u), lang) for u in coverage["unit"]]
    columns = table_columns(
        "service district year unit demand existing new_capacity capacity shortfall"
    )
    for extra in ("served_from_neighbours", "serving_neighbours"):
        if extra in coverage and coverage[extra].abs().sum() > 0:
            columns += table_columns(extra)
    columns += table_columns("utilisation")
    write_table(ws, coverage, columns, t)
    shortfall_column = [c.key for c in columns].index("shortfall") + 1
    for row_number, value in enumerate(coverage["shortfall"], 2):
        if value > 1e-6:
            styled(ws.cell(row=row_number, column=shortfall_column), "shortfall", _bad)
    autosize(ws)


def _districts(ws: Worksheet, plan: Plan, scenario, t, lang: str) -> None:
    """Per service planned by district: a sentence naming where the shortfall is and where
    capacity is spare, then the district rows with their spare capacity."""
    by_service = figures.district_coverage(plan)
    if not by_service:
        set_cell(ws, 1, 1, t("none"))
        autosize(ws)
        return
    names = figures.names(scenario)
    row = 1
    set_cell(ws, row, 1, t("coverage_by_district")).font = TITLE_FONT
    for service, rows in by_service.items():
        row += 1
        unit = names["unit"].get(service) or str(rows["unit"].iloc[0])
        story = figures.district_story(rows)
        service_name = names["service"].get(service, service)
        text = figures.district_sentence(service_name, story, names["district"], unit, lang)
        set_cell(ws, row, 1, text)
    table = pd.concat(by_service.values(), ignore_index=True)
    table["unit"] = [unit_name(str(u), lang) for u in table["unit"]]
    table["district"] = [names["district"].get(str(d), str(d)) for d in table["district"]]
    table["service"] = [names["service"].get(str(v), str(v)) for v in table["service"]]
    columns = table_columns("service district year unit demand capacity shortfall spare")
    start = row + 2
    write_table(ws, table, columns, t, start_row=start)
    shortfall_column = [c.key for c in columns].index("shortfall") + 1
    for row_number, value in enumerate(table["shortfall"], start + 1):
        if value > 1e-6:
            styled(ws.cell(row=row_number, column=shortfall_column), "shortfall", _bad)
    autosize(ws, maximum=45)


def _key_figures(ws: Worksheet, plan: Plan, t, lang: str) -> None:
    """Years down, the figures that apply across (docs/plan-json.md, key_figures)."""
    from optimizer.report import key_figures as kf

    table = kf.key_figures(plan)
    if table is None:
        set_cell(ws, 1, 1, t("no_debt"))
        return
    columns = [Column("year", None, INTEGER)] + [
        Column(f.column, f.label, excel_format(f.kind)) for f in kf.shown(table)
    ]
    next_row = write_table(ws, table, columns, t)
    set_cell(ws, next_row + 1, 1, t("key_figures_note"))
    set_cell(ws, next_row + 2, 1, kf.period_sentence(table, lang))
    autosize(ws, maximum=24)


def _budget(ws: Worksheet, plan: Plan, scenario, t) -> None:
    budget = _with_names(plan.tables["budget"], scenario)
    columns = table_columns(
        "pool year spend gross_spend other frame_spend ceiling carry_in carry_over headroom"
    )
    write_table(ws, budget, columns, t)
    autosize(ws)


def _debt(ws: Worksheet, plan: Plan, t) -> None:
    debt = plan.tables.get("debt")
    if debt is None or debt.empty:
        set_cell(ws, 1, 1, t("no_debt"))
        ws.freeze_panes = "A2"
        autosize(ws)
        return
    columns = table_columns(
        "year debt_financed_spend self_financing debt debt_ceiling interest",
        headers={"debt": "debt_msek"},
    )
    write_table(ws, debt, columns, t)
    autosize(ws)


def _opex(ws: Worksheet, plan: Plan, scenario, t, years: list[int]) -> None:
    """Department rows, year columns: what the chosen projects add to running costs."""
    opex = plan.tables["opex"]
    department_names = figures.names(scenario)["department"]
    wide = opex.pivot_table(
        index="department", columns="year", values="opex", aggfunc="sum", sort=False
    )
    wide = wide.reindex(columns=years, fill_value=0.0)
    headers = [t("department"), t("name"), *[str(y) for y in years], t("total")]
    write_header(ws, 1, headers)
    row_number = 1
    for row_number, department in enumerate(wide.index, 2):
        set_cell(ws, row_number, 1, department)
        set_cell(ws, row_number, 2, department_names.get(department, department))
        amounts = wide.loc[department]  # the row once, not a lookup per cell
        for offset, year in enumerate(years):
            set_cell(ws, row_number, 3 + offset, float(amounts[year]), MSEK)
        set_cell(ws, row_number, 3 + len(years), float(amounts.sum()), MSEK)
    total_row = row_number + 1
    set_cell(ws, total_row, 1, t("total")).font = Font(bold=True)
    for offset in range(len(years) + 1):
        amount = (
            float(wide.iloc[:, offset].sum())
            if offset < len(years)
            else float(wide.to_numpy().sum())
        )
        styled(set_cell(ws, total_row, 3 + offset, amount, MSEK), "total", _total_style)
    ws.freeze_panes = "C2"
    autosize(ws, maximum=45)


def _co2e(ws: Worksheet, plan: Plan, t) -> None:
    columns = table_columns("year embodied_t operational_t existing_t total_t cap_t")
    write_table(ws, plan.tables["co2e"], columns, t)
    autosize(ws)


def _staff(ws: Worksheet, plan: Plan, scenario, t) -> None:
    columns = table_columns("department year staff_fte recruitable_fte")
    write_table(ws, _with_names(plan.tables["staff"], scenario), columns, t)
    autosize(ws)


def _shadow_prices(ws: Worksheet, plan: Plan, scenario, t, lang: str) -> None:
    prices = plan.tables.get("shadow_prices")
    set_cell(ws, 1, 1, t("shadow_prices_note")).font = Font(italic=True)
    if prices is None:
        prices = pd.DataFrame(
            columns=["constraint", "kind", "dual", "value_of_one_more_unit", "unit", "meaning"]
        )
    prices = prices.copy()
    if not prices.empty:
        names = figures.names(scenario)
        # the limit and its meaning in words, with names for ids: a reader of the sheet sees
        # "Budgetramen för Skattefinansierade investeringar 2028", never "budget[tax,2028]"
        prices["constraint"] = [
            figures.shadow_limit(row, lang, names) for row in prices.itertuples(index=False)
        ]
        prices["meaning"] = [
            figures.shadow_meaning(row, lang, names["unit"], names)
            for row in prices.itertuples(index=False)
        ]
    if lang == "sv" and not prices.empty:
        prices["unit"] = [
            figures.shadow_unit_sv(kind, unit)
            for kind, unit in zip(prices["kind"], prices["unit"], strict=True)
        ]
    columns = table_columns("constraint value_of_one_more_unit unit meaning")
    write_table(ws, prices, columns, t, start_row=2)
    autosize(ws, maximum=100)


def _inputs(ws: Worksheet, plan: Plan, scenario, t, years: list[int]) -> None:
    set_cell(ws, 1, 1, t("inputs")).font = TITLE_FONT
    ws.freeze_panes = "A2"
    if scenario is None:
        return
    from optimizer import __version__

    info = scenario.settings.scenario
    files = list(scenario.source_files)
    rows = [
        (t("scenario"), info.name, None),
        (t("description"), info.description, None),
        (t("variant"), scenario.variant, None),
        (t("description"), figures.variant_description(scenario), None),
        (t("scenario_path"), str(scenario.root), None),
        (t("input_hash"), input_hash(files), None),
        (t("horizon"), f"{info.first_year}–{info.last_year}", None),
        (t("discount_rate"), info.discount_rate, RATE),
        (t("objective"), t(f"objective_mode_{info.objective}"), None),
        (t("capplan_version"), __version__, None),
    ]
    next_row = key_value_rows(ws, rows, 2) + 1

    set_cell(ws, next_row, 1, t("candidates")).font = SUBTITLE_FONT
    chosen = set(plan.chosen)
    named = figures.names(scenario)
    candidates = pd.DataFrame(
        [
            {
                "candidate": c.id,
                "name": c.name,
                "department": named["department"].get(c.department, c.department),
                "pool": named["pool"].get(c.pool, c.pool),
                "capex": c.capex,
                "lead_time": c.lead_time,
                "lifetime": c.lifetime,
                "earliest_start": c.earliest_start,
                "latest_start": c.latest_start,
                "must_do": t("yes") if c.must_do else "",
                "chosen": t("yes") if c.id in chosen else "",
            }
            for c in scenario.candidates
        ]
    )
    columns = table_columns(
        "candidate name department pool capex lead_time lifetime"
        " earliest_start latest_start must_do chosen"
    )
    next_row = (
        write_table(
            ws, candidates, columns, t, start_row=next_row + 1, freeze=False, autofilter=False
        )
        + 1
    )

    set_cell(ws, next_row, 1, t("budgets")).font = SUBTITLE_FONT
    ceilings = year_limits(scenario).pool_budget  # NaN (no ceiling) is written as an empty cell
    first, n_years = scenario.first_year, len(scenario.years)
    pools = [p.id for p in scenario.settings.pools]
    write_header(ws, next_row + 1, [t("pool"), *[str(y) for y in years]])
    for row_number, (p, pool) in enumerate(enumerate(pools), next_row + 2):
        set_cell(ws, row_number, 1, named["pool"].get(pool, pool))
        for offset, year in enumerate(years):
            k = year - first
            set_cell(ws, row_number, 2 + offset, ceilings[p, k] if 0 <= k < n_years else None, MSEK)
    next_row += len(pools) + 3

    set_cell(ws, next_row, 1, t("input_files")).font = SUBTITLE_FONT
    from optimizer.io.results import sha256

    write_header(ws, next_row + 1, [t("file"), t("sha256")])
    for row_number, path in enumerate(files, next_row + 2):
        set_cell(ws, row_number, 1, path.name)
        set_cell(ws, row_number, 2, sha256(path))
    autosize(ws, maximum=50)


def build_plan_workbook(plan: Plan, scenario=None, lang: str = DEFAULT_LANGUAGE) -> Workbook:
    """The workbook in memory (tests read it back; the writer saves it)."""
    t = translator(lang)
    years = figures.plan_years(plan)
    workbook = Workbook()
    sheets: dict[str, Worksheet] = {}
    for position, key in enumerate(PLAN_SHEETS):
        if position == 0:
            sheets[key] = workbook.active
            sheets[key].title = sheet_title(t, key)
        else:
            sheets[key] = workbook.create_sheet(sheet_title(t, key))
    _summary(sheets["summary"], plan, scenario, t, lang)
    if plan.has_solution and plan.tables:
        _key_figures(sheets["key_figures"], plan, t, lang)
        _schedule(sheets["schedule"], plan, scenario, t, years, lang)
        _capex_by_year(sheets["capex_by_year"], plan, t, years)
        _capacity(sheets["capacity"], plan, scenario, t, lang)
        _districts(sheets["districts"], plan, scenario, t, lang)
        _budget(sheets["budget"], plan, scenario, t)
        _debt(sheets["debt"], plan, t)
        _opex(sheets["opex"], plan, scenario, t, years)
        _co2e(sheets["co2e"], plan, t)
        _staff(sheets["staff"], plan, scenario, t)
        _shadow_prices(sheets["shadow_prices"], plan, scenario, t, lang)
    _inputs(sheets["inputs"], plan, scenario, t, years)
    for ws in workbook.worksheets:
        ws.sheet_view.zoomScale = 100
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
    return workbook


def write_plan_xlsx(plan: Plan, scenario, path: Path, lang: str = DEFAULT_LANGUAGE) -> Path:
    build_plan_workbook(plan, scenario, lang).save(path)
    return path


def plan_xlsx_writer(lang: str = DEFAULT_LANGUAGE):
    """A results-folder writer (``write_results(..., writers=[...])``) for plan.xlsx."""

    def writer(plan: Plan, scenario, folder: Path) -> None:
        write_plan_xlsx(plan, scenario, Path(folder) / "plan.xlsx", lang)

    return writer
