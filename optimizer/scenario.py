"""Validate a raw scenario into the typed ``Scenario`` that the rest of capplan trusts.

All checks live here: cell types (via the row models of ``optimizer.schema``), then cross-checks
between tables. Every problem found is collected and reported together, each naming file, row
and field, so that a planner can fix a whole sheet in one pass.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from optimizer import schema
from optimizer.errors import Problem, ScenarioError
from optimizer.io.raw import RawScenario, RawTable

PROFILE_TOLERANCE = 1e-6
ALL_DISTRICTS = ""  # district key of municipality-wide coverage rows


@dataclass(frozen=True)
class Scenario:
    """A validated scenario for one variant. Build with ``optimizer.load_scenario``."""

    root: Path
    variant: str
    settings: schema.Settings
    candidates: list[schema.Candidate]
    capacities: list[schema.CandidateCapacity]
    dependencies: list[schema.Dependency]
    existing_assets: list[schema.ExistingAsset]
    population: pd.DataFrame  # this variant: year, district, age_group, population
    budgets: list[schema.BudgetRow]  # budget_factor applied (department budgets too)
    department_budgets: list[schema.DepartmentBudgetRow]
    staff: list[schema.StaffRow]
    policy_years: list[schema.PolicyYearRow]
    source_files: tuple[Path, ...] = ()
    table_labels: dict[str, str] = field(default_factory=dict)  # table -> file label
    candidate_rows: dict[str, int] = field(default_factory=dict)  # candidate id -> row number

    # ---- convenient views -------------------------------------------------------------
    @property
    def first_year(self) -> int:
        return self.settings.scenario.first_year

    @property
    def last_year(self) -> int:
        return self.settings.scenario.last_year

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def variants(self) -> list[str]:
        return list(self.settings.variants)

    @cached_property
    def candidate_by_id(self) -> dict[str, schema.Candidate]:
        return {c.id: c for c in self.candidates}

    @cached_property
    def service_by_id(self) -> dict[str, schema.Service]:
        return {s.id: s for s in self.settings.services}

    @cached_property
    def department_by_id(self) -> dict[str, schema.Department]:
        return {d.id: d for d in self.settings.departments}

    @cached_property
    def pool_by_id(self) -> dict[str, schema.FundingPool]:
        return {p.id: p for p in self.settings.pools}

    def spend_profile(self, candidate: schema.Candidate) -> list[float]:
        """Shares of capex per year from the start year; even over the lead time when not given."""
        if candidate.spend_profile:
            return list(candidate.spend_profile)
        years = max(candidate.lead_time, 1)
        return [1.0 / years] * years

    @cached_property
    def start_windows(self) -> dict[str, tuple[int, int]]:
        return start_windows(self)[0]

    @cached_property
    def demand(self) -> pd.DataFrame:
        from optimizer.population import demand_table

        return demand_table(self)

    def summary(self) -> dict[str, Any]:
        return {
            "scenario": self.settings.scenario.name,
            "variant": self.variant,
            "candidates": len(self.candidates),
            "departments": [d.id for d in self.settings.departments],
            "services": [s.id for s in self.settings.services],
            "districts": [d.id for d in self.settings.districts],
            "pools": [p.id for p in self.settings.pools],
            "variants": self.variants,
            "years": [self.first_year, self.last_year],
        }


# ======================================================================================
# Parsing
# ======================================================================================
def _deep_merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _loc_to_field(loc: tuple) -> str:
    text = ""
    for item in loc:
        text += f"[{item + 1}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text


def _plain(error: dict) -> str:
    """Pydantic's messages, reworded where they would puzzle a spreadsheet user."""
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "missing":
        return "is required but missing"
    if value is None and kind in {"float_type", "int_type", "string_type", "bool_type"}:
        return "is empty but a value is required"
    if kind == "finite_number":  # nan or inf, which TOML and JSON accept
        return f"'{value}' is not a finite number"
    if kind == "extra_forbidden":
        return "is not a known setting (check the spelling)"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error.get("msg")))
    message = error.get("msg", "is not valid")
    message = message.replace("Input should be", "must be").replace(
        "String should have", "must have"
    )
    if value not in (None, "") and not isinstance(value, dict | list):
        message += f" (got '{value}')"
    return message


