"""The terminal condition, recomputed from the plan (docs/model.md, Horizon end)."""

from __future__ import annotations

from optimizer.check.coverage import _coverage_table
from optimizer.check.facts import Violation, _Facts, _key, _num


def _check_terminal(facts: _Facts) -> list[Violation]:
    """In the last year, capacity + transfers ≥ planned demand, without shortfall or emergency
    options (``terminal``), for every service with a terminal condition."""
    scenario = facts.scenario
    table = _coverage_table(facts)
    last = table.loc[table["year"] == facts.yN]
    out: list[Violation] = []
    for row in last.itertuples(index=False):
        if not scenario.has_terminal_condition(row.service):
            continue
        standing = row.supply - row.shortfall - row.emergency
        if facts.over(row.planned, standing):
            unit = scenario.service_by_id[row.service].unit
            amount = row.planned - standing
            out.append(
                Violation(
                    f"terminal[{_key(row.service, row.district)}]",
                    amount,
                    f"{row.service} at the end of {facts.yN}: capacity standing "
                    f"{_num(standing)} {unit} (with transfers) is below planned demand "
                    f"{_num(row.planned)} by {_num(amount)} {unit}",
                )
            )
    return out
