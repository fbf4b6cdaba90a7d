"""What several commands share: error messages, report writers, the infeasibility diagnosis."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from optimizer.errors import CapplanError, ScenarioError
from optimizer.text import shown, shown_report

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


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
    """Print a known error (every problem of a scenario, one per line); return its exit code."""
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


def print_warnings(warnings, console: Console | None = None) -> None:
    """The scenario's warnings, one per line (``validate``; ``run`` before solving)."""
    if not warnings:
        return
    console = console or err_console
    count = len(warnings)
    console.print(f"[bold yellow]{count} warning{'s' if count != 1 else ''}:[/]")
    for warning in warnings:
        console.print(f"  • {warning}", markup=False, soft_wrap=True)


def claim_output(out: Path | None, force: bool, protected: list, stem: str, command: str):
    """The ``--out`` folder (``--force``: may replace capplan's earlier output there), else a
    new folder ``results/<stem>``; claimed before any solve, so a refusal comes first."""
    from optimizer.io.output import OutputClaim, safe_component

    if out is not None:
        return OutputClaim(out, force=force, protected=protected, written_by=command)
    return OutputClaim.new_folder(
        Path("results"), safe_component(stem), protected=protected, written_by=command
    )


def report_writers(lang: str = "sv") -> list:
    """Writers for the reports in every results folder: plan.xlsx and report.html."""
    from optimizer.report.excel import plan_xlsx_writer
    from optimizer.report.html import report_html_writer

    return [plan_xlsx_writer(lang), report_html_writer(lang)]


def progress_printer(console: Console, lang: str = "sv"):
    """One line per phase, at most one incumbent line a second (``optimizer.report.progress``).

    For a live display on a terminal use ``run_progress`` (as ``run`` and ``compare`` do).
    """
    from optimizer.report.progress import LineProgress

    return LineProgress(console, lang=lang)


def print_plan_summary(plan, scenario, console: Console, target: Path, lang: str) -> None:
    """The terminal summary of run's or replan's plan, naming the results folder when the plan
    was written there."""
    from optimizer.report.terminal import print_summary

    out_dir = target if plan.has_solution else None
    print_summary(plan, console, out_dir=out_dir, lang=lang, scenario=scenario)


def exit_unless_solved(
    plan, scenario, settings, console: Console, as_json: bool, lang: str
) -> None:
    """How run and replan end without a plan: the diagnosis and exit code 3 when the scenario
    is infeasible, exit code 4 when the solver stopped without one (optimizer/errors.py)."""
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.status import Status

    if plan.status is Status.INFEASIBLE:
        print_diagnosis(scenario, settings, console, as_json, lang)
        raise typer.Exit(EXIT_INFEASIBLE)
    if not plan.has_solution:
        raise typer.Exit(EXIT_NO_SOLUTION)


def print_diagnosis(scenario, settings, console: Console, as_json: bool, lang: str = "sv") -> None:
    """Infeasible: re-solve elastically and say which hard limits conflict (exit code 3).

    The sentences are in the report language (``--lang``): an infeasible scenario writes no
    report, so this is what the finance office reads. ``--json`` carries both languages."""
    from dataclasses import asdict

    from optimizer.diagnose import diagnose
    from optimizer.report.i18n import translator

    conflicts = diagnose(scenario, settings)
    if as_json:
        err_console.print_json(json.dumps({"conflicts": [asdict(c) for c in conflicts]}))
        return
    t = translator(lang)
    lead, _, rest = t("diagnosis_lead").partition(". ")
    err_console.print(f"[bold red]{shown(lead)}.[/] {shown(rest)}")
    for conflict in conflicts:
        # the sentence names the limit in words; its row name (budget[tax,2026]) is in --json
        err_console.print(f"  • {shown_report(conflict.text(lang))}")
    if not conflicts:
        err_console.print(f"  {shown(t('diagnosis_none'))}")
