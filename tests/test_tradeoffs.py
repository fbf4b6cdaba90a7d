"""Trade-offs on tiny, by hand (docs/tradeoffs.md): the frontier, the alternatives, the score.

Arithmetic of tiny's plans (tests/test_model_blocks.py has the base optimum's, 12.4733 MSEK):
- base optimum: PS-NEW 2026, WATER-EXT 2027, PS-NORTH 2028, two PS-MOD 2029; its projects emit
  PS-NEW 90 + 1·3 years, WATER-EXT 30, PS-NORTH 45 + 0.5·2, modules 2·5 + 0.2·2·2 = 179.8 t.
- PS-EXT 2026 and two modules 2029 alone: 50.8667 MSEK (the "budget" case), 40 + 0.5·4 + 10.8
  = 52.8 t; nothing at all: 90 place-years short at 1 MSEK = 90 MSEK, 0 t.
- PS-EXT instead of PS-NEW, the rest as the optimum: 31.2567 MSEK (the "co2e_budget" case).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from scenario_factory import TINY, RawTiny
from typer.testing import CliRunner

from optimizer import load_scenario
from optimizer.check import check_tradeoffs
from optimizer.check.tradeoff import TRADEOFF_KINDS
from optimizer.cli.app import app
from optimizer.errors import ScenarioError
from optimizer.run import run_scenario
from optimizer.tradeoffs import alternatives, frontier

BASE = {"PS-NEW": {2026: 1}, "PS-MOD": {2029: 2}, "WATER-EXT": {2027: 1}, "PS-NORTH": {2028: 1}}


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


def test_co2e_frontier_of_three_points_is_the_hand_computed_one(tiny) -> None:
    result = frontier(tiny, "co2e", 3)
    assert result.ends == {"co2e": pytest.approx(0.0, abs=1e-6)}
    got = [(p.limits.get("co2e"), p.measures["co2e"], p.cost, p.plan.starts) for p in result.points]
    assert got == [
        (None, pytest.approx(179.8), pytest.approx(12.473333, abs=1e-5), BASE),
        (
            pytest.approx(89.9),
            pytest.approx(52.8),
            pytest.approx(50.866667, abs=1e-5),
            {"PS-EXT": {2026: 1}, "PS-MOD": {2029: 2}},
        ),
        (pytest.approx(0.0, abs=1e-5), 0.0, pytest.approx(90.0), {}),
    ]
    # the step to 89.9 t swaps the new preschool for the extension and drops the north area
    step = {(c.candidate, c.kind) for c in result.points[1].changes}
    assert step == {
        ("PS-EXT", "enters"),
        ("PS-NEW", "leaves"),
        ("PS-NORTH", "leaves"),
        ("WATER-EXT", "leaves"),
    }
    assert result.knee == 1 and result.stopped is None


def test_score_frontier_raises_the_score_of_a_tagged_extension() -> None:
    """A goal counting only PS-EXT (tagged social): the optimum scores 0; at least 0.5 or 1
    point needs PS-EXT instead of PS-NEW (31.2567); no plan scores more than 1."""
    tiny = RawTiny().candidate("PS-EXT", tags="social")
    tiny.settings(
        lambda s: s.update(
            criteria=[{"id": "social", "name": "Social sustainability", "tags": ["social"]}]
        )
    )
    result = frontier(tiny.scenario(), "score", 3)
    assert result.ends == {"score": pytest.approx(1.0)}
    assert [round(p.cost, 4) for p in result.points] == [12.4733, 31.2567, 31.2567]
    assert [p.measures["score"] for p in result.points] == [0.0, 1.0, 1.0]
    assert result.points[1].plan.starts["PS-EXT"] == {2026: 1}


def test_frontier_of_a_measure_the_optimum_already_minimises_has_one_point(tiny) -> None:
    """Hard coverage is out of reach (8 place-years short whatever is built): nothing to trade."""
    result = frontier(tiny, "shortfall", 4)
    assert [p.measures["shortfall"] for p in result.points] == [8.0]


def test_grid_of_two_measures_limits_both(tiny) -> None:
    result = frontier(tiny, ("co2e", "budget"), 2)
    assert result.axes == ("co2e", "budget")
    assert {"budget"} in [set(p.limits) for p in result.points]
    assert {"co2e", "budget"} in [set(p.limits) for p in result.points]
    for point in result.points:
        for measure, limit in point.limits.items():
            assert point.measures[measure] <= limit + 1e-6


def test_alternatives_within_5_percent_are_the_one_hand_computed_plan(tiny) -> None:
    """Within 5 % (13.097 MSEK) only the water main a year earlier differs from the optimum
    (one year of salvage lost, 1.5·1/50 = 0.03): the search for a second finds none."""
    found = alternatives(tiny, 0.05, 3)
    assert found.cost_limit == pytest.approx(12.473333 * 1.05, abs=1e-5)
    assert [a.plan.starts for a in found.alternatives] == [{**BASE, "WATER-EXT": {2026: 1}}]
    assert found.alternatives[0].cost == pytest.approx(12.503333, abs=1e-5)
    assert found.alternatives[0].changed == 2  # WATER-EXT 2027 out, 2026 in
    assert found.stopped_status == "infeasible"
    assert found.must_haves() == ["PS-MOD", "PS-NEW", "PS-NORTH", "WATER-EXT"]
    assert found.interchangeable() == []


def test_alternatives_within_50_percent_differ_from_each_other(tiny) -> None:
    found = alternatives(tiny, 0.5, 2)
    plans = [a.plan.starts for a in found.plans]
    assert len(found.alternatives) == 2
    assert all(plans[i] != plans[j] for i in range(3) for j in range(i))
    assert all(a.cost <= found.cost_limit + 1e-6 for a in found.alternatives)


def test_prefer_a_tag_no_candidate_has_is_refused(tiny) -> None:
    with pytest.raises(ScenarioError, match="SDG99"):
        alternatives(tiny, 0.05, 1, prefer="SDG99")


def test_checker_catches_a_plan_outside_its_frontier_limit_or_cost_slack(tiny) -> None:
    plan = run_scenario(tiny, shadow_prices=False)
    assert check_tradeoffs(tiny, plan, {"co2e": 180.0}, plan.objective) == []
    limits = {"co2e": 100.0, "shortfall": 7.0, "budget": 19.0, "debt": -1.0, "score": 1.0}
    found = check_tradeoffs(tiny, plan, limits, plan.objective - 1)
    assert [v.constraint for v in found] == [*TRADEOFF_KINDS]
    assert found[0].amount == pytest.approx(79.8)


def test_a_goal_in_an_unknown_district_is_refused() -> None:
    tiny = RawTiny().settings(
        lambda s: s.update(criteria=[{"id": "equity", "districts": ["nowhere"]}])
    )
    with pytest.raises(ScenarioError) as error:
        tiny.scenario()
    assert [(p.field, p.message) for p in error.value.problems] == [
        ("criteria[1].districts", "unknown district 'nowhere' (the scenario defines none)")
    ]


def test_frontier_command_writes_reports_json_and_every_point(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "front"
    result = CliRunner().invoke(
        app, ["frontier", str(TINY), "--axis", "co2e", "--points", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads((out / "frontier.json").read_text())
    assert [round(p["cost"], 4) for p in payload["points"]] == [12.4733, 50.8667, 90.0]
    assert sorted(p.name for p in (out / "points").iterdir()) == ["00", "01", "02"]
    html = (out / "frontier.html").read_text()
    assert 'lang="sv"' in html and "Effektiv front" in html
    # the terminal speaks Swedish too: each point as it is solved, the table, the legend
    said = " ".join(result.output.split())
    assert "Optimum: 12,47 MSEK" in said and "CO2e ≤ 0,0: 90,00 MSEK" in said
    assert "Effektiv front: Kostnad mot CO2e" in said and "Rapporter: " in said
    assert "Vad som ändras: + projekt som tillkommer" in said and "Efficient" not in said
    sheet = load_workbook(out / "frontier.xlsx")["Front"]
    assert sheet.cell(2, 4).value == pytest.approx(12.473333, abs=1e-5)
    # what changes at each step names the projects (frontier.html said 'PS-EXT tillkommer')
    assert "PS-EXT Preschool extension (10 places) tillkommer (2026)" in html
    changes = list(load_workbook(out / "frontier.xlsx")["Ändringar"].iter_rows(values_only=True))
    assert changes[0][:3] == ("Punkt", "Projekt-id", "Namn")
    assert (1, "PS-EXT", "Preschool extension (10 places)") in [r[:3] for r in changes]
    # the folder is the user's now: a second run does not replace it without --force
    again = CliRunner().invoke(app, ["frontier", str(TINY), "--points", "3", "--out", str(out)])
    assert again.exit_code != 0
    assert (out / "frontier.json").read_text() == json.dumps(
        payload, indent=2, ensure_ascii=False
    ) + "\n"


def test_alternatives_command_in_english(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["alternatives", str(TINY), "--within", "5%", "--count", "2", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "results").iterdir()
    payload = json.loads((folder / "alternatives.json").read_text())
    assert len(payload["plans"]) == 2 and payload["stopped_status"] == "infeasible"
    assert "Near-optimal alternatives" in (folder / "alternatives.html").read_text()
    assert "Must-haves (in every plan): PS-MOD, PS-NEW, PS-NORTH, WATER-EXT" in result.output
    assert "  Alternative 1: 12.50 MSEK, 2 start decisions changed" in result.output
    assert "Only 1 alternative exists within the slack (infeasible)." in result.output


def test_alternatives_that_stop_early_say_why_in_swedish(tmp_path: Path, monkeypatch) -> None:
    """'Bara 1 alternativ finns inom marginalen (infeasible)': the status stayed English."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["alternatives", str(TINY), "--within", "5%", "--count", "3", "--out", "alt"]
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Bara 1 alternativ finns inom marginalen (ogenomförbar)." in said
    assert "infeasible" not in said


