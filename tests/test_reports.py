"""plan.xlsx and report.html: read back and compared with the plan's own tables.

The workbook is opened with openpyxl and every sheet is checked against ``plan.tables`` (the
same numbers the CSV files carry), so a report can never quietly disagree with the plan. The
HTML is checked here for content and self-containment; tests/test_reports_browser.py opens it
in a real browser.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent))
from report_scenarios import (  # noqa: E402
    FORMULA_DESCRIPTION,
    FORMULA_NAMES,
    TINY,
    cli_runner,
    rich_tiny,
)

from optimizer import load_scenario  # noqa: E402
from optimizer.io.results import input_hash, write_results  # noqa: E402
from optimizer.report import figures  # noqa: E402
from optimizer.report.excel import PLAN_SHEETS, build_plan_workbook  # noqa: E402
from optimizer.report.excel_sheet import BUILD_FILL, SERVICE_FILL, sheet_title  # noqa: E402
from optimizer.report.html import render_plan_html, report_html_writer  # noqa: E402
from optimizer.report.i18n import (  # noqa: E402
    TEXT,
    format_number,
    status_sentence,
    translator,
    unit_name,
)
from optimizer.run import run_scenario  # noqa: E402

# ----------------------------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------------------------


@pytest.fixture
def capplan(monkeypatch, capsys, tmp_path):
    return cli_runner(monkeypatch, capsys, tmp_path)


@pytest.fixture(scope="module")
def tiny():
    scenario = load_scenario(TINY)
    return scenario, run_scenario(scenario)


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    folder = rich_tiny(tmp_path_factory.mktemp("rich") / "rich-tiny")
    scenario = load_scenario(folder)
    return scenario, run_scenario(scenario)


@pytest.fixture(scope="module")
def rich_workbook(rich, tmp_path_factory):
    """Saved and re-opened, so the test sees what Excel would."""
    scenario, plan = rich
    path = tmp_path_factory.mktemp("xlsx") / "plan.xlsx"
    build_plan_workbook(plan, scenario, "sv").save(path)
    return path, load_workbook(path)


def sheet(workbook, key: str, lang: str = "sv"):
    return workbook[sheet_title(translator(lang), key)]


def rows(ws, min_row: int = 2, max_col: int | None = None) -> list[tuple]:
    return [
        r
        for r in ws.iter_rows(min_row=min_row, max_col=max_col, values_only=True)
        if any(v is not None for v in r)
    ]


def header(ws, row: int = 1) -> list:
    return [c.value for c in ws[row] if c.value is not None]


# ----------------------------------------------------------------------------------------
# plan.xlsx
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_workbook_has_every_sheet_in_order(tiny, lang):
    scenario, plan = tiny
    workbook = build_plan_workbook(plan, scenario, lang)
    t = translator(lang)
    assert workbook.sheetnames == [sheet_title(t, key) for key in PLAN_SHEETS]
    assert len(set(workbook.sheetnames)) == len(PLAN_SHEETS)


def test_summary_states_status_objective_terms_and_timings(rich_workbook, rich):
    scenario, plan = rich
    _, workbook = rich_workbook
    values = {
        r[0]: r[1]
        for r in sheet(workbook, "summary").iter_rows(min_row=3, max_col=2, values_only=True)
        if r[0]
    }
    t = translator("sv")
    assert values[t("status")] == status_sentence(plan, "sv")
    assert values[t("status")].startswith("Optimal")
    assert values[t("objective_cost")] == pytest.approx(plan.objective)
    for kind, value in plan.objective_terms.items():
        label = TEXT["sv"].get(f"term_{kind}", kind)
        assert values[label] == pytest.approx(value), kind
    assert values[t("total")] == pytest.approx(sum(plan.objective_terms.values()))
    assert values[t("build_seconds")] == pytest.approx(plan.build_seconds)
    assert values[t("solve_seconds")] == pytest.approx(plan.solve_seconds)
    assert values[t("solver")] == plan.solver
    assert values[t("input_hash")] == input_hash(list(scenario.source_files))
    assert values[t("peak_debt")] == pytest.approx(plan.tables["debt"]["debt"].max())


def test_feasible_plan_is_never_called_optimal(tiny):
    scenario, plan = tiny
    stopped = dataclasses.replace(plan, status="feasible", gap=0.0321, bound=plan.objective * 0.97)
    for lang in ("sv", "en"):
        workbook = build_plan_workbook(stopped, scenario, lang)
        t = translator(lang)
        values = {
            r[0]: r[1]
            for r in sheet(workbook, "summary", lang).iter_rows(
                min_row=3, max_col=2, values_only=True
            )
        }
        status = values[t("status")]
        assert "optimal" not in status.lower()
        assert format_number(3.21, 2, lang) in status  # the gap, in words
        assert format_number(stopped.bound, 1, lang) in status  # and the bound
        assert values[t("gap")] == pytest.approx(0.0321)
        assert values[t("bound")] == pytest.approx(stopped.bound)
        html = render_plan_html(stopped, scenario, lang)
        status_block = re.search(
            r'<section class="status feasible".*?</section>', html, re.S
        ).group(0)
        assert "optimal" not in status_block.lower()
        assert format_number(3.21, 2, lang) in status_block


def test_schedule_sheet_is_a_timeline_of_the_chosen_candidates(rich_workbook, rich):
    scenario, plan = rich
    _, workbook = rich_workbook
    ws = sheet(workbook, "schedule")
    t = translator("sv")
    head = header(ws)
    years = figures.plan_years(plan)
    assert head[:3] == [t("candidate"), t("name"), t("department")]
    assert head[-len(years) :] == years  # one column per year, as numbers
    schedule = plan.tables["schedule"].sort_values(["start_year", "candidate"], kind="stable")
    first_year_column = head.index(years[0]) + 1
    body = rows(ws, max_col=len(head))[: len(schedule)]
    assert [r[0] for r in body] == list(schedule["candidate"])
    for r, (row, written) in enumerate(zip(schedule.itertuples(index=False), body, strict=True), 2):
        assert written[1] == row.name  # formula-like names survive as text
        assert written[head.index(t("start_year"))] == row.start_year
        assert written[head.index(t("in_service_year"))] == row.in_service_year
        assert written[head.index(t("capex"))] == pytest.approx(row.capex)
        for k, year in enumerate(years):
            cell = ws.cell(row=r, column=first_year_column + k)
            if row.start_year <= year < row.in_service_year:
                assert (cell.value, cell.fill.fgColor.rgb) == (
                    t("mark_build"),
                    BUILD_FILL.fgColor.rgb,
                )
            elif row.in_service_year <= year <= row.end_of_life_year:
                assert (cell.value, cell.fill.fgColor.rgb) == (
                    t("mark_service"),
                    SERVICE_FILL.fgColor.rgb,
                )
            else:
                assert cell.value is None
    assert ws.freeze_panes == "C2"


def test_capex_by_year_adds_up_to_the_schedule(rich_workbook, rich):
    _, plan = rich
    _, workbook = rich_workbook
    ws = sheet(workbook, "capex_by_year")
    body = rows(ws)
    total_row = body[-1]
    assert total_row[0] == translator("sv")("total")
    assert total_row[-1] == pytest.approx(plan.tables["schedule"]["capex"].sum())
    by_year = figures.capex_by_year_total(plan)
    years = figures.plan_years(plan)
    for k, year in enumerate(years):
        assert total_row[3 + k] == pytest.approx(by_year.get(year, 0.0))


@pytest.mark.parametrize(
    ("key", "table", "columns"),
    [
        (
            "capacity",
            "coverage",
            [
                "service",
                "district",
                "year",
                "unit",
                "demand",
                "existing",
                "new_capacity",
                "capacity",
                "shortfall",
            ],
        ),
        (
            "budget",
            "budget",
            [
                "pool",
                "year",
                "spend",
                "gross_spend",
                "other",
                "frame_spend",
                "ceiling",
                "carry_in",
                "carry_over",
                "headroom",
            ],
        ),
        (
            "debt",
            "debt",
            ["year", "debt_financed_spend", "self_financing", "debt", "debt_ceiling", "interest"],
        ),
        ("co2e", "co2e", ["year", "embodied_t", "operational_t", "existing_t", "total_t", "cap_t"]),
        ("staff", "staff", ["department", "year", "staff_fte", "recruitable_fte"]),
    ],
)
def test_long_sheets_equal_the_plan_tables(rich_workbook, rich, key, table, columns):
    _, plan = rich
    _, workbook = rich_workbook
    ws = sheet(workbook, key)
    written = pd.DataFrame(rows(ws, max_col=len(columns)), columns=columns)
    expected = plan.tables[table][columns].reset_index(drop=True)
    named = figures.names(rich[0])
    for column in ("service", "department", "pool"):  # shown by name, as in report.html
        if column in columns:
            expected[column] = [named[column][v] for v in expected[column]]
    if "unit" in columns:  # the workbook is Swedish: 'places' reads 'platser'
        expected["unit"] = [unit_name(u, "sv") for u in expected["unit"]]
    assert len(written) == len(expected)
    for column in columns:
        if not pd.api.types.is_numeric_dtype(expected[column]):
            assert list(written[column].fillna("")) == list(expected[column].fillna("")), column
        else:
            pd.testing.assert_series_equal(
                written[column].astype(float),
                expected[column].astype(float),
                check_names=False,
                atol=1e-9,
            )
    assert ws.freeze_panes == "A2"


def test_opex_sheet_has_departments_by_year_with_totals(rich_workbook, rich):
    _, plan = rich
    _, workbook = rich_workbook
    ws = sheet(workbook, "opex")
    years = figures.plan_years(plan)
    body = rows(ws)
    opex = plan.tables["opex"]
    for written in body[:-1]:
        department = written[0]
        expected = opex[opex["department"] == department].set_index("year")["opex"]
        assert list(written[2 : 2 + len(years)]) == pytest.approx([expected[y] for y in years])
        assert written[2 + len(years)] == pytest.approx(expected.sum())
    assert body[-1][2 + len(years)] == pytest.approx(opex["opex"].sum())


def test_shadow_prices_sheet(rich_workbook, rich):
    _, plan = rich
    _, workbook = rich_workbook
    ws = sheet(workbook, "shadow_prices")
    prices = plan.tables["shadow_prices"]
    written = rows(ws, min_row=3, max_col=4)
    # the limit in words, in the order of shadow_prices.csv (tests/test_report_readers.py)
    assert [r[0] for r in written] != list(prices["constraint"])
    assert [r[1] for r in written] == pytest.approx(list(prices["value_of_one_more_unit"]))
    assert all("låsta" in r[3] for r in written)  # "with the chosen projects fixed", in Swedish


def test_inputs_sheet_names_scenario_hash_candidates_and_budgets(rich_workbook, rich):
    scenario, plan = rich
    _, workbook = rich_workbook
    ws = sheet(workbook, "inputs")
    cells = [v for r in ws.iter_rows(values_only=True) for v in r if v is not None]
    assert input_hash(list(scenario.source_files)) in cells
    assert scenario.variant in cells
    for candidate in scenario.candidates:
        assert candidate.id in cells
    for path in scenario.source_files:
        assert path.name in cells
    ceilings = [b.ceiling for b in scenario.budgets]
    numbers = [v for v in cells if isinstance(v, int | float) and not isinstance(v, bool)]
    assert all(any(abs(n - c) < 1e-9 for n in numbers) for c in ceilings)


def test_no_sheet_shows_an_id_where_the_scenario_names_it(rich_workbook, rich):
    """Services, departments and pools are read by name on every sheet (the Schedule, Capacity,
    Budget, Staff and Inputs sheets showed 'BUF', 'tax', 'preschool')."""
    scenario, _ = rich
    named = figures.names(scenario)
    ids = {
        key: name
        for kind in ("service", "department", "pool")
        for key, name in named[kind].items()
        if key != name
    }
    assert {"BUF", "tax", "preschool"} <= set(ids)
    _, workbook = rich_workbook
    bare = [
        (ws.title, cell.coordinate, cell.value)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
        and cell.value in ids
        # an id kept for lookups stands beside its name (Operating costs: 'BUF', its name)
        and ws.cell(row=cell.row, column=cell.column + 1).value != ids[cell.value]
    ]
    assert bare == []
    schedule = sheet(workbook, "schedule")
    head = header(schedule)
    first = rows(schedule)[0]
    assert first[head.index(translator("sv")("department"))] == named["department"]["BUF"]
    assert first[head.index(translator("sv")("pool"))] == named["pool"]["tax"]


def test_inputs_sheet_states_the_objective_in_words(rich_workbook):
    _, workbook = rich_workbook
    cells = [v for r in sheet(workbook, "inputs").iter_rows(values_only=True) for v in r]
    assert "lägsta kostnad" in cells and "cost" not in cells


def test_number_formats_and_widths(rich_workbook):
    _, workbook = rich_workbook
    t = translator("sv")
    ws = sheet(workbook, "budget")
    head = header(ws)
    assert ws.cell(row=2, column=head.index(t("spend")) + 1).number_format == "#,##0.0"
    assert ws.cell(row=2, column=head.index(t("year")) + 1).number_format == "0"
    ws = sheet(workbook, "schedule")
    assert ws.cell(row=2, column=header(ws).index(t("capex")) + 1).number_format == "#,##0.0"
    for ws in workbook.worksheets:
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and all(6 <= w <= 101 for w in widths), ws.title


def test_formula_like_text_is_stored_as_text(rich_workbook, rich):
    path, workbook = rich_workbook
    texts = {
        ws.title: [
            c
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str) and c.value[:1] in "=+-@"
        ]
        for ws in workbook.worksheets
    }
    found = {c.value for cells in texts.values() for c in cells}
    assert set(FORMULA_NAMES.values()) <= found
    assert FORMULA_DESCRIPTION in found
    for cells in texts.values():
        for cell in cells:
            assert cell.data_type == "s", cell.coordinate
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode(), f"a formula in {name}"


def test_workbook_without_debt_says_so(tiny):
    scenario, plan = tiny
    workbook = build_plan_workbook(plan, scenario, "en")
    assert sheet(workbook, "debt", "en")["A1"].value == TEXT["en"]["no_debt"]


# ----------------------------------------------------------------------------------------
# report.html (content; the browser test renders it)
# ----------------------------------------------------------------------------------------
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?(?!#|data:)|url\(|@import|<link\b|<img\b|<iframe\b""", re.I
)


