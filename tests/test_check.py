"""The independent plan checker (optimizer.check) on hand-built plans.

Every constraint kind in ``CONSTRAINT_KINDS`` has at least one case below: a plan that violates
that constraint, and only that one, with the amount worked out by hand. A meta-test fails when a
kind has no case. Scenarios are ``scenarios/tiny`` (copied and edited where a setting is needed)
and a small two-district scenario written here.

Tiny in brief (years 2026-2030, discount rate 0, shortfall cost 1 MSEK per place or pe per year):
preschool demand 40, 41, 42, 43, 44; PS-OLD gives 40 places until it retires in 2029.
Water demand 100-108 pe against 110 pe existing. Tax budget 8 MSEK/yr, VA 2 MSEK/yr.
PS-NEW 10 MSEK spent 5|5, lead 2, 20 places; PS-EXT 4 MSEK, lead 1, 10 places (same exclusive
group); PS-MOD 1 MSEK, lead 0, life 3, opex 0.5, 5 places, up to 2 units; WATER-EXT 3 MSEK (VA,
50 % grant), lead 1; PS-NORTH 6 MSEK, lead 1, 10 places, needs WATER-EXT in service first.
"""

from __future__ import annotations

import csv
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from optimizer import load_scenario
from optimizer.check import CONSTRAINT_KINDS, Violation, check_plan, recompute_objective
from optimizer.plan import Plan
from optimizer.scenario import Scenario

TINY = Path(__file__).resolve().parents[1] / "scenarios" / "tiny"

# The feasible hand plan on tiny (see test_feasible_hand_plan for its arithmetic).
HAND_STARTS = {
    "WATER-EXT": {2026: 1},
    "PS-NEW": {2026: 1},
    "PS-NORTH": {2028: 1},
    "PS-MOD": {2028: 2},
}
HAND_SHORTFALL = [
    ("preschool", "", 2027, 1.0),
    ("preschool", "", 2029, 3.0),
    ("preschool", "", 2030, 4.0),
]
HAND_OBJECTIVE = 14.17


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load_scenario(TINY, "base")


def make_plan(
    scenario: Scenario,
    starts: dict[str, dict[int, float]] | None = None,
    shortfall: list[tuple] | str = "demand",
    transfers: list[tuple] = (),
    carry_over: list[tuple] = (),
    debt: dict[int, float] | None = None,
    objective: float | None = None,
) -> Plan:
    """A plan by hand. ``shortfall="demand"`` sets shortfall = demand on every coverage row, which
    always satisfies coverage, so a case isolates the constraint it is about."""
    if isinstance(shortfall, str):
        shortfall_frame = scenario.demand.rename(columns={"demand": "shortfall"})
    else:
        shortfall_frame = pd.DataFrame(
            shortfall, columns=["service", "district", "year", "shortfall"]
        )
    return Plan(
        scenario=scenario.settings.scenario.name,
        variant=scenario.variant,
        status="optimal",
        solver="hand",
        objective=objective,
        objective_mode=scenario.settings.scenario.objective,
        starts=starts or {},
        shortfall=shortfall_frame,
        transfers=pd.DataFrame(
            transfers, columns=["service", "from_district", "to_district", "year", "units"]
        ),
        carry_over=pd.DataFrame(carry_over, columns=["pool", "year", "carry_over"]),
        debt=pd.DataFrame(sorted((debt or {}).items()), columns=["year", "debt"]),
    )


def edited_tiny(
    folder: Path,
    *,
    replace: tuple[tuple[str, str], ...] = (),
    append: str = "",
    files: dict[str, str] | None = None,
    candidates: dict[str, dict[str, str]] | None = None,
) -> Scenario:
    """Tiny copied to ``folder`` with scenario.toml text replaced/appended, tables written and
    candidate cells changed."""
    shutil.copytree(TINY, folder)
    settings = folder / "scenario.toml"
    text = settings.read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new, 1)
    settings.write_text(text + textwrap.dedent(append), encoding="utf-8")
    for name, content in (files or {}).items():
        (folder / name).write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
    if candidates:
        path = folder / "candidates.csv"
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, list(reader)
        for row in rows:
            row.update(candidates.get(row["id"], {}))
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return load_scenario(folder, "base")


def districts_scenario(folder: Path) -> Scenario:
    """Two districts, 2026-2027, preschool planned per district; S may serve N (not back).

    Demand 0.5 × pop(1-5): N 20 places, S 10 places both years. Existing: N-OLD 10 places in N,
    S-OLD 20 places in S. neighbour_share 0.5: N may receive up to 10 places from S.
    Candidate N-NEW in N: 10 places, capex 1 MSEK, lead 0, life 10.
    """
    folder.mkdir()
    files = {
        "scenario.toml": """
            [scenario]
            name = "Districts"
            first_year = 2026
            last_year = 2027
            discount_rate = 0.0

            [[departments]]
            id = "BUF"

            [[services]]
            id = "preschool"
            unit = "places"
            department = "BUF"
            demand_rates = { "1-5" = 0.5 }
            shortfall_cost = 1.0
            by_district = true
            neighbour_share = 0.5

            [[districts]]
            id = "N"
            neighbours = ["S"]

            [[districts]]
            id = "S"

            [[pools]]
            id = "tax"
            """,
        "population.csv": """
            variant,year,district,age_group,population
            base,2026,N,1-5,40
            base,2027,N,1-5,40
            base,2026,S,1-5,20
            base,2027,S,1-5,20
            """,
        "candidates.csv": """
            id,name,department,district,capex,lead_time,lifetime,pool
            N-NEW,New preschool north,BUF,N,1,0,10,tax
            """,
        "candidate_capacity.csv": """
            candidate,service,capacity
            N-NEW,preschool,10
            """,
        "existing_assets.csv": """
            id,service,district,capacity,retirement_year
            N-OLD,preschool,N,10,
            S-OLD,preschool,S,20,
            """,
        "budgets.csv": """
            pool,year,ceiling
            tax,2026,10
            tax,2027,10
            """,
    }
    for name, content in files.items():
        (folder / name).write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
    return load_scenario(folder)


