"""The shipped Östersund scenario keeps what issue #12 asked of its plans (docs/model.md,
Existing assets and Duties): every existing asset that leaves service does so by a named
decision, school and preschool are covered from their duty year in every variant, and the
budget-cut variant invests less than the target variant where its cut ceiling binds, and in trend
and target some money limit (budget, debt or financial target) binds with a shadow price.

Each variant is solved once per session (tests/shipped_plans.py) to proven optimality.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenario_factory import ROOT
from shipped_plans import shipped_plan

import optimizer
from optimizer.cli.common import report_writers
from optimizer.io.results import plan_to_dict, write_results

OSTERSUND = ROOT / "scenarios" / "ostersund-2040"
VARIANTS = ("low", "trend", "target", "budget-cut")
pytestmark = pytest.mark.slow


def solved(variant: str):
    """The variant's plan, solved once per session with the other shipped-plan tests."""
    scenario, plan = shipped_plan(OSTERSUND.name, variant)
    assert plan.status == "optimal"
    return scenario, plan


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_asset_that_leaves_service_is_named_with_its_decision(variant: str) -> None:
    scenario, plan = solved(variant)
    last = scenario.years[-1]
    closures = plan.tables["closures"]
    renovated = set(plan.tables["schedule"]["candidate"])
    renovations = {c.renovates: c.id for c in scenario.candidates if c.renovates}
    for asset in scenario.existing_assets:
        if asset.retirement_year is None or asset.retirement_year > last:
            continue
        closed = closures[closures["asset"] == asset.id]
        kept = renovations.get(asset.id) in renovated
        # it either closes by name (with its year and kind) or a renovation keeps it
        assert len(closed) == 1 or kept, f"{asset.id} leaves service without a decision"
        if len(closed):
            assert int(closed["year"].iloc[0]) <= asset.retirement_year
            assert closed["kind"].iloc[0] in ("end_of_life", "early")


def test_vallaskolan_closes_and_names_the_renovation_that_brings_it_back() -> None:
    """Target: VALLA-RENO is chosen but not in service by Vallaskolan's end of life (2032), so
    the school closes in 2032 and its closure names the renovation, not a replacement."""
    scenario, plan = solved("target")
    renovation = next(c for c in scenario.candidates if c.id == "VALLA-RENO")
    assert renovation.renovates == "SKOLA-VALLA"
    schedule = plan.tables["schedule"].set_index("candidate")
    assert int(schedule.loc["VALLA-RENO", "in_service_year"]) > 2032
    closures = plan.tables["closures"].set_index("asset")
    closure = closures.loc["SKOLA-VALLA", ["year", "kind", "replaced_by", "renovated_by"]]
    assert closure.tolist() == [2032, "end_of_life", "", "VALLA-RENO"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_school_and_preschool_are_covered_from_their_duty_year(variant: str) -> None:
    scenario, plan = solved(variant)
    coverage = plan.tables["coverage"]
    for service in ("school", "preschool"):
        duty_from = next(s.duty_from for s in scenario.settings.services if s.id == service)
        assert duty_from is not None, f"{service} is a legal duty in the shipped scenario"
        rows = coverage[(coverage["service"] == service) & (coverage["year"] >= duty_from)]
        assert len(rows) > 0
        assert rows["shortfall"].max() <= 1e-6, rows[rows["shortfall"] > 1e-6].to_string()


# The limits of money (docs/model.md, The whole investment frame and Finance): a budget or
# department ceiling, the debt ceiling, or a financial target of god ekonomisk hushållning.
MONEY_LIMITS = (
    "budget",
    "department_budget",
    "debt_ceiling",
    "balance",
    "self_financing_rate",
    "period_self_financing",
    "debt_per_inhabitant",
)
CEILINGS = ("budget", "department_budget")


def binding(plan, kinds: tuple[str, ...]):
    prices = plan.tables["shadow_prices"]
    return prices[prices["kind"].isin(kinds) & (prices["dual"].abs() > 1e-6)]


def yearly_investment(plan) -> dict[int, float]:
    """The whole frame per year: candidates and other investment (MSEK, fixed prices)."""
    key = plan.tables["key_figures"]
    return dict(zip(key["year"].astype(int), key["investment"].astype(float), strict=True))


@pytest.mark.parametrize("variant", ("trend", "target"))
def test_money_binds_the_plan_somewhere(variant: str) -> None:
    """Issue #12: a plan that never touches its frame, its debt or its financial targets is
    not believed. Some money limit must have a non-zero shadow price in some year."""
    _, plan = solved(variant)
    money = binding(plan, MONEY_LIMITS)
    assert len(money) > 0, "no budget, debt or financial target binds"
    assert (money["value_of_one_more_unit"] > 0).all()


def test_the_cut_frame_invests_less_where_its_ceiling_binds() -> None:
    """Same population, the whole frame cut by 20 %: in a year where the cut ceiling binds the
    plan invests less than the council-goal plan (it may not simply copy it)."""
    target = yearly_investment(solved("target")[1])
    _, cut_plan = solved("budget-cut")
    cut = yearly_investment(cut_plan)
    ceiling_years = set(binding(cut_plan, CEILINGS)["year"].astype(int))
    assert ceiling_years, "no ceiling binds in budget-cut"
    assert any(cut[y] < target[y] - 1.0 for y in ceiling_years)
    assert sum(cut.values()) < sum(target.values()) - 1.0


def test_the_default_plan_is_written_with_its_reports_and_json(tmp_path: Path) -> None:
    """What ``capplan run scenarios/ostersund-2040 --json`` writes after its solve: the results
    folder of the default variant with plan.xlsx and report.html, and the plan as JSON.
    (benchmarks/test_bench_ostersund.py runs the whole command on Östersund in its full mode;
    its smoke run in this suite runs it on tiny.)"""
    assert optimizer.load_scenario(OSTERSUND).variant == "trend"  # the default variant
    scenario, plan = solved("trend")
    out = write_results(plan, scenario, tmp_path / "out", writers=report_writers("sv"))
    written = {p.name for p in out.iterdir()}
    assert {"plan.json", "manifest.json", "schedule.csv", "plan.xlsx", "report.html"} <= written
    stored = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert stored["status"] == "optimal"
    assert stored["objective"] == pytest.approx(plan.objective)
    assert len(stored["schedule"]) == len(plan.tables["schedule"]) > 0
    said = json.loads(json.dumps(plan_to_dict(plan), ensure_ascii=False))
    assert said["status"] == "optimal" and said["objective"] == stored["objective"]
    assert '<html lang="sv">' in (out / "report.html").read_text(encoding="utf-8")
