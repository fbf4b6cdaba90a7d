"""Alternative builds measured against the project's builder (docs/model.md, Decisions).

* ``build_aggregated``: precedence as one aggregated start-time inequality per dependency
  instead of the per-year rows on running sums; kept only to measure what it costs in LP bound.
* ``lp_bound``: the LP relaxation (integrality dropped) solved with highspy.
* ``naive_build``: the coverage, budget and precedence rows written the way a naive PuLP model
  does: PuLP ``+=`` on expressions in nested Python loops over the scenario's objects.
* ``reference_handoff``: the floor of any numpy builder: the same non-zeros, already computed,
  assembled into CSC (duplicates summed) and passed to HiGHS.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
import scipy.sparse as sp

from optimizer.data import ModelData, build_data
from optimizer.model import BuildOptions, BuiltModel, build
from optimizer.model.builder import LinearModel
from optimizer.solve import _highs_lp, pass_model, quiet_stdout

PRECEDENCE_BLOCKS = ("precedence", "opens_with")


# ======================================================================================
# Aggregated precedence
# ======================================================================================
def drop_row_blocks(model: LinearModel, names: tuple[str, ...]) -> LinearModel:
    """A copy of ``model`` without the named row blocks (later rows renumbered)."""
    keep = np.ones(model.n_rows, dtype=bool)
    for name in names:
        block = model.row_blocks.get(name)
        if block is not None:
            keep[block.start : block.stop] = False
    new_index = np.cumsum(keep) - 1
    out = LinearModel()
    out.col_lower, out.col_upper = list(model.col_lower), list(model.col_upper)
    out.costs, out.col_integer = model.costs, list(model.col_integer)
    out.col_blocks, out.n_cols, out.offset = dict(model.col_blocks), model.n_cols, model.offset
    rows, cols, vals = (
        model._cat(model._rows, np.int64),
        model._cat(model._cols, np.int64),
        model._cat(model._vals),
    )
    kept = keep[rows]
    out._rows, out._cols, out._vals = [new_index[rows[kept]]], [cols[kept]], [vals[kept]]
    lower, upper = model.rlower, model.rupper
    for name, block in model.row_blocks.items():
        if name in names:
            continue
        out.add_rows(
            name, block.keys, lower[block.start : block.stop], upper[block.start : block.stop]
        )
    return out


def build_aggregated(data: ModelData, running_sum: str = "expression") -> BuiltModel:
    """The project's model with each per-year precedence block replaced by one aggregated row.

    With "not built" read as a start in a year T after the horizon, "p starts at least δ years
    after q" (δ = L[q] + lag for in_service_before_start, L[q] + lag − L[p] for
    in_service_when_opens) is the single row

        Σ_y (y − T_p)·x[p,y] + Σ_y (T_q − y)·x[q,y] ≥ 0,   T_q = yN + 1 + max(0, −δ),  T_p = T_q + δ

    which is exact on 0/1 decisions (p built without q is infeasible, p not built leaves q free)
    but, like every aggregated start-time or big-M form, has a weaker LP relaxation. A multi-unit
    p keeps its per-year rows (its units may start in different years).
    """
    built = build(data, BuildOptions(running_sum=running_sum))
    model = drop_row_blocks(built.model, PRECEDENCE_BLOCKS)
    index = {c: i for i, c in enumerate(data.ids)}
    year_n = int(data.years[-1])
    keys, terms, kept_per_year = [], [], []
    for dep in data.scenario.dependencies:
        p, q = index[dep.candidate], index[dep.requires]
        if data.max_units[p] > 1:
            kept_per_year.append(dep)
            continue
        delta = (
            int(data.lead[q])
            + dep.lag
            - (int(data.lead[p]) if dep.kind == "in_service_when_opens" else 0)
        )
        t_q = year_n + 1 + max(0, -delta)
        t_p = t_q + delta
        row = len(keys)
        keys.append((dep.candidate, dep.requires))
        for cand, offset, sign in ((p, t_p, 1.0), (q, t_q, -1.0)):
            starts = np.arange(
                data.first_start[cand],
                data.first_start[cand] + data.latest[cand] - data.earliest[cand] + 1,
            )
            years = data.start_year[starts]
            terms.append(
                (np.full(len(starts), row), built.decisions.x[starts], sign * (years - offset))
            )
    if kept_per_year:
        raise NotImplementedError(
            "aggregated precedence for multi-unit successors is not implemented"
        )
    if keys:
        rows = model.add_rows("precedence_aggregated", keys, 0.0, np.inf)
        for local, cols, vals in terms:
            model.add_terms(rows[local], cols, vals)
    return BuiltModel(data, model, built.decisions, built.options)


def build_formulation(data: ModelData, formulation: str) -> BuiltModel:
    """``expression`` | ``variable`` (running sum, per-year precedence) or ``aggregated``."""
    if formulation == "aggregated":
        return build_aggregated(data, "expression")
    return build(data, BuildOptions(running_sum=formulation))


# ======================================================================================
# LP relaxation
# ======================================================================================
def lp_bound(model: LinearModel) -> tuple[float, float]:
    """(objective of the LP relaxation, seconds) with highspy, integrality dropped."""
    import highspy

    started = time.perf_counter()
    with quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.passModel(_highs_lp(model, integer=False))
        h.run()
        status = h.getModelStatus()
        objective = h.getInfo().objective_function_value
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"LP relaxation not solved: {h.modelStatusToString(status)}")
    return float(objective), time.perf_counter() - started


def root_gap(mip_optimum: float, lp_value: float) -> float:
    return (mip_optimum - lp_value) / max(abs(mip_optimum), 1e-9)


# ======================================================================================
# Hand-off floor
# ======================================================================================
def model_arrays(model: LinearModel) -> dict[str, np.ndarray]:
    """Everything a solver needs, as flat arrays: COO triplets, bounds, costs, integrality."""
    return {
        "rows": model._cat(model._rows, np.int64),
        "cols": model._cat(model._cols, np.int64),
        "vals": model._cat(model._vals),
        "shape": np.array([model.n_rows, model.n_cols]),
        "cost": model.cost,
        "lower": model.lower,
        "upper": model.upper,
        "rlower": model.rlower,
        "rupper": model.rupper,
        "integer": model.integer,
    }


def reference_handoff(arrays: dict[str, np.ndarray]):
    """COO -> CSC (duplicates summed) -> ``highspy.Highs.passModel``: the floor of a numpy build."""
    import highspy

    n_rows, n_cols = (int(v) for v in arrays["shape"])
    csc = sp.csc_matrix((arrays["vals"], (arrays["rows"], arrays["cols"])), shape=(n_rows, n_cols))
    with quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        integrality = np.where(arrays["integer"], 1, 0).astype(np.uint8)
        h.passModel(
            n_cols,
            n_rows,
            csc.nnz,
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            arrays["cost"],
            arrays["lower"],
            arrays["upper"],
            arrays["rlower"],
            arrays["rupper"],
            csc.indptr.astype(np.int32),
            csc.indices.astype(np.int32),
            csc.data,
            integrality,
        )
    return h


def capplan_handoff(model: LinearModel):
    """What capplan's HiGHS path does with a built model before ``run()``."""
    import highspy

    with quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        pass_model(h, model)
    return h


