"""Stability of a replan against an adopted plan, counted from the decisions alone."""

from __future__ import annotations

from collections.abc import Mapping


def stability_changes(
    adopted: Mapping[str, Mapping[int, int]], new: Mapping[str, Mapping[int, int]], year: int
) -> int:
    """Candidates whose decisions from ``year`` on differ (moved, added or removed)."""
    count = 0
    for cand in set(adopted) | set(new):
        old = {y: u for y, u in adopted.get(cand, {}).items() if y >= year}
        now = {y: u for y, u in new.get(cand, {}).items() if y >= year}
        count += old != now
    return count
