"""The shipped scenarios' plans, each solved once per test session.

Three test modules check the same optimal plans of the shipped scenarios (the reference
objective, the pinned schedule, what issue #12 asked of Östersund's plans), with the same
settings. Solving each variant once for all of them keeps the suite's time where the checks are,
not in solving the same Östersund model three times (10-18 s per variant on the money data).
Callers only read the plan.
"""

from __future__ import annotations

import functools
from pathlib import Path

import optimizer
from optimizer.run import run_scenario, solve_settings_for

ROOT = Path(__file__).resolve().parents[1]
# the checks are about the optimum, not about speed: no busy machine reaches this limit
UNHURRIED_S = 3600.0


@functools.cache
def shipped_plan(name: str, variant: str):
    """(scenario, plan) of ``scenarios/<name>`` with ``variant``, solved to proven optimality
    with the scenario's own solver settings and an unhurried time limit."""
    scenario = optimizer.load_scenario(ROOT / "scenarios" / name, variant)
    return scenario, run_scenario(scenario, solve_settings_for(scenario, time_limit=UNHURRIED_S))