def build_and_handoff(scenario) -> tuple[BuiltModel, object]:
    built = build(build_data(scenario))
    return built, capplan_handoff(built.model)


# ======================================================================================
# Naive PuLP build (what the matrix builder in optimizer/model/builder.py avoids)
# ======================================================================================
def naive_build(scenario):
    """Coverage, budget and precedence rows with ``+=`` in nested loops over scenario objects.

    Same rows and coefficients as the project's ``coverage``, ``budget``, ``precedence`` and
    ``opens_with`` blocks (expression form); returns (problem, start variables by (id, year),
    rows by (block, key)).
    """
    import pulp

    problem = pulp.LpProblem("naive", pulp.LpMinimize)
    windows = scenario.start_windows
    years = scenario.years
    x = {}
    for c in scenario.candidates:
        lo, hi = windows[c.id]
        for y in range(lo, hi + 1):
            x[(c.id, y)] = pulp.LpVariable(f"x_{len(x)}", 0, c.max_units, cat=pulp.LpInteger)
    by_id = scenario.candidate_by_id
    services = scenario.service_by_id
    rows = {}

    # coverage: existing + Σ k·inservice + u + transfers in − transfers out ≥ demand
    existing = defaultdict(float)
    for a in scenario.existing_assets:
        district = (a.district or "") if services[a.service].by_district else ""
        for y in years:
            if a.retirement_year is None or y < a.retirement_year:
                existing[(a.service, district, y)] += a.capacity
    demand = {(r.service, r.district, int(r.year)): r.demand for r in scenario.demand.itertuples()}
    transfers = {}
    for s in scenario.settings.services:
        if s.by_district and s.neighbour_share > 0:
            for d in scenario.settings.districts:
                for n in d.neighbours:
                    for y in years:
                        transfers[(s.id, n, d.id, y)] = pulp.LpVariable(f"f_{len(transfers)}", 0)
    for (service, district, year), need in demand.items():
        expr = pulp.LpAffineExpression()
        expr += pulp.LpVariable(f"u_{len(rows)}", 0)
        for cap in scenario.capacities:
            if cap.service != service:
                continue
            c = by_id[cap.candidate]
            if services[service].by_district and (c.district or "") != district:
                continue
            lo, hi = windows[c.id]
            for start in range(lo, hi + 1):
                if start + c.lead_time <= year <= start + c.lead_time + c.lifetime - 1:
                    expr += cap.capacity * x[(c.id, start)]
        for (s, source, target, y), f in transfers.items():
            if s == service and y == year:
                if target == district:
                    expr += f
                if source == district:
                    expr += -1 * f
        rhs = need - existing.get((service, district, year), 0.0)
        constraint = expr >= rhs
        problem += constraint
        rows[("coverage", (service, district, year))] = constraint

    # budget: Σ net capex·share·x + c[t] − c[t−1] ≤ B
    ceilings = {(b.pool, b.year): b.ceiling for b in scenario.budgets}
    pools_used = sorted({c.pool for c in scenario.candidates})
    carry = {}
    for pool in scenario.settings.pools:
        if pool.carry_over and pool.id in pools_used:
            for y in years:
                carry[(pool.id, y)] = pulp.LpVariable(f"c_{len(carry)}", 0, pool.carry_over_cap)
    for pool in pools_used:
        for year in years:
            expr = pulp.LpAffineExpression()
            for c in scenario.candidates:
                if c.pool != pool:
                    continue
                profile = scenario.spend_profile(c)
                lo, hi = windows[c.id]
                for start in range(lo, hi + 1):
                    j = year - start
                    if 0 <= j < len(profile):
                        expr += c.capex * (1 - c.grant_share) * profile[j] * x[(c.id, start)]
            if (pool, year) in carry:
                expr += carry[(pool, year)]
                if (pool, year - 1) in carry:
                    expr += -1 * carry[(pool, year - 1)]
            constraint = expr <= ceilings.get((pool, year), float("inf"))
            problem += constraint
            rows[("budget", (pool, year))] = constraint

    # precedence: S[p, t − shift_p] − m_p·S[q, t − L[q] − lag] ≤ 0 for every year t
    last_year = years[-1]
    for dep in scenario.dependencies:
        p, q = by_id[dep.candidate], by_id[dep.requires]
        shift_p = 0 if dep.kind == "in_service_before_start" else p.lead_time
        shift_q = q.lead_time + dep.lag
        (p_lo, p_hi), (q_lo, q_hi) = windows[p.id], windows[q.id]
        # rows run to p's last opening year even past the horizon (docs/model.md, precedence)
        last = max(min(last_year, max(p_hi + shift_p, q_hi + shift_q)), p_hi + shift_p)
        for t in range(p_lo + shift_p, last + 1):
            expr = pulp.LpAffineExpression()
            for start in range(p_lo, p_hi + 1):
                if start <= t - shift_p:
                    expr += x[(p.id, start)]
            for start in range(q_lo, q_hi + 1):
                if start <= t - shift_q:
                    expr += -p.max_units * x[(q.id, start)]
            constraint = expr <= 0
            problem += constraint
            name = "precedence" if dep.kind == "in_service_before_start" else "opens_with"
            rows[(name, (p.id, q.id, t))] = constraint
    return problem, x, rows