def test_report_is_self_contained(rich):
    scenario, plan = rich
    html = render_plan_html(plan, scenario, "sv")
    assert not EXTERNAL.search(html)
    # the only URL is the SVG namespace, which is a name, not something fetched
    # (and the fixture's formula-like name, whole or cut short in the timeline)
    urls = set(re.findall(r"https?://[\w./-]+", html)) - {"http://www.w3.org/2000/svg"}
    assert all("http://example.invalid".startswith(url) for url in urls), urls
    assert "@media print" in html and "break-before: page" in html


def test_report_content_swedish_by_default(rich):
    scenario, plan = rich
    html = render_plan_html(plan, scenario)
    t = translator("sv")
    assert '<html lang="sv">' in html
    for key in (
        "headline",
        "assumptions",
        "capacity_vs_demand",
        "spend_vs_budget",
        "co2e_vs_cap",
        "timeline",
        "schedule",
    ):
        assert t(key) in html, key
    assert status_sentence(plan, "sv") in html
    assert format_number(plan.objective, 1, "sv") in html
    for candidate in plan.tables["schedule"]["candidate"]:
        assert f">{candidate}<" in html
    # one capacity chart per service, one budget chart per pool, debt, CO2e and the timeline
    kinds = re.findall(r'<figure class="chart" data-chart="(\w+)"', html)
    services = plan.tables["coverage"]["service"].nunique()
    pools = plan.tables["budget"]["pool"].nunique()
    assert kinds.count("capacity") == services
    assert kinds.count("budget") == pools
    assert {"debt", "co2e", "gantt"} <= set(kinds)
    assert "&lt;" not in html.split("<body>")[0]  # the head is not double-escaped


