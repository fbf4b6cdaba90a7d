"""Staff (optimizer/model/staff.py): new FTE in service within what can be recruited."""

from __future__ import annotations

import pytest
from blocks import RUNNING_SUMS, Case, assert_case

CASES = {
    # 6 FTE recruitable: PS-NEW (4) + PS-NORTH (2); no staff left for the modules (1 each).
    "staff": Case(
        "staff",
        lambda t: t.yearly("staff", "department,year,recruitable_fte", lambda y: f"BUF,{y},6"),
        "optimal",
        29.14,
        {"PS-NEW": {2026: 1}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_staff_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)
