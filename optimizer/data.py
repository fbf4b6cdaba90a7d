"""Scenario -> index sets, windows and parameter arrays for the model (no PuLP, no solver here).

Everything the constraint blocks need is computed once, in numpy, before any row is written
(MODEL.md §8): candidate parameters as arrays indexed by candidate position, the start
variables that can be non-zero (one per candidate and year inside its tightened window), the
discount factors, and demand net of existing capacity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.scenario import ALL_DISTRICTS, Scenario


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
    # start variables x[i, y]: one per candidate and year of its window, grouped by candidate
    start_candidate: np.ndarray
    start_year: np.ndarray
    first_start: np.ndarray  # position of candidate i's first start variable
    # coverage: one row per (service, district, year)
    coverage: pd.DataFrame  # service, district, year, demand, existing, need (= demand - existing)
    capacity: pd.DataFrame  # candidate position, service, district, capacity per unit

    @property
    def n_candidates(self) -> int:
        return len(self.ids)

    @property
    def n_starts(self) -> int:
        return len(self.start_year)

    def year_index(self, year: np.ndarray | int) -> np.ndarray | int:
        return year - int(self.years[0])


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

    demand = scenario.demand
    coverage = demand.merge(
        existing_capacity(scenario), on=["service", "district", "year"], how="left"
    )
    coverage["existing"] = coverage["existing"].fillna(0.0)
    coverage["need"] = coverage["demand"] - coverage["existing"]

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
        start_candidate=start_candidate.astype(np.int64),
        start_year=start_year.astype(np.int64),
        first_start=np.asarray(first_start, dtype=np.int64),
        coverage=coverage,
        capacity=capacity,
    )
