"""What a finance officer or a politician reads in the outputs of a run and a replan.

Each test is named after what the reader saw: the exact sentence or figure a report showed wrongly
before and shows now (report.html, plan.xlsx, what-changed.html and the terminal line, in Swedish
and English).
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent))
from report_scenarios import TINY, cli_runner  # noqa: E402
from scenario_factory import tiny_committed_with_tight_budgets  # noqa: E402

from optimizer import load_scenario  # noqa: E402
from optimizer.report.excel import build_plan_workbook  # noqa: E402
from optimizer.report.excel_sheet import sheet_title  # noqa: E402
from optimizer.report.html import render_plan_html  # noqa: E402
from optimizer.report.i18n import status_sentence, translator  # noqa: E402
from optimizer.report.terminal import status_text  # noqa: E402
from optimizer.run import run_scenario  # noqa: E402

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def tiny():
    scenario = load_scenario(TINY)
    return scenario, run_scenario(scenario)


@pytest.fixture
def capplan(monkeypatch, capsys, tmp_path):
    return cli_runner(monkeypatch, capsys, tmp_path)


def status_block(html: str) -> str:
    return re.search(r'<section class="status .*?</section>', html, re.S).group(0)


# ----------------------------------------------------------------------------------------
# the gap of an optimal plan
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "gap"), [("sv", f"0,0017{NBSP}%"), ("en", "0.0017%")], ids=["sv", "en"]
)
def test_optimal_plan_with_a_small_gap_states_that_gap_not_0_00_percent(tiny, lang, gap):
    """Östersund trend ends at a gap of 1.66e-5: the terminal said "gap 0,0017 %", report.html
    and plan.xlsx "inom ett relativt gap på 0,00 %" (a proof the solver did not give)."""
    scenario, plan = tiny
    proven = dataclasses.replace(plan, gap=1.6558e-5)
    assert gap in status_text(proven, lang)
    sentence = status_sentence(proven, lang)
    assert gap in sentence
    assert f"0,00{NBSP}%" not in sentence and "0.00%" not in sentence
    block = status_block(render_plan_html(proven, scenario, lang))
    assert f"{translator(lang)('gap')}: {gap}" in block
    assert f"0,00{NBSP}%" not in block and "0.00%" not in block
    workbook = build_plan_workbook(proven, scenario, lang)
    summary = workbook[sheet_title(translator(lang), "summary")]
    cells = {row[0].value: row[1] for row in summary.iter_rows(min_row=3, max_col=2)}
    assert gap in cells[translator(lang)("status")].value
    assert cells[translator(lang)("gap")].number_format == "0.00##%"  # Excel shows 0.0017%


def test_a_gap_of_solver_noise_reads_0_00_percent_not_fifteen_decimals(tiny):
    """A replan's plan came back with a gap of 1.4e-16: 0,00 %, not 0,000000000000014 %."""
    scenario, plan = tiny
    noise = dataclasses.replace(plan, gap=1.4e-16)
    assert status_sentence(noise, "sv").endswith(f"inom ett relativt gap på 0,00{NBSP}%.")
    assert status_text(noise, "en") == "optimal (proven, gap 0.00%)"


# ----------------------------------------------------------------------------------------
# shadow prices
# ----------------------------------------------------------------------------------------


def test_report_html_says_how_many_more_shadow_prices_and_where_to_find_them(tiny):
    """Östersund's report.html ended its 12 shadow prices with a bare "136 …"."""
    scenario, plan = tiny
    prices = plan.tables["shadow_prices"]
    many = pd.concat([prices] * 4, ignore_index=True)  # 16 rows: 4 beyond the 12 shown
    plan = dataclasses.replace(plan, tables={**plan.tables, "shadow_prices": many})
    sv = render_plan_html(plan, scenario, "sv")
    assert (
        "4 bindande gränser till: bladet Skuggpriser i plan.xlsx och shadow_prices.csv tar upp "
        "alla." in sv
    )
    assert "4 …" not in sv
    en = render_plan_html(plan, scenario, "en")
    assert (
        "4 more binding limits: the Shadow prices sheet of plan.xlsx and shadow_prices.csv list "
        "them all." in en
    )


