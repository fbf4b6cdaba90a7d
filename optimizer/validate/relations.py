"""Rules on the tables that refer to candidates and services: capacity, dependencies, assets."""

from __future__ import annotations

from collections import defaultdict

from optimizer.validate.context import Context, duplicates


def capacity_rows(ctx: Context) -> None:
    """One row per candidate and service; both known."""
    table = "candidate_capacity"
    duplicates(ctx, table, lambda r: (r.candidate, r.service), "service", "candidate and service")
    for n, r in ctx.rows(table):
        ctx.check_known(table, n, "candidate", r.candidate, ctx.candidate_ids, "candidate")
        ctx.check_known(table, n, "service", r.service, ctx.services, "service")


def _dependency_edges(ctx: Context) -> dict[str, list[str]]:
    """Predecessor -> successors, of the dependencies between two known, distinct candidates."""
    known = ctx.candidate_ids or set()
    edges: dict[str, list[str]] = defaultdict(list)
    for _, d in ctx.rows("dependencies"):
        if d.candidate in known and d.requires in known and d.candidate != d.requires:
            edges[d.requires].append(d.candidate)
    return edges


def dependency_rows(ctx: Context) -> None:
    """One row per pair; both candidates known; a predecessor is a single project."""
    table = "dependencies"
    duplicates(ctx, table, lambda r: (r.candidate, r.requires), "requires", "dependency")
    units = {c.id: c.max_units for _, c in ctx.rows("candidates")}
    for n, d in ctx.rows(table):
        both = [
            ctx.check_known(table, n, fld, getattr(d, fld), ctx.candidate_ids, "candidate")
            for fld in ("candidate", "requires")
        ]
        if all(both) and d.candidate != d.requires and units.get(d.requires, 1) > 1:
            message = f"'{d.requires}' has max_units > 1; a predecessor must be a single project"
            ctx.report(ctx.label(table), n, "requires", message)


def dependency_cycles(ctx: Context) -> None:
    cycle = _find_cycle(_dependency_edges(ctx))
    if cycle:
        message = "dependencies form a cycle: " + " → ".join(cycle)
        ctx.report(ctx.label("dependencies"), None, "requires", message)


def _find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, [])):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def existing_assets(ctx: Context) -> None:
    """Unique ids; a known service; a known district, required where planned per district."""
    table = "existing_assets"
    duplicates(ctx, table, lambda r: r.id, "id", "asset id")
    for n, a in ctx.rows(table):
        ctx.check_place(table, n, a.service, a.district)
