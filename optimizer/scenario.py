"""The typed ``Scenario`` that the rest of capplan trusts, and its start-window arithmetic.

A ``Scenario`` is made only by ``optimizer.validate`` (through ``optimizer.load_scenario``), after
every rule passed; the rules live there, one small function per table or relation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from optimizer import schema

if TYPE_CHECKING:
    from optimizer.errors import Problem

ALL_DISTRICTS = ""  # district key of municipality-wide coverage rows


@dataclass(frozen=True)
class Scenario(schema.Horizon):
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
    emergency_options: list[schema.EmergencyOption] = field(default_factory=list)
    # investment besides the candidates (docs/model.md, the whole investment frame)
    other_investments: list[schema.OtherInvestmentRow] = field(default_factory=list)
    source_files: tuple[Path, ...] = ()
    table_labels: dict[str, str] = field(default_factory=dict)  # table -> file label
    candidate_rows: dict[str, int] = field(default_factory=dict)  # candidate id -> row number
    # what validation warned about (optimizer/validate/plausible.py): solvable, but looks wrong
    warnings: tuple[Problem, ...] = ()

    # ---- convenient views -------------------------------------------------------------
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

    @cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """Readable names of services, departments, pools and districts by id (the id when no
        name is given), and each service's unit: what reports and diagnoses show for an id."""
        settings = self.settings
        return {
            "service": {s.id: s.name or s.id for s in settings.services},
            "unit": {s.id: s.unit for s in settings.services},
            "department": {d.id: d.name or d.id for d in settings.departments},
            "pool": {p.id: p.name or p.id for p in settings.pools},
            "district": {d.id: d.name or d.id for d in settings.districts},
        }

    def spend_profile(self, candidate: schema.Candidate) -> list[float]:
        """Shares of capex per year from the start year; even over the lead time when not given;
        for a project under way, what was spent before the first year and its remaining spend."""
        return spend_profile(candidate, self.first_year)

    @cached_property
    def asset_by_id(self) -> dict[str, schema.ExistingAsset]:
        return {a.id: a for a in self.existing_assets}

    def district_key(self, service: str, district: str | None) -> str:
        """The district of a coverage row: ``district`` for a service planned per district,
        ALL_DISTRICTS ("") for a municipality-wide one."""
        return (
            (district or ALL_DISTRICTS)
            if self.service_by_id[service].by_district
            else ALL_DISTRICTS
        )

    def closure_window(self, asset: schema.ExistingAsset) -> list[int]:
        """Horizon years in which ``asset`` may be closed early (a decision of the plan):
        from ``earliest_closure`` to the year before its retirement year."""
        if asset.earliest_closure is None:
            return []
        end = self.last_year if asset.retirement_year is None else asset.retirement_year - 1
        return [y for y in self.years if asset.earliest_closure <= y <= end]

    def duty_years(self, service: str) -> list[int]:
        """Horizon years in which covering ``service`` is a legal duty (docs/model.md, Duties)."""
        start = self.service_by_id[service].duty_from
        return [] if start is None else [y for y in self.years if y >= start]

    def in_finance_scope(self, service: str) -> bool:
        """Whether the closures, early-closure savings and emergency options of ``service``
        count in the result of the finance scope, the debt-financed pools (docs/model.md,
        finance): yes unless every candidate that provides it is paid by a pool outside
        ``debt.pools`` (a fee-financed VA kept apart pays its own)."""
        debt = self.settings.debt
        if debt is None or not debt.pools:
            return True
        pool_of = {c.id: c.pool for c in self.candidates}
        pools = {pool_of[c.candidate] for c in self.capacities if c.service == service}
        return not pools or bool(pools & set(debt.pools))

    def has_terminal_condition(self, service: str) -> bool:
        """Whether capacity at the end must cover planned demand then (docs/model.md, Horizon end)."""
        flag = self.service_by_id[service].terminal
        if flag is not None:
            return flag
        return self.last_year in self.duty_years(service)

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


def spend_profile(candidate: schema.Candidate, first_year: int | None = None) -> list[float]:
    """Shares of capex per year from the start year; even over the lead time when not given.

    A project under way (``in_service_year``) started in s = in_service_year − lead_time, before
    the first year y0: its shares are its ``remaining_spend`` / capex in y0, y0+1, …, and what
    was spent before y0 (capex − Σ remaining) spread evenly over s … y0−1, so that the shares sum
    to 1 and the horizon sees exactly the remaining spend (docs/model.md, Projects under way).
    """
    if candidate.in_service_year is not None and first_year is not None:
        return _under_way_profile(candidate, first_year)
    if candidate.spend_profile:
        return list(candidate.spend_profile)
    years = max(candidate.lead_time, 1)
    return [1.0 / years] * years


def _under_way_profile(candidate: schema.Candidate, first_year: int) -> list[float]:
    start = candidate.in_service_year - candidate.lead_time
    before = max(first_year - start, 0)  # spend years before the horizon
    remaining = list(candidate.remaining_spend)
    length = max(candidate.lead_time, before + len(remaining), 1)
    shares = [0.0] * length
    if candidate.capex <= 0:
        return shares
    spent_before = max(candidate.capex - sum(remaining), 0.0)
    if before:
        shares[:before] = [spent_before / candidate.capex / before] * before
    for k, amount in enumerate(remaining):
        shares[before + k] = amount / candidate.capex
    return shares


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
        if c.committed_year is not None:
            earliest, latest = c.committed_year, c.committed_year
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
