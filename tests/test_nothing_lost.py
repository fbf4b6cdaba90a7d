"""Nothing lost: results appear whole or not at all, old results stay unless replaced on
purpose, Ctrl-C leaves nothing half-written, and inputs are never touched.

- The target is claimed before the solve (the empty folder and a ``.NAME.claim`` lock beside it),
  so a second run writing the same ``--out`` at once is refused, never silently replaced.
- Results are written into a temporary ``.NAME.*.partial`` folder beside the target and moved
  into place in one rename; a failure on the way removes the temporary folder and the claim.
- An existing results folder is never overwritten without ``--force``; with ``--force`` it is
  replaced completely (no file of the old run survives), and only when capplan provably wrote
  it (``.capplan-output.json``: the sha256 of every file): never a foreign folder, the
  scenario, a folder holding it, the adopted plan or the current folder.
- A full disk, a read-only folder or an ``--out`` under a file is a message and exit code 1.
- Results folders and files get the permissions the umask gives, so a report can be forwarded.
- Ctrl-C and SIGTERM in every phase, on a busy machine: ``test_interrupts.py``.
- ``run``, ``validate`` and ``convert`` never change, add or remove a file in their input.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_factory import TINY, tiny_copy

import optimizer
from optimizer import interrupt
from optimizer.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CapplanError
from optimizer.io import output
from optimizer.io.output import OWNER_RECORD, RESULTS, SCENARIO, ownership_problem
from optimizer.io.results import (
    atomic_output_dir,
    claim_results_folder,
    default_output_dir,
    write_results,
)
from optimizer.run import run_scenario


def leftovers(folder: Path) -> list[str]:
    """Temporary folders and claims of results writing that are still there."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith(".") and p.name.endswith((".partial", ".old", ".claim"))
    )


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
        seen["target_holds"] = sorted(p.name for p in out.iterdir())  # claimed, still empty
        seen["has_plan_json"] = (folder / "plan.json").is_file()

    write_results(plan, scenario, out, writers=[spy])
    assert seen["folder"].parent == out.parent and seen["folder"].name.endswith(".partial")
    assert seen["target_holds"] == [] and seen["has_plan_json"] is True
    assert not seen["folder"].exists()
    assert {"plan.json", "manifest.json", "schedule.csv"} <= {p.name for p in out.iterdir()}
    assert leftovers(out.parent) == []


def test_a_failure_while_writing_leaves_nothing(tmp_path, tiny_plan) -> None:
    scenario, plan = tiny_plan
    out = tmp_path / "run"

    def broken(plan, scenario, folder: Path) -> None:
        (folder / "half.xlsx").write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    with pytest.raises(CapplanError, match="No space left"):
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
def test_cli_refuses_to_overwrite_then_force_replaces_completely(cli, tmp_path) -> None:
    out = tmp_path / "res"
    first = cli("run", str(TINY), "--variant", "high", "--out", str(out), "--quiet")
    assert first.returncode == EXIT_OK, first.stderr
    before = fingerprint(out)

    refused = cli("run", str(TINY), "--out", str(out), "--quiet")
    assert refused.returncode == EXIT_USAGE
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert fingerprint(out) == before

    forced = cli("run", str(TINY), "--out", str(out), "--quiet", "--force")
    assert forced.returncode == EXIT_OK, forced.stderr
    assert {"plan.json", "manifest.json", "schedule.csv"} <= {p.name for p in out.iterdir()}
    assert json.loads((out / "plan.json").read_text())["variant"] == "base"
    assert fingerprint(out)["plan.json"] != before["plan.json"]
    assert leftovers(tmp_path) == []


def test_force_on_a_folder_capplan_did_not_write_is_refused_before_the_solve(cli, tmp_path) -> None:
    """--force replaces only capplan's own output; the refusal comes before the solve, not
    after it (where minutes of solving would be thrown away)."""
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_text("mine")
    result = cli("run", str(TINY), "--out", str(out), "--force")
    assert result.returncode == EXIT_USAGE
    assert "not a folder capplan wrote" in result.stderr
    assert "löser" not in result.stderr and "Status:" not in result.stdout  # no solve began
    assert [p.name for p in out.iterdir()] == ["chapter1.docx"]
    assert leftovers(tmp_path) == []


def test_default_results_folder_is_new_for_every_run(cli, tmp_path) -> None:
    scenario = tiny_copy(tmp_path)
    first = cli("run", str(scenario), "--quiet", cwd=tmp_path)
    second = cli("run", str(scenario), "--quiet", cwd=tmp_path)
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


