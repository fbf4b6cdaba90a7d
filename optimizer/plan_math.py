"""Plan arithmetic: what a plan's starts mean year by year (docs/model.md, Decisions).

A unit of candidate i started in year y is under construction in y … y+lead−1, in service in
y+lead … y+lead+life−1, and spends its capex over y, y+1, … by its spend profile. This is the
one home of that arithmetic for everything that reads a plan: the plan tables
(``optimizer.tables``) and, through them, the reports. The model writes the same relations as
rows (``optimizer.model.decisions``), and the independent checker (``optimizer.check``)
deliberately keeps its own computation from the scenario and the decisions alone.

Arrays are [candidate position, horizon year position]; money in MSEK. The start matrix alone
may reach back before the horizon (``history_years`` columns first): a project under way
started before y0 (docs/model.md, Projects under way) stands and spends from its real start;
every derived array keeps the horizon years only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.data import ModelData


def history_years(data: ModelData) -> int:
    """Years before y0 in which a start can lie (projects under way), 0 without any."""
    first = int(data.start_year.min()) if data.n_starts else int(data.years[0])
    return max(int(data.years[0]) - first, 0)


def start_matrix(data: ModelData, starts: dict[str, dict[int, int]]) -> np.ndarray:
    """n[i, k]: units of candidate i started in year y0 − history_years + k."""
    before = history_years(data)
    n = np.zeros((data.n_candidates, before + len(data.years)))
    index = {c: i for i, c in enumerate(data.ids)}
    for cand, by_year in starts.items():
        for year, units in by_year.items():
            n[index[cand], year - int(data.years[0]) + before] += units
    return n


def _horizon(data: ModelData, values: np.ndarray) -> np.ndarray:
    return values[:, values.shape[1] - len(data.years) :]


def started_between(n: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """out[i, t] = Σ_{y ∈ [t-hi_i, t-lo_i]} n[i, y]: units whose age in year t is lo … hi."""
    cum = np.concatenate([np.zeros((n.shape[0], 1)), np.cumsum(n, axis=1)], axis=1)
    t = np.arange(n.shape[1])
    upper = np.clip(t[None, :] - lo[:, None] + 1, 0, n.shape[1])
    lower = np.clip(t[None, :] - hi[:, None], 0, n.shape[1])
    rows = np.arange(n.shape[0])[:, None]
    return np.where(upper > lower, cum[rows, upper] - cum[rows, lower], 0.0)


def in_service(data: ModelData, n: np.ndarray) -> np.ndarray:
    """Units of each candidate in service in each year."""
    return _horizon(data, started_between(n, data.lead, data.lead + data.life - 1))


def under_construction(data: ModelData, n: np.ndarray) -> np.ndarray:
    """Units of each candidate started and not yet in service (never with a lead time of 0)."""
    out = started_between(n, np.zeros_like(data.lead), data.lead - 1)
    out[data.lead == 0] = 0.0
    return _horizon(data, out)


def spread(data: ModelData, n: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """weights[i] per unit spread over build years by the spend profile: out[i, t].

    Spending after the horizon is outside the plan (as the model and the checker count it), and
    so is what a project under way spent before it."""
    out = np.zeros_like(n)
    for i, profile in enumerate(data.profiles):
        for j, share in enumerate(profile):
            if j < n.shape[1]:
                out[i, j:] += weights[i] * share * n[i, : n.shape[1] - j]
    return _horizon(data, out)


def in_service_year(data: ModelData, i: int, start: int) -> int:
    """First year a unit of candidate i started in ``start`` is in service."""
    return int(start + data.lead[i])


def end_of_life_year(data: ModelData, i: int, start: int) -> int:
    """Last year a unit of candidate i started in ``start`` is in service."""
    return int(start + data.lead[i] + data.life[i] - 1)


def spend_by_year(
    data: ModelData, i: int, start: int, units: int, weights: np.ndarray
) -> dict[int, float]:
    """{year: weights[i]·share·units} over the build years of one start (all of them, also
    after the horizon: a schedule shows what a project costs)."""
    return {
        int(start + j): float(weights[i] * share * units)
        for j, share in enumerate(data.profiles[i])
        if share
    }


def capacity_added(data: ModelData, serving: np.ndarray) -> np.ndarray:
    """New capacity in service per coverage row (data.coverage order): Σ_i k[i,s]·serving[i,t]."""
    cov = data.coverage
    added = np.zeros(len(cov))
    cap = data.capacity
    if cap.empty or cov.empty:
        return added
    row_of = pd.Series(
        np.arange(len(cov)), index=pd.MultiIndex.from_frame(cov[["service", "district", "year"]])
    )
    # one entry per (capacity row, year), in that order: each coverage row adds up in row order
    n_years = len(data.years)
    entry = np.repeat(np.arange(len(cap)), n_years)
    k = np.tile(np.arange(n_years), len(cap))
    target = row_of.reindex(
        pd.MultiIndex.from_arrays(
            [cap["service"].to_numpy()[entry], cap["district"].to_numpy()[entry], data.years[k]]
        )
    ).to_numpy()
    ok = ~np.isnan(target)
    cand = cap["candidate"].to_numpy()[entry][ok]
    amount = cap["capacity"].to_numpy(float)[entry][ok] * serving[cand, k[ok]]
    np.add.at(added, target[ok].astype(np.int64), amount)
    return added


def renovations(data: ModelData) -> dict[str, list[int]]:
    """Existing asset id -> positions of the candidates that renovate it."""
    out: dict[str, list[int]] = {}
    for i, c in enumerate(data.scenario.candidates):
        if c.renovates is not None:
            out.setdefault(c.renovates, []).append(i)
    return out


def closures(data: ModelData, n: np.ndarray, early: dict[str, int]) -> list[tuple]:
    """(asset, year, kind) of every closure inside the horizon (docs/model.md, Existing assets):
    ``early`` when the plan closes it, ``end_of_life`` at its retirement year unless a
    renovation is in service by then (started by R − L)."""
    y0, year_n = int(data.years[0]), int(data.years[-1])
    before = history_years(data)
    cum = np.cumsum(n, axis=1)
    renovating = renovations(data)
    out = []
    for a in data.scenario.existing_assets:
        if a.id in early:
            out.append((a.id, int(early[a.id]), "early"))
            continue
        end = a.retirement_year
        if end is None or not y0 <= end <= year_n:
            continue
        ready = [end - int(data.lead[i]) - y0 + before for i in renovating.get(a.id, [])]
        renovated = any(
            k >= 0 and cum[i, min(k, cum.shape[1] - 1)] >= 1 - 1e-9
            for i, k in zip(renovating.get(a.id, []), ready, strict=True)
        )
        if not renovated:
            out.append((a.id, int(end), "end_of_life"))
    return out


def asset_capacity_change(
    data: ModelData, early: dict[str, int], serving: np.ndarray, building: np.ndarray
) -> np.ndarray:
    """Capacity existing assets lose per coverage row (data.coverage order, ≤ 0): closed early,
    replaced by their renovation in service, or out of use during its works; only in years
    before each asset's retirement year."""
    cov = data.coverage
    change = np.zeros(len(cov))
    if cov.empty:
        return change
    row_of = {
        k: r
        for r, k in enumerate(
            cov[["service", "district", "year"]].itertuples(index=False, name=None)
        )
    }
    renovating = renovations(data)
    scenario = data.scenario
    y0 = int(data.years[0])
    for a in scenario.existing_assets:
        district = scenario.district_key(a.service, a.district)
        for t in data.years:
            t = int(t)
            row = row_of.get((a.service, district, t))
            if row is None or (a.retirement_year is not None and t >= a.retirement_year):
                continue
            lost = a.capacity if a.id in early and t >= early[a.id] else 0.0
            for i in renovating.get(a.id, []):
                loss = scenario.candidates[i].works_capacity_loss
                lost += a.capacity * (serving[i, t - y0] + loss * building[i, t - y0])
            change[row] -= lost
    return change
