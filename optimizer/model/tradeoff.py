"""Trade-offs (docs/model.md, Trade-offs; docs/tradeoffs.md): epsilon limits and near-optimal plans.

Frontier (``BuildOptions.limits``): one epsilon constraint per limited measure, over the whole
horizon; the objective is unchanged, so each point is the cheapest plan within its limits.

    Σ_t E_proj[t]                       ≤ ε    (frontier_co2e; t CO2e the projects cause)
    Σ_{s,d,t} u[s,d,t]                  ≤ ε    (frontier_shortfall; unit-years missing)
    Σ_t Σ_p net spend[p,t]              ≤ ε    (frontier_budget; MSEK, undiscounted)
    D[t]                                ≤ ε    (frontier_debt[t]; MSEK, every year: peak debt)
    Σ_p points[p]·S[p,yN]               ≥ ε    (frontier_score; points, optimizer/criteria.py)

The far end of a frontier (``BuildOptions.extreme``): the same rows with ``− m`` on the left
and bound 0, and the objective ``m`` alone (the score: ``−m``): the least the measure can be.

The far end of a frontier (``BuildOptions.extreme``): the same rows with ``− m`` on the left
and bound 0, and the objective ``m`` alone (the score: ``−m``): the least the measure can be.

Near-optimal alternatives (``BuildOptions.near_optimal``), written after the objective because
its row is the objective itself (modelling to generate alternatives, Hamming-distance variant):

    Σ_terms cost·columns                ≤ cost_limit   (near_optimal_cost; MSEK, the objective)
    z[k] ≤ x[k] ≤ max_units·z[k]                        (near_optimal_started[_all]; modular
                                                          candidates only, else z = x)
    Σ_{k: n_r[k]>0} (1 − z[k]) + Σ_{k: n_r[k]=0} z[k] ≥ 1   (near_optimal_differs[r]; each r)
    minimise  Σ_k (Σ_r [n_r[k] > 0] − [n_r[k] = 0])·z[k]  −  bonus·Σ_{p ∈ prefer} Σ_y z[p,y]

z[k] = 1 when any unit starts at k (candidate, year). The objective is, up to a constant, minus
the number of start decisions that differ from each avoided plan n_r, summed over them; the
``differs`` rows make each alternative a new plan. The objective's cost terms stay in the
accumulator (reported by kind) but only ``distance`` is counted.
"""

from __future__ import annotations

import numpy as np

from optimizer.criteria import candidate_points
from optimizer.model.budget import net_spend_terms
from optimizer.model.builder import INF
from optimizer.model.climate import emission_terms
from optimizer.model.decisions import Decisions, units_per_start
from optimizer.model.options import MeasureLimit


class MeasureUnavailable(ValueError):
    """A measure the scenario cannot limit (peak debt without debt rules)."""


def add_measure_limits(dec: Decisions) -> None:
    """Each limit as its rows; the extreme measure as rows ``measure − m ≤ 0`` (score: ``≥``)
    with m a free column that is the whole objective (kind ``measure``: +m, score: −m)."""
    model, options = dec.model, dec.options
    measures = [limit.measure for limit in options.limits]
    if len(set(measures)) != len(measures):
        raise ValueError(f"a measure is limited twice: {measures}")
    for limit in options.limits:
        if limit.measure == options.extreme:
            raise ValueError(f"{limit.measure} is both limited and the objective")
        add_measure_rows(dec, limit)
    if options.extreme is not None:
        m = model.add_columns("measure", [(options.extreme,)], -INF, INF)
        extreme = MeasureLimit(options.extreme, 0.0)  # measure − m within its limit 0
        add_measure_rows(dec, extreme, int(m[0]))
        model.costs.add("measure", m, -1.0 if extreme.is_floor else 1.0)  # the score: most
        model.costs.counted = frozenset({"measure"})


