"""build(data, options) -> the MILP, in matrix form. Reads like a table of contents:
decisions first, then one function per constraint block of docs/model.md (in the order of
``registry.CONSTRAINT_BLOCKS``), the costs of the starts last. Every mode (replan, diagnosis,
explanation) is an input (``BuildOptions``), never a patch applied to a built model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.data import ModelData
from optimizer.model.builder import INF, LinearModel
from optimizer.model.decisions import Decisions, add_shortfall, add_start_decisions
from optimizer.model.elastic import add_elastic
from optimizer.model.objective import TERM_ORDER, add_objective
from optimizer.model.options import (
    AdoptedStarts,
    BuildOptions,
    FixedStarts,
    ForcedStart,
    MeasureLimit,
    NearOptimal,
)
from optimizer.model.registry import CONSTRAINT_BLOCKS, ROW_BLOCKS, RowKey, is_relaxed

__all__ = [
    "AdoptedStarts",
    "BuildOptions",
    "BuiltModel",
    "FixedStarts",
    "ForcedStart",
    "MeasureLimit",
    "NearOptimal",
    "build",
]


@dataclass
class BuiltModel:
    data: ModelData
    model: LinearModel
    decisions: Decisions
    options: BuildOptions

    @property
    def shortfall(self) -> np.ndarray:
        return self.decisions.shortfall

    @property
    def objective_parts(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """(columns, PV coefficients) by cost kind, from the model's cost accumulator."""
        return self.model.costs.parts(TERM_ORDER)


def build(data: ModelData, options: BuildOptions | None = None) -> BuiltModel:
    options = options or BuildOptions()
    model = LinearModel()
    decisions = add_start_decisions(model, data, options)
    add_shortfall(decisions)
    for block in CONSTRAINT_BLOCKS:
        if not block.after_objective:
            block.add(decisions)
    add_objective(decisions)
    for block in CONSTRAINT_BLOCKS:
        if block.after_objective:
            block.add(decisions)
    lift_history(model, options.relaxed_years)
    add_elastic(decisions)
    return BuiltModel(data, model, decisions, options)


def lift_history(model: LinearModel, relaxed_years: frozenset[int]) -> None:
    """Yearly limits of years that are history (a replan) are not imposed again: what was
    spent then is spent, and the plan's later years still see every MSEK of it."""
    if not relaxed_years:
        return
    for name, block in model.row_blocks.items():
        if not ROW_BLOCKS[name].relaxable:
            continue
        past = [
            block.start + i
            for i, key in enumerate(block.keys)
            if is_relaxed(RowKey.of(name, key), relaxed_years)
        ]
        model.set_row_bounds(past, -INF, INF)
