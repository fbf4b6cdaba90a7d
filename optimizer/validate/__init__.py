"""Validate a raw scenario into a ``Scenario``: cells, then rules, then (only if all passed) the
``Scenario``.

1. The settings are validated by ``optimizer.schema.Settings`` (cells and the settings' own
   rules), for the chosen variant with its overrides merged in.
2. Each table's rows by their models in ``optimizer.schema`` (cells and each row's own rules).
3. The rules across tables in ``registry.RULES``, in order, sharing one ``Context``.

Every problem is collected and reported together, each naming file, row and field, so that a
planner can fix a whole sheet in one pass; a problem whose cause is already reported is not
repeated (see ``context.py``).
"""

from __future__ import annotations

import dataclasses

from optimizer.errors import Problem, ScenarioError
from optimizer.io.raw import RawScenario
from optimizer.scenario import Scenario
from optimizer.schema import Variant
from optimizer.validate.cells import validate_settings
from optimizer.validate.context import Context
from optimizer.validate.registry import RULES, WARNINGS, run_rules
from optimizer.validate.settings import locate, variant_name, variant_settings
from optimizer.validate.tables import cell_problems, read_tables


def check(
    raw: RawScenario, variant: str | None = None, parsed_tables: dict | None = None
) -> Context | list[Problem]:
    """Every rule run on ``raw`` for one variant: the context with what they found, or the
    problems when the settings are too broken to read the tables by. ``parsed_tables`` (from
    ``parse_variants``) shares the parsed tables between the variants of one ``raw``."""
    label = raw.settings_label
    base, problems, base_rules = validate_settings(raw.settings, label)
    if base is None:
        return problems + cell_problems(raw)
    name = variant_name(base, variant)
    if base.variants and name not in base.variants:
        choose = f"unknown variant '{name}'; choose one of {', '.join(base.variants)}"
        return [Problem(label, None, "variants", choose)]
    settings, problems, rules = variant_settings(raw, base, name, base_rules)
    if settings is None:
        return problems + cell_problems(raw)
    ctx = Context(raw, settings, name, base.variants.get(name, Variant()))
    if parsed_tables is not None:
        ctx.parsed_tables = parsed_tables
    ctx.problems += problems
    ctx.add_rule_problems("Settings validators", rules)
    read_tables(ctx)
    run_rules(ctx)
    return ctx


def parse(
    raw: RawScenario, variant: str | None = None, parsed_tables: dict | None = None
) -> Scenario:
    """Validate ``raw`` for one variant; raise ``ScenarioError`` listing every problem."""
    ctx = check(raw, variant, parsed_tables)
    problems = ctx if isinstance(ctx, list) else ctx.problems
    problems = [locate(p, raw) for p in problems]
    if raw.problems:
        # A cell the reader could not take (a formula without a value) is reported once, by it.
        spots = {(p.file, p.field, p.row) for p in raw.problems} | {
            (p.file, p.field, None) for p in raw.problems
        }
        problems = [p for p in problems if (p.file, p.field, p.row) not in spots] + raw.problems
    if problems or isinstance(ctx, list):
        raise ScenarioError(problems)
    warnings = tuple(ScenarioError([locate(w, raw) for w in ctx.warnings]).problems)
    return dataclasses.replace(_scenario(ctx), warnings=warnings)


def _scenario(ctx: Context) -> Scenario:
    """The ``Scenario``, from a context in which every rule passed."""
    factor = ctx.chosen.budget_factor
    rows = {name: [r for _, r in table.rows] for name, table in ctx.tables.items()}
    return Scenario(
        root=ctx.raw.root,
        variant=ctx.variant,
        settings=ctx.settings,
        candidates=rows["candidates"],
        capacities=rows["candidate_capacity"],
        dependencies=rows["dependencies"],
        existing_assets=rows["existing_assets"],
        population=ctx.population,
        budgets=[r.model_copy(update={"ceiling": r.ceiling * factor}) for r in rows["budgets"]],
        department_budgets=[
            r.model_copy(update={"ceiling": r.ceiling * factor}) for r in rows["department_budgets"]
        ],
        staff=rows["staff"],
        policy_years=rows["policy_years"],
        emergency_options=rows["emergency_options"],
        other_investments=rows["other_investments"],
        source_files=tuple(ctx.raw.source_files),
        table_labels={name: table.label for name, table in ctx.tables.items()},
        candidate_rows={r.id: n for n, r in ctx.rows("candidates")},
    )


def parse_variants(raw: RawScenario, variants: list[str] | None = None) -> dict[str, Scenario]:
    """Validate every variant (or those named): the scenarios by variant, or one ``ScenarioError``.

    Problems are collected across variants; one found in some variants only says which.
    """
    base, _, _ = validate_settings(raw.settings, raw.settings_label)
    if base is None:
        return {"": parse(raw)}  # raises: the base settings are invalid in every variant
    names: list[str | None] = list(variants or base.variants) or [None]
    scenarios: dict[str, Scenario] = {}
    found: dict[Problem, list[str]] = {}
    parsed_tables: dict = {}  # each file parsed once for all variants
    for name in names:
        try:
            scenario = parse(raw, name, parsed_tables)
            scenarios[scenario.variant] = scenario
        except ScenarioError as exc:
            for problem in exc.problems:
                found.setdefault(problem, []).append(name or "")
    if not found:
        return scenarios
    problems = _by_variant(found, len(names))
    raise ScenarioError(problems)


def _by_variant(found: dict[Problem, list[str]], count: int) -> list[Problem]:
    """Each problem once; one found in some of the ``count`` variants only says which."""
    problems = []
    for problem, where in found.items():
        named = len(where) == 1 and f"variant '{where[0]}'" in problem.message
        if len(where) < count and not named:
            which = ", ".join(f"'{w}'" for w in where)
            problem = Problem(
                problem.file,
                problem.row,
                problem.field,
                f"variant{'s' if len(where) > 1 else ''} {which}: {problem.message}",
            )
        problems.append(problem)
    return problems


def warnings_of(scenarios: dict[str, Scenario]) -> list[Problem]:
    """The warnings of every variant checked, each once (saying which variants if not all)."""
    found: dict[Problem, list[str]] = {}
    for name, scenario in scenarios.items():
        for warning in scenario.warnings:
            found.setdefault(warning, []).append(name)
    return ScenarioError(_by_variant(found, len(scenarios))).problems if found else []


__all__ = ["RULES", "WARNINGS", "Context", "check", "parse", "parse_variants", "warnings_of"]
