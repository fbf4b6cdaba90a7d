"""The typer app: the commands, and how known errors become messages and exit codes.

Every command turns known errors into a message and an exit code (``optimizer.errors``);
a traceback means a bug in capplan, never bad input.
"""

from __future__ import annotations

import sys

import typer

from optimizer.cli.common import err_console, report_error
from optimizer.cli.compare import compare
from optimizer.cli.convert import convert
from optimizer.cli.explain import explain
from optimizer.cli.project import project
from optimizer.cli.replan import replan
from optimizer.cli.robust import robust
from optimizer.cli.run import run
from optimizer.cli.sweep import sweep
from optimizer.cli.tradeoffs import alternatives, frontier
from optimizer.cli.validate import validate
from optimizer.errors import EXIT_INTERRUPTED, EXIT_USAGE, CapplanError

app = typer.Typer(
    name="capplan",
    help="Capital investment planner: choose and time a municipality's investments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Capital investment planner: choose and time a municipality's investments."""


# in the order `capplan --help` has always listed them
for command in (
    run,
    compare,
    validate,
    convert,
    replan,
    explain,
    project,
    robust,
    sweep,
    frontier,
    alternatives,
):
    app.command()(command)


def run_app() -> None:
    """Run the command line (inside ``interrupt.handled()``, see ``optimizer.cli.main``)."""
    from optimizer import interrupt

    try:
        result = app(standalone_mode=False)
    except CapplanError as exc:
        if interrupt.interrupted.is_set():  # e.g. a refusal raised while unwinding a Ctrl-C
            exit_interrupted()
        sys.exit(report_error(exc))
    except KeyboardInterrupt:
        exit_interrupted()
    except SystemExit:
        raise
    except Exception as exc:
        if interrupt.interrupted.is_set():
            exit_interrupted()
        # typer vendors click; its usage errors carry show() and an exit code
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(EXIT_USAGE)
        if type(exc).__name__ == "Abort":
            exit_interrupted()
        raise
    else:
        if interrupt.interrupted.is_set() or result == EXIT_INTERRUPTED:
            exit_interrupted()  # typer turns Ctrl-C into Exit(130) before we see it
        if isinstance(result, int) and result:  # typer.Exit in non-standalone mode returns the code
            sys.exit(result)


def exit_interrupted() -> None:
    """Say so and end the process now (exit 130 after SIGINT, 143 after SIGTERM).

    Everything the run had started is cleaned up by then (the exception unwound every ``with``
    block); ``os._exit`` skips the interpreter's shutdown, which can take seconds on a busy
    machine, and does not wait for a HiGHS thread that has not yet noticed the interrupt.
    """
    import contextlib
    import os

    from optimizer import interrupt
    from optimizer.io.output import interrupted_message

    with contextlib.suppress(OSError, ValueError):  # a closed pipe must not stop the exit
        # what is on disk: the results may have been moved into place before the interrupt
        err_console.print(interrupted_message(), markup=False, highlight=False)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(interrupt.exit_code())
