"""A scenario as one Excel workbook, for people who live in Excel.

Layout (``docs/scenario-format.md`` has the full reference):

- sheet ``settings``: one row per setting of ``scenario.toml``, columns ``key`` (dotted:
  ``scenario.first_year``, ``debt.interest_rate``, ``tables.budgets``), ``value`` and a
  ``description`` that capplan fills in and ignores when reading. An empty value means the default.
- sheets ``departments``, ``services``, ``districts``, ``pools``: one row per item, one column per
  field; sheet ``variants``: one row per variant, the name in column ``variant``.
- every other sheet is a table, named like the CSV file it stands for (``candidates``,
  ``budgets-cut``), with the column names in row 1. Messages give Excel's row numbers.

Values that are lists or maps go in one cell: lists of ids as ``a|b`` (or JSON ``["a", "b"]``),
maps as JSON (``{"1-5": 0.87}``). A settings cell holding valid JSON that begins with ``"``,
``[`` or ``{`` is read as JSON, so a JSON string (``"..."``) stands for the text inside the
quotes; capplan writes text that way only when it would otherwise be read differently (empty
text, text that looks like a number or a list). Writing and reading back is lossless;
``write_workbook`` checks that before it moves the file into place, and refuses what a cell
cannot hold exactly.
"""

from __future__ import annotations

from optimizer.io.workbook.cells import (
    ITEM_SHEETS,
    RESERVED_SHEETS,
    SETTINGS_SHEET,
    VARIANTS_SHEET,
    WorkbookWriteError,
    decode_cell,
    decode_text,
    encode_value,
    table_cell,
)
from optimizer.io.workbook.reading import read_workbook
from optimizer.io.workbook.writing import check_file_names, check_sheet_names, write_workbook

__all__ = [
    "ITEM_SHEETS",
    "RESERVED_SHEETS",
    "SETTINGS_SHEET",
    "VARIANTS_SHEET",
    "WorkbookWriteError",
    "check_file_names",
    "check_sheet_names",
    "decode_cell",
    "decode_text",
    "encode_value",
    "read_workbook",
    "table_cell",
    "write_workbook",
]
