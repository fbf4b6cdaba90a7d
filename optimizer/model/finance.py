"""The operating side and the targets of god ekonomisk hushållning (docs/model.md, finance).

Only with [finance] (which needs [debt]). The scope is the debt-financed pools (``debt.pools``;
all when empty): their candidates' opex and depreciation, their other investment. MSEK, fixed
prices, per horizon year t; I[p,t] units of p in service; r[t] the real interest rate:

    R[t] + Σ_{p∈scope} (opex[p] + dep[p])·I[p,t] + r[t]·D[t]
        = Rev[t] − NetCost[t] − Dep0[t] − DepO[t]                    (result[t]; = ; R free)
    dep[p] = (1−grant[p])·capex[p] / life[p]   (straight line from the in-service year)

The year's cash flow R[t] + Dep[t] (Dep = Σ dep·I + Dep0 + DepO) finances the investment: it is
added to the debt rows (``optimizer.model.debt``). Optional limits:

    R[t] ≥ share·Rev[t]                                          (balance[t]; balance requirement)
    R[t] + Dep[t] ≥ sf·(Σ_{p∈scope} net spend[p,t] + O_debt[t])   (self_financing_rate[t])
    Σ_t (R[t] + Dep[t]) ≥ sf_period·Σ_t (investment[t])           (period_self_financing)
    D[t] ≤ debt_per_inhabitant·inhabitants[t]/1e6                (debt_per_inhabitant[t])

Nothing here adds to the objective: revenue and existing costs are constants, opex and
interest are already there (kinds ``opex`` and ``interest``), and depreciation is the capex
(kind ``capex``) spread over the life, so counting it again would count the investment twice.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.budget import net_spend_terms
from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions

MSEK_PER_SEK = 1e-6


def depreciation_per_unit(dec: Decisions) -> np.ndarray:
    """dep[p] = (1−grant)·capex/life, MSEK per year and unit in service (0 outside the scope)."""
    d = dec.data
    in_scope = d.debt_financed[d.pool]
    return np.where(in_scope, d.capex * (1.0 - d.grant) / d.life, 0.0)


def add_finance(dec: Decisions) -> np.ndarray | None:
    data, model = dec.data, dec.model
    finance = data.scenario.settings.finance
    if finance is None or "debt" not in model.col_blocks:
        return None
    money = data.money
    years = [int(y) for y in data.years]
    keys = [(y,) for y in years]
    k = np.arange(len(years))
    debt_cols = model.col_blocks["debt"].start + k
    result = model.add_columns("result", keys, -INF, INF)
    fixed_depreciation = money.existing_depreciation + money.other_depreciation
    constant = money.revenue - money.net_cost - fixed_depreciation
    rows = model.add_rows("result", keys, constant, constant)
    model.add_terms(rows, result, 1.0)
    model.add_terms(rows, debt_cols, money.interest_rate)
    cand = np.arange(data.n_candidates)
    in_scope = data.debt_financed[data.pool]
    dep = depreciation_per_unit(dec)
    per_unit = np.where(in_scope, data.opex, 0.0) + dep
    served = np.flatnonzero(per_unit != 0.0)
    own_rows = np.repeat(rows, len(served))
    dec.in_service(
        own_rows,
        np.tile(cand[served], len(years)),
        np.repeat(years, len(served)),
        np.tile(per_unit[served], len(years)),
    )

    def add_cash_flow(target_rows: np.ndarray, at: np.ndarray, scale: float = 1.0) -> None:
        """scale·(R[t] + Σ dep·I[p,t]) on each row, t = years[at]."""
        model.add_terms(target_rows, result[at], scale)
        has_dep = np.flatnonzero(dep != 0.0)
        dec.in_service(
            np.repeat(target_rows, len(has_dep)),
            np.tile(has_dep, len(at)),
            np.repeat(np.asarray(years)[at], len(has_dep)),
            np.tile(scale * dep[has_dep], len(at)),
        )

    add_cash_flow(model.row_blocks["debt"].start + k, k)  # the cash flow repays debt

    start, year, amount = net_spend_terms(dec)
    financed = data.debt_financed[data.pool[data.start_candidate[start]]]
    start, year, amount = start[financed], year[financed], amount[financed]

    if finance.result_target_share is not None:
        b_rows = model.add_rows("balance", keys, finance.result_target_share * money.revenue, INF)
        model.add_terms(b_rows, result, 1.0)
    rate = finance.self_financing_rate
    if rate is not None:
        s_rows = model.add_rows(
            "self_financing_rate", keys, rate * money.other_financed - fixed_depreciation, INF
        )
        add_cash_flow(s_rows, k)
        model.add_terms(s_rows[year - years[0]], dec.x[start], -rate * amount)
    rate = finance.period_self_financing_rate
    if rate is not None:
        lower = rate * money.other_financed.sum() - fixed_depreciation.sum()
        p_row = model.add_rows("period_self_financing", [()], lower, INF)
        add_cash_flow(np.repeat(p_row, len(years)), k)
        model.add_terms(np.repeat(p_row, len(start)), dec.x[start], -rate * amount)
    if finance.debt_per_inhabitant is not None:
        cap = finance.debt_per_inhabitant * money.inhabitants * MSEK_PER_SEK
        d_rows = model.add_rows("debt_per_inhabitant", keys, -INF, cap)
        model.add_terms(d_rows, debt_cols, 1.0)
    return result
