"""Warnings: rules on a scenario that passed every other rule, for what can be solved but looks
like a slip (docs/validate.md).

A warning does not stop ``validate`` (exit 0) or ``run``; ``validate --strict`` makes each one a
problem (exit 2). Each rule compares a value with the rest of the scenario, so that a planner
who typed a budget in thousands of kronor, a capex per place a hundred times its siblings', or a
budget row for a year the plan never reaches hears about it before a council reads the report.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from optimizer.scenario import spend_profile, start_windows
from optimizer.validate.context import Context, format_years

# A ceiling this many times the largest investment that draws on it is not a budget in MSEK.
CEILING_RATIO = 1_000
# A cost per unit this many times above (or below) the median of its service's other candidates;
# a leased building (capex for the fit-out only, rent in opex) is 20× below its siblings, no slip.
UNIT_COST_RATIO = 50
UNIT_COST_PEERS = 2  # other single-service candidates needed for a median worth comparing to


def _n(value: float) -> str:
    """A number as a planner reads it: 240000 -> '240 000', 6666.7 -> '6 667', 0.5 -> '0.5'."""
    if abs(value - round(value)) < 1e-9 or abs(value) >= 100:
        return f"{round(value):,}".replace(",", " ")
    return f"{value:.3g}"


def ceilings_in_msek(ctx: Context) -> None:
    """A budget ceiling at least ``CEILING_RATIO`` times the largest capex that draws on it."""
    candidates = [c for _, c in ctx.rows("candidates")]
    for table, key, what in (
        ("budgets", "pool", "funding pool"),
        ("department_budgets", "department", "department"),
    ):
        largest: dict[str, float] = defaultdict(float)
        for c in candidates:
            largest[getattr(c, key)] = max(largest[getattr(c, key)], c.capex)
        flagged: dict[str, list[tuple[int, object]]] = defaultdict(list)
        for number, row in ctx.rows(table):
            most = largest.get(getattr(row, key), 0.0)
            if most > 0 and row.ceiling >= CEILING_RATIO * most:
                flagged[getattr(row, key)].append((number, row))
        for owner, rows in flagged.items():
            most = largest[owner]
            low = min(r.ceiling for _, r in rows) / most
            years = format_years(sorted(r.year for _, r in rows))
            times = f"{_n(low)}×" if len(rows) == 1 else f"at least {_n(low)}×"
            message = (
                f"{what} '{owner}': the ceiling for {years} is {times} the largest investment "
                f"that draws on it ({_n(most)} MSEK); amounts are in MSEK: was it typed in "
                "kronor or thousands of kronor?"
            )
            ctx.warn(ctx.label(table), rows[0][0] if len(rows) == 1 else None, "ceiling", message)


def capex_per_unit(ctx: Context) -> None:
    """A candidate's capex per unit of capacity far from that of its service's other candidates.

    Only candidates adding capacity to one service are compared (a school with a preschool
    has no cost per place of either).
    """
    services: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for _, r in ctx.rows("candidate_capacity"):
        services[r.candidate].append((r.service, r.capacity))
    units = {s.id: s.unit for s in ctx.settings.services}
    by_service: dict[str, list[tuple[int, object, float, float]]] = defaultdict(list)
    for number, c in ctx.rows("candidates"):
        serves = services.get(c.id, [])
        if len(serves) == 1 and serves[0][1] > 0 and c.capex > 0:
            service, capacity = serves[0]
            by_service[service].append((number, c, capacity, c.capex / capacity))
    for service, members in by_service.items():
        for number, c, capacity, per_unit in members:
            others = [p for n, _, _, p in members if n != number]
            if len(others) < UNIT_COST_PEERS:
                continue
            median = statistics.median(others)
            ratio = per_unit / median
            if ratio >= UNIT_COST_RATIO or ratio <= 1 / UNIT_COST_RATIO:
                how = f"{_n(ratio)}× the" if ratio > 1 else f"1/{_n(1 / ratio)} of the"
                unit = units.get(service, "units")
                message = (
                    f"{_n(c.capex)} MSEK for {_n(capacity)} {unit} of {service} is "
                    f"{per_unit:.3g} MSEK per unit, {how} median of the other {service} "
                    f"candidates ({median:.3g}): a slip in capex or capacity?"
                )
                ctx.warn(ctx.label("candidates"), number, "capex", message)


def yearly_rows_in_horizon(ctx: Context) -> None:
    """Rows of the yearly tables for years outside the horizon: read, and never used."""
    for table in ("budgets", "department_budgets", "staff", "policy_years"):
        outside = [(n, r.year) for n, r in ctx.rows(table) if r.year not in ctx.years]
        if not outside:
            continue
        years = format_years(sorted({y for _, y in outside}))
        noun = "a row" if len(outside) == 1 else f"{len(outside)} rows"
        message = (
            f"{noun} for {years}, outside the horizon {ctx.first_year}-{ctx.last_year}: "
            "ignored (was first_year or last_year meant to change?)"
        )
        ctx.warn(ctx.label(table), outside[0][0] if len(outside) == 1 else None, "year", message)


def forced_within_ceilings(ctx: Context) -> None:
    """A committed or must-do project whose own spending breaks a ceiling in every start year.

    No plan is possible then, whatever else is chosen: ``run`` reports the scenario infeasible
    and names the same limit. Net of grants, the variant's budget factor applied; a pool that
    carries unspent budget over is compared year by year with what it can have saved.
    """
    factor = ctx.chosen.budget_factor
    carry = {p.id for p in ctx.settings.pools if p.carry_over}
    ceilings: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for table, key in (("budgets", "pool"), ("department_budgets", "department")):
        for _, row in ctx.rows(table):
            if row.year in ctx.years:
                ceilings[(key, getattr(row, key))][row.year] = row.ceiling * factor
    candidates = [c for _, c in ctx.rows("candidates")]
    windows = start_windows(
        candidates, [d for _, d in ctx.rows("dependencies")], ctx.first_year, ctx.last_year
    )
    for number, c in ctx.rows("candidates"):
        if c.committed_start is None and not c.must_do:
            continue
        earliest, latest = windows[c.id]
        if earliest > latest:
            continue  # no start at all: windows.no_start_year would have said so
        net = c.capex * (1.0 - c.grant_share)
        for key, owner in (("pool", c.pool), ("department", c.department)):
            ceiling = ceilings.get((key, owner))
            saves = key == "pool" and owner in carry
            if not ceiling:
                continue
            found = [
                _excess(start, net, spend_profile(c), ceiling, saves)
                for start in range(earliest, latest + 1)
            ]
            if any(f is None for f in found):
                continue
            # the start that comes closest, as the example a planner can check by hand
            start, (year, need, limit) = min(
                zip(range(earliest, latest + 1), found, strict=True),
                key=lambda pair: pair[1][1] - pair[1][2],
            )
            if c.committed_start is not None:
                who = f"committed project '{c.id}' (start {start})"
            else:
                starts = f"{earliest}-{latest}" if latest > earliest else str(earliest)
                who = f"must-do project '{c.id}' (any start {starts}; started in {start})"
            by = f"in {year}" if not saves else f"by {year}"
            ceiling_words = (
                "its ceiling" if not saves else "its ceilings with what it can carry over"
            )
            message = (
                f"{who} alone needs {_n(need)} MSEK from {key} '{owner}' {by} (net of grants); "
                f"{ceiling_words}: {_n(limit)} MSEK. No plan is possible: run reports the "
                "scenario infeasible"
            )
            ctx.warn(ctx.label("candidates"), number, "capex", message)


def _excess(
    start: int, net: float, shares: list[float], ceiling: dict[int, float], cumulative: bool
) -> tuple[int, float, float] | None:
    """(year, need, ceiling) of the first year whose ceiling the project alone exceeds."""
    need_sum = 0.0
    for offset, share in enumerate(shares):
        year = start + offset
        if year not in ceiling:
            continue
        need = net * share
        if cumulative:  # unspent budget of earlier years may have been saved for it
            need_sum += need
            need_here, limit_here = need_sum, sum(v for y, v in ceiling.items() if y <= year)
        else:
            need_here, limit_here = need, ceiling[year]
        if need_here > limit_here + 1e-9:
            return year, need_here, limit_here
    return None