# S serves N with 10 places each year: N 10 + 10 = 20, S 20 − 10 = 10.
DISTRICT_TRANSFERS = [("preschool", "S", "N", 2026, 10.0), ("preschool", "S", "N", 2027, 10.0)]

DEBT_TOML = """
    [debt]
    opening = 10
    interest_rate = 0.02
    """


def debt_policy(self_financing: float = 1.0, ceiling: float | str = 17.5) -> str:
    """policy_years.csv with the same self-financing and debt ceiling every year."""
    rows = "".join(f"{y},{self_financing},{ceiling}\n" for y in range(2026, 2031))
    return "year,self_financing,debt_ceiling\n" + rows


# PS-NEW started 2026 spends 5 (2026) and 5 (2027) of tax money, all debt-financed:
# D2026 ≥ 10 + 5 − 1 = 14; D2027 ≥ 14 + 5 − 1 = 18; then −1 a year: 17, 16, 15.
DEBT_FLOOR = {2026: 14.0, 2027: 18.0, 2028: 17.0, 2029: 16.0, 2030: 15.0}


def violations_by_name(violations: list[Violation]) -> dict[str, float]:
    names = [v.constraint for v in violations]
    assert len(names) == len(set(names)), names
    return {v.constraint: v.amount for v in violations}


# --------------------------------------------------------------------------------------
# Feasible plans and the objective
# --------------------------------------------------------------------------------------
def test_feasible_hand_plan(tiny: Scenario) -> None:
    # WATER-EXT 2026, PS-NEW 2026, PS-NORTH 2028, PS-MOD 2 units 2028.
    # Tax spend: 2026 5, 2027 5, 2028 6 + 2 = 8 (= the ceiling); VA: 0.5 × 3 = 1.5 in 2026.
    # Preschool capacity: 2026 40, 2027 40, 2028 40 + 20 + 10 = 70, 2029 20 + 10 + 10 = 40,
    # 2030 40; against demand 40..44 the shortfall is 1 (2027), 3 (2029), 4 (2030) = 8 places.
    # PS-NORTH starts 2028 with WATER-EXT in service from 2027: precedence holds.
    # Objective (discount rate 0):
    #   capex     = 5 + 5 + 1.5 + 6 + 2 × 1                                  = 19.5
    #   opex      = PS-MOD 2 units × 0.5 × 3 years (2028-2030)               =  3.0
    #   shortfall = 8 places × 1 MSEK                                         =  8.0
    #   salvage   = PS-NEW 10 × (2026+2+40−1 − 2030 = 37)/40                  =  9.25
    #             + WATER-EXT 1.5 × (2026+1+50−1 − 2030 = 46)/50              =  1.38
    #             + PS-NORTH 6 × (2028+1+40−1 − 2030 = 38)/40                 =  5.7
    #             + PS-MOD (2028+0+3−1 − 2030 = 0)                            =  0
    #   total     = 19.5 + 3 + 8 − 16.33                                      = 14.17
    plan = make_plan(tiny, HAND_STARTS, HAND_SHORTFALL, objective=HAND_OBJECTIVE)
    assert check_plan(tiny, plan) == []
    assert recompute_objective(tiny, plan) == pytest.approx(
        {
            "capex": 19.5,
            "opex": 3.0,
            "shortfall": 8.0,
            "interest": 0.0,
            "carbon": 0.0,
            "salvage": 16.33,
            "closure": 0.0,
            "asset_opex": 0.0,
            "emergency": 0.0,
            "value": 0.0,
            "total": 14.17,
        }
    )


def test_modular_candidate_alone_in_a_group_may_build_every_unit(tmp_path: Path) -> None:
    # A group limits candidates, not units: both PS-MOD units in a group of its own are fine.
    scenario = edited_tiny(tmp_path / "s", candidates={"PS-MOD": {"exclusive_group": "modules"}})
    assert check_plan(scenario, make_plan(scenario, {"PS-MOD": {2026: 2}})) == []


