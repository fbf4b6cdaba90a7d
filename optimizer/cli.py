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
from optimizer.status import Status
from optimizer.text import printable_line, shown

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


def check_solver_options(**given: float | int | None) -> None:
    """Refuse an out-of-range ``--time-limit``, ``--gap``, ``--threads`` or ``--seed`` before
    any work. The ranges are those of ``[solver]`` in scenario.toml (``schema.SolverSettings``),
    declared once there; options left out (``None``) take the scenario's values."""
    from optimizer.schema import SolverSettings

    check_options(SolverSettings, **given)


def check_options(model, **given: float | int | None) -> None:
    """Refuse option values outside the ranges of the settings ``model`` that has the same
    fields (``typer.BadParameter``: exit code 1, naming the option)."""
    from pydantic import ValidationError

    options = {name: value for name, value in given.items() if value is not None}
    try:
        model.model_validate(options)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0])
        if error["type"] == "finite_number":
            reason = "must be a finite number"
        elif error["type"] == "value_error":  # a magnitude (schema.Magnitude) says it itself
            reason = str(error["ctx"]["error"])
        else:
            reason = error["msg"].replace("Input should be", "must be")
        raise typer.BadParameter(
            f"{options[name]} is out of range: {reason}", param_hint=f"--{name.replace('_', '-')}"
        ) from None


def report_error(exc: CapplanError) -> int:
    if isinstance(exc, ScenarioError):
        count = len(exc.problems)
        err_console.print(
            f"[bold red]The scenario has {count} problem{'s' if count != 1 else ''}:[/]"
        )
        for problem in exc.problems:
            err_console.print(f"  • {problem}", markup=False, soft_wrap=True)
    else:
        err_console.print(f"[bold red]Error:[/] {shown(exc)}")
    return exc.exit_code


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario folder or .xlsx workbook."),
    variant: str | None = typer.Option(
        None, "--variant", "-v", help="Variant (default: the scenario's)."
    ),
    solver: str | None = typer.Option(None, "--solver", help="highs (default) or cbc."),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds before the solver stops."
    ),
    gap: float | None = typer.Option(
        None, "--gap", help="Relative MIP gap at which to stop (0.01 = 1 %)."
    ),
    threads: int | None = typer.Option(None, "--threads", help="Solver threads."),
    seed: int | None = typer.Option(None, "--seed", help="Solver random seed."),
    out: Path | None = typer.Option(
        None, "--out", help="Results folder (default: a new folder under results/)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out folder."),
    as_json: bool = typer.Option(False, "--json", help="Print plan.json to stdout (nothing else)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
    lang: str = typer.Option(
        "sv", "--lang", help="Report language (plan.xlsx, report.html): sv or en."
    ),
) -> None:
    """Solve a scenario: terminal summary and a results folder (plan.json, CSV tables, manifest)."""
    from optimizer import load_scenario
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.io.results import claim_results_folder, plan_to_dict, write_results
    from optimizer.report.progress import run_progress
    from optimizer.report.terminal import print_summary
    from optimizer.run import run_scenario, solve_settings_for
    from optimizer.solve import SOLVERS

    if solver is not None and solver not in SOLVERS:
        raise typer.BadParameter(
            f"'{solver}' is not a solver; choose one of {', '.join(SOLVERS)}", param_hint="--solver"
        )
    check_solver_options(time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    writers = _report_writers(_check_lang(lang))
    loaded = load_scenario(scenario, variant)
    settings = solve_settings_for(
        loaded, solver=solver, time_limit=time_limit, gap=gap, threads=threads, seed=seed
    )
    console = Console(stderr=True) if as_json else Console()
    # claimed before solving: a refusal after the solve would lose it, and a second run
    # writing the same --out at once is refused instead of silently replacing this one
    with claim_results_folder(out, loaded, force) as claim:
        with run_progress(enabled=not quiet, terminal_only=as_json) as progress:
            plan = run_scenario(loaded, settings, progress=progress)
        if plan.has_solution:
            write_results(plan, loaded, claim, writers=writers)
    target = claim.target
    if as_json:
        print(json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False))
    else:
        print_summary(plan, console, out_dir=target if plan.has_solution else None)
    if plan.status is Status.INFEASIBLE:
        _print_diagnosis(loaded, settings, console, as_json)
        raise typer.Exit(EXIT_INFEASIBLE)
    if not plan.has_solution:
        raise typer.Exit(EXIT_NO_SOLUTION)


