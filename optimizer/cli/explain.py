"""``capplan explain``: why a project is in, out or late, by re-solving with it forced."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from optimizer.cli.options import (
    TimeLimitPerResolve,
    json_option,
    language_option,
    workers_option,
)
from optimizer.text import shown, shown_report


def explain(
    result: Annotated[
        Path, typer.Argument(help="A results folder written by capplan run or replan.")
    ],
    candidate: Annotated[
        str | None, typer.Option("--candidate", help="Only this candidate.")
    ] = None,
    time_limit: TimeLimitPerResolve = 30.0,
    workers: Annotated[int, workers_option("Re-solves in parallel processes.")] = 2,
    as_json: Annotated[
        bool, json_option("Print the answers as JSON (English keys, sentences in sv and en).")
    ] = False,
    lang: Annotated[
        str,
        language_option(
            "Language of the answers (the table, the reasons, the alternatives): sv or en."
        ),
    ] = "sv",
) -> None:
    """Why is a project in, out or late? The cost of forcing it in, out, earlier or later."""
    import pandas as pd

    from optimizer.errors import Problem, ScenarioError
    from optimizer.explain import answers_as_records, explain, result_source
    from optimizer.explain_resolve import PROVEN_TO
    from optimizer.report.i18n import format_number, translator
    from optimizer.solve import SolveSettings

    source, plan = result_source(result)
    starts: dict[str, dict[int, int]] = {}
    try:
        for entry in plan.get("schedule", []):
            starts.setdefault(entry["candidate"], {})[int(entry["start_year"])] = int(
                entry.get("units", 1)
            )
    except (TypeError, ValueError, KeyError) as exc:  # a bare plan.json has no hashes to verify
        raise ScenarioError(
            [Problem(str(result), None, "schedule", f"is not a capplan schedule ({exc})")]
        ) from None
    if plan.get("objective") is None:
        raise typer.BadParameter("the result has no solved plan to explain", param_hint="RESULT")
    with _progress(as_json, lang) as on_done:
        answers = explain(
            source,
            plan.get("variant"),
            starts,
            float(plan["objective"]),
            candidate,
            # re-solved with the solver that made the plan (plan.json records the one that ran)
            SolveSettings(solver=_solver_of(plan), time_limit=time_limit),
            workers,
            on_done,
        )
    prices_file = Path(result) / "shadow_prices.csv" if Path(result).is_dir() else None
    prices = (
        pd.read_csv(prices_file)
        if prices_file is not None and prices_file.is_file()
        else pd.DataFrame()
    )
    if as_json:
        payload = {
            "answers": answers_as_records(answers),
            "shadow_prices": prices.to_dict(orient="records") if not prices.empty else [],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        return
    t = translator(lang)
    console = Console()
    table = Table(title=t("explain_title"))
    for column in ("candidate", "question", "start", "answer"):
        table.add_column(t(f"explain_{column}"), overflow="fold")
    for a in answers:
        text = a.text(lang)
        lines = [text["words"]]
        if text["reason"]:
            lines.append(t("explain_why", text=text["reason"]))
        if text["alternative"]:
            lines.append(t("explain_instead", text=text["alternative"]))
        table.add_row(
            "\n".join(shown(part) for part in (a.candidate, a.name) if part),
            t(f"explain_{a.action}"),
            str(a.start_year or "–"),
            "\n".join(shown_report(line) for line in lines),  # "1 234,6 MSEK", no \xa0
        )
    console.print(table)
    console.print(t("explain_proven", amount=format_number(PROVEN_TO, 2, lang)))
    if not prices.empty:
        console.print(f"[bold]{t('explain_binding')}[/]")
        for meaning in _meanings(prices.head(10), source, plan.get("variant"), lang):
            console.print(f"  • {shown_report(meaning)}")


@contextlib.contextmanager
def _progress(as_json: bool, lang: str):
    """How far explain has come, on stderr: a live bar on a terminal, a line per candidate in a
    log; nothing with --json on a pipe (scripts read the JSON and its stderr stays quiet)."""
    from optimizer.report.i18n import translator

    t = translator(lang)
    console = Console(stderr=True, highlight=False)
    if not console.is_terminal:
        if as_json:
            yield None
            return

        def line(done: int, total: int, candidate: str) -> None:
            console.print(t("explain_progress_line", done=done, total=total, candidate=candidate),
                          markup=False, style="dim")  # fmt: skip

        yield line
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(t("explain_progress"), total=None)

        def advance(done: int, total: int, candidate: str) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _meanings(prices, source: Path, variant: str | None, lang: str) -> list[str]:
    """The shadow prices' meanings in ``lang``, worded from each row's key with the scenario's
    names, as report.html does: shadow_prices.csv's English ``meaning`` says "for lss"."""
    from optimizer import load_scenario
    from optimizer.report import figures

    names = figures.names(load_scenario(source, variant))
    return [
        figures.shadow_meaning(row, lang, names["unit"], names)
        for row in prices.itertuples(index=False)
    ]


def _solver_of(plan: dict) -> str:
    """The solver a stored plan was made with; ``auto`` when it does not say (an old plan)."""
    solver = plan.get("solver")
    return solver if solver in ("highs", "cbc") else "auto"
