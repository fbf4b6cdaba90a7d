"""explain answers why: the limit that blocks a forced decision, what is possible instead, and
decided projects stated as decided (tiny with PS-NEW committed to 2026 and WATER-EXT must-do).

By hand: PS-NEW (10 MSEK, half in 2026, half in 2027) is committed to 2026; PS-NORTH (6 MSEK,
spent in its start year) needs the water main in service first, so its window is 2027-2029.
Started in 2027 it would need 5 + 6 = 11 MSEK of the 8 MSEK tax budget: 3 MSEK short. From 2028
on the tax budget has room, so 2028 is its earliest possible start and 2029 (its window's end)
its latest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scenario_factory import TINY, tiny_copy

import optimizer
from optimizer import explain as explain_module
from optimizer.data import build_data
from optimizer.errors import EXIT_USAGE
from optimizer.explain import cost_words, explain
from optimizer.explain_resolve import PROVEN_TO, forced_bounds
from optimizer.io.results import write_results
from optimizer.model import BuildOptions, ForcedStart, build
from optimizer.run import run_scenario
from optimizer.solve import SolveSettings, solve

PS_NEW = "PS-NEW,New preschool (20 places),BUF,,10,0.5|0.5,2,2026,2028,40,0,4,90,1,tax,0,no,,,"
WATER = "WATER-EXT,Water main to the new area,TEK,,3,1,1,2026,2029,50,0,0,30,0,va,0.5,no,"


@pytest.fixture(scope="module")
def decided(tmp_path_factory) -> Path:
    """tiny with PS-NEW committed to start in 2026 and the water main a must-do."""
    text = (TINY / "candidates.csv").read_text()
    assert PS_NEW in text and WATER in text
    text = text.replace(PS_NEW, PS_NEW[:-1] + "2026,").replace(WATER, WATER[:-3] + "yes,")
    return tiny_copy(tmp_path_factory.mktemp("decided"), files={"candidates.csv": text})


@pytest.fixture(scope="module")
def answers(decided: Path) -> dict:
    plan = run_scenario(optimizer.load_scenario(decided))
    assert plan.starts["PS-NEW"] == {2026: 1} and plan.starts["PS-NORTH"] == {2028: 1}
    found = explain(decided, None, plan.starts, plan.objective, workers=1)
    return {(a.candidate, a.action): a for a in found}


def test_a_start_blocked_by_the_budget_names_the_limit_the_year_and_the_shortfall(answers):
    earliest = answers[("PS-NORTH", "force_in_earliest")]
    assert (earliest.start_year, earliest.status) == (2027, "infeasible")
    assert "11.0 MSEK in 2027" in earliest.reason
    assert "budget in 2027 is 8.0 MSEK (short by 3.0 MSEK)" in earliest.reason
    assert "PS-NEW" in earliest.reason and "forced start of PS-NORTH" in earliest.reason


def test_a_blocked_start_gives_the_earliest_and_latest_possible_start(answers):
    for action in ("force_in_earliest", "one_year_earlier"):
        answer = answers[("PS-NORTH", action)]
        assert answer.feasible_starts == (2028, 2029)
        assert answer.alternative == "earliest possible start 2028, latest 2029"


def test_removing_or_moving_a_committed_project_is_answered_as_committed(answers):
    out = answers[("PS-NEW", "force_out")]
    assert (out.status, out.words) == ("decided", "committed to start in 2026: cannot be removed")
    for action in ("one_year_earlier", "one_year_later"):
        assert answers[("PS-NEW", action)].words == "committed to start in 2026: cannot be moved"


def test_removing_a_must_do_project_is_answered_as_must_do(answers):
    out = answers[("WATER-EXT", "force_out")]
    assert (out.status, out.words) == ("decided", "must-do, cannot be removed")


def test_a_rival_of_a_committed_project_in_an_exclusive_group_is_said_to_be_excluded(answers):
    ext = answers[("PS-EXT", "force_in_earliest")]
    assert ext.status == "infeasible"
    assert ext.reason == (
        "excluded by PS-NEW, which must go ahead (exclusive group preschool-site: "
        "at most one is built)"
    )


# ------------------------------------------------------------------------------------------
# in the council's language: Swedish by default, English with --lang en
# ------------------------------------------------------------------------------------------
def test_an_impossible_forced_start_is_explained_in_swedish_and_in_english(answers):
    earliest = answers[("PS-NORTH", "force_in_earliest")]
    assert earliest.text("sv") == {
        "words": "omöjligt inom de hårda gränserna",
        "reason": "obligatoriska/beslutade projekt PS-NEW och den tvingade starten av PS-NORTH "
        "behöver 11,0 MSEK 2027; budgetramen för Tax-financed 2027 är 8,0 MSEK "
        "(3,0 MSEK för lite)",
        "alternative": "tidigaste möjliga start 2028, senaste 2029",
    }
    assert earliest.text("en") == {
        "words": "impossible within the hard limits",
        "reason": "must-do/committed projects PS-NEW and the forced start of PS-NORTH need "
        "11.0 MSEK in 2027; the Tax-financed budget in 2027 is 8.0 MSEK (short by 3.0 MSEK)",
        "alternative": "earliest possible start 2028, latest 2029",
    }


def test_removing_a_must_do_or_committed_project_is_refused_in_both_languages(answers):
    water, new = answers[("WATER-EXT", "force_out")], answers[("PS-NEW", "force_out")]
    assert water.text("sv")["words"] == "måste göras, kan inte tas bort"
    assert water.text("en")["words"] == "must-do, cannot be removed"
    assert new.text("sv")["words"] == "beslutat att starta 2026: kan inte tas bort"
    assert new.text("en")["words"] == "committed to start in 2026: cannot be removed"
    moved = answers[("PS-NEW", "one_year_later")]
    assert moved.text("sv")["words"] == "beslutat att starta 2026: kan inte flyttas"


def test_an_optimal_answer_states_its_cost_in_both_languages(decided, answers):
    """Forcing PS-NORTH out costs what the plan without PS-NORTH costs more (re-solved here
    with PS-NORTH deleted from candidates.csv), rounded to 0.1 MSEK as the reports are."""
    out = answers[("PS-NORTH", "force_out")]
    files = {
        table: "".join(
            line
            for line in (decided / table).read_text().splitlines(True)
            if not line.startswith("PS-NORTH,")
        )
        for table in ("candidates.csv", "candidate_capacity.csv", "dependencies.csv")
    }
    folder = tiny_copy(decided.parent / "without-north", files=files)
    base = run_scenario(optimizer.load_scenario(decided)).objective
    dropped = run_scenario(optimizer.load_scenario(folder)).objective
    assert out.status == "optimal"
    assert out.cost_difference == pytest.approx(dropped - base, abs=1e-6)
    assert round(out.cost_difference, 1) == 19.6
    assert out.text("sv")["words"] == "kostar 19,6 MSEK mer"
    assert out.text("en")["words"] == "costs 19.6 MSEK"


def test_a_cost_is_written_as_the_reports_write_money() -> None:
    assert cost_words(1234.56, None) == {
        "sv": "kostar 1\u00a0234,6 MSEK mer",
        "en": "costs 1,234.6 MSEK",
    }
    assert cost_words(-2.04, None) == {"sv": "sparar 2,0 MSEK", "en": "saves 2.0 MSEK"}
    assert cost_words(0.03, None) == {
        "sv": "ändrar kostnaden med mindre än 0,05 MSEK",
        "en": "changes the cost by less than 0.05 MSEK",
    }


@pytest.fixture(scope="module")
def decided_result(decided, tmp_path_factory) -> Path:
    scenario = optimizer.load_scenario(decided)
    result = tmp_path_factory.mktemp("decided-result") / "result"
    write_results(run_scenario(scenario), scenario, result)
    return result


def _explain_cli(result: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "optimizer.cli", "explain", str(result), *options],
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": "250", "PATH": "/usr/bin:/bin"},
    )


def test_explain_on_the_command_line_prints_the_reason_and_the_alternative(decided_result):
    shown = _explain_cli(
        decided_result, "--candidate", "PS-NORTH", "--workers", "1", "--lang", "en"
    )
    assert shown.returncode == 0, shown.stderr
    assert "What each decision is worth" in shown.stdout
    assert "why: must-do/committed projects PS-NEW" in shown.stdout
    assert "instead: earliest possible start 2028, latest 2029" in shown.stdout
    # the candidate by its name as well as its id (a council does not know the ids)
    assert "Preschool in the new area (10 places)" in shown.stdout
    as_json = _explain_cli(decided_result, "--candidate", "PS-NEW", "--json")
    records = {a["action"]: a for a in json.loads(as_json.stdout)["answers"]}
    assert {a["name"] for a in records.values()} == {"New preschool (20 places)"}
    assert records["force_out"]["words"] == "committed to start in 2026: cannot be removed"
    # --json keeps English keys and carries the Swedish sentence as well
    assert records["force_out"]["sentences"]["sv"]["words"] == (
        "beslutat att starta 2026: kan inte tas bort"
    )


def test_explain_on_the_command_line_answers_in_swedish_by_default(decided_result):
    shown = _explain_cli(decided_result, "--candidate", "PS-NORTH", "--workers", "1")
    assert shown.returncode == 0, shown.stderr
    assert "Vad varje beslut är värt" in shown.stdout
    assert "tvinga in vid tidigaste start" in shown.stdout
    assert "varför: obligatoriska/beslutade projekt PS-NEW" in shown.stdout
    assert "i stället: tidigaste möjliga start 2028, senaste 2029" in shown.stdout
    assert "kostar 19,6 MSEK mer" in shown.stdout
    assert "why:" not in shown.stdout and "MSEK in 2027" not in shown.stdout
    # how far it has come, on stderr (a log here: a line per candidate re-solved)
    assert shown.stderr.strip() == "1/1 omräknade: PS-NORTH"


def test_explain_reports_each_candidate_as_its_re_solves_finish(decided):
    """Two workers: every candidate that needs a re-solve is reported once, counting up to the
    total, whatever order the workers finish in; the answers are the one-worker answers."""
    plan = run_scenario(optimizer.load_scenario(decided))
    seen = []
    found = explain(
        decided, None, plan.starts, plan.objective, workers=2, on_done=lambda *a: seen.append(a)
    )
    assert [done for done, _, _ in seen] == list(range(1, len(seen) + 1))
    assert {total for _, total, _ in seen} == {len(seen)} and len(seen) >= 2
    re_solved = {a.candidate for a in found if a.status not in ("decided", "unchanged",
                                                                "not_applicable")}  # fmt: skip
    assert {candidate for _, _, candidate in seen} == re_solved
    alone = explain(decided, None, plan.starts, plan.objective, workers=1)
    assert [(a.candidate, a.action, a.status, a.cost_difference) for a in found] == [
        (a.candidate, a.action, a.status, a.cost_difference) for a in alone
    ]


def test_explain_in_english_names_the_binding_limits_by_the_scenarios_names(tmp_path):
    """shadow_prices.csv's English meaning says "for preschool" (the id); the terminal says
    what report.html says, in English as in Swedish."""
    scenario = optimizer.load_scenario(TINY)
    result = write_results(run_scenario(scenario), scenario, tmp_path / "result")
    english = _explain_cli(result, "--candidate", "PS-NORTH", "--workers", "1", "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert (
        "  • 1 place more capacity for Preschool places in 2027 lowers total cost by 1 MSEK"
    ) in english.stdout
    assert "for preschool in" not in english.stdout
    swedish = _explain_cli(result, "--candidate", "PS-NORTH", "--workers", "1")
    assert swedish.returncode == 0, swedish.stderr
    assert "Preschool places" in swedish.stdout and "för preschool" not in swedish.stdout


def test_explain_refuses_an_unknown_language(decided_result):
    shown = _explain_cli(decided_result, "--lang", "de")
    assert shown.returncode == EXIT_USAGE
    assert "Invalid value for --lang: 'de' is not a report language" in shown.stderr


# ------------------------------------------------------------------------------------------
# speed without changing the answers: one built model per worker, asked with other bounds
# ------------------------------------------------------------------------------------------
def _every_forced_decision(scenario):
    for cand in scenario.candidates:
        earliest, latest = scenario.start_windows[cand.id]
        yield ForcedStart(cand.id, None)
        for year in range(earliest, latest + 1):
            yield ForcedStart(cand.id, year)


def test_a_forced_decision_asked_of_the_plain_model_is_the_model_build_writes(decided):
    """explain builds the plain model once and changes start bounds for each question: the
    rows, costs and every bound must be what ``build`` writes for the forced decision."""
    scenario = optimizer.load_scenario(decided)
    data = build_data(scenario)
    plain = build(data, BuildOptions())
    matrix = plain.model.matrix("csr")
    for forced in _every_forced_decision(scenario):
        options = BuildOptions(forced=(forced,))
        fresh = build(data, options).model
        lower, upper = forced_bounds(plain, options)
        assert np.array_equal(lower, fresh.lower) and np.array_equal(upper, fresh.upper), forced
        assert (fresh.matrix("csr") != matrix).nnz == 0
        for field in ("cost", "rlower", "rupper", "integer"):
            assert np.array_equal(getattr(fresh, field), getattr(plain.model, field))
        assert fresh.offset == plain.model.offset


def test_a_question_re_solved_on_the_plain_model_costs_what_a_fresh_build_costs(decided):
    """The optimised re-solve (the plain model with other bounds, stopped once proven to
    PROVEN_TO MSEK) against a fresh build solved to a zero gap: the same answer to 0.05 MSEK."""
    scenario = optimizer.load_scenario(decided)
    data = build_data(scenario)
    settings = SolveSettings(solver="highs", time_limit=30)
    exact = settings.model_copy(update={"gap": 0.0})
    for forced in _every_forced_decision(scenario):
        options = BuildOptions(forced=(forced,))
        fresh = solve(build(data, options).model, exact)
        reused = explain_module.resolve(data, options, settings)
        assert (reused.objective is None) == (fresh.objective is None), forced
        if fresh.objective is not None:
            assert explain_module.proven_gap(reused) is not None, forced
            assert abs(reused.objective - fresh.objective) <= PROVEN_TO + 1e-9, forced
        else:
            assert reused.status == fresh.status, forced


def test_every_answer_of_the_optimised_path_is_the_plain_answer_to_its_rounding(decided, answers):
    """explain's answers (one model per worker, starts from the plan, the questions the plan
    answers taken from it, each re-solve stopped at PROVEN_TO) against the plain path: a fresh
    build with the decision forced, solved to a zero gap, for every question."""
    scenario = optimizer.load_scenario(decided)
    data = build_data(scenario)
    exact = SolveSettings(solver="highs", time_limit=30, gap=0.0)
    base = solve(build(data, BuildOptions()).model, exact).objective
    checked = 0
    for (candidate, _), found in answers.items():
        if found.status in ("decided", "not_applicable"):
            continue
        plain = solve(
            build(data, BuildOptions(forced=(explain_module.forced_start(found),))).model, exact
        )
        if found.status == "infeasible":
            assert plain.status == "infeasible", (candidate, found.action)
            continue
        assert found.status in ("optimal", "unchanged"), (candidate, found.action)
        assert found.proven_to is None or found.proven_to <= PROVEN_TO + 1e-9
        assert abs(found.cost_difference - (plain.objective - base)) <= PROVEN_TO + 1e-6, (
            candidate,
            found.action,
        )
        checked += 1
    assert checked >= 8


def test_a_re_solve_is_proven_once_its_gap_is_below_the_rounding() -> None:
    from optimizer.solve_result import SolveResult
    from optimizer.status import Status

    def stopped(objective: float, bound: float, status=Status.FEASIBLE) -> SolveResult:
        return SolveResult(status, "highs", "", objective, bound, None, 1.0, None, "")

    assert explain_module.proven_gap(stopped(2500.03, 2500.0)) == pytest.approx(0.03)
    assert explain_module.proven_gap(stopped(2500.2, 2500.0)) is None  # not to 0.1 MSEK
    assert explain_module.proven_gap(stopped(12.0, 12.0, Status.OPTIMAL)) == 0.0


def test_the_same_forced_start_asked_twice_is_solved_once(decided, monkeypatch):
    """PS-NORTH starts in 2028 and its window opens in 2027: "in at its earliest start" and
    "one year earlier" are the same question, solved once."""
    scenario = optimizer.load_scenario(decided)
    plan = run_scenario(scenario)
    asked = []
    resolve = explain_module.resolve

    def counting(data, options, settings, first_plan=False):
        if not first_plan:
            asked.append(options.forced)
        return resolve(data, options, settings, first_plan)

    monkeypatch.setattr(explain_module, "resolve", counting)
    found = explain(decided, None, plan.starts, plan.objective, "PS-NORTH", workers=1)
    actions = {a.action: a for a in found}
    assert actions["force_in_earliest"].start_year == actions["one_year_earlier"].start_year
    assert asked.count((ForcedStart("PS-NORTH", 2027),)) == 1
    assert len(asked) == len(set(asked))


def test_the_same_impossible_start_asked_twice_is_diagnosed_once(decided, monkeypatch):
    scenario = optimizer.load_scenario(decided)
    plan = run_scenario(scenario)
    diagnosed = []
    reason_of = explain_module.blocking_reason

    def counting(scenario, data, forced, settings):
        diagnosed.append(forced)
        return reason_of(scenario, data, forced, settings)

    monkeypatch.setattr(explain_module, "blocking_reason", counting)
    found = explain(decided, None, plan.starts, plan.objective, "PS-NORTH", workers=1)
    actions = {a.action: a for a in found}
    assert actions["force_in_earliest"].reason == actions["one_year_earlier"].reason != ""
    assert diagnosed == [ForcedStart("PS-NORTH", 2027)]


def test_an_answer_not_proven_in_time_states_the_range_the_solver_proved() -> None:
    # the ends of a proven range are rounded outward: 3.29 to 3.2, 12.51 to 12.6
    assert cost_words(12.51, 3.29) == {
        "sv": "kostar mellan 3,2 och 12,6 MSEK mer (inte bevisat inom tidsgränsen)",
        "en": "costs between 3.2 and 12.6 MSEK (not proven within the time limit)",
    }
    # a bound below the plan's cost proves nothing about the difference
    assert cost_words(12.5, -40.0) == {
        "sv": "kostar högst 12,5 MSEK mer (inte bevisat inom tidsgränsen)",
        "en": "costs at most 12.5 MSEK (not proven within the time limit)",
    }


def test_a_result_whose_other_variant_names_its_own_table_can_be_explained(tmp_path):
    """A variant that names its own table (Östersund's budget-cut names other_investments-cut)
    makes a scenario folder valid only with that table; the results folder of another variant
    must copy it into inputs/ too, or explain (and replan) cannot read the inputs back."""
    settings = (TINY / "scenario.toml").read_text()
    marker = 'population = "high"\n'
    assert marker in settings
    budgets = (TINY / "budgets.csv").read_text()
    folder = tiny_copy(
        tmp_path / "named",
        files={
            "scenario.toml": settings.replace(
                marker, marker + 'tables = { budgets = "budgets-high" }\n'
            ),
            "budgets-high.csv": budgets,
        },
    )
    scenario = optimizer.load_scenario(folder, "base")
    plan = run_scenario(scenario)
    result = write_results(plan, scenario, tmp_path / "result")
    assert (result / "inputs" / "budgets-high.csv").read_text() == budgets
    source, _ = explain_module.result_source(result)
    again = optimizer.load_scenario(source, "base")
    assert [c.id for c in again.candidates] == [c.id for c in scenario.candidates]
    shown = _explain_cli(result, "--candidate", "PS-NORTH", "--workers", "1", "--lang", "en")
    assert shown.returncode == 0, shown.stderr
    assert "PS-NORTH" in shown.stdout


def test_a_forced_start_not_named_by_its_budget_conflict_is_linked_to_it(tmp_path):
    """The diagnosis may put the shortfall in a year the forced start does not spend in (it
    pushes other projects there); the reason then says what the start itself takes of that
    budget. PS-NEW (must-do, 5 + 5 MSEK in 2026-27) overruns a 4 MSEK tax budget in 2026;
    PS-EXT forced to 2029 spends its 4 MSEK of the same budget in 2029."""
    from optimizer.diagnose import diagnose
    from optimizer.explain import own_spending

    candidates = (TINY / "candidates.csv").read_text()
    must = "PS-NEW,New preschool (20 places),BUF,,10,0.5|0.5,2,2026,2028,40,0,4,90,1,tax,0,no,,"
    candidates = candidates.replace(must, must.replace(",no,,", ",yes,2028,"))
    budgets = "pool,year,ceiling\n" + "".join(f"tax,{y},4\n" for y in range(2026, 2031))
    budgets += "".join(f"va,{y},2\n" for y in range(2026, 2031))
    folder = tiny_copy(tmp_path, files={"candidates.csv": candidates, "budgets.csv": budgets})
    scenario = optimizer.load_scenario(folder)
    conflicts = diagnose(scenario)
    assert [c.constraint for c in conflicts] == ["budget[tax,2026]", "budget[tax,2027]"]
    data = build_data(scenario)
    words = own_spending(data, ForcedStart("PS-EXT", 2029), conflicts)
    assert words == {
        "en": "; the forced start of PS-EXT itself takes 4.0 MSEK of that budget in 2029, so "
        "projects the plan needs must be paid in other years",
        "sv": "; den tvingade starten av PS-EXT tar själv 4,0 MSEK av den budgeten 2029, så "
        "projekt som planen behöver måste betalas andra år",
    }
    # named by the conflict already, forced out, or spending from another budget: nothing added
    assert own_spending(data, ForcedStart("PS-NEW", 2026), conflicts) is None
    assert own_spending(data, ForcedStart("PS-EXT", None), conflicts) is None
    assert own_spending(data, ForcedStart("WATER-EXT", 2027), conflicts) is None
