"""``capplan robust``: one plan across growth paths: decide now what is right in every variant."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from optimizer.cli import common
from optimizer.cli.options import (
    CompareOut,
    OutputChoice,
    ScenarioPath,
    SolverChoice,
    TimeLimitPerRun,
    output_options,
    solver_options,
)

Variants = Annotated[
    str,
    typer.Option(
        "--variants", help="Variants (growth paths), comma-separated, e.g. low,trend,target."
    ),
]
Weights = Annotated[
    str | None,
    typer.Option("--weights", help="Weight of each variant, comma-separated (default: equal)."),
]
DecideUntil = Annotated[
    int | None,
    typer.Option(
        "--decide-until",
        help="Last year whose starts are decided now, the same in every variant "
        "(default: first year + 2).",
    ),
]
CriterionOption = Annotated[
    str,
    typer.Option(
        "--criterion", help="expected (lowest expected cost) or regret (smallest largest regret)."
    ),
]


def _parse_weights(text: str | None, variants: list[str]) -> dict[str, float] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not a list of numbers", param_hint="--weights"
        ) from None
    if len(values) != len(variants):
        raise typer.BadParameter(
            f"{len(values)} weights for {len(variants)} variants", param_hint="--weights"
        )
    if any(v < 0 or v != v or v == float("inf") for v in values) or sum(values) <= 0:
        raise typer.BadParameter(
            "weights must be finite, non-negative and not all zero", param_hint="--weights"
        )
    return dict(zip(variants, values, strict=True))


@solver_options(time_limit=TimeLimitPerRun)
@output_options(CompareOut)
def robust(
    scenario: ScenarioPath,
    variants: Variants,
    weights: Weights = None,
    decide_until: DecideUntil = None,
    criterion: CriterionOption = "expected",
    solving: SolverChoice = SolverChoice(),
    output: OutputChoice = OutputChoice(),
) -> None:
    """A robust plan across variants: the core to decide now, what can wait, the regret table."""
    from optimizer import load_scenario
    from optimizer.check.robust import shared_start_problems
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.io.output import protected_paths, safe_component
    from optimizer.io.results import write_json, write_results
    from optimizer.report.robust import write_robust_reports
    from optimizer.robust import solve_robust
    from optimizer.run import PlanCheckError
    from optimizer.status import Status

    names = [v.strip() for v in variants.split(",") if v.strip()]
    if len(names) < 2 or len(set(names)) != len(names):
        raise typer.BadParameter("give two or more different variants", param_hint="--variants")
    if criterion not in ("expected", "regret"):
        raise typer.BadParameter(
            f"'{criterion}': choose expected or regret", param_hint="--criterion"
        )
    chosen_weights = _parse_weights(weights, names)
    loaded = {v: load_scenario(scenario, v) for v in names}
    first = next(iter(loaded.values()))
    year = decide_until if decide_until is not None else min(first.first_year + 2, first.last_year)
    if not first.first_year <= year <= first.last_year:
        raise typer.BadParameter(
            f"{year} is outside the scenario's years {first.first_year}-{first.last_year}",
            param_hint="--decide-until",
        )
    settings = solving.settings_for(first)
    stem = f"robust-{Path(scenario).stem}-{'-'.join(names)}"
    claim = common.claim_output(
        output.out, output.force, protected_paths(first), stem, "capplan robust"
    )
    console = Console()
    notes = Console(stderr=True, highlight=False)

    def say(sentence: dict[str, str]) -> None:  # what robust solves now, in both languages
        if not output.quiet:
            notes.print(sentence[output.lang], style="dim", markup=False, highlight=False)

    with claim:
        result = solve_robust(
            loaded, settings, decide_until=year, criterion=criterion, weights=chosen_weights,
            say=say,
        )  # fmt: skip
        if result.plans:
            problems = shared_start_problems(
                {v: p.starts for v, p in result.plans.items()}, result.core, year
            )
            if problems:  # a bug, never the user's fault: like any failed check
                raise PlanCheckError(next(iter(result.plans.values())), problems)
        if result.has_solution and result.plans:
            with claim.writing() as tmp:
                write_robust_reports(result, first, tmp, output.lang)
                write_json(result.to_dict(), tmp / "robust.json")
                for v, plan in result.plans.items():
                    write_results(plan, loaded[v], tmp / "variants" / safe_component(v))
    print_robust(result, console, claim.target if result.plans else None, output.lang)
    if result.status is Status.INFEASIBLE:
        raise typer.Exit(EXIT_INFEASIBLE)
    if not result.has_solution or not result.plans:
        raise typer.Exit(EXIT_NO_SOLUTION)


def print_robust(result, console: Console, out_dir: Path | None, lang: str = "sv") -> None:
    """The core, what can wait and the regret of each plan, in the report language (the words
    of robust.html)."""
    from rich.table import Table

    from optimizer.report.i18n import format_number, status_sentence, translator
    from optimizer.report.robust import lead_sentence
    from optimizer.robust import ROBUST
    from optimizer.text import shown

    t = translator(lang)
    year = result.decide_until
    console.print(f"{t('robust_report')}: {lead_sentence(result, lang)}", markup=False)
    console.print(f"{t('status')}: {status_sentence(result, lang)}", markup=False)
    if not result.plans:
        return
    if result.core:
        core = Table(title=t("core"), caption=t("core_note", year=year))
        core.add_column(t("candidate"))
        core.add_column(t("tt_start"), justify="right")
        for candidate, by_year in sorted(result.core.items(), key=lambda i: (min(i[1]), i[0])):
            for start, units in sorted(by_year.items()):
                core.add_row(shown(candidate), f"{start}" + (f" ×{units}" if units > 1 else ""))
        console.print(core)
    else:
        console.print(t("core_empty", next=year + 1), markup=False)
    later = Table(title=t("deferred"))
    later.add_column(t("candidate"))
    later.add_column(t("decide_by"), justify="right")
    for v in result.variants:
        later.add_column(shown(v), justify="right")
    for row in result.deferred.itertuples(index=False):
        later.add_row(
            shown(row.candidate), str(row.decide_by),
            *(", ".join(str(y) for y in sorted(row.starts[v])) or "–" for v in result.variants),
        )  # fmt: skip
    console.print(later)
    money = "MSEK"
    regret = Table(title=f"{t('regret_table')} ({t('regret')}, {money})")
    regret.add_column(t("robust_decisions_from", year=year))
    for v in result.variants:
        regret.add_column(t("if_true", variant=shown(v)), justify="right")
    regret.add_column(t("max_regret"), justify="right")
    for plan, group in result.regret.groupby("plan", sort=False):
        values = [group[group["comes_true"] == v]["regret"].iloc[0] for v in result.variants]
        known = [x for x in values if x is not None and x == x]
        regret.add_row(
            t("robust_plan") if plan == ROBUST else t("own_plan", variant=shown(plan)),
            *(format_number(x, 1, lang) if x is not None and x == x else "–" for x in values),
            format_number(max(known), 1, lang) if known else "–",
        )
    console.print(regret)
    if out_dir is not None:
        files = f"{out_dir / 'robust.html'}, {out_dir / 'robust.xlsx'}"
        console.print(t("tt_report_files", files=shown(files)))
