"""Debt (optimizer/model/debt.py): what self-financing does not cover is borrowed, within the
ceiling, and interest on it is a cost."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case


def debt_rules(tiny):
    """Self-financing 2/yr, debt ceiling 4, opening 0, interest 10 %, the tax pool borrows."""
    tiny.settings(lambda s: s.update(debt={"opening": 0, "interest_rate": 0.1, "pools": ["tax"]}))
    return tiny.yearly("policy_years", "year,self_financing,debt_ceiling", lambda y: f"{y},2,4")


CASES = {
    # PS-NEW's 5+5 would need debt 3 then 6 > 4: PS-EXT instead.
    "debt": Case(
        "debt",
        debt_rules,
        "optimal",
        32.456667,
        {"PS-EXT": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_debt_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)
