"""Keep ``docs/scenario-format.md`` in step with the code: its field tables come from the schema.

    python -m optimizer.docs          # rewrite the generated blocks in place
    python -m optimizer.docs --check  # exit 1 if the document is out of date (a test does this)

The document is prose written by hand around blocks delimited by
``<!-- BEGIN GENERATED name -->`` and ``<!-- END GENERATED name -->``. Only the blocks are
rewritten, from the pydantic models' field types, limits, defaults and descriptions.
"""

from __future__ import annotations

import re
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from optimizer import schema

DOC = Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md"
_BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- END GENERATED (?P=name) -->)",
    re.DOTALL,
)

SETTINGS_MODELS: dict[str, type[BaseModel]] = {
    "scenario": schema.ScenarioInfo,
    "climate": schema.Climate,
    "debt": schema.Debt,
    "finance": schema.Finance,
    "solver": schema.SolverSettings,
    "replan": schema.Replan,
    "departments": schema.Department,
    "services": schema.Service,
    "districts": schema.District,
    "pools": schema.FundingPool,
    "variants": schema.Variant,
    "criteria": schema.Criterion,
}

_CELL_TYPES = {
    schema.parse_number: "number",
    schema.parse_int: "whole number",
    schema.parse_bool: "yes/no",
    schema.parse_text: "text",
    schema.parse_list: "`|`-list of text",
    schema.parse_number_list: "`|`-list of numbers",
}


def type_text(info: FieldInfo) -> str:
    """The type of a field in words, with its limits: 'number ≥ 0', 'one of `cost`, `value`'."""
    name = None
    for item in info.metadata:
        func = getattr(item, "func", None)
        if func in _CELL_TYPES:
            name = _CELL_TYPES[func]
    name = name or _annotation_text(info.annotation)
    limits = _limits(info.metadata)
    return f"{name} {', '.join(limits)}".strip() if limits else name


def _limits(metadata) -> list[str]:
    """'≥ 0', '≤ 30' from annotated-types bounds and '|x| ≤ 1 000 000 MSEK' from magnitudes."""
    limits = []
    for item in metadata:
        for attribute, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(item, attribute, None)
            if value is not None and isinstance(item, annotated_types.BaseMetadata):
                limits.append(f"{sign} {value}")
        if isinstance(getattr(item, "func", None), schema.Magnitude):
            limits.append(item.func.text())
    return limits


def _annotation_text(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        limits = _limits(annotation.__metadata__)
        text = _annotation_text(args[0])
        return f"{text} {', '.join(limits)}" if limits else text
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return (
            _annotation_text(rest[0])
            if len(rest) == 1
            else " or ".join(map(_annotation_text, rest))
        )
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_annotation_text(args[0])}"
    if origin is dict:
        value = args[1] if len(args) == 2 else typing.Any
        return "map" if value is typing.Any else f"map of {_annotation_text(value)}"
    return {str: "text", int: "whole number", float: "number", bool: "true/false"}.get(
        annotation, "any"
    )


def default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    default = info.get_default(call_default_factory=True)
    if default is None or default in ("", [], {}):
        return "empty"
    if isinstance(default, bool):
        cell = any(getattr(m, "func", None) is schema.parse_bool for m in info.metadata)
        return ("yes" if default else "no") if cell else ("true" if default else "false")
    return f"`{default}`"


def field_table(model: type[BaseModel], first: str = "field") -> str:
    lines = [f"| {first} | type | default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        name = info.alias or name  # the key as written in the file ([solver] `name`)
        meaning = (info.description or "").replace("|", "\\|").replace("\n", " ")
        kind = type_text(info).replace("|", "\\|")
        lines.append(f"| `{name}` | {kind} | {default_text(info)} | {meaning} |")
    return "\n".join(lines) + "\n"


def table_list() -> str:
    lines = ["| table | file | required | one row per |", "|---|---|---|---|"]
    what = {
        "candidates": "candidate investment",
        "candidate_capacity": "candidate and service",
        "dependencies": "dependency between two candidates",
        "existing_assets": "existing building or plant",
        "population": "variant, year, district and age group",
        "budgets": "funding pool and year",
        "department_budgets": "department and year",
        "staff": "department and year",
        "policy_years": "year",
        "emergency_options": "emergency option (pavilion, bought places, school transport)",
        "other_investments": "investment besides the candidates (any number per pool and year)",
    }
    for name in schema.TABLE_NAMES:
        required = "yes" if name in schema.REQUIRED_TABLES else "no"
        lines.append(f"| [{name}](#{name}) | `{name}.csv` | {required} | {what[name]} |")
    return "\n".join(lines) + "\n"


def magnitude_list() -> str:
    """The sane range of each kind of quantity (``schema.Magnitude``), as a table."""
    lines = ["| kind of quantity | largest absolute value |", "|---|---|"]
    for magnitude in (
        schema.MSEK,
        schema.PEOPLE,
        schema.CAPACITY,
        schema.RATE,
        schema.FTE,
        schema.CO2E,
        schema.SEK_PER_T,
        schema.SCORE,
        schema.FACTOR,
    ):
        limit = f"{magnitude.limit:,.0f} {magnitude.unit}".replace(",", " ").strip()
        lines.append(f"| {magnitude.kind} | {limit} |")
    lines.append(f"| a year | {schema.MIN_YEAR} … {schema.MAX_YEAR} |")
    lines.append(f"| projects under construction at once | {schema.MAX_COUNT} |")
    return "\n".join(lines) + "\n"


def blocks() -> dict[str, Callable[[], str]]:
    generated: dict[str, Callable[[], str]] = {"tables": table_list, "numbers": magnitude_list}
    for section, model in SETTINGS_MODELS.items():
        generated[f"settings-{section}"] = lambda model=model: field_table(model)
    for table, model in schema.ROW_MODELS.items():
        generated[f"table-{table}"] = lambda model=model: field_table(model, first="column")
    return generated


def render(text: str) -> str:
    """``text`` with every generated block rewritten; unknown block names are an error."""
    generators = blocks()

    def replace(match: re.Match) -> str:
        name = match.group("name")
        if name not in generators:
            raise KeyError(f"unknown generated block '{name}' in {DOC.name}")
        return f"{match.group(1)}{generators[name]()}{match.group(4)}"

    return _BLOCK.sub(replace, text)


def missing_blocks(text: str) -> list[str]:
    present = {m.group("name") for m in _BLOCK.finditer(text)}
    return [name for name in blocks() if name not in present]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = DOC.read_text(encoding="utf-8")
    fresh = render(text)
    missing = missing_blocks(text)
    if missing:
        print(f"{DOC}: no place for generated block(s) {', '.join(missing)}", file=sys.stderr)
        return 1
    if "--check" in args:
        if fresh != text:
            print(f"{DOC} is out of date: run python -m optimizer.docs", file=sys.stderr)
            return 1
        return 0
    if fresh != text:
        DOC.write_text(fresh, encoding="utf-8")
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
