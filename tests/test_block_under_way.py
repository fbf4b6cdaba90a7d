"""Projects already under way (docs/model.md, Projects under way): started before the first
year, they enter with their remaining spend and in-service year; the horizon's budgets and
objective see only the remaining spend, and salvage is credited only on it."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case
from scenario_factory import RawTiny


def under_way(remaining: str = "2"):
    """PS-UW: 10 places, capex 10, lead 3, in service 2027 (started 2024), ``remaining`` MSEK
    still to pay in 2026."""

    def edit(tiny: RawTiny) -> RawTiny:
        tiny.add_column("candidates", "in_service_year").add_column("candidates", "remaining_spend")
        tiny.add_row(
            "candidates",
            id="PS-UW",
            name="Preschool under way",
            department="BUF",
            capex="10",
            lead_time="3",
            lifetime="40",
            pool="tax",
            in_service_year="2027",
            remaining_spend=remaining,
        )
        return tiny.add_row(
            "candidate_capacity", candidate="PS-UW", service="preschool", capacity="10"
        )

    return edit


CASES = {
    # PS-UW adds 10 places from 2027 and 2 MSEK to 2026's tax budget (7 of 8 with PS-NEW): one
    # module fewer is needed and nothing is missing. Salvage only on the 2 MSEK paid inside the
    # horizon: 2 − 2·36/40 = 0.2 (crediting all 10 would give 2 − 9 = −7).
    # 0.75 + 0.09 + 0.30 + one module 1.666667 + 0.2 = 3.006667.
    "under_way": Case(
        "choice",
        under_way(),
        "optimal",
        3.006667,
        {
            "PS-NEW": {2026: 1},
            "WATER-EXT": {2027: 1},
            "PS-NORTH": {2028: 1},
            "PS-MOD": {2029: 1},
            "PS-UW": {2024: 1},
        },
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_project_under_way_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)


def test_only_the_remaining_spend_loads_the_budget() -> None:
    from optimizer.run import run_scenario

    plan = run_scenario(CASES["under_way"].scenario())
    budget = plan.tables["budget"].set_index(["pool", "year"])
    assert budget.loc[("tax", 2026), "spend"] == pytest.approx(5 + 2)
    schedule = plan.tables["schedule"].set_index("candidate")
    assert schedule.loc["PS-UW", "in_service_year"] == 2027
    coverage = plan.tables["coverage"].set_index(["service", "year"])
    assert coverage.loc[("preschool", 2027), "new_capacity"] == pytest.approx(10.0)


def test_remaining_spend_larger_than_the_budget_makes_room_elsewhere() -> None:
    """8 MSEK still to pay in 2026 fills the tax budget: PS-NEW can no longer start in 2026."""
    from optimizer.run import run_scenario

    plan = run_scenario(under_way("8")(RawTiny()).scenario())
    assert plan.status == "optimal"
    assert 2026 not in plan.starts.get("PS-NEW", {})
    assert plan.starts["PS-UW"] == {2024: 1}


def test_highs_and_cbc_agree_on_a_project_under_way() -> None:
    from optimizer.run import run_scenario, solve_settings_for

    scenario = CASES["under_way"].scenario()
    plans = [
        run_scenario(scenario, solve_settings_for(scenario, solver=s)) for s in ("highs", "cbc")
    ]
    assert [p.status for p in plans] == ["optimal", "optimal"]
    assert plans[0].objective == pytest.approx(plans[1].objective, abs=1e-6)
    assert plans[0].starts == plans[1].starts
