"""Reference objectives for every shipped scenario and variant, and solver agreement.

Stored values were measured with HiGHS 1.16 (proven optimal within a relative gap of 1e-4).
A plan labelled optimal lies within 1e-4 of the true optimum, so two correct runs may differ by
up to that much: the tolerance is exactly the optimality tolerance. Every run here also passes
the independent plan checker (``run_scenario`` raises otherwise).
"""

from __future__ import annotations

import pytest
from scenario_factory import ROOT
from shipped_plans import shipped_plan

import optimizer
from optimizer.check import check_plan
from optimizer.run import run_scenario, solve_settings_for
from optimizer.solve import OPTIMALITY_GAP

REFERENCE = {
    ("tiny", "base"): 12.473333333,  # hand arithmetic in tests/blocks.py
    ("tiny", "high"): 54.473333333,
    ("ostersund-2040", "low"): 2166.559789,
    ("ostersund-2040", "trend"): 2473.827119,
    ("ostersund-2040", "target"): 3248.085352,
    ("ostersund-2040", "budget-cut"): 3221.247789,
}
SLOW = pytest.mark.slow
# Proving optimality must not depend on how busy the machine is: the scenarios' own time limit
# (120 s) is for users; the tests give the solver an hour it never needs on an idle machine.
UNHURRIED_S = 3600.0


def _cases():
    for (name, variant), value in REFERENCE.items():
        marks = [SLOW] if name != "tiny" else []
        yield pytest.param(name, variant, value, marks=marks, id=f"{name}-{variant}")


def test_every_shipped_variant_has_a_reference() -> None:
    for folder in sorted((ROOT / "scenarios").iterdir()):
        if (folder / "scenario.toml").is_file():
            scenario = optimizer.load_scenario(folder)
            for variant in scenario.variants:
                assert (folder.name, variant) in REFERENCE, (
                    f"no reference objective for {folder.name}/{variant}"
                )


@pytest.mark.parametrize(("name", "variant", "reference"), list(_cases()))
def test_reference_objective(name: str, variant: str, reference: float) -> None:
    scenario, plan = shipped_plan(name, variant)
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(reference, rel=OPTIMALITY_GAP, abs=1e-6)
    assert check_plan(scenario, plan) == []


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["low"])
def test_highs_and_cbc_agree_on_ostersund(variant: str) -> None:
    scenario, highs = shipped_plan("ostersund-2040", variant)
    cbc = run_scenario(scenario, solve_settings_for(scenario, solver="cbc", time_limit=UNHURRIED_S))
    assert highs.status == cbc.status == "optimal"
    assert cbc.objective == pytest.approx(highs.objective, rel=OPTIMALITY_GAP)


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["trend", "target", "budget-cut"])
def test_cbc_bounds_bracket_the_highs_optimum(variant: str) -> None:
    """CBC does not prove these within a CI-sized time limit: since the money limits of #12
    bind, CBC needs minutes on trend where HiGHS needs seconds (691 s to prove the same optimum
    as HiGHS on a busy 2-core machine, with a first calibration of the #12 data). Whatever CBC
    reports must still bracket HiGHS' proven optimum: bound ≤ optimum ≤ its incumbent."""
    scenario, highs = shipped_plan("ostersund-2040", variant)
    cbc = run_scenario(scenario, solve_settings_for(scenario, solver="cbc", time_limit=10))
    assert highs.status == "optimal"
    assert cbc.status in ("optimal", "feasible", "no_solution")
    tolerance = OPTIMALITY_GAP * abs(highs.objective)
    if cbc.bound is not None:
        assert cbc.bound <= highs.objective + tolerance
    if cbc.objective is not None:
        assert cbc.objective >= highs.objective - tolerance
        if cbc.status == "feasible":
            assert cbc.gap is not None and cbc.gap > OPTIMALITY_GAP
