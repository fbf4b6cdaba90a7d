"""Monte Carlo sweep throughput (docs/sweep.md): samples per second in a plain loop and on a Dask
LocalCluster with 1 and 2 workers, and Dask's overhead per sample against the plain loop.

Full mode (``CAPPLAN_BENCH_FULL=1``): Östersund, 8 samples per case. Smoke mode: tiny, 2 samples,
the plain loop only (starting a cluster costs seconds; tests/test_sweep.py covers Dask itself).
Figures are recorded in benchmarks/RESULTS.md (Sweeps).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import optimizer
from benchmarks.cases import FULL
from optimizer.run import solve_settings_for
from optimizer.sweep import DaskRunner, SweepSettings, read_sweep_settings, run_loop

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = 8 if FULL else 2
SEED = 2026
# Every sample ends proven either way: since the Östersund data binds on money, some drawn
# futures (a high cost overrun) have no plan within the limits, and saying so is the answer
# (48 of the 200 samples of RESULTS.md's sweep table); a sample stopped by its time limit is not.
PROVEN = ("optimal", "infeasible")

TINY_SWEEP = {
    "population": {"variants": {"base": 1, "high": 1}, "growth_sd": 0.3},
    "cost_overrun": {"low": -0.05, "mode": 0.1, "high": 0.45},
}


def sweep_inputs():
    if FULL:
        folder = ROOT / "scenarios" / "ostersund-2040"
        settings = read_sweep_settings(folder)
    else:
        folder = ROOT / "scenarios" / "tiny"
        settings = SweepSettings.model_validate(TINY_SWEEP)
    scenarios = {v: optimizer.load_scenario(folder, v) for v in settings.population.variants}
    solver = solve_settings_for(next(iter(scenarios.values())), threads=1)
    return scenarios, settings, solver


def _record(benchmark, case: str, workers: int, seconds: float, records: list[dict]) -> None:
    benchmark.extra_info.update(
        case=case,
        workers=workers,
        samples=len(records),
        samples_per_second=len(records) / seconds,
        seconds_per_sample=seconds / len(records),
        statuses=sorted({r["status"] for r in records}),
    )


def test_sweep_plain_loop(benchmark):
    """The reference: the same samples solved one after another in this process."""
    benchmark.group = "sweep"
    scenarios, settings, solver = sweep_inputs()

    def loop():
        started = time.perf_counter()
        records = run_loop(scenarios, settings, SEED, range(SAMPLES), solver)
        return time.perf_counter() - started, records

    seconds, records = benchmark.pedantic(loop, rounds=1, iterations=1)
    assert all(r["status"] in PROVEN for r in records), [r["status"] for r in records]
    _record(benchmark, "loop", 1, seconds, records)


@pytest.mark.skipif(not FULL, reason="starting a Dask cluster costs seconds; full mode only")
@pytest.mark.parametrize("workers", [1, 2])
def test_sweep_on_dask(benchmark, workers):
    """Samples per second on a LocalCluster (started before timing: a sweep starts it once)."""
    benchmark.group = "sweep"
    scenarios, settings, solver = sweep_inputs()
    with DaskRunner(workers=workers) as runner:

        def run():
            started = time.perf_counter()
            records = runner.run(scenarios, settings, SEED, range(SAMPLES), solver)
            return time.perf_counter() - started, records

        seconds, records = benchmark.pedantic(run, rounds=1, iterations=1)
    assert all(r["status"] in PROVEN for r in records), [r["status"] for r in records]
    _record(benchmark, "dask", workers, seconds, records)


def test_the_sweeps_section_of_results_md_replaces_only_itself(tmp_path):
    """``python -m benchmarks.sweep_speed`` rewrites its own section and keeps the others."""
    from benchmarks.sweep_speed import HEADING, write_results_md

    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmarks\n\n## Before\n\nkept\n", encoding="utf-8")
    write_results_md([HEADING, "", "first figures", ""], results)
    results.write_text(results.read_text(encoding="utf-8") + "\n## After\n\nalso kept\n")
    write_results_md([HEADING, "", "second figures", ""], results)
    text = results.read_text(encoding="utf-8")
    assert text.count(HEADING) == 1 and "second figures" in text and "first figures" not in text
    assert "## Before\n\nkept" in text and "## After\n\nalso kept" in text
