"""Nothing lost: results appear whole or not at all, old results stay unless replaced on
purpose, Ctrl-C leaves nothing half-written, and inputs are never touched.

- Results are written into a temporary ``.NAME.*.partial`` folder beside the target and moved
  into place in one rename; a failure on the way removes the temporary folder.
- An existing results folder is never overwritten without ``--force``; with ``--force`` it is
  replaced completely (no file of the old run survives).
- Ctrl-C and SIGTERM in every phase, on a busy machine: ``test_interrupts.py``.
- ``run``, ``validate`` and ``convert`` never change, add or remove a file in their input.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_factory import TINY, tiny_copy

import optimizer
from optimizer.errors import EXIT_OK, EXIT_USAGE, CapplanError
from optimizer.io.results import atomic_output_dir, default_output_dir, write_results
from optimizer.run import run_scenario


def capplan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "optimizer.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def leftovers(folder: Path) -> list[str]:
    """Temporary folders of results writing that are still there."""
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name or ".old-" in p.name)


@pytest.fixture(scope="module")
def tiny_plan():
    scenario = optimizer.load_scenario(TINY)
    return scenario, run_scenario(scenario)


# --------------------------------------------------------------------------------------
# Atomic results folder
# --------------------------------------------------------------------------------------
def test_results_are_written_beside_the_target_and_moved_into_place(tmp_path, tiny_plan) -> None:
    scenario, plan = tiny_plan
    out = tmp_path / "results" / "run"
    seen = {}

    def spy(plan, scenario, folder: Path) -> None:  # a report writer, called mid-way
        seen["folder"] = folder
        seen["target_exists"] = out.exists()
        seen["has_plan_json"] = (folder / "plan.json").is_file()

    write_results(plan, scenario, out, writers=[spy])
    assert seen["folder"].parent == out.parent and seen["folder"].name.endswith(".partial")
    assert seen["target_exists"] is False and seen["has_plan_json"] is True
    assert not seen["folder"].exists()
    assert {"plan.json", "manifest.json", "schedule.csv"} <= {p.name for p in out.iterdir()}
    assert leftovers(out.parent) == []


def test_a_failure_while_writing_leaves_nothing(tmp_path, tiny_plan) -> None:
    scenario, plan = tiny_plan
    out = tmp_path / "run"

    def broken(plan, scenario, folder: Path) -> None:
        (folder / "half.xlsx").write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_results(plan, scenario, out, writers=[broken])
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_an_interrupt_while_writing_keeps_the_old_results(tmp_path, tiny_plan) -> None:
    scenario, plan = tiny_plan
    out = tmp_path / "run"
    write_results(plan, scenario, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def interrupted(plan, scenario, folder: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_results(plan, scenario, out, force=True, writers=[interrupted])
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert leftovers(tmp_path) == []


def test_atomic_output_dir_refuses_an_existing_target(tmp_path) -> None:
    target = tmp_path / "res"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    with pytest.raises(CapplanError, match="--force"), atomic_output_dir(target):
        pass  # pragma: no cover
    assert (target / "mine.txt").read_text() == "keep"
    assert leftovers(tmp_path) == []


def test_default_results_folder_never_reuses_an_existing_one(tmp_path) -> None:
    scenario = optimizer.load_scenario(TINY)
    base = tmp_path / "results"
    (base / "tiny-base").mkdir(parents=True)
    assert default_output_dir(scenario, base) == base / "tiny-base-2"
    (base / "tiny-base-2").mkdir()
    assert default_output_dir(scenario, base) == base / "tiny-base-3"


# --------------------------------------------------------------------------------------
# --force
# --------------------------------------------------------------------------------------
def test_cli_refuses_to_overwrite_then_force_replaces_completely(tmp_path) -> None:
    out = tmp_path / "res"
    out.mkdir()
    (out / "old-report.txt").write_text("from an earlier run")
    (out / "manifest.json").write_text("{}")  # an earlier capplan result: --force may replace it
    (out / "sub").mkdir()
    (out / "sub" / "notes.md").write_text("mine")

    refused = capplan("run", str(TINY), "--out", str(out), "--quiet")
    assert refused.returncode == EXIT_USAGE
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert (out / "old-report.txt").read_text() == "from an earlier run"

    forced = capplan("run", str(TINY), "--out", str(out), "--quiet", "--force")
    assert forced.returncode == EXIT_OK, forced.stderr
    names = {p.name for p in out.iterdir()}
    assert "old-report.txt" not in names and "sub" not in names
    assert {"plan.json", "manifest.json", "schedule.csv"} <= names
    assert json.loads((out / "plan.json").read_text())["status"] == "optimal"
    assert leftovers(tmp_path) == []


def test_force_on_a_folder_capplan_did_not_write_is_refused_before_the_solve(tmp_path) -> None:
    """--force replaces only capplan's own output; the refusal comes before the solve, not
    after it (where minutes of solving would be thrown away)."""
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_text("mine")
    result = capplan("run", str(TINY), "--out", str(out), "--force")
    assert result.returncode == EXIT_USAGE
    assert "not a folder capplan wrote" in result.stderr
    assert "solving" not in result.stderr and "Status:" not in result.stdout
    assert [p.name for p in out.iterdir()] == ["chapter1.docx"]
    assert leftovers(tmp_path) == []


def test_default_results_folder_is_new_for_every_run(tmp_path) -> None:
    scenario = tiny_copy(tmp_path)
    first = capplan("run", str(scenario), "--quiet", cwd=tmp_path)
    second = capplan("run", str(scenario), "--quiet", cwd=tmp_path)
    assert first.returncode == second.returncode == EXIT_OK, first.stderr + second.stderr
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "tiny-base",
        "tiny-base-2",
    ]


# --------------------------------------------------------------------------------------
# Inputs are never modified
# --------------------------------------------------------------------------------------
def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file (and the set of files) under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_run_validate_and_convert_never_touch_their_inputs(tmp_path: Path) -> None:
    folder = tiny_copy(tmp_path)
    before = fingerprint(folder)
    mtimes = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    work = tmp_path / "work"
    work.mkdir()

    steps = [
        ("validate", str(folder)),
        ("run", str(folder), "--quiet", "--out", str(work / "res")),
        ("run", str(folder), "--quiet", "--variant", "high", "--json"),
        ("convert", str(folder), str(work / "tiny.xlsx")),
    ]
    for step in steps:
        result = capplan(*step, cwd=work)
        assert result.returncode == EXIT_OK, (step, result.stderr)
        assert fingerprint(folder) == before, f"capplan {step[0]} changed its input"
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == mtimes

    book = work / "tiny.xlsx"
    book_hash = hashlib.sha256(book.read_bytes()).hexdigest()
    for step in [
        ("validate", str(book)),
        ("run", str(book), "--quiet", "--out", str(work / "from-book")),
        ("convert", str(book), str(work / "back")),
    ]:
        result = capplan(*step, cwd=work)
        assert result.returncode == EXIT_OK, (step, result.stderr)
        assert hashlib.sha256(book.read_bytes()).hexdigest() == book_hash, step[0]
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []


def test_a_failed_run_touches_nothing_either(tmp_path: Path) -> None:
    """Invalid input (exit 2) and an infeasible scenario (exit 3) leave inputs and outputs alone."""
    broken = tiny_copy(tmp_path, name="broken", append={"budgets.csv": "tax,2031,abc\n"})
    infeasible = tiny_copy(
        tmp_path,
        name="infeasible",
        toml_replace={'objective = "cost"': 'objective = "cost"\nhard_coverage = true'},
    )
    for folder, code in ((broken, 2), (infeasible, 3)):
        before = fingerprint(folder)
        out = tmp_path / f"out-{folder.name}"
        result = capplan("run", str(folder), "--quiet", "--out", str(out))
        assert result.returncode == code, result.stderr
        assert fingerprint(folder) == before
        assert not out.exists()
    assert leftovers(tmp_path) == []


def test_copied_inputs_in_results_are_copies(tmp_path: Path) -> None:
    """The results keep a copy of the inputs; changing the copy never reaches the scenario."""
    folder = tiny_copy(tmp_path)
    out = tmp_path / "res"
    assert capplan("run", str(folder), "--quiet", "--out", str(out)).returncode == EXIT_OK
    copies = out / "inputs"
    if not copies.exists():
        pytest.skip("results carry no copy of the inputs")
    before = fingerprint(folder)
    for copy in copies.iterdir():
        assert not copy.is_symlink()
        copy.write_text("changed")
    assert fingerprint(folder) == before
    shutil.rmtree(out)
