"""Monte Carlo sweeps (docs/sweep.md): many futures drawn from the scenario's distributions
(``sweep.toml``), each solved, on a Dask cluster.

A sample s of a sweep with seed S draws, from its own generator ``default_rng([S, s])`` (so a
sample's future never depends on which worker solves it, or in which order):

- a growth path: a variant, drawn with the weights of ``[population].variants``, whose growth
  since the first year is scaled by a factor g ~ Normal(1, growth_sd), g ≥ 0:
  pop_s(y) = pop_v(y0) + g·(pop_v(y) − pop_v(y0)) for every district and age group;
- a cost overrun per candidate, o_p ~ Triangular(low, mode, high): capex_p·(1 + o_p). The
  overrun of a project whose start is already decided (committed, under way, or a must-do whose
  window is one year) is paid by a supplementary appropriation (tilläggsanslag): its pool's and
  department's ceilings grow by exactly that overrun in the years it is spent, and the money still
  counts in debt, interest and depreciation. The frame was set with those projects in it, so
  without this any overrun on them would make the sample infeasible, which says nothing about the
  decisions a sweep is about; an underrun leaves the ceilings as they are;
- an interest rate r ~ Triangular(low, mode, high) on debt.

The sample's scenario is solved with one solver thread and the scenario's seed, so the same seed
gives the same results on any number of workers. With an adopted plan every start is fixed and
only the recourse (shortfall, transfers, carry-over, debt) is re-solved. Every sample's plan is
checked by the independent checker, like every plan.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from optimizer.errors import CapplanError
from optimizer.schema.cells import _Strict
from optimizer.status import Status

SWEEP_FILE = "sweep.toml"
SAMPLE_COLUMNS = [
    "sample",
    "variant",
    "growth_factor",
    "interest_rate",
    "mean_overrun",
    "status",
    "objective",
    "capex",  # gross capex of the chosen starts (MSEK, with the sample's overruns)
    "appropriation",  # MSEK added to the ceilings for decided projects' overruns
    "max_debt",
    "end_debt",
    "shortfall_units",
    "shortfall_cost",
    "starts",  # JSON {candidate: {year: units}}
    "coverage",  # JSON {service: {year: [demand, capacity]}}, summed over districts (fan charts)
    "limits",  # JSON {"en": [...], "sv": [...]}: the limits an infeasible sample cannot meet
]


# --------------------------------------------------------------------------------------
# The distributions (sweep.toml)
# --------------------------------------------------------------------------------------
class Triangular(_Strict):
    low: float = Field(ge=-0.9, le=10)
    mode: float = Field(ge=-0.9, le=10)
    high: float = Field(ge=-0.9, le=10)

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("needs low <= mode <= high")
        return self

    def draw(self, rng: np.random.Generator, size=None):
        if self.low == self.high:
            return np.full(size, self.low) if size is not None else self.low
        return rng.triangular(self.low, self.mode, self.high, size)


class PopulationPaths(_Strict):
    variants: dict[str, float] = Field(min_length=1, description="Variant -> weight.")
    growth_sd: float = Field(0.0, ge=0, le=2, description="Spread of the growth factor.")

    @model_validator(mode="after")
    def _weights(self) -> PopulationPaths:
        if any(w < 0 for w in self.variants.values()) or sum(self.variants.values()) <= 0:
            raise ValueError("variants: weights must be non-negative and not all zero")
        return self


class InterestRate(Triangular):
    low: float = Field(ge=0, le=0.5)
    mode: float = Field(ge=0, le=0.5)
    high: float = Field(ge=0, le=0.5)


class SweepSettings(_Strict):
    population: PopulationPaths
    cost_overrun: Triangular = Triangular(low=0, mode=0, high=0)
    interest_rate: InterestRate | None = None  # None: the scenario's rate


def read_sweep_settings(folder: Path) -> SweepSettings:
    """``sweep.toml`` of a scenario folder; problems name the file and field."""
    from pydantic import ValidationError

    from optimizer.errors import Problem, ScenarioError
    from optimizer.io.folder import read_settings_toml
    from optimizer.validate.cells import error_problems

    path = Path(folder) / SWEEP_FILE
    if not path.is_file():
        raise ScenarioError(
            [
                Problem(
                    SWEEP_FILE,
                    None,
                    None,
                    "is missing: capplan sweep reads the distributions to draw from it "
                    "(docs/sweep.md)",
                )
            ]
        )
    raw, problems = read_settings_toml(path)
    if problems:
        raise ScenarioError(problems)
    try:
        return SweepSettings.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(error_problems(exc, SWEEP_FILE, None)) from None


# --------------------------------------------------------------------------------------
# One sample
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Draw:
    sample: int
    variant: str
    growth_factor: float
    interest_rate: float | None
    overrun: dict[str, float]  # candidate -> relative overrun


def draw(settings: SweepSettings, candidates: list[str], seed: int, sample: int) -> Draw:
    """The future of one sample: from its own generator, whatever worker solves it."""
    rng = np.random.default_rng([seed, sample])
    names = list(settings.population.variants)
    weights = np.array([settings.population.variants[v] for v in names], float)
    variant = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    growth = max(0.0, float(rng.normal(1.0, settings.population.growth_sd)))
    overruns = settings.cost_overrun.draw(rng, len(candidates))
    rate = float(settings.interest_rate.draw(rng)) if settings.interest_rate else None
    return Draw(
        sample, variant, growth, rate, dict(zip(candidates, map(float, overruns), strict=True))
    )


def sample_scenario(scenarios: dict, future: Draw):
    """The scenario of one sample: its variant's scenario with the drawn population path,
    overruns (decided projects' overruns with their appropriation) and interest rate."""
    base = scenarios[future.variant]
    pop = base.population.copy()
    first = pop[pop["year"] == base.first_year].set_index(["district", "age_group"])["population"]
    start = pop.set_index(["district", "age_group"]).index.map(first).to_numpy(float)
    start = np.where(np.isnan(start), pop["population"].to_numpy(float), start)
    pop["population"] = start + future.growth_factor * (pop["population"].to_numpy(float) - start)
    candidates = [
        c.model_copy(update={"capex": c.capex * (1.0 + future.overrun.get(c.id, 0.0))})
        for c in base.candidates
    ]
    budgets, department_budgets = appropriated_ceilings(base, candidates)
    settings = base.settings
    if future.interest_rate is not None and settings.debt is not None:  # no debt: no interest
        debt = settings.debt.model_copy(update={"interest_rate": future.interest_rate})
        settings = settings.model_copy(update={"debt": debt})
    return dataclasses.replace(
        base,
        population=pop,
        candidates=candidates,
        settings=settings,
        budgets=budgets,
        department_budgets=department_budgets,
    )


def decided(candidate) -> bool:
    """A start the council no longer chooses: committed, under way, or a must-do whose window
    is one year."""
    return candidate.committed_year is not None or (
        candidate.must_do
        and candidate.earliest_start is not None
        and candidate.earliest_start == candidate.latest_start
    )


def appropriation(base, drawn: list) -> dict[tuple[str, str, int], float]:
    """The supplementary appropriation per (pool or department, id, year): what the decided
    projects' overruns add to their net spend in each year of the horizon (MSEK)."""
    extra: dict[tuple[str, str, int], float] = {}
    for before, after in zip(base.candidates, drawn, strict=True):
        if after.capex <= before.capex or not decided(before):
            continue
        start = before.committed_year or before.earliest_start
        old, new = base.spend_profile(before), base.spend_profile(after)
        for k, (share_old, share_new) in enumerate(zip(old, new, strict=True)):
            year = start + k
            more = (after.capex * share_new - before.capex * share_old) * (1 - before.grant_share)
            if base.first_year <= year <= base.last_year and more > 0:
                for key in (("pool", before.pool, year), ("department", before.department, year)):
                    extra[key] = extra.get(key, 0.0) + more
    return extra


def appropriated_ceilings(base, drawn: list) -> tuple[list, list]:
    """The budget and department budget rows with the appropriation added."""
    extra = appropriation(base, drawn)

    def raised(rows, kind: str, field: str) -> list:
        return [
            r.model_copy(update={"ceiling": r.ceiling + extra[(kind, getattr(r, field), r.year)]})
            if (kind, getattr(r, field), r.year) in extra
            else r
            for r in rows
        ]

    return raised(base.budgets, "pool", "pool"), raised(
        base.department_budgets, "department", "department"
    )


def solve_sample(
    scenarios: dict,
    sweep: SweepSettings,
    seed: int,
    sample: int,
    solver_settings,
    adopted: dict | None = None,
) -> dict:
    """Draw, solve and summarise one sample (runs on a Dask worker): one record of SAMPLE_COLUMNS."""
    from optimizer.model import BuildOptions, FixedStarts
    from optimizer.run import run_scenario

    any_scenario = next(iter(scenarios.values()))
    future = draw(sweep, [c.id for c in any_scenario.candidates], seed, sample)
    scenario = sample_scenario(scenarios, future)
    options = None
    if adopted is not None:  # every decision fixed: only the recourse is re-solved
        adopted_starts = {c: {int(y): n for y, n in by.items()} for c, by in adopted.items()}
        options = BuildOptions(
            fixed=FixedStarts(before=scenario.last_year + 1, starts=adopted_starts)
        )
    plan = run_scenario(scenario, solver_settings, options, shadow_prices=False)
    record = {
        "sample": sample,
        "variant": future.variant,
        "growth_factor": future.growth_factor,
        "interest_rate": (
            scenario.settings.debt.interest_rate if scenario.settings.debt is not None else None
        ),
        "mean_overrun": float(np.mean(list(future.overrun.values()))) if future.overrun else 0.0,
        "status": str(plan.status),
        "objective": plan.objective,
        "capex": None,
        "appropriation": sum(
            v
            for (kind, _, _), v in appropriation(
                scenarios[future.variant], scenario.candidates
            ).items()
            if kind == "pool"
        ),
        "max_debt": None,
        "end_debt": None,
        "shortfall_units": None,
        "shortfall_cost": None,
        "starts": json.dumps(
            {c: {str(y): n for y, n in sorted(by.items())} for c, by in sorted(plan.starts.items())}
        ),
        "coverage": "{}",
        "limits": "{}",
    }
    if plan.status is Status.INFEASIBLE:
        limits = failed_limits(scenario, solver_settings, options)
        record["limits"] = json.dumps(limits, ensure_ascii=False)
    if plan.has_solution:
        capex = {c.id: c.capex for c in scenario.candidates}
        debt = plan.debt["debt"] if len(plan.debt) else pd.Series([0.0])
        record.update(
            capex=float(sum(capex[c] * n for c, by in plan.starts.items() for n in by.values())),
            max_debt=float(debt.max()),
            end_debt=float(debt.iloc[-1]),
            shortfall_units=float(plan.shortfall["shortfall"].sum())
            if len(plan.shortfall)
            else 0.0,
            shortfall_cost=float(plan.objective_terms.get("shortfall", 0.0)),
            coverage=json.dumps(coverage_summary(plan.tables.get("coverage"))),
        )
    return record


def failed_limits(scenario, solver_settings, options=None) -> dict[str, list[str]]:
    """The limits an infeasible sample cannot meet, in English and Swedish, from the same
    elastic diagnosis ``capplan run`` gives. A must-do or committed project that cannot be
    carried out is the consequence of another limit, so it is named only when nothing else is."""
    from optimizer.diagnose import diagnose
    from optimizer.model.registry import ROW_BLOCKS

    conflicts = diagnose(scenario, solver_settings, options=options)
    causes = [c for c in conflicts if c.kind not in ("committed", "must_do")] or conflicts
    named: dict[str, list[str]] = {"en": [], "sv": []}
    for conflict in causes:
        wording = ROW_BLOCKS[conflict.kind].limit
        pool = conflict.key.pool
        names = {"pool": scenario.pool_by_id[pool].name or pool} if pool else {}
        for lang, labels in named.items():
            label = conflict.key.words(wording, lang, **names) if wording else conflict.text(lang)
            if label not in labels:
                labels.append(label)
    return named


def infeasible_causes(samples: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How many infeasible samples cannot meet each limit (a sample counts once per limit)."""
    counts: dict[str, int] = {}
    for cell in samples.loc[samples["status"] == Status.INFEASIBLE.value, "limits"]:
        labels = json.loads(cell).get(lang, []) if isinstance(cell, str) and cell else []
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return pd.DataFrame(rows, columns=["limit", "samples"])


def coverage_summary(coverage: pd.DataFrame | None) -> dict[str, dict[str, list[float]]]:
    """Demand and capacity per service and year, summed over districts (3 decimals): what the
    fan charts of sweep.html spread over the samples."""
    if coverage is None or coverage.empty:
        return {}
    summed = coverage.groupby(["service", "year"], sort=True)[["demand", "capacity"]].sum()
    out: dict[str, dict[str, list[float]]] = {}
    for (service, year), row in summed.iterrows():
        out.setdefault(str(service), {})[str(int(year))] = [
            round(float(row["demand"]), 3),
            round(float(row["capacity"]), 3),
        ]
    return out


# --------------------------------------------------------------------------------------
# Results on disk: one CSV per sample, so an interrupted sweep resumes where it stopped
# --------------------------------------------------------------------------------------
def sample_path(folder: Path, sample: int) -> Path:
    return Path(folder) / "samples" / f"sample-{sample:06d}.csv"


def write_sample(folder: Path, record: dict) -> None:
    """One sample's record, written aside and renamed into place (never half a file)."""
    target = sample_path(folder, record["sample"])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.partial")
    pd.DataFrame([record], columns=SAMPLE_COLUMNS).to_csv(tmp, index=False)
    tmp.replace(target)


def done_samples(folder: Path, samples: int) -> set[int]:
    """The samples already on disk; ``CapplanError`` for a file that is not one capplan wrote.

    Such a file (emptied, or opened in Excel and saved back with semicolons) would be read as a
    blank sample in every distribution; solving it again would write over what may be the
    user's, so the user is asked to remove it.
    """
    done = {s for s in range(samples) if sample_path(folder, s).is_file()}
    for sample in sorted(done):
        problem = _sample_file_problem(sample_path(folder, sample))
        if problem:
            raise CapplanError(
                f"{sample_path(folder, sample)} {problem}: it is not a sample capplan wrote; "
                "delete it and run the same command again to solve that sample again"
            )
    return done


def _sample_file_problem(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if not header:
        return "is empty"
    if len(header) == 1 and ";" in header[0]:
        return "is separated by semicolons (saved back from Excel?)"
    for column in ("sample", "status"):
        if column not in header:
            return f"has no '{column}' column"
    return None


def read_samples(folder: Path, samples: int) -> pd.DataFrame:
    frames = [
        pd.read_csv(sample_path(folder, s))
        for s in range(samples)
        if sample_path(folder, s).is_file()
    ]
    if not frames:
        return pd.DataFrame(columns=SAMPLE_COLUMNS)
    samples_read = pd.concat(frames, ignore_index=True).sort_values("sample")
    # a folder from before a column was added resumes too: the missing column stays empty
    return samples_read.reindex(columns=SAMPLE_COLUMNS).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Running the samples: on Dask, or (for comparison) in a plain loop
# --------------------------------------------------------------------------------------
def run_loop(
    scenarios: dict, sweep: SweepSettings, seed: int, samples, solver_settings, adopted=None
):
    """The samples one after another in this process (the benchmark's reference)."""
    return [solve_sample(scenarios, sweep, seed, s, solver_settings, adopted) for s in samples]


class DaskRunner:
    """A Dask client: on a new ``LocalCluster`` on the loopback interface (``workers`` processes,
    one thread each: one solver thread per worker) or on an existing cluster (``scheduler``)."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        import os

        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=50,
            )
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler, timeout="20s")

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc_info) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def run(self, scenarios, sweep, seed, samples, solver_settings, adopted=None, on_result=None):
        """Solve ``samples``; ``on_result(record)`` as each finishes (in any order)."""
        from distributed import as_completed

        shared = self.client.scatter([scenarios], broadcast=True, hash=False)[0]
        futures = [
            self.client.submit(
                solve_sample,
                shared,
                sweep,
                seed,
                s,
                solver_settings,
                adopted,
                pure=False,
                key=f"capplan-sample-{seed}-{s}-{id(self)}",
            )  # fmt: skip
            for s in samples
        ]
        records = []
        try:
            for future in as_completed(futures):
                record = future.result()
                records.append(record)
                if on_result is not None:
                    on_result(record)
        finally:
            for future in futures:
                future.cancel()
        return sorted(records, key=lambda r: r["sample"])
