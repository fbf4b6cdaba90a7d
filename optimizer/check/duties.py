"""Legal duties and emergency options, recomputed from the plan (docs/model.md, Duties)."""

from __future__ import annotations

import pandas as pd

from optimizer.check.facts import Violation, _Facts, _key, _normalised, _num, once_per_check
from optimizer.plan import EMERGENCY_COLUMNS


@once_per_check
def emergency_use(facts: _Facts) -> pd.DataFrame:
    """The plan's emergency units with the option's service, district, max_units and cost."""
    rows = _normalised(facts.plan.emergency, EMERGENCY_COLUMNS)
    scenario = facts.scenario
    options = {o.id: o for o in scenario.emergency_options}
    rows = rows.loc[rows["option"].isin(options)].copy()
    rows["service"] = rows["option"].map(lambda o: options[o].service)
    rows["district"] = [
        scenario.district_key(options[o].service, options[o].district) for o in rows["option"]
    ]
    rows["cost"] = rows["option"].map(lambda o: options[o].cost).astype(float)
    return rows


def _check_emergency(facts: _Facts) -> list[Violation]:
    """Each emergency option used only in its years, 0 ≤ units ≤ max_units (``emergency``)."""
    scenario, tol = facts.scenario, facts.tolerance
    options = {o.id: o for o in scenario.emergency_options}
    out: list[Violation] = []
    for row in _normalised(facts.plan.emergency, EMERGENCY_COLUMNS).itertuples(index=False):
        name = f"emergency[{row.option},{row.year}]"
        option = options.get(row.option)
        if option is None:
            if abs(row.units) > tol:
                out.append(
                    Violation(name, abs(row.units), f"'{row.option}' is not an emergency option")
                )
            continue
        first = option.first_year if option.first_year is not None else facts.y0
        last = option.last_year if option.last_year is not None else facts.yN
        if not first <= row.year <= last and abs(row.units) > tol:
            message = f"{row.option} is used in {row.year}, outside its years {first}-{last}"
            out.append(Violation(name, abs(row.units), message))
        elif row.units < -tol:
            out.append(
                Violation(name, -row.units, f"{row.option} in {row.year}: units must be ≥ 0")
            )
        elif facts.over(row.units, option.max_units):
            message = (
                f"{row.option} gives {_num(row.units)} in {row.year}, more than its maximum "
                f"{_num(option.max_units)}"
            )
            out.append(Violation(name, row.units - option.max_units, message))
    return out


def _check_duties(facts: _Facts) -> list[Violation]:
    """No shortfall in a duty year of a service (``duty``)."""
    scenario, tol = facts.scenario, facts.tolerance
    rows = facts.matched_shortfall
    out: list[Violation] = []
    for row in rows.loc[rows["matched"]].itertuples(index=False):
        if row.year in scenario.duty_years(row.service) and row.shortfall > tol:
            unit = scenario.service_by_id[row.service].unit
            out.append(
                Violation(
                    f"duty[{_key(row.service, row.district, row.year)}]",
                    row.shortfall,
                    f"{row.service} is a legal duty from "
                    f"{scenario.service_by_id[row.service].duty_from}; the plan leaves "
                    f"{_num(row.shortfall)} {unit} uncovered in {row.year}",
                )
            )
    return out
