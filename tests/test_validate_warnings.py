"""What a planner sees from ``capplan validate`` (and ``run``) for a value that looks like a slip:
the exit code and the exact line, for each case of docs/validate.md.

tiny, for reading the row numbers: candidates rows 2-6 are PS-NEW, PS-EXT, PS-MOD, WATER-EXT,
PS-NORTH; budgets rows 2-6 tax 2026-2030, 7-11 va (2 MSEK a year); population rows 2-6 base
1-5, 12-16 high 1-5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenario_edits import add_districts, append_row, copy_tiny, edit_toml, run_cli, set_cell

NO_PLAN = "No plan is possible: run reports the scenario infeasible"


def validated(folder: Path, *options: str) -> tuple[int, str]:
    code, out, err = run_cli("validate", folder, *options)
    assert "Traceback" not in out + err
    return code, out + err


def test_budget_typed_in_kronor_is_refused(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "budgets.csv", 8, "ceiling", "240000000")  # va 2027: 240 MSEK in kronor
    code, text = validated(folder)
    assert code == 2
    assert (
        "budgets.csv, row 8, field 'ceiling': '240 000 000' is beyond the sane range of an amount "
        "of money: at most 1 000 000 MSEK either way (amounts are in MSEK: was it typed in "
        "kronor?)"
    ) in text


def test_budget_typed_in_thousands_of_kronor_is_a_warning(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "budgets.csv", 4, "ceiling", "80000")  # tax 2028: 80 MSEK in tkr
    code, text = validated(folder)
    assert code == 0
    assert "is valid." in text and "1 warning:" in text
    assert (
        "  • budgets.csv, row 4, field 'ceiling': funding pool 'tax': the ceiling for 2028 is "
        "8 000× the largest investment that draws on it (10 MSEK); amounts are in MSEK: was it "
        "typed in kronor or thousands of kronor?"
    ) in text


def test_every_ceiling_typed_in_thousands_is_one_warning(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    for row in range(7, 12):
        set_cell(folder, "budgets.csv", row, "ceiling", "2000")  # va: 2 MSEK a year in tkr
    code, text = validated(folder)
    assert code == 0 and "warning" not in text  # 2000 / 3 = 667× the largest: below 1 000×
    for row in range(7, 12):
        set_cell(folder, "budgets.csv", row, "ceiling", "20000")
    code, text = validated(folder)
    assert (
        "  • budgets.csv, field 'ceiling': funding pool 'va': the ceiling for 2026-2030 is at "
        "least 6 667× the largest investment that draws on it (3 MSEK)"
    ) in text
    assert text.count("funding pool 'va'") == 1


def test_strict_makes_warnings_problems(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "budgets.csv", 4, "ceiling", "80000")
    code, text = validated(folder, "--strict")
    assert code == 2
    assert "The scenario has 1 problem:" in text
    assert "budgets.csv, row 4, field 'ceiling': funding pool 'tax'" in text
    assert "is valid" not in text


def test_json_lists_the_warnings(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "budgets.csv", 4, "ceiling", "80000")
    code, out, _ = run_cli("validate", folder, "--json")
    summary = json.loads(out)
    assert code == 0 and summary["valid"] is True
    assert [(w["file"], w["row"], w["field"]) for w in summary["warnings"]] == [
        ("budgets.csv", 4, "ceiling")
    ]
    code, out, _ = run_cli("validate", folder, "--json", "--strict")
    assert code == 2 and json.loads(out)["valid"] is False
    assert json.loads(out)["problems"] == summary["warnings"]


def test_clean_scenario_has_no_warnings_in_json() -> None:
    code, out, _ = run_cli("validate", Path("scenarios/ostersund-2040"), "--json")
    assert code == 0 and json.loads(out)["warnings"] == []


def test_capex_per_place_far_from_the_other_preschools(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "candidates.csv", 6, "capex", "600")  # PS-NORTH, 10 places
    code, text = validated(folder)
    assert code == 0
    assert (
        "  • candidates.csv, row 6, field 'capex': 600 MSEK for 10 places of preschool is 60 MSEK "
        "per unit, 150× the median of the other preschool candidates (0.4): a slip in capex or "
        "capacity?"
    ) in text


def test_budget_rows_after_the_horizon(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    append_row(folder, "budgets.csv", "tax,2031,8")
    append_row(folder, "budgets.csv", "va,2031,2")
    code, text = validated(folder)
    assert code == 0
    assert (
        "  • budgets.csv, field 'year': 2 rows for 2031, outside the horizon 2026-2030: ignored "
        "(was first_year or last_year meant to change?)"
    ) in text


def test_committed_project_alone_exceeds_the_va_budget(tmp_path: Path) -> None:
    """The issue's case: a committed project needing 320 MSEK against a VA budget of 270."""
    folder = copy_tiny(tmp_path)
    for row in range(7, 12):
        set_cell(folder, "budgets.csv", row, "ceiling", "270")
    set_cell(folder, "candidates.csv", 5, "capex", "640")  # WATER-EXT, half paid by grants
    set_cell(folder, "candidates.csv", 5, "committed_start", "2027")
    code, text = validated(folder)
    assert code == 0
    assert (
        "  • candidates.csv, row 5, field 'capex': committed project 'WATER-EXT' (start 2027) "
        "alone needs 320 MSEK from pool 'va' in 2027 (net of grants); its ceiling: 270 MSEK. "
        f"{NO_PLAN}"
    ) in text


