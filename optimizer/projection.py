"""Cohort-component population projection (docs/projection.md) -> the population table.

Population of year y is the population on 31 Dec of y, by single year of age 0..max_age (the last
age open). One year's step, from 31 Dec of y−1 to 31 Dec of y:

1. everyone ages one year and survives with 1 − q(age, y) (the open last age stays);
2. births = (1 + fertility change)^(y − base) · Σ_a f(a)·pop(a) (population at the start of the
   year); they enter age 0 after surviving half a first year, births·(1 − q(0)/2), with the base
   year's infant risk q(0);
3. net migration N(y) is added by age with the migration profile (shares summing to 1).

q(a, y) = q(a)·(1 − improvement)^(y − base), from a table or a Gompertz curve
q(a) = max(child floor, B·exp(slope·a)) (age 0: the infant risk) with B fitted to the base
year's deaths; a single fertility rate over an age span can be fitted to the base year's births.
Years with a published total (``known_totals``) get the net migration that reproduces it; from
then on each variant has one constant yearly net migration, stated or calibrated so that the
total of a stated year is reached. The total is affine in that constant (nothing in a step
depends on the population except linearly), so two projections solve the calibration exactly.

Districts: the municipality's population of each age group is split over the districts by the
scenario's shares per age group; a variant with a ``growth_split`` spreads the population of its
``growth_above`` variant by those shares and its growth above it by the split. Figures are
rounded to whole persons so that the districts of an age group add up to the rounded total.

Plain Python floats in a fixed order of operations: the same settings give the same file.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from optimizer.schema.projection import ProjectionSettings

HEADER = ["variant", "year", "district", "age_group", "population"]
NO_DISTRICT = ""
MIGRATION_SCALE = 1000.0  # the second calibration run: any non-zero migration would do


class ProjectionError(ValueError):
    """The assumptions cannot be projected (e.g. net migration empties an age group).

    ``field`` names the assumption in projection.toml when one is to blame
    (``known_totals.2024``, ``variants.target``); ``year`` is the year the projection broke.
    """

    def __init__(self, message: str, field: str | None = None, year: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.year = year


@dataclass(frozen=True)
class Projection:
    """A projection's result: population by single year of age, per variant and year."""

    settings: ProjectionSettings
    years: list[int]  # years written
    districts: list[str]  # [""] when the scenario plans municipality-wide
    population: dict[str, dict[int, list[float]]]  # variant -> year -> persons by age
    net_migration: dict[
        str, float
    ]  # variant -> constant yearly net migration after the known years
    known_migration: dict[int, float]  # year -> net migration that reproduces its published total
    mortality_level: float  # Gompertz B (0 with a risk table)
    fertility_rate: float  # fitted single rate (0 with a rate table)

    def total(self, variant: str, year: int) -> float:
        return sum(self.population[variant][year])

    def group_totals(self, variant: str, year: int) -> dict[str, float]:
        pop = self.population[variant][year]
        return {g.name: sum(pop[g.first : g.last + 1]) for g in self.settings.age_groups}


