"""Rules on the yearly tables: budgets, department budgets, staff and policy years."""

from __future__ import annotations

from optimizer.validate.context import Context, duplicates, format_years


def budget_rows(ctx: Context) -> None:
    """One row per pool and year; the pool is defined."""
    duplicates(ctx, "budgets", lambda r: (r.pool, r.year), "year", "pool and year")
    for n, r in ctx.rows("budgets"):
        ctx.check_known("budgets", n, "pool", r.pool, ctx.pools, "funding pool")


def budget_years(ctx: Context) -> None:
    """Every pool that a candidate draws on has a budget in every year."""
    used = {c.pool for _, c in ctx.rows("candidates")} & ctx.pools
    for pool in sorted(used):
        present = ctx.tables["budgets"].values("year", pool=pool)
        missing = sorted(ctx.years - present) if present is not None else []
        if missing:
            message = f"pool '{pool}' has no budget for {format_years(missing)}"
            ctx.report(ctx.label("budgets"), None, "year", message)


def department_rows(ctx: Context) -> None:
    """Department budgets and staff: one row per department and year; the department known."""
    for table in ("department_budgets", "staff"):
        key = lambda r: (r.department, r.year)  # noqa: E731
        duplicates(ctx, table, key, "year", "department and year")
        for n, r in ctx.rows(table):
            ctx.check_known(table, n, "department", r.department, ctx.departments, "department")


def staff_years(ctx: Context) -> None:
    """A department with recruitable staff in some year has it in every year."""
    staff = ctx.tables["staff"]
    for department in sorted({r.department for _, r in staff.rows} & ctx.departments):
        present = staff.values("year", department=department)
        missing = sorted(ctx.years - present) if present is not None else []
        if missing:
            message = (
                f"department '{department}' has no recruitable staff for {format_years(missing)}"
            )
            ctx.report(staff.label, None, "year", message)


def policy_year_rows(ctx: Context) -> None:
    duplicates(ctx, "policy_years", lambda r: r.year, "year", "year")


def debt_years(ctx: Context) -> None:
    """With debt rules, policy years (when given) cover every year of the horizon."""
    policy = ctx.tables["policy_years"]
    if ctx.settings.debt is None or not (policy.rows or policy.partial):
        return
    present = policy.values("year")
    missing = sorted(ctx.years - present) if present is not None else []
    if missing:
        message = f"debt rules need every year; missing {format_years(missing)}"
        ctx.report(policy.label, None, "year", message)
