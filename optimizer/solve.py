"""The only place that talks to solvers (docs/model.md, Status).

HiGHS is driven through highspy with the assembled matrix handed over directly; CBC is driven
through PuLP (its bundled binary), with the model converted row by row. Both answers are
normalised into one ``SolveResult`` with one status vocabulary (``optimizer.status.Status``):

    optimal      solved and proven optimal within the optimality tolerance (relative gap ≤ 1e-4)
    feasible     a plan was found but not proven optimal (time limit, or a looser --gap): gap and
                 bound are reported
    infeasible   the hard limits conflict
    unbounded    the objective can fall without limit (a data error)
    no_solution  the time limit was reached before any plan was found

A solver's own "Optimal" after a time limit (PuLP reports that for CBC) is never trusted: the
status is derived from the final gap.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from optimizer import interrupt
from optimizer.model.builder import LinearModel
from optimizer.schema import SolverSettings
from optimizer.status import Status

OPTIMALITY_GAP = 1e-4  # a plan is called optimal only when proven within this relative gap
SOLVERS = ("highs", "cbc")
# A model solved without its scenario (a diagnosis, an explanation's re-solve) and `auto`:
# HiGHS, the default of planning models. Scenarios resolve `auto` by structure first
# (optimizer/solver_choice.py), so what a plan records is always the solver that ran.
AUTO_WITHOUT_SCENARIO = "highs"


# How to solve: the scenario's [solver] table with the command line's values laid over it
# (``optimizer.run.solve_settings_for``). One model, declared once, in optimizer/schema/settings.py.
SolveSettings = SolverSettings


@dataclass
class SolveResult:
    status: Status
    solver: str
    solver_version: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    values: np.ndarray | None
    message: str = ""
    row_duals: np.ndarray | None = None
    extra: dict = field(default_factory=dict)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or not np.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9)


def _status_from_gap(gap: float | None) -> Status:
    return Status.OPTIMAL if gap is not None and gap <= OPTIMALITY_GAP + 1e-12 else Status.FEASIBLE


@contextlib.contextmanager
def quiet_stdout():
    """Keep solver banners and logs (written to file descriptor 1) off our stdout.

    HiGHS prints a banner when a solver object is created, whatever its options say; that would
    corrupt ``--json`` output. Python-level output is flushed first so ordering is kept.
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (embedded use): nothing to protect
        yield
        return
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


# --------------------------------------------------------------------------------------
# HiGHS
# --------------------------------------------------------------------------------------
_last_highs_threads: int | None = None


def highs_version() -> str:
    import highspy

    with quiet_stdout():
        h = highspy.Highs()
        version = f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    return version


def pass_model(
    h,
    model: LinearModel,
    integer: bool = True,
    lower=None,
    upper=None,
    row_lower=None,
    row_upper=None,
) -> None:
    """Hand the assembled matrix to HiGHS as numpy arrays (no per-attribute copies)."""
    import highspy

    matrix = model.matrix("csc")
    integrality = model.integer.astype(np.int32) if integer else np.zeros(model.n_cols, np.int32)
    h.passModel(
        model.n_cols,
        model.n_rows,
        matrix.nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        float(model.offset),
        np.ascontiguousarray(model.cost, dtype=float),
        np.ascontiguousarray(model.lower if lower is None else lower, dtype=float),
        np.ascontiguousarray(model.upper if upper is None else upper, dtype=float),
        np.ascontiguousarray(model.rlower if row_lower is None else row_lower, dtype=float),
        np.ascontiguousarray(model.rupper if row_upper is None else row_upper, dtype=float),
        matrix.indptr.astype(np.int32),
        matrix.indices.astype(np.int32),
        matrix.data.astype(float),
        integrality,
    )