def test_one_more_shadow_price_is_one_more_binding_limit_not_limits(tiny):
    scenario, plan = tiny
    prices = plan.tables["shadow_prices"]
    thirteen = pd.concat([prices] * 3 + [prices.head(1)], ignore_index=True)
    plan = dataclasses.replace(plan, tables={**plan.tables, "shadow_prices": thirteen})
    assert (
        "1 bindande gräns till: bladet Skuggpriser i plan.xlsx och shadow_prices.csv tar upp den."
        in render_plan_html(plan, scenario, "sv")
    )
    assert (
        "1 more binding limit: the Shadow prices sheet of plan.xlsx and shadow_prices.csv list it."
        in render_plan_html(plan, scenario, "en")
    )


def test_shadow_prices_sheet_names_each_limit_in_words_not_by_its_row_name(tiny, tmp_path):
    """plan.xlsx's Skuggpriser sheet showed "budget[tax,2028]" and "coverage[preschool,2027]"
    under Gräns and the model's block name ("budget") under Slag."""
    scenario, plan = tiny
    expected = {
        "sv": (
            "Budgetramen för Tax-financed 2028",
            "Täckningen av Preschool places 2027",
            "1 plats mer kapacitet för Preschool places 2027 sänker den totala kostnaden med "
            "1 MSEK (med de valda projekten låsta)",
        ),
        "en": (
            "The Tax-financed budget in 2028",
            "Covering Preschool places in 2027",
            "1 place more capacity for Preschool places in 2027 lowers total cost by 1 MSEK "
            "(with the chosen projects fixed, their start years relaxed to the LP)",
        ),
    }
    for lang, (budget, coverage, meaning) in expected.items():
        t = translator(lang)
        path = tmp_path / f"plan-{lang}.xlsx"
        build_plan_workbook(plan, scenario, lang).save(path)
        ws = load_workbook(path)[sheet_title(t, "shadow_prices")]
        assert [c.value for c in ws[2]] == [
            t("constraint"),
            t("value_of_one_more_unit"),
            t("unit"),
            t("meaning"),
        ]
        body = [row for row in ws.iter_rows(min_row=3, values_only=True)]
        limits = [row[0] for row in body]
        assert budget in limits and coverage in limits
        assert meaning in [row[3] for row in body]
        cells = [str(v) for row in body for v in row if v is not None]
        assert not [c for c in cells if re.search(r"\w\[[^\]]*\]", c)]  # no budget[tax,2028]
        assert [row[1] for row in body] == pytest.approx(
            list(plan.tables["shadow_prices"]["value_of_one_more_unit"])
        )


def test_english_report_names_the_service_of_a_shadow_price_not_its_id(tiny):
    """The English report.html read "1 place more capacity for preschool in 2027" (the id), the
    Swedish one "för Preschool places" (the name)."""
    scenario, plan = tiny
    html = render_plan_html(plan, scenario, "en")
    assert "1 place more capacity for Preschool places in 2027 lowers total cost by 1 MSEK" in html
    assert "capacity for preschool in" not in html


# ----------------------------------------------------------------------------------------
# assumptions
# ----------------------------------------------------------------------------------------


def test_english_assumptions_say_a_missing_unit_not_a_missing_places(tiny):
    """The English report.html said "A missing places in Förskoleplatser costs 0.25 MSEK a year";
    it now reads as the Swedish "En saknad enhet (platser) inom …" does."""
    scenario, plan = tiny
    en = render_plan_html(plan, scenario, "en")
    assert "A missing unit (places) in Preschool places costs 1 MSEK a year" in en
    assert "A missing unit (pe) in Water supply costs 1 MSEK a year" in en
    assert "A missing places" not in en
    sv = render_plan_html(plan, scenario, "sv")
    assert "En saknad enhet (platser) inom Preschool places kostar 1 MSEK per år" in sv


