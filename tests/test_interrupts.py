"""Ctrl-C and SIGTERM on a busy machine: honoured within seconds, exit 130 (143 for SIGTERM),
nothing left behind: no results folder, no ``.partial`` folder, no solver or worker process.

Every test here runs while CPU-burning processes keep every core busy (``busy_cores``): that
is when a solver that only looks at interrupts now and then, or a child process nobody kills,
shows. The product requirement is 2 s from the signal to the end of the process (README,
"Status and exit codes"); the tests allow ``STOP_BOUND`` seconds. On this project's 2-core
machine with both cores burning, ``python benchmarks/interrupt_latency.py`` measured at most
about 0.8 s per phase; the tests' bound is wider because a test machine may also be busy with
other work than our burners (CI, other sessions), and a scheduler hiccup there is not what
these tests are about, while a solver that ignores the interrupt takes its whole time limit
(600 s here).

Each test waits for evidence that the phase it interrupts has begun (a progress line, the CBC
child process, a solver thread, the temporary results folder), never for a fixed time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_solve import knapsack_scenario

from optimizer import interrupt
from optimizer.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED
from optimizer.report.i18n import translator

# capplan's progress lines are in the report language, Swedish by default
BUILDING, SOLVING, INCUMBENT = (
    translator("sv")(f"progress_{phase}") for phase in ("building", "solving", "incumbent")
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc and sends signals"
)

STOP_BOUND = 5.0  # seconds from the signal to the end of capplan (requirement: 2 s; see above)
LONG = ["--time-limit", "600", "--gap", "0"]  # a solve that would run for minutes
# numpy's thread pool off: then a second thread in capplan (or a worker) is HiGHS' solver thread
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def busy_cores(knapsack_result: Path) -> Iterator[int]:
    """One CPU-burning process per core, for the whole module; killed afterwards.

    The solved plan that explain and replan question (``knapsack_result``) is made first, on
    cores not yet burning: it is input to those tests, not what they check, and solving and
    writing it beside the burners cost about 20 s of the suite instead of about 3 s."""
    cores = min(len(os.sched_getaffinity(0)), 16)
    burners = [
        subprocess.Popen([sys.executable, "-c", "while 1: pass"], stdin=subprocess.DEVNULL)
        for _ in range(cores)
    ]
    try:
        yield cores
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


@pytest.fixture(scope="module")
def long_knapsack(tmp_path_factory) -> Path:
    """400 items over 8 years: neither HiGHS nor CBC closes the gap on it for minutes."""
    return knapsack_scenario(tmp_path_factory.mktemp("long") / "knapsack", items=400, years=8)


@pytest.fixture(scope="module")
def large_scenario(tmp_path_factory) -> Path:
    """1 000 candidates over 25 years (benchmarks/generator.py): seconds to read and to build."""
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:  # benchmarks/ is a folder beside the package, not installed
        sys.path.insert(0, str(root))
    from benchmarks.generator import write_scenario

    folder = tmp_path_factory.mktemp("large") / "L"
    write_scenario(folder, "L", seed=1)
    return folder


@pytest.fixture(scope="module")
def knapsack_result(long_knapsack: Path, tmp_path_factory) -> Path:
    """A solved knapsack plan (1 % gap: quick) for explain to question."""
    out = tmp_path_factory.mktemp("solved") / "result"
    done = subprocess.run(
        [sys.executable, "-m", "optimizer.cli", "run", str(long_knapsack)]
        + ["--gap", "0.01", "--quiet", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    return out


# --------------------------------------------------------------------------------------
# What the tests look at: /proc, the process group, the folders
# --------------------------------------------------------------------------------------
def _stat(pid: int | str) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, ...]."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def processes_in_group(pgrp: int) -> list[str]:
    """Every process (running or zombie) still in process group ``pgrp``, as 'pid name state'."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(entry.name)
        if fields is not None and int(fields[2]) == pgrp:
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                name = "?"
            found.append(f"{entry.name} {name} {fields[0]}")
    return found


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(entry.name)) and int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def handles_sigterm(pid: int) -> bool:
    """capplan's signal handler is installed (SIGTERM is caught): its main() has begun."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    except OSError:
        pass
    return False


def threads(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def leftovers(folder: Path) -> list[str]:
    """Temporary folders of results writing that are still there."""
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name or ".old-" in p.name)


class Capplan:
    """``capplan ARGS`` in its own process group (as a terminal runs a command), output in files."""

    def __init__(self, tmp_path: Path, *args: str):
        self.stderr_path = tmp_path / "stderr.txt"
        self.stdout_path = tmp_path / "stdout.txt"
        with open(self.stderr_path, "w") as stderr, open(self.stdout_path, "w") as stdout:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "optimizer.cli", *args],
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,  # its own process group: pgid == pid
                env={**os.environ, **ONE_THREAD},
            )
        self.pid = self.process.pid

    @property
    def said(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, f"ended before {what}:\n{self.said}"
            assert time.monotonic() < deadline, f"no sign of {what} after {timeout} s"
            time.sleep(0.01)

    def signal_and_time(self, signum: int, whole_group: bool = True) -> float:
        """Send ``signum`` (to the process group, as Ctrl-C does, or to capplan alone) and
        return the seconds until capplan has ended."""
        assert self.process.poll() is None, f"ended before the signal:\n{self.said}"
        sent = time.monotonic()
        if whole_group:
            os.killpg(self.pid, signum)
        else:
            os.kill(self.pid, signum)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            pass
        return time.monotonic() - sent

    def kill_what_is_left(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait()
        for entry in processes_in_group(self.pid):
            os.kill(int(entry.split()[0]), signal.SIGKILL)


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Callable[..., Capplan]]:
    runs: list[Capplan] = []

    def start(*args: str) -> Capplan:
        runs.append(Capplan(tmp_path, *args))
        return runs[-1]

    yield start
    for run in runs:
        run.kill_what_is_left()


def assert_stopped_cleanly(
    run: Capplan, stopped_after: float, out: Path | None, exit_code: int = EXIT_INTERRUPTED
) -> None:
    said = run.said
    assert run.process.returncode == exit_code, said
    assert stopped_after < STOP_BOUND, f"took {stopped_after:.2f} s to stop after the signal"
    assert "Interrupted" in said and "Traceback" not in said, said
    assert processes_in_group(run.pid) == [], "solver or worker processes were left running"
    if out is not None:
        assert not out.exists()
        assert leftovers(out.parent) == []


def solving(run: Capplan) -> Callable[[], bool]:
    """True once HiGHS has reported an incumbent: branch and bound is under way."""
    return lambda: INCUMBENT in run.said


def cbc_running(run: Capplan) -> Callable[[], bool]:
    return lambda: any(command_name(pid).startswith("cbc") for pid in children(run.pid))


# --------------------------------------------------------------------------------------
# The tests, named after what the user did
# --------------------------------------------------------------------------------------
def test_ctrl_c_while_a_large_scenario_is_read(
    busy_cores, large_scenario, tmp_path, started
) -> None:
    out = tmp_path / "out"
    run = started("run", str(large_scenario), "--out", str(out), *LONG)
    run.wait_until(lambda: handles_sigterm(run.pid), "capplan's signal handler")
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert BUILDING not in run.said, "the interrupt came after reading: try a larger scenario"
    assert_stopped_cleanly(run, stopped_after, out)


def test_ctrl_c_while_the_model_is_built(busy_cores, large_scenario, tmp_path, started) -> None:
    out = tmp_path / "out"
    run = started("run", str(large_scenario), "--out", str(out), *LONG)
    run.wait_until(lambda: BUILDING in run.said, "the build")
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert SOLVING not in run.said, "the interrupt came after the build: try a larger scenario"
    assert_stopped_cleanly(run, stopped_after, out)


def test_ctrl_c_during_a_highs_solve(busy_cores, long_knapsack, tmp_path, started) -> None:
    out = tmp_path / "out"
    run = started("run", str(long_knapsack), "--out", str(out), *LONG)
    run.wait_until(solving(run), "HiGHS' first incumbent")
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert_stopped_cleanly(run, stopped_after, out)
    assert "Interrupted; no results were written." in run.said


def test_ctrl_c_during_a_quiet_highs_solve(busy_cores, long_knapsack, tmp_path, started) -> None:
    """--quiet: no progress callback in HiGHS, only the interrupt callbacks."""
    out = tmp_path / "out"
    run = started("run", str(long_knapsack), "--out", str(out), "--quiet", *LONG)
    run.wait_until(lambda: threads(run.pid) > 1, "HiGHS' solver thread")
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert_stopped_cleanly(run, stopped_after, out)


def test_ctrl_c_during_a_cbc_solve(busy_cores, long_knapsack, tmp_path, started) -> None:
    """Ctrl-C in a terminal reaches CBC too; CBC then stops and reports a plan, which must not
    be taken for a finished run (it was: exit 0)."""
    out = tmp_path / "out"
    run = started("run", str(long_knapsack), "--out", str(out), "--solver", "cbc", *LONG)
    run.wait_until(cbc_running(run), "the CBC process")
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert_stopped_cleanly(run, stopped_after, out)


def test_sigint_to_capplan_alone_during_a_cbc_solve_stops_cbc_too(
    busy_cores, long_knapsack, tmp_path, started
) -> None:
    """``kill -INT <pid>`` reaches capplan only: it must kill and reap CBC itself (CBC was left
    running until its time limit)."""
    out = tmp_path / "out"
    run = started("run", str(long_knapsack), "--out", str(out), "--solver", "cbc", *LONG)
    run.wait_until(cbc_running(run), "the CBC process")
    stopped_after = run.signal_and_time(signal.SIGINT, whole_group=False)
    assert_stopped_cleanly(run, stopped_after, out)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_sigterm_during_a_solve_exits_143(
    busy_cores, long_knapsack, tmp_path, started, solver: str
) -> None:
    """SIGTERM (a job scheduler, ``kill``, a CI timeout) is handled like Ctrl-C, exit 143."""
    out = tmp_path / "out"
    run = started("run", str(long_knapsack), "--out", str(out), "--solver", solver, *LONG)
    run.wait_until(solving(run) if solver == "highs" else cbc_running(run), "the solve")
    stopped_after = run.signal_and_time(signal.SIGTERM, whole_group=False)
    assert_stopped_cleanly(run, stopped_after, out, exit_code=EXIT_TERMINATED)


def test_ctrl_c_while_the_reports_are_written(busy_cores, long_knapsack, tmp_path, started):
    """The temporary results folder exists: the interrupt removes it and writes nothing."""
    out = tmp_path / "out"
    run = started("run", str(long_knapsack), "--out", str(out), "--gap", "0.01")
    run.wait_until(lambda: bool(leftovers(tmp_path)), "the temporary results folder")
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert_stopped_cleanly(run, stopped_after, out)


def test_ctrl_c_during_explain_stops_its_workers(
    busy_cores, knapsack_result, tmp_path, started
) -> None:
    """explain re-solves in worker processes: they stop with it, none is left solving."""
    run = started("explain", str(knapsack_result), "--time-limit", "600", "--workers", "2")
    run.wait_until(
        lambda: any(threads(pid) > 1 for pid in children(run.pid)), "a worker's solver thread"
    )
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert_stopped_cleanly(run, stopped_after, None)


def test_sigterm_to_explain_alone_stops_its_workers(
    busy_cores, knapsack_result, tmp_path, started
) -> None:
    run = started("explain", str(knapsack_result), "--time-limit", "600", "--workers", "2")
    run.wait_until(
        lambda: any(threads(pid) > 1 for pid in children(run.pid)), "a worker's solver thread"
    )
    stopped_after = run.signal_and_time(signal.SIGTERM, whole_group=False)
    assert_stopped_cleanly(run, stopped_after, None, exit_code=EXIT_TERMINATED)


def test_ctrl_c_during_compare(busy_cores, long_knapsack, tmp_path, started) -> None:
    """compare solves one run after another into a temporary comparison folder."""
    out = tmp_path / "cmp"
    run = started("compare", str(long_knapsack), str(long_knapsack), "--out", str(out), *LONG)
    run.wait_until(solving(run), "the first run's solve")
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert_stopped_cleanly(run, stopped_after, out)


def test_ctrl_c_during_replan(busy_cores, long_knapsack, knapsack_result, tmp_path, started):
    out = tmp_path / "replanned"
    run = started(
        "replan",
        str(long_knapsack),
        "--adopted",
        str(knapsack_result),
        "--year",
        "2026",
        "--out",
        str(out),
        *LONG,
    )
    # replan reports phases but no incumbents: the solver thread shows that HiGHS has started
    run.wait_until(
        lambda: (
            SOLVING in run.stdout_path.read_text(encoding="utf-8", errors="replace")
            and threads(run.pid) > 1
        ),
        "the re-optimisation's solve",
    )
    stopped_after = run.signal_and_time(signal.SIGINT)
    assert_stopped_cleanly(run, stopped_after, out)


def test_an_interrupt_while_results_are_moved_into_place_waits_until_they_are() -> None:
    """Moving the new results in and the old ones out is done whole; the interrupt that came
    meanwhile is raised right after (in capplan's own process, so no busy cores needed)."""
    steps = []
    try:
        with interrupt.handled(), pytest.raises(KeyboardInterrupt), interrupt.deferred():
            steps.append("old results moved aside")
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # Python runs the handler between these steps
                steps.append("new results moved in")
            steps.append("old results removed")
        assert steps[0] == "old results moved aside" and steps[-1] == "old results removed"
        assert interrupt.exit_code() == EXIT_INTERRUPTED
    finally:
        interrupt.reset()


def test_a_signal_while_cbc_is_being_started_still_kills_and_reaps_cbc(monkeypatch) -> None:
    """The signal can come after CBC started but before ``Popen`` returned (it waits for the
    exec; on a busy machine CBC runs well before that): CBC must still be killed and reaped, not
    left running or as a zombie when capplan exits. Seen in CI with two busy cores."""
    import numpy as np

    from optimizer.model.builder import LinearModel
    from optimizer.solve import SolveSettings, solve

    model = LinearModel()
    cols = model.add_columns("v", [("a",), ("b",)], 0.0, 10.0, [-1.0, -1.0])
    rows = model.add_rows("r", [("only",)], -np.inf, 6.0)
    model.add_terms(np.array([rows[0], rows[0]]), np.array([cols[0], cols[1]]), [1.0, 1.0])
    real_popen = subprocess.Popen
    children: list[subprocess.Popen] = []

    def popen_then_signal(*args, **kwargs):
        children.append(real_popen(*args, **kwargs))
        interrupt._on_signal(signal.SIGINT, None)  # the signal, just before Popen returns
        return children[-1]

    monkeypatch.setattr(subprocess, "Popen", popen_then_signal)
    try:
        with pytest.raises(KeyboardInterrupt):
            solve(model, SolveSettings(solver="cbc", time_limit=600))
    finally:
        interrupt.reset()
    (cbc,) = children
    assert cbc.returncode is not None, "CBC was neither killed nor reaped"
