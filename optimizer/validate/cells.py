"""Pydantic's findings in words a spreadsheet user can act on, and the rows of each table.

A row is validated by its model in ``optimizer.schema`` (cell parsers, then the row's own
rules). A row whose cells all parse is kept whole; a row with a bad cell is kept as the cells
that did parse, so that its id still counts as known and its year as present: one bad cell
gives one message, not a follow-on in every table that refers to the row.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from optimizer import schema
from optimizer.errors import Problem
from optimizer.io.raw import RawTable
from optimizer.validate.context import Table
from optimizer.validate.totals import TotalRows


def loc_to_field(loc: tuple) -> str:
    text = ""
    for item in loc:
        text += f"[{item + 1}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text


def plain(error: dict) -> str:
    """Pydantic's messages, reworded where they would puzzle a spreadsheet user."""
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "missing":
        return "is required but missing"
    if value is None and kind in {"float_type", "int_type", "string_type", "bool_type"}:
        return "is empty but a value is required"
    if kind == "finite_number":  # nan or inf, which TOML and JSON accept
        return f"'{value}' is not a finite number"
    if kind == "extra_forbidden":
        return "is not a known setting (check the spelling)"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error.get("msg")))
    message = error.get("msg", "is not valid")
    message = message.replace("Input should be", "must be").replace(
        "String should have", "must have"
    )
    if value not in (None, "") and not isinstance(value, dict | list):
        message += f" (got '{value}')"
    return message


def error_problems(exc: ValidationError, label: str, row: int | None) -> list[Problem]:
    """One problem per error; a row rule raised outside the loader gives one per finding."""
    problems = []
    for e in exc.errors():
        found = e.get("ctx", {}).get("error")
        if isinstance(found, schema.RowRuleError):
            problems += [Problem(label, row, name, message) for name, message in found.found]
        else:
            problems.append(Problem(label, row, loc_to_field(e["loc"]), plain(e)))
    return problems


def validate_settings(
    data: dict, label: str
) -> tuple[schema.Settings | None, list[Problem], list[Problem]]:
    """The settings, the problems of their cells, and the problems of their rules."""
    found: list[tuple[str, str]] = []
    try:
        settings = schema.Settings.model_validate(data, context={schema.ROW_PROBLEMS: found})
    except ValidationError as exc:
        return None, error_problems(exc, label, None), []
    return settings, [], [Problem(label, None, name, message) for name, message in found]


@cache
def _cell_parser(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, *info.metadata])


def _parsed_cells(model: type[BaseModel], data: dict, failed: set[str]) -> dict[str, Any]:
    """The cells of a failed row that parse on their own (defaults for empty optional cells)."""
    cells: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in failed:
            continue
        if name in data:
            try:
                cells[name] = _cell_parser(model, name).validate_python(data[name])
            except ValidationError:
                continue
        elif not info.is_required():
            cells[name] = info.get_default(call_default_factory=True)
    return cells


def read_rows(
    raw: RawTable, model: type[BaseModel], table: Table
) -> tuple[list[Problem], list[Problem]]:
    """Fill ``table`` from ``raw``; the problems of its header and cells, and of its row rules.

    A required column that is missing is one problem, on the header: its empty cells are not
    reported again on every row.
    """
    problems: list[Problem] = []
    broken_rules: list[Problem] = []
    known = set(model.model_fields)
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    for column in raw.columns:
        if column not in known:
            problems.append(
                Problem(
                    raw.label,
                    1,
                    column,
                    f"is not a known column; known columns: {', '.join(model.model_fields)}",
                )
            )
    table.missing_columns = required - set(raw.columns)
    for column in sorted(table.missing_columns):
        problems.append(Problem(raw.label, 1, column, "column is missing"))
    header_faults = {(column,) for column in table.missing_columns}
    totals = TotalRows(raw)
    for index, (number, cells) in enumerate(raw.rows):
        total = totals.message(index, cells)
        if total is not None:  # never read as a row: one problem, not one a field
            problems.append(Problem(raw.label, number, None, total))
            continue
        # An empty cell takes the column's default (docs/scenario-format.md); only an empty
        # cell in a required column is a problem.
        data = {
            k: v for k, v in cells.items() if k in known and (k in required or not schema._blank(v))
        }
        found: list[tuple[str, str]] = []
        try:
            row = model.model_validate(data, context={schema.ROW_PROBLEMS: found})
        except ValidationError as exc:
            problems += [
                Problem(raw.label, number, loc_to_field(e["loc"]), plain(e))
                for e in exc.errors()
                if e["loc"][:1] not in header_faults
            ]
            failed = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            table.partial.append((number, _parsed_cells(model, data, failed)))
            continue
        table.rows.append((number, row))
        broken_rules += [Problem(raw.label, number, name, message) for name, message in found]
    return problems, broken_rules
