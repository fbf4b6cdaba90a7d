"""Budgets (docs/model.md, Constraints: budget): spend per funding pool and year within the ceiling.

    Σ_{p∈pool} (1−grant[p])·capex[p]·profile[p,j]·x[p,t−j] + c[pool,t] − c[pool,t−1]
                                              ≤ B[pool,t] − O[pool,t]   (budget[pool,t]; MSEK)
    Σ_{p∈dept} (same net spend)               ≤ B[dept,t] − O[dept,t]   (department_budget[dept,t])

O is the other investment of the whole frame (table other_investments): a fixed load, so a
ceiling means the whole frame, as in the kommun's own budget (docs/model.md). A pool with other
investment but no candidate still gets its rows: the frame must fit its ceiling.

c ≥ 0 is unspent budget carried into the next year (only for pools with carry_over; capped by
carry_over_cap); grants reduce what the pool pays.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions


def net_spend_terms(dec: Decisions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start position, year, MSEK the pool pays) for every build year of every start."""
    d = dec.data
    return dec.spend_terms(d.capex * (1.0 - d.grant))


def add_budgets(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    limits = data.limits
    years = [int(y) for y in data.years]
    other = data.money.other_pool
    used = sorted(set(np.asarray(data.pool).tolist()) | set(np.flatnonzero(other.any(axis=1))))
    pools = [data.pools[i] for i in used]
    if not pools:
        return
    keys = [(p, y) for p in pools for y in years]
    upper = np.nan_to_num(limits.pool_budget[used].ravel(), nan=INF) - other[used].ravel()
    rows = model.add_rows("budget", keys, -INF, upper)
    start, year, amount = net_spend_terms(dec)
    # rows are pool-major over the used pools: row of (pool position, year) by arithmetic
    row_of_pool = np.full(len(data.pools), -1, dtype=np.int64)
    row_of_pool[used] = rows[0] + np.arange(len(used)) * len(years)
    target = row_of_pool[data.pool[data.start_candidate[start]]] + (year - years[0])
    model.add_terms(target, dec.x[start], amount)

    carrying = [i for i in used if data.carry_over[i]]
    if carrying:
        c_keys = [(data.pools[i], y) for i in carrying for y in years]
        caps = np.nan_to_num(np.repeat(data.carry_over_cap[carrying], len(years)), nan=INF)
        cols = model.add_columns("carry_over", c_keys, 0.0, caps)
        own = np.repeat(row_of_pool[carrying], len(years)) + np.tile(
            np.arange(len(years)), len(carrying)
        )
        model.add_terms(own, cols, 1.0)
        # what is carried out of year t is spendable in year t+1 (nothing after the horizon)
        has_next = np.tile(np.arange(len(years)) < len(years) - 1, len(carrying))
        model.add_terms(own[has_next] + 1, cols[has_next], -1.0)

    dept_ceiling = limits.department_budget
    dept, k = limits.department_budget_order
    if dept.size:
        d_keys = [(data.departments[d], years[j]) for d, j in zip(dept, k, strict=True)]
        d_upper = dept_ceiling[dept, k] - data.money.other_department[dept, k]
        d_rows = model.add_rows("department_budget", d_keys, -INF, d_upper)
        d_row_of = np.full(dept_ceiling.shape, -1, dtype=np.int64)
        d_row_of[dept, k] = d_rows
        target = d_row_of[data.department[data.start_candidate[start]], year - years[0]]
        ok = target >= 0
        model.add_terms(target[ok], dec.x[start[ok]], amount[ok])
