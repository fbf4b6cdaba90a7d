"""The independent plan checker: recompute every constraint from the scenario and a plan (MODEL.md §7).

Nothing here reads the model or the solver. Every quantity is rebuilt in plain pandas/numpy from
the plan's decisions (``starts``, ``shortfall``, ``transfers``, ``carry_over``, ``debt``) and the
validated ``Scenario``, so a bug in the model shows up as a named violation here.

Notation (years ``y0 … yN`` of the horizon; candidate ``p`` with lead time ``L``, lifetime ``T``,
spend profile ``f_j``, capex ``C``, grant share ``g``; ``n[p,y]`` units started in year ``y``):

- started by:          ``S[p,t] = Σ_{y ≤ t} n[p,y]``
- in service:          ``I[p,t] = S[p,t−L] − S[p,t−L−T]``
- under construction:  ``U[p,t] = S[p,t] − S[p,t−L]``  (never when ``L = 0``)
- spend share:         ``F[p,t] = Σ_j f_j·n[p,t−j]``  (units' worth of capex spent in ``t``)
- net spend:           ``N[p,t] = (1−g)·C·F[p,t]``  (MSEK the funding pool pays)

A ``≤`` constraint ``lhs ≤ rhs`` is violated when ``lhs − rhs > tolerance·max(1, |rhs|)``
(``≥`` likewise); the violation's ``amount`` is ``lhs − rhs`` in the constraint's own unit.

Use ``check_plan(scenario, plan)`` for the violations and ``recompute_objective(scenario, plan)``
for the present value of each cost kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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
    "objective",  # the plan's objective equals the recomputed one
)

OBJECTIVE_RTOL = 1e-6  # relative tolerance of the objective comparison
OBJECTIVE_ATOL = 1e-4  # MSEK


@dataclass(frozen=True)
class Violation:
    """One violated constraint: its name, by how much (in its own unit) and in words."""

    constraint: str
    amount: float
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", float(self.amount))  # plain float, not numpy

    @property
    def kind(self) -> str:
        """The constraint kind without its index: ``budget`` for ``budget[tax,2028]``."""
        return self.constraint.split("[", 1)[0]

    def __str__(self) -> str:
        return f"{self.constraint}: {self.message}"


# ======================================================================================
# Public API
# ======================================================================================
def check_plan(scenario: Scenario, plan: Plan, tolerance: float = 1e-6) -> list[Violation]:
    """Every constraint of MODEL.md §3-§4 the plan violates, recomputed from its decisions.

    The objective is compared too (``objective``), when the plan has one, with a relative
    tolerance of ``OBJECTIVE_RTOL`` plus an absolute ``OBJECTIVE_ATOL`` MSEK.
    """
    facts = _Facts(scenario, plan, tolerance)
    violations: list[Violation] = []
    for block in (
        _check_decisions,
        _check_coverage,
        _check_transfers,
        _check_budgets,
        _check_carry_over,
        _check_department_budgets,
        _check_debt,
        _check_precedence,
        _check_exclusive,
        _check_must_do,
        _check_co2e,
        _check_staff,
        _check_delivery,
        _check_objective,
    ):
        violations += block(facts)
    return violations


def recompute_objective(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """Present value (MSEK) of each cost kind, and ``total``: the objective the model minimises.

    With ``df[t] = (1+r)^−(t−y0)`` and only horizon years counted::

        capex    = Σ_t df[t]·Σ_p N[p,t]
        opex     = Σ_t df[t]·Σ_p opex_p·I[p,t]
        shortfall= Σ_t df[t]·Σ_{s,d} shortfall_cost_s·u[s,d,t]
        interest = Σ_t df[t]·interest_rate·D[t]                   (only with debt rules)
        carbon   = Σ_t df[t]·carbon_price/1e6·E_proj[t]           (SEK/t → MSEK/t)
        salvage  = Σ_p Σ_y n[p,y]·(1−g)·C·P[p,y]·clip(y+L+T−1−yN, 0, T)/T · df[yN+1]
                   with P[p,y] = Σ_{j: y0 ≤ y+j ≤ yN} f_j, the share paid inside the horizon
                   (1 when every spend year y+j falls inside it)
        cost     = capex + opex + shortfall + interest + carbon − salvage

    Cost mode: ``total = cost``, ``value = 0``. Value mode: ``value = Σ_p value_p·S[p,yN]``
    and ``total = −value + value_cost_weight·cost``. The cost terms are always unweighted.
    """
    return _objective_terms(_Facts(scenario, plan, 0.0))


# ======================================================================================
# Recomputed activity: started, in service, under construction, spend, emissions
# ======================================================================================
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

    def pool_of(self) -> pd.Series:
        return self.candidates["pool"]

    def department_of(self) -> pd.Series:
        return self.candidates["department"]

    def by_group(self, frame: pd.DataFrame, groups: pd.Series, index: list[str]) -> pd.DataFrame:
        """Sum candidate rows of ``frame`` by ``groups``; rows ``index`` × horizon years."""
        summed = frame.groupby(groups).sum() if len(frame) else frame
        return summed.reindex(index=index, columns=self.years, fill_value=0.0).astype(float)


# ======================================================================================
# Decisions
# ======================================================================================
def _check_decisions(facts: _Facts) -> list[Violation]:
    """Starts are whole units ≥ 0, of known candidates, inside windows and within max_units.

    ``n[p,y] ∈ {0, 1, 2, …}``; ``n[p,y] = 0`` for y outside ``start_windows[p]``;
    ``Σ_y n[p,y] ≤ max_units[p]``.
    """
    scenario, tol = facts.scenario, facts.tolerance
    out: list[Violation] = []
    for p, by_year in sorted(facts.starts.items()):
        total = sum(by_year.values())
        if p not in scenario.candidate_by_id:
            if any(abs(u) > tol for u in by_year.values()):
                out.append(
                    Violation(
                        f"unknown_candidate[{p}]",
                        total,
                        f"the plan starts {_num(total)} unit(s) of '{p}', which is not a "
                        "candidate of the scenario",
                    )
                )
            continue
        candidate = scenario.candidate_by_id[p]
        for y, units in sorted(by_year.items()):
            off = max(-units, abs(units - round(units)))
            if off > tol:
                out.append(
                    Violation(
                        f"start_units[{p},{y}]",
                        off,
                        f"{p} starts {_num(units)} units in {y}; starts must be whole numbers ≥ 0",
                    )
                )
        earliest, latest = scenario.start_windows[p]
        outside = {y: u for y, u in by_year.items() if not earliest <= y <= latest and abs(u) > tol}
        if outside:
            amount = sum(abs(u) for u in outside.values())
            years = ", ".join(str(y) for y in sorted(outside))
            out.append(
                Violation(
                    f"window[{p}]",
                    amount,
                    f"{p} starts {_num(amount)} unit(s) in {years}, outside its start window "
                    f"{earliest}-{latest}",
                )
            )
        if facts.over(total, candidate.max_units):
            out.append(
                Violation(
                    f"units[{p}]",
                    total - candidate.max_units,
                    f"{p} starts {_num(total)} units in all, more than its max_units "
                    f"{candidate.max_units} by {_num(total - candidate.max_units)}",
                )
            )
    return out


# ======================================================================================
# Coverage
# ======================================================================================
def _coverage_table(facts: _Facts) -> pd.DataFrame:
    """Supply against demand for every coverage row (service, district, year).

    ``supply = cap0 + Σ_p k[p,s]·I[p,t] + u + inflow − outflow``, in the service's unit, where
    ``cap0`` sums existing assets with no retirement year or one after t, and for services
    planned per district only assets and candidates located in the district count.
    """
    scenario, years = facts.scenario, facts.years
    services = scenario.service_by_id
    keys = ["service", "district", "year"]

    def district_key(service: str, district: str | None) -> str:
        return (district or ALL_DISTRICTS) if services[service].by_district else ALL_DISTRICTS

    existing = pd.DataFrame(
        [
            (a.service, district_key(a.service, a.district), t, a.capacity)
            for a in scenario.existing_assets
            for t in years
            if a.retirement_year is None or a.retirement_year > t
        ],
        columns=[*keys, "existing"],
    )
    capacity = pd.DataFrame(
        [
            (
                r.candidate,
                r.service,
                district_key(r.service, scenario.candidate_by_id[r.candidate].district),
                r.capacity,
            )
            for r in scenario.capacities
        ],
        columns=["candidate", "service", "district", "capacity"],
    )
    in_service = (
        facts.in_service.rename_axis(index="candidate", columns="year")
        .stack()
        .rename("in_service")
        .reset_index()
    )
    new = capacity.merge(in_service, on="candidate")
    new["new"] = new["capacity"] * new["in_service"]

    shortfall = facts.matched_shortfall
    shortfall = shortfall.loc[shortfall["matched"], [*keys, "shortfall"]]
    transfers = _valid_transfers(facts)
    inflow = transfers.rename(columns={"to_district": "district", "units": "inflow"})
    outflow = transfers.rename(columns={"from_district": "district", "units": "outflow"})

    table = scenario.demand.copy()
    for part, column in (
        (existing, "existing"),
        (new, "new"),
        (shortfall, "shortfall"),
        (inflow, "inflow"),
        (outflow, "outflow"),
    ):
        summed = part.groupby(keys, as_index=False)[column].sum()
        table = table.merge(summed, on=keys, how="left")
        table[column] = table[column].astype(float).fillna(0.0)
    table["supply"] = (
        table["existing"] + table["new"] + table["shortfall"] + table["inflow"] - table["outflow"]
    )
    return table


def _check_coverage(facts: _Facts) -> list[Violation]:
    """Coverage, shortfall sign and hard coverage per service, district and year.

    ``cap0 + Σ_p k·I + u + inflow − outflow ≥ demand`` (``coverage``); ``u ≥ 0`` and only on
    coverage rows (``shortfall``); in hard-coverage mode ``u = 0`` (``hard_coverage``).
    """
    scenario, tol = facts.scenario, facts.tolerance
    services = scenario.service_by_id
    out: list[Violation] = []

    def unit(service: str) -> str:
        return services[service].unit if service in services else "units"

    def where(district: str) -> str:
        return f" in district {district}" if district != ALL_DISTRICTS else ""

    table = _coverage_table(facts)
    # ``supply ≥ demand``: violated when demand − supply > tol·max(1, |demand|)
    short = (table["demand"] - table["supply"]) > tol * np.maximum(1.0, table["demand"].abs())
    for row in table.loc[short].itertuples(index=False):
        amount = row.demand - row.supply
        out.append(
            Violation(
                f"coverage[{_key(row.service, row.district, row.year)}]",
                amount,
                f"{row.service}{where(row.district)} in {row.year}: demand {_num(row.demand)} "
                f"{unit(row.service)} exceeds capacity {_num(row.existing + row.new)} plus "
                f"shortfall {_num(row.shortfall)} plus transfers in {_num(row.inflow)} minus "
                f"out {_num(row.outflow)} by {_num(amount)} {unit(row.service)}",
            )
        )

    rows = facts.matched_shortfall
    for row in rows.itertuples(index=False):
        name = _key(row.service, row.district, row.year)
        if not row.matched and abs(row.shortfall) > tol:
            out.append(
                Violation(
                    f"shortfall[{name}]",
                    abs(row.shortfall),
                    f"shortfall {_num(row.shortfall)} of {row.service}{where(row.district)} in "
                    f"{row.year} is not on a coverage row of the scenario (unknown service, "
                    "district or year)",
                )
            )
        elif row.matched and row.shortfall < -tol:
            out.append(
                Violation(
                    f"shortfall[{name}]",
                    -row.shortfall,
                    f"shortfall of {row.service}{where(row.district)} in {row.year} is "
                    f"{_num(row.shortfall)} {unit(row.service)}; it must be ≥ 0",
                )
            )
        elif row.matched and scenario.settings.scenario.hard_coverage and row.shortfall > tol:
            out.append(
                Violation(
                    f"hard_coverage[{name}]",
                    row.shortfall,
                    f"hard coverage: {row.service}{where(row.district)} in {row.year} has a "
                    f"shortfall of {_num(row.shortfall)} {unit(row.service)}; it must be 0",
                )
            )
    return out


# ======================================================================================
# Transfers between districts
# ======================================================================================
def _transfer_problem(facts: _Facts, row) -> str | None:
    """Why a transfer row cannot be used in coverage at all (unknown keys), or None."""
    scenario = facts.scenario
    service = scenario.service_by_id.get(row.service)
    districts = {d.id for d in scenario.settings.districts}
    if service is None:
        return f"'{row.service}' is not a service"
    if not service.by_district:
        return f"{row.service} is planned municipality-wide, so it has no transfers"
    for district in (row.from_district, row.to_district):
        if district not in districts:
            return f"'{district}' is not a district"
    if row.year not in facts.years:
        return f"{row.year} is outside the horizon {facts.y0}-{facts.yN}"
    return None


def _valid_transfers(facts: _Facts) -> pd.DataFrame:
    """Transfer rows whose service, districts and year exist (they count in coverage)."""
    rows = facts.transfers
    usable = [_transfer_problem(facts, row) is None for row in rows.itertuples(index=False)]
    return rows.loc[np.array(usable, dtype=bool)] if len(rows) else rows


def _check_transfers(facts: _Facts) -> list[Violation]:
    """Transfers ``≥ 0`` from a listed neighbour (``transfer``) and the neighbour share.

    A row (s, d', d, t, units) is allowed only for by-district services and when d' is in d's
    ``neighbours``; ``Σ_{d'} units[s,d',d,t] ≤ neighbour_share_s · demand[s,d,t]``
    (``neighbour_share``).
    """
    scenario, tol = facts.scenario, facts.tolerance
    neighbours = {d.id: set(d.neighbours) for d in scenario.settings.districts}
    out: list[Violation] = []
    for row in facts.transfers.itertuples(index=False):
        name = f"transfer[{row.service},{row.from_district},{row.to_district},{row.year}]"
        what = (
            f"transfer of {_num(row.units)} {row.service} from {row.from_district or '(none)'} "
            f"to {row.to_district or '(none)'} in {row.year}"
        )
        problem = _transfer_problem(facts, row)
        if problem is None and row.from_district not in neighbours.get(row.to_district, set()):
            problem = f"{row.from_district} is not listed as a neighbour of {row.to_district}"
        if problem is not None and abs(row.units) > tol:
            out.append(Violation(name, abs(row.units), f"{what}: {problem}"))
        elif row.units < -tol:
            out.append(Violation(name, -row.units, f"{what}: transfers must be ≥ 0"))

    inflow = _valid_transfers(facts).groupby(["service", "to_district", "year"])["units"].sum()
    demand = scenario.demand.set_index(["service", "district", "year"])["demand"]
    for (service, district, year), units in inflow.items():
        share = scenario.service_by_id[service].neighbour_share
        limit = share * demand.get((service, district, year), 0.0)
        if facts.over(units, limit):
            unit = scenario.service_by_id[service].unit
            out.append(
                Violation(
                    f"neighbour_share[{service},{district},{year}]",
                    units - limit,
                    f"{service} in district {district} in {year} receives {_num(units)} {unit} "
                    f"from neighbours, more than {_num(share)} of its demand ({_num(limit)} "
                    f"{unit}) by {_num(units - limit)} {unit}",
                )
            )
    return out


# ======================================================================================
# Budgets, carry-over, department ceilings, debt
# ======================================================================================
def _carry_over_matrix(facts: _Facts, pools: list[str]) -> pd.DataFrame:
    """``c[pool,t]`` from the plan, pools × horizon years (missing: 0)."""
    rows = facts.carry_over_rows
    matrix = rows.pivot_table(index="pool", columns="year", values="carry_over", aggfunc="sum")
    return matrix.reindex(index=pools, columns=facts.years, fill_value=0.0).fillna(0.0)


def _check_budgets(facts: _Facts) -> list[Violation]:
    """Per pool and year: ``Σ_{p∈pool} N[p,t] + c[pool,t] ≤ B[pool,t] + c[pool,t−1]``.

    ``c[pool,y0−1] = 0``; ``B`` is the scenario's ceiling (budget_factor applied; missing: 0).
    """
    scenario, years = facts.scenario, facts.years
    pools = [pool.id for pool in scenario.settings.pools]
    spend = facts.by_group(facts.net_spend, facts.pool_of(), pools)
    ceiling = pd.DataFrame(0.0, index=pools, columns=years)
    for r in scenario.budgets:
        if r.pool in ceiling.index and r.year in ceiling.columns:
            ceiling.loc[r.pool, r.year] = r.ceiling
    carry = _carry_over_matrix(facts, pools)
    carried_in = carry.shift(1, axis=1, fill_value=0.0)
    lhs, rhs = spend + carry, ceiling + carried_in
    out: list[Violation] = []
    for pool in pools:
        for t in years:
            if facts.over(lhs.loc[pool, t], rhs.loc[pool, t]):
                amount = lhs.loc[pool, t] - rhs.loc[pool, t]
                out.append(
                    Violation(
                        f"budget[{pool},{t}]",
                        amount,
                        f"pool {pool}: net spend {_num(spend.loc[pool, t])} MSEK plus "
                        f"{_num(carry.loc[pool, t])} MSEK carried to {t + 1} exceeds the {t} "
                        f"ceiling {_num(ceiling.loc[pool, t])} MSEK plus "
                        f"{_num(carried_in.loc[pool, t])} MSEK carried from {t - 1} by "
                        f"{_num(amount)} MSEK",
                    )
                )
    return out


def _check_carry_over(facts: _Facts) -> list[Violation]:
    """``0 ≤ c[pool,t] ≤ carry_over_cap``; ``c = 0`` when the pool does not carry over.

    Rows for unknown pools or years outside the horizon are violations too.
    """
    scenario, tol = facts.scenario, facts.tolerance
    out: list[Violation] = []
    for row in facts.carry_over_rows.itertuples(index=False):
        pool = scenario.pool_by_id.get(row.pool)
        name = f"carry_over[{row.pool},{row.year}]"
        what = f"carry-over {_num(row.carry_over)} MSEK of pool {row.pool} from {row.year}"
        if pool is None or row.year not in facts.years:
            if abs(row.carry_over) > tol:
                why = "unknown pool" if pool is None else "year outside the horizon"
                out.append(Violation(name, abs(row.carry_over), f"{what}: {why}"))
        elif row.carry_over < -tol:
            out.append(Violation(name, -row.carry_over, f"{what}: it must be ≥ 0"))
        elif not pool.carry_over and row.carry_over > tol:
            out.append(
                Violation(name, row.carry_over, f"{what}: the pool does not allow carry-over")
            )
        elif pool.carry_over_cap is not None and facts.over(row.carry_over, pool.carry_over_cap):
            amount = row.carry_over - pool.carry_over_cap
            out.append(
                Violation(
                    name,
                    amount,
                    f"{what} exceeds the cap {_num(pool.carry_over_cap)} MSEK by {_num(amount)} "
                    "MSEK",
                )
            )
    return out


def _check_department_budgets(facts: _Facts) -> list[Violation]:
    """Per department_budgets row: ``Σ_{p∈dept} N[p,t] ≤ ceiling``, MSEK."""
    scenario = facts.scenario
    departments = [d.id for d in scenario.settings.departments]
    spend = facts.by_group(facts.net_spend, facts.department_of(), departments)
    out: list[Violation] = []
    for r in scenario.department_budgets:
        if r.department not in spend.index or r.year not in spend.columns:
            continue
        used = spend.loc[r.department, r.year]
        if facts.over(used, r.ceiling):
            out.append(
                Violation(
                    f"department_budget[{r.department},{r.year}]",
                    used - r.ceiling,
                    f"department {r.department}: net spend {_num(used)} MSEK in {r.year} exceeds "
                    f"its ceiling {_num(r.ceiling)} MSEK by {_num(used - r.ceiling)} MSEK",
                )
            )
    return out


def _check_debt(facts: _Facts) -> list[Violation]:
    """Debt rules, when the scenario has them (MSEK, end of year).

    ``D[t] ≥ max(0, D[t−1] + Σ_{p: pool ∈ debt.pools} N[p,t] − self_financing[t])`` (``debt``),
    ``D[y0−1] = opening``, empty ``debt.pools`` meaning every pool; ``D[t] ≤ debt_ceiling[t]``
    where policy_years gives one (``debt_ceiling``).
    """
    scenario = facts.scenario
    rules = scenario.settings.debt
    if rules is None:
        return []
    pools = rules.pools or [pool.id for pool in scenario.settings.pools]
    financed = facts.net_spend.loc[facts.pool_of().isin(pools).to_numpy()].sum()
    financed = financed.reindex(facts.years, fill_value=0.0)
    policy = {r.year: r for r in scenario.policy_years}
    debt = facts.debt
    out: list[Violation] = []
    previous = rules.opening
    for t in facts.years:
        self_financing = policy[t].self_financing if t in policy else 0.0
        floor = max(0.0, previous + financed[t] - self_financing)
        if facts.over(floor, debt[t]):
            out.append(
                Violation(
                    f"debt[{t}]",
                    floor - debt[t],
                    f"debt at the end of {t} is {_num(debt[t])} MSEK but must be at least "
                    f"{_num(floor)} MSEK (debt {_num(previous)} before, plus debt-financed spend "
                    f"{_num(financed[t])}, minus self-financing {_num(self_financing)}, "
                    "and not below 0)",
                )
            )
        ceiling = policy[t].debt_ceiling if t in policy else None
        if ceiling is not None and facts.over(debt[t], ceiling):
            out.append(
                Violation(
                    f"debt_ceiling[{t}]",
                    debt[t] - ceiling,
                    f"debt {_num(debt[t])} MSEK at the end of {t} exceeds the ceiling "
                    f"{_num(ceiling)} MSEK by {_num(debt[t] - ceiling)} MSEK",
                )
            )
        previous = debt[t]
    return out


# ======================================================================================
# Precedence, exclusive groups, must-do, deadlines, commitments
# ======================================================================================
def _check_precedence(facts: _Facts) -> list[Violation]:
    """Per dependency (p requires q, lag ℓ) and year t, on started-by sums:

    ``in_service_before_start``: ``S[p,t] ≤ m_p·S[q,t−L_q−ℓ]`` (``precedence[p,q,t]``);
    ``in_service_when_opens``:   ``S[p,t−L_p] ≤ m_p·S[q,t−L_q−ℓ]`` (``opens_with[p,q,t]``).

    Years run from y0 to yN + L_p for the second kind: a start late in the horizon opens after
    it, and q must be in service then too (q's started-by sum stands still after yN). Both kinds
    so forbid p when q is never built, whatever the year (docs/model.md, precedence).
    """
    scenario = facts.scenario
    by_id = scenario.candidate_by_id
    out: list[Violation] = []
    for dep in scenario.dependencies:
        p, q = by_id[dep.candidate], by_id[dep.requires]
        opens = dep.kind == "in_service_when_opens"
        shift_p = p.lead_time if opens else 0
        years = np.arange(facts.y0, facts.yN + shift_p + 1)
        ready = p.max_units * facts.started_by_years(q.id, years - q.lead_time - dep.lag)
        lhs = facts.started_by_years(p.id, years - shift_p)
        name = "opens_with" if opens else "precedence"
        lag = f" plus {dep.lag} year(s)" if dep.lag else ""
        for t, left, right in zip(years.tolist(), lhs, ready, strict=True):
            if facts.over(left, right):
                if opens:
                    what = f"in service in {t} (started by {t - p.lead_time})"
                else:
                    what = f"started by {t}"
                out.append(
                    Violation(
                        f"{name}[{p.id},{q.id},{t}]",
                        left - right,
                        f"{p.id} has {_num(left)} unit(s) {what} but may have at most "
                        f"{_num(right)}: max_units {p.max_units} × {_num(right / p.max_units)} "
                        f"unit(s) of {q.id} started by {t - q.lead_time - dep.lag} (in service"
                        f"{lag} by {t})",
                    )
                )
    return out


def _check_exclusive(facts: _Facts) -> list[Violation]:
    """Per exclusive group G: at most one candidate of G is built, ``Σ_{p∈G} b[p] ≤ 1``.

    ``b[p] = S[p,yN]`` for a one-unit candidate, and 1 when any unit of a modular candidate
    (max_units > 1) is built: the group limits candidates, not units (docs/model.md, choice).
    """
    groups: dict[str, list[str]] = {}
    for c in facts.scenario.candidates:
        if c.exclusive_group:
            groups.setdefault(c.exclusive_group, []).append(c.id)
    by_id = facts.scenario.candidate_by_id
    out: list[Violation] = []
    for group, members in sorted(groups.items()):
        units = {p: facts.started_by(p, facts.yN) for p in members}
        built = {
            p: u if by_id[p].max_units == 1 else float(u > facts.tolerance)
            for p, u in units.items()
        }
        total = sum(built.values())
        if facts.over(total, 1.0):
            chosen = ", ".join(f"{p} ({_num(u)} unit(s))" for p, u in units.items() if u)
            out.append(
                Violation(
                    f"exclusive[{group}]",
                    total - 1.0,
                    f"exclusive group {group}: at most one candidate may be built, the plan "
                    f"builds {_num(total)}: {chosen}",
                )
            )
    return out


def _check_must_do(facts: _Facts) -> list[Violation]:
    """Must-do ``S[p,yN] ≥ 1``; deadline ``S[p,deadline−L] ≥ 1``; committed ``n[p,y*] ≥ 1``.

    A deadline already implies must-do, so a candidate with a deadline is checked against its
    deadline only (``deadline[p]``); ``must_do[p]`` is for must-do without a deadline.
    """
    tol = facts.tolerance
    out: list[Violation] = []
    for c in facts.scenario.candidates:
        if c.deadline is not None:
            by = c.deadline - c.lead_time
            started = facts.started_by(c.id, by)
            if 1.0 - started > tol:
                out.append(
                    Violation(
                        f"deadline[{c.id}]",
                        1.0 - started,
                        f"{c.id} must be in service by {c.deadline}, so started by {by}; the "
                        f"plan starts {_num(started)} unit(s) by then",
                    )
                )
        elif c.must_do:
            started = facts.started_by(c.id, facts.yN)
            if 1.0 - started > tol:
                out.append(
                    Violation(
                        f"must_do[{c.id}]",
                        1.0 - started,
                        f"{c.id} is must-do but the plan starts {_num(started)} unit(s) by "
                        f"{facts.yN}",
                    )
                )
        if c.committed_start is not None:
            started = facts.starts.get(c.id, {}).get(c.committed_start, 0.0)
            if 1.0 - started > tol:
                out.append(
                    Violation(
                        f"committed[{c.id}]",
                        1.0 - started,
                        f"{c.id} is committed to start in {c.committed_start}; the plan starts "
                        f"{_num(started)} unit(s) that year",
                    )
                )
    return out


# ======================================================================================
# CO2e, staff, delivery capacity
# ======================================================================================
def _check_co2e(facts: _Facts) -> list[Violation]:
    """Tonnes CO2e per year and over the horizon.

    ``E[t] = Σ_p embodied_p·Σ_j f_j·n[p,t−j] + Σ_p operational_p·I[p,t] + existing_co2e[t]``;
    ``E[t] ≤ co2e_cap_t[t]`` where given (``co2e_cap``); ``Σ_t E[t] ≤ cumulative_budget_t``
    (``co2e_budget``).
    """
    scenario = facts.scenario
    emissions = facts.co2e
    out: list[Violation] = []
    for r in sorted(scenario.policy_years, key=lambda r: r.year):
        if r.co2e_cap_t is None or r.year not in facts.years:
            continue
        used = emissions[r.year]
        if facts.over(used, r.co2e_cap_t):
            out.append(
                Violation(
                    f"co2e_cap[{r.year}]",
                    used - r.co2e_cap_t,
                    f"CO2e {_num(used)} t in {r.year} (projects {_num(facts.project_co2e[r.year])}"
                    f" + existing {_num(facts.existing_co2e[r.year])}) exceeds the cap "
                    f"{_num(r.co2e_cap_t)} t by {_num(used - r.co2e_cap_t)} t",
                )
            )
    budget = scenario.settings.climate.cumulative_budget_t
    total = float(emissions.sum())
    if budget is not None and facts.over(total, budget):
        out.append(
            Violation(
                "co2e_budget",
                total - budget,
                f"CO2e {_num(total)} t over {facts.y0}-{facts.yN} exceeds the cumulative budget "
                f"{_num(budget)} t by {_num(total - budget)} t",
            )
        )
    return out


def _check_staff(facts: _Facts) -> list[Violation]:
    """Per staff row (dept, t): ``Σ_{p∈dept} staff_fte_p·I[p,t] ≤ recruitable_fte``, FTE."""
    scenario = facts.scenario
    departments = [d.id for d in scenario.settings.departments]
    fte = facts.in_service.mul(facts.attribute("staff_fte"), axis=0)
    need = facts.by_group(fte, facts.department_of(), departments)
    out: list[Violation] = []
    for r in sorted(scenario.staff, key=lambda r: (r.department, r.year)):
        if r.department not in need.index or r.year not in need.columns:
            continue
        used = need.loc[r.department, r.year]
        if facts.over(used, r.recruitable_fte):
            out.append(
                Violation(
                    f"staff[{r.department},{r.year}]",
                    used - r.recruitable_fte,
                    f"department {r.department} needs {_num(used)} FTE in {r.year}, more than "
                    f"the {_num(r.recruitable_fte)} FTE it can recruit by "
                    f"{_num(used - r.recruitable_fte)} FTE",
                )
            )
    return out


def _check_delivery(facts: _Facts) -> list[Violation]:
    """Projects under construction: ``Σ_p U[p,t] ≤ K[t]`` (``delivery[t]``, policy_years) and
    ``Σ_{p∈dept} U[p,t] ≤ K_dept`` (``delivery[dept,t]``, departments)."""
    scenario = facts.scenario
    building = facts.under_construction
    out: list[Violation] = []
    total = building.sum().reindex(facts.years, fill_value=0.0)
    for r in sorted(scenario.policy_years, key=lambda r: r.year):
        limit = r.max_projects_under_construction
        if limit is None or r.year not in facts.years:
            continue
        if facts.over(total[r.year], limit):
            out.append(
                Violation(
                    f"delivery[{r.year}]",
                    total[r.year] - limit,
                    f"{_num(total[r.year])} projects under construction in {r.year}, more than "
                    f"the {limit} that can be delivered at once by {_num(total[r.year] - limit)}",
                )
            )
    limited = [
        d for d in scenario.settings.departments if d.max_projects_under_construction is not None
    ]
    per_department = facts.by_group(building, facts.department_of(), [d.id for d in limited])
    for department in limited:
        limit = department.max_projects_under_construction
        for t in facts.years:
            count = per_department.loc[department.id, t]
            if facts.over(count, limit):
                out.append(
                    Violation(
                        f"delivery[{department.id},{t}]",
                        count - limit,
                        f"department {department.id} has {_num(count)} projects under "
                        f"construction in {t}, more than the {limit} it can deliver at once by "
                        f"{_num(count - limit)}",
                    )
                )
    return out


# ======================================================================================
# Objective
# ======================================================================================
def _objective_terms(facts: _Facts) -> dict[str, float]:
    """Present value by cost kind and the total; formulas in ``recompute_objective``."""
    scenario, years = facts.scenario, facts.years
    info = scenario.settings.scenario
    discount = pd.Series(
        [(1.0 + info.discount_rate) ** -(t - facts.y0) for t in years], index=years
    )

    def present_value(per_year: pd.Series) -> float:
        return float((per_year.reindex(years, fill_value=0.0) * discount).sum())

    capex = present_value(facts.net_spend.sum())
    opex = present_value(facts.in_service.mul(facts.attribute("opex"), axis=0).sum())

    rows = facts.matched_shortfall
    rows = rows.loc[rows["matched"]]
    cost = rows["service"].map(lambda s: scenario.service_by_id[s].shortfall_cost)
    shortfall = present_value((rows["shortfall"] * cost.astype(float)).groupby(rows["year"]).sum())

    rules = scenario.settings.debt
    interest = present_value(rules.interest_rate * facts.debt) if rules is not None else 0.0
    price = scenario.settings.climate.carbon_price_sek_per_t / 1e6  # MSEK per tonne
    carbon = present_value(price * facts.project_co2e)

    lead, life = facts.attribute("lead_time"), facts.attribute("lifetime")
    per_unit = (1 - facts.attribute("grant_share")) * facts.attribute("capex")
    start_years = facts.axis[None, :]
    left = np.clip(start_years + lead[:, None] + life[:, None] - 1 - facts.yN, 0, life[:, None])
    # share of a unit's capex paid inside y0..yN by a start in each axis year: salvage is
    # credited only on what the plan paid (docs/model.md, objective); 1 exactly when the whole
    # profile falls inside, as the profile's shares sum to 1 only within a tolerance
    paid_inside = np.zeros_like(facts._n)
    for i, candidate in enumerate(scenario.candidates):
        profile = scenario.spend_profile(candidate)
        for j, fraction in enumerate(profile):
            spent_in = facts.axis + j
            paid_inside[i] += fraction * ((spent_in >= facts.y0) & (spent_in <= facts.yN))
        wholly_inside = (facts.axis >= facts.y0) & (facts.axis + len(profile) - 1 <= facts.yN)
        paid_inside[i, wholly_inside] = 1.0
    salvage_factor = (1.0 + info.discount_rate) ** -(facts.yN + 1 - facts.y0)
    salvage = float(
        (facts._n * paid_inside * per_unit[:, None] * left / life[:, None]).sum() * salvage_factor
    )

    cost_total = capex + opex + shortfall + interest + carbon - salvage
    if info.objective == "value":
        value = float((facts.started_by_end * facts.attribute("value")).sum())
        total = -value + info.value_cost_weight * cost_total
    else:
        value, total = 0.0, cost_total
    return {
        "capex": capex,
        "opex": opex,
        "shortfall": shortfall,
        "interest": interest,
        "carbon": carbon,
        "salvage": salvage,
        "value": value,
        "total": total,
    }


def _check_objective(facts: _Facts) -> list[Violation]:
    """``|total − plan.objective| ≤ OBJECTIVE_RTOL·|plan.objective| + OBJECTIVE_ATOL`` (MSEK)."""
    claimed = facts.plan.objective
    if claimed is None:
        return []
    terms = _objective_terms(facts)
    difference = abs(terms["total"] - claimed)
    if difference <= OBJECTIVE_RTOL * abs(claimed) + OBJECTIVE_ATOL:
        return []
    mode = facts.scenario.settings.scenario.objective
    parts = ", ".join(f"{k} {_num(v)}" for k, v in terms.items() if k != "total")
    return [
        Violation(
            "objective",
            difference,
            f"the plan's objective {_num(claimed)} MSEK ({facts.plan.objective_mode} mode) differs "
            f"from the recomputed {_num(terms['total'])} MSEK ({mode} mode: {parts}) by "
            f"{_num(difference)} MSEK",
        )
    ]
