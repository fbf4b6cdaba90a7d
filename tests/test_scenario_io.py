"""Scenario inputs that must work: Excel's CSV dialects, workbooks, lossless conversion, demand.

The bad inputs are in ``test_validation.py`` (one per rule) and ``test_bad_inputs.py`` (the
corpus); here are the good ones, with the values they must give.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_edits import (
    OSTERSUND,
    ROOT,
    TINY,
    copy_tiny,
    edit_toml,
    read_rows,
    resave_csv,
    run_cli,
    set_cell,
    write_rows,
)

import optimizer
from optimizer.io import convert, read_raw
from optimizer.io.raw import RawScenario, RawTable, cell_text, differences, same_value
from optimizer.io.tomlwrite import dumps
from optimizer.io.workbook import read_workbook, write_workbook
from optimizer.scenario import Scenario
from optimizer.validate import parse_variants

TABLE_FIELDS = (
    "candidates",
    "capacities",
    "dependencies",
    "existing_assets",
    "budgets",
    "department_budgets",
    "staff",
    "policy_years",
)


def assert_same_scenario(a: Scenario, b: Scenario) -> None:
    assert a.variant == b.variant
    assert a.settings == b.settings
    for name in TABLE_FIELDS:
        assert getattr(a, name) == getattr(b, name), name
    assert a.population.equals(b.population)
    assert a.demand.equals(b.demand)
    assert a.candidate_rows == b.candidate_rows


def assert_lossless(a: RawScenario, b: RawScenario) -> None:
    assert same_value(a.settings, b.settings), differences(a, b)
    assert set(a.tables) == set(b.tables)
    for name, table in a.tables.items():
        other = b.tables[name]
        assert other.columns == table.columns, name
        assert [n for n, _ in other.rows] == [n for n, _ in table.rows], name
        for (number, cells), (_, back) in zip(table.rows, other.rows, strict=True):
            for column in table.columns:
                assert cell_text(back[column]) == cell_text(cells[column]), (name, number, column)
    assert differences(a, b) == []


# ======================================================================================
# CSV as Excel saves it
# ======================================================================================
DIALECTS = {
    "swedish-excel": dict(encoding="cp1252", delimiter=";", decimal_comma=True),
    "utf8-bom": dict(encoding="utf-8-sig", delimiter=","),
    "utf16-tab": dict(encoding="utf-16", delimiter="\t"),
    "utf16-no-bom": dict(encoding="utf-16-le", delimiter=";", decimal_comma=True),
}


@pytest.mark.parametrize("dialect", DIALECTS, ids=list(DIALECTS))
def test_csv_dialects_read_the_same_values(dialect: str, tmp_path: Path) -> None:
    plain = copy_tiny(tmp_path, "plain")
    set_cell(plain, "candidates.csv", 2, "name", "Ny förskola på Åsvägen, 20 platser")
    set_cell(plain, "existing_assets.csv", 3, "name", "Vattenverk Övre Näs")
    excel = tmp_path / "excel"
    shutil.copytree(plain, excel)
    for path in excel.glob("*.csv"):
        resave_csv(excel, path.name, **DIALECTS[dialect])
    if dialect == "swedish-excel":
        raw = (excel / "candidates.csv").read_bytes()
        assert b";" in raw and b"0,5|0,5" in raw and "Åsvägen".encode("cp1252") in raw

    for variant in ("base", "high"):
        assert_same_scenario(
            optimizer.load_scenario(plain, variant), optimizer.load_scenario(excel, variant)
        )
    candidate = optimizer.load_scenario(excel).candidate_by_id["PS-NEW"]
    assert candidate.name == "Ny förskola på Åsvägen, 20 platser"
    assert candidate.spend_profile == [0.5, 0.5]


def test_swedish_numbers_in_cells(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    set_cell(folder, "candidates.csv", 2, "capex", "1 234,5")  # space between thousands
    set_cell(folder, "candidates.csv", 4, "opex", "−0,25")  # typographic minus
    set_cell(folder, "candidates.csv", 5, "must_do", "ja")
    scenario = optimizer.load_scenario(folder)
    by_id = scenario.candidate_by_id
    assert by_id["PS-NEW"].capex == 1234.5
    assert by_id["PS-MOD"].opex == -0.25
    assert by_id["WATER-EXT"].must_do is True


@pytest.mark.parametrize(
    "space",
    ["\u00a0", "\u202f", "\u2009", "\u2007"],
    ids=["no-break", "narrow-no-break", "thin", "figure"],
)
def test_thousands_typed_with_a_thin_or_figure_space_are_read_as_the_number(
    tmp_path: Path, space: str
) -> None:
    """Numbers, LibreOffice and Word (Swedish) group thousands with a thin or narrow no-break
    space; a planner who pastes '12 500' from them means twelve thousand five hundred."""
    folder = copy_tiny(tmp_path)
    set_cell(folder, "population.csv", 2, "population", f"1{space}080,5")
    code, out, err = run_cli("validate", folder)
    assert code == 0, out + err
    assert "is valid" in out
    population = optimizer.load_scenario(folder).population
    assert 1080.5 in set(population["population"])


# ======================================================================================
# Demand (hand-computed on tiny)
# ======================================================================================
def _demand(scenario: Scenario, service: str) -> list[float]:
    table = scenario.demand
    return table[table["service"] == service].sort_values("year")["demand"].tolist()


def test_tiny_demand_by_hand() -> None:
    base = optimizer.load_scenario(TINY, "base")
    assert _demand(base, "preschool") == [40, 41, 42, 43, 44]  # 0.5 × pop(1-5) = 0.5 × 80, 82, …
    assert _demand(base, "water") == [100, 102, 104, 106, 108]  # 1.0 × total = 80+20, 82+20, …
    high = optimizer.load_scenario(TINY, "high")
    assert _demand(high, "preschool") == [40, 45, 50, 55, 60]  # 0.5 × 80, 90, 100, 110, 120


def test_tiny_demand_is_the_same_from_a_workbook(tmp_path: Path) -> None:
    book = tmp_path / "tiny.xlsx"
    write_workbook(TINY, book)
    for variant in ("base", "high"):
        assert_same_scenario(
            optimizer.load_scenario(TINY, variant), optimizer.load_scenario(book, variant)
        )


# ======================================================================================
# capplan validate
# ======================================================================================
TINY_SUMMARY = {
    "valid": True,
    "scenario": "Tiny",
    "variant": "base",
    "candidates": 5,
    "departments": ["BUF", "TEK"],
    "services": ["preschool", "water"],
    "districts": [],
    "pools": ["tax", "va"],
    "variants": ["base", "high"],
    "years": [2026, 2030],
    "checked_variants": ["base", "high"],
    "warnings": [],
}


def test_validate_tiny_json() -> None:
    code, out, err = run_cli("validate", TINY, "--json")
    assert code == 0, err
    assert json.loads(out) == {**TINY_SUMMARY, "path": str(TINY)}
    assert out.count("\n") == 1  # one JSON object, nothing else


def test_validate_tiny_one_variant() -> None:
    code, out, _ = run_cli("validate", TINY, "--variant", "high", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["checked_variants"] == ["high"]
    assert report["variant"] == "high"


def test_validate_tiny_summary_for_people() -> None:
    code, out, err = run_cli("validate", TINY)
    assert code == 0 and err == ""
    assert "Tiny" in out and "is valid" in out and "variants checked: base, high" in out


def test_validate_in_a_real_process(tmp_path: Path) -> None:
    """The module entry point, as a user runs it: a broken copy gives 2 and no traceback."""
    broken = copy_tiny(tmp_path)
    set_cell(broken, "budgets.csv", 3, "ceiling", "åtta")
    command = [sys.executable, "-m", "optimizer.cli", "validate", str(broken)]
    bad = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2
    assert "budgets.csv, row 3, field 'ceiling': 'åtta' is not a number" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout


@pytest.mark.skipif(not OSTERSUND.is_dir(), reason="scenarios/ostersund-2040 is not there yet")
def test_ostersund_validates_in_every_variant() -> None:
    raw = read_raw(OSTERSUND)
    scenarios = parse_variants(raw)
    assert set(scenarios) == set(next(iter(scenarios.values())).variants)
    code, out, err = run_cli("validate", OSTERSUND, "--json")
    assert code == 0, err
    assert json.loads(out)["valid"] is True


# ======================================================================================
# Workbooks: reading what Excel users make
# ======================================================================================
def test_workbook_layout(tmp_path: Path) -> None:
    book = tmp_path / "tiny.xlsx"
    write_workbook(TINY, book)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:6] == [
        "settings",
        "departments",
        "services",
        "districts",
        "pools",
        "variants",
    ]
    assert set(wb.sheetnames[6:]) == {p.stem for p in TINY.glob("*.csv")}
    settings_rows = {
        row[0]: row[1] for row in wb["settings"].iter_rows(min_row=2, values_only=True)
    }
    assert settings_rows["scenario.first_year"] == 2026
    assert (
        settings_rows["debt.interest_rate"] is None
    )  # listed so that users see it; empty: not set
    assert [c.value for c in wb["services"][1]][:5] == [
        "id",
        "name",
        "unit",
        "department",
        "demand_rates",
    ]
    assert json.loads(wb["services"]["E2"].value) == {"1-5": 0.5}
    assert [c.value for c in wb["variants"][2]][:3] == ["base", "Population as projected.", "base"]
    assert wb["candidates"]["E2"].value == 10  # numbers are numbers Excel can sum
    assert wb["candidates"]["F2"].value == "0.5|0.5"
    assert wb["candidates"]["A1"].comment is not None  # the column's meaning, for Excel users


def test_workbook_cells_as_excel_users_type_them(tmp_path: Path) -> None:
    """Blank rows, numbers stored as text, yes/no as Excel booleans, settings typed as text."""
    book = tmp_path / "tiny.xlsx"
    write_workbook(TINY, book)
    wb = openpyxl.load_workbook(book)
    wb["budgets"].insert_rows(4, amount=3)
    wb["budgets"]["C8"] = "8"  # was row 5; a number stored as text
    wb["candidates"]["Q2"] = False  # must_do as an Excel boolean
    for row in wb["settings"].iter_rows(min_row=2):
        if row[0].value == "scenario.first_year":
            row[1].value = "2026"
        if row[0].value == "scenario.discount_rate":
            row[1].value = "0,035"
        if row[0].value == "debt.pools":
            row[1].value = "tax|va"
    wb.save(book)
    raw = read_workbook(book)
    assert raw.settings["scenario"]["first_year"] == 2026
    assert raw.settings["scenario"]["discount_rate"] == 0.035
    assert raw.settings["debt"]["pools"] == ["tax", "va"]
    assert [n for n, _ in raw.tables["budgets"].rows] == [2, 3, 7, 8, 9, 10, 11, 12, 13, 14]
    scenario = optimizer.load_scenario(book)
    assert [b.ceiling for b in scenario.budgets][:5] == [8, 8, 8, 8, 8]


def _with_saved_formula(book: Path, sheet_xml: str, cell: str, formula: str, value: str) -> None:
    """Put a formula with a saved value into a cell, as Excel saves it (openpyxl cannot)."""
    with zipfile.ZipFile(book) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[sheet_xml].decode()
    xml, count = re.subn(
        rf'<c r="{cell}"[^>]*>.*?</c>', f'<c r="{cell}"><f>{formula}</f><v>{value}</v></c>', xml
    )
    assert count == 1
    parts[sheet_xml] = xml.encode()
    with zipfile.ZipFile(book, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_workbook_formula_with_saved_value_is_read(tmp_path: Path) -> None:
    book = tmp_path / "tiny.xlsx"
    write_workbook(TINY, book)
    index = openpyxl.load_workbook(book).sheetnames.index("budgets") + 1
    _with_saved_formula(book, f"xl/worksheets/sheet{index}.xml", "C3", "C2*1", "8")
    assert optimizer.load_scenario(book).budgets[1].ceiling == 8
    assert run_cli("validate", book)[0] == 0


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    notes = ['=HYPERLINK("http://x")', "+46 63 14 30 00", "-- see plan", "@kommunen", "-3"]
    for row, text in enumerate(notes, start=2):
        set_cell(folder, "candidates.csv", row, "notes", text)
    book = tmp_path / "tiny.xlsx"
    write_workbook(folder, book)
    sheet = openpyxl.load_workbook(book)["candidates"]
    column = [c.value for c in sheet[1]].index("notes") + 1
    for row, text in enumerate(notes, start=2):
        written = sheet.cell(row=row, column=column)
        if text == "-3":
            assert (written.value, written.data_type) == (-3, "n")  # a negative number is a number
        else:
            assert (written.value, written.data_type) == (text, "s")
            assert written.quotePrefix  # Excel keeps it text when the cell is edited
    back = tmp_path / "back"
    convert(book, back)
    assert [r[-1] for r in read_rows(back / "candidates.csv")[1:6]] == notes


# ======================================================================================
# Lossless conversion
# ======================================================================================
def test_folder_workbook_folder_is_lossless_for_tiny(tmp_path: Path) -> None:
    book, back = tmp_path / "tiny.xlsx", tmp_path / "back"
    original = read_raw(TINY)
    convert(TINY, book)
    convert(book, back)
    assert_lossless(original, read_workbook(book))
    assert_lossless(original, read_raw(back))
    for path in TINY.glob("*.csv"):  # tiny's CSVs are UTF-8 with ',': the very same bytes
        assert (back / path.name).read_bytes() == path.read_bytes()
    assert tomllib.loads((back / "scenario.toml").read_text()) == tomllib.loads(
        (TINY / "scenario.toml").read_text()
    )
    for variant in ("base", "high"):
        assert_same_scenario(
            optimizer.load_scenario(TINY, variant), optimizer.load_scenario(book, variant)
        )
        assert_same_scenario(
            optimizer.load_scenario(TINY, variant), optimizer.load_scenario(back, variant)
        )


@pytest.mark.skipif(not OSTERSUND.is_dir(), reason="scenarios/ostersund-2040 is not there yet")
def test_folder_workbook_is_lossless_for_ostersund(tmp_path: Path) -> None:
    book = tmp_path / "o.xlsx"
    original = read_raw(OSTERSUND)
    convert(OSTERSUND, book)
    assert_lossless(original, read_raw(book))
    assert_same_scenario(optimizer.load_scenario(OSTERSUND), optimizer.load_scenario(book))


TRICKY_SETTINGS = {
    "scenario": {
        "name": "2026",  # text that looks like a number
        "description": '"quoted" = text, [not a list]',
        "first_year": 2026,
        "last_year": 2030,
        "discount_rate": 1.0,  # an integral decimal stays a decimal
        "objective": "cost",
    },
    "climate": {"carbon_price_sek_per_t": 0.1 + 0.2, "cumulative_budget_t": 1e20},
    "debt": {"opening": 12345678901234567890, "interest_rate": 0.025, "pools": ["tax"]},
    "departments": [{"id": "BUF", "name": ""}, {"id": "=TEK", "name": "Åre-Östersund\nrad två"}],
    "services": [
        {
            "id": "preschool",
            "unit": "places",
            "department": "BUF",
            "demand_rates": {"1-5": 0.5, "80+": 1},
        },
        {
            "id": "water",
            "unit": "pe",
            "department": "BUF",
            "fixed_need": -0.0,
            "shortfall_cost": 1e-05,
        },
    ],
    "districts": [{"id": "n", "neighbours": ["s", "a|b"]}, {"id": "s", "neighbours": []}],
    "pools": [{"id": "tax", "carry_over": True, "carry_over_cap": float("inf")}],
    "variants": {
        "base": {},
        "låg tillväxt": {
            "population": "true",
            "budget_factor": 0.8,
            "settings": {"climate": {"carbon_price_sek_per_t": 2000}, "services": [{"id": "x"}]},
            "tables": {"budgets": "budgets-cut"},
        },
    },
    "tables": {"candidates": "candidates"},
    "extra": {
        "when": dt.date(2026, 1, 1),
        "at": dt.datetime(2026, 1, 1, 12, 30),
        "empty": {},
        "nan": float("nan"),
    },
}


def _tricky_raw(tmp_path: Path) -> RawScenario:
    folder = tmp_path / "tricky"
    shutil.copytree(TINY, folder)
    rows = read_rows(folder / "candidates.csv")
    notes = ["007", "0,87", "1.50", "=SUM(A1:A3)", "  padded  ", "line\nbreak"]
    for row, text in zip(rows[1:], notes, strict=False):
        row[-1] = text
    rows[2][4] = "-4"
    rows[3][4] = "1e3"
    rows.insert(3, [""] * len(rows[0]))  # a blank row inside the table
    write_rows(folder / "candidates.csv", rows)
    (folder / "budgets-cut.csv").write_text(
        "pool;year;ceiling\ntax;2026;7,5\n\n\ntax;2027;TRUE\n", encoding="cp1252"
    )
    (folder / "scenario.toml").write_text(dumps(TRICKY_SETTINGS), encoding="utf-8")
    return read_raw(folder)


def test_round_trip_keeps_tricky_values(tmp_path: Path) -> None:
    """Types and text that a naive converter changes: all kept, both ways."""
    raw = _tricky_raw(tmp_path)
    assert same_value(raw.settings, TRICKY_SETTINGS)
    book, back, book2 = tmp_path / "t.xlsx", tmp_path / "back", tmp_path / "t2.xlsx"
    convert(raw.root, book)
    assert_lossless(raw, read_workbook(book))
    convert(book, back)
    assert_lossless(raw, read_raw(back))
    convert(back, book2)
    assert_lossless(raw, read_workbook(book2))
    assert [n for n, _ in read_raw(back).tables["budgets-cut"].rows] == [2, 5]


def test_toml_writer_round_trips_tiny_and_tricky_settings() -> None:
    tiny = tomllib.loads((TINY / "scenario.toml").read_text())
    for written in (tiny, TRICKY_SETTINGS):
        assert same_value(tomllib.loads(dumps(written)), written)


_keys = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8)
_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=8,
)
_settings = st.dictionaries(_keys, _values, max_size=5)


@given(_settings)
@settings(max_examples=100, deadline=None)
def test_toml_writer_round_trips_anything(settings_dict: dict) -> None:
    assert same_value(tomllib.loads(dumps(settings_dict)), settings_dict)


_plain_keys = st.text(st.characters(codec="ascii", categories=["Ll", "Nd"]), min_size=1, max_size=6)
_workbook_settings = st.fixed_dictionaries(
    {},
    optional={
        "scenario": st.dictionaries(
            st.sampled_from(["name", "first_year", "discount_rate", "x"]), _values, max_size=3
        ),
        "services": st.lists(
            st.dictionaries(st.sampled_from(["id", "demand_rates", "unit"]), _values, min_size=1),
            max_size=2,
        ),
        "districts": st.lists(
            st.dictionaries(st.sampled_from(["id", "neighbours"]), _values, min_size=1), max_size=2
        ),
        "variants": st.dictionaries(
            _keys,
            st.dictionaries(st.sampled_from(["population", "settings", "tables"]), _values),
            max_size=2,
        ),
        "debt": st.dictionaries(st.sampled_from(["pools", "opening"]), _values, max_size=2),
        "misc": _values,
    },
)


@given(_workbook_settings)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_workbook_settings_round_trip_anything(tmp_path: Path, settings_dict: dict) -> None:
    """Any settings capplan writes to the settings sheets read back with the same values and types."""
    raw = RawScenario(root=tmp_path / "x", settings_label="scenario.toml", settings=settings_dict)
    raw.tables["t"] = RawTable("t", "t.csv", ["a"], [(2, {"a": "1"})])
    book = tmp_path / "s.xlsx"
    try:
        write_workbook(raw, book, force=True)
    except optimizer.errors.ScenarioError as exc:  # refused (e.g. a control character): never lossy
        assert "cannot be written" in str(exc)
        return
    assert same_value(read_workbook(book).settings, settings_dict)


# ======================================================================================
# capplan convert: never overwrite unasked, never leave half a file
# ======================================================================================
def test_convert_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    book = tmp_path / "tiny.xlsx"
    book.write_text("keep me")
    code, _, err = run_cli("convert", TINY, book)
    assert code == 1 and "already exists" in err and "--force" in err
    assert book.read_text() == "keep me"
    code, out, err = run_cli("convert", TINY, book, "--force")
    assert code == 0, err
    assert "Wrote workbook" in out and "Comments in scenario.toml are not kept" in out
    assert read_workbook(book).settings == read_raw(TINY).settings


def test_convert_to_folder_refuses_existing_folder(tmp_path: Path) -> None:
    book, folder = tmp_path / "tiny.xlsx", tmp_path / "out"
    write_workbook(TINY, book)
    folder.mkdir()
    (folder / "mine.txt").write_text("keep")
    assert run_cli("convert", book, folder)[0] == 1
    assert (folder / "mine.txt").read_text() == "keep"
    # --force replaces only what capplan wrote: a folder of someone's own files stays
    assert run_cli("convert", book, folder, "--force")[0] == 1
    assert (folder / "mine.txt").read_text() == "keep"
    # a scenario.toml proves nothing: only capplan's record of what it wrote does
    (folder / "scenario.toml").write_text("# an earlier conversion\n")
    assert run_cli("convert", book, folder, "--force")[0] == 1
    assert (folder / "mine.txt").read_text() == "keep"
    converted = tmp_path / "converted"
    assert run_cli("convert", book, converted)[0] == 0
    assert run_cli("convert", book, converted, "--force")[0] == 0
    assert (converted / "scenario.toml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "converted",
        "out",
        "tiny.xlsx",
    ]  # no temporary leftovers


def test_convert_refuses_to_replace_its_source(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    code, _, err = run_cli("convert", folder, folder, "--force")
    assert code == 1 and "is the source itself" in err
    assert (folder / "candidates.csv").is_file()


def test_convert_of_a_broken_source_writes_nothing(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    (folder / "budgets.csv").write_bytes(b"\x00\x01binary")
    code, _, err = run_cli("convert", folder, tmp_path / "x.xlsx")
    assert code == 2 and "budgets.csv: is not a text (CSV) file" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_convert_refuses_content_a_workbook_cannot_hold(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    (folder / "services.csv").write_text("a\n1\n")  # a table named like a settings sheet
    code, _, err = run_cli("convert", folder, tmp_path / "x.xlsx")
    assert code == 2 and "services.csv: cannot become a sheet" in err
    os.remove(folder / "services.csv")
    set_cell(folder, "candidates.csv", 2, "notes", "bell\x07")  # refused when read already
    code, _, err = run_cli("convert", folder, tmp_path / "x.xlsx")
    assert code == 2, err
    assert (
        "candidates.csv, row 2, field 'notes': contains a control character (BEL, U+0007) "
        "at position 5" in err
    )
    assert [p.name for p in tmp_path.iterdir()] == ["tiny"]


def test_nan_in_settings_survives(tmp_path: Path) -> None:
    raw = _tricky_raw(tmp_path)
    back = read_workbook(write_workbook(raw, tmp_path / "n.xlsx"))
    assert math.isnan(back.settings["extra"]["nan"])


def test_a_reference_typed_in_the_other_unicode_form_finds_the_candidate(tmp_path: Path) -> None:
    """Å typed as one code point in candidates.csv, as A + combining ring in the capacity table
    and on the command line (macOS file names and some keyboards give the second form)."""
    folder = copy_tiny(tmp_path)
    set_cell(folder, "candidates.csv", 2, "id", "F\u00d6RSKOLA-\u00c5BY")
    set_cell(folder, "candidate_capacity.csv", 2, "candidate", "FO\u0308RSKOLA-A\u030aBY")
    edit_toml(folder, "[variants.high]", '[variants."h\u00f6g"]')

    code, out, err = run_cli("validate", folder, "--variant", "ho\u0308g", "--json")

    assert code == 0, err
    assert json.loads(out)["checked_variants"] == ["h\u00f6g"]
    scenario = optimizer.load_scenario(folder, "ho\u0308g")
    assert scenario.candidate_by_id["F\u00d6RSKOLA-\u00c5BY"].name == "New preschool (20 places)"
    assert [c.candidate for c in scenario.capacities][0] == "F\u00d6RSKOLA-\u00c5BY"


def test_two_variants_that_differ_only_in_unicode_form_are_reported(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    edit_toml(folder, "[variants.base]", '[variants."\u00c5rsta"]')
    edit_toml(folder, "[variants.high]", '[variants."A\u030arsta"]')

    code, _, err = run_cli("validate", folder)

    assert code == 2
    assert (
        "scenario.toml, field 'variants.\u00c5rsta': is given twice (the same text typed in two "
        "Unicode forms); keep one" in err
    )
