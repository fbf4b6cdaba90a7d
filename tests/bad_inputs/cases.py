"""A corpus of broken scenarios, each made from a copy of ``scenarios/tiny`` by one small edit.

Each case is named, and registered with the problem ``capplan validate`` must report: the file
(or workbook sheet), the spreadsheet row (``None``: the whole file or setting), the field, and a
phrase of the message. ``tests/test_bad_inputs.py`` runs every case through the command line
and requires exit code 2, that problem in the JSON and on stderr, and no traceback.

The cases are written the way such files arrive: Excel in a Swedish locale (``;``, decimal
comma, Windows-1252), UTF-16 "Unicode text", hand-edited TOML, workbooks with blank rows,
merged cells, formulas and text in number cells. ``{tmp}`` in a file name stands for the test's
temporary folder (where the copy of tiny is ``{tmp}/tiny``).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scenario_edits import (
    append_row,
    append_toml,
    drop_column,
    drop_rows,
    edit_toml,
    edit_workbook,
    rename_column,
    resave_csv,
    set_cell,
    tiny_workbook,
)


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[
        [Path], Path | None
    ]  # edits the copy of tiny; returns the path to validate, if not the copy
    file: str
    row: int | None
    field: str | None
    phrase: str
    args: tuple[str, ...] = ()


CASES: list[Case] = []


def case(
    name: str,
    file: str,
    row: int | None,
    field: str | None,
    phrase: str,
    args: tuple[str, ...] = (),
):
    def register(mutate):
        CASES.append(Case(name, mutate, file, row, field, phrase, args))
        return mutate

    return register


BOOK = "book.xlsx"


def sheet(name: str) -> str:
    return f"{BOOK}, sheet {name}"


def book(folder: Path, edit) -> Path:
    return edit_workbook(tiny_workbook(folder, BOOK), edit)


# ======================================================================================
# Missing files and columns
# ======================================================================================
@case("missing-candidates-csv", "candidates.csv", None, None, "is missing: this table is required")
def _(f):
    (f / "candidates.csv").unlink()


@case("missing-population-csv", "population.csv", None, None, "is missing: this table is required")
def _(f):
    (f / "population.csv").unlink()


@case("missing-scenario-toml", "scenario.toml", None, None, "is missing")
def _(f):
    (f / "scenario.toml").unlink()


@case("missing-folder", "{tmp}/tiny-2027", None, None, "does not exist")
def _(f):
    return f.parent / "tiny-2027"


@case("missing-column-lifetime", "candidates.csv", 1, "lifetime", "column is missing")
def _(f):
    drop_column(f, "candidates.csv", "lifetime")


@case("missing-column-population", "population.csv", 1, "population", "column is missing")
def _(f):
    rename_column(f, "population.csv", "population", "invånare")


@case(
    "missing-table-of-variant",
    "scenario.toml",
    None,
    "variants.high.tables.population",
    "there is no population-high.csv",
)
def _(f):
    edit_toml(
        f, 'population = "high"', 'population = "high"\ntables = { population = "population-high" }'
    )


# ======================================================================================
# Wrong types, empty and NaN cells
# ======================================================================================
@case("capex-in-words", "candidates.csv", 5, "capex", "'tre' is not a number")
def _(f):
    set_cell(f, "candidates.csv", 5, "capex", "tre")


@case("year-with-suffix", "budgets.csv", 8, "year", "'2027 e.Kr.' is not a number")
def _(f):
    set_cell(f, "budgets.csv", 8, "year", "2027 e.Kr.")


@case(
    "grant-share-as-percentage",
    "candidates.csv",
    5,
    "grant_share",
    "'50%' is a percentage, not a share; write 0.5 for 50 %",
)
def _(f):
    set_cell(f, "candidates.csv", 5, "grant_share", "50%")


@case(
    "grant-share-as-swedish-percentage",
    "candidates.csv",
    5,
    "grant_share",
    "'12,5 %' is a percentage, not a share; write 0.125 for 12.5 %",
)
def _(f):
    set_cell(f, "candidates.csv", 5, "grant_share", "12,5 %")


@case("lead-time-decimal", "candidates.csv", 6, "lead_time", "must be a whole number")
def _(f):
    set_cell(f, "candidates.csv", 6, "lead_time", "1.5")


@case("committed-start-not-a-year", "candidates.csv", 4, "committed_start", "is not a number")
def _(f):
    set_cell(f, "candidates.csv", 4, "committed_start", "nästa år")


@case("flag-not-yes-no", "candidates.csv", 5, "must_do", "is not yes/no")
def _(f):
    set_cell(f, "candidates.csv", 5, "must_do", "kanske")


@case("empty-pool", "candidates.csv", 4, "pool", "is empty but a value is required")
def _(f):
    set_cell(f, "candidates.csv", 4, "pool", "")


@case("empty-capacity", "candidate_capacity.csv", 4, "capacity", "is empty but a value is required")
def _(f):
    set_cell(f, "candidate_capacity.csv", 4, "capacity", " ")


@case("nan-ceiling", "budgets.csv", 9, "ceiling", "is not a finite number")
def _(f):
    set_cell(f, "budgets.csv", 9, "ceiling", "nan")


@case("infinite-population", "population.csv", 13, "population", "is not a finite number")
def _(f):
    set_cell(f, "population.csv", 13, "population", "inf")


@case("toml-number-as-text", "scenario.toml", None, "scenario.last_year", "valid integer")
def _(f):
    edit_toml(f, "last_year = 2030", 'last_year = "år 2030"')


@case("toml-syntax-error", "scenario.toml", 5, None, "is not valid TOML")
def _(f):
    edit_toml(f, 'name = "Tiny"', 'name = "Tiny')


# ======================================================================================
# Negative or absurd numbers
# ======================================================================================
@case("negative-ceiling", "budgets.csv", 10, "ceiling", "greater than or equal to 0")
def _(f):
    set_cell(f, "budgets.csv", 10, "ceiling", "-2")


@case(
    "negative-existing-capacity", "existing_assets.csv", 3, "capacity", "greater than or equal to 0"
)
def _(f):
    set_cell(f, "existing_assets.csv", 3, "capacity", "−110")  # typographic minus from Word


@case("lifetime-zero", "candidates.csv", 4, "lifetime", "greater than or equal to 1")
def _(f):
    set_cell(f, "candidates.csv", 4, "lifetime", "0")


@case("lifetime-absurd", "candidates.csv", 2, "lifetime", "less than or equal to 200")
def _(f):
    set_cell(f, "candidates.csv", 2, "lifetime", "4000")


@case("max-units-absurd", "candidates.csv", 4, "max_units", "less than or equal to 1000")
def _(f):
    set_cell(f, "candidates.csv", 4, "max_units", "1 000 000")


@case(
    "year-in-the-past-millennium",
    "scenario.toml",
    None,
    "scenario.first_year",
    "greater than or equal to 1900",
)
def _(f):
    edit_toml(f, "first_year = 2026", "first_year = 26")


@case("budget-factor-zero", "scenario.toml", None, "variants.high.budget_factor", "greater than 0")
def _(f):
    edit_toml(f, 'population = "high"', 'population = "high"\nbudget_factor = 0')


# ======================================================================================
# Non-finite and beyond-sane numbers (nan and inf are valid TOML and JSON)
# ======================================================================================
@case(
    "toml-demand-rate-nan",
    "scenario.toml",
    None,
    "services[1].demand_rates.1-5",
    "'nan' is not a finite number",
)
def _(f):
    edit_toml(f, 'demand_rates = { "1-5" = 0.5 }', 'demand_rates = { "1-5" = nan }')


@case("toml-fixed-need-nan", "scenario.toml", None, "services[2].fixed_need", "is not a finite")
def _(f):
    edit_toml(
        f, 'demand_rates = { "total" = 1.0 }', 'demand_rates = { "total" = 1.0 }\nfixed_need = nan'
    )


@case(
    "toml-carbon-price-inf",
    "scenario.toml",
    None,
    "climate.carbon_price_sek_per_t",
    "'inf' is not a finite number",
)
def _(f):
    append_toml(f, "[climate]\ncarbon_price_sek_per_t = inf")


@case("toml-opening-debt-inf", "scenario.toml", None, "debt.opening", "'inf' is not a finite")
def _(f):
    append_toml(f, "[debt]\nopening = inf")


@case(
    "toml-demand-rate-absurd",
    "scenario.toml",
    None,
    "services[1].demand_rates.1-5",
    "'1e+308' is beyond the sane range of a rate per inhabitant: at most 1 000 units per "
    "inhabitant either way",
)
def _(f):
    edit_toml(f, 'demand_rates = { "1-5" = 0.5 }', 'demand_rates = { "1-5" = 1e308 }')


@case(
    "capex-1e308",
    "candidates.csv",
    2,
    "capex",
    "'1e+308' is beyond the sane range of an amount of money: at most 1 000 000 MSEK either "
    "way (amounts are in MSEK: was it typed in kronor?)",
)
def _(f):
    set_cell(f, "candidates.csv", 2, "capex", "1e308")


@case(
    "budget-typed-in-kronor",
    "budgets.csv",
    3,
    "ceiling",
    "'8 000 000 000' is beyond the sane range of an amount of money",
)
def _(f):
    set_cell(f, "budgets.csv", 3, "ceiling", "8 000 000 000")


@case(
    "population-1e308",
    "population.csv",
    2,
    "population",
    "'1e+308' is beyond the sane range of a population count: at most 10 000 000 inhabitants",
)
def _(f):
    set_cell(f, "population.csv", 2, "population", "1e308")


@case(
    "capacity-1e308",
    "candidate_capacity.csv",
    2,
    "capacity",
    "'1e+308' is beyond the sane range of a capacity or need",
)
def _(f):
    set_cell(f, "candidate_capacity.csv", 2, "capacity", "1e308")


@case(
    "committed-start-year-99999",
    "candidates.csv",
    4,
    "committed_start",
    "less than or equal to 2200",
)
def _(f):
    set_cell(f, "candidates.csv", 4, "committed_start", "99999")


@case("toml-threads-10000", "scenario.toml", None, "solver.threads", "less than or equal to 64")
def _(f):
    append_toml(f, "[solver]\nthreads = 10000")


@case("toml-seed-negative", "scenario.toml", None, "solver.seed", "greater than or equal to 0")
def _(f):
    append_toml(f, "[solver]\nseed = -1")


@case(
    "workbook-demand-rate-json-nan",
    sheet("services"),
    2,
    "demand_rates.1-5",
    "'nan' is not a finite number",
)
def _(f):
    return book(f, lambda b: b["services"].cell(row=2, column=5, value='{"1-5": NaN}'))


@case(
    "workbook-variant-settings-json-infinity",
    sheet("variants"),
    3,
    "settings → debt.opening",
    "variant 'high': 'inf' is not a finite number",
)
def _(f):
    cell = '{"debt": {"opening": Infinity}}'
    return book(f, lambda b: b["variants"].cell(row=3, column=5, value=cell))


# ======================================================================================
# Unknown references
# ======================================================================================
@case(
    "unknown-department-in-candidates", "candidates.csv", 5, "department", "unknown department 'VA'"
)
def _(f):
    set_cell(f, "candidates.csv", 5, "department", "VA")


@case(
    "unknown-service-in-capacity",
    "candidate_capacity.csv",
    2,
    "service",
    "unknown service 'förskola'",
)
def _(f):
    set_cell(f, "candidate_capacity.csv", 2, "service", "förskola")


@case(
    "unknown-candidate-in-dependencies",
    "dependencies.csv",
    2,
    "requires",
    "unknown candidate 'WATER-MAIN'",
)
def _(f):
    set_cell(f, "dependencies.csv", 2, "requires", "WATER-MAIN")


@case("unknown-pool-in-budgets", "budgets.csv", 11, "pool", "unknown funding pool 'VATTEN'")
def _(f):
    set_cell(f, "budgets.csv", 11, "pool", "VATTEN")


# 'VA' for the pool 'va' is read as meant (the only id it folds to), a warning; --strict refuses
@case(
    "pool-in-capitals-strict",
    "budgets.csv",
    11,
    "pool",
    "'VA' read as 'va' (letter case)",
    args=("--strict",),
)
def _(f):
    set_cell(f, "budgets.csv", 11, "pool", "VA")


@case(
    "unknown-district-in-assets", "existing_assets.csv", 2, "district", "unknown district 'centrum'"
)
def _(f):
    set_cell(f, "existing_assets.csv", 2, "district", "centrum")


@case(
    "unknown-department-of-service",
    "scenario.toml",
    None,
    "services[1].department",
    "unknown department 'BUN'",
)
def _(f):
    edit_toml(f, 'department = "BUF"', 'department = "BUN"')


# ======================================================================================
# Cycles and duplicates
# ======================================================================================
@case(
    "cycle-of-three",
    "dependencies.csv",
    None,
    "requires",
    "cycle: PS-NEW → WATER-EXT → PS-NORTH → PS-NEW",
)
def _(f):
    append_row(f, "dependencies.csv", "WATER-EXT,PS-NEW,in_service_before_start,0")
    append_row(f, "dependencies.csv", "PS-NEW,PS-NORTH,in_service_when_opens,0")


@case(
    "duplicate-candidate-id",
    "candidates.csv",
    6,
    "id",
    "duplicate candidate id 'PS-MOD' (first on row 4)",
)
def _(f):
    set_cell(f, "candidates.csv", 6, "id", "PS-MOD")


@case("duplicate-population-row", "population.csv", 22, "age_group", "duplicate population row")
def _(f):
    append_row(f, "population.csv", "high,2030,,6+,21")


@case("duplicate-pool-id", "scenario.toml", None, "pools[2].id", "duplicate pools id 'tax'")
def _(f):
    edit_toml(f, 'id = "va"', 'id = "tax"')


# ======================================================================================
# Spend profiles, windows and the horizon
# ======================================================================================
@case("profile-sums-over-one", "candidates.csv", 2, "spend_profile", "shares sum to 1.1, not 1")
def _(f):
    set_cell(f, "candidates.csv", 2, "spend_profile", "0,6|0,5")


@case("profile-in-percent", "candidates.csv", 2, "spend_profile", "shares sum to 100, not 1")
def _(f):
    set_cell(f, "candidates.csv", 2, "spend_profile", "50|50")


@case(
    "window-outside-horizon",
    "candidates.csv",
    3,
    "latest_start",
    "2041 is outside the horizon 2026-2030",
)
def _(f):
    set_cell(f, "candidates.csv", 3, "latest_start", "2041")


@case(
    "committed-before-window",
    "candidates.csv",
    6,
    "committed_start",
    "2026 is outside its start window 2027-2029",
)
def _(f):
    set_cell(f, "candidates.csv", 6, "earliest_start", "2027")
    set_cell(f, "candidates.csv", 6, "committed_start", "2026")


@case(
    "lead-time-beyond-horizon",
    "candidates.csv",
    5,
    "lead_time",
    "8 years does not fit the horizon 2026-2030",
)
def _(f):
    set_cell(f, "candidates.csv", 5, "lead_time", "8")


@case(
    "spending-cannot-end-in-horizon",
    "candidates.csv",
    2,
    "earliest_start",
    "has no possible start year",
)
def _(f):
    set_cell(f, "candidates.csv", 2, "earliest_start", "2030")
    set_cell(f, "candidates.csv", 2, "latest_start", "2030")


# ======================================================================================
# Missing budget or population years
# ======================================================================================
@case(
    "budget-years-missing", "budgets.csv", None, "year", "pool 'tax' has no budget for 2029, 2030"
)
def _(f):
    drop_rows(f, "budgets.csv", 5, 6)


@case(
    "population-year-missing-in-high",
    "population.csv",
    None,
    "year",
    "variant 'high', age group '6+' has no population for 2026",
)
def _(f):
    drop_rows(f, "population.csv", 17)


@case(
    "horizon-longer-than-projection", "population.csv", None, "year", "has no population for 2031"
)
def _(f):
    edit_toml(f, "last_year = 2030", "last_year = 2031")


# ======================================================================================
# Encodings and the way files arrive
# ======================================================================================
@case(
    "swedish-excel-csv-bad-department",
    "candidates.csv",
    3,
    "department",
    "unknown department 'BUFÖ'",
)
def _(f):
    set_cell(f, "candidates.csv", 2, "name", "Ny förskola på Lövsta")
    set_cell(f, "candidates.csv", 3, "department", "BUFÖ")
    resave_csv(f, "candidates.csv", "cp1252", ";", decimal_comma=True)


@case("utf8-bom-csv-bad-value", "budgets.csv", 2, "ceiling", "'åtta' is not a number")
def _(f):
    set_cell(f, "budgets.csv", 2, "ceiling", "åtta")
    resave_csv(f, "budgets.csv", "utf-8-sig")


@case("utf16-csv-bad-value", "existing_assets.csv", 2, "service", "unknown service 'förskola'")
def _(f):
    set_cell(f, "existing_assets.csv", 2, "service", "förskola")
    resave_csv(f, "existing_assets.csv", "utf-16", "\t")


@case("utf16-without-bom-bad-value", "dependencies.csv", 2, "kind", "'efter' is not one of")
def _(f):
    set_cell(f, "dependencies.csv", 2, "kind", "efter")
    resave_csv(f, "dependencies.csv", "utf-16-le")


@case("cp1252-toml-bad-value", "scenario.toml", None, "scenario.objective", "'kostnad'")
def _(f):
    edit_toml(f, 'objective = "cost"', 'objective = "kostnad" # ändrad')
    path = f / "scenario.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))


@case("binary-junk-as-csv", "budgets.csv", None, None, "is not a text (CSV) file")
def _(f):
    (f / "budgets.csv").write_bytes(bytes(range(256)) * 4)


@case(
    "symlink-pointing-outside", "population.csv", None, None, "points outside the scenario folder"
)
def _(f):
    outside = f.parent / "shared-data"
    outside.mkdir()
    (f / "population.csv").rename(outside / "population.csv")
    os.symlink(outside / "population.csv", f / "population.csv")


@case(
    "variant-table-escapes-folder",
    "scenario.toml",
    None,
    "variants.high.tables.budgets",
    "must be a file name inside",
)
def _(f):
    edit_toml(
        f, 'population = "high"', 'population = "high"\ntables = { budgets = "../tiny/budgets" }'
    )


# ======================================================================================
# Workbooks
# ======================================================================================
def _blank_rows_then_bad_capex(b):
    ws = b["candidates"]
    ws.insert_rows(3, amount=2)  # two blank rows after PS-NEW; PS-MOD moves from row 4 to row 6
    ws["E6"] = "fem"


@case(
    "workbook-blank-rows-and-text-in-number",
    sheet("candidates"),
    6,
    "capex",
    "'fem' is not a number",
)
def _(f):
    return book(f, _blank_rows_then_bad_capex)


@case("workbook-merged-cells", sheet("budgets"), 2, "pool", "cells A2:A6 are merged")
def _(f):
    return book(f, lambda b: b["budgets"].merge_cells("A2:A6"))


@case(
    "workbook-formula-without-value",
    sheet("population"),
    3,
    "population",
    "formula without a saved value",
)
def _(f):
    return book(f, lambda b: b["population"].cell(row=3, column=5, value="=E2+2"))


@case(
    "workbook-number-stored-as-bad-text", sheet("budgets"), 5, "ceiling", "'8 MSEK' is not a number"
)
def _(f):
    return book(f, lambda b: b["budgets"].cell(row=5, column=3, value="8 MSEK"))


@case("workbook-date-as-year", sheet("population"), 4, "year", "is a date, not a number")
def _(f):
    return book(f, lambda b: b["population"].cell(row=4, column=2, value=dt.date(2028, 1, 1)))


@case(
    "workbook-unknown-service-department",
    sheet("services"),
    3,
    "department",
    "unknown department 'TEKNIK'",
)
def _(f):
    return book(f, lambda b: b["services"].cell(row=3, column=4, value="TEKNIK"))


@case(
    "workbook-setting-out-of-range",
    sheet("settings"),
    6,
    "scenario.discount_rate",
    "less than or equal to 0.5",
)
def _(f):
    return book(f, lambda b: b["settings"].cell(row=6, column=2, value=3.5))


@case(
    "workbook-cycle",
    sheet("dependencies"),
    None,
    "requires",
    "cycle: PS-NORTH → WATER-EXT → PS-NORTH",
)
def _(f):
    def edit(b):
        ws = b["dependencies"]
        for column, value in enumerate(
            ("WATER-EXT", "PS-NORTH", "in_service_before_start", 0), start=1
        ):
            ws.cell(row=3, column=column, value=value)

    return book(f, edit)


@case("workbook-is-a-csv", BOOK, None, None, "is not an Excel workbook")
def _(f):
    path = f.parent / BOOK
    path.write_bytes((f / "candidates.csv").read_bytes())
    return path


@case("workbook-zip-without-workbook", BOOK, None, None, "is not an Excel workbook")
def _(f):
    path = f.parent / BOOK
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return path


# ======================================================================================
# Command-line choices
# ======================================================================================
@case(
    "unknown-variant-asked-for",
    "scenario.toml",
    None,
    "variants",
    "unknown variant 'target'",
    args=("--variant", "target"),
)
def _(f):
    return None


@case(
    "debt-without-every-policy-year", "policy_years.csv", None, "year", "debt rules need every year"
)
def _(f):
    append_toml(f, "[debt]\nopening = 100\ninterest_rate = 0.02")
    (f / "policy_years.csv").write_text(
        "year;self_financing\n2026;1,5\n2028;1,5\n", encoding="cp1252"
    )
