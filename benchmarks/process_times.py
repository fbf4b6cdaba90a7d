"""Whole-process timings: ``capplan --help``, ``validate`` and ``run`` of the default scenario,
against the minimal direct-highspy reference (benchmarks/reference_highs.py) on the same matrix.

    python -m benchmarks.process_times [--rounds N]

Each command runs as its own process, ``--rounds`` times in turn (default 5); wall seconds and
CPU seconds (user + system of the child, HiGHS included) are reported as medians. The matrix
the reference solves is capplan's own build of the same scenario, written to a temporary .npz
before timing. Writes ``benchmarks/process_times.json``; ``python benchmarks/run.py
--render-only`` puts the table into RESULTS.md. The machine is shared: CPU seconds are the
figure to compare, wall seconds show what a user waits.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().with_name("process_times.json")
SCENARIO = REPO / "scenarios" / "ostersund-2040"  # the default scenario (its default variant)
TARGET_RATIO = 1.3  # capplan run against the reference's whole process (issue #13)


def write_matrix(path: Path) -> None:
    """capplan's model of the default scenario, as the arrays reference_highs.py reads."""
    from optimizer import load_scenario
    from optimizer.data import build_data
    from optimizer.model import build

    model = build(build_data(load_scenario(SCENARIO))).model
    csc = model.matrix("csc")
    np.savez(
        path,
        shape=np.array([model.n_rows, model.n_cols]),
        offset=np.array(model.offset),
        cost=model.cost,
        lower=model.lower,
        upper=model.upper,
        rlower=model.rlower,
        rupper=model.rupper,
        indptr=csc.indptr.astype(np.int32),
        indices=csc.indices.astype(np.int32),
        data=csc.data.astype(float),
        integrality=model.integer.astype(np.int32),
    )


def child_environment(pycache: Path) -> dict[str, str]:
    """The children's environment: bytecode cached as on an installed system.

    Sessions on this machine set ``PYTHONDONTWRITEBYTECODE``, so capplan's own modules (and
    typer's, rich's) would be compiled from source in every process: about 0.3 s of CPU that no
    installed capplan pays. The children write and read bytecode under ``pycache`` (outside the
    repository), warmed by a first round that is not counted.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall s, CPU s) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def commands(tmp: Path) -> dict[str, list[str]]:
    capplan = [sys.executable, "-m", "optimizer.cli"]
    return {
        "capplan --help": [*capplan, "--help"],
        "capplan validate": [*capplan, "validate", str(SCENARIO)],
        "capplan run": [*capplan, "run", str(SCENARIO), "--out", str(tmp / "out"), "--force",
                        "--quiet"],
        "reference (direct highspy)": [sys.executable, str(REPO / "benchmarks" /
                                       "reference_highs.py"), str(tmp / "model.npz")],
        "python -c pass (interpreter)": [sys.executable, "-c", "pass"],
    }  # fmt: skip


def measure(rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="capplan-process-") as folder:
        tmp = Path(folder)
        write_matrix(tmp / "model.npz")
        env = child_environment(tmp / "pycache")
        for command in commands(tmp).values():  # warm-up: bytecode written, files in the cache
            timed(command, env)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands(tmp)}
        for _ in range(rounds):  # in turn, so load changes hit every command alike
            for name, command in commands(tmp).items():
                runs[name].append(timed(command, env))
    return {
        name: {
            "wall_median": median(w for w, _ in values),
            "cpu_median": median(c for _, c in values),
            "rounds": len(values),
        }
        for name, values in runs.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    from benchmarks.cases import machine

    figures = measure(args.rounds)
    run, ref = figures["capplan run"], figures["reference (direct highspy)"]
    summary = {
        "taken_on": {
            **machine(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average": os.getloadavg()[0],
            "bytecode": "cached (PYTHONPYCACHEPREFIX, one warm-up round not counted)",
        },
        "scenario": str(SCENARIO.relative_to(REPO)),
        "commands": figures,
        "run_to_reference_cpu": run["cpu_median"] / ref["cpu_median"],
        "run_to_reference_wall": run["wall_median"] / ref["wall_median"],
        "target_ratio": TARGET_RATIO,
    }
    OUT.write_text(json.dumps(summary, indent=1) + "\n")
    for name, f in figures.items():
        print(f"{name:30} wall {f['wall_median']:.2f} s  CPU {f['cpu_median']:.2f} s")
    print(
        f"run / reference: CPU {summary['run_to_reference_cpu']:.2f}x, "
        f"wall {summary['run_to_reference_wall']:.2f}x (target {TARGET_RATIO}x); wrote {OUT}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