def test_salvage_only_on_capex_paid_inside_the_horizon(tmp_path: Path) -> None:
    # PS-NEW committed to 2030 spends 5 in 2030 and 5 in 2031, after the horizon. Only the 5
    # inside is charged, so salvage is 5 × clip(2030+2+40−1 − 2030, 0, 40)/40 = 5, not 10.
    scenario = edited_tiny(
        tmp_path / "s", candidates={"PS-NEW": {"latest_start": "2030", "committed_start": "2030"}}
    )
    plan = make_plan(scenario, {"PS-NEW": {2030: 1}}, shortfall=[], objective=-5.0)
    terms = recompute_objective(scenario, plan)
    assert (terms["capex"], terms["salvage"], terms["total"]) == pytest.approx((5.0, 5.0, 0.0))
    # a plan claiming the whole capex as salvage (5 − 10 = −5) is 5 MSEK off
    assert violations_by_name(check_plan(scenario, plan))["objective"] == pytest.approx(5.0)


def test_carry_over_makes_room(tmp_path: Path) -> None:
    # With carry-over allowed, 3 MSEK unspent in 2026 pays for 2027's 11 MSEK against 8.
    scenario = edited_tiny(
        tmp_path / "s", replace=(('name = "Tax-financed"', 'name = "Tax"\ncarry_over = true'),)
    )
    starts = {"WATER-EXT": {2026: 1}, "PS-NEW": {2026: 1}, "PS-NORTH": {2027: 1}}
    plan = make_plan(scenario, starts, carry_over=[("tax", 2026, 3.0)])
    assert check_plan(scenario, plan) == []


def test_districts_feasible(tmp_path: Path) -> None:
    scenario = districts_scenario(tmp_path / "d")
    # S serves N with 10 places; no cost at all.
    plan = make_plan(scenario, shortfall=[], transfers=DISTRICT_TRANSFERS, objective=0.0)
    assert check_plan(scenario, plan) == []
    # Or build N-NEW in N (2026): capex 1, salvage 1 × (2026+0+10−1 − 2027 = 8)/10 = 0.8.
    plan = make_plan(scenario, {"N-NEW": {2026: 1}}, shortfall=[], objective=0.2)
    assert check_plan(scenario, plan) == []


def test_debt_feasible_and_interest(tmp_path: Path) -> None:
    scenario = edited_tiny(
        tmp_path / "s", append=DEBT_TOML, files={"policy_years.csv": debt_policy(ceiling=20)}
    )
    plan = make_plan(scenario, {"PS-NEW": {2026: 1}}, debt=DEBT_FLOOR)
    assert check_plan(scenario, plan) == []
    # interest = 0.02 × (14 + 18 + 17 + 16 + 15) = 0.02 × 80 = 1.6
    assert recompute_objective(scenario, plan)["interest"] == pytest.approx(1.6)


def test_value_mode_objective(tmp_path: Path) -> None:
    scenario = edited_tiny(
        tmp_path / "s",
        replace=(('objective = "cost"', 'objective = "value"\nvalue_cost_weight = 0.5'),),
    )
    # value = PS-NEW 3 + WATER-EXT 1 + PS-NORTH 2 + PS-MOD 1 × 2 units = 8
    # total = −8 + 0.5 × 14.17 = −0.915
    plan = make_plan(scenario, HAND_STARTS, HAND_SHORTFALL, objective=-0.915)
    terms = recompute_objective(scenario, plan)
    assert terms["value"] == pytest.approx(8.0)
    assert terms["total"] == pytest.approx(-0.915)
    assert check_plan(scenario, plan) == []


def test_discounting_carbon_and_interest(tmp_path: Path) -> None:
    scenario = edited_tiny(
        tmp_path / "s",
        replace=(("discount_rate = 0.0", "discount_rate = 0.1"),),
        append="""
            [climate]
            carbon_price_sek_per_t = 1000

            [debt]
            interest_rate = 0.05
            """,
    )
    plan = make_plan(
        scenario,
        {"PS-EXT": {2026: 1}},
        [("preschool", "", 2027, 1.0)],
        debt=dict.fromkeys(scenario.years, 4.0),
    )
    d = [1.1**-k for k in range(6)]  # df for 2026..2031: 1, 0.909091, 0.826446, ..., 0.620921
    # PS-EXT (4 MSEK, lead 1, life 30, embodied 40 t, 0.5 t/yr in service 2027-2030):
    #   capex     = 4 × df2026                                    = 4
    #   shortfall = 1 place × 1 MSEK × df2027                     = 0.909091
    #   interest  = 0.05 × 4 × (df2026 + … + df2030)              = 0.2 × 4.169865 = 0.833973
    #   carbon    = 0.001 MSEK/t × (40 × df2026 + 0.5 × (df2027 + … + df2030))
    #             = 0.001 × (40 + 0.5 × 3.169865)                 = 0.041585
    #   salvage   = 4 × (2026+1+30−1 − 2030 = 26)/30 × df2031     = 3.466667 × 0.620921 = 2.152527
    #   total     = 4 + 0.909091 + 0.833973 + 0.041585 − 2.152527 = 3.632122
    expected = {
        "capex": 4.0,
        "opex": 0.0,
        "shortfall": d[1],
        "interest": 0.2 * sum(d[:5]),
        "carbon": 0.001 * (40 + 0.5 * sum(d[1:5])),
        "salvage": 4 * 26 / 30 * d[5],
        "closure": 0.0,
        "asset_opex": 0.0,
        "emergency": 0.0,
        "value": 0.0,
    }
    expected["total"] = sum(v for k, v in expected.items() if k != "salvage") - expected["salvage"]
    terms = recompute_objective(scenario, plan)
    assert terms == pytest.approx(expected)
    assert terms["total"] == pytest.approx(3.632122, abs=1e-6)


