"""Objective (MODEL.md §5). Always minimised, so dual signs agree across solvers (§8).

Cost mode, present value at rate r with df[t] = (1+r)^−(t−y0), MSEK:
    Σ_t df[t]·( net capex spent + opex in service + shortfall_cost·u + interest·D
                + carbon_price·E ) − Σ salvage
salvage of a start in y = net capex spent in y0..yN · clip(y+L+life−1 − yN, 0, life)/life
· df[yN+1] (straight-line value left after the horizon, on what the plan paid: the whole
(1−grant)·capex unless a committed start spends past yN). Value mode: −Σ value[p]·S[p,yN] + w·(cost mode).

Every start's cost is computed once here in numpy; the parts are kept so a plan can show its
objective split by kind.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions

MSEK_PER_SEK = 1e-6


def add_objective(dec: Decisions, shortfall_cols: np.ndarray, debt_cols: np.ndarray | None) -> dict:
    data, model = dec.data, dec.model
    scenario = data.scenario
    df = data.discount
    cum = np.concatenate([[0.0], np.cumsum(df)])
    y0, year_n = int(data.years[0]), int(data.years[-1])
    cand, start_year = data.start_candidate, data.start_year
    n = data.n_starts

    def pv_per_start(weights: np.ndarray, discounted: bool = True) -> np.ndarray:
        start, year, amount = dec.spend_terms(weights)
        factor = df[year - y0] if discounted else 1.0
        return np.bincount(start, weights=amount * factor, minlength=n)

    first = start_year + data.lead[cand] - y0
    last = np.minimum(start_year + data.lead[cand] + data.life[cand] - 1, year_n) - y0
    in_service_pv = np.where(
        last >= first, cum[np.clip(last + 1, 0, len(df))] - cum[np.clip(first, 0, len(df))], 0.0
    )
    left = (
        np.clip(start_year + data.lead[cand] + data.life[cand] - 1 - year_n, 0, data.life[cand])
        / data.life[cand]
    )
    net_capex = data.capex * (1.0 - data.grant)
    # salvage only on what was paid inside the horizon: a committed start spending past yN is
    # charged its in-horizon share alone, so crediting its whole capex would be a free gain;
    # a start spending inside keeps the exact (1−grant)·capex
    spend_years = np.array([len(p) for p in data.profiles], dtype=np.int64)[cand]
    salvage_base = np.where(
        start_year + spend_years - 1 <= year_n,
        net_capex[cand],
        pv_per_start(net_capex, discounted=False),
    )
    carbon_price = scenario.settings.climate.carbon_price_sek_per_t * MSEK_PER_SEK

    parts = {
        "capex": (dec.x, pv_per_start(net_capex)),
        "opex": (dec.x, data.opex[cand] * in_service_pv),
        "carbon": (
            dec.x,
            carbon_price
            * (pv_per_start(data.embodied) + data.operational_co2e[cand] * in_service_pv),
        ),
        "salvage": (dec.x, -salvage_base * left * data.salvage_discount),
    }
    cov = data.coverage
    shortfall_cost = (
        cov["service"]
        .map({s.id: s.shortfall_cost for s in scenario.settings.services})
        .to_numpy(float)
    )
    parts["shortfall"] = (shortfall_cols, shortfall_cost * df[cov["year"].to_numpy() - y0])
    if debt_cols is not None:
        parts["interest"] = (debt_cols, scenario.settings.debt.interest_rate * df)

    info = scenario.settings.scenario
    weight = 1.0 if info.objective == "cost" else info.value_cost_weight
    cost = np.zeros(model.n_cols)
    for cols, coefs in parts.values():
        np.add.at(cost, cols, weight * coefs)
    if info.objective == "value":
        parts["value"] = (dec.x, -data.value[cand])
        np.add.at(cost, dec.x, -data.value[cand])
    model.col_cost = [cost]
    return parts
