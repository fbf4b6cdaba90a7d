"""User text on the terminal: rich markup in ids, names, variants and paths is printed as
typed, never interpreted (``PS[/]MOD`` used to crash the summary after the results were
written), and a control character that got this far is shown as an escape, never sent raw.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from rich.console import Console
from scenario_edits import copy_tiny, edit_toml, run_cli

from optimizer.report.excel_sheet import set_cell
from optimizer.text import shown, visible

NASTY = [
    "PS[/]MOD",
    "[bold red]Förskola[/]",
    "[link=http://evil.example]klick[/link]",
    "ends with a backslash \\",
    "\\[not a tag]",
    "a\x1b[2Jb",
    "8-bit CSI \x9b31m",
]


@pytest.mark.parametrize("text", NASTY)
def test_shown_prints_exactly_what_the_user_typed(text: str) -> None:
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None, highlight=False)

    console.print(f"[bold]{shown(text)}[/]")

    assert out.getvalue() == visible(text) + "\n"
    assert "\x1b" not in out.getvalue() and "\x9b" not in out.getvalue()


def _markup_everywhere(tmp_path: Path) -> Path:
    """tiny with markup in the scenario name, a variant, every candidate id and a name."""
    folder = copy_tiny(tmp_path)
    edit_toml(folder, 'name = "Tiny"', 'name = "Tiny [/] [bold]"')
    edit_toml(folder, "[variants.base]", '[variants."[/]base"]')
    edit_toml(folder, 'default_variant = "base"', 'default_variant = "[/]base"')
    for table in ("candidates.csv", "candidate_capacity.csv", "dependencies.csv"):
        path = folder / table
        path.write_text(path.read_text().replace("PS-", "PS[/]"))
    path = folder / "candidates.csv"
    path.write_text(path.read_text().replace("New preschool", "[red]New preschool[/red]"))
    return folder


def test_run_with_rich_markup_in_ids_names_variant_and_out_folder(tmp_path: Path) -> None:
    folder = _markup_everywhere(tmp_path)
    out = tmp_path / "res[bold]ults"

    code, stdout, err = run_cli("run", folder, "--out", out, "--quiet")

    assert code == 0, err
    assert "Tiny [/] [bold] — variant [/]base" in stdout
    assert "PS[/]" in stdout
    assert f"Resultat: {out}" in " ".join(stdout.split())  # rich may wrap a long path
    assert (out / "plan.xlsx").is_file()


def test_validate_with_rich_markup_in_the_scenario_name(tmp_path: Path) -> None:
    folder = _markup_everywhere(tmp_path)

    code, stdout, err = run_cli("validate", folder)

    assert code == 0, err
    assert f"✓ Tiny [/] [bold] ({folder}) is valid." in stdout
    assert "variants checked: [/]base, high" in stdout


def test_compare_two_variants_with_rich_markup_in_the_names(tmp_path: Path) -> None:
    folder = _markup_everywhere(tmp_path)

    code, stdout, err = run_cli(
        "compare", folder, "--variants", "[/]base,high", "--out", tmp_path / "c[bold]mp", "--quiet"
    )

    assert code == 0, err
    assert "[/]base" in stdout
    assert f"Jämförelse: {tmp_path / 'c[bold]mp'}" in " ".join(stdout.split())


def test_an_error_naming_a_path_with_markup_is_printed(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    taken = tmp_path / "taken[bold]out"
    taken.mkdir()

    code, _, err = run_cli("run", folder, "--out", taken, "--quiet")

    assert code == 1
    assert str(taken) in err
    assert "Traceback" not in err


def test_plan_workbook_writes_a_control_character_as_an_escape() -> None:
    sheet = Workbook().active

    set_cell(sheet, 1, 1, "PS\x1b[31mNEW")

    assert sheet.cell(row=1, column=1).value == "PS\\x1b[31mNEW"
