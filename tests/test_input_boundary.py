"""The input boundary: option ranges, nesting depth, stored results and adopted plans.

Each test is named after what the user did and asserts the exact message and exit code. The
finite-number rule for scenario files is in the bad-input corpus (``bad_inputs/cases.py``) and
in the property test at the end of ``test_properties.py``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from scenario_edits import TINY, copy_tiny, run_cli

import optimizer
from optimizer.io.results import sha256, write_results
from optimizer.io.stored import ResultsFolder
from optimizer.run import run_scenario

USAGE = 1  # errors.EXIT_USAGE: wrong command-line use
INVALID = 2  # errors.EXIT_INVALID_INPUT


@pytest.fixture(scope="module")
def tiny_result(tmp_path_factory) -> Path:
    """``capplan run scenarios/tiny`` stored once; tests copy it before editing."""
    out = tmp_path_factory.mktemp("stored") / "tiny-base"
    scenario = optimizer.load_scenario(TINY)
    write_results(run_scenario(scenario), scenario, out)
    return out


def result_copy(tiny_result: Path, tmp_path: Path, name: str = "tiny-base") -> Path:
    folder = tmp_path / name
    shutil.copytree(tiny_result, folder)
    return folder


def edit_plan(plan_file: Path, edit) -> None:
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    edit(data)
    plan_file.write_text(json.dumps(data), encoding="utf-8")


def handed_over_plan(tiny_result: Path, tmp_path: Path, edit) -> Path:
    """A plan.json passed on by itself (no manifest, so no hashes to check), edited."""
    plan_file = tmp_path / "mailed" / "plan.json"
    plan_file.parent.mkdir()
    shutil.copy(tiny_result / "plan.json", plan_file)
    edit_plan(plan_file, edit)
    return plan_file


# ---- 3. option ranges, before any work -------------------------------------------------
OPTION_CASES = [
    ("--time-limit", "0", "0.0 is out of range: must be greater than 0"),
    ("--time-limit", "-5", "-5.0 is out of range: must be greater than 0"),
    ("--time-limit", "nan", "nan is out of range: must be a finite number"),
    ("--time-limit", "inf", "inf is out of range: must be a finite number"),
    ("--gap", "-1", "-1.0 is out of range: must be greater than or equal to 0"),
    ("--gap", "2", "2.0 is out of range: must be less than 1"),
    ("--threads", "0", "0 is out of range: must be greater than or equal to 1"),
    ("--threads", "-1", "-1 is out of range: must be greater than or equal to 1"),
    ("--threads", "10000", "10000 is out of range: must be less than or equal to 64"),
    ("--seed", "-1", "-1 is out of range: must be greater than or equal to 0"),
    (
        "--seed",
        "2147483648",
        "2147483648 is out of range: must be less than or equal to 2147483647",
    ),
]


@pytest.mark.parametrize(("option", "value", "message"), OPTION_CASES)
@pytest.mark.parametrize("command", ["run", "compare"])
def test_solver_option_out_of_range_is_refused_before_reading_the_scenario(
    command: str, option: str, value: str, message: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-scenario"  # the option is refused before this is looked at
    args = [command, missing, missing] if command == "compare" else [command, missing]
    code, out, err = run_cli(*args, option, value)
    assert code == USAGE
    assert f"Invalid value for {option}: {message}" in " ".join(err.split())
    assert "does not exist" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "value", "message"), [c for c in OPTION_CASES if c[0] in ("--time-limit", "--gap")]
)
def test_replan_option_out_of_range_is_refused_before_reading_the_adopted_plan(
    option: str, value: str, message: str, tmp_path: Path
) -> None:
    missing = tmp_path / "nothing"
    code, _, err = run_cli("replan", TINY, "--adopted", missing, "--year", "2027", option, value)
    assert code == USAGE
    assert f"Invalid value for {option}: {message}" in " ".join(err.split())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "inf",
            "Invalid value for --stability-price: inf is out of range: must be a finite number",
        ),
        (
            "2e9",
            "Invalid value for --stability-price: 2000000000.0 is out of range: '2 000 000 000' "
            "is beyond the sane range of an amount of money: at most 1 000 000 MSEK either way",
        ),
        ("-0,5", "-0.5 is out of range: must be greater than or equal to 0"),
        ("en halv", "'en halv' is not a number such as 1.5 or 1,5"),
    ],
    ids=["infinite", "absurd", "negative decimal comma", "a word"],
)
def test_replan_with_an_absurd_or_bad_stability_price_is_refused(
    value: str, message: str, tmp_path: Path
) -> None:
    code, _, err = run_cli(
        "replan", TINY, "--adopted", tmp_path / "nothing", "--year", "2027",
        "--stability-price", value,
    )  # fmt: skip
    assert code == USAGE
    assert message in " ".join(err.split())
    assert "--stability-price" in err


@pytest.mark.parametrize("value", ["0", "-5", "nan"])
def test_explain_with_time_limit_out_of_range_is_refused(value: str, tmp_path: Path) -> None:
    code, _, err = run_cli("explain", tmp_path / "nothing", "--time-limit", value)
    assert code == USAGE
    assert "Invalid value for --time-limit" in err
    assert "out of range" in err


def test_run_with_gap_and_time_limit_typed_with_a_decimal_comma_solves_with_them(
    tmp_path: Path,
) -> None:
    """A Swedish user types 0,01 as CSV cells and --within accept it."""
    out = tmp_path / "out"
    code, _, err = run_cli(
        "run", TINY, "--gap", "0,01", "--time-limit", "1,5", "--out", out, "--quiet"
    )
    assert code == 0, err
    settings = json.loads((out / "plan.json").read_text())["settings"]
    assert (settings["gap"], settings["time_limit"]) == (0.01, 1.5)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--gap", "2,5", "2.5 is out of range: must be less than 1"),
        ("--gap", "0,0,1", "'0,0,1' is not a number such as 1.5 or 1,5"),
        ("--time-limit", "0,0", "0.0 is out of range: must be greater than 0"),
        ("--time-limit", "ett", "'ett' is not a number such as 1.5 or 1,5"),
    ],
)
def test_run_with_a_bad_decimal_comma_solver_option_is_refused(
    option: str, value: str, message: str, tmp_path: Path
) -> None:
    code, _, err = run_cli("run", tmp_path / "nothing", option, value)
    assert code == USAGE
    assert message in " ".join(err.split())
    assert f"{option}" in err and "does not exist" not in err


def test_replan_with_a_stability_price_typed_with_a_decimal_comma_records_it(
    tmp_path: Path, tiny_result: Path
) -> None:
    out = tmp_path / "ny"
    code, _, err = run_cli(
        "replan", TINY, "--adopted", tiny_result, "--year", "2027",
        "--stability-price", "0,5", "--out", out, "--quiet",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads((out / "manifest.json").read_text())["replan"]["stability_price"] == 0.5


def test_seed_at_highs_maximum_is_accepted_and_applied(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run_cli("run", TINY, "--seed", "2147483647", "--out", out, "--quiet")
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["settings"]["seed"] == 2147483647


# ---- 4. nesting depth ------------------------------------------------------------------
def test_deeply_nested_toml_is_refused_with_a_message(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    with open(folder / "scenario.toml", "a", encoding="utf-8") as handle:
        handle.write("\nnotes = " + "[" * 100_000 + "]" * 100_000 + "\n")
    code, _, err = run_cli("validate", folder)
    assert code == INVALID
    assert (
        "scenario.toml: is nested 100000 levels deep; at most 64 levels of [ ] and { } are read"
        in err
    )
    assert "Traceback" not in err


def test_brackets_inside_toml_strings_and_comments_do_not_count(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    with open(folder / "scenario.toml", "a", encoding="utf-8") as handle:
        handle.write("# " + "[" * 500 + "\n")
    text = (folder / "scenario.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Tiny"', 'name = "Tiny ' + "{" * 500 + '"')
    (folder / "scenario.toml").write_text(text, encoding="utf-8")
    code, _, err = run_cli("validate", folder)
    assert code == 0, err


def test_deeply_nested_adopted_plan_json_is_refused(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text('{"schedule": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, _, err = run_cli("replan", TINY, "--adopted", plan_file, "--year", "2027")
    assert code == INVALID
    assert f"{plan_file}: is nested 100001 levels deep; at most 64" in " ".join(err.split())
    assert "Traceback" not in err


# ---- 5. stored results verified against their manifest -----------------------------------
def test_write_results_records_the_hash_of_every_output_file(tiny_result: Path) -> None:
    outputs = json.loads((tiny_result / "manifest.json").read_text())["outputs"]
    written = {
        p.relative_to(tiny_result).as_posix()
        for p in tiny_result.rglob("*")
        # .capplan-output.json (optimizer.io.output) is written after the manifest
        if p.is_file() and p.name not in ("manifest.json", ".capplan-output.json")
    }
    assert set(outputs) == written
    assert {"plan.json", "schedule.csv", "inputs/scenario.toml"} <= written
    assert outputs["plan.json"] == sha256(tiny_result / "plan.json")
    assert ResultsFolder.open(tiny_result).problems() == []


def _compare_with_stored(tmp_path: Path, stored_base: Path) -> tuple[int, str, str]:
    return run_cli(
        "compare",
        TINY,
        "--variants",
        "base,high",
        "--results",
        stored_base,
        "--out",
        tmp_path / "cmp",
        "--quiet",
    )


def test_compare_reuses_an_intact_stored_result(tiny_result: Path, tmp_path: Path) -> None:
    result_copy(tiny_result, tmp_path / "results")
    code, _, err = run_cli(
        "compare", TINY, "--variants", "base,high", "--results", tmp_path / "results",
        "--out", tmp_path / "cmp",
    )  # fmt: skip
    assert code == 0, err
    # the note is in the report language (Swedish by default)
    assert f"base: återanvänder {tmp_path / 'results' / 'tiny-base'}" in " ".join(err.split())
    runs = sorted(p.name for p in (tmp_path / "cmp" / "runs").iterdir())
    assert runs == ["high"]  # base came from the stored result


@pytest.mark.parametrize(
    ("edited", "edit"),
    [
        ("plan.json", lambda p: edit_plan(p, lambda d: d.update(objective=1.0))),
        ("schedule.csv", lambda p: p.write_text(p.read_text()[:40])),  # truncated
    ],
    ids=["plan-json-edited", "schedule-csv-truncated"],
)
def test_compare_solves_again_when_the_stored_result_was_edited(
    edited: str, edit, tiny_result: Path, tmp_path: Path
) -> None:
    stored = result_copy(tiny_result, tmp_path / "results")
    edit(stored / edited)
    code, out, err = run_cli(
        "compare", TINY, "--variants", "base,high", "--results", tmp_path / "results",
        "--out", tmp_path / "cmp",
    )  # fmt: skip
    assert code == 0, err
    said = " ".join((out + err).split())
    assert f"återanvänder inte {stored}: {stored / edited}: was changed after capplan wrote it" in (
        said
    ), said
    assert "löser igen" in said
    runs = sorted(p.name for p in (tmp_path / "cmp" / "runs").iterdir())
    assert runs == ["base", "high"]  # both solved: the edited result stood in for nothing


def test_replan_refuses_an_adopted_result_whose_plan_json_was_edited(
    tiny_result: Path, tmp_path: Path
) -> None:
    adopted = result_copy(tiny_result, tmp_path)
    edit_plan(adopted / "plan.json", lambda d: d["schedule"].pop())
    code, _, err = run_cli("replan", TINY, "--adopted", adopted, "--year", "2027")
    assert code == INVALID
    assert (
        f"{adopted / 'plan.json'}: was changed after capplan wrote it (its sha256 differs from "
        "the one in manifest.json); solve again instead of editing a result"
    ) in " ".join(err.split())


def test_explain_refuses_a_result_whose_schedule_csv_was_deleted(
    tiny_result: Path, tmp_path: Path
) -> None:
    result = result_copy(tiny_result, tmp_path)
    (result / "schedule.csv").unlink()
    code, _, err = run_cli("explain", result, "--candidate", "PS-NEW")
    assert code == INVALID
    assert f"{result / 'schedule.csv'}: is missing from the results folder" in " ".join(err.split())


# ---- 6. adopted plans that do not belong to the scenario ---------------------------------
def _first(data: dict, **changes) -> None:
    data["schedule"][0].update(changes)


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        (
            lambda d: _first(d, start_year=True),
            "schedule[1].start_year",
            "'True' is not a year",
        ),
        (
            lambda d: _first(d, start_year=2020),
            "schedule",
            "candidate 'PS-NEW': start_year 2020 is outside the scenario's horizon 2026-2030",
        ),
        (
            lambda d: _first(d, units=3),
            "schedule",
            "candidate 'PS-NEW': 3 units adopted but max_units is 1",
        ),
        (
            lambda d: [e.update(candidate=f"SKOLA-{i}") for i, e in enumerate(d["schedule"])],
            "schedule",
            "none of the adopted candidates (SKOLA-0, SKOLA-1, SKOLA-2, SKOLA-3) is in the "
            "scenario's candidates: the plan belongs to another scenario",
        ),
        (
            lambda d: d.update(scenario="Östersund 2040"),
            "scenario",
            "the adopted plan was made for scenario 'Östersund 2040', not 'Tiny': adopt a plan "
            "of this scenario",
        ),
    ],
    ids=[
        "start-year-true",
        "start-before-horizon",
        "more-units-than-max-units",
        "candidates-of-another-scenario",
        "plan-of-another-scenario",
    ],
)
def test_replan_refuses_an_adopted_plan_that_does_not_fit_the_scenario(
    edit, field: str, message: str, tiny_result: Path, tmp_path: Path
) -> None:
    plan_file = handed_over_plan(tiny_result, tmp_path, edit)
    code, _, err = run_cli("replan", TINY, "--adopted", plan_file, "--year", "2027")
    assert code == INVALID, err
    assert f"{plan_file}, field '{field}': {message}" in " ".join(err.split())
    assert "Traceback" not in err


# ---- 7. explain on a result whose objective is text ----------------------------------------
def test_explain_on_a_result_whose_objective_was_typed_as_text(
    tiny_result: Path, tmp_path: Path
) -> None:
    result = result_copy(tiny_result, tmp_path)
    (result / "manifest.json").unlink()  # an older result: nothing to verify against
    edit_plan(result / "plan.json", lambda d: d.update(objective="cirka 40"))
    code, _, err = run_cli("explain", result, "--candidate", "PS-NEW")
    assert code == INVALID
    assert f"{result / 'plan.json'}, field 'objective': 'cirka 40' is not a number" in " ".join(
        err.split()
    )
    assert "Traceback" not in err
