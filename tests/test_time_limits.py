"""Time limits (docs/model.md, Status): an honest status whatever the clock does.

- No plan within the time limit: status ``no_solution``, exit code 4, no results folder, and a
  message that says what to try (a longer ``--time-limit``, a looser ``--gap``).
- A plan with a gap: status ``feasible`` with its gap and bound in the terminal summary, in
  plan.json and in the manifest; never "optimal", not even in the solver's message.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_edits import run_cli
from test_solve import knapsack_scenario

import optimizer
from optimizer.errors import EXIT_NO_SOLUTION, EXIT_OK
from optimizer.run import run_scenario, solve_settings_for

NO_TIME = "0.000001"  # seconds: every solver stops before its first plan


@pytest.fixture(scope="module")
def knapsack(tmp_path_factory) -> Path:
    return knapsack_scenario(tmp_path_factory.mktemp("time") / "knapsack")


def capplan(*args: str) -> subprocess.CompletedProcess:
    """``capplan`` as a new process: what it writes on stdout is all the process writes there
    (a solver banner on the file descriptor would break --json)."""
    return subprocess.run(
        [sys.executable, "-m", "optimizer.cli", *args], capture_output=True, text=True, check=False
    )


def in_process(*args: str) -> subprocess.CompletedProcess:
    """``capplan`` in this process (``scenario_edits.run_cli``), for what a new interpreter per
    command (1-3 s) does not change: exit code, the words said, the files written."""
    return subprocess.CompletedProcess(args, *run_cli(*args))


def words(text: str) -> str:
    """Terminal output with rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_no_plan_in_time_is_no_solution_never_a_plan(knapsack: Path, solver: str) -> None:
    scenario = optimizer.load_scenario(knapsack)
    plan = run_scenario(scenario, solve_settings_for(scenario, solver=solver, time_limit=1e-6))
    assert plan.status == "no_solution"
    assert not plan.has_solution and plan.objective is None and plan.starts == {}
    assert "no plan found within" in plan.message


def test_cli_no_solution_exit_code_4_with_advice(knapsack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = in_process(
        "run", str(knapsack), "--time-limit", NO_TIME, "--out", str(out), "--quiet", "--lang", "en"
    )
    assert result.returncode == EXIT_NO_SOLUTION, result.stderr
    assert "Traceback" not in result.stderr
    said = words(result.stdout)
    assert "Status: no solution in time" in said
    assert "no plan found within 1e-06 s" in said
    assert "Try a longer --time-limit (now 1e-06 s), or a looser --gap" in said
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_cli_no_solution_json_is_clean(knapsack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = capplan("run", str(knapsack), "--time-limit", NO_TIME, "--out", str(out), "--json")
    assert result.returncode == EXIT_NO_SOLUTION, result.stderr
    plan = json.loads(result.stdout)
    assert plan["status"] == "no_solution"
    assert plan["objective"] is None and plan["schedule"] == []
    assert not out.exists()


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_plan_with_a_gap_is_feasible_with_gap_and_bound_everywhere(
    knapsack: Path, tmp_path: Path, solver: str
) -> None:
    """A loose --gap stops the solver at once with a plan: deterministic, unlike a time limit."""
    out = tmp_path / "out"
    result = in_process(
        "run", str(knapsack), "--solver", solver, "--gap", "0.05", "--out", str(out), "--quiet",
        "--lang", "en",
    )  # fmt: skip
    assert result.returncode == EXIT_OK, result.stderr
    plan = json.loads((out / "plan.json").read_text())
    assert plan["status"] == "feasible"
    assert plan["gap"] > 1e-4
    assert plan["bound"] < plan["objective"]  # minimising −value: the bound is below
    assert "optimal" not in plan["message"].lower().replace("optimality not proven", "")
    said = words(result.stdout)
    shown = re.search(
        r"Status: feasible, NOT proven optimal \(gap ([\d.]+)%, bound (\u2212?[\d,.]+)\)", said
    )
    assert shown, said
    assert float(shown.group(1)) == pytest.approx(plan["gap"] * 100, abs=0.006)
    bound = float(shown.group(2).replace(",", "").replace("\u2212", "-"))  # the reports' minus
    assert bound == pytest.approx(plan["bound"], abs=0.06)
    assert "Status: optimal" not in said
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "feasible" and manifest["gap"] == pytest.approx(plan["gap"])


def test_time_limited_plan_says_so(knapsack: Path) -> None:
    scenario = optimizer.load_scenario(knapsack)
    plan = run_scenario(scenario, solve_settings_for(scenario, time_limit=0.3, gap=0.0))
    if plan.status == "no_solution":
        pytest.skip("this machine found no plan in 0.3 s")
    assert plan.status == "feasible", f"{plan.status}: instance too easy?"
    assert plan.message == "stopped with a plan, optimality not proven (time limit reached)"


def test_cbc_that_ignores_its_time_limit_is_stopped_with_no_plan(
    knapsack: Path, tmp_path: Path, monkeypatch
) -> None:
    """CBC checks its time limit only between nodes, so a long root ran far past it (178 s
    under a 20 s limit on the generated L case). Past the limit plus a grace capplan asks CBC
    to stop and then stops it: a stand-in CBC that ignores both its limit and SIGINT ends as
    "no plan", with the reason, instead of holding the user for as long as it likes."""
    import pulp

    from optimizer import cbc as solve_module

    stubborn = tmp_path / "cbc"
    stubborn.write_text(
        "#!/usr/bin/env python3\nimport signal, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(600)\n"
    )
    stubborn.chmod(0o755)
    monkeypatch.setattr(solve_module, "CBC_GRACE_SECONDS", 0.2)
    monkeypatch.setattr(pulp.PULP_CBC_CMD, "path", str(stubborn), raising=False)
    original = pulp.PULP_CBC_CMD.__init__

    def with_stubborn_path(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.path = str(stubborn)

    monkeypatch.setattr(pulp.PULP_CBC_CMD, "__init__", with_stubborn_path)
    scenario = optimizer.load_scenario(knapsack)
    plan = run_scenario(scenario, solve_settings_for(scenario, solver="cbc", time_limit=0.5))
    assert plan.status == "no_solution"
    assert plan.objective is None and plan.starts == {}
    assert "did not stop at its time limit" in plan.message
