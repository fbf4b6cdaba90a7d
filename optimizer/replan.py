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
it is read, hashed and never modified. What changed in the inputs and why a move is
``optimizer/replan_inputs.py``; which change causes which move, ``optimizer/replan_attribution.py``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

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
    # details of the move, each a sentence by report language {"sv": …, "en": …}
    reasons: list[dict[str, str]] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)  # change groups (attribute_changes)

    def reasons_in(self, lang: str) -> list[str]:
        return [reason[lang] for reason in self.reasons]

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
