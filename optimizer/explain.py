"""Why is a project in, out or late? Re-solve with one decision forced, and price the difference.

For each candidate (or one): the cost of forcing it in at its earliest start, of forcing it out,
and of moving it one year earlier or later than planned. Each is a full re-solve with a time
limit (``BuildOptions.forced``), run in parallel processes; the difference to the plan's
objective is what the decision is worth, written as the reports write money (0.1 MSEK) in
the report language (sv or en, both kept in ``Answer.sentences``). Each re-solve stops once its
plan is proven within 0.05 MSEK of the best plan with that decision (``PROVEN_TO``, an absolute
gap), so every proven answer is exact to the 0.1 MSEK it is written in; one stopped by its time
limit is labelled so.

An impossible question is answered with its reason and an alternative:

* decided projects are said to be decided, without a solve: a must-do project "cannot be
  removed", a committed start "cannot be moved or removed";
* otherwise the same elastic diagnosis ``run`` uses for an infeasible scenario
  (``optimizer.diagnose``), with the forced decision kept hard, names the limit that blocks it:
  which limit, which year, by how much;
* and, for a start that is impossible, the earliest and the latest start year that are possible
  (a feasibility re-solve per year tried, from the ends of the window inwards).

Speed (benchmarks/RESULTS.md, explain): each worker process reads the scenario, its model data
and (HiGHS) its plain model once; a forced decision only changes the bounds of the candidate's
start columns (``forced_bounds``, the bounds ``build`` writes for ``BuildOptions.forced``), so
each question is a re-solve of that model with other bounds. It starts from the plan being
explained, adapted to the forced decision and completed into a whole plan when that plan is
possible; the same forced decision asked twice (in at the earliest start = one year earlier)
is solved once, and diagnosed once when impossible; questions the plan answers itself (out of
a candidate it does not choose, in at the start it already has) take no solve; feasible start
years are asked as "is there any plan" (the solver stops at its first); questions are grouped by
candidate so that the start years are searched once per
candidate. A re-solve stopped by its time limit says what it proved: "costs between A and B"
(the solver's bound and the best plan found), or "at least A" when no plan was found.

The LP relaxation is not used to screen questions: on Östersund the plain model's LP bound is
15 % below the plan's cost, and with any one of the 124 forced decisions it stays at least
82 MSEK below it, so an LP bound never shows that a forced decision costs more.
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from optimizer import interrupt, load_scenario
from optimizer.errors import Problem, ScenarioError
from optimizer.explain_resolve import (
    ROUNDING,
    Starts,
    least_difference,
    proven_gap,
    resolve,
)
from optimizer.model import BuildOptions, ForcedStart
from optimizer.plan_math import spend_by_year
from optimizer.report.i18n import LANGUAGES, format_number, said
from optimizer.scenario import Scenario
from optimizer.schema import Candidate
from optimizer.solve import SolveSettings
from optimizer.status import WITH_PLAN, Status

Said = dict[str, str]  # a sentence by language (sv, en), as ``Conflict.sentences``
TEXT_FIELDS = ("words", "reason", "alternative")  # an answer's sentences


def msek(amount: float, outward: int = 0) -> Said:
    """An amount of MSEK as the reports write it: 0.1 MSEK, decimal comma in Swedish.

    ``outward``: the end of a proven range, rounded away from its inside so that the range
    written still holds what was proven (-1: a least amount, rounded down; 1: a most, up).
    """
    if outward:
        tenths = amount * 10
        tenths = math.floor(tenths + 1e-9) if outward < 0 else math.ceil(tenths - 1e-9)
        amount = tenths / 10
    return {lang: format_number(amount, 1, lang) for lang in LANGUAGES}


def joined(*parts: Said | None) -> Said:
    return {lang: "".join(p[lang] for p in parts if p) for lang in LANGUAGES}


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
    reason: str = ""  # why it is impossible: the blocking limit, in words
    alternative: str = ""  # what is possible instead (the feasible start years)
    feasible_starts: tuple[int, int] | None = None  # earliest and latest possible start
    # a re-solve stopped by its time limit: the least the change can cost (MSEK, from the
    # solver's bound); cost_difference is then the most it costs (the best plan found)
    cost_at_least: float | None = None
    # a proven answer: how close (MSEK) the re-solve's plan is proven to the best possible
    proven_to: float | None = None
    # words, reason and alternative by language: {"sv": {"words": …, …}, "en": {…}}; the
    # fields above are the English ones (JSON keys and logs stay English)
    sentences: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    name: str = ""  # the candidate's name in the scenario, shown beside its id

    def text(self, lang: str) -> dict[str, str]:
        """words, reason and alternative in ``lang`` (sv or en)."""
        return self.sentences.get(lang) or {f: getattr(self, f) for f in TEXT_FIELDS}


def answer(
    question: Question,
    status: str,
    objective: float | None,
    cost_difference: float | None,
    words: Said,
    reason: Said | None = None,
    alternative: Said | None = None,
    **more,
) -> Answer:
    """An answer with its sentences in every language (the English ones also as fields)."""
    texts = {"words": words, "reason": reason or {}, "alternative": alternative or {}}
    sentences = {lang: {f: texts[f].get(lang, "") for f in TEXT_FIELDS} for lang in LANGUAGES}
    return Answer(
        question.candidate,
        question.action,
        question.start_year,
        status,
        objective,
        cost_difference,
        sentences["en"]["words"],
        sentences["en"]["reason"],
        sentences["en"]["alternative"],
        sentences=sentences,
        **more,
    )


def with_alternative(a: Answer, alternative: Said, span: tuple[int, int] | None) -> Answer:
    sentences = {lang: {**a.text(lang), "alternative": alternative[lang]} for lang in LANGUAGES}
    return dataclasses.replace(
        a, alternative=alternative["en"], feasible_starts=span, sentences=sentences
    )


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


def start_from(question: Question, starts: Starts, max_units: int) -> dict[str, dict[int, int]]:
    """The plan being explained, changed as the question asks: where the solver starts from."""
    adapted = {cand: dict(by_year) for cand, by_year in starts.items()}
    own = adapted.pop(question.candidate, {})
    if question.action != "force_out" and question.start_year is not None:
        units = min(max(sum(own.values()), 1), max_units)
        adapted[question.candidate] = {question.start_year: units}
    return adapted


def decided_answer(cand: Candidate, question: Question, chosen: dict[int, int]) -> Answer | None:
    """A question about a decided project, answered by its decision rather than by a solve."""
    committed = cand.committed_year
    if committed is not None:
        if question.action == "force_out":
            words = said("explain_committed_removed", year=committed)
        elif question.start_year != committed:  # None: a move outside its (one-year) window
            words = said("explain_committed_moved", year=committed)
        else:
            return None
        return answer(question, "decided", None, None, words)
    if question.action == "force_out" and (cand.must_do or cand.deadline is not None):
        words = said("explain_must_do")
        if cand.deadline is not None:
            words = joined(words, said("explain_deadline", year=cand.deadline))
        return answer(question, "decided", None, None, words)
    return None


def exclusive_note(scenario: Scenario, candidate: str, starts: Starts) -> Said | None:
    """Forcing in a member of an exclusive group removes the member the plan chose."""
    group = scenario.candidate_by_id[candidate].exclusive_group
    if not group:
        return None
    rivals = sorted(
        c.id
        for c in scenario.candidates
        if c.exclusive_group == group and c.id != candidate and starts.get(c.id)
    )
    if not rivals:
        return None
    return said("explain_replaces", ids=", ".join(rivals), group=group)


# ------------------------------------------------------------------------------------------
# the re-solves, in worker processes
# ------------------------------------------------------------------------------------------
_LOADED: dict = {}  # per process: (source, variant) -> (scenario, model data)


def _loaded(source: Path, variant: str | None):
    key = (str(source), variant)
    if key not in _LOADED:
        from optimizer.data import build_data

        scenario = load_scenario(source, variant)
        _LOADED.clear()
        _LOADED[key] = (scenario, build_data(scenario))
    return _LOADED[key]


@dataclass(frozen=True)
class Job:
    """One candidate's questions that need a re-solve."""

    source: Path
    variant: str | None
    candidate: str
    questions: tuple[Question, ...]
    settings: SolveSettings
    base_objective: float
    starts: Starts