class Engine:
    """The fixed assumptions of one projection (everything but the net migration)."""

    def __init__(self, settings: ProjectionSettings) -> None:
        self.s = settings
        self.max_age = settings.max_age
        for group in settings.migration.profile:
            if group.last > self.max_age:
                raise ProjectionError(
                    f"migration.profile: age {group.last} is above max_age {self.max_age}"
                )
        self.migration_weights = self._spread_weights(
            [(g.first, g.last, g.share) for g in settings.migration.profile]
        )
        self.b = 0.0
        self.base = self._calibrate_base()
        self.fertility_by_age = self._fertility()

    # -- assumptions ----------------------------------------------------------------------
    def _spread_weights(self, groups: list[tuple[int, int, float]]) -> list[float]:
        weights = [0.0] * (self.max_age + 1)
        for first, last, value in groups:
            for a in range(first, last + 1):
                weights[a] += value / (last - first + 1)
        return weights

    def base_risk(self, age: int) -> float:
        """Death risk at ``age`` in the base year."""
        m = self.s.mortality
        if m.risks is not None:
            return self._risk_table[age]
        if age == 0:
            return m.infant_death_risk
        return max(m.child_death_risk, self.b * math.exp(m.gompertz_slope * age))

    def death_risk(self, age: int, year: int) -> float:
        improvement = (1.0 - self.s.mortality.improvement) ** (year - self.s.base_year)
        return min(1.0, self.base_risk(age) * improvement)

    def _spread_base(self, survivors: list[float] | None) -> list[float]:
        """Published age groups -> persons per single year of age; the open last group is
        spread like the survivors of the mortality curve, the others evenly."""
        pop = [0.0] * (self.max_age + 1)
        for g in self.s.base.groups:
            ages = range(g.first, g.last + 1)
            open_group = g.last == self.max_age and g.first < g.last
            weights = [survivors[a] if (survivors and open_group) else 1.0 for a in ages]
            total = sum(weights)
            for a, w in zip(ages, weights, strict=True):
                pop[a] += g.persons * w / total
        return pop

    def _survivor_curve(self) -> list[float]:
        alive, curve = 1.0, []
        for age in range(self.max_age + 1):
            curve.append(alive)
            alive *= 1.0 - self.death_risk(age, self.s.base_year)
        return curve

    def _calibrate_base(self) -> list[float]:
        m, base = self.s.mortality, self.s.base
        if m.risks is not None:
            self._risk_table = [0.0] * (self.max_age + 1)
            for g in m.risks:
                for a in range(g.first, min(g.last, self.max_age) + 1):
                    self._risk_table[a] = g.rate
            return self._spread_base(self._survivor_curve())
        if base.deaths is None:
            raise ProjectionError("mortality.gompertz_slope needs base.deaths to fit its level")
        self.b = 3e-5
        for _ in range(50):  # fixed point: the open group's spread depends on B, B on the deaths
            pop = self._spread_base(self._survivor_curve())
            adult = sum(pop[a] * math.exp(m.gompertz_slope * a) for a in range(1, self.max_age + 1))
            self.b = (base.deaths - pop[0] * m.infant_death_risk) / adult
        return self._spread_base(self._survivor_curve())

    def _fertility(self) -> list[float]:
        f = self.s.fertility
        if f.rates is not None:
            self.fertility_rate = 0.0
            rates = [0.0] * (self.max_age + 1)
            for g in f.rates:
                for a in range(g.first, min(g.last, self.max_age) + 1):
                    rates[a] = g.rate
            return rates
        if self.s.base.births is None:
            raise ProjectionError("fertility without rates needs base.births to fit its rate")
        self.fertility_rate = self.s.base.births / sum(self.base[f.first : f.last + 1])
        rates = [0.0] * (self.max_age + 1)
        for a in range(f.first, f.last + 1):
            rates[a] = self.fertility_rate
        return rates

    # -- the projection -------------------------------------------------------------------
    def births(self, pop: list[float], year: int) -> float:
        f = self.s.fertility
        change = (1.0 + f.yearly_change) ** (year - self.s.base_year)
        if f.rates is None:  # one rate over an age span: the sum first (as it was fitted)
            return self.fertility_rate * change * sum(pop[f.first : f.last + 1])
        return change * sum(r * p for r, p in zip(self.fertility_by_age, pop, strict=True))

    def step(self, pop: list[float], year: int, net_migration: float) -> list[float]:
        """31 Dec of year−1 -> 31 Dec of year."""
        new = [0.0] * (self.max_age + 1)
        for age in range(self.max_age + 1):
            new[min(age + 1, self.max_age)] += pop[age] * (1.0 - self.death_risk(age, year))
        # the newborn survive half a first year at the base year's infant risk
        new[0] = self.births(pop, year) * (1.0 - self.base_risk(0) / 2)
        for age, w in enumerate(self.migration_weights):
            new[age] += net_migration * w
        if min(new) < 0:
            raise ProjectionError(
                f"{year}: a net migration of {net_migration:.0f} empties an age group", year=year
            )
        return new

    def project(
        self, start: list[float], first: int, last: int, net: float
    ) -> dict[int, list[float]]:
        out, pop = {}, start
        for year in range(first, last + 1):
            pop = self.step(pop, year, net)
            out[year] = pop
        return out


