"""Non-anticipativity of a robust plan (docs/robust.md), checked from the plans alone."""

from __future__ import annotations

from collections.abc import Mapping

Starts = Mapping[str, Mapping[int, int]]


def shared_start_problems(
    starts_by_variant: Mapping[str, Starts], core: Starts, decide_until: int
) -> list[str]:
    """Every variant's plan starts exactly the core up to the decision year, nothing more or less."""
    want = {c: {y: n for y, n in by.items() if n} for c, by in core.items()}
    want = {c: by for c, by in want.items() if by}
    problems = []
    for variant, starts in starts_by_variant.items():
        stage = {
            c: {y: n for y, n in by.items() if y <= decide_until and n} for c, by in starts.items()
        }
        stage = {c: by for c, by in stage.items() if by}
        if stage != want:
            problems.append(
                f"{variant}: the starts up to {decide_until} are {stage}, the robust core is {want}"
            )
    return problems
