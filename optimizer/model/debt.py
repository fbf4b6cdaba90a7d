"""Debt (docs/model.md, Constraints: debt): what self-financing does not cover is borrowed.

Without [finance] (the fallback for scenarios written before it; docs/model.md):

    D[t] − D[t−1] − Σ_{p∈debt pools} net spend[p,t] ≥ O_debt[t] − selffinancing[t]
                                                                          (debt[t]; MSEK)
With [finance], self-financing is the year's cash flow from the result, R[t] + Dep[t], added
to the same rows by ``optimizer.model.finance``:

    D[t] − D[t−1] − Σ net spend[p,t] + R[t] + Σ_p dep[p]·I[p,t] ≥ O_debt[t] − Dep0[t] − DepO[t]

and in both forms D[t] ≤ ceiling[t] (debt_ceiling[t], the net debt ceiling), with
D[y0−1] = opening debt and D ≥ 0; O_debt is the other investment of the debt-financed pools.
Interest is a cost: r[t]·df[t]·D[t] (kind ``interest``, r the real rate per year). The
inequality lets a surplus repay debt down to zero; the model never keeps more debt than it
must because interest is priced.
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
    limits = data.limits
    years = [int(y) for y in data.years]
    keys = [(y,) for y in years]
    cols = model.add_columns("debt", keys, 0.0, INF)
    dec.add_cost("interest", cols, data.money.interest_rate * data.discount)
    money = data.money
    lower = money.other_financed - limits.self_financing
    if money.finance:
        lower = lower - money.existing_depreciation - money.other_depreciation
    lower[0] += debt.opening
    rows = model.add_rows("debt", keys, lower, INF)
    model.add_terms(rows, cols, 1.0)
    model.add_terms(rows[1:], cols[:-1], -1.0)
    start, year, amount = net_spend_terms(dec)
    in_pool = data.debt_financed[data.pool[data.start_candidate[start]]]
    model.add_terms(rows[year[in_pool] - years[0]], dec.x[start[in_pool]], -amount[in_pool])
    capped = np.flatnonzero(~np.isnan(limits.debt_ceiling))
    if capped.size:
        c_rows = model.add_rows(
            "debt_ceiling", [(years[k],) for k in capped], -INF, limits.debt_ceiling[capped]
        )
        model.add_terms(c_rows, cols[capped], 1.0)
    return cols
