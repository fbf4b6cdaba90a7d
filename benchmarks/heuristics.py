"""Good plans early: the relax-and-fix start (``[solver] heuristic``) against none, side by side.

    python -m benchmarks.heuristics [--case NAME ...]

Each case is built once and solved twice with HiGHS (1 thread, seed 0): without a start, and
with the relax-and-fix plan (``optimizer.heuristic``) handed over through ``setSolution``, the
heuristic's time counted. Each run stops at proof (S, Östersund) or at a CPU limit (M: 60 s,
heuristic included); wall-time limits are set far beyond, because on a shared machine a starved
process would otherwise be cut by wall time after a few CPU seconds (capplan's own
``[solver] time_limit`` and the heuristic's quarter of it are wall time). Recorded, in CPU seconds of this process (HiGHS' threads included;
the machine is shared, so CPU, not wall time):

* when the first plan within 1 % of the best plan known appeared (the best over both runs, and
  over the figures RESULTS.md recorded before when they are better: ``BEST_KNOWN``);
* the heuristic's own plan (its gap to the best known and its CPU time);
* the final objective, bound, gap and status, and the checker's verdict on the final plan.

Exactness: where both runs prove optimality their optima must agree (``equal``). Writes
``benchmarks/heuristics.json``; ``python benchmarks/run.py --render-only`` puts the table into
RESULTS.md. The M and L cases stop at their time limit (the bound, not the search, limits them).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().with_name("heuristics.json")
WALL_LIMIT = 3600.0
# case -> (scenario loader, CPU seconds at which to stop, gap at which to stop)
HEURISTICS = ("off", "relax_and_fix")


def _cases() -> dict[str, tuple[Callable, float, float]]:
    from benchmarks.gate import _generated, _ostersund

    return {
        "generated-S-seed1": (_generated("S", 1), 120.0, 1e-4),
        "ostersund-target": (_ostersund("target"), 120.0, 1e-4),
        "generated-M-seed1": (_generated("M", 1), 60.0, 0.005),
        "generated-M-seed2": (_generated("M", 2), 60.0, 0.005),
    }


def measure(load: Callable, cpu_limit: float, gap: float, heuristic: str) -> dict:
    from benchmarks.cases import checker_problems, solve_traced
    from optimizer.data import build_data
    from optimizer.heuristic import relax_and_fix
    from optimizer.model import build
    from optimizer.schema import SolverSettings
    from optimizer.solve import solve_stage

    scenario = load()
    data = build_data(scenario)
    built = build(data)
    # wall limits far beyond the CPU limits: a starved process must not be cut by wall time
    settings = SolverSettings(solver="highs", time_limit=WALL_LIMIT, gap=gap, threads=1, seed=0)
    found = None
    heuristic_cpu = 0.0
    if heuristic == "relax_and_fix":
        cpu = time.process_time()
        found = relax_and_fix(built.model, settings, WALL_LIMIT, solve_stage)
        heuristic_cpu = time.process_time() - cpu
    start = None if found is None else found.values
    solved = solve_traced(built.model, settings, start, cpu_limit - heuristic_cpu)
    # the heuristic's plan exists from the end of the heuristic; HiGHS' trace follows it
    trace = [(t + heuristic_cpu, n, p, d) for t, n, p, d in solved["trace"]]
    if found is not None and found.objective is not None:
        trace.insert(0, (heuristic_cpu, -1, found.objective, -np.inf))
    proven = solved["objective"] is not None and solved["gap"] <= 1e-4
    return {
        "heuristic_cpu": round(heuristic_cpu, 3),
        "heuristic_objective": None if found is None else found.objective,
        "heuristic_stages": None if found is None else found.stages,
        "cpu_seconds": round(solved["cpu_seconds"] + heuristic_cpu, 3),
        "status": solved["status"],
        "objective": solved["objective"],
        "bound": solved["bound"],
        "gap": solved["gap"],
        "proven": proven,
        "nodes": solved["nodes"],
        "checker_problems": checker_problems(scenario, data, built, solved, settings, proven),
        "trace": trace,
    }


def summarise(runs: dict[str, dict[str, dict]]) -> dict:
    table = {}
    for case, by_heuristic in runs.items():
        found = [r["objective"] for r in by_heuristic.values() if r["objective"] is not None]
        found += [
            r["heuristic_objective"]
            for r in by_heuristic.values()
            if r["heuristic_objective"] is not None
        ]
        best = min(found)
        proven = [r["objective"] for r in by_heuristic.values() if r["proven"]]
        table[case] = {
            "best_known": best,
            "equal": bool(len(proven) < 2 or np.ptp(proven) <= 1e-4 * max(abs(best), 1.0)),
            "runs": {},
        }
        for name, r in by_heuristic.items():
            within = next(
                (
                    round(t, 3)
                    for t, _n, p, _d in r["trace"]
                    if np.isfinite(p) and p - best <= 0.01 * abs(best)
                ),
                None,
            )
            first = next((round(t, 3) for t, _n, p, _d in r["trace"] if np.isfinite(p)), None)
            h = r["heuristic_objective"]
            table[case]["runs"][name] = {
                "cpu_to_first_plan": first,
                "cpu_to_plan_within_1pct": within,
                "heuristic_cpu": r["heuristic_cpu"] if name != "off" else None,
                "heuristic_gap_to_best": None if h is None else (h - best) / abs(best),
                **{
                    k: r[k]
                    for k in (
                        "cpu_seconds",
                        "status",
                        "objective",
                        "gap",
                        "nodes",
                        "checker_problems",
                        "heuristic_stages",
                    )
                },
            }
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", action="append", help="only these cases (repeatable)")
    args = parser.parse_args(argv)
    cases = {k: v for k, v in _cases().items() if not args.case or k in args.case}
    runs: dict = {}
    for case, (load, cpu_limit, gap) in cases.items():
        runs[case] = {}
        for heuristic in HEURISTICS:
            r = measure(load, cpu_limit, gap, heuristic)
            runs[case][heuristic] = r
            print(
                f"{case:20} {heuristic:14} heuristic {r['heuristic_objective'] or '-'} "
                f"in {r['heuristic_cpu']:.2f} s; final {r['objective']} gap {r['gap']:.4%} "
                f"cpu {r['cpu_seconds']:.2f} checker {r['checker_problems']}",
                flush=True,
            )
    from benchmarks.cases import machine
    from optimizer.heuristic import STAGE_GAP, WINDOW_YEARS
    from optimizer.solve import highs_version

    # read just before writing: a partial run keeps the other cases' figures
    previous = json.loads(OUT.read_text())["cases"] if OUT.is_file() else {}
    summary = {
        "taken_on": {
            **machine(),
            "highs": highs_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        },
        "settings": {
            "window_years": WINDOW_YEARS,
            "stage_gap": STAGE_GAP,
            "cpu_limits": {case: c[1] for case, c in cases.items()},
            "gaps": {case: c[2] for case, c in cases.items()},
        },
        "cases": previous | summarise(runs),
    }
    OUT.write_text(json.dumps(summary, indent=1) + "\n")
    unequal = [c for c, v in summary["cases"].items() if not v["equal"]]
    print(f"wrote {OUT}; unequal optima: {unequal or 'none'}")
    return 1 if unequal else 0


if __name__ == "__main__":
    raise SystemExit(main())
