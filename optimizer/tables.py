"""Plan tables people read (docs/reports.md), derived from the decisions and the scenario.

Everything here is arithmetic on ``plan.starts`` (through ``optimizer.plan_math``, its one
home) and the continuous values the solver chose; nothing reads the model. Money in MSEK,
CO2e in tonnes, staff in FTE.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.data import ModelData
from optimizer.plan import Plan
from optimizer.plan_math import (
    asset_capacity_change,
    capacity_added,
    closures,
    end_of_life_year,
    in_service,
    in_service_year,
    spend_by_year,
    spread,
    start_matrix,
    under_construction,
)
from optimizer.scenario import ALL_DISTRICTS


def schedule_table(data: ModelData, starts: dict[str, dict[int, int]]) -> pd.DataFrame:
    scenario = data.scenario
    records = []
    for cand in scenario.candidates:
        i = data.ids.index(cand.id)
        for year, units in sorted(starts.get(cand.id, {}).items()):
            if units <= 0:
                continue
            records.append(
                {
                    "candidate": cand.id,
                    "name": cand.name,
                    "department": cand.department,
                    "district": cand.district or "",
                    "pool": cand.pool,
                    "units": int(units),
                    "start_year": int(year),
                    "in_service_year": in_service_year(data, i, year),
                    "end_of_life_year": end_of_life_year(data, i, year),
                    "capex": float(cand.capex * units),
                    "net_capex": float(cand.capex * (1 - cand.grant_share) * units),
                    "committed": cand.committed_year is not None,
                    "must_do": bool(cand.must_do or cand.deadline is not None),
                    "capex_by_year": spend_by_year(data, i, year, units, data.capex),
                }
            )
    columns = [
        "candidate", "name", "department", "district", "pool", "units", "start_year", "in_service_year",
        "end_of_life_year", "capex", "net_capex", "committed", "must_do", "capex_by_year",
    ]  # fmt: skip
    return pd.DataFrame(records, columns=columns)


CLOSURE_COLUMNS = [
    "asset", "name", "service", "district", "year", "capacity", "kind", "closure_cost",
    "replaced_by", "renovated_by",
]  # fmt: skip


def closures_table(data: ModelData, n: np.ndarray, early: dict[str, int]) -> pd.DataFrame:
    """Every existing asset that closes inside the horizon, by name: year, places, early (a
    decision) or at the end of its life, and the chosen candidates that replace it
    (``replaces``) or renovate it (``renovates``: a renovation in service only after the
    retirement year, so the asset closes for the works and comes back; docs/model.md)."""
    scenario = data.scenario
    chosen = {data.ids[i] for i in np.flatnonzero(n.sum(axis=1) > 0)}
    records = []
    for asset_id, year, kind in closures(data, n, early):
        a = scenario.asset_by_id[asset_id]
        replacing = sorted(
            c.id for c in scenario.candidates if c.replaces == a.id and c.id in chosen
        )
        renovating = sorted(
            c.id for c in scenario.candidates if c.renovates == a.id and c.id in chosen
        )
        records.append(
            {
                "asset": a.id,
                "name": a.name or a.id,
                "service": a.service,
                "district": a.district or "",
                "year": year,
                "capacity": float(a.capacity),
                "kind": kind,
                "closure_cost": float(a.closure_cost),
                "replaced_by": "|".join(replacing),
                "renovated_by": "|".join(renovating),
            }
        )
    return pd.DataFrame(records, columns=CLOSURE_COLUMNS)


def emergency_table(data: ModelData, plan: Plan) -> pd.DataFrame:
    """Emergency options used: option, name, kind, service, district, year, units, cost (MSEK)."""
    options = {o.id: o for o in data.scenario.emergency_options}
    records = [
        {
            "option": row.option,
            "name": options[row.option].name or row.option,
            "kind": options[row.option].kind,
            "service": options[row.option].service,
            "district": options[row.option].district or "",
            "year": int(row.year),
            "units": float(row.units),
            "cost": float(row.units * options[row.option].cost),
        }
        for row in plan.emergency.itertuples(index=False)
        if row.option in options
    ]
    columns = ["option", "name", "kind", "service", "district", "year", "units", "cost"]
    return pd.DataFrame(records, columns=columns)


def _emergency_by_row(data: ModelData, plan: Plan) -> np.ndarray:
    """Emergency units per coverage row (data.coverage order)."""
    cov = data.coverage
    out = np.zeros(len(cov))
    if plan.emergency.empty:
        return out
    scenario = data.scenario
    options = {o.id: o for o in scenario.emergency_options}
    row_of = {
        k: r
        for r, k in enumerate(
            cov[["service", "district", "year"]].itertuples(index=False, name=None)
        )
    }
    for row in plan.emergency.itertuples(index=False):
        o = options.get(row.option)
        if o is None:
            continue
        key = (o.service, scenario.district_key(o.service, o.district), int(row.year))
        if key in row_of:
            out[row_of[key]] += row.units
    return out


def _exact_zero(value: float) -> float:
    """A difference of sums that is zero up to float rounding, as zero: a frame the plan uses
    in full showed a headroom of -5.7e-14 MSEK, which Excel's #,##0.0 writes as "-0,0"."""
    return 0.0 if abs(value) < 1e-9 else value


