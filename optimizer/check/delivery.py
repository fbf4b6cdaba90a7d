"""Delivery check: projects under construction at once ≤ the delivery capacity."""

from __future__ import annotations

from optimizer.check.facts import (
    Violation,
    _Facts,
    _num,
)


def _check_delivery(facts: _Facts) -> list[Violation]:
    """Projects under construction: ``Σ_p U[p,t] ≤ K[t]`` (``delivery[t]``, policy_years) and
    ``Σ_{p∈dept} U[p,t] ≤ K_dept`` (``delivery[dept,t]``, departments)."""
    scenario = facts.scenario
    building = facts.under_construction
    out: list[Violation] = []
    total = building.sum().reindex(facts.years, fill_value=0.0)
    for r in sorted(scenario.policy_years, key=lambda r: r.year):
        limit = r.max_projects_under_construction
        if limit is None or r.year not in facts.years:
            continue
        if facts.over(total[r.year], limit):
            out.append(
                Violation(
                    f"delivery[{r.year}]",
                    total[r.year] - limit,
                    f"{_num(total[r.year])} projects under construction in {r.year}, more than "
                    f"the {limit} that can be delivered at once by {_num(total[r.year] - limit)}",
                    key=("delivery", r.year),
                )
            )
    limited = [
        d for d in scenario.settings.departments if d.max_projects_under_construction is not None
    ]
    per_department = facts.by_group(building, facts.department_of(), [d.id for d in limited])
    for department in limited:
        limit = department.max_projects_under_construction
        for t in facts.years:
            count = per_department.loc[department.id, t]
            if facts.over(count, limit):
                out.append(
                    Violation(
                        f"delivery[{department.id},{t}]",
                        count - limit,
                        f"department {department.id} has {_num(count)} projects under "
                        f"construction in {t}, more than the {limit} it can deliver at once by "
                        f"{_num(count - limit)}",
                        key=("delivery", department.id, t),
                    )
                )
    return out
