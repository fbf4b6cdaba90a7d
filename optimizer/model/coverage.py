"""Coverage (docs/model.md, Constraints: coverage): capacity keeps pace with demand, per service, district and year.

    cap0[s,d,t] + Σ_p k[p,s]·inservice[p,t] + u[s,d,t] + Σ_{d'} f[s,d'→d,t] − Σ_{d''} f[s,d→d'',t]
        ≥ demand[s,d,t]                                         (coverage[s,d,t]; units of s)
    Σ_{d'} f[s,d'→d,t] ≤ share[s] · demand[s,d,t]               (neighbour_share[s,d,t])

with inservice[p,t] = S[p,t−L] − S[p,t−L−life]. Keys are (service, district, year) for every
service; a municipality-wide service has one row per year with district "" (ALL_DISTRICTS),
which row names leave out. f are transfers from a district listed among d's neighbours; hard mode
fixes u = 0.

Coefficient clipping (``[solver] coverage_clip``, docs/model.md, Formulation options): a unit's
capacity k counts in row (s,d,t) as min(k, R[s,d,t]) with R = max(need, 0) + Σ_{d→d''}
share[s]·demand[s,d'',t], the most that row can ever use from one unit (its own need plus the
most its neighbours may take). Exact: an integer plan with a unit of k > R in service already
meets the row with R, so the feasible plans and their costs are the same; the LP may no longer
count capacity nobody can use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions


def add_coverage(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    cov = data.coverage.reset_index(drop=True)
    if cov.empty:
        return
    keys = list(cov[["service", "district", "year"]].itertuples(index=False, name=None))
    rows = model.add_rows("coverage", keys, cov["need"].to_numpy(float), INF)
    model.add_terms(rows, dec.shortfall, 1.0)

    # candidate capacity in service: one request per (capacity entry, year)
    row_of = pd.Series(rows, index=pd.MultiIndex.from_frame(cov[["service", "district", "year"]]))
    cap = data.capacity
    if not cap.empty:
        n_years = len(data.years)
        entry = np.repeat(np.arange(len(cap)), n_years)
        years = np.tile(data.years, len(cap))
        index = pd.MultiIndex.from_arrays(
            [cap["service"].to_numpy()[entry], cap["district"].to_numpy()[entry], years]
        )
        target = row_of.reindex(index).to_numpy()
        ok = ~np.isnan(target)
        target = target[ok].astype(np.int64)
        per_unit = cap["capacity"].to_numpy(float)[entry][ok]
        clip = dec.options.coverage_clip
        if clip is None:
            clip = data.scenario.settings.solver.coverage_clip
        if clip:
            usable = np.maximum(cov["need"].to_numpy(float), 0.0) + _outflow_limit(data, cov)
            per_unit = np.minimum(per_unit, usable[target - rows[0]])
        counts = per_unit != 0
        dec.in_service(
            target[counts],
            cap["candidate"].to_numpy()[entry][ok][counts],
            years[ok][counts],
            per_unit[counts],
        )
    _add_transfers(dec, cov, rows)


def _arcs(scenario) -> list[tuple[str, str, str]]:
    """(service, from district, to district) of every transfer a neighbour share allows."""
    arcs = []
    for service in scenario.settings.services:
        if not service.by_district or service.neighbour_share <= 0:
            continue
        for district in scenario.settings.districts:
            arcs += [(service.id, n, district.id) for n in district.neighbours]
    return arcs


def _outflow_limit(data, cov: pd.DataFrame) -> np.ndarray:
    """Per coverage row: the most its district may send to neighbours (their share of demand)."""
    share = {s.id: s.neighbour_share for s in data.scenario.settings.services}
    demand = cov.set_index(["service", "district", "year"])["demand"]
    limit = pd.Series(0.0, index=demand.index)
    for service, source, to in _arcs(data.scenario):
        sent = share[service] * demand.xs((service, to), level=("service", "district"))
        at = pd.MultiIndex.from_tuples([(service, source, int(t)) for t in sent.index])
        present = at.isin(limit.index)
        limit.loc[at[present]] += sent.to_numpy()[present]
    return limit.to_numpy()


def _add_transfers(dec: Decisions, cov: pd.DataFrame, coverage_rows: np.ndarray) -> None:
    data, model = dec.data, dec.model
    scenario = data.scenario
    arcs = _arcs(scenario)  # (service, from, to)
    if not arcs:
        return
    row_of = {
        k: r
        for k, r in zip(
            cov[["service", "district", "year"]].itertuples(index=False, name=None),
            coverage_rows,
            strict=True,
        )
    }
    demand_of = dict(
        zip(
            cov[["service", "district", "year"]].itertuples(index=False, name=None),
            cov["demand"],
            strict=True,
        )
    )
    keys = [(s, a, b, int(t)) for s, a, b in arcs for t in data.years]
    cols = model.add_columns("transfer", keys, 0.0, INF)
    into = np.array([row_of[(s, b, t)] for s, _, b, t in keys])
    out_of = np.array([row_of[(s, a, t)] for s, a, _, t in keys])
    model.add_terms(into, cols, 1.0)
    model.add_terms(out_of, cols, -1.0)
    share = {s.id: s.neighbour_share for s in scenario.settings.services}
    receivers = sorted({(s, b, t) for s, _, b, t in keys})
    limit = [share[s] * demand_of[(s, b, t)] for s, b, t in receivers]
    share_rows = model.add_rows("neighbour_share", receivers, -INF, np.array(limit))
    position = {k: r for k, r in zip(receivers, share_rows, strict=True)}
    model.add_terms(np.array([position[(s, b, t)] for s, _, b, t in keys]), cols, 1.0)
