"""The multi-criteria score of a plan (docs/tradeoffs.md): weighted goals over candidate tags.

A goal of ``[[criteria]]`` in scenario.toml counts a candidate when the candidate carries one of
its tags (the ``tags`` column: Agenda 2030 goals, social sustainability, …) or stands in one of
its districts (district equity). A candidate's points are the sum of the weights of the goals
that count it; a plan's score is ``Σ_p points[p]·S[p,yN]`` (units built by the last year).
The score is shown beside the cost; ``capplan frontier --axis score`` trades one against the other.
"""

from __future__ import annotations

from collections.abc import Mapping

from optimizer.scenario import Scenario


def candidate_points(scenario: Scenario) -> dict[str, float]:
    """Points per unit built of every candidate (0 when no goal counts it)."""
    points = {}
    for candidate in scenario.candidates:
        tags = set(candidate.tags)
        points[candidate.id] = sum(
            goal.weight
            for goal in scenario.settings.criteria
            if tags & set(goal.tags) or (candidate.district in goal.districts)
        )
    return points


def plan_score(scenario: Scenario, starts: Mapping[str, Mapping[int, int]]) -> float:
    """``Σ_p points[p]·units of p started in the horizon``."""
    points = candidate_points(scenario)
    last = scenario.last_year
    return float(
        sum(
            points.get(p, 0.0) * units
            for p, by_year in starts.items()
            for year, units in by_year.items()
            if year <= last
        )
    )


def tagged(scenario: Scenario, tag: str) -> list[str]:
    """Candidates that ``--prefer TAG`` favours: TAG is one of their tags, their district or the
    id of a goal that counts them."""
    goal = next((g for g in scenario.settings.criteria if g.id == tag), None)
    found = []
    for c in scenario.candidates:
        by_goal = goal is not None and (
            set(c.tags) & set(goal.tags) or c.district in goal.districts
        )
        if tag in c.tags or c.district == tag or by_goal:
            found.append(c.id)
    return found
