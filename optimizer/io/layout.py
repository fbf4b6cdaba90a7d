"""Where a table's column names are, when a spreadsheet put something above them.

A planner's sheet often starts with a title ('Investeringar 2026–2040') and a blank row, and
the column names follow. Read as it stands, row 1 became the header and every column a
'column N has values but no name', one message a column. Both readers look at the first rows
instead: when row 1 holds no column name capplan knows and a row below does, that row is the
header the user meant, and one problem names the rows to delete.

Only an exact layout is read (the header in row 1), as for an empty row 1: a table whose
header moved is refused with one problem rather than read as meant, so that every form of the
scenario (folder, workbook, ``convert``) has its column names in the same place.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from optimizer.errors import Problem

# How far down a header is looked for: a title, a subtitle, a source line and blank rows
# between them fit; a table further down is no table capplan reads.
MAX_HEADER_ROW = 10


@cache
def known_columns() -> frozenset[str]:
    """The column names of every table (case-folded): what a header row is recognised by."""
    from optimizer.schema import ROW_MODELS

    return frozenset(
        name.casefold() for model in ROW_MODELS.values() for name in model.model_fields
    )


def _texts(cells: Sequence[object]) -> list[str]:
    """The non-empty cells of a row as stripped text (numbers and dates as they are)."""
    return [str(cell).strip() for cell in cells if cell is not None and str(cell).strip()]


def looks_like_header(cells: Sequence[object]) -> bool:
    """At least two of the row's cells, and at least half of them, are known column names.

    Two, so that a one-word title that happens to be a column name ('population') is not a
    header; half, so that a header with a few misspelt or extra columns still is.
    """
    texts = _texts(cells)
    known = sum(text.casefold() in known_columns() for text in texts)
    return known >= 2 and 2 * known >= len(texts)


def header_row(first_rows: Sequence[tuple[int, Sequence[object]]]) -> int | None:
    """The number of the row holding the column names when it is not row 1: the first of
    ``first_rows`` (row number, cells, in order up to ``MAX_HEADER_ROW``; a workbook leaves
    out the rows it has no cell in) that looks like a header, if row 1 does not. None: row 1
    is the header (or no row is)."""
    for number, cells in first_rows:
        if number > MAX_HEADER_ROW or (number == 1 and looks_like_header(cells)):
            return None
        if number > 1 and looks_like_header(cells):
            return number
    return None


def above_header(label: str, above: Sequence[tuple[int, Sequence[object]]], header: int) -> Problem:
    """One problem for the rows above the column names in row ``header``: which to delete."""
    rows = "row 1" if header == 2 else f"rows 1-{header - 1}"
    for number, cells in above:
        texts = _texts(cells)
        if texts:
            title = texts[0] if len(texts[0]) <= 60 else texts[0][:59] + "…"
            return Problem(
                label,
                number,
                None,
                f"looks like a title ('{title}') above the column names in row {header}: "
                f"delete {rows}, capplan reads the column names from row 1",
            )
    if header == 2:  # the message both readers have given for an empty row 1
        return Problem(label, 1, None, "row 1 is empty: it must hold the column names")
    return Problem(
        label,
        1,
        None,
        f"{rows} are empty above the column names in row {header}: delete them, capplan reads "
        "the column names from row 1",
    )
