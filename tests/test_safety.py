"""Safe by construction: exported text never runs as a formula, settings are parsed by safe
parsers only, and no path inside a scenario reads outside its folder.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_factory import ROOT, TINY, tiny_copy

import optimizer
from optimizer.errors import EXIT_INVALID_INPUT, EXIT_OK, ScenarioError
from optimizer.io.results import escape_cell

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
    return subprocess.run(
        [sys.executable, "-m", "optimizer.cli", *args], capture_output=True, text=True, check=False
    )


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
