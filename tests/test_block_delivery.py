"""Delivery capacity (optimizer/model/delivery.py): how many projects can be under construction
at once."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case

CASES = {
    # One project under construction at a time: the main waits until PS-NEW is done.
    "delivery": Case(
        "delivery",
        lambda t: t.yearly(
            "policy_years", "year,max_projects_under_construction", lambda y: f"{y},1"
        ),
        "optimal",
        22.293333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2028: 1}, "PS-NORTH": {2029: 1}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_delivery_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)
