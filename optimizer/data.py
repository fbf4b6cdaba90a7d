"""Scenario -> index sets, windows and parameter arrays for the model (no PuLP, no solver here).

Everything the constraint blocks need is computed once, in numpy, before any row is written
(why: benchmarks/RESULTS.md): candidate parameters as arrays indexed by candidate position, the start
variables that can be non-zero (one per candidate and year inside its tightened window), the
discount factors, demand net of existing capacity, and every per-year limit as an array over
the horizon (``YearLimits``), so that blocks, tables and reports never look a year up in a dict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.scenario import ALL_DISTRICTS, Scenario


@dataclass(frozen=True)
class YearLimits:
    """Every per-year limit of a scenario, column k = horizon year y0 + k; NaN = no limit.

    Rows for years outside the horizon are left out, as the model leaves them out. Rows are
    indexed by position in ``settings.pools`` and ``settings.departments``.
    """

    pool_budget: np.ndarray  # [pool, k] MSEK net of grants (budgets; budget_factor applied)
    department_budget: np.ndarray  # [department, k] MSEK net of grants (department_budgets)
    recruitable_fte: np.ndarray  # [department, k] new FTE recruitable by that year (staff)
    department_delivery: np.ndarray  # [department, k] projects under construction at once
    delivery: np.ndarray  # [k] projects under construction at once, all departments
    co2e_cap: np.ndarray  # [k] tonnes CO2e allowed, existing operations included
    existing_co2e: np.ndarray  # [k] tonnes CO2e of existing operations (0 without a row)
    self_financing: np.ndarray  # [k] MSEK of investment paid from the year's result (0 without)
    debt_ceiling: np.ndarray  # [k] MSEK of debt allowed at the end of the year
    # (department position, year position) of each department_budgets and staff row, in the
    # order the table lists them. Their rows are written in that order: the solver's choice
    # among equally cheap plans depends on row order, and tests/test_pinned_plans.py pins it.
    department_budget_order: tuple[np.ndarray, np.ndarray]
    staff_order: tuple[np.ndarray, np.ndarray]


def year_limits(scenario: Scenario) -> YearLimits:
    """The scenario's per-year limits as arrays over its horizon (NaN = no limit)."""
    years = scenario.years
    first, n_years = years[0], len(years)
    pools = {p.id: i for i, p in enumerate(scenario.settings.pools)}
    departments = {d.id: i for i, d in enumerate(scenario.settings.departments)}

    def table(rows, index: dict[str, int], owner: str, value: str) -> np.ndarray:
        out = np.full((len(index), n_years), np.nan)
        for row in rows:
            k = row.year - first
            if 0 <= k < n_years:
                out[index[getattr(row, owner)], k] = getattr(row, value)
        return out

    def listed(rows) -> tuple[np.ndarray, np.ndarray]:
        cells = [(departments[r.department], r.year - first) for r in rows]
        cells = [(d, k) for d, k in cells if 0 <= k < n_years]
        return (
            np.array([d for d, _ in cells], dtype=np.int64),
            np.array([k for _, k in cells], dtype=np.int64),
        )

    def by_year(field: str, missing: float) -> np.ndarray:
        out = np.full(n_years, missing)
        for row in scenario.policy_years:
            k = row.year - first
            value = getattr(row, field)
            if 0 <= k < n_years and value is not None:
                out[k] = value
        return out

    dept_delivery = np.array(
        [
            np.nan
            if d.max_projects_under_construction is None
            else d.max_projects_under_construction
            for d in scenario.settings.departments
        ],
        dtype=float,
    )
    return YearLimits(
        pool_budget=table(scenario.budgets, pools, "pool", "ceiling"),
        department_budget=table(scenario.department_budgets, departments, "department", "ceiling"),
        recruitable_fte=table(scenario.staff, departments, "department", "recruitable_fte"),
        department_delivery=np.repeat(dept_delivery[:, None], n_years, axis=1),
        delivery=by_year("max_projects_under_construction", np.nan),
        co2e_cap=by_year("co2e_cap_t", np.nan),
        existing_co2e=by_year("existing_co2e_t", 0.0),
        self_financing=by_year("self_financing", 0.0),
        debt_ceiling=by_year("debt_ceiling", np.nan),
        department_budget_order=listed(scenario.department_budgets),
        staff_order=listed(scenario.staff),
    )


