"""Property tests: random valid scenarios solve, check and agree; random corruptions are refused.

A Hypothesis strategy builds small *valid* scenarios as folders (``scenario.toml`` + CSV) with
the features of real ones: 1-2 departments, 1-3 services (sometimes planned per district, with
neighbour shares), 3-10 candidates with random capex, spend profiles, lead times, start windows,
lifetimes and modular units, acyclic dependencies of both kinds, exclusive groups, occasional
must-do / deadline / committed candidates (kept affordable: every hard limit leaves room for
the forced projects), budgets with and without carry-over, optional debt, CO2e caps, staff and
delivery limits, cost or value objective, sometimes a second variant. Files come as Excel
writes them in any locale (``;`` and decimal commas in Windows-1252, UTF-8 with a BOM and CRLF),
and cells that hold a default are sometimes left empty. Properties:

(a) every such scenario loads; a solved plan passes the independent checker and its objective
    is the recomputed one; an infeasible one gets a diagnosis naming at least one conflict;
(b) HiGHS and CBC agree on status and objective (relative 1e-6);
(c) a corrupted file (column deleted, text in a number cell, required cell blanked, row
    duplicated, unknown id, junk bytes, truncation) gives a ``ScenarioError`` naming file, row
    and field where one applies; ``capplan run`` exits with 2 and prints no traceback;
and folder -> workbook -> folder loses nothing; the same input gives the same plan with 1 or 2
solver threads (on a generated scenario of 30 candidates).

Settings are modest and derandomized, so CI runs the same examples every time. Bugs found are
kept as explicit examples (``@example``) and tests at the end of the file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st
from scenario_factory import ROOT, tiny_copy

import optimizer
from optimizer import schema
from optimizer.check import check_plan, recompute_objective
from optimizer.diagnose import diagnose
from optimizer.errors import EXIT_INVALID_INPUT, ScenarioError
from optimizer.io import convert
from optimizer.io.tomlwrite import assignment
from optimizer.run import run_scenario
from optimizer.solve import SolveSettings

FIRST = 2026
AGE_GROUPS = ("young", "old")
PROPERTY_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

COLUMNS = {
    "candidates": [
        "id", "name", "department", "district", "capex", "spend_profile", "lead_time",
        "earliest_start", "latest_start", "lifetime", "opex", "staff_fte", "embodied_co2e_t",
        "operational_co2e_t", "pool", "grant_share", "must_do", "deadline", "committed_start",
        "exclusive_group", "value", "max_units",
    ],
    "candidate_capacity": ["candidate", "service", "capacity"],
    "dependencies": ["candidate", "requires", "kind", "lag"],
    "existing_assets": ["id", "name", "service", "district", "capacity", "retirement_year"],
    "population": ["variant", "year", "district", "age_group", "population"],
    "budgets": ["pool", "year", "ceiling"],
    "department_budgets": ["department", "year", "ceiling"],
    "staff": ["department", "year", "recruitable_fte"],
    "policy_years": [
        "year", "co2e_cap_t", "existing_co2e_t", "max_projects_under_construction",
        "self_financing", "debt_ceiling",
    ],
    "emergency_options": [
        "id", "name", "kind", "service", "district", "cost", "max_units", "first_year", "last_year",
    ],
    "other_investments": ["year", "pool", "department", "amount", "lifetime", "description"],
}  # fmt: skip


# ======================================================================================
# A valid random scenario, as data, and how it is written to a folder
# ======================================================================================
@dataclass
class Spec:
    """A scenario as plain data: TOML sections and CSV rows (cells as text or numbers)."""

    scenario: dict
    departments: list[dict]
    services: list[dict]
    districts: list[dict]
    pools: list[dict]
    climate: dict = field(default_factory=dict)
    debt: dict | None = None
    tables: dict[str, list[dict]] = field(default_factory=dict)
    style: str = "plain"  # how the CSV files are written: a key of CSV_STYLES
    variants: dict[str, dict] = field(default_factory=dict)
    variant: str | None = None  # the variant the tests load (None: the default)

    def toml(self) -> str:
        lines = ["[scenario]", *_assignments(self.scenario)]
        if self.climate:
            lines += ["", "[climate]", *_assignments(self.climate)]
        if self.debt is not None:
            lines += ["", "[debt]", *_assignments(self.debt)]
        for section, items in (
            ("departments", self.departments),
            ("services", self.services),
            ("districts", self.districts),
            ("pools", self.pools),  # last: a truncated file always loses its pools
        ):
            for item in items:
                lines += ["", f"[[{section}]]", *_assignments(item)]
            if section == "districts":
                for name, variant in self.variants.items():
                    lines += ["", f"[variants.{name}]", *_assignments(variant)]
        return "\n".join(lines) + "\n"

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True)
        (folder / "scenario.toml").write_text(self.toml(), encoding="utf-8")
        for name, rows in self.tables.items():
            if rows or name in schema.REQUIRED_TABLES:
                write_table(folder / f"{name}.csv", COLUMNS[name], rows, self.style)
        return folder


def _assignments(section: dict) -> list[str]:
    return [assignment(key, value) for key, value in section.items() if value is not None]


# (encoding, delimiter, line end, decimal mark): how CSV files come out of the tools people use
CSV_STYLES = {
    "plain": ("utf-8", ",", "\n", "."),
    "excel-sv": ("cp1252", ";", "\r\n", ","),  # Swedish Excel "CSV (semikolonavgränsad)"
    "bom-crlf": ("utf-8-sig", ",", "\r\n", "."),
}


def _cell(value, decimal: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.12g}".replace(".", decimal)
    if isinstance(value, str) and decimal != "." and re.fullmatch(r"[0-9.|]+", value):
        return value.replace(".", decimal)  # a spend profile
    return str(value)


def write_table(path: Path, columns: list[str], rows: list[dict], style: str = "plain") -> None:
    encoding, delimiter, line_end, decimal = CSV_STYLES[style]
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator=line_end)
        writer.writerow(columns)
        writer.writerows([[_cell(row.get(c), decimal) for c in columns] for row in rows])


def tenths(lo: int, hi: int) -> st.SearchStrategy[float]:
    return st.integers(lo, hi).map(lambda v: v / 10)


def _window(c: dict, first: int, last: int) -> tuple[int, int]:
    """The start window as ``optimizer.scenario.start_windows`` tightens it (before precedence)."""
    spend_years = c["_spend_years"]
    earliest = max(first, c["earliest_start"] or first)
    latest = min(last - spend_years + 1, c["latest_start"] or last)
    if c["deadline"] is not None:
        latest = min(latest, c["deadline"] - c["lead_time"])
    if c["committed_start"] is not None:
        earliest = latest = c["committed_start"]
    return earliest, latest


# Cells that may be left empty, with the default an empty cell stands for.
DEFAULTS = {
    "candidates": {"opex": 0.0, "staff_fte": 0.0, "embodied_co2e_t": 0.0, "value": 0.0}
    | {"operational_co2e_t": 0.0, "grant_share": 0.0, "must_do": False, "max_units": 1},
    "dependencies": {"kind": "in_service_before_start", "lag": 0},
    "policy_years": {"existing_co2e_t": 0.0, "self_financing": 0.0},
}


@st.composite
def scenario_specs(draw, styles=("plain", "plain", "excel-sv", "bom-crlf")) -> Spec:
    years = list(range(FIRST, FIRST + draw(st.integers(3, 6))))
    first, last = years[0], years[-1]
    departments = [f"D{i + 1}" for i in range(draw(st.integers(1, 2)))]
    pools = ["tax"] + (["va"] if draw(st.booleans()) else [])
    districts = [f"N{i + 1}" for i in range(draw(st.sampled_from([0, 0, 2, 3])))]

    # ---- services and demand ----------------------------------------------------------
    services = []
    for k in range(draw(st.integers(1, 3))):
        by_district = bool(districts) and (k == 0 or draw(st.booleans()))
        groups = draw(
            st.lists(st.sampled_from([*AGE_GROUPS, "total"]), min_size=1, max_size=2, unique=True)
        )
        services.append(
            {
                "id": f"S{k + 1}",
                "unit": "places",
                "department": draw(st.sampled_from(departments)),
                "demand_rates": {group: draw(tenths(1, 10)) for group in groups},
                "fixed_need": float(draw(st.sampled_from([0, 0, 5, 20]))),
                "shortfall_cost": draw(tenths(0, 30)),
                "by_district": by_district,
                "neighbour_share": draw(st.sampled_from([0.0, 0.1, 0.3])) if by_district else 0.0,
            }
        )
    district_items = [
        {
            "id": d,
            "neighbours": draw(
                st.lists(st.sampled_from([n for n in districts if n != d]), unique=True)
            ),
        }
        for d in districts
    ]
    population = [
        {
            "variant": "base",
            "year": y,
            "district": d,
            "age_group": g,
            "population": draw(st.integers(0, 200)),
        }
        for d in (districts or [None])
        for g in AGE_GROUPS
        for y in years
    ]
    existing = []
    for s in services:
        for _ in range(draw(st.integers(0, 2))):
            existing.append(
                {
                    "id": f"A{len(existing) + 1}",
                    "service": s["id"],
                    "district": draw(st.sampled_from(districts)) if s["by_district"] else None,
                    "capacity": draw(st.integers(0, 100)),
                    "retirement_year": draw(st.none() | st.integers(first - 1, last + 2)),
                }
            )

    # ---- candidates -------------------------------------------------------------------
    candidates: list[dict] = []
    forced_in_group: set[str] = set()
    for i in range(draw(st.integers(3, 10))):
        lead = draw(st.integers(0, min(4, len(years))))
        if draw(st.booleans()):
            spend_years = draw(st.integers(1, max(lead, 1)))
            weights = draw(st.lists(st.integers(0, 4), min_size=spend_years, max_size=spend_years))
            weights[-1] += 0 if sum(weights) else 1  # shares of 0 are allowed, all 0 is not
            # shares in thousandths that sum to exactly 1: the largest takes the rounding
            milli = [w * 1000 // sum(weights) for w in weights]
            milli[weights.index(max(weights))] += 1000 - sum(milli)
            profile_text = "|".join(f"{m / 1000:.3f}" for m in milli)
        else:
            profile_text, spend_years = None, max(lead, 1)
        latest_fit = last - spend_years + 1
        earliest_start = draw(st.none() | st.integers(first, latest_fit))
        latest_start = draw(st.none() | st.integers(earliest_start or first, last))
        group = draw(st.sampled_from([None, None, "G1", "G2"]))
        c = {
            "id": f"C{i + 1}",
            "name": f"Candidate {i + 1}",
            "department": draw(st.sampled_from(departments)),
            "district": draw(st.sampled_from(districts)) if districts else None,
            "capex": float(draw(st.integers(0, 40))),
            "spend_profile": profile_text,
            "_spend_years": spend_years,  # not written: for the window arithmetic here
            "lead_time": lead,
            "earliest_start": earliest_start,
            "latest_start": latest_start,
            "lifetime": draw(st.integers(1, 20)),
            "opex": draw(tenths(-5, 20)),
            "staff_fte": draw(tenths(-5, 30)),
            "embodied_co2e_t": float(draw(st.integers(0, 50))),
            "operational_co2e_t": draw(tenths(-20, 50)),
            "pool": draw(st.sampled_from(pools)),
            "grant_share": draw(st.sampled_from([0.0, 0.0, 0.25, 0.5, 1.0])),
            "must_do": False,
            "deadline": None,
            "committed_start": None,
            "exclusive_group": group,
            "value": float(draw(st.integers(-3, 10))),
            "max_units": draw(st.sampled_from([1, 1, 1, 2, 3])),
        }
        forced = draw(st.sampled_from([None] * 6 + ["must_do", "deadline", "committed"]))
        if forced and group in forced_in_group:
            forced = None  # at most one forced candidate per exclusive group (a rule)
        earliest, latest = _window(c, first, last)
        if forced == "must_do":
            c["must_do"] = True
        elif forced == "deadline":
            c["must_do"] = draw(st.booleans())
            c["deadline"] = draw(st.integers(earliest, latest)) + lead
        elif forced == "committed":
            # a decided start may leave spending beyond the horizon: only its raw window binds
            c["committed_start"] = draw(st.integers(earliest_start or first, latest_start or last))
        if forced and group:
            forced_in_group.add(group)
        candidates.append(c)

    # ---- dependencies: only from earlier to later candidates (acyclic), windows kept open --
    dependencies = []
    windows = {c["id"]: _window(c, first, last) for c in candidates}
    by_id = {c["id"]: c for c in candidates}
    for j, p in enumerate(candidates):
        for q in candidates[:j]:
            if q["max_units"] != 1 or draw(st.integers(0, 5)) != 0:
                continue
            kind = draw(st.sampled_from(schema.DEPENDENCY_KINDS))
            lag = draw(st.integers(0, 1))
            q_earliest = windows[q["id"]][0]
            bound = q_earliest + q["lead_time"] + lag
            if kind == "in_service_when_opens":
                bound -= p["lead_time"]
            earliest, latest = windows[p["id"]]
            if bound > latest:
                continue  # would leave p without a possible start (a validation error)
            windows[p["id"]] = (max(earliest, bound), latest)
            dependencies.append(
                {"candidate": p["id"], "requires": q["id"], "kind": kind, "lag": lag}
            )
    capacity = []
    for c in candidates:
        for s in draw(st.lists(st.sampled_from(services), max_size=2, unique_by=lambda s: s["id"])):
            amount = draw(
                st.integers(-5, 40) if draw(st.integers(0, 5)) == 0 else st.integers(1, 40)
            )
            capacity.append({"candidate": c["id"], "service": s["id"], "capacity": amount})

    # ---- limits, each with room for the forced projects ---------------------------------
    forced = [by_id[c] for c in by_id if _is_forced(by_id[c])]
    net = {
        p: sum((1 - c["grant_share"]) * c["capex"] for c in forced if c["pool"] == p) for p in pools
    }
    budgets = [
        {"pool": p, "year": y, "ceiling": round(net[p] + draw(st.integers(0, 60)), 2)}
        for p in pools
        for y in years
    ]
    department_budgets, staff = [], []
    for d in departments:
        mine = [c for c in forced if c["department"] == d]
        if draw(st.integers(0, 2)) == 0:
            need = sum((1 - c["grant_share"]) * c["capex"] for c in mine)
            department_budgets += [
                {"department": d, "year": y, "ceiling": round(need + draw(st.integers(0, 40)), 2)}
                for y in years
            ]
        if draw(st.integers(0, 2)) == 0:
            need = sum(max(c["staff_fte"], 0) for c in mine)
            staff += [
                {
                    "department": d,
                    "year": y,
                    "recruitable_fte": round(need + draw(tenths(0, 60)), 2),
                }
                for y in years
            ]
    co2e_need = sum(c["embodied_co2e_t"] + max(c["operational_co2e_t"], 0) for c in forced)
    debt = None
    if draw(st.integers(0, 2)) == 0:
        debt = {
            "opening": float(draw(st.integers(0, 50))),
            "interest_rate": draw(st.sampled_from([0.0, 0.02])),
            "pools": draw(st.sampled_from([[], ["tax"], pools[-1:]])),
        }
    policy_years = []
    if draw(st.booleans()):
        total_net = sum(net.values())
        for y in years:
            existing_co2e = float(draw(st.integers(0, 20)))
            policy_years.append(
                {
                    "year": y,
                    "co2e_cap_t": None
                    if draw(st.booleans())
                    else round(existing_co2e + co2e_need + draw(st.integers(0, 80)), 2),
                    "existing_co2e_t": existing_co2e,
                    "max_projects_under_construction": draw(
                        st.none() | st.integers(len(forced), len(forced) + 3)
                    ),
                    "self_financing": float(draw(st.integers(0, 20))),
                    "debt_ceiling": round((debt or {}).get("opening", 0) + total_net + 50, 2)
                    if debt is not None and draw(st.booleans())
                    else None,
                }
            )
    existing_total = sum(r["existing_co2e_t"] for r in policy_years)
    climate = {
        "carbon_price_sek_per_t": float(draw(st.sampled_from([0, 0, 500, 2000]))),
        "cumulative_budget_t": draw(
            st.none()
            | st.integers(0, 200).map(
                lambda v: round(existing_total + co2e_need * len(years) + v, 2)
            )
        ),
    }
    department_items = [
        {
            "id": d,
            "max_projects_under_construction": draw(
                st.none() | st.integers(0, 2).map(lambda v, d=d: v + _forced_in(forced, d))
            ),
        }
        for d in departments
    ]
    objective = draw(st.sampled_from(["cost", "cost", "value"]))
    carry = [draw(st.booleans()) for _ in pools]
    tables = {
        "candidates": [{k: v for k, v in c.items() if not k.startswith("_")} for c in candidates],
        "candidate_capacity": capacity,
        "dependencies": dependencies,
        "existing_assets": existing,
        "population": population,
        "budgets": budgets,
        "department_budgets": department_budgets,
        "staff": staff,
        "policy_years": policy_years,
    }
    for name, defaults in DEFAULTS.items():
        if draw(st.booleans()):  # leave the cells that hold the default empty
            tables[name] = [
                {k: None if k in defaults and v == defaults[k] else v for k, v in row.items()}
                for row in tables[name]
            ]
    variants: dict[str, dict] = {}
    if draw(st.integers(0, 3)) == 0:  # a variant with other budgets and settings
        variants = {
            "base": {"population": "base"},
            "alt": {
                "population": "base",
                "budget_factor": draw(st.sampled_from([0.8, 1.5])),
                "settings": {"scenario": {"hard_coverage": False, "discount_rate": 0.01}},
            },
        }
    return Spec(
        variants=variants,
        variant=draw(st.sampled_from([None, *variants])),
        scenario={
            "name": "Random",
            "first_year": first,
            "last_year": last,
            "discount_rate": draw(st.sampled_from([0.0, 0.035])),
            "objective": objective,
            "value_cost_weight": draw(st.sampled_from([0.0, 0.1])) if objective == "value" else 0.0,
            "hard_coverage": draw(st.integers(0, 7)) == 0,
        },
        departments=department_items,
        services=services,
        districts=district_items,
        pools=[
            {
                "id": p,
                "carry_over": carry_flag,
                "carry_over_cap": draw(st.none() | st.integers(0, 30).map(float))
                if carry_flag
                else None,
            }
            for p, carry_flag in zip(pools, carry, strict=True)
        ],
        climate=climate,
        debt=debt,
        tables=tables,
        style=draw(st.sampled_from(styles)),
    )


def _is_forced(c: dict) -> bool:
    return bool(c["must_do"] or c["deadline"] is not None or c["committed_start"] is not None)


def _forced_in(forced: list[dict], department: str) -> int:
    return sum(c["department"] == department for c in forced)


@contextlib.contextmanager
def written(spec: Spec):
    with tempfile.TemporaryDirectory(prefix="capplan-prop-") as tmp:
        yield spec.write(Path(tmp) / "scenario")


# ======================================================================================
# (a) load, solve, check, diagnose
# ======================================================================================
EXACT = SolveSettings(solver="highs", time_limit=60, gap=0.0)


def _candidate(id: str, **fields) -> dict:
    base = {"id": id, "name": f"Candidate {id}", "department": "D1", "pool": "tax"}
    return base | {"capex": 9.0, "lead_time": 1, "lifetime": 10} | fields


def committed_beyond_the_horizon() -> Spec:
    """Found by (a): a committed start in the last year with a 3-year build spends after the
    horizon; the budget block looked up a budget row for 2031 (KeyError: a traceback from a
    valid scenario). Spending after the horizon is outside the plan, as the checker counts."""
    years = range(FIRST, FIRST + 5)
    return Spec(
        scenario={"name": "Regression", "first_year": FIRST, "last_year": FIRST + 4},
        departments=[{"id": "D1"}],
        services=[{"id": "S1", "unit": "places", "department": "D1",
                   "demand_rates": {"young": 0.5}, "shortfall_cost": 1.0}],
        districts=[],
        pools=[{"id": "tax"}],
        debt={"opening": 0.0, "interest_rate": 0.02, "pools": []},
        tables={
            "candidates": [
                _candidate("LATE", lead_time=3, committed_start=FIRST + 4, embodied_co2e_t=30.0),
                _candidate("EARLY", spend_profile="0.5|0.5", lead_time=2),
            ],
            "candidate_capacity": [{"candidate": "LATE", "service": "S1", "capacity": 10}],
            "population": [
                {"variant": "base", "year": y, "age_group": g, "population": 40}
                for y in years
                for g in AGE_GROUPS
            ],
            "budgets": [{"pool": "tax", "year": y, "ceiling": 8} for y in years],
            "department_budgets": [{"department": "D1", "year": y, "ceiling": 8} for y in years],
            "policy_years": [
                {"year": y, "co2e_cap_t": 40, "self_financing": 2, "debt_ceiling": 30}
                for y in years
            ],
        },
        climate={"carbon_price_sek_per_t": 500.0, "cumulative_budget_t": 500.0},
    )  # fmt: skip


@settings(PROPERTY_SETTINGS, max_examples=30)
@given(spec=scenario_specs())
@example(spec=committed_beyond_the_horizon())
def test_random_scenarios_load_solve_and_pass_the_independent_check(spec: Spec) -> None:
    with written(spec) as folder:
        scenario = optimizer.load_scenario(folder, spec.variant)
        plan = run_scenario(scenario, EXACT)  # raises PlanCheckError on any violation
    event(f"status {plan.status}")
    note(spec.toml())
    if plan.has_solution:
        assert plan.status == "optimal", f"{plan.status} (gap {plan.gap}) on a tiny model"
        assert check_plan(scenario, plan) == []
        recomputed = recompute_objective(scenario, plan)["total"]
        assert recomputed == pytest.approx(plan.objective, rel=1e-6, abs=1e-6)
        assert set(plan.tables) >= {"schedule", "coverage", "budget", "shadow_prices"}
    else:
        assert plan.status == "infeasible", plan.message
        conflicts = diagnose(scenario, SolveSettings(time_limit=60))
        assert conflicts, "infeasible, but the diagnosis names no conflicting limit"
        event(f"conflict {conflicts[0].kind}")


# ======================================================================================
# (b) HiGHS and CBC agree
# ======================================================================================
@settings(PROPERTY_SETTINGS, max_examples=25)
@given(spec=scenario_specs())
@example(spec=committed_beyond_the_horizon())
def test_highs_and_cbc_agree_on_status_and_objective(spec: Spec) -> None:
    with written(spec) as folder:
        scenario = optimizer.load_scenario(folder, spec.variant)
        plans = {
            solver: run_scenario(
                scenario, EXACT.model_copy(update={"solver": solver}), shadow_prices=False
            )
            for solver in ("highs", "cbc")
        }
    note(spec.toml())
    assert plans["highs"].status == plans["cbc"].status
    event(f"status {plans['highs'].status}")
    if plans["highs"].has_solution:
        assert plans["highs"].objective == pytest.approx(plans["cbc"].objective, rel=1e-6, abs=1e-6)


# ======================================================================================
# Nothing lost in conversion: folder -> workbook -> folder gives the same scenario
# ======================================================================================
SCENARIO_PARTS = (
    "settings", "candidates", "capacities", "dependencies", "existing_assets", "budgets",
    "department_budgets", "staff", "policy_years",
)  # fmt: skip


@settings(PROPERTY_SETTINGS, max_examples=10)
@given(spec=scenario_specs())
def test_every_scenario_converts_to_a_workbook_and_back_without_loss(spec: Spec) -> None:
    with written(spec) as folder:
        book, back = folder.parent / "scenario.xlsx", folder.parent / "back"
        convert(folder, book)
        convert(book, back)
        original = optimizer.load_scenario(folder, spec.variant)
        for copy in (
            optimizer.load_scenario(book, spec.variant),
            optimizer.load_scenario(back, spec.variant),
        ):
            for part in SCENARIO_PARTS:
                assert getattr(copy, part) == getattr(original, part), part
            assert copy.variant == original.variant
            pd.testing.assert_frame_equal(copy.population, original.population)


# ======================================================================================
# (c) corruptions are refused with file, row and field
# ======================================================================================
# Row models' fields by kind, for choosing a cell to break.
NUMBER_COLUMNS = {
    name: [
        f
        for f, info in model.model_fields.items()
        if f in COLUMNS[name]
        and any(
            getattr(m, "func", None) in (schema.parse_number, schema.parse_int)
            for m in info.metadata
        )
    ]
    for name, model in schema.ROW_MODELS.items()
}
REQUIRED_COLUMNS = {
    name: [f for f, info in model.model_fields.items() if info.is_required()]
    for name, model in schema.ROW_MODELS.items()
}
DUPLICATE_KEY_FIELD = {
    "candidates": "id",
    "candidate_capacity": "service",
    "dependencies": "requires",
    "existing_assets": "id",
    "population": "age_group",
    "budgets": "year",
    "department_budgets": "year",
    "staff": "year",
    "policy_years": "year",
    "emergency_options": "id",
}
REFERENCES = [  # (table, column) cells that name an id defined elsewhere
    ("candidates", "department"),
    ("candidates", "pool"),
    ("candidates", "district"),
    ("candidate_capacity", "candidate"),
    ("candidate_capacity", "service"),
    ("dependencies", "candidate"),
    ("dependencies", "requires"),
    ("existing_assets", "service"),
    ("existing_assets", "district"),
    ("population", "district"),
    ("budgets", "pool"),
    ("department_budgets", "department"),
    ("staff", "department"),
]
NOT_NUMBERS = ["abc", "12 kr", "1.2.3", "n/a", "ett", "1e999", "NaN", "--1", "=1+1", "12%", "true"]
SEPARATORS = b',;\t\r\n"'


@dataclass(frozen=True)
class Expected:
    """What the corruption must produce: a problem in ``file`` (at ``row``/``field`` if set);
    ``maybe_valid``: the corruption may happen to leave a valid scenario (junk, truncation)."""

    file: str | None
    row: int | None = None
    field: str | None = None
    maybe_valid: bool = False


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return lines[0], lines[1:]


def _write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


CORRUPTIONS = (
    "delete_column",  # a required column
    "text_in_number",
    "blank_required",
    "duplicate_row",  # the row's key (id, pool and year, ...) appears twice
    "unknown_reference",  # an id that is defined nowhere
    "unknown_setting_reference",  # a service's department in scenario.toml
    "junk_in_number",  # junk bytes inside a number cell
    "junk_anywhere",  # junk bytes anywhere in any file (may leave a valid scenario)
    "truncate_settings",  # scenario.toml cut before its pools
    "truncate_anywhere",  # any file cut anywhere (may leave a valid scenario)
)


@st.composite
def corruptions(draw, kind: str) -> tuple[Spec, str, object]:
    spec = draw(scenario_specs(styles=("plain",)))
    tables = [n for n, rows in spec.tables.items() if rows]
    if kind == "delete_column":
        table = draw(st.sampled_from(tables))
        return spec, kind, (table, draw(st.sampled_from(REQUIRED_COLUMNS[table])))
    if kind in ("text_in_number", "junk_in_number"):
        table = draw(st.sampled_from([t for t in tables if NUMBER_COLUMNS[t]]))
        row = draw(st.integers(0, len(spec.tables[table]) - 1))
        column = draw(st.sampled_from(NUMBER_COLUMNS[table]))
        if kind == "text_in_number":
            return spec, kind, (table, row, column, draw(st.sampled_from(NOT_NUMBERS)))
        junk = b"\xff" + draw(st.binary(max_size=5).filter(lambda b: not set(b) & set(SEPARATORS)))
        return spec, kind, (table, row, column, junk)
    if kind == "blank_required":
        table = draw(st.sampled_from(tables))
        row = draw(st.integers(0, len(spec.tables[table]) - 1))
        return spec, kind, (table, row, draw(st.sampled_from(REQUIRED_COLUMNS[table])))
    if kind == "duplicate_row":
        table = draw(st.sampled_from(tables))
        return spec, kind, (table, draw(st.integers(0, len(spec.tables[table]) - 1)))
    if kind == "unknown_reference":
        options = [
            (t, c) for t, c in REFERENCES if spec.tables[t] and (c != "district" or spec.districts)
        ]
        table, column = draw(st.sampled_from(options))
        return spec, kind, (table, draw(st.integers(0, len(spec.tables[table]) - 1)), column)
    if kind == "unknown_setting_reference":
        return spec, kind, draw(st.integers(0, len(spec.services) - 1))
    files = ["scenario.toml", *(f"{t}.csv" for t in tables)]
    if kind == "truncate_settings":
        return spec, kind, draw(st.integers(0, spec.toml().index("[[pools]]")))
    if kind == "junk_anywhere":
        return (
            spec,
            kind,
            (
                draw(st.sampled_from(files)),
                draw(st.floats(0, 1)),
                draw(st.binary(min_size=1, max_size=6)),
            ),
        )
    return spec, kind, (draw(st.sampled_from(files)), draw(st.floats(0, 0.999)))


def corrupt(folder: Path, spec: Spec, kind: str, how) -> Expected:
    """Break the written scenario in ``folder`` as drawn; return what the reader must say."""
    if kind in ("delete_column", "text_in_number", "junk_in_number", "blank_required"):
        table = how[0]
        path = folder / f"{table}.csv"
        header, rows = _read_rows(path)
        if kind == "delete_column":
            column = how[1]
            at = header.index(column)
            _write_rows(path, header[:at] + header[at + 1 :], [r[:at] + r[at + 1 :] for r in rows])
            return Expected(path.name, 1, column)
        row, column = how[1], how[2]
        at = header.index(column)
        if kind == "blank_required":
            rows[row][at] = ""
            if not any(cell.strip() for cell in rows[row]):
                return Expected(None, maybe_valid=True)  # a blank row is skipped, by design
        elif kind == "text_in_number":
            rows[row][at] = how[3]
        else:  # bytes that make the cell text, whatever else the file decodes to
            _write_rows(path, header, rows)
            data = path.read_bytes().split(b"\n")
            cells = data[row + 1].split(b",")
            cells[at] = cells[at][:1] + how[3] + cells[at][1:]
            data[row + 1] = b",".join(cells)
            path.write_bytes(b"\n".join(data))
            return Expected(path.name, row + 2, column)
        _write_rows(path, header, rows)
        return Expected(path.name, row + 2, column)
    if kind == "duplicate_row":
        table, row = how
        path = folder / f"{table}.csv"
        header, rows = _read_rows(path)
        _write_rows(path, header, [*rows, rows[row]])
        return Expected(path.name, len(rows) + 2, DUPLICATE_KEY_FIELD[table])
    if kind == "unknown_reference":
        table, row, column = how
        path = folder / f"{table}.csv"
        header, rows = _read_rows(path)
        rows[row][header.index(column)] = "NO-SUCH-ID"
        _write_rows(path, header, rows)
        return Expected(path.name, row + 2, column)
    if kind == "unknown_setting_reference":
        services = [dict(s) for s in spec.services]
        services[how]["department"] = "NO-SUCH-DEPARTMENT"
        (folder / "scenario.toml").write_text(replace(spec, services=services).toml())
        return Expected("scenario.toml", None, f"services[{how + 1}].department")
    if kind == "truncate_settings":
        path = folder / "scenario.toml"
        path.write_bytes(path.read_bytes()[:how])
        return Expected("scenario.toml")
    name, position = how[0], how[1]
    path = folder / name
    data = path.read_bytes()
    at = int(position * len(data))
    if kind == "junk_anywhere":
        path.write_bytes(data[:at] + how[2] + data[at:])
    else:
        path.write_bytes(data[:at])
    return Expected(None, maybe_valid=True)


def run_cli(*args: str) -> tuple[int, str]:
    """``capplan ARGS`` in this process: (exit code, stderr). A traceback fails the test."""
    from optimizer.cli import main

    stderr = io.StringIO()
    argv = sys.argv
    sys.argv = ["capplan", *args]
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
    return code, stderr.getvalue()


def _where(problem) -> tuple:
    return (problem.file, problem.row, problem.field)


@pytest.mark.parametrize("kind", CORRUPTIONS)
@settings(PROPERTY_SETTINGS, max_examples=8)
@given(data=st.data())
def test_corrupted_files_are_refused_with_file_row_and_field(kind: str, data) -> None:
    spec, kind, how = data.draw(corruptions(kind))
    note(f"{kind}: {how!r}")
    with tempfile.TemporaryDirectory(prefix="capplan-corrupt-") as tmp:
        folder = spec.write(Path(tmp) / "scenario")
        expected = corrupt(folder, spec, kind, how)
        try:
            optimizer.load_scenario(folder)
        except ScenarioError as exc:
            problems = exc.problems
        else:
            assert expected.maybe_valid, f"{kind} left a scenario that loads"
            event(f"{kind}: still valid")
            return
        note("\n".join(str(p) for p in problems))
        assert problems and all(p.file and p.message for p in problems)
        if expected.file is not None:
            assert expected.file in {p.file for p in problems}
        if expected.row is not None or expected.field is not None:
            assert (expected.file, expected.row, expected.field) in {_where(p) for p in problems}
        code, stderr = run_cli("run", str(folder), "--quiet", "--out", str(Path(tmp) / "out"))
        assert code == EXIT_INVALID_INPUT, stderr
        assert "Traceback" not in stderr
        assert str(problems[0]) in stderr
        if expected.row is not None:
            assert f"{expected.file}, row {expected.row}, field '{expected.field}'" in stderr
        assert not (Path(tmp) / "out").exists()


def test_empty_cells_take_the_column_default(tmp_path: Path) -> None:
    """Found while writing the regression example above: an empty cell in a column with a default
    (opex, max_units, must_do, kind, lag, existing_co2e_t ...) was "is empty but a value is
    required", against docs/scenario-format.md ("Empty cells take the column's default")."""
    folder = tiny_copy(
        tmp_path,
        files={
            "candidates.csv": "id,name,department,capex,lead_time,lifetime,pool,opex,max_units,"
            "must_do,grant_share,value\nA,A,BUF,1,1,10,tax,,,,,\n",
            "candidate_capacity.csv": "candidate,service,capacity\nA,preschool,5\n",
            "dependencies.csv": "candidate,requires,kind,lag\n",
            "policy_years.csv": "year,co2e_cap_t,existing_co2e_t,self_financing\n2026,,,\n",
        },
    )
    scenario = optimizer.load_scenario(folder)
    (candidate,) = scenario.candidates
    assert (candidate.opex, candidate.max_units, candidate.must_do) == (0.0, 1, False)
    assert (candidate.grant_share, candidate.value) == (0.0, 0.0)
    assert scenario.policy_years[0].existing_co2e_t == 0.0
    with pytest.raises(ScenarioError, match="candidates.csv, row 2, field 'capex': is empty"):
        (folder / "candidates.csv").write_text(
            "id,name,department,capex,lead_time,lifetime,pool\nA,A,BUF,,1,10,tax\n"
        )
        optimizer.load_scenario(folder)


