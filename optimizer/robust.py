"""A robust plan across growth paths (docs/robust.md): what to decide now, what can wait.

1. Each variant's own optimum (``run_scenario``): the plan that would be best if that variant
   were known to come true.
2. The robust model (``optimizer.model.robust``): a copy of the plan per variant, the starts up to
   the decision year shared by all; expected cost or the largest regret against the optima.
3. The robust core = the shared starts. Each variant's plan is then re-solved with the core fixed
   (``BuildOptions.fixed``): its recourse is that variant's best answer to the core, and the plan
   passes the independent checker like any other.
4. The regret table: every plan's first-stage decisions (the robust core, or a variant's own
   optimum up to the decision year) fixed while another variant comes true, the rest re-solved;
   its cost, its shortfall and its regret (cost − that variant's own optimum).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from optimizer.data import build_data
from optimizer.model import BuildOptions, FixedStarts
from optimizer.model.robust import Criterion, RobustOptions, build_robust, normalised_weights
from optimizer.plan import Plan
from optimizer.report.i18n import said
from optimizer.run import make_plan, run_scenario
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings, solve
from optimizer.status import Status

ROBUST = "robust"
REGRET_COLUMNS = [
    "plan",  # "robust" or the variant whose own optimum's first stage is fixed
    "comes_true",  # the variant that comes true
    "status",
    "cost",  # objective of the re-solved plan (PV, MSEK)
    "regret",  # cost − the own optimum of comes_true
    "shortfall_cost",  # PV, MSEK
    "shortfall_units",  # Σ of missing units over services, districts and years
]
DEFERRED_COLUMNS = ["candidate", "decide_by", "same_in_every_variant", "starts"]


@dataclass
class RobustResult:
    scenario: str
    variants: list[str]
    weights: dict[str, float]
    criterion: Criterion
    decide_until: int
    status: Status  # of the robust model's solve
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    core: dict[str, dict[int, int]]  # candidate -> {start year ≤ decide_until: units}
    plans: dict[str, Plan]  # per variant: the core fixed, the rest re-solved (checked)
    own: dict[str, Plan]  # per variant: its own optimum (checked)
    regret: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REGRET_COLUMNS))
    deferred: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DEFERRED_COLUMNS))

    objective_mode = "cost"  # the robust plan minimises cost (status wording, reports)

    @property
    def has_solution(self) -> bool:
        return self.status.has_plan

    def to_dict(self) -> dict:
        """robust.json: the core, what can wait and the regret table (English keys)."""
        return {
            "scenario": self.scenario,
            "variants": self.variants,
            "weights": self.weights,
            "criterion": self.criterion,
            "decide_until": self.decide_until,
            "status": str(self.status),
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "core": {c: {str(y): n for y, n in by.items()} for c, by in self.core.items()},
            "deferred": [
                {
                    "candidate": row.candidate,
                    "decide_by": int(row.decide_by),
                    "same_in_every_variant": bool(row.same_in_every_variant),
                    "starts": {
                        v: {str(y): n for y, n in by.items()} for v, by in row.starts.items()
                    },
                }
                for row in self.deferred.itertuples(index=False)
            ],
            "regret": [
                {k: (None if pd.isna(v) else v) for k, v in record.items()}
                for record in self.regret.to_dict("records")
            ],
            "plans": {
                v: {"status": str(p.status), "objective": p.objective}
                for v, p in self.plans.items()
            },
            "own_optima": {
                v: {"status": str(p.status), "objective": p.objective} for v, p in self.own.items()
            },
        }


def first_stage(starts: dict[str, dict[int, int]], decide_until: int) -> dict[str, dict[int, int]]:
    """The starts up to and including the decision year."""
    kept = {
        c: {y: n for y, n in by_year.items() if y <= decide_until} for c, by_year in starts.items()
    }
    return {c: by_year for c, by_year in kept.items() if by_year}


def with_first_stage(
    scenario: Scenario,
    starts: dict[str, dict[int, int]],
    decide_until: int,
    settings: SolveSettings,
) -> Plan:
    """``scenario`` solved with every start up to ``decide_until`` as in ``starts`` (checked)."""
    options = BuildOptions(fixed=FixedStarts(before=decide_until + 1, starts=starts))
    return run_scenario(scenario, settings, options, shadow_prices=False)


def shortfall_units(plan: Plan) -> float:
    return float(plan.shortfall["shortfall"].sum()) if len(plan.shortfall) else 0.0


def solve_robust(
    scenarios: dict[str, Scenario],
    settings: SolveSettings,
    *,
    decide_until: int,
    criterion: Criterion = "expected",
    weights: dict[str, float] | None = None,
    say: Callable[[dict[str, str]], None] = lambda _: None,
) -> RobustResult:
    """The robust plan over ``scenarios`` (one per variant, the same scenario), its per-variant
    plans, and the regret table."""
    variants = list(scenarios)
    weights = normalised_weights(variants, weights)
    own: dict[str, Plan] = {}
    for v in variants:
        say(said("robust_say_own", variant=v))
        own[v] = run_scenario(scenarios[v], settings, shadow_prices=False)
    name = next(iter(scenarios.values())).settings.scenario.name
    if not all(p.has_solution for p in own.values()):
        bad = next(p for p in own.values() if not p.has_solution)
        return RobustResult(name, variants, weights, criterion, decide_until, bad.status,
                            None, None, None, 0.0, {}, {}, own)  # fmt: skip
    say(said("robust_say_model", variants=", ".join(variants)))
    datas = {v: build_data(scenarios[v]) for v in variants}
    robust = build_robust(
        datas,
        RobustOptions(
            decide_until=decide_until,
            criterion=criterion,
            weights=weights,
            optima={v: own[v].objective for v in variants},
        ),
    )
    started = time.perf_counter()
    result = solve(robust.model, settings)
    seconds = time.perf_counter() - started
    out = RobustResult(
        name, variants, weights, criterion, decide_until, result.status, result.objective,
        result.bound, result.gap, seconds, {}, {}, own,
    )  # fmt: skip
    if result.values is None:
        return out
    reference = variants[0]
    sliced = dataclasses.replace(result, values=robust.values_of(reference, result.values))
    first = make_plan(datas[reference], robust.parts[reference], sliced, settings, 0.0)
    out.core = first_stage(first.starts, decide_until)
    for v in variants:
        say(said("robust_say_fixed", variant=v))
        out.plans[v] = with_first_stage(scenarios[v], out.core, decide_until, settings)
    out.regret = regret_table(out, scenarios, settings, say)
    out.deferred = deferred_table(out)
    return out


def regret_table(
    result: RobustResult,
    scenarios: dict[str, Scenario],
    settings: SolveSettings,
    say: Callable[[dict[str, str]], None] = lambda _: None,
) -> pd.DataFrame:
    """Each plan's first stage fixed while each variant comes true (docs/robust.md)."""
    records = []
    plans: list[tuple[str, dict[str, Plan]]] = [(ROBUST, result.plans)]
    for v in result.variants:
        outcome = {}
        for true in result.variants:
            if true == v:
                outcome[true] = result.own[v]
                continue
            say(said("robust_say_regret", plan=v, variant=true))
            stage = first_stage(result.own[v].starts, result.decide_until)
            outcome[true] = with_first_stage(scenarios[true], stage, result.decide_until, settings)
        plans.append((v, outcome))
    for label, outcome in plans:
        for true in result.variants:
            plan = outcome[true]
            cost = plan.objective if plan.has_solution else None
            optimum = result.own[true].objective
            records.append(
                (
                    label,
                    true,
                    str(plan.status),
                    cost,
                    None if cost is None else cost - optimum,
                    plan.objective_terms.get("shortfall") if plan.has_solution else None,
                    shortfall_units(plan) if plan.has_solution else None,
                )
            )
    return pd.DataFrame(records, columns=REGRET_COLUMNS)


