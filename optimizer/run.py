"""Solve a scenario end to end: arrays -> model -> solver -> plan -> tables -> independent check.

    >>> from optimizer import load_scenario
    >>> from optimizer.run import run_scenario
    >>> plan = run_scenario(load_scenario("scenarios/tiny"))
    >>> plan.status, plan.objective, plan.tables["schedule"]

Build and solve are timed apart (comparable tools never do, and a slow build hides behind a fast solver). Every plan with a
solution is re-checked by ``optimizer.check`` against every constraint; a violation raises
``PlanCheckError`` instead of handing anyone a wrong plan.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd

from optimizer import solver_choice
from optimizer.data import ModelData, build_data
from optimizer.errors import EXIT_CHECK_FAILED, CapplanError
from optimizer.model import BuildOptions, BuiltModel, build
from optimizer.model.registry import (
    ROW_BLOCK_LIST,
    ROW_BLOCKS,
    RowKey,
    is_relaxed,
    shadow_price_meaning,
)
from optimizer.plan import (
    CARRY_OVER_COLUMNS,
    DEBT_COLUMNS,
    EMERGENCY_COLUMNS,
    SHORTFALL_COLUMNS,
    TRANSFER_COLUMNS,
    Plan,
)
from optimizer.report.i18n import unit_name
from optimizer.scenario import Scenario
from optimizer.solve import SolveResult, SolveSettings, solve, solve_lp_duals
from optimizer.tables import build_tables

# Key fields of the shadow-price table: which pool, department, service, district, year.
SHADOW_KEY_COLUMNS = ["pool", "department", "service", "district", "year"]
SHADOW_COLUMNS = ["constraint", "kind", "dual", "value_of_one_more_unit", "unit", "meaning"]


class PlanCheckError(CapplanError):
    """The independent checker found violations: a bug in capplan, never the user's fault."""

    exit_code = EXIT_CHECK_FAILED

    def __init__(self, plan: Plan, violations: list):
        self.plan = plan
        self.violations = violations
        lines = "\n".join(f"  {v.constraint}: {v.message}" for v in violations[:20])
        super().__init__(
            f"the plan checker found {len(violations)} violated constraint(s); this is a bug in capplan, "
            f"please report it with the scenario:\n{lines}"
        )


