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

import numpy as np

Starts = Mapping[str, Mapping[int, int]]  # candidate -> {start year: units}


@dataclass(frozen=True)
class FixedStarts:
    """Decisions already taken: every start before ``before`` is as in ``starts`` (absent: none)."""

    before: int
    starts: Starts

    def taken(self, start_year: np.ndarray) -> np.ndarray:
        """Which of these start years are decisions already taken (the one place that says
        a start year before ``before`` is history: the bounds and the stability block)."""
        return np.asarray(start_year) < self.before


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


# What a frontier can trade cost against (docs/tradeoffs.md): total project CO2e over the
# horizon (t), total shortfall (unit-years), total net investment (MSEK), peak debt (MSEK), and
# the multi-criteria score (points; a floor, the others are ceilings).
MEASURES = ("co2e", "shortfall", "budget", "debt", "score")
Measure = Literal["co2e", "shortfall", "budget", "debt", "score"]


@dataclass(frozen=True)
class MeasureLimit:
    """One epsilon constraint of a frontier: the measure at most ``limit`` (score: at least)."""

    measure: Measure
    limit: float

    @property
    def is_floor(self) -> bool:
        """The score is a floor (more points are better); every other measure a ceiling."""
        return self.measure == "score"


@dataclass(frozen=True)
class NearOptimal:
    """Modelling to generate alternatives (``model/tradeoff.py``): the objective at most
    ``cost_limit`` (the optimum plus the slack), and instead of the cost the search maximises the
    start units that differ from each plan in ``avoid``, plus ``bonus`` per unit of the
    candidates in ``prefer``."""

    cost_limit: float
    avoid: tuple[Starts, ...] = ()
    prefer: frozenset[str] = frozenset()
    bonus: float = 1.0


@dataclass(frozen=True)
class BuildOptions:
    # how S[p,t] is written (docs/model.md, Decisions); None: the scenario's solver.running_sum
    running_sum: Literal["expression", "variable"] | None = None
    # formulation options (docs/model.md, Formulation options); None: the scenario's [solver]
    coverage_clip: bool | None = None
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
    # a frontier point: each measure limited (at most one limit per measure)
    limits: tuple[MeasureLimit, ...] = ()
    # a frontier's far end: the objective is this measure alone (least, the score: most)
    extreme: Measure | None = None
    # an alternative plan within a cost slack of the optimum, as far as possible from others
    near_optimal: NearOptimal | None = None
