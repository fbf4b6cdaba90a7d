"""Progress while a run is under way: the HiGHS callback fires, CBC's log is read as it is
written, and the displays show it."""

from __future__ import annotations

import io
import math

import numpy as np
from rich.console import Console

from optimizer.cbc import CbcLogWatcher
from optimizer.model.builder import LinearModel
from optimizer.report.progress import LineProgress, LiveProgress, ProgressState, run_progress
from optimizer.solve import SolveSettings, solve


def knapsack(n: int = 70, m: int = 6, seed: int = 1) -> LinearModel:
    """A multi-dimensional knapsack HiGHS needs a few hundred milliseconds of branching for."""
    rng = np.random.default_rng(seed)
    weights = rng.integers(10, 100, size=(m, n)).astype(float)
    values = rng.integers(10, 100, size=n).astype(float)
    model = LinearModel()
    cols = model.add_columns("x", [(j,) for j in range(n)], 0, 1, -values, integer=True)
    rows = model.add_rows("capacity", [(i,) for i in range(m)], -np.inf, weights.sum(axis=1) / 3)
    model.add_terms(np.repeat(rows, n), np.tile(cols, m), weights.ravel())
    model.offset = 5000.0
    return model


def test_highs_reports_incumbents_while_solving():
    events: list[dict] = []
    result = solve(
        knapsack(), SolveSettings(time_limit=20), progress=lambda **kw: events.append(kw)
    )
    assert result.status == "optimal"
    finite = [e for e in events if math.isfinite(e.get("incumbent", math.inf))]
    assert finite, "the HiGHS MIP callback never reported an incumbent"
    # the objective includes the model's constant, like the final answer
    assert finite[-1]["incumbent"] == min(e["incumbent"] for e in finite)
    assert abs(finite[-1]["incumbent"] - result.objective) < 1e-6 * abs(result.objective) + 1e-6
    assert all({"incumbent", "bound", "gap"} <= set(e) for e in events)


def test_cbc_reports_incumbents_while_solving():
    events: list[dict] = []
    model = knapsack()
    result = solve(
        model, SolveSettings(solver="cbc", time_limit=20), progress=lambda **kw: events.append(kw)
    )
    assert result.status == "optimal"
    finite = [e for e in events if math.isfinite(e["incumbent"])]
    assert finite, "nothing was read from CBC's log while it ran"
    incumbents = [e["incumbent"] for e in finite]
    assert incumbents == sorted(incumbents, reverse=True)  # only improvements, minimising
    # CBC's log leaves the objective's constant out; the progress puts it back
    assert incumbents[-1] >= result.objective - 1e-6 * abs(result.objective)
    assert incumbents[-1] > model.offset / 2


def test_cbc_log_lines_are_read_once_and_only_when_complete(tmp_path):
    log = tmp_path / "cbc.log"
    events: list[dict] = []
    watcher = CbcLogWatcher(log, lambda **kw: events.append(kw), offset=100.0)
    watcher.poll()  # CBC has not written its log yet
    log.write_text(
        "Continuous objective value is -60 - 0.01 seconds\n"
        "Cbc0012I Integer solution of -40 found by feasibility pump after 0 iterations and 0 nod"
    )
    watcher.poll()
    assert events == []  # the solution line is not finished
    with open(log, "a") as handle:
        handle.write(
            "es (0.10 seconds)\n"
            "Cbc0010I After 0 nodes, 1 on tree, 1e+50 best solution, best possible -55 (0.2 seconds)\n"
        )
    watcher.poll()
    assert events[-1]["incumbent"] == 60.0 and events[-1]["bound"] == 45.0
    assert math.isclose(events[-1]["gap"], 15 / 60)
    watcher.poll()  # nothing new: nothing reported again
    with open(log, "a") as handle:
        handle.write("Cbc0004I Integer solution of -50 found after 9 iterations and 3 nodes\n")
    watcher.poll()
    assert len(events) == 2 and events[-1]["incumbent"] == 50.0


def test_state_ignores_infinite_values():
    state = ProgressState("x")
    state.update("solving", rows=10, columns=20, nonzeros=30)
    state.update("solving", incumbent=math.inf, bound=-math.inf, gap=math.inf)
    assert (state.incumbent, state.bound, state.gap) == (None, None, None)
    assert "10 rows" in state.describe() and "inf" not in state.describe()
    state.update("solving", incumbent=1234.5, bound=1200.0, gap=0.0279)
    text = state.describe()
    assert "incumbent 1,234.5" in text and "bound 1,200.0" in text and "gap 2.79%" in text


def test_lines_once_per_phase_and_incumbents_throttled():
    buffer = io.StringIO()
    progress = LineProgress(Console(file=buffer, force_terminal=False, width=200), "tiny")
    progress(phase="building")
    progress(phase="building")
    progress(phase="solving", rows=1, columns=2, nonzeros=3)
    for k in range(200):
        progress(phase="solving", incumbent=100.0 - k, bound=50.0, gap=0.5)
    progress(phase="checking")
    progress(phase="done")
    lines = buffer.getvalue().splitlines()
    assert [line.split()[3] for line in lines if "incumbent" not in line] == [
        "building",
        "solving",
        "checking",
        "done",
    ]
    assert 1 <= sum("incumbent" in line for line in lines) <= 2  # not 200
    assert all("tiny" in line for line in lines)


def test_run_progress_modes():
    pipe = Console(file=io.StringIO(), force_terminal=False)
    with run_progress(enabled=False, console=pipe) as progress:
        assert progress is None
    with run_progress(console=pipe, terminal_only=True) as progress:
        assert progress is None  # --json into a pipe: silence
    with run_progress(console=pipe) as progress:
        assert isinstance(progress, LineProgress)
    terminal = io.StringIO()
    with run_progress(console=Console(file=terminal, force_terminal=True, width=120)) as progress:
        assert isinstance(progress, LiveProgress)
        progress(phase="solving", incumbent=10.0, bound=9.0, gap=0.1)
        assert "incumbent 10.0" in progress.state.describe()
    assert "\x1b[?25h" in terminal.getvalue()  # the cursor is given back


def test_state_speaks_swedish_with_swedish_numbers():
    """``--lang sv`` (the default of the commands): Swedish words, decimal comma, the
    non-breaking spaces of the reports."""
    state = ProgressState("x", lang="sv")
    state.update("solving", rows=1599, columns=1957, nonzeros=13204)
    assert "löser  (1\u00a0599 rader × 1\u00a0957 kolumner, 13\u00a0204 nollskilda element)" in (
        state.describe()
    )
    state.update("solving", incumbent=2473.86, bound=2464.01, gap=0.0039)
    text = state.describe()
    assert "bästa plan 2\u00a0473,9  gräns 2\u00a0464,0  gap 0,39\u00a0%" in text
    state.update("checking")
    assert state.describe().endswith("kontrollerar planen")