def _validate_settings(data: dict, label: str) -> tuple[schema.Settings | None, list[Problem]]:
    try:
        return schema.Settings.model_validate(data), []
    except ValidationError as exc:
        return None, [
            Problem(label, None, _loc_to_field(e["loc"]), _plain(e)) for e in exc.errors()
        ]


def _table_rows(
    table: RawTable, model: type[BaseModel]
) -> tuple[list[tuple[int, Any]], list[Problem]]:
    problems: list[Problem] = []
    known = set(model.model_fields)
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    unknown = [c for c in table.columns if c not in known]
    for column in unknown:
        problems.append(
            Problem(
                table.label,
                1,
                column,
                f"is not a known column; known columns: {', '.join(model.model_fields)}",
            )
        )
    missing = sorted(required - set(table.columns))
    for column in missing:
        problems.append(Problem(table.label, 1, column, "column is missing"))
    if missing:
        return [], problems
    parsed: list[tuple[int, Any]] = []
    for number, cells in table.rows:
        # An empty cell takes the column's default (docs/scenario-format.md); only an empty
        # cell in a required column is a problem.
        data = {
            k: v for k, v in cells.items() if k in known and (k in required or not schema._blank(v))
        }
        try:
            parsed.append((number, model.model_validate(data)))
        except ValidationError as exc:
            for e in exc.errors():
                problems.append(Problem(table.label, number, _loc_to_field(e["loc"]), _plain(e)))
    return parsed, problems


_SAFE_STEM = re.compile(r"^[A-Za-z0-9_.\- ]+$")


def parse(raw: RawScenario, variant: str | None = None) -> Scenario:
    """Validate ``raw`` for one variant; raise ``ScenarioError`` listing every problem."""
    try:
        scenario = _parse(raw, variant)
        problems: list[Problem] = []
    except ScenarioError as exc:
        problems = [_locate(p, raw) for p in exc.problems]
    if raw.problems:
        # A cell the reader could not take (a formula without a value) is reported once, by it.
        spots = {(p.file, p.field, p.row) for p in raw.problems} | {
            (p.file, p.field, None) for p in raw.problems
        }
        problems = [p for p in problems if (p.file, p.field, p.row) not in spots] + raw.problems
    if problems:
        raise ScenarioError(problems)
    return scenario


def parse_variants(raw: RawScenario, variants: list[str] | None = None) -> dict[str, Scenario]:
    """Validate every variant (or those named): the scenarios by variant, or one ``ScenarioError``.

    Problems are collected across variants; one found in some variants only says which.
    """
    base, _ = _validate_settings(raw.settings, raw.settings_label)
    if base is None:
        return {"": parse(raw)}  # raises: the base settings are invalid in every variant
    names: list[str | None] = list(variants or base.variants) or [None]
    scenarios: dict[str, Scenario] = {}
    found: dict[Problem, list[str]] = {}
    for name in names:
        try:
            scenario = parse(raw, name)
            scenarios[scenario.variant] = scenario
        except ScenarioError as exc:
            for problem in exc.problems:
                found.setdefault(problem, []).append(name or "")
    if not found:
        return scenarios
    problems = []
    for problem, where in found.items():
        named = len(where) == 1 and f"variant '{where[0]}'" in problem.message
        if len(where) < len(names) and not named:
            which = ", ".join(f"'{w}'" for w in where)
            problem = Problem(
                problem.file,
                problem.row,
                problem.field,
                f"variant{'s' if len(where) > 1 else ''} {which}: {problem.message}",
            )
        problems.append(problem)
    raise ScenarioError(problems)


def _locate(problem: Problem, raw: RawScenario) -> Problem:
    """A settings problem moved to the sheet and row where the field stands (workbooks)."""
    if problem.file != raw.settings_label or not problem.field:
        return problem
    field_name = problem.field
    matches = [
        path
        for path in raw.settings_locations
        if field_name == path or field_name.startswith((f"{path}.", f"{path}[", f"{path} "))
    ]
    if not matches:
        return problem
    path = max(matches, key=len)
    label, row, drop_path = raw.settings_locations[path]
    if drop_path:
        field_name = field_name[len(path) :].lstrip(". ") or None
    return Problem(label, row, field_name, problem.message)


