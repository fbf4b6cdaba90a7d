"""Safe by construction: exported text never runs as a formula, settings are parsed by safe
parsers only, and no path inside a scenario reads outside its folder.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pytest
from scenario_edits import run_cli
from scenario_factory import ROOT, TINY, tiny_copy

import optimizer
from optimizer.compare import run_folder_names
from optimizer.errors import EXIT_INVALID_INPUT, EXIT_OK, ScenarioError
from optimizer.io.output import safe_component
from optimizer.io.results import default_output_dir, escape_cell

# Text a spreadsheet would run: every formula prefix, and the classic payloads.
HOSTILE_NAMES = {
    "PS-NEW": '=HYPERLINK("http://evil.example","click")',
    "PS-MOD": "@SUM(A1:A9)",
    "WATER-EXT": "+cmd|' /C calc'!A0",
    "PS-NORTH": "-2+3+cmd|' /C calc'!A0",
}
HOSTILE_ID = "-PS-NORTH"  # an id is text too, and appears in many tables
HOSTILE_TITLE = "Tiny <script>alert('x')</script>"


def capplan(*args: str) -> subprocess.CompletedProcess:
    """``capplan`` in this process (``scenario_edits.run_cli``; an exception escaping it fails
    the test, as a traceback would): a new interpreter per command cost 2-6 s and changes
    nothing these tests look at (exit code, messages, files, a command never run)."""
    return subprocess.CompletedProcess(args, *run_cli(*args))


def hostile_scenario(tmp_path: Path) -> Path:
    folder = tiny_copy(tmp_path, toml_replace={'name = "Tiny"': f'name = "{HOSTILE_TITLE}"'})
    path = folder / "candidates.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row["name"] = HOSTILE_NAMES.get(row["id"], row["name"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    for table in folder.glob("*.csv"):  # rename PS-NORTH everywhere it is referenced
        table.write_text(table.read_text(encoding="utf-8").replace("PS-NORTH,", f"{HOSTILE_ID},"))
    return folder


@pytest.fixture(scope="module")
def hostile_results(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("safety")
    out = tmp / "out"
    result = capplan("run", str(hostile_scenario(tmp)), "--out", str(out), "--quiet")
    assert result.returncode == EXIT_OK, result.stderr
    return out


# --------------------------------------------------------------------------------------
# Formula injection
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Förskola", "Förskola"),
        ("a=b", "a=b"),
        (-1.5, -1.5),  # numbers are numbers, not text
        (None, None),
    ],
)
def test_escape_cell(text, escaped) -> None:
    assert escape_cell(text) == escaped


def test_schedule_csv_escapes_names_and_ids(hostile_results: Path) -> None:
    with open(hostile_results / "schedule.csv", newline="", encoding="utf-8") as handle:
        schedule = {row["name"]: row for row in csv.DictReader(handle)}
    chosen = [name for name in HOSTILE_NAMES.values() if "'" + name in schedule]
    assert len(chosen) >= 3, sorted(schedule)  # tiny chooses PS-NEW, PS-MOD, WATER-EXT, PS-NORTH
    assert '=HYPERLINK("http://evil.example","click")' not in schedule
    assert "'" + HOSTILE_ID in {row["candidate"] for row in schedule.values()}


def test_no_results_csv_cell_can_run_as_a_formula(hostile_results: Path) -> None:
    """Every cell that starts like a formula is either a number or escaped."""
    checked = 0
    for path in sorted(hostile_results.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.reader(handle), start=1):
                for cell in row:
                    checked += 1
                    if cell[:1] in ("=", "+", "-", "@"):
                        try:
                            float(cell)
                        except ValueError:
                            pytest.fail(
                                f"{path.name}, line {line}: {cell!r} would run as a formula"
                            )
    assert checked > 100


def test_plan_json_keeps_the_names_verbatim(hostile_results: Path) -> None:
    plan = json.loads((hostile_results / "plan.json").read_text(encoding="utf-8"))
    names = {row["name"] for row in plan["schedule"]}
    assert HOSTILE_NAMES["PS-NEW"] in names  # JSON is data, not a spreadsheet: no apostrophe
    assert plan["scenario"] == HOSTILE_TITLE


def test_plan_xlsx_holds_the_names_as_text(hostile_results: Path) -> None:
    book_path = hostile_results / "plan.xlsx"
    if not book_path.exists():
        pytest.skip("no plan.xlsx in the results")
    import openpyxl

    book = openpyxl.load_workbook(book_path)
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                if any(payload in cell.value for payload in ("HYPERLINK", "cmd|", "SUM(A1:A9)")):
                    assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                    found += 1
    assert found >= 3


def test_report_html_escapes_markup(hostile_results: Path) -> None:
    report = hostile_results / "report.html"
    if not report.exists():
        pytest.skip("no report.html in the results")
    text = report.read_text(encoding="utf-8")
    assert "<script>alert('x')</script>" not in text
    assert "alert(" in text  # the title is shown, escaped


# --------------------------------------------------------------------------------------
# Safe parsers only
# --------------------------------------------------------------------------------------
UNSAFE = {
    r"\beval\(": "eval()",
    r"\bexec\(": "exec()",
    r"\bpickle\b|read_pickle|\bdill\b|\bshelve\b|\bmarshal\b": "pickle-like deserialisation",
    r"\byaml\b": "YAML (yaml.load runs arbitrary constructors)",
    r"allow_pickle\s*=\s*True": "numpy.load with pickles",
    r"shell\s*=\s*True": "a shell",
    r"\b__import__\(|importlib\.import_module\(": "imports chosen at run time",
    r"\bos\.system\(|\bos\.popen\(": "a shell",
}


def test_the_package_uses_no_unsafe_parser() -> None:
    found = []
    for path in sorted((ROOT / "optimizer").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            for pattern, what in UNSAFE.items():
                if re.search(pattern, code):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    assert found == []


def test_settings_are_read_with_tomllib() -> None:
    # folder.py reads through io/nesting.py, which bounds the nesting depth first
    source = (ROOT / "optimizer" / "io" / "folder.py").read_text(encoding="utf-8")
    assert "loads_toml(" in source
    bounded = (ROOT / "optimizer" / "io" / "nesting.py").read_text(encoding="utf-8")
    assert "tomllib.loads(" in bounded


def test_text_that_looks_like_code_stays_text(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {marker}')"
    folder = tiny_copy(tmp_path, toml_replace={'name = "Tiny"': f'name = "{payload}"'})
    candidates = folder / "candidates.csv"
    candidates.write_text(candidates.read_text().replace("Permanent building", payload))
    scenario = optimizer.load_scenario(folder)
    assert scenario.settings.scenario.name == payload
    assert capplan("validate", str(folder)).returncode == EXIT_OK
    assert not marker.exists()


# --------------------------------------------------------------------------------------
# No reading outside the scenario folder
# --------------------------------------------------------------------------------------
def _outside_copy(tmp_path: Path, name: str) -> Path:
    """A valid copy of tiny's ``name`` outside the scenario: if it were read, all would be fine."""
    outside = tmp_path / "elsewhere"
    outside.mkdir(exist_ok=True)
    target = outside / name
    target.write_bytes((TINY / name).read_bytes())
    return target


