"""What a realistic user does wrong on the command line, and the message and exit code they get.

Each test is named after what the user did; the corpus of bad scenario cells is in
``bad_inputs/``, lost and overwritten files in ``test_nothing_lost.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scenario_edits import TINY, copy_tiny, run_cli, set_cell


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


OSTERSUND = Path(__file__).parents[1] / "scenarios" / "ostersund-2040"


def _ostersund_projection(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "Östersund 2040"
    shutil.copytree(OSTERSUND, folder)
    settings = folder / "projection.toml"
    text = settings.read_text(encoding="utf-8")
    assert old in text
    settings.write_text(text.replace(old, new), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "typed", "said"),
    [
        pytest.param(
            "2024 = 64979",
            "2024 = 6497",
            "  • projection.toml, field 'known_totals.2024': 6497 inhabitants needs a net "
            "migration of -58320 in 2024, which empties an age group; check the number",
            id="a-published-total-missing-a-digit",
        ),
        pytest.param(
            "total = 75000",
            "total = 75",
            "  • projection.toml, field 'variants.target': 75 inhabitants in 2040 needs a net "
            "migration of -3743 a year, which empties an age group by 2030; check the number",
            id="a-variant-total-typed-in-thousands",
        ),
    ],
)
def test_project_with_a_mistyped_total_names_it_and_keeps_the_population(
    tmp_path: Path, old: str, typed: str, said: str
) -> None:
    folder = _ostersund_projection(tmp_path, old, typed)
    shipped = (folder / "population.csv").read_bytes()
    code, out, err = run_cli("project", folder, "--force", "--quiet")
    assert code == 2
    assert said in err
    assert (folder / "population.csv").read_bytes() == shipped


def test_project_out_is_a_folder_named_like_a_csv_asks_for_a_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "Östersund 2040"
    shutil.copytree(OSTERSUND, folder)
    (tmp_path / "befolkning.csv").mkdir()
    code, out, err = run_cli("project", folder, "--out", tmp_path / "befolkning.csv", "--quiet")
    assert code == 1
    assert f"Error: {tmp_path}/befolkning.csv is a folder; choose a file name ending in .csv" in err


@pytest.fixture(scope="module")
def tiny_result(tmp_path_factory) -> Path:
    """A results folder of tiny, as ``capplan run`` writes it."""
    base = tmp_path_factory.mktemp("hostile")
    code, out, err = run_cli("run", TINY, "--out", base / "Åre resultat", "--quiet")
    assert code == 0, err
    return base / "Åre resultat"


def test_replan_adopting_the_plan_xlsx_a_colleague_sent_asks_for_the_results_folder(
    tmp_path: Path, tiny_result: Path
) -> None:
    workbook = tiny_result / "plan.xlsx"
    code, out, err = run_cli(
        "replan", TINY, "--adopted", workbook, "--year", "2027", "--out", tmp_path / "ny"
    )
    assert code == 2
    assert (
        f"  • {workbook}: is a workbook, not a plan.json: give the results folder capplan "
        "wrote, or the plan.json in it"
    ) in err
    assert not (tmp_path / "ny").exists()


def test_explain_given_the_scenario_folder_instead_of_its_result_says_so(tmp_path: Path) -> None:
    scenario = copy_tiny(tmp_path, "Åre tiny")
    code, out, err = run_cli("explain", scenario)
    assert code == 2
    assert (
        f"  • {scenario}: is a scenario folder, not a results folder: give the folder capplan run "
        "wrote for it (its plan.json, manifest.json and inputs/)"
    ) in err


def _as_workbook(csv_file: Path) -> Path:
    """The table opened in Excel and saved with Excel's default, a workbook beside it."""
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    with open(csv_file, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            book.active.append(row)
    target = csv_file.with_suffix(".xlsx")
    book.save(target)
    csv_file.unlink()
    return target


def test_dependencies_saved_as_Dependencies_csv_are_named_not_silently_dropped(
    tmp_path: Path,
) -> None:
    """The file was not read at all and the plan was free to start PS-NORTH before its water
    main."""
    folder = copy_tiny(tmp_path, "Åre tiny")
    (folder / "dependencies.csv").rename(folder / "Dependencies.csv")
    code, out, err = run_cli("validate", folder)
    assert code == 2
    assert (
        "  • Dependencies.csv: is not read: name it dependencies.csv (capplan finds a table by "
        "its exact name, letter case too)"
    ) in err


def test_dependencies_saved_from_excel_as_a_workbook_are_named_not_silently_dropped(
    tmp_path: Path,
) -> None:
    folder = copy_tiny(tmp_path, "Åre tiny")
    _as_workbook(folder / "dependencies.csv")
    code, out, err = run_cli("run", folder, "--out", tmp_path / "resultat")
    assert code == 2
    assert (
        "  • dependencies.xlsx: is not read: save it as CSV UTF-8 (comma or semicolon "
        "separated) named dependencies.csv"
    ) in err
    assert not (tmp_path / "resultat").exists()


def test_candidates_saved_from_excel_as_a_workbook_says_so_instead_of_missing(
    tmp_path: Path,
) -> None:
    folder = copy_tiny(tmp_path, "Åre tiny")
    _as_workbook(folder / "candidates.csv")
    code, out, err = run_cli("validate", folder)
    assert code == 2
    assert "The scenario has 1 problem:" in err
    assert (
        "  • candidates.xlsx: is not read: save it as CSV UTF-8 (comma or semicolon separated) "
        "named candidates.csv"
    ) in err


def test_a_table_kept_both_as_csv_and_as_a_workbook_reads_the_csv(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path, "Åre tiny")
    shutil.copy(folder / "budgets.csv", tmp_path / "budgets.csv")
    _as_workbook(folder / "budgets.csv")
    shutil.copy(tmp_path / "budgets.csv", folder / "budgets.csv")
    code, out, err = run_cli("validate", folder)
    assert code == 0, err


@pytest.mark.parametrize("title", ["Dependencies", "dependencies "], ids=["capital", "space"])
def test_a_workbook_sheet_renamed_with_a_capital_or_a_space_is_named_not_silently_dropped(
    tmp_path: Path, title: str
) -> None:
    import openpyxl

    from optimizer.io import convert

    book = tmp_path / "Åre.xlsx"
    convert(TINY, book)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["dependencies"]
    sheet.title = "x"  # openpyxl refuses a title equal to the sheet's own but for case
    sheet.title = title
    workbook.save(book)
    code, out, err = run_cli("validate", book)
    assert code == 2
    assert (
        f"  • {book.name}, sheet {title}: is not read: name the sheet 'dependencies' (capplan finds "
        "a table by its exact name: letter case and spaces too)"
    ) in err


@pytest.mark.parametrize("table", ["population.csv", "candidates.csv"])
def test_a_required_table_emptied_down_to_its_header_row_is_one_clear_problem(
    tmp_path: Path, table: str
) -> None:
    """Rows deleted in Excel, header kept: an empty population.csv was valid and gave a plan of
    nothing at a cost of 0 'optimal (proven)'; an empty candidates.csv gave an 'unknown
    candidate' for every row that names one."""
    folder = copy_tiny(tmp_path, "Åre tiny")
    header = (folder / table).read_text(encoding="utf-8").splitlines()[0]
    (folder / table).write_text(header + "\n", encoding="utf-8")
    code, out, err = run_cli("run", folder, "--out", tmp_path / "resultat")
    assert code == 2
    assert err.splitlines()[1:] == [
        f"  • {table}: has only its header row: this table is required and needs at least one row"
    ]
    assert not (tmp_path / "resultat").exists()


@pytest.mark.parametrize(
    "blank", [",,,,\n", "\r\n", ";;;;\r\n"], ids=["commas", "empty", "semicolons"]
)
def test_a_csv_saved_with_an_empty_row_above_the_column_names_says_so_once(
    tmp_path: Path, blank: str
) -> None:
    """It was one 'column N has values but no name' per column, or one 'has 5 cells but the
    header has 0 columns' per row: never the row the user has to delete."""
    folder = copy_tiny(tmp_path, "Åre tiny")
    table = folder / "population.csv"
    table.write_text(blank + table.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_cli("validate", folder)
    assert code == 2
    assert err.splitlines()[1:] == [
        "  • population.csv, row 1: row 1 is empty: it must hold the column names"
    ]


def test_run_given_a_results_folder_instead_of_its_scenario_points_to_its_inputs(
    tiny_result: Path,
) -> None:
    code, out, err = run_cli("run", tiny_result, "--quiet")
    assert code == 2
    assert (
        f"  • {tiny_result}: is a results folder written by capplan, not a scenario folder: to "
        f"run its scenario again, give its inputs/ folder ({tiny_result / 'inputs'}), the copy "
        "of the scenario it was solved from"
    ) in err
    assert "scenario.toml: is missing" not in err