def test_within_that_is_not_a_percentage_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["alternatives", str(TINY), "--within", "lots"])
    assert result.exit_code != 0
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("axes", [("co2e", "co2e"), (), ("co2e", "budget", "debt")])
def test_a_frontier_is_against_one_measure_or_two_different_ones(tiny, axes) -> None:
    with pytest.raises(ValueError, match="one measure or two different ones"):
        frontier(tiny, axes, 3)


def test_debt_frontier_without_debt_rules_names_the_missing_setting(tiny) -> None:
    with pytest.raises(ScenarioError) as error:
        frontier(tiny, "debt", 3)
    (problem,) = error.value.problems
    assert (problem.file, problem.field) == ("scenario.toml", "debt")
    assert "no [debt]" in problem.message


def test_frontier_of_a_scenario_without_a_plan_says_so_with_exit_3() -> None:
    """Hard coverage on tiny: 43 places are needed in 2029 and at most 40 can be built."""
    from optimizer.tradeoffs import NoOptimum

    scenario = RawTiny().settings(lambda s: s["scenario"].update(hard_coverage=True)).scenario()
    with pytest.raises(NoOptimum, match="nothing to trade against") as error:
        frontier(scenario, "co2e", 3)
    assert error.value.exit_code == 3


def test_prefer_a_tag_builds_the_tagged_project_when_the_slack_allows() -> None:
    """PS-EXT tagged social: within 60 % (≤ 19.96 MSEK) no plan with PS-EXT fits (the cheapest
    is 31.2567), within 160 % (≤ 32.43) it does, and --prefer social builds it."""
    scenario = RawTiny().candidate("PS-EXT", tags="social").scenario()
    tight = alternatives(scenario, 0.6, 1, prefer="social")
    assert all("PS-EXT" not in a.plan.starts for a in tight.plans)
    loose = alternatives(scenario, 1.6, 1, prefer="social")
    assert "PS-EXT" in loose.alternatives[0].plan.starts
    assert loose.interchangeable() and "PS-EXT" in loose.interchangeable()