def _print_diagnosis(scenario, settings, console: Console, as_json: bool) -> None:
    """Infeasible: re-solve elastically and say which hard limits conflict (exit code 3)."""
    from dataclasses import asdict

    from optimizer.diagnose import diagnose

    conflicts = diagnose(scenario, settings)
    if as_json:
        err_console.print_json(json.dumps({"conflicts": [asdict(c) for c in conflicts]}))
        return
    err_console.print(
        "[bold red]The hard limits conflict.[/] The smallest violation that makes a plan possible:"
    )
    for conflict in conflicts:
        err_console.print(
            f"  • {shown(conflict.explanation)}  [dim]({shown(conflict.constraint)})[/]"
        )
    if not conflicts:
        err_console.print(
            "  (no single group of limits explains it; check windows and dependencies)"
        )


def _report_writers(lang: str = "sv") -> list:
    """Writers for the reports in every results folder: plan.xlsx and report.html."""
    from optimizer.report.excel import plan_xlsx_writer
    from optimizer.report.html import report_html_writer

    return [plan_xlsx_writer(lang), report_html_writer(lang)]


def _check_lang(lang: str) -> str:
    from optimizer.report.i18n import LANGUAGES

    if lang not in LANGUAGES:
        raise typer.BadParameter(
            f"'{lang}' is not a report language; choose one of {', '.join(LANGUAGES)}",
            param_hint="--lang",
        )
    return lang


