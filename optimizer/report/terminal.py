"""The terminal summary of a run (rich): status, objective, gap, timings, schedule, coverage, budget."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from optimizer.plan import Plan
from optimizer.report.closures import closure_sentences
from optimizer.report.i18n import (
    format_gap,
    format_number,
    format_percent,
    format_quantity,
    status_sentence,
    translator,
    unit_name,
)
from optimizer.status import Status
from optimizer.text import shown, shown_report

STATUS_STYLE = {
    Status.OPTIMAL: "bold green",
    Status.FEASIBLE: "bold yellow",
    Status.INFEASIBLE: "bold red",
    Status.UNBOUNDED: "bold red",
    Status.NO_SOLUTION: "bold red",
}


# what optimizer/solve.py and optimizer/cbc.py say in their own words: the status sentence says it
CAPPLAN_MESSAGES = frozenset({"the hard limits conflict", "unbounded"})
NO_PLAN_IN_TIME = "no plan found within"


def status_text(plan: Plan, lang: str = "en") -> str:
    """One honest line: never 'optimal' unless proven; a gap and a bound whenever there is one."""
    t = translator(lang)
    if plan.status is Status.OPTIMAL:
        if plan.gap:
            return t("tt_status_optimal_gap", gap=format_gap(plan.gap, lang))
        return t("tt_status_optimal")
    if plan.status is Status.FEASIBLE:
        gap = format_gap(plan.gap, lang) if plan.gap is not None else t("unknown")
        bound = format_number(plan.bound, 1, lang) if plan.bound is not None else t("unknown")
        return t("tt_status_feasible", gap=gap, bound=bound)
    return t(f"tt_status_{plan.status}")


def print_summary(
    plan: Plan, console: Console | None = None, out_dir=None, lang: str = "sv", scenario=None
) -> None:
    """The run in the report language (``--lang``): the same words and numbers as plan.xlsx.

    ``scenario``: where the services' and funding pools' names come from (as in report.html);
    without it their ids are shown."""
    from optimizer.report.figures import names

    console = console or Console()
    t = translator(lang)
    style = STATUS_STYLE.get(plan.status, "bold")
    console.print(
        t(
            "tt_heading",
            scenario=f"[bold]{shown(plan.scenario)}[/]",
            variant=f"[bold]{shown(plan.variant)}[/]",
            solver=shown(plan.solver),
        )
    )
    console.print(f"{t('tt_status')}: [{style}]{status_text(plan, lang)}[/]")
    if plan.objective is not None:
        label = t("tt_objective_cost" if plan.objective_mode == "cost" else "tt_objective_value")
        console.print(f"{label}: [bold]{format_number(plan.objective, 1, lang)} MSEK[/]")
    console.print(
        t(
            "tt_times",
            build=format_number(plan.build_seconds, 2, lang),
            solve=format_number(plan.solve_seconds, 2, lang),
        )
    )
    if not plan.has_solution:
        # the status in the report's words ("Ogenomförbar: de hårda gränserna kan inte uppfyllas
        # samtidigt."), not the run's English message; a solver's own words (an error) after it
        limit = plan.settings.get("time_limit")
        if (plan.message or "").startswith(NO_PLAN_IN_TIME) and limit:
            console.print(t("tt_no_plan_within", limit=f"{limit:g}"), markup=False)
        else:
            console.print(shown_report(status_sentence(plan, lang)))
            if plan.message and plan.message not in CAPPLAN_MESSAGES:
                console.print(f"[dim]{t('tt_solver_said', message=shown(plan.message))}[/]")
        if plan.status is Status.NO_SOLUTION:  # what to try (tests/test_time_limits.py)
            limit = plan.settings.get("time_limit")
            console.print(
                t("tt_try_longer", limit=f"{limit:g}") if limit else t("tt_try_longer_no_limit"),
                markup=False,
            )
        return
    _print_schedule(plan, console, t, lang)
    coverage = plan.tables["coverage"]
    units = dict(zip(coverage["service"], coverage["unit"], strict=True))
    sentences = closure_sentences(plan.tables.get("closures"), units, lang)
    if sentences:
        console.print(f"[bold]{t('tt_closures', count=len(sentences))}[/]")
        for sentence in sentences:
            console.print(f"  {shown_report(sentence)}")
    named = names(scenario)
    _print_coverage(coverage, console, t, lang, named["service"])
    _print_budget_use(plan.tables["budget"], console, t, lang, named["pool"])
    print_key_figures(plan, console, lang)
    if out_dir is not None:
        console.print(t("tt_results", folder=shown(out_dir)))


def _print_schedule(plan: Plan, console: Console, t, lang: str) -> None:
    schedule = plan.tables["schedule"]
    heading = "tt_schedule_one" if len(schedule) == 1 else "tt_schedule"
    table = Table(title=t(heading, count=len(schedule)), show_lines=False)
    wide = console.width >= 110  # names only where they fit; ids always
    columns = [("tt_candidate", "left"), ("tt_name", "left"), ("tt_dept", "left"),
               ("tt_units", "right"), ("tt_start", "right"), ("tt_in_service", "right"),
               ("tt_capex", "right")]  # fmt: skip
    if not wide:
        columns.pop(1)
    for column, justify in columns:
        table.add_column(t(column), justify=justify, no_wrap=True, overflow="ellipsis",
                         max_width=40 if column == "tt_name" else None)  # fmt: skip
    for row in schedule.sort_values(["start_year", "candidate"]).itertuples(index=False):
        cells = [shown(row.candidate), shown(row.name), shown(row.department), str(row.units),
                 str(row.start_year),
                 str(row.in_service_year), format_number(row.capex, 1, lang)]  # fmt: skip
        if not wide:
            cells.pop(1)
        table.add_row(*cells)
    console.print(table)


def _print_coverage(coverage, console: Console, t, lang: str, service_names: dict) -> None:
    cov = Table(title=t("tt_coverage"))
    for column in ("tt_service", "tt_unit", "tt_peak_demand", "tt_capacity_at_end",
                   "tt_shortfall", "tt_years_short"):  # fmt: skip
        cov.add_column(
            t(column), justify="left" if column in ("tt_service", "tt_unit") else "right"
        )
    for service, group in coverage.groupby("service", sort=False):
        by_year = group.groupby("year")[["demand", "capacity", "shortfall"]].sum()
        cov.add_row(
            shown(service_names.get(service, service)),
            shown(unit_name(group["unit"].iloc[0], lang)),
            format_quantity(by_year["demand"].max(), "units", lang),
            format_quantity(by_year["capacity"].iloc[-1], "units", lang),
            format_quantity(by_year["shortfall"].sum(), "units", lang),
            str(int((by_year["shortfall"] > 0.5).sum())),
        )
    console.print(cov)


def _print_budget_use(budget, console: Console, t, lang: str, pool_names: dict) -> None:
    bud = Table(title=t("tt_budget"))
    for column in ("tt_pool", "tt_candidates", "tt_other", "tt_ceiling", "tt_use",
                   "tt_tightest_year"):  # fmt: skip
        bud.add_column(t(column), justify="left" if column == "tt_pool" else "right")
    for pool, group in budget.groupby("pool", sort=False):
        # a year may spend what earlier years carried over: use is of what was available
        available = group["ceiling"] + group["carry_in"]
        use = group["frame_spend"] / available.where(available > 0)
        tight = group.loc[use.idxmax(), "year"] if use.notna().any() else "-"
        limited = group["ceiling"].notna()  # a year without a ceiling says nothing of its use
        share = group.loc[limited, "frame_spend"].sum() / max(group["ceiling"].sum(), 1e-9)
        bud.add_row(
            shown(pool_names.get(pool, pool)),
            format_number(group["spend"].sum(), 1, lang),
            format_number(group["other"].sum(), 1, lang),
            format_number(group["ceiling"].sum(), 1, lang),
            format_percent(share, 0, lang) if limited.any() else "-",
            f"{tight} ({format_percent(use.max(), 0, lang)})" if use.notna().any() else "-",
        )
    console.print(bud)


def print_key_figures(plan: Plan, console: Console, lang: str = "sv") -> None:
    """Years down, the figures a controller reads first across (docs/model.md, finance), in
    the report language (``--lang``)."""
    from optimizer.report import key_figures as kf

    table = kf.key_figures(plan)
    if table is None:
        return
    t = translator(lang)
    figures = [f for f in kf.shown(table) if f.column in TERMINAL_KEY_FIGURES]
    out = Table(title=t("kf_terminal_title"))
    out.add_column(t("kft_year"), justify="right")
    for figure in figures:
        out.add_column(t(TERMINAL_KEY_FIGURES[figure.column]), justify="right")
    for _, row in table.iterrows():
        out.add_row(
            str(int(row["year"])), *[kf.formatted(row[f.column], f.kind, lang) for f in figures]
        )
    console.print(out)
    period = kf.period_sentence(table, lang)
    if period:
        console.print(period, markup=False)


# The terminal's short headers (i18n keys) for the key figures it has room for.
TERMINAL_KEY_FIGURES = {
    "investment_candidates": "kft_investment_candidates",
    "investment_other": "kft_investment_other",
    "result": "kft_result",
    "self_financing_rate": "kft_self_financing_rate",
    "debt": "kft_debt",
    "debt_per_inhabitant": "kft_debt_per_inhabitant",
    "investment_nominal": "kft_investment_nominal",
}
