"""``[solver] heuristic = "relax_and_fix"`` (docs/model.md, Formulation options): a first plan
handed to HiGHS as its start; the optimum and the checked plan are those without it."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError
from scenario_factory import ROOT, RawTiny
from shipped_plans import shipped_plan

import optimizer
from optimizer.data import build_data
from optimizer.heuristic import WINDOW_YEARS, column_years, relax_and_fix, windows
from optimizer.model import build
from optimizer.model.builder import LinearModel
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
        # the plain plan of Östersund low is the session's shipped plan (tests/shipped_plans.py:
        # the scenario's own settings, HiGHS, no heuristic), not a solve of its own
        pytest.param(lambda: shipped_plan("ostersund-2040", "low"), id="ostersund-low"),
    ],
)
def test_planner_switching_on_the_heuristic_gets_the_same_checked_optimum(scenario) -> None:
    made = scenario()  # a scenario, or (scenario, its plain plan) when the session has one
    scenario, plain = made if isinstance(made, tuple) else (made, None)
    settings = solve_settings_for(scenario, solver="highs")
    if plain is None:
        plain = run_scenario(scenario, settings)
    assert plain.solver == "highs" and settings.heuristic == "off"
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
    """Seen on Östersund target: fixing 2026-2030 as the first stage chooses left 2031-2035
    without a plan (a start the relaxed later years had carried). The same trap in two columns:
    a + 2b = 2 with a in the first window and b in the second; the first stage, b relaxed,
    takes a = 1 (it earns 1) with b = 0.5, which leaves b no integer value. The heuristic merges
    the windows back instead of giving up, and still ends with a plan of the full model."""
    model = LinearModel()
    cols = model.add_columns(
        "start", [("a", 2026), ("b", 2026 + WINDOW_YEARS)], 0.0, 1.0, integer=True
    )
    row = model.add_rows("link", [("t",)], 2.0, 2.0)
    model.add_terms(np.repeat(row, 2), cols, np.array([1.0, 2.0]))
    model.costs.add("value", cols, np.array([-1.0, 0.0]), 1.0)
    years = column_years(model)
    stages = windows(years[model.integer & (years >= 0)])
    assert len(stages) == 2
    found = relax_and_fix(model, SolverSettings(solver="highs"), 600.0, solve_stage)
    assert found.values is not None
    assert found.stages > len(stages)  # some stage was solved again, merged with the one before
    assert satisfied(model, found.values)
    assert found.values.tolist() == [0.0, 1.0]


def test_an_unknown_heuristic_in_the_settings_is_refused() -> None:
    with pytest.raises(ValidationError, match="heuristic"):
        SolverSettings(heuristic="simulated_annealing")


# ---- improvement by windows (``[solver] improvement``) ---------------------------------------


@pytest.fixture(scope="module")
def generated_s():
    """The generated S (50 candidates × 15 years, seed 1) and settings to solve it with."""
    from benchmarks.cases import model_data

    model = build(model_data("S")).model
    return model, SolverSettings(solver="highs", time_limit=60, gap=1e-4)


def test_windows_of_four_years_overlap_by_two_and_cover_the_horizon() -> None:
    from optimizer.heuristic import improvement_windows

    years = np.array([2026, 2027, 2030, 2035])
    assert improvement_windows(years) == [
        (2026, 2029),
        (2028, 2031),
        (2030, 2033),
        (2032, 2035),
    ]
    assert improvement_windows(np.array([2026, 2027])) == [(2026, 2027)]
    assert improvement_windows(np.array([], dtype=int)) == []


def test_improving_a_poor_plan_by_windows_lowers_its_cost_and_keeps_it_a_plan(generated_s) -> None:
    """From HiGHS' first plan of S (3 707 MSEK; the optimum is 3 492), the windows find a cheaper plan of the full model (every
    bound, row and integrality holds); each cheaper plan is heard, in falling order."""
    from optimizer.heuristic import improve_by_windows
    from optimizer.solve import solve_window

    model, settings = generated_s
    first = _first_plan(model)
    heard: list[float] = []
    found = improve_by_windows(model, settings, first, 120.0, solve_window, heard.append)
    assert satisfied(model, found.values)
    assert found.objective == pytest.approx(objective_of(model, found.values))
    assert found.objective < objective_of(model, first) - 1.0
    assert found.improved >= 1 and found.windows >= found.improved
    assert heard == sorted(heard, reverse=True) and heard[-1] == pytest.approx(found.objective)
    # it stops after a whole round of windows without a cheaper plan, not at the time limit
    assert found.seconds < 120.0


def test_an_improved_plan_keeps_the_bound_highs_proved_and_says_so(
    generated_s, monkeypatch
) -> None:
    """HiGHS stopped as soon as it had a plan (``IMPROVE_AFTER`` of the time limit = now): the
    result's bound is HiGHS' own, its gap is the improved plan's against that bound, and the
    status is 'optimal' only if that gap is within 1e-4."""
    import optimizer.solve as solve_module

    model, settings = generated_s
    monkeypatch.setattr(solve_module, "IMPROVE_AFTER", 0.0)
    result = solve_highs(model, settings.model_copy(update={"improvement": "windows"}))
    improvement = result.extra["improvement"]
    assert result.objective <= improvement["objective_before"] + 1e-6
    assert result.objective == pytest.approx(objective_of(model, result.values))
    assert satisfied(model, result.values)
    assert result.bound <= result.objective + 1e-6
    assert result.gap == pytest.approx((result.objective - result.bound) / result.objective)
    assert (result.status == "optimal") == (result.gap <= 1e-4 + 1e-12)
    if result.status != "optimal":
        assert "improved window by window" in result.message


def test_improving_stops_once_the_plan_is_within_the_gap(generated_s) -> None:
    """The windows stop at the first plan within the solve's gap of HiGHS' bound: time left
    is not spent on a plan that is already good enough."""
    from optimizer.heuristic import improve_by_windows
    from optimizer.solve import solve_window

    model, settings = generated_s
    first = _first_plan(model)
    start = objective_of(model, first)
    found = improve_by_windows(
        model, settings, first, 120.0, solve_window, enough=lambda objective: objective < start
    )
    assert found.improved == 1 and found.objective < start


def test_a_plan_improved_by_windows_passes_the_independent_checker(monkeypatch) -> None:
    """The whole run on S with HiGHS stopped at its first plan: the improved plan goes through
    the same independent check as every plan (run_scenario raises if it fails)."""
    import optimizer.solve as solve_module
    from benchmarks.cases import scenario as generated

    monkeypatch.setattr(solve_module, "IMPROVE_AFTER", 0.0)
    scenario = generated("S")
    settings = solve_settings_for(scenario, solver="highs", improvement="windows", time_limit=60)
    plan = run_scenario(scenario, settings)
    assert plan.status in ("optimal", "feasible")
    assert plan.objective < 3_706  # HiGHS' first plan of S costs 3 706.6


def test_auto_improves_by_windows_only_large_models(generated_s) -> None:
    """Every shipped scenario is below 2 000 integer columns: HiGHS is never stopped early."""
    from optimizer.solve import IMPROVE_AUTO_MIN_INTEGERS, improves_by_windows

    model, settings = generated_s
    assert settings.improvement == "auto"
    assert int(model.integer.sum()) < IMPROVE_AUTO_MIN_INTEGERS
    assert not improves_by_windows(model, settings)
    assert improves_by_windows(model, settings.model_copy(update={"improvement": "windows"}))
    for variant in ("low", "trend", "target", "budget-cut"):
        scenario = optimizer.load_scenario(ROOT / "scenarios" / "ostersund-2040", variant)
        built = build(build_data(scenario)).model
        assert not improves_by_windows(built, solve_settings_for(scenario))


def test_a_solve_proven_before_its_share_of_the_time_is_not_touched() -> None:
    """tiny is proven optimal at once: with ``improvement = "windows"`` the result is HiGHS'
    own, with no improvement step."""
    scenario = optimizer.load_scenario(ROOT / "scenarios" / "tiny")
    settings = solve_settings_for(scenario, solver="highs", improvement="windows")
    plan = run_scenario(scenario, settings)
    plain = run_scenario(scenario, solve_settings_for(scenario, solver="highs"))
    assert plan.status == plain.status == "optimal"
    assert plan.objective == pytest.approx(plain.objective, rel=1e-9)


def _first_plan(model) -> np.ndarray:
    """HiGHS' first plan of ``model`` (it stops at its first plan)."""
    import highspy

    from optimizer.solve import _highs_lp, quiet_stdout

    with quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(_highs_lp(model))
        h.setOptionValue("mip_max_improving_sols", 1)
        h.setOptionValue("threads", 1)
        h.run()
        return np.array(h.getSolution().col_value)
