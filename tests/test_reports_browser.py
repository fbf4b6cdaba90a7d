"""report.html and compare.html in a real headless browser (Chromium, over the DevTools pipe).

What a reader would see: no console errors or failed loads, no request leaving the file,
every chart drawn (the page's own check marks ``data-charts-ok``), and a print layout of
several A4 pages. Screenshots and PDFs are kept as artefacts in tests/artifacts/ (git-ignored;
override with CAPPLAN_TEST_ARTIFACTS) and their paths are printed (``pytest -s`` shows them).

Skipped only when no Chromium is installed; CI installs it with
``apt-get install -y chromium``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from browser_check import ARTIFACTS, PNG, assert_clean, render  # noqa: E402
from report_scenarios import rich_tiny  # noqa: E402
from scenario_edits import add_districts, copy_tiny, edit_toml  # noqa: E402

from optimizer import load_scenario  # noqa: E402
from optimizer.compare import CompareEntry, compare_plans  # noqa: E402
from optimizer.report.compare import render_compare_html  # noqa: E402
from optimizer.report.html import render_plan_html  # noqa: E402
from optimizer.report.html_page import page  # noqa: E402
from optimizer.report.i18n import translator  # noqa: E402
from optimizer.run import run_scenario  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    folder = rich_tiny(tmp_path_factory.mktemp("browser") / "rich-tiny")
    out = []
    for variant in ("base", "cut"):
        scenario = load_scenario(folder, variant)
        out.append(CompareEntry(variant, scenario, run_scenario(scenario)))
    return out


def _show(name: str, result) -> None:
    print(f"\n{name}: screenshot {result.screenshot}, PDF {result.pdf} ({result.pdf_pages} pages)")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_plan_report_renders_cleanly(plans, tmp_path, lang):
    entry = plans[0]
    html = tmp_path / "report.html"
    html.write_text(render_plan_html(entry.plan, entry.scenario, lang), encoding="utf-8")
    result = render(html, ARTIFACTS / f"report-{lang}.png", ARTIFACTS / f"report-{lang}.pdf")
    _show(f"report.html ({lang})", result)
    assert_clean(result)
    kinds = [state.split(":")[0] for state in result.chart_states]
    assert kinds.count("capacity") == 2 and kinds.count("budget") == 2
    assert {"debt", "co2e", "gantt"} <= set(kinds)
    assert result.pdf_pages >= 3  # sections start on new pages when printed
    t = translator(lang)
    assert t("headline") in result.text and t("timeline") in result.text
    assert result.title.startswith(t("plan_report"))


@pytest.fixture(scope="module")
def districts_plan(tmp_path_factory):
    """tiny with districts (the south one named) and its plan, solved once for both languages."""
    folder = copy_tiny(tmp_path_factory.mktemp("districts"))
    add_districts(folder)
    edit_toml(folder, 'id = "south"', 'id = "south"\nname = "Södra byarna"')
    scenario = load_scenario(folder, "base")
    return scenario, run_scenario(scenario)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_district_view_renders_cleanly(districts_plan, tmp_path, lang):
    """report.html of tiny with districts: the full report, and its district view on its own
    page for the screenshot kept (report-districts-sv.png / -en.png)."""
    scenario, plan = districts_plan
    report = render_plan_html(plan, scenario, lang)
    full = tmp_path / "report.html"
    full.write_text(report, encoding="utf-8")
    result = render(full)
    _assert_clean_without_files(result)
    kinds = [state.split(":")[0] for state in result.chart_states]
    assert kinds.count("district") == 2
    t = translator(lang)
    section = report[report.index('<section id="districts"') :]
    section = section[: section.index("</section>") + len("</section>")]
    alone = tmp_path / "districts.html"
    alone.write_text(page(t("coverage_by_district"), section, lang), encoding="utf-8")
    shot = render(alone, ARTIFACTS / f"report-districts-{lang}.png", width=1100, height=900)
    _show(f"report.html district view ({lang})", shot)
    assert shot.errors == [] and shot.charts == shot.charts_ok == 2
    assert shot.screenshot.read_bytes()[:8] == PNG
    assert shot.screenshot.stat().st_size > 20_000
    spare = "20 lediga platser i north" if lang == "sv" else "20 spare places in north"
    assert t("coverage_by_district") in shot.text and spare in shot.text
    assert "Södra byarna" in shot.text


def _assert_clean_without_files(result) -> None:
    assert result.errors == [] and result.external_requests == []
    assert result.charts > 0 and result.charts_ok == result.charts, result.chart_states


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_compare_report_renders_cleanly(plans, tmp_path, lang):
    html = tmp_path / "compare.html"
    html.write_text(render_compare_html(compare_plans(plans, lang=lang), lang), encoding="utf-8")
    result = render(html, ARTIFACTS / f"compare-{lang}.png", ARTIFACTS / f"compare-{lang}.pdf")
    _show(f"compare.html ({lang})", result)
    assert_clean(result)
    assert {state.split(":")[0] for state in result.chart_states} == {
        "pv",
        "capex",
        "shortfall",
        "co2e",
        "debt",
    }
    assert result.pdf_pages >= 2
    assert "PS-NEW" in result.text
    assert result.title.startswith(translator(lang)("compare_report"))


def test_the_check_catches_a_broken_page(tmp_path):
    """The harness is not vacuous: a script error, an empty chart and a remote image are caught."""
    body = (
        '<figure class="chart" data-chart="empty"><svg viewBox="0 0 10 10"></svg></figure>'
        '<figure class="chart" data-chart="fine"><svg viewBox="0 0 10 10">'
        '<rect data-mark="bar" width="5" height="5"/></svg></figure>'
        '<img src="http://127.0.0.1:9/remote.png" alt="">'
        "<script>undefinedFunction();</script>"
    )
    html = tmp_path / "broken.html"
    html.write_text(page("broken", body, "en"), encoding="utf-8")
    result = render(html, tmp_path / "broken.png", tmp_path / "broken.pdf")
    assert (result.charts, result.charts_ok) == (2, 1)
    assert result.chart_states == ["empty:no", "fine:yes"]
    assert any("undefinedFunction" in error for error in result.errors)
    assert result.external_requests == ["http://127.0.0.1:9/remote.png"]


@pytest.fixture(scope="module")
def change_report(tmp_path_factory):
    """A replan whose one changed input (the population projection) adds a water main: the
    report of it, made once for both languages."""
    from test_replan import changed_inputs

    from optimizer.replan import load_adopted, replan
    from optimizer.replan_attribution import attribute_changes
    from optimizer.replan_inputs import input_differences
    from optimizer.report.changes import ChangeReport

    adopted_dir, next_year = changed_inputs(tmp_path_factory.mktemp("what-changed"))
    adopted = load_adopted(adopted_dir)
    new = load_scenario(next_year, "high")
    plan, changes = replan(new, adopted, 2027)
    old = adopted.scenario()
    diffs = input_differences(old, new)
    attribution = attribute_changes(changes, plan, old, new, diffs, adopted, 2027)
    return ChangeReport(
        plan,
        changes,
        diffs,
        attribution,
        plan.scenario,
        plan.variant,
        str(adopted.path),
        adopted.sha256,
        2027,
        0,
        {c.id: c.name for c in new.candidates},
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_what_changed_report_renders_cleanly(change_report, tmp_path, lang):
    """A replan whose one changed input (the population projection) adds a water main."""
    from optimizer.report.changes import render_changes_html

    report = change_report
    html = tmp_path / "what-changed.html"
    html.write_text(render_changes_html(report, lang), encoding="utf-8")
    result = render(
        html, ARTIFACTS / f"what-changed-{lang}.png", ARTIFACTS / f"what-changed-{lang}.pdf"
    )
    _show(f"what-changed.html ({lang})", result)
    assert_clean(result)
    assert [state.split(":")[0] for state in result.chart_states] == ["change-costs"]
    t = translator(lang)
    assert result.title == t("what_changed")
    for key in ("changes_to_adopted", "what_each_change_costs", "input_changes_rows"):
        assert t(key) in result.text
    assert "WATER-2" in result.text and "population.csv" in result.text
    assert result.pdf_pages >= 2  # the input rows start on a new page when printed


@pytest.fixture(scope="module")
def tradeoffs():
    from optimizer.tradeoffs import alternatives, frontier

    tiny = load_scenario(Path(__file__).parents[1] / "scenarios" / "tiny")
    return frontier(tiny, "co2e", 3), alternatives(tiny, 0.5, 2)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_frontier_report_renders_cleanly(tradeoffs, tmp_path, lang):
    from optimizer.report.tradeoffs import render_frontier_html

    html = tmp_path / "frontier.html"
    html.write_text(render_frontier_html(tradeoffs[0], "Tiny", lang), encoding="utf-8")
    result = render(html, ARTIFACTS / f"frontier-{lang}.png", ARTIFACTS / f"frontier-{lang}.pdf")
    _show(f"frontier.html ({lang})", result)
    assert_clean(result)
    assert [state.split(":")[0] for state in result.chart_states] == ["frontier"]
    t = translator(lang)
    assert result.title.startswith(t("frontier_report"))
    assert "PS-EXT" in result.text and t("knee") in result.text


def test_alternatives_report_renders_cleanly(tradeoffs, tmp_path):
    from optimizer.report.tradeoffs import render_alternatives_html

    html = tmp_path / "alternatives.html"
    html.write_text(render_alternatives_html(tradeoffs[1], "Tiny", "sv"), encoding="utf-8")
    result = render(html, ARTIFACTS / "alternatives-sv.png", ARTIFACTS / "alternatives-sv.pdf")
    _show("alternatives.html", result)
    assert_clean(result)
    assert [state.split(":")[0] for state in result.chart_states] == ["alternatives"]
    assert "Måste-projekt" in result.text and "WATER-EXT" in result.text
