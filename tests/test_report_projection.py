"""report.html states the population projection's assumptions when the scenario has
projection.toml (issue #15 item 1; optimizer/report/projection.py, docs/projection.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_factory import tiny_copy

import optimizer
from optimizer import projection as cohort
from optimizer.report.html import render_plan_html
from optimizer.report.i18n import translator
from optimizer.report.projection import projection_section
from optimizer.run import run_scenario

# tiny's years are 2026-2030: a base population on 31 Dec 2025, ages 0..10 (10 open)
PROJECTION_TOML = """
base_year = 2025
max_age = 10
age_groups = [
  { name = "0", first = 0, last = 0 },
  { name = "1-5", first = 1, last = 5 },
  { name = "6+", first = 6, last = 10 },
]

[base]
groups = [{ first = 0, last = 0, persons = 20 }, { first = 1, last = 10, persons = 300 }]
births = 20
deaths = 4

[mortality]
gompertz_slope = 0.1
infant_death_risk = 0.002
improvement = 0.01

[fertility]
first = 2
last = 8
yearly_change = 0.0

[migration]
profile = [{ first = 0, last = 5, share = 0.6 }, { first = 6, last = 10, share = 0.4 }]

[variants.base]
net_migration = 5

[variants.high]
total = 400
year = 2030
"""


@pytest.fixture
def projected(tmp_path) -> Path:
    return tiny_copy(tmp_path, files={"projection.toml": PROJECTION_TOML})


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_report_of_a_projected_scenario_states_its_assumptions(projected, lang):
    scenario = optimizer.load_scenario(projected, "high")
    html = render_plan_html(run_scenario(scenario), scenario, lang)
    t = translator(lang)
    assert '<section id="projection">' in html
    section = html[html.index('<section id="projection">') :]
    section = section[: section.index("</section>")]
    assert t("projection_title") in section
    calibrated = t("projection_calibrated", total="400", year=2030)
    assert calibrated in section  # the calibration target
    assert "0–5: 60" in section and "6–10: 40" in section  # the migration profile
    # tiny's population.csv is hand-written, not the projection's: the report says so
    assert t("projection_stale") in section
    # the report's own variant is the marked row
    marked = section[section.index('<tr class="diff">') :]
    assert marked.index(calibrated) < marked.index("</tr>")
    assert t("projection_reported", variant="high") in section


def test_the_report_says_when_population_csv_is_what_the_projection_gives(projected):
    given = cohort.read_projection(projected)
    result = cohort.project(given.settings, given.first_year, given.last_year, given.districts)
    scenario = optimizer.load_scenario(projected, "base")
    (projected / "population.csv").write_text(
        cohort.table_text(cohort.table_rows(result)), encoding="utf-8"
    )
    section = projection_section(scenario, "en")
    assert translator("en")("projection_current") in section
    assert "net migration as stated" in section and "+5" in section


def test_a_projection_that_cannot_be_projected_is_named_and_the_report_still_renders(tmp_path):
    broken = PROJECTION_TOML.replace("year = 2030", "year = 2045")  # beyond the scenario's years
    folder = tiny_copy(tmp_path, files={"projection.toml": broken})
    scenario = optimizer.load_scenario(folder, "base")
    html = render_plan_html(run_scenario(scenario), scenario, "en")
    assert "projection.toml could not be projected" in html and "2045" in html
    assert '<section id="timeline"' in html or "Project timeline" in html  # the rest is there


def test_a_scenario_without_projection_toml_has_no_projection_section():
    tiny = optimizer.load_scenario(Path(__file__).parents[1] / "scenarios" / "tiny")
    assert projection_section(tiny, "sv") == ""
    assert 'id="projection"' not in render_plan_html(run_scenario(tiny), tiny, "sv")


def test_english_projection_writes_per_1_000_the_english_way(projected):
    """The English report.html read "Births: … a year per 1 000 inhabitants" and "infant death
    risk … per 1 000" (a Swedish thousands space in English text)."""
    scenario = optimizer.load_scenario(projected, "high")
    plan = run_scenario(scenario)
    english = render_plan_html(plan, scenario, "en")
    assert " a year per 1,000 inhabitants aged 2–8" in english
    assert "infant death risk 2.0 per 1,000;" in english
    assert "1 000" not in english
    swedish = render_plan_html(plan, scenario, "sv")
    assert " per år och 1\u00a0000 invånare i åldern 2–8" in swedish