def _highs_lp(model: LinearModel, integer: bool = True, lower=None, upper=None):
    """The model as a ``highspy.HighsLp`` (kept for tools that want the object)."""
    import highspy

    matrix = model.matrix("csc")
    lp = highspy.HighsLp()
    lp.num_col_ = model.n_cols
    lp.num_row_ = model.n_rows
    lp.col_cost_ = model.cost
    lp.col_lower_ = model.lower if lower is None else lower
    lp.col_upper_ = model.upper if upper is None else upper
    lp.row_lower_ = model.rlower
    lp.row_upper_ = model.rupper
    lp.offset_ = model.offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    if integer and model.integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in model.integer
        ]
    return lp


def _new_highs(settings: SolveSettings, progress=None):
    import highspy

    global _last_highs_threads
    # Changing threads between solves in one process makes the next solve fail silently
    # unless the global scheduler is reset first (a measured HiGHS trap, see tests/test_solve.py).
    if _last_highs_threads is not None and _last_highs_threads != settings.threads:
        highspy.Highs.resetGlobalScheduler(True)
    _last_highs_threads = settings.threads
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(settings.time_limit))
    h.setOptionValue("mip_rel_gap", float(settings.gap))
    h.setOptionValue("threads", int(settings.threads))
    h.setOptionValue("random_seed", int(settings.seed))
    # measured: off proves S and Östersund target faster, on is HiGHS' default (RESULTS.md)
    h.setOptionValue("mip_allow_restart", bool(settings.restart))
    if progress is not None:
        _attach_highs_progress(h, progress)
    return h


def _attach_highs_progress(h, progress) -> None:
    """Report incumbent and bound while HiGHS solves, where the interface allows it."""
    try:
        h.setOptionValue("mip_improving_solution_save", False)

        def on_event(event):
            data_out = event.data_out
            try:
                progress(
                    incumbent=float(data_out.objective_function_value),
                    bound=float(data_out.mip_dual_bound),
                    gap=float(data_out.mip_gap),
                )
            except Exception:  # progress must never break a solve
                pass

        # Subscribe; setCallback would replace highspy's own dispatcher and with it the
        # interrupt callback that _run_highs subscribes.
        h.cbMipInterrupt.subscribe(on_event)
    except Exception:
        pass


HIGHS_STOP_SECONDS = 1.0  # how long an interrupted run waits for HiGHS to return


def _run_highs(h) -> None:
    """``h.run()``, but a signal stops the solve and raises ``KeyboardInterrupt`` at once.

    HiGHS solves in C++ and Python runs a signal handler only when the main thread executes
    Python code, so HiGHS runs in a worker thread (highspy's ``startSolve``) while this thread
    waits in short steps. HiGHS asks its simplex, IPM and MIP interrupt callbacks whether to
    stop; ours answers yes once ``optimizer.interrupt.interrupted`` is set (the command line's
    signal handler) or this wait was broken by a ``KeyboardInterrupt`` (library use). The
    interrupt is re-raised when HiGHS has stopped, or after ``HIGHS_STOP_SECONDS`` if a phase
    of HiGHS does not ask its callbacks often: the solver thread is a daemon and the command
    line ends the process without waiting for it, so no half-solved plan is ever used.
    """
    stop = threading.Event()

    def on_interrupt_check(event) -> None:
        if stop.is_set() or interrupt.interrupted.is_set():
            event.interrupt()

    for callback in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
        callback.subscribe(on_interrupt_check)
    h.startSolve()
    try:
        while not h.wait(0.1)[0]:
            interrupt.check()
    except KeyboardInterrupt:
        stop.set()
        deadline = time.monotonic() + HIGHS_STOP_SECONDS
        while not h.wait(0.05)[0] and time.monotonic() < deadline:
            pass
        raise
    interrupt.check()  # a signal in the last moments of the solve: the plan is not used


OBJECTIVE_RTOL = 1e-6  # the solver's objective and c·x + offset must agree this closely


