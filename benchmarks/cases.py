"""What the benchmark suites share: mode, sizes, cached scenarios, memory probes.

Two modes:

* smoke (default, CI): ``python -m pytest benchmarks --benchmark-disable``. Every case runs once,
  on small sizes or with short time limits, and its answer is checked.
* full (``CAPPLAN_BENCH_FULL=1``, set by ``python benchmarks/run.py``): the sizes, rounds and time
  limits that RESULTS.md reports.
"""

from __future__ import annotations

import math
import os
import platform
import resource
import time
import tracemalloc
from functools import cache
from pathlib import Path

import numpy as np

FULL = os.environ.get("CAPPLAN_BENCH_FULL") == "1"
SEED = 1


def rounds(full: int) -> int:
    """Timed rounds of a case: ``full`` in the full run, one in smoke mode."""
    return full if FULL else 1


@cache
def scenario(size: str, seed: int = SEED):
    """Generated scenario of a size, written to a temporary folder and read back (cached)."""
    from benchmarks.generator import generate

    return generate(size, seed)


@cache
def model_data(size: str, seed: int = SEED):
    from optimizer.data import build_data

    return build_data(scenario(size, seed))


def peak_python_mb(function, *args, **kwargs) -> float:
    """Peak memory (MB) that Python and numpy allocate in one untimed call (tracemalloc)."""
    tracemalloc.start()
    try:
        function(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


def max_rss_mb() -> float:
    """High-water mark of this process's resident memory (MB), solver memory included."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> dict:
    """CPU model, cores and RAM of this machine, as RESULTS.md states them."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
    }


def solve_traced(
    model,
    settings,
    start: np.ndarray | None = None,
    cpu_limit: float = math.inf,
    highs_options: dict | None = None,
    integrality: np.ndarray | None = None,
):
    """HiGHS on the full model (with ``start`` as its starting solution), recording
    (CPU s, nodes, incumbent, bound) at every MIP callback and stopping after ``cpu_limit``
    CPU seconds (HiGHS' own time limit is wall time, which the shared machine stretches).
    ``highs_options`` are HiGHS options set on top of what ``settings`` sets (for switches
    measured before they are a ``[solver]`` setting); ``integrality`` (1 integer, 0 continuous
    per column) relaxes some integer columns (benchmarks/bound_gap.py).
    ``objective`` and ``values`` are None when HiGHS stopped without a plan."""
    import highspy

    from optimizer.solve import _new_highs, objective_of, pass_model, quiet_stdout

    trace: list[tuple[float, int, float, float]] = []
    started = time.process_time()

    def on_event(event):
        out = event.data_out
        if time.process_time() - started > cpu_limit:
            event.interrupt()
        trace.append(
            (
                time.process_time() - started,
                int(out.mip_node_count),
                float(out.mip_primal_bound),
                float(out.mip_dual_bound),
            )
        )

    with quiet_stdout():
        h = _new_highs(settings)
        for option, value in (highs_options or {}).items():
            # HiGHS ignores a value of the wrong type (an int for a double) with only a status
            if h.setOptionValue(option, value) != highspy.HighsStatus.kOk:
                raise ValueError(f"HiGHS refused {option} = {value!r}")
        h.cbMipInterrupt.subscribe(on_event)
        pass_model(h, model, integrality=integrality)
        if start is not None:
            h.setSolution(model.n_cols, np.arange(model.n_cols, dtype=np.int32), start)
        h.run()
        info = h.getInfo()
        has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
        values = np.array(h.getSolution().col_value) if has_plan else None
    return {
        "status": h.modelStatusToString(h.getModelStatus()),
        "objective": objective_of(model, values) if has_plan else None,
        "bound": float(info.mip_dual_bound),
        "gap": float(info.mip_gap),
        "nodes": int(info.mip_node_count),
        "lp_iterations": int(info.simplex_iteration_count),
        "cpu_seconds": round(time.process_time() - started, 3),
        "trace": trace,
        "values": values,
    }


def checker_problems(scenario, data, built, solved: dict, settings, proven: bool) -> int:
    """How many findings the independent checker has on the plan of a ``solve_traced`` run
    (0 when it found no plan)."""
    from optimizer.check import check_plan
    from optimizer.run import make_plan
    from optimizer.solve import SolveResult
    from optimizer.status import Status

    if solved["values"] is None:
        return 0
    result = SolveResult(
        Status.OPTIMAL if proven else Status.FEASIBLE,
        "highs",
        "",
        solved["objective"],
        solved["bound"],
        solved["gap"],
        solved["cpu_seconds"],
        solved["values"],
    )
    return len(check_plan(scenario, make_plan(data, built, result, settings, 0.0)))