def _answer_candidate(job: Job) -> list[Answer]:
    scenario, data = _loaded(job.source, job.variant)
    cand = scenario.candidate_by_id[job.candidate]
    feasible: set[int] = set(job.starts.get(job.candidate, {}))  # start years known possible
    impossible: set[int] = set()
    answers = []
    pending_alternatives = []
    solved: dict[ForcedStart, object] = {}  # the same forced decision asked twice: solved once
    reasons: dict[ForcedStart, Said] = {}
    for q in job.questions:
        forced = forced_start(q)
        if forced not in solved:
            options = BuildOptions(
                forced=(forced,), start_from=start_from(q, job.starts, cand.max_units)
            )
            solved[forced] = resolve(data, options, job.settings)
        result = solved[forced]
        at_least = least_difference(result, job.base_objective)
        if result.status in WITH_PLAN:
            if q.start_year is not None and q.action != "force_out":
                feasible.add(q.start_year)
            diff = result.objective - job.base_objective
            gap = proven_gap(result)
            words = cost_words(diff, None if gap is not None else at_least)
            if q.action != "force_out":
                words = joined(words, exclusive_note(scenario, job.candidate, job.starts))
            answers.append(
                answer(
                    q,
                    Status.OPTIMAL if gap is not None else result.status,
                    result.objective,
                    diff,
                    words,
                    cost_at_least=None if gap is not None else at_least,
                    proven_to=gap,
                )
            )
            continue
        if result.status is not Status.INFEASIBLE:
            words = said("explain_no_plan")
            if at_least is not None and at_least >= ROUNDING / 2:
                words = joined(words, said("explain_at_least", amount=msek(at_least, -1)))
            answers.append(answer(q, result.status, None, None, words, cost_at_least=at_least))
            continue
        if q.start_year is not None:
            impossible.add(q.start_year)
        if forced not in reasons:  # asked twice (earliest = a year earlier): diagnosed once
            reasons[forced] = blocking_reason(scenario, data, forced, job.settings)
        reason = reasons[forced]
        answers.append(answer(q, Status.INFEASIBLE, None, None, said("explain_impossible"), reason))
        pending_alternatives.append(len(answers) - 1)
    if pending_alternatives:
        span = feasible_starts(scenario, data, job.candidate, job.settings, feasible, impossible)
        text = alternative_words(scenario, job.candidate, span)
        for k in pending_alternatives:
            answers[k] = with_alternative(answers[k], text, span)
    return answers


