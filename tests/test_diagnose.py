"""Infeasibility diagnosis: conflicting hard limits are named in plain words, exit code 3."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from scenario_edits import run_cli
from scenario_factory import ROOT, TINY, tiny_copy

import optimizer
from optimizer.diagnose import diagnose
from optimizer.errors import EXIT_INFEASIBLE
from optimizer.model import ForcedStart

PS_NEW = "PS-NEW,New preschool (20 places),BUF,,10,0.5|0.5,2,2026,2028,40,0,4,90,1,tax,0,no,,"


def must_do_over_budget(tmp_path: Path) -> Path:
    """PS-NEW must be in service by 2028 (so it spends 5 + 5 MSEK in 2026-27); tax budget is 4/yr."""
    candidates = (
        (TINY / "candidates.csv").read_text().replace(PS_NEW, PS_NEW.replace(",no,,", ",yes,2028,"))
    )
    budgets = "pool,year,ceiling\n" + "".join(f"tax,{y},4\n" for y in range(2026, 2031))
    budgets += "".join(f"va,{y},2\n" for y in range(2026, 2031))
    return tiny_copy(tmp_path, files={"candidates.csv": candidates, "budgets.csv": budgets})


def test_must_do_over_budget_names_the_budget_years(tmp_path: Path) -> None:
    conflicts = diagnose(optimizer.load_scenario(must_do_over_budget(tmp_path)))
    assert [c.constraint for c in conflicts] == ["budget[tax,2026]", "budget[tax,2027]"]
    assert all(c.violation == pytest.approx(1.0) for c in conflicts)
    assert conflicts[0].explanation == (
        "must-do/committed projects PS-NEW need 5.0 MSEK in 2026; "
        "the Tax-financed budget in 2026 is 4.0 MSEK (short by 1.0 MSEK)"
    )


def test_must_do_over_budget_is_explained_in_swedish_and_in_english(tmp_path: Path) -> None:
    first = diagnose(optimizer.load_scenario(must_do_over_budget(tmp_path)))[0]
    assert first.text("sv") == (
        "obligatoriska/beslutade projekt PS-NEW behöver 5,0 MSEK 2026; "
        "budgetramen för Tax-financed 2026 är 4,0 MSEK (1,0 MSEK för lite)"
    )
    assert (
        first.text("en")
        == first.explanation
        == (
            "must-do/committed projects PS-NEW need 5.0 MSEK in 2026; "
            "the Tax-financed budget in 2026 is 4.0 MSEK (short by 1.0 MSEK)"
        )
    )


def test_a_small_excess_does_not_read_as_zero(tmp_path: Path) -> None:
    """A budget 0.04 MSEK short is said with two decimals (need and limit too), not "short by
    0.0 MSEK" between a need and a limit that read the same."""
    folder = must_do_over_budget(tmp_path)
    budgets = "pool,year,ceiling\n" + "".join(f"tax,{y},4.96\n" for y in range(2026, 2031))
    budgets += "".join(f"va,{y},2\n" for y in range(2026, 2031))
    (folder / "budgets.csv").write_text(budgets)
    first = diagnose(optimizer.load_scenario(folder))[0]
    assert first.text("en") == (
        "must-do/committed projects PS-NEW need 5.00 MSEK in 2026; "
        "the Tax-financed budget in 2026 is 4.96 MSEK (short by 0.04 MSEK)"
    )
    assert first.text("sv") == (
        "obligatoriska/beslutade projekt PS-NEW behöver 5,00 MSEK 2026; "
        "budgetramen för Tax-financed 2026 är 4,96 MSEK (0,04 MSEK för lite)"
    )


def test_a_forced_start_alone_needs_in_the_singular(tmp_path: Path) -> None:
    """PS-NEW forced to 2026 (not must-do here) against a 4 MSEK tax budget: its own 5 MSEK."""
    budgets = "pool,year,ceiling\n" + "".join(f"tax,{y},4\n" for y in range(2026, 2031))
    budgets += "".join(f"va,{y},2\n" for y in range(2026, 2031))
    folder = tiny_copy(tmp_path, files={"budgets.csv": budgets})
    forced = (ForcedStart("PS-NEW", 2026),)
    first = diagnose(optimizer.load_scenario(folder), forced=forced)[0]
    assert first.text("en") == (
        "the forced start of PS-NEW needs 5.0 MSEK in 2026; "
        "the Tax-financed budget in 2026 is 4.0 MSEK (short by 1.0 MSEK)"
    )
    assert first.text("sv").startswith("den tvingade starten av PS-NEW behöver 5,0 MSEK 2026")


