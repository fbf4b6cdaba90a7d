"""Option types shared by the commands, each declared once (typer ``Annotated`` types).

The solver options' ranges are those of ``[solver]`` in scenario.toml
(``optimizer.schema.SolverSettings``): each option's callback validates the given value against
that model, so a range is never written twice. Options left out (``None``) take the scenario's
values. Checked while the command line is parsed, before any work.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from optimizer.cli.common import check_options

if TYPE_CHECKING:
    from optimizer.scenario import Scenario
    from optimizer.solve import SolveSettings


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


def decimal_number(text: str) -> float:
    """A number as a Swedish user types it, ``1,5`` as well as ``1.5``: CSV cells and
    ``--within 3,5%`` take a decimal comma too. Ranges are checked by the option's callback."""
    if isinstance(text, float):
        return text  # a default, already a number
    try:
        return float(text.strip().replace(",", ".") if "." not in text else text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a number such as 1.5 or 1,5") from None


def _solver_number(flag: str, setting: str, help: str) -> typer.models.OptionInfo:
    """A decimal option of the solver settings (``--time-limit``, ``--gap``): a decimal comma
    is read, the range is checked as ``[solver]`` in scenario.toml checks it."""
    return typer.Option(
        flag,
        help=help,
        parser=decimal_number,
        metavar="<float>",
        callback=_in_solver_settings(setting),
    )


# --- the solver ([solver] in scenario.toml) ---
Solver = Annotated[
    str | None,
    typer.Option(
        "--solver",
        help="auto (default: chosen from the scenario's structure), highs or cbc.",
        callback=_known_solver,
    ),
]
TimeLimit = Annotated[
    float | None, _solver_number("--time-limit", "time_limit", "Seconds before the solver stops.")
]
TimeLimitPerRun = Annotated[
    float | None,
    _solver_number("--time-limit", "time_limit", "Seconds before the solver stops, per run."),
]
TimeLimitPerResolve = Annotated[
    float, _solver_number("--time-limit", "time_limit", "Seconds per re-solve.")
]
Gap = Annotated[
    float | None, _solver_number("--gap", "gap", "Relative MIP gap at which to stop (0.01 = 1 %).")
]
ShortGap = Annotated[
    float | None, _solver_number("--gap", "gap", "Relative MIP gap at which to stop.")
]
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


def out_option(folder: str) -> typer.models.OptionInfo:
    """``--out``: the ``folder`` (Results, Comparison, …) the command writes."""
    return typer.Option("--out", help=f"{folder} folder (default: a new folder under results/).")


def adopted_option(help: str) -> typer.models.OptionInfo:
    """``--adopted``: the plan the council adopted, with the command's own description of it."""
    return typer.Option("--adopted", help=help)


def workers_option(help: str, most: int | None = None) -> typer.models.OptionInfo:
    """``--workers``: how many processes share the command's solves (at least 1, at most
    ``most``), with the command's own description of them."""
    return typer.Option("--workers", min=1, max=most, help=help)


ResultsOut = Annotated[Path | None, out_option("Results")]
CompareOut = Annotated[Path | None, out_option("Comparison")]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing --out folder.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]


def language_option(help: str) -> typer.models.OptionInfo:
    """``--lang``, sv or en, with the command's own description of what it decides."""
    return typer.Option("--lang", help=help, callback=_known_language)


ReportLanguage = Annotated[
    str,
    language_option(
        "Report language (the terminal summary, plan.xlsx, report.html, the diagnosis of an "
        "infeasible scenario): sv or en."
    ),
]
CompareLanguage = Annotated[
    str, language_option("Language of the terminal table, compare.html and compare.xlsx: sv or en.")
]


def json_option(help: str) -> typer.models.OptionInfo:
    """``--json``, with the command's own description of what it prints."""
    return typer.Option("--json", help=help)


@dataclass(frozen=True)
class SolverChoice:
    """The solver options given on a command line (None: the scenario's ``[solver]`` value)."""

    solver: str | None = None
    time_limit: float | None = None
    gap: float | None = None
    threads: int | None = None
    seed: int | None = None

    def settings_for(self, scenario: Scenario) -> SolveSettings:
        """The scenario's solver settings with these options laid over them."""
        from optimizer.run import solve_settings_for

        return solve_settings_for(scenario, **asdict(self))


@dataclass(frozen=True)
class OutputChoice:
    """What a command writes and shows: the ``--out`` folder (None: a new one), whether
    ``--force`` may replace capplan's earlier output there, ``--json`` on stdout instead of the
    terminal summary, ``--quiet`` (no progress display) and the reports' ``--lang``."""

    out: Path | None = None
    force: bool = False
    as_json: bool = False
    quiet: bool = False
    lang: str = "sv"


def solver_options(
    time_limit: Any = TimeLimit, gap: Any = Gap, threads: Any = Threads, seed: Any = Seed
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the solver options where its ``solving: SolverChoice`` parameter stands:
    ``--solver``, ``--time-limit``, ``--gap``, ``--threads`` and ``--seed``, each with the option
    type given here (None leaves one out)."""
    given = dict(solver=Solver, time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    return _option_bundle("solving", SolverChoice, given)


def output_options(
    out: Any, as_json: Any = None, quiet: Any = Quiet, lang: Any = ReportLanguage
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the output options where its ``output: OutputChoice`` parameter stands:
    ``--out`` (the command's own folder type), ``--force``, ``--json`` (the command's own help;
    None: the command has none), ``--quiet`` and ``--lang``, each with the option type given
    here (None leaves one out)."""
    given = dict(out=out, force=Force, as_json=as_json, quiet=quiet, lang=lang)
    return _option_bundle("output", OutputChoice, given)


def _option_bundle(
    parameter: str, choice: type, given: dict[str, Any]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Expand a command's ``parameter`` (a frozen dataclass ``choice``) into one option per field.

    typer reads a command's options from its signature, so the decorated command shows the
    ``given`` options (None leaves one out, its field keeps the dataclass default) in that
    place of its ``--help``, and is called with them gathered into one ``choice``.
    """
    chosen = {name: option for name, option in given.items() if option is not None}
    defaults = {f.name: f.default for f in fields(choice)}

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(command, eval_str=True)
        if parameter not in signature.parameters:
            raise TypeError(f"{command.__name__} has no {parameter}: {choice.__name__} parameter")
        parameters: list[inspect.Parameter] = []
        for each in signature.parameters.values():
            if each.name != parameter:
                parameters.append(each)
                continue
            parameters += [
                inspect.Parameter(name, each.kind, default=defaults[name], annotation=option)
                for name, option in chosen.items()
            ]

        @functools.wraps(command)
        def with_choice(**given: Any) -> Any:
            bundle = choice(**{name: given.pop(name) for name in chosen})
            return command(**given, **{parameter: bundle})

        with_choice.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        with_choice.__annotations__ = {p.name: p.annotation for p in parameters}
        return with_choice

    return decorate