def test_tolerance_scales_with_the_right_hand_side(tiny: Scenario) -> None:
    # 2029 shortfall 1e-5 places short of the needed 3: within 1e-6 × 43 places, not 1e-7 × 43.
    shortfall = [(s, d, y, u - 1e-5 if y == 2029 else u) for s, d, y, u in HAND_SHORTFALL]
    plan = make_plan(tiny, HAND_STARTS, shortfall)
    assert check_plan(tiny, plan) == []
    assert [v.constraint for v in check_plan(tiny, plan, tolerance=1e-7)] == [
        "coverage[preschool,2029]"
    ]


def test_messages_name_units(tiny: Scenario) -> None:
    starts = {"WATER-EXT": {2026: 1}, "PS-NEW": {2026: 1}, "PS-NORTH": {2027: 1}}
    (violation,) = check_plan(tiny, make_plan(tiny, starts))
    assert violation.kind == "budget"
    assert "net spend 11.0 MSEK" in violation.message
    assert "exceeds the 2027 ceiling 8.0 MSEK" in violation.message
    assert "by 3.0 MSEK" in violation.message


# --------------------------------------------------------------------------------------
# One violating plan per constraint kind
# --------------------------------------------------------------------------------------
Case = Callable[[Path, Scenario], tuple[Scenario, Plan, dict[str, float]]]
CASES: dict[str, tuple[str, Case]] = {}


def case(kind: str, name: str | None = None) -> Callable[[Case], Case]:
    def register(function: Case) -> Case:
        CASES[name or kind] = (kind, function)
        return function

    return register


@case("unknown_candidate")
def _unknown(tmp: Path, tiny: Scenario):
    return tiny, make_plan(tiny, {"NOPE": {2026: 1}}), {"unknown_candidate[NOPE]": 1.0}


@case("start_units")
def _start_units(tmp: Path, tiny: Scenario):
    # Half a PS-MOD and minus one PS-EXT (−10 places in 2030: shortfall demand + 10 covers it).
    shortfall = [(s, d, y, u + 10) for s, d, y, u in tiny.demand.itertuples(index=False)]
    plan = make_plan(tiny, {"PS-MOD": {2027: 0.5}, "PS-EXT": {2029: -1}}, shortfall)
    return tiny, plan, {"start_units[PS-MOD,2027]": 0.5, "start_units[PS-EXT,2029]": 1.0}


@case("window")
def _window(tmp: Path, tiny: Scenario):
    # PS-EXT may start 2026-2029.
    return tiny, make_plan(tiny, {"PS-EXT": {2030: 1}}), {"window[PS-EXT]": 1.0}


@case("units")
def _units(tmp: Path, tiny: Scenario):
    # PS-MOD has max_units 2.
    return tiny, make_plan(tiny, {"PS-MOD": {2026: 2, 2027: 1}}), {"units[PS-MOD]": 1.0}


@case("coverage")
def _coverage(tmp: Path, tiny: Scenario):
    # Nothing built: preschool needs shortfall 1, 2, 43, 44 in 2027-2030; 2029's is missing.
    shortfall = [
        ("preschool", "", 2027, 1.0),
        ("preschool", "", 2028, 2.0),
        ("preschool", "", 2030, 44.0),
    ]
    return tiny, make_plan(tiny, shortfall=shortfall), {"coverage[preschool,2029]": 43.0}


@case("coverage", "coverage_district")
def _coverage_district(tmp: Path, tiny: Scenario):
    # No transfers: N has 10 places for a demand of 20; S has 20 for 10, which does not help N.
    scenario = districts_scenario(tmp / "d")
    expected = {"coverage[preschool,N,2026]": 10.0, "coverage[preschool,N,2027]": 10.0}
    return scenario, make_plan(scenario, shortfall=[]), expected


@case("coverage", "coverage_district_candidate")
def _coverage_district_candidate(tmp: Path, tiny: Scenario):
    # N-NEW stands in N: N is covered, but S's shortfall row 2027 is missing after S serves N.
    scenario = districts_scenario(tmp / "d")
    plan = make_plan(
        scenario,
        {"N-NEW": {2026: 1}},
        shortfall=[("preschool", "S", 2026, 5.0)],
        transfers=[("preschool", "S", "N", 2026, 5.0), ("preschool", "S", "N", 2027, 15.0)],
    )
    # 2027: S 20 − 15 = 5 < 10, and N receives 15 > 0.5 × 20.
    expected = {"coverage[preschool,S,2027]": 5.0, "neighbour_share[preschool,N,2027]": 5.0}
    return scenario, plan, expected


@case("shortfall")
def _shortfall(tmp: Path, tiny: Scenario):
    # Water 2026: 110 pe − 5 still covers 100 pe, but shortfall must be ≥ 0; and a row for a
    # service the scenario does not have.
    shortfall = [(s, d, y, u) for s, d, y, u in tiny.demand.itertuples(index=False)]
    shortfall = [(s, d, y, -5.0 if (s, y) == ("water", 2026) else u) for s, d, y, u in shortfall]
    shortfall.append(("school", "", 2026, 3.0))
    expected = {"shortfall[water,2026]": 5.0, "shortfall[school,2026]": 3.0}
    return tiny, make_plan(tiny, shortfall=shortfall), expected


