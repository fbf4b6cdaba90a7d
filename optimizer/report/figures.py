"""Figures that several reports show, computed once from a plan's tables (docs/reports.md).

The Excel workbook, the HTML report and the scenario comparison all quote the same headline
numbers; computing them here keeps the three in agreement. Money in MSEK, CO2e in tonnes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from optimizer.model.registry import ROW_BLOCKS, RowKey, shadow_price_meaning, shadow_worth
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
    """Readable names of services, departments, pools and districts (``Scenario.names``)."""
    if scenario is None:
        return {"service": {}, "department": {}, "pool": {}, "district": {}, "unit": {}}
    return scenario.names


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


def district_coverage(plan: Plan) -> dict[str, pd.DataFrame]:
    """Per service planned by district: its coverage rows (district, year, demand, capacity,
    shortfall, spare), for the district view. ``spare`` is capacity that no one uses: capacity
    minus what serves the district's own demand and its neighbours'."""
    coverage = plan.tables.get("coverage", pd.DataFrame())
    out: dict[str, pd.DataFrame] = {}
    if coverage.empty or "district" not in coverage:
        return out
    for service, group in coverage.groupby("service", sort=False):
        districts = group["district"].astype(str)
        if (districts == "").any() or districts.nunique() < 2:
            continue
        group = group.copy()
        used = group["demand"] - group["shortfall"]
        if "served_from_neighbours" in group:
            used = used - group["served_from_neighbours"] + group["serving_neighbours"]
        group["spare"] = (group["capacity"] - used).clip(lower=0.0)
        out[str(service)] = group
    return out


@dataclass
class DistrictStory:
    """Where one service is short and where it has room: the peak shortfall of each district
    (largest first) and the districts with spare capacity in the year of the largest."""

    shortfalls: list[tuple[str, int, float]]  # (district, year, amount)
    spare: list[tuple[str, float]]  # (district, amount) in the year of the largest shortfall
    spare_year: int | None


def district_story(rows: pd.DataFrame, threshold: float = 0.5) -> DistrictStory:
    shortfalls = []
    for district, group in rows.groupby("district", sort=False):
        peak = group.loc[group["shortfall"].idxmax()]
        if peak["shortfall"] >= threshold:
            shortfalls.append((str(district), int(peak["year"]), float(peak["shortfall"])))
    shortfalls.sort(key=lambda s: -s[2])
    # the year of the largest shortfall; without one, the room left in the last year
    year = shortfalls[0][1] if shortfalls else int(rows["year"].max())
    in_year = rows[rows["year"] == year].sort_values("spare", ascending=False, kind="stable")
    spare = [
        (str(r.district), float(r.spare)) for r in in_year.itertuples() if r.spare >= threshold
    ]
    return DistrictStory(shortfalls, spare, year)


def district_sentence(
    service_name: str, story: DistrictStory, district_names: dict[str, str], unit: str, lang: str
) -> str:
    """'Förskola: brist 40 platser i Lövsta 2029, 60 lediga platser i Centrum' (at most three
    districts short and two with room, so that the sentence stays a sentence)."""
    from optimizer.report.i18n import format_quantity, translator, unit_name

    t = translator(lang)
    unit = unit_name(unit, lang)
    parts = []
    if story.shortfalls:
        short = [
            t(
                "district_shortfall" if k == 0 else "district_shortfall_more",
                amount=format_quantity(amount, "units", lang),
                unit=unit,
                district=district_names.get(district, district),
                year=year,
            )
            for k, (district, year, amount) in enumerate(story.shortfalls[:3])
        ]
        parts.append(t("district_and").join(short))
    else:
        parts.append(t("district_no_shortfall"))
    parts += [
        t(
            "district_spare",
            amount=format_quantity(amount, "units", lang),
            unit=unit,
            district=district_names.get(district, district),
        )
        for district, amount in story.spare[:2]
    ]
    return f"{service_name}: " + ", ".join(parts)


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
        # pd.isna first: a key that does not apply is <NA> in a nullable column (the year of the
        # cumulative CO2e budget), and ``<NA> == ""`` raises instead of being False
        if value is None or pd.isna(value) or value == "":
            continue
        values[name] = int(value) if name == "year" else str(value)
    return RowKey(kind, **values)


def shadow_unit_sv(kind: str, unit: str) -> str:
    from optimizer.report.i18n import unit_name

    entry = ROW_BLOCKS.get(kind)
    return (
        entry.shadow_unit.sv if entry is not None and entry.shadow_unit else unit_name(unit, "sv")
    )


def shadow_meaning_sv(
    row, unit_by_service: dict[str, str], names_by_kind: dict[str, dict[str, str]] | None = None
) -> str:
    """A shadow price in Swedish (``shadow_meaning`` in Swedish)."""
    return shadow_meaning(row, "sv", unit_by_service, names_by_kind)


def _named_key(key: RowKey, names_by_kind: dict[str, dict[str, str]] | None) -> dict[str, str]:
    """The ids of a row's pool, department, service and district replaced by their names."""
    if not names_by_kind:
        return {}
    return {
        kind: names_by_kind[kind].get(getattr(key, kind), getattr(key, kind))
        for kind in ("pool", "department", "service", "district")
        if getattr(key, kind) is not None and kind in names_by_kind
    }


def shadow_meaning(
    row,
    lang: str,
    unit_by_service: dict[str, str],
    names_by_kind: dict[str, dict[str, str]] | None = None,
) -> str:
    """A shadow price in the report's language, with the service's unit in that language and
    the ids of pools, departments, services and districts shown by their names
    (``names(scenario)``): the run's English ``meaning`` says "for lss" and "VOF", which a
    reader of an English report should not have to decode either; that wording when the key
    is not known."""
    from optimizer.report.i18n import unit_name

    key = shadow_row_key(row)
    if key is None or ROW_BLOCKS[key.block].one_more is None:
        return str(row.meaning)
    fallback = "enhet" if lang == "sv" else "unit"
    unit = unit_name(unit_by_service.get(key.service, fallback), lang, one=True)
    if not names_by_kind:
        return shadow_price_meaning(key, float(row.dual), lang, unit)
    lead = key.words(
        ROW_BLOCKS[key.block].one_more, lang, unit=unit, **_named_key(key, names_by_kind)
    )
    return lead + shadow_worth(float(row.dual), lang)


def shadow_limit(row, lang: str, names_by_kind: dict[str, dict[str, str]] | None = None) -> str:
    """The binding limit of a shadow price in words ("Budgetramen för Skattefinansierade
    investeringar 2028"), for the readers of plan.xlsx; the row's name (``budget[tax,2028]``)
    is for programs and stays in shadow_prices.csv."""
    key = shadow_row_key(row)
    if key is None:
        return str(row.constraint)
    return limit_words(key, lang, names_by_kind)


def limit_words(
    key: RowKey, lang: str, names_by_kind: dict[str, dict[str, str]] | None = None
) -> str:
    """A model row as a limit in words, capitalised to head a cell ("Budgetramen för
    Tax-financed 2028", "The Tax-financed budget in 2028"), with names for ids."""
    text = key.words(ROW_BLOCKS[key.block].limit, lang, **_named_key(key, names_by_kind))
    return text[:1].upper() + text[1:]