@pytest.mark.parametrize("name", ["budgets.csv", "candidates.csv", "scenario.toml"])
def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    folder = tiny_copy(tmp_path)
    (folder / name).unlink()
    (folder / name).symlink_to(_outside_copy(tmp_path, name))
    with pytest.raises(ScenarioError) as caught:
        optimizer.load_scenario(folder)
    assert any(p.file == name and "outside" in p.message for p in caught.value.problems)
    result = capplan("validate", str(folder))
    assert result.returncode == EXIT_INVALID_INPUT
    assert name in result.stderr and "outside the scenario folder" in result.stderr
    assert "Traceback" not in result.stderr


UNSAFE_TABLE_NAMES = [
    "../elsewhere/budgets",
    "../elsewhere/budgets.csv",
    "..",
    "/etc/passwd",
    "/tmp/budgets.csv",
    "sub/budgets",
    "..\\\\elsewhere\\\\budgets",
    "C:/budgets",
    "~/budgets",
]


@pytest.mark.parametrize("table_name", UNSAFE_TABLE_NAMES)
def test_tables_setting_cannot_name_a_file_outside(tmp_path: Path, table_name: str) -> None:
    _outside_copy(tmp_path, "budgets.csv")
    folder = tiny_copy(tmp_path, toml_extra=f'[tables]\nbudgets = "{table_name}"\n')
    with pytest.raises(ScenarioError) as caught:
        optimizer.load_scenario(folder)
    assert ("scenario.toml", "tables.budgets") in {(p.file, p.field) for p in caught.value.problems}


