"""Heuristics over windows of years (docs/model.md, Formulation options).

``relax_and_fix`` (``[solver] heuristic = "relax_and_fix"``) finds a first plan before the exact
solve; ``improve_by_windows`` (``[solver] improvement = "windows"``) improves the plan HiGHS has
when it stops at its share of the time limit without a proof.

Relax-and-fix:
The years of the horizon are cut into windows of ``WINDOW_YEARS``. Window by window, a MIP is
solved in which the integer columns of that window's years are integer, those of earlier
windows are fixed to what earlier stages chose, and those of later windows are relaxed (0 ≤ x ≤
max units, fractional). The integer columns without a year (a modular member of an exclusive
group: ``built``) stay relaxed until the last stage. After the last stage every integer column
is fixed and the whole vector is a plan of the full model; it is handed to HiGHS as its starting
solution (``setSolution``) and HiGHS then solves the full model exactly as without it: the
heuristic can only give HiGHS an incumbent earlier, never change the optimum it proves.

Any stage without a plan (fixing an early window can leave a later one infeasible, or the
stage's time runs out) ends the heuristic without a plan; the exact solve then runs as usual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from optimizer.model.builder import LinearModel
from optimizer.solve_result import objective_of

WINDOW_YEARS = 5  # years made integer per stage
SHARE_OF_TIME_LIMIT = 0.25  # at most this share of the solve's time limit goes to the heuristic
STAGE_GAP = 0.005  # each stage stops at this relative gap: a good plan, not a proof


@dataclass
class HeuristicPlan:
    """What the heuristic found: the full column vector, its objective (c·x + offset), the
    seconds it took and the stages solved (``values`` None when a stage found no plan)."""

    values: np.ndarray | None
    objective: float | None
    seconds: float
    stages: int


def column_years(model: LinearModel) -> np.ndarray:
    """The year of each column whose key ends in a year (starts, closures), else -1."""
    years = np.full(model.n_cols, -1, dtype=np.int64)
    for block in model.col_blocks.values():
        for offset, key in enumerate(block.keys):
            last = key[-1] if key else None
            if isinstance(last, int | np.integer) and not isinstance(last, bool):
                years[block.start + offset] = int(last)
    return years


def windows(years: np.ndarray, width: int = WINDOW_YEARS) -> list[tuple[int, int]]:
    """(first, last) year of each window over the years that integer columns have."""
    if years.size == 0:
        return []
    first, last = int(years.min()), int(years.max())
    return [(y, min(y + width - 1, last)) for y in range(first, last + 1, width)]


def relax_and_fix(
    model: LinearModel,
    settings,
    seconds: float,
    solve_stage: Callable[..., np.ndarray | None],
) -> HeuristicPlan:
    """Relax-and-fix by windows of years within ``seconds``; see the module docstring.

    When a stage has no plan (the decisions fixed before it leave it infeasible: the relaxed
    later years had let a fractional start carry a budget or a terminal condition), the window
    before it is unfixed and solved together with it, and so on back to the first window.
    ``solve_stage(model, settings, lower, upper, integrality)`` is ``optimizer.solve.solve_stage``
    (passed in: the solver layer calls this module, never the other way round).
    """

    started = time.perf_counter()
    integer = model.integer
    years = column_years(model)
    dated = integer & (years >= 0)
    stages = windows(years[dated])
    if not stages:  # no integer columns with years: nothing to fix window by window
        return HeuristicPlan(None, None, 0.0, 0)
    # the model's own bounds, assembled once (``model.lower`` concatenates its blocks per call)
    own_lower, own_upper = model.lower, model.upper
    lower, upper = own_lower.copy(), own_upper.copy()
    solved = 0
    first = nxt = 0  # the stage solves windows first..nxt together
    while nxt < len(stages):
        left = seconds - (time.perf_counter() - started)
        if left <= 0:
            return HeuristicPlan(None, None, time.perf_counter() - started, solved)
        now = dated & (years >= stages[first][0]) & (years <= stages[nxt][1])
        if nxt == len(stages) - 1:  # the last stage makes the undated integer columns integer
            now |= integer & ~dated
        lower[now], upper[now] = own_lower[now], own_upper[now]  # unfixed when merged back
        stage_settings = settings.model_copy(
            update={"time_limit": left / (len(stages) - nxt), "gap": STAGE_GAP}
        )
        values = solve_stage(model, stage_settings, lower, upper, now.astype(np.int32))
        solved += 1
        if values is None:
            if first == 0:
                return HeuristicPlan(None, None, time.perf_counter() - started, solved)
            first -= 1  # merge the window before into this stage
            continue
        fixed = np.round(values[now])
        lower[now] = upper[now] = values[now] = fixed
        nxt += 1
        first = nxt
    return HeuristicPlan(values, objective_of(model, values), time.perf_counter() - started, solved)


IMPROVE_WINDOW_YEARS = 4  # years whose start decisions one improvement step re-optimises
IMPROVE_STEP_YEARS = 2  # consecutive windows overlap by half
# at most this long per window: on L (1 000 candidates × 25 years, 120 s) windows of 8 s ended at
# a 0.95 % gap where windows of 15 s ended at 1.68 % (fewer windows, each improving little more),
# and on M 1.76 % against 2.00 % (benchmarks/RESULTS.md, Formulation options)
IMPROVE_WINDOW_SECONDS = 8.0
IMPROVE_WINDOW_GAP = 1e-4  # each window is solved close to its own optimum: its bound is near


@dataclass
class ImprovedPlan:
    """The plan after ``improve_by_windows``: the column vector, its objective, the seconds it
    took, the windows solved and how many of them improved the plan."""

    values: np.ndarray
    objective: float
    seconds: float
    windows: int
    improved: int


def improvement_windows(years: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) year of each window, earliest first, overlapping by half a window."""
    if years.size == 0:
        return []
    first, last = int(years.min()), int(years.max())
    width, step = IMPROVE_WINDOW_YEARS, IMPROVE_STEP_YEARS
    starts = range(first, max(last - width + 1, first) + 1, step)
    return [(y, min(y + width - 1, last)) for y in starts]