def test_report_in_english(tiny):
    scenario, plan = tiny
    html = render_plan_html(plan, scenario, "en")
    assert '<html lang="en">' in html
    assert TEXT["en"]["capacity_vs_demand"] in html
    assert TEXT["sv"]["capacity_vs_demand"] not in html


def test_formula_like_names_are_escaped_in_html(rich):
    scenario, plan = rich
    html = render_plan_html(plan, scenario, "sv")
    assert "=HYPERLINK(&quot;http://example.invalid&quot;,&quot;Modular&quot;)" in html
    assert '"http://example.invalid"' not in html


def test_report_html_is_reproducible(tiny):
    scenario, plan = tiny
    assert render_plan_html(plan, scenario, "sv") == render_plan_html(plan, scenario, "sv")


# ----------------------------------------------------------------------------------------
# with every run
# ----------------------------------------------------------------------------------------
def test_results_folder_gets_both_reports(tiny, tmp_path):
    from optimizer.report.excel import plan_xlsx_writer

    scenario, plan = tiny
    out = write_results(
        plan, scenario, tmp_path / "run", writers=[plan_xlsx_writer("en"), report_html_writer("en")]
    )
    assert (out / "plan.xlsx").is_file() and (out / "report.html").is_file()
    assert load_workbook(out / "plan.xlsx").sheetnames[0] == TEXT["en"]["summary"]


