"""``capplan replan`` and ``capplan explain``: yearly re-optimisation and "why" questions.

Registered on the main typer app by ``optimizer.cli`` (``register(app)``).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from optimizer.status import Status
from optimizer.text import shown


def replan_command(
    scenario: Path = typer.Argument(
        ..., help="Scenario folder or .xlsx workbook with this year's inputs."
    ),
    adopted: Path = typer.Option(
        ..., "--adopted", help="The adopted plan: a results folder or its plan.json."
    ),
    year: int = typer.Option(..., "--year", help="First year that may still be decided."),
    lock_years: int = typer.Option(
        0, "--lock-years", min=0, help="Also keep the adopted decisions for year … year+K-1."
    ),
    variant: str | None = typer.Option(
        None, "--variant", "-v", help="Variant (default: the scenario's)."
    ),
    stability_price: float | None = typer.Option(
        None,
        "--stability-price",
        min=0,
        help="MSEK per candidate moved, added or removed (default: scenario's).",
    ),
    solver: str | None = typer.Option(None, "--solver", help="highs (default) or cbc."),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds before the solver stops."
    ),
    gap: float | None = typer.Option(None, "--gap", help="Relative MIP gap at which to stop."),
    out: Path | None = typer.Option(
        None, "--out", help="Results folder (default: a new folder under results/)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out folder."),
    as_json: bool = typer.Option(
        False, "--json", help="Print plan.json with the changes to stdout."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
) -> None:
    """Re-optimise next year's plan: what has started stays; change must pay for itself."""
    from optimizer import load_scenario
    from optimizer.cli import (
        _print_diagnosis,
        _progress_printer,
        _report_writers,
        check_options,
        check_solver_options,
    )
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.io.results import claim_results_folder, plan_to_dict, write_csv, write_results
    from optimizer.replan import explain_changes, input_differences, load_adopted, replan
    from optimizer.report.changes import (
        changes_frame,
        print_changes,
        write_changes_html,
        write_changes_xlsx,
    )
    from optimizer.report.terminal import print_summary
    from optimizer.run import solve_settings_for
    from optimizer.schema import Replan as ReplanSettings

    check_solver_options(time_limit=time_limit, gap=gap)
    check_options(ReplanSettings, stability_price=stability_price)  # [replan] ranges
    adopted_plan = load_adopted(adopted)
    loaded = load_scenario(scenario, variant)
    settings = solve_settings_for(loaded, solver=solver, time_limit=time_limit, gap=gap)
    console = Console(stderr=True) if as_json else Console()
    progress = None if (quiet or as_json) else _progress_printer(console)
    # claimed before solving (see run); the adopted plan is never replaced, even with --force
    adopted_what = f"the adopted plan {adopted_plan.path}"
    claim = claim_results_folder(
        out,
        loaded,
        force,
        protected=[(adopted_plan.path, adopted_what), (adopted_plan.folder, adopted_what)],
        written_by="capplan replan",
    )
    with claim:
        plan, _, changes = replan(
            loaded, adopted_plan, year, lock_years, settings, stability_price, progress
        )
        old = adopted_plan.scenario()
        diffs = input_differences(old, loaded) if old is not None else None
        explain_changes(changes, old, loaded, plan, diffs)
        meta = {
            "scenario": plan.scenario,
            "variant": plan.variant,
            "adopted plan": str(adopted_plan.path),
            "adopted plan sha256": adopted_plan.sha256,
            "adopted variant": adopted_plan.variant,
            "replan year": year,
            "lock years": lock_years,
            "status": plan.status,
            "objective (MSEK)": plan.objective,
            "changes": len(changes),
        }
        if plan.has_solution:
            import pandas as pd

            diff_frame = (
                diffs
                if diffs is not None
                else pd.DataFrame(columns=["table", "key", "change", "field", "adopted", "now"])
            )

            def write_change_report(plan_, scenario_, folder: Path) -> None:
                # text from the inputs: escaped like every CSV capplan writes (no formulas)
                write_csv(changes_frame(changes), folder / "changes.csv")
                write_csv(diff_frame, folder / "input_changes.csv")
                write_changes_html(folder / "what-changed.html", changes, diff_frame, meta)
                write_changes_xlsx(folder / "what-changed.xlsx", changes, diff_frame, meta)

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
                writers=[*_report_writers(), write_change_report],
            )
    target = claim.target
    if as_json:
        payload = plan_to_dict(plan)
        payload["changes"] = changes_frame(changes).to_dict(orient="records")
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        print_summary(plan, console, out_dir=target if plan.has_solution else None)
        if plan.has_solution:
            print_changes(changes, console, year)
            if diffs is None:
                console.print(
                    "[dim]The adopted plan has no copy of its inputs; input changes are not shown.[/]"
                )
    if plan.status is Status.INFEASIBLE:
        _print_diagnosis(loaded, settings, console, as_json)
        raise typer.Exit(EXIT_INFEASIBLE)
    if not plan.has_solution:
        raise typer.Exit(EXIT_NO_SOLUTION)


