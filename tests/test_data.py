"""The arrays stage (optimizer/data.py): every per-year limit as an array over the horizon."""

from __future__ import annotations

import numpy as np
import pytest
from scenario_factory import ROOT, tiny_copy

import optimizer
from optimizer.data import build_data, year_limits

POLICY = (
    "year,co2e_cap_t,existing_co2e_t,max_projects_under_construction,self_financing,debt_ceiling\n"
    "2027,500,40,2,3,20\n"
    "2029,,10,,,\n"
    "2035,100,100,1,1,1\n"  # after the horizon: not a limit of this plan
)


def test_a_year_without_a_policy_row_has_no_limit(tmp_path):
    folder = tiny_copy(tmp_path, files={"policy_years.csv": POLICY})
    limits = year_limits(optimizer.load_scenario(folder))
    # horizon 2026-2030: positions 0..4
    np.testing.assert_array_equal(limits.co2e_cap, [np.nan, 500, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(limits.delivery, [np.nan, 2, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(limits.debt_ceiling, [np.nan, 20, np.nan, np.nan, np.nan])
    # amounts, not limits: a missing year is zero
    np.testing.assert_array_equal(limits.existing_co2e, [0, 40, 0, 10, 0])
    np.testing.assert_array_equal(limits.self_financing, [0, 3, 0, 0, 0])


def test_budget_rows_fill_the_pool_by_year_array(tmp_path):
    # listed backwards, va first, one year after the horizon
    years = (2031, 2030, 2029, 2028, 2027, 2026)
    rows = "".join(f"va,{y},{y - 2000}\n" for y in years)
    rows += "".join(f"tax,{y},{y - 2020}\n" for y in years)
    folder = tiny_copy(tmp_path, files={"budgets.csv": "pool,year,ceiling\n" + rows})
    data = build_data(optimizer.load_scenario(folder))
    assert data.pools == ["tax", "va"]
    np.testing.assert_array_equal(data.limits.pool_budget[0], [6, 7, 8, 9, 10])
    np.testing.assert_array_equal(data.limits.pool_budget[1], [26, 27, 28, 29, 30])


def test_department_limits_are_indexed_by_department_and_year(tmp_path):
    staff = "".join(f"TEK,{y},{y - 2025}\n" for y in (2027, 2026, 2028, 2029, 2030, 2031))
    folder = tiny_copy(
        tmp_path,
        files={
            "staff.csv": "department,year,recruitable_fte\n" + staff,
            "department_budgets.csv": "department,year,ceiling\n"
            + "".join(f"TEK,{y},7\n" for y in range(2026, 2031)),
        },
        toml_replace={'id = "TEK"\n': 'id = "TEK"\nmax_projects_under_construction = 1\n'},
    )
    limits = year_limits(optimizer.load_scenario(folder))
    buf, tek = 0, 1
    np.testing.assert_array_equal(limits.recruitable_fte[tek], [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(limits.department_budget[tek], [7] * 5)
    np.testing.assert_array_equal(limits.department_delivery[tek], [1] * 5)
    for limit in (limits.recruitable_fte, limits.department_budget, limits.department_delivery):
        assert np.isnan(limit[buf]).all()  # BUF has none of these limits
    # rows are written in the order staff.csv lists them (the solver's tie-breaking follows it)
    np.testing.assert_array_equal(limits.staff_order[0], [tek] * 5)
    np.testing.assert_array_equal(limits.staff_order[1], [1, 0, 2, 3, 4])


@pytest.mark.parametrize("variant", ["trend", "budget-cut"])
def test_ostersund_limits_match_its_tables(variant):
    """Every ceiling in the shipped tables lands at its (pool or department, year) position."""
    scenario = optimizer.load_scenario(ROOT / "scenarios" / "ostersund-2040", variant)
    data = build_data(scenario)
    y0 = scenario.first_year
    for row in scenario.budgets:
        if y0 <= row.year <= scenario.last_year:
            assert data.limits.pool_budget[data.pools.index(row.pool), row.year - y0] == row.ceiling
    for row in scenario.staff:
        if y0 <= row.year <= scenario.last_year:
            position = data.departments.index(row.department), row.year - y0
            assert data.limits.recruitable_fte[position] == row.recruitable_fte
    listed = sum(y0 <= r.year <= scenario.last_year for r in scenario.budgets)
    assert (~np.isnan(data.limits.pool_budget)).sum() == listed


def test_a_municipality_wide_service_has_the_same_key_shape_as_a_district_service(tmp_path):
    """Coverage rows and shortfall columns are keyed (service, district, year) throughout; a
    municipality-wide service has district "", which row names leave out."""
    from optimizer.model import build

    data = build_data(optimizer.load_scenario(tiny_copy(tmp_path)))
    built = build(data)
    for name in ("coverage",):
        block = built.model.row_blocks[name]
        assert {len(k) for k in block.keys} == {3}
        assert block.row_name(0) == f"coverage[{block.keys[0][0]},{block.keys[0][2]}]"
    assert {len(k) for k in built.model.col_blocks["shortfall"].keys} == {3}