# ----------------------------------------------------------------------------------------
# what-changed.html
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "which would make 1 change"), ("sv", "som skulle göra 1 ändring")],
    ids=["en", "sv"],
)
def test_a_free_replan_making_one_change_is_said_to_make_1_change(lang, words):
    """what-changed.html and the replan's terminal read "…, which would make 1 changes"."""
    from optimizer.replan_attribution import Attribution
    from optimizer.report.changes import attribution_lines

    attribution = Attribution(
        method="alone", groups=[], stability_price=5.0, unchanged_cost=60.0, cost=79.2,
        stability_paid=5.0, free_cost=79.2, free_changes=1,
    )  # fmt: skip
    (line,) = attribution_lines(attribution, translator(lang), lang)
    assert line.endswith(words)
    two = dataclasses.replace(attribution, free_changes=2)
    (line,) = attribution_lines(two, translator(lang), lang)
    assert line.endswith("which would make 2 changes" if lang == "en" else "göra 2 ändringar")


def test_replan_with_unchanged_inputs_does_not_say_the_inputs_are_missing(capplan, tmp_path):
    """A replan of a run with the same inputs: what-changed.html said "Den antagna planen har
    ingen kopia av sina indata" above "Indata är oförändrade", though the run folder holds them."""
    code, _, err = capplan("run", str(TINY), "--out", "adopted", "--quiet")
    assert code == 0, err
    code, out, err = capplan(
        "replan", str(TINY), "--adopted", "adopted", "--year", "2027", "--out", "replan", "--quiet"
    )
    assert code == 0, err
    html = (tmp_path / "replan" / "what-changed.html").read_text(encoding="utf-8")
    assert "Indata är oförändrade." in html
    assert "ingen kopia av sina indata" not in html
    assert "ingen kopia av sina indata" not in out


