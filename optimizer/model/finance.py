"""The operating side and the targets of god ekonomisk hushållning (docs/model.md, finance).

Only with [finance] (which needs [debt]). The scope is the debt-financed pools (``debt.pools``;
all when empty): their candidates' opex and depreciation, their other investment. MSEK, fixed
prices, per horizon year t; I[p,t] units of p in service; r[t] the real interest rate:

    R[t] + Σ_{p∈scope} (opex[p] + dep[p])·I[p,t] + r[t]·D[t] + Closures[t] + Emergency[t]
        = Rev[t] − NetCost[t] − Dep0[t] − DepO[t]                    (result[t]; = ; R free)
    Closures[t] = Σ_a closure_cost[a]·(z[a,t] + w[a]·[t = R_a]) − Σ_a opex[a]·Σ_{y≤t<R_a} z[a,y]
    Emergency[t] = Σ_o cost[o]·e[o,t]      (assets and options of the scope's services)
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

    _closures_and_emergency(dec, rows)

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


def _closures_and_emergency(dec: Decisions, rows: np.ndarray) -> None:
    """The plan's other operating money flows on result[t] (docs/model.md, finance), for the
    services in the scope (``Scenario.in_finance_scope``), as the objective prices them:
    + closure_cost·z[a,y] in y and + closure_cost·w[a] in R (demolition and evacuation are
    operating costs of the year, not investment); − opex_a·z[a,y] in every year from y to
    R − 1 (the running cost an early closure saves); + cost_o·e[o,t] in t (rented pavilions,
    bought places and transport are bought services)."""
    data, model = dec.data, dec.model
    scenario = data.scenario
    y0, year_n = int(data.years[0]), int(data.years[-1])
    target, cols, coefs = [], [], []
    early = model.col_blocks.get("closure")
    for i, (asset_id, y) in enumerate(early.keys if early else []):
        a = scenario.asset_by_id[asset_id]
        if not scenario.in_finance_scope(a.service):
            continue
        end = year_n + 1 if a.retirement_year is None else min(a.retirement_year, year_n + 1)
        saved = range(int(y), end)
        target += [y - y0, *(t - y0 for t in saved)]
        cols += [early.start + i] * (1 + len(saved))
        coefs += [a.closure_cost, *([-a.opex] * len(saved))]
    at_end = model.col_blocks.get("closes_at_end")
    for i, (asset_id,) in enumerate(at_end.keys if at_end else []):
        a = scenario.asset_by_id[asset_id]
        if scenario.in_finance_scope(a.service):
            target.append(a.retirement_year - y0)
            cols.append(at_end.start + i)
            coefs.append(a.closure_cost)
    emergency = model.col_blocks.get("emergency")
    options = {o.id: o for o in scenario.emergency_options}
    for i, (option_id, t) in enumerate(emergency.keys if emergency else []):
        o = options[option_id]
        if scenario.in_finance_scope(o.service):
            target.append(t - y0)
            cols.append(emergency.start + i)
            coefs.append(o.cost)
    if cols:
        model.add_terms(rows[np.array(target)], np.array(cols), np.array(coefs, dtype=float))
