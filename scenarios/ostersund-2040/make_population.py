"""Population projection for the ostersund-2040 scenario -> population.csv.

Re-run after changing the figures below:

    python scenarios/ostersund-2040/make_population.py

What it does (a simplified cohort-component projection, the method SCB and Boverket use,
https://boverket.se/sv/kommunernas-bostadsforsorjning/underlag-for-bostadsforsorjningen/demografisk-utveckling/kohortmetoden-for-befolkningsprognoser):

1. Start from the age structure on 31 Dec 2023 (SCB via ostersund.se). Each published age group
   is spread evenly over its single years of age; 80+ is spread like the survivors of the
   mortality curve in step 2.
2. Each year everyone gets one year older and some die. Death risk by age follows a Gompertz
   curve q(x) = B * exp(C * x) (the usual shape of adult mortality), with B calibrated so that
   the 2023 population gives the 2023 number of deaths, and an improvement of
   MORTALITY_IMPROVEMENT per year after 2023.
3. Births = FERTILITY * (inhabitants aged 20-44), calibrated so that 2023 gives the 2023 births.
   More young adults (in-movers) therefore means more children.
4. Net migration is spread over ages by MIGRATION_PROFILE (in-movers are mostly 19-35).
   2024 and 2025 use the net migration that reproduces the published totals; from 2026 each
   variant has one constant yearly net migration, solved exactly so that the 31 Dec 2040 total
   equals the variant's TARGETS_2040.
5. The municipality total of each age group is split over the districts so that the districts
   match the parish figures the kommun publishes (PARISH_2023, each parish's share moving on as
   it moved 2015-2023) and the age groups match the kommun's (iterative proportional fitting
   from the estimated AGE_TILT). In the target variant the growth above trend goes to the
   districts with new housing areas (TARGET_GROWTH_SPLIT).
6. Rounded to whole persons; the district figures of every age group add up exactly to the
   rounded municipality figure.

Population of year y in the CSV is the population on 31 Dec of year y. Everything is
deterministic: the same figures give the same file. Only the Python standard library is used.

Marks as in SOURCES.md: [F] found (public source), [D] derived, [E] estimated (replace when the
kommun has better figures).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

# ----------------------------------------------------------------------------------------
# Input figures
# ----------------------------------------------------------------------------------------
# [F] Age structure 31 Dec 2023, SCB via
# https://www.ostersund.se/kommun-och-politik/kommunfakta/statistik/befolkning-i-hela-kommunen.html
BASE_YEAR = 2023
BASE_GROUPS = [  # (first age, last age, persons); 100 means "100 and older"
    (0, 0, 595),
    (1, 5, 3318),
    (6, 9, 3035),
    (10, 12, 2227),
    (13, 15, 2332),
    (16, 19, 3055),
    (20, 29, 7911),
    (30, 39, 9111),
    (40, 64, 18897),
    (65, 79, 10432),
    (80, 100, 3968),
]
BIRTHS_BASE = 598  # [F] births 2023
DEATHS_BASE = 670  # [F] deaths 2023
KNOWN_TOTALS = {2024: 64979, 2025: 64963}  # [F] inhabitants 31 Dec

# [E] Variants: inhabitants on 31 Dec 2040 (DATA.md): target = the council goal; trend = the
# 2020-2025 pace of about +196/yr continued from 64 963 (2025); low = flat.
TARGETS_2040 = {"low": 65000, "trend": 67900, "target": 75000}

GOMPERTZ_C = 0.115  # [E] slope of log mortality per year of age (Swedish life tables: ~0.11-0.12)
INFANT_DEATH_RISK = 0.0022  # [E] first-year death risk (Sweden about 2 per 1 000)
CHILD_DEATH_RISK = 0.0001  # [E] floor for ages 1-30
# [E] yearly fall in death risks after 2023 (Swedish history: about 1-2 %)
MORTALITY_IMPROVEMENT = 0.015
FERTILITY_CHANGE = 0.0  # [E] yearly relative change of the births rate (0: stays at 2023 level)

# [E] Share of the yearly net migration by age (after ageing); sums to 1. Families bring
# children; students and young workers dominate (DATA.md: in-movers are mostly 19-35).
MIGRATION_PROFILE = [  # (first age, last age, share)
    (0, 5, 0.10),
    (6, 15, 0.09),
    (16, 18, 0.03),
    (19, 24, 0.30),
    (25, 34, 0.32),
    (35, 49, 0.11),
    (50, 64, 0.03),
    (65, 79, 0.015),
    (80, 100, 0.005),
]

# ----------------------------------------------------------------------------------------
# Districts from the parish figures the kommun publishes (SCB via ostersund.se, "Befolkning i
# församlingar", nyckelkod 01-11). The parish is the finest published level; Norr (in Östersunds
# församling) and Lövsta (in Frösö församling) have no published figures of their own.
#   centrum = Östersunds församling (the town apart from Frösön and Torvalla: incl. Norr,
#             Odenslund, Lugnvik)
#   froson  = Frösö församling (incl. Lövsta)
#   brunflo = Brunflo församling (incl. Torvalla)
#   soder   = the eight rural parishes: Sunne, Näs, Lockne, Marieby, Kyrkås, Lit, Häggenås,
#             Norderön (named "soder" for the southern school area it also holds)
# ----------------------------------------------------------------------------------------
DISTRICTS = ["centrum", "froson", "brunflo", "soder"]
OUTPUT_GROUPS = [  # (name in the CSV, first age, last age)
    ("0", 0, 0),
    ("1-5", 1, 5),
    ("6-15", 6, 15),
    ("16-19", 16, 19),
    ("20-64", 20, 64),
    ("65-79", 65, 79),
    ("80+", 80, 100),
]
# [F] inhabitants per parish 31 Dec 2015 (ostersund.se, same page) and 31 Dec 2023 (DATA.md, same
# page); the rural rest of 2023 is [D] = 64 881 - 31 244 - 11 940 - 12 744.
PARISH_2015 = {"centrum": 28503, "froson": 11620, "brunflo": 12326, "soder": 8542}
PARISH_2023 = {"centrum": 31244, "froson": 11940, "brunflo": 12744, "soder": 8953}
PARISH_YEARS = (2015, 2023)
# [E] How each district's age profile differs from the kommun's (1.0 = as the kommun). Only the
# parish totals are published; the age split per district is fitted to both the parish totals and
# the kommun's age groups (iterative proportional fitting), starting from these tilts.
AGE_TILT = {
    "centrum": {
        "0": 1.05,
        "1-5": 0.95,
        "6-15": 0.90,
        "16-19": 0.95,
        "20-64": 1.08,
        "65-79": 0.88,
        "80+": 1.05,
    },
    "froson": {
        "0": 0.95,
        "1-5": 1.05,
        "6-15": 1.12,
        "16-19": 1.08,
        "20-64": 0.93,
        "65-79": 1.12,
        "80+": 0.95,
    },
    "brunflo": {
        "0": 1.05,
        "1-5": 1.10,
        "6-15": 1.08,
        "16-19": 1.02,
        "20-64": 0.98,
        "65-79": 1.00,
        "80+": 0.90,
    },
    "soder": {
        "0": 0.85,
        "1-5": 0.95,
        "6-15": 1.05,
        "16-19": 1.05,
        "20-64": 0.92,
        "65-79": 1.25,
        "80+": 1.05,
    },
}
# [E] Where growth above trend settles in the target variant: the new housing areas, Norr (in
# centrum) and Lövsta (on Frösön), take most of it.
TARGET_GROWTH_SPLIT = {"centrum": 0.62, "froson": 0.30, "brunflo": 0.08, "soder": 0.0}

FIRST_YEAR, LAST_YEAR = 2026, 2040
MAX_AGE = 100
OUTPUT = Path(__file__).with_name("population.csv")


# ----------------------------------------------------------------------------------------
# Projection
# ----------------------------------------------------------------------------------------
def death_risk(age: int, year: int, b: float) -> float:
    base = INFANT_DEATH_RISK if age == 0 else max(CHILD_DEATH_RISK, b * math.exp(GOMPERTZ_C * age))
    return min(1.0, base * (1.0 - MORTALITY_IMPROVEMENT) ** (year - BASE_YEAR))


def spread(groups, survivors=None) -> list[float]:
    """Published age groups -> persons per single year of age 0..MAX_AGE."""
    pop = [0.0] * (MAX_AGE + 1)
    for first, last, persons in groups:
        ages = range(first, last + 1)
        weights = [survivors[a] if (survivors and first >= 80) else 1.0 for a in ages]
        total = sum(weights)
        for a, w in zip(ages, weights, strict=True):
            pop[a] += persons * w / total
    return pop


def survivor_curve(b: float) -> list[float]:
    alive, curve = 1.0, []
    for age in range(MAX_AGE + 1):
        curve.append(alive)
        alive *= 1.0 - death_risk(age, BASE_YEAR, b)
    return curve


def calibrate_base() -> tuple[list[float], float, float]:
    """Base population, Gompertz level B and births rate, fitted to 2023 deaths and births."""
    b = 3e-5
    for _ in range(50):  # fixed point: the 80+ spread depends on B, B on the deaths
        pop = spread(BASE_GROUPS, survivor_curve(b))
        adult_deaths = sum(pop[a] * math.exp(GOMPERTZ_C * a) for a in range(1, MAX_AGE + 1))
        infant_deaths = pop[0] * INFANT_DEATH_RISK
        b = (DEATHS_BASE - infant_deaths) / adult_deaths
    pop = spread(BASE_GROUPS, survivor_curve(b))
    fertility = BIRTHS_BASE / sum(pop[20:45])
    return pop, b, fertility


def migration_weights() -> list[float]:
    weights = [0.0] * (MAX_AGE + 1)
    for first, last, share in MIGRATION_PROFILE:
        for a in range(first, last + 1):
            weights[a] += share / (last - first + 1)
    assert abs(sum(weights) - 1.0) < 1e-9, "MIGRATION_PROFILE shares must sum to 1"
    return weights


MIGRATION_WEIGHTS = migration_weights()


def step(
    pop: list[float], year: int, net_migration: float, b: float, fertility: float
) -> list[float]:
    """31 Dec of year-1 -> 31 Dec of year."""
    new = [0.0] * (MAX_AGE + 1)
    for age in range(MAX_AGE + 1):
        to = min(age + 1, MAX_AGE)
        new[to] += pop[age] * (1.0 - death_risk(age, year, b))
    births = fertility * (1.0 + FERTILITY_CHANGE) ** (year - BASE_YEAR) * sum(pop[20:45])
    new[0] = births * (1.0 - INFANT_DEATH_RISK / 2)
    for age, w in enumerate(MIGRATION_WEIGHTS):
        new[age] += net_migration * w
    if min(new) < 0:
        raise ValueError(f"{year}: net migration {net_migration:.0f} empties an age group")
    return new


def project(
    start: list[float], first: int, last: int, net: float, b: float, f: float
) -> dict[int, list[float]]:
    out, pop = {}, start
    for year in range(first, last + 1):
        pop = step(pop, year, net, b, f)
        out[year] = pop
    return out


def projections() -> tuple[dict[str, dict[int, list[float]]], dict[str, float]]:
    """Population by single year of age per variant and year, and each variant's net migration."""
    pop, b, fertility = calibrate_base()
    for year in sorted(KNOWN_TOTALS):  # net migration that reproduces the published total
        no_migration = step(pop, year, 0.0, b, fertility)
        pop = step(pop, year, KNOWN_TOTALS[year] - sum(no_migration), b, fertility)
    start_year = max(KNOWN_TOTALS) + 1
    result, nets = {}, {}
    for variant, target in TARGETS_2040.items():
        # the 2040 total is affine in a constant yearly net migration: two runs solve it exactly
        t0 = sum(project(pop, start_year, LAST_YEAR, 0.0, b, fertility)[LAST_YEAR])
        t1 = sum(project(pop, start_year, LAST_YEAR, 1000.0, b, fertility)[LAST_YEAR])
        net = (target - t0) * 1000.0 / (t1 - t0)
        result[variant] = project(pop, start_year, LAST_YEAR, net, b, fertility)
        nets[variant] = net
    return result, nets


