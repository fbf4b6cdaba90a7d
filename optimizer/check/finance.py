"""The whole investment frame and the operating side, recomputed from the scenario and the plan's
decisions alone (docs/model.md, finance), and the financial targets checked against them.

Scope: the debt-financed pools (``debt.pools``; every pool when empty). MSEK, fixed prices:

- other investment  ``O[pool,t]``, ``O[dept,t]`` (other_investments), ``O_debt[t]`` its scope part
- depreciation      ``Dep[t] = Σ_{p∈scope} (1−g)·C/T·I[p,t] + Dep0[t] + DepO[t]``, with
  ``DepO[t] = Σ_rows amount/lifetime`` for ``year ≤ t ≤ year+lifetime−1`` (rows with a lifetime)
- result            ``R[t] = Rev[t] − NetCost[t] − Σ_{p∈scope} opex_p·I[p,t] − Closures[t]
  − Emergency[t] − Dep[t] − r[t]·D[t]`` with ``Rev = revenue_per_inhabitant·inhabitants/1e6``,
  ``NetCost`` the policy_years value or ``net_cost_per_inhabitant·inhabitants/1e6`` less the
  opex early closures save, ``Closures`` the closure costs in the year each asset closes and
  ``Emergency`` the emergency options used (services in the scope: ``Scenario.in_finance_scope``)
- real interest     ``r[t] = i`` (real) or ``(1+i)/(1+π[t]) − 1`` (nominal), π the price change
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.check.assets import closures
from optimizer.check.duties import emergency_use
from optimizer.check.facts import Violation, _Facts, _num, once_per_check

SEK = 1e-6  # MSEK per SEK


def scope_pools(facts: _Facts) -> list[str]:
    rules = facts.scenario.settings.debt
    every = [pool.id for pool in facts.scenario.settings.pools]
    return (rules.pools or every) if rules is not None else every


def other_investment(facts: _Facts, owner: str) -> pd.DataFrame:
    """Other investment summed by ``pool`` or ``department`` × horizon years (missing: 0)."""
    records = [
        (getattr(r, owner), r.year, r.amount)
        for r in facts.scenario.other_investments
        if getattr(r, owner) is not None
    ]
    frame = pd.DataFrame(records, columns=[owner, "year", "amount"])
    table = frame.pivot_table(index=owner, columns="year", values="amount", aggfunc="sum")
    return table.reindex(columns=facts.years, fill_value=0.0).fillna(0.0)


def price_index(facts: _Facts) -> tuple[pd.Series, bool]:
    """Price level per year: the policy_years column, else (1+inflation)^(t−y0), else 1."""
    scenario, years = facts.scenario, facts.years
    given = {r.year: r.price_index for r in scenario.policy_years if r.price_index is not None}
    finance = scenario.settings.finance
    if given:
        return pd.Series([given[t] for t in years], index=years, dtype=float), True
    if finance is not None and finance.inflation is not None:
        return pd.Series(
            [(1 + finance.inflation) ** (t - facts.y0) for t in years], index=years
        ), True
    return pd.Series(1.0, index=years), False


def real_interest(facts: _Facts) -> pd.Series:
    """``r[t]``: the debt's rate, a nominal one deflated by the year's price change."""
    rules, years = facts.scenario.settings.debt, facts.years
    if rules is None:
        return pd.Series(0.0, index=years)
    if rules.interest_rate_kind == "real":
        return pd.Series(rules.interest_rate, index=years, dtype=float)
    index, _ = price_index(facts)
    change = (index / index.shift(1) - 1.0).astype(float)
    finance = facts.scenario.settings.finance
    if finance is not None and finance.inflation is not None:
        change.iloc[0] = finance.inflation
    else:
        change.iloc[0] = change.iloc[1] if len(change) > 1 else 0.0
    return (1.0 + rules.interest_rate) / (1.0 + change) - 1.0


@once_per_check  # read by the finance targets and the debt rules
def figures(facts: _Facts) -> pd.DataFrame:
    """Per horizon year: investment (candidates, other), revenue, costs, result, cash flow, debt."""
    scenario, years = facts.scenario, facts.years
    pools = scope_pools(facts)
    in_scope = facts.pool_of().isin(pools).to_numpy()
    net_spend = facts.net_spend
    out = pd.DataFrame(index=pd.Index(years, name="year"))
    out["candidates"] = net_spend.loc[in_scope].sum().reindex(years, fill_value=0.0)
    other = other_investment(facts, "pool")
    out["other"] = other.loc[other.index.isin(pools)].sum().reindex(years, fill_value=0.0)
    people = scenario.population.groupby("year")["population"].sum()
    out["inhabitants"] = people.reindex(years, fill_value=0.0).astype(float)
    finance = scenario.settings.finance
    policy = {r.year: r for r in scenario.policy_years}
    serving = facts.in_service.loc[in_scope]
    life = facts.attribute("lifetime")[in_scope]
    per_unit = (1 - facts.attribute("grant_share")[in_scope]) * facts.attribute("capex")[in_scope]
    out["candidate_depreciation"] = serving.mul(per_unit / life, axis=0).sum()
    out["opex"] = serving.mul(facts.attribute("opex")[in_scope], axis=0).sum()
    other_dep = pd.Series(0.0, index=years)
    for r in scenario.other_investments:
        if r.lifetime is not None and r.pool in pools:
            for t in years:
                if r.year <= t <= r.year + r.lifetime - 1:
                    other_dep[t] += r.amount / r.lifetime
    out["other_depreciation"] = other_dep
    out["existing_depreciation"] = [
        policy[t].existing_depreciation if finance is not None and t in policy else 0.0
        for t in years
    ]
    out["depreciation"] = (
        out["candidate_depreciation"] + out["other_depreciation"] + out["existing_depreciation"]
    )
    out["debt"] = facts.debt
    out["interest"] = real_interest(facts) * facts.debt
    closure_costs, saved = _closures_by_year(facts)
    out["closure_costs"] = closure_costs
    out["emergency_costs"] = _emergency_by_year(facts)
    if finance is not None:
        out["revenue"] = finance.revenue_per_inhabitant * out["inhabitants"] * SEK
        out["net_cost"] = [
            policy[t].existing_net_cost
            if t in policy and policy[t].existing_net_cost is not None
            else (finance.net_cost_per_inhabitant or 0.0) * out.loc[t, "inhabitants"] * SEK
            for t in years
        ]
        out["net_cost"] -= saved
        out["result"] = (
            out["revenue"]
            - out["net_cost"]
            - out["opex"]
            - out["closure_costs"]
            - out["emergency_costs"]
            - out["depreciation"]
            - out["interest"]
        )
        out["cash_flow"] = out["result"] + out["depreciation"]
    else:
        out["revenue"] = out["net_cost"] = out["result"] = np.nan
        out["cash_flow"] = [
            policy[t].self_financing if t in policy else 0.0 for t in years
        ]  # the old free-standing self-financing (docs/model.md, finance)
    out["investment"] = out["candidates"] + out["other"]
    return out


def _closures_by_year(facts: _Facts) -> tuple[pd.Series, pd.Series]:
    """(closure costs, running costs saved by early closures) per horizon year, MSEK, of the
    assets of services in the finance scope: closure_cost in the year an asset closes; its
    opex in every year from an early closure to its retirement year."""
    scenario, years = facts.scenario, facts.years
    cost, saved = pd.Series(0.0, index=years), pd.Series(0.0, index=years)
    for c in closures(facts):
        asset = scenario.asset_by_id[c.asset]
        if not scenario.in_finance_scope(asset.service):
            continue
        cost[c.year] += asset.closure_cost
        if c.kind == "early":
            end = asset.retirement_year if asset.retirement_year is not None else facts.yN + 1
            for t in range(c.year, min(end, facts.yN + 1)):
                saved[t] += asset.opex
    return cost, saved


def _emergency_by_year(facts: _Facts) -> pd.Series:
    """What the emergency options of services in the finance scope cost per year, MSEK."""
    used = emergency_use(facts)
    used = used.loc[[facts.scenario.in_finance_scope(s) for s in used["service"]]]
    cost = (used["units"] * used["cost"]).groupby(used["year"]).sum()
    return cost.reindex(facts.years, fill_value=0.0).astype(float)


@dataclass(frozen=True)
class _YearlyTarget:
    """A target of [finance] checked in every year ``t``: the bound ``setting·figure[t]·scale``
    is a floor under ``measured[t]`` (``floor``) or a ceiling over it. Broken, row
    ``block[t]`` reports ``message``, a template over the year's figures (each shown by
    ``_num``), ``t``, ``bound`` and the setting's value (``setting``, raw, and ``shown``)."""

    setting: str
    block: str
    figure: str
    measured: str
    floor: bool
    message: str
    scale: float = 1.0


