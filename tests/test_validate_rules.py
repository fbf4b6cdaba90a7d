"""The validation rules of ``optimizer/validate/``, each made to fire on tiny changed in code.

One case per rule of ``optimizer.validate.RULES`` (a meta-test fails when a rule has none),
then the rules of one row or of the settings (validators in ``optimizer.schema``), then what
one root cause must not repeat: no "unknown candidate" for a row whose cell is bad, no
"missing year" for a row whose year is bad, nothing per row for a missing column or table.

tiny, for reading the row numbers: candidates rows 2-6 are PS-NEW, PS-EXT, PS-MOD, WATER-EXT,
PS-NORTH; budgets rows 2-6 tax 2026-2030, 7-11 va; population rows 2-6 base 1-5, 7-11 base
6+, 12-16 high 1-5, 17-21 high 6+; dependencies row 2 PS-NORTH requires WATER-EXT;
existing_assets row 2 PS-OLD (preschool), row 3 WW-1 (water).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pydantic import ValidationError
from scenario_factory import ROOT, RawTiny

from optimizer import schema
from optimizer.errors import Problem, ScenarioError
from optimizer.validate import (
    RULES,
    WARNINGS,
    Context,
    assets,
    check,
    parse,
    plausible,
    relations,
    settings,
    spelling,
    windows,
    yearly,
)
from optimizer.validate import candidates as candidate_rules
from optimizer.validate import population as population_rules

S = "scenario.toml"
C = "candidates.csv"


def problems(tiny: RawTiny, variant: str | None = None) -> list[Problem]:
    """What a user is shown, in the order shown (by file, row, field)."""
    found = check(tiny.raw, variant)
    return ScenarioError(found.problems if isinstance(found, Context) else found).problems


@dataclass(frozen=True)
class Case:
    rule: Callable[[Context], None]
    name: str  # what the user did
    build: Callable[[], RawTiny]
    expected: Problem


def staff_until_2029() -> RawTiny:
    tiny = RawTiny()
    for year in range(2026, 2030):
        tiny.add_row("staff", department="BUF", year=str(year), recruitable_fte="3")
    return tiny


def project_under_way(in_service_year: str, remaining: str) -> RawTiny:
    """PS-NEW (lead 2) entered as a project under way."""
    tiny = (
        RawTiny()
        .add_column("candidates", "in_service_year")
        .add_column("candidates", "remaining_spend")
    )
    tiny.cell("candidates", 2, "spend_profile", "")
    tiny.cell("candidates", 2, "in_service_year", in_service_year)
    return tiny.cell("candidates", 2, "remaining_spend", remaining)


def renovation_of(asset: str, service: str = "preschool") -> RawTiny:
    """PS-EXT (row 3) renovates ``asset``; its capacity row gives ``service``."""
    tiny = RawTiny().add_column("candidates", "renovates").cell("candidates", 3, "renovates", asset)
    return tiny.cell("candidate_capacity", 3, "service", service)


def emergency_option(**cells: str) -> RawTiny:
    row = {"id": "PAV", "kind": "pavilion", "service": "preschool", "cost": "1", "max_units": "5"}
    return RawTiny().add_row("emergency_options", **(row | cells))


def debt_with_one_policy_year() -> RawTiny:
    tiny = RawTiny().settings(lambda s: s.update(debt={"opening": 10}))
    return tiny.add_row("policy_years", year="2026", self_financing="1")


def with_finance(**finance: object) -> RawTiny:
    """Tiny with [debt] and [finance] (revenue 100 000 SEK per inhabitant)."""
    settings = {"revenue_per_inhabitant": 100000, "net_cost_per_inhabitant": 90000} | finance
    return RawTiny().settings(lambda s: s.update(debt={"opening": 0}, finance=settings))


def every_year(tiny: RawTiny, **cells: str) -> RawTiny:
    for year in range(2026, 2031):
        tiny.add_row("policy_years", year=str(year), **cells)
    return tiny


CASES = [
    Case(
        yearly.other_investment_rows,
        "other investment in a pool the scenario does not have",
        lambda: RawTiny().add_row(
            "other_investments", year="2027", pool="streets", department="", amount="3"
        ),
        Problem(
            "other_investments.csv", 2, "pool", "unknown funding pool 'streets' (known: tax, va)"
        ),
    ),
    Case(
        yearly.other_investment_rows,
        "other investment of a department the scenario does not have",
        lambda: RawTiny().add_row(
            "other_investments", year="2027", pool="tax", department="KFN", amount="3"
        ),
        Problem(
            "other_investments.csv", 2, "department", "unknown department 'KFN' (known: BUF, TEK)"
        ),
    ),
    Case(
        yearly.budget_years,
        "other investment in a pool without a budget",
        lambda: (
            RawTiny()
            .drop_rows("budgets", 7, 8, 9, 10, 11)
            .drop_rows("candidates", 5)
            .drop_rows("candidate_capacity", 5)
            .drop_rows("dependencies", 2)
            .add_row("other_investments", year="2027", pool="va", amount="3")
        ),
        Problem("budgets.csv", None, "year", "pool 'va' has no budget for 2026-2030"),
    ),
    Case(
        yearly.finance_years,
        "the old self_financing column kept beside [finance]",
        lambda: every_year(with_finance(), self_financing="2"),
        Problem(
            "policy_years.csv",
            2,
            "self_financing",
            "is replaced by the result of [finance] (revenue − costs − depreciation − "
            "interest); leave it empty or remove [finance]",
        ),
    ),
    Case(
        yearly.finance_years,
        "[finance] without a net cost of existing operations",
        lambda: every_year(
            with_finance(net_cost_per_inhabitant=None), existing_depreciation="0"
        ).cell("policy_years", 2, "existing_depreciation", "1"),
        Problem(
            "policy_years.csv",
            None,
            "existing_net_cost",
            "[finance] has no net_cost_per_inhabitant, so every year needs existing_net_cost; "
            "missing 2026-2030",
        ),
    ),
    Case(
        yearly.price_index_years,
        "a price index for some years only",
        lambda: RawTiny().add_row("policy_years", year="2026", price_index="1"),
        Problem(
            "policy_years.csv",
            None,
            "price_index",
            "is given for some years only; missing 2027, 2028, 2029, 2030",
        ),
    ),
    Case(
        yearly.price_index_years,
        "a nominal interest rate without a price index",
        lambda: RawTiny().settings(
            lambda s: s.update(debt={"interest_rate": 0.03, "interest_rate_kind": "nominal"})
        ),
        Problem(
            S,
            None,
            "debt.interest_rate_kind",
            "is nominal but the scenario gives no price index: add policy_years.price_index "
            "or [finance] inflation, or state the rate as real",
        ),
    ),
    Case(
        yearly.price_index_years,
        "a nominal interest rate below inflation",
        lambda: every_year(
            with_finance(inflation=0.04).settings(
                lambda s: s["debt"].update(interest_rate=0.03, interest_rate_kind="nominal")
            )
        ),
        Problem(
            S,
            None,
            "debt.interest_rate",
            "the nominal rate 0.03 is below the price change 0.04 in 2026: the real rate "
            "would be negative",
        ),
    ),
    Case(
        settings.variant_table_files,
        "variant names a table file that is not there",
        lambda: RawTiny().settings(
            lambda s: s["variants"]["high"].update(tables={"budgets": "budgets-cut"})
        ),
        Problem(
            S,
            None,
            "variants.high.tables.budgets",
            "'budgets-cut' not found: there is no budgets-cut.csv",
        ),
    ),
    Case(
        candidate_rules.candidate_ids,
        "two candidates with one id",
        lambda: RawTiny().cell("candidates", 3, "id", "PS-NEW"),
        Problem(C, 3, "id", "duplicate candidate id 'PS-NEW' (first on row 2)"),
    ),
    Case(
        candidate_rules.candidate_references,
        "candidate of an unknown department",
        lambda: RawTiny().cell("candidates", 2, "department", "SKOLA"),
        Problem(C, 2, "department", "unknown department 'SKOLA' (known: BUF, TEK)"),
    ),
    Case(
        candidate_rules.candidate_districts,
        "candidate without district for a service planned per district",
        lambda: RawTiny().districts().cell("candidates", 3, "district", ""),
        Problem(C, 3, "district", "is empty, but preschool is planned per district"),
    ),
    Case(
        candidate_rules.candidate_years,
        "earliest start after the horizon",
        lambda: RawTiny().cell("candidates", 4, "earliest_start", "2035"),
        Problem(C, 4, "earliest_start", "2035 is outside the horizon 2026-2030"),
    ),
    Case(
        candidate_rules.committed_starts,
        "committed start after the latest start",
        lambda: RawTiny().cell("candidates", 3, "committed_start", "2030"),
        Problem(C, 3, "committed_start", "2030 is outside its start window 2026-2029"),
    ),
    Case(
        candidate_rules.exclusive_groups,
        "two must-do candidates in one exclusive group",
        lambda: (
            RawTiny().cell("candidates", 2, "must_do", "yes").cell("candidates", 3, "must_do", "ja")
        ),
        Problem(
            C,
            3,
            "exclusive_group",
            "group 'preschool-site' has more than one must-do or committed candidate: PS-NEW, PS-EXT",
        ),
    ),
    Case(
        candidate_rules.criteria_tags,
        "a goal of the score names a tag no candidate has",
        lambda: RawTiny().settings(
            lambda s: s.update(criteria=[{"id": "agenda", "weight": 2, "tags": ["SDG4", "SDG44"]}])
        ),
        Problem(S, None, "criteria[1].tags", "no candidate has the tag 'SDG44'"),
    ),
    Case(
        relations.capacity_rows,
        "capacity of a candidate that does not exist",
        lambda: RawTiny().cell("candidate_capacity", 3, "candidate", "PS-BIG"),
        Problem(
            "candidate_capacity.csv",
            3,
            "candidate",
            "unknown candidate 'PS-BIG' (known: PS-EXT, PS-MOD, PS-NEW, PS-NORTH, WATER-EXT)",
        ),
    ),
    Case(
        relations.dependency_rows,
        "dependency on a modular candidate",
        lambda: RawTiny().cell("candidates", 5, "max_units", "2"),
        Problem(
            "dependencies.csv",
            2,
            "requires",
            "'WATER-EXT' has max_units > 1; a predecessor must be a single project",
        ),
    ),
    Case(
        relations.dependency_cycles,
        "two candidates that require each other",
        lambda: RawTiny().add_row(
            "dependencies", candidate="WATER-EXT", requires="PS-NORTH", kind="", lag="0"
        ),
        Problem(
            "dependencies.csv",
            None,
            "requires",
            "dependencies form a cycle: PS-NORTH → WATER-EXT → PS-NORTH",
        ),
    ),
    Case(
        relations.existing_assets,
        "existing asset of an unknown service",
        lambda: RawTiny().cell("existing_assets", 3, "service", "sewage"),
        Problem(
            "existing_assets.csv",
            3,
            "service",
            "unknown service 'sewage' (known: preschool, water)",
        ),
    ),
    Case(
        population_rules.population_rows,
        "population row given twice",
        lambda: RawTiny().cell("population", 3, "year", "2026"),
        Problem(
            "population.csv",
            3,
            "age_group",
            "duplicate population row ('base', 2026, '', '1-5') (first on row 2)",
        ),
    ),
    Case(
        population_rules.population_districts_mixed,
        "population with and without districts",
        lambda: (
            RawTiny()
            .districts()
            .add_row("population", variant="base", year="2026", age_group="80+", population="5")
        ),
        Problem(
            "population.csv",
            None,
            "district",
            "variant 'base' mixes rows with and without a district; use one or the other",
        ),
    ),
    Case(
        population_rules.population_age_groups,
        "demand rate for an age group the population does not have",
        lambda: RawTiny().settings(lambda s: s["services"][0].update(demand_rates={"1-6": 0.5})),
        Problem(S, None, "services[1].demand_rates", "age group '1-6' is not in population.csv"),
    ),
    Case(
        population_rules.population_years,
        "a year of the population deleted",
        lambda: RawTiny().drop_rows("population", 4),
        Problem(
            "population.csv",
            None,
            "year",
            "variant 'base', age group '1-5' has no population for 2028",
        ),
    ),
    Case(
        population_rules.population_per_district,
        "a district's population deleted for a year",
        lambda: RawTiny().districts().drop_rows("population", 3),
        Problem(
            "population.csv",
            None,
            "district",
            "district 'south', age group '1-5' has no population for 2026",
        ),
    ),
    Case(
        yearly.budget_rows,
        "budget of an unknown pool",
        lambda: RawTiny().cell("budgets", 7, "pool", "vatten"),
        Problem("budgets.csv", 7, "pool", "unknown funding pool 'vatten' (known: tax, va)"),
    ),
    Case(
        yearly.budget_years,
        "last budget year deleted",
        lambda: RawTiny().drop_rows("budgets", 11),
        Problem("budgets.csv", None, "year", "pool 'va' has no budget for 2030"),
    ),
    Case(
        yearly.department_rows,
        "department budget of an unknown department",
        lambda: RawTiny().add_row(
            "department_budgets", department="SKOLA", year="2026", ceiling="5"
        ),
        Problem(
            "department_budgets.csv",
            2,
            "department",
            "unknown department 'SKOLA' (known: BUF, TEK)",
        ),
    ),
    Case(
        yearly.staff_years,
        "recruitable staff for some years only",
        staff_until_2029,
        Problem("staff.csv", None, "year", "department 'BUF' has no recruitable staff for 2030"),
    ),
    Case(
        yearly.policy_year_rows,
        "policy year given twice",
        lambda: (
            RawTiny()
            .add_row("policy_years", year="2026", co2e_cap_t="100")
            .add_row("policy_years", year="2026", co2e_cap_t="90")
        ),
        Problem("policy_years.csv", 3, "year", "duplicate year 2026 (first on row 2)"),
    ),
    Case(
        yearly.debt_years,
        "debt rules with one policy year",
        debt_with_one_policy_year,
        Problem(
            "policy_years.csv",
            None,
            "year",
            "debt rules need every year; missing 2027, 2028, 2029, 2030",
        ),
    ),
    Case(
        candidate_rules.under_way,
        "project under way whose start falls inside the horizon",
        lambda: project_under_way("2028", ""),
        Problem(
            C,
            2,
            "in_service_year",
            "2028 with lead time 2 means a start in 2026, inside the horizon: a project under "
            "way started before 2026 (use committed_start)",
        ),
    ),
    Case(
        candidate_rules.under_way,
        "project under way still spending in the year it enters service",
        lambda: project_under_way("2027", "3|2"),
        Problem(
            C,
            2,
            "remaining_spend",
            "spends over 2 year(s) from 2026, but the project enters service in 2027: spending "
            "ends the year before",
        ),
    ),
    Case(
        assets.renovations,
        "renovation of an asset that does not exist",
        lambda: renovation_of("PS-GONE"),
        Problem(
            C,
            3,
            "renovates",
            "unknown existing asset 'PS-GONE'; did you mean 'PS-OLD'? (known: PS-OLD, WW-1)",
        ),
    ),
    Case(
        assets.renovations,
        "renovation that gives none of the asset's service",
        lambda: renovation_of("PS-OLD", service="water"),
        Problem(
            C,
            3,
            "renovates",
            "'PS-EXT' renovates 'PS-OLD' but gives no preschool capacity (candidate_capacity): "
            "the renovated building's capacity is its own row",
        ),
    ),
    Case(
        assets.emergency_options,
        "emergency option for an unknown service",
        lambda: emergency_option(service="school"),
        Problem(
            "emergency_options.csv",
            2,
            "service",
            "unknown service 'school'; did you mean 'preschool'? (known: preschool, water)",
        ),
    ),
    Case(
        assets.emergency_options,
        "emergency option used after the last year",
        lambda: emergency_option(last_year="2031"),
        Problem("emergency_options.csv", 2, "last_year", "2031 is outside the horizon 2026-2030"),
    ),
    Case(
        windows.no_start_year,
        "latest start before the predecessor can be in service",
        lambda: RawTiny().cell("candidates", 6, "latest_start", "2026"),
        Problem(
            C,
            6,
            "earliest_start",
            "candidate 'PS-NORTH' has no possible start year: earliest 2027 > latest 2026 "
            "(spending over 1 year(s) must end by 2030; its predecessors' earliest in-service years)",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_fires(case: Case) -> None:
    ctx = check(case.build().raw)
    assert isinstance(ctx, Context)
    assert case.expected in ctx.fired.get(case.rule.__name__, []), sorted(ctx.problems)
    with pytest.raises(ScenarioError):
        parse(case.build().raw)


# ======================================================================================
# Warnings: the scenario is valid (parse gives a Scenario that carries them)
# ======================================================================================
P = "population.csv"
NO_PLAN = "No plan is possible: run reports the scenario infeasible"

WARNING_CASES = [
    Case(
        spelling.fold_references,
        "age group typed with an Excel en dash",
        lambda: RawTiny().cell("population", 2, "age_group", "1\u20135"),
        Problem(P, 2, "age_group", "'1\u20135' read as '1-5' ('\u2013' (U+2013) taken as '-')"),
    ),
    Case(
        spelling.fold_references,
        "pool typed in capitals",
        lambda: RawTiny().cell("candidates", 2, "pool", "Tax"),
        Problem(C, 2, "pool", "'Tax' read as 'tax' (letter case)"),
    ),
    Case(
        plausible.ceilings_in_msek,
        "one budget ceiling typed in thousands of kronor",
        lambda: RawTiny().cell("budgets", 4, "ceiling", "80000"),
        Problem(
            "budgets.csv",
            4,
            "ceiling",
            "funding pool 'tax': the ceiling for 2028 is 8 000× the largest investment that "
            "draws on it (10 MSEK); amounts are in MSEK: was it typed in kronor or thousands "
            "of kronor?",
        ),
    ),
    Case(
        plausible.capex_per_unit,
        "capex a hundred times that of the other preschools",
        lambda: RawTiny().cell("candidates", 6, "capex", "600"),
        Problem(
            C,
            6,
            "capex",
            "600 MSEK for 10 places of preschool is 60 MSEK per unit, 150× the median of the "
            "other preschool candidates (0.4): a slip in capex or capacity?",
        ),
    ),
    Case(
        plausible.yearly_rows_in_horizon,
        "budget row for a year after the horizon",
        lambda: RawTiny().add_row("budgets", pool="tax", year="2031", ceiling="8"),
        Problem(
            "budgets.csv",
            12,
            "year",
            "a row for 2031, outside the horizon 2026-2030: ignored (was first_year or "
            "last_year meant to change?)",
        ),
    ),
    Case(
        plausible.forced_within_ceilings,
        "committed project needing more than its pool's ceiling",
        lambda: (
            RawTiny()
            .cell("candidates", 5, "capex", "6")
            .cell("candidates", 5, "committed_start", "2027")
        ),
        Problem(
            C,
            5,
            "capex",
            "committed project 'WATER-EXT' (start 2027) alone needs 3 MSEK from pool 'va' in "
            f"2027 (net of grants); its ceiling: 2 MSEK. {NO_PLAN}",
        ),
    ),
    Case(
        plausible.forced_within_ceilings,
        "must-do project needing more than the ceiling in every start year",
        lambda: (
            RawTiny().cell("candidates", 2, "capex", "20").cell("candidates", 2, "must_do", "yes")
        ),
        Problem(
            C,
            2,
            "capex",
            "must-do project 'PS-NEW' (any start 2026-2028; started in 2026) alone needs 10 MSEK "
            f"from pool 'tax' in 2026 (net of grants); its ceiling: 8 MSEK. {NO_PLAN}",
        ),
    ),
]


@pytest.mark.parametrize("case", WARNING_CASES, ids=[c.name for c in WARNING_CASES])
def test_warning_fires(case: Case) -> None:
    ctx = check(case.build().raw)
    assert isinstance(ctx, Context) and ctx.problems == [], sorted(ctx.problems)
    assert case.expected in ctx.warned.get(case.rule.__name__, []), sorted(ctx.warnings)
    assert case.expected in parse(case.build().raw).warnings


def test_must_do_that_fits_in_a_later_year_gives_no_warning() -> None:
    """PS-NEW needs 6 a year over two years, starting 2026-2028. With 5 in 2026-2028 no start
    fits; with 6 in 2028 a start in 2028 (spending 2028-2029) does."""
    tiny = RawTiny().cell("candidates", 2, "capex", "12").cell("candidates", 2, "must_do", "yes")
    for row in (2, 3, 4):
        tiny.cell("budgets", row, "ceiling", "5")
    assert "forced_within_ceilings" in check(tiny.raw).warned
    tiny.cell("budgets", 4, "ceiling", "6")
    assert check(tiny.raw).warnings == []


def test_pool_that_carries_over_is_compared_with_what_it_saved() -> None:
    """va carries over: 2 + 2 saved by 2027 covers WATER-EXT's 3 in 2027."""
    tiny = (
        RawTiny()
        .cell("candidates", 5, "capex", "6")
        .cell("candidates", 5, "committed_start", "2027")
        .settings(lambda s: s["pools"][1].update(carry_over=True))
    )
    assert check(tiny.raw).warnings == []


