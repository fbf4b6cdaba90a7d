"""Pydantic models of a scenario: the one place where input is typed and validated.

A scenario is read once, at the boundary (``optimizer.io``), into these models. Everything
downstream (demand, arrays, model, checker, reports) trusts them. Field descriptions carry
units; ``docs/scenario-format.md`` documents the same fields for people who edit scenarios.

Money is MSEK at fixed (real) prices, CO2e in tonnes, staff in full-time equivalents (FTE),
years are calendar years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)


# --------------------------------------------------------------------------------------
# Cell parsers: what a spreadsheet user writes -> Python values.
# --------------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN from pandas/openpyxl
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_number(value: Any) -> Any:
    """Accept Swedish and English spellings: ``1 234,5``, ``1234.5``, ``0,87``, ``-3``."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(value, int | float):
        if not math.isfinite(value):  # nan/inf from a workbook cell or JSON
            raise ValueError(f"'{value}' is not a finite number")
        return value
    if isinstance(value, date | time):  # a workbook cell formatted as a date
        if isinstance(value, datetime) and value.time() == time():
            value = value.date()
        raise ValueError(f"'{value}' is a date, not a number; format the cell as a number")
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.replace("\u2212", "-")  # typographic minus from Word/Excel
    if text.startswith("="):
        raise ValueError(f"'{value}' is a formula; save the value, not the formula")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"'{value}' is not a finite number")
    return number


def parse_int(value: Any) -> Any:
    number = parse_number(value)
    if number is None:
        return None
    if float(number) != int(number):
        raise ValueError(f"'{value}' must be a whole number")
    return int(number)


def parse_bool(value: Any) -> Any:
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in {"1", "yes", "y", "true", "ja", "j", "sant", "x"}:
        return True
    if text in {"0", "no", "n", "false", "nej", "falskt"}:
        return False
    raise ValueError(f"'{value}' is not yes/no (use yes, no, ja, nej, 1 or 0)")


