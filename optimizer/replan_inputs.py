"""What changed in the inputs between an adopted plan and this year's replan, and why a move.

``input_differences`` lists table by table the rows added or removed and the cells changed
(keyed by each table's id columns, see ``TABLE_KEYS``) and the settings changed in
scenario.toml: the replan's ``input_changes.csv``. ``explain_changes`` attaches to each move
(``optimizer.replan.Change``) its own input rows and the demand for its services; which input
change causes a move is ``optimizer.replan_attribution``'s work.
"""

from __future__ import annotations

import pandas as pd

from optimizer.plan import Plan
from optimizer.replan import Change
from optimizer.report.i18n import LANGUAGES, format_number, said, unit_name
from optimizer.scenario import Scenario

TABLE_KEYS = {
    "candidates": ["id"],
    "candidate_capacity": ["candidate", "service"],
    "dependencies": ["candidate", "requires"],
    "existing_assets": ["id"],
    "population": ["variant", "year", "district", "age_group"],
    "budgets": ["pool", "year"],
    "department_budgets": ["department", "year"],
    "staff": ["department", "year"],
    "policy_years": ["year"],
    "emergency_options": ["id"],
    # no id: rows are told apart by what they say, and the n-th alike row by its number
    "other_investments": ["year", "pool", "department", "description", "n"],
}


def _table_frame(scenario: Scenario, name: str) -> pd.DataFrame:
    rows = {
        "candidates": scenario.candidates,
        "candidate_capacity": scenario.capacities,
        "dependencies": scenario.dependencies,
        "existing_assets": scenario.existing_assets,
        "budgets": scenario.budgets,
        "department_budgets": scenario.department_budgets,
        "staff": scenario.staff,
        "policy_years": scenario.policy_years,
        "emergency_options": scenario.emergency_options,
        "other_investments": scenario.other_investments,
    }.get(name)
    if name == "population":
        frame = scenario.population.assign(variant=scenario.variant)
        return frame[["variant", "year", "district", "age_group", "population"]]
    records = [r.model_dump() for r in rows or []]
    frame = pd.DataFrame(records)
    for column in frame.columns:
        frame[column] = frame[column].map(
            lambda v: "|".join(map(str, v)) if isinstance(v, list) else v
        )
    if name == "other_investments" and not frame.empty:
        text = ["pool", "department", "description"]
        frame[text] = frame[text].fillna("")
        frame["n"] = frame.groupby(["year", *text]).cumcount() + 1
    return frame


def input_differences(old: Scenario, new: Scenario) -> pd.DataFrame:
    """Table by table: rows added or removed, cells changed (keyed by each table's id columns)."""
    records = []
    for name, keys in TABLE_KEYS.items():
        a, b = _table_frame(old, name), _table_frame(new, name)
        if a.empty and b.empty:
            continue
        if name == "population":  # compare the projection, whatever the variant is called
            a, b = a.drop(columns="variant"), b.drop(columns="variant")
            keys = [k for k in keys if k != "variant"]
        a = a.set_index(keys) if not a.empty else pd.DataFrame(columns=b.columns).set_index(keys)
        b = (
            b.set_index(keys)
            if not b.empty
            else pd.DataFrame(columns=a.reset_index().columns).set_index(keys)
        )
        for key in a.index.difference(b.index):
            records.append((name, _key_text(key), "removed", "", "", ""))
        for key in b.index.difference(a.index):
            records.append((name, _key_text(key), "added", "", "", ""))
        common = a.index.intersection(b.index)
        for column in sorted(set(a.columns) & set(b.columns)):
            left, right = a.loc[common, column], b.loc[common, column]
            differs = ~((left == right) | (left.isna() & right.isna()))
            for key in common[differs.to_numpy()]:
                records.append(
                    (
                        name,
                        _key_text(key),
                        "changed",
                        column,
                        _fmt(a.at[key, column]),
                        _fmt(b.at[key, column]),
                    )
                )
    old_settings = _flatten(old.settings.model_dump())
    new_settings = _flatten(new.settings.model_dump())
    for key in sorted(set(old_settings) | set(new_settings)):
        if old_settings.get(key) != new_settings.get(key):
            records.append(
                (
                    "scenario.toml",
                    key,
                    "changed",
                    key,
                    _fmt(old_settings.get(key)),
                    _fmt(new_settings.get(key)),
                )
            )
    return pd.DataFrame(records, columns=["table", "key", "change", "field", "adopted", "now"])


