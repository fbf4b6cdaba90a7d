"""``capplan validate``: check a scenario and list every problem (file, row, field)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from optimizer.cli.options import ScenarioPath, json_option
from optimizer.errors import ScenarioError
from optimizer.text import printable_line, shown


def validate(
    scenario: ScenarioPath,
    variant: Annotated[
        str | None,
        typer.Option("--variant", "-v", help="Check one variant (default: every variant)."),
    ] = None,
    as_json: Annotated[
        bool, json_option("Print one JSON object on stdout (nothing else).")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Treat warnings as problems (exit code 2 if any)."),
    ] = False,
) -> None:
    """Check a scenario and list every problem with file, row and field (exit code 2 if any).

    Warnings (values that look like a slip) are listed too; they leave the exit
    code 0 unless --strict.
    """
    from optimizer.cli.common import print_warnings
    from optimizer.errors import Problem
    from optimizer.io import EVERY_VARIANT, one_variant, read_raw
    from optimizer.text import nfc
    from optimizer.validate import parse_variants, warnings_of

    variant = nfc(variant) if variant is not None else None  # as the scenario's names are
    usage = one_variant(variant) if variant else EVERY_VARIANT
    try:
        scenarios = parse_variants(read_raw(scenario, usage), [variant] if variant else None)
    except Exception as exc:  # a reader bug must still end in a message, never a traceback
        error = exc
        if not isinstance(exc, ScenarioError):
            reason = f"could not be read ({type(exc).__name__}: {exc})"
            error = ScenarioError([Problem(str(scenario), None, None, reason)])
        if as_json:
            problems = [p.to_dict() for p in error.problems]
            print(json.dumps({"valid": False, "problems": problems}, ensure_ascii=False))
        raise error from None
    warnings = warnings_of(scenarios)
    if strict and warnings:
        if as_json:
            problems = [p.to_dict() for p in warnings]
            print(json.dumps({"valid": False, "problems": problems}, ensure_ascii=False))
        raise ScenarioError(warnings)
    first = next(iter(scenarios.values()))
    described = scenarios.get(first.settings.scenario.default_variant or "", first)
    summary = {
        "valid": True,
        "path": str(scenario),
        **described.summary(),
        "checked_variants": list(scenarios),
        "warnings": [w.to_dict() for w in warnings],
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"[bold green]✓[/] {shown(summary['scenario'])} ({shown(scenario)}) is valid.")
    console.print(
        printable_line(
            f"  {summary['candidates']} candidates · departments {', '.join(summary['departments'])} · "
            f"services {', '.join(summary['services'])} · pools {', '.join(summary['pools'])}"
            + (f" · districts {', '.join(summary['districts'])}" if summary["districts"] else "")
        ),
        markup=False,
    )
    checked = ", ".join(summary["checked_variants"])
    console.print(
        printable_line(
            f"  years {summary['years'][0]}-{summary['years'][1]} · variants checked: {checked}"
        ),
        markup=False,
    )
    print_warnings(warnings, console)