def solve_settings_for(scenario: Scenario, **overrides) -> SolveSettings:
    """The scenario's [solver] settings with the values given on the command line (None: not
    given) laid over them."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return solver_choice.resolve(scenario.settings.solver.model_copy(update=given), scenario)


def run_scenario(
    scenario: Scenario,
    settings: SolveSettings | None = None,
    options: BuildOptions | None = None,
    *,
    progress=None,
    shadow_prices: bool = True,
    check: bool = True,
) -> Plan:
    """Solve one scenario variant, built with ``options`` (a replan, an explanation's forced
    decision, …), into a plan: status, objective, bound, gap, timings, decisions and tables."""
    settings = solver_choice.resolve(settings or solve_settings_for(scenario), scenario)
    say = progress or (lambda **_: None)
    started = time.perf_counter()
    say(phase="building")
    data = build_data(scenario)
    built = build(data, options)
    build_seconds = time.perf_counter() - started
    say(
        phase="solving",
        rows=built.model.n_rows,
        columns=built.model.n_cols,
        nonzeros=built.model.nnz,
    )
    result = solve(
        built.model,
        settings,
        progress=(lambda **kw: say(phase="solving", **kw)) if progress else None,
    )
    plan = make_plan(data, built, result, settings, build_seconds)
    if plan.has_solution:
        say(phase="checking")
        plan.tables = build_tables(data, plan)
        if shadow_prices:
            plan.tables["shadow_prices"] = shadow_price_table(built, result, settings)
        if check:
            violations = check_run(scenario, plan, built.options)
            if violations:
                raise PlanCheckError(plan, violations)
    say(phase="done")
    return plan


def check_run(scenario: Scenario, plan: Plan, options: BuildOptions) -> list:
    """The independent check of a plan built with ``options`` (``optimizer.check``).

    Limits of relaxed years (history, by each finding's key) are not imposed. The checker knows
    the planning model, not the stability price: that term is recomputed from the decisions
    and the adopted plan, and the rest of the objective is checked as usual.
    """
    from optimizer.check import Violation, check_plan, check_tradeoffs, stability_changes

    term = plan.objective_terms.get("stability", 0.0)
    planning = (
        plan
        if plan.objective is None
        else dataclasses.replace(plan, objective=plan.objective - term)
    )
    violations = [
        v for v in check_plan(scenario, planning) if not _lifted(v, options.relaxed_years)
    ]
    if options.adopted is not None:
        before = options.fixed.before if options.fixed is not None else scenario.first_year
        changed = stability_changes(options.adopted.starts, plan.starts, before)
        expected = options.adopted.stability_price * changed
        if abs(term - expected) > 1e-6 * max(1.0, expected):
            violations.append(
                Violation("stability", abs(term - expected), f"stability cost {term} ≠ {expected}")
            )
    near = options.near_optimal
    violations += check_tradeoffs(
        scenario,
        plan,
        {limit.measure: limit.limit for limit in options.limits},
        near.cost_limit if near is not None else None,
    )
    return violations


def _lifted(violation, relaxed_years: frozenset[int]) -> bool:
    """Whether a finding is about a limit of a year that is history (its key, not its name)."""
    block, *key = violation.key or ("",)
    return block in ROW_BLOCKS and is_relaxed(RowKey.of(block, tuple(key)), relaxed_years)


def make_plan(
    data: ModelData,
    built: BuiltModel,
    result: SolveResult,
    settings: SolveSettings,
    build_seconds: float,
) -> Plan:
    scenario = data.scenario
    plan = Plan(
        scenario=scenario.settings.scenario.name,
        variant=scenario.variant,
        status=result.status,
        solver=result.solver,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        build_seconds=build_seconds,
        solve_seconds=result.seconds,
        objective_mode=scenario.settings.scenario.objective,
        message=result.message,
        settings=settings.recorded(result.solver_version),
        solver_choice=settings.choice,
    )
    values = result.values
    if values is None:
        return plan
    model = built.model
    x = np.round(values[built.decisions.x]).astype(int)
    for k in np.flatnonzero(x > 0):
        cand = data.ids[data.start_candidate[k]]
        plan.starts.setdefault(cand, {})[int(data.start_year[k])] = int(x[k])

    def block_frame(name: str, columns: list[str]) -> pd.DataFrame:
        """Positive values of one column block, one row per key (keys padded to ``columns``)."""
        block = model.col_blocks.get(name)
        if block is None:
            return pd.DataFrame(columns=columns)
        vals = values[block.start : block.stop]
        records = []
        for key, value in zip(block.keys, vals, strict=True):
            if value < 1e-9:
                continue
            records.append((*key, float(value)))
        return pd.DataFrame(records, columns=columns)

    plan.shortfall = block_frame("shortfall", SHORTFALL_COLUMNS)
    plan.transfers = block_frame("transfer", TRANSFER_COLUMNS)
    plan.carry_over = block_frame("carry_over", CARRY_OVER_COLUMNS)
    plan.emergency = block_frame("emergency", EMERGENCY_COLUMNS)
    closure_block = model.col_blocks.get("closure")
    if closure_block is not None:
        closed = values[closure_block.start : closure_block.stop] > 0.5
        plan.early_closures = {
            asset: int(year)
            for (asset, year), yes in zip(closure_block.keys, closed, strict=True)
            if yes
        }
    debt_block = model.col_blocks.get("debt")
    if debt_block is not None:
        plan.debt = pd.DataFrame(
            {
                "year": [k[0] for k in debt_block.keys],
                "debt": np.maximum(values[debt_block.start : debt_block.stop], 0.0),
            },
            columns=DEBT_COLUMNS,
        )
    # objective split by kind, recomputed on the rounded decisions
    rounded = values.copy()
    rounded[built.decisions.x] = x
    if closure_block is not None:
        rounded[closure_block.start : closure_block.stop] = closed
    plan.objective_terms = {
        name: float(np.dot(coefs, rounded[cols]))
        for name, (cols, coefs) in built.objective_parts.items()
    }
    if built.options.near_optimal is not None or built.options.extreme is not None:
        # the solver maximised the distance (or minimised a measure); the plan's objective is
        # still its cost, and the bound and gap of that search say nothing about the cost
        searched = ("distance", "measure")
        for kind in searched:
            plan.objective_terms.pop(kind, None)
        plan.objective = float(
            sum(
                term.scale * np.dot(term.coefs, rounded[term.cols])
                for term in model.costs.terms
                if term.kind not in searched
            )
            + model.offset
        )
        plan.bound = plan.gap = None
        if built.options.extreme is not None:
            # Only the measure was minimised: nothing held the recourse (shortfall, emergency
            # places, borrowing) at its cheapest, so the cost these variables add up to is not
            # the cost of these decisions (Östersund's far end claimed 9.6 MSEK more than the
            # checker's recomputation). The far end is used for its measure alone; the frontier's
            # last point is the cheapest plan at that measure and is checked in full.
            plan.objective = None
    return plan


def shadow_price_table(
    built: BuiltModel, result: SolveResult, settings: SolveSettings
) -> pd.DataFrame:
    """Duals of the LP with the chosen projects fixed (docs/model.md, shadow prices), in words.

    The choice of projects (and their units) is fixed; their start years are relaxed to the
    LP. Fixing the start years as well would leave every budget and CO2e row with only fixed
    terms, so their duals would be zero by construction and say nothing about what one more
    MSEK or tonne is worth. Each row carries its key (pool, department, service, district,
    year) so that reports word it without reading the constraint's name.
    """
    columns = SHADOW_COLUMNS + SHADOW_KEY_COLUMNS
    model, data = built.model, built.data
    lower, upper = model.lower.copy(), model.upper.copy()
    row_lower, row_upper = model.rlower.copy(), model.rupper.copy()
    x = built.decisions.x
    units = np.zeros(data.n_candidates)
    np.add.at(units, data.start_candidate, np.round(result.values[x]))
    upper[x[units[data.start_candidate] == 0]] = 0.0
    for name in ("units", "must_do"):
        block = model.row_blocks.get(name)
        if block is None:
            continue
        for i, (candidate,) in enumerate(block.keys):
            chosen = units[data.ids.index(candidate)]
            row_lower[block.start + i] = row_upper[block.start + i] = chosen
    objective, duals = solve_lp_duals(model, settings, lower, upper, row_lower, row_upper)
    if duals is None:
        return pd.DataFrame(columns=columns)
    service_units = {s.id: s.unit for s in data.scenario.settings.services}
    records = []
    for entry in ROW_BLOCK_LIST:
        block = model.row_blocks.get(entry.name)
        if entry.shadow_unit is None or block is None:
            continue
        for i, key in enumerate(block.keys):
            dual = float(duals[block.start + i])
            if abs(dual) < 1e-9:
                continue
            # a binding limit: relaxing it by one unit changes the minimised objective by -|dual|
            row = RowKey.of(entry.name, key)
            # "1 place more", not "1 places more"
            unit = unit_name(service_units.get(row.service, "unit"), "en", one=True)
            meaning = shadow_price_meaning(row, dual, "en", unit)
            records.append(
                (row.name, entry.name, dual, abs(dual), entry.shadow_unit.en, meaning)
                + tuple(
                    getattr(row, f) if f == "year" else (getattr(row, f) or "")
                    for f in SHADOW_KEY_COLUMNS
                )
            )
    frame = pd.DataFrame(records, columns=columns)
    # text keys that do not apply are "" (as a results folder reads them back); co2e_budget
    # has no year
    frame["year"] = frame["year"].astype("Int64")
    return frame.sort_values("value_of_one_more_unit", ascending=False, kind="stable").reset_index(
        drop=True
    )