def _parse(raw: RawScenario, variant: str | None) -> Scenario:
    label = raw.settings_label
    base, problems = _validate_settings(raw.settings, label)
    if base is None:
        raise ScenarioError(problems + _cell_problems(raw))

    variant_name = (
        variant or base.scenario.default_variant or (next(iter(base.variants), None)) or "base"
    )
    if base.variants and variant_name not in base.variants:
        raise ScenarioError(
            [
                Problem(
                    label,
                    None,
                    "variants",
                    f"unknown variant '{variant_name}'; choose one of {', '.join(base.variants)}",
                )
            ]
        )
    chosen = base.variants.get(variant_name, schema.Variant())
    settings = base
    if chosen.settings:
        forbidden = {"variants"} & set(chosen.settings)
        if forbidden:
            problems.append(
                Problem(
                    label, None, f"variants.{variant_name}.settings", "cannot override variants"
                )
            )
        settings, more = _validate_settings(_deep_merge(raw.settings, chosen.settings), label)
        problems += [
            Problem(p.file, p.row, f"variants.{variant_name}.settings → {p.field}", p.message)
            for p in more
        ]
        if settings is None:
            raise ScenarioError(problems + _cell_problems(raw))

    # ---- tables -----------------------------------------------------------------------
    rows: dict[str, list[tuple[int, Any]]] = {}
    labels: dict[str, str] = {}
    for name in schema.TABLE_NAMES:
        stem = chosen.tables.get(name) or settings.tables.get(name) or name
        stem = stem.removesuffix(".csv")
        labels[name] = raw.table_label(stem)
        if not _SAFE_STEM.fullmatch(stem) or ".." in stem:
            where = (
                f"variants.{variant_name}.tables.{name}"
                if name in chosen.tables
                else f"tables.{name}"
            )
            problems.append(
                Problem(
                    label, None, where, f"'{stem}' must be a file name inside the scenario folder"
                )
            )
            rows[name] = []
            continue
        table = raw.tables.get(stem)
        if table is None:
            if name in schema.REQUIRED_TABLES:
                problems.append(
                    Problem(labels[name], None, None, "is missing: this table is required")
                )
            elif stem != name and name not in chosen.tables:  # named in [tables], not there
                problems.append(
                    Problem(
                        label,
                        None,
                        f"tables.{name}",
                        f"'{stem}' not found: there is no {labels[name]}",
                    )
                )
            rows[name] = []
            continue
        labels[name] = table.label
        rows[name], more = _table_rows(table, schema.ROW_MODELS[name])
        problems += more

    population = _population_frame(
        rows["population"], chosen.population or variant_name, labels, problems
    )
    budgets = [
        (n, r.model_copy(update={"ceiling": r.ceiling * chosen.budget_factor}))
        for n, r in rows["budgets"]
    ]
    scenario = Scenario(
        root=raw.root,
        variant=variant_name,
        settings=settings,
        candidates=[r for _, r in rows["candidates"]],
        capacities=[r for _, r in rows["candidate_capacity"]],
        dependencies=[r for _, r in rows["dependencies"]],
        existing_assets=[r for _, r in rows["existing_assets"]],
        population=population,
        budgets=[r for _, r in budgets],
        department_budgets=[
            r.model_copy(update={"ceiling": r.ceiling * chosen.budget_factor})
            for _, r in rows["department_budgets"]
        ],
        staff=[r for _, r in rows["staff"]],
        policy_years=[r for _, r in rows["policy_years"]],
        source_files=tuple(raw.source_files),
        table_labels=labels,
        candidate_rows={r.id: n for n, r in rows["candidates"]},
    )
    problems += cross_check(scenario, settings, rows, labels, label, raw)
    if problems:
        raise ScenarioError(problems)
    return scenario


def _cell_problems(raw: RawScenario) -> list[Problem]:
    """Cell types of every table, checked even when the settings are too broken to go on."""
    tables = raw.settings.get("tables") if isinstance(raw.settings.get("tables"), dict) else {}
    problems: list[Problem] = []
    for name in schema.TABLE_NAMES:
        stem = tables.get(name) if isinstance(tables.get(name), str) else name
        table = raw.tables.get(stem.removesuffix(".csv"))
        if table is not None:
            problems += _table_rows(table, schema.ROW_MODELS[name])[1]
    return problems


