"""The only place that talks to solvers (docs/model.md, Status).

HiGHS is driven through highspy with the assembled matrix handed over directly (here); CBC is
driven through PuLP (its bundled binary), with the model converted row by row
(``optimizer/cbc.py``). Both answers are
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
import sys
import threading
import time
from dataclasses import dataclass, replace

import numpy as np

from optimizer import interrupt
from optimizer.model.builder import LinearModel
from optimizer.solve_result import (  # noqa: F401 (the names every caller imports from here)
    OPTIMALITY_GAP,
    SolveResult,
    SolveSettings,
    _status_from_gap,
    objective_of,
    relative_gap,
)
from optimizer.status import Status

SOLVERS = ("highs", "cbc")
# A model solved without its scenario (a diagnosis, an explanation's re-solve) and `auto`:
# HiGHS, the default of planning models. Scenarios resolve `auto` by structure first
# (optimizer/solver_choice.py), so what a plan records is always the solver that ran.
AUTO_WITHOUT_SCENARIO = "highs"


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
    integrality=None,
) -> None:
    """Hand the assembled matrix to HiGHS as numpy arrays (no per-attribute copies).

    ``integrality`` (1 integer, 0 continuous per column) overrides ``integer``: the
    relax-and-fix heuristic makes only some years' columns integer."""
    import highspy

    matrix = model.matrix("csc")
    if integrality is None:
        integrality = (
            model.integer.astype(np.int32) if integer else np.zeros(model.n_cols, np.int32)
        )
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
        np.ascontiguousarray(integrality, dtype=np.int32),
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


# HiGHS' heuristics that solve a sub-MIP at the root, switched together by
# ``[solver] submip_heuristics`` (benchmarks/RESULTS.md, Formulation options)
SUBMIP_HEURISTIC_OPTIONS = (
    "mip_heuristic_run_root_reduced_cost",
    "mip_heuristic_run_rins",
    "mip_heuristic_run_rens",
)


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
    # the sub-MIPs HiGHS solves at the root to find plans (docs/model.md, Formulation options)
    for option in SUBMIP_HEURISTIC_OPTIONS:
        h.setOptionValue(option, bool(settings.submip_heuristics))
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


def _stop_once_planned(h, deadline: float) -> None:
    """Stop HiGHS' MIP search at its first callback after ``deadline`` (perf_counter) at
    which it has a plan. Its status is then "interrupted", with the plan and its bound."""

    def on_mip_interrupt(event) -> None:
        if time.perf_counter() >= deadline and np.isfinite(event.data_out.objective_function_value):
            event.interrupt()

    h.cbMipInterrupt.subscribe(on_mip_interrupt)


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


def solve_highs(model: LinearModel, settings: SolveSettings, progress=None) -> SolveResult:
    """HiGHS, with the model's start plan if it has one (a replan's adopted plan), else with
    the relax-and-fix plan when ``settings.heuristic`` asks for it (``optimizer.heuristic``;
    its seconds count in the solve's and come off its time limit).

    HiGHS 1.16, given a start through ``setSolution`` on a model with many fixed columns, has
    been measured to report "Optimal" with an objective tens of MSEK below the cost of the
    solution it returns (the start itself), which the independent checker then rejects. The
    objective is therefore always ``c·x + offset`` of the returned values; when HiGHS' own
    figure disagrees and a start was given, the answer is not trusted and the model is solved
    again without the start (``extra["start_discarded"]`` says so).
    """
    start = model.initial_solution
    found = None
    if start is None and settings.heuristic == "relax_and_fix" and model.integer.any():
        from optimizer.heuristic import SHARE_OF_TIME_LIMIT, relax_and_fix

        found = relax_and_fix(
            model, settings, SHARE_OF_TIME_LIMIT * settings.time_limit, solve_stage
        )
        if found.values is not None:
            start = (np.arange(model.n_cols), found.values)
        left = max(settings.time_limit - found.seconds, 1.0)
        settings = settings.model_copy(update={"time_limit": left})
    improve = improves_by_windows(model, settings)
    # the exact solve stops at IMPROVE_AFTER of the time limit if it has a plan by then, and
    # the rest of the time improves that plan (unless it is proven within the gap already)
    planned_after = IMPROVE_AFTER * settings.time_limit if improve else None
    result = _solve_highs_once(
        model, settings, progress, with_start=True, start=start, planned_after=planned_after
    )
    if result.extra.pop("objective_disagrees", False) and start is not None:
        result = _solve_highs_once(
            model, settings, progress, with_start=False, planned_after=planned_after
        )
        result.extra.pop("objective_disagrees", None)
        result.extra["start_discarded"] = True
    if improve and result.values is not None and (result.gap or 0.0) > settings.gap:
        result = _improved(model, settings, result, progress)  # stopped by time, not by gap
    if found is not None:  # the heuristic's time is the solve's time too
        result.seconds += found.seconds
        result.extra["heuristic"] = {
            "name": "relax_and_fix",
            "objective": found.objective,
            "seconds": round(found.seconds, 3),
            "stages": found.stages,
        }
    return result