def objective_of(model: LinearModel, values: np.ndarray) -> float:
    """The plan's objective recomputed from its values: ``c·x + offset``."""
    return float(model.cost @ values + model.offset)


def solve_highs(model: LinearModel, settings: SolveSettings, progress=None) -> SolveResult:
    """HiGHS, with the model's start plan if it has one (a replan's adopted plan).

    HiGHS 1.16, given a start through ``setSolution`` on a model with many fixed columns, has
    been measured to report "Optimal" with an objective tens of MSEK below the cost of the
    solution it returns (the start itself), which the independent checker then rejects. The
    objective is therefore always ``c·x + offset`` of the returned values; when HiGHS' own
    figure disagrees and a start was given, the answer is not trusted and the model is solved
    again without the start (``extra["start_discarded"]`` says so).
    """
    result = _solve_highs_once(model, settings, progress, with_start=True)
    if result.extra.pop("objective_disagrees", False) and model.initial_solution is not None:
        result = _solve_highs_once(model, settings, progress, with_start=False)
        result.extra.pop("objective_disagrees", None)
        result.extra["start_discarded"] = True
    return result


def _solve_highs_once(
    model: LinearModel, settings: SolveSettings, progress, with_start: bool
) -> SolveResult:
    import highspy

    started = time.perf_counter()
    with quiet_stdout():
        h = _new_highs(settings, progress)
        pass_model(h, model)
        if with_start and model.initial_solution is not None:  # e.g. the adopted plan
            cols, vals = model.initial_solution
            h.setSolution(len(cols), np.asarray(cols, np.int32), np.asarray(vals, float))
        _run_highs(h)
        status = h.getModelStatus()
        info = h.getInfo()
        version = f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
        has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
        values = np.array(h.getSolution().col_value) if has_solution else None
    seconds = time.perf_counter() - started
    M = highspy.HighsModelStatus
    objective = objective_of(model, values) if has_solution else None
    reported = float(info.objective_function_value) if has_solution else None
    disagrees = has_solution and abs(objective - reported) > OBJECTIVE_RTOL * max(
        1.0, abs(objective)
    )
    if model.integer.any():
        bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    else:
        bound = objective if status == M.kOptimal else None
    gap = relative_gap(objective, bound)
    if status == M.kOptimal and not model.integer.any():
        gap = 0.0
    if status in (M.kInfeasible,):
        state, text = Status.INFEASIBLE, "the hard limits conflict"
    elif status in (M.kUnbounded, M.kUnboundedOrInfeasible):
        state, text = (
            (Status.UNBOUNDED if status == M.kUnbounded else Status.INFEASIBLE),
            h.modelStatusToString(status),
        )
    elif has_solution:
        state = _status_from_gap(gap)
        text = h.modelStatusToString(status)
        if state is Status.FEASIBLE:  # HiGHS says "Optimal" when it stops at a looser mip_rel_gap
            text = "stopped with a plan, optimality not proven"
            text += " (time limit reached)" if status == M.kTimeLimit else ""
    elif status in (M.kTimeLimit, M.kIterationLimit, M.kInterrupt, M.kSolutionLimit):
        state, text = Status.NO_SOLUTION, f"no plan found within {settings.time_limit:g} s"
    else:
        state, text = Status.NO_SOLUTION, h.modelStatusToString(status)
    # Work counts, deterministic with threads=1 and a fixed seed: the CI gate compares them
    # (benchmarks/gate.py) because they do not depend on the machine's speed.
    work = {"nodes": int(info.mip_node_count), "lp_iterations": int(info.simplex_iteration_count)}
    if disagrees:
        work["objective_disagrees"] = True
    return SolveResult(
        state, "highs", version, objective, bound, gap, seconds, values, text, extra=work
    )


