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
