"""Precedence and choice checks: dependencies, exclusive groups, must-do, deadlines, commitments."""

from __future__ import annotations

import numpy as np

from optimizer.check.facts import (
    Violation,
    _Facts,
    _num,
)


def _check_precedence(facts: _Facts) -> list[Violation]:
    """Per dependency (p requires q, lag ℓ) and year t, on started-by sums:

    ``in_service_before_start``: ``S[p,t] ≤ m_p·S[q,t−L_q−ℓ]`` (``precedence[p,q,t]``);
    ``in_service_when_opens``:   ``S[p,t−L_p] ≤ m_p·S[q,t−L_q−ℓ]`` (``opens_with[p,q,t]``).

    Years run from y0 to yN + L_p for the second kind: a start late in the horizon opens after
    it, and q must be in service then too (q's started-by sum stands still after yN). Both kinds
    so forbid p when q is never built, whatever the year (docs/model.md, precedence).
    """
    scenario = facts.scenario
    by_id = scenario.candidate_by_id
    out: list[Violation] = []
    for dep in scenario.dependencies:
        p, q = by_id[dep.candidate], by_id[dep.requires]
        opens = dep.kind == "in_service_when_opens"
        shift_p = p.lead_time if opens else 0
        years = np.arange(facts.y0, facts.yN + shift_p + 1)
        ready = p.max_units * facts.started_by_years(q.id, years - q.lead_time - dep.lag)
        lhs = facts.started_by_years(p.id, years - shift_p)
        name = "opens_with" if opens else "precedence"
        lag = f" plus {dep.lag} year(s)" if dep.lag else ""
        for t, left, right in zip(years.tolist(), lhs, ready, strict=True):
            if facts.over(left, right):
                if opens:
                    what = f"in service in {t} (started by {t - p.lead_time})"
                else:
                    what = f"started by {t}"
                out.append(
                    Violation(
                        f"{name}[{p.id},{q.id},{t}]",
                        left - right,
                        f"{p.id} has {_num(left)} unit(s) {what} but may have at most "
                        f"{_num(right)}: max_units {p.max_units} × {_num(right / p.max_units)} "
                        f"unit(s) of {q.id} started by {t - q.lead_time - dep.lag} (in service"
                        f"{lag} by {t})",
                    )
                )
    return out


def _check_exclusive(facts: _Facts) -> list[Violation]:
    """Per exclusive group G: at most one candidate of G is built, ``Σ_{p∈G} b[p] ≤ 1``.

    ``b[p] = S[p,yN]`` for a one-unit candidate, and 1 when any unit of a modular candidate
    (max_units > 1) is built: the group limits candidates, not units (docs/model.md, choice).
    """
    groups: dict[str, list[str]] = {}
    for c in facts.scenario.candidates:
        if c.exclusive_group:
            groups.setdefault(c.exclusive_group, []).append(c.id)
    by_id = facts.scenario.candidate_by_id
    out: list[Violation] = []
    for group, members in sorted(groups.items()):
        units = {p: facts.started_by(p, facts.yN) for p in members}
        built = {
            p: u if by_id[p].max_units == 1 else float(u > facts.tolerance)
            for p, u in units.items()
        }
        total = sum(built.values())
        if facts.over(total, 1.0):
            chosen = ", ".join(f"{p} ({_num(u)} unit(s))" for p, u in units.items() if u)
            out.append(
                Violation(
                    f"exclusive[{group}]",
                    total - 1.0,
                    f"exclusive group {group}: at most one candidate may be built, the plan "
                    f"builds {_num(total)}: {chosen}",
                )
            )
    return out


def _check_must_do(facts: _Facts) -> list[Violation]:
    """Must-do ``S[p,yN] ≥ 1``; deadline ``S[p,deadline−L] ≥ 1``; committed ``n[p,y*] ≥ 1``.

    A deadline already implies must-do, so a candidate with a deadline is checked against its
    deadline only (``deadline[p]``); ``must_do[p]`` is for must-do without a deadline.
    """
    tol = facts.tolerance
    out: list[Violation] = []
    for c in facts.scenario.candidates:
        if c.deadline is not None:
            by = c.deadline - c.lead_time
            started = facts.started_by(c.id, by)
            if 1.0 - started > tol:
                out.append(
                    Violation(
                        f"deadline[{c.id}]",
                        1.0 - started,
                        f"{c.id} must be in service by {c.deadline}, so started by {by}; the "
                        f"plan starts {_num(started)} unit(s) by then",
                    )
                )
        elif c.must_do:
            started = facts.started_by(c.id, facts.yN)
            if 1.0 - started > tol:
                out.append(
                    Violation(
                        f"must_do[{c.id}]",
                        1.0 - started,
                        f"{c.id} is must-do but the plan starts {_num(started)} unit(s) by "
                        f"{facts.yN}",
                    )
                )
        if c.committed_year is not None:
            started = facts.starts.get(c.id, {}).get(c.committed_year, 0.0)
            if 1.0 - started > tol:
                out.append(
                    Violation(
                        f"committed[{c.id}]",
                        1.0 - started,
                        f"{c.id} is committed to start in {c.committed_year}; the plan starts "
                        f"{_num(started)} unit(s) that year",
                    )
                )
    return out
