"""CBC through PuLP (its bundled binary): the model converted row by row, CBC run as a child
process capplan owns (interrupts, a held time limit, live progress from its log), and its answer
normalised into the one ``SolveResult`` of ``optimizer/solve.py``."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from optimizer import interrupt
from optimizer.model.builder import LinearModel
from optimizer.solve_result import (
    SolveResult,
    SolveSettings,
    _status_from_gap,
    objective_of,
    relative_gap,
)
from optimizer.status import Status


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
    child = None
    with open(log, "w") as output:
        try:
            # A signal while Popen runs (CBC already started, Popen not yet returned: it waits
            # for the exec, and on a busy machine CBC can be running well before that) is held
            # until ``child`` is known, so that the ``finally`` below can kill and reap CBC.
            with interrupt.deferred():
                child = subprocess.Popen(
                    args, stdout=output, stderr=output, stdin=subprocess.DEVNULL
                )
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
            if child is not None and child.poll() is None:  # interrupted, or our error: CBC too
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
