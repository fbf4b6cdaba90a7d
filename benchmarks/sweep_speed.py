"""Monte Carlo sweep throughput (docs/sweep.md, issue #15): samples per second of the default
scenario's sweep on a Dask LocalCluster with 1 and 2 workers, against the same samples solved
one after another in a plain loop in this process.

    python -m benchmarks.sweep_speed --samples 200 --workers 1,2

Each case solves samples 0..N-1 of ``sweep.toml`` with the same seed. The clusters are started
before timing (a sweep starts one once) and their workers import the solver first, so the wall
time is what the samples cost. Figures:

- samples per second (wall) per case, and the speed-up of each cluster over the 1-worker cluster;
- overhead per sample = (wall of the 1-worker cluster − wall of the loop) / N: what Dask adds to
  each sample (scheduling, moving the record back);
- CPU seconds per sample: this process's CPU for the loop, the workers' own CPU (read on each
  worker before and after) for the clusters. On a shared machine wall times follow the load;
  CPU per sample does not, so compare it across runs;
- whether every case gave the same records (the same seed gives the same results on any number
  of workers), and the statuses.

The last cluster's samples are written like ``capplan sweep`` writes them and its report
(sweep.html, sweep.xlsx) is rendered: a sweep of that size finishes end to end. Writes
``benchmarks/sweep_speed.json`` and the "Sweeps" section of ``benchmarks/RESULTS.md``.
Wall time is about (N + N + N/2) × the time of one solve (Östersund: a few seconds of CPU each).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: benchmarks/ is on the path, not the repo
    sys.path.insert(0, str(REPO))
OUT = Path(__file__).resolve().with_name("sweep_speed.json")
RESULTS = Path(__file__).resolve().with_name("RESULTS.md")
SCENARIO = REPO / "scenarios" / "ostersund-2040"  # the default scenario
SEED = 2026
HEADING = "## Sweeps"
TARGET_SPEEDUP = 1.7  # 2 workers against 1 (issue #15)


def _cpu_seconds() -> float:
    """User + system CPU of the calling process (run on each Dask worker)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _warm_up() -> bool:
    """Import what a sample needs, so that the first timed sample does not pay for it."""
    import highspy  # noqa: F401

    import optimizer.run  # noqa: F401

    return True


def inputs(scenario: Path):
    import optimizer
    from optimizer.run import solve_settings_for
    from optimizer.sweep import read_sweep_settings

    settings = read_sweep_settings(scenario)
    loaded = {v: optimizer.load_scenario(scenario, v) for v in settings.population.variants}
    solver = solve_settings_for(next(iter(loaded.values())), threads=1)
    return loaded, settings, solver


def measure_loop(loaded, settings, solver, samples: int) -> tuple[dict, list[dict]]:
    from optimizer.sweep import run_loop

    _warm_up()
    cpu, started = _cpu_seconds(), time.perf_counter()
    records = run_loop(loaded, settings, SEED, range(samples), solver)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return _figures("loop", 1, samples, wall, cpu, records), records


def measure_dask(
    loaded, settings, solver, samples: int, workers: int, folder: Path | None
) -> tuple[dict, list[dict]]:
    from optimizer.sweep import DaskRunner, write_sample

    started = time.perf_counter()
    with DaskRunner(workers=workers) as runner:
        startup = time.perf_counter() - started
        runner.client.run(_warm_up)
        before = runner.client.run(_cpu_seconds)
        started = time.perf_counter()
        records = runner.run(
            loaded, settings, SEED, range(samples), solver,
            on_result=(lambda record: write_sample(folder, record)) if folder else None,
        )  # fmt: skip
        wall = time.perf_counter() - started
        after = runner.client.run(_cpu_seconds)
    cpu = sum(after[w] - before.get(w, 0.0) for w in after)
    figures = _figures("dask", workers, samples, wall, cpu, records)
    figures["cluster_start_seconds"] = startup
    return figures, records


def _figures(case: str, workers: int, samples: int, wall: float, cpu: float, records) -> dict:
    statuses: dict[str, int] = {}
    for record in records:
        statuses[record["status"]] = statuses.get(record["status"], 0) + 1
    return {
        "case": case,
        "workers": workers,
        "samples": samples,
        "wall_seconds": wall,
        "samples_per_second": samples / wall,
        "cpu_seconds": cpu,
        "cpu_per_sample": cpu / samples,
        "statuses": statuses,
    }


