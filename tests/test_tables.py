"""The plan tables (optimizer/tables.py, arithmetic in optimizer/plan_math.py) on tiny's base
optimum, checked by hand (the plan and its arithmetic: tests/blocks.py).

PS-NEW starts 2026 (lead 2, life 40, capex 10 spent 5|5), WATER-EXT 2027 (lead 1, life 50,
capex 3, 50 % grant), PS-NORTH 2028 (lead 1, life 40, capex 6), PS-MOD 2 units 2029 (lead 0,
life 3, capex 1 each, opex 0.5 each).
"""

from __future__ import annotations

import pytest
from blocks import BASE_STARTS
from scenario_factory import RawTiny

from optimizer.run import run_scenario


@pytest.fixture(scope="module")
def tables():
    plan = run_scenario(RawTiny().scenario())
    assert plan.starts == BASE_STARTS
    return plan.tables


def test_schedule_years_and_spend(tables) -> None:
    schedule = tables["schedule"].set_index("candidate")
    # in service from start + lead; last year in service start + lead + life - 1
    assert schedule.loc["PS-NEW", ["in_service_year", "end_of_life_year"]].tolist() == [2028, 2067]
    assert schedule.loc["WATER-EXT", ["in_service_year", "end_of_life_year"]].tolist() == [
        2028,
        2077,
    ]
    assert schedule.loc["PS-MOD", ["units", "in_service_year", "end_of_life_year"]].tolist() == [
        2,
        2029,
        2031,
    ]
    assert schedule.loc["PS-NEW", "capex_by_year"] == {2026: 5.0, 2027: 5.0}
    # gross capex 3, the pool pays half (grant share 0.5)
    assert schedule.loc["WATER-EXT", ["capex", "net_capex"]].tolist() == [3.0, 1.5]


def test_budget_spend_per_pool_and_year(tables) -> None:
    budget = tables["budget"].set_index(["pool", "year"])
    # tax: PS-NEW 5, 5; PS-NORTH 6 in 2028; two modules 2 in 2029
    assert budget.loc["tax", "spend"].tolist() == [5.0, 5.0, 6.0, 2.0, 0.0]
    assert budget.loc[("va", 2027), ["spend", "gross_spend", "headroom"]].tolist() == [
        1.5,
        3.0,
        0.5,
    ]


def test_coverage_existing_new_and_shortfall(tables) -> None:
    coverage = tables["coverage"]
    preschool = coverage[coverage.service == "preschool"].set_index("year")
    # the old preschool (40 places) retires 2029; PS-NEW (20) from 2028, PS-NORTH (10) from
    # 2029, the modules (2 × 5) from 2029
    assert preschool["existing"].tolist() == [40, 40, 40, 0, 0]
    assert preschool["new_capacity"].tolist() == [0, 0, 20, 40, 40]
    assert preschool["shortfall"].tolist() == [0, 1, 0, 3, 4]
    assert preschool.loc[2028, "utilisation"] == pytest.approx(42 / 60)


def test_opex_staff_co2e_and_delivery(tables) -> None:
    opex = tables["opex"].set_index(["department", "year"])["opex"]
    assert opex.loc["BUF"].tolist() == [0, 0, 0, 1.0, 1.0]  # 2 modules × 0.5 from 2029
    staff = tables["staff"].set_index(["department", "year"])["staff_fte"]
    assert staff.loc["BUF"].tolist() == [0, 0, 4, 8, 8]  # PS-NEW 4; + PS-NORTH 2 + 2 modules
    co2e = tables["co2e"].set_index("year")
    # embodied spread like capex: PS-NEW 90 as 45|45, the main 30 in 2027, PS-NORTH 45 in 2028,
    # the modules 2 × 5 in 2029
    assert co2e["embodied_t"].tolist() == [45, 75, 45, 10, 0]
    delivery = tables["delivery"].set_index("year")["projects_under_construction"]
    assert delivery.tolist() == [1, 2, 1, 0, 0]  # modules have no lead time
