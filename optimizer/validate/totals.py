"""A spreadsheet's total row under a table ('Summa' and the sums of the columns): one problem.

Read as a row, a total row under the candidates was one message per field it left empty, and
'Summa' with every required cell filled in would have been a candidate costing as much as all
the others. It is never read: one problem names the row and says to remove it. Both readers
give their rows to ``cells.read_rows``, so a folder and a workbook are checked alike here.

A row is a total row when its first non-empty cell is a total word (``TOTAL_WORDS``, Swedish
or English, any letter case), or when its first cell is empty and every other cell it has is a
number that equals the sum of that column over the rows above it (as Excel's ``SUM`` shows it,
to its last decimal).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from optimizer.io.raw import RawTable
from optimizer.schema import _blank, parse_number

TOTAL_WORDS = frozenset(
    {
        "summa",
        "summa totalt",
        "totalsumma",
        "s:a",
        "totalt",
        "total",
        "totals",
        "grand total",
        "sum",
        "sum total",
    }
)
ADVICE = "remove it, capplan sums by itself"
MIN_ROWS_ABOVE = 2  # a sum of one row is that row again: a repeated row, not a total
MAX_SUM_CHECKS = 20  # rows with an empty first cell whose sums are checked, per table


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = parse_number(value)
    except ValueError:
        return None
    return float(number) if isinstance(number, int | float) else None


def _tolerance(value: object, total: float) -> float:
    """How far a cell may be from the sum and still show it: half its last decimal as typed
    (a CSV holds what Excel displayed), a rounding error for a number cell."""
    if isinstance(value, str):
        text = "".join(value.split()).replace(",", ".")
        decimals = len(text.partition(".")[2])
        return 0.5 * 10.0**-decimals + 1e-9 * abs(total)
    return 1e-6 * max(1.0, abs(total))


class TotalRows:
    """Finds the total rows of one table while ``read_rows`` goes through it."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.first = raw.columns[0] if raw.columns else None
        self.found: set[int] = set()  # indexes of the total rows found so far
        self.sum_checks = 0
        self._words: dict[str, bool] = {}  # cell text -> whether it is a total word

    def message(self, index: int, cells: dict[str, object]) -> str | None:
        """Why the row at ``index`` of the table is a total row; None when it is not one."""
        first = cells.get(self.first) if self.first is not None else None
        if not _blank(first):  # the common case, kept fast: a population has millions of rows
            if not (isinstance(first, str) and self._is_word(first)):
                return None
            self.found.add(index)
            return f"looks like a total row ('{first.strip()}'): {ADVICE}"
        first_cell = next((v for v in cells.values() if not _blank(v)), None)
        if isinstance(first_cell, str) and self._is_word(first_cell):  # 'Summa' under names
            self.found.add(index)
            return f"looks like a total row ('{first_cell.strip()}'): {ADVICE}"
        if first_cell is None:
            return None
        numbers = {k: v for k, v in cells.items() if not _blank(v)}
        if any(_number(v) is None for v in numbers.values()):
            return None  # a text cell: a row with a missing id, not a total
        if self.sum_checks >= MAX_SUM_CHECKS or index - len(self.found) < MIN_ROWS_ABOVE:
            return None
        self.sum_checks += 1
        sums = self._sums_above(index, list(numbers))
        for column, value in numbers.items():
            number, total = _number(value), sums[column]
            if number is None or abs(number - total) > _tolerance(value, total):
                return None
        if all(_number(v) == 0 for v in numbers.values()):
            return None  # zeros under zeros: nothing says it is a total
        self.found.add(index)
        summed = ", ".join(f"'{c}'" for c in list(numbers)[:4]) + (
            ", …" if len(numbers) > 4 else ""
        )
        held = "holds the sum" if len(numbers) == 1 else "hold the sums"
        return (
            f"looks like a total row (empty '{self.first}', and {summed} {held} of the rows "
            f"above): {ADVICE}"
        )

    def _is_word(self, text: str) -> bool:
        known = self._words.get(text)
        if known is None:
            known = len(text) <= 30 and _word(text) in TOTAL_WORDS
            if len(self._words) < 10_000:  # ids are all different: then each is looked at once
                self._words[text] = known
        return known

    def _sums_above(self, index: int, columns: Sequence[str]) -> dict[str, float]:
        sums = dict.fromkeys(columns, 0.0)
        for position, (_, cells) in enumerate(self.raw.rows[:index]):
            if position in self.found:
                continue
            for column in columns:
                number = _number(cells.get(column))
                if number is not None and math.isfinite(number):
                    sums[column] += number
        return sums


def _word(text: str) -> str:
    """'  Summa: ' -> 'summa'."""
    return " ".join(text.split()).rstrip(":").strip().casefold()
