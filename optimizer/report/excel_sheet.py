"""What every Excel report shares: number formats, fills, safe cells, headers, tables, widths.

plan.xlsx (``optimizer.report.excel``) and the workbooks of compare, replan, sweep, robust and
tradeoffs write their sheets with these, so that a number has the same format and a text that
starts like a formula is stored as text (never run by Excel) in every workbook capplan writes.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass

import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.io.results import FORMULA_PREFIXES
from optimizer.report.i18n import excel_format
from optimizer.status import Status
from optimizer.text import cell_safe

# number formats: the digits every report writes (optimizer.report.i18n.DECIMALS)
MSEK = excel_format("msek")
UNITS = excel_format("units")  # places, pe: whole units, as the terminal and report.html write them
TONNES = excel_format("tonnes")
FTE = excel_format("fte")
SEK = excel_format("sek")  # kronor and people: 122 549 (a thousands separator, unlike a year)
PEOPLE = excel_format("people")
INTEGER = "0"  # years and ids: no thousands separator (2026, not 2,026)
SECONDS = "0.00"
PERCENT = excel_format("percent")  # shares only: utilisation, the self-financing rate
RATE = excel_format("rate")  # interest and discount rates: 3.5%
GAP = "0.00##%"  # a small gap shows its digits (0.0017%), as the reports write it
SHADOW = "#,##0.0000"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(bold=True, size=11)
BUILD_FILL = PatternFill("solid", fgColor="F4B183")
SERVICE_FILL = PatternFill("solid", fgColor="A9D08E")
DIFF_FILL = PatternFill("solid", fgColor="FFE699")
STATUS_FILLS = {
    Status.OPTIMAL: PatternFill("solid", fgColor="C6EFCE"),
    Status.FEASIBLE: PatternFill("solid", fgColor="FFEB9C"),
}
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
TOTAL_BORDER = Border(top=Side(style="thin", color="000000"))


@dataclass(frozen=True)
class Column:
    """One column of a written table: the plan-table column, its header key and number format."""

    key: str
    header: str | None = None  # i18n key; default: key
    number_format: str | None = None


# How a plan-table column is shown, on whichever sheet it appears; a column not listed is text.
NUMBER_FORMATS = {
    "units": INTEGER,
    "start_year": INTEGER,
    "in_service_year": INTEGER,
    "end_of_life_year": INTEGER,
    "capex": MSEK,
    "net_capex": MSEK,
    "year": INTEGER,
    "demand": UNITS,
    "existing": UNITS,
    "new_capacity": UNITS,
    "capacity": UNITS,
    "shortfall": UNITS,
    "spend": MSEK,
    "gross_spend": MSEK,
    "other": MSEK,
    "frame_spend": MSEK,
    "ceiling": MSEK,
    "carry_in": MSEK,
    "carry_over": MSEK,
    "headroom": MSEK,
    "debt_financed_spend": MSEK,
    "self_financing": MSEK,
    "debt": MSEK,
    "debt_ceiling": MSEK,
    "interest": MSEK,
    "embodied_t": TONNES,
    "operational_t": TONNES,
    "existing_t": TONNES,
    "total_t": TONNES,
    "cap_t": TONNES,
    "staff_fte": FTE,
    "recruitable_fte": FTE,
    "value_of_one_more_unit": SHADOW,
    "lead_time": INTEGER,
    "lifetime": INTEGER,
    "earliest_start": INTEGER,
    "latest_start": INTEGER,
    "served_from_neighbours": UNITS,
    "serving_neighbours": UNITS,
    "utilisation": PERCENT,
    "spare": UNITS,
}


def table_columns(keys: str, headers: dict[str, str] | None = None) -> list[Column]:
    """The columns named in ``keys`` (space-separated), each with its number format; ``headers``
    gives an i18n header key where it differs from the column's own."""
    return [Column(key, (headers or {}).get(key), NUMBER_FORMATS.get(key)) for key in keys.split()]