def test_two_ids_that_fold_alike_are_not_folded() -> None:
    """Pools 'tax' and 'TAX': 'Tax' could be either, so it stays unknown and listed."""
    tiny = RawTiny().settings(lambda s: s["pools"].append({"id": "TAX"}))
    found = problems(tiny.cell("candidates", 2, "pool", "Tax"))
    assert (
        Problem(
            C,
            2,
            "pool",
            "unknown funding pool 'Tax'; did you mean 'TAX' or 'tax'? (known: TAX, tax, va)",
        )
        in found
    )


def test_folded_text_treats_dashes_and_no_break_spaces_as_typed_plainly() -> None:
    assert spelling.folded("S\u00f6dra\u00a0byar \u2013 1\u20115") == "s\u00f6dra byar - 1-5"
    assert spelling.differences("S\u00f6dra\u00a0Byar", "s\u00f6dra byar") == (
        "a non-breaking space taken as a space, letter case"
    )


def test_every_registered_rule_has_a_case_that_fires_it() -> None:
    tested = {case.rule for case in CASES + WARNING_CASES}
    assert [rule.__name__ for rule in RULES + WARNINGS if rule not in tested] == []


def test_tiny_passes_every_rule_and_gives_a_scenario() -> None:
    ctx = check(RawTiny().raw)
    assert isinstance(ctx, Context) and ctx.problems == [] and ctx.fired == {}
    assert ctx.warnings == []
    assert [c.id for c in parse(RawTiny().raw).candidates][:2] == ["PS-NEW", "PS-EXT"]