def project(
    settings: ProjectionSettings, first_year: int, last_year: int, districts: list[str]
) -> Projection:
    """Project every variant from the base year to ``last_year``; keep ``first_year``..``last_year``."""
    engine = Engine(settings)
    pop, known = engine.base, {}
    for year in sorted(int(y) for y in settings.known_totals):
        no_migration = sum(engine.step(pop, year, 0.0))
        total = settings.known_totals[str(year)]
        known[year] = total - no_migration
        try:
            pop = engine.step(pop, year, known[year])
        except ProjectionError:  # a total far from the base population: a typo, usually
            raise ProjectionError(
                f"{total:.0f} inhabitants needs a net migration of {known[year]:.0f} in {year}, "
                "which empties an age group; check the number",
                field=f"known_totals.{year}",
                year=year,
            ) from None
    start_year = settings.base_year + len(known) + 1
    if first_year < start_year:
        raise ProjectionError(
            f"first year {first_year} is before {start_year}, the first year after the base "
            "population and the published totals"
        )
    population, nets = {}, {}
    for name, variant in settings.variants.items():
        if variant.net_migration is not None:
            net = variant.net_migration
        else:
            if not start_year <= variant.year <= last_year:
                raise ProjectionError(
                    f"variants.{name}.year: {variant.year} is outside {start_year}..{last_year}"
                )
            t0 = sum(engine.project(pop, start_year, variant.year, 0.0)[variant.year])
            t1 = sum(engine.project(pop, start_year, variant.year, MIGRATION_SCALE)[variant.year])
            net = (variant.total - t0) * MIGRATION_SCALE / (t1 - t0)
        try:
            projected = engine.project(pop, start_year, last_year, net)
        except ProjectionError as exc:  # a total or migration typed in thousands, usually
            if variant.net_migration is not None:
                given, field = (
                    f"a net migration of {net:.0f} a year",
                    f"variants.{name}.net_migration",
                )
            else:
                given = (
                    f"{variant.total:.0f} inhabitants in {variant.year} needs a net migration "
                    f"of {net:.0f} a year, which"
                )
                field = f"variants.{name}"
            raise ProjectionError(
                f"{given} empties an age group by {exc.year}; check the number",
                field=field,
                year=exc.year,
            ) from None
        population[name] = {y: projected[y] for y in range(first_year, last_year + 1)}
        nets[name] = net
    return Projection(
        settings=settings,
        years=list(range(first_year, last_year + 1)),
        districts=districts or [NO_DISTRICT],
        population=population,
        net_migration=nets,
        known_migration=known,
        mortality_level=engine.b,
        fertility_rate=engine.fertility_rate,
    )


def round_split(total: float, weights: dict[str, float], order: list[str]) -> dict[str, int]:
    """Round ``total`` to whole persons and split it by ``weights``, largest remainder first."""
    whole = round(total)
    weight_sum = sum(weights.values())
    raw = {d: whole * w / weight_sum for d, w in weights.items()}
    floors = {d: math.floor(v) for d, v in raw.items()}
    left = whole - sum(floors.values())
    for d in sorted(raw, key=lambda d: (-(raw[d] - floors[d]), order.index(d)))[:left]:
        floors[d] += 1
    return floors


FIT_ROUNDS = 200  # iterative proportional fitting: far past convergence for a few districts


def district_share(settings: ProjectionSettings, district: str, year: int) -> float:
    """A district's share of the kommun: its share in the later year of ``district_totals``,
    moving on as it moved between the two years."""
    (first, old), (last, new) = sorted(
        (int(y), totals) for y, totals in settings.district_totals.items()
    )
    old_share = old[district] / sum(old.values())
    new_share = new[district] / sum(new.values())
    return new_share + (new_share - old_share) / (last - first) * (year - last)


def fit_districts(
    settings: ProjectionSettings, totals: dict[str, float], year: int, districts: list[str]
) -> dict[str, dict[str, float]]:
    """Persons per age group and district whose age groups add up to the kommun's and whose
    districts add up to their shares (iterative proportional fitting from ``age_tilt``)."""
    return fit_districts_all(settings, [(totals, year)], districts)[0]


