"""``capplan frontier`` and ``capplan alternatives``: trade-offs the council can see
(docs/tradeoffs.md). Every point and alternative is a full plan, checked, written with its
tables under ``points/`` or ``plans/`` of the output folder beside the reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from optimizer.cli import common
from optimizer.cli.options import (
    OutputChoice,
    ScenarioPath,
    SolverChoice,
    TimeLimitPerRun,
    Variant,
    out_option,
    output_options,
    solver_options,
)

if TYPE_CHECKING:
    from optimizer.scenario import Scenario
    from optimizer.tradeoffs import Alternatives, Frontier

FrontierOut = Annotated[Path | None, out_option("Frontier")]
AlternativesOut = Annotated[Path | None, out_option("Alternatives")]
MEASURE_HELP = "co2e (t from the projects), shortfall (unit-years), budget (net MSEK), debt (peak MSEK) or score (points)"


def _known_measure(value: str | None) -> str | None:
    from optimizer.model.options import MEASURES

    if value is not None and value not in MEASURES:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(MEASURES)}")
    return value


def _percent(value: str) -> float:
    """``3%``, ``3`` (both 3 %) or ``0.03``: the relative slack."""
    text = value.strip().replace(",", ".")
    try:
        number = float(text.rstrip("%").strip())
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a percentage such as 3%") from None
    share = number / 100 if text.endswith("%") or number >= 1 else number
    if not 0 < share <= 1:
        raise typer.BadParameter(f"'{value}' must be more than 0 % and at most 100 %")
    return share


def _measure_option(flag: str, help: str) -> typer.models.OptionInfo:
    """An option naming one of the measures, checked while the command line is parsed."""
    return typer.Option(flag, help=help, callback=_known_measure)


@solver_options(time_limit=TimeLimitPerRun)
@output_options(FrontierOut, quiet=None)
def frontier(
    scenario: ScenarioPath,
    axis: Annotated[str, _measure_option("--axis", f"The measure: {MEASURE_HELP}.")] = "co2e",
    points: Annotated[
        int, typer.Option("--points", min=2, max=50, help="Points, the optimum included.")
    ] = 5,
    second: Annotated[
        str | None,
        _measure_option(
            "--and", "A second measure: a grid of points × points limits (keep --points small)."
        ),
    ] = None,
    variant: Variant = None,
    solving: SolverChoice = SolverChoice(),
    output: OutputChoice = OutputChoice(),
) -> None:
    """Efficient frontier: the cheapest plan as a measure (CO2e, shortfall, …) is tightened."""
    from optimizer import load_scenario
    from optimizer.report.tradeoffs import point_line, print_frontier, write_frontier_reports
    from optimizer.tradeoffs import frontier as solve_frontier

    if second is not None and second == axis:
        raise typer.BadParameter("--and must name another measure than --axis")
    loaded = load_scenario(scenario, variant)
    settings = solving.settings_for(loaded)
    console = Console()

    def on_point(point, limits) -> None:
        console.print(point_line(point, limits, output.lang), markup=False)

    suffix = f"-{axis}" + (f"-{second}" if second else "")
    with _TradeOffFolder(loaded, output, "frontier", suffix) as folder:
        axes = (axis,) if second is None else (axis, second)
        result = solve_frontier(loaded, axes, points, settings, on_point)
        folder.write(result, "points", result.points, frontier_dict(result), write_frontier_reports)
    print_frontier(result, console, folder.claim.target, output.lang)


class _TradeOffFolder:
    """The output folder of frontier or alternatives (by default
    ``results/<scenario>-<command><suffix>``): claimed before solving, since a refusal after the
    solve would lose it; then written with every plan, ``<command>.json`` and the reports."""

    def __init__(self, loaded: Scenario, output: OutputChoice, command: str, suffix: str = ""):
        from optimizer.io.output import protected_paths

        self.loaded, self.output, self.command = loaded, output, command
        self.name = loaded.settings.scenario.name
        stem, protected = f"{self.name}-{command}{suffix}", protected_paths(loaded)
        self.claim = common.claim_output(
            output.out, output.force, protected, stem, f"capplan {command}"
        )

    def __enter__(self) -> _TradeOffFolder:
        self.claim.acquire()
        return self

    def __exit__(self, *exc_info) -> None:
        self.claim.release()

    def write(
        self,
        result: Any,
        folder: str,
        solved: list[Any],
        summary: dict,
        write_reports: Callable[[Any, str, Path, str], None],
    ) -> None:
        """Each solved point's or alternative's plan with its tables under ``<folder>/NN``,
        the summary as ``<command>.json`` and the reports, in one rename."""
        from optimizer.io.results import write_json, write_results

        with self.claim.writing() as tmp:
            for k, each in enumerate(solved):
                write_results(each.plan, self.loaded, tmp / folder / f"{k:02d}")
            write_reports(result, self.name, tmp, self.output.lang)
            write_json(summary, tmp / f"{self.command}.json")


def frontier_dict(result: Frontier) -> dict:
    return {
        "axes": list(result.axes),
        "knee": result.knee,
        "stopped": result.stopped,
        "stopped_status": result.stopped_status,
        "points": [
            {
                "limits": p.limits,
                "cost": p.cost,
                "status": str(p.plan.status),
                "measures": p.measures,
                "seconds": p.seconds,
                "changes": [c.to_dict() for c in p.changes],
            }
            for p in result.points
        ],
    }


@solver_options(time_limit=TimeLimitPerRun)
@output_options(AlternativesOut, quiet=None)
def alternatives(
    scenario: ScenarioPath,
    within: Annotated[
        str, typer.Option("--within", help="Cost slack over the optimum, e.g. 3%.")
    ] = "3%",
    count: Annotated[
        int, typer.Option("--count", min=1, max=50, help="Alternatives to look for.")
    ] = 5,
    prefer: Annotated[
        str | None,
        typer.Option("--prefer", help="Favour projects with this tag, district or goal id."),
    ] = None,
    variant: Variant = None,
    solving: SolverChoice = SolverChoice(),
    output: OutputChoice = OutputChoice(),
) -> None:
    """Near-optimal alternatives: plans almost as cheap that differ as much as possible."""
    from optimizer import load_scenario
    from optimizer.report.tradeoffs import (
        alternative_line,
        print_alternatives,
        write_alternatives_reports,
    )
    from optimizer.tradeoffs import alternatives as find_alternatives

    share = _percent(within)
    loaded = load_scenario(scenario, variant)
    settings = solving.settings_for(loaded)
    console = Console()

    def on_plan(found, k) -> None:
        console.print(alternative_line(found, k, output.lang), markup=False)

    with _TradeOffFolder(loaded, output, "alternatives") as folder:
        found = find_alternatives(loaded, share, count, settings, prefer=prefer, on_plan=on_plan)
        folder.write(
            found, "plans", found.plans, alternatives_dict(found), write_alternatives_reports
        )
    print_alternatives(found, console, folder.claim.target, output.lang)


def alternatives_dict(found: Alternatives) -> dict:
    return {
        "within": found.within,
        "cost_limit": found.cost_limit,
        "prefer": found.prefer,
        "stopped_status": found.stopped_status,
        "must_haves": found.must_haves(),
        "interchangeable": found.interchangeable(),
        "plans": [
            {
                "cost": a.cost,
                "changed": a.changed,
                "score": a.score,
                "seconds": a.seconds,
                "starts": {p: {str(y): u for y, u in s.items()} for p, s in a.plan.starts.items()},
            }
            for a in found.plans
        ],
    }
