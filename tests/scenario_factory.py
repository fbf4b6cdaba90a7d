"""Small scenarios for tests: a copy of scenarios/tiny with edits, written to a temp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import optimizer

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "scenarios" / "tiny"
# tiny's PS-NEW: a new preschool whose start window is 2026-2028 (its last field: committed start)
PS_NEW_ROW = "PS-NEW,New preschool (20 places),BUF,,10,0.5|0.5,2,2026,2028,40,0,4,90,1,tax,0,no,,,"


def tiny_committed_with_tight_budgets(where: Path) -> Path:
    """A copy of tiny in ``where / "committed"`` with PS-NEW committed to start in 2026 (5 MSEK
    that year) and a variant "tight" whose budgets are cut to 30 % (2.4 MSEK in 2026): "tight"
    has no plan, and its diagnosis names the 2026 tax budget, short by 2.6 MSEK."""
    folder = where / "committed"
    shutil.copytree(TINY, folder)
    candidates = (folder / "candidates.csv").read_text(encoding="utf-8")
    assert PS_NEW_ROW in candidates
    (folder / "candidates.csv").write_text(
        candidates.replace(PS_NEW_ROW, PS_NEW_ROW[:-1] + "2026,"), encoding="utf-8"
    )
    with open(folder / "scenario.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[variants.tight]\npopulation = "base"\nbudget_factor = 0.3\n')
    return folder


# a sweep.toml for tiny (docs/sweep.md): two growth paths and cost overruns
SWEEP_TOML = """
[population]
variants = { base = 1, high = 1 }
growth_sd = 0.3

[cost_overrun]
low = -0.05
mode = 0.10
high = 0.45
"""


def tiny_copy(
    tmp_path: Path,
    *,
    toml_extra: str = "",
    toml_replace: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
    append: dict[str, str] | None = None,
    name: str = "tiny",
) -> Path:
    """Copy tiny; append TOML text, replace strings in the TOML, replace or append to CSV files."""
    folder = tmp_path / name
    shutil.copytree(TINY, folder)
    toml = (folder / "scenario.toml").read_text()
    for old, new in (toml_replace or {}).items():
        assert old in toml, f"{old!r} not in tiny's scenario.toml"
        toml = toml.replace(old, new)
    (folder / "scenario.toml").write_text(toml + "\n" + toml_extra)
    for filename, text in (files or {}).items():
        (folder / filename).write_text(text)
    for filename, text in (append or {}).items():
        with open(folder / filename, "a") as handle:
            handle.write(text)
    return folder


def solve(folder: Path, variant: str | None = None, **settings):
    from optimizer.run import run_scenario, solve_settings_for

    scenario = optimizer.load_scenario(folder, variant)
    return run_scenario(scenario, solve_settings_for(scenario, **settings))


# ---- scenarios built in code (no files written) ---------------------------------------
class RawTiny:
    """``scenarios/tiny`` as read (a ``RawScenario``), changed in code, cell by cell.

    Rows are numbered as a spreadsheet shows them (header = 1), as in every message.
    """

    def __init__(self, root: Path = TINY) -> None:
        from optimizer.io.folder import read_folder

        self.raw = read_folder(root)
        for table in self.raw.tables.values():  # the reader's compact rows, as editable dicts
            table.rows = [(number, dict(cells)) for number, cells in table.rows]

    def cell(self, table: str, row: int, column: str, value: object) -> RawTiny:
        cells = dict(self.raw.tables[table].rows)[row]
        assert column in cells, f"{table} has no column {column}"
        cells[column] = value
        return self

    def add_row(self, table: str, **cells: object) -> RawTiny:
        """A row at the end of ``table`` (created with these columns if it is not there)."""
        from optimizer.io.raw import RawTable

        found = self.raw.tables.setdefault(table, RawTable(table, f"{table}.csv", list(cells), []))
        number = max((n for n, _ in found.rows), default=1) + 1
        found.rows.append((number, {c: cells.get(c, "") for c in found.columns}))
        return self

    def candidate(self, candidate_id: str, **cells: object) -> RawTiny:
        """Change cells of one candidate, found by its id."""
        numbers = [n for n, row in self.raw.tables["candidates"].rows if row["id"] == candidate_id]
        assert numbers, f"tiny has no candidate {candidate_id}"
        for column, value in cells.items():
            self.cell("candidates", numbers[0], column, value)
        return self

    def table(self, table: str, columns: str, *rows: str) -> RawTiny:
        """Replace (or add) a whole table: ``columns`` and ``rows`` as CSV lines."""
        from optimizer.io.raw import RawTable

        names = columns.split(",")
        self.raw.tables[table] = RawTable(
            table,
            f"{table}.csv",
            names,
            [(n, dict(zip(names, r.split(","), strict=True))) for n, r in enumerate(rows, 2)],
        )
        return self

    def yearly(self, table: str, columns: str, row) -> RawTiny:
        """A table with one row per year of tiny (2026-2030): ``row(year)`` gives the line."""
        return self.table(table, columns, *(row(y) for y in range(2026, 2031)))

    def service(self, service_id: str, **values: object) -> RawTiny:
        """Change a service's settings (as scenario.toml reads them)."""
        (found,) = [s for s in self.raw.settings["services"] if s["id"] == service_id]
        found.update(values)
        return self

    def scenario(self, variant: str | None = None):
        """The valid ``Scenario`` these edits give (``ScenarioError`` when they are not valid)."""
        from optimizer.validate import parse

        return parse(self.raw, variant)

    def add_column(self, table: str, column: str, value: object = "") -> RawTiny:
        """A new column in ``table``, ``value`` in every row (empty: the field's default)."""
        found = self.raw.tables[table]
        found.columns = [*found.columns, column]
        for _, cells in found.rows:
            cells[column] = value
        return self

    def drop_rows(self, table: str, *numbers: int) -> RawTiny:
        found = self.raw.tables[table]
        found.rows = [(n, cells) for n, cells in found.rows if n not in numbers]
        return self

    def rename_column(self, table: str, old: str, new: str) -> RawTiny:
        found = self.raw.tables[table]
        found.columns = [new if c == old else c for c in found.columns]
        found.rows = [(n, {new if k == old else k: v for k, v in c.items()}) for n, c in found.rows]
        return self

    def drop_table(self, table: str) -> RawTiny:
        del self.raw.tables[table]
        return self

    def settings(self, edit) -> RawTiny:
        """``edit(settings)`` changes the settings dict (as scenario.toml reads) in place."""
        edit(self.raw.settings)
        return self

    def districts(self) -> RawTiny:
        """Districts north and south, preschool per district: still valid (as add_districts)."""
        s = self.raw.settings
        s["districts"] = [
            {"id": "north", "neighbours": ["south"]},
            {"id": "south", "neighbours": ["north"]},
        ]
        s["services"][0]["by_district"] = True
        for row, district in ((2, "north"), (3, "north"), (4, "south"), (6, "south")):
            self.cell("candidates", row, "district", district)
        self.cell("existing_assets", 2, "district", "north")
        population = self.raw.tables["population"]
        rows = []
        for _, cells in population.rows:
            for district in ("north", "south"):
                half = float(cells["population"]) / 2
                rows.append({**cells, "district": district, "population": str(half)})
        population.rows = [(n, cells) for n, cells in enumerate(rows, start=2)]
        return self
