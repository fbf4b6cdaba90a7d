"""Every broken scenario of the corpus in ``tests/bad_inputs/cases.py``, through the command line.

Each must end with exit code 2, name its problem (file, row, field, reason) on stderr and in
``--json`` output, and never show a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bad_inputs.cases import CASES, Case
from scenario_edits import copy_tiny, run_cli

from optimizer.errors import Problem


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    target = case.mutate(folder) or folder

    code, out, err = run_cli("validate", target, "--json", *case.args)

    assert code == 2, err
    assert "Traceback" not in out + err
    report = json.loads(out)  # exactly one JSON object on stdout
    assert report["valid"] is False
    expected = (case.file.format(tmp=tmp_path), case.row, case.field)
    found = [
        Problem(**p)
        for p in report["problems"]
        if (p["file"], p["row"], p["field"]) == expected and case.phrase in p["message"]
    ]
    assert found, f"expected {expected} '{case.phrase}' among:\n" + "\n".join(
        str(Problem(**p)) for p in report["problems"]
    )
    assert str(found[0]) in err


def test_corpus_is_large_and_named_uniquely() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
