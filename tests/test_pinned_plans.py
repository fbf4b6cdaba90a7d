"""Every shipped scenario and variant keeps its objective and its schedule.

Refactors must not change a plan. ``tests/pinned/plans.json`` holds, per scenario and variant,
the objective and the chosen (candidate, units, start year) triples. When a change is meant to
alter plans (a model fix), regenerate the file and say why in the commit:

    python tests/test_pinned_plans.py --write

Alternative optima could in principle give another schedule at the same objective; the shipped
scenarios have a unique optimum under HiGHS' deterministic settings (same seed, same threads),
which ``tests/test_solve.py`` relies on too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PINNED = Path(__file__).with_name("pinned") / "plans.json"
sys.path.insert(0, str(ROOT))

from shipped_plans import shipped_plan  # noqa: E402

import optimizer  # noqa: E402
from optimizer.solve import OPTIMALITY_GAP  # noqa: E402


def shipped_cases() -> list[tuple[str, str]]:
    cases = []
    for folder in sorted((ROOT / "scenarios").iterdir()):
        if (folder / "scenario.toml").is_file():
            for variant in optimizer.load_scenario(folder).variants:
                cases.append((folder.name, variant))
    return cases


def solved(name: str, variant: str) -> dict:
    _, plan = shipped_plan(name, variant)  # solved once per session (tests/shipped_plans.py)
    schedule = sorted(
        [str(row.candidate), int(row.units), int(row.start_year)]
        for row in plan.tables["schedule"].itertuples()
    )
    return {"status": str(plan.status), "objective": plan.objective, "schedule": schedule}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "variant"), shipped_cases())
def test_plan_is_unchanged(name: str, variant: str) -> None:
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))[f"{name}/{variant}"]
    now = solved(name, variant)
    assert now["status"] == pinned["status"]
    assert now["objective"] == pytest.approx(pinned["objective"], rel=OPTIMALITY_GAP, abs=1e-6)
    assert now["schedule"] == pinned["schedule"]


def test_every_shipped_variant_is_pinned() -> None:
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert sorted(pinned) == sorted(f"{n}/{v}" for n, v in shipped_cases())


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    table = {f"{n}/{v}": solved(n, v) for n, v in shipped_cases()}
    PINNED.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {PINNED} ({len(table)} plans)")