def add_measure_rows(dec: Decisions, limit: MeasureLimit, column: int | None = None) -> None:
    """``measure ≤ limit`` (score: ``≥``), with ``−column`` on the left when a column is given."""
    data, model = dec.data, dec.model
    years = [int(y) for y in data.years]
    measure = limit.measure
    name = f"frontier_{measure}"
    lower, upper = (limit.limit, INF) if limit.is_floor else (-INF, limit.limit)
    if measure == "debt":
        debt = model.col_blocks.get("debt")
        if debt is None:
            raise MeasureUnavailable("the scenario has no [debt]: there is no debt to limit")
        rows = model.add_rows(name, [(y,) for y in years], lower, upper)
        model.add_terms(rows, np.arange(debt.start, debt.stop), 1.0)
    else:
        rows = model.add_rows(name, [()], lower, upper)
    row = rows[0]
    if column is not None:
        model.add_terms(rows, np.full(len(rows), column), -1.0)
    if measure == "co2e":
        emission_terms(dec, np.full(len(years), row, dtype=np.int64))
    elif measure == "shortfall":
        model.add_terms(np.full(len(dec.shortfall), row), dec.shortfall, 1.0)
    elif measure == "budget":
        start, _, amount = net_spend_terms(dec)
        model.add_terms(np.full(len(start), row), dec.x[start], amount)
    elif measure == "score":
        points = candidate_points(data.scenario)
        weight = np.array([points[p] for p in data.ids])
        counted = np.flatnonzero(weight)
        dec.started_by(
            np.full(len(counted), row),
            counted,
            np.full(len(counted), years[-1]),
            weight[counted],
        )


def add_near_optimal(dec: Decisions) -> None:
    near = dec.options.near_optimal
    if near is None:
        return
    data, model = dec.data, dec.model
    cost = model.costs.vector(model.n_cols)
    used = np.flatnonzero(cost)
    row = model.add_rows("near_optimal_cost", [()], -INF, near.cost_limit - model.offset)[0]
    model.add_terms(np.full(len(used), row), used, cost[used])
    started = started_at(dec)
    weight = np.zeros(data.n_starts)
    differs_keys, differs_bound, taken_by = [], [], []
    for r, avoided in enumerate(near.avoid):
        taken = units_per_start(data, avoided) > 0
        weight += np.where(taken, 1.0, -1.0)
        differs_keys.append((f"avoided-{r + 1}",))
        differs_bound.append(1.0 - taken.sum())
        taken_by.append(taken)
    if differs_keys:
        rows = model.add_rows("near_optimal_differs", differs_keys, np.array(differs_bound), INF)
        for row_r, taken in zip(rows, taken_by, strict=True):
            model.add_terms(np.full(data.n_starts, row_r), started, np.where(taken, -1.0, 1.0))
    preferred = np.flatnonzero(np.isin(np.array(data.ids), sorted(near.prefer)))
    for i in preferred:  # S[p,yN] = Σ_y x[p,y]
        weight[data.start_candidate == i] -= near.bonus
    model.costs.add("distance", started, weight)
    model.costs.counted = frozenset({"distance"})


def started_at(dec: Decisions) -> np.ndarray:
    """A 0/1 column per start saying whether any unit starts then: x itself for a single
    project, and for a modular one z with z ≤ x ≤ max_units·z (near_optimal_started)."""
    data, model = dec.data, dec.model
    units = data.max_units[data.start_candidate]
    modular = np.flatnonzero(units > 1)
    started = dec.x.copy()
    if modular.size == 0:
        return started
    keys = [(data.ids[data.start_candidate[k]], int(data.start_year[k])) for k in modular]
    z = model.add_columns("started_at", keys, 0.0, 1.0, integer=True)
    low = model.add_rows("near_optimal_started", keys, 0.0, INF)  # x − z ≥ 0
    model.add_terms(low, dec.x[modular], 1.0)
    model.add_terms(low, z, -1.0)
    high = model.add_rows("near_optimal_started_all", keys, -INF, 0.0)  # x − m·z ≤ 0
    model.add_terms(high, dec.x[modular], 1.0)
    model.add_terms(high, z, -units[modular].astype(float))
    started[modular] = z
    return started
