"""``capplan sweep``: Monte Carlo over growth paths, cost overruns and interest rates, on Dask."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from optimizer.cli.options import (
    Quiet,
    ReportLanguage,
    ScenarioPath,
    TimeLimitPerRun,
    adopted_option,
    workers_option,
)

Samples = Annotated[int, typer.Option("--samples", min=1, max=1_000_000, help="Number of samples.")]
SweepSeed = Annotated[
    int, typer.Option("--seed", min=0, max=2**31 - 1, help="Random seed of the draws.")
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler", help="Address of a running Dask scheduler (default: a local cluster)."
    ),
]
Workers = Annotated[
    int | None, workers_option("Workers of the local cluster (default: cores).", most=1024)
]
Adopted = Annotated[
    Path | None,
    adopted_option("An adopted plan (results folder or plan.json): decisions fixed."),
]
SweepOut = Annotated[
    Path | None,
    typer.Option(
        "--out", help="Sweep folder (default: results/sweep-<scenario>-seed<S>); rerun to resume."
    ),
]

PARAMETERS_FILE = "sweep.json"


def sweep(
    scenario: ScenarioPath,
    samples: Samples,
    seed: SweepSeed = 0,
    scheduler: Scheduler = None,
    workers: Workers = None,
    adopted: Adopted = None,
    time_limit: TimeLimitPerRun = None,
    out: SweepOut = None,
    quiet: Quiet = False,
    lang: ReportLanguage = "sv",
) -> None:
    """Solve many drawn futures (sweep.toml): how often each candidate is chosen, cost, debt, shortfall."""
    from optimizer import load_scenario
    from optimizer import sweep as mc
    from optimizer.io.output import OutputExistsError
    from optimizer.io.results import input_hash
    from optimizer.report.i18n import translator
    from optimizer.report.sweep import print_sweep, write_sweep_reports
    from optimizer.run import solve_settings_for

    settings_of_sweep = mc.read_sweep_settings(scenario)
    loaded = {v: load_scenario(scenario, v) for v in settings_of_sweep.population.variants}
    first = next(iter(loaded.values()))
    # one solver thread per worker and the scenario's seed: the same draws give the same plans
    solver = solve_settings_for(first, time_limit=time_limit, threads=1)
    adopted_starts = None
    if adopted is not None:
        from optimizer.replan import check_adopted, load_adopted

        plan = load_adopted(adopted)
        check_adopted(plan, first)
        adopted_starts = {c: {str(y): n for y, n in by.items()} for c, by in plan.starts.items()}
    parameters = {
        "scenario": str(Path(scenario)),
        "inputs": input_hash(list(first.source_files) + [Path(scenario) / mc.SWEEP_FILE]),
        "seed": seed,
        "distributions": settings_of_sweep.model_dump(),
        "solver": solver.model_dump(),
        "adopted": adopted_starts,
    }
    folder = out or Path("results") / (
        f"sweep-{Path(scenario).stem}-seed{seed}" + ("-adopted" if adopted else "")
    )
    _claim_sweep_folder(folder, parameters, scenario, OutputExistsError)
    done = mc.done_samples(folder, samples)
    todo = [s for s in range(samples) if s not in done]
    console = Console()
    t = translator(lang)
    if done and not quiet:
        console.print(
            t("sweep_resuming", folder=folder, done=len(done), samples=samples), markup=False
        )
    if todo:
        _run(mc, folder, loaded, settings_of_sweep, seed, todo, solver, adopted_starts,
             scheduler, workers, quiet, t)  # fmt: skip
    results = mc.read_samples(folder, samples)
    candidates = [c.id for c in first.candidates]
    write_sweep_reports(results, candidates, first, parameters, folder, lang)
    print_sweep(results, candidates, console, folder, lang)


def _claim_sweep_folder(folder: Path, parameters: dict, scenario: Path, refused) -> None:
    """A new folder, or the folder of the same sweep (resume); never anything else."""
    folder = Path(folder)
    record = folder / PARAMETERS_FILE
    scenario_root = Path(scenario).resolve()
    target = folder.resolve()
    if (
        target == scenario_root
        or scenario_root in target.parents
        or target in scenario_root.parents
    ):
        raise refused(f"{folder}: a sweep folder cannot be, hold or be inside the scenario")
    text = json.dumps(parameters, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if folder.exists():
        if not record.is_file():
            raise refused(f"{folder} exists and is not a sweep folder; choose another --out")
        if record.read_text(encoding="utf-8") != text:
            raise refused(
                f"{folder} holds a sweep with other inputs, seed or settings; choose another --out"
            )
        return
    folder.mkdir(parents=True)
    tmp = folder / f".{PARAMETERS_FILE}.partial"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(record)


def _run(
    mc, folder, loaded, sweep_settings, seed, todo, solver, adopted, scheduler, workers, quiet, t
):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with (
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=quiet,
        ) as progress,
        mc.DaskRunner(scheduler, workers) as runner,
    ):
        task = progress.add_task(t("sweep_progress", workers=runner.workers), total=len(todo))

        def on_result(record: dict) -> None:
            mc.write_sample(folder, record)  # streamed: an interrupted sweep resumes from here
            progress.advance(task)

        runner.run(loaded, sweep_settings, seed, todo, solver, adopted, on_result)
