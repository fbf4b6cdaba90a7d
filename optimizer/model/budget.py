"""Budgets (MODEL.md §4.2): spend per funding pool and year within the ceiling.

    Σ_{p∈pool} (1−grant[p])·capex[p]·profile[p,j]·x[p,t−j] + c[pool,t] − c[pool,t−1] ≤ B[pool,t]
                                                                     (budget[pool,t]; MSEK)
    Σ_{p∈dept} (same net spend)                         ≤ B[dept,t]  (department_budget[dept,t])

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
    scenario = data.scenario
    years = [int(y) for y in data.years]
    ceilings = {(b.pool, b.year): b.ceiling for b in scenario.budgets}
    used = sorted(set(np.asarray(data.pool).tolist()))
    pools = [data.pools[i] for i in used]
    if not pools:
        return
    keys = [(p, y) for p in pools for y in years]
    upper = np.array([ceilings.get(k, INF) for k in keys])
    rows = model.add_rows("budget", keys, -INF, upper)
    row_of = {k: r for k, r in zip(keys, rows, strict=True)}
    start, year, amount = net_spend_terms(dec)
    pool_name = np.array(data.pools, dtype=object)[data.pool[data.start_candidate[start]]]
    target = np.array(
        [row_of[(p, int(y))] for p, y in zip(pool_name, year, strict=True)], dtype=np.int64
    )
    model.add_terms(target, dec.x[start], amount)

    carrying = [p for p in scenario.settings.pools if p.carry_over and p.id in pools]
    if carrying:
        c_keys = [(p.id, y) for p in carrying for y in years]
        caps = [
            INF if p.carry_over_cap is None else p.carry_over_cap for p in carrying for _ in years
        ]
        cols = model.add_columns("carry_over", c_keys, 0.0, np.array(caps), 0.0)
        model.add_terms(np.array([row_of[k] for k in c_keys]), cols, 1.0)
        nxt = [(i, (p, y + 1)) for i, (p, y) in enumerate(c_keys) if y + 1 <= years[-1]]
        model.add_terms(np.array([row_of[k] for _, k in nxt]), cols[[i for i, _ in nxt]], -1.0)

    dept_ceilings = [
        (b.department, b.year, b.ceiling) for b in scenario.department_budgets if b.year in years
    ]
    if dept_ceilings:
        d_keys = [(d, y) for d, y, _ in dept_ceilings]
        d_rows = model.add_rows(
            "department_budget", d_keys, -INF, np.array([c for *_, c in dept_ceilings])
        )
        d_row_of = {k: r for k, r in zip(d_keys, d_rows, strict=True)}
        dept_name = np.array(data.departments, dtype=object)[
            data.department[data.start_candidate[start]]
        ]
        target = np.array(
            [d_row_of.get((d, int(y)), -1) for d, y in zip(dept_name, year, strict=True)]
        )
        ok = target >= 0
        model.add_terms(target[ok], dec.x[start[ok]], amount[ok])
