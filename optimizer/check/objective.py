"""The objective recomputed from the decisions, term by term, and its check against the plan's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.check.assets import closure_costs
from optimizer.check.duties import emergency_use
from optimizer.check.facts import (
    OBJECTIVE_ATOL,
    OBJECTIVE_RTOL,
    Violation,
    _Facts,
    _num,
)
from optimizer.check.finance import real_interest


def _objective_terms(facts: _Facts) -> dict[str, float]:
    """Present value by cost kind and the total; formulas in ``recompute_objective``."""
    scenario, years = facts.scenario, facts.years
    info = scenario.settings.scenario
    discount = pd.Series(
        [(1.0 + info.discount_rate) ** -(t - facts.y0) for t in years], index=years
    )

    def present_value(per_year: pd.Series) -> float:
        return float((per_year.reindex(years, fill_value=0.0) * discount).sum())

    capex = present_value(facts.net_spend.sum())
    opex = present_value(facts.in_service.mul(facts.attribute("opex"), axis=0).sum())

    rows = facts.matched_shortfall
    rows = rows.loc[rows["matched"]]
    cost = rows["service"].map(lambda s: scenario.service_by_id[s].shortfall_cost)
    shortfall = present_value((rows["shortfall"] * cost.astype(float)).groupby(rows["year"]).sum())

    rules = scenario.settings.debt
    interest = present_value(real_interest(facts) * facts.debt) if rules is not None else 0.0
    price = scenario.settings.climate.carbon_price_sek_per_t / 1e6  # MSEK per tonne
    carbon = present_value(price * facts.project_co2e)

    lead, life = facts.attribute("lead_time"), facts.attribute("lifetime")
    per_unit = (1 - facts.attribute("grant_share")) * facts.attribute("capex")
    start_years = facts.axis[None, :]
    left = np.clip(start_years + lead[:, None] + life[:, None] - 1 - facts.yN, 0, life[:, None])
    # share of a unit's capex paid inside y0..yN by a start in each axis year: salvage is
    # credited only on what the plan paid (docs/model.md, objective); 1 exactly when the whole
    # profile falls inside, as the profile's shares sum to 1 only within a tolerance
    paid_inside = np.zeros_like(facts._n)
    for i, candidate in enumerate(scenario.candidates):
        profile = scenario.spend_profile(candidate)
        for j, fraction in enumerate(profile):
            spent_in = facts.axis + j
            paid_inside[i] += fraction * ((spent_in >= facts.y0) & (spent_in <= facts.yN))
        wholly_inside = (facts.axis >= facts.y0) & (facts.axis + len(profile) - 1 <= facts.yN)
        paid_inside[i, wholly_inside] = 1.0
    salvage_factor = (1.0 + info.discount_rate) ** -(facts.yN + 1 - facts.y0)
    salvage = float(
        (facts._n * paid_inside * per_unit[:, None] * left / life[:, None]).sum() * salvage_factor
    )

    closure, asset_opex = closure_costs(facts, discount)
    used = emergency_use(facts)
    emergency = present_value((used["units"] * used["cost"]).groupby(used["year"]).sum())

    cost_total = (
        capex + opex + shortfall + interest + carbon + closure + asset_opex + emergency - salvage
    )
    if info.objective == "value":
        value = float((facts.started_by_end * facts.attribute("value")).sum())
        total = -value + info.value_cost_weight * cost_total
    else:
        value, total = 0.0, cost_total
    return {
        "capex": capex,
        "opex": opex,
        "shortfall": shortfall,
        "interest": interest,
        "carbon": carbon,
        "salvage": salvage,
        "closure": closure,
        "asset_opex": asset_opex,
        "emergency": emergency,
        "value": value,
        "total": total,
    }


def _check_objective(facts: _Facts) -> list[Violation]:
    """``|total − plan.objective| ≤ OBJECTIVE_RTOL·|plan.objective| + OBJECTIVE_ATOL`` (MSEK)."""
    claimed = facts.plan.objective
    if claimed is None:
        return []
    terms = _objective_terms(facts)
    difference = abs(terms["total"] - claimed)
    if difference <= OBJECTIVE_RTOL * abs(claimed) + OBJECTIVE_ATOL:
        return []
    mode = facts.scenario.settings.scenario.objective
    parts = ", ".join(f"{k} {_num(v)}" for k, v in terms.items() if k != "total")
    return [
        Violation(
            "objective",
            difference,
            f"the plan's objective {_num(claimed)} MSEK ({facts.plan.objective_mode} mode) differs "
            f"from the recomputed {_num(terms['total'])} MSEK ({mode} mode: {parts}) by "
            f"{_num(difference)} MSEK",
        )
    ]