def test_must_do_project_alone_exceeds_the_budget_in_every_start_year(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "candidates.csv", 2, "capex", "20")  # PS-NEW: 10 a year, the ceiling is 8
    set_cell(folder, "candidates.csv", 2, "must_do", "yes")
    code, text = validated(folder)
    assert code == 0
    assert (
        "  • candidates.csv, row 2, field 'capex': must-do project 'PS-NEW' (any start "
        "2026-2028; started in 2026) alone needs 10 MSEK from pool 'tax' in 2026 (net of "
        f"grants); its ceiling: 8 MSEK. {NO_PLAN}"
    ) in text


@pytest.mark.parametrize(
    "with_districts, known",
    [(True, "(known: north, south)"), (False, "(the scenario defines none)")],
    ids=["known listed", "none defined"],
)
def test_unknown_district_lists_the_known_ones(
    tmp_path: Path, with_districts: bool, known: str
) -> None:
    folder = copy_tiny(tmp_path)
    if with_districts:
        add_districts(folder)
    set_cell(folder, "candidates.csv", 2, "district", "Alsike")
    code, text = validated(folder)
    assert code == 2
    assert f"  • candidates.csv, row 2, field 'district': unknown district 'Alsike' {known}" in text


def test_misspelt_district_gets_a_did_you_mean(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    add_districts(folder)
    set_cell(folder, "candidates.csv", 2, "district", "nort")
    code, text = validated(folder)
    assert code == 2
    assert (
        "  • candidates.csv, row 2, field 'district': unknown district 'nort'; did you mean "
        "'north'? (known: north, south)"
    ) in text


def test_age_group_with_an_excel_en_dash_is_read_as_the_hyphen(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    for row in range(2, 7):
        set_cell(folder, "population.csv", row, "age_group", "1\u20135")
    code, text = validated(folder, "--variant", "base")
    assert code == 0
    assert (
        "  • population.csv, row 2, field 'age_group': '1\u20135' read as '1-5' on 5 rows "
        "('\u2013' (U+2013) taken as '-')"
    ) in text


def test_district_with_a_no_break_space_and_capitals_is_read_as_the_id(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    add_districts(folder)
    edit_toml(folder, 'id = "south"', 'id = "south side"')
    edit_toml(folder, 'neighbours = ["south"]', 'neighbours = ["south side"]')
    for row in (4, 6):
        set_cell(folder, "candidates.csv", row, "district", "South\u00a0side")
    text = (
        (folder / "population.csv").read_text(encoding="utf-8").replace(",south,", ",south side,")
    )
    (folder / "population.csv").write_text(text, encoding="utf-8")
    code, shown = validated(folder, "--variant", "base")
    assert code == 0, shown
    assert (
        "  • candidates.csv, row 4, field 'district': 'South\\xa0side' read as 'south side' on 2 "
        "rows (a non-breaking space taken as a space, letter case)"
    ) in shown  # the no-break space made visible


def test_run_prints_the_warnings_before_solving(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    append_row(folder, "budgets.csv", "tax,2031,8")
    code, out, err = run_cli("run", folder, "--out", tmp_path / "result", "--quiet")
    assert code == 0
    assert err.startswith("1 warning:\n  • budgets.csv, row 12, field 'year': a row for 2031,")
    assert "Status: optimal" in out
