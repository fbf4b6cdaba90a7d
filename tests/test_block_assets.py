"""Existing assets that age (optimizer/model/assets.py): an asset's end of life is a decision:
close early (saving its running cost), renovate (its capacity replaced by the renovation's,
part of it out of use during works) or close at its retirement year at its closure cost.

Cases run on cheap shortfall (0.001 MSEK per place-year: nothing else is worth building, the
base is 0.09 for 90 missing place-years), so the arithmetic is the asset's alone.
"""

from __future__ import annotations

import json

import pytest
from blocks import RUNNING_SUMS, Case, assert_case, cheap_shortfall
from scenario_factory import RawTiny

ASSET_COLUMNS = (
    "id,name,service,district,capacity,retirement_year,closure_cost,opex,earliest_closure"
)
WATERWORKS = "WW-1,Waterworks,water,,110,,0,0,"


def old_preschool(retirement: str = "2029", cost: str = "0", opex: str = "0", early: str = ""):
    """PS-OLD (40 places) with its closure cost, running cost and closure window."""

    def edit(tiny: RawTiny) -> RawTiny:
        row = f"PS-OLD,Old preschool,preschool,,40,{retirement},{cost},{opex},{early}"
        return tiny.table("existing_assets", ASSET_COLUMNS, row, WATERWORKS)

    return edit


def renovation(tiny: RawTiny, loss: str = "0.5") -> RawTiny:
    """PS-RENO renovates PS-OLD: 1 MSEK, lead 1, 20 years, 40 places, start 2026-2028."""
    tiny.add_column("candidates", "renovates").add_column("candidates", "works_capacity_loss")
    tiny.add_row(
        "candidates",
        id="PS-RENO",
        name="Renovate the old preschool",
        department="BUF",
        capex="1",
        lead_time="1",
        earliest_start="2026",
        latest_start="2028",
        lifetime="20",
        pool="tax",
        renovates="PS-OLD",
        works_capacity_loss=loss,
    )
    return tiny.add_row(
        "candidate_capacity", candidate="PS-RENO", service="preschool", capacity="40"
    )


CASES = {
    # PS-OLD costs 2 to close and 3/yr to run and may close from 2027: closing in 2027 saves
    # 3 + 3 (2027, 2028) for the closure's 2 and 40 + 40 more missing places (0.08):
    # 0.09 + 0.08 + 2 − 6 = −3.83. Kept, it would still close in 2029 at 2: 2.09.
    "early_closure": Case(
        "assets",
        lambda t: old_preschool(cost="2", opex="3", early="2027")(cheap_shortfall(t)),
        "optimal",
        -3.83,
    ),
    # Closing at the end of life costs something: 0.09 + 5 (PS-OLD closes in 2029).
    "closure_cost": Case(
        "assets", lambda t: old_preschool(cost="5")(cheap_shortfall(t)), "optimal", 5.09
    ),
    # PS-OLD closes in 2029 at 5 unless PS-RENO is in service by then: started 2028, the works
    # take 20 of 40 places in 2028; missing 0 + 1 + 22 + 3 + 4 = 30 place-years (0.03); capex 1
    # − salvage 1·18/20 = 0.1: 0.13 (started 2027: 21 + 2 + 3 + 4 = 30 and salvage 17/20: 0.18).
    "renovation": Case(
        "assets",
        lambda t: renovation(old_preschool(cost="5")(cheap_shortfall(t))),
        "optimal",
        0.13,
        {"PS-RENO": {2028: 1}},
    ),
}


