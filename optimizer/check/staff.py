"""Staff check: the FTEs new facilities need ≤ what each department can recruit."""

from __future__ import annotations

from optimizer.check.facts import (
    Violation,
    _Facts,
    _num,
)


def _check_staff(facts: _Facts) -> list[Violation]:
    """Per staff row (dept, t): ``Σ_{p∈dept} staff_fte_p·I[p,t] ≤ recruitable_fte``, FTE."""
    scenario = facts.scenario
    departments = [d.id for d in scenario.settings.departments]
    fte = facts.in_service.mul(facts.attribute("staff_fte"), axis=0)
    need = facts.by_group(fte, facts.department_of(), departments)
    rows = sorted(scenario.staff, key=lambda r: (r.department, r.year))
    return [
        Violation(
            f"staff[{r.department},{r.year}]",
            excess,
            f"department {r.department} needs {_num(used)} FTE in {r.year}, more than "
            f"the {_num(r.recruitable_fte)} FTE it can recruit by {_num(excess)} FTE",
            key=("staff", r.department, r.year),
        )
        for r, used, excess in facts.department_rows_over(need, rows, "recruitable_fte")
    ]
