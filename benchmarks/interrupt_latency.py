"""Seconds from a signal to the end of capplan, per phase, with every core busy.

    python benchmarks/interrupt_latency.py            # 5 signals per phase
    python benchmarks/interrupt_latency.py --repeat 10 --phase cbc-group

Runs the same situations as ``tests/test_interrupts.py`` (its helpers are reused: the same
scenario, the same evidence that a phase has begun, one CPU-burning process per core) and
prints min, median and max per phase. The requirement is 2 s (README, "Status and exit codes").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from test_interrupts import (  # noqa: E402
    LONG,
    Capplan,
    cbc_running,
    children,
    handles_sigterm,
    leftovers,
    processes_in_group,
    solving,
    threads,
)
from test_solve import knapsack_scenario  # noqa: E402

from benchmarks.generator import write_scenario  # noqa: E402

PHASES = (
    "loading",
    "building",
    "highs",
    "highs-quiet",
    "cbc-group",
    "cbc-pid",
    "sigterm-highs",
    "sigterm-cbc",
    "reports",
    "explain",
    "compare",
    "replan",
)


def situation(phase: str, scenario: Path, result: Path, large: Path, work: Path):
    """(capplan arguments, condition that the phase has begun, signal, to the whole group)."""
    out = ["--out", str(work / "out")]
    worker_solving = lambda run: lambda: any(threads(p) > 1 for p in children(run.pid))  # noqa: E731
    return {
        "loading": (
            ["run", str(large), *out, *LONG],
            lambda run: lambda: handles_sigterm(run.pid),
            2,
            True,
        ),
        "building": (
            ["run", str(large), *out, *LONG],
            lambda run: lambda: "building" in run.said,
            2,
            True,
        ),
        "highs": (["run", str(scenario), *out, *LONG], solving, 2, True),
        "highs-quiet": (
            ["run", str(scenario), *out, "--quiet", *LONG],
            lambda run: lambda: threads(run.pid) > 1,
            2,
            True,
        ),
        "cbc-group": (["run", str(scenario), *out, "--solver", "cbc", *LONG], cbc_running, 2, True),
        "cbc-pid": (["run", str(scenario), *out, "--solver", "cbc", *LONG], cbc_running, 2, False),
        "sigterm-highs": (["run", str(scenario), *out, *LONG], solving, 15, False),
        "sigterm-cbc": (
            ["run", str(scenario), *out, "--solver", "cbc", *LONG],
            cbc_running,
            15,
            False,
        ),
        "reports": (
            ["run", str(scenario), *out, "--gap", "0.01"],
            lambda run: lambda: bool(leftovers(work)),
            2,
            True,
        ),
        "explain": (
            ["explain", str(result), "--time-limit", "600", "--workers", "2"],
            worker_solving,
            2,
            True,
        ),
        "compare": (["compare", str(scenario), str(scenario), *out, *LONG], solving, 2, True),
        "replan": (
            ["replan", str(scenario), "--adopted", str(result), "--year", "2026", *out, *LONG],
            lambda run: lambda: "solving" in run.stdout_path.read_text() and threads(run.pid) > 1,
            2,
            True,
        ),
    }[phase]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--phase", action="append", choices=PHASES)
    options = parser.parse_args()
    cores = min(len(os.sched_getaffinity(0)), 16)
    burners = [
        subprocess.Popen([sys.executable, "-c", "while 1: pass"], stdin=subprocess.DEVNULL)
        for _ in range(cores)
    ]
    print(f"{cores} CPU-burning processes, {options.repeat} signals per phase", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="capplan-interrupts-") as tmp:
            scenario = knapsack_scenario(Path(tmp) / "knapsack", items=400, years=8)
            large = Path(tmp) / "L"
            write_scenario(large, "L", seed=1)
            result = Path(tmp) / "result"
            subprocess.run(
                [sys.executable, "-m", "optimizer.cli", "run", str(scenario)]
                + ["--gap", "0.01", "--quiet", "--out", str(result)],
                check=True,
                capture_output=True,
            )
            for phase in options.phase or PHASES:
                seconds = []
                for attempt in range(options.repeat):
                    work = Path(tmp) / f"{phase}-{attempt}"
                    work.mkdir()
                    args, began, signum, group = situation(phase, scenario, result, large, work)
                    run = Capplan(work, *args)
                    try:
                        run.wait_until(began(run), phase)
                        stopped = run.signal_and_time(signum, whole_group=group)
                        ok = run.process.returncode == 128 + signum
                        clean = not processes_in_group(run.pid) and not leftovers(work)
                        clean = clean and not (work / "out").exists()
                        seconds.append(stopped)
                        if not (ok and clean):
                            print(f"  {phase}: exit {run.process.returncode}, clean={clean}")
                    finally:
                        run.kill_what_is_left()
                print(
                    f"{phase:14s} min {min(seconds):5.2f}  median {statistics.median(seconds):5.2f}"
                    f"  max {max(seconds):5.2f} s   ({', '.join(f'{s:.2f}' for s in seconds)})",
                    flush=True,
                )
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


if __name__ == "__main__":
    main()