@pytest.mark.parametrize("running_sum", RUNNING_SUMS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_assets_change_the_answer(case: str, running_sum: str) -> None:
    assert_case(CASES[case], running_sum)


def test_closures_are_named_in_the_plan() -> None:
    """The plan lists every closure by asset, year and places: the early one as a decision."""
    from optimizer.run import run_scenario

    plan = run_scenario(CASES["early_closure"].scenario())
    assert plan.early_closures == {"PS-OLD": 2027}
    closures = plan.tables["closures"]
    assert closures[["asset", "name", "year", "capacity", "kind"]].to_dict("records") == [
        {
            "asset": "PS-OLD",
            "name": "Old preschool",
            "year": 2027,
            "capacity": 40.0,
            "kind": "early",
        }
    ]


def test_a_renovated_asset_does_not_close_and_others_do() -> None:
    from optimizer.run import run_scenario

    renovated = run_scenario(CASES["renovation"].scenario())
    assert renovated.tables["closures"].empty
    closed = run_scenario(CASES["closure_cost"].scenario())
    assert closed.tables["closures"][["asset", "year", "kind"]].to_dict("records") == [
        {"asset": "PS-OLD", "year": 2029, "kind": "end_of_life"}
    ]


def test_highs_and_cbc_agree_on_a_renovation() -> None:
    from optimizer.run import run_scenario, solve_settings_for

    scenario = CASES["renovation"].scenario()
    plans = [
        run_scenario(scenario, solve_settings_for(scenario, solver=s)) for s in ("highs", "cbc")
    ]
    assert [p.status for p in plans] == ["optimal", "optimal"]
    assert plans[0].objective == pytest.approx(plans[1].objective, abs=1e-6)
    assert plans[0].starts == plans[1].starts


def test_closures_and_emergency_use_survive_a_results_folder(tmp_path) -> None:
    """Stored and read back (compare, replan, explain read folders): the early closure and the
    emergency units are decisions again, and the checker passes the plan read back."""
    from test_block_duties import CASES as DUTY_CASES

    from optimizer.check import check_plan
    from optimizer.io.results import write_results
    from optimizer.io.stored import load_results
    from optimizer.run import run_scenario

    for case, folder in ((CASES["early_closure"], "closure"), (DUTY_CASES["duty"], "duty")):
        scenario = case.scenario()
        plan = run_scenario(scenario)
        write_results(plan, scenario, tmp_path / folder)
        back = load_results(tmp_path / folder)
        assert back.early_closures == plan.early_closures
        assert back.emergency.to_dict("records") == plan.emergency.to_dict("records")
        assert check_plan(scenario, back) == []
    assert '"kind": "early"' in (tmp_path / "closure" / "plan.json").read_text()


def test_the_terminal_names_each_closure() -> None:
    from rich.console import Console

    from optimizer.report.closures import closure_sentences
    from optimizer.report.terminal import print_summary
    from optimizer.run import run_scenario

    plan = run_scenario(CASES["closure_cost"].scenario())
    console = Console(record=True, width=120)
    print_summary(plan, console, lang="en")
    assert "Old preschool closes 2029, 40 places (end of life)" in console.export_text()
    console = Console(record=True, width=120)
    print_summary(plan, console)  # Swedish by default
    assert "Old preschool stängs 2029, 40 platser (uttjänt)" in console.export_text()
    assert closure_sentences(plan.tables["closures"], {"preschool": "places"}, "sv") == [
        "Old preschool stängs 2029, 40 platser (uttjänt)"
    ]


def renovated_late_and_replaced() -> RawTiny:
    """PS-OLD (40 places) retires 2028 and is renovated by PS-RENO, which may only start in
    2028 (in service 2029): too late to keep it open, so it closes for the works and comes back.
    PS-HUT (10 places) retires 2029 and is replaced by PS-NEW. Both candidates are must-dos."""
    tiny = RawTiny().table(
        "existing_assets",
        ASSET_COLUMNS,
        "PS-OLD,Old preschool,preschool,,40,2028,0,0,",
        "PS-HUT,Preschool hut,preschool,,10,2029,0,0,",
        WATERWORKS,
    )
    renovation(tiny).candidate("PS-RENO", earliest_start="2028", must_do="yes")
    return tiny.add_column("candidates", "replaces").candidate(
        "PS-NEW", replaces="PS-HUT", must_do="yes"
    )


def test_a_closure_names_the_renovation_or_the_replacement_that_follows_it(tmp_path) -> None:
    """closures.csv, plan.json, the terminal, plan.xlsx and report.html say which closed asset
    is replaced and which is renovated, by which chosen candidate, in Swedish and English."""
    from openpyxl import load_workbook
    from rich.console import Console

    from optimizer.io.results import write_results
    from optimizer.io.stored import load_results
    from optimizer.report.terminal import print_summary
    from optimizer.run import run_scenario

    scenario = renovated_late_and_replaced().scenario()
    plan = run_scenario(scenario)
    assert plan.status == "optimal"
    assert plan.starts["PS-RENO"] == {2028: 1}
    closures = plan.tables["closures"]
    assert closures[["asset", "year", "replaced_by", "renovated_by"]].to_dict("records") == [
        {"asset": "PS-OLD", "year": 2028, "replaced_by": "", "renovated_by": "PS-RENO"},
        {"asset": "PS-HUT", "year": 2029, "replaced_by": "PS-NEW", "renovated_by": ""},
    ]
    sentences = {
        "sv": [
            "Old preschool stängs 2028, 40 platser (uttjänt; renoveras av PS-RENO)",
            "Preschool hut stängs 2029, 10 platser (uttjänt; ersätts av PS-NEW)",
        ],
        "en": [
            "Old preschool closes 2028, 40 places (end of life; renovated by PS-RENO)",
            "Preschool hut closes 2029, 10 places (end of life; replaced by PS-NEW)",
        ],
    }
    for lang, expected in sentences.items():
        console = Console(record=True, width=120)
        print_summary(plan, console, lang=lang)
        said = console.export_text()
        assert all(sentence in said for sentence in expected), said
        write_results(plan, scenario, tmp_path / lang, writers=common_writers(lang))
        book = load_workbook(tmp_path / lang / "plan.xlsx")
        cells = {c.value for ws in book for row in ws.iter_rows() for c in row if c.value}
        assert set(expected) <= cells, lang
        html = (tmp_path / lang / "report.html").read_text(encoding="utf-8")
        assert all(f"<li>{sentence}</li>" in html for sentence in expected), lang
    written = (tmp_path / "en" / "closures.csv").read_text(encoding="utf-8").splitlines()
    assert written[0].endswith(",replaced_by,renovated_by")
    assert written[1].endswith(",,PS-RENO") and written[2].endswith(",PS-NEW,")
    stored = json.loads((tmp_path / "en" / "plan.json").read_text(encoding="utf-8"))
    assert [(c["asset"], c["replaced_by"], c["renovated_by"]) for c in stored["closures"]] == [
        ("PS-OLD", [], ["PS-RENO"]),
        ("PS-HUT", ["PS-NEW"], []),
    ]
    back = load_results(tmp_path / "en")  # compare and replan read folders back
    assert back.tables["closures"]["renovated_by"].tolist() == ["PS-RENO", ""]


def common_writers(lang: str) -> list:
    from optimizer.cli.common import report_writers

    return report_writers(lang)


def test_every_report_names_the_closure(tmp_path) -> None:
    """plan.xlsx (schedule sheet), report.html (schedule section) and compare (a row per asset
    with its closure year per scenario) name PS-OLD's closure, in Swedish by default."""
    from openpyxl import load_workbook

    from optimizer.compare import CompareEntry, compare_plans
    from optimizer.report.compare import render_compare_html
    from optimizer.report.excel import write_plan_xlsx
    from optimizer.report.html import write_report_html
    from optimizer.run import run_scenario

    closing = CASES["closure_cost"].scenario()
    plan = run_scenario(closing)
    write_plan_xlsx(plan, closing, tmp_path / "plan.xlsx", lang="sv")
    sheet = load_workbook(tmp_path / "plan.xlsx")["Tidplan"]
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Old preschool stängs 2029, 40 platser (uttjänt)" in cells
    write_report_html(plan, closing, tmp_path / "report.html", lang="en")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<li>Old preschool closes 2029, 40 places (end of life)</li>" in html

    renovating = CASES["renovation"].scenario()
    entries = [
        CompareEntry("closed", closing, plan),
        CompareEntry("renovated", renovating, run_scenario(renovating)),
    ]
    comparison = compare_plans(entries)
    (metric,) = [m for m in comparison.metrics if m.key == "closure_PS-OLD"]
    assert metric.label == "Old preschool (40 places) closes, year"
    assert metric.values == [2029, None]
    assert "Old preschool (40 places) closes, year" in render_compare_html(comparison, "en")
