"""Solve statuses as one type (optimizer/status.py), written to plan.json as the same words."""

from __future__ import annotations

import json

import pytest

from optimizer.io.results import plan_to_dict
from optimizer.plan import Plan
from optimizer.status import WITH_PLAN, Status


@pytest.mark.parametrize(
    ("word", "has_plan"),
    [
        ("optimal", True),
        ("feasible", True),
        ("infeasible", False),
        ("unbounded", False),
        ("no_solution", False),
    ],
)
def test_a_status_word_from_plan_json_reads_back_as_its_status(word, has_plan):
    plan = Plan(scenario="s", variant="v", status=word, solver="highs")
    assert plan.status is Status(word)
    assert plan.has_solution is has_plan
    assert plan.status.has_plan is has_plan
    assert (word in WITH_PLAN) is has_plan  # a manifest's word, without building a Status
    assert json.loads(json.dumps(plan_to_dict(plan)))["status"] == word


def test_only_a_proven_optimum_is_optimal():
    assert Status.OPTIMAL.is_optimal
    assert not Status.FEASIBLE.is_optimal


def test_an_unknown_status_word_is_refused():
    with pytest.raises(ValueError):
        Plan(scenario="s", variant="v", status="maybe", solver="highs")
