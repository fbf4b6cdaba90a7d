"""Decision variables (docs/model.md, Decisions) and the running-sum terms every block is written with.

``x[p,y]`` — units of candidate p started in year y, only inside p's tightened window (binary
when one unit may be built, integer otherwise). The started-by sum ``S[p,t] = Σ_{y≤t} x[p,y]`` is
either expanded as an expression over ``x`` or kept as a continuous variable with
``S[p,t] = S[p,t-1] + x[p,t]`` (``solver.running_sum``); both give the same LP bound, the
variable form has fewer non-zeros per row when windows and lifetimes are long.

Every "p was started between t-hi and t-lo" relation (in service, under construction, started
by) goes through ``Decisions.window_terms`` so no block writes its own index arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.data import ModelData
from optimizer.model.builder import INF, LinearModel, expand_ranges
from optimizer.model.options import BuildOptions, Starts

FOREVER = 10_000  # a lag long enough to mean "since the beginning"


@dataclass
class Decisions:
    data: ModelData
    model: LinearModel
    x: np.ndarray  # column of each start variable (aligned with data.start_candidate/start_year)
    running_sum: str
    options: BuildOptions
    s_first: np.ndarray | None = None  # column of S[p, earliest[p]] (variable form)
    shortfall: np.ndarray | None = None  # column of each u[s,d,t] (aligned with data.coverage)

    @property
    def cost_weight(self) -> float:
        """Weight of costs in the objective: 1 in cost mode, value_cost_weight in value mode."""
        info = self.data.scenario.settings.scenario
        return 1.0 if info.objective == "cost" else info.value_cost_weight

    def add_cost(self, kind: str, cols: np.ndarray, coefs) -> None:
        """Add a cost term (PV, MSEK) to the model's objective, weighted as a cost."""
        self.model.costs.add(kind, cols, coefs, self.cost_weight)

    def window_terms(
        self,
        rows: np.ndarray,
        cand: np.ndarray,
        t: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        coef,
    ) -> None:
        """Add ``coef · Σ_{y ∈ [t-hi, t-lo]} x[cand, y]`` to each row (one request per element)."""
        d = self.data
        rows, cand, t = (np.asarray(a, dtype=np.int64) for a in (rows, cand, t))
        lo = np.broadcast_to(np.asarray(lo, dtype=np.int64), rows.shape)
        hi = np.broadcast_to(np.asarray(hi, dtype=np.int64), rows.shape)
        coef = np.broadcast_to(np.asarray(coef, dtype=float), rows.shape)
        if rows.size == 0:
            return
        if self.running_sum == "expression":
            first_year = np.maximum(t - hi, d.earliest[cand])
            last_year = np.minimum(t - lo, d.latest[cand])
            owner, year = expand_ranges(first_year, last_year - first_year + 1)
            cols = self.x[d.first_start[cand[owner]] + (year - d.earliest[cand[owner]])]
            self.model.add_terms(rows[owner], cols, coef[owner])
            return
        # variable form: S[b] - S[a-1] with S[t'] = 0 before the window, S[t'] = S[yN] after it
        year_n = int(d.years[-1])
        for sign, at in ((1.0, t - lo), (-1.0, t - hi - 1)):
            at = np.minimum(at, year_n)
            keep = at >= d.earliest[cand]
            cols = self.s_first[cand[keep]] + (at[keep] - d.earliest[cand[keep]])
            self.model.add_terms(rows[keep], cols, sign * coef[keep])

    # The three relations of docs/model.md (Decisions), for candidate positions `cand` in years `t`.
    def started_by(self, rows, cand, t, coef=1.0) -> None:
        self.window_terms(rows, cand, t, 0, FOREVER, coef)

    def in_service(self, rows, cand, t, coef=1.0) -> None:
        d = self.data
        self.window_terms(rows, cand, t, d.lead[cand], d.lead[cand] + d.life[cand] - 1, coef)

    def under_construction(self, rows, cand, t, coef=1.0) -> None:
        d = self.data
        cand = np.asarray(cand)
        building = d.lead[cand] > 0  # a lead time of 0 is never under construction
        rows, cand, t = (np.asarray(a)[building] for a in (rows, cand, t))
        coef = np.broadcast_to(np.asarray(coef, float), building.shape)[building]
        self.window_terms(rows, cand, t, 0, d.lead[cand] - 1, coef)

    def spend_terms(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start position, year, weight·share) for every build year of every start variable.

        ``weights`` is per candidate (e.g. net capex, embodied CO2e); the share is the candidate's
        spend profile at build year j = t - start year. Only years of the horizon: windows keep
        every chosen start's spending inside it, but a committed start late in the horizon may
        spend after its last year, and that spending is outside the plan (as the checker counts);
        so is what a project under way spent before the first year.
        """
        d = self.data
        lengths = np.array([len(p) for p in d.profiles], dtype=np.int64)
        owner, j = expand_ranges(np.zeros(d.n_starts, np.int64), lengths[d.start_candidate])
        cand = d.start_candidate[owner]
        flat = np.concatenate(d.profiles) if d.profiles else np.zeros(0)
        offsets = (
            np.concatenate([[0], np.cumsum(lengths)[:-1]])
            if len(lengths)
            else np.zeros(0, np.int64)
        )
        share = flat[offsets[cand] + j] if flat.size else np.zeros(0)
        year = d.start_year[owner] + j
        # a project under way started before y0: what it spent then is history, not the plan's
        inside = (year >= d.years[0]) & (year <= d.years[-1])
        return owner[inside], year[inside], (weights[cand] * share)[inside]


def units_per_start(data: ModelData, starts: Starts) -> np.ndarray:
    """Units of a {candidate: {year: units}} plan per start variable (0 where it has none)."""
    return np.array(
        [
            starts.get(data.ids[i], {}).get(int(y), 0)
            for i, y in zip(data.start_candidate, data.start_year, strict=True)
        ],
        dtype=float,
    )


def start_bounds(data: ModelData, options: BuildOptions) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of x: 0 ≤ x ≤ max_units, except decisions already taken or forced.

    Fixed (a replan): every start before ``fixed.before`` equals the adopted units (0 if none).
    Forced (an explanation): out means x[p,·] = 0; in at y means x[p,y] ≥ 1.
    """
    lower = np.zeros(data.n_starts)
    upper = data.max_units[data.start_candidate].astype(float)
    if options.fixed is not None:
        taken = units_per_start(data, options.fixed.starts)
        fixed = options.fixed.taken(data.start_year)
        lower[fixed] = upper[fixed] = taken[fixed]
    for forced in options.forced:
        own = data.start_candidate == data.ids.index(forced.candidate)
        if forced.start_year is None:
            upper[own] = 0.0
        else:
            lower[own & (data.start_year == forced.start_year)] = 1.0
    return lower, upper


