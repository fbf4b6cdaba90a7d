"""The first rule: a reference typed with an Excel dash, a non-breaking space or other letter
case than the id it names is read as that id, when exactly one id matches, and said in a warning.

An en dash in ``1–5`` and a hyphen in ``1-5`` look identical in a spreadsheet, so "age group
'1-5' is not in population.csv" would send a planner looking for a difference they cannot see.
Folding is never a guess: when two ids fold to the same text, nothing is folded and the
reference rules report the value as unknown, listing the known ids.
"""

from __future__ import annotations

import re

from optimizer.validate.context import Context
from optimizer.validate.tables import rebuild_population

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphen … horizontal bar, minus sign
SPACES = "\u00a0\u2007\u2009\u202f"  # no-break, figure, thin, narrow no-break
_DASH = re.compile(f"[{DASHES}]")
_SPACE = re.compile(f"[{SPACES}\\s]+")


def folded(text: str) -> str:
    """The text as compared: dashes as hyphens, any run of spaces as one, case folded."""
    return _SPACE.sub(" ", _DASH.sub("-", text)).strip().casefold()


def differences(typed: str, meant: str) -> str:
    """What was folded, in words: "'–' (U+2013) taken as '-', letter case"."""
    found = []
    dashes = sorted({c for c in typed + meant if c in DASHES})
    if dashes:
        shown = ", ".join(f"'{d}' (U+{ord(d):04X})" for d in dashes)
        found.append(f"{shown} taken as '-'")
    if any(c in SPACES for c in typed + meant):
        found.append("a non-breaking space taken as a space")
    if _plain(typed) != _plain(meant):
        found.append("letter case")
    return ", ".join(found)


def _plain(text: str) -> str:
    return _SPACE.sub(" ", _DASH.sub("-", text)).strip()


# table -> {column: the ``Context`` set of the ids it refers to}, in the order they are folded.
REFERENCES: dict[str, dict[str, str]] = {
    "candidates": {"department": "departments", "pool": "pools", "district": "districts"},
    "candidate_capacity": {"candidate": "candidate_ids", "service": "services"},
    "dependencies": {"candidate": "candidate_ids", "requires": "candidate_ids"},
    "existing_assets": {"service": "services", "district": "districts"},
    "budgets": {"pool": "pools"},
    "department_budgets": {"department": "departments"},
    "staff": {"department": "departments"},
    "population": {"district": "districts", "age_group": "demand_age_groups"},
}


def unambiguous(known: set[str]) -> dict[str, str]:
    """Folded text -> the one id that folds to it (ids that fold alike are left out)."""
    by_folded: dict[str, list[str]] = {}
    for k in known:
        by_folded.setdefault(folded(k), []).append(k)
    return {f: ids[0] for f, ids in by_folded.items() if len(ids) == 1}


def fold_references(ctx: Context) -> None:
    """Rewrite each reference that folds to exactly one known id; one warning per table, column
    and value rewritten (on its first row, saying how many rows)."""
    population_changed = False
    references = ((t, c, ids) for t, columns in REFERENCES.items() for c, ids in columns.items())
    for table_name, column, ids in references:
        table = ctx.tables[table_name]
        known = getattr(ctx, ids)
        if not known or column in table.missing_columns:
            continue
        meant_by = unambiguous(known)
        rewritten: dict[tuple[str, str], list[int]] = {}
        for position, (number, row) in enumerate(table.rows):
            value = getattr(row, column)
            meant = _meant(value, known, meant_by)
            if meant is not None:
                table.rows[position] = (number, row.model_copy(update={column: meant}))
                rewritten.setdefault((value, meant), []).append(number)
                population_changed |= table_name == "population"
        for number, cells in table.partial:
            meant = _meant(cells.get(column), known, meant_by)
            if meant is not None:
                rewritten.setdefault((cells[column], meant), []).append(number)
                cells[column] = meant
        for (typed, meant), rows in rewritten.items():
            on = f" on {len(rows)} rows" if len(rows) > 1 else ""
            message = f"'{typed}' read as '{meant}'{on} ({differences(typed, meant)})"
            ctx.warn(table.label, min(rows), column, message)
    if population_changed:
        rebuild_population(ctx)


def _meant(value: object, known: set[str], meant_by: dict[str, str]) -> str | None:
    if not isinstance(value, str) or value in known:
        return None
    return meant_by.get(folded(value))