@app.command()
def compare(
    scenarios: list[Path] = typer.Argument(
        ..., help="Scenario folders or workbooks (one or more)."
    ),
    variants: str | None = typer.Option(
        None, "--variants", help="Comma-separated variants of each scenario, e.g. low,trend,target."
    ),
    solver: str | None = typer.Option(None, "--solver", help="highs (default) or cbc."),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds before the solver stops, per run."
    ),
    gap: float | None = typer.Option(
        None, "--gap", help="Relative MIP gap at which to stop (0.01 = 1 %)."
    ),
    threads: int | None = typer.Option(None, "--threads", help="Solver threads."),
    seed: int | None = typer.Option(None, "--seed", help="Solver random seed."),
    out: Path | None = typer.Option(
        None, "--out", help="Comparison folder (default: a new folder under results/)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out folder."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the comparison as JSON to stdout (nothing else)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
    lang: str = typer.Option(
        "sv", "--lang", help="Language of compare.html and compare.xlsx: sv or en."
    ),
    results: Path = typer.Option(
        Path("results"), "--results", help="Where to look for stored results to reuse."
    ),
    fresh: bool = typer.Option(
        False, "--fresh", help="Solve every run, even when a stored result matches."
    ),
    period_years: int = typer.Option(
        5, "--period-years", min=1, help="Years per investment period (2026-2030, ...)."
    ),
) -> None:
    """Compare scenarios or variants side by side: cost, investment, shortfall, CO2e, projects."""
    from optimizer import load_scenario
    from optimizer.compare import (
        compare_folder_name,
        compare_plans,
        gather,
        run_folder_names,
        unique_labels,
    )
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.io.output import OutputClaim, protected_paths
    from optimizer.io.results import write_results
    from optimizer.report.compare import print_comparison, write_compare_reports
    from optimizer.report.progress import run_progress
    from optimizer.run import solve_settings_for
    from optimizer.solve import SOLVERS

    if solver is not None and solver not in SOLVERS:
        raise typer.BadParameter(
            f"'{solver}' is not a solver; choose one of {', '.join(SOLVERS)}", param_hint="--solver"
        )
    check_solver_options(time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    lang = _check_lang(lang)
    names = [v.strip() for v in variants.split(",") if v.strip()] if variants else [None]
    pairs = [(path, name) for path in scenarios for name in names]
    if len(pairs) < 2:
        raise typer.BadParameter(
            "give two or more scenario folders, or --variants with two or more variants"
        )
    loaded = [load_scenario(path, name) for path, name in pairs]
    labels = unique_labels(pairs, loaded)
    protected = [p for s in loaded for p in protected_paths(s)]
    if out is not None:
        claim = OutputClaim(out, force=force, protected=protected, written_by="capplan compare")
    else:
        claim = OutputClaim.new_folder(
            Path("results"),
            compare_folder_name(labels, [Path(p).stem for p, _ in pairs]),
            protected=protected,
            written_by="capplan compare",
        )
    settings_list = [
        solve_settings_for(
            s, solver=solver, time_limit=time_limit, gap=gap, threads=threads, seed=seed
        )
        for s in loaded
    ]
    console = Console(stderr=True) if as_json else Console()
    notes = Console(stderr=True, highlight=False)

    def progress_for(label: str, index: int, count: int):
        return run_progress(
            enabled=not quiet,
            terminal_only=as_json,
            label=f"[{index + 1}/{count}] {label}",
            console=notes,
        )

    def on_reuse(label: str, folder: Path) -> None:
        if not quiet and not as_json:
            notes.print(
                f"[dim]{shown(label)}: reusing {shown(folder)} "
                "(same inputs, variant and solver settings)[/]"
            )

    def on_tampered(label: str, folder: Path, problems: list) -> None:
        if not as_json:
            notes.print(
                f"{label}: not reusing {folder}: {problems[0]}; solving again",
                markup=False,
                soft_wrap=True,
            )

    # claimed before solving, so a refusal never comes after the solves (see run)
    with claim:
        entries = gather(
            loaded,
            labels,
            settings_list,
            results_base=None if fresh else results,
            progress_for=progress_for,
            on_reuse=on_reuse,
            on_tampered=on_tampered,
        )
        claim.protect(
            (e.folder, f"the stored result {e.folder} this comparison reuses")
            for e in entries
            if e.source == "reused" and e.folder is not None
        )
        target = claim.target
        with claim.writing() as tmp:
            run_names = run_folder_names([entry.label for entry in entries])
            for entry, name in zip(entries, run_names, strict=True):
                if entry.source == "solved" and entry.plan.has_solution:
                    write_results(
                        entry.plan,
                        entry.scenario,
                        tmp / "runs" / name,
                        writers=_report_writers(lang),
                    )
                    entry.folder = target / "runs" / name
            comparison = compare_plans(entries, period_years, lang=lang)
            write_compare_reports(comparison, tmp, lang)
            english = compare_plans(entries, period_years, lang="en")
            (tmp / "compare.json").write_text(
                json.dumps(english.to_dict(), indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
    if as_json:
        print(json.dumps(english.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_comparison(english, console, out_dir=target)
    statuses = {entry.plan.status for entry in entries}
    if Status.INFEASIBLE in statuses:
        raise typer.Exit(EXIT_INFEASIBLE)
    if not all(status.has_plan for status in statuses):
        raise typer.Exit(EXIT_NO_SOLUTION)


def _progress_printer(console: Console):
    """One line per phase, at most one incumbent line a second (``optimizer.report.progress``).

    For a live display on a terminal use ``run_progress`` (as ``run`` and ``compare`` do).
    """
    from optimizer.report.progress import LineProgress

    return LineProgress(console)


@app.command()
def validate(
    scenario: Path = typer.Argument(..., help="Scenario folder or .xlsx workbook."),
    variant: str | None = typer.Option(
        None, "--variant", "-v", help="Check one variant (default: every variant)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON object on stdout (nothing else)."
    ),
) -> None:
    """Check a scenario and list every problem with file, row and field (exit code 2 if any)."""
    from optimizer.errors import Problem
    from optimizer.io import EVERY_VARIANT, one_variant, read_raw
    from optimizer.text import nfc
    from optimizer.validate import parse_variants

    variant = nfc(variant) if variant is not None else None  # as the scenario's names are
    usage = one_variant(variant) if variant else EVERY_VARIANT
    try:
        scenarios = parse_variants(read_raw(scenario, usage), [variant] if variant else None)
    except Exception as exc:  # a reader bug must still end in a message, never a traceback
        error = exc
        if not isinstance(exc, ScenarioError):
            reason = f"could not be read ({type(exc).__name__}: {exc})"
            error = ScenarioError([Problem(str(scenario), None, None, reason)])
        if as_json:
            problems = [p.to_dict() for p in error.problems]
            print(json.dumps({"valid": False, "problems": problems}, ensure_ascii=False))
        raise error from None
    first = next(iter(scenarios.values()))
    described = scenarios.get(first.settings.scenario.default_variant or "", first)
    summary = {
        "valid": True,
        "path": str(scenario),
        **described.summary(),
        "checked_variants": list(scenarios),
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"[bold green]✓[/] {shown(summary['scenario'])} ({shown(scenario)}) is valid.")
    console.print(
        printable_line(
            f"  {summary['candidates']} candidates · departments {', '.join(summary['departments'])} · "
            f"services {', '.join(summary['services'])} · pools {', '.join(summary['pools'])}"
            + (f" · districts {', '.join(summary['districts'])}" if summary["districts"] else "")
        ),
        markup=False,
    )
    checked = ", ".join(summary["checked_variants"])
    console.print(
        printable_line(
            f"  years {summary['years'][0]}-{summary['years'][1]} · variants checked: {checked}"
        ),
        markup=False,
    )


@app.command()
def convert(
    source: Path = typer.Argument(..., help="Scenario folder or .xlsx workbook to read."),
    target: Path = typer.Argument(..., help="Workbook (.xlsx) or folder to write."),
    force: bool = typer.Option(False, "--force", help="Replace an existing target."),
) -> None:
    """Convert a scenario folder to one Excel workbook, or a workbook to a folder, without loss."""
    from optimizer.io import convert as convert_scenario
    from optimizer.io import is_workbook

    try:
        raw = convert_scenario(source, target, force=force)
    except OSError as exc:  # a reader's; the writing side reports its own (optimizer.io.output)
        raise CapplanError(f"cannot convert {source}: {exc.strerror or exc}") from None
    console = Console(highlight=False, soft_wrap=True)
    kind = "workbook" if is_workbook(target) else "scenario folder"
    console.print(
        printable_line(
            f"Wrote {kind} {target}: settings and {len(raw.tables)} tables "
            f"({', '.join(raw.tables)})."
        ),
        markup=False,
    )
    toml = Path(source) / "scenario.toml"
    if toml.is_file() and any(
        line.lstrip().startswith("#") for line in toml.read_text(errors="replace").splitlines()
    ):
        console.print(
            "[dim]Comments in scenario.toml are not kept: a TOML reader does not return them.[/]"
        )


def _register_more_commands() -> None:
    from optimizer.cli_replan import register

    register(app)


_register_more_commands()


def main() -> None:
    from optimizer import interrupt

    with interrupt.handled():
        _main()


def _main() -> None:
    from optimizer import interrupt

    try:
        result = app(standalone_mode=False)
    except CapplanError as exc:
        if interrupt.interrupted.is_set():  # e.g. a refusal raised while unwinding a Ctrl-C
            _exit_interrupted()
        sys.exit(report_error(exc))
    except KeyboardInterrupt:
        _exit_interrupted()
    except SystemExit:
        raise
    except Exception as exc:
        if interrupt.interrupted.is_set():
            _exit_interrupted()
        # typer vendors click; its usage errors carry show() and an exit code
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(EXIT_USAGE)
        if type(exc).__name__ == "Abort":
            _exit_interrupted()
        raise
    else:
        if interrupt.interrupted.is_set() or result == EXIT_INTERRUPTED:
            _exit_interrupted()  # typer turns Ctrl-C into Exit(130) before we see it
        if isinstance(result, int) and result:  # typer.Exit in non-standalone mode returns the code
            sys.exit(result)


def _exit_interrupted() -> None:
    """Say so and end the process now (exit 130 after SIGINT, 143 after SIGTERM).

    Everything the run had started is cleaned up by then (the exception unwound every ``with``
    block); ``os._exit`` skips the interpreter's shutdown, which can take seconds on a busy
    machine, and does not wait for a HiGHS thread that has not yet noticed the interrupt.
    """
    import contextlib
    import os

    from optimizer import interrupt
    from optimizer.io.output import interrupted_message

    with contextlib.suppress(OSError, ValueError):  # a closed pipe must not stop the exit
        # what is on disk: the results may have been moved into place before the interrupt
        err_console.print(interrupted_message(), markup=False, highlight=False)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(interrupt.exit_code())


if __name__ == "__main__":
    main()