def test_capplan_run_writes_reports_in_the_chosen_language(tmp_path, capplan):
    code, _, stderr = capplan("run", str(TINY), "--out", str(tmp_path / "en"), "--lang", "en", "-q")
    assert code == 0, stderr
    assert load_workbook(tmp_path / "en" / "plan.xlsx").sheetnames[0] == TEXT["en"]["summary"]
    assert '<html lang="en">' in (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert stderr.strip() == ""  # --quiet: no progress


def test_capplan_run_default_is_swedish_with_progress_on_stderr(tmp_path):
    """A real process, so that the split between stdout and stderr is the one a shell sees."""
    done = subprocess.run(
        [sys.executable, "-m", "optimizer.cli", "run", str(TINY), "--out", str(tmp_path / "sv")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert load_workbook(tmp_path / "sv" / "plan.xlsx").sheetnames[0] == TEXT["sv"]["summary"]
    # the progress lines speak the report language too: "löser" = solving, "klar" = done
    assert TEXT["sv"]["progress_solving"] in done.stderr and "klar" in done.stderr
    assert TEXT["sv"]["progress_solving"] not in done.stdout


def test_capplan_run_rejects_an_unknown_language(tmp_path, capplan):
    code, stdout, stderr = capplan("run", str(TINY), "--out", str(tmp_path / "x"), "--lang", "de")
    assert code == 1
    assert "--lang" in stderr + stdout
    assert not (tmp_path / "x").exists()


SHORTFALL_UNITS = {
    "sv": ("Preschool places: Brist, platser·år", '<span class="unit">platser·år</span>'),
    "en": ("Preschool places: Shortfall, places·years", '<span class="unit">places·years</span>'),
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_run_writes_the_shortfall_unit_the_same_in_plan_xlsx_and_report_html(tmp_path, lang):
    """plan.xlsx said 'platser-år' where report.html said 'platser·år' for the same figure."""
    from scenario_edits import run_cli

    code, _, err = run_cli("run", TINY, "--out", tmp_path / "r", "--quiet", "--lang", lang)
    assert code == 0, err
    workbook_label, html_unit = SHORTFALL_UNITS[lang]
    summary = load_workbook(tmp_path / "r" / "plan.xlsx").worksheets[0]
    labels = [row[0] for row in summary.iter_rows(values_only=True)]
    assert workbook_label in labels
    assert html_unit in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")


def excel_shows(cell) -> str:
    """The digits Excel shows for a number cell: its format's decimals, rounded half away from
    zero (Excel's rule), with a Swedish decimal comma; only the formats capplan writes."""
    from decimal import ROUND_HALF_UP, Decimal

    fmt = cell.number_format
    assert re.fullmatch(r"#,##0(\.0+)?", fmt), fmt
    decimals = len(fmt.split(".")[1]) if "." in fmt else 0
    exact = Decimal(repr(float(cell.value)))
    shown = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{shown:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


def test_a_shortfall_reads_the_same_in_terminal_html_and_excel_of_run_and_compare(tmp_path):
    """One rounding rule (i18n.DECIMALS, half away from zero): the preschool shortfall of
    8.65625 place-years read '9' in the terminal and report.html of run but '8,7' in plan.xlsx
    and in compare's terminal, compare.html and compare.xlsx."""
    from scenario_edits import copy_tiny, edit_toml, run_cli

    folder = copy_tiny(tmp_path)
    edit_toml(folder, '"1-5" = 0.5 }', '"1-5" = 0.501953125 }')  # demand 40.16, 41.16, …
    code, stdout, err = run_cli("run", folder, "--out", tmp_path / "r", "--quiet")
    assert code == 0, err
    summary = load_workbook(tmp_path / "r" / "plan.xlsx").worksheets[0]
    (cell,) = [
        row[1]
        for row in summary.iter_rows()
        if row[0].value == "Preschool places: Brist, platser·år"
    ]
    assert cell.value == pytest.approx(8.65625)
    expected = excel_shows(cell)
    assert expected == "9"
    (line,) = [line for line in stdout.splitlines() if "│ platser" in line]
    assert [c.strip() for c in line.split("│")[1:-1]][4] == expected  # the coverage table
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    card = re.search(r"Brist: Preschool places</div><div class=\"value\">([^<]*)<", page)
    assert card and card.group(1) == expected

    code, stdout, err = run_cli(
        "compare", folder, "--variants", "base,high", "--out", tmp_path / "c", "--quiet"
    )
    assert code == 0, err
    label = "Brist Preschool places (platser·år)"
    (line,) = [line for line in stdout.splitlines() if label in line]
    assert [c.strip() for c in line.split("│")[1:-1]][1] == expected
    page = (tmp_path / "c" / "compare.html").read_text(encoding="utf-8")
    row = re.search(rf"<td>{re.escape(label)}</td><td class=\"num\">([^<]*)<", page)
    assert row and row.group(1) == expected
    metrics = load_workbook(tmp_path / "c" / "compare.xlsx").worksheets[0]
    (cell,) = [row[1] for row in metrics.iter_rows() if row[0].value == label]
    assert excel_shows(cell) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(20.5, 0, "21"), (0.25, 1, "0,3"), (2.675, 2, "2,68"), (-0.04, 1, "0,0"), (-2.5, 0, "−3")],
)
def test_numbers_round_half_away_from_zero_as_excel_shows_them(value, decimals, text):
    """Python's format rounds half to even on the binary value: 20.5 read '20' in report.html's
    district sentence and 21 in plan.xlsx."""
    assert format_number(value, decimals, "sv") == text


def test_a_discount_rate_keeps_its_decimal_while_shares_are_whole(tmp_path):
    """Rates are not shares: plan.xlsx wrote a 3.5 % discount rate as '4%' once percentages of
    shares became whole, while report.html said 3,5 %."""
    from scenario_edits import copy_tiny, edit_toml

    folder = copy_tiny(tmp_path)
    edit_toml(folder, "discount_rate = 0.0", "discount_rate = 0.035")
    scenario = load_scenario(folder)
    plan = run_scenario(scenario)
    inputs = sheet(build_plan_workbook(plan, scenario, "sv"), "inputs")
    (cell,) = [row[1] for row in inputs.iter_rows() if row[0].value == "Real kalkylränta"]
    assert (cell.value, cell.number_format) == (0.035, "0.0%")
    assert "diskonteras med 3,5\u00a0% per år" in render_plan_html(plan, scenario, "sv")
    capacity = sheet(build_plan_workbook(plan, scenario, "sv"), "capacity")
    column = header(capacity).index(translator("sv")("utilisation")) + 1
    assert capacity.cell(row=2, column=column).number_format == "0%"
