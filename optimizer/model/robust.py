"""The robust model: one plan per variant in one LinearModel, first-stage starts shared
(docs/model.md, Robust plan).

Each variant v gets its own copy of the plan, built by the ordinary ``build(data_v, options)``
from its own data (population, budgets, … of that variant), placed side by side in one matrix
(columns of v shifted by its offset, row and column blocks named ``block@v``). Two things link
the copies:

- **non-anticipativity** ``nonanticipativity[candidate,year,v]``: every start up to the decision
  year is the same in every variant, x_v[p,y] − x_ref[p,y] = 0 for y ≤ decide_until (a start
  that only one variant's window allows is 0 there: it cannot be decided before the future is
  known); later starts are free per variant;
- **the objective**: expected cost Σ_v w_v·cost_v (``criterion = "expected"``), or the largest
  regret z ≥ cost_v − opt_v against each variant's own optimum opt_v (``"regret"``, rows
  ``regret[v]``; the variants' costs stay in the accumulator, not counted, for reporting).

The single-variant build is not changed or patched: the robust build calls it once per variant
and composes what it returns, so every block, mode and check of one variant holds per copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from optimizer.data import ModelData
from optimizer.model import BuildOptions, BuiltModel, build
from optimizer.model.builder import INF, Block, CostTerm, LinearModel

Criterion = Literal["expected", "regret"]
NONANTICIPATIVITY = "nonanticipativity"
REGRET = "regret"


@dataclass(frozen=True)
class RobustOptions:
    decide_until: int  # starts in years up to and including this one are shared by all variants
    criterion: Criterion = "expected"
    weights: Mapping[str, float] | None = None  # by variant; None: equal (normalised to sum 1)
    optima: Mapping[str, float] = field(default_factory=dict)  # own optimum per variant (regret)
    variant_options: BuildOptions = field(default_factory=BuildOptions)


@dataclass
class RobustModel:
    model: LinearModel
    variants: list[str]
    parts: dict[str, BuiltModel]  # each variant's own build (its column indices are local)
    offsets: dict[str, int]  # first column of each variant's copy in ``model``
    weights: dict[str, float]
    options: RobustOptions

    def values_of(self, variant: str, values: np.ndarray) -> np.ndarray:
        """The solution of one variant's copy, indexed as its own build."""
        start = self.offsets[variant]
        return values[start : start + self.parts[variant].model.n_cols]


def normalised_weights(variants: Sequence[str], weights: Mapping[str, float] | None) -> dict:
    given = {v: 1.0 for v in variants} if weights is None else dict(weights)
    total = sum(given[v] for v in variants)
    if total <= 0 or any(given[v] < 0 for v in variants):
        raise ValueError("weights must be non-negative and not all zero")
    return {v: given[v] / total for v in variants}


def build_robust(datas: Mapping[str, ModelData], options: RobustOptions) -> RobustModel:
    """One model over the variants' data (docs/model.md, Robust plan)."""
    variants = list(datas)
    weights = normalised_weights(variants, options.weights)
    parts = {v: build(datas[v], options.variant_options) for v in variants}
    model = LinearModel()
    offsets: dict[str, int] = {}
    for v in variants:
        offsets[v] = model.n_cols
        _place(model, parts[v].model, v, weights[v] if options.criterion == "expected" else 1.0)
    robust = RobustModel(model, variants, parts, offsets, weights, options)
    _add_nonanticipativity(robust)
    if options.criterion == "regret":
        _add_regret(robust)
    return robust


def _place(model: LinearModel, part: LinearModel, variant: str, weight: float) -> None:
    """Append ``part`` as the copy of ``variant``: its columns and rows shifted, its costs weighted."""
    col0, row0 = model.n_cols, model.n_rows
    for name, block in part.col_blocks.items():
        scoped = f"{name}@{variant}"
        model.col_blocks[scoped] = Block(scoped, col0 + block.start, block.keys)
    for name, block in part.row_blocks.items():
        scoped = f"{name}@{variant}"
        model.row_blocks[scoped] = Block(scoped, row0 + block.start, block.keys)
    model.col_lower.append(part.lower)
    model.col_upper.append(part.upper)
    model.col_integer.append(part.integer)
    model.row_lower.append(part.rlower)
    model.row_upper.append(part.rupper)
    coo = part.matrix("csc").tocoo()
    model.add_terms(coo.row + row0, coo.col + col0, coo.data)
    cost = part.cost  # the part's objective, as its accumulator counts it
    used = np.flatnonzero(cost)
    model.costs.terms.append(CostTerm(f"cost@{variant}", used + col0, cost[used], weight))
    model.offset += weight * part.offset
    model.n_cols += part.n_cols
    model.n_rows += part.n_rows


def _start_columns(robust: RobustModel, variant: str) -> dict[tuple[str, int], int]:
    """(candidate, year) -> column of x in the robust model, for starts up to the decision year."""
    part = robust.parts[variant]
    data, x = part.data, part.decisions.x
    until = robust.options.decide_until
    return {
        (data.ids[c], int(y)): int(x[k]) + robust.offsets[variant]
        for k, (c, y) in enumerate(zip(data.start_candidate, data.start_year, strict=True))
        if y <= until
    }


def _add_nonanticipativity(robust: RobustModel) -> None:
    """x_v[p,y] = x_ref[p,y] for y ≤ decide_until; a start only some variants allow is 0."""
    model = robust.model
    reference = robust.variants[0]
    ref_cols = _start_columns(robust, reference)
    keys, rows_cols, vals = [], [], []
    every = [_start_columns(robust, v) for v in robust.variants]
    allowed_everywhere = set.intersection(*(set(c) for c in every))
    for v, cols in zip(robust.variants, every, strict=True):
        for key, col in cols.items():
            if key in allowed_everywhere and v == reference:
                continue
            i = len(keys)
            keys.append((*key, v))
            if key in allowed_everywhere:  # the same decision in v as in the reference
                rows_cols += [(i, col), (i, ref_cols[key])]
                vals += [1.0, -1.0]
            else:  # not decidable in every future: not started in the first stage
                rows_cols.append((i, col))
                vals.append(1.0)
    rows = model.add_rows(NONANTICIPATIVITY, keys, 0.0, 0.0)
    if keys:
        local = np.array(rows_cols, dtype=np.int64)
        model.add_terms(rows[local[:, 0]], local[:, 1], np.array(vals))


def _add_regret(robust: RobustModel) -> None:
    """z ≥ cost_v − opt_v for every variant; minimise z (the copies' costs not counted)."""
    model = robust.model
    missing = [v for v in robust.variants if v not in robust.options.optima]
    if missing:
        raise ValueError(f"regret needs each variant's own optimum: missing {', '.join(missing)}")
    z = model.add_columns(REGRET, [("max",)], -INF, INF)
    model.costs.add(REGRET, z, 1.0)
    model.costs.counted = frozenset({REGRET})
    rows = model.add_rows(
        REGRET,
        [(v,) for v in robust.variants],
        -INF,
        [robust.options.optima[v] - robust.parts[v].model.offset for v in robust.variants],
    )
    for i, v in enumerate(robust.variants):
        term = next(t for t in model.costs.terms if t.kind == f"cost@{v}")
        model.add_terms(np.full(term.cols.size, rows[i]), term.cols, term.coefs)
        model.add_terms(rows[i : i + 1], z, -1.0)
    model.offset = 0.0