def test_run_validate_and_convert_never_touch_their_inputs(cli, tmp_path: Path) -> None:
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
        result = cli(*step, cwd=work)
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
        result = cli(*step, cwd=work)
        assert result.returncode == EXIT_OK, (step, result.stderr)
        assert hashlib.sha256(book.read_bytes()).hexdigest() == book_hash, step[0]
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []


def test_a_failed_run_touches_nothing_either(cli, tmp_path: Path) -> None:
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
        result = cli("run", str(folder), "--quiet", "--out", str(out))
        assert result.returncode == code, result.stderr
        assert fingerprint(folder) == before
        assert not out.exists()
    assert leftovers(tmp_path) == []


def test_copied_inputs_in_results_are_copies(cli, tmp_path: Path) -> None:
    """The results keep a copy of the inputs; changing the copy never reaches the scenario."""
    folder = tiny_copy(tmp_path)
    out = tmp_path / "res"
    assert cli("run", str(folder), "--quiet", "--out", str(out)).returncode == EXIT_OK
    copies = out / "inputs"
    if not copies.exists():
        pytest.skip("results carry no copy of the inputs")
    before = fingerprint(folder)
    for copy in copies.iterdir():
        assert not copy.is_symlink()
        copy.write_text("changed")
    assert fingerprint(folder) == before
    shutil.rmtree(out)


@pytest.fixture
def in_process(monkeypatch, capsys, tmp_path):
    """``capplan`` in this process (so that the disk can be made to fail), in ``tmp_path``;
    what this process wrote starts empty, as in a fresh command."""
    from report_scenarios import cli_runner

    monkeypatch.setattr(output, "_WRITTEN", [])
    monkeypatch.setattr(output, "_KEPT", [])

    def exit_now(code: int) -> None:  # the command ends the process after Ctrl-C; not pytest's
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_now)
    return cli_runner(monkeypatch, capsys, tmp_path)


