"""explain's re-solves: one question asked of the plain model with other bounds.

A forced decision changes only the bounds of the candidate's start columns (``forced_bounds``,
the bounds ``build`` writes for ``BuildOptions.forced``), so with HiGHS each worker process
builds the scenario's plain model once and every question is a re-solve of it with other
bounds (``optimizer.solve.solve_with_bounds``), started from the plan being explained,
completed into a whole plan (``completed``). How close a re-solve is proven decides how its
answer is worded (``proven_gap``; ``optimizer.explain.cost_words``).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from optimizer.model import BuildOptions
from optimizer.solve import SolveSettings
from optimizer.status import WITH_PLAN, Status

Starts = dict[str, dict[int, int]]  # candidate -> {start year: units}
ROUNDING = 0.1  # MSEK: the reports' rounding of money, and explain's
# Each re-solve (HiGHS) stops once its plan is proven within this many MSEK of the best plan
# with the forced decision (``Bounds.abs_gap``), which is what an answer stated to 0.1 MSEK
# needs; the default relative gap (1e-4) would prove a 2 500 MSEK objective only to 0.25 MSEK,
# and a small one far closer than anyone reads.
PROVEN_TO = ROUNDING / 2


_PLAIN: dict = {}  # per process: id(model data) -> the plain model built from it, once


def _plain_model(data):
    """The scenario's plain model (``BuildOptions()``), built once per worker process."""
    from optimizer.model import build

    key = id(data)
    if key not in _PLAIN:
        _PLAIN.clear()
        _PLAIN[key] = (data, build(data, BuildOptions()))  # data kept: its id stays unique
    return _PLAIN[key][1]


def forced_bounds(built, options: BuildOptions):
    """The column bounds ``build(data, options)`` would write, on the plain model ``built``.

    A forced decision changes only the bounds of start columns (``start_bounds``); every row
    and every other column is the plain model's. So the question is asked of one built model
    with other bounds (``optimizer.solve.solve_with_bounds``) instead of a fresh build.
    """
    from optimizer.model.decisions import start_bounds

    plain = dataclasses.replace(options, forced=(), start_from=None)
    if plain != built.options:
        raise ValueError("only a forced decision can be asked of the plain model")
    lower, upper = built.model.lower.copy(), built.model.upper.copy()
    x = built.decisions.x
    lower[x], upper[x] = start_bounds(built.data, options)
    return lower, upper


def resolve(data, options: BuildOptions, settings: SolveSettings, first_plan: bool = False):
    """One question: the model with ``options.forced``, from ``options.start_from``.

    With HiGHS the plain model is built once per worker and each question only changes the
    bounds of the forced candidate's start columns; the plan to start from is completed
    (closures, spending, coverage) by a solve with every start fixed, so HiGHS starts from a
    whole plan with its cost. ``first_plan``: only whether a plan exists is asked. CBC (a
    plan made with CBC is explained with CBC) rebuilds the model for each question.
    """
    from optimizer.solve import AUTO_WITHOUT_SCENARIO, Bounds, solve, solve_with_bounds

    if (settings.solver if settings.solver != "auto" else AUTO_WITHOUT_SCENARIO) != "highs":
        from optimizer.model import build

        return solve(build(data, options).model, settings)
    built = _plain_model(data)
    lower, upper = forced_bounds(built, options)
    start = None
    if options.start_from is not None and not first_plan:
        start = completed(built, lower, upper, options.start_from, settings)
    abs_gap = None if first_plan else PROVEN_TO
    return solve_with_bounds(
        built.model, settings, Bounds(lower, upper, start, first_plan, abs_gap=abs_gap)
    )


def proven_gap(result) -> float | None:
    """How close (MSEK) a re-solve's plan is proven to the best plan of its question, when it
    is proven to explain's rounding (``PROVEN_TO``) or optimal by the solver's own gap; None
    when it is not (stopped by the time limit)."""
    if result.objective is None or result.bound is None or not math.isfinite(result.bound):
        return None
    gap = max(result.objective - result.bound, 0.0)
    if result.status is Status.OPTIMAL or gap <= PROVEN_TO + 1e-9 * max(1.0, abs(result.bound)):
        return gap
    return None


def completed(built, lower, upper, plan: Starts, settings: SolveSettings):
    """``plan`` as a whole solution of the question (every column), or None if it is not one."""
    from optimizer.model.decisions import units_per_start
    from optimizer.solve import Bounds, solve_with_bounds

    units = units_per_start(built.data, plan)
    x = built.decisions.x
    if np.any(units < lower[x]) or np.any(units > upper[x]):
        return None
    fixed_lower, fixed_upper = lower.copy(), upper.copy()
    fixed_lower[x] = fixed_upper[x] = units
    quick = settings.model_copy(update={"time_limit": min(settings.time_limit, 5.0)})
    result = solve_with_bounds(built.model, quick, Bounds(fixed_lower, fixed_upper))
    return result.values if result.status in WITH_PLAN else None


def least_difference(result, base_objective: float) -> float | None:
    """The least a forced decision can cost against the plan, from the re-solve's bound."""
    if result.bound is None or not math.isfinite(result.bound):
        return None
    return result.bound - base_objective
