"""Which candidates may be chosen (optimizer/model/choice.py): units, must-do and deadlines,
exclusive groups, committed starts."""

from __future__ import annotations

import pytest
from blocks import BASE_OBJECTIVE, BASE_STARTS, RUNNING_SUMS, Case, assert_case, cheap_shortfall
from scenario_factory import RawTiny

from optimizer.model import BuildOptions


def no_exclusive_group(tiny):
    return tiny.candidate("PS-NEW", exclusive_group="").candidate("PS-EXT", exclusive_group="")


def committed_past_horizon(tiny):
    cheap_shortfall(tiny)
    return tiny.candidate("PS-NEW", latest_start="2030", committed_start="2030")


CASES = {
    # Without the exclusive group both PS-NEW and PS-EXT are built.
    "no_exclusive_group": Case(
        "choice",
        no_exclusive_group,
        "optimal",
        7.576667,
        {
            "PS-NEW": {2027: 1},
            "PS-EXT": {2026: 1},
            "PS-MOD": {2029: 2},
            "WATER-EXT": {2028: 1},
            "PS-NORTH": {2029: 1},
        },
    ),
    # Committed PS-EXT in 2028 rules out PS-NEW (same group).
    "committed": Case(
        "choice",
        lambda t: t.candidate("PS-EXT", committed_start="2028"),
        "optimal",
        32.17,
        {"PS-EXT": {2028: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2027: 1}},
    ),
    # Almost free shortfall; PS-NEW committed to start 2030, so it spends 5 in 2030 and 5 in
    # 2031, after the horizon: only the 5 inside is charged, and salvage is credited on those 5
    # alone (5·40/40 = 5), not on the whole 10 (which would give −5). Shortfall 90 × 0.001.
    "committed_past_horizon": Case(
        "choice", committed_past_horizon, "optimal", 0.09, {"PS-NEW": {2030: 1}}
    ),
    # Must-do water main in service by 2027: it starts in 2026, a year earlier (+0.03 salvage).
    "must_do_deadline": Case(
        "choice",
        lambda t: t.candidate("WATER-EXT", must_do="yes", deadline="2027"),
        "optimal",
        12.503333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2028: 1}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_choice_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)


def modules_grouped(tiny: RawTiny) -> RawTiny:
    """PS-MOD (up to 2 units) in an exclusive group of its own, "modules"."""
    return tiny.candidate("PS-MOD", exclusive_group="modules")


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("with_ps_ext", [False, True], ids=["alone", "with_PS-EXT"])
def test_modular_candidate_in_an_exclusive_group_builds_all_its_units(
    with_ps_ext: bool, running_sum: str
) -> None:
    """A group limits candidates, not units: PS-MOD (2 units) in a group of its own, or with
    PS-EXT (which the base optimum does not build), still gets both units in 2029 and the base
    optimum (arithmetic in tests/blocks.py)."""
    from optimizer.run import run_scenario

    tiny = modules_grouped(RawTiny())
    if with_ps_ext:
        tiny.candidate("PS-EXT", exclusive_group="modules")
    plan = run_scenario(tiny.scenario(), options=BuildOptions(running_sum=running_sum))
    assert plan.status == "optimal", plan.message
    assert plan.starts == BASE_STARTS
    assert plan.objective == pytest.approx(BASE_OBJECTIVE, abs=1e-5)


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
def test_must_do_member_of_a_group_rules_out_the_modular_member(running_sum: str) -> None:
    """PS-EXT must-do in a group with PS-MOD: not a single module may be built."""
    from optimizer.run import run_scenario

    tiny = modules_grouped(RawTiny()).candidate("PS-EXT", must_do="yes", exclusive_group="modules")
    plan = run_scenario(tiny.scenario(), options=BuildOptions(running_sum=running_sum))
    assert plan.status == "optimal", plan.message
    assert "PS-EXT" in plan.starts
    assert "PS-MOD" not in plan.starts