@pytest.mark.parametrize("table_name", UNSAFE_TABLE_NAMES[:5])
def test_variant_tables_cannot_name_a_file_outside(tmp_path: Path, table_name: str) -> None:
    _outside_copy(tmp_path, "budgets.csv")
    folder = tiny_copy(tmp_path, toml_extra=f'[variants.base.tables]\nbudgets = "{table_name}"\n')
    with pytest.raises(ScenarioError) as caught:
        optimizer.load_scenario(folder, "base")
    fields = {(p.file, p.field) for p in caught.value.problems}
    assert ("scenario.toml", "variants.base.tables.budgets") in fields
    if table_name == UNSAFE_TABLE_NAMES[0]:  # and once through the command line
        result = capplan("validate", str(folder))
        assert result.returncode == EXIT_INVALID_INPUT and "Traceback" not in result.stderr
        assert "variants.base.tables.budgets" in result.stderr


# --------------------------------------------------------------------------------------
# replan's own CSV files
# --------------------------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    """``capplan`` in this process (``report_scenarios.cli_runner``): (code, stdout, stderr)."""
    from report_scenarios import cli_runner

    return cli_runner(monkeypatch, capsys, tmp_path)


# a second water main, worth building in tiny's high variant (tests/test_replan.py, WATER_2)
SECOND_WATER_MAIN = "{id},{name},TEK,,2,1,1,2026,2029,50,0,0,10,0,va,0,no,,,,1,1,,\n"


def replan_against_tiny(cli, tmp_path: Path, scenario: Path) -> Path:
    """Adopt tiny's plan, then replan ``scenario`` (high variant) from 2027: the results folder."""
    adopted = tmp_path / "adopted"
    code, _, err = cli("run", str(TINY), "--out", str(adopted), "--quiet")
    assert code == EXIT_OK, err
    out = tmp_path / "replan"
    code, _, err = cli(
        "replan", str(scenario), "--adopted", str(adopted), "--year", "2027",
        "--variant", "high", "--out", str(out), "--quiet",
    )  # fmt: skip
    assert code == EXIT_OK, err
    return out


def formula_cells(path: Path) -> list[str]:
    """Cells of a CSV file that a spreadsheet would run as a formula."""
    found = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@"):
                    try:
                        float(cell)
                    except ValueError:
                        found.append(cell)
    return found


def test_replan_csv_cells_are_escaped(cli, tmp_path: Path) -> None:
    """Names and ids that changed since the adopted plan reach changes.csv and
    input_changes.csv: escaped there exactly as in every other CSV capplan writes."""
    hyperlink = '=HYPERLINK("http://evil.example","click")'
    folder = tiny_copy(
        tmp_path,
        append={
            "candidates.csv": SECOND_WATER_MAIN.format(id="-W2", name="Second water main"),
            "candidate_capacity.csv": "-W2,water,20\n",
        },
    )
    candidates = folder / "candidates.csv"
    text = candidates.read_text(encoding="utf-8")
    text = text.replace("New preschool (20 places)", '"' + hyperlink.replace('"', '""') + '"')
    text = text.replace("Water main to the new area", "-2+3")
    text = text.replace("Modular preschool unit (5 places)", "=cmd|' /C calc'!A0")
    candidates.write_text(text, encoding="utf-8")
    out = replan_against_tiny(cli, tmp_path, folder)
    changes = (out / "changes.csv").read_text(encoding="utf-8")
    inputs = (out / "input_changes.csv").read_text(encoding="utf-8")
    assert "'-W2" in changes  # the added candidate, by its id
    assert "'" + hyperlink.replace('"', '""') in inputs  # the renamed one, as text
    assert "'=cmd|' /C calc'!A0" in inputs and "'-2+3" in inputs
    assert formula_cells(out / "changes.csv") == []
    assert formula_cells(out / "input_changes.csv") == []


