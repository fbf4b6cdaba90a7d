"""Rules on ageing assets and emergency options: what a renovation or replacement refers to,
and where an emergency option may serve (docs/model.md, Existing assets and Duties)."""

from __future__ import annotations

from optimizer.validate.context import Context, duplicates


def renovations(ctx: Context) -> None:
    """``renovates``/``replaces`` name a known asset; a renovation is one project in the
    asset's district that gives capacity of the asset's service."""
    table = "candidates"
    assets = {a.id: a for _, a in ctx.rows("existing_assets")}
    services = {}
    for _, r in ctx.rows("candidate_capacity"):
        services.setdefault(r.candidate, set()).add(r.service)
    for n, c in ctx.rows(table):
        for fld in ("renovates", "replaces"):
            asset_id = getattr(c, fld)
            if asset_id is None:
                continue
            if not ctx.check_known(table, n, fld, asset_id, set(assets), "existing asset"):
                continue
            asset = assets[asset_id]
            if c.max_units > 1:
                what = "renovation" if fld == "renovates" else "replacement"
                message = f"'{c.id}' has max_units {c.max_units}; a {what} is a single project"
                ctx.report(ctx.label(table), n, fld, message)
            if fld == "renovates" and asset.service not in services.get(c.id, set()):
                message = (
                    f"'{c.id}' renovates '{asset_id}' but gives no {asset.service} capacity "
                    "(candidate_capacity): the renovated building's capacity is its own row"
                )
                ctx.report(ctx.label(table), n, fld, message)
            if (
                asset.service in ctx.by_district_services
                and asset.district is not None
                and c.district != asset.district
            ):
                message = (
                    f"'{c.id}' stands in {c.district or '(no district)'}, but '{asset_id}' "
                    f"stands in {asset.district}"
                )
                ctx.report(ctx.label(table), n, "district", message)


def emergency_options(ctx: Context) -> None:
    """Unique ids; a known service and district (required where planned per district); years
    inside the horizon."""
    table = "emergency_options"
    duplicates(ctx, table, lambda r: r.id, "id", "emergency option id")
    for n, o in ctx.rows(table):
        ctx.check_place(table, n, o.service, o.district)
        for fld in ("first_year", "last_year"):
            year = getattr(o, fld)
            if year is not None and year not in ctx.years:
                message = f"{year} is outside the horizon {ctx.first_year}-{ctx.last_year}"
                ctx.report(ctx.label(table), n, fld, message)
