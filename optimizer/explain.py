"""Why is a project in, out or late? Re-solve with one decision forced, and price the difference.

For each candidate (or one): the cost of forcing it in at its earliest start, of forcing it out,
and of moving it one year earlier or later than planned. Each is a full re-solve with a time
limit, run in parallel processes; the difference to the plan's objective is what the decision is
worth. A forced re-solve that is not proven optimal is labelled so, and an impossible one says so.
"""

from __future__ import annotations

import math
import multiprocessing
from dataclasses import asdict, dataclass
from pathlib import Path

from optimizer import interrupt, load_scenario
from optimizer.errors import Problem, ScenarioError
from optimizer.model import BuildOptions, ForcedStart
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings
from optimizer.status import Status


@dataclass(frozen=True)
class Question:
    candidate: str
    action: str
    start_year: int | None  # the start forced (None for force_out)


@dataclass(frozen=True)
class Answer:
    candidate: str
    action: str
    start_year: int | None
    status: str  # optimal, feasible, infeasible, no_solution, not_applicable, unchanged
    objective: float | None
    cost_difference: float | None  # MSEK vs the plan (positive: the change costs more)
    words: str


def result_source(folder: Path) -> tuple[Path, dict]:
    """The inputs a results folder was made from, and its plan.json.

    The folder is verified against the hashes in its manifest: an edited result is refused
    (``ScenarioError``, exit code 2) instead of explained.
    """
    from optimizer.io.stored import ResultsFolder

    stored = ResultsFolder.open(folder)
    stored.require_intact()
    plan = stored.plan_data()
    objective = plan.get("objective")
    if objective is not None and (
        isinstance(objective, bool)
        or not isinstance(objective, int | float)
        or not math.isfinite(objective)
    ):
        raise ScenarioError(
            [Problem(str(stored.plan_file), None, "objective", f"'{objective}' is not a number")]
        )
    inputs = stored.folder / "inputs"
    if not inputs.is_dir():
        path = stored.manifest.get("scenario_path")
        if not isinstance(path, str) or not path:
            raise ScenarioError(
                [Problem(str(stored.folder), None, "inputs", "has no copy of its inputs")]
            )
        return Path(path), plan
    workbooks = sorted(inputs.glob("*.xlsx"))
    return (workbooks[0] if workbooks and not (inputs / "scenario.toml").exists() else inputs), plan


def questions_for(
    scenario: Scenario, starts: dict[str, dict[int, int]], only: str | None = None
) -> list[Question]:
    windows = scenario.start_windows
    out = []
    for cand in scenario.candidates:
        if only is not None and cand.id != only:
            continue
        earliest, latest = windows[cand.id]
        chosen = starts.get(cand.id, {})
        start = min(chosen) if chosen else None
        out.append(Question(cand.id, "force_in_earliest", earliest))
        out.append(Question(cand.id, "force_out", None))
        if start is not None:
            out.append(
                Question(cand.id, "one_year_earlier", start - 1 if start - 1 >= earliest else None)
            )
            out.append(
                Question(cand.id, "one_year_later", start + 1 if start + 1 <= latest else None)
            )
    return out


def forced_start(question: Question) -> ForcedStart:
    """The question as a decision forced in the build: out, or in at ``question.start_year``."""
    year = None if question.action == "force_out" else question.start_year
    return ForcedStart(question.candidate, year)


def _answer(args) -> Answer:
    source, variant, question, settings, base_objective = args
    from optimizer.run import run_scenario

    scenario = load_scenario(source, variant)
    options = BuildOptions(forced=(forced_start(question),))
    plan = run_scenario(scenario, settings, options, shadow_prices=False)
    if not plan.has_solution:
        words = (
            "impossible within the hard limits"
            if plan.status is Status.INFEASIBLE
            else "no plan within the time limit"
        )
        return Answer(
            question.candidate, question.action, question.start_year, plan.status, None, None, words
        )
    diff = plan.objective - base_objective
    proven = "" if plan.status.is_optimal else f" (not proven optimal, gap {plan.gap or 0:.2%})"
    verb = "costs" if diff > 1e-6 else ("saves" if diff < -1e-6 else "changes the cost by")
    words = f"{verb} {abs(diff):,.2f} MSEK{proven}"
    return Answer(
        question.candidate,
        question.action,
        question.start_year,
        plan.status,
        plan.objective,
        diff,
        words,
    )


def explain(
    source: Path,
    variant: str | None,
    starts: dict[str, dict[int, int]],
    base_objective: float,
    candidate: str | None = None,
    settings: SolveSettings | None = None,
    workers: int = 2,
) -> list[Answer]:
    scenario = load_scenario(source, variant)
    if candidate is not None and candidate not in scenario.candidate_by_id:
        raise ScenarioError(
            [Problem("--candidate", None, None, f"unknown candidate '{candidate}'")]
        )
    settings = settings or SolveSettings(time_limit=30)
    answers: list[Answer] = []
    jobs = []
    for q in questions_for(scenario, starts, candidate):
        chosen = starts.get(q.candidate, {})
        if q.action in ("one_year_earlier", "one_year_later") and q.start_year is None:
            answers.append(
                Answer(
                    q.candidate,
                    q.action,
                    None,
                    "not_applicable",
                    None,
                    None,
                    "outside its start window",
                )
            )
        elif q.action == "force_out" and not chosen:
            answers.append(
                Answer(
                    q.candidate,
                    q.action,
                    None,
                    "unchanged",
                    base_objective,
                    0.0,
                    "already out of the plan",
                )
            )
        elif q.action == "force_in_earliest" and chosen and min(chosen) == q.start_year:
            answers.append(
                Answer(
                    q.candidate,
                    q.action,
                    q.start_year,
                    "unchanged",
                    base_objective,
                    0.0,
                    "already starts then",
                )
            )
        else:
            jobs.append((source, scenario.variant, q, settings, base_objective))
    if workers > 1 and len(jobs) > 1:
        answers += _in_workers(jobs, workers)
    else:
        answers += [_answer(job) for job in jobs]
    return rank(answers)


def _in_workers(jobs: list, workers: int) -> list[Answer]:
    """The re-solves in parallel processes that stop with the command.

    ``multiprocessing.Pool`` rather than ``ProcessPoolExecutor``: on Ctrl-C or SIGTERM the
    executor's shutdown waits for every running re-solve (up to its time limit), while
    ``Pool.terminate`` (run when the ``with`` block is left by the interrupt) sends SIGTERM to
    the workers and reaps them. Workers ignore SIGINT, so a Ctrl-C to the process group reaches
    only this process, which then stops them.
    """
    with interrupt.held_back():
        pool = multiprocessing.Pool(workers, initializer=interrupt.ignore_in_worker)
    with pool:
        pending = pool.map_async(_answer, jobs, chunksize=1)
        while not pending.ready():
            pending.wait(0.1)
            interrupt.check()
        return pending.get()


def rank(answers: list[Answer]) -> list[Answer]:
    """Most consequential first: impossible, then by absolute cost difference."""

    def key(a: Answer):
        if a.status == Status.INFEASIBLE:
            return (0, 0.0, a.candidate, a.action)
        if a.cost_difference is None:
            return (2, 0.0, a.candidate, a.action)
        return (1, -abs(a.cost_difference), a.candidate, a.action)

    return sorted(answers, key=key)


def answers_as_records(answers: list[Answer]) -> list[dict]:
    return [asdict(a) for a in answers]
