"""Coverage checks: capacity + shortfall + transfers ≥ demand, and the transfers between districts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.check.assets import asset_adjustment
from optimizer.check.duties import emergency_use
from optimizer.check.facts import (
    Violation,
    _Facts,
    _key,
    _num,
    once_per_check,
)
from optimizer.scenario import ALL_DISTRICTS


@once_per_check
def _coverage_table(facts: _Facts) -> pd.DataFrame:
    """Supply against demand for every coverage row (service, district, year).

    ``supply = cap0 + Σ_p k[p,s]·I[p,t] + u + e + inflow − outflow``, in the service's unit, where
    ``cap0`` sums existing assets with no retirement year or one after t, less what early
    closures and renovations take (``check.assets.asset_adjustment``), ``e`` the emergency
    options used, and for services planned per district only assets and candidates located in
    the district count. ``planned = demand / target_utilisation`` is what supply must reach.
    """
    scenario, years = facts.scenario, facts.years
    services = scenario.service_by_id
    keys = ["service", "district", "year"]

    def district_key(service: str, district: str | None) -> str:
        return (district or ALL_DISTRICTS) if services[service].by_district else ALL_DISTRICTS

    existing = pd.DataFrame(
        [
            (a.service, district_key(a.service, a.district), t, a.capacity)
            for a in scenario.existing_assets
            for t in years
            if a.retirement_year is None or a.retirement_year > t
        ],
        columns=[*keys, "existing"],
    )
    capacity = pd.DataFrame(
        [
            (
                r.candidate,
                r.service,
                district_key(r.service, scenario.candidate_by_id[r.candidate].district),
                r.capacity,
            )
            for r in scenario.capacities
        ],
        columns=["candidate", "service", "district", "capacity"],
    )
    in_service = (
        facts.in_service.rename_axis(index="candidate", columns="year")
        .stack()
        .rename("in_service")
        .reset_index()
    )
    new = capacity.merge(in_service, on="candidate")
    new["new"] = new["capacity"] * new["in_service"]

    shortfall = facts.matched_shortfall
    shortfall = shortfall.loc[shortfall["matched"], [*keys, "shortfall"]]
    transfers = _valid_transfers(facts)
    inflow = transfers.rename(columns={"to_district": "district", "units": "inflow"})
    outflow = transfers.rename(columns={"from_district": "district", "units": "outflow"})

    emergency = emergency_use(facts).rename(columns={"units": "emergency"})
    table = scenario.demand.copy()
    target = {s.id: s.target_utilisation for s in scenario.settings.services}
    table["planned"] = table["demand"] / table["service"].map(target).astype(float)
    for part, column in (
        (existing, "existing"),
        (new, "new"),
        (asset_adjustment(facts), "assets"),
        (shortfall, "shortfall"),
        (emergency, "emergency"),
        (inflow, "inflow"),
        (outflow, "outflow"),
    ):
        summed = part.groupby(keys, as_index=False)[column].sum()
        table = table.merge(summed, on=keys, how="left")
        table[column] = table[column].astype(float).fillna(0.0)
    table["existing"] += table.pop("assets")  # closed early, renovated, under works
    table["supply"] = (
        table["existing"]
        + table["new"]
        + table["shortfall"]
        + table["emergency"]
        + table["inflow"]
        - table["outflow"]
    )
    return table


def _check_coverage(facts: _Facts) -> list[Violation]:
    """Coverage, shortfall sign and hard coverage per service, district and year.

    ``cap0 + Σ_p k·I + u + inflow − outflow ≥ demand`` (``coverage``); ``u ≥ 0`` and only on
    coverage rows (``shortfall``); in hard-coverage mode ``u = 0`` (``hard_coverage``).
    """
    scenario, tol = facts.scenario, facts.tolerance
    services = scenario.service_by_id
    out: list[Violation] = []

    def unit(service: str) -> str:
        return services[service].unit if service in services else "units"

    def where(district: str) -> str:
        return f" in district {district}" if district != ALL_DISTRICTS else ""

    table = _coverage_table(facts)
    # ``supply ≥ planned``: violated when planned − supply > tol·max(1, |planned|)
    short = (table["planned"] - table["supply"]) > tol * np.maximum(1.0, table["planned"].abs())
    for row in table.loc[short].itertuples(index=False):
        amount = row.planned - row.supply
        demand = (
            f"demand {_num(row.demand)}"
            if row.planned == row.demand
            else f"planned demand {_num(row.planned)} (demand {_num(row.demand)} / target utilisation)"
        )
        emergency = f" plus emergency {_num(row.emergency)}" if row.emergency else ""
        out.append(
            Violation(
                f"coverage[{_key(row.service, row.district, row.year)}]",
                amount,
                f"{row.service}{where(row.district)} in {row.year}: {demand} "
                f"{unit(row.service)} exceeds capacity {_num(row.existing + row.new)} plus "
                f"shortfall {_num(row.shortfall)}{emergency} plus transfers in {_num(row.inflow)} "
                f"minus out {_num(row.outflow)} by {_num(amount)} {unit(row.service)}",
            )
        )

    rows = facts.matched_shortfall
    for row in rows.itertuples(index=False):
        name = _key(row.service, row.district, row.year)
        if not row.matched and abs(row.shortfall) > tol:
            out.append(
                Violation(
                    f"shortfall[{name}]",
                    abs(row.shortfall),
                    f"shortfall {_num(row.shortfall)} of {row.service}{where(row.district)} in "
                    f"{row.year} is not on a coverage row of the scenario (unknown service, "
                    "district or year)",
                )
            )
        elif row.matched and row.shortfall < -tol:
            out.append(
                Violation(
                    f"shortfall[{name}]",
                    -row.shortfall,
                    f"shortfall of {row.service}{where(row.district)} in {row.year} is "
                    f"{_num(row.shortfall)} {unit(row.service)}; it must be ≥ 0",
                )
            )
        elif row.matched and scenario.settings.scenario.hard_coverage and row.shortfall > tol:
            out.append(
                Violation(
                    f"hard_coverage[{name}]",
                    row.shortfall,
                    f"hard coverage: {row.service}{where(row.district)} in {row.year} has a "
                    f"shortfall of {_num(row.shortfall)} {unit(row.service)}; it must be 0",
                )
            )
    return out


# ======================================================================================
# Transfers between districts
# ======================================================================================
def _transfer_problem(facts: _Facts, row) -> str | None:
    """Why a transfer row cannot be used in coverage at all (unknown keys), or None."""
    scenario = facts.scenario
    service = scenario.service_by_id.get(row.service)
    districts = {d.id for d in scenario.settings.districts}
    if service is None:
        return f"'{row.service}' is not a service"
    if not service.by_district:
        return f"{row.service} is planned municipality-wide, so it has no transfers"
    for district in (row.from_district, row.to_district):
        if district not in districts:
            return f"'{district}' is not a district"
    if row.year not in facts.years:
        return f"{row.year} is outside the horizon {facts.y0}-{facts.yN}"
    return None


def _valid_transfers(facts: _Facts) -> pd.DataFrame:
    """Transfer rows whose service, districts and year exist (they count in coverage)."""
    rows = facts.transfers
    usable = [_transfer_problem(facts, row) is None for row in rows.itertuples(index=False)]
    return rows.loc[np.array(usable, dtype=bool)] if len(rows) else rows


def _check_transfers(facts: _Facts) -> list[Violation]:
    """Transfers ``≥ 0`` from a listed neighbour (``transfer``) and the neighbour share.

    A row (s, d', d, t, units) is allowed only for by-district services and when d' is in d's
    ``neighbours``; ``Σ_{d'} units[s,d',d,t] ≤ neighbour_share_s · demand[s,d,t]``
    (``neighbour_share``).
    """
    scenario, tol = facts.scenario, facts.tolerance
    neighbours = {d.id: set(d.neighbours) for d in scenario.settings.districts}
    out: list[Violation] = []
    for row in facts.transfers.itertuples(index=False):
        name = f"transfer[{row.service},{row.from_district},{row.to_district},{row.year}]"
        what = (
            f"transfer of {_num(row.units)} {row.service} from {row.from_district or '(none)'} "
            f"to {row.to_district or '(none)'} in {row.year}"
        )
        problem = _transfer_problem(facts, row)
        if problem is None and row.from_district not in neighbours.get(row.to_district, set()):
            problem = f"{row.from_district} is not listed as a neighbour of {row.to_district}"
        if problem is not None and abs(row.units) > tol:
            out.append(Violation(name, abs(row.units), f"{what}: {problem}"))
        elif row.units < -tol:
            out.append(Violation(name, -row.units, f"{what}: transfers must be ≥ 0"))

    inflow = _valid_transfers(facts).groupby(["service", "to_district", "year"])["units"].sum()
    demand = scenario.demand.set_index(["service", "district", "year"])["demand"]
    for (service, district, year), units in inflow.items():
        share = scenario.service_by_id[service].neighbour_share
        limit = share * demand.get((service, district, year), 0.0)
        if facts.over(units, limit):
            unit = scenario.service_by_id[service].unit
            out.append(
                Violation(
                    f"neighbour_share[{service},{district},{year}]",
                    units - limit,
                    f"{service} in district {district} in {year} receives {_num(units)} {unit} "
                    f"from neighbours, more than {_num(share)} of its demand ({_num(limit)} "
                    f"{unit}) by {_num(units - limit)} {unit}",
                )
            )
    return out
