"""The settings of a population projection (``projection.toml`` in a scenario folder), read by
``capplan project`` (docs/projection.md). Ages are single years 0..max_age; the last age is open
("max_age and older")."""

from __future__ import annotations

from pydantic import Field, model_validator

from optimizer.schema.cells import _Strict

MAX_AGE_LIMIT = 120
SHARE_TOLERANCE = 1e-9


class AgeGroup(_Strict):
    """A band of single years of age, first..last inclusive."""

    first: int = Field(ge=0, le=MAX_AGE_LIMIT)
    last: int = Field(ge=0, le=MAX_AGE_LIMIT)

    @model_validator(mode="after")
    def _ordered(self) -> AgeGroup:
        if self.last < self.first:
            raise ValueError(f"last age {self.last} is below first age {self.first}")
        return self


class PersonsGroup(AgeGroup):
    persons: float = Field(ge=0, le=1e9, description="Inhabitants of these ages.")


class RateGroup(AgeGroup):
    rate: float = Field(ge=0, le=1, description="Per person and year.")


class ShareGroup(AgeGroup):
    share: float = Field(ge=-1, le=1, description="Share of the yearly net migration.")


class NamedGroup(AgeGroup):
    name: str = Field(min_length=1, description="Age group as population.csv names it, e.g. 1-5.")


class Base(_Strict):
    groups: list[PersonsGroup] = Field(min_length=1, description="Age structure on 31 Dec.")
    births: float | None = Field(None, ge=0, le=1e7, description="Births in the base year.")
    deaths: float | None = Field(None, ge=0, le=1e7, description="Deaths in the base year.")


class Mortality(_Strict):
    """Death risk by age: a table (``risks``) or a Gompertz curve ``B·exp(slope·age)`` whose
    level B is fitted to the base year's deaths; both fall by ``improvement`` a year."""

    risks: list[RateGroup] | None = None
    gompertz_slope: float | None = Field(None, ge=0, le=1)
    infant_death_risk: float = Field(0.0, ge=0, le=1)
    child_death_risk: float = Field(0.0, ge=0, le=1, description="Floor of the Gompertz risk.")
    improvement: float = Field(0.0, ge=-0.5, le=0.5, description="Yearly fall of death risks.")

    @model_validator(mode="after")
    def _one_form(self) -> Mortality:
        if (self.risks is None) == (self.gompertz_slope is None):
            raise ValueError("give either risks (a table by age) or gompertz_slope, not both")
        return self


class Fertility(_Strict):
    """Births per year = Σ_age rate(age)·pop(age) at the start of the year, times
    (1 + yearly_change)^(year − base_year). ``rates`` by age, or one rate over ``first``..``last``
    fitted to the base year's births."""

    rates: list[RateGroup] | None = None
    first: int = Field(20, ge=0, le=MAX_AGE_LIMIT)
    last: int = Field(44, ge=0, le=MAX_AGE_LIMIT)
    yearly_change: float = Field(0.0, ge=-0.5, le=0.5)


class Migration(_Strict):
    profile: list[ShareGroup] = Field(min_length=1, description="Net migration by age; sums to 1.")

    @model_validator(mode="after")
    def _sums_to_one(self) -> Migration:
        total = sum(g.share for g in self.profile)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the shares of profile sum to {total:g}, not 1")
        return self


class ProjectionVariant(_Strict):
    """A growth path: a constant yearly net migration, or the one that reaches ``total``
    inhabitants on 31 Dec of ``year`` (migration scaled, docs/projection.md)."""

    net_migration: float | None = Field(None, ge=-1e6, le=1e6)
    total: float | None = Field(None, ge=0, le=1e9)
    year: int | None = None
    growth_above: str | None = Field(
        None, description="Variant whose population is spread by the district shares."
    )
    growth_split: dict[str, float] | None = Field(
        None, description="Where this variant's growth above growth_above settles, by district."
    )

    @model_validator(mode="after")
    def _one_path(self) -> ProjectionVariant:
        if (self.net_migration is None) == (self.total is None):
            raise ValueError("give either net_migration or total (with year), not both")
        if self.total is not None and self.year is None:
            raise ValueError("total needs the year in which it is reached")
        if (self.growth_above is None) != (self.growth_split is None):
            raise ValueError("growth_above and growth_split go together")
        return self


class ProjectionSettings(_Strict):
    base_year: int = Field(ge=1800, le=2300, description="Year of the base population (31 Dec).")
    first_year: int | None = Field(
        None, description="First year written (default: the scenario's)."
    )
    last_year: int | None = Field(None, description="Last year written (default: the scenario's).")
    max_age: int = Field(100, ge=1, le=MAX_AGE_LIMIT)
    known_totals: dict[str, float] = Field(
        default_factory=dict,
        description="Published totals after the base year; net migration reproduces them.",
    )
    base: Base
    mortality: Mortality
    fertility: Fertility = Fertility()
    migration: Migration
    age_groups: list[NamedGroup] = Field(min_length=1, description="Groups written.")
    district_shares: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="Age group -> share per district."
    )
    district_totals: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Two years -> inhabitants per district: shares that move on as they moved.",
    )
    age_tilt: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="District -> age group -> profile relative to the kommun's (fitted).",
    )
    variants: dict[str, ProjectionVariant] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ProjectionSettings:
        problems = []
        for year in self.known_totals:
            if not year.isdigit() or int(year) <= self.base_year:
                problems.append(f"known_totals: '{year}' is not a year after base_year")
        if self.known_totals:
            years = sorted(int(y) for y in self.known_totals if y.isdigit())
            if years != list(range(self.base_year + 1, self.base_year + 1 + len(years))):
                problems.append("known_totals: the years must follow base_year without a gap")
        for name, variant in self.variants.items():
            if variant.growth_above is not None and variant.growth_above not in self.variants:
                problems.append(
                    f"variants.{name}.growth_above: no variant '{variant.growth_above}'"
                )
            if variant.growth_above == name:
                problems.append(f"variants.{name}.growth_above: a variant cannot be its own base")
        ages = [a for g in self.age_groups for a in range(g.first, g.last + 1)]
        if sorted(ages) != list(range(self.max_age + 1)):
            problems.append(f"age_groups must cover the ages 0..{self.max_age} once each")
        covered = [a for g in self.base.groups for a in range(g.first, g.last + 1)]
        if sorted(covered) != list(range(self.max_age + 1)):
            problems.append(f"base.groups must cover the ages 0..{self.max_age} once each")
        if self.district_totals and (
            len(self.district_totals) != 2 or not all(y.isdigit() for y in self.district_totals)
        ):
            problems.append("district_totals needs exactly two years")
        if problems:
            raise ValueError("; ".join(problems))
        return self
