"""A table as a planner keeps it in Excel: a title above the column names, blank rows, a total
row at the bottom. Each is one message naming file (and sheet), the row as Excel shows it and
what to do; it was one message a column or a field (docs/validate.md, "Sheet layout").

tiny, for reading the row numbers: candidates rows 2-6 are PS-NEW, PS-EXT, PS-MOD, WATER-EXT,
PS-NORTH (capex 10, 4, 1, 3, 6); budgets rows 2-6 tax 2026-2030 (8 MSEK a year), 7-11 va (2).
"""

from __future__ import annotations

from pathlib import Path

from scenario_edits import (
    copy_tiny,
    edit_workbook,
    read_rows,
    resave_csv,
    run_cli,
    tiny_workbook,
    write_rows,
)

TITLE = "Investeringar 2026–2040"


def validated(scenario: Path, *options: str) -> tuple[int, list[str]]:
    """Exit code and the lines listing problems and warnings (the bullets)."""
    code, out, err = run_cli("validate", scenario, *options)
    assert "Traceback" not in out + err
    return code, [line for line in (out + err).splitlines() if line.startswith("  • ")]


def put_above(folder: Path, file: str, *rows: list[str]) -> None:
    """Rows above the header of a CSV table, as Excel saves a sheet with a title."""
    table = read_rows(folder / file)
    width = len(table[0])
    write_rows(folder / file, [[*row, *[""] * (width - len(row))] for row in rows] + table)


