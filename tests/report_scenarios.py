"""Scenarios for the report tests, built from scenarios/tiny in a temporary folder.

``rich_tiny`` adds what tiny lacks so that every sheet and chart has something to show: debt
with a ceiling, a yearly CO2e cap, self-financing, a variant with budgets cut by half (which
changes the chosen projects), and names that start like spreadsheet formulas.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

TINY = Path(__file__).resolve().parents[1] / "scenarios" / "tiny"

# Text a spreadsheet would run as a formula if written naively.
FORMULA_NAMES = {
    "PS-MOD": '=HYPERLINK("http://example.invalid","Modular")',
    "PS-EXT": "+Preschool extension",
    "WATER-EXT": "-Water main",
    "PS-NORTH": "@Preschool north",
}
FORMULA_DESCRIPTION = "=1+1 is not a formula here"


def rich_tiny(folder: Path) -> Path:
    shutil.copytree(TINY, folder)
    settings = (folder / "scenario.toml").read_text(encoding="utf-8")
    settings = settings.replace(
        'description = "One preschool area and one school, five years, five candidates."',
        f'description = "{FORMULA_DESCRIPTION}"',
    )
    settings += """

[debt]
opening = 5.0
interest_rate = 0.02

[variants.cut]
description = "Budgets cut by half."
population = "base"
budget_factor = 0.5
"""
    (folder / "scenario.toml").write_text(settings, encoding="utf-8")
    (folder / "policy_years.csv").write_text(
        "year,co2e_cap_t,existing_co2e_t,self_financing,debt_ceiling\n"
        + "".join(f"{year},120,20,2,30\n" for year in range(2026, 2031)),
        encoding="utf-8",
    )
    path = folder / "candidates.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["name"] = FORMULA_NAMES.get(row["id"], row["name"])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def cli_runner(monkeypatch, capsys, tmp_path):
    """Run the command line in-process, in ``tmp_path``: ``run(*args) -> (exit code, stdout, stderr)``.

    Same entry point and exit codes as the ``capplan`` script, without a new interpreter per call.
    """
    from optimizer.cli import main

    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["capplan", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
