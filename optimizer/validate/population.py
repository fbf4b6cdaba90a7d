"""Rules on population.csv: unique rows, known districts, and a population for every year,
age group and district that the demand rules of the services need."""

from __future__ import annotations

from optimizer.validate.context import Context, duplicates, format_years
from optimizer.validate.tables import population_variant


def population_rows(ctx: Context) -> None:
    table = "population"
    duplicates(
        ctx,
        table,
        lambda r: (r.variant, r.year, r.district or "", r.age_group),
        "age_group",
        "population row",
    )
    for n, r in ctx.rows(table):
        if r.district is not None:
            ctx.check_known(table, n, "district", r.district, ctx.districts, "district")


def _with_district(ctx: Context):
    return ctx.population["district"] != ""


def population_districts_mixed(ctx: Context) -> None:
    """A variant's rows all have a district, or none has."""
    with_district = _with_district(ctx)
    if with_district.any() and not with_district.all():
        message = (
            f"variant '{ctx.variant}' mixes rows with and without a district; use one or the other"
        )
        ctx.report(ctx.label("population"), None, "district", message)


def _age_groups(ctx: Context) -> set[str] | None:
    """Age groups of the variant's rows; ``None`` when a row with a bad cell hides one."""
    return ctx.tables["population"].values("age_group", variant=population_variant(ctx))


def needed_age_groups(ctx: Context) -> set[str]:
    """The age groups that the services' demand rates read and the population has."""
    present = _age_groups(ctx) or set()
    needed: set[str] = set()
    for svc in ctx.settings.services:
        for group in svc.demand_rates:
            needed |= present if group == "total" else {group} & present
    return needed


def population_age_groups(ctx: Context) -> None:
    """Every age group of a demand rate is in the population table."""
    present = _age_groups(ctx)
    if ctx.population.empty or present is None:
        return
    for i, svc in enumerate(ctx.settings.services, start=1):
        for group in svc.demand_rates:
            if group != "total" and group not in present:
                message = f"age group '{group}' is not in {ctx.label('population')}"
                ctx.report(ctx.settings_label, None, f"services[{i}].demand_rates", message)


def population_years(ctx: Context) -> None:
    """Every needed age group has a population in every year of the horizon."""
    if ctx.population.empty:
        return
    variant = population_variant(ctx)
    for group in sorted(needed_age_groups(ctx)):
        present = ctx.tables["population"].values("year", variant=variant, age_group=group)
        missing = sorted(ctx.years - present) if present is not None else []
        if missing:
            message = f"variant '{ctx.variant}', age group '{group}' has no population for {format_years(missing)}"
            ctx.report(ctx.label("population"), None, "year", message)


def population_per_district(ctx: Context) -> None:
    """Services planned per district need population per district, every year and group."""
    if ctx.population.empty:
        return
    label = ctx.label("population")
    with_district = _with_district(ctx)
    if ctx.by_district_services and not with_district.any():
        message = "services planned per district need population per district"
        ctx.report(label, None, "district", message)
    if not with_district.any():
        return
    variant = population_variant(ctx)
    for group in sorted(needed_age_groups(ctx)):
        for district in sorted(ctx.districts):
            present = ctx.tables["population"].values(
                "year", variant=variant, age_group=group, district=district
            )
            missing = sorted(ctx.years - present) if present is not None else []
            if missing:
                message = f"district '{district}', age group '{group}' has no population for {format_years(missing)}"
                ctx.report(label, None, "district", message)