def test_replan_with_a_service_id_holding_a_bracket_explains_the_changes(
    cli, tmp_path: Path
) -> None:
    """An id such as ``förskola (1-5`` is text, not a regular expression."""
    service = "vatten (1-5"
    folder = tiny_copy(
        tmp_path,
        toml_replace={'id = "water"': f'id = "{service}"'},
        append={
            "candidates.csv": SECOND_WATER_MAIN.format(id="WATER-2", name="Second water main"),
            "candidate_capacity.csv": f"WATER-2,{service},20\n",
        },
    )
    for name in ("candidate_capacity.csv", "existing_assets.csv"):
        path = folder / name
        path.write_text(path.read_text().replace(",water,", f",{service},"))
    out = replan_against_tiny(cli, tmp_path, folder)
    with open(out / "changes.csv", newline="", encoding="utf-8") as handle:
        changes = {row["candidate"]: row for row in csv.DictReader(handle)}
    assert changes["WATER-2"]["change"] and changes["WATER-2"]["why"]


# --------------------------------------------------------------------------------------
# Variant names in folder names
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("..", "run"),
        (".", "run"),
        ("", "run"),
        ("../../../../x", "-..-..-..-x"),
        ("a/b\\c", "a-b-c"),
        ("C:\\budgets", "C--budgets"),
        ("tiny-\x1b[31mred", "tiny--[31mred"),
        (".hidden", "hidden"),
        ("förskola å ä ö", "förskola å ä ö"),
        ("NUL", "_NUL"),
    ],
)
def test_variant_names_become_one_safe_folder_name(text: str, name: str) -> None:
    assert safe_component(text) == name


def test_a_long_variant_name_is_cut_to_a_folder_name_the_disk_accepts() -> None:
    assert len(safe_component("å" * 300).encode("utf-8")) <= 120


@pytest.mark.parametrize("variant", ["../../../../x", "..", "a/b"])
def test_variant_named_like_a_path_keeps_the_default_results_folder_under_results(
    tmp_path: Path, variant: str
) -> None:
    scenario = dataclasses.replace(optimizer.load_scenario(TINY), variant=variant)
    folder = default_output_dir(scenario, tmp_path / "results")
    assert folder.parent == tmp_path / "results"
    assert folder.resolve().parent == (tmp_path / "results").resolve()


def test_variant_named_dotdot_gets_its_own_run_folder_in_a_comparison() -> None:
    assert run_folder_names(["..", ".", "base", "a/b", "a-b"]) == [
        "run",
        "run-2",
        "base",
        "a-b",
        "a-b-2",
    ]


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("variant", ["../../../../x", ".."])
def test_run_with_a_variant_named_like_a_path_writes_only_under_results(
    cli, monkeypatch, tmp_path: Path, variant: str
) -> None:
    """Accepted (exit 0, the results under ./results) or refused by validation (exit 2): never
    a file outside ./results and never a traceback."""
    work = tmp_path / "a" / "b" / "c" / "d" / "work"
    work.mkdir(parents=True)
    folder = tiny_copy(tmp_path, toml_extra=f'[variants."{variant}"]\npopulation = "base"\n')
    before = _tree(tmp_path)
    monkeypatch.chdir(work)
    code, out, err = cli("run", str(folder), "--variant", variant, "--quiet")
    assert code in (EXIT_OK, EXIT_INVALID_INPUT), err
    new = {p for p in _tree(tmp_path) - before if not p.startswith("a/b/c/d/work/results")}
    assert new == set(), new
    if code == EXIT_OK:
        [written] = (work / "results").iterdir()
        assert (written / "plan.json").is_file()


def test_compare_with_a_variant_named_dotdot_writes_its_runs_apart(cli, tmp_path: Path) -> None:
    folder = tiny_copy(tmp_path, toml_extra='[variants.".."]\npopulation = "high"\n')
    code, _, err = cli("compare", str(folder), "--variants", "..,base", "--fresh", "--quiet")
    assert code in (EXIT_OK, EXIT_INVALID_INPUT), err
    if code == EXIT_OK:
        [comparison] = (tmp_path / "results").iterdir()
        runs = sorted(p.name for p in (comparison / "runs").iterdir())
        assert runs == ["base", "run"]
        assert all((comparison / "runs" / name / "plan.json").is_file() for name in runs)
