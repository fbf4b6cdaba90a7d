"""`[solver] name = "auto"` (the default): the solver is chosen from the scenario's structure
and plan.json says which and why (optimizer/solver_choice.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenario_edits import run_cli
from scenario_factory import TINY
from test_solve import knapsack_scenario

import optimizer
from optimizer.run import run_scenario, solve_settings_for


def test_auto_plans_a_planning_scenario_with_highs_and_says_why() -> None:
    scenario = optimizer.load_scenario(TINY)
    assert scenario.settings.solver.solver == "auto"  # tiny leaves the solver to capplan
    plan = run_scenario(scenario)
    assert plan.solver == "highs"
    assert plan.solver_choice.startswith("auto: planning model (capacity against need")


def test_auto_solves_a_pure_capital_budgeting_scenario_with_cbc(tmp_path: Path) -> None:
    scenario = optimizer.load_scenario(knapsack_scenario(tmp_path / "k", items=25, solver="auto"))
    plan = run_scenario(scenario, solve_settings_for(scenario, time_limit=60))
    assert plan.solver == "cbc"
    assert plan.solver_choice.startswith("auto: capital budgeting without time structure")
    highs = run_scenario(scenario, solve_settings_for(scenario, solver="highs", time_limit=60))
    assert plan.status == highs.status == "optimal"
    assert plan.objective == pytest.approx(highs.objective, rel=1e-4)


def test_a_solver_named_in_the_scenario_or_on_the_command_line_is_used_and_said() -> None:
    scenario = optimizer.load_scenario(TINY)
    plan = run_scenario(scenario, solve_settings_for(scenario, solver="cbc"))
    assert plan.solver == "cbc"
    assert plan.solver_choice == "cbc: as asked ([solver] name or --solver)"


def test_plan_json_records_the_chosen_solver_and_the_reason(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run_cli("run", TINY, "--out", out, "--quiet")  # in this process
    assert code == 0, err
    plan = json.loads((out / "plan.json").read_text())
    assert plan["solver"] == "highs"
    assert plan["settings"]["solver"] == "highs"  # what ran, never "auto"
    assert plan["solver_choice"].startswith("auto: planning model")

    from optimizer.io.stored import load_results

    assert load_results(out).solver_choice == plan["solver_choice"]  # read back by replan
