"""Trade-offs the council can see (docs/tradeoffs.md): an efficient frontier and near-optimal
alternatives, each point or alternative a full plan that passed the independent checker.

    >>> from optimizer import load_scenario
    >>> from optimizer.tradeoffs import frontier, alternatives
    >>> f = frontier(load_scenario("scenarios/tiny"), "co2e", points=3)
    >>> [(p.limit, p.plan.objective) for p in f.points]

Frontier (epsilon-constraint): the cheapest plan first, then the measure limited in equal steps
from that plan's value towards 0 (the score: raised towards the most a plan could score); the
first limit without a plan stops the frontier and is reported. Alternatives: plans whose cost
is within a slack of the optimum that differ from it and from each other in as many start
decisions as possible, found one after the other (``model/tradeoff.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from optimizer.check import plan_measures
from optimizer.criteria import plan_score, tagged
from optimizer.errors import (
    EXIT_INFEASIBLE,
    EXIT_NO_SOLUTION,
    CapplanError,
    Problem,
    ScenarioError,
)
from optimizer.model import BuildOptions, MeasureLimit, NearOptimal
from optimizer.model.options import MEASURES
from optimizer.model.tradeoff import MeasureUnavailable
from optimizer.plan import Plan
from optimizer.run import run_scenario, solve_settings_for
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings

# The unit each measure is limited in, and whether a frontier lowers it or raises it.
UNITS = {
    "co2e": "t CO2e",
    "shortfall": "unit-years",
    "budget": "MSEK",
    "debt": "MSEK",
    "score": "points",
}
RAISED = ("score",)
# The search for an alternative maximises changed start decisions to within this gap: how far
# apart the plans are matters less than finding them; the cost slack itself is a hard row.
DISTANCE_GAP = 0.05


@dataclass
class Change:
    """What one step of the frontier (or an alternative) does to a candidate."""

    candidate: str
    kind: str  # enters, leaves, moves
    before: dict[int, int]
    after: dict[int, int]

    def to_dict(self) -> dict:
        return dict(
            candidate=self.candidate, change=self.kind, before=self.before, after=self.after
        )


@dataclass
class FrontierPoint:
    limits: dict[str, float]  # measure -> limit ({} for the unconstrained optimum)
    plan: Plan
    measures: dict[str, float]  # every measure of the plan, recomputed by the checker
    seconds: float
    changes: list[Change] = field(default_factory=list)  # against the previous point

    @property
    def cost(self) -> float:
        return float(self.plan.objective)


@dataclass
class Frontier:
    axes: tuple[str, ...]
    points: list[FrontierPoint]
    # the first limit (by axis) for which no plan exists, or the status that stopped the search
    stopped: dict[str, float] | None = None
    stopped_status: str = ""
    knee: int | None = None  # index into points (one axis only)
    ends: dict[str, float | None] = field(default_factory=dict)  # the least (score: most) possible
    # a grid: the limits where each row ended without a plan (the second measure could go no further)
    row_ends: list[dict[str, float]] = field(default_factory=list)

    @property
    def axis(self) -> str:
        return self.axes[0]


@dataclass
class Alternative:
    plan: Plan
    seconds: float
    changed: int  # start decisions that differ from the optimum
    score: float

    @property
    def cost(self) -> float:
        return float(self.plan.objective)


@dataclass
class Alternatives:
    optimum: Alternative
    within: float  # relative slack, 0.03 = 3 %
    cost_limit: float
    alternatives: list[Alternative]
    prefer: str | None = None
    stopped_status: str = ""  # why fewer than asked were found ("" when all were)

    @property
    def plans(self) -> list[Alternative]:
        return [self.optimum, *self.alternatives]

    def candidates(self) -> list[str]:
        return sorted({c for a in self.plans for c in a.plan.chosen})

    def must_haves(self) -> list[str]:
        """Built in the optimum and in every alternative."""
        return [c for c in self.candidates() if all(c in a.plan.chosen for a in self.plans)]

    def interchangeable(self) -> list[str]:
        """Built in some plans but not all: the choices the slack leaves open."""
        must = set(self.must_haves())
        return [c for c in self.candidates() if c not in must]


# --------------------------------------------------------------------------------------
def starts_changed(a: dict[str, dict[int, int]], b: dict[str, dict[int, int]]) -> int:
    """Start decisions (candidate, year) whose units differ between two plans."""
    keys = {(p, y) for plan in (a, b) for p, by in plan.items() for y in by}
    return sum(a.get(p, {}).get(y, 0) != b.get(p, {}).get(y, 0) for p, y in keys)


def changes_between(before: Plan, after: Plan) -> list[Change]:
    """Which candidates enter, leave or move (start years or units changed)."""
    out = []
    for p in sorted(set(before.starts) | set(after.starts)):
        old, new = before.starts.get(p, {}), after.starts.get(p, {})
        if old == new:
            continue
        kind = "enters" if not old else "leaves" if not new else "moves"
        out.append(Change(p, kind, dict(old), dict(new)))
    return out


def knee_index(values: list[float], costs: list[float]) -> int | None:
    """The point farthest from the chord between the first and last point, both axes scaled to
    0..1: where tightening the measure starts to cost much more per unit."""
    if len(values) < 3:
        return None
    span_x = (max(values) - min(values)) or 1.0
    span_y = (max(costs) - min(costs)) or 1.0
    xs = [(v - values[0]) / span_x for v in values]
    ys = [(c - costs[0]) / span_y for c in costs]
    dx, dy = xs[-1] - xs[0], ys[-1] - ys[0]
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    distance = [abs(dy * x - dx * y) / norm for x, y in zip(xs, ys, strict=True)]
    best = max(range(1, len(values) - 1), key=lambda k: distance[k])
    return best if distance[best] > 1e-9 else None


def _solve(
    scenario: Scenario, settings: SolveSettings, options: BuildOptions
) -> tuple[Plan, float]:
    started = time.perf_counter()
    try:
        plan = run_scenario(scenario, settings, options, shadow_prices=False)
    except MeasureUnavailable as exc:
        raise ScenarioError([Problem("scenario.toml", None, "debt", str(exc))]) from None
    return plan, time.perf_counter() - started


class NoOptimum(CapplanError):
    """The scenario itself has no plan: there is nothing to trade against."""

    exit_code = EXIT_NO_SOLUTION


def _optimum(scenario: Scenario, settings: SolveSettings) -> tuple[Plan, float]:
    plan, seconds = _solve(scenario, settings, BuildOptions())
    if not plan.has_solution:
        error = NoOptimum(
            f"the scenario has no plan ({plan.status}), so there is nothing to trade against; "
            f"capplan run says why: {plan.message}"
        )
        if str(plan.status) == "infeasible":
            error.exit_code = EXIT_INFEASIBLE
        raise error
    return plan, seconds


def far_end(scenario: Scenario, measure: str, settings: SolveSettings) -> float | None:
    """The least the measure can be in any plan (the score: the most), from a solve with the
    measure as the whole objective; None when no plan exists."""
    plan, _ = _solve(scenario, settings, BuildOptions(extreme=measure))
    if not plan.has_solution:
        return None
    return plan_measures(scenario, plan)[measure]


def _steps(start: float, end: float | None, points: int) -> list[float]:
    """``points − 1`` limits after the optimum's value, in equal steps to the far end (the last
    one loosened by a hair, so that the far end's own plan meets it after rounding)."""
    if end is None or abs(end - start) <= 1e-6 * max(1.0, abs(start)):
        return []  # the optimum is already at the far end: nothing to trade
    n = max(points - 1, 1)
    hair = 1e-6 * max(1.0, abs(end)) * (1 if end >= start else -1)
    steps = [start + (end - start) * k / n for k in range(1, points)]
    steps[-1] = end - hair
    return steps


