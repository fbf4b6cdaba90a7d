"""Yearly re-optimisation against an adopted plan: what has started stays, change must pay.

    capplan replan SCENARIO --adopted PLAN --year Y [--lock-years K]

* Candidates the adopted plan started before ``Y`` are fixed: their start (and units) cannot
  change, so their remaining capex still counts in budgets and their capacity arrives as planned.
  No other candidate can start before ``Y`` (the past cannot be re-decided).
* ``--lock-years K`` keeps the adopted decisions for ``Y … Y+K−1`` too (starts and non-starts).
* Every later decision may change, but each candidate moved, added or removed costs the
  stability price (``[replan] stability_price``, MSEK): with unchanged inputs the replan equals
  the adopted plan, and a change happens only when it pays for itself (the stability block,
  ``optimizer/model/stability.py``).
* Yearly limits of years before ``Y`` are history and are not imposed again.

All of it is said to the build as options (``replan_options``). The adopted plan is an input:
it is read, hashed and never modified.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from optimizer import load_scenario
from optimizer.errors import Problem, ScenarioError
from optimizer.io.results import sha256
from optimizer.model import AdoptedStarts, BuildOptions, FixedStarts
from optimizer.plan import Plan
from optimizer.run import run_scenario
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings
from optimizer.status import WITH_PLAN


@dataclass
class AdoptedPlan:
    path: Path  # plan.json
    folder: Path  # its results folder
    starts: dict[str, dict[int, int]]
    variant: str | None
    objective: float | None
    sha256: str
    inputs: Path | None  # the adopted run's copy of its inputs, when present
    scenario_name: str | None = None  # the scenario's name in plan.json

    def scenario(self) -> Scenario | None:
        """The scenario the adopted plan was made from (its own copy of the inputs)."""
        if self.inputs is None:
            return None
        workbook = sorted(self.inputs.glob("*.xlsx"))
        source = (
            workbook[0]
            if workbook and not (self.inputs / "scenario.toml").exists()
            else self.inputs
        )
        try:
            return load_scenario(source, self.variant)
        except ScenarioError:
            return None


def load_adopted(path: Path) -> AdoptedPlan:
    """Read an adopted plan (a results folder or its plan.json); every problem is listed.

    A results folder is verified against the hashes in its manifest first: a plan.json edited
    after capplan wrote it is refused (exit code 2) rather than adopted.
    """
    from optimizer.io.stored import ResultsFolder

    stored = ResultsFolder.open(path)
    stored.require_intact()
    plan_file = stored.plan_file
    label = str(plan_file)
    data = stored.plan_data()
    problems: list[Problem] = []
    if not isinstance(data.get("schedule"), list):
        raise ScenarioError(
            [Problem(label, None, "schedule", "is missing: this is not a capplan plan.json")]
        )
    if data.get("status") not in WITH_PLAN:
        problems.append(
            Problem(
                label,
                None,
                "status",
                f"is '{data.get('status')}': only a solved plan can be adopted",
            )
        )
    starts: dict[str, dict[int, int]] = {}
    for i, entry in enumerate(data["schedule"], start=1):
        where = f"schedule[{i}]"
        if not isinstance(entry, dict):
            problems.append(Problem(label, None, where, "is not an object"))
            continue
        cand, year, units = entry.get("candidate"), entry.get("start_year"), entry.get("units", 1)
        if not isinstance(cand, str) or not cand:
            problems.append(Problem(label, None, f"{where}.candidate", "is missing"))
            continue
        # bool is an int in Python: `start_year: true` must not become the year 1
        if not isinstance(year, int) or isinstance(year, bool):
            problems.append(Problem(label, None, f"{where}.start_year", f"'{year}' is not a year"))
            continue
        if not isinstance(units, int) or isinstance(units, bool) or units < 1:
            problems.append(
                Problem(label, None, f"{where}.units", f"'{units}' is not a whole number ≥ 1")
            )
            continue
        starts.setdefault(cand, {})
        starts[cand][year] = starts[cand].get(year, 0) + units
    if problems:
        raise ScenarioError(problems)
    inputs = plan_file.parent / "inputs"
    scenario_name = data.get("scenario")
    return AdoptedPlan(
        path=plan_file,
        folder=plan_file.parent,
        starts=starts,
        variant=data.get("variant"),
        objective=data.get("objective"),
        sha256=sha256(plan_file),
        inputs=inputs if inputs.is_dir() else None,
        scenario_name=scenario_name if isinstance(scenario_name, str) else None,
    )


def check_adopted(adopted: AdoptedPlan, scenario: Scenario) -> None:
    """Refuse an adopted plan that cannot belong to ``scenario`` (exit code 2, every problem):
    another scenario's plan, unknown candidates, starts outside the horizon, more units than
    a candidate's ``max_units``."""
    label = str(adopted.path)
    name = scenario.settings.scenario.name
    if adopted.scenario_name is not None and adopted.scenario_name != name:
        raise ScenarioError(
            [
                Problem(
                    label,
                    None,
                    "scenario",
                    f"the adopted plan was made for scenario '{adopted.scenario_name}', "
                    f"not '{name}': adopt a plan of this scenario",
                )
            ]
        )
    candidates = scenario.candidate_by_id
    unknown = sorted(set(adopted.starts) - set(candidates))
    if unknown and len(unknown) == len(adopted.starts):
        # Some candidates may leave the list between two years (a started one may not: see
        # _prepare); none in common means the plan belongs to another scenario.
        raise ScenarioError(
            [
                Problem(
                    label,
                    None,
                    "schedule",
                    f"none of the adopted candidates ({', '.join(unknown)}) is in the "
                    "scenario's candidates: the plan belongs to another scenario",
                )
            ]
        )
    problems: list[Problem] = []
    for cand, by_year in sorted(adopted.starts.items()):
        if cand not in candidates:
            continue  # a started one is refused by _prepare, a future one is simply dropped
        for year in sorted(by_year):
            if not scenario.first_year <= year <= scenario.last_year:
                problems.append(
                    Problem(
                        label,
                        None,
                        "schedule",
                        f"candidate '{cand}': start_year {year} is outside the scenario's "
                        f"horizon {scenario.first_year}-{scenario.last_year}",
                    )
                )
        units, most = sum(by_year.values()), candidates[cand].max_units
        if units > most:
            problems.append(
                Problem(
                    label,
                    None,
                    "schedule",
                    f"candidate '{cand}': {units} units adopted but max_units is {most}",
                )
            )
    if problems:
        raise ScenarioError(problems)


