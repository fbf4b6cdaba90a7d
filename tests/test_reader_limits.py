"""A bounded reader: capplan reads only what a command uses, streams workbooks, and refuses a
table over its size limits with exit 2 instead of reading until memory runs out.

The large cases are made small here: a stray cell in row 1,048,576 is a small file, and the size
limits are lowered (``optimizer.io.raw.MAX_TABLE_*``) so that a table of a few thousand rows is
over them. Memory is bounded with an address-space limit on a child process, not with timing.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from scenario_edits import (
    append_row,
    copy_tiny,
    edit_toml,
    edit_workbook,
    run_cli,
    tiny_workbook,
)

from optimizer.io import EVERY_VARIANT, one_variant, read_raw
from optimizer.io import raw as limits

MEMORY_LIMIT = 800 * 2**20  # address space for a child capplan; validate of tiny needs < 600 MB


def _notes(path: Path, megabytes: float) -> Path:
    line = "2026;Stora torget;Anteckning om förskolan i området, rad {}\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("year;place;note\n")
        written = number = 0
        while written < megabytes * 2**20:
            text = line.format(number)
            handle.write(text)
            written += len(text.encode())
            number += 1
    return path


def test_validate_a_workbook_with_a_stray_cell_in_the_last_row(tmp_path: Path) -> None:
    """One cell typed in A1048576: validate streams the sheet and names that row, within a
    memory limit the old reader (a million rows of empty cells, gigabytes) could not keep."""
    book = edit_workbook(
        tiny_workbook(copy_tiny(tmp_path)),
        lambda b: b["candidates"].cell(row=1_048_576, column=1, value="x"),
    )
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        from optimizer.cli import main
        sys.argv = ["capplan", "validate", {str(book)!r}]
        main()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=False
    )

    assert done.returncode == 2, done.stderr
    assert (
        "book.xlsx, sheet candidates, row 1048576, field 'name': is empty but a value is required"
        in done.stderr
    )
    assert "Traceback" not in done.stderr


def test_a_large_notes_file_beside_the_scenario_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_tiny(tmp_path)
    _notes(folder / "notes.csv", 1.5)
    monkeypatch.setattr(limits, "MAX_TABLE_BYTES", 2**20)

    code, _, err = run_cli("validate", folder)
    assert code == 0, err
    assert "notes" not in read_raw(folder, EVERY_VARIANT).tables

    # convert copies every file, so there the note is read, and refused with the limits
    code, _, err = run_cli("convert", folder, tmp_path / "book.xlsx")
    assert code == 2
    assert (
        "notes.csv: is too large to read (1.5 MB; capplan reads tables of up to 1 MB and "
        "2,000,000 rows): remove rows nobody uses, or split the table" in err
    )
    assert not (tmp_path / "book.xlsx").exists()


def test_a_population_table_with_more_rows_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_tiny(tmp_path)
    monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 5)

    code, _, err = run_cli("validate", folder)

    assert code == 2
    assert (
        "population.csv: is too large to read (more than 5 rows; capplan reads tables of up to "
        "200 MB and 5 rows)" in err
    )


def test_a_workbook_sheet_with_more_rows_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tiny_workbook(copy_tiny(tmp_path))
    monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 5)

    code, _, err = run_cli("validate", book)

    assert code == 2
    assert "book.xlsx, sheet population: is too large to read (more than 5 rows;" in err


def test_running_one_variant_does_not_read_another_variants_population_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_tiny(tmp_path)
    edit_toml(
        folder, "[variants.high]\n", '[variants.high]\ntables = { population = "pop-high" }\n'
    )
    with open(folder / "pop-high.csv", "w") as handle:
        handle.write("variant,year,district,age_group,population\n")
        for row in range(60_000):  # 1.6 MB
            handle.write(f"high,{2026 + row % 5},d{row},1-5,80\n")
    monkeypatch.setattr(limits, "MAX_TABLE_BYTES", 2**20)

    code, _, err = run_cli("validate", folder, "--variant", "base")
    assert code == 0, err
    assert "pop-high" not in read_raw(folder, one_variant("base")).tables

    code, _, err = run_cli("validate", folder)  # every variant: high needs it
    assert code == 2
    assert "pop-high.csv: is too large to read (1.4 MB;" in err


def test_one_variant_keeps_only_its_rows_of_a_shared_population_table(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    for year in range(2026, 2031):
        append_row(folder, "population.csv", f"low,{year},,1-5,70")

    population = read_raw(folder, one_variant("base")).tables["population"]
    every = read_raw(folder, EVERY_VARIANT).tables["population"]

    kept = [cells["variant"] for _, cells in population.rows]
    assert kept.count("base") == sum(cells["variant"] == "base" for _, cells in every.rows)
    assert kept.count("high") == 1 and kept.count("low") == 1  # to name them in messages
    assert len(every.rows) > len(population.rows)


def test_a_variant_without_population_rows_still_lists_the_others(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    edit_toml(folder, 'population = "base"', 'population = "low"')

    code, _, err = run_cli("validate", folder, "--variant", "base")

    assert code == 2
    assert (
        "population.csv, field 'variant': has no rows for variant 'low' (found: base, high)" in err
    )


def test_a_workbook_sheet_nobody_uses_is_not_read(tmp_path: Path) -> None:
    """A notes sheet with an error cell and merged cells: not part of the scenario."""

    def add_notes(book) -> None:
        notes = book.create_sheet("notes")
        notes.append(["what", "who"])
        notes.append(["#DIV/0!", "x"])
        notes.merge_cells("A3:B4")

    book = edit_workbook(tiny_workbook(copy_tiny(tmp_path)), add_notes)

    code, _, err = run_cli("validate", book)

    assert code == 0, err
    assert "notes" in read_raw(book).tables  # convert still carries it
