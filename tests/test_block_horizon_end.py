"""The end of the horizon (optimizer/model/horizon_end.py): a terminal condition. In the last
year, capacity standing (with transfers) covers planned demand without shortfall or emergency
options, for every service that is a duty then or has ``terminal = true``."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case, cheap_shortfall
from scenario_factory import RawTiny

ASSETS = ("id,name,service,district,capacity,retirement_year", "WW-1,Waterworks,water,,110,")


def old_preschool_stays(tiny: RawTiny) -> RawTiny:
    return tiny.table("existing_assets", *ASSETS, "PS-OLD,Old preschool,preschool,,40,")


CASES = {
    # PS-OLD never retires, shortfall nearly free: without the condition nothing is built
    # (0.01 for 10 missing place-years). With it, 2030 needs 44 standing places, 40 stand: the
    # cheapest 4 places at the end are PS-EXT started 2029 (4 − 4·29/30 = 0.133333) plus the
    # 1 + 2 + 3 place-years missing before (0.006): 0.139333.
    "terminal": Case(
        "horizon_end",
        lambda t: old_preschool_stays(cheap_shortfall(t)).service("preschool", terminal=True),
        "optimal",
        0.139333,
        {"PS-EXT": {2029: 1}},
    ),
    # A duty in the last year brings the condition with it: tiny can stand at most 40 places in
    # 2030 against 44, and the pavilion may not count at the end.
    "terminal_from_duty": Case(
        "horizon_end",
        lambda t: t.service("preschool", duty_from=2026).table(
            "emergency_options",
            "id,kind,service,cost,max_units",
            "PAV,pavilion,preschool,1.5,5",
        ),
        "infeasible",
        None,
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_horizon_end_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)


def test_without_the_condition_the_last_year_is_left_short() -> None:
    from optimizer.run import run_scenario

    plan = run_scenario(old_preschool_stays(cheap_shortfall(RawTiny())).scenario())
    assert plan.starts == {}
    assert plan.objective == pytest.approx(0.01)


def test_diagnosis_names_the_terminal_condition() -> None:
    from optimizer.diagnose import diagnose

    conflicts = diagnose(CASES["terminal_from_duty"].scenario())
    named = {c.constraint: round(c.violation, 6) for c in conflicts}
    assert named == {"terminal[preschool]": 4.0}
