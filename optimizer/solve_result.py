"""What every solver's answer becomes: one ``SolveResult`` with one status vocabulary, the
status derived from the proven gap (``optimizer/solve.py`` for HiGHS, ``optimizer/cbc.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from optimizer.model.builder import LinearModel
from optimizer.schema import SolverSettings
from optimizer.status import Status

OPTIMALITY_GAP = 1e-4  # a plan is called optimal only when proven within this relative gap


# How to solve: the scenario's [solver] table with the command line's values laid over it
# (``optimizer.run.solve_settings_for``). One model, declared once, in optimizer/schema/settings.py.
SolveSettings = SolverSettings


@dataclass
class SolveResult:
    status: Status
    solver: str
    solver_version: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    values: np.ndarray | None
    message: str = ""
    row_duals: np.ndarray | None = None
    extra: dict = field(default_factory=dict)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or not np.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9)


def _status_from_gap(gap: float | None) -> Status:
    return Status.OPTIMAL if gap is not None and gap <= OPTIMALITY_GAP + 1e-12 else Status.FEASIBLE


def objective_of(model: LinearModel, values: np.ndarray) -> float:
    """The plan's objective recomputed from its values: ``c·x + offset``."""
    return float(model.cost @ values + model.offset)