# ======================================================================================
# Rules of one row or of the settings: validators in optimizer.schema
# ======================================================================================
ROW_RULES = [
    (
        "spend profile with a negative share",
        lambda t: t.cell("candidates", 2, "spend_profile", "-0.5|0.4"),
        [
            Problem(C, 2, "spend_profile", "has a negative share"),
            Problem(C, 2, "spend_profile", "shares sum to -0.1, not 1"),
        ],
    ),
    (
        "spend profile longer than the lead time",
        lambda t: t.cell("candidates", 3, "spend_profile", "0.5|0.5"),
        [Problem(C, 3, "spend_profile", "spends over 2 years but the lead time is 1")],
    ),
    (
        "latest start before earliest start",
        lambda t: t.cell("candidates", 4, "earliest_start", "2028").cell(
            "candidates", 4, "latest_start", "2027"
        ),
        [Problem(C, 4, "latest_start", "2027 is before earliest_start 2028")],
    ),
    (
        "dependency of an unknown kind on itself",
        lambda t: t.cell("dependencies", 2, "kind", "before").cell(
            "dependencies", 2, "requires", "PS-NORTH"
        ),
        [
            Problem(
                "dependencies.csv",
                2,
                "kind",
                "'before' is not one of in_service_before_start, in_service_when_opens",
            ),
            Problem(
                "dependencies.csv", 2, "requires", "candidate 'PS-NORTH' cannot depend on itself"
            ),
        ],
    ),
    (
        "project under way spending more than its capex, with a spend profile",
        lambda t: project_under_way("2027", "11").cell("candidates", 2, "spend_profile", "1"),
        [
            Problem(
                C, 2, "spend_profile", "a project under way spends its remaining_spend instead"
            ),
            Problem(C, 2, "remaining_spend", "sums to 11 MSEK, more than capex 10"),
        ],
    ),
    (
        "remaining spend without an in-service year",
        lambda t: project_under_way("", "2"),
        [
            Problem(
                C,
                2,
                "in_service_year",
                "is empty, but remaining_spend says the project is under way",
            )
        ],
    ),
    (
        "asset closed early only after it retires",
        lambda t: t.add_column("existing_assets", "earliest_closure").cell(
            "existing_assets", 2, "earliest_closure", "2029"
        ),
        [
            Problem(
                "existing_assets.csv",
                2,
                "earliest_closure",
                "2029 is not before retirement_year 2029",
            )
        ],
    ),
    (
        "emergency option of an unknown kind",
        lambda t: emergency_option(kind="tent"),
        [
            Problem(
                "emergency_options.csv",
                2,
                "kind",
                "'tent' is not one of pavilion, bought_places, transport, other",
            )
        ],
    ),
    (
        "last year before first year",
        lambda t: t.settings(lambda s: s["scenario"].update(last_year=2025)),
        [Problem(S, None, "scenario.last_year", "2025 is before first_year 2026")],
    ),
    (
        "two departments with one id",
        lambda t: t.settings(lambda s: s["departments"][1].update(id="BUF")),
        [
            Problem(S, None, "departments[2].id", "duplicate departments id 'BUF'"),
            Problem(S, None, "services[2].department", "unknown department 'TEK' (known: BUF)"),
            Problem(C, 5, "department", "unknown department 'TEK' (known: BUF)"),
        ],
    ),
    (
        "service without a demand rule",
        lambda t: t.settings(lambda s: s["services"][1].update(demand_rates={})),
        [Problem(S, None, "services[2].demand_rates", "gives no demand rule")],
    ),
    (
        "neighbour, debt pool and variant table that do not exist",
        lambda t: t.settings(
            lambda s: (
                s.update(districts=[{"id": "n", "neighbours": ["s"]}], debt={"pools": ["loan"]})
                or s["variants"]["high"].update(tables={"budget": "budgets"})
            )
        ),
        [
            Problem(S, None, "debt.pools", "unknown pool 'loan' (known: tax, va)"),
            Problem(S, None, "districts[1].neighbours", "unknown district 's' (known: n)"),
            Problem(
                S,
                None,
                "variants.high.tables",
                "unknown table 'budget'; did you mean 'budgets'? (known: budgets, "
                "candidate_capacity, candidates, department_budgets, dependencies, "
                "emergency_options, existing_assets, other_investments, policy_years, "
                "population, staff)",
            ),
        ],
    ),
]