# ----------------------------------------------------------------------------------------
# cell helpers
# ----------------------------------------------------------------------------------------
def _plain(value):
    """numpy scalars -> Python; NaN/inf -> empty; everything else as is."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def set_cell(ws: Worksheet, row: int, column: int, value, number_format: str | None = None) -> Cell:
    """Write one value; text that a spreadsheet would run as a formula stays text."""
    value = cell_safe(_plain(value))
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # openpyxl turns a string starting with "=" into a formula; say explicitly it is text,
        # and set quotePrefix so Excel keeps it text when the cell is edited.
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value
    if number_format and isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


# Cell styles per workbook: what a cell's style becomes when ``apply`` (setting its font, fill, …)
# is done to it, by the style it had and what the style is for ("header", …). Setting a font, a
# fill or an alignment looks the style up in the workbook by hashing every field of it, which for
# the header, total and marked cells of a plan was a sizeable part of writing plan.xlsx; a
# cell that takes a known outcome whole gets exactly the style setting it would have given.
_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def styled(cell: Cell, purpose: str, apply: Callable[[Cell], None]) -> Cell:
    """``apply(cell)``, which sets style attributes of the cell (always the same ones for one
    ``purpose``), done once per workbook, purpose and style the cell had before."""
    known = _STYLES.setdefault(cell.parent.parent, {})
    key = (purpose, tuple(cell._style) if cell.has_style else None)
    if key in known:
        cell._style = copy(known[key])
    else:
        apply(cell)
        known[key] = copy(cell._style)
    return cell


def _bold(cell: Cell) -> None:
    cell.font = Font(bold=True)


def _header_style(cell: Cell) -> None:
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def write_header(ws: Worksheet, row: int, headers: Iterable[str], start_column: int = 1) -> None:
    for offset, text in enumerate(headers):
        styled(set_cell(ws, row, start_column + offset, text), "header", _header_style)


def write_table(
    ws: Worksheet,
    frame: pd.DataFrame,
    columns: list[Column],
    t: Callable[..., str],
    start_row: int = 1,
    freeze: bool = True,
    autofilter: bool = True,
) -> int:
    """Header plus one row per frame row; returns the next free row."""
    write_header(ws, start_row, [t(c.header or c.key) for c in columns])
    row_number = start_row
    for row_number, record in enumerate(
        frame[[c.key for c in columns]].itertuples(index=False), start_row + 1
    ):
        for col, (spec, value) in enumerate(zip(columns, record, strict=True), 1):
            set_cell(ws, row_number, col, value, spec.number_format)
    if freeze:
        ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    if autofilter and len(frame):
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(columns))}{row_number}"
    return row_number + 1


def autosize(
    ws: Worksheet, minimum: int = 8, maximum: int = 60, overrides: dict[int, float] | None = None
) -> None:
    """Column widths from the longest text in each column (numbers as they will be shown)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            value = cell.value
            text = f"{value:,.1f}" if isinstance(value, float) else str(value)
            longest = max((len(part) for part in text.split("\n")), default=0)
            # wrapped header cells should not force the column as wide as the whole sentence
            # (a cell's alignment is looked up only when it could matter: reading it is slow)
            if longest > 18 and cell.alignment is not None and cell.alignment.wrap_text:
                longest = 18
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(
            minimum, min(maximum, width + 2)
        )
    for column, width in (overrides or {}).items():
        ws.column_dimensions[get_column_letter(column)].width = width


def sheet_title(t: Callable[..., str], key: str) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet title."""
    title = t(key)
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]


def key_value_rows(
    ws: Worksheet, rows: list[tuple[str, object, str | None]], start_row: int
) -> int:
    """Label in column A, value in column B; returns the next free row."""
    for offset, (label, value, number_format) in enumerate(rows):
        styled(set_cell(ws, start_row + offset, 1, label), "bold", _bold)
        set_cell(ws, start_row + offset, 2, value, number_format)
    return start_row + len(rows)