def _by_pool_and_year(data: ModelData, frame: pd.DataFrame) -> np.ndarray:
    """A (pool, year, carry_over) decision frame as an array [pool position, year position]."""
    out = np.zeros((len(data.pools), len(data.years)))
    if not frame.empty:
        pool = frame["pool"].map({p: i for i, p in enumerate(data.pools)}).to_numpy(int)
        out[pool, frame["year"].to_numpy(int) - int(data.years[0])] = frame["carry_over"]
    return out


def build_tables(data: ModelData, plan: Plan) -> dict[str, pd.DataFrame]:
    scenario = data.scenario
    years = [int(y) for y in data.years]
    n = start_matrix(data, plan.starts)
    serving = in_service(data, n)
    building = under_construction(data, n)
    net_spend = spread(data, n, data.capex * (1 - data.grant))
    gross_spend = spread(data, n, data.capex)
    tables: dict[str, pd.DataFrame] = {"schedule": schedule_table(data, plan.starts)}

    # ---- coverage ------------------------------------------------------------------------
    cov = data.coverage[["service", "district", "year", "demand", "existing"]].copy()
    # closed early, renovated or under works (docs/model.md, Existing assets)
    cov["existing"] += asset_capacity_change(data, plan.early_closures, serving, building)
    cov["new_capacity"] = capacity_added(data, serving)
    cov["capacity"] = cov["existing"] + cov["new_capacity"]
    short = (
        plan.shortfall.set_index(["service", "district", "year"])["shortfall"]
        if not plan.shortfall.empty
        else None
    )
    cov["shortfall"] = (
        short.reindex(pd.MultiIndex.from_frame(cov[["service", "district", "year"]]))
        .fillna(0.0)
        .to_numpy()
        if short is not None
        else 0.0
    )
    cov["emergency"] = _emergency_by_row(data, plan)
    transfers = plan.transfers
    if not transfers.empty:
        inflow = transfers.groupby(["service", "to_district", "year"])["units"].sum()
        outflow = transfers.groupby(["service", "from_district", "year"])["units"].sum()
        keys = pd.MultiIndex.from_frame(cov[["service", "district", "year"]])
        cov["served_from_neighbours"] = inflow.reindex(keys).fillna(0.0).to_numpy()
        cov["serving_neighbours"] = outflow.reindex(keys).fillna(0.0).to_numpy()
    else:
        cov["served_from_neighbours"] = 0.0
        cov["serving_neighbours"] = 0.0
    cov["utilisation"] = np.where(
        cov["capacity"] > 0,
        (
            cov["demand"]
            - cov["shortfall"]
            - cov["emergency"]
            - cov["served_from_neighbours"]
            + cov["serving_neighbours"]
        )
        / cov["capacity"].where(cov["capacity"] > 0, 1),
        np.nan,
    )
    cov["unit"] = cov["service"].map({s.id: s.unit for s in scenario.settings.services})
    tables["coverage"] = cov
    tables["closures"] = closures_table(data, n, plan.early_closures)
    tables["emergency"] = emergency_table(data, plan)

    # ---- budgets, carry-over, debt ---------------------------------------------------------
    limits = data.limits
    carried = _by_pool_and_year(data, plan.carry_over)
    carry_in = np.concatenate([np.zeros((len(data.pools), 1)), carried[:, :-1]], axis=1)
    records = []
    for p, pool in enumerate(data.pools):
        members = data.pool == p
        for k, year in enumerate(years):
            spend = float(net_spend[members, k].sum())
            gross = float(gross_spend[members, k].sum())
            # the ceiling is the whole frame: the other investment loads it beside the
            # candidates (docs/model.md, budget), so the frame's use and headroom count both
            other = float(data.money.other_pool[p, k])
            ceiling = float(limits.pool_budget[p, k])
            records.append(
                {
                    "pool": pool,
                    "year": year,
                    "spend": spend,
                    "gross_spend": gross,
                    "other": other,
                    "frame_spend": spend + other,
                    "ceiling": ceiling,
                    "carry_in": float(carry_in[p, k]),
                    "carry_over": float(carried[p, k]),
                    "headroom": _exact_zero(
                        ceiling + float(carry_in[p, k]) - spend - other - float(carried[p, k])
                    ),
                }
            )
    tables["budget"] = pd.DataFrame(records)
    if scenario.settings.debt is not None:
        debt = (
            plan.debt.set_index("year")["debt"].reindex(years, fill_value=0.0).to_numpy(float)
            if not plan.debt.empty
            else np.zeros(len(years))
        )
        tables["debt"] = pd.DataFrame(
            {
                "year": years,
                "debt_financed_spend": net_spend[data.debt_financed[data.pool]].sum(axis=0),
                "self_financing": limits.self_financing,
                "debt": debt,
                "debt_ceiling": limits.debt_ceiling,
                "interest": debt * data.money.interest_rate,
            }
        )

    tables["key_figures"] = key = key_figures_table(
        data, plan, serving, net_spend, operating_flows(data, tables, plan.early_closures)
    )
    if "debt" in tables:  # the whole frame borrows, and the result finances it (docs/model.md)
        tables["debt"]["debt_financed_spend"] += data.money.other_financed
        tables["debt"]["self_financing"] = key["self_financing"].to_numpy()

    # ---- operating consequences, staff ----------------------------------------------------
    records = []
    for d, dept in enumerate(data.departments):
        members = data.department == d
        for k, year in enumerate(years):
            records.append(
                {
                    "department": dept,
                    "year": year,
                    "opex": float((data.opex[members] * serving[members, k]).sum()),
                    "staff_fte": float((data.fte[members] * serving[members, k]).sum()),
                    "recruitable_fte": float(limits.recruitable_fte[d, k]),
                    "projects_under_construction": int(round(building[members, k].sum())),
                    "projects_in_service": int(round(serving[members, k].sum())),
                }
            )
    operations = pd.DataFrame(records)
    tables["opex"] = operations[["department", "year", "opex"]]
    tables["staff"] = operations[["department", "year", "staff_fte", "recruitable_fte"]]

    # ---- CO2e, delivery -------------------------------------------------------------------
    embodied = spread(data, n, data.embodied).sum(axis=0)
    operational = (data.operational_co2e[:, None] * serving).sum(axis=0)
    existing = limits.existing_co2e
    tables["co2e"] = pd.DataFrame(
        {
            "year": years,
            "embodied_t": embodied,
            "operational_t": operational,
            "existing_t": existing,
            "total_t": embodied + operational + existing,
            "cap_t": limits.co2e_cap,
        }
    )
    tables["delivery"] = pd.DataFrame(
        {
            "year": years,
            "projects_under_construction": building.sum(axis=0).round().astype(int),
            # whole projects: integers when every year has a limit, as the input reads
            "limit": limits.delivery
            if np.isnan(limits.delivery).any()
            else limits.delivery.astype(int),
        }
    )
    return tables


