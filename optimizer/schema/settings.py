"""The settings of a scenario (scenario.toml): departments, services, districts, pools,
climate, debt, solver, replan and variants, with the rules across them."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)

from optimizer.schema.cells import (
    MAX_COUNT,
    SEK_PER_T,
    CapacitySetting,
    Co2eSetting,
    FactorSetting,
    Magnitude,
    MsekSetting,
    OptMsekSetting,
    OptYearSetting,
    Rate,
    ShareSetting,
    YearSetting,
    _report,
    _Strict,
)
from optimizer.text import unknown


# --------------------------------------------------------------------------------------
# Settings (scenario.toml)
# --------------------------------------------------------------------------------------
class Department(_Strict):
    """A förvaltning: owns services, candidates, staff and optional budget ceilings."""

    id: str = Field(min_length=1, description="Short id used in tables, e.g. `BUF`.")
    name: str = Field("", description="Full name, e.g. Barn- och utbildningsförvaltningen.")
    max_projects_under_construction: int | None = Field(
        None,
        ge=0,
        le=MAX_COUNT,
        description="Delivery capacity: projects of this department under construction at once.",
    )


class Service(_Strict):
    """What capacity is measured in, with the demand rule that turns population into need."""

    id: str = Field(min_length=1, description="Short id, e.g. `preschool`.")
    name: str = Field("", description="Readable name, e.g. Förskoleplatser.")
    unit: str = Field(
        min_length=1, description="Unit of capacity and demand, e.g. places, apartments, pe."
    )
    department: str = Field(
        min_length=1, description="Department (id) responsible for the service."
    )
    demand_rates: dict[str, Rate] = Field(
        default_factory=dict,
        description="Units needed per inhabitant of each age group, e.g. {'1-5' = 0.87}; `total` means all ages.",
    )
    fixed_need: CapacitySetting = Field(
        0.0, description="Units needed every year on top of the rates (e.g. industry load)."
    )
    shortfall_cost: MsekSetting = Field(
        ge=0, description="MSEK per missing unit per year (bought places, temporary premises)."
    )
    by_district: bool = Field(
        False, description="Plan coverage per district instead of municipality-wide."
    )
    neighbour_share: ShareSetting = Field(
        0.0,
        description="Share of a district's demand that may be served from neighbouring districts.",
    )
    duty_from: OptYearSetting = Field(
        None,
        description="Year from which coverage is a legal duty (preschool, school, water): no "
        "shortfall from then on, only capacity, transfers and emergency options (empty: no duty).",
    )
    target_utilisation: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Plan for capacity ≥ demand / target_utilisation (0.95 keeps 5 % slack).",
    )
    terminal: bool | None = Field(
        None,
        description="Capacity standing at the end of the last year ≥ planned demand then, per "
        "district (empty: true for a service that is a duty by the last year).",
    )


class District(_Strict):
    """A part of the municipality where capacity stands and demand arises."""

    id: str = Field(min_length=1, description="Short id used in tables, e.g. `lugnvik`.")
    name: str = Field("", description="Readable name.")
    neighbours: list[str] = Field(
        default_factory=list, description="Districts (ids) that may serve this one."
    )


class FundingPool(_Strict):
    """A budget that investments draw on: tax-financed, fee-financed VA, …"""

    id: str = Field(min_length=1, description="e.g. `tax`, `va`.")
    name: str = Field("", description="Readable name.")
    carry_over: bool = Field(False, description="Unspent budget may be used in the next year.")
    carry_over_cap: OptMsekSetting = Field(
        None, ge=0, description="MSEK that may be carried at most (empty: no cap)."
    )


class Criterion(_Strict):
    """A weighted goal of the multi-criteria score (docs/tradeoffs.md): the candidates it counts
    are those with one of its tags or in one of its districts."""

    id: str = Field(min_length=1, description="Short id, e.g. `agenda2030`, `equity`.")
    name: str = Field("", description="Readable name, e.g. Agenda 2030.")
    weight: float = Field(
        1.0, ge=0, le=1e6, allow_inf_nan=False, description="Points per unit built that counts."
    )
    tags: list[str] = Field(
        default_factory=list,
        description="Candidate tags (the `tags` column, e.g. `SDG4`) that count for this goal.",
    )
    districts: list[str] = Field(
        default_factory=list,
        description="Districts (ids) whose candidates count for this goal (district equity).",
    )


class ScenarioInfo(_Strict):
    """Name, planning horizon and objective."""

    name: str = Field(min_length=1, description="Scenario name shown in reports.")
    description: str = Field("", description="Free text shown in reports.")
    first_year: YearSetting = Field(description="First planning year (calendar year).")
    last_year: YearSetting = Field(description="Last planning year, included.")
    discount_rate: float = Field(
        0.035, ge=0, le=0.5, description="Real discount rate per year (0.035 = 3.5 %)."
    )
    default_variant: str | None = Field(None, description="Variant used when none is named.")
    objective: Literal["cost", "value"] = Field(
        "cost",
        description="cost: minimise present value of cost; value: maximise total value under budgets.",
    )
    value_cost_weight: FactorSetting = Field(
        0.0,
        ge=0,
        description="Value mode only: weight of the discounted cost subtracted from value.",
    )
    hard_coverage: bool = Field(
        False, description="Demand must be met in full (no shortfall allowed)."
    )


class Climate(_Strict):
    carbon_price_sek_per_t: Annotated[float, AfterValidator(SEK_PER_T)] = Field(
        0.0, ge=0, description="Carbon price in SEK per tonne CO2e in the objective."
    )
    cumulative_budget_t: Co2eSetting = Field(
        None, ge=0, description="CO2e over the whole horizon, tonnes."
    )


class Debt(_Strict):
    opening: MsekSetting = Field(
        0.0, ge=0, description="Debt at the start of the first year, MSEK."
    )
    interest_rate: float = Field(
        0.0,
        ge=0,
        le=0.5,
        description="Interest rate per year on debt (real unless `interest_rate_kind` says nominal).",
    )
    interest_rate_kind: Literal["real", "nominal"] = Field(
        "real",
        description="`nominal`: the rate is converted to a real rate with the price index "
        "([finance] inflation or policy_years.price_index), as the model is in fixed prices.",
    )
    pools: list[str] = Field(
        default_factory=list, description="Pools whose spend is debt-financed (empty: all)."
    )


SEK_PER_INHABITANT = Magnitude("an amount per inhabitant", 10_000_000, "SEK per inhabitant")
SekPerInhabitant = Annotated[float, AfterValidator(SEK_PER_INHABITANT)]
OptSekPerInhabitant = Annotated[float | None, AfterValidator(SEK_PER_INHABITANT)]
# [finance]'s targets and price change as shares (0.02 = 2 %), each range declared once: a
# result of revenue (down to a deficit of the whole revenue), self-financing of investment (1 =
# 100 %; above 10 is a typo), and a yearly price change
OptResultShare = Annotated[float | None, Field(ge=-1, le=1)]
OptSelfFinancingRate = Annotated[float | None, Field(ge=0, le=10)]
OptPriceChange = Annotated[float | None, Field(ge=-0.5, le=1)]


class Finance(_Strict):
    """The operating side and the financial targets of god ekonomisk hushållning (docs/model.md,
    finance). Every amount in fixed prices of the first year; every target optional."""

    revenue_per_inhabitant: SekPerInhabitant = Field(
        ge=0,
        description="Tax revenue plus general state grants and equalisation, SEK per inhabitant "
        "and year (the variant's population makes it grow; a variant may override it).",
    )
    net_cost_per_inhabitant: OptSekPerInhabitant = Field(
        None,
        ge=0,
        description="Net cost of existing operations, SEK per inhabitant and year, before "
        "capital costs of new investment (empty: policy_years.existing_net_cost in every year).",
    )
    result_target_share: OptResultShare = Field(
        None,
        description="Balance requirement: yearly result ≥ this share of revenue "
        "(0 = the legal balance requirement, 0.02 = a 2 % result target; empty: none).",
    )
    self_financing_rate: OptSelfFinancingRate = Field(
        None,
        description="(result + depreciation) ≥ this share of the year's investment, every year "
        "(1 = 100 %; empty: none).",
    )
    period_self_financing_rate: OptSelfFinancingRate = Field(
        None, description="The same over the whole horizon, summed (empty: none)."
    )
    debt_per_inhabitant: OptSekPerInhabitant = Field(
        None, ge=0, description="Debt at the end of each year ≤ this, SEK per inhabitant."
    )
    inflation: OptPriceChange = Field(
        None,
        description="Yearly price change for nominal figures in reports (0.02 = 2 %); "
        "policy_years.price_index, when given, wins (empty: reports in fixed prices).",
    )


MAX_TIME_LIMIT = 7 * 24 * 3600.0  # a week: longer is a typo, and no planning cycle waits that long
# More threads than any machine capplan runs on has cores: HiGHS allocates memory per thread
# (--threads 10000 took 98 s and gigabytes on the five-candidate scenario).
MAX_THREADS = 64
MAX_SEED = 2_147_483_647  # HiGHS' random_seed option is a C int: 0 … 2^31-1


class SolverSettings(_Strict):
    """How the mixed-integer model is solved (docs/model.md).

    One model for ``[solver]`` in scenario.toml, the command-line options (``--solver``,
    ``--time-limit``, ``--gap``, ``--threads``, ``--seed``; ``run.solve_settings_for`` lays them
    over the scenario's), the solve itself (``solve.SolveSettings`` is this model) and what a
    result records (``recorded``): the fields and their ranges are declared once, here.
    """

    # in scenario.toml the solver is called `name`; in code and in results it is `solver`
    model_config = ConfigDict(populate_by_name=True)
    # what a result records in plan.json and its manifest, and a stored result must match
    RECORDED: ClassVar[tuple[str, ...]] = ("solver", "time_limit", "gap", "threads", "seed")

    solver: Literal["auto", "highs", "cbc"] = Field(
        "auto",
        alias="name",
        description="Solver: `auto` (chosen from the scenario's structure, the reason in "
        "plan.json), `highs` or `cbc`.",
    )
    time_limit: float = Field(300.0, gt=0, le=MAX_TIME_LIMIT, description="Seconds.")
    gap: float = Field(
        1e-4, ge=0, lt=1, description="Relative MIP gap at which the solver may stop."
    )
    threads: int = Field(1, ge=1, le=MAX_THREADS, description="Solver threads.")
    seed: int = Field(
        0, ge=0, le=MAX_SEED, description="Solver random seed (same seed, same plan)."
    )
    running_sum: Literal["expression", "variable"] = Field(
        "variable",
        description="Formulation of started-by sums (docs/model.md); variable solved 2-3× faster.",
    )
    coverage_clip: bool = Field(
        False,
        description="Clip each unit's capacity in a coverage row to what that row can use "
        "(exact; docs/model.md, Formulation options).",
    )
    restart: bool = Field(
        True,
        description="Let HiGHS restart its search after the root (`mip_allow_restart`).",
    )
    submip_heuristics: bool = Field(
        True,
        description="Let HiGHS run its sub-MIP heuristics: root reduced-cost fixing, RINS and "
        "RENS (`mip_heuristic_run_root_reduced_cost`, `_rins`, `_rens`; docs/model.md, "
        "Formulation options). The optimum is the same either way.",
    )
    improvement: Literal["auto", "off", "windows"] = Field(
        "auto",
        description="When HiGHS has a plan but no proof at 30 % of the time limit: `windows` "
        "spends the rest re-optimising the plan's start decisions four years at a time, the "
        "rest of the plan fixed (docs/model.md, Formulation options). The bound and gap stay "
        "HiGHS' proven ones. `auto`: windows from 2 000 integer columns on (large models HiGHS "
        "does not prove within minutes), otherwise off.",
    )
    heuristic: Literal["off", "relax_and_fix"] = Field(
        "off",
        description="A first plan before HiGHS' search, handed to it as a start: `relax_and_fix` "
        "(by 5-year windows, at most a quarter of the time limit; docs/model.md, Formulation "
        "options). The optimum is the same either way.",
    )

    # why this solver (optimizer/solver_choice.py): set when `auto` is resolved for a scenario
    _choice: str = PrivateAttr("")

    @property
    def choice(self) -> str:
        return self._choice

    def recorded(self, solver_version: str) -> dict[str, Any]:
        """The settings a result records (plan.json, manifest.json), in their usual order."""
        values = self.model_dump(include=set(self.RECORDED))
        return {"solver": self.solver, "solver_version": solver_version} | {
            key: values[key] for key in self.RECORDED[1:]
        }


class Replan(_Strict):
    stability_price: MsekSetting = Field(
        5.0,
        ge=0,
        description="MSEK charged per candidate moved, added or removed relative to an adopted plan.",
    )


class Variant(_Strict):
    """A named variant: a population projection plus overrides of the base scenario."""

    description: str = Field("", description="Free text shown in reports.")
    population: str | None = Field(
        None, description="Population variant in population.csv (default: the variant's name)."
    )
    budget_factor: FactorSetting = Field(
        1.0,
        gt=0,
        description="Multiplies every budget ceiling (budgets and department_budgets), not the other investment.",
    )
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Overrides merged into scenario.toml."
    )
    tables: dict[str, str] = Field(
        default_factory=dict, description="Table name -> replacement file in the folder."
    )


TABLE_NAMES = (
    "candidates",
    "candidate_capacity",
    "dependencies",
    "existing_assets",
    "population",
    "budgets",
    "department_budgets",
    "staff",
    "policy_years",
    "emergency_options",
    "other_investments",
)
REQUIRED_TABLES = ("candidates", "candidate_capacity", "population", "budgets")


class Settings(_Strict):
    """Everything in scenario.toml after a variant's overrides are merged in."""

    scenario: ScenarioInfo
    climate: Climate = Climate()
    debt: Debt | None = None
    finance: Finance | None = None
    solver: SolverSettings = SolverSettings()
    replan: Replan = Replan()
    departments: list[Department] = Field(min_length=1)
    services: list[Service] = Field(min_length=1)
    districts: list[District] = Field(default_factory=list)
    pools: list[FundingPool] = Field(min_length=1)
    variants: dict[str, Variant] = Field(default_factory=dict)
    criteria: list[Criterion] = Field(
        default_factory=list, description="Weighted goals of the multi-criteria score."
    )
    tables: dict[str, str] = Field(
        default_factory=dict, description="Table name -> file, if not `<name>.csv`."
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Settings:
        _report(
            info,
            _horizon_problems(self)
            + _duplicate_id_problems(self)
            + _service_problems(self)
            + _reference_problems(self),
        )
        return self


class Horizon:
    """The planning horizon of whatever holds a scenario's ``settings`` (a ``Scenario``, the
    validation context): its first and last year, read from ``[scenario]`` in one place."""

    settings: Settings

    @property
    def first_year(self) -> int:
        return self.settings.scenario.first_year

    @property
    def last_year(self) -> int:
        return self.settings.scenario.last_year


def _horizon_problems(s: Settings) -> list[tuple[str, str]]:
    first, last = s.scenario.first_year, s.scenario.last_year
    found = []
    if first > last:
        found.append(("scenario.last_year", f"{last} is before first_year {first}"))
    default = s.scenario.default_variant
    if default and s.variants and default not in s.variants:
        found.append(("scenario.default_variant", f"'{default}' is not a variant"))
    return found


def _duplicate_id_problems(s: Settings) -> list[tuple[str, str]]:
    found = []
    for what, items in (
        ("departments", s.departments),
        ("services", s.services),
        ("districts", s.districts),
        ("pools", s.pools),
        ("criteria", s.criteria),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items, start=1):
            if item.id in seen:
                found.append((f"{what}[{i}].id", f"duplicate {what} id '{item.id}'"))
            seen.add(item.id)
    return found


def _service_problems(s: Settings) -> list[tuple[str, str]]:
    departments = {d.id for d in s.departments}
    found = []
    for i, svc in enumerate(s.services, start=1):
        if svc.department not in departments:
            found.append(
                (f"services[{i}].department", unknown("department", svc.department, departments))
            )
        if svc.by_district and not s.districts:
            found.append(
                (f"services[{i}].by_district", "is true but the scenario defines no districts")
            )
        if not svc.demand_rates and svc.fixed_need == 0:
            found.append((f"services[{i}].demand_rates", "gives no demand rule"))
    return found


def _reference_problems(s: Settings) -> list[tuple[str, str]]:
    districts = {d.id for d in s.districts}
    pools = {p.id for p in s.pools}
    found = []
    for i, district in enumerate(s.districts, start=1):
        for n in district.neighbours:
            if n not in districts:
                found.append((f"districts[{i}].neighbours", unknown("district", n, districts)))
    for i, criterion in enumerate(s.criteria, start=1):
        for d in criterion.districts:
            if d not in districts:
                found.append((f"criteria[{i}].districts", unknown("district", d, districts)))
        if not criterion.tags and not criterion.districts:
            found.append((f"criteria[{i}].tags", "names no tag and no district: it counts nothing"))
    for pool in s.debt.pools if s.debt is not None else []:
        if pool not in pools:
            found.append(("debt.pools", unknown("pool", pool, pools)))
    if s.finance is not None and s.debt is None:
        found.append(
            (
                "finance",
                "needs a [debt] section: the result finances the investment, loans the rest",
            )
        )
    for name, variant in s.variants.items():
        for table_name in variant.tables:
            if table_name not in TABLE_NAMES:
                found.append(
                    (f"variants.{name}.tables", unknown("table", table_name, set(TABLE_NAMES)))
                )
    return found
