"""Why is a scenario infeasible? An elastic re-solve that names the conflicting limits in words.

The model is built with ``BuildOptions(elastic=True)`` (``optimizer/model/elastic.py``): every
limit the row-block registry marks elastic (budgets, department ceilings, debt ceilings, CO2e
caps and budget, staff, delivery capacity, must-do and committed projects) and, in hard-coverage
mode, the shortfall get a slack, and the total weighted violation is minimised. The limits whose
slack stays positive are the smallest violation that makes the plan possible; they are reported
with the projects that press on them, e.g. "must-do/committed projects need 820.0 MSEK in 2027;
the tax budget is 600.0 MSEK".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.data import build_data
from optimizer.model import BuildOptions, ForcedStart, build
from optimizer.model.elastic import slack_block
from optimizer.model.registry import ROW_BLOCK_LIST, RowKey
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings, solve


@dataclass(frozen=True)
class Conflict:
    constraint: str  # the row's name, for display
    kind: str  # its row block
    violation: float
    unit: str
    limit: float
    needed: float
    explanation: str
    key: RowKey  # which pool, department, service, district, candidate, year


def diagnose(
    scenario: Scenario,
    settings: SolveSettings | None = None,
    forced: tuple[ForcedStart, ...] = (),
    data=None,
) -> list[Conflict]:
    """The limits that must give way, in plain words; empty if the elastic model finds none.

    ``forced``: decisions forced as an explanation asks them (``optimizer.explain``); they stay
    hard, so the limits they collide with are the ones that give way. ``data``: the scenario's
    model data when the caller already has it.
    """
    settings = settings or SolveSettings(time_limit=60)
    data = data if data is not None else build_data(scenario)
    built = build(data, BuildOptions(elastic=True, forced=forced))
    model = built.model
    result = solve(model, settings)
    if result.values is None:
        return []
    values = result.values
    rlower, rupper = model.rlower, model.rupper
    conflicts: list[Conflict] = []
    for entry in ROW_BLOCK_LIST:
        slack = model.col_blocks.get(slack_block(entry.name))
        if slack is None:
            continue
        block = model.row_blocks[entry.name]
        for i, key in enumerate(block.keys):
            amount = float(values[slack.start + i])
            if amount <= 1e-6:
                continue
            row = RowKey.of(entry.name, key)
            upper = entry.elastic == "upper"
            bound = float((rupper if upper else rlower)[block.start + i])
            # the pool's own name reads better than its id
            names = {"pool": scenario.pool_by_id[row.pool].name or row.pool} if row.pool else {}
            where = row.words(entry.limit, **names)
            needed = bound + amount if upper else bound - amount
            conflicts.append(
                Conflict(
                    constraint=row.name,
                    kind=entry.name,
                    violation=amount,
                    unit=entry.unit,
                    limit=bound,
                    needed=needed,
                    explanation=_explain(
                        row, where, amount, entry.unit, bound, needed, data, values, built, forced
                    ),
                    key=row,
                )
            )
    if scenario.settings.scenario.hard_coverage:
        conflicts += _coverage_conflicts(scenario, built, values)
    return sorted(conflicts, key=lambda c: (-c.violation / max(abs(c.limit), 1.0), c.constraint))


def _coverage_conflicts(scenario: Scenario, built, values: np.ndarray) -> list[Conflict]:
    block = built.model.col_blocks["shortfall"]
    out = []
    for i, key in enumerate(block.keys):
        amount = float(values[block.start + i])
        if amount <= 1e-6:
            continue
        row = RowKey.of("coverage", key)
        service = scenario.service_by_id[row.service]
        place = f" in {row.district}" if row.district else ""
        out.append(
            Conflict(
                constraint=row.name,
                kind="coverage",
                violation=amount,
                unit=service.unit,
                limit=0.0,
                needed=amount,
                explanation=f"hard coverage of {service.id}{place} in {row.year} cannot be met: "
                f"{amount:,.1f} {service.unit} are missing even with every project that fits",
                key=row,
            )
        )
    return out


def _explain(
    row: RowKey, where, amount, unit, limit, needed, data, values, built, forced=()
) -> str:
    if row.block in ("must_do", "committed"):
        return f"{where} cannot be carried out within the other hard limits"
    if row.block in ("duty", "terminal"):
        unit = data.scenario.service_by_id[row.service].unit
        return (
            f"{where} cannot be met: {amount:,.1f} {unit} are missing even with every project "
            "and emergency option that fits"
        )
    if row.block in ("budget", "department_budget"):
        year = row.year
        decided = _forced_spenders(
            data, values, built, year, pool=row.pool, department=row.department
        )
        asked = {f.candidate for f in forced if f.start_year is not None}
        pressing = [c for c in decided if c not in asked]
        parts = [f"must-do/committed projects {', '.join(pressing)}"] if pressing else []
        spending_asked = sorted(asked & set(_spenders(data, values, built, year, row)))
        parts += [f"the forced start of {c}" for c in spending_asked]
        who = f"{' and '.join(parts)} need" if parts else "the projects that must go ahead need"
        return f"{who} {needed:,.1f} MSEK in {year}; {where} is {limit:,.1f} MSEK (short by {amount:,.1f} MSEK)"
    return f"the plan needs {needed:,.1f} {unit} but {where} allows {limit:,.1f} {unit} (short by {amount:,.1f})"


def _spenders(data, values, built, year, row: RowKey) -> list[str]:
    """Every candidate that spends in ``year`` from the pool or department of ``row``."""
    return _forced_spenders(
        data, values, built, year, pool=row.pool, department=row.department, decided_only=False
    )


def _forced_spenders(
    data, values, built, year, pool=None, department=None, decided_only: bool = True
) -> list[str]:
    """Must-do or committed candidates that spend in ``year`` in the elastic solution."""
    names = []
    x = np.round(values[built.decisions.x]).astype(int)
    for k in np.flatnonzero(x > 0):
        i = int(data.start_candidate[k])
        cand = data.scenario.candidates[i]
        decided = cand.must_do or cand.deadline is not None or cand.committed_year is not None
        if decided_only and not decided:
            continue
        if pool is not None and cand.pool != pool:
            continue
        if department is not None and cand.department != department:
            continue
        offset = year - int(data.start_year[k])
        if 0 <= offset < len(data.profiles[i]) and data.profiles[i][offset] > 0:
            names.append(cand.id)
    return sorted(set(names))
