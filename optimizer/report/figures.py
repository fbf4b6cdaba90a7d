"""Figures that several reports show, computed once from a plan's tables (docs/reports.md).

The Excel workbook, the HTML report and the scenario comparison all quote the same headline
numbers; computing them here keeps the three in agreement. Money in MSEK, CO2e in tonnes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from optimizer.model.registry import ROW_BLOCKS, RowKey, shadow_price_meaning
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


# The key columns a shadow-price table carries (optimizer.run.shadow_price_table).
SHADOW_KEY_FIELDS = ("pool", "department", "service", "district", "year")


def shadow_row_key(row) -> RowKey | None:
    """The row a shadow-price record is about, from its key columns; None when the table has
    none (a results folder written before they existed)."""
    kind = str(getattr(row, "kind", ""))
    if kind not in ROW_BLOCKS or not hasattr(row, "year"):
        return None
    values = {}
    for name in SHADOW_KEY_FIELDS:
        value = getattr(row, name, None)
        if value is None or value == "" or pd.isna(value):
            continue
        values[name] = int(value) if name == "year" else str(value)
    return RowKey(kind, **values)


def shadow_unit_sv(kind: str, unit: str) -> str:
    entry = ROW_BLOCKS.get(kind)
    return entry.shadow_unit.sv if entry is not None and entry.shadow_unit else unit


def shadow_meaning_sv(row, unit_by_service: dict[str, str]) -> str:
    """A shadow price in Swedish, or the run's English wording when the key is not known."""
    key = shadow_row_key(row)
    if key is None or ROW_BLOCKS[key.block].one_more is None:
        return str(row.meaning)
    return shadow_price_meaning(
        key, float(row.dual), "sv", unit_by_service.get(key.service, "enhet")
    )