@pytest.mark.parametrize("name, edit, expected", ROW_RULES, ids=[r[0] for r in ROW_RULES])
def test_row_and_settings_rules(name: str, edit, expected: list[Problem]) -> None:
    assert problems(edit(RawTiny())) == ScenarioError(expected).problems


def test_a_row_breaking_its_own_rule_raises_when_built_in_code() -> None:
    tiny = RawTiny().raw.tables["candidates"].rows[0][1]
    cells = {k: v for k, v in tiny.items() if not schema._blank(v)}
    with pytest.raises(ValidationError, match="shares sum to 0.9, not 1"):
        schema.Candidate.model_validate({**cells, "spend_profile": "0.5|0.4"})
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        schema.Dependency(candidate="A", requires="A")


def test_settings_breaking_their_rules_raise_when_built_in_code() -> None:
    raw = RawTiny().settings(lambda s: s["scenario"].update(last_year=2020)).raw
    with pytest.raises(ValidationError, match="2020 is before first_year 2026"):
        schema.Settings.model_validate(raw.settings)


# ======================================================================================
# One root cause, one message
# ======================================================================================
def test_misspelt_key_column_gives_the_header_problems_only() -> None:
    """Östersund's candidates with 'Id' for 'id': two problems on the header row, not one
    "unknown candidate" for each of the 47 capacity and 20 dependency references."""
    tiny = RawTiny(ROOT / "scenarios" / "ostersund-2040").rename_column("candidates", "id", "Id")
    found = problems(tiny)
    assert [(p.file, p.row, p.field) for p in found] == [(C, 1, "Id"), (C, 1, "id")]
    assert found[0].message.startswith("is not a known column; known columns: id, name,")
    assert found[1].message == "column is missing"


