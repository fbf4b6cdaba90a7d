"""benchmarks/bound_gap.py takes the root gap apart (issue #13, where the LP bound is lost): its
figures must be bounds of the right relaxations, whatever the model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks import bound_gap
from optimizer import load_scenario
from optimizer.data import build_data
from optimizer.model import build

TINY = Path(__file__).resolve().parents[1] / "scenarios" / "tiny"


def test_the_decision_groups_hold_every_integer_column_once():
    built = build(build_data(load_scenario(TINY)))
    groups = bound_gap._groups(built)
    cols = np.concatenate(list(groups.values()))
    assert sorted(cols.tolist()) == sorted(set(cols.tolist()))  # no column in two groups
    assert set(np.flatnonzero(built.model.integer)) <= set(cols.tolist())
    assert any(name.startswith("starts: ") for name in groups)


def test_each_relaxation_lies_between_the_lp_bound_and_the_optimum(tmp_path, monkeypatch):
    """Making some columns integer can only raise the LP bound and never beyond the optimum;
    the costs at the optimal plan add up to its objective (the offset aside)."""
    m = bound_gap.measure(lambda: load_scenario(TINY, "high"))
    assert m["checker_problems"] == 0
    lp, opt = m["lp_bound"], m["optimum"]
    assert lp <= opt + 1e-6
    tol = 1e-4 * abs(opt) + 1e-6
    for group in m["groups"].values():
        assert group["proven"] and group["without_proven"]
        assert lp - tol <= group["bound"] <= opt + tol
        assert lp - tol <= group["bound_without_it"] <= opt + tol
    built = build(build_data(load_scenario(TINY, "high")))
    total = sum(c["mip"] for c in m["costs"].values())
    assert total + built.model.offset == pytest.approx(opt, rel=1e-6)

    # and RESULTS.md's section renders it
    taken = {"date": "today", "cpu_model": "Test CPU", "cores": 2, "highs": "1.x"}
    recorded = {"taken_on": taken, "group_limit": 120, "cases": {"tiny-high": m}}
    monkeypatch.setattr(bound_gap, "OUT", tmp_path / "bound_gap.json")
    bound_gap.OUT.write_text(json.dumps(recorded))
    section = "\n".join(bound_gap.results_section())
    assert "**tiny-high**: LP bound" in section and "| decision group |" in section
