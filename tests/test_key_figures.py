"""Key figures per year (optimizer/tables.py ``key_figures``; docs/model.md, finance) and their
place in every report; prices (a nominal interest rate made real with the price index); HiGHS
and CBC on a small finance case.

Tiny with [debt] (interest 0, the tax pool borrows) and [finance] as in
tests/test_block_finance.py: revenue 10…10.8 MSEK, existing net cost 9…9.8 MSEK. With the
balance requirement the optimum is PS-NEW 2026, WATER-EXT 2027 (VA, 50 % grant), PS-NORTH 2028.
"""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console
from scenario_factory import RawTiny
from test_block_finance import finance

from optimizer.compare import CompareEntry, compare_plans
from optimizer.data import build_data
from optimizer.io.results import plan_to_dict
from optimizer.report import key_figures as kf
from optimizer.report.compare import build_compare_workbook, render_compare_html
from optimizer.report.excel import build_plan_workbook
from optimizer.report.excel_sheet import sheet_title
from optimizer.report.html import render_plan_html
from optimizer.report.i18n import TEXT, translator
from optimizer.report.terminal import print_summary
from optimizer.run import run_scenario, solve_settings_for

BALANCE = finance(("result_target_share", 0))
# 31 % as every percentage in the reports: a no-break space in Swedish, none in English (the
# English terminal wrote "31 %" here and "79%" in the budget table above it)
PERCENT_31 = {"sv": "31\u00a0%", "en": "31%"}


@pytest.fixture(scope="module")
def balanced():
    scenario = BALANCE(RawTiny()).scenario()
    return scenario, run_scenario(scenario)


def test_key_figures_of_the_balanced_plan_by_hand(balanced) -> None:
    _, plan = balanced
    key = plan.tables["key_figures"].set_index("year")
    # net spend, every pool: PS-NEW 5+5, WATER-EXT 3·(1−0.5) = 1.5 in 2027, PS-NORTH 6
    assert key["investment_candidates"].tolist() == pytest.approx([5, 6.5, 6, 0, 0])
    assert key["investment_other"].tolist() == pytest.approx([0] * 5)
    # result = 1 − depreciation of the tax pool's candidates (PS-NEW 0.25 from 2028,
    # PS-NORTH 0.15 from 2029); the water main is VA, outside the scope
    assert key["result"].tolist() == pytest.approx([1, 1, 0.75, 0.6, 0.6])
    assert key["self_financing"].tolist() == pytest.approx([1, 1, 1, 1, 1])
    # the rate is on the tax pool's investment: 1/5, 1/5, 1/6; no investment: none
    assert key["self_financing_rate"].iloc[:3].tolist() == pytest.approx([0.2, 0.2, 1 / 6])
    assert np.isnan(key["self_financing_rate"].iloc[3:]).all()
    assert key["inhabitants"].tolist() == pytest.approx([100, 102, 104, 106, 108])
    assert (key["debt"] >= [4, 8, 13, 12, 11]).all()  # at least the borrowing the floor forces
    per_inhabitant = key["debt"] / key["inhabitants"] * 1e6
    assert key["debt_per_inhabitant"].tolist() == pytest.approx(per_inhabitant.tolist())
    assert key["price_index"].tolist() == [1.0] * 5
    # over the period: 5 MSEK of cash flow for the tax pool's 5 + 5 + 6 invested
    assert key["investment_financed"].tolist() == pytest.approx([5, 5, 6, 0, 0])
    assert kf.period_self_financing_rate(key.reset_index()) == pytest.approx(5 / 16)


def test_other_investment_counts_in_the_frame_and_its_depreciation_in_the_result() -> None:
    def edit(tiny):
        return BALANCE(tiny).table(
            "other_investments", "year,pool,amount,lifetime,description", "2026,tax,0.4,2,IT"
        )

    plan = run_scenario(edit(RawTiny()).scenario())
    key = plan.tables["key_figures"].set_index("year")
    assert key["investment_other"].tolist() == pytest.approx([0.4, 0, 0, 0, 0])
    assert key.loc[2026, "investment"] == pytest.approx(
        key.loc[2026, "investment_candidates"] + 0.4
    )
    assert key.loc[2026, "depreciation"] - key.loc[2028, "depreciation"] == pytest.approx(
        0.2 - 0.25
    )


