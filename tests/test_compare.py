"""capplan compare: the comparison, compare.xlsx/compare.html read back, stored-result reuse."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent))
from report_scenarios import TINY, cli_runner, rich_tiny  # noqa: E402
from scenario_factory import tiny_committed_with_tight_budgets  # noqa: E402

from optimizer import load_scenario  # noqa: E402
from optimizer.compare import CompareEntry, compare_plans, periods_for, unique_labels  # noqa: E402
from optimizer.io.results import plan_to_dict, write_results  # noqa: E402
from optimizer.io.stored import find_stored_result, load_results  # noqa: E402
from optimizer.report.compare import build_compare_workbook, matrix_cell, render_compare_html  # noqa: E402
from optimizer.report.excel_sheet import DIFF_FILL, sheet_title  # noqa: E402
from optimizer.report.i18n import translator  # noqa: E402
from optimizer.run import run_scenario, solve_settings_for  # noqa: E402


@pytest.fixture
def capplan(monkeypatch, capsys, tmp_path):
    return cli_runner(monkeypatch, capsys, tmp_path)


@pytest.fixture(scope="module")
def rich_folder(tmp_path_factory):
    return rich_tiny(tmp_path_factory.mktemp("cmp") / "rich-tiny")


@pytest.fixture(scope="module")
def entries(rich_folder):
    out = []
    for variant in ("base", "high", "cut"):
        scenario = load_scenario(rich_folder, variant)
        out.append(CompareEntry(variant, scenario, run_scenario(scenario)))
    return out


@pytest.fixture(scope="module")
def comparison(entries):
    return compare_plans(entries, lang="sv")


def test_periods():
    assert periods_for(list(range(2026, 2041))) == [(2026, 2030), (2031, 2035), (2036, 2040)]
    assert periods_for([2026, 2027, 2028], 2) == [(2026, 2027), (2028, 2028)]
    assert periods_for([]) == []


def test_metrics_equal_each_plan(comparison, entries):
    assert comparison.labels == ["base", "high", "cut"]
    assert comparison.metric("pv_cost").values == pytest.approx([e.plan.objective for e in entries])
    for metric in comparison.metrics:
        if metric.key.startswith("shortfall_"):
            service = metric.key.removeprefix("shortfall_")
            expected = [
                e.plan.tables["coverage"]
                .loc[lambda c, s=service: c["service"] == s, "shortfall"]
                .sum()
                for e in entries
            ]
            assert metric.values == pytest.approx(expected)
    period_keys = [
        m for m in comparison.metrics if m.key.startswith("capex_") and m.key != "capex_total"
    ]
    assert [m.key for m in period_keys] == ["capex_2026_2030"]
    for k, entry in enumerate(entries):
        assert period_keys[0].values[k] == pytest.approx(
            entry.plan.tables["schedule"]["capex"].sum()
        )
        assert comparison.metric("co2e_t").values[k] == pytest.approx(
            entry.plan.tables["co2e"]["total_t"].sum()
        )
        assert comparison.metric("peak_debt").values[k] == pytest.approx(
            entry.plan.tables["debt"]["debt"].max()
        )
        assert comparison.metric("projects_chosen").values[k] == len(entry.plan.chosen)


def test_matrix_shows_choice_and_start_year(comparison, entries):
    by_id = {row.candidate: row for row in comparison.matrix}
    for k, entry in enumerate(entries):
        for candidate, starts in entry.plan.starts.items():
            assert by_id[candidate].choices[k].starts == starts
    # halving the budgets changes the plan: the cut variant differs from base
    differing = {row.candidate for row in comparison.matrix if row.differs}
    assert differing
    assert set(entries[0].plan.chosen) ^ set(entries[2].plan.chosen) <= differing
    same = [row for row in comparison.matrix if not row.differs]
    assert all(len({tuple(sorted(c.starts.items())) for c in row.choices}) == 1 for row in same)


def test_compare_workbook_equals_the_comparison(comparison, tmp_path):
    path = tmp_path / "compare.xlsx"
    build_compare_workbook(comparison, "sv").save(path)
    workbook = load_workbook(path)
    t = translator("sv")
    assert workbook.sheetnames == [
        sheet_title(t, k) for k in ("sheet_metrics", "sheet_projects", "sheet_scenarios")
    ]

    ws = workbook[sheet_title(t, "sheet_metrics")]
    assert [c.value for c in ws[1]] == [t("metric"), *comparison.labels]
    written = {r[0]: list(r[1:]) for r in ws.iter_rows(min_row=3, values_only=True)}
    for metric in comparison.metrics:
        assert written[metric.label] == pytest.approx(metric.values), metric.key
    assert ws.freeze_panes == "B2"

    ws = workbook[sheet_title(t, "sheet_projects")]
    body = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in body] == [row.candidate for row in comparison.matrix]
    for r, row in enumerate(comparison.matrix, 2):
        for k, choice in enumerate(row.choices):
            assert ws.cell(row=r, column=4 + k).value == matrix_cell(choice)
        fill = ws.cell(row=r, column=1).fill.fgColor.rgb
        assert (fill == DIFF_FILL.fgColor.rgb) == row.differs, row.candidate

    ws = workbook[sheet_title(t, "sheet_scenarios")]
    body = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in body] == comparison.labels
    assert [r[4] for r in body] == pytest.approx([e.plan.objective for e in comparison.entries])


def test_project_matrix_names_the_department(comparison, tmp_path):
    """compare.xlsx and compare.html name the department as report.html does ('BUF' alone
    was what both showed)."""
    name = "Barn- och utbildningsförvaltningen"
    path = tmp_path / "compare.xlsx"
    build_compare_workbook(comparison, "sv").save(path)
    ws = load_workbook(path)[sheet_title(translator("sv"), "sheet_projects")]
    departments = [r[2] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert name in departments and "BUF" not in departments
    html = render_compare_html(comparison, "sv")
    matrix = html[html.index('<section id="matrix"') :]
    assert f"<td>{name}</td>" in matrix and "<td>BUF</td>" not in matrix


def test_compare_html(comparison):
    html = render_compare_html(comparison, "sv")
    assert '<html lang="sv">' in html
    differing = sum(row.differs for row in comparison.matrix)
    assert html.count('<tr class="diff">') == differing + sum(m.differs for m in comparison.metrics)
    assert 'class="num changed"' in html
    kinds = {"pv", "capex", "shortfall", "co2e", "debt"}
    for kind in kinds:
        assert f'data-chart="{kind}"' in html


def test_a_run_without_a_plan_is_shown_as_such(entries, tmp_path):
    from optimizer.plan import Plan

    entry = entries[0]
    failed = Plan(scenario="x", variant="y", status="infeasible", solver="highs")
    comparison = compare_plans([entry, CompareEntry("failed", entry.scenario, failed)], lang="en")
    assert comparison.metric("pv_cost").values == [entry.plan.objective, None]
    assert not any(row.differs for row in comparison.matrix)  # differences are between plans
    workbook = build_compare_workbook(comparison, "en")
    column = [c.value for c in workbook[sheet_title(translator("en"), "sheet_projects")]["E"]][1:]
    assert column and set(column) == {"no plan"}
    html = render_compare_html(comparison, "en")
    assert "no plan" in html and "infeasible" in html


def test_unique_labels(rich_folder, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(rich_folder, other)
    scenarios = [load_scenario(rich_folder), load_scenario(other)]
    assert unique_labels([(rich_folder, None), (other, None)], scenarios) == ["rich-tiny", "other"]
    scenarios = [load_scenario(rich_folder, "base"), load_scenario(rich_folder, "cut")]
    assert unique_labels([(rich_folder, "base"), (rich_folder, "cut")], scenarios) == [
        "base",
        "cut",
    ]


# ----------------------------------------------------------------------------------------
# stored results
# ----------------------------------------------------------------------------------------
def test_load_results_gives_back_the_plan(entries, tmp_path):
    entry = entries[0]
    out = write_results(entry.plan, entry.scenario, tmp_path / "run")
    loaded = load_results(out)
    assert loaded.starts == entry.plan.starts
    assert plan_to_dict(loaded) == plan_to_dict(entry.plan)
    assert set(loaded.tables) == set(entry.plan.tables)
    for name, table in entry.plan.tables.items():
        pd.testing.assert_frame_equal(
            loaded.tables[name], table.reset_index(drop=True), check_dtype=False
        )
    # formula-like names come back as the text they were, not with the CSV's apostrophe
    assert "=HYPERLINK" in " ".join(loaded.tables["schedule"]["name"])
    # and the comparison cannot tell them apart
    again = compare_plans([entry, CompareEntry("loaded", entry.scenario, loaded, "reused", out)])
    assert not any(m.differs for m in again.metrics)


def test_a_stored_result_is_found_only_for_the_same_inputs_and_settings(
    entries, rich_folder, tmp_path
):
    entry = entries[0]
    base = tmp_path / "results"
    out = write_results(entry.plan, entry.scenario, base / "somewhere" / "run")
    settings = solve_settings_for(entry.scenario)
    assert find_stored_result(entry.scenario, settings, base) == out
    assert (
        find_stored_result(entries[1].scenario, solve_settings_for(entries[1].scenario), base)
        is None
    )
    for change in ({"seed": 7}, {"time_limit": 12.0}, {"gap": 0.05}, {"threads": 2}):
        assert (
            find_stored_result(entry.scenario, solve_settings_for(entry.scenario, **change), base)
            is None
        ), change
    # edited inputs: another hash
    edited = tmp_path / "edited"
    shutil.copytree(rich_folder, edited)
    with open(edited / "budgets.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    changed = load_scenario(edited)
    assert find_stored_result(changed, solve_settings_for(changed), base) is None
    # a plan solved under extra conditions (replan against an adopted plan) is no plain solve
    manifest_file = out / "manifest.json"
    plain = manifest_file.read_text(encoding="utf-8")
    replanned = {**json.loads(plain), "replan": {"year": 2027}}
    manifest_file.write_text(json.dumps(replanned), encoding="utf-8")
    assert find_stored_result(entry.scenario, settings, base) is None
    manifest_file.write_text(plain, encoding="utf-8")
    assert find_stored_result(entry.scenario, settings, base) == out
    # half-written folders are never used
    (base / "somewhere" / "run").rename(base / "somewhere" / ".run.partial")
    assert find_stored_result(entry.scenario, settings, base) is None


# ----------------------------------------------------------------------------------------
# the command
# ----------------------------------------------------------------------------------------
def test_capplan_compare_solves_then_reuses(rich_folder, tmp_path, capplan):
    code, stdout, stderr = capplan(
        "compare", str(rich_folder), "--variants", "base,cut", "--out", "results/one"
    )
    assert code == 0, stderr
    out = tmp_path / "results" / "one"
    for name in ("compare.html", "compare.xlsx", "compare.json"):
        assert (out / name).is_file()
    for variant in ("base", "cut"):  # each solved run is a full results folder
        assert (out / "runs" / variant / "plan.xlsx").is_file()
        assert (out / "runs" / variant / "report.html").is_file()
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert [s["source"] for s in data["scenarios"]] == ["solved", "solved"]
    assert "base" in stdout and "cut" in stdout
    assert "Projekt som skiljer sig i val eller startår" in stdout  # sv by default
    assert "[1/2] base" in stderr  # progress on stderr

    # the second time, nothing is solved: both plans come from results/one/runs
    code, stdout, stderr = capplan(
        "compare", str(rich_folder), "--variants", "base,cut", "--json", "--quiet"
    )
    assert code == 0, stderr
    again = json.loads(stdout)
    assert [s["source"] for s in again["scenarios"]] == ["reused", "reused"]
    assert [s["folder"] for s in again["scenarios"]] == [
        str(Path("results/one/runs") / v) for v in ("base", "cut")
    ]
    assert again["metrics"] == data["metrics"]
    assert again["projects"] == data["projects"]
    assert stderr.strip() == ""
    defaults = [p for p in (tmp_path / "results").iterdir() if p.name.startswith("compare-")]
    assert len(defaults) == 1  # the default --out is a fresh folder under results/

    # an existing --out is never overwritten without --force; --fresh solves again
    args = ("compare", str(rich_folder), "--variants", "base,cut", "--out", "results/one", "-q")
    code, _, stderr = capplan(*args, "--fresh")
    assert code == 1
    assert "already exists" in stderr
    code, stdout, stderr = capplan(*args, "--fresh", "--force", "--json")
    assert code == 0, stderr
    assert [s["source"] for s in json.loads(stdout)["scenarios"]] == ["solved", "solved"]


def test_capplan_compare_needs_two_runs(tmp_path, capplan):
    code, _, stderr = capplan("compare", str(TINY), "--out", str(tmp_path / "x"))
    assert code == 1
    assert "two or more" in stderr
    assert not (tmp_path / "x").exists()


def test_compare_of_two_folders_labels_by_folder(rich_folder, tmp_path, capplan):
    other = tmp_path / "other"
    shutil.copytree(TINY, other)
    code, stdout, stderr = capplan(
        "compare", str(rich_folder), str(other), "--out", "cmp", "--json", "-q", "--lang", "en"
    )
    assert code == 0, stderr
    data = json.loads(stdout)
    assert [s["label"] for s in data["scenarios"]] == ["rich-tiny", "other"]
    assert '<html lang="en">' in (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------------------
# a variant without a plan carries its reason
# ----------------------------------------------------------------------------------------


def test_compare_with_an_infeasible_variant_shows_its_diagnosis_everywhere(tmp_path, capplan):
    """PS-NEW is committed to 2026 and spends 5 MSEK in 2026; a variant with budgets cut to
    30 % (2.4 MSEK) cannot carry it: terminal, compare.html, compare.xlsx and compare.json all
    say which budget, which year and by how much."""
    folder = tiny_committed_with_tight_budgets(tmp_path)
    code, stdout, stderr = capplan(
        "compare", str(folder), "--variants", "base,tight", "--out", "cmp", "-q", "--lang", "en"
    )
    assert code == 3, stderr
    reason = "must-do/committed projects PS-NEW need 5.0 MSEK in 2026"
    shortfall = "is 2.4 MSEK (short by 2.6 MSEK)"
    terminal = " ".join(stdout.split())  # rich wraps long lines
    assert reason in terminal and shortfall in terminal
    out = tmp_path / "cmp"
    html = (out / "compare.html").read_text(encoding="utf-8")
    assert "Why a scenario has no plan" in html
    assert reason in html and shortfall in html
    sheet = load_workbook(out / "compare.xlsx")[sheet_title(translator("en"), "sheet_diagnosis")]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "tight" and rows[0][2] == "The Tax-financed budget in 2026"
    assert rows[0][3] == 2026
    assert rows[0][4] == pytest.approx(2.6)
    assert reason in rows[0][5]
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    tight = data["scenarios"][1]
    assert tight["status"] == "infeasible" and tight["diagnosis"][0]["year"] == 2026
    assert data["scenarios"][0]["diagnosis"] == []


def test_an_infeasible_variant_is_explained_in_swedish_in_compare_html_and_xlsx(tmp_path, capplan):
    """The same committed PS-NEW and budgets cut to 30 % as above, compared with the default
    language: the reports say why in Swedish (the terminal and compare.json stay English)."""
    folder = tiny_committed_with_tight_budgets(tmp_path)
    code, stdout, stderr = capplan(
        "compare", str(folder), "--variants", "base,tight", "--out", "cmp", "-q"
    )
    assert code == 3, stderr
    swedish = (
        "obligatoriska/beslutade projekt PS-NEW behöver 5,0 MSEK 2026; "
        "budgetramen för Tax-financed 2026 är 2,4 MSEK (2,6 MSEK för lite)"
    )
    html = (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")
    assert swedish in html and "short by" not in html
    sheet = load_workbook(tmp_path / "cmp" / "compare.xlsx")[
        sheet_title(translator("sv"), "sheet_diagnosis")
    ]
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][5] == swedish
    data = json.loads((tmp_path / "cmp" / "compare.json").read_text(encoding="utf-8"))
    assert "short by 2.6 MSEK" in data["scenarios"][1]["diagnosis"][0]["explanation"]


def test_compare_xlsx_names_the_conflicting_limit_in_words_not_as_budget_tax_2026(
    tmp_path, capplan
):
    """compare.xlsx's Diagnos sheet showed the model's row name "budget[tax,2026]" under Gräns,
    beside a Swedish explanation; a finance officer reads the budget by its name."""
    folder = tiny_committed_with_tight_budgets(tmp_path)
    code, _, stderr = capplan(
        "compare", str(folder), "--variants", "base,tight", "--out", "cmp", "-q"
    )
    assert code == 3, stderr
    sheet = load_workbook(tmp_path / "cmp" / "compare.xlsx")[
        sheet_title(translator("sv"), "sheet_diagnosis")
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == [
        "Budgetramen för Tax-financed 2026",
        "Budgetramen för Tax-financed 2027",
    ]
    assert not any("[" in str(value) for row in rows for value in row)


def test_shortfall_is_one_small_chart_per_service_on_its_own_unit(comparison):
    html = render_compare_html(comparison, "en")
    services = [m for m in comparison.metrics if m.key.startswith("shortfall_")]
    drawn = [m for m in services if any(v for v in m.values if v)]
    assert html.count('data-chart="shortfall"') == len(drawn)
    assert 'class="multiples"' in html
    if len(drawn) < len(services):
        assert "No shortfall in any scenario" in html


def test_period_investment_says_it_is_gross_unlike_the_net_key_figures(comparison):
    """The period rows (21,0 for base) and the key figures' years below them (5,0 + 6,5 + 6,0 +
    2,0 = 19,5) are different figures: gross investment in the plan against net of grants, the
    whole frame. The label says which, so the periods are not read as the years' sum."""
    periods = [
        m for m in comparison.metrics if m.key.startswith("capex_") and m.key != "capex_total"
    ]
    total = comparison.metric("capex_total").values
    assert [sum(v) for v in zip(*(m.values for m in periods), strict=True)] == pytest.approx(total)
    assert all("brutto" in m.label for m in periods)
    net = [m for m in comparison.metrics if m.key.startswith("investment_2")]
    assert sum(m.values[0] for m in net) == pytest.approx(19.5) and total[0] == pytest.approx(21)


def test_shortfall_charts_write_the_unit_in_the_report_language(comparison):
    """compare.html's small shortfall charts said 'Brist, base: 8,0 places' and 'places·år' in
    Swedish."""
    import re

    html = render_compare_html(comparison, "sv")
    charts = re.findall(r'<figure[^>]*data-chart="shortfall".*?</figure>', html, flags=re.S)
    (preschool,) = [chart for chart in charts if "Preschool places" in chart]
    assert "platser·år" in preschool and "platser</title>" in preschool
    assert not any("places" in chart.replace("Preschool places", "") for chart in charts)