KEY_FIGURE_COLUMNS = [
    "year", "investment_candidates", "investment_other", "investment", "revenue", "net_cost",
    "opex", "closure_costs", "emergency_costs", "depreciation", "interest", "result",
    "self_financing", "self_financing_rate", "investment_financed", "debt", "inhabitants",
    "debt_per_inhabitant",
    "price_index", "investment_nominal", "result_nominal", "debt_nominal",
]  # fmt: skip


def operating_flows(
    data: ModelData, tables: dict[str, pd.DataFrame], early: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(closure costs, running costs early closures save, emergency options' cost) per year,
    MSEK, of the services in the finance scope (``Scenario.in_finance_scope``): the plan's
    operating money flows besides the candidates' opex (docs/model.md, finance)."""
    scenario = data.scenario
    y0 = int(data.years[0])
    closure_costs, saved, emergency = (np.zeros(len(data.years)) for _ in range(3))
    for row in tables["closures"].itertuples(index=False):
        if scenario.in_finance_scope(row.service):
            closure_costs[row.year - y0] += row.closure_cost
    for asset_id, year in early.items():
        a = scenario.asset_by_id[asset_id]
        if scenario.in_finance_scope(a.service):
            end = len(data.years) if a.retirement_year is None else a.retirement_year - y0
            saved[year - y0 : max(end, year - y0)] += a.opex
    for row in tables["emergency"].itertuples(index=False):
        if scenario.in_finance_scope(row.service):
            emergency[row.year - y0] += row.cost
    return closure_costs, saved, emergency


def key_figures_table(
    data: ModelData,
    plan: Plan,
    serving: np.ndarray,
    net_spend: np.ndarray,
    flows: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """What a controller reads first, per year (docs/model.md, finance; docs/plan-json.md).

    Investment is the whole frame, every pool: candidates' net spend plus other investment.
    The operating side (revenue, net cost, opex, depreciation, interest, result) covers the
    debt-financed pools, as the model's result does; self-financing is the result plus
    depreciation with [finance] (the policy_years number without it), and its rate is taken on
    the investment of the same pools. Figures that do not apply are NaN (no [finance]: no
    result; no [debt]: no debt). ``*_nominal``: times the price index (1 in fixed prices).
    ``flows``: closure costs, saved running costs and emergency costs (``operating_flows``);
    the result counts them, net cost is after the savings.
    """
    scenario, money = data.scenario, data.money
    years = [int(y) for y in data.years]
    in_scope = data.debt_financed[data.pool]
    candidates = net_spend.sum(axis=0)
    other = money.other_pool.sum(axis=0)
    financed = net_spend[in_scope].sum(axis=0) + money.other_financed
    opex = (np.where(in_scope, data.opex, 0.0)[:, None] * serving).sum(axis=0)
    per_unit = np.where(in_scope, data.capex * (1.0 - data.grant) / data.life, 0.0)
    depreciation = (per_unit[:, None] * serving).sum(axis=0)
    depreciation = depreciation + money.existing_depreciation + money.other_depreciation
    nan = np.full(len(years), np.nan)
    has_debt = scenario.settings.debt is not None
    debt = (
        plan.debt.set_index("year")["debt"].reindex(years, fill_value=0.0).to_numpy(float)
        if has_debt and not plan.debt.empty
        else (np.zeros(len(years)) if has_debt else nan)
    )
    interest = money.interest_rate * debt if has_debt else nan
    zeros = np.zeros(len(years))
    closure_costs, saved, emergency = flows if flows is not None else (zeros, zeros, zeros)
    if money.finance:
        net_cost = money.net_cost - saved
        result = (
            money.revenue - net_cost - opex - closure_costs - emergency - depreciation - interest
        )
        self_financing = result + depreciation
        revenue = money.revenue
    else:
        result, revenue, net_cost = nan, nan, nan
        self_financing = data.limits.self_financing if has_debt else nan
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(financed > 1e-9, self_financing / financed, np.nan)
        per_inhabitant = np.where(money.inhabitants > 0, debt / money.inhabitants * 1e6, np.nan)
    index = money.price_index
    investment = candidates + other
    return pd.DataFrame(
        {
            "year": years,
            "investment_candidates": candidates,
            "investment_other": other,
            "investment": investment,
            "revenue": revenue,
            "net_cost": net_cost,
            "opex": opex,
            "closure_costs": closure_costs,
            "emergency_costs": emergency,
            "depreciation": depreciation,
            "interest": interest,
            "result": result,
            "self_financing": self_financing,
            "self_financing_rate": rate,
            "investment_financed": financed,
            "debt": debt,
            "inhabitants": money.inhabitants,
            "debt_per_inhabitant": per_inhabitant,
            "price_index": index,
            "investment_nominal": investment * index,
            "result_nominal": result * index,
            "debt_nominal": debt * index,
        },
        columns=KEY_FIGURE_COLUMNS,
    )


__all__ = [
    "KEY_FIGURE_COLUMNS",
    "build_tables",
    "key_figures_table",
    "start_matrix",
    "in_service",
    "under_construction",
    "spread",
    "ALL_DISTRICTS",
]