# ``[solver] improvement = "windows"``: the share of the time limit after which HiGHS is stopped
# (once it has a plan) and its plan improved window by window for the rest of the time. On L
# at 120 s: 0.3 ended at a 0.95 % gap, 0.5 at 2.4 % (benchmarks/RESULTS.md)
IMPROVE_AFTER = 0.3
# ``improvement = "auto"`` improves by windows from this many integer columns on: every shipped
# scenario and the generated S (378-582) are proven optimal by HiGHS itself well within the time
# limit, where stopping it early could only cost the proof; the generated M (3 768) and L
# (19 505) are not proven within minutes and end with better plans with windows (RESULTS.md)
IMPROVE_AUTO_MIN_INTEGERS = 2000


def improves_by_windows(model: LinearModel, settings: SolveSettings) -> bool:
    """Whether this solve improves HiGHS' plan window by window (``[solver] improvement``)."""
    if settings.improvement == "auto":
        return int(model.integer.sum()) >= IMPROVE_AUTO_MIN_INTEGERS
    return settings.improvement == "windows" and bool(model.integer.any())


def _improved(
    model: LinearModel, settings: SolveSettings, result: SolveResult, progress=None
) -> SolveResult:
    """``result`` (a plan without a proof) with its plan improved window by window in the time
    left (``optimizer.heuristic.improve_by_windows``). The bound stays the exact solve's (it
    holds for the full model); the gap and status are those of the improved plan against it."""
    from optimizer.heuristic import improve_by_windows

    def on_plan(objective: float) -> None:
        if progress is not None:
            progress(
                incumbent=objective,
                bound=result.bound,
                gap=relative_gap(objective, result.bound),
            )

    left = settings.time_limit - result.seconds

    def enough(objective: float) -> bool:
        gap = relative_gap(objective, result.bound)
        return gap is not None and gap <= settings.gap

    found = improve_by_windows(model, settings, result.values, left, solve_window, on_plan, enough)
    gap = relative_gap(found.objective, result.bound)
    status = _status_from_gap(gap)
    text = "stopped with a plan, optimality not proven (improved window by window after HiGHS)"
    if status is Status.OPTIMAL:
        text = "optimal within the gap after improving the plan window by window"
    extra = dict(result.extra)
    extra["improvement"] = {
        "name": "windows",
        "objective_before": result.objective,
        "seconds": round(found.seconds, 3),
        "windows": found.windows,
        "improved": found.improved,
    }
    return replace(
        result,
        status=status,
        objective=found.objective,
        gap=gap,
        seconds=result.seconds + found.seconds,
        values=found.values,
        message=text,
        extra=extra,
    )


def solve_window(model: LinearModel, settings: SolveSettings, lower, upper, start: np.ndarray):
    """One window of ``optimizer.heuristic.improve_by_windows``: HiGHS on ``model`` with these
    column bounds, from the plan ``start`` (which they contain); its plan's column values, or
    None without one. HiGHS' own heuristics stay on: they find the window's better plans."""
    result = solve_with_bounds(
        model, settings, Bounds(lower, upper, start, restart=True, keep_heuristics=True)
    )
    return result.values if result.status in (Status.OPTIMAL, Status.FEASIBLE) else None


def solve_stage(model: LinearModel, settings: SolveSettings, lower, upper, integrality):
    """One stage of ``optimizer.heuristic.relax_and_fix``: HiGHS on ``model`` with these
    column bounds and integrality; the column values of its plan, or None without one."""
    with quiet_stdout():
        h = _new_highs(settings)
        pass_model(h, model, lower=lower, upper=upper, integrality=integrality)
        _run_highs(h)
        found = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        return np.array(h.getSolution().col_value) if found else None


@dataclass(frozen=True)
class Bounds:
    """A re-solve of a built model with other column bounds (HiGHS only, ``solve_with_bounds``).

    An explanation asks dozens of questions of one model that differ only in the bounds of the
    start columns of one candidate (``BuildOptions.forced`` writes nothing else:
    ``optimizer.explain`` builds the plain model once per worker and takes the forced bounds
    from ``model.decisions.start_bounds``; tests/test_explain.py checks that the two agree).
    """

    lower: np.ndarray
    upper: np.ndarray
    start: np.ndarray | None = None  # a complete plan (every column) for HiGHS to start from
    first_plan: bool = False  # stop at the first plan: only whether one exists is asked
    # measured on the explanations of Östersund: restarts after the root cost more than they
    # save on these re-solves (benchmarks/RESULTS.md, explain)
    restart: bool = False
    # stop when the best plan is proven within this many objective units (MSEK) of the best
    # possible, instead of the relative gap: an explanation states money to 0.1 MSEK, so a
    # proof to 0.05 MSEK is what its answer needs, whatever the size of the objective
    abs_gap: float | None = None
    # with a start, HiGHS' primal heuristics are off unless asked for (an explanation's start
    # is usually the answer; an improvement window looks for better plans around its start)
    keep_heuristics: bool = False


