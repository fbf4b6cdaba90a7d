"""Build time at scale, timed apart from solving (docs/model.md).

Per size: reading the scenario folder, ``build_data`` (scenario -> arrays), ``build`` (arrays ->
matrix model) in both running-sum forms, the whole build handed to HiGHS, the floor of any numpy
builder (the same non-zeros assembled and passed to HiGHS) and the naive PuLP build of the
coverage, budget and precedence rows. Peak Python memory of each case goes into extra_info.
"""

from __future__ import annotations

import tempfile
import time

import pytest

from benchmarks import formulations
from benchmarks.cases import FULL, SEED, max_rss_mb, model_data, peak_python_mb, rounds, scenario
from benchmarks.generator import write_scenario
from optimizer import load_scenario
from optimizer.data import build_data
from optimizer.model import BuildOptions, build

SIZES = ["S", "M", "L"]


def _model_info(model) -> dict:
    return {"rows": model.n_rows, "cols": model.n_cols, "nnz": model.nnz}


@pytest.mark.parametrize("size", SIZES)
def test_load_scenario(benchmark, size):
    """Folder (scenario.toml + CSVs) -> validated Scenario: the reader and every cross-check."""
    benchmark.group = "load"
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_scenario(tmp, size, SEED)
        loaded = benchmark.pedantic(load_scenario, args=(folder,), rounds=rounds(3), iterations=1)
    benchmark.extra_info.update(case="load", size=size, candidates=len(loaded.candidates))


@pytest.mark.parametrize("size", SIZES)
def test_build_data(benchmark, size):
    benchmark.group = "build_data"
    sc = scenario(size)
    data = benchmark.pedantic(build_data, args=(sc,), rounds=rounds(5), iterations=1)
    benchmark.extra_info.update(
        case="build_data",
        size=size,
        candidates=data.n_candidates,
        starts=data.n_starts,
        peak_python_mb=peak_python_mb(build_data, sc),
    )


@pytest.mark.parametrize("running_sum", ["expression", "variable"])
@pytest.mark.parametrize("size", SIZES)
def test_build_model(benchmark, size, running_sum):
    """``build(data)`` alone: arrays -> every row block -> objective."""
    benchmark.group = f"build_model-{running_sum}"
    data = model_data(size)
    options = BuildOptions(running_sum=running_sum)
    built = benchmark.pedantic(build, args=(data, options), rounds=rounds(5), iterations=1)
    benchmark.extra_info.update(
        case="build_model",
        size=size,
        formulation=running_sum,
        **_model_info(built.model),
        peak_python_mb=peak_python_mb(build, data, options),
    )


@pytest.mark.parametrize("size", SIZES)
def test_build_to_highs(benchmark, size):
    """The build a run pays: build_data + build + hand-off to HiGHS (passModel), default form."""
    benchmark.group = "build_to_highs"
    sc = scenario(size)
    built, _ = benchmark.pedantic(
        formulations.build_and_handoff, args=(sc,), rounds=rounds(5), iterations=1
    )
    benchmark.extra_info.update(
        case="build_to_highs",
        size=size,
        **_model_info(built.model),
        peak_python_mb=peak_python_mb(formulations.build_and_handoff, sc),
        max_rss_mb=max_rss_mb(),
    )


def _build_and_pass_arrays(sc):
    built = build(build_data(sc))
    return built, formulations.reference_handoff(formulations.model_arrays(built.model))


@pytest.mark.parametrize("size", SIZES)
def test_build_to_highs_via_arrays(benchmark, size):
    """The same build, handed over as numpy arrays (``Highs.passModel(n, m, nnz, …)``) instead of
    filling a ``HighsLp`` attribute by attribute: what that one-function change in solve.py buys."""
    benchmark.group = "build_to_highs_via_arrays"
    sc = scenario(size)
    built, _ = benchmark.pedantic(
        _build_and_pass_arrays, args=(sc,), rounds=rounds(5), iterations=1
    )
    benchmark.extra_info.update(
        case="build_to_highs_via_arrays", size=size, **_model_info(built.model)
    )


@pytest.mark.parametrize("size", SIZES)
def test_reference_handoff(benchmark, size):
    """Floor: the same non-zeros, already computed, assembled (COO -> CSC) and passed to HiGHS."""
    benchmark.group = "reference_handoff"
    arrays = formulations.model_arrays(build(model_data(size)).model)
    highs = benchmark.pedantic(
        formulations.reference_handoff, args=(arrays,), rounds=rounds(5), iterations=1
    )
    started = time.perf_counter()
    formulations.reference_handoff(arrays)
    benchmark.extra_info.update(
        case="reference_handoff",
        size=size,
        rows=highs.getNumRow(),
        cols=highs.getNumCol(),
        nnz_summed=highs.getNumNz(),
        once_seconds=round(time.perf_counter() - started, 4),
        peak_python_mb=peak_python_mb(formulations.reference_handoff, arrays),
    )
    assert highs.getNumRow() == len(arrays["rlower"])


NAIVE_SIZES = ["S", "M", pytest.param("L", marks=pytest.mark.slow)] if FULL else ["XS"]


@pytest.mark.parametrize("size", NAIVE_SIZES)
def test_naive_pulp_build(benchmark, size):
    """Coverage + budget + precedence rows with PuLP ``+=`` in nested loops (the §8 anti-pattern)."""
    benchmark.group = "naive_pulp_build"
    sc = scenario(size)
    problem, x, rows = benchmark.pedantic(
        formulations.naive_build, args=(sc,), rounds=rounds(1), iterations=1
    )
    blocks = {}
    for block, _ in rows:
        blocks[block] = blocks.get(block, 0) + 1
    benchmark.extra_info.update(
        case="naive_pulp_build",
        size=size,
        rows=len(rows),
        start_vars=len(x),
        nnz=sum(len(c) for c in rows.values()),
        blocks=blocks,
    )


def test_naive_build_writes_the_same_rows_as_the_builder():
    """The naive rows are the project's rows: same keys, same start-variable coefficients."""
    sc = scenario("XS")
    _, x, rows = formulations.naive_build(sc)
    naive = formulations.naive_triplets(x, rows)
    project = formulations.project_triplets(
        build(model_data("XS"), BuildOptions(running_sum="expression")),
        ("coverage", "budget", "precedence", "opens_with"),
    )
    assert naive.keys() == project.keys()
    assert all(naive[k] == pytest.approx(project[k], rel=1e-12) for k in naive)
    assert {k[0] for k in naive} >= {"coverage", "budget", "precedence"}
