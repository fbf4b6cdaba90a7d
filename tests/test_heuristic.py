"""``[solver] heuristic = "relax_and_fix"`` (docs/model.md, Formulation options): a first plan
handed to HiGHS as its start; the optimum and the checked plan are those without it."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError
from scenario_factory import ROOT, RawTiny

import optimizer
from optimizer.data import build_data
from optimizer.heuristic import column_years, relax_and_fix, windows
from optimizer.model import build
from optimizer.run import run_scenario, solve_settings_for
from optimizer.schema import SolverSettings
from optimizer.solve import objective_of, solve_highs, solve_stage
from optimizer.validate import parse


def satisfied(model, values: np.ndarray, tol: float = 1e-6) -> bool:
    """Every bound, row and integrality of ``model`` holds for ``values``."""
    activity = model.matrix("csr") @ values
    scale = np.maximum(1.0, np.abs(activity))
    integral = np.abs(values - np.round(values)) <= tol
    return bool(
        np.all(values >= model.lower - tol)
        and np.all(values <= model.upper + tol)
        and np.all(activity >= model.rlower - tol * scale)
        and np.all(activity <= model.rupper + tol * scale)
        and np.all(integral[model.integer])
    )


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(lambda: optimizer.load_scenario(ROOT / "scenarios" / "tiny"), id="tiny"),
        pytest.param(
            lambda: optimizer.load_scenario(ROOT / "scenarios" / "tiny", "high"), id="tiny-high"
        ),
        pytest.param(lambda: parse(RawTiny().districts().raw), id="tiny-districts"),
        pytest.param(
            lambda: optimizer.load_scenario(ROOT / "scenarios" / "ostersund-2040", "low"),
            id="ostersund-low",
        ),
    ],
)
def test_planner_switching_on_the_heuristic_gets_the_same_checked_optimum(scenario) -> None:
    scenario = scenario()
    settings = solve_settings_for(scenario, solver="highs")
    plain = run_scenario(scenario, settings)
    started = run_scenario(scenario, settings.model_copy(update={"heuristic": "relax_and_fix"}))
    # run_scenario checks each plan with the independent checker (it raises otherwise)
    assert plain.status == started.status == "optimal"
    assert started.objective == pytest.approx(plain.objective, rel=1e-4)


def test_the_heuristic_plan_is_a_plan_of_the_full_model_and_counts_in_the_solve_time() -> None:
    model = build(build_data(optimizer.load_scenario(ROOT / "scenarios" / "tiny"))).model
    settings = SolverSettings(solver="highs", heuristic="relax_and_fix")
    found = relax_and_fix(model, settings, 120.0, solve_stage)
    assert found.values is not None
    assert satisfied(model, found.values)
    assert found.objective == pytest.approx(objective_of(model, found.values))
    result = solve_highs(model, settings)
    assert result.extra["heuristic"]["objective"] == pytest.approx(found.objective)
    assert result.seconds >= result.extra["heuristic"]["seconds"]
    assert result.objective <= found.objective + 1e-6  # the start is an incumbent to beat


def test_a_window_left_infeasible_by_earlier_choices_is_solved_again_with_the_one_before() -> None:
    """Östersund target: fixing 2026-2030 as the first stage chooses leaves 2031-2035 without a
    plan (a start the relaxed later years had carried); the heuristic merges the windows back
    instead of giving up, and still ends with a plan of the full model."""
    model = build(
        build_data(optimizer.load_scenario(ROOT / "scenarios" / "ostersund-2040", "target"))
    ).model
    years = column_years(model)
    stages = windows(years[model.integer & (years >= 0)])
    found = relax_and_fix(model, SolverSettings(solver="highs"), 600.0, solve_stage)
    assert found.values is not None
    assert found.stages > len(stages)  # some stage was solved again, merged with the one before
    assert satisfied(model, found.values)


def test_an_unknown_heuristic_in_the_settings_is_refused() -> None:
    with pytest.raises(ValidationError, match="heuristic"):
        SolverSettings(heuristic="simulated_annealing")