def deferred_table(result: RobustResult) -> pd.DataFrame:
    """Starts after the decision year, per candidate: which variant starts it when, and the
    year by which it must be decided (its earliest start in any variant)."""
    after: dict[str, dict[str, dict[int, int]]] = {}
    for v, plan in result.plans.items():
        for candidate, by_year in plan.starts.items():
            later = {y: n for y, n in by_year.items() if y > result.decide_until}
            if later:
                after.setdefault(candidate, {})[v] = later
    records = []
    for candidate, by_variant in after.items():
        decide_by = min(min(by_year) for by_year in by_variant.values())
        same = len(by_variant) == len(result.variants) and all(
            by_year == by_variant[result.variants[0]] for by_year in by_variant.values()
        )
        records.append(
            (candidate, decide_by, same, {v: by_variant.get(v, {}) for v in result.variants})
        )
    frame = pd.DataFrame(records, columns=DEFERRED_COLUMNS)
    return frame.sort_values(["decide_by", "candidate"], kind="stable").reset_index(drop=True)


def expected_cost(result: RobustResult, variants: Sequence[str] | None = None) -> float:
    """Σ_v w_v·cost_v of the per-variant plans (the robust objective in expected mode)."""
    return sum(result.weights[v] * result.plans[v].objective for v in variants or result.variants)
