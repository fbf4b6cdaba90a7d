"""Why is a scenario infeasible? An elastic re-solve that names the conflicting limits in words.

Every group of hard limits (budgets, department ceilings, debt ceilings, CO2e caps and budget,
staff, delivery capacity, must-do and committed projects, hard coverage) gets a slack
variable; the elastic model minimises the total violation, each slack scaled by its limit so
that MSEK, tonnes and FTE weigh alike; dropping a must-do or committed project weighs ten
times more, because those are decisions and the limits are what the council can revisit. The limits whose slack stays positive are the smallest
violation that makes the plan possible; they are reported with the projects that press on them,
e.g. "must-do/committed projects need 820.0 MSEK in 2027; the tax budget is 600.0 MSEK".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.data import build_data
from optimizer.model import build
from optimizer.model.builder import INF, key_name
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings, solve

DECIDED_PROJECT_WEIGHT = 10.0  # one must-do or committed project dropped ~ ten limits doubled

# row block -> (side that is a hard limit, unit, how to say it)
RELAXABLE = {
    "budget": ("upper", "MSEK", "the {0} budget in {1}"),
    "department_budget": ("upper", "MSEK", "{0}'s investment ceiling in {1}"),
    "debt_ceiling": ("upper", "MSEK", "the debt ceiling at the end of {0}"),
    "co2e_cap": ("upper", "t CO2e", "the CO2e cap in {0} (after existing emissions)"),
    "co2e_budget": ("upper", "t CO2e", "the cumulative CO2e budget (after existing emissions)"),
    "staff": ("upper", "FTE", "the staff {0} can recruit by {1}"),
    "delivery": ("upper", "projects", "the projects that can be under construction at once ({0})"),
    "must_do": ("lower", "project", "must-do project {0}"),
    "committed": ("lower", "project", "the committed start of {0}"),
}


@dataclass(frozen=True)
class Conflict:
    constraint: str
    kind: str
    violation: float
    unit: str
    limit: float
    needed: float
    explanation: str


def diagnose(scenario: Scenario, settings: SolveSettings | None = None) -> list[Conflict]:
    """The limits that must give way, in plain words; empty if the elastic model finds none."""
    settings = settings or SolveSettings(time_limit=60)
    data = build_data(scenario)
    built = build(data)
    model = built.model
    # hard coverage: allow shortfall, at a price, so that it shows up as a conflict
    hard_coverage = scenario.settings.scenario.hard_coverage
    weights: list[tuple[np.ndarray, np.ndarray]] = []  # (columns, violation weight)
    slack_blocks: list[tuple[str, np.ndarray, np.ndarray]] = []
    if hard_coverage:
        block = model.col_blocks["shortfall"]
        shortfall = np.arange(block.start, block.stop)
        model.set_column_bounds(shortfall, upper=INF)
        # one weight per service, so the total missing is minimised, not shifted between years
        need = data.coverage.groupby("service")["need"].transform(lambda v: max(v.abs().max(), 1.0))
        weights.append((shortfall, 1.0 / need.to_numpy(float)))
    rlower, rupper = model.rlower, model.rupper
    for name, (side, _, _) in RELAXABLE.items():
        block = model.row_blocks.get(name)
        if block is None or not block.keys:
            continue
        rows = np.arange(block.start, block.stop)
        bound = rupper[rows] if side == "upper" else rlower[rows]
        scale = np.maximum(np.abs(bound), 1.0)
        if side == "lower":  # dropping a decided project is the last resort, after any limit
            scale = scale / DECIDED_PROJECT_WEIGHT
        cols = model.add_columns(f"slack_{name}", block.keys, 0.0, INF, 0.0)
        model.add_terms(rows, cols, -1.0 if side == "upper" else 1.0)
        slack_blocks.append((name, cols, bound))
        weights.append((cols, 1.0 / scale))
    # the elastic objective: total weighted violation, nothing else
    cost = np.zeros(model.n_cols)
    for cols, weight in weights:
        cost[cols] = weight
    model.col_cost = [cost]
    result = solve(model, settings)
    if result.values is None:
        return []
    values = result.values
    conflicts: list[Conflict] = []
    for name, cols, bound in slack_blocks:
        side, unit, template = RELAXABLE[name]
        block = model.row_blocks[name]
        for i, col in enumerate(cols):
            amount = float(values[col])
            if amount <= 1e-6:
                continue
            key = block.keys[i]
            words = [str(k) for k in key]
            if name == "budget":  # the pool's own name reads better than its id
                words[0] = scenario.pool_by_id[key[0]].name or key[0]
            where = template.format(*words, "", "")
            needed = float(bound[i] + amount) if side == "upper" else float(bound[i] - amount)
            conflicts.append(
                Conflict(
                    constraint=block.row_name(i),
                    kind=name,
                    violation=amount,
                    unit=unit,
                    limit=float(bound[i]),
                    needed=needed,
                    explanation=_explain(
                        name, key, where, amount, unit, float(bound[i]), needed, data, values, built
                    ),
                )
            )
    if hard_coverage:
        block = model.col_blocks["shortfall"]
        for i, key in enumerate(block.keys):
            amount = float(values[block.start + i])
            if amount > 1e-6:
                service = scenario.service_by_id[key[0]]
                place = f" in {key[1]}" if key[1] else ""
                conflicts.append(
                    Conflict(
                        constraint=key_name("coverage", key),
                        kind="coverage",
                        violation=amount,
                        unit=service.unit,
                        limit=0.0,
                        needed=amount,
                        explanation=f"hard coverage of {service.id}{place} in {key[-1]} cannot be met: "
                        f"{amount:,.1f} {service.unit} are missing even with every project that fits",
                    )
                )
    return sorted(conflicts, key=lambda c: (-c.violation / max(abs(c.limit), 1.0), c.constraint))


def _explain(name, key, where, amount, unit, limit, needed, data, values, built) -> str:
    if name in ("must_do", "committed"):
        return f"{where} cannot be carried out within the other hard limits"
    if name in ("budget", "department_budget"):
        pool_or_dept, year = key[0], int(key[1])
        forced = _forced_spenders(
            data,
            values,
            built,
            year,
            pool=pool_or_dept if name == "budget" else None,
            department=pool_or_dept if name == "department_budget" else None,
        )
        who = (
            f"must-do/committed projects {', '.join(forced)} need"
            if forced
            else "the projects that must go ahead need"
        )
        return f"{who} {needed:,.1f} MSEK in {year}; {where} is {limit:,.1f} MSEK (short by {amount:,.1f} MSEK)"
    return f"the plan needs {needed:,.1f} {unit} but {where} allows {limit:,.1f} {unit} (short by {amount:,.1f})"


def _forced_spenders(data, values, built, year, pool=None, department=None) -> list[str]:
    """Must-do or committed candidates that spend in ``year`` in the elastic solution."""
    names = []
    x = np.round(values[built.decisions.x]).astype(int)
    for k in np.flatnonzero(x > 0):
        i = int(data.start_candidate[k])
        cand = data.scenario.candidates[i]
        if not (cand.must_do or cand.deadline is not None or cand.committed_start is not None):
            continue
        if pool is not None and cand.pool != pool:
            continue
        if department is not None and cand.department != department:
            continue
        offset = year - int(data.start_year[k])
        if 0 <= offset < len(data.profiles[i]) and data.profiles[i][offset] > 0:
            names.append(cand.id)
    return sorted(set(names))
