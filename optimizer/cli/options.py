"""Option types shared by the commands, each declared once (typer ``Annotated`` types).

The solver options' ranges are those of ``[solver]`` in scenario.toml
(``optimizer.schema.SolverSettings``): each option's callback validates the given value against
that model, so a range is never written twice. Options left out (``None``) take the scenario's
values. Checked while the command line is parsed, before any work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from optimizer.cli.common import check_options


def _in_solver_settings(field: str):
    """A callback refusing a value outside ``SolverSettings.<field>``'s range."""

    def check(value: Any) -> Any:
        if value is not None:
            from optimizer.schema import SolverSettings

            check_options(SolverSettings, **{field: value})
        return value

    return check


def _known_solver(value: str | None) -> str | None:
    from typing import get_args

    from optimizer.schema import SolverSettings

    solvers = get_args(SolverSettings.model_fields["solver"].annotation)
    if value is not None and value not in solvers:
        raise typer.BadParameter(
            f"'{value}' is not a solver; choose one of {', '.join(solvers)}", param_hint="--solver"
        )
    return value


def _known_language(value: str) -> str:
    from optimizer.report.i18n import LANGUAGES

    if value not in LANGUAGES:
        raise typer.BadParameter(
            f"'{value}' is not a report language; choose one of {', '.join(LANGUAGES)}",
            param_hint="--lang",
        )
    return value


def _time_limit(help: str) -> typer.models.OptionInfo:
    return typer.Option("--time-limit", help=help, callback=_in_solver_settings("time_limit"))


def _gap(help: str) -> typer.models.OptionInfo:
    return typer.Option("--gap", help=help, callback=_in_solver_settings("gap"))


# --- the solver ([solver] in scenario.toml) ---
Solver = Annotated[
    str | None,
    typer.Option(
        "--solver",
        help="auto (default: chosen from the scenario's structure), highs or cbc.",
        callback=_known_solver,
    ),
]
TimeLimit = Annotated[float | None, _time_limit("Seconds before the solver stops.")]
TimeLimitPerRun = Annotated[float | None, _time_limit("Seconds before the solver stops, per run.")]
TimeLimitPerResolve = Annotated[float, _time_limit("Seconds per re-solve.")]
Gap = Annotated[float | None, _gap("Relative MIP gap at which to stop (0.01 = 1 %).")]
ShortGap = Annotated[float | None, _gap("Relative MIP gap at which to stop.")]
Threads = Annotated[
    int | None,
    typer.Option("--threads", help="Solver threads.", callback=_in_solver_settings("threads")),
]
Seed = Annotated[
    int | None,
    typer.Option("--seed", help="Solver random seed.", callback=_in_solver_settings("seed")),
]

# --- what a command reads and writes ---
ScenarioPath = Annotated[Path, typer.Argument(help="Scenario folder or .xlsx workbook.")]
Variant = Annotated[
    str | None, typer.Option("--variant", "-v", help="Variant (default: the scenario's).")
]
ResultsOut = Annotated[
    Path | None,
    typer.Option("--out", help="Results folder (default: a new folder under results/)."),
]
CompareOut = Annotated[
    Path | None,
    typer.Option("--out", help="Comparison folder (default: a new folder under results/)."),
]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing --out folder.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
ReportLanguage = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Report language (plan.xlsx, report.html, the diagnosis of an infeasible "
        "scenario): sv or en.",
        callback=_known_language,
    ),
]
CompareLanguage = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of compare.html and compare.xlsx: sv or en.",
        callback=_known_language,
    ),
]


def json_option(help: str) -> typer.models.OptionInfo:
    """``--json``, with the command's own description of what it prints."""
    return typer.Option("--json", help=help)