def _population_frame(
    rows: list[tuple[int, schema.PopulationRow]],
    variant: str,
    labels: dict,
    problems: list[Problem],
) -> pd.DataFrame:
    records = [
        {
            "year": r.year,
            "district": r.district or ALL_DISTRICTS,
            "age_group": r.age_group,
            "population": r.population,
        }
        for _, r in rows
        if r.variant == variant
    ]
    if rows and not records:
        variants = sorted({r.variant for _, r in rows})
        problems.append(
            Problem(
                labels["population"],
                None,
                "variant",
                f"has no rows for variant '{variant}' (found: {', '.join(variants)})",
            )
        )
    frame = pd.DataFrame(records, columns=["year", "district", "age_group", "population"])
    return frame.astype({"year": "int64", "population": "float64"})


# ======================================================================================
# Cross-checks
# ======================================================================================
def start_windows(scenario: Scenario) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    """Start windows tightened by horizon, deadline, commitment and precedence (MODEL.md §3).

    A successor cannot start before its predecessor can be in service; spending must fit in the
    horizon. Returns the windows and a problem for every candidate left with no possible start.
    """
    first, last = scenario.first_year, scenario.last_year
    label = scenario.table_labels.get("candidates", "candidates.csv")
    windows: dict[str, tuple[int, int]] = {}
    for c in scenario.candidates:
        spend_years = len(scenario.spend_profile(c))
        earliest = max(first, c.earliest_start if c.earliest_start is not None else first)
        latest = min(last - spend_years + 1, c.latest_start if c.latest_start is not None else last)
        if c.deadline is not None:
            latest = min(latest, c.deadline - c.lead_time)
        if c.committed_start is not None:
            earliest, latest = c.committed_start, c.committed_start
        windows[c.id] = (earliest, latest)
    # Propagate precedence to a fixed point; dependencies are acyclic (checked first).
    by_id = scenario.candidate_by_id
    for _ in range(len(scenario.dependencies) + 1):
        changed = False
        for d in scenario.dependencies:
            if d.candidate not in windows or d.requires not in windows:
                continue
            p, q = by_id[d.candidate], by_id[d.requires]
            q_earliest = windows[d.requires][0]
            if d.kind == "in_service_before_start":
                bound = q_earliest + q.lead_time + d.lag
            else:
                bound = q_earliest + q.lead_time + d.lag - p.lead_time
            if bound > windows[d.candidate][0]:
                windows[d.candidate] = (bound, windows[d.candidate][1])
                changed = True
        if not changed:
            break
    problems = []
    for c in scenario.candidates:
        earliest, latest = windows[c.id]
        if earliest > latest:
            why = []
            if c.committed_start is not None:
                why.append(f"committed start {c.committed_start}")
            if c.deadline is not None:
                why.append(f"deadline {c.deadline} with lead time {c.lead_time}")
            why.append(f"spending over {len(scenario.spend_profile(c))} year(s) must end by {last}")
            if any(d.candidate == c.id for d in scenario.dependencies):
                why.append("its predecessors' earliest in-service years")
            field_name = "committed_start" if c.committed_start is not None else "earliest_start"
            problems.append(
                Problem(
                    label,
                    scenario.candidate_rows.get(c.id),
                    field_name,
                    f"candidate '{c.id}' has no possible start year: earliest {earliest} > latest {latest} "
                    f"({'; '.join(why)})",
                )
            )
    return windows, problems


def _duplicates(rows, key, table_label, field_name, what) -> list[Problem]:
    seen: dict = {}
    problems = []
    for number, row in rows:
        k = key(row)
        if k in seen:
            problems.append(
                Problem(
                    table_label,
                    number,
                    field_name,
                    f"duplicate {what} {k!r} (first on row {seen[k]})",
                )
            )
        else:
            seen[k] = number
    return problems


