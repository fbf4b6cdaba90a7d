"""Existing assets that age (docs/model.md, Existing assets): close early, renovate or close at
the end of life, each a decision with its cost.

For asset a (service s, district d, capacity K, retirement year R, ∞ when empty), with
z[a,y] ∈ {0,1} "a closes early in y" (y in a's closure window, before R) and Z[a,t] = Σ_{y≤t} z,
and its renovations r (candidates with ``renovates = a``, lead time L_r, works loss ℓ_r):

    coverage[s,d,t] gets  − K·Z[a,t] − K·I[r,t] − ℓ_r·K·U[r,t]     for every t < R
        (closed early: its capacity is gone; renovated and in service: the renovation's own
        capacity replaces K; under works: ℓ_r·K is out of use)
    Σ_y z[a,y] + Σ_r S[r,yN] ≤ 1                                  (asset_fate[a]; assets)
    w[a] + Σ_y z[a,y] + Σ_r S[r,R−L_r] ≥ 1    for y0 ≤ R ≤ yN       (asset_closure[a]; assets)

w[a] ∈ [0,1] is "a closes at its retirement year" (not closed early, no renovation in service by
R). Costs (kind ``closure``): closure_cost·(df[y]·z[a,y] + df[R]·w[a]); kind ``asset_opex``
(a saving): −opex·Σ_{t=y}^{min(R,yN+1)−1} df[t]·z[a,y]. The closure row is written only when the
closure costs something: with a zero cost it cannot change the plan.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions


def coverage_row_of(dec: Decisions) -> dict[tuple, int]:
    """(service, district, year) -> row of the coverage block."""
    block = dec.model.row_blocks.get("coverage")
    if block is None:
        return {}
    return {(s, d, int(t)): block.start + i for i, (s, d, t) in enumerate(block.keys)}


def add_assets(dec: Decisions) -> None:
    data = dec.data
    scenario = data.scenario
    y0, year_n = int(data.years[0]), int(data.years[-1])
    renovations: dict[str, list[int]] = {}
    for i, c in enumerate(scenario.candidates):
        if c.renovates is not None:
            renovations.setdefault(c.renovates, []).append(i)
    assets = [
        a
        for a in scenario.existing_assets
        if scenario.closure_window(a) or a.id in renovations or _closes_at_a_cost(a, y0, year_n)
    ]
    if not assets:
        return
    windows = {a.id: scenario.closure_window(a) for a in assets}
    z_keys = [(a.id, y) for a in assets for y in windows[a.id]]
    z = dec.model.add_columns("closure", z_keys, 0.0, 1.0, integer=True)
    z_of = dict(zip(z_keys, z, strict=True))
    closure_cost, saved = _asset_capacity(dec, assets, windows, renovations, z_of)
    _asset_fate(dec, assets, windows, renovations, z_of)
    closure_cost += _asset_closure(dec, assets, windows, renovations, z_of)
    for kind, terms in (("closure", closure_cost), ("asset_opex", saved)):
        if terms:
            cols, coefs = zip(*terms, strict=True)
            dec.add_cost(kind, np.array(cols), np.array(coefs))


def _asset_capacity(dec: Decisions, assets, windows, renovations, z_of):
    """Coverage terms: capacity gone after an early closure, replaced by a renovation in
    service, partly out of use during works. Returns the (column, PV cost) terms of early
    closures and of the running costs they save."""
    data, model, scenario = dec.data, dec.model, dec.data.scenario
    years = [int(y) for y in data.years]
    y0, year_n = years[0], years[-1]
    row_of = coverage_row_of(dec)
    closure_cost, saved = [], []
    for a in assets:
        key = scenario.district_key(a.service, a.district)
        end = year_n + 1 if a.retirement_year is None else min(a.retirement_year, year_n + 1)
        # years the asset would still stand (and has a coverage row to stand in)
        standing = [t for t in years if t < end and (a.service, key, t) in row_of]
        for y in windows[a.id]:
            col = z_of[(a.id, y)]
            rows = [row_of[(a.service, key, t)] for t in standing if t >= y]
            model.add_terms(np.array(rows), np.full(len(rows), col), -a.capacity)
            closure_cost.append((col, a.closure_cost * data.discount[y - y0]))
            saved.append((col, -a.opex * data.discount[[t - y0 for t in standing if t >= y]].sum()))
        own = renovations.get(a.id, [])
        if own and standing:
            rows = np.array([row_of[(a.service, key, t)] for t in standing for _ in own])
            cand = np.array([i for _ in standing for i in own])
            t = np.array([t for t in standing for _ in own])
            dec.in_service(rows, cand, t, -a.capacity)
            loss = np.array([scenario.candidates[i].works_capacity_loss for i in cand])
            dec.under_construction(rows, cand, t, -loss * a.capacity)
    return closure_cost, saved


def _asset_fate(dec: Decisions, assets, windows, renovations, z_of) -> None:
    """At most one fate: one early closure year, or one renovation (written for every asset
    with a closure window, where it also keeps z to one year)."""
    model, year_n = dec.model, int(dec.data.years[-1])
    fated = [a for a in assets if windows[a.id] or len(renovations.get(a.id, [])) > 1]
    if not fated:
        return
    rows = model.add_rows("asset_fate", [(a.id,) for a in fated], -INF, 1.0)
    for row, a in zip(rows, fated, strict=True):
        cols = [z_of[(a.id, y)] for y in windows[a.id]]
        model.add_terms(np.full(len(cols), row), np.array(cols), 1.0)
        own = renovations.get(a.id, [])
        dec.started_by(np.full(len(own), row), np.array(own), np.full(len(own), year_n))


def _asset_closure(dec: Decisions, assets, windows, renovations, z_of) -> list:
    """A costly closure at the end of life unless closed early or renovated in time; returns
    the (column, PV cost) terms of closing at the retirement year."""
    data, model = dec.data, dec.model
    y0, year_n = int(data.years[0]), int(data.years[-1])
    costly = [a for a in assets if _closes_at_a_cost(a, y0, year_n)]
    if not costly:
        return []
    keys = [(a.id,) for a in costly]
    w = model.add_columns("closes_at_end", keys, 0.0, 1.0)
    rows = model.add_rows("asset_closure", keys, 1.0, INF)
    model.add_terms(rows, w, 1.0)
    costs = []
    for row, col, a in zip(rows, w, costly, strict=True):
        costs.append((col, a.closure_cost * data.discount[a.retirement_year - y0]))
        cols = [z_of[(a.id, y)] for y in windows[a.id]]
        model.add_terms(np.full(len(cols), row), np.array(cols, dtype=np.int64), 1.0)
        own = np.array(renovations.get(a.id, []), dtype=np.int64)
        ready = a.retirement_year - data.lead[own]  # in service by R: started by R − L
        dec.started_by(np.full(len(own), row), own, ready)
    return costs


def _closes_at_a_cost(asset, y0: int, year_n: int) -> bool:
    return (
        asset.closure_cost > 0
        and asset.retirement_year is not None
        and y0 <= asset.retirement_year <= year_n
    )
