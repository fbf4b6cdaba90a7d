"""Precedence (optimizer/model/precedence.py): a candidate needs another in service before it
starts (with a lag) or when it opens, written per year on the running sums."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case, cheap_shortfall

DEPENDENCIES = "candidate,requires,kind,lag"


def opens_after_horizon(tiny):
    cheap_shortfall(tiny)
    tiny.table("dependencies", DEPENDENCIES, "PS-NORTH,WATER-EXT,in_service_when_opens,0")
    return tiny.candidate("PS-NORTH", latest_start="2030", must_do="yes")


CASES = {
    # Without the dependency PS-NORTH starts in 2026 and the water main is not built.
    "no_precedence": Case(
        "precedence",
        lambda t: t.table("dependencies", DEPENDENCIES),
        "optimal",
        11.433333,
        {"PS-NEW": {2027: 1}, "PS-MOD": {2029: 2}, "PS-NORTH": {2026: 1}},
    ),
    # A lag of one year: PS-NORTH may start only a year after the main is in service.
    "precedence_lag": Case(
        "precedence",
        lambda t: t.table(
            "dependencies", DEPENDENCIES, "PS-NORTH,WATER-EXT,in_service_before_start,1"
        ),
        "optimal",
        12.503333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2028: 1}},
    ),
    # "In service when it opens": both may start in 2026 and open together in 2027.
    "opens_with": Case(
        "precedence",
        lambda t: t.table(
            "dependencies", DEPENDENCIES, "PS-NORTH,WATER-EXT,in_service_when_opens,0"
        ),
        "optimal",
        11.553333,
        {"PS-NEW": {2027: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2026: 1}},
    ),
    # Shortfall almost free, PS-NORTH must-do and may start 2030 (opening 2031, after the
    # horizon), "in service when it opens" on the main: PS-NORTH starts 2030 (capex 6, salvage
    # 6·40/40 = 6 -> 0) and the main must still be in service by 2031, so it starts at its latest,
    # 2029 (net 1.5, salvage 1.5·49/50 = 1.47 -> 0.03); shortfall 90 place-years × 0.001 = 0.09.
    "opens_after_horizon": Case(
        "precedence",
        opens_after_horizon,
        "optimal",
        0.12,
        {"WATER-EXT": {2029: 1}, "PS-NORTH": {2030: 1}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_precedence_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)