def cost_words(diff: float, at_least: float | None) -> Said:
    """What a forced decision costs: exact to the reports' 0.1 MSEK when proven, else the range
    the solver proved.

    ``at_least`` None: the re-solve is proven optimal. Otherwise the best plan found costs
    ``diff`` more (an upper bound on the cost of the decision) and the bound proves it costs
    at least ``at_least``.
    """
    if at_least is None:
        if abs(diff) < ROUNDING / 2:  # would read "0.0": say how small it is instead
            half = {lang: format_number(ROUNDING / 2, 2, lang) for lang in LANGUAGES}
            return said("explain_same", amount=half)
        return said("explain_costs" if diff > 0 else "explain_saves", amount=msek(abs(diff)))
    if at_least >= ROUNDING / 2:
        return said("explain_between", low=msek(at_least, -1), high=msek(diff, 1))
    return said("explain_at_most", high=msek(diff, 1))


def blocking_reason(scenario: Scenario, data, forced: ForcedStart, settings: SolveSettings) -> Said:
    """The limits that block a forced decision, in words (the elastic diagnosis ``run`` uses)."""
    from optimizer.diagnose import diagnose

    cand = scenario.candidate_by_id[forced.candidate]
    if forced.start_year is not None and cand.exclusive_group:
        decided = sorted(
            c.id
            for c in scenario.candidates
            if c.exclusive_group == cand.exclusive_group
            and c.id != cand.id
            and (c.must_do or c.deadline is not None or c.committed_year is not None)
        )
        if decided:
            return said("explain_excluded", ids=", ".join(decided), group=cand.exclusive_group)

    conflicts = diagnose(scenario, settings, forced=(forced,), data=data)[:3]
    if not conflicts:
        return said("explain_no_single_limit")
    reason = {lang: "; ".join(c.text(lang) for c in conflicts) for lang in LANGUAGES}
    return joined(reason, own_spending(data, forced, conflicts))