def test_missing_column_still_checks_the_other_cells_and_the_references() -> None:
    tiny = (
        RawTiny()
        .rename_column("candidates", "capex", "kostnad")
        .cell("candidates", 3, "lead_time", "1,5")
        .cell("candidate_capacity", 4, "candidate", "PS-BIG")
    )
    found = problems(tiny)
    assert [(p.file, p.row, p.field) for p in found] == [
        ("candidate_capacity.csv", 4, "candidate"),
        (C, 1, "capex"),
        (C, 1, "kostnad"),
        (C, 3, "lead_time"),
    ]
    assert found[0].message.startswith("unknown candidate 'PS-BIG' (known: PS-EXT,")
    assert found[1].message == "column is missing"
    assert found[2].message.startswith("is not a known column")
    assert found[3].message == "'1,5' must be a whole number"


def test_missing_candidates_table_gives_one_problem() -> None:
    assert problems(RawTiny().drop_table("candidates")) == [
        Problem(C, None, None, "is missing: this table is required")
    ]


def test_bad_cell_keeps_the_candidate_known() -> None:
    """WATER-EXT's capex is bad: its capacity row and PS-NORTH's dependency on it are fine."""
    assert problems(RawTiny().cell("candidates", 5, "capex", "tio")) == [
        Problem(C, 5, "capex", "'tio' is not a number")
    ]


