"""capplan project: the cohort-component projection (docs/projection.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from optimizer.errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE
from optimizer.projection import project, read_projection, table_rows, table_text
from optimizer.schema.projection import ProjectionSettings

OSTERSUND = Path(__file__).parents[1] / "scenarios" / "ostersund-2040"

# Ages 0..5 (5 open). Base 31 Dec 2020: 1000 aged 0, 200 at every other age.
SMALL = {
    "base_year": 2020,
    "max_age": 5,
    "base": {
        "groups": [
            {"first": 0, "last": 0, "persons": 1000},
            *({"first": age, "last": age, "persons": 200} for age in range(1, 6)),
        ]
    },
    "mortality": {
        "risks": [
            {"first": 0, "last": 0, "rate": 0.01},
            {"first": 1, "last": 1, "rate": 0.02},
            {"first": 2, "last": 2, "rate": 0.1},
            {"first": 3, "last": 5, "rate": 0.5},
        ],
        "improvement": 0.1,
    },
    "fertility": {"rates": [{"first": 2, "last": 3, "rate": 0.1}]},
    "migration": {
        "profile": [
            {"first": 1, "last": 2, "share": 0.5},
            {"first": 5, "last": 5, "share": 0.5},
        ]
    },
    "age_groups": [
        {"name": "0-3", "first": 0, "last": 3},
        {"name": "4+", "first": 4, "last": 5},
    ],
    "variants": {"stated": {"net_migration": 100}, "goal": {"total": 3000, "year": 2023}},
}


def small_settings(**changes) -> ProjectionSettings:
    return ProjectionSettings.model_validate({**SMALL, **changes})


def test_one_cohort_over_three_years_by_hand():
    projection = project(small_settings(), 2021, 2023, [])
    pop = projection.population["stated"]
    # the 1000 born in 2020; death risks fall 10 % a year; 100 net in-movers, 25 at age 1 and 2
    # 2021, age 1: 1000·(1 − 0.01·0.9) + 25 = 1016
    assert pop[2021][1] == pytest.approx(1016.0, abs=1e-9)
    # 2022, age 2: 1016·(1 − 0.02·0.81) + 25 = 1016·0.9838 + 25 = 1024.5408
    assert pop[2022][2] == pytest.approx(1024.5408, abs=1e-9)
    # 2023, age 3: 1024.5408·(1 − 0.1·0.729) = 1024.5408·0.9271 = 949.85177568
    assert pop[2023][3] == pytest.approx(949.85177568, abs=1e-9)
    # births 2021 = 0.1·(200 + 200) at ages 2-3, surviving half a year at q(0) = 0.01: 39.8
    assert pop[2021][0] == pytest.approx(39.8, abs=1e-9)


def test_a_variant_calibrated_to_a_total_reaches_it_by_scaling_migration():
    projection = project(small_settings(), 2021, 2023, [])
    assert projection.total("goal", 2023) == pytest.approx(3000.0, abs=1e-6)
    # the same net migration stated instead of calibrated gives the same population
    stated = {"stated": {"net_migration": projection.net_migration["goal"]}}
    again = project(small_settings(variants=stated), 2021, 2023, [])
    assert again.population["stated"][2023] == pytest.approx(projection.population["goal"][2023])


def test_ostersund_target_reaches_75000_in_2040():
    given = read_projection(OSTERSUND)
    projection = project(given.settings, given.first_year, given.last_year, given.districts)
    assert projection.total("target", 2040) == pytest.approx(75000.0, abs=1e-6)
    assert projection.net_migration["target"] == pytest.approx(680, abs=1)
    rows = [r for r in table_rows(projection) if r[0] == "target" and r[1] == 2040]
    assert abs(sum(r[4] for r in rows) - 75000) <= len(given.settings.age_groups)


def test_the_shipped_ostersund_population_is_the_projection():
    given = read_projection(OSTERSUND)
    projection = project(given.settings, given.first_year, given.last_year, given.districts)
    shipped = (OSTERSUND / "population.csv").read_text(encoding="utf-8")
    assert table_text(table_rows(projection)) == shipped


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    from report_scenarios import cli_runner

    return cli_runner(monkeypatch, capsys, tmp_path)


@pytest.fixture
def ostersund_copy(tmp_path) -> Path:
    folder = tmp_path / "ostersund"
    shutil.copytree(OSTERSUND, folder)
    return folder


def test_project_leaves_an_up_to_date_table_alone(cli, ostersund_copy):
    before = (ostersund_copy / "population.csv").stat().st_mtime_ns
    code, out, err = cli("project", str(ostersund_copy), "--quiet")
    assert code == EXIT_OK, err
    assert "up to date" in out
    assert (ostersund_copy / "population.csv").stat().st_mtime_ns == before


def test_project_never_replaces_a_different_population_without_force(cli, ostersund_copy):
    settings = ostersund_copy / "projection.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("total = 75000", "total = 76000"),
        encoding="utf-8",
    )
    shipped = (ostersund_copy / "population.csv").read_bytes()
    code, _, err = cli("project", str(ostersund_copy), "--quiet")
    assert code == EXIT_USAGE
    assert "--force" in err
    assert (ostersund_copy / "population.csv").read_bytes() == shipped
    code, _, err = cli("project", str(ostersund_copy), "--quiet", "--force")
    assert code == EXIT_OK, err
    rows = (ostersund_copy / "population.csv").read_text(encoding="utf-8").splitlines()
    target_2040 = [r.split(",") for r in rows if r.startswith("target,2040,")]
    assert abs(sum(int(r[4]) for r in target_2040) - 76000) <= 7


def test_project_refuses_to_write_another_table_of_the_scenario(cli, ostersund_copy):
    budgets = (ostersund_copy / "budgets.csv").read_bytes()
    out = ostersund_copy / "budgets.csv"
    code, _, err = cli("project", str(ostersund_copy), "--out", str(out), "--force", "--quiet")
    assert code == EXIT_USAGE
    assert "population.csv" in err
    assert out.read_bytes() == budgets


def test_project_without_projection_toml_says_which_file_is_missing(cli, tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree(Path(__file__).parents[1] / "scenarios" / "tiny", folder)
    code, _, err = cli("project", str(folder))
    assert code == EXIT_INVALID_INPUT
    assert "projection.toml" in err and "missing" in err


def test_a_migration_profile_not_summing_to_one_names_file_and_field(cli, ostersund_copy):
    settings = ostersund_copy / "projection.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("share = 0.32", "share = 0.42"),
        encoding="utf-8",
    )
    code, _, err = cli("project", str(ostersund_copy))
    assert code == EXIT_INVALID_INPUT
    assert "projection.toml" in err and "migration" in err and "sum to 1.1" in err


def test_districts_add_up_to_the_kommun_in_every_age_group():
    given = read_projection(OSTERSUND)
    projection = project(given.settings, given.first_year, given.last_year, given.districts)
    by_group: dict[tuple, int] = {}
    for variant, year, _district, group, persons in table_rows(projection):
        by_group[(variant, year, group)] = by_group.get((variant, year, group), 0) + persons
    for (variant, year, group), persons in by_group.items():
        assert persons == round(projection.group_totals(variant, year)[group])


def test_fitting_every_year_at_once_gives_each_years_own_fit_exactly():
    """The report and ``capplan project`` fit all variants and years side by side (one array);
    each fit must be, to the last bit, the iterative proportional fitting of docs/projection.md
    done alone, one age group and one district at a time, as population.csv was made."""
    from optimizer.projection import (
        FIT_ROUNDS,
        _totals_and_above,
        district_share,
        fit_districts_all,
    )

    given = read_projection(OSTERSUND)
    projection = project(given.settings, given.first_year, given.last_year, given.districts)
    s, districts = given.settings, projection.districts

    def fitted_alone(totals: dict[str, float], year: int) -> dict[str, dict[str, float]]:
        share = {d: district_share(s, d, year) for d in districts}
        whole = sum(totals.values())
        cells = {g: {d: totals[g] * share[d] * s.age_tilt[d][g] for d in districts} for g in totals}
        for _ in range(FIT_ROUNDS):
            for g, row in cells.items():
                scale = totals[g] / sum(row.values())
                for d in row:
                    row[d] *= scale
            for d in districts:
                scale = whole * share[d] / sum(cells[g][d] for g in cells)
                for g in cells:
                    cells[g][d] *= scale
        return cells

    fits = [
        (_totals_and_above(projection, name, variant, year)[0], year)
        for name, variant in s.variants.items()
        for year in projection.years[::7]
    ]
    assert len(fits) >= 6 and len(districts) == 4
    assert fit_districts_all(s, fits, districts) == [fitted_alone(*fit) for fit in fits]
