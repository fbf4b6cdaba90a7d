"""Coverage (optimizer/model/coverage.py): capacity keeps pace with demand, per service, district
and year; shortfall priced, or forbidden under hard coverage; neighbours may serve a share."""

from __future__ import annotations

import pytest
from blocks import (
    BASE_OBJECTIVE,
    BASE_STARTS,
    RUNNING_SUMS,
    Case,
    assert_case,
    cheap_shortfall,
    unchanged,
)
from scenario_factory import TINY, RawTiny

from optimizer import load_scenario
from optimizer.data import build_data
from optimizer.model import build
from optimizer.model.registry import RowKey

CASES = {
    "base": Case("coverage", unchanged, "optimal", BASE_OBJECTIVE, BASE_STARTS),
    # Shortfall cheaper than any project: nothing is built; cost = 90 missing place-years × 0.001.
    "cheap_shortfall": Case("coverage", cheap_shortfall, "optimal", 0.09, {}),
    # Hard coverage: 2029 needs 43 places, the most tiny can have is 20 + 10 + 2·5 = 40.
    "hard_coverage": Case(
        "coverage",
        lambda t: t.settings(lambda s: s["scenario"].update(hard_coverage=True)),
        "infeasible",
        None,
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_coverage_changes_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)


def two_districts(share: float):
    """North has 40 places for 20 children; south has 20 children and no places; the only
    candidate (a south preschool) is far too dear to build. Two years, no discounting."""
    tiny = RawTiny()
    tiny.raw.settings = {
        "scenario": {
            "name": "Two districts",
            "first_year": 2026,
            "last_year": 2027,
            "discount_rate": 0.0,
        },
        "departments": [{"id": "BUF"}],
        "services": [
            {
                "id": "preschool",
                "unit": "places",
                "department": "BUF",
                "demand_rates": {"1-5": 1.0},
                "shortfall_cost": 1.0,
                "by_district": True,
                "neighbour_share": share,
            }
        ],
        "districts": [{"id": "north"}, {"id": "south", "neighbours": ["north"]}],
        "pools": [{"id": "tax"}],
    }
    for table in ("dependencies", "department_budgets", "staff", "policy_years"):
        tiny.raw.tables.pop(table, None)
    tiny.table(
        "population",
        "variant,year,district,age_group,population",
        *(f"base,{y},{d},1-5,20" for y in (2026, 2027) for d in ("north", "south")),
    )
    tiny.table("existing_assets", "id,service,district,capacity", "N1,preschool,north,40")
    tiny.table(
        "candidates",
        "id,name,department,district,capex,lead_time,lifetime,pool",
        "S1,South preschool,BUF,south,1000,0,1,tax",
    )
    tiny.table("candidate_capacity", "candidate,service,capacity", "S1,preschool,20")
    tiny.table("budgets", "pool,year,ceiling", "tax,2026,2000", "tax,2027,2000")
    return tiny.scenario()


@pytest.mark.parametrize(("share", "shortfall"), [(0.0, 20.0), (0.5, 10.0), (1.0, 0.0)])
def test_coverage_per_district_with_neighbour_share(share: float, shortfall: float) -> None:
    """South may be served from north up to share × its demand, so the shortfall in south is
    20 − min(20 spare, 20·share) each year."""
    from optimizer.run import run_scenario

    plan = run_scenario(two_districts(share))
    assert plan.status == "optimal"
    coverage = plan.tables["coverage"].set_index(["district", "year"])
    assert coverage.loc[("south", 2026), "shortfall"] == pytest.approx(shortfall)
    assert coverage.loc[("south", 2027), "served_from_neighbours"] == pytest.approx(
        20.0 - shortfall
    )
    assert coverage.loc[("north", 2026), "shortfall"] == pytest.approx(0.0)
    assert plan.objective == pytest.approx(2 * shortfall)


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