@dataclass
class Change:
    candidate: str
    kind: str  # added, removed, earlier, later, units
    adopted_start: int | None
    new_start: int | None
    adopted_units: int = 0
    new_units: int = 0
    reasons: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)  # change groups (attribute_changes)

    def describe(self) -> str:
        if self.kind == "added":
            return f"{self.candidate} added, starting {self.new_start}"
        if self.kind == "removed":
            return f"{self.candidate} removed (was to start {self.adopted_start})"
        if self.kind in ("earlier", "later"):
            return f"{self.candidate} moved {self.kind}: {self.adopted_start} → {self.new_start}"
        return f"{self.candidate} units {self.adopted_units} → {self.new_units}"


# ------------------------------------------------------------------------------------------
# The replan model
# ------------------------------------------------------------------------------------------
def _prepare(scenario: Scenario, adopted: AdoptedPlan, fixed_before: int) -> Scenario:
    """Widen windows so that every adopted start before ``fixed_before`` can be fixed."""
    problems = []
    label = scenario.table_labels.get("candidates", "candidates.csv")
    by_id = scenario.candidate_by_id
    updated = {}
    for cand, by_year in adopted.starts.items():
        fixed_years = [y for y in by_year if y < fixed_before]
        if not fixed_years:
            continue
        if cand not in by_id:
            problems.append(
                Problem(
                    label,
                    None,
                    "id",
                    f"candidate '{cand}' started in {min(fixed_years)} in the adopted plan "
                    f"({adopted.path}) but is not in the scenario; a started project cannot be dropped",
                )
            )
            continue
        c = updated.get(cand, by_id[cand])
        lo, hi = min(fixed_years), max(fixed_years)
        if c.committed_start is not None and c.committed_start not in fixed_years:
            problems.append(
                Problem(
                    label,
                    scenario.candidate_rows.get(cand),
                    "committed_start",
                    f"{c.committed_start} contradicts the adopted plan, which started '{cand}' in {lo}",
                )
            )
            continue
        earliest = min(c.earliest_start or scenario.first_year, lo)
        latest = max(c.latest_start or scenario.last_year, hi)
        deadline = c.deadline if c.deadline is None or c.deadline - c.lead_time >= hi else None
        updated[cand] = c.model_copy(
            update={"earliest_start": earliest, "latest_start": latest, "deadline": deadline}
        )
    if problems:
        raise ScenarioError(problems)
    if not updated:
        return scenario
    candidates = [updated.get(c.id, c) for c in scenario.candidates]
    return dataclasses.replace(scenario, candidates=candidates)


def replan_options(
    scenario: Scenario, adopted: AdoptedPlan, year: int, lock_years: int, price: float
) -> BuildOptions:
    """The replan as build options: the decisions before ``year + lock_years`` are as adopted,
    the yearly limits before ``year`` are history, and each other change costs ``price``."""
    starts = {cand: dict(by_year) for cand, by_year in adopted.starts.items()}
    return BuildOptions(
        fixed=FixedStarts(before=year + lock_years, starts=starts),
        relaxed_years=frozenset(range(scenario.first_year, year)),
        adopted=AdoptedStarts(starts=starts, stability_price=price),
    )


