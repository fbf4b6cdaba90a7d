"""One small, hand-checkable model per constraint block (docs/model.md, Constraints).

Each case is scenarios/tiny with one limit added or removed; the expected plan changes because
of that block and nothing else. Tiny, base variant: no discounting, shortfall 1 MSEK per place
and year, tax budget 8 MSEK/yr, VA 2 MSEK/yr, old preschool (40 places) retires 2029; preschool
demand 40, 41, 42, 43, 44 (2026-2030). Every plan also passes the independent checker (run by
``run_scenario``) and both running-sum formulations must agree.

Hand arithmetic for the base optimum (12.4733 MSEK):
  PS-NEW   start 2026: capex 10, in service 2028-2067, salvage 10·37/40 = 9.25  -> 0.75
  WATER-EXT start 2027: net capex 1.5 (50 % grant), salvage 1.5·47/50 = 1.41      -> 0.09
  PS-NORTH start 2028: capex 6, salvage 6·38/40 = 5.7                             -> 0.30
  PS-MOD ×2 start 2029: capex 2 + opex 0.5·2 units·2 years = 4, salvage 2·1/3     -> 3.3333
  shortfall: 2027: 41-40 = 1; 2029: 43-40 = 3; 2030: 44-40 = 4                   -> 8
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from scenario_factory import TINY, solve, tiny_copy

from optimizer import load_scenario
from optimizer.data import build_data
from optimizer.model import AdoptedStarts, BuildOptions, build
from optimizer.model.registry import CONSTRAINT_BLOCKS, DECISION_ROWS, ROW_BLOCKS, RowKey

CANDIDATES = (TINY / "candidates.csv").read_text()
YEARS = range(2026, 2031)


def yearly(header: str, row) -> str:
    return header + "\n" + "".join(row(y) + "\n" for y in YEARS)


def budgets(tax: list[float], va: float = 2) -> str:
    return yearly("pool,year,ceiling", lambda y: f"tax,{y},{tax[y - 2026]}") + "".join(
        f"va,{y},{va}\n" for y in YEARS
    )


def candidate_edit(old: str, new: str) -> str:
    assert old in CANDIDATES
    return CANDIDATES.replace(old, new)


WATER = "WATER-EXT,Water main to the new area,TEK,,3,1,1,2026,2029,50,0,0,30,0,va,0.5,no,,"
PS_EXT = "PS-EXT,Preschool extension (10 places),BUF,,4,1,1,2026,2029,30,0,2,40,0.5,tax,0,no,,,"
PS_NEW = "PS-NEW,New preschool (20 places),BUF,,10,0.5|0.5,2,2026,2028,40,0,4,90,1,tax,0,no,,,preschool-site,"
PS_NORTH = (
    "PS-NORTH,Preschool in the new area (10 places),BUF,,6,1,1,2026,2029,40,0,2,45,0.5,tax,0,no,"
)
POOL_TAX = 'id = "tax"\nname = "Tax-financed"'

# name -> (block of CONSTRAINT_BLOCKS, edits for tiny_copy (and "options": BuildOptions),
#          expected status, objective, starts)
BASE_STARTS = {
    "PS-NEW": {2026: 1},
    "PS-MOD": {2029: 2},
    "WATER-EXT": {2027: 1},
    "PS-NORTH": {2028: 1},
}
# An adopted plan with PS-EXT where the base optimum has PS-NEW: 0.5333 (PS-EXT: capex 4,
# salvage 4·26/30) + 0.09 + 0.30 + 3.3333 + shortfall 27 (10 places fewer from 2028) = 31.2567.
ADOPTED_EXT = {
    "PS-EXT": {2026: 1},
    "PS-MOD": {2029: 2},
    "WATER-EXT": {2027: 1},
    "PS-NORTH": {2028: 1},
}


def adopted(price: float) -> BuildOptions:
    return BuildOptions(adopted=AdoptedStarts(ADOPTED_EXT, price))


CASES = {
    "base": ("coverage", {}, "optimal", 12.473333, BASE_STARTS),
    # Shortfall cheaper than any project: nothing is built; cost = 90 missing place-years × 0.001.
    "cheap_shortfall": (
        "coverage",
        {"toml_replace": {"shortfall_cost = 1.0          # MSEK": "shortfall_cost = 0.001 # MSEK"}},
        "optimal",
        0.09,
        {},
    ),
    # Hard coverage: 2029 needs 43 places, the most tiny can have is 20 + 10 + 2·5 = 40.
    "hard_coverage": (
        "coverage",
        {"toml_replace": {'objective = "cost"': 'objective = "cost"\nhard_coverage = true'}},
        "infeasible",
        None,
        {},
    ),
    # Tax budget 4/yr: PS-NEW (5/yr) and PS-NORTH (6) no longer fit; PS-EXT (4) does.
    # 0.5333 (PS-EXT) + 3.3333 (modules) + shortfall 23 + 24 = 50.8667
    "budget": (
        "budget",
        {"files": {"budgets.csv": budgets([4] * 5)}},
        "optimal",
        50.866667,
        {"PS-EXT": {2026: 1}, "PS-MOD": {2029: 2}},
    ),  # fmt: skip
    # Tax 3,3,8,2,2 without carry-over: only PS-EXT (4) in 2028 plus one module per year.
    "no_carry_over": (
        "budget",
        {"files": {"budgets.csv": budgets([3, 3, 8, 2, 2])}},
        "optimal",
        52.433333,
        {"PS-EXT": {2028: 1}, "PS-MOD": {2028: 1, 2029: 1}},
    ),
    # The same budget with carry-over: 2026's unspent 3 MSEK lets PS-EXT start in 2027 (4 ≤ 3+3).
    "carry_over": (
        "budget",
        {
            "files": {"budgets.csv": budgets([3, 3, 8, 2, 2])},
            "toml_replace": {POOL_TAX: POOL_TAX + "\ncarry_over = true"},
        },
        "optimal",
        32.123333,
        {"PS-EXT": {2027: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
    # BUF may spend 5/yr: PS-NORTH (6 in one year) is out, so is the water main it needed.
    "department_budget": (
        "budget",
        {
            "files": {
                "department_budgets.csv": yearly("department,year,ceiling", lambda y: f"BUF,{y},5")
            }
        },
        "optimal",
        32.083333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}},
    ),
    # Debt: self-financing 2/yr, ceiling 4: PS-NEW's 5+5 would need debt 3 then 6 > 4.
    "debt": (
        "debt",
        {
            "toml_extra": '[debt]\nopening = 0\ninterest_rate = 0.1\npools = ["tax"]\n',
            "files": {
                "policy_years.csv": yearly("year,self_financing,debt_ceiling", lambda y: f"{y},2,4")
            },
        },
        "optimal",
        32.456667,
        {"PS-EXT": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
    # Without the dependency PS-NORTH starts in 2026 and the water main is not built.
    "no_precedence": (
        "precedence",
        {"files": {"dependencies.csv": "candidate,requires,kind,lag\n"}},
        "optimal",
        11.433333,
        {"PS-NEW": {2027: 1}, "PS-MOD": {2029: 2}, "PS-NORTH": {2026: 1}},
    ),
    # A lag of one year: PS-NORTH may start only a year after the main is in service.
    "precedence_lag": (
        "precedence",
        {
            "files": {
                "dependencies.csv": "candidate,requires,kind,lag\nPS-NORTH,WATER-EXT,in_service_before_start,1\n"
            }
        },
        "optimal",
        12.503333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2028: 1}},
    ),
    # "In service when it opens": both may start in 2026 and open together in 2027.
    "opens_with": (
        "precedence",
        {
            "files": {
                "dependencies.csv": "candidate,requires,kind,lag\nPS-NORTH,WATER-EXT,in_service_when_opens,0\n"
            }
        },
        "optimal",
        11.553333,
        {"PS-NEW": {2027: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2026: 1}},
    ),
    # Shortfall almost free, PS-NORTH must-do and may start 2030 (opening 2031, after the
    # horizon), "in service when it opens" on the main: PS-NORTH starts 2030 (capex 6, salvage
    # 6·40/40 = 6 -> 0) and the main must still be in service by 2031, so it starts at its latest,
    # 2029 (net 1.5, salvage 1.5·49/50 = 1.47 -> 0.03); shortfall 90 place-years × 0.001 = 0.09.
    "opens_after_horizon": (
        "precedence",
        {
            "toml_replace": {
                "shortfall_cost = 1.0          # MSEK": "shortfall_cost = 0.001 # MSEK"
            },
            "files": {
                "dependencies.csv": "candidate,requires,kind,lag\nPS-NORTH,WATER-EXT,in_service_when_opens,0\n",
                "candidates.csv": candidate_edit(
                    PS_NORTH, PS_NORTH.replace(",2029,40,", ",2030,40,").replace(",no,", ",yes,")
                ),
            },
        },
        "optimal",
        0.12,
        {"WATER-EXT": {2029: 1}, "PS-NORTH": {2030: 1}},
    ),
    # Without the exclusive group both PS-NEW and PS-EXT are built.
    "no_exclusive_group": (
        "choice",
        {"files": {"candidates.csv": CANDIDATES.replace(",preschool-site,", ",,")}},
        "optimal",
        7.576667,
        {
            "PS-NEW": {2027: 1},
            "PS-EXT": {2026: 1},
            "PS-MOD": {2029: 2},
            "WATER-EXT": {2028: 1},
            "PS-NORTH": {2029: 1},
        },
    ),
    # Committed PS-EXT in 2028 rules out PS-NEW (same group).
    "committed": (
        "choice",
        {"files": {"candidates.csv": candidate_edit(PS_EXT, PS_EXT[:-1] + "2028,")}},
        "optimal",
        32.17,
        {"PS-EXT": {2028: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2027: 1}},
    ),
    # Almost free shortfall; PS-NEW committed to start 2030, so it spends 5 in 2030 and 5 in
    # 2031, after the horizon: only the 5 inside is charged, and salvage is credited on those 5
    # alone (5·40/40 = 5), not on the whole 10 (which would give −5). Shortfall 90 × 0.001.
    "committed_past_horizon": (
        "choice",
        {
            "toml_replace": {
                "shortfall_cost = 1.0          # MSEK": "shortfall_cost = 0.001 # MSEK"
            },
            "files": {
                "candidates.csv": candidate_edit(
                    PS_NEW, PS_NEW.replace(",2028,40,", ",2030,40,").replace(",,,pre", ",,2030,pre")
                )
            },
        },
        "optimal",
        0.09,
        {"PS-NEW": {2030: 1}},
    ),
    # Must-do water main in service by 2027: it starts in 2026, a year earlier (+0.03 salvage).
    "must_do_deadline": (
        "choice",
        {"files": {"candidates.csv": candidate_edit(WATER, WATER.replace(",no,,", ",yes,2027,"))}},
        "optimal",
        12.503333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2026: 1}, "PS-NORTH": {2028: 1}},
    ),
    # 50 t/yr: PS-NEW (45 t/yr) and the main (30 t) may not be built in the same year.
    "co2e_cap": (
        "climate",
        {
            "files": {
                "policy_years.csv": yearly("year,co2e_cap_t,existing_co2e_t", lambda y: f"{y},50,0")
            }
        },
        "optimal",
        23.96,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2028: 2}, "WATER-EXT": {2028: 1}, "PS-NORTH": {2029: 1}},
    ),
    # 150 t in all: PS-NEW (90 t) gives way to PS-EXT (40 t).
    "co2e_budget": (
        "climate",
        {"toml_extra": "[climate]\ncumulative_budget_t = 150\n"},
        "optimal",
        31.256667,
        {"PS-EXT": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
    # 6 FTE recruitable: PS-NEW (4) + PS-NORTH (2); no staff left for the modules (1 each).
    "staff": (
        "staff",
        {"files": {"staff.csv": yearly("department,year,recruitable_fte", lambda y: f"BUF,{y},6")}},
        "optimal",
        29.14,
        {"PS-NEW": {2026: 1}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}},
    ),
    # One project under construction at a time: the main waits until PS-NEW is done.
    "delivery": (
        "delivery",
        {
            "files": {
                "policy_years.csv": yearly(
                    "year,max_projects_under_construction", lambda y: f"{y},1"
                )
            }
        },
        "optimal",
        22.293333,
        {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2028: 1}, "PS-NORTH": {2029: 1}},
    ),
    # Stability against ADOPTED_EXT: going back to the base optimum changes two candidates
    # (PS-EXT removed, PS-NEW added) and saves 31.2567 − 12.4733 = 18.7833 MSEK, so it pays
    # exactly when 2 × price < 18.7833. At 10 MSEK per change the adopted plan stays …
    "stability_keeps_the_adopted_plan": (
        "stability",
        {"options": adopted(10.0)},
        "optimal",
        31.256667,
        ADOPTED_EXT,
    ),
    # … at 5 MSEK the change pays: the base plan plus 2 × 5 for the two changes.
    "stability_prices_each_change": (
        "stability",
        {"options": adopted(5.0)},
        "optimal",
        22.473333,
        BASE_STARTS,
    ),
}


@pytest.mark.parametrize("running_sum", ["expression", "variable"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_block_changes_the_answer(tmp_path: Path, case: str, running_sum: str, monkeypatch) -> None:
    _, edits, status, objective, starts = CASES[case]
    edits = dict(edits)
    options = replace(edits.pop("options", BuildOptions()), running_sum=running_sum)
    folder = tiny_copy(tmp_path, **edits)
    from optimizer.run import run_scenario

    plan = run_scenario(load_scenario(folder), options=options)
    assert plan.status == status, plan.message
    if objective is None:
        assert plan.objective is None
        return
    assert plan.objective == pytest.approx(objective, abs=1e-5)
    assert plan.starts == starts
    if case != "base":  # the block is what changed the answer
        assert (plan.starts, round(plan.objective, 5)) != (BASE_STARTS, 12.47333)


def test_every_constraint_block_has_a_case() -> None:
    covered = {block for block, *_ in CASES.values()}
    missing = {block.name for block in CONSTRAINT_BLOCKS} - covered
    assert not missing, f"constraint blocks without a hand-checkable test: {sorted(missing)}"


PS_MOD = "PS-MOD,Modular preschool unit (5 places),BUF,,1,1,0,2026,2030,3,0.5,1,5,0.2,tax,0,no,,,,"


@pytest.mark.parametrize("running_sum", ["expression", "variable"])
@pytest.mark.parametrize(
    "grouped_with",
    [
        pytest.param({}, id="alone"),
        pytest.param({PS_EXT + "preschool-site,": PS_EXT + "modules,"}, id="with_PS-EXT"),
    ],
)
def test_modular_candidate_in_an_exclusive_group_builds_all_its_units(
    tmp_path: Path, grouped_with: dict[str, str], running_sum: str
) -> None:
    """A group limits candidates, not units: PS-MOD (2 units) in a group of its own, or with
    PS-EXT (which the base optimum does not build), still gets both units in 2029 and the base
    optimum 12.473333 (arithmetic in the module docstring)."""
    candidates = candidate_edit(PS_MOD, PS_MOD[:-1] + "modules,")
    for old, new in grouped_with.items():
        candidates = candidates.replace(old, new)
    folder = tiny_copy(tmp_path, files={"candidates.csv": candidates})
    from optimizer import load_scenario
    from optimizer.run import run_scenario

    plan = run_scenario(load_scenario(folder), options=BuildOptions(running_sum=running_sum))
    assert plan.status == "optimal", plan.message
    assert plan.starts == BASE_STARTS
    assert plan.objective == pytest.approx(12.473333, abs=1e-5)


@pytest.mark.parametrize("running_sum", ["expression", "variable"])
def test_must_do_member_of_a_group_rules_out_the_modular_member(
    tmp_path: Path, running_sum: str
) -> None:
    """PS-EXT must-do in a group with PS-MOD: not a single module may be built."""
    candidates = candidate_edit(PS_MOD, PS_MOD[:-1] + "modules,")
    candidates = candidates.replace(
        PS_EXT + "preschool-site,", PS_EXT.replace(",no,", ",yes,") + "modules,"
    )
    folder = tiny_copy(tmp_path, files={"candidates.csv": candidates})
    from optimizer import load_scenario
    from optimizer.run import run_scenario

    plan = run_scenario(load_scenario(folder), options=BuildOptions(running_sum=running_sum))
    assert plan.status == "optimal", plan.message
    assert "PS-EXT" in plan.starts
    assert "PS-MOD" not in plan.starts


def test_every_row_block_has_a_registry_entry(tmp_path: Path) -> None:
    """Each row block a model writes is in the registry and declared by the block writing it."""
    declared = {row: block.name for block in CONSTRAINT_BLOCKS for row in block.rows}
    declared |= {row: "decisions" for row in DECISION_ROWS}
    assert sorted(declared) == sorted(ROW_BLOCKS), "registry and constraint blocks disagree"
    modules_grouped = {"candidates.csv": candidate_edit(PS_MOD, PS_MOD[:-1] + "modules,")}
    folders = {
        "districts": (district_folder(tmp_path, 0.5), BuildOptions()),
        "modular_group": (
            tiny_copy(tmp_path, name="modules", files=modules_grouped),
            BuildOptions(),
        ),
    }
    for case, (_, edits, *_) in CASES.items():
        edits = dict(edits)
        options = edits.pop("options", BuildOptions())
        folders[case] = (tiny_copy(tmp_path, name=case, **edits), options)
    written = set()
    for folder, options in folders.values():
        data = build_data(load_scenario(folder))
        for running_sum in ("expression", "variable"):
            model = build(data, replace(options, running_sum=running_sum)).model
            unknown = set(model.row_blocks) - set(ROW_BLOCKS)
            assert not unknown, f"row blocks without a registry entry: {sorted(unknown)}"
            written |= set(model.row_blocks)
    assert written == set(ROW_BLOCKS), f"registered but never written: {set(ROW_BLOCKS) - written}"


DISTRICT_TOML = """
[scenario]
name = "Two districts"
first_year = 2026
last_year = 2027
discount_rate = 0.0