@dataclass(frozen=True)
class MoneyArrays:
    """The whole investment frame and the operating side, per horizon year (docs/model.md,
    finance). MSEK in fixed prices; position k = year y0 + k."""

    other_pool: np.ndarray  # [pool, k] other investment loading the pool's budget row
    other_department: np.ndarray  # [department, k] other investment loading its ceiling
    other_financed: np.ndarray  # [k] other investment of the debt-financed pools
    other_depreciation: np.ndarray  # [k] depreciation of that other investment (with a lifetime)
    interest_rate: np.ndarray  # [k] real interest rate on debt (a nominal rate converted)
    price_index: np.ndarray  # [k] price level relative to fixed prices (1 without an index)
    nominal: bool  # whether the scenario gives a price index (reports then show nominal figures)
    inhabitants: np.ndarray  # [k] the variant's population (every age group and district)
    # the operating side, only with [finance] (zeros otherwise)
    finance: bool
    revenue: np.ndarray  # [k] tax revenue and general state grants
    net_cost: np.ndarray  # [k] net cost of existing operations
    existing_depreciation: np.ndarray  # [k] depreciation of assets existing today


def price_index(scenario: Scenario) -> tuple[np.ndarray, bool]:
    """Price level per horizon year: policy_years.price_index when given (every year, as
    validated), else (1 + inflation)^(t − y0), else 1 (fixed prices)."""
    years = scenario.years
    given = {r.year: r.price_index for r in scenario.policy_years if r.price_index is not None}
    if given:
        return np.array([given[y] for y in years], dtype=float), True
    finance = scenario.settings.finance
    if finance is not None and finance.inflation is not None:
        steps = np.arange(len(years), dtype=float)
        return (1.0 + finance.inflation) ** steps, True
    return np.ones(len(years)), False


def yearly_inflation(scenario: Scenario, index: np.ndarray) -> np.ndarray:
    """Price change into each horizon year: index[k]/index[k−1] − 1; the first year takes
    [finance] inflation when given, else the second year's change (0 for a one-year horizon)."""
    change = np.zeros(len(index))
    change[1:] = index[1:] / index[:-1] - 1.0
    finance = scenario.settings.finance
    if finance is not None and finance.inflation is not None:
        change[0] = finance.inflation
    elif len(index) > 1:
        change[0] = change[1]
    return change


def real_interest_rate(scenario: Scenario) -> np.ndarray:
    """The debt's interest rate per year in real terms: a real rate as given; a nominal rate i
    as (1 + i)/(1 + π[t]) − 1 with π the yearly price change (docs/model.md, prices)."""
    n_years = len(scenario.years)
    debt = scenario.settings.debt
    if debt is None:
        return np.zeros(n_years)
    if debt.interest_rate_kind == "real":
        return np.full(n_years, debt.interest_rate)
    index, _ = price_index(scenario)
    return (1.0 + debt.interest_rate) / (1.0 + yearly_inflation(scenario, index)) - 1.0


def inhabitants(scenario: Scenario) -> np.ndarray:
    """Inhabitants per horizon year: the variant's population summed over age groups and
    districts (age groups are disjoint, as demand's `total` assumes)."""
    by_year = scenario.population.groupby("year")["population"].sum()
    return by_year.reindex(scenario.years, fill_value=0.0).to_numpy(float)


