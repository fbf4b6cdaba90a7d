"""Formulation options of ``[solver]`` (docs/model.md, Formulation options): each is exact.

Exact means: the same optimum, and a plan the independent checker accepts, with and without the
option; here on tiny (with and without districts and neighbour transfers) and Östersund
``low``. benchmarks/formulation_options.py measures the same on S and every Östersund variant.
"""

from __future__ import annotations

import numpy as np
import pytest
from scenario_factory import ROOT, RawTiny
from shipped_plans import shipped_plan

import optimizer
from optimizer.data import build_data
from optimizer.model import BuildOptions, build
from optimizer.run import run_scenario, solve_settings_for
from optimizer.validate import parse


def tiny_with_neighbours():
    """tiny with preschool per district and 30 % of a district's need allowed from its neighbour."""

    def share(settings):
        settings["services"][0]["neighbour_share"] = 0.3

    return parse(RawTiny().districts().settings(share).raw)


def _coefficient(built, row_block: str, row_key: tuple, column_block: str, column_key: tuple):
    model = built.model
    rows, cols = model.row_blocks[row_block], model.col_blocks[column_block]
    row = rows.start + rows.keys.index(row_key)
    col = cols.start + cols.keys.index(column_key)
    return model.matrix("csr")[row, col]


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(lambda: optimizer.load_scenario(ROOT / "scenarios" / "tiny"), id="tiny"),
        pytest.param(
            lambda: optimizer.load_scenario(ROOT / "scenarios" / "tiny", "high"), id="tiny-high"
        ),
        pytest.param(tiny_with_neighbours, id="tiny-neighbours"),
        # Östersund low's plan with its own settings (no clipping, restarts) is the session's
        # shipped plan (tests/shipped_plans.py), not a solve of its own
        pytest.param(lambda: shipped_plan("ostersund-2040", "low"), id="ostersund-low"),
    ],
)
@pytest.mark.parametrize("restart", [True, False])
def test_planner_switching_on_coverage_clipping_gets_the_same_optimum(scenario, restart) -> None:
    made = scenario()  # a scenario, or (scenario, its plan with its own settings)
    scenario, own = made if isinstance(made, tuple) else (made, None)
    settings = solve_settings_for(scenario).model_copy(update={"restart": restart})
    if own is not None and restart:
        assert settings.restart and not scenario.settings.solver.coverage_clip  # the same run
        plain = own
    else:
        plain = run_scenario(scenario, settings, BuildOptions(coverage_clip=False))
    clipped = run_scenario(scenario, settings, BuildOptions(coverage_clip=True))  # checked
    assert plain.status == clipped.status == "optimal"
    assert clipped.objective == pytest.approx(plain.objective, rel=1e-4)


def test_coverage_clipping_counts_a_unit_only_up_to_what_its_row_can_use() -> None:
    """PS-NEW (20 places) in a year where preschool needs fewer places: its coefficient is the
    need, and the LP bound can only rise (the plans stay the same)."""
    scenario = optimizer.load_scenario(ROOT / "scenarios" / "tiny")
    data = build_data(scenario)
    plain = build(data, BuildOptions(running_sum="expression", coverage_clip=False))
    clipped = build(data, BuildOptions(running_sum="expression", coverage_clip=True))
    cov = data.coverage.set_index(["service", "district", "year"])
    year = 2028  # PS-NEW started in 2026 is in service (lead time 2); 2 places missing
    need = float(cov.loc[("preschool", "", year), "need"])
    assert 0 < need < 20
    key, start = ("preschool", "", year), ("PS-NEW", 2026)
    assert _coefficient(plain, "coverage", key, "start", start) == 20
    assert _coefficient(clipped, "coverage", key, "start", start) == pytest.approx(need)

    from benchmarks.formulations import lp_bound

    assert lp_bound(clipped.model)[0] >= lp_bound(plain.model)[0] - 1e-9


def test_coverage_clipping_leaves_room_for_what_neighbours_may_take() -> None:
    """A district's unit may also serve its neighbour's share: clipped to own need + that share."""
    scenario = tiny_with_neighbours()
    data = build_data(scenario)
    clipped = build(data, BuildOptions(running_sum="expression", coverage_clip=True))
    cov = data.coverage.set_index(["service", "district", "year"])
    year = 2028
    own = max(float(cov.loc[("preschool", "north", year), "need"]), 0.0)
    taken = 0.3 * float(cov.loc[("preschool", "south", year), "demand"])
    assert taken > 0 and own + taken < 20  # so PS-NEW (north, 20 places) is clipped
    coef = _coefficient(
        clipped, "coverage", ("preschool", "north", year), "start", ("PS-NEW", 2026)
    )
    assert coef == pytest.approx(own + taken)
    assert np.isfinite(coef)


def _submip_options(settings) -> dict[str, bool]:
    """The sub-MIP heuristic switches on the HiGHS object capplan solves with."""
    from optimizer.solve import SUBMIP_HEURISTIC_OPTIONS, _new_highs

    highs = _new_highs(settings)
    return {option: highs.getOptionValue(option)[1] for option in SUBMIP_HEURISTIC_OPTIONS}


def test_planner_switching_off_submip_heuristics_in_scenario_toml_turns_them_off_in_highs() -> None:
    def no_submip(settings):
        settings.setdefault("solver", {})["submip_heuristics"] = False

    scenario = parse(RawTiny().settings(no_submip).raw)
    assert _submip_options(solve_settings_for(scenario)) == {
        "mip_heuristic_run_root_reduced_cost": False,
        "mip_heuristic_run_rins": False,
        "mip_heuristic_run_rens": False,
    }


def test_planner_switching_on_submip_heuristics_gets_highs_own_defaults() -> None:
    import highspy

    def submip(settings):
        settings.setdefault("solver", {})["submip_heuristics"] = True

    scenario = parse(RawTiny().settings(submip).raw)
    options = _submip_options(solve_settings_for(scenario))
    untouched = highspy.Highs()
    assert options == {option: untouched.getOptionValue(option)[1] for option in options}
    assert all(options.values())


@pytest.mark.parametrize(
    ("folder", "variant"),
    [("tiny", "high"), ("ostersund-2040", "low")],
    ids=["tiny-high", "ostersund-low"],
)
def test_planner_switching_submip_heuristics_gets_the_same_optimum(folder, variant) -> None:
    # the plan with sub-MIP heuristics on (the default) is the session's shipped plan
    scenario, on = shipped_plan(folder, variant)
    settings = solve_settings_for(scenario)
    assert settings.submip_heuristics  # the default, as the shipped plan was solved
    off = run_scenario(scenario, settings.model_copy(update={"submip_heuristics": False}))
    assert on.status == off.status == "optimal"  # both plans passed the checker
    assert off.objective == pytest.approx(on.objective, rel=1e-4)