def test_replan_of_a_plan_without_its_inputs_does_not_say_the_inputs_are_unchanged(
    capplan, tmp_path
):
    """A plan.json copied out of its run folder: nothing is known about its inputs, so the
    report says so once and never "Indata är oförändrade"."""
    code, _, err = capplan("run", str(TINY), "--out", "adopted", "--quiet")
    assert code == 0, err
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "plan.json").write_bytes((tmp_path / "adopted" / "plan.json").read_bytes())
    code, _, err = capplan(
        "replan", str(TINY), "--adopted", str(alone / "plan.json"), "--year", "2027",
        "--out", "replan", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    html = (tmp_path / "replan" / "what-changed.html").read_text(encoding="utf-8")
    assert "Indata är oförändrade." not in html
    assert "Den antagna planen har ingen kopia av sina indata" in html


# ----------------------------------------------------------------------------------------
# budget.csv and the Budget sheet
# ----------------------------------------------------------------------------------------


def test_a_budget_frame_used_in_full_shows_headroom_0_not_minus_0():
    """Östersund trend uses the whole tax frame in 2027: budget.csv said headroom
    -5.684342e-14 and plan.xlsx's Budget sheet "-0,0" MSEK."""
    from shipped_plans import shipped_plan

    _, plan = shipped_plan("ostersund-2040", "trend")
    budget = plan.tables["budget"]
    used_in_full = budget[(budget["pool"] == "tax") & (budget["year"] == 2027)]["headroom"]
    assert used_in_full.tolist() == [0.0]
    assert not np.signbit(used_in_full.iloc[0])
    headroom = budget["headroom"].to_numpy(float)
    assert not ((headroom != 0) & (np.abs(headroom) < 1e-6)).any()


# ----------------------------------------------------------------------------------------
# closures
# ----------------------------------------------------------------------------------------


def test_english_closure_writes_15_000_pe_the_english_way():
    """The English terminal summary (and report.html, plan.xlsx) read "Göviken, äldre
    biologiskt steg från 1966 closes 2035, 15 000 pe" beside "77,901" in the coverage table."""
    from optimizer.report.closures import closure_sentence

    row = pd.Series(
        {
            "name": "Göviken",
            "year": 2035,
            "capacity": 15000.0,
            "kind": "end_of_life",
            "replaced_by": "GOV-ETAPP2",
            "renovated_by": "",
        }  # fmt: skip
    )
    row = next(pd.DataFrame([row]).itertuples(index=False))
    assert closure_sentence(row, "pe", "en") == (
        "Göviken closes 2035, 15,000 pe (end of life; replaced by GOV-ETAPP2)"
    )
    assert closure_sentence(row, "pe", "sv") == (
        f"Göviken stängs 2035, 15{NBSP}000 pe (uttjänt; ersätts av GOV-ETAPP2)"
    )


# ----------------------------------------------------------------------------------------
# the terminal prints Swedish numbers' no-break spaces as spaces
# ----------------------------------------------------------------------------------------


def test_alternatives_terminal_prints_13_6_percent_not_13_6_backslash_xa0(capplan):
    """`capplan alternatives` printed "13,6\\xa0%" (and "2\\xa0473,80" on Östersund) in its
    Swedish table: the report's no-break space was escaped as if it were a hostile character."""
    code, out, err = capplan(
        "alternatives", str(TINY), "--within", "20%", "--count", "1", "--out", "alt"
    )
    assert code == 0, err
    assert "\\xa0" not in out
    assert f"0,0{NBSP}%" in out


def test_swedish_terminal_closure_prints_15_000_pe_not_15_backslash_xa0_000(tiny):
    """A closure of 15 000 pe in the Swedish summary of `capplan run` (Östersund's Göviken)."""
    from rich.console import Console

    from optimizer.report.terminal import print_summary

    scenario, plan = tiny
    closures = plan.tables["closures"].assign(capacity=15000.0)
    plan = dataclasses.replace(plan, tables={**plan.tables, "closures": closures})
    console = Console(record=True, width=200)
    print_summary(plan, console, lang="sv", scenario=scenario)
    text = console.export_text()
    assert f"Old preschool stängs 2029, 15{NBSP}000 platser (uttjänt)" in text
    assert "\\xa0" not in text


# ----------------------------------------------------------------------------------------
# an infeasible run
# ----------------------------------------------------------------------------------------


def test_infeasible_run_says_why_in_swedish_without_english_or_row_names(capplan, tmp_path):
    """`capplan run` of a variant whose budget cannot carry a committed project printed
    "the hard limits conflict" under "Status: ogenomförbar" and ended each reason with the row
    name "(budget[tax,2026])"."""
    folder = tiny_committed_with_tight_budgets(tmp_path)
    code, out, err = capplan("run", str(folder), "--variant", "tight", "--out", "r", "--quiet")
    assert code == 3
    said = " ".join((out + err).split())  # rich wraps long lines
    assert "Ogenomförbar: de hårda gränserna kan inte uppfyllas samtidigt." in said
    assert (
        "• obligatoriska/beslutade projekt PS-NEW behöver 5,0 MSEK 2026; budgetramen för "
        "Tax-financed 2026 är 2,4 MSEK (2,6 MSEK för lite)" in said
    )
    assert "the hard limits conflict" not in said
    assert "budget[tax" not in said


def test_swedish_run_without_a_plan_in_time_says_so_in_swedish(tiny):
    """The Swedish summary printed the run's English "no plan found within 120 s"."""
    from rich.console import Console

    from optimizer.report.terminal import print_summary

    scenario, plan = tiny
    stopped = dataclasses.replace(
        plan,
        status="no_solution",
        message="no plan found within 120 s",
        objective=None,
        bound=None,
        gap=None,
        settings={**plan.settings, "time_limit": 120.0},
    )
    console = Console(record=True, width=200)
    print_summary(stopped, console, lang="sv", scenario=scenario)
    text = console.export_text()
    assert "Status: ingen lösning inom tidsgränsen" in text
    assert "ingen plan hittades inom 120 s" in text
    assert "no plan found" not in text
