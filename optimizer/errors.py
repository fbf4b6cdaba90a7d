"""Errors users see. Each problem names file, row (as a spreadsheet shows it) and field.

Exit codes of the command line are defined here so that the CLI, the docs and the tests agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from optimizer.text import visible

EXIT_OK = 0
EXIT_USAGE = 1  # wrong command-line use, existing output folder without --force
EXIT_INVALID_INPUT = 2  # the scenario (or adopted plan) has problems; every one is listed
EXIT_INFEASIBLE = 3  # hard limits conflict; the diagnosis names them
EXIT_NO_SOLUTION = 4  # time limit reached without any plan, or unbounded
EXIT_CHECK_FAILED = 5  # the independent checker found a violated constraint (a bug: report it)
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT); nothing half-written is left behind
EXIT_TERMINATED = 143  # SIGTERM (128 + 15), handled like Ctrl-C


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, in words a planner can act on."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return visible(f"{where}: {self.message}")

    def to_dict(self) -> dict:
        return asdict(self)


class CapplanError(Exception):
    exit_code = EXIT_USAGE


class ScenarioError(CapplanError):
    """The scenario has one or more problems; all of them are listed."""

    exit_code = EXIT_INVALID_INPUT

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple:
    return (problem.file, problem.row or 0, problem.field or "", problem.message)