def parse_text(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def parse_list(value: Any) -> Any:
    """Lists inside one cell are separated by ``|`` (``;`` and ``,`` are CSV separators)."""
    if _blank(value):
        return []
    if isinstance(value, list):
        return value
    return [part.strip() for part in str(value).split("|") if part.strip()]


def parse_number_list(value: Any) -> Any:
    return [parse_number(part) for part in parse_list(value)]


# --------------------------------------------------------------------------------------
# Sane magnitudes: one rule for every number at the boundary.
#
# Every float of every model must be finite (``allow_inf_nan=False`` in ``_Strict``: TOML and
# JSON both accept ``nan`` and ``inf``), and each kind of quantity has a largest sane absolute
# value. Beyond it a number is a typo or a unit slip (kronor typed for MSEK), and the solver
# would only come back with "no solution in time" or a plan built on rounding noise.
# docs/scenario-format.md ("Numbers") lists the same limits; they are generated from here.
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Magnitude:
    """|value| ≤ ``limit`` for one kind of quantity; used as a pydantic after-validator."""

    kind: str
    limit: float
    unit: str
    hint: str = ""

    def __call__(self, value: Any) -> Any:
        if value is not None and abs(value) > self.limit:
            raise ValueError(
                f"'{value:g}' is beyond the sane range of {self.kind}: at most "
                f"{self.limit:,.0f} {self.unit} either way{self.hint}".replace(",", " ")
            )
        return value

    def text(self) -> str:
        """How the limit reads in the documentation: '\\|x\\| ≤ 1 000 000 MSEK'."""
        return f"|x| ≤ {self.limit:,.0f} {self.unit}".replace(",", " ")


MSEK = Magnitude(
    "an amount of money",
    1_000_000,
    "MSEK",
    " (amounts are in MSEK: was it typed in kronor?)",
)
PEOPLE = Magnitude("a population count", 10_000_000, "inhabitants")
CAPACITY = Magnitude("a capacity or need", 10_000_000, "units of the service")
RATE = Magnitude("a rate per inhabitant", 1_000, "units per inhabitant")
FTE = Magnitude("staff", 1_000_000, "FTE")
CO2E = Magnitude("an amount of CO2e", 1_000_000_000, "tonnes")
SEK_PER_T = Magnitude("a carbon price", 1_000_000, "SEK per tonne")
SCORE = Magnitude("a value score", 1_000_000, "points")
FACTOR = Magnitude("a factor or weight", 1_000, "")
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_COUNT = 10_000  # projects under construction at once

Number = Annotated[float, BeforeValidator(parse_number)]
OptNumber = Annotated[float | None, BeforeValidator(parse_number)]
Int = Annotated[int, BeforeValidator(parse_int)]
OptInt = Annotated[int | None, BeforeValidator(parse_int)]
Msek = Annotated[float, BeforeValidator(parse_number), AfterValidator(MSEK)]
OptMsek = Annotated[float | None, BeforeValidator(parse_number), AfterValidator(MSEK)]
People = Annotated[float, BeforeValidator(parse_number), AfterValidator(PEOPLE)]
Capacity = Annotated[float, BeforeValidator(parse_number), AfterValidator(CAPACITY)]
Rate = Annotated[float, AfterValidator(RATE)]
Staff = Annotated[float, BeforeValidator(parse_number), AfterValidator(FTE)]
Co2e = Annotated[float, BeforeValidator(parse_number), AfterValidator(CO2E)]
OptCo2e = Annotated[float | None, BeforeValidator(parse_number), AfterValidator(CO2E)]
Score = Annotated[float, BeforeValidator(parse_number), AfterValidator(SCORE)]
Year = Annotated[int, BeforeValidator(parse_int), Field(ge=MIN_YEAR, le=MAX_YEAR)]
OptYear = Annotated[int | None, BeforeValidator(parse_int), Field(ge=MIN_YEAR, le=MAX_YEAR)]
OptCount = Annotated[int | None, BeforeValidator(parse_int), Field(ge=0, le=MAX_COUNT)]
# The same kinds in scenario.toml, where TOML already types the values.
MsekSetting = Annotated[float, AfterValidator(MSEK)]
OptMsekSetting = Annotated[float | None, AfterValidator(MSEK)]
CapacitySetting = Annotated[float, AfterValidator(CAPACITY)]
Co2eSetting = Annotated[float | None, AfterValidator(CO2E)]
FactorSetting = Annotated[float, AfterValidator(FACTOR)]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
Text = Annotated[str, BeforeValidator(parse_text)]
OptText = Annotated[str | None, BeforeValidator(parse_text)]
TextList = Annotated[list[str], BeforeValidator(parse_list)]
NumberList = Annotated[list[float], BeforeValidator(parse_number_list)]


class _Strict(BaseModel):
    # allow_inf_nan=False: the finite-number rule for every float field (see Magnitude above)
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


# --------------------------------------------------------------------------------------
# Rules of one row (or of the settings as a whole), beside the fields they read.
# --------------------------------------------------------------------------------------
PROFILE_TOLERANCE = 1e-6
ROW_PROBLEMS = "row_problems"  # validation context key: where the loader collects rule problems


class RowRuleError(ValueError):
    """A row broke its own rules: (field, message) pairs."""

    def __init__(self, found: list[tuple[str, str]]):
        self.found = found
        super().__init__("; ".join(f"{name}: {message}" for name, message in found))


def _report(info: ValidationInfo, found: list[tuple[str, str]]) -> None:
    """Raise what a row rule found, or hand it to the loader (``optimizer.validate``), which
    keeps the row, all of whose cells are valid, for the rules across tables (no "unknown
    candidate" because a spend profile sums to 0.9) and returns no ``Scenario`` then."""
    if not found:
        return
    sink = info.context.get(ROW_PROBLEMS) if isinstance(info.context, dict) else None
    if sink is None:
        raise RowRuleError(found)
    sink.extend(found)


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
    neighbour_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of a district's demand that may be served from neighbouring districts.",
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


class ScenarioInfo(_Strict):
    """Name, planning horizon and objective."""

    name: str = Field(min_length=1, description="Scenario name shown in reports.")
    description: str = Field("", description="Free text shown in reports.")
    first_year: int = Field(ge=1900, le=2200, description="First planning year (calendar year).")
    last_year: int = Field(ge=1900, le=2200, description="Last planning year, included.")
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
        0.0, ge=0, le=0.5, description="Real interest rate per year on debt."
    )
    pools: list[str] = Field(
        default_factory=list, description="Pools whose spend is debt-financed (empty: all)."
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

    solver: Literal["highs", "cbc"] = Field(
        "highs", alias="name", description="Solver: `highs` or `cbc`."
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
    budget_factor: FactorSetting = Field(1.0, gt=0, description="Multiplies every budget ceiling.")
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
)
REQUIRED_TABLES = ("candidates", "candidate_capacity", "population", "budgets")


class Settings(_Strict):
    """Everything in scenario.toml after a variant's overrides are merged in."""

    scenario: ScenarioInfo
    climate: Climate = Climate()
    debt: Debt | None = None
    solver: SolverSettings = SolverSettings()
    replan: Replan = Replan()
    departments: list[Department] = Field(min_length=1)
    services: list[Service] = Field(min_length=1)
    districts: list[District] = Field(default_factory=list)
    pools: list[FundingPool] = Field(min_length=1)
    variants: dict[str, Variant] = Field(default_factory=dict)
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
            found.append((f"services[{i}].department", f"unknown department '{svc.department}'"))
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
                found.append((f"districts[{i}].neighbours", f"unknown district '{n}'"))
    for pool in s.debt.pools if s.debt is not None else []:
        if pool not in pools:
            found.append(("debt.pools", f"unknown pool '{pool}'"))
    for name, variant in s.variants.items():
        for table_name in variant.tables:
            if table_name not in TABLE_NAMES:
                found.append((f"variants.{name}.tables", f"unknown table '{table_name}'"))
    return found


# --------------------------------------------------------------------------------------
# Table rows (CSV or workbook sheets). Row models parse spreadsheet cells.
# --------------------------------------------------------------------------------------
DependencyKind = Literal["in_service_before_start", "in_service_when_opens"]


class Candidate(_Strict):
    id: Text = Field(min_length=1, description="Unique id, e.g. `SKOLA-LOVSTA-F9`.")
    name: Text = Field(min_length=1, description="Readable name.")
    department: Text = Field(min_length=1, description="Department (id) that owns the investment.")
    district: OptText = Field(None, description="District (id) where the capacity stands.")
    capex: Msek = Field(ge=0, description="Total investment, MSEK (before grants).")
    spend_profile: NumberList = Field(
        default_factory=list,
        description="Share of capex spent in each year from the start, `|`-separated, sums to 1; empty: even over the lead time.",
    )
    lead_time: Int = Field(
        ge=0, le=30, description="Years from start to in service (0: in service the start year)."
    )
    earliest_start: OptYear = Field(
        None, description="First allowed start year (empty: first year)."
    )
    latest_start: OptYear = Field(None, description="Last allowed start year (empty: last year).")
    lifetime: Int = Field(ge=1, le=200, description="Years in service.")
    opex: Msek = Field(0.0, description="MSEK per year while in service (negative: a saving).")
    staff_fte: Staff = Field(
        0.0, description="FTE needed while in service (negative: staff freed)."
    )
    embodied_co2e_t: Co2e = Field(
        0.0, ge=0, description="Tonnes CO2e from construction, spread like capex."
    )
    operational_co2e_t: Co2e = Field(
        0.0, description="Tonnes CO2e per year in service (may be negative)."
    )
    pool: Text = Field(min_length=1, description="Funding pool (id) that pays.")
    grant_share: Number = Field(0.0, ge=0, le=1, description="Share of capex paid by grants (0-1).")
    must_do: Flag = Field(False, description="Must be started within the horizon.")
    deadline: OptYear = Field(None, description="Must-do: year by which it must be in service.")
    committed_start: OptYear = Field(None, description="Already decided start year.")
    exclusive_group: OptText = Field(None, description="At most one candidate of a group is built.")
    value: Score = Field(0.0, description="Value score (value mode).")
    max_units: Int = Field(
        1, ge=1, le=1000, description="Identical units that may be built (modular options)."
    )
    tags: TextList = Field(
        default_factory=list, description="`|`-separated tags, e.g. Agenda 2030 goals."
    )
    notes: OptText = Field(None, description="Free text (not used by the model).")

    @model_validator(mode="after")
    def _own_rules(self, info: ValidationInfo) -> Candidate:
        found = _spend_profile_problems(self)
        if (
            self.earliest_start is not None
            and self.latest_start is not None
            and self.earliest_start > self.latest_start
        ):
            found.append(
                (
                    "latest_start",
                    f"{self.latest_start} is before earliest_start {self.earliest_start}",
                )
            )
        _report(info, found)
        return self


def _spend_profile_problems(c: Candidate) -> list[tuple[str, str]]:
    profile = c.spend_profile
    if not profile:
        return []
    found = []
    if any(v < 0 for v in profile):
        found.append(("spend_profile", "has a negative share"))
    total = sum(profile)
    if abs(total - 1.0) > PROFILE_TOLERANCE:
        found.append(("spend_profile", f"shares sum to {total:g}, not 1"))
    if len(profile) > max(c.lead_time, 1):
        found.append(
            (
                "spend_profile",
                f"spends over {len(profile)} years but the lead time is {c.lead_time}",
            )
        )
    return found


class CandidateCapacity(_Strict):
    candidate: Text = Field(min_length=1, description="Candidate (id) in candidates.")
    service: Text = Field(min_length=1, description="Service (id) whose capacity changes.")
    capacity: Capacity = Field(description="Units added per built unit (negative for a closure).")


class Dependency(_Strict):
    candidate: Text = Field(min_length=1, description="The candidate that depends (p).")
    requires: Text = Field(min_length=1, description="The candidate it depends on (q).")
    kind: Text = Field(
        "in_service_before_start",
        description="`in_service_before_start`: q in service (plus lag) before p starts; "
        "`in_service_when_opens`: q in service when p opens.",
    )
    lag: Int = Field(0, ge=0, le=30, description="Extra years after q is in service.")

    @model_validator(mode="after")
    def _own_rules(self, info: ValidationInfo) -> Dependency:
        found = []
        if self.kind not in DEPENDENCY_KINDS:
            found.append(("kind", f"'{self.kind}' is not one of {', '.join(DEPENDENCY_KINDS)}"))
        if self.candidate == self.requires:
            found.append(("requires", f"candidate '{self.candidate}' cannot depend on itself"))
        _report(info, found)
        return self


class ExistingAsset(_Strict):
    id: Text = Field(min_length=1, description="Unique id of the asset.")
    name: OptText = Field(None, description="Readable name.")
    service: Text = Field(min_length=1, description="Service (id) it provides.")
    district: OptText = Field(
        None,
        description="District (id) where it stands (required for services planned per district).",
    )
    capacity: Capacity = Field(ge=0, description="Units of the service it provides.")
    retirement_year: OptYear = Field(
        None, description="First year it is no longer in service (empty: stays)."
    )


class PopulationRow(_Strict):
    variant: Text = Field(
        min_length=1, description="Population variant, e.g. `trend`; chosen by a scenario variant."
    )
    year: Year = Field(description="Calendar year.")
    district: OptText = Field(None, description="District (id); empty: the whole municipality.")
    age_group: Text = Field(
        min_length=1, description="Age group as named in `demand_rates`, e.g. `1-5`, `80+`."
    )
    population: People = Field(ge=0, description="Inhabitants.")


class BudgetRow(_Strict):
    pool: Text = Field(min_length=1, description="Funding pool (id).")
    year: Year = Field(description="Calendar year.")
    ceiling: Msek = Field(ge=0, description="MSEK that may be spent that year (net of grants).")


class DepartmentBudgetRow(_Strict):
    department: Text = Field(min_length=1, description="Department (id).")
    year: Year = Field(description="Calendar year.")
    ceiling: Msek = Field(
        ge=0, description="MSEK the department's candidates may spend that year (net of grants)."
    )


class StaffRow(_Strict):
    department: Text = Field(min_length=1, description="Department (id).")
    year: Year = Field(description="Calendar year.")
    recruitable_fte: Staff = Field(
        ge=0, description="New FTE the department can have recruited by that year."
    )


class PolicyYearRow(_Strict):
    year: Year = Field(description="Calendar year.")
    co2e_cap_t: OptCo2e = Field(
        None, ge=0, description="Tonnes CO2e allowed that year (empty: no cap)."
    )
    existing_co2e_t: Co2e = Field(
        0.0, ge=0, description="Tonnes CO2e from existing operations that year."
    )
    max_projects_under_construction: OptCount = Field(
        None,
        description="Projects (all departments) under construction at once (empty: no limit).",
    )
    self_financing: Msek = Field(
        0.0, ge=0, description="MSEK of investment paid from the year's result."
    )
    debt_ceiling: OptMsek = Field(
        None, ge=0, description="MSEK of debt allowed at the end of the year."
    )


ROW_MODELS: dict[str, type[_Strict]] = {
    "candidates": Candidate,
    "candidate_capacity": CandidateCapacity,
    "dependencies": Dependency,
    "existing_assets": ExistingAsset,
    "population": PopulationRow,
    "budgets": BudgetRow,
    "department_budgets": DepartmentBudgetRow,
    "staff": StaffRow,
    "policy_years": PolicyYearRow,
}
DEPENDENCY_KINDS = ("in_service_before_start", "in_service_when_opens")
