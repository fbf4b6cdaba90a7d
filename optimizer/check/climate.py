"""Climate checks: yearly CO2e caps and the cumulative CO2e budget."""

from __future__ import annotations

from optimizer.check.facts import (
    Violation,
    _Facts,
    _num,
)


def _check_co2e(facts: _Facts) -> list[Violation]:
    """Tonnes CO2e per year and over the horizon.

    ``E[t] = Σ_p embodied_p·Σ_j f_j·n[p,t−j] + Σ_p operational_p·I[p,t] + existing_co2e[t]``;
    ``E[t] ≤ co2e_cap_t[t]`` where given (``co2e_cap``); ``Σ_t E[t] ≤ cumulative_budget_t``
    (``co2e_budget``).
    """
    scenario = facts.scenario
    emissions = facts.co2e
    out: list[Violation] = []
    for r in sorted(scenario.policy_years, key=lambda r: r.year):
        if r.co2e_cap_t is None or r.year not in facts.years:
            continue
        used = emissions[r.year]
        if facts.over(used, r.co2e_cap_t):
            out.append(
                Violation(
                    f"co2e_cap[{r.year}]",
                    used - r.co2e_cap_t,
                    f"CO2e {_num(used)} t in {r.year} (projects {_num(facts.project_co2e[r.year])}"
                    f" + existing {_num(facts.existing_co2e[r.year])}) exceeds the cap "
                    f"{_num(r.co2e_cap_t)} t by {_num(used - r.co2e_cap_t)} t",
                    key=("co2e_cap", r.year),
                )
            )
    budget = scenario.settings.climate.cumulative_budget_t
    total = float(emissions.sum())
    if budget is not None and facts.over(total, budget):
        out.append(
            Violation(
                "co2e_budget",
                total - budget,
                f"CO2e {_num(total)} t over {facts.y0}-{facts.yN} exceeds the cumulative budget "
                f"{_num(budget)} t by {_num(total - budget)} t",
            )
        )
    return out
