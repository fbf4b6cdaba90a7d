"""Population projection -> demand per service, district and year (docs/scenario-format.md, population and services).

``demand[s, d, y] = Σ_g rate[s, g] · pop[g, d, y] + fixed_need[s]``; the age group ``total``
stands for every age group in the table. Services planned municipality-wide get one row per
year with district ``""``; their demand is the sum over districts. ``fixed_need`` is added once
per service and year (to the municipality-wide row, or split evenly over districts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from optimizer.scenario import Scenario

ALL_DISTRICTS = ""
DEMAND_COLUMNS = ["service", "district", "year", "demand"]


def demand_table(scenario: Scenario) -> pd.DataFrame:
    """Demand as a DataFrame with columns service, district, year, demand (units of the service)."""
    pop = scenario.population
    years = pd.Index(scenario.years, name="year")
    districts = [d.id for d in scenario.settings.districts]
    frames = []
    for service in scenario.settings.services:
        rates = {g: r for g, r in service.demand_rates.items() if g != "total"}
        total_rate = service.demand_rates.get("total", 0.0)
        weights = pop["age_group"].map(rates).fillna(0.0) + total_rate
        weighted = pop.assign(demand=pop["population"] * weights)
        if service.by_district:
            table = weighted.groupby(["district", "year"])["demand"].sum()
            index = pd.MultiIndex.from_product(
                [districts, scenario.years], names=["district", "year"]
            )
            table = table.reindex(index, fill_value=0.0).reset_index()
            table["demand"] += service.fixed_need / max(len(districts), 1)
        else:
            table = (
                weighted.groupby("year")["demand"]
                .sum()
                .reindex(years, fill_value=0.0)
                .reset_index()
            )
            table["demand"] += service.fixed_need
            table.insert(0, "district", ALL_DISTRICTS)
        table.insert(0, "service", service.id)
        frames.append(table[DEMAND_COLUMNS])
    result = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DEMAND_COLUMNS)
    )
    return result.astype({"year": "int64", "demand": "float64"})