def changes_between(
    adopted: dict[str, dict[int, int]], new: dict[str, dict[int, int]]
) -> list[Change]:
    changes = []
    for cand in sorted(set(adopted) | set(new)):
        old_years, new_years = adopted.get(cand, {}), new.get(cand, {})
        old_units, new_units = sum(old_years.values()), sum(new_years.values())
        old_start = min(old_years) if old_years else None
        new_start = min(new_years) if new_years else None
        if old_years == new_years:
            continue
        if not old_years:
            kind = "added"
        elif not new_years:
            kind = "removed"
        elif old_start != new_start:
            kind = "earlier" if new_start < old_start else "later"
        else:
            kind = "units"
        changes.append(Change(cand, kind, old_start, new_start, old_units, new_units))
    return changes


def replan(
    scenario: Scenario,
    adopted: AdoptedPlan,
    year: int,
    lock_years: int = 0,
    settings: SolveSettings | None = None,
    stability_price: float | None = None,
    progress=None,
) -> tuple[Plan, list[Change]]:
    if not scenario.first_year <= year <= scenario.last_year:
        raise ScenarioError(
            [
                Problem(
                    "--year",
                    None,
                    None,
                    f"{year} is outside the horizon {scenario.first_year}-{scenario.last_year}",
                )
            ]
        )
    check_adopted(adopted, scenario)
    price = scenario.settings.replan.stability_price if stability_price is None else stability_price
    prepared = _prepare(scenario, adopted, year + lock_years)
    options = replan_options(prepared, adopted, year, lock_years, price)
    plan = run_scenario(prepared, settings, options, progress=progress)
    changes = changes_between(adopted.starts, plan.starts) if plan.has_solution else []
    return plan, changes


# ------------------------------------------------------------------------------------------
# Why: input differences and binding limits behind each change
# ------------------------------------------------------------------------------------------
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
    """Attach details to each change: its own input rows and the demand for its services."""
    demand = demand_differences(old, new) if old is not None else pd.DataFrame()
    for change in changes:
        cand = new.candidate_by_id.get(change.candidate) or (
            old.candidate_by_id.get(change.candidate) if old else None
        )
        if diffs is not None and not diffs.empty:
            own = diffs[diffs["key"].str.split(",").str[0] == change.candidate]
            for row in own.itertuples(index=False):
                if row.change == "changed":
                    change.reasons.append(
                        f"{row.table}: {row.field} changed {row.adopted} → {row.now}"
                    )
                else:
                    change.reasons.append(f"{row.table}: row {row.key} {row.change}")
        if cand is None:
            continue
        services = [c.service for c in new.capacities if c.candidate == cand.id]
        for service in services:
            d = demand[demand["service"] == service] if not demand.empty else demand
            if not d.empty:
                last = d.sort_values("year").iloc[-1]
                change.reasons.append(
                    f"demand for {service} changed by {last['change']:+,.0f} by {int(last['year'])} "
                    f"({last['adopted']:,.0f} → {last['now']:,.0f})"
                )
        if diffs is not None and not diffs.empty:
            pool_rows = diffs[
                (diffs["table"] == "budgets") & diffs["key"].str.startswith(cand.pool + ",")
            ]
            if not pool_rows.empty:
                years = ", ".join(k.split(",")[1] for k in pool_rows["key"].head(6))
                change.reasons.append(f"the {cand.pool} budget changed for {years}")
        # Shadow prices are not listed: a binding limit elsewhere (another district's coverage)
        # says nothing about this move; which input change causes it is attribute_changes' work.
        if not change.reasons:
            change.reasons.append(
                "the re-optimised plan is cheaper by more than the stability price"
            )


# ------------------------------------------------------------------------------------------
# Attribution: which input change causes which move (re-solve with each change group alone)
# ------------------------------------------------------------------------------------------
ATTRIBUTION_METHOD = (
    "each group of input changes applied alone to the adopted inputs and replanned; a move is "
    "caused by a group when that replan makes the same move"
)
# Tables whose rows belong to one candidate: a candidate's rows in them change together.
CANDIDATE_TABLES = {
    "candidates": ("candidates", "id"),
    "candidate_capacity": ("capacities", "candidate"),
    "dependencies": ("dependencies", "candidate"),
}
# The other tables: the Scenario field each replaces.
TABLE_FIELDS = {
    "existing_assets": "existing_assets",
    "population": "population",
    "budgets": "budgets",
    "department_budgets": "department_budgets",
    "staff": "staff",
    "policy_years": "policy_years",
    "scenario.toml": "settings",
}
TOGETHER = "together"  # a move no single group causes alone


