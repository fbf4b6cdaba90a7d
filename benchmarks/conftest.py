"""pytest hooks of the benchmark suites (helpers live in ``benchmarks.cases``)."""

from __future__ import annotations

from benchmarks.cases import FULL, machine


def pytest_benchmark_update_machine_info(config, machine_info):
    import pulp

    from optimizer.solve import highs_version

    machine_info["capplan"] = machine()
    machine_info["capplan"]["highspy"] = highs_version()
    machine_info["capplan"]["pulp"] = pulp.__version__
    machine_info["capplan"]["mode"] = "full" if FULL else "smoke"
