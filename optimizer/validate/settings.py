"""The settings of one variant (base merged with the variant's overrides), and the one settings
rule that needs the tables: a variant's replacement table files exist."""

from __future__ import annotations

import copy

from optimizer import schema
from optimizer.errors import Problem
from optimizer.io.raw import RawScenario
from optimizer.validate.cells import validate_settings
from optimizer.validate.context import Context


def deep_merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def variant_name(base: schema.Settings, variant: str | None) -> str:
    return variant or base.scenario.default_variant or next(iter(base.variants), None) or "base"


def variant_settings(
    raw: RawScenario, base: schema.Settings, name: str, base_rules: list[Problem]
) -> tuple[schema.Settings | None, list[Problem], list[Problem]]:
    """The base settings with variant ``name``'s overrides: settings, cell and rule problems.

    Problems of the merged settings' cells name the override they came from.
    """
    label = raw.settings_label
    chosen = base.variants.get(name, schema.Variant())
    if not chosen.settings:
        return base, [], base_rules
    problems = []
    if "variants" in chosen.settings:
        problems.append(
            Problem(label, None, f"variants.{name}.settings", "cannot override variants")
        )
    settings, more, rules = validate_settings(deep_merge(raw.settings, chosen.settings), label)
    problems += [
        Problem(p.file, p.row, f"variants.{name}.settings → {p.field}", p.message) for p in more
    ]
    return settings, problems, rules


def locate(problem: Problem, raw: RawScenario) -> Problem:
    """A settings problem moved to the sheet and row where the field stands (workbooks)."""
    if problem.file != raw.settings_label or not problem.field:
        return problem
    field_name = problem.field
    matches = [
        path
        for path in raw.settings_locations
        if field_name == path or field_name.startswith((f"{path}.", f"{path}[", f"{path} "))
    ]
    if not matches:
        return problem
    path = max(matches, key=len)
    label, row, drop_path = raw.settings_locations[path]
    if drop_path:
        field_name = field_name[len(path) :].lstrip(". ") or None
    return Problem(label, row, field_name, problem.message)


def variant_table_files(ctx: Context) -> None:
    """Every table a variant names instead of the base one is in the scenario."""
    for name, variant in ctx.settings.variants.items():
        for table_name, file_name in variant.tables.items():
            stem = file_name.removesuffix(".csv")
            if table_name in schema.TABLE_NAMES and not ctx.raw.has_table(stem):
                message = f"'{file_name}' not found: there is no {ctx.raw.table_label(stem)}"
                ctx.report(
                    ctx.settings_label, None, f"variants.{name}.tables.{table_name}", message
                )
