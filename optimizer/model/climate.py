"""CO2e (MODEL.md §4.7): embodied emissions spread like capex, operational while in service.

    E[t] = Σ_p embodied[p]·profile[p,j]·x[p,t−j] + Σ_p op[p]·inservice[p,t]
    E[t] ≤ cap[t] − existing[t]                              (co2e_cap[t]; tonnes)
    Σ_t E[t] ≤ budget − Σ_t existing[t]                      (co2e_budget; tonnes)

The carbon price (objective) applies to E, the emissions the plan causes.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions


def emission_terms(dec: Decisions, rows_by_year: dict[int, int]) -> None:
    """Add E[t] to the row of each year t in ``rows_by_year``."""
    data = dec.data
    start, year, amount = dec.spend_terms(data.embodied)
    target = np.array([rows_by_year.get(int(y), -1) for y in year], dtype=np.int64)
    ok = target >= 0
    dec.model.add_terms(target[ok], dec.x[start[ok]], amount[ok])
    emitting = np.flatnonzero(data.operational_co2e != 0)
    years = np.array(sorted(rows_by_year))
    cand = np.repeat(emitting, len(years))
    t = np.tile(years, len(emitting))
    rows = np.array([rows_by_year[int(y)] for y in t], dtype=np.int64)
    dec.in_service(rows, cand, t, data.operational_co2e[cand])


def add_climate(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    scenario = data.scenario
    years = [int(y) for y in data.years]
    policy = {p.year: p for p in scenario.policy_years}
    existing = {y: policy[y].existing_co2e_t if y in policy else 0.0 for y in years}
    capped = [y for y in years if y in policy and policy[y].co2e_cap_t is not None]
    if capped:
        rows = model.add_rows(
            "co2e_cap",
            [(y,) for y in capped],
            -np.inf,
            np.array([policy[y].co2e_cap_t - existing[y] for y in capped]),
        )
        emission_terms(dec, dict(zip(capped, rows, strict=True)))
    budget = scenario.settings.climate.cumulative_budget_t
    if budget is not None:
        row = model.add_rows("co2e_budget", [()], -np.inf, budget - sum(existing.values()))[0]
        emission_terms(dec, {y: row for y in years})
