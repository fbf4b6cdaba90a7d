"""The typed ``Scenario`` that the rest of capplan trusts, and its start-window arithmetic.

A ``Scenario`` is made only by ``optimizer.validate`` (through ``optimizer.load_scenario``), after
every rule passed; the rules live there, one small function per table or relation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer import schema

ALL_DISTRICTS = ""  # district key of municipality-wide coverage rows


@dataclass(frozen=True)
class Scenario:
    """A valid scenario for one variant. Build with ``optimizer.load_scenario``, which returns
    one only when every rule of ``optimizer.validate`` passed."""

    root: Path
    variant: str
    settings: schema.Settings
    candidates: list[schema.Candidate]
    capacities: list[schema.CandidateCapacity]
    dependencies: list[schema.Dependency]
    existing_assets: list[schema.ExistingAsset]
    population: pd.DataFrame  # this variant: year, district, age_group, population
    budgets: list[schema.BudgetRow]  # budget_factor applied (department budgets too)
    department_budgets: list[schema.DepartmentBudgetRow]
    staff: list[schema.StaffRow]
    policy_years: list[schema.PolicyYearRow]
    source_files: tuple[Path, ...] = ()
    table_labels: dict[str, str] = field(default_factory=dict)  # table -> file label
    candidate_rows: dict[str, int] = field(default_factory=dict)  # candidate id -> row number

    # ---- convenient views -------------------------------------------------------------
    @property
    def first_year(self) -> int:
        return self.settings.scenario.first_year

    @property
    def last_year(self) -> int:
        return self.settings.scenario.last_year

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def variants(self) -> list[str]:
        return list(self.settings.variants)

    @cached_property
    def candidate_by_id(self) -> dict[str, schema.Candidate]:
        return {c.id: c for c in self.candidates}

    @cached_property
    def service_by_id(self) -> dict[str, schema.Service]:
        return {s.id: s for s in self.settings.services}

    @cached_property
    def department_by_id(self) -> dict[str, schema.Department]:
        return {d.id: d for d in self.settings.departments}

    @cached_property
    def pool_by_id(self) -> dict[str, schema.FundingPool]:
        return {p.id: p for p in self.settings.pools}

    def spend_profile(self, candidate: schema.Candidate) -> list[float]:
        """Shares of capex per year from the start year; even over the lead time when not given."""
        return spend_profile(candidate)

    @cached_property
    def start_windows(self) -> dict[str, tuple[int, int]]:
        return start_windows(self.candidates, self.dependencies, self.first_year, self.last_year)

    @cached_property
    def demand(self) -> pd.DataFrame:
        from optimizer.population import demand_table

        return demand_table(self)

    def summary(self) -> dict[str, Any]:
        return {
            "scenario": self.settings.scenario.name,
            "variant": self.variant,
            "candidates": len(self.candidates),
            "departments": [d.id for d in self.settings.departments],
            "services": [s.id for s in self.settings.services],
            "districts": [d.id for d in self.settings.districts],
            "pools": [p.id for p in self.settings.pools],
            "variants": self.variants,
            "years": [self.first_year, self.last_year],
        }


def spend_profile(candidate: schema.Candidate) -> list[float]:
    """Shares of capex per year from the start year; even over the lead time when not given."""
    if candidate.spend_profile:
        return list(candidate.spend_profile)
    years = max(candidate.lead_time, 1)
    return [1.0 / years] * years


def start_windows(
    candidates: Iterable[schema.Candidate],
    dependencies: Iterable[schema.Dependency],
    first: int,
    last: int,
) -> dict[str, tuple[int, int]]:
    """Start windows tightened by horizon, deadline, commitment and precedence (docs/model.md,
    Decisions).

    A successor cannot start before its predecessor can be in service; spending must fit in the
    horizon. A window with earliest > latest leaves the candidate no possible start (the rule
    ``optimizer.validate.windows`` reports it). Dependencies must be acyclic.
    """
    windows: dict[str, tuple[int, int]] = {}
    by_id = {}
    for c in candidates:
        by_id[c.id] = c
        spend_years = len(spend_profile(c))
        earliest = max(first, c.earliest_start if c.earliest_start is not None else first)
        latest = min(last - spend_years + 1, c.latest_start if c.latest_start is not None else last)
        if c.deadline is not None:
            latest = min(latest, c.deadline - c.lead_time)
        if c.committed_start is not None:
            earliest, latest = c.committed_start, c.committed_start
        windows[c.id] = (earliest, latest)
    dependencies = [d for d in dependencies if d.candidate in windows and d.requires in windows]
    for _ in range(len(dependencies) + 1):  # propagate precedence to a fixed point
        changed = False
        for d in dependencies:
            p, q = by_id[d.candidate], by_id[d.requires]
            bound = windows[d.requires][0] + q.lead_time + d.lag
            if d.kind != "in_service_before_start":
                bound -= p.lead_time
            if bound > windows[d.candidate][0]:
                windows[d.candidate] = (bound, windows[d.candidate][1])
                changed = True
        if not changed:
            break
    return windows