def fit_districts_all(
    settings: ProjectionSettings,
    fits: list[tuple[dict[str, float], int]],
    districts: list[str],
) -> list[dict[str, dict[str, float]]]:
    """``fit_districts`` for every (age-group totals, year) in ``fits`` at once.

    The fits are independent, so their rounds run side by side on one array (fit × age group
    × district): the population table of a kommun has one fit per variant and year, and fitting
    them one by one in Python was most of the cost of the report's projection section. Every
    sum adds its terms one at a time in the order of the dictionaries (as ``sum`` over them
    does), so each fit's figures are exactly those of fitting it alone.
    """
    import numpy as np

    if not fits:
        return []
    groups = list(fits[0][0])
    share = np.array([[district_share(settings, d, year) for d in districts] for _, year in fits])
    given = np.array([[totals[g] for g in groups] for totals, _ in fits])  # fit × group
    whole = _sum_in_order(given, axis=1)
    district_totals = whole[:, None] * share  # fit × district
    tilt = np.array([[settings.age_tilt[d][g] for d in districts] for g in groups])
    cells = given[:, :, None] * share[:, None, :] * tilt[None, :, :]
    for _ in range(FIT_ROUNDS):
        cells *= (given / _sum_in_order(cells, axis=2))[:, :, None]  # age groups add up
        cells *= (district_totals / _sum_in_order(cells, axis=1))[:, None, :]  # districts do
    return [
        {
            g: {d: float(cells[k, i, j]) for j, d in enumerate(districts)}
            for i, g in enumerate(groups)
        }
        for k in range(len(fits))
    ]


def _sum_in_order(values, axis: int):
    """The sum along ``axis``, adding one term at a time from the first (numpy's own sum adds
    in pairs, which rounds differently from the fitting's definition)."""
    import numpy as np

    terms = np.moveaxis(values, axis, 0)
    total = terms[0].copy()
    for term in terms[1:]:
        total += term
    return total


def _totals_and_above(projection: Projection, name: str, variant, year: int):
    """A variant's persons per age group in ``year``, and those of the variant it grows above
    (``growth_above``; None when it grows on its own)."""
    totals = projection.group_totals(name, year)
    if not variant.growth_above:
        return totals, None
    return totals, projection.group_totals(variant.growth_above, year)


def _fitted_rows(projection: Projection) -> list[tuple[str, int, str, str, int]]:
    """District figures fitted to the district totals (``district_totals``, ``age_tilt``)."""
    s, districts = projection.settings, projection.districts
    rows = []
    cases = [
        (name, variant, year, *_totals_and_above(projection, name, variant, year))
        for name, variant in s.variants.items()
        for year in projection.years
    ]
    # a variant growing above another: that variant's population spread as the districts
    # grow, the growth above it as growth_split says
    fits = fit_districts_all(
        s,
        [(above if above is not None else totals, year) for *_, year, totals, above in cases],
        districts,
    )
    for (name, variant, year, totals, above), fitted in zip(cases, fits, strict=True):
        for group in s.age_groups:
            weights = dict(fitted[group.name])
            if above is not None:
                extra = totals[group.name] - above[group.name]
                for d in districts:
                    weights[d] += extra * variant.growth_split.get(d, 0.0)
                if min(weights.values()) < 0:
                    weights = dict(fitted[group.name])
            for district, persons in round_split(totals[group.name], weights, districts).items():
                rows.append((name, year, district, group.name, persons))
    return rows


def table_rows(projection: Projection) -> list[tuple[str, int, str, str, int]]:
    """Rows of the population table: variant, year, district, age group, persons."""
    s, districts = projection.settings, projection.districts
    if s.district_totals and districts != [NO_DISTRICT]:
        return _fitted_rows(projection)
    rows = []
    for name, variant in s.variants.items():
        for year in projection.years:
            totals, above = _totals_and_above(projection, name, variant, year)
            for group in s.age_groups:
                if districts == [NO_DISTRICT]:
                    rows.append((name, year, NO_DISTRICT, group.name, round(totals[group.name])))
                    continue
                shares = s.district_shares[group.name]
                weights = {d: shares[d] for d in districts}
                if above is not None:
                    # the base variant's population spread as today; growth above it as split
                    norm = sum(shares.values())
                    extra = totals[group.name] - above[group.name]
                    split = {
                        d: above[group.name] * shares[d] / norm
                        + extra * variant.growth_split.get(d, 0.0)
                        for d in districts
                    }
                    if min(split.values()) >= 0:
                        weights = split
                for district, persons in round_split(
                    totals[group.name], weights, districts
                ).items():
                    rows.append((name, year, district, group.name, persons))
    return rows