def add_start_decisions(model: LinearModel, data: ModelData, options: BuildOptions) -> Decisions:
    keys = [
        (data.ids[i], int(y)) for i, y in zip(data.start_candidate, data.start_year, strict=True)
    ]
    lower, upper = start_bounds(data, options)
    x = model.add_columns("start", keys, lower, upper, integer=True)
    if options.start_from is not None:  # a hint (the adopted plan of a replan replaces it)
        model.initial_solution = (x, units_per_start(data, options.start_from))
    running_sum = options.running_sum or data.scenario.settings.solver.running_sum
    decisions = Decisions(data, model, x, running_sum, options)
    if running_sum == "variable":
        year_n = int(data.years[-1])
        counts = np.maximum(year_n - data.earliest + 1, 0)
        owner, year = expand_ranges(data.earliest, counts)
        s_keys = [(data.ids[i], int(y)) for i, y in zip(owner, year, strict=True)]
        s_cols = model.add_columns("started_by", s_keys, 0.0, data.max_units[owner])
        decisions.s_first = s_cols[0] + (
            np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
        )
        # S[p,t] - S[p,t-1] - x[p,t] = 0
        rows = model.add_rows("started_by_definition", s_keys, 0.0, 0.0)
        model.add_terms(rows, s_cols, 1.0)
        has_previous = year > data.earliest[owner]
        model.add_terms(rows[has_previous], s_cols[has_previous] - 1, -1.0)
        in_window = year <= data.latest[owner]
        x_cols = x[
            data.first_start[owner[in_window]] + (year[in_window] - data.earliest[owner[in_window]])
        ]
        model.add_terms(rows[in_window], x_cols, -1.0)
    return decisions


def add_shortfall(dec: Decisions) -> np.ndarray:
    """u[s,d,t] ≥ 0, places missing; zero in hard-coverage mode (unless a diagnosis makes it
    elastic). Cost: shortfall_cost[s]·df[t]·u[s,d,t] (kind ``shortfall``)."""
    data, model = dec.data, dec.model
    scenario = data.scenario
    hard = scenario.settings.scenario.hard_coverage and not dec.options.elastic
    cov = data.coverage
    keys = list(cov[["service", "district", "year"]].itertuples(index=False, name=None))
    cols = model.add_columns("shortfall", keys, 0.0, 0.0 if hard else INF)
    shortfall_cost = (
        cov["service"]
        .map({s.id: s.shortfall_cost for s in scenario.settings.services})
        .to_numpy(float)
    )
    dec.add_cost(
        "shortfall",
        cols,
        shortfall_cost * data.discount[cov["year"].to_numpy() - int(data.years[0])],
    )
    dec.shortfall = cols
    return cols