def _same(a: list[dict], b: list[dict]) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def measure(scenario: Path, samples: int, workers: list[int], say=print) -> dict:
    from benchmarks.cases import machine

    loaded, settings, solver = inputs(scenario)
    say(f"plain loop: {samples} samples")
    loop, reference = measure_loop(loaded, settings, solver, samples)
    say(f"  {loop['wall_seconds']:.1f} s, {loop['samples_per_second']:.3f} samples/s")
    cases, identical = [loop], True
    with tempfile.TemporaryDirectory(prefix="capplan-sweep-speed-") as tmp:
        folder = Path(tmp)
        for k, n in enumerate(workers):
            say(f"Dask LocalCluster, {n} worker(s): {samples} samples")
            last = k == len(workers) - 1
            figures, records = measure_dask(
                loaded, settings, solver, samples, n, folder if last else None
            )
            figures["same_records_as_loop"] = _same(records, reference)
            identical = identical and figures["same_records_as_loop"]
            cases.append(figures)
            say(f"  {figures['wall_seconds']:.1f} s, {figures['samples_per_second']:.3f} samples/s")
        report_ok = _write_report(scenario, folder, samples, loaded)
    one = next((c for c in cases if c["case"] == "dask" and c["workers"] == 1), None)
    for case in cases:
        if case["case"] == "dask" and one is not None:
            case["speedup_over_1_worker"] = one["wall_seconds"] / case["wall_seconds"]
    return {
        "taken_on": {
            **machine(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average": os.getloadavg()[0],
        },
        "scenario": str(scenario.relative_to(REPO))
        if scenario.is_relative_to(REPO)
        else str(scenario),
        "seed": SEED,
        "samples": samples,
        "cases": cases,
        "overhead_per_sample_seconds": (
            (one["wall_seconds"] - loop["wall_seconds"]) / samples if one else None
        ),
        "cpu_overhead_per_sample_seconds": (
            one["cpu_per_sample"] - loop["cpu_per_sample"] if one else None
        ),
        "same_records_everywhere": identical,
        "report_written": report_ok,
        "target_speedup": TARGET_SPEEDUP,
    }


def _write_report(scenario: Path, folder: Path, samples: int, loaded) -> bool:
    """The report of the last cluster's samples, as ``capplan sweep`` writes it."""
    from optimizer.report.sweep import write_sweep_reports
    from optimizer.sweep import read_samples

    if not (folder / "samples").is_dir():
        return False
    results = read_samples(folder, samples)
    first = next(iter(loaded.values()))
    candidates = [c.id for c in first.candidates]
    write_sweep_reports(results, candidates, first, {"seed": SEED}, folder, "sv")
    return len(results) == samples and (folder / "sweep.html").stat().st_size > 0


# --------------------------------------------------------------------------------------
# RESULTS.md
# --------------------------------------------------------------------------------------
def results_section(data: dict | None = None) -> list[str]:
    """The "Sweeps" section of RESULTS.md from sweep_speed.json (nothing before a measurement)."""
    if data is None:
        if not OUT.is_file():
            return []
        data = json.loads(OUT.read_text(encoding="utf-8"))
    taken = data["taken_on"]
    lines = [
        HEADING,
        "",
        f"`python -m benchmarks.sweep_speed --samples {data['samples']} --workers "
        f"{','.join(str(c['workers']) for c in data['cases'] if c['case'] == 'dask')}` solves the "
        f"samples 0..{data['samples'] - 1} of `{data['scenario']}/sweep.toml` (seed {data['seed']}) "
        "in a plain loop in one process and on Dask LocalClusters (one solver thread per worker, "
        "the cluster started before timing). CPU per sample: the loop's own process, the workers' "
        "processes for the clusters.",
        "",
        f"Taken {taken['date']} on {taken['cpu_model']} ({taken['cores']} cores), load average "
        f"{taken['load_average']:.1f}.",
        "",
        "| case | samples | wall | samples/s | CPU per sample | speed-up over 1 worker | statuses |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in data["cases"]:
        name = "plain loop" if c["case"] == "loop" else f"Dask, {c['workers']} worker(s)"
        speedup = c.get("speedup_over_1_worker")
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(c["statuses"].items()))
        lines.append(
            f"| {name} | {c['samples']} | {c['wall_seconds']:.1f} s | "
            f"{c['samples_per_second']:.3f} | {c['cpu_per_sample']:.2f} s | "
            f"{'' if speedup is None else f'{speedup:.2f}×'} | {statuses} |"
        )
    two = next((c for c in data["cases"] if c["case"] == "dask" and c["workers"] == 2), None)
    lines.append("")
    if data["overhead_per_sample_seconds"] is not None:
        lines.append(
            f"Dask's overhead per sample against the plain loop: "
            f"{data['overhead_per_sample_seconds']:.3f} s wall, "
            f"{data['cpu_overhead_per_sample_seconds']:.3f} s CPU."
        )
    if two is not None and "speedup_over_1_worker" in two:
        met = two["speedup_over_1_worker"] >= data["target_speedup"]
        lines.append(
            f"2 workers against 1: {two['speedup_over_1_worker']:.2f}× "
            f"(target ≥ {data['target_speedup']}×: {'met' if met else 'not met'})."
        )
    lines.append(
        "Same records in every case (same seed, any number of workers): "
        f"{'yes' if data['same_records_everywhere'] else '**no**'}; the sweep report of "
        f"{data['samples']} samples written: {'yes' if data['report_written'] else '**no**'}."
    )
    lines.append("")
    return lines


def write_results_md(lines: list[str], path: Path = RESULTS) -> None:
    """Replace the "Sweeps" section of RESULTS.md (or append it); the rest stays as it is."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    block = "\n".join(lines).rstrip("\n") + "\n"
    start = text.find(f"\n{HEADING}\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + block + ("\n" + text[end + 1 :] if end >= 0 else "")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200, help="samples per case (default 200)")
    parser.add_argument("--workers", default="1,2", help="cluster sizes, e.g. 1,2 (default)")
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument(
        "--no-write", action="store_true", help="print only: leave the JSON and RESULTS.md alone"
    )
    args = parser.parse_args(argv)
    try:
        workers = [int(w) for w in args.workers.split(",") if w.strip()]
    except ValueError:
        parser.error(f"--workers: '{args.workers}' is not a list of numbers")
    if args.samples < 1 or not workers or min(workers) < 1:
        parser.error("--samples and every --workers entry must be at least 1")
    data = measure(args.scenario.resolve(), args.samples, workers)
    lines = results_section(data)
    print("\n".join(lines))
    if not args.no_write:
        OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        write_results_md(lines)
        print(
            f"wrote {OUT.relative_to(REPO)} and the Sweeps section of {RESULTS.relative_to(REPO)}"
        )
    return 0 if data["same_records_everywhere"] and data["report_written"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
