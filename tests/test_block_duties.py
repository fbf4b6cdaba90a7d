"""Legal duties (optimizer/model/duties.py): from a service's duty year no shortfall; the gap is
met by capacity, transfers or limited emergency options (rented pavilions, bought places, school
transport), never by an unlimited priced shortfall; a target utilisation keeps slack."""

from __future__ import annotations

import pytest
from blocks import BASE_STARTS, RUNNING_SUMS, Case, assert_case
from scenario_factory import RawTiny

PAVILION = "id,name,kind,service,cost,max_units"


def preschool_duty(cost: str, max_units: str):
    """Preschool a duty from 2026 (terminal condition off), one pavilion option."""

    def edit(tiny: RawTiny) -> RawTiny:
        tiny.service("preschool", duty_from=2026, terminal=False)
        row = f"PAV,Rented pavilion,pavilion,preschool,{cost},{max_units}"
        return tiny.table("emergency_options", PAVILION, row)

    return edit


CASES = {
    # The base plan's 8 missing place-years (2027: 1, 2029: 3, 2030: 4) must come from the
    # pavilion at 1.5 per place and year (at most 5 a year); no other plan covers more
    # cheaply (PS-MOD is at its 2 units): 12.473333 − 8 + 12 = 16.473333, same starts.
    "duty": Case("duties", preschool_duty("1.5", "5"), "optimal", 16.473333, BASE_STARTS),
    # A pavilion of 2 places cannot cover 2029's 3 and 2030's 4: the duty cannot be met.
    "duty_out_of_reach": Case("duties", preschool_duty("1.5", "2"), "infeasible", None),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_duties_change_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)


def test_emergency_use_is_in_the_plan() -> None:
    from optimizer.run import run_scenario

    plan = run_scenario(CASES["duty"].scenario())
    used = plan.emergency.set_index("year")["units"].to_dict()
    assert used == pytest.approx({2027: 1.0, 2029: 3.0, 2030: 4.0})
    assert plan.shortfall.loc[plan.shortfall["service"] == "preschool"].empty
    assert plan.objective_terms["emergency"] == pytest.approx(12.0)


def test_diagnosis_names_the_duty_that_cannot_be_met() -> None:
    """Infeasible: the diagnosis says which duty, in which years, and by how much."""
    from optimizer.diagnose import diagnose

    conflicts = diagnose(CASES["duty_out_of_reach"].scenario())
    named = {c.constraint: round(c.violation, 6) for c in conflicts}
    # 2029 lacks 3 − 2 = 1 place, 2030 lacks 4 − 2 = 2 (2027's 1 place fits the pavilion)
    assert named == {"duty[preschool,2029]": 1.0, "duty[preschool,2030]": 2.0}
    words = {c.constraint: c.explanation for c in conflicts}
    assert words["duty[preschool,2030]"] == (
        # the service by its name in the scenario ("Preschool places"), not its id
        "the legal duty to cover Preschool places in 2030 (no shortfall) cannot be met: 2.0 "
        "places are "
        "missing even with every project and emergency option that fits"
    )


def test_target_utilisation_keeps_slack() -> None:
    """Preschool at 95 %: in 2026 demand 40 needs 40/0.95 = 42.105 places; 40 stand, so the
    plan is short by 2.105 (priced) where at 100 % it was covered."""
    from optimizer.run import run_scenario

    tiny = RawTiny().service("preschool", target_utilisation=0.95)
    plan = run_scenario(tiny.scenario())
    assert plan.status == "optimal"
    short = plan.shortfall.set_index(["service", "year"])["shortfall"]
    assert short[("preschool", 2026)] == pytest.approx(40 / 0.95 - 40, abs=1e-6)
    coverage = plan.tables["coverage"].set_index(["service", "year"])
    assert coverage.loc[("preschool", 2026), "demand"] == pytest.approx(40.0)


def test_highs_and_cbc_agree_on_a_duty() -> None:
    from optimizer.run import run_scenario, solve_settings_for

    scenario = CASES["duty"].scenario()
    plans = [
        run_scenario(scenario, solve_settings_for(scenario, solver=s)) for s in ("highs", "cbc")
    ]
    assert [p.status for p in plans] == ["optimal", "optimal"]
    assert plans[0].objective == pytest.approx(plans[1].objective, abs=1e-6)
    assert plans[0].starts == plans[1].starts


def test_a_binding_duty_has_a_shadow_price_in_both_languages() -> None:
    """In the duty case every missing place costs 1.5 (the pavilion) instead of 1 (priced
    shortfall): leaving one place uncovered despite the duty would save 0.5 MSEK in each year
    the pavilion is used, which is what the duty costs at the margin."""
    from optimizer.report.figures import shadow_meaning_sv
    from optimizer.run import run_scenario

    plan = run_scenario(CASES["duty"].scenario())
    prices = plan.tables["shadow_prices"]
    duty = prices.loc[prices["kind"] == "duty"]
    assert duty.set_index("year")["value_of_one_more_unit"].to_dict() == pytest.approx(
        {2027: 0.5, 2029: 0.5, 2030: 0.5}
    )
    row = duty.loc[duty["year"] == 2029].iloc[0]
    assert row["meaning"].startswith(
        "1 place of preschool allowed uncovered in 2029 despite the legal duty lowers total "
        "cost by 0.5 MSEK"
    )
    assert shadow_meaning_sv(row, {"preschool": "places"}).startswith(
        "1 plats preschool som fick lämnas otäckt 2029 trots den lagstadgade skyldigheten "
        "sänker den totala kostnaden med 0,5 MSEK"
    )
