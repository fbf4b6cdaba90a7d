"""The command line: ``capplan validate | convert | run | compare | replan | explain``.

One module per command, the shared option types in ``options``, the shared messages in
``common``, the typer app in ``app``. Importing this package imports nothing else: ``main``
installs the signal handler (``optimizer.interrupt``) before the app and its commands are
imported, so a Ctrl-C at start-up ends with exit 130 and a message, not a traceback. Each
command imports the modules it needs (pandas, the solver, the report stack) when it runs, so
``capplan --help`` and ``capplan validate`` never load the solver stack.
"""

from __future__ import annotations


def main() -> None:
    """The console entry point ``capplan`` (pyproject.toml) and ``python -m optimizer.cli``."""
    from optimizer import interrupt

    with interrupt.handled():
        try:
            from optimizer.cli.app import run_app
        except KeyboardInterrupt:  # a Ctrl-C while the commands are imported
            from optimizer.cli.app import exit_interrupted

            exit_interrupted()
        run_app()


__all__ = ["main"]