def table_text(rows: list[tuple[str, int, str, str, int]]) -> str:
    """The population table as population.csv holds it (UTF-8, comma, LF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# Reading the assumptions of a scenario folder
# --------------------------------------------------------------------------------------
PROJECTION_FILE = "projection.toml"
POPULATION_FILE = "population.csv"


@dataclass(frozen=True)
class ProjectionInput:
    settings: ProjectionSettings
    first_year: int
    last_year: int
    districts: list[str]


def read_projection(folder: Path) -> ProjectionInput:
    """``projection.toml`` and the years and districts of ``scenario.toml``, checked; every
    problem names its file and field (``ScenarioError``)."""
    from pydantic import ValidationError

    from optimizer.errors import Problem, ScenarioError
    from optimizer.io.folder import SETTINGS_FILE, read_settings_toml
    from optimizer.validate.cells import error_problems

    if not folder.is_dir():
        raise ScenarioError(
            [Problem(folder.name, None, None, "capplan project needs a scenario folder")]
        )
    path = folder / PROJECTION_FILE
    if not path.is_file():
        raise ScenarioError(
            [
                Problem(
                    PROJECTION_FILE,
                    None,
                    None,
                    "is missing: capplan project reads the projection's assumptions from it "
                    "(docs/projection.md)",
                )
            ]
        )
    raw, problems = read_settings_toml(path)
    scenario, scenario_problems = read_settings_toml(folder / SETTINGS_FILE)
    problems += scenario_problems
    if problems:
        raise ScenarioError(problems)
    try:
        settings = ProjectionSettings.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(error_problems(exc, PROJECTION_FILE, None)) from None
    info = scenario.get("scenario", {}) if isinstance(scenario, dict) else {}
    districts = [str(d.get("id", "")) for d in scenario.get("districts", []) if isinstance(d, dict)]
    first = settings.first_year or info.get("first_year")
    last = settings.last_year or info.get("last_year")
    found = []
    if not isinstance(first, int) or not isinstance(last, int) or last < first:
        found.append(
            Problem(SETTINGS_FILE, None, "scenario.first_year", "needs first_year <= last_year")
        )
    found += _district_problems(settings, districts)
    if found:
        raise ScenarioError(found)
    # every district gets a weight, 0 if not named
    shares = {g: {d: s.get(d, 0.0) for d in districts} for g, s in settings.district_shares.items()}
    settings = settings.model_copy(update={"district_shares": shares})
    return ProjectionInput(settings, int(first), int(last), districts)


def _district_problems(settings: ProjectionSettings, districts: list[str]) -> list:
    """The district figures ``projection.toml`` needs when the scenario has districts: totals
    and age tilts for every district when fitted, otherwise shares for every age group."""
    from optimizer.errors import Problem

    found = []
    fitted = bool(settings.district_totals)
    for year, totals in settings.district_totals.items() if districts else []:
        missing = [d for d in districts if d not in totals]
        if missing:
            found.append(
                Problem(
                    PROJECTION_FILE,
                    None,
                    f"district_totals.{year}",
                    f"has no inhabitants for {', '.join(missing)}",
                )
            )
    for district in districts if fitted else []:
        tilt = settings.age_tilt.get(district, {})
        missing = [g.name for g in settings.age_groups if g.name not in tilt]
        if missing:
            found.append(
                Problem(
                    PROJECTION_FILE,
                    None,
                    f"age_tilt.{district}",
                    f"has no tilt for the age groups {', '.join(missing)}",
                )
            )
    for group in settings.age_groups if districts and not fitted else []:
        shares = settings.district_shares.get(group.name)
        if shares is None:
            found.append(
                Problem(
                    PROJECTION_FILE,
                    None,
                    f"district_shares.{group.name}",
                    "is missing: the scenario has districts, so every age group needs its shares",
                )
            )
            continue
        for district in districts:
            if shares.get(district, 0.0) < 0:
                found.append(
                    Problem(
                        PROJECTION_FILE,
                        None,
                        f"district_shares.{group.name}.{district}",
                        "must not be negative",
                    )
                )
        unknown = sorted(set(shares) - set(districts))
        if unknown:
            found.append(
                Problem(
                    PROJECTION_FILE,
                    None,
                    f"district_shares.{group.name}",
                    f"names districts scenario.toml does not have: {', '.join(unknown)}",
                )
            )
        if sum(shares.get(d, 0.0) for d in districts) <= 0:
            found.append(
                Problem(
                    PROJECTION_FILE,
                    None,
                    f"district_shares.{group.name}",
                    "must give some district a share above 0",
                )
            )
    return found