@pytest.fixture
def cli(in_process, monkeypatch):
    """``capplan`` in this process, answering like a finished process (returncode, stdout,
    stderr). The commands here are judged by the files they leave and what they say, which a
    new interpreter per command (1-3 s each) does not change; the tests about processes
    (two runs at once, Ctrl-C) start real ones."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return subprocess.CompletedProcess(args, *in_process(*args))

    return run


# --------------------------------------------------------------------------------------
# --force replaces only what capplan provably wrote
# --------------------------------------------------------------------------------------
def scenario_with_sources(tmp_path: Path) -> Path:
    """A scenario folder with a file capplan never wrote (as Östersund's SOURCES.md)."""
    folder = tiny_copy(tmp_path)
    (folder / "SOURCES.md").write_text("Where every number comes from.\n")
    return folder


def adopted_result(cli, tmp_path: Path) -> Path:
    out = tmp_path / "adopted"
    result = cli("run", str(TINY), "--out", str(out), "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    return out


def test_run_out_is_the_scenario_folder_with_force_refuses_and_keeps_it(cli, tmp_path) -> None:
    scenario = scenario_with_sources(tmp_path)
    before = fingerprint(scenario)
    result = cli("run", str(scenario), "--out", str(scenario), "--force", "--quiet")
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "is the scenario" in result.stderr and "never replaces" in result.stderr
    assert "Traceback" not in result.stderr and "Status:" not in result.stdout
    assert fingerprint(scenario) == before
    assert leftovers(tmp_path) == []


def test_run_out_is_a_folder_holding_the_scenario_with_force_refuses(cli, tmp_path) -> None:
    holder = tmp_path / "planning"
    scenario = scenario_with_sources(holder)
    before = fingerprint(holder)
    result = cli("run", str(scenario), "--out", str(holder), "--force", "--quiet")
    assert result.returncode == EXIT_USAGE
    assert "holds the scenario" in result.stderr
    assert fingerprint(holder) == before


def test_run_out_is_the_current_folder_with_force_refuses(cli, tmp_path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "budget-notes.txt").write_text("mine")
    for out in (".", ".."):
        result = cli("run", str(TINY), "--out", out, "--force", "--quiet", cwd=work)
        assert result.returncode == EXIT_USAGE, result.stderr
        assert "the current folder" in result.stderr
    assert (work / "budget-notes.txt").read_text() == "mine"


def test_compare_out_is_the_scenario_folder_with_force_refuses_and_keeps_it(cli, tmp_path) -> None:
    scenario = scenario_with_sources(tmp_path)
    before = fingerprint(scenario)
    result = cli(
        "compare", str(scenario), "--variants", "base,high", "--out", str(scenario), "--force"
    )
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "is the scenario" in result.stderr
    assert fingerprint(scenario) == before


def test_replan_out_is_the_scenario_folder_with_force_refuses_and_keeps_it(cli, tmp_path) -> None:
    adopted = adopted_result(cli, tmp_path)
    scenario = scenario_with_sources(tmp_path)
    before = fingerprint(scenario)
    result = cli(
        "replan", str(scenario), "--adopted", str(adopted), "--year", "2027",
        "--out", str(scenario), "--force", "--quiet",
    )  # fmt: skip
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "is the scenario" in result.stderr
    assert fingerprint(scenario) == before


def test_replan_out_is_the_adopted_plan_with_force_refuses_and_keeps_it(cli, tmp_path) -> None:
    """The adopted plan is a capplan result, so only its role protects it."""
    adopted = adopted_result(cli, tmp_path)
    before = fingerprint(adopted)
    for given in (adopted, adopted / "plan.json"):
        result = cli(
            "replan", str(TINY), "--adopted", str(given), "--year", "2027",
            "--out", str(adopted), "--force", "--quiet",
        )  # fmt: skip
        assert result.returncode == EXIT_USAGE, result.stderr
        assert "the adopted plan" in result.stderr
    assert fingerprint(adopted) == before


def test_force_on_a_folder_with_another_tools_manifest_json_is_refused(cli, tmp_path) -> None:
    """A web project has a manifest.json too: that proves nothing about who wrote the folder."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "manifest.json").write_text('{"name": "our web app", "start_url": "/"}')
    (site / "index.html").write_text("<h1>mine</h1>")
    before = fingerprint(site)
    for args in (
        ("run", str(TINY), "--out", str(site), "--force", "--quiet"),
        ("compare", str(TINY), "--variants", "base,high", "--out", str(site), "--force"),
    ):
        result = cli(*args)
        assert result.returncode == EXIT_USAGE, result.stderr
        assert "not a folder capplan wrote" in result.stderr
        assert "Remove it yourself" in result.stderr
    assert fingerprint(site) == before


def test_force_on_a_capplan_result_with_a_file_added_or_edited_is_refused(cli, tmp_path) -> None:
    out = adopted_result(cli, tmp_path)
    (out / "my-comments.docx").write_text("notes for the council")
    result = cli("run", str(TINY), "--out", str(out), "--force", "--quiet")
    assert result.returncode == EXIT_USAGE
    assert "my-comments.docx was not written by capplan" in result.stderr
    (out / "my-comments.docx").unlink()
    with open(out / "schedule.csv", "a") as edited:
        edited.write("a row the planner added by hand\n")
    before = fingerprint(out)
    result = cli("run", str(TINY), "--out", str(out), "--force", "--quiet")
    assert result.returncode == EXIT_USAGE
    assert "schedule.csv was changed after capplan wrote it" in result.stderr
    assert fingerprint(out) == before


def test_force_never_replaces_a_converted_scenario_with_results(cli, tmp_path) -> None:
    """convert writes a scenario folder (with capplan's record); run --force still refuses it:
    a scenario is something a planner goes on to edit, not a regenerable result."""
    converted = tmp_path / "converted"
    assert cli("convert", str(TINY), str(converted)).returncode == EXIT_OK
    before = fingerprint(converted)
    result = cli("run", str(TINY), "--out", str(converted), "--force", "--quiet")
    assert result.returncode == EXIT_USAGE
    assert "not results" in result.stderr
    assert fingerprint(converted) == before


def test_convert_into_a_folder_with_a_scenario_toml_capplan_did_not_write_is_refused(
    cli,
    tmp_path,
) -> None:
    hand_made = tiny_copy(tmp_path, name="hand-made")
    (hand_made / "README.txt").write_text("our own scenario")
    before = fingerprint(hand_made)
    result = cli("convert", str(TINY), str(hand_made), "--force")
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "not a folder capplan wrote" in result.stderr and "Remove it yourself" in result.stderr
    assert fingerprint(hand_made) == before
    assert leftovers(tmp_path) == []


def test_convert_force_replaces_its_own_output_but_not_once_it_was_edited(cli, tmp_path) -> None:
    book = tmp_path / "tiny.xlsx"
    target = tmp_path / "folder"
    assert cli("convert", str(TINY), str(book)).returncode == EXIT_OK
    assert cli("convert", str(book), str(target)).returncode == EXIT_OK
    again = cli("convert", str(book), str(target), "--force")
    assert again.returncode == EXIT_OK, again.stderr
    (target / "budgets.csv").write_text("pool,year,amount\ntax,2026,99\n")  # the planner's edit
    before = fingerprint(target)
    refused = cli("convert", str(book), str(target), "--force")
    assert refused.returncode == EXIT_USAGE
    assert "budgets.csv was changed after capplan wrote it" in refused.stderr
    assert fingerprint(target) == before


def test_convert_into_its_own_source_with_force_refuses(cli, tmp_path) -> None:
    scenario = scenario_with_sources(tmp_path)
    before = fingerprint(scenario)
    result = cli("convert", str(scenario), str(scenario), "--force")
    assert result.returncode == EXIT_USAGE
    assert fingerprint(scenario) == before


def test_ownership_record_lists_every_file_and_proves_an_untouched_result(
    tmp_path, tiny_plan
) -> None:
    scenario, plan = tiny_plan
    out = write_results(plan, scenario, tmp_path / "res")
    record = json.loads((out / OWNER_RECORD).read_text())
    on_disk = {
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != OWNER_RECORD
    }
    assert set(record["files"]) == on_disk and record["kind"] == RESULTS
    assert ownership_problem(out, RESULTS) is None
    assert "not a converted scenario" in ownership_problem(out, SCENARIO)
    (out / "inputs" / "extra.csv").write_text("a,b\n")
    assert ownership_problem(out, RESULTS) == "inputs/extra.csv was not written by capplan"


# --------------------------------------------------------------------------------------
# Two runs, one --out
# --------------------------------------------------------------------------------------
def test_two_concurrent_runs_to_the_same_out_one_fails_cleanly(cli, tmp_path) -> None:
    """The first run holds its claim (as during its solve); the second is refused before it
    solves, and the first then writes its results as if alone."""
    scenario = optimizer.load_scenario(TINY)
    out = tmp_path / "res"
    with claim_results_folder(out, scenario) as first:
        second = cli("run", str(TINY), "--out", str(out), "--quiet")
        assert second.returncode == EXIT_USAGE, second.stderr
        assert "being written by another capplan run" in second.stderr
        assert f"process {os.getpid()}" in second.stderr
        assert "Status:" not in second.stdout and "Resultat:" not in second.stdout
        assert list(out.iterdir()) == []  # the second run wrote nothing into the claim
        forced = cli("run", str(TINY), "--out", str(out), "--quiet", "--force")
        assert forced.returncode == EXIT_USAGE and "being written by another" in forced.stderr
        write_results(run_scenario(scenario), scenario, first)
    assert json.loads((out / "plan.json").read_text())["status"] == "optimal"
    assert leftovers(tmp_path) == []


def test_two_concurrent_force_runs_over_an_old_result_one_fails_cleanly(cli, tmp_path) -> None:
    out = adopted_result(cli, tmp_path)
    scenario = optimizer.load_scenario(TINY, "high")
    with claim_results_folder(out, scenario, force=True) as first:
        second = cli("run", str(TINY), "--out", str(out), "--quiet", "--force")
        assert second.returncode == EXIT_USAGE
        assert "being written by another capplan run" in second.stderr
        write_results(run_scenario(scenario), scenario, first)
    assert json.loads((out / "plan.json").read_text())["variant"] == "high"
    assert leftovers(tmp_path) == []


def test_a_default_run_while_another_claims_the_same_default_name_takes_the_next(
    cli, tmp_path
) -> None:
    """Two plain ``capplan run`` at once pick the same free name; the one that finds it locked
    moves on to the next name instead of failing or sharing it."""
    (tmp_path / "results").mkdir()
    stamp = {"pid": os.getpid(), "host": socket.gethostname()}  # a live run is claiming it
    (tmp_path / "results" / ".tiny-base.claim").write_text(json.dumps(stamp))
    result = cli("run", str(TINY), "--quiet", cwd=tmp_path)
    assert result.returncode == EXIT_OK, result.stderr
    assert (tmp_path / "results" / "tiny-base-2" / "plan.json").is_file()
    assert not (tmp_path / "results" / "tiny-base").exists()


def test_two_real_runs_to_the_same_new_out_never_both_claim_it(tmp_path) -> None:
    """Two processes at once: whatever the timing, at most one says it wrote the folder, the
    other is refused (exit 1) or wrote first and the later one is refused as 'exists'."""
    out = tmp_path / "res"
    command = [sys.executable, "-m", "optimizer.cli", "run", str(TINY), "--out", str(out), "-q"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    runs.append(
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    )
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [EXIT_OK, EXIT_USAGE], results
    refused = next(err for code, _, err in results if code == EXIT_USAGE)
    assert "being written by another" in refused or "already exists" in refused
    assert "Traceback" not in refused
    assert json.loads((out / "plan.json").read_text())["status"] == "optimal"
    assert leftovers(tmp_path) == []


def test_a_claim_given_up_on_an_error_or_interrupt_leaves_nothing(tmp_path) -> None:
    scenario = optimizer.load_scenario(TINY)
    for stop in (KeyboardInterrupt, SystemExit, RuntimeError):
        out = tmp_path / f"res-{stop.__name__}"
        with pytest.raises(stop), claim_results_folder(out, scenario):
            assert out.is_dir()  # claimed: nobody else can take it now
            raise stop
        assert not out.exists()
    assert leftovers(tmp_path) == []


def test_a_run_killed_mid_write_is_cleaned_up_by_the_next_run_to_the_same_out(
    cli, tmp_path
) -> None:
    """SIGKILL (or SIGTERM with no handler) leaves the claim and a .partial folder; the next run
    to the same --out sees that their process is gone, removes them and writes."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    pid = int(dead.stdout)
    out = tmp_path / "res"
    out.mkdir()
    partial = tmp_path / f".res.{pid}-0badcafe.partial"
    partial.mkdir()
    (partial / "plan.json").write_text("{half")
    (tmp_path / ".res.claim").write_text(json.dumps({"pid": pid, "host": socket.gethostname()}))
    result = cli("run", str(TINY), "--out", str(out), "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    assert json.loads((out / "plan.json").read_text())["status"] == "optimal"
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------------------
# The disk says no: a message and exit code 1, never a traceback
# --------------------------------------------------------------------------------------
def test_disk_full_gives_clean_error(in_process, monkeypatch, tmp_path) -> None:
    from optimizer.io import results

    def disk_full(frame, path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(results, "write_csv", disk_full)
    code, out, err = in_process("run", str(TINY), "--out", "res", "--quiet")
    assert code == EXIT_USAGE
    assert "cannot write res: No space left on device" in err and "the disk is full" in err
    assert "Traceback" not in err and "Resultat:" not in out
    assert not (tmp_path / "res").exists()
    assert leftovers(tmp_path) == []


def read_only(folder: Path, monkeypatch) -> None:
    """Make ``folder`` refuse new entries: chmod, or (as root, where chmod does not stop
    writes) the same refusal from the operating system calls that create entries."""
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return
    inside = str(folder.resolve()) + os.sep
    real_mkdir, real_open = os.mkdir, os.open

    def refuse(path) -> None:
        if os.path.abspath(path).startswith(inside):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def mkdir(path, *args, **kwargs):
        refuse(path)
        return real_mkdir(path, *args, **kwargs)

    def open_(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "open", open_)


def test_read_only_output_folder_gives_clean_error_before_the_solve(
    in_process, monkeypatch, tmp_path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    read_only(shared, monkeypatch)
    try:
        code, out, err = in_process("run", str(TINY), "--out", "shared/res", "--quiet")
    finally:
        shared.chmod(0o755)
    assert code == EXIT_USAGE
    assert "cannot write shared/res: Permission denied" in err and "cannot be written" in err
    assert "Traceback" not in err and "Status:" not in out
    assert list(shared.iterdir()) == []


def test_out_whose_parent_is_a_file_gives_clean_error(cli, tmp_path) -> None:
    (tmp_path / "report.pdf").write_text("not a folder")
    out = tmp_path / "report.pdf" / "res"
    for args in (
        ("run", str(TINY), "--out", str(out), "--quiet"),
        ("compare", str(TINY), "--variants", "base,high", "--out", str(out), "--quiet"),
        ("convert", str(TINY), str(out)),
    ):
        result = cli(*args)
        assert result.returncode == EXIT_USAGE, result.stderr
        assert "report.pdf is a file, not a folder" in result.stderr
        assert "Traceback" not in result.stderr and "Status:" not in result.stdout
    assert (tmp_path / "report.pdf").read_text() == "not a folder"


# --------------------------------------------------------------------------------------
# Permissions: a report is meant to be forwarded
# --------------------------------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize(
    ("umask", "folder_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)]
)
def test_results_folder_has_the_permissions_the_umask_gives(
    tmp_path, tiny_plan, umask, folder_mode, file_mode
) -> None:
    scenario, plan = tiny_plan
    previous = os.umask(umask)
    try:
        out = write_results(plan, scenario, tmp_path / "res")
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == folder_mode
    for path in out.rglob("*"):
        expected = folder_mode if path.is_dir() else file_mode
        if path.parent.name == "inputs":  # copies keep their source's mode
            expected = (TINY / path.name).stat().st_mode & 0o777
        assert path.stat().st_mode & 0o777 == expected, path


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_converted_workbook_has_the_permissions_the_umask_gives(tmp_path) -> None:
    from optimizer.io import convert

    previous = os.umask(0o022)
    try:
        convert(TINY, tmp_path / "tiny.xlsx")
    finally:
        os.umask(previous)
    assert (tmp_path / "tiny.xlsx").stat().st_mode & 0o777 == 0o644


# --------------------------------------------------------------------------------------
# What exit 130 says is what is on disk
# --------------------------------------------------------------------------------------
def test_late_interrupt_after_the_results_were_written_says_they_are_complete(
    in_process, monkeypatch, tmp_path
) -> None:
    from optimizer.report import terminal

    def interrupted_while_printing(*args, **kwargs) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal, "print_summary", interrupted_while_printing)
    code, _, err = in_process("run", str(TINY), "--out", "res", "--quiet")
    assert code == EXIT_INTERRUPTED
    assert "Interrupted after the results were written: res is complete." in err
    assert "no results were written" not in err
    assert json.loads((tmp_path / "res" / "plan.json").read_text())["status"] == "optimal"


def test_interrupt_while_replacing_with_force_says_the_old_results_are_kept(
    in_process, monkeypatch, tmp_path
) -> None:
    from optimizer.cli import common

    assert in_process("run", str(TINY), "--out", "res", "--quiet")[0] == EXIT_OK
    before = fingerprint(tmp_path / "res")

    def interrupted(plan, scenario, folder: Path) -> None:
        (folder / "plan.xlsx").write_bytes(b"PK half a workbook")
        raise KeyboardInterrupt

    monkeypatch.setattr(common, "report_writers", lambda lang="sv": [interrupted])
    monkeypatch.setattr(output, "_WRITTEN", [])  # the first run's folder: not this command's
    code, _, err = in_process("run", str(TINY), "--out", "res", "--quiet", "--force")
    assert code == EXIT_INTERRUPTED
    assert "Interrupted; no results were written. res still holds the earlier results" in err
    assert fingerprint(tmp_path / "res") == before
    assert leftovers(tmp_path) == []


def test_system_exit_while_writing_leaves_no_partial_folder(tmp_path, tiny_plan) -> None:
    """SIGTERM's handler ends the run with SystemExit: the output side cleans up all the same."""
    scenario, plan = tiny_plan

    def terminated(plan, scenario, folder: Path) -> None:
        raise SystemExit(143)

    with pytest.raises(SystemExit):
        write_results(plan, scenario, tmp_path / "res", writers=[terminated])
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_just_as_the_temporary_folder_is_made_leaves_nothing_behind(
    tmp_path, monkeypatch
):
    """Ctrl-C the moment the temporary results folder appears (seen in CI under load): the
    interrupt is honoured, and no ``.partial`` folder is left beside the target."""
    import signal as signals

    made = output.OutputClaim._make_temporary_folder

    def made_then_interrupted(self):
        folder = made(self)
        os.kill(os.getpid(), signals.SIGINT)  # arrives right after the mkdir
        return folder

    monkeypatch.setattr(output.OutputClaim, "_make_temporary_folder", made_then_interrupted)
    try:
        with (
            interrupt.handled(),  # capplan's own handler, as the command line installs it
            pytest.raises(KeyboardInterrupt),
            output.atomic_output_dir(tmp_path / "out") as tmp,
        ):
            (tmp / "plan.json").write_text("{}")
    finally:
        interrupt.reset()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
