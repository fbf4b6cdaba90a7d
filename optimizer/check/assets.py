"""Existing assets that age, recomputed from the plan: which assets close when, what that does
to capacity, and that each asset has at most one fate (docs/model.md, Existing assets).

Asset a (capacity K, retirement year R or none) closes
- early in y when the plan says so (``plan.early_closures``), y in its closure window
  (``earliest_closure`` … R−1, inside the horizon);
- else at R (y0 ≤ R ≤ yN) unless a renovation r of a is in service by R: S[r, R−L_r] ≥ 1.

Capacity of a in year t < R: K, minus K once it closed early (t ≥ y), minus K·I[r,t] for a
renovation in service (its own capacity replaces K), minus ℓ_r·K·U[r,t] while under works.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.check.facts import Violation, _Facts, _num


@dataclass(frozen=True)
class Closure:
    asset: str
    year: int
    kind: str  # "early" (a decision of the plan) or "end_of_life"


def renovations_of(facts: _Facts) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in facts.scenario.candidates:
        if c.renovates is not None:
            out.setdefault(c.renovates, []).append(c.id)
    return out


def closures(facts: _Facts) -> list[Closure]:
    """Every closure of an existing asset inside the horizon, in asset order."""
    scenario = facts.scenario
    renovations = renovations_of(facts)
    lead = {c.id: c.lead_time for c in scenario.candidates}
    out = []
    for a in scenario.existing_assets:
        if a.id in facts.plan.early_closures:
            out.append(Closure(a.id, int(facts.plan.early_closures[a.id]), "early"))
            continue
        end = a.retirement_year
        if end is None or not facts.y0 <= end <= facts.yN:
            continue
        renovated = any(
            facts.started_by(r, end - lead[r]) >= 1 - 1e-9 for r in renovations.get(a.id, [])
        )
        if not renovated:
            out.append(Closure(a.id, end, "end_of_life"))
    return out


def asset_adjustment(facts: _Facts) -> pd.DataFrame:
    """Capacity the assets lose against their plain retirement rule: service, district, year,
    assets (≤ 0), for years before each asset's retirement year."""
    scenario = facts.scenario
    renovations = renovations_of(facts)
    by_id = scenario.candidate_by_id
    records = []
    for a in scenario.existing_assets:
        district = scenario.district_key(a.service, a.district)
        early = facts.plan.early_closures.get(a.id)
        for t in facts.years:
            if a.retirement_year is not None and t >= a.retirement_year:
                continue
            lost = a.capacity if early is not None and t >= early else 0.0
            for r in renovations.get(a.id, []):
                lost += a.capacity * facts.in_service.at[r, t]
                lost += (
                    by_id[r].works_capacity_loss * a.capacity * facts.under_construction.at[r, t]
                )
            if lost:
                records.append((a.service, district, t, -lost))
    return pd.DataFrame(records, columns=["service", "district", "year", "assets"])


def _check_assets(facts: _Facts) -> list[Violation]:
    """Early closures of known assets inside their window (``closure``) and at most one fate
    per asset: one early closure or one renovation started (``asset_fate``)."""
    scenario = facts.scenario
    out: list[Violation] = []
    for asset_id, year in facts.plan.early_closures.items():
        asset = scenario.asset_by_id.get(asset_id)
        if asset is None:
            out.append(
                Violation(f"closure[{asset_id}]", 1.0, f"'{asset_id}' is not an existing asset")
            )
            continue
        window = scenario.closure_window(asset)
        if int(year) not in window:
            allowed = f"{window[0]}-{window[-1]}" if window else "none (no earliest_closure)"
            out.append(
                Violation(
                    f"closure[{asset_id},{year}]",
                    1.0,
                    f"{asset_id} closes early in {year}, outside its closure window: {allowed}",
                )
            )
    renovations = renovations_of(facts)
    for a in scenario.existing_assets:
        started = sum(facts.started_by(r, facts.yN) for r in renovations.get(a.id, []))
        fates = started + (1.0 if a.id in facts.plan.early_closures else 0.0)
        if fates > 1 + facts.tolerance:
            out.append(
                Violation(
                    f"asset_fate[{a.id}]",
                    fates - 1,
                    f"{a.id} has {_num(fates)} fates (early closure and renovations started); "
                    "at most one",
                )
            )
    return out


def closure_costs(facts: _Facts, discount: pd.Series) -> tuple[float, float]:
    """(closure, asset_opex) present values: closure_cost·df[year] of every closure, and
    −opex·Σ df[t] over the years an early closure saves (until R or the horizon's end)."""
    scenario = facts.scenario
    cost = saved = 0.0
    for c in closures(facts):
        asset = scenario.asset_by_id[c.asset]
        cost += asset.closure_cost * float(discount.get(c.year, 0.0))
        if c.kind == "early":
            end = asset.retirement_year if asset.retirement_year is not None else facts.yN + 1
            years = np.arange(c.year, min(end, facts.yN + 1))
            saved -= asset.opex * float(discount.reindex(years, fill_value=0.0).sum())
    return cost, saved
