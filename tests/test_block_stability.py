"""Stability (optimizer/model/stability.py): a replan against an adopted plan prices each
change of a candidate's decisions."""

from __future__ import annotations

import pytest
from blocks import BASE_STARTS, RUNNING_SUMS, Case, assert_case, unchanged

from optimizer.model import AdoptedStarts, BuildOptions

# An adopted plan with PS-EXT where the base optimum has PS-NEW: 0.5333 (PS-EXT: capex 4,
# salvage 4·26/30) + 0.09 + 0.30 + 3.3333 + shortfall 27 (10 places fewer from 2028) = 31.2567.
ADOPTED_EXT = {
    "PS-EXT": {2026: 1},
    "PS-MOD": {2029: 2},
    "WATER-EXT": {2027: 1},
    "PS-NORTH": {2028: 1},
}


def adopted(price: float) -> BuildOptions:
    return BuildOptions(adopted=AdoptedStarts(ADOPTED_EXT, price))


CASES = {
    # Going back to the base optimum changes two candidates (PS-EXT removed, PS-NEW added) and
    # saves 31.2567 − 12.4733 = 18.7833 MSEK, so it pays exactly when 2 × price < 18.7833.
    # At 10 MSEK per change the adopted plan stays …
    "stability_keeps_the_adopted_plan": Case(
        "stability", unchanged, "optimal", 31.256667, ADOPTED_EXT, options=adopted(10.0)
    ),
    # … at 5 MSEK the change pays: the base plan plus 2 × 5 for the two changes.
    "stability_prices_each_change": Case(
        "stability", unchanged, "optimal", 22.473333, BASE_STARTS, options=adopted(5.0)
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_stability_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)
