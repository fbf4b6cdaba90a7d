"""capplan sweep: Monte Carlo on Dask (docs/sweep.md). Tiny scenario, few samples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from scenario_factory import SWEEP_TOML, tiny_copy

import optimizer
from optimizer.errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE
from optimizer.sweep import Draw, SweepSettings, draw, read_sweep_settings, sample_scenario


@pytest.fixture(scope="module")
def cluster():
    """One two-worker cluster on the loopback interface for the module (starting one is slow)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as running:
        yield running.scheduler_address


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    from report_scenarios import cli_runner

    return cli_runner(monkeypatch, capsys, tmp_path)


def test_a_samples_future_depends_on_seed_and_sample_alone(tiny_sweep):
    settings = read_sweep_settings(tiny_sweep)
    candidates = ["A", "B", "C"]
    in_order = [draw(settings, candidates, 7, s) for s in range(5)]
    backwards = [draw(settings, candidates, 7, s) for s in reversed(range(5))][::-1]
    assert in_order == backwards
    assert draw(settings, candidates, 8, 0) != in_order[0]


def test_a_drawn_path_scales_the_variants_growth_and_the_capex(tiny_sweep):
    loaded = {v: optimizer.load_scenario(tiny_sweep, v) for v in ("base", "high")}
    settings = SweepSettings.model_validate(
        {
            "population": {"variants": {"high": 1}},
            "cost_overrun": {"low": 0.2, "mode": 0.2, "high": 0.2},
        }
    )
    future = draw(settings, [c.id for c in loaded["high"].candidates], 1, 0)
    half = sample_scenario(loaded, type(future)(0, "high", 0.5, None, future.overrun))
    pop = half.population.set_index(["age_group", "year"])["population"]
    # high: 80 children in 2026, 120 in 2030; half the growth: 100
    assert pop[("1-5", 2026)] == pytest.approx(80.0)
    assert pop[("1-5", 2030)] == pytest.approx(100.0)
    assert half.candidate_by_id["PS-NEW"].capex == pytest.approx(10 * 1.2)


