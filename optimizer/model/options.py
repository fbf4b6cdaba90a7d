"""How to build the model: every mode is an input to ``build(data, options)``.

See docs/model.md, Modes. The plain planning model is ``BuildOptions()``. A replan fixes the
decisions already taken, lifts the yearly limits of past years and prices each change to the
adopted plan; a diagnosis makes the hard limits elastic; an explanation forces one decision.
None of them patches a built model: the blocks read the options while they write their rows.

The options describe one scenario variant and hold no data of it, so one options value can be
applied to several variants at once when a build over variants is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Starts = Mapping[str, Mapping[int, int]]  # candidate -> {start year: units}


@dataclass(frozen=True)
class FixedStarts:
    """Decisions already taken: every start before ``before`` is as in ``starts`` (absent: none)."""

    before: int
    starts: Starts


@dataclass(frozen=True)
class AdoptedStarts:
    """The plan the council adopted: the incumbent to beat, and each change to it costs
    ``stability_price`` MSEK (``model/stability.py``)."""

    starts: Starts
    stability_price: float


@dataclass(frozen=True)
class ForcedStart:
    """One decision forced for an explanation: ``start_year`` None forces the candidate out."""

    candidate: str
    start_year: int | None


@dataclass(frozen=True)
class BuildOptions:
    # how S[p,t] is written (docs/model.md, Decisions); None: the scenario's solver.running_sum
    running_sum: Literal["expression", "variable"] | None = None
    fixed: FixedStarts | None = None
    # yearly limits of these years are not imposed (history; registry: relaxable)
    relaxed_years: frozenset[int] = field(default_factory=frozenset)
    adopted: AdoptedStarts | None = None
    # diagnosis: every elastic limit of the registry gets a priced slack, the objective is the
    # total weighted violation alone
    elastic: bool = False
    forced: tuple[ForcedStart, ...] = ()
    # a known plan for the solver to start from (an explanation starts from the plan it
    # explains, adapted to the forced decision); a hint only, the model is the same without it
    start_from: Starts | None = None
