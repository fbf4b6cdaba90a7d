"""Value mode reproduces the published optima of Weingartner & Ness (1967), WEING1-8.

The classic capital budgeting problems (OR-Library, mknap2.txt) are mapped onto capplan's value
mode by ``benchmarks.orlib``: one candidate per project with one possible start, one budget year
per constraint row, the project's spend in year i equal to its coefficient in row i. The model
must return exactly the published optimum (objective = −optimum), and the chosen projects must
respect every row of the original data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `benchmarks` is a package at the repository root
    sys.path.insert(0, str(REPO))

from benchmarks import orlib  # noqa: E402
from optimizer.data import build_data  # noqa: E402
from optimizer.model import build  # noqa: E402
from optimizer.solve import SolveSettings, solve  # noqa: E402

FOLDER = orlib.default_folder()  # in the repository: benchmarks/data/orlib-mknap

PUBLISHED = {  # Weingartner & Ness (1967), as listed in OR-Library's mknap2.txt
    "WEING1": 141278,
    "WEING2": 130883,
    "WEING3": 95677,
    "WEING4": 119337,
    "WEING5": 98796,
    "WEING6": 130623,
    "WEING7": 1095445,
    "WEING8": 624319,
}


@pytest.fixture(scope="module")
def weing() -> dict[str, orlib.KnapsackInstance]:
    return {i.name: i for i in orlib.load_mknap2(FOLDER) if i.name.startswith("WEING")}


def test_parser_finds_all_eight_with_their_published_optima(weing):
    assert {name: inst.optimum for name, inst in weing.items()} == PUBLISHED
    assert weing["WEING1"].weights.shape == (2, 28)
    assert weing["WEING7"].weights.shape == (2, 105)
    # first and last coefficients of WEING1 as printed in the file
    assert weing["WEING1"].values[[0, -1]].tolist() == [1898, 10500]
    assert weing["WEING1"].weights[:, -1].tolist() == [100, 150]
    assert weing["WEING1"].capacities.tolist() == [600, 600]


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_value_mode_reproduces_the_published_optimum(weing, name):
    instance = weing[name]
    scenario = orlib.to_scenario(instance)
    assert scenario.settings.scenario.objective == "value"
    built = build(build_data(scenario))
    result = solve(built.model, SolveSettings(solver="highs", gap=0.0, time_limit=60))
    assert result.status == "optimal"
    assert result.objective == pytest.approx(-PUBLISHED[name], abs=1e-6)

    chosen = np.zeros(instance.n_items)
    x = np.round(result.values[built.decisions.x])
    chosen[built.data.start_candidate] = x
    value, use = orlib.chosen_value(instance, chosen)
    assert value == pytest.approx(PUBLISHED[name], abs=1e-6)
    assert np.all(use <= instance.capacities + 1e-9)
