"""What the benchmark suites share: mode, sizes, cached scenarios, memory probes.

Two modes:

* smoke (default, CI): ``python -m pytest benchmarks --benchmark-disable``. Every case runs once,
  on small sizes or with short time limits, and its answer is checked.
* full (``CAPPLAN_BENCH_FULL=1``, set by ``python benchmarks/run.py``): the sizes, rounds and time
  limits that RESULTS.md reports.
"""

from __future__ import annotations

import os
import platform
import resource
import tracemalloc
from functools import cache
from pathlib import Path

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
