"""Attribution: which input change causes which move of a replan, and what each change costs.

Each group of input changes (one candidate's rows, or one table: ``change_groups``) is applied
alone to the adopted inputs and replanned; a move is caused by a group when that replan makes
the same move (``attribute_changes``). Two more replans price the whole: one with no change
(the baseline) and one with every change and no stability price (what stability bought).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd

from optimizer.errors import ScenarioError
from optimizer.plan import Plan
from optimizer.replan import AdoptedPlan, Change, replan
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings

ATTRIBUTION_METHOD = (
    "each group of input changes applied alone to the adopted inputs and replanned; a move is "
    "caused by a group when that replan makes the same move"
)
# Tables whose rows belong to one candidate: a candidate's rows in them change together.
CANDIDATE_TABLES = {
    "candidates": ("candidates", "id"),
    "candidate_capacity": ("capacities", "candidate"),
    "dependencies": ("dependencies", "candidate"),
}
# The other tables: the Scenario field each replaces.
TABLE_FIELDS = {
    "existing_assets": "existing_assets",
    "population": "population",
    "budgets": "budgets",
    "department_budgets": "department_budgets",
    "staff": "staff",
    "policy_years": "policy_years",
    "emergency_options": "emergency_options",
    "other_investments": "other_investments",
    "scenario.toml": "settings",
}
TOGETHER = "together"  # a move no single group causes alone


@dataclass
class ChangeGroup:
    """Input changes that are applied together: one candidate's rows, or one table."""

    key: str  # "candidate:WATER-2", "population", "budgets", "scenario.toml", …
    rows: int  # rows of input_changes.csv it covers
    cost: float | None = None  # MSEK: plan cost with this change alone − with none
    moves: list[str] = field(default_factory=list)  # candidates it moves when applied alone
    note: str = ""  # why it could not be applied alone

    @property
    def table(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def candidate(self) -> str | None:
        return self.key.split(":", 1)[1] if ":" in self.key else None


@dataclass
class Attribution:
    method: str
    groups: list[ChangeGroup]
    stability_price: float  # MSEK per candidate moved, added or removed
    unchanged_cost: float | None  # the replan with the adopted inputs (none changed)
    cost: float | None  # the replan with every change, without the stability term
    stability_paid: float  # price × changes made
    free_cost: float | None  # the replan with every change and no stability price
    free_changes: int | None  # how many changes that free replan makes

    @property
    def stability_cost(self) -> float | None:
        """What keeping the plan stable costs: the plan's cost above a free re-optimisation."""
        if self.cost is None or self.free_cost is None:
            return None
        return self.cost - self.free_cost


def change_groups(diffs: pd.DataFrame) -> list[ChangeGroup]:
    """The input changes grouped as a planner names them: per candidate, else per table."""
    counts: dict[str, int] = {}
    for row in diffs.itertuples(index=False):
        if row.table in CANDIDATE_TABLES:
            key = f"candidate:{str(row.key).split(',')[0]}"
        else:
            key = str(row.table)
        counts[key] = counts.get(key, 0) + 1
    return [ChangeGroup(key, rows) for key, rows in counts.items()]


def with_change(old: Scenario, new: Scenario, group: ChangeGroup) -> Scenario:
    """The adopted inputs with only ``group``'s changes taken from this year's inputs."""
    if group.candidate is not None:
        update = {}
        for _table, (name, column) in CANDIDATE_TABLES.items():
            kept = [r for r in getattr(old, name) if getattr(r, column) != group.candidate]
            taken = [r for r in getattr(new, name) if getattr(r, column) == group.candidate]
            update[name] = kept + taken
        return dataclasses.replace(old, **update)
    name = TABLE_FIELDS[group.table]
    return dataclasses.replace(old, **{name: getattr(new, name)})


def _planning_cost(plan: Plan) -> float | None:
    if not plan.has_solution:
        return None
    return plan.objective - plan.objective_terms.get("stability", 0.0)


def attribute_changes(
    changes: list[Change],
    plan: Plan,
    old: Scenario,
    new: Scenario,
    diffs: pd.DataFrame,
    adopted: AdoptedPlan,
    year: int,
    lock_years: int = 0,
    settings: SolveSettings | None = None,
    stability_price: float | None = None,
) -> Attribution:
    """Link each move to the input changes that cause it, and price each change.

    One replan per change group (the group alone on the adopted inputs), one with no change
    (the baseline), one with every change and no stability price (what stability bought).
    Each change gets ``causes``: the groups that make the same move alone, or ``TOGETHER``.
    """
    price = new.settings.replan.stability_price if stability_price is None else stability_price

    def replanned(scenario: Scenario, price_: float | None = stability_price):
        return replan(scenario, adopted, year, lock_years, settings, price_)

    unchanged_plan, _ = replanned(old)
    unchanged = _planning_cost(unchanged_plan)
    groups = change_groups(diffs)
    for group in groups:
        try:
            alone, moves = replanned(with_change(old, new, group))
        except (ScenarioError, ValueError, KeyError) as exc:  # a change that needs another
            group.note = f"cannot be applied alone ({exc})"
            continue
        if not alone.has_solution:
            group.note = f"alone it leaves no plan ({alone.status})"
            continue
        cost = _planning_cost(alone)
        group.cost = None if cost is None or unchanged is None else cost - unchanged
        wanted = {_move(c) for c in changes}
        group.moves = sorted(c.candidate for c in moves if _move(c) in wanted)
    for change in changes:
        change.causes = [g.key for g in groups if change.candidate in g.moves] or [TOGETHER]
    free_plan, free_changes = replanned(new, 0.0)
    return Attribution(
        method=ATTRIBUTION_METHOD,
        groups=groups,
        stability_price=price,
        unchanged_cost=unchanged,
        cost=_planning_cost(plan),
        stability_paid=plan.objective_terms.get("stability", 0.0) if plan.has_solution else 0.0,
        free_cost=_planning_cost(free_plan),
        free_changes=len(free_changes) if free_plan.has_solution else None,
    )


def _move(change: Change) -> tuple:
    return (change.candidate, change.kind, change.new_start, change.new_units)