def own_spending(data, forced: ForcedStart, conflicts) -> Said | None:
    """What the forced start itself takes of a budget its conflicts name, when none of them
    names it: the start displaces projects the plan needs into other years, so the shortfall
    can surface in a year the start does not spend in ("the tax budget 2027 is short by 49
    MSEK" for a renovation forced to 2030), and the council needs the link."""
    if forced.start_year is None:
        return None
    cand = data.scenario.candidate_by_id[forced.candidate]
    if any(cand.id in c.text("en") for c in conflicts):
        return None
    if not any(
        c.kind in ("budget", "department_budget")
        and (c.key.pool == cand.pool or c.key.department == cand.department)
        for c in conflicts
    ):
        return None
    # what the budget rows count of it: net of grants, in the model's build years
    paid = spend_by_year(
        data, data.ids.index(cand.id), forced.start_year, 1, data.capex * (1.0 - data.grant)
    )
    first, last = min(paid), max(paid)
    years = str(first) if first == last else f"{first}–{last}"
    amount = {lang: format_number(sum(paid.values()), 1, lang) for lang in LANGUAGES}
    return joined(
        {lang: "; " for lang in LANGUAGES},
        said("explain_own_spending", id=cand.id, amount=amount, years=years),
    )


def feasible_starts(
    scenario: Scenario,
    data,
    candidate: str,
    settings: SolveSettings,
    feasible: set[int],
    impossible: set[int],
) -> tuple[int, int] | None:
    """The earliest and the latest start year of ``candidate`` that the hard limits allow.

    Each year is a forced start asked only whether any plan exists (the solver stops at its
    first plan): a plan makes it possible, a proof of infeasibility impossible. A year the time
    limit leaves undecided is not called possible. Years already known either way are not
    tried again; the search walks in from both ends of the window and stops at the first
    success.
    """
    earliest, latest = scenario.start_windows[candidate]

    def possible(year: int) -> bool:
        if year in feasible:
            return True
        if year in impossible:
            return False
        options = BuildOptions(forced=(ForcedStart(candidate, year),))
        result = resolve(data, options, settings, first_plan=True)
        ok = result.status in WITH_PLAN
        if ok or result.status is Status.INFEASIBLE:
            (feasible if ok else impossible).add(year)
        return ok

    first = next((y for y in range(earliest, latest + 1) if possible(y)), None)
    if first is None:
        return None
    last = next(y for y in range(latest, first - 1, -1) if possible(y))
    return (first, last)


def alternative_words(scenario: Scenario, candidate: str, span: tuple[int, int] | None) -> Said:
    if span is None:
        earliest, latest = scenario.start_windows[candidate]
        return said("explain_no_start", first=earliest, last=latest)
    first, last = span
    if first == last:
        return said("explain_only_start", year=first)
    return said("explain_span", first=first, last=last)


