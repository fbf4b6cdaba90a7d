"""Figures that several reports show, computed once from a plan's tables (docs/reports.md).

The Excel workbook, the HTML report and the scenario comparison all quote the same headline
numbers; computing them here keeps the three in agreement. Money in MSEK, CO2e in tonnes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from optimizer.plan import Plan


@dataclass
class Headline:
    projects_chosen: int
    capex_total: float  # gross investment in the plan, MSEK
    shortfall_by_service: dict[str, float]  # unit-years per service
    units_by_service: dict[str, str]
    co2e_total_t: float | None
    peak_debt: float | None
    capex_by_year: dict[int, float] = field(default_factory=dict)  # gross, MSEK


def _finite(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def headline(plan: Plan) -> Headline:
    schedule = plan.tables.get("schedule", pd.DataFrame())
    coverage = plan.tables.get("coverage", pd.DataFrame())
    co2e = plan.tables.get("co2e")
    debt = plan.tables.get("debt")
    shortfall: dict[str, float] = {}
    units: dict[str, str] = {}
    if not coverage.empty:
        for service, group in coverage.groupby("service", sort=False):
            shortfall[str(service)] = float(group["shortfall"].sum())
            units[str(service)] = str(group["unit"].iloc[0]) if "unit" in group else ""
    return Headline(
        projects_chosen=len(plan.chosen),
        capex_total=float(schedule["capex"].sum()) if not schedule.empty else 0.0,
        shortfall_by_service=shortfall,
        units_by_service=units,
        co2e_total_t=_finite(co2e["total_t"].sum())
        if co2e is not None and not co2e.empty
        else None,
        peak_debt=_finite(debt["debt"].max()) if debt is not None and not debt.empty else None,
        capex_by_year=capex_by_year_total(plan),
    )


def capex_by_candidate_year(plan: Plan) -> pd.DataFrame:
    """Gross investment per scheduled start (rows as in the schedule) and calendar year, MSEK."""
    schedule = plan.tables.get("schedule", pd.DataFrame())
    years = plan_years(plan)
    rows = []
    for row in schedule.itertuples(index=False):
        by_year = {int(k): float(v) for k, v in dict(row.capex_by_year).items()}
        rows.append([by_year.get(y, 0.0) for y in years])
    return pd.DataFrame(rows, columns=years, index=schedule.index if not schedule.empty else None)


def capex_by_year_total(plan: Plan) -> dict[int, float]:
    schedule = plan.tables.get("schedule", pd.DataFrame())
    totals: dict[int, float] = {}
    for row in schedule.itertuples(index=False):
        for year, amount in dict(row.capex_by_year).items():
            totals[int(year)] = totals.get(int(year), 0.0) + float(amount)
    return dict(sorted(totals.items()))


def plan_years(plan: Plan) -> list[int]:
    """The horizon years, read from the tables that have one row per year."""
    for name in ("co2e", "delivery", "budget", "coverage"):
        table = plan.tables.get(name)
        if table is not None and not table.empty and "year" in table:
            return sorted(int(y) for y in table["year"].unique())
    return []


def timeline(row, years: list[int]) -> dict[int, str]:
    """Year -> 'build' (under construction) or 'service' (in service) for one schedule row."""
    marks: dict[int, str] = {}
    start, opens, ends = int(row.start_year), int(row.in_service_year), int(row.end_of_life_year)
    for year in years:
        if start <= year < opens:
            marks[year] = "build"
        elif opens <= year <= ends:
            marks[year] = "service"
    return marks


def names(scenario) -> dict[str, dict[str, str]]:
    """Readable names of services, departments and pools (the id when no name is given)."""
    if scenario is None:
        return {"service": {}, "department": {}, "pool": {}, "district": {}, "unit": {}}
    settings = scenario.settings
    return {
        "service": {s.id: s.name or s.id for s in settings.services},
        "unit": {s.id: s.unit for s in settings.services},
        "department": {d.id: d.name or d.id for d in settings.departments},
        "pool": {p.id: p.name or p.id for p in settings.pools},
        "district": {d.id: d.name or d.id for d in settings.districts},
    }


def coverage_by_service(plan: Plan) -> dict[str, pd.DataFrame]:
    """Per service: demand, capacity and shortfall per year, summed over districts."""
    coverage = plan.tables.get("coverage", pd.DataFrame())
    out: dict[str, pd.DataFrame] = {}
    if coverage.empty:
        return out
    for service, group in coverage.groupby("service", sort=False):
        out[str(service)] = (
            group.groupby("year")[["demand", "capacity", "shortfall"]].sum().reset_index()
        )
    return out


def budget_factor(scenario) -> float:
    if scenario is None:
        return 1.0
    variant = scenario.settings.variants.get(scenario.variant)
    return float(variant.budget_factor) if variant is not None else 1.0


def variant_description(scenario) -> str:
    if scenario is None:
        return ""
    variant = scenario.settings.variants.get(scenario.variant)
    return variant.description if variant is not None else ""


def parse_constraint(name: str) -> tuple[str, list[str]] | None:
    """'coverage[preschool,2027]' -> ('coverage', ['preschool', '2027']); None if not that shape.

    Only used to word shadow prices in Swedish; the English meaning from the run is the fallback.
    """
    if not name.endswith("]") or "[" not in name:
        return None
    block, _, keys = name[:-1].partition("[")
    return block, keys.split(",") if keys else []


SHADOW_UNITS_SV = {
    "budget": "MSEK budget",
    "department_budget": "MSEK förvaltningsram",
    "debt_ceiling": "MSEK skuldtak",
    "co2e_cap": "ton CO2e",
    "co2e_budget": "ton CO2e",
    "coverage": "enhet kapacitet",
    "staff": "åa",
    "delivery": "projektplats",
}


def shadow_meaning_sv(row, unit_by_service: dict[str, str]) -> str:
    """A shadow price in Swedish, or the run's English wording when the key is not as expected."""
    parsed = parse_constraint(str(row.constraint))
    if parsed is None:
        return str(row.meaning)
    kind, keys = parsed
    worth = f"{abs(float(row.dual)):.4g}".replace(".", ",")
    lead = None
    if kind == "budget" and len(keys) == 2:
        lead = f"1 MSEK mer i budgetramen {keys[0]} för {keys[1]}"
    elif kind == "department_budget" and len(keys) == 2:
        lead = f"1 MSEK mer i ramen för {keys[0]} {keys[1]}"
    elif kind == "debt_ceiling" and len(keys) == 1:
        lead = f"1 MSEK mer skuldutrymme vid slutet av {keys[0]}"
    elif kind == "co2e_cap" and len(keys) == 1:
        lead = f"1 ton CO2e mer utrymme {keys[0]}"
    elif kind == "co2e_budget":
        lead = "1 ton CO2e mer i den samlade koldioxidbudgeten"
    elif kind == "coverage" and len(keys) in (2, 3):
        where = keys[0] + (f" i {keys[1]}" if len(keys) == 3 else "")
        lead = f"1 {unit_by_service.get(keys[0], 'enhet')} mer kapacitet för {where} {keys[-1]}"
    elif kind == "staff" and len(keys) == 2:
        lead = f"1 åa mer rekryterbart i {keys[0]} till {keys[1]}"
    elif kind == "delivery" and keys:
        lead = f"1 projekt till i bygge samtidigt ({', '.join(keys)})"
    if lead is None:
        return str(row.meaning)
    return f"{lead} sänker den totala kostnaden med {worth} MSEK (med de valda projekten låsta)"
