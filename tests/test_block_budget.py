"""Budgets (optimizer/model/budget.py): spend per funding pool and year within the ceiling,
with carry-over where the pool allows it, and department ceilings."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case, tax_budgets

POOL_CARRIES_OVER = lambda t: t.settings(lambda s: s["pools"][0].update(carry_over=True))  # noqa: E731

CASES = {
    # Tax budget 4/yr: PS-NEW (5/yr) and PS-NORTH (6) no longer fit; PS-EXT (4) does.
    # 0.5333 (PS-EXT) + 3.3333 (modules) + shortfall 23 + 24 = 50.8667
    "budget": Case(
        "budget",
        tax_budgets([4] * 5),
        "optimal",
        50.866667,
        {"PS-EXT": {2026: 1}, "PS-MOD": {2029: 2}},
    ),
    # Tax 3,3,8,2,2 without carry-over: only PS-EXT (4) in 2028 plus one module per year.
    "no_carry_over": Case(
        "budget",
        tax_budgets([3, 3, 8, 2, 2]),
        "optimal",
        52.433333,
        {"PS-EXT": {2028: 1}, "PS-MOD": {2028: 1, 2029: 1}},
    ),
    # The same budget with carry-over: 2026's unspent 3 MSEK lets PS-EXT start in 2027 (4 ≤ 3+3).
    "carry_over": Case(
        "budget",
        lambda t: POOL_CARRIES_OVER(tax_budgets([3, 3, 8, 2, 2])(t)),
        "optimal",
        32.123333,
        {"PS-EXT": {2027: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
    # BUF may spend 5/yr: PS-NORTH (6 in one year) is out, so is the water main it needed.
    "department_budget": Case(
        "budget",
        lambda t: t.yearly("department_budgets", "department,year,ceiling", lambda y: f"BUF,{y},5"),
        "optimal",
        32.083333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_budget_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)
