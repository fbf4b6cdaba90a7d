"""Objective (docs/model.md, Objective). Always minimised, so dual signs agree across solvers
(docs/model.md, Shadow prices).

Cost mode, present value at rate r with df[t] = (1+r)^−(t−y0), MSEK:
    Σ_t df[t]·( net capex spent + opex in service + shortfall_cost·u + interest·D
                + carbon_price·E ) − Σ salvage
salvage of a start in y = net capex spent in y0..yN · clip(y+L+life−1 − yN, 0, life)/life
· df[yN+1] (straight-line value left after the horizon, on what the plan paid: the whole
(1−grant)·capex unless a committed start spends past yN). Value mode: −Σ value[p]·S[p,yN] + w·(cost mode).

The objective is the sum of what the blocks add to the model's cost accumulator (as GenX's
blocks add to ``eObj``): shortfall (``decisions.add_shortfall``), interest (``debt``), stability
(``stability``, replan only) and, here, every start's capex, opex, carbon and salvage, computed
once in numpy. The parts by kind are read from the accumulator, in ``TERM_ORDER``.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions

MSEK_PER_SEK = 1e-6
# How a plan lists its objective by kind; kinds added by new blocks follow in build order.
TERM_ORDER = ("capex", "opex", "carbon", "salvage", "shortfall", "interest", "value", "stability")


def add_objective(dec: Decisions) -> None:
    """The costs of the start decisions (and their value, in value mode)."""
    data = dec.data
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
    # … and a project under way (started before y0) only on its remaining spend
    salvage_base = np.where(
        (start_year >= y0) & (start_year + spend_years - 1 <= year_n),
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
    for kind, (cols, coefs) in parts.items():
        dec.add_cost(kind, cols, coefs)
    if scenario.settings.scenario.objective == "value":
        dec.model.costs.add("value", dec.x, -data.value[cand])
