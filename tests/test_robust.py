"""capplan robust: one plan across growth paths (docs/robust.md)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scenario_factory import tiny_copy

import optimizer
from optimizer.check.robust import shared_start_problems
from optimizer.data import build_data
from optimizer.errors import EXIT_OK, EXIT_USAGE
from optimizer.model.robust import NONANTICIPATIVITY, RobustOptions, build_robust
from optimizer.robust import ROBUST, first_stage, solve_robust
from optimizer.run import run_scenario, solve_settings_for

LOW_ROWS = "".join(f"low,{y},,1-5,40\nlow,{y},,6+,20\n" for y in range(2026, 2031))
LOW_VARIANT = '[variants.low]\ndescription = "Fewer children."\npopulation = "low"\n'


@pytest.fixture(scope="module")
def tiny_low_high(tmp_path_factory) -> Path:
    """tiny with a third growth path: half the children of base (PS-NEW can wait a year)."""
    return tiny_copy(
        tmp_path_factory.mktemp("robust"),
        toml_extra=LOW_VARIANT,
        append={"population.csv": LOW_ROWS},
    )


def scenarios(folder: Path, *variants: str) -> dict:
    return {v: optimizer.load_scenario(folder, v) for v in variants}


@pytest.fixture(scope="module")
def low_high(tiny_low_high):
    loaded = scenarios(tiny_low_high, "low", "high")
    settings = solve_settings_for(loaded["low"])
    return {
        criterion: solve_robust(loaded, settings, decide_until=2026, criterion=criterion)
        for criterion in ("expected", "regret")
    }


def test_identical_variants_give_the_single_variant_plan(tmp_path):
    folder = tiny_copy(
        tmp_path, toml_extra='[variants.same]\ndescription = "As base."\npopulation = "base"\n'
    )
    loaded = scenarios(folder, "base", "same")
    settings = solve_settings_for(loaded["base"])
    single = run_scenario(loaded["base"], settings)
    result = solve_robust(loaded, settings, decide_until=2027)
    assert result.status == "optimal"
    assert result.core == first_stage(single.starts, 2027)
    for plan in result.plans.values():
        assert plan.starts == single.starts
        assert plan.objective == pytest.approx(single.objective, abs=1e-6)
    assert result.objective == pytest.approx(single.objective, abs=1e-6)


def test_the_core_is_shared_and_later_starts_follow_each_variant(low_high):
    result = low_high["expected"]
    # low alone would start PS-NEW a year later; high needs it in 2026; the core takes 2026
    assert result.own["low"].starts["PS-NEW"] == {2027: 1}
    assert result.core == {"PS-NEW": {2026: 1}}
    assert not shared_start_problems(
        {v: p.starts for v, p in result.plans.items()}, result.core, 2026
    )
    # the water main and the north preschool only in high: deferred, decided by their start
    deferred = {row.candidate: row for row in result.deferred.itertuples(index=False)}
    assert deferred["WATER-EXT"].decide_by == 2027
    assert deferred["WATER-EXT"].starts == {"low": {}, "high": {2027: 1}}
    assert not deferred["WATER-EXT"].same_in_every_variant


def test_expected_cost_is_the_weighted_cost_of_the_variant_plans(low_high):
    result = low_high["expected"]
    weighted = sum(result.weights[v] * result.plans[v].objective for v in result.variants)
    assert result.objective == pytest.approx(weighted, abs=1e-6)
    # no single variant's first stage does better in expectation (each is a feasible core)
    table = result.regret
    for plan in result.variants:
        rows = table[table["plan"] == plan].set_index("comes_true")["cost"]
        assert weighted <= sum(result.weights[v] * rows[v] for v in result.variants) + 1e-6


def test_minimax_regret_is_no_larger_than_any_variant_plans(low_high):
    result = low_high["regret"]
    table = result.regret
    largest = table.groupby("plan", sort=False)["regret"].max()
    assert result.objective == pytest.approx(largest[ROBUST], abs=1e-6)
    for plan in result.variants:
        assert largest[ROBUST] <= largest[plan] + 1e-6
    # deciding now as if low came true leaves high short of places: a real regret
    assert largest["low"] > largest[ROBUST] + 1.0
    regret_if_high = table[(table["plan"] == "low") & (table["comes_true"] == "high")]
    assert (
        regret_if_high["shortfall_cost"].iloc[0] > result.own["high"].objective_terms["shortfall"]
    )


def test_weights_on_low_growth_defer_the_preschool(tiny_low_high):
    loaded = scenarios(tiny_low_high, "low", "high")
    settings = solve_settings_for(loaded["low"])
    result = solve_robust(loaded, settings, decide_until=2026, weights={"low": 0.99, "high": 0.01})
    assert result.core == {}
    assert result.plans["low"].starts == result.own["low"].starts


def test_nonanticipativity_links_every_start_up_to_the_decision_year(tiny_low_high):
    loaded = scenarios(tiny_low_high, "low", "high")
    datas = {v: build_data(s) for v, s in loaded.items()}
    robust = build_robust(datas, RobustOptions(decide_until=2027))
    block = robust.model.row_blocks[NONANTICIPATIVITY]
    data = datas["low"]
    shared = int(np.sum(data.start_year <= 2027))
    assert len(block.keys) == shared  # one row per start of high, linked to low's
    assert {key[2] for key in block.keys} == {"high"}
    assert max(key[1] for key in block.keys) == 2027


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    from report_scenarios import cli_runner

    return cli_runner(monkeypatch, capsys, tmp_path)


TERMINAL_WORDS = {
    "sv": [
        "Robust plan över tillväxtvägar: Varianter low, high; beslut till och med 2026",
        "Besluta nu: den robusta kärnan",
        "│ PS-NEW │ 2026 │",
        "Ångertabell (Ånger, MSEK)",
        "┃ Beslut till och med 2026 från ┃ om low inträffar ┃ om high inträffar ┃ Största ånger ┃",
        "│ Robust plan │",
        "Rapport:",
    ],
    "en": [
        "Robust plan across growth paths: Variants low, high; decisions up to 2026",
        "Decide now: the robust core",
        "Regret table (Regret, MSEK)",
        "┃ Decisions up to 2026 from ┃ if low comes true ┃ if high comes true ┃ Largest regret ┃",
        "Report:",
    ],
}


def assert_says(output: str, sentences: list[str]) -> None:
    """Each sentence is in the output, rich's padding and line breaks undone."""
    text = " ".join(output.split())
    missing = [sentence for sentence in sentences if sentence not in text]
    assert not missing, (missing, text)


