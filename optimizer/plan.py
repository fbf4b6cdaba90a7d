"""A solved plan: the decisions, and the tables people read (docs/plan-json.md).

The decisions are the source of truth: ``starts`` (which candidate starts in which year, how
many units) plus the continuous values the solver chose (shortfall, transfers between
districts, carry-over, debt). Every table is derived from the decisions and the scenario by
``optimizer.tables``; the independent checker (``optimizer.check``) recomputes every
constraint from the same decisions without looking at the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from optimizer.status import Status

SHORTFALL_COLUMNS = ["service", "district", "year", "shortfall"]
TRANSFER_COLUMNS = ["service", "from_district", "to_district", "year", "units"]
CARRY_OVER_COLUMNS = ["pool", "year", "carry_over"]
DEBT_COLUMNS = ["year", "debt"]
EMERGENCY_COLUMNS = ["option", "year", "units"]


@dataclass
class Plan:
    scenario: str
    variant: str
    status: Status  # a status word (from plan.json) becomes a Status
    solver: str
    objective: float | None = (
        None  # minimised objective (cost mode: PV cost, MSEK; value mode: -value)
    )
    bound: float | None = None  # best proven bound on the objective
    gap: float | None = None  # relative gap |objective - bound| / |objective|
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    objective_mode: str = "cost"
    # decisions
    starts: dict[str, dict[int, int]] = field(
        default_factory=dict
    )  # candidate -> {start year: units}
    shortfall: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SHORTFALL_COLUMNS))
    transfers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TRANSFER_COLUMNS))
    carry_over: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=CARRY_OVER_COLUMNS)
    )
    debt: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DEBT_COLUMNS))
    # existing asset -> the year the plan closes it early (closures at the end of life follow
    # from the scenario and the starts, docs/model.md, Existing assets)
    early_closures: dict[str, int] = field(default_factory=dict)
    emergency: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=EMERGENCY_COLUMNS)
    )  # units of each emergency option used per year
    # derived tables, by name: schedule, coverage, budget, opex, co2e, staff, shadow_prices, ...
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    objective_terms: dict[str, float] = field(default_factory=dict)  # PV by cost kind, MSEK
    message: str = ""  # what the solver said, in words
    solver_choice: str = ""  # which solver and why (optimizer/solver_choice.py)
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    @property
    def has_solution(self) -> bool:
        return self.status.has_plan

    @property
    def chosen(self) -> list[str]:
        return sorted(c for c, by_year in self.starts.items() if sum(by_year.values()) > 0)
