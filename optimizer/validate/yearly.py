"""Rules on the yearly tables: budgets, department budgets, staff and policy years."""

from __future__ import annotations

from optimizer.validate.context import Context, duplicates, format_years


def budget_rows(ctx: Context) -> None:
    """One row per pool and year; the pool is defined."""
    duplicates(ctx, "budgets", lambda r: (r.pool, r.year), "year", "pool and year")
    for n, r in ctx.rows("budgets"):
        ctx.check_known("budgets", n, "pool", r.pool, ctx.pools, "funding pool")


def budget_years(ctx: Context) -> None:
    """Every pool that a candidate or an other investment draws on has a budget in every year."""
    used = {c.pool for _, c in ctx.rows("candidates")} & ctx.pools
    used |= {
        r.pool
        for _, r in ctx.rows("other_investments")
        if ctx.first_year <= r.year <= ctx.last_year
    }
    used &= ctx.pools
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


def other_investment_rows(ctx: Context) -> None:
    """Other investment names a known pool and (when given) a known department."""
    for n, r in ctx.rows("other_investments"):
        ctx.check_known("other_investments", n, "pool", r.pool, ctx.pools, "funding pool")
        if r.department is not None:
            ctx.check_known(
                "other_investments", n, "department", r.department, ctx.departments, "department"
            )


def finance_years(ctx: Context) -> None:
    """With [finance]: the result finances the investment, so the old free-standing
    self_financing column must be empty; without net_cost_per_inhabitant every year needs its
    existing_net_cost (docs/model.md, finance)."""
    finance = ctx.settings.finance
    if finance is None:
        return
    policy = ctx.tables["policy_years"]
    for n, r in ctx.rows("policy_years"):
        if r.self_financing:
            message = (
                "is replaced by the result of [finance] (revenue − costs − depreciation − "
                "interest); leave it empty or remove [finance]"
            )
            ctx.report(policy.label, n, "self_financing", message)
    if finance.net_cost_per_inhabitant is None:
        given = {r.year for _, r in ctx.rows("policy_years") if r.existing_net_cost is not None}
        missing = sorted(ctx.years - given)
        if missing:
            message = (
                "[finance] has no net_cost_per_inhabitant, so every year needs "
                f"existing_net_cost; missing {format_years(missing)}"
            )
            ctx.report(policy.label, None, "existing_net_cost", message)


def price_index_years(ctx: Context) -> None:
    """A price index is given for every year or none; a nominal interest rate needs an index
    (policy_years.price_index or [finance] inflation) to be converted to the model's real prices,
    and its real rate may not fall below 0 (debt would be free money; docs/model.md, prices)."""
    policy = ctx.tables["policy_years"]
    given = {r.year for _, r in ctx.rows("policy_years") if r.price_index is not None}
    if given:
        missing = sorted(ctx.years - given)
        if missing:
            message = f"is given for some years only; missing {format_years(missing)}"
            ctx.report(policy.label, None, "price_index", message)
            return
    debt, finance = ctx.settings.debt, ctx.settings.finance
    if debt is None or debt.interest_rate_kind != "nominal":
        return
    inflation = finance.inflation if finance is not None else None
    if not given and inflation is None:
        message = (
            "is nominal but the scenario gives no price index: add policy_years.price_index "
            "or [finance] inflation, or state the rate as real"
        )
        ctx.report(ctx.settings_label, None, "debt.interest_rate_kind", message)
        return
    index = {r.year: r.price_index for _, r in ctx.rows("policy_years")}
    years = sorted(ctx.years)
    for k, year in enumerate(years):
        if given:
            if k > 0:
                change = index[year] / index[years[k - 1]] - 1
            elif inflation is not None:
                change = inflation
            else:
                change = index[years[1]] / index[year] - 1 if len(years) > 1 else 0.0
        else:
            change = inflation
        if debt.interest_rate < change - 1e-12:
            message = (
                f"the nominal rate {debt.interest_rate:g} is below the price change "
                f"{change:.4g} in {year}: the real rate would be negative"
            )
            ctx.report(ctx.settings_label, None, "debt.interest_rate", message)
            return