[[departments]]
id = "BUF"

[[services]]
id = "preschool"
unit = "places"
department = "BUF"
demand_rates = { "1-5" = 1.0 }
shortfall_cost = 1.0
by_district = true
neighbour_share = {share}

[[districts]]
id = "north"

[[districts]]
id = "south"
neighbours = ["north"]

[[pools]]
id = "tax"
"""


@pytest.mark.parametrize(("share", "shortfall"), [(0.0, 20.0), (0.5, 10.0), (1.0, 0.0)])
def test_coverage_per_district_with_neighbour_share(
    tmp_path: Path, share: float, shortfall: float
) -> None:
    """North has 40 places for 20 children; south has 20 children and no places.

    South may be served from north up to share × its demand, so the shortfall in south is
    20 − min(20 spare, 20·share) each year; nothing can be built (the only candidate is too dear).
    """
    plan = solve(district_folder(tmp_path, share))
    assert plan.status == "optimal"
    coverage = plan.tables["coverage"].set_index(["district", "year"])
    assert coverage.loc[("south", 2026), "shortfall"] == pytest.approx(shortfall)
    assert coverage.loc[("south", 2027), "served_from_neighbours"] == pytest.approx(
        20.0 - shortfall
    )
    assert coverage.loc[("north", 2026), "shortfall"] == pytest.approx(0.0)
    assert plan.objective == pytest.approx(2 * shortfall)


def district_folder(tmp_path: Path, share: float) -> Path:
    folder = tmp_path / "districts"
    folder.mkdir()
    (folder / "scenario.toml").write_text(DISTRICT_TOML.replace("{share}", str(share)))
    (folder / "population.csv").write_text(
        "variant,year,district,age_group,population\n"
        + "".join(f"base,{y},{d},1-5,20\n" for y in (2026, 2027) for d in ("north", "south"))
    )
    (folder / "existing_assets.csv").write_text(
        "id,service,district,capacity\nN1,preschool,north,40\n"
    )
    (folder / "candidates.csv").write_text(
        "id,name,department,district,capex,lead_time,lifetime,pool\nS1,South preschool,BUF,south,1000,0,1,tax\n"
    )
    (folder / "candidate_capacity.csv").write_text("candidate,service,capacity\nS1,preschool,20\n")
    (folder / "budgets.csv").write_text("pool,year,ceiling\ntax,2026,2000\ntax,2027,2000\n")
    return folder


def test_a_municipality_wide_service_row_key_has_no_district() -> None:
    """Coverage keys are (service, district, year) with district "" for a municipality-wide
    service: its RowKey has no district and names the row as the model and the checker do."""
    model = build(build_data(load_scenario(TINY))).model
    coverage = model.row_blocks["coverage"]
    wide = [i for i, key in enumerate(coverage.keys) if key[1] == ""]
    assert wide, "tiny has no municipality-wide service"
    for i in wide:
        row = RowKey.of("coverage", coverage.keys[i])
        assert row.district is None and row.short
        assert row.name == coverage.row_name(i) == f"coverage[{row.service},{row.year}]"
    for name, block in model.row_blocks.items():
        for i, key in enumerate(block.keys):
            assert RowKey.of(name, key).name == block.row_name(i)