def group_totals(pop: list[float]) -> dict[str, float]:
    return {name: sum(pop[first : last + 1]) for name, first, last in OUTPUT_GROUPS}


def round_split(total: float, weights: dict[str, float]) -> dict[str, int]:
    """Round `total` to whole persons and split it by `weights`, largest remainder first."""
    whole = round(total)
    weight_sum = sum(weights.values())
    raw = {d: whole * w / weight_sum for d, w in weights.items()}
    floors = {d: math.floor(v) for d, v in raw.items()}
    left = whole - sum(floors.values())
    for d in sorted(raw, key=lambda d: (-(raw[d] - floors[d]), DISTRICTS.index(d)))[:left]:
        floors[d] += 1
    return floors


def district_share(district: str, year: int) -> float:
    """Share of the kommun's inhabitants in a district: the 2023 parish share, moving on as it
    moved from 2015 to 2023 [D] (Östersunds församling gained 1.5 points in those eight years)."""
    first, last = PARISH_YEARS
    old = PARISH_2015[district] / sum(PARISH_2015.values())
    new = PARISH_2023[district] / sum(PARISH_2023.values())
    return new + (new - old) / (last - first) * (year - last)


def fit_districts(group_totals_: dict[str, float], year: int) -> dict[str, dict[str, float]]:
    """Persons per age group and district whose age groups add up to the kommun's and whose
    districts add up to their parish shares (iterative proportional fitting from AGE_TILT)."""
    total = sum(group_totals_.values())
    district_totals = {d: total * district_share(d, year) for d in DISTRICTS}
    cells = {
        g: {d: group_totals_[g] * district_share(d, year) * AGE_TILT[d][g] for d in DISTRICTS}
        for g in group_totals_
    }
    for _ in range(200):
        for g, row in cells.items():  # age groups add up to the kommun's
            scale = group_totals_[g] / sum(row.values())
            for d in row:
                row[d] *= scale
        for d in DISTRICTS:  # districts add up to their parish share
            scale = district_totals[d] / sum(cells[g][d] for g in cells)
            for g in cells:
                cells[g][d] *= scale
    return cells