def solve_lp_duals(
    model: LinearModel,
    settings: SolveSettings,
    lower: np.ndarray,
    upper: np.ndarray,
    row_lower: np.ndarray | None = None,
    row_upper: np.ndarray | None = None,
):
    """Solve the LP relaxation with the given bounds: (objective, row duals) or (None, None)."""
    import highspy

    with quiet_stdout():
        h = _new_highs(settings)
        pass_model(h, model, False, lower, upper, row_lower, row_upper)
        _run_highs(h)
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None, None
        solution = h.getSolution()
        objective = h.getInfo().objective_function_value
        duals = np.array(solution.row_dual) if solution.dual_valid else None
    return objective, duals


# --------------------------------------------------------------------------------------
# CBC through PuLP
# --------------------------------------------------------------------------------------
def to_pulp(model: LinearModel, name: str = "capplan"):
    """The same model as a PuLP problem (rows built from pairs, never ``+=`` in loops)."""
    import pulp

    problem = pulp.LpProblem(name, pulp.LpMinimize)
    lower, upper, integer, cost = model.lower, model.upper, model.integer, model.cost
    variables = [
        pulp.LpVariable(
            f"c{j}",
            lowBound=None if not np.isfinite(lower[j]) else float(lower[j]),
            upBound=None if not np.isfinite(upper[j]) else float(upper[j]),
            cat=pulp.LpInteger if integer[j] else pulp.LpContinuous,
        )
        for j in range(model.n_cols)
    ]
    # LpAffineExpression from (variable, coefficient) pairs; duplicates were summed in matrix()
    problem.setObjective(
        pulp.LpAffineExpression(
            [(variables[j], float(cost[j])) for j in np.flatnonzero(cost)], constant=model.offset
        )
    )
    csr = model.matrix("csr")
    rlower, rupper = model.rlower, model.rupper
    for i in range(model.n_rows):
        lo, hi = csr.indptr[i], csr.indptr[i + 1]
        expr = pulp.LpAffineExpression(
            [
                (variables[j], float(v))
                for j, v in zip(csr.indices[lo:hi], csr.data[lo:hi], strict=True)
            ]
        )
        if np.isfinite(rlower[i]) and np.isfinite(rupper[i]) and rlower[i] == rupper[i]:
            problem.addConstraint(
                pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{i}", float(rlower[i]))
            )
            continue
        if np.isfinite(rlower[i]):
            problem.addConstraint(
                pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{i}_lo", float(rlower[i]))
            )
        if np.isfinite(rupper[i]):
            problem.addConstraint(
                pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{i}_hi", float(rupper[i]))
            )
    return problem, variables


# CBC's log lines with an incumbent or a bound while it runs (values without the model's offset:
# PuLP's MPS file leaves the objective constant out)
_CBC_SOLUTION = re.compile(r"Cbc00(?:04|12)I Integer solution of\s+([-+0-9.eE]+)")
_CBC_NODES = re.compile(
    r"Cbc0010I After \d+ nodes, \d+ on tree, ([-+0-9.eE]+) best solution, best possible ([-+0-9.eE]+)"
)
_CBC_NO_SOLUTION = 1e49  # CBC prints 1e+50 as the incumbent before it has one


class CbcLogWatcher:
    """Live progress from CBC's log as it is written: incumbent, bound and gap, as HiGHS'
    callback reports them, so a long CBC solve is not silent (it printed nothing for 89 s)."""

    def __init__(self, log: Path, progress, offset: float = 0.0):
        self.log, self.progress, self.offset = log, progress, offset
        self.position = 0
        self.pending = ""
        self.incumbent: float | None = None
        self.bound: float | None = None

    def poll(self) -> None:
        if self.progress is None or not self.log.exists():
            return
        with open(self.log, errors="replace") as handle:
            handle.seek(self.position)
            text = handle.read()
            self.position = handle.tell()
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()  # a line CBC has not finished writing
        changed = False
        for line in lines:
            if match := _CBC_SOLUTION.search(line):
                changed |= self._incumbent(float(match.group(1)))
            elif match := _CBC_NODES.search(line):
                changed |= self._incumbent(float(match.group(1)))
                bound = float(match.group(2)) + self.offset
                changed |= bound != self.bound
                self.bound = bound
        if changed:
            gap = relative_gap(self.incumbent, self.bound)
            try:
                self.progress(
                    incumbent=self.incumbent if self.incumbent is not None else float("inf"),
                    bound=self.bound if self.bound is not None else float("-inf"),
                    gap=float("inf") if gap is None else gap,
                )
            except Exception:  # progress must never break a solve
                pass

    def _incumbent(self, value: float) -> bool:
        if value >= _CBC_NO_SOLUTION:
            return False
        value += self.offset
        if self.incumbent is not None and value >= self.incumbent:
            return False
        self.incumbent = value
        return True