@dataclass
class ChangeGroup:
    """Input changes that are applied together: one candidate's rows, or one table."""

    key: str  # "candidate:WATER-2", "population", "budgets", "scenario.toml", …
    rows: int  # rows of input_changes.csv it covers
    cost: float | None = None  # MSEK: plan cost with this change alone − with none
    moves: list[str] = field(default_factory=list)  # candidates it moves when applied alone
    note: str = ""  # why it could not be applied alone

    @property
    def table(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def candidate(self) -> str | None:
        return self.key.split(":", 1)[1] if ":" in self.key else None


@dataclass
class Attribution:
    method: str
    groups: list[ChangeGroup]
    stability_price: float  # MSEK per candidate moved, added or removed
    unchanged_cost: float | None  # the replan with the adopted inputs (none changed)
    cost: float | None  # the replan with every change, without the stability term
    stability_paid: float  # price × changes made
    free_cost: float | None  # the replan with every change and no stability price
    free_changes: int | None  # how many changes that free replan makes

    @property
    def stability_cost(self) -> float | None:
        """What keeping the plan stable costs: the plan's cost above a free re-optimisation."""
        if self.cost is None or self.free_cost is None:
            return None
        return self.cost - self.free_cost


def change_groups(diffs: pd.DataFrame) -> list[ChangeGroup]:
    """The input changes grouped as a planner names them: per candidate, else per table."""
    counts: dict[str, int] = {}
    for row in diffs.itertuples(index=False):
        if row.table in CANDIDATE_TABLES:
            key = f"candidate:{str(row.key).split(',')[0]}"
        else:
            key = str(row.table)
        counts[key] = counts.get(key, 0) + 1
    return [ChangeGroup(key, rows) for key, rows in counts.items()]


def with_change(old: Scenario, new: Scenario, group: ChangeGroup) -> Scenario:
    """The adopted inputs with only ``group``'s changes taken from this year's inputs."""
    if group.candidate is not None:
        update = {}
        for _table, (name, column) in CANDIDATE_TABLES.items():
            kept = [r for r in getattr(old, name) if getattr(r, column) != group.candidate]
            taken = [r for r in getattr(new, name) if getattr(r, column) == group.candidate]
            update[name] = kept + taken
        return dataclasses.replace(old, **update)
    name = TABLE_FIELDS[group.table]
    return dataclasses.replace(old, **{name: getattr(new, name)})


def _planning_cost(plan: Plan) -> float | None:
    if not plan.has_solution:
        return None
    return plan.objective - plan.objective_terms.get("stability", 0.0)


def attribute_changes(
    changes: list[Change],
    plan: Plan,
    old: Scenario,
    new: Scenario,
    diffs: pd.DataFrame,
    adopted: AdoptedPlan,
    year: int,
    lock_years: int = 0,
    settings: SolveSettings | None = None,
    stability_price: float | None = None,
) -> Attribution:
    """Link each move to the input changes that cause it, and price each change.

    One replan per change group (the group alone on the adopted inputs), one with no change
    (the baseline), one with every change and no stability price (what stability bought).
    Each change gets ``causes``: the groups that make the same move alone, or ``TOGETHER``.
    """
    price = new.settings.replan.stability_price if stability_price is None else stability_price

    def replanned(scenario: Scenario, price_: float | None = stability_price):
        return replan(scenario, adopted, year, lock_years, settings, price_)

    unchanged_plan, _ = replanned(old)
    unchanged = _planning_cost(unchanged_plan)
    groups = change_groups(diffs)
    for group in groups:
        try:
            alone, moves = replanned(with_change(old, new, group))
        except (ScenarioError, ValueError, KeyError) as exc:  # a change that needs another
            group.note = f"cannot be applied alone ({exc})"
            continue
        if not alone.has_solution:
            group.note = f"alone it leaves no plan ({alone.status})"
            continue
        cost = _planning_cost(alone)
        group.cost = None if cost is None or unchanged is None else cost - unchanged
        wanted = {_move(c) for c in changes}
        group.moves = sorted(c.candidate for c in moves if _move(c) in wanted)
    for change in changes:
        change.causes = [g.key for g in groups if change.candidate in g.moves] or [TOGETHER]
    free_plan, free_changes = replanned(new, 0.0)
    return Attribution(
        method=ATTRIBUTION_METHOD,
        groups=groups,
        stability_price=price,
        unchanged_cost=unchanged,
        cost=_planning_cost(plan),
        stability_paid=plan.objective_terms.get("stability", 0.0) if plan.has_solution else 0.0,
        free_cost=_planning_cost(free_plan),
        free_changes=len(free_changes) if free_plan.has_solution else None,
    )


def _move(change: Change) -> tuple:
    return (change.candidate, change.kind, change.new_start, change.new_units)