# in the order a year's violations are listed (docs/model.md, finance)
_YEARLY_TARGETS = (
    # R[t] ≥ share·Rev[t]
    _YearlyTarget(
        "result_target_share", "balance", "revenue", "result", True,
        "the result {result} MSEK in {t} is below the required {bound} MSEK (revenue {revenue} "
        "− net cost {net_cost} − opex {opex} − closures {closure_costs} − emergency options "
        "{emergency_costs} − depreciation {depreciation} − interest {interest})",
    ),
    # R[t] + Dep[t] ≥ sf·investment[t]
    _YearlyTarget(
        "self_financing_rate", "self_financing_rate", "investment", "cash_flow", True,
        "result plus depreciation {cash_flow} MSEK in {t} pays less than {setting:.0%} of the "
        "investment {investment} MSEK ({bound} MSEK)",
    ),
    # D[t] ≤ debt_per_inhabitant·inhabitants[t]/1e6
    _YearlyTarget(
        "debt_per_inhabitant", "debt_per_inhabitant", "inhabitants", "debt", False,
        "debt {debt} MSEK at the end of {t} exceeds {shown} SEK per inhabitant × {inhabitants} "
        "inhabitants = {bound} MSEK",
        scale=SEK,
    ),
)  # fmt: skip


def _yearly_violations(facts: _Facts, finance, t: int, row: pd.Series) -> list[Violation]:
    """The yearly targets of [finance] that are set and broken in year ``t``."""
    out: list[Violation] = []
    for target in _YEARLY_TARGETS:
        value = getattr(finance, target.setting)
        if value is None:
            continue
        bound = value * row[target.figure] * target.scale
        measured = row[target.measured]
        lhs, rhs = (bound, measured) if target.floor else (measured, bound)
        if facts.over(lhs, rhs):
            year = {name: _num(figure) for name, figure in row.items()}
            message = target.message.format(
                t=t, bound=_num(bound), setting=value, shown=_num(value), **year
            )
            out.append(Violation(f"{target.block}[{t}]", lhs - rhs, message, key=(target.block, t)))
    return out


def _check_finance(facts: _Facts) -> list[Violation]:
    """The targets of [finance], each where set:

    ``R[t] ≥ share·Rev[t]`` (``balance``), ``R[t] + Dep[t] ≥ sf·investment[t]``
    (``self_financing_rate``), the same summed over the horizon (``period_self_financing``),
    ``D[t] ≤ debt_per_inhabitant·inhabitants[t]/1e6`` (``debt_per_inhabitant``).
    """
    finance = facts.scenario.settings.finance
    if finance is None or facts.scenario.settings.debt is None:
        return []
    table = figures(facts)
    out: list[Violation] = []
    for t, row in table.iterrows():
        out += _yearly_violations(facts, finance, int(t), row)
    if finance.period_self_financing_rate is not None:
        floor = finance.period_self_financing_rate * table["investment"].sum()
        paid = table["cash_flow"].sum()
        if facts.over(floor, paid):
            out.append(
                Violation(
                    "period_self_financing",
                    floor - paid,
                    f"result plus depreciation over the period {_num(paid)} MSEK pays less than "
                    f"{finance.period_self_financing_rate:.0%} of the investment "
                    f"{_num(table['investment'].sum())} MSEK ({_num(floor)} MSEK)",
                )
            )
    return out