def naive_triplets(x: dict, rows: dict) -> dict[tuple, float]:
    """{(block, row key, start key): coefficient} of the naive rows, start variables only."""
    name_of = {v.name: key for key, v in x.items()}
    out = {}
    for (block, key), constraint in rows.items():
        for var, coef in constraint.items():
            if var.name in name_of and coef != 0:
                out[(block, tuple(key), name_of[var.name])] = float(coef)
    return out


def project_triplets(built: BuiltModel, blocks: tuple[str, ...]) -> dict[tuple, float]:
    """The same view of the project's model: start-variable coefficients of the named blocks."""
    model, data = built.model, built.data
    csr = model.matrix("csr")
    col_key = {
        int(col): (data.ids[data.start_candidate[k]], int(data.start_year[k]))
        for k, col in enumerate(built.decisions.x)
    }
    out = {}
    for name in blocks:
        block = model.row_blocks.get(name)
        if block is None:
            continue
        for i, key in enumerate(block.keys):
            row = block.start + i
            key = tuple(key)
            for col, value in zip(
                csr.indices[csr.indptr[row] : csr.indptr[row + 1]],
                csr.data[csr.indptr[row] : csr.indptr[row + 1]],
                strict=True,
            ):
                if int(col) in col_key and value != 0:
                    out[(name, key, col_key[int(col)])] = float(value)
    return out
