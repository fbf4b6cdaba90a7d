"""Solve a scenario end to end: arrays -> model -> solver -> plan -> tables -> independent check.

    >>> from optimizer import load_scenario
    >>> from optimizer.run import run_scenario
    >>> plan = run_scenario(load_scenario("scenarios/tiny"))
    >>> plan.status, plan.objective, plan.tables["schedule"]

Build and solve are timed apart (PRODUCT.md: comparable tools never do). Every plan with a
solution is re-checked by ``optimizer.check`` against every constraint; a violation raises
``PlanCheckError`` instead of handing anyone a wrong plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.data import ModelData, build_data
from optimizer.errors import EXIT_CHECK_FAILED, CapplanError
from optimizer.model import BuiltModel, build
from optimizer.plan import (
    CARRY_OVER_COLUMNS,
    DEBT_COLUMNS,
    SHORTFALL_COLUMNS,
    TRANSFER_COLUMNS,
    Plan,
)
from optimizer.scenario import Scenario
from optimizer.solve import SolveResult, SolveSettings, solve, solve_lp_duals
from optimizer.tables import build_tables

# Row blocks whose shadow prices people ask about, and how to say what one more unit is worth.
SHADOW_PRICE_BLOCKS = {
    "budget": ("MSEK of budget", "1 MSEK more in the {0} budget for {1}"),
    "department_budget": ("MSEK of department ceiling", "1 MSEK more in {0}'s ceiling for {1}"),
    "debt_ceiling": ("MSEK of debt ceiling", "1 MSEK more debt room at the end of {0}"),
    "co2e_cap": ("tonne CO2e", "1 tonne CO2e more room in {0}"),
    "co2e_budget": ("tonne CO2e", "1 tonne CO2e more in the cumulative budget"),
    "coverage": ("unit of capacity", "1 {unit} more capacity for {0} in {1}"),
    "staff": ("FTE", "1 FTE more recruitable in {0} by {1}"),
    "delivery": ("project slot", "1 more project under construction at once in {0}"),
}


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


@dataclass
class RunArtifacts:
    """What a run leaves besides the plan, for diagnosis and explanations."""

    data: ModelData
    built: BuiltModel
    result: SolveResult


def solve_settings_for(scenario: Scenario, **overrides) -> SolveSettings:
    """The scenario's [solver] settings with the values given on the command line (None: not
    given) laid over them."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return scenario.settings.solver.model_copy(update=given)


def run_scenario(
    scenario: Scenario,
    settings: SolveSettings | None = None,
    *,
    progress=None,
    shadow_prices: bool = True,
    check: bool = True,
    running_sum: str | None = None,
    customize=None,
    return_artifacts: bool = False,
):
    """Solve one scenario variant. ``customize(built)`` may add rows/bounds before solving."""
    settings = settings or solve_settings_for(scenario)
    say = progress or (lambda **_: None)
    started = time.perf_counter()
    say(phase="building")
    data = build_data(scenario)
    built = build(data, running_sum)
    if customize is not None:
        customize(built)
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
            from optimizer.check import check_plan

            violations = check_plan(scenario, plan)
            if violations:
                raise PlanCheckError(plan, violations)
    say(phase="done")
    if return_artifacts:
        return plan, RunArtifacts(data, built, result)
    return plan


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
    plan.objective_terms = {
        name: float(np.dot(coefs, rounded[cols]))
        for name, (cols, coefs) in built.objective_parts.items()
    }
    return plan


def shadow_price_table(
    built: BuiltModel, result: SolveResult, settings: SolveSettings
) -> pd.DataFrame:
    """Duals of the LP with the chosen projects fixed (MODEL.md §7), in plain words.

    The choice of projects (and their units) is fixed; their start years are relaxed to the
    LP. Fixing the start years as well would leave every budget and CO2e row with only fixed
    terms, so their duals would be zero by construction and say nothing about what one more
    MSEK or tonne is worth.
    """
    columns = ["constraint", "kind", "dual", "value_of_one_more_unit", "unit", "meaning"]
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
    scenario = built.data.scenario
    units = {s.id: s.unit for s in scenario.settings.services}
    records = []
    for name, (unit, template) in SHADOW_PRICE_BLOCKS.items():
        block = built.model.row_blocks.get(name)
        if block is None:
            continue
        for i, key in enumerate(block.keys):
            dual = float(duals[block.start + i])
            if abs(dual) < 1e-9:
                continue
            # a binding limit: relaxing it by one unit changes the minimised objective by -|dual|
            key_text = [str(k) for k in key] + ["", ""]
            if name == "coverage":
                where = f"{key[0]}" + (f" in {key[1]}" if key[1] else "")
                meaning = template.format(where, key[-1], unit=units.get(key[0], "unit"))
            elif name == "delivery" and len(key) == 2:
                meaning = f"1 more {key[0]} project under construction at once in {key[1]}"
            else:
                meaning = template.format(*key_text)
            meaning += (
                f" lowers total cost by {abs(dual):.4g} MSEK"
                " (with the chosen projects fixed, their start years relaxed to the LP)"
            )
            records.append((block.row_name(i), name, dual, abs(dual), unit, meaning))
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values("value_of_one_more_unit", ascending=False, kind="stable").reset_index(
        drop=True
    )