def frontier(
    scenario: Scenario,
    axes: str | tuple[str, ...],
    points: int,
    settings: SolveSettings | None = None,
    on_point: Callable[[FrontierPoint | None, dict[str, float]], None] | None = None,
) -> Frontier:
    """The epsilon-constraint frontier of cost against one measure (``"co2e"``), or a grid
    against two (``("co2e", "budget")``: rows step the first, columns the second)."""
    axes = (axes,) if isinstance(axes, str) else tuple(axes)
    if not 1 <= len(axes) <= 2 or len(set(axes)) != len(axes):
        raise ValueError(f"a frontier is against one measure or two different ones, not {axes}")
    _check_measures(scenario, axes)
    settings = settings or solve_settings_for(scenario)
    say = on_point or (lambda *_: None)
    plan, seconds = _optimum(scenario, settings)
    first = FrontierPoint({}, plan, plan_measures(scenario, plan), seconds)
    say(first, {})
    result = Frontier(axes, [first])
    result.ends = {m: far_end(scenario, m, settings) for m in axes}
    for row in _limit_grid(first, result.ends, axes, points):
        _trace_row(scenario, settings, row, first, result, say)
        if result.stopped is not None:
            break
    if len(axes) == 1:
        result.knee = knee_index(
            [p.measures[axes[0]] for p in result.points], [p.cost for p in result.points]
        )
    return result


