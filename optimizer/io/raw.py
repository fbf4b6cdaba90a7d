"""The format-neutral form of a scenario, before validation.

Both readers (a folder of TOML + CSV, an Excel workbook) produce a ``RawScenario``: the settings
as a plain dict and each table as rows of cell values with the row number a spreadsheet shows.
``optimizer.scenario.parse`` validates it into the typed ``Scenario``. Keeping the two readers on
one contract means a rule is checked once, whatever the file type.
"""

from __future__ import annotations

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
