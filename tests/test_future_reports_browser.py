"""sweep.html and robust.html (issue #15) in a real headless browser, like report.html in
tests/test_reports_browser.py: no console errors, no request leaving the file, every chart drawn
(the fan charts of demand and capacity, the histograms), an A4 print layout. Screenshots and
PDFs are kept in tests/artifacts/ (``pytest -s`` prints their paths).

Skipped only when no Chromium is installed (CI installs it: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from browser_check import ARTIFACTS, assert_clean, render  # noqa: E402
from scenario_factory import tiny_copy  # noqa: E402

import optimizer  # noqa: E402
from optimizer.report.i18n import translator  # noqa: E402
from optimizer.run import solve_settings_for  # noqa: E402

pytestmark = pytest.mark.browser
LOW_ROWS = "".join(f"low,{y},,1-5,40\nlow,{y},,6+,20\n" for y in range(2026, 2031))
LOW_VARIANT = '[variants.low]\ndescription = "Fewer children."\npopulation = "low"\n'


@pytest.fixture(scope="module")
def swept(tiny_sweep):
    """Twelve samples of tiny solved in a plain loop (the sweep's own code, no cluster)."""
    from optimizer.sweep import SAMPLE_COLUMNS, read_sweep_settings, run_loop

    settings = read_sweep_settings(tiny_sweep)
    loaded = {v: optimizer.load_scenario(tiny_sweep, v) for v in settings.population.variants}
    first = loaded["base"]
    records = run_loop(loaded, settings, 3, range(12), solve_settings_for(first, threads=1))
    return pd.DataFrame(records, columns=SAMPLE_COLUMNS), first


@pytest.fixture(scope="module")
def robust_result(tmp_path_factory):
    from optimizer.robust import solve_robust

    folder = tiny_copy(
        tmp_path_factory.mktemp("robust"),
        toml_extra=LOW_VARIANT,
        append={"population.csv": LOW_ROWS},
    )
    loaded = {v: optimizer.load_scenario(folder, v) for v in ("low", "base", "high")}
    result = solve_robust(loaded, solve_settings_for(loaded["low"]), decide_until=2026)
    return result, loaded["low"]


def _assert_clean(result) -> None:
    assert_clean(result)
    print(f"\nscreenshot {result.screenshot}, PDF {result.pdf} ({result.pdf_pages} pages)")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sweep_report_shows_fan_charts_start_years_and_distributions(swept, tmp_path, lang):
    from optimizer.report.sweep import render_sweep_html

    results, scenario = swept
    candidates = [c.id for c in scenario.candidates]
    html = tmp_path / "sweep.html"
    html.write_text(
        render_sweep_html(results, candidates, scenario, {"seed": 3}, lang), encoding="utf-8"
    )
    result = render(html, ARTIFACTS / f"sweep-{lang}.png", ARTIFACTS / f"sweep-{lang}.pdf")
    _assert_clean(result)
    kinds = [state.split(":")[0] for state in result.chart_states]
    assert kinds.count("fan") == len(scenario.settings.services)  # one per service
    assert kinds.count("histogram") == 3  # cost, largest debt, shortfall
    t = translator(lang)
    for key in ("fan_title", "fan_demand_band", "start_year_distribution", "distribution"):
        assert t(key) in result.text
    assert "PS-NEW" in result.text
    assert result.title == t("sweep_report")
    assert result.pdf_pages >= 3  # fan charts, candidates and distributions each on a new page


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_robust_report_shows_demand_and_capacity_in_each_variant(robust_result, tmp_path, lang):
    from optimizer.report.robust import render_robust_html

    result, scenario = robust_result
    html = tmp_path / "robust.html"
    html.write_text(render_robust_html(result, scenario, lang), encoding="utf-8")
    page = render(html, ARTIFACTS / f"robust-{lang}.png", ARTIFACTS / f"robust-{lang}.pdf")
    _assert_clean(page)
    kinds = [state.split(":")[0] for state in page.chart_states]
    assert kinds.count("fan") == len(scenario.settings.services)
    t = translator(lang)
    for key in ("core", "deferred", "regret_table", "robust_fan_title"):
        assert t(key) in page.text
    for variant in ("low", "base", "high"):
        assert t("robust_fan_demand", variant=variant) in page.text
    assert page.title == t("robust_report")
    assert page.pdf_pages >= 2
