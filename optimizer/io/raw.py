"""The format-neutral form of a scenario, before validation.

Both readers (a folder of TOML + CSV, an Excel workbook) produce a ``RawScenario``: the settings
as a plain dict and each table as rows of cell values with the row number a spreadsheet shows.
``optimizer.scenario.parse`` validates it into the typed ``Scenario``. Keeping the two readers on
one contract means a rule is checked once, whatever the file type.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RawTable:
    name: str  # file stem or sheet name, e.g. "candidates" or "budgets-cut"
    label: str  # what users see in messages: "candidates.csv" or "plan.xlsx, sheet candidates"
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (spreadsheet row number, cells by column)
    path: Path | None = None


@dataclass
class RawScenario:
    root: Path  # the folder or the workbook
    settings_label: str  # "scenario.toml" or "x.xlsx, sheet settings"
    settings: dict
    tables: dict[str, RawTable] = field(default_factory=dict)  # by file stem / sheet name
    source_files: list[Path] = field(default_factory=list)  # for the manifest's hashes
    # How a table that is not there is named in messages: "{stem}.csv" or "x.xlsx, sheet {stem}".
    table_label_template: str = "{stem}.csv"
    # Where a settings field stands when the settings are spread over sheets (workbooks):
    # settings path ("scenario.first_year", "services[2]", "variants.high") -> (label, row,
    # whether the path is dropped from the field name because the label already says it).
    settings_locations: dict[str, tuple[str, int | None, bool]] = field(default_factory=dict)
    # Problems the reader found in single cells (a formula without a saved value, merged cells):
    # validation goes on and reports them with its own, so that every problem is listed at once.
    problems: list = field(default_factory=list)

    def table_label(self, stem: str) -> str:
        table = self.tables.get(stem)
        return table.label if table is not None else self.table_label_template.format(stem=stem)


def cell_text(value: object) -> str:
    """A cell as CSV text: what a workbook cell becomes in a folder, and how cells are compared."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def same_value(a: object, b: object) -> bool:
    """Equal and of the same type, all the way down (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(same_value(a[k], b[k]) for k in a)  # order is free
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def differences(a: RawScenario, b: RawScenario, limit: int = 5) -> list[str]:
    """What differs between two raw scenarios: settings (by type and value) and table cells."""
    found: list[str] = []
    if not same_value(a.settings, b.settings):
        found.append(f"settings differ{_first_difference(a.settings, b.settings, '')}")
    for name in sorted(set(a.tables) | set(b.tables)):
        if name not in a.tables or name not in b.tables:
            found.append(f"table {name} is only in one of them")
            continue
        ta, tb = a.tables[name], b.tables[name]
        if ta.columns != tb.columns:
            found.append(f"table {name}: columns {ta.columns} != {tb.columns}")
            continue
        rows_a = [(n, [cell_text(c.get(col)) for col in ta.columns]) for n, c in ta.rows]
        rows_b = [(n, [cell_text(c.get(col)) for col in tb.columns]) for n, c in tb.rows]
        if rows_a != rows_b:
            for (na, ca), (nb, cb) in zip(rows_a, rows_b, strict=False):
                if (na, ca) != (nb, cb):
                    found.append(f"table {name}: row {na} {ca} != row {nb} {cb}")
                    break
            else:
                found.append(f"table {name}: {len(rows_a)} rows != {len(rows_b)} rows")
        if len(found) >= limit:
            break
    return found[:limit]


def _first_difference(a: object, b: object, path: str) -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f" at {path}{key} (only in one)"
            if not same_value(a[key], b[key]):
                return _first_difference(a[key], b[key], f"{path}{key}.")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if not same_value(x, y):
                return _first_difference(x, y, f"{path}[{i}].")
    return f" at {path.rstrip('.')}: {a!r} != {b!r}"
