"""What a realistic user does wrong on the command line, and the message and exit code they get.

Each test is named after what the user did; the corpus of bad scenario cells is in
``bad_inputs/``, lost and overwritten files in ``test_nothing_lost.py``.
"""

from __future__ import annotations

from pathlib import Path

from scenario_edits import copy_tiny, run_cli, set_cell


def test_compare_two_scenario_folders_with_a_bad_cell_in_the_second_names_its_folder(
    tmp_path: Path,
) -> None:
    """Both folders have a candidates.csv: 'candidates.csv, row 2' alone sends the planner to
    the wrong file."""
    first = copy_tiny(tmp_path, "Åre 2027")
    second = copy_tiny(tmp_path, "Åre 2028")
    set_cell(second, "candidates.csv", 2, "capex", "tio")
    code, out, err = run_cli("compare", first, second, "--out", tmp_path / "jämförelse")
    assert code == 2
    assert f"  • {second}/candidates.csv, row 2, field 'capex': 'tio' is not a number" in err
    assert f"{first}/" not in err
    assert not (tmp_path / "jämförelse").exists()


def test_compare_two_scenario_folders_both_with_problems_lists_each_folders(
    tmp_path: Path,
) -> None:
    first = copy_tiny(tmp_path, "Östersund")
    second = copy_tiny(tmp_path, "Åre")
    set_cell(first, "budgets.csv", 3, "ceiling", "åtta")
    (second / "scenario.toml").unlink()
    code, out, err = run_cli("compare", first, second, "--out", tmp_path / "jämförelse")
    assert code == 2
    assert "The scenario has 2 problems:" in err
    assert f"  • {first}/budgets.csv, row 3, field 'ceiling': 'åtta' is not a number" in err
    assert f"  • {second}/scenario.toml: is missing: every scenario folder needs one" in err


def test_compare_variants_of_one_scenario_keeps_the_file_names_short(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "candidates.csv", 2, "capex", "tio")
    code, out, err = run_cli("compare", folder, "--variants", "base,high", "--out", tmp_path / "c")
    assert code == 2
    assert "  • candidates.csv, row 2, field 'capex': 'tio' is not a number" in err