def solve_with_bounds(model: LinearModel, settings: SolveSettings, bounds: Bounds) -> SolveResult:
    """HiGHS on ``model`` with the columns bounded by ``bounds`` instead of the model's own.

    The model itself is not changed (its arrays are only read), so one built model serves
    every question. A start whose objective HiGHS misreports is dropped as in ``solve_highs``.
    """
    settings = settings.model_copy(update={"restart": bounds.restart})
    result = _solve_highs_once(model, settings, None, with_start=True, bounds=bounds)
    if result.extra.pop("objective_disagrees", False) and bounds.start is not None:
        result = _solve_highs_once(model, settings, None, with_start=False, bounds=bounds)
        result.extra.pop("objective_disagrees", None)
        result.extra["start_discarded"] = True
    return result


def _solve_highs_once(
    model: LinearModel,
    settings: SolveSettings,
    progress,
    with_start: bool,
    bounds: Bounds | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    planned_after: float | None = None,
) -> SolveResult:
    """One HiGHS solve; ``planned_after`` (seconds): stop once that much time has passed and
    HiGHS has a plan (it goes on until its first plan, or to the time limit, if it has none)."""
    import highspy

    started = time.perf_counter()
    with quiet_stdout():
        h = _prepared_highs(model, settings, progress, with_start, bounds, start)
        if planned_after is not None:
            _stop_once_planned(h, started + planned_after)
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
    state, text = _status_of(h, status, has_solution, gap, settings)
    # Work counts, deterministic with threads=1 and a fixed seed: the CI gate compares them
    # (benchmarks/gate.py) because they do not depend on the machine's speed.
    work = {"nodes": int(info.mip_node_count), "lp_iterations": int(info.simplex_iteration_count)}
    if disagrees:
        work["objective_disagrees"] = True
    return SolveResult(
        state, "highs", version, objective, bound, gap, seconds, values, text, extra=work
    )


def _prepared_highs(
    model: LinearModel,
    settings: SolveSettings,
    progress,
    with_start: bool,
    bounds: Bounds | None,
    start: tuple[np.ndarray, np.ndarray] | None,
):
    """A HiGHS instance holding the model (with ``bounds`` if given) and its starting plan."""
    import highspy

    h = _new_highs(settings, progress)
    if bounds is None:
        pass_model(h, model)
        if with_start and start is not None:
            cols, vals = start  # the adopted plan, an explanation's plan, the heuristic's plan
            h.setSolution(len(cols), np.asarray(cols, np.int32), np.asarray(vals, float))
        return h
    pass_model(h, model, True, bounds.lower, bounds.upper)
    if bounds.first_plan:
        h.setOptionValue("mip_max_improving_sols", 1)
    if bounds.abs_gap is not None:
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", float(bounds.abs_gap))
    if with_start and bounds.start is not None and not bounds.keep_heuristics:
        # With a whole plan to start from, the primal heuristics (sub-MIPs above all)
        # only look for plans HiGHS already has one of: measured 20-25 % less CPU per
        # explanation of Östersund with them off, same answers (benchmarks/RESULTS.md)
        h.setOptionValue("mip_heuristic_effort", 0.0)
        h.setOptionValue("mip_heuristic_run_rins", False)
        h.setOptionValue("mip_heuristic_run_rens", False)
        # likewise feasibility jump, which HiGHS runs before the root to find a first plan
        h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    if with_start and bounds.start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = np.asarray(bounds.start, float).tolist()
        solution.value_valid = True
        h.setSolution(solution)
    return h


def _status_of(h, status, has_solution: bool, gap, settings: SolveSettings) -> tuple[Status, str]:
    """capplan's status and its words for how HiGHS ended."""
    import highspy

    M = highspy.HighsModelStatus
    if status in (M.kInfeasible,):
        return Status.INFEASIBLE, "the hard limits conflict"
    if status in (M.kUnbounded, M.kUnboundedOrInfeasible):
        return (
            (Status.UNBOUNDED if status == M.kUnbounded else Status.INFEASIBLE),
            h.modelStatusToString(status),
        )
    if has_solution:
        state = _status_from_gap(gap)
        text = h.modelStatusToString(status)
        if state is Status.FEASIBLE:  # HiGHS says "Optimal" when it stops at a looser mip_rel_gap
            text = "stopped with a plan, optimality not proven"
            text += " (time limit reached)" if status == M.kTimeLimit else ""
        return state, text
    if status in (M.kTimeLimit, M.kIterationLimit, M.kInterrupt, M.kSolutionLimit):
        return Status.NO_SOLUTION, f"no plan found within {settings.time_limit:g} s"
    return Status.NO_SOLUTION, h.modelStatusToString(status)


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


def solve(model: LinearModel, settings: SolveSettings, progress=None) -> SolveResult:
    if settings.solver == "auto":
        settings = settings.model_copy(update={"solver": AUTO_WITHOUT_SCENARIO})
    if settings.solver == "highs":
        return solve_highs(model, settings, progress)
    if settings.solver == "cbc":
        from optimizer.cbc import solve_cbc  # PuLP and CBC only when CBC runs

        return solve_cbc(model, settings, progress)
    raise ValueError(f"unknown solver {settings.solver!r}; choose one of {', '.join(SOLVERS)}")


def cbc_version() -> str:
    from optimizer.cbc import cbc_version as version

    return version()
