"""The last rule: every candidate has a possible start year once precedence is applied."""

from __future__ import annotations

from optimizer.scenario import spend_profile, start_windows
from optimizer.validate.context import Context


def no_start_year(ctx: Context) -> None:
    """Runs only when no other rule fired: the windows assume known, acyclic dependencies."""
    if ctx.fired:
        return
    candidates = [c for _, c in ctx.rows("candidates")]
    dependencies = [d for _, d in ctx.rows("dependencies")]
    windows = start_windows(candidates, dependencies, ctx.first_year, ctx.last_year)
    for n, c in ctx.rows("candidates"):
        earliest, latest = windows[c.id]
        if earliest > latest:
            why = []
            if c.committed_start is not None:
                why.append(f"committed start {c.committed_start}")
            if c.deadline is not None:
                why.append(f"deadline {c.deadline} with lead time {c.lead_time}")
            why.append(f"spending over {len(spend_profile(c))} year(s) must end by {ctx.last_year}")
            if any(d.candidate == c.id for d in dependencies):
                why.append("its predecessors' earliest in-service years")
            field_name = "committed_start" if c.committed_start is not None else "earliest_start"
            message = (
                f"candidate '{c.id}' has no possible start year: earliest {earliest} > latest {latest} "
                f"({'; '.join(why)})"
            )
            ctx.report(ctx.label("candidates"), n, field_name, message)
