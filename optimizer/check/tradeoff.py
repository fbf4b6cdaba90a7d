"""Trade-off checks: a frontier point's epsilon limits and an alternative's cost slack.

The measures are recomputed from the decisions alone, with the checker's own arithmetic
(``optimizer.check``'s notation):

- ``co2e``      ``Σ_t E_proj[t]``, tonnes the projects cause over the horizon
- ``shortfall`` ``Σ u[s,d,t]``, unit-years missing
- ``budget``    ``Σ_t Σ_p N[p,t]``, MSEK paid inside the horizon (undiscounted)
- ``debt``      ``max_t D[t]``, MSEK (0 without debt rules)
- ``score``     ``Σ_p points_p·S[p,yN]``, points: a candidate's points are the weights of the
                ``[[criteria]]`` goals that name one of its tags or its district
"""

from __future__ import annotations

from collections.abc import Mapping

from optimizer.check.facts import Violation, _Facts, _num
from optimizer.plan import Plan
from optimizer.scenario import Scenario

# A floor for the score, a ceiling for the others (docs/model.md, Modes).
FLOORS = ("score",)
# The kinds check_tradeoffs reports (check_plan's are CONSTRAINT_KINDS).
TRADEOFF_KINDS = (
    "frontier_co2e",  # Σ_t E_proj[t] ≤ ε
    "frontier_shortfall",  # Σ u ≤ ε
    "frontier_budget",  # Σ_t Σ_p N[p,t] ≤ ε
    "frontier_debt",  # max_t D[t] ≤ ε
    "frontier_score",  # Σ_p points_p·S[p,yN] ≥ ε
    "near_optimal_cost",  # an alternative's objective ≤ optimum + slack
)


def _points(scenario: Scenario) -> dict[str, float]:
    out = {}
    for c in scenario.candidates:
        out[c.id] = sum(
            goal.weight
            for goal in scenario.settings.criteria
            if set(c.tags) & set(goal.tags) or c.district in goal.districts
        )
    return out


def plan_measures(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """Every measure a frontier can limit, recomputed from the plan's decisions."""
    facts = _Facts(scenario, plan, 0.0)
    points = _points(scenario)
    return {
        "co2e": float(facts.project_co2e.sum()),
        "shortfall": float(facts.shortfall["shortfall"].sum()),
        "budget": float(facts.net_spend.to_numpy().sum()),
        "debt": float(facts.debt.max()) if len(facts.debt) else 0.0,
        "score": float(sum(points[p] * facts.started_by_end[p] for p in facts.ids)),
    }


def check_tradeoffs(
    scenario: Scenario,
    plan: Plan,
    limits: Mapping[str, float],
    cost_limit: float | None = None,
    tolerance: float = 1e-6,
) -> list[Violation]:
    """The limits a frontier point was solved under, and an alternative's cost slack (the plan's
    objective is checked against the recomputed one by ``check_plan``)."""
    facts = _Facts(scenario, plan, tolerance)
    measured = plan_measures(scenario, plan) if limits else {}
    out = []
    for measure, limit in limits.items():
        value = measured[measure]
        broken = facts.over(limit, value) if measure in FLOORS else facts.over(value, limit)
        if broken:
            side = "below the floor" if measure in FLOORS else "above the limit"
            out.append(
                Violation(
                    f"frontier_{measure}",
                    value - limit,
                    f"{measure} {_num(value)} is {side} {_num(limit)} of this frontier point",
                )
            )
    if (
        cost_limit is not None
        and plan.objective is not None
        and facts.over(plan.objective, cost_limit)
    ):
        out.append(
            Violation(
                "near_optimal_cost",
                plan.objective - cost_limit,
                f"cost {_num(plan.objective)} exceeds the alternatives' limit {_num(cost_limit)}",
            )
        )
    return out