_CBC_BOUND = re.compile(r"^(?:Lower bound|Best possible):\s*([-+0-9.eE]+)", re.MULTILINE)
_CBC_OBJECTIVE = re.compile(r"^Objective value:\s*([-+0-9.eE]+)", re.MULTILINE)


def cbc_version() -> str:
    import pulp

    return f"CBC bundled with PuLP {pulp.__version__}"


CBC_GRACE_SECONDS = 5.0


class CbcOverran(Exception):
    """CBC neither finished nor stopped when asked, well past its time limit: it was killed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            f"CBC did not stop at its time limit and was stopped after {seconds:.0f} s"
        )


def _run_cbc(problem, solver, folder: Path, watcher: CbcLogWatcher | None = None) -> None:
    """``problem.solve(solver)`` for PuLP's bundled CBC, with the child process in our hands.

    PuLP starts CBC with ``Popen`` and a plain ``wait()``: a Ctrl-C sent to capplan alone left
    CBC running until its time limit, and one sent to the whole process group made CBC stop and
    report its plan while PuLP's bare ``except:`` could swallow Python's interrupt (exit 0 as
    if nothing happened). So the same command line PuLP would run (``PULP_CBC_CMD.solve_CBC``)
    is run here, waited for in short steps, and on any interrupt or error CBC is killed and
    reaped before the exception goes on. PuLP still writes the MPS file and reads the solution.
    """
    import pulp

    mps, solution, log = folder / "model.mps", folder / "model.sol", folder / "cbc.log"
    was_none, dummy = problem.fixObjective()
    variables, variable_names, constraint_names, _ = problem.writeMPS(str(mps), rename=1)
    args = [solver.path, str(mps), "-sec", f"{solver.timeLimit}"]
    for option in solver.options + solver.getOptions():
        args += f"-{option}".split()
    args += ["-solve", "-printingOptions", "all", "-solution", str(solution)]
    if watcher is not None and watcher.progress is not None and shutil.which("stdbuf"):
        # CBC's output to a file is block-buffered: its progress lines would arrive at the end.
        # stdbuf execs CBC itself (same process, so signals reach CBC) with line-buffered output.
        args = ["stdbuf", "-oL", *args]
    # CBC checks its time limit only between nodes: its root (preprocessing, cuts, heuristics)
    # ran 178 s under a 20 s limit on the generated L case. Past the limit plus a grace it is
    # asked to stop (SIGINT: CBC then writes its best plan), and killed if it still runs.
    ask_at = solver.timeLimit + max(CBC_GRACE_SECONDS, 0.1 * solver.timeLimit)
    kill_at = ask_at + CBC_GRACE_SECONDS
    started = time.monotonic()
    overran = False
    with open(log, "w") as output:
        child = subprocess.Popen(args, stdout=output, stderr=output, stdin=subprocess.DEVNULL)
        try:
            while True:
                try:
                    returncode = child.wait(0.1)
                    break
                except subprocess.TimeoutExpired:
                    interrupt.check()
                    if watcher is not None:
                        watcher.poll()
                    elapsed = time.monotonic() - started
                    if elapsed > kill_at:
                        raise CbcOverran(elapsed) from None
                    if elapsed > ask_at and not overran:
                        overran = True
                        child.send_signal(signal.SIGINT)
        finally:
            if child.poll() is None:  # interrupted, or an error on our side: CBC goes too
                child.kill()
                child.wait()
    interrupt.check()  # CBC also got the Ctrl-C and stopped early: its plan is not used
    if overran and (returncode != 0 or not solution.exists()):
        raise CbcOverran(time.monotonic() - started)
    if returncode != 0 or not solution.exists():
        said = log.read_text(errors="replace").strip().splitlines()[-5:] if log.exists() else []
        raise pulp.PulpSolverError(f"CBC ended with exit code {returncode}: {' / '.join(said)}")
    status, values, _, _, _, sol_status = solver.readsol_MPS(
        str(solution), problem, variables, variable_names, constraint_names
    )
    problem.assignVarsVals(values)
    problem.assignStatus(status, sol_status)
    problem.restoreObjective(was_none, dummy)


def solve_cbc(model: LinearModel, settings: SolveSettings, progress=None) -> SolveResult:
    import pulp

    problem, variables = to_pulp(model)
    started = time.perf_counter()
    solver = pulp.PULP_CBC_CMD(
        msg=False,
        timeLimit=settings.time_limit,
        gapRel=settings.gap,
        threads=settings.threads,
        options=[f"randomSeed {settings.seed + 1}", f"randomCbcSeed {settings.seed + 1}"],
    )
    with tempfile.TemporaryDirectory(prefix="capplan-cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        try:
            _run_cbc(problem, solver, Path(tmp), CbcLogWatcher(log, progress, model.offset))
        except CbcOverran as exc:
            seconds = time.perf_counter() - started
            message = f"no plan found within {settings.time_limit:g} s ({exc})"
            return SolveResult(
                Status.NO_SOLUTION, "cbc", cbc_version(), None, None, None, seconds, None, message
            )
        text = log.read_text(errors="replace") if log.exists() else ""
    seconds = time.perf_counter() - started
    sol = problem.sol_status
    values = None
    objective = None
    if sol in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        values = np.array([v.varValue if v.varValue is not None else 0.0 for v in variables])
        objective = objective_of(model, values)
    bound = None
    if match := _CBC_BOUND.search(text):
        bound = float(match.group(1))
    if sol == pulp.LpSolutionOptimal and "Stopped" not in text:
        bound = objective if bound is None else bound
    gap = relative_gap(objective, bound)
    if sol == pulp.LpSolutionOptimal and "Result - Optimal solution found" in text:
        gap = 0.0 if gap is None else gap
    if values is not None:
        state = _status_from_gap(gap)
        message = (
            "optimal solution found"
            if state is Status.OPTIMAL
            else "stopped with a plan, optimality not proven"
        )
    elif sol == pulp.LpSolutionInfeasible or problem.status == pulp.LpStatusInfeasible:
        state, message = Status.INFEASIBLE, "the hard limits conflict"
    elif sol == pulp.LpSolutionUnbounded or problem.status == pulp.LpStatusUnbounded:
        state, message = Status.UNBOUNDED, "unbounded"
    else:
        state, message = Status.NO_SOLUTION, f"no plan found within {settings.time_limit:g} s"
    return SolveResult(state, "cbc", cbc_version(), objective, bound, gap, seconds, values, message)


def solve(model: LinearModel, settings: SolveSettings, progress=None) -> SolveResult:
    if settings.solver == "auto":
        settings = settings.model_copy(update={"solver": AUTO_WITHOUT_SCENARIO})
    if settings.solver == "highs":
        return solve_highs(model, settings, progress)
    if settings.solver == "cbc":
        return solve_cbc(model, settings, progress)
    raise ValueError(f"unknown solver {settings.solver!r}; choose one of {', '.join(SOLVERS)}")
