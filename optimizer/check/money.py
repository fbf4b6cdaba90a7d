"""Money checks: pool budgets with carry-over, department ceilings, debt and its ceiling (MSEK)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.check.facts import (
    Violation,
    _Facts,
    _num,
)
from optimizer.check.finance import figures, other_investment


def _carry_over_matrix(facts: _Facts, pools: list[str]) -> pd.DataFrame:
    """``c[pool,t]`` from the plan, pools × horizon years (missing: 0)."""
    rows = facts.carry_over_rows
    matrix = rows.pivot_table(index="pool", columns="year", values="carry_over", aggfunc="sum")
    return matrix.reindex(index=pools, columns=facts.years, fill_value=0.0).fillna(0.0)


def _check_budgets(facts: _Facts) -> list[Violation]:
    """Per pool and year: ``Σ_{p∈pool} N[p,t] + O[pool,t] + c[pool,t] ≤ B[pool,t] + c[pool,t−1]``.

    ``c[pool,y0−1] = 0``; ``B`` is the scenario's ceiling (budget_factor applied; missing: 0);
    ``O`` the other investment of the whole frame (other_investments).
    """
    scenario, years = facts.scenario, facts.years
    pools = [pool.id for pool in scenario.settings.pools]
    other = other_investment(facts, "pool").reindex(index=pools, fill_value=0.0)
    spend = facts.by_group(facts.net_spend, facts.pool_of(), pools) + other
    ceiling = pd.DataFrame(0.0, index=pools, columns=years)
    for r in scenario.budgets:
        if r.pool in ceiling.index and r.year in ceiling.columns:
            ceiling.loc[r.pool, r.year] = r.ceiling
    carry = _carry_over_matrix(facts, pools)
    carried_in = carry.shift(1, axis=1, fill_value=0.0)
    lhs, rhs = spend + carry, ceiling + carried_in
    lhs, rhs = lhs.loc[pools, years], rhs.loc[pools, years]
    out: list[Violation] = []
    # the violated cells, pool by pool and year by year
    for i, k in zip(*np.nonzero(facts.over(lhs.to_numpy(), rhs.to_numpy())), strict=True):
        pool, t = pools[i], years[k]
        amount = lhs.iloc[i, k] - rhs.iloc[i, k]
        message = (
            f"pool {pool}: net spend {_num(spend.loc[pool, t])} MSEK (other investment "
            f"{_num(other.loc[pool, t])} of it) plus "
            f"{_num(carry.loc[pool, t])} MSEK carried to {t + 1} exceeds the {t} "
            f"ceiling {_num(ceiling.loc[pool, t])} MSEK plus "
            f"{_num(carried_in.loc[pool, t])} MSEK carried from {t - 1} by {_num(amount)} MSEK"
        )
        out.append(Violation(f"budget[{pool},{t}]", amount, message, key=("budget", pool, t)))
    return out


def _check_carry_over(facts: _Facts) -> list[Violation]:
    """``0 ≤ c[pool,t] ≤ carry_over_cap``; ``c = 0`` when the pool does not carry over.

    Rows for unknown pools or years outside the horizon are violations too.
    """
    scenario, tol = facts.scenario, facts.tolerance
    out: list[Violation] = []
    for row in facts.carry_over_rows.itertuples(index=False):
        pool = scenario.pool_by_id.get(row.pool)
        name = f"carry_over[{row.pool},{row.year}]"
        what = f"carry-over {_num(row.carry_over)} MSEK of pool {row.pool} from {row.year}"
        if pool is None or row.year not in facts.years:
            if abs(row.carry_over) > tol:
                why = "unknown pool" if pool is None else "year outside the horizon"
                out.append(Violation(name, abs(row.carry_over), f"{what}: {why}"))
        elif row.carry_over < -tol:
            out.append(Violation(name, -row.carry_over, f"{what}: it must be ≥ 0"))
        elif not pool.carry_over and row.carry_over > tol:
            out.append(
                Violation(name, row.carry_over, f"{what}: the pool does not allow carry-over")
            )
        elif pool.carry_over_cap is not None and facts.over(row.carry_over, pool.carry_over_cap):
            amount = row.carry_over - pool.carry_over_cap
            out.append(
                Violation(
                    name,
                    amount,
                    f"{what} exceeds the cap {_num(pool.carry_over_cap)} MSEK by {_num(amount)} "
                    "MSEK",
                )
            )
    return out


def _check_department_budgets(facts: _Facts) -> list[Violation]:
    """Per department_budgets row: ``Σ_{p∈dept} N[p,t] + O[dept,t] ≤ ceiling``, MSEK."""
    scenario = facts.scenario
    departments = [d.id for d in scenario.settings.departments]
    other = other_investment(facts, "department").reindex(index=departments, fill_value=0.0)
    spend = facts.by_group(facts.net_spend, facts.department_of(), departments) + other
    return [
        Violation(
            f"department_budget[{r.department},{r.year}]",
            excess,
            f"department {r.department}: net spend {_num(used)} MSEK in {r.year} exceeds "
            f"its ceiling {_num(r.ceiling)} MSEK by {_num(excess)} MSEK",
            key=("department_budget", r.department, r.year),
        )
        for r, used, excess in facts.department_rows_over(
            spend, scenario.department_budgets, "ceiling"
        )
    ]


def _check_debt(facts: _Facts) -> list[Violation]:
    """Debt rules, when the scenario has them (MSEK, end of year).

    ``D[t] ≥ max(0, D[t−1] + Σ_{p: pool ∈ debt.pools} N[p,t] + O_debt[t] − self_financing[t])``
    (``debt``), ``D[y0−1] = opening``, empty ``debt.pools`` meaning every pool;
    ``self_financing[t]`` is the cash flow ``R[t] + Dep[t]`` with [finance], the policy_years
    column without it; ``D[t] ≤ debt_ceiling[t]`` where policy_years gives one (``debt_ceiling``).
    """
    scenario = facts.scenario
    rules = scenario.settings.debt
    if rules is None:
        return []
    table = figures(facts)
    financed = table["candidates"] + table["other"]
    policy = {r.year: r for r in scenario.policy_years}
    debt = facts.debt
    out: list[Violation] = []
    previous = rules.opening
    for t in facts.years:
        self_financing = table.loc[t, "cash_flow"]
        floor = max(0.0, previous + financed[t] - self_financing)
        if facts.over(floor, debt[t]):
            out.append(
                Violation(
                    f"debt[{t}]",
                    floor - debt[t],
                    f"debt at the end of {t} is {_num(debt[t])} MSEK but must be at least "
                    f"{_num(floor)} MSEK (debt {_num(previous)} before, plus debt-financed spend "
                    f"{_num(financed[t])}, minus self-financing {_num(self_financing)}, "
                    "and not below 0)",
                )
            )
        ceiling = policy[t].debt_ceiling if t in policy else None
        if ceiling is not None and facts.over(debt[t], ceiling):
            out.append(
                Violation(
                    f"debt_ceiling[{t}]",
                    debt[t] - ceiling,
                    f"debt {_num(debt[t])} MSEK at the end of {t} exceeds the ceiling "
                    f"{_num(ceiling)} MSEK by {_num(debt[t] - ceiling)} MSEK",
                    key=("debt_ceiling", t),
                )
            )
        previous = debt[t]
    return out