def test_invisible_characters_in_messages_are_shown(tmp_path: Path) -> None:
    """Found by (c): junk bytes before a column name ('\\x07id') printed as "field 'id' is not a
    known column", because terminals drop control characters. They are shown as escapes now."""
    folder = tiny_copy(tmp_path)
    candidates = folder / "candidates.csv"
    candidates.write_text("\u200b" + candidates.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        optimizer.load_scenario(folder)
    shown = [str(p) for p in caught.value.problems if p.row == 1 and p.field == "\u200bid"]
    assert len(shown) == 1
    assert shown[0].startswith("candidates.csv, row 1, field '\\u200bid': is not a known")
    code, stderr = run_cli("validate", str(folder))
    assert code == EXIT_INVALID_INPUT
    assert "field '\\u200bid'" in stderr


# ======================================================================================
# Determinism: the same input gives the same plan, whatever the thread setting
# ======================================================================================
def _generator():
    if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside the package, not installed
        sys.path.insert(0, str(ROOT))
    return pytest.importorskip("benchmarks.generator")


def _decisions(plan) -> dict:
    return {
        "status": plan.status,
        "starts": plan.starts,
        "schedule": plan.tables["schedule"].to_dict("records"),
        "shortfall": plan.shortfall.round(9).to_dict("records"),
        "debt": plan.debt.round(9).to_dict("records"),
    }


def test_same_plan_across_runs_and_threads_on_a_generated_scenario(tmp_path: Path) -> None:
    """30 candidates over 10 years in 3 districts (benchmarks/generator.py): a real search."""
    generator = _generator()
    folder = generator.write_scenario(tmp_path / "generated", generator.Size(30, 10, 3), seed=1)
    scenario = optimizer.load_scenario(folder)
    plans = [
        run_scenario(scenario, SolveSettings(threads=threads, seed=0, time_limit=120))
        for threads in (1, 2, 1)
    ]
    assert plans[0].status == "optimal"
    assert len(plans[0].chosen) >= 5
    for plan in plans[1:]:
        assert _decisions(plan) == _decisions(plans[0])
        assert plan.objective == pytest.approx(plans[0].objective, rel=1e-9)


# ---- Random numbers in every numeric field: exit 0 or 2, never a crash or a wrong answer ----
def _numeric(annotation) -> bool:
    """A float or int field (not a yes/no, text or choice), through Optional and Annotated."""
    import typing

    text = repr(annotation)
    return ("float" in text or "int" in text) and typing.get_origin(annotation) is not dict


def _settings_fields() -> list[tuple]:
    """(path into scenario.toml's dict, field) for every numeric setting of tiny.

    Lists take their first entry, variants the base one. ``solver.time_limit`` and
    ``solver.threads`` are left out: a tiny time limit rightly ends in "no solution in time"
    (exit 4), and their ranges are tested on the command line (test_input_boundary.py).
    """
    from optimizer.docs import SETTINGS_MODELS

    paths: list[tuple] = [("services", 0, "demand_rates", "1-5")]
    for section, model in SETTINGS_MODELS.items():
        head: tuple = (section,)
        if section in ("departments", "services", "pools"):
            head = (section, 0)
        elif section == "variants":
            head = (section, "base")
        elif section == "districts":
            continue  # tiny has none, and a district has no numbers
        for name, info in model.model_fields.items():
            if _numeric(info.annotation) and f"{section}.{name}" not in (
                "solver.time_limit",
                "solver.threads",
            ):
                paths.append((*head, name))
    return paths


def _cell_fields() -> list[tuple[str, int, str]]:
    """(file, spreadsheet row, column) for every numeric cell of tiny's first data rows."""
    cells = []
    for path in sorted((ROOT / "scenarios" / "tiny").glob("*.csv")):
        model = schema.ROW_MODELS[path.stem]
        with open(path, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        for column in header:
            info = model.model_fields.get(column)
            if info is not None and _numeric(info.annotation):
                cells.append((path.name, 2, column))
    return cells


NUMERIC_FIELDS = [("toml", path) for path in _settings_fields()] + [
    ("csv", cell) for cell in _cell_fields()
]
ANY_NUMBER = st.one_of(
    st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 8e9, -0.0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1000, 1000),
    st.integers(-5, 3000),
)


def _put(folder: Path, where: tuple, value: float | int) -> None:
    import tomllib

    from optimizer.io.tomlwrite import dumps

    kind, target = where
    if kind == "toml":
        settings = tomllib.loads((folder / "scenario.toml").read_text(encoding="utf-8"))
        node = settings
        for key in target[:-1]:
            if isinstance(key, str) and key not in node:
                node[key] = {}
            node = node[key]
        node[target[-1]] = value
        (folder / "scenario.toml").write_text(dumps(settings), encoding="utf-8")
        return
    file, row, column = target
    with open(folder / file, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index(column)] = repr(value) if isinstance(value, float) else str(value)
    with open(folder / file, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_numeric_fields_are_enumerated() -> None:
    """The property below covers settings and cells: a new numeric field joins it by itself."""
    names = {".".join(map(str, t[1])) for t in NUMERIC_FIELDS}
    assert {"debt.opening", "climate.carbon_price_sek_per_t", "services.0.fixed_need"} <= names
    assert {"candidates.csv.2.capex", "population.csv.2.population"} <= names
    assert len(NUMERIC_FIELDS) >= 40


@settings(PROPERTY_SETTINGS, max_examples=30)
@given(where=st.sampled_from(NUMERIC_FIELDS), value=ANY_NUMBER)
def test_any_number_in_any_numeric_field_gives_a_plan_or_a_named_problem(where, value) -> None:
    """``capplan validate`` and ``capplan run`` end with 0 (a plan) or 2 (the problem named),
    never 1 (a traceback), 4 (no solution in time) or 5 (checker). A finite value within its
    documented range may also make the hard limits conflict (exit 3: the diagnosis is the
    answer); a non-finite or absurd one is always exit 2."""
    from scenario_edits import run_cli

    note(f"{where} = {value!r}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = tiny_copy(Path(scratch))
        _put(folder, where, value)
        checked, _, said = run_cli("validate", folder)
        code, out, err = run_cli("run", folder, "--out", Path(scratch) / "out", "--quiet")
    assert "Traceback" not in said + out + err
    assert checked in (0, 2), said
    assert code in (0, 2, 3), err
    assert (code == 2) == (checked == 2), (said, err)
    absurd = isinstance(value, float) and not (abs(value) <= 1e10)  # nan fails <= too
    if absurd:
        assert code == 2, err
    event(f"exit {code}")
