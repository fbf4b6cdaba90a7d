"""Every validation rule across tables, in the order they run, then the warnings. Add a rule here
and in ``tests/test_validate_rules.py`` (a meta-test fails when a rule has no test that fires it).

Rules of one row, or of the settings alone, are validators of the models in
``optimizer.schema``; the rules here need more than one row or table.
"""

from __future__ import annotations

from collections.abc import Callable

from optimizer.validate import (
    assets,
    candidates,
    plausible,
    population,
    relations,
    settings,
    spelling,
    windows,
    yearly,
)
from optimizer.validate.context import Context

Rule = Callable[[Context], None]

RULES: tuple[Rule, ...] = (
    spelling.fold_references,  # first: the rules after it see the ids as meant (warns)
    settings.variant_table_files,
    candidates.candidate_ids,
    candidates.candidate_references,
    candidates.candidate_districts,
    candidates.candidate_years,
    candidates.committed_starts,
    candidates.under_way,
    candidates.exclusive_groups,
    candidates.criteria_tags,
    relations.capacity_rows,
    relations.dependency_rows,
    relations.dependency_cycles,
    relations.existing_assets,
    assets.renovations,
    assets.emergency_options,
    population.population_rows,
    population.population_districts_mixed,
    population.population_age_groups,
    population.population_years,
    population.population_per_district,
    yearly.budget_rows,
    yearly.budget_years,
    yearly.department_rows,
    yearly.staff_years,
    yearly.policy_year_rows,
    yearly.debt_years,
    yearly.other_investment_rows,
    yearly.finance_years,
    yearly.price_index_years,
    windows.no_start_year,  # last: only when every other rule passed
)

# Warnings (``ctx.warn``): run only on a scenario that passed every rule above.
WARNINGS: tuple[Rule, ...] = (
    plausible.ceilings_in_msek,
    plausible.capex_per_unit,
    plausible.yearly_rows_in_horizon,
    plausible.forced_within_ceilings,
)


def run_rules(ctx: Context) -> None:
    for rule in RULES:
        ctx.rule = rule.__name__
        rule(ctx)
    if ctx.problems:
        return
    for rule in WARNINGS:
        ctx.rule = rule.__name__
        rule(ctx)
