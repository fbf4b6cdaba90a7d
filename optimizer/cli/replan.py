"""``capplan replan``: re-optimise next year's plan against an adopted one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from optimizer.cli import common
from optimizer.cli.options import (
    OutputChoice,
    ResultsOut,
    ShortGap,
    SolverChoice,
    TimeLimit,
    Variant,
    adopted_option,
    decimal_number,
    json_option,
    output_options,
    solver_options,
)


@solver_options(time_limit=TimeLimit, gap=ShortGap, threads=None, seed=None)
@output_options(
    ResultsOut, as_json=Annotated[bool, json_option("Print plan.json with the changes to stdout.")]
)
def replan(
    scenario: Annotated[
        Path, typer.Argument(help="Scenario folder or .xlsx workbook with this year's inputs.")
    ],
    adopted: Annotated[
        Path, adopted_option("The adopted plan: a results folder or its plan.json.")
    ],
    year: Annotated[int, typer.Option("--year", help="First year that may still be decided.")],
    lock_years: Annotated[
        int,
        typer.Option(
            "--lock-years", min=0, help="Also keep the adopted decisions for year … year+K-1."
        ),
    ] = 0,
    variant: Variant = None,
    stability_price: Annotated[
        float | None,
        typer.Option(
            "--stability-price",
            parser=decimal_number,
            metavar="<float>",
            help="MSEK per candidate moved, added or removed (default: scenario's).",
        ),
    ] = None,
    solving: SolverChoice = SolverChoice(),
    output: OutputChoice = OutputChoice(),
) -> None:
    """Re-optimise next year's plan: what has started stays; change must pay for itself."""
    from optimizer import load_scenario
    from optimizer.io.results import claim_results_folder, plan_to_dict, write_results
    from optimizer.replan import load_adopted, replan
    from optimizer.replan_attribution import attribute_changes
    from optimizer.replan_inputs import explain_changes, input_differences
    from optimizer.report.changes import changes_frame, print_changes, write_change_reports
    from optimizer.report.i18n import translator
    from optimizer.schema import Replan as ReplanSettings

    common.check_options(ReplanSettings, stability_price=stability_price)  # [replan] ranges
    adopted_plan = load_adopted(adopted)
    loaded = load_scenario(scenario, variant)
    settings = solving.settings_for(loaded)
    console = Console(stderr=True) if output.as_json else Console()
    progress = (
        None if (output.quiet or output.as_json) else common.progress_printer(console, output.lang)
    )
    # claimed before solving (see run); the adopted plan is never replaced, even with --force
    adopted_what = f"the adopted plan {adopted_plan.path}"
    claim = claim_results_folder(
        output.out,
        loaded,
        output.force,
        protected=[(adopted_plan.path, adopted_what), (adopted_plan.folder, adopted_what)],
        written_by="capplan replan",
    )
    with claim:
        plan, changes = replan(
            loaded, adopted_plan, year, lock_years, settings, stability_price, progress
        )
        old = adopted_plan.scenario()
        diffs = input_differences(old, loaded) if old is not None else None
        explain_changes(changes, old, loaded, plan, diffs)
        attribution = None
        if plan.has_solution and old is not None and diffs is not None and not diffs.empty:
            if not (output.quiet or output.as_json):
                console.print(f"[dim]{translator(output.lang)('tt_attributing')}[/]")
            attribution = attribute_changes(
                changes,
                plan,
                old,
                loaded,
                diffs,
                adopted_plan,
                year,
                lock_years,
                settings,
                stability_price,
            )
        if plan.has_solution:
            report = _change_report(
                plan, loaded, changes, diffs, attribution, adopted_plan, year, lock_years
            )

            def write_change_report(plan_, scenario_, folder: Path) -> None:
                write_change_reports(report, folder, output.lang)

            write_results(
                plan,
                loaded,
                claim,
                extra_manifest={
                    "replan": {
                        "adopted_plan": str(adopted_plan.path),
                        "adopted_plan_sha256": adopted_plan.sha256,
                        "year": year,
                        "lock_years": lock_years,
                        "stability_price": stability_price
                        if stability_price is not None
                        else loaded.settings.replan.stability_price,
                    }
                },
                writers=[*common.report_writers(output.lang), write_change_report],
            )
    target = claim.target
    if output.as_json:
        payload = plan_to_dict(plan)
        payload["changes"] = changes_frame(changes).to_dict(orient="records")
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        common.print_plan_summary(plan, loaded, console, target, output.lang)
        if plan.has_solution:
            print_changes(changes, console, year, attribution, output.lang)
            if diffs is None:
                console.print(f"[dim]{translator(output.lang)('no_adopted_inputs')}[/]")
    common.exit_unless_solved(plan, loaded, settings, console, output.as_json, output.lang)


def _change_report(
    plan, loaded, changes, diffs, attribution, adopted_plan, year: int, lock_years: int
):
    """What what-changed.html and .xlsx show of this replan; with no copy of the adopted plan's
    inputs there are no input changes to show (an empty table)."""
    import pandas as pd

    from optimizer.report.changes import DIFF_COLUMNS, ChangeReport

    return ChangeReport(
        plan=plan,
        changes=changes,
        diffs=diffs if diffs is not None else pd.DataFrame(columns=DIFF_COLUMNS),
        attribution=attribution,
        scenario=plan.scenario,
        variant=plan.variant,
        adopted_path=str(adopted_plan.path),
        adopted_sha256=adopted_plan.sha256,
        year=year,
        lock_years=lock_years,
        names={c.id: c.name for c in loaded.candidates},
        inputs_known=diffs is not None,
    )