def test_the_far_end_plan_is_checked_but_claims_no_cost(tiny) -> None:
    """The far end minimises the measure alone, so nothing holds shortfall, emergency places or
    borrowing at their cheapest: its plan states no cost (Östersund's far end claimed 9.6 MSEK
    more than the checker recomputed), and every limit is still checked (run_scenario raises).
    Tiny's least CO2e is building nothing: 0 t."""
    from optimizer.check import plan_measures
    from optimizer.model import BuildOptions

    plan = run_scenario(tiny, options=BuildOptions(extreme="co2e"), shadow_prices=False)
    assert plan.has_solution and plan.objective is None
    assert plan_measures(tiny, plan)["co2e"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    ("lang", "changed", "line"),
    [
        ("sv", 1, "  Alternativ 2: 13,00 MSEK, 1 startbeslut ändrat (0,2 s)"),
        ("sv", 3, "  Alternativ 2: 13,00 MSEK, 3 startbeslut ändrade (0,2 s)"),
        ("en", 1, "  Alternative 2: 13.00 MSEK, 1 start decision changed (0.2 s)"),
        ("en", 3, "  Alternative 2: 13.00 MSEK, 3 start decisions changed (0.2 s)"),
    ],
)
def test_alternative_progress_line_has_singular_and_plural(lang, changed, line) -> None:
    from types import SimpleNamespace

    from optimizer.report.tradeoffs import alternative_line

    found = SimpleNamespace(cost=13.0, changed=changed, seconds=0.2)
    assert alternative_line(found, 2, lang) == line


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("sv", "  brist ≤ 12,0, högsta skuld ≤ 300,0: ingen plan"),
        ("en", "  shortfall ≤ 12.0, peak debt ≤ 300.0: no plan"),
    ],
)
def test_frontier_progress_line_names_the_measure_in_the_language(lang, line) -> None:
    """The limit of a point read 'shortfall ≤ 12,0' and 'debt ≤ 300,0' in Swedish too: the
    measure's id, not a word."""
    from optimizer.model.options import MEASURES
    from optimizer.report.i18n import translator
    from optimizer.report.tradeoffs import point_line

    assert point_line(None, {"shortfall": 12.0, "debt": 300.0}, lang) == line
    t = translator(lang)
    words = [point_line(None, {m: 1.0}, lang).split(" ≤ ")[0].split(" ≥ ")[0] for m in MEASURES]
    assert words == [f"  {t(f'limit_{m}')}" for m in MEASURES]
    assert all(t(f"limit_{m}") != f"limit_{m}" for m in MEASURES)


def test_alternatives_matrix_names_each_project(tmp_path: Path, monkeypatch) -> None:
    """alternatives.xlsx and .html listed the projects by id alone ('PS-MOD')."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "alt"
    result = CliRunner().invoke(
        app, ["alternatives", str(TINY), "--within", "5%", "--count", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out / "alternatives.xlsx")["Projekt"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Projekt-id", "Namn", "Måste-projekt (i alla planer)")
    assert ("PS-MOD", "Modular preschool unit (5 places)", "ja") in [r[:3] for r in rows[1:]]
    html = (out / "alternatives.html").read_text(encoding="utf-8")
    assert "<td>Modular preschool unit (5 places)</td>" in html