def _find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, [])):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def cross_check(
    scenario: Scenario,
    settings: schema.Settings,
    rows: dict,
    labels: dict,
    settings_label: str,
    raw: RawScenario,
) -> list[Problem]:
    problems: list[Problem] = []
    s = settings
    first, last = s.scenario.first_year, s.scenario.last_year
    years = set(range(first, last + 1))
    L = labels

    def dup_settings(items, what):
        seen = set()
        for i, item in enumerate(items, start=1):
            if item.id in seen:
                problems.append(
                    Problem(
                        settings_label, None, f"{what}[{i}].id", f"duplicate {what} id '{item.id}'"
                    )
                )
            seen.add(item.id)

    # ---- settings -----------------------------------------------------------------------
    if first > last:
        problems.append(
            Problem(
                settings_label, None, "scenario.last_year", f"{last} is before first_year {first}"
            )
        )
    dup_settings(s.departments, "departments")
    dup_settings(s.services, "services")
    dup_settings(s.districts, "districts")
    dup_settings(s.pools, "pools")
    departments = {d.id for d in s.departments}
    services = {x.id: x for x in s.services}
    districts = {d.id for d in s.districts}
    pools = {p.id for p in s.pools}
    if s.scenario.default_variant and s.variants and s.scenario.default_variant not in s.variants:
        problems.append(
            Problem(
                settings_label,
                None,
                "scenario.default_variant",
                f"'{s.scenario.default_variant}' is not a variant",
            )
        )
    for i, svc in enumerate(s.services, start=1):
        if svc.department not in departments:
            problems.append(
                Problem(
                    settings_label,
                    None,
                    f"services[{i}].department",
                    f"unknown department '{svc.department}'",
                )
            )
        if svc.by_district and not districts:
            problems.append(
                Problem(
                    settings_label,
                    None,
                    f"services[{i}].by_district",
                    "is true but the scenario defines no districts",
                )
            )
        if not svc.demand_rates and svc.fixed_need == 0:
            problems.append(
                Problem(settings_label, None, f"services[{i}].demand_rates", "gives no demand rule")
            )
    for i, dist in enumerate(s.districts, start=1):
        for n in dist.neighbours:
            if n not in districts:
                problems.append(
                    Problem(
                        settings_label,
                        None,
                        f"districts[{i}].neighbours",
                        f"unknown district '{n}'",
                    )
                )
    if s.debt is not None:
        for pool in s.debt.pools:
            if pool not in pools:
                problems.append(
                    Problem(settings_label, None, "debt.pools", f"unknown pool '{pool}'")
                )
    for name, v in s.variants.items():
        for table_name in v.tables:
            if table_name not in schema.TABLE_NAMES:
                problems.append(
                    Problem(
                        settings_label,
                        None,
                        f"variants.{name}.tables",
                        f"unknown table '{table_name}'",
                    )
                )
            elif not raw.has_table(stem := v.tables[table_name].removesuffix(".csv")):
                problems.append(
                    Problem(
                        settings_label,
                        None,
                        f"variants.{name}.tables.{table_name}",
                        f"'{v.tables[table_name]}' not found: there is no {raw.table_label(stem)}",
                    )
                )

    # ---- candidates ---------------------------------------------------------------------
    cand_rows = rows["candidates"]
    problems += _duplicates(cand_rows, lambda r: r.id, L["candidates"], "id", "candidate id")
    by_district_services = {x.id for x in s.services if x.by_district}
    capacity_services: dict[str, set[str]] = defaultdict(set)
    for _, r in rows["candidate_capacity"]:
        capacity_services[r.candidate].add(r.service)
    groups: dict[str, list[tuple[int, schema.Candidate]]] = defaultdict(list)
    for n, c in cand_rows:
        lab = L["candidates"]
        if c.department not in departments:
            problems.append(Problem(lab, n, "department", f"unknown department '{c.department}'"))
        if c.pool not in pools:
            problems.append(Problem(lab, n, "pool", f"unknown funding pool '{c.pool}'"))
        if c.district is not None and c.district not in districts:
            problems.append(Problem(lab, n, "district", f"unknown district '{c.district}'"))
        if c.district is None and capacity_services[c.id] & by_district_services:
            planned = ", ".join(sorted(capacity_services[c.id] & by_district_services))
            problems.append(
                Problem(lab, n, "district", f"is empty, but {planned} is planned per district")
            )
        profile = c.spend_profile
        if profile:
            if any(v < 0 for v in profile):
                problems.append(Problem(lab, n, "spend_profile", "has a negative share"))
            total = sum(profile)
            if abs(total - 1.0) > PROFILE_TOLERANCE:
                problems.append(Problem(lab, n, "spend_profile", f"shares sum to {total:g}, not 1"))
            if len(profile) > max(c.lead_time, 1):
                problems.append(
                    Problem(
                        lab,
                        n,
                        "spend_profile",
                        f"spends over {len(profile)} years but the lead time is {c.lead_time}",
                    )
                )
        for fld in ("earliest_start", "latest_start", "committed_start"):
            year = getattr(c, fld)
            if year is not None and year not in years:
                problems.append(
                    Problem(lab, n, fld, f"{year} is outside the horizon {first}-{last}")
                )
        if (
            c.earliest_start is not None
            and c.latest_start is not None
            and c.earliest_start > c.latest_start
        ):
            problems.append(
                Problem(
                    lab,
                    n,
                    "latest_start",
                    f"{c.latest_start} is before earliest_start {c.earliest_start}",
                )
            )
        if c.committed_start is not None:
            lo = c.earliest_start if c.earliest_start is not None else first
            hi = c.latest_start if c.latest_start is not None else last
            if not lo <= c.committed_start <= hi:
                problems.append(
                    Problem(
                        lab,
                        n,
                        "committed_start",
                        f"{c.committed_start} is outside its start window {lo}-{hi}",
                    )
                )
        if c.deadline is not None and c.deadline - c.lead_time < first:
            problems.append(
                Problem(
                    lab,
                    n,
                    "deadline",
                    f"{c.deadline} cannot be met: lead time {c.lead_time} needs a start before {first}",
                )
            )
        if c.lead_time > last - first + 1 and c.committed_start is None:
            problems.append(
                Problem(
                    lab,
                    n,
                    "lead_time",
                    f"{c.lead_time} years does not fit the horizon {first}-{last}",
                )
            )
        if c.exclusive_group:
            groups[c.exclusive_group].append((n, c))
    for group, members in groups.items():
        forced = [
            c.id
            for _, c in members
            if c.must_do or c.committed_start is not None or c.deadline is not None
        ]
        if len(forced) > 1:
            n = members[-1][0]
            problems.append(
                Problem(
                    L["candidates"],
                    n,
                    "exclusive_group",
                    f"group '{group}' has more than one must-do or committed candidate: {', '.join(forced)}",
                )
            )

    ids = {c.id for _, c in cand_rows}
    units = {c.id: c.max_units for _, c in cand_rows}

    # ---- capacity -------------------------------------------------------------------------
    lab = L["candidate_capacity"]
    problems += _duplicates(
        rows["candidate_capacity"],
        lambda r: (r.candidate, r.service),
        lab,
        "service",
        "candidate and service",
    )
    for n, r in rows["candidate_capacity"]:
        if r.candidate not in ids:
            problems.append(Problem(lab, n, "candidate", f"unknown candidate '{r.candidate}'"))
        if r.service not in services:
            problems.append(Problem(lab, n, "service", f"unknown service '{r.service}'"))

    # ---- dependencies -----------------------------------------------------------------
    lab = L["dependencies"]
    edges: dict[str, list[str]] = defaultdict(list)
    problems += _duplicates(
        rows["dependencies"], lambda r: (r.candidate, r.requires), lab, "requires", "dependency"
    )
    for n, d in rows["dependencies"]:
        ok = True
        for fld in ("candidate", "requires"):
            if getattr(d, fld) not in ids:
                problems.append(Problem(lab, n, fld, f"unknown candidate '{getattr(d, fld)}'"))
                ok = False
        if d.kind not in schema.DEPENDENCY_KINDS:
            problems.append(
                Problem(
                    lab, n, "kind", f"'{d.kind}' is not one of {', '.join(schema.DEPENDENCY_KINDS)}"
                )
            )
        if d.candidate == d.requires:
            problems.append(
                Problem(lab, n, "requires", f"candidate '{d.candidate}' cannot depend on itself")
            )
            ok = False
        if ok and units.get(d.requires, 1) > 1:
            problems.append(
                Problem(
                    lab,
                    n,
                    "requires",
                    f"'{d.requires}' has max_units > 1; a predecessor must be a single project",
                )
            )
        if ok:
            edges[d.requires].append(d.candidate)
    cycle = _find_cycle(edges)
    if cycle:
        problems.append(
            Problem(lab, None, "requires", "dependencies form a cycle: " + " → ".join(cycle))
        )

    # ---- existing assets ----------------------------------------------------------------
    lab = L["existing_assets"]
    problems += _duplicates(rows["existing_assets"], lambda r: r.id, lab, "id", "asset id")
    for n, a in rows["existing_assets"]:
        if a.service not in services:
            problems.append(Problem(lab, n, "service", f"unknown service '{a.service}'"))
        elif a.district is None and a.service in by_district_services:
            problems.append(
                Problem(lab, n, "district", f"is empty, but {a.service} is planned per district")
            )
        if a.district is not None and a.district not in districts:
            problems.append(Problem(lab, n, "district", f"unknown district '{a.district}'"))

    # ---- population -------------------------------------------------------------------
    lab = L["population"]
    problems += _duplicates(
        rows["population"],
        lambda r: (r.variant, r.year, r.district or "", r.age_group),
        lab,
        "age_group",
        "population row",
    )
    for n, r in rows["population"]:
        if r.district is not None and r.district not in districts:
            problems.append(Problem(lab, n, "district", f"unknown district '{r.district}'"))
    pop = scenario.population
    if not pop.empty:
        groups_present = set(pop["age_group"])
        with_district = pop["district"] != ALL_DISTRICTS
        if with_district.any() and not with_district.all():
            problems.append(
                Problem(
                    lab,
                    None,
                    "district",
                    f"variant '{scenario.variant}' mixes rows with and without a district; use one or the other",
                )
            )
        needed_groups: set[str] = set()
        for i, svc in enumerate(s.services, start=1):
            for group in svc.demand_rates:
                if group == "total":
                    needed_groups |= groups_present
                elif group not in groups_present:
                    problems.append(
                        Problem(
                            settings_label,
                            None,
                            f"services[{i}].demand_rates",
                            f"age group '{group}' is not in {lab}",
                        )
                    )
                else:
                    needed_groups.add(group)
        for group in sorted(needed_groups):
            present = set(pop.loc[pop["age_group"] == group, "year"])
            missing = sorted(years - present)
            if missing:
                problems.append(
                    Problem(
                        lab,
                        None,
                        "year",
                        f"variant '{scenario.variant}', age group '{group}' has no population for {_years(missing)}",
                    )
                )
        if by_district_services and not with_district.any():
            problems.append(
                Problem(
                    lab,
                    None,
                    "district",
                    "services planned per district need population per district",
                )
            )
        if with_district.any():
            for group in sorted(needed_groups):
                sub = pop[pop["age_group"] == group]
                for dist in sorted(districts):
                    missing = sorted(years - set(sub.loc[sub["district"] == dist, "year"]))
                    if missing:
                        problems.append(
                            Problem(
                                lab,
                                None,
                                "district",
                                f"district '{dist}', age group '{group}' has no population for {_years(missing)}",
                            )
                        )

    # ---- budgets and yearly tables --------------------------------------------------------
    lab = L["budgets"]
    problems += _duplicates(
        rows["budgets"], lambda r: (r.pool, r.year), lab, "year", "pool and year"
    )
    for n, r in rows["budgets"]:
        if r.pool not in pools:
            problems.append(Problem(lab, n, "pool", f"unknown funding pool '{r.pool}'"))
    used_pools = sorted({c.pool for _, c in cand_rows if c.pool in pools})
    for pool in used_pools:
        present = {r.year for _, r in rows["budgets"] if r.pool == pool}
        missing = sorted(years - present)
        if missing:
            problems.append(
                Problem(lab, None, "year", f"pool '{pool}' has no budget for {_years(missing)}")
            )
    for table, key_field in (("department_budgets", "department"), ("staff", "department")):
        lab = L[table]
        problems += _duplicates(
            rows[table], lambda r: (r.department, r.year), lab, "year", "department and year"
        )
        for n, r in rows[table]:
            if r.department not in departments:
                problems.append(Problem(lab, n, key_field, f"unknown department '{r.department}'"))
    lab = L["staff"]
    for dept in sorted({r.department for _, r in rows["staff"]} & departments):
        missing = sorted(years - {r.year for _, r in rows["staff"] if r.department == dept})
        if missing:
            problems.append(
                Problem(
                    lab,
                    None,
                    "year",
                    f"department '{dept}' has no recruitable staff for {_years(missing)}",
                )
            )
    lab = L["policy_years"]
    problems += _duplicates(rows["policy_years"], lambda r: r.year, lab, "year", "year")
    if s.debt is not None and rows["policy_years"]:
        missing = sorted(years - {r.year for _, r in rows["policy_years"]})
        if missing:
            problems.append(
                Problem(lab, None, "year", f"debt rules need every year; missing {_years(missing)}")
            )

    # ---- windows (after precedence) -----------------------------------------------------
    if not problems:
        problems += start_windows(scenario)[1]
    return problems


def _years(years: list[int]) -> str:
    if len(years) > 4 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)
