"""``capplan run``: solve one scenario and write its results folder."""

from __future__ import annotations

import json
from typing import Annotated

from rich.console import Console

from optimizer.cli import common
from optimizer.cli.options import (
    OutputChoice,
    ResultsOut,
    ScenarioPath,
    SolverChoice,
    Variant,
    json_option,
    output_options,
    solver_options,
)


@solver_options()
@output_options(
    ResultsOut, as_json=Annotated[bool, json_option("Print plan.json to stdout (nothing else).")]
)
def run(
    scenario: ScenarioPath,
    variant: Variant = None,
    solving: SolverChoice = SolverChoice(),
    output: OutputChoice = OutputChoice(),
) -> None:
    """Solve a scenario: terminal summary and a results folder (plan.json, CSV tables, manifest)."""
    from optimizer import load_scenario
    from optimizer.io.results import claim_results_folder, plan_to_dict, write_results
    from optimizer.report.progress import run_progress
    from optimizer.run import run_scenario

    writers = common.report_writers(output.lang)
    loaded = load_scenario(scenario, variant)
    common.print_warnings(loaded.warnings)  # on stderr: before solving, also with --json
    settings = solving.settings_for(loaded)
    console = Console(stderr=True) if output.as_json else Console()
    # claimed before solving: a refusal after the solve would lose it, and a second run
    # writing the same --out at once is refused instead of silently replacing this one
    with claim_results_folder(output.out, loaded, output.force) as claim:
        with run_progress(
            enabled=not output.quiet, terminal_only=output.as_json, lang=output.lang
        ) as progress:
            plan = run_scenario(loaded, settings, progress=progress)
        if plan.has_solution:
            write_results(plan, loaded, claim, writers=writers)
    target = claim.target
    if output.as_json:
        print(json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False))
    else:
        common.print_plan_summary(plan, loaded, console, target, output.lang)
    common.exit_unless_solved(plan, loaded, settings, console, output.as_json, output.lang)
