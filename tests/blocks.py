"""Shared by the block tests (``tests/test_block_*.py``): a case is scenarios/tiny changed in
code (``RawTiny``), the status, objective and starts it must give, and why.

Tiny, base variant: no discounting, shortfall 1 MSEK per place and year, tax budget 8 MSEK/yr,
VA 2 MSEK/yr, old preschool (40 places) retires 2029; preschool demand 40, 41, 42, 43, 44
(2026-2030). Every plan also passes the independent checker (run by ``run_scenario``) and both
running-sum formulations must agree.

Hand arithmetic for the base optimum (12.4733 MSEK):
  PS-NEW   start 2026: capex 10, in service 2028-2067, salvage 10·37/40 = 9.25  -> 0.75
  WATER-EXT start 2027: net capex 1.5 (50 % grant), salvage 1.5·47/50 = 1.41      -> 0.09
  PS-NORTH start 2028: capex 6, salvage 6·38/40 = 5.7                             -> 0.30
  PS-MOD ×2 start 2029: capex 2 + opex 0.5·2 units·2 years = 4, salvage 2·1/3     -> 3.3333
  shortfall: 2027: 41-40 = 1; 2029: 43-40 = 3; 2030: 44-40 = 4                   -> 8
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest
from scenario_factory import RawTiny

from optimizer.model import BuildOptions

BASE_OBJECTIVE = 12.473333
BASE_STARTS = {
    "PS-NEW": {2026: 1},
    "PS-MOD": {2029: 2},
    "WATER-EXT": {2027: 1},
    "PS-NORTH": {2028: 1},
}
RUNNING_SUMS = ("expression", "variable")


@dataclass(frozen=True)
class Case:
    """One hand-checkable case of a constraint block (``block``: its name in CONSTRAINT_BLOCKS)."""

    block: str
    edit: Callable[[RawTiny], RawTiny]
    status: str
    objective: float | None
    starts: dict = field(default_factory=dict)
    options: BuildOptions = field(default_factory=BuildOptions)

    def scenario(self):
        return self.edit(RawTiny()).scenario()


def unchanged(tiny: RawTiny) -> RawTiny:
    return tiny


def cheap_shortfall(tiny: RawTiny) -> RawTiny:
    """Shortfall almost free (0.001 MSEK per place-year) for preschool."""
    return tiny.service("preschool", shortfall_cost=0.001)


def tax_budgets(tax: list[float], va: float = 2):
    """Yearly ceilings: tax as given per year 2026-2030, VA ``va`` every year."""

    def edit(tiny: RawTiny) -> RawTiny:
        rows = [f"tax,{y},{tax[y - 2026]}" for y in range(2026, 2031)]
        return tiny.table(
            "budgets", "pool,year,ceiling", *rows, *(f"va,{y},{va}" for y in range(2026, 2031))
        )

    return edit


def assert_case(case: Case, running_sum: str) -> None:
    """The case's plan is exactly the hand-computed one, and differs from the base optimum."""
    from optimizer.run import run_scenario

    plan = run_scenario(case.scenario(), options=replace(case.options, running_sum=running_sum))
    assert plan.status == case.status, plan.message
    if case.objective is None:
        assert plan.objective is None
        return
    assert plan.objective == pytest.approx(case.objective, abs=1e-5)
    assert plan.starts == case.starts
    if case.edit is not unchanged or case.options != BuildOptions():
        # the block is what changed the answer
        assert (plan.starts, round(plan.objective, 5)) != (BASE_STARTS, round(BASE_OBJECTIVE, 5))