def test_a_nominal_interest_rate_is_made_real_with_the_price_index() -> None:
    def nominal(index_column: bool):
        def edit(tiny):
            tiny = BALANCE(tiny).settings(
                lambda s: s["debt"].update(interest_rate=0.05, interest_rate_kind="nominal")
            )
            if index_column:
                return tiny.yearly(
                    "policy_years",
                    "year,existing_net_cost,price_index",
                    lambda y: f"{y},{9 + 0.2 * (y - 2026):.1f},{1.02 ** (y - 2026)}",
                )
            return tiny.settings(lambda s: s["finance"].update(inflation=0.02))

        return edit

    for index_column in (True, False):
        data = build_data(nominal(index_column)(RawTiny()).scenario())
        assert data.money.interest_rate == pytest.approx([1.05 / 1.02 - 1] * 5)
        assert data.money.price_index == pytest.approx([1.02**k for k in range(5)])


def test_nominal_figures_only_with_a_price_index(balanced) -> None:
    scenario, plan = balanced
    assert TEXT["sv"]["kf_result_nominal"] not in render_plan_html(plan, scenario, "sv")
    edit = lambda tiny: BALANCE(tiny).settings(lambda s: s["finance"].update(inflation=0.02))  # noqa: E731
    indexed = edit(RawTiny()).scenario()
    plan = run_scenario(indexed)
    key = plan.tables["key_figures"]
    assert key["debt_nominal"].tolist() == pytest.approx(
        (key["debt"] * key["price_index"]).tolist()
    )
    assert TEXT["sv"]["kf_result_nominal"] in render_plan_html(plan, indexed, "sv")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_plan_report_shows_the_key_figures(balanced, lang: str) -> None:
    scenario, plan = balanced
    t = translator(lang)
    html = render_plan_html(plan, scenario, lang)
    for label in ("kf_investment_candidates", "kf_investment_other", "kf_self_financing_rate",
                  "kf_result", "kf_debt", "kf_debt_per_inhabitant"):  # fmt: skip
        assert t(label) in html, label
    workbook = build_plan_workbook(plan, scenario, lang)
    sheet = workbook[sheet_title(t, "key_figures")]
    headers = [c.value for c in sheet[1]]
    assert t("kf_self_financing_rate") in headers and t("kf_debt_per_inhabitant") in headers
    result = [row[headers.index(t("kf_result"))] for row in sheet.iter_rows(2, 6, values_only=True)]
    assert result == pytest.approx([1, 1, 0.75, 0.6, 0.6])
    period = t("kf_period_self_financing", first=2026, last=2030, rate=PERCENT_31[lang])
    assert period in html and period in [c.value for c in sheet["A"]]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_terminal_summary_shows_the_key_figures_in_the_report_language(balanced, lang) -> None:
    _, plan = balanced
    console = Console(record=True, width=160)
    print_summary(plan, console, lang=lang)
    text = console.export_text()
    t = translator(lang)
    assert t("kf_terminal_title") in text
    for header in ("kft_investment_candidates", "kft_investment_other", "kft_result",
                   "kft_self_financing_rate", "kft_debt", "kft_debt_per_inhabitant"):  # fmt: skip
        assert t(header) in text, header
    assert ("20\u00a0%" if lang == "sv" else "20%") in text  # 2026: 1 of 5
    assert ("13,0" if lang == "sv" else "13.0") in text  # the 2028 debt, in the language's way
    assert ("Nyckeltal per år" in text) == (lang == "sv")
    assert t("kf_period_self_financing", first=2026, last=2030, rate=PERCENT_31[lang]) in text


def test_closures_and_emergency_options_are_paid_from_the_result() -> None:
    """As the emergency case of tests/test_block_finance.py, with PS-OLD closing for 0.5 MSEK
    in 2029: the pavilions (0.1 MSEK per place and year) and the closure lower the result of
    their year by what they cost, so the balance requirement rents fewer places in 2029; every
    report shows both."""

    def edit(tiny):
        tiny = tiny.add_column("existing_assets", "closure_cost")
        tiny.cell("existing_assets", 2, "closure_cost", 0.5)
        return BALANCE(
            tiny.table(
                "emergency_options", "id,service,cost,max_units", "PAVILION,preschool,0.1,10"
            )
        )

    scenario = edit(RawTiny()).scenario()
    plan = run_scenario(scenario)  # the independent checker agrees (run_scenario checks)
    key = plan.tables["key_figures"].set_index("year")
    assert key["closure_costs"].tolist() == pytest.approx([0, 0, 0, 0.5, 0])
    emergency = plan.tables["emergency"].groupby("year")["cost"].sum()
    assert key["emergency_costs"].tolist() == pytest.approx(
        emergency.reindex(key.index, fill_value=0).tolist()
    )
    before = [1, 1, 0.75, 0.6, 0.6]  # the balanced plan's result without them
    assert key["result"].tolist() == pytest.approx(
        (np.array(before) - key["closure_costs"] - key["emergency_costs"]).tolist()
    )
    assert (key["result"] >= -1e-9).all()  # the balance requirement still holds
    for lang in ("sv", "en"):
        t = translator(lang)
        html = render_plan_html(plan, scenario, lang)
        assert t("kf_closure_costs") in html and t("kf_emergency_costs") in html