def explain(
    source: Path,
    variant: str | None,
    starts: dict[str, dict[int, int]],
    base_objective: float,
    candidate: str | None = None,
    settings: SolveSettings | None = None,
    workers: int = 2,
    on_done: Callable[[int, int, str], None] | None = None,
) -> list[Answer]:
    """Every question about ``candidate`` (or every candidate), ranked (``rank``).

    ``on_done(done, total, candidate)`` is called as each candidate's re-solves finish (a
    progress display: explaining every candidate of a large plan takes minutes)."""
    scenario = load_scenario(source, variant)
    if candidate is not None and candidate not in scenario.candidate_by_id:
        raise ScenarioError(
            [Problem("--candidate", None, None, f"unknown candidate '{candidate}'")]
        )
    settings = settings or SolveSettings(time_limit=30)
    answers: list[Answer] = []
    to_solve: dict[str, list[Question]] = {}
    for q in questions_for(scenario, starts, candidate):
        chosen = starts.get(q.candidate, {})
        decided = decided_answer(scenario.candidate_by_id[q.candidate], q, chosen)
        if decided is not None:
            answers.append(decided)
        elif q.action in ("one_year_earlier", "one_year_later") and q.start_year is None:
            answers.append(answer(q, "not_applicable", None, None, said("explain_outside_window")))
        elif q.action == "force_out" and not chosen:
            words = said("explain_already_out")
            answers.append(answer(q, "unchanged", base_objective, 0.0, words))
        elif q.action == "force_in_earliest" and chosen and min(chosen) == q.start_year:
            words = said("explain_already_starts")
            answers.append(answer(q, "unchanged", base_objective, 0.0, words))
        else:
            to_solve.setdefault(q.candidate, []).append(q)
    jobs = [
        Job(source, scenario.variant, cand, tuple(qs), settings, base_objective, starts)
        for cand, qs in to_solve.items()
    ]
    jobs.sort(key=lambda job: -len(job.questions))  # the longest first: workers finish together
    done = on_done or (lambda *_: None)
    if workers > 1 and len(jobs) > 1:
        groups = _in_workers(jobs, workers, source, scenario.variant)
    else:
        groups = (_answer_candidate(job) for job in jobs)
    for k, group in enumerate(groups, start=1):
        answers += group
        done(k, len(jobs), group[0].candidate if group else "")
    names = scenario.candidate_by_id
    return rank([dataclasses.replace(a, name=names[a.candidate].name) for a in answers])


def _in_workers(
    jobs: list[Job], workers: int, source: Path, variant: str | None
) -> Iterator[list[Answer]]:
    """The re-solves in parallel processes that stop with the command, each candidate's
    answers as soon as they are ready (in the order they finish; ``rank`` orders them).

    ``multiprocessing.Pool`` rather than ``ProcessPoolExecutor``: on Ctrl-C or SIGTERM the
    executor's shutdown waits for every running re-solve (up to its time limit), while
    ``Pool.terminate`` (run when the ``with`` block is left by the interrupt) sends SIGTERM to
    the workers and reaps them. Workers ignore SIGINT, so a Ctrl-C to the process group reaches
    only this process, which then stops them. Each worker reads the scenario once, when it
    starts.
    """
    with interrupt.held_back():
        pool = multiprocessing.Pool(
            min(workers, len(jobs)), initializer=_start_worker, initargs=(source, variant)
        )
    with pool:
        pending = pool.imap_unordered(_answer_candidate, jobs, chunksize=1)
        for _ in jobs:
            while True:
                try:
                    group = pending.next(timeout=0.1)
                    break
                except multiprocessing.TimeoutError:
                    interrupt.check()
            yield group


def _start_worker(source: Path, variant: str | None) -> None:
    interrupt.ignore_in_worker()
    _loaded(source, variant)


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