def _check_measures(scenario: Scenario, axes: tuple[str, ...]) -> None:
    for name in axes:
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r}; choose one of {', '.join(MEASURES)}")
    if "score" in axes and not scenario.settings.criteria:
        raise ScenarioError(
            [
                Problem(
                    "scenario.toml",
                    None,
                    "criteria",
                    "gives no goals: there is no score to raise",
                )
            ]
        )


def _limit_grid(
    first: FrontierPoint, ends: dict[str, float | None], axes: tuple[str, ...], points: int
) -> list[list[dict[str, float]]]:
    """The limits to solve, row by row: one row along the first measure, or a grid whose rows
    step the first measure (the optimum's row first) and whose columns step the second."""
    axis = axes[0]
    rows: list[dict[str, float]] = [
        {axis: v} for v in _steps(first.measures[axis], ends[axis], points)
    ]
    if len(axes) == 1:
        return [rows]
    second = axes[1]
    columns = [{}] + [{second: v} for v in _steps(first.measures[second], ends[second], points)]
    return [[{**r, **c} for c in columns if r or c] for r in [{}, *rows]]


def _trace_row(
    scenario: Scenario,
    settings: SolveSettings,
    row: list[dict[str, float]],
    first: FrontierPoint,
    result: Frontier,
    say: Callable[[FrontierPoint | None, dict[str, float]], None],
) -> None:
    """Solve one row of limits in order until a limit leaves no plan (``result.stopped`` when
    the first measure can go no further, else the row's end in ``result.row_ends``)."""
    previous = first
    for k, limits in enumerate(row):
        options = BuildOptions(limits=tuple(MeasureLimit(m, v) for m, v in limits.items()))
        plan, seconds = _solve(scenario, settings, options)
        if not plan.has_solution:
            say(None, limits)
            if len(result.axes) == 1 or k == 0:  # the first measure can go no further
                result.stopped, result.stopped_status = limits, str(plan.status)
            else:
                result.row_ends.append(limits)
            return  # a grid row ends where its second measure can go no further
        point = FrontierPoint(
            limits,
            plan,
            plan_measures(scenario, plan),
            seconds,
            changes_between(previous.plan, plan),
        )
        say(point, limits)
        result.points.append(point)
        previous = point


def alternatives(
    scenario: Scenario,
    within: float,
    count: int,
    settings: SolveSettings | None = None,
    *,
    prefer: str | None = None,
    on_plan: Callable[[Alternative | None, int], None] | None = None,
) -> Alternatives:
    """``count`` plans within ``within`` (relative) of the optimum's cost, each as different as
    possible from the optimum and the ones found before it."""
    settings = settings or solve_settings_for(scenario)
    say = on_plan or (lambda *_: None)
    preferred: frozenset[str] = frozenset()
    if prefer is not None:
        preferred = frozenset(tagged(scenario, prefer))
        if not preferred:
            raise ScenarioError(
                [
                    Problem(
                        "candidates.csv",
                        None,
                        "tags",
                        f"no candidate has the tag, district or goal '{prefer}'",
                    )
                ]
            )
    plan, seconds = _optimum(scenario, settings)
    optimum = Alternative(plan, seconds, 0, plan_score(scenario, plan.starts))
    say(optimum, 0)
    cost_limit = plan.objective + within * abs(plan.objective)
    found = Alternatives(optimum, within, cost_limit, [], prefer)
    search = settings.model_copy(update={"gap": max(settings.gap, DISTANCE_GAP)})
    avoid = [plan.starts]
    # a preferred unit outweighs any difference in distance (each earlier plan differs in at
    # most 2·Σ max_units start decisions): first the preferred projects, then the distance
    units = sum(c.max_units for c in scenario.candidates)
    for k in range(1, count + 1):
        bonus = float(2 * units * len(avoid) + 1)
        options = BuildOptions(near_optimal=NearOptimal(cost_limit, tuple(avoid), preferred, bonus))
        plan, seconds = _solve(scenario, search, options)
        if not plan.has_solution:
            found.stopped_status = str(plan.status)
            say(None, k)
            break
        alt = Alternative(
            plan,
            seconds,
            starts_changed(optimum.plan.starts, plan.starts),
            plan_score(scenario, plan.starts),
        )
        found.alternatives.append(alt)
        say(alt, k)
        avoid.append(plan.starts)
    return found
