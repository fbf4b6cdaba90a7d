"""Edits of a copied scenario for input tests, and the command line run in-process.

Each helper changes one thing in a copy of ``scenarios/tiny`` (a cell, a row, a column, a line
of ``scenario.toml``) so that a test reads as "break this, expect that problem".
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import io
import shutil
import sys
import tempfile
from pathlib import Path

from scenario_factory import tiny_copy

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "scenarios" / "tiny"
OSTERSUND = ROOT / "scenarios" / "ostersund-2040"


def copy_tiny(tmp_path: Path, name: str = "tiny") -> Path:
    return tiny_copy(tmp_path, name=name)


# ---- CSV tables ----------------------------------------------------------------------
def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set the cell in spreadsheet row ``row`` (header = 1) and the named column."""
    rows = read_rows(folder / file)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(folder / file, rows)


def drop_rows(folder: Path, file: str, *numbers: int) -> None:
    rows = read_rows(folder / file)
    write_rows(folder / file, [r for i, r in enumerate(rows, start=1) if i not in numbers])


def append_row(folder: Path, file: str, row: str) -> None:
    """Append a CSV line (``a,b,c``); creates the file with its header when given two lines."""
    path = folder / file
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + row + "\n", encoding="utf-8")


def resave_csv(
    folder: Path, file: str, encoding: str, delimiter: str = ",", decimal_comma: bool = False
) -> None:
    """Save a table the way another program would: its encoding, separator and decimal mark."""
    rows = read_rows(folder / file)
    if decimal_comma:
        rows = [[_comma(cell) for cell in row] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (folder / file).write_bytes(buffer.getvalue().encode(encoding))


def _comma(cell: str) -> str:
    """0.5 -> 0,5 and 0.5|0.5 -> 0,5|0,5; text stays as it is."""
    parts = cell.split("|")
    try:
        [float(part) for part in parts]
    except ValueError:
        return cell
    return "|".join(part.replace(".", ",") for part in parts)


def drop_column(folder: Path, file: str, column: str) -> None:
    rows = read_rows(folder / file)
    at = rows[0].index(column)
    write_rows(folder / file, [r[:at] + r[at + 1 :] for r in rows])


def rename_column(folder: Path, file: str, old: str, new: str) -> None:
    rows = read_rows(folder / file)
    rows[0][rows[0].index(old)] = new
    write_rows(folder / file, rows)


# ---- scenario.toml -------------------------------------------------------------------
def edit_toml(folder: Path, old: str, new: str) -> None:
    path = folder / "scenario.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in scenario.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_toml(folder: Path, text: str) -> None:
    path = folder / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


# ---- workbooks -----------------------------------------------------------------------
_TINY_BOOK: list[Path] = []


def tiny_workbook(folder: Path, name: str = "book.xlsx") -> Path:
    """``scenarios/tiny`` as a workbook (by capplan's own writer), beside ``folder``.

    Written once per test session and copied: ``folder`` is only where the copy goes.
    """
    from optimizer.io.workbook import write_workbook

    if not _TINY_BOOK:
        scratch = Path(tempfile.mkdtemp(prefix="capplan-tiny-book-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        _TINY_BOOK.append(scratch / "tiny.xlsx")
        write_workbook(TINY, _TINY_BOOK[0])
    path = folder.parent / name
    shutil.copyfile(_TINY_BOOK[0], path)
    return path


def edit_workbook(path: Path, edit) -> Path:
    """Open with openpyxl, let ``edit(book)`` change it, save in place."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


# ---- the command line ----------------------------------------------------------------
def run_cli(*args: object) -> tuple[int, str, str]:
    """``capplan ARGS`` in this process: (exit code, stdout, stderr).

    An exception that escapes ``main()`` (a traceback for a user) fails the calling test.
    """
    from optimizer import cli

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["capplan", *(str(a) for a in args)]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def add_districts(folder: Path) -> None:
    """Two districts, north and south; preschool planned per district (still a valid scenario)."""
    append_toml(
        folder,
        '[[districts]]\nid = "north"\nneighbours = ["south"]\n\n[[districts]]\nid = "south"\nneighbours = ["north"]',
    )
    edit_toml(folder, 'department = "BUF"\n', 'department = "BUF"\nby_district = true\n')
    for row, district in ((2, "north"), (3, "north"), (4, "south"), (6, "south")):
        set_cell(folder, "candidates.csv", row, "district", district)
    set_cell(folder, "existing_assets.csv", 2, "district", "north")
    rows = read_rows(folder / "population.csv")
    split = [rows[0]]
    for variant, year, _, group, people in rows[1:]:
        for district in ("north", "south"):
            split.append([variant, year, district, group, str(float(people) / 2)])
    write_rows(folder / "population.csv", split)
