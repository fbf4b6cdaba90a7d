"""build(data) -> the MILP, in matrix form. Reads like a table of contents (STYLE.md):
decisions first, then one function per constraint block of MODEL.md §4, the objective last.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.data import ModelData
from optimizer.model.budget import add_budgets
from optimizer.model.builder import LinearModel
from optimizer.model.choice import add_choice
from optimizer.model.climate import add_climate
from optimizer.model.coverage import add_coverage
from optimizer.model.debt import add_debt
from optimizer.model.decisions import Decisions, add_shortfall, add_start_decisions
from optimizer.model.delivery import add_delivery
from optimizer.model.objective import add_objective
from optimizer.model.precedence import add_precedence
from optimizer.model.staff import add_staff

# Every constraint block of MODEL.md §4 and the row blocks it writes; tests assert that each
# has a hand-checkable model whose answer changes because of it.
CONSTRAINT_BLOCKS = {
    "coverage": ("coverage", "neighbour_share"),
    "budget": ("budget", "department_budget"),
    "debt": ("debt", "debt_ceiling"),
    "precedence": ("precedence", "opens_with"),
    "choice": ("must_do", "units", "exclusive", "exclusive_built", "committed"),
    "climate": ("co2e_cap", "co2e_budget"),
    "staff": ("staff",),
    "delivery": ("delivery",),
}


@dataclass
class BuiltModel:
    data: ModelData
    model: LinearModel
    decisions: Decisions
    shortfall: np.ndarray
    debt: np.ndarray | None
    objective_parts: dict


def build(data: ModelData, running_sum: str | None = None) -> BuiltModel:
    running_sum = running_sum or data.scenario.settings.solver.running_sum
    model = LinearModel()
    decisions = add_start_decisions(model, data, running_sum)
    shortfall = add_shortfall(model, data)
    add_coverage(decisions, shortfall)
    add_budgets(decisions)
    debt = add_debt(decisions)
    add_precedence(decisions)
    add_choice(decisions)
    add_climate(decisions)
    add_staff(decisions)
    add_delivery(decisions)
    parts = add_objective(decisions, shortfall, debt)
    return BuiltModel(data, model, decisions, shortfall, debt, parts)