def test_the_finance_scope_leaves_out_services_of_a_fee_financed_pool_kept_apart() -> None:
    """With debt.pools = [tax], water (built only by the VA pool) keeps its own money: its
    closures and emergency options are outside the result; preschool is inside; with every
    pool borrowing, everything is inside."""
    scoped = finance()(RawTiny()).scenario()
    assert scoped.in_finance_scope("preschool") and not scoped.in_finance_scope("water")
    every = finance()(RawTiny()).settings(lambda s: s["debt"].update(pools=[])).scenario()
    assert every.in_finance_scope("preschool") and every.in_finance_scope("water")


def test_results_folder_and_plan_json_have_the_key_figures(balanced) -> None:
    _, plan = balanced
    records = plan_to_dict(plan)["key_figures"]
    assert [r["year"] for r in records] == [2026, 2027, 2028, 2029, 2030]
    assert records[2]["result"] == pytest.approx(0.75)
    assert records[4]["self_financing_rate"] is None  # nothing invested in 2030


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_compare_shows_key_figures_year_by_year(balanced, lang: str) -> None:
    scenario, plan = balanced
    free = finance()(RawTiny()).scenario()
    entries = [
        CompareEntry("balanced", scenario, plan),
        CompareEntry("free", free, run_scenario(free)),
    ]
    comparison = compare_plans(entries, lang=lang)
    t = translator(lang)
    assert comparison.metric("result_2029").values == pytest.approx(
        [0.6, 1 - 1 - 0.25 - 0.15 - 2 / 3]
    )
    assert comparison.metric("self_financing_rate_2026").values == pytest.approx([0.2, 0.2])
    assert comparison.metric("investment_candidates_2027").values == pytest.approx([6.5, 6.5])
    assert comparison.metric("investment_other_2027").values == pytest.approx([0, 0])
    assert comparison.metric("self_financing_rate_period").values[0] == pytest.approx(5 / 16)
    label = t("kf_in_year", figure=t("kf_result"), year=2029)
    assert label in render_compare_html(comparison, lang)
    sheet = build_compare_workbook(comparison, lang).worksheets[0]
    assert label in [c.value for c in sheet["A"]]


def test_highs_and_cbc_agree_on_a_finance_case() -> None:
    scenario = finance(("result_target_share", 0), ("debt_per_inhabitant", 140000))(
        RawTiny()
    ).scenario()
    highs = run_scenario(scenario, solve_settings_for(scenario, solver="highs"))
    cbc = run_scenario(scenario, solve_settings_for(scenario, solver="cbc"))
    assert highs.status == cbc.status == "optimal"
    assert cbc.objective == pytest.approx(highs.objective, abs=1e-6)
    assert cbc.starts == highs.starts


def test_the_budget_table_counts_the_other_investment_in_the_frame() -> None:
    """The ceiling is the whole frame: 0.4 MSEK of IT in 2026 loads the tax pool beside PS-NEW's
    5 MSEK, so the frame's use is 5.4 and the headroom is 0.4 smaller than the candidates' alone
    (a budget-cut Östersund showed 'tax 39 %' in years where its frame bound)."""
    base = run_scenario(BALANCE(RawTiny()).scenario())
    plan = run_scenario(
        BALANCE(RawTiny())
        .table("other_investments", "year,pool,amount,lifetime,description", "2026,tax,0.4,2,IT")
        .scenario()
    )
    budget = plan.tables["budget"].set_index(["pool", "year"])
    before = base.tables["budget"].set_index(["pool", "year"])
    assert budget.loc[("tax", 2026), ["spend", "other", "frame_spend"]].tolist() == pytest.approx(
        [before.loc[("tax", 2026), "spend"], 0.4, before.loc[("tax", 2026), "spend"] + 0.4]
    )
    assert budget.loc[("tax", 2026), "headroom"] == pytest.approx(
        before.loc[("tax", 2026), "headroom"] - 0.4
    )
    console = Console(record=True, width=160)
    print_summary(plan, console=console, lang="en")
    said = console.export_text()
    assert "candidates" in said and "other" in said
