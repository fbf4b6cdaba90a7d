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
    )
