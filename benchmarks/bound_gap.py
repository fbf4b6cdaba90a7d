"""Where the LP bound is lost: the root gap of the plain LP taken apart by cost and by decision.

    python -m benchmarks.bound_gap [--case NAME ...]

For each case the plain LP relaxation and the MIP optimum (gap 1e-4) are solved with HiGHS
(1 thread, seed 0), and three figures say where the difference comes from:

* **by cost kind**: each objective term (capex, salvage, shortfall, …) at the LP solution and at
  the optimal plan, so the gap reads as "the LP saves this much capex and this much shortfall";
* **by decision group**: the bound of a relaxation in which only one group of integer columns
  is integer (the starts of the candidates serving one service, the closures of existing
  assets, …) and every other column is continuous. What that bound adds to the LP bound is the
  part of the root gap that the lumpiness of that group alone accounts for. The groups overlap
  in their effect, so the shares need not add up to 100 %; a group whose relaxation is not
  proven within ``GROUP_LIMIT`` CPU seconds reports the bound it had reached (still a valid
  lower figure for its share);
* **relaxing one group**: the bound when every integer column is integer except that group's:
  the part of the gap that the group's integrality is needed for, the others' being in place;
* **fractional starts**: how many start columns of the group are fractional at the LP solution.

Writes ``benchmarks/bound_gap.json``; ``python benchmarks/run.py --render-only`` puts the tables
into RESULTS.md. Exact by construction (nothing is changed in the model); the MIP optimum is
re-checked by the independent checker.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().with_name("bound_gap.json")
GROUP_LIMIT = 120.0  # CPU seconds for one group's relaxation
MIP_LIMIT = 600.0  # CPU seconds for the MIP optimum


def _cases() -> dict[str, Callable]:
    from benchmarks.gate import _generated, _ostersund

    return {
        "generated-S-seed1": _generated("S", 1),
        "ostersund-trend": _ostersund("trend"),
        "ostersund-target": _ostersund("target"),
    }


def _groups(built) -> dict[str, np.ndarray]:
    """Integer columns by decision group: starts by the services their candidate serves (ids
    joined by '+', 'no capacity' for a candidate that serves none), then every other integer
    block by its name."""
    data, model = built.data, built.model
    serves: dict[int, set[str]] = defaultdict(set)
    for cand, service in zip(data.capacity["candidate"], data.capacity["service"], strict=True):
        serves[int(cand)].add(str(service))
    starts = model.col_blocks["start"]
    groups: dict[str, list[int]] = defaultdict(list)
    for i in range(starts.stop - starts.start):
        services = serves.get(int(data.start_candidate[i]))
        name = "starts: " + ("+".join(sorted(services)) if services else "no capacity")
        groups[name].append(starts.start + i)
    for name, block in model.col_blocks.items():
        if name != "start" and model.integer[block.start : block.stop].any():
            groups[name] = list(range(block.start, block.stop))
    return {name: np.asarray(cols) for name, cols in sorted(groups.items())}


SETTINGS = {"solver": "highs", "threads": 1, "seed": 0, "gap": 1e-4, "time_limit": 3600.0}


def _solve(model, integrality: np.ndarray, cpu_limit: float) -> dict:
    """Bound, objective, solution and CPU seconds of the model with ``integrality`` (the
    bound of a relaxation without integer columns is its optimum)."""
    from benchmarks.cases import solve_traced
    from optimizer.schema import SolverSettings

    t = time.process_time()
    result = solve_traced(
        model, SolverSettings(**SETTINGS), cpu_limit=cpu_limit, integrality=integrality
    )
    result["cpu"] = time.process_time() - t
    if not integrality.any():
        result["bound"] = result["objective"]
    return result


def measure(load: Callable) -> dict:
    from benchmarks.cases import checker_problems
    from optimizer.data import build_data
    from optimizer.model import build
    from optimizer.schema import SolverSettings

    scenario = load()
    data = build_data(scenario)
    built = build(data)
    model = built.model
    none = np.zeros(model.n_cols, np.int32)
    lp = _solve(model, none, MIP_LIMIT)
    mip = _solve(model, model.integer.astype(np.int32), MIP_LIMIT)
    x_lp, x_mip = lp["values"], mip["values"]
    costs = {
        kind: {"lp": float(coefs @ x_lp[cols]), "mip": float(coefs @ x_mip[cols])}
        for kind, (cols, coefs) in built.objective_parts.items()
        if len(cols)
    }
    gap = mip["objective"] - lp["objective"]
    groups = {}
    for name, cols in _groups(built).items():
        integrality = none.copy()
        integrality[cols] = model.integer[cols]
        r = _solve(model, integrality, GROUP_LIMIT)
        bound = r["bound"] if r["bound"] is not None and math.isfinite(r["bound"]) else None
        values = x_lp[cols][model.integer[cols]]
        # the other view: every integer column integer except this group's
        integrality = model.integer.astype(np.int32)
        integrality[cols] = 0
        rest = _solve(model, integrality, GROUP_LIMIT)
        without = rest["bound"] if math.isfinite(rest["bound"]) else None
        groups[name] = {
            "columns": int(len(cols)),
            "fractional_at_lp": int(np.sum(np.abs(values - np.round(values)) > 1e-6)),
            "bound": bound,
            "proven": r["status"] == "Optimal",
            "share_of_gap": None if bound is None or gap <= 0 else (bound - lp["objective"]) / gap,
            "cpu": r["cpu"],
            "bound_without_it": without,
            "without_proven": rest["status"] == "Optimal",
            "lost_without_it": None
            if without is None or gap <= 0
            else (mip["objective"] - without) / gap,
        }
        print(f"  {name:40} bound {bound} ({r['cpu']:.1f} s); without it {without}", flush=True)
    return {
        "lp_bound": lp["objective"],
        "optimum": mip["objective"],
        "mip_bound": mip["bound"],
        "mip_status": mip["status"],
        "mip_cpu": mip["cpu"],
        "checker_problems": checker_problems(
            scenario, data, built, mip, SolverSettings(**SETTINGS), mip["status"] == "Optimal"
        ),
        "costs": costs,
        "groups": groups,
    }


def _in_case_order(cases: dict) -> dict:
    """The cases in the order of ``_cases()`` (a partial run keeps the table's order)."""
    order = list(_cases())
    return dict(sorted(cases.items(), key=lambda c: order.index(c[0]) if c[0] in order else 99))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", action="append", help="only these cases (repeatable)")
    args = parser.parse_args(argv)
    cases = {k: v for k, v in _cases().items() if not args.case or k in args.case}
    measured = {}
    for case, load in cases.items():
        print(case, flush=True)
        measured[case] = measure(load)
        m = measured[case]
        print(f"  LP {m['lp_bound']:.1f}  MIP {m['optimum']:.1f} ({m['mip_status']})", flush=True)
    from benchmarks.cases import machine
    from optimizer.solve import highs_version

    # read just before writing: a partial run keeps the other cases' figures
    previous = json.loads(OUT.read_text())["cases"] if OUT.is_file() else {}
    summary = {
        "taken_on": {
            **machine(),
            "highs": highs_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        },
        "group_limit": GROUP_LIMIT,
        "cases": _in_case_order(previous | measured),
    }
    OUT.write_text(json.dumps(summary, indent=1) + "\n")
    bad = [c for c, m in summary["cases"].items() if m["checker_problems"]]
    print(f"wrote {OUT}; plans the checker rejected: {bad or 'none'}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())


def _number(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}".replace(",", " ")


def results_section() -> list[str]:
    """RESULTS.md's section (``python benchmarks/run.py --render-only``), empty without the
    JSON."""
    if not OUT.is_file():
        return []
    data = json.loads(OUT.read_text())
    taken = data["taken_on"]
    lines = [
        "## Where the LP bound is lost",
        "",
        "`python -m benchmarks.bound_gap` (run by the full run; about 10 CPU minutes) solves the plain",
        "LP relaxation and the MIP optimum of each case (HiGHS, 1 thread, seed 0, gap 1e-4), and",
        "then, for each group of integer columns, a relaxation in which only that group is integer.",
        "Gap = optimum − LP bound. *By cost kind*: each objective term at the LP solution and at the",
        "optimal plan (MSEK, present value). *By decision group*: what making that group alone",
        "integer adds to the LP bound, as a share of the gap (groups overlap, so shares need not add",
        f"up to 100 %; a group not proven within {data['group_limit']:g} CPU s shows the bound it",
        "reached), how many of its start columns the LP solution leaves fractional, and the",
        "other view: the bound with every integer column integer except that group's (the share",
        "of the gap lost when only it is relaxed). The",
        "optimal plan of every case passed the independent checker.",
        "",
        f"Taken {taken['date']} on {taken['cpu_model']} ({taken['cores']} cores), HiGHS "
        f"{taken['highs']}.",
        "",
    ]
    for case, m in data["cases"].items():
        gap = m["optimum"] - m["lp_bound"]
        lines += [
            f"**{case}**: LP bound {_number(m['lp_bound'])}, optimum {_number(m['optimum'])} "
            f"({m['mip_status'].lower()}, {m['mip_cpu']:.1f} CPU s), gap {_number(gap)} "
            f"({100 * gap / abs(m['optimum']):.1f} %).",
            "",
            "| cost kind | at the LP solution | in the optimal plan | optimal − LP |",
            "|---|---|---|---|",
        ]
        for kind, c in m["costs"].items():
            diff = c["mip"] - c["lp"]
            if abs(c["lp"]) > 0.05 or abs(c["mip"]) > 0.05:
                lines.append(
                    f"| {kind} | {_number(c['lp'])} | {_number(c['mip'])} | {_number(diff)} |"
                )
        lines += [
            "",
            "| decision group | integer columns | fractional at the LP | bound with only it integer | share of the gap | bound with all but it integer | share lost without it |",
            "|---|---|---|---|---|---|---|",
        ]
        by_share = sorted(m["groups"].items(), key=lambda g: -(g[1]["share_of_gap"] or 0.0))
        for name, g in by_share:
            share = g["share_of_gap"]
            shown = "–" if share is None else f"{max(100 * share, 0.0):.1f} %"  # not −0.0
            mark = "" if g["proven"] else " (not proven)"
            lost = g["lost_without_it"]
            lost_shown = "–" if lost is None else f"{max(100 * lost, 0.0):.1f} %"
            mark_without = "" if g["without_proven"] else " (not proven)"
            lines.append(
                f"| {name} | {g['columns']} | {g['fractional_at_lp']} | "
                f"{_number(g['bound'])}{mark} | {shown} | "
                f"{_number(g['bound_without_it'])}{mark_without} | {lost_shown} |"
            )
        lines.append("")
    return lines
