"""Find each table of the chosen variant in the raw scenario and parse its rows."""

from __future__ import annotations

import re

import pandas as pd

from optimizer import schema
from optimizer.errors import Problem
from optimizer.io.folder import misnamed_table
from optimizer.io.raw import RawScenario
from optimizer.scenario import ALL_DISTRICTS
from optimizer.validate.cells import read_rows
from optimizer.validate.context import MISSING, PRESENT, Context, Table

_SAFE_STEM = re.compile(r"^[A-Za-z0-9_.\- ]+$")


def read_tables(ctx: Context) -> None:
    """Every table of ``schema.TABLE_NAMES`` into ``ctx.tables``, with the problems found."""
    for name in schema.TABLE_NAMES:
        ctx.tables[name] = _read_table(ctx, name)
    _header_only(ctx)
    ctx.population = _population_frame(ctx)


def _header_only(ctx: Context) -> None:
    """A table whose rows were deleted and header kept, where rows are needed: one problem.

    An empty population where a service's demand comes from it solved to a plan of nothing
    ('optimal', cost 0); an empty candidates.csv gave an 'unknown candidate' for every row of
    candidate_capacity.csv. Empty is fine where nothing needs the rows (a knapsack in value
    mode has no population; a baseline without candidates has no capacity rows either).
    """
    needed = {
        "population": any(s.demand_rates for s in ctx.settings.services),
        "candidates": bool(ctx.rows("candidate_capacity") or ctx.rows("dependencies")),
    }
    for name, rows_needed in needed.items():
        table = ctx.tables[name]
        if rows_needed and table.status == PRESENT and not table.rows and not table.partial:
            message = "has only its header row: this table is required and needs at least one row"
            ctx.problems.append(Problem(table.label, None, None, message))
            table.status = MISSING


def _read_table(ctx: Context, name: str) -> Table:
    chosen, raw = ctx.chosen, ctx.raw
    stem = chosen.tables.get(name) or ctx.settings.tables.get(name) or name
    stem = stem.removesuffix(".csv")
    table = Table(name, raw.table_label(stem))
    if not _SAFE_STEM.fullmatch(stem) or ".." in stem:
        where = (
            f"variants.{ctx.variant}.tables.{name}" if name in chosen.tables else f"tables.{name}"
        )
        message = f"'{stem}' must be a file name inside the scenario folder"
        ctx.problems.append(Problem(ctx.settings_label, None, where, message))
        table.status = MISSING
        return table
    found = raw.tables.get(stem)
    misnamed = None
    if found is None:
        misnamed = (
            misnamed_table(raw.root, stem) if raw.root.is_dir() else _misnamed_sheet(raw, stem)
        )
    if misnamed:  # the user's table under a name capplan does not read: never left out silently
        ctx.problems.append(Problem(misnamed[0], None, None, misnamed[1]))
        table.status = MISSING
        return table
    if found is None:
        if name in schema.REQUIRED_TABLES:
            ctx.problems.append(
                Problem(table.label, None, None, "is missing: this table is required")
            )
        elif stem != name and name not in chosen.tables:  # named in [tables], not there
            message = f"'{stem}' not found: there is no {table.label}"
            ctx.problems.append(Problem(ctx.settings_label, None, f"tables.{name}", message))
        # A table that is named (by a variant, too) but not there is missing, not empty.
        if name in schema.REQUIRED_TABLES or stem != name:
            table.status = MISSING
        return table
    parsed = ctx.parsed_tables
    if (name, stem) not in parsed:
        # Every variant reads the same file the same way (the variant selects rows later), so
        # validating all variants parses it once: a population table has millions of cells.
        table.label, table.status = found.label, PRESENT
        parsed[name, stem] = (table, *read_rows(found, schema.ROW_MODELS[name], table))
    table, cells, row_rules = parsed[name, stem]
    ctx.problems += cells
    ctx.add_rule_problems(f"{schema.ROW_MODELS[name].__name__} validators", row_rules)
    return table


def _misnamed_sheet(raw: RawScenario, stem: str) -> tuple[str, str] | None:
    """A workbook's sheet meant as the table ``stem`` under another letter case or with spaces
    around its name ('Dependencies', 'dependencies '): not read, so never left out silently."""
    for title in sorted({*raw.tables, *raw.unread}):
        if title != stem and title.strip().casefold() == stem.casefold():
            return raw.table_label(title), (
                f"is not read: name the sheet '{stem}' (capplan finds a table by its exact name: "
                "letter case and spaces too)"
            )
    return None


def cell_problems(raw: RawScenario) -> list[Problem]:
    """Cell types of every table, checked even when the settings are too broken to go on."""
    tables = raw.settings.get("tables") if isinstance(raw.settings.get("tables"), dict) else {}
    problems: list[Problem] = []
    for name in schema.TABLE_NAMES:
        stem = tables.get(name) if isinstance(tables.get(name), str) else name
        found = raw.tables.get(stem.removesuffix(".csv"))
        if found is not None:
            cells, row_rules = read_rows(found, schema.ROW_MODELS[name], Table(name, found.label))
            problems += cells + row_rules
    return problems


def population_variant(ctx: Context) -> str:
    return ctx.chosen.population or ctx.variant


def rebuild_population(ctx: Context) -> None:
    """The variant's population again, after a rule rewrote a cell (``spelling.py``)."""
    ctx.population = _frame(_population_records(ctx))


def _population_records(ctx: Context) -> list[dict]:
    variant = population_variant(ctx)
    return [
        {
            "year": r.year,
            "district": r.district or ALL_DISTRICTS,
            "age_group": r.age_group,
            "population": r.population,
        }
        for _, r in ctx.rows("population")
        if r.variant == variant
    ]


def _population_frame(ctx: Context) -> pd.DataFrame:
    rows = ctx.rows("population")
    variant = population_variant(ctx)
    records = _population_records(ctx)
    possible = ctx.tables["population"].values("variant")
    if rows and not records and possible is not None and variant not in possible:
        variants = sorted({r.variant for _, r in rows})
        ctx.problems.append(
            Problem(
                ctx.label("population"),
                None,
                "variant",
                f"has no rows for variant '{variant}' (found: {', '.join(variants)})",
            )
        )
    return _frame(records)


def _frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["year", "district", "age_group", "population"])
    return frame.astype({"year": "int64", "population": "float64"})
