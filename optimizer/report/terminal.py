"""The terminal summary of a run (rich): status, objective, gap, timings, schedule, coverage, budget."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from optimizer.plan import Plan
from optimizer.report.closures import closure_sentences
from optimizer.status import Status
from optimizer.text import shown

STATUS_STYLE = {
    Status.OPTIMAL: "bold green",
    Status.FEASIBLE: "bold yellow",
    Status.INFEASIBLE: "bold red",
    Status.UNBOUNDED: "bold red",
    Status.NO_SOLUTION: "bold red",
}


def status_text(plan: Plan) -> str:
    """One honest line: never 'optimal' unless proven; a gap and a bound whenever there is one."""
    if plan.status is Status.OPTIMAL:
        text = "optimal (proven"
        text += f", gap {plan.gap:.4%})" if plan.gap else ")"
        return text
    if plan.status is Status.FEASIBLE:
        gap = f"{plan.gap:.2%}" if plan.gap is not None else "unknown"
        bound = f"{plan.bound:,.1f}" if plan.bound is not None else "unknown"
        return f"feasible, NOT proven optimal (gap {gap}, bound {bound})"
    return {
        Status.INFEASIBLE: "infeasible",
        Status.UNBOUNDED: "unbounded",
        Status.NO_SOLUTION: "no solution in time",
    }[plan.status]


def print_summary(
    plan: Plan, console: Console | None = None, out_dir=None, lang: str = "sv"
) -> None:
    console = console or Console()
    style = STATUS_STYLE.get(plan.status, "bold")
    console.print(
        f"[bold]{shown(plan.scenario)}[/] — variant [bold]{shown(plan.variant)}[/], "
        f"solver {shown(plan.solver)}"
    )
    console.print(f"Status: [{style}]{status_text(plan)}[/]")
    if plan.objective is not None:
        label = "Present value of cost" if plan.objective_mode == "cost" else "Objective (−value)"
        console.print(f"{label}: [bold]{plan.objective:,.1f} MSEK[/]")
    console.print(f"Build {plan.build_seconds:.2f} s, solve {plan.solve_seconds:.2f} s")
    if not plan.has_solution:
        console.print(shown(plan.message))
        if plan.status is Status.NO_SOLUTION:  # what to try (tests/test_time_limits.py)
            limit = plan.settings.get("time_limit")
            console.print(
                f"Try a longer --time-limit (now {limit:g} s), or a looser --gap (e.g. --gap 0.01) "
                "so the solver may stop at the first good plan; on knapsack-like scenarios "
                "--solver cbc is often faster."
                if limit
                else "Try a longer --time-limit, or a looser --gap (e.g. --gap 0.01).",
                markup=False,
            )
        return
    schedule = plan.tables["schedule"]
    table = Table(title=f"Schedule ({len(schedule)} investments)", show_lines=False)
    wide = console.width >= 110  # names only where they fit; ids always
    columns = [("candidate", "left"), ("name", "left"), ("dept", "left"), ("units", "right"),
               ("start", "right"), ("in service", "right"), ("capex MSEK", "right")]  # fmt: skip
    if not wide:
        columns.pop(1)
    for column, justify in columns:
        table.add_column(column, justify=justify, no_wrap=True, overflow="ellipsis",
                         max_width=40 if column == "name" else None)  # fmt: skip
    for row in schedule.sort_values(["start_year", "candidate"]).itertuples(index=False):
        cells = [shown(row.candidate), shown(row.name), shown(row.department), str(row.units),
                 str(row.start_year),
                 str(row.in_service_year), f"{row.capex:,.1f}"]  # fmt: skip
        if not wide:
            cells.pop(1)
        table.add_row(*cells)
    console.print(table)
    coverage = plan.tables["coverage"]
    units = dict(zip(coverage["service"], coverage["unit"], strict=True))
    sentences = closure_sentences(plan.tables.get("closures"), units)
    if sentences:
        console.print(f"[bold]Closures ({len(sentences)})[/]")
        for sentence in sentences:
            console.print(f"  {shown(sentence)}")

    cov = Table(title="Coverage per service (over the horizon)")
    for column in (
        "service",
        "unit",
        "peak demand",
        "capacity at end",
        "shortfall unit-years",
        "years short",
    ):
        cov.add_column(column, justify="left" if column in ("service", "unit") else "right")
    for service, group in coverage.groupby("service", sort=False):
        by_year = group.groupby("year")[["demand", "capacity", "shortfall"]].sum()
        cov.add_row(
            shown(service),
            shown(group["unit"].iloc[0]),
            f"{by_year['demand'].max():,.0f}",
            f"{by_year['capacity'].iloc[-1]:,.0f}",
            f"{by_year['shortfall'].sum():,.0f}",
            str(int((by_year["shortfall"] > 0.5).sum())),
        )
    console.print(cov)

    budget = plan.tables["budget"]
    bud = Table(title="Budget use: the whole frame, candidates + other (net of grants, MSEK)")
    for column in ("pool", "candidates", "other", "ceiling", "use", "tightest year"):
        bud.add_column(column, justify="left" if column == "pool" else "right")
    for pool, group in budget.groupby("pool", sort=False):
        # a year may spend what earlier years carried over: use is of what was available
        available = group["ceiling"] + group["carry_in"]
        use = group["frame_spend"] / available.where(available > 0)
        tight = group.loc[use.idxmax(), "year"] if use.notna().any() else "-"
        limited = group["ceiling"].notna()  # a year without a ceiling says nothing of its use
        bud.add_row(
            shown(pool),
            f"{group['spend'].sum():,.1f}",
            f"{group['other'].sum():,.1f}",
            f"{group['ceiling'].sum():,.1f}",
            f"{group.loc[limited, 'frame_spend'].sum() / max(group['ceiling'].sum(), 1e-9):.0%}"
            if limited.any()
            else "-",
            f"{tight} ({use.max():.0%})" if use.notna().any() else "-",
        )
    console.print(bud)
    print_key_figures(plan, console, lang)
    if out_dir is not None:
        console.print(f"Results: {shown(out_dir)}")


def print_key_figures(plan: Plan, console: Console, lang: str = "sv") -> None:
    """Years down, the figures a controller reads first across (docs/model.md, finance), in
    the report language (``--lang``)."""
    from optimizer.report import key_figures as kf
    from optimizer.report.i18n import translator

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