def test_robust_command_writes_the_reports_in_swedish(cli, tiny_low_high, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # no wrapped table headers
    out = tmp_path / "robust"
    code, output, err = cli(
        "robust", str(tiny_low_high), "--variants", "low,high", "--decide-until", "2026",
        "--criterion", "regret", "--out", str(out), "--quiet",
    )  # fmt: skip
    assert code == EXIT_OK, err
    html = (out / "robust.html").read_text(encoding="utf-8")
    assert "Besluta nu" in html and "Ångertabell" in html and "PS-NEW" in html
    assert (out / "robust.xlsx").is_file()
    data = json.loads((out / "robust.json").read_text(encoding="utf-8"))
    assert data["core"] == {"PS-NEW": {"2026": 1}}
    for variant in ("low", "high"):
        plan = json.loads((out / "variants" / variant / "plan.json").read_text(encoding="utf-8"))
        assert plan["status"] == "optimal"
    # the terminal speaks the report language too (Swedish by default)
    assert_says(output, TERMINAL_WORDS["sv"])
    assert "Decide now" not in output
    # robust.xlsx and robust.html in Swedish and by name: the core's header said "capex", its
    # department "BUF", the regret table's status "optimal", the coverage sheet "preschool"
    from openpyxl import load_workbook

    book = load_workbook(out / "robust.xlsx")
    core = list(book["Kärna"].iter_rows(values_only=True))
    assert core[0][-1] == "Investering (MSEK)"
    assert core[1][2] == "Barn- och utbildningsförvaltningen"
    regret = book["Ånger"]
    assert {row[2] for row in regret.iter_rows(min_row=2, values_only=True)} == {
        "optimal (bevisad)"
    }
    assert regret.cell(2, 7).number_format == "#,##0"  # places, not MSEK
    coverage = {row[0] for row in book["Täckning"].iter_rows(min_row=2, values_only=True)}
    assert coverage == {"Preschool places", "Water supply"}
    assert ">capex<" not in html and "<td>BUF</td>" not in html


def test_robust_command_in_english(cli, tiny_low_high, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # no wrapped table headers
    out = tmp_path / "robust-en"
    code, output, err = cli(
        "robust", str(tiny_low_high), "--variants", "low,high", "--decide-until", "2026",
        "--out", str(out), "--lang", "en",
    )  # fmt: skip
    assert code == EXIT_OK, err
    html = (out / "robust.html").read_text(encoding="utf-8")
    assert "Decide now: the robust core" in html and "Regret table" in html
    assert_says(output, TERMINAL_WORDS["en"])
    # what it solves, as it goes (stderr), in the report language
    assert_says(
        err,
        [
            "own optimum of low",
            "robust model over low, high",
            "high with the robust core fixed",
            "low's first stage if high comes true",
        ],
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--variants", "low"], "two or more"),
        (["--variants", "low,high", "--decide-until", "2040"], "outside"),
        (["--variants", "low,high", "--weights", "1"], "2 variants"),
        (["--variants", "low,high", "--criterion", "worst"], "expected or regret"),
    ],
)
def test_robust_command_refuses_bad_options_before_solving(cli, tiny_low_high, args, says):
    code, _, err = cli("robust", str(tiny_low_high), *args, "--quiet")
    assert code == EXIT_USAGE
    assert says in err
