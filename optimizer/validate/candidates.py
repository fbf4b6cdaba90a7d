"""Rules on candidates.csv that need more than the row: ids, references, horizon, groups."""

from __future__ import annotations

from collections import defaultdict

from optimizer.validate.context import Context, duplicates


def candidate_ids(ctx: Context) -> None:
    duplicates(ctx, "candidates", lambda r: r.id, "id", "candidate id")


def candidate_references(ctx: Context) -> None:
    """Department, funding pool and district of each candidate are defined in the settings."""
    for n, c in ctx.rows("candidates"):
        ctx.check_known("candidates", n, "department", c.department, ctx.departments, "department")
        ctx.check_known("candidates", n, "pool", c.pool, ctx.pools, "funding pool")
        if c.district is not None:
            ctx.check_known("candidates", n, "district", c.district, ctx.districts, "district")


def candidate_districts(ctx: Context) -> None:
    """A candidate adding capacity to a service planned per district must say where."""
    planned: dict[str, set[str]] = defaultdict(set)
    for _, r in ctx.rows("candidate_capacity"):
        if r.service in ctx.by_district_services:
            planned[r.candidate].add(r.service)
    for n, c in ctx.rows("candidates"):
        if c.district is None and planned[c.id]:
            message = f"is empty, but {', '.join(sorted(planned[c.id]))} is planned per district"
            ctx.report(ctx.label("candidates"), n, "district", message)


def candidate_years(ctx: Context) -> None:
    """Start years inside the horizon; deadline and lead time that the horizon can hold.

    Silent when the horizon itself is wrong (last_year before first_year): that one problem is
    reported on the settings, not once per candidate and year.
    """
    first, last = ctx.first_year, ctx.last_year
    if first > last:
        return
    label = ctx.label("candidates")
    for n, c in ctx.rows("candidates"):
        for fld in ("earliest_start", "latest_start", "committed_start"):
            year = getattr(c, fld)
            if year is not None and year not in ctx.years and c.in_service_year is None:
                ctx.report(label, n, fld, f"{year} is outside the horizon {first}-{last}")
        if c.deadline is not None and c.deadline - c.lead_time < first:
            message = (
                f"{c.deadline} cannot be met: lead time {c.lead_time} needs a start before {first}"
            )
            ctx.report(label, n, "deadline", message)
        if c.lead_time > last - first + 1 and c.committed_year is None:
            message = f"{c.lead_time} years does not fit the horizon {first}-{last}"
            ctx.report(label, n, "lead_time", message)


def committed_starts(ctx: Context) -> None:
    """A committed start lies in the candidate's own start window."""
    for n, c in ctx.rows("candidates"):
        if c.committed_start is None or c.in_service_year is not None:
            continue
        lo = c.earliest_start if c.earliest_start is not None else ctx.first_year
        hi = c.latest_start if c.latest_start is not None else ctx.last_year
        if not lo <= c.committed_start <= hi:
            message = f"{c.committed_start} is outside its start window {lo}-{hi}"
            ctx.report(ctx.label("candidates"), n, "committed_start", message)


def under_way(ctx: Context) -> None:
    """A project under way started before the first year; its remaining spend falls in the
    years before it enters service (docs/model.md, Projects under way)."""
    first = ctx.first_year
    label = ctx.label("candidates")
    for n, c in ctx.rows("candidates"):
        if c.in_service_year is None:
            continue
        start = c.in_service_year - c.lead_time
        if start >= first:
            message = (
                f"{c.in_service_year} with lead time {c.lead_time} means a start in {start}, inside "
                f"the horizon: a project under way started before {first} (use committed_start)"
            )
            ctx.report(label, n, "in_service_year", message)
        elif len(c.remaining_spend) > max(c.in_service_year - first, 0):
            message = (
                f"spends over {len(c.remaining_spend)} year(s) from {first}, but the project enters "
                f"service in {c.in_service_year}: spending ends the year before"
            )
            ctx.report(label, n, "remaining_spend", message)


def exclusive_groups(ctx: Context) -> None:
    """At most one candidate of an exclusive group is forced (must-do, committed, deadline)."""
    groups: dict[str, list[tuple[int, object]]] = defaultdict(list)
    for n, c in ctx.rows("candidates"):
        if c.exclusive_group:
            groups[c.exclusive_group].append((n, c))
    for group, members in groups.items():
        forced = [
            c.id
            for _, c in members
            if c.must_do or c.committed_year is not None or c.deadline is not None
        ]
        if len(forced) > 1:
            message = f"group '{group}' has more than one must-do or committed candidate: {', '.join(forced)}"
            ctx.report(ctx.label("candidates"), members[-1][0], "exclusive_group", message)


def criteria_tags(ctx: Context) -> None:
    """A goal of the multi-criteria score names only tags some candidate carries (a misspelt
    tag would silently count nothing). Silent when a tags cell did not parse."""
    if not ctx.settings.criteria:
        return
    table = ctx.tables.get("candidates")
    if table is None or "tags" in table.missing_columns or table.partial:
        return
    known = {tag for _, c in table.rows for tag in c.tags}
    for i, criterion in enumerate(ctx.settings.criteria, start=1):
        for tag in criterion.tags:
            if tag not in known:
                ctx.report(
                    ctx.settings_label,
                    None,
                    f"criteria[{i}].tags",
                    f"no candidate has the tag '{tag}'",
                )
