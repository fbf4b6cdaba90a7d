"""Elastic limits (diagnosis of an infeasible scenario, ``BuildOptions.elastic``).

Every row block the registry marks elastic gets a slack s ≥ 0 on its hard side (column block
``slack_<row block>``, keyed like the rows):

    upper:  Σ … − s ≤ limit          lower:  Σ … + s ≥ limit

and in hard-coverage mode the shortfall u is allowed again. The objective is the total
weighted violation alone (kind ``violation``; the cost terms are kept but not counted):

    Σ s / max(|limit|, 1)  (× DECIDED_PROJECT_WEIGHT on lower sides)  +  Σ_s Σ u[s,·] / need[s]

so that MSEK, tonnes and FTE weigh alike; need[s] is the largest |need| of service s (≥ 1), so
the total missing is minimised, not shifted between years. Dropping a must-do or committed
project weighs ten times more: those are decisions, the limits are what the council can revisit.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions
from optimizer.model.registry import ROW_BLOCK_LIST

DECIDED_PROJECT_WEIGHT = 10.0  # one must-do or committed project dropped ~ ten limits doubled


def slack_block(row_block: str) -> str:
    """The column block of a row block's slack."""
    return f"slack_{row_block}"


def add_elastic(dec: Decisions) -> None:
    if not dec.options.elastic:
        return
    data, model = dec.data, dec.model
    costs = model.costs
    if data.scenario.settings.scenario.hard_coverage:
        need = data.coverage.groupby("service")["need"].transform(lambda v: max(v.abs().max(), 1.0))
        costs.add("violation", dec.shortfall, 1.0 / need.to_numpy(float))
    rlower, rupper = model.rlower, model.rupper
    for entry in ROW_BLOCK_LIST:
        block = model.row_blocks.get(entry.name)
        if entry.elastic is None or block is None or not block.keys:
            continue
        rows = np.arange(block.start, block.stop)
        upper = entry.elastic == "upper"
        scale = np.maximum(np.abs(rupper[rows] if upper else rlower[rows]), 1.0)
        if not upper:  # dropping a decided project is the last resort, after any limit
            scale = scale / DECIDED_PROJECT_WEIGHT
        cols = model.add_columns(slack_block(entry.name), block.keys, 0.0, INF)
        model.add_terms(rows, cols, -1.0 if upper else 1.0)
        costs.add("violation", cols, 1.0 / scale)
    costs.counted = frozenset({"violation"})
