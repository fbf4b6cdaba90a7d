"""Stability (docs/model.md, replan): an adopted plan stays unless a change pays for itself.

For each candidate p with a decision still open (not fixed as history):

    δ[p] ≥ n[p,a] − x[p,a]          each adopted start a of p   (stability_kept[p,a]: moved/removed)
    δ[p] ≥ Σ_{y ∉ A(p)} x[p,y] / m_p                            (stability_added[p]: added/moved)
    objective += stability_price · Σ_p δ[p]                     (MSEK, kind ``stability``)

n[p,a] are the adopted units, m_p the candidate's maximum units, δ ≥ 0 continuous; at the
optimum δ[p] is 1 exactly when p's open decisions differ from the adopted plan. The price is
not weighted in value mode: it is what the council says a change costs. Without an adopted
plan (``BuildOptions.adopted``) nothing is added; with one, the adopted plan (δ = 0) is also
the solution the solver starts from.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions, units_per_start


def add_stability(dec: Decisions) -> None:
    adopted = dec.options.adopted
    if adopted is None:
        return
    data, model, x = dec.data, dec.model, dec.x
    adopted_units = units_per_start(data, adopted.starts)
    model.initial_solution = (x, adopted_units)
    price = adopted.stability_price
    fixed = dec.options.fixed
    free = np.ones(data.n_starts, bool) if fixed is None else ~fixed.taken(data.start_year)
    candidates = sorted(set(data.start_candidate[free].tolist()))
    if price <= 0 or not candidates:
        return
    keys = [(data.ids[i],) for i in candidates]
    delta = model.add_columns("stability", keys, 0.0, INF)
    position = {i: k for k, i in enumerate(candidates)}
    added = model.add_rows("stability_added", keys, 0.0, INF)
    kept_keys, kept_delta, kept_x, kept_units = [], [], [], []
    for k in np.flatnonzero(free):
        i = int(data.start_candidate[k])
        if adopted_units[k] > 0:
            kept_keys.append((data.ids[i], int(data.start_year[k])))
            kept_delta.append(delta[position[i]])
            kept_x.append(x[k])
            kept_units.append(adopted_units[k])
        else:
            model.add_terms(
                np.array([added[position[i]]]), np.array([x[k]]), -1.0 / data.max_units[i]
            )
    model.add_terms(added, delta, 1.0)
    if kept_keys:
        rows = model.add_rows("stability_kept", kept_keys, np.array(kept_units), INF)
        model.add_terms(rows, np.array(kept_delta), 1.0)
        model.add_terms(rows, np.array(kept_x), 1.0)
    model.costs.add("stability", delta, np.full(len(delta), price))
    model.initial_solution = (
        np.concatenate([x, delta]),
        np.concatenate([adopted_units, np.zeros(len(delta))]),
    )