def district_rows(proj) -> list[tuple[str, int, str, str, int]]:
    rows = []
    trend = proj["trend"]
    for variant in TARGETS_2040:
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            totals = group_totals(proj[variant][year])
            trend_totals = group_totals(trend[year])
            # target: a trend-sized population spread as the parishes grow; the growth above
            # trend goes to the new housing areas
            base = trend_totals if variant == "target" else totals
            fitted = fit_districts(base, year)
            for group, _, _ in OUTPUT_GROUPS:
                weights = dict(fitted[group])
                if variant == "target":
                    extra = totals[group] - trend_totals[group]
                    for d in DISTRICTS:
                        weights[d] += extra * TARGET_GROWTH_SPLIT[d]
                    if min(weights.values()) < 0:
                        weights = dict(fitted[group])
                for district, persons in round_split(totals[group], weights).items():
                    rows.append((variant, year, district, group, persons))
    return rows


def main() -> None:
    proj, nets = projections()
    rows = district_rows(proj)
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["variant", "year", "district", "age_group", "population"])
        writer.writerows(rows)
    print(f"wrote {OUTPUT.name}: {len(rows)} rows")
    header = "variant  net mig/yr  year   total " + " ".join(f"{g:>7}" for g, _, _ in OUTPUT_GROUPS)
    print(header)
    for variant in TARGETS_2040:
        for year in (2026, 2030, 2035, 2040):
            totals = group_totals(proj[variant][year])
            print(
                f"{variant:8} {nets[variant]:10.0f}  {year} {sum(totals.values()):7.0f} "
                + " ".join(f"{totals[g]:7.0f}" for g, _, _ in OUTPUT_GROUPS)
            )


if __name__ == "__main__":
    main()
