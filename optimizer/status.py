"""How a solve ended, normalised once for both solvers (docs/model.md, Status).

The values are the words ``plan.json`` and the manifest have always carried, so stored results
read back unchanged; a ``Status`` compares equal to its word.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven optimal within the optimality tolerance (relative gap ≤ 1e-4)
    FEASIBLE = "feasible"  # a plan, not proven optimal (time limit or a looser --gap)
    INFEASIBLE = "infeasible"  # the hard limits conflict
    UNBOUNDED = "unbounded"  # the objective can fall without limit (a data error)
    NO_SOLUTION = "no_solution"  # the time limit came before any plan

    @property
    def has_plan(self) -> bool:
        """The solver found a plan (tables, reports and the checker apply)."""
        return self in WITH_PLAN

    @property
    def is_optimal(self) -> bool:
        return self is Status.OPTIMAL


# Statuses that come with a plan; also answers for a status word read from a stored result.
WITH_PLAN = frozenset({Status.OPTIMAL, Status.FEASIBLE})
