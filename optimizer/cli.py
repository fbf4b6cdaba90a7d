"""The command line: ``capplan validate | convert | run | compare | replan | explain``.

Every command turns known errors into a message and an exit code (``optimizer.errors``);
a traceback means a bug in capplan, never bad input.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from optimizer.errors import EXIT_INTERRUPTED, CapplanError, ScenarioError

app = typer.Typer(
    name="capplan",
    help="Capital investment planner: choose and time a municipality's investments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False)


def report_error(exc: CapplanError) -> int:
    if isinstance(exc, ScenarioError):
        count = len(exc.problems)
        err_console.print(f"[bold red]The scenario has {count} problem{'s' if count != 1 else ''}:[/]")
        for problem in exc.problems:
            err_console.print(f"  • {problem}", markup=False)
    else:
        err_console.print(f"[bold red]Error:[/] {exc}")
    return exc.exit_code


def main() -> None:
    try:
        app(standalone_mode=False)
    except CapplanError as exc:
        sys.exit(report_error(exc))
    except KeyboardInterrupt:
        err_console.print("Interrupted; no results were written.")
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(EXIT_INTERRUPTED)
        raise


if __name__ == "__main__":
    main()