def money_arrays(scenario: Scenario, debt_financed: np.ndarray) -> MoneyArrays:
    years = scenario.years
    first, n_years = years[0], len(years)
    pools = {p.id: i for i, p in enumerate(scenario.settings.pools)}
    departments = {d.id: i for i, d in enumerate(scenario.settings.departments)}
    other_pool = np.zeros((len(pools), n_years))
    other_department = np.zeros((len(departments), n_years))
    other_depreciation = np.zeros(n_years)
    for row in scenario.other_investments:
        financed = debt_financed[pools[row.pool]]
        if row.lifetime is not None and financed:
            # straight line from the year it is spent, also for spending before the horizon
            first_k = max(row.year - first, 0)
            last_k = min(row.year + row.lifetime - 1 - first, n_years - 1)
            if last_k >= first_k:
                other_depreciation[first_k : last_k + 1] += row.amount / row.lifetime
        k = row.year - first
        if not 0 <= k < n_years:
            continue
        other_pool[pools[row.pool], k] += row.amount
        if row.department is not None:
            other_department[departments[row.department], k] += row.amount
    index, nominal = price_index(scenario)
    people = inhabitants(scenario)
    finance = scenario.settings.finance
    zeros = np.zeros(n_years)
    revenue, net_cost, existing_depreciation = zeros, zeros, zeros
    if finance is not None:
        policy = {r.year: r for r in scenario.policy_years}
        revenue = finance.revenue_per_inhabitant * people * MSEK_PER_SEK
        per_inhabitant = finance.net_cost_per_inhabitant
        net_cost = np.array(
            [
                policy[y].existing_net_cost
                if y in policy and policy[y].existing_net_cost is not None
                else (per_inhabitant or 0.0) * people[k] * MSEK_PER_SEK
                for k, y in enumerate(years)
            ],
            dtype=float,
        )
        existing_depreciation = np.array(
            [policy[y].existing_depreciation if y in policy else 0.0 for y in years], dtype=float
        )
    return MoneyArrays(
        other_pool=other_pool,
        other_department=other_department,
        other_financed=other_pool[debt_financed].sum(axis=0),
        other_depreciation=other_depreciation,
        interest_rate=real_interest_rate(scenario),
        price_index=index,
        nominal=nominal,
        inhabitants=people,
        finance=finance is not None,
        revenue=revenue,
        net_cost=net_cost,
        existing_depreciation=existing_depreciation,
    )


MSEK_PER_SEK = 1e-6


@dataclass(frozen=True)
class ModelData:
    scenario: Scenario
    years: np.ndarray  # horizon years y0..yN
    discount: np.ndarray  # df[t] = (1+r)^-(t-y0), per horizon year
    salvage_discount: float  # df at yN+1, where salvage is valued
    # candidates, by position i
    ids: list[str]
    lead: np.ndarray
    life: np.ndarray
    capex: np.ndarray
    grant: np.ndarray
    opex: np.ndarray
    fte: np.ndarray
    embodied: np.ndarray
    operational_co2e: np.ndarray
    value: np.ndarray
    max_units: np.ndarray
    earliest: np.ndarray  # tightened window
    latest: np.ndarray
    profiles: list[np.ndarray]  # spend shares per year from the start
    pool: np.ndarray  # pool position
    department: np.ndarray  # department position
    pools: list[str]
    departments: list[str]
    # funding pools, by pool position
    carry_over: np.ndarray  # unspent budget may be used the next year
    carry_over_cap: np.ndarray  # MSEK that may be carried at most (NaN = no cap)
    debt_financed: np.ndarray  # the pool's spend is borrowed when self-financing falls short
    # start variables x[i, y]: one per candidate and year of its window, grouped by candidate
    start_candidate: np.ndarray
    start_year: np.ndarray
    first_start: np.ndarray  # position of candidate i's first start variable
    # coverage: one row per (service, district, year)
    # service, district, year, demand, existing, planned (= demand / target utilisation),
    # need (= planned - existing)
    coverage: pd.DataFrame
    capacity: pd.DataFrame  # candidate position, service, district, capacity per unit
    limits: YearLimits  # per-year limits, by year position (and pool or department position)
    money: MoneyArrays  # other investment, interest, prices, the operating side

    @property
    def n_candidates(self) -> int:
        return len(self.ids)

    @property
    def n_starts(self) -> int:
        return len(self.start_year)


def existing_capacity(scenario: Scenario) -> pd.DataFrame:
    """Capacity standing in each year from existing assets: service, district, year, existing."""
    records = []
    for asset in scenario.existing_assets:
        service = scenario.service_by_id[asset.service]
        district = (asset.district or ALL_DISTRICTS) if service.by_district else ALL_DISTRICTS
        for year in scenario.years:
            if asset.retirement_year is None or year < asset.retirement_year:
                records.append((asset.service, district, year, asset.capacity))
    frame = pd.DataFrame(records, columns=["service", "district", "year", "existing"])
    return frame.groupby(["service", "district", "year"], as_index=False)["existing"].sum()


