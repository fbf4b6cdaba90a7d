"""Yearly re-optimisation (replan) and explanations (explain) on tiny, checked by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_edits import run_cli
from scenario_factory import TINY, tiny_copy

import optimizer
from optimizer.errors import ScenarioError
from optimizer.explain import explain
from optimizer.io.results import sha256, write_results
from optimizer.replan import load_adopted, replan
from optimizer.run import run_scenario

BASE_STARTS = {
    "PS-NEW": {2026: 1},
    "PS-MOD": {2029: 2},
    "WATER-EXT": {2027: 1},
    "PS-NORTH": {2028: 1},
}
# A second water main: never worth it in the base variant (water demand ≤ 108 < 110 standing),
# but in the high variant water demand reaches 140 in 2030 against 130 with WATER-EXT.
WATER_2 = "WATER-2,Second water main,TEK,,2,1,1,2026,2029,50,0,0,10,0,va,0,no,,,,1,1,,\n"


def adopted_plan(tmp_path: Path, folder: Path = TINY) -> Path:
    scenario = optimizer.load_scenario(folder)
    plan = run_scenario(scenario)
    assert plan.starts == BASE_STARTS
    out = tmp_path / "adopted"
    write_results(plan, scenario, out)
    return out


def test_past_budgets_are_history(tmp_path: Path) -> None:
    """A started project whose cost rose still stands; only the years from Y on are limited."""
    adopted = load_adopted(adopted_plan(tmp_path))
    candidates = (
        (TINY / "candidates.csv")
        .read_text()
        .replace(
            "PS-NEW,New preschool (20 places),BUF,,10,0.5|0.5,",
            "PS-NEW,New preschool (20 places),BUF,,10,0.9|0.1,",
        )
    )
    # 9 MSEK in 2026 exceeds that year's 8 MSEK budget, but 2026 is history when replanning 2027
    folder = tiny_copy(tmp_path / "history", files={"candidates.csv": candidates})
    plan, _ = replan(optimizer.load_scenario(folder), adopted, 2027)
    assert plan.status == "optimal"
    assert plan.starts["PS-NEW"] == {2026: 1}


def test_unchanged_inputs_change_nothing(tmp_path: Path) -> None:
    adopted = load_adopted(adopted_plan(tmp_path))
    for year in (2026, 2027, 2028, 2030):
        plan, changes = replan(optimizer.load_scenario(TINY), adopted, year)
        assert changes == []
        assert plan.starts == BASE_STARTS
        assert plan.objective_terms.get("stability", 0.0) == pytest.approx(0.0)


def test_higher_population_adds_what_hand_arithmetic_predicts(tmp_path: Path) -> None:
    """High variant from 2027: water demand 130 (2029) and 140 (2030) vs 130 with WATER-EXT.

    WATER-2 (+20 pe, 2 MSEK, VA budget 2/yr) removes 10 pe-years of shortfall (10 MSEK) in 2030;
    started in 2029 it is in service 2030 and keeps the most salvage value, so it is added in 2029.
    Preschool cannot grow: PS-EXT is excluded by the started PS-NEW, modules are at their maximum.
    """
    folder = tiny_copy(
        tmp_path, append={"candidates.csv": WATER_2, "candidate_capacity.csv": "WATER-2,water,20\n"}
    )
    adopted = load_adopted(adopted_plan(tmp_path, folder))
    plan, changes = replan(optimizer.load_scenario(folder, "high"), adopted, 2027)
    assert [(c.candidate, c.kind, c.new_start) for c in changes] == [("WATER-2", "added", 2029)]
    assert plan.starts == {**BASE_STARTS, "WATER-2": {2029: 1}}
    # with the adopted decisions locked until 2029 the main could only open after the horizon
    _, locked = replan(optimizer.load_scenario(folder, "high"), adopted, 2027, lock_years=3)
    assert locked == []


def test_a_started_candidate_is_never_removed(tmp_path: Path) -> None:
    adopted_dir = adopted_plan(tmp_path)
    adopted = load_adopted(adopted_dir)
    # PS-NEW (started 2026) is found to add no places after all: it stays, being under way
    capacity = (
        (TINY / "candidate_capacity.csv")
        .read_text()
        .replace("PS-NEW,preschool,20", "PS-NEW,preschool,0")
    )
    useless = tiny_copy(tmp_path / "useless", files={"candidate_capacity.csv": capacity})
    plan, changes = replan(optimizer.load_scenario(useless), adopted, 2027)
    assert plan.starts["PS-NEW"] == {2026: 1}
    assert "PS-NEW" not in {c.candidate for c in changes}
    # …but replanning from 2026, when nothing had started, the useless preschool is dropped
    plan, changes = replan(optimizer.load_scenario(useless), adopted, 2026)
    assert "PS-NEW" not in plan.starts
    assert ("PS-NEW", "removed") in {(c.candidate, c.kind) for c in changes}
    candidates = (TINY / "candidates.csv").read_text()
    # deleting a started candidate from the scenario is an input error, not a silent drop
    rows = [line for line in candidates.splitlines() if not line.startswith("PS-NEW,")]
    capacity_rows = [
        line
        for line in (TINY / "candidate_capacity.csv").read_text().splitlines()
        if not line.startswith("PS-NEW,")
    ]
    gone = tiny_copy(
        tmp_path / "gone",
        files={
            "candidates.csv": "\n".join(rows) + "\n",
            "candidate_capacity.csv": "\n".join(capacity_rows) + "\n",
        },
    )
    with pytest.raises(ScenarioError) as error:
        replan(optimizer.load_scenario(gone), adopted, 2027)
    assert "PS-NEW" in str(error.value) and "cannot be dropped" in str(error.value)


def test_cli_replan_keeps_the_adopted_plan_and_records_it(tmp_path: Path) -> None:
    adopted_dir = adopted_plan(tmp_path)
    before = {p.name: sha256(p) for p in adopted_dir.rglob("*") if p.is_file()}
    out = tmp_path / "replan"
    code, stdout, err = run_cli(
        "replan", TINY, "--adopted", adopted_dir,
        "--year", "2027", "--variant", "high", "--out", out, "--quiet",
    )  # fmt: skip
    assert code == 0, err
    assert "Inga ändringar i den antagna planen från 2027." in stdout  # sv by default
    assert {p.name: sha256(p) for p in adopted_dir.rglob("*") if p.is_file()} == before
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["replan"]["year"] == 2027
    assert manifest["replan"]["adopted_plan_sha256"] == sha256(adopted_dir / "plan.json")
    for name in ("changes.csv", "input_changes.csv", "what-changed.html", "what-changed.xlsx"):
        assert (out / name).is_file()
    differences = (out / "input_changes.csv").read_text()
    assert "population" in differences  # the high variant's projection differs from base


def test_bad_adopted_plan_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "plan.json"
    broken.write_text(
        '{"status": "optimal", "schedule": [{"candidate": "PS-NEW", "start_year": "soon"}]}'
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer.cli",
            "replan",
            str(TINY),
            "--adopted",
            str(broken),
            "--year",
            "2027",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "schedule[1].start_year" in result.stderr and "Traceback" not in result.stderr


def _brute_force(
    tmp_path: Path, name: str, candidates_text: str | None, drop: str | None = None
) -> float:
    """Re-solve a copy of tiny with the candidate table edited by hand."""
    files = {}
    if candidates_text is not None:
        files["candidates.csv"] = candidates_text
    if drop is not None:
        for table in ("candidates.csv", "candidate_capacity.csv", "dependencies.csv"):
            lines = (TINY / table).read_text().splitlines()
            files[table] = (
                "\n".join(line for line in lines if not line.startswith(drop + ",")) + "\n"
            )
    folder = tiny_copy(tmp_path / name, files=files)
    return run_scenario(optimizer.load_scenario(folder)).objective


def test_explain_equals_brute_force_resolves(tmp_path: Path) -> None:
    base = run_scenario(optimizer.load_scenario(TINY))
    answers = {
        a.action: a
        for a in explain(TINY, "base", base.starts, base.objective, "PS-NORTH", workers=2)
    }
    north = "PS-NORTH,Preschool in the new area (10 places),BUF,,6,1,1,2026,2029,40,0,2,45,0.5,tax,0,no,,"
    text = (TINY / "candidates.csv").read_text()
    assert north in text
    committed = {year: text.replace(north, north[:-1] + f",{year}") for year in (2027, 2029)}
    expected = {
        "force_out": _brute_force(tmp_path, "out", None, drop="PS-NORTH"),
        "force_in_earliest": _brute_force(tmp_path, "in", committed[2027]),
        "one_year_earlier": _brute_force(tmp_path, "earlier", committed[2027]),
        "one_year_later": _brute_force(tmp_path, "later", committed[2029]),
    }
    for action, objective in expected.items():
        assert answers[action].status == "optimal"
        assert answers[action].cost_difference == pytest.approx(
            objective - base.objective, abs=1e-6
        )
    assert answers["force_out"].cost_difference == pytest.approx(19.61, abs=1e-6)


# ---- which input change causes which move ------------------------------------------------
def changed_inputs(tmp_path: Path) -> tuple[Path, Path]:
    """An adopted plan of tiny (with a second water main on the list) and next year's inputs:
    the population projection changed (the high variant) and, as a control that moves
    nothing, 1 MSEK more tax budget in 2030."""
    extra = {"candidates.csv": WATER_2, "candidate_capacity.csv": "WATER-2,water,20\n"}
    adopted = adopted_plan(tmp_path, tiny_copy(tmp_path, append=extra))
    budgets = (TINY / "budgets.csv").read_text()
    assert "tax,2030,8" in budgets
    budgets = budgets.replace("tax,2030,8", "tax,2030,9")
    return adopted, tiny_copy(tmp_path / "next", append=extra, files={"budgets.csv": budgets})


def test_each_move_is_attributed_to_the_input_change_that_causes_it(tmp_path: Path) -> None:
    from optimizer.replan_attribution import attribute_changes
    from optimizer.replan_inputs import input_differences

    adopted_dir, next_year = changed_inputs(tmp_path)
    adopted = load_adopted(adopted_dir)
    new = optimizer.load_scenario(next_year, "high")
    plan, changes = replan(new, adopted, 2027)
    old = adopted.scenario()
    diffs = input_differences(old, new)
    assert set(diffs["table"]) == {"population", "budgets"}
    attribution = attribute_changes(changes, plan, old, new, diffs, adopted, 2027)
    assert [(c.candidate, c.kind, c.causes) for c in changes] == [
        ("WATER-2", "added", ["population"])
    ]
    groups = {g.key: g for g in attribution.groups}
    assert groups["population"].moves == ["WATER-2"]
    assert groups["budgets"].moves == []
    # more budget can only make the plan cheaper or leave it; more people cost shortfall
    assert groups["budgets"].cost <= 1e-6
    assert groups["population"].cost > 0
    assert attribution.cost == pytest.approx(plan.objective - plan.objective_terms["stability"])
    assert attribution.stability_paid == pytest.approx(new.settings.replan.stability_price)
    # a free re-optimisation can only be as cheap or cheaper than the stable plan
    assert attribution.stability_cost >= -1e-6


@pytest.fixture(scope="module")
def replanned(tmp_path_factory) -> dict[str, tuple[int, str, str, Path]]:
    """``capplan replan`` of ``changed_inputs`` once per language (Swedish by default, English
    with --lang en), in this process: {lang: (exit code, stdout, stderr, results folder)}. The
    report files and the terminal table are two views of the same command; one run each
    serves both tests instead of two runs each."""
    root = tmp_path_factory.mktemp("replanned")
    adopted_dir, next_year = changed_inputs(root)
    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "200")  # no wrapped headers in the terminal table
        for lang in ("sv", "en"):
            out = root / f"replan-{lang}"
            chosen = [] if lang == "sv" else ["--lang", "en"]
            answer = run_cli(
                "replan", next_year, "--adopted", adopted_dir, "--year", "2027",
                "--variant", "high", "--out", out, "--quiet", *chosen,
            )  # fmt: skip
            runs[lang] = (*answer, out)
    return runs


def test_what_changed_reports_in_swedish_and_english_with_rounded_numbers(replanned) -> None:
    from openpyxl import load_workbook

    for lang, words in (("sv", "Vad som ändrats och varför"), ("en", "What changed and why")):
        code, _, err, out = replanned[lang]
        assert code == 0, err
        html = (out / "what-changed.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html and words in html
        assert "population.csv" in html and "WATER-2" in html
        # numbers as the other reports write them: one decimal, the language's separator
        objective = json.loads((out / "plan.json").read_text())["objective"]
        assert repr(objective) not in html
        rounded = f"{objective:.1f}"
        assert (rounded.replace(".", ",") if lang == "sv" else rounded) in html
        book = load_workbook(out / "what-changed.xlsx")
        changes = book.worksheets[1]
        assert [c.value for c in changes[2]][:5] == [
            "WATER-2",
            "Second water main",
            "tillagd" if lang == "sv" else "added",
            None,
            2029,
        ]
        assert "population.csv" in changes.cell(row=2, column=8).value
        assert "caused_by" in (out / "changes.csv").read_text().splitlines()[0]
        # a changed population row's key without its empty district part, as people read it
        inputs = book.worksheets[-1]
        assert [c.value for c in inputs[2]][:2] == ["population", "2027, 1-5"]
        assert "<td>2027, 1-5</td>" in html and "2027,,1-5" not in html


# ---- the newer tables: other investment, emergency options --------------------------------
REPLAN_WORDS = {
    "sv": [
        "Vad som ändrats från 2027 och varför",
        "┃ Projekt-id ┃ Ändring ┃ Antagen start ┃ Ny start ┃ Orsakas av ┃ Detaljer ┃",
        "│ WATER-2 │ tillagd │ – │ 2029 │ population.csv │",
        # the details: the service by its name, numbers and unit as the reports write them
        "│ behovet av Water supply har ändrats med +32 pe till 2030 (108 → 140) │",
        "• population.csv: ensam ändrar den planens kostnad med +32,0 MSEK och flyttar WATER-2",
        "Tidsplan (5 investeringar)",
        "Budgetutnyttjande: hela ramen",
    ],
    "en": [
        "What changed from 2027 on, and why",
        "┃ Project id ┃ Change ┃ Adopted start ┃ New start ┃ Caused by ┃ Details ┃",
        "│ WATER-2 │ added │ – │ 2029 │ population.csv │",
        "│ demand for Water supply changed by +32 pe by 2030 (108 → 140) │",
        "• population.csv: alone, it changes the plan's cost by +32.0 MSEK and moves WATER-2",
        "Schedule (5 investments)",
        "Budget use: the whole frame",
    ],
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_cli_replan_prints_what_changed_in_the_report_language(lang: str, replanned) -> None:
    """The terminal table of moves, their causes and the summary above it follow --lang
    (Swedish by default), as what-changed.html does."""
    code, stdout, err, _ = replanned[lang]
    assert code == 0, err
    text = " ".join(stdout.split())
    for words in REPLAN_WORDS[lang]:
        assert words in text, words
    assert REPLAN_WORDS["en" if lang == "sv" else "sv"][0] not in text


def test_other_investment_added_since_adoption_is_an_input_change_that_drops_ps_north(
    tmp_path: Path,
) -> None:
    """3 MSEK of other tax investment a year from 2027 leaves 5 of the 8 MSEK tax ceiling:
    PS-NORTH's 6 in one year no longer fits, so it is dropped, and the replan names
    other_investments.csv as the cause (docs/model.md, the whole frame). The water main stays:
    dropping it saves its 0.09 MSEK net of salvage, less than the stability price."""
    from scenario_factory import RawTiny

    from optimizer.replan_attribution import attribute_changes
    from optimizer.replan_inputs import input_differences

    adopted_dir = adopted_plan(tmp_path)
    adopted = load_adopted(adopted_dir)
    new = (
        RawTiny()
        .table(
            "other_investments",
            "year,pool,amount,description",
            *(f"{y},tax,3,streets" for y in range(2027, 2031)),
        )
        .scenario()
    )
    plan, changes = replan(new, adopted, 2027)
    old = adopted.scenario()
    diffs = input_differences(old, new)
    assert set(diffs["table"]) == {"other_investments"}
    assert sorted(diffs["key"]) == [f"{y},tax,,streets,1" for y in range(2027, 2031)]
    assert set(diffs["change"]) == {"added"}
    attribution = attribute_changes(changes, plan, old, new, diffs, adopted, 2027)
    assert [(c.candidate, c.kind, c.causes) for c in changes] == [
        ("PS-NORTH", "removed", ["other_investments"])
    ]
    (group,) = attribution.groups
    assert (group.key, group.moves) == ("other_investments", ["PS-NORTH"])


def test_a_changed_emergency_option_and_other_investment_amount_are_listed_cell_by_cell() -> None:
    from scenario_factory import RawTiny

    from optimizer.replan_inputs import input_differences

    def tiny(pavilion_cost: str, streets: str):
        return (
            RawTiny()
            .table(
                "emergency_options",
                "id,service,cost,max_units",
                f"PAVILION,preschool,{pavilion_cost},10",
            )
            .table(
                "other_investments",
                "year,pool,amount,description",
                "2027,tax,1,streets",
                f"2027,tax,{streets},streets",
            )
            .scenario()
        )

    diffs = input_differences(tiny("0.3", "2"), tiny("0.4", "2.5"))
    rows = sorted(diffs[["table", "key", "change", "field", "adopted", "now"]].itertuples(False))
    assert [tuple(r) for r in rows] == [
        ("emergency_options", "PAVILION", "changed", "cost", "0.3", "0.4"),
        ("other_investments", "2027,tax,,streets,2", "changed", "amount", "2", "2.5"),
    ]


def test_every_input_table_is_compared_and_can_be_applied_alone() -> None:
    """A table added to the scenario format must be in the replan's comparison, or a change in
    it would move the plan with no input change named as the cause."""
    from optimizer.replan_attribution import CANDIDATE_TABLES, TABLE_FIELDS
    from optimizer.replan_inputs import TABLE_KEYS
    from optimizer.schema.tables import ROW_MODELS

    assert set(ROW_MODELS) <= set(TABLE_KEYS)
    assert set(TABLE_KEYS) <= set(CANDIDATE_TABLES) | set(TABLE_FIELDS)
