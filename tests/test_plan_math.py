"""Plan arithmetic (optimizer/plan_math.py) on tiny's candidates, checked by hand.

Tiny's horizon is 2026-2030. PS-NEW: capex 10, spend 0.5|0.5, lead 2, life 40. PS-MOD: capex 1,
lead 0, life 3, up to 2 units.
"""

from __future__ import annotations

import numpy as np
import pytest
from scenario_factory import TINY

import optimizer
from optimizer.data import build_data
from optimizer.plan_math import (
    capacity_added,
    end_of_life_year,
    in_service,
    in_service_year,
    spend_by_year,
    spread,
    start_matrix,
    under_construction,
)


@pytest.fixture(scope="module")
def data():
    return build_data(optimizer.load_scenario(TINY))


def row(data, candidate: str, array: np.ndarray) -> list[float]:
    return array[data.ids.index(candidate)].tolist()


def test_a_building_with_a_lead_time_is_built_then_in_service(data):
    n = start_matrix(data, {"PS-NEW": {2027: 1}})
    assert row(data, "PS-NEW", n) == [0, 1, 0, 0, 0]
    assert row(data, "PS-NEW", under_construction(data, n)) == [0, 1, 1, 0, 0]
    assert row(data, "PS-NEW", in_service(data, n)) == [0, 0, 0, 1, 1]
    i = data.ids.index("PS-NEW")
    assert (in_service_year(data, i, 2027), end_of_life_year(data, i, 2027)) == (2029, 2068)


def test_modules_without_lead_time_serve_at_once_and_retire_after_their_life(data):
    n = start_matrix(data, {"PS-MOD": {2026: 2, 2028: 1}})
    assert row(data, "PS-MOD", under_construction(data, n)) == [0, 0, 0, 0, 0]
    # two units 2026-2028, one more 2028-2030
    assert row(data, "PS-MOD", in_service(data, n)) == [2, 2, 3, 1, 1]


def test_spend_follows_the_profile_and_stops_at_the_horizon(data):
    n = start_matrix(data, {"PS-NEW": {2030: 1}})
    assert row(data, "PS-NEW", spread(data, n, data.capex)) == [0, 0, 0, 0, 5.0]
    i = data.ids.index("PS-NEW")
    # the schedule shows the whole cost of the start, also the year after the horizon
    assert spend_by_year(data, i, 2030, 1, data.capex) == {2030: 5.0, 2031: 5.0}


def test_capacity_in_service_lands_on_its_service_rows(data):
    n = start_matrix(data, {"PS-EXT": {2026: 1}})  # 10 places from 2027
    added = capacity_added(data, in_service(data, n))
    cov = data.coverage.assign(added=added)
    preschool = cov[cov["service"] == "preschool"].set_index("year")["added"]
    assert preschool.tolist() == [0, 10, 10, 10, 10]
    assert (cov.loc[cov["service"] != "preschool", "added"] == 0).all()
