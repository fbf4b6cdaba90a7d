"""Formulation and solver options of ``[solver]`` side by side (docs/model.md, Formulation options).

``python -m benchmarks.formulation_options`` builds every shipped scenario's variants (Östersund's
and tiny's), the generated S scenario (seed 1) and the generated M and L scenarios (seed 1) once
per option set, solves each with HiGHS (1 thread, seed 0) to proven optimality (M and L: until
60 and 120 CPU seconds, the gap they reach is the figure) and records, from HiGHS' MIP callback:

* the plain LP bound and HiGHS' root dual bound (after presolve and root cuts, node 0);
* CPU seconds of this process (HiGHS' worker thread included) until the proven gap is ≤ 1 %
  and ≤ 0.5 %, until the first plan within 1 % of the best plan known, and to the proof;
* nodes, LP iterations, final gap, the optimum, and the load average while it ran.

Exactness: every option set must reach the same optimum on every case (``equal_optima``), and
every plan passes the independent checker (``optimizer.check``). Writes
``benchmarks/formulation_options.json`` (a run limited by ``--case``/``--option`` replaces only
the figures it measured); ``python benchmarks/run.py --render-only`` puts the table into
RESULTS.md. CPU time, nodes and LP iterations, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().with_name("formulation_options.json")
TINY = Path(__file__).resolve().parents[1] / "scenarios" / "tiny"
OPTION_SETS: dict[str, dict] = {
    "default": {},
    "coverage_clip": {"coverage_clip": True},
    "no_restart": {"restart": False},
    "coverage_clip + no_restart": {"coverage_clip": True, "restart": False},
    # HiGHS' sub-MIP heuristics at the root (root reduced cost, RINS, RENS): issue #13 found
    # most of Östersund's solve time there, in 3-5 nodes
    "no_submip": {"submip_heuristics": False},
    "no_submip + no_restart": {"submip_heuristics": False, "restart": False},
    # raw HiGHS options (not a [solver] setting): the root reduced-cost sub-MIP alone
    "no_root_reduced_cost": {"highs": {"mip_heuristic_run_root_reduced_cost": False}},
}
# the default variant (trend) is the same model as `trend`: not measured twice
OSTERSUND_VARIANTS = ("low", "trend", "target", "budget-cut")
TINY_VARIANTS = ("base", "high")
TIME_LIMIT = 600.0  # wall seconds; far beyond every CPU limit, as a safety net only
CPU_LIMITS = {"generated-M-seed1": 60.0, "generated-L-seed1": 120.0}
PROVEN_GAP = 1e-4


def _cases() -> dict:
    from benchmarks.gate import _generated, _ostersund

    def tiny(variant):
        def load():
            from optimizer import load_scenario

            return load_scenario(TINY, variant)

        return load

    cases = {f"ostersund-{v}": _ostersund(v) for v in OSTERSUND_VARIANTS}
    cases |= {f"tiny-{v}": tiny(v) for v in TINY_VARIANTS}
    cases |= {f"generated-{size}-seed1": _generated(size, 1) for size in ("S", "M", "L")}
    return cases


def _first(trace, condition) -> float | None:
    return next((round(t, 3) for t, *rest in trace if condition(*rest)), None)


def _gap(primal: float, dual: float) -> float:
    if not np.isfinite(primal) or not np.isfinite(dual):
        return np.inf
    return (primal - dual) / max(abs(primal), 1e-9)


def measure_case(load, options: dict, cpu_limit: float = np.inf) -> dict:
    from benchmarks import formulations
    from benchmarks.cases import checker_problems, solve_traced
    from optimizer.data import build_data
    from optimizer.model import BuildOptions, build
    from optimizer.schema import SolverSettings

    scenario = load()
    data = build_data(scenario)
    formulation = {k: v for k, v in options.items() if k in BuildOptions.__dataclass_fields__}
    highs_options = options.get("highs", {})
    built = build(data, BuildOptions(**formulation))
    lp_value, _ = formulations.lp_bound(built.model)
    settings = SolverSettings(
        solver="highs",
        time_limit=TIME_LIMIT,
        gap=PROVEN_GAP,
        threads=1,
        seed=0,
        **{k: v for k, v in options.items() if k not in formulation and k != "highs"},
    )
    solved = solve_traced(built.model, settings, cpu_limit=cpu_limit, highs_options=highs_options)
    root = [dual for _, nodes, _, dual in solved["trace"] if nodes == 0 and np.isfinite(dual)]
    problems = checker_problems(
        scenario, data, built, solved, settings, solved["gap"] <= PROVEN_GAP
    )
    return {
        "load_average": round(os.getloadavg()[0], 2),
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
        best = min(r["objective"] for r in by_option.values() if r["objective"] is not None)
        # only proven optima must agree: M and L stop at their CPU limit with different plans
        optima = [r["objective"] for r in by_option.values() if r["gap"] <= PROVEN_GAP]
        optima = optima or [best]
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
                        "load_average",
                    )
                },
            }
    return table


def _merged(previous: dict, new: dict) -> dict:
    """``new``'s option sets over ``previous``' per case, ``equal_optima`` and best known
    taken again over the union (a partial run must not hide a disagreement)."""
    merged = {}
    for case in previous | new:
        options = previous.get(case, {}).get("options", {}) | new.get(case, {}).get("options", {})
        found = [r["objective"] for r in options.values() if r["objective"] is not None]
        best = min(found) if found else None
        optima = [r["objective"] for r in options.values() if r["gap"] <= PROVEN_GAP]
        equal = len(optima) < 2 or np.ptp(optima) <= PROVEN_GAP * max(abs(min(optima)), 1.0)
        merged[case] = {"best_known": best, "equal_optima": bool(equal), "options": options}
    return merged


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
            r = measure_case(load, options, CPU_LIMITS.get(case, np.inf))
            runs[case][name] = r
            print(
                f"{case:24} {name:28} obj {r['objective']:.4f} nodes {r['nodes']:>6} "
                f"iters {r['lp_iterations']:>7} cpu {r['cpu_seconds']:.2f} "
                f"gap {r['gap']:.4%} checker {r['checker_problems']} "
                f"load {r['load_average']}",
                flush=True,
            )
    from benchmarks.cases import machine
    from optimizer.solve import highs_version

    # read just before writing: a partial run keeps the figures it did not measure
    previous = json.loads(OUT.read_text()) if OUT.is_file() else {}
    summary = {
        "taken_on": {
            **machine(),
            "highs": highs_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        },
        "option_sets": previous.get("option_sets", {}) | option_sets,
        "cpu_limits": CPU_LIMITS,
        "cases": _merged(previous.get("cases", {}), summarise(runs)),
    }
    OUT.write_text(json.dumps(summary, indent=1) + "\n")
    unequal = [c for c, v in summary["cases"].items() if not v["equal_optima"]]
    print(f"wrote {OUT}; unequal optima: {unequal or 'none'}")
    return 1 if unequal else 0


if __name__ == "__main__":
    raise SystemExit(main())