@case("hard_coverage")
def _hard_coverage(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(
        tmp / "s", replace=(('objective = "cost"', 'objective = "cost"\nhard_coverage = true'),)
    )
    shortfall = [
        ("preschool", "", y, u) for y, u in ((2027, 1.0), (2028, 2.0), (2029, 43.0), (2030, 44.0))
    ]
    expected = {f"hard_coverage[preschool,{y}]": u for _, _, y, u in shortfall}
    return scenario, make_plan(scenario, shortfall=shortfall), expected


@case("transfer")
def _transfer(tmp: Path, tiny: Scenario):
    # N is not a neighbour of S, so N may not serve S (1 place in 2026; N's gap is shortfall).
    scenario = districts_scenario(tmp / "d")
    plan = make_plan(
        scenario,
        shortfall=[("preschool", "N", 2026, 1.0)],
        transfers=[*DISTRICT_TRANSFERS, ("preschool", "N", "S", 2026, 1.0)],
    )
    return scenario, plan, {"transfer[preschool,N,S,2026]": 1.0}


@case("neighbour_share")
def _neighbour_share(tmp: Path, tiny: Scenario):
    # S serves N with 12 places in 2026, more than 0.5 × 20; S covers its own gap by shortfall.
    scenario = districts_scenario(tmp / "d")
    plan = make_plan(
        scenario,
        shortfall=[("preschool", "S", 2026, 2.0)],
        transfers=[("preschool", "S", "N", 2026, 12.0), DISTRICT_TRANSFERS[1]],
    )
    return scenario, plan, {"neighbour_share[preschool,N,2026]": 2.0}


@case("budget")
def _budget(tmp: Path, tiny: Scenario):
    # Tax 2027: PS-NEW's second half 5 + PS-NORTH 6 = 11 against 8.
    starts = {"WATER-EXT": {2026: 1}, "PS-NEW": {2026: 1}, "PS-NORTH": {2027: 1}}
    return tiny, make_plan(tiny, starts), {"budget[tax,2027]": 3.0}


@case("carry_over")
def _carry_over_not_allowed(tmp: Path, tiny: Scenario):
    # Tiny's pools do not carry over; budget still holds (0 + 1 ≤ 8, then 0 ≤ 8 + 1).
    plan = make_plan(tiny, carry_over=[("tax", 2026, 1.0)])
    return tiny, plan, {"carry_over[tax,2026]": 1.0}


@case("carry_over", "carry_over_cap")
def _carry_over_cap(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(
        tmp / "s",
        replace=(('name = "Tax-financed"', 'name = "Tax"\ncarry_over = true\ncarry_over_cap = 2'),),
    )
    plan = make_plan(scenario, carry_over=[("tax", 2026, 3.0)])
    return scenario, plan, {"carry_over[tax,2026]": 1.0}


@case("department_budget")
def _department_budget(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(
        tmp / "s", files={"department_budgets.csv": "department,year,ceiling\nBUF,2026,4\n"}
    )
    # PS-NEW spends 5 in 2026 against BUF's 4.
    plan = make_plan(scenario, {"PS-NEW": {2026: 1}})
    return scenario, plan, {"department_budget[BUF,2026]": 1.0}


@case("debt")
def _debt(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(tmp / "s", append=DEBT_TOML, files={"policy_years.csv": debt_policy()})
    # D2027 = 17 < 14 + 5 − 1 = 18; later years follow from the plan's own D2027.
    debt = {2026: 14.0, 2027: 17.0, 2028: 16.0, 2029: 15.0, 2030: 14.0}
    plan = make_plan(scenario, {"PS-NEW": {2026: 1}}, debt=debt)
    return scenario, plan, {"debt[2027]": 1.0}


@case("debt", "debt_negative")
def _debt_negative(tmp: Path, tiny: Scenario):
    policy = debt_policy(self_financing=5, ceiling="")
    scenario = edited_tiny(tmp / "s", append=DEBT_TOML, files={"policy_years.csv": policy})
    # Nothing built, self-financing 5 a year: 10 − 5 = 5, then 0; debt may not go below 0.
    debt = {2026: 5.0, 2027: 0.0, 2028: -1.0, 2029: 0.0, 2030: 0.0}
    return scenario, make_plan(scenario, debt=debt), {"debt[2028]": 1.0}


@case("debt_ceiling")
def _debt_ceiling(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(tmp / "s", append=DEBT_TOML, files={"policy_years.csv": debt_policy()})
    plan = make_plan(scenario, {"PS-NEW": {2026: 1}}, debt=DEBT_FLOOR)
    return scenario, plan, {"debt_ceiling[2027]": 0.5}  # 18 > 17.5


@case("precedence")
def _precedence(tmp: Path, tiny: Scenario):
    # PS-NORTH starts 2027, WATER-EXT only opens 2028.
    starts = {"WATER-EXT": {2027: 1}, "PS-NORTH": {2027: 1}}
    return tiny, make_plan(tiny, starts), {"precedence[PS-NORTH,WATER-EXT,2027]": 1.0}


@case("precedence", "precedence_never_built")
def _precedence_never_built(tmp: Path, tiny: Scenario):
    # WATER-EXT never built: every year from PS-NORTH's start is violated.
    expected = {f"precedence[PS-NORTH,WATER-EXT,{y}]": 1.0 for y in (2029, 2030)}
    return tiny, make_plan(tiny, {"PS-NORTH": {2029: 1}}), expected


@case("opens_with")
def _opens_with(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(
        tmp / "s",
        files={
            "dependencies.csv": "candidate,requires,kind,lag\n"
            "PS-NORTH,WATER-EXT,in_service_when_opens,0\n"
        },
    )
    # PS-NORTH opens 2027 (start 2026); WATER-EXT opens 2028 (start 2027).
    starts = {"PS-NORTH": {2026: 1}, "WATER-EXT": {2027: 1}}
    return scenario, make_plan(scenario, starts), {"opens_with[PS-NORTH,WATER-EXT,2027]": 1.0}


@case("opens_with", "opens_with_after_horizon")
def _opens_with_after_horizon(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(
        tmp / "s",
        files={
            "dependencies.csv": "candidate,requires,kind,lag\n"
            "PS-NORTH,WATER-EXT,in_service_when_opens,0\n"
        },
        candidates={"PS-NORTH": {"latest_start": "2030"}},
    )
    # PS-NORTH starts 2030 and opens 2031, after the horizon; WATER-EXT is never built.
    plan = make_plan(scenario, {"PS-NORTH": {2030: 1}})
    return scenario, plan, {"opens_with[PS-NORTH,WATER-EXT,2031]": 1.0}


@case("exclusive")
def _exclusive(tmp: Path, tiny: Scenario):
    starts = {"PS-NEW": {2026: 1}, "PS-EXT": {2028: 1}}
    return tiny, make_plan(tiny, starts), {"exclusive[preschool-site]": 1.0}


@case("exclusive", "exclusive_modular")
def _exclusive_modular(tmp: Path, tiny: Scenario):
    # PS-MOD (2 units) joins PS-EXT's group: two candidates of one group are built, whatever
    # the units; the group counts PS-MOD once, so the excess is 1 (not 2).
    scenario = edited_tiny(tmp / "s", candidates={"PS-MOD": {"exclusive_group": "preschool-site"}})
    plan = make_plan(scenario, {"PS-MOD": {2026: 2}, "PS-EXT": {2026: 1}})
    return scenario, plan, {"exclusive[preschool-site]": 1.0}


@case("must_do")
def _must_do(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(tmp / "s", candidates={"PS-EXT": {"must_do": "yes"}})
    return scenario, make_plan(scenario), {"must_do[PS-EXT]": 1.0}


@case("deadline")
def _deadline(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(tmp / "s", candidates={"PS-EXT": {"deadline": "2029"}})
    return scenario, make_plan(scenario), {"deadline[PS-EXT]": 1.0}


@case("committed")
def _committed(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(tmp / "s", candidates={"PS-EXT": {"committed_start": "2027"}})
    return scenario, make_plan(scenario), {"committed[PS-EXT]": 1.0}


@case("co2e_cap")
def _co2e_cap(tmp: Path, tiny: Scenario):
    policy = "year,co2e_cap_t,existing_co2e_t\n2026,140,100\n" + "".join(
        f"{y},,100\n" for y in range(2027, 2031)
    )
    scenario = edited_tiny(tmp / "s", files={"policy_years.csv": policy})
    # 2026: PS-NEW's embodied 90 t × 0.5 + existing 100 = 145 t against 140.
    return scenario, make_plan(scenario, {"PS-NEW": {2026: 1}}), {"co2e_cap[2026]": 5.0}


@case("co2e_budget")
def _co2e_budget(tmp: Path, tiny: Scenario):
    policy = "year,existing_co2e_t\n" + "".join(f"{y},100\n" for y in range(2026, 2031))
    scenario = edited_tiny(
        tmp / "s",
        append="\n[climate]\ncumulative_budget_t = 590\n",
        files={"policy_years.csv": policy},
    )
    # Existing 5 × 100 + PS-NEW embodied 90 + operational 1 t × 3 years (2028-2030) = 593 t.
    return scenario, make_plan(scenario, {"PS-NEW": {2026: 1}}), {"co2e_budget": 3.0}


@case("staff")
def _staff(tmp: Path, tiny: Scenario):
    staff = "department,year,recruitable_fte\n" + "".join(
        f"BUF,{y},{3 if y == 2028 else 10}\n" for y in range(2026, 2031)
    )
    scenario = edited_tiny(tmp / "s", files={"staff.csv": staff})
    # PS-NEW needs 4 FTE from 2028.
    return scenario, make_plan(scenario, {"PS-NEW": {2026: 1}}), {"staff[BUF,2028]": 1.0}


@case("delivery")
def _delivery(tmp: Path, tiny: Scenario):
    policy = "year,max_projects_under_construction\n2026,1\n"
    scenario = edited_tiny(tmp / "s", files={"policy_years.csv": policy})
    # 2026: PS-NEW and WATER-EXT both under construction.
    starts = {"PS-NEW": {2026: 1}, "WATER-EXT": {2026: 1}}
    return scenario, make_plan(scenario, starts), {"delivery[2026]": 1.0}


@case("delivery", "delivery_department")
def _delivery_department(tmp: Path, tiny: Scenario):
    scenario = edited_tiny(
        tmp / "s",
        replace=(
            (
                'name = "Barn- och utbildningsförvaltningen"',
                'name = "BUF"\nmax_projects_under_construction = 0',
            ),
        ),
    )
    # PS-NEW (lead 2) is under construction 2026 and 2027; PS-MOD (lead 0) never is.
    plan = make_plan(scenario, {"PS-NEW": {2026: 1}, "PS-MOD": {2026: 1}})
    return scenario, plan, {"delivery[BUF,2026]": 1.0, "delivery[BUF,2027]": 1.0}


# Finance on tiny: revenue 100 000 SEK × 100…108 inhabitants = 10…10.8 MSEK, existing net
# cost 9…9.8: 1 MSEK a year before the plan's opex, depreciation and interest (interest 0).
# PS-NEW 2026 + PS-MOD ×2 2029: tax investment 5, 5, 0, 2, 0; opex 0, 0, 0, 1, 1; depreciation
# 0, 0, 0.25, 0.25 + 2/3, 0.25 + 2/3; result 1, 1, 0.75, −0.9167, −0.9167; cash flow (result +
# depreciation) 1, 1, 1, 0, 0; debt floor 4, 8, 7, 9, 9.
FINANCE_TOML = """
    [debt]
    opening = 0
    interest_rate = 0
    pools = ["tax"]

    [finance]
    revenue_per_inhabitant = 100000
    """
FINANCE_POLICY = "year,existing_net_cost\n" + "".join(
    f"{y},{9 + 0.2 * (y - 2026):.1f}\n" for y in range(2026, 2031)
)
FINANCE_STARTS = {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}}
FINANCE_DEBT = {2026: 4.0, 2027: 8.0, 2028: 7.0, 2029: 9.0, 2030: 9.0}


def finance_tiny(folder: Path, target: str = "", other: str = "") -> Scenario:
    files = {"policy_years.csv": FINANCE_POLICY}
    if other:
        files["other_investments.csv"] = "year,pool,department,amount,lifetime\n" + other
    return edited_tiny(folder, append=FINANCE_TOML + target + "\n", files=files)


@case("balance")
def _balance(tmp: Path, tiny: Scenario):
    scenario = finance_tiny(tmp / "s", "result_target_share = 0")
    plan = make_plan(scenario, FINANCE_STARTS, debt=FINANCE_DEBT)
    return scenario, plan, {"balance[2029]": 0.25 + 2 / 3, "balance[2030]": 0.25 + 2 / 3}


@case("self_financing_rate")
def _self_financing_rate(tmp: Path, tiny: Scenario):
    scenario = finance_tiny(tmp / "s", "self_financing_rate = 0.2")
    plan = make_plan(scenario, FINANCE_STARTS, debt=FINANCE_DEBT)
    return scenario, plan, {"self_financing_rate[2029]": 0.4}  # pays 0 of 0.2 × 2


@case("period_self_financing")
def _period_self_financing(tmp: Path, tiny: Scenario):
    scenario = finance_tiny(tmp / "s", "period_self_financing_rate = 0.3")
    plan = make_plan(scenario, FINANCE_STARTS, debt=FINANCE_DEBT)
    return scenario, plan, {"period_self_financing": 0.6}  # pays 3 of 0.3 × 12


@case("debt_per_inhabitant")
def _debt_per_inhabitant(tmp: Path, tiny: Scenario):
    scenario = finance_tiny(tmp / "s", "debt_per_inhabitant = 70000")
    debt = {2026: 4.0, 2027: 8.0, 2028: 7.0, 2029: 6.0, 2030: 5.0}
    plan = make_plan(scenario, {"PS-NEW": {2026: 1}}, debt=debt)
    return scenario, plan, {"debt_per_inhabitant[2027]": 8.0 - 7.14}  # 70 000 × 102


@case("debt", "debt_financed_by_the_result")
def _debt_financed_by_the_result(tmp: Path, tiny: Scenario):
    scenario = finance_tiny(tmp / "s")
    debt = {2026: 4.0, 2027: 7.5, 2028: 7.0, 2029: 9.0, 2030: 9.0}
    plan = make_plan(scenario, FINANCE_STARTS, debt=debt)
    return scenario, plan, {"debt[2027]": 0.5}  # 4 + 5 − cash flow 1 = 8


@case("debt", "debt_with_other_investment")
def _debt_with_other_investment(tmp: Path, tiny: Scenario):
    # 3 MSEK of other tax investment in 2028, depreciated over 3 years (1 a year from 2028):
    # cash flow stays 1 (result falls by 1, depreciation rises by 1), so the floor is 7 + 3 = 10.
    scenario = finance_tiny(tmp / "s", other="2028,tax,,3,3\n")
    debt = {2026: 4.0, 2027: 8.0, 2028: 7.0, 2029: 9.0, 2030: 9.0}
    plan = make_plan(scenario, FINANCE_STARTS, debt=debt)
    return scenario, plan, {"debt[2028]": 3.0}


@case("budget", "budget_with_other_investment")
def _budget_with_other_investment(tmp: Path, tiny: Scenario):
    # 4 MSEK of other tax investment in 2026 beside PS-NEW's 5: 9 > 8.
    scenario = edited_tiny(
        tmp / "s", files={"other_investments.csv": "year,pool,amount\n2026,tax,4\n"}
    )
    return scenario, make_plan(scenario, {"PS-NEW": {2026: 1}}), {"budget[tax,2026]": 1.0}


@case("department_budget", "department_ceiling_with_other_investment")
def _department_with_other_investment(tmp: Path, tiny: Scenario):
    files = {
        "other_investments.csv": "year,pool,department,amount\n2027,tax,BUF,2\n",
        "department_budgets.csv": "department,year,ceiling\nBUF,2027,6\n",
    }
    scenario = edited_tiny(tmp / "s", files=files)
    plan = make_plan(scenario, {"PS-NEW": {2026: 1}})
    return scenario, plan, {"department_budget[BUF,2027]": 1.0}  # 5 + 2 > 6


@case("objective")
def _objective(tmp: Path, tiny: Scenario):
    plan = make_plan(tiny, HAND_STARTS, HAND_SHORTFALL, objective=HAND_OBJECTIVE + 0.01)
    return tiny, plan, {"objective": 0.01}


# ---- ageing assets, duties, emergency options, terminal condition (docs/model.md) ------
ASSETS_HEADER = "id,name,service,district,capacity,retirement_year,earliest_closure\n"
WATERWORKS = "WW-1,Waterworks,water,,110,,\n"
COVERED = [("preschool", "", y, 200.0) for y in range(2026, 2031)]  # coverage never binds


@case("closure")
def _closure(tmp: Path, tiny: Scenario):
    assets = ASSETS_HEADER + "PS-OLD,Old preschool,preschool,,40,2029,2027\n" + WATERWORKS
    scenario = edited_tiny(tmp / "s", files={"existing_assets.csv": assets})
    plan = make_plan(scenario, shortfall=COVERED)
    # PS-OLD may close early in 2027 or 2028 (before it retires in 2029), not in 2029
    plan.early_closures = {"PS-OLD": 2029, "PS-GONE": 2027}
    return scenario, plan, {"closure[PS-OLD,2029]": 1.0, "closure[PS-GONE]": 1.0}


@case("asset_fate")
def _asset_fate(tmp: Path, tiny: Scenario):
    assets = ASSETS_HEADER + "PS-OLD,Old preschool,preschool,,40,2029,2027\n" + WATERWORKS
    rows = (TINY / "candidates.csv").read_text().strip().split("\n")
    renovating = [rows[0] + ",renovates"] + [
        r + (",PS-OLD" if r.startswith("PS-EXT,") else ",") for r in rows[1:]
    ]
    files = {"existing_assets.csv": assets, "candidates.csv": "\n".join(renovating) + "\n"}
    scenario = edited_tiny(tmp / "s", files=files)
    plan = make_plan(scenario, {"PS-EXT": {2026: 1}}, shortfall=COVERED)
    plan.early_closures = {"PS-OLD": 2027}  # renovated and closed early: two fates
    return scenario, plan, {"asset_fate[PS-OLD]": 1.0}


@case("emergency")
def _emergency(tmp: Path, tiny: Scenario):
    options = "id,kind,service,cost,max_units,last_year\nPAV,pavilion,preschool,1,5,2028\n"
    scenario = edited_tiny(tmp / "s", files={"emergency_options.csv": options})
    plan = make_plan(scenario)
    # 7 places from a pavilion that gives 5; used in 2029, after its last year; an unknown option
    plan.emergency = pd.DataFrame(
        [("PAV", 2027, 7.0), ("PAV", 2029, 1.0), ("TENT", 2027, 2.0)],
        columns=["option", "year", "units"],
    )
    expected = {"emergency[PAV,2027]": 2.0, "emergency[PAV,2029]": 1.0, "emergency[TENT,2027]": 2.0}
    return scenario, plan, expected


@case("duty")
def _duty(tmp: Path, tiny: Scenario):
    rule = 'demand_rates = { "1-5" = 0.5 }'
    scenario = edited_tiny(
        tmp / "s", replace=((rule, rule + "\nduty_from = 2029\nterminal = false"),)
    )
    # shortfall = demand everywhere: preschool's 43 and 44 places in its duty years are missing
    plan = make_plan(scenario)
    return scenario, plan, {"duty[preschool,2029]": 43.0, "duty[preschool,2030]": 44.0}


@case("terminal")
def _terminal(tmp: Path, tiny: Scenario):
    rule = 'demand_rates = { "1-5" = 0.5 }'
    scenario = edited_tiny(tmp / "s", replace=((rule, rule + "\nterminal = true"),))
    # nothing built, PS-OLD retired in 2029: 0 of 44 places stand at the end of 2030
    return scenario, make_plan(scenario), {"terminal[preschool]": 44.0}


@pytest.mark.parametrize("name", sorted(CASES))
def test_violation(name: str, tmp_path: Path, tiny: Scenario) -> None:
    kind, build = CASES[name]
    scenario, plan, expected = build(tmp_path, tiny)
    violations = check_plan(scenario, plan)
    assert violations_by_name(violations) == pytest.approx(expected)
    assert kind in {v.kind for v in violations}
    assert all(v.message for v in violations)


def test_every_constraint_kind_has_a_case() -> None:
    assert {kind for kind, _ in CASES.values()} == set(CONSTRAINT_KINDS)
