"""A light process (issue #13): each command imports only what it needs.

Every case runs ``capplan`` as its own process with ``python -X importtime`` and reads which
top-level packages it imported from the interpreter's own import log (stderr), so a module-level
``import pandas`` added anywhere on a command's path shows up here. Behaviour, not timing: which
packages load, never how long they take.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "scenarios" / "tiny"

# "import time:       675 |      15093 |         rich.table" -> "rich"
_IMPORT_LINE = re.compile(r"^import time:\s+\d+\s*\|\s*\d+\s*\|\s*([\w.]+)\s*$")


def imported_packages(*args: str, cwd: Path = REPO) -> tuple[set[str], subprocess.CompletedProcess]:
    """The top-level packages ``capplan ARGS`` imported, and the finished process."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optimizer.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    packages = {
        match.group(1).split(".")[0]
        for line in done.stderr.splitlines()
        if (match := _IMPORT_LINE.match(line))
    }
    return packages, done


def test_help_loads_neither_the_data_nor_the_solver_nor_the_report_stack():
    packages, done = imported_packages("--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "typer" in packages  # the log is read: the command line itself shows up
    heavy = {"pandas", "numpy", "scipy", "highspy", "pulp", "openpyxl", "matplotlib", "dask"}
    assert packages & heavy == set()


def test_a_commands_help_loads_no_solver_either():
    packages, done = imported_packages("run", "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert packages & {"pandas", "highspy", "pulp", "openpyxl", "matplotlib", "dask"} == set()


def test_validate_reads_the_scenario_without_solver_or_report_writers():
    packages, done = imported_packages("validate", str(TINY))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pandas" in packages  # the scenario tables are read with pandas
    assert packages & {"highspy", "pulp", "scipy", "openpyxl", "matplotlib", "dask"} == set()


def test_run_with_highs_never_loads_pulp(tmp_path):
    packages, done = imported_packages(
        "run", str(TINY), "--solver", "highs", "--out", str(tmp_path / "out"), "--quiet"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "highspy" in packages
    assert "openpyxl" in packages  # plan.xlsx is written
    assert (tmp_path / "out" / "plan.xlsx").is_file()
    assert packages & {"pulp", "matplotlib", "dask"} == set()


def test_run_with_cbc_loads_pulp_only_then(tmp_path):
    packages, done = imported_packages(
        "run", str(TINY), "--solver", "cbc", "--out", str(tmp_path / "out"), "--quiet"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pulp" in packages
    assert packages & {"matplotlib", "dask"} == set()
