"""``capplan compare``: scenarios or variants side by side, reusing stored results."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from optimizer.cli import common
from optimizer.cli.options import (
    CompareLanguage,
    CompareOut,
    OutputChoice,
    SolverChoice,
    TimeLimitPerRun,
    json_option,
    output_options,
    solver_options,
)
from optimizer.text import shown


@solver_options(time_limit=TimeLimitPerRun)
@output_options(
    CompareOut,
    as_json=Annotated[bool, json_option("Print the comparison as JSON to stdout (nothing else).")],
    lang=CompareLanguage,
)
def compare(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Scenario folders or workbooks (one or more).")
    ],
    variants: Annotated[
        str | None,
        typer.Option(
            "--variants", help="Comma-separated variants of each scenario, e.g. low,trend,target."
        ),
    ] = None,
    solving: SolverChoice = SolverChoice(),
    output: OutputChoice = OutputChoice(),
    results: Annotated[
        Path, typer.Option("--results", help="Where to look for stored results to reuse.")
    ] = Path("results"),
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Solve every run, even when a stored result matches.")
    ] = False,
    period_years: Annotated[
        int,
        typer.Option("--period-years", min=1, help="Years per investment period (2026-2030, ...)."),
    ] = 5,
) -> None:
    """Compare scenarios or variants side by side: cost, investment, shortfall, CO2e, projects."""
    from optimizer.compare import compare_folder_name, gather, unique_labels
    from optimizer.errors import EXIT_INFEASIBLE, EXIT_NO_SOLUTION
    from optimizer.io.output import protected_paths
    from optimizer.report.compare import print_comparison
    from optimizer.status import Status

    names = [v.strip() for v in variants.split(",") if v.strip()] if variants else [None]
    pairs = [(path, name) for path in scenarios for name in names]
    if len(pairs) < 2:
        raise typer.BadParameter(
            "give two or more scenario folders, or --variants with two or more variants"
        )
    loaded = _load_each(pairs)
    labels = unique_labels(pairs, loaded)
    protected = [p for s in loaded for p in protected_paths(s)]
    stem = compare_folder_name(labels, [Path(p).stem for p, _ in pairs])
    claim = common.claim_output(output.out, output.force, protected, stem, "capplan compare")
    settings_list = [solving.settings_for(s) for s in loaded]
    console = Console(stderr=True) if output.as_json else Console()
    notes = _Notes(output.quiet, output.as_json, output.lang)
    # claimed before solving, so a refusal never comes after the solves (see run)
    with claim:
        entries = gather(
            loaded,
            labels,
            settings_list,
            results_base=None if fresh else results,
            progress_for=notes.progress_for,
            on_reuse=notes.on_reuse,
            on_tampered=notes.on_tampered,
        )
        claim.protect(
            (e.folder, f"the stored result {e.folder} this comparison reuses")
            for e in entries
            if e.source == "reused" and e.folder is not None
        )
        target = claim.target
        with claim.writing() as tmp:
            in_lang, english = _write_comparison(entries, tmp, target, period_years, output.lang)
    if output.as_json:
        print(json.dumps(english.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_comparison(in_lang, console, out_dir=target, lang=output.lang)
    statuses = {entry.plan.status for entry in entries}
    if Status.INFEASIBLE in statuses:
        raise typer.Exit(EXIT_INFEASIBLE)
    if not all(status.has_plan for status in statuses):
        raise typer.Exit(EXIT_NO_SOLUTION)


def _load_each(pairs: list[tuple[Path, str | None]]) -> list:
    """Every scenario of the comparison, or every problem of all of them at once.

    A problem names its file relative to its scenario ('candidates.csv, row 2'); when two or
    more scenario folders are compared each has a candidates.csv, so the file is named with its
    folder ('Åre 2028/candidates.csv, row 2').
    """
    from optimizer import load_scenario
    from optimizer.errors import ScenarioError

    several = len({Path(path).resolve() for path, _ in pairs}) > 1
    loaded, problems = [], []
    for path, name in pairs:
        try:
            loaded.append(load_scenario(path, name))
        except ScenarioError as exc:
            problems += [_in_folder(p, Path(path)) if several else p for p in exc.problems]
    if problems:
        raise ScenarioError(problems)
    return loaded


def _in_folder(problem, folder: Path):
    """The problem with its file named inside ``folder`` (a workbook's label names it already)."""
    relative = not Path(problem.file).is_absolute() and not problem.file.startswith(str(folder))
    if folder.is_dir() and relative:
        return dataclasses.replace(problem, file=str(folder / problem.file))
    return problem


class _Notes:
    """What compare says on stderr while it works: a progress line per run (on the terminal
    only with --json), each stored result it reuses, and each it refuses to reuse."""

    def __init__(self, quiet: bool, as_json: bool, lang: str = "sv"):
        from optimizer.report.i18n import translator

        self.quiet, self.as_json, self.lang = quiet, as_json, lang
        self.t = translator(lang)
        self.console = Console(stderr=True, highlight=False)

    def progress_for(self, label: str, index: int, count: int):
        from optimizer.report.progress import run_progress

        return run_progress(
            enabled=not self.quiet,
            terminal_only=self.as_json,
            label=f"[{index + 1}/{count}] {label}",
            console=self.console,
            lang=self.lang,
        )

    def on_reuse(self, label: str, folder: Path) -> None:
        if not self.quiet and not self.as_json:
            self.console.print(
                f"[dim]{self.t('tt_reusing', label=shown(label), folder=shown(folder))}[/]"
            )

    def on_tampered(self, label: str, folder: Path, problems: list) -> None:
        if not self.as_json:
            self.console.print(
                self.t("tt_not_reusing", label=label, folder=folder, problem=problems[0]),
                markup=False,
                soft_wrap=True,
            )


def _write_comparison(entries: list, tmp: Path, target: Path, period_years: int, lang: str):
    """Into ``tmp`` (to become ``target``): each run solved now as a results folder under runs/,
    the reports in ``lang`` and compare.json (English); returns the comparison in ``lang`` (for
    the terminal) and in English (for --json)."""
    from optimizer.compare import compare_plans, run_folder_names
    from optimizer.io.results import write_json, write_results
    from optimizer.report.compare import write_compare_reports

    run_names = run_folder_names([entry.label for entry in entries])
    for entry, name in zip(entries, run_names, strict=True):
        if entry.source == "solved" and entry.plan.has_solution:
            write_results(
                entry.plan,
                entry.scenario,
                tmp / "runs" / name,
                writers=common.report_writers(lang),
            )
            entry.folder = target / "runs" / name
    comparison = compare_plans(entries, period_years, lang=lang)
    write_compare_reports(comparison, tmp, lang)
    english = compare_plans(entries, period_years, lang="en")
    write_json(english.to_dict(), tmp / "compare.json")
    return comparison, english