def test_bad_id_cell_gives_no_unknown_candidate_elsewhere() -> None:
    assert problems(RawTiny().cell("candidates", 5, "id", " ")) == [
        Problem(C, 5, "id", "is empty but a value is required")
    ]


def test_unknown_reference_is_still_reported_next_to_a_bad_cell() -> None:
    tiny = (
        RawTiny().cell("candidates", 2, "capex", "tio").cell("dependencies", 2, "requires", "WATER")
    )
    assert problems(tiny) == [
        Problem(C, 2, "capex", "'tio' is not a number"),
        Problem(
            "dependencies.csv",
            2,
            "requires",
            "unknown candidate 'WATER'; did you mean 'WATER-EXT'? "
            "(known: PS-EXT, PS-MOD, PS-NEW, PS-NORTH, WATER-EXT)",
        ),
    ]


def test_bad_year_cell_gives_no_missing_year() -> None:
    tiny = RawTiny().cell("budgets", 3, "year", "2027 e.Kr.").cell("population", 3, "year", "x")
    assert problems(tiny) == [
        Problem("budgets.csv", 3, "year", "'2027 e.Kr.' is not a number"),
        Problem("population.csv", 3, "year", "'x' is not a number"),
    ]


def test_bad_ceiling_keeps_its_year_present() -> None:
    assert problems(RawTiny().cell("budgets", 9, "ceiling", "nan")) == [
        Problem("budgets.csv", 9, "ceiling", "'nan' is not a finite number")
    ]


def test_missing_year_is_still_reported_next_to_a_bad_cell_of_another_pool() -> None:
    tiny = RawTiny().cell("budgets", 3, "year", "x").drop_rows("budgets", 11)
    assert problems(tiny) == [
        Problem("budgets.csv", None, "year", "pool 'va' has no budget for 2030"),
        Problem("budgets.csv", 3, "year", "'x' is not a number"),
    ]


def test_last_year_before_first_year_gives_one_problem() -> None:
    tiny = RawTiny().settings(lambda s: s["scenario"].update(last_year=2025))
    assert problems(tiny) == [
        Problem(S, None, "scenario.last_year", "2025 is before first_year 2026")
    ]
