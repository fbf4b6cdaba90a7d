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


OTHER = "year,pool,amount,lifetime,description"


def frame_variants():
    """tiny (tax ceiling 8 MSEK/yr) with 2 MSEK of other investment in 2026, and two variants
    on the base population: ``factor`` halves the ceilings; ``cut`` halves them too and reads
    its own other investment, 1 MSEK in 2026 (docs/model.md, The whole investment frame)."""
    from scenario_factory import RawTiny

    def variants(settings: dict) -> None:
        settings["variants"]["factor"] = {"population": "base", "budget_factor": 0.5}
        settings["variants"]["cut"] = {
            "population": "base",
            "budget_factor": 0.5,
            "tables": {"other_investments": "other_investments-cut"},
        }

    return (
        RawTiny()
        .table("other_investments", OTHER, "2026,tax,2,,streets")
        .table("other_investments-cut", OTHER, "2026,tax,1,,streets")
        .settings(variants)
    )


@pytest.mark.parametrize(
    ("variant", "ceiling", "other"), [("base", 8.0, 2.0), ("factor", 4.0, 2.0), ("cut", 4.0, 1.0)]
)
def test_budget_factor_cuts_the_ceilings_and_a_variant_table_the_other_investment(
    variant: str, ceiling: float, other: float
) -> None:
    """budget_factor multiplies the ceilings only; the variant's other investment table is used
    as written (never multiplied); the budget row holds candidates + other ≤ factor × ceiling."""
    from optimizer.run import run_scenario

    scenario = frame_variants().scenario(variant)
    tax_2026 = [b.ceiling for b in scenario.budgets if b.pool == "tax" and b.year == 2026]
    assert tax_2026 == [ceiling]
    assert [(o.year, o.amount) for o in scenario.other_investments] == [(2026, other)]
    plan = run_scenario(scenario)
    budget = plan.tables["budget"].set_index(["pool", "year"]).loc[("tax", 2026)]
    assert (budget["ceiling"], budget["other"]) == pytest.approx((ceiling, other))
    assert budget["spend"] + other <= ceiling + 1e-6
