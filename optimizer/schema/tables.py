"""Table rows (CSV files or workbook sheets): one model per table, with the rules of one row."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    ValidationInfo,
    model_validator,
)

from optimizer.schema.cells import (
    PROFILE_TOLERANCE,
    Capacity,
    Co2e,
    Flag,
    Int,
    Msek,
    NumberList,
    OptCo2e,
    OptCount,
    OptInt,
    OptMsek,
    OptNumber,
    OptText,
    OptYear,
    People,
    Score,
    Share,
    Staff,
    Text,
    TextList,
    Year,
    _report,
    _Strict,
)

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
    grant_share: Share = Field(0.0, description="Share of capex paid by grants (0-1).")
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
    renovates: OptText = Field(
        None,
        description="Existing asset (id) this candidate renovates: its capacity then replaces the "
        "asset's, the asset loses `works_capacity_loss` of its capacity while under works, and it "
        "does not close at its retirement year if the renovation is in service by then.",
    )
    replaces: OptText = Field(
        None,
        description="Existing asset (id) this candidate replaces (named in every report; a "
        "replacement and a renovation of the same asset exclude each other).",
    )
    works_capacity_loss: Share = Field(
        1.0,
        description="Renovations: share of the asset's capacity out of use while under works (0-1).",
    )
    in_service_year: OptYear = Field(
        None,
        description="A project already under way (started before the first year): the year it "
        "enters service; its start is in_service_year - lead_time.",
    )
    remaining_spend: NumberList = Field(
        default_factory=list,
        description="A project under way: MSEK still to spend in the first year, the next, …, "
        "`|`-separated (before grants; the rest of capex was spent before the horizon).",
    )

    @property
    def committed_year(self) -> int | None:
        """The start already decided: ``committed_start``, or a project under way's start
        (in_service_year − lead_time, before the first year)."""
        if self.committed_start is not None:
            return self.committed_start
        if self.in_service_year is not None:
            return self.in_service_year - self.lead_time
        return None

    @property
    def under_way(self) -> bool:
        return self.in_service_year is not None

    @model_validator(mode="after")
    def _own_rules(self, info: ValidationInfo) -> Candidate:
        found = _spend_profile_problems(self) + _under_way_problems(self)
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


def _under_way_problems(c: Candidate) -> list[tuple[str, str]]:
    """A project under way names its in-service year; its remaining spend fits its capex."""
    found = []
    if c.remaining_spend and c.in_service_year is None:
        found.append(
            ("in_service_year", "is empty, but remaining_spend says the project is under way")
        )
    if c.in_service_year is None:
        return found
    if c.spend_profile:
        found.append(("spend_profile", "a project under way spends its remaining_spend instead"))
    if any(v < 0 for v in c.remaining_spend):
        found.append(("remaining_spend", "has a negative amount"))
    total = sum(c.remaining_spend)
    if total > c.capex * (1 + PROFILE_TOLERANCE) + PROFILE_TOLERANCE:
        found.append(("remaining_spend", f"sums to {total:g} MSEK, more than capex {c.capex:g}"))
    if c.committed_start is not None and c.committed_start != c.in_service_year - c.lead_time:
        found.append(
            (
                "committed_start",
                f"{c.committed_start} contradicts in_service_year {c.in_service_year} with lead "
                f"time {c.lead_time} (start {c.in_service_year - c.lead_time})",
            )
        )
    return found


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
        None,
        description="First year it is no longer in service (empty: stays). It closes then, at "
        "`closure_cost`, unless a candidate that `renovates` it is in service by that year.",
    )
    closure_cost: Msek = Field(
        0.0, ge=0, description="MSEK to close it (demolition, transport, evacuation)."
    )
    opex: Msek = Field(
        0.0, description="MSEK per year while it stands; saved from the year it closes early."
    )
    earliest_closure: OptYear = Field(
        None,
        description="First year it may be closed early, a decision of the plan (empty: it "
        "stands until its retirement year).",
    )

    @model_validator(mode="after")
    def _own_rules(self, info: ValidationInfo) -> ExistingAsset:
        found = []
        if (
            self.earliest_closure is not None
            and self.retirement_year is not None
            and self.earliest_closure >= self.retirement_year
        ):
            found.append(
                (
                    "earliest_closure",
                    f"{self.earliest_closure} is not before retirement_year {self.retirement_year}",
                )
            )
        _report(info, found)
        return self


EMERGENCY_KINDS = ("pavilion", "bought_places", "transport", "other")


class EmergencyOption(_Strict):
    id: Text = Field(min_length=1, description="Unique id, e.g. `PAVILION-FROSON`.")
    name: OptText = Field(None, description="Readable name.")
    kind: Text = Field(
        "other",
        description="`pavilion` (rented), `bought_places` (in another kommun), `transport` "
        "(school transport to free places elsewhere) or `other`.",
    )
    service: Text = Field(min_length=1, description="Service (id) it covers.")
    district: OptText = Field(
        None, description="District (id) it serves (required for services planned per district)."
    )
    cost: Msek = Field(ge=0, description="MSEK per unit of the service per year used.")
    max_units: Capacity = Field(ge=0, description="Units of the service it can give per year.")
    first_year: OptYear = Field(None, description="First year it can be used (empty: first year).")
    last_year: OptYear = Field(None, description="Last year it can be used (empty: last year).")

    @model_validator(mode="after")
    def _own_rules(self, info: ValidationInfo) -> EmergencyOption:
        found = []
        if self.kind not in EMERGENCY_KINDS:
            found.append(("kind", f"'{self.kind}' is not one of {', '.join(EMERGENCY_KINDS)}"))
        if (
            self.first_year is not None
            and self.last_year is not None
            and self.first_year > self.last_year
        ):
            found.append(("last_year", f"{self.last_year} is before first_year {self.first_year}"))
        _report(info, found)
        return self


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
        None, ge=0, description="MSEK of (net) debt allowed at the end of the year."
    )
    existing_net_cost: OptMsek = Field(
        None,
        ge=0,
        description="[finance] Net cost of existing operations that year, MSEK (wins over "
        "net_cost_per_inhabitant).",
    )
    existing_depreciation: Msek = Field(
        0.0, ge=0, description="[finance] Depreciation of assets existing today, MSEK."
    )
    price_index: OptNumber = Field(
        None,
        gt=0,
        le=100,
        description="Price level that year relative to fixed prices (first year = 1), for "
        "nominal figures in reports.",
    )


class OtherInvestmentRow(_Strict):
    year: Year = Field(description="Calendar year.")
    pool: Text = Field(min_length=1, description="Funding pool (id) that pays.")
    department: OptText = Field(
        None, description="Department (id) whose ceiling it loads (empty: none)."
    )
    amount: Msek = Field(
        ge=0, description="MSEK invested that year besides the candidates (net of grants)."
    )
    lifetime: OptInt = Field(
        None,
        ge=1,
        le=200,
        description="Years over which it is depreciated from that year (empty: not depreciated).",
    )
    description: OptText = Field(None, description="What it is (reinvestment, streets, IT, …).")


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
    "emergency_options": EmergencyOption,
    "other_investments": OtherInvestmentRow,
}
DEPENDENCY_KINDS = ("in_service_before_start", "in_service_when_opens")