def _key_text(key) -> str:
    return ",".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def _flatten(value, prefix="") -> dict:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            item_id = v.get("id") if isinstance(v, dict) else None
            out.update(_flatten(v, f"{prefix}[{item_id or i}]"))
        return out
    return {prefix: value}


def demand_differences(old: Scenario, new: Scenario) -> pd.DataFrame:
    a = old.demand.set_index(["service", "district", "year"])["demand"]
    b = new.demand.set_index(["service", "district", "year"])["demand"]
    joined = pd.concat([a.rename("adopted"), b.rename("now")], axis=1).fillna(0.0).reset_index()
    joined["change"] = joined["now"] - joined["adopted"]
    return joined[joined["change"].abs() > 1e-9]


def explain_changes(
    changes: list[Change],
    old: Scenario | None,
    new: Scenario,
    plan: Plan,
    diffs: pd.DataFrame | None,
) -> None:
    """Attach details to each change: its own input rows and the demand for its services, each
    a sentence in every report language (``Change.reasons``)."""
    from optimizer.report.figures import names

    demand = demand_differences(old, new) if old is not None else pd.DataFrame()
    diffs = diffs if diffs is not None else pd.DataFrame(columns=["table", "key"])
    named = names(new)  # services, units and pools by name, as the reports show them
    for change in changes:
        cand = new.candidate_by_id.get(change.candidate) or (
            old.candidate_by_id.get(change.candidate) if old else None
        )
        change.reasons += _row_reasons(change.candidate, diffs)
        if cand is not None:
            change.reasons += _demand_reasons(cand.id, new, demand, named)
            change.reasons += _budget_reasons(cand.pool, diffs, named["pool"])
        # Shadow prices are not listed: a binding limit elsewhere (another district's coverage)
        # says nothing about this move; which input change causes it is attribute_changes' work.
        if not change.reasons:
            change.reasons.append(said("reason_cheaper"))


def _row_reasons(candidate: str, diffs: pd.DataFrame) -> list[dict[str, str]]:
    """The candidate's own input rows that changed, were added or removed."""
    if diffs.empty:
        return []
    own = diffs[diffs["key"].str.split(",").str[0] == candidate]
    return [
        said("reason_field_changed", table=row.table, field=row.field, adopted=row.adopted,
             now=row.now)
        if row.change == "changed"
        else said(f"reason_row_{row.change}", table=row.table, key=row.key)
        for row in own.itertuples(index=False)
    ]  # fmt: skip


def _demand_reasons(
    candidate: str, new: Scenario, demand: pd.DataFrame, named: dict
) -> list[dict[str, str]]:
    """How the demand for each service the candidate serves changed, by the last year changed."""
    out = []
    for service in [c.service for c in new.capacities if c.candidate == candidate]:
        d = demand[demand["service"] == service] if not demand.empty else demand
        if d.empty:
            continue
        last = d.sort_values("year").iloc[-1]
        unit = named["unit"].get(service, "")
        out.append(
            said(
                "reason_demand",
                service=named["service"].get(service, service),
                change=_number(last["change"], signed=True),
                unit={lang: unit_name(unit, lang) for lang in LANGUAGES},
                year=int(last["year"]),
                adopted=_number(last["adopted"]),
                now=_number(last["now"]),
            )
        )
    return out


def _budget_reasons(pool: str, diffs: pd.DataFrame, pool_names: dict) -> list[dict[str, str]]:
    """The candidate's funding pool's ceilings that changed, by year (the first six)."""
    if diffs.empty:
        return []
    rows = diffs[(diffs["table"] == "budgets") & diffs["key"].str.startswith(pool + ",")]
    if rows.empty:
        return []
    years = ", ".join(k.split(",")[1] for k in rows["key"].head(6))
    return [said("reason_budget", pool=pool_names.get(pool, pool), years=years)]


def _number(value: float, signed: bool = False) -> dict[str, str]:
    """A whole number in each language's way (as the reports write it), with its sign if asked."""
    out = {}
    for lang in LANGUAGES:
        text = format_number(abs(value) if signed else value, 0, lang)
        out[lang] = (("+" if value >= 0 else "\u2212") + text) if signed else text
    return out