def run_sweep(cli, scenario: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return cli(
        "sweep",
        str(scenario),
        "--samples",
        "4",
        "--seed",
        "11",
        "--out",
        str(out),
        "--quiet",
        *extra,
    )


@pytest.fixture(scope="module")
def cluster_sweep(tiny_sweep, cluster, tmp_path_factory) -> Path:
    """``run_sweep`` of tiny_sweep on the cluster, once for the module (in this process,
    scenario_edits.run_cli): the cluster test compares it with a local run, and the resume
    tests each damage or resume their own copy of it (``copy_of``) instead of sweeping again."""
    from scenario_edits import run_cli

    out = tmp_path_factory.mktemp("cluster-sweep") / "sweep"
    code, _, err = run_sweep(run_cli, tiny_sweep, out, "--scheduler", cluster)
    assert code == EXIT_OK, err
    return out


def copy_of(swept: Path, tmp_path: Path) -> Path:
    """A test's own copy of a finished sweep folder (file times kept)."""
    return Path(shutil.copytree(swept, tmp_path / "sweep"))


def test_a_sweep_on_a_two_worker_cluster_equals_the_local_run(
    cli, tiny_sweep, tmp_path, cluster_sweep
):
    code, _, err = run_sweep(cli, tiny_sweep, tmp_path / "local", "--workers", "1")
    assert code == EXIT_OK, err
    local = (tmp_path / "local" / "samples.csv").read_text(encoding="utf-8")
    assert local == (cluster_sweep / "samples.csv").read_text(encoding="utf-8")
    assert len(local.splitlines()) == 5
    html = (tmp_path / "local" / "sweep.html").read_text(encoding="utf-8")
    assert "Hur ofta varje projekt väljs" in html
    assert (tmp_path / "local" / "sweep.xlsx").is_file()


def test_an_interrupted_sweep_resumes_where_it_stopped(
    cli, tiny_sweep, tmp_path, cluster, cluster_sweep
):
    out = copy_of(cluster_sweep, tmp_path)
    kept = out / "samples" / "sample-000000.csv"
    before = kept.stat().st_mtime_ns
    full = (out / "samples.csv").read_text(encoding="utf-8")
    (out / "samples" / "sample-000002.csv").unlink()  # as if stopped before sample 2 finished
    code, output, err = cli(
        "sweep",
        str(tiny_sweep),
        "--samples",
        "4",
        "--seed",
        "11",
        "--out",
        str(out),
        "--scheduler",
        cluster,
    )
    assert code == EXIT_OK, err
    # Swedish by default, as the reports
    assert "Fortsätter" in output and "3 av 4 utfall redan lösta" in " ".join(output.split())
    assert kept.stat().st_mtime_ns == before  # solved samples are not solved again
    assert (out / "samples.csv").read_text(encoding="utf-8") == full


def test_a_sweep_folder_of_another_seed_is_refused(cli, tiny_sweep, tmp_path, cluster):
    out = tmp_path / "sweep"
    code, _, err = run_sweep(cli, tiny_sweep, out, "--scheduler", cluster, "--samples", "1")
    assert code == EXIT_OK, err
    code, _, err = cli(
        "sweep", str(tiny_sweep), "--samples", "1", "--seed", "12", "--out", str(out), "--quiet"
    )
    assert code == EXIT_USAGE
    assert "other inputs, seed or settings" in err


def test_an_adopted_plans_decisions_stay_fixed_in_every_sample(cli, tmp_path, cluster):
    # growth paths only: with overruns the adopted plan may break tiny's budgets (infeasible)
    paths_only = SWEEP_TOML[: SWEEP_TOML.index("[cost_overrun]")]
    scenario = tiny_copy(tmp_path, files={"sweep.toml": paths_only})
    adopted = tmp_path / "adopted"
    code, _, err = cli("run", str(scenario), "--out", str(adopted), "--quiet")
    assert code == EXIT_OK, err
    plan = json.loads((adopted / "plan.json").read_text(encoding="utf-8"))
    out = tmp_path / "sweep"
    code, _, err = run_sweep(cli, scenario, out, "--scheduler", cluster, "--adopted", str(adopted))
    assert code == EXIT_OK, err
    samples = pd.read_csv(out / "samples.csv")
    want: dict[str, dict[str, int]] = {}
    for entry in plan["schedule"]:
        want.setdefault(entry["candidate"], {})[str(entry["start_year"])] = entry["units"]
    assert want
    assert (samples["status"] == "optimal").all()
    for text in samples["starts"]:
        assert json.loads(text) == want
    # the same decisions meet different futures: the shortfall differs
    assert samples["shortfall_units"].nunique() > 1


def test_a_scenario_without_sweep_toml_names_the_file(cli, tmp_path):
    folder = tiny_copy(tmp_path)
    code, _, err = cli("sweep", str(folder), "--samples", "1")
    assert code == EXIT_INVALID_INPUT
    assert "sweep.toml" in err and "missing" in err


def _sample(sample: int, starts: dict, coverage: dict, status: str = "optimal", **figures) -> dict:
    from optimizer.sweep import SAMPLE_COLUMNS

    record = dict.fromkeys(SAMPLE_COLUMNS, 0.0)
    record.update(sample=sample, variant="base", status=status, starts=json.dumps(starts),
                  coverage=json.dumps(coverage), **figures)  # fmt: skip
    return record


def test_the_fan_gives_percentiles_of_demand_and_capacity_per_service_and_year():
    from optimizer.sweep_summary import fan

    samples = pd.DataFrame(
        [
            _sample(s, {}, {"school": {"2026": [100.0 + 10 * s, 90.0], "2027": [200.0, 150.0 + s]}})
            for s in range(11)
        ]
        + [_sample(11, {}, {"school": {"2026": [9999.0, 9999.0]}}, status="infeasible")]
    )
    rows = fan(samples).set_index(["service", "year", "measure"])
    # demand 2026 over the 11 solved samples: 100, 110, ..., 200 (the infeasible one is left out)
    assert rows.loc[("school", 2026, "demand"), ["p10", "p50", "p90"]].tolist() == [110, 150, 190]
    assert rows.loc[("school", 2026, "capacity"), "p50"] == 90.0
    assert rows.loc[("school", 2027, "capacity"), "p90"] == pytest.approx(159.0)
    assert rows.loc[("school", 2026, "demand"), "samples"] == 11


def test_start_years_give_the_share_of_samples_per_first_start_year():
    from optimizer.sweep_summary import start_years

    samples = pd.DataFrame(
        [
            _sample(0, {"A": {"2027": 1, "2030": 1}, "B": {"2028": 1}}, {}),
            _sample(1, {"A": {"2027": 1}}, {}),
            _sample(2, {"A": {"2029": 1}}, {}),
            _sample(3, {}, {}),
        ]
    )
    shares = start_years(samples, ["A", "B", "C"])
    assert list(shares.index) == ["A", "B"]  # most often chosen first; never chosen: no row
    assert list(shares.columns) == [2027, 2028, 2029]  # a later second start is not a first one
    assert shares.loc["A"].tolist() == [0.5, 0.0, 0.25]
    assert shares.loc["B", 2028] == 0.25


def test_a_histogram_of_equal_values_is_one_bar():
    from optimizer.sweep_summary import histogram

    assert histogram([3.0, 3.0, float("nan")]) == [(3.0, 3.0, 2)]
    bins = histogram([0.0, 1.0, 2.0, 10.0], bins=5)
    assert [n for _, _, n in bins] == [2, 1, 0, 0, 1] and bins[0][0] == 0.0 and bins[-1][1] == 10.0


def test_a_sweep_folder_from_before_the_coverage_column_still_reports(tmp_path):
    """Samples written without the coverage column (an older capplan) resume and report."""
    from optimizer.report.sweep import build_sweep_workbook, render_sweep_html
    from optimizer.sweep import SAMPLE_COLUMNS, read_samples, sample_path

    old = _sample(0, {"PS-NEW": {"2026": 1}}, {})
    del old["coverage"]
    target = sample_path(tmp_path, 0)
    target.parent.mkdir(parents=True)
    pd.DataFrame([old]).to_csv(target, index=False)
    results = read_samples(tmp_path, 1)
    assert list(results.columns) == SAMPLE_COLUMNS
    scenario = optimizer.load_scenario(Path(__file__).parents[1] / "scenarios" / "tiny")
    html = render_sweep_html(results, ["PS-NEW"], scenario, {"seed": 0}, "en")
    assert 'id="fan"' not in html and "PS-NEW" in html
    assert "Start years" in build_sweep_workbook(results, ["PS-NEW"], "en").sheetnames


@pytest.mark.parametrize(
    "lang, said",
    [
        (
            "sv",
            [
                "2 av 3 utfall lösta; brist i 50\u00a0% av dem.",
                "Kostnad (nuvärde, MSEK)",
                "2\u00a0500,0",
                "Projekt som väljs oftast",
                "Varför utfall är ogenomförbara",
                "budgetramen för Skatt 2028",
                "Rapport:",
            ],
        ),
        (
            "en",
            [
                "2 of 3 samples solved; shortfall in 50% of them.",
                "Cost (PV, MSEK)",
                "2,500.0",
                "Candidates chosen most often",
                "Why samples are infeasible",
                "the Tax budget in 2028",
                "Report:",
            ],
        ),
    ],
)
def test_the_sweep_summary_on_the_terminal_is_in_the_report_language(lang, said, tmp_path):
    from rich.console import Console

    from optimizer.report.sweep import print_sweep

    limits = json.dumps({"sv": ["budgetramen för Skatt 2028"], "en": ["the Tax budget in 2028"]})
    samples = pd.DataFrame(
        [
            _sample(0, {"A": {"2027": 1}}, {}, objective=2500.0, shortfall_units=3.0),
            _sample(1, {"A": {"2028": 1}}, {}, objective=2500.0),
            _sample(2, {}, {}, status="infeasible", limits=limits),
        ]
    )
    console = Console(record=True, width=200)
    print_sweep(samples, ["A"], console, tmp_path, lang)
    text = console.export_text()
    for sentence in said:
        assert sentence in text, (sentence, text)
    other = "Candidates chosen most often" if lang == "sv" else "Projekt som väljs oftast"
    assert other not in text


def test_the_sweep_workbook_holds_the_fan_and_the_start_years():
    from optimizer.report.sweep import build_sweep_workbook

    samples = pd.DataFrame(
        [
            _sample(s, {"A": {str(2026 + s): 1}}, {"school": {"2026": [10.0, 12.0]}})
            for s in range(2)
        ]
    )
    book = build_sweep_workbook(samples, ["A"], "sv")
    fan_sheet = book["Behov och kapacitet"]
    assert [c.value for c in fan_sheet[2]] == ["school", 2026, "Behov", 10.0, 10.0, 10.0, 2]
    years = book["Startår"]
    assert [c.value for c in years[1]] == ["Projekt-id", 2026, 2027]
    assert [c.value for c in years[2]] == ["A", 0.5, 0.5]


def committed_tiny(tmp_path: Path) -> dict:
    """tiny with PS-NEW committed to start in 2026 (capex 10, spent 5 + 5) and a BUF ceiling."""
    folder = tiny_copy(tmp_path, files={"sweep.toml": SWEEP_TOML})
    candidates = folder / "candidates.csv"
    text = candidates.read_text()
    row = next(line for line in text.splitlines() if line.startswith("PS-NEW,"))
    candidates.write_text(
        text.replace(row, row.replace(",no,,,preschool-site", ",no,,2026,preschool-site"))
    )
    (folder / "department_budgets.csv").write_text(
        "department,year,ceiling\nBUF,2026,7\nBUF,2028,7\n"
    )
    return {v: optimizer.load_scenario(folder, v) for v in ("base", "high")}


def ceilings(scenario) -> dict:
    return {
        **{(r.pool, r.year): r.ceiling for r in scenario.budgets},
        **{(r.department, r.year): r.ceiling for r in scenario.department_budgets},
    }


def test_a_committed_projects_overrun_is_paid_by_an_appropriation(tmp_path):
    loaded = committed_tiny(tmp_path)
    overrun = {"PS-NEW": 0.2, "PS-EXT": 0.5}
    sample = sample_scenario(loaded, Draw(0, "base", 1.0, None, overrun))
    before, after = ceilings(loaded["base"]), ceilings(sample)
    # PS-NEW costs 12 instead of 10: 1 MSEK more in 2026 and in 2027, in its pool (tax) and in
    # its department's ceiling where it has one (BUF 2026); PS-EXT is a decision, not decided
    raised = {("tax", 2026): 1.0, ("tax", 2027): 1.0, ("BUF", 2026): 1.0}
    assert {k: after[k] - before[k] for k in before if after[k] != before[k]} == pytest.approx(
        raised
    )
    assert sample.candidate_by_id["PS-NEW"].capex == pytest.approx(12.0)
    assert sample.candidate_by_id["PS-EXT"].capex == pytest.approx(6.0)


def test_an_underrun_of_a_committed_project_leaves_the_ceilings_as_they_are(tmp_path):
    loaded = committed_tiny(tmp_path)
    sample = sample_scenario(loaded, Draw(0, "base", 1.0, None, {"PS-NEW": -0.1}))
    assert ceilings(sample) == ceilings(loaded["base"])
    assert sample.candidate_by_id["PS-NEW"].capex == pytest.approx(9.0)


def test_an_infeasible_sample_names_the_limit_it_cannot_meet(cli, tmp_path, cluster):
    # every candidate 45 % dearer: the adopted plan's PS-NORTH (6 -> 8.7 MSEK in 2028) no longer
    # fits the tax budget of 8 MSEK that year, nor its WATER-EXT (half of 3 -> 4.35 = 2.2 MSEK in
    # 2027) the water budget of 2
    dearer = SWEEP_TOML.replace("low = -0.05\nmode = 0.10", "low = 0.45\nmode = 0.45")
    scenario = tiny_copy(tmp_path, files={"sweep.toml": dearer})
    adopted = tmp_path / "adopted"
    code, _, err = cli("run", str(scenario), "--out", str(adopted), "--quiet")
    assert code == EXIT_OK, err
    out = tmp_path / "sweep"
    code, _, err = run_sweep(cli, scenario, out, "--scheduler", cluster, "--adopted", str(adopted))
    assert code == EXIT_OK, err
    samples = pd.read_csv(out / "samples.csv")
    assert (samples["status"] == "infeasible").all()
    limits = [json.loads(cell) for cell in samples["limits"]]
    tax, water = "Tax-financed", "Water and sewage (fee-financed)"
    en = [f"the {tax} budget in 2028", f"the {water} budget in 2027"]
    sv = [f"budgetramen för {tax} 2028", f"budgetramen för {water} 2027"]
    assert all(lim == {"en": en, "sv": sv} for lim in limits), limits
    html = (out / "sweep.html").read_text(encoding="utf-8")
    assert "Varför utfall är ogenomförbara" in html and f"budgetramen för {tax} 2028" in html


@pytest.mark.parametrize(
    "damage, said",
    [
        (lambda path: path.write_bytes(b""), "is empty"),
        (  # opened in Excel and saved back with Swedish separators
            lambda path: pd.read_csv(path).to_csv(path, sep=";", decimal=",", index=False),
            "is separated by semicolons (saved back from Excel?)",
        ),
    ],
    ids=["emptied", "saved-by-excel"],
)
def test_a_sweep_resumed_over_a_damaged_sample_file_names_it_and_keeps_it(
    cli, tiny_sweep, tmp_path, cluster, cluster_sweep, damage, said
):
    """A sample file capplan cannot read back is neither counted as a sample (a blank row in
    every distribution) nor solved over (it may be the user's): the user is told which."""
    out = copy_of(cluster_sweep, tmp_path)
    damaged = out / "samples" / "sample-000001.csv"
    damage(damaged)
    kept = damaged.read_bytes()
    report = (out / "samples.csv").read_bytes()
    code, _, err = run_sweep(cli, tiny_sweep, out, "--scheduler", cluster)
    assert code == EXIT_USAGE
    assert (
        f"Error: {damaged} {said}: it is not a sample capplan wrote; delete it and run the same "
        "command again to solve that sample again"
    ) in " ".join(err.split())
    assert damaged.read_bytes() == kept
    assert (out / "samples.csv").read_bytes() == report
