"""CO2e (docs/model.md, Constraints: climate): embodied emissions spread like capex, operational while in service.

    E[t] = Σ_p embodied[p]·profile[p,j]·x[p,t−j] + Σ_p op[p]·inservice[p,t]
    E[t] ≤ cap[t] − existing[t]                              (co2e_cap[t]; tonnes)
    Σ_t E[t] ≤ budget − Σ_t existing[t]                      (co2e_budget; tonnes)

The carbon price (objective) applies to E, the emissions the plan causes.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions


def emission_terms(dec: Decisions, row_of_year: np.ndarray) -> None:
    """Add E[t] to row ``row_of_year[k]`` of each horizon year k (−1: no row that year)."""
    data = dec.data
    y0 = int(data.years[0])
    start, year, amount = dec.spend_terms(data.embodied)
    target = row_of_year[year - y0]
    ok = target >= 0
    dec.model.add_terms(target[ok], dec.x[start[ok]], amount[ok])
    emitting = np.flatnonzero(data.operational_co2e != 0)
    years = data.years[row_of_year >= 0]
    cand = np.repeat(emitting, len(years))
    t = np.tile(years, len(emitting))
    dec.in_service(row_of_year[t - y0], cand, t, data.operational_co2e[cand])


def add_climate(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    limits = data.limits
    years = [int(y) for y in data.years]
    capped = np.flatnonzero(~np.isnan(limits.co2e_cap))
    if capped.size:
        rows = model.add_rows(
            "co2e_cap",
            [(years[k],) for k in capped],
            -np.inf,
            limits.co2e_cap[capped] - limits.existing_co2e[capped],
        )
        row_of_year = np.full(len(years), -1, dtype=np.int64)
        row_of_year[capped] = rows
        emission_terms(dec, row_of_year)
    budget = data.scenario.settings.climate.cumulative_budget_t
    if budget is not None:
        existing = sum(limits.existing_co2e.tolist())  # Python's sum, as before the arrays
        row = model.add_rows("co2e_budget", [()], -np.inf, budget - existing)[0]
        emission_terms(dec, np.full(len(years), row, dtype=np.int64))
