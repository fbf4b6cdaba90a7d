"""``capplan project``: the population projection -> the scenario's population table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from optimizer.cli.options import Quiet, ScenarioPath

ProjectionOut = Annotated[
    Path | None,
    typer.Option("--out", help="CSV file to write (default: population.csv of the scenario)."),
]
ReplaceFile = Annotated[
    bool, typer.Option("--force", help="Replace the population table if it differs.")
]


def project(
    scenario: ScenarioPath,
    out: ProjectionOut = None,
    force: ReplaceFile = False,
    quiet: Quiet = False,
) -> None:
    """Project the population (cohort-component, projection.toml) and write population.csv."""
    from optimizer import projection as cohort
    from optimizer.errors import CapplanError, Problem, ScenarioError
    from optimizer.io.output import atomic_output_file

    given = cohort.read_projection(scenario)
    try:
        projection = cohort.project(
            given.settings, given.first_year, given.last_year, given.districts
        )
    except cohort.ProjectionError as exc:  # assumptions that cannot be projected: the user's
        raise ScenarioError([Problem(cohort.PROJECTION_FILE, None, exc.field, str(exc))]) from None
    text = cohort.table_text(cohort.table_rows(projection))
    target = out if out is not None else scenario / cohort.POPULATION_FILE
    if target.suffix.lower() != ".csv":
        raise CapplanError(f"{target}: the population table is a .csv file")
    if target.resolve().parent == scenario.resolve() and target.name != cohort.POPULATION_FILE:
        # the scenario's other tables and settings are the user's: never a target
        raise CapplanError(
            f"{target}: inside the scenario folder only {cohort.POPULATION_FILE} may be written"
        )
    console = Console()
    if not quiet:
        print_assumptions(projection, console)
    if target.is_file() and target.read_bytes() == text.encode("utf-8"):
        console.print(f"{target} is up to date (the projection gives the same table).")
        return
    # a different existing table is replaced only with --force (io/output.py's rule for files)
    with atomic_output_file(target, force) as tmp:
        tmp.write_bytes(text.encode("utf-8"))
    console.print(f"Wrote {target}: {text.count(chr(10)) - 1} rows.")


def print_assumptions(projection, console: Console) -> None:
    """The assumptions of each variant and the totals they give, as a table."""
    from rich.table import Table

    from optimizer.text import shown

    years = projection.years
    shown_years = sorted({years[0], years[len(years) // 2], years[-1]})
    table = Table(title="Population projection (cohort-component, 31 Dec)")
    table.add_column("variant")
    table.add_column("assumption")
    table.add_column("net migration / yr", justify="right")
    for year in shown_years:
        table.add_column(str(year), justify="right")
    for name, variant in projection.settings.variants.items():
        if variant.total is not None:
            assumption = f"{variant.total:,.0f} in {variant.year} (calibrated)"
        else:
            assumption = "stated net migration"
        table.add_row(
            shown(name),
            assumption,
            f"{projection.net_migration[name]:,.0f}",
            *(f"{projection.total(name, y):,.0f}" for y in shown_years),
        )
    console.print(table)
    if projection.known_migration:
        known = ", ".join(f"{y}: {n:,.0f}" for y, n in projection.known_migration.items())
        console.print(f"Net migration reproducing the published totals: {known}.")