# ---- a title above the column names ----------------------------------------------------
def test_a_title_above_the_column_names_of_a_csv_is_one_problem(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    put_above(folder, "candidates.csv", [TITLE])
    code, lines = validated(folder)
    assert code == 2
    assert lines == [
        f"  • candidates.csv, row 1: looks like a title ('{TITLE}') above the column names in "
        "row 2: delete row 1, capplan reads the column names from row 1"
    ]


def test_a_title_and_a_blank_row_saved_by_swedish_excel_are_one_problem(tmp_path: Path) -> None:
    """Semicolons, Windows-1252 and decimal commas; the title line is ';;;;' like every other
    empty cell Excel writes, and a text editor's title line has no separator at all."""
    for title_line in ([TITLE], [f"{TITLE} (MSEK)", "", "", "Källa: budgeten"]):
        folder = copy_tiny(tmp_path / str(len(title_line)))
        put_above(folder, "budgets.csv", title_line, [])
        resave_csv(folder, "budgets.csv", "cp1252", delimiter=";", decimal_comma=True)
        code, lines = validated(folder)
        assert code == 2
        assert lines == [
            f"  • budgets.csv, row 1: looks like a title ('{title_line[0]}') above the column "
            "names in row 3: delete rows 1-2, capplan reads the column names from row 1"
        ]
    folder = copy_tiny(tmp_path / "editor")
    text = (folder / "population.csv").read_text(encoding="utf-8").replace(",", ";")
    (folder / "population.csv").write_text(f"Befolkning\n\n{text}", encoding="utf-8")
    code, lines = validated(folder)
    assert lines == [
        "  • population.csv, row 1: looks like a title ('Befolkning') above the column names in "
        "row 3: delete rows 1-2, capplan reads the column names from row 1"
    ]


def test_empty_rows_above_the_column_names_are_one_problem(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    put_above(folder, "candidates.csv", [], [])
    code, lines = validated(folder)
    assert code == 2
    assert lines == [
        "  • candidates.csv, row 1: rows 1-2 are empty above the column names in row 3: delete "
        "them, capplan reads the column names from row 1"
    ]


def test_a_title_above_the_column_names_of_a_sheet_is_one_problem(tmp_path: Path) -> None:
    """A title merged across the columns, as titles are, and a blank row under it: one problem,
    not one for the merged cells too."""

    def add_title(book) -> None:
        sheet = book["candidates"]
        sheet.insert_rows(1, 2)
        sheet["A1"] = TITLE
        sheet.merge_cells("A1:H1")

    book = edit_workbook(tiny_workbook(tmp_path), add_title)
    code, lines = validated(book)
    assert code == 2
    assert lines == [
        f"  • book.xlsx, sheet candidates, row 1: looks like a title ('{TITLE}') above the "
        "column names in row 3: delete rows 1-2, capplan reads the column names from row 1"
    ]


def test_column_names_in_row_1_that_capplan_does_not_know_are_not_a_title(
    tmp_path: Path,
) -> None:
    """A header in row 1 with one known name ('id') and Swedish ones is the header: each
    unknown column is its own problem, as before."""
    folder = copy_tiny(tmp_path)
    table = read_rows(folder / "existing_assets.csv")
    table[0] = ["id", "namn", "tjänst", "område", "kapacitet", "avvecklas"]
    write_rows(folder / "existing_assets.csv", table)
    code, lines = validated(folder)
    assert code == 2
    assert not any("title" in line for line in lines)
    assert "  • existing_assets.csv, row 1, field 'namn': is not a known column" in "\n".join(
        line.split(";")[0] for line in lines
    )


# ---- a total row under the table -------------------------------------------------------
def add_row(folder: Path, file: str, **cells: str) -> int:
    """A row under the table (after a blank one, as totals often are); its row number."""
    table = read_rows(folder / file)
    table += [[""] * len(table[0]), [cells.get(column, "") for column in table[0]]]
    write_rows(folder / file, table)
    return len(table)


def test_a_total_row_under_the_candidates_is_one_problem_never_a_candidate(
    tmp_path: Path,
) -> None:
    """'Summa' with the sums of capex, opex and staff, and every cell a candidate needs filled
    in: it would have been read as a sixth candidate costing as much as the other five."""
    folder = copy_tiny(tmp_path)
    row = add_row(
        folder,
        "candidates.csv",
        id="Summa",
        name="Summa",
        department="BUF",
        capex="24",
        opex="0.5",
        staff_fte="9",
        lead_time="1",
        earliest_start="2026",
        latest_start="2030",
        lifetime="40",
        pool="tax",
    )
    code, lines = validated(folder)
    assert code == 2
    assert lines == [
        f"  • candidates.csv, row {row}: looks like a total row ('Summa'): remove it, capplan "
        "sums by itself"
    ]


def test_a_total_row_of_sums_without_a_word_is_one_problem(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    row = add_row(folder, "candidates.csv", capex="24", opex="0.5", staff_fte="9")
    code, lines = validated(folder)
    assert code == 2
    assert lines == [
        f"  • candidates.csv, row {row}: looks like a total row (empty 'id', and 'capex', "
        "'opex', 'staff_fte' hold the sums of the rows above): remove it, capplan sums by "
        "itself"
    ]


def test_total_rows_saved_by_swedish_excel_are_one_problem_each(tmp_path: Path) -> None:
    """Decimal commas, a total word in any letter case with a colon, a total under the names."""
    folder = copy_tiny(tmp_path)
    budgets = add_row(folder, "budgets.csv", pool="TOTALT:", ceiling="50")
    people = add_row(folder, "population.csv", year="Totalt", population="1 234,5")
    resave_csv(folder, "budgets.csv", "cp1252", delimiter=";", decimal_comma=True)
    resave_csv(folder, "population.csv", "cp1252", delimiter=";", decimal_comma=True)
    code, lines = validated(folder)
    assert code == 2
    assert lines == [
        f"  • budgets.csv, row {budgets}: looks like a total row ('TOTALT:'): remove it, capplan "
        "sums by itself",
        f"  • population.csv, row {people}: looks like a total row ('Totalt'): remove it, "
        "capplan sums by itself",
    ]


def test_a_total_row_of_a_sheet_is_one_problem(tmp_path: Path) -> None:
    """The sum as Excel keeps it (a number cell, 50.0000000001 after adding decimals) under a
    blank row; 'Sum' under the capacity rows."""

    def add_totals(book) -> None:
        budgets = book["budgets"]
        budgets.append([])
        budgets.append([None, None, 8 * 5 + 2 * 5 + 1e-10])
        capacity = book["candidate_capacity"]
        capacity.append(["Sum", None, 65])

    book = edit_workbook(tiny_workbook(tmp_path), add_totals)
    code, lines = validated(book)
    assert code == 2
    assert lines == [
        "  • book.xlsx, sheet budgets, row 13: looks like a total row (empty 'pool', and "
        "'ceiling' holds the sum of the rows above): remove it, capplan sums by itself",
        "  • book.xlsx, sheet candidate_capacity, row 7: looks like a total row ('Sum'): remove "
        "it, capplan sums by itself",
    ]


def test_a_row_without_an_id_that_is_no_total_is_told_as_before(tmp_path: Path) -> None:
    """Numbers that are not the sums above (a candidate whose id and name were left out) are a
    row like any other: its empty required cells are the problems."""
    folder = copy_tiny(tmp_path)
    row = add_row(folder, "candidates.csv", capex="23", opex="0.5", staff_fte="9")
    code, lines = validated(folder)
    assert code == 2
    assert not any("total row" in line for line in lines)
    assert f"  • candidates.csv, row {row}, field 'id': is empty but a value is required" in lines


# ---- what is not a layout problem ------------------------------------------------------
def test_blank_rows_inside_and_under_a_table_are_skipped_without_a_word(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    table = read_rows(folder / "candidates.csv")
    blank = [""] * len(table[0])
    write_rows(folder / "candidates.csv", [*table[:3], blank, blank, *table[3:], blank])
    book = edit_workbook(tiny_workbook(tmp_path), lambda b: b["budgets"].insert_rows(4, 3))
    for scenario in (folder, book):
        code, lines = validated(scenario, "--strict")
        assert code == 0, lines
        assert lines == []


def test_the_shipped_scenarios_have_no_title_or_total_row(tmp_path: Path) -> None:
    """tiny as a folder and as a workbook: valid, no message at all, also with --strict."""
    for scenario in (copy_tiny(tmp_path), tiny_workbook(tmp_path)):
        code, out, err = run_cli("validate", scenario, "--strict")
        assert code == 0
        assert "is valid." in out
        assert "title" not in out + err and "total row" not in out + err


def test_convert_refuses_a_sheet_with_a_title_instead_of_leaving_it_out(tmp_path: Path) -> None:
    """It wrote the folder without candidates.csv and said 'Wrote scenario folder'."""

    def add_title(book) -> None:
        book["candidates"].insert_rows(1)
        book["candidates"]["A1"] = TITLE

    book = edit_workbook(tiny_workbook(tmp_path), add_title)
    code, out, err = run_cli("convert", book, tmp_path / "folder")
    assert code == 2
    assert err.splitlines()[1:] == [
        f"  • book.xlsx, sheet candidates, row 1: looks like a title ('{TITLE}') above the "
        "column names in row 2: delete row 1, capplan reads the column names from row 1"
    ]
    assert not (tmp_path / "folder").exists()


def test_empty_rows_above_the_column_names_of_a_sheet_are_one_problem(tmp_path: Path) -> None:
    """A sheet whose rows 1-2 hold no cell at all (not even an empty one) says so as a CSV."""
    book = edit_workbook(tiny_workbook(tmp_path), lambda b: b["budgets"].insert_rows(1, 2))
    code, lines = validated(book)
    assert code == 2
    assert lines == [
        "  • book.xlsx, sheet budgets, row 1: rows 1-2 are empty above the column names in row "
        "3: delete them, capplan reads the column names from row 1"
    ]
