"""Which solver solves a scenario: ``[solver] name = "auto"`` (the default) decides by structure.

Measured (benchmarks/RESULTS.md, same machine, same built models):

* pure capital budgeting (the 85 OR-Library MKP instances: knapsack rows only, one start year
  per candidate, nothing to cover, no dependencies): CBC 118 s in total against HiGHS' 254 s,
  and CBC's total is 1.04× the sum of the faster solver per instance;
* planning models (coverage of a growing need over years, start windows, dependencies):
  HiGHS is faster and proves tighter bounds on every size (S 6.1 s against 7.7 s; M 1.2 %
  against 8.4 % after 60 s; L: CBC found no plan in 60 s), and on another kommun's scenario CBC
  took 92 s against HiGHS' 1.6 s.

So CBC is chosen only when the scenario has no time structure at all; the reason is recorded
in plan.json (``solver_choice``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optimizer.scenario import Scenario
    from optimizer.schema import SolverSettings

AUTO = "auto"


def choose(scenario: Scenario) -> tuple[str, str]:
    """(solver, reason) for a scenario, from its structure alone."""
    windows = scenario.start_windows
    one_start_year = all(lo == hi for lo, hi in windows.values())
    if not scenario.capacities and not scenario.dependencies and one_start_year:
        return (
            "cbc",
            "capital budgeting without time structure (no capacity to deliver, no "
            "dependencies, one start year per candidate): CBC is the faster solver there",
        )
    reasons = []
    if scenario.capacities:
        reasons.append("capacity against need over years")
    if scenario.dependencies:
        reasons.append("dependencies")
    if not one_start_year:
        reasons.append("start windows")
    return "highs", f"planning model ({', '.join(reasons)}): HiGHS is the faster solver there"


def resolve(settings: SolverSettings, scenario: Scenario) -> SolverSettings:
    """The settings with ``auto`` replaced by the chosen solver, and why, on ``choice``."""
    if settings.solver == AUTO:
        solver, reason = choose(scenario)
        resolved = settings.model_copy(update={"solver": solver})
        resolved._choice = f"auto: {reason}"
        return resolved
    if not settings._choice:
        settings = settings.model_copy()
        settings._choice = f"{settings.solver}: as asked ([solver] name or --solver)"
    return settings
