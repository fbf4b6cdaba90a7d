"""The independent plan checker: recompute every constraint from the scenario and a plan (docs/model.md).

Nothing here reads the model or the solver. Every quantity is rebuilt in plain pandas/numpy from
the plan's decisions (``starts``, ``shortfall``, ``transfers``, ``carry_over``, ``debt``) and the
validated ``Scenario``, so a bug in the model shows up as a named violation here.

Notation (years ``y0 … yN`` of the horizon; candidate ``p`` with lead time ``L``, lifetime ``T``,
spend profile ``f_j``, capex ``C``, grant share ``g``; ``n[p,y]`` units started in year ``y``):

- started by:          ``S[p,t] = Σ_{y ≤ t} n[p,y]``
- in service:          ``I[p,t] = S[p,t−L] − S[p,t−L−T]``
- under construction:  ``U[p,t] = S[p,t] − S[p,t−L]``  (never when ``L = 0``)
- spend share:         ``F[p,t] = Σ_j f_j·n[p,t−j]``  (units' worth of capex spent in ``t``)
- net spend:           ``N[p,t] = (1−g)·C·F[p,t]``  (MSEK the funding pool pays)

A ``≤`` constraint ``lhs ≤ rhs`` is violated when ``lhs − rhs > tolerance·max(1, |rhs|)``
(``≥`` likewise); the violation's ``amount`` is ``lhs − rhs`` in the constraint's own unit.

Use ``check_plan(scenario, plan)`` for the violations and ``recompute_objective(scenario, plan)``
for the present value of each cost kind.
"""

from __future__ import annotations

from optimizer.check.assets import _check_assets
from optimizer.check.choice import _check_exclusive, _check_must_do, _check_precedence
from optimizer.check.climate import _check_co2e
from optimizer.check.coverage import _check_coverage, _check_transfers
from optimizer.check.decisions import _check_decisions
from optimizer.check.delivery import _check_delivery
from optimizer.check.duties import _check_duties, _check_emergency
from optimizer.check.facts import (
    CONSTRAINT_KINDS,
    OBJECTIVE_ATOL,
    OBJECTIVE_RTOL,
    Violation,
    _Facts,
)
from optimizer.check.finance import _check_finance
from optimizer.check.horizon_end import _check_terminal
from optimizer.check.money import (
    _check_budgets,
    _check_carry_over,
    _check_debt,
    _check_department_budgets,
)
from optimizer.check.objective import _check_objective, _objective_terms
from optimizer.check.stability import stability_changes
from optimizer.check.staff import _check_staff
from optimizer.check.tradeoff import check_tradeoffs, plan_measures
from optimizer.plan import Plan
from optimizer.scenario import Scenario

__all__ = [
    "CONSTRAINT_KINDS",
    "OBJECTIVE_ATOL",
    "OBJECTIVE_RTOL",
    "Violation",
    "check_plan",
    "check_tradeoffs",
    "plan_measures",
    "recompute_objective",
    "stability_changes",
]


def check_plan(scenario: Scenario, plan: Plan, tolerance: float = 1e-6) -> list[Violation]:
    """Every constraint of docs/model.md the plan violates, recomputed from its decisions.

    The objective is compared too (``objective``), when the plan has one, with a relative
    tolerance of ``OBJECTIVE_RTOL`` plus an absolute ``OBJECTIVE_ATOL`` MSEK.
    """
    facts = _Facts(scenario, plan, tolerance)
    violations: list[Violation] = []
    for block in (
        _check_decisions,
        _check_coverage,
        _check_transfers,
        _check_assets,
        _check_emergency,
        _check_duties,
        _check_terminal,
        _check_budgets,
        _check_carry_over,
        _check_department_budgets,
        _check_debt,
        _check_finance,
        _check_precedence,
        _check_exclusive,
        _check_must_do,
        _check_co2e,
        _check_staff,
        _check_delivery,
        _check_objective,
    ):
        violations += block(facts)
    return violations


def recompute_objective(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """Present value (MSEK) of each cost kind, and ``total``: the objective the model minimises.

    With ``df[t] = (1+r)^−(t−y0)`` and only horizon years counted::

        capex    = Σ_t df[t]·Σ_p N[p,t]
        opex     = Σ_t df[t]·Σ_p opex_p·I[p,t]
        shortfall= Σ_t df[t]·Σ_{s,d} shortfall_cost_s·u[s,d,t]
        interest = Σ_t df[t]·r[t]·D[t]      (only with debt rules; r real, check/finance.py)
        carbon   = Σ_t df[t]·carbon_price/1e6·E_proj[t]           (SEK/t → MSEK/t)
        closure  = Σ_a closure_cost_a·df[year a closes]             (check.assets)
        asset_opex = −Σ_a opex_a·Σ_{t ≥ y, t < R_a, t ≤ yN} df[t]   (a closed early in y)
        emergency = Σ_t df[t]·Σ_o cost_o·e[o,t]
        salvage  = Σ_p Σ_y n[p,y]·(1−g)·C·P[p,y]·clip(y+L+T−1−yN, 0, T)/T · df[yN+1]
                   with P[p,y] = Σ_{j: y0 ≤ y+j ≤ yN} f_j, the share paid inside the horizon
                   (1 when every spend year y+j falls inside it)
        cost     = capex + opex + shortfall + interest + carbon + closure + asset_opex
                   + emergency − salvage

    Cost mode: ``total = cost``, ``value = 0``. Value mode: ``value = Σ_p value_p·S[p,yN]``
    and ``total = −value + value_cost_weight·cost``. The cost terms are always unweighted.
    """
    return _objective_terms(_Facts(scenario, plan, 0.0))