def build_data(scenario: Scenario) -> ModelData:
    years = np.array(scenario.years, dtype=np.int64)
    rate = scenario.settings.scenario.discount_rate
    discount = (1.0 + rate) ** -(years - years[0]).astype(float)
    salvage_discount = float((1.0 + rate) ** -float(len(years)))
    pools = [p.id for p in scenario.settings.pools]
    departments = [d.id for d in scenario.settings.departments]
    pool_pos = {p: i for i, p in enumerate(pools)}
    dept_pos = {d: i for i, d in enumerate(departments)}
    cands = scenario.candidates
    windows = scenario.start_windows

    def arr(attr, dtype=float):
        return np.array([getattr(c, attr) for c in cands], dtype=dtype)

    earliest = np.array([windows[c.id][0] for c in cands], dtype=np.int64)
    latest = np.array([windows[c.id][1] for c in cands], dtype=np.int64)
    counts = np.maximum(latest - earliest + 1, 0)
    start_candidate = np.repeat(np.arange(len(cands)), counts)
    first_start = (
        np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(cands) else np.zeros(0, np.int64)
    )
    start_year = earliest[start_candidate] + (
        np.arange(len(start_candidate)) - first_start[start_candidate]
    )

    debt = scenario.settings.debt
    borrowing = set(debt.pools) if debt is not None and debt.pools else set(pools)
    debt_financed = np.array([p in borrowing for p in pools], dtype=bool)

    demand = scenario.demand
    coverage = demand.merge(
        existing_capacity(scenario), on=["service", "district", "year"], how="left"
    )
    coverage["existing"] = coverage["existing"].fillna(0.0)
    # the plan covers demand / target utilisation (docs/model.md, Duties): slack by design
    target = {s.id: s.target_utilisation for s in scenario.settings.services}
    coverage["planned"] = coverage["demand"] / coverage["service"].map(target).astype(float)
    coverage["need"] = coverage["planned"] - coverage["existing"]

    index = {c.id: i for i, c in enumerate(cands)}
    capacity = pd.DataFrame(
        [
            (
                index[r.candidate],
                r.service,
                (cands[index[r.candidate]].district or ALL_DISTRICTS)
                if scenario.service_by_id[r.service].by_district
                else ALL_DISTRICTS,
                r.capacity,
            )
            for r in scenario.capacities
        ],
        columns=["candidate", "service", "district", "capacity"],
    )
    return ModelData(
        scenario=scenario,
        years=years,
        discount=discount,
        salvage_discount=salvage_discount,
        ids=[c.id for c in cands],
        lead=arr("lead_time", np.int64),
        life=arr("lifetime", np.int64),
        capex=arr("capex"),
        grant=arr("grant_share"),
        opex=arr("opex"),
        fte=arr("staff_fte"),
        embodied=arr("embodied_co2e_t"),
        operational_co2e=arr("operational_co2e_t"),
        value=arr("value"),
        max_units=arr("max_units", np.int64),
        earliest=earliest,
        latest=latest,
        profiles=[np.array(scenario.spend_profile(c), dtype=float) for c in cands],
        pool=np.array([pool_pos[c.pool] for c in cands], dtype=np.int64),
        department=np.array([dept_pos[c.department] for c in cands], dtype=np.int64),
        pools=pools,
        departments=departments,
        carry_over=np.array([p.carry_over for p in scenario.settings.pools], dtype=bool),
        carry_over_cap=np.array(
            [
                np.nan if p.carry_over_cap is None else p.carry_over_cap
                for p in scenario.settings.pools
            ],
            dtype=float,
        ),
        debt_financed=debt_financed,
        start_candidate=start_candidate.astype(np.int64),
        start_year=start_year.astype(np.int64),
        first_start=np.asarray(first_start, dtype=np.int64),
        coverage=coverage,
        capacity=capacity,
        limits=year_limits(scenario),
        money=money_arrays(scenario, debt_financed),
    )
