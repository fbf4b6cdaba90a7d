"""The command line: ``capplan validate | convert | run | compare | replan | explain``.

Every command turns known errors into a message and an exit code (``optimizer.errors``);
a traceback means a bug in capplan, never bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from optimizer.errors import EXIT_INTERRUPTED, EXIT_USAGE, CapplanError, ScenarioError

app = typer.Typer(
    name="capplan",
    help="Capital investment planner: choose and time a municipality's investments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@app.callback()
def _root() -> None:
    """Capital investment planner: choose and time a municipality's investments."""


def report_error(exc: CapplanError) -> int:
    if isinstance(exc, ScenarioError):
        count = len(exc.problems)
        err_console.print(f"[bold red]The scenario has {count} problem{'s' if count != 1 else ''}:[/]")
        for problem in exc.problems:
            err_console.print(f"  • {problem}", markup=False)
    else:
        err_console.print(f"[bold red]Error:[/] {exc}")
    return exc.exit_code


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario folder or .xlsx workbook."),
    variant: str | None = typer.Option(None, "--variant", "-v", help="Variant (default: the scenario's)."),
    solver: str | None = typer.Option(None, "--solver", help="highs (default) or cbc."),
    time_limit: float | None = typer.Option(None, "--time-limit", help="Seconds before the solver stops."),
    gap: float | None = typer.Option(None, "--gap", help="Relative MIP gap at which to stop (0.01 = 1 %)."),
    threads: int | None = typer.Option(None, "--threads", help="Solver threads."),
    seed: int | None = typer.Option(None, "--seed", help="Solver random seed."),
    out: Path | None = typer.Option(None, "--out", help="Results folder (default: a new folder under results/)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out folder."),
    as_json: bool = typer.Option(False, "--json", help="Print plan.json to stdout (nothing else)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
) -> None:
    """Solve a scenario: terminal summary and a results folder (plan.json, CSV tables, manifest)."""
    from optimizer import load_scenario
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.io.results import OutputExistsError, default_output_dir, plan_to_dict, write_results
    from optimizer.report.terminal import print_summary
    from optimizer.run import run_scenario, solve_settings_for
    from optimizer.solve import SOLVERS

    if solver is not None and solver not in SOLVERS:
        raise typer.BadParameter(f"'{solver}' is not a solver; choose one of {', '.join(SOLVERS)}", param_hint="--solver")
    loaded = load_scenario(scenario, variant)
    target = out or default_output_dir(loaded)
    if out is not None and out.exists() and not force:
        raise OutputExistsError(f"{out} already exists; choose another --out or add --force to replace it")
    settings = solve_settings_for(loaded, solver=solver, time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    console = Console(stderr=True) if as_json else Console()
    progress = None if (quiet or as_json) else _progress_printer(console)
    plan = run_scenario(loaded, settings, progress=progress)
    if plan.has_solution:
        write_results(plan, loaded, target, force=force, writers=_report_writers())
    if as_json:
        print(json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False))
    else:
        print_summary(plan, console, out_dir=target if plan.has_solution else None)
    if plan.status == "infeasible":
        raise typer.Exit(EXIT_INFEASIBLE)
    if not plan.has_solution:
        raise typer.Exit(EXIT_NO_SOLUTION)


def _report_writers() -> list:
    """Writers for extra result files (Excel, HTML) when those modules are present."""
    return []


def _progress_printer(console: Console):
    import time

    started = time.perf_counter()
    last = {"phase": None}

    def show(phase: str, **info) -> None:
        if phase == last["phase"] and "incumbent" not in info:
            return
        last["phase"] = phase
        elapsed = time.perf_counter() - started
        detail = ""
        if "rows" in info:
            detail = f" ({info['rows']:,} rows, {info['columns']:,} columns, {info['nonzeros']:,} non-zeros)"
        if "incumbent" in info:
            detail = f" incumbent {info['incumbent']:,.1f}, gap {info['gap']:.2%}"
        console.print(f"[dim]{elapsed:6.1f} s  {phase}{detail}[/]")

    return show


def main() -> None:
    try:
        result = app(standalone_mode=False)
    except CapplanError as exc:
        sys.exit(report_error(exc))
    except KeyboardInterrupt:
        err_console.print("Interrupted; no results were written.")
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit:
        raise
    except Exception as exc:
        # typer vendors click; its usage errors carry show() and an exit code
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(EXIT_USAGE)
        if type(exc).__name__ == "Abort":
            sys.exit(EXIT_INTERRUPTED)
        raise
    else:
        if isinstance(result, int) and result:  # typer.Exit in non-standalone mode returns the code
            sys.exit(result)


if __name__ == "__main__":
    main()
