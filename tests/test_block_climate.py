"""CO2e (optimizer/model/climate.py): a yearly cap and a cumulative budget on embodied and
operational emissions."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case

CASES = {
    # 50 t/yr: PS-NEW (45 t/yr) and the main (30 t) may not be built in the same year.
    "co2e_cap": Case(
        "climate",
        lambda t: t.yearly(
            "policy_years", "year,co2e_cap_t,existing_co2e_t", lambda y: f"{y},50,0"
        ),
        "optimal",
        23.96,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2028: 2}, "WATER-EXT": {2028: 1}, "PS-NORTH": {2029: 1}},
    ),
    # 150 t in all: PS-NEW (90 t) gives way to PS-EXT (40 t).
    "co2e_budget": Case(
        "climate",
        lambda t: t.settings(lambda s: s.update(climate={"cumulative_budget_t": 150})),
        "optimal",
        31.256667,
        {"PS-EXT": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_climate_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)
