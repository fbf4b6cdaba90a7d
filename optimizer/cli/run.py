"""``capplan run``: solve one scenario and write its results folder."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from optimizer.cli import common
from optimizer.cli.options import (
    Force,
    Quiet,
    ReportLanguage,
    ResultsOut,
    ScenarioPath,
    SolverChoice,
    Variant,
    json_option,
    solver_options,
)


@solver_options()
def run(
    scenario: ScenarioPath,
    variant: Variant = None,
    solving: SolverChoice = SolverChoice(),
    out: ResultsOut = None,
    force: Force = False,
    as_json: Annotated[bool, json_option("Print plan.json to stdout (nothing else).")] = False,
    quiet: Quiet = False,
    lang: ReportLanguage = "sv",
) -> None:
    """Solve a scenario: terminal summary and a results folder (plan.json, CSV tables, manifest)."""
    from optimizer import load_scenario
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.io.results import claim_results_folder, plan_to_dict, write_results
    from optimizer.report.progress import run_progress
    from optimizer.report.terminal import print_summary
    from optimizer.run import run_scenario
    from optimizer.status import Status

    writers = common.report_writers(lang)
    loaded = load_scenario(scenario, variant)
    common.print_warnings(loaded.warnings)  # on stderr: before solving, also with --json
    settings = solving.settings_for(loaded)
    console = Console(stderr=True) if as_json else Console()
    # claimed before solving: a refusal after the solve would lose it, and a second run
    # writing the same --out at once is refused instead of silently replacing this one
    with claim_results_folder(out, loaded, force) as claim:
        with run_progress(enabled=not quiet, terminal_only=as_json, lang=lang) as progress:
            plan = run_scenario(loaded, settings, progress=progress)
        if plan.has_solution:
            write_results(plan, loaded, claim, writers=writers)
    target = claim.target
    if as_json:
        print(json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False))
    else:
        print_summary(plan, console, target if plan.has_solution else None, lang, loaded)
    if plan.status is Status.INFEASIBLE:
        common.print_diagnosis(loaded, settings, console, as_json, lang)
        raise typer.Exit(EXIT_INFEASIBLE)
    if not plan.has_solution:
        raise typer.Exit(EXIT_NO_SOLUTION)
