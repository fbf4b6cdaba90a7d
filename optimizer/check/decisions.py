"""Decision checks: known candidates, whole non-negative starts inside their windows, max units."""

from __future__ import annotations

from optimizer.check.facts import (
    Violation,
    _Facts,
    _num,
)


def _check_decisions(facts: _Facts) -> list[Violation]:
    """Starts are whole units ≥ 0, of known candidates, inside windows and within max_units.

    ``n[p,y] ∈ {0, 1, 2, …}``; ``n[p,y] = 0`` for y outside ``start_windows[p]``;
    ``Σ_y n[p,y] ≤ max_units[p]``.
    """
    scenario, tol = facts.scenario, facts.tolerance
    out: list[Violation] = []
    for p, by_year in sorted(facts.starts.items()):
        total = sum(by_year.values())
        if p not in scenario.candidate_by_id:
            if any(abs(u) > tol for u in by_year.values()):
                out.append(
                    Violation(
                        f"unknown_candidate[{p}]",
                        total,
                        f"the plan starts {_num(total)} unit(s) of '{p}', which is not a "
                        "candidate of the scenario",
                    )
                )
            continue
        candidate = scenario.candidate_by_id[p]
        for y, units in sorted(by_year.items()):
            off = max(-units, abs(units - round(units)))
            if off > tol:
                out.append(
                    Violation(
                        f"start_units[{p},{y}]",
                        off,
                        f"{p} starts {_num(units)} units in {y}; starts must be whole numbers ≥ 0",
                    )
                )
        earliest, latest = scenario.start_windows[p]
        outside = {y: u for y, u in by_year.items() if not earliest <= y <= latest and abs(u) > tol}
        if outside:
            amount = sum(abs(u) for u in outside.values())
            years = ", ".join(str(y) for y in sorted(outside))
            out.append(
                Violation(
                    f"window[{p}]",
                    amount,
                    f"{p} starts {_num(amount)} unit(s) in {years}, outside its start window "
                    f"{earliest}-{latest}",
                )
            )
        if facts.over(total, candidate.max_units):
            out.append(
                Violation(
                    f"units[{p}]",
                    total - candidate.max_units,
                    f"{p} starts {_num(total)} units in all, more than its max_units "
                    f"{candidate.max_units} by {_num(total - candidate.max_units)}",
                )
            )
    return out
