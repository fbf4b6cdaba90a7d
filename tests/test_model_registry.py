"""Every constraint block has hand-checkable cases (``tests/test_block_<block>.py``) and every
row block a model writes has its entry in the registry (optimizer/model/registry.py)."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

from blocks import RUNNING_SUMS
from scenario_factory import RawTiny

from optimizer.data import build_data
from optimizer.model import build
from optimizer.model.registry import CONSTRAINT_BLOCKS, DECISION_ROWS, ROW_BLOCKS

TESTS = Path(__file__).resolve().parent


def all_cases() -> dict:
    """The CASES of every block test module, by case name."""
    cases = {}
    for path in sorted(TESTS.glob("test_block_*.py")):
        module = importlib.import_module(path.stem)
        cases.update(getattr(module, "CASES", {}))
    return cases


def test_every_constraint_block_has_a_case() -> None:
    covered = {case.block for case in all_cases().values()}
    missing = {block.name for block in CONSTRAINT_BLOCKS} - covered
    assert not missing, f"constraint blocks without a hand-checkable test: {sorted(missing)}"


def test_every_row_block_has_a_registry_entry() -> None:
    """Each row block a model writes is in the registry and declared by the block writing it."""
    from test_block_choice import modules_grouped
    from test_block_coverage import two_districts

    declared = {row: block.name for block in CONSTRAINT_BLOCKS for row in block.rows}
    declared |= {row: "decisions" for row in DECISION_ROWS}
    assert sorted(declared) == sorted(ROW_BLOCKS), "registry and constraint blocks disagree"
    scenarios = [(two_districts(0.5), None), (modules_grouped(RawTiny()).scenario(), None)]
    scenarios += [(case.scenario(), case.options) for case in all_cases().values()]
    written = set()
    for scenario, options in scenarios:
        data = build_data(scenario)
        for running_sum in RUNNING_SUMS:
            built = build(data, replace(options, running_sum=running_sum) if options else None)
            unknown = set(built.model.row_blocks) - set(ROW_BLOCKS)
            assert not unknown, f"row blocks without a registry entry: {sorted(unknown)}"
            written |= set(built.model.row_blocks)
    assert written == set(ROW_BLOCKS), f"registered but never written: {set(ROW_BLOCKS) - written}"
