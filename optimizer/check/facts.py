"""Shared facts of the plan checker: violations, constraint kinds, and the activity every check
recomputes from the decisions (started, in service, under construction, spend, emissions).

See ``optimizer.check`` for the notation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from optimizer import schema
from optimizer.plan import (
    CARRY_OVER_COLUMNS,
    DEBT_COLUMNS,
    SHORTFALL_COLUMNS,
    TRANSFER_COLUMNS,
    Plan,
)
from optimizer.scenario import ALL_DISTRICTS, Scenario

# Every constraint name is ``kind[index,…]`` (or just ``kind``); these are all the kinds.
CONSTRAINT_KINDS = (
    "unknown_candidate",  # a start of a candidate the scenario does not have
    "start_units",  # n[p,y] is negative or not a whole number
    "window",  # n[p,y] > 0 outside the tightened start window
    "units",  # Σ_y n[p,y] ≤ max_units
    "coverage",  # capacity + shortfall + transfers ≥ demand
    "shortfall",  # shortfall ≥ 0, and only on coverage rows of the scenario
    "hard_coverage",  # hard-coverage mode: shortfall = 0
    "transfer",  # transfers ≥ 0, by-district services only, from a listed neighbour
    "neighbour_share",  # inflow into a district ≤ neighbour_share × its demand
    "budget",  # net spend + carry-over out ≤ ceiling + carry-over in, per pool and year
    "carry_over",  # 0 ≤ carry-over ≤ cap, and 0 when the pool does not carry over
    "department_budget",  # net spend of a department ≤ its ceiling
    "balance",  # [finance] result ≥ share × revenue
    "self_financing_rate",  # [finance] result + depreciation ≥ rate × investment, yearly
    "period_self_financing",  # [finance] the same summed over the horizon
    "debt_per_inhabitant",  # [finance] debt ≤ SEK per inhabitant × inhabitants
    "debt",  # D[t] ≥ max(0, D[t−1] + debt-financed spend − self-financing)
    "debt_ceiling",  # D[t] ≤ ceiling
    "precedence",  # S[p,t] ≤ m_p·S[q,t−L_q−ℓ]
    "opens_with",  # S[p,t−L_p] ≤ m_p·S[q,t−L_q−ℓ]
    "exclusive",  # at most one candidate of G built (a modular one counts once)
    "must_do",  # S[p,yN] ≥ 1
    "deadline",  # S[p,deadline−L] ≥ 1
    "committed",  # n[p,committed_start] ≥ 1
    "co2e_cap",  # E[t] ≤ cap[t]
    "co2e_budget",  # Σ_t E[t] ≤ cumulative budget
    "staff",  # Σ_{p∈dept} fte·I[p,t] ≤ recruitable
    "delivery",  # Σ_p U[p,t] ≤ K (total or per department)
    "closure",  # an early closure of a known asset inside its closure window
    "asset_fate",  # at most one of: early closure, a renovation started
    "emergency",  # 0 ≤ e[o,t] ≤ max_units, only in the option's years
    "duty",  # no shortfall in a duty year
    "terminal",  # last year: capacity + transfers ≥ planned demand, no shortfall or emergency
    "objective",  # the plan's objective equals the recomputed one
)

OBJECTIVE_RTOL = 1e-6  # relative tolerance of the objective comparison
OBJECTIVE_ATOL = 1e-4  # MSEK


@dataclass(frozen=True)
class Violation:
    """One violated constraint: its name, by how much (in its own unit) and in words.

    ``key`` is the row it concerns as data, ``(row block, *key)`` as the model keys it, e.g.
    ``("budget", "tax", 2028)``, for the yearly limits a replan may lift (empty otherwise).
    """

    constraint: str
    amount: float
    message: str
    key: tuple = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", float(self.amount))  # plain float, not numpy

    @property
    def kind(self) -> str:
        """The constraint kind without its index: ``budget`` for ``budget[tax,2028]``."""
        return self.constraint.split("[", 1)[0]

    def __str__(self) -> str:
        return f"{self.constraint}: {self.message}"


def _lagged(values: np.ndarray, lags: np.ndarray | int) -> np.ndarray:
    """``out[i, k] = values[i, k − lags[i]]``, and 0 where ``k − lags[i]`` is before column 0."""
    rows, cols = values.shape
    lags = np.broadcast_to(np.asarray(lags, dtype=int), (rows,))
    source = np.arange(cols)[None, :] - lags[:, None]
    taken = np.take_along_axis(values, np.clip(source, 0, max(cols - 1, 0)), axis=1)
    return np.where(source >= 0, taken, 0.0)


def _normalised(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """A plan table with text keys ('' for no district), integer years and float values.

    The last column is the value; rows with the same keys are summed.
    """
    keys, value = columns[:-1], columns[-1]
    if frame is None or len(frame) == 0:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in keys})
        empty["year"] = empty["year"].astype("int64")
        empty[value] = pd.Series(dtype="float64")
        return empty[columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"plan table needs the columns {columns}; missing {missing}")
    table = frame[columns].copy()
    for column in keys:
        if column == "year":
            table[column] = table[column].astype("int64")
        else:
            table[column] = table[column].fillna(ALL_DISTRICTS).astype(str)
    table[value] = table[value].astype("float64")
    return table.groupby(keys, as_index=False, sort=True)[value].sum()


_T = TypeVar("_T")


def once_per_check(compute: Callable[[_Facts], _T]) -> Callable[[_Facts], _T]:
    """``compute(facts)`` computed once per check and shared by the checks that read it.

    The coverage table is read by the coverage and the terminal checks, the emergency use by
    coverage and the objective; a check (run, and every plan of frontier, alternatives and
    explain) then builds each once. Callers must not modify the shared result.
    """

    def shared(facts: _Facts) -> _T:
        memo = facts.__dict__.setdefault("_once", {})
        if compute not in memo:
            memo[compute] = compute(facts)
        return memo[compute]

    shared.__doc__, shared.__name__ = compute.__doc__, compute.__name__
    return shared


def _key(*parts: object) -> str:
    """``a,b,c`` with the municipality-wide district ('') left out."""
    return ",".join(str(p) for p in parts if p != ALL_DISTRICTS)


def _num(x: float) -> str:
    """A number for a message: one decimal when that is exact, else six significant digits."""
    x = float(x)
    if abs(x - round(x, 1)) <= 1e-9 * max(1.0, abs(x)):
        return f"{x:.1f}"
    return f"{x:.6g}"


class _Facts:
    """Everything the checks share, computed once from the scenario and the plan.

    Activity arrays are candidates × years. They are built on an axis that starts at the earlier
    of ``y0`` and the plan's first start year (so a start before the horizon still spends and
    stands), and are exposed for the horizon years only.
    """

    def __init__(self, scenario: Scenario, plan: Plan, tolerance: float):
        self.scenario = scenario
        self.plan = plan
        self.tolerance = tolerance
        self.years = scenario.years
        self.y0, self.yN = scenario.first_year, scenario.last_year
        self.ids = [c.id for c in scenario.candidates]
        self.starts: dict[str, dict[int, float]] = {
            str(p): {int(y): float(units) for y, units in by_year.items()}
            for p, by_year in plan.starts.items()
        }
        first = min([self.y0] + [y for by in self.starts.values() for y in by])
        self.axis = np.arange(first, self.yN + 1)
        self.horizon = slice(self.y0 - first, None)

        n = np.zeros((len(self.ids), len(self.axis)))
        for i, p in enumerate(self.ids):
            for y, units in self.starts.get(p, {}).items():
                if first <= y <= self.yN:
                    n[i, y - first] += units
        self._n = n
        self._started = np.cumsum(n, axis=1)

    # ---- candidate attributes --------------------------------------------------------
    @cached_property
    def candidates(self) -> pd.DataFrame:
        """One row per candidate (index: id) with the attributes the checks use."""
        columns = list(schema.Candidate.model_fields)
        rows = [c.model_dump() for c in self.scenario.candidates]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def attribute(self, name: str) -> np.ndarray:
        return self.candidates[name].to_numpy(dtype=float)

    def _frame(self, values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values[:, self.horizon], index=self.ids, columns=self.years)

    # ---- activity (horizon years) ----------------------------------------------------
    @cached_property
    def started(self) -> pd.DataFrame:
        """``S[p,t] = Σ_{y ≤ t} n[p,y]``, units."""
        return self._frame(self._started)

    @cached_property
    def in_service(self) -> pd.DataFrame:
        """``I[p,t] = S[p,t−L] − S[p,t−L−T]``, units."""
        lead = self.attribute("lead_time").astype(int)
        life = self.attribute("lifetime").astype(int)
        values = _lagged(self._started, lead) - _lagged(self._started, lead + life)
        return self._frame(values)

    @cached_property
    def under_construction(self) -> pd.DataFrame:
        """``U[p,t] = S[p,t] − S[p,t−L]``, units (0 when L = 0)."""
        lead = self.attribute("lead_time").astype(int)
        return self._frame(self._started - _lagged(self._started, lead))

    @cached_property
    def spend_share(self) -> pd.DataFrame:
        """``F[p,t] = Σ_j f_j·n[p,t−j]``: units' worth of capex (and embodied CO2e) in year t."""
        share = np.zeros_like(self._n)
        for i, candidate in enumerate(self.scenario.candidates):
            for j, fraction in enumerate(self.scenario.spend_profile(candidate)):
                share[i] += fraction * _lagged(self._n[i : i + 1], j)[0]
        return self._frame(share)

    @cached_property
    def net_spend(self) -> pd.DataFrame:
        """``N[p,t] = (1−g)·C·F[p,t]``, MSEK paid by the candidate's pool."""
        per_unit = (1 - self.attribute("grant_share")) * self.attribute("capex")
        return self.spend_share.mul(per_unit, axis=0)

    @cached_property
    def started_by_end(self) -> pd.Series:
        """``S[p,yN]``, units."""
        return self.started[self.yN]

    def started_by_years(self, candidate: str, years: np.ndarray) -> np.ndarray:
        """``S[p,t]`` for any years t: 0 before the first start, ``S[p,yN]`` after the horizon."""
        row = self._started[self.ids.index(candidate)]
        position = np.asarray(years, dtype=int) - int(self.axis[0])
        taken = row[np.clip(position, 0, len(row) - 1)]
        return np.where(position >= 0, taken, 0.0)

    def started_by(self, candidate: str, year: int) -> float:
        """``S[p,year]`` from the plan's starts (any year, also beyond the horizon)."""
        return sum(u for y, u in self.starts.get(candidate, {}).items() if y <= year)

    # ---- emissions -------------------------------------------------------------------
    @cached_property
    def existing_co2e(self) -> pd.Series:
        """Tonnes CO2e of existing operations per year (policy_years; missing: 0)."""
        values = {r.year: r.existing_co2e_t for r in self.scenario.policy_years}
        return pd.Series([values.get(t, 0.0) for t in self.years], index=self.years, dtype=float)

    @cached_property
    def project_co2e(self) -> pd.Series:
        """``E_proj[t] = Σ_p embodied_p·F[p,t] + Σ_p operational_p·I[p,t]``, tonnes."""
        embodied = self.spend_share.mul(self.attribute("embodied_co2e_t"), axis=0).sum()
        operational = self.in_service.mul(self.attribute("operational_co2e_t"), axis=0).sum()
        return (embodied + operational).reindex(self.years, fill_value=0.0).astype(float)

    @cached_property
    def co2e(self) -> pd.Series:
        """``E[t] = E_proj[t] + existing_co2e[t]``, tonnes."""
        return self.project_co2e + self.existing_co2e

    # ---- plan tables -----------------------------------------------------------------
    @cached_property
    def shortfall(self) -> pd.DataFrame:
        return _normalised(self.plan.shortfall, SHORTFALL_COLUMNS)

    @cached_property
    def transfers(self) -> pd.DataFrame:
        return _normalised(self.plan.transfers, TRANSFER_COLUMNS)

    @cached_property
    def carry_over_rows(self) -> pd.DataFrame:
        return _normalised(self.plan.carry_over, CARRY_OVER_COLUMNS)

    @cached_property
    def debt(self) -> pd.Series:
        """``D[t]`` from the plan for every horizon year (missing: 0), MSEK."""
        rows = _normalised(self.plan.debt, DEBT_COLUMNS)
        return rows.set_index("year")["debt"].reindex(self.years, fill_value=0.0).astype(float)

    @cached_property
    def coverage_keys(self) -> pd.DataFrame:
        """(service, district, year) of every coverage row: the scenario's demand table."""
        return self.scenario.demand[["service", "district", "year"]]

    @cached_property
    def matched_shortfall(self) -> pd.DataFrame:
        """Shortfall rows on coverage rows, with ``matched`` telling which are."""
        merged = self.shortfall.merge(
            self.coverage_keys, on=["service", "district", "year"], how="left", indicator=True
        )
        merged["matched"] = merged.pop("_merge") == "both"
        return merged

    # ---- helpers ---------------------------------------------------------------------
    def over(self, lhs: np.ndarray | float, rhs: np.ndarray | float) -> np.ndarray:
        """True where ``lhs ≤ rhs`` is violated beyond ``tolerance·max(1, |rhs|)``."""
        lhs, rhs = np.asarray(lhs, dtype=float), np.asarray(rhs, dtype=float)
        return (lhs - rhs) > self.tolerance * np.maximum(1.0, np.abs(rhs))

    def department_rows_over(
        self, used: pd.DataFrame, rows: Iterable[Any], limit: str
    ) -> Iterator[tuple[Any, float, float]]:
        """Per-department limit rows (``department``, ``year`` and the field ``limit``) that
        ``used`` (departments × years) exceeds, as (row, used, excess); rows outside it are skipped.

        Department budgets and staff are the same relation on different quantities.
        """
        for r in rows:
            if r.department not in used.index or r.year not in used.columns:
                continue
            value, ceiling = used.loc[r.department, r.year], getattr(r, limit)
            if self.over(value, ceiling):
                yield r, value, value - ceiling

    def pool_of(self) -> pd.Series:
        return self.candidates["pool"]

    def department_of(self) -> pd.Series:
        return self.candidates["department"]

    def by_group(self, frame: pd.DataFrame, groups: pd.Series, index: list[str]) -> pd.DataFrame:
        """Sum candidate rows of ``frame`` by ``groups``; rows ``index`` × horizon years."""
        summed = frame.groupby(groups).sum() if len(frame) else frame
        return summed.reindex(index=index, columns=self.years, fill_value=0.0).astype(float)
