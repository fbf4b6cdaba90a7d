"""One bad input per validation rule: the exact problem (file, row, field, reason), and the CLI.

Each rule below breaks one thing in a copy of ``scenarios/tiny`` and names the problem
``capplan validate`` must report: the file (or sheet), the spreadsheet row (``None`` for a
whole file or setting), the field, and a phrase of the message. The rules follow the order of
the checks in ``optimizer/io/folder.py``, ``optimizer/io/workbook/`` and
``optimizer/validate/``. Every case is also run through the command line: exit code 2, the
problem on stderr, no traceback.

tiny, for reading the row numbers: candidates rows 2-6 are PS-NEW, PS-EXT, PS-MOD, WATER-EXT,
PS-NORTH; budgets rows 2-6 tax 2026-2030, 7-11 va; population rows 2-6 base 1-5, 7-11 base
6+, 12-16 high 1-5, 17-21 high 6+; dependencies row 2 PS-NORTH requires WATER-EXT;
existing_assets row 2 PS-OLD (preschool), row 3 WW-1 (water).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from scenario_edits import (
    add_districts,
    append_row,
    append_toml,
    copy_tiny,
    drop_column,
    drop_rows,
    edit_toml,
    edit_workbook,
    rename_column,
    run_cli,
    set_cell,
    tiny_workbook,
)

from optimizer.errors import Problem, ScenarioError
from optimizer.io import read_raw
from optimizer.validate import parse_variants

BOOK = "book.xlsx"


def sheet(name: str) -> str:
    return f"{BOOK}, sheet {name}"


@dataclass(frozen=True)
class Rule:
    name: str
    breaks: Callable[[Path], Path | None]  # edits the copy; returns what to validate if not it
    file: str
    row: int | None
    field: str | None
    phrase: str
    variant: str | None = None


def problems_of(path: Path, variant: str | None = None) -> list[Problem]:
    try:
        parse_variants(read_raw(path), [variant] if variant else None)
    except ScenarioError as exc:
        return exc.problems
    return []


def workbook(edit: Callable) -> Callable[[Path], Path]:
    """A rule on the workbook made from the copy: ``edit(book)`` with openpyxl."""

    def breaks(folder: Path) -> Path:
        return edit_workbook(tiny_workbook(folder, BOOK), edit)

    return breaks


def cell(file, row, column, value):
    return lambda f: set_cell(f, file, row, column, value)


def toml(old, new):
    return lambda f: edit_toml(f, old, new)


def districts_then(*edits):
    def breaks(folder):
        add_districts(folder)
        for edit in edits:
            edit(folder)

    return breaks


def write_text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def symlink_outside(folder: Path) -> None:
    outside = folder.parent / "elsewhere"
    outside.mkdir()
    (outside / "budgets.csv").write_text((folder / "budgets.csv").read_text())
    (folder / "budgets.csv").unlink()
    os.symlink(outside / "budgets.csv", folder / "budgets.csv")


def two_bad_cells(book):
    ws = book["budgets"]
    ws["C2"] = "=B2*2"  # a formula openpyxl cannot compute: no saved value


def _merge(book):
    book["candidates"].merge_cells("C2:C3")


def _error_cell(book):
    book["budgets"]["C3"] = "#DIV/0!"


def _settings_without_value_column(book):
    book["settings"]["B1"] = "värde"


RULES = [
    # ---- folder reader ----------------------------------------------------------------
    Rule(
        "folder does not exist",
        lambda f: f.parent / "nowhere",
        "{tmp}/nowhere",
        None,
        None,
        "does not exist",
    ),
    Rule(
        "folder is a file",
        lambda f: f / "budgets.csv",
        "{tmp}/tiny/budgets.csv",
        None,
        None,
        "is not a scenario folder",
    ),
    Rule(
        "scenario.toml missing",
        lambda f: (f / "scenario.toml").unlink(),
        "scenario.toml",
        None,
        None,
        "is missing",
    ),
    Rule(
        "scenario.toml not TOML",
        toml("[scenario]", "[scenario"),
        "scenario.toml",
        4,
        None,
        "is not valid TOML",
    ),
    Rule(
        "CSV empty",
        lambda f: (f / "budgets.csv").write_text(""),
        "budgets.csv",
        None,
        None,
        "is empty",
    ),
    Rule(
        "CSV not text",
        lambda f: (f / "budgets.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        "budgets.csv",
        None,
        None,
        "is not a text (CSV) file",
    ),
    Rule(
        "CSV cell too large for CSV",
        lambda f: append_row(f, "budgets.csv", "tax,2031," + "9" * 200_000),
        "budgets.csv",
        12,
        None,
        "is not valid CSV",
    ),
    Rule(
        "CSV stray control characters in a cell",
        cell("budgets.csv", 3, "ceiling", "8\x00\x01"),
        "budgets.csv",
        3,
        "ceiling",
        "contains a control character (NUL, U+0000) at position 2",
    ),
    Rule(
        "CSV terminal escape sequence typed into a candidate name",
        cell("candidates.csv", 2, "name", "PS\x1b[31mNEW"),
        "candidates.csv",
        2,
        "name",
        "contains a control character (ESC, U+001B) at position 3",
    ),
    Rule(
        "CSV id ending in a DEL character",
        cell("candidate_capacity.csv", 3, "candidate", "PS-EXT\x7f"),
        "candidate_capacity.csv",
        3,
        "candidate",
        "contains a control character (DEL, U+007F) at position 7",
    ),
    Rule(
        "TOML escape sequence in the scenario name",
        toml('name = "Tiny"', 'name = "Ti\\u001b[2Jny"'),
        "scenario.toml",
        None,
        "scenario.name",
        "contains a control character (ESC, U+001B) at position 3",
    ),
    Rule(
        "TOML control character in a variant name",
        toml("[variants.high]", '[variants."hi\\u0007gh"]'),
        "scenario.toml",
        None,
        "variants.hi\x07gh",
        "the name contains a control character (BEL, U+0007) at position 3",
    ),
    Rule(
        "CSV saved as UTF-8 with one row pasted in Latin-1",
        lambda f: (f / "candidates.csv").write_bytes(
            (f / "candidates.csv")
            .read_text(encoding="utf-8")
            .replace("New preschool", "Ny förskola i Åby")
            .encode("utf-8")
            .replace(b"Water main", "Vattenledning till Råby".encode("latin-1"))
        ),
        "candidates.csv",
        5,
        "name",
        "is not UTF-8 while the rest of the file is: byte 0xE5, probably 'å' saved as Latin-1 "
        "— save the file again as UTF-8",
    ),
    Rule(
        "TOML saved as UTF-8 with one line in Latin-1",
        lambda f: (f / "scenario.toml").write_bytes(
            (f / "scenario.toml")
            .read_bytes()
            .replace(
                b"Population as projected.", "Befolkning enligt prognos, Växjö".encode("latin-1")
            )
        ),
        "scenario.toml",
        46,
        None,
        "is not UTF-8 while the rest of the file is: byte 0xE4, probably 'ä' saved as Latin-1 "
        "— save the file again as UTF-8",
    ),
    Rule(
        "CSV two candidate ids that differ only in how Å was typed",
        lambda f: [
            set_cell(f, "candidates.csv", 2, "id", "FÖRSKOLA-\u00c5BY"),  # Å as one code point
            set_cell(f, "candidates.csv", 3, "id", "FÖRSKOLA-A\u030aBY"),  # A + combining ring
        ],
        "candidates.csv",
        3,
        "id",
        "duplicate candidate id 'FÖRSKOLA-ÅBY' (first on row 2)",
    ),
    Rule(
        "CSV column without a name",
        lambda f: (f / "budgets.csv").write_text("pool,year,ceiling,\ntax,2026,8,oops\n"),
        "budgets.csv",
        1,
        None,
        "column 4 has values but no name",
    ),
    Rule(
        "CSV column twice",
        lambda f: (f / "budgets.csv").write_text("pool,year,ceiling,year\ntax,2026,8,2026\n"),
        "budgets.csv",
        1,
        "year",
        "column appears twice",
    ),
    Rule(
        "CSV row longer than header",
        lambda f: append_row(f, "budgets.csv", "tax,2031,8,9"),
        "budgets.csv",
        12,
        None,
        "has 4 cells but the header has 3 columns",
    ),
    Rule(
        "CSV symlink outside the folder",
        symlink_outside,
        "budgets.csv",
        None,
        None,
        "points outside the scenario folder",
    ),
    # ---- workbook reader --------------------------------------------------------------
    Rule(
        "workbook not a workbook",
        lambda f: write_text(f.parent / BOOK, "id,name\n"),
        BOOK,
        None,
        None,
        "is not an Excel workbook",
    ),
    Rule(
        "workbook without settings sheet",
        workbook(lambda b: setattr(b["settings"], "title", "inställningar")),
        BOOK,
        None,
        None,
        "has no sheet 'settings'",
    ),
    Rule(
        "workbook formula without value",
        workbook(two_bad_cells),
        sheet("budgets"),
        2,
        "ceiling",
        "formula without a saved value",
    ),
    Rule(
        "workbook error cell",
        workbook(_error_cell),
        sheet("budgets"),
        3,
        "ceiling",
        "shows the error #DIV/0!",
    ),
    Rule(
        "workbook 8-bit terminal escape (CSI) pasted into a candidate name",
        workbook(lambda b: setattr(b["candidates"]["B3"], "value", "PS\x9b2JEXT")),
        "book.xlsx, sheet candidates",
        3,
        "name",
        "contains a control character (U+009B) at position 3",
    ),
    Rule(
        "workbook merged cells",
        workbook(_merge),
        sheet("candidates"),
        2,
        "department",
        "cells C2:C3 are merged",
    ),
    Rule(
        "workbook header row empty",
        workbook(lambda b: [setattr(c, "value", None) for c in b["budgets"][1]]),
        sheet("budgets"),
        1,
        None,
        "row 1 is empty",
    ),
    Rule(
        "workbook value in unnamed column",
        workbook(lambda b: b["budgets"].cell(row=4, column=5, value="x")),
        sheet("budgets"),
        4,
        None,
        "has a value in column E, which has no name in row 1",
    ),
    Rule(
        "workbook column twice",
        workbook(lambda b: b["budgets"].cell(row=1, column=4, value="pool")),
        sheet("budgets"),
        1,
        "pool",
        "column appears twice",
    ),
    Rule(
        "workbook settings value column missing",
        workbook(_settings_without_value_column),
        sheet("settings"),
        1,
        "value",
        "column is missing",
    ),
    Rule(
        "workbook settings value without key",
        workbook(lambda b: b["settings"].cell(row=40, column=2, value=5)),
        sheet("settings"),
        40,
        "key",
        "has a value but no key",
    ),
    Rule(
        "workbook settings key not dotted names",
        workbook(
            lambda b: [
                b["settings"].cell(row=40, column=c, value=v)
                for c, v in ((1, "scenario..name"), (2, "x"))
            ]
        ),
        sheet("settings"),
        40,
        "scenario..name",
        "is not a valid key",
    ),
    Rule(
        "workbook settings key twice",
        workbook(
            lambda b: [
                b["settings"].cell(row=40, column=c, value=v)
                for c, v in ((1, "scenario.name"), (2, "x"))
            ]
        ),
        sheet("settings"),
        40,
        "scenario.name",
        "is also set on row 2",
    ),
    Rule(
        "workbook cell not valid JSON",
        workbook(lambda b: b["services"].cell(row=2, column=5, value='{"1-5": 0,5}')),
        sheet("services"),
        2,
        "demand_rates",
        "is not valid JSON",
    ),
    Rule(
        "workbook variants without name column",
        workbook(lambda b: b["variants"].cell(row=1, column=1, value="namn")),
        sheet("variants"),
        1,
        "variant",
        "column is missing",
    ),
    Rule(
        "workbook variant without name",
        workbook(lambda b: setattr(b["variants"]["A3"], "value", None)),
        sheet("variants"),
        3,
        "variant",
        "every variant needs a name",
    ),
    Rule(
        "workbook variant twice",
        workbook(lambda b: b["variants"].cell(row=3, column=1, value="base")),
        sheet("variants"),
        3,
        "variant",
        "duplicate variant 'base'",
    ),
    Rule(
        "workbook section on settings sheet and own sheet",
        workbook(
            lambda b: [
                b["settings"].cell(row=40, column=c, value=v)
                for c, v in ((1, "pools"), (2, '[{"id": "x"}]'))
            ]
        ),
        sheet("settings"),
        40,
        "pools",
        "is set here and on sheet pools",
    ),
    Rule(
        "workbook settings problem located on its sheet",
        workbook(lambda b: b["services"].cell(row=3, column=4, value="XYZ")),
        sheet("services"),
        3,
        "department",
        "unknown department 'XYZ'",
    ),
    # ---- settings ---------------------------------------------------------------------
    Rule(
        "setting unknown",
        toml("first_year", "fist_year"),
        "scenario.toml",
        None,
        "scenario.fist_year",
        "is not a known setting",
    ),
    Rule(
        "setting required",
        toml("first_year = 2026\n", ""),
        "scenario.toml",
        None,
        "scenario.first_year",
        "is required but missing",
    ),
    Rule(
        "setting wrong type",
        toml("first_year = 2026", 'first_year = "tjugo"'),
        "scenario.toml",
        None,
        "scenario.first_year",
        "valid integer",
    ),
    Rule(
        "setting out of range",
        toml("discount_rate = 0.0", "discount_rate = 3.5"),
        "scenario.toml",
        None,
        "scenario.discount_rate",
        "less than or equal to 0.5",
    ),
    Rule(
        "setting not one of",
        toml('objective = "cost"', 'objective = "profit"'),
        "scenario.toml",
        None,
        "scenario.objective",
        "'cost' or 'value'",
    ),
    Rule(
        "no departments",
        lambda f: (
            edit_toml(f, '[[departments]]\nid = "BUF"', '[[old]]\nid = "BUF"')
            or edit_toml(f, '[[departments]]\nid = "TEK"', '[[old]]\nid = "TEK"')
        ),
        "scenario.toml",
        None,
        "old",
        "is not a known setting",
    ),
    Rule(
        "unknown variant asked for",
        lambda f: None,
        "scenario.toml",
        None,
        "variants",
        "unknown variant 'mid'",
        variant="mid",
    ),
    Rule(
        "variant overrides variants",
        lambda f: edit_toml(
            f, 'population = "high"', 'population = "high"\nsettings = { variants = {} }'
        ),
        "scenario.toml",
        None,
        "variants.high.settings",
        "cannot override variants",
    ),
    Rule(
        "variant settings invalid",
        lambda f: edit_toml(
            f,
            'population = "high"',
            'population = "high"\nsettings = { scenario = { discount_rate = 2 } }',
        ),
        "scenario.toml",
        None,
        "variants.high.settings → scenario.discount_rate",
        "less than or equal to 0.5",
    ),
    Rule(
        "variant table outside the folder",
        lambda f: edit_toml(
            f, 'population = "high"', 'population = "high"\ntables = { budgets = "../budgets" }'
        ),
        "scenario.toml",
        None,
        "variants.high.tables.budgets",
        "must be a file name inside the scenario folder",
    ),
    Rule(
        "table name outside the folder",
        lambda f: append_toml(f, '[tables]\nbudgets = "/etc/passwd"'),
        "scenario.toml",
        None,
        "tables.budgets",
        "must be a file name inside",
    ),
    Rule(
        "named optional table missing",
        lambda f: append_toml(f, '[tables]\nstaff = "staff-2027"'),
        "scenario.toml",
        None,
        "tables.staff",
        "'staff-2027' not found: there is no staff-2027.csv",
    ),
    Rule(
        "first year after last year",
        toml("last_year = 2030", "last_year = 2025"),
        "scenario.toml",
        None,
        "scenario.last_year",
        "is before first_year 2026",
    ),
    Rule(
        "department id twice",
        toml('id = "TEK"', 'id = "BUF"'),
        "scenario.toml",
        None,
        "departments[2].id",
        "duplicate departments id 'BUF'",
    ),
    Rule(
        "service id twice",
        toml('id = "water"', 'id = "preschool"'),
        "scenario.toml",
        None,
        "services[2].id",
        "duplicate services id",
    ),
    Rule(
        "pool id twice",
        toml('id = "va"', 'id = "tax"'),
        "scenario.toml",
        None,
        "pools[2].id",
        "duplicate pools id",
    ),
    Rule(
        "district id twice",
        lambda f: append_toml(f, '[[districts]]\nid = "n"\n\n[[districts]]\nid = "n"'),
        "scenario.toml",
        None,
        "districts[2].id",
        "duplicate districts id",
    ),
    Rule(
        "default variant unknown",
        toml('default_variant = "base"', 'default_variant = "mid"'),
        "scenario.toml",
        None,
        "scenario.default_variant",
        "'mid' is not a variant",
    ),
    Rule(
        "service department unknown",
        toml('department = "TEK"', 'department = "KULTUR"'),
        "scenario.toml",
        None,
        "services[2].department",
        "unknown department 'KULTUR'",
    ),
    Rule(
        "service by district without districts",
        toml('department = "BUF"\n', 'department = "BUF"\nby_district = true\n'),
        "scenario.toml",
        None,
        "services[1].by_district",
        "defines no districts",
    ),
    Rule(
        "service without demand rule",
        toml('demand_rates = { "total" = 1.0 }', ""),
        "scenario.toml",
        None,
        "services[2].demand_rates",
        "gives no demand rule",
    ),
    Rule(
        "district neighbour unknown",
        lambda f: append_toml(f, '[[districts]]\nid = "n"\nneighbours = ["s"]'),
        "scenario.toml",
        None,
        "districts[1].neighbours",
        "unknown district 's'",
    ),
    Rule(
        "debt pool unknown",
        lambda f: append_toml(f, '[debt]\npools = ["loan"]'),
        "scenario.toml",
        None,
        "debt.pools",
        "unknown pool 'loan'",
    ),
    Rule(
        "variant table name unknown",
        lambda f: edit_toml(
            f, 'population = "high"', 'population = "high"\ntables = { budget = "budgets" }'
        ),
        "scenario.toml",
        None,
        "variants.high.tables",
        "unknown table 'budget'",
    ),
    Rule(
        "variant table file missing",
        lambda f: edit_toml(
            f, 'population = "high"', 'population = "high"\ntables = { budgets = "budgets-cut" }'
        ),
        "scenario.toml",
        None,
        "variants.high.tables.budgets",
        "there is no budgets-cut.csv",
    ),
    # ---- tables: presence, columns, cells --------------------------------------------
    Rule(
        "required table missing",
        lambda f: (f / "candidates.csv").unlink(),
        "candidates.csv",
        None,
        None,
        "is missing: this table is required",
    ),
    Rule(
        "column unknown",
        lambda f: rename_column(f, "budgets.csv", "ceiling", "celing"),
        "budgets.csv",
        1,
        "celing",
        "is not a known column",
    ),
    Rule(
        "column missing",
        lambda f: drop_column(f, "candidates.csv", "capex"),
        "candidates.csv",
        1,
        "capex",
        "column is missing",
    ),
    Rule(
        "cell not a number",
        cell("candidates.csv", 2, "capex", "tio"),
        "candidates.csv",
        2,
        "capex",
        "'tio' is not a number",
    ),
    Rule(
        "cell not whole",
        cell("candidates.csv", 3, "lead_time", "1,5"),
        "candidates.csv",
        3,
        "lead_time",
        "must be a whole number",
    ),
    Rule(
        "cell not yes/no",
        cell("candidates.csv", 4, "must_do", "kanske"),
        "candidates.csv",
        4,
        "must_do",
        "is not yes/no",
    ),
    Rule(
        "cell NaN",
        cell("candidates.csv", 2, "capex", "NaN"),
        "candidates.csv",
        2,
        "capex",
        "is not a finite number",
    ),
    Rule(
        "cell formula text",
        cell("candidates.csv", 2, "capex", "=B2*2"),
        "candidates.csv",
        2,
        "capex",
        "is a formula",
    ),
    Rule(
        "cell empty but required",
        cell("candidates.csv", 3, "name", ""),
        "candidates.csv",
        3,
        "name",
        "is empty but a value is required",
    ),
    Rule(
        "cell below minimum",
        cell("candidates.csv", 2, "capex", "-5"),
        "candidates.csv",
        2,
        "capex",
        "greater than or equal to 0",
    ),
    Rule(
        "cell above maximum",
        cell("candidates.csv", 2, "lead_time", "99"),
        "candidates.csv",
        2,
        "lead_time",
        "less than or equal to 30",
    ),
    Rule(
        "share above one",
        cell("candidates.csv", 5, "grant_share", "1.5"),
        "candidates.csv",
        5,
        "grant_share",
        "less than or equal to 1",
    ),
    Rule(
        "population negative",
        cell("population.csv", 3, "population", "-82"),
        "population.csv",
        3,
        "population",
        "greater than or equal to 0",
    ),
    Rule(
        "population variant missing",
        toml('population = "high"', 'population = "hög"'),
        "population.csv",
        None,
        "variant",
        "has no rows for variant 'hög'",
    ),
    # ---- candidates -------------------------------------------------------------------
    Rule(
        "candidate id twice",
        cell("candidates.csv", 3, "id", "PS-NEW"),
        "candidates.csv",
        3,
        "id",
        "duplicate candidate id 'PS-NEW' (first on row 2)",
    ),
    Rule(
        "candidate department unknown",
        cell("candidates.csv", 2, "department", "SKOLA"),
        "candidates.csv",
        2,
        "department",
        "unknown department 'SKOLA'",
    ),
    Rule(
        "candidate pool unknown",
        cell("candidates.csv", 2, "pool", "loan"),
        "candidates.csv",
        2,
        "pool",
        "unknown funding pool 'loan'",
    ),
    Rule(
        "candidate district unknown",
        cell("candidates.csv", 2, "district", "east"),
        "candidates.csv",
        2,
        "district",
        "unknown district 'east'",
    ),
    Rule(
        "candidate district empty for a district service",
        districts_then(cell("candidates.csv", 3, "district", "")),
        "candidates.csv",
        3,
        "district",
        "is empty, but preschool is planned per district",
    ),
    Rule(
        "spend profile negative share",
        cell("candidates.csv", 2, "spend_profile", "1.5|-0.5"),
        "candidates.csv",
        2,
        "spend_profile",
        "has a negative share",
    ),
    Rule(
        "spend profile sum not 1",
        cell("candidates.csv", 2, "spend_profile", "0.5|0.4"),
        "candidates.csv",
        2,
        "spend_profile",
        "shares sum to 0.9, not 1",
    ),
    Rule(
        "spend profile longer than lead time",
        cell("candidates.csv", 3, "spend_profile", "0.5|0.5"),
        "candidates.csv",
        3,
        "spend_profile",
        "spends over 2 years but the lead time is 1",
    ),
    Rule(
        "earliest start outside horizon",
        cell("candidates.csv", 4, "earliest_start", "2035"),
        "candidates.csv",
        4,
        "earliest_start",
        "2035 is outside the horizon 2026-2030",
    ),
    Rule(
        "latest start before earliest",
        cell("candidates.csv", 4, "latest_start", "2025"),
        "candidates.csv",
        4,
        "latest_start",
        "is before earliest_start 2026",
    ),
    Rule(
        "committed start outside window",
        cell("candidates.csv", 3, "committed_start", "2030"),
        "candidates.csv",
        3,
        "committed_start",
        "2030 is outside its start window 2026-2029",
    ),
    Rule(
        "deadline cannot be met",
        lambda f: [
            set_cell(f, "candidates.csv", 2, "must_do", "ja"),
            set_cell(f, "candidates.csv", 2, "deadline", "2027"),
        ],
        "candidates.csv",
        2,
        "deadline",
        "2027 cannot be met: lead time 2 needs a start before 2026",
    ),
    Rule(
        "lead time longer than horizon",
        lambda f: [
            set_cell(f, "candidates.csv", 4, "lead_time", "6"),
            set_cell(f, "candidates.csv", 4, "latest_start", ""),
        ],
        "candidates.csv",
        4,
        "lead_time",
        "6 years does not fit the horizon 2026-2030",
    ),
    Rule(
        "two forced candidates in one exclusive group",
        lambda f: [
            set_cell(f, "candidates.csv", 2, "must_do", "yes"),
            set_cell(f, "candidates.csv", 3, "must_do", "yes"),
        ],
        "candidates.csv",
        3,
        "exclusive_group",
        "group 'preschool-site' has more than one must-do or committed candidate: PS-NEW, PS-EXT",
    ),
    Rule(
        "no start year left after precedence",
        cell("candidates.csv", 6, "latest_start", "2026"),
        "candidates.csv",
        6,
        "earliest_start",
        "candidate 'PS-NORTH' has no possible start year: earliest 2027 > latest 2026",
    ),
    Rule(
        "no start year left for spending",
        lambda f: [
            set_cell(f, "candidates.csv", 2, "earliest_start", "2030"),
            set_cell(f, "candidates.csv", 2, "latest_start", ""),
        ],
        "candidates.csv",
        2,
        "earliest_start",
        "spending over 2 year(s) must end by 2030",
    ),
    # ---- capacity, dependencies, assets -----------------------------------------------
    Rule(
        "capacity row twice",
        lambda f: append_row(f, "candidate_capacity.csv", "PS-NEW,preschool,5"),
        "candidate_capacity.csv",
        7,
        "service",
        "duplicate candidate and service",
    ),
    Rule(
        "capacity candidate unknown",
        cell("candidate_capacity.csv", 3, "candidate", "PS-BIG"),
        "candidate_capacity.csv",
        3,
        "candidate",
        "unknown candidate 'PS-BIG'",
    ),
    Rule(
        "capacity service unknown",
        cell("candidate_capacity.csv", 5, "service", "sewage"),
        "candidate_capacity.csv",
        5,
        "service",
        "unknown service 'sewage'",
    ),
    Rule(
        "dependency twice",
        lambda f: append_row(f, "dependencies.csv", "PS-NORTH,WATER-EXT,in_service_before_start,1"),
        "dependencies.csv",
        3,
        "requires",
        "duplicate dependency",
    ),
    Rule(
        "dependency candidate unknown",
        cell("dependencies.csv", 2, "candidate", "PS-SOUTH"),
        "dependencies.csv",
        2,
        "candidate",
        "unknown candidate 'PS-SOUTH'",
    ),
    Rule(
        "dependency requires unknown",
        cell("dependencies.csv", 2, "requires", "WATER"),
        "dependencies.csv",
        2,
        "requires",
        "unknown candidate 'WATER'",
    ),
    Rule(
        "dependency kind unknown",
        cell("dependencies.csv", 2, "kind", "before"),
        "dependencies.csv",
        2,
        "kind",
        "'before' is not one of",
    ),
    Rule(
        "dependency on itself",
        cell("dependencies.csv", 2, "requires", "PS-NORTH"),
        "dependencies.csv",
        2,
        "requires",
        "cannot depend on itself",
    ),
    Rule(
        "dependency on a modular candidate",
        cell("candidates.csv", 5, "max_units", "2"),
        "dependencies.csv",
        2,
        "requires",
        "'WATER-EXT' has max_units > 1",
    ),
    Rule(
        "dependency cycle",
        lambda f: append_row(f, "dependencies.csv", "WATER-EXT,PS-NORTH,in_service_before_start,0"),
        "dependencies.csv",
        None,
        "requires",
        "dependencies form a cycle: PS-NORTH → WATER-EXT → PS-NORTH",
    ),
    Rule(
        "asset id twice",
        cell("existing_assets.csv", 3, "id", "PS-OLD"),
        "existing_assets.csv",
        3,
        "id",
        "duplicate asset id 'PS-OLD'",
    ),
    Rule(
        "asset service unknown",
        cell("existing_assets.csv", 3, "service", "sewage"),
        "existing_assets.csv",
        3,
        "service",
        "unknown service 'sewage'",
    ),
    Rule(
        "asset district empty for a district service",
        districts_then(cell("existing_assets.csv", 2, "district", "")),
        "existing_assets.csv",
        2,
        "district",
        "is empty, but preschool is planned per district",
    ),
    Rule(
        "asset district unknown",
        cell("existing_assets.csv", 3, "district", "east"),
        "existing_assets.csv",
        3,
        "district",
        "unknown district 'east'",
    ),
    # ---- population -------------------------------------------------------------------
    Rule(
        "population row twice",
        cell("population.csv", 3, "year", "2026"),
        "population.csv",
        3,
        "age_group",
        "duplicate population row",
    ),
    Rule(
        "population district unknown",
        cell("population.csv", 2, "district", "east"),
        "population.csv",
        2,
        "district",
        "unknown district 'east'",
    ),
    Rule(
        "population mixes district and none",
        districts_then(lambda f: append_row(f, "population.csv", "base,2026,,80+,5")),
        "population.csv",
        None,
        "district",
        "variant 'base' mixes rows with and without a district",
    ),
    Rule(
        "population age group of a rate missing",
        toml('"1-5" = 0.5', '"1-6" = 0.5'),
        "scenario.toml",
        None,
        "services[1].demand_rates",
        "age group '1-6' is not in population.csv",
    ),
    Rule(
        "population year missing",
        lambda f: drop_rows(f, "population.csv", 4),
        "population.csv",
        None,
        "year",
        "variant 'base', age group '1-5' has no population for 2028",
    ),
    Rule(
        "population per district needed",
        lambda f: [
            add_districts(f),
            (f / "population.csv").write_text(
                (Path(__file__).parents[1] / "scenarios/tiny/population.csv").read_text()
            ),
        ],
        "population.csv",
        None,
        "district",
        "services planned per district need population per district",
    ),
    Rule(
        "population district year missing",
        districts_then(lambda f: drop_rows(f, "population.csv", 3)),
        "population.csv",
        None,
        "district",
        "district 'south', age group '1-5' has no population for 2026",
    ),
    # ---- budgets and yearly tables -----------------------------------------------------
    Rule(
        "budget row twice",
        lambda f: append_row(f, "budgets.csv", "tax,2026,8"),
        "budgets.csv",
        12,
        "year",
        "duplicate pool and year ('tax', 2026) (first on row 2)",
    ),
    Rule(
        "budget pool unknown",
        cell("budgets.csv", 7, "pool", "vatten"),
        "budgets.csv",
        7,
        "pool",
        "unknown funding pool 'vatten'",
    ),
    Rule(
        "budget year missing",
        lambda f: drop_rows(f, "budgets.csv", 11),
        "budgets.csv",
        None,
        "year",
        "pool 'va' has no budget for 2030",
    ),
    Rule(
        "department budget unknown department",
        lambda f: (f / "department_budgets.csv").write_text(
            "department,year,ceiling\nSKOLA,2026,5\n"
        ),
        "department_budgets.csv",
        2,
        "department",
        "unknown department 'SKOLA'",
    ),
    Rule(
        "department budget twice",
        lambda f: (f / "department_budgets.csv").write_text(
            "department,year,ceiling\nBUF,2026,5\nBUF,2026,6\n"
        ),
        "department_budgets.csv",
        3,
        "year",
        "duplicate department and year",
    ),
    Rule(
        "staff unknown department",
        lambda f: (f / "staff.csv").write_text("department,year,recruitable_fte\nSKOLA,2026,5\n"),
        "staff.csv",
        2,
        "department",
        "unknown department 'SKOLA'",
    ),
    Rule(
        "staff year missing",
        lambda f: (f / "staff.csv").write_text(
            "department,year,recruitable_fte\n" + "".join(f"BUF,{y},3\n" for y in range(2026, 2030))
        ),
        "staff.csv",
        None,
        "year",
        "department 'BUF' has no recruitable staff for 2030",
    ),
    Rule(
        "policy year twice",
        lambda f: (f / "policy_years.csv").write_text("year,co2e_cap_t\n2026,100\n2026,90\n"),
        "policy_years.csv",
        3,
        "year",
        "duplicate year 2026",
    ),
    Rule(
        "debt rules need every year",
        lambda f: [
            append_toml(f, "[debt]\nopening = 10"),
            (f / "policy_years.csv").write_text("year,self_financing\n2026,1\n"),
        ],
        "policy_years.csv",
        None,
        "year",
        "debt rules need every year; missing 2027, 2028, 2029, 2030",
    ),
    Rule(
        "workbook date in a year cell",
        workbook(lambda b: b["budgets"].cell(row=2, column=2, value=dt.datetime(2026, 1, 1))),
        sheet("budgets"),
        2,
        "year",
        "'2026-01-01' is a date, not a number",
    ),
]


def _expected(rule: Rule, tmp_path: Path) -> tuple:
    return (rule.file.format(tmp=tmp_path), rule.row, rule.field)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_rule(rule: Rule, tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    target = rule.breaks(folder)
    target = target if isinstance(target, Path) else folder

    args = ["validate", target, "--json"] + (["--variant", rule.variant] if rule.variant else [])
    code, out, err = run_cli(*args)

    assert code == 2
    assert "Traceback" not in out + err
    problems = [Problem(**p) for p in json.loads(out)["problems"]]
    expected = _expected(rule, tmp_path)
    found = [
        p for p in problems if (p.file, p.row, p.field) == expected and rule.phrase in p.message
    ]
    assert found, f"expected {expected} '{rule.phrase}' among:\n" + "\n".join(map(str, problems))
    assert str(found[0]) in err  # and listed for people on stderr


def test_rule_names_are_unique() -> None:
    assert len({r.name for r in RULES}) == len(RULES)


def test_districts_baseline_is_valid(tmp_path: Path) -> None:
    """The district set-up the district rules start from is itself valid."""
    folder = copy_tiny(tmp_path)
    add_districts(folder)
    assert problems_of(folder) == []


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    """Three unrelated mistakes in three files: all three in one run."""
    folder = copy_tiny(tmp_path)
    set_cell(folder, "candidates.csv", 2, "capex", "tio")
    set_cell(folder, "budgets.csv", 4, "ceiling", "åtta")
    set_cell(folder, "candidate_capacity.csv", 3, "service", "sewage")
    spots = {(p.file, p.row, p.field) for p in problems_of(folder)}
    assert {("candidates.csv", 2, "capex"), ("budgets.csv", 4, "ceiling")} <= spots


def test_cell_problems_reported_even_when_settings_are_broken(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    edit_toml(folder, "first_year = 2026", 'first_year = "x"')
    set_cell(folder, "candidates.csv", 2, "capex", "tio")
    spots = {(p.file, p.row, p.field) for p in problems_of(folder)}
    assert ("scenario.toml", None, "scenario.first_year") in spots
    assert ("candidates.csv", 2, "capex") in spots


def test_variant_specific_problem_names_its_variant(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    (folder / "budgets-cut.csv").write_text("pool,year,ceiling\ntax,2026,8\n")
    edit_toml(
        folder, 'population = "high"', 'population = "high"\ntables = { budgets = "budgets-cut" }'
    )
    problems = problems_of(folder)
    messages = [p.message for p in problems if p.file == "budgets-cut.csv"]
    assert "variant 'high': pool 'tax' has no budget for 2027, 2028, 2029, 2030" in messages
    assert not any(p.file == "budgets.csv" for p in problems)


def test_identical_problems_in_every_variant_are_listed_once(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "candidates.csv", 2, "capex", "tio")
    problems = problems_of(folder)
    assert [str(p) for p in problems].count(
        "candidates.csv, row 2, field 'capex': 'tio' is not a number"
    ) == 1