def explain_command(
    result: Path = typer.Argument(..., help="A results folder written by capplan run or replan."),
    candidate: str | None = typer.Option(None, "--candidate", help="Only this candidate."),
    time_limit: float = typer.Option(30.0, "--time-limit", help="Seconds per re-solve."),
    workers: int = typer.Option(2, "--workers", min=1, help="Re-solves in parallel processes."),
    as_json: bool = typer.Option(False, "--json", help="Print the answers as JSON."),
) -> None:
    """Why is a project in, out or late? The cost of forcing it in, out, earlier or later."""
    import pandas as pd

    from optimizer.cli import check_solver_options
    from optimizer.errors import Problem, ScenarioError
    from optimizer.explain import answers_as_records, explain, result_source
    from optimizer.solve import SolveSettings

    check_solver_options(time_limit=time_limit)
    source, plan = result_source(result)
    starts: dict[str, dict[int, int]] = {}
    try:
        for entry in plan.get("schedule", []):
            starts.setdefault(entry["candidate"], {})[int(entry["start_year"])] = int(
                entry.get("units", 1)
            )
    except (TypeError, ValueError, KeyError) as exc:  # a bare plan.json has no hashes to verify
        raise ScenarioError(
            [Problem(str(result), None, "schedule", f"is not a capplan schedule ({exc})")]
        ) from None
    if plan.get("objective") is None:
        raise typer.BadParameter("the result has no solved plan to explain", param_hint="RESULT")
    answers = explain(
        source,
        plan.get("variant"),
        starts,
        float(plan["objective"]),
        candidate,
        SolveSettings(time_limit=time_limit),
        workers,
    )
    prices_file = Path(result) / "shadow_prices.csv" if Path(result).is_dir() else None
    prices = (
        pd.read_csv(prices_file)
        if prices_file is not None and prices_file.is_file()
        else pd.DataFrame()
    )
    if as_json:
        payload = {
            "answers": answers_as_records(answers),
            "shadow_prices": prices.to_dict(orient="records") if not prices.empty else [],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        return
    console = Console()
    table = Table(title="What each decision is worth (re-solved, ranked)")
    for column in ("candidate", "question", "start", "answer"):
        table.add_column(column)
    words = {
        "force_in_earliest": "force in at earliest start",
        "force_out": "force out",
        "one_year_earlier": "one year earlier",
        "one_year_later": "one year later",
    }
    for a in answers:
        table.add_row(shown(a.candidate), words[a.action], str(a.start_year or "–"), shown(a.words))
    console.print(table)
    if not prices.empty:
        console.print("[bold]Binding limits[/] (shadow prices, with the chosen projects fixed):")
        for meaning in prices["meaning"].head(10):
            console.print(f"  • {shown(meaning)}")


def register(app: typer.Typer) -> None:
    app.command(name="replan")(replan_command)
    app.command(name="explain")(explain_command)
