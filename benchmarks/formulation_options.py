"""Formulation and solver options of ``[solver]`` side by side (docs/model.md, Formulation options).

``python -m benchmarks.formulation_options`` builds the generated S scenario (seed 1) and every
Östersund variant once per option set, solves each with HiGHS (1 thread, seed 0) to proven
optimality and records, from HiGHS' MIP callback:

* the plain LP bound and HiGHS' root dual bound (after presolve and root cuts, node 0);
* CPU seconds of this process (HiGHS' worker thread included) until the proven gap is ≤ 1 %
  and ≤ 0.5 %, until the first plan within 1 % of the best plan known, and to the proof;
* nodes, LP iterations, final gap, the optimum.

Exactness: every option set must reach the same optimum on every case (``equal_optima``), and
every plan passes the independent checker (``optimizer.check``). Writes
``benchmarks/formulation_options.json``; ``python benchmarks/run.py --render-only`` puts the
table into RESULTS.md. CPU time, nodes and LP iterations, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().with_name("formulation_options.json")
OPTION_SETS: dict[str, dict] = {
    "default": {},
    "coverage_clip": {"coverage_clip": True},
    "no_restart": {"restart": False},
    "coverage_clip + no_restart": {"coverage_clip": True, "restart": False},
}
OSTERSUND_VARIANTS = (None, "low", "trend", "target", "budget-cut")
TIME_LIMIT = 600.0


def _cases() -> dict:
    from benchmarks.gate import _generated, _ostersund

    cases = {"generated-S-seed1": _generated("S", 1)}
    cases |= {f"ostersund-{v or 'base'}": _ostersund(v) for v in OSTERSUND_VARIANTS}
    return cases


def _first(trace, condition) -> float | None:
    return next((round(t, 3) for t, *rest in trace if condition(*rest)), None)


def _gap(primal: float, dual: float) -> float:
    if not np.isfinite(primal) or not np.isfinite(dual):
        return np.inf
    return (primal - dual) / max(abs(primal), 1e-9)


def measure_case(load, options: dict) -> dict:
    from benchmarks import formulations
    from benchmarks.cases import checker_problems, solve_traced
    from optimizer.data import build_data
    from optimizer.model import BuildOptions, build
    from optimizer.schema import SolverSettings

    scenario = load()
    data = build_data(scenario)
    formulation = {k: v for k, v in options.items() if k in BuildOptions.__dataclass_fields__}
    built = build(data, BuildOptions(**formulation))
    lp_value, _ = formulations.lp_bound(built.model)
    settings = SolverSettings(
        solver="highs",
        time_limit=TIME_LIMIT,
        gap=1e-4,
        threads=1,
        seed=0,
        **{k: v for k, v in options.items() if k not in formulation},
    )
    solved = solve_traced(built.model, settings)
    root = [dual for _, nodes, _, dual in solved["trace"] if nodes == 0 and np.isfinite(dual)]
    problems = checker_problems(scenario, data, built, solved, settings, solved["gap"] <= 1e-4)
    return {
        "rows": built.model.n_rows,
        "cols": built.model.n_cols,
        "nnz": built.model.nnz,
        "lp_bound": lp_value,
        "root_bound": max(root) if root else solved["bound"],
        "checker_problems": problems,
        **{k: v for k, v in solved.items() if k != "values"},
    }


def summarise(runs: dict) -> dict:
    """Per case: the best plan known over all option sets, then per option set the figures."""
    table = {}
    for case, by_option in runs.items():
        best = min(r["objective"] for r in by_option.values())
        optima = [r["objective"] for r in by_option.values()]
        table[case] = {
            "best_known": best,
            "equal_optima": bool(np.ptp(optima) <= 1e-4 * max(abs(best), 1.0)),
            "options": {},
        }
        for name, r in by_option.items():
            trace = r["trace"]
            table[case]["options"][name] = {
                "lp_root_gap": _gap(best, r["lp_bound"]),
                "root_gap": _gap(best, r["root_bound"]),
                "cpu_to_1pct": _first(trace, lambda _n, p, d: _gap(p, d) <= 0.01),
                "cpu_to_05pct": _first(trace, lambda _n, p, d: _gap(p, d) <= 0.005),
                "cpu_to_plan_within_1pct": _first(
                    trace,
                    lambda _n, p, _d, best=best: np.isfinite(p) and p - best <= 0.01 * abs(best),
                ),
                **{
                    k: r[k]
                    for k in (
                        "cpu_seconds",
                        "nodes",
                        "lp_iterations",
                        "gap",
                        "objective",
                        "status",
                        "checker_problems",
                    )
                },
            }
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", action="append", help="only these cases (repeatable)")
    parser.add_argument("--option", action="append", help="only these option sets (repeatable)")
    args = parser.parse_args(argv)
    cases = {k: v for k, v in _cases().items() if not args.case or k in args.case}
    option_sets = {k: v for k, v in OPTION_SETS.items() if not args.option or k in args.option}
    runs: dict = {}
    for case, load in cases.items():
        runs[case] = {}
        for name, options in option_sets.items():
            r = measure_case(load, options)
            runs[case][name] = r
            print(
                f"{case:24} {name:28} obj {r['objective']:.4f} nodes {r['nodes']:>6} "
                f"iters {r['lp_iterations']:>7} cpu {r['cpu_seconds']:.2f} "
                f"checker {r['checker_problems']}",
                flush=True,
            )
    from benchmarks.cases import machine
    from optimizer.solve import highs_version

    summary = {
        "taken_on": {
            **machine(),
            "highs": highs_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        },
        "option_sets": option_sets,
        "cases": summarise(runs),
    }
    OUT.write_text(json.dumps(summary, indent=1) + "\n")
    unequal = [c for c, v in summary["cases"].items() if not v["equal_optima"]]
    print(f"wrote {OUT}; unequal optima: {unequal or 'none'}")
    return 1 if unequal else 0


if __name__ == "__main__":
    raise SystemExit(main())
