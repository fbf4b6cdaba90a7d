"""Coverage per district in report.html and plan.xlsx, and the Swedish of the plan report.

tiny with districts north and south (``add_districts``): preschool is planned per district and
no one may be served by a neighbour, so the base optimum leaves a shortfall of 20.5 places in
south in 2027 while north has 19.5 places spare that year.
"""

from __future__ import annotations

import html as html_text
import re
from pathlib import Path

import pytest
from scenario_edits import add_districts, copy_tiny, edit_toml

from optimizer import load_scenario
from optimizer.report import figures
from optimizer.report.excel import build_plan_workbook
from optimizer.report.html import render_plan_html
from optimizer.run import run_scenario


@pytest.fixture(scope="module")
def districts(tmp_path_factory):
    folder = copy_tiny(tmp_path_factory.mktemp("districts"))
    add_districts(folder)
    edit_toml(folder, 'id = "south"', 'id = "south"\nname = "Södra byarna"')
    scenario = load_scenario(folder, "base")
    return scenario, run_scenario(scenario)


def visible_text(page: str) -> str:
    page = re.sub(r"<style.*?</style>|<script.*?</script>|<svg.*?</svg>", " ", page, flags=re.S)
    return html_text.unescape(re.sub(r"<[^>]+>", " ", page))


def test_story_names_the_district_short_and_the_one_with_room(districts) -> None:
    _, plan = districts
    rows = figures.district_coverage(plan)["preschool"]
    story = figures.district_story(rows)
    assert story.shortfalls[0] == ("south", 2027, pytest.approx(20.5))
    assert story.spare == [("north", pytest.approx(19.5))]


@pytest.mark.parametrize(
    "lang, sentence",
    [
        (
            "sv",
            "Preschool places: brist 21 platser i Södra byarna 2027 och 2 i north 2030, "
            "20 lediga platser i north",
        ),
        (
            "en",
            "Preschool places: shortfall 21 places in Södra byarna 2027 and 2 in north 2030, "
            "20 spare places in north",
        ),
    ],
)
def test_report_html_shows_coverage_per_district(districts, lang: str, sentence: str) -> None:
    scenario, plan = districts
    page = render_plan_html(plan, scenario, lang)
    section = page[page.index('<section id="districts"') :]
    section = section[: section.index("</section>")]
    assert sentence in html_text.unescape(section)
    # small multiples: one chart per district, titled by the district's name
    assert section.count('data-chart="district"') == 2
    assert "<figcaption>Södra byarna</figcaption>" in section


def test_plan_xlsx_has_a_district_sheet_with_the_sentence(districts) -> None:
    scenario, plan = districts
    sheet = build_plan_workbook(plan, scenario, "sv")["Områden"]
    assert sheet["A2"].value == (
        "Preschool places: brist 21 platser i Södra byarna 2027 och 2 i north 2030, "
        "20 lediga platser i north"
    )
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0] == (
        "Verksamhet",
        "Område",
        "År",
        "Enhet",
        "Behov",
        "Kapacitet",
        "Brist",
        "Ledig kapacitet",
    )
    south_2027 = next(r for r in rows[1:] if r[1] == "Södra byarna" and r[2] == 2027)
    assert south_2027[3] == "platser" and south_2027[6] == pytest.approx(20.5)


def test_no_district_view_without_a_service_planned_by_district(tmp_path: Path) -> None:
    scenario = load_scenario(copy_tiny(tmp_path), "base")
    plan = run_scenario(scenario)
    assert 'id="districts"' not in render_plan_html(plan, scenario, "sv")
    assert build_plan_workbook(plan, scenario, "sv")["Områden"]["A1"].value == "inga"


def test_swedish_report_has_swedish_units_and_names_in_shadow_prices(districts) -> None:
    scenario, plan = districts
    text = visible_text(render_plan_html(plan, scenario, "sv"))
    assert "(platser)" in text and "(places)" not in text
    assert "1 plats mer kapacitet för Preschool places i Södra byarna 2027" in text
    assert " places mer " not in text


def test_assumptions_keep_small_shortfall_costs_apart(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    edit_toml(folder, "shortfall_cost = 1.0 ", "shortfall_cost = 0.012 ")
    edit_toml(folder, "shortfall_cost = 1.0\n", "shortfall_cost = 0.006\n")
    scenario = load_scenario(folder, "base")
    text = visible_text(render_plan_html(run_scenario(scenario), scenario, "sv"))
    assert "inom Preschool places kostar 0,012 MSEK per år" in text
    assert "inom Water supply kostar 0,006 MSEK per år" in text