def improve_by_windows(
    model: LinearModel,
    settings,
    values: np.ndarray,
    seconds: float,
    solve_window: Callable[..., np.ndarray | None],
    on_plan: Callable[[float], None] | None = None,
    enough: Callable[[float], bool] | None = None,
) -> ImprovedPlan:
    """Fix-and-optimise: with every integer column fixed to the plan ``values`` except those
    of one window of years, solve the model again from the plan; keep what is cheaper; move
    to the next window (earliest first, then round again) until ``seconds`` are used or a
    whole round improves nothing.

    Every window's model contains the current plan, so the objective never rises; each plan
    kept is a whole plan of the full model (only bounds change, never rows). The proof of how
    good it is stays with the exact solve before it (its bound holds for the full model).
    ``solve_window(model, settings, lower, upper, start)`` is ``optimizer.solve.solve_window``
    (passed in: the solver layer calls this module, never the other way round); ``on_plan``
    hears each cheaper plan's objective (the live progress of the command line); ``enough``
    says whether an objective is good enough to stop (within the solve's gap of its bound).
    """
    started = time.perf_counter()
    integer = model.integer
    years = column_years(model)
    dated = integer & (years >= 0)
    spans = improvement_windows(years[dated])
    is_start = np.zeros(model.n_cols, bool)
    if "start" in model.col_blocks:
        block = model.col_blocks["start"]
        is_start[block.start : block.stop] = True
    own_lower, own_upper = model.lower, model.upper  # assembled once, copied per window
    best, best_objective = values.copy(), objective_of(model, values)
    solved = improved = 0
    since_improvement = 0
    while spans and since_improvement < len(spans):
        if enough is not None and enough(best_objective):
            break
        first, last = spans[solved % len(spans)]
        left = seconds - (time.perf_counter() - started)
        if left < 1.0:  # too little for a window of a model worth improving
            break
        # the window's start decisions, and from its first year on every other dated integer
        # column (running sums of starts, closures), so a start may move, appear or go
        free = dated & (years >= first) & ((years <= last) | ~is_start)
        lower, upper = own_lower.copy(), own_upper.copy()
        fixed = integer & ~free
        lower[fixed] = upper[fixed] = np.round(best[fixed])
        window = settings.model_copy(
            update={"time_limit": min(IMPROVE_WINDOW_SECONDS, left), "gap": IMPROVE_WINDOW_GAP}
        )
        found = solve_window(model, window, lower, upper, best)
        solved += 1
        since_improvement += 1
        if found is not None:
            objective = objective_of(model, found)
            if objective < best_objective - 1e-9 * max(1.0, abs(best_objective)):
                best, best_objective = found, objective
                improved += 1
                since_improvement = 0
                if on_plan is not None:
                    on_plan(objective)
    return ImprovedPlan(best, best_objective, time.perf_counter() - started, solved, improved)
