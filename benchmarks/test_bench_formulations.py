"""Formulation options of docs/model.md (Decisions), side by side: LP bound, root gap, MIP time.

* running sum S[p,t] as an expression over x, or as a continuous variable (per-year precedence);
* precedence per year on running sums, or aggregated into one start-time row per dependency.

Root gap = (MIP optimum − LP bound) / |MIP optimum|, with the LP relaxation solved by highspy.
Full run: size S solved to optimality, LP bounds of M as well. Smoke run: size XS.
"""

from __future__ import annotations

import pytest

from benchmarks import formulations
from benchmarks.cases import FULL, model_data, rounds
from optimizer.solve import SolveSettings, solve

FORMULATIONS = ["expression", "variable", "aggregated"]
MIP_SIZE = "S" if FULL else "XS"


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_formulation_mip(benchmark, formulation):
    benchmark.group = f"formulation-{MIP_SIZE}"
    data = model_data(MIP_SIZE)
    built = formulations.build_formulation(data, formulation)
    lp_value, lp_seconds = formulations.lp_bound(built.model)
    settings = SolveSettings(
        solver="highs", time_limit=300.0 if FULL else 30.0, gap=1e-4, threads=1
    )
    result = benchmark.pedantic(solve, args=(built.model, settings), rounds=1, iterations=1)
    benchmark.extra_info.update(
        case="formulation",
        size=MIP_SIZE,
        formulation=formulation,
        rows=built.model.n_rows,
        cols=built.model.n_cols,
        nnz=built.model.nnz,
        lp_bound=lp_value,
        lp_seconds=round(lp_seconds, 3),
        status=result.status,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        root_gap=formulations.root_gap(result.objective, lp_value)
        if result.objective is not None
        else None,
    )
    assert result.status == "optimal"
    assert lp_value <= result.objective + 1e-6 * abs(result.objective)


@pytest.mark.parametrize("formulation", FORMULATIONS)
@pytest.mark.parametrize("size", ["M", "L"] if FULL else ["S"])
def test_formulation_lp(benchmark, size, formulation):
    """LP relaxation alone at the larger sizes (bound and LP time per formulation)."""
    benchmark.group = f"formulation-lp-{size}"
    built = formulations.build_formulation(model_data(size), formulation)
    value, _ = benchmark.pedantic(
        formulations.lp_bound, args=(built.model,), rounds=rounds(3), iterations=1
    )
    benchmark.extra_info.update(
        case="formulation_lp",
        size=size,
        formulation=formulation,
        rows=built.model.n_rows,
        cols=built.model.n_cols,
        nnz=built.model.nnz,
        lp_bound=value,
    )


def test_formulations_share_the_optimum_and_order_their_bounds():
    """Same integer optimum for all three; the aggregated LP bound is never stronger."""
    data = model_data("XS")
    results, bounds = {}, {}
    for name in FORMULATIONS:
        built = formulations.build_formulation(data, name)
        bounds[name], _ = formulations.lp_bound(built.model)
        results[name] = solve(built.model, SolveSettings(solver="highs", time_limit=60, gap=1e-6))
    assert all(r.status == "optimal" for r in results.values())
    optimum = results["expression"].objective
    assert all(r.objective == pytest.approx(optimum, rel=1e-5) for r in results.values())
    assert bounds["variable"] == pytest.approx(bounds["expression"], rel=1e-7)
    assert bounds["aggregated"] <= bounds["expression"] + 1e-6 * abs(optimum)
