"""Shadow prices mean what their words say: one more unit of a binding limit is worth |dual|.

Checked by finite differences: raise the limit by a small step in the same LP (chosen projects
fixed, start years relaxed) and compare the change in cost with the reported value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scenario_factory import tiny_copy

import optimizer
from optimizer.data import build_data
from optimizer.model import build
from optimizer.run import run_scenario, shadow_price_table
from optimizer.solve import SolveSettings, solve

STEP = 0.01


def budgets(tax: list[float]) -> str:
    rows = [f"tax,{2026 + k},{v}" for k, v in enumerate(tax)] + [
        f"va,{y},2" for y in range(2026, 2031)
    ]
    return "pool,year,ceiling\n" + "\n".join(rows) + "\n"


def test_budget_shadow_price_matches_a_finite_difference(tmp_path: Path, monkeypatch) -> None:
    folder = tiny_copy(tmp_path, files={"budgets.csv": budgets([6, 6, 6, 6, 6])})
    scenario = optimizer.load_scenario(folder)
    plan = run_scenario(scenario)
    prices = plan.tables["shadow_prices"]
    binding = prices[prices["kind"] == "budget"]
    assert not binding.empty, "a tight tax budget must have a price"
    built = build(build_data(scenario))
    artifacts = (built, solve(built.model, SolveSettings()))
    model = built.model
    row_upper = model.rupper.copy()
    block = model.row_blocks["budget"]
    base = _lp_objective(artifacts, row_upper)
    for row in binding.itertuples(index=False):
        index = block.start + block.keys.index((row.pool, int(row.year)))
        raised = row_upper.copy()
        raised[index] += STEP
        saving = (base - _lp_objective(artifacts, raised)) / STEP
        assert saving == pytest.approx(row.value_of_one_more_unit, rel=1e-3, abs=1e-6)
        assert "MSEK in the" in row.meaning or "budget" in row.meaning


def _lp_objective(artifacts, row_upper: np.ndarray) -> float:
    """The shadow-price LP, re-solved with other row bounds (same construction as run.py)."""
    built, result = artifacts
    model = built.model
    saved = model.row_upper
    model.row_upper = [row_upper]
    try:
        table_objective = {}

        def capture(m, settings, lower, upper, rl, ru):
            from optimizer.solve import solve_lp_duals as real

            objective, duals = real(m, settings, lower, upper, rl, ru)
            table_objective["value"] = objective
            return objective, duals

        import optimizer.run as run_module

        original = run_module.solve_lp_duals
        run_module.solve_lp_duals = capture
        try:
            shadow_price_table(built, result, SolveSettings())
        finally:
            run_module.solve_lp_duals = original
        return table_objective["value"]
    finally:
        model.row_upper = saved