def test_a_budget_conflict_without_a_decided_project_names_the_projects_it_pays_for() -> None:
    """Östersund without Göviken stage 2: the wastewater duty from 2035 then needs the new
    plant (GOV-NYTT, not must-do), whose spending the VA budget cannot carry; the reason
    names it instead of only "the projects that must go ahead"."""
    scenario = optimizer.load_scenario(ROOT / "scenarios" / "ostersund-2040")
    conflicts = diagnose(scenario, forced=(ForcedStart("GOV-ETAPP2", None),))
    money = [c for c in conflicts if c.kind == "budget"]
    assert money and all(c.key.pool == "va" for c in money)
    assert all(
        c.text("sv").startswith("projekten som måste genomföras (GOV-NYTT) behöver") for c in money
    )
    assert all(
        c.text("en").startswith("the projects that must go ahead (GOV-NYTT) need") for c in money
    )


def _run_infeasible(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    """``capplan run`` of the infeasible scenario in this process (scenario_edits.run_cli: an
    escaping exception fails the test, as a traceback would)."""
    folder = must_do_over_budget(tmp_path)
    args = ("run", str(folder), "--quiet", "--out", str(tmp_path / "out"), *extra)
    return subprocess.CompletedProcess(args, *run_cli(*args))


def test_cli_exit_code_and_words(tmp_path: Path) -> None:
    result = _run_infeasible(tmp_path, "--lang", "en")
    assert result.returncode == EXIT_INFEASIBLE
    assert "The hard limits conflict" in result.stderr
    assert "PS-NEW need 5.0 MSEK in 2026" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_run_of_an_infeasible_scenario_says_why_in_swedish_by_default(tmp_path: Path) -> None:
    result = _run_infeasible(tmp_path)
    assert result.returncode == EXIT_INFEASIBLE
    said = " ".join(result.stderr.split())  # rich wraps long lines
    assert "De hårda gränserna går inte ihop." in said
    assert (
        "obligatoriska/beslutade projekt PS-NEW behöver 5,0 MSEK 2026; "
        "budgetramen för Tax-financed 2026 är 4,0 MSEK (1,0 MSEK för lite)"
    ) in said
    assert "short by" not in said


def test_hard_coverage_shortfall_is_named(tmp_path: Path) -> None:
    folder = tiny_copy(
        tmp_path, toml_replace={'objective = "cost"': 'objective = "cost"\nhard_coverage = true'}
    )
    conflicts = diagnose(optimizer.load_scenario(folder))
    # At most 40 places can stand in 2029 (43 needed) and 2030 (44 needed), using both modules
    # (lifetime 3) from 2029; 2027 (41 needed, 40 standing) could only be covered by a module
    # started in 2027, which is then gone by 2030: 1 + 3 + 4 = 8 place-years at the least.
    coverage = [c for c in conflicts if c.kind == "coverage"]
    assert sum(c.violation for c in coverage) == pytest.approx(8.0)
    assert {c.constraint for c in coverage} <= {
        f"coverage[preschool,{y}]" for y in range(2026, 2031)
    }
    assert all("hard coverage of Preschool places" in c.explanation for c in coverage)
    in_2030 = next(c for c in coverage if c.key.year == 2030)
    assert in_2030.text("en") == (
        "hard coverage of Preschool places in 2030 cannot be met: "
        "4.0 places are missing even with every project that fits"
    )
    assert in_2030.text("sv") == (
        "den hårda täckningen av Preschool places 2030 kan inte uppfyllas: "
        "4,0 platser saknas även med alla projekt som ryms"
    )


@pytest.mark.slow
def test_conflicting_copy_of_default_scenario(tmp_path: Path) -> None:
    source = ROOT / "scenarios" / "ostersund-2040"
    folder = tmp_path / "ostersund"
    shutil.copytree(source, folder)
    budgets = (folder / "budgets.csv").read_text().splitlines()
    header, rows = budgets[0], budgets[1:]
    cut = [
        ",".join(r.split(",")[:-1] + [str(round(float(r.split(",")[-1]) * 0.05, 1))]) for r in rows
    ]
    (folder / "budgets.csv").write_text("\n".join([header, *cut]) + "\n")
    conflicts = diagnose(optimizer.load_scenario(folder))
    assert conflicts, "a 95 % budget cut must conflict with the committed and must-do projects"
    assert any(c.kind == "budget" and "MSEK in" in c.explanation for c in conflicts)
