"""Debt (MODEL.md §4.3): what self-financing does not cover is borrowed.

    D[t] − D[t−1] − Σ_{p∈debt pools} net spend[p,t] ≥ −selffinancing[t]     (debt[t]; MSEK)
    D[t] ≤ ceiling[t]                                                     (debt_ceiling[t])

with D[y0−1] = opening debt and D ≥ 0. Interest rate·D[t] is a cost (objective). The inequality
lets a surplus of self-financing repay debt down to zero; the model never keeps more debt than
it must because interest is priced.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.budget import net_spend_terms
from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions


def add_debt(dec: Decisions) -> np.ndarray | None:
    data, model = dec.data, dec.model
    debt = data.scenario.settings.debt
    if debt is None:
        return None
    years = [int(y) for y in data.years]
    policy = {p.year: p for p in data.scenario.policy_years}
    self_financing = np.array([policy[y].self_financing if y in policy else 0.0 for y in years])
    keys = [(y,) for y in years]
    cols = model.add_columns("debt", keys, 0.0, INF, 0.0)
    lower = -self_financing.copy()
    lower[0] += debt.opening
    rows = model.add_rows("debt", keys, lower, INF)
    model.add_terms(rows, cols, 1.0)
    model.add_terms(rows[1:], cols[:-1], -1.0)
    pools = set(debt.pools) or set(data.pools)
    start, year, amount = net_spend_terms(dec)
    in_pool = np.isin(
        np.array(data.pools, dtype=object)[data.pool[data.start_candidate[start]]], list(pools)
    )
    model.add_terms(rows[year[in_pool] - years[0]], dec.x[start[in_pool]], -amount[in_pool])
    capped = [(y,) for y in years if y in policy and policy[y].debt_ceiling is not None]
    if capped:
        c_rows = model.add_rows(
            "debt_ceiling", capped, -INF, np.array([policy[y].debt_ceiling for (y,) in capped])
        )
        model.add_terms(c_rows, cols[[y - years[0] for (y,) in capped]], 1.0)
    return cols
